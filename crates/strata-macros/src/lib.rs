//! `schema!`: the Rust models of a Strata schema, expanded where the macro is called.
//!
//! ```ignore
//! strata_macros::schema!("../../schemas/creator_site.yaml");
//!
//! let owner: creator_site::Owner = /* … */;
//! assert_eq!(creator_site::Owner::TABLE, "owner");
//! ```
//!
//! The path is relative to the calling crate's `Cargo.toml` (`CARGO_MANIFEST_DIR`); a folder
//! is a database whose YAML files are merged. The expansion is `pub mod <db> { … }`, exactly
//! the module `cargo xtask codegen` writes to `generated/src/<db>.rs`, because both call the
//! same function of the core (`strata::render::rust::schema_macro`). Optional arguments:
//! `runtime = path::to::strata_runtime` (where the runtime crate is reached) and
//! `postgres = "feature"` (default `"postgres"`), `always` or `never`.
//!
//! The calling crate depends on `strata-runtime`, and on `strata-runtime/postgres` through its
//! own feature `postgres` (`postgres = ["strata-runtime/postgres"]`) to get the tokio-postgres
//! support. Schema errors are compile errors that name `file:line:col`; each YAML file is
//! included with `include_bytes!`, so editing it rebuilds the caller.
//!
//! This crate is a shim: every line of the expansion is produced by the core library, so that
//! tests can run it as an ordinary function.

use proc_macro::TokenStream;
use std::path::PathBuf;

/// `schema!("path/to/db.yaml")`: see the [crate documentation](crate).
#[proc_macro]
pub fn schema(input: TokenStream) -> TokenStream {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    strata::render::rust::schema_macro(input.into(), &manifest_dir).into()
}
