//! Functions, procedures and triggers.
//!
//! A function is matched by its identity (schema, name, input argument types): another
//! identity is another function (the old one dropped, the new one created). A changed function
//! is replaced in place (`CREATE OR REPLACE`) when PostgreSQL allows it — same kind, same
//! arguments (names, modes, types), same result, no default removed — and dropped and created
//! otherwise, together with the triggers that call it (PostgreSQL refuses to drop a function a
//! trigger uses). A changed trigger is replaced (`CREATE OR REPLACE TRIGGER`) unless its events
//! change, it is a constraint trigger, its function (or one its `WHEN` calls) is recreated, or
//! a column its `WHEN` or `UPDATE OF` reads changes type (PostgreSQL refuses that `ALTER` while
//! the trigger exists): then it is dropped first and created again.
//!
//! Whatever else calls a recreated function — a view, a policy, a check, a default — is dropped
//! before the function and created again after it, by the planner of its own kind
//! ([`recreated`] tells them which); an index or a generated column that calls one refuses the
//! plan, naming it.
//!
//! Order: triggers and functions that go are dropped before anything else changes (a dropped
//! function no trigger needs any more goes after the tables, which may still use it in a
//! default); functions are created where `schema.sql` creates them
//! ([`sql::function_order`]): before the tables, or after them when their signature or `sql`
//! body needs one; triggers last, after their table and function.

use super::{Buckets, main};
use crate::model::*;
use crate::plan::matching::Matched;
use crate::plan::{Hazard, PlanError};
use crate::render::sql;
use std::collections::BTreeSet;

/// The functions the plan drops and creates again (their result or arguments change, so
/// `CREATE OR REPLACE` cannot turn the old into the new), by lower-case name: whatever calls
/// one must go before it and come back after. Matching by name alone over-approximates (an
/// overload of the same name counts too), never misses one.
pub(crate) fn recreated(old: &Schema, new: &Schema) -> BTreeSet<String> {
    new.functions
        .iter()
        .filter_map(|f| previous(old, new, f).map(|o| (o, f)))
        .filter(|(o, f)| !same_definition(o, f) && !replaceable(o, f))
        .map(|(o, _)| o.name.to_ascii_lowercase())
        .collect()
}

/// The old schema's version of a new function: the one with its identity, or, when it says
/// `renamed_from`, the one of that name with the same schema and argument types that the new
/// schema no longer has.
fn previous<'o>(old: &'o Schema, new: &Schema, f: &Function) -> Option<&'o Function> {
    old.function(f).or_else(|| {
        let from = f.renamed_from.as_deref()?;
        old.functions.iter().find(|o| {
            o.name == from
                && o.schema == f.schema
                && o.identity_arguments() == f.identity_arguments()
                && new.function(o).is_none()
        })
    })
}

/// Whether an expression calls one of `functions` (lower-case names, as [`recreated`] gives).
pub(crate) fn calls_any(expr: &str, functions: &BTreeSet<String>) -> bool {
    !functions.is_empty()
        && crate::fragment::called_functions(expr)
            .iter()
            .any(|f| functions.contains(f))
}

/// An index expression or predicate, or a generated column, that calls a recreated function:
/// PostgreSQL cannot drop the function under it, and re-creating an index or a generated column
/// is not a step the plan takes on its own, so the plan stops and names what is in the way.
pub(crate) fn refuse_blocked(old: &Schema, functions: &BTreeSet<String>) -> Result<(), PlanError> {
    if functions.is_empty() {
        return Ok(());
    }
    for t in &old.tables {
        for i in &t.indexes {
            let exprs = i
                .keys
                .iter()
                .filter_map(|k| match &k.target {
                    IndexTarget::Expr(e) => Some(e.as_str()),
                    IndexTarget::Column(_) => None,
                })
                .chain(i.predicate.as_deref());
            for e in exprs {
                if let Some(f) = first_call(e, functions) {
                    return Err(PlanError::BlockedByCaller {
                        function: f,
                        caller: format!("index {} on {}", i.name, t.name),
                        help: "change the function in two migrations: first drop or change the index so it no longer calls it, then change the function".into(),
                    });
                }
            }
        }
        for c in &t.columns {
            if let Some(e) = c.generated.as_deref()
                && let Some(f) = first_call(e, functions)
            {
                return Err(PlanError::BlockedByCaller {
                    function: f,
                    caller: format!("generated column {}.{}", t.name, c.name),
                    help: "change the function in two migrations: first drop the generated column or change its expression, then change the function".into(),
                });
            }
        }
    }
    Ok(())
}

/// A function's `renamed_from` that names no function of the old schema with its arguments
/// (ignored on the first migration, where nothing is old).
pub(crate) fn check_hints(old: &Schema, new: &Schema, first: bool) -> Result<(), PlanError> {
    for f in &new.functions {
        if let Some(h) = &f.renamed_from
            && !first
            && previous(old, new, f).is_none()
        {
            return Err(PlanError::RenameHint {
                what: format!("function `{}`", f.signature()),
                hint: h.clone(),
                help: "fix the name in the hint (the old function must have the same schema and argument types), or remove it if this is a new function".into(),
            });
        }
    }
    Ok(())
}

fn first_call(expr: &str, functions: &BTreeSet<String>) -> Option<String> {
    crate::fragment::called_functions(expr)
        .into_iter()
        .find(|f| functions.contains(f))
}

/// Everything but what only the schema file or the comment says.
/// The statements creating `f` (with its `REVOKE … FROM PUBLIC`).
fn statements(f: &Function) -> Vec<String> {
    sql::function_statements(f)
        .into_iter()
        .map(|s| s.sql)
        .collect()
}

/// The name is not compared (a renamed function is renamed first, then compared), nor who may
/// execute it (`CREATE OR REPLACE` keeps the ACL; a change is a GRANT or REVOKE).
fn same_definition(a: &Function, b: &Function) -> bool {
    let strip = |f: &Function| Function {
        key: String::new(),
        name: String::new(),
        description: None,
        renamed_from: None,
        public_execute: true,
        loc: crate::diag::Loc::default(),
        ..f.clone()
    };
    strip(a) == strip(b)
}

/// Whether PostgreSQL can turn `old` into `new` with `CREATE OR REPLACE`.
fn replaceable(old: &Function, new: &Function) -> bool {
    let shape = |a: &Argument| (a.name.clone(), a.ty.clone(), a.mode);
    old.kind == new.kind
        && old.returns == new.returns
        && old.arguments.len() == new.arguments.len()
        && old
            .arguments
            .iter()
            .zip(&new.arguments)
            .all(|(o, n)| shape(o) == shape(n) && (o.default.is_none() || n.default.is_some()))
}

fn same_trigger(a: &Trigger, b: &Trigger) -> bool {
    let strip = |t: &Trigger| Trigger {
        name: String::new(),
        description: None,
        renamed_from: None,
        loc: crate::diag::Loc::default(),
        table: String::new(),
        ..t.clone()
    };
    strip(a) == strip(b)
}

pub(super) fn routines(old: &Schema, new: &Schema, m: &Matched<'_>, b: &mut Buckets) {
    let (new_before, new_after) = sql::function_order(new);
    let is_late = |f: &Function| new_after.iter().any(|l| l.identity() == f.identity());
    // Functions dropped and created again: the triggers calling them go with them.
    let mut recreated: Vec<(Option<&str>, &str)> = Vec::new();
    for f in new_before.iter().chain(&new_after) {
        let late = is_late(f);
        let what = match f.kind {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
        };
        let o = previous(old, new, f);
        // A function renamed by hint is renamed first (triggers and views follow it: PostgreSQL
        // refers to a function by its oid), then compared like any other.
        if let Some(o) =
            o.filter(|o| o.name != f.name && (same_definition(o, f) || replaceable(o, f)))
        {
            b.drop_routines.push(main(
                format!("rename {what} {} to {}", o.signature(), f.name),
                &[],
                vec![sql::rename_function(o, &f.name).sql],
            ));
        }
        let comment = |b: &mut Buckets| {
            b.comments.push(main(
                format!("comment on {what} {}", f.signature()),
                &[],
                vec![sql::comment_on_routine(f, f.description.as_deref()).sql],
            ))
        };
        match o {
            None => {
                let step = main(
                    format!("create {what} {}", f.signature()),
                    &[],
                    statements(f),
                );
                place(b, late).push(step);
                if f.description.is_some() {
                    comment(b);
                }
            }
            Some(o) if same_definition(o, f) || replaceable(o, f) => {
                if !same_definition(o, f) {
                    place(b, late).push(main(
                        format!("replace {what} {}", f.signature()),
                        &[],
                        vec![sql::create_function(f).sql],
                    ));
                }
                if o.description != f.description {
                    comment(b);
                }
                // `CREATE OR REPLACE` keeps the ACL: only a change of the flag touches it.
                if o.public_execute != f.public_execute {
                    b.grants.push(main(
                        if f.public_execute {
                            format!("let every role execute {what} {}", f.signature())
                        } else {
                            format!("revoke execute on {what} {} from public", f.signature())
                        },
                        if f.public_execute {
                            &[Hazard::ChangesAccess]
                        } else {
                            &[]
                        },
                        vec![sql::public_execute(f, f.public_execute).sql],
                    ));
                }
            }
            Some(o) => {
                recreated.push((o.schema.as_deref(), &o.name));
                b.drop_routines.push(main(
                    format!(
                        "drop {what} {} (its result or arguments change; created again)",
                        o.signature()
                    ),
                    &[],
                    vec![sql::drop_function(o).sql],
                ));
                place(b, late).push(main(
                    format!("create {what} {} again", f.signature()),
                    &[],
                    statements(f),
                ));
                if f.description.is_some() {
                    comment(b);
                }
            }
        }
    }
    let renamed: Vec<&Function> = new
        .functions
        .iter()
        .filter_map(|f| previous(old, new, f))
        .collect();
    for o in &old.functions {
        if new.function(o).is_none() && !renamed.iter().any(|r| std::ptr::eq(*r, o)) {
            let what = match o.kind {
                RoutineKind::Function => "function",
                RoutineKind::Procedure => "procedure",
            };
            b.drop_types.push(main(
                format!("drop {what} {}", o.signature()),
                &[],
                vec![sql::drop_function(o).sql],
            ));
        }
    }

    // Triggers, matched by table (following renames) and name.
    let dropped_table = |t: &str| m.dropped_tables.iter().any(|d| d.name == t);
    let on_same_table =
        |o: &Trigger, t: &Trigger| m.new_table_name(&o.table).unwrap_or(&o.table) == t.table;
    // By name, or by `renamed_from` when the new schema has no trigger of the old name there.
    let old_trigger = |t: &Trigger| {
        old.triggers
            .iter()
            .find(|o| o.name == t.name && on_same_table(o, t))
            .or_else(|| {
                let from = t.renamed_from.as_deref()?;
                old.triggers.iter().find(|o| {
                    o.name == from
                        && on_same_table(o, t)
                        && !new
                            .triggers
                            .iter()
                            .any(|n| n.name == from && n.table == t.table)
                })
            })
    };
    for t in &new.triggers {
        let comment = |b: &mut Buckets| {
            b.comments.push(main(
                format!("comment on trigger {} on {}", t.name, t.table),
                &[],
                vec![sql::comment_on_trigger(t, t.description.as_deref()).sql],
            ))
        };
        let create = |b: &mut Buckets, replace: bool, again: &str| {
            b.triggers.push(main(
                format!(
                    "{} trigger {} on {}{again}",
                    if replace { "replace" } else { "create" },
                    t.name,
                    t.table
                ),
                &[],
                vec![sql::create_trigger(t, replace).sql],
            ))
        };
        match old_trigger(t) {
            None => {
                create(b, false, "");
                if t.description.is_some() {
                    comment(b);
                }
            }
            Some(o) => {
                let forced = recreated
                    .iter()
                    .any(|(s, n)| *s == o.function_schema.as_deref() && *n == o.function)
                    || o.when
                        .as_deref()
                        .is_some_and(|w| calls_any(w, &m.recreated_functions))
                    || reads_retyped_column(o, m);
                if forced
                    || (!same_trigger(o, t)
                        && (o.events != t.events || o.constraint || t.constraint))
                {
                    b.drop_routines.push(main(
                        format!("drop trigger {} on {} (created again)", o.name, o.table),
                        &[],
                        vec![sql::drop_trigger(o).sql],
                    ));
                    create(b, false, " again");
                    if t.description.is_some() {
                        comment(b);
                    }
                } else {
                    if o.name != t.name {
                        // Before the table renames: the table as it was.
                        b.drop_routines.push(main(
                            format!("rename trigger {} on {} to {}", o.name, o.table, t.name),
                            &[],
                            vec![sql::rename_trigger(o, &t.name).sql],
                        ));
                    }
                    if !same_trigger(o, t) {
                        create(b, true, "");
                    }
                    if o.description != t.description {
                        comment(b);
                    }
                }
            }
        }
    }
    for o in &old.triggers {
        let survives = new
            .triggers
            .iter()
            .any(|t| on_same_table(o, t) && old_trigger(t).is_some_and(|p| std::ptr::eq(p, o)));
        if !survives && !dropped_table(&o.table) {
            b.drop_routines.push(main(
                format!("drop trigger {} on {}", o.name, o.table),
                &[],
                vec![sql::drop_trigger(o).sql],
            ));
        }
    }
}

/// Whether a column the trigger's `WHEN` or `UPDATE OF` names changes type in this migration
/// (PostgreSQL refuses `ALTER COLUMN … TYPE` under a trigger that reads the column).
fn reads_retyped_column(t: &Trigger, m: &Matched<'_>) -> bool {
    let Some(p) = m.tables.iter().find(|p| p.old.name == t.table) else {
        return false;
    };
    let mut read = t.references().tables.into_iter().flat_map(|(_, c)| c);
    let mut when = t
        .when
        .as_deref()
        .map(crate::fragment::referenced_columns)
        .unwrap_or_default()
        .into_iter();
    let retyped = |c: &str| {
        p.columns
            .iter()
            .any(|(oc, nc)| oc.name == c && m.retyped(oc, nc))
    };
    read.any(|c| retyped(&c)) || when.any(|c| retyped(&c))
}

/// Where a function is created: before the tables, or after them (see the module docs).
fn place(b: &mut Buckets, late: bool) -> &mut Vec<crate::plan::Step> {
    if late {
        &mut b.routines_late
    } else {
        &mut b.functions
    }
}
