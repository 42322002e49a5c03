//! `ALTER TABLE`: a table and the actions applied to it, as typed values with one printer.
//!
//! The migration planner builds an [`AlterTable`] for every change it makes to an existing
//! table and prints it with its `Display` implementation. Every name is written by [`ident`];
//! types by [`sql_type`]; defaults, constraints and column definitions by the same builders as
//! `CREATE TABLE` ([`column_definition`], [`check_clause`], [`foreign_key_clause`], …), so a
//! migration writes exactly what `schema.sql` writes. SQL expressions of the schema (defaults,
//! checks) are already printed from their parse tree and are inserted as they are.

use super::ddl::{
    check_clause, column_definition, exclusion_clause, foreign_key_clause, primary_key_clause,
    unique_clause,
};
use super::quote::{ident, relation};
use super::values::sql_type;
use crate::model::local_name;
use crate::model::{
    Check, Column, ColumnType, Exclusion, ForeignKey, Identity, PrimaryKey, Unique,
};
use std::fmt;

/// `ALTER TABLE <table> <action>, <action>, …`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterTable<'a> {
    pub table: &'a str,
    pub actions: Vec<AlterAction<'a>>,
}

impl<'a> AlterTable<'a> {
    /// `ALTER TABLE <table> <action>`.
    pub fn new(table: &'a str, action: AlterAction<'a>) -> Self {
        AlterTable {
            table,
            actions: vec![action],
        }
    }
}

impl fmt::Display for AlterTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ALTER TABLE {}", relation(self.table))?;
        for (i, action) in self.actions.iter().enumerate() {
            f.write_str(if i == 0 { " " } else { ", " })?;
            write!(f, "{action}")?;
        }
        Ok(())
    }
}

/// One action of an [`AlterTable`].
#[derive(Debug, Clone, PartialEq)]
pub enum AlterAction<'a> {
    /// `RENAME TO <name>`: the table's new name in its schema (a model name's schema part is
    /// left out; [`AlterAction::SetSchema`] moves a table).
    RenameTo(&'a str),
    /// `SET SCHEMA <schema>`: moves the table, with its indexes, constraints and owned
    /// sequences, to another PostgreSQL schema (`None`: `public`).
    SetSchema(Option<&'a str>),
    /// `ADD COLUMN <definition>` (see [`column_definition`]).
    AddColumn(&'a Column),
    /// `DROP COLUMN <column>`.
    DropColumn(&'a str),
    /// `RENAME COLUMN <from> TO <to>`.
    RenameColumn { from: &'a str, to: &'a str },
    /// `ALTER COLUMN <column> TYPE <type> [COLLATE <collation>] [USING <conversion>]` (without
    /// `COLLATE` the column takes its new type's default collation).
    AlterColumnType {
        column: &'a str,
        ty: &'a ColumnType,
        collation: Option<&'a str>,
        using: Option<Using<'a>>,
    },
    /// `SET LOGGED` / `SET UNLOGGED`.
    SetLogged(bool),
    /// `SET (<name> = <value>, …)`: storage parameters.
    SetStorageParameters(&'a [(String, String)]),
    /// `RESET (<name>, …)`.
    ResetStorageParameters(&'a [String]),
    /// `ALTER COLUMN <column> SET DEFAULT <expression>` (an expression as printed by
    /// [`default_expr`](super::default_expr)).
    SetDefault { column: &'a str, expr: &'a str },
    /// `ALTER COLUMN <column> DROP DEFAULT`.
    DropDefault(&'a str),
    /// `ALTER COLUMN <column> SET NOT NULL`.
    SetNotNull(&'a str),
    /// `ALTER COLUMN <column> DROP NOT NULL`.
    DropNotNull(&'a str),
    /// `ADD <constraint> [NOT VALID]`.
    AddConstraint {
        constraint: Constraint<'a>,
        not_valid: bool,
    },
    /// `VALIDATE CONSTRAINT <name>`.
    ValidateConstraint(&'a str),
    /// `DROP CONSTRAINT <name>`.
    DropConstraint(&'a str),
    /// `RENAME CONSTRAINT <from> TO <to>`.
    RenameConstraint { from: &'a str, to: &'a str },
    /// `ALTER COLUMN <column> ADD GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY`.
    AddIdentity { column: &'a str, identity: Identity },
    /// `ALTER COLUMN <column> SET GENERATED { ALWAYS | BY DEFAULT }`.
    SetGenerated { column: &'a str, identity: Identity },
    /// `ALTER COLUMN <column> SET INCREMENT BY … SET MINVALUE … … SET [NO] CYCLE`: every
    /// option of an identity's sequence, its effective value spelled out.
    SetIdentityOptions {
        column: &'a str,
        sequence: &'a crate::model::Sequence,
    },
    /// `ALTER COLUMN <column> DROP IDENTITY [IF EXISTS]`.
    DropIdentity { column: &'a str, if_exists: bool },
    /// `ALTER COLUMN <column> DROP EXPRESSION`: a generated column becomes an ordinary one,
    /// keeping its values.
    DropExpression(&'a str),
    /// `DISABLE TRIGGER <name>`.
    DisableTrigger(&'a str),
    /// `ENABLE TRIGGER <name>`.
    EnableTrigger(&'a str),
}

impl fmt::Display for AlterAction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlterAction::RenameTo(name) => write!(f, "RENAME TO {}", ident(local_name(name))),
            AlterAction::SetSchema(schema) => {
                write!(f, "SET SCHEMA {}", ident(schema.unwrap_or("public")))
            }
            AlterAction::AddColumn(column) => {
                write!(f, "ADD COLUMN {}", column_definition(column))
            }
            AlterAction::DropColumn(column) => write!(f, "DROP COLUMN {}", ident(column)),
            AlterAction::SetIdentityOptions { column, sequence } => {
                let (start, increment, min, max, cache, cycle) = sequence.effective();
                write!(
                    f,
                    "ALTER COLUMN {} SET INCREMENT BY {increment} SET MINVALUE {min} SET MAXVALUE {max} SET START WITH {start} SET CACHE {cache} SET {}CYCLE",
                    ident(column),
                    if cycle { "" } else { "NO " }
                )
            }
            AlterAction::DropExpression(column) => {
                write!(f, "ALTER COLUMN {} DROP EXPRESSION", ident(column))
            }
            AlterAction::RenameColumn { from, to } => {
                write!(f, "RENAME COLUMN {} TO {}", ident(from), ident(to))
            }
            AlterAction::SetLogged(true) => f.write_str("SET LOGGED"),
            AlterAction::SetLogged(false) => f.write_str("SET UNLOGGED"),
            AlterAction::SetStorageParameters(params) => {
                write!(f, "SET ({})", super::ddl::storage_parameters(params))
            }
            AlterAction::ResetStorageParameters(names) => {
                let names: Vec<String> = names.iter().map(|n| ident(n).into_owned()).collect();
                write!(f, "RESET ({})", names.join(", "))
            }
            AlterAction::AlterColumnType {
                column,
                ty,
                collation,
                using,
            } => {
                write!(f, "ALTER COLUMN {} TYPE {}", ident(column), sql_type(ty))?;
                if let Some(c) = collation {
                    write!(f, " COLLATE {}", ident(c))?;
                }
                if let Some(using) = using {
                    write!(f, " USING {}", using.expr(column, ty))?;
                }
                Ok(())
            }
            AlterAction::SetDefault { column, expr } => {
                write!(f, "ALTER COLUMN {} SET DEFAULT {expr}", ident(column))
            }
            AlterAction::DropDefault(column) => {
                write!(f, "ALTER COLUMN {} DROP DEFAULT", ident(column))
            }
            AlterAction::SetNotNull(column) => {
                write!(f, "ALTER COLUMN {} SET NOT NULL", ident(column))
            }
            AlterAction::DropNotNull(column) => {
                write!(f, "ALTER COLUMN {} DROP NOT NULL", ident(column))
            }
            AlterAction::AddConstraint {
                constraint,
                not_valid,
            } => {
                write!(f, "ADD {constraint}")?;
                if *not_valid {
                    f.write_str(" NOT VALID")?;
                }
                Ok(())
            }
            AlterAction::ValidateConstraint(name) => {
                write!(f, "VALIDATE CONSTRAINT {}", ident(name))
            }
            AlterAction::DropConstraint(name) => write!(f, "DROP CONSTRAINT {}", ident(name)),
            AlterAction::RenameConstraint { from, to } => {
                write!(f, "RENAME CONSTRAINT {} TO {}", ident(from), ident(to))
            }
            AlterAction::AddIdentity { column, identity } => write!(
                f,
                "ALTER COLUMN {} ADD GENERATED {} AS IDENTITY",
                ident(column),
                generated(*identity)
            ),
            AlterAction::SetGenerated { column, identity } => write!(
                f,
                "ALTER COLUMN {} SET GENERATED {}",
                ident(column),
                generated(*identity)
            ),
            AlterAction::DropIdentity { column, if_exists } => write!(
                f,
                "ALTER COLUMN {} DROP IDENTITY{}",
                ident(column),
                if *if_exists { " IF EXISTS" } else { "" }
            ),
            AlterAction::DisableTrigger(name) => write!(f, "DISABLE TRIGGER {}", ident(name)),
            AlterAction::EnableTrigger(name) => write!(f, "ENABLE TRIGGER {}", ident(name)),
        }
    }
}

fn generated(identity: Identity) -> &'static str {
    match identity {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

/// A table constraint, as written after `ADD` (and inside `CREATE TABLE`).
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint<'a> {
    PrimaryKey(&'a PrimaryKey),
    Unique(&'a Unique),
    Check(&'a Check),
    ForeignKey(&'a ForeignKey),
    Exclusion(&'a Exclusion),
    /// `CONSTRAINT <name> CHECK (<column> IS NOT NULL)`: the check that lets `SET NOT NULL`
    /// skip its scan of the table.
    NotNullCheck {
        name: &'a str,
        column: &'a str,
    },
}

impl fmt::Display for Constraint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::PrimaryKey(pk) => f.write_str(&primary_key_clause(pk)),
            Constraint::Unique(u) => f.write_str(&unique_clause(u)),
            Constraint::Check(c) => f.write_str(&check_clause(c)),
            Constraint::ForeignKey(fk) => f.write_str(&foreign_key_clause(fk)),
            Constraint::Exclusion(x) => f.write_str(&exclusion_clause(x)),
            Constraint::NotNullCheck { name, column } => write!(
                f,
                "CONSTRAINT {} CHECK ({} IS NOT NULL)",
                ident(name),
                ident(column)
            ),
        }
    }
}

/// How `ALTER COLUMN … TYPE` converts the existing values of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Using<'a> {
    /// An explicit cast to the new type: `<column>::<type>`.
    Cast,
    /// The column's `using:` expression, already parsed and re-printed.
    Given(&'a str),
    /// Through text, for a change to or from an enum type (no cast exists between an enum and
    /// another type): `<column>::text::<type>`, or `<column>::text[]::<type>` for an array
    /// column (`array`).
    ViaText { array: bool },
    /// A value to a one-element array of it, NULL kept:
    /// `CASE WHEN <column> IS NULL THEN NULL ELSE ARRAY[<column>] END::<type>`.
    ToArray,
}

impl Using<'_> {
    /// The conversion expression of `column` to `ty`, as written after `USING`.
    pub fn expr(self, column: &str, ty: &ColumnType) -> String {
        let column = ident(column);
        let ty = sql_type(ty);
        match self {
            Using::Cast => format!("{column}::{ty}"),
            Using::Given(e) => format!("({})::{ty}", e.trim()),
            Using::ViaText { array } => {
                format!("{column}::text{}::{ty}", if array { "[]" } else { "" })
            }
            Using::ToArray => {
                format!("CASE WHEN {column} IS NULL THEN NULL ELSE ARRAY[{column}] END::{ty}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BaseType, Check};

    fn text() -> ColumnType {
        ColumnType {
            base: BaseType::Text,
            array: false,
        }
    }

    fn print(table: &str, action: AlterAction<'_>) -> String {
        AlterTable::new(table, action).to_string()
    }

    #[test]
    fn names_are_quoted_everywhere() {
        assert_eq!(
            print("User", AlterAction::RenameTo("order")),
            "ALTER TABLE \"User\" RENAME TO \"order\""
        );
        assert_eq!(
            print(
                "t",
                AlterAction::RenameColumn {
                    from: "a b",
                    to: "c"
                }
            ),
            "ALTER TABLE t RENAME COLUMN \"a b\" TO c"
        );
        assert_eq!(
            print(
                "t",
                AlterAction::RenameConstraint {
                    from: "x\"; DROP TABLE v; --",
                    to: "y"
                }
            ),
            "ALTER TABLE t RENAME CONSTRAINT \"x\"\"; DROP TABLE v; --\" TO y"
        );
        assert_eq!(
            print("t", AlterAction::DropColumn("a\nb")),
            "ALTER TABLE t DROP COLUMN U&\"a\\+00000Ab\""
        );
    }

    #[test]
    fn column_actions() {
        let ty = ColumnType {
            base: BaseType::Enum("Mood".into()),
            array: true,
        };
        assert_eq!(
            print(
                "t",
                AlterAction::AlterColumnType {
                    column: "c",
                    ty: &ty,
                    collation: None,
                    using: Some(Using::ViaText { array: true })
                }
            ),
            "ALTER TABLE t ALTER COLUMN c TYPE \"Mood\"[] USING c::text[]::\"Mood\"[]"
        );
        assert_eq!(
            print(
                "t",
                AlterAction::AlterColumnType {
                    column: "Age",
                    ty: &text(),
                    collation: Some("C"),
                    using: Some(Using::Cast)
                }
            ),
            "ALTER TABLE t ALTER COLUMN \"Age\" TYPE text COLLATE \"C\" USING \"Age\"::text"
        );
        assert_eq!(
            print(
                "t",
                AlterAction::AlterColumnType {
                    column: "c",
                    ty: &text(),
                    collation: None,
                    using: None
                }
            ),
            "ALTER TABLE t ALTER COLUMN c TYPE text"
        );
        assert_eq!(
            print(
                "t",
                AlterAction::SetDefault {
                    column: "c",
                    expr: "now()"
                }
            ),
            "ALTER TABLE t ALTER COLUMN c SET DEFAULT now()"
        );
        assert_eq!(
            print("t", AlterAction::DropDefault("c")),
            "ALTER TABLE t ALTER COLUMN c DROP DEFAULT"
        );
        assert_eq!(
            print("t", AlterAction::SetNotNull("c")),
            "ALTER TABLE t ALTER COLUMN c SET NOT NULL"
        );
        assert_eq!(
            print("t", AlterAction::DropNotNull("c")),
            "ALTER TABLE t ALTER COLUMN c DROP NOT NULL"
        );
        let column = Column {
            name: "Note".into(),
            rust_name: "note".into(),
            ty: text(),
            nullable: true,
            default: None,
            identity: None,
            identity_options: None,
            backfill: None,
            generated: None,
            using: None,
            auto_update: false,
            soft_delete: false,
            json: None,
            collation: None,
            description: None,
            renamed_from: None,
            mixin: None,
            loc: Default::default(),
        };
        assert_eq!(
            print("t", AlterAction::AddColumn(&column)),
            "ALTER TABLE t ADD COLUMN \"Note\" text"
        );
    }

    #[test]
    fn identities() {
        assert_eq!(
            print(
                "t",
                AlterAction::AddIdentity {
                    column: "id",
                    identity: Identity::ByDefault
                }
            ),
            "ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"
        );
        assert_eq!(
            print(
                "t",
                AlterAction::SetGenerated {
                    column: "id",
                    identity: Identity::Always
                }
            ),
            "ALTER TABLE t ALTER COLUMN id SET GENERATED ALWAYS"
        );
        assert_eq!(
            print(
                "t",
                AlterAction::DropIdentity {
                    column: "id",
                    if_exists: true
                }
            ),
            "ALTER TABLE t ALTER COLUMN id DROP IDENTITY IF EXISTS"
        );
    }

    #[test]
    fn constraints() {
        let check = Check {
            name: "positive".into(),
            expr: "price > 0".into(),
            not_valid: false,
            no_inherit: false,
            description: None,
            loc: Default::default(),
        };
        assert_eq!(
            print(
                "t",
                AlterAction::AddConstraint {
                    constraint: Constraint::Check(&check),
                    not_valid: true
                }
            ),
            "ALTER TABLE t ADD CONSTRAINT positive CHECK (price > 0) NOT VALID"
        );
        assert_eq!(
            print(
                "t",
                AlterAction::AddConstraint {
                    constraint: Constraint::NotNullCheck {
                        name: "t_c_not_null",
                        column: "User"
                    },
                    not_valid: false
                }
            ),
            "ALTER TABLE t ADD CONSTRAINT t_c_not_null CHECK (\"User\" IS NOT NULL)"
        );
        assert_eq!(
            print("t", AlterAction::ValidateConstraint("check")),
            "ALTER TABLE t VALIDATE CONSTRAINT \"check\""
        );
        assert_eq!(
            print("t", AlterAction::DropConstraint("c")),
            "ALTER TABLE t DROP CONSTRAINT c"
        );
    }

    #[test]
    fn triggers_and_several_actions() {
        assert_eq!(
            print("t", AlterAction::DisableTrigger("strata_touch_columns")),
            "ALTER TABLE t DISABLE TRIGGER strata_touch_columns"
        );
        let two = AlterTable {
            table: "t",
            actions: vec![
                AlterAction::EnableTrigger("Tr"),
                AlterAction::DropNotNull("c"),
            ],
        };
        assert_eq!(
            two.to_string(),
            "ALTER TABLE t ENABLE TRIGGER \"Tr\", ALTER COLUMN c DROP NOT NULL"
        );
    }
}
