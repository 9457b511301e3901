//! Writing case files: `casewright schema`, checked with an independent validator
//! (the `jsonschema` crate) against every sample case and every bad case, and
//! `casewright new`, whose scaffold `check` refuses until it is filled.

use std::fs;

use serde_json::Value;

use crate::support::{root, run, text, workspace};

/// The bad cases a schema cannot express, and why: `check` finds them from more
/// than one value, from the calendar or the law, or from the templates' layout.
const NOT_EXPRESSED: [(&str, &str); 39] = [
    (
        "decision-progress-mark.yaml",
        "a decision's recommendations are read as a reprimand's, marks and all; the checks refuse the mark",
    ),
    ("discovered-before-occurred.yaml", "the order of two dates"),
    (
        "duplicate-acknowledgement.yaml",
        "two letters of one kind and date: a relation between items",
    ),
    (
        "duplicate-letter.yaml",
        "two letters of one kind and date: a relation between items",
    ),
    (
        "extension-before-deadline.yaml",
        "an extension's date against the deadline worked out from the letter's date",
    ),
    (
        "impossible-datetime.yaml",
        "a time's day of the calendar: the pattern checks its shape",
    ),
    (
        "investigation-period-backwards.yaml",
        "the order of two dates",
    ),
    (
        "letter-before-report.yaml",
        "the order of a letter's date and the report's",
    ),
    (
        "letters-out-of-order.yaml",
        "the order of the letters' dates",
    ),
    (
        "link-javascript.yaml",
        "a link's target in Markdown, which needs a Markdown parser",
    ),
    (
        "markdown-too-deep.yaml",
        "how deeply Markdown nests, which needs a Markdown parser",
    ),
    (
        "notice-of-no-reprimand.yaml",
        "a date that must be an earlier reprimand's: a relation between items",
    ),
    (
        "publication-before-letter.yaml",
        "the order of a publication's date and its letter's",
    ),
    (
        "publication-withheld-field-empty.yaml",
        "a field named by path that the case leaves out: a relation between items",
    ),
    (
        "publication-withheld-in-redaction-word.yaml",
        "a string against the replacement word in the templates",
    ),
    (
        "publication-withheld-survives.yaml",
        "what the typeset PDF shows, which only typesetting tells",
    ),
    (
        "publication-withheld-too-short.yaml",
        "letters and digits counted after Unicode folding",
    ),
    (
        "office-value-not-in-force.yaml",
        "a letter's date against the versions of office.yaml, which the templates give",
    ),
    (
        "paragraph-not-in-force.yaml",
        "a letter's date against a paragraph's dated variants, which the templates give",
    ),
    (
        "post-address-line-too-long.yaml",
        "the envelope window's width, measured with the layout's font",
    ),
    (
        "post-address-postcode-not-last.yaml",
        "a posted letter's address, from the delivery of a letter",
    ),
    (
        "post-address-too-many-lines.yaml",
        "a posted letter's address, from the delivery of a letter and the window in the templates",
    ),
    (
        "received-before-letter.yaml",
        "the order of an update's arrival and its letter's date",
    ),
    (
        "reminder-before-deadline.yaml",
        "a reminder's date against the deadline it chases, worked out from another letter",
    ),
    (
        "reminder-before-extended-deadline.yaml",
        "a reminder's date against another letter's extension",
    ),
    (
        "reminder-chases-unknown-letter.yaml",
        "a date that must be another letter's: a relation between items",
    ),
    (
        "reminder-for-received-update.yaml",
        "whether another letter's update has arrived: a relation between items",
    ),
    (
        "reminder-which-update.yaml",
        "how many other letters ask for an update: a relation between items",
    ),
    (
        "reminder-without-reprimand.yaml",
        "an earlier letter asking for an update: a relation between items",
    ),
    ("reported-before-discovered.yaml", "the order of two times"),
    (
        "reprimand-all-dpa1998.yaml",
        "the law in force on the incidents' dates",
    ),
    (
        "reprimand-deadline-past-holiday-data.yaml",
        "a deadline worked out with the bank holidays",
    ),
    (
        "reprimand-mark-without-update.yaml",
        "a mark on a recommendation that needs the letter's progress_update",
    ),
    (
        "reprimand-update-without-recommendations.yaml",
        "a progress update that needs the letter's recommendations",
    ),
    (
        "reprimand-part3-in-general-case.yaml",
        "the regime of a provision, from the processing and the dates",
    ),
    (
        "reprimand-provision-wrong-regime.yaml",
        "the regime of a provision, from the dates",
    ),
    (
        "reprimand-uk-gdpr-in-law-enforcement-case.yaml",
        "the regime of a provision, from the processing",
    ),
    (
        "time-in-autumn-repeat.yaml",
        "the clock changes of the office's time zone",
    ),
    (
        "time-in-spring-gap.yaml",
        "the clock changes of the office's time zone",
    ),
];

/// The bad cases whose text is not a YAML document to validate at all: the YAML
/// parser refuses them first.
const NOT_A_DOCUMENT: [&str; 9] = [
    "duplicate-key.yaml",
    "list-expected-got-map.yaml",
    "not-utf8.yaml",
    "yaml-alias-bomb.yaml",
    "yaml-bad-indentation.yaml",
    "yaml-multiple-documents.yaml",
    "yaml-tab-indent.yaml",
    "yaml-unclosed-quote.yaml",
    "yaml-deep-nesting.yaml",
];

/// The schema `casewright schema` prints for the real templates.
fn printed_schema() -> Value {
    let output = run(&root(), &["schema"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    serde_json::from_slice(&output.stdout).expect("the schema is JSON")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema is a valid draft 2020-12 schema")
}

/// A YAML case file as JSON, as an editor's YAML language server sees it: YAML
/// 1.2, where `yes` is text, as it is to casewright.
fn as_json(yaml: &str) -> Result<Value, String> {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options::<Value>(yaml, options).map_err(|e| e.to_string())
}

/// The schema's errors for an instance, as `path: message` lines.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_schema_is_draft_2020_12_and_describes_every_key() {
    let schema = printed_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::draft202012::meta::validate(&schema).expect("valid against the meta-schema");
    // Every property of every object has a description, and no object takes a key
    // the loader would refuse.
    fn walk(value: &Value, path: &str, missing: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if map.contains_key("if") {
                    // A rule's conditions, not an object's definition.
                    return;
                }
                if let Some(Value::Object(properties)) = map.get("properties") {
                    let closed = map.get("additionalProperties") == Some(&Value::Bool(false));
                    if !closed {
                        missing.push(format!("{path}: not closed"));
                    }
                    for (key, property) in properties {
                        if property.get("description").is_none() {
                            missing.push(format!("{path}/{key}: no description"));
                        }
                    }
                }
                for (key, child) in map {
                    walk(child, &format!("{path}/{key}"), missing);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}/{i}"), missing);
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    walk(&schema, "", &mut missing);
    assert!(missing.is_empty(), "{missing:#?}");
    // Casewright's own annotations are not printed.
    let printed = schema.to_string();
    assert!(!printed.contains("x-casewright"), "{printed}");
    // The kinds, and the templates' keys with their titles.
    let kinds: Vec<&str> = schema["$defs"]["Letter"]["oneOf"]
        .as_array()
        .expect("a letter is one of the kinds")
        .iter()
        .filter_map(|r| r["$ref"].as_str())
        .collect();
    assert_eq!(
        kinds.len(),
        casewright::case::LetterKind::ALL.len(),
        "{kinds:?}"
    );
    let provisions = schema["$defs"]["provision"]["oneOf"]
        .as_array()
        .expect("provisions");
    assert!(provisions.len() >= 100, "{}", provisions.len());
    assert!(
        provisions
            .iter()
            .any(|p| p["const"] == "uk-gdpr-art5-1-f"
                && p["title"] == "Article 5(1)(f) of the UK GDPR"),
        "{provisions:?}"
    );
    let categories = schema["$defs"]["category"]["oneOf"]
        .as_array()
        .expect("categories");
    assert!(
        categories
            .iter()
            .any(|c| c["const"] == "health" && c["title"] == "health data"),
        "{categories:?}"
    );
    let breach = &schema["$defs"]["Breach"]["properties"];
    assert_eq!(breach["occurred"]["format"], "date");
    assert!(breach["reported"]["pattern"].is_string());
}

#[test]
fn every_sample_case_validates_against_the_schema() {
    let schema = printed_schema();
    let validator = validator(&schema);
    let mut failures = Vec::new();
    let cases = crate::support::sample_cases();
    for file in &cases {
        let yaml = fs::read_to_string(file).expect("sample case");
        let instance = as_json(&yaml).expect("a sample case is YAML");
        let found = errors(&validator, &instance);
        if !found.is_empty() {
            failures.push(format!("{}:\n  {}", file.display(), found.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_bad_case_a_schema_can_express_fails_it() {
    let schema = printed_schema();
    let validator = validator(&schema);
    let folder = root().join("tests/bad-cases");
    let mut files: Vec<_> = fs::read_dir(&folder)
        .expect("bad cases")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    files.sort();
    let not_expressed: Vec<&str> = NOT_EXPRESSED.iter().map(|(name, _)| *name).collect();
    let mut problems = Vec::new();
    let mut failed = 0;
    for name in &files {
        let bytes = fs::read(folder.join(name)).expect("bad case");
        let instance = std::str::from_utf8(&bytes)
            .map_err(|e| e.to_string())
            .and_then(as_json);
        let instance = match instance {
            Ok(instance) => instance,
            Err(_) if NOT_A_DOCUMENT.contains(&name.as_str()) => continue,
            Err(error) => {
                problems.push(format!(
                    "{name}: not YAML ({error}), but not listed as such"
                ));
                continue;
            }
        };
        if NOT_A_DOCUMENT.contains(&name.as_str()) {
            problems.push(format!("{name}: listed as no document, but it reads"));
        }
        let valid = validator.is_valid(&instance);
        match (not_expressed.contains(&name.as_str()), valid) {
            (false, true) => problems.push(format!("{name}: the schema accepts it")),
            (true, false) => problems.push(format!(
                "{name}: listed as not expressed, but the schema refuses it: {:?}",
                errors(&validator, &instance)
            )),
            (false, false) => failed += 1,
            (true, true) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(failed >= 40, "{failed} bad cases fail the schema");
}

/// The lines of a scaffold, matched against a filled copy: each placeholder may be
/// any value, and a commented-out key may be uncommented; every other line is the
/// same.
fn is_filled_from(scaffold: &str, filled: &str) -> Result<(), String> {
    let (scaffold, filled): (Vec<&str>, Vec<&str>) =
        (scaffold.lines().collect(), filled.lines().collect());
    if scaffold.len() != filled.len() {
        return Err(format!(
            "{} lines, the scaffold has {}",
            filled.len(),
            scaffold.len()
        ));
    }
    // The space before a comment moves as values are written.
    let words = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
    for (number, (template, line)) in scaffold.iter().zip(&filled).enumerate() {
        let indent = |line: &str| line.len() - line.trim_start().len();
        let uncommented = uncomment(template);
        let same_indent = indent(line) == indent(template) || indent(line) == indent(&uncommented);
        let (template, uncommented, line) = (words(template), words(&uncommented), words(line));
        if !same_indent {
            return Err(format!("line {}: indented differently", number + 1));
        }
        if template == line || uncommented == line {
            continue;
        }
        let line = line.as_str();
        let matches = |template: &str| {
            let parts: Vec<&str> = template.split("<<").flat_map(|p| p.split(">>")).collect();
            // Fixed text at even positions, placeholders at odd ones.
            let mut rest = line;
            for (i, part) in parts.iter().enumerate() {
                if i % 2 == 1 {
                    continue;
                }
                if i == 0 {
                    let Some(after) = rest.strip_prefix(part) else {
                        return false;
                    };
                    rest = after;
                } else if i == parts.len() - 1 {
                    if !rest.ends_with(part) || rest.len() <= part.len() {
                        return false;
                    }
                } else {
                    let Some(at) = rest.find(part) else {
                        return false;
                    };
                    rest = &rest[at + part.len()..];
                }
            }
            template.contains("<<")
        };
        if !(matches(&template) || matches(&uncommented)) {
            return Err(format!(
                "line {}: {line:?} is not {template:?} filled",
                number + 1
            ));
        }
    }
    Ok(())
}

/// A scaffold line with its `# ` after the indentation taken out.
fn uncomment(line: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    match line.trim_start().strip_prefix("# ") {
        Some(rest) => format!("{}{rest}", &line[..indent]),
        None => line.to_owned(),
    }
}

#[test]
fn new_writes_a_scaffold_that_check_refuses_until_it_is_filled() {
    let dir = workspace(&[]);
    let output = run(
        dir.path(),
        &[
            "new",
            "acknowledgement",
            "decision",
            "reprimand",
            "--reference",
            "IC-1-NEW",
        ],
    );
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let written = dir.path().join("IC-1-NEW.yaml");
    let scaffold = fs::read_to_string(&written).expect("the scaffold is written");
    let count = casewright::scaffold::placeholders_to_fill(&scaffold);
    assert_eq!(
        stdout,
        format!(
            "written   IC-1-NEW.yaml: write its {count} placeholders, then `casewright check IC-1-NEW.yaml`\n"
        )
    );
    assert!(
        scaffold.starts_with("# yaml-language-server: $schema=case.schema.json\n"),
        "{scaffold}"
    );
    assert!(scaffold.contains("\nreference: IC-1-NEW"), "{scaffold}");

    // Every placeholder is an error at its place; nothing else is.
    let output = run(dir.path(), &["check", "IC-1-NEW.yaml"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let codes: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error["))
        .filter_map(|l| l.split(']').next())
        .collect();
    assert_eq!(codes.len(), count, "{stderr}");
    assert!(codes.iter().all(|c| *c == "placeholder"), "{stderr}");
    assert!(stderr.contains("still the placeholder from `casewright new`"));
    let mut located = 0;
    for (number, line) in scaffold.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        if line.trim_start().starts_with('#') || !code.contains("<<") {
            continue;
        }
        let column = line.find("<<").expect("a placeholder") + 1;
        let at = format!("IC-1-NEW.yaml:{}:{column}", number + 1);
        assert!(stderr.contains(&at), "no error at {at}:\n{stderr}");
        located += 1;
    }
    assert_eq!(located, count);

    // Filled in (the fixture is this scaffold with every placeholder written), it
    // passes.
    let filled = fs::read_to_string(root().join("tests/scaffold/IC-1-NEW.yaml")).expect("fixture");
    if let Err(why) = is_filled_from(&scaffold, &filled) {
        panic!("tests/scaffold/IC-1-NEW.yaml is not this scaffold filled in: {why}\n{scaffold}");
    }
    fs::write(dir.path().join("filled.yaml"), &filled).expect("write");
    let output = run(dir.path(), &["check", "filled.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));

    // It is never written over.
    let output = run(dir.path(), &["new", "decision", "--out", "IC-1-NEW.yaml"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("error[file-exists]: IC-1-NEW.yaml already exists"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&written).expect("kept"), scaffold);
}

/// A valid value for a placeholder, by what it asks for.
fn sample(placeholder: &str, schema: &Value) -> Value {
    let first_key = |list: &str| schema["$defs"][list]["oneOf"][0]["const"].clone();
    match placeholder {
        "<<YYYY-MM-DD>>" => "2023-03-06".into(),
        "<<YYYY-MM-DDTHH:MM>>" => "2023-03-03T09:00".into(),
        "<<email address>>" => "dpo@example.org".into(),
        "<<N days, weeks or months>>" => "3 months".into(),
        "<<provision key>>" => first_key("provision"),
        "<<category key>>" => first_key("category"),
        "<<paragraph key>>" => first_key("paragraph"),
        "<<attachment key>>" => first_key("attachment"),
        _ => "Text".into(),
    }
}

/// The instance with every placeholder replaced by a valid value.
fn filled_in(value: &mut Value, schema: &Value) -> usize {
    match value {
        Value::String(text) if casewright::case::is_placeholder(text) => {
            *value = sample(text, schema);
            1
        }
        Value::Array(items) => items.iter_mut().map(|v| filled_in(v, schema)).sum(),
        Value::Object(map) => map.values_mut().map(|v| filled_in(v, schema)).sum(),
        _ => 0,
    }
}

#[test]
fn the_scaffold_is_valid_against_the_schema_but_for_its_placeholders() {
    let schema = printed_schema();
    let validator = validator(&schema);
    let dir = tempfile::tempdir().expect("tempdir");
    for (kinds, matter) in [
        (&["acknowledgement", "decision"][..], "breach"),
        (&["reprimand"][..], "investigation"),
        (&["acknowledgement", "reprimand"][..], "complaint"),
    ] {
        let mut args = vec!["new"];
        args.extend(kinds);
        args.extend(["--matter", matter]);
        let output = run(dir.path(), &args);
        let (scaffold, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        let mut instance = as_json(&scaffold).expect("a scaffold is YAML");
        assert!(
            !validator.is_valid(&instance),
            "placeholders are not values"
        );
        let placeholders = filled_in(&mut instance, &schema);
        assert_eq!(
            placeholders,
            casewright::scaffold::placeholders_to_fill(&scaffold)
        );
        let found = errors(&validator, &instance);
        assert!(
            found.is_empty(),
            "{kinds:?} {matter}: {found:#?}\n{scaffold}"
        );
    }
    assert!(
        fs::read_dir(dir.path()).expect("dir").next().is_none(),
        "without --reference or --out, new prints and writes nothing"
    );
}

#[test]
fn the_committed_schema_is_current_and_schema_out_leaves_it_alone() {
    let committed = fs::read_to_string(root().join("case.schema.json")).expect("case.schema.json");
    let output = run(&root(), &["schema"]);
    assert!(
        String::from_utf8_lossy(&output.stdout) == committed,
        "case.schema.json is stale: run `cargo run -- schema --out case.schema.json`"
    );
    let dir = workspace(&[]);
    let out = dir.path().join("case.schema.json");
    for expected in [
        "written   case.schema.json\n",
        "unchanged case.schema.json\n",
    ] {
        let output = run(dir.path(), &["schema", "--out", "case.schema.json"]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        assert_eq!(stdout, expected);
    }
    assert_eq!(fs::read_to_string(&out).expect("written"), committed);
}

#[test]
fn new_and_schema_refuse_what_they_cannot_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (args, code, words) in [
        (&["new"][..], 2, "<KIND>"),
        (&["new", "memo"][..], 2, "invalid value 'memo'"),
        (
            &["new", "decision", "--reference", "../x"][..],
            2,
            "a reference starts with a letter or digit",
        ),
        (&["new", "decision", "--matter", "audit"][..], 2, "audit"),
        (&["schema"][..], 2, "no `letter-templates/` here"),
    ] {
        let output = run(dir.path(), args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(words), "{args:?}: {stderr}");
    }
    assert!(fs::read_dir(dir.path()).expect("dir").next().is_none());
}
