//! Indexes of a table that stays: built concurrently after the main migration (a changed one
//! under a temporary name, then swapped in), renamed, dropped.

use super::tables::{Named, pair_named};
use super::{Buckets, main, needs, step};
use crate::model::*;
use crate::plan::ddl;
use crate::plan::matching::TablePair;
use crate::plan::{Hazard, Phase};
use crate::render::sql::{DropIndex, RenameIndex};

/// An index, comparable across a rename.
#[derive(PartialEq, Eq, Clone, Debug)]
struct IndexDef {
    /// The keys, columns renamed.
    keys: Vec<IndexKey>,
    unique: bool,
    method: IndexMethod,
    predicate: Option<String>,
    include: Vec<String>,
    nulls_not_distinct: bool,
    with: Vec<(String, String)>,
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
                IndexKey {
                    target: t,
                    ..k.clone()
                }
            })
            .collect(),
        unique: i.unique,
        method: i.method,
        predicate: i.predicate.clone(),
        include: i.include.iter().map(|c| rename_col(c)).collect(),
        nulls_not_distinct: i.nulls_not_distinct,
        with: i.with.clone(),
    }
}

/// The index steps of a table pair (`rename_col` maps an old column name to its new one, or a
/// marker for a dropped column); returns the names of the indexes built after the main
/// migration, which get their comment there.
pub(super) fn indexes(
    p: &TablePair<'_>,
    rename_col: &dyn Fn(&str) -> String,
    new_constraint_names: &[&str],
    b: &mut Buckets,
) -> Vec<String> {
    let (o, n) = (p.old, p.new);
    let tn = &n.name;
    // Index names are per PostgreSQL schema: a statement names one in its table's schema.
    let q = |name: &str| qualify(split_qualified(&n.name).0, name);
    let same = |c: &str| c.to_string();
    let old_ix: Vec<Named<IndexDef>> = o
        .indexes
        .iter()
        .map(|i| Named {
            name: i.name.clone(),
            def: index_def(i, rename_col),
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
    let on_dropped_column = |d: &Named<IndexDef>| {
        d.def
            .keys
            .iter()
            .any(|k| matches!(&k.target, IndexTarget::Column(c) if c.starts_with('\u{0}')))
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
    // PostgreSQL builds and drops a partitioned table's indexes only in a transaction (not
    // CONCURRENTLY): they change in the main migration, a changed one dropped and built again.
    let partitioned = n.partition_by.is_some();
    let mut late_drops = Vec::new();
    for d in idropped {
        if on_dropped_column(d) || (rebuilt.contains(&d.name) && !partitioned) {
            continue;
        }
        if partitioned
            || new_constraint_names.contains(&d.name.as_str())
            || iadded.iter().any(|a| a.name == d.name)
        {
            // The name is reused in this migration: drop it in the main transaction first.
            b.drop_indexes_main.push(main(
                format!("drop index {} on {tn}", d.name),
                &[Hazard::AccessExclusiveLock],
                vec![
                    DropIndex {
                        name: &q(&d.name),
                        concurrently: false,
                        if_exists: false,
                    }
                    .to_string(),
                ],
            ));
        } else {
            late_drops.push(step(
                Phase::After,
                format!("drop index {} on {tn}", d.name),
                &[],
                vec![drop_concurrently(&q(&d.name))],
            ));
        }
    }
    for (od, nd) in &ipairs {
        if od.name != nd.name {
            b.renames.push(main(
                format!("rename index {} to {}", od.name, nd.name),
                &[],
                vec![
                    RenameIndex {
                        from: &q(&od.name),
                        to: &nd.name,
                        if_exists: false,
                    }
                    .to_string(),
                ],
            ));
        }
    }
    let mut built_later = Vec::new();
    for a in iadded {
        let Some(i) = n.indexes.iter().find(|i| i.name == a.name) else {
            continue;
        };
        let mut hazards = vec![Hazard::BuildsIndex, Hazard::ScansTable];
        if i.unique {
            hazards.push(Hazard::CanFailOnExistingRows);
        }
        if partitioned {
            let mut s = main(
                format!("create index {} on {tn}", i.name),
                &hazards,
                vec![ddl::create_index(n, i, false)],
            );
            if i.unique {
                s = needs(
                    s,
                    format!("add_unique:{}", i.name),
                    format!("fails if `{tn}` already holds duplicates on the index's keys"),
                );
            }
            b.indexes_main.push(s);
            continue;
        }
        built_later.push(i.name.clone());
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
                    drop_concurrently(&q(&i.name)),
                    RenameIndex {
                        from: &q(&tmp),
                        to: &i.name,
                        if_exists: true,
                    }
                    .to_string(),
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
                vec![ddl::comment_index(&q(&i.name), i.description.as_deref())],
            ));
        }
    }
    b.after.extend(late_drops);
    built_later
}

/// `DROP INDEX CONCURRENTLY IF EXISTS <name>`, printed.
fn drop_concurrently(name: &str) -> String {
    DropIndex {
        name,
        concurrently: true,
        if_exists: true,
    }
    .to_string()
}
