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
