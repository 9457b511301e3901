//! Case references, and the output folder each one names.

use std::fmt;

/// Windows device names, which can't be a folder name there whatever the extension.
pub(super) const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The start of every name the output folder keeps for casewright's own files
/// (its manifest, `casewright-manifest.txt`): no reference's folder may begin so,
/// in any mix of capitals, or a case could take the manifest's place.
pub const OWN_NAME_PREFIX: &str = "casewright-";

/// A validated case reference such as `IC-31191-G5C6` or `INV/0864/2021`.
///
/// It is letters, digits and `- _ . /`, starts with a letter or digit, has no `..`,
/// and its folder name (with `/` written as `-`) is a safe single path component on
/// every platform, so no case can write outside the output folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference(String);

impl Reference {
    /// The longest reference accepted.
    pub const MAX_LEN: usize = 64;

    /// Checks a reference, saying what is wrong with it if anything.
    pub fn parse(text: &str) -> Result<Reference, String> {
        let Some(first) = text.chars().next() else {
            return Err("the reference is empty".into());
        };
        if text.len() > Self::MAX_LEN {
            return Err(format!(
                "the reference is longer than {} characters",
                Self::MAX_LEN
            ));
        }
        if !first.is_ascii_alphanumeric() {
            return Err(format!(
                "a reference starts with a letter or digit, not `{first}`"
            ));
        }
        if let Some(bad) = text
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')))
        {
            return Err(format!(
                "a reference is letters, digits and `- _ . /`; `{}` is not allowed",
                bad.escape_default()
            ));
        }
        if text.contains("..") {
            return Err("a reference may not contain `..`".into());
        }
        if text.ends_with(['.', '/']) {
            return Err("a reference may not end with `.` or `/`".into());
        }
        let reference = Reference(text.to_owned());
        let folder = reference.folder();
        let stem = folder
            .split('.')
            .next()
            .unwrap_or(&folder)
            .to_ascii_uppercase();
        if RESERVED.contains(&stem.as_str()) {
            return Err("the reference is a reserved device name on Windows".into());
        }
        if folder
            .get(..OWN_NAME_PREFIX.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(OWN_NAME_PREFIX))
        {
            return Err(format!(
                "a reference may not begin with `{OWN_NAME_PREFIX}`: the output folder keeps such names for casewright's own files"
            ));
        }
        Ok(reference)
    }

    /// The reference as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The output folder name: the reference with `/` written as `-`.
    pub fn folder(&self) -> String {
        self.0.replace('/', "-")
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_references() {
        for (text, folder) in [
            ("IC-31191-G5C6", "IC-31191-G5C6"),
            ("INV/0864/2021", "INV-0864-2021"),
            ("COM0755749", "COM0755749"),
            ("a_b.c", "a_b.c"),
            ("CONSOLE", "CONSOLE"),
        ] {
            assert_eq!(
                Reference::parse(text).map(|r| r.folder()),
                Ok(folder.to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_paths_and_odd_names() {
        for (text, why) in [
            ("", "empty"),
            ("../../etc", "starts with"),
            ("/etc/passwd", "starts with"),
            ("a/../b", "`..`"),
            ("a\\b", "not allowed"),
            ("a b", "not allowed"),
            ("IC-1\n", "not allowed"),
            (".hidden", "starts with"),
            ("-rf", "starts with"),
            ("CON", "reserved"),
            ("nul.txt", "reserved"),
            ("COM1", "reserved"),
            ("abc.", "end with"),
            ("abc/", "end with"),
            ("é", "starts with"),
            (
                "casewright-manifest.txt",
                "may not begin with `casewright-`",
            ),
            (
                "CaseWright-Manifest.TXT",
                "may not begin with `casewright-`",
            ),
            ("casewright-/x", "may not begin with `casewright-`"),
        ] {
            let error = Reference::parse(text).expect_err(text);
            assert!(error.contains(why), "{text:?}: {error}");
        }
        assert!(Reference::parse(&"A".repeat(65)).is_err());
        assert!(Reference::parse(&"A".repeat(64)).is_ok());
    }
}
