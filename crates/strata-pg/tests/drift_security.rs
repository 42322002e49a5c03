//! Drift of access control: a schema with roles, row-level security, policies and grants,
//! created from its DDL, compares equal to its import; each manual change (a policy dropped or
//! changed, row-level security turned off, a grant revoked or added, a role's attribute
//! changed) is reported in schema terms. The import writes the roles, policies and grants back
//! as YAML that loads to the same model.

#[path = "introspect_common/mod.rs"]
mod common;

use common::{exec, lines, read};
use strata_testkit::TestDb;

const SCHEMA: &str = r#"
roles:
  strata_drift_app: { member_of: [strata_drift_group] }
  strata_drift_group: {}
sequences:
  numbers: { grants: { strata_drift_app: [usage] } }
tables:
  notes:
    columns:
      id: { type: integer, primary_key: true }
      tenant_id: uuid
      body: text
    row_level_security: enabled
    policies:
      tenant:
        roles: [strata_drift_app]
        using: tenant_id = current_setting('app.tenant_id')::uuid
      readers:
        command: select
        as: restrictive
        using: body <> ''
        description: No empty notes.
    grants:
      strata_drift_group: [select, insert, { update: [body] }]
"#;

fn declared() -> strata::Schema {
    strata::load::load_sources(
        "drift",
        false,
        vec![strata::load::SourceText {
            path: "schemas/drift.yaml".into(),
            text: SCHEMA.into(),
        }],
    )
    .unwrap_or_else(|d| panic!("{}", d.render(false)))
}

/// Roles are cluster-wide and the tests of this file run at once: `role_attribute_changed`
/// alters a declared role, so every test reads the cluster's roles while holding this.
static ROLES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn check(sql: &str, expected: &[&str]) {
    let _roles = ROLES.lock().await;
    let declared = declared();
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&declared)).await;
    exec(&db, sql).await;
    let mut live = read(&db, "drift").await;
    live.expected_roles(&declared);
    assert!(live.ignored.is_empty(), "{:?}", live.ignored);
    let found = lines(&strata::compare::compare(&declared, &live.schema));
    assert_eq!(found, expected, "after `{sql}`");
}

#[tokio::test]
async fn the_import_equals_the_schema_and_reloads() {
    let _roles = ROLES.lock().await;
    let declared = declared();
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&declared)).await;
    let live = read(&db, "drift").await;
    assert_eq!(
        lines(&strata::compare::compare(&declared, &live.schema)),
        Vec::<String>::new()
    );
    let yaml = strata::render::yaml::schema_yaml(&live.schema);
    for expected in [
        "roles:\n  strata_drift_app: { member_of: [strata_drift_group] }\n  strata_drift_group: {}\n",
        "  numbers: { grants: { strata_drift_app: [usage] } }\n",
        "    row_level_security: enabled\n",
        "        as: restrictive\n",
        "      strata_drift_group: [select, insert, { update: [body] }]\n",
    ] {
        assert!(yaml.contains(expected), "{expected}\nnot in:\n{yaml}");
    }
    let reloaded = strata::load::load_sources(
        "drift",
        false,
        vec![strata::load::SourceText {
            path: "schemas/drift.yaml".into(),
            text: yaml.clone(),
        }],
    )
    .unwrap_or_else(|d| panic!("{}\n{yaml}", d.render(false)));
    assert_eq!(
        lines(&strata::compare::compare(&reloaded, &live.schema)),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn policy_dropped() {
    check(
        "DROP POLICY readers ON notes",
        &["policy readers on notes: missing from the database"],
    )
    .await;
}

#[tokio::test]
async fn policy_changed_and_extra() {
    check(
        "ALTER POLICY tenant ON notes TO PUBLIC; CREATE POLICY sneaky ON notes USING (true)",
        &[
            "policy tenant on notes: database has TO public, schema says TO strata_drift_app",
            "policy sneaky on notes: in the database, not in the schema",
        ],
    )
    .await;
}

#[tokio::test]
async fn row_level_security_off() {
    check(
        "ALTER TABLE notes DISABLE ROW LEVEL SECURITY",
        &["table notes: database has row-level security off, schema says row-level security enabled"],
    )
    .await;
}

#[tokio::test]
async fn grants_revoked_and_added() {
    check(
        "REVOKE INSERT ON notes FROM strata_drift_group; GRANT DELETE ON notes TO strata_drift_app",
        &[
            "grant of insert on table notes to strata_drift_group: missing from the database",
            "grant of delete on table notes to strata_drift_app: in the database, not in the schema",
        ],
    )
    .await;
}

#[tokio::test]
async fn role_attribute_changed() {
    // Roles are cluster-wide: put the attribute back so other tests see the declared role.
    let _roles = ROLES.lock().await;
    let declared = declared();
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&declared)).await;
    exec(&db, "ALTER ROLE strata_drift_group BYPASSRLS").await;
    let mut live = read(&db, "drift").await;
    live.expected_roles(&declared);
    let found = lines(&strata::compare::compare(&declared, &live.schema));
    exec(&db, "ALTER ROLE strata_drift_group NOBYPASSRLS").await;
    assert_eq!(
        found,
        ["role strata_drift_group: database has BYPASSRLS, schema says NOBYPASSRLS"]
    );
}
