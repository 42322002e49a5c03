//! Running generated statements (feature `postgres`): the [`Executor`] trait every generated
//! query method takes, implemented for `tokio_postgres::Client`, `Transaction` and the
//! per-connection statement cache [`Cached`].
//!
//! A generated method never holds a connection or a statement of its own: it passes its ready
//! SQL to an executor. With a plain client or transaction each call prepares its statement
//! (one extra round trip, as `Client::query` with a string does); through [`Cached`] each
//! distinct statement is prepared once per connection and reused, also by the transactions
//! started from it ([`Cached::transaction`]).

use crate::pg::Param;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio_postgres::{Client, CopyInSink, Error, Row, Statement, Transaction};

/// Something generated statements run on: a client, a transaction, or either behind a
/// [`Cached`] statement cache.
pub trait Executor: Sync {
    /// The rows of `sql` with `params`.
    fn query_rows<'a>(
        &'a self,
        sql: &'a str,
        params: &'a [Param<'a>],
    ) -> impl Future<Output = Result<Vec<Row>, Error>> + Send + 'a;

    /// How many rows `sql` changed.
    fn execute_sql<'a>(
        &'a self,
        sql: &'a str,
        params: &'a [Param<'a>],
    ) -> impl Future<Output = Result<u64, Error>> + Send + 'a;

    /// The prepared statement of `sql` (from the cache, if any).
    fn prepare_sql<'a>(
        &'a self,
        sql: &'a str,
    ) -> impl Future<Output = Result<Statement, Error>> + Send + 'a;

    /// Starts a `COPY … FROM STDIN`.
    fn copy_in_sql<'a>(
        &'a self,
        sql: &'a str,
    ) -> impl Future<Output = Result<CopyInSink<bytes::Bytes>, Error>> + Send + 'a;

    /// The rows of a statement prepared on this connection.
    fn query_prepared<'a>(
        &'a self,
        statement: &'a Statement,
        params: &'a [Param<'a>],
    ) -> impl Future<Output = Result<Vec<Row>, Error>> + Send + 'a;

    /// How many rows a statement prepared on this connection changed.
    fn execute_prepared<'a>(
        &'a self,
        statement: &'a Statement,
        params: &'a [Param<'a>],
    ) -> impl Future<Output = Result<u64, Error>> + Send + 'a;
}

macro_rules! direct {
    ($ty:ty) => {
        impl Executor for $ty {
            fn query_rows<'a>(
                &'a self,
                sql: &'a str,
                params: &'a [Param<'a>],
            ) -> impl Future<Output = Result<Vec<Row>, Error>> + Send + 'a {
                self.query(sql, params)
            }

            fn execute_sql<'a>(
                &'a self,
                sql: &'a str,
                params: &'a [Param<'a>],
            ) -> impl Future<Output = Result<u64, Error>> + Send + 'a {
                self.execute(sql, params)
            }

            fn prepare_sql<'a>(
                &'a self,
                sql: &'a str,
            ) -> impl Future<Output = Result<Statement, Error>> + Send + 'a {
                self.prepare(sql)
            }

            fn copy_in_sql<'a>(
                &'a self,
                sql: &'a str,
            ) -> impl Future<Output = Result<CopyInSink<bytes::Bytes>, Error>> + Send + 'a {
                self.copy_in(sql)
            }

            fn query_prepared<'a>(
                &'a self,
                statement: &'a Statement,
                params: &'a [Param<'a>],
            ) -> impl Future<Output = Result<Vec<Row>, Error>> + Send + 'a {
                self.query(statement, params)
            }

            fn execute_prepared<'a>(
                &'a self,
                statement: &'a Statement,
                params: &'a [Param<'a>],
            ) -> impl Future<Output = Result<u64, Error>> + Send + 'a {
                self.execute(statement, params)
            }
        }
    };
}

direct!(Client);
direct!(Transaction<'_>);

/// The statements prepared on one connection, by SQL text.
type Statements = Arc<Mutex<BTreeMap<String, Statement>>>;

/// A client or transaction that prepares each distinct statement once and reuses it.
///
/// Prepared statements belong to the connection, so a transaction started with
/// [`Cached::transaction`] shares its client's cache (and what it prepares stays usable after
/// the transaction ends).
///
/// ```ignore
/// let mut db = strata_runtime::pg::Cached::new(client);
/// let owner = Owner::find_by_slug(&db, "ada").await?; // prepared
/// let again = Owner::find_by_slug(&db, "ada").await?; // reused
/// let tx = db.transaction().await?;
/// Owner::delete_by_slug(&tx, "ada").await?;
/// tx.commit().await?;
/// ```
pub struct Cached<C> {
    client: C,
    statements: Statements,
}

impl<C> Cached<C> {
    /// A cache over `client`, empty.
    pub fn new(client: C) -> Self {
        Cached {
            client,
            statements: Statements::default(),
        }
    }

    /// The client or transaction (for calls the cache does not cover).
    pub fn inner(&self) -> &C {
        &self.client
    }

    /// The client or transaction, giving up the cache.
    pub fn into_inner(self) -> C {
        self.client
    }

    /// How many statements are prepared.
    pub fn prepared(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Statement>> {
        // A panic while holding the lock cannot leave the map half-changed (one insert).
        self.statements
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Cached<Client> {
    /// Starts a transaction that uses (and adds to) this connection's statements.
    pub async fn transaction(&mut self) -> Result<Cached<Transaction<'_>>, Error> {
        let statements = Arc::clone(&self.statements);
        Ok(Cached {
            client: self.client.transaction().await?,
            statements,
        })
    }
}

impl Cached<Transaction<'_>> {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<(), Error> {
        self.client.commit().await
    }

    /// Rolls the transaction back.
    pub async fn rollback(self) -> Result<(), Error> {
        self.client.rollback().await
    }
}

impl<C: Executor + Send> Cached<C> {
    async fn statement(&self, sql: &str) -> Result<Statement, Error> {
        if let Some(s) = self.lock().get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare_sql(sql).await?;
        self.lock().insert(sql.to_owned(), s.clone());
        Ok(s)
    }
}

// The signatures spell out the trait's `Send` futures, as in the trait.
#[allow(clippy::manual_async_fn)]
impl<C: Executor + Send> Executor for Cached<C> {
    fn query_rows<'a>(
        &'a self,
        sql: &'a str,
        params: &'a [Param<'a>],
    ) -> impl Future<Output = Result<Vec<Row>, Error>> + Send + 'a {
        async move {
            let s = self.statement(sql).await?;
            self.client.query_prepared(&s, params).await
        }
    }

    fn execute_sql<'a>(
        &'a self,
        sql: &'a str,
        params: &'a [Param<'a>],
    ) -> impl Future<Output = Result<u64, Error>> + Send + 'a {
        async move {
            let s = self.statement(sql).await?;
            self.client.execute_prepared(&s, params).await
        }
    }

    fn prepare_sql<'a>(
        &'a self,
        sql: &'a str,
    ) -> impl Future<Output = Result<Statement, Error>> + Send + 'a {
        self.statement(sql)
    }

    fn copy_in_sql<'a>(
        &'a self,
        sql: &'a str,
    ) -> impl Future<Output = Result<CopyInSink<bytes::Bytes>, Error>> + Send + 'a {
        self.client.copy_in_sql(sql)
    }

    fn query_prepared<'a>(
        &'a self,
        statement: &'a Statement,
        params: &'a [Param<'a>],
    ) -> impl Future<Output = Result<Vec<Row>, Error>> + Send + 'a {
        self.client.query_prepared(statement, params)
    }

    fn execute_prepared<'a>(
        &'a self,
        statement: &'a Statement,
        params: &'a [Param<'a>],
    ) -> impl Future<Output = Result<u64, Error>> + Send + 'a {
        self.client.execute_prepared(statement, params)
    }
}
