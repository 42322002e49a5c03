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
    let columns: Vec<(&str, &str)> = new
        .insert_columns()
        .into_iter()
        .zip(new.insert_casts())
        .collect();
    let sql = crate::sql::upsert_cast(
        N::QUOTED_TABLE,
        &columns,
        conflict,
        conflict_columns,
        keep,
        N::RETURNING,
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
    let set: Vec<(&str, &str, Option<Param<'_>>)> = set.iter().map(|(c, v)| (*c, "", *v)).collect();
    let key_columns: Vec<(&str, &str)> = key_columns.iter().map(|c| (*c, "")).collect();
    patch_cast(client, table, &set, &key_columns, key, "*").await
}

/// [`patch`] for a table with a column Rust sends in another type: each column of `set` and
/// of `key_columns` comes with the casts written after its `$n` (`::text::tsvector`), and the
/// statement returns `returning` (the select list that reads such a column as text).
pub async fn patch_cast<T: PgKeyed>(
    client: &impl Executor,
    table: &str,
    set: &[(&str, &str, Option<Param<'_>>)],
    key_columns: &[(&str, &str)],
    key: &[Param<'_>],
    returning: &str,
) -> Result<Option<T>, Error> {
    let columns: Vec<(&str, &str)> = set
        .iter()
        .filter(|(_, _, v)| v.is_some())
        .map(|(c, k, _)| (*c, *k))
        .collect();
    let sql = crate::sql::update_cast(table, &columns, key_columns, returning);
    let params: Vec<Param<'_>> = set
        .iter()
        .filter_map(|(_, _, v)| *v)
        .chain(key.iter().copied())
        .collect();
    fetch_opt(client, &sql, &params).await
}

/// Inserts every value of `rows` with binary `COPY`, one `COPY` per set of provided columns
/// (values that leave the same columns to their defaults go together); returns how many rows
/// were inserted. Rows are not returned: read them back by key when the database filled
/// some. A value that provides no column at all is inserted with `DEFAULT VALUES`.
pub async fn insert_many<N: PgInsert>(client: &impl Executor, rows: &[N]) -> Result<u64, Error> {
    type Columns = Vec<(&'static str, &'static str)>;
    let mut groups: BTreeMap<Columns, Vec<&N>> = BTreeMap::new();
    for row in rows {
        let columns = row.insert_columns().into_iter().zip(row.insert_casts());
        groups.entry(columns.collect()).or_default().push(row);
    }
    let mut inserted = 0;
    for (columns, group) in groups {
        if columns.is_empty() {
            for row in group {
                inserted += client.execute_sql(&row.insert_sql(), &[]).await?;
            }
            continue;
        }
        if !N::BINARY_COPY {
            inserted += insert_rows(client, &columns, &group).await?;
            continue;
        }
        // The types Rust sends, as the server sees them (enums, arrays; a domain's
        // underlying type, which its binary input reads).
        let types = client
            .prepare_sql(&crate::sql::insert_cast(
                N::QUOTED_TABLE,
                columns.iter().copied(),
                "*",
            ))
            .await?
            .params()
            .to_vec();
        let columns: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
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

/// The bulk insert of rows that provide the same `columns` (with their casts) as multi-row
/// INSERTs, as many rows per statement as PostgreSQL's 65,535 parameters allow.
async fn insert_rows<N: PgInsert>(
    client: &impl Executor,
    columns: &[(&str, &str)],
    rows: &[&N],
) -> Result<u64, Error> {
    let per_statement = (u16::MAX as usize / columns.len()).clamp(1, 1_000);
    let mut inserted = 0;
    for chunk in rows.chunks(per_statement) {
        let sql = crate::sql::insert_rows(N::QUOTED_TABLE, columns, chunk.len());
        let params: Vec<Vec<Param<'_>>> = chunk.iter().map(|r| r.insert_params()).collect();
        let flat: Vec<Param<'_>> = params.iter().flatten().copied().collect();
        inserted += client.execute_sql(&sql, &flat).await?;
    }
    Ok(inserted)
}
