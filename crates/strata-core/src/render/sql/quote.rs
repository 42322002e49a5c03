//! Quoting: identifiers and string literals, so that no name or text from a schema can end,
//! extend or change the meaning of a statement.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Writes `name` as an SQL identifier, quoted only where PostgreSQL needs it.
///
/// The rule is the server's own `quote_ident()`: a name stays bare when it is made of lower-case
/// ASCII letters, digits and underscores, does not start with a digit, and is not a keyword that
/// PostgreSQL reserves in some position (see [`needs_quotes`]). Everything else is written in
/// double quotes with inner `"` doubled, which keeps case (`"userId"`), spaces, punctuation and
/// non-ASCII text exactly. A name holding a control character (a line break, a tab) is written
/// as a Unicode-escaped identifier (`U&"a\+00000Ab"`), so no raw control character (a carriage
/// return above all) ever lands in a generated file.
pub fn ident(name: &str) -> Cow<'_, str> {
    if !needs_quotes(name) {
        return Cow::Borrowed(name);
    }
    if name.chars().any(char::is_control) {
        let mut out = String::with_capacity(name.len() + 8);
        out.push_str("U&\"");
        for c in name.chars() {
            match c {
                '"' => out.push_str("\"\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => {
                    let _ = write!(out, "\\+{:06X}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        return Cow::Owned(out);
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
    Cow::Owned(out)
}

/// Writes an object's name qualified by its PostgreSQL schema (`billing.invoices`), each part
/// quoted by [`ident`]; an object in the default schema (`None`) is written unqualified, as
/// every generated file has always written it.
pub fn qualified(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(schema) => format!("{}.{}", ident(schema), ident(name)),
        None => ident(name).into_owned(),
    }
}

/// Whether [`ident`] must quote `name`: it is empty, holds anything but `[a-z0-9_]`, starts with
/// a digit, or is a keyword that is not fully unreserved ([`QUOTED_KEYWORDS`]).
///
/// `$` is allowed in bare identifiers by PostgreSQL but, like `quote_ident()`, we quote it: it is
/// not allowed by the SQL standard and reads like a parameter.
pub fn needs_quotes(name: &str) -> bool {
    let bytes = name.as_bytes();
    let Some(first) = bytes.first() else {
        return true;
    };
    if !(first.is_ascii_lowercase() || *first == b'_') {
        return true;
    }
    if !bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
    {
        return true;
    }
    is_quoted_keyword(name)
}

/// Whether `word` (already lower case) is in [`QUOTED_KEYWORDS`].
pub fn is_quoted_keyword(word: &str) -> bool {
    QUOTED_KEYWORDS.binary_search(&word).is_ok()
}

/// The keywords that cannot be used as a bare identifier everywhere, sorted: PostgreSQL 15's
/// reserved, "type or function name" and "column name" keywords (every category of
/// `pg_get_keywords()` except the unreserved one: these are the words `quote_ident()` quotes),
/// plus the ones later versions added to those categories (`json`, `json_table`, `system_user`,
/// …), so that a script generated today stays valid after a server upgrade.
///
/// Column-name keywords such as `timestamp` or `position` would be accepted as bare column
/// names, but not as type names, and they read as syntax in expressions; quoting them costs
/// nothing.
pub const QUOTED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// The keywords of [`QUOTED_KEYWORDS`] that PostgreSQL 15 itself does not have (added by later
/// versions); `quote_ident()` on a 15 server leaves them bare.
pub const LATER_KEYWORDS: &[&str] = &[
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "merge_action",
    "system_user",
];

/// Writes `text` as an SQL string literal whose value is exactly `text`.
///
/// Single quotes are doubled. A text without backslashes or control characters is a plain
/// `'…'` literal. Otherwise it is an escape-string literal `E'…'` in which backslashes are
/// doubled and control characters escaped (`\n`, `\r`, `\t`, `\x0B`…): its value does not
/// depend on `standard_conforming_strings`, and a literal is always one line, so no text can put
/// a line of its own (such as a `-- strata:statement` marker) into a generated file. Nothing in the text — `--`, `;`, `$$`, `*/`, quotes, any Unicode — can end
/// the literal early.
///
/// PostgreSQL text cannot hold NUL; a NUL is written as `\x00`, which the server refuses with an
/// error (never a silently truncated value).
pub fn literal(text: &str) -> String {
    let escape = text.chars().any(|c| c == '\\' || c.is_control());
    let mut out = String::with_capacity(text.len() + 3);
    if escape {
        out.push('E');
    }
    out.push('\'');
    for c in text.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' if escape => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' if escape => out.push_str("\\r"),
            '\t' if escape => out.push_str("\\t"),
            c if escape && c.is_control() => {
                let code = u32::from(c);
                // `\x` writes a byte, so only ASCII; C1 controls are code points.
                if code < 0x80 {
                    let _ = write!(out, "\\x{code:02X}");
                } else {
                    let _ = write!(out, "\\u{code:04X}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Writes `text` as one `-- …` comment line (without the line feed).
///
/// Control characters (a line break above all) are written as visible escapes (`\n`), so the
/// text cannot end the comment and put SQL on a line of its own; a text that would read as one
/// of Strata's markers (`-- strata:…`) is set off with a leading `·`, so no name can forge a
/// statement boundary or the non-transactional marker.
pub fn comment_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    out.push_str("-- ");
    if text.trim_start().starts_with("strata:") {
        out.push_str("· ");
    }
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' | '\u{2029}' => out.push(' '),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:X}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_and_lower_case() {
        assert!(QUOTED_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(
            QUOTED_KEYWORDS
                .iter()
                .all(|k| k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        );
        assert!(LATER_KEYWORDS.iter().all(|k| is_quoted_keyword(k)));
    }

    #[test]
    fn qualified_names_quote_each_part() {
        assert_eq!(qualified(None, "users"), "users");
        assert_eq!(qualified(Some("billing"), "users"), "billing.users");
        assert_eq!(qualified(Some("Billing"), "a.b"), "\"Billing\".\"a.b\"");
    }

    #[test]
    fn plain_names_stay_bare() {
        for n in [
            "users", "user_id", "_x", "a1", "date", "read", "schema", "key", "value", "current",
            "next", "name",
        ] {
            assert_eq!(ident(n), n, "{n}");
        }
    }

    #[test]
    fn names_needing_quotes() {
        assert_eq!(ident("userId"), "\"userId\"");
        assert_eq!(ident("timestamp"), "\"timestamp\"");
        assert_eq!(ident("user"), "\"user\"");
        assert_eq!(ident("select"), "\"select\"");
        assert_eq!(ident("order"), "\"order\"");
        assert_eq!(ident("table"), "\"table\"");
        assert_eq!(ident("position"), "\"position\"");
        assert_eq!(ident("2fa"), "\"2fa\"");
        assert_eq!(ident("a$b"), "\"a$b\"");
        assert_eq!(ident("user-id"), "\"user-id\"");
        assert_eq!(ident(""), "\"\"");
        assert_eq!(ident("é"), "\"é\"");
        assert_eq!(ident("日本"), "\"日本\"");
        assert_eq!(ident("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(ident("a; drop table x; --"), "\"a; drop table x; --\"");
    }

    #[test]
    fn control_characters_in_names_are_escaped() {
        assert_eq!(ident("a\nb"), "U&\"a\\+00000Ab\"");
        assert_eq!(ident("a\\\"\rb"), "U&\"a\\\\\"\"\\+00000Db\"");
    }

    #[test]
    fn literals() {
        assert_eq!(literal(""), "''");
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(literal("''"), "''''''");
        assert_eq!(literal("a -- b; $$ c $$ /* d"), "'a -- b; $$ c $$ /* d'");
        assert_eq!(literal("é 日本 🦀"), "'é 日本 🦀'");
        assert_eq!(literal("two\nlines"), "E'two\\nlines'");
    }

    #[test]
    fn comments_stay_one_line_and_never_form_a_marker() {
        assert_eq!(comment_line("drop column t.c"), "-- drop column t.c");
        assert_eq!(
            comment_line("add t.\"x\nDROP TABLE victim; --\""),
            "-- add t.\"x\\nDROP TABLE victim; --\""
        );
        assert_eq!(comment_line("strata:statement"), "-- · strata:statement");
        assert_eq!(comment_line("a\r\u{0}\u{85}b"), "-- a\\r\\u{0}\\u{85}b");
        for t in [
            "x\n-- strata:statement\nDROP TABLE v",
            "\u{2028}strata:statement",
        ] {
            let line = comment_line(t);
            assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
            assert_ne!(line.trim(), crate::history::STATEMENT_MARKER);
        }
    }

    #[test]
    fn backslashes_use_escape_strings() {
        assert_eq!(literal("C:\\dir"), "E'C:\\\\dir'");
        assert_eq!(
            literal("\\'; drop table x; --"),
            "E'\\\\''; drop table x; --'"
        );
        assert_eq!(literal("a\r\n\tb\u{7}"), "E'a\\r\\n\\tb\\x07'");
        assert_eq!(literal("\u{85}"), "E'\\u0085'");
    }
}
