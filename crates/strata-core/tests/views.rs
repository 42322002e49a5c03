//! Views in the schema language: loading and its errors, the DDL, and the planner's handling of
//! views and what they read (re-creation in order, CREATE OR REPLACE, renames by hint).

use strata::load::{SourceText, load_sources};
use strata::model::Schema;
use strata::plan::{PlanOptions, plan};

fn load(yaml: &str) -> Result<Schema, String> {
    load_sources(
        "t",
        false,
        vec![SourceText {
            path: "t.yaml".into(),
            text: yaml.into(),
        }],
    )
    .map_err(|d| d.render(false))
}

fn ok(yaml: &str) -> Schema {
    load(yaml).unwrap_or_else(|e| panic!("{e}"))
}

fn review(a: &str, b: &str) -> String {
    plan(&ok(a), &ok(b), &PlanOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .review()
}

const USERS: &str = "tables:\n  users:\n    columns:\n      id: { type: bigint, primary_key: true }\n      email: text\n      age: integer?\n";

#[test]
fn a_view_is_created_after_its_tables_with_its_comments() {
    let s = ok(&format!(
        "{USERS}views:\n  adults:\n    query: select id, email from users where age >= 18\n    description: Grown-ups.\n    columns:\n      email: {{ description: Where mail goes. }}\n    key: [id]\n"
    ));
    let sql = strata::render::sql::schema_sql(&s);
    let create = sql
        .find("CREATE VIEW adults AS SELECT id, email FROM users WHERE age >= 18;")
        .expect(&sql);
    assert!(create > sql.find("CREATE TABLE users").unwrap());
    assert!(
        sql.contains("COMMENT ON VIEW adults IS 'Grown-ups.';"),
        "{sql}"
    );
    assert!(
        sql.contains("COMMENT ON COLUMN adults.email IS 'Where mail goes.';"),
        "{sql}"
    );
}

#[test]
fn materialized_views_options_and_indexes() {
    let s = ok(&format!(
        "{USERS}views:\n  by_age:\n    materialized: true\n    query: SELECT age, count(*) AS n FROM users GROUP BY age\n    indexes:\n      - {{ columns: [age], unique: true }}\n  guarded:\n    query: SELECT id FROM users WHERE age > 3\n    with_check_option: cascaded\n    security_barrier: true\n"
    ));
    let sql = strata::render::sql::schema_sql(&s);
    assert!(sql.contains("CREATE MATERIALIZED VIEW by_age AS SELECT age, count(*) AS n FROM users GROUP BY age WITH DATA;"), "{sql}");
    assert!(
        sql.contains("CREATE UNIQUE INDEX by_age_age_key ON by_age USING btree (age);"),
        "{sql}"
    );
    assert!(sql.contains("CREATE VIEW guarded WITH (security_barrier = true) AS SELECT id FROM users WHERE age > 3 WITH CASCADED CHECK OPTION;"), "{sql}");
}

#[test]
fn bad_queries_and_references_are_located_errors() {
    let e = load(&format!(
        "{USERS}views:\n  v:\n    query: DELETE FROM users\n"
    ))
    .unwrap_err();
    assert!(e.contains("is not a query"), "{e}");
    assert!(e.contains("t.yaml:8:3"), "{e}");
    let e = load(&format!(
        "{USERS}views:\n  v:\n    query: SELECT 1; DROP TABLE users\n"
    ))
    .unwrap_err();
    assert!(e.contains("more than one statement"), "{e}");
    let e = load(&format!(
        "{USERS}views:\n  v:\n    query: SELECT id FROM usres\n"
    ))
    .unwrap_err();
    assert!(
        e.contains("reads `usres`, which this schema does not declare"),
        "{e}"
    );
    assert!(e.contains("did you mean `users`"), "{e}");
    let e = load(&format!(
        "{USERS}views:\n  v:\n    query: SELECT u.mail FROM users u\n"
    ))
    .unwrap_err();
    assert!(
        e.contains("reads `users.mail`, which `users` does not have"),
        "{e}"
    );
    assert!(e.contains("did you mean `email`"), "{e}");
    let e = load(&format!(
        "{USERS}views:\n  v:\n    query: SELECT id FROM users\n    key: [email]\n"
    ))
    .unwrap_err();
    assert!(
        e.contains("`key:` of view `v` names `email`, which its query does not return"),
        "{e}"
    );
    let e = load(&format!("{USERS}views:\n  v:\n    query: SELECT id FROM users\n    indexes:\n      - {{ columns: [id] }}\n")).unwrap_err();
    assert!(e.contains("not materialized"), "{e}");
}

#[test]
fn a_column_type_change_recreates_the_views_over_it_in_order() {
    let views = "views:\n  v1:\n    query: SELECT id, age FROM users\n  v2:\n    query: SELECT age FROM v1\n  other:\n    query: SELECT email FROM users\n";
    let a = format!("{USERS}{views}");
    let b = a.replace("age: integer?", "age: bigint?");
    let r = review(&a, &b);
    let at = |s: &str| r.find(s).unwrap_or_else(|| panic!("no {s:?} in\n{r}"));
    // Dropped readers first, the type change, then created again in dependency order.
    assert!(at("DROP VIEW v2;") < at("DROP VIEW v1;"), "{r}");
    assert!(
        at("DROP VIEW v1;") < at("ALTER TABLE users ALTER COLUMN age"),
        "{r}"
    );
    assert!(
        at("ALTER TABLE users ALTER COLUMN age") < at("CREATE VIEW v1 AS"),
        "{r}"
    );
    assert!(at("CREATE VIEW v1 AS") < at("CREATE VIEW v2 AS"), "{r}");
    assert!(
        r.contains("drop view v2 (it reads view v1, re-created)"),
        "{r}"
    );
    // `other` reads `email` only.
    assert!(!r.contains("DROP VIEW other"), "{r}");
}

#[test]
fn appended_columns_replace_a_view_and_other_changes_recreate_it() {
    let a = format!("{USERS}views:\n  v:\n    query: SELECT id, email FROM users\n");
    let r = review(&a, &a.replace("SELECT id, email", "SELECT id, email, age"));
    assert!(
        r.contains("CREATE OR REPLACE VIEW v AS SELECT id, email, age FROM users;"),
        "{r}"
    );
    assert!(!r.contains("DROP VIEW"), "{r}");
    let r = review(&a, &a.replace("SELECT id, email", "SELECT email, id"));
    assert!(
        r.contains("DROP VIEW v;") && r.contains("CREATE VIEW v AS SELECT email, id"),
        "{r}"
    );
    let r = review(&a, &a.replace("SELECT id, email", "SELECT id"));
    assert!(r.contains("DROP VIEW v;"), "{r}");
}

#[test]
fn a_view_is_renamed_by_hint() {
    let a = format!("{USERS}views:\n  v:\n    query: SELECT id FROM users\n");
    let b = format!("{USERS}views:\n  w:\n    query: SELECT id FROM users\n    renamed_from: v\n");
    let r = review(&a, &b);
    assert!(r.contains("ALTER VIEW v RENAME TO w;"), "{r}");
    assert!(!r.contains("DROP VIEW"), "{r}");
    let e = plan(
        &ok(&a),
        &ok(&b.replace("renamed_from: v", "renamed_from: nothing")),
        &PlanOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("renamed_from: nothing"), "{e}");
}

#[test]
fn a_dropped_table_drops_its_view_first() {
    let a = format!(
        "{USERS}  logs:\n    columns:\n      id: {{ type: bigint, primary_key: true }}\nviews:\n  v:\n    query: SELECT id FROM logs\n"
    );
    let r = plan(
        &ok(&a),
        &ok(USERS),
        &PlanOptions::default().consent(strata::plan::Consent::all()),
    )
    .unwrap()
    .review();
    assert!(
        r.find("DROP VIEW v;").unwrap() < r.find("DROP TABLE logs").unwrap(),
        "{r}"
    );
}

#[test]
fn views_are_their_own_kind_in_the_docs_and_the_er_diagram() {
    let s = ok(&format!(
        "{USERS}views:\n  adults:\n    description: Grown-ups.\n    query: SELECT id, email FROM users WHERE age >= 18\n    key: [id]\n  counts:\n    materialized: true\n    query: SELECT count(*) AS n FROM adults\n"
    ));
    let page = strata::render::docs::readme(&s);
    assert!(page.contains("## Views"), "{page}");
    assert!(page.contains("### `adults`"), "{page}");
    assert!(page.contains("Reads [`users`](#users)."), "{page}");
    assert!(page.contains("| `email` | `text` |"), "{page}");
    assert!(page.contains("view_adults[\"view adults\"] {"), "{page}");
    assert!(
        page.contains("view_adults }o..o{ users : \"reads\""),
        "{page}"
    );
    assert!(
        page.contains("view_counts }o..o{ view_adults : \"reads\""),
        "{page}"
    );
    assert!(page.contains("bigint n"), "{page}");
}
