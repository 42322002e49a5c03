//! A table's constraint enum (`OwnerConstraint`): one variant per named constraint (primary
//! key, unique constraints and indexes, foreign keys, checks, exclusion constraints and the
//! single-row exclusion), so a violation comes back as a value naming the constraint and its
//! columns.

use super::Gen;
use super::names::{code, doc};
use crate::model::{IndexTarget, Table};
use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// The name of the constraint enum of a table.
pub(super) fn constraint_enum_name(t: &Table) -> String {
    format!("{}Constraint", t.rust_name)
}

struct Entry {
    name: String,
    kind: TokenStream,
    columns: Vec<String>,
    what: &'static str,
}

fn entries(g: &Gen<'_>, t: &Table) -> Vec<Entry> {
    let rt = &g.rt;
    let mut out = Vec::new();
    if let Some(pk) = &t.primary_key {
        out.push(Entry {
            name: pk.name.clone(),
            kind: quote!(#rt::ConstraintKind::PrimaryKey),
            columns: pk.columns.clone(),
            what: "primary key",
        });
    }
    for u in &t.uniques {
        out.push(Entry {
            name: u.name.clone(),
            kind: quote!(#rt::ConstraintKind::Unique),
            columns: u.columns.clone(),
            what: "unique constraint",
        });
    }
    for i in t.indexes.iter().filter(|i| i.unique) {
        out.push(Entry {
            name: i.name.clone(),
            kind: quote!(#rt::ConstraintKind::Unique),
            columns: i
                .keys
                .iter()
                .filter_map(|k| match &k.target {
                    IndexTarget::Column(c) => Some(c.clone()),
                    IndexTarget::Expr(_) => None,
                })
                .collect(),
            what: "unique index",
        });
    }
    for fk in &t.foreign_keys {
        out.push(Entry {
            name: fk.name.clone(),
            kind: quote!(#rt::ConstraintKind::ForeignKey),
            columns: fk.columns.clone(),
            what: "foreign key",
        });
    }
    for c in &t.checks {
        out.push(Entry {
            name: c.name.clone(),
            kind: quote!(#rt::ConstraintKind::Check),
            columns: Vec::new(),
            what: "check",
        });
    }
    for x in &t.exclusions {
        out.push(Entry {
            name: x.name.clone(),
            kind: quote!(#rt::ConstraintKind::Exclusion),
            columns: x.columns().into_iter().map(str::to_string).collect(),
            what: "exclusion constraint",
        });
    }
    if let Some(sr) = &t.single_row {
        out.push(Entry {
            name: sr.clone(),
            kind: quote!(#rt::ConstraintKind::Exclusion),
            columns: Vec::new(),
            what: "single-row exclusion constraint",
        });
    }
    out
}

/// A variant name from a constraint name: upper camel case of its ASCII letters and digits,
/// `C…` when that does not start with a letter, numbered when taken.
fn variant(name: &str, used: &mut BTreeSet<String>) -> Ident {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut base = ascii.to_upper_camel_case();
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base.insert(0, 'C');
    }
    if base == "Self" {
        base.push('_');
    }
    let mut v = base.clone();
    let mut n = 2;
    while !used.insert(v.clone()) {
        v = format!("{base}{n}");
        n += 1;
    }
    Ident::new(&v, Span::call_site())
}

pub(super) fn constraint_items(g: &Gen<'_>, t: &Table, row: &Ident) -> TokenStream {
    let entries = entries(g, t);
    if entries.is_empty() {
        return TokenStream::new();
    }
    let rt = &g.rt;
    let name = g.ident(&constraint_enum_name(t), || {
        format!("the constraint enum of table `{}`", t.name)
    });
    let mut used = BTreeSet::new();
    let variants: Vec<Ident> = entries
        .iter()
        .map(|e| variant(&e.name, &mut used))
        .collect();
    let defs = entries.iter().zip(&variants).map(|(e, v)| {
        let d = doc(&format!("The {} {}.", e.what, code(&e.name)), false);
        quote!(#d #v)
    });
    let names = entries.iter().zip(&variants).map(|(e, v)| {
        let n = &e.name;
        quote!(#name::#v => #n)
    });
    let kinds = entries.iter().zip(&variants).map(|(e, v)| {
        let k = &e.kind;
        quote!(#name::#v => #k)
    });
    let columns = entries.iter().zip(&variants).map(|(e, v)| {
        let c = &e.columns;
        quote!(#name::#v => &[#(#c),*])
    });
    let d = doc(
        &format!(
            "The named constraints of table {}; `from_error` tells which one a failed \
             statement violated.",
            code(&t.name)
        ),
        false,
    );
    let from_error = g.pg([quote! {
        impl #name {
            /// The constraint of this table a statement violated (SQLSTATE class 23 with its
            /// constraint name), if that is why it failed.
            pub fn from_error(error: &#rt::pg::Error) -> ::core::option::Option<Self> {
                let (table, constraint) = error.violated()?;
                if table != #row::TABLE {
                    return ::core::option::Option::None;
                }
                Self::ALL.iter().copied().find(|c| c.name() == constraint)
            }
        }
    }]);
    quote! {
        #d
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum #name {
            #(#defs,)*
        }

        impl #name {
            /// Every constraint, in declaration order.
            pub const ALL: &[#name] = &[#(#name::#variants),*];

            /// The constraint's SQL name.
            pub fn name(self) -> &'static str {
                match self {
                    #(#names,)*
                }
            }

            /// What kind of constraint it is.
            pub fn kind(self) -> #rt::ConstraintKind {
                match self {
                    #(#kinds,)*
                }
            }

            /// The columns it constrains (none listed for checks and expressions).
            pub fn columns(self) -> &'static [&'static str] {
                match self {
                    #(#columns,)*
                }
            }
        }

        #from_error
    }
}
