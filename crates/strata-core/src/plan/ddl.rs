//! The SQL fragments the planner emits. Whole objects come from the DDL renderer
//! ([`crate::render::sql`]), so a migration creates exactly what `schema.sql` creates; only the
//! statements that only a migration needs are spelled here.

use crate::model::*;
use crate::render::sql as r;
use crate::render::sql::ident;

pub fn table(name: &str) -> String {
    ident(name).into_owned()
}

pub fn col(name: &str) -> String {
    ident(name).into_owned()
}

pub fn type_sql(ty: &ColumnType) -> String {
    r::sql_type(ty)
}

pub fn default_sql(c: &Column) -> Option<String> {
    r::default_expr(c)
}

/// The column's definition; with `with_not_null: false` it is added nullable (to be backfilled
/// and then made NOT NULL).
pub fn column_def(c: &Column, with_not_null: bool) -> String {
    if with_not_null || c.nullable {
        r::column_definition(c)
    } else {
        r::column_definition(&Column {
            nullable: true,
            ..c.clone()
        })
    }
}

pub fn pk_clause(pk: &PrimaryKey) -> String {
    r::primary_key_clause(pk)
}

pub fn unique_clause(u: &Unique) -> String {
    r::unique_clause(u)
}

pub fn check_clause(c: &Check) -> String {
    r::check_clause(c)
}

pub fn fk_clause(fk: &ForeignKey) -> String {
    r::foreign_key_clause(fk)
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

/// The index, built `CONCURRENTLY IF NOT EXISTS` on a table that already holds rows.
pub fn create_index(t: &Table, i: &Index, concurrently: bool) -> String {
    let sql = r::create_index(t, i).sql;
    if concurrently {
        sql.replacen("INDEX ", "INDEX CONCURRENTLY IF NOT EXISTS ", 1)
    } else {
        sql
    }
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
    format!("DROP FUNCTION IF EXISTS {}()", r::TOUCH_FUNCTION)
}
