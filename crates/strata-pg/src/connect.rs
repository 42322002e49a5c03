//! Connecting to a server: what the command line and the test harness share.

use tokio_postgres::{Client, NoTls};

use crate::error::db_error_message;

/// Connects to `url` without TLS and spawns the connection task on the current tokio
/// runtime (so call it inside one). Connection errors after the handshake are printed to
/// stderr.
pub async fn connect(url: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("strata-pg: connection error: {}", db_error_message(&e));
        }
    });
    Ok(client)
}
