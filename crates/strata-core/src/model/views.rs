//! Views and materialized views (`views:`): a query the database keeps, read like a table.

use super::{ColumnType, Index, JsonTy, Schema};
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

/// A view column's comment, and its type where the query does not tell it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewColumn {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The declared type (`type:`), for a column whose type Strata cannot read from the query.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<ColumnType>,
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
                    && i.keys
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

/// A column of a view as the Rust model sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewField {
    pub name: String,
    /// `None` when neither the query nor the schema tells the type.
    pub ty: Option<ColumnType>,
    /// The typed JSON of a column returned as it is from a typed JSON column.
    pub json: Option<JsonTy>,
    pub description: Option<String>,
}

impl View {
    /// The view's columns with their types: declared (`columns: { c: { type } }`), else read
    /// from the query (a column of a table or view returned as it is, a cast, `count`). `None`
    /// when the query's columns cannot be named.
    pub fn fields(&self, schema: &Schema) -> Option<Vec<ViewField>> {
        self.fields_at(schema, 0)
    }

    fn fields_at(&self, schema: &Schema, depth: usize) -> Option<Vec<ViewField>> {
        use crate::deps::{self, Source};
        if depth > 64 {
            return None;
        }
        let outputs = deps::query_outputs(&self.query, |r| deps::columns_of(schema, r))?;
        let is_enum = |n: &str| schema.enums.iter().any(|e| e.name == n);
        let is_domain = |n: &str| schema.domains.iter().any(|d| d.name == n);
        Some(
            outputs
                .into_iter()
                .map(|(name, source)| {
                    let declared = self.columns.iter().find(|c| c.name == name);
                    let (inferred, json) = match source {
                        Source::Column(r, c) => match crate::deps::table_of(schema, &r) {
                            Some(t) => t
                                .column(&c)
                                .map(|col| (Some(col.ty.clone()), col.json.clone()))
                                .unwrap_or((None, None)),
                            None => schema
                                .views
                                .iter()
                                .find(|v| {
                                    crate::deps::ObjectName::new(v.schema.as_deref(), &v.name) == r
                                })
                                .and_then(|v| v.fields_at(schema, depth + 1))
                                .and_then(|f| f.into_iter().find(|f| f.name == c))
                                .map(|f| (f.ty, f.json))
                                .unwrap_or((None, None)),
                        },
                        Source::Cast(t) => {
                            (ColumnType::parse_with(&t, is_enum, is_domain).ok(), None)
                        }
                        Source::Count => (
                            Some(ColumnType {
                                base: super::BaseType::BigInt,
                                array: false,
                            }),
                            None,
                        ),
                        Source::Unknown => (None, None),
                    };
                    let declared_ty = declared.and_then(|c| c.ty.clone());
                    ViewField {
                        json: if declared_ty.is_some() { None } else { json },
                        ty: declared_ty.or(inferred),
                        description: declared.and_then(|c| c.description.clone()),
                        name,
                    }
                })
                .collect(),
        )
    }
}
