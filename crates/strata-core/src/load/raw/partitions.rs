//! Declarative partitioning as written: a table's `partition_by` and `partitions`.

use crate::schema_language::BoundValueForm;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;

/// `PARTITION BY`: exactly one of `range`, `list` and `hash`, each the key's columns
/// (`{ range: [created_on] }`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PartitionBy")]
pub struct RawPartitionBy {
    /// `PARTITION BY RANGE (…)`: partitions hold ranges `from`/`to` of the key.
    pub range: Option<Vec<String>>,
    /// `PARTITION BY LIST (…)`: partitions hold the values listed `in` (one key column).
    pub list: Option<Vec<String>>,
    /// `PARTITION BY HASH (…)`: partitions hold the rows whose key hashes to their
    /// `remainder` of `modulus`.
    pub hash: Option<Vec<String>>,
}

/// A partition: its bound, one of `{from, to}` (range), `{in}` (list), `{modulus,
/// remainder}` (hash) or `{default: true}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Partition")]
pub struct RawPartition {
    /// Range partitions: the lower bound (inclusive), one value per key column; `MINVALUE`
    /// for no lower limit.
    #[schemars(with = "Option<Vec<BoundValueForm>>")]
    pub from: Option<Vec<Value>>,
    /// Range partitions: the upper bound (exclusive), one value per key column; `MAXVALUE`
    /// for no upper limit.
    #[schemars(with = "Option<Vec<BoundValueForm>>")]
    pub to: Option<Vec<Value>>,
    /// List partitions: the key values the partition holds (`null` for the NULL key).
    #[serde(rename = "in")]
    #[schemars(with = "Option<Vec<BoundValueForm>>")]
    pub values: Option<Vec<Value>>,
    /// Hash partitions: the number of hash buckets (at least 1).
    pub modulus: Option<u32>,
    /// Hash partitions: the bucket this partition holds (below `modulus`).
    pub remainder: Option<u32>,
    /// The default partition: it holds the rows no other partition holds.
    #[serde(default)]
    pub default: bool,
    /// The partition's comment.
    pub description: Option<String>,
    /// Sub-partitioning: this partition is itself partitioned by this key.
    pub partition_by: Option<RawPartitionBy>,
    /// The partitions of a sub-partitioned partition: name → bound.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawPartition>")]
    pub partitions: Mapping,
}
