//! The one server of the test process: an external one named by the environment, or the
//! throwaway cluster, started on first use.

use std::sync::OnceLock;

use crate::cluster::Cluster;

/// The server every test database of this process lives on.
#[derive(Debug)]
pub(crate) enum Server {
    /// `STRATA_TEST_DATABASE_URL` or `DATABASE_URL`, as given.
    External {
        url: String,
    },
    Cluster(Cluster),
}

/// Initialised once; a failure is kept too, so every test reports it instead of retrying.
static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

impl Server {
    /// The URL the harness connects to for `CREATE DATABASE`.
    pub(crate) fn admin_url(&self) -> String {
        match self {
            Server::External { url } => url.clone(),
            Server::Cluster(cluster) => cluster.url(),
        }
    }

    /// The URL of database `name` on this server.
    pub(crate) fn database_url(&self, name: &str) -> String {
        url_with_dbname(&self.admin_url(), name)
    }
}

/// The server, starting the cluster on first use (blocking; about a second).
/// Panics, naming the cause, if the cluster cannot start.
pub(crate) fn server() -> &'static Server {
    match SERVER.get_or_init(init) {
        Ok(server) => server,
        Err(message) => panic!("strata-pg: no PostgreSQL server for the tests: {message}"),
    }
}

/// [`server`] without blocking an async runtime's worker while the cluster starts.
pub(crate) async fn server_async() -> &'static Server {
    if SERVER.get().is_none() {
        // A panic here is re-raised by `server()` below from the stored error.
        let _ = tokio::task::spawn_blocking(|| SERVER.get_or_init(init)).await;
    }
    server()
}

fn init() -> Result<Server, String> {
    match external_url() {
        Some(url) => Ok(Server::External { url }),
        None => Cluster::start().map(Server::Cluster),
    }
}

/// `STRATA_TEST_DATABASE_URL`, else `DATABASE_URL`; empty values count as unset.
fn external_url() -> Option<String> {
    ["STRATA_TEST_DATABASE_URL", "DATABASE_URL"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
}

/// The base URL of the test server: the cluster's `postgres` database as its superuser
/// (`postgresql://strata@127.0.0.1:<port>/postgres`), or `STRATA_TEST_DATABASE_URL` /
/// `DATABASE_URL` as given. Starts the cluster if it is not running yet.
///
/// # Panics
///
/// If the cluster cannot start (for instance, no PostgreSQL server binaries are installed).
pub fn server_url() -> String {
    server().admin_url()
}

/// `url` with its database replaced by `name`. Handles both forms tokio-postgres accepts:
/// `postgres[ql]://user@host:port/db?params` (a `dbname` parameter is dropped) and
/// `key=value` strings (a `dbname=` is appended; the last one wins).
pub(crate) fn url_with_dbname(url: &str, name: &str) -> String {
    let url = url.trim();
    let Some(scheme_end) = ["postgresql://", "postgres://"]
        .iter()
        .find_map(|scheme| url.starts_with(scheme).then_some(scheme.len()))
    else {
        return format!("{url} dbname={name}");
    };
    let (before_query, query) = url.split_once('?').unwrap_or((url, ""));
    let authority_end = before_query[scheme_end..]
        .find('/')
        .map_or(before_query.len(), |i| scheme_end + i);
    let params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("dbname="))
        .collect();
    let mut out = format!("{}/{name}", &before_query[..authority_end]);
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::url_with_dbname;

    #[test]
    fn replaces_the_database_of_a_url() {
        assert_eq!(
            url_with_dbname("postgresql://strata@127.0.0.1:5432/postgres", "t1"),
            "postgresql://strata@127.0.0.1:5432/t1"
        );
        assert_eq!(
            url_with_dbname("postgres://u:p%2Fw@db:5433", "t1"),
            "postgres://u:p%2Fw@db:5433/t1"
        );
        assert_eq!(
            url_with_dbname("postgres://u@h/app?sslmode=disable&dbname=x", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
        assert_eq!(
            url_with_dbname("postgresql://%2Fvar%2Frun%2Fpostgresql/app", "t1"),
            "postgresql://%2Fvar%2Frun%2Fpostgresql/t1"
        );
    }

    #[test]
    fn appends_dbname_to_key_value_strings() {
        assert_eq!(
            url_with_dbname("host=localhost user=me dbname=app", "t1"),
            "host=localhost user=me dbname=app dbname=t1"
        );
    }
}
