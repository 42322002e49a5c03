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

mod domains;
mod exclusions;
pub mod expr;
mod partitions;
mod routines;
mod security;
mod views;

use crate::model::Deferrable;
use crate::model::{
    Column, ColumnType, Default, FkAction, ForeignKey, Identity, Index, IndexKey, IndexMethod,
    IndexTarget, Literal, Schema, Table,
};
use crate::render::sql::{ident, literal_value};
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

    fn table(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        self.comment(
            &format!("table {tn}"),
            d.description.as_ref(),
            l.description.as_ref(),
        );

        let d_pk: Vec<String> = d
            .primary_key
            .iter()
            .flat_map(|p| p.columns.clone())
            .collect();
        let l_pk: Vec<String> = l
            .primary_key
            .iter()
            .flat_map(|p| p.columns.clone())
            .collect();
        for c in &d.columns {
            let object = format!("column {tn}.{}", c.name);
            match l.column(&c.name) {
                Some(lc) => self.column(&object, c, lc, &d_pk, &l_pk),
                None => {
                    // A rename shows as one column missing and another extra: point at it.
                    let twin = l
                        .columns
                        .iter()
                        .filter(|x| d.column(&x.name).is_none() && x.ty == c.ty)
                        .map(|x| x.name.as_str())
                        .collect::<Vec<_>>();
                    let detail = match twin.as_slice() {
                        [one] => format!(
                            "missing from the database (it has a column {} of the same type, not in the schema: renamed?)",
                            ident(one)
                        ),
                        _ => "missing from the database".to_string(),
                    };
                    self.push(object, DifferenceKind::Missing, detail);
                }
            }
        }
        for c in l.columns.iter().filter(|c| d.column(&c.name).is_none()) {
            let detail = format!(
                "in the database ({}{}), not in the schema",
                c.ty,
                if c.nullable { ", nullable" } else { "" }
            );
            self.push(
                format!("column {tn}.{}", c.name),
                DifferenceKind::Extra,
                detail,
            );
        }

        if d.unlogged != l.unlogged {
            let show = |u: bool| if u { "UNLOGGED" } else { "logged" };
            self.changed(&format!("table {tn}"), show(l.unlogged), show(d.unlogged));
        }
        if d.with != l.with {
            let show = |w: &[(String, String)]| {
                if w.is_empty() {
                    "no storage parameters".to_string()
                } else {
                    let p: Vec<String> = w.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    format!("WITH ({})", p.join(", "))
                }
            };
            self.changed(&format!("table {tn}"), show(&l.with), show(&d.with));
        }

        self.partitions(d, l);
        self.primary_key(d, l);
        self.uniques(d, l);
        self.checks(d, l);
        self.foreign_keys(d, l);
        self.exclusions(d, l);
        self.indexes(d, l);

        match (&d.single_row, &l.single_row) {
            (Some(a), Some(b)) if a != b => self.changed(
                &format!("single-row constraint on {tn}"),
                format!("the name {b}"),
                a,
            ),
            (Some(a), None) => self.missing(format!("single-row constraint {a} on {tn}")),
            (None, Some(b)) => self.extra(format!("single-row constraint {b} on {tn}")),
            _ => {}
        }
    }

    fn column(&mut self, object: &str, d: &Column, l: &Column, d_pk: &[String], l_pk: &[String]) {
        if d.ty != l.ty {
            self.changed(object, &l.ty, &d.ty);
        }
        if d.collation != l.collation {
            let show = |c: &Option<String>| match c {
                Some(c) => format!("COLLATE {}", ident(c)),
                None => "the type's default collation".to_string(),
            };
            self.changed(object, show(&l.collation), show(&d.collation));
        }
        // The database makes primary-key and identity columns NOT NULL whatever was asked.
        let nullable =
            |c: &Column, pk: &[String]| c.nullable && c.identity.is_none() && !pk.contains(&c.name);
        match (nullable(d, d_pk), nullable(l, l_pk)) {
            (false, true) => {
                self.push(
                    object.to_string(),
                    DifferenceKind::Changed,
                    "database allows NULL, schema says NOT NULL".into(),
                );
            }
            (true, false) => self.changed(object, "NOT NULL", "nullable"),
            _ => {}
        }
        if d.identity != l.identity {
            let show = |i: Option<Identity>| match i {
                None => "no identity".to_string(),
                Some(Identity::Always) => "GENERATED ALWAYS AS IDENTITY".to_string(),
                Some(Identity::ByDefault) => "GENERATED BY DEFAULT AS IDENTITY".to_string(),
            };
            self.changed(object, show(l.identity), show(d.identity));
        }
        if d.identity.is_some() && l.identity.is_some() {
            let options = |c: &Column| {
                c.identity_options
                    .clone()
                    .unwrap_or_default()
                    .as_sequence(&c.ty)
            };
            let (a, b) = (options(d), options(l));
            if a.effective() != b.effective() {
                let show = |q: &crate::model::Sequence| {
                    let o = crate::render::sql::sequence_options(q);
                    if o.is_empty() {
                        "default identity options".to_string()
                    } else {
                        format!("identity options{o}")
                    }
                };
                self.changed(object, show(&b), show(&a));
            }
        }
        if !same_default(d.default.as_ref(), &d.ty, l.default.as_ref(), &l.ty) {
            let show = |x: Option<&Default>, ty: &ColumnType| match x {
                None => "no default".to_string(),
                Some(x) => format!("default {}", default_text(x, ty)),
            };
            self.changed(
                object,
                show(l.default.as_ref(), &l.ty),
                show(d.default.as_ref(), &d.ty),
            );
        }
        let generated = |c: &Column| c.generated.as_deref().map(expr::normalize);
        if generated(d) != generated(l) {
            let show = |c: &Column| match &c.generated {
                Some(g) => format!("GENERATED ALWAYS AS ({}) STORED", g.trim()),
                None => "not generated".to_string(),
            };
            self.changed(object, show(l), show(d));
        }
        if d.auto_update != l.auto_update {
            let (live, declared) = if d.auto_update {
                (
                    "no strata_touch_columns trigger setting it on UPDATE",
                    "auto_update",
                )
            } else {
                (
                    "a strata_touch_columns trigger setting it on UPDATE",
                    "no auto_update",
                )
            };
            self.changed(object, live, declared);
        }
        self.comment(object, d.description.as_ref(), l.description.as_ref());
    }

    fn primary_key(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        match (&d.primary_key, &l.primary_key) {
            (Some(a), Some(b)) => {
                if a.columns != b.columns {
                    self.changed(
                        &format!("primary key of {tn}"),
                        list(&b.columns),
                        list(&a.columns),
                    );
                }
                if a.name != b.name {
                    self.changed(
                        &format!("primary key of {tn}"),
                        format!("the name {}", b.name),
                        &a.name,
                    );
                }
                let object = format!("primary key {} on {tn}", a.name);
                self.comment(&object, a.description.as_ref(), b.description.as_ref());
            }
            (Some(a), None) => self.missing(format!("primary key {} on {tn}", a.name)),
            (None, Some(b)) => self.extra(format!("primary key {} on {tn}", b.name)),
            (None, None) => {}
        }
    }

    fn uniques(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        let pairs = pair_up(
            &d.uniques,
            &l.uniques,
            |u| &u.name,
            |a, b| a.columns == b.columns,
        );
        for p in pairs {
            match p {
                Pair::Both(a, b) => {
                    let object = format!("unique constraint {} on {tn}", a.name);
                    if a.name != b.name {
                        self.changed(
                            &format!("unique constraint on {tn} {}", list(&a.columns)),
                            format!("the name {}", b.name),
                            &a.name,
                        );
                    }
                    if a.columns != b.columns {
                        self.changed(&object, list(&b.columns), list(&a.columns));
                    }
                    if a.nulls_not_distinct != b.nulls_not_distinct {
                        let show = |n: bool| {
                            if n {
                                "NULLS NOT DISTINCT"
                            } else {
                                "NULLS DISTINCT"
                            }
                        };
                        self.changed(
                            &object,
                            show(b.nulls_not_distinct),
                            show(a.nulls_not_distinct),
                        );
                    }
                    if a.deferrable != b.deferrable {
                        self.changed(&object, deferral(b.deferrable), deferral(a.deferrable));
                    }
                    if a.include != b.include {
                        let show = |i: &[String]| {
                            if i.is_empty() {
                                "no INCLUDE columns".to_string()
                            } else {
                                format!("INCLUDE {}", list(i))
                            }
                        };
                        self.changed(&object, show(&b.include), show(&a.include));
                    }
                    self.comment(&object, a.description.as_ref(), b.description.as_ref());
                }
                Pair::Declared(a) => self.missing(format!(
                    "unique constraint {} on {tn} {}",
                    a.name,
                    list(&a.columns)
                )),
                Pair::Live(b) => self.extra(format!(
                    "unique constraint {} on {tn} {}",
                    b.name,
                    list(&b.columns)
                )),
            }
        }
    }

    fn checks(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        let pairs = pair_up(
            &d.checks,
            &l.checks,
            |c| &c.name,
            |a, b| expr::normalize(&a.expr) == expr::normalize(&b.expr),
        );
        for p in pairs {
            match p {
                Pair::Both(a, b) => {
                    if a.name != b.name {
                        self.changed(
                            &format!("check constraint on {tn} ({})", a.expr.trim()),
                            format!("the name {}", b.name),
                            &a.name,
                        );
                    }
                    if expr::normalize(&a.expr) != expr::normalize(&b.expr) {
                        self.changed(
                            &format!("check constraint {} on {tn}", a.name),
                            format!("CHECK ({})", b.expr.trim()),
                            format!("CHECK ({})", a.expr.trim()),
                        );
                    }
                    let object = format!("check constraint {} on {tn}", a.name);
                    if a.not_valid != b.not_valid {
                        self.changed(&object, validity(b.not_valid), validity(a.not_valid));
                    }
                    if a.no_inherit != b.no_inherit {
                        let show = |n: bool| if n { "NO INHERIT" } else { "inherited" };
                        self.changed(&object, show(b.no_inherit), show(a.no_inherit));
                    }
                    self.comment(&object, a.description.as_ref(), b.description.as_ref());
                }
                Pair::Declared(a) => self.missing(format!(
                    "check constraint {} on {tn} ({})",
                    a.name,
                    a.expr.trim()
                )),
                Pair::Live(b) => self.extra(format!(
                    "check constraint {} on {tn} ({})",
                    b.name,
                    b.expr.trim()
                )),
            }
        }
    }

    fn foreign_keys(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        let same_target = |a: &ForeignKey, b: &ForeignKey| {
            a.columns == b.columns && a.ref_table == b.ref_table && a.ref_columns == b.ref_columns
        };
        for p in pair_up(&d.foreign_keys, &l.foreign_keys, |f| &f.name, same_target) {
            match p {
                Pair::Both(a, b) => {
                    let object = format!("foreign key {} on {tn}", a.name);
                    if a.name != b.name {
                        self.changed(
                            &format!("foreign key on {tn} {}", list(&a.columns)),
                            format!("the name {}", b.name),
                            &a.name,
                        );
                    }
                    if !same_target(a, b) {
                        self.changed(&object, fk_text(b), fk_text(a));
                    }
                    let actions = [
                        ("ON DELETE", a.on_delete, b.on_delete),
                        ("ON UPDATE", a.on_update, b.on_update),
                    ];
                    for (what, da, la) in actions {
                        if da != la {
                            self.changed(&object, format!("{what} {}", la.sql()), action_text(da));
                        }
                    }
                    if a.on_delete_columns != b.on_delete_columns {
                        let show = |c: &[String]| {
                            if c.is_empty() {
                                "ON DELETE setting every key column".to_string()
                            } else {
                                format!("ON DELETE setting only {}", list(c))
                            }
                        };
                        self.changed(
                            &object,
                            show(&b.on_delete_columns),
                            show(&a.on_delete_columns),
                        );
                    }
                    if a.match_full != b.match_full {
                        let show = |m: bool| if m { "MATCH FULL" } else { "MATCH SIMPLE" };
                        self.changed(&object, show(b.match_full), show(a.match_full));
                    }
                    if a.deferrable != b.deferrable {
                        self.changed(&object, deferral(b.deferrable), deferral(a.deferrable));
                    }
                    if a.not_valid != b.not_valid {
                        self.changed(&object, validity(b.not_valid), validity(a.not_valid));
                    }
                    self.comment(&object, a.description.as_ref(), b.description.as_ref());
                }
                Pair::Declared(a) => {
                    self.missing(format!("foreign key {} on {tn} {}", a.name, fk_text(a)))
                }
                Pair::Live(b) => {
                    self.extra(format!("foreign key {} on {tn} {}", b.name, fk_text(b)))
                }
            }
        }
    }

    fn indexes(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        let same_definition = |a: &Index, b: &Index| {
            keys_key(&a.keys) == keys_key(&b.keys)
                && a.unique == b.unique
                && a.method == b.method
                && a.include == b.include
                && a.nulls_not_distinct == b.nulls_not_distinct
                && a.with == b.with
                && a.predicate.as_deref().map(expr::normalize)
                    == b.predicate.as_deref().map(expr::normalize)
        };
        for p in pair_up(&d.indexes, &l.indexes, |i| &i.name, same_definition) {
            match p {
                Pair::Both(a, b) => {
                    let object = format!("index {} on {tn}", a.name);
                    if a.name != b.name {
                        self.changed(
                            &format!("index on {tn} {}", keys_text(&a.keys)),
                            format!("the name {}", b.name),
                            &a.name,
                        );
                    }
                    if keys_key(&a.keys) != keys_key(&b.keys) {
                        self.changed(
                            &object,
                            format!("the keys {}", keys_text(&b.keys)),
                            keys_text(&a.keys),
                        );
                    }
                    if a.unique != b.unique {
                        let show = |u: bool| {
                            if u {
                                "a unique index"
                            } else {
                                "a non-unique index"
                            }
                        };
                        self.changed(&object, show(b.unique), show(a.unique));
                    }
                    if a.method != b.method {
                        self.changed(
                            &object,
                            format!("USING {}", b.method.sql()),
                            format!("USING {}", a.method.sql()),
                        );
                    }
                    let (pa, pb) = (a.predicate.as_deref(), b.predicate.as_deref());
                    if pa.map(expr::normalize) != pb.map(expr::normalize) {
                        let show = |p: Option<&str>| match p {
                            Some(p) => format!("WHERE {}", p.trim()),
                            None => "no predicate".to_string(),
                        };
                        self.changed(&object, show(pb), show(pa));
                    }
                    if (&a.include, a.nulls_not_distinct, &a.with)
                        != (&b.include, b.nulls_not_distinct, &b.with)
                    {
                        self.changed(&object, index_text(b), index_text(a));
                    }
                    self.comment(&object, a.description.as_ref(), b.description.as_ref());
                }
                Pair::Declared(a) => {
                    self.missing(format!("index {} on {tn} {}", a.name, index_text(a)))
                }
                Pair::Live(b) => self.extra(format!("index {} on {tn} {}", b.name, index_text(b))),
            }
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

fn action_text(a: FkAction) -> String {
    a.sql().to_string()
}

fn fk_text(fk: &ForeignKey) -> String {
    format!(
        "{} REFERENCES {} {}",
        list(&fk.columns),
        ident(&fk.ref_table),
        list(&fk.ref_columns)
    )
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

/// A key's options as the DDL writes them (` COLLATE "C" text_pattern_ops NULLS FIRST`).
type KeyOptions = (Option<bool>, Option<String>, Option<String>);

/// The keys of an index in comparable form (expressions normalized).
fn keys_key(keys: &[IndexKey]) -> Vec<(String, bool, KeyOptions)> {
    keys.iter()
        .map(|k| {
            let t = match &k.target {
                IndexTarget::Column(c) => ident(c).into_owned(),
                IndexTarget::Expr(e) => expr::normalize(e),
            };
            (
                t,
                k.desc,
                (k.nulls_first, k.opclass.clone(), k.collation.clone()),
            )
        })
        .collect()
}

fn keys_text(keys: &[IndexKey]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|k| {
            let mut s = match &k.target {
                IndexTarget::Column(c) => ident(c).into_owned(),
                IndexTarget::Expr(e) => format!("({})", e.trim()),
            };
            if let Some(c) = &k.collation {
                s.push_str(&format!(" COLLATE {c}"));
            }
            if let Some(o) = &k.opclass {
                s.push_str(&format!(" {o}"));
            }
            if k.desc {
                s.push_str(" DESC");
            }
            match k.nulls_first {
                Some(true) => s.push_str(" NULLS FIRST"),
                Some(false) => s.push_str(" NULLS LAST"),
                None => {}
            }
            s
        })
        .collect();
    format!("({})", parts.join(", "))
}

fn index_text(i: &Index) -> String {
    let mut s = String::new();
    if i.unique {
        s.push_str("UNIQUE ");
    }
    if i.method != IndexMethod::Btree {
        s.push_str(&format!("USING {} ", i.method.sql()));
    }
    s.push_str(&keys_text(&i.keys));
    if !i.include.is_empty() {
        s.push_str(&format!(" INCLUDE {}", list(&i.include)));
    }
    if i.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    if !i.with.is_empty() {
        let p: Vec<String> = i.with.iter().map(|(k, v)| format!("{k}={v}")).collect();
        s.push_str(&format!(" WITH ({})", p.join(", ")));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {}", p.trim()));
    }
    s
}

/// A default as SQL text: literals as the DDL writes them, expressions as written.
pub fn default_text(d: &Default, ty: &ColumnType) -> String {
    match d {
        Default::Literal(l) => literal_value(l, ty),
        Default::Sql(s) => s.trim().to_string(),
    }
}

fn same_default(
    a: Option<&Default>,
    ta: &ColumnType,
    b: Option<&Default>,
    tb: &ColumnType,
) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(Default::Literal(x)), Some(Default::Literal(y))) => literal_key(x) == literal_key(y),
        (Some(x), Some(y)) => {
            expr::normalize(&default_text(x, ta)) == expr::normalize(&default_text(y, tb))
        }
        _ => false,
    }
}

/// A literal in a form where equal values are equal strings: numbers without trailing zeros,
/// JSON re-serialized (object keys sorted).
fn literal_key(l: &Literal) -> String {
    match l {
        Literal::String(s) => format!("s:{s}"),
        Literal::Integer(i) => format!("n:{i}"),
        Literal::Number(n) => format!("n:{}", number_key(n)),
        Literal::Bool(b) => format!("b:{b}"),
        Literal::Json(v) => format!("j:{v}"),
    }
}

fn number_key(n: &str) -> String {
    let t = n.trim();
    if t.contains(['e', 'E']) || !t.contains('.') {
        return match t.parse::<f64>() {
            Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => t.to_string(),
        };
    }
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t.is_empty() || t == "-" {
        "0".to_string()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(number_key("0.70"), "0.7");
        assert_eq!(number_key("1.0"), "1");
        assert_eq!(number_key("10"), "10");
        assert_eq!(number_key("1e2"), "100");
    }

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
