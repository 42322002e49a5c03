//! PostgreSQL DDL: the validated model → a list of [`Statement`]s → one script.
//!
//! Each database object has a builder in this module ([`create_table`], [`create_index`],
//! [`add_foreign_key`], [`comment_on_column`], …) that returns its statement; the
//! whole-schema script ([`schema_statements`], printed by [`print`]) is made of them, and the
//! migration planner reuses them to emit individual steps. The statements only a migration
//! needs are typed values printed here too: [`AlterTable`] with its [`AlterAction`]s, and
//! [`DropIndex`], [`AlterType`], [`Backfill`], [`SetLockTimeout`] and the others. Every SQL
//! statement Strata writes comes from this module. Nothing here needs a database.
//!
//! The script creates, in this order: the extensions the schema lists, the enum types, the
//! shared trigger function for `auto_update` columns (if any table has one), the functions that
//! need no table ([`function_order`]), the tables in the
//! order of their foreign keys (a foreign key is written inside `CREATE TABLE` when its target
//! already exists; a partitioned table is followed by its partitions, `CREATE TABLE … PARTITION
//! OF`), the foreign keys of cycles and self-references, the indexes, the single-row
//! constraints, the `auto_update` triggers, the functions that need a table, the views, the
//! declared triggers, row-level security, the policies, the grants and finally the comments.
//! The roles the schema expects come first, each created only where the cluster lacks it.
//!
//! Names are quoted only where PostgreSQL needs it ([`ident`]), every text is a properly
//! escaped one-line literal ([`literal`]) and every comment line is made single-line
//! ([`comment_line`]); see those for the exact rules. The SQL expressions of a schema
//! (`default_sql`, `check`, index expressions and predicates, backfills) reach this module only
//! as printed from their PostgreSQL parse tree ([`crate::fragment`]). The script means the same
//! whether `standard_conforming_strings` is on or off.
//!
//! ```
//! let schema = strata::load::load_sources(
//!     "shop",
//!     false,
//!     vec![strata::load::SourceText {
//!         path: "schemas/shop.yaml".into(),
//!         text: "tables:\n  products:\n    columns:\n      id: { type: uuid, primary_key: true }\n      title: text\n".into(),
//!     }],
//! )
//! .expect("a valid schema");
//! let sql = strata::render::sql::schema_sql(&schema);
//! assert!(sql.contains("CREATE TABLE products (\n    id uuid NOT NULL,\n    title text NOT NULL,\n"));
//! ```

mod alter;
mod ddl;
mod domains;
mod guards;
mod migrate;
mod order;
mod partitions;
mod quote;
mod reads;
mod routines;
mod security;
mod sequences;
mod values;
mod views;

pub use alter::{AlterAction, AlterTable, Constraint, Using};

pub use ddl::{
    IndexBuild, SINGLE_ROW_COMMENT, TOUCH_FUNCTION, TOUCH_FUNCTION_COMMENT, TOUCH_TRIGGER,
    add_check, add_foreign_key, add_single_row, check_clause, column_definition, comment_on_column,
    comment_on_constraint, comment_on_domain, comment_on_function, comment_on_index,
    comment_on_schema, comment_on_sequence, comment_on_table, comment_on_type, create_enum,
    create_extension, create_index, create_index_on, create_index_with, create_schema,
    create_table, create_touch_function, create_touch_trigger, drop_schema, enum_comment,
    exclusion_clause, foreign_key_clause, index_key, operator, primary_key_clause, unique_clause,
};
pub use domains::{
    AlterDomain, alter_domain, create_domain, domain_check, domain_default, drop_domain,
};
pub use guards::{do_block, lossless_conversion, sequence_into_bounds, sequence_past_max};
pub use migrate::{
    AlterType, AlterTypeAction, Backfill, DropFunction, DropIndex, DropTable, DropTrigger,
    DropType, LockMode, LockTable, RenameIndex, SetLockTimeout, SetSearchPath, ValuePosition,
};
pub use order::{FkPlacement, TableOrder, table_order};
pub use partitions::{
    attach_partition, bound_clause, bound_value, create_partition, create_partitions,
    detach_partition, partition_key_clause,
};
pub use quote::{
    LATER_KEYWORDS, QUOTED_KEYWORDS, comment_line, ident, is_quoted_keyword, literal, needs_quotes,
    qualified, relation,
};
pub use reads::{
    Filter, conflict_target, delete_rows, not_deleted, not_deleted_in, quoted, select_count,
    select_exists, select_rows, select_through, set_deleted,
};
pub use routines::{
    call_statement, comment_on_routine, comment_on_trigger, create_function, create_trigger,
    drop_function, drop_trigger, function_order, function_statements, public_execute,
    rename_function, rename_trigger,
};
pub use security::{
    alter_policy, alter_role, comment_on_policy, create_policy, create_role, drop_policy, grant,
    grant_membership, policy_alterable, rename_policy, revoke, revoke_membership,
    set_row_level_security,
};
pub use sequences::{
    alter_sequence, create_sequence, drop_sequence, own_sequence, sequence_options,
};
pub use values::{array_text, default_expr, is_plain_number, literal_value, sql_type, wrap_expr};
pub use views::{
    comment_on_view, comment_on_view_column, create_view, create_view_index, drop_view,
    refresh_view, rename_view, replace_view, view_comments, view_name, view_statements,
};

use crate::model::Schema;

/// One SQL statement, without its terminating semicolon.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Statement {
    /// The statement's text; it may span several lines (LF line endings).
    pub sql: String,
    /// What the statement does.
    pub kind: StatementKind,
}

impl Statement {
    /// A statement of the given kind.
    pub fn new(kind: StatementKind, sql: impl Into<String>) -> Statement {
        Statement {
            sql: sql.into(),
            kind,
        }
    }
}

/// What a [`Statement`] does; the printer separates statements of different kinds by a blank
/// line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum StatementKind {
    CreateRole,
    CreateSchema,
    CreateExtension,
    CreateEnum,
    CreateDomain,
    AlterDomain,
    CreateSequence,
    CreateFunction,
    CreateTable,
    OwnSequence,
    AddForeignKey,
    CreateIndex,
    AddSingleRow,
    CreateTrigger,
    CreateView,
    RowLevelSecurity,
    CreatePolicy,
    Grant,
    Comment,
}

/// The whole database from empty, as one script: the header line naming the schema source,
/// then [`schema_statements`] as printed by [`print`].
pub fn schema_sql(schema: &Schema) -> String {
    schema_script(schema, SetSearchPath { local: false })
}

/// The first migration of a history: [`schema_sql`]'s statements, with `search_path` set for
/// the migration's transaction only.
pub fn initial_migration(schema: &Schema) -> String {
    schema_script(schema, SetSearchPath { local: true })
}

/// The header, `search_path` pinned (see [`SetSearchPath`]), then every statement.
fn schema_script(schema: &Schema, path: SetSearchPath) -> String {
    let source = if schema.groups.is_empty() {
        format!("schemas/{}.yaml", schema.name)
    } else {
        format!("schemas/{}/", schema.name)
    };
    let mut out = crate::render::header("--", &source);
    let body = print(&schema_statements(schema));
    if !body.is_empty() {
        out.push('\n');
        out.push_str(&format!("{path};\n\n"));
        out.push_str(&body);
    }
    out
}

/// The statements that create the database from empty, in an order that always applies (see
/// the module documentation).
pub fn schema_statements(schema: &Schema) -> Vec<Statement> {
    let mut out = Vec::new();
    out.extend(schema.roles.iter().map(create_role));
    out.extend(schema.roles.iter().flat_map(|r| {
        r.member_of
            .iter()
            .map(move |g| grant_membership(g, &r.name))
    }));
    out.extend(schema.pg_schemas.iter().map(create_schema));
    out.extend(schema.extensions.iter().map(|e| create_extension(e)));
    out.extend(schema.enums.iter().map(create_enum));
    out.extend(schema.domains.iter().map(create_domain));
    out.extend(schema.sequences.iter().map(create_sequence));
    if schema.has_auto_update() {
        out.push(create_touch_function());
    }
    let (functions_before, functions_after) = function_order(schema);
    out.extend(functions_before.into_iter().flat_map(function_statements));

    let order = table_order(schema);
    for &t in &order.tables {
        let table = &schema.tables[t];
        let inline: Vec<_> = table
            .foreign_keys
            .iter()
            .zip(&order.placements[t])
            .filter(|(_, p)| **p == FkPlacement::Inline)
            .map(|(fk, _)| fk)
            .collect();
        out.push(create_table(table, &inline));
        out.extend(create_partitions(table));
    }
    out.extend(schema.sequences.iter().filter_map(|q| {
        q.owned_by
            .as_ref()
            .map(|(t, c)| own_sequence(&q.name, Some((t, c))))
    }));
    let deferred = |placement: FkPlacement| {
        schema
            .tables
            .iter()
            .zip(&order.placements)
            .flat_map(move |(table, placements)| {
                table
                    .foreign_keys
                    .iter()
                    .zip(placements)
                    .filter(move |(_, p)| **p == placement)
                    .map(move |(fk, _)| add_foreign_key(table, fk))
            })
    };
    out.extend(deferred(FkPlacement::AfterTables));
    for table in &schema.tables {
        out.extend(
            table
                .checks
                .iter()
                .filter(|c| c.not_valid)
                .map(|c| add_check(table, c)),
        );
    }
    for table in &schema.tables {
        out.extend(table.indexes.iter().map(|i| create_index(table, i)));
    }
    out.extend(deferred(FkPlacement::AfterIndexes));
    out.extend(schema.tables.iter().filter_map(add_single_row));
    out.extend(schema.tables.iter().filter_map(create_touch_trigger));
    out.extend(functions_after.into_iter().flat_map(function_statements));
    // Views after every table, each after the views it reads; their comments with them.
    for (o, _) in crate::deps::dependents(schema) {
        if let Some(v) = schema
            .views
            .iter()
            .find(|v| crate::deps::Dependent::object(*v) == o)
        {
            out.extend(view_statements(v));
        }
    }
    out.extend(schema.triggers.iter().map(|t| create_trigger(t, false)));
    for table in &schema.tables {
        out.extend(set_row_level_security(
            &table.name,
            None,
            table.row_level_security,
        ));
    }
    for table in &schema.tables {
        out.extend(table.policies.iter().map(|p| create_policy(&table.name, p)));
    }
    out.extend(schema.grants.iter().map(grant));

    if schema.has_auto_update() {
        out.push(comment_on_function(
            TOUCH_FUNCTION,
            Some(TOUCH_FUNCTION_COMMENT),
        ));
    }
    for f in &schema.functions {
        if let Some(c) = &f.description {
            out.push(comment_on_routine(f, Some(c)));
        }
    }
    for t in &schema.triggers {
        if let Some(c) = &t.description {
            out.push(comment_on_trigger(t, Some(c)));
        }
    }
    for s in &schema.pg_schemas {
        if let Some(c) = &s.description {
            out.push(comment_on_schema(&s.name, Some(c)));
        }
    }
    for e in &schema.enums {
        if let Some(c) = enum_comment(e) {
            out.push(comment_on_type(&e.name, Some(&c)));
        }
    }
    for d in &schema.domains {
        if let Some(c) = &d.description {
            out.push(comment_on_domain(&d.name, Some(c)));
        }
    }
    for q in &schema.sequences {
        if let Some(c) = &q.description {
            out.push(comment_on_sequence(&q.name, Some(c)));
        }
    }
    for table in &schema.tables {
        if let Some(d) = &table.description {
            out.push(comment_on_table(&table.name, Some(d)));
        }
        for (_, p) in table.all_partitions() {
            if let Some(d) = &p.description {
                out.push(comment_on_table(&p.name, Some(d)));
            }
        }
        for c in &table.columns {
            if let Some(d) = &c.description {
                out.push(comment_on_column(&table.name, &c.name, Some(d)));
            }
        }
        for i in &table.indexes {
            if let Some(d) = &i.description {
                out.push(comment_on_index(
                    &crate::model::qualify(crate::model::split_qualified(&table.name).0, &i.name),
                    Some(d),
                ));
            }
        }
        for (name, d) in table.constraint_comments() {
            if let Some(d) = d {
                out.push(comment_on_constraint(&table.name, name, Some(d)));
            }
        }
        for p in &table.policies {
            if let Some(d) = &p.description {
                out.push(comment_on_policy(&table.name, &p.name, Some(d)));
            }
        }
        if let Some(sr) = &table.single_row {
            out.push(comment_on_constraint(
                &table.name,
                sr,
                Some(SINGLE_ROW_COMMENT),
            ));
        }
    }
    out
}

/// Prints statements as a script: each followed by `;` and a line feed; a blank line between
/// statements of different kinds and around every statement that spans several lines.
pub fn print(statements: &[Statement]) -> String {
    let mut out = String::new();
    let mut previous: Option<&Statement> = None;
    for s in statements {
        let multi_line = s.sql.contains('\n');
        if let Some(p) = previous
            && (p.kind != s.kind || multi_line || p.sql.contains('\n'))
        {
            out.push('\n');
        }
        out.push_str(&s.sql);
        out.push_str(";\n");
        previous = Some(s);
    }
    out
}
