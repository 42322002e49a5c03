//! Access control as the catalog holds it: each table's row-level security
//! (`relrowsecurity`, `relforcerowsecurity`), its policies as `pg_policies` shows them (with
//! their comments), and every privilege of the schema's tables, columns, sequences, functions
//! and of the schema itself, from `aclexplode` over the effective ACL (`acldefault` where the
//! ACL is NULL, so an ACL revoked back to the owner's defaults equals one never touched).
//! An identity column's own sequence is left out: its name is the server's choice
//! (`t_id_seq1` when `t_id_seq` is taken) and it is compared with its column.

use tokio_postgres::Client;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Security {
    /// `table: enabled|forced`, for each table with row-level security on, sorted.
    pub row_level_security: Vec<String>,
    pub policies: Vec<Policy>,
    /// `kind name[detail] grantee privilege[ WITH GRANT OPTION]` lines, sorted; the grantor is
    /// left out.
    pub privileges: Vec<String>,
}

/// One row of `pg_policies`, and the policy's comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub table: String,
    pub name: String,
    /// `PERMISSIVE` or `RESTRICTIVE`.
    pub permissive: String,
    pub roles: Vec<String>,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE`, `DELETE`.
    pub command: String,
    pub qual: Option<String>,
    pub with_check: Option<String>,
    pub comment: Option<String>,
}

const GRANTEE: &str =
    "CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END";

pub async fn read(client: &Client, schema: &str) -> Result<Security, tokio_postgres::Error> {
    let row_level_security = client
        .query(
            "SELECT c.relname::text || ': ' || CASE WHEN c.relforcerowsecurity THEN 'forced' ELSE 'enabled' END
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relrowsecurity ORDER BY 1",
            &[&schema],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let policies = client
        .query(
            "SELECT p.tablename::text, p.policyname::text, p.permissive, p.roles::text[], p.cmd, p.qual, p.with_check,
                    (SELECT d.description FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
                       JOIN pg_description d ON d.objoid = pol.oid AND d.classoid = 'pg_policy'::regclass
                      WHERE c.relname = p.tablename AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = p.schemaname)
                        AND pol.polname = p.policyname)
               FROM pg_policies p WHERE p.schemaname = $1 ORDER BY 1, 2",
            &[&schema],
        )
        .await?
        .iter()
        .map(|r| Policy {
            table: r.get(0),
            name: r.get(1),
            permissive: r.get(2),
            roles: r.get(3),
            command: r.get(4),
            qual: r.get(5),
            with_check: r.get(6),
            comment: r.get(7),
        })
        .collect();
    let privileges = client
        .query(
            &format!(
                "SELECT line FROM (
                   SELECT CASE c.relkind WHEN 'S' THEN 'sequence ' ELSE 'table ' END || c.relname || ' ' || {GRANTEE} || ' ' || x.privilege_type
                          || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS line
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))) x
                    WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'S') AND c.relname <> 'refinery_schema_history'
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                        AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i')
                   UNION ALL
                   SELECT 'column ' || c.relname || '.' || a.attname || ' ' || {GRANTEE} || ' ' || x.privilege_type
                          || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
                     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                     CROSS JOIN LATERAL aclexplode(a.attacl) x
                    WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped
                   UNION ALL
                   SELECT 'function ' || p.proname || '(' || oidvectortypes(p.proargtypes) || ') ' || {GRANTEE} || ' ' || x.privilege_type
                     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x
                    WHERE n.nspname = $1
                   UNION ALL
                   SELECT 'schema ' || n.nspname || ' ' || {GRANTEE} || ' ' || x.privilege_type
                     FROM pg_namespace n CROSS JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) x
                    WHERE n.nspname = $1
                 ) l ORDER BY 1"
            ),
            &[&schema],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(Security {
        row_level_security,
        policies,
        privileges,
    })
}

/// Creates each role unless the cluster has it (roles are cluster-wide; a name unique to the
/// test keeps it apart from every other role). One statement per role, run one at a time.
pub async fn ensure_roles(client: &Client, roles: &[&str]) -> Result<(), tokio_postgres::Error> {
    for r in roles {
        let quoted = format!("\"{}\"", r.replace('"', "\"\""));
        let literal = format!("'{}'", r.replace('\'', "''"));
        let sql = format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal}) THEN CREATE ROLE {quoted} NOLOGIN; END IF; END $$"
        );
        client.batch_execute(&sql).await?;
    }
    Ok(())
}
