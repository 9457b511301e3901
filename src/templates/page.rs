//! The page furniture `office.yaml` describes: the letterhead's logo, and where a
//! posted letter's address goes (`post`), checked when the folder is read.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Office, display};
use crate::diag::{Diagnostic, Source};

/// `logo:` in `office.yaml`: an image in the templates folder for the letterhead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Logo {
    /// The SVG or PNG file, relative to the templates folder.
    pub file: String,
    /// What a screen reader says for it (PDF/UA needs it).
    pub alt: String,
}

/// `post:` in `office.yaml`: how a letter sent by post (`delivery: post`) puts the
/// recipient's address in a window envelope's window. The defaults are GOV.UK
/// Notify's letter specification: the address within 24.6 mm to 120 mm from the
/// page's left edge and 39.5 mm to 66.3 mm from its top, 3 to 7 lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Post {
    /// The window, in millimetres from the page's top-left corner.
    #[serde(default)]
    pub window: Window,
    /// The font the address is set in (a family `layout.typ` can use).
    #[serde(default = "default_font")]
    pub font: String,
    /// The address's size in points.
    #[serde(default = "default_size")]
    pub size: f64,
    /// The smallest size, in points, the address may shrink to so a line fits.
    #[serde(default = "default_min_size")]
    pub min_size: f64,
    /// The fewest and most lines the address may have.
    #[serde(default = "default_lines")]
    pub lines: [usize; 2],
}

/// An envelope's window, in millimetres from the page's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// From the left edge to the window's left side.
    pub left: f64,
    /// From the left edge to the window's right side.
    pub right: f64,
    /// From the top edge to the window's top.
    pub top: f64,
    /// From the top edge to the window's bottom.
    pub bottom: f64,
}

impl Default for Window {
    fn default() -> Window {
        Window {
            left: 24.6,
            right: 120.0,
            top: 39.5,
            bottom: 66.3,
        }
    }
}

impl Default for Post {
    fn default() -> Post {
        Post {
            window: Window::default(),
            font: default_font(),
            size: default_size(),
            min_size: default_min_size(),
            lines: default_lines(),
        }
    }
}

fn default_font() -> String {
    "Libertinus Serif".to_owned()
}

fn default_size() -> f64 {
    11.0
}

fn default_min_size() -> f64 {
    8.0
}

fn default_lines() -> [usize; 2] {
    [3, 7]
}

impl Post {
    /// The width a line of the address may take, in millimetres: the window less
    /// the 1 mm `layout.typ` keeps clear on either side.
    pub fn line_width(&self) -> f64 {
        self.window.right - self.window.left - 2.0
    }
}

/// The logo is an SVG or PNG inside the folder, with alternative text; the envelope
/// window is a real rectangle and the address sizes are in order.
pub(super) fn check(dir: &Path, office: &Office, errors: &mut Vec<Diagnostic>) {
    let at = || Source::new(display(dir, "office.yaml"), "");
    if let Some(logo) = &office.logo {
        let file = Path::new(&logo.file);
        let image = file
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "svg" | "png"));
        let inside = file.is_relative()
            && file
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        let problem = if !image {
            Some("is not an SVG or PNG file")
        } else if !inside || !dir.join(file).is_file() {
            Some("is not a file in the templates folder")
        } else {
            None
        };
        if let Some(problem) = problem {
            errors.push(
                Diagnostic::error(
                    "logo",
                    format!("office.yaml: the logo `{}` {problem}", logo.file),
                )
                .in_file(&at())
                .note("name an .svg or .png file relative to the templates folder under `logo: file:`"),
            );
        }
        if logo.alt.trim().is_empty() {
            errors.push(
                Diagnostic::error("logo", "office.yaml: the logo has no alternative text")
                    .in_file(&at())
                    .note("`logo: alt:` says what a screen reader reads for it (PDF/UA-1 requires it), such as the office's name"),
            );
        }
    }
    let post = &office.post;
    let w = post.window;
    let window = w.left >= 0.0 && w.left < w.right && w.top >= 0.0 && w.top < w.bottom;
    let sizes = post.min_size > 0.0 && post.min_size <= post.size;
    let lines = 1 <= post.lines[0] && post.lines[0] <= post.lines[1];
    if !(window && sizes && lines) {
        errors.push(
            Diagnostic::error(
                "post",
                "office.yaml: `post:` does not describe a window an address fits in",
            )
            .in_file(&at())
            .note("the window's left is less than its right and its top less than its bottom (millimetres), 0 < min_size <= size (points), and lines is [fewest, most]"),
        );
    }
}
