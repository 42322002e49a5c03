//! The DDL of every seed database, one named snapshot each (`snapshots/sql_snapshots__<db>.snap`).
//! Each snapshot is backed by the server tests in `tests/server`, which apply the same text.

use std::path::Path;

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .expect("crates/strata-core is two levels deep")
}

#[test]
fn seed_schemas() {
    let root = workspace_root();
    let locations = strata::load::discover(&root.join("schemas")).expect("schemas/ is readable");
    assert!(
        locations.len() >= 5,
        "expected the five seed databases, found {}",
        locations.len()
    );
    for location in &locations {
        let schema = match strata::load::load_location(location, root) {
            Ok(s) => s,
            Err(d) => panic!("seed {} does not load:\n{}", location.name, d.render(false)),
        };
        // That the bytes do not depend on the process is tests/determinism.rs's job.
        let sql = strata::render::sql::schema_sql(&schema);
        assert!(!sql.contains('\r'), "LF line endings only");
        insta::assert_snapshot!(location.name.as_str(), sql);
    }
}

/// The hostile fixture (names and texts built to break SQL), applied on a real server by
/// `tests/server`.
#[test]
fn hostile_fixture() {
    let root = workspace_root();
    let location = strata::load::SchemaLocation {
        name: "hostile".into(),
        path: root.join("tests/fixtures/hostile/hostile.yaml"),
    };
    let schema = match strata::load::load_location(&location, root) {
        Ok(s) => s,
        Err(d) => panic!("the hostile fixture does not load:\n{}", d.render(false)),
    };
    let sql = strata::render::sql::schema_sql(&schema);
    // The fixture's texts hold carriage returns and tabs; the script holds only their escapes.
    assert!(
        !sql.contains('\r') && !sql.contains('\t'),
        "no raw control characters"
    );
    insta::assert_snapshot!("hostile", sql);
}
