//! Every seed's checked-in `generated/<db>/schema.sql` applies to an empty database, and the
//! catalog then holds exactly the seed's model.

use strata_server_tests::{load_seed, model_check, workspace_root};
use strata_testkit::TestDb;

async fn seed_applies_and_matches(name: &str) {
    let schema = load_seed(name);
    let path = workspace_root()
        .join("generated")
        .join(name)
        .join("schema.sql");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask codegen`)", path.display()));
    assert!(
        text == strata::render::sql::schema_sql(&schema),
        "{} is not what the renderer writes for the current schema; run `cargo xtask codegen`",
        path.display()
    );
    let db = TestDb::with_sql(&text).await;
    let differences = model_check::differences(&db.client, &schema)
        .await
        .expect("the catalog can be read");
    assert!(
        differences.is_empty(),
        "{name}: the database differs from the model:\n{}",
        differences.join("\n")
    );
}

#[tokio::test]
async fn agent_platform() {
    seed_applies_and_matches("agent_platform").await;
}

#[tokio::test]
async fn creator_site() {
    seed_applies_and_matches("creator_site").await;
}

#[tokio::test]
async fn freddy() {
    seed_applies_and_matches("freddy").await;
}

#[tokio::test]
async fn general_bots() {
    seed_applies_and_matches("general_bots").await;
}

#[tokio::test]
async fn hexabot() {
    seed_applies_and_matches("hexabot").await;
}

#[tokio::test]
async fn every_seed_has_a_test() {
    let names: Vec<String> = strata_server_tests::load_seeds()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(
        names,
        [
            "agent_platform",
            "creator_site",
            "freddy",
            "general_bots",
            "hexabot"
        ]
    );
}

/// The check is not vacuous: a database that drifted from the model is reported, fact by fact.
#[tokio::test]
async fn drift_is_reported() {
    let schema = load_seed("freddy");
    let db = super::database_for(&schema).await;
    db.client
        .batch_execute(
            "COMMENT ON TABLE assistants IS 'changed';
             ALTER TABLE assistants ALTER COLUMN model TYPE varchar(101);
             ALTER TABLE assistants ALTER COLUMN description SET NOT NULL;
             ALTER TABLE assistants ALTER COLUMN is_public SET DEFAULT true;
             ALTER TABLE assistants ALTER COLUMN id SET DEFAULT 'ast_' || gen_random_uuid();
             ALTER TABLE assistants ADD COLUMN extra integer;
             ALTER TABLE assistant_rules DROP CONSTRAINT assistant_rules_assistant_id_fkey;
             ALTER TABLE assistant_rules ADD CONSTRAINT assistant_rules_assistant_id_fkey
                 FOREIGN KEY (assistant_id) REFERENCES assistants (id) ON DELETE SET NULL;
             DROP INDEX assistants_user_id_idx;
             CREATE INDEX assistants_model_idx ON assistants (model);
             DROP TRIGGER strata_touch_columns ON assistants;
             ALTER TABLE assistant_rules DROP CONSTRAINT assistant_rules_assistant_id_rule_id_key;
             ALTER TABLE assistant_rules ADD CONSTRAINT assistant_rules_assistant_id_rule_id_key UNIQUE (rule_id, assistant_id);",
        )
        .await
        .expect("drift applied");
    let differences = model_check::differences(&db.client, &schema)
        .await
        .expect("the catalog can be read");
    let text = differences.join("\n");
    for expected in [
        "comment of table \"assistants\"",
        "type of column \"assistants\".\"model\"",
        "NOT NULL of column \"assistants\".\"description\"",
        "default value of column \"assistants\".\"is_public\"",
        "default of column \"assistants\".\"id\"",
        "columns of \"assistants\"",
        "kind of constraint \"assistant_rules\".\"assistant_rules_assistant_id_fkey\"",
        "index of \"assistants\" \"assistants_user_id_idx\" is missing",
        "index of \"assistants\" \"assistants_model_idx\" is not in the model",
        "triggers of \"assistants\"",
        "columns of constraint \"assistant_rules\".\"assistant_rules_assistant_id_rule_id_key\"",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not reported in:\n{text}"
        );
    }
    assert_eq!(differences.len(), 11, "{text}");
}
