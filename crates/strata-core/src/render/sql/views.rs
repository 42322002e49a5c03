//! Views and materialized views: `CREATE [OR REPLACE] [MATERIALIZED] VIEW`, their drops,
//! renames, refreshes, comments and a materialized view's indexes.
//!
//! A view's query reaches this module only as printed from its parse tree
//! ([`crate::fragment::parse_query`]); names go through [`qualified`].

use super::ddl::{IndexBuild, comment_statement, create_index_on};
use super::quote::{ident, qualified};
use super::{Statement, StatementKind};
use crate::model::{CheckOption, Index, View};

/// The view's name as SQL, qualified by its schema when it has one.
pub fn view_name(v: &View) -> String {
    qualified(v.schema.as_deref(), &v.name)
}

fn kind_sql(materialized: bool) -> &'static str {
    if materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    }
}

/// `CREATE VIEW <name> [WITH (…)] AS <query> [WITH … CHECK OPTION]`, or
/// `CREATE MATERIALIZED VIEW <name> AS <query> WITH DATA`.
pub fn create_view(v: &View) -> Statement {
    view_statement(v, false)
}

/// `CREATE OR REPLACE VIEW …` (plain views: the same leading columns, new ones appended).
pub fn replace_view(v: &View) -> Statement {
    view_statement(v, true)
}

fn view_statement(v: &View, or_replace: bool) -> Statement {
    let mut options = Vec::new();
    if v.security_barrier {
        options.push("security_barrier = true");
    }
    if v.security_invoker {
        options.push("security_invoker = true");
    }
    let with = if options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", options.join(", "))
    };
    let tail = if v.materialized {
        " WITH DATA".to_string()
    } else {
        match v.check_option {
            Some(CheckOption::Local) => " WITH LOCAL CHECK OPTION".into(),
            Some(CheckOption::Cascaded) => " WITH CASCADED CHECK OPTION".into(),
            None => String::new(),
        }
    };
    Statement::new(
        StatementKind::CreateView,
        format!(
            "CREATE {}{} {}{with} AS {}{tail}",
            if or_replace { "OR REPLACE " } else { "" },
            kind_sql(v.materialized),
            view_name(v),
            v.query.trim()
        ),
    )
}

/// `DROP [MATERIALIZED] VIEW <name>` (never `CASCADE`: dependents are dropped by name first).
pub fn drop_view(v: &View) -> Statement {
    Statement::new(
        StatementKind::CreateView,
        format!("DROP {} {}", kind_sql(v.materialized), view_name(v)),
    )
}

/// `ALTER [MATERIALIZED] VIEW <old> RENAME TO <new>`.
pub fn rename_view(old: &View, new_name: &str) -> Statement {
    Statement::new(
        StatementKind::CreateView,
        format!(
            "ALTER {} {} RENAME TO {}",
            kind_sql(old.materialized),
            view_name(old),
            ident(new_name)
        ),
    )
}

/// `REFRESH MATERIALIZED VIEW [CONCURRENTLY] <name>`; concurrently only where a unique index
/// allows it.
pub fn refresh_view(v: &View, concurrently: bool) -> Statement {
    Statement::new(
        StatementKind::CreateView,
        format!(
            "REFRESH MATERIALIZED VIEW {}{}",
            if concurrently && v.refreshes_concurrently() {
                "CONCURRENTLY "
            } else {
                ""
            },
            view_name(v)
        ),
    )
}

/// `CREATE INDEX … ON <materialized view> …`.
pub fn create_view_index(v: &View, i: &Index) -> Statement {
    create_index_on(&view_name(v), i, IndexBuild::Plain)
}

/// `COMMENT ON [MATERIALIZED] VIEW <name> IS …`.
pub fn comment_on_view(v: &View, comment: Option<&str>) -> Statement {
    comment_statement(
        format!("{} {}", kind_sql(v.materialized), view_name(v)),
        comment,
    )
}

/// `COMMENT ON COLUMN <view>.<column> IS …`.
pub fn comment_on_view_column(v: &View, column: &str, comment: Option<&str>) -> Statement {
    comment_statement(
        format!("COLUMN {}.{}", view_name(v), ident(column)),
        comment,
    )
}

/// Every statement that makes a view as declared: create it, its indexes and its comments.
pub fn view_statements(v: &View) -> Vec<Statement> {
    let mut out = vec![create_view(v)];
    out.extend(v.indexes.iter().map(|i| create_view_index(v, i)));
    out.extend(view_comments(v));
    out
}

/// A view's comments, its indexes' and its columns' (the ones that have one).
pub fn view_comments(v: &View) -> Vec<Statement> {
    let mut out = Vec::new();
    if let Some(d) = &v.description {
        out.push(comment_on_view(v, Some(d)));
    }
    for c in &v.columns {
        if let Some(d) = &c.description {
            out.push(comment_on_view_column(v, &c.name, Some(d)));
        }
    }
    for i in &v.indexes {
        if let Some(d) = &i.description {
            out.push(super::comment_on_index(&i.name, Some(d)));
        }
    }
    out
}
