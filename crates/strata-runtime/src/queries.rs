//! The runtime side of the generated query methods (feature `postgres`): reading rows of a
//! statement, counts, keyset pages, upserts, patches and `COPY` bulk inserts. The statements
//! come from generated code (ready SQL, or quoted names to build one from).

use crate::exec::Executor;
use crate::pg::{Error, Param, PgInsert, PgKeyed, PgTable};
use std::collections::BTreeMap;
use tokio_postgres::binary_copy::BinaryCopyInWriter;

/// The order of a keyset page, on the primary key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Asc,
    Desc,
}

/// The first row of `sql`, if any, as `T`.
pub async fn fetch_opt<T: PgTable>(
    client: &impl Executor,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Option<T>, Error> {
    let rows = client.query_rows(sql, params).await?;
    match rows.first() {
        Some(row) => Ok(Some(T::try_from(row)?)),
        None => Ok(None),
    }
}

/// The one row of `sql` (an INSERT … RETURNING, an upsert).
pub async fn fetch_one<T: PgTable>(
    client: &impl Executor,
    sql: &str,
    params: &[Param<'_>],
) -> Result<T, Error> {
    let rows = client.query_rows(sql, params).await?;
    match rows.first() {
        Some(row) => Ok(T::try_from(row)?),
        None => Err(Error::NoRow),
    }
}

/// Every row of `sql`, as `T`.
pub async fn fetch_all<T: PgTable>(
    client: &impl Executor,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Vec<T>, Error> {
    let rows = client.query_rows(sql, params).await?;
    Ok(rows.iter().map(T::try_from).collect::<Result<_, _>>()?)
}

/// How many rows `sql` changed.
pub async fn execute(
    client: &impl Executor,
    sql: &str,
    params: &[Param<'_>],
) -> Result<u64, Error> {
    Ok(client.execute_sql(sql, params).await?)
}

/// The `bigint` of a `SELECT count(*) …`.
pub async fn count(client: &impl Executor, sql: &str, params: &[Param<'_>]) -> Result<i64, Error> {
    let rows = client.query_rows(sql, params).await?;
    match rows.first() {
        Some(row) => Ok(row.try_get(0)?),
        None => Err(Error::NoRow),
    }
}

/// Whether `sql` (a `SELECT EXISTS (…)`) is true.
pub async fn exists(
    client: &impl Executor,
    sql: &str,
    params: &[Param<'_>],
) -> Result<bool, Error> {
    let rows = client.query_rows(sql, params).await?;
    match rows.first() {
        Some(row) => Ok(row.try_get(0)?),
        None => Err(Error::NoRow),
    }
}

/// Inserts `new`, or on a conflict on `conflict` (a generated conflict target over the
/// columns `conflict_columns`) updates the existing row with every provided column but those
/// in `keep` (the conflict key and the primary key); returns the row as stored.
pub async fn upsert<N: PgInsert>(
    client: &impl Executor,
    new: &N,
    conflict: &str,
    conflict_columns: &[&str],
    keep: &[&str],
) -> Result<N::Table, Error> {
    let sql = crate::sql::upsert(
        N::QUOTED_TABLE,
        new.insert_columns(),
        conflict,
        conflict_columns,
        keep,
    );
    fetch_one(client, &sql, &new.insert_params()).await
}

/// Updates only the columns of `set` whose value is `Some` (`(column as SQL, value)`), on the
/// row of table `table` (as SQL) with key columns `key_columns` (as SQL) equal to `key`;
/// returns the row as stored, or `None` when no row has that key. Triggers (`auto_update`
/// columns) run as on any UPDATE, also when nothing is set.
pub async fn patch<T: PgKeyed>(
    client: &impl Executor,
    table: &str,
    set: &[(&str, Option<Param<'_>>)],
    key_columns: &[&str],
    key: &[Param<'_>],
) -> Result<Option<T>, Error> {
    let columns: Vec<&str> = set
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(c, _)| *c)
        .collect();
    let sql = crate::sql::update(table, &columns, key_columns);
    let params: Vec<Param<'_>> = set
        .iter()
        .filter_map(|(_, v)| *v)
        .chain(key.iter().copied())
        .collect();
    fetch_opt(client, &sql, &params).await
}

/// Inserts every value of `rows` with binary `COPY`, one `COPY` per set of provided columns
/// (values that leave the same columns to their defaults go together); returns how many rows
/// were inserted. Rows are not returned: read them back by key when the database filled
/// some. A value that provides no column at all is inserted with `DEFAULT VALUES`.
pub async fn insert_many<N: PgInsert>(client: &impl Executor, rows: &[N]) -> Result<u64, Error> {
    let mut groups: BTreeMap<Vec<&'static str>, Vec<&N>> = BTreeMap::new();
    for row in rows {
        groups.entry(row.insert_columns()).or_default().push(row);
    }
    let mut inserted = 0;
    for (columns, group) in groups {
        if columns.is_empty() {
            for row in group {
                inserted += client.execute_sql(&row.insert_sql(), &[]).await?;
            }
            continue;
        }
        // The column types, as the server sees them (enums, arrays, domains).
        let types = client
            .prepare_sql(&crate::sql::insert(
                N::QUOTED_TABLE,
                columns.iter().copied(),
            ))
            .await?
            .params()
            .to_vec();
        let sink = client
            .copy_in_sql(&crate::sql::copy_in(N::QUOTED_TABLE, &columns))
            .await?;
        let writer = BinaryCopyInWriter::new(sink, &types);
        let mut writer = std::pin::pin!(writer);
        for row in group {
            writer.as_mut().write(&row.insert_params()).await?;
        }
        inserted += writer.finish().await?;
    }
    Ok(inserted)
}
