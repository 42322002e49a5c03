//! Partitioned tables: the key names columns PostgreSQL can partition by, every primary key
//! and unique constraint includes the key's columns, each bound fits the key, and no two
//! partitions would hold the same rows.

use super::Validator;
use crate::diag::{Code, Diagnostic, Loc, did_you_mean};
use crate::model::*;
use std::collections::BTreeMap;

impl Validator<'_> {
    pub(super) fn partitions(&mut self, t: &Table) {
        match &t.partition_by {
            None => {
                if let Some(p) = t.partitions.first() {
                    self.err(
                        Diagnostic::new(
                            Code::PartitionKey,
                            p.loc,
                            format!("table `{}` has partitions but no `partition_by`", t.name),
                        )
                        .help("add `partition_by: { range: [column] }` (or `list`, `hash`) to the table"),
                    );
                }
            }
            Some(by) => {
                if !self.key(t, &t.name, by) {
                    return;
                }
                self.partitioned_table(t, by);
                self.bounds(t, &t.name, by, &t.partitions);
            }
        }
    }

    /// The key's columns: at least one, each a column of the table that is not generated, one
    /// only for `list`. Returns whether the key is usable for checking bounds.
    fn key(&mut self, t: &Table, owner: &str, by: &PartitionBy) -> bool {
        let mut ok = true;
        if by.columns.is_empty() {
            self.err(
                Diagnostic::new(
                    Code::PartitionKey,
                    by.loc,
                    format!("the partition key of `{owner}` has no columns"),
                )
                .help("name the key's columns, e.g. `partition_by: { range: [created_on] }`"),
            );
            return false;
        }
        for c in &by.columns {
            match t.column(c) {
                Some(col) if col.generated.is_some() => {
                    ok = false;
                    self.err(
                        Diagnostic::new(
                            Code::PartitionKey,
                            by.loc,
                            format!("`{owner}` is partitioned by `{c}`, a generated column"),
                        )
                        .help("PostgreSQL cannot partition by a generated column; partition by the columns it is computed from"),
                    );
                }
                Some(_) => {}
                None if c.contains(['(', ' ', ':']) => {
                    ok = false;
                    self.err(
                        Diagnostic::new(
                            Code::PartitionKey,
                            by.loc,
                            format!("`{owner}` is partitioned by the expression `{c}`; the schema language partitions by columns only"),
                        )
                        .help("partition by a column that holds the value (e.g. a `date` column instead of `date_trunc('month', at)`)"),
                    );
                }
                None => {
                    ok = false;
                    self.err(
                        Diagnostic::new(
                            Code::PartitionKey,
                            by.loc,
                            format!(
                                "`{owner}` is partitioned by `{c}`, which is not a column of `{}`",
                                t.name
                            ),
                        )
                        .help(
                            did_you_mean(c, t.columns.iter().map(|x| x.name.as_str()))
                                .unwrap_or_else(|| {
                                    format!("the key names columns of `{}`", t.name)
                                }),
                        ),
                    );
                }
            }
        }
        if by.strategy == PartitionStrategy::List && by.columns.len() > 1 {
            ok = false;
            self.err(
                Diagnostic::new(
                    Code::PartitionKey,
                    by.loc,
                    format!("`{owner}` is partitioned by list on {} columns; PostgreSQL lists on one column only", by.columns.len()),
                )
                .help("partition by `list` on one column, or by `range`/`hash` on several"),
            );
        }
        ok
    }

    /// What PostgreSQL refuses on a partitioned table: keys without the partition key's
    /// columns, exclusion constraints, UNLOGGED, storage parameters.
    fn partitioned_table(&mut self, t: &Table, by: &PartitionBy) {
        self.keys_include(t, &t.name, by);
        self.table_options(t);
    }

    /// Every primary key, unique constraint and unique index of `t` includes the columns of
    /// `by`, the key of `t` or of its partition `owner`.
    fn keys_include(&mut self, t: &Table, owner: &str, by: &PartitionBy) {
        let missing = |cols: &[String]| -> Vec<String> {
            by.columns
                .iter()
                .filter(|c| !cols.contains(c))
                .cloned()
                .collect()
        };
        let mut keys: Vec<(&str, &str, &[String], Loc)> = Vec::new();
        if let Some(pk) = &t.primary_key {
            keys.push(("primary key", &pk.name, &pk.columns, pk.loc));
        }
        for u in &t.uniques {
            keys.push(("unique constraint", &u.name, &u.columns, u.loc));
        }
        let index_columns: Vec<(&Index, Vec<String>)> = t
            .indexes
            .iter()
            .filter(|i| i.unique)
            .map(|i| {
                let cols = i
                    .keys
                    .iter()
                    .filter_map(|k| match &k.target {
                        IndexTarget::Column(c) => Some(c.clone()),
                        IndexTarget::Expr(_) => None,
                    })
                    .collect();
                (i, cols)
            })
            .collect();
        for (i, cols) in &index_columns {
            keys.push(("unique index", &i.name, cols, i.loc));
        }
        for (kind, name, cols, loc) in keys {
            let absent = missing(cols);
            if !absent.is_empty() {
                let mut all: Vec<String> = cols.to_vec();
                all.extend(absent.iter().cloned());
                self.err(
                    Diagnostic::new(
                        Code::PartitionUnique,
                        loc,
                        format!(
                            "{kind} `{name}` of the partitioned table `{owner}` does not include the partition key column{} {}",
                            if absent.len() == 1 { "" } else { "s" },
                            absent.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .help(format!(
                        "PostgreSQL enforces uniqueness within each partition only, so a key must include the partition key: make it ({})",
                        all.join(", ")
                    )),
                );
            }
        }
    }

    fn table_options(&mut self, t: &Table) {
        let refuse = |v: &mut Self, what: &str, help: &str| {
            v.err(
                Diagnostic::new(
                    Code::PartitionKey,
                    t.loc,
                    format!(
                        "the partitioned table `{}` is {what}, which PostgreSQL does not allow",
                        t.name
                    ),
                )
                .help(help.to_string()),
            );
        };
        if t.single_row.is_some() {
            refuse(
                self,
                "`single_row` (an exclusion constraint)",
                "remove `single_row` or `partition_by`",
            );
        }
        for x in &t.exclusions {
            self.err(
                Diagnostic::new(
                    Code::PartitionKey,
                    x.loc,
                    format!(
                        "the partitioned table `{}` has the exclusion constraint `{}`, which PostgreSQL before 17 does not allow",
                        t.name, x.name
                    ),
                )
                .help("declare the exclusion constraint on each partition's own table, or leave the table unpartitioned"),
            );
        }
        for fk in t.foreign_keys.iter().filter(|f| f.not_valid) {
            self.err(
                Diagnostic::new(
                    Code::PartitionKey,
                    fk.loc,
                    format!("foreign key `{}` of the partitioned table `{}` is `not_valid`, which PostgreSQL does not allow", fk.name, t.name),
                )
                .help("remove `not_valid: true`; the key is checked on every partition when it is added"),
            );
        }
        if t.unlogged {
            refuse(
                self,
                "`unlogged`",
                "remove `unlogged`; PostgreSQL keeps the partitions of a partitioned table logged",
            );
        }
        if !t.with.is_empty() {
            refuse(
                self,
                "given storage parameters (`with:`)",
                "remove `with:`; a partitioned table stores no rows itself",
            );
        }
    }

    /// Each partition's bound fits `by`, no two partitions overlap where that is cheap to see,
    /// and sub-partitions are checked against their own key.
    fn bounds(&mut self, t: &Table, owner: &str, by: &PartitionBy, partitions: &[Partition]) {
        let mut defaults: Option<Loc> = None;
        let mut listed: BTreeMap<String, (&str, Loc)> = BTreeMap::new();
        let mut hashed: BTreeMap<(u32, u32), &str> = BTreeMap::new();
        let arity = by.columns.len();
        for p in partitions {
            let bad = |v: &mut Self, why: String, help: &str| {
                v.err(
                    Diagnostic::new(
                        Code::PartitionBound,
                        p.loc,
                        format!("partition `{}` of `{owner}`: {why}", p.name),
                    )
                    .help(help.to_string()),
                );
            };
            match (&p.bound, by.strategy) {
                (PartitionBound::Default, PartitionStrategy::Hash) => bad(
                    self,
                    "a hash-partitioned table cannot have a default partition".into(),
                    "give the partition `{ modulus: N, remainder: R }`",
                ),
                (PartitionBound::Default, _) => {
                    if let Some(first) = defaults {
                        self.err(
                            Diagnostic::new(
                                Code::PartitionOverlap,
                                p.loc,
                                format!("`{owner}` has a second default partition, `{}`", p.name),
                            )
                            .related(first, "the first default partition")
                            .help("keep one default partition"),
                        );
                    }
                    defaults.get_or_insert(p.loc);
                }
                (PartitionBound::Range { from, to }, PartitionStrategy::Range) => {
                    for (side, values) in [("from", from), ("to", to)] {
                        if values.len() != arity {
                            bad(
                                self,
                                format!(
                                    "`{side}` has {} value{}, the key ({}) has {arity} column{}",
                                    values.len(),
                                    if values.len() == 1 { "" } else { "s" },
                                    by.columns.join(", "),
                                    if arity == 1 { "" } else { "s" }
                                ),
                                "give one value per key column, in key order",
                            );
                        } else if let Some(i) = values
                            .iter()
                            .position(|v| matches!(v, BoundValue::MinValue | BoundValue::MaxValue))
                            && values[i + 1..].iter().any(|v| v != &values[i])
                        {
                            bad(
                                self,
                                format!(
                                    "in `{side}`, a value follows `{}`",
                                    if values[i] == BoundValue::MinValue {
                                        "MINVALUE"
                                    } else {
                                        "MAXVALUE"
                                    }
                                ),
                                "PostgreSQL needs every value after MINVALUE (MAXVALUE) to be MINVALUE (MAXVALUE) too",
                            );
                        }
                    }
                    if from.len() == arity && to.len() == arity {
                        let key =
                            |v: &[BoundValue]| v.iter().map(BoundValue::key).collect::<Vec<_>>();
                        if key(from) == key(to) {
                            bad(
                                self,
                                "`from` and `to` are equal, so the range is empty".into(),
                                "the upper bound `to` is exclusive: make it greater than `from`",
                            );
                        }
                    }
                }
                (PartitionBound::List(values), PartitionStrategy::List) => {
                    if values.is_empty() {
                        bad(
                            self,
                            "`in` lists no value".into(),
                            "list the key values the partition holds",
                        );
                    }
                    for v in values {
                        let k = v.key();
                        if let Some((other, loc)) = listed.get(&k) {
                            self.err(
                                Diagnostic::new(
                                    Code::PartitionOverlap,
                                    p.loc,
                                    format!(
                                        "partition `{}` of `{owner}` lists {}, which partition `{other}` lists too",
                                        p.name,
                                        v
                                    ),
                                )
                                .related(*loc, "listed here first")
                                .help("list each value in one partition only"),
                            );
                        } else {
                            listed.insert(k, (&p.name, p.loc));
                        }
                    }
                }
                (PartitionBound::Hash { modulus, remainder }, PartitionStrategy::Hash) => {
                    if *modulus == 0 || remainder >= modulus {
                        bad(
                            self,
                            format!("modulus {modulus} with remainder {remainder}"),
                            "the modulus must be at least 1 and the remainder below it (`{ modulus: 4, remainder: 3 }`)",
                        );
                    } else if let Some(other) = hashed.get(&(*modulus, *remainder)) {
                        self.err(
                            Diagnostic::new(
                                Code::PartitionOverlap,
                                p.loc,
                                format!(
                                    "partition `{}` of `{owner}` has the modulus and remainder of partition `{other}`",
                                    p.name
                                ),
                            )
                            .help("give each hash partition its own remainder"),
                        );
                    } else {
                        if let Some(((m, _), other)) = hashed
                            .iter()
                            .find(|((m, _), _)| m % modulus != 0 && modulus % m != 0)
                        {
                            bad(
                                self,
                                format!(
                                    "modulus {modulus} and the modulus {m} of `{other}` do not divide each other"
                                ),
                                "PostgreSQL needs every modulus to be a factor of the next larger one (e.g. 2, 4, 8)",
                            );
                        }
                        hashed.insert((*modulus, *remainder), &p.name);
                    }
                }
                (_, strategy) => bad(
                    self,
                    format!("its bound does not fit `{}` partitioning", strategy.key()),
                    match strategy {
                        PartitionStrategy::Range => {
                            "give the partition `{ from: [...], to: [...] }` or `{ default: true }`"
                        }
                        PartitionStrategy::List => {
                            "give the partition `{ in: [...] }` or `{ default: true }`"
                        }
                        PartitionStrategy::Hash => {
                            "give the partition `{ modulus: N, remainder: R }`"
                        }
                    },
                ),
            }
            match &p.partition_by {
                Some(sub) => {
                    if self.key(t, &p.name, sub) {
                        self.keys_include(t, &p.name, sub);
                        self.bounds(t, &p.name, sub, &p.partitions);
                    }
                }
                None => {
                    if let Some(first) = p.partitions.first() {
                        self.err(
                            Diagnostic::new(
                                Code::PartitionKey,
                                first.loc,
                                format!("partition `{}` has partitions but no `partition_by`", p.name),
                            )
                            .help("add `partition_by: { range: [column] }` (or `list`, `hash`) to the partition"),
                        );
                    }
                }
            }
        }
    }
}
