//! Drift on the seed databases: a database built from a seed's generated DDL holds exactly the
//! seed's schema, read back by introspection and compared in schema terms.

#[path = "introspect_common/mod.rs"]
mod common;

use common::{lines, read, seed_db, seeds};

#[tokio::test]
async fn every_seed_database_matches_its_schema() {
    let mut failures = Vec::new();
    for seed in seeds() {
        let db = seed_db(&seed.name).await;
        let live = read(&db, &seed.name).await;
        let diffs = lines(&strata::compare::compare(&seed, &live.schema));
        if !diffs.is_empty() {
            failures.push(format!("{}:\n  {}", seed.name, diffs.join("\n  ")));
        }
        let ignored: Vec<String> = live.ignored.iter().map(ToString::to_string).collect();
        if !ignored.is_empty() {
            failures.push(format!(
                "{} ignored:\n  {}",
                seed.name,
                ignored.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
