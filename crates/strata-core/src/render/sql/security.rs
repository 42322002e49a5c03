//! Access control statements: roles (created when missing), row-level security, policies and
//! their comments, GRANT and REVOKE.
//!
//! Every name is written by [`ident`]/[`qualified`]; the expressions of a policy reach this
//! module only as printed from their parse tree ([`crate::fragment`]).

use super::guards::do_block;
use super::quote::{ident, literal, qualified, relation};
use super::{Statement, StatementKind};
use crate::model::{Grant, GrantObject, Policy, Privilege, Role, RowLevelSecurity};

/// A grantee: `PUBLIC` for `public`, else the quoted role name.
fn grantee(role: &str) -> String {
    if role == "public" {
        "PUBLIC".into()
    } else {
        ident(role).into_owned()
    }
}

/// The attributes of `CREATE ROLE` / `ALTER ROLE`, every one stated.
fn role_attributes(r: &Role) -> String {
    format!(
        "{} {} {}",
        if r.login { "LOGIN" } else { "NOLOGIN" },
        if r.inherit { "INHERIT" } else { "NOINHERIT" },
        if r.bypass_rls {
            "BYPASSRLS"
        } else {
            "NOBYPASSRLS"
        },
    )
}

/// Creates the role unless the cluster has it already (roles are shared by every database of
/// the cluster, so another database may have created it, or a migration of another database
/// may be creating it at the same moment: that one's duplicate is ignored too). A role that
/// exists keeps its attributes; drift reports a difference.
pub fn create_role(r: &Role) -> Statement {
    let body = format!(
        "BEGIN\n    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {}) THEN\n        CREATE ROLE {} {};\n    END IF;\nEXCEPTION WHEN duplicate_object OR unique_violation THEN\n    NULL;\nEND",
        literal(&r.name),
        ident(&r.name),
        role_attributes(r)
    );
    Statement::new(StatementKind::CreateRole, do_block(&body))
}

/// `ALTER ROLE <name> [NO]LOGIN [NO]INHERIT [NO]BYPASSRLS`.
pub fn alter_role(r: &Role) -> Statement {
    Statement::new(
        StatementKind::CreateRole,
        format!("ALTER ROLE {} {}", ident(&r.name), role_attributes(r)),
    )
}

/// `GRANT <group> TO <role>` (a membership).
pub fn grant_membership(group: &str, role: &str) -> Statement {
    Statement::new(
        StatementKind::CreateRole,
        format!("GRANT {} TO {}", ident(group), ident(role)),
    )
}

/// `REVOKE <group> FROM <role>`.
pub fn revoke_membership(group: &str, role: &str) -> Statement {
    Statement::new(
        StatementKind::CreateRole,
        format!("REVOKE {} FROM {}", ident(group), ident(role)),
    )
}

/// The statements that set a table's row-level security from `from` to `to`.
pub fn set_row_level_security(
    table: &str,
    from: Option<RowLevelSecurity>,
    to: Option<RowLevelSecurity>,
) -> Vec<Statement> {
    let t = relation(table);
    let one = |what: &str| {
        Statement::new(
            StatementKind::RowLevelSecurity,
            format!("ALTER TABLE {t} {what} ROW LEVEL SECURITY"),
        )
    };
    let mut out = Vec::new();
    let enabled = |m: Option<RowLevelSecurity>| m.is_some();
    let forced = |m: Option<RowLevelSecurity>| m == Some(RowLevelSecurity::Forced);
    if enabled(to) && !enabled(from) {
        out.push(one("ENABLE"));
    }
    if forced(to) && !forced(from) {
        out.push(one("FORCE"));
    }
    if !forced(to) && forced(from) {
        out.push(one("NO FORCE"));
    }
    if !enabled(to) && enabled(from) {
        out.push(one("DISABLE"));
    }
    out
}

fn roles_clause(p: &Policy) -> String {
    if p.is_public() {
        return "PUBLIC".into();
    }
    p.roles
        .iter()
        .map(|r| grantee(r))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE POLICY <name> ON <table> [AS RESTRICTIVE] FOR <command> TO <roles> [USING (…)]
/// [WITH CHECK (…)]`.
pub fn create_policy(table: &str, p: &Policy) -> Statement {
    let mut sql = format!("CREATE POLICY {} ON {}", ident(&p.name), relation(table));
    if p.restrictive {
        sql.push_str(" AS RESTRICTIVE");
    }
    sql.push_str(&format!(" FOR {} TO {}", p.command.sql(), roles_clause(p)));
    if let Some(u) = &p.using {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({w})"));
    }
    Statement::new(StatementKind::CreatePolicy, sql)
}

/// `ALTER POLICY <name> ON <table> TO <roles> [USING (…)] [WITH CHECK (…)]`: the roles and
/// expressions of `p` (PostgreSQL cannot remove an expression this way; see
/// [`policy_alterable`]).
pub fn alter_policy(table: &str, p: &Policy) -> Statement {
    let mut sql = format!(
        "ALTER POLICY {} ON {} TO {}",
        ident(&p.name),
        relation(table),
        roles_clause(p)
    );
    if let Some(u) = &p.using {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({w})"));
    }
    Statement::new(StatementKind::CreatePolicy, sql)
}

/// Whether `ALTER POLICY` turns `old` into `new`: same command and kind, and no expression
/// removed.
pub fn policy_alterable(old: &Policy, new: &Policy) -> bool {
    old.command == new.command
        && old.restrictive == new.restrictive
        && (old.using.is_none() || new.using.is_some())
        && (old.with_check.is_none() || new.with_check.is_some())
}

/// `DROP POLICY <name> ON <table>`.
pub fn drop_policy(table: &str, name: &str) -> Statement {
    Statement::new(
        StatementKind::CreatePolicy,
        format!("DROP POLICY {} ON {}", ident(name), relation(table)),
    )
}

/// `ALTER POLICY <name> ON <table> RENAME TO <new_name>`.
pub fn rename_policy(table: &str, name: &str, new_name: &str) -> Statement {
    Statement::new(
        StatementKind::CreatePolicy,
        format!(
            "ALTER POLICY {} ON {} RENAME TO {}",
            ident(name),
            ident(table),
            ident(new_name)
        ),
    )
}

/// `COMMENT ON POLICY <name> ON <table> IS …` (`IS NULL` removes it).
pub fn comment_on_policy(table: &str, name: &str, text: Option<&str>) -> Statement {
    Statement::new(
        StatementKind::Comment,
        format!(
            "COMMENT ON POLICY {} ON {} IS {}",
            ident(name),
            relation(table),
            text.map_or_else(|| "NULL".to_string(), literal)
        ),
    )
}

/// `ON TABLE t`, `(col) ON TABLE t`, `ON SEQUENCE s`, `ON FUNCTION f(uuid)`, `ON SCHEMA s`,
/// with the privileges in between.
fn on_object(object: &GrantObject, privileges: &[Privilege]) -> String {
    let list = privileges
        .iter()
        .map(|p| p.sql())
        .collect::<Vec<_>>()
        .join(", ");
    match object {
        GrantObject::Table { schema, name } => {
            format!("{list} ON TABLE {}", qualified(schema.as_deref(), name))
        }
        GrantObject::Column {
            schema,
            table,
            column,
        } => {
            let cols = privileges
                .iter()
                .map(|p| format!("{} ({})", p.sql(), ident(column)))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{cols} ON TABLE {}", qualified(schema.as_deref(), table))
        }
        GrantObject::Sequence { schema, name } => {
            format!("{list} ON SEQUENCE {}", qualified(schema.as_deref(), name))
        }
        GrantObject::Function { schema, name, args } => format!(
            "{list} ON FUNCTION {}({})",
            qualified(schema.as_deref(), name),
            // Printed by PostgreSQL's parser from the declared types (`fragment::type_name`).
            args.join(", ")
        ),
        GrantObject::Schema { name } => format!("{list} ON SCHEMA {}", ident(name)),
    }
}

/// `GRANT <privileges> ON <object> TO <role>`.
pub fn grant(g: &Grant) -> Statement {
    Statement::new(
        StatementKind::Grant,
        format!(
            "GRANT {} TO {}",
            on_object(&g.object, &g.privileges),
            grantee(&g.role)
        ),
    )
}

/// `REVOKE <privileges> ON <object> FROM <role>`.
pub fn revoke(g: &Grant) -> Statement {
    Statement::new(
        StatementKind::Grant,
        format!(
            "REVOKE {} FROM {}",
            on_object(&g.object, &g.privileges),
            grantee(&g.role)
        ),
    )
}
