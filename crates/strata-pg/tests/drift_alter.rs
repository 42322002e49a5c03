//! Drift, one manual change at a time: each test builds a fresh database from a seed's
//! generated DDL, changes one thing by hand as someone might on a live server, and checks that
//! comparing the seed's schema with the introspected database reports exactly that change, in
//! schema terms.

#[path = "introspect_common/mod.rs"]
mod common;

use common::{exec, lines, read, seed, seed_db};

/// Applies `sql` to a database built from `seed_name`'s DDL and checks the differences.
async fn check(seed_name: &str, sql: &str, expected: &[&str]) {
    let declared = seed(seed_name);
    let db = seed_db(seed_name).await;
    exec(&db, sql).await;
    let live = read(&db, seed_name).await;
    let found = lines(&strata::compare::compare(&declared, &live.schema));
    assert_eq!(found, expected, "after `{sql}`");
}

macro_rules! drift {
    ($($name:ident: $seed:literal, $sql:literal => [$($line:literal),* $(,)?];)*) => {
        $(
            #[tokio::test]
            async fn $name() {
                check($seed, $sql, &[$($line),*]).await;
            }
        )*
    };
}

drift! {
    column_type_changed: "creator_site",
        "ALTER TABLE links ALTER COLUMN description TYPE text" => [
        "column links.description: database has text, schema says varchar(500)",
    ];
    varchar_widened: "creator_site",
        "ALTER TABLE subscribers ALTER COLUMN email TYPE varchar(320)" => [
        "column subscribers.email: database has varchar(320), schema says varchar(255)",
    ];
    not_null_dropped: "creator_site",
        "ALTER TABLE links ALTER COLUMN title DROP NOT NULL" => [
        "column links.title: database allows NULL, schema says NOT NULL",
    ];
    not_null_added: "creator_site",
        "ALTER TABLE links ALTER COLUMN icon SET NOT NULL" => [
        "column links.icon: database has NOT NULL, schema says nullable",
    ];
    index_dropped: "general_bots",
        "DROP INDEX message_history_created_at_idx" => [
        "index message_history_created_at_idx on message_history (created_at): missing from the database",
    ];
    foreign_key_index_dropped: "creator_site",
        "DROP INDEX messages_session_id_idx" => [
        "index messages_session_id_idx on messages (session_id): missing from the database",
    ];
    extra_column: "creator_site",
        "ALTER TABLE links ADD COLUMN legacy_code text" => [
        "column links.legacy_code: in the database (text, nullable), not in the schema",
    ];
    column_dropped: "creator_site",
        "ALTER TABLE links DROP COLUMN icon" => [
        "column links.icon: missing from the database",
    ];
    foreign_key_action_changed: "creator_site",
        "ALTER TABLE messages DROP CONSTRAINT messages_session_id_fkey;
         ALTER TABLE messages ADD CONSTRAINT messages_session_id_fkey FOREIGN KEY (session_id) REFERENCES chat_sessions (id)" => [
        "foreign key messages_session_id_fkey on messages: database has ON DELETE NO ACTION, schema says CASCADE",
    ];
    foreign_key_dropped: "creator_site",
        "ALTER TABLE rsvps DROP CONSTRAINT rsvps_event_id_fkey" => [
        "foreign key rsvps_event_id_fkey on rsvps (event_id) REFERENCES events (id): missing from the database",
    ];
    check_dropped: "creator_site",
        "ALTER TABLE products DROP CONSTRAINT products_price_cents_check" => [
        "check constraint products_price_cents_check on products (price_cents >= 0): missing from the database",
    ];
    check_changed: "creator_site",
        "ALTER TABLE products DROP CONSTRAINT products_price_cents_check;
         ALTER TABLE products ADD CONSTRAINT products_price_cents_check CHECK (price_cents > 0)" => [
        "check constraint products_price_cents_check on products: database has CHECK (price_cents > 0), schema says CHECK (price_cents >= 0)",
    ];
    table_added: "creator_site",
        "CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, entry text NOT NULL)" => [
        "table audit_log: in the database, not in the schema",
    ];
    table_dropped: "creator_site",
        "DROP TABLE faq_entries" => [
        "table faq_entries: missing from the database",
    ];
    column_renamed: "creator_site",
        "ALTER TABLE links RENAME COLUMN icon TO icon_name" => [
        "column links.icon: missing from the database (it has a column icon_name of the same type, not in the schema: renamed?)",
        "column links.icon_name: in the database (varchar(50), nullable), not in the schema",
    ];
    default_changed: "creator_site",
        "ALTER TABLE products ALTER COLUMN currency SET DEFAULT 'EUR'" => [
        "column products.currency: database has default 'EUR', schema says default 'USD'",
    ];
    default_dropped: "creator_site",
        "ALTER TABLE bot_config ALTER COLUMN temperature DROP DEFAULT" => [
        "column bot_config.temperature: database has no default, schema says default 0.7",
    ];
    sql_default_changed: "creator_site",
        "ALTER TABLE links ALTER COLUMN created_at SET DEFAULT clock_timestamp()" => [
        "column links.created_at: database has default clock_timestamp(), schema says default now()",
    ];
    enum_value_added: "creator_site",
        "ALTER TYPE product_type ADD VALUE 'service'" => [
        "enum product_type: database has value 'service', not in the schema",
    ];
    enum_value_inserted: "creator_site",
        "ALTER TYPE message_role ADD VALUE 'tool' BEFORE 'system'" => [
        "enum message_role: database has value 'tool', not in the schema",
    ];
    column_comment_dropped: "creator_site",
        "COMMENT ON COLUMN subscribers.email IS NULL" => [
        "comment on column subscribers.email: database has none, schema says \"Unique subscriber email\"",
    ];
    table_comment_changed: "creator_site",
        "COMMENT ON TABLE links IS 'Links.'" => [
        "comment on table links: database has \"Links.\", schema says \"A link shown on the site.\"",
    ];
    enum_comment_dropped: "creator_site",
        "COMMENT ON TYPE product_type IS NULL" => [
        "comment on enum product_type: database has none, schema says \"Kind of product sold.\"",
    ];
    auto_update_trigger_dropped: "creator_site",
        "DROP TRIGGER strata_touch_columns ON links" => [
        "column links.updated_at: database has no strata_touch_columns trigger setting it on UPDATE, schema says auto_update",
    ];
    auto_update_extended: "creator_site",
        "CREATE OR REPLACE TRIGGER strata_touch_columns BEFORE UPDATE ON links FOR EACH ROW EXECUTE FUNCTION strata_touch_columns('created_at', 'updated_at')" => [
        "column links.created_at: database has a strata_touch_columns trigger setting it on UPDATE, schema says no auto_update",
    ];
    unique_dropped: "creator_site",
        "ALTER TABLE subscribers DROP CONSTRAINT subscribers_email_key" => [
        "unique constraint subscribers_email_key on subscribers (email): missing from the database",
    ];
    index_added: "creator_site",
        "CREATE INDEX links_sort_order_idx ON links (sort_order)" => [
        "index links_sort_order_idx on links (sort_order): in the database, not in the schema",
    ];
    index_made_descending: "general_bots",
        "DROP INDEX message_history_created_at_idx;
         CREATE INDEX message_history_created_at_idx ON message_history (created_at DESC)" => [
        "index message_history_created_at_idx on message_history: database has the keys (created_at DESC), schema says (created_at)",
        // A new index has no comment until someone writes one again.
        "comment on index message_history_created_at_idx on message_history: database has none, schema says \"For time-based queries\"",
    ];
    index_made_ascending: "hexabot",
        "DROP INDEX \"messages_createdAt_idx\";
         CREATE INDEX \"messages_createdAt_idx\" ON messages (\"createdAt\")" => [
        "index messages_createdAt_idx on messages: database has the keys (\"createdAt\"), schema says (\"createdAt\" DESC)",
    ];
    index_renamed: "general_bots",
        "ALTER INDEX message_history_created_at_idx RENAME TO mh_created" => [
        "index on message_history (created_at): database has the name mh_created, schema says message_history_created_at_idx",
    ];
    index_made_partial: "general_bots",
        "DROP INDEX message_history_created_at_idx;
         CREATE INDEX message_history_created_at_idx ON message_history (created_at) WHERE created_at > '2020-01-01'" => [
        "index message_history_created_at_idx on message_history: database has WHERE created_at > '2020-01-01 00:00:00+00'::timestamp with time zone, schema says no predicate",
        // A new index has no comment until someone writes one again.
        "comment on index message_history_created_at_idx on message_history: database has none, schema says \"For time-based queries\"",
    ];
    index_method_changed: "general_bots",
        "DROP INDEX message_history_created_at_idx;
         CREATE INDEX message_history_created_at_idx ON message_history USING brin (created_at)" => [
        "index message_history_created_at_idx on message_history: database has USING brin, schema says USING btree",
        // A new index has no comment until someone writes one again.
        "comment on index message_history_created_at_idx on message_history: database has none, schema says \"For time-based queries\"",
    ];
    single_row_dropped: "creator_site",
        "ALTER TABLE owner DROP CONSTRAINT owner_single_row" => [
        "single-row constraint owner_single_row on owner: missing from the database",
    ];
    primary_key_widened: "creator_site",
        "ALTER TABLE links DROP CONSTRAINT links_pkey; ALTER TABLE links ADD CONSTRAINT links_pkey PRIMARY KEY (id, title)" => [
        "primary key of links: database has (id, title), schema says (id)",
    ];
    // Sequences are modelled: one the schema does not declare is a difference.
    sequence_added: "creator_site",
        "CREATE SEQUENCE invoice_numbers" => [
        "sequence invoice_numbers: in the database, not in the schema",
    ];
    identity_added: "creator_site",
        "ALTER TABLE links ALTER COLUMN click_count DROP DEFAULT;
         ALTER TABLE links ALTER COLUMN click_count ADD GENERATED BY DEFAULT AS IDENTITY" => [
        "column links.click_count: database has GENERATED BY DEFAULT AS IDENTITY, schema says no identity",
        "column links.click_count: database has no default, schema says default 0",
    ];
}

/// Objects the model cannot express are listed as ignored, and are no difference; views and
/// functions are modelled, so undeclared ones are differences.
#[tokio::test]
async fn unsupported_objects_are_listed_not_reported() {
    let declared = seed("creator_site");
    let db = seed_db("creator_site").await;
    exec(
        &db,
        "CREATE VIEW active_links AS SELECT * FROM links WHERE is_active;
         CREATE FUNCTION link_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM links';
         CREATE TYPE pair AS (a integer, b integer);",
    )
    .await;
    let live = read(&db, "creator_site").await;
    assert_eq!(
        lines(&strata::compare::compare(&declared, &live.schema)),
        [
            "function link_count(): in the database, not in the schema",
            "view active_links: in the database, not in the schema"
        ]
    );
    let ignored: Vec<String> = live.ignored.iter().map(ToString::to_string).collect();
    assert_eq!(
        ignored,
        ["type pair: a composite type; the schema language has none"]
    );
}
