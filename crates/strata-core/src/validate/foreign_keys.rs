//! Foreign keys: each resolved to its target table and columns (the primary key when it names
//! none), the target checked to be a key, and the column types checked to match.

use super::{Validator, undeclared_pg_schema};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::*;

impl Validator<'_> {
    /// Resolves each foreign key's target columns and checks the target and the types.
    pub(super) fn resolve_foreign_keys(&mut self, s: &mut Schema) {
        let snapshot: Vec<Table> = s.tables.clone();
        for t in &mut s.tables {
            let from = split_qualified(&t.name).0;
            for fk in &mut t.foreign_keys {
                fk.ref_table = crate::model::resolve_reference(&fk.ref_table, from, |n| {
                    snapshot.iter().any(|x| x.name == n)
                });
                if let (Some(schema), _) = split_qualified(&fk.ref_table)
                    && s.pg_schemas.iter().all(|p| p.name != schema)
                {
                    self.err(undeclared_pg_schema(
                        schema,
                        &format!(
                            "the table `{}` a foreign key of `{}` references",
                            fk.ref_table, t.name
                        ),
                        fk.loc,
                        &s.pg_schemas,
                    ));
                    continue;
                }
                let Some(target) = snapshot.iter().find(|x| x.name == fk.ref_table) else {
                    self.err(
                        Diagnostic::new(
                            Code::UnknownTable,
                            fk.loc,
                            format!(
                                "foreign key of `{}` references unknown table `{}`",
                                t.name, fk.ref_table
                            ),
                        )
                        .help(
                            did_you_mean(&fk.ref_table, snapshot.iter().map(|x| x.name.as_str()))
                                .unwrap_or_else(|| {
                                    "declare the table (a minimal one will do) or fix the name"
                                        .into()
                                }),
                        ),
                    );
                    continue;
                };
                if fk.ref_columns.is_empty() {
                    match &target.primary_key {
                        Some(pk) => fk.ref_columns = pk.columns.clone(),
                        None => continue, // reported as a missing primary key
                    }
                }
                if fk.ref_columns.len() != fk.columns.len() {
                    self.err(
                        Diagnostic::new(
                            Code::FkArity,
                            fk.loc,
                            format!(
                                "foreign key of `{}` has {} column(s) but references {} column(s) of `{}`",
                                t.name,
                                fk.columns.len(),
                                fk.ref_columns.len(),
                                target.name
                            ),
                        )
                        .help("list as many referenced columns as local ones, in the same order"),
                    );
                    continue;
                }
                let mut all_known = true;
                for rc in &fk.ref_columns {
                    if target.column(rc).is_none() {
                        all_known = false;
                        self.err(
                            Diagnostic::new(Code::UnknownColumn, fk.loc, format!("foreign key references column `{rc}`, which table `{}` does not have", target.name))
                                .help(did_you_mean(rc, target.columns.iter().map(|c| c.name.as_str()))
                                    .unwrap_or_else(|| "reference the primary key or a unique column".into())),
                        );
                    }
                }
                if !all_known {
                    continue;
                }
                let is_key = |cols: &[String]| {
                    let mut a = cols.to_vec();
                    let mut b = fk.ref_columns.clone();
                    a.sort();
                    b.sort();
                    a == b
                };
                let unique_target = target
                    .primary_key
                    .as_ref()
                    .is_some_and(|p| is_key(&p.columns))
                    || target.uniques.iter().any(|u| is_key(&u.columns))
                    || target.indexes.iter().any(|i| {
                        i.unique
                            && i.predicate.is_none()
                            && is_key(
                                &i.keys
                                    .iter()
                                    .filter_map(|k| match &k.target {
                                        IndexTarget::Column(c) => Some(c.clone()),
                                        IndexTarget::Expr(_) => None,
                                    })
                                    .collect::<Vec<_>>(),
                            )
                            && i.keys
                                .iter()
                                .all(|k| matches!(k.target, IndexTarget::Column(_)))
                    });
                if !unique_target {
                    self.err(
                        Diagnostic::new(
                            Code::FkTargetNotUnique,
                            fk.loc,
                            format!("foreign key references ({}) of `{}`, which is neither its primary key nor unique", fk.ref_columns.join(", "), target.name),
                        )
                        .help("reference the primary key, or make the referenced column(s) unique"),
                    );
                }
                for (lc, rc) in fk.columns.iter().zip(&fk.ref_columns) {
                    let (Some(l), Some(r)) =
                        (t.columns.iter().find(|c| &c.name == lc), target.column(rc))
                    else {
                        continue;
                    };
                    if !compatible(&l.ty, &r.ty) {
                        self.err(
                            Diagnostic::new(
                                Code::FkTypeMismatch,
                                fk.loc,
                                format!("column `{}.{lc}` is `{}` but references `{}.{rc}`, which is `{}`", t.name, l.ty, target.name, r.ty),
                            )
                            .help(format!("make `{lc}` a `{}` column", r.ty)),
                        );
                    }
                }
            }
        }
    }
}

/// Whether a foreign-key column of type `a` can reference a column of type `b`.
fn compatible(a: &ColumnType, b: &ColumnType) -> bool {
    let stringy =
        |t: &ColumnType| !t.array && matches!(t.base, BaseType::Text | BaseType::Varchar(_));
    a == b || (stringy(a) && stringy(b))
}
