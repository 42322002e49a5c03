//! The schema file as written: serde shapes decoded with serde_yaml.
//!
//! Polymorphic spots (a column given as a type string or a map, a reference given as `table` or
//! `{table, column}`, ...) are kept as `Value` here and decoded by [`super::lower`], which knows
//! where each node is. Every struct denies unknown keys.
//!
//! The same types describe the language to editors: they derive `schemars::JsonSchema`, and
//! [`crate::schema_language`] turns them into the JSON Schema behind the files' modeline. Their
//! doc comments are the hover texts. Where a field is kept as `Value` or `Mapping`, a
//! `#[schemars(with = ...)]` names the shapes the loader accepts there (the `*Form` types of
//! `schema_language`); none of these attributes changes how serde reads a file.

pub mod partitions;
pub mod security;

use crate::schema_language::{
    CheckForm, ColumnForm, EnumValueForm, GrantsForm, IndexKeyForm, JsonFieldForm, ReferenceForm,
    RolesForm, Text, UniqueForm,
};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;

/// A Strata schema file: one database, or one group of tables of a schema folder. See
/// docs/schema-language.md.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SchemaFile")]
pub struct RawFile {
    /// The database's description (docs). In a folder, set in one file only.
    #[schemars(with = "Option<Text>")]
    pub description: Option<String>,
    /// Extensions the schema needs, created with `CREATE EXTENSION IF NOT EXISTS` (e.g.
    /// `pgcrypto`). In a folder, set in one file only.
    #[schemars(with = "Option<Vec<Text>>")]
    pub extensions: Option<Vec<String>>,
    /// Extra derives added to every generated Rust struct, as Rust paths (`[Eq, Hash]`). In a
    /// folder, set in one file only.
    #[schemars(with = "Option<Vec<Text>>")]
    pub derives: Option<Vec<String>>,
    /// Consent for destructive migration steps, e.g. `drop_column:users.legacy`.
    #[schemars(with = "Option<Vec<Text>>")]
    pub allow: Option<Vec<String>>,
    /// PostgreSQL schemas other than `public`: name → `{comment}` (or nothing). An object in
    /// one is keyed `schema.name` (`tables: {billing.invoices: …}`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Option<RawPgSchema>>")]
    pub schemas: Mapping,
    /// The PostgreSQL schema of this file: every enum, sequence, domain and table the file
    /// declares without a `schema.` prefix, and every view and function without its own
    /// `schema:`, lives in it (`schema: billing` makes `invoices` mean `billing.invoices`;
    /// `public.name` keeps one object in `public`). Unqualified references look there first,
    /// then in `public`; a name found in both is an error. The schema must be declared under
    /// `schemas:` (in any file of the database).
    #[schemars(with = "Option<Text>")]
    pub schema: Option<String>,
    /// Value sets, declared once and used by any number of columns: name → enum.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawEnum>")]
    pub enums: Mapping,
    /// Typed JSON: structures a `json`/`jsonb` column can name with `json:`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawJsonType>")]
    pub json_types: Mapping,
    /// Sequences: name → sequence (`CREATE SEQUENCE`), for `nextval('name')` defaults.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawSequence>")]
    pub sequences: Mapping,
    /// Domains: name → a type with its own default, NOT NULL and checks (`CREATE DOMAIN`),
    /// usable as a column type.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawDomain>")]
    pub domains: Mapping,
    /// Reusable column groups a table includes with `mixins: [name]`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawMixin>")]
    pub mixins: Mapping,
    /// The tables, in declaration order: name (exactly as in SQL) → table.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawTable>")]
    pub tables: Mapping,
    /// Functions and procedures: key → function (`CREATE FUNCTION`/`PROCEDURE`). The key is
    /// the SQL name unless `name:` gives one (overloads: two keys, one `name`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, crate::load::raw_routines::RawFunction>")]
    pub functions: Mapping,
    /// Views and materialized views: name → view (`CREATE [MATERIALIZED] VIEW`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawView>")]
    pub views: Mapping,
    /// The roles the database expects: a list of names, or name → `{login, inherit,
    /// bypass_rls, member_of}`. Roles are cluster-wide: a migration creates a missing one and
    /// never drops one.
    #[serde(default)]
    #[schemars(with = "Option<RolesForm>")]
    pub roles: Value,
    /// Grants on PostgreSQL schemas and functions: `{schemas: {public: {app: [usage]}},
    /// functions: {"f(uuid)": {app: [execute]}}}`.
    pub grants: Option<security::RawTopGrants>,
}

pub const FILE_KEYS: &[&str] = &[
    "description",
    "schema",
    "schemas",
    "extensions",
    "derives",
    "allow",
    "enums",
    "json_types",
    "sequences",
    "domains",
    "mixins",
    "tables",
    "functions",
    "views",
    "roles",
    "grants",
];

/// A PostgreSQL schema (`CREATE SCHEMA`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PgSchema")]
pub struct RawPgSchema {
    /// The schema's comment (`COMMENT ON SCHEMA`), also shown in the docs.
    pub comment: Option<String>,
}

/// A view, or with `materialized: true` a materialized view.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "View")]
pub struct RawView {
    /// The query: one `SELECT`, `VALUES` or `WITH … SELECT`, parsed by PostgreSQL's grammar.
    pub query: String,
    /// A materialized view (`CREATE MATERIALIZED VIEW … WITH DATA`): its rows are stored.
    #[serde(default)]
    pub materialized: bool,
    /// `local` or `cascaded`: rows written through the view must satisfy its `WHERE`.
    pub with_check_option: Option<RawCheckOption>,
    /// `WITH (security_barrier)`: functions in a query never see rows the view filters out.
    #[serde(default)]
    pub security_barrier: bool,
    /// `WITH (security_invoker)`: the view reads with the rights of its caller.
    #[serde(default)]
    pub security_invoker: bool,
    /// SQL comment and docs.
    pub description: Option<String>,
    /// The view's columns: column → `{ description, type }`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawViewColumn>")]
    pub columns: Mapping,
    /// Columns of the view that identify a row, for the generated find/page methods.
    #[serde(default)]
    pub key: Vec<String>,
    /// Indexes of a materialized view, as a table's.
    #[serde(default)]
    pub indexes: Vec<RawIndex>,
    /// The PostgreSQL schema of the view (default: the database's default schema).
    pub schema: Option<String>,
    /// The view's previous name, to rename it (`ALTER VIEW … RENAME TO`).
    pub renamed_from: Option<String>,
}

/// A view column's comment.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ViewColumn")]
pub struct RawViewColumn {
    /// SQL comment and docs.
    pub description: Option<String>,
    /// The column's type, for one whose type Strata cannot read from the query (an
    /// expression other than a column, a cast or `count`): `numeric`, `text[]`, an enum.
    #[serde(rename = "type")]
    pub ty: Option<String>,
}

/// `with_check_option:` `local` or `cascaded`.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "CheckOption")]
pub enum RawCheckOption {
    Local,
    Cascaded,
}

/// A sequence (`CREATE SEQUENCE`); every option has PostgreSQL's default.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Sequence")]
pub struct RawSequence {
    /// `smallint`, `integer` or `bigint` (default).
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// The first value (`START WITH`).
    pub start: Option<i64>,
    /// `INCREMENT BY`.
    pub increment: Option<i64>,
    /// `MINVALUE`.
    pub min: Option<i64>,
    /// `MAXVALUE`.
    pub max: Option<i64>,
    /// `CACHE`.
    pub cache: Option<i64>,
    /// Start over after the last value (`CYCLE`).
    #[serde(default)]
    pub cycle: bool,
    /// `table.column` that owns the sequence: dropping the column drops it.
    pub owned_by: Option<String>,
    /// SQL comment and docs.
    pub description: Option<String>,
    /// Role → privileges on the sequence (`usage`, `select`, `update`).
    #[serde(default)]
    #[schemars(with = "GrantsForm")]
    pub grants: Mapping,
}

/// A domain (`CREATE DOMAIN`): a type with a default, NOT NULL and checks, used as a column
/// type. Rust sees the underlying type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Domain")]
pub struct RawDomain {
    /// The underlying type: a built-in type, an enum, with `[]` for an array (not a domain).
    #[serde(rename = "type")]
    pub ty: String,
    /// Refuse NULL in every column of the domain (`NOT NULL`).
    #[serde(default)]
    pub not_null: bool,
    /// A literal default for columns of the domain, as a column's `default:`.
    #[schemars(with = "Option<serde_json::Value>")]
    pub default: Option<Value>,
    /// An SQL expression default, as a column's `default_sql:`.
    pub default_sql: Option<String>,
    /// Checks over `VALUE`: each an SQL boolean expression, or `{expr, name}`.
    #[serde(default)]
    #[schemars(with = "Vec<CheckForm>")]
    pub checks: Vec<Value>,
    /// SQL comment and docs.
    pub description: Option<String>,
}

/// An enum: a PostgreSQL enum type and a Rust enum.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Enum")]
pub struct RawEnum {
    /// The values, in order: at least one, no duplicates. A value is a string, or a map with
    /// `name`.
    #[schemars(with = "Vec<EnumValueForm>")]
    pub values: Vec<Value>,
    /// SQL comment, Rust doc comment and docs.
    pub description: Option<String>,
    /// Rust type name (default: UpperCamelCase of the SQL name).
    pub rust_name: Option<String>,
    /// The enum's previous name, for the migration planner.
    pub renamed_from: Option<String>,
}

/// An enum value in its long form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "EnumValue")]
pub struct RawEnumValue {
    /// The value as stored in the database.
    pub name: String,
    /// Shown in docs and as the Rust variant's doc comment.
    pub description: Option<String>,
    /// Rust variant name (default: UpperCamelCase of the value).
    pub rust_name: Option<String>,
    /// The value's previous name, for the migration planner.
    pub renamed_from: Option<String>,
}

/// A typed JSON structure: a Rust struct that a `json`/`jsonb` column holds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "JsonType")]
pub struct RawJsonType {
    /// JSON key (as written) → field type: `string`, `integer`, `number`, `boolean`, `any`, a
    /// structure name, `T[]`, `map<T>`, with a trailing `?` for an optional field.
    #[schemars(with = "BTreeMap<String, JsonFieldForm>")]
    pub fields: Mapping,
    /// Rust doc comment and docs.
    pub description: Option<String>,
    /// Rust struct name (default: UpperCamelCase of the name).
    pub rust_name: Option<String>,
    /// Keep keys that are not declared (a flattened map), so no data is lost.
    #[serde(default)]
    pub extra: bool,
}

/// A JSON field in its long form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "JsonField")]
pub struct RawJsonField {
    /// `string`, `integer`, `number`, `boolean`, `any`, a structure name, `T[]` or `map<T>`,
    /// with a trailing `?` for an optional field.
    #[serde(rename = "type")]
    pub ty: String,
    /// Rust doc comment and docs.
    pub description: Option<String>,
    /// Rust field name (default: snake_case of the JSON key, with a serde rename).
    pub rust_name: Option<String>,
}

/// Where a mixin's columns go in a table that includes it: `start` (before the table's own
/// columns, the default) or `end`.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum MixinPosition {
    #[default]
    Start,
    End,
}

/// A mixin: a group of columns that tables include with `mixins: [name]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Mixin")]
pub struct RawMixin {
    /// The columns, with the same syntax as a table's columns.
    #[schemars(with = "BTreeMap<String, ColumnForm>")]
    pub columns: Mapping,
    /// Documentation for the schema's reader; the model keeps only the expanded columns.
    #[allow(dead_code)]
    pub description: Option<String>,
    /// `start` (default) or `end` of the including table's columns.
    #[serde(default)]
    pub position: MixinPosition,
}

/// A table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Table")]
pub struct RawTable {
    /// Column name (exactly as in SQL) → column; declaration order is column order. A column is
    /// its type (`text`, `text?` for nullable) or a map with `type`.
    #[schemars(with = "BTreeMap<String, ColumnForm>")]
    pub columns: Mapping,
    /// SQL comment, Rust doc comment and docs.
    pub description: Option<String>,
    /// Rust struct name (default: singular UpperCamelCase: `bot_memories` → `BotMemory`).
    pub rust_name: Option<String>,
    /// The table's previous name, for the migration planner (keeps the data).
    pub renamed_from: Option<String>,
    /// Mixins (column groups) to include.
    #[serde(default)]
    pub mixins: Vec<String>,
    /// The primary key: its columns (instead of `primary_key: true` on one column), or
    /// `{columns, name, description}`.
    pub primary_key: Option<RawPrimaryKey>,
    /// Unique keys: each a list of columns, or `{columns, name, nulls_not_distinct}`.
    #[serde(default)]
    #[schemars(with = "Vec<UniqueForm>")]
    pub unique: Vec<Value>,
    /// Check constraints: each an SQL boolean expression, or `{expr, name}`.
    #[serde(default)]
    #[schemars(with = "Vec<CheckForm>")]
    pub checks: Vec<Value>,
    /// Composite or named foreign keys.
    #[serde(default)]
    pub foreign_keys: Vec<RawForeignKey>,
    /// Exclusion constraints (`EXCLUDE USING gist (during WITH &&)`): no two rows may have
    /// every element satisfy its operator.
    #[serde(default)]
    pub exclude: Vec<RawExclusion>,
    /// Indexes.
    #[serde(default)]
    pub indexes: Vec<RawIndex>,
    /// Default `true`: index every foreign-key column set not already covered by the leading
    /// columns of the primary key, a unique key or an index; `false` opts out.
    pub index_foreign_keys: Option<bool>,
    /// The table holds at most one row, enforced by the database.
    #[serde(default)]
    pub single_row: bool,
    /// `CREATE UNLOGGED TABLE`: not written to the write-ahead log (faster writes; emptied
    /// after a crash, not replicated).
    #[serde(default)]
    pub unlogged: bool,
    /// Storage parameters: name → value (`{ fillfactor: 70, autovacuum_enabled: false }`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub with: Mapping,
    /// Triggers on the table: name → trigger (`CREATE TRIGGER`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, crate::load::raw_routines::RawTrigger>")]
    pub triggers: Mapping,
    /// Row-level security: `enabled` or `forced`; off when absent.
    pub row_level_security: Option<security::RawRowLevelSecurity>,
    /// Row-level security policies: name → policy.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, security::RawPolicy>")]
    pub policies: Mapping,
    /// Role → privileges on the table (`select`, `insert`, `update`, `delete`, `truncate`,
    /// `references`, `trigger`), or on some columns only (`{update: [name]}`).
    #[serde(default)]
    #[schemars(with = "GrantsForm")]
    pub grants: Mapping,
    /// Declarative partitioning: `{ range: [columns] }`, `{ list: [column] }` or `{ hash:
    /// [columns] }` (`PARTITION BY …`). Rows are read and written through the table.
    pub partition_by: Option<partitions::RawPartitionBy>,
    /// The partitions of a partitioned table: name → bound (`{from, to}`, `{in}`,
    /// `{modulus, remainder}` or `{default: true}`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, partitions::RawPartition>")]
    pub partitions: Mapping,
}

/// A foreign-key action: `cascade` (delete or update the referencing rows too), `set_null`,
/// `set_default`, `restrict` (refuse at once) or `no_action` (refuse at the end of the
/// statement; the default).
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "FkAction")]
pub enum RawFkAction {
    Cascade,
    SetNull,
    SetDefault,
    Restrict,
    NoAction,
}

/// `GENERATED … AS IDENTITY` for an integer key: `always` (inserts cannot give a value) or
/// `by_default` (they may).
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Identity")]
pub enum RawIdentity {
    Always,
    ByDefault,
}

/// The sequence options of an identity column; every one has PostgreSQL's default.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "IdentityOptions")]
pub struct RawIdentityOptions {
    /// `START WITH`.
    pub start: Option<i64>,
    /// `INCREMENT BY`.
    pub increment: Option<i64>,
    /// `MINVALUE`.
    pub min: Option<i64>,
    /// `MAXVALUE`.
    pub max: Option<i64>,
    /// `CACHE`.
    pub cache: Option<i64>,
    /// `CYCLE`.
    #[serde(default)]
    pub cycle: bool,
}

/// A column in its long form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Column")]
pub struct RawColumn {
    /// The column type: `uuid`, `text`, `varchar(n)`, `integer`, `bigint`, `numeric(p,s)`,
    /// `boolean`, `timestamptz`, `jsonb`, an enum name, … with `[]` for an array.
    #[serde(rename = "type")]
    pub ty: String,
    /// Allow NULL (default `false`).
    #[serde(default)]
    pub nullable: bool,
    /// A literal default: a string, number, bool, or (for json/jsonb) any YAML value. Always
    /// quoted and cast safely.
    #[schemars(with = "Option<serde_json::Value>")]
    pub default: Option<Value>,
    /// An SQL expression default, written as given: `now()`, `gen_random_uuid()`.
    pub default_sql: Option<String>,
    /// `GENERATED … AS IDENTITY` for an integer key.
    pub identity: Option<RawIdentity>,
    /// The identity's sequence options: `{start, increment, min, max, cache, cycle}`.
    pub identity_options: Option<RawIdentityOptions>,
    /// A generated column: the SQL expression over other columns of the row that PostgreSQL
    /// computes and stores (`GENERATED ALWAYS AS (…) STORED`). Read-only in Rust.
    pub generated: Option<String>,
    /// How existing values convert when the column's type changes and PostgreSQL has no
    /// cast (`ALTER … TYPE … USING <expr>`), e.g. `to_timestamp(created)`. Planner-only.
    pub using: Option<String>,
    /// SQL expression that fills existing rows when the column becomes NOT NULL.
    pub backfill: Option<String>,
    /// Single-column primary key.
    #[serde(default)]
    pub primary_key: bool,
    /// Single-column unique constraint.
    #[serde(default)]
    pub unique: bool,
    /// Foreign key: `table`, `table.column` or `{table, column}`; the target is the table's
    /// primary key or a unique column.
    #[schemars(with = "Option<ReferenceForm>")]
    pub references: Option<Value>,
    /// Foreign-key action on DELETE of the referenced row (default `no_action`).
    pub on_delete: Option<RawFkAction>,
    /// Foreign-key action on UPDATE of the referenced key (default `no_action`).
    pub on_update: Option<RawFkAction>,
    /// A column check constraint (SQL boolean expression).
    pub check: Option<String>,
    /// The database sets this column to `now()` on every UPDATE (timestamp, timestamptz or
    /// date).
    #[serde(default)]
    pub auto_update: bool,
    /// The table's soft-delete flag, at most one per table: a boolean (true = deleted) or a
    /// nullable deletion time (`timestamptz`/`timestamp`, NULL = live, no default).
    #[serde(default)]
    pub soft_delete: bool,
    /// For json/jsonb: the structure it holds (`SocialLink[]`, `Context`, `map<integer>`).
    pub json: Option<String>,
    /// The column's collation (`COLLATE "C"`), for text types: `C`, `POSIX`, `en-US-x-icu`, …
    pub collation: Option<String>,
    /// SQL comment, Rust doc comment and docs.
    pub description: Option<String>,
    /// Rust field name (default: snake_case of the SQL name).
    pub rust_name: Option<String>,
    /// The column's previous name, for the migration planner (keeps the data).
    pub renamed_from: Option<String>,
}

/// A foreign-key target in its long form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Reference")]
pub struct RawReference {
    /// The referenced table.
    pub table: String,
    /// The referenced column (default: the table's primary key).
    pub column: Option<String>,
}

/// A unique key in its long form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Unique")]
pub struct RawUnique {
    /// The key's columns.
    pub columns: Vec<String>,
    /// Constraint name (default: `<table>_<columns>_key`).
    pub name: Option<String>,
    /// Treat NULLs as equal (`UNIQUE NULLS NOT DISTINCT`).
    #[serde(default)]
    pub nulls_not_distinct: bool,
    /// Columns stored in the constraint's index but not part of the key (`INCLUDE (…)`).
    #[serde(default)]
    pub include: Vec<String>,
    /// `immediate` (`DEFERRABLE`) or `deferred` (`DEFERRABLE INITIALLY DEFERRED`).
    pub deferrable: Option<RawDeferrable>,
    /// The constraint's comment.
    pub description: Option<String>,
}

/// When a deferrable constraint is checked by default: `immediate` (after each statement,
/// unless `SET CONSTRAINTS … DEFERRED`) or `deferred` (at COMMIT).
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Deferrable")]
pub enum RawDeferrable {
    Immediate,
    Deferred,
}

/// A check constraint in its long form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Check")]
pub struct RawCheck {
    /// An SQL boolean expression.
    pub expr: String,
    /// Constraint name (default: derived from the columns the expression names).
    pub name: Option<String>,
    /// `NOT VALID`: enforced on new and updated rows; existing rows are not checked.
    #[serde(default)]
    pub not_valid: bool,
    /// `NO INHERIT`: child tables do not inherit the check.
    #[serde(default)]
    pub no_inherit: bool,
    /// The constraint's comment.
    pub description: Option<String>,
}

/// A composite or named foreign key.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ForeignKey")]
pub struct RawForeignKey {
    /// The referencing columns.
    pub columns: Vec<String>,
    /// The referenced table and columns.
    pub references: RawFkTarget,
    /// Action on DELETE of the referenced row (default `no_action`).
    pub on_delete: Option<RawFkAction>,
    /// With `on_delete: set_null` or `set_default`: only these of the key's columns are set
    /// (`ON DELETE SET NULL (author_id)`, PostgreSQL 15); default: all of them.
    #[serde(default)]
    pub on_delete_columns: Vec<String>,
    /// Action on UPDATE of the referenced key (default `no_action`).
    pub on_update: Option<RawFkAction>,
    /// Constraint name (default: `<table>_<columns>_fkey`).
    pub name: Option<String>,
    /// `MATCH FULL`: a row with some but not all key columns NULL is refused.
    #[serde(default)]
    pub match_full: bool,
    /// `immediate` (`DEFERRABLE`) or `deferred` (`DEFERRABLE INITIALLY DEFERRED`).
    pub deferrable: Option<RawDeferrable>,
    /// `NOT VALID`: enforced on new and updated rows; existing rows are not checked.
    #[serde(default)]
    pub not_valid: bool,
    /// The constraint's comment.
    pub description: Option<String>,
}

/// An exclusion constraint.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Exclusion")]
pub struct RawExclusion {
    /// The elements: each a column or an expression and the operator two rows are compared
    /// with (`{ column: during, operator: "&&" }`).
    pub elements: Vec<RawExclusionElement>,
    /// Access method of the constraint's index (default btree, as in PostgreSQL; ranges and
    /// geometric types want `gist`).
    pub using: Option<RawMethod>,
    /// Constraint name (default: `<table>_<columns>_excl`, as PostgreSQL names it).
    pub name: Option<String>,
    /// Columns stored in the constraint's index but not compared (`INCLUDE (…)`).
    #[serde(default)]
    pub include: Vec<String>,
    /// Storage parameters of the constraint's index: name → value (`{ fillfactor: 70 }`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub with: Mapping,
    /// Only rows satisfying this SQL predicate are compared (`WHERE (…)`).
    #[serde(rename = "where")]
    pub predicate: Option<String>,
    /// `immediate` (`DEFERRABLE`) or `deferred` (`DEFERRABLE INITIALLY DEFERRED`).
    pub deferrable: Option<RawDeferrable>,
    /// The constraint's comment.
    pub description: Option<String>,
}

/// One element of an exclusion constraint: exactly one of `column` and `expr`, and `operator`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ExclusionElement")]
pub struct RawExclusionElement {
    /// A column name.
    pub column: Option<String>,
    /// An SQL expression such as `tstzrange(starts_at, ends_at)`.
    pub expr: Option<String>,
    /// The operator two rows' values are compared with: `=`, `&&`, `<>`, … (optionally
    /// schema-qualified: `public.&&`). The constraint is violated when every element's
    /// operator returns true.
    pub operator: String,
    /// An operator class other than the type's default for the access method.
    pub opclass: Option<String>,
    /// A collation other than the column's, e.g. `C`.
    pub collation: Option<String>,
    /// `asc` (default) or `desc` (btree only).
    pub order: Option<RawOrder>,
    /// `first` or `last`: where NULLs sort (default: last ascending, first descending).
    pub nulls: Option<RawNulls>,
}

/// The target of a composite foreign key.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ForeignKeyTarget")]
pub struct RawFkTarget {
    /// The referenced table.
    pub table: String,
    /// The referenced columns (default: the table's primary key).
    pub columns: Option<Vec<String>>,
}

/// An index access method: `btree` (the default), `hash`, `gin` (arrays, jsonb, full-text
/// search), `gist`, `brin` or `spgist`.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "IndexMethod")]
pub enum RawMethod {
    Btree,
    Hash,
    Gin,
    Gist,
    Brin,
    Spgist,
}

/// An index.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Index")]
pub struct RawIndex {
    /// Index keys: a column name with an optional ` desc`/` asc` suffix, or `{column, order}` /
    /// `{expr, order}`.
    #[schemars(with = "Vec<IndexKeyForm>")]
    pub columns: Vec<Value>,
    /// Unique index.
    #[serde(default)]
    pub unique: bool,
    /// Access method (default btree).
    pub using: Option<RawMethod>,
    /// Partial index predicate (SQL).
    #[serde(rename = "where")]
    pub predicate: Option<String>,
    /// Explicit name (default: `<table>_<columns>_idx`, or `_key` when unique).
    pub name: Option<String>,
    /// The index's comment; shown in docs.
    pub description: Option<String>,
    /// Columns stored in the index but not keys (`INCLUDE (…)`), for index-only scans.
    #[serde(default)]
    pub include: Vec<String>,
    /// A unique index that treats NULLs as equal (`NULLS NOT DISTINCT`).
    #[serde(default)]
    pub nulls_not_distinct: bool,
    /// Storage parameters: name → value (`{ fillfactor: 70 }`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub with: Mapping,
}

/// The sort order of an index key: `asc` (the default) or `desc`.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "IndexOrder")]
pub enum RawOrder {
    Asc,
    Desc,
}

/// An index key in its long form: exactly one of `column` and `expr`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "IndexKey")]
pub struct RawIndexKey {
    /// A column name.
    pub column: Option<String>,
    /// An SQL expression such as `(context->'vars'->>'taskId')`.
    pub expr: Option<String>,
    /// `first` or `last`: where NULLs sort (default: last ascending, first descending).
    pub nulls: Option<RawNulls>,
    /// An operator class other than the type's default, e.g. `text_pattern_ops`.
    pub opclass: Option<String>,
    /// A collation other than the column's, e.g. `C`.
    pub collation: Option<String>,
    /// `asc` (default) or `desc`.
    pub order: Option<RawOrder>,
}

/// Where NULLs sort in an index key.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "IndexNulls")]
pub enum RawNulls {
    First,
    Last,
}

/// A table's primary key: a list of columns, or the long form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "PrimaryKey")]
pub enum RawPrimaryKey {
    Columns(Vec<String>),
    Long(RawPrimaryKeyLong),
}

/// A primary key in its long form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PrimaryKeyLong")]
pub struct RawPrimaryKeyLong {
    /// The key's columns.
    pub columns: Vec<String>,
    /// Constraint name (default: `<table>_pkey`).
    pub name: Option<String>,
    /// The constraint's comment.
    pub description: Option<String>,
}
