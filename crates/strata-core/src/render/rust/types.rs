//! Column and JSON types → Rust types, every path fully qualified.

use super::Gen;
use crate::model::{BaseType, Column, JsonTy};
use proc_macro2::TokenStream;
use quote::quote;

impl Gen<'_> {
    /// The type of a column's field in the row struct: the element type, `Vec` for an array,
    /// `Option` when nullable.
    pub(super) fn column_type(&self, c: &Column) -> TokenStream {
        let mut ty = self.element_type(c);
        if self.schema.underlying(&c.ty).array {
            ty = quote!(::std::vec::Vec<#ty>);
        }
        if c.nullable {
            ty = quote!(::core::option::Option<#ty>);
        }
        ty
    }

    /// The type of one value of the column (an array's element).
    fn element_type(&self, c: &Column) -> TokenStream {
        let (rt, p) = (&self.rt, &self.p);
        match &self.schema.underlying(&c.ty).base {
            BaseType::Uuid => quote!(#p::uuid::Uuid),
            // Types without a binary codec travel as text (see `Schema::transport_type`).
            BaseType::Text
            | BaseType::Varchar(_)
            | BaseType::Char(_)
            | BaseType::Bit(_)
            | BaseType::Varbit(_)
            | BaseType::Named(_) => {
                quote!(::std::string::String)
            }
            BaseType::SmallInt => quote!(i16),
            BaseType::Integer => quote!(i32),
            BaseType::BigInt => quote!(i64),
            BaseType::Oid => quote!(u32),
            BaseType::Real => quote!(f32),
            BaseType::Double => quote!(f64),
            BaseType::Numeric(_) => quote!(#p::rust_decimal::Decimal),
            BaseType::Boolean => quote!(bool),
            BaseType::Date => quote!(#p::chrono::NaiveDate),
            BaseType::Time(_) => quote!(#p::chrono::NaiveTime),
            BaseType::Timestamp(_) => quote!(#p::chrono::NaiveDateTime),
            BaseType::Timestamptz(_) => quote!(#p::chrono::DateTime<#p::chrono::Utc>),
            BaseType::Interval(..) => quote!(#rt::Interval),
            BaseType::Json | BaseType::Jsonb => match &c.json {
                Some(j) => {
                    let inner = self.json_type(j);
                    quote!(#rt::Json<#inner>)
                }
                None => quote!(#p::serde_json::Value),
            },
            BaseType::Bytea => quote!(::std::vec::Vec<u8>),
            BaseType::Inet => quote!(::std::net::IpAddr),
            BaseType::Domain(name) => {
                self.error(format!(
                    "column `{}` has the unknown domain type `{name}`",
                    c.name
                ));
                quote!(())
            }
            BaseType::Enum(name) => match self.schema.enum_(name) {
                Some(e) => {
                    let i = self.ident(&e.rust_name, || format!("enum `{name}`"));
                    quote!(#i)
                }
                None => {
                    self.error(format!(
                        "column `{}` has the unknown enum type `{name}`",
                        c.name
                    ));
                    quote!(())
                }
            },
        }
    }

    /// The Rust type of a JSON field or typed JSON column.
    pub(super) fn json_type(&self, ty: &JsonTy) -> TokenStream {
        let p = &self.p;
        match ty {
            JsonTy::String => quote!(::std::string::String),
            JsonTy::Integer => quote!(i64),
            JsonTy::Number => quote!(f64),
            JsonTy::Boolean => quote!(bool),
            JsonTy::Any => quote!(#p::serde_json::Value),
            JsonTy::Struct(name) => match self.schema.json_type(name) {
                Some(j) => {
                    let i = self.ident(&j.rust_name, || format!("JSON structure `{name}`"));
                    quote!(#i)
                }
                None => {
                    self.error(format!("unknown JSON structure `{name}`"));
                    quote!(())
                }
            },
            JsonTy::Array(t) => {
                let t = self.json_type(t);
                quote!(::std::vec::Vec<#t>)
            }
            JsonTy::Map(t) => {
                let t = self.json_type(t);
                quote!(::std::collections::BTreeMap<::std::string::String, #t>)
            }
        }
    }
}
