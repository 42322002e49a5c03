//! What the introspection, drift and import tests share: finding the seed schemas and their
//! generated DDL, and building a database from DDL.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use strata::Schema;
use strata_pg::introspect::{Introspected, Options, introspect};
use strata_testkit::TestDb;

/// The workspace's root directory.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/strata-pg is two levels below the workspace root")
        .to_path_buf()
}

/// The seed databases under `schemas/`, loaded, in name order.
pub fn seeds() -> Vec<Schema> {
    let root = root();
    let locations = strata::load::discover(&root.join("schemas")).expect("schemas/ is readable");
    locations
        .iter()
        .map(|l| match strata::load::load_location(l, &root) {
            Ok(s) => s,
            Err(d) => panic!("seed {} does not load:\n{}", l.name, d.render(false)),
        })
        .collect()
}

/// One seed by name.
pub fn seed(name: &str) -> Schema {
    seeds()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no seed {name}"))
}

/// `generated/<db>/schema.sql`, as checked in.
pub fn schema_sql(name: &str) -> String {
    let path = root().join("generated").join(name).join("schema.sql");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask codegen`)", path.display()))
}

/// A fresh database built from the seed's generated DDL.
pub async fn seed_db(name: &str) -> TestDb {
    TestDb::with_sql(&schema_sql(name)).await
}

/// Reads the database back, naming the model `name`.
pub async fn read(db: &TestDb, name: &str) -> Introspected {
    introspect(&db.client, &Options::new().name(name))
        .await
        .unwrap_or_else(|e| panic!("introspecting {}: {e}", db.name))
}

/// Runs `sql` on the database, panicking with the server's message.
pub async fn exec(db: &TestDb, sql: &str) {
    db.client
        .batch_execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {}", strata_pg::db_error_message(&e)));
}

/// The differences as sentences.
pub fn lines(diffs: &[strata::compare::Difference]) -> Vec<String> {
    diffs.iter().map(ToString::to_string).collect()
}
