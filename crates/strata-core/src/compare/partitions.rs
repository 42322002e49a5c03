//! Partitioning: the same partition key, and the same partitions with the same bounds
//! (values compared as PostgreSQL reads them for the key: `10` and `'10'` are one value) and
//! comments, sub-partitions included.

use super::Comparer;
use crate::model::{Partition, PartitionBy, Table};
use crate::render::sql::{bound_clause, partition_key_clause};

impl Comparer {
    pub(super) fn partitions(&mut self, d: &Table, l: &Table) {
        self.partition_level(
            &d.name,
            d.partition_by.as_ref(),
            l.partition_by.as_ref(),
            &d.partitions,
            &l.partitions,
        );
    }

    fn partition_level(
        &mut self,
        owner: &str,
        d_by: Option<&PartitionBy>,
        l_by: Option<&PartitionBy>,
        d: &[Partition],
        l: &[Partition],
    ) {
        let show = |b: Option<&PartitionBy>| match b {
            Some(b) => partition_key_clause(b).trim().to_string(),
            None => "no partitioning".to_string(),
        };
        let key = |b: Option<&PartitionBy>| b.map(|b| (b.strategy, b.columns.clone()));
        if key(d_by) != key(l_by) {
            self.changed(&format!("table {owner}"), show(l_by), show(d_by));
        }
        for p in d {
            let object = format!("partition {} of {owner}", p.name);
            match l.iter().find(|x| x.name == p.name) {
                None => self.missing(object),
                Some(x) => {
                    if x.bound.key() != p.bound.key() {
                        self.changed(&object, bound_clause(&x.bound), bound_clause(&p.bound));
                    }
                    self.comment(&object, p.description.as_ref(), x.description.as_ref());
                    self.partition_level(
                        &p.name,
                        p.partition_by.as_ref(),
                        x.partition_by.as_ref(),
                        &p.partitions,
                        &x.partitions,
                    );
                }
            }
        }
        for x in l {
            if !d.iter().any(|p| p.name == x.name) {
                self.extra(format!("partition {} of {owner}", x.name));
            }
        }
    }
}
