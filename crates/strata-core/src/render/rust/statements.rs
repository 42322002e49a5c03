//! The ready SQL of a table: statements whose `$n` parameters are in the order of the generated
//! parameter methods.

use crate::model::{Column, Schema, Table};
use crate::render::sql::{ident, sql_type};

/// The statements of one table, and which columns each writes.
pub struct Statements<'t> {
    pub select: String,
    pub select_by_pk: String,
    pub insert: String,
    pub update_by_pk: String,
    pub delete_by_pk: String,
    /// The columns of `New…` (every column but identity `ALWAYS`), in table order.
    pub insert_columns: Vec<&'t Column>,
    /// The columns UPDATE sets (`$1…`), before the key.
    pub update_columns: Vec<&'t Column>,
    /// The primary key, in key order.
    pub key: Vec<&'t Column>,
    /// What INSERT and UPDATE return: `*`, or the select list when a column travels in
    /// another type (see [`Schema::transport_type`]).
    pub returning: String,
    /// Per column of `insert_columns`, what follows its `$n` (empty, or `::text::tsvector`).
    pub param_casts: Vec<String>,
}

/// Whether an INSERT can give the column a value (identity `ALWAYS` and generated columns
/// refuse one).
pub fn insertable(c: &Column) -> bool {
    c.writable()
}

/// The column as a select-list item: its name, or `"c"::text AS "c"` when Rust reads it in
/// another type.
fn select_item(schema: &Schema, c: &Column) -> String {
    let name = ident(&c.name);
    match schema.transport_type(&c.ty) {
        Some(t) => format!("{name}::{t} AS {name}"),
        None => name.into_owned(),
    }
}

/// What follows a parameter for the column: empty, or the casts from the type Rust sends to
/// the column's (`::text::tsvector`).
pub fn param_cast(schema: &Schema, c: &Column) -> String {
    match schema.transport_type(&c.ty) {
        Some(t) => format!("::{t}::{}", sql_type(&c.ty)),
        None => String::new(),
    }
}

pub fn statements<'t>(schema: &Schema, t: &'t Table) -> Statements<'t> {
    let table = crate::render::sql::relation(&t.name);
    let key = t.primary_key_columns();
    let list = |cols: &[&Column]| {
        cols.iter()
            .map(|c| ident(&c.name).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let key_match = |first: usize| {
        key.iter()
            .enumerate()
            .map(|(i, c)| {
                format!(
                    "{} = ${}{}",
                    ident(&c.name),
                    first + i,
                    param_cast(schema, c)
                )
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let all: Vec<&Column> = t.columns.iter().collect();
    let select_list = all
        .iter()
        .map(|c| select_item(schema, c))
        .collect::<Vec<_>>()
        .join(", ");
    let returning = if t
        .columns
        .iter()
        .any(|c| schema.transport_type(&c.ty).is_some())
    {
        select_list.clone()
    } else {
        "*".to_string()
    };
    let select = format!("SELECT {select_list} FROM {table}");
    let select_by_pk = format!("{select} WHERE {}", key_match(1));

    let insert_columns: Vec<&Column> = t.columns.iter().filter(|c| insertable(c)).collect();
    let param_casts: Vec<String> = insert_columns
        .iter()
        .map(|c| param_cast(schema, c))
        .collect();
    // The same text as `strata_runtime::sql::insert` with every column.
    let insert = if t.columns.is_empty() {
        // PostgreSQL refuses `RETURNING *` with no columns; the row struct reads nothing.
        format!("INSERT INTO {table} DEFAULT VALUES RETURNING NULL")
    } else if insert_columns.is_empty() {
        format!("INSERT INTO {table} DEFAULT VALUES RETURNING {returning}")
    } else {
        let values = param_casts
            .iter()
            .enumerate()
            .map(|(i, cast)| format!("${}{cast}", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "INSERT INTO {table} ({}) VALUES ({values}) RETURNING {returning}",
            list(&insert_columns)
        )
    };

    // Not the key (it finds the row), not identity ALWAYS (refused), not auto_update (the
    // trigger overwrites it).
    let update_columns: Vec<&Column> = t
        .columns
        .iter()
        .filter(|c| insertable(c) && !c.auto_update && !key.iter().any(|k| k.name == c.name))
        .collect();
    let set = if update_columns.is_empty() {
        // Nothing to write: set the key to itself, so the statement still returns the row.
        key.iter()
            .map(|c| format!("{0} = {0}", ident(&c.name)))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        update_columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ${}{}", ident(&c.name), i + 1, param_cast(schema, c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let update_by_pk = format!(
        "UPDATE {table} SET {set} WHERE {} RETURNING {returning}",
        key_match(update_columns.len() + 1)
    );
    let delete_by_pk = format!("DELETE FROM {table} WHERE {}", key_match(1));
    Statements {
        select,
        select_by_pk,
        insert,
        update_by_pk,
        delete_by_pk,
        insert_columns,
        update_columns,
        key,
        returning,
        param_casts,
    }
}
