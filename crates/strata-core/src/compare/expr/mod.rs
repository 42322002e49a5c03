//! SQL expressions (defaults, checks, index keys and predicates) in comparable and readable
//! forms, without a database.
//!
//! A schema holds expressions as a person wrote them (`price >= 0`, `sender IN ('user', 'bot')`)
//! while PostgreSQL gives them back in its canonical form (`(price >= (0)::numeric)`,
//! `(sender = ANY (ARRAY['user'::text, 'bot'::text]))`). Both are parsed here into one small
//! syntax tree and printed again:
//!
//! - [`normalize`] prints the form two expressions are compared in: parentheses only where
//!   precedence needs them, identifiers and keywords folded as PostgreSQL folds them, the casts
//!   the server adds by itself removed (casts of constants, casts to text-like types), and the
//!   sugar the server expands expanded the same way (`IN (…)` → `= ANY (ARRAY[…])`,
//!   `BETWEEN` → two comparisons, `LIKE` → `~~`, `!=` → `<>`). Two expressions that differ only
//!   in a removed cast compare equal: a change of drift that small is not worth a false alarm.
//! - [`tidy`] prints what a person would write for the server's text, changing nothing the
//!   server would read differently: redundant parentheses and the casts of string constants to
//!   `text` or of numbers to numeric types go, and the server's expansions are folded back
//!   (`= ANY (ARRAY[…])` → `IN (…)`, `x >= a AND x <= b` → `x BETWEEN a AND b`, `~~` → `LIKE`).
//! - [`literal_default`] recognises a default that is a constant (`'USD'::character varying`,
//!   `'{}'::jsonb`, `'{a,b}'::text[]`, `'-1'::integer`, `true`) as the
//!   model's [`Literal`] for the column's type (not an `ARRAY[…]` constructor, which stays SQL).
//!
//! The grammar covers what schemas use: constants, identifiers, function calls, operators of
//! every precedence level, `IS [NOT] …`, `[NOT] IN`, `[NOT] BETWEEN`, `[NOT] LIKE`/`ILIKE`,
//! `ANY`/`ALL`, `ARRAY[…]`, `CASE`, subscripts, `::` and `CAST(… AS …)`. Anything else falls back
//! to a token-level form (case and spacing folded), which still compares equal texts as equal.

use crate::model::{BaseType, ColumnType, Literal};
use crate::render::sql::ident;
use crate::render::sql::literal as sql_literal;

mod literal;
mod parse;
mod print;
mod rewrite;
mod tokens;
mod tree;

use literal::*;
use parse::*;
use print::*;
use rewrite::*;
use tokens::*;
use tree::*;

/// The comparable form of an SQL expression (see the module documentation).
///
/// ```
/// use strata::compare::expr::normalize;
/// assert_eq!(normalize("price >= 0"), normalize("(price >= (0)::numeric)"));
/// assert_eq!(
///     normalize("sender IN ('user', 'bot')"),
///     normalize("((sender)::text = ANY ((ARRAY['user'::character varying, 'bot'::character varying])::text[]))"),
/// );
/// assert_ne!(normalize("a > 0"), normalize("a >= 0"));
/// ```
pub fn normalize(sql: &str) -> String {
    match parse(sql) {
        Some(e) => print(&rewrite(e, Mode::Normalize), 0),
        None => fallback_tokens(sql),
    }
}

/// The readable form of an expression as PostgreSQL prints it (see the module documentation).
///
/// ```
/// use strata::compare::expr::tidy;
/// assert_eq!(tidy("(price >= (0)::numeric)"), "price >= 0");
/// assert_eq!(tidy("((context -> 'vars'::text) ->> 'taskId'::text)"), "context -> 'vars' ->> 'taskId'");
/// assert_eq!(tidy("(sender = ANY (ARRAY['user'::text, 'bot'::text]))"), "sender IN ('user', 'bot')");
/// ```
pub fn tidy(sql: &str) -> String {
    match parse(sql) {
        Some(e) => print(&rewrite(e, Mode::Tidy), 0),
        None => strip_outer_parens(sql.trim()).to_string(),
    }
}

pub use crate::model::expr_words as words;

/// The literal a default expression stands for, when it is a constant of the column's type:
/// `None` for anything computed (`now()`, `gen_random_uuid()`, `'a' || b`).
///
/// ```
/// use strata::compare::expr::literal_default;
/// use strata::model::{BaseType, ColumnType, Literal};
/// let text_array = ColumnType { base: BaseType::Text, array: true };
/// assert_eq!(
///     literal_default("'{a,\"b c\"}'::text[]", &text_array),
///     Some(Literal::Json(serde_json::json!(["a", "b c"]))),
/// );
/// let int = ColumnType { base: BaseType::Integer, array: false };
/// assert_eq!(literal_default("'-1'::integer", &int), Some(Literal::Integer(-1)));
/// assert_eq!(literal_default("now()", &int), None);
/// ```
pub fn literal_default(sql: &str, ty: &ColumnType) -> Option<Literal> {
    let e = parse(sql)?;
    constant_literal(&e, ty)
}

#[cfg(test)]
mod tests;
