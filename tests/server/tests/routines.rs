//! Functions, procedures and triggers on the server: a schema that declares a `last_updated`
//! trigger, an audit trigger writing to another table, a statement trigger with a transition
//! table, SQL and PL/pgSQL functions and a procedure applies from empty, and they run as
//! declared; introspection gives the model back (no drift, the import's YAML loads to the same
//! model); a changed function and trigger plan and apply to the catalog of a fresh apply.

use strata::plan::{Consent, PlanOptions, plan};
use strata_server_tests::catalog::{self, comparable};
use strata_testkit::TestDb;

fn load(text: &str) -> strata::Schema {
    strata_server_tests::load_text(text)
}

const V1: &str = r#"
tables:
  film:
    columns:
      film_id: { type: integer, primary_key: true }
      title: text
      last_update: timestamptz?
    triggers:
      last_updated:
        timing: before
        events: [update]
        for_each: row
        function: last_updated
        description: Keeps last_update current.
      audit:
        timing: after
        events: [insert, { update_of: [title] }, delete]
        for_each: row
        function: audit_film
      count_inserts:
        timing: after
        events: [insert]
        for_each: statement
        referencing: { new_table: fresh }
        function: count_inserts
  film_audit:
    columns:
      id: { type: integer, identity: always, primary_key: true }
      op: text
      film_id: integer
  film_counts:
    columns:
      id: { type: integer, identity: always, primary_key: true }
      inserted: integer
functions:
  last_updated:
    language: plpgsql
    returns: trigger
    body: |
      BEGIN
          NEW.last_update = now();
          RETURN NEW;
      END
  audit_film:
    language: plpgsql
    returns: trigger
    body: |
      BEGIN
          IF TG_OP = 'DELETE' THEN
              INSERT INTO film_audit (op, film_id) VALUES (TG_OP, OLD.film_id);
              RETURN OLD;
          END IF;
          INSERT INTO film_audit (op, film_id) VALUES (TG_OP, NEW.film_id);
          RETURN NEW;
      END
  count_inserts:
    language: plpgsql
    returns: trigger
    body: |
      BEGIN
          INSERT INTO film_counts (inserted) SELECT count(*) FROM fresh;
          RETURN NULL;
      END
  title_of:
    language: sql
    arguments: [{ name: p_id, type: integer }]
    returns: text
    volatility: stable
    body: SELECT title FROM film WHERE film_id = p_id
  add:
    language: sql
    arguments: [{ name: a, type: integer }, { name: b, type: integer, default: "1" }]
    returns: integer
    volatility: immutable
    strict: true
    body: select a+b
  rename_film:
    kind: procedure
    language: sql
    arguments: [{ name: p_id, type: integer }, { name: p_title, type: text }]
    body: UPDATE film SET title = p_title WHERE film_id = p_id
"#;

async fn one<T: for<'a> tokio_postgres::types::FromSql<'a>>(db: &TestDb, sql: &str) -> T {
    db.client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {}", strata_pg::db_error_message(&e)))
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declared_triggers_and_functions_run() {
    let v1 = load(V1);
    let sql = strata::render::sql::schema_sql(&v1);
    let db = TestDb::with_sql(&sql).await;
    db.client
        .batch_execute(
            "INSERT INTO film (film_id, title) VALUES (1, 'Alien'), (2, 'Brazil');
             UPDATE film SET title = 'Aliens' WHERE film_id = 1;
             DELETE FROM film WHERE film_id = 2;",
        )
        .await
        .expect("writes");
    // last_updated ran on the update only.
    let touched: i64 = one(
        &db,
        "SELECT count(*) FROM film WHERE last_update IS NOT NULL AND film_id = 1",
    )
    .await;
    assert_eq!(touched, 1);
    // The audit trigger wrote one row per event; the statement trigger one per INSERT.
    let ops: Vec<String> = db
        .client
        .query(
            "SELECT op || ':' || film_id FROM film_audit ORDER BY id",
            &[],
        )
        .await
        .expect("audit")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ops, ["INSERT:1", "INSERT:2", "UPDATE:1", "DELETE:2"]);
    let counted: Vec<i32> = db
        .client
        .query("SELECT inserted FROM film_counts ORDER BY id", &[])
        .await
        .expect("counts")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(counted, [2]);
    // The functions and the procedure.
    assert_eq!(one::<String>(&db, "SELECT title_of(1)").await, "Aliens");
    assert_eq!(one::<i32>(&db, "SELECT add(2)").await, 3);
    assert_eq!(one::<Option<i32>>(&db, "SELECT add(NULL, 2)").await, None);
    db.client
        .batch_execute("CALL rename_film(1, 'Alien 3')")
        .await
        .expect("call");
    assert_eq!(one::<String>(&db, "SELECT title_of(1)").await, "Alien 3");

    // Read back: the same model, no drift, and the import's YAML loads to it.
    let live = strata_pg::introspect::introspect(
        &db.client,
        &strata_pg::introspect::Options::new().name("shop"),
    )
    .await
    .expect("introspect");
    assert!(live.ignored.is_empty(), "{:?}", live.ignored);
    let drift = strata::compare::compare(&v1, &live.schema);
    assert!(drift.is_empty(), "{drift:#?}");
    let yaml = strata::render::yaml::schema_yaml(&live.schema);
    let reloaded = load(&yaml);
    assert!(
        strata::compare::compare(&v1, &reloaded).is_empty(),
        "{yaml}"
    );
    assert_eq!(reloaded.functions.len(), v1.functions.len());
    assert_eq!(reloaded.triggers.len(), v1.triggers.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_functions_and_triggers_plan_and_apply() {
    let v1 = load(V1);
    // add's result type changes (drop and create), last_updated's body changes (replace),
    // the audit trigger loses its delete event (drop and create), count_inserts goes.
    let v2_text = V1
        .replace(
            "    returns: integer\n    volatility: immutable",
            "    returns: bigint\n    volatility: immutable",
        )
        .replace(
            "NEW.last_update = now();",
            "NEW.last_update = clock_timestamp();",
        )
        .replace(
            "events: [insert, { update_of: [title] }, delete]",
            "events: [insert, { update_of: [title] }]",
        );
    let cut = v2_text.find("      count_inserts:").expect("trigger");
    let end = v2_text.find("  film_audit:").expect("table");
    let v2_text = format!("{}{}", &v2_text[..cut], &v2_text[end..]);
    let v2 = load(&v2_text);
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&v1)).await;
    db.client
        .batch_execute("INSERT INTO film (film_id, title) VALUES (1, 'Alien')")
        .await
        .expect("rows");
    let p = plan(&v1, &v2, &PlanOptions::default().consent(Consent::all())).expect("plan");
    let review = p.review();
    assert!(
        review.contains("drop function add(integer, integer)"),
        "{review}"
    );
    assert!(
        review.contains("replace function last_updated()"),
        "{review}"
    );
    assert!(
        review.contains("drop trigger audit on film (created again)"),
        "{review}"
    );
    assert!(
        review.contains("drop trigger count_inserts on film"),
        "{review}"
    );
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
    assert!(got == want, "{review}");
    // And back to V1 with nothing left to do after.
    let back = plan(&v2, &v1, &PlanOptions::default().consent(Consent::all())).expect("plan");
    for m in back.migrations("-- case\n", "5s") {
        db.client
            .batch_execute(&format!("BEGIN; {} COMMIT;", m.sql))
            .await
            .unwrap_or_else(|e| panic!("{}\n{}", strata_pg::db_error_message(&e), m.sql));
    }
    let live = strata_pg::introspect::introspect(
        &db.client,
        &strata_pg::introspect::Options::new().name("shop"),
    )
    .await
    .expect("introspect");
    let again = plan(
        &live.schema,
        &v1,
        &PlanOptions::default().consent(Consent::all()),
    )
    .expect("plan");
    assert!(again.is_empty(), "{}", again.review());
}
