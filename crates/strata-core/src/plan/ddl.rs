//! The whole objects a migration creates, from the DDL renderer ([`crate::render::sql`]), so a
//! migration creates exactly what `schema.sql` creates. The statements only a migration needs
//! are typed values of the same renderer, built in [`super::diff`]; no SQL is spelled here.

use crate::model::*;
use crate::render::sql as r;

pub fn default_sql(c: &Column) -> Option<String> {
    r::default_expr(c)
}

/// The column as added nullable (to be backfilled and then made NOT NULL).
pub fn nullable(c: &Column) -> Column {
    Column {
        nullable: true,
        ..c.clone()
    }
}

/// `CREATE TABLE` without foreign keys (added separately), then the single-row constraint and
/// its comment, as `schema.sql` has them.
pub fn create_table(t: &Table) -> Vec<String> {
    let mut out = vec![r::create_table(t, &[]).sql];
    if let (Some(s), Some(name)) = (r::add_single_row(t), &t.single_row) {
        out.push(s.sql);
        out.push(r::comment_on_constraint(&t.name, name, Some(r::SINGLE_ROW_COMMENT)).sql);
    }
    out
}

pub fn add_single_row(t: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(s), Some(name)) = (r::add_single_row(t), &t.single_row) {
        out.push(s.sql);
        out.push(r::comment_on_constraint(&t.name, name, Some(r::SINGLE_ROW_COMMENT)).sql);
    }
    out
}

/// The index; built `CONCURRENTLY IF NOT EXISTS` on a table that already holds rows.
pub fn create_index(t: &Table, i: &Index, concurrently: bool) -> String {
    let build = if concurrently {
        r::IndexBuild::Concurrently
    } else {
        r::IndexBuild::Plain
    };
    r::create_index_with(t, i, build).sql
}

pub fn create_enum(e: &Enum) -> String {
    r::create_enum(e).sql
}

pub fn enum_comment(e: &Enum) -> Option<String> {
    r::enum_comment(e)
}

pub fn comment_table(t: &str, text: Option<&str>) -> String {
    r::comment_on_table(t, text).sql
}

pub fn comment_column(t: &str, c: &str, text: Option<&str>) -> String {
    r::comment_on_column(t, c, text).sql
}

pub fn comment_type(name: &str, text: Option<&str>) -> String {
    r::comment_on_type(name, text).sql
}

pub fn comment_index(name: &str, text: Option<&str>) -> String {
    r::comment_on_index(name, text).sql
}

pub fn trigger_name() -> &'static str {
    r::TOUCH_TRIGGER
}

pub fn create_trigger(t: &Table) -> Option<String> {
    r::create_touch_trigger(t).map(|s| s.sql)
}

pub fn trigger_function() -> Vec<String> {
    vec![
        r::create_touch_function().sql,
        r::comment_on_function(r::TOUCH_FUNCTION, Some(r::TOUCH_FUNCTION_COMMENT)).sql,
    ]
}

pub fn drop_trigger_function() -> String {
    r::DropFunction {
        name: r::TOUCH_FUNCTION,
        if_exists: true,
    }
    .to_string()
}
