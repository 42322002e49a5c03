//! Views and materialized views (`views:`): a query the database keeps, read like a table.

use super::Index;
use crate::diag::Loc;
use serde::{Deserialize, Serialize};

/// A view (`CREATE VIEW`) or a materialized view (`CREATE MATERIALIZED VIEW … WITH DATA`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub name: String,
    /// The PostgreSQL schema the view lives in; `None` is the default schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The query, as printed from its PostgreSQL parse tree ([`crate::fragment::parse_query`]).
    pub query: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub materialized: bool,
    /// `WITH [LOCAL|CASCADED] CHECK OPTION` (plain views only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_option: Option<CheckOption>,
    /// `WITH (security_barrier)` (plain views only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub security_barrier: bool,
    /// `WITH (security_invoker)`: the view reads with the caller's rights (plain views only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub security_invoker: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Columns with a comment, in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<ViewColumn>,
    /// A declared key (columns of the view that identify a row), for the Rust query methods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key: Vec<String>,
    /// Indexes of a materialized view.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// A view column's comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewColumn {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// `WITH LOCAL CHECK OPTION` or `WITH CASCADED CHECK OPTION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOption {
    Local,
    Cascaded,
}

impl CheckOption {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckOption::Local => "local",
            CheckOption::Cascaded => "cascaded",
        }
    }
}

impl View {
    /// "view" or "materialized view", for messages and summaries.
    pub fn kind(&self) -> &'static str {
        if self.materialized {
            "materialized view"
        } else {
            "view"
        }
    }

    /// Whether a unique index without a predicate lets `REFRESH … CONCURRENTLY` run.
    pub fn refreshes_concurrently(&self) -> bool {
        self.materialized
            && self.indexes.iter().any(|i| {
                i.unique
                    && i.predicate.is_none()
                    && i
                        .keys
                        .iter()
                        .all(|k| matches!(k.target, super::IndexTarget::Column(_)))
            })
    }

    /// The options that decide the view's `CREATE` statement, other than its query.
    pub fn options(&self) -> (bool, Option<CheckOption>, bool, bool) {
        (
            self.materialized,
            self.check_option,
            self.security_barrier,
            self.security_invoker,
        )
    }
}

impl super::Schema {
    pub fn view(&self, name: &str) -> Option<&View> {
        self.views.iter().find(|v| v.name == name)
    }
}
