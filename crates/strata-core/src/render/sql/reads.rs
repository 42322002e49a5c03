//! The statements of the generated query methods: lookups by a key, lists by a foreign key,
//! counts, existence tests, keyset pages and deletes by a column set. Each is printed here
//! from the model, names quoted by [`ident`] and predicates as printed from their parse tree
//! (an index's `where:`), so generated code never pastes SQL together.

use super::{ident, sql_type};
use crate::model::{BaseType, Column, Schema, Table};

/// What a read filters and orders on. Parameters are numbered in the order of `equal`, then
/// `after`, then the limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter<'a> {
    /// Columns compared with `=` to a parameter each (`a = $1 AND b = $2`).
    pub equal: Vec<&'a str>,
    /// SQL conditions added as they are (an index predicate, the soft-delete test), each
    /// already printed by this module or from a parse tree.
    pub conditions: Vec<String>,
    /// Keyset columns: only rows whose `(columns)` come after the parameters in `order`.
    pub after: Vec<&'a str>,
    /// `ORDER BY` columns, all in one direction.
    pub order: Vec<&'a str>,
    /// Descending order (and `<` for `after`).
    pub desc: bool,
    /// A `LIMIT $n` parameter.
    pub limit: bool,
}

impl Filter<'_> {
    /// How many parameters the statement takes.
    pub fn params(&self) -> usize {
        self.equal.len() + self.after.len() + usize::from(self.limit)
    }

    fn where_clause(&self, schema: &Schema, table: &Table) -> String {
        let cast = |c: &str| param_cast(schema, table, c);
        let mut parts: Vec<String> = self
            .equal
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ${}{}", ident(c), i + 1, cast(c)))
            .collect();
        if !self.after.is_empty() {
            let first = self.equal.len() + 1;
            let params = self
                .after
                .iter()
                .enumerate()
                .map(|(i, c)| format!("${}{}", first + i, cast(c)))
                .collect::<Vec<_>>()
                .join(", ");
            let op = if self.desc { "<" } else { ">" };
            parts.push(if self.after.len() == 1 {
                format!("{} {op} {params}", ident(self.after[0]))
            } else {
                format!("({}) {op} ({params})", list(&self.after))
            });
        }
        parts.extend(self.conditions.iter().map(|c| format!("({c})")));
        if parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", parts.join(" AND "))
        }
    }

    fn tail(&self) -> String {
        let mut out = String::new();
        if !self.order.is_empty() {
            let dir = if self.desc { " DESC" } else { "" };
            let cols = self
                .order
                .iter()
                .map(|c| format!("{}{dir}", ident(c)))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!(" ORDER BY {cols}"));
        }
        if self.limit {
            out.push_str(&format!(" LIMIT ${}", self.params()));
        }
        out
    }
}

/// What follows a parameter compared with column `name`: empty, or the casts from the type
/// Rust sends (`::text::tsvector`, a domain's underlying type) to the column's.
fn param_cast(schema: &Schema, table: &Table, name: &str) -> String {
    table
        .column(name)
        .and_then(|c| {
            schema
                .transport_type(&c.ty)
                .map(|t| format!("::{t}::{}", sql_type(&c.ty)))
        })
        .unwrap_or_default()
}

fn list(columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| ident(c).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `SELECT <every column> FROM <table> WHERE … ORDER BY … LIMIT …`; a column Rust reads in
/// another type is selected as `"c"::text AS "c"`.
pub fn select_rows(schema: &Schema, table: &Table, filter: &Filter<'_>) -> String {
    let columns = table
        .columns
        .iter()
        .map(|c| {
            let name = ident(&c.name);
            match schema.transport_type(&c.ty) {
                Some(t) => format!("{name}::{t} AS {name}"),
                None => name.into_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {columns} FROM {}{}{}",
        super::quote::relation(&table.name),
        filter.where_clause(schema, table),
        filter.tail()
    )
}

/// `SELECT count(*) FROM <table> WHERE …`.
pub fn select_count(schema: &Schema, table: &Table, filter: &Filter<'_>) -> String {
    format!(
        "SELECT count(*) FROM {}{}",
        super::quote::relation(&table.name),
        filter.where_clause(schema, table)
    )
}

/// `SELECT EXISTS (SELECT FROM <table> WHERE …)`.
pub fn select_exists(schema: &Schema, table: &Table, filter: &Filter<'_>) -> String {
    format!(
        "SELECT EXISTS (SELECT FROM {}{})",
        super::quote::relation(&table.name),
        filter.where_clause(schema, table)
    )
}

/// `DELETE FROM <table> WHERE …`.
pub fn delete_rows(schema: &Schema, table: &Table, filter: &Filter<'_>) -> String {
    format!(
        "DELETE FROM {}{}",
        super::quote::relation(&table.name),
        filter.where_clause(schema, table)
    )
}

/// The conflict target of an upsert on a key: `(a, b)`, with ` WHERE <predicate>` for a
/// partial unique index (so PostgreSQL infers that index).
pub fn conflict_target(columns: &[&str], predicate: Option<&str>) -> String {
    match predicate {
        Some(p) => format!("({}) WHERE {p}", list(columns)),
        None => format!("({})", list(columns)),
    }
}

/// A read of table `target` through a join table: `SELECT <target's columns> FROM <target>
/// JOIN <join> ON <join>.<j> = <target>.<t> … WHERE <join>.<c> = $1 … AND (<condition>) …
/// ORDER BY <target>.<o> …`. Every name is qualified by its table (quoted where needed); the
/// conditions are printed by this module ([`not_deleted_in`]).
pub fn select_through(
    schema: &Schema,
    target: &Table,
    join: &Table,
    on: &[(&str, &str)],
    equal: &[&str],
    conditions: &[String],
    order: &[&str],
) -> String {
    let (t, j) = (ident(&target.name), ident(&join.name));
    let columns = target
        .columns
        .iter()
        .map(|c| {
            let name = ident(&c.name);
            match schema.transport_type(&c.ty) {
                Some(ty) => format!("{t}.{name}::{ty} AS {name}"),
                None => format!("{t}.{name}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let on = on
        .iter()
        .map(|(jc, tc)| format!("{j}.{} = {t}.{}", ident(jc), ident(tc)))
        .collect::<Vec<_>>()
        .join(" AND ");
    let mut parts: Vec<String> = equal
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{j}.{} = ${}{}",
                ident(c),
                i + 1,
                param_cast(schema, join, c)
            )
        })
        .collect();
    parts.extend(conditions.iter().map(|c| format!("({c})")));
    let order = order
        .iter()
        .map(|c| format!("{t}.{}", ident(c)))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = format!("SELECT {columns} FROM {t} JOIN {j} ON {on}");
    if !parts.is_empty() {
        out.push_str(&format!(" WHERE {}", parts.join(" AND ")));
    }
    if !order.is_empty() {
        out.push_str(&format!(" ORDER BY {order}"));
    }
    out
}

/// [`not_deleted`] with the column qualified by its table's name (for a join).
pub fn not_deleted_in(table: &Table, flag: &Column) -> String {
    let column = format!("{}.{}", ident(&table.name), ident(&flag.name));
    if flag.ty.base == BaseType::Boolean {
        format!("{column} IS NOT TRUE")
    } else {
        format!("{column} IS NULL")
    }
}

/// The condition that keeps rows not soft-deleted: `<flag> IS NOT TRUE` for a boolean flag,
/// `<column> IS NULL` for a deletion time.
pub fn not_deleted(flag: &Column) -> String {
    if flag.ty.base == BaseType::Boolean {
        format!("{} IS NOT TRUE", ident(&flag.name))
    } else {
        format!("{} IS NULL", ident(&flag.name))
    }
}

/// `UPDATE <table> SET <flag> = true|now() WHERE <key> = $1 … AND <not deleted>` (or its
/// inverse with `restore`): marks a row deleted, or not.
pub fn set_deleted(
    schema: &Schema,
    table: &Table,
    flag: &Column,
    key: &[&str],
    restore: bool,
) -> String {
    let boolean = flag.ty.base == BaseType::Boolean;
    let value = match (boolean, restore) {
        (true, false) => "true",
        (true, true) => "false",
        (false, false) => "now()",
        (false, true) => "NULL",
    };
    let condition = if restore {
        if boolean {
            format!("{} IS TRUE", ident(&flag.name))
        } else {
            format!("{} IS NOT NULL", ident(&flag.name))
        }
    } else {
        not_deleted(flag)
    };
    let filter = Filter {
        equal: key.to_vec(),
        conditions: vec![condition],
        ..Filter::default()
    };
    format!(
        "UPDATE {} SET {} = {value}{}",
        super::quote::relation(&table.name),
        ident(&flag.name),
        filter.where_clause(schema, table)
    )
}

/// A column list as SQL, for statements the runtime builds from generated names.
pub fn quoted(columns: &[&Column]) -> Vec<String> {
    columns
        .iter()
        .map(|c| ident(&c.name).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        crate::load::load_sources(
            "t",
            false,
            vec![crate::load::SourceText {
                path: "schemas/t.yaml".into(),
                text: "tables:\n  User Accounts:\n    columns:\n      id: { type: integer, primary_key: true }\n      Email: text\n      gone: { type: boolean, default: false, soft_delete: true }\n".into(),
            }],
        )
        .expect("a valid schema")
    }

    #[test]
    fn reads_quote_names_and_number_parameters_in_order() {
        let s = schema();
        let t = &s.tables[0];
        let flag = t.soft_delete_column().expect("flag");
        let page = Filter {
            equal: vec!["Email"],
            conditions: vec![not_deleted(flag)],
            after: vec!["id"],
            order: vec!["id"],
            desc: true,
            limit: true,
        };
        assert_eq!(page.params(), 3);
        assert_eq!(
            select_rows(&s, t, &page),
            "SELECT id, \"Email\", gone FROM \"User Accounts\" WHERE \"Email\" = $1 AND id < $2 \
             AND (gone IS NOT TRUE) ORDER BY id DESC LIMIT $3"
        );
        let by_key = Filter {
            equal: vec!["id"],
            ..Filter::default()
        };
        assert_eq!(
            select_exists(&s, t, &by_key),
            "SELECT EXISTS (SELECT FROM \"User Accounts\" WHERE id = $1)"
        );
        assert_eq!(
            set_deleted(&s, t, flag, &["id"], false),
            "UPDATE \"User Accounts\" SET gone = true WHERE id = $1 AND (gone IS NOT TRUE)"
        );
        assert_eq!(
            conflict_target(&["Email"], Some("\"Email\" <> ''")),
            "(\"Email\") WHERE \"Email\" <> ''"
        );
    }
}
