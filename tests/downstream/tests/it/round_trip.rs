//! Every table of every seed database (and of the hostile fixture): a row of database defaults
//! and a row with every column given are inserted in foreign-key order, read back, updated, read
//! back and deleted, each compared with what was written.

use serde_json::json;
use strata_downstream_tests::data::Data;
use strata_downstream_tests::driver::{case, round_trip};
use strata_downstream_tests::{load, seed_ddl};

/// `cases![module: Type, …]`: one case per row struct.
macro_rules! cases {
    ($module:path: $($ty:ident),* $(,)?) => {{
        use $module as m;
        vec![$(case::<m::$ty>()),*]
    }};
}

#[tokio::test]
async fn agent_platform() {
    use strata_models::agent_platform as m;
    let schema = load("agent_platform", "schemas/agent_platform.yaml");
    let cases = cases![strata_models::agent_platform:
        LlmConversation, LlmConversationMessage, LlmTask, LlmAgentImport, LlmAgentInstallation];
    let counts = round_trip(
        &schema,
        &seed_ddl("agent_platform"),
        &m::TABLES,
        cases,
        Data::new(&schema),
    )
    .await;
    assert_eq!(counts.tables, 5);
}

#[tokio::test]
async fn creator_site() {
    use strata_models::creator_site as m;
    let schema = load("creator_site", "schemas/creator_site.yaml");
    let cases = cases![strata_models::creator_site:
        Owner, BotConfig, ChatSession, Message, Link, Product, Event, Rsvp, BookingSlot, Booking,
        Subscriber, FaqEntry, PortfolioItem, Integration];
    let counts = round_trip(
        &schema,
        &seed_ddl("creator_site"),
        &m::TABLES,
        cases,
        Data::new(&schema),
    )
    .await;
    assert_eq!(counts.tables, 14);
}

#[tokio::test]
async fn freddy() {
    use strata_models::freddy as m;
    let schema = load("freddy", "schemas/freddy.yaml");
    let cases = cases![strata_models::freddy:
        Organization, User, Rule, File, VectorStore, Assistant, AssistantToolConfiguration,
        AssistantRule, AssistantReasoning, AssistantJsonSchema, AssistantVectorStore,
        AssistantRuleAttachment, AssistantNewFeature];
    let counts = round_trip(
        &schema,
        &seed_ddl("freddy"),
        &m::TABLES,
        cases,
        Data::new(&schema),
    )
    .await;
    assert_eq!(counts.tables, 13);
}

#[tokio::test]
async fn general_bots() {
    use strata_models::general_bots as m;
    let schema = load("general_bots", "schemas/general_bots");
    let cases = cases![strata_models::general_bots:
        MessageHistory, Click, SystemAutomation, Organization, Bot, BotConfiguration, BotMemory,
        UserEmailAccount, EmailDraft, EmailFolder, KbCollection, KbDocument, UserKbAssociation,
        BasicTool, SessionToolAssociation, User, UserSession, UserLoginToken, UserPreference];
    let data = Data::new(&schema).allow(
        "message_history",
        "sender",
        vec![json!("user"), json!("bot")],
    );
    let counts = round_trip(&schema, &seed_ddl("general_bots"), &m::TABLES, cases, data).await;
    assert_eq!(counts.tables, 19);
}

#[tokio::test]
async fn hexabot() {
    use strata_models::hexabot as m;
    let schema = load("hexabot", "schemas/hexabot.yaml");
    let cases = cases![strata_models::hexabot: User, Block, Subscriber, Conversation, Message];
    let counts = round_trip(
        &schema,
        &seed_ddl("hexabot"),
        &m::TABLES,
        cases,
        Data::new(&schema),
    )
    .await;
    assert_eq!(counts.tables, 5);
}

/// The hostile fixture, whose module comes from `strata_macros::schema!` and whose DDL is
/// rendered now.
#[tokio::test]
async fn hostile() {
    use strata_downstream_tests::hostile as m;
    let schema = load("hostile", "tests/fixtures/hostile/hostile.yaml");
    let cases = cases![strata_downstream_tests::hostile:
        Select, UserAccount, ATableNameThatIsExactlySixtyThreeBytesLongXxxxxxxxxxx, Partner,
        Setting, CycleA, CycleB];
    let ddl = strata::render::sql::schema_sql(&schema);
    // Its `nan` column defaults to NaN, which JSON (how rows travel here) cannot hold; typed.rs
    // reads that default.
    let data = Data::new(&schema).always_give("select", "nan");
    let counts = round_trip(&schema, &ddl, &m::TABLES, cases, data).await;
    assert_eq!(counts.tables, 7);
}

/// `tests/downstream/schemas/edge.yaml` (every column type, nullable columns with defaults,
/// identity columns, a key-only table, a composite key, an exclusion constraint), through the
/// proc-macro.
#[tokio::test]
async fn edge() {
    use strata_downstream_tests::edge as m;
    let schema = load("edge", "tests/downstream/schemas/edge.yaml");
    let cases = cases![strata_downstream_tests::edge: EveryType, Tag, Pair, Booking];
    let ddl = strata::render::sql::schema_sql(&schema);
    let counts = round_trip(&schema, &ddl, &m::TABLES, cases, Data::new(&schema)).await;
    assert_eq!(
        (
            counts.tables,
            counts.inserted,
            counts.updated,
            counts.deleted
        ),
        (4, 8, 8, 8)
    );
}
