//! The PDF standards every PDF is exported to: `pdf:` in `office.yaml`.
//!
//! A regulator's letters must be usable with a screen reader and kept for years,
//! so by default every PDF claims, and Typst checks while exporting, both PDF/UA-1
//! (accessibility) and PDF/A-2a (archiving, with the tagging PDF/UA asks for);
//! the two share PDF 1.7. An office may choose another part of PDF/A, or opt out of
//! either standard, but only by writing `none`, and every run then says so.

use serde::{Deserialize, Serialize};
use typst_pdf::{PdfStandard, PdfStandards};

/// `pdf:` in `office.yaml`: which standards the PDFs conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfSettings {
    /// PDF/UA-1, or none.
    #[serde(default = "default_accessibility")]
    pub accessibility: Accessibility,
    /// A part of PDF/A, or none.
    #[serde(default = "default_archival")]
    pub archival: Archival,
}

/// The accessibility standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Accessibility {
    /// PDF/UA-1 (ISO 14289-1).
    #[serde(rename = "ua-1")]
    Ua1,
    /// No accessibility standard is claimed (the PDF is still tagged).
    #[serde(rename = "none")]
    None,
}

/// The part of PDF/A (ISO 19005) claimed. Only parts built on PDF 1.7 are offered,
/// as PDF/UA-1 needs it too; PDF/A-2a and PDF/A-3a add PDF/UA's tagging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Archival {
    /// PDF/A-2a: archival, tagged, text extractable.
    #[serde(rename = "a-2a")]
    A2a,
    /// PDF/A-2u: archival, text extractable.
    #[serde(rename = "a-2u")]
    A2u,
    /// PDF/A-2b: archival, appearance only.
    #[serde(rename = "a-2b")]
    A2b,
    /// PDF/A-3a: as PDF/A-2a, and any file may be embedded.
    #[serde(rename = "a-3a")]
    A3a,
    /// PDF/A-3u.
    #[serde(rename = "a-3u")]
    A3u,
    /// PDF/A-3b.
    #[serde(rename = "a-3b")]
    A3b,
    /// No archival standard is claimed.
    #[serde(rename = "none")]
    None,
}

fn default_accessibility() -> Accessibility {
    Accessibility::Ua1
}

fn default_archival() -> Archival {
    Archival::A2a
}

impl Default for PdfSettings {
    fn default() -> PdfSettings {
        PdfSettings {
            accessibility: default_accessibility(),
            archival: default_archival(),
        }
    }
}

impl PdfSettings {
    /// The standards as typst-pdf takes them.
    pub fn list(&self) -> Vec<PdfStandard> {
        let archival = match self.archival {
            Archival::A2a => Some(PdfStandard::A_2a),
            Archival::A2u => Some(PdfStandard::A_2u),
            Archival::A2b => Some(PdfStandard::A_2b),
            Archival::A3a => Some(PdfStandard::A_3a),
            Archival::A3u => Some(PdfStandard::A_3u),
            Archival::A3b => Some(PdfStandard::A_3b),
            Archival::None => None,
        };
        let accessibility = match self.accessibility {
            Accessibility::Ua1 => Some(PdfStandard::Ua_1),
            Accessibility::None => None,
        };
        accessibility.into_iter().chain(archival).collect()
    }

    /// The standards, checked by typst-pdf for compatibility.
    pub fn standards(&self) -> Result<PdfStandards, String> {
        PdfStandards::new(&self.list()).map_err(|e| e.message().to_string())
    }

    /// What the PDFs claim, for people: "PDF/UA-1 and PDF/A-2a".
    pub fn describe(&self) -> String {
        let accessibility = match self.accessibility {
            Accessibility::Ua1 => Some("PDF/UA-1"),
            Accessibility::None => None,
        };
        let archival = match self.archival {
            Archival::A2a => Some("PDF/A-2a"),
            Archival::A2u => Some("PDF/A-2u"),
            Archival::A2b => Some("PDF/A-2b"),
            Archival::A3a => Some("PDF/A-3a"),
            Archival::A3u => Some("PDF/A-3u"),
            Archival::A3b => Some("PDF/A-3b"),
            Archival::None => None,
        };
        let names: Vec<&str> = accessibility.into_iter().chain(archival).collect();
        if names.is_empty() {
            "no PDF standard".to_owned()
        } else {
            names.join(" and ")
        }
    }

    /// Why the PDFs claim less than both standards, when they do: opting out is
    /// never silent.
    pub fn opted_out(&self) -> Option<String> {
        let mut missing = Vec::new();
        if self.accessibility == Accessibility::None {
            missing.push("`accessibility: none` (no PDF/UA-1)");
        }
        if self.archival == Archival::None {
            missing.push("`archival: none` (no PDF/A)");
        }
        (!missing.is_empty()).then(|| {
            format!(
                "office.yaml sets {} under `pdf:`: the PDFs claim {}",
                missing.join(" and "),
                self.describe()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_standards_by_default_and_opting_out_is_reported() {
        let default: PdfSettings = serde_saphyr::from_str("{}").expect("parses");
        assert_eq!(default, PdfSettings::default());
        assert_eq!(default.describe(), "PDF/UA-1 and PDF/A-2a");
        assert!(default.standards().is_ok());
        assert_eq!(default.opted_out(), None);
        for (yaml, describe, opted_out) in [
            ("archival: a-3u", "PDF/UA-1 and PDF/A-3u", false),
            ("archival: none", "PDF/UA-1", true),
            ("accessibility: none", "PDF/A-2a", true),
            (
                "{accessibility: none, archival: none}",
                "no PDF standard",
                true,
            ),
        ] {
            let settings: PdfSettings = serde_saphyr::from_str(yaml).expect(yaml);
            assert!(settings.standards().is_ok(), "{yaml}");
            assert_eq!(settings.describe(), describe, "{yaml}");
            assert_eq!(settings.opted_out().is_some(), opted_out, "{yaml}");
        }
        assert!(serde_saphyr::from_str::<PdfSettings>("archival: a-1b").is_err());
    }
}
