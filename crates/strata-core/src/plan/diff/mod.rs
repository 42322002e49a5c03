//! The steps of a plan, in an order that always applies.
//!
//! Every statement is a typed value of [`crate::render::sql`] ([`AlterTable`], [`DropTable`],
//! [`sql::DropIndex`], …), printed there; nothing here writes SQL text.

mod columns;
pub(super) mod domains;
mod enums;
mod indexes;
mod partitions;
pub(super) mod routines;
mod security;
mod tables;
mod views;

pub(crate) use partitions::check as check_partitions;

use super::ddl;
use super::matching::{Matched, TablePair};
use super::{Hazard, Phase, Plan, Step};
use crate::model::*;
use crate::render::sql::{self, AlterAction, AlterTable, Constraint, DropTable};
use std::collections::BTreeSet;

/// Steps grouped by when they must run inside the main migration.
#[derive(Default)]
struct Buckets {
    before: Vec<Step>,
    roles: Vec<Step>,
    /// `CREATE SCHEMA`, before anything that can be in one.
    create_schemas: Vec<Step>,
    extensions: Vec<Step>,
    drop_views: Vec<Step>,
    /// Policies, checks and defaults dropped before the functions they call are dropped to be
    /// created again (and policies dropped for any other reason: nothing depends on a policy).
    drop_callers: Vec<Step>,
    /// Identities dropped (with their sequences) before any sequence is created.
    drop_identities: Vec<Step>,
    types: Vec<Step>,
    /// Triggers and functions dropped (or dropped to be created again) before anything else.
    drop_routines: Vec<Step>,
    functions: Vec<Step>,
    drop_fks: Vec<Step>,
    drop_constraints: Vec<Step>,
    drop_indexes_main: Vec<Step>,
    drop_triggers: Vec<Step>,
    renames: Vec<Step>,
    /// Partitions detached and dropped, or detached and attached with a new bound.
    drop_partitions: Vec<Step>,
    create_tables: Vec<Step>,
    columns: Vec<Step>,
    enum_recreate: Vec<Step>,
    drop_columns: Vec<Step>,
    add_constraints: Vec<Step>,
    add_fks: Vec<Step>,
    /// Functions created once the tables they need exist.
    routines_late: Vec<Step>,
    drop_tables: Vec<Step>,
    drop_types: Vec<Step>,
    indexes_main: Vec<Step>,
    create_views: Vec<Step>,
    triggers: Vec<Step>,
    policies: Vec<Step>,
    grants: Vec<Step>,
    comments: Vec<Step>,
    /// `DROP SCHEMA`, once everything in them is gone.
    drop_schemas: Vec<Step>,
    after: Vec<Step>,
}

impl Buckets {
    /// The steps in the order that always applies.
    fn into_steps(self) -> Vec<Step> {
        [
            self.before,
            self.roles,
            self.create_schemas,
            self.extensions,
            self.drop_views,
            self.drop_callers,
            self.drop_identities,
            self.types,
            self.drop_routines,
            self.functions,
            self.drop_triggers,
            self.drop_fks,
            self.drop_constraints,
            self.drop_indexes_main,
            self.renames,
            self.enum_recreate,
            self.drop_partitions,
            self.create_tables,
            self.columns,
            self.drop_columns,
            self.add_constraints,
            self.add_fks,
            self.routines_late,
            self.drop_tables,
            self.drop_types,
            self.indexes_main,
            self.create_views,
            self.triggers,
            self.policies,
            self.grants,
            self.comments,
            self.drop_schemas,
            self.after,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

fn step(
    phase: Phase,
    summary: impl Into<String>,
    hazards: &[Hazard],
    statements: Vec<String>,
) -> Step {
    Step {
        phase,
        summary: summary.into(),
        hazards: hazards.to_vec(),
        statements,
        consent: None,
    }
}

fn main(summary: impl Into<String>, hazards: &[Hazard], statements: Vec<String>) -> Step {
    step(Phase::Main, summary, hazards, statements)
}

fn needs(mut s: Step, key: String, risk: impl Into<String>) -> Step {
    s.consent = Some((key, risk.into()));
    s
}

/// `ALTER TABLE <t> <action>`, printed.
fn alter(t: &str, action: AlterAction<'_>) -> String {
    AlterTable::new(t, action).to_string()
}

pub fn steps(old: &Schema, new: &Schema, m: &Matched<'_>) -> Plan {
    let mut b = Buckets::default();

    for ext in new
        .extensions
        .iter()
        .filter(|e| !old.extensions.contains(e))
    {
        b.extensions.push(main(
            format!("create extension {ext}"),
            &[],
            vec![sql::create_extension(ext).sql],
        ));
    }

    pg_schemas(old, new, &mut b);
    enums::enums(m, &mut b);
    domains::domains(old, new, m, &mut b);
    sequences(old, new, &mut b);

    if new.has_auto_update() && !old.has_auto_update() {
        b.functions.push(main(
            "create the shared auto-update trigger function",
            &[],
            ddl::trigger_function(),
        ));
    }

    routines::routines(old, new, m, &mut b);

    for t in &m.created_tables {
        create_table(t, &mut b);
    }
    for p in &m.tables {
        tables::table_pair(p, m, &mut b);
    }
    // Dropped tables go in the reverse of their creation order (a table that references
    // another goes first); a foreign key between dropped tables that closes a cycle is dropped
    // before them, so no DROP TABLE depends on a cascade.
    let order = sql::table_order(old);
    let position = |t: &Table| {
        old.tables
            .iter()
            .position(|o| o.name == t.name)
            .and_then(|i| order.tables.iter().position(|&k| k == i))
            .unwrap_or(usize::MAX)
    };
    let mut dropped: Vec<&Table> = m.dropped_tables.clone();
    dropped.sort_by_key(|t| std::cmp::Reverse(position(t)));
    let dropped_names: Vec<&str> = dropped.iter().map(|t| t.name.as_str()).collect();
    for t in &dropped {
        let Some(i) = old.tables.iter().position(|o| o.name == t.name) else {
            continue;
        };
        for (fk, placement) in t.foreign_keys.iter().zip(&order.placements[i]) {
            if *placement != sql::FkPlacement::Inline
                && dropped_names.contains(&fk.ref_table.as_str())
                && fk.ref_table != t.name
            {
                b.drop_fks.push(main(
                    format!(
                        "drop foreign key {} on {} (its tables are dropped)",
                        fk.name, t.name
                    ),
                    &[Hazard::AccessExclusiveLock],
                    vec![alter(&t.name, AlterAction::DropConstraint(&fk.name))],
                ));
            }
        }
    }
    for t in dropped {
        b.drop_tables.push(needs(
            main(
                format!("drop table {}", t.name),
                &[Hazard::DeletesData, Hazard::AccessExclusiveLock],
                vec![DropTable { name: &t.name }.to_string()],
            ),
            format!("drop_table:{}", t.name),
            format!("deletes every row of `{}`", t.name),
        ));
    }
    views::views(old, new, m, &mut b);
    security::security(old, new, m, &mut b);
    if old.has_auto_update() && !new.has_auto_update() {
        b.drop_types.push(main(
            "drop the shared auto-update trigger function",
            &[],
            vec![ddl::drop_trigger_function()],
        ));
    }

    Plan {
        steps: b.into_steps(),
    }
}

/// PostgreSQL schemas: created before anything, commented, and dropped (with consent, like a
/// table) after everything that was in them. `DROP SCHEMA` has no `CASCADE`: an object the
/// model does not know about makes it fail instead of vanishing with the schema.
fn pg_schemas(old: &Schema, new: &Schema, b: &mut Buckets) {
    for s in &new.pg_schemas {
        let was = old.pg_schema(&s.name);
        if was.is_none() {
            b.create_schemas.push(main(
                format!("create schema {}", s.name),
                &[],
                vec![sql::create_schema(s).sql],
            ));
        }
        if was.and_then(|w| w.description.as_deref()) != s.description.as_deref() {
            b.comments.push(main(
                format!("comment on schema {}", s.name),
                &[],
                vec![sql::comment_on_schema(&s.name, s.description.as_deref()).sql],
            ));
        }
    }
    for o in &old.pg_schemas {
        if new.pg_schema(&o.name).is_none() {
            b.drop_schemas.push(needs(
                main(
                    format!("drop schema {}", o.name),
                    &[],
                    vec![sql::drop_schema(&o.name).sql],
                ),
                format!("drop_schema:{}", o.name),
                format!(
                    "drops the schema `{}`; it must be empty by then (a table or type the schema file does not declare makes the drop fail)",
                    o.name
                ),
            ));
        }
    }
}

/// Sequences: created before the tables that use them, owned once their table exists, changed
/// in place, and dropped after the tables and columns that used them.
fn sequences(old: &Schema, new: &Schema, b: &mut Buckets) {
    for q in &new.sequences {
        let was = old.sequence(&q.name).and_then(|o| o.description.as_deref());
        if was != q.description.as_deref() {
            b.comments.push(main(
                format!("comment on sequence {}", q.name),
                &[],
                vec![sql::comment_on_sequence(&q.name, q.description.as_deref()).sql],
            ));
        }
        match old.sequence(&q.name) {
            None => {
                b.types.push(main(
                    format!("create sequence {}", q.name),
                    &[],
                    vec![sql::create_sequence(q).sql],
                ));
                if let Some((t, c)) = &q.owned_by {
                    b.add_fks.push(main(
                        format!("sequence {} owned by {t}.{c}", q.name),
                        &[],
                        vec![sql::own_sequence(&q.name, Some((t, c))).sql],
                    ));
                }
            }
            Some(o) => {
                let options = |s: &crate::model::Sequence| (s.ty.clone(), s.effective());
                if options(o) != options(q) {
                    b.types.push(main(
                        format!("change sequence {}", q.name),
                        &[],
                        vec![sql::alter_sequence(q).sql],
                    ));
                }
                if o.owned_by != q.owned_by {
                    let owner = q.owned_by.as_ref().map(|(t, c)| (t.as_str(), c.as_str()));
                    b.add_fks.push(main(
                        format!("change the owner of sequence {}", q.name),
                        &[],
                        vec![sql::own_sequence(&q.name, owner).sql],
                    ));
                }
            }
        }
    }
    for o in &old.sequences {
        if new.sequence(&o.name).is_none() {
            b.drop_types.push(main(
                format!("drop sequence {}", o.name),
                &[],
                vec![sql::drop_sequence(&o.name).sql],
            ));
        }
    }
}

fn create_table(t: &Table, b: &mut Buckets) {
    let mut statements = ddl::create_table(t);
    statements.extend(sql::create_partitions(t).into_iter().map(|s| s.sql));
    b.create_tables
        .push(main(format!("create table {}", t.name), &[], statements));
    partitions::comments(t, b);
    for fk in &t.foreign_keys {
        b.add_fks.push(main(
            format!("add foreign key {} on {}", fk.name, t.name),
            &[],
            vec![alter(
                &t.name,
                AlterAction::AddConstraint {
                    constraint: Constraint::ForeignKey(fk),
                    not_valid: false,
                },
            )],
        ));
    }
    for i in &t.indexes {
        b.indexes_main.push(main(
            format!("create index {} on {}", i.name, t.name),
            &[],
            vec![ddl::create_index(t, i, false)],
        ));
    }
    if let Some(tr) = ddl::create_trigger(t) {
        b.triggers.push(main(
            format!("create auto-update trigger on {}", t.name),
            &[],
            vec![tr],
        ));
    }
    table_comments(None, t, &[], &BTreeSet::new(), b);
}

/// Comments that changed. Indexes built concurrently after the main migration (`later`) get
/// their comment there instead.
fn table_comments(
    old: Option<&TablePair<'_>>,
    t: &Table,
    later: &[String],
    recreated: &BTreeSet<String>,
    b: &mut Buckets,
) {
    let old_table = old.map(|p| p.old);
    if old_table.map(|o| &o.description) != Some(&t.description)
        && (old.is_some() || t.description.is_some())
    {
        b.comments.push(main(
            format!("comment on table {}", t.name),
            &[],
            vec![ddl::comment_table(&t.name, t.description.as_deref())],
        ));
    }
    for c in &t.columns {
        let before = old.and_then(|p| {
            p.columns
                .iter()
                .find(|(_, n)| n.name == c.name)
                .map(|(o, _)| &o.description)
        });
        let changed = match before {
            Some(d) => d != &c.description,
            None => c.description.is_some(),
        };
        if changed {
            b.comments.push(main(
                format!("comment on column {}.{}", t.name, c.name),
                &[],
                vec![ddl::comment_column(
                    &t.name,
                    &c.name,
                    c.description.as_deref(),
                )],
            ));
        }
    }
    for i in t.indexes.iter().filter(|i| !later.contains(&i.name)) {
        let before = old
            .and_then(|p| p.old.indexes.iter().find(|o| o.name == i.name))
            .map(|o| &o.description);
        let changed = match before {
            Some(d) => d != &i.description,
            None => i.description.is_some(),
        };
        if changed {
            b.comments.push(main(
                format!("comment on index {}", i.name),
                &[],
                vec![ddl::comment_index(
                    &qualify(split_qualified(&t.name).0, &i.name),
                    i.description.as_deref(),
                )],
            ));
        }
    }
    // Constraint comments: a constraint added again (changed) loses its comment.
    let before = old_table
        .map(Table::constraint_comments)
        .unwrap_or_default();
    for (name, d) in t.constraint_comments() {
        let was = before
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, d)| *d);
        let redefined =
            old_table.is_some_and(|o| tables::constraint_redefined(o, t, name, recreated));
        if was != d || (d.is_some() && redefined) {
            b.comments.push(main(
                format!("comment on constraint {name} on {}", t.name),
                &[],
                vec![sql::comment_on_constraint(&t.name, name, d).sql],
            ));
        }
    }
}
