//! Tables without a primary key on a real server, through the proc-macro's models: rows insert
//! and read back; a join table keyed by a unique constraint refuses a duplicate; and no
//! by-key statement exists (the row structs implement `Table`, not `Keyed` — a test that
//! called `pg::select_by_pk` on them would not compile).

use strata_macro_downstream_tests::keyless::{
    Event, ItemTag, NewEvent, NewItemTag, NewTag, NewTick, Tag, Tick,
};
use strata_runtime::pg;
use strata_runtime::{Keyed, Table};

fn ddl() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/keyless.yaml");
    let text = std::fs::read_to_string(path).expect("schema");
    let schema = strata::load::load_sources(
        "keyless",
        false,
        vec![strata::load::SourceText {
            path: "schemas/keyless.yaml".into(),
            text,
        }],
    )
    .unwrap_or_else(|d| panic!("{}", d.render(false)));
    strata::render::sql::schema_sql(&schema)
}

#[tokio::test]
async fn key_less_tables_insert_and_read_back() {
    let db = strata_testkit::TestDb::with_sql(&ddl()).await;
    let c = &db.client;
    for kind in ["signup", "login", "login"] {
        let e: Event = pg::insert(
            c,
            &NewEvent {
                at: None,
                kind: kind.into(),
                payload: None,
            },
        )
        .await
        .expect("insert into a table without a primary key");
        assert_eq!(e.kind, kind);
    }
    let all: Vec<Event> = pg::select_all(c).await.expect("select");
    assert_eq!(all.len(), 3, "duplicates are rows too");

    let tag: Tag = pg::insert(
        c,
        &NewTag {
            id: 1,
            name: "red".into(),
        },
    )
    .await
    .expect("tag");
    assert_eq!(
        pg::select_by_pk::<Tag>(c, &[&1i32]).await.expect("by key"),
        Some(tag)
    );
    let link: ItemTag = pg::insert(c, &NewItemTag { item: 7, tag: 1 })
        .await
        .expect("link");
    assert_eq!((link.item, link.tag), (7, 1));
    let dup = pg::insert(c, &NewItemTag { item: 7, tag: 1 }).await;
    assert!(dup.is_err(), "the unique key refuses a second link");

    // A table with no columns: rows without values.
    for _ in 0..2 {
        let _: Tick = pg::insert(c, &NewTick {})
            .await
            .expect("insert a row of no columns");
    }
    let ticks: Vec<Tick> = pg::select_all(c)
        .await
        .expect("select from a table of no columns");
    assert_eq!(ticks.len(), 2);

    // The statements a key-less table has, and the ones it has not.
    assert_eq!(Event::COLUMNS, ["at", "kind", "payload"]);
    assert!(<Event as Table>::SELECT.starts_with("SELECT at, kind, payload FROM events"));
    assert_eq!(<Tag as Keyed>::PRIMARY_KEY, ["id"]);
    let catalog_pk: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'events'::regclass AND contype = 'p'",
            &[],
        )
        .await
        .expect("catalog")
        .get(0);
    assert_eq!(catalog_pk, 0);
}
