//! Every generated read (`QUERIES` of every table of every seed database) prepared on the
//! server and explained with a generic plan (so every parameter is unknown, as in a prepared
//! statement); over a few thousand rows, each one the generator says an index answers must
//! be planned as a scan of that index.

use strata_downstream_tests::seed_ddl;
use strata_pg::tokio_postgres::Client;
use strata_runtime::{Query, Table};
use strata_testkit::TestDb;

/// `tables![module: Type, …]`: each table's name and generated reads.
macro_rules! tables {
    ($module:path: $($ty:ident),* $(,)?) => {{
        use $module as m;
        vec![$((<m::$ty as Table>::TABLE, <m::$ty as Table>::QUERIES)),*]
    }};
}

type Tables = Vec<(&'static str, &'static [Query])>;

/// The generic plan of `q`, as text.
async fn plan(c: &Client, n: usize, q: &Query) -> String {
    let name = format!("strata_explain_{n}");
    c.batch_execute(&format!("PREPARE {name} AS {}", q.sql))
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}\n{}", q.method, q.sql));
    let args = vec!["NULL"; q.params].join(", ");
    let call = if q.params == 0 {
        name.clone()
    } else {
        format!("{name}({args})")
    };
    let rows = c
        .simple_query(&format!("EXPLAIN EXECUTE {call}"))
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}\n{}", q.method, q.sql));
    c.batch_execute(&format!("DEALLOCATE {name}"))
        .await
        .unwrap();
    rows.iter()
        .filter_map(|m| match m {
            strata_pg::tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(String::from),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Explains every read of `tables`; for those of `filled` tables that name an index, asserts
/// the plan scans it. Returns how many reads were explained and how many asserted.
async fn explain_all(c: &Client, tables: &Tables, filled: &[&str]) -> (usize, usize) {
    c.batch_execute("SET plan_cache_mode = force_generic_plan")
        .await
        .unwrap();
    let (mut explained, mut indexed) = (0, 0);
    for (table, queries) in tables {
        for q in queries.iter() {
            let text = plan(c, explained, q).await;
            explained += 1;
            if let (Some(index), true) = (q.index, filled.contains(table)) {
                let scans = text.contains("Index Scan") || text.contains("Index Only Scan");
                assert!(
                    scans && text.contains(index),
                    "{table}.{}: expected a scan of {index}\n{}\n{text}",
                    q.method,
                    q.sql
                );
                indexed += 1;
            }
        }
    }
    (explained, indexed)
}

#[tokio::test]
async fn creator_site_reads_use_their_indexes() {
    use strata_models::creator_site::*;
    let db = TestDb::with_sql(&seed_ddl("creator_site")).await;
    let c = &db.client;
    let sessions: Vec<NewChatSession> = (0..3000)
        .map(|i| NewChatSession {
            id: None,
            created_at: None,
            updated_at: None,
            visitor_id: format!("v-{i}"),
            is_active: None,
        })
        .collect();
    assert_eq!(ChatSession::insert_many(c, &sessions).await.unwrap(), 3000);
    let ids: Vec<_> = ChatSession::page(c, None, 100, strata_runtime::pg::Order::Asc)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    let messages: Vec<NewMessage> = (0..3000)
        .map(|i| NewMessage {
            id: None,
            created_at: None,
            updated_at: None,
            session_id: ids[i % ids.len()],
            role: MessageRole::User,
            content_text: Some(format!("m{i}")),
            content_a2ui: None,
            token_usage: None,
        })
        .collect();
    assert_eq!(Message::insert_many(c, &messages).await.unwrap(), 3000);
    let subscribers: Vec<NewSubscriber> = (0..3000)
        .map(|i| NewSubscriber {
            id: None,
            created_at: None,
            updated_at: None,
            email: format!("s{i}@example.com"),
            name: None,
            subscribed_at: None,
            is_active: None,
        })
        .collect();
    assert_eq!(
        Subscriber::insert_many(c, &subscribers).await.unwrap(),
        3000
    );
    c.batch_execute("ANALYZE").await.unwrap();
    let tables = tables![strata_models::creator_site:
        Owner, BotConfig, ChatSession, Message, Link, Product, Event, Rsvp, BookingSlot, Booking,
        Subscriber, FaqEntry, PortfolioItem, Integration];
    let (explained, indexed) =
        explain_all(c, &tables, &["chat_sessions", "messages", "subscribers"]).await;
    assert!(explained > 100 && indexed >= 15, "{explained} {indexed}");
}

/// The reads of the other seed databases, the hostile fixture and the edge schema (both
/// through the proc-macro) are valid on the server (prepared and planned).
#[tokio::test]
async fn every_seed_read_prepares() {
    let seeds: Vec<(&str, Tables)> = vec![
        (
            "agent_platform",
            tables![strata_models::agent_platform:
                LlmConversation, LlmConversationMessage, LlmTask, LlmAgentImport,
                LlmAgentInstallation],
        ),
        (
            "freddy",
            tables![strata_models::freddy:
                Organization, User, Rule, File, VectorStore, Assistant,
                AssistantToolConfiguration, AssistantRule, AssistantReasoning,
                AssistantJsonSchema, AssistantVectorStore, AssistantRuleAttachment,
                AssistantNewFeature],
        ),
        (
            "general_bots",
            tables![strata_models::general_bots:
                MessageHistory, Click, SystemAutomation, Organization, Bot, BotConfiguration,
                BotMemory, UserEmailAccount, EmailDraft, EmailFolder, KbCollection, KbDocument,
                UserKbAssociation, BasicTool, SessionToolAssociation, User, UserSession,
                UserLoginToken, UserPreference],
        ),
        (
            "hexabot",
            tables![strata_models::hexabot: User, Block, Subscriber, Conversation, Message],
        ),
    ];
    let fixture = |name: &str, path: &str| {
        strata::render::sql::schema_sql(&strata_downstream_tests::load(name, path))
    };
    let others: Vec<(String, Tables)> = vec![
        (
            fixture("hostile", "tests/fixtures/hostile/hostile.yaml"),
            tables![strata_downstream_tests::hostile:
                Select, UserAccount, ATableNameThatIsExactlySixtyThreeBytesLongXxxxxxxxxxx,
                Partner, Setting, CycleA, CycleB],
        ),
        (
            fixture("edge", "tests/downstream/schemas/edge.yaml"),
            tables![strata_downstream_tests::edge: EveryType, Tag, Pair, Booking],
        ),
    ];
    let seeds = seeds
        .into_iter()
        .map(|(name, tables)| (seed_ddl(name), tables))
        .chain(others);
    for (ddl, tables) in seeds {
        let name = tables[0].0;
        let db = TestDb::with_sql(&ddl).await;
        let (explained, _) = explain_all(&db.client, &tables, &[]).await;
        let total: usize = tables.iter().map(|(_, q)| q.len()).sum();
        assert_eq!(explained, total, "{name}");
    }
}

/// `schemas/models.yaml` over a few thousand rows: the pages on secondary indexes (ordered by
/// the index, tie-broken by the primary key) and the many-to-many lists scan their indexes.
#[tokio::test]
async fn secondary_index_pages_and_join_lists_use_their_indexes() {
    use strata_downstream_tests::models::*;
    use strata_runtime::chrono::{DateTime, Duration, NaiveDate, Utc};
    let db = crate::models::models_db().await;
    let c = &db.client;
    let start: DateTime<Utc> = "2024-01-01T00:00:00Z".parse().unwrap();
    let authors: Vec<NewAuthor> = (0..3000)
        .map(|i| {
            NewAuthor::new(format!("name {}", i % 997), format!("a{i}@example.com"))
                .with_joined_at(start + Duration::minutes(i))
        })
        .collect();
    assert_eq!(Author::insert_many(c, &authors).await.unwrap(), 3000);
    let ids: Vec<_> = Author::page(c, None, 3000, strata_runtime::pg::Order::Asc)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    let first = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let books: Vec<NewBook> = (0..3000)
        .map(|i| {
            NewBook::new(format!("b{i}"), ids[i % ids.len()])
                .with_published(first + Duration::days(i as i64))
        })
        .collect();
    assert_eq!(Book::insert_many(c, &books).await.unwrap(), 3000);
    let tags: Vec<NewTag> = (0..3000).map(|i| NewTag::new(format!("t{i}"))).collect();
    assert_eq!(Tag::insert_many(c, &tags).await.unwrap(), 3000);
    c.batch_execute(
        "INSERT INTO book_tags (book_id, tag_id) \
         SELECT b.id, t.id FROM books b JOIN tags t ON t.id % 1000 = b.id % 1000",
    )
    .await
    .unwrap();
    c.batch_execute("ANALYZE").await.unwrap();
    let tables = tables![strata_downstream_tests::models: Author, Book, Tag, BookTag, Setting];
    let (explained, indexed) =
        explain_all(c, &tables, &["authors", "books", "tags", "book_tags"]).await;
    let pages = tables
        .iter()
        .flat_map(|(_, q)| q.iter())
        .filter(|q| q.method.starts_with("page_by_") && q.index.is_some())
        .count();
    assert!(pages >= 16, "{pages} secondary page reads with an index");
    assert!(explained > 60 && indexed >= 40, "{explained} {indexed}");
}
