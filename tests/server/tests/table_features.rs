//! Domains, generated columns, the types Rust handles in their text form, and `using:` type
//! changes, on the server: the schema applies from empty and behaves as declared (a domain's
//! check and default, a generated column's value); introspection gives the model back (no drift
//! either way, and the import's YAML loads to the same model); planned changes apply on a
//! database with rows and give the catalog of a fresh apply; a type change without a cast is
//! refused until the schema gives `using:`.

use strata::plan::{Consent, PlanError, PlanOptions, plan};
use strata_server_tests::catalog::{self, comparable};
use strata_testkit::TestDb;

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

const OPTIONS_V1: &str = r#"
tables:
  accounts:
    columns:
      id: integer
      code: text
      email: text?
      name: text
      score: integer
    primary_key: { columns: [id], name: accounts_primary, description: The account's number. }
    unique:
      - { columns: [code], deferrable: deferred, description: Codes are unique at COMMIT. }
    checks:
      - { expr: "score >= 0", name: score_positive, not_valid: true, no_inherit: true, description: Kept NOT VALID. }
    indexes:
      - { columns: [{ column: name, opclass: text_pattern_ops }], name: accounts_name_prefix }
      - { columns: [{ column: name, collation: C, order: desc, nulls: last }], name: accounts_name_c }
      - { columns: ["score nulls first"], include: [name], with: { fillfactor: 70 }, name: accounts_score }
      - { columns: [email], unique: true, nulls_not_distinct: true, name: accounts_email_key }
  entries:
    columns:
      id: { type: integer, primary_key: true }
      account: integer?
      code: text?
    foreign_keys:
      - { columns: [account, code], references: { table: accounts, columns: [id, code] }, match_full: true,
          deferrable: immediate, not_valid: true, name: entries_account, description: Each entry's account. }
    unique:
      - [account, code]
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn constraint_and_index_options_round_trip() {
    // The foreign key needs a unique key on (id, code) of accounts.
    let v1 = load(&OPTIONS_V1.replace(
        "    unique:\n      - { columns: [code],",
        "    unique:\n      - [id, code]\n      - { columns: [code],",
    ));
    let sql = strata::render::sql::schema_sql(&v1);
    for clause in [
        "DEFERRABLE INITIALLY DEFERRED",
        "MATCH FULL",
        "NOT VALID",
        "NO INHERIT",
        "INCLUDE (name)",
        "NULLS NOT DISTINCT",
        "WITH (fillfactor = '70')",
        "name text_pattern_ops",
        "COLLATE \"C\" DESC NULLS LAST",
        "score NULLS FIRST",
        "CONSTRAINT accounts_primary PRIMARY KEY",
    ] {
        assert!(sql.contains(clause), "{clause} missing from:\n{sql}");
    }
    let db = TestDb::with_sql(&sql).await;

    // Behaviour: a deferred unique key is checked at COMMIT; MATCH FULL refuses half a key.
    db.client
        .batch_execute(
            "BEGIN;
             INSERT INTO accounts (id, code, name, score, email) VALUES (1, 'a', 'x', 1, 'x@e'), (2, 'a', 'y', 1, 'y@e');
             UPDATE accounts SET code = 'b' WHERE id = 2;
             COMMIT;",
        )
        .await
        .expect("a deferred unique constraint waits for COMMIT");
    let half = db
        .client
        .batch_execute("INSERT INTO entries (id, account, code) VALUES (1, 1, NULL)")
        .await;
    assert!(half.is_err(), "MATCH FULL refuses a half-NULL key");
    let twice = db
        .client
        .batch_execute("INSERT INTO accounts (id, code, name, score, email) VALUES (3, 'c', 'z', 1, NULL), (4, 'd', 'w', 1, NULL)")
        .await;
    assert!(
        twice.is_err(),
        "NULLS NOT DISTINCT: two NULL emails collide"
    );

    let live = introspect(&db).await;
    let d = strata::compare::compare(&v1, &live);
    assert!(d.is_empty(), "declared vs live: {d:?}");
    let d = strata::compare::compare(&live, &v1);
    assert!(d.is_empty(), "live vs declared: {d:?}");
    let yaml = strata::render::yaml::schema_yaml(&live);
    let imported = load(&yaml);
    let d = strata::compare::compare(&v1, &imported);
    assert!(d.is_empty(), "{d:?}\n{yaml}");
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

    // A change of options applies on the rows and gives the catalog of a fresh apply.
    let v2_text = OPTIONS_V1
        .replace(
            "    unique:\n      - { columns: [code],",
            "    unique:\n      - [id, code]\n      - { columns: [code],",
        )
        .replace("fillfactor: 70", "fillfactor: 80")
        .replace("deferrable: immediate, not_valid: true", "not_valid: false")
        .replace(
            "description: Kept NOT VALID.",
            "description: Still NOT VALID.",
        );
    let v2 = load(&v2_text);
    let p = plan(&v1, &v2, &PlanOptions::default().consent(Consent::all())).expect("plan");
    assert!(!p.is_empty());
    for m in p.migrations("-- case\n", "5s") {
        // A non-transactional migration runs statement by statement, as Strata's runner does.
        let scripts = if m.transactional {
            vec![format!("BEGIN; {} COMMIT;", m.sql)]
        } else {
            m.sql
                .split("-- strata:statement")
                .skip(1)
                .map(str::to_string)
                .collect()
        };
        for script in scripts {
            db.client
                .batch_execute(&script)
                .await
                .unwrap_or_else(|e| panic!("{}\n{}", strata_pg::db_error_message(&e), m.sql));
        }
    }
    let fresh = TestDb::with_sql(&strata::render::sql::schema_sql(&v2)).await;
    let got = comparable(catalog::read(&db.client, "public").await.expect("catalog"));
    let want = comparable(
        catalog::read(&fresh.client, "public")
            .await
            .expect("catalog"),
    );
    assert!(got == want, "{}", p.review());
    let after = introspect(&db).await;
    assert!(strata::compare::compare(&v2, &after).is_empty());
    let again = plan(&after, &introspect(&fresh).await, &PlanOptions::default()).expect("plan");
    assert!(again.is_empty(), "{}", again.review());
}

/// Names that differ only in case are two objects, as in PostgreSQL: two tables `"Users"` and
/// `users`, two columns `"Name"` and `name`. The import gives them distinct Rust names, its
/// YAML reloads, and the DDL rebuilds the same catalog.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_that_differ_only_in_case_are_two_objects() {
    let db = TestDb::with_sql(
        r#"CREATE TABLE "Users" (id integer PRIMARY KEY, "Name" text, name text);
           CREATE TABLE users (id integer PRIMARY KEY, "userId" integer REFERENCES "Users" (id));
           CREATE INDEX "Users_name_idx" ON "Users" ("Name");
           CREATE INDEX users_name_idx ON "Users" (name);"#,
    )
    .await;
    let live = introspect(&db).await;
    let names: Vec<(&str, &str)> = live
        .tables
        .iter()
        .map(|t| (t.name.as_str(), t.rust_name.as_str()))
        .collect();
    assert_eq!(names, [("Users", "User"), ("users", "User2")]);
    let yaml = strata::render::yaml::schema_yaml(&live);
    let imported = load(&yaml);
    let d = strata::compare::compare(&live, &imported);
    assert!(d.is_empty(), "{d:?}\n{yaml}");
    let rebuilt = TestDb::with_sql(&strata::render::sql::schema_sql(&imported)).await;
    let want = comparable(catalog::read(&db.client, "public").await.expect("catalog"));
    let got = comparable(
        catalog::read(&rebuilt.client, "public")
            .await
            .expect("catalog"),
    );
    assert!(got == want, "{yaml}");
    // The Rust models of both tables are distinct items.
    let rust = strata::render::rust::render_module(&imported);
    assert!(rust.contains("pub struct User {") && rust.contains("pub struct User2 {"));
}

/// Identity columns keep their sequence options: imported, written back, compared by drift,
/// and changed in place by a plan.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_options_round_trip_and_change() {
    let db = TestDb::with_sql(
        "CREATE TABLE tickets (id integer GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10 CACHE 5) PRIMARY KEY, title text);",
    )
    .await;
    let live = introspect(&db).await;
    let id = live.tables[0].column("id").expect("id");
    let o = id
        .identity_options
        .clone()
        .expect("identity options imported");
    assert_eq!(
        (o.start, o.increment, o.cache),
        (Some(100), Some(10), Some(5))
    );
    let yaml = strata::render::yaml::schema_yaml(&live);
    let imported = load(&yaml);
    assert!(
        strata::compare::compare(&live, &imported).is_empty(),
        "{yaml}"
    );
    let rebuilt = TestDb::with_sql(&strata::render::sql::schema_sql(&imported)).await;
    assert!(strata::compare::compare(&imported, &introspect(&rebuilt).await).is_empty());

    let mut changed = imported.clone();
    changed.tables[0].columns[0].identity_options = Some(strata::model::IdentityOptions {
        increment: Some(1),
        ..Default::default()
    });
    let d = strata::compare::compare(&changed, &live);
    assert_eq!(d.len(), 1, "drift sees the changed options: {d:?}");
    let p = plan(&imported, &changed, &PlanOptions::default()).expect("plan");
    for m in p.migrations("-- case\n", "5s") {
        db.client
            .batch_execute(&format!("BEGIN; {} COMMIT;", m.sql))
            .await
            .unwrap_or_else(|e| panic!("{}\n{}", strata_pg::db_error_message(&e), m.sql));
    }
    let after = introspect(&db).await;
    let d = strata::compare::compare(&changed, &after);
    assert!(d.is_empty(), "{d:?}\n{}", p.review());
    let ids: Vec<i32> = db
        .client
        .query(
            "INSERT INTO tickets (title) VALUES ('a'), ('b') RETURNING id",
            &[],
        )
        .await
        .expect("insert")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ids[1] - ids[0], 1, "the new increment is in force");
}
