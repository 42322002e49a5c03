//! Type changes that could lose data never do: for each narrowing or lossy change, a migration
//! on rows that do not fit fails, naming the column and how many rows, and leaves the data and
//! the migration history as they were; on rows that fit it succeeds and every value is kept.
//! A `nextval` default that becomes an identity continues past the existing keys, and so do an
//! identity whose bounds narrow and an identity that becomes a serial. The conversions the
//! planner writes itself (no cast in PostgreSQL) keep every value, judged by the data.

use strata::plan::{Consent, PlanOptions, plan};
use strata_pg::{MigrateOptions, Migrations, migrate};
use strata_testkit::TestDb;

fn load(text: &str) -> strata::Schema {
    strata_server_tests::load_text(text)
}

fn schema(ty: &str) -> String {
    format!(
        "tables:\n  items:\n    columns:\n      id: {{ type: integer, primary_key: true }}\n      v: {{ type: \"{ty}\", nullable: true }}\n"
    )
}

/// Builds V1 from `old`, inserts `rows`, then applies the plan to `new` (with consent).
async fn migrate_with_rows(
    case: &str,
    old: &str,
    new: &str,
    rows: &str,
) -> (TestDb, Result<strata_pg::Report, String>) {
    let (old, new) = (load(old), load(new));
    let p = plan(&old, &new, &PlanOptions::default().consent(Consent::all()))
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    let dir = std::env::temp_dir().join(format!("strata-lossy-{case}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("V1__initial.sql"),
        strata::render::sql::schema_sql(&old),
    )
    .expect("write");
    let mut db = TestDb::new().await;
    let v1 = Migrations::from_dir(&dir).expect("V1");
    migrate(&mut db.client, &v1, &MigrateOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{case}: V1: {e}"));
    db.client
        .batch_execute(rows)
        .await
        .unwrap_or_else(|e| panic!("{case}: rows: {e}"));
    for (i, m) in p
        .migrations("-- lossy case\n", "5s")
        .into_iter()
        .enumerate()
    {
        std::fs::write(
            dir.join(format!("V{}__{}.sql", i + 2, m.suggested_name)),
            &m.sql,
        )
        .expect("write");
    }
    let all = Migrations::from_dir(&dir).expect("migrations");
    let r = migrate(&mut db.client, &all, &MigrateOptions::default())
        .await
        .map_err(|e| e.to_string());
    (db, r)
}

async fn values(db: &TestDb) -> Vec<(i32, Option<String>)> {
    db.client
        .query("SELECT id, v::text FROM items ORDER BY id", &[])
        .await
        .expect("select")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

async fn versions(db: &TestDb) -> Vec<i32> {
    db.client
        .query(
            "SELECT version FROM refinery_schema_history ORDER BY version",
            &[],
        )
        .await
        .expect("history")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

async fn column_type(db: &TestDb) -> String {
    db.client
        .query_one(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'v'",
            &[],
        )
        .await
        .expect("type")
        .get(0)
}

/// (case, old type, new type, values that do not fit, values that fit)
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const CASES: &[Case] = &[
    (
        "varchar_shorter",
        "varchar(200)",
        "varchar(3)",
        &["'Acme'"],
        &["'Acm'", "'é'"],
    ),
    (
        "text_to_varchar",
        "text",
        "varchar(5)",
        &["'toolong'"],
        &["'short'"],
    ),
    (
        "char_shorter",
        "char(10)",
        "char(3)",
        &["'abcdef'"],
        &["'abc'"],
    ),
    (
        "numeric_scale_down",
        "numeric(10,2)",
        "numeric(10,1)",
        &["1.25"],
        &["1.20", "-3.5"],
    ),
    (
        "numeric_precision_down",
        "numeric(6,2)",
        "numeric(4,2)",
        &["1234.50"],
        &["12.50"],
    ),
    (
        "bigint_to_integer",
        "bigint",
        "integer",
        &["3000000000"],
        &["42", "-7"],
    ),
    (
        "integer_to_smallint",
        "integer",
        "smallint",
        &["70000"],
        &["7"],
    ),
    (
        "double_to_real",
        "double precision",
        "real",
        &["0.1"],
        &["0.5", "2"],
    ),
    (
        "timestamptz_to_date",
        "timestamptz",
        "date",
        &["'2024-01-01 10:30:00+00'"],
        &["'2024-01-01'::date"],
    ),
    (
        "text_to_integer",
        "text",
        "integer",
        &["'007'", "'abc'"],
        &["'7'"],
    ),
    (
        "timestamptz_fewer_digits",
        "timestamptz",
        "timestamptz(0)",
        &["'2024-01-01 10:30:00.5+00'"],
        &["'2024-01-01 10:30:00+00'"],
    ),
    (
        "time_fewer_digits",
        "time(6)",
        "time(2)",
        &["'10:00:00.123'"],
        &["'10:00:00.12'"],
    ),
    (
        "interval_fewer_fields",
        "interval day to second",
        "interval day",
        &["'1 day 02:00'"],
        &["'3 days'", "'1 year 2 mons'"],
    ),
    (
        "varchar_array_shorter",
        "varchar(10)[]",
        "varchar(3)[]",
        &["ARRAY['abcd']"],
        &["ARRAY['ab', NULL]"],
    ),
];

fn rows(values: &[&str]) -> String {
    let list: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("({}, {v})", i + 1))
        .collect();
    format!(
        "INSERT INTO items (id, v) VALUES {}, (100, NULL)",
        list.join(", ")
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lossy_type_changes_fail_on_rows_that_do_not_fit_and_keep_rows_that_do() {
    for (case, old_ty, new_ty, bad, good) in CASES {
        let (old, new) = (schema(old_ty), schema(new_ty));
        // Rows that do not fit: the migration fails, and nothing changes.
        for b in *bad {
            let insert = rows(&[b, good[0]]);
            let (db, r) = migrate_with_rows(case, &old, &new, &insert).await;
            let before_values = {
                let fresh = TestDb::with_sql(&strata::render::sql::schema_sql(&load(&old))).await;
                fresh.client.batch_execute(&insert).await.expect("rows");
                values(&fresh).await
            };
            let e = r.expect_err(&format!("{case}: {b} fits {new_ty}?"));
            assert!(e.contains("items.v"), "{case}: {e}");
            assert!(
                e.contains("would lose data in 1 row(s)")
                    || e.contains("would fail on existing rows"),
                "{case}: {e}"
            );
            assert_eq!(values(&db).await, before_values, "{case}: values changed");
            assert_eq!(versions(&db).await, vec![1], "{case}: history changed");
            assert_eq!(
                column_type(&db).await,
                column_type(&TestDb::with_sql(&strata::render::sql::schema_sql(&load(&old))).await)
                    .await,
                "{case}: the type changed"
            );
        }
        // Rows that fit: the change is made and every value reads the same.
        let insert = rows(good);
        let (db, r) = migrate_with_rows(case, &old, &new, &insert).await;
        let fresh = TestDb::with_sql(&strata::render::sql::schema_sql(&load(&old))).await;
        fresh.client.batch_execute(&insert).await.expect("rows");
        let kept_as = fresh
            .client
            .query(
                &format!(
                    "SELECT id, v::{}::text FROM items ORDER BY id",
                    strata::render::sql::sql_type(&load(&new).tables[0].columns[1].ty)
                ),
                &[],
            )
            .await
            .expect("cast");
        let expected: Vec<(i32, Option<String>)> =
            kept_as.iter().map(|r| (r.get(0), r.get(1))).collect();
        r.unwrap_or_else(|e| panic!("{case}: rows that fit: {e}"));
        assert_eq!(values(&db).await, expected, "{case}");
        assert_eq!(values(&db).await.len(), good.len() + 1);
        assert_eq!(versions(&db).await.len(), 2, "{case}");
        let want = TestDb::with_sql(&strata::render::sql::schema_sql(&load(&new))).await;
        assert_eq!(column_type(&db).await, column_type(&want).await, "{case}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nextval_default_that_becomes_an_identity_continues_past_existing_keys() {
    let old = "tables:\n  items:\n    columns:\n      id: { type: bigint, primary_key: true, default_sql: \"nextval('items_id_seq')\" }\n      v: text\n";
    let new = "tables:\n  items:\n    columns:\n      id: { type: bigint, primary_key: true, identity: by_default }\n      v: text\n";
    // The sequence the old default uses, and rows that took keys from it and by hand.
    let (old_s, new_s) = (load(old), load(new));
    let p = plan(
        &old_s,
        &new_s,
        &PlanOptions::default().consent(Consent::all()),
    )
    .expect("plan");
    let db = TestDb::with_sql(&format!(
        "CREATE SEQUENCE items_id_seq;\n{}",
        strata::render::sql::schema_sql(&old_s)
    ))
    .await;
    db.client
        .batch_execute("INSERT INTO items (v) VALUES ('a'), ('b'); INSERT INTO items (id, v) VALUES (10, 'c');")
        .await
        .expect("rows");
    for m in p.migrations("-- case\n", "5s") {
        assert!(m.transactional);
        db.client
            .batch_execute(&format!("BEGIN; {} COMMIT;", m.sql))
            .await
            .unwrap_or_else(|e| panic!("{}: {}", strata_pg::db_error_message(&e), m.sql));
    }
    db.client
        .batch_execute("INSERT INTO items (v) VALUES ('d')")
        .await
        .expect("the next insert gets a key past every existing one");
    let id: i64 = db
        .client
        .query_one("SELECT id FROM items WHERE v = 'd'", &[])
        .await
        .expect("row")
        .get(0);
    assert_eq!(id, 11);
}

/// (case, old type, new type, values inserted, each value's text after the change); a NULL row
/// is added to every case and must stay NULL.
type Builtin = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// The conversions the planner writes itself (no cast in PostgreSQL; docs/migrations.md).
const BUILTIN: &[Builtin] = &[
    (
        "text_to_text_array",
        "text",
        "text[]",
        &["'a'", "''", "'x,y'"],
        &["{a}", "{\"\"}", "{\"x,y\"}"],
    ),
    (
        "integer_to_integer_array",
        "integer",
        "integer[]",
        &["0", "-7"],
        &["{0}", "{-7}"],
    ),
    (
        "int4range_to_int8range",
        "int4range",
        "int8range",
        &["'[1,5)'", "'empty'", "'(,10]'", "'[3,)'", "'(,)'"],
        &["[1,5)", "empty", "(,11)", "[3,)", "(,)"],
    ),
    (
        "int4range_to_numrange",
        "int4range",
        "numrange",
        &["'[1,5)'", "'empty'", "'[-3,)'"],
        &["[1,5)", "empty", "[-3,)"],
    ),
    (
        "daterange_to_tsrange",
        "daterange",
        "tsrange",
        &[
            "'[2024-01-01,2024-02-01)'",
            "'empty'",
            "'[2024-01-01,infinity)'",
            "'(,2024-03-01)'",
        ],
        &[
            "[\"2024-01-01 00:00:00\",\"2024-02-01 00:00:00\")",
            "empty",
            "[\"2024-01-01 00:00:00\",infinity)",
            "(,\"2024-03-01 00:00:00\")",
        ],
    ),
    (
        "int4multirange_to_int8multirange",
        "int4multirange",
        "int8multirange",
        &["'{[1,3), [5,7)}'", "'{}'", "'{(,0)}'"],
        &["{[1,3),[5,7)}", "{}", "{(,0)}"],
    ),
    (
        "int4range_array_to_int8range_array",
        "int4range[]",
        "int8range[]",
        &["ARRAY['[1,2)'::int4range, 'empty', NULL]"],
        &["{\"[1,2)\",empty,NULL}"],
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn built_in_conversions_keep_every_value() {
    for (case, old_ty, new_ty, inserted, after) in BUILTIN {
        let (old, new) = (schema(old_ty), schema(new_ty));
        let (db, r) = migrate_with_rows(case, &old, &new, &rows(inserted)).await;
        r.unwrap_or_else(|e| panic!("{case}: {e}"));
        let mut expected: Vec<(i32, Option<String>)> = after
            .iter()
            .enumerate()
            .map(|(i, v)| (i as i32 + 1, Some(v.to_string())))
            .collect();
        expected.push((100, None));
        assert_eq!(values(&db).await, expected, "{case}");
        let want = TestDb::with_sql(&strata::render::sql::schema_sql(&load(&new))).await;
        assert_eq!(column_type(&db).await, column_type(&want).await, "{case}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_range_narrowing_fails_on_a_bound_that_does_not_fit_and_keeps_rows_that_do() {
    let (old, new) = (schema("int8range"), schema("int4range"));
    let insert = rows(&["'[1,3000000000)'", "'[1,5)'"]);
    let (db, r) = migrate_with_rows("int8range_narrows_bad", &old, &new, &insert).await;
    let e = r.expect_err("3000000000 fits int4range?");
    assert!(
        e.contains("items.v") && e.contains("would fail on existing rows"),
        "{e}"
    );
    assert_eq!(versions(&db).await, vec![1]);
    assert_eq!(values(&db).await[0].1.as_deref(), Some("[1,3000000000)"));
    let insert = rows(&["'[1,5)'", "'empty'", "'(,7)'"]);
    let (db, r) = migrate_with_rows("int8range_narrows_good", &old, &new, &insert).await;
    r.unwrap_or_else(|e| panic!("{e}"));
    let got: Vec<Option<String>> = values(&db).await.into_iter().map(|(_, v)| v).collect();
    let want = ["[1,5)", "empty", "(,7)"].map(|v| Some(v.to_string()));
    assert_eq!(got[..3], want[..]);
    assert_eq!(got[3], None);
}

fn domain_schema(base: &str) -> String {
    format!(
        "domains:\n  amount:\n    type: {base}\n    checks: [VALUE >= 0]\ntables:\n  items:\n    columns:\n      id: {{ type: integer, primary_key: true }}\n      v: {{ type: amount, nullable: true, default: 0 }}\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_domain_base_type_change_keeps_the_values_and_narrowing_is_checked() {
    let (int, big) = (domain_schema("integer"), domain_schema("bigint"));
    let (db, r) = migrate_with_rows("domain_widens", &int, &big, &rows(&["2147483647", "0"])).await;
    r.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        values(&db).await,
        vec![
            (1, Some("2147483647".into())),
            (2, Some("0".into())),
            (100, None)
        ]
    );
    assert_eq!(column_type(&db).await, "amount");
    // The column is of the new domain: a bigint value fits, its check still holds, the
    // default is back, and the old domain is gone.
    db.client
        .batch_execute(
            "INSERT INTO items (id, v) VALUES (3, 3000000000); INSERT INTO items (id) VALUES (4)",
        )
        .await
        .expect("a bigint value fits the re-created domain");
    assert!(
        db.client
            .batch_execute("INSERT INTO items (id, v) VALUES (5, -1)")
            .await
            .is_err()
    );
    let row = db
        .client
        .query_one(
            "SELECT (SELECT v::text FROM items WHERE id = 4), (SELECT count(*) FROM pg_type WHERE typname LIKE 'amount%')",
            &[],
        )
        .await
        .expect("row");
    assert_eq!(row.get::<_, Option<String>>(0).as_deref(), Some("0"));
    assert_eq!(row.get::<_, i64>(1), 1);

    // Narrowing: a value that does not fit fails the migration and changes nothing.
    let (db, r) = migrate_with_rows("domain_narrows", &big, &int, &rows(&["3000000000"])).await;
    let e = r.expect_err("3000000000 fits integer?");
    assert!(e.contains("items.v"), "{e}");
    assert_eq!(versions(&db).await, vec![1]);
    assert_eq!(values(&db).await[0].1.as_deref(), Some("3000000000"));
}

fn identity_schema(identity: &str) -> String {
    format!(
        "tables:\n  items:\n    columns:\n      id: {{ type: integer, primary_key: true, {identity} }}\n      v: text?\n"
    )
}

async fn next_id(db: &TestDb) -> i32 {
    db.client
        .query_one("INSERT INTO items (v) VALUES ('next') RETURNING id", &[])
        .await
        .expect("insert")
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn narrowing_an_identity_moves_its_sequence_past_every_used_value() {
    let old = identity_schema("identity: by_default");
    let raised = identity_schema("identity: by_default, identity_options: { min: 100 }");
    // Keys 1..3 from the sequence: the next one is the new minimum.
    let rows = "INSERT INTO items (v) VALUES ('a'), ('b'), ('c')";
    let (db, r) = migrate_with_rows("identity_min_raised", &old, &raised, rows).await;
    r.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(next_id(&db).await, 100);
    // A key given by hand above the new minimum: the next one is past it.
    let rows = "INSERT INTO items (v) VALUES ('a'); INSERT INTO items (id, v) VALUES (500, 'b')";
    let (db, r) = migrate_with_rows("identity_min_raised_past_max", &old, &raised, rows).await;
    r.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(next_id(&db).await, 501);
    // Values the sequence handed out and whose rows are gone are not handed out again.
    let rows = "INSERT INTO items (v) SELECT 'x' FROM generate_series(1, 150); DELETE FROM items WHERE id > 120";
    let (db, r) = migrate_with_rows("identity_min_raised_deleted", &old, &raised, rows).await;
    r.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(next_id(&db).await, 151);
    // A MAXVALUE below a value already used: the migration fails rather than reuse keys.
    let lowered = identity_schema("identity: by_default, identity_options: { max: 2 }");
    let rows = "INSERT INTO items (v) VALUES ('a'), ('b'), ('c')";
    let (db, r) = migrate_with_rows("identity_max_lowered", &old, &lowered, rows).await;
    r.expect_err("MAXVALUE 2 under key 3");
    assert_eq!(versions(&db).await, vec![1]);
    assert_eq!(next_id(&db).await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identity_that_becomes_a_serial_continues_past_existing_keys() {
    let old = identity_schema("identity: by_default");
    let new = "tables:\n  items:\n    columns:\n      id: { type: serial, primary_key: true }\n      v: text?\n";
    let rows =
        "INSERT INTO items (v) VALUES ('a'), ('b'); INSERT INTO items (id, v) VALUES (10, 'c')";
    let (db, r) = migrate_with_rows("identity_to_serial", &old, new, rows).await;
    r.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(next_id(&db).await, 11);
    let seq: String = db
        .client
        .query_one("SELECT pg_get_serial_sequence('items', 'id')", &[])
        .await
        .expect("row")
        .get(0);
    assert_eq!(seq, "public.items_id_seq");
}
