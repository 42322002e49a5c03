//! Every named plan case (tests/fixtures/plans/cases.rs, pinned as text by the core's snapshot
//! test) applied for real: the old schema is built by Strata's runner from its `schema.sql`, rows
//! are inserted, the planned migrations (with consent to every step) are applied by the same
//! runner, and then the catalog must equal a fresh apply of the new schema and every surviving
//! table must still hold its rows.

use strata::load::{SourceText, load_sources};
use strata::plan::{Consent, PlanOptions, plan};
use strata_pg::{MigrateOptions, Migrations, migrate};
use strata_server_tests::catalog::{self, comparable};
use strata_testkit::TestDb;

include!("../../fixtures/plans/cases.rs");

fn load(case: &str, text: &str) -> strata::Schema {
    load_sources(
        "shop",
        false,
        vec![SourceText {
            path: "schemas/shop.yaml".into(),
            text: text.into(),
        }],
    )
    .unwrap_or_else(|d| panic!("case {case}: {}", d.render(false)))
}

/// Rows every case's edit keeps valid (a title that casts to integer, distinct values, no NULL
/// names, statuses other than the removed ones).
const ROWS: &str = r#"
INSERT INTO users (id, email, name) VALUES
  ('00000000-0000-4000-8000-000000000001', 'ann@example.com', 'Ann'),
  ('00000000-0000-4000-8000-000000000002', 'bob@example.com', 'Bob');
INSERT INTO posts (user_id, title, body) VALUES
  ('00000000-0000-4000-8000-000000000001', '41', 'first'),
  ('00000000-0000-4000-8000-000000000002', '42', NULL);
"#;

/// Cases whose step fails on the rows above even with consent (a NOT NULL column without a
/// default or backfill on a table that has rows).
const FAIL_ON_ROWS: &[&str] = &["add_not_null_column_refused"];

async fn count(db: &TestDb, table: &str) -> Option<i64> {
    db.client
        .query_one(
            &format!("SELECT count(*) FROM {}", strata::render::sql::ident(table)),
            &[],
        )
        .await
        .ok()
        .map(|r| r.get(0))
}

/// Applies the migration files of `dir` the database has not applied yet.
async fn apply(db: &mut TestDb, dir: &std::path::Path) -> Result<strata_pg::Report, String> {
    let set = Migrations::from_dir(dir).map_err(|e| e.to_string())?;
    migrate(&mut db.client, &set, &MigrateOptions::default())
        .await
        .map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_plan_case_applies_on_a_database_with_rows() {
    let base = BASE.replace("__TAGS__", "");
    let options = PlanOptions::default().consent(Consent::all());
    let mut applied = 0;
    let mut failed_cleanly = 0;
    for (name, old_edits, new_edits) in CASES {
        let old_text = edit(&base, old_edits);
        let new_text = edit(&old_text, new_edits).replace("__TAGS__", ADD_TAGS);
        let old = load(name, &old_text);
        let new = load(name, &new_text);
        let p = match plan(&old, &new, &options) {
            Ok(p) => p,
            // A rename hint that matches nothing stays an error, consent or not, and so does a
            // function that cannot be re-created under an index calling it, a type change
            // without a cast or a `using:`, or a re-created domain under a function's signature.
            Err(e) => {
                assert!(
                    name.contains("hint_matches_nothing")
                        || (name.contains("function_under_index")
                            && matches!(e, strata::plan::PlanError::BlockedByCaller { .. }))
                        || (name.ends_with("_needs_using")
                            && matches!(e, strata::plan::PlanError::NeedsUsing { .. }))
                        || (name.starts_with("domain_in_function_signature")
                            && matches!(e, strata::plan::PlanError::DomainInSignature { .. })),
                    "case {name}: {e}"
                );
                continue;
            }
        };
        let dir =
            std::env::temp_dir().join(format!("strata-plan-case-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(
            dir.join("V1__initial.sql"),
            strata::render::sql::schema_sql(&old),
        )
        .expect("write");
        let mut db = TestDb::new().await;
        apply(&mut db, &dir)
            .await
            .unwrap_or_else(|e| panic!("case {name}: V1: {e}"));
        db.client
            .batch_execute(ROWS)
            .await
            .unwrap_or_else(|e| panic!("case {name}: rows: {e}"));
        for (i, m) in p
            .migrations(&strata::render::header("--", "plan case"), "5s")
            .into_iter()
            .enumerate()
        {
            std::fs::write(
                dir.join(format!("V{}__{}.sql", i + 2, m.suggested_name)),
                &m.sql,
            )
            .expect("write");
        }
        if let Err(e) = apply(&mut db, &dir).await {
            // Consent lets a step run; it cannot make existing rows fit. Such a failure must
            // leave the database exactly as it was.
            assert!(
                FAIL_ON_ROWS.contains(name),
                "case {name}: applying the plan failed: {e}\n{}",
                p.review()
            );
            let before = TestDb::with_sql(&strata::render::sql::schema_sql(&old)).await;
            let got = comparable(catalog::read(&db.client, "public").await.expect("catalog"));
            let want = comparable(
                catalog::read(&before.client, "public")
                    .await
                    .expect("catalog"),
            );
            assert!(
                got == want,
                "case {name}: a failed migration left changes behind"
            );
            assert_eq!(count(&db, "users").await, Some(2), "case {name}");
            failed_cleanly += 1;
            continue;
        }
        let fresh = TestDb::with_sql(&strata::render::sql::schema_sql(&new)).await;
        let got = comparable(catalog::read(&db.client, "public").await.expect("catalog"));
        let want = comparable(
            catalog::read(&fresh.client, "public")
                .await
                .expect("catalog"),
        );
        assert!(
            got == want,
            "case {name}: the migrated catalog differs from a fresh apply\nmigrated: {got:#?}\nfresh: {want:#?}\nplan:\n{}",
            p.review()
        );
        for (table, rows) in [("users", 2), ("posts", 2)] {
            let now = new
                .tables
                .iter()
                .find(|t| t.name == table || t.renamed_from.as_deref() == Some(table));
            if let Some(t) = now {
                assert_eq!(
                    count(&db, &t.name).await,
                    Some(rows),
                    "case {name}: rows of {table} (now {})",
                    t.name
                );
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        applied += 1;
    }
    assert!(applied >= 50, "{applied} cases applied");
    assert_eq!(
        failed_cleanly,
        FAIL_ON_ROWS.len(),
        "every case expected to fail on the rows did"
    );
}
