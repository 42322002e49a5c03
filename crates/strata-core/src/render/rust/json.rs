//! Typed JSON structures → serde structs.

use super::Gen;
use super::names::{code, doc_with};
use crate::model::{JsonField, JsonTy, JsonType, Schema};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

pub(super) fn json_items(g: &Gen<'_>) -> TokenStream {
    let items = g.schema.json_types.iter().map(|j| json_struct(g, j));
    quote!(#(#items)*)
}

fn json_struct(g: &Gen<'_>, j: &JsonType) -> TokenStream {
    let p = &g.p;
    let name = g.ident(&j.rust_name, || {
        format!("the Rust name of JSON structure `{}`", j.name)
    });
    let mut generated = format!("JSON structure {}.", code(&j.name));
    if j.extra {
        generated.push_str(" Keys it does not declare are kept in `extra`.");
    }
    let doc = doc_with(j.description.as_deref(), &generated);
    let skip_none = "::core::option::Option::is_none";
    let fields = j.fields.iter().map(|f| {
        let ident = g.ident(&f.rust_name, || {
            format!(
                "the Rust name of field `{}` of JSON structure `{}`",
                f.name, j.name
            )
        });
        let mut ty = g.json_type(&f.ty);
        if needs_box(g.schema, j, f) {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let key = &f.name;
        let rename = if *key == f.rust_name {
            TokenStream::new()
        } else {
            quote!(#[serde(rename = #key)])
        };
        let doc = doc_with(f.description.as_deref(), "");
        if f.optional {
            quote! {
                #doc
                #rename
                #[serde(default, skip_serializing_if = #skip_none)]
                pub #ident: ::core::option::Option<#ty>
            }
        } else {
            quote! {
                #doc
                #rename
                pub #ident: #ty
            }
        }
    });
    let extra = j.extra.then(|| {
        quote! {
            /// The keys not declared in the schema, kept so that no data is lost.
            #[serde(flatten)]
            pub extra: ::std::collections::BTreeMap<::std::string::String, #p::serde_json::Value>
        }
    });
    let derives = g.extra_derives();
    let serde_crate = g.serde_crate_attr();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #p::serde::Serialize, #p::serde::Deserialize #(, #derives)*)]
        #serde_crate
        pub struct #name {
            #(#fields,)*
            #extra
        }
    }
}

/// Whether the field holds its structure directly (not through an array or map) and that
/// structure holds this one directly again: such a field needs a `Box`, or the type would be
/// infinitely large.
fn needs_box(schema: &Schema, owner: &JsonType, field: &JsonField) -> bool {
    let JsonTy::Struct(target) = &field.ty else {
        return false;
    };
    let mut seen = BTreeSet::new();
    let mut stack = vec![target.as_str()];
    while let Some(name) = stack.pop() {
        if name == owner.name {
            return true;
        }
        if !seen.insert(name) {
            continue;
        }
        if let Some(j) = schema.json_type(name) {
            for f in &j.fields {
                if let JsonTy::Struct(next) = &f.ty {
                    stack.push(next);
                }
            }
        }
    }
    false
}
