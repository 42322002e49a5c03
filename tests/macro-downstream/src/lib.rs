//! The seed databases' models from the proc-macro alone: each `schema!` call expands to
//! `pub mod <db> { … }`, the same module `cargo xtask codegen` writes to `generated/src/`.

strata_macros::schema!("../../schemas/agent_platform.yaml");
strata_macros::schema!("../../schemas/creator_site.yaml");
strata_macros::schema!("../../schemas/freddy.yaml");
// A schema folder: its files are merged into one database.
strata_macros::schema!("../../schemas/general_bots");
strata_macros::schema!("../../schemas/hexabot.yaml");

// The schema's `derives:` reach every struct and enum.
strata_macros::schema!("schemas/derives.yaml");
// `Default` where every field has one (the loader refuses it where a field has none).
strata_macros::schema!("schemas/derives_default.yaml");
// Tables without a primary key.
strata_macros::schema!("schemas/keyless.yaml");
// A domain, generated columns, and types Rust carries as text.
strata_macros::schema!("schemas/features.yaml");
