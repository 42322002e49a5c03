//! The generated models used the way a downstream crate uses them, against a real PostgreSQL.
//!
//! The tests (`tests/it`) create each seed database from `generated/<db>/schema.sql` and drive
//! every table through [`driver::round_trip`]: rows made from the schema model by [`data`],
//! turned into the generated `New…` and row structs by their serde, and written and read with
//! the generated SQL and parameter lists only. The hostile fixture (names and texts built to
//! break generated code) gets its module from the proc-macro, [`hostile`].

pub mod data;
pub mod driver;

/// `docs/rust-models.md`, whose code blocks compile here as doc tests.
#[doc = include_str!("../../../docs/rust-models.md")]
pub mod rust_models_doc {}

// The hostile fixture's models, from the proc-macro: reserved words, quotes and Unicode in
// names and labels, identity columns, intervals, numerics, enum arrays, composite and
// cyclic foreign keys.
strata_macros::schema!("../fixtures/hostile/hostile.yaml");

// Every column type, nullable columns with defaults, identity columns, a key-only table, a
// composite key, recursive typed JSON (`schemas/edge.yaml`).
strata_macros::schema!("schemas/edge.yaml");

// A deletion time as the soft-delete flag, pages on secondary indexes, a many-to-many join
// table, required and optional insert fields, a `tsvector` and a domain
// (`schemas/models.yaml`).
strata_macros::schema!("schemas/models.yaml");

// Functions, overloads, a procedure and a trigger: the `call_<fn>` wrappers
// (`schemas/routines.yaml`).
strata_macros::schema!("schemas/routines.yaml");
// Two tenants' notes behind forced row-level security, a permissive and a restrictive policy,
// roles and grants (`schemas/tenants.yaml`).
strata_macros::schema!("schemas/tenants.yaml");
// A range- and a list-partitioned table: only the parents have models
// (`schemas/partitions.yaml`).
strata_macros::schema!("schemas/partitions.yaml");
// Tables of one name in `public` and in the schema `billing`, an enum of `billing`, foreign keys
// across the two (`schemas/namespaces.yaml`).
strata_macros::schema!("schemas/namespaces.yaml");

/// The repository root.
pub fn workspace_root() -> std::path::PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.join("../..")
}

/// Loads a schema (a seed under `schemas/`, or a path relative to the root) for its model.
pub fn load(name: &str, path: &str) -> strata::Schema {
    let root = workspace_root();
    let location = strata::load::SchemaLocation {
        name: name.into(),
        path: root.join(path),
    };
    strata::load::load_location(&location, &root)
        .unwrap_or_else(|d| panic!("{name} does not load:\n{}", d.render(false)))
}

/// The checked-in DDL of a seed database, `generated/<db>/schema.sql`.
pub fn seed_ddl(name: &str) -> String {
    let path = workspace_root().join(format!("generated/{name}/schema.sql"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask codegen`", path.display()))
}
