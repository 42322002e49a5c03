//! Whether a database holds exactly what a Strata model describes: every fact of the model
//! (tables, columns, types, nullability, defaults, identity, keys, checks, foreign keys and
//! their actions, indexes, enums, triggers, comments) is compared with the catalog as read by
//! [`crate::catalog`], and anything the catalog holds beyond the model is reported too.
//!
//! Facts are compared as values, never as the generated SQL: types as `format_type` spells
//! them, literal defaults by evaluating the stored default on the server, and SQL fragments
//! written in the schema (`default_sql`, checks, index expressions and predicates) after the
//! server has parsed and printed them in its canonical form — the model's text is applied to a
//! scratch copy of the table (`CREATE TEMP TABLE … (LIKE …)`) and read back with the same
//! catalog functions.

use crate::catalog::{self, Catalog, ConstraintKind, FkAction, Identity, IndexTarget};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use strata::model::{self, BaseType, ColumnType, Default, Literal, Schema};
use strata::render::sql as ddl;
use tokio_postgres::Client;

/// Compares the `public` schema of the database `client` is connected to with `schema`;
/// returns one line per difference (empty when they agree).
pub async fn differences(
    client: &Client,
    schema: &Schema,
) -> Result<Vec<String>, tokio_postgres::Error> {
    let cat = catalog::read(client, "public").await?;
    let mut c = Checker {
        client,
        problems: Vec::new(),
        probes: 0,
    };
    c.database(&cat, schema).await?;
    Ok(c.problems)
}

struct Checker<'a> {
    client: &'a Client,
    problems: Vec<String>,
    probes: usize,
}

impl Checker<'_> {
    fn eq<T: PartialEq + Debug>(&mut self, what: impl FnOnce() -> String, expected: T, actual: T) {
        if expected != actual {
            self.problems.push(format!(
                "{}: expected {expected:?}, found {actual:?}",
                what()
            ));
        }
    }

    /// Reports names present on one side only; returns the names on both.
    fn same_names<'n>(
        &mut self,
        what: &str,
        expected: &BTreeSet<&'n str>,
        actual: &BTreeSet<&'n str>,
    ) -> Vec<&'n str> {
        for missing in expected.difference(actual) {
            self.problems.push(format!("{what} {missing:?} is missing"));
        }
        for extra in actual.difference(expected) {
            self.problems
                .push(format!("{what} {extra:?} is not in the model"));
        }
        expected.intersection(actual).copied().collect()
    }

    async fn database(
        &mut self,
        cat: &Catalog,
        schema: &Schema,
    ) -> Result<(), tokio_postgres::Error> {
        let mut extensions: BTreeSet<&str> = schema.extensions.iter().map(String::as_str).collect();
        extensions.insert("plpgsql");
        let actual: BTreeSet<&str> = cat.extensions.iter().map(String::as_str).collect();
        self.same_names("extension", &extensions, &actual);

        let mut enums: Vec<catalog::EnumType> = schema
            .enums
            .iter()
            .map(|e| catalog::EnumType {
                name: e.name.clone(),
                labels: e.values.iter().map(|v| v.name.clone()).collect(),
                comment: ddl::enum_comment(e),
            })
            .collect();
        enums.sort_by(|a, b| a.name.cmp(&b.name));
        self.eq(|| "enum types".into(), enums, cat.enums.clone());

        let functions = if schema.has_auto_update() {
            vec![catalog::Function {
                name: ddl::TOUCH_FUNCTION.into(),
                arguments: String::new(),
                returns: "trigger".into(),
                language: "plpgsql".into(),
                comment: Some(ddl::TOUCH_FUNCTION_COMMENT.into()),
                definition: None,
            }]
        } else {
            Vec::new()
        };
        // The definitions are compared by the round-trip suite; here the names and kinds.
        let found: Vec<catalog::Function> = cat
            .functions
            .iter()
            .map(|f| catalog::Function {
                definition: None,
                ..f.clone()
            })
            .collect();
        self.eq(|| "functions".into(), functions, found);

        let expected: BTreeSet<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
        let actual: BTreeSet<&str> = cat.tables.iter().map(|t| t.name.as_str()).collect();
        for name in self.same_names("table", &expected, &actual) {
            let (Some(model), Some(found)) = (schema.table(name), cat.table(name)) else {
                continue;
            };
            self.table(model, found).await?;
        }
        Ok(())
    }

    async fn table(
        &mut self,
        t: &model::Table,
        found: &catalog::Table,
    ) -> Result<(), tokio_postgres::Error> {
        let tn = &t.name;
        self.eq(
            || format!("comment of table {tn:?}"),
            t.description.clone(),
            found.comment.clone(),
        );
        let probe = self.probe_table(tn).await?;

        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        let actual: Vec<&str> = found.columns.iter().map(|c| c.name.as_str()).collect();
        self.eq(|| format!("columns of {tn:?}"), names, actual);
        let pk: Vec<&String> = t.primary_key.iter().flat_map(|p| &p.columns).collect();
        for c in &t.columns {
            let Some(fc) = found.column(&c.name) else {
                continue;
            };
            let what = |w: &str| format!("{w} of column {tn:?}.{:?}", c.name);
            let ty = self.format_type(&c.ty).await?;
            self.eq(|| what("type"), ty, fc.type_name.clone());
            let not_null = !c.nullable || c.identity.is_some() || pk.contains(&&c.name);
            self.eq(|| what("NOT NULL"), not_null, fc.not_null);
            let identity = c.identity.map(|i| match i {
                model::Identity::Always => Identity::Always,
                model::Identity::ByDefault => Identity::ByDefault,
            });
            self.eq(|| what("identity"), identity, fc.identity);
            self.eq(
                || what("comment"),
                c.description.clone(),
                fc.comment.clone(),
            );
            match (&c.default, &fc.default) {
                (None, None) => {}
                (Some(Default::Sql(sql)), Some(actual)) => {
                    let canonical = self.canonical_default(&probe, &c.name, sql).await?;
                    self.eq(|| what("default"), canonical, actual.clone());
                }
                (Some(Default::Literal(lit)), Some(actual)) => {
                    let (same, value) = self.default_value(actual, &literal_json(lit)).await?;
                    if !same {
                        self.problems.push(format!(
                            "{}: expected {lit:?}, found {value} ({actual})",
                            what("default value")
                        ));
                    }
                }
                (expected, actual) => self.eq(
                    || what("default"),
                    format!("{expected:?}"),
                    format!("{actual:?}"),
                ),
            }
        }

        // Constraints, by name.
        let mut expected: BTreeMap<&str, (ConstraintKind, Vec<String>, Option<String>)> =
            BTreeMap::new();
        if let Some(pk) = &t.primary_key {
            expected.insert(
                &pk.name,
                (ConstraintKind::PrimaryKey, pk.columns.clone(), None),
            );
        }
        for u in &t.uniques {
            let kind = ConstraintKind::Unique {
                nulls_not_distinct: u.nulls_not_distinct,
            };
            expected.insert(&u.name, (kind, u.columns.clone(), None));
        }
        for ch in &t.checks {
            let expr = self.canonical_check(&probe, &ch.expr).await?;
            let columns = found
                .constraints
                .iter()
                .find(|x| x.name == ch.name)
                .map(|x| x.columns.clone())
                .unwrap_or_default();
            expected.insert(&ch.name, (ConstraintKind::Check { expr }, columns, None));
        }
        for fk in &t.foreign_keys {
            let kind = ConstraintKind::ForeignKey {
                ref_table: fk.ref_table.clone(),
                ref_columns: fk.ref_columns.clone(),
                on_delete: action(fk.on_delete),
                on_update: action(fk.on_update),
            };
            expected.insert(&fk.name, (kind, fk.columns.clone(), None));
        }
        let mut methods: BTreeMap<&str, &str> = BTreeMap::new();
        for x in &t.exclusions {
            let columns = x.columns().into_iter().map(str::to_string).collect();
            expected.insert(
                &x.name,
                (ConstraintKind::Exclusion, columns, x.description.clone()),
            );
            methods.insert(&x.name, x.method.sql());
        }
        if let Some(sr) = &t.single_row {
            expected.insert(
                sr,
                (
                    ConstraintKind::Exclusion,
                    Vec::new(),
                    Some(ddl::SINGLE_ROW_COMMENT.into()),
                ),
            );
        }
        let actual: BTreeMap<&str, &catalog::Constraint> = found
            .constraints
            .iter()
            .map(|c| (c.name.as_str(), c))
            .collect();
        let both = self.same_names(
            &format!("constraint of {tn:?}"),
            &expected.keys().copied().collect(),
            &actual.keys().copied().collect(),
        );
        for name in both {
            let (kind, columns, comment) = expected[name].clone();
            let a = actual[name];
            let what = |w: &str| format!("{w} of constraint {tn:?}.{name:?}");
            self.eq(|| what("kind"), kind.clone(), a.kind.clone());
            self.eq(|| what("columns"), columns, a.columns.clone());
            self.eq(|| what("comment"), comment, a.comment.clone());
            if let Some(method) = methods.get(name) {
                // The elements as the server prints them are compared by the round-trip pairs;
                // here, the access method.
                let head = format!("EXCLUDE USING {method} (");
                self.eq(|| what("method"), true, a.definition.starts_with(&head));
            } else if kind == ConstraintKind::Exclusion {
                self.eq(
                    || what("definition"),
                    "EXCLUDE USING btree ((true) WITH =)",
                    a.definition.as_str(),
                );
            }
        }

        // Indexes, by name.
        let expected: BTreeMap<&str, &model::Index> =
            t.indexes.iter().map(|i| (i.name.as_str(), i)).collect();
        let actual: BTreeMap<&str, &catalog::Index> =
            found.indexes.iter().map(|i| (i.name.as_str(), i)).collect();
        let both = self.same_names(
            &format!("index of {tn:?}"),
            &expected.keys().copied().collect(),
            &actual.keys().copied().collect(),
        );
        for name in both {
            let (i, a) = (expected[name], actual[name]);
            let what = |w: &str| format!("{w} of index {name:?} ({})", a.definition);
            self.eq(|| what("method"), i.method.sql(), a.method.as_str());
            self.eq(|| what("uniqueness"), i.unique, a.unique);
            self.eq(|| what("comment"), i.description.clone(), a.comment.clone());
            let mut keys = Vec::new();
            for k in &i.keys {
                let target = match &k.target {
                    model::IndexTarget::Column(c) => IndexTarget::Column(c.clone()),
                    model::IndexTarget::Expr(e) => IndexTarget::Expr(
                        self.canonical_index_expr(&probe, i.method.sql(), e).await?,
                    ),
                };
                // PostgreSQL sorts NULLs first exactly when the key is descending, unless told.
                keys.push(catalog::IndexKey {
                    target,
                    desc: k.desc,
                    nulls_first: k.desc,
                });
            }
            self.eq(|| what("keys"), keys, a.keys.clone());
            let predicate = match &i.predicate {
                Some(p) => Some(self.canonical_predicate(&probe, p).await?),
                None => None,
            };
            self.eq(|| what("predicate"), predicate, a.predicate.clone());
        }

        // The auto_update trigger.
        let touched: Vec<String> = t.auto_update_columns().map(|c| c.name.clone()).collect();
        let triggers = if touched.is_empty() {
            Vec::new()
        } else {
            vec![catalog::Trigger {
                name: ddl::TOUCH_TRIGGER.into(),
                function: ddl::TOUCH_FUNCTION.into(),
                timing: "BEFORE".into(),
                events: vec!["UPDATE".into()],
                for_each_row: true,
                arguments: touched,
                definition: String::new(),
                comment: None,
            }]
        };
        let found_triggers: Vec<catalog::Trigger> = found
            .triggers
            .iter()
            .map(|t| catalog::Trigger {
                definition: String::new(),
                ..t.clone()
            })
            .collect();
        self.eq(|| format!("triggers of {tn:?}"), triggers, found_triggers);

        self.client
            .batch_execute(&format!("DROP TABLE pg_temp.{}", qi(&probe)))
            .await?;
        Ok(())
    }

    /// `format_type`'s spelling of a model type.
    async fn format_type(&self, ty: &ColumnType) -> Result<String, tokio_postgres::Error> {
        let base = match &ty.base {
            BaseType::Uuid => "uuid".to_string(),
            BaseType::Text => "text".into(),
            BaseType::Varchar(None) => "character varying".into(),
            BaseType::Varchar(Some(n)) => format!("character varying({n})"),
            BaseType::Char(n) => format!("character({n})"),
            BaseType::SmallInt => "smallint".into(),
            BaseType::Integer => "integer".into(),
            BaseType::BigInt => "bigint".into(),
            BaseType::Real => "real".into(),
            BaseType::Double => "double precision".into(),
            BaseType::Numeric(None) => "numeric".into(),
            BaseType::Numeric(Some((p, s))) => format!("numeric({p},{s})"),
            BaseType::Boolean => "boolean".into(),
            BaseType::Date => "date".into(),
            BaseType::Time(p) => format!("time{} without time zone", paren(*p)),
            BaseType::Timestamp(p) => format!("timestamp{} without time zone", paren(*p)),
            BaseType::Timestamptz(p) => format!("timestamp{} with time zone", paren(*p)),
            BaseType::Interval(None, p) => format!("interval{}", paren(*p)),
            BaseType::Interval(Some(fields), p) => {
                format!("interval {}{}", fields.as_str(), paren(*p))
            }
            BaseType::Json => "json".into(),
            BaseType::Jsonb => "jsonb".into(),
            BaseType::Bytea => "bytea".into(),
            BaseType::Inet => "inet".into(),
            BaseType::Oid => "oid".into(),
            BaseType::Bit(n) => format!("bit({n})"),
            BaseType::Varbit(None) => "bit varying".into(),
            BaseType::Varbit(Some(n)) => format!("bit varying({n})"),
            BaseType::Named(n) if n == "timetz" => "time with time zone".into(),
            BaseType::Named(n) => n.clone(),
            // The server's own quoting, not the renderer's.
            BaseType::Enum(name) | BaseType::Domain(name) => self
                .client
                .query_one("SELECT quote_ident($1)", &[name])
                .await?
                .get(0),
        };
        Ok(if ty.array { format!("{base}[]") } else { base })
    }

    /// A scratch copy of a table's columns in `pg_temp`, to have the server canonicalize SQL
    /// fragments written for that table.
    async fn probe_table(&mut self, table: &str) -> Result<String, tokio_postgres::Error> {
        self.probes += 1;
        let name = format!("strata_probe_{}", self.probes);
        self.client
            .batch_execute(&format!(
                "CREATE TEMP TABLE {} (LIKE public.{})",
                qi(&name),
                qi(table)
            ))
            .await?;
        Ok(name)
    }

    async fn canonical_default(
        &mut self,
        probe: &str,
        column: &str,
        sql: &str,
    ) -> Result<String, tokio_postgres::Error> {
        self.client
            .batch_execute(&format!(
                "ALTER TABLE pg_temp.{} ALTER COLUMN {} SET DEFAULT ({sql})",
                qi(probe),
                qi(column)
            ))
            .await?;
        let row = self
            .client
            .query_one(
                "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                 WHERE d.adrelid = ('pg_temp.' || quote_ident($1))::regclass AND a.attname = $2",
                &[&probe, &column],
            )
            .await?;
        Ok(row.get(0))
    }

    async fn canonical_check(
        &mut self,
        probe: &str,
        expr: &str,
    ) -> Result<String, tokio_postgres::Error> {
        self.probes += 1;
        let name = format!("strata_probe_check_{}", self.probes);
        self.client
            .batch_execute(&format!(
                "ALTER TABLE pg_temp.{} ADD CONSTRAINT {} CHECK ({expr})",
                qi(probe),
                qi(&name)
            ))
            .await?;
        let row = self
            .client
            .query_one(
                "SELECT pg_get_expr(conbin, conrelid) FROM pg_constraint
                 WHERE conrelid = ('pg_temp.' || quote_ident($1))::regclass AND conname = $2",
                &[&probe, &name],
            )
            .await?;
        Ok(row.get(0))
    }

    async fn canonical_index_expr(
        &mut self,
        probe: &str,
        method: &str,
        expr: &str,
    ) -> Result<String, tokio_postgres::Error> {
        let index = self
            .probe_index(probe, &format!("USING {method} (({expr}))"))
            .await?;
        let row = self
            .client
            .query_one(
                "SELECT pg_get_indexdef(('pg_temp.' || quote_ident($1))::regclass, 1, true)",
                &[&index],
            )
            .await?;
        Ok(row.get(0))
    }

    async fn canonical_predicate(
        &mut self,
        probe: &str,
        predicate: &str,
    ) -> Result<String, tokio_postgres::Error> {
        let index = self
            .probe_index(probe, &format!("((true)) WHERE {predicate}"))
            .await?;
        let row = self
            .client
            .query_one(
                "SELECT pg_get_expr(indpred, indrelid) FROM pg_index WHERE indexrelid = ('pg_temp.' || quote_ident($1))::regclass",
                &[&index],
            )
            .await?;
        Ok(row.get(0))
    }

    async fn probe_index(
        &mut self,
        probe: &str,
        rest: &str,
    ) -> Result<String, tokio_postgres::Error> {
        self.probes += 1;
        let index = format!("strata_probe_index_{}", self.probes);
        self.client
            .batch_execute(&format!(
                "CREATE INDEX {} ON pg_temp.{} {rest}",
                qi(&index),
                qi(probe)
            ))
            .await?;
        Ok(index)
    }

    /// Evaluates a stored default and compares its value with `expected` (as jsonb, so numbers
    /// compare as numbers); returns whether they are equal and the value found.
    async fn default_value(
        &self,
        default_sql: &str,
        expected: &serde_json::Value,
    ) -> Result<(bool, String), tokio_postgres::Error> {
        let row = self
            .client
            .query_one(
                &format!("SELECT to_jsonb({default_sql}) = $1::text::jsonb, to_jsonb({default_sql})::text"),
                &[&expected.to_string()],
            )
            .await?;
        Ok((row.get(0), row.get(1)))
    }
}

/// A model literal as the JSON `to_jsonb` gives for the value.
pub fn literal_json(lit: &Literal) -> serde_json::Value {
    match lit {
        Literal::String(s) => serde_json::Value::String(s.clone()),
        Literal::Integer(i) => serde_json::Value::from(*i),
        Literal::Number(n) => {
            serde_json::from_str(n).unwrap_or_else(|_| serde_json::Value::String(n.clone()))
        }
        Literal::Bool(b) => serde_json::Value::Bool(*b),
        Literal::Json(v) => v.clone(),
    }
}

fn action(a: model::FkAction) -> FkAction {
    match a {
        model::FkAction::NoAction => FkAction::NoAction,
        model::FkAction::Restrict => FkAction::Restrict,
        model::FkAction::Cascade => FkAction::Cascade,
        model::FkAction::SetNull => FkAction::SetNull,
        model::FkAction::SetDefault => FkAction::SetDefault,
    }
}

/// Always-quoted identifier, for the checker's own scratch SQL (independent of the renderer).
pub fn qi(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A precision as `format_type` prints it after a type name: `(3)`, or nothing.
fn paren(p: Option<u8>) -> String {
    p.map(|p| format!("({p})")).unwrap_or_default()
}
