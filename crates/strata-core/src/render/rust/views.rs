//! A view's (or materialized view's) Rust model: a read-only row struct with every column
//! `Option` (PostgreSQL cannot promise a view column is NOT NULL), `VIEW`, `COLUMNS` and
//! `SELECT`; with a declared `key:`, `FIND`, `PAGE` and `PAGE_AFTER` and their methods; for a
//! materialized view, `REFRESH` (and `REFRESH_CONCURRENTLY` where a unique index allows it)
//! with `refresh`. Behind the tokio-postgres setting: `TryFrom<&Row>` and the async methods.

use super::Gen;
use super::names::{code, doc_with};
use crate::model::{Column, View, ViewField};
use crate::render::sql::{ident as sql_ident, view_name};
use heck::ToSnakeCase;
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust name of a view's row struct: `active_users` → `ActiveUsersRow`.
pub(super) fn struct_name(v: &View) -> String {
    format!("{}Row", v.name.to_upper_camel_case())
}

pub(super) fn view_items(g: &Gen<'_>, v: &View) -> TokenStream {
    let (rt, p) = (&g.rt, &g.p);
    let Some(fields) = v.fields(g.schema) else {
        g.error(format!(
            "the columns of {} `{}` cannot be named",
            v.kind(),
            v.name
        ));
        return TokenStream::new();
    };
    let name = g.ident(&struct_name(v), || {
        format!("the row struct of view `{}`", v.name)
    });
    let idents: Vec<_> = fields
        .iter()
        .map(|f| {
            let snake = f.name.to_snake_case();
            g.ident(&crate::model::rust_field_ident(&snake), || {
                format!("the field of view column `{}.{}`", v.name, f.name)
            })
        })
        .collect();
    let types: Vec<TokenStream> = fields
        .iter()
        .map(|f| g.column_type(&as_column(f)))
        .collect();
    let docs: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let ty = f.ty.as_ref().map(|t| t.to_string()).unwrap_or_default();
            doc_with(
                f.description.as_deref(),
                &format!("{}, nullable", code(&ty)),
            )
        })
        .collect();
    let renames: Vec<TokenStream> = fields
        .iter()
        .zip(&idents)
        .map(|(f, i)| {
            let n = &f.name;
            if i.to_string().trim_start_matches("r#") == *n {
                TokenStream::new()
            } else {
                quote!(#[serde(rename = #n)])
            }
        })
        .collect();
    let doc = doc_with(
        v.description.as_deref(),
        &format!("A row of {} {} (read-only).", v.kind(), code(&v.name)),
    );
    let extra = g.extra_derives();
    let serde_crate = g.serde_crate_attr();
    let view = v.name.clone();
    let columns: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let n_columns = columns.len();
    let list = columns
        .iter()
        .map(|c| sql_ident(c).into_owned())
        .collect::<Vec<_>>()
        .join(", ");
    let from = view_name(v);
    let select = format!("SELECT {list} FROM {from}");
    let mut consts = vec![quote! {
        /// The view's SQL name.
        pub const VIEW: &str = #view;
        /// Every column's SQL name, in the order of the struct's fields.
        pub const COLUMNS: [&str; #n_columns] = [#(#columns),*];
        /// Every row.
        pub const SELECT: &str = #select;
    }];
    let mut methods = vec![quote! {
        /// Every row of the view.
        pub async fn select_all(
            client: &impl #rt::pg::Executor,
        ) -> ::core::result::Result<::std::vec::Vec<Self>, #rt::pg::Error> {
            Self::fetch(client, Self::SELECT, &[]).await
        }

        async fn fetch(
            client: &impl #rt::pg::Executor,
            sql: &str,
            params: &[#rt::pg::Param<'_>],
        ) -> ::core::result::Result<::std::vec::Vec<Self>, #rt::pg::Error> {
            let rows = #rt::pg::Executor::query_rows(client, sql, params).await?;
            let mut out = ::std::vec::Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(Self::try_from(row)?);
            }
            ::core::result::Result::Ok(out)
        }
    }];
    let key: Vec<(usize, &ViewField)> = v
        .key
        .iter()
        .filter_map(|k| fields.iter().enumerate().find(|(_, f)| f.name == *k))
        .collect();
    if !key.is_empty() && key.len() == v.key.len() {
        let cols: Vec<String> = key
            .iter()
            .map(|(_, f)| sql_ident(&f.name).into_owned())
            .collect();
        let cond = cols
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect::<Vec<_>>()
            .join(" AND ");
        let order = cols.join(", ");
        let n = cols.len();
        let params = (1..=n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let find = format!("{select} WHERE {cond}");
        let page = format!("{select} ORDER BY {order} LIMIT $1");
        let page_after = format!(
            "{select} WHERE ({order}) > ({params}) ORDER BY {order} LIMIT ${}",
            n + 1
        );
        consts.push(quote! {
            /// The row with these key values (`key:`), if any.
            pub const FIND: &str = #find;
            /// The first rows in key order (`$1` rows).
            pub const PAGE: &str = #page;
            /// The rows after the given key values, in key order.
            pub const PAGE_AFTER: &str = #page_after;
        });
        let args: Vec<_> = key.iter().map(|(i, _)| idents[*i].clone()).collect();
        let arg_types: Vec<TokenStream> = key
            .iter()
            .map(|(_, f)| {
                let mut c = as_column(f);
                c.nullable = false;
                g.column_type(&c)
            })
            .collect();
        let firsts: Vec<_> = key.iter().map(|(i, _)| &idents[*i]).collect();
        let first_key = &firsts;
        methods.push(quote! {
            /// The row with these values of the view's key, if any.
            pub async fn find(
                client: &impl #rt::pg::Executor,
                #(#args: &#arg_types),*
            ) -> ::core::result::Result<::core::option::Option<Self>, #rt::pg::Error> {
                ::core::result::Result::Ok(
                    Self::fetch(client, Self::FIND, &[#(#args),*]).await?.into_iter().next(),
                )
            }

            /// Up to `limit` rows in the order of the view's key, after the row `after` (from
            /// the start when `None`): pass the last row of one page to get the next.
            pub async fn page(
                client: &impl #rt::pg::Executor,
                after: ::core::option::Option<&Self>,
                limit: i64,
            ) -> ::core::result::Result<::std::vec::Vec<Self>, #rt::pg::Error> {
                match after {
                    ::core::option::Option::None => Self::fetch(client, Self::PAGE, &[&limit]).await,
                    ::core::option::Option::Some(row) => {
                        Self::fetch(client, Self::PAGE_AFTER, &[#(&row.#first_key,)* &limit]).await
                    }
                }
            }
        });
    }
    if v.materialized {
        let refresh = format!("REFRESH MATERIALIZED VIEW {from}");
        consts.push(quote! {
            /// Recomputes the materialized view's rows (readers wait).
            pub const REFRESH: &str = #refresh;
        });
        let concurrently = v.refreshes_concurrently();
        if concurrently {
            let c = format!("REFRESH MATERIALIZED VIEW CONCURRENTLY {from}");
            consts.push(quote! {
                /// Recomputes the rows without blocking readers (a unique index allows it; not
                /// inside a transaction block).
                pub const REFRESH_CONCURRENTLY: &str = #c;
            });
        }
        let sql = if concurrently {
            quote!(Self::REFRESH_CONCURRENTLY)
        } else {
            quote!(Self::REFRESH)
        };
        let doc = if concurrently {
            "Recomputes the materialized view's rows, concurrently (readers go on)."
        } else {
            "Recomputes the materialized view's rows."
        };
        methods.push(quote! {
            #[doc = #doc]
            pub async fn refresh(
                client: &impl #rt::pg::Executor,
            ) -> ::core::result::Result<(), #rt::pg::Error> {
                #rt::pg::Executor::execute_sql(client, #sql, &[]).await?;
                ::core::result::Result::Ok(())
            }
        });
    }
    let gets = fields.iter().zip(&idents).map(|(f, i)| {
        let n = &f.name;
        quote!(#i: #rt::pg::get(row, #name::VIEW, #n)?)
    });
    let pg = g.pg([
        quote! {
            impl ::core::convert::TryFrom<&#p::tokio_postgres::Row> for #name {
                type Error = #rt::FromRowError;
                /// Reads the columns by name.
                fn try_from(row: &#p::tokio_postgres::Row) -> ::core::result::Result<Self, Self::Error> {
                    ::core::result::Result::Ok(Self { #(#gets,)* })
                }
            }
        },
        quote! {
            impl #name {
                #(#methods)*
            }
        },
    ]);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #p::serde::Serialize, #p::serde::Deserialize #(, #extra)*)]
        #serde_crate
        pub struct #name {
            #(#docs #renames pub #idents: #types,)*
        }

        impl #name {
            #(#consts)*
        }

        #pg
    }
}

/// A view field as a nullable column, for the type mapping of table columns.
fn as_column(f: &ViewField) -> Column {
    Column {
        name: f.name.clone(),
        rust_name: f.name.clone(),
        ty: f.ty.clone().unwrap_or(crate::model::ColumnType {
            base: crate::model::BaseType::Text,
            array: false,
        }),
        nullable: true,
        default: None,
        identity: None,
        identity_options: None,
        backfill: None,
        generated: None,
        using: None,
        auto_update: false,
        soft_delete: false,
        json: f.json.clone(),
        collation: None,
        description: None,
        renamed_from: None,
        mixin: None,
        loc: Default::default(),
    }
}
