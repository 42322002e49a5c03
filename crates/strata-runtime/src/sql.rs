//! Building the one statement generated code cannot hold ready: the INSERT of a `New…` value
//! that leaves some columns to their database defaults.
//!
//! A column left out of an INSERT gets its default; a column listed gets the parameter, even
//! NULL. So the statement lists exactly the columns the value provides, in the table's order,
//! with `$1…$n` in that order — the order of `insert_params()`. The names come from the
//! generated code (already quoted), never from data.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `INSERT INTO <table> (<columns>) VALUES ($1, …) RETURNING *`, or `INSERT INTO <table>
/// DEFAULT VALUES RETURNING *` when no column is given. `table` and `columns` are SQL
/// identifiers, quoted where needed.
///
/// ```
/// assert_eq!(
///     strata_runtime::sql::insert("t", ["a", "\"userId\""]),
///     "INSERT INTO t (a, \"userId\") VALUES ($1, $2) RETURNING *"
/// );
/// assert_eq!(strata_runtime::sql::insert("t", []), "INSERT INTO t DEFAULT VALUES RETURNING *");
/// ```
pub fn insert<'a>(table: &str, columns: impl IntoIterator<Item = &'a str>) -> String {
    insert_cast(table, columns.into_iter().map(|c| (c, "")), "*")
}

/// [`insert`] where each value may carry casts written after its `$n` (`::text::tsvector`,
/// for a column Rust sends in another type) and RETURNING lists `returning`. The casts and
/// the list come from the generated code, never from data.
///
/// ```
/// assert_eq!(
///     strata_runtime::sql::insert_cast("t", [("a", ""), ("v", "::text::tsvector")], "a, v::text AS v"),
///     "INSERT INTO t (a, v) VALUES ($1, $2::text::tsvector) RETURNING a, v::text AS v"
/// );
/// ```
pub fn insert_cast<'a>(
    table: &str,
    columns: impl IntoIterator<Item = (&'a str, &'a str)>,
    returning: &str,
) -> String {
    let mut names = String::new();
    let mut values = String::new();
    for (i, (c, cast)) in columns.into_iter().enumerate() {
        if i > 0 {
            names.push_str(", ");
            values.push_str(", ");
        }
        names.push_str(c);
        let _ = write!(values, "${}{cast}", i + 1);
    }
    if names.is_empty() {
        format!("INSERT INTO {table} DEFAULT VALUES RETURNING {returning}")
    } else {
        format!("INSERT INTO {table} ({names}) VALUES ({values}) RETURNING {returning}")
    }
}

/// [`insert_provided`] for a table with casts (see [`insert_cast`]): columns are (name, casts,
/// provided).
pub fn insert_provided_cast(
    all: &'static str,
    table: &str,
    columns: &[(&str, &str, bool)],
    returning: &str,
) -> Cow<'static, str> {
    if columns.iter().all(|(_, _, provided)| *provided) {
        Cow::Borrowed(all)
    } else {
        Cow::Owned(insert_cast(
            table,
            columns
                .iter()
                .filter(|(_, _, p)| *p)
                .map(|(c, k, _)| (*c, *k)),
            returning,
        ))
    }
}

/// The INSERT for a value that provides the columns marked `true`: `all` (the generated
/// statement listing every column, equal to [`insert`] of all of them) when every column is
/// provided, else a statement built by [`insert`].
pub fn insert_provided(
    all: &'static str,
    table: &str,
    columns: &[(&str, bool)],
) -> Cow<'static, str> {
    if columns.iter().all(|(_, provided)| *provided) {
        Cow::Borrowed(all)
    } else {
        Cow::Owned(insert(
            table,
            columns.iter().filter(|(_, p)| *p).map(|(c, _)| *c),
        ))
    }
}

/// `INSERT … ON CONFLICT <target> DO UPDATE SET c = EXCLUDED.c, … RETURNING *`: the INSERT of
/// [`insert`] over `columns`, updating on a conflict every one of them not in `keep` (the
/// conflict key and the primary key). With nothing to update it sets the first conflict
/// column to itself, so the statement still returns the existing row. `conflict` is the
/// generated conflict target (`(a, b)` or `(a) WHERE <predicate>`), `conflict_columns` its
/// columns.
///
/// ```
/// assert_eq!(
///     strata_runtime::sql::upsert("t", ["id", "a", "b"], "(a)", &["a"], &["id", "a"]),
///     "INSERT INTO t (id, a, b) VALUES ($1, $2, $3) ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b RETURNING *"
/// );
/// ```
pub fn upsert<'a>(
    table: &str,
    columns: impl IntoIterator<Item = &'a str>,
    conflict: &str,
    conflict_columns: &[&str],
    keep: &[&str],
) -> String {
    let columns: Vec<(&str, &str)> = columns.into_iter().map(|c| (c, "")).collect();
    upsert_cast(table, &columns, conflict, conflict_columns, keep, "*")
}

/// [`upsert`] where each value may carry casts (see [`insert_cast`]) and RETURNING lists
/// `returning`.
///
/// ```
/// assert_eq!(
///     strata_runtime::sql::upsert_cast("t", &[("id", ""), ("v", "::text::tsvector")], "(id)", &["id"], &["id"], "id, v::text AS v"),
///     "INSERT INTO t (id, v) VALUES ($1, $2::text::tsvector) ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v RETURNING id, v::text AS v"
/// );
/// ```
pub fn upsert_cast(
    table: &str,
    columns: &[(&str, &str)],
    conflict: &str,
    conflict_columns: &[&str],
    keep: &[&str],
    returning: &str,
) -> String {
    let insert = insert_cast(table, columns.iter().copied(), "");
    let insert = insert.strip_suffix(" RETURNING ").unwrap_or(&insert);
    let columns: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
    let mut set = String::new();
    for c in columns.iter().filter(|c| !keep.contains(c)) {
        if !set.is_empty() {
            set.push_str(", ");
        }
        let _ = write!(set, "{c} = EXCLUDED.{c}");
    }
    if set.is_empty()
        && let Some(c) = conflict_columns.first()
    {
        let _ = write!(set, "{c} = EXCLUDED.{c}");
    }
    format!("{insert} ON CONFLICT {conflict} DO UPDATE SET {set} RETURNING {returning}")
}

/// `UPDATE <table> SET a = $1, … WHERE <key> = $n … RETURNING *` over the columns `set`, the
/// key's parameters after theirs. With no column to set, the key is set to itself so the
/// statement still returns the row.
///
/// ```
/// assert_eq!(
///     strata_runtime::sql::update("t", &["a"], &["id"]),
///     "UPDATE t SET a = $1 WHERE id = $2 RETURNING *"
/// );
/// assert_eq!(
///     strata_runtime::sql::update("t", &[], &["id"]),
///     "UPDATE t SET id = id WHERE id = $1 RETURNING *"
/// );
/// ```
pub fn update(table: &str, set: &[&str], key: &[&str]) -> String {
    let set: Vec<(&str, &str)> = set.iter().map(|c| (*c, "")).collect();
    let key: Vec<(&str, &str)> = key.iter().map(|c| (*c, "")).collect();
    update_cast(table, &set, &key, "*")
}

/// [`update`] where each parameter may carry casts (`(column, casts)`, see [`insert_cast`])
/// and RETURNING lists `returning`.
///
/// ```
/// assert_eq!(
///     strata_runtime::sql::update_cast("t", &[("v", "::text::tsvector")], &[("id", "")], "id, v::text AS v"),
///     "UPDATE t SET v = $1::text::tsvector WHERE id = $2 RETURNING id, v::text AS v"
/// );
/// ```
pub fn update_cast(
    table: &str,
    set: &[(&str, &str)],
    key: &[(&str, &str)],
    returning: &str,
) -> String {
    let mut out = format!("UPDATE {table} SET ");
    if set.is_empty() {
        for (i, (k, _)) in key.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{k} = {k}");
        }
    }
    for (i, (c, cast)) in set.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{c} = ${}{cast}", i + 1);
    }
    out.push_str(" WHERE ");
    for (i, (k, cast)) in key.iter().enumerate() {
        if i > 0 {
            out.push_str(" AND ");
        }
        let _ = write!(out, "{k} = ${}{cast}", set.len() + i + 1);
    }
    let _ = write!(out, " RETURNING {returning}");
    out
}

/// `INSERT INTO <table> (<columns>) VALUES ($1, $2), ($3, $4), …` of `rows` rows, each value
/// with its casts (see [`insert_cast`]), returning nothing: the bulk insert of a table binary
/// `COPY` cannot load.
///
/// ```
/// assert_eq!(
///     strata_runtime::sql::insert_rows("t", &[("a", ""), ("v", "::text::tsvector")], 2),
///     "INSERT INTO t (a, v) VALUES ($1, $2::text::tsvector), ($3, $4::text::tsvector)"
/// );
/// ```
pub fn insert_rows(table: &str, columns: &[(&str, &str)], rows: usize) -> String {
    let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
    let mut out = format!("INSERT INTO {table} ({}) VALUES ", names.join(", "));
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for (i, (_, cast)) in columns.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            n += 1;
            let _ = write!(out, "${n}{cast}");
        }
        out.push(')');
    }
    out
}

/// `COPY <table> (<columns>) FROM STDIN (FORMAT binary)`.
pub fn copy_in(table: &str, columns: &[&str]) -> String {
    format!(
        "COPY {table} ({}) FROM STDIN (FORMAT binary)",
        columns.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_provided_is_the_ready_statement() {
        let all = "INSERT INTO t (a, b) VALUES ($1, $2) RETURNING *";
        assert_eq!(insert("t", ["a", "b"]), all);
        assert!(
            matches!(insert_provided(all, "t", &[("a", true), ("b", true)]), Cow::Borrowed(s) if s == all)
        );
        assert_eq!(
            insert_provided(all, "t", &[("a", false), ("b", true)]),
            "INSERT INTO t (b) VALUES ($1) RETURNING *"
        );
        assert_eq!(
            insert_provided(all, "t", &[("a", false), ("b", false)]),
            "INSERT INTO t DEFAULT VALUES RETURNING *"
        );
    }
}
