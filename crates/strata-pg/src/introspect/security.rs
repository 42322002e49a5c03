//! Access control read back: row-level security (`relrowsecurity`, `relforcerowsecurity`),
//! policies (`pg_policy`, expressions by `pg_get_expr`), privileges (`aclexplode` over
//! `relacl`, `attacl`, `proacl` and `nspacl`) and the roles they name (`pg_roles`,
//! `pg_auth_members`).
//!
//! What is not a grant to report: the owner's own privileges (PostgreSQL's default for every
//! object), `EXECUTE` for `PUBLIC` on a function and `USAGE` for `PUBLIC` on the schema
//! `public` (both PostgreSQL's defaults). `WITH GRANT OPTION` is read as the plain privilege.

use std::collections::BTreeSet;

use strata::Loc;
use strata::model::{
    Grant, GrantObject, Policy, PolicyCommand, Privilege, Role, RowLevelSecurity, Schema,
    normalize_grants,
};
use tokio_postgres::Client;

pub(crate) struct SecurityCatalog {
    /// Table name, row security on, forced.
    pub rls: Vec<(String, bool, bool)>,
    pub policies: Vec<PolicyRow>,
    pub acl: Vec<AclRow>,
    /// Every role of the cluster but PostgreSQL's own (`pg_…`).
    pub roles: Vec<Role>,
}

pub(crate) struct PolicyRow {
    pub table: String,
    pub name: String,
    /// `*`, `r`, `a`, `w`, `d`.
    pub command: String,
    pub permissive: bool,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    pub comment: Option<String>,
}

pub(crate) struct AclRow {
    /// `table`, `sequence`, `column`, `function`, `schema`.
    pub kind: String,
    pub name: String,
    /// The column, or a function's argument types (`oidvectortypes`).
    pub detail: Option<String>,
    pub grantee: String,
    pub privilege: String,
}

pub(crate) async fn read(
    client: &Client,
    ns: u32,
) -> Result<SecurityCatalog, tokio_postgres::Error> {
    let rls = client
        .query(
            "SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
              WHERE c.relnamespace = $1 AND c.relkind IN ('r', 'p') ORDER BY c.oid",
            &[&ns],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let policies = client
        .query(
            "SELECT c.relname::text, pol.polname::text, pol.polcmd::text, pol.polpermissive,
                    CASE WHEN pol.polroles = '{0}' THEN ARRAY['public']
                         ELSE ARRAY(SELECT r.rolname::text FROM pg_roles r WHERE r.oid = ANY (pol.polroles) ORDER BY 1) END,
                    pg_get_expr(pol.polqual, pol.polrelid), pg_get_expr(pol.polwithcheck, pol.polrelid),
                    d.description
               FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
               LEFT JOIN pg_description d ON d.objoid = pol.oid AND d.classoid = 'pg_policy'::regclass
              WHERE c.relnamespace = $1 ORDER BY pol.oid",
            &[&ns],
        )
        .await?
        .iter()
        .map(|r| PolicyRow {
            table: r.get(0),
            name: r.get(1),
            command: r.get(2),
            permissive: r.get(3),
            roles: r.get(4),
            using: r.get(5),
            with_check: r.get(6),
            comment: r.get(7),
        })
        .collect();
    const GRANTEE: &str =
        "CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_get_userbyid(x.grantee)::text END";
    let acl = client
        .query(
            &format!(
                "SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END, c.relname::text, NULL::text, {GRANTEE}, x.privilege_type
                   FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) x
                  WHERE c.relnamespace = $1 AND c.relkind IN ('r', 'p', 'S') AND x.grantee <> c.relowner
                 UNION ALL
                 SELECT 'column', c.relname::text, a.attname::text, {GRANTEE}, x.privilege_type
                   FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid CROSS JOIN LATERAL aclexplode(a.attacl) x
                  WHERE c.relnamespace = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                    AND x.grantee <> c.relowner
                 UNION ALL
                 SELECT 'function', p.proname::text, oidvectortypes(p.proargtypes), {GRANTEE}, x.privilege_type
                   FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) x
                  WHERE p.pronamespace = $1 AND x.grantee <> p.proowner AND NOT (x.grantee = 0 AND x.privilege_type = 'EXECUTE')
                    AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_proc'::regclass AND dep.objid = p.oid AND dep.deptype = 'e')
                 UNION ALL
                 SELECT 'schema', n.nspname::text, NULL::text, {GRANTEE}, x.privilege_type
                   FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) x
                  WHERE n.oid = $1 AND x.grantee <> n.nspowner
                    AND NOT (n.nspname = 'public' AND x.grantee = 0 AND x.privilege_type = 'USAGE')"
            ),
            &[&ns],
        )
        .await?
        .iter()
        .map(|r| AclRow {
            kind: r.get(0),
            name: r.get(1),
            detail: r.get(2),
            grantee: r.get(3),
            privilege: r.get(4),
        })
        .collect();
    let roles = client
        .query(
            "SELECT r.rolname::text, r.rolcanlogin, r.rolinherit, r.rolbypassrls,
                    ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                           WHERE m.member = r.oid ORDER BY 1)
               FROM pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY r.rolname",
            &[],
        )
        .await?
        .iter()
        .map(|r| {
            let member_of: Vec<String> = r.get(4);
            Role {
                name: r.get(0),
                login: r.get(1),
                inherit: r.get(2),
                bypass_rls: r.get(3),
                member_of: member_of.into_iter().filter(|g| !g.starts_with("pg_")).collect(),
                description: None,
                loc: Loc::default(),
            }
        })
        .collect();
    Ok(SecurityCatalog {
        rls,
        policies,
        acl,
        roles,
    })
}

fn command(c: &str) -> PolicyCommand {
    match c {
        "r" => PolicyCommand::Select,
        "a" => PolicyCommand::Insert,
        "w" => PolicyCommand::Update,
        "d" => PolicyCommand::Delete,
        _ => PolicyCommand::All,
    }
}

/// The types of `oidvectortypes` (`integer, character varying`) as the loader prints them.
fn argument_types(list: &str) -> Vec<String> {
    list.split(", ")
        .filter(|t| !t.trim().is_empty())
        .map(|t| strata::fragment::type_name(t).unwrap_or_else(|_| t.to_string()))
        .collect()
}

/// Puts row-level security, policies, grants and the roles they name into `schema`.
pub(crate) fn apply(schema: &mut Schema, cat: &SecurityCatalog) {
    for (name, on, forced) in &cat.rls {
        if let Some(t) = schema.tables.iter_mut().find(|t| &t.name == name) {
            t.row_level_security = match (on, forced) {
                (false, _) => None,
                (true, false) => Some(RowLevelSecurity::Enabled),
                (true, true) => Some(RowLevelSecurity::Forced),
            };
        }
    }
    let mut named: BTreeSet<String> = BTreeSet::new();
    for p in &cat.policies {
        let Some(t) = schema.tables.iter_mut().find(|t| t.name == p.table) else {
            continue;
        };
        let tidy = |e: &Option<String>| e.as_deref().map(strata::compare::expr::tidy);
        named.extend(p.roles.iter().cloned());
        t.policies.push(Policy {
            name: p.name.clone(),
            command: command(&p.command),
            roles: p.roles.clone(),
            using: tidy(&p.using),
            with_check: tidy(&p.with_check),
            restrictive: !p.permissive,
            description: p.comment.clone(),
            renamed_from: None,
            loc: Loc::default(),
        });
    }
    // A partition's own privileges are reported as ignored (`build::partitions`): rows are
    // read and written through the parent, whose privileges PostgreSQL checks.
    let partitions: BTreeSet<&str> = schema
        .tables
        .iter()
        .flat_map(|t| t.all_partitions())
        .map(|(_, p)| p.name.as_str())
        .collect();
    let mut grants = Vec::new();
    for a in &cat.acl {
        let Some(privilege) = Privilege::parse(&a.privilege) else {
            continue;
        };
        if matches!(a.kind.as_str(), "table" | "column") && partitions.contains(a.name.as_str()) {
            continue;
        }
        let object = match a.kind.as_str() {
            "table" => GrantObject::Table {
                schema: None,
                name: a.name.clone(),
            },
            "sequence" => GrantObject::Sequence {
                schema: None,
                name: a.name.clone(),
            },
            "column" => GrantObject::Column {
                schema: None,
                table: a.name.clone(),
                column: a.detail.clone().unwrap_or_default(),
            },
            "function" => GrantObject::Function {
                schema: None,
                name: a.name.clone(),
                args: argument_types(a.detail.as_deref().unwrap_or_default()),
            },
            _ => GrantObject::Schema {
                name: a.name.clone(),
            },
        };
        named.insert(a.grantee.clone());
        grants.push(Grant {
            object,
            role: a.grantee.clone(),
            privileges: vec![privilege],
            loc: Loc::default(),
        });
    }
    // A table's ACL holds column privileges too only through attacl; a table grant of a
    // privilege makes the same column grant redundant, and PostgreSQL keeps them apart.
    normalize_grants(&mut grants);
    schema.grants = grants;
    // The roles named, and the groups they are members of, transitively.
    let mut queue: Vec<String> = named.into_iter().collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some(r) = queue.pop() {
        if r == "public" || r.starts_with("pg_") || !seen.insert(r.clone()) {
            continue;
        }
        if let Some(role) = cat.roles.iter().find(|x| x.name == r) {
            queue.extend(role.member_of.iter().cloned());
        }
    }
    schema.roles = cat
        .roles
        .iter()
        .filter(|r| seen.contains(&r.name))
        .cloned()
        .collect();
}
