//! Lowering: decoded YAML → the model, with mixins expanded and column keys lifted to
//! table constraints, every constraint and index named.

use super::decode::{FileCtx, scalar_text};
use super::raw::*;
use super::tree::{self, Seg};
use crate::diag::{Code, Diagnostic, Loc, Sources, did_you_mean};
use crate::model::*;
use heck::ToUpperCamelCase;
use serde_yaml::{Mapping, Value};

mod columns;
mod domains;
mod exclusions;
mod index_keys;
mod indexes;
mod literals;
mod options;
mod partitions;
mod pg_schemas;
mod routines;
mod security;
mod sequences;
mod tables;
mod types;
mod views;

use literals::literal_for;
pub use types::parse_json_ty;

pub(super) fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

pub(super) fn with(path: &[Seg], seg: Seg) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(seg);
    p
}

/// A declaration found in some file: where it is and what it says.
struct Decl<T> {
    ctx: usize,
    path: Vec<Seg>,
    name: String,
    raw: T,
}

struct Lowerer<'a> {
    ctxs: Vec<FileCtx>,
    diags: &'a mut Vec<Diagnostic>,
    /// The sequences behind `serial` columns, in table and column order.
    serial_sequences: Vec<Sequence>,
    /// The schema's domains (column types), known before the tables are lowered.
    domains: Vec<Domain>,
    /// The `triggers:` of the tables, lowered once the functions are known.
    trigger_decls: Vec<routines::TriggerDecl>,
    /// The grants found so far (tables, sequences, the top level).
    grants: Vec<Grant>,
    /// The names declared under `schemas:`, known before the tables are lowered.
    pg_schema_names: Vec<String>,
    /// Each file's `schema:` (by file index), once checked against `schemas:`; `None` for a
    /// file without one (or with `schema: public`).
    file_schemas: Vec<Option<String>>,
    /// While a table's columns are lowered: the table's PostgreSQL schema (where its
    /// unqualified domain types are looked up first), and whether its file has a `schema:`.
    column_schema: Option<(String, bool)>,
}

pub fn lower(
    name: &str,
    folder: bool,
    sources: &Sources,
    ids: &[u32],
    diags: &mut Vec<Diagnostic>,
) -> Option<Schema> {
    let mut ctxs = Vec::new();
    let mut raws = Vec::new();
    for &id in ids {
        let Some(src) = sources.get(id) else { continue };
        let root = match tree::parse(&src.text, id) {
            Ok(root) => root,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let before = diags.len();
        root.duplicate_keys(diags);
        if diags.len() > before {
            continue;
        }
        let group = folder.then(|| {
            std::path::Path::new(&src.path)
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
        });
        let ctx = FileCtx {
            file: id,
            root,
            group,
        };
        let raw = match &ctx.root.kind {
            tree::NodeKind::Map(entries) if entries.is_empty() => Some(empty_file()),
            tree::NodeKind::Map(_) => decode_file(&ctx, &src.text, diags),
            tree::NodeKind::Scalar(s) if s.is_empty() => Some(empty_file()),
            _ => {
                diags.push(
                    Diagnostic::new(Code::Shape, ctx.root.loc, "a schema file must be a mapping")
                        .help(format!(
                            "start with one of the keys: {}",
                            FILE_KEYS.join(", ")
                        )),
                );
                None
            }
        };
        if let Some(raw) = raw {
            raws.push((ctxs.len(), raw));
            ctxs.push(ctx);
        }
    }
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !is_rust_keyword(name);
    if !valid_name {
        let file = ids.first().copied().unwrap_or(0);
        diags.push(
            Diagnostic::new(Code::Database, Loc { file, line: 1, col: 1, offset: 0 }, format!("`{name}` is not a usable database name"))
                .help("name the schema file or folder in snake_case (letters, digits, `_`): it becomes the Rust module name"),
        );
    }
    let mut l = Lowerer {
        ctxs,
        diags,
        serial_sequences: Vec::new(),
        pg_schema_names: Vec::new(),
        file_schemas: Vec::new(),
        column_schema: None,
        domains: Vec::new(),
        trigger_decls: Vec::new(),
        grants: Vec::new(),
    };
    l.schema(name, raws)
}

fn empty_file() -> RawFile {
    RawFile {
        description: None,
        extensions: None,
        derives: None,
        allow: None,
        schemas: Mapping::new(),
        schema: None,
        enums: Mapping::new(),
        json_types: Mapping::new(),
        sequences: Mapping::new(),
        domains: Mapping::new(),
        mixins: Mapping::new(),
        tables: Mapping::new(),
        functions: Mapping::new(),
        views: Mapping::new(),
        roles: Value::Null,
        grants: None,
    }
}

fn decode_file(ctx: &FileCtx, text: &str, diags: &mut Vec<Diagnostic>) -> Option<RawFile> {
    let de = serde_yaml::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, RawFile>(de) {
        Ok(f) => Some(f),
        Err(err) => {
            let path: Vec<Seg> = err
                .path()
                .iter()
                .filter_map(|s| match s {
                    serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
                    serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
                    _ => None,
                })
                .collect();
            let mut d = ctx.shape_error(&path, &err.inner().to_string());
            if path.is_empty()
                && d.code != Code::UnknownKey
                && let Some(l) = err.inner().location()
            {
                d.loc = Loc {
                    file: ctx.file,
                    line: l.line() as u32,
                    col: l.column() as u32,
                    offset: l.index() as u32,
                };
            }
            diags.push(d);
            None
        }
    }
}

/// The string keys of a mapping with their values (a non-string key is reported).
fn entries<'m>(
    ctx: &FileCtx,
    map: &'m Mapping,
    path: &[Seg],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, &'m Value)> {
    let mut out = Vec::with_capacity(map.len());
    for (k, v) in map {
        match scalar_text(k) {
            Some(name) if !name.is_empty() => out.push((name, v)),
            _ => diags.push(
                Diagnostic::new(
                    Code::BadName,
                    ctx.loc(path),
                    "a name here must be a non-empty string",
                )
                .help("write the name as a plain YAML key"),
            ),
        }
    }
    out
}

impl Lowerer<'_> {
    fn ctx(&self, i: usize) -> &FileCtx {
        &self.ctxs[i]
    }

    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn schema(&mut self, name: &str, raws: Vec<(usize, RawFile)>) -> Option<Schema> {
        let mut description: Option<(String, Loc)> = None;
        let mut extensions: Option<(Vec<String>, Loc)> = None;
        let mut derives: Option<(Vec<String>, Loc)> = None;
        let mut allow: Vec<String> = Vec::new();
        let mut enum_decls = Vec::new();
        let mut sequence_decls = Vec::new();
        let mut domain_decls = Vec::new();
        let mut json_decls = Vec::new();
        let mut mixin_decls = Vec::new();
        let mut table_decls = Vec::new();
        let mut function_decls = Vec::new();
        let mut view_decls = Vec::new();
        let mut groups = Vec::new();
        let mut roles = Vec::new();
        let mut pg_schemas = Vec::new();

        // The schemas first: a file's `schema:` may name one another file declares.
        for (ci, raw) in &raws {
            self.pg_schemas(*ci, &raw.schemas, &mut pg_schemas);
        }
        self.file_schemas(&raws, &pg_schemas);
        for (ci, raw) in raws {
            if let Some(g) = &self.ctx(ci).group {
                groups.push(g.clone());
            }
            let once = |slot_loc: Option<Loc>, k: &str, this: &mut Self| -> bool {
                if let Some(first) = slot_loc {
                    let loc = this.ctx(ci).key_loc(&[key(k)]);
                    this.err(
                        Diagnostic::new(
                            Code::Database,
                            loc,
                            format!("`{k}` is set in two files of this schema"),
                        )
                        .related(first, "first set here")
                        .help(format!("set `{k}` in one file of the folder only")),
                    );
                    false
                } else {
                    true
                }
            };
            if let Some(d) = raw.description
                && once(description.as_ref().map(|x| x.1), "description", self)
            {
                description = Some((d, self.ctx(ci).key_loc(&[key("description")])));
            }
            if let Some(e) = raw.extensions
                && once(extensions.as_ref().map(|x| x.1), "extensions", self)
            {
                extensions = Some((e, self.ctx(ci).key_loc(&[key("extensions")])));
            }
            if let Some(d) = raw.derives
                && once(derives.as_ref().map(|x| x.1), "derives", self)
            {
                derives = Some((d, self.ctx(ci).key_loc(&[key("derives")])));
            }
            allow.extend(raw.allow.unwrap_or_default());
            self.collect(ci, "enums", &raw.enums, &mut enum_decls);
            self.collect(ci, "json_types", &raw.json_types, &mut json_decls);
            self.collect(ci, "sequences", &raw.sequences, &mut sequence_decls);
            self.collect(ci, "domains", &raw.domains, &mut domain_decls);
            self.collect(ci, "mixins", &raw.mixins, &mut mixin_decls);
            self.collect(ci, "tables", &raw.tables, &mut table_decls);
            self.collect(ci, "functions", &raw.functions, &mut function_decls);
            self.collect(ci, "views", &raw.views, &mut view_decls);
            self.roles(ci, &raw.roles, &mut roles);
            if let Some(g) = &raw.grants {
                let mut found = Vec::new();
                self.top_grants(ci, g, &mut found);
                self.grants.append(&mut found);
            }
        }

        self.pg_schema_names = pg_schemas.iter().map(|s| s.name.clone()).collect();
        self.in_declared_schemas("enum", &mut enum_decls, &pg_schemas);
        self.in_declared_schemas("sequence", &mut sequence_decls, &pg_schemas);
        self.in_declared_schemas("domain", &mut domain_decls, &pg_schemas);
        self.in_declared_schemas("table", &mut table_decls, &pg_schemas);
        let enums = self.enums(enum_decls);
        let mut sequences = self.sequences(sequence_decls);
        let domains = self.domains(domain_decls, &enums);
        self.domains = domains.clone();
        let json_types = self.json_types(json_decls);
        let mixins: Vec<Decl<RawMixin>> = mixin_decls
            .into_iter()
            .filter_map(|d| {
                let ctx = &self.ctxs[d.ctx];
                ctx.decode::<RawMixin>(&d.raw, &d.path, self.diags)
                    .map(|raw| Decl {
                        ctx: d.ctx,
                        path: d.path,
                        name: d.name,
                        raw,
                    })
            })
            .collect();
        let enum_names: Vec<String> = enums.iter().map(|e| e.name.clone()).collect();
        let json_names: Vec<String> = json_types.iter().map(|j| j.name.clone()).collect();
        let mut tables = Vec::new();
        for d in table_decls {
            if let Some(t) = self.table(d, &mixins, &enum_names, &json_names) {
                tables.push(t);
            }
        }
        self.ambiguous_foreign_keys(&tables);
        if let Some((list, loc)) = &derives {
            for d in list {
                if syn::parse_str::<syn::Path>(d).is_err() {
                    self.diags.push(
                        Diagnostic::new(
                            Code::BadName,
                            *loc,
                            format!("`{d}` is not a Rust path to derive"),
                        )
                        .help("write derives as Rust paths, e.g. `Eq` or `serde::Serialize`"),
                    );
                }
            }
        }
        if let Some((list, loc)) = &extensions {
            for e in list {
                if e.is_empty()
                    || !e
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    self.diags.push(
                        Diagnostic::new(
                            Code::BadName,
                            *loc,
                            format!("`{e}` is not an extension name"),
                        )
                        .help("name an extension as PostgreSQL does, e.g. `pgcrypto`"),
                    );
                }
            }
        }
        sequences.append(&mut self.serial_sequences);
        let functions = self.functions(function_decls);
        let trigger_decls = std::mem::take(&mut self.trigger_decls);
        let triggers = self.triggers(trigger_decls, &tables, &functions);
        let views = self.views(view_decls, &enum_names);
        let mut grants = std::mem::take(&mut self.grants);
        normalize_grants(&mut grants);
        let mut schema = Schema {
            name: name.to_string(),
            description: description.map(|d| d.0),
            extensions: extensions.map(|e| e.0).unwrap_or_default(),
            derives: derives.as_ref().map(|d| d.0.clone()).unwrap_or_default(),
            allow,
            pg_schemas,
            groups,
            enums,
            json_types,
            sequences,
            domains,
            tables,
            functions,
            triggers,
            views,
            roles,
            grants,
        };
        crate::validate::validate(&mut schema, self.diags);
        if let Some((list, loc)) = &derives {
            for d in list {
                if let Some(why) = crate::render::rust::derive_problem(&schema, d, list) {
                    self.diags.push(
                        Diagnostic::new(
                            Code::Derive,
                            *loc,
                            format!("`derives: [{d}]` would not compile: {why}"),
                        )
                        .help("remove it from `derives:`, or change the column so every generated struct can derive it"),
                    );
                }
            }
        }
        Some(schema)
    }

    fn collect(&mut self, ci: usize, section: &str, map: &Mapping, out: &mut Vec<Decl<Value>>) {
        let path = vec![key(section)];
        for (name, v) in entries(&self.ctxs[ci], map, &path, self.diags) {
            out.push(Decl {
                ctx: ci,
                path: with(&path, key(&name)),
                name: self.in_file_schema(ci, section, name),
                raw: v.clone(),
            });
        }
    }

    fn name_loc(&self, d: &Decl<impl Sized>) -> Loc {
        self.ctx(d.ctx).key_loc(&d.path)
    }

    /// An explicit name (checked against the 63-byte limit) or a generated one (shortened).
    fn explicit_or(
        &mut self,
        explicit: Option<String>,
        loc: Loc,
        generated: impl FnOnce() -> String,
    ) -> String {
        match explicit {
            Some(n) => {
                if n.len() > MAX_IDENT_BYTES {
                    self.diags.push(too_long(&n, loc));
                }
                n
            }
            None => shorten_ident(&generated()),
        }
    }

    fn check_rust_ident(&mut self, name: &str, ci: usize, path: &[Seg]) {
        if syn::parse_str::<syn::Ident>(name).is_err() || is_rust_keyword(name) {
            let loc = self.ctx(ci).loc(path);
            self.diags.push(
                Diagnostic::new(Code::BadName, loc, format!("`{name}` is not a usable Rust identifier"))
                    .help("use letters, digits and `_`, not starting with a digit, and not a Rust keyword"),
            );
        }
    }
}

/// Where a column was declared: file, path, name, YAML value, and the mixin it came from.
type ColumnSource = (usize, Vec<Seg>, String, Value, Option<String>);

struct ColumnExtra {
    /// The sequence type of a `serial` column.
    serial: Option<BaseType>,
    primary_key: bool,
    unique: bool,
    references: Option<(String, Option<String>, Loc)>,
    on_delete: FkAction,
    on_update: FkAction,
    check: Option<String>,
}

fn short_column(ty: String, nullable: bool) -> RawColumn {
    RawColumn {
        ty,
        nullable,
        default: None,
        default_sql: None,
        generated: None,
        using: None,
        identity: None,
        identity_options: None,
        backfill: None,
        primary_key: false,
        unique: false,
        references: None,
        on_delete: None,
        on_update: None,
        check: None,
        auto_update: false,
        soft_delete: false,
        json: None,
        collation: None,
        description: None,
        rust_name: None,
        renamed_from: None,
    }
}

fn deferrable(d: Option<RawDeferrable>) -> Deferrable {
    match d {
        None => Deferrable::No,
        Some(RawDeferrable::Immediate) => Deferrable::Immediate,
        Some(RawDeferrable::Deferred) => Deferrable::Deferred,
    }
}

/// A name of an operator class, collation or storage parameter: letters, digits, `_`, `$`
/// and `-`, optionally `schema.`-qualified (each part is quoted when printed).
pub(super) fn is_sql_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 2 * MAX_IDENT_BYTES + 1
        && n.split('.').count() <= 2
        && n.split('.').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '-')
        })
}

fn action(a: Option<RawFkAction>) -> FkAction {
    match a {
        None | Some(RawFkAction::NoAction) => FkAction::NoAction,
        Some(RawFkAction::Cascade) => FkAction::Cascade,
        Some(RawFkAction::SetNull) => FkAction::SetNull,
        Some(RawFkAction::SetDefault) => FkAction::SetDefault,
        Some(RawFkAction::Restrict) => FkAction::Restrict,
    }
}

pub(super) fn too_long(name: &str, loc: Loc) -> Diagnostic {
    Diagnostic::new(
        Code::NameTooLong,
        loc,
        format!(
            "`{name}` is {} bytes long; PostgreSQL keeps only 63 and would silently truncate it",
            name.len()
        ),
    )
    .help("choose a name of at most 63 bytes")
}

/// Type names people bring from other tools, each with a hint in [`type_hint`].
const TYPE_HINT_WORDS: &[&str] = &[
    "string",
    "datetime",
    "serial",
    "bigserial",
    "double",
    "int64",
    "long",
    "bytes",
    "blob",
    "object",
    "dict",
];

/// Suggestions for type names people bring from other tools.
fn type_hint(word: &str) -> Option<String> {
    let w = word.to_ascii_lowercase();
    let s = match w.as_str() {
        "string" | "str" => "use `text`, or `varchar(n)` for a bounded string",
        "datetime" => "use `timestamptz` (a UTC instant) or `timestamp`",
        "serial" | "bigserial" => "use `integer` or `bigint` with `identity: by_default`",
        "double" | "f64" => "use `double precision`",
        "int64" | "i64" | "long" => "use `bigint`",
        "bytes" | "blob" => "use `bytea`",
        "object" | "dict" => "use `jsonb`",
        _ => return None,
    };
    Some(s.to_string())
}

/// An UpperCamelCase Rust type or variant name; `prefix` is put in front of a leading digit.
pub fn type_ident(name: &str, prefix: &str) -> String {
    let camel: String = name
        .to_upper_camel_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{camel}")
    } else if is_rust_keyword(&camel) {
        format!("{camel}_")
    } else {
        camel
    }
}
