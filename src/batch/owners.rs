//! Which case file owns each output folder.
//!
//! Two case files that give one output folder (a copied case whose reference was
//! not changed, or `INV/0864/2021` beside `INV-0864-2021`) would overwrite each
//! other's letters, the winner changing from run to run. So before anything is
//! written every case is loaded once to learn its folder, and a folder claimed by
//! two case files is an error at the `reference` of each, naming the other; neither
//! case's letters are written, and nothing is tidied away. Folders are compared
//! without regard to case, as they would clash on a case-insensitive disk (where
//! the committed `output/` may well be checked out).
//!
//! The manifest says which case file wrote each letter, so a case rendered on its
//! own is checked against the case files of earlier runs too.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::Workers;
use super::collect::{path_key, read_case};
use crate::Engine;
use crate::diag::{Diagnostic, Source};
use crate::output::manifest::Manifest;

/// The output folder of each case file, and the clashes found.
pub(super) struct Owners {
    /// The folder each case file writes (by [`path_key`]); absent for a case that
    /// does not load (its errors are reported when it is processed) or clashes.
    pub folders: BTreeMap<String, String>,
    /// The case files of the batch that clash with another (by [`path_key`]).
    pub clashing: BTreeSet<String>,
    /// One error for each case file of a clash.
    pub clashes: Vec<Diagnostic>,
}

/// Where a loaded case writes, and where its reference stands in the file.
struct Claim {
    folder: String,
    span: Range<usize>,
}

/// Loads every case to learn its folder, and finds the clashes: within the batch,
/// and with case files the manifest names that are not in the batch.
pub(super) fn find(
    engine: &Engine,
    files: &[PathBuf],
    manifest: &Manifest,
    workers: &Workers,
) -> Owners {
    let claims = workers.map(files, |file| claim(engine, file));
    let mut by_folder: BTreeMap<String, Vec<(PathBuf, Claim)>> = BTreeMap::new();
    for (file, claim) in files.iter().zip(claims) {
        if let Some(claim) = claim {
            by_folder
                .entry(claim.folder.to_lowercase())
                .or_default()
                .push((file.clone(), claim));
        }
    }
    add_earlier_writers(engine, files, manifest, &mut by_folder);

    let mut owners = Owners {
        folders: BTreeMap::new(),
        clashing: BTreeSet::new(),
        clashes: Vec::new(),
    };
    for claimants in by_folder.into_values() {
        if let [(file, claim)] = claimants.as_slice() {
            owners.folders.insert(path_key(file), claim.folder.clone());
            continue;
        }
        for (index, (file, claim)) in claimants.iter().enumerate() {
            let in_batch = files.binary_search(file).is_ok();
            if in_batch {
                let others: Vec<&PathBuf> = claimants
                    .iter()
                    .enumerate()
                    .filter(|&(other, _)| other != index)
                    .map(|(_, (file, _))| file)
                    .collect();
                owners.clashing.insert(path_key(file));
                owners.clashes.push(clash(file, claim, &others));
            }
        }
    }
    owners
}

/// Loads a case for its folder; `None` if it does not load.
fn claim(engine: &Engine, file: &Path) -> Option<Claim> {
    let bytes = read_case(file).ok()?;
    let case = engine.load(&file.display().to_string(), &bytes).ok()?;
    Some(Claim {
        folder: case.reference.folder(),
        span: case.reference_span.clone(),
    })
}

/// Adds to the claimants of each folder the case files that wrote letters there in
/// earlier runs, are not in this batch, still exist and still give that folder.
fn add_earlier_writers(
    engine: &Engine,
    files: &[PathBuf],
    manifest: &Manifest,
    by_folder: &mut BTreeMap<String, Vec<(PathBuf, Claim)>>,
) {
    let in_batch: BTreeSet<String> = files.iter().map(|f| path_key(f)).collect();
    let mut earlier: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (stem, entry) in &manifest.entries {
        let (Some(folder), Some(case)) = (stem.split('/').next(), entry.case.as_deref()) else {
            continue;
        };
        if !in_batch.contains(case) {
            earlier
                .entry(folder.to_lowercase())
                .or_default()
                .insert(case);
        }
    }
    for (folder, claimants) in by_folder.iter_mut() {
        for case in earlier.get(folder).into_iter().flatten() {
            let file = PathBuf::from(case);
            if let Some(claim) = claim(engine, &file)
                && claim.folder.to_lowercase() == *folder
            {
                claimants.push((file, claim));
            }
        }
    }
}

/// The error for one case file of a clash, at its `reference`.
fn clash(file: &Path, claim: &Claim, others: &[&PathBuf]) -> Diagnostic {
    let name = file.display().to_string();
    let others: Vec<String> = others.iter().map(|o| o.display().to_string()).collect();
    let message = format!(
        "{name} and {} write the same output folder {}",
        others.join(" and "),
        claim.folder
    );
    let diagnostic = Diagnostic::error("reference-clash", message)
        .note("each case needs its own reference: a copied case keeps the reference it was copied from")
        .note("references that differ only in `/` and `-` or in capitals share a folder")
        .note("neither case's letters are written until one of them is changed");
    match read_case(file)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
    {
        Some(text) => diagnostic.at(
            &Source::new(name.as_str(), text),
            claim.span.clone(),
            "this reference gives the same folder",
        ),
        None => diagnostic.in_file(&Source::new(name.as_str(), "")),
    }
}
