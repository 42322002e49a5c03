//! Views and materialized views: created after the tables and functions they read, dropped
//! before the changes under them, replaced in place where PostgreSQL allows it, renamed by hint.
//!
//! - A view that reads something the migration drops, renames or changes the type of (a table,
//!   a column, an enum or domain, a view that is itself re-created) is dropped at the start of
//!   the main migration and created again at its end, with its indexes and comments, in the
//!   order of [`crate::deps`] (views over views after what they read, dropped in reverse).
//! - A changed plain view whose leading columns stay the same (same names, same expressions
//!   over the same relations) and that only appends columns is `CREATE OR REPLACE`d; any other
//!   change, and every change of a materialized view, drops and creates it (`WITH DATA`, so the
//!   new materialized view is populated in the migration).
//! - Dropping a view is not a destructive step: a view holds no rows, and a materialized view's
//!   rows are computed again from its query whenever it is created.

use super::{Buckets, main};
use crate::deps::{self, Changes, Dependent, ObjectName};
use crate::model::{BaseType, IndexTarget, Schema, View};
use crate::plan::Hazard;
use crate::plan::matching::Matched;
use crate::render::sql::{self, DropIndex};
use serde_json::Value;
use std::collections::BTreeSet;

pub(super) fn views(old: &Schema, new: &Schema, m: &Matched<'_>, b: &mut Buckets) {
    let (pairs, created, dropped) = &m.views;
    let changes = changes(old, m);
    let affected = deps::affected(old, &changes, |r| deps::columns_of(old, r));
    let mut recreate: BTreeSet<ObjectName> =
        affected.iter().map(|a| a.object.name.clone()).collect();
    recreate.extend(dropped.iter().map(|v| v.object().name));

    // Drops, in the reverse of the old schema's creation order.
    for (o, _) in deps::dependents(old).iter().rev() {
        if !recreate.contains(&o.name) {
            continue;
        }
        let Some(v) = old.views.iter().find(|v| v.object() == *o) else {
            continue;
        };
        let why = affected
            .iter()
            .find(|a| a.object == *o)
            .map(|a| match a.chain.last() {
                Some(through) => format!(" (it reads {through}, re-created)"),
                None if dropped.iter().any(|d| d.object() == *o) => String::new(),
                None => " (to re-create it)".into(),
            })
            .unwrap_or_default();
        b.drop_views.push(main(
            format!("drop {} {}{why}", v.kind(), v.name),
            &[Hazard::AccessExclusiveLock],
            vec![sql::drop_view(v).sql],
        ));
    }

    // Renames of views that stay.
    for (o, n) in pairs {
        if o.name != n.name && !recreate.contains(&o.object().name) {
            b.renames.push(main(
                format!("rename {} {} to {}", o.kind(), o.name, n.name),
                &[Hazard::AccessExclusiveLock],
                vec![sql::rename_view(o, &n.name).sql],
            ));
        }
    }

    // Creates and replacements, in the new schema's creation order.
    for (obj, _) in deps::dependents(new) {
        let Some(n) = new.views.iter().find(|v| v.object() == obj) else {
            continue;
        };
        let old_of = pairs
            .iter()
            .find(|(_, x)| std::ptr::eq(*x, n))
            .map(|(o, _)| *o);
        let is_new = created.iter().any(|c| std::ptr::eq(*c, n));
        match old_of {
            Some(o) if !recreate.contains(&o.object().name) => kept(old, new, o, n, b),
            _ => {
                let what = if is_new { "create" } else { "re-create" };
                b.create_views.push(main(
                    format!("{what} {} {}", n.kind(), n.name),
                    &[],
                    sql::view_statements(n).into_iter().map(|s| s.sql).collect(),
                ));
            }
        }
    }
}

/// What the migration changes under the old schema's views.
fn changes(old: &Schema, m: &Matched<'_>) -> Changes {
    let mut c = Changes::default();
    let rel = |name: &str| ObjectName::new(None, name);
    for t in &m.dropped_tables {
        c.relations.insert(rel(&t.name));
    }
    for p in &m.tables {
        if p.old.name != p.new.name {
            c.relations.insert(rel(&p.old.name));
        }
        for col in &p.dropped {
            c.columns.insert((rel(&p.old.name), col.name.clone()));
        }
        for (oc, nc) in &p.columns {
            if oc.name != nc.name || m.retyped(oc, nc) {
                c.columns.insert((rel(&p.old.name), oc.name.clone()));
            }
        }
    }
    for e in &m.dropped_enums {
        c.types.insert(rel(&e.name));
    }
    for e in &m.enums {
        if !e.removed.is_empty() || e.old.name != e.new.name {
            c.types.insert(rel(&e.old.name));
        }
    }
    // A re-created enum changes the type of every column of it.
    for t in &old.tables {
        for col in &t.columns {
            if let BaseType::Enum(e) | BaseType::Domain(e) = &col.ty.base
                && c.types.contains(&rel(e))
            {
                c.columns.insert((rel(&t.name), col.name.clone()));
            }
        }
    }
    // A function dropped and created again takes the views calling it with it.
    for f in &m.recreated_functions {
        c.functions.insert(ObjectName::new(None, f));
    }
    let (pairs, _, dropped) = &m.views;
    for v in dropped {
        c.relations.insert(v.object().name);
    }
    for (o, n) in pairs {
        if o.schema != n.schema || needs_recreate(old, o, n) {
            c.objects.insert(o.object());
        }
    }
    c
}

/// Whether a changed view cannot be replaced in place.
fn needs_recreate(old: &Schema, o: &View, n: &View) -> bool {
    if o.query == n.query && o.options() == n.options() {
        return false;
    }
    if o.materialized || n.materialized {
        return true;
    }
    !appends_only(old, o, n)
}

/// Whether `n`'s query returns `o`'s columns first, each the same expression, over the
/// relations `o` reads (so with the same types), and only appends columns after them.
fn appends_only(old: &Schema, o: &View, n: &View) -> bool {
    let (Some(ot), Some(nt)) = (targets(&o.query), targets(&n.query)) else {
        return false;
    };
    if ot.len() > nt.len() || ot.iter().zip(&nt).any(|(a, b)| a != b) {
        return false;
    }
    if ot.iter().any(|t| t.to_string().contains("AStar")) {
        return false; // `*` would expand to the tables' columns as they are now
    }
    let (or, nr) = (deps::query_reads(&o.query), deps::query_reads(&n.query));
    let (oc, nc) = (
        deps::query_columns(&o.query, |r| deps::columns_of(old, r)),
        deps::query_columns(&n.query, |r| deps::columns_of(old, r)),
    );
    or.relations.is_subset(&nr.relations)
        && match (oc, nc) {
            (Some(a), Some(b)) => b.starts_with(&a),
            _ => false,
        }
}

/// The target list of a plain `SELECT` (no set operation) as parse trees without locations.
fn targets(query: &str) -> Option<Vec<Value>> {
    let parsed = pg_query::parse(query, 0).ok()?;
    let mut tree = serde_json::to_value(&parsed.protobuf).ok()?;
    strip_locations(&mut tree);
    let select = tree.pointer("/stmts/0/stmt/node/SelectStmt")?;
    if select.get("larg").is_some_and(|l| !l.is_null()) {
        return None;
    }
    Some(select.get("target_list")?.as_array()?.clone())
}

fn strip_locations(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("location");
            m.values_mut().for_each(strip_locations);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_locations),
        _ => {}
    }
}

/// A view that stays (perhaps renamed, replaced or with new indexes or comments).
fn kept(_old: &Schema, _new: &Schema, o: &View, n: &View, b: &mut Buckets) {
    if o.query != n.query || o.options() != n.options() {
        b.create_views.push(main(
            format!("replace view {} (same leading columns)", n.name),
            &[Hazard::AccessExclusiveLock],
            vec![sql::replace_view(n).sql],
        ));
    }
    // A materialized view's indexes, by name.
    for oi in &o.indexes {
        let same = n.indexes.iter().find(|i| i.name == oi.name);
        if same.is_none_or(|i| !same_index(oi, i)) {
            b.drop_views.push(main(
                format!("drop index {} on {}", oi.name, n.name),
                &[Hazard::AccessExclusiveLock],
                vec![
                    DropIndex {
                        name: &oi.name,
                        concurrently: false,
                        if_exists: false,
                    }
                    .to_string(),
                ],
            ));
        }
    }
    for ni in &n.indexes {
        let before = o.indexes.iter().find(|i| i.name == ni.name);
        if before.is_none_or(|i| !same_index(i, ni)) {
            let mut statements = vec![sql::create_view_index(n, ni).sql];
            if let Some(d) = &ni.description {
                statements.push(sql::comment_on_index(&ni.name, Some(d)).sql);
            }
            b.create_views.push(main(
                format!("create index {} on {}", ni.name, n.name),
                &[Hazard::BuildsIndex],
                statements,
            ));
        } else if before.map(|i| &i.description) != Some(&ni.description) {
            b.comments.push(main(
                format!("comment on index {}", ni.name),
                &[],
                vec![sql::comment_on_index(&ni.name, ni.description.as_deref()).sql],
            ));
        }
    }
    if o.description != n.description {
        b.comments.push(main(
            format!("comment on {} {}", n.kind(), n.name),
            &[],
            vec![sql::comment_on_view(n, n.description.as_deref()).sql],
        ));
    }
    let described = |v: &View, c: &str| {
        v.columns
            .iter()
            .find(|x| x.name == c)
            .and_then(|x| x.description.clone())
    };
    let mut names: Vec<&str> = o.columns.iter().map(|c| c.name.as_str()).collect();
    names.extend(n.columns.iter().map(|c| c.name.as_str()));
    let mut seen = BTreeSet::new();
    for c in names.into_iter().filter(|c| seen.insert(*c)) {
        let (was, now) = (described(o, c), described(n, c));
        if was != now {
            b.comments.push(main(
                format!("comment on column {}.{c}", n.name),
                &[],
                vec![sql::comment_on_view_column(n, c, now.as_deref()).sql],
            ));
        }
    }
}

fn same_index(a: &crate::model::Index, b: &crate::model::Index) -> bool {
    let keys = |i: &crate::model::Index| {
        i.keys
            .iter()
            .map(|k| match &k.target {
                IndexTarget::Column(c) => (c.clone(), k.desc),
                IndexTarget::Expr(e) => (e.clone(), k.desc),
            })
            .collect::<Vec<_>>()
    };
    keys(a) == keys(b)
        && a.unique == b.unique
        && a.method == b.method
        && a.predicate == b.predicate
        && a.include == b.include
        && a.nulls_not_distinct == b.nulls_not_distinct
        && a.with == b.with
}
