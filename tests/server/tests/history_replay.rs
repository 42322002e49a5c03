//! For every seed database, replaying its whole migration history (generated/<db>/migrations,
//! applied by Strata's runner) on an empty database gives exactly the catalog that applying
//! generated/<db>/schema.sql gives — compared on the catalog, not on SQL text, column order
//! aside.

use strata_pg::{MigrateOptions, Migrations, migrate};
use strata_server_tests::catalog::{self, comparable};
use strata_server_tests::{load_seeds, workspace_root};
use strata_testkit::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replaying_each_seed_history_equals_schema_sql() {
    let root = workspace_root();
    let seeds = load_seeds();
    assert_eq!(seeds.len(), 5);
    for s in &seeds {
        let dir = root.join("generated").join(&s.name);
        let migrations =
            Migrations::from_dir(dir.join("migrations")).expect("the seed's migrations load");
        let mut replayed = TestDb::new().await;
        let report = migrate(
            &mut replayed.client,
            &migrations,
            &MigrateOptions::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", s.name));
        assert_eq!(
            report.applied.len(),
            migrations.iter().count(),
            "{}: every migration applied",
            s.name
        );
        let sql = std::fs::read_to_string(dir.join("schema.sql")).expect("schema.sql");
        let fresh = TestDb::with_sql(&sql).await;
        let a = comparable(
            catalog::read(&replayed.client, "public")
                .await
                .expect("catalog"),
        );
        let b = comparable(
            catalog::read(&fresh.client, "public")
                .await
                .expect("catalog"),
        );
        assert!(!b.tables.is_empty());
        assert_eq!(
            a, b,
            "{}: the replayed history and schema.sql build different databases",
            s.name
        );
    }
}

#[tokio::test]
async fn freddy_history_is_the_alembic_evolution() {
    let dir = workspace_root().join("generated/freddy/migrations");
    let migrations = Migrations::from_dir(&dir).expect("load");
    let names: Vec<&str> = migrations.iter().map(|m| m.file_name()).collect();
    assert_eq!(
        names,
        ["V1__initial.sql", "V2__add_assistant_new_feature.sql"]
    );
    // V2 on a database that holds an assistant: the new NOT NULL column is filled by its
    // server default, and the new table cascades from assistants.
    let v1 = migrations.up_to(1);
    let mut db = TestDb::new().await;
    migrate(&mut db.client, &v1, &MigrateOptions::default())
        .await
        .expect("V1 applies");
    db.client
        .batch_execute(
            "INSERT INTO organizations (id) VALUES ('org_1');
             INSERT INTO assistants (name, model, organization_id) VALUES ('a', 'gpt-4o', 'org_1');",
        )
        .await
        .expect("an assistant");
    migrate(&mut db.client, &migrations, &MigrateOptions::default())
        .await
        .expect("V2 applies on data");
    let row = db
        .client
        .query_one("SELECT id, new_feature FROM assistants", &[])
        .await
        .expect("row");
    let id: String = row.get(0);
    assert!(id.starts_with("asst_"), "{id}");
    assert!(
        !row.get::<_, bool>(1),
        "the server default filled the existing row"
    );
    db.client
        .execute(
            "INSERT INTO assistant_new_feature (id, assistant_id) VALUES ('x', $1)",
            &[&id],
        )
        .await
        .expect("insert");
    db.client
        .execute("DELETE FROM assistants", &[])
        .await
        .expect("delete");
    let left: i64 = db
        .client
        .query_one("SELECT count(*) FROM assistant_new_feature", &[])
        .await
        .expect("count")
        .get(0);
    assert_eq!(left, 0, "deleting the assistant cascaded");
}

#[tokio::test]
async fn hexabot_backfills_fill_task_and_channel_ids() {
    let dir = workspace_root().join("generated/hexabot/migrations");
    let all = Migrations::from_dir(&dir).expect("load");
    let v1 = all.up_to(1);
    let mut db = TestDb::new().await;
    migrate(&mut db.client, &v1, &MigrateOptions::default())
        .await
        .expect("V1 applies");
    db.client
        .batch_execute(
            r#"INSERT INTO subscribers (id, foreign_id, first_name, last_name) VALUES ('00000000-0000-4000-8000-000000000001', 'u1', 'John', 'Doe');
               INSERT INTO conversations (sender, context, "createdAt") VALUES
                 ('00000000-0000-4000-8000-000000000001', '{"vars": {"agentId": "bgv"}, "skip": {}, "attempt": 0}', '2025-12-05T10:00:00Z'),
                 ('00000000-0000-4000-8000-000000000001', '{"skip": {}, "attempt": 0}', '2025-12-05T11:00:00Z'),
                 ('00000000-0000-4000-8000-000000000001', '{"vars": {"taskId": "kept", "channelId": "prophunt_loan"}}', '2025-12-05T12:00:00Z');"#,
        )
        .await
        .expect("conversations from before the multi-agent structure");
    migrate(&mut db.client, &all, &MigrateOptions::default())
        .await
        .expect("the backfills apply");
    let rows = db
        .client
        .query(r#"SELECT context->'vars'->>'taskId', context->'vars'->>'channelId' FROM conversations ORDER BY "createdAt""#, &[])
        .await
        .expect("select");
    let got: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(
        got,
        [
            (
                "bgv_00000000-0000-4000-8000-000000000001_1764928800000".to_string(),
                "prophunt_bgv".to_string()
            ),
            (
                "unknown_00000000-0000-4000-8000-000000000001_1764932400000".to_string(),
                "prophunt_bgv".to_string()
            ),
            ("kept".to_string(), "prophunt_loan".to_string()),
        ]
    );
}
