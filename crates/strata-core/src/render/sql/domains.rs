//! Domains: `CREATE DOMAIN`, its comment, and the `ALTER DOMAIN` steps the planner takes.

use super::quote::{ident, relation};
use super::values::{literal_value, sql_type, wrap_expr};
use super::{Statement, StatementKind};
use crate::model::{Check, Default, Domain};
use std::fmt::Write as _;

/// `CREATE DOMAIN <name> AS <type> [DEFAULT …] [NOT NULL] [CONSTRAINT <name> CHECK (…)]…`.
pub fn create_domain(d: &Domain) -> Statement {
    let mut sql = format!("CREATE DOMAIN {} AS {}", relation(&d.name), sql_type(&d.ty));
    if let Some(def) = domain_default(d) {
        let _ = write!(sql, " DEFAULT {def}");
    }
    if d.not_null {
        sql.push_str(" NOT NULL");
    }
    for c in &d.checks {
        let _ = write!(sql, "\n    {}", domain_check(c));
    }
    Statement::new(StatementKind::CreateDomain, sql)
}

/// The domain's `DEFAULT` expression, as a column's.
pub fn domain_default(d: &Domain) -> Option<String> {
    match d.default.as_ref()? {
        Default::Sql(sql) => Some(wrap_expr(sql)),
        Default::Literal(lit) => Some(literal_value(lit, &d.ty)),
    }
}

/// `CONSTRAINT <name> CHECK (<expr>)` of a domain: a table check's clause (a domain check is
/// never `NO INHERIT`).
pub fn domain_check(c: &Check) -> String {
    super::ddl::check_clause(c)
}

/// One change of an existing domain.
pub enum AlterDomain<'a> {
    SetDefault(&'a Domain),
    DropDefault,
    SetNotNull,
    DropNotNull,
    /// `ADD CONSTRAINT … CHECK (…)`: PostgreSQL checks every column of the domain's type.
    AddCheck(&'a Check),
    DropCheck(&'a str),
    RenameTo(&'a str),
}

/// `ALTER DOMAIN <name> …`.
pub fn alter_domain(name: &str, action: AlterDomain<'_>) -> Statement {
    let what = match action {
        AlterDomain::SetDefault(d) => format!(
            "SET DEFAULT {}",
            domain_default(d).unwrap_or_else(|| "NULL".into())
        ),
        AlterDomain::DropDefault => "DROP DEFAULT".into(),
        AlterDomain::SetNotNull => "SET NOT NULL".into(),
        AlterDomain::DropNotNull => "DROP NOT NULL".into(),
        AlterDomain::AddCheck(c) => format!("ADD {}", domain_check(c)),
        AlterDomain::DropCheck(n) => format!("DROP CONSTRAINT {}", ident(n)),
        AlterDomain::RenameTo(n) => format!("RENAME TO {}", ident(crate::model::local_name(n))),
    };
    Statement::new(
        StatementKind::AlterDomain,
        format!("ALTER DOMAIN {} {what}", relation(name)),
    )
}

/// `DROP DOMAIN <name>` (never CASCADE: the planner drops or converts its columns first).
pub fn drop_domain(name: &str) -> Statement {
    Statement::new(
        StatementKind::AlterDomain,
        format!("DROP DOMAIN {}", relation(name)),
    )
}
