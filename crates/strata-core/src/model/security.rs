//! Access control: row-level security and its policies (per table), the roles a database
//! expects, and the privileges granted to them on tables, columns, sequences, functions and
//! schemas.
//!
//! Roles are cluster-wide objects: a schema lists the ones it needs; a migration creates a
//! missing one (never drops one), and drift reports a declared role the server lacks or whose
//! attributes differ.

use crate::diag::Loc;
use serde::{Deserialize, Serialize};

/// `ALTER TABLE … ENABLE ROW LEVEL SECURITY`, and `FORCE` (the owner is bound by the policies
/// too). A table without it has row-level security off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowLevelSecurity {
    Enabled,
    Forced,
}

/// The statements a policy applies to (`FOR …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyCommand {
    #[default]
    All,
    Select,
    Insert,
    Update,
    Delete,
}

impl PolicyCommand {
    pub fn sql(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PolicyCommand::All => "all",
            PolicyCommand::Select => "select",
            PolicyCommand::Insert => "insert",
            PolicyCommand::Update => "update",
            PolicyCommand::Delete => "delete",
        }
    }
}

/// A row-level security policy of a table (`CREATE POLICY <name> ON <table> …`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub name: String,
    #[serde(default, skip_serializing_if = "crate::model::is_default")]
    pub command: PolicyCommand,
    /// The roles it applies to, sorted; `public` (every role) when none is given.
    pub roles: Vec<String>,
    /// Which existing rows are visible (or may be updated or deleted): an SQL boolean
    /// expression over the table's columns, printed from its parse tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    /// Which new rows may be written (INSERT, UPDATE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    /// `AS RESTRICTIVE`: combined with AND instead of OR with the other policies.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restrictive: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The previous name, for the planner (`ALTER POLICY … RENAME TO`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// What a policy's expressions read: for the planner's dependency machinery (a column
/// dropped or retyped under a policy needs the policy dropped and created again).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyReads {
    /// Column names of the policy's table that `using` or `with_check` name, sorted.
    pub columns: Vec<String>,
    /// Functions called, without schema, lower-cased, sorted.
    pub functions: Vec<String>,
}

impl Policy {
    /// The columns and functions the policy's expressions read.
    pub fn reads(&self, table: &crate::model::Table) -> PolicyReads {
        let mut out = PolicyReads::default();
        for e in self.using.iter().chain(&self.with_check) {
            for c in crate::fragment::referenced_columns(e) {
                if table.column(&c).is_some() && !out.columns.contains(&c) {
                    out.columns.push(c);
                }
            }
            for f in crate::fragment::called_functions(e) {
                if !out.functions.contains(&f) {
                    out.functions.push(f);
                }
            }
        }
        out.columns.sort();
        out.functions.sort();
        out
    }

    /// Whether the policy applies to every role (`TO PUBLIC`).
    pub fn is_public(&self) -> bool {
        self.roles.is_empty() || self.roles == ["public"]
    }
}

/// A role the database expects (`CREATE ROLE`). Only the attributes listed here are managed;
/// passwords never are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    /// `LOGIN` (default `NOLOGIN`: a group role).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub login: bool,
    /// `INHERIT` (the default): the role uses its groups' privileges without `SET ROLE`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub inherit: bool,
    /// `BYPASSRLS`: row-level security policies do not apply to it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bypass_rls: bool,
    /// Roles it is a member of (`GRANT <group> TO <role>`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// A privilege of `GRANT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Privilege {
    Select,
    Insert,
    Update,
    Delete,
    Truncate,
    References,
    Trigger,
    Usage,
    Create,
    Execute,
}

impl Privilege {
    pub const ALL: [Privilege; 10] = [
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Truncate,
        Privilege::References,
        Privilege::Trigger,
        Privilege::Usage,
        Privilege::Create,
        Privilege::Execute,
    ];

    pub fn sql(self) -> &'static str {
        match self {
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Truncate => "TRUNCATE",
            Privilege::References => "REFERENCES",
            Privilege::Trigger => "TRIGGER",
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
            Privilege::Execute => "EXECUTE",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Privilege::Select => "select",
            Privilege::Insert => "insert",
            Privilege::Update => "update",
            Privilege::Delete => "delete",
            Privilege::Truncate => "truncate",
            Privilege::References => "references",
            Privilege::Trigger => "trigger",
            Privilege::Usage => "usage",
            Privilege::Create => "create",
            Privilege::Execute => "execute",
        }
    }

    /// The privilege named `word` (as written in a schema, or by `aclexplode` in upper case).
    pub fn parse(word: &str) -> Option<Privilege> {
        let w = word.trim().to_ascii_lowercase();
        Privilege::ALL.into_iter().find(|p| p.as_str() == w)
    }

    /// The privileges PostgreSQL grants on objects of `kind`.
    pub fn applicable(kind: GrantKind) -> &'static [Privilege] {
        use Privilege::*;
        match kind {
            GrantKind::Table => &[
                Select, Insert, Update, Delete, Truncate, References, Trigger,
            ],
            GrantKind::Column => &[Select, Insert, Update, References],
            GrantKind::Sequence => &[Usage, Select, Update],
            GrantKind::Function => &[Execute],
            GrantKind::Schema => &[Usage, Create],
        }
    }
}

/// The kind of object a grant is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GrantKind {
    Table,
    Column,
    Sequence,
    Function,
    Schema,
}

/// The object a grant is on. Tables, sequences and functions carry their PostgreSQL schema
/// (`None`: the default one).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantObject {
    Table {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schema: Option<String>,
        name: String,
    },
    Column {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schema: Option<String>,
        table: String,
        column: String,
    },
    Sequence {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schema: Option<String>,
        name: String,
    },
    /// A function by name and argument types (as PostgreSQL prints them, e.g. `uuid`,
    /// `text`), which together identify it.
    Function {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schema: Option<String>,
        name: String,
        args: Vec<String>,
    },
    Schema {
        name: String,
    },
}

impl GrantObject {
    pub fn kind(&self) -> GrantKind {
        match self {
            GrantObject::Table { .. } => GrantKind::Table,
            GrantObject::Column { .. } => GrantKind::Column,
            GrantObject::Sequence { .. } => GrantKind::Sequence,
            GrantObject::Function { .. } => GrantKind::Function,
            GrantObject::Schema { .. } => GrantKind::Schema,
        }
    }

    /// The table a table or column grant is on.
    pub fn table(&self) -> Option<&str> {
        match self {
            GrantObject::Table { name, .. } => Some(name),
            GrantObject::Column { table, .. } => Some(table),
            _ => None,
        }
    }
}

impl std::fmt::Display for GrantObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let q = |s: &Option<String>| s.as_ref().map(|s| format!("{s}.")).unwrap_or_default();
        match self {
            GrantObject::Table { schema, name } => write!(f, "table {}{name}", q(schema)),
            GrantObject::Column {
                schema,
                table,
                column,
            } => write!(f, "column {}{table}.{column}", q(schema)),
            GrantObject::Sequence { schema, name } => write!(f, "sequence {}{name}", q(schema)),
            GrantObject::Function { schema, name, args } => {
                write!(f, "function {}{name}({})", q(schema), args.join(", "))
            }
            GrantObject::Schema { name } => write!(f, "schema {name}"),
        }
    }
}

/// Privileges granted to one role on one object. A schema's grants are kept sorted by object
/// then role, with at most one entry per (object, role) and the privileges sorted, so two
/// schemas compare by what they grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub object: GrantObject,
    /// The grantee; `public` is every role (`TO PUBLIC`).
    pub role: String,
    pub privileges: Vec<Privilege>,
    #[serde(skip)]
    pub loc: Loc,
}

/// Sorts grants by object and role, merging entries of the same pair (privileges sorted and
/// unique).
pub fn normalize_grants(grants: &mut Vec<Grant>) {
    grants.sort_by(|a, b| (&a.object, &a.role).cmp(&(&b.object, &b.role)));
    let mut out: Vec<Grant> = Vec::with_capacity(grants.len());
    for g in grants.drain(..) {
        match out.last_mut() {
            Some(last) if last.object == g.object && last.role == g.role => {
                last.privileges.extend(g.privileges);
            }
            _ => out.push(g),
        }
    }
    for g in &mut out {
        g.privileges.sort();
        g.privileges.dedup();
    }
    out.retain(|g| !g.privileges.is_empty());
    *grants = out;
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}
