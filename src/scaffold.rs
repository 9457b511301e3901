//! `casewright new`: a new case file to fill in, with every key the chosen kinds of
//! letter use.
//!
//! The scaffold is written from the case file's schema ([`crate::case::schema`]),
//! so it has the keys the loader reads, in the order they are declared, each with
//! its description as its comment: `new` and `schema` cannot disagree. A key the
//! officer must write is a placeholder (`<<YYYY-MM-DD>>`), which `check` reports
//! until it is replaced; an optional key is commented out, and uncommenting it (
//! deleting the `# ` after the indentation) gives valid YAML, placeholders and all.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::case::schema::{self, Keys, NEEDED_UNLESS, ORDER};
use crate::case::{LetterKind, MatterType, Reference, placeholder};
use crate::diag::Diagnostic;

/// The schema file `new` points a case file at, unless told otherwise: the one
/// `casewright schema --out case.schema.json` writes.
pub const SCHEMA_FILE: &str = "case.schema.json";

/// The column comments start at, where the key and value leave room.
const COMMENT_COLUMN: usize = 36;

/// What `new` was asked for.
#[derive(Debug, Clone)]
pub struct Request {
    /// One letter of each of these kinds, in this order.
    pub kinds: Vec<LetterKind>,
    /// What the case is about.
    pub matter: MatterType,
    /// The reference, if known; else a placeholder.
    pub reference: Option<Reference>,
    /// Where the first line points the YAML language server for the schema.
    pub schema: String,
}

/// The text of a new case file.
pub fn scaffold(request: &Request) -> String {
    let document = schema::document(&Keys::default());
    let mut writer = Writer {
        defs: document.get("$defs").cloned().unwrap_or(Value::Null),
        lines: Vec::new(),
        request,
    };
    writer.root(&document);
    let kinds: Vec<&str> = request.kinds.iter().map(|k| k.key()).collect();
    let mut text = format!(
        "# yaml-language-server: $schema={}\n\
         # A new case (`casewright new {}`). Write a value in place of each <<...>>,\n\
         # uncomment (delete the `# ` of) each optional key the case needs, then run\n\
         # `casewright check` on this file.\n",
        request.schema,
        kinds.join(" ")
    );
    for line in &writer.lines {
        text.push_str(&line.render());
        text.push('\n');
    }
    text
}

/// How many placeholders a scaffold leaves to fill (outside comments).
pub fn placeholders_to_fill(text: &str) -> usize {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(|line| line.split(" #").next().unwrap_or(line))
        .filter(|line| line.contains("<<"))
        .count()
}

/// One line of the scaffold.
struct Line {
    indent: usize,
    commented: bool,
    content: String,
    comment: Option<String>,
}

impl Line {
    fn render(&self) -> String {
        let mut text = " ".repeat(self.indent);
        if self.commented {
            text.push_str("# ");
        }
        text.push_str(&self.content);
        if let Some(comment) = &self.comment {
            let width = text.chars().count();
            let pad = COMMENT_COLUMN.saturating_sub(width).max(2);
            text.push_str(&" ".repeat(pad));
            text.push_str("# ");
            text.push_str(comment);
        }
        text
    }
}

struct Writer<'r> {
    defs: Value,
    lines: Vec<Line>,
    request: &'r Request,
}

impl Writer<'_> {
    /// The case file: its keys in order, the chosen matter where the first matter
    /// is declared and the others after it, commented out; then the letters.
    fn root(&mut self, document: &Value) {
        let matters: Vec<&str> = MatterType::ALL.iter().map(|m| m.key()).collect();
        let chosen = self.request.matter.key();
        let mut matters_written = false;
        for key in ordered_keys(document) {
            let property = &document["properties"][key.as_str()];
            if key == "reference" {
                let value = match &self.request.reference {
                    Some(reference) => yaml_string(reference.as_str()),
                    None => placeholder(&hint(&key, property, &self.defs)),
                };
                self.push(
                    0,
                    false,
                    format!("reference: {value}"),
                    description(property),
                );
            } else if key == "letters" {
                self.letters(property);
            } else if matters.contains(&key.as_str()) {
                if !matters_written {
                    matters_written = true;
                    self.field(chosen, &document["properties"][chosen], true, 0, false);
                    for other in matters.iter().filter(|m| **m != chosen) {
                        self.field(other, &document["properties"][*other], false, 0, false);
                    }
                }
            } else {
                let required = is_required(document, &key);
                self.field(&key, property, required, 0, false);
            }
        }
    }

    /// One letter of each kind asked for.
    fn letters(&mut self, property: &Value) {
        self.push(0, false, "letters:".into(), description(property));
        let kinds = self.request.kinds.clone();
        for kind in kinds {
            let Some(branch) = self.defs.get(kind.key()).cloned() else {
                continue;
            };
            let first = self.lines.len();
            self.object(&branch, 4, false, |key, property| {
                property
                    .get(NEEDED_UNLESS)
                    .and_then(Value::as_str)
                    .is_some_and(|matter| matter != self.request.matter.key())
                    || is_required(&branch, key)
            });
            if let Some(line) = self.lines.get_mut(first) {
                line.indent -= 2;
                line.content = format!("- {}", line.content);
            }
        }
    }

    /// The keys of an object, at `indent`, each required as `required` says.
    fn object(
        &mut self,
        object: &Value,
        indent: usize,
        commented: bool,
        required: impl Fn(&str, &Value) -> bool,
    ) {
        for key in ordered_keys(object) {
            let property = &object["properties"][key.as_str()];
            let needed = required(&key, property);
            self.field(&key, property, needed, indent, commented);
        }
    }

    /// One key: a map of keys, a list of one item, or a value.
    fn field(
        &mut self,
        key: &str,
        property: &Value,
        required: bool,
        indent: usize,
        commented: bool,
    ) {
        let commented = commented || !required;
        let comment = description(property);
        let resolved = resolve(property, &self.defs).clone();
        if resolved.get("properties").is_some() {
            self.push(indent, commented, format!("{key}:"), comment);
            self.object(&resolved, indent + 2, commented, |k, _| {
                is_required(&resolved, k)
            });
            return;
        }
        if let Some(items) = resolved.get("items") {
            let item = resolve(items, &self.defs).clone();
            self.push(indent, commented, format!("{key}:"), comment);
            let first = self.lines.len();
            if item.get("properties").is_some() {
                self.object(&item, indent + 4, commented, |k, _| is_required(&item, k));
            } else {
                let value = scalar(key, items, &self.defs);
                self.push(indent + 4, commented, value, None);
            }
            if let Some(line) = self.lines.get_mut(first) {
                line.indent -= 2;
                line.content = format!("- {}", line.content);
            }
            return;
        }
        let value = scalar(key, property, &self.defs);
        self.push(indent, commented, format!("{key}: {value}"), comment);
    }

    fn push(&mut self, indent: usize, commented: bool, content: String, comment: Option<String>) {
        self.lines.push(Line {
            indent,
            commented,
            content,
            comment,
        });
    }
}

/// A schema with its `$ref` followed and an option's `null` left out.
fn resolve<'v>(schema: &'v Value, defs: &'v Value) -> &'v Value {
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        return defs.get(name).map_or(schema, |def| resolve(def, defs));
    }
    if let Some(Value::Array(branches)) = schema.get("anyOf") {
        let not_null: Vec<&Value> = branches
            .iter()
            .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
            .collect();
        if let [only] = not_null.as_slice() {
            return resolve(only, defs);
        }
    }
    schema
}

/// An object's keys, in their declared order (any not listed after, sorted).
fn ordered_keys(object: &Value) -> Vec<String> {
    let mut keys: Vec<String> = object
        .get(ORDER)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|k| object["properties"].get(*k).is_some())
        .map(str::to_owned)
        .collect();
    let rest: Vec<String> = object["properties"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.keys())
        .filter(|k| !keys.contains(k))
        .cloned()
        .collect();
    keys.extend(rest);
    keys
}

fn is_required(object: &Value, key: &str) -> bool {
    object
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|k| k == key))
}

/// A description as one line of comment.
fn description(property: &Value) -> Option<String> {
    let text = property.get("description").and_then(Value::as_str)?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// What a placeholder asks for: the schema's hint, or the key in words.
fn hint(key: &str, property: &Value, defs: &Value) -> String {
    let resolved = resolve(property, defs);
    [property, resolved]
        .iter()
        .find_map(|s| s.get(schema::HINT).and_then(Value::as_str))
        .map_or_else(|| key.replace('_', " "), str::to_owned)
}

/// A value for a key: its fixed value, the first of its choices, `false` for a
/// flag, or a placeholder.
fn scalar(key: &str, property: &Value, defs: &Value) -> String {
    let resolved = resolve(property, defs);
    if let Some(fixed) = resolved.get("const").and_then(Value::as_str) {
        return fixed.to_owned();
    }
    let choices = resolved
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
        .or_else(|| {
            resolved
                .get("oneOf")
                .and_then(Value::as_array)
                .and_then(|o| o.first())
                .and_then(|b| b.get("const"))
        });
    if let Some(Value::String(first)) = choices {
        return first.clone();
    }
    if resolved.get("type") == Some(&Value::from("boolean")) {
        return property
            .get("default")
            .map_or("false".into(), |d| d.to_string());
    }
    placeholder(&hint(key, property, defs))
}

/// A string as a YAML value: as written when that reads back the same, else quoted.
fn yaml_string(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && text.parse::<f64>().is_err();
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// Where the schema is, as the first line of a case file written to `file` gives
/// it: the schema file in the folder `new` runs in, relative to the case file's
/// folder (the YAML language server reads it from there).
pub fn schema_path(file: Option<&Path>, cwd: &Path) -> String {
    let parent = file.and_then(Path::parent).unwrap_or(Path::new(""));
    let plain = parent
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if parent.is_absolute() || !plain {
        return cwd.join(SCHEMA_FILE).display().to_string();
    }
    let depth = parent
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    let mut path = "../".repeat(depth);
    path.push_str(SCHEMA_FILE);
    path
}

/// Writes a scaffold as asked to `out`, a path relative to `cwd` (standard output
/// when there is none); gives the exit code.
pub fn run(request: &Request, out: Option<PathBuf>, cwd: &Path) -> i32 {
    let text = scaffold(request);
    let Some(path) = out else {
        return if crate::output::print_or_report(text.as_bytes()) {
            0
        } else {
            1
        };
    };
    match crate::output::write_new(&cwd.join(&path), text.as_bytes()) {
        Ok(()) => {
            let count = placeholders_to_fill(&text);
            let line = format!(
                "written   {}: write its {count} placeholders, then `casewright check {}`\n",
                path.display(),
                path.display()
            );
            if crate::output::print_or_report(line.as_bytes()) {
                0
            } else {
                1
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            crate::diag::eprint(&[Diagnostic::error(
                "file-exists",
                format!(
                    "{} already exists: `casewright new` never overwrites a file",
                    path.display()
                ),
            )
            .note("give another --out or --reference, or move the file away first")]);
            1
        }
        Err(error) => {
            crate::diag::eprint(&[Diagnostic::error(
                "write-failed",
                format!("failed to write {} ({error})", path.display()),
            )]);
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kinds: &[LetterKind], matter: MatterType) -> Request {
        Request {
            kinds: kinds.to_vec(),
            matter,
            reference: None,
            schema: SCHEMA_FILE.into(),
        }
    }

    #[test]
    fn the_schema_path_is_relative_to_the_case_file() {
        let cwd = Path::new("/office");
        for (file, expected) in [
            (None, "case.schema.json"),
            (Some("IC-1.yaml"), "case.schema.json"),
            (Some("cases/IC-1.yaml"), "../case.schema.json"),
            (Some("./cases/2024/IC-1.yaml"), "../../case.schema.json"),
            (Some("../elsewhere/IC-1.yaml"), "/office/case.schema.json"),
            (Some("/tmp/IC-1.yaml"), "/office/case.schema.json"),
        ] {
            assert_eq!(schema_path(file.map(Path::new), cwd), expected, "{file:?}");
        }
    }

    #[test]
    fn uncommenting_gives_yaml_with_the_same_shape() {
        for matter in MatterType::ALL {
            let text = scaffold(&request(LetterKind::ALL, *matter));
            let uncommented: String = text
                .lines()
                .skip(4)
                .map(|line| {
                    let indent = line.len() - line.trim_start().len();
                    let rest = line.trim_start();
                    let rest = rest.strip_prefix("# ").unwrap_or(rest);
                    format!("{}{rest}\n", " ".repeat(indent))
                })
                .collect();
            let parsed: Result<serde_json::Value, _> = serde_saphyr::from_str(&uncommented);
            assert!(parsed.is_ok(), "{matter:?}: {parsed:?}\n{uncommented}");
        }
    }

    #[test]
    fn every_kind_and_matter_gives_its_keys() {
        let text = scaffold(&request(
            &[LetterKind::Acknowledgement, LetterKind::Reprimand],
            MatterType::Complaint,
        ));
        for needle in [
            "# yaml-language-server: $schema=case.schema.json\n",
            "\ncomplaint:",
            "\n# breach:",
            "\n# investigation:",
            "\n  - kind: acknowledgement",
            "\n  - kind: reprimand",
            "\n    date: <<YYYY-MM-DD>>",
            "\n    investigation: <<investigation>>",
            "\n      - <<provision key>>",
            "\n    # progress_update:",
        ] {
            assert!(text.contains(needle), "{needle:?} in\n{text}");
        }
        // After an investigation, its summary stands in for the reprimand's.
        let text = scaffold(&request(
            &[LetterKind::Reprimand],
            MatterType::Investigation,
        ));
        assert!(
            text.contains("\n    # investigation: <<investigation>>"),
            "{text}"
        );
    }
}
