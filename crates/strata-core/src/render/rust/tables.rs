//! A table's items: the row struct with its constants, the `New…` insert struct, the runtime
//! trait impls, and the tokio-postgres support.

use super::Gen;
use super::names::{code, doc, doc_with};
use super::statements::{Statements, statements};
use crate::model::{Column, Default, Identity, Literal as SqlLiteral, Table};
use crate::render::sql::ident as sql_ident;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// `TABLES`: every table's SQL name, parents before children.
pub(super) fn tables_const(g: &Gen<'_>) -> TokenStream {
    let order = crate::render::sql::table_order(g.schema);
    let names = order
        .tables
        .iter()
        .map(|&i| g.schema.tables[i].name.as_str())
        .collect::<Vec<_>>();
    let n = Literal::usize_unsuffixed(names.len());
    let doc = doc(
        "The SQL names of the tables, each after the tables its foreign keys reference (the order \
         of `schema.sql`): inserting rows table by table in this order meets every foreign key \
         whose parent row exists, and deleting in the reverse order removes children first.",
        false,
    );
    quote! {
        #doc
        pub const TABLES: [&str; #n] = [#(#names),*];
    }
}

pub(super) fn table_items(g: &Gen<'_>, t: &Table) -> TokenStream {
    let name = g.ident(&t.rust_name, || {
        format!("the Rust name of table `{}`", t.name)
    });
    let new_name = g.ident(&format!("New{}", t.rust_name), || {
        format!("the insert struct of table `{}`", t.name)
    });
    let st = statements(g.schema, t);
    let fields = t.columns.iter().map(|c| field(g, t, c)).collect::<Vec<_>>();
    let row = row_struct(g, t, &name, &fields);
    let consts = consts(g, t, &name, &new_name, &st);
    let pg_row = pg_row(g, &name, &fields, &st);
    let new = new_struct(g, t, &name, &new_name, &fields, &st);
    let queries = super::queries::query_items(g, t, &name, &new_name, &st);
    let patch = super::patch::patch_struct(g, t, &st);
    let constraints = super::constraints::constraint_items(g, t, &name);
    quote! {
        #row
        #consts
        #pg_row
        #new
        #queries
        #patch
        #constraints
    }
}

/// A column's field: its identifier and type.
struct Field<'c> {
    column: &'c Column,
    ident: Ident,
    ty: TokenStream,
}

fn field<'c>(g: &Gen<'_>, t: &Table, c: &'c Column) -> Field<'c> {
    Field {
        column: c,
        ident: g.ident(&c.rust_name, || {
            format!("the Rust name of column `{}.{}`", t.name, c.name)
        }),
        ty: g.column_type(c),
    }
}

fn field_of<'f, 'c>(fields: &'f [Field<'c>], c: &Column) -> &'f Field<'c> {
    // Every column has a field (`fields` is built from `t.columns`).
    fields
        .iter()
        .find(|f| f.column.name == c.name)
        .unwrap_or(&fields[0])
}

fn rename(c: &Column) -> TokenStream {
    if c.name == c.rust_name {
        TokenStream::new()
    } else {
        let n = &c.name;
        quote!(#[serde(rename = #n)])
    }
}

/// `varchar(255)`, nullable, default `now()`.
fn column_summary(c: &Column) -> String {
    let mut s = code(&c.ty.to_string());
    if c.nullable {
        s.push_str(", nullable");
    }
    if let Some(d) = default_text(c) {
        s.push_str(&format!(", default {d}"));
    }
    if c.auto_update {
        s.push_str(", set by the database on every UPDATE");
    }
    s
}

/// The database's value for an omitted column, for docs.
fn default_text(c: &Column) -> Option<String> {
    match (&c.default, c.identity) {
        (Some(Default::Sql(e)), _) => Some(code(e)),
        (Some(Default::Literal(l)), _) => Some(code(&match l {
            SqlLiteral::String(s) => format!("'{s}'"),
            SqlLiteral::Integer(i) => i.to_string(),
            SqlLiteral::Number(n) => n.clone(),
            SqlLiteral::Bool(b) => b.to_string(),
            SqlLiteral::Json(v) => v.to_string(),
        })),
        (None, Some(Identity::Always)) => Some("identity (always generated)".into()),
        (None, Some(Identity::ByDefault)) => Some("identity".into()),
        (None, None) => None,
    }
}

fn derives(g: &Gen<'_>) -> TokenStream {
    let p = &g.p;
    let extra = g.extra_derives();
    quote!(#[derive(Debug, Clone, PartialEq, #p::serde::Serialize, #p::serde::Deserialize #(, #extra)*)])
}

fn row_struct(g: &Gen<'_>, t: &Table, name: &Ident, fields: &[Field<'_>]) -> TokenStream {
    let doc = doc_with(
        t.description.as_deref(),
        &format!(
            "A row of table {}. Read it with `TryFrom<&Row>` (feature `postgres`).",
            code(&t.name)
        ),
    );
    let derives = derives(g);
    let serde_crate = g.serde_crate_attr();
    let fields = fields.iter().map(|f| {
        let doc = doc_with(f.column.description.as_deref(), &column_summary(f.column));
        let rename = rename(f.column);
        let (ident, ty) = (&f.ident, &f.ty);
        quote! {
            #doc
            #rename
            pub #ident: #ty
        }
    });
    quote! {
        #doc
        #derives
        #serde_crate
        pub struct #name {
            #(#fields,)*
        }
    }
}

fn consts(
    g: &Gen<'_>,
    t: &Table,
    name: &Ident,
    new_name: &Ident,
    st: &Statements<'_>,
) -> TokenStream {
    let rt = &g.rt;
    let table = &t.name;
    let columns = t
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>();
    let n_columns = Literal::usize_unsuffixed(columns.len());
    let key = st.key.iter().map(|c| c.name.as_str()).collect::<Vec<_>>();
    let n_key = Literal::usize_unsuffixed(key.len());
    let auto = t
        .auto_update_columns()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>();
    let n_auto = Literal::usize_unsuffixed(auto.len());
    let Statements {
        select,
        select_by_pk,
        insert,
        update_by_pk,
        delete_by_pk,
        ..
    } = st;
    let keyed = !st.key.is_empty();
    let key_consts = keyed.then(|| {
        quote! {
            /// The primary-key columns, in key order.
            pub const PRIMARY_KEY: [&str; #n_key] = [#(#key),*];
            /// The row with a primary key; parameters: `pk_params()`.
            pub const SELECT_BY_PK: &str = #select_by_pk;
            /// Writes every column but the key, identity `ALWAYS` columns and
            /// `AUTO_UPDATED`, returning the row; parameters: `update_params()`.
            pub const UPDATE_BY_PK: &str = #update_by_pk;
            /// Deletes the row with a primary key; parameters: `pk_params()`.
            pub const DELETE_BY_PK: &str = #delete_by_pk;
        }
    });
    let keyed_impl = keyed.then(|| {
        quote! {
            impl #rt::Keyed for #name {
                const PRIMARY_KEY: &'static [&'static str] = &#name::PRIMARY_KEY;
                const SELECT_BY_PK: &'static str = #name::SELECT_BY_PK;
                const UPDATE_BY_PK: &'static str = #name::UPDATE_BY_PK;
                const DELETE_BY_PK: &'static str = #name::DELETE_BY_PK;
            }
        }
    });
    quote! {
        impl #name {
            /// The table's SQL name.
            pub const TABLE: &str = #table;
            /// The SQL names of the columns, in the order of the fields.
            pub const COLUMNS: [&str; #n_columns] = [#(#columns),*];
            /// The columns the database sets on every UPDATE.
            pub const AUTO_UPDATED: [&str; #n_auto] = [#(#auto),*];
            /// Every column of every row.
            pub const SELECT: &str = #select;
            /// Inserts every column of the insert struct, returning the row; parameters:
            /// `insert_params()` of a value whose optional fields are all `Some` (otherwise use
            /// `insert_sql()`).
            pub const INSERT: &str = #insert;
            #key_consts
        }

        impl #rt::Table for #name {
            type New = #new_name;
            const TABLE: &'static str = #name::TABLE;
            const COLUMNS: &'static [&'static str] = &#name::COLUMNS;
            const AUTO_UPDATED: &'static [&'static str] = &#name::AUTO_UPDATED;
            const SELECT: &'static str = #name::SELECT;
            const INSERT: &'static str = #name::INSERT;
            const QUERIES: &'static [#rt::Query] = &#name::QUERIES;
        }

        #keyed_impl
    }
}

fn pg_row(g: &Gen<'_>, name: &Ident, fields: &[Field<'_>], st: &Statements<'_>) -> TokenStream {
    let (rt, p) = (&g.rt, &g.p);
    let key = st
        .key
        .iter()
        .map(|c| &field_of(fields, c).ident)
        .collect::<Vec<_>>();
    let n_key = Literal::usize_unsuffixed(key.len());
    let update = st
        .update_columns
        .iter()
        .map(|c| &field_of(fields, c).ident)
        .chain(key.iter().copied())
        .collect::<Vec<_>>();
    let n_update = Literal::usize_unsuffixed(update.len());
    let reads = fields.iter().map(|f| {
        let (ident, column) = (&f.ident, &f.column.name);
        quote!(#ident: #rt::pg::get(row, #name::TABLE, #column)?)
    });
    let keyed = !st.key.is_empty();
    let params = keyed.then(|| {
        quote! {
            impl #name {
                /// The parameters of `SELECT_BY_PK` and `DELETE_BY_PK`: the primary key.
                pub fn pk_params(&self) -> [#rt::pg::Param<'_>; #n_key] {
                    [#(&self.#key),*]
                }

                /// The parameters of `UPDATE_BY_PK`: the columns it sets, then the primary key.
                pub fn update_params(&self) -> [#rt::pg::Param<'_>; #n_update] {
                    [#(&self.#update),*]
                }
            }
        }
    });
    let from_row = quote! {
        impl ::core::convert::TryFrom<&#p::tokio_postgres::Row> for #name {
            type Error = #rt::FromRowError;

            /// Reads the columns by name, so `SELECT` and `RETURNING *` rows both fit.
            fn try_from(row: &#p::tokio_postgres::Row) -> ::core::result::Result<Self, Self::Error> {
                ::core::result::Result::Ok(Self {
                    #(#reads,)*
                })
            }
        }
    };
    let pg_keyed = keyed.then(|| {
        quote! {
            impl #rt::pg::PgKeyed for #name {
                fn pk_params(&self) -> ::std::vec::Vec<#rt::pg::Param<'_>> {
                    #name::pk_params(self).to_vec()
                }

                fn update_params(&self) -> ::std::vec::Vec<#rt::pg::Param<'_>> {
                    #name::update_params(self).to_vec()
                }
            }
        }
    });
    let pg_table = quote! {
        impl #rt::pg::PgTable for #name {}
    };
    // Each item under its own feature gate.
    params
        .into_iter()
        .chain([from_row, pg_table])
        .chain(pg_keyed)
        .map(|item| g.pg([item]))
        .collect()
}

/// Whether the insert struct's field is optional: the database can fill the column.
fn optional(c: &Column) -> bool {
    c.has_database_value()
}

fn new_struct(
    g: &Gen<'_>,
    t: &Table,
    name: &Ident,
    new_name: &Ident,
    fields: &[Field<'_>],
    st: &Statements<'_>,
) -> TokenStream {
    let rt = &g.rt;
    let private = g.serde_crate.trim_end_matches("::serde");
    let double_option = format!("{private}::double_option");
    let skip_none = "::core::option::Option::is_none";
    let cols = st
        .insert_columns
        .iter()
        .map(|c| field_of(fields, c))
        .collect::<Vec<_>>();
    let defs = cols.iter().map(|f| {
        let c = f.column;
        let rename = rename(c);
        let (ident, ty) = (&f.ident, &f.ty);
        if optional(c) {
            let default = default_text(c).unwrap_or_default();
            let generated = if c.nullable {
                format!(
                    "`None` leaves the column to the database ({default}); `Some(None)` writes NULL."
                )
            } else {
                format!("`None` leaves the column to the database ({default}).")
            };
            let doc = doc_with(c.description.as_deref(), &generated);
            let serde = if c.nullable {
                quote!(#[serde(default, skip_serializing_if = #skip_none, with = #double_option)])
            } else {
                quote!(#[serde(default, skip_serializing_if = #skip_none)])
            };
            quote! {
                #doc
                #rename
                #serde
                pub #ident: ::core::option::Option<#ty>
            }
        } else {
            let doc = doc_with(c.description.as_deref(), "");
            quote! {
                #doc
                #rename
                pub #ident: #ty
            }
        }
    });
    let left_out = t
        .columns
        .iter()
        .filter(|c| !super::statements::insertable(c))
        .map(|c| code(&c.name))
        .collect::<Vec<_>>();
    let mut struct_doc = format!(
        "The values of a new row of table {} (insert with `insert_sql()` and `insert_params()`, \
         which return the row as stored).",
        code(&t.name)
    );
    if cols.iter().any(|f| optional(f.column)) {
        struct_doc.push_str(" A `None` leaves its column to the database's default.");
    }
    if !left_out.is_empty() {
        struct_doc.push_str(&format!(
            " Always generated by the database: {}.",
            left_out.join(", ")
        ));
    }
    let doc = doc(&struct_doc, false);
    let derives = derives(g);
    // Every field can be left to the database or NULL: `NewX::default()` is a row of
    // defaults.
    let derives_default = cols.iter().all(|f| optional(f.column) || f.column.nullable);
    let default = derives_default.then(|| quote!(#[derive(Default)]));
    let builder_fields: Vec<super::builder::NewField<'_>> = cols
        .iter()
        .map(|f| super::builder::NewField {
            column: f.column,
            ident: &f.ident,
            ty: &f.ty,
            optional: optional(f.column),
        })
        .collect();
    let builder =
        super::builder::builder_items(g, &t.name, new_name, &builder_fields, derives_default);
    let serde_crate = g.serde_crate_attr();

    let table_sql = crate::render::sql::relation(&t.name);
    let casts = st.returning != "*";
    let insert_sql = if cols.iter().any(|f| optional(f.column)) && casts {
        // Some column travels in another type: each value has its casts, and RETURNING lists
        // the columns.
        let provided = cols.iter().zip(&st.param_casts).map(|(f, cast)| {
            let quoted = sql_ident(&f.column.name).into_owned();
            let ident = &f.ident;
            if optional(f.column) {
                quote!((#quoted, #cast, self.#ident.is_some()))
            } else {
                quote!((#quoted, #cast, true))
            }
        });
        let returning = &st.returning;
        quote!(#rt::sql::insert_provided_cast(#name::INSERT, #table_sql, &[#(#provided),*], #returning))
    } else if cols.iter().any(|f| optional(f.column)) {
        let provided = cols.iter().map(|f| {
            let quoted = sql_ident(&f.column.name).into_owned();
            let ident = &f.ident;
            if optional(f.column) {
                quote!((#quoted, self.#ident.is_some()))
            } else {
                quote!((#quoted, true))
            }
        });
        quote!(#rt::sql::insert_provided(#name::INSERT, #table_sql, &[#(#provided),*]))
    } else {
        quote!(::std::borrow::Cow::Borrowed(#name::INSERT))
    };
    let n = Literal::usize_unsuffixed(cols.len());
    // A column Rust sends in another type: the statements built at run time need its casts
    // and a RETURNING list that reads it back in that type.
    let cast_items = casts.then(|| {
        let returning = &st.returning;
        let binary = !cols
            .iter()
            .any(|f| g.schema.underlying(&f.column.ty).base.is_text_form());
        let provided = cols.iter().zip(&st.param_casts).map(|(f, cast)| {
            let ident = &f.ident;
            if optional(f.column) {
                quote!((#cast, self.#ident.is_some()))
            } else {
                quote!((#cast, true))
            }
        });
        quote! {
            const RETURNING: &'static str = #returning;

            const BINARY_COPY: bool = #binary;

            fn insert_casts(&self) -> ::std::vec::Vec<&'static str> {
                let casts: [(&'static str, bool); #n] = [#(#provided),*];
                casts.into_iter().filter(|c| c.1).map(|c| c.0).collect()
            }
        }
    });
    let insert_columns = if cols.iter().any(|f| optional(f.column)) {
        let provided = cols.iter().map(|f| {
            let quoted = sql_ident(&f.column.name).into_owned();
            let ident = &f.ident;
            if optional(f.column) {
                quote!((#quoted, self.#ident.is_some()))
            } else {
                quote!((#quoted, true))
            }
        });
        quote! {
            let columns: [(&'static str, bool); #n] = [#(#provided),*];
            columns.into_iter().filter(|c| c.1).map(|c| c.0).collect()
        }
    } else {
        let quoted = cols.iter().map(|f| sql_ident(&f.column.name).into_owned());
        quote!(::std::vec![#(#quoted),*])
    };
    let params = if cols.iter().any(|f| optional(f.column)) {
        let items = cols.iter().map(|f| {
            let ident = &f.ident;
            if optional(f.column) {
                quote!(#rt::pg::opt(&self.#ident))
            } else {
                quote!(::core::option::Option::Some(&self.#ident))
            }
        });
        quote! {
            let params: [::core::option::Option<#rt::pg::Param<'_>>; #n] = [#(#items),*];
            params.into_iter().flatten().collect()
        }
    } else {
        let items = cols.iter().map(|f| &f.ident);
        quote! {
            let params: [#rt::pg::Param<'_>; #n] = [#(&self.#items),*];
            params.to_vec()
        }
    };
    let pg = g.pg([
        quote! {
            impl #new_name {
                /// The parameters of `insert_sql()`: the provided columns, in table order.
                pub fn insert_params(&self) -> ::std::vec::Vec<#rt::pg::Param<'_>> {
                    #params
                }
            }
        },
        quote! {
            impl #rt::pg::PgInsert for #new_name {
                fn insert_params(&self) -> ::std::vec::Vec<#rt::pg::Param<'_>> {
                    #new_name::insert_params(self)
                }
            }
        },
    ]);
    quote! {
        #doc
        #derives
        #default
        #serde_crate
        pub struct #new_name {
            #(#defs,)*
        }

        #builder

        impl #new_name {
            /// The INSERT of this value: `INSERT` when every optional field is `Some`, else a
            /// statement that lists only the provided columns, so the others get their defaults.
            pub fn insert_sql(&self) -> ::std::borrow::Cow<'static, str> {
                #insert_sql
            }
        }

        impl #rt::Insert for #new_name {
            type Table = #name;

            const QUOTED_TABLE: &'static str = #table_sql;

            fn insert_sql(&self) -> ::std::borrow::Cow<'static, str> {
                #new_name::insert_sql(self)
            }

            fn insert_columns(&self) -> ::std::vec::Vec<&'static str> {
                #insert_columns
            }

            #cast_items
        }

        #pg
    }
}
