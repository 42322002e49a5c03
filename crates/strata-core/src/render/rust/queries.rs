//! A table's query methods: lookups by every unique key, lists, counts and deletes by every
//! foreign key (and the parent's list of children, the child's parent), keyset pages on the
//! primary key, upserts on every unique key, bulk inserts, patches and soft deletes.
//!
//! Every statement is a constant of the row struct printed by `render::sql` from the model
//! (listed in `QUERIES` with the index expected to answer it); the methods (feature
//! `postgres`) only pass it and their arguments to `strata_runtime::pg`, over any
//! `pg::Executor` (a client, a transaction, or either behind the statement cache).

use super::Gen;
use super::names::{code, doc};
use super::statements::Statements;
use crate::model::{BaseType, Column, IndexMethod, IndexTarget, Table};
use crate::render::sql::{self, Filter, ident as sql_ident};
use heck::ToSnakeCase;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// A unique key of a table: its primary key, a unique constraint or a unique index on plain
/// columns (a partial one with its predicate).
pub(super) struct Key<'t> {
    /// The constraint or index name.
    pub name: &'t str,
    pub columns: Vec<&'t Column>,
    pub predicate: Option<&'t str>,
    /// A deferrable unique constraint, which `ON CONFLICT` cannot use as its arbiter.
    pub deferrable: bool,
}

/// The table's unique keys, primary key first, each column set (and predicate) once.
pub(super) fn unique_keys(t: &Table) -> Vec<Key<'_>> {
    fn push<'t>(out: &mut Vec<Key<'t>>, k: Key<'t>) {
        let same = |o: &Key<'_>| {
            o.predicate == k.predicate
                && o.columns.len() == k.columns.len()
                && o.columns
                    .iter()
                    .all(|c| k.columns.iter().any(|d| d.name == c.name))
        };
        if !k.columns.is_empty() && !out.iter().any(same) {
            out.push(k);
        }
    }
    let mut out: Vec<Key<'_>> = Vec::new();
    if let Some(pk) = &t.primary_key {
        push(
            &mut out,
            Key {
                name: &pk.name,
                columns: t.primary_key_columns(),
                predicate: None,
                deferrable: false,
            },
        );
    }
    for u in &t.uniques {
        push(
            &mut out,
            Key {
                name: &u.name,
                columns: u.columns.iter().filter_map(|c| t.column(c)).collect(),
                predicate: None,
                deferrable: u.deferrable != crate::model::Deferrable::No,
            },
        );
    }
    for i in t.indexes.iter().filter(|i| i.unique) {
        let columns: Option<Vec<&Column>> = i
            .keys
            .iter()
            .map(|k| match &k.target {
                IndexTarget::Column(c) => t.column(c),
                IndexTarget::Expr(_) => None,
            })
            .collect();
        if let Some(columns) = columns {
            push(
                &mut out,
                Key {
                    name: &i.name,
                    columns,
                    predicate: i.predicate.as_deref(),
                    deferrable: false,
                },
            );
        }
    }
    out
}

/// The name of an index (or key constraint) of `t` that can answer a read comparing `equal`
/// with `=` and ordering by `order`, under `predicate`: a btree (or, for one equality, hash)
/// index whose leading plain columns are `equal` in any order, then `order`; a partial index
/// only when the read repeats its predicate.
pub(super) fn index_for(
    t: &Table,
    equal: &[&str],
    order: &[&str],
    predicate: Option<&str>,
) -> Option<String> {
    let mut candidates: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(pk) = &t.primary_key {
        candidates.push((pk.name.clone(), pk.columns.clone()));
    }
    for u in &t.uniques {
        candidates.push((u.name.clone(), u.columns.clone()));
    }
    for i in &t.indexes {
        if i.predicate.is_some() && i.predicate.as_deref() != predicate {
            continue;
        }
        let btree = i.method == IndexMethod::Btree;
        let hash = i.method == IndexMethod::Hash && equal.len() == 1 && order.is_empty();
        if !btree && !hash {
            continue;
        }
        // A key with its own operator class or collation may not answer a plain `=`.
        let lead = i
            .keys
            .iter()
            .map_while(|k| match &k.target {
                IndexTarget::Column(c) if k.opclass.is_none() && k.collation.is_none() => {
                    Some(c.clone())
                }
                _ => None,
            })
            .collect();
        candidates.push((i.name.clone(), lead));
    }
    candidates.into_iter().find_map(|(name, lead)| {
        let n = equal.len();
        if lead.len() < n + order.len() || (n == 0 && order.is_empty()) {
            return None;
        }
        let head: BTreeSet<&str> = lead[..n].iter().map(String::as_str).collect();
        let want: BTreeSet<&str> = equal.iter().copied().collect();
        let ordered = lead[n..n + order.len()]
            .iter()
            .zip(order)
            .all(|(a, b)| a == b);
        (head == want && ordered).then_some(name)
    })
}

/// Method names already taken in a table's `impl` blocks.
struct Names {
    used: BTreeSet<String>,
}

impl Names {
    fn new() -> Self {
        let used = [
            "pk_params",
            "update_params",
            "try_from",
            "table",
            "columns",
            "auto_updated",
            "select",
            "insert",
            "primary_key",
            "select_by_pk",
            "update_by_pk",
            "delete_by_pk",
            "queries",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        Names { used }
    }

    /// `base`, or `base_2`, `base_3`… when taken.
    fn take(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2;
        while !self.used.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }
}

/// `name` as an identifier; a name that cannot be one (possible only for odd SQL names)
/// becomes its ASCII letters and digits.
pub(super) fn safe_ident(name: &str) -> Ident {
    match super::names::ident_or_error(name) {
        Ok(i) => i,
        Err(_) => {
            let mut s: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
                s.insert(0, 'q');
            }
            if crate::model::is_rust_keyword(&s) {
                s.push('_');
            }
            Ident::new(&s, Span::call_site())
        }
    }
}

/// A table's name in a method name: its SQL name in snake case when that is a plain
/// identifier, else its Rust name in snake case.
pub(super) fn table_word(t: &Table) -> String {
    let sql = t.name.to_snake_case();
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    if ok(&sql) {
        sql
    } else {
        t.rust_name.to_snake_case()
    }
}

/// `a_and_b` of the columns' Rust names.
pub(super) fn columns_word(columns: &[&Column]) -> String {
    columns
        .iter()
        .map(|c| c.rust_name.to_snake_case())
        .collect::<Vec<_>>()
        .join("_and_")
}

/// Argument names the methods use themselves.
const OWN_ARGS: [&str; 8] = [
    "client", "patch", "new", "rows", "after", "limit", "order", "row",
];

/// The argument of a column in a method signature.
pub(super) fn arg(c: &Column) -> Ident {
    let name = c.rust_name.to_snake_case();
    if OWN_ARGS.contains(&name.as_str()) {
        safe_ident(&format!("{name}_"))
    } else {
        safe_ident(&name)
    }
}

impl Gen<'_> {
    /// The type a method takes a column's value as (behind `&`): `str` for text, `[u8]` for
    /// bytea, otherwise the field's type without `Option` (a lookup never matches NULL).
    pub(super) fn arg_type(&self, c: &Column) -> TokenStream {
        if !c.ty.array {
            match c.ty.base {
                BaseType::Text | BaseType::Varchar(_) | BaseType::Char(_) => return quote!(str),
                BaseType::Bytea => return quote!([u8]),
                _ => {}
            }
        }
        let mut inner = c.clone();
        inner.nullable = false;
        self.column_type(&inner)
    }
}

/// One generated read: its constant, SQL and entry in `QUERIES`.
pub(super) struct Read {
    pub konst: Ident,
    pub method: String,
    pub sql: String,
    pub params: usize,
    pub index: Option<String>,
    pub doc: String,
}

/// The items of one table: constants (always), methods (behind the tokio-postgres setting).
pub(super) fn query_items(
    g: &Gen<'_>,
    t: &Table,
    name: &Ident,
    new_name: &Ident,
    st: &Statements<'_>,
) -> TokenStream {
    let rt = &g.rt;
    let exec = quote!(&impl #rt::pg::Executor);
    let result = |ty: TokenStream| quote!(::core::result::Result<#ty, #rt::pg::Error>);
    let mut names = Names::new();
    let mut reads: Vec<Read> = Vec::new();
    let mut consts: Vec<TokenStream> = Vec::new();
    let mut methods: Vec<TokenStream> = Vec::new();
    let flag = t.soft_delete_column();
    let live = |extra: Option<&str>, with_deleted: bool| {
        let mut c: Vec<String> = extra.map(str::to_owned).into_iter().collect();
        if let (Some(f), false) = (flag, with_deleted) {
            c.push(sql::not_deleted(f));
        }
        c
    };
    let mut add_read = |names: &mut Names,
                        method: &str,
                        sql: String,
                        params: usize,
                        index: Option<String>,
                        doc: String|
     -> (Ident, Ident) {
        let method = names.take(method);
        let konst = safe_ident(&method.to_uppercase());
        reads.push(Read {
            konst: konst.clone(),
            method: method.clone(),
            sql,
            params,
            index,
            doc,
        });
        (safe_ident(&method), konst)
    };
    let deleted_note = |with_deleted: bool| match (flag, with_deleted) {
        (Some(f), false) => format!(" Rows marked deleted ({}) are skipped.", code(&f.name)),
        (Some(_), true) => " Rows marked deleted are included.".to_owned(),
        (None, _) => String::new(),
    };
    let variants: &[bool] = if flag.is_some() {
        &[false, true]
    } else {
        &[false]
    };

    // By unique key.
    for key in unique_keys(t) {
        let cols: Vec<&str> = key.columns.iter().map(|c| c.name.as_str()).collect();
        let args: Vec<Ident> = key.columns.iter().map(|c| arg(c)).collect();
        let tys: Vec<TokenStream> = key.columns.iter().map(|c| g.arg_type(c)).collect();
        let word = columns_word(&key.columns);
        let index = index_for(t, &cols, &[], key.predicate);
        let what = match key.predicate {
            Some(p) => format!("{} (where {})", code(key.name), code(p)),
            None => code(key.name),
        };
        for &with_deleted in variants {
            let suffix = if with_deleted { "_with_deleted" } else { "" };
            let filter = Filter {
                equal: cols.clone(),
                conditions: live(key.predicate, with_deleted),
                ..Filter::default()
            };
            let doc_text = format!(
                "The row with these values of unique key {what}, if any (a NULL argument never \
                 matches).{}",
                deleted_note(with_deleted)
            );
            let (m, k) = add_read(
                &mut names,
                &format!("find_by_{word}{suffix}"),
                sql::select_rows(g.schema, t, &filter),
                filter.params(),
                index.clone(),
                doc_text.clone(),
            );
            let d = doc(&doc_text, false);
            let ret = result(quote!(::core::option::Option<Self>));
            methods.push(quote! {
                #d
                pub async fn #m(client: #exec, #(#args: &#tys),*) -> #ret {
                    #rt::pg::fetch_opt(client, Self::#k, &[#(&#args),*]).await
                }
            });
            let doc_text = format!(
                "Whether a row has these values of unique key {what}.{}",
                deleted_note(with_deleted)
            );
            let (m, k) = add_read(
                &mut names,
                &format!("exists_by_{word}{suffix}"),
                sql::select_exists(g.schema, t, &filter),
                filter.params(),
                index.clone(),
                doc_text.clone(),
            );
            let d = doc(&doc_text, false);
            let ret = result(quote!(bool));
            methods.push(quote! {
                #d
                pub async fn #m(client: #exec, #(#args: &#tys),*) -> #ret {
                    #rt::pg::exists(client, Self::#k, &[#(&#args),*]).await
                }
            });
        }
        // Upsert on the key.
        if key.deferrable {
            continue;
        }
        let upsert = safe_ident(&names.take(&format!("upsert_by_{word}")));
        let target = safe_ident(&format!("CONFLICT_{}", word.to_uppercase()));
        let target_sql = sql::conflict_target(&cols, key.predicate);
        let conflict_cols: Vec<String> = cols.iter().map(|c| sql_ident(c).into_owned()).collect();
        let keep: Vec<String> = key
            .columns
            .iter()
            .chain(st.key.iter())
            .map(|c| sql_ident(&c.name).into_owned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        consts.push(quote! {
            /// The conflict target of the upsert on this key.
            pub const #target: &str = #target_sql;
        });
        let d = doc(
            &format!(
                "Inserts `new`, or when a row with its values of unique key {what} exists, \
                 updates that row with the columns `new` provides (not the key's, nor the \
                 primary key's); returns the row as stored."
            ),
            false,
        );
        let ret = result(quote!(Self));
        methods.push(quote! {
            #d
            pub async fn #upsert(client: #exec, new: &#new_name) -> #ret {
                #rt::pg::upsert(client, new, Self::#target, &[#(#conflict_cols),*], &[#(#keep),*]).await
            }
        });
    }

    // Counts.
    for &with_deleted in variants {
        let suffix = if with_deleted { "_with_deleted" } else { "" };
        let filter = Filter {
            conditions: live(None, with_deleted),
            ..Filter::default()
        };
        let doc_text = format!(
            "How many rows the table holds.{}",
            deleted_note(with_deleted)
        );
        let (m, k) = add_read(
            &mut names,
            &format!("count{suffix}"),
            sql::select_count(g.schema, t, &filter),
            0,
            None,
            doc_text.clone(),
        );
        let d = doc(&doc_text, false);
        let ret = result(quote!(i64));
        methods.push(quote! {
            #d
            pub async fn #m(client: #exec) -> #ret {
                #rt::pg::count(client, Self::#k, &[]).await
            }
        });
    }

    // By relation: this table's foreign keys (lists, counts, deletes; the parent row).
    let pk_names: Vec<&str> = st.key.iter().map(|c| c.name.as_str()).collect();
    for fk in &t.foreign_keys {
        let Some(cols) = fk
            .columns
            .iter()
            .map(|c| t.column(c))
            .collect::<Option<Vec<&Column>>>()
        else {
            continue;
        };
        let names_sql: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        let args: Vec<Ident> = cols.iter().map(|c| arg(c)).collect();
        let tys: Vec<TokenStream> = cols.iter().map(|c| g.arg_type(c)).collect();
        let word = columns_word(&cols);
        let list_index = index_for(t, &names_sql, &[], None);
        for &with_deleted in variants {
            let suffix = if with_deleted { "_with_deleted" } else { "" };
            let filter = Filter {
                equal: names_sql.clone(),
                conditions: live(None, with_deleted),
                order: pk_names.clone(),
                ..Filter::default()
            };
            let doc_text = format!(
                "The rows whose foreign key {} is these values{}.{}",
                code(&fk.name),
                if pk_names.is_empty() {
                    ""
                } else {
                    ", in primary-key order"
                },
                deleted_note(with_deleted)
            );
            let (m, k) = add_read(
                &mut names,
                &format!("list_by_{word}{suffix}"),
                sql::select_rows(g.schema, t, &filter),
                filter.params(),
                list_index.clone(),
                doc_text.clone(),
            );
            let d = doc(&doc_text, false);
            let ret = result(quote!(::std::vec::Vec<Self>));
            methods.push(quote! {
                #d
                pub async fn #m(client: #exec, #(#args: &#tys),*) -> #ret {
                    #rt::pg::fetch_all(client, Self::#k, &[#(&#args),*]).await
                }
            });
        }
        let filter = Filter {
            equal: names_sql.clone(),
            conditions: live(None, false),
            ..Filter::default()
        };
        let doc_text = format!(
            "How many rows have these values of foreign key {}.{}",
            code(&fk.name),
            deleted_note(false)
        );
        let (m, k) = add_read(
            &mut names,
            &format!("count_by_{word}"),
            sql::select_count(g.schema, t, &filter),
            filter.params(),
            list_index.clone(),
            doc_text.clone(),
        );
        let d = doc(&doc_text, false);
        let ret = result(quote!(i64));
        methods.push(quote! {
            #d
            pub async fn #m(client: #exec, #(#args: &#tys),*) -> #ret {
                #rt::pg::count(client, Self::#k, &[#(&#args),*]).await
            }
        });
        // Deletes are not reads: a constant, not in `QUERIES`.
        let delete = names.take(&format!("delete_by_{word}"));
        let delete_const = safe_ident(&delete.to_uppercase());
        let delete = safe_ident(&delete);
        let delete_sql = sql::delete_rows(
            g.schema,
            t,
            &Filter {
                equal: names_sql.clone(),
                ..Filter::default()
            },
        );
        let d = doc(
            &format!(
                "Deletes the rows with these values of foreign key {} (also rows marked \
                 deleted); returns how many went.",
                code(&fk.name)
            ),
            false,
        );
        consts.push(quote! {
            #d
            pub const #delete_const: &str = #delete_sql;
        });
        let ret = result(quote!(u64));
        methods.push(quote! {
            #d
            pub async fn #delete(client: #exec, #(#args: &#tys),*) -> #ret {
                #rt::pg::execute(client, Self::#delete_const, &[#(&#args),*]).await
            }
        });
        // The parent row.
        if let Some(parent) = g.schema.table(&fk.ref_table) {
            let parent_ty = safe_ident(&parent.rust_name);
            let base = match cols.as_slice() {
                [c] if c.rust_name.ends_with("_id") && c.rust_name.len() > 3 => {
                    c.rust_name.trim_end_matches("_id").to_snake_case()
                }
                _ => table_word(parent),
            };
            let ref_cols: Vec<&str> = fk.ref_columns.iter().map(String::as_str).collect();
            let filter = Filter {
                equal: ref_cols.clone(),
                conditions: parent
                    .soft_delete_column()
                    .map(sql::not_deleted)
                    .into_iter()
                    .collect(),
                ..Filter::default()
            };
            let doc_text = format!(
                "The {} row this row's foreign key {} points to; `None` when a key column is \
                 NULL (or the parent is marked deleted).",
                code(&parent.name),
                code(&fk.name)
            );
            let (m, k) = add_read(
                &mut names,
                &format!("get_{base}"),
                sql::select_rows(g.schema, parent, &filter),
                filter.params(),
                index_for(parent, &ref_cols, &[], None),
                doc_text.clone(),
            );
            let d = doc(&doc_text, false);
            let fields: Vec<Ident> = cols.iter().map(|c| safe_ident(&c.rust_name)).collect();
            let binds: Vec<TokenStream> = cols
                .iter()
                .zip(&args)
                .zip(&fields)
                .map(|((c, a), f)| {
                    if c.nullable {
                        quote! {
                            let ::core::option::Option::Some(#a) = &self.#f else {
                                return ::core::result::Result::Ok(::core::option::Option::None);
                            };
                        }
                    } else {
                        quote!(let #a = &self.#f;)
                    }
                })
                .collect();
            let ret = result(quote!(::core::option::Option<#parent_ty>));
            methods.push(quote! {
                #d
                pub async fn #m(&self, client: #exec) -> #ret {
                    #(#binds)*
                    #rt::pg::fetch_opt(client, Self::#k, &[#(&#args),*]).await
                }
            });
        }
    }

    // By relation: the children pointing at this table.
    for child in &g.schema.tables {
        for fk in child.foreign_keys.iter().filter(|f| f.ref_table == t.name) {
            let Some(cols) = fk
                .columns
                .iter()
                .map(|c| child.column(c))
                .collect::<Option<Vec<&Column>>>()
            else {
                continue;
            };
            let Some(refs) = fk
                .ref_columns
                .iter()
                .map(|c| t.column(c))
                .collect::<Option<Vec<&Column>>>()
            else {
                continue;
            };
            let child_ty = safe_ident(&child.rust_name);
            let child_pk: Vec<&str> = child
                .primary_key
                .iter()
                .flat_map(|k| k.columns.iter().map(String::as_str))
                .collect();
            let names_sql: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
            let filter = Filter {
                equal: names_sql.clone(),
                conditions: child
                    .soft_delete_column()
                    .map(sql::not_deleted)
                    .into_iter()
                    .collect(),
                order: child_pk,
                ..Filter::default()
            };
            let doc_text = format!(
                "The {} rows whose foreign key {} points to this row.",
                code(&child.name),
                code(&fk.name)
            );
            let base = format!("list_{}", table_word(child));
            let base = if names.used.contains(&base) {
                format!("{base}_by_{}", columns_word(&cols))
            } else {
                base
            };
            let (m, k) = add_read(
                &mut names,
                &base,
                sql::select_rows(g.schema, child, &filter),
                filter.params(),
                index_for(child, &names_sql, &[], None),
                doc_text.clone(),
            );
            let d = doc(&doc_text, false);
            let args: Vec<Ident> = refs.iter().map(|c| arg(c)).collect();
            let fields: Vec<Ident> = refs.iter().map(|c| safe_ident(&c.rust_name)).collect();
            let binds: Vec<TokenStream> = refs
                .iter()
                .zip(&args)
                .zip(&fields)
                .map(|((c, a), f)| {
                    if c.nullable {
                        quote! {
                            let ::core::option::Option::Some(#a) = &self.#f else {
                                return ::core::result::Result::Ok(::std::vec::Vec::new());
                            };
                        }
                    } else {
                        quote!(let #a = &self.#f;)
                    }
                })
                .collect();
            let ret = result(quote!(::std::vec::Vec<#child_ty>));
            methods.push(quote! {
                #d
                pub async fn #m(&self, client: #exec) -> #ret {
                    #(#binds)*
                    #rt::pg::fetch_all(client, Self::#k, &[#(&#args),*]).await
                }
            });
        }
    }

    // Many-to-many: the rows of the other side of each join table.
    for link in super::through::links(g.schema, t) {
        let base = super::through::link_name(&link, |n| names.used.contains(n));
        let method = names.take(&base);
        if let Some(m) = super::through::link_method(g, t, &link, &method, &mut reads) {
            methods.push(m);
        }
    }

    // Keyset pages on the primary key, then on each secondary btree index.
    if !st.key.is_empty() {
        let key_args: Vec<Ident> = st.key.iter().map(|c| arg(c)).collect();
        let key_tys: Vec<TokenStream> = st.key.iter().map(|c| g.arg_type(c)).collect();
        let pk = super::pages::Order {
            index: None,
            columns: st.key.clone(),
            order: st.key.clone(),
            predicate: None,
        };
        let page = names.take("page");
        let pk_index = t.primary_key.as_ref().map(|k| k.name.clone());
        methods.push(super::pages::page_method(
            g, t, &pk, &page, pk_index, &mut reads,
        ));

        // Soft delete and restore by key.
        if let Some(f) = flag {
            let key_names: Vec<&str> = st.key.iter().map(|c| c.name.as_str()).collect();
            for restore in [false, true] {
                let m = names.take(if restore { "restore" } else { "soft_delete" });
                let k = safe_ident(&m.to_uppercase());
                let m = safe_ident(&m);
                let text = sql::set_deleted(g.schema, t, f, &key_names, restore);
                let d = doc(
                    &if restore {
                        format!(
                            "Clears {} of the row with this key if it is marked deleted; \
                             returns how many rows changed (0 or 1).",
                            code(&f.name)
                        )
                    } else {
                        format!(
                            "Marks the row with this key deleted ({}) if it is not; returns \
                             how many rows changed (0 or 1).",
                            code(&f.name)
                        )
                    },
                    false,
                );
                consts.push(quote! {
                    #d
                    pub const #k: &str = #text;
                });
                let ret = result(quote!(u64));
                methods.push(quote! {
                    #d
                    pub async fn #m(client: #exec, #(#key_args: &#key_tys),*) -> #ret {
                        #rt::pg::execute(client, Self::#k, &[#(&#key_args),*]).await
                    }
                });
            }
        }
    }

    for o in super::pages::secondary_orders(t, &st.key) {
        let page = names.take(&super::pages::page_name(&o));
        // The index leads with the order's columns; the primary key's after them break ties
        // (an incremental sort over the index scan when the index does not hold them).
        let index = o.index.map(str::to_owned);
        methods.push(super::pages::page_method(
            g, t, &o, &page, index, &mut reads,
        ));
    }

    // Writes through the executor: insert, insert_many.
    let insert = safe_ident(&names.take("insert_one"));
    let insert_many = names.take("insert_many");
    let ret = result(quote!(Self));
    let ret_many = result(quote!(u64));
    methods.push(quote! {
        /// Inserts `new` (columns left `None` get their defaults) and returns the row as stored.
        pub async fn #insert(client: #exec, new: &#new_name) -> #ret {
            #rt::pg::fetch_one(client, &new.insert_sql(), &new.insert_params()).await
        }
    });
    let insert_many = safe_ident(&insert_many);
    let text_form = t
        .columns
        .iter()
        .filter(|c| super::statements::insertable(c))
        .any(|c| g.schema.underlying(&c.ty).base.is_text_form());
    let d = if text_form {
        doc(
            "Inserts every value of `rows` with multi-row INSERTs (a column travels as text, \
             which binary `COPY` cannot load), one per set of provided columns and 1,000 rows; \
             returns how many rows were inserted.",
            false,
        )
    } else {
        quote! {
            /// Inserts every value of `rows` with binary `COPY` (one per set of provided
            /// columns); returns how many rows were inserted.
        }
    };
    methods.push(quote! {
        #d
        pub async fn #insert_many(client: #exec, rows: &[#new_name]) -> #ret_many {
            #rt::pg::insert_many(client, rows).await
        }
    });
    if let Some(m) = super::patch::patch_method(g, t, name, st, &mut |n: &str| names.take(n)) {
        methods.push(m);
    }

    let read_consts = reads.iter().map(|r| {
        let (k, s) = (&r.konst, &r.sql);
        let d = doc(&format!("{} Used by `{}`.", r.doc, r.method), false);
        quote! {
            #d
            pub const #k: &str = #s;
        }
    });
    let entries = reads.iter().map(|r| {
        let (k, m) = (&r.konst, &r.method);
        let n = Literal::usize_unsuffixed(r.params);
        let index = match &r.index {
            Some(i) => quote!(::core::option::Option::Some(#i)),
            None => quote!(::core::option::Option::None),
        };
        quote!(#rt::Query { method: #m, sql: #name::#k, params: #n, index: #index })
    });
    let n = Literal::usize_unsuffixed(reads.len());
    let pg = g.pg([quote! {
        impl #name {
            #(#methods)*
        }
    }]);
    quote! {
        impl #name {
            #(#read_consts)*
            #(#consts)*
            /// Every generated read with its SQL and the index expected to answer it.
            pub const QUERIES: [#rt::Query; #n] = [#(#entries),*];
        }

        #pg
    }
}
