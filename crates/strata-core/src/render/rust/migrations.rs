//! The `migrations` module of the generated models crate: each database's refinery migrations
//! embedded with `include_str!`, and one call that applies them with Strata's runner (advisory
//! lock, non-transactional steps), behind the crate's `migrate` feature.

use super::{format_file, names};
use proc_macro2::TokenStream;
use quote::quote;

/// One database's migration files, in version order (`V1__initial.sql`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedMigrations {
    pub database: String,
    pub files: Vec<String>,
}

/// `generated/src/migrations.rs`: a module per database with `FILES`, `migrations()` and
/// `migrate(&mut client)`. Paths are relative to that file (`../<db>/migrations/<file>`).
pub fn migrations_module(dbs: &[EmbeddedMigrations]) -> String {
    let mut errors = Vec::new();
    let mods: Vec<TokenStream> = dbs
        .iter()
        .map(|db| {
            let name = names::ident_or_error(&db.database).unwrap_or_else(|e| {
                let msg = format!("strata: database `{}`: {e}", db.database);
                errors.push(quote!(::core::compile_error!(#msg);));
                names::fallback_ident()
            });
            let entries = db.files.iter().map(|f| {
                let path = format!("../{}/migrations/{f}", db.database);
                quote!((#f, ::core::include_str!(#path)))
            });
            let doc = format!(" The migrations of `{}`, applied in this order.", db.database);
            let migrate_doc = format!(
                " Applies the pending migrations of `{}` to the database `client` is connected to: \
                 under a PostgreSQL advisory lock (concurrent deploys wait), transactional migrations \
                 through refinery, non-transactional ones statement by statement.",
                db.database
            );
            quote! {
                pub mod #name {
                    #[doc = #doc]
                    pub const FILES: &[(&str, &str)] = &[#(#entries),*];

                    /// The migrations, checked (names, versions, non-transactional markers).
                    pub fn migrations() -> ::core::result::Result<::strata_pg::Migrations, ::strata_pg::LoadError> {
                        ::strata_pg::Migrations::from_embedded(FILES)
                    }

                    #[doc = #migrate_doc]
                    pub async fn migrate(
                        client: &mut ::strata_pg::tokio_postgres::Client,
                    ) -> ::core::result::Result<::strata_pg::Report, ::strata_pg::MigrateError> {
                        let set = migrations()?;
                        ::strata_pg::migrate(client, &set, &::strata_pg::MigrateOptions::default()).await
                    }
                }
            }
        })
        .collect();
    let tokens = quote! {
        //! Each database's migrations, embedded in the crate, and one call that applies them
        //! (feature `migrate`).
        #(#mods)*
        #(#errors)*
    };
    let header = crate::render::header("//", "generated/<db>/migrations/");
    match format_file(tokens) {
        Ok(text) => format!("{header}{text}"),
        Err(e) => format!("{header}compile_error!({:?});\n", e.to_string()),
    }
}
