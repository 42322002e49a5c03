//! tokio-postgres support (feature `postgres`): reading rows, statement parameters, and the
//! four operations every generated table supports.
//!
//! A generated row struct implements `TryFrom<&Row>` (reading columns by name, so `SELECT`
//! and `RETURNING *` both work) and [`PgTable`] (and [`PgKeyed`] when it has a primary key); a
//! `New…` struct implements [`PgInsert`].

use crate::{FromRowError, Insert, Keyed, Table};

pub use crate::exec::{Cached, Executor};
pub use crate::queries::{
    Order, count, execute, exists, fetch_all, fetch_one, fetch_opt, insert_many, patch, patch_cast,
    upsert,
};
pub use crate::session::set_local;
use std::fmt;
use tokio_postgres::types::{FromSql, ToSql};
use tokio_postgres::{GenericClient, Row};

/// One statement parameter, as tokio-postgres takes them.
pub type Param<'a> = &'a (dyn ToSql + Sync);

/// A row struct tokio-postgres can read.
pub trait PgTable: Table + for<'r> TryFrom<&'r Row, Error = FromRowError> {}

/// A row struct with a primary key, which tokio-postgres can find, update and delete.
pub trait PgKeyed: PgTable + Keyed {
    /// The primary key, for [`Keyed::SELECT_BY_PK`] and [`Keyed::DELETE_BY_PK`].
    fn pk_params(&self) -> Vec<Param<'_>>;
    /// The columns set, then the primary key, for [`Keyed::UPDATE_BY_PK`].
    fn update_params(&self) -> Vec<Param<'_>>;
}

/// A `New…` struct tokio-postgres can insert.
pub trait PgInsert: Insert<Table: PgTable> {
    /// The provided columns, in the order of [`Insert::insert_sql`].
    fn insert_params(&self) -> Vec<Param<'_>>;
}

/// Reads column `column` of `row` (generated `TryFrom<&Row>` impls call this for each field).
pub fn get<'a, T: FromSql<'a>>(
    row: &'a Row,
    table: &'static str,
    column: &'static str,
) -> Result<T, FromRowError> {
    row.try_get(column)
        .map_err(|e| FromRowError::new(table, column, e))
}

/// The parameter of an optional field: `None` when the field is `None` (the column is left to
/// its default).
pub fn opt<T: ToSql + Sync>(value: &Option<T>) -> Option<Param<'_>> {
    value.as_ref().map(|v| v as Param<'_>)
}

/// The error of [`insert`], [`select_by_pk`], [`update`], [`delete`] and [`select_all`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The statement failed (see [`tokio_postgres::Error::as_db_error`] for the server's
    /// message).
    Db(tokio_postgres::Error),
    /// A returned row did not fit the row struct.
    Row(FromRowError),
    /// A statement that always returns a row returned none.
    NoRow,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Db(e) => match e.as_db_error() {
                Some(db) => write!(
                    f,
                    "{}: {} ({})",
                    db.severity(),
                    db.message(),
                    db.code().code()
                ),
                None => write!(f, "{e}"),
            },
            Error::Row(e) => write!(f, "{e}"),
            Error::NoRow => f.write_str("the statement returned no row"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Db(e) => Some(e),
            Error::Row(e) => Some(e),
            Error::NoRow => None,
        }
    }
}

impl Error {
    /// The server's error, if the statement reached it and failed there.
    pub fn db_error(&self) -> Option<&tokio_postgres::error::DbError> {
        match self {
            Error::Db(e) => e.as_db_error(),
            Error::Row(_) | Error::NoRow => None,
        }
    }

    /// The SQLSTATE of a server error (`23505` for a unique violation).
    pub fn sqlstate(&self) -> Option<&str> {
        self.db_error().map(|d| d.code().code())
    }

    /// The table and constraint of a constraint violation (SQLSTATE class 23), as the server
    /// names them.
    pub fn violated(&self) -> Option<(&str, &str)> {
        let db = self.db_error()?;
        if !db.code().code().starts_with("23") {
            return None;
        }
        Some((db.table()?, db.constraint()?))
    }
}

impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Self {
        Error::Db(e)
    }
}

impl From<FromRowError> for Error {
    fn from(e: FromRowError) -> Self {
        Error::Row(e)
    }
}

/// Inserts `new` and returns the row as stored (defaults filled in).
pub async fn insert<N: PgInsert>(client: &impl GenericClient, new: &N) -> Result<N::Table, Error> {
    let row = client
        .query_one(&*new.insert_sql(), &new.insert_params())
        .await?;
    Ok(N::Table::try_from(&row)?)
}

/// The row whose primary key is `key` (in key order), if any.
pub async fn select_by_pk<T: PgKeyed>(
    client: &impl GenericClient,
    key: &[Param<'_>],
) -> Result<Option<T>, Error> {
    match client.query_opt(T::SELECT_BY_PK, key).await? {
        Some(row) => Ok(Some(T::try_from(&row)?)),
        None => Ok(None),
    }
}

/// Every row of the table, in no particular order.
pub async fn select_all<T: PgTable>(client: &impl GenericClient) -> Result<Vec<T>, Error> {
    let rows = client.query(T::SELECT, &[]).await?;
    Ok(rows.iter().map(T::try_from).collect::<Result<_, _>>()?)
}

/// Writes every column of `row` but its key (and auto-updated columns) to the row with its
/// key; returns the row as stored, or `None` when no row has that key.
pub async fn update<T: PgKeyed>(client: &impl GenericClient, row: &T) -> Result<Option<T>, Error> {
    match client
        .query_opt(T::UPDATE_BY_PK, &row.update_params())
        .await?
    {
        Some(r) => Ok(Some(T::try_from(&r)?)),
        None => Ok(None),
    }
}

/// Deletes the row with the key of `row`; returns how many rows were deleted (0 or 1).
pub async fn delete<T: PgKeyed>(client: &impl GenericClient, row: &T) -> Result<u64, Error> {
    Ok(client.execute(T::DELETE_BY_PK, &row.pk_params()).await?)
}

/// Writes an enum value: its label as text (the binary format of an enum).
pub fn enum_to_sql<E: crate::Enum>(
    value: E,
    out: &mut bytes::BytesMut,
) -> Result<postgres_types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
    out.extend_from_slice(value.as_str().as_bytes());
    Ok(postgres_types::IsNull::No)
}

/// Reads an enum value from its label; a label the Rust enum lacks is an error naming both.
pub fn enum_from_sql<E: crate::Enum>(
    raw: &[u8],
) -> Result<E, Box<dyn std::error::Error + Sync + Send>> {
    let label = std::str::from_utf8(raw)?;
    E::from_label(label).ok_or_else(|| {
        format!(
            "`{label}` is not a value of enum `{}` known to this program (known: {})",
            E::SQL_NAME,
            E::ALL
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
        .into()
    })
}

/// Whether a PostgreSQL type is the enum type of `E` (by name, and by schema for an enum of
/// another schema than the default one; the labels are checked per value).
pub fn enum_accepts<E: crate::Enum>(ty: &postgres_types::Type) -> bool {
    ty.name() == E::SQL_NAME
        && E::SQL_SCHEMA.is_none_or(|s| ty.schema() == s)
        && matches!(ty.kind(), postgres_types::Kind::Enum(_))
}

/// `ToSql` and `FromSql` for a generated enum (which implements [`Enum`](crate::Enum)). A
/// macro rather than a derive so that the caller needs no dependency but this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __strata_impl_pg_enum {
    ($ty:ty) => {
        impl $crate::__private::postgres_types::ToSql for $ty {
            fn to_sql(
                &self,
                _ty: &$crate::__private::postgres_types::Type,
                out: &mut $crate::__private::bytes::BytesMut,
            ) -> ::core::result::Result<
                $crate::__private::postgres_types::IsNull,
                ::std::boxed::Box<
                    dyn ::std::error::Error + ::core::marker::Sync + ::core::marker::Send,
                >,
            > {
                $crate::pg::enum_to_sql(*self, out)
            }

            fn accepts(ty: &$crate::__private::postgres_types::Type) -> bool {
                $crate::pg::enum_accepts::<$ty>(ty)
            }

            $crate::__private::postgres_types::to_sql_checked!();
        }

        impl<'a> $crate::__private::postgres_types::FromSql<'a> for $ty {
            fn from_sql(
                _ty: &$crate::__private::postgres_types::Type,
                raw: &'a [u8],
            ) -> ::core::result::Result<
                Self,
                ::std::boxed::Box<
                    dyn ::std::error::Error + ::core::marker::Sync + ::core::marker::Send,
                >,
            > {
                $crate::pg::enum_from_sql(raw)
            }

            fn accepts(ty: &$crate::__private::postgres_types::Type) -> bool {
                $crate::pg::enum_accepts::<$ty>(ty)
            }
        }
    };
}
