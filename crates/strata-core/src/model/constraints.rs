//! A table's constraints: primary key, unique constraints, checks, foreign keys (with their
//! actions and deferral) and exclusion constraints.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
    /// The constraint's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unique {
    pub name: String,
    pub columns: Vec<String>,
    /// Columns stored in the constraint's index but not part of the key (`INCLUDE (…)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub deferrable: Deferrable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// Whether a constraint's check can wait until the end of the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    /// `NOT DEFERRABLE` (PostgreSQL's default): checked after every statement.
    #[default]
    No,
    /// `DEFERRABLE INITIALLY IMMEDIATE`: `SET CONSTRAINTS … DEFERRED` can defer it.
    Immediate,
    /// `DEFERRABLE INITIALLY DEFERRED`: checked at COMMIT.
    Deferred,
}

impl Deferrable {
    /// The clause after the constraint, with a leading space; empty for `No`.
    pub fn sql(self) -> &'static str {
        match self {
            Deferrable::No => "",
            Deferrable::Immediate => " DEFERRABLE",
            Deferrable::Deferred => " DEFERRABLE INITIALLY DEFERRED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub expr: String,
    /// `NOT VALID`: enforced on new rows, existing rows not checked (yet).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
    /// `NO INHERIT`: not inherited by child tables.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_inherit: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub on_delete: FkAction,
    /// The columns `on_delete: set_null`/`set_default` sets (`ON DELETE SET NULL (author_id)`,
    /// PostgreSQL 15); empty: every column of the key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_delete_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub on_update: FkAction,
    /// `MATCH FULL`: either every column is NULL or the row must match.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub match_full: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub deferrable: Deferrable,
    /// `NOT VALID`: enforced on new rows, existing rows not checked (yet).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// An exclusion constraint: `CONSTRAINT <name> EXCLUDE USING <method> (<element> WITH
/// <operator>, …) [INCLUDE (…)] [WITH (…)] [WHERE (…)]`. No two rows may have every element
/// pair satisfy its operator (with `=` alone, a unique constraint; with `&&` on ranges, no
/// overlap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    pub name: String,
    /// The index access method (PostgreSQL's default, as for `EXCLUDE` without `USING`, is
    /// btree; ranges want gist).
    #[serde(default, skip_serializing_if = "is_default")]
    pub method: IndexMethod,
    pub elements: Vec<ExclusionElement>,
    /// Columns stored in the constraint's index but not compared (`INCLUDE (…)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Storage parameters of the constraint's index (`WITH (fillfactor = 70)`), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<(String, String)>,
    /// Only rows satisfying this predicate are compared (`WHERE (…)`).
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub deferrable: Deferrable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// One element of an exclusion constraint: an index key (a column or an expression, with its
/// operator class, collation and order) and the operator two rows' values are compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionElement {
    pub key: IndexKey,
    /// The operator as parsed (`fragment::operator_name`): its name (`&&`, `=`), qualified
    /// with its schema when given (`public.&&`).
    pub operator: String,
}

impl Exclusion {
    /// The columns the elements name (expressions left out), in element order.
    pub fn columns(&self) -> Vec<&str> {
        self.elements
            .iter()
            .filter_map(|e| match &e.key.target {
                IndexTarget::Column(c) => Some(c.as_str()),
                IndexTarget::Expr(_) => None,
            })
            .collect()
    }
}
