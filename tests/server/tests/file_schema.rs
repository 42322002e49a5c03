//! A file-level `schema:` on the server: a folder of two files, one with `schema: billing`,
//! gives a schema.sql that creates the file's tables, enum, view, trigger function and trigger
//! in `billing` (and the public table in `public`), with the foreign key across the two; the
//! `auto_update` trigger of a `billing` table keeps working with a `search_path` that holds
//! neither schema.

use strata_testkit::TestDb;

const APP: &str = "
schemas:
  billing: { comment: Invoices and payments. }
tables:
  customers:
    columns:
      id: { type: integer, primary_key: true }
      name: text
";

const BILLING: &str = "
schema: billing
enums:
  status: { values: [draft, paid] }
tables:
  invoices:
    columns:
      id: { type: integer, primary_key: true }
      customer_id: { type: integer, references: customers }
      state: { type: status, default: draft }
      touched: { type: integer, default: 0 }
      updated_at: { type: timestamptz, default_sql: now(), auto_update: true }
    triggers:
      invoices_count: { timing: before, events: [update], for_each: row, function: count_touch }
functions:
  count_touch:
    returns: trigger
    language: plpgsql
    body: BEGIN NEW.touched := OLD.touched + 1; RETURN NEW; END
views:
  draft_invoices:
    query: SELECT id, customer_id FROM billing.invoices WHERE state = 'draft'
";

fn load() -> strata::Schema {
    let file = |path: &str, text: &str| strata::load::SourceText {
        path: path.into(),
        text: text.into(),
    };
    strata::load::load_sources(
        "shop",
        true,
        vec![
            file("schemas/shop/app.yaml", APP),
            file("schemas/shop/billing.yaml", BILLING),
        ],
    )
    .unwrap_or_else(|d| panic!("{}", d.render(false)))
}

async fn strings(db: &TestDb, sql: &str) -> Vec<String> {
    db.client
        .query(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_schema_applies_to_its_objects() {
    let sql = strata::render::sql::schema_sql(&load());
    let db = TestDb::with_sql(&sql).await;

    let relations = strings(
        &db,
        "SELECT format('%s.%s:%s', n.nspname, c.relname, c.relkind) FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname IN ('public', 'billing') AND c.relkind IN ('r', 'v')
          ORDER BY 1",
    )
    .await;
    assert_eq!(
        relations,
        [
            "billing.draft_invoices:v",
            "billing.invoices:r",
            "public.customers:r"
        ]
    );
    let types = strings(
        &db,
        "SELECT format('%s.%s', n.nspname, t.typname) FROM pg_type t
           JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE t.typtype = 'e' ORDER BY 1",
    )
    .await;
    assert_eq!(types, ["billing.status"]);
    let fk = strings(
        &db,
        "SELECT confrelid::regclass::text FROM pg_constraint
          WHERE conrelid = 'billing.invoices'::regclass AND contype = 'f'",
    )
    .await;
    assert_eq!(fk, ["customers"]);
    let triggers = strings(
        &db,
        "SELECT format('%s:%s.%s', tg.tgname, n.nspname, p.proname) FROM pg_trigger tg
           JOIN pg_proc p ON p.oid = tg.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE tg.tgrelid = 'billing.invoices'::regclass AND NOT tg.tgisinternal ORDER BY 1",
    )
    .await;
    assert_eq!(triggers.len(), 2, "{triggers:?}");
    assert!(
        triggers.contains(&"invoices_count:billing.count_touch".to_string()),
        "{triggers:?}"
    );

    // Rows through the qualified names, with a search_path that reaches neither schema: both
    // triggers run.
    db.client
        .batch_execute(
            "SET search_path = pg_catalog;
             INSERT INTO public.customers VALUES (1, 'Ada');
             INSERT INTO billing.invoices (id, customer_id, updated_at) VALUES (10, 1, '2000-01-01');
             UPDATE billing.invoices SET state = 'paid' WHERE id = 10;",
        )
        .await
        .expect("rows in both schemas");
    let row = db
        .client
        .query_one(
            "SELECT touched, updated_at > '2001-01-01'::timestamptz, state::text FROM billing.invoices",
            &[],
        )
        .await
        .expect("the invoice");
    assert_eq!(row.get::<_, i32>(0), 1);
    assert!(row.get::<_, bool>(1), "auto_update set updated_at");
    assert_eq!(row.get::<_, String>(2), "paid");
    let drafts = strings(&db, "SELECT count(*)::text FROM billing.draft_invoices").await;
    assert_eq!(drafts, ["0"]);
}
