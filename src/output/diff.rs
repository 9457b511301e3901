//! What a render would change in a committed text file, as a unified diff.
//!
//! `render --check --diff` shows, for each stale letter, how its Markdown would
//! change, so a change to a template shows every letter it touches in a CI log.
//! The committed file is read as the check reads it: never through a symlink,
//! never from anything but a regular file.

use std::io::Read as _;
use std::path::Path;

/// Lines of context around each change, as `diff -u` and git give.
const CONTEXT: usize = 3;

/// Committed files larger than this are not diffed (the check still says they are
/// stale): a letter's Markdown is a few kilobytes.
const MAX_DIFF_BYTES: u64 = 4 * 1024 * 1024;

/// The unified diff from the file at `root/relative` (as committed) to `rendered`,
/// headed with `shown`, the path as messages name it. `None` when they are the
/// same; a missing file diffs as empty.
pub fn against_committed(
    root: &Path,
    relative: &Path,
    rendered: &str,
    shown: &str,
) -> Option<String> {
    let committed = if super::through_link(root, relative) {
        Err(std::io::Error::other("a symlink is not read"))
    } else {
        read_committed(&root.join(relative))
    };
    let (old, old_label) = match &committed {
        Ok(text) => (text.as_str(), "committed"),
        Err(_) => ("", "missing"),
    };
    if old == rendered {
        return None;
    }
    Some(unified(
        old,
        rendered,
        &format!("{shown} ({old_label})"),
        &format!("{shown} (rendered)"),
    ))
}

/// The unified diff of two texts, with `---`/`+++` headers and `@@` hunks.
pub fn unified(old: &str, new: &str, old_header: &str, new_header: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(CONTEXT)
        .header(old_header, new_header)
        .missing_newline_hint(true)
        .to_string()
}

fn read_committed(path: &Path) -> std::io::Result<String> {
    let file = super::open_regular(path, false)?;
    let mut text = String::new();
    file.take(MAX_DIFF_BYTES).read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_shown_with_its_context_and_headers() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            unified(old, new, "x.md (committed)", "x.md (rendered)"),
            "--- x.md (committed)\n+++ x.md (rendered)\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }

    #[test]
    fn the_same_text_gives_no_diff_and_a_missing_file_diffs_as_empty() -> std::io::Result<()> {
        let root = tempfile::tempdir()?;
        std::fs::write(root.path().join("a.md"), "one\n")?;
        let relative = Path::new("a.md");
        assert_eq!(
            against_committed(root.path(), relative, "one\n", "o/a.md"),
            None
        );
        let changed = against_committed(root.path(), relative, "two\n", "o/a.md");
        assert_eq!(
            changed.as_deref(),
            Some("--- o/a.md (committed)\n+++ o/a.md (rendered)\n@@ -1 +1 @@\n-one\n+two\n")
        );
        let missing = against_committed(root.path(), Path::new("b.md"), "new\n", "o/b.md");
        assert_eq!(
            missing.as_deref(),
            Some("--- o/b.md (missing)\n+++ o/b.md (rendered)\n@@ -0,0 +1 @@\n+new\n")
        );
        Ok(())
    }
}
