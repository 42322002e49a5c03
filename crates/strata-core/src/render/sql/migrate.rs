//! The statements only a migration needs, besides `ALTER TABLE` ([`super::alter`]): dropping
//! and renaming tables, indexes, types, triggers and functions, adding and renaming enum values,
//! backfilling a column, locking a table and setting the lock timeout.
//!
//! Each is a typed value printed by its `Display` implementation: every name through [`ident`],
//! every text through [`literal`]; an SQL expression of the schema (a backfill) is already
//! printed from its parse tree and is inserted as it is.

use super::quote::{ident, literal, relation};
use crate::model::local_name;
use std::fmt;

/// `DROP TABLE <name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropTable<'a> {
    pub name: &'a str,
}

impl fmt::Display for DropTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DROP TABLE {}", relation(self.name))
    }
}

/// `DROP INDEX [CONCURRENTLY] [IF EXISTS] <name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropIndex<'a> {
    pub name: &'a str,
    /// Without blocking writes to the table (outside a transaction only).
    pub concurrently: bool,
    pub if_exists: bool,
}

impl fmt::Display for DropIndex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DROP INDEX ")?;
        if self.concurrently {
            f.write_str("CONCURRENTLY ")?;
        }
        if self.if_exists {
            f.write_str("IF EXISTS ")?;
        }
        f.write_str(&relation(self.name))
    }
}

/// `ALTER INDEX [IF EXISTS] <from> RENAME TO <to>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenameIndex<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub if_exists: bool,
}

impl fmt::Display for RenameIndex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ALTER INDEX {}{} RENAME TO {}",
            if self.if_exists { "IF EXISTS " } else { "" },
            relation(self.from),
            ident(local_name(self.to))
        )
    }
}

/// `ALTER TYPE <name> <action>`, for an enum type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlterType<'a> {
    pub name: &'a str,
    pub action: AlterTypeAction<'a>,
}

/// What an [`AlterType`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlterTypeAction<'a> {
    /// `RENAME TO <name>`.
    RenameTo(&'a str),
    /// `ADD VALUE [IF NOT EXISTS] '<value>' [BEFORE | AFTER '<neighbour>']`.
    AddValue {
        value: &'a str,
        if_not_exists: bool,
        position: Option<ValuePosition<'a>>,
    },
    /// `RENAME VALUE '<from>' TO '<to>'`.
    RenameValue { from: &'a str, to: &'a str },
}

/// Where `ALTER TYPE … ADD VALUE` puts the new value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValuePosition<'a> {
    Before(&'a str),
    After(&'a str),
}

impl fmt::Display for AlterType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ALTER TYPE {} ", relation(self.name))?;
        match self.action {
            AlterTypeAction::RenameTo(to) => write!(f, "RENAME TO {}", ident(local_name(to))),
            AlterTypeAction::AddValue {
                value,
                if_not_exists,
                position,
            } => {
                f.write_str("ADD VALUE ")?;
                if if_not_exists {
                    f.write_str("IF NOT EXISTS ")?;
                }
                f.write_str(&literal(value))?;
                match position {
                    Some(ValuePosition::Before(v)) => write!(f, " BEFORE {}", literal(v)),
                    Some(ValuePosition::After(v)) => write!(f, " AFTER {}", literal(v)),
                    None => Ok(()),
                }
            }
            AlterTypeAction::RenameValue { from, to } => {
                write!(f, "RENAME VALUE {} TO {}", literal(from), literal(to))
            }
        }
    }
}

/// `DROP TYPE <name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropType<'a> {
    pub name: &'a str,
}

impl fmt::Display for DropType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DROP TYPE {}", relation(self.name))
    }
}

/// `DROP TRIGGER [IF EXISTS] <name> ON <table>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropTrigger<'a> {
    pub name: &'a str,
    pub table: &'a str,
    pub if_exists: bool,
}

impl fmt::Display for DropTrigger<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DROP TRIGGER {}{} ON {}",
            if self.if_exists { "IF EXISTS " } else { "" },
            ident(self.name),
            relation(self.table)
        )
    }
}

/// `DROP FUNCTION [IF EXISTS] <name>()`, for a function without arguments (the trigger
/// function).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropFunction<'a> {
    pub name: &'a str,
    pub if_exists: bool,
}

impl fmt::Display for DropFunction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DROP FUNCTION {}{}()",
            if self.if_exists { "IF EXISTS " } else { "" },
            ident(self.name)
        )
    }
}

/// `UPDATE <table> SET <column> = <expr> WHERE <column> IS NULL`: fills the rows a column
/// leaves NULL (before it becomes NOT NULL) with the schema's `backfill:` expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backfill<'a> {
    pub table: &'a str,
    pub column: &'a str,
    /// The expression, as printed from its parse tree.
    pub expr: &'a str,
}

impl fmt::Display for Backfill<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = ident(self.column);
        write!(
            f,
            "UPDATE {} SET {c} = {} WHERE {c} IS NULL",
            relation(self.table),
            self.expr
        )
    }
}

/// `LOCK TABLE <table> IN <mode> MODE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockTable<'a> {
    pub table: &'a str,
    pub mode: LockMode,
}

/// A table lock mode (the ones the planner takes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LockMode {
    /// Keeps writers out, lets readers in.
    ShareRowExclusive,
    AccessExclusive,
}

impl LockMode {
    pub fn sql(self) -> &'static str {
        match self {
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }
}

impl fmt::Display for LockTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "LOCK TABLE {} IN {} MODE",
            relation(self.table),
            self.mode.sql()
        )
    }
}

/// `SET [LOCAL] lock_timeout = '<duration>'`: `LOCAL` inside a transaction (the setting ends
/// with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetLockTimeout<'a> {
    pub local: bool,
    pub timeout: &'a str,
}

impl fmt::Display for SetLockTimeout<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SET {}lock_timeout = {}",
            if self.local { "LOCAL " } else { "" },
            literal(self.timeout)
        )
    }
}

/// `SET [LOCAL] search_path = public`: what every generated script and migration sets before
/// its statements, so that the names it writes unqualified (objects of the default schema, and
/// those inside checks, defaults and view bodies) mean the same whatever `search_path` the role,
/// database or session that applies it has. `LOCAL` inside a transaction (the setting ends with
/// it); `pg_catalog` is searched first all the same, as PostgreSQL always does when it is not
/// listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetSearchPath {
    pub local: bool,
}

impl fmt::Display for SetSearchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SET {}search_path = public",
            if self.local { "LOCAL " } else { "" },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops() {
        assert_eq!(
            DropTable { name: "User" }.to_string(),
            "DROP TABLE \"User\""
        );
        assert_eq!(DropType { name: "mood" }.to_string(), "DROP TYPE mood");
        let ix = |concurrently, if_exists| {
            DropIndex {
                name: "ix",
                concurrently,
                if_exists,
            }
            .to_string()
        };
        assert_eq!(ix(false, false), "DROP INDEX ix");
        assert_eq!(ix(true, true), "DROP INDEX CONCURRENTLY IF EXISTS ix");
        assert_eq!(ix(false, true), "DROP INDEX IF EXISTS ix");
        assert_eq!(
            DropTrigger {
                name: "strata_touch_columns",
                table: "Order",
                if_exists: true
            }
            .to_string(),
            "DROP TRIGGER IF EXISTS strata_touch_columns ON \"Order\""
        );
        assert_eq!(
            DropFunction {
                name: "strata_touch_columns",
                if_exists: true
            }
            .to_string(),
            "DROP FUNCTION IF EXISTS strata_touch_columns()"
        );
    }

    #[test]
    fn index_renames() {
        assert_eq!(
            RenameIndex {
                from: "a",
                to: "B",
                if_exists: false
            }
            .to_string(),
            "ALTER INDEX a RENAME TO \"B\""
        );
        assert_eq!(
            RenameIndex {
                from: "a__strata_new",
                to: "a",
                if_exists: true
            }
            .to_string(),
            "ALTER INDEX IF EXISTS a__strata_new RENAME TO a"
        );
    }

    #[test]
    fn enum_types() {
        let t = |action| {
            AlterType {
                name: "Mood",
                action,
            }
            .to_string()
        };
        assert_eq!(
            t(AlterTypeAction::RenameTo("mood")),
            "ALTER TYPE \"Mood\" RENAME TO mood"
        );
        assert_eq!(
            t(AlterTypeAction::RenameValue {
                from: "it's",
                to: "b"
            }),
            "ALTER TYPE \"Mood\" RENAME VALUE 'it''s' TO 'b'"
        );
        assert_eq!(
            t(AlterTypeAction::AddValue {
                value: "c",
                if_not_exists: true,
                position: Some(ValuePosition::Before("d"))
            }),
            "ALTER TYPE \"Mood\" ADD VALUE IF NOT EXISTS 'c' BEFORE 'd'"
        );
        assert_eq!(
            t(AlterTypeAction::AddValue {
                value: "c\\",
                if_not_exists: false,
                position: Some(ValuePosition::After("b"))
            }),
            "ALTER TYPE \"Mood\" ADD VALUE E'c\\\\' AFTER 'b'"
        );
        assert_eq!(
            t(AlterTypeAction::AddValue {
                value: "c",
                if_not_exists: true,
                position: None
            }),
            "ALTER TYPE \"Mood\" ADD VALUE IF NOT EXISTS 'c'"
        );
    }

    #[test]
    fn backfill_lock_and_timeout() {
        assert_eq!(
            Backfill {
                table: "t",
                column: "Name",
                expr: "'x'"
            }
            .to_string(),
            "UPDATE t SET \"Name\" = 'x' WHERE \"Name\" IS NULL"
        );
        assert_eq!(
            LockTable {
                table: "t",
                mode: LockMode::ShareRowExclusive
            }
            .to_string(),
            "LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE"
        );
        assert_eq!(
            SetLockTimeout {
                local: true,
                timeout: "5s"
            }
            .to_string(),
            "SET LOCAL lock_timeout = '5s'"
        );
        assert_eq!(
            SetLockTimeout {
                local: false,
                timeout: "it's"
            }
            .to_string(),
            "SET lock_timeout = 'it''s'"
        );
    }
}
