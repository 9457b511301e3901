//! From the case file as written to a [`Case`]: every value checked, every
//! problem reported with its location, all of them at once.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate};
use chrono_tz::Tz;
use serde_saphyr::Location;

use crate::case::raw::{self, Located, Text};
use crate::case::yaml::span_of_value;
use crate::case::*;
use crate::case::{Nation, Processing, TimeError, case_time};
use crate::diag::{did_you_mean, quote};
use crate::english::indefinite_article;
use crate::kinds::Scope;

mod people;
mod publication;

/// Collects diagnostics while values are checked one by one.
pub(crate) struct Checker<'a> {
    source: &'a Source,
    /// The keys the templates define.
    pub vocabulary: &'a Vocabulary,
    /// What was found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// What is odd but does not stop the letters (a letter dated on a holiday).
    pub warnings: Vec<Diagnostic>,
    /// The people the case names, once checked: Markdown fields refer to them.
    pub people: Vec<Person>,
}

pub(super) fn validate(
    source: Source,
    raw: raw::CaseFile,
    vocabulary: &Vocabulary,
) -> Result<Case, Vec<Diagnostic>> {
    let mut check = Checker {
        source: &source,
        vocabulary,
        diagnostics: Vec::new(),
        warnings: Vec::new(),
        people: Vec::new(),
    };
    let case = check.case(raw);
    let mut diagnostics = check.diagnostics;
    match case {
        Some(mut case) if diagnostics.is_empty() => {
            case.warnings = check.warnings;
            Ok(case)
        }
        _ => {
            diagnostics.sort_by_key(|d| d.span.start);
            Err(diagnostics)
        }
    }
}

impl Checker<'_> {
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        message: String,
        at: &Located<impl Sized>,
        label: &str,
    ) {
        let found = self.located(Diagnostic::error(code, message), at, label);
        self.diagnostics.push(found);
    }

    /// Something to tell the officer that does not stop the letters.
    fn warning(&mut self, code: &'static str, message: String, at: &Text, label: &str) {
        let found = self.located(Diagnostic::warning(code, message), at, label);
        self.warnings.push(found);
    }

    /// `diagnostic` pointing at a value of the case file.
    fn located(&self, diagnostic: Diagnostic, at: &Located<impl Sized>, label: &str) -> Diagnostic {
        let span = span_of_value(self.source, at);
        diagnostic.at(self.source, span, label)
    }

    /// A letter dated on a weekend or a bank holiday of the case's nation is
    /// probably misdated: a warning, which `--deny-warnings` makes fail the run.
    fn non_working_day(&mut self, date: NaiveDate, at: &Text, nation: &Nation) {
        let holidays = &self.vocabulary.holidays;
        let day = match date.weekday() {
            chrono::Weekday::Sat => "a Saturday".to_owned(),
            chrono::Weekday::Sun => "a Sunday".to_owned(),
            _ if holidays.is_bank_holiday(date, nation) == Ok(true) => {
                format!("a bank holiday in {}", holidays.name(nation))
            }
            _ => return,
        };
        self.warning(
            "non-working-day",
            format!("the letter is dated on {day}"),
            at,
            "is this the date it will be sent?",
        );
    }

    /// Every value of `office.yaml` a letter uses, and every standard paragraph it
    /// names, must have a version in force on its date.
    fn in_force(&mut self, date: NaiveDate, at: &Text, paragraphs: &[String]) {
        let when = crate::english::long_date(date);
        let mut missing: Vec<(String, String)> = Vec::new();
        for (key, versions) in &self.vocabulary.office_versions {
            if crate::case::in_force_on(versions, date).is_none() {
                missing.push((
                    format!("`{key}` in office.yaml has no version in force on {when}"),
                    format!("give `{key}` a version whose `from` and `until` hold {when}, or correct the letter's date"),
                ));
            }
        }
        for key in paragraphs {
            let versions = self.vocabulary.paragraph_versions.get(key);
            if versions.is_some_and(|v| crate::case::in_force_on(v, date).is_none()) {
                missing.push((
                    format!("the standard paragraph `{key}` has no version in force on {when}"),
                    format!("leave it out of this letter, or add letter-templates/paragraphs/{key}@<from>..<until>.md.tera for the date"),
                ));
            }
        }
        for (message, note) in missing {
            self.error_with_note("not-in-force", message, at, "the letter's date", Some(note));
        }
    }

    pub(crate) fn error_with_note(
        &mut self,
        code: &'static str,
        message: String,
        at: &Located<impl Sized>,
        label: &str,
        note: Option<String>,
    ) {
        self.error(code, message, at, label);
        if let (Some(note), Some(last)) = (note, self.diagnostics.last_mut()) {
            last.notes.push(note);
        }
    }

    fn case(&mut self, raw: raw::CaseFile) -> Option<Case> {
        let reference = match Reference::parse(&raw.reference.value) {
            Ok(reference) => Some(reference),
            Err(why) => {
                self.error_with_note(
                    "bad-reference",
                    format!("invalid case reference: {why}"),
                    &raw.reference,
                    "not a valid reference",
                    Some("a reference looks like IC-31191-G5C6 or INV/0864/2021".into()),
                );
                None
            }
        };
        let processing = raw
            .processing
            .as_ref()
            .map_or(Some(Processing::General), |p| self.choose(p, "processing"));
        let nation = self.nation(raw.nation.as_ref());
        self.people = self.people(&raw);
        if raw
            .letters
            .value
            .0
            .iter()
            .any(|letter| letter.publication.is_some())
        {
            self.invisible_characters();
        }
        let controller = self.controller(&raw.controller);
        let officer = self.officer(&raw.officer);
        let matter = self.matter(&raw);
        let scope = CaseScope {
            matter: matter.as_ref(),
            processing,
            nation: nation.clone(),
            controller: &controller,
            officer: &officer,
        };
        let letters = self.letters(&raw, &scope);
        if raw.letters.value.0.is_empty() {
            self.error(
                "no-letters",
                "the case has no letters".into(),
                &raw.letters,
                "add at least one letter here",
            );
        }
        Some(Case {
            source: self.source.clone(),
            reference: reference?,
            reference_span: span_of_value(self.source, &raw.reference),
            controller,
            officer,
            processing: processing?,
            nation: nation?,
            matter: matter?,
            letters: letters?,
            people: std::mem::take(&mut self.people),
            warnings: Vec::new(),
        })
    }

    /// One of an enum's keys (its strum names).
    pub(crate) fn choose<T>(&mut self, text: &Text, what: &str) -> Option<T>
    where
        T: Copy + strum::VariantArray + Into<&'static str>,
    {
        let choices: Vec<(&str, T)> = T::VARIANTS.iter().map(|&v| (v.into(), v)).collect();
        self.choice(text, what, &choices)
    }

    /// The case's nation: one of the calendar's, or its default when the case
    /// names none.
    fn nation(&mut self, text: Option<&Text>) -> Option<Nation> {
        let holidays = std::sync::Arc::clone(&self.vocabulary.holidays);
        let Some(text) = text else {
            return holidays.default_nation().cloned();
        };
        let choices: Vec<(&str, &Nation)> = holidays.nations().map(|(n, _)| (n.key(), n)).collect();
        self.choice(text, "nation", &choices).cloned()
    }

    pub(crate) fn choice<T: Copy>(
        &mut self,
        text: &Text,
        what: &str,
        choices: &[(&str, T)],
    ) -> Option<T> {
        if let Some((_, value)) = choices.iter().find(|(key, _)| *key == text.value) {
            return Some(*value);
        }
        let keys: Vec<&str> = choices.iter().map(|(key, _)| *key).collect();
        let note = match did_you_mean(&text.value, keys.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("expected one of: {}", keys.join(", ")),
        };
        let code = if what == "letter kind" {
            "unknown-kind"
        } else {
            "unknown-value"
        };
        self.error_with_note(
            code,
            format!("unknown {what} {}", quote(&text.value)),
            text,
            &format!("expected one of: {}", keys.join(", ")),
            Some(note),
        );
        None
    }

    /// A plain-text value: one line, no control characters.
    pub(crate) fn plain(&mut self, text: &Text) -> String {
        if let Some(bad) = text.value.chars().find(|c| c.is_control()) {
            let what = if matches!(bad, '\n' | '\r') {
                "a line break"
            } else {
                "a control character"
            };
            self.error_with_note(
                "control-character",
                format!("this value contains {what}, which plain text may not have"),
                text,
                "plain text is one line",
                Some(
                    "only the Markdown fields (summaries, findings, reasons...) may span lines"
                        .into(),
                ),
            );
        }
        self.no_encoded_word(text);
        text.value.trim().to_owned()
    }

    /// Any plain value may reach an email header (a name in `To`, a subject), where
    /// a mail client would decode RFC 2047 encoded-word syntax (`=?utf-8?B?...?=`)
    /// into other text than the letter shows: such syntax is refused everywhere.
    fn no_encoded_word(&mut self, text: &Text) {
        if !crate::case::has_encoded_word(&text.value) {
            return;
        }
        self.error_with_note(
            "encoded-word",
            "this value contains `=?...?=`, which a mail client would decode into other text"
                .into(),
            text,
            "an RFC 2047 encoded word",
            Some("write the text itself: casewright encodes what an email header needs".into()),
        );
    }

    /// A plain-text value that must say something.
    fn plain_required(&mut self, text: &Text) -> String {
        let value = self.plain(text);
        if value.is_empty() {
            self.error(
                "empty-value",
                "this value is empty".into(),
                text,
                "write something here",
            );
        }
        value
    }

    fn plain_opt(&mut self, text: &Option<Text>) -> Option<String> {
        text.as_ref()
            .map(|t| self.plain(t))
            .filter(|t| !t.is_empty())
    }

    /// A Markdown value: any text but control characters other than tab and newline.
    pub(crate) fn markdown(&mut self, text: &Text) -> Markdown {
        if text
            .value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        {
            self.error(
                "control-character",
                "this text contains a control character".into(),
                text,
                "remove the control character",
            );
        }
        let depth = crate::case::markdown::nesting_depth(&text.value);
        if depth > MAX_MARKDOWN_DEPTH {
            self.error_with_note(
                "markdown-too-deep",
                format!(
                    "this Markdown is nested {depth} levels deep, more than the {MAX_MARKDOWN_DEPTH} a field may have"
                ),
                text,
                "quotes, lists, emphasis or links nested too deeply",
                Some("a letter needs a few levels at most: flatten the nested `>` quotes, lists or emphasis".into()),
            );
        }
        self.link_schemes(text);
        let markdown = text.value.replace("\r\n", "\n").trim_end().to_owned();
        Markdown(self.resolve_people(text, &markdown))
    }

    /// Every link of a Markdown value goes to the web, an email address or a
    /// telephone number ([`crate::case::markdown::LINK_SCHEMES`]): a `javascript:`,
    /// `data:` or `file:` target, or a relative one, would be kept in the PDF.
    fn link_schemes(&mut self, text: &Text) {
        for url in crate::case::markdown::refused_links(&text.value) {
            self.error_with_note(
                "bad-link",
                format!("this text links to {}, which a letter may not", quote(&url)),
                text,
                "a link that is not https, http, mailto or tel",
                Some("a link is a full address starting https:// or http://, or a mailto: or tel: link".into()),
            );
        }
    }

    pub(crate) fn markdown_list(&mut self, list: &Option<Located<Vec<Text>>>) -> Vec<Markdown> {
        list.iter()
            .flat_map(|l| l.value.iter())
            .map(|t| self.markdown(t))
            .collect()
    }

    pub(crate) fn email(&mut self, text: &Text) -> String {
        let address = self.plain(text);
        if let Err(why) = check_email(&address) {
            self.error_with_note(
                "bad-email",
                format!("this is not an email address: {why}"),
                text,
                &format!("{} is not an email address", quote(&address)),
                Some("expected an address such as casework@example.org".into()),
            );
        }
        address
    }

    pub(crate) fn date(&mut self, text: &Text) -> Option<NaiveDate> {
        let value = text.value.trim();
        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(date) if value.len() == 10 => Some(date),
            _ => {
                let (code, message, label) = if looks_like_date(value) {
                    (
                        "impossible-date",
                        "this date is not a day of the calendar",
                        format!("there is no day {}", quote(value)),
                    )
                } else {
                    (
                        "bad-date",
                        "this value is not a date",
                        format!("{} is not a date such as 2022-05-19", quote(value)),
                    )
                };
                self.error(code, message.into(), text, &label);
                None
            }
        }
    }

    /// A time of day: local time in the office's zone unless written with an
    /// offset. A local time the clocks skipped or repeated names no one instant,
    /// and is an error that asks for the offset.
    fn datetime(&mut self, text: &Text) -> Option<DateTime<Tz>> {
        let zone = self.vocabulary.time_zone;
        let value = text.value.trim();
        let (code, message, label, note) = match case_time(value, zone) {
            Ok(time) => return Some(time),
            Err(TimeError::Skipped { before, after }) => (
                "nonexistent-time",
                format!(
                    "this time never happened in {}: the clocks went forward past it",
                    zone.name()
                ),
                format!(
                    "{} is in the hour skipped when the clocks went from {before} to {after}",
                    quote(value)
                ),
                Some(format!(
                    "add the offset from UTC the time was read in, after the minutes: `{before}` for a clock not yet changed, or `Z` for UTC"
                )),
            ),
            Err(TimeError::Repeated { first, second }) => (
                "ambiguous-time",
                format!(
                    "this time happened twice in {}: the clocks went back over it",
                    zone.name()
                ),
                format!(
                    "{} happened at {first}, then again at {second}",
                    quote(value)
                ),
                Some(format!(
                    "add the offset from UTC after the minutes to say which: `{first}` for the first, `{second}` for the second"
                )),
            ),
            Err(TimeError::Format) => {
                let day = value.get(..10).unwrap_or(value);
                if looks_like_date(day) && NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err() {
                    (
                        "impossible-date",
                        "this date is not a day of the calendar".to_owned(),
                        format!("there is no day {}", quote(day)),
                        None,
                    )
                } else {
                    (
                        "bad-datetime",
                        "this value is not a date and time".to_owned(),
                        format!(
                            "{} is not a date and time such as 2019-12-18T16:42",
                            quote(value)
                        ),
                        Some(format!(
                            "a time is local time in {} unless an offset from UTC follows it, as in 2019-12-18T16:42+00:00 or 2019-12-18T16:42Z",
                            zone.name()
                        )),
                    )
                }
            }
        };
        self.error_with_note(code, message, text, &label, note);
        None
    }

    fn controller(&mut self, raw: &raw::Controller) -> Controller {
        Controller {
            name: self.plain_required(&raw.name),
            short_name: self.plain_opt(&raw.short_name),
            address: raw.address.iter().map(|line| self.plain(line)).collect(),
            email: self.email(&raw.email),
            their_reference: self.plain_opt(&raw.their_reference),
            contact: self.plain_opt(&raw.contact),
            salutation: self.plain_opt(&raw.salutation),
        }
    }

    fn officer(&mut self, raw: &raw::Officer) -> Officer {
        Officer {
            name: self.plain_required(&raw.name),
            title: self.plain_required(&raw.title),
            team: self.plain_opt(&raw.team),
            phone: self.plain_opt(&raw.phone),
            email: raw.email.as_ref().map(|e| self.email(e)),
        }
    }

    /// The case's one matter: two, or none, is an error naming the keys.
    fn matter(&mut self, raw: &raw::CaseFile) -> Option<Matter> {
        let given: Vec<(MatterType, Location)> = [
            (
                MatterType::Breach,
                raw.breach.as_ref().map(|m| m.referenced),
            ),
            (
                MatterType::Investigation,
                raw.investigation.as_ref().map(|m| m.referenced),
            ),
            (
                MatterType::Complaint,
                raw.complaint.as_ref().map(|m| m.referenced),
            ),
        ]
        .into_iter()
        .filter_map(|(kind, at)| Some((kind, at?)))
        .collect();
        let keys: Vec<String> = MatterType::ALL
            .iter()
            .map(|m| format!("`{}`", m.key()))
            .collect();
        let keys = crate::english::join_or(&keys);
        match given.as_slice() {
            [] => {
                self.error_with_note(
                    "no-matter",
                    format!("the case does not say what it is about: it needs {keys}"),
                    &raw.reference,
                    "this case has no matter",
                    Some("see docs/case-files.md for the facts each matter takes".into()),
                );
                return None;
            }
            [_] => {}
            [(first, _), rest @ ..] => {
                for (second, at) in rest {
                    // At the second matter's key, written before its value.
                    let value = super::yaml::span_of(self.source, *at);
                    let key = second.key();
                    let span = self.source.text[..value.start]
                        .rfind(&format!("{key}:"))
                        .map_or(value, |start| start..start + key.len());
                    self.diagnostics.push(
                        Diagnostic::error(
                            "two-matters",
                            format!(
                                "the case has both `{}` and `{}`: a case is about one matter",
                                first.key(),
                                second.key()
                            ),
                        )
                        .at(self.source, span, "a second matter")
                        .note(format!(
                            "keep one of {keys}; a second matter is a second case"
                        )),
                    );
                }
                return None;
            }
        }
        if let Some(breach) = &raw.breach {
            return self.breach(&breach.value).map(Matter::Breach);
        }
        if let Some(investigation) = &raw.investigation {
            return self
                .investigation(&investigation.value)
                .map(Matter::Investigation);
        }
        let complaint = &raw.complaint.as_ref()?.value;
        self.complaint(complaint).map(Matter::Complaint)
    }

    fn investigation(&mut self, raw: &raw::Investigation) -> Option<Investigation> {
        let opened = self.date(&raw.opened);
        let from = self.date(&raw.period.from);
        let until = self.date(&raw.period.until);
        if let (Some(from), Some(until)) = (from, until)
            && until < from
        {
            self.error(
                "date-order",
                "the period examined ends before it starts".into(),
                &raw.period.until,
                &format!("this is before `from` ({from})"),
            );
        }
        let summary = self.markdown(&raw.summary);
        Some(Investigation {
            opened: opened?,
            period: Examined {
                from: from?,
                until: until?,
            },
            summary,
        })
    }

    fn complaint(&mut self, raw: &raw::Complaint) -> Option<Complaint> {
        let received = self.date(&raw.received);
        let name = self.plain_required(&raw.complainant.name);
        let summary = self.markdown(&raw.summary);
        Some(Complaint {
            received: received?,
            complainant: Complainant { name },
            summary,
            name_in_letter: raw.name_in_letter,
        })
    }

    /// A letter older than its matter: a breach's report, an investigation's
    /// opening, a complaint's receipt.
    fn letter_before_matter(&mut self, matter: &Matter, date: &Text) {
        let began = matter.began();
        let (code, message, label) = match matter {
            Matter::Breach(_) => (
                "letter-before-report",
                "the letter is dated before the breach was reported",
                format!("the report reached us on {began}"),
            ),
            Matter::Investigation(_) => (
                "letter-before-matter",
                "the letter is dated before the investigation was opened",
                format!("the investigation was opened on {began}"),
            ),
            Matter::Complaint(_) => (
                "letter-before-matter",
                "the letter is dated before the complaint was received",
                format!("the complaint reached us on {began}"),
            ),
        };
        self.error(code, message.into(), date, &label);
    }

    // The breach's dates and their order, then each of its facts in file order.
    fn breach(&mut self, raw: &raw::Breach) -> Option<Breach> {
        let occurred = self.date(&raw.occurred);
        let discovered = self.datetime(&raw.discovered);
        let reported = self.datetime(&raw.reported);
        if let (Some(occurred), Some(discovered)) = (occurred, discovered)
            && discovered.date_naive() < occurred
        {
            self.error(
                "date-order",
                "the breach was discovered before it occurred".into(),
                &raw.discovered,
                &format!("this is before `occurred` ({occurred})"),
            );
        }
        if let (Some(discovered), Some(reported)) = (discovered, reported)
            && reported < discovered
        {
            self.error(
                "date-order",
                "the breach was reported before it was discovered".into(),
                &raw.reported,
                &format!(
                    "this is before `discovered` ({})",
                    discovered.format("%Y-%m-%d %H:%M %Z")
                ),
            );
        }
        let follow_ups: Vec<_> = raw.follow_ups.iter().filter_map(|d| self.date(d)).collect();
        for category in &raw.categories {
            if !self.vocabulary.categories.contains(&category.value) {
                let near = did_you_mean(
                    &category.value,
                    self.vocabulary.categories.iter().map(String::as_str),
                );
                self.error_with_note(
                    "unknown-category",
                    format!(
                        "unknown category of personal data {}",
                        quote(&category.value)
                    ),
                    category,
                    "not a key of letter-templates/categories.yaml",
                    near.map(|n| format!("did you mean `{n}`?")),
                );
                let known: Vec<&str> = self
                    .vocabulary
                    .categories
                    .iter()
                    .map(String::as_str)
                    .collect();
                if let Some(last) = self.diagnostics.last_mut() {
                    last.notes
                        .push(crate::diag::listing("the categories are:", &known));
                }
            }
        }
        let incidents: Vec<_> = raw
            .incidents
            .iter()
            .map(|incident| {
                let date = self.date(&incident.date);
                Some(Incident {
                    reference: self.plain(&incident.reference),
                    their_reference: self.plain_opt(&incident.their_reference),
                    date: date?,
                })
            })
            .collect();
        let summary = raw.summary.as_ref().map(|s| self.markdown(s));
        Some(Breach {
            occurred: occurred?,
            discovered: discovered?,
            reported: reported?,
            follow_ups,
            summary,
            data_subjects: raw.data_subjects,
            records: raw.records,
            categories: raw.categories.iter().map(|c| c.value.clone()).collect(),
            cyber: raw.cyber,
            incidents: incidents.into_iter().collect::<Option<Vec<_>>>()?,
        })
    }

    fn letters(&mut self, raw: &raw::CaseFile, scope: &CaseScope<'_>) -> Option<Vec<Letter>> {
        let mut letters = Vec::new();
        let mut seen = BTreeSet::new();
        let mut previous: Option<NaiveDate> = None;
        let mut complete = true;
        for raw_letter in &raw.letters.value.0 {
            let kind: Option<LetterKind> = self.choose(&raw_letter.kind, "letter kind");
            let date = self.date(&raw_letter.date);
            if let (Some(date), Some(matter)) = (date, scope.matter)
                && date < matter.began()
            {
                self.letter_before_matter(matter, &raw_letter.date);
            }
            if let (Some(date), Some(before)) = (date, previous)
                && date < before
            {
                self.error(
                    "letters-order",
                    "letters are listed oldest first, but this one is older than the one above"
                        .into(),
                    &raw_letter.date,
                    &format!("the letter above is dated {before}"),
                );
            }
            previous = date.or(previous);
            if let (Some(kind), Some(date)) = (kind, date)
                && !seen.insert((kind, date))
            {
                self.error(
                    "duplicate-letter",
                    format!(
                        "a second {} of the same date: both would be written to one file",
                        kind.key()
                    ),
                    &raw_letter.kind,
                    &format!(
                        "{} {} dated {date} is listed above",
                        indefinite_article(kind.key()),
                        kind.key()
                    ),
                );
            }
            let earlier = complete.then_some(letters.as_slice());
            let letter = kind.and_then(|kind| self.letter(kind, raw_letter, date, earlier, scope));
            match (letter, date) {
                (Some(mut letter), Some(date)) => {
                    letter.date = date;
                    letters.push(letter);
                }
                _ => complete = false,
            }
        }
        complete.then_some(letters)
    }

    /// The keys of another kind a letter has: each an error that says which keys
    /// its own kind takes.
    fn misplaced(&mut self, kind: LetterKind, raw: &raw::Letter) {
        let own = kind.own_keys();
        for &(key, at) in &raw.misplaced {
            let span = super::yaml::span_of(self.source, at);
            self.diagnostics.push(
                Diagnostic::error(
                    "key-not-for-kind",
                    format!("`{key}` is not used by a letter of kind {}", kind.key()),
                )
                .at(self.source, span, "this would be ignored")
                .note(if own.is_empty() {
                    format!(
                        "a letter of kind {} takes only kind, date and the common keys",
                        kind.key()
                    )
                } else {
                    format!("a letter of kind {} takes: {}", kind.key(), own.join(", "))
                }),
            );
        }
    }

    // The keys every letter has, each checked in file order, then its kind's own:
    // one struct literal's worth of fields.
    fn letter(
        &mut self,
        kind: LetterKind,
        raw: &raw::Letter,
        date: Option<NaiveDate>,
        earlier: Option<&[Letter]>,
        scope: &CaseScope<'_>,
    ) -> Option<Letter> {
        self.misplaced(kind, raw);
        if let (Some(date), Some(nation)) = (date, &scope.nation) {
            self.non_working_day(date, &raw.date, nation);
        }
        let controller = scope.controller;
        let to = match &raw.to {
            Some(to) => self.email(to),
            None => controller.email.clone(),
        };
        let cc: Vec<String> = raw.cc.iter().map(|cc| self.email(cc)).collect();
        let contact = match &raw.contact {
            Some(contact) => self.plain_opt(&Some(contact.clone())),
            None => controller.contact.clone(),
        };
        // The controller's greeting is for the controller's contact: a letter to
        // another contact is greeted from that contact, unless it sets its own.
        let salutation = match (&raw.salutation, &raw.contact) {
            (Some(_), _) => self.plain_opt(&raw.salutation),
            (None, Some(_)) => None,
            (None, None) => controller.salutation.clone(),
        };
        let officer = match &raw.officer {
            Some(other) => self.officer(other),
            None => scope.officer.clone(),
        };
        let delivery = match &raw.delivery {
            Some(text) => self.choose::<Delivery>(text, "delivery").map(Some),
            None => Some(None),
        };
        let paragraphs = self.keys(
            &raw.paragraphs,
            "paragraph",
            "letter-templates/paragraphs/",
            |v| &v.paragraphs,
        );
        if let Some(date) = date {
            self.in_force(date, &raw.date, &paragraphs);
        }
        let attachments = self.keys(
            &raw.attachments,
            "attachment",
            "letter-templates/office.yaml",
            |v| &v.attachments,
        );
        let publication = match &raw.publication {
            Some(publication) => {
                let from = publication::Sources {
                    controller,
                    officer: &officer,
                    matter: scope.matter,
                    contact: contact.as_deref(),
                    to: &to,
                    cc: &cc,
                };
                self.publication(publication, date, &from).map(Some)
            }
            None => Some(None),
        };
        let fields = raw.fields.as_ref()?;
        let body = fields.validate(
            self,
            &Scope {
                kind: &raw.kind,
                dated: &raw.date,
                date,
                matter: scope.matter,
                processing: scope.processing,
                nation: scope.nation.as_ref(),
                earlier,
            },
        );
        Some(Letter {
            kind,
            date: NaiveDate::MIN,
            to,
            cc,
            contact,
            salutation,
            officer,
            paragraphs,
            attachments,
            delivery: delivery?,
            publication: publication?,
            body: body?,
        })
    }

    fn keys(
        &mut self,
        keys: &[Text],
        what: &str,
        place: &str,
        known: impl Fn(&Vocabulary) -> &BTreeSet<String>,
    ) -> Vec<String> {
        for key in keys {
            let known = known(self.vocabulary);
            if !known.contains(&key.value) {
                let near = did_you_mean(&key.value, known.iter().map(String::as_str));
                let code = if what == "paragraph" {
                    "unknown-paragraph"
                } else {
                    "unknown-attachment"
                };
                self.error_with_note(
                    code,
                    format!("unknown {what} {}", quote(&key.value)),
                    key,
                    &format!("not defined in {place}"),
                    near.map(|n| format!("did you mean `{n}`?")),
                );
            }
        }
        keys.iter().map(|k| k.value.clone()).collect()
    }
}

/// What the checks of each letter need of its case: `None` where that part is
/// itself invalid (and already reported).
struct CaseScope<'a> {
    matter: Option<&'a Matter>,
    processing: Option<Processing>,
    nation: Option<Nation>,
    controller: &'a Controller,
    officer: &'a Officer,
}

/// The text of a recommendation, located where its text is written.
pub(crate) fn text_at(item: &Located<raw::Recommendation>) -> Text {
    let (referenced, defined) = item
        .value
        .text_at
        .unwrap_or((item.referenced, item.defined));
    Located::new(item.value.text.clone(), referenced, defined)
}

/// The dates of the case's incidents, or the breach date when it joins none.
pub(crate) fn incident_dates(breach: &Breach) -> impl Iterator<Item = NaiveDate> + '_ {
    let single = breach.incidents.is_empty().then_some(breach.occurred);
    breach.incidents.iter().map(|i| i.date).chain(single)
}

fn looks_like_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// A light check of an email address: enough to catch typos and header tricks,
/// not a full RFC 5322 parser.
pub(crate) fn check_email(address: &str) -> Result<(), &'static str> {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err("it has no `@`");
    };
    if local.is_empty() || domain.is_empty() {
        return Err("it needs text on both sides of the `@`");
    }
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains a space or a line break");
    }
    if local.contains(['<', '>', ',', ';', '"', '(', ')', '[', ']', '\\', ':', '@']) {
        return Err("it contains a character an address may not have");
    }
    if !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err("its domain is not a full domain name");
    }
    if !domain
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return Err("its domain contains a character a domain may not have");
    }
    Ok(())
}
