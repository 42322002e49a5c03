//! The proc-macro's modules have the API of the checked-in models crate: the same constants
//! and statements for every table, the same serde, and both fit the same generic code.

use serde_json::json;
use strata_macro_downstream_tests::{
    agent_platform, creator_site, derives, derives_default, freddy, general_bots, hexabot,
};
#[cfg(feature = "postgres")]
use strata_runtime::pg::{PgInsert, PgKeyed};
use strata_runtime::uuid::Uuid;
use strata_runtime::{Enum, Insert, Json, Keyed};

/// Everything a table's type says through the shared trait.
fn signature<T: Keyed>() -> Vec<String> {
    let mut s = vec![
        T::TABLE,
        T::SELECT,
        T::SELECT_BY_PK,
        T::INSERT,
        T::UPDATE_BY_PK,
        T::DELETE_BY_PK,
    ];
    s.extend(T::COLUMNS);
    s.push("|");
    s.extend(T::PRIMARY_KEY);
    s.push("|");
    s.extend(T::AUTO_UPDATED);
    s.into_iter().map(String::from).collect()
}

/// Generic over the tokio-postgres traits, which both implement (feature `postgres`).
#[cfg(feature = "postgres")]
fn parameter_counts<T: PgKeyed>(row: &T) -> (usize, usize) {
    (row.pk_params().len(), row.update_params().len())
}

#[cfg(feature = "postgres")]
fn insert_parameter_count<N: PgInsert>(new: &N) -> usize {
    new.insert_params().len()
}

macro_rules! same_api {
    ($db:ident: $($ty:ident),* $(,)?) => {{
        assert_eq!($db::TABLES, strata_models::$db::TABLES);
        let listed = [$(stringify!($ty)),*].len();
        assert_eq!(listed, $db::TABLES.len(), "every table of {} is compared", stringify!($db));
        $(
            assert_eq!(
                signature::<$db::$ty>(),
                signature::<strata_models::$db::$ty>(),
                "{}::{}",
                stringify!($db),
                stringify!($ty)
            );
        )*
    }};
}

#[test]
fn every_table_has_the_same_constants_and_statements() {
    same_api!(agent_platform: LlmConversation, LlmConversationMessage, LlmTask, LlmAgentImport, LlmAgentInstallation);
    same_api!(creator_site: Owner, BotConfig, ChatSession, Message, Link, Product, Event, Rsvp, BookingSlot, Booking,
        Subscriber, FaqEntry, PortfolioItem, Integration);
    same_api!(freddy: Organization, User, Rule, File, VectorStore, Assistant, AssistantToolConfiguration,
        AssistantRule, AssistantReasoning, AssistantJsonSchema, AssistantVectorStore, AssistantRuleAttachment,
        AssistantNewFeature);
    same_api!(general_bots: MessageHistory, Click, SystemAutomation, Organization, Bot, BotConfiguration, BotMemory,
        UserEmailAccount, EmailDraft, EmailFolder, KbCollection, KbDocument, UserKbAssociation, BasicTool,
        SessionToolAssociation, User, UserSession, UserLoginToken, UserPreference);
    same_api!(hexabot: User, Block, Subscriber, Conversation, Message);
}

fn a_message() -> creator_site::Message {
    creator_site::Message {
        id: Uuid::from_u128(7),
        created_at: "2024-05-06T07:08:09.123456Z".parse().expect("a timestamp"),
        updated_at: "2024-05-06T07:08:09.123456Z".parse().expect("a timestamp"),
        session_id: Uuid::from_u128(8),
        role: creator_site::MessageRole::Assistant,
        content_text: Some("Hello".into()),
        content_a2ui: None,
        token_usage: 12,
    }
}

#[test]
fn row_structs_are_built_and_serialized_alike() {
    let message = a_message();
    assert_eq!(creator_site::Message::TABLE, "messages");
    assert_eq!(creator_site::Message::COLUMNS.len(), 8);
    assert_eq!(creator_site::Message::PRIMARY_KEY, ["id"]);
    let as_json = serde_json::to_value(&message).expect("serializes");
    assert_eq!(as_json["role"], "assistant");
    // The checked-in crate's struct reads the macro's JSON and writes it back unchanged.
    let theirs: strata_models::creator_site::Message =
        serde_json::from_value(as_json.clone()).expect("same serde");
    assert_eq!(serde_json::to_value(&theirs).expect("serializes"), as_json);
    #[cfg(feature = "postgres")]
    {
        assert_eq!(parameter_counts(&message), parameter_counts(&theirs));
        assert_eq!(
            parameter_counts(&message),
            (1, 7),
            "the key; the six columns set, then the key"
        );
    }
}

#[test]
fn insert_structs_build_the_same_statements() {
    let new = creator_site::NewMessage {
        id: None,
        created_at: None,
        updated_at: None,
        session_id: Uuid::from_u128(8),
        role: creator_site::MessageRole::User,
        content_text: None,
        content_a2ui: Some(json!({ "surface": 1 })),
        token_usage: Some(3),
    };
    assert_eq!(
        new.insert_sql(),
        "INSERT INTO messages (session_id, role, content_text, content_a2ui, token_usage) VALUES ($1, $2, $3, $4, $5) RETURNING *"
    );
    #[cfg(feature = "postgres")]
    assert_eq!(insert_parameter_count(&new), 5);
    let theirs: strata_models::creator_site::NewMessage =
        serde_json::from_value(serde_json::to_value(&new).expect("serializes"))
            .expect("same serde");
    assert_eq!(Insert::insert_sql(&theirs), new.insert_sql());
    #[cfg(feature = "postgres")]
    assert_eq!(insert_parameter_count(&theirs), 5);

    // With every optional column given, the ready statement itself, which is also what the
    // runtime builds from the column list.
    let full = creator_site::NewChatSession {
        id: Some(Uuid::from_u128(1)),
        created_at: Some("2024-01-01T00:00:00Z".parse().expect("a timestamp")),
        updated_at: Some("2024-01-01T00:00:00Z".parse().expect("a timestamp")),
        visitor_id: "v".into(),
        is_active: Some(true),
    };
    assert!(
        matches!(full.insert_sql(), std::borrow::Cow::Borrowed(s) if s == creator_site::ChatSession::INSERT)
    );
    assert_eq!(
        strata_runtime::sql::insert("chat_sessions", creator_site::ChatSession::COLUMNS),
        creator_site::ChatSession::INSERT
    );
}

#[test]
fn enums_and_typed_json_match() {
    use agent_platform::ProcessingStatus;
    assert_eq!(<ProcessingStatus as Enum>::SQL_NAME, "processing_status");
    assert_eq!(
        ProcessingStatus::ALL.map(ProcessingStatus::as_str),
        strata_models::agent_platform::ProcessingStatus::ALL
            .map(strata_models::agent_platform::ProcessingStatus::as_str)
    );
    assert_eq!(
        ProcessingStatus::from_label("failed"),
        Some(ProcessingStatus::Failed)
    );
    assert!(
        ProcessingStatus::Pending < ProcessingStatus::Failed,
        "ordered as the type's values"
    );

    let tools = freddy::SystemTools {
        file_search: None,
        web_search: Some(freddy::WebSearchTool {
            enabled: true,
            safe_mode: None,
            extra: Default::default(),
        }),
        code_interpreter: None,
        extra: [("later".to_string(), json!(1))].into(),
    };
    let as_json = serde_json::to_value(Json(&tools)).expect("serializes");
    assert_eq!(
        as_json,
        json!({ "web_search": { "enabled": true }, "later": 1 })
    );
    let theirs: strata_models::freddy::SystemTools =
        serde_json::from_value(as_json.clone()).expect("same serde");
    assert_eq!(serde_json::to_value(&theirs).expect("serializes"), as_json);

    let ctx: hexabot::Location =
        serde_json::from_value(json!({ "lat": 1.5, "lon": 2.5 })).expect("a location");
    assert_eq!(ctx.address, None);
    let _ = general_bots::TABLES;
}

#[test]
fn schema_derives_reach_every_type() {
    use std::collections::BTreeSet;
    let item = |n: u128| derives::Item {
        id: Uuid::from_u128(n),
        name: "x".into(),
        kind: derives::Kind::B,
        count: None,
        label: Json(derives::Label {
            text: "t".into(),
            tags: vec![],
        }),
    };
    // Ord and Eq (from `derives:`) on the row, the enum and the JSON structure.
    let set: BTreeSet<derives::Item> = [item(2), item(1), item(2)].into();
    assert_eq!(set.len(), 2);
    assert!(item(1) < item(2));
    // Hash (from `derives:`) on the insert struct.
    let new = derives::NewItem {
        id: None,
        name: "x".into(),
        kind: None,
        count: Some(1),
        label: item(1).label,
    };
    let hash = |v: &derives::NewItem| {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    };
    assert_eq!(hash(&new), hash(&new.clone()));
}

#[test]
fn an_accepted_default_derive_compiles_and_works() {
    let row = derives_default::Account::default();
    assert_eq!(row.tier, None);
    assert!(row.tags.is_empty());
    let new = derives_default::NewAccount::default();
    // `Eq` and `Hash` (from `derives:`): equal values hash alike.
    let hash = |v: &derives_default::NewAccount| {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    };
    assert_eq!(new, new.clone());
    assert_eq!(hash(&new), hash(&new.clone()));
    assert_eq!(derives_default::Prefs::default().size, None);
}
