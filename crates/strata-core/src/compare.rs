//! Comparing two models in schema terms: what a schema declares and what a database holds
//! (as read back by introspection), or any two models.
//!
//! [`compare`] returns one [`Difference`] per fact that differs, each a sentence a person can
//! act on: `column bots.description: database has varchar(100), schema says text`,
//! `index message_history_created_at_idx on message_history: missing from the database`,
//! `foreign key bots_org_id_fkey on bots: database has ON DELETE NO ACTION, schema says CASCADE`.
//!
//! What is compared: extensions; PostgreSQL schemas other than `public` (and their comments);
//! enums (values and their order, descriptions); tables, their
//! columns (type, nullability, identity, default, description, `auto_update`), primary key,
//! unique constraints, checks, foreign keys (columns, target, actions), indexes (keys and their
//! order, method, uniqueness, predicate, description), exclusion constraints (elements,
//! operators, method, options, predicate), the single-row constraint, each with
//! its name, and a partitioned table's key and partitions (bounds, comments).
//!
//! What is not, because the database cannot hold it or it does not change the database: the
//! order of columns (PostgreSQL appends added columns, so a migrated database legitimately
//! differs from a fresh one) and of tables, constraints and indexes; every Rust-only property
//! (`rust_name`, `json`, `json_types`, `derives`, `soft_delete`, `mixin`, `group`); the schema's
//! `description`, `allow`, `renamed_from` and `backfill`; whether an index was created for a
//! foreign key automatically or declared.
//!
//! SQL expressions (SQL defaults, checks, index expressions and predicates) are compared in the
//! normalized form of [`expr::normalize`], literal defaults by value, so the server's canonical
//! spelling of an expression equals the schema's.

mod constraints;
mod domains;
mod exclusions;
pub mod expr;
mod indexes;
mod partitions;
mod routines;
mod security;
mod tables;
mod views;

use indexes::{index_text, keys_key};
pub use tables::default_text;
use tables::same_default;

use crate::model::Deferrable;
use crate::model::{Index, Schema, Table};
use crate::render::sql::ident;
use std::collections::BTreeSet;
use std::fmt;

/// One difference between two models, in schema terms.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Difference {
    /// The object that differs, e.g. `column bots.description` or `index x on bots`.
    pub object: String,
    pub kind: DifferenceKind,
    /// What differs, e.g. `database has varchar(100), schema says text`.
    pub detail: String,
}

/// Which side holds the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DifferenceKind {
    /// Declared by the schema, absent from the database.
    Missing,
    /// In the database, not declared by the schema.
    Extra,
    /// On both sides, with different properties.
    Changed,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.object, self.detail)
    }
}

/// Every difference between `declared` (a schema's model) and `live` (a database's, from
/// introspection), in a deterministic order: extensions, enums, then table by table in the
/// declared order, tables only in the database last.
///
/// ```
/// let load = |yaml: &str| {
///     strata::load::load_sources(
///         "shop",
///         false,
///         vec![strata::load::SourceText { path: "shop.yaml".into(), text: yaml.into() }],
///     )
///     .expect("a valid schema")
/// };
/// let declared = load("tables:\n  bots:\n    columns:\n      id: { type: uuid, primary_key: true }\n      description: text\n");
/// let live = load("tables:\n  bots:\n    columns:\n      id: { type: uuid, primary_key: true }\n      description: varchar(100)?\n");
/// let found: Vec<String> = strata::compare::compare(&declared, &live).iter().map(|d| d.to_string()).collect();
/// assert_eq!(
///     found,
///     [
///         "column bots.description: database has varchar(100), schema says text",
///         "column bots.description: database allows NULL, schema says NOT NULL",
///     ]
/// );
/// ```
pub fn compare(declared: &Schema, live: &Schema) -> Vec<Difference> {
    let mut c = Comparer { out: Vec::new() };
    c.extensions(declared, live);
    c.pg_schemas(declared, live);
    c.enums(declared, live);
    c.sequences(declared, live);
    c.domains(declared, live);
    c.roles(declared, live);
    for t in &declared.tables {
        match live.table(&t.name) {
            Some(l) => {
                c.table(t, l);
                c.table_security(t, l);
            }
            None => c.missing(format!("table {}", t.name)),
        }
    }
    let mut extra: Vec<&Table> = live
        .tables
        .iter()
        .filter(|t| declared.table(&t.name).is_none())
        .collect();
    extra.sort_by(|a, b| a.name.cmp(&b.name));
    for t in extra {
        c.extra(format!("table {}", t.name));
    }
    c.routines(declared, live);
    c.views(declared, live);
    c.grants(declared, live);
    c.out
}

/// The indexes the loader adds to `table` for its foreign keys; see
/// [`Table::automatic_fk_indexes`].
pub fn automatic_fk_indexes(table: &Table) -> Vec<Index> {
    table.automatic_fk_indexes()
}

struct Comparer {
    out: Vec<Difference>,
}

/// A comment as shown in a message: quoted, or `none`.
fn comment_text(c: Option<&String>) -> String {
    match c {
        Some(c) => format!("{c:?}"),
        None => "none".to_string(),
    }
}

fn list(cols: &[String]) -> String {
    format!(
        "({})",
        cols.iter()
            .map(|c| ident(c).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

impl Comparer {
    fn push(&mut self, object: String, kind: DifferenceKind, detail: String) {
        self.out.push(Difference {
            object,
            kind,
            detail,
        });
    }

    fn missing(&mut self, object: String) {
        self.push(
            object,
            DifferenceKind::Missing,
            "missing from the database".into(),
        );
    }

    fn extra(&mut self, object: String) {
        self.push(
            object,
            DifferenceKind::Extra,
            "in the database, not in the schema".into(),
        );
    }

    fn changed(&mut self, object: &str, live: impl fmt::Display, declared: impl fmt::Display) {
        self.push(
            object.to_string(),
            DifferenceKind::Changed,
            format!("database has {live}, schema says {declared}"),
        );
    }

    fn comment(&mut self, object: &str, declared: Option<&String>, live: Option<&String>) {
        if declared != live {
            self.push(
                format!("comment on {object}"),
                DifferenceKind::Changed,
                format!(
                    "database has {}, schema says {}",
                    comment_text(live),
                    comment_text(declared)
                ),
            );
        }
    }

    fn extensions(&mut self, declared: &Schema, live: &Schema) {
        let d: BTreeSet<&str> = declared.extensions.iter().map(String::as_str).collect();
        let l: BTreeSet<&str> = live.extensions.iter().map(String::as_str).collect();
        for e in d.difference(&l) {
            self.missing(format!("extension {e}"));
        }
        for e in l.difference(&d) {
            self.extra(format!("extension {e}"));
        }
    }

    fn pg_schemas(&mut self, declared: &Schema, live: &Schema) {
        for s in &declared.pg_schemas {
            let object = format!("schema {}", s.name);
            match live.pg_schema(&s.name) {
                None => self.missing(object),
                Some(l) => self.comment(&object, s.description.as_ref(), l.description.as_ref()),
            }
        }
        for l in &live.pg_schemas {
            if declared.pg_schema(&l.name).is_none() {
                self.extra(format!("schema {}", l.name));
            }
        }
    }

    fn sequences(&mut self, declared: &Schema, live: &Schema) {
        for q in &declared.sequences {
            let object = format!("sequence {}", q.name);
            match live.sequence(&q.name) {
                None => self.missing(object),
                Some(l) => {
                    let shown = |q: &crate::model::Sequence| {
                        let owner = q
                            .owned_by
                            .as_ref()
                            .map_or("none".to_string(), |(t, c)| format!("{t}.{c}"));
                        format!(
                            "{:?}{}, owned by {owner}",
                            q.ty,
                            crate::render::sql::sequence_options(q)
                        )
                    };
                    let (d, lv) = (shown(q), shown(l));
                    if (&q.ty, q.effective(), &q.owned_by) != (&l.ty, l.effective(), &l.owned_by) {
                        self.push(
                            object,
                            DifferenceKind::Changed,
                            format!("database has {lv}, schema says {d}"),
                        );
                    }
                }
            }
        }
        for l in &live.sequences {
            if declared.sequence(&l.name).is_none() {
                self.extra(format!("sequence {}", l.name));
            }
        }
    }

    fn enums(&mut self, declared: &Schema, live: &Schema) {
        for e in &declared.enums {
            let object = format!("enum {}", e.name);
            let Some(l) = live.enum_(&e.name) else {
                self.missing(object);
                continue;
            };
            let dv: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
            let lv: Vec<&str> = l.values.iter().map(|v| v.name.as_str()).collect();
            for v in dv.iter().filter(|v| !lv.contains(v)) {
                self.push(
                    object.clone(),
                    DifferenceKind::Missing,
                    format!("value {} missing from the database", sql_str(v)),
                );
            }
            for v in lv.iter().filter(|v| !dv.contains(v)) {
                self.push(
                    object.clone(),
                    DifferenceKind::Extra,
                    format!("database has value {}, not in the schema", sql_str(v)),
                );
            }
            let common_d: Vec<&str> = dv.iter().copied().filter(|v| lv.contains(v)).collect();
            let common_l: Vec<&str> = lv.iter().copied().filter(|v| dv.contains(v)).collect();
            if common_d != common_l {
                let show = |vs: &[&str]| {
                    format!(
                        "({})",
                        vs.iter().map(|v| sql_str(v)).collect::<Vec<_>>().join(", ")
                    )
                };
                self.changed(
                    &object,
                    format!("the values in the order {}", show(&lv)),
                    show(&dv),
                );
            }
            self.comment(&object, e.description.as_ref(), l.description.as_ref());
            for v in &e.values {
                if let Some(lv) = l.values.iter().find(|x| x.name == v.name) {
                    self.comment(
                        &format!("enum value {}.{}", e.name, v.name),
                        v.description.as_ref(),
                        lv.description.as_ref(),
                    );
                }
            }
        }
        let mut extra: Vec<&str> = live
            .enums
            .iter()
            .filter(|e| declared.enum_(&e.name).is_none())
            .map(|e| e.name.as_str())
            .collect();
        extra.sort_unstable();
        for e in extra {
            self.extra(format!("enum {e}"));
        }
    }
}

enum Pair<'a, T> {
    Both(&'a T, &'a T),
    Declared(&'a T),
    Live(&'a T),
}

/// Pairs objects by name, then the rest by `same` (a renamed object), keeping the declared
/// order; objects only in the database come last, in their order.
fn pair_up<'a, T>(
    declared: &'a [T],
    live: &'a [T],
    name: impl Fn(&T) -> &String,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<Pair<'a, T>> {
    let mut used = vec![false; live.len()];
    let mut slots: Vec<Option<usize>> = declared
        .iter()
        .map(|d| {
            let i = live.iter().position(|l| name(l) == name(d))?;
            used[i] = true;
            Some(i)
        })
        .collect();
    for (k, d) in declared.iter().enumerate() {
        if slots[k].is_none()
            && let Some(i) = (0..live.len()).find(|&i| !used[i] && same(d, &live[i]))
        {
            used[i] = true;
            slots[k] = Some(i);
        }
    }
    let mut out: Vec<Pair<'a, T>> = declared
        .iter()
        .zip(slots)
        .map(|(d, s)| match s {
            Some(i) => Pair::Both(d, &live[i]),
            None => Pair::Declared(d),
        })
        .collect();
    out.extend(
        live.iter()
            .zip(used)
            .filter(|(_, u)| !u)
            .map(|(l, _)| Pair::Live(l)),
    );
    out
}

fn sql_str(s: &str) -> String {
    crate::render::sql::literal(s)
}

fn deferral(d: Deferrable) -> &'static str {
    match d {
        Deferrable::No => "NOT DEFERRABLE",
        Deferrable::Immediate => "DEFERRABLE INITIALLY IMMEDIATE",
        Deferrable::Deferred => "DEFERRABLE INITIALLY DEFERRED",
    }
}

fn validity(not_valid: bool) -> &'static str {
    if not_valid { "NOT VALID" } else { "validated" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> Schema {
        crate::load::load_sources(
            "t",
            false,
            vec![crate::load::SourceText {
                path: "t.yaml".into(),
                text: yaml.into(),
            }],
        )
        .unwrap_or_else(|d| panic!("{}", d.render(false)))
    }

    fn diffs(a: &str, b: &str) -> Vec<String> {
        compare(&load(a), &load(b))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn schemas_and_their_tables_are_compared() {
        let declared = "schemas:\n  billing: { comment: Money. }\n  audit: {}\ntables:\n  billing.invoices:\n    columns:\n      id: { type: integer, primary_key: true }\n  invoices:\n    columns:\n      id: { type: integer, primary_key: true }\n";
        let live = "schemas:\n  billing: {}\n  crm: {}\ntables:\n  invoices:\n    columns:\n      id: { type: integer, primary_key: true }\n  crm.invoices:\n    columns:\n      id: { type: integer, primary_key: true }\n";
        assert_eq!(
            diffs(declared, live),
            [
                "comment on schema billing: database has none, schema says \"Money.\"",
                "schema audit: missing from the database",
                "schema crm: in the database, not in the schema",
                "table billing.invoices: missing from the database",
                "table crm.invoices: in the database, not in the schema",
            ]
        );
    }

    #[test]
    fn enum_order_and_descriptions() {
        let a = "enums:\n  s:\n    values: [a, b, c]\ntables:\n  t:\n    columns:\n      id: { type: integer, primary_key: true }\n";
        let b = "enums:\n  s:\n    values: [a, c, { name: b, description: Bee }]\ntables:\n  t:\n    columns:\n      id: { type: integer, primary_key: true }\n";
        assert_eq!(
            diffs(a, b),
            [
                "enum s: database has the values in the order ('a', 'c', 'b'), schema says ('a', 'b', 'c')",
                "comment on enum value s.b: database has \"Bee\", schema says none",
            ]
        );
    }

    #[test]
    fn constant_defaults_compare_by_value_whatever_their_spelling() {
        let a = "tables:\n  t:\n    columns:\n      id: { type: integer, primary_key: true }\n      x: { type: double precision, default: 0.70 }\n      y: { type: \"text[]\", default_sql: \"'{}'\" }\n";
        let b = "tables:\n  t:\n    columns:\n      id: { type: integer, primary_key: true }\n      x: { type: double precision, default: 0.7 }\n      y: { type: \"text[]\", default: [] }\n";
        assert_eq!(diffs(a, b), Vec::<String>::new());
    }

    #[test]
    fn primary_key_and_identity_columns_are_not_null_anyway() {
        let a = load(
            "tables:\n  t:\n    columns:\n      id: { type: integer, identity: always }\n      k: text\n    primary_key: [k]\n",
        );
        let mut b = a.clone();
        for c in &mut b.tables[0].columns {
            c.nullable = true;
        }
        assert_eq!(compare(&a, &b), Vec::new());
    }

    #[test]
    fn renamed_constraints_pair_up_by_definition() {
        let base = "tables:\n  t:\n    columns:\n      id: { type: integer, primary_key: true }\n      a: integer\n";
        let a = format!("{base}    unique: [[a]]\n    checks: [\"a > 0\"]\n");
        let b = format!(
            "{base}    unique: [{{ columns: [a], name: t_a_uq }}]\n    checks: [{{ expr: \"(a > 0)\", name: a_positive }}]\n"
        );
        assert_eq!(
            diffs(&a, &b),
            [
                "unique constraint on t (a): database has the name t_a_uq, schema says t_a_key",
                "check constraint on t (a > 0): database has the name a_positive, schema says t_a_check",
            ]
        );
    }
}
