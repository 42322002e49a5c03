//! Every broken schema under tests/fixtures/errors is refused, and its rendered errors (with
//! file:line:col and a source line with a caret) are pinned by one snapshot per file.

use std::path::{Path, PathBuf};
use strata::load::{SchemaLocation, load_location};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

fn fixtures() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/fixtures/errors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/errors exists")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

fn load_errors(path: &Path) -> strata::Diagnostics {
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("utf-8 name")
        .to_string();
    let loc = SchemaLocation {
        name,
        path: path.to_path_buf(),
    };
    match load_location(&loc, &repo_root()) {
        Ok(_) => panic!("{} loaded, but it is a broken fixture", path.display()),
        Err(d) => d,
    }
}

#[test]
fn every_broken_fixture_is_refused_with_located_errors() {
    let files = fixtures();
    assert!(
        files.len() >= 25,
        "at least 25 broken fixtures, found {}",
        files.len()
    );
    let mut codes = std::collections::BTreeSet::new();
    for path in &files {
        let diags = load_errors(path);
        assert!(!diags.items.is_empty());
        let rel = path
            .strip_prefix(repo_root())
            .expect("inside repo")
            .to_string_lossy()
            .into_owned();
        for d in &diags.items {
            assert!(
                d.loc.line >= 1 && d.loc.col >= 1,
                "{rel}: error without a position: {d:?}"
            );
            codes.insert(format!("{}:{}", d.code.as_str(), d.message));
        }
        let short = diags.to_short_string();
        assert!(short.starts_with(&format!("{rel}:")), "{short}");
        let name = path.file_stem().and_then(|s| s.to_str()).expect("name");
        insta::assert_snapshot!(format!("error__{name}"), diags.render(false));
    }
    assert!(
        codes.len() >= 25,
        "at least 25 distinct errors, found {}",
        codes.len()
    );
}

#[test]
fn all_errors_of_a_file_are_reported_in_one_run() {
    let diags = load_errors(&repo_root().join("tests/fixtures/errors/many_errors_at_once.yaml"));
    assert_eq!(diags.items.len(), 4, "{}", diags.to_short_string());
}

#[test]
fn a_folder_schema_reports_conflicts_across_files() {
    let dir = repo_root().join("tests/fixtures/folder_conflict");
    let loc = SchemaLocation {
        name: "folder_conflict".into(),
        path: dir,
    };
    let diags = load_location(&loc, &repo_root()).expect_err("conflicting folder");
    insta::assert_snapshot!("error__folder_conflict", diags.render(false));
}
