//! Domains, generated columns, the types Rust handles in their text form, and `using:` type
//! changes, on the server: the schema applies from empty and behaves as declared (a domain's
//! check and default, a generated column's value); introspection gives the model back (no drift
//! either way, and the import's YAML loads to the same model); planned changes apply on a
//! database with rows and give the catalog of a fresh apply; a type change without a cast is
//! refused until the schema gives `using:`.

use strata::plan::{Consent, PlanError, PlanOptions, plan};
use strata_pg::TestDb;
use strata_server_tests::catalog::{self, comparable};

fn load(text: &str) -> strata::Schema {
    strata_server_tests::load_text(text)
}

const V1: &str = r#"
extensions: [citext]
domains:
  us_postal_code:
    type: text
    checks:
      - "VALUE ~ '^[0-9]{5}$' OR VALUE ~ '^[0-9]{5}-[0-9]{4}$'"
    description: A US ZIP code.
  year:
    type: integer
    not_null: true
    default: 2000
    checks:
      - { expr: "VALUE >= 1901 AND VALUE <= 2155", name: year_range }
tables:
  films:
    columns:
      id: { type: integer, identity: always, primary_key: true }
      title: text
      release_year: year
      zip: us_postal_code?
      price: numeric(6,2)
      price_with_tax: { type: numeric, generated: "price * 1.2" }
      fulltext: tsvector?
      shown_at: timetz?
      net: cidr?
      mac: macaddr?
      cost: money?
      flags: bit(3)?
      mask: varbit(8)?
      doc: xml?
      seats: int4range?
      slots: int4multirange?
      during: tstzrange?
      email: citext?
      created: bigint?
"#;

const V2: &str = r#"
extensions: [citext]
domains:
  us_postal_code:
    type: text
    checks:
      - "VALUE ~ '^[0-9]{5}$' OR VALUE ~ '^[0-9]{5}-[0-9]{4}$'"
    description: A US ZIP code.
  year:
    type: integer
    not_null: true
    default: 1999
    checks:
      - { expr: "VALUE >= 1901 AND VALUE <= 2155", name: year_range }
      - { expr: "VALUE <> 1999 OR true", name: year_any }
tables:
  films:
    columns:
      id: { type: integer, identity: always, primary_key: true }
      title: text
      release_year: year
      zip: us_postal_code?
      price: numeric(6,2)
      price_with_tax: { type: numeric, generated: "price * 1.25" }
      title_length: { type: integer, generated: "length(title)" }
      fulltext: tsvector?
      shown_at: timetz?
      net: cidr?
      mac: macaddr?
      cost: money?
      flags: bit(3)?
      mask: varbit(8)?
      doc: xml?
      seats: int4range?
      slots: int4multirange?
      during: tstzrange?
      email: citext?
      created: { type: timestamptz, nullable: true, using: "to_timestamp(created)" }
"#;

async fn introspect(db: &TestDb) -> strata::Schema {
    strata_pg::introspect::introspect(
        &db.client,
        &strata_pg::introspect::Options::new().name("shop"),
    )
    .await
    .expect("introspect")
    .schema
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domains_generated_columns_and_text_form_types() {
    let (v1, v2) = (load(V1), load(V2));
    let sql = strata::render::sql::schema_sql(&v1);
    let db = TestDb::with_sql(&sql).await;

    // Behaviour: the domain's default and check, the generated column, the text-form types.
    db.client
        .batch_execute(
            "INSERT INTO films (title, zip, price, fulltext, shown_at, net, mac, cost, flags, mask, doc, seats, slots, during, email, created)
             VALUES ('Alien', '12345', 10.00, to_tsvector('simple', 'in space'), '10:00+02', '10.0.0.0/8',
                     '08:00:2b:01:02:03', 12.5, B'101', B'11', '<a/>', '[1,10)', '{[1,3), [5,7)}',
                     '[2020-01-01, 2020-02-01)', 'Ann@Example.com', 86400)",
        )
        .await
        .unwrap_or_else(|e| panic!("{}\n{sql}", strata_pg::db_error_message(&e)));
    let row = db
        .client
        .query_one(
            "SELECT release_year, price_with_tax::text, email = 'ann@example.com' FROM films",
            &[],
        )
        .await
        .expect("row");
    assert_eq!(row.get::<_, i32>(0), 2000, "the domain's default");
    assert_eq!(row.get::<_, String>(1), "12.000", "the generated column");
    assert!(row.get::<_, bool>(2), "citext compares case-insensitively");
    let bad_zip = db
        .client
        .batch_execute("INSERT INTO films (title, zip, price) VALUES ('B', 'nope', 1)")
        .await;
    assert!(bad_zip.is_err(), "the domain's check refuses a bad ZIP");
    let write_generated = db
        .client
        .batch_execute("INSERT INTO films (title, price, price_with_tax) VALUES ('C', 1, 5)")
        .await;
    assert!(
        write_generated.is_err(),
        "a generated column takes no value"
    );

    // Introspection gives the model back: no drift either way.
    let live = introspect(&db).await;
    let d = strata::compare::compare(&v1, &live);
    assert!(d.is_empty(), "declared vs live: {d:?}");
    let d = strata::compare::compare(&live, &v1);
    assert!(d.is_empty(), "live vs declared: {d:?}");
    // The import's YAML loads, and its DDL gives the same catalog.
    let yaml = strata::render::yaml::schema_yaml(&live);
    let imported = load(&yaml);
    assert!(
        strata::compare::compare(&v1, &imported).is_empty(),
        "{yaml}"
    );
    let from_import = TestDb::with_sql(&strata::render::sql::schema_sql(&imported)).await;
    let want = comparable(catalog::read(&db.client, "public").await.expect("catalog"));
    let got = comparable(
        catalog::read(&from_import.client, "public")
            .await
            .expect("catalog"),
    );
    assert!(
        got == want,
        "the imported schema builds another catalog:\n{yaml}"
    );

    // bigint -> timestamptz has no cast: refused until the schema says `using:`.
    let mut no_using = v2.clone();
    for c in &mut no_using.tables[0].columns {
        c.using = None;
    }
    match plan(
        &v1,
        &no_using,
        &PlanOptions::default().consent(Consent::all()),
    ) {
        Err(PlanError::NeedsUsing { column, .. }) => assert_eq!(column, "created"),
        other => panic!("expected a refusal for want of `using:`, got {other:?}"),
    }

    // With `using:` the plan applies on the rows: catalog of a fresh apply, values converted,
    // the generated column recomputed.
    let p = plan(&v1, &v2, &PlanOptions::default().consent(Consent::all())).expect("plan");
    for m in p.migrations("-- case\n", "5s") {
        db.client
            .batch_execute(&format!("BEGIN; {} COMMIT;", m.sql))
            .await
            .unwrap_or_else(|e| panic!("{}\n{}", strata_pg::db_error_message(&e), m.sql));
    }
    let fresh = TestDb::with_sql(&strata::render::sql::schema_sql(&v2)).await;
    let got = comparable(catalog::read(&db.client, "public").await.expect("catalog"));
    let want = comparable(
        catalog::read(&fresh.client, "public")
            .await
            .expect("catalog"),
    );
    assert!(got == want, "{}", p.review());
    let row = db
        .client
        .query_one(
            "SELECT price_with_tax::text, title_length, created = to_timestamp(86400) FROM films",
            &[],
        )
        .await
        .expect("row");
    assert_eq!(row.get::<_, String>(0), "12.5000");
    assert_eq!(row.get::<_, i32>(1), 5);
    assert!(
        row.get::<_, bool>(2),
        "the using: expression converted the value"
    );
    let live = introspect(&db).await;
    let d = strata::compare::compare(&v2, &live);
    assert!(d.is_empty(), "{d:?}");
    // Both sides as the server prints them: the database after the plan, and a fresh apply.
    let fresh_live = introspect(&fresh).await;
    let again = plan(&live, &fresh_live, &PlanOptions::default()).expect("plan");
    assert!(
        again.is_empty(),
        "a re-plan after applying is empty:\n{}",
        again.review()
    );
}
