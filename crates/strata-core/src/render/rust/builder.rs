//! The constructor and setters of a `New…` insert struct.
//!
//! A struct whose every field can be left out derives `Default`; one with required fields (a
//! column that is NOT NULL and has no database default) gets `new(<required…>)`, so a value
//! cannot be built without them (the compiler checks it, as for a struct literal), and every
//! struct gets a consuming `with_<field>(value)` per optional field. A required value is never
//! a setter: there is no runtime "missing field" error to handle.

use super::Gen;
use super::names::{code, doc};
use crate::model::Column;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// One field of the insert struct: its column, identifier and type (the row struct's).
pub(super) struct NewField<'c> {
    pub column: &'c Column,
    pub ident: &'c Ident,
    /// The row struct's type of the column (`Option<T>` when nullable).
    pub ty: &'c TokenStream,
    /// Whether the database can fill the column (the field is an extra `Option`).
    pub optional: bool,
}

impl NewField<'_> {
    /// A value `new()` must be given: NOT NULL, and nothing the database fills.
    fn required(&self) -> bool {
        !self.optional && !self.column.nullable
    }
}

/// `impl NewX { pub fn new(…) -> Self; pub fn with_<field>(self, …) -> Self; … }`.
pub(super) fn builder_items(
    g: &Gen<'_>,
    table: &str,
    new_name: &Ident,
    fields: &[NewField<'_>],
    derives_default: bool,
) -> TokenStream {
    let constructor = (!derives_default).then(|| {
        let required: Vec<&NewField<'_>> = fields.iter().filter(|f| f.required()).collect();
        let args = required.iter().map(|f| {
            let (ident, ty) = (f.ident, f.ty);
            quote!(#ident: impl ::core::convert::Into<#ty>)
        });
        let inits = fields.iter().map(|f| {
            let ident = f.ident;
            if f.required() {
                quote!(#ident: #ident.into())
            } else {
                quote!(#ident: ::core::option::Option::None)
            }
        });
        let names = required
            .iter()
            .map(|f| code(&f.column.name))
            .collect::<Vec<_>>()
            .join(", ");
        let others = if required.len() < fields.len() {
            " Every other field is `None` (the database's default, or NULL); set them with \
             the `with_…` methods."
        } else {
            ""
        };
        let d = doc(
            &format!(
                "A new row of {} with the values it cannot do without ({names}: NOT NULL, no \
                 default).{others}",
                code(table)
            ),
            false,
        );
        // Clippy's limit; the arguments are the table's required columns, whatever their number.
        let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            #d
            #allow
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#inits,)*
                }
            }
        }
    });
    let setters = fields.iter().filter(|f| !f.required()).map(|f| {
        let ident = f.ident;
        let setter = g.ident(&format!("with_{}", f.column.rust_name), || {
            format!("the setter of column `{}.{}`", table, f.column.name)
        });
        let name = code(&f.column.name);
        if f.optional && f.column.nullable {
            // `Option<Option<T>>`: `Some(None)` writes NULL instead of the default.
            let ty = f.ty;
            let d = doc(
                &format!("Sets {name} (`None` writes NULL instead of the column's default)."),
                false,
            );
            quote! {
                #d
                pub fn #setter(mut self, #ident: #ty) -> Self {
                    self.#ident = ::core::option::Option::Some(#ident);
                    self
                }
            }
        } else {
            let mut inner = f.column.clone();
            inner.nullable = false;
            let ty = g.column_type(&inner);
            let d = doc(&format!("Sets {name}."), false);
            quote! {
                #d
                pub fn #setter(mut self, #ident: impl ::core::convert::Into<#ty>) -> Self {
                    self.#ident = ::core::option::Option::Some(#ident.into());
                    self
                }
            }
        }
    });
    let setters: Vec<TokenStream> = setters.collect();
    if constructor.is_none() && setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #new_name {
            #constructor
            #(#setters)*
        }
    }
}
