//! Types and default values: the model's column types and literals written as SQL.

use super::quote::{literal, relation};
use crate::model::{BaseType, Column, ColumnType, Default, Literal};
use std::fmt::Write as _;

/// The column type as written in DDL: the canonical spelling of a built-in type (`varchar(255)`,
/// `timestamptz`, `double precision`), or the enum's name quoted as needed, with `[]` for
/// arrays.
pub fn sql_type(ty: &ColumnType) -> String {
    let mut out = match &ty.base {
        BaseType::Enum(name) | BaseType::Domain(name) => relation(name),
        base => base.to_string(),
    };
    if ty.array {
        out.push_str("[]");
    }
    out
}

/// The `DEFAULT` expression of a column, if it has one.
///
/// An SQL default (`default_sql`) is written as given, in parentheses unless it is already one
/// function call or one parenthesized expression (`DEFAULT` takes only a restricted expression
/// grammar: `DEFAULT a AND b` would not parse, `DEFAULT (a AND b)` does). A literal default is
/// written by [`literal_value`].
pub fn default_expr(column: &Column) -> Option<String> {
    match column.default.as_ref()? {
        Default::Sql(sql) => Some(wrap_expr(sql)),
        Default::Literal(lit) => Some(literal_value(lit, &column.ty)),
    }
}

/// A literal value of a column of type `ty`, as an SQL constant whose value is exactly the
/// model's:
///
/// - strings: a quoted literal (see [`literal`]); cast to the column type unless the column is
///   text-like (`'pending'::processing_status`, `'1 day'::interval`);
/// - whole numbers and plain decimals as written (`0`, `-3`, `0.7`, `1e-3`); any other number
///   text (`NaN`, `Infinity`) as a quoted literal cast to the type;
/// - booleans: `true` / `false`;
/// - JSON for a json/jsonb column: its compact JSON text, quoted and cast (`'{}'::jsonb`);
/// - a JSON array for an array column: an array literal with every element double-quoted and
///   escaped for the array parser, quoted and cast (`'{"links","faq"}'::text[]`).
pub fn literal_value(lit: &Literal, ty: &ColumnType) -> String {
    let cast = || sql_type(ty);
    match lit {
        Literal::String(s) if text_like(ty) => literal(s),
        Literal::String(s) => format!("{}::{}", literal(s), cast()),
        Literal::Integer(i) => i.to_string(),
        Literal::Number(n) if is_plain_number(n) => n.clone(),
        Literal::Number(n) => format!("{}::{}", literal(n), cast()),
        Literal::Bool(b) => b.to_string(),
        Literal::Json(serde_json::Value::Array(items)) if ty.array => {
            format!("{}::{}", literal(&array_text(items)), cast())
        }
        Literal::Json(v) => format!("{}::{}", literal(&v.to_string()), cast()),
    }
}

/// PostgreSQL's text form of an array (`{"a","b c",NULL}`): every element in double quotes with
/// `"` and `\` backslash-escaped, `NULL` for JSON null. Nested JSON values (objects, arrays)
/// become their JSON text, quoted the same way.
pub fn array_text(items: &[serde_json::Value]) -> String {
    let mut out = String::from("{");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            serde_json::Value::Null => out.push_str("NULL"),
            serde_json::Value::String(s) => quote_array_element(&mut out, s),
            other => quote_array_element(&mut out, &other.to_string()),
        }
    }
    out.push('}');
    out
}

fn quote_array_element(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// Whether an untyped string literal already has the column's type (no cast needed).
fn text_like(ty: &ColumnType) -> bool {
    !ty.array
        && matches!(
            ty.base,
            BaseType::Text | BaseType::Varchar(_) | BaseType::Char(_)
        )
}

/// Whether `n` is a numeric constant PostgreSQL reads as written: an optional minus sign,
/// digits with an optional fraction, and an optional exponent (`12`, `-0.5`, `.5`, `1e-3`).
pub fn is_plain_number(n: &str) -> bool {
    let b = n.strip_prefix('-').unwrap_or(n).as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `expr` as an operand that any SQL position accepts: unchanged when it is one function call
/// (`now()`, `lower(email)`) or already wrapped in parentheses, else in parentheses.
pub fn wrap_expr(expr: &str) -> String {
    let e = expr.trim();
    if is_call_or_parenthesized(e) || is_cast_literal(e) {
        e.to_string()
    } else {
        let mut out = String::with_capacity(e.len() + 2);
        let _ = write!(out, "({e})");
        out
    }
}

/// Whether `e` is `(…)` or `name(…)` (a possibly qualified function name), where the first
/// opening parenthesis is closed by the last character. String literals, quoted identifiers
/// are skipped while matching (a comment makes it answer no), so `(a) || (b)` is not one group.
pub fn is_call_or_parenthesized(e: &str) -> bool {
    let head = e
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
        .count();
    let rest = &e[head..];
    if !rest.starts_with('(') || !rest.ends_with(')') {
        return false;
    }
    if head > 0 && e.as_bytes()[0].is_ascii_digit() {
        return false;
    }
    matching_close(rest) == Some(rest.len() - 1)
}

/// Whether `e` is one string literal cast to a type written without parentheses
/// (`'{}'::uuid[]`, `'a'::"my type"`).
fn is_cast_literal(e: &str) -> bool {
    let b = e.as_bytes();
    if b.first() != Some(&b'\'') {
        return false;
    }
    let mut i = 1;
    loop {
        match b.get(i) {
            None => return false,
            Some(b'\'') if b.get(i + 1) == Some(&b'\'') => i += 2,
            Some(b'\'') => break,
            Some(_) => i += 1,
        }
    }
    let Some(ty) = e[i + 1..].strip_prefix("::") else {
        return false;
    };
    let ty = ty.trim_end_matches("[]");
    if let Some(quoted) = ty.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return !quoted.is_empty() && !quoted.replace("\"\"", "").contains('"');
    }
    !ty.is_empty()
        && ty
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
}

/// The byte offset of the parenthesis closing the one `s` starts with.
fn matching_close(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                // Skip to the closing quote; a doubled quote stays inside.
                i += 1;
                loop {
                    match b.get(i) {
                        None => return None,
                        Some(c) if *c == q => {
                            if b.get(i + 1) == Some(&q) {
                                i += 2;
                            } else {
                                break;
                            }
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => return None,
            b'/' if b.get(i + 1) == Some(&b'*') => return None,
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ty(base: BaseType, array: bool) -> ColumnType {
        ColumnType { base, array }
    }

    #[test]
    fn types() {
        assert_eq!(
            sql_type(&ty(BaseType::Varchar(Some(255)), false)),
            "varchar(255)"
        );
        assert_eq!(sql_type(&ty(BaseType::Text, true)), "text[]");
        assert_eq!(
            sql_type(&ty(BaseType::Enum("processing_status".into()), false)),
            "processing_status"
        );
        assert_eq!(
            sql_type(&ty(BaseType::Enum("Mood \"x\"".into()), true)),
            "\"Mood \"\"x\"\"\"[]"
        );
    }

    #[test]
    fn literal_defaults() {
        let text = ty(BaseType::Text, false);
        assert_eq!(
            literal_value(&Literal::String("it's".into()), &text),
            "'it''s'"
        );
        let e = ty(BaseType::Enum("status".into()), false);
        assert_eq!(
            literal_value(&Literal::String("pending".into()), &e),
            "'pending'::status"
        );
        let e = ty(BaseType::Enum("order".into()), false);
        assert_eq!(
            literal_value(&Literal::String("a".into()), &e),
            "'a'::\"order\""
        );
        assert_eq!(
            literal_value(&Literal::Integer(-3), &ty(BaseType::Integer, false)),
            "-3"
        );
        let dbl = ty(BaseType::Double, false);
        assert_eq!(literal_value(&Literal::Number("0.7".into()), &dbl), "0.7");
        assert_eq!(
            literal_value(&Literal::Number("NaN".into()), &dbl),
            "'NaN'::double precision"
        );
        assert_eq!(
            literal_value(&Literal::Bool(true), &ty(BaseType::Boolean, false)),
            "true"
        );
        let jsonb = ty(BaseType::Jsonb, false);
        assert_eq!(
            literal_value(&Literal::Json(json!({})), &jsonb),
            "'{}'::jsonb"
        );
        assert_eq!(
            literal_value(&Literal::Json(json!(["links", "faq"])), &jsonb),
            "'[\"links\",\"faq\"]'::jsonb"
        );
        assert_eq!(
            literal_value(
                &Literal::Json(json!({"q": "it's \"x\""})),
                &ty(BaseType::Json, false)
            ),
            "E'{\"q\":\"it''s \\\\\"x\\\\\"\"}'::json"
        );
        assert_eq!(
            literal_value(
                &Literal::String("1 day".into()),
                &ty(BaseType::Interval(None, None), false)
            ),
            "'1 day'::interval"
        );
    }

    #[test]
    fn array_defaults() {
        let t = ty(BaseType::Text, true);
        assert_eq!(literal_value(&Literal::Json(json!([])), &t), "'{}'::text[]");
        assert_eq!(
            literal_value(&Literal::Json(json!(["a", "b c"])), &t),
            "'{\"a\",\"b c\"}'::text[]"
        );
        assert_eq!(
            literal_value(&Literal::Json(json!(["it's", "q\"\\", null])), &t),
            "E'{\"it''s\",\"q\\\\\"\\\\\\\\\",NULL}'::text[]"
        );
        assert_eq!(
            literal_value(&Literal::Json(json!([1, 2])), &ty(BaseType::Integer, true)),
            "'{\"1\",\"2\"}'::integer[]"
        );
    }

    #[test]
    fn plain_numbers() {
        for n in ["0", "12", "-3", "0.5", ".5", "5.", "1e5", "1.5E-3", "-2e+2"] {
            assert!(is_plain_number(n), "{n}");
        }
        for n in [
            "", "-", ".", "e5", "1e", "NaN", "inf", "+1", "1_000", "0x10", "1;", "1 2",
        ] {
            assert!(!is_plain_number(n), "{n}");
        }
    }

    #[test]
    fn wrapping() {
        assert_eq!(wrap_expr("now()"), "now()");
        assert_eq!(wrap_expr("pg_catalog.now()"), "pg_catalog.now()");
        assert_eq!(wrap_expr("(a || b)"), "(a || b)");
        assert_eq!(
            wrap_expr("'asst_' || gen_random_uuid()"),
            "('asst_' || gen_random_uuid())"
        );
        assert_eq!(wrap_expr("(a) || (b)"), "((a) || (b))");
        assert_eq!(wrap_expr("f(x) || g(y)"), "(f(x) || g(y))");
        assert_eq!(wrap_expr("f(')')"), "f(')')");
        assert_eq!(wrap_expr("f(x)::text"), "(f(x)::text)");
        assert_eq!(wrap_expr("'{}'::uuid[]"), "'{}'::uuid[]");
        assert_eq!(wrap_expr("'it''s'::\"my type\""), "'it''s'::\"my type\"");
        assert_eq!(wrap_expr("'a'::text || 'b'"), "('a'::text || 'b')");
        assert_eq!(wrap_expr("'a'::varchar(3)"), "('a'::varchar(3))");
        assert_eq!(wrap_expr("'a' || '::b'"), "('a' || '::b')");
        assert_eq!(wrap_expr("1(x)"), "(1(x))");
    }
}
