//! The hostile fixture (`tests/fixtures/hostile/hostile.yaml`): names and texts with quotes,
//! comment markers, semicolons, dollar quotes, backslashes, Unicode, reserved words, mixed case
//! and a 63-byte name apply cleanly, and every comment and default comes back byte for byte.

use super::{database_for, exec, one};
use strata::model::{Default, Literal};
use strata_pg::tokio_postgres::Client;
use strata_server_tests::load_fixture;
use strata_server_tests::model_check::{self, qi};

async fn comment(
    client: &Client,
    sql: &str,
    params: &[&(dyn strata_pg::tokio_postgres::types::ToSql + Sync)],
) -> Option<String> {
    client
        .query_one(sql, params)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

#[tokio::test]
async fn hostile_schema_applies_and_round_trips() {
    let schema = load_fixture("hostile", "hostile");
    let db = database_for(&schema).await;
    let c = &db.client;

    let differences = model_check::differences(c, &schema)
        .await
        .expect("the catalog can be read");
    assert!(
        differences.is_empty(),
        "the database differs from the model:\n{}",
        differences.join("\n")
    );

    // Every comment, byte for byte.
    let mut compared = 0;
    for e in &schema.enums {
        let found = comment(
            c,
            "SELECT obj_description(t.oid, 'pg_type') FROM pg_type t WHERE t.typname = $1 AND t.typnamespace = 'public'::regnamespace",
            &[&e.name],
        )
        .await;
        assert_eq!(
            found,
            strata::render::sql::enum_comment(e),
            "comment of enum {:?}",
            e.name
        );
        compared += 1;
    }
    for t in &schema.tables {
        let table_sql = "SELECT obj_description(c.oid, 'pg_class') FROM pg_class c WHERE c.relname = $1 AND c.relnamespace = 'public'::regnamespace";
        assert_eq!(
            comment(c, table_sql, &[&t.name]).await,
            t.description,
            "comment of table {:?}",
            t.name
        );
        compared += 1;
        for col in &t.columns {
            let found = comment(
                c,
                "SELECT col_description(a.attrelid, a.attnum) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 WHERE c.relname = $1 AND c.relnamespace = 'public'::regnamespace AND a.attname = $2",
                &[&t.name, &col.name],
            )
            .await;
            assert_eq!(
                found, col.description,
                "comment of column {:?}.{:?}",
                t.name, col.name
            );
            compared += 1;
        }
        for i in &t.indexes {
            assert_eq!(
                comment(c, table_sql, &[&i.name]).await,
                i.description,
                "comment of index {:?}",
                i.name
            );
            compared += 1;
        }
    }
    assert!(compared > 40, "{compared} comments compared");

    // Every literal default gives exactly the value written.
    exec(c, r#"INSERT INTO "select" DEFAULT VALUES"#).await;
    exec(c, r#"INSERT INTO "Settings" DEFAULT VALUES"#).await;
    let mut defaults = 0;
    for t in &schema.tables {
        for col in &t.columns {
            let Some(Default::Literal(lit)) = &col.default else {
                continue;
            };
            let (table, column) = (qi(&t.name), qi(&col.name));
            match lit {
                Literal::String(s) if !col.ty.array => {
                    let found: String = one(c, &format!("SELECT {column}::text FROM {table}"))
                        .await
                        .get(0);
                    // Texts, enum labels, and the date and interval (written in their
                    // canonical output form) come back byte for byte.
                    assert_eq!(
                        found.as_bytes(),
                        s.as_bytes(),
                        "default of {:?}.{:?}",
                        t.name,
                        col.name
                    );
                }
                Literal::Json(expected) => {
                    let sql = if col.ty.array {
                        format!("SELECT array_to_json({column})::text FROM {table}")
                    } else {
                        format!("SELECT {column}::text FROM {table}")
                    };
                    let found: String = one(c, &sql).await.get(0);
                    let found: serde_json::Value = serde_json::from_str(&found).expect("JSON");
                    assert_eq!(&found, expected, "default of {:?}.{:?}", t.name, col.name);
                }
                other => {
                    let expected = model_check::literal_json(other).to_string();
                    let same: bool = c
                        .query_one(
                            &format!("SELECT to_jsonb({column}) = $1::text::jsonb FROM {table}"),
                            &[&expected],
                        )
                        .await
                        .expect("compare")
                        .get(0);
                    assert!(
                        same,
                        "default of {:?}.{:?} is not {expected}",
                        t.name, col.name
                    );
                }
            }
            defaults += 1;
        }
    }
    assert!(defaults >= 18, "{defaults} defaults compared");

    // auto_update on date, timestamp and timestamptz columns with awkward names.
    c.batch_execute(
        r#"ALTER TABLE "select" DISABLE TRIGGER strata_touch_columns;
           UPDATE "select" SET "when" = '2000-01-01', "Updated ""At""" = '2000-01-01', touched = '2000-01-01', created = '2000-01-01';
           ALTER TABLE "select" ENABLE TRIGGER strata_touch_columns;
           UPDATE "select" SET flag = false;"#,
    )
    .await
    .expect("update");
    let row = one(
        c,
        r#"SELECT "when" = current_date, "Updated ""At""" > localtimestamp - interval '1 minute', touched > now() - interval '1 minute',
                  created = '2000-01-01', flag FROM "select""#,
    )
    .await;
    for (i, what) in [
        "when (date)",
        "Updated \"At\" (timestamp)",
        "touched (timestamptz)",
    ]
    .iter()
    .enumerate()
    {
        assert!(row.get::<_, bool>(i), "{what} did not move");
    }
    assert!(row.get::<_, bool>(3), "created moved");
    assert!(!row.get::<_, bool>(4), "the UPDATE's own change was lost");

    // The deferred foreign keys work: a cycle, a self-reference, and a key unique by an index.
    c.batch_execute(
        r#"INSERT INTO cycle_a (id) VALUES (1);
           INSERT INTO cycle_b (id, a_id) VALUES (2, 1);
           UPDATE cycle_a SET b_id = 2;
           INSERT INTO "Partners" (code) VALUES ('p1');
           INSERT INTO "User Accounts" ("Email", partner_code) VALUES ('a@x', 'p1');
           UPDATE "User Accounts" SET best_friend = id;
           UPDATE "Partners" SET code = 'p2';"#,
    )
    .await
    .expect("rows through every foreign key");
    let code: String = one(c, r#"SELECT partner_code FROM "User Accounts""#)
        .await
        .get(0);
    assert_eq!(code, "p2", "ON UPDATE CASCADE through the index-backed key");
    exec(c, "DELETE FROM cycle_a").await;
    let left: i64 = one(c, "SELECT count(*) FROM cycle_b").await.get(0);
    assert_eq!(left, 0, "cycle_b.a_id cascades");
}
