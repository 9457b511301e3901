//! The law a case falls under, as case files and the templates name it: the kind
//! of processing and the regimes. When each regime is in force, for which
//! processing, and what it empowers are in `letter-templates/regimes.yaml`.

use serde::{Deserialize, Serialize};

/// The kind of processing a case concerns.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    schemars::JsonSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum Processing {
    /// General processing.
    General,
    /// Processing for law enforcement purposes.
    LawEnforcement,
}

/// A data-protection regime: when it is in force, for which processing, and
/// what it empowers are in `letter-templates/regimes.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    /// The law before the current ones, which gives no power to reprimand.
    #[serde(rename = "dpa1998")]
    Dpa1998,
    /// The regulation in force for general processing until the transition ended.
    Gdpr,
    /// The regulation for general processing since.
    UkGdpr,
    /// The law for law-enforcement processing.
    #[serde(rename = "dpa2018-part3")]
    Dpa2018Part3,
}

impl Regime {
    /// Every regime, oldest first.
    pub const ALL: [Regime; 4] = [
        Regime::Dpa1998,
        Regime::Gdpr,
        Regime::UkGdpr,
        Regime::Dpa2018Part3,
    ];

    /// The key templates and `provisions.yaml` use.
    pub fn key(self) -> &'static str {
        match self {
            Regime::Dpa1998 => "dpa1998",
            Regime::Gdpr => "gdpr",
            Regime::UkGdpr => "uk-gdpr",
            Regime::Dpa2018Part3 => "dpa2018-part3",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_serde_names() {
        for regime in Regime::ALL {
            let parsed: Regime = serde_saphyr::from_str(regime.key()).expect("a key parses");
            assert_eq!(parsed, regime);
        }
    }
}
