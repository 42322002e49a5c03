//! Rust models: the validated model → one Rust module per database.
//!
//! One function, [`generate`], turns a [`Schema`] and [`Settings`] into the tokens of the
//! module's body; both fronts call it. `cargo xtask codegen` writes [`render_module`] (the
//! tokens parsed as a `syn::File` and printed by prettyplease, no rustfmt) to
//! `generated/src/<db>.rs`; the `schema!` proc-macro expands [`schema_macro`], which wraps the
//! same tokens in `pub mod <db> { … }`. A test compares the two for every seed database.
//!
//! For each table the module holds:
//! - the row struct (`Owner`): one field per column in declaration order, `Option` where
//!   nullable, serde names equal to the SQL names; with constants `TABLE`, `COLUMNS`,
//!   `PRIMARY_KEY`, `AUTO_UPDATED` and ready statements `SELECT`, `SELECT_BY_PK`, `INSERT`,
//!   `UPDATE_BY_PK`, `DELETE_BY_PK`;
//! - the insert struct (`NewOwner`): columns the database fills are `Option` (`None` leaves the
//!   column to its default; `Option<Option<T>>` when the column is also nullable) or absent
//!   (identity `ALWAYS`). Since a column listed in an INSERT never gets its default, the INSERT
//!   lists exactly the provided columns: `insert_sql()` returns the ready `INSERT` when every
//!   optional field is `Some` and otherwise builds the statement from the fixed, quoted column
//!   names (`strata_runtime::sql::insert_provided`);
//! - behind the `postgres` feature of the crate (see [`Postgres`]): `TryFrom<&Row>`, and the
//!   parameter lists `pk_params()`, `update_params()` and `insert_params()`, in the order of
//!   the statements' `$n`.
//!
//! Enums become Rust enums (PostgreSQL labels in serde and SQL), typed JSON structures become
//! serde structs read and written through `strata_runtime::Json`. Every path is fully qualified
//! through the runtime crate (`::strata_runtime::__private::…`), so the generated code needs no
//! other dependency and no name in the module can shadow one it uses.
//!
//! ```
//! let schema = strata::load::load_sources(
//!     "shop",
//!     false,
//!     vec![strata::load::SourceText {
//!         path: "schemas/shop.yaml".into(),
//!         text: "tables:\n  products:\n    columns:\n      id: { type: uuid, primary_key: true }\n      title: text\n".into(),
//!     }],
//! )
//! .expect("a valid schema");
//! let text = strata::render::rust::render_module(&schema);
//! assert!(text.contains("pub struct Product {"));
//! assert!(text.contains(r#"pub const SELECT: &str = "SELECT id, title FROM products";"#));
//! // The same tokens, for a proc-macro or a build script:
//! let tokens = strata::render::rust::generate(&schema, &strata::render::rust::Settings::default());
//! assert!(syn::parse2::<syn::File>(tokens).is_ok());
//! ```

mod builder;
mod constraints;
mod derives;
mod enums;
mod expand;
mod functions;
mod json;
mod migrations;
mod names;
mod pages;
mod patch;
mod queries;
mod settings;
mod statements;
mod tables;
mod through;
mod types;
mod views;

pub use derives::{BUILT_IN_DERIVES, CHECKED_DERIVES, derive_problem};
pub use expand::{SchemaMacroArgs, schema_macro};
pub use migrations::{EmbeddedMigrations, migrations_module};
pub use settings::{Postgres, Settings};

use crate::model::Schema;
use proc_macro2::TokenStream;
use quote::quote;
use std::cell::RefCell;

/// The body of the Rust module of one database: module docs, `TABLES`, the enums, the JSON
/// structures and every table's items.
///
/// A name the generator cannot use as a Rust identifier (possible only for `rust_name`s the
/// loader does not check) becomes a `compile_error!` in the output, never a panic.
pub fn generate(schema: &Schema, settings: &Settings) -> TokenStream {
    generate_checked(schema, settings).0
}

/// `pub mod <db> { <generate()> }`: what the `schema!` macro expands to.
pub fn generate_module(schema: &Schema, settings: &Settings) -> TokenStream {
    let g = Gen::new(schema, settings);
    let name = g.ident(&schema.name, || "the database name".into());
    let body = generate(schema, settings);
    let errors = g.error_tokens();
    quote! {
        pub mod #name {
            #body
        }
        #errors
    }
}

/// The file `generated/src/<db>.rs`: the header line, then [`generate`] with default settings,
/// formatted. A generator bug (tokens that do not parse) or an unusable name gives a file that
/// fails to compile with a message saying so, never a panic and never a silently empty file;
/// use [`try_render_module`] to get the error instead.
pub fn render_module(schema: &Schema) -> String {
    match try_render_module(schema, &Settings::default()) {
        Ok(text) => text,
        Err(e) => {
            let message = format!(
                "strata could not generate the module of `{}`: {e}",
                schema.name
            );
            format!("{}compile_error!({message:?});\n", header(schema))
        }
    }
}

/// [`render_module`] with settings, returning the error instead of a failing file.
///
/// The tables are generated and formatted in parallel (rayon), in runs of consecutive tables,
/// each printed on its own; the texts are joined in table order, so the bytes do not depend on
/// the number of threads. Each part's tokens and syntax tree are dropped as soon as it is
/// printed: the tokens of the whole module are never in memory at once.
pub fn try_render_module(schema: &Schema, settings: &Settings) -> Result<String, RenderError> {
    use rayon::prelude::*;
    // proc-macro2's tokens (and so `Settings`' path and `Gen`) cannot cross threads: each run
    // builds its own generator from this, whose parts can.
    let shared = SendSettings::of(settings);
    let runs = table_runs(schema.tables.len(), rayon::current_num_threads());
    let mut printed: Vec<Printed> = std::iter::once(None)
        .chain(runs.into_iter().map(Some))
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|run| {
            let settings = shared.settings();
            let g = Gen::new(schema, &settings);
            let mut out = Printed::default();
            match run {
                // The module docs, `TABLES`, the enums and the JSON structures.
                None => {
                    g.check_type_names();
                    let part = head_items(&g);
                    out.print(part);
                    for v in &schema.views {
                        out.print(views::view_items(&g, v));
                    }
                }
                Some(range) => {
                    for t in &schema.tables[range] {
                        out.print(tables::table_items(&g, t));
                    }
                }
            }
            out.errors = g.errors.into_inner();
            out
        })
        .collect();
    let mut errors = Vec::new();
    let mut parse_error = None;
    for p in printed.iter_mut() {
        errors.append(&mut p.errors);
        if parse_error.is_none() {
            parse_error = p.parse_error.take();
        }
    }
    if !errors.is_empty() {
        return Err(RenderError::Names(errors));
    }
    if let Some(e) = parse_error {
        return Err(e);
    }
    // The parts are spaced into the file one after another and each dropped once copied, so
    // the module's text is in memory about twice at most (the parts left, and the file).
    let size: usize = printed.iter().map(|p| p.text.len()).sum();
    let mut text = header(schema);
    text.reserve(size + size / 16);
    let mut spacer = Spacer::default();
    for p in printed {
        spacer.push(&mut text, &p.text);
    }
    Ok(text)
}

/// The settings in a form that can be sent to another thread.
struct SendSettings {
    runtime: String,
    postgres: Postgres,
}

impl SendSettings {
    fn of(settings: &Settings) -> Self {
        let runtime = settings.get_runtime_path();
        SendSettings {
            runtime: quote!(#runtime).to_string(),
            postgres: settings.get_postgres().clone(),
        }
    }

    fn settings(&self) -> Settings {
        // The path was printed from a `syn::Path`, so it parses back to the same path.
        let runtime = syn::parse_str::<syn::Path>(&self.runtime)
            .unwrap_or_else(|_| syn::parse_quote!(::strata_runtime));
        Settings::default()
            .runtime_path(runtime)
            .postgres(self.postgres.clone())
    }
}

/// The text of some parts of a module, printed, with the generator's errors and the first
/// part that did not parse.
#[derive(Default)]
struct Printed {
    text: String,
    errors: Vec<String>,
    parse_error: Option<RenderError>,
}

impl Printed {
    fn print(&mut self, part: TokenStream) {
        if self.parse_error.is_none()
            && let Err(e) = print_part(&mut self.text, part)
        {
            self.parse_error = Some(e);
        }
    }
}

/// The tables split into runs of consecutive tables, a few per thread so that threads that
/// finish early take more; none when there are no tables.
fn table_runs(tables: usize, threads: usize) -> Vec<std::ops::Range<usize>> {
    let runs = (threads.max(1) * 4).min(tables.max(1));
    let size = tables.div_ceil(runs).max(1);
    (0..tables)
        .step_by(size)
        .map(|start| start..(start + size).min(tables))
        .collect()
}

/// The file `generated/src/lib.rs` of the models crate: a module per database.
pub fn render_lib(schemas: &[Schema]) -> String {
    let mut errors = Vec::new();
    let mods = schemas
        .iter()
        .map(|s| {
            let name = names::ident_or_error(&s.name).unwrap_or_else(|e| {
                let msg = format!("strata: database `{}`: {e}", s.name);
                errors.push(quote!(::core::compile_error!(#msg);));
                names::fallback_ident()
            });
            // The file is printed by prettyplease; `cargo fmt` must not rewrite it.
            quote!(#[rustfmt::skip] pub mod #name;)
        })
        .collect::<Vec<_>>();
    let doc = names::doc(
        "The Rust models of the databases under `schemas/`, generated by Strata (`cargo xtask \
         codegen`): one module per database.\n\n\
         With the feature `postgres`, rows are read from and written to PostgreSQL through \
         tokio-postgres; without it the crate holds only the types, constants and SQL. With the \
         feature `migrate`, `migrations::<db>::migrate(&mut client)` applies the database's \
         migrations.",
        true,
    );
    let tokens = quote! {
        #doc
        /// The runtime the models use (`runtime::pg::{insert, select_all, …}`, row errors), so
        /// an application needs no second dependency to use them.
        pub use ::strata_runtime as runtime;
        #(#mods)*
        /// Each database's migrations, embedded, and `migrate(&mut client)` (feature `migrate`).
        #[cfg(feature = "migrate")]
        #[rustfmt::skip]
        pub mod migrations;
        #(#errors)*
    };
    let header = crate::render::header("//", "schemas/");
    match format_file(tokens) {
        Ok(text) => format!("{header}{text}"),
        Err(e) => format!("{header}compile_error!({:?});\n", e.to_string()),
    }
}

/// Parses tokens as a file and prints them with prettyplease, with a blank line between items.
pub fn format_file(tokens: TokenStream) -> Result<String, RenderError> {
    let mut printed = String::new();
    print_part(&mut printed, tokens)?;
    Ok(space_items(&printed))
}

/// Appends one part of a file, a whole number of items (the first part may also start with the
/// module's inner attributes), parsed and printed by prettyplease on its own. prettyplease
/// prints a file as its inner attributes, then each item ending on a hard line break, so the
/// parts printed one after another give the text of the whole file printed at once.
fn print_part(out: &mut String, part: TokenStream) -> Result<(), RenderError> {
    let file = syn::parse2::<syn::File>(part).map_err(|e| RenderError::Parse(e.to_string()))?;
    out.push_str(&prettyplease::unparse(&file));
    Ok(())
}

/// prettyplease keeps no blank lines; put one after the module docs, between top-level items
/// and between the items of an `impl` (a line that closes an item at its indentation, followed
/// by one that starts another there).
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    Spacer::default().push(&mut out, text);
    out
}

/// [`space_items`] over a text given in pieces of whole lines: it remembers the last line of
/// the previous piece.
#[derive(Default)]
struct Spacer {
    prev: Option<String>,
}

impl Spacer {
    fn push(&mut self, out: &mut String, text: &str) {
        let mut prev = self.prev.take();
        let mut last = None;
        for line in text.lines() {
            let p = last.or(prev.as_deref());
            if let Some(p) = p {
                let top_end = p == "}" || (!p.starts_with(char::is_whitespace) && p.ends_with(';'));
                let docs_end = p.starts_with("//!") && !line.starts_with("//!");
                let top_start = !line.is_empty() && !line.starts_with(char::is_whitespace);
                let impl_end = p == "    }";
                let impl_start =
                    line.starts_with("    ") && !line.starts_with("     ") && line.trim() != "}";
                if (top_start && (top_end || docs_end)) || (impl_end && impl_start) {
                    out.push('\n');
                }
            }
            out.push_str(line);
            out.push('\n');
            last = Some(line);
        }
        if let Some(l) = last {
            prev = Some(l.to_string());
        }
        self.prev = prev;
    }
}

/// Why Rust could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// Names the generator cannot use as Rust identifiers (one message each).
    #[error("{}", .0.join("; "))]
    Names(Vec<String>),
    /// The generated tokens are not a Rust file: a bug in the generator.
    #[error("the generated code does not parse ({0}); this is a bug in strata")]
    Parse(String),
}

fn header(schema: &Schema) -> String {
    let source = if schema.groups.is_empty() {
        format!("schemas/{}.yaml", schema.name)
    } else {
        format!("schemas/{}/", schema.name)
    };
    crate::render::header("//", &source)
}

/// The tokens, and the messages of the `compile_error!`s they contain.
fn generate_checked(schema: &Schema, settings: &Settings) -> (TokenStream, Vec<String>) {
    let mut tokens = TokenStream::new();
    let errors = generate_each(schema, settings, |part| tokens.extend(part));
    (tokens, errors)
}

/// Hands the tokens to `each` in parts of whole items, in order (module docs, `TABLES`, enums
/// and JSON structures; then one part per table; then the `compile_error!`s), and returns the
/// messages of those errors.
fn generate_each(
    schema: &Schema,
    settings: &Settings,
    mut each: impl FnMut(TokenStream),
) -> Vec<String> {
    let g = Gen::new(schema, settings);
    g.check_type_names();
    each(head_items(&g));
    for v in &schema.views {
        each(views::view_items(&g, v));
    }
    for t in &schema.tables {
        each(tables::table_items(&g, t));
    }
    each(g.error_tokens());
    g.errors.into_inner()
}

/// The first part of the module: its docs, `TABLES`, the enums and the JSON structures.
fn head_items(g: &Gen<'_>) -> TokenStream {
    let schema = g.schema;
    let doc = names::doc(&module_doc(schema), true);
    let tables_const = tables::tables_const(g);
    let enums = schema
        .enums
        .iter()
        .map(|e| enums::enum_items(g, e))
        .collect::<Vec<_>>();
    let json = json::json_items(g);
    let functions = functions::function_items(g);
    quote! {
        #doc
        #tables_const
        #(#enums)*
        #json
        #functions
    }
}

fn module_doc(schema: &Schema) -> String {
    let mut doc = match &schema.description {
        Some(d) => format!("{}\n\n", d.trim()),
        None => String::new(),
    };
    doc.push_str(&format!(
        "Database `{}`: a row struct and a `New…` insert struct per table, with ready SQL.",
        schema.name
    ));
    doc
}

/// The generator's state for one schema: settings as tokens, and the errors met so far.
struct Gen<'a> {
    schema: &'a Schema,
    /// The runtime crate (`::strata_runtime`).
    rt: TokenStream,
    /// Its re-exports (`::strata_runtime::__private`).
    p: TokenStream,
    serde_crate: String,
    postgres: Postgres,
    errors: RefCell<Vec<String>>,
}

impl<'a> Gen<'a> {
    fn new(schema: &'a Schema, settings: &'a Settings) -> Self {
        let rt = settings.get_runtime_path();
        Gen {
            schema,
            rt: quote!(#rt),
            p: quote!(#rt::__private),
            serde_crate: settings.serde_crate(),
            postgres: settings.get_postgres().clone(),
            errors: RefCell::new(Vec::new()),
        }
    }

    fn error(&self, message: String) {
        self.errors.borrow_mut().push(message);
    }

    /// `name` as an identifier; an unusable name is reported and replaced.
    fn ident(&self, name: &str, what: impl FnOnce() -> String) -> proc_macro2::Ident {
        match names::ident_or_error(name) {
            Ok(i) => i,
            Err(e) => {
                self.error(format!("{} `{name}`: {e}", what()));
                names::fallback_ident()
            }
        }
    }

    /// The items behind the tokio-postgres setting: each under `#[cfg(feature = "…")]`, as
    /// they are, or nothing.
    fn pg<const N: usize>(&self, items: [TokenStream; N]) -> TokenStream {
        let items = items.into_iter().map(|item| match &self.postgres {
            Postgres::Feature(f) => quote! {
                #[cfg(feature = #f)]
                #item
            },
            Postgres::Always => item,
            Postgres::Never => TokenStream::new(),
        });
        quote!(#(#items)*)
    }

    /// `#[serde(crate = "…")]`.
    fn serde_crate_attr(&self) -> TokenStream {
        let c = &self.serde_crate;
        quote!(#[serde(crate = #c)])
    }

    /// The schema's extra derives (`derives:`), as paths.
    fn extra_derives(&self) -> Vec<syn::Path> {
        self.schema
            .derives
            .iter()
            .filter_map(|d| match syn::parse_str::<syn::Path>(d) {
                Ok(p) => Some(p),
                Err(_) => {
                    self.error(format!("derive `{d}` is not a Rust path"));
                    None
                }
            })
            .collect()
    }

    /// Reports two generated types with the same name (a `New…` struct is named from its
    /// table, so `users` and `new_users` would both give `NewUser`).
    fn check_type_names(&self) {
        let mut seen = std::collections::BTreeMap::new();
        let names = self
            .schema
            .tables
            .iter()
            .flat_map(|t| {
                [
                    (
                        t.rust_name.clone(),
                        format!("the row struct of table `{}`", t.name),
                    ),
                    (
                        format!("New{}", t.rust_name),
                        format!("the insert struct of table `{}`", t.name),
                    ),
                    (
                        patch::patch_name(t),
                        format!("the patch struct of table `{}`", t.name),
                    ),
                    (
                        constraints::constraint_enum_name(t),
                        format!("the constraint enum of table `{}`", t.name),
                    ),
                ]
            })
            .chain(
                self.schema
                    .enums
                    .iter()
                    .map(|e| (e.rust_name.clone(), format!("enum `{}`", e.name))),
            )
            .chain(
                self.schema
                    .json_types
                    .iter()
                    .map(|j| (j.rust_name.clone(), format!("JSON structure `{}`", j.name))),
            );
        for (name, what) in names {
            if name == "TABLES" {
                self.error(format!("{what} would be named `TABLES`, which the module uses for its table list; set `rust_name:`"));
            }
            if let Some(first) = seen.insert(name.clone(), what.clone()) {
                self.error(format!("{what} and {first} would both be named `{name}`; set `rust_name:` on one of them"));
            }
        }
    }

    fn error_tokens(&self) -> TokenStream {
        let errors = self.errors.borrow();
        let errors = errors.iter().map(|e| {
            let msg = format!("strata: {e}");
            quote!(::core::compile_error!(#msg);)
        });
        quote!(#(#errors)*)
    }
}
