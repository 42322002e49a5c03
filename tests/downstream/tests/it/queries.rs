//! The generated query methods on a real server, one test per kind: lookups by unique key,
//! relations, keyset pages, upserts, bulk inserts, patches, soft deletes, typed constraint
//! violations, and all of them through the statement cache and inside transactions.

use strata_downstream_tests::seed_ddl;
use strata_models::creator_site::*;
use strata_runtime::pg::{self, Cached, Order};
use strata_runtime::uuid::Uuid;
use strata_testkit::TestDb;

fn ok<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn session(visitor: &str) -> NewChatSession {
    NewChatSession {
        id: None,
        created_at: None,
        updated_at: None,
        visitor_id: visitor.into(),
        is_active: None,
    }
}

fn message(session_id: Uuid, text: &str) -> NewMessage {
    NewMessage {
        id: None,
        created_at: None,
        updated_at: None,
        session_id,
        role: MessageRole::User,
        content_text: Some(text.into()),
        content_a2ui: None,
        token_usage: None,
    }
}

fn subscriber(email: &str, name: Option<&str>) -> NewSubscriber {
    NewSubscriber {
        id: None,
        created_at: None,
        updated_at: None,
        email: email.into(),
        name: name.map(Into::into),
        subscribed_at: None,
        is_active: None,
    }
}

/// `find_by_<key>` / `exists_by_<key>` on the primary key and a unique constraint; `count`.
#[tokio::test]
async fn by_unique_key() {
    let db = TestDb::with_sql(&seed_ddl("creator_site")).await;
    let c = &db.client;
    let ada = ok(
        "insert",
        Subscriber::insert_one(c, &subscriber("ada@example.com", Some("Ada"))).await,
    );
    let found = ok(
        "find",
        Subscriber::find_by_email(c, "ada@example.com").await,
    );
    assert_eq!(found.as_ref(), Some(&ada));
    assert_eq!(
        ok("find", Subscriber::find_by_id(c, &ada.id).await),
        Some(ada.clone())
    );
    assert_eq!(
        ok(
            "find",
            Subscriber::find_by_email(c, "nobody@example.com").await
        ),
        None
    );
    assert!(ok(
        "exists",
        Subscriber::exists_by_email(c, "ada@example.com").await
    ));
    assert!(!ok(
        "exists",
        Subscriber::exists_by_id(c, &Uuid::new_v4()).await
    ));
    assert_eq!(ok("count", Subscriber::count(c).await), 1);
}

/// `list_by_<fk>`, `count_by_<fk>`, `delete_by_<fk>`, the parent's `list_<children>` and the
/// child's `get_<parent>`.
#[tokio::test]
async fn by_relation() {
    let db = TestDb::with_sql(&seed_ddl("creator_site")).await;
    let c = &db.client;
    let s1 = ok("session", ChatSession::insert_one(c, &session("v-1")).await);
    let s2 = ok("session", ChatSession::insert_one(c, &session("v-2")).await);
    let mut written = Vec::new();
    for i in 0..3 {
        written.push(ok(
            "message",
            Message::insert_one(c, &message(s1.id, &format!("m{i}"))).await,
        ));
    }
    ok(
        "message",
        Message::insert_one(c, &message(s2.id, "other")).await,
    );
    written.sort_by_key(|m| m.id);

    let listed = ok("list", Message::list_by_session_id(c, &s1.id).await);
    assert_eq!(listed, written, "in primary-key order");
    assert_eq!(ok("children", s1.list_messages(c).await), written);
    assert_eq!(
        ok("count", Message::count_by_session_id(c, &s1.id).await),
        3
    );
    assert_eq!(
        ok("parent", written[0].get_session(c).await),
        Some(s1.clone())
    );

    assert_eq!(
        ok("delete", Message::delete_by_session_id(c, &s1.id).await),
        3
    );
    assert_eq!(
        ok("count", Message::count_by_session_id(c, &s1.id).await),
        0
    );
    assert_eq!(ok("count", Message::count(c).await), 1);
}

/// `page`: keyset pages in both orders add up to every row once, in key order.
#[tokio::test]
async fn keyset_pages() {
    let db = TestDb::with_sql(&seed_ddl("creator_site")).await;
    let c = &db.client;
    let rows: Vec<NewSubscriber> = (0..25)
        .map(|i| subscriber(&format!("s{i}@example.com"), None))
        .collect();
    assert_eq!(
        ok("insert_many", Subscriber::insert_many(c, &rows).await),
        25
    );
    let mut all = ok("all", pg::select_all::<Subscriber>(c).await);
    all.sort_by_key(|s| s.id);

    for order in [Order::Asc, Order::Desc] {
        let mut seen = Vec::new();
        let mut after: Option<Uuid> = None;
        loop {
            let page = ok("page", Subscriber::page(c, after.as_ref(), 10, order).await);
            assert!(page.len() <= 10);
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            seen.extend(page);
        }
        if order == Order::Desc {
            seen.reverse();
        }
        assert_eq!(seen, all, "{order:?}");
    }
}

/// `upsert_by_<key>` inserts, then updates the row with the same key (keeping its primary
/// key); `insert_many` with rows that leave different columns to their defaults.
#[tokio::test]
async fn upserts_and_bulk_inserts() {
    let db = TestDb::with_sql(&seed_ddl("creator_site")).await;
    let c = &db.client;
    let first = ok(
        "upsert",
        Subscriber::upsert_by_email(c, &subscriber("a@example.com", Some("A"))).await,
    );
    let mut again = subscriber("a@example.com", Some("A2"));
    again.id = Some(Uuid::new_v4()); // not written over the existing key
    let second = ok("upsert", Subscriber::upsert_by_email(c, &again).await);
    assert_eq!((second.id, second.name.as_deref()), (first.id, Some("A2")));
    assert_eq!(ok("count", Subscriber::count(c).await), 1);

    // On the primary key: an existing id updates the other provided columns.
    let mut by_id = subscriber("b@example.com", None);
    by_id.id = Some(first.id);
    let third = ok("upsert", Subscriber::upsert_by_id(c, &by_id).await);
    assert_eq!(
        (third.id, third.email.as_str()),
        (first.id, "b@example.com")
    );

    let id = Uuid::new_v4();
    let mut mixed = vec![
        subscriber("m1@example.com", None),
        subscriber("m2@example.com", Some("M2")),
    ];
    mixed[1].id = Some(id);
    mixed[1].is_active = Some(false);
    assert_eq!(
        ok("insert_many", Subscriber::insert_many(c, &mixed).await),
        2
    );
    let m2 = ok("find", Subscriber::find_by_id(c, &id).await).expect("given id");
    assert_eq!((m2.email.as_str(), m2.is_active), ("m2@example.com", false));
    let m1 = ok("find", Subscriber::find_by_email(c, "m1@example.com").await).expect("row");
    assert!(m1.is_active, "the default of a column left out");
    assert_eq!(ok("count", Subscriber::count(c).await), 3);
}

/// `patch` writes only the fields that are `Some`; the trigger keeps `updated_at` current.
#[tokio::test]
async fn patches() {
    let db = TestDb::with_sql(&seed_ddl("creator_site")).await;
    let c = &db.client;
    let row = ok(
        "insert",
        Subscriber::insert_one(c, &subscriber("p@example.com", Some("P"))).await,
    );
    let patched = ok(
        "patch",
        Subscriber::patch(
            c,
            &row.id,
            &SubscriberPatch {
                name: Some(None),
                is_active: Some(false),
                ..SubscriberPatch::default()
            },
        )
        .await,
    )
    .expect("the row");
    assert_eq!(patched.name, None);
    assert!(!patched.is_active);
    assert_eq!(patched.email, row.email, "left alone");
    assert!(patched.updated_at >= row.updated_at);
    let empty = ok(
        "patch",
        Subscriber::patch(c, &row.id, &SubscriberPatch::default()).await,
    );
    assert_eq!(empty.map(|r| r.email), Some(row.email.clone()));
    assert_eq!(
        ok(
            "patch",
            Subscriber::patch(c, &Uuid::new_v4(), &SubscriberPatch::default()).await
        ),
        None
    );
}

/// `New…::default()` where every field can be left out.
#[tokio::test]
async fn new_structs_default() {
    let db = TestDb::with_sql(&seed_ddl("creator_site")).await;
    let c = &db.client;
    let config = ok(
        "insert",
        BotConfig::insert_one(c, &NewBotConfig::default()).await,
    );
    assert_eq!(config.greeting_message, "Hello! How can I help?");
}

/// Violations come back as the table's constraint enum: unique, foreign key, check,
/// single-row exclusion.
#[tokio::test]
async fn typed_constraint_violations() {
    let db = TestDb::with_sql(&seed_ddl("creator_site")).await;
    let c = &db.client;
    ok(
        "insert",
        Subscriber::insert_one(c, &subscriber("u@example.com", None)).await,
    );
    let e = Subscriber::insert_one(c, &subscriber("u@example.com", None))
        .await
        .expect_err("a duplicate e-mail");
    let v = SubscriberConstraint::from_error(&e);
    assert_eq!(v, Some(SubscriberConstraint::SubscribersEmailKey), "{e}");
    let v = v.unwrap();
    assert_eq!(
        (v.name(), v.columns()),
        ("subscribers_email_key", &["email"][..])
    );
    assert_eq!(v.kind(), strata_runtime::ConstraintKind::Unique);
    assert_eq!(e.sqlstate(), Some("23505"));

    let e = Message::insert_one(c, &message(Uuid::new_v4(), "orphan"))
        .await
        .expect_err("no such session");
    assert_eq!(
        MessageConstraint::from_error(&e),
        Some(MessageConstraint::MessagesSessionIdFkey),
        "{e}"
    );
    assert_eq!(
        SubscriberConstraint::from_error(&e),
        None,
        "another table's"
    );

    let hot = NewBotConfig {
        temperature: Some(5.0),
        ..NewBotConfig::default()
    };
    let e = BotConfig::insert_one(c, &hot).await.expect_err("too hot");
    assert_eq!(
        BotConfigConstraint::from_error(&e),
        Some(BotConfigConstraint::BotConfigTemperatureCheck),
        "{e}"
    );
    ok(
        "insert",
        BotConfig::insert_one(c, &NewBotConfig::default()).await,
    );
    let e = BotConfig::insert_one(c, &NewBotConfig::default())
        .await
        .expect_err("a second row");
    assert_eq!(
        BotConfigConstraint::from_error(&e),
        Some(BotConfigConstraint::BotConfigSingleRow),
        "{e}"
    );
}

/// Every kind inside a transaction (plain and through the cache), rolled back and committed;
/// the cache prepares each statement once per connection.
#[tokio::test]
async fn transactions_and_the_statement_cache() {
    let db = TestDb::with_sql(&seed_ddl("creator_site")).await;
    let mut client = db.connect_again().await;
    {
        let tx = ok("begin", client.transaction().await);
        let s = ok("session", ChatSession::insert_one(&tx, &session("t")).await);
        ok(
            "many",
            Message::insert_many(&tx, &[message(s.id, "a"), message(s.id, "b")]).await,
        );
        assert_eq!(ok("list", s.list_messages(&tx).await).len(), 2);
        assert_eq!(
            ok("page", Message::page(&tx, None, 10, Order::Asc).await).len(),
            2
        );
        ok(
            "upsert",
            Subscriber::upsert_by_email(&tx, &subscriber("t@example.com", None)).await,
        );
        ok("rollback", tx.rollback().await);
    }
    assert_eq!(ok("count", ChatSession::count(&client).await), 0);
    assert_eq!(ok("count", Subscriber::count(&client).await), 0);

    let mut cached = Cached::new(client);
    for i in 0..3 {
        let email = format!("c{i}@example.com");
        ok(
            "insert",
            Subscriber::insert_one(&cached, &subscriber(&email, None)).await,
        );
        assert!(ok("find", Subscriber::find_by_email(&cached, &email).await).is_some());
    }
    let prepared = cached.prepared();
    // The INSERT of a value with defaults and the lookup: two statements, however many calls.
    assert_eq!(prepared, 2);
    let tx = ok("begin", cached.transaction().await);
    let row = ok(
        "find",
        Subscriber::find_by_email(&tx, "c0@example.com").await,
    )
    .expect("row");
    let patch = SubscriberPatch {
        name: Some(Some("in a transaction".into())),
        ..SubscriberPatch::default()
    };
    ok("patch", Subscriber::patch(&tx, &row.id, &patch).await);
    let s = ok(
        "session",
        ChatSession::insert_one(&tx, &session("tx")).await,
    );
    ok(
        "message",
        Message::insert_one(&tx, &message(s.id, "x")).await,
    );
    assert_eq!(
        ok("delete", Message::delete_by_session_id(&tx, &s.id).await),
        1
    );
    ok("commit", tx.commit().await);
    assert!(
        cached.prepared() > prepared,
        "the transaction added to the connection's cache"
    );
    let row = ok(
        "find",
        Subscriber::find_by_email(&cached, "c0@example.com").await,
    )
    .expect("row");
    assert_eq!(row.name.as_deref(), Some("in a transaction"));
    assert_eq!(ok("count", ChatSession::count(&cached).await), 1);
}

/// freddy's soft-deleted assistants: reads skip them, `…_with_deleted` reads see them,
/// `soft_delete`/`restore` flip the flag.
#[tokio::test]
async fn soft_delete() {
    use strata_models::freddy::*;
    let db = TestDb::with_sql(&seed_ddl("freddy")).await;
    let c = &db.client;
    let org = ok(
        "org",
        Organization::insert_one(c, &NewOrganization { id: "org_1".into() }).await,
    );
    let new = |name: &str| NewAssistant {
        id: None,
        name: name.into(),
        description: None,
        instructions: None,
        model: "gpt-4o".into(),
        organization_id: org.id.clone(),
        user_id: None,
        is_public: None,
        context_strategy: None,
        max_context_tokens: None,
        temperature: None,
        top_p: None,
        created_at: None,
        updated_at: None,
        is_deleted: None,
        new_feature: None,
    };
    let a = ok("a", Assistant::insert_one(c, &new("a")).await);
    let b = ok("b", Assistant::insert_one(c, &new("b")).await);
    assert_eq!(ok("soft delete", Assistant::soft_delete(c, &a.id).await), 1);
    assert_eq!(ok("again", Assistant::soft_delete(c, &a.id).await), 0);
    assert_eq!(ok("find", Assistant::find_by_id(c, &a.id).await), None);
    let hidden =
        ok("find", Assistant::find_by_id_with_deleted(c, &a.id).await).expect("still there");
    assert!(hidden.is_deleted);
    assert_eq!(ok("count", Assistant::count(c).await), 1);
    assert_eq!(ok("count", Assistant::count_with_deleted(c).await), 2);
    let listed = ok("list", Assistant::list_by_organization_id(c, &org.id).await);
    assert_eq!(listed, vec![b.clone()]);
    assert_eq!(
        ok(
            "list",
            Assistant::list_by_organization_id_with_deleted(c, &org.id).await
        )
        .len(),
        2
    );
    assert_eq!(
        ok("page", Assistant::page(c, None, 10, Order::Asc).await),
        vec![b]
    );
    assert_eq!(ok("restore", Assistant::restore(c, &a.id).await), 1);
    assert_eq!(
        ok("find", Assistant::find_by_id(c, &a.id).await).map(|r| r.is_deleted),
        Some(false)
    );
}

/// `insert_many` (binary COPY) of 20,000 rows: every row arrives, with the database's
/// defaults for the columns left out. How much faster it is than row-by-row inserts is measured
/// by `cargo bench -p strata-downstream-tests --bench insert_many` (docs/performance.md), not
/// by a timed test.
#[tokio::test]
async fn insert_many_of_many_rows() {
    let db = TestDb::with_sql(&seed_ddl("creator_site")).await;
    let c = &db.client;
    let bulk: Vec<NewSubscriber> = (0..20_000)
        .map(|i| subscriber(&format!("bulk{i}@example.com"), Some("n")))
        .collect();
    assert_eq!(
        ok("insert_many", Subscriber::insert_many(c, &bulk).await),
        20_000
    );
    assert_eq!(ok("count", Subscriber::count(c).await), 20_000);
    let row = ok(
        "find",
        Subscriber::find_by_email(c, "bulk19999@example.com").await,
    )
    .expect("the last row");
    assert_eq!(row.name.as_deref(), Some("n"));
    assert!(row.is_active, "the default of a column left out");
}
