//! The generated constraints behave as declared: cascades, SET NULL, refusals, unique keys
//! (also on a JSON path), checks, single-row tables, auto-updated timestamps, the full-text
//! index and database-generated prefixed keys.

use super::{database_for, exec, one, refused};
use strata_pg::tokio_postgres::error::SqlState;
use strata_server_tests::load_seed;

#[tokio::test]
async fn freddy_cascades_refuses_and_generates_prefixed_keys() {
    let db = database_for(&load_seed("freddy")).await;
    let c = &db.client;
    exec(c, "INSERT INTO organizations (id) VALUES ('org_1')").await;
    exec(c, "INSERT INTO users (id) VALUES ('user_1')").await;
    let id: String = one(
        c,
        "INSERT INTO assistants (name, model, organization_id, user_id) VALUES ('a', 'gpt-4o', 'org_1', 'user_1') RETURNING id",
    )
    .await
    .get(0);
    assert!(
        id.starts_with("asst_") && id.len() == "asst_".len() + 36,
        "{id}"
    );
    let atc: String = one(
        c,
        &format!(
            "INSERT INTO assistant_tool_configurations (assistant_id) VALUES ('{id}') RETURNING id"
        ),
    )
    .await
    .get(0);
    assert!(atc.starts_with("atc_"), "{atc}");
    let other: String = one(
        c,
        "INSERT INTO assistants (name, model, organization_id) VALUES ('b', 'gpt-4o', 'org_1') RETURNING id",
    )
    .await
    .get(0);
    assert_ne!(id, other, "each row gets a new key");
    exec(c, &format!("INSERT INTO assistant_json_schemas (assistant_id, name, schema) VALUES ('{id}', 's', '{{}}')")).await;

    // assistants.organization_id has no action (NO ACTION): deleting the organization is refused.
    let message = refused(
        c,
        "DELETE FROM organizations WHERE id = 'org_1'",
        &SqlState::FOREIGN_KEY_VIOLATION,
    )
    .await;
    assert!(
        message.contains("assistants_organization_id_fkey"),
        "{message}"
    );
    // The one-to-one tool configuration is unique per assistant.
    refused(
        c,
        &format!("INSERT INTO assistant_tool_configurations (assistant_id) VALUES ('{id}')"),
        &SqlState::UNIQUE_VIOLATION,
    )
    .await;

    // ON DELETE CASCADE: the assistant's configuration and schemas go with it.
    assert_eq!(
        exec(c, &format!("DELETE FROM assistants WHERE id = '{id}'")).await,
        1
    );
    let left: i64 = one(
        c,
        "SELECT (SELECT count(*) FROM assistant_tool_configurations) + (SELECT count(*) FROM assistant_json_schemas)",
    )
    .await
    .get(0);
    assert_eq!(left, 0);
}

#[tokio::test]
async fn general_bots_set_null_and_unique() {
    let db = database_for(&load_seed("general_bots")).await;
    let c = &db.client;
    let user: String = one(
        c,
        "INSERT INTO users (username, email, password_hash) VALUES ('ann', 'ann@example.com', 'x') RETURNING id::text",
    )
    .await
    .get(0);
    let account: String = one(
        c,
        &format!(
            "INSERT INTO user_email_accounts (user_id, email_address, imap_server, imap_port, smtp_server, smtp_port, encrypted_password)
             VALUES ('{user}', 'ann@example.com', 'imap', 993, 'smtp', 465, 'secret') RETURNING id::text"
        ),
    )
    .await
    .get(0);
    let draft: String = one(
        c,
        &format!("INSERT INTO email_drafts (user_id, account_id, subject) VALUES ('{user}', '{account}', 'hi') RETURNING id::text"),
    )
    .await
    .get(0);
    let empty: String = one(
        c,
        &format!("SELECT to_addresses::text FROM email_drafts WHERE id = '{draft}'"),
    )
    .await
    .get(0);
    assert_eq!(empty, "{}");

    // ON DELETE SET NULL: the draft stays, without its account.
    exec(
        c,
        &format!("DELETE FROM user_email_accounts WHERE id = '{account}'"),
    )
    .await;
    let row = one(
        c,
        &format!("SELECT account_id IS NULL, subject FROM email_drafts WHERE id = '{draft}'"),
    )
    .await;
    assert!(row.get::<_, bool>(0));
    assert_eq!(row.get::<_, String>(1), "hi");

    // users.username is unique.
    let message = refused(
        c,
        "INSERT INTO users (username, email, password_hash) VALUES ('ann', 'other@example.com', 'y')",
        &SqlState::UNIQUE_VIOLATION,
    )
    .await;
    assert!(message.contains("users_username_key"), "{message}");

    // message_history.sender is limited to 'user' and 'bot'.
    exec(
        c,
        "INSERT INTO organizations (name, slug) VALUES ('o', 'o')",
    )
    .await;
    exec(
        c,
        "INSERT INTO bots (name, org_id) SELECT 'b', org_id FROM organizations",
    )
    .await;
    exec(c, &format!("INSERT INTO user_sessions (user_id, bot_id, session_token, expires_at) SELECT '{user}', id, 't', now() FROM bots")).await;
    let insert = |sender: &str| {
        format!(
            "INSERT INTO message_history (session_id, user_id, bot_id, message, sender)
             SELECT s.id, s.user_id, s.bot_id, 'hello', '{sender}' FROM user_sessions s"
        )
    };
    exec(c, &insert("bot")).await;
    let message = refused(c, &insert("robot"), &SqlState::CHECK_VIOLATION).await;
    assert!(
        message.contains("message_history_sender_check"),
        "{message}"
    );

    // Deleting the user cascades through sessions to the history.
    exec(c, &format!("DELETE FROM users WHERE id = '{user}'")).await;
    let left: i64 = one(c, "SELECT (SELECT count(*) FROM user_sessions) + (SELECT count(*) FROM message_history) + (SELECT count(*) FROM email_drafts)")
        .await
        .get(0);
    assert_eq!(left, 0);
}

#[tokio::test]
async fn hexabot_unique_json_path_index() {
    let db = database_for(&load_seed("hexabot")).await;
    let c = &db.client;
    exec(
        c,
        "INSERT INTO subscribers (foreign_id, first_name, last_name) VALUES ('f1', 'A', 'B')",
    )
    .await;
    let insert = |task: &str| {
        format!(
            "INSERT INTO conversations (sender, context)
             SELECT id, '{{\"vars\": {{\"taskId\": \"{task}\", \"channelId\": \"prophunt_bgv\"}}}}' FROM subscribers"
        )
    };
    exec(c, &insert("bgv_user123_1")).await;
    exec(c, &insert("bgv_user123_2")).await;
    let message = refused(c, &insert("bgv_user123_1"), &SqlState::UNIQUE_VIOLATION).await;
    assert!(
        message.contains("conversations_context_vars_taskid_key"),
        "{message}"
    );
    // Rows without a taskId are not keys (NULLs are distinct).
    exec(
        c,
        "INSERT INTO conversations (sender, context) SELECT id, '{}' FROM subscribers",
    )
    .await;
    exec(
        c,
        "INSERT INTO conversations (sender, context) SELECT id, '{}' FROM subscribers",
    )
    .await;
}

#[tokio::test]
async fn creator_site_checks_and_single_rows() {
    let db = database_for(&load_seed("creator_site")).await;
    let c = &db.client;
    refused(
        c,
        "INSERT INTO bot_config (temperature) VALUES (2.5)",
        &SqlState::CHECK_VIOLATION,
    )
    .await;
    refused(
        c,
        "INSERT INTO products (title, price_cents) VALUES ('p', -1)",
        &SqlState::CHECK_VIOLATION,
    )
    .await;

    exec(c, "INSERT INTO bot_config DEFAULT VALUES").await;
    let message = refused(
        c,
        "INSERT INTO bot_config DEFAULT VALUES",
        &SqlState::EXCLUSION_VIOLATION,
    )
    .await;
    assert!(message.contains("bot_config_single_row"), "{message}");
    exec(
        c,
        "INSERT INTO owner (display_name, slug) VALUES ('Ann', 'ann')",
    )
    .await;
    let message = refused(
        c,
        "INSERT INTO owner (display_name, slug) VALUES ('Bob', 'bob')",
        &SqlState::EXCLUSION_VIOLATION,
    )
    .await;
    assert!(message.contains("owner_single_row"), "{message}");
    // The one row can be replaced.
    exec(c, "DELETE FROM owner").await;
    exec(
        c,
        "INSERT INTO owner (display_name, slug) VALUES ('Bob', 'bob')",
    )
    .await;

    // Literal defaults arrive as written.
    let row = one(
        c,
        "SELECT greeting_message, model_provider, temperature, enabled_tools::text, quick_actions::text FROM bot_config",
    )
    .await;
    assert_eq!(row.get::<_, String>(0), "Hello! How can I help?");
    assert_eq!(row.get::<_, String>(1), "anthropic");
    assert_eq!(row.get::<_, f64>(2), 0.7);
    assert_eq!(row.get::<_, String>(3), r#"["links", "faq"]"#);
    assert_eq!(row.get::<_, String>(4), "[]");

    // subscribers.email is unique.
    exec(
        c,
        "INSERT INTO subscribers (email) VALUES ('a@example.com')",
    )
    .await;
    refused(
        c,
        "INSERT INTO subscribers (email) VALUES ('a@example.com')",
        &SqlState::UNIQUE_VIOLATION,
    )
    .await;
}

/// `updated_at` (timestamptz, timestamp, camelCase) moves on UPDATE; `created_at` does not.
#[tokio::test]
async fn auto_update_columns_move_and_created_at_does_not() {
    for (seed, insert, table, created, updated) in [
        (
            "creator_site",
            "INSERT INTO links (title, url) VALUES ('t', 'u')",
            "links",
            "created_at",
            "updated_at",
        ),
        (
            "agent_platform",
            r#"INSERT INTO llm_tasks ("llmRawPrompt") VALUES ('p')"#,
            "llm_tasks",
            r#""createdAt""#,
            r#""updatedAt""#,
        ),
        (
            "freddy",
            "INSERT INTO organizations (id) VALUES ('o'); INSERT INTO assistants (name, model, organization_id) VALUES ('a', 'm', 'o')",
            "assistants",
            "created_at",
            "updated_at",
        ),
    ] {
        let db = database_for(&load_seed(seed)).await;
        let c = &db.client;
        c.batch_execute(insert).await.expect("insert");
        // Put both timestamps in the past, as if the row were old (this UPDATE is itself touched,
        // so the trigger is disabled for it).
        c.batch_execute(&format!(
            "ALTER TABLE {table} DISABLE TRIGGER strata_touch_columns;
             UPDATE {table} SET {created} = '2000-01-01', {updated} = '2000-01-01';
             ALTER TABLE {table} ENABLE TRIGGER strata_touch_columns;"
        ))
        .await
        .expect("backdate");

        // A plain UPDATE, and one that tries to set updated_at itself.
        for update in [
            format!("UPDATE {table} SET {created} = {created}"),
            format!("UPDATE {table} SET {updated} = '1999-01-01'"),
        ] {
            exec(c, &update).await;
            let row = one(
                c,
                &format!(
                    "SELECT {created}::text, {updated} > now() - interval '1 minute' AND {updated} <= now() + interval '1 minute', {updated}::text FROM {table}"
                ),
            )
            .await;
            let created_text: String = row.get(0);
            assert!(
                created_text.starts_with("2000-01-01 00:00:00"),
                "{seed}: {created} moved to {created_text}"
            );
            assert!(
                row.get::<_, bool>(1),
                "{seed}: {updated} is {} after `{update}`",
                row.get::<_, String>(2)
            );
        }
    }
}

/// The GIN full-text index of kb_documents is what the planner uses for a text search.
#[tokio::test]
async fn full_text_index_is_used() {
    let db = database_for(&load_seed("general_bots")).await;
    let c = &db.client;
    c.batch_execute(
        "INSERT INTO organizations (name, slug) VALUES ('o', 'o');
         INSERT INTO bots (name, org_id) SELECT 'b', org_id FROM organizations;
         INSERT INTO kb_collections (id, bot_id, name) SELECT 'docs', id, 'Docs' FROM bots;
         INSERT INTO kb_documents (id, collection_id, bot_id, name, content)
             SELECT 'doc-' || g, 'docs', b.id, 'Document ' || g,
                    'ordinary filler text about topic ' || (g % 100) || CASE WHEN g = 12345 THEN ' zanzibar' ELSE '' END
             FROM generate_series(1, 20000) g, bots b;
         ANALYZE kb_documents;",
    )
    .await
    .expect("20,000 documents");
    let query = "SELECT id FROM kb_documents WHERE to_tsvector('english', content) @@ to_tsquery('english', 'zanzibar')";
    let plan: Vec<String> = c
        .query(&format!("EXPLAIN {query}"), &[])
        .await
        .expect("explain")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let plan = plan.join("\n");
    assert!(
        plan.contains("Bitmap Index Scan on kb_documents_to_tsvector_english_content_idx"),
        "the full-text index is not used:\n{plan}"
    );
    let found: String = one(c, query).await.get(0);
    assert_eq!(found, "doc-12345");
}
