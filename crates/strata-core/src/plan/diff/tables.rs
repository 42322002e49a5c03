//! Tables that stay: renames of the table, its columns and constraints; constraints dropped
//! and added (checks and foreign keys `NOT VALID`, then validated); then its indexes, columns
//! and auto-update trigger.

use super::{Buckets, alter, columns, indexes, main, needs, partitions, table_comments};
use crate::model::*;
use crate::plan::Hazard;
use crate::plan::ddl;
use crate::plan::matching::{Matched, TablePair};
use crate::render::sql::{AlterAction, Constraint, DropTrigger};
use std::collections::BTreeSet;

/// A constraint or index of a table, comparable across a rename.
#[derive(PartialEq, Eq, Clone, Debug)]
enum Def {
    Pk(Vec<String>),
    /// Columns, NULLS NOT DISTINCT, deferrable, INCLUDE columns.
    Unique(Vec<String>, bool, Deferrable, Vec<String>),
    /// Expression, NO INHERIT, NOT VALID.
    Check(String, bool, bool),
    /// Columns, target, target columns, actions, then (MATCH FULL, deferrable, NOT VALID,
    /// the columns ON DELETE sets).
    Fk(
        Vec<String>,
        String,
        Vec<String>,
        FkAction,
        FkAction,
        (bool, Deferrable, bool, Vec<String>),
    ),
    /// The constraint with its name, comment and location cleared and its columns mapped.
    Exclusion(Box<Exclusion>),
    SingleRow,
}

/// The mark on an old check's expression that calls a recreated function.
const RECREATED: &str = "\u{0}recreated:";

pub(super) struct Named<T> {
    pub(super) name: String,
    pub(super) def: T,
}

fn constraint_defs(
    t: &Table,
    rename_col: &dyn Fn(&str) -> String,
    rename_table: &dyn Fn(&str) -> String,
) -> Vec<Named<Def>> {
    let map = |cs: &[String]| cs.iter().map(|c| rename_col(c)).collect::<Vec<_>>();
    let mut out = Vec::new();
    if let Some(pk) = &t.primary_key {
        out.push(Named {
            name: pk.name.clone(),
            def: Def::Pk(map(&pk.columns)),
        });
    }
    for u in &t.uniques {
        out.push(Named {
            name: u.name.clone(),
            def: Def::Unique(
                map(&u.columns),
                u.nulls_not_distinct,
                u.deferrable,
                map(&u.include),
            ),
        });
    }
    for c in &t.checks {
        out.push(Named {
            name: c.name.clone(),
            def: Def::Check(c.expr.clone(), c.no_inherit, c.not_valid),
        });
    }
    for f in &t.foreign_keys {
        out.push(Named {
            name: f.name.clone(),
            def: Def::Fk(
                map(&f.columns),
                rename_table(&f.ref_table),
                f.ref_columns.clone(),
                f.on_delete,
                f.on_update,
                (
                    f.match_full,
                    f.deferrable,
                    f.not_valid,
                    map(&f.on_delete_columns),
                ),
            ),
        });
    }
    for x in &t.exclusions {
        let mut def = x.clone();
        def.name.clear();
        def.description = None;
        def.loc = crate::diag::Loc::default();
        for e in &mut def.elements {
            if let IndexTarget::Column(c) = &mut e.key.target {
                *c = rename_col(c);
            }
        }
        def.include = map(&def.include);
        out.push(Named {
            name: x.name.clone(),
            def: Def::Exclusion(Box::new(def)),
        });
    }
    if let Some(sr) = &t.single_row {
        out.push(Named {
            name: sr.clone(),
            def: Def::SingleRow,
        });
    }
    out
}

/// Whether a constraint named `name` in both tables has another definition in `new` (so the
/// plan drops and adds it again, and its comment must be written again).
/// A check calling one of `recreated` counts as redefined (it is dropped and added again).
pub(super) fn constraint_redefined(
    old: &Table,
    new: &Table,
    name: &str,
    recreated: &BTreeSet<String>,
) -> bool {
    if old
        .checks
        .iter()
        .any(|c| c.name == name && super::routines::calls_any(&c.expr, recreated))
    {
        return true;
    }
    let same = |c: &str| c.to_string();
    let o = constraint_defs(old, &same, &same);
    let n = constraint_defs(new, &same, &same);
    match (
        o.iter().find(|x| x.name == name),
        n.iter().find(|x| x.name == name),
    ) {
        (Some(a), Some(b)) => a.def != b.def,
        _ => false,
    }
}

/// Pairs old and new items: same name and definition (unchanged), same definition under another
/// name (renamed), the rest dropped or added.
type NamedPairs<'x, T> = (
    Vec<(&'x Named<T>, &'x Named<T>)>,
    Vec<&'x Named<T>>,
    Vec<&'x Named<T>>,
);

pub(super) fn pair_named<'x, T: PartialEq>(
    old: &'x [Named<T>],
    new: &'x [Named<T>],
) -> NamedPairs<'x, T> {
    let mut old_left: Vec<&Named<T>> = old.iter().collect();
    let mut pairs = Vec::new();
    let mut new_left = Vec::new();
    for n in new {
        match old_left
            .iter()
            .position(|o| o.name == n.name && o.def == n.def)
        {
            Some(i) => pairs.push((old_left.remove(i), n)),
            None => new_left.push(n),
        }
    }
    let mut added = Vec::new();
    for n in new_left {
        match old_left.iter().position(|o| o.def == n.def) {
            Some(i) => pairs.push((old_left.remove(i), n)),
            None => added.push(n),
        }
    }
    (pairs, added, old_left)
}

pub(super) fn table_pair(p: &TablePair<'_>, m: &Matched<'_>, b: &mut Buckets) {
    let (o, n) = (p.old, p.new);
    let tn = &n.name;
    let (old_schema, old_local) = split_qualified(&o.name);
    let (new_schema, new_local) = split_qualified(&n.name);
    if old_schema != new_schema {
        // A move: `SET SCHEMA` first, then a rename in the new schema if the name changes.
        b.renames.push(main(
            format!("move table {} to {}", o.name, n.name),
            &[Hazard::AccessExclusiveLock],
            vec![alter(&o.name, AlterAction::SetSchema(new_schema))],
        ));
        if old_local != new_local {
            let moved = qualify(new_schema, old_local);
            b.renames.push(main(
                format!("rename table {moved} to {}", n.name),
                &[Hazard::AccessExclusiveLock],
                vec![alter(&moved, AlterAction::RenameTo(&n.name))],
            ));
        }
    } else if o.name != n.name {
        b.renames.push(main(
            format!("rename table {} to {}", o.name, n.name),
            &[Hazard::AccessExclusiveLock],
            vec![alter(&o.name, AlterAction::RenameTo(&n.name))],
        ));
    }
    for (oc, nc) in &p.columns {
        if oc.name != nc.name {
            b.renames.push(main(
                format!("rename column {tn}.{} to {}", oc.name, nc.name),
                &[Hazard::AccessExclusiveLock],
                vec![alter(
                    tn,
                    AlterAction::RenameColumn {
                        from: &oc.name,
                        to: &nc.name,
                    },
                )],
            ));
        }
    }

    table_options(o, n, b);
    partitions::partitions(p, b);

    // Constraints and indexes, compared with old names mapped to new ones.
    let rename_col = |c: &str| -> String {
        p.columns
            .iter()
            .find(|(oc, _)| oc.name == c)
            .map_or_else(|| format!("\u{0}dropped:{c}"), |(_, nc)| nc.name.clone())
    };
    let rename_table = |t: &str| -> String {
        m.new_table_name(t)
            .map_or_else(|| format!("\u{0}dropped:{t}"), str::to_string)
    };
    let same = |c: &str| c.to_string();
    let mut old_defs = constraint_defs(o, &rename_col, &rename_table);
    // A check calling a function the plan drops and creates again goes before the function and
    // comes back after it: marked, its old definition matches no new one.
    for d in &mut old_defs {
        if let Def::Check(expr, ..) = &mut d.def
            && super::routines::calls_any(expr, &m.recreated_functions)
        {
            expr.insert_str(0, RECREATED);
        }
    }
    let new_defs = constraint_defs(n, &same, &same);
    let (pairs, added, dropped) = pair_named(&old_defs, &new_defs);
    let on_dropped_column = |d: &Def| -> bool {
        let cols: Vec<&String> = match d {
            Def::Pk(c) | Def::Unique(c, ..) | Def::Fk(c, ..) => c.iter().collect(),
            Def::Exclusion(x) => x
                .elements
                .iter()
                .filter_map(|e| match &e.key.target {
                    IndexTarget::Column(c) => Some(c),
                    IndexTarget::Expr(_) => None,
                })
                .chain(&x.include)
                .collect(),
            _ => vec![],
        };
        cols.iter().any(|c| c.starts_with('\u{0}'))
    };
    for d in dropped {
        // Constraints on dropped columns go with the column; FKs to dropped tables are dropped.
        if on_dropped_column(&d.def) {
            continue;
        }
        let calls_recreated = matches!(&d.def, Def::Check(e, ..) if e.starts_with(RECREATED));
        let st = main(
            if calls_recreated {
                format!(
                    "drop constraint {} on {tn} (a function it calls is created again)",
                    d.name
                )
            } else {
                format!("drop constraint {} on {tn}", d.name)
            },
            &[Hazard::AccessExclusiveLock],
            // Drops run before renames, so they name the table as it was.
            vec![alter(&o.name, AlterAction::DropConstraint(&d.name))],
        );
        if calls_recreated {
            b.drop_callers.push(st)
        } else if matches!(d.def, Def::Fk(..)) {
            b.drop_fks.push(st)
        } else {
            b.drop_constraints.push(st)
        }
    }
    for (od, nd) in &pairs {
        if od.name != nd.name {
            b.renames.push(main(
                format!("rename constraint {} on {tn} to {}", od.name, nd.name),
                &[],
                vec![alter(
                    tn,
                    AlterAction::RenameConstraint {
                        from: &od.name,
                        to: &nd.name,
                    },
                )],
            ));
        }
    }
    for a in added {
        // A foreign key replaced by one on the same columns and target (an action changed) cannot
        // fail on existing rows: they satisfied the old one.
        let replaces_fk = match &a.def {
            Def::Fk(cols, target, rcols, ..) => old_defs.iter().any(|o| matches!(&o.def, Def::Fk(c2, t2, r2, ..) if c2 == cols && t2 == target && r2 == rcols)),
            _ => false,
        };
        add_constraint(n, &a.name, p, replaces_fk, &partitioned_tables(m), b);
    }

    let new_constraint_names: Vec<&str> = new_defs.iter().map(|d| d.name.as_str()).collect();
    let built_later = indexes::indexes(p, &rename_col, &new_constraint_names, b);

    // The trigger (one name per table) moves with a renamed table, but it passes column names
    // as arguments: a renamed column needs a new trigger.
    let old_auto: Vec<&str> = o.auto_update_columns().map(|c| c.name.as_str()).collect();
    let new_auto: Vec<&str> = n.auto_update_columns().map(|c| c.name.as_str()).collect();
    let had = !old_auto.is_empty();
    // The trigger is in place during the column steps unless it is replaced (dropped first).
    let touch_live = had && old_auto == new_auto;
    for c in &p.added {
        columns::add_column(n, c, touch_live, b);
    }
    for (oc, nc) in &p.columns {
        columns::alter_column(n, oc, nc, m, touch_live, b);
    }
    for c in &p.dropped {
        b.drop_columns.push(needs(
            main(
                format!("drop column {tn}.{}", c.name),
                &[Hazard::DeletesData, Hazard::AccessExclusiveLock],
                vec![alter(tn, AlterAction::DropColumn(&c.name))],
            ),
            format!("drop_column:{tn}.{}", c.name),
            format!("deletes every value of `{tn}.{}`", c.name),
        ));
    }
    // Auto-update triggers follow the table's auto-updated columns.
    if old_auto != new_auto {
        if had {
            b.drop_triggers.push(main(
                format!("drop auto-update trigger on {}", o.name),
                &[],
                vec![
                    DropTrigger {
                        name: ddl::trigger_name(),
                        table: &o.name,
                        if_exists: true,
                    }
                    .to_string(),
                ],
            ));
        }
        if let Some(tr) = ddl::create_trigger(n) {
            b.triggers.push(main(
                format!("create auto-update trigger on {tn}"),
                &[],
                vec![tr],
            ));
        }
    }
    table_comments(Some(p), n, &built_later, &m.recreated_functions, b);
}

/// The names of the new schema's partitioned tables.
fn partitioned_tables<'a>(m: &Matched<'a>) -> Vec<&'a str> {
    m.tables
        .iter()
        .map(|p| p.new)
        .chain(m.created_tables.iter().copied())
        .filter(|t| t.partition_by.is_some())
        .map(|t| t.name.as_str())
        .collect()
}

fn add_constraint(
    t: &Table,
    name: &str,
    p: &TablePair<'_>,
    replaces_fk: bool,
    partitioned: &[&str],
    b: &mut Buckets,
) {
    let tn = &t.name;
    let new_cols: Vec<&str> = p.added.iter().map(|c| c.name.as_str()).collect();
    let only_new = |cols: &[String]| cols.iter().all(|c| new_cols.contains(&c.as_str()));
    if let Some(pk) = t.primary_key.as_ref().filter(|pk| pk.name == name) {
        let mut s = main(
            format!("add primary key {name} on {tn}"),
            &[
                Hazard::BuildsIndex,
                Hazard::AccessExclusiveLock,
                Hazard::CanFailOnExistingRows,
            ],
            vec![add(tn, Constraint::PrimaryKey(pk), false)],
        );
        if !only_new(&pk.columns) {
            s = needs(
                s,
                format!("add_primary_key:{name}"),
                format!("fails if `{tn}` holds duplicate or NULL keys"),
            );
        }
        b.add_constraints.push(s);
    } else if let Some(u) = t.uniques.iter().find(|u| u.name == name) {
        let mut s = main(
            format!("add unique constraint {name} on {tn}"),
            &[
                Hazard::BuildsIndex,
                Hazard::AccessExclusiveLock,
                Hazard::CanFailOnExistingRows,
            ],
            vec![add(tn, Constraint::Unique(u), false)],
        );
        if !only_new(&u.columns) {
            s = needs(
                s,
                format!("add_unique:{name}"),
                format!(
                    "fails if `{tn}` already holds duplicates on ({})",
                    u.columns.join(", ")
                ),
            );
        }
        b.add_constraints.push(s);
    } else if let Some(c) = t.checks.iter().find(|c| c.name == name && c.not_valid) {
        // Kept NOT VALID: existing rows are not checked, so nothing can fail.
        b.add_constraints.push(main(
            format!("add check {name} on {tn} (NOT VALID)"),
            &[],
            vec![add(tn, Constraint::Check(c), true)],
        ));
    } else if let Some(c) = t.checks.iter().find(|c| c.name == name) {
        b.add_constraints.push(needs(
            main(
                format!("add check {name} on {tn}"),
                &[Hazard::ScansTable, Hazard::CanFailOnExistingRows],
                vec![
                    add(tn, Constraint::Check(c), true),
                    alter(tn, AlterAction::ValidateConstraint(name)),
                ],
            ),
            format!("add_check:{name}"),
            format!("fails if a row of `{tn}` does not satisfy `{}`", c.expr),
        ));
    } else if let Some(f) = t
        .foreign_keys
        .iter()
        .find(|f| f.name == name && f.not_valid)
    {
        b.add_fks.push(main(
            format!("add foreign key {name} on {tn} (NOT VALID)"),
            &[],
            vec![add(tn, Constraint::ForeignKey(f), true)],
        ));
    } else if let Some(f) = t.foreign_keys.iter().find(|f| f.name == name) {
        // PostgreSQL adds no NOT VALID foreign key to a partitioned table, and validating one
        // that references a partitioned table leaves its per-partition copies NOT VALID: such
        // a key is checked at once.
        let statements = if t.partition_by.is_some() || partitioned.contains(&f.ref_table.as_str())
        {
            vec![add(tn, Constraint::ForeignKey(f), false)]
        } else {
            vec![
                add(tn, Constraint::ForeignKey(f), true),
                alter(tn, AlterAction::ValidateConstraint(name)),
            ]
        };
        let mut s = main(
            format!("add foreign key {name} on {tn}"),
            &[Hazard::ScansTable, Hazard::CanFailOnExistingRows],
            statements,
        );
        if !only_new(&f.columns) && !replaces_fk {
            s = needs(
                s,
                format!("add_foreign_key:{name}"),
                format!(
                    "fails if a row of `{tn}` references a missing `{}` row",
                    f.ref_table
                ),
            );
        }
        b.add_fks.push(s);
    } else if let Some(x) = t.exclusions.iter().find(|x| x.name == name) {
        let mut s = main(
            format!("add exclusion constraint {name} on {tn}"),
            &[
                Hazard::BuildsIndex,
                Hazard::AccessExclusiveLock,
                Hazard::CanFailOnExistingRows,
            ],
            vec![add(tn, Constraint::Exclusion(x), false)],
        );
        let cols: Vec<String> = x.columns().into_iter().map(str::to_string).collect();
        let on_expr = cols.len() < x.elements.len();
        if on_expr || !only_new(&cols) {
            s = needs(
                s,
                format!("add_exclusion:{name}"),
                format!("fails if two rows of `{tn}` conflict under `{name}`"),
            );
        }
        b.add_constraints.push(s);
    } else if t.single_row.as_deref() == Some(name) {
        b.add_constraints.push(needs(
            main(
                format!("make {tn} a single-row table"),
                &[
                    Hazard::BuildsIndex,
                    Hazard::AccessExclusiveLock,
                    Hazard::CanFailOnExistingRows,
                ],
                ddl::add_single_row(t),
            ),
            format!("add_single_row:{tn}"),
            format!("fails if `{tn}` holds more than one row"),
        ));
    }
}

/// `ALTER TABLE <t> ADD <constraint> [NOT VALID]`, printed.
fn add(t: &str, constraint: Constraint<'_>, not_valid: bool) -> String {
    alter(
        t,
        AlterAction::AddConstraint {
            constraint,
            not_valid,
        },
    )
}

/// `SET LOGGED`/`SET UNLOGGED` and the table's storage parameters (`SET (…)`, `RESET (…)`).
fn table_options(o: &Table, n: &Table, b: &mut Buckets) {
    let tn = &n.name;
    if o.unlogged != n.unlogged {
        // Either way PostgreSQL rewrites the table; an unlogged table is emptied after a crash
        // and not replicated, so making one needs consent.
        let s = main(
            format!(
                "make {tn} {}",
                if n.unlogged { "unlogged" } else { "logged" }
            ),
            &[Hazard::AccessExclusiveLock, Hazard::RewritesTable],
            vec![alter(tn, AlterAction::SetLogged(!n.unlogged))],
        );
        b.columns.push(if n.unlogged {
            needs(
                s,
                format!("set_unlogged:{tn}"),
                format!("`{tn}` becomes unlogged: PostgreSQL empties it after a crash and does not replicate it"),
            )
        } else {
            s
        });
    }
    if o.with != n.with {
        let set: Vec<(String, String)> = n
            .with
            .iter()
            .filter(|p| !o.with.contains(p))
            .cloned()
            .collect();
        let reset: Vec<String> = o
            .with
            .iter()
            .filter(|(k, _)| !n.with.iter().any(|(k2, _)| k2 == k))
            .map(|(k, _)| k.clone())
            .collect();
        let mut statements = Vec::new();
        if !reset.is_empty() {
            statements.push(alter(tn, AlterAction::ResetStorageParameters(&reset)));
        }
        if !set.is_empty() {
            statements.push(alter(tn, AlterAction::SetStorageParameters(&set)));
        }
        b.columns.push(main(
            format!("change storage parameters of {tn}"),
            &[Hazard::AccessExclusiveLock],
            statements,
        ));
    }
}
