//! Names across the database: PostgreSQL's length limit, names that fold to the same one, the
//! PostgreSQL schemas objects live in and the names they may not take, and every Rust name the
//! generated code will use.

use super::Validator;
use crate::diag::{Code, Diagnostic, Loc};
use crate::model::*;
use std::collections::BTreeMap;

impl Validator<'_> {
    pub(super) fn name_length(&mut self, name: &str, loc: Loc) {
        if name.len() > MAX_IDENT_BYTES {
            self.err(
                Diagnostic::new(
                    Code::NameTooLong,
                    loc,
                    format!(
                        "`{}…` is {} bytes long; PostgreSQL keeps only 63 and would silently truncate it",
                        name.chars().take(20).collect::<String>(),
                        name.len()
                    ),
                )
                .help("choose a name of at most 63 bytes"),
            );
        }
        if name.contains('\0') {
            self.err(
                Diagnostic::new(Code::BadName, loc, "a name cannot contain a NUL character")
                    .help("remove it"),
            );
        }
    }

    /// Reports the second of two things with the same folded name.
    pub(super) fn unique_names<'n>(
        &mut self,
        items: impl IntoIterator<Item = (&'n str, Loc, &'static str)>,
        scope: &str,
    ) {
        let mut seen: BTreeMap<String, (Loc, &'static str)> = BTreeMap::new();
        for (name, loc, kind) in items {
            let folded = fold_ident(name);
            if let Some((first, first_kind)) = seen.get(&folded) {
                self.err(
                    Diagnostic::new(
                        Code::DuplicateName,
                        loc,
                        format!("{kind} `{name}` has the same name as {first_kind} declared before{scope}"),
                    )
                    .related(*first, "first declared here")
                    .help("rename one of them"),
                );
            } else {
                seen.insert(folded, (loc, kind));
            }
        }
    }

    pub(super) fn namespaces(&mut self, s: &Schema) {
        // Tables, indexes and index-backed constraints share PostgreSQL's relation namespace.
        // Constraint and index names are per PostgreSQL schema: they are compared qualified
        // by their table's schema (`billing.invoices_pkey`).
        let in_schema = |t: &Table, name: &str| qualify(split_qualified(&t.name).0, name);
        let mut owned: Vec<(String, Loc, &'static str)> = Vec::new();
        let mut relations: Vec<(&str, Loc, &'static str)> = Vec::new();
        for t in &s.tables {
            relations.push((&t.name, t.loc, "table"));
        }
        for t in &s.tables {
            for (_, p) in t.all_partitions() {
                relations.push((&p.name, p.loc, "partition"));
            }
        }
        for q in &s.sequences {
            relations.push((&q.name, q.loc, "sequence"));
        }
        for v in &s.views {
            relations.push((&v.name, v.loc, v.kind()));
            relations.extend(v.indexes.iter().map(|i| (i.name.as_str(), i.loc, "index")));
        }
        // A table declared twice is reported once; names derived from the copy are not.
        let mut seen_tables = std::collections::BTreeSet::new();
        let originals: Vec<&Table> = s
            .tables
            .iter()
            .filter(|t| seen_tables.insert(fold_ident(&t.name)))
            .collect();
        for t in originals.iter().copied() {
            if let Some(pk) = &t.primary_key {
                owned.push((in_schema(t, &pk.name), pk.loc, "primary key"));
            }
            for u in &t.uniques {
                owned.push((in_schema(t, &u.name), u.loc, "unique constraint"));
            }
            for i in &t.indexes {
                owned.push((in_schema(t, &i.name), i.loc, "index"));
            }
            for x in &t.exclusions {
                owned.push((in_schema(t, &x.name), x.loc, "exclusion constraint"));
            }
            if let Some(sr) = &t.single_row {
                owned.push((in_schema(t, sr), t.loc, "single-row constraint"));
            }
        }
        relations.extend(owned.iter().map(|(n, l, k)| (n.as_str(), *l, *k)));
        self.unique_names(relations, " in this database");
        // Every table has a row type of its name, so enums may not reuse table names.
        let types = s
            .tables
            .iter()
            .map(|t| (t.name.as_str(), t.loc, "table"))
            .chain(s.enums.iter().map(|e| (e.name.as_str(), e.loc, "enum")));
        let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
        for (name, loc, kind) in types {
            let f = fold_ident(name);
            if kind == "enum"
                && let Some(first) = seen.get(&f)
            {
                self.err(
                    Diagnostic::new(
                        Code::DuplicateName,
                        loc,
                        format!("enum `{name}` has the same name as a table (or enum)"),
                    )
                    .related(*first, "first declared here")
                    .help("PostgreSQL gives every table a type of its name; rename the enum"),
                );
                continue;
            }
            seen.entry(f).or_insert(loc);
        }
        // Rust type names must not collide either.
        let inserts: Vec<(String, Loc)> = originals
            .iter()
            .map(|t| (format!("New{}", t.rust_name), t.loc))
            .collect();
        let rust = originals
            .iter()
            .map(|t| (t.rust_name.as_str(), t.loc, "Rust type of a table"))
            .chain(
                inserts
                    .iter()
                    .map(|(n, loc)| (n.as_str(), *loc, "insert struct of a table")),
            )
            .chain(
                s.enums
                    .iter()
                    .map(|e| (e.rust_name.as_str(), e.loc, "Rust type of an enum")),
            )
            .chain(
                s.json_types
                    .iter()
                    .map(|j| (j.rust_name.as_str(), j.loc, "Rust type of a JSON structure")),
            );
        let mut seen: BTreeMap<&str, (Loc, &str)> = BTreeMap::new();
        for (name, loc, kind) in rust {
            if let Some((first, _)) = seen.get(name) {
                self.err(
                    Diagnostic::new(
                        Code::DuplicateName,
                        loc,
                        format!("the {kind} would be named `{name}`, which is already taken"),
                    )
                    .related(*first, "the name is first used here")
                    .help("set `rust_name:` on one of them"),
                );
            } else {
                seen.insert(name, (loc, kind));
            }
        }
        for t in &s.tables {
            self.name_length(local_name(&t.name), t.loc);
        }
        for e in &s.enums {
            self.name_length(local_name(&e.name), e.loc);
        }
    }

    /// Every Rust name (given with `rust_name` or derived) must be an identifier the generated
    /// code can use.
    pub(super) fn rust_names(&mut self, s: &Schema) {
        let mut check = |name: &str, loc: Loc, what: &str| {
            if syn::parse_str::<syn::Ident>(name).is_err() || is_rust_keyword(name) {
                self.diags.push(
                    Diagnostic::new(Code::BadName, loc, format!("the Rust name `{name}` of {what} is not a usable identifier"))
                        .help("set `rust_name:` to letters, digits and `_`, not starting with a digit, and not a Rust keyword"),
                );
            }
        };
        for e in &s.enums {
            check(&e.rust_name, e.loc, &format!("enum `{}`", e.name));
            for v in &e.values {
                check(
                    &v.rust_name,
                    v.loc,
                    &format!("value `{}` of enum `{}`", v.name, e.name),
                );
            }
        }
        for j in &s.json_types {
            check(&j.rust_name, j.loc, &format!("JSON structure `{}`", j.name));
            for f in &j.fields {
                check(
                    &f.rust_name,
                    f.loc,
                    &format!("field `{}` of `{}`", f.name, j.name),
                );
            }
        }
    }
}
