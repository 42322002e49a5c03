//! The order tables are created in, and which foreign keys must wait until every table exists.

use crate::model::{ForeignKey, Schema, Table};
use std::collections::{BTreeMap, BTreeSet};

/// Where a foreign key is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FkPlacement {
    /// In its table's `CREATE TABLE`: the target table and its key exist already.
    Inline,
    /// `ALTER TABLE … ADD` once every table exists: a self-reference or a cycle.
    AfterTables,
    /// `ALTER TABLE … ADD` once the indexes exist: the referenced columns are unique only through
    /// a unique index, not a primary key or unique constraint.
    AfterIndexes,
}

/// Tables in creation order (indexes into `schema.tables`) and each foreign key's placement
/// (`placements[table][fk]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableOrder {
    pub tables: Vec<usize>,
    pub placements: Vec<Vec<FkPlacement>>,
}

/// Kahn's algorithm over the foreign keys, the ready set ordered by declaration: a table comes
/// after every table it references, otherwise in the order it was declared. When only tables
/// in cycles are left, the first declared table whose every remaining dependency leads back to
/// it is created next, and its references to tables not yet created are added later. The
/// result is the same on every run.
pub fn table_order(schema: &Schema) -> TableOrder {
    let tables = &schema.tables;
    let by_name: BTreeMap<&str, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let target = |fk: &ForeignKey| by_name.get(fk.ref_table.as_str()).copied();

    // deps[t]: the tables t must follow; dependents[u]: the tables that wait for u.
    let mut deps: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); tables.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); tables.len()];
    for (t, table) in tables.iter().enumerate() {
        for fk in &table.foreign_keys {
            if let Some(u) = target(fk)
                && u != t
                && constraint_backed(&tables[u], fk)
                && deps[t].insert(u)
            {
                dependents[u].push(t);
            }
        }
    }

    let mut remaining: Vec<usize> = deps.iter().map(BTreeSet::len).collect();
    let mut ready: BTreeSet<usize> = (0..tables.len()).filter(|&t| remaining[t] == 0).collect();
    let mut created = vec![false; tables.len()];
    let mut order = Vec::with_capacity(tables.len());
    while order.len() < tables.len() {
        let next = match ready.pop_first() {
            Some(t) => t,
            None => break_cycle(&deps, &created),
        };
        created[next] = true;
        order.push(next);
        for &d in &dependents[next] {
            remaining[d] -= 1;
            if remaining[d] == 0 && !created[d] {
                ready.insert(d);
            }
        }
    }

    let mut position = vec![0; tables.len()];
    for (p, &t) in order.iter().enumerate() {
        position[t] = p;
    }
    let placements = tables
        .iter()
        .enumerate()
        .map(|(t, table)| {
            table
                .foreign_keys
                .iter()
                .map(|fk| match target(fk) {
                    Some(u) if !constraint_backed(&tables[u], fk) => FkPlacement::AfterIndexes,
                    // `NOT VALID` exists only in `ALTER TABLE … ADD`.
                    Some(u) if u != t && position[u] < position[t] && !fk.not_valid => {
                        FkPlacement::Inline
                    }
                    _ => FkPlacement::AfterTables,
                })
                .collect()
        })
        .collect();
    TableOrder {
        tables: order,
        placements,
    }
}

/// Whether the columns a foreign key references are the target's primary key or one of its
/// unique constraints (which exist as soon as the table does).
fn constraint_backed(target: &Table, fk: &ForeignKey) -> bool {
    let same = |cols: &[String]| {
        let a: BTreeSet<&String> = cols.iter().collect();
        let b: BTreeSet<&String> = fk.ref_columns.iter().collect();
        cols.len() == fk.ref_columns.len() && a == b
    };
    target
        .primary_key
        .as_ref()
        .is_some_and(|pk| same(&pk.columns))
        || target.uniques.iter().any(|u| same(&u.columns))
}

/// The table to create when every table left waits for another: the first declared one whose
/// remaining dependencies all lead back to it (a member of a cycle that waits for nothing
/// outside its cycles), else the first declared one left.
fn break_cycle(deps: &[BTreeSet<usize>], created: &[bool]) -> usize {
    let left: Vec<usize> = (0..deps.len()).filter(|&t| !created[t]).collect();
    for &c in &left {
        let reach = reachable(deps, created, c);
        if reach
            .iter()
            .all(|&r| reachable(deps, created, r).contains(&c))
        {
            return c;
        }
    }
    left[0]
}

/// The tables not yet created that `from` waits for, directly or not.
fn reachable(deps: &[BTreeSet<usize>], created: &[bool], from: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(t) = stack.pop() {
        for &u in &deps[t] {
            if !created[u] && seen.insert(u) {
                stack.push(u);
            }
        }
    }
    seen
}
