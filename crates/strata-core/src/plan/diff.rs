//! The steps of a plan, in an order that always applies.

use super::ddl;
use super::matching::{Matched, TablePair};
use super::{Hazard, Phase, Plan, Step};
use crate::model::*;
use crate::render::sql::{ident, literal};

/// Steps grouped by when they must run inside the main migration.
#[derive(Default)]
struct Buckets {
    before: Vec<Step>,
    extensions: Vec<Step>,
    types: Vec<Step>,
    functions: Vec<Step>,
    drop_fks: Vec<Step>,
    drop_constraints: Vec<Step>,
    drop_indexes_main: Vec<Step>,
    drop_triggers: Vec<Step>,
    renames: Vec<Step>,
    create_tables: Vec<Step>,
    columns: Vec<Step>,
    enum_recreate: Vec<Step>,
    drop_columns: Vec<Step>,
    add_constraints: Vec<Step>,
    add_fks: Vec<Step>,
    drop_tables: Vec<Step>,
    drop_types: Vec<Step>,
    indexes_main: Vec<Step>,
    triggers: Vec<Step>,
    comments: Vec<Step>,
    after: Vec<Step>,
}

impl Buckets {
    /// The steps in the order that always applies.
    fn into_steps(self) -> Vec<Step> {
        [
            self.before,
            self.extensions,
            self.types,
            self.functions,
            self.drop_triggers,
            self.drop_fks,
            self.drop_constraints,
            self.drop_indexes_main,
            self.renames,
            self.enum_recreate,
            self.create_tables,
            self.columns,
            self.drop_columns,
            self.add_constraints,
            self.add_fks,
            self.drop_tables,
            self.drop_types,
            self.indexes_main,
            self.triggers,
            self.comments,
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

fn alter(t: &str, what: &str) -> String {
    format!("ALTER TABLE {} {what}", ddl::table(t))
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
            vec![format!("CREATE EXTENSION IF NOT EXISTS {}", ident(ext))],
        ));
    }

    enums(old, new, m, &mut b);

    if new.has_auto_update() && !old.has_auto_update() {
        b.functions.push(main(
            "create the shared auto-update trigger function",
            &[],
            ddl::trigger_function(),
        ));
    }

    for t in &m.created_tables {
        create_table(t, &mut b);
    }
    for p in &m.tables {
        table_pair(p, m, &mut b);
    }
    for t in &m.dropped_tables {
        b.drop_tables.push(needs(
            main(
                format!("drop table {}", t.name),
                &[Hazard::DeletesData, Hazard::AccessExclusiveLock],
                vec![format!("DROP TABLE {}", ddl::table(&t.name))],
            ),
            format!("drop_table:{}", t.name),
            format!("deletes every row of `{}`", t.name),
        ));
    }
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

fn enums(old: &Schema, new: &Schema, m: &Matched<'_>, b: &mut Buckets) {
    let _ = (old, new);
    for e in &m.created_enums {
        b.types.push(main(
            format!("create enum {}", e.name),
            &[],
            vec![ddl::create_enum(e)],
        ));
        if let Some(c) = ddl::enum_comment(e) {
            b.comments.push(main(
                format!("comment on enum {}", e.name),
                &[],
                vec![ddl::comment_type(&e.name, Some(&c))],
            ));
        }
    }
    for p in &m.enums {
        let (o, n) = (p.old, p.new);
        if o.name != n.name {
            b.types.push(main(
                format!("rename enum {} to {}", o.name, n.name),
                &[],
                vec![format!(
                    "ALTER TYPE {} RENAME TO {}",
                    ident(&o.name),
                    ident(&n.name)
                )],
            ));
        }
        for (from, to) in &p.values {
            if from != to {
                b.types.push(main(
                    format!("rename value {from} of enum {} to {to}", n.name),
                    &[],
                    vec![format!(
                        "ALTER TYPE {} RENAME VALUE {} TO {}",
                        ident(&n.name),
                        literal(from),
                        literal(to)
                    )],
                ));
            }
        }
        // The surviving values must keep their relative order for in-place additions.
        let survivors_new: Vec<&str> = n
            .values
            .iter()
            .map(|v| v.name.as_str())
            .filter(|v| !p.added.iter().any(|a| a == v))
            .collect();
        let survivors_old: Vec<&str> = o
            .values
            .iter()
            .filter_map(|v| {
                p.values
                    .iter()
                    .find(|(f, _)| *f == v.name)
                    .map(|(_, t)| t.as_str())
            })
            .collect();
        if p.removed.is_empty() && survivors_new == survivors_old {
            for (i, v) in n.values.iter().enumerate() {
                if !p.added.contains(&v.name) {
                    continue;
                }
                // Position: before the next surviving value, or after the previous one.
                let next = n.values[i + 1..]
                    .iter()
                    .find(|x| !p.added.contains(&x.name));
                let position = match next {
                    Some(x) => format!(" BEFORE {}", literal(&old_value_name(p, &x.name))),
                    None => match n.values[..i].last() {
                        Some(prev) => format!(" AFTER {}", literal(&old_value_name(p, &prev.name))),
                        None => String::new(),
                    },
                };
                // Runs before the main migration: use the enum's old name.
                b.before.push(step(
                    Phase::Before,
                    format!("add value {} to enum {}", v.name, n.name),
                    &[],
                    vec![format!(
                        "ALTER TYPE {} ADD VALUE IF NOT EXISTS {}{position}",
                        ident(&o.name),
                        literal(&v.name)
                    )],
                ));
            }
        } else {
            recreate_enum(p.new, &p.old.name, &p.removed, m, b);
        }
        if ddl::enum_comment(o) != ddl::enum_comment(n) {
            b.comments.push(main(
                format!("comment on enum {}", n.name),
                &[],
                vec![ddl::comment_type(&n.name, ddl::enum_comment(n).as_deref())],
            ));
        }
    }
    for e in &m.dropped_enums {
        b.drop_types.push(main(
            format!("drop enum {}", e.name),
            &[],
            vec![format!("DROP TYPE {}", ident(&e.name))],
        ));
    }
}

/// The name a new value had in the old enum (the same, unless renamed).
fn old_value_name(p: &super::matching::EnumPair<'_>, new_name: &str) -> String {
    p.values
        .iter()
        .find(|(_, t)| t == new_name)
        .map_or_else(|| new_name.to_string(), |(f, _)| f.clone())
}

/// Removing or reordering enum values: a new type, the columns converted, the old type dropped.
fn recreate_enum(e: &Enum, old_name: &str, removed: &[String], m: &Matched<'_>, b: &mut Buckets) {
    let tmp = crate::model::shorten_ident(&format!("{}__strata_old", e.name));
    let mut statements = vec![
        format!("ALTER TYPE {} RENAME TO {}", ident(&e.name), ident(&tmp)),
        ddl::create_enum(e),
    ];
    let mut columns = Vec::new();
    // Columns that held the old type and hold the new one (other type changes are steps of
    // their own).
    for p in &m.tables {
        for (oc, c) in &p.columns {
            if c.ty.base == BaseType::Enum(e.name.clone())
                && oc.ty.base == BaseType::Enum(old_name.to_string())
            {
                columns.push((p.new, *c));
            }
        }
    }
    for (t, c) in &columns {
        let ty = ddl::type_sql(&c.ty);
        let has_default = c.default.is_some();
        if has_default {
            statements.push(alter(
                &t.name,
                &format!("ALTER COLUMN {} DROP DEFAULT", ddl::col(&c.name)),
            ));
        }
        statements.push(alter(
            &t.name,
            &format!(
                "ALTER COLUMN {} TYPE {ty} USING {}::text{}::{ty}",
                ddl::col(&c.name),
                ddl::col(&c.name),
                if c.ty.array { "[]" } else { "" }
            ),
        ));
        if let Some(d) = ddl::default_sql(c) {
            statements.push(alter(
                &t.name,
                &format!("ALTER COLUMN {} SET DEFAULT {d}", ddl::col(&c.name)),
            ));
        }
    }
    // The old type goes only after the tables and columns this plan drops: they may still use
    // it (a table created with the value that is now removed).
    b.drop_types.push(main(
        format!("drop the replaced enum type {tmp}"),
        &[],
        vec![format!("DROP TYPE {}", ident(&tmp))],
    ));
    // The new type starts without the old one's comment.
    if let Some(c) = ddl::enum_comment(e) {
        statements.push(ddl::comment_type(&e.name, Some(&c)));
    }
    let mut s = main(
        format!("recreate enum {} (values removed or reordered)", e.name),
        &[
            Hazard::RewritesTable,
            Hazard::AccessExclusiveLock,
            Hazard::CanFailOnExistingRows,
        ],
        statements,
    );
    if !removed.is_empty() {
        let cols: Vec<String> = columns
            .iter()
            .map(|(t, c)| format!("{}.{}", t.name, c.name))
            .collect();
        s = needs(
            s,
            format!("remove_enum_value:{}.{}", e.name, removed.join(",")),
            format!(
                "fails if a row of {} still holds {}",
                if cols.is_empty() {
                    "any column".to_string()
                } else {
                    cols.join(", ")
                },
                removed
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        );
    }
    b.enum_recreate.push(s);
}

fn create_table(t: &Table, b: &mut Buckets) {
    b.create_tables.push(main(
        format!("create table {}", t.name),
        &[],
        ddl::create_table(t),
    ));
    for fk in &t.foreign_keys {
        b.add_fks.push(main(
            format!("add foreign key {} on {}", fk.name, t.name),
            &[],
            vec![alter(&t.name, &format!("ADD {}", ddl::fk_clause(fk)))],
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
    table_comments(None, t, &[], b);
}

/// Comments that changed. Indexes built concurrently after the main migration (`later`) get
/// their comment there instead.
fn table_comments(old: Option<&TablePair<'_>>, t: &Table, later: &[String], b: &mut Buckets) {
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
                vec![ddl::comment_index(&i.name, i.description.as_deref())],
            ));
        }
    }
}

/// A constraint or index of a table, comparable across a rename.
#[derive(PartialEq, Eq, Clone, Debug)]
enum Def {
    Pk(Vec<String>),
    Unique(Vec<String>, bool),
    Check(String),
    Fk(Vec<String>, String, Vec<String>, FkAction, FkAction),
    SingleRow,
}

struct Named<T> {
    name: String,
    def: T,
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
            def: Def::Unique(map(&u.columns), u.nulls_not_distinct),
        });
    }
    for c in &t.checks {
        out.push(Named {
            name: c.name.clone(),
            def: Def::Check(c.expr.clone()),
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
            ),
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

#[derive(PartialEq, Eq, Clone, Debug)]
struct IndexDef {
    keys: Vec<(IndexTarget, bool)>,
    unique: bool,
    method: IndexMethod,
    predicate: Option<String>,
}

fn index_def(i: &Index, rename_col: &dyn Fn(&str) -> String) -> IndexDef {
    IndexDef {
        keys: i
            .keys
            .iter()
            .map(|k| {
                let t = match &k.target {
                    IndexTarget::Column(c) => IndexTarget::Column(rename_col(c)),
                    IndexTarget::Expr(e) => IndexTarget::Expr(e.clone()),
                };
                (t, k.desc)
            })
            .collect(),
        unique: i.unique,
        method: i.method,
        predicate: i.predicate.clone(),
    }
}

/// Pairs old and new items: same name and definition (unchanged), same definition under another
/// name (renamed), the rest dropped or added.
type NamedPairs<'x, T> = (
    Vec<(&'x Named<T>, &'x Named<T>)>,
    Vec<&'x Named<T>>,
    Vec<&'x Named<T>>,
);

fn pair_named<'x, T: PartialEq>(old: &'x [Named<T>], new: &'x [Named<T>]) -> NamedPairs<'x, T> {
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

fn table_pair(p: &TablePair<'_>, m: &Matched<'_>, b: &mut Buckets) {
    let (o, n) = (p.old, p.new);
    let tn = &n.name;
    if o.name != n.name {
        b.renames.push(main(
            format!("rename table {} to {}", o.name, n.name),
            &[Hazard::AccessExclusiveLock],
            vec![format!(
                "ALTER TABLE {} RENAME TO {}",
                ddl::table(&o.name),
                ddl::table(&n.name)
            )],
        ));
    }
    for (oc, nc) in &p.columns {
        if oc.name != nc.name {
            b.renames.push(main(
                format!("rename column {tn}.{} to {}", oc.name, nc.name),
                &[Hazard::AccessExclusiveLock],
                vec![alter(
                    tn,
                    &format!(
                        "RENAME COLUMN {} TO {}",
                        ddl::col(&oc.name),
                        ddl::col(&nc.name)
                    ),
                )],
            ));
        }
    }

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
    let old_defs = constraint_defs(o, &rename_col, &rename_table);
    let new_defs = constraint_defs(n, &same, &same);
    let (pairs, added, dropped) = pair_named(&old_defs, &new_defs);
    let on_dropped_column = |d: &Def| -> bool {
        let cols: Vec<&String> = match d {
            Def::Pk(c) | Def::Unique(c, _) | Def::Fk(c, ..) => c.iter().collect(),
            _ => vec![],
        };
        cols.iter().any(|c| c.starts_with('\u{0}'))
    };
    for d in dropped {
        // Constraints on dropped columns go with the column; FKs to dropped tables are dropped.
        if on_dropped_column(&d.def) {
            continue;
        }
        let st = main(
            format!("drop constraint {} on {tn}", d.name),
            &[Hazard::AccessExclusiveLock],
            // Drops run before renames, so they name the table as it was.
            vec![alter(
                &o.name,
                &format!("DROP CONSTRAINT {}", ident(&d.name)),
            )],
        );
        if matches!(d.def, Def::Fk(..)) {
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
                    &format!(
                        "RENAME CONSTRAINT {} TO {}",
                        ident(&od.name),
                        ident(&nd.name)
                    ),
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
        add_constraint(n, &a.name, p, replaces_fk, b);
    }

    let old_ix: Vec<Named<IndexDef>> = o
        .indexes
        .iter()
        .map(|i| Named {
            name: i.name.clone(),
            def: index_def(i, &rename_col),
        })
        .collect();
    let new_ix: Vec<Named<IndexDef>> = n
        .indexes
        .iter()
        .map(|i| Named {
            name: i.name.clone(),
            def: index_def(i, &same),
        })
        .collect();
    let (ipairs, iadded, idropped) = pair_named(&old_ix, &new_ix);
    let new_constraint_names: Vec<&str> = new_defs.iter().map(|d| d.name.as_str()).collect();
    let on_dropped_column = |d: &Named<IndexDef>| {
        d.def
            .keys
            .iter()
            .any(|(t, _)| matches!(t, IndexTarget::Column(c) if c.starts_with('\u{0}')))
    };
    // An index changed under the same name is rebuilt without a window where it is missing:
    // built concurrently under a temporary name, then swapped in (see below).
    let rebuilt: Vec<String> = idropped
        .iter()
        .filter(|d| !on_dropped_column(d) && !new_constraint_names.contains(&d.name.as_str()))
        .filter(|d| iadded.iter().any(|a| a.name == d.name))
        .map(|d| d.name.clone())
        .collect();
    // Concurrent drops wait until this table's new indexes are built: an index that replaces
    // one (a unique index over an automatic foreign-key index's columns) is in place first, and
    // a failed build leaves the old one.
    let mut late_drops = Vec::new();
    for d in idropped {
        if on_dropped_column(d) || rebuilt.contains(&d.name) {
            continue;
        }
        if new_constraint_names.contains(&d.name.as_str())
            || iadded.iter().any(|a| a.name == d.name)
        {
            // The name is reused in this migration: drop it in the main transaction first.
            b.drop_indexes_main.push(main(
                format!("drop index {} on {tn}", d.name),
                &[Hazard::AccessExclusiveLock],
                vec![format!("DROP INDEX {}", ident(&d.name))],
            ));
        } else {
            late_drops.push(step(
                Phase::After,
                format!("drop index {} on {tn}", d.name),
                &[],
                vec![format!(
                    "DROP INDEX CONCURRENTLY IF EXISTS {}",
                    ident(&d.name)
                )],
            ));
        }
    }
    for (od, nd) in &ipairs {
        if od.name != nd.name {
            b.renames.push(main(
                format!("rename index {} to {}", od.name, nd.name),
                &[],
                vec![format!(
                    "ALTER INDEX {} RENAME TO {}",
                    ident(&od.name),
                    ident(&nd.name)
                )],
            ));
        }
    }
    let mut built_later = Vec::new();
    for a in iadded {
        let Some(i) = n.indexes.iter().find(|i| i.name == a.name) else {
            continue;
        };
        built_later.push(i.name.clone());
        let mut hazards = vec![Hazard::BuildsIndex, Hazard::ScansTable];
        if i.unique {
            hazards.push(Hazard::CanFailOnExistingRows);
        }
        let mut s = if rebuilt.contains(&i.name) {
            let tmp = shorten_ident(&format!("{}__strata_new", i.name));
            let building = Index {
                name: tmp.clone(),
                ..i.clone()
            };
            step(
                Phase::After,
                format!("rebuild index {} on {tn}", i.name),
                &hazards,
                vec![
                    ddl::create_index(n, &building, true),
                    format!("DROP INDEX CONCURRENTLY IF EXISTS {}", ident(&i.name)),
                    format!(
                        "ALTER INDEX IF EXISTS {} RENAME TO {}",
                        ident(&tmp),
                        ident(&i.name)
                    ),
                ],
            )
        } else {
            step(
                Phase::After,
                format!("create index {} on {tn}", i.name),
                &hazards,
                vec![ddl::create_index(n, i, true)],
            )
        };
        if i.unique {
            s = needs(
                s,
                format!("add_unique:{}", i.name),
                format!("fails if `{tn}` already holds duplicates on the index's keys"),
            );
        }
        b.after.push(s);
        if i.description.is_some() {
            b.after.push(step(
                Phase::After,
                format!("comment on index {}", i.name),
                &[],
                vec![ddl::comment_index(&i.name, i.description.as_deref())],
            ));
        }
    }
    b.after.extend(late_drops);

    // The trigger (one name per table) moves with a renamed table, but it passes column names
    // as arguments: a renamed column needs a new trigger.
    let old_auto: Vec<&str> = o.auto_update_columns().map(|c| c.name.as_str()).collect();
    let new_auto: Vec<&str> = n.auto_update_columns().map(|c| c.name.as_str()).collect();
    let had = !old_auto.is_empty();
    // The trigger is in place during the column steps unless it is replaced (dropped first).
    let touch_live = had && old_auto == new_auto;
    for c in &p.added {
        add_column(n, c, touch_live, b);
    }
    for (oc, nc) in &p.columns {
        alter_column(n, oc, nc, m, touch_live, b);
    }
    for c in &p.dropped {
        b.drop_columns.push(needs(
            main(
                format!("drop column {tn}.{}", c.name),
                &[Hazard::DeletesData, Hazard::AccessExclusiveLock],
                vec![alter(tn, &format!("DROP COLUMN {}", ddl::col(&c.name)))],
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
                vec![format!(
                    "DROP TRIGGER IF EXISTS {} ON {}",
                    ident(ddl::trigger_name()),
                    ddl::table(&o.name)
                )],
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
    table_comments(Some(p), n, &built_later, b);
}

fn add_constraint(t: &Table, name: &str, p: &TablePair<'_>, replaces_fk: bool, b: &mut Buckets) {
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
            vec![alter(tn, &format!("ADD {}", ddl::pk_clause(pk)))],
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
            vec![alter(tn, &format!("ADD {}", ddl::unique_clause(u)))],
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
    } else if let Some(c) = t.checks.iter().find(|c| c.name == name) {
        b.add_constraints.push(needs(
            main(
                format!("add check {name} on {tn}"),
                &[Hazard::ScansTable, Hazard::CanFailOnExistingRows],
                vec![
                    alter(tn, &format!("ADD {} NOT VALID", ddl::check_clause(c))),
                    alter(tn, &format!("VALIDATE CONSTRAINT {}", ident(name))),
                ],
            ),
            format!("add_check:{name}"),
            format!("fails if a row of `{tn}` does not satisfy `{}`", c.expr),
        ));
    } else if let Some(f) = t.foreign_keys.iter().find(|f| f.name == name) {
        let mut s = main(
            format!("add foreign key {name} on {tn}"),
            &[Hazard::ScansTable, Hazard::CanFailOnExistingRows],
            vec![
                alter(tn, &format!("ADD {} NOT VALID", ddl::fk_clause(f))),
                alter(tn, &format!("VALIDATE CONSTRAINT {}", ident(name))),
            ],
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

/// `UPDATE … SET c = <backfill> WHERE c IS NULL`. When the table's auto-update trigger is in
/// place at that point of the migration (`touch_live`), it is disabled around the UPDATE (inside
/// the migration's transaction, so no other session sees it off): a backfill must not mark every
/// row as updated.
fn backfill(tn: &str, c: &Column, expr: &str, touch_live: bool) -> Vec<String> {
    let cn = ddl::col(&c.name);
    let update = format!(
        "UPDATE {} SET {cn} = {expr} WHERE {cn} IS NULL",
        ddl::table(tn)
    );
    if touch_live {
        let trigger = ident(ddl::trigger_name());
        vec![
            alter(tn, &format!("DISABLE TRIGGER {trigger}")),
            update,
            alter(tn, &format!("ENABLE TRIGGER {trigger}")),
        ]
    } else {
        vec![update]
    }
}

fn add_column(t: &Table, c: &Column, touch_live: bool, b: &mut Buckets) {
    let tn = &t.name;
    let volatile = matches!(&c.default, Some(Default::Sql(e)) if is_volatile(e));
    let mut hazards = vec![Hazard::AccessExclusiveLock];
    if volatile || c.identity.is_some() {
        hazards.push(Hazard::RewritesTable);
    }
    if !c.nullable && !c.has_database_value() {
        // NOT NULL without a default: add it nullable, backfill, then enforce.
        let mut statements = vec![alter(
            tn,
            &format!("ADD COLUMN {}", ddl::column_def(c, false)),
        )];
        match &c.backfill {
            Some(expr) => {
                statements.extend(backfill(tn, c, expr, touch_live));
                statements.extend(set_not_null(tn, c));
                b.columns.push(main(
                    format!("add column {tn}.{} (NOT NULL, backfilled)", c.name),
                    &[Hazard::AccessExclusiveLock, Hazard::ScansTable],
                    statements,
                ));
            }
            None => {
                statements.extend(set_not_null(tn, c));
                b.columns.push(needs(
                    main(
                        format!("add column {tn}.{} (NOT NULL, no default)", c.name),
                        &[Hazard::AccessExclusiveLock, Hazard::CanFailOnExistingRows],
                        statements,
                    ),
                    format!("set_not_null:{tn}.{}", c.name),
                    format!(
                        "fails if `{tn}` has rows: give `{}` a default or a `backfill:`",
                        c.name
                    ),
                ));
            }
        }
        return;
    }
    b.columns.push(main(
        format!("add column {tn}.{}", c.name),
        &hazards,
        vec![alter(
            tn,
            &format!("ADD COLUMN {}", ddl::column_def(c, true)),
        )],
    ));
}

/// `SET NOT NULL` without a long ACCESS EXCLUSIVE scan: a validated check first (PostgreSQL 12+
/// then skips the scan), then the check is dropped.
fn set_not_null(tn: &str, c: &Column) -> Vec<String> {
    let check = crate::model::shorten_ident(&format!("{tn}_{}_not_null", c.name));
    vec![
        alter(
            tn,
            &format!(
                "ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID",
                ident(&check),
                ddl::col(&c.name)
            ),
        ),
        alter(tn, &format!("VALIDATE CONSTRAINT {}", ident(&check))),
        alter(
            tn,
            &format!("ALTER COLUMN {} SET NOT NULL", ddl::col(&c.name)),
        ),
        alter(tn, &format!("DROP CONSTRAINT {}", ident(&check))),
    ]
}

fn is_volatile(expr: &str) -> bool {
    let e = expr.to_ascii_lowercase();
    [
        "random(",
        "gen_random_uuid(",
        "uuid_generate",
        "clock_timestamp(",
        "nextval(",
    ]
    .iter()
    .any(|f| e.contains(f))
}

fn alter_column(
    t: &Table,
    o: &Column,
    n: &Column,
    m: &Matched<'_>,
    touch_live: bool,
    b: &mut Buckets,
) {
    let tn = &t.name;
    let cn = ddl::col(&n.name);
    // An enum renamed in this plan is the same type under its new name.
    let old_ty = match &o.ty.base {
        BaseType::Enum(e) => match m.enums.iter().find(|p| &p.old.name == e) {
            Some(p) => ColumnType {
                base: BaseType::Enum(p.new.name.clone()),
                array: o.ty.array,
            },
            None => o.ty.clone(),
        },
        _ => o.ty.clone(),
    };
    if old_ty != n.ty {
        let (safe, rewrite) = type_change_safety(&o.ty, &n.ty);
        let ty = ddl::type_sql(&n.ty);
        let mut statements = Vec::new();
        if o.default.is_some() {
            statements.push(alter(tn, &format!("ALTER COLUMN {cn} DROP DEFAULT")));
        }
        let using =
            if matches!(n.ty.base, BaseType::Enum(_)) || matches!(o.ty.base, BaseType::Enum(_)) {
                format!(
                    " USING {cn}::text{}::{ty}",
                    if o.ty.array { "[]" } else { "" }
                )
            } else {
                format!(" USING {cn}::{ty}")
            };
        if !safe {
            // The explicit cast would truncate or round silently: check every row first, under
            // a lock that keeps writers out until the change is made.
            statements.insert(
                0,
                format!("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE", ddl::table(tn)),
            );
            statements.insert(
                1,
                crate::render::sql::lossless_conversion(
                    tn,
                    &n.name,
                    &o.ty,
                    &n.ty,
                    using.trim_start().trim_start_matches("USING "),
                ),
            );
        }
        statements.push(alter(tn, &format!("ALTER COLUMN {cn} TYPE {ty}{using}")));
        if let Some(d) = ddl::default_sql(n) {
            statements.push(alter(tn, &format!("ALTER COLUMN {cn} SET DEFAULT {d}")));
        }
        let mut hazards = vec![Hazard::AccessExclusiveLock];
        if rewrite {
            hazards.push(Hazard::RewritesTable);
        }
        if !safe {
            hazards.push(Hazard::CanFailOnExistingRows);
            hazards.push(Hazard::CouldLoseData);
        }
        let mut s = main(
            format!("change type of {tn}.{} from {} to {}", n.name, o.ty, n.ty),
            &hazards,
            statements,
        );
        if !safe {
            s = needs(
                s,
                format!("change_type:{tn}.{}", n.name),
                format!(
                    "data loss: a value of `{tn}.{}` may not fit `{}`; the migration counts such rows first and fails, naming how many, rather than truncate or round them",
                    n.name, n.ty
                ),
            );
        }
        b.columns.push(s);
    } else if o.default != n.default {
        let st = match ddl::default_sql(n) {
            Some(d) => alter(tn, &format!("ALTER COLUMN {cn} SET DEFAULT {d}")),
            None => alter(tn, &format!("ALTER COLUMN {cn} DROP DEFAULT")),
        };
        b.columns.push(main(
            format!("change default of {tn}.{}", n.name),
            &[],
            vec![st],
        ));
    }
    if o.identity != n.identity {
        let st = match (o.identity, n.identity) {
            (None, Some(i)) => alter(
                tn,
                &format!(
                    "ALTER COLUMN {cn} ADD GENERATED {} AS IDENTITY",
                    identity_kw(i)
                ),
            ),
            (Some(_), None) => alter(tn, &format!("ALTER COLUMN {cn} DROP IDENTITY IF EXISTS")),
            (Some(_), Some(i)) => alter(
                tn,
                &format!("ALTER COLUMN {cn} SET GENERATED {}", identity_kw(i)),
            ),
            (None, None) => String::new(),
        };
        let mut statements = vec![st];
        if o.identity.is_none() && n.identity.is_some() {
            // A new identity starts at 1; existing keys (from a serial sequence or given by
            // hand) would collide with the next inserts.
            statements.push(crate::render::sql::sequence_past_max(tn, &n.name));
        }
        b.columns.push(main(
            format!("change identity of {tn}.{}", n.name),
            &[Hazard::AccessExclusiveLock],
            statements,
        ));
    }
    if o.nullable && !n.nullable {
        let mut statements = Vec::new();
        if let Some(expr) = &n.backfill {
            statements.extend(backfill(tn, n, expr, touch_live));
        }
        statements.extend(set_not_null(tn, n));
        let mut s = main(
            format!(
                "make {tn}.{} NOT NULL{}",
                n.name,
                if n.backfill.is_some() {
                    " (backfilled)"
                } else {
                    ""
                }
            ),
            &[Hazard::ScansTable, Hazard::CanFailOnExistingRows],
            statements,
        );
        if n.backfill.is_none() {
            s = needs(
                s,
                format!("set_not_null:{tn}.{}", n.name),
                format!(
                    "fails if `{tn}.{}` holds NULLs; add `backfill:` to the column to fill them",
                    n.name
                ),
            );
        }
        b.columns.push(s);
    } else if !o.nullable && n.nullable {
        b.columns.push(main(
            format!("make {tn}.{} nullable", n.name),
            &[],
            vec![alter(tn, &format!("ALTER COLUMN {cn} DROP NOT NULL"))],
        ));
    }
}

fn identity_kw(i: Identity) -> &'static str {
    match i {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

/// Whether a type change keeps every value (`safe`) and whether PostgreSQL rewrites the table.
fn type_change_safety(o: &ColumnType, n: &ColumnType) -> (bool, bool) {
    use BaseType::*;
    if o.array != n.array {
        return (false, true);
    }
    match (&o.base, &n.base) {
        (Varchar(Some(a)), Varchar(Some(b))) => (b >= a, false),
        (Varchar(_), Varchar(None)) | (Varchar(_), Text) | (Char(_), Text) => (true, false),
        (Text, Varchar(None)) => (true, false),
        (Text, Varchar(Some(_))) | (Varchar(None), Varchar(Some(_))) => (false, false),
        (Char(a), Char(b)) => (b >= a, true),
        (Numeric(Some((p1, s1))), Numeric(Some((p2, s2)))) => {
            (p2 - s2 >= p1 - s1 && s2 >= s1, !(s1 == s2 && p2 >= p1))
        }
        (Numeric(Some(_)), Numeric(None)) => (true, false),
        (SmallInt, Integer) | (SmallInt, BigInt) | (Integer, BigInt) => (true, true),
        (SmallInt | Integer | BigInt, Numeric(None)) => (true, true),
        (Real, Double) => (true, true),
        (Timestamp, Timestamptz) | (Timestamptz, Timestamp) => (true, true),
        (Json, Jsonb) => (true, true),
        (Jsonb, Json) => (true, true),
        (_, Text) => (true, true),
        _ => (false, true),
    }
}
