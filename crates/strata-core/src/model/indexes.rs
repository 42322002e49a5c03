//! Indexes: their method, keys (a column or an expression, with order, nulls, operator
//! class and collation), and options.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexMethod {
    #[default]
    Btree,
    Hash,
    Gin,
    Gist,
    Brin,
    Spgist,
}

impl IndexMethod {
    pub fn sql(self) -> &'static str {
        match self {
            IndexMethod::Btree => "btree",
            IndexMethod::Hash => "hash",
            IndexMethod::Gin => "gin",
            IndexMethod::Gist => "gist",
            IndexMethod::Brin => "brin",
            IndexMethod::Spgist => "spgist",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub keys: Vec<IndexKey>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub method: IndexMethod,
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Created automatically for a foreign key.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub for_foreign_key: bool,
    /// Columns stored in the index but not keys (`INCLUDE (…)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// A unique index that treats NULLs as equal (`NULLS NOT DISTINCT`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    /// Storage parameters (`WITH (fillfactor = 70)`), by name, values as text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<(String, String)>,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexTarget {
    Column(String),
    Expr(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    pub target: IndexTarget,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub desc: bool,
    /// `NULLS FIRST` (`Some(true)`) or `NULLS LAST` (`Some(false)`) where it differs from the
    /// default (last ascending, first descending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
    /// An operator class other than the type's default (`text_pattern_ops`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    /// A collation other than the column's (`"C"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

impl IndexKey {
    /// An ascending key with every option at its default.
    pub fn plain(target: IndexTarget) -> IndexKey {
        IndexKey {
            target,
            desc: false,
            nulls_first: None,
            opclass: None,
            collation: None,
        }
    }
}
