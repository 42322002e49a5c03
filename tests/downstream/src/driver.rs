//! The round trip of every table of a database: insert (a row of database defaults and a row
//! with every column given), read back, update, read back, delete — each through the generated
//! structs, their serde and the generated SQL (run by `strata_runtime::pg`).

use crate::data::{Data, Rows, Shape};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use strata::model::{BaseType, Default, Literal, Schema, Table};
use strata_pg::tokio_postgres::Client;
use strata_runtime::pg::{PgInsert, PgKeyed};

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One generated table, its types erased so a database's tables fit in one list. Values pass
/// as JSON; each method goes through the generated types.
pub trait Case: Send + Sync {
    /// The table's SQL name (`Table::TABLE`).
    fn table(&self) -> &'static str;
    /// `Table::AUTO_UPDATED`.
    fn auto_updated(&self) -> &'static [&'static str];
    /// The JSON of a `New…` value as the insert struct writes it back (checks its serde).
    fn normalize_new(&self, new: Map<String, Value>) -> Value;
    /// Inserts a `New…` value; the row as returned.
    fn insert<'a>(&'a self, client: &'a Client, new: Value) -> BoxFuture<'a, Value>;
    /// The row with the key of `row`, if any.
    fn select<'a>(&'a self, client: &'a Client, row: Value) -> BoxFuture<'a, Option<Value>>;
    /// Writes `row` (by its key); the row as returned, with the values the row struct writes.
    fn update<'a>(&'a self, client: &'a Client, row: Value) -> BoxFuture<'a, (Value, Value)>;
    /// Deletes the row with the key of `row`; how many rows went.
    fn delete<'a>(&'a self, client: &'a Client, row: Value) -> BoxFuture<'a, u64>;
}

struct Typed<T>(PhantomData<fn() -> T>);

/// The case of row struct `T`.
pub fn case<T>() -> Box<dyn Case>
where
    T: PgKeyed + Serialize + DeserializeOwned + Send + Sync,
    T::New: PgInsert + Serialize + DeserializeOwned + Send + Sync,
{
    Box::new(Typed::<T>(PhantomData))
}

fn from_json<X: DeserializeOwned>(table: &str, what: &str, value: Value) -> X {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{table}: the {what} does not deserialize: {e}\n{value:#}"))
}

fn to_json<X: Serialize>(value: &X) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| panic!("serializing: {e}"))
}

impl<T> Case for Typed<T>
where
    T: PgKeyed + Serialize + DeserializeOwned + Send + Sync,
    T::New: PgInsert + Serialize + DeserializeOwned + Send + Sync,
{
    fn table(&self) -> &'static str {
        T::TABLE
    }

    fn auto_updated(&self) -> &'static [&'static str] {
        T::AUTO_UPDATED
    }

    fn normalize_new(&self, new: Map<String, Value>) -> Value {
        to_json(&from_json::<T::New>(
            T::TABLE,
            "insert struct",
            Value::Object(new),
        ))
    }

    fn insert<'a>(&'a self, client: &'a Client, new: Value) -> BoxFuture<'a, Value> {
        Box::pin(async move {
            let new: T::New = from_json(T::TABLE, "insert struct", new);
            match strata_runtime::pg::insert(client, &new).await {
                Ok(row) => to_json(&row),
                Err(e) => panic!(
                    "{}: insert failed: {e}\nSQL: {}",
                    T::TABLE,
                    strata_runtime::Insert::insert_sql(&new)
                ),
            }
        })
    }

    fn select<'a>(&'a self, client: &'a Client, row: Value) -> BoxFuture<'a, Option<Value>> {
        Box::pin(async move {
            let row: T = from_json(T::TABLE, "row", row);
            match strata_runtime::pg::select_by_pk::<T>(client, &row.pk_params()).await {
                Ok(found) => found.as_ref().map(to_json),
                Err(e) => panic!("{}: select by key failed: {e}", T::TABLE),
            }
        })
    }

    fn update<'a>(&'a self, client: &'a Client, row: Value) -> BoxFuture<'a, (Value, Value)> {
        Box::pin(async move {
            let row: T = from_json(T::TABLE, "row", row);
            match strata_runtime::pg::update(client, &row).await {
                Ok(Some(updated)) => (to_json(&row), to_json(&updated)),
                Ok(None) => panic!("{}: the update found no row", T::TABLE),
                Err(e) => panic!("{}: update failed: {e}", T::TABLE),
            }
        })
    }

    fn delete<'a>(&'a self, client: &'a Client, row: Value) -> BoxFuture<'a, u64> {
        Box::pin(async move {
            let row: T = from_json(T::TABLE, "row", row);
            strata_runtime::pg::delete(client, &row)
                .await
                .unwrap_or_else(|e| panic!("{}: delete failed: {e}", T::TABLE))
        })
    }
}

/// What a round trip did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub tables: usize,
    pub inserted: usize,
    pub updated: usize,
    pub deleted: usize,
}

/// Every table of `schema` through insert, select, update, select, delete, in foreign-key
/// order, on a fresh database made by `ddl`. `tables` is the generated `TABLES` constant (the
/// order rows are inserted in); `cases` holds one row struct per table, in any order.
pub async fn round_trip(
    schema: &Schema,
    ddl: &str,
    tables: &[&str],
    cases: Vec<Box<dyn Case>>,
    mut data: Data<'_>,
) -> Counts {
    let mut listed: Vec<&str> = cases.iter().map(|c| c.table()).collect();
    let mut declared: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
    let mut generated = tables.to_vec();
    listed.sort_unstable();
    declared.sort_unstable();
    generated.sort_unstable();
    assert_eq!(
        generated, declared,
        "{}: TABLES holds every table of the schema",
        schema.name
    );
    assert_eq!(
        listed, declared,
        "{}: a case for every table, each once",
        schema.name
    );
    // Parents first: the generated order.
    let mut cases = cases;
    cases.sort_by_key(|c| tables.iter().position(|t| *t == c.table()));

    let db = strata_testkit::TestDb::with_sql(ddl).await;
    let client = &db.client;
    let mut counts = Counts {
        tables: cases.len(),
        ..Counts::default()
    };
    let mut rows = Rows::new();

    for case in &cases {
        let table = schema.table(case.table()).expect("a table of the schema");
        let shapes: &[Shape] = &[Shape::Defaults, Shape::Full];
        for &shape in shapes {
            let new = data.new_row(table, shape, &rows);
            let row = insert_and_check(case.as_ref(), client, table, new).await;
            counts.inserted += 1;
            if table.single_row.is_some() && shape == Shape::Defaults {
                // One row at most: check the defaults row, then make room for the full one.
                assert_eq!(
                    case.delete(client, row.clone()).await,
                    1,
                    "{}: delete",
                    table.name
                );
                counts.deleted += 1;
                continue;
            }
            rows.entry(table.name.clone())
                .or_default()
                .push(as_object(row));
        }
    }

    for case in &cases {
        let table = schema.table(case.table()).expect("a table of the schema");
        let stored = rows.get(&table.name).cloned().unwrap_or_default();
        let mut after = Vec::new();
        for row in stored {
            let changed = data.changed_row(table, &row);
            let (written, updated) = case.update(client, Value::Object(changed)).await;
            assert_same(
                &table.name,
                "update",
                &written,
                &updated,
                case.auto_updated(),
            );
            for column in case.auto_updated() {
                assert!(
                    !updated[*column].is_null(),
                    "{}.{column} is set by the update",
                    table.name
                );
            }
            let read = case.select(client, updated.clone()).await;
            assert_eq!(
                read.as_ref(),
                Some(&updated),
                "{}: the updated row reads back",
                table.name
            );
            counts.updated += 1;
            after.push(as_object(updated));
        }
        rows.insert(table.name.clone(), after);
    }

    for case in cases.iter().rev() {
        for row in rows
            .remove(case.table())
            .unwrap_or_default()
            .into_iter()
            .rev()
        {
            let row = Value::Object(row);
            assert_eq!(
                case.delete(client, row.clone()).await,
                1,
                "{}: delete by key",
                case.table()
            );
            assert_eq!(
                case.select(client, row).await,
                None,
                "{}: the deleted row is gone",
                case.table()
            );
            counts.deleted += 1;
        }
    }
    counts
}

async fn insert_and_check(
    case: &dyn Case,
    client: &Client,
    table: &Table,
    new: Map<String, Value>,
) -> Value {
    let expected = case.normalize_new(new);
    let row = case.insert(client, expected.clone()).await;
    // Every value given reads back exactly.
    for (column, value) in expected.as_object().expect("an object") {
        assert_eq!(
            row.get(column),
            Some(value),
            "{}.{column}: the inserted value reads back\nrow: {row:#}",
            table.name
        );
    }
    // Every column left out has the database's value.
    for c in &table.columns {
        if expected.get(&c.name).is_some() {
            continue;
        }
        let got = &row[&c.name];
        // JSON has no NaN or infinity: serde writes them as null.
        let float = matches!(c.ty.base, BaseType::Real | BaseType::Double);
        assert!(
            !got.is_null() || float,
            "{}.{}: the database filled the column",
            table.name,
            c.name
        );
        if let Some(want) = literal_default(c) {
            assert_eq!(got, &want, "{}.{}: the literal default", table.name, c.name);
        }
        if let Some(Default::Sql(expr)) = &c.default
            && let Some(prefix) = prefixed_id(expr)
        {
            let id = got.as_str().unwrap_or_default();
            assert!(
                id.starts_with(prefix) && id.len() == prefix.len() + 36,
                "{}.{}: `{id}` is {prefix}<uuid>",
                table.name,
                c.name
            );
        }
    }
    let read = case.select(client, row.clone()).await;
    assert_eq!(
        read.as_ref(),
        Some(&row),
        "{}: the inserted row reads back by its key",
        table.name
    );
    row
}

/// A default's JSON where the row's JSON is sure to spell it the same way.
fn literal_default(c: &strata::model::Column) -> Option<Value> {
    let Some(Default::Literal(lit)) = &c.default else {
        return None;
    };
    let texty = matches!(
        c.ty.base,
        BaseType::Text | BaseType::Varchar(_) | BaseType::Enum(_)
    ) && !c.ty.array;
    match lit {
        Literal::String(s) if texty => Some(Value::String(s.clone())),
        Literal::Integer(i) if c.ty.is_integer() => Some(Value::from(*i)),
        Literal::Number(n) if matches!(c.ty.base, BaseType::Double | BaseType::Real) => {
            n.parse::<f64>().ok().map(Value::from)
        }
        Literal::Bool(b) => Some(Value::Bool(*b)),
        Literal::Json(v) if c.ty.is_json() => Some(v.clone()),
        _ => None,
    }
}

/// `'asst_' || gen_random_uuid()` → `asst_`.
fn prefixed_id(expr: &str) -> Option<&str> {
    let rest = expr.strip_prefix('\'')?;
    let (prefix, tail) = rest.split_once('\'')?;
    (tail.trim() == "|| gen_random_uuid()").then_some(prefix)
}

fn as_object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("a row is a JSON object, got {other}"),
    }
}

fn assert_same(table: &str, what: &str, want: &Value, got: &Value, except: &[&str]) {
    let (Some(want), Some(got)) = (want.as_object(), got.as_object()) else {
        panic!("{table}: rows are objects");
    };
    for (k, v) in want {
        if except.contains(&k.as_str()) {
            continue;
        }
        assert_eq!(
            got.get(k),
            Some(v),
            "{table}.{k}: the {what} wrote this value\nrow: {got:#?}"
        );
    }
}
