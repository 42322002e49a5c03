//! A keyed table's `…Patch` struct: one `Option` field per column an UPDATE can set, and the
//! method that writes only the fields that are `Some`.

use super::Gen;
use super::names::{code, doc};
use super::statements::Statements;
use crate::model::Table;
use crate::render::sql::ident as sql_ident;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The name of the patch struct of a table.
pub(super) fn patch_name(t: &Table) -> String {
    format!("{}Patch", t.rust_name)
}

/// Whether a column of the table travels in another type (text-form types, domains): the
/// patch's statement then writes casts after the parameters and reads such columns back as
/// text.
pub(super) fn transported(g: &Gen<'_>, t: &Table) -> bool {
    t.columns
        .iter()
        .any(|c| g.schema.transport_type(&c.ty).is_some())
}

/// Whether the table has a patch struct: it has a primary key and a column to set.
fn has_patch(_g: &Gen<'_>, _t: &Table, st: &Statements<'_>) -> bool {
    !st.key.is_empty() && !st.update_columns.is_empty()
}

/// `pub struct OwnerPatch { … }` (always; only plain types, so no feature is needed).
pub(super) fn patch_struct(g: &Gen<'_>, t: &Table, st: &Statements<'_>) -> TokenStream {
    if !has_patch(g, t, st) {
        return TokenStream::new();
    }
    let name = g.ident(&patch_name(t), || {
        format!("the patch struct of table `{}`", t.name)
    });
    let fields = st.update_columns.iter().map(|c| {
        let ident = g.ident(&c.rust_name, || {
            format!("the Rust name of column `{}.{}`", t.name, c.name)
        });
        let ty = g.column_type(c);
        let d = doc(
            &if c.nullable {
                format!(
                    "{}: `None` leaves it, `Some(None)` writes NULL.",
                    code(&c.name)
                )
            } else {
                format!("{}: `None` leaves it.", code(&c.name))
            },
            false,
        );
        quote! {
            #d
            pub #ident: ::core::option::Option<#ty>
        }
    });
    let d = doc(
        &format!(
            "Changes to a row of table {}: only the fields that are `Some` are written (`patch` \
             of the row struct). Columns the database keeps current on UPDATE (`AUTO_UPDATED`) \
             are set by its trigger, also for an empty patch.",
            code(&t.name)
        ),
        false,
    );
    quote! {
        #d
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields,)*
        }
    }
}

/// The row struct's `patch(client, key…, &patch)`, for the pg `impl`.
pub(super) fn patch_method(
    g: &Gen<'_>,
    t: &Table,
    _row: &Ident,
    st: &Statements<'_>,
    take: &mut dyn FnMut(&str) -> String,
) -> Option<TokenStream> {
    if !has_patch(g, t, st) {
        return None;
    }
    let rt = &g.rt;
    let name = g.ident(&patch_name(t), || {
        format!("the patch struct of table `{}`", t.name)
    });
    let method = g.ident(&take("patch"), || "the patch method".into());
    let table_sql = crate::render::sql::relation(&t.name);
    let key_sql: Vec<String> = st
        .key
        .iter()
        .map(|c| sql_ident(&c.name).into_owned())
        .collect();
    let key_args: Vec<Ident> = st.key.iter().map(|c| super::queries::arg(c)).collect();
    let key_tys: Vec<TokenStream> = st.key.iter().map(|c| g.arg_type(c)).collect();
    let set = st.update_columns.iter().map(|c| {
        let quoted = sql_ident(&c.name).into_owned();
        let ident = g.ident(&c.rust_name, || format!("column `{}`", c.name));
        quote!((#quoted, #rt::pg::opt(&patch.#ident)))
    });
    let call = if transported(g, t) {
        let cast = |c: &crate::model::Column| super::statements::param_cast(g.schema, c);
        let set = st.update_columns.iter().map(|c| {
            let quoted = sql_ident(&c.name).into_owned();
            let ident = g.ident(&c.rust_name, || format!("column `{}`", c.name));
            let k = cast(c);
            quote!((#quoted, #k, #rt::pg::opt(&patch.#ident)))
        });
        let keys = st.key.iter().map(|c| {
            let quoted = sql_ident(&c.name).into_owned();
            let k = cast(c);
            quote!((#quoted, #k))
        });
        let returning = &st.returning;
        quote! {
            #rt::pg::patch_cast(
                client,
                #table_sql,
                &[#(#set),*],
                &[#(#keys),*],
                &[#(&#key_args),*],
                #returning,
            )
            .await
        }
    } else {
        quote! {
            #rt::pg::patch(
                client,
                #table_sql,
                &[#(#set),*],
                &[#(#key_sql),*],
                &[#(&#key_args),*],
            )
            .await
        }
    };
    Some(quote! {
        /// Writes the fields of `patch` that are `Some` to the row with this primary key and
        /// returns the row as stored, or `None` when no row has the key.
        pub async fn #method(
            client: &impl #rt::pg::Executor,
            #(#key_args: &#key_tys,)*
            patch: &#name,
        ) -> ::core::result::Result<::core::option::Option<Self>, #rt::pg::Error> {
            #call
        }
    })
}
