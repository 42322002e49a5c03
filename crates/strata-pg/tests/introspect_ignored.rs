//! What the schema language cannot express is listed, never dropped silently: a database full
//! of such objects (`tests/fixtures/import/unsupported.sql`) reads back as the tables and
//! columns the model can hold, plus one ignored entry per object or property, with the reason.

#[path = "introspect_common/mod.rs"]
mod common;

use common::{read, root};
use strata_pg::introspect::{Error, Options, introspect};
use strata_testkit::TestDb;

#[tokio::test]
async fn every_unsupported_object_is_listed() {
    let ddl = std::fs::read_to_string(root().join("tests/fixtures/import/unsupported.sql"))
        .expect("fixture");
    let db = TestDb::with_sql(&ddl).await;
    let live = read(&db, "unsupported").await;
    let ignored: Vec<String> = live.ignored.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!("unsupported_ignored", ignored.join("\n"));

    // Functions and triggers are modelled; an aggregate and a disabled trigger are listed.
    let functions: Vec<&str> = live
        .schema
        .functions
        .iter()
        .map(|f| f.key.as_str())
        .collect();
    assert_eq!(functions, ["answer", "stamp"]);
    let triggers: Vec<&str> = live
        .schema
        .triggers
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(triggers, ["accounts_stamp"]);

    // The rest of each table is kept.
    let tables: Vec<&str> = live.schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        tables,
        [
            "accounts",
            "legacy",
            "readings",
            "scratch",
            "reporting.daily"
        ]
    );
    // A partitioned table keeps its partition (only its own extras are listed above).
    let readings = live.schema.table("readings").expect("readings");
    let partitions: Vec<&str> = readings
        .partitions
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(partitions, ["readings_2024"]);
    assert!(live.schema.grants.is_empty(), "{:?}", live.schema.grants);
    let schemas: Vec<&str> = live
        .schema
        .pg_schemas
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(schemas, ["reporting"]);
    let accounts = live.schema.table("accounts").expect("accounts");
    let columns: Vec<&str> = accounts.columns.iter().map(|c| c.name.as_str()).collect();
    // money and generated columns, a deferrable foreign key, a NOT VALID check with its
    // comment, indexes with an operator class, INCLUDE or NULLS FIRST, a column collation and
    // a timestamp precision are modelled now.
    assert_eq!(
        columns,
        [
            "id",
            "email",
            "name",
            "balance",
            "full_name",
            "created",
            "parent_id"
        ]
    );
    assert_eq!(
        accounts.column("name").and_then(|c| c.collation.as_deref()),
        Some("C")
    );
    assert_eq!(
        accounts
            .column("created")
            .map(|c| c.ty.to_string())
            .as_deref(),
        Some("timestamp(3)")
    );
    assert!(live.schema.table("scratch").is_some_and(|t| t.unlogged));
    assert!(
        accounts
            .column("full_name")
            .is_some_and(|c| c.generated.is_some())
    );
    assert_eq!(accounts.foreign_keys.len(), 1);
    assert_ne!(
        accounts.foreign_keys[0].deferrable,
        strata::model::Deferrable::No
    );
    // Row-level security and its policy are modelled now.
    assert_eq!(
        accounts.row_level_security,
        Some(strata::model::RowLevelSecurity::Enabled)
    );
    let policies: Vec<&str> = accounts.policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(policies, ["accounts_own"]);
    assert_eq!(accounts.policies[0].using.as_deref(), Some("true"));
    assert_eq!(accounts.checks.len(), 1);
    assert!(accounts.checks[0].not_valid);
    assert_eq!(
        accounts.checks[0].description.as_deref(),
        Some("Emails are never empty")
    );
    let indexes: Vec<&str> = accounts.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        indexes,
        [
            "accounts_email_pattern_idx",
            "accounts_email_include_idx",
            "accounts_email_nulls_idx"
        ]
    );
    // Sequences are modelled now: the serial column's, owned by it, and the free-standing one.
    let sequences: Vec<(&str, Option<(&str, &str)>)> = live
        .schema
        .sequences
        .iter()
        .map(|q| {
            (
                q.name.as_str(),
                q.owned_by.as_ref().map(|(t, c)| (t.as_str(), c.as_str())),
            )
        })
        .collect();
    assert!(
        sequences.contains(&("legacy_id_seq", Some(("legacy", "id")))),
        "{sequences:?}"
    );
    assert!(
        sequences.contains(&("ticket_numbers", None)),
        "{sequences:?}"
    );
}

#[tokio::test]
async fn another_schema_can_be_read() {
    let db = TestDb::with_sql(
        "CREATE SCHEMA app; CREATE TABLE app.notes (id integer PRIMARY KEY, body text NOT NULL);
         CREATE TABLE public.other (id integer PRIMARY KEY);",
    )
    .await;
    let found = introspect(&db.client, &Options::new().schema("app").name("app"))
        .await
        .expect("introspection");
    let tables: Vec<&str> = found
        .schema
        .tables
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(tables, ["notes"]);
    let ignored: Vec<String> = found.ignored.iter().map(ToString::to_string).collect();
    assert_eq!(
        ignored,
        ["schema public: the schema app is read as the default one, and public is not read then"]
    );

    let missing = introspect(&db.client, &Options::new().schema("nope")).await;
    assert!(
        matches!(missing, Err(Error::NoSuchSchema(ref s)) if s == "nope"),
        "{missing:?}"
    );
}

#[tokio::test]
async fn an_empty_database_is_an_empty_schema_named_after_it() {
    let db = TestDb::new().await;
    let found = introspect(&db.client, &Options::new())
        .await
        .expect("introspection");
    assert_eq!(found.schema.name, db.name);
    assert!(
        found.schema.tables.is_empty() && found.schema.enums.is_empty() && found.ignored.is_empty()
    );
}
