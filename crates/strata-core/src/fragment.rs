//! SQL fragments from schemas — defaults, checks, index expressions and predicates, backfills —
//! read with PostgreSQL's own parser and printed back from the parse tree.
//!
//! A schema may hold SQL in a few places (`default_sql`, `check`, `checks[].expr`, an index's
//! `expr` and `where`, `backfill`). None of that text is ever pasted into a statement: each
//! fragment is parsed with `pg_query` (libpg_query, the server's grammar and scanner) as the
//! target of `SELECT <fragment>`, refused unless the tree is exactly one expression, and replaced
//! by the SQL that the deparser prints from that tree. What reaches a migration is therefore a
//! single expression whatever the text held: a `;`, a comment, an unbalanced quote or
//! parenthesis, an `E'…'` string or a dollar quote cannot end the statement, because the printed
//! text is rebuilt token by token. String constants are printed in a form that reads the same
//! whether `standard_conforming_strings` is on or off (`E'…'` where a backslash or a control
//! character is involved), and never hold a raw line break.
//!
//! ```
//! use strata::fragment::{FragmentKind, parse};
//! assert_eq!(parse(FragmentKind::Check, "price>=0").unwrap(), "price >= 0");
//! assert!(parse(FragmentKind::Check, "true); DROP TABLE victim; --").is_err());
//! ```

mod operators;
mod partitions;
mod routines;

pub use operators::operator_name;
pub use partitions::partition_bound;
pub use routines::{
    TriggerDefinition, check_plpgsql, dollar_tag, sql_body, statement_references,
    trigger_definition, type_name,
};

use crate::diag::Loc;
use crate::model::{Default, IndexTarget, Schema};
use std::fmt;

/// Where a fragment stands; it decides what the expression may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FragmentKind {
    /// `default_sql` of a column.
    Default,
    /// A check constraint (`check`, `checks[].expr`).
    Check,
    /// The `where` of a partial index.
    Predicate,
    /// An index key given by `expr`.
    IndexExpr,
    /// `backfill` of a column: the value an `UPDATE` gives existing rows (may use a subquery).
    Backfill,
    /// The expression of a generated column (`generated:`).
    Generated,
    /// The conversion of a column's values when its type changes (`using:`).
    Using,
    /// A row-level security policy's `using` or `with_check` (may use a subquery).
    Policy,
    /// An expression the planner reads from elsewhere (an expression stored in a snapshot).
    Any,
}

impl FragmentKind {
    fn allows_subquery(self) -> bool {
        matches!(
            self,
            FragmentKind::Backfill | FragmentKind::Any | FragmentKind::Policy
        )
    }
}

/// Why a fragment was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentError {
    /// What is wrong, naming the part of the fragment that is not one expression.
    pub message: String,
    /// Byte offset in the fragment of the offending part, where known.
    pub offset: Option<usize>,
}

impl fmt::Display for FragmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FragmentError {}

/// The longest fragment accepted, in bytes.
pub const MAX_FRAGMENT_BYTES: usize = 64 * 1024;

const PREFIX: &str = "SELECT ";

/// What every fragment must be before it is parsed: not empty, at most
/// [`MAX_FRAGMENT_BYTES`] long, without a NUL character.
fn precheck(text: &str) -> Result<(), FragmentError> {
    let refuse = |message: String, offset: Option<usize>| Err(FragmentError { message, offset });
    if text.trim().is_empty() {
        return refuse("is empty".into(), None);
    }
    if text.len() > MAX_FRAGMENT_BYTES {
        return refuse(
            format!(
                "is {} bytes long; at most {MAX_FRAGMENT_BYTES} are accepted",
                text.len()
            ),
            None,
        );
    }
    if let Some(at) = text.find('\0') {
        return refuse("contains a NUL character".into(), Some(at));
    }
    Ok(())
}

/// Parses `text` as one SQL expression and returns it as printed from the parse tree.
pub fn parse(kind: FragmentKind, text: &str) -> Result<String, FragmentError> {
    let refuse = |message: String, offset: Option<usize>| Err(FragmentError { message, offset });
    precheck(text)?;
    let query = format!("{PREFIX}{text}");
    let parsed = match pg_query::parse(&query, 0) {
        Ok(p) => p,
        Err(e) => return refuse(parse_error(&e, text), error_offset(&e, text)),
    };
    let stmts = &parsed.protobuf.stmts;
    if stmts.len() != 1 {
        let at = statement_end(text);
        return refuse(
            match at {
                Some(i) => format!(
                    "is more than one statement: the `;` at byte {} ends the expression",
                    i + 1
                ),
                None => "is more than one statement".into(),
            },
            at,
        );
    }
    let Some(pg_query::NodeEnum::SelectStmt(select)) =
        stmts[0].stmt.as_ref().and_then(|n| n.node.as_ref())
    else {
        return refuse("is not an expression".into(), None);
    };
    if let Some(why) = extra_clause(select) {
        return refuse(
            format!("is not one expression: it {why}"),
            clause_offset(text),
        );
    }
    let [target] = select.target_list.as_slice() else {
        let at = top_level_comma(text);
        return refuse(
            "is a list of expressions, not one (a `,` outside parentheses)".into(),
            at,
        );
    };
    let Some(pg_query::NodeEnum::ResTarget(res)) = target.node.as_ref() else {
        return refuse("is not an expression".into(), None);
    };
    if !res.name.is_empty() {
        return refuse(
            format!(
                "gives its value a name (`AS {}`); write the expression alone",
                res.name
            ),
            text.to_ascii_lowercase().rfind(" as "),
        );
    }
    let Some(value) = res.val.as_ref().and_then(|v| v.node.as_ref()) else {
        return refuse("is not an expression".into(), None);
    };
    if matches!(value, pg_query::NodeEnum::ColumnRef(c) if c.fields.iter().any(|f| matches!(f.node, Some(pg_query::NodeEnum::AStar(_)))))
    {
        return refuse("is `*`, not an expression".into(), text.find('*'));
    }
    if !kind.allows_subquery() && has_subquery(value) {
        return refuse(
            "uses a subquery, which PostgreSQL does not allow here".into(),
            text.to_ascii_lowercase().find("select"),
        );
    }
    let printed = parsed
        .deparse(pg_query::DeparseOptions::default())
        .map_err(|e| FragmentError {
            message: format!("could not be printed back as SQL ({e})"),
            offset: None,
        })?;
    let Some(expr) = printed.strip_prefix(PREFIX) else {
        return refuse("could not be printed back as one expression".into(), None);
    };
    Ok(single_line_strings(expr))
}

/// Parses `text` as one query — a `SELECT`, `VALUES` or `WITH … SELECT` — and returns it as
/// printed from the parse tree (the body of a view). Anything else (several statements, a DML
/// or DDL statement, `SELECT … INTO`) is refused.
pub fn parse_query(text: &str) -> Result<String, FragmentError> {
    let refuse = |message: String, offset: Option<usize>| Err(FragmentError { message, offset });
    precheck(text)?;
    let parsed = match pg_query::parse(text, 0) {
        Ok(p) => p,
        Err(e) => {
            let raw = match &e {
                pg_query::Error::Parse(m) => m.clone(),
                other => other.to_string(),
            };
            return refuse(
                format!("is not one SQL query: {raw}"),
                error_offset(&e, text),
            );
        }
    };
    let stmts = &parsed.protobuf.stmts;
    if stmts.len() != 1 {
        return refuse(
            "is more than one statement; a view is one query".into(),
            statement_end(text),
        );
    }
    let Some(pg_query::NodeEnum::SelectStmt(select)) =
        stmts[0].stmt.as_ref().and_then(|n| n.node.as_ref())
    else {
        return refuse(
            "is not a query (SELECT, VALUES or WITH … SELECT)".into(),
            None,
        );
    };
    if select.into_clause.is_some() {
        return refuse(
            "has an INTO clause; a view's query only reads".into(),
            text.to_ascii_lowercase().find("into"),
        );
    }
    let printed = parsed
        .deparse(pg_query::DeparseOptions::default())
        .map_err(|e| FragmentError {
            message: format!("could not be printed back as SQL ({e})"),
            offset: None,
        })?;
    Ok(single_line_strings(&printed))
}

/// Whether two expressions are the same once parsed and printed (`a>0` and `a > 0` are).
/// Text that does not parse is compared as written.
pub fn same(a: &str, b: &str) -> bool {
    a == b
        || match (parse(FragmentKind::Any, a), parse(FragmentKind::Any, b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
}

/// Where a refused fragment stands in a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentSite {
    /// The key and its owner, e.g. "check `users_age_check`".
    pub what: String,
    /// The fragment as it was written.
    pub text: String,
    pub loc: Loc,
}

/// Replaces every SQL fragment of `schema` by its printed form; returns the ones that are not
/// one expression (left as written), in declaration order.
pub fn reprint_schema(schema: &mut Schema) -> Vec<(FragmentSite, FragmentError)> {
    let mut refused = Vec::new();
    let mut one =
        |kind: FragmentKind, what: String, text: &mut String, loc: Loc| match parse(kind, text) {
            Ok(printed) => *text = printed,
            Err(e) => refused.push((
                FragmentSite {
                    what,
                    text: text.clone(),
                    loc,
                },
                e,
            )),
        };
    for d in &mut schema.domains {
        if let Some(Default::Sql(e)) = &mut d.default {
            let what = format!("`default_sql` of domain `{}`", d.name);
            one(FragmentKind::Default, what, e, d.loc);
        }
        for c in &mut d.checks {
            let what = format!("check `{}` of domain `{}`", c.name, d.name);
            one(FragmentKind::Check, what, &mut c.expr, c.loc);
        }
    }
    for t in &mut schema.tables {
        for c in &mut t.columns {
            if let Some(Default::Sql(e)) = &mut c.default {
                let what = format!("`default_sql` of column `{}`", c.name);
                one(FragmentKind::Default, what, e, c.loc);
            }
            if let Some(b) = &mut c.backfill {
                let what = format!("`backfill` of column `{}`", c.name);
                one(FragmentKind::Backfill, what, b, c.loc);
            }
            if let Some(g) = &mut c.generated {
                let what = format!("`generated` of column `{}`", c.name);
                one(FragmentKind::Generated, what, g, c.loc);
            }
            if let Some(u) = &mut c.using {
                let what = format!("`using` of column `{}`", c.name);
                one(FragmentKind::Using, what, u, c.loc);
            }
        }
        for p in &mut t.policies {
            for (key, e) in [("using", &mut p.using), ("with_check", &mut p.with_check)] {
                if let Some(e) = e {
                    let what = format!("the `{key}` of policy `{}`", p.name);
                    one(FragmentKind::Policy, what, e, p.loc);
                }
            }
        }
        for c in &mut t.checks {
            let what = format!("check `{}`", c.name);
            one(FragmentKind::Check, what, &mut c.expr, c.loc);
        }
        for i in &mut t.indexes {
            if let Some(p) = &mut i.predicate {
                let what = format!("the `where` of index `{}`", i.name);
                one(FragmentKind::Predicate, what, p, i.loc);
            }
            for k in &mut i.keys {
                if let IndexTarget::Expr(e) = &mut k.target {
                    let what = format!("an expression of index `{}`", i.name);
                    one(FragmentKind::IndexExpr, what, e, i.loc);
                }
            }
        }
        for x in &mut t.exclusions {
            if let Some(p) = &mut x.predicate {
                let what = format!("the `where` of exclusion constraint `{}`", x.name);
                one(FragmentKind::Predicate, what, p, x.loc);
            }
            for e in &mut x.elements {
                if let IndexTarget::Expr(ex) = &mut e.key.target {
                    let what = format!("an expression of exclusion constraint `{}`", x.name);
                    one(FragmentKind::IndexExpr, what, ex, x.loc);
                }
            }
        }
    }
    for v in &mut schema.views {
        for i in &mut v.indexes {
            if let Some(p) = &mut i.predicate {
                let what = format!("the `where` of index `{}`", i.name);
                one(FragmentKind::Predicate, what, p, i.loc);
            }
            for k in &mut i.keys {
                if let IndexTarget::Expr(e) = &mut k.target {
                    let what = format!("an expression of index `{}`", i.name);
                    one(FragmentKind::IndexExpr, what, e, i.loc);
                }
            }
        }
    }
    for v in &mut schema.views {
        match parse_query(&v.query) {
            Ok(printed) => v.query = printed,
            Err(e) => refused.push((
                FragmentSite {
                    what: format!("the query of {} `{}`", v.kind(), v.name),
                    text: v.query.clone(),
                    loc: v.loc,
                },
                e,
            )),
        }
    }
    refused
}

/// The functions an expression calls, as PostgreSQL's parser reads it: each call's name
/// without its schema, lower-cased, in order of appearance (`now()`, `public.f(x)` → `f`).
/// Text inside string constants is not a call. Empty when the expression does not parse.
pub fn called_functions(text: &str) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(call) = m.get("FuncCall")
                    && let Some(name) = call
                        .get("funcname")
                        .and_then(|n| n.as_array())
                        .and_then(|parts| parts.last())
                        .and_then(|last| last.pointer("/node/String/sval"))
                        .and_then(|s| s.as_str())
                {
                    out.push(name.to_ascii_lowercase());
                }
                m.values().for_each(|v| walk(v, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let Ok(parsed) = pg_query::parse(&format!("{PREFIX}{text}"), 0) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(&parsed.protobuf) {
        walk(&v, &mut out);
    }
    out
}

/// The column names an expression reads outside any subquery, as PostgreSQL's parser reads
/// it: each unqualified name, and the last part of a qualified one (`t.tenant_id` →
/// `tenant_id`), in order of appearance, without repeats. Empty when it does not parse.
/// Whether a subquery is present is the second value (its names may be other tables').
pub fn referenced_columns(text: &str) -> Vec<String> {
    column_refs(text).0
}

/// [`referenced_columns`] and whether the expression has a subquery.
pub fn column_refs(text: &str) -> (Vec<String>, bool) {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>, sub: &mut bool) {
        match v {
            serde_json::Value::Object(m) => {
                if m.contains_key("SubLink") {
                    *sub = true;
                    return;
                }
                if let Some(r) = m.get("ColumnRef")
                    && let Some(name) = r
                        .get("fields")
                        .and_then(|n| n.as_array())
                        .and_then(|parts| parts.last())
                        .and_then(|last| last.pointer("/node/String/sval"))
                        .and_then(|s| s.as_str())
                {
                    if !out.iter().any(|o| o == name) {
                        out.push(name.to_string());
                    }
                    return;
                }
                m.values().for_each(|v| walk(v, out, sub));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out, sub)),
            _ => {}
        }
    }
    let Ok(parsed) = pg_query::parse(&format!("{PREFIX}{text}"), 0) else {
        return (Vec::new(), false);
    };
    let mut out = Vec::new();
    let mut sub = false;
    if let Ok(v) = serde_json::to_value(&parsed.protobuf) {
        walk(&v, &mut out, &mut sub);
    }
    (out, sub)
}

/// The statements of an SQL script as PostgreSQL's parser splits it (its scanner where the
/// script does not parse): each statement's byte offset in `sql` and its text, without the `;`.
/// Used to name the statement of a migration that failed.
pub fn split_script(sql: &str) -> Vec<(usize, &str)> {
    let parts = pg_query::split_with_parser(sql)
        .or_else(|_| pg_query::split_with_scanner(sql))
        .unwrap_or_default();
    let base = sql.as_ptr() as usize;
    parts
        .into_iter()
        .map(|p| (p.as_ptr() as usize - base, p))
        .collect()
}

/// The name of the first clause a `SELECT` has beyond its target list, if any.
fn extra_clause(s: &pg_query::protobuf::SelectStmt) -> Option<&'static str> {
    use pg_query::protobuf::{LimitOption, SetOperation};
    let op_none = s.op == SetOperation::SetopNone as i32 || s.op == 0;
    let limit_default = s.limit_option == LimitOption::Default as i32 || s.limit_option == 0;
    [
        (!s.distinct_clause.is_empty(), "starts with DISTINCT"),
        (s.into_clause.is_some(), "has an INTO clause"),
        (!s.from_clause.is_empty(), "has a FROM clause"),
        (s.where_clause.is_some(), "has a WHERE clause"),
        (
            !s.group_clause.is_empty() || s.group_distinct,
            "has a GROUP BY clause",
        ),
        (s.having_clause.is_some(), "has a HAVING clause"),
        (!s.window_clause.is_empty(), "has a WINDOW clause"),
        (!s.values_lists.is_empty(), "is a VALUES list"),
        (!s.sort_clause.is_empty(), "has an ORDER BY clause"),
        (
            s.limit_offset.is_some() || s.limit_count.is_some() || !limit_default,
            "has a LIMIT, OFFSET or FETCH clause",
        ),
        (
            !s.locking_clause.is_empty(),
            "has a FOR UPDATE/SHARE clause",
        ),
        (s.with_clause.is_some(), "has a WITH clause"),
        (
            !op_none || s.larg.is_some() || s.rarg.is_some() || s.all,
            "combines queries (UNION, INTERSECT or EXCEPT)",
        ),
    ]
    .into_iter()
    .find_map(|(has, why)| has.then_some(why))
}

/// Whether the tree holds a subquery (`(SELECT …)`, `EXISTS`, `IN (SELECT …)`, `ARRAY(SELECT …)`).
fn has_subquery(node: &pg_query::NodeEnum) -> bool {
    fn walk(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Object(m) => m
                .iter()
                .any(|(k, v)| k == "SubLink" || k == "SelectStmt" || walk(v)),
            serde_json::Value::Array(a) => a.iter().any(walk),
            _ => false,
        }
    }
    // The protobuf tree serializes node kinds as keys; a subquery is a `SubLink` node.
    serde_json::to_value(node).is_ok_and(|v| walk(&v))
}

/// The server's message for a fragment that does not parse, with the fragment's own offsets.
fn parse_error(e: &pg_query::Error, text: &str) -> String {
    let raw = match e {
        pg_query::Error::Parse(m) => m.clone(),
        other => other.to_string(),
    };
    match error_offset(e, text) {
        Some(at) => format!("is not one SQL expression: {raw} (byte {})", at + 1),
        None => format!("is not one SQL expression: {raw}"),
    }
}

/// Where the parser stopped: the first token of the fragment whose text is the one named in
/// `syntax error at or near "…"`.
fn error_offset(e: &pg_query::Error, text: &str) -> Option<usize> {
    let pg_query::Error::Parse(m) = e else {
        return None;
    };
    if m.contains("at end of input") {
        return Some(text.len());
    }
    let near = m.split("at or near \"").nth(1)?.strip_suffix('"')?;
    tokens(text)
        .into_iter()
        .find(|(s, e)| &text[*s..*e] == near)
        .map(|(s, _)| s)
}

/// The byte offset of the first `;` token of the fragment.
fn statement_end(text: &str) -> Option<usize> {
    tokens(text)
        .into_iter()
        .find(|(s, e)| &text[*s..*e] == ";")
        .map(|(s, _)| s)
}

/// The byte offset of the first `,` outside parentheses and brackets.
fn top_level_comma(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (s, e) in tokens(text) {
        match &text[s..e] {
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            "," if depth == 0 => return Some(s),
            _ => {}
        }
    }
    None
}

/// The byte offset of the first clause keyword outside parentheses (FROM, WHERE, UNION, …).
fn clause_offset(text: &str) -> Option<usize> {
    const CLAUSES: &[&str] = &[
        "from",
        "where",
        "group",
        "having",
        "window",
        "order",
        "limit",
        "offset",
        "fetch",
        "for",
        "into",
        "union",
        "intersect",
        "except",
        "distinct",
        "with",
        "values",
    ];
    let mut depth = 0i32;
    for (s, e) in tokens(text) {
        let t = text[s..e].to_ascii_lowercase();
        match t.as_str() {
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            w if depth == 0 && CLAUSES.contains(&w) => return Some(s),
            _ => {}
        }
    }
    None
}

/// The fragment's tokens as byte ranges, read by PostgreSQL's scanner.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let Ok(scan) = pg_query::scan(text) else {
        return Vec::new();
    };
    scan.tokens
        .iter()
        .filter_map(|t| {
            let (s, e) = (usize::try_from(t.start).ok()?, usize::try_from(t.end).ok()?);
            (s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e))
                .then_some((s, e))
        })
        .collect()
}

/// Rewrites every string constant of printed SQL that holds a control character (a line break
/// above all) as an escape string, so that printed SQL is always one line.
///
/// The deparser writes a string constant as `'…'` (quotes doubled, no backslash inside) or as
/// `E'…'` (backslashes doubled too); either way, replacing each control character by its escape
/// and making the constant an `E'…'` string keeps its value.
fn single_line_strings(sql: &str) -> String {
    if !sql.chars().any(char::is_control) {
        return sql.to_string();
    }
    let Ok(scan) = pg_query::scan(sql) else {
        return sql.to_string();
    };
    let mut out = String::with_capacity(sql.len() + 8);
    let mut last = 0usize;
    for t in &scan.tokens {
        let (Ok(s), Ok(e)) = (usize::try_from(t.start), usize::try_from(t.end)) else {
            continue;
        };
        if e > sql.len() || s < last || !sql.is_char_boundary(s) || !sql.is_char_boundary(e) {
            continue;
        }
        let token = &sql[s..e];
        if t.token != pg_query::protobuf::Token::Sconst as i32
            || !token.chars().any(char::is_control)
        {
            continue;
        }
        out.push_str(&sql[last..s]);
        if !token.starts_with(['E', 'e']) {
            out.push('E');
        }
        for c in token.chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => {
                    let code = u32::from(c);
                    if code < 0x80 {
                        out.push_str(&format!("\\x{code:02X}"));
                    } else {
                        out.push_str(&format!("\\u{code:04X}"));
                    }
                }
                c => out.push(c),
            }
        }
        last = e;
    }
    out.push_str(&sql[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        parse(FragmentKind::Check, text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn err(kind: FragmentKind, text: &str) -> FragmentError {
        parse(kind, text).expect_err(text)
    }

    #[test]
    fn expressions_are_printed_from_the_tree() {
        assert_eq!(ok("a>0"), "a > 0");
        assert_eq!(ok("status IN ('a','b')"), "status IN ('a', 'b')");
        assert_eq!(ok("/* c */ 1 -- d\n + 2"), "1 + 2");
        assert_eq!(ok("'a\\b'"), "E'a\\\\b'");
        assert_eq!(ok("$q$it's$q$"), "'it''s'");
        assert_eq!(ok("E'two\\nlines'"), "E'two\\nlines'");
        assert_eq!(ok("'two\nlines'"), "E'two\\nlines'");
        assert_eq!(
            parse(FragmentKind::Default, "gen_random_uuid()").unwrap(),
            "gen_random_uuid()"
        );
    }

    #[test]
    fn anything_but_one_expression_is_refused() {
        let e = err(FragmentKind::Check, "a > 0; DROP TABLE victim");
        assert_eq!(e.offset, Some(5), "{e}");
        let e = err(
            FragmentKind::Check,
            "a <> $q$'$q$ )); DROP TABLE victim; SELECT (($z$'$z$",
        );
        assert!(e.message.contains("syntax error"), "{e}");
        assert_eq!(e.offset, Some(13));
        assert!(err(FragmentKind::Check, "1, 2").message.contains("list"));
        assert!(
            err(FragmentKind::Check, "1 FROM victim")
                .message
                .contains("FROM")
        );
        assert!(
            err(FragmentKind::Check, "1 UNION SELECT 2")
                .message
                .contains("UNION")
        );
        assert!(err(FragmentKind::Check, "1 AS x").message.contains("AS x"));
        assert!(err(FragmentKind::Check, "*").message.contains('*'));
        assert!(err(FragmentKind::Check, "").message.contains("empty"));
        assert!(
            err(FragmentKind::Check, "(1")
                .message
                .contains("end of input")
        );
        assert!(err(FragmentKind::Check, "a\0").message.contains("NUL"));
        assert!(
            err(FragmentKind::Check, "(SELECT count(*) FROM victim) > 0")
                .message
                .contains("subquery")
        );
        assert!(parse(FragmentKind::Backfill, "(SELECT max(x) FROM other)").is_ok());
    }

    #[test]
    fn called_functions_come_from_the_tree() {
        assert_eq!(called_functions("now()"), ["now"]);
        assert_eq!(
            called_functions("'asst_' || public.Gen_Random_Uuid()::text"),
            ["gen_random_uuid"]
        );
        // `coalesce` is syntax (a CoalesceExpr), not a function call.
        assert_eq!(
            called_functions("coalesce(lower(a), random ())"),
            ["lower", "random"]
        );
        assert!(called_functions("'random()'").is_empty());
        assert!(called_functions("current_timestamp").is_empty());
    }

    #[test]
    fn scripts_split_where_the_server_would() {
        let sql = "-- a\nSELECT ';';\nDO $x$ BEGIN PERFORM 1; END $x$;\nSELECT 2";
        let parts: Vec<&str> = split_script(sql)
            .into_iter()
            .map(|(_, s)| s.trim())
            .collect();
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert!(parts[0].ends_with("SELECT ';'"), "{parts:?}");
        assert!(parts[1].starts_with("DO $x$"), "{parts:?}");
    }

    #[test]
    fn same_compares_parsed_expressions() {
        assert!(same("a>0", "a > 0"));
        assert!(same("(a > 0)", "a > 0"));
        assert!(!same("a > 0", "a > 1"));
    }
}
