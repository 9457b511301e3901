//! The dependency rule of ARCHITECTURE.md, checked on the source: each stage of
//! the pipeline imports only the stages before it.

use std::path::Path;

use crate::support::root;

/// The stages, each after everything it may import.
const STAGES: [&str; 12] = [
    "english", "escape", "diag", "case", "derive", "render", "convert", "typeset", "output",
    "pipeline", "batch", "cli",
];

/// The modules of casewright a source file names (`crate::derive`), leaving out
/// comments and its tests.
fn imports(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = Vec::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or_default();
        for (i, _) in line.match_indices("crate::") {
            let name: String = line[i + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

/// The source files of a stage: `src/<stage>.rs` and everything under
/// `src/<stage>/`, but its test files.
fn files_of(stage: &str) -> Vec<std::path::PathBuf> {
    let src = root().join("src");
    let mut files = vec![src.join(format!("{stage}.rs"))];
    let folder = src.join(stage);
    if folder.is_dir() {
        for entry in walkdir::WalkDir::new(&folder) {
            let path = entry.expect("walk").into_path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
        .into_iter()
        .filter(|p| p.is_file() && !p.ends_with("tests.rs"))
        .collect()
}

#[test]
fn each_stage_imports_only_the_stages_before_it() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (at, stage) in STAGES.iter().enumerate() {
        for file in files_of(stage) {
            checked += 1;
            let text = std::fs::read_to_string(&file).expect("a source file");
            for name in imports(&text) {
                let later = STAGES[at + 1..].contains(&name.as_str());
                if later {
                    let file = file.strip_prefix(root()).unwrap_or(Path::new("?"));
                    wrong.push(format!("{}: imports `{name}`", file.display()));
                }
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(checked > 40, "{checked} files checked");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn an_import_of_a_later_stage_is_found() {
    let text = "use crate::case::Case;\n// crate::batch in a comment\nfn f() { crate::derive::facts(); }\n#[cfg(test)]\nmod tests { use crate::cli; }\n";
    assert_eq!(imports(text), ["case", "derive"]);
}
