//! The generated models against a real PostgreSQL (a throwaway cluster started by strata-pg,
//! never skipped): every table of every seed database round-trips through the generated
//! structs and SQL (`round_trip.rs`), and the typed API does what its docs say (`typed.rs`).

mod explain;
mod migrate;
mod models;
mod namespaces;
mod partitions;
mod queries;
mod round_trip;
mod routines;
mod tenants;
mod typed;
mod views;
