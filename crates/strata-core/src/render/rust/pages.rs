//! Keyset pages: `page` on the primary key and `page_by_<columns>` on each btree index (or
//! unique constraint) of plain NOT NULL columns, in the index's order tie-broken by the
//! primary key, so every row has one place and a page starts where the last one ended
//! (`WHERE (a, id) > ($1, $2) ORDER BY a, id LIMIT $3`), read through the index however deep
//! the page is — never OFFSET.

use super::Gen;
use super::names::{code, doc};
use super::queries::{Read, arg, columns_word, safe_ident};
use crate::model::{Column, IndexMethod, IndexTarget, Table};
use crate::render::sql::{self, Filter};
use proc_macro2::TokenStream;
use quote::quote;

/// One keyset order of a table: the columns, and the index that keeps them.
pub(super) struct Order<'t> {
    /// The index or constraint, `None` for the primary key.
    pub index: Option<&'t str>,
    /// The index's columns (the primary key's for `page`).
    pub columns: Vec<&'t Column>,
    /// The columns the rows are ordered by: the index's, then the primary key's not among
    /// them (none for a unique index).
    pub order: Vec<&'t Column>,
    /// A partial index's predicate, repeated by the reads so the index can answer them.
    pub predicate: Option<&'t str>,
}

/// The secondary orders of a table: each btree index (not one made for a foreign key) and
/// each unique constraint whose keys are plain, ascending NOT NULL columns with the default
/// operator class and collation; a non-unique one only when the table has a primary key to
/// break ties. An order equal to the primary key's, or to one listed before, is left out.
pub(super) fn secondary_orders<'t>(t: &'t Table, pk: &[&'t Column]) -> Vec<Order<'t>> {
    // (index name, its columns if all are plain, unique, predicate)
    type Candidate<'t> = (&'t str, Option<Vec<&'t Column>>, bool, Option<&'t str>);
    let mut candidates: Vec<Candidate<'t>> = Vec::new();
    for u in &t.uniques {
        let cols = u.columns.iter().map(|c| t.column(c)).collect();
        candidates.push((&u.name, cols, true, None));
    }
    for i in &t.indexes {
        if i.method != IndexMethod::Btree || i.for_foreign_key {
            continue;
        }
        let cols = i
            .keys
            .iter()
            .map(|k| match &k.target {
                IndexTarget::Column(c)
                    if !k.desc
                        && k.nulls_first.is_none()
                        && k.opclass.is_none()
                        && k.collation.is_none() =>
                {
                    t.column(c)
                }
                _ => None,
            })
            .collect();
        candidates.push((&i.name, cols, i.unique, i.predicate.as_deref()));
    }
    let mut out: Vec<Order<'t>> = Vec::new();
    for (name, cols, unique, predicate) in candidates {
        let Some(cols) = cols else { continue };
        if cols.is_empty() || cols.iter().any(|c| c.nullable) || (!unique && pk.is_empty()) {
            continue;
        }
        let mut order = cols.clone();
        if !unique {
            order.extend(pk.iter().filter(|k| !cols.iter().any(|c| c.name == k.name)));
        }
        let same = |a: &[&Column], b: &[&Column]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.name == y.name)
        };
        if same(&order, pk) || out.iter().any(|o| same(&o.order, &order)) {
            continue;
        }
        out.push(Order {
            index: Some(name),
            columns: cols,
            order,
            predicate,
        });
    }
    out
}

/// The method name of an order: `page`, or `page_by_<index columns>`.
pub(super) fn page_name(o: &Order<'_>) -> String {
    match o.index {
        None => "page".to_owned(),
        Some(_) => format!("page_by_{}", columns_word(&o.columns)),
    }
}

/// The four reads of an order (ascending and descending, first and next pages), pushed to
/// `reads`, and the method `method` that chooses among them.
pub(super) fn page_method(
    g: &Gen<'_>,
    t: &Table,
    o: &Order<'_>,
    method: &str,
    index: Option<String>,
    reads: &mut Vec<Read>,
) -> TokenStream {
    let rt = &g.rt;
    let flag = t.soft_delete_column();
    let deleted = match flag {
        Some(f) => format!(" Rows marked deleted ({}) are skipped.", code(&f.name)),
        None => String::new(),
    };
    let names: Vec<&str> = o.order.iter().map(|c| c.name.as_str()).collect();
    let mut conditions: Vec<String> = o.predicate.map(str::to_owned).into_iter().collect();
    conditions.extend(flag.map(sql::not_deleted));
    let (order_words, key_words, index_words) = match o.index {
        None => (
            "primary-key order".to_owned(),
            "key".to_owned(),
            "the primary-key index".to_owned(),
        ),
        Some(i) => (
            format!(
                "the order of {} ({})",
                code(i),
                names.iter().map(|n| code(n)).collect::<Vec<_>>().join(", ")
            ),
            "position".to_owned(),
            format!("index {}", code(i)),
        ),
    };
    let mut konsts = Vec::new();
    for desc in [false, true] {
        for after in [false, true] {
            let filter = Filter {
                conditions: conditions.clone(),
                after: if after { names.clone() } else { Vec::new() },
                order: names.clone(),
                desc,
                limit: true,
                ..Filter::default()
            };
            let konst = format!(
                "{}_{}{}",
                method.to_uppercase(),
                if desc { "DESC" } else { "ASC" },
                if after { "_AFTER" } else { "" }
            );
            let direction = if desc { "descending" } else { "ascending" };
            let doc_text = match o.index {
                None => format!(
                    "A page of rows in {direction} primary-key order{}; parameters: {}the \
                     limit.{deleted}",
                    if after { " after a key" } else { "" },
                    if after { "the key, then " } else { "" },
                ),
                Some(_) => format!(
                    "A page of rows in {direction} {order_words}{}; parameters: {}the \
                     limit.{deleted}",
                    if after { " after a position" } else { "" },
                    if after {
                        "the position's values, then "
                    } else {
                        ""
                    },
                ),
            };
            let konst = safe_ident(&konst);
            reads.push(Read {
                konst: konst.clone(),
                method: method.to_owned(),
                sql: sql::select_rows(g.schema, t, &filter),
                params: filter.params(),
                index: index.clone(),
                doc: doc_text,
            });
            konsts.push(konst);
        }
    }
    let [asc, asc_after, desc, desc_after] = [&konsts[0], &konsts[1], &konsts[2], &konsts[3]];
    let args: Vec<_> = o.order.iter().map(|c| arg(c)).collect();
    let tys: Vec<TokenStream> = o.order.iter().map(|c| g.arg_type(c)).collect();
    let (cursor_ty, cursor_pat) = if args.len() == 1 {
        let (a, ty) = (&args[0], &tys[0]);
        (quote!(&#ty), quote!(#a))
    } else {
        (quote!((#(&#tys),*)), quote!((#(#args),*)))
    };
    let m = safe_ident(method);
    let d = doc(
        &match o.index {
            None => format!(
                "Up to `limit` rows in {order_words} (`order`), starting after the {key_words} \
                 `after` (the last key of the previous page; `None` for the first page): keyset \
                 pagination, which reads through {index_words} however deep the page \
                 is.{deleted}"
            ),
            Some(_) => format!(
                "Up to `limit` rows in {order_words} (`order`), starting after the {key_words} \
                 `after` (the values of those columns in the last row of the previous page; \
                 `None` for the first page): keyset pagination, which reads through \
                 {index_words} however deep the page is.{deleted}"
            ),
        },
        false,
    );
    let ret = quote!(::core::result::Result<::std::vec::Vec<Self>, #rt::pg::Error>);
    quote! {
        #d
        pub async fn #m(
            client: &impl #rt::pg::Executor,
            after: ::core::option::Option<#cursor_ty>,
            limit: i64,
            order: #rt::pg::Order,
        ) -> #ret {
            match (order, after) {
                (#rt::pg::Order::Asc, ::core::option::Option::None) => {
                    #rt::pg::fetch_all(client, Self::#asc, &[&limit]).await
                }
                (#rt::pg::Order::Asc, ::core::option::Option::Some(#cursor_pat)) => {
                    #rt::pg::fetch_all(client, Self::#asc_after, &[#(&#args,)* &limit]).await
                }
                (#rt::pg::Order::Desc, ::core::option::Option::None) => {
                    #rt::pg::fetch_all(client, Self::#desc, &[&limit]).await
                }
                (#rt::pg::Order::Desc, ::core::option::Option::Some(#cursor_pat)) => {
                    #rt::pg::fetch_all(client, Self::#desc_after, &[#(&#args,)* &limit]).await
                }
            }
        }
    }
}
