//! Replays the fuzz corpus (and every sample and bad case as a seed) through the
//! loader and the converters on the stable toolchain: none may panic, loader errors
//! must point inside the file and stay short however long the input, and the Typst
//! output must always parse. The bounds are the fuzz targets' own.

use std::path::Path;

use casewright::convert::{to_html, to_text, to_typst};
use casewright::escape;

use crate::support::{engine, root};

fn files_in(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

#[test]
fn the_loader_corpus_replays_cleanly() {
    let engine = engine();
    let mut count = 0;
    for folder in ["fuzz/corpus/load_case", "cases", "tests/bad-cases"] {
        for file in files_in(&root().join(folder)) {
            let bytes = std::fs::read(&file).expect("corpus file");
            if let Err(diagnostics) = engine.load("corpus.yaml", &bytes) {
                assert!(!diagnostics.is_empty(), "{}", file.display());
                for diagnostic in diagnostics {
                    let len = diagnostic.source.as_ref().map_or(0, |s| s.text.len());
                    assert!(
                        diagnostic.span.end <= len,
                        "{}: {diagnostic}",
                        file.display()
                    );
                    // Short, whatever the input; a note may list the keys of a
                    // template file (a few dozen), a line each of wrapped text.
                    assert!(diagnostic.message.len() <= 512, "{}", file.display());
                    for said in &diagnostic.notes {
                        assert!(said.len() <= 1024, "{}: {said}", file.display());
                        assert!(said.lines().all(|l| l.len() <= 512), "{}", file.display());
                    }
                    let rendered = diagnostic.render(false);
                    assert!(rendered.len() <= 4096, "{}: {rendered}", file.display());
                }
            }
            count += 1;
        }
    }
    assert!(count > 80, "{count} inputs replayed");
}

#[test]
fn the_converter_corpus_replays_cleanly() {
    let mut inputs: Vec<String> = files_in(&root().join("fuzz/corpus/convert"))
        .iter()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).expect("corpus file")).into_owned())
        .collect();
    inputs.extend(
        files_in(&root().join("tests/golden"))
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "md"))
            .map(|f| std::fs::read_to_string(f).expect("golden")),
    );
    assert!(inputs.len() > 20);
    for input in &inputs {
        for markdown in [input.clone(), escape::markdown(input)] {
            let typst = to_typst(&markdown);
            let (errors, _) = typst::syntax::parse(&typst).errors_and_warnings();
            assert!(errors.is_empty(), "{markdown:?} → {typst:?}: {errors:?}");
            let _ = to_html(&markdown);
            let _ = to_text(&markdown, 72);
        }
    }
}
