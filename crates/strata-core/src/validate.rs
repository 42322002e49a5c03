//! Validation of a lowered schema: names, references and types across the whole database.
//!
//! Runs after lowering; reports every problem it finds (never only the first), each at the YAML
//! node it is about. Foreign keys that name no column are resolved here to the target's
//! primary key.

mod views;

use crate::diag::{Code, Diagnostic, Loc, did_you_mean};
use crate::model::*;
use std::collections::BTreeMap;

mod exclusions;
mod foreign_keys;
mod names;
mod partitions;
mod security;
mod tables;

pub fn validate(schema: &mut Schema, diags: &mut Vec<Diagnostic>) {
    fragments(schema, diags);
    let mut v = Validator { diags };
    v.rust_names(schema);
    v.namespaces(schema);
    v.enums(schema);
    v.json_types(schema);
    for t in &schema.tables {
        v.table(schema, t);
        v.exclusions(t);
        v.partitions(t);
    }
    v.resolve_foreign_keys(schema);
    v.sequences(schema);
    v.views(schema);
    v.security(schema);
}

struct Validator<'a> {
    diags: &'a mut Vec<Diagnostic>,
}

impl Validator<'_> {
    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A sequence's owner is a column of the schema, of an integer type.
    fn sequences(&mut self, s: &Schema) {
        for q in &s.sequences {
            self.name_length(local_name(&q.name), q.loc);
            let Some((t, c)) = &q.owned_by else { continue };
            match s.table(t).and_then(|table| table.column(c)) {
                Some(_) => {}
                None => self.err(
                    Diagnostic::new(
                        Code::UnknownColumn,
                        q.loc,
                        format!(
                            "sequence `{}` is owned by `{t}.{c}`, which the schema does not have",
                            q.name
                        ),
                    )
                    .help("name a column as `table.column`, or remove `owned_by`"),
                ),
            }
        }
    }

    fn enums(&mut self, s: &Schema) {
        for e in &s.enums {
            if ColumnType::parse(&e.name, |_| false).is_ok()
                || ColumnType::parse(&format!("{}(1)", e.name), |_| false).is_ok()
            {
                self.err(
                    Diagnostic::new(Code::DuplicateName, e.loc, format!("enum `{}` has the name of a built-in type", e.name))
                        .help("PostgreSQL would use its own type for columns of this name; choose another name"),
                );
            }
            self.no_nul(e.description.as_deref(), e.loc);
            for v in &e.values {
                self.no_nul(Some(&v.name), v.loc);
                self.no_nul(v.description.as_deref(), v.loc);
            }
            let mut seen: BTreeMap<&str, Loc> = BTreeMap::new();
            let mut rust: BTreeMap<&str, Loc> = BTreeMap::new();
            for v in &e.values {
                if let Some(first) = seen.get(v.name.as_str()) {
                    self.err(
                        Diagnostic::new(
                            Code::EnumValues,
                            v.loc,
                            format!("enum `{}` lists the value `{}` twice", e.name, v.name),
                        )
                        .related(*first, "first listed here")
                        .help("remove the duplicate value"),
                    );
                    continue;
                }
                seen.insert(&v.name, v.loc);
                if v.name.is_empty() || v.name.len() > MAX_IDENT_BYTES {
                    self.err(
                        Diagnostic::new(
                            Code::EnumValues,
                            v.loc,
                            format!("enum value `{}` must be 1 to 63 bytes long", v.name),
                        )
                        .help("PostgreSQL limits enum labels to 63 bytes; shorten it"),
                    );
                }
                if let Some(first) = rust.get(v.rust_name.as_str()) {
                    self.err(
                        Diagnostic::new(
                            Code::DuplicateName,
                            v.loc,
                            format!(
                                "enum values of `{}` would both be `{}` in Rust",
                                e.name, v.rust_name
                            ),
                        )
                        .related(*first, "the other value")
                        .help("set `rust_name:` on one of the values"),
                    );
                } else {
                    rust.insert(&v.rust_name, v.loc);
                }
            }
        }
    }

    fn json_types(&mut self, s: &Schema) {
        let mut names: Vec<(&str, Loc, &'static str)> = Vec::new();
        for j in &s.json_types {
            names.push((&j.name, j.loc, "JSON structure"));
            let mut fields: BTreeMap<&str, Loc> = BTreeMap::new();
            for f in &j.fields {
                let mut missing = Vec::new();
                f.ty.each_struct(&mut |n| {
                    if s.json_type(n).is_none() {
                        missing.push(n.to_string());
                    }
                });
                for m in missing {
                    self.err(
                        Diagnostic::new(
                            Code::UnknownJsonType,
                            f.loc,
                            format!(
                                "field `{}` of `{}` names an unknown structure `{m}`",
                                f.name, j.name
                            ),
                        )
                        .help(
                            did_you_mean(&m, s.json_types.iter().map(|x| x.name.as_str()))
                                .unwrap_or_else(|| "declare it under `json_types:`".into()),
                        ),
                    );
                }
                if let Some(first) = fields.get(f.rust_name.as_str()) {
                    self.err(
                        Diagnostic::new(
                            Code::DuplicateName,
                            f.loc,
                            format!(
                                "fields of `{}` would both be `{}` in Rust",
                                j.name, f.rust_name
                            ),
                        )
                        .related(*first, "the other field")
                        .help("set `rust_name:` on one of the fields"),
                    );
                } else {
                    fields.insert(&f.rust_name, f.loc);
                }
                if j.extra && f.rust_name == "extra" {
                    self.err(
                        Diagnostic::new(
                            Code::DuplicateName,
                            f.loc,
                            "`extra` is the Rust field that keeps unknown keys",
                        )
                        .help("set another `rust_name:` for this field"),
                    );
                }
            }
        }
        self.unique_names(names, "");
    }
}

/// Parses every SQL fragment of the schema with PostgreSQL's parser and replaces its text by the
/// expression printed from the parse tree ([`crate::fragment`]); a fragment that is not one
/// expression is reported at the node that holds it.
fn fragments(schema: &mut Schema, diags: &mut Vec<Diagnostic>) {
    for (site, e) in crate::fragment::reprint_schema(schema) {
        diags.push(
            Diagnostic::new(
                Code::BadFragment,
                site.loc,
                format!("{} `{}` {e}", site.what, shorten_for_message(&site.text)),
            )
            .help(if site.what.starts_with("the query of") {
                "write one query (SELECT, VALUES or WITH … SELECT); Strata parses it with PostgreSQL's grammar and writes it back from the parse tree"
            } else {
                "write one SQL expression; Strata parses it with PostgreSQL's grammar and writes it back from the parse tree, so statements, clauses and comments cannot be added"
            }),
        );
    }
}

/// A fragment as quoted in a message: one line, at most 80 characters.
fn shorten_for_message(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match one_line.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

/// E0040: `what` names the schema `schema`, which `schemas:` does not declare.
/// E0049: the unqualified reference `name` (to a `what`), written in an object of `schema`,
/// names an object of that schema and one of `public` alike.
pub(crate) fn ambiguous_reference(what: &str, name: &str, schema: &str, loc: Loc) -> Diagnostic {
    Diagnostic::new(
        Code::AmbiguousReference,
        loc,
        format!("`{name}` could mean the {what} `{schema}.{name}` or the {what} `{name}` of `public`"),
    )
    .help(format!(
        "an unqualified name means the object of the referencing object's own schema, else the one of `public`; when both exist, say which: `{schema}.{name}` or `public.{name}`"
    ))
}

pub(crate) fn undeclared_pg_schema(
    schema: &str,
    what: &str,
    loc: Loc,
    schemas: &[PgSchema],
) -> Diagnostic {
    Diagnostic::new(
        Code::UndeclaredPgSchema,
        loc,
        format!("{what} is in the schema `{schema}`, which `schemas:` does not declare"),
    )
    .help(
        did_you_mean(schema, schemas.iter().map(|s| s.name.as_str())).unwrap_or_else(|| {
            format!("declare it at the top level: `schemas: {{ {schema}: {{}} }}`")
        }),
    )
}
