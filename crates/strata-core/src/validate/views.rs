//! Views: what the query reads exists, and the columns named beside it are the view's.

use super::Validator;
use crate::deps::{self, ObjectName};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::Schema;

impl Validator<'_> {
    pub(super) fn views(&mut self, s: &Schema) {
        let relations: Vec<String> = s
            .tables
            .iter()
            .map(|t| t.name.clone())
            .chain(s.views.iter().map(|v| v.name.clone()))
            .collect();
        for v in &s.views {
            self.name_length(&v.name, v.loc);
            let me = ObjectName::new(v.schema.as_deref(), &v.name);
            let reads = deps::query_reads(&v.query);
            let mut all_known = true;
            for r in &reads.relations {
                if *r == me {
                    self.err(
                        Diagnostic::new(
                            Code::UnknownTable,
                            v.loc,
                            format!("{} `{}` reads itself", v.kind(), v.name),
                        )
                        .help("a view cannot read itself; use `WITH RECURSIVE` inside the query"),
                    );
                    continue;
                }
                if deps::is_system_relation(r) || deps::columns_of(s, r).is_some() {
                    continue;
                }
                all_known = false;
                if s.view(&r.name).is_some() {
                    continue; // known, but its columns could not be read (reported there)
                }
                let help = match did_you_mean(&r.name, relations.iter().map(String::as_str)) {
                    Some(m) => format!(
                        "did you mean `{m}`? A view reads the tables and views of this schema"
                    ),
                    None => "declare the table or view in this schema, or correct the name".into(),
                };
                self.err(
                    Diagnostic::new(
                        Code::UnknownTable,
                        v.loc,
                        format!(
                            "{} `{}` reads `{r}`, which this schema does not declare",
                            v.kind(),
                            v.name
                        ),
                    )
                    .help(help),
                );
            }
            for (r, c) in reads.qualified_columns() {
                let Some(cols) = deps::columns_of(s, r) else {
                    continue;
                };
                if !cols.iter().any(|k| k == c) {
                    self.unknown_column(v, &format!("`{r}.{c}`"), c, &cols, r);
                }
            }
            let output = deps::query_columns(&v.query, |r| deps::columns_of(s, r));
            if all_known && !reads.derived_sources && !reads.relations.is_empty() {
                let readable: Vec<String> = reads
                    .relations
                    .iter()
                    .filter_map(|r| deps::columns_of(s, r))
                    .flatten()
                    .chain(output.clone().unwrap_or_default())
                    .collect();
                let system = reads.relations.iter().any(deps::is_system_relation);
                for c in reads.bare_columns() {
                    if !system && !readable.iter().any(|k| k == c) {
                        let names: Vec<String> =
                            reads.relations.iter().map(|r| r.to_string()).collect();
                        let target = ObjectName::new(None, &names.join(", "));
                        self.unknown_column(v, &format!("`{c}`"), c, &readable, &target);
                    }
                }
            }
            let Some(output) = output else { continue };
            if let Some(fields) = v.fields(s) {
                for f in fields.iter().filter(|f| f.ty.is_none()) {
                    self.err(
                        Diagnostic::new(
                            Code::UnknownType,
                            v.loc,
                            format!(
                                "the type of column `{}` of {} `{}` cannot be read from its query",
                                f.name,
                                v.kind(),
                                v.name
                            ),
                        )
                        .help(format!(
                            "declare it: `columns: {{ {}: {{ type: numeric }} }}` (its type as PostgreSQL gives it), or cast it in the query (`… ::numeric AS {}`)",
                            f.name, f.name
                        )),
                    );
                }
            }
            let mut declared: Vec<(&str, crate::diag::Loc, &str)> = Vec::new();
            declared.extend(
                v.columns
                    .iter()
                    .map(|c| (c.name.as_str(), c.loc, "columns")),
            );
            declared.extend(v.key.iter().map(|k| (k.as_str(), v.loc, "key")));
            for i in &v.indexes {
                for k in &i.keys {
                    if let crate::model::IndexTarget::Column(c) = &k.target {
                        declared.push((c.as_str(), i.loc, "indexes"));
                    }
                }
            }
            for (c, loc, section) in declared {
                if output.iter().any(|o| o == c) {
                    continue;
                }
                let help = match did_you_mean(c, output.iter().map(String::as_str)) {
                    Some(m) => format!(
                        "did you mean `{m}`? The view's columns: {}",
                        output.join(", ")
                    ),
                    None => format!("the view's columns are: {}", output.join(", ")),
                };
                self.err(
                    Diagnostic::new(
                        Code::UnknownColumn,
                        loc,
                        format!(
                            "`{section}:` of {} `{}` names `{c}`, which its query does not return",
                            v.kind(),
                            v.name
                        ),
                    )
                    .help(help),
                );
            }
        }
    }

    fn unknown_column(
        &mut self,
        v: &crate::model::View,
        shown: &str,
        c: &str,
        known: &[String],
        r: &ObjectName,
    ) {
        let help = match did_you_mean(c, known.iter().map(String::as_str)) {
            Some(m) => format!("did you mean `{m}`?"),
            None => format!("`{r}` has the columns: {}", known.join(", ")),
        };
        self.err(
            Diagnostic::new(
                Code::UnknownColumn,
                v.loc,
                format!(
                    "{} `{}` reads {shown}, which `{r}` does not have",
                    v.kind(),
                    v.name
                ),
            )
            .help(help),
        );
    }
}
