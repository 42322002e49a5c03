//! Partitioned tables read as one table: the key from `pg_partitioned_table`, each partition
//! (`relispartition`) with its bound read by PostgreSQL's parser
//! ([`strata::fragment::partition_bound`]) and, when it is partitioned itself, its own key and
//! partitions. What PostgreSQL copies from the parent to a partition (columns, constraints,
//! indexes, row triggers) is not reported again; anything a partition has of its own is
//! listed as ignored, since the schema language gives a partition only its bound and comment.

use std::collections::{BTreeMap, BTreeSet};

use strata::Loc;
use strata::model::{Partition, PartitionBy, PartitionStrategy, Table};

use super::super::catalog::{Catalog, ColumnRow, ConstraintRow, IndexRow, RelationRow, TriggerRow};
use super::super::{IgnoredObject, ObjectKind};
use super::Builder;

/// The rows of each table, by oid.
pub(super) struct ByTable<'c> {
    pub columns: &'c BTreeMap<u32, Vec<&'c ColumnRow>>,
    pub constraints: &'c BTreeMap<u32, Vec<&'c ConstraintRow>>,
    pub indexes: &'c BTreeMap<u32, Vec<&'c IndexRow>>,
    pub triggers: &'c BTreeMap<u32, Vec<&'c TriggerRow>>,
}

/// The partition key of a partitioned table, or why the language cannot say it.
pub(super) fn key(rel: &RelationRow) -> Result<PartitionBy, String> {
    let def = rel.partition_key.clone().unwrap_or_default();
    let strategy = match rel.partition_strategy.as_deref() {
        Some("r") => PartitionStrategy::Range,
        Some("l") => PartitionStrategy::List,
        Some("h") => PartitionStrategy::Hash,
        _ => {
            return Err(format!(
                "partitioned by {def}, a strategy the schema language does not have"
            ));
        }
    };
    let mut columns = Vec::new();
    for c in &rel.partition_columns {
        match c {
            Some(c) => columns.push(c.clone()),
            None => {
                return Err(format!(
                    "partitioned by {def}, an expression; the schema language partitions by columns only"
                ));
            }
        }
    }
    // An operator class or collation of the key shows in its definition.
    let expected = format!("{} ({})", strategy.sql(), columns.join(", "));
    if def.replace('"', "") != expected {
        return Err(format!(
            "partitioned by {def}, with an operator class or collation the schema language does not have"
        ));
    }
    Ok(PartitionBy {
        strategy,
        columns,
        loc: Loc::default(),
    })
}

impl Builder {
    /// The partitions of the table (or partition) `parent`, in creation order.
    pub(super) fn partitions(
        &mut self,
        cat: &Catalog,
        parent: u32,
        rows: &ByTable<'_>,
    ) -> Vec<Partition> {
        let mut out = Vec::new();
        for rel in cat
            .relations
            .iter()
            .filter(|r| r.is_partition && r.parent == Some(parent))
        {
            let text = rel.partition_bound.clone().unwrap_or_default();
            let bound = match strata::fragment::partition_bound(&text) {
                Ok(b) => b,
                Err(e) => {
                    self.ignore(
                        ObjectKind::Partition,
                        &rel.name,
                        format!("its bound {text} is not one the schema language has: {e}"),
                    );
                    continue;
                }
            };
            let partition_by = if rel.kind == "p" {
                match key(rel) {
                    Ok(k) => Some(k),
                    Err(why) => {
                        self.ignore(ObjectKind::Partition, &rel.name, why);
                        continue;
                    }
                }
            } else {
                None
            };
            self.partition_extras(cat, rel, parent, rows);
            let partitions = if rel.kind == "p" {
                self.partitions(cat, rel.oid, rows)
            } else {
                Vec::new()
            };
            out.push(Partition {
                name: rel.name.clone(),
                bound,
                description: rel.comment.clone(),
                partition_by,
                partitions,
                loc: Loc::default(),
            });
        }
        out
    }

    /// Reports what a partition has of its own, beyond what PostgreSQL copied from `parent`.
    fn partition_extras(
        &mut self,
        cat: &Catalog,
        rel: &RelationRow,
        parent: u32,
        rows: &ByTable<'_>,
    ) {
        let name = &rel.name;
        let own =
            "the schema language declares it on the parent table, whose partitions all get it";
        if rel.unlogged || !rel.options.is_empty() {
            self.ignore(
                ObjectKind::Partition,
                name,
                "is UNLOGGED or has storage parameters of its own; a partition has only a bound in the schema language",
            );
        }
        let parent_columns = rows
            .columns
            .get(&parent)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for c in rows
            .columns
            .get(&rel.oid)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let same = parent_columns.iter().any(|p| {
                p.name == c.name
                    && p.type_text == c.type_text
                    && p.not_null == c.not_null
                    && p.default == c.default
                    && p.collation == c.collation
            });
            if !same || c.comment.is_some() {
                self.ignore(
                    ObjectKind::Column,
                    format!("{name}.{}", c.name),
                    "differs from its parent's column (a default, NOT NULL, collation or comment of its own); a partition's columns are its parent's",
                );
            }
        }
        for c in rows
            .constraints
            .get(&rel.oid)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if !c.inherited {
                self.ignore(
                    ObjectKind::Constraint,
                    format!("{} on {name}", c.name),
                    format!(
                        "{}: a constraint of the partition alone; {own}",
                        c.definition
                    ),
                );
            }
        }
        for i in rows
            .indexes
            .get(&rel.oid)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if !i.inherited {
                self.ignore(
                    ObjectKind::Index,
                    format!("{} on {name}", i.name),
                    format!("{}: an index of the partition alone; {own}", i.definition),
                );
            }
        }
        for t in rows
            .triggers
            .get(&rel.oid)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if !t.inherited {
                self.ignore(
                    ObjectKind::Trigger,
                    format!("{} on {name}", t.name),
                    format!("a trigger of the partition alone; {own}"),
                );
            }
        }
        if cat.security.rls.iter().any(|(t, on, _)| t == name && *on) {
            self.ignore(
                ObjectKind::Partition,
                name,
                "has row-level security of its own; PostgreSQL applies the parent's to rows read through the parent",
            );
        }
        for p in cat.security.policies.iter().filter(|p| &p.table == name) {
            self.ignore(
                ObjectKind::Policy,
                format!("{} on {name}", p.name),
                format!("a policy of the partition alone; {own}"),
            );
        }
        let grants: BTreeSet<&str> = cat
            .security
            .acl
            .iter()
            .filter(|a| matches!(a.kind.as_str(), "table" | "column") && &a.name == name)
            .map(|a| a.grantee.as_str())
            .collect();
        if !grants.is_empty() {
            self.ignore(
                ObjectKind::Partition,
                name,
                format!(
                    "has privileges of its own (granted to {}); PostgreSQL checks the parent's on rows read through the parent",
                    grants.into_iter().collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }

    /// Reports the partitions that no imported table holds (their parent was ignored, or is in
    /// another schema).
    pub(super) fn orphan_partitions(&mut self, cat: &Catalog, tables: &[Table]) {
        let held: BTreeSet<&str> = tables
            .iter()
            .flat_map(|t| t.all_partitions())
            .map(|(_, p)| p.name.as_str())
            .collect();
        for rel in cat.relations.iter().filter(|r| r.is_partition) {
            let reported = self
                .ignored
                .iter()
                .any(|i: &IgnoredObject| i.kind == ObjectKind::Partition && i.name == rel.name);
            if !held.contains(rel.name.as_str()) && !reported {
                self.ignore(
                    ObjectKind::Partition,
                    &rel.name,
                    "a partition of a table that is not imported",
                );
            }
        }
    }
}
