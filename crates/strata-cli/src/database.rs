//! Connecting to the database a command was given (`--database-url`).

use anyhow::anyhow;
use strata_pg::tokio_postgres::{self, Client, NoTls};

/// Connects without TLS, naming the session after the command (unless the URL names it) so
/// that, for example, a run waiting for the migration lock can say who holds it.
pub async fn connect(url: &str, application: &str) -> anyhow::Result<Client> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| anyhow!("--database-url is not a PostgreSQL connection string: {e}"))?;
    if config.get_application_name().is_none() {
        config.application_name(application);
    }
    let (client, connection) = config.connect(NoTls).await.map_err(|e| {
        anyhow!(
            "cannot connect to --database-url: {}",
            strata_pg::db_error_message(&e)
        )
    })?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("connection error: {}", strata_pg::db_error_message(&e));
        }
    });
    Ok(client)
}
