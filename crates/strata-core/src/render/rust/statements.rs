//! The ready SQL of a table: statements whose `$n` parameters are in the order of the generated
//! parameter methods.

use crate::model::{Column, Identity, Table};
use crate::render::sql::ident;

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
}

/// Whether an INSERT can give the column a value (identity `ALWAYS` refuses one).
pub fn insertable(c: &Column) -> bool {
    c.identity != Some(Identity::Always)
}

pub fn statements(t: &Table) -> Statements<'_> {
    let table = ident(&t.name);
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
            .map(|(i, c)| format!("{} = ${}", ident(&c.name), first + i))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let all: Vec<&Column> = t.columns.iter().collect();
    let select = format!("SELECT {} FROM {table}", list(&all));
    let select_by_pk = format!("{select} WHERE {}", key_match(1));

    let insert_columns: Vec<&Column> = t.columns.iter().filter(|c| insertable(c)).collect();
    // The same text as `strata_runtime::sql::insert` with every column.
    let insert = if t.columns.is_empty() {
        // PostgreSQL refuses `RETURNING *` with no columns; the row struct reads nothing.
        format!("INSERT INTO {table} DEFAULT VALUES RETURNING NULL")
    } else if insert_columns.is_empty() {
        format!("INSERT INTO {table} DEFAULT VALUES RETURNING *")
    } else {
        let values = (1..=insert_columns.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "INSERT INTO {table} ({}) VALUES ({values}) RETURNING *",
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
            .map(|(i, c)| format!("{} = ${}", ident(&c.name), i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let update_by_pk = format!(
        "UPDATE {table} SET {set} WHERE {} RETURNING *",
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
    }
}
