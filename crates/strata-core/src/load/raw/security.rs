//! The access-control keys of a schema file: `roles:` and `grants:` at the top level,
//! `row_level_security:`, `policies:` and `grants:` of a table, `grants:` of a sequence.

use crate::schema_language::GrantsForm;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_yaml::Mapping;
use std::collections::BTreeMap;

/// Row-level security of a table: `enabled` (policies apply to every role but the table's
/// owner and roles with `BYPASSRLS`) or `forced` (to the owner too). Off when absent.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "RowLevelSecurity")]
pub enum RawRowLevelSecurity {
    Enabled,
    Forced,
}

/// The statements a policy applies to: `all` (the default), `select`, `insert`, `update` or
/// `delete`.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "PolicyCommand")]
pub enum RawPolicyCommand {
    All,
    Select,
    Insert,
    Update,
    Delete,
}

/// How a policy combines with the table's other policies: `permissive` (the default; a row is
/// allowed when any permissive policy allows it) or `restrictive` (every restrictive policy
/// must allow it too).
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "PolicyKind")]
pub enum RawPolicyKind {
    Permissive,
    Restrictive,
}

/// A row-level security policy (`CREATE POLICY`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Policy")]
pub struct RawPolicy {
    /// `all` (default), `select`, `insert`, `update` or `delete`.
    pub command: Option<RawPolicyCommand>,
    /// The roles it applies to (default: `public`, every role).
    pub roles: Option<Vec<String>>,
    /// SQL boolean expression: which existing rows are visible, updatable or deletable, e.g.
    /// `tenant_id = current_setting('app.tenant_id')::uuid`.
    pub using: Option<String>,
    /// SQL boolean expression: which new rows an INSERT or UPDATE may write.
    pub with_check: Option<String>,
    /// `permissive` (default) or `restrictive`.
    #[serde(rename = "as")]
    pub kind: Option<RawPolicyKind>,
    /// The policy's comment; shown in docs.
    pub description: Option<String>,
    /// The policy's previous name on this table: the planner renames it (`ALTER POLICY …
    /// RENAME TO`) instead of dropping it and creating this one.
    pub renamed_from: Option<String>,
}

/// A role the database expects, in its long form (every key optional).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Role")]
pub struct RawRole {
    /// The role can log in (`LOGIN`); default `false` (a group role).
    #[serde(default)]
    pub login: bool,
    /// The role uses the privileges of the roles it is a member of without `SET ROLE`
    /// (`INHERIT`); default `true`.
    pub inherit: Option<bool>,
    /// Row-level security policies do not apply to the role (`BYPASSRLS`).
    #[serde(default)]
    pub bypass_rls: bool,
    /// Roles this role is a member of (`GRANT <group> TO <role>`).
    #[serde(default)]
    pub member_of: Vec<String>,
    /// What the role is for (the role's comment is not written: roles are cluster-wide).
    pub description: Option<String>,
}

/// Grants on objects the schema does not declare itself: PostgreSQL schemas and functions.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TopGrants")]
pub struct RawTopGrants {
    /// PostgreSQL schema name → role → privileges (`usage`, `create`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, GrantsForm>")]
    pub schemas: Mapping,
    /// Function signature, `name(type, …)` with the argument types only → role →
    /// privileges (`execute`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, GrantsForm>")]
    pub functions: Mapping,
}
