//! A table's constraints and indexes from the catalog: primary keys, uniques, checks, foreign
//! keys and exclusion constraints (with names the database chose kept), the single-row
//! constraint, and each index with its keys, method, options and predicate.

use std::collections::BTreeMap;

use strata::Loc;
use strata::compare::expr;
use strata::model::{Check, Deferrable, ForeignKey, Index, IndexMethod, PrimaryKey, Table, Unique};
use strata::render::sql::SINGLE_ROW_COMMENT;

use super::super::ObjectKind;
use super::super::catalog::{ConstraintRow, IndexRow};
use super::{Builder, SINGLE_ROW_DEFINITION, action, exclusions, keys};

impl Builder {
    pub(super) fn constraint(
        &mut self,
        table: &mut Table,
        c: &ConstraintRow,
        keys: &BTreeMap<u32, Vec<&super::super::catalog::IndexKeyRow>>,
    ) {
        let object = format!("{} on {}", c.name, table.name);
        let deferrable = match (c.deferrable, c.deferred) {
            (false, _) => Deferrable::No,
            (true, false) => Deferrable::Immediate,
            (true, true) => Deferrable::Deferred,
        };
        if c.deferrable && !matches!(c.kind.as_str(), "u" | "f" | "x") {
            self.ignore(
                ObjectKind::Constraint,
                object.clone(),
                "is DEFERRABLE; only unique constraints and foreign keys keep that, it is read as an ordinary constraint",
            );
        }
        if !c.validated && !matches!(c.kind.as_str(), "c" | "f") {
            self.ignore(
                ObjectKind::Constraint,
                object.clone(),
                "is NOT VALID; it is read as a validated constraint",
            );
        }
        // Strata's single-row constraint: its form, not deferrable, with Strata's comment or none
        // (any other comment is kept by reading it as an ordinary exclusion constraint).
        let single_row = c.kind == "x"
            && c.definition == SINGLE_ROW_DEFINITION
            && table.single_row.is_none()
            && !c.deferrable
            && c.comment.as_deref().is_none_or(|t| t == SINGLE_ROW_COMMENT);
        // A constraint over a column the model does not have (ignored above) cannot be kept.
        if let Some(col) = c.columns.iter().find(|col| table.column(col).is_none()) {
            self.ignore(
                ObjectKind::Constraint,
                object,
                format!("{}: its column {col} is not in the model", c.definition),
            );
            return;
        }
        match c.kind.as_str() {
            "p" => {
                table.primary_key = Some(PrimaryKey {
                    name: c.name.clone(),
                    columns: c.columns.clone(),
                    description: c.comment.clone(),
                    loc: Loc::default(),
                })
            }
            "u" => table.uniques.push(Unique {
                name: c.name.clone(),
                columns: c.columns.clone(),
                include: c.include.clone(),
                nulls_not_distinct: c.nulls_not_distinct,
                deferrable,
                description: c.comment.clone(),
                loc: Loc::default(),
            }),
            "c" => {
                let raw = c.check.clone().unwrap_or_default();
                table.checks.push(Check {
                    name: c.name.clone(),
                    expr: expr::tidy(&raw),
                    not_valid: !c.validated,
                    no_inherit: c.no_inherit,
                    description: c.comment.clone(),
                    loc: Loc::default(),
                });
            }
            "f" => {
                let read = |s: &str| s == self.schema || self.other_schemas.iter().any(|o| o == s);
                if !c.ref_schema.as_deref().is_some_and(read) {
                    self.ignore(
                        ObjectKind::Constraint,
                        object,
                        format!(
                            "{}: it references a table in schema {}",
                            c.definition,
                            c.ref_schema.as_deref().unwrap_or("?")
                        ),
                    );
                    return;
                }
                table.foreign_keys.push(ForeignKey {
                    name: c.name.clone(),
                    columns: c.columns.clone(),
                    ref_table: c.ref_table.clone().unwrap_or_default(),
                    ref_columns: c.ref_columns.clone(),
                    on_delete: action(&c.on_delete),
                    on_delete_columns: c.set_columns.clone(),
                    on_update: action(&c.on_update),
                    match_full: c.match_full,
                    deferrable,
                    not_valid: !c.validated,
                    description: c.comment.clone(),
                    loc: Loc::default(),
                });
            }
            "x" if single_row => table.single_row = Some(c.name.clone()),
            "x" => {
                let k = c.index.and_then(|i| keys.get(&i)).map(Vec::as_slice);
                match exclusions::exclusion(table, c, k.unwrap_or_default(), deferrable) {
                    Ok(x) => table.exclusions.push(x),
                    Err(why) => self.ignore(
                        ObjectKind::Constraint,
                        object,
                        format!("{}: {why}", c.definition),
                    ),
                }
            }
            _ => self.ignore(
                ObjectKind::Constraint,
                object,
                format!(
                    "{}: a kind of constraint not in the schema language",
                    c.definition
                ),
            ),
        }
    }

    pub(super) fn index(
        &mut self,
        owner: &str,
        has_column: &dyn Fn(&str) -> bool,
        i: &IndexRow,
        keys: &[&super::super::catalog::IndexKeyRow],
    ) -> Option<Index> {
        let object = format!("{} on {owner}", i.name);
        let refuse = |b: &mut Self, why: &str| {
            b.ignore(
                ObjectKind::Index,
                object.clone(),
                format!("{}: {why}", i.definition),
            );
            None
        };
        let method = match i.method.as_str() {
            "btree" => IndexMethod::Btree,
            "hash" => IndexMethod::Hash,
            "gin" => IndexMethod::Gin,
            "gist" => IndexMethod::Gist,
            "brin" => IndexMethod::Brin,
            "spgist" => IndexMethod::Spgist,
            other => {
                return refuse(
                    self,
                    &format!("the access method {other} is not in the schema language"),
                );
            }
        };
        if let Some(c) = i.include.iter().find(|c| !has_column(c)) {
            return refuse(self, &format!("its INCLUDE column {c} is not in the model"));
        }
        if !i.valid {
            return refuse(
                self,
                "the index is invalid (a failed concurrent build); drop or rebuild it",
            );
        }
        let mut with = Vec::new();
        for o in &i.options {
            match o.split_once('=') {
                Some((k, v)) => with.push((k.to_string(), v.to_string())),
                None => return refuse(self, &format!("the storage parameter {o} has no value")),
            }
        }
        with.sort();
        let out = match keys::index_keys(has_column, keys) {
            Ok(out) => out,
            Err(why) => return refuse(self, &why),
        };
        Some(Index {
            name: i.name.clone(),
            keys: out,
            unique: i.unique,
            method,
            predicate: i.predicate.as_deref().map(expr::tidy),
            description: i.comment.clone(),
            for_foreign_key: false,
            include: i.include.clone(),
            nulls_not_distinct: i.nulls_not_distinct,
            with,
            loc: Loc::default(),
        })
    }
}
