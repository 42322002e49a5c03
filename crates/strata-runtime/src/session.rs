//! Session settings for row-level security: the value a policy reads with
//! `current_setting('app.tenant_id')`, set for one transaction.

use crate::pg::{Error, Executor};

/// Sets the setting `name` to `value` until the end of the current transaction (what
/// `SET LOCAL name = value` does, through `set_config(name, value, true)`): run it first in
/// the transaction whose statements a row-level security policy should see it in, e.g.
/// `set_local(&tx, "app.tenant_id", &tenant.to_string())`. The name and the value are
/// parameters, never SQL text. Outside a transaction it lasts only for the one statement, so
/// call it on a `Transaction` (or a transaction of [`crate::pg::Cached`]).
pub async fn set_local(client: &impl Executor, name: &str, value: &str) -> Result<(), Error> {
    client
        .query_rows("SELECT set_config($1, $2, true)", &[&name, &value])
        .await?;
    Ok(())
}
