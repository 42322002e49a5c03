//! A typed wrapper per SQL function and procedure: `call_<key>(client, args…)`.
//!
//! Arguments and results are mapped as columns are (`integer` → `i32`, `text` → `&str`, an
//! enum → its Rust enum); a scalar result is an `Option` (any function may return NULL), a
//! `setof` result a `Vec`, `setof <table>` the table's row struct, a `table` result or OUT
//! arguments a row struct of their own (`<Key>Row`, every field an `Option`). A function whose
//! signature has a type Rust does not carry this way (a pseudo-type such as `trigger` or
//! `record`, a type sent as text, a table whose row needs casts) gets no wrapper, nor does a
//! key that is not a snake_case word.

use super::Gen;
use super::names;
use crate::model::{ArgMode, Argument, Column, ColumnType, Function, Returns, RoutineKind};
use crate::render::sql;
use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// A column standing for an argument or result value, so it maps as a column would.
fn value(g: &Gen<'_>, name: &str, ty: &str) -> Option<Column> {
    let schema = g.schema;
    let ty = ColumnType::parse_with(
        ty,
        |n| schema.enum_(n).is_some(),
        |n| schema.domain(n).is_some(),
    )
    .ok()?;
    if schema.transport_type(&ty).is_some() {
        return None;
    }
    Some(Column {
        name: name.to_string(),
        rust_name: name.to_string(),
        ty,
        nullable: false,
        default: None,
        identity: None,
        identity_options: None,
        backfill: None,
        generated: None,
        using: None,
        auto_update: false,
        soft_delete: false,
        json: None,
        collation: None,
        description: None,
        renamed_from: None,
        mixin: None,
        loc: Default::default(),
    })
}

fn field_ident(name: &str, i: usize) -> Ident {
    let snake = name.to_snake_case();
    match names::ident_or_error(&snake) {
        Ok(id) if !snake.is_empty() => id,
        _ => format_ident!("value{}", i + 1),
    }
}

/// Every wrapper of the schema, behind the tokio-postgres setting.
pub(super) fn function_items(g: &Gen<'_>) -> TokenStream {
    let items: Vec<TokenStream> = g
        .schema
        .functions
        .iter()
        .filter_map(|f| wrapper(g, f))
        .collect();
    if items.is_empty() {
        return TokenStream::new();
    }
    let items = items.into_iter().map(|i| g.pg([i]));
    quote!(#(#items)*)
}

fn wrapper(g: &Gen<'_>, f: &Function) -> Option<TokenStream> {
    let rt = &g.rt;
    if f.returns.as_ref().is_some_and(Returns::is_trigger) {
        return None;
    }
    if f.kind == RoutineKind::Procedure && f.arguments.iter().any(|a| a.mode.is_output()) {
        return None;
    }
    let key = f.key.to_snake_case();
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let method = format_ident!("call_{key}");
    let inputs: Vec<&Argument> = f.arguments.iter().filter(|a| a.mode.is_input()).collect();
    let mut params = Vec::new();
    let mut idents = Vec::new();
    for (i, a) in inputs.iter().enumerate() {
        let ident = field_ident(a.name.as_deref().unwrap_or(""), i);
        let col = value(g, &ident.to_string(), &a.ty)?;
        let ty = if a.mode == ArgMode::Variadic {
            g.column_type(&col)
        } else {
            g.arg_type(&col)
        };
        params.push(quote!(#ident: &#ty));
        idents.push(ident);
    }
    let sql_text = sql::call_statement(f);
    let mut doc = format!("Calls `{}`", f.signature());
    if let Some(d) = &f.description {
        doc.push_str(": ");
        doc.push_str(d);
    }
    doc.push_str(&format!("\n\n```sql\n{sql_text}\n```"));
    let doc = names::doc(&doc, false);
    let exec = quote!(&impl #rt::pg::Executor);
    let result = |ty: TokenStream| quote!(::core::result::Result<#ty, #rt::pg::Error>);
    let args = quote!(&[#(&#idents as #rt::pg::Param<'_>),*]);
    // A row struct for `table` results and OUT arguments.
    let row_columns: Option<Vec<(String, String)>> = match &f.returns {
        Some(Returns::Table(cols)) => Some(cols.clone()),
        _ if f.arguments.iter().any(|a| a.mode.is_output()) => Some(
            f.arguments
                .iter()
                .filter(|a| a.mode.is_output())
                .map(|a| (a.name.clone().unwrap_or_default(), a.ty.clone()))
                .collect(),
        ),
        _ => None,
    };
    if f.kind == RoutineKind::Procedure {
        let ret = result(quote!(()));
        return Some(quote! {
            #doc
            pub async fn #method(client: #exec, #(#params),*) -> #ret {
                #rt::pg::execute(client, #sql_text, #args).await.map(|_| ())
            }
        });
    }
    if let Some(cols) = row_columns {
        let row = format_ident!("{}Row", f.key.to_upper_camel_case());
        let mut fields = Vec::new();
        let mut reads = Vec::new();
        for (i, (n, t)) in cols.iter().enumerate() {
            let ident = field_ident(n, i);
            let mut col = value(g, n, t)?;
            col.nullable = true;
            let ty = g.column_type(&col);
            fields.push(quote!(pub #ident: #ty));
            let idx = i;
            reads.push(quote!(#ident: row.try_get(#idx)?));
        }
        let row_doc = names::doc(&format!("A row of `{}`.", f.signature()), false);
        let set = matches!(f.returns, Some(Returns::Table(_) | Returns::SetOf(_)));
        let (ret, tail) = if set {
            (
                result(quote!(::std::vec::Vec<#row>)),
                quote!(rows.iter().map(|row| Ok(#row { #(#reads),* })).collect()),
            )
        } else {
            (
                result(quote!(#row)),
                quote! {
                    match rows.first() {
                        Some(row) => Ok(#row { #(#reads),* }),
                        None => Err(#rt::pg::Error::NoRow),
                    }
                },
            )
        };
        return Some(quote! {
            #row_doc
            #[derive(Debug, Clone, PartialEq)]
            pub struct #row { #(#fields),* }
            #doc
            pub async fn #method(client: #exec, #(#params),*) -> #ret {
                let rows = client.query_rows(#sql_text, #args).await?;
                #tail
            }
        });
    }
    match &f.returns {
        Some(Returns::SetOf(t)) => {
            if let Some(table) = g.schema.table(t) {
                if super::patch::transported(g, table) {
                    return None;
                }
                let name = g.ident(&table.rust_name, || format!("table `{}`", table.name));
                let ret = result(quote!(::std::vec::Vec<#name>));
                return Some(quote! {
                    #doc
                    pub async fn #method(client: #exec, #(#params),*) -> #ret {
                        #rt::pg::fetch_all(client, #sql_text, #args).await
                    }
                });
            }
            let col = value(g, "value", t)?;
            let ty = g.column_type(&col);
            let ret = result(quote!(::std::vec::Vec<#ty>));
            Some(quote! {
                #doc
                pub async fn #method(client: #exec, #(#params),*) -> #ret {
                    let rows = client.query_rows(#sql_text, #args).await?;
                    Ok(rows.iter().map(|row| row.try_get(0)).collect::<::core::result::Result<_, _>>()?)
                }
            })
        }
        Some(Returns::Type(t)) if t == "void" => {
            let ret = result(quote!(()));
            Some(quote! {
                #doc
                pub async fn #method(client: #exec, #(#params),*) -> #ret {
                    client.query_rows(#sql_text, #args).await?;
                    Ok(())
                }
            })
        }
        Some(Returns::Type(t)) => {
            let mut col = value(g, "value", t)?;
            col.nullable = true;
            let ty = g.column_type(&col);
            let ret = result(ty);
            Some(quote! {
                #doc
                pub async fn #method(client: #exec, #(#params),*) -> #ret {
                    let rows = client.query_rows(#sql_text, #args).await?;
                    match rows.first() {
                        Some(row) => Ok(row.try_get(0)?),
                        None => Err(#rt::pg::Error::NoRow),
                    }
                }
            })
        }
        _ => None,
    }
}
