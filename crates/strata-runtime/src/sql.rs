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
