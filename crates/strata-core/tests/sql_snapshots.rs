//! The DDL of every seed database, one named snapshot each (`snapshots/sql_snapshots__<db>.snap`).
//! Each snapshot is backed by the server tests in `tests/server`, which apply the same text.

use std::path::Path;

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().and_then(Path::parent).expect("crates/strata-core is two levels deep")
}

#[test]
fn seed_schemas() {
    let root = workspace_root();
    let locations = strata::load::discover(&root.join("schemas")).expect("schemas/ is readable");
    assert!(locations.len() >= 5, "expected the five seed databases, found {}", locations.len());
    for location in &locations {
        let schema = match strata::load::load_location(location, root) {
            Ok(s) => s,
            Err(d) => panic!("seed {} does not load:\n{}", location.name, d.render(false)),
        };
        let sql = strata::render::sql::schema_sql(&schema);
        assert_eq!(sql, strata::render::sql::schema_sql(&schema), "rendering is deterministic");
        insta::assert_snapshot!(location.name.as_str(), sql);
    }
}
