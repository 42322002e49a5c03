//! Partitions of a partitioned table that stays: created (`CREATE TABLE … PARTITION OF`),
//! dropped (`DETACH PARTITION`, then `DROP TABLE`, with consent), given a new bound (detached
//! and attached again: PostgreSQL checks every row against the new bound), and commented.
//! Columns, constraints and indexes change on the parent only; PostgreSQL carries them to
//! the partitions.
//!
//! What PostgreSQL cannot change in place is refused before any step is planned
//! ([`check`]): a new partition key, a plain table made partitioned (or the reverse), a key
//! column dropped or given another type.

use super::{Buckets, main, needs};
use crate::model::*;
use crate::plan::matching::{Matched, TablePair};
use crate::plan::{Hazard, PlanError};
use crate::render::sql::{self, DropTable};

/// Refuses the partitioning changes PostgreSQL has no statement for.
pub(crate) fn check(m: &Matched<'_>) -> Result<(), PlanError> {
    for p in &m.tables {
        let (o, n) = (p.old, p.new);
        let refuse = |message: String, help: &str| {
            Err(PlanError::Partitioning {
                table: n.name.clone(),
                message,
                help: help.to_string(),
            })
        };
        match (&o.partition_by, &n.partition_by) {
            (None, None) => continue,
            (None, Some(_)) => {
                return refuse(
                    format!("table `{}` becomes partitioned", n.name),
                    "PostgreSQL cannot partition an existing table: declare a new partitioned table, copy the rows into it (INSERT … SELECT), then drop the old one and rename the new one with `renamed_from`",
                );
            }
            (Some(_), None) => {
                return refuse(
                    format!("table `{}` is no longer partitioned", n.name),
                    "PostgreSQL cannot turn a partitioned table into a plain one: declare a new table, copy the rows into it, then drop the partitioned one",
                );
            }
            (Some(a), Some(b)) => {
                if !same_key(p, a, b) {
                    return refuse(
                        format!(
                            "the partition key of `{}` changes from {} ({}) to {} ({})",
                            n.name,
                            a.strategy.key(),
                            a.columns.join(", "),
                            b.strategy.key(),
                            b.columns.join(", ")
                        ),
                        "PostgreSQL cannot change a partition key: declare a new partitioned table with the new key, copy the rows into it, then drop the old one",
                    );
                }
                for c in &a.columns {
                    match p.columns.iter().find(|(oc, _)| &oc.name == c) {
                        None => {
                            return refuse(
                                format!("column `{}.{c}` of the partition key is dropped", o.name),
                                "PostgreSQL cannot drop a partition key column; keep it",
                            );
                        }
                        Some((oc, nc)) if oc.ty != nc.ty => {
                            return refuse(
                                format!(
                                    "column `{}.{}` of the partition key changes type from {} to {}",
                                    n.name, nc.name, oc.ty, nc.ty
                                ),
                                "PostgreSQL cannot change the type of a partition key column; keep its type",
                            );
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        let old_all = o.all_partitions();
        for (_, np) in n.all_partitions() {
            if let Some((_, op)) = old_all.iter().find(|(_, x)| x.name == np.name) {
                let key = |x: &Partition| {
                    x.partition_by
                        .as_ref()
                        .map(|b| (b.strategy, b.columns.clone()))
                };
                if key(op) != key(np) {
                    return refuse(
                        format!(
                            "partition `{}` of `{}` changes its own partition key",
                            np.name, n.name
                        ),
                        "PostgreSQL cannot change a partition key: declare a partition under another name and drop this one",
                    );
                }
            }
        }
    }
    Ok(())
}

/// The two keys are the same once the old key's columns are renamed.
fn same_key(p: &TablePair<'_>, a: &PartitionBy, b: &PartitionBy) -> bool {
    let renamed: Vec<String> = a
        .columns
        .iter()
        .map(|c| {
            p.columns
                .iter()
                .find(|(oc, _)| &oc.name == c)
                .map_or_else(|| c.clone(), |(_, nc)| nc.name.clone())
        })
        .collect();
    a.strategy == b.strategy && renamed == b.columns
}

/// The partition steps of a table that stays (both sides partitioned by the same key).
pub(super) fn partitions(p: &TablePair<'_>, b: &mut Buckets) {
    let (o, n) = (p.old, p.new);
    if o.partition_by.is_none() || n.partition_by.is_none() {
        return;
    }
    let mut drops = Vec::new();
    let mut rebounds = Vec::new();
    level(
        &n.name,
        &o.partitions,
        &n.partitions,
        &mut drops,
        &mut rebounds,
        b,
    );
    // Partitions dropped first, so that a new bound or a new partition may take their rows'
    // place; new partitions are created with the tables.
    b.drop_partitions.extend(drops);
    b.drop_partitions.extend(rebounds);
}

fn level(
    parent: &str,
    old: &[Partition],
    new: &[Partition],
    drops: &mut Vec<crate::plan::Step>,
    rebounds: &mut Vec<crate::plan::Step>,
    b: &mut Buckets,
) {
    let has_default = new.iter().any(|x| x.bound == PartitionBound::Default);
    for np in new {
        match old.iter().find(|x| x.name == np.name) {
            None => create(parent, np, has_default, b),
            Some(op) => {
                if op.bound.key() != np.bound.key() {
                    let st = main(
                        format!("change the bound of partition {} of {parent}", np.name),
                        &[
                            Hazard::AccessExclusiveLock,
                            Hazard::ScansTable,
                            Hazard::CanFailOnExistingRows,
                        ],
                        vec![
                            sql::detach_partition(parent, &np.name).sql,
                            sql::attach_partition(parent, np).sql,
                        ],
                    );
                    rebounds.push(needs(
                        st,
                        format!("change_bound:{}", np.name),
                        format!(
                            "fails if a row of `{}` does not fit `{}`",
                            np.name,
                            sql::bound_clause(&np.bound)
                        ),
                    ));
                }
                if op.description != np.description {
                    comment(np, b);
                }
                level(&np.name, &op.partitions, &np.partitions, drops, rebounds, b);
            }
        }
    }
    for op in old {
        if new.iter().any(|x| x.name == op.name) {
            continue;
        }
        drops.push(needs(
            main(
                format!("drop partition {} of {parent}", op.name),
                &[Hazard::DeletesData, Hazard::AccessExclusiveLock],
                vec![
                    sql::detach_partition(parent, &op.name).sql,
                    DropTable { name: &op.name }.to_string(),
                ],
            ),
            format!("drop_partition:{}", op.name),
            format!("deletes every row of partition `{}` of `{parent}`", op.name),
        ));
    }
}

/// A new partition and its sub-partitions. With a default partition beside it, PostgreSQL
/// checks that no row of the default partition belongs in the new one.
fn create(parent: &str, p: &Partition, default_exists: bool, b: &mut Buckets) {
    let mut statements = vec![sql::create_partition(parent, p).sql];
    let mut all = Vec::new();
    for s in &p.partitions {
        s.walk(&p.name, &mut all);
    }
    statements.extend(all.iter().map(|(pa, s)| sql::create_partition(pa, s).sql));
    let hazards: &[Hazard] = if default_exists && p.bound != PartitionBound::Default {
        &[Hazard::ScansTable, Hazard::CanFailOnExistingRows]
    } else {
        &[]
    };
    b.create_tables.push(main(
        format!("create partition {} of {parent}", p.name),
        hazards,
        statements,
    ));
    for x in std::iter::once(p).chain(all.into_iter().map(|(_, s)| s)) {
        if x.description.is_some() {
            comment(x, b);
        }
    }
}

/// The comments of a new table's partitions, and of a partition whose comment changed.
pub(super) fn comments(t: &Table, b: &mut Buckets) {
    for (_, p) in t.all_partitions() {
        if p.description.is_some() {
            comment(p, b);
        }
    }
}

fn comment(p: &Partition, b: &mut Buckets) {
    b.comments.push(main(
        format!("comment on partition {}", p.name),
        &[],
        vec![sql::comment_on_table(&p.name, p.description.as_deref()).sql],
    ));
}
