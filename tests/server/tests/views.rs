//! Views on the server: what `strata::deps` parses from a view's query is what PostgreSQL
//! records in `pg_depend` (relations and columns); a migration that changes a column under
//! views re-creates them on a database with rows, and they read the converted rows.

use std::collections::BTreeSet;
use strata::deps::{self, ObjectName};
use strata::plan::{PlanOptions, plan};
use strata_testkit::TestDb;

const SCHEMA: &str = r#"
tables:
  authors:
    columns:
      id: { type: bigint, primary_key: true }
      name: text
      born: integer?
  posts:
    columns:
      id: { type: bigint, primary_key: true }
      author_id: { type: bigint, references: authors }
      title: text
      body: text
      published: boolean
      score: integer
views:
  published_posts:
    query: SELECT p.id, p.title, p.author_id FROM posts p WHERE p.published
  author_stats:
    query: |
      WITH live AS (SELECT author_id, score FROM posts WHERE published)
      SELECT a.id, upper(a.name) AS name,
             (SELECT sum(l.score) FROM live l WHERE l.author_id = a.id) AS total
      FROM authors a
    columns:
      name: { type: text }
      total: { type: bigint }
  everything:
    query: SELECT * FROM authors
  titles_by_author:
    query: SELECT a.name, pp.title FROM published_posts pp JOIN authors a ON a.id = pp.author_id
  top_scores:
    materialized: true
    query: SELECT author_id, max(score) AS best FROM posts GROUP BY author_id
    columns:
      best: { type: bigint }
    indexes:
      - { columns: [author_id], unique: true }
"#;

/// `(relation, column)` pairs PostgreSQL records for a view's rewrite rule; a column of `""`
/// stands for the whole relation.
async fn recorded(db: &TestDb, view: &str) -> BTreeSet<(String, String)> {
    db.client
        .query(
            "SELECT DISTINCT c.relname::text, coalesce(a.attname::text, '')
             FROM pg_rewrite r
             JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
             JOIN pg_class c ON c.oid = d.refobjid AND d.refclassid = 'pg_class'::regclass
             LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
             WHERE r.ev_class = $1::text::regclass AND d.refobjid <> r.ev_class AND d.deptype = 'n'",
            &[&view],
        )
        .await
        .expect("pg_depend")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parsed_reads_match_pg_depend() {
    let schema = strata_server_tests::load_text(SCHEMA);
    let sql = strata::render::sql::schema_sql(&schema);
    let db = TestDb::with_sql(&sql).await;
    for v in &schema.views {
        let reads = deps::query_reads(&v.query);
        let columns = reads.columns(|r| deps::columns_of(&schema, r));
        let parsed_relations: BTreeSet<String> =
            reads.relations.iter().map(|r| r.name.clone()).collect();
        let parsed_columns: BTreeSet<(String, String)> = columns
            .iter()
            .map(|(r, c): &(ObjectName, String)| (r.name.clone(), c.clone()))
            .collect();
        let pg = recorded(&db, &v.name).await;
        let pg_relations: BTreeSet<String> = pg.iter().map(|(r, _)| r.clone()).collect();
        let pg_columns: BTreeSet<(String, String)> =
            pg.into_iter().filter(|(_, c)| !c.is_empty()).collect();
        assert_eq!(parsed_relations, pg_relations, "relations of {}", v.name);
        assert_eq!(parsed_columns, pg_columns, "columns of {}", v.name);
    }
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_type_change_recreates_views_over_rows() {
    let old = strata_server_tests::load_text(SCHEMA);
    let new = strata_server_tests::load_text(
        &SCHEMA.replace("      score: integer", "      score: bigint"),
    );
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&old)).await;
    db.client
        .batch_execute(
            "INSERT INTO authors VALUES (1, 'ann', 1970), (2, 'bob', NULL);
             INSERT INTO posts VALUES (10, 1, 'a', '', true, 5), (11, 1, 'b', '', true, 7), (12, 2, 'c', '', false, 9);
             REFRESH MATERIALIZED VIEW top_scores;",
        )
        .await
        .expect("rows");
    let p = plan(&old, &new, &PlanOptions::default()).expect("plan");
    let review = p.review();
    assert!(review.contains("DROP VIEW author_stats"), "{review}");
    assert!(
        review.contains("DROP MATERIALIZED VIEW top_scores"),
        "{review}"
    );
    assert!(!review.contains("DROP VIEW everything"), "{review}");
    let mut script = String::from("BEGIN;\n");
    for s in &p.steps {
        for st in &s.statements {
            script.push_str(st);
            script.push_str(";\n");
        }
    }
    script.push_str("COMMIT;\n");
    db.client
        .batch_execute(&script)
        .await
        .unwrap_or_else(|e| panic!("{}\n{script}", strata_pg::db_error_message(&e)));
    let total: i64 = db
        .client
        .query_one("SELECT total::bigint FROM author_stats WHERE id = 1", &[])
        .await
        .expect("author_stats")
        .get(0);
    assert_eq!(total, 12);
    let best: i64 = db
        .client
        .query_one("SELECT best FROM top_scores WHERE author_id = 2", &[])
        .await
        .expect("top_scores, populated WITH DATA")
        .get(0);
    assert_eq!(best, 9);
    let titles: i64 = db
        .client
        .query_one("SELECT count(*) FROM titles_by_author", &[])
        .await
        .expect("titles_by_author")
        .get(0);
    assert_eq!(titles, 2);
    db.drop_database().await;
}
