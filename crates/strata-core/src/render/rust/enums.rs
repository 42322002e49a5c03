//! An enum type → a Rust enum whose variants read and write as the PostgreSQL labels.

use super::Gen;
use super::names::{code, doc_with};
use crate::model::Enum;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Derives every enum has; the schema's `derives` add to them (those already here, and
/// `Default`, which an enum cannot derive without choosing a variant, are left out).
const ENUM_DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Default",
];

pub(super) fn enum_items(g: &Gen<'_>, e: &Enum) -> TokenStream {
    let (rt, p) = (&g.rt, &g.p);
    let name = g.ident(&e.rust_name, || {
        format!("the Rust name of enum `{}`", e.name)
    });
    let doc = doc_with(
        e.description.as_deref(),
        &format!(
            "PostgreSQL enum type {}; each variant is its label in SQL and in serde. Ordered as \
             the type's values.",
            code(&e.name)
        ),
    );
    let variants = e
        .values
        .iter()
        .map(|v| {
            g.ident(&v.rust_name, || {
                format!("the Rust name of value `{}` of enum `{}`", v.name, e.name)
            })
        })
        .collect::<Vec<_>>();
    let labels = e.values.iter().map(|v| v.name.as_str()).collect::<Vec<_>>();
    let defs = e.values.iter().zip(&variants).map(|(v, ident)| {
        let doc = doc_with(v.description.as_deref(), &code(&v.name));
        let label = &v.name;
        let rename = if *label == v.rust_name {
            TokenStream::new()
        } else {
            quote!(#[serde(rename = #label)])
        };
        quote! {
            #doc
            #rename
            #ident
        }
    });
    let extra = g
        .extra_derives()
        .into_iter()
        .filter(|d| {
            d.segments
                .last()
                .is_none_or(|s| !ENUM_DERIVES.contains(&s.ident.to_string().as_str()))
        })
        .collect::<Vec<_>>();
    let serde_crate = g.serde_crate_attr();
    // PostgreSQL names a type by its name in its schema (`status` of `billing.status`).
    let (sql_schema, sql_name) = crate::model::split_qualified(&e.name);
    let schema_const = sql_schema.map(|s| {
        quote! {
            const SQL_SCHEMA: ::core::option::Option<&'static str> = ::core::option::Option::Some(#s);
        }
    });
    let n = Literal::usize_unsuffixed(variants.len());
    let pg = g.pg([quote!(#rt::__private::impl_pg_enum!(#name);)]);
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, #p::serde::Serialize, #p::serde::Deserialize #(, #extra)*)]
        #serde_crate
        pub enum #name {
            #(#defs,)*
        }

        impl #name {
            /// The PostgreSQL type's name.
            pub const SQL_NAME: &str = #sql_name;
            /// Every value, in the type's order.
            pub const ALL: [Self; #n] = [#(Self::#variants),*];

            /// The PostgreSQL label.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(Self::#variants => #labels,)*
                }
            }
        }

        impl #rt::Enum for #name {
            const SQL_NAME: &'static str = #name::SQL_NAME;
            #schema_const
            const ALL: &'static [Self] = &#name::ALL;

            fn as_str(self) -> &'static str {
                #name::as_str(self)
            }
        }

        #pg
    }
}
