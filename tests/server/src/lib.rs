//! Strata's generated DDL on a real PostgreSQL server. The tests live in `tests/it/`; this
//! library holds what they share:
//!
//! - [`catalog`]: reads a schema's tables, columns, constraints, indexes, enums, domains,
//!   sequences, partitions, triggers, functions and comments from the system catalogs, as plain
//!   data (meant to be reused by introspection), or every schema of a database at once;
//! - [`model_check`]: compares such a catalog with a Strata model, fact by fact;
//! - [`workspace_root`], [`load_seeds`], [`load_seed`] and [`load_fixture`] to find the schemas,
//!   and [`load_text`] for a schema written inline by a test.

pub mod catalog;
pub mod model_check;

use std::path::{Path, PathBuf};
use strata::Schema;

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("tests/server is two levels below the workspace root")
        .to_path_buf()
}

/// The seed databases under `schemas/`, loaded, in name order.
///
/// # Panics
///
/// If a seed does not load, with its diagnostics.
pub fn load_seeds() -> Vec<Schema> {
    let root = workspace_root();
    let locations = strata::load::discover(&root.join("schemas")).expect("schemas/ is readable");
    locations
        .iter()
        .map(|l| match strata::load::load_location(l, &root) {
            Ok(s) => s,
            Err(d) => panic!("seed {} does not load:\n{}", l.name, d.render(false)),
        })
        .collect()
}

/// One seed database by name.
///
/// # Panics
///
/// If it does not exist or does not load.
pub fn load_seed(name: &str) -> Schema {
    load_seeds()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no seed schema named {name}"))
}

/// A schema fixture from `tests/fixtures/<dir>/<name>.yaml`.
///
/// # Panics
///
/// If it does not load, with its diagnostics.
pub fn load_fixture(dir: &str, name: &str) -> Schema {
    let root = workspace_root();
    let location = strata::load::SchemaLocation {
        name: name.to_string(),
        path: root
            .join("tests/fixtures")
            .join(dir)
            .join(format!("{name}.yaml")),
    };
    strata::load::load_location(&location, &root)
        .unwrap_or_else(|d| panic!("fixture {dir}/{name} does not load:\n{}", d.render(false)))
}

/// Loads a schema written inline by a test, as `schemas/shop.yaml` (database `shop`).
///
/// # Panics
///
/// If it does not load, with its diagnostics.
pub fn load_text(text: &str) -> Schema {
    strata::load::load_sources(
        "shop",
        false,
        vec![strata::load::SourceText {
            path: "schemas/shop.yaml".into(),
            text: text.into(),
        }],
    )
    .unwrap_or_else(|d| panic!("{}", d.render(false)))
}
