//! Functions, procedures and triggers.
//!
//! A function is matched by its identity (schema, name, input argument types): another
//! identity is another function (the old one dropped, the new one created). A changed function
//! is replaced in place (`CREATE OR REPLACE`) when PostgreSQL allows it — same kind, same
//! arguments (names, modes, types), same result, no default removed — and dropped and created
//! otherwise, together with the triggers that call it (PostgreSQL refuses to drop a function a
//! trigger uses). A changed trigger is replaced (`CREATE OR REPLACE TRIGGER`) unless its events
//! change, it is a constraint trigger or its function is recreated: then it is dropped first
//! and created again.
//!
//! Order: triggers and functions that go are dropped before anything else changes (a dropped
//! function no trigger needs any more goes after the tables, which may still use it in a
//! default); functions are created where `schema.sql` creates them
//! ([`sql::function_order`]): before the tables, or after them when their signature or `sql`
//! body needs one; triggers last, after their table and function.

use super::{Buckets, main};
use crate::model::*;
use crate::plan::matching::Matched;
use crate::render::sql;

/// Everything but what only the schema file or the comment says.
fn same_definition(a: &Function, b: &Function) -> bool {
    Function {
        key: String::new(),
        description: None,
        loc: crate::diag::Loc::default(),
        ..a.clone()
    } == Function {
        key: String::new(),
        description: None,
        loc: crate::diag::Loc::default(),
        ..b.clone()
    }
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
        description: None,
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
        let o = old.function(f);
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
                    vec![sql::create_function(f).sql],
                );
                place(b, late).push(step);
                if f.description.is_some() {
                    comment(b);
                }
            }
            Some(o) if same_definition(o, f) => {
                if o.description != f.description {
                    comment(b);
                }
            }
            Some(o) if replaceable(o, f) => {
                place(b, late).push(main(
                    format!("replace {what} {}", f.signature()),
                    &[],
                    vec![sql::create_function(f).sql],
                ));
                if o.description != f.description {
                    comment(b);
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
                    vec![sql::create_function(f).sql],
                ));
                if f.description.is_some() {
                    comment(b);
                }
            }
        }
    }
    for o in &old.functions {
        if new.function(o).is_none() {
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
    let old_trigger = |t: &Trigger| {
        old.triggers
            .iter()
            .find(|o| o.name == t.name && m.new_table_name(&o.table).unwrap_or(&o.table) == t.table)
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
                    .any(|(s, n)| *s == o.function_schema.as_deref() && *n == o.function);
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
            .any(|t| t.name == o.name && m.new_table_name(&o.table).unwrap_or(&o.table) == t.table);
        if !survives && !dropped_table(&o.table) {
            b.drop_routines.push(main(
                format!("drop trigger {} on {}", o.name, o.table),
                &[],
                vec![sql::drop_trigger(o).sql],
            ));
        }
    }
}

/// Where a function is created: before the tables, or after them (see the module docs).
fn place(b: &mut Buckets, late: bool) -> &mut Vec<crate::plan::Step> {
    if late {
        &mut b.routines_late
    } else {
        &mut b.functions
    }
}
