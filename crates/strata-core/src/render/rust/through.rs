//! Many-to-many through join tables: a table whose primary key (or a unique constraint) is
//! made of exactly two foreign keys links the rows of the two tables they reference, and each
//! side's row struct gets `list_<others>(&self, client)`, the rows of the other side linked to
//! it, in the order of the key they are referenced by.

use super::Gen;
use super::names::{code, doc};
use super::queries::{Read, arg, safe_ident, table_word};
use crate::model::{Column, ForeignKey, Schema, Table};
use crate::render::sql;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A link from table `t` to `target` through `join`: `from` references `t`, `to` references
/// `target`, and their columns together are a key of `join`.
pub(super) struct Link<'s> {
    pub join: &'s Table,
    pub from: &'s ForeignKey,
    pub to: &'s ForeignKey,
    pub target: &'s Table,
}

/// Whether `cols` are exactly the columns of the join table's primary key or of one of its
/// unique constraints.
fn is_key(join: &Table, cols: &[&str]) -> bool {
    let same =
        |key: &[String]| key.len() == cols.len() && key.iter().all(|k| cols.contains(&k.as_str()));
    join.primary_key.as_ref().is_some_and(|k| same(&k.columns))
        || join.uniques.iter().any(|u| same(&u.columns))
}

/// The links from `t`: for every table with two foreign keys whose NOT NULL columns, disjoint,
/// together make its primary key or a unique constraint, where the first references `t`.
pub(super) fn links<'s>(schema: &'s Schema, t: &Table) -> Vec<Link<'s>> {
    let mut out = Vec::new();
    for join in &schema.tables {
        for from in join.foreign_keys.iter().filter(|f| f.ref_table == t.name) {
            for to in &join.foreign_keys {
                if std::ptr::eq(from, to)
                    || to.ref_table == join.name
                    || from.columns.iter().any(|c| to.columns.contains(c))
                {
                    continue;
                }
                let cols: Vec<&str> = from
                    .columns
                    .iter()
                    .chain(&to.columns)
                    .map(String::as_str)
                    .collect();
                let not_null = cols
                    .iter()
                    .all(|c| join.column(c).is_some_and(|c| !c.nullable));
                if !not_null || !is_key(join, &cols) {
                    continue;
                }
                if let Some(target) = schema.table(&to.ref_table) {
                    out.push(Link {
                        join,
                        from,
                        to,
                        target,
                    });
                }
            }
        }
    }
    out
}

/// The base name of a link's method: `list_<target>`, or `list_<target>_by_<join>` when that is
/// taken (by a child list, another join table to the same table, or the table itself).
pub(super) fn link_name(l: &Link<'_>, taken: impl Fn(&str) -> bool) -> String {
    let base = format!("list_{}", table_word(l.target));
    if taken(&base) {
        format!("{base}_by_{}", table_word(l.join))
    } else {
        base
    }
}

/// The read of a link (pushed to `reads`) and its method `method` on `t`'s row struct.
pub(super) fn link_method(
    g: &Gen<'_>,
    t: &Table,
    l: &Link<'_>,
    method: &str,
    reads: &mut Vec<Read>,
) -> Option<TokenStream> {
    let rt = &g.rt;
    // The values of `t`'s row that the join table's `from` columns hold.
    let refs = l
        .from
        .ref_columns
        .iter()
        .map(|c| t.column(c))
        .collect::<Option<Vec<&Column>>>()?;
    let on: Vec<(&str, &str)> =
        l.to.columns
            .iter()
            .zip(&l.to.ref_columns)
            .map(|(j, r)| (j.as_str(), r.as_str()))
            .collect();
    let equal: Vec<&str> = l.from.columns.iter().map(String::as_str).collect();
    let order: Vec<&str> = l.to.ref_columns.iter().map(String::as_str).collect();
    let mut conditions = Vec::new();
    if let Some(f) = l.target.soft_delete_column() {
        conditions.push(sql::not_deleted_in(l.target, f));
    }
    if let Some(f) = l.join.soft_delete_column() {
        conditions.push(sql::not_deleted_in(l.join, f));
    }
    let text = sql::select_through(g.schema, l.target, l.join, &on, &equal, &conditions, &order);
    let doc_text = format!(
        "The {} rows linked to this row through join table {} (its foreign keys {} and {}), in \
         the order of {}{}.",
        code(&l.target.name),
        code(&l.join.name),
        code(&l.from.name),
        code(&l.to.name),
        order.iter().map(|c| code(c)).collect::<Vec<_>>().join(", "),
        if conditions.is_empty() {
            ""
        } else {
            "; rows marked deleted are skipped"
        }
    );
    let konst = safe_ident(&method.to_uppercase());
    reads.push(Read {
        konst: konst.clone(),
        method: method.to_owned(),
        sql: text,
        params: equal.len(),
        index: super::queries::index_for(l.join, &equal, &[], None),
        doc: doc_text.clone(),
    });
    let d = doc(&doc_text, false);
    let target_ty = safe_ident(&l.target.rust_name);
    let args: Vec<Ident> = refs.iter().map(|c| arg(c)).collect();
    let binds = refs.iter().zip(&args).map(|(c, a)| {
        let f = safe_ident(&c.rust_name);
        if c.nullable {
            quote! {
                let ::core::option::Option::Some(#a) = &self.#f else {
                    return ::core::result::Result::Ok(::std::vec::Vec::new());
                };
            }
        } else {
            quote!(let #a = &self.#f;)
        }
    });
    let m = safe_ident(method);
    Some(quote! {
        #d
        pub async fn #m(
            &self,
            client: &impl #rt::pg::Executor,
        ) -> ::core::result::Result<::std::vec::Vec<#target_ty>, #rt::pg::Error> {
            #(#binds)*
            #rt::pg::fetch_all(client, Self::#konst, &[#(&#args),*]).await
        }
    })
}
