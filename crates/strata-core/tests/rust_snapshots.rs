//! The Rust module of every seed database, one named snapshot each
//! (`snapshots/rust_snapshots__<db>.snap`). The same text is checked in as
//! `generated/src/<db>.rs`, compiled with warnings denied (`cargo clippy -p strata-models
//! --all-features -- -D warnings`) and exercised on a real server by `tests/downstream`.

use std::path::Path;
use strata::render::rust::{Postgres, Settings, render_module, try_render_module};

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .expect("crates/strata-core is two levels deep")
}

fn load(location: &strata::load::SchemaLocation) -> strata::Schema {
    match strata::load::load_location(location, workspace_root()) {
        Ok(s) => s,
        Err(d) => panic!("{} does not load:\n{}", location.name, d.render(false)),
    }
}

fn seeds() -> Vec<strata::Schema> {
    let locations =
        strata::load::discover(&workspace_root().join("schemas")).expect("schemas/ is readable");
    assert!(
        locations.len() >= 5,
        "expected the five seed databases, found {}",
        locations.len()
    );
    locations.iter().map(load).collect()
}

#[test]
fn seed_modules() {
    for schema in seeds() {
        // That the bytes do not depend on the process is tests/determinism.rs's job.
        let text = render_module(&schema);
        insta::assert_snapshot!(schema.name.as_str(), text);
    }
}

/// The lib.rs of the models crate.
#[test]
fn models_lib() {
    insta::assert_snapshot!("lib", strata::render::rust::render_lib(&seeds()));
}

/// Every setting gives code that parses (the formatter would report it otherwise), for the
/// seeds, the hostile fixture (reserved words, quotes, Unicode, identity columns, intervals,
/// numerics, enum arrays, composite keys, cycles) and `tests/downstream/schemas/edge.yaml`
/// (every type, nullable columns with defaults, recursive JSON).
#[test]
fn every_setting_parses() {
    let mut schemas = seeds();
    schemas.push(load(&strata::load::SchemaLocation {
        name: "hostile".into(),
        path: workspace_root().join("tests/fixtures/hostile/hostile.yaml"),
    }));
    schemas.push(load(&strata::load::SchemaLocation {
        name: "edge".into(),
        path: workspace_root().join("tests/downstream/schemas/edge.yaml"),
    }));
    schemas.push(load(&strata::load::SchemaLocation {
        name: "models".into(),
        path: workspace_root().join("tests/downstream/schemas/models.yaml"),
    }));
    let settings = [
        Settings::default(),
        Settings::default().postgres(Postgres::Always),
        Settings::default().postgres(Postgres::Never),
        Settings::default().postgres(Postgres::Feature("pg".into())),
        Settings::default().runtime_path(syn::parse_quote!(crate::rt)),
    ];
    for schema in &schemas {
        for s in &settings {
            if let Err(e) = try_render_module(schema, s) {
                panic!("{} with {s:?}: {e}", schema.name);
            }
        }
    }
}

/// The hostile fixture's module, pinned: the names the generator had to map.
#[test]
fn hostile_module() {
    let schema = load(&strata::load::SchemaLocation {
        name: "hostile".into(),
        path: workspace_root().join("tests/fixtures/hostile/hostile.yaml"),
    });
    insta::assert_snapshot!("hostile", render_module(&schema));
}

/// `tests/downstream/schemas/models.yaml`'s module, pinned: `New…` constructors and setters,
/// a deletion time as the soft-delete flag, pages on secondary indexes, many-to-many lists,
/// and the casts of the statements built at run time for a `tsvector` and a domain. The
/// downstream crate compiles it (through the proc-macro) and runs it on a server.
#[test]
fn models_module() {
    let schema = load(&strata::load::SchemaLocation {
        name: "models".into(),
        path: workspace_root().join("tests/downstream/schemas/models.yaml"),
    });
    insta::assert_snapshot!("models", render_module(&schema));
}
