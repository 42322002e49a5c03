//! The schema file as written: serde shapes decoded with serde_yaml.
//!
//! Polymorphic spots (a column given as a type string or a map, a reference given as `table` or
//! `{table, column}`, ...) are kept as `Value` here and decoded by [`super::lower`], which knows
//! where each node is. Every struct denies unknown keys.

use serde::Deserialize;
use serde_yaml::{Mapping, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub description: Option<String>,
    pub extensions: Option<Vec<String>>,
    pub derives: Option<Vec<String>>,
    pub allow: Option<Vec<String>>,
    #[serde(default)]
    pub enums: Mapping,
    #[serde(default)]
    pub json_types: Mapping,
    #[serde(default)]
    pub mixins: Mapping,
    #[serde(default)]
    pub tables: Mapping,
}

pub const FILE_KEYS: &[&str] = &[
    "description",
    "extensions",
    "derives",
    "allow",
    "enums",
    "json_types",
    "mixins",
    "tables",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnum {
    pub values: Vec<Value>,
    pub description: Option<String>,
    pub rust_name: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnumValue {
    pub name: String,
    pub description: Option<String>,
    pub rust_name: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJsonType {
    pub fields: Mapping,
    pub description: Option<String>,
    pub rust_name: Option<String>,
    #[serde(default)]
    pub extra: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJsonField {
    #[serde(rename = "type")]
    pub ty: String,
    pub description: Option<String>,
    pub rust_name: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum MixinPosition {
    #[default]
    Start,
    End,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMixin {
    pub columns: Mapping,
    /// Documentation for the schema's reader; the model keeps only the expanded columns.
    #[allow(dead_code)]
    pub description: Option<String>,
    #[serde(default)]
    pub position: MixinPosition,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTable {
    pub columns: Mapping,
    pub description: Option<String>,
    pub rust_name: Option<String>,
    pub renamed_from: Option<String>,
    #[serde(default)]
    pub mixins: Vec<String>,
    pub primary_key: Option<Vec<String>>,
    #[serde(default)]
    pub unique: Vec<Value>,
    #[serde(default)]
    pub checks: Vec<Value>,
    #[serde(default)]
    pub foreign_keys: Vec<RawForeignKey>,
    #[serde(default)]
    pub indexes: Vec<RawIndex>,
    pub index_foreign_keys: Option<bool>,
    #[serde(default)]
    pub single_row: bool,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawFkAction {
    Cascade,
    SetNull,
    SetDefault,
    Restrict,
    NoAction,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawIdentity {
    Always,
    ByDefault,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawColumn {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub nullable: bool,
    pub default: Option<Value>,
    pub default_sql: Option<String>,
    pub identity: Option<RawIdentity>,
    pub backfill: Option<String>,
    #[serde(default)]
    pub primary_key: bool,
    #[serde(default)]
    pub unique: bool,
    pub references: Option<Value>,
    pub on_delete: Option<RawFkAction>,
    pub on_update: Option<RawFkAction>,
    pub check: Option<String>,
    #[serde(default)]
    pub auto_update: bool,
    #[serde(default)]
    pub soft_delete: bool,
    pub json: Option<String>,
    pub description: Option<String>,
    pub rust_name: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    pub table: String,
    pub column: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnique {
    pub columns: Vec<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub nulls_not_distinct: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    pub expr: String,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawForeignKey {
    pub columns: Vec<String>,
    pub references: RawFkTarget,
    pub on_delete: Option<RawFkAction>,
    pub on_update: Option<RawFkAction>,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFkTarget {
    pub table: String,
    pub columns: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawMethod {
    Btree,
    Hash,
    Gin,
    Gist,
    Brin,
    Spgist,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndex {
    pub columns: Vec<Value>,
    #[serde(default)]
    pub unique: bool,
    pub using: Option<RawMethod>,
    #[serde(rename = "where")]
    pub predicate: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawOrder {
    Asc,
    Desc,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndexKey {
    pub column: Option<String>,
    pub expr: Option<String>,
    pub order: Option<RawOrder>,
}
