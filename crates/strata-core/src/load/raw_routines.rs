//! The serde shapes of `functions:` and of a table's `triggers:` (see [`super::raw`]).

use crate::schema_language::Text;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;

/// A function or procedure (`CREATE FUNCTION`, `CREATE PROCEDURE`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Function")]
pub struct RawFunction {
    /// The SQL name; default: the key. Two keys with one `name` are overloads (their input
    /// argument types differ).
    pub name: Option<String>,
    /// The PostgreSQL schema; default: the database's default schema.
    pub schema: Option<String>,
    /// `function` (default) or `procedure` (called with `CALL`, no result).
    pub kind: Option<RawRoutineKind>,
    /// `sql` (the body is parsed as SQL statements and printed back), `plpgsql` (checked by
    /// the PL/pgSQL parser), or another installed language (carried as text).
    pub language: String,
    /// The arguments, in order.
    #[serde(default)]
    pub arguments: Vec<RawArgument>,
    /// The result: a type (`integer`, `void`, `trigger`), `{setof: type}` or
    /// `{table: {column: type}}`. Omitted for a procedure, or when OUT arguments give it.
    #[schemars(with = "Option<RawReturnsForm>")]
    pub returns: Option<Value>,
    /// `volatile` (default), `stable` or `immutable`.
    pub volatility: Option<RawVolatility>,
    /// `STRICT`: NULL for any NULL argument, without running the body.
    #[serde(default)]
    pub strict: bool,
    /// `SECURITY DEFINER`: runs with the privileges of its owner.
    #[serde(default)]
    pub security_definer: bool,
    /// `unsafe` (default), `restricted` or `safe`.
    pub parallel: Option<RawParallel>,
    /// The planner's estimate of its cost (`COST`); default PostgreSQL's (100).
    pub cost: Option<f64>,
    /// Settings while it runs (`SET search_path TO …`): parameter → value; a list value is
    /// written comma-separated (`public, pg_temp`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Text>")]
    pub set: Mapping,
    /// The body (what goes between the dollar quotes).
    pub body: String,
    /// SQL comment and docs.
    pub description: Option<String>,
    /// Whether every role may call it (`EXECUTE` for `PUBLIC`, PostgreSQL's default: `true`).
    /// `false` revokes it, so only the roles `grants:` names may call the function — what a
    /// `security_definer` function should do.
    pub public_execute: Option<bool>,
    /// The function's previous SQL name (same schema, same argument types): the planner renames
    /// it (`ALTER FUNCTION … RENAME TO`) instead of dropping it and creating this one.
    pub renamed_from: Option<String>,
}

/// Function or procedure.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "RoutineKind")]
pub enum RawRoutineKind {
    Function,
    Procedure,
}

/// One argument.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Argument")]
pub struct RawArgument {
    /// The argument's name (optional for unnamed arguments, used as `$1`).
    pub name: Option<String>,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: String,
    /// `in` (default), `out`, `inout` or `variadic`.
    pub mode: Option<RawArgMode>,
    /// An SQL expression used when the caller leaves the argument out.
    #[schemars(with = "Option<Text>")]
    pub default: Option<Value>,
}

/// An argument's mode.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ArgMode")]
pub enum RawArgMode {
    In,
    Out,
    Inout,
    Variadic,
}

/// `volatile`, `stable` or `immutable`.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Volatility")]
pub enum RawVolatility {
    Volatile,
    Stable,
    Immutable,
}

/// `unsafe`, `restricted` or `safe`.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Parallel")]
pub enum RawParallel {
    Unsafe,
    Restricted,
    Safe,
}

/// A result of rows of one type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ReturnsSetOf")]
pub struct RawSetOf {
    /// The type of each row (`SETOF type`).
    pub setof: String,
}

/// A result of rows of named columns.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ReturnsTable")]
pub struct RawReturnsTable {
    /// Column → type, in order (`RETURNS TABLE (…)`).
    #[schemars(with = "BTreeMap<String, String>")]
    pub table: Mapping,
}

/// A function's result, for the JSON Schema.
#[derive(JsonSchema)]
#[schemars(untagged, rename = "Returns")]
#[allow(dead_code)]
pub(crate) enum RawReturnsForm {
    /// A type: `integer`, `void`, `trigger`, …
    Type(String),
    SetOf(RawSetOf),
    Table(RawReturnsTable),
}

/// A trigger (`CREATE TRIGGER`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Trigger")]
pub struct RawTrigger {
    /// `before`, `after` or `instead_of`.
    pub timing: RawTiming,
    /// `insert`, `update`, `{update_of: [columns]}`, `delete`, `truncate`.
    #[schemars(with = "Vec<RawEventForm>")]
    pub events: Vec<Value>,
    /// `row` or `statement`.
    pub for_each: RawForEach,
    /// A condition over `OLD` and `NEW` (`WHEN (…)`), an SQL boolean expression.
    pub when: Option<String>,
    /// The trigger function (`returns: trigger`), by name (`schema.name` for another schema).
    pub function: String,
    /// Text arguments the function sees as `TG_ARGV`.
    #[serde(default)]
    #[schemars(with = "Vec<Text>")]
    pub arguments: Vec<Value>,
    /// Transition tables of an AFTER trigger: `{old_table: name, new_table: name}`.
    pub referencing: Option<RawReferencing>,
    /// `CREATE CONSTRAINT TRIGGER` (an AFTER … FOR EACH ROW trigger that can be deferred).
    #[serde(default)]
    pub constraint: bool,
    /// For a constraint trigger: `immediate` or `deferred`.
    pub deferrable: Option<super::raw::RawDeferrable>,
    /// SQL comment and docs.
    pub description: Option<String>,
    /// The trigger's previous name on this table: the planner renames it (`ALTER TRIGGER …
    /// RENAME TO`) instead of dropping it and creating this one.
    pub renamed_from: Option<String>,
}

/// When a trigger fires.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "TriggerTiming")]
pub enum RawTiming {
    Before,
    After,
    InsteadOf,
}

/// Once per row or once per statement.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ForEach")]
pub enum RawForEach {
    Row,
    Statement,
}

/// A trigger's event, for the JSON Schema.
#[derive(JsonSchema)]
#[schemars(untagged, rename = "TriggerEvent")]
#[allow(dead_code)]
pub(crate) enum RawEventForm {
    /// `insert`, `update`, `delete` or `truncate`.
    Name(RawEventName),
    UpdateOf(RawUpdateOf),
}

#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "TriggerEventName")]
pub enum RawEventName {
    Insert,
    Update,
    Delete,
    Truncate,
}

/// `UPDATE OF` these columns.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "UpdateOf")]
pub struct RawUpdateOf {
    pub update_of: Vec<String>,
}

/// Transition tables.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Referencing")]
pub struct RawReferencing {
    /// The rows before the statement (`OLD TABLE AS …`; UPDATE and DELETE).
    pub old_table: Option<String>,
    /// The rows after the statement (`NEW TABLE AS …`; INSERT and UPDATE).
    pub new_table: Option<String>,
}
