//! Strata's PostgreSQL crate: the migration runner ([`migrate()`], over refinery, with an
//! advisory lock and a non-transactional path) and catalog introspection ([`introspect`], for
//! drift and import). This is what a generated models crate's `migrate` feature brings into an
//! application; the test harness (a throwaway cluster, a fresh database per test) is the
//! separate crate `strata-testkit`, so applications do not compile it.
//!
//! ```no_run
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! let mut client = strata_pg::connect("postgresql://app@localhost/shop").await?;
//! let migrations = strata_pg::Migrations::from_dir("generated/shop/migrations")?;
//! let report = strata_pg::migrate(&mut client, &migrations, &strata_pg::MigrateOptions::default()).await?;
//! println!("{report:?}");
//! # Ok(())
//! # }
//! ```
//!
//! # Migrations
//!
//! [`migrate()`] applies migrations to a real database (`cargo xtask migrate` calls it;
//! `strata_testkit::TestDb::migrated` applies them to a fresh test database); see the [`migrate`](mod@migrate) module for its lock and its non-transactional path.
//!
//! # Errors
//!
//! tokio-postgres shows a server error as `db error`; [`db_error_message`] and
//! [`error_chain_message`] render the SQLSTATE, message, detail and hint.

mod connect;
mod error;
pub mod introspect;
pub mod migrate;

pub use connect::connect;
pub use error::{db_error_message, error_chain_message, script_error_message};
pub use migrate::{
    LoadError, MigrateError, MigrateOptions, Migration, MigrationState, Migrations, Report, Status,
    baseline, migrate, status,
};
pub use tokio_postgres;
