//! Introspection: a live database's catalog read back into the model the YAML loader produces.
//!
//! [`introspect`] reads the default schema (`public` unless [`Options::schema`] says otherwise)
//! and the tables, enums, domains and sequences of every other non-system schema (named
//! `schema.name` in the model, with `schemas:` listing them) with a
//! fixed number of catalog queries, whatever the number of tables, and builds a
//! [`strata::model::Schema`]: tables, columns and their types (arrays, `varchar(n)`,
//! `numeric(p,s)`, enums), nullability, identity, defaults, primary keys, unique, check and
//! foreign-key constraints with their names and actions, indexes (method, keys and their order,
//! expressions, predicates, uniqueness), enums with their values in order, comments, Strata's
//! `auto_update` triggers and single-row constraints. The result can be compared with a
//! declared schema ([`strata::compare::compare`], what `cargo xtask drift` does) or written as
//! schema YAML ([`strata::render::yaml::schema_yaml`], what `cargo xtask import` does).
//!
//! How the catalog becomes the model:
//!
//! - Types are read with `format_type` and parsed as the loader parses a schema's types; a type
//!   of an enum of the schema becomes that enum.
//! - A default that is a constant (`'USD'::character varying`, `0`, `true`, `'{}'::jsonb`,
//!   `'pending'::status`, `'{a,b}'::text[]`) becomes a literal default of the
//!   column's type; anything computed (`now()`, `gen_random_uuid()`,
//!   `'asst_'::text || gen_random_uuid()`) stays an SQL default. SQL defaults, checks, index
//!   expressions and predicates are kept in the server's canonical form made readable by
//!   [`strata::compare::expr::tidy`] (`price >= 0`, not `(price >= (0)::numeric)`).
//! - An index that is exactly what the loader creates for a foreign key (its name, an ascending
//!   btree index on the key's columns, not covered by a key or another index) is marked
//!   `for_foreign_key`.
//! - The enum comment Strata writes (the description, a blank line, `value: description` lines)
//!   is split back into the enum's and its values' descriptions.
//! - A `strata_touch_columns` trigger of Strata's form (`BEFORE UPDATE … FOR EACH ROW`, named
//!   like the function, the columns as arguments) sets `auto_update` on those columns; the
//!   exclusion constraint `EXCLUDE USING btree ((true) WITH =)` (with Strata's comment or
//!   none) is the table's `single_row`; other exclusion constraints are read from
//!   `pg_constraint` (`conexclop`) and their index's keys, as an index's are (`build/exclusions.rs`).
//! - Functions and procedures are read from `pg_proc` (arguments with their modes, types and
//!   defaults, the result, volatility, strictness, security, parallel safety, cost, settings,
//!   the body, the comment; an `sql` body printed from its parse tree), other triggers from
//!   `pg_get_triggerdef` read with PostgreSQL's parser (`build/routines.rs`). Overloads get
//!   the keys `name_<types>`. Functions an extension owns are not read, and are counted in
//!   [`Introspected::extension_owned`].
//! - Rust names are derived as the loader derives them.
//!
//! Nothing is dropped silently: what the model cannot express is listed in
//! [`Introspected::ignored`] with the reason — views with options the language has not,
//! aggregates, window, C and internal functions, SQL-standard bodies (`BEGIN ATOMIC`),
//! disabled triggers, rules, range and composite types, views, functions, triggers and rules of
//! schemas other than the default one, `public` when another schema is the default, tables
//! partitioned by an expression or with a key's operator class or collation, what a partition
//! has of its own (an index, a constraint, a trigger, a column default or comment, privileges,
//! row-level security), inheritance children, foreign tables, columns of types the language has
//! no name for, and exclusion constraints.
//!
//! A partitioned table is read as one table: its key (`pg_partitioned_table`) and its
//! partitions (`relispartition`, bounds from `pg_get_expr(relpartbound)` read with PostgreSQL's
//! parser), sub-partitions included; a partition is not a table of the model, and what
//! PostgreSQL copies from the parent to it (columns, constraints, indexes, row triggers) is not
//! reported again.
//!
//! It needs PostgreSQL 12 or later (generated columns, `prokind`); `NULLS NOT DISTINCT` is read
//! from PostgreSQL 15 on.
//!
//! ```no_run
//! # async fn f(client: &tokio_postgres::Client) -> Result<(), strata_pg::introspect::Error> {
//! use strata_pg::introspect::{introspect, Options};
//! let found = introspect(client, &Options::new().name("shop")).await?;
//! println!("{}", strata::render::yaml::schema_yaml(&found.schema));
//! for ignored in &found.ignored {
//!     eprintln!("not imported: {ignored}");
//! }
//! # Ok(())
//! # }
//! ```

mod build;
mod catalog;
mod security;

use std::fmt;

use strata::model::Schema;
use tokio_postgres::Client;

/// What to read, as a builder: `Options::new().schema("app").name("shop")`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// The PostgreSQL schema (namespace) to read; `public` by default.
    pub schema: String,
    /// The name the model gets (the database's name in Strata, a snake_case word); the
    /// database's own name when `None`.
    pub name: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            schema: "public".to_string(),
            name: None,
        }
    }
}

impl Options {
    /// Reads the schema `public`; the model is named after the database.
    pub fn new() -> Options {
        Options::default()
    }

    /// Reads the schema `schema` instead of `public`.
    #[must_use]
    pub fn schema(mut self, schema: impl Into<String>) -> Options {
        self.schema = schema.into();
        self
    }

    /// Names the model `name` (as the schema file `schemas/<name>.yaml` would).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Options {
        self.name = Some(name.into());
        self
    }
}

/// A database read back: the model, and everything in the schema the model cannot express.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Introspected {
    pub schema: Schema,
    /// Objects (or properties of objects) left out of [`Introspected::schema`], in catalog order.
    pub ignored: Vec<IgnoredObject>,
    /// What extensions own in the schema, skipped as theirs (`CREATE EXTENSION` makes it):
    /// e.g. `44 functions of extension citext`.
    pub extension_owned: Vec<String>,
    /// Every role of the cluster but PostgreSQL's own (`pg_…`), sorted by name. The schema's
    /// `roles` are only those its policies and grants name (and their groups); drift looks up
    /// the other roles a schema declares here ([`Introspected::expected_roles`]).
    pub cluster_roles: Vec<strata::model::Role>,
}

impl Introspected {
    /// Adds to the schema's roles every role `declared` expects that the cluster has, so that
    /// comparing with `declared` reports only roles that are really missing or differ.
    pub fn expected_roles(&mut self, declared: &Schema) {
        for r in &declared.roles {
            if self.schema.role(&r.name).is_none()
                && let Some(c) = self.cluster_roles.iter().find(|c| c.name == r.name)
            {
                self.schema.roles.push(c.clone());
            }
        }
        self.schema.roles.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// Something in the database that the schema language cannot express.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IgnoredObject {
    pub kind: ObjectKind,
    /// The object's name, qualified by its table where it has one (`bots.legacy`,
    /// `bots_name_idx on bots`).
    pub name: String,
    /// Why it is not in the model, e.g. `a view; the schema language has no views`.
    pub reason: String,
}

impl fmt::Display for IgnoredObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.kind, self.name, self.reason)
    }
}

/// The kind of an [`IgnoredObject`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ObjectKind {
    Schema,
    Table,
    PartitionedTable,
    Partition,
    ForeignTable,
    View,
    MaterializedView,
    Sequence,
    Type,
    Column,
    Constraint,
    Index,
    Trigger,
    Function,
    Policy,
    Rule,
    Statistics,
    Comment,
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectKind::Schema => "schema",
            ObjectKind::Table => "table",
            ObjectKind::PartitionedTable => "partitioned table",
            ObjectKind::Partition => "partition",
            ObjectKind::ForeignTable => "foreign table",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Type => "type",
            ObjectKind::Column => "column",
            ObjectKind::Constraint => "constraint",
            ObjectKind::Index => "index",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Function => "function",
            ObjectKind::Policy => "policy",
            ObjectKind::Rule => "rule",
            ObjectKind::Statistics => "statistics",
            ObjectKind::Comment => "comment",
        })
    }
}

/// Why introspection failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A catalog query failed (connection lost, permissions, …).
    #[error("reading the catalog failed: {}", crate::db_error_message(.0))]
    Query(#[from] tokio_postgres::Error),
    /// The schema named in [`Options::schema`] does not exist.
    #[error("the database has no schema named {0:?}")]
    NoSuchSchema(String),
}

/// Reads the schema [`Options::schema`] of the database `client` is connected to into the
/// model the loader produces (see the module documentation for how, and what is ignored).
///
/// The catalog is read with a dozen queries. For one consistent snapshot while other sessions
/// may change the schema, start a `REPEATABLE READ` transaction on the client first
/// (`client.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ")`) and end it after.
pub async fn introspect(client: &Client, options: &Options) -> Result<Introspected, Error> {
    let Some(cat) = catalog::read(client, &options.schema).await? else {
        return Err(Error::NoSuchSchema(options.schema.clone()));
    };
    let name = options.name.clone().unwrap_or_else(|| cat.database.clone());
    let extension_owned = cat
        .extension_functions
        .iter()
        .map(|(e, n)| {
            format!(
                "{n} function{} of extension {e}",
                if *n == 1 { "" } else { "s" }
            )
        })
        .collect();
    let cluster_roles = cat.security.roles.clone();
    let (schema, ignored) = build::build(cat, &options.schema, name);
    Ok(Introspected {
        schema,
        ignored,
        extension_owned,
        cluster_roles,
    })
}
