//! The YAML `cargo xtask import` writes for a seed database, pinned: a change of style shows
//! here as a reviewed snapshot diff. (`import_roundtrip` proves the same YAML loads back into
//! the seed's model and rebuilds the same database.)

#[path = "introspect_common/mod.rs"]
mod common;

use common::{read, seed_db};

#[tokio::test]
async fn creator_site_imports_as_a_person_would_write_it() {
    let db = seed_db("creator_site").await;
    let live = read(&db, "creator_site").await;
    insta::assert_snapshot!(
        "creator_site",
        strata::render::yaml::schema_yaml(&live.schema)
    );
}
