//! Steps in an order that applies and never leaves a gap: a unique index that replaces an
//! automatic foreign-key index is built before the old one is dropped (a failed build leaves
//! the old index, and the next run drops the INVALID one and builds it again), and reverting an
//! enum value that a new table used drops that table before the replaced type.

use strata::plan::{Consent, PlanOptions, plan};
use strata_pg::{MigrateOptions, Migrations, migrate};
use strata_testkit::TestDb;

fn load(text: &str) -> strata::Schema {
    strata_server_tests::load_text(text)
}

/// Writes V1 (`first`) and the plan from `first` to each later schema as files of one folder.
fn write_history(case: &str, schemas: &[&strata::Schema]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("strata-order-{case}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("V1__initial.sql"),
        strata::render::sql::schema_sql(schemas[0]),
    )
    .expect("write");
    let mut version = 2;
    for pair in schemas.windows(2) {
        let p = plan(
            pair[0],
            pair[1],
            &PlanOptions::default().consent(Consent::all()),
        )
        .unwrap_or_else(|e| panic!("{case}: {e}"));
        for m in p.migrations("-- case\n", "5s") {
            std::fs::write(
                dir.join(format!("V{version}__{}.sql", m.suggested_name)),
                &m.sql,
            )
            .expect("write");
            version += 1;
        }
    }
    dir
}

async fn indexes(db: &TestDb) -> Vec<(String, bool)> {
    db.client
        .query(
            "SELECT c.relname::text, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
              WHERE i.indrelid = 'posts'::regclass ORDER BY 1",
            &[],
        )
        .await
        .expect("indexes")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

const USERS: &str = "tables:\n  users:\n    columns:\n      id: { type: integer, primary_key: true }\n  posts:\n    columns:\n      id: { type: integer, primary_key: true }\n      user_id: { type: integer, references: users }\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replacing_unique_index_is_built_before_the_old_one_goes() {
    let old = load(USERS);
    let new = load(&format!(
        "{USERS}    indexes:\n      - {{ columns: [user_id], unique: true }}\n"
    ));
    let p = plan(&old, &new, &PlanOptions::default().consent(Consent::all())).expect("plan");
    let review = p.review();
    let create = review
        .find("CREATE UNIQUE INDEX CONCURRENTLY")
        .expect(&review);
    let drop = review
        .find("DROP INDEX CONCURRENTLY IF EXISTS posts_user_id_idx")
        .expect(&review);
    assert!(
        create < drop,
        "the old index is dropped before the new one is built:\n{review}"
    );

    let dir = write_history("unique_over_fk", &[&old, &new]);
    let mut db = TestDb::new().await;
    let set = Migrations::from_dir(&dir).expect("migrations");
    migrate(&mut db.client, &set.up_to(1), &MigrateOptions::default())
        .await
        .expect("V1");
    db.client
        .batch_execute("INSERT INTO users VALUES (1); INSERT INTO posts VALUES (1, 1), (2, 1);")
        .await
        .expect("rows");
    let e = migrate(&mut db.client, &set, &MigrateOptions::default())
        .await
        .expect_err("duplicates on user_id");
    assert!(e.to_string().contains("INVALID index"), "{e}");
    // The foreign key's index is still there and valid; the failed build left an INVALID one.
    let after = indexes(&db).await;
    assert!(
        after.contains(&("posts_user_id_idx".to_string(), true)),
        "{after:?}"
    );
    assert!(
        after
            .iter()
            .any(|(n, valid)| n == "posts_user_id_key" && !valid),
        "{after:?}"
    );
    // Once the duplicate is gone, the next run drops the INVALID index, builds it, then drops
    // the old one.
    db.client
        .batch_execute("DELETE FROM posts WHERE id = 2")
        .await
        .expect("delete");
    migrate(&mut db.client, &set, &MigrateOptions::default())
        .await
        .expect("the second run completes");
    assert_eq!(
        indexes(&db).await,
        vec![
            ("posts_pkey".to_string(), true),
            ("posts_user_id_key".to_string(), true)
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reverting_an_enum_value_a_new_table_used_applies() {
    let v1 = load(
        "enums:\n  mood:\n    values: [ok]\ntables:\n  t:\n    columns:\n      id: { type: integer, primary_key: true }\n      m: { type: mood, default: ok }\n",
    );
    let v2 = load(
        "enums:\n  mood:\n    values: [ok, great]\ntables:\n  t:\n    columns:\n      id: { type: integer, primary_key: true }\n      m: { type: mood, default: ok }\n  u:\n    columns:\n      id: { type: integer, primary_key: true }\n      m: { type: mood, default: great }\n",
    );
    // Back to V1's schema: the value goes, and so does the table that used it.
    let dir = write_history("revert_enum", &[&v1, &v2, &v1]);
    let mut db = TestDb::new().await;
    let set = Migrations::from_dir(&dir).expect("migrations");
    let up_to_v2 = set
        .iter()
        .filter(|m| m.sql.contains("great"))
        .map(|m| m.version)
        .max()
        .expect("V2");
    migrate(
        &mut db.client,
        &set.up_to(up_to_v2),
        &MigrateOptions::default(),
    )
    .await
    .expect("V1 and V2");
    db.client
        .batch_execute("INSERT INTO t VALUES (1); INSERT INTO u VALUES (1);")
        .await
        .expect("rows");
    migrate(&mut db.client, &set, &MigrateOptions::default())
        .await
        .unwrap_or_else(|e| panic!("the revert applies: {e}"));
    let types: Vec<String> = db
        .client
        .query("SELECT typname::text FROM pg_type WHERE typname LIKE 'mood%' AND typtype = 'e' ORDER BY 1", &[])
        .await
        .expect("types")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(types, vec!["mood".to_string()]);
    let kept: i64 = db
        .client
        .query_one("SELECT count(*) FROM t", &[])
        .await
        .expect("t")
        .get(0);
    assert_eq!(kept, 1);
}

/// Dropping tables that reference each other — a chain and a cycle — applies without a cascade:
/// referencing tables go first, and a cycle's foreign key is dropped before its tables.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_tables_that_reference_each_other_applies() {
    let old = load(
        "tables:\n  keep:\n    columns:\n      id: { type: integer, primary_key: true }\n  \
         parents:\n    columns:\n      id: { type: integer, primary_key: true }\n  \
         children:\n    columns:\n      id: { type: integer, primary_key: true }\n      parent: { type: integer, references: parents }\n  \
         a:\n    columns:\n      id: { type: integer, primary_key: true }\n      b_id: { type: integer, nullable: true, references: b }\n  \
         b:\n    columns:\n      id: { type: integer, primary_key: true }\n      a_id: { type: integer, nullable: true, references: a }\n",
    );
    let new =
        load("tables:\n  keep:\n    columns:\n      id: { type: integer, primary_key: true }\n");
    let p = plan(&old, &new, &PlanOptions::default().consent(Consent::all())).expect("plan");
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&old)).await;
    db.client
        .batch_execute(
            "INSERT INTO parents VALUES (1); INSERT INTO children VALUES (1, 1);
             INSERT INTO a VALUES (1, NULL); INSERT INTO b VALUES (1, 1); UPDATE a SET b_id = 1;",
        )
        .await
        .expect("rows");
    for m in p.migrations("-- case\n", "5s") {
        // RESTRICT semantics: no statement may rely on CASCADE.
        assert!(!m.sql.contains("CASCADE"), "{}", m.sql);
        db.client
            .batch_execute(&format!("BEGIN; {} COMMIT;", m.sql))
            .await
            .unwrap_or_else(|e| panic!("{}\n{}", strata_pg::db_error_message(&e), p.review()));
    }
    let left: Vec<String> = db
        .client
        .query(
            "SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1",
            &[],
        )
        .await
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(left, ["keep"]);
}
