//! Declarative partitioning: a table's `PARTITION BY` key and its partitions.
//!
//! A partitioned table holds no rows itself; each row lives in the partition whose bound it
//! falls in. The model keeps the partitions on their parent (they are not tables of the schema:
//! rows are read and written through the parent, which alone has a Rust model), each with its
//! bound and, for sub-partitioning, a key and partitions of its own.

use crate::diag::Loc;
use serde::{Deserialize, Serialize};

/// How rows are spread over the partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionStrategy {
    /// `PARTITION BY RANGE`: each partition holds a range `FROM (…) TO (…)` of the key.
    Range,
    /// `PARTITION BY LIST`: each partition holds the listed values `IN (…)`.
    List,
    /// `PARTITION BY HASH`: each partition holds the rows whose key hashes to its remainder.
    Hash,
}

impl PartitionStrategy {
    /// The keyword as `PARTITION BY` spells it.
    pub fn sql(self) -> &'static str {
        match self {
            PartitionStrategy::Range => "RANGE",
            PartitionStrategy::List => "LIST",
            PartitionStrategy::Hash => "HASH",
        }
    }

    /// The key of the strategy in the schema language (`range`, `list`, `hash`).
    pub fn key(self) -> &'static str {
        match self {
            PartitionStrategy::Range => "range",
            PartitionStrategy::List => "list",
            PartitionStrategy::Hash => "hash",
        }
    }
}

/// `PARTITION BY <strategy> (<columns>)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionBy {
    pub strategy: PartitionStrategy,
    /// The key's columns, in key order.
    pub columns: Vec<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// One partition of a partitioned table (or of a partitioned partition).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    /// The partition's table name, in the parent's schema.
    pub name: String,
    pub bound: PartitionBound,
    /// The partition's comment (`COMMENT ON TABLE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Sub-partitioning: the partition is itself partitioned by this key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<PartitionBy>,
    /// The partitions of a sub-partitioned partition, in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partitions: Vec<Partition>,
    #[serde(skip)]
    pub loc: Loc,
}

impl Partition {
    /// This partition, then its sub-partitions (depth first), each with its parent's name.
    pub fn walk<'a>(&'a self, parent: &'a str, out: &mut Vec<(&'a str, &'a Partition)>) {
        out.push((parent, self));
        for p in &self.partitions {
            p.walk(&self.name, out);
        }
    }
}

/// Which rows a partition holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionBound {
    /// `FOR VALUES FROM (…) TO (…)`: one value per key column each side; the upper bound is
    /// exclusive.
    Range {
        from: Vec<BoundValue>,
        to: Vec<BoundValue>,
    },
    /// `FOR VALUES IN (…)`.
    List(Vec<BoundValue>),
    /// `FOR VALUES WITH (MODULUS m, REMAINDER r)`.
    Hash { modulus: u32, remainder: u32 },
    /// `DEFAULT`: the rows no other partition holds.
    Default,
}

/// One value of a bound: a constant PostgreSQL converts to the key column's type, `NULL` (a
/// list partition may hold it), or `MINVALUE`/`MAXVALUE` (a range bound without a limit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundValue {
    MinValue,
    MaxValue,
    Null,
    String(String),
    Integer(i64),
    /// Kept as the decimal text written, so no precision is lost.
    Number(String),
    Bool(bool),
}

/// As a message shows it (`'a'`, `10`, `MINVALUE`); SQL prints it through `render::sql`.
impl std::fmt::Display for BoundValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BoundValue::MinValue => f.write_str("MINVALUE"),
            BoundValue::MaxValue => f.write_str("MAXVALUE"),
            BoundValue::Null => f.write_str("NULL"),
            BoundValue::String(s) => write!(f, "'{s}'"),
            BoundValue::Integer(i) => write!(f, "{i}"),
            BoundValue::Number(n) => f.write_str(n),
            BoundValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl BoundValue {
    /// What the value means once PostgreSQL has read it for the key column: the same for
    /// `10` and `'10'`, so two spellings of a bound compare equal.
    pub fn key(&self) -> String {
        match self {
            BoundValue::MinValue => "\u{0}MINVALUE".into(),
            BoundValue::MaxValue => "\u{0}MAXVALUE".into(),
            BoundValue::Null => "\u{0}NULL".into(),
            BoundValue::String(s) | BoundValue::Number(s) => s.clone(),
            BoundValue::Integer(i) => i.to_string(),
            BoundValue::Bool(b) => b.to_string(),
        }
    }
}

impl PartitionBound {
    /// The bound with every value replaced by its [`BoundValue::key`], for comparisons.
    pub fn key(&self) -> (u8, Vec<String>, Vec<String>) {
        let keys = |v: &[BoundValue]| v.iter().map(BoundValue::key).collect::<Vec<_>>();
        match self {
            PartitionBound::Range { from, to } => (0, keys(from), keys(to)),
            PartitionBound::List(values) => {
                let mut k = keys(values);
                k.sort();
                k.dedup();
                (1, k, Vec::new())
            }
            PartitionBound::Hash { modulus, remainder } => (
                2,
                vec![modulus.to_string(), remainder.to_string()],
                Vec::new(),
            ),
            PartitionBound::Default => (3, Vec::new(), Vec::new()),
        }
    }
}
