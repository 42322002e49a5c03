//! Reading what a PostgreSQL schema holds from the system catalogs (`pg_class`,
//! `pg_attribute`, `pg_attrdef`, `pg_constraint`, `pg_index`, `pg_am`, `pg_enum`, `pg_trigger`,
//! `pg_proc`, `pg_description`, `pg_sequence`, `pg_type` for domains, `pg_partitioned_table`),
//! as plain data. [`read`] reads one schema (namespace); [`read_database`] reads every schema of
//! the database that is not the system's.
//!
//! Names are as stored (never quoted); SQL fragments are the server's canonical text
//! (`format_type`, `pg_get_expr`, `pg_get_indexdef`, `pg_get_constraintdef`), so two catalogs
//! can be compared value by value. Everything is sorted by name (columns by position, index
//! keys by position), so the result is deterministic. Objects that belong to an extension are
//! left out. It is written to be reused by introspection: nothing in it knows about Strata's
//! model.

use std::collections::BTreeMap;
use tokio_postgres::Client;

mod views;
pub use views::View;
mod security;

pub use security::{Policy, Security, ensure_roles};

/// One schema (namespace) of a database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalog {
    /// Installed extensions of the database (all schemas), sorted, `plpgsql` included.
    pub extensions: Vec<String>,
    pub enums: Vec<EnumType>,
    pub functions: Vec<Function>,
    pub tables: Vec<Table>,
    /// Sequences, identity columns' own sequences excepted (those are [`Column::identity_sequence`]).
    pub sequences: Vec<Sequence>,
    pub domains: Vec<Domain>,
    /// Views and materialized views, by name.
    pub views: Vec<View>,
    /// Row-level security, policies and privileges.
    pub security: Security,
}

/// Every schema of a database that is not the system's (`pg_catalog`, `information_schema`,
/// `pg_toast`, temporary schemas), by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Database {
    pub schemas: Vec<Namespace>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    pub name: String,
    pub comment: Option<String>,
    pub catalog: Catalog,
}

/// The options of a sequence (`pg_sequence`), shared by standalone and identity sequences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceOptions {
    /// `smallint`, `integer` or `bigint`.
    pub type_name: String,
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    pub name: String,
    pub options: SequenceOptions,
    /// `table.column` of `OWNED BY` (a serial column's sequence is owned by its column).
    pub owned_by: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub name: String,
    /// `format_type` of the base type.
    pub base_type: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// `name: pg_get_constraintdef`, by name.
    pub checks: Vec<String>,
    pub comment: Option<String>,
}

impl Catalog {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    pub name: String,
    /// Labels in their sort order.
    pub labels: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    /// `pg_get_function_identity_arguments`, e.g. `` or `a integer`.
    pub arguments: String,
    /// The result type, e.g. `trigger`.
    pub returns: String,
    pub language: String,
    pub comment: Option<String>,
    /// `pg_get_functiondef` (none for an aggregate). The body of a `LANGUAGE sql` function is
    /// replaced by its statements as printed from PostgreSQL's parse tree
    /// (`strata::fragment::sql_body`), so two bodies compare by their statements, not their
    /// spacing; other bodies are compared as stored.
    pub definition: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub comment: Option<String>,
    /// In column order.
    pub columns: Vec<Column>,
    /// Primary key, unique, check, foreign-key and exclusion constraints, by name.
    pub constraints: Vec<Constraint>,
    /// The indexes that do not implement a constraint, by name.
    pub indexes: Vec<Index>,
    /// User (not internal) triggers, by name.
    pub triggers: Vec<Trigger>,
    /// `pg_get_partkeydef` of a partitioned table, e.g. `RANGE (created_at)`.
    pub partition_key: Option<String>,
    /// For a partition: its parent and bound, e.g. `events FOR VALUES FROM (…) TO (…)`.
    pub partition_of: Option<String>,
    pub unlogged: bool,
    /// Storage parameters (`reloptions`), e.g. `fillfactor=80`.
    pub options: Vec<String>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// `format_type(atttypid, atttypmod)`: `character varying(255)`, `timestamp with time
    /// zone`, `text[]`, an enum's (quoted if needed) name.
    pub type_name: String,
    pub not_null: bool,
    /// `pg_get_expr` of the default.
    pub default: Option<String>,
    pub identity: Option<Identity>,
    /// The options of an identity column's sequence.
    pub identity_sequence: Option<SequenceOptions>,
    /// A stored generated column (`default` is then its expression).
    pub generated: bool,
    /// The column's collation when it is not its type's default.
    pub collation: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    Always,
    ByDefault,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    pub name: String,
    pub kind: ConstraintKind,
    /// The constrained columns, in key order (empty for a check or an exclusion on an
    /// expression).
    pub columns: Vec<String>,
    /// `pg_get_constraintdef`.
    pub definition: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintKind {
    PrimaryKey,
    Unique {
        nulls_not_distinct: bool,
    },
    /// `expr` is `pg_get_expr` of the condition.
    Check {
        expr: String,
    },
    ForeignKey {
        ref_table: String,
        ref_columns: Vec<String>,
        on_delete: FkAction,
        on_update: FkAction,
    },
    Exclusion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    fn from_code(code: &str) -> FkAction {
        match code {
            "r" => FkAction::Restrict,
            "c" => FkAction::Cascade,
            "n" => FkAction::SetNull,
            "d" => FkAction::SetDefault,
            _ => FkAction::NoAction,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    /// The access method (`pg_am.amname`): `btree`, `gin`, …
    pub method: String,
    pub unique: bool,
    pub keys: Vec<IndexKey>,
    /// `pg_get_expr` of the partial-index predicate.
    pub predicate: Option<String>,
    pub comment: Option<String>,
    /// `pg_get_indexdef`, for messages.
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexKey {
    pub target: IndexTarget,
    pub desc: bool,
    pub nulls_first: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexTarget {
    Column(String),
    /// `pg_get_indexdef(index, n, true)` of an expression key.
    Expr(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub name: String,
    pub function: String,
    /// `BEFORE`, `AFTER` or `INSTEAD OF`.
    pub timing: String,
    /// `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`, in that order.
    pub events: Vec<String>,
    pub for_each_row: bool,
    pub arguments: Vec<String>,
    /// `pg_get_triggerdef`.
    pub definition: String,
    pub comment: Option<String>,
}

/// Whether an object is a member of an extension (so not the schema's own).
const NOT_IN_EXTENSION: &str = "NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = $CLASS::regclass AND dep.objid = $OID AND dep.deptype = 'e')";

fn not_in_extension(class: &str, oid: &str) -> String {
    NOT_IN_EXTENSION
        .replace("$CLASS", &format!("'{class}'"))
        .replace("$OID", oid)
}

/// Reads the schema `schema` (e.g. `public`) of the database `client` is connected to.
pub async fn read(client: &Client, schema: &str) -> Result<Catalog, tokio_postgres::Error> {
    let extensions = client
        .query("SELECT extname::text FROM pg_extension ORDER BY 1", &[])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();

    let enums = client
        .query(
            &format!(
                "SELECT t.typname::text,
                        ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
                        obj_description(t.oid, 'pg_type')
                 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = $1 AND t.typtype = 'e' AND {}
                 ORDER BY 1",
                not_in_extension("pg_type", "t.oid")
            ),
            &[&schema],
        )
        .await?
        .iter()
        .map(|r| EnumType { name: r.get(0), labels: r.get(1), comment: r.get(2) })
        .collect();

    let functions = client
        .query(
            &format!(
                "SELECT p.proname::text, pg_get_function_identity_arguments(p.oid), format_type(p.prorettype, NULL),
                        l.lanname::text, obj_description(p.oid, 'pg_proc'),
                        CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END, p.prosrc,
                        p.prosqlbody IS NOT NULL
                 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
                 WHERE n.nspname = $1 AND {}
                 ORDER BY 1, 2",
                not_in_extension("pg_proc", "p.oid")
            ),
            &[&schema],
        )
        .await?
        .iter()
        .map(|r| Function {
            name: r.get(0),
            arguments: r.get(1),
            returns: r.get(2),
            language: r.get(3),
            comment: r.get(4),
            definition: {
                let def: Option<String> = r.get(5);
                let body: String = r.get(6);
                let standard: bool = r.get(7);
                match (def, r.get::<_, &str>(3)) {
                    (Some(d), "sql") if !standard && !body.is_empty() => {
                        match strata::fragment::sql_body(&body) {
                            Ok(printed) => Some(d.replacen(&body, &printed, 1)),
                            Err(_) => Some(d),
                        }
                    }
                    (d, _) => d,
                }
            },
        })
        .collect();

    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for r in client
        .query(
            &format!(
                "SELECT c.relname::text, obj_description(c.oid, 'pg_class'), pg_get_partkeydef(c.oid),
                        CASE WHEN c.relispartition THEN
                          (SELECT pc.relname::text FROM pg_inherits inh JOIN pg_class pc ON pc.oid = inh.inhparent
                           WHERE inh.inhrelid = c.oid) || ' ' || pg_get_expr(c.relpartbound, c.oid) END,
                        c.relpersistence = 'u', coalesce(c.reloptions::text[], '{{}}')
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND {}",
                not_in_extension("pg_class", "c.oid")
            ),
            &[&schema],
        )
        .await?
    {
        let name: String = r.get(0);
        tables.insert(
            name.clone(),
            Table {
                name,
                comment: r.get(1),
                columns: Vec::new(),
                constraints: Vec::new(),
                indexes: Vec::new(),
                triggers: Vec::new(),
                partition_key: r.get(2),
                partition_of: r.get(3),
                unlogged: r.get(4),
                options: r.get(5),
            },
        );
    }

    for r in client
        .query(
            "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                    pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, col_description(a.attrelid, a.attnum),
                    a.attgenerated = 's',
                    CASE WHEN a.attcollation <> ty.typcollation THEN
                      (SELECT co.collname::text FROM pg_collation co WHERE co.oid = a.attcollation) END,
                    format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle
             FROM pg_attribute a
             JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_type ty ON ty.oid = a.atttypid
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             LEFT JOIN pg_depend dep ON dep.refclassid = 'pg_class'::regclass AND dep.refobjid = a.attrelid
                  AND dep.refobjsubid = a.attnum AND dep.classid = 'pg_class'::regclass AND dep.deptype = 'i'
             LEFT JOIN pg_sequence s ON s.seqrelid = dep.objid
             WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY c.relname, a.attnum",
            &[&schema],
        )
        .await?
    {
        let Some(t) = tables.get_mut(r.get::<_, &str>(0)) else { continue };
        let identity: String = r.get(5);
        t.columns.push(Column {
            name: r.get(1),
            type_name: r.get(2),
            not_null: r.get(3),
            default: r.get(4),
            identity: match identity.as_str() {
                "a" => Some(Identity::Always),
                "d" => Some(Identity::ByDefault),
                _ => None,
            },
            identity_sequence: r
                .get::<_, Option<String>>(9)
                .map(|type_name| SequenceOptions {
                    type_name,
                    start: r.get(10),
                    increment: r.get(11),
                    min: r.get(12),
                    max: r.get(13),
                    cache: r.get(14),
                    cycle: r.get(15),
                }),
            generated: r.get(7),
            collation: r.get(8),
            comment: r.get(6),
        });
    }

    for r in client
        .query(
            "SELECT c.relname::text, con.conname::text, con.contype::text,
                    ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, pos)
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.pos),
                    rc.relname::text,
                    ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, pos)
                          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.pos),
                    con.confdeltype::text, con.confupdtype::text,
                    pg_get_expr(con.conbin, con.conrelid), pg_get_constraintdef(con.oid),
                    obj_description(con.oid, 'pg_constraint'),
                    coalesce(i.indnullsnotdistinct, false)
             FROM pg_constraint con
             JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_class rc ON rc.oid = con.confrelid
             LEFT JOIN pg_index i ON i.indexrelid = con.conindid AND con.contype = 'u'
             WHERE n.nspname = $1 AND con.contype IN ('p', 'u', 'c', 'f', 'x')
             ORDER BY c.relname, con.conname",
            &[&schema],
        )
        .await?
    {
        let Some(t) = tables.get_mut(r.get::<_, &str>(0)) else { continue };
        let kind = match r.get::<_, &str>(2) {
            "p" => ConstraintKind::PrimaryKey,
            "u" => ConstraintKind::Unique { nulls_not_distinct: r.get(11) },
            "c" => ConstraintKind::Check { expr: r.get::<_, Option<String>>(8).unwrap_or_default() },
            "f" => ConstraintKind::ForeignKey {
                ref_table: r.get::<_, Option<String>>(4).unwrap_or_default(),
                ref_columns: r.get(5),
                on_delete: FkAction::from_code(r.get(6)),
                on_update: FkAction::from_code(r.get(7)),
            },
            _ => ConstraintKind::Exclusion,
        };
        t.constraints.push(Constraint {
            name: r.get(1),
            kind,
            columns: r.get(3),
            definition: r.get(9),
            comment: r.get(10),
        });
    }

    // Keys of every non-constraint index, one row per key.
    let mut keys: BTreeMap<String, Vec<IndexKey>> = BTreeMap::new();
    for r in client
        .query(
            "SELECT ic.relname::text, a.attname::text, pg_get_indexdef(i.indexrelid, k, true),
                    (i.indoption[k - 1] & 1) = 1, (i.indoption[k - 1] & 2) = 2
             FROM pg_index i
             JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
             CROSS JOIN generate_series(1, i.indnkeyatts) k
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1] AND i.indkey[k - 1] <> 0
             WHERE n.nspname = $1
             ORDER BY ic.relname, k",
            &[&schema],
        )
        .await?
    {
        let target = match r.get::<_, Option<String>>(1) {
            Some(column) => IndexTarget::Column(column),
            None => IndexTarget::Expr(r.get(2)),
        };
        keys.entry(r.get(0)).or_default().push(IndexKey { target, desc: r.get(3), nulls_first: r.get(4) });
    }
    for r in client
        .query(
            "SELECT t.relname::text, ic.relname::text, am.amname::text, i.indisunique,
                    pg_get_expr(i.indpred, i.indrelid), obj_description(ic.oid, 'pg_class'), pg_get_indexdef(i.indexrelid)
             FROM pg_index i
             JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = ic.relam
             WHERE n.nspname = $1
               AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                               WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
             ORDER BY t.relname, ic.relname",
            &[&schema],
        )
        .await?
    {
        let Some(t) = tables.get_mut(r.get::<_, &str>(0)) else { continue };
        let name: String = r.get(1);
        t.indexes.push(Index {
            keys: keys.remove(&name).unwrap_or_default(),
            name,
            method: r.get(2),
            unique: r.get(3),
            predicate: r.get(4),
            comment: r.get(5),
            definition: r.get(6),
        });
    }

    for r in client
        .query(
            "SELECT c.relname::text, tg.tgname::text, p.proname::text, tg.tgtype::integer, tg.tgargs,
                    pg_get_triggerdef(tg.oid), obj_description(tg.oid, 'pg_trigger')
             FROM pg_trigger tg
             JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_proc p ON p.oid = tg.tgfoid
             WHERE n.nspname = $1 AND NOT tg.tgisinternal
             ORDER BY c.relname, tg.tgname",
            &[&schema],
        )
        .await?
    {
        let Some(t) = tables.get_mut(r.get::<_, &str>(0)) else { continue };
        let tgtype: i32 = r.get(3);
        let args: Vec<u8> = r.get(4);
        t.triggers.push(Trigger {
            name: r.get(1),
            function: r.get(2),
            timing: if tgtype & 64 != 0 {
                "INSTEAD OF"
            } else if tgtype & 2 != 0 {
                "BEFORE"
            } else {
                "AFTER"
            }
            .to_string(),
            events: [(4, "INSERT"), (16, "UPDATE"), (8, "DELETE"), (32, "TRUNCATE")]
                .iter()
                .filter(|(bit, _)| tgtype & bit != 0)
                .map(|(_, e)| (*e).to_string())
                .collect(),
            for_each_row: tgtype & 1 != 0,
            // tgargs holds each argument followed by a NUL byte.
            arguments: args
                .split(|b| *b == 0)
                .take(args.iter().filter(|b| **b == 0).count())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect(),
            definition: r.get(5),
            comment: r.get(6),
        });
    }

    let sequences = client
        .query(
            &format!(
                "SELECT c.relname::text, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
                        s.seqmax, s.seqcache, s.seqcycle,
                        (SELECT tc.relname::text || '.' || a.attname::text FROM pg_depend d
                         JOIN pg_class tc ON tc.oid = d.refobjid
                         JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a'
                           AND d.refclassid = 'pg_class'::regclass),
                        obj_description(c.oid, 'pg_class')
                 FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND c.relkind = 'S' AND {}
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                   AND d.objid = c.oid AND d.deptype = 'i')
                 ORDER BY 1",
                not_in_extension("pg_class", "c.oid")
            ),
            &[&schema],
        )
        .await?
        .iter()
        .map(|r| Sequence {
            name: r.get(0),
            options: SequenceOptions {
                type_name: r.get(1),
                start: r.get(2),
                increment: r.get(3),
                min: r.get(4),
                max: r.get(5),
                cache: r.get(6),
                cycle: r.get(7),
            },
            owned_by: r.get(8),
            comment: r.get(9),
        })
        .collect();

    let domains = client
        .query(
            &format!(
                "SELECT t.typname::text, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
                        ARRAY(SELECT con.conname::text || ': ' || pg_get_constraintdef(con.oid)
                              FROM pg_constraint con WHERE con.contypid = t.oid ORDER BY con.conname),
                        obj_description(t.oid, 'pg_type')
                 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = $1 AND t.typtype = 'd' AND {}
                 ORDER BY 1",
                not_in_extension("pg_type", "t.oid")
            ),
            &[&schema],
        )
        .await?
        .iter()
        .map(|r| Domain {
            name: r.get(0),
            base_type: r.get(1),
            not_null: r.get(2),
            default: r.get(3),
            checks: r.get(4),
            comment: r.get(5),
        })
        .collect();

    let security = security::read(client, schema).await?;
    Ok(Catalog {
        extensions,
        enums,
        functions,
        tables: tables.into_values().collect(),
        sequences,
        domains,
        views: views::read(client, schema).await?,
        security,
    })
}

/// Reads every schema of the database that is not the system's, in name order.
pub async fn read_database(client: &Client) -> Result<Database, tokio_postgres::Error> {
    let mut schemas = Vec::new();
    for r in client
        .query(
            "SELECT n.nspname::text, obj_description(n.oid, 'pg_namespace') FROM pg_namespace n
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
               AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
             ORDER BY 1",
            &[],
        )
        .await?
    {
        let name: String = r.get(0);
        let catalog = read(client, &name).await?;
        schemas.push(Namespace {
            comment: r.get(1),
            name,
            catalog,
        });
    }
    Ok(Database { schemas })
}

/// The catalog as two databases built different ways should agree on it: refinery's history
/// table left out, and each table's columns in name order (PostgreSQL appends added columns, so
/// a migrated table's column order may differ from a freshly created one's), and storage
/// parameters in name order (`reloptions` keeps them in the order they were set).
pub fn comparable(mut c: Catalog) -> Catalog {
    c.tables.retain(|t| t.name != "refinery_schema_history");
    for t in &mut c.tables {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        t.options.sort();
    }
    c
}

/// [`comparable`] for every schema of a database.
pub fn comparable_database(mut d: Database) -> Database {
    for n in &mut d.schemas {
        n.catalog = comparable(std::mem::take(&mut n.catalog));
    }
    d
}
