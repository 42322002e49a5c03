//! Sequences: `CREATE SEQUENCE` with its options, and `ALTER SEQUENCE … OWNED BY` once the
//! owning table exists.

use super::quote::{ident, relation};
use super::values::sql_type;
use super::{Statement, StatementKind};
use crate::model::{ColumnType, Sequence};

/// The options of `CREATE SEQUENCE` / `ALTER SEQUENCE` that differ from PostgreSQL's defaults.
pub fn sequence_options(s: &Sequence) -> String {
    let mut out = String::new();
    if let Some(v) = s.increment {
        out.push_str(&format!(" INCREMENT BY {v}"));
    }
    if let Some(v) = s.min {
        out.push_str(&format!(" MINVALUE {v}"));
    }
    if let Some(v) = s.max {
        out.push_str(&format!(" MAXVALUE {v}"));
    }
    if let Some(v) = s.start {
        out.push_str(&format!(" START WITH {v}"));
    }
    if let Some(v) = s.cache {
        out.push_str(&format!(" CACHE {v}"));
    }
    if s.cycle {
        out.push_str(" CYCLE");
    }
    out
}

/// `CREATE SEQUENCE <name> AS <type> …`.
pub fn create_sequence(s: &Sequence) -> Statement {
    let ty = sql_type(&ColumnType {
        base: s.ty.clone(),
        array: false,
    });
    Statement::new(
        StatementKind::CreateSequence,
        format!(
            "CREATE SEQUENCE {} AS {ty}{}",
            relation(&s.name),
            sequence_options(s)
        ),
    )
}

/// `ALTER SEQUENCE <name> OWNED BY <table>.<column>` (or `OWNED BY NONE`).
pub fn own_sequence(name: &str, owner: Option<(&str, &str)>) -> Statement {
    let by = match owner {
        Some((t, c)) => format!("{}.{}", relation(t), ident(c)),
        None => "NONE".into(),
    };
    Statement::new(
        StatementKind::OwnSequence,
        format!("ALTER SEQUENCE {} OWNED BY {by}", relation(name)),
    )
}

/// `DROP SEQUENCE IF EXISTS <name>` (a sequence owned by a dropped column is gone already).
pub fn drop_sequence(name: &str) -> Statement {
    Statement::new(
        StatementKind::CreateSequence,
        format!("DROP SEQUENCE IF EXISTS {}", relation(name)),
    )
}

/// `ALTER SEQUENCE <name> AS <type> <options>` with every option stated (a changed option
/// back to its default is written as the default).
pub fn alter_sequence(s: &Sequence) -> Statement {
    let ty = sql_type(&ColumnType {
        base: s.ty.clone(),
        array: false,
    });
    let mut sql = format!("ALTER SEQUENCE {} AS {ty}", relation(&s.name));
    sql.push_str(&match s.increment {
        Some(v) => format!(" INCREMENT BY {v}"),
        None => " INCREMENT BY 1".into(),
    });
    sql.push_str(&match s.min {
        Some(v) => format!(" MINVALUE {v}"),
        None => " NO MINVALUE".into(),
    });
    sql.push_str(&match s.max {
        Some(v) => format!(" MAXVALUE {v}"),
        None => " NO MAXVALUE".into(),
    });
    if let Some(v) = s.start {
        sql.push_str(&format!(" START WITH {v}"));
    }
    sql.push_str(&format!(" CACHE {}", s.cache.unwrap_or(1)));
    sql.push_str(if s.cycle { " CYCLE" } else { " NO CYCLE" });
    Statement::new(StatementKind::OwnSequence, sql)
}
