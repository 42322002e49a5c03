//! The validated schema model that every renderer reads.
//!
//! A [`Schema`] is what the loader produces from YAML once validation passed: mixins expanded,
//! column-level keys lifted to table constraints, every constraint and index named. It is
//! deterministic (declaration order everywhere) and serializable, so it can be snapshotted and
//! stored beside the migrations.

mod constraints;
mod indexes;
mod names;
mod partitions;
mod routines;
mod security;
mod types;
mod views;

pub use constraints::{
    Check, Deferrable, Exclusion, ExclusionElement, FkAction, ForeignKey, PrimaryKey, Unique,
};
pub use indexes::{Index, IndexKey, IndexMethod, IndexTarget};
pub use names::{
    MAX_IDENT_BYTES, ambiguous_reference, exclusion_name, expr_words, fold_ident, is_rust_keyword,
    local_name, qualify, resolve_reference, rust_field_ident, shorten_ident, singular,
    split_qualified,
};
pub use partitions::{BoundValue, Partition, PartitionBound, PartitionBy, PartitionStrategy};
pub use routines::{
    ArgMode, Argument, ForEach, Function, Parallel, References, Returns, RoutineKind, Trigger,
    TriggerEvent, TriggerTiming, Volatility,
};
pub use security::{
    Grant, GrantKind, GrantObject, Policy, PolicyCommand, PolicyReads, Privilege, Role,
    RowLevelSecurity, normalize_grants,
};
pub use types::{BUILTIN_TYPE_NAMES, BaseType, ColumnType, IntervalFields, TypeError};
pub use views::{CheckOption, View, ViewColumn, ViewField};

use crate::diag::Loc;
use serde::{Deserialize, Serialize};

/// One database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// The database's name (file stem or folder name), also the Rust module name.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derives: Vec<String>,
    /// Consent for destructive migration steps, e.g. `drop_column:users.legacy`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// PostgreSQL schemas other than `public` (`schemas:`), in declaration order. Objects in
    /// them are named `schema.name` in the model, as in YAML ([`split_qualified`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pg_schemas: Vec<PgSchema>,
    /// Table groups (the files of a schema folder), in file order; empty for a single file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<Enum>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub json_types: Vec<JsonType>,
    /// Sequences (`CREATE SEQUENCE`), e.g. behind a `serial` column's `nextval` default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sequences: Vec<Sequence>,
    /// Domains (`CREATE DOMAIN`): a type with a default, NOT NULL and checks of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    pub tables: Vec<Table>,
    /// Functions and procedures (`functions:`), in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// Triggers (`triggers:` of each table), in table then declaration order; Strata's own
    /// `auto_update` trigger is not among them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// Views and materialized views (`CREATE [MATERIALIZED] VIEW`), in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    /// The roles the database expects (cluster-wide; created when missing, never dropped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// Every privilege granted, on tables, columns, sequences, functions and schemas, sorted by
    /// object and role ([`normalize_grants`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// A PostgreSQL schema (namespace) other than `public`: `CREATE SCHEMA <name>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PgSchema {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// A domain: `CREATE DOMAIN <name> AS <type> [DEFAULT …] [NOT NULL] [CONSTRAINT … CHECK (…)]`.
/// A column of the domain's type gets all of it; Rust sees the underlying type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub name: String,
    /// The underlying type (never itself a domain).
    #[serde(rename = "type")]
    pub ty: ColumnType,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Default>,
    /// Named checks over `VALUE`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// A sequence: `CREATE SEQUENCE <name> AS <type> …`, optionally `OWNED BY` a column (dropped
/// with it), as a `serial` column's sequence is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: String,
    /// `smallint`, `integer` or `bigint` (the default).
    #[serde(rename = "type")]
    pub ty: BaseType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<i64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cycle: bool,
    /// `table.column` whose drop drops the sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enum {
    pub name: String,
    pub rust_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    pub values: Vec<EnumValue>,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumValue {
    pub name: String,
    pub rust_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// A typed JSON structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonType {
    pub name: String,
    pub rust_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Keep keys that are not declared (a flattened map), so no data is lost.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub extra: bool,
    pub fields: Vec<JsonField>,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonField {
    /// The JSON key, as written.
    pub name: String,
    pub rust_name: String,
    pub ty: JsonTy,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// The type of a JSON field or of a typed JSON column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JsonTy {
    String,
    Integer,
    Number,
    Boolean,
    Any,
    Struct(String),
    Array(Box<JsonTy>),
    Map(Box<JsonTy>),
}

impl std::fmt::Display for JsonTy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonTy::String => f.write_str("string"),
            JsonTy::Integer => f.write_str("integer"),
            JsonTy::Number => f.write_str("number"),
            JsonTy::Boolean => f.write_str("boolean"),
            JsonTy::Any => f.write_str("any"),
            JsonTy::Struct(s) => f.write_str(s),
            JsonTy::Array(t) => write!(f, "{t}[]"),
            JsonTy::Map(t) => write!(f, "map<{t}>"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub rust_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// The group (file of a schema folder) the table was declared in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<Unique>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// Exclusion constraints (`exclude:`), in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<Exclusion>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// At most one row, enforced by an exclusion constraint named here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_row: Option<String>,
    /// `CREATE UNLOGGED TABLE`: not written to the write-ahead log — faster, but emptied after
    /// a crash and not replicated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unlogged: bool,
    /// Storage parameters (`WITH (fillfactor = 70)`), name → value text, in name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<(String, String)>,
    /// Row-level security: off (`None`), enabled or forced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_level_security: Option<RowLevelSecurity>,
    /// Row-level security policies, in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
    /// `PARTITION BY …`: the table is partitioned and its rows live in [`Table::partitions`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<PartitionBy>,
    /// The partitions of a partitioned table, in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partitions: Vec<Partition>,
    #[serde(skip)]
    pub loc: Loc,
}

impl Table {
    /// Every partition of the table and of its partitions (depth first), each with the name
    /// of the table or partition it is a partition of.
    pub fn all_partitions(&self) -> Vec<(&str, &Partition)> {
        let mut out = Vec::new();
        for p in &self.partitions {
            p.walk(&self.name, &mut out);
        }
        out
    }

    pub fn policy(&self, name: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.name == name)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The columns the database keeps current on UPDATE.
    pub fn auto_update_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| c.auto_update)
    }

    /// The primary-key columns, in key order.
    pub fn primary_key_columns(&self) -> Vec<&Column> {
        self.primary_key
            .iter()
            .flat_map(|pk| pk.columns.iter())
            .filter_map(|n| self.column(n))
            .collect()
    }

    /// Every named constraint with its comment: primary key, unique keys, checks, foreign
    /// keys, exclusion constraints (the single-row constraint's comment is Strata's own).
    pub fn constraint_comments(&self) -> Vec<(&str, Option<&str>)> {
        self.primary_key
            .iter()
            .map(|p| (p.name.as_str(), p.description.as_deref()))
            .chain(
                self.uniques
                    .iter()
                    .map(|u| (u.name.as_str(), u.description.as_deref())),
            )
            .chain(
                self.checks
                    .iter()
                    .map(|c| (c.name.as_str(), c.description.as_deref())),
            )
            .chain(
                self.foreign_keys
                    .iter()
                    .map(|f| (f.name.as_str(), f.description.as_deref())),
            )
            .chain(
                self.exclusions
                    .iter()
                    .map(|x| (x.name.as_str(), x.description.as_deref())),
            )
            .collect()
    }

    pub fn soft_delete_column(&self) -> Option<&Column> {
        self.columns.iter().find(|c| c.soft_delete)
    }

    /// The indexes the loader adds for the table's foreign keys (`index_foreign_keys`, on by
    /// default): one per foreign-key column set that the primary key, a unique constraint, a
    /// non-partial index not created for a foreign key, or an earlier such index does not
    /// already lead with. Introspection uses it to recognise those indexes in a database, and
    /// the YAML renderer to leave them out of a file.
    pub fn automatic_fk_indexes(&self) -> Vec<Index> {
        let mut leading: Vec<Vec<String>> = Vec::new();
        leading.extend(self.primary_key.iter().map(|p| p.columns.clone()));
        leading.extend(self.uniques.iter().map(|u| u.columns.clone()));
        leading.extend(
            self.indexes
                .iter()
                .filter(|i| !i.for_foreign_key && i.predicate.is_none())
                .map(|i| {
                    i.keys
                        .iter()
                        .map_while(|k| match &k.target {
                            IndexTarget::Column(c) => Some(c.clone()),
                            IndexTarget::Expr(_) => None,
                        })
                        .collect()
                }),
        );
        let mut out: Vec<Index> = Vec::new();
        for fk in &self.foreign_keys {
            let covered = |cols: &Vec<String>| {
                cols.len() >= fk.columns.len() && cols[..fk.columns.len()] == fk.columns[..]
            };
            if leading.iter().any(covered) {
                continue;
            }
            leading.push(fk.columns.clone());
            out.push(Index {
                name: shorten_ident(&format!(
                    "{}_{}_idx",
                    local_name(&self.name),
                    fk.columns.join("_")
                )),
                keys: fk
                    .columns
                    .iter()
                    .map(|c| IndexKey::plain(IndexTarget::Column(c.clone())))
                    .collect(),
                unique: false,
                method: IndexMethod::Btree,
                predicate: None,
                description: None,
                for_foreign_key: true,
                include: Vec::new(),
                nulls_not_distinct: false,
                with: Vec::new(),
                loc: fk.loc,
            });
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub rust_name: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Default>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// The options of an identity column's sequence that differ from PostgreSQL's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_options: Option<IdentityOptions>,
    /// SQL expression that fills existing rows when the column becomes NOT NULL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill: Option<String>,
    /// A generated column's expression: PostgreSQL computes and stores the value
    /// (`GENERATED ALWAYS AS (…) STORED`); no INSERT or UPDATE writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// How existing values convert when the column's type changes (`ALTER … TYPE … USING`);
    /// planner-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_update: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub soft_delete: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<JsonTy>,
    /// The column's collation (`COLLATE "C"`), when not its type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// The mixin the column came from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixin: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

impl Column {
    /// Whether the database fills the column when an INSERT leaves it out.
    pub fn has_database_value(&self) -> bool {
        self.default.is_some() || self.identity.is_some()
    }

    /// Whether an INSERT or UPDATE may write the column: not a generated column, not an
    /// identity `ALWAYS` column.
    pub fn writable(&self) -> bool {
        self.generated.is_none() && self.identity != Some(Identity::Always)
    }
}

/// A column default: a literal (always quoted and cast) or an SQL expression (written as given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Default {
    Literal(Literal),
    Sql(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Literal {
    String(String),
    Integer(i64),
    /// Kept as the decimal text written, so no precision is lost.
    Number(String),
    Bool(bool),
    Json(serde_json::Value),
}

/// The sequence options of an identity column (`GENERATED … AS IDENTITY (START WITH …)`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IdentityOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<i64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cycle: bool,
}

impl Domain {
    /// The name PostgreSQL gives the domain's `index`-th unnamed check: `<domain>_check`, then
    /// `<domain>_check1`, …
    pub fn default_check_name(name: &str, index: usize) -> String {
        if index == 0 {
            format!("{name}_check")
        } else {
            format!("{name}_check{index}")
        }
    }
}

impl IdentityOptions {
    /// The options as an (unnamed) sequence of the column's type, to print and compare them
    /// as a sequence's.
    pub fn as_sequence(&self, ty: &ColumnType) -> Sequence {
        Sequence {
            name: String::new(),
            ty: ty.base.clone(),
            start: self.start,
            increment: self.increment,
            min: self.min,
            max: self.max,
            cache: self.cache,
            cycle: self.cycle,
            owned_by: None,
            description: None,
            loc: Loc::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    Always,
    ByDefault,
}

/// Whether `t` is its type's default (for `skip_serializing_if`).
pub(crate) fn is_default<T: std::default::Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

impl Sequence {
    /// Every option with PostgreSQL's default filled in — (start, increment, min, max, cache,
    /// cycle) — so that two sequences compare by what they do, not by what they spell out.
    pub fn effective(&self) -> (i64, i64, i64, i64, i64, bool) {
        let increment = self.increment.unwrap_or(1);
        let (type_min, type_max) = match self.ty {
            BaseType::SmallInt => (i64::from(i16::MIN), i64::from(i16::MAX)),
            BaseType::Integer => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        let min = self.min.unwrap_or(if increment > 0 { 1 } else { type_min });
        let max = self
            .max
            .unwrap_or(if increment > 0 { type_max } else { -1 });
        let start = self.start.unwrap_or(if increment > 0 { min } else { max });
        (
            start,
            increment,
            min,
            max,
            self.cache.unwrap_or(1),
            self.cycle,
        )
    }
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn pg_schema(&self, name: &str) -> Option<&PgSchema> {
        self.pg_schemas.iter().find(|s| s.name == name)
    }

    pub fn enum_(&self, name: &str) -> Option<&Enum> {
        self.enums.iter().find(|e| e.name == name)
    }

    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.name == name)
    }

    /// The type a column's values have underneath its domain, if it has one (`email` over
    /// `text` gives `text`); other types are their own.
    pub fn underlying<'a>(&'a self, ty: &'a ColumnType) -> std::borrow::Cow<'a, ColumnType> {
        match &ty.base {
            BaseType::Domain(d) => match self.domain(d) {
                Some(dom) => std::borrow::Cow::Owned(ColumnType {
                    base: dom.ty.base.clone(),
                    array: ty.array || dom.ty.array,
                }),
                None => std::borrow::Cow::Borrowed(ty),
            },
            _ => std::borrow::Cow::Borrowed(ty),
        }
    }

    /// The SQL type generated Rust exchanges a column's values as, when it is not the column's
    /// own: `text` (or `text[]`) for a type Rust handles in its text form, the underlying type
    /// for a domain.
    pub fn transport_type(&self, ty: &ColumnType) -> Option<String> {
        let under = self.underlying(ty);
        if under.base.is_text_form() {
            Some(if under.array { "text[]" } else { "text" }.to_string())
        } else if matches!(ty.base, BaseType::Domain(_)) {
            Some(under.to_string())
        } else {
            None
        }
    }

    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The grants on `object`, by role.
    pub fn grants_on<'a>(&'a self, object: &'a GrantObject) -> impl Iterator<Item = &'a Grant> {
        self.grants.iter().filter(move |g| &g.object == object)
    }

    pub fn sequence(&self, name: &str) -> Option<&Sequence> {
        self.sequences.iter().find(|q| q.name == name)
    }

    pub fn json_type(&self, name: &str) -> Option<&JsonType> {
        self.json_types.iter().find(|j| j.name == name)
    }

    /// The function with this identity (schema, name, input argument types).
    pub fn function(&self, f: &Function) -> Option<&Function> {
        self.functions.iter().find(|o| o.identity() == f.identity())
    }

    /// The trigger `name` on `table`.
    pub fn trigger(&self, table: &str, name: &str) -> Option<&Trigger> {
        self.triggers
            .iter()
            .find(|t| t.table == table && t.name == name)
    }

    /// Whether any table has a column kept current by the database.
    pub fn has_auto_update(&self) -> bool {
        self.tables
            .iter()
            .any(|t| t.auto_update_columns().next().is_some())
    }
}
