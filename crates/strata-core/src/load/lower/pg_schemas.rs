//! `schemas:`: the PostgreSQL schemas other than `public`, and the `schema.name` keys of the
//! objects in them.
//!
//! An object's key is its model name: `invoices` is in `public`, `billing.invoices` in the
//! schema `billing`, which `schemas:` must declare. A reference that names no schema (a
//! foreign key's `references:`, a column's enum type) means the object of that name in the
//! referencing table's own schema when there is one, else the one in `public`.

use super::*;

/// Schemas PostgreSQL keeps for itself, or that every database has.
fn reserved(name: &str) -> Option<&'static str> {
    if name == "public" {
        Some("`public` is always there; objects without a `schema.` prefix are in it")
    } else if name.starts_with("pg_") || name == "information_schema" {
        Some("PostgreSQL keeps `pg_…` and `information_schema` for itself")
    } else if name.contains('.') {
        Some(
            "a `.` separates a schema from a name in a key (`billing.invoices`), so a schema name cannot hold one",
        )
    } else {
        None
    }
}

impl Lowerer<'_> {
    /// The `schemas:` of one file.
    pub(super) fn pg_schemas(&mut self, ci: usize, map: &Mapping, out: &mut Vec<PgSchema>) {
        let path = vec![key("schemas")];
        for (name, v) in entries(&self.ctxs[ci], map, &path, self.diags) {
            let p = with(&path, key(&name));
            let loc = self.ctx(ci).key_loc(&p);
            if let Some(why) = reserved(&name) {
                self.err(
                    Diagnostic::new(
                        Code::PgSchemaName,
                        loc,
                        format!("`{name}` cannot be declared under `schemas:`"),
                    )
                    .help(why),
                );
                continue;
            }
            if let Some(first) = out.iter().find(|s| s.name == name) {
                self.err(
                    Diagnostic::new(
                        Code::DuplicateName,
                        loc,
                        format!("schema `{name}` is declared twice"),
                    )
                    .related(first.loc, "first declared here")
                    .help("declare each schema in one file only"),
                );
                continue;
            }
            let raw = if v.is_null() {
                RawPgSchema::default()
            } else {
                let Some(raw) = self.ctxs[ci].decode::<RawPgSchema>(v, &p, self.diags) else {
                    continue;
                };
                raw
            };
            self.check_name_length(&name, loc);
            out.push(PgSchema {
                name,
                description: raw.comment,
                loc,
            });
        }
    }

    fn check_name_length(&mut self, name: &str, loc: Loc) {
        if name.len() > MAX_IDENT_BYTES {
            self.err(too_long(name, loc));
        }
    }

    /// Drops (and reports) the declarations whose key names a schema `schemas:` does not
    /// declare.
    pub(super) fn in_declared_schemas(
        &mut self,
        what: &str,
        decls: &mut Vec<Decl<Value>>,
        schemas: &[PgSchema],
    ) {
        decls.retain(|d| {
            let (Some(schema), _) = split_qualified(&d.name) else {
                return true;
            };
            if schemas.iter().any(|s| s.name == schema) {
                return true;
            }
            let loc = self.ctxs[d.ctx].key_loc(&d.path);
            self.diags.push(crate::validate::undeclared_pg_schema(
                schema,
                &format!("{what} `{}`", d.name),
                loc,
                schemas,
            ));
            false
        });
    }
}

/// The sections whose keys are objects of a PostgreSQL schema, named `schema.name`: a file's
/// `schema:` qualifies their unqualified keys. (Views and functions carry their schema in their
/// own `schema:` key, which the file's one defaults; mixins and typed JSON are not database
/// objects.)
const QUALIFIED_SECTIONS: &[&str] = &["enums", "sequences", "domains", "tables"];

impl Lowerer<'_> {
    /// Checks each file's `schema:` and records it (by file index): a schema `schemas:`
    /// declares in some file of the database, or `public` (the same as no `schema:`).
    pub(super) fn file_schemas(&mut self, raws: &[(usize, RawFile)], schemas: &[PgSchema]) {
        self.file_schemas = vec![None; self.ctxs.len()];
        for (ci, raw) in raws {
            let Some(name) = &raw.schema else { continue };
            let loc = self.ctx(*ci).loc(&[key("schema")]);
            if name == "public" {
                continue;
            }
            if schemas.iter().any(|s| &s.name == name) {
                self.file_schemas[*ci] = Some(name.clone());
                continue;
            }
            let d = match reserved(name) {
                Some(why) => Diagnostic::new(
                    Code::PgSchemaName,
                    loc,
                    format!("`schema: {name}` names a schema Strata cannot declare"),
                )
                .help(why),
                None => crate::validate::undeclared_pg_schema(
                    name,
                    "this file (`schema:`)",
                    loc,
                    schemas,
                ),
            };
            // The file's objects stay in `public`, so that this one error is all it costs.
            self.err(d);
        }
    }

    /// The file's PostgreSQL schema, if it declares one other than `public`.
    pub(super) fn file_schema(&self, ci: usize) -> Option<&str> {
        self.file_schemas.get(ci).and_then(|s| s.as_deref())
    }

    /// The model name of the key `name` of `section` in file `ci`: qualified by the file's
    /// `schema:` when it names no schema itself; `public.name` is `name` (the way to put an
    /// object of `public` in a file with a `schema:`).
    pub(super) fn in_file_schema(&self, ci: usize, section: &str, name: String) -> String {
        let Some(schema) = self.file_schema(ci) else {
            return name;
        };
        if !QUALIFIED_SECTIONS.contains(&section) {
            return name;
        }
        match split_qualified(&name) {
            (Some("public"), local) => local.to_string(),
            (Some(_), _) => name,
            (None, local) => qualify(Some(schema), local),
        }
    }
}

impl Lowerer<'_> {
    /// E0049 for each foreign key written in a file with a `schema:` whose unqualified
    /// `references:` names a table of the file's schema and one of `public` alike: the file
    /// does not show which schema its tables are in, so such a reference must say.
    pub(super) fn ambiguous_foreign_keys(&mut self, tables: &[Table]) {
        for t in tables {
            let (Some(schema), _) = split_qualified(&t.name) else {
                continue;
            };
            for fk in &t.foreign_keys {
                let from_file_schema = self
                    .ctxs
                    .iter()
                    .position(|c| c.file == fk.loc.file)
                    .is_some_and(|ci| self.file_schema(ci).is_some());
                if from_file_schema
                    && crate::model::ambiguous_reference(&fk.ref_table, Some(schema), |n| {
                        tables.iter().any(|x| x.name == n)
                    })
                {
                    self.err(crate::validate::ambiguous_reference(
                        "table",
                        &fk.ref_table,
                        schema,
                        fk.loc,
                    ));
                }
            }
        }
    }
}

impl Lowerer<'_> {
    /// Whether a column's type `name` is a domain, seen from the table being lowered (its own
    /// schema first, then `public`).
    pub(super) fn domain_known(&self, name: &str) -> bool {
        let exists = |n: &str| self.domains.iter().any(|d| d.name == n);
        let from = self.column_schema.as_ref().map(|(s, _)| s.as_str());
        exists(&crate::model::resolve_reference(name, from, exists))
    }

    /// The model name of the domain a column's type `name` means (see [`Self::domain_known`]);
    /// E0049 for a name that reaches a domain of the table's schema and one of `public` in a
    /// file with a `schema:`.
    pub(super) fn resolve_domain(&self, name: &str, loc: Loc) -> (String, Option<Diagnostic>) {
        let from = self.column_schema.as_ref();
        let exists = |n: &str| self.domains.iter().any(|d| d.name == n);
        let ambiguous = match from {
            Some((schema, true))
                if crate::model::ambiguous_reference(name, Some(schema), exists) =>
            {
                Some(crate::validate::ambiguous_reference(
                    "domain", name, schema, loc,
                ))
            }
            _ => None,
        };
        let from = from.map(|(s, _)| s.as_str());
        (
            crate::model::resolve_reference(name, from, exists),
            ambiguous,
        )
    }
}
