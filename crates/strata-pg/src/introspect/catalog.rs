//! The catalog queries: one query per kind of object for the whole schema (never one per
//! table), read into plain rows. Names are as stored; SQL fragments are the server's canonical
//! text (`format_type`, `pg_get_expr`, `pg_get_indexdef`, `pg_get_constraintdef`). Objects that
//! belong to an extension are left out. Rows come in creation order (by oid) so an import keeps
//! the order the database was built in.

use tokio_postgres::Client;

mod views;
pub(crate) use views::ViewRow;

/// The model name of an object named `name` in the namespace `nsp` (SQL expressions): plain in
/// the schema read as the default (`$2`), `schema.name` in another (see
/// `strata::model::split_qualified`).
fn model_name(nsp: &str, name: &str) -> String {
    format!(
        "CASE WHEN {nsp} = $2 THEN {name}::text ELSE format('%s.%s', (SELECT sn.nspname FROM pg_namespace sn WHERE sn.oid = {nsp}), {name}) END"
    )
}

/// Whether the object `oid` of catalog `class` is a member of an extension.
fn in_extension(class: &str, oid: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '{class}'::regclass AND dep.objid = {oid} AND dep.deptype = 'e')"
    )
}

pub(crate) struct Catalog {
    pub database: String,
    pub extensions: Vec<String>,
    /// The other schemas read (every one but the system's and the extensions'), by name:
    /// name and comment.
    pub other_schemas: Vec<(String, Option<String>)>,
    /// Objects of the other schemas that are not read there (views, functions, triggers,
    /// rules): kind and `schema.name`.
    pub unread: Vec<(String, String)>,
    /// The schema `public` holds objects but is not read (another schema is the default).
    pub public_unread: bool,
    pub types: Vec<TypeRow>,
    pub relations: Vec<RelationRow>,
    pub sequences: Vec<SequenceRow>,
    pub columns: Vec<ColumnRow>,
    pub constraints: Vec<ConstraintRow>,
    pub indexes: Vec<IndexRow>,
    pub index_keys: Vec<IndexKeyRow>,
    pub triggers: Vec<TriggerRow>,
    pub functions: Vec<FunctionRow>,
    /// Functions of the schema that extensions own: the extension and how many.
    pub extension_functions: Vec<(String, i64)>,
    pub rules: Vec<(String, String)>,
    pub statistics: Vec<String>,
    pub views: Vec<ViewRow>,
    pub security: super::security::SecurityCatalog,
}

pub(crate) struct TypeRow {
    pub name: String,
    /// `e` enum, `d` domain, `r` range, `c` composite.
    pub kind: String,
    pub labels: Vec<String>,
    pub comment: Option<String>,
    /// For a domain: `format_type` of its base type, NOT NULL, `pg_get_expr` of its default,
    /// and its check constraints (name, `pg_get_constraintdef`, validated), by oid.
    pub base_type: Option<String>,
    pub not_null: bool,
    pub default: Option<String>,
    pub checks: Vec<(String, String, bool)>,
}

/// A sequence's options, from `pg_sequence`.
pub(crate) struct SequenceRow {
    pub name: String,
    pub ty: String,
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
}

pub(crate) struct RelationRow {
    pub oid: u32,
    pub name: String,
    /// `r`, `p`, `v`, `m`, `S`, `f`.
    pub kind: String,
    pub unlogged: bool,
    pub is_partition: bool,
    pub inherits: Option<String>,
    /// `reloptions`: the table's storage parameters (`fillfactor=70`).
    pub options: Vec<String>,
    pub comment: Option<String>,
    /// For a sequence: the column owning it (`table.column`) and whether through identity.
    pub owned_by: Option<String>,
    pub identity_owned: bool,
    /// For a partition: its parent's oid and its bound (`pg_get_expr(relpartbound)`).
    pub parent: Option<u32>,
    pub partition_bound: Option<String>,
    /// For a partitioned table: `r`, `l` or `h`, the key's columns (`None` for an
    /// expression) and `pg_get_partkeydef`.
    pub partition_strategy: Option<String>,
    pub partition_columns: Vec<Option<String>>,
    pub partition_key: Option<String>,
}

pub(crate) struct ColumnRow {
    pub table: u32,
    pub name: String,
    /// `format_type` of the column's type.
    pub type_text: String,
    /// The enum the column (or its array elements) has, if its type is an enum of this schema.
    pub enum_name: Option<String>,
    /// The domain the column (or its array elements) has, if it is a domain of this schema.
    pub domain_name: Option<String>,
    /// Whether the type (or its element type) is an enum, domain, composite or range type of
    /// any schema (so `type_text` is not a built-in type).
    pub user_type: bool,
    pub not_null: bool,
    pub default: Option<String>,
    /// `a`, `d` or empty.
    pub identity: String,
    /// `s` for a generated column, else empty.
    pub generated: String,
    pub comment: Option<String>,
    pub collation: Option<String>,
}

pub(crate) struct ConstraintRow {
    pub table: u32,
    pub name: String,
    /// `p`, `u`, `c`, `f`, `x`.
    pub kind: String,
    pub columns: Vec<String>,
    pub ref_table: Option<String>,
    pub ref_schema: Option<String>,
    pub ref_columns: Vec<String>,
    pub on_delete: String,
    pub on_update: String,
    pub match_full: bool,
    pub check: Option<String>,
    pub definition: String,
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    pub deferred: bool,
    pub validated: bool,
    pub no_inherit: bool,
    pub nulls_not_distinct: bool,
    pub comment: Option<String>,
    /// `ON DELETE SET NULL (a)`: the columns listed, when any.
    pub set_columns: Vec<String>,
    /// A unique constraint's `INCLUDE` columns, in order.
    pub include: Vec<String>,
    /// Made by PostgreSQL from a constraint of a parent (on a partition), or for the
    /// partitions of a referenced partitioned table (`conparentid`, `conislocal`).
    pub inherited: bool,
    /// An exclusion constraint's index (its keys are among [`Catalog::index_keys`]), access
    /// method, predicate (`pg_get_expr`) and storage parameters (`name=value`).
    pub index: Option<u32>,
    pub method: Option<String>,
    pub predicate: Option<String>,
    pub options: Vec<String>,
    /// An exclusion constraint's operators (`conexclop`), in element order: the name, with
    /// its schema unless that is `pg_catalog`.
    pub operators: Vec<String>,
}

pub(crate) struct IndexRow {
    pub oid: u32,
    pub table: u32,
    pub name: String,
    pub method: String,
    pub unique: bool,
    pub predicate: Option<String>,
    pub comment: Option<String>,
    pub definition: String,
    pub valid: bool,
    pub nulls_not_distinct: bool,
    /// The `INCLUDE` columns, in order.
    pub include: Vec<String>,
    /// `reloptions`: `name=value` storage parameters.
    pub options: Vec<String>,
    /// A partition's index attached to an index of its parent.
    pub inherited: bool,
}

pub(crate) struct IndexKeyRow {
    pub index: u32,
    pub column: Option<String>,
    /// The key's expression (`pg_get_indexdef` of the key), for an expression key.
    pub expression: Option<String>,
    pub desc: bool,
    pub nulls_first: bool,
    pub default_opclass: bool,
    pub default_collation: bool,
    /// The operator class's name (`pg_catalog` names unqualified).
    pub opclass: Option<String>,
    /// The key's collation's name, when it has one.
    pub collation: Option<String>,
}

pub(crate) struct TriggerRow {
    pub table: u32,
    pub name: String,
    pub function: String,
    pub function_schema: String,
    pub tgtype: i16,
    pub arguments: Vec<String>,
    pub enabled: String,
    pub has_when: bool,
    pub has_columns: bool,
    pub constraint_trigger: bool,
    /// `pg_get_triggerdef`.
    pub definition: String,
    pub comment: Option<String>,
    /// A partition's copy of its parent's trigger (`tgparentid`, PostgreSQL 13).
    pub inherited: bool,
}

pub(crate) struct FunctionRow {
    pub name: String,
    pub arguments: String,
    pub returns: String,
    /// `f` function, `p` procedure, `a` aggregate, `w` window.
    pub kind: String,
    pub language: String,
    /// `prosrc`: the body.
    pub body: String,
    /// `provolatile`: `i`, `s` or `v`.
    pub volatility: String,
    pub strict: bool,
    pub security_definer: bool,
    /// Whether `PUBLIC` may execute it (no ACL is PostgreSQL's default: it may).
    pub public_execute: bool,
    /// `proparallel`: `s`, `r` or `u`.
    pub parallel: String,
    pub cost: f64,
    /// `proconfig`: `name=value` each.
    pub config: Vec<String>,
    pub returns_set: bool,
    pub comment: Option<String>,
    /// Every argument (OUT and TABLE columns too): name (empty when unnamed), mode (`i`, `o`,
    /// `b`, `v`, `t`), type and default.
    pub argument_names: Vec<String>,
    pub argument_modes: Vec<String>,
    pub argument_types: Vec<String>,
    pub argument_defaults: Vec<Option<String>>,
    /// The body is SQL-standard (`BEGIN ATOMIC …`), not a string.
    pub standard_body: bool,
}

/// Reads the schema `schema`; `None` when the schema does not exist.
pub(crate) async fn read(
    client: &Client,
    schema: &str,
) -> Result<Option<Catalog>, tokio_postgres::Error> {
    let ns = client
        .query_opt(
            "SELECT oid FROM pg_namespace WHERE nspname = $1",
            &[&schema],
        )
        .await?;
    let Some(ns) = ns else { return Ok(None) };
    let ns: u32 = ns.get(0);
    let version: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await?
        .get(0);
    let database: String = client
        .query_one("SELECT current_database()::text", &[])
        .await?
        .get(0);

    let extensions = client
        .query(
            "SELECT extname::text FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY oid",
            &[],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();

    // Every schema but PostgreSQL's own (`pg_catalog`, `pg_toast`, `pg_temp_…`),
    // `information_schema`, those of extensions, and `public` when another is the default.
    let other_rows = client
        .query(
            &format!(
                "SELECT n.oid, n.nspname::text, obj_description(n.oid, 'pg_namespace') FROM pg_namespace n
                 WHERE n.oid <> $1 AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
                   AND n.nspname <> 'public'
                   AND NOT {}
                 ORDER BY 2",
                in_extension("pg_namespace", "n.oid")
            ),
            &[&ns],
        )
        .await?;
    let public_unread: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = 'public' AND n.oid <> $1
                 AND (EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid)
                      OR EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = n.oid)
                      OR EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = n.oid)))",
            &[&ns],
        )
        .await?
        .get(0);
    let other_schemas: Vec<(String, Option<String>)> =
        other_rows.iter().map(|r| (r.get(1), r.get(2))).collect();
    // The namespaces whose tables, types and sequences are read: the default one first.
    let all: Vec<u32> = std::iter::once(ns)
        .chain(other_rows.iter().map(|r| r.get::<_, u32>(0)))
        .collect();
    let unread = client
        .query(
            &format!(
                "SELECT k, name FROM (
                   SELECT CASE WHEN c.relkind = 'v' THEN 'view' ELSE 'materialized view' END AS k,
                          format('%s.%s', n.nspname, c.relname) AS name, c.oid::int8 AS o
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relnamespace = ANY($1) AND c.relnamespace <> $2 AND c.relkind IN ('v', 'm')
                      AND NOT {}
                   UNION ALL
                   SELECT 'function', format('%s.%s', n.nspname, p.proname), p.oid::int8
                     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE p.pronamespace = ANY($1) AND p.pronamespace <> $2 AND NOT {}
                   UNION ALL
                   SELECT 'trigger', format('%s on %s.%s', tg.tgname, n.nspname, c.relname), tg.oid::int8
                     FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
                     JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relnamespace = ANY($1) AND c.relnamespace <> $2 AND NOT tg.tgisinternal
                   UNION ALL
                   SELECT 'rule', format('%s on %s.%s', r.rulename, n.nspname, c.relname), r.oid::int8
                     FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
                     JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relnamespace = ANY($1) AND c.relnamespace <> $2 AND r.rulename <> '_RETURN'
                 ) x ORDER BY o",
                in_extension("pg_class", "c.oid"),
                in_extension("pg_proc", "p.oid")
            ),
            &[&all, &ns],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();

    let types = client
        .query(
            &format!(
                "SELECT {}, t.typtype::text,
                        ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
                        obj_description(t.oid, 'pg_type'),
                        CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
                        t.typnotnull, pg_get_expr(t.typdefaultbin, 0),
                        ARRAY(SELECT k.conname::text FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.oid),
                        ARRAY(SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.oid),
                        ARRAY(SELECT k.convalidated FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.oid)
                 FROM pg_type t
                 WHERE t.typnamespace = ANY($1) AND t.typtype IN ('e', 'd', 'r', 'c')
                   AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
                   AND NOT {}
                 ORDER BY t.oid",
                model_name("t.typnamespace", "t.typname"),
                in_extension("pg_type", "t.oid")
            ),
            &[&all, &ns],
        )
        .await?
        .iter()
        .map(|r| {
            let names: Vec<String> = r.get(7);
            let defs: Vec<String> = r.get(8);
            let valid: Vec<bool> = r.get(9);
            TypeRow {
                name: r.get(0),
                kind: r.get(1),
                labels: r.get(2),
                comment: r.get(3),
                base_type: r.get(4),
                not_null: r.get(5),
                default: r.get(6),
                checks: names
                    .into_iter()
                    .zip(defs)
                    .zip(valid)
                    .map(|((n, d), v)| (n, d, v))
                    .collect(),
            }
        })
        .collect();

    let relations = client
        .query(
            &format!(
                "SELECT c.oid, {}, c.relkind::text, c.relpersistence = 'u', c.relispartition,
                        (SELECT string_agg(format('%I.%I', pn.nspname, p.relname), ', ')
                           FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                           JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid),
                        c.relrowsecurity, ds.description,
                        (SELECT format('%s.%s', oc.relname, a.attname) FROM pg_depend d
                           JOIN pg_class oc ON oc.oid = d.refobjid
                           JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                            AND d.deptype IN ('a', 'i') LIMIT 1),
                        EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                  AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i'),
                        coalesce(c.reloptions, '{{}}'),
                        (SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = c.oid AND c.relispartition LIMIT 1),
                        pg_get_expr(c.relpartbound, c.oid), pt.partstrat::text,
                        coalesce(ARRAY(SELECT a.attname::text FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY k(n, pos)
                                        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n ORDER BY k.pos), '{{}}'),
                        CASE WHEN pt.partrelid IS NOT NULL THEN pg_get_partkeydef(c.oid) END
                 FROM pg_class c
                 LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
                 LEFT JOIN pg_description ds
                        ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
                 WHERE c.relnamespace = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND NOT {}
                   AND (c.relnamespace = $2 OR c.relkind NOT IN ('v', 'm'))
                 ORDER BY c.oid",
                model_name("c.relnamespace", "c.relname"),
                in_extension("pg_class", "c.oid")
            ),
            &[&all, &ns],
        )
        .await?
        .iter()
        .map(|r| RelationRow {
            oid: r.get(0),
            name: r.get(1),
            kind: r.get(2),
            unlogged: r.get(3),
            is_partition: r.get(4),
            inherits: r.get(5),
            comment: r.get(7),
            owned_by: r.get(8),
            identity_owned: r.get(9),
            options: r.get(10),
            parent: r.get(11),
            partition_bound: r.get(12),
            partition_strategy: r.get(13),
            partition_columns: r.get(14),
            partition_key: r.get(15),
        })
        .collect();

    let columns = client
        .query(
            &format!("SELECT a.attrelid, a.attname::text, format_type(a.atttypid, a.atttypmod),
                    CASE WHEN bt.typtype = 'e' AND bt.typnamespace = ANY($1) THEN {} END,
                    bt.typtype IN ('e', 'd', 'c') OR (bt.typtype IN ('r', 'm') AND bt.typnamespace <> 'pg_catalog'::regnamespace)
                        OR bt.typtype IS NULL,
                    a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
                    ds.description,
                    CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN coll.collname::text END,
                    CASE WHEN bt.typtype = 'd' AND bt.typnamespace = ANY($1) THEN {} END
             FROM pg_attribute a
             JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_type t ON t.oid = a.atttypid
             LEFT JOIN pg_type bt ON bt.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             LEFT JOIN pg_collation coll ON coll.oid = a.attcollation
             LEFT JOIN pg_description ds
                    ON ds.objoid = a.attrelid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
             WHERE c.relnamespace = ANY($1) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attrelid, a.attnum",
                model_name("bt.typnamespace", "bt.typname"),
                model_name("bt.typnamespace", "bt.typname")
            ),
            &[&all, &ns],
        )
        .await?
        .iter()
        .map(|r| ColumnRow {
            table: r.get(0),
            name: r.get(1),
            type_text: r.get(2),
            enum_name: r.get(3),
            user_type: r.get::<_, Option<bool>>(4).unwrap_or(true),
            not_null: r.get(5),
            default: r.get(6),
            identity: r.get(7),
            generated: r.get(8),
            comment: r.get(9),
            collation: r.get(10),
            domain_name: r.get(11),
        })
        .collect();

    let nnd_unique = if version >= 150_000 {
        "coalesce(i.indnullsnotdistinct, false)"
    } else {
        "false"
    };
    let set_columns = if version >= 150_000 {
        "ARRAY(SELECT a.attname::text FROM unnest(con.confdelsetcols) WITH ORDINALITY k(num, pos)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.pos)"
    } else {
        "ARRAY[]::text[]"
    };
    let constraints = client
        .query(
            &format!(
                "SELECT con.conrelid, con.conname::text, con.contype::text,
                        ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, pos)
                              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.pos),
                        {ref_name}, rn.nspname::text,
                        ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, pos)
                              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.pos),
                        con.confdeltype::text, con.confupdtype::text, con.confmatchtype = 'f',
                        pg_get_expr(con.conbin, con.conrelid), pg_get_constraintdef(con.oid),
                        con.condeferrable, con.convalidated, con.connoinherit, {nnd_unique},
                        ds.description, {set_columns}, con.condeferred,
                        ARRAY(SELECT a.attname::text FROM generate_series(i.indnkeyatts, i.indnatts - 1) g(n)
                              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = i.indkey[g.n]
                              ORDER BY g.n),
                        con.conparentid <> 0 OR NOT con.conislocal,
                        CASE WHEN con.contype = 'x' THEN con.conindid END,
                        xam.amname::text, pg_get_expr(i.indpred, i.indrelid),
                        coalesce(xic.reloptions, '{{}}'),
                        ARRAY(SELECT CASE WHEN o.oprnamespace = 'pg_catalog'::regnamespace THEN o.oprname::text
                                          ELSE format('%s.%s', (SELECT nspname FROM pg_namespace WHERE oid = o.oprnamespace), o.oprname) END
                              FROM unnest(con.conexclop) WITH ORDINALITY k(op, pos)
                              JOIN pg_operator o ON o.oid = k.op ORDER BY k.pos)
                 FROM pg_constraint con
                 JOIN pg_class c ON c.oid = con.conrelid
                 LEFT JOIN pg_class rc ON rc.oid = con.confrelid
                 LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                 LEFT JOIN pg_index i ON i.indexrelid = con.conindid AND con.contype IN ('u', 'x')
                 LEFT JOIN pg_class xic ON xic.oid = con.conindid AND con.contype = 'x'
                 LEFT JOIN pg_am xam ON xam.oid = xic.relam
                 LEFT JOIN pg_description ds
                        ON ds.objoid = con.oid AND ds.classoid = 'pg_constraint'::regclass AND ds.objsubid = 0
                 WHERE c.relnamespace = ANY($1) AND c.relkind IN ('r', 'p') AND con.contype IN ('p', 'u', 'c', 'f', 'x')
                 ORDER BY con.oid",
                ref_name = model_name("rc.relnamespace", "rc.relname")
            ),
            &[&all, &ns],
        )
        .await?
        .iter()
        .map(|r| ConstraintRow {
            table: r.get(0),
            name: r.get(1),
            kind: r.get(2),
            columns: r.get(3),
            ref_table: r.get(4),
            ref_schema: r.get(5),
            ref_columns: r.get(6),
            on_delete: r.get(7),
            on_update: r.get(8),
            match_full: r.get(9),
            check: r.get(10),
            definition: r.get(11),
            deferrable: r.get(12),
            validated: r.get(13),
            no_inherit: r.get(14),
            nulls_not_distinct: r.get(15),
            comment: r.get(16),
            set_columns: r.get(17),
            deferred: r.get(18),
            include: r.get(19),
            inherited: r.get(20),
            index: r.get(21),
            method: r.get(22),
            predicate: r.get(23),
            options: r.get(24),
            operators: r.get(25),
        })
        .collect();

    let nnd_index = if version >= 150_000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    let indexes = client
        .query(
            &format!(
                "SELECT i.indexrelid, i.indrelid, ic.relname::text, am.amname::text, i.indisunique,
                        i.indnkeyatts, i.indnatts, pg_get_expr(i.indpred, i.indrelid),
                        ds.description, pg_get_indexdef(i.indexrelid), i.indisvalid, {nnd_index},
                        ARRAY(SELECT a.attname::text FROM generate_series(i.indnkeyatts + 1, i.indnatts) k
                              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]
                              ORDER BY k),
                        coalesce(ic.reloptions, '{{}}'),
                        EXISTS (SELECT 1 FROM pg_inherits ih WHERE ih.inhrelid = i.indexrelid)
                 FROM pg_index i
                 JOIN pg_class ic ON ic.oid = i.indexrelid
                 JOIN pg_class t ON t.oid = i.indrelid
                 JOIN pg_am am ON am.oid = ic.relam
                 LEFT JOIN pg_description ds
                        ON ds.objoid = ic.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
                 WHERE t.relnamespace = ANY($1) AND t.relkind IN ('r', 'p', 'm')
                   AND (t.relnamespace = $2 OR t.relkind <> 'm')
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                                   WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                                     AND con.contype IN ('p', 'u', 'x'))
                 ORDER BY i.indexrelid"
            ),
            &[&all, &ns],
        )
        .await?
        .iter()
        .map(|r| IndexRow {
            oid: r.get(0),
            table: r.get(1),
            name: r.get(2),
            method: r.get(3),
            unique: r.get(4),
            predicate: r.get(7),
            comment: r.get(8),
            definition: r.get(9),
            valid: r.get(10),
            nulls_not_distinct: r.get(11),
            include: r.get(12),
            options: r.get(13),
            inherited: r.get(14),
        })
        .collect();

    // Key positions run to INDEX_MAX_KEYS (32) as constants: `generate_series(1, indnkeyatts)`
    // is estimated at 1,000 rows, which makes a large catalog look expensive enough for JIT
    // compilation (200 ms here, more than the query itself).
    let index_keys = client
        .query(
            "SELECT i.indexrelid, a.attname::text,
                    CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true) END,
                    (i.indoption[k - 1] & 1) = 1, (i.indoption[k - 1] & 2) = 2,
                    coalesce(opc.opcdefault, true),
                    i.indcollation[k - 1] = 0 OR i.indcollation[k - 1] = coalesce(a.attcollation, 100)
                      OR (a.attname IS NULL AND i.indcollation[k - 1] = 100),
                    CASE WHEN opc.opcnamespace = 'pg_catalog'::regnamespace THEN opc.opcname::text
                         ELSE format('%s.%s', (SELECT nspname FROM pg_namespace WHERE oid = opc.opcnamespace), opc.opcname) END,
                    (SELECT CASE WHEN co.collnamespace = 'pg_catalog'::regnamespace THEN co.collname::text
                                 ELSE format('%s.%s', (SELECT nspname FROM pg_namespace WHERE oid = co.collnamespace), co.collname) END
                       FROM pg_collation co WHERE co.oid = i.indcollation[k - 1])
             FROM pg_index i
             JOIN pg_class t ON t.oid = i.indrelid
             CROSS JOIN generate_series(1, 32) k
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1] AND i.indkey[k - 1] <> 0
             LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k - 1]
             WHERE k <= i.indnkeyatts AND t.relnamespace = ANY($1) AND t.relkind IN ('r', 'p', 'm')
               AND (t.relnamespace = $2 OR t.relkind <> 'm')
             ORDER BY i.indexrelid, k",
            &[&all, &ns],
        )
        .await?
        .iter()
        .map(|r| IndexKeyRow {
            index: r.get(0),
            column: r.get(1),
            expression: r.get(2),
            desc: r.get(3),
            nulls_first: r.get(4),
            default_opclass: r.get(5),
            default_collation: r.get(6),
            opclass: r.get(7),
            collation: r.get(8),
        })
        .collect();

    let trigger_parent = if version >= 130_000 {
        "tg.tgparentid <> 0"
    } else {
        "false"
    };
    let triggers = client
        .query(
            &format!("SELECT tg.tgrelid, tg.tgname::text, p.proname::text, pn.nspname::text, tg.tgtype, tg.tgargs,
                    tg.tgenabled::text, tg.tgqual IS NOT NULL, cardinality(tg.tgattr::int2[]) > 0,
                    tg.tgconstraint <> 0, pg_get_triggerdef(tg.oid), obj_description(tg.oid, 'pg_trigger'),
                    {trigger_parent}
             FROM pg_trigger tg
             JOIN pg_class c ON c.oid = tg.tgrelid
             JOIN pg_proc p ON p.oid = tg.tgfoid
             JOIN pg_namespace pn ON pn.oid = p.pronamespace
             WHERE c.relnamespace = $1 AND NOT tg.tgisinternal
             ORDER BY tg.oid"),
            &[&ns],
        )
        .await?
        .iter()
        .map(|r| {
            let args: Vec<u8> = r.get(5);
            TriggerRow {
                table: r.get(0),
                name: r.get(1),
                function: r.get(2),
                function_schema: r.get(3),
                tgtype: r.get(4),
                // tgargs holds each argument followed by a NUL byte.
                arguments: args
                    .split(|b| *b == 0)
                    .take(args.iter().filter(|b| **b == 0).count())
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect(),
                enabled: r.get(6),
                has_when: r.get(7),
                has_columns: r.get(8),
                constraint_trigger: r.get(9),
                definition: r.get(10),
                comment: r.get(11),
                inherited: r.get(12),
            }
        })
        .collect();

    let functions = client
        .query(
            &format!(
                "SELECT p.proname::text, pg_get_function_identity_arguments(p.oid),
                        coalesce(format_type(p.prorettype, NULL), ''), p.prokind::text,
                        l.lanname::text, p.prosrc, p.provolatile::text, p.proisstrict, p.prosecdef,
                        p.proparallel::text, p.procost::float8, coalesce(p.proconfig, '{{}}'),
                        p.proretset, obj_description(p.oid, 'pg_proc'),
                        coalesce(p.proargnames, '{{}}'), coalesce(p.proargmodes::text[], '{{}}'),
                        ARRAY(SELECT format_type(a.t, NULL)
                                FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY AS a(t, i)
                               ORDER BY a.i),
                        ARRAY(SELECT pg_get_function_arg_default(p.oid, i)
                                FROM generate_series(1, cardinality(coalesce(p.proallargtypes, p.proargtypes::oid[]))) AS i
                               ORDER BY i),
                        p.prosqlbody IS NOT NULL,
                        p.proacl IS NULL OR EXISTS (
                            SELECT 1 FROM aclexplode(p.proacl) x
                             WHERE x.grantee = 0 AND x.privilege_type = 'EXECUTE')
                 FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
                 WHERE p.pronamespace = $1 AND NOT {}
                 ORDER BY p.oid",
                in_extension("pg_proc", "p.oid")
            ),
            &[&ns],
        )
        .await?
        .iter()
        .map(|r| FunctionRow {
            name: r.get(0),
            arguments: r.get(1),
            returns: r.get(2),
            kind: r.get(3),
            language: r.get(4),
            body: r.get(5),
            volatility: r.get(6),
            strict: r.get(7),
            security_definer: r.get(8),
            parallel: r.get(9),
            cost: r.get(10),
            config: r.get(11),
            returns_set: r.get(12),
            comment: r.get(13),
            argument_names: r.get(14),
            argument_modes: r.get(15),
            argument_types: r.get(16),
            argument_defaults: r.get(17),
            standard_body: r.get(18),
            public_execute: r.get(19),
        })
        .collect();

    let extension_functions = client
        .query(
            "SELECT e.extname::text, count(*)
               FROM pg_proc p
               JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
               JOIN pg_extension e ON e.oid = d.refobjid
              WHERE p.pronamespace = $1
              GROUP BY 1 ORDER BY 1",
            &[&ns],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();

    let rules = client
        .query(
            "SELECT c.relname::text, r.rulename::text FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
             WHERE c.relnamespace = $1 AND r.rulename <> '_RETURN' ORDER BY r.oid",
            &[&ns],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();

    let statistics = client
        .query(
            "SELECT stxname::text FROM pg_statistic_ext WHERE stxnamespace = $1 ORDER BY oid",
            &[&ns],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();

    let sequences = client
        .query(
            &format!("SELECT {}, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle
               FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
              WHERE c.relnamespace = ANY($1) ORDER BY c.oid",
                model_name("c.relnamespace", "c.relname")
            ),
            &[&all, &ns],
        )
        .await?
        .iter()
        .map(|r| SequenceRow {
            name: r.get(0),
            ty: r.get(1),
            start: r.get(2),
            increment: r.get(3),
            min: r.get(4),
            max: r.get(5),
            cache: r.get(6),
            cycle: r.get(7),
        })
        .collect();
    let security = super::security::read(client, ns).await?;
    Ok(Some(Catalog {
        security,
        database,
        extensions,
        other_schemas,
        unread,
        public_unread,
        types,
        relations,
        sequences,
        columns,
        constraints,
        indexes,
        index_keys,
        triggers,
        functions,
        extension_functions,
        rules,
        statistics,
        views: views::read_views(client, ns, &in_extension("pg_class", "c.oid")).await?,
    }))
}
