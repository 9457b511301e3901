//! What the kinds issued under a legal power share (a reprimand, the notice that
//! publishes one, any such kind to come): the regimes the case's dates fall
//! under, checked to give the power the kind is issued under, and the provisions
//! the letter cites, checked to be of those regimes. Which regime gives which
//! power is `regimes.yaml`'s to say ([`crate::case::RegimeWording::power`]).

use serde::Serialize;

use super::{LetterKind, Scope};
use crate::case::raw::Text;
use crate::case::{Checker, Matter, Processing, Regime};
use crate::diag::quote;
use crate::english::{indefinite_article, join_and, join_or};
use crate::templates::Templates;

/// The regimes of the case's dates (a breach's incidents, an investigation's
/// period, a complaint's day), oldest first; that none of them gives the power
/// a letter of `kind` is issued under is an error at the letter's `kind`.
pub(super) fn case_regimes(
    check: &mut Checker<'_>,
    scope: &Scope<'_>,
    kind: LetterKind,
) -> Option<Vec<Regime>> {
    let law = &check.vocabulary.regimes;
    let (matter, processing) = scope.matter.zip(scope.processing)?;
    let mut regimes: Vec<Regime> = matter
        .dates()
        .into_iter()
        .map(|date| law.in_force(date, processing).clone())
        .collect();
    regimes.sort_by_key(|regime| law.rank(regime));
    regimes.dedup();
    let empowers = |regime: &Regime| law.power(regime, kind).is_some();
    if !regimes.iter().any(empowers) {
        let called = |r: &Regime| law.called(r).to_owned();
        let under: Vec<String> = regimes.iter().map(called).collect();
        let needed: Vec<String> = law
            .iter()
            .map(|(regime, _)| regime)
            .filter(|r| empowers(r))
            .map(called)
            .collect();
        // A breach's law follows its incidents; another matter's, its dates.
        let (what, dates) = match matter {
            Matter::Breach(_) => ("every incident of this case", "incident"),
            Matter::Investigation(_) => ("the period this investigation examined", "period"),
            Matter::Complaint(_) => ("this complaint", "complaint"),
        };
        let letter = kind.key().replace('-', " ");
        check.error_with_note(
            "no-power",
            format!(
                "{what} falls under {}, under which no {letter} can be issued",
                join_and(&under)
            ),
            scope.kind,
            &format!(
                "{} {letter} needs at least one {dates} under {}",
                indefinite_article(&letter),
                join_or(&needed)
            ),
            Some(format!(
                "check the {dates} dates, or send a decision instead"
            )),
        );
    }
    Some(regimes)
}

/// The provisions cited: each a key of `provisions.yaml`, of a regime some date
/// of the case falls under (`regimes`, when they are known).
pub(super) fn provisions<'t>(
    check: &mut Checker<'_>,
    keys: impl IntoIterator<Item = &'t Text>,
    regimes: Option<&[Regime]>,
    processing: Option<Processing>,
) -> Vec<String> {
    let mut provisions = Vec::new();
    for key in keys {
        match check.vocabulary.provisions.get(&key.value) {
            None => {
                let note = check.vocabulary.catalogue.suggestion_note(&key.value);
                check.error_with_note(
                    "unknown-provision",
                    format!("unknown provision {}", quote(&key.value)),
                    key,
                    "not a key of letter-templates/provisions.yaml",
                    note,
                );
            }
            Some(regime) => {
                if let (Some(regimes), Some(processing)) = (regimes, processing)
                    && !regimes.contains(regime)
                {
                    let found: Vec<&str> = regimes.iter().map(Regime::key).collect();
                    check.error(
                        "provision-regime",
                        format!(
                            "`{}` is a provision of {regime}, but no incident of this case falls under it",
                            key.value,
                        ),
                        key,
                        &format!("the incidents fall under: {}", found.join(", ")),
                    );
                    let notes = regime_hints(check, &key.value, regime, regimes, processing);
                    if let Some(last) = check.diagnostics.last_mut() {
                        last.notes.extend(notes);
                    }
                }
            }
        }
        provisions.push(key.value.clone());
    }
    provisions
}

/// Why a provision's regime is not the case's, and which provision to cite
/// instead: a regime not for the case's processing is the processing's doing,
/// one for it the dates'. The hint names the one that is wrong.
fn regime_hints(
    check: &Checker<'_>,
    key: &str,
    regime: &Regime,
    regimes: &[Regime],
    processing: Processing,
) -> Vec<String> {
    let vocabulary = check.vocabulary;
    let for_processing: Vec<&str> = vocabulary
        .regimes
        .get(regime.key())
        .map(|law| law.processing.iter().map(|p| p.key()).collect())
        .unwrap_or_default();
    let first = match for_processing.first() {
        Some(other) if !for_processing.contains(&processing.key()) => format!(
            "`{regime}` provisions are for {} processing, but this case's `processing` is {}: cite a provision of {} instead, or set `processing: {other}`",
            join_or(&for_processing),
            processing.key(),
            join_or(&regimes.iter().map(Regime::key).collect::<Vec<_>>()),
        ),
        _ => "cite the provision of the law in force on the incident's date".to_owned(),
    };
    let mut notes = vec![first];
    let instead: Vec<String> = vocabulary
        .catalogue
        .counterparts(key)
        .into_iter()
        .filter(|other| {
            vocabulary
                .provisions
                .get(*other)
                .is_some_and(|r| regimes.contains(r))
        })
        .map(|other| format!("`{other}`"))
        .collect();
    if !instead.is_empty() {
        notes.push(format!("did you mean {}?", join_or(&instead)));
    }
    notes
}

/// A provision as templates see it: its key, title, name, quoted text and regime.
#[derive(Debug, Serialize)]
pub(super) struct ProvisionView {
    key: String,
    title: String,
    name: Option<String>,
    text: String,
    regime: Regime,
}

/// A provision of `provisions.yaml` (a key checked at load), as templates see it.
pub(super) fn provision_view(key: &str, templates: &Templates) -> ProvisionView {
    let provision = &templates.provisions[key];
    ProvisionView {
        key: key.to_owned(),
        title: provision.title.clone(),
        name: provision.name.clone(),
        text: provision.text.clone(),
        regime: provision.regime.clone(),
    }
}
