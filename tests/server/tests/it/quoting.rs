//! The renderer's quoting agrees with the server: identifiers are quoted exactly where
//! `quote_ident()` quotes them (every keyword of `pg_get_keywords()` included) and read back
//! as the same name; literals read back as the same text whatever `standard_conforming_strings`
//! says.

use strata::render::sql::{LATER_KEYWORDS, ident, literal};
use strata_pg::tokio_postgres::error::SqlState;
use strata_testkit::TestDb;

const NAMES: &[&str] = &[
    "users",
    "userId",
    "UPPER",
    "timestamp",
    "date",
    "read",
    "schema",
    "key",
    "value",
    "current",
    "next",
    "a$b",
    "$$",
    "2fa",
    "_x",
    "user-id",
    "it's",
    "say \"hi\"",
    "\"",
    "a; drop table x; --",
    "/* c */",
    "back\\slash",
    "é",
    "日本",
    "🦀",
    " ",
    "tab\there",
    "two\nlines",
    "cr\r",
    "a_table_name_that_is_exactly_sixty_three_bytes_long_xxxxxxxxxxx",
];

#[tokio::test]
async fn identifiers_are_quoted_like_quote_ident() {
    let db = TestDb::new().await;
    let keywords: Vec<String> = db
        .client
        .query("SELECT word FROM pg_get_keywords()", &[])
        .await
        .expect("keywords")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(keywords.len() > 400, "{} keywords", keywords.len());
    let names: Vec<&str> = keywords
        .iter()
        .map(String::as_str)
        .chain(NAMES.iter().copied())
        .chain(LATER_KEYWORDS.iter().copied())
        .collect();
    for name in &names {
        let server: String = db
            .client
            .query_one("SELECT quote_ident($1)", &[name])
            .await
            .expect("quote_ident")
            .get(0);
        let ours = ident(name);
        if LATER_KEYWORDS.contains(name) {
            // Keywords of later versions: quoted by us already, not yet by a 15 server.
            assert_eq!(ours, format!("\"{name}\""), "{name}");
        } else if name.chars().any(char::is_control) {
            assert!(ours.starts_with("U&\""), "{name:?}: {ours}");
        } else {
            assert_eq!(ours, server, "{name:?}");
        }
    }
    // Every name reads back as itself, as a column alias.
    let select = names
        .iter()
        .map(|n| format!("1 AS {}", ident(n)))
        .collect::<Vec<_>>()
        .join(", ");
    let row = db
        .client
        .query_one(&format!("SELECT {select}"), &[])
        .await
        .expect("aliases parse");
    let back: Vec<&str> = row.columns().iter().map(|c| c.name()).collect();
    assert_eq!(back, names);
}

const TEXTS: &[&str] = &[
    "",
    "'",
    "''",
    "\\",
    "\\'",
    "'\\",
    "it's",
    "a\nb",
    "a\r\nb",
    "\t",
    "\u{7}\u{1b}\u{7f}",
    "\u{85}\u{9f}",
    "é 日本 🦀",
    "$$",
    "$x$ $$ $",
    "--",
    "/*",
    "*/",
    "; DROP TABLE x; --",
    "E'x'",
    "U&'\\0041'",
    "\\x41 \\u0041 \\101",
    "ends with a backslash \\",
    "{\"json\": \"x\\\"y\"}",
];

#[tokio::test]
async fn literals_read_back_as_written() {
    let db = TestDb::new().await;
    let select = TEXTS
        .iter()
        .map(|t| literal(t))
        .collect::<Vec<_>>()
        .join(", ");
    for setting in ["on", "off"] {
        db.client
            .batch_execute(&format!(
                "SET standard_conforming_strings = {setting}; SET escape_string_warning = off"
            ))
            .await
            .expect("set");
        let row = db
            .client
            .query_one(&format!("SELECT {select}"), &[])
            .await
            .expect("literals parse");
        for (i, text) in TEXTS.iter().enumerate() {
            assert_eq!(
                row.get::<_, String>(i).as_bytes(),
                text.as_bytes(),
                "{text:?} with standard_conforming_strings = {setting}"
            );
        }
    }
}

/// PostgreSQL text cannot hold NUL: a NUL is refused with an error, never silently cut.
#[tokio::test]
async fn nul_is_refused_not_truncated() {
    let db = TestDb::new().await;
    let err = db
        .client
        .query_one(&format!("SELECT {}", literal("a\0b")), &[])
        .await
        .expect_err("NUL refused");
    assert_eq!(
        err.code(),
        Some(&SqlState::CHARACTER_NOT_IN_REPERTOIRE),
        "{err:?}"
    );
}
