//! Lowering: decoded YAML → the model, with mixins expanded and column keys lifted to
//! table constraints, every constraint and index named.

use super::decode::{FileCtx, scalar_text};
use super::raw::*;
use super::tree::{self, Seg};
use crate::diag::{Code, Diagnostic, Loc, Sources, did_you_mean};
use crate::model::*;
use heck::ToUpperCamelCase;
use serde_yaml::{Mapping, Value};

mod domains;
mod options;
mod sequences;

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
        domains: Vec::new(),
    };
    l.schema(name, raws)
}

fn empty_file() -> RawFile {
    RawFile {
        description: None,
        extensions: None,
        derives: None,
        allow: None,
        enums: Mapping::new(),
        json_types: Mapping::new(),
        sequences: Mapping::new(),
        domains: Mapping::new(),
        mixins: Mapping::new(),
        tables: Mapping::new(),
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
        let mut groups = Vec::new();

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
        }

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
        let mut schema = Schema {
            name: name.to_string(),
            description: description.map(|d| d.0),
            extensions: extensions.map(|e| e.0).unwrap_or_default(),
            derives: derives.as_ref().map(|d| d.0.clone()).unwrap_or_default(),
            allow,
            groups,
            enums,
            json_types,
            sequences,
            domains,
            tables,
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
                name,
                raw: v.clone(),
            });
        }
    }

    fn name_loc(&self, d: &Decl<impl Sized>) -> Loc {
        self.ctx(d.ctx).key_loc(&d.path)
    }

    fn enums(&mut self, decls: Vec<Decl<Value>>) -> Vec<Enum> {
        let mut out: Vec<Enum> = Vec::new();
        for d in decls {
            let loc = self.name_loc(&d);
            let ctx = &self.ctxs[d.ctx];
            let Some(raw) = ctx.decode::<RawEnum>(&d.raw, &d.path, self.diags) else {
                continue;
            };
            let mut values = Vec::new();
            let vpath = with(&d.path, key("values"));
            for (i, v) in raw.values.iter().enumerate() {
                let p = with(&vpath, Seg::Index(i));
                let ctx = &self.ctxs[d.ctx];
                let vloc = ctx.loc(&p);
                let rv = match v {
                    Value::Mapping(_) => match ctx.decode::<RawEnumValue>(v, &p, self.diags) {
                        Some(rv) => rv,
                        None => continue,
                    },
                    other => {
                        match scalar_text(other) {
                            Some(name) => RawEnumValue {
                                name,
                                description: None,
                                rust_name: None,
                                renamed_from: None,
                            },
                            None => {
                                self.diags.push(
                                Diagnostic::new(Code::EnumValues, vloc, "an enum value is a string or a map with `name`")
                                    .help("write `- active` or `- { name: active, description: ... }`"),
                            );
                                continue;
                            }
                        }
                    }
                };
                let rust_name = rv.rust_name.unwrap_or_else(|| type_ident(&rv.name, "V"));
                values.push(EnumValue {
                    name: rv.name,
                    rust_name,
                    description: rv.description,
                    renamed_from: rv.renamed_from,
                    loc: vloc,
                });
            }
            if values.is_empty() {
                self.diags.push(
                    Diagnostic::new(
                        Code::EnumValues,
                        loc,
                        format!("enum `{}` has no values", d.name),
                    )
                    .help("list at least one value under `values:`"),
                );
            }
            out.push(Enum {
                rust_name: raw.rust_name.unwrap_or_else(|| type_ident(&d.name, "E")),
                name: d.name,
                description: raw.description,
                renamed_from: raw.renamed_from,
                values,
                loc,
            });
        }
        out
    }

    fn json_types(&mut self, decls: Vec<Decl<Value>>) -> Vec<JsonType> {
        let mut out = Vec::new();
        for d in decls {
            let loc = self.name_loc(&d);
            let ctx = &self.ctxs[d.ctx];
            let Some(raw) = ctx.decode::<RawJsonType>(&d.raw, &d.path, self.diags) else {
                continue;
            };
            let fpath = with(&d.path, key("fields"));
            let mut fields = Vec::new();
            for (fname, v) in entries(ctx, &raw.fields, &fpath, self.diags) {
                let p = with(&fpath, key(&fname));
                let floc = ctx.key_loc(&p);
                let (text, description, rust_name) = match v {
                    Value::Mapping(_) => match ctx.decode::<RawJsonField>(v, &p, self.diags) {
                        Some(f) => (f.ty, f.description, f.rust_name),
                        None => continue,
                    },
                    other => match scalar_text(other) {
                        Some(t) => (t, None, None),
                        None => {
                            self.diags.push(
                                Diagnostic::new(
                                    Code::Shape,
                                    ctx.loc(&p),
                                    format!("field `{fname}` has no type"),
                                )
                                .help("write a type such as `string`, `integer?` or `Item[]`"),
                            );
                            continue;
                        }
                    },
                };
                let (text, optional) = match text.trim().strip_suffix('?') {
                    Some(t) => (t.to_string(), true),
                    None => (text.trim().to_string(), false),
                };
                let Some(ty) = parse_json_ty(&text) else {
                    self.diags.push(
                        Diagnostic::new(Code::UnknownJsonType, ctx.loc(&p), format!("`{text}` is not a JSON field type"))
                            .help("use string, integer, number, boolean, any, a structure name, `T[]` or `map<T>`"),
                    );
                    continue;
                };
                fields.push(JsonField {
                    rust_name: rust_name.unwrap_or_else(|| rust_field_ident(&fname)),
                    name: fname,
                    ty,
                    optional,
                    description,
                    loc: floc,
                });
            }
            out.push(JsonType {
                rust_name: raw.rust_name.unwrap_or_else(|| type_ident(&d.name, "J")),
                name: d.name,
                description: raw.description,
                extra: raw.extra,
                fields,
                loc,
            });
        }
        out
    }

    fn table(
        &mut self,
        d: Decl<Value>,
        mixins: &[Decl<RawMixin>],
        enums: &[String],
        json_names: &[String],
    ) -> Option<Table> {
        let tloc = self.name_loc(&d);
        let ctx = &self.ctxs[d.ctx];
        let raw = ctx.decode::<RawTable>(&d.raw, &d.path, self.diags)?;
        let group = ctx.group.clone();
        let tname = d.name.clone();

        // Columns: mixins at the start, own columns, mixins at the end.
        let mut sources: Vec<ColumnSource> = Vec::new();
        let mut end = Vec::new();
        for (i, m) in raw.mixins.iter().enumerate() {
            let Some(mixin) = mixins.iter().find(|x| &x.name == m) else {
                let loc = self
                    .ctx(d.ctx)
                    .loc(&[d.path.clone(), vec![key("mixins"), Seg::Index(i)]].concat());
                self.diags.push(
                    Diagnostic::new(Code::UnknownMixin, loc, format!("unknown mixin `{m}`"))
                        .help_opt(did_you_mean(m, mixins.iter().map(|x| x.name.as_str())))
                        .help_opt(
                            mixins
                                .is_empty()
                                .then(|| "declare it under `mixins:` at the top level".to_string()),
                        ),
                );
                continue;
            };
            let mpath = with(&mixin.path, key("columns"));
            let list: Vec<_> = entries(
                &self.ctxs[mixin.ctx],
                &mixin.raw.columns,
                &mpath,
                self.diags,
            )
            .into_iter()
            .map(|(n, v)| {
                (
                    mixin.ctx,
                    with(&mpath, key(&n)),
                    n,
                    v.clone(),
                    Some(m.clone()),
                )
            })
            .collect();
            match mixin.raw.position {
                MixinPosition::Start => sources.extend(list),
                MixinPosition::End => end.extend(list),
            }
        }
        let cpath = with(&d.path, key("columns"));
        let own: Vec<_> = entries(&self.ctxs[d.ctx], &raw.columns, &cpath, self.diags)
            .into_iter()
            .map(|(n, v)| (d.ctx, with(&cpath, key(&n)), n, v.clone(), None))
            .collect();
        let mut own = own;
        own.retain(|(_, p, n, _, _)| {
            let mut keep = true;
            for (mctx, mp, mn, _, mixin) in sources.iter().chain(end.iter()) {
                if let (true, Some(mixin)) = (mn == n, mixin) {
                    keep = false;
                    let first = self.ctx(*mctx).key_loc(mp);
                    let loc = self.ctx(d.ctx).key_loc(p);
                    self.diags.push(
                        Diagnostic::new(
                            Code::Mixin,
                            loc,
                            format!("column `{n}` is also declared by mixin `{mixin}`"),
                        )
                        .related(first, "declared by the mixin here")
                        .help("remove the column here, or drop the mixin from this table"),
                    );
                }
            }
            keep
        });
        sources.extend(own);
        sources.extend(end);
        // A table with no columns is allowed, as PostgreSQL allows it (`CREATE TABLE t ()`).

        let mut columns = Vec::new();
        let mut pk_cols: Vec<(String, Loc)> = Vec::new();
        let mut uniques = Vec::new();
        let mut checks = Vec::new();
        let mut fks = Vec::new();
        for (ci, path, cname, value, mixin) in sources {
            let Some((col, extra)) = self.column(ci, &path, &cname, &value, enums, json_names)
            else {
                continue;
            };
            let mut col = col;
            if let Some(base) = &extra.serial {
                let seq = shorten_ident(&format!("{tname}_{cname}_seq"));
                col.default = Some(Default::Sql(format!(
                    "nextval({}::regclass)",
                    crate::render::sql::literal(&crate::render::sql::ident(&seq))
                )));
                self.serial_sequences.push(Sequence {
                    name: seq,
                    ty: base.clone(),
                    start: None,
                    increment: None,
                    min: None,
                    max: None,
                    cache: None,
                    cycle: false,
                    owned_by: Some((tname.to_string(), cname.clone())),
                    description: None,
                    loc: col.loc,
                });
            }
            if extra.primary_key {
                pk_cols.push((cname.clone(), col.loc));
            }
            if extra.unique {
                uniques.push(Unique {
                    name: shorten_ident(&format!("{tname}_{cname}_key")),
                    columns: vec![cname.clone()],
                    nulls_not_distinct: false,
                    deferrable: Deferrable::No,
                    description: None,
                    loc: col.loc,
                });
            }
            if let Some(expr) = extra.check {
                checks.push(Check {
                    name: shorten_ident(&format!("{tname}_{cname}_check")),
                    expr,
                    not_valid: false,
                    no_inherit: false,
                    description: None,
                    loc: col.loc,
                });
            }
            if let Some((ref_table, ref_col, rloc)) = extra.references {
                fks.push(ForeignKey {
                    name: shorten_ident(&format!("{tname}_{cname}_fkey")),
                    columns: vec![cname.clone()],
                    ref_table,
                    ref_columns: ref_col.into_iter().collect(),
                    on_delete: extra.on_delete,
                    on_update: extra.on_update,
                    match_full: false,
                    deferrable: Deferrable::No,
                    not_valid: false,
                    description: None,
                    loc: rloc,
                });
            }
            columns.push(Column { mixin, ..col });
        }

        let ctx = &self.ctxs[d.ctx];
        let pk_loc = ctx.key_loc(&with(&d.path, key("primary_key")));
        let primary_key = match (&raw.primary_key, pk_cols.as_slice()) {
            (Some(RawPrimaryKey::Columns(cols)), []) => Some(PrimaryKey {
                name: shorten_ident(&format!("{tname}_pkey")),
                columns: cols.clone(),
                description: None,
                loc: pk_loc,
            }),
            (Some(RawPrimaryKey::Long(long)), []) => {
                let nloc =
                    ctx.loc(&[d.path.clone(), vec![key("primary_key"), key("name")]].concat());
                let name = self.explicit_or(long.name.clone(), nloc, || format!("{tname}_pkey"));
                Some(PrimaryKey {
                    name,
                    columns: long.columns.clone(),
                    description: long.description.clone(),
                    loc: pk_loc,
                })
            }
            (None, [(c, loc)]) => Some(PrimaryKey {
                name: shorten_ident(&format!("{tname}_pkey")),
                columns: vec![c.clone()],
                description: None,
                loc: *loc,
            }),
            (None, []) => None,
            (_, [.., (_, loc)]) => {
                self.diags.push(
                    Diagnostic::new(Code::PrimaryKey, *loc, format!("table `{tname}` declares its primary key more than once"))
                        .help("for a composite key write `primary_key: [a, b]` on the table and drop `primary_key: true` from the columns"),
                );
                // Keep one key so that no second error ("no primary key") follows from this one.
                pk_cols.first().map(|(c, loc)| PrimaryKey {
                    name: shorten_ident(&format!("{tname}_pkey")),
                    columns: vec![c.clone()],
                    description: None,
                    loc: *loc,
                })
            }
        };

        for (i, u) in raw.unique.iter().enumerate() {
            let p = [d.path.clone(), vec![key("unique"), Seg::Index(i)]].concat();
            let ctx = &self.ctxs[d.ctx];
            let uloc = ctx.loc(&p);
            let parsed = match u {
                Value::Sequence(_) => {
                    ctx.decode::<Vec<String>>(u, &p, self.diags)
                        .map(|columns| RawUnique {
                            columns,
                            name: None,
                            nulls_not_distinct: false,
                            deferrable: None,
                            description: None,
                        })
                }
                _ => ctx.decode::<RawUnique>(u, &p, self.diags),
            };
            let Some(ru) = parsed else { continue };
            let nloc = self.ctxs[d.ctx].loc(&with(&p, key("name")));
            let name = self.explicit_or(ru.name, nloc, || {
                format!("{tname}_{}_key", ru.columns.join("_"))
            });
            uniques.push(Unique {
                name,
                columns: ru.columns,
                nulls_not_distinct: ru.nulls_not_distinct,
                deferrable: deferrable(ru.deferrable),
                description: ru.description,
                loc: uloc,
            });
        }

        let column_names: Vec<&str> = columns.iter().map(|c: &Column| c.name.as_str()).collect();
        for (i, c) in raw.checks.iter().enumerate() {
            let p = [d.path.clone(), vec![key("checks"), Seg::Index(i)]].concat();
            let ctx = &self.ctxs[d.ctx];
            let cloc = ctx.loc(&p);
            let parsed = match c {
                Value::String(s) => Some(RawCheck {
                    expr: s.clone(),
                    name: None,
                    not_valid: false,
                    no_inherit: false,
                    description: None,
                }),
                _ => ctx.decode::<RawCheck>(c, &p, self.diags),
            };
            let Some(rc) = parsed else { continue };
            let words = expr_words(&rc.expr, |w| column_names.contains(&w));
            let nloc = self.ctxs[d.ctx].loc(&with(&p, key("name")));
            let name = self.explicit_or(rc.name, nloc, || {
                if words.is_empty() {
                    format!("{tname}_check")
                } else {
                    format!("{tname}_{}_check", words.join("_"))
                }
            });
            checks.push(Check {
                name,
                expr: rc.expr,
                not_valid: rc.not_valid,
                no_inherit: rc.no_inherit,
                description: rc.description,
                loc: cloc,
            });
        }

        for (i, f) in raw.foreign_keys.into_iter().enumerate() {
            let p = [d.path.clone(), vec![key("foreign_keys"), Seg::Index(i)]].concat();
            let floc = self.ctx(d.ctx).loc(&p);
            let nloc = self.ctxs[d.ctx].loc(&with(&p, key("name")));
            let name = self.explicit_or(f.name, nloc, || {
                format!("{tname}_{}_fkey", f.columns.join("_"))
            });
            fks.push(ForeignKey {
                name,
                columns: f.columns,
                ref_table: f.references.table,
                ref_columns: f.references.columns.unwrap_or_default(),
                on_delete: action(f.on_delete),
                on_update: action(f.on_update),
                match_full: f.match_full,
                deferrable: deferrable(f.deferrable),
                not_valid: f.not_valid,
                description: f.description,
                loc: floc,
            });
        }

        let mut indexes = Vec::new();
        for (i, ix) in raw.indexes.into_iter().enumerate() {
            let p = [d.path.clone(), vec![key("indexes"), Seg::Index(i)]].concat();
            let iloc = self.ctx(d.ctx).loc(&p);
            let mut keys = Vec::new();
            for (k, kv) in ix.columns.iter().enumerate() {
                let kp = [p.clone(), vec![key("columns"), Seg::Index(k)]].concat();
                if let Some(key) = self.index_key(d.ctx, &kp, kv) {
                    keys.push(key);
                }
            }
            if ix.columns.is_empty() {
                self.diags.push(
                    Diagnostic::new(
                        Code::Index,
                        iloc,
                        format!("an index of `{tname}` has no columns"),
                    )
                    .help("list its keys under `columns:`"),
                );
            }
            let params = self.storage_parameters(d.ctx, &with(&p, key("with")), &ix.with);
            let nloc = self.ctxs[d.ctx].loc(&with(&p, key("name")));
            let name = self.explicit_or(ix.name, nloc, || {
                let words: Vec<String> = keys
                    .iter()
                    .flat_map(|k| match &k.target {
                        IndexTarget::Column(c) => vec![c.clone()],
                        IndexTarget::Expr(e) => expr_words(e, |_| true)
                            .into_iter()
                            .map(str::to_lowercase)
                            .collect(),
                    })
                    .collect();
                format!(
                    "{tname}_{}_{}",
                    words.join("_"),
                    if ix.unique { "key" } else { "idx" }
                )
            });
            indexes.push(Index {
                name,
                keys,
                unique: ix.unique,
                method: match ix.using {
                    None | Some(RawMethod::Btree) => IndexMethod::Btree,
                    Some(RawMethod::Hash) => IndexMethod::Hash,
                    Some(RawMethod::Gin) => IndexMethod::Gin,
                    Some(RawMethod::Gist) => IndexMethod::Gist,
                    Some(RawMethod::Brin) => IndexMethod::Brin,
                    Some(RawMethod::Spgist) => IndexMethod::Spgist,
                },
                predicate: ix.predicate,
                description: ix.description,
                for_foreign_key: false,
                include: ix.include,
                nulls_not_distinct: ix.nulls_not_distinct,
                with: params,
                loc: iloc,
            });
        }

        let single_row = raw
            .single_row
            .then(|| shorten_ident(&format!("{tname}_single_row")));
        let rust_name = match raw.rust_name {
            Some(r) => {
                self.check_rust_ident(&r, d.ctx, &with(&d.path, key("rust_name")));
                r
            }
            None => type_ident(&singular(&tname), "T"),
        };
        let mut table = Table {
            name: tname,
            rust_name,
            description: raw.description,
            renamed_from: raw.renamed_from,
            group,
            columns,
            primary_key,
            uniques,
            checks,
            foreign_keys: fks,
            indexes,
            single_row,
            loc: tloc,
        };
        // An index on every foreign-key column set that no key or index already leads with.
        if raw.index_foreign_keys.unwrap_or(true) {
            let automatic = table.automatic_fk_indexes();
            table.indexes.extend(automatic);
        }
        Some(table)
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

    fn index_key(&mut self, ci: usize, path: &[Seg], v: &Value) -> Option<IndexKey> {
        let ctx = &self.ctxs[ci];
        let loc = ctx.loc(path);
        match v {
            Value::String(s) => {
                let words: Vec<String> =
                    s.split_whitespace().map(str::to_ascii_lowercase).collect();
                let order = |w: &str| w == "asc" || w == "desc";
                let nulls = |a: &str, b: &str| a == "nulls" && (b == "first" || b == "last");
                let first = s.split_whitespace().next().unwrap_or_default().to_string();
                let key = |desc: bool, nulls_first: Option<bool>| {
                    let mut k = IndexKey::plain(IndexTarget::Column(first.clone()));
                    k.desc = desc;
                    k.nulls_first = nulls_first.filter(|n| *n != desc);
                    k
                };
                match words.as_slice() {
                    [_] => Some(key(false, None)),
                    [_, o] if order(o) => Some(key(o == "desc", None)),
                    [_, a, b] if nulls(a, b) => Some(key(false, Some(b == "first"))),
                    [_, o, a, b] if order(o) && nulls(a, b) => {
                        Some(key(o == "desc", Some(b == "first")))
                    }
                    _ => {
                        self.diags.push(
                            Diagnostic::new(Code::Index, loc, format!("`{s}` is not an index key"))
                                .help("write a column name with an optional ` desc`, or `{ expr: \"...\" }` for an expression"),
                        );
                        None
                    }
                }
            }
            Value::Mapping(_) => {
                let k = ctx.decode::<RawIndexKey>(v, path, self.diags)?;
                let desc = k.order == Some(RawOrder::Desc);
                let nulls_first = k.nulls.map(|n| n == RawNulls::First).filter(|n| *n != desc);
                for (what, name) in [("opclass", &k.opclass), ("collation", &k.collation)] {
                    if let Some(n) = name
                        && !is_sql_name(n)
                    {
                        self.diags.push(
                            Diagnostic::new(
                                Code::Index,
                                ctx.loc(&with(path, key(what))),
                                format!("`{n}` is not a {what} name"),
                            )
                            .help(format!("name the {what} as PostgreSQL does, e.g. `text_pattern_ops` or `C`, optionally schema-qualified")),
                        );
                    }
                }
                let make = |target| IndexKey {
                    target,
                    desc,
                    nulls_first,
                    opclass: k.opclass.clone(),
                    collation: k.collation.clone(),
                };
                match (k.column.clone(), k.expr.clone()) {
                    (Some(c), None) => Some(make(IndexTarget::Column(c))),
                    (None, Some(e)) => Some(make(IndexTarget::Expr(e))),
                    _ => {
                        self.diags.push(
                            Diagnostic::new(
                                Code::Index,
                                loc,
                                "an index key has exactly one of `column` and `expr`",
                            )
                            .help("write `{ column: name }` or `{ expr: \"lower(email)\" }`"),
                        );
                        None
                    }
                }
            }
            _ => {
                self.diags.push(
                    Diagnostic::new(Code::Index, loc, "an index key is a column name or a map")
                        .help("write `created_at desc` or `{ expr: \"...\" }`"),
                );
                None
            }
        }
    }

    fn column(
        &mut self,
        ci: usize,
        path: &[Seg],
        name: &str,
        value: &Value,
        enums: &[String],
        json_names: &[String],
    ) -> Option<(Column, ColumnExtra)> {
        let ctx = &self.ctxs[ci];
        let loc = ctx.key_loc(path);
        let (raw, type_path) = match value {
            Value::String(s) => {
                let (ty, nullable) = match s.trim().strip_suffix('?') {
                    Some(t) => (t.to_string(), true),
                    None => (s.trim().to_string(), false),
                };
                (short_column(ty, nullable), path.to_vec())
            }
            Value::Mapping(_) => (
                ctx.decode::<RawColumn>(value, path, self.diags)?,
                with(path, key("type")),
            ),
            _ => {
                self.diags.push(
                    Diagnostic::new(Code::Shape, ctx.loc(path), format!("column `{name}` needs a type"))
                        .help("write `name: text`, `name: text?` for a nullable column, or a map with `type:`"),
                );
                return None;
            }
        };
        let type_loc = ctx.loc(&type_path);
        // `serial` and its kin: an integer column, a sequence it owns and a `nextval` default.
        let serial = match raw.ty.trim().to_ascii_lowercase().as_str() {
            "serial" | "serial4" => Some(BaseType::Integer),
            "bigserial" | "serial8" => Some(BaseType::BigInt),
            "smallserial" | "serial2" => Some(BaseType::SmallInt),
            _ => None,
        };
        if serial.is_some()
            && (raw.default.is_some() || raw.default_sql.is_some() || raw.identity.is_some())
        {
            self.diags.push(
                Diagnostic::new(
                    Code::BadDefault,
                    type_loc,
                    format!(
                        "column `{name}` is `{}`, which brings its own default",
                        raw.ty.trim()
                    ),
                )
                .help("remove `default`, `default_sql` and `identity`, or use an integer type"),
            );
        }
        let parsed = match &serial {
            Some(base) => Ok(ColumnType {
                base: base.clone(),
                array: false,
            }),
            None => ColumnType::parse_with(
                &raw.ty,
                |n| enums.iter().any(|e| e == n),
                |n| self.domains.iter().any(|d| d.name == n),
            ),
        };
        let ty = match parsed {
            Ok(t) => t,
            Err(TypeError::Unknown(word)) => {
                let mut known: Vec<&str> = BUILTIN_TYPE_NAMES.to_vec();
                known.extend(enums.iter().map(String::as_str));
                known.extend(self.domains.iter().map(|d| d.name.as_str()));
                let hint = type_hint(&word)
                    .or_else(|| did_you_mean(&word, known.iter().copied()))
                    .or_else(|| {
                        did_you_mean(&word, TYPE_HINT_WORDS.iter().copied())
                            .and_then(|_| {
                                TYPE_HINT_WORDS.iter().find(|w| {
                                    strsim::jaro_winkler(w, &word.to_ascii_lowercase()) > 0.8
                                })
                            })
                            .and_then(|w| type_hint(w))
                    })
                    .unwrap_or_else(|| {
                        "see the list of types in docs/schema-language.md, or declare an enum"
                            .into()
                    });
                self.diags.push(
                    Diagnostic::new(
                        Code::UnknownType,
                        type_loc,
                        format!("unknown type `{word}` for column `{name}`"),
                    )
                    .help(hint),
                );
                return None;
            }
            Err(TypeError::Bad(msg)) => {
                self.diags.push(
                    Diagnostic::new(Code::BadType, type_loc, msg).help("fix the type's parameters"),
                );
                return None;
            }
        };
        let json = match &raw.json {
            None => None,
            Some(text) => {
                let jloc = ctx.loc(&with(path, key("json")));
                match parse_json_ty(text) {
                    Some(j) => {
                        let mut missing = None;
                        j.each_struct(&mut |s| {
                            if !json_names.iter().any(|n| n == s) {
                                missing = Some(s.to_string());
                            }
                        });
                        if let Some(m) = missing {
                            self.diags.push(
                                Diagnostic::new(
                                    Code::UnknownJsonType,
                                    jloc,
                                    format!("unknown JSON structure `{m}`"),
                                )
                                .help(
                                    did_you_mean(&m, json_names.iter().map(String::as_str))
                                        .unwrap_or_else(|| "declare it under `json_types:`".into()),
                                ),
                            );
                        }
                        if !ty.is_json() || ty.array {
                            self.diags.push(
                                Diagnostic::new(Code::JsonColumn, jloc, format!("column `{name}` is `{ty}`; only json and jsonb columns hold a JSON structure"))
                                    .help("change the type to `jsonb`, or remove `json:`"),
                            );
                        }
                        Some(j)
                    }
                    None => {
                        self.diags.push(
                            Diagnostic::new(Code::UnknownJsonType, jloc, format!("`{text}` is not a JSON type"))
                                .help("name a structure from `json_types`, `T[]`, `map<T>`, or string/integer/number/boolean/any"),
                        );
                        None
                    }
                }
            }
        };
        let ctx = &self.ctxs[ci];
        let default = match (&raw.default, &raw.default_sql) {
            (Some(_), Some(_)) => {
                self.diags.push(
                    Diagnostic::new(Code::BadDefault, ctx.key_loc(&with(path, key("default_sql"))), format!("column `{name}` has both `default` and `default_sql`"))
                        .help("keep `default` for a literal value or `default_sql` for an SQL expression, not both"),
                );
                None
            }
            (Some(Value::Null), None) | (None, None) => None,
            (Some(v), None) => {
                let dloc = ctx.loc(&with(path, key("default")));
                let under = match &ty.base {
                    BaseType::Domain(d) => self
                        .domains
                        .iter()
                        .find(|x| &x.name == d)
                        .map(|x| ColumnType {
                            base: x.ty.base.clone(),
                            array: ty.array || x.ty.array,
                        })
                        .unwrap_or_else(|| ty.clone()),
                    _ => ty.clone(),
                };
                match literal_for(v, &under) {
                    Ok(l) => Some(Default::Literal(l)),
                    Err(msg) => {
                        self.diags.push(Diagnostic::new(Code::BadDefault, dloc, format!("default of column `{name}`: {msg}"))
                            .help("give a value of the column's type, or use `default_sql:` for an SQL expression"));
                        None
                    }
                }
            }
            (None, Some(sql)) => {
                if sql.trim().is_empty() {
                    self.diags.push(
                        Diagnostic::new(
                            Code::BadDefault,
                            ctx.loc(&with(path, key("default_sql"))),
                            format!("`default_sql` of column `{name}` is empty"),
                        )
                        .help("write an SQL expression such as `now()`"),
                    );
                }
                Some(Default::Sql(sql.clone()))
            }
        };
        let references = match &raw.references {
            None => None,
            Some(v) => {
                let rp = with(path, key("references"));
                let rloc = ctx.loc(&rp);
                match v {
                    Value::String(s) => match s.split_once('.') {
                        Some((t, c)) => Some((t.to_string(), Some(c.to_string()), rloc)),
                        None => Some((s.clone(), None, rloc)),
                    },
                    _ => ctx
                        .decode::<RawReference>(v, &rp, self.diags)
                        .map(|r| (r.table, r.column, rloc)),
                }
            }
        };
        if references.is_none() && (raw.on_delete.is_some() || raw.on_update.is_some()) {
            let k = if raw.on_delete.is_some() {
                "on_delete"
            } else {
                "on_update"
            };
            self.diags.push(
                Diagnostic::new(
                    Code::FkAction,
                    ctx.key_loc(&with(path, key(k))),
                    format!("column `{name}` has `{k}` but no `references`"),
                )
                .help("add `references: <table>` or remove the action"),
            );
        }
        let rust_name = match raw.rust_name {
            Some(r) => {
                self.check_rust_ident(&r, ci, &with(path, key("rust_name")));
                r
            }
            None => rust_field_ident(name),
        };
        let extra = ColumnExtra {
            serial,
            primary_key: raw.primary_key,
            unique: raw.unique,
            references,
            on_delete: action(raw.on_delete),
            on_update: action(raw.on_update),
            check: raw.check,
        };
        Some((
            Column {
                name: name.to_string(),
                rust_name,
                ty,
                nullable: raw.nullable,
                default,
                identity: raw.identity.map(|i| match i {
                    RawIdentity::Always => Identity::Always,
                    RawIdentity::ByDefault => Identity::ByDefault,
                }),
                identity_options: raw.identity_options.map(|o| IdentityOptions {
                    start: o.start,
                    increment: o.increment,
                    min: o.min,
                    max: o.max,
                    cache: o.cache,
                    cycle: o.cycle,
                }),
                backfill: raw.backfill,
                generated: raw.generated,
                using: raw.using,
                auto_update: raw.auto_update,
                soft_delete: raw.soft_delete,
                json,
                description: raw.description,
                renamed_from: raw.renamed_from,
                mixin: None,
                loc,
            },
            extra,
        ))
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

fn too_long(name: &str, loc: Loc) -> Diagnostic {
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

pub fn parse_json_ty(text: &str) -> Option<JsonTy> {
    let t = text.trim();
    if let Some(inner) = t.strip_suffix("[]") {
        return parse_json_ty(inner).map(|j| JsonTy::Array(Box::new(j)));
    }
    if let Some(inner) = t.strip_prefix("map<").and_then(|r| r.strip_suffix('>')) {
        return parse_json_ty(inner).map(|j| JsonTy::Map(Box::new(j)));
    }
    Some(match t {
        "string" => JsonTy::String,
        "integer" => JsonTy::Integer,
        "number" => JsonTy::Number,
        "boolean" => JsonTy::Boolean,
        "any" => JsonTy::Any,
        s if !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_') => {
            JsonTy::Struct(s.to_string())
        }
        _ => return None,
    })
}

impl JsonTy {
    /// Calls `f` with every structure name this type mentions.
    pub fn each_struct(&self, f: &mut impl FnMut(&str)) {
        match self {
            JsonTy::Struct(s) => f(s),
            JsonTy::Array(t) | JsonTy::Map(t) => t.each_struct(f),
            _ => {}
        }
    }
}

/// Checks a literal default against the column type and turns it into a model literal.
pub(super) fn literal_for(v: &Value, ty: &ColumnType) -> Result<Literal, String> {
    if ty.is_json() && !ty.array {
        let json =
            serde_json::to_value(v).map_err(|e| format!("not representable as JSON: {e}"))?;
        return Ok(Literal::Json(json));
    }
    if ty.array {
        let Value::Sequence(items) = v else {
            return Err(format!(
                "the column is an array (`{ty}`); write the default as a YAML list"
            ));
        };
        let elem = ColumnType {
            base: ty.base.clone(),
            array: false,
        };
        let lits = items
            .iter()
            .map(|i| literal_for(i, &elem))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Literal::Json(serde_json::Value::Array(
            lits.into_iter().map(literal_json).collect(),
        )));
    }
    let base = &ty.base;
    match v {
        Value::Bool(b) => match base {
            BaseType::Boolean => Ok(Literal::Bool(*b)),
            _ => Err(format!("`{b}` is a boolean but the column is `{ty}`")),
        },
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let (lo, hi) = match base {
                    BaseType::SmallInt => (i64::from(i16::MIN), i64::from(i16::MAX)),
                    BaseType::Integer => (i64::from(i32::MIN), i64::from(i32::MAX)),
                    BaseType::BigInt | BaseType::Numeric(_) | BaseType::Real | BaseType::Double => {
                        (i64::MIN, i64::MAX)
                    }
                    _ => {
                        return Err(format!(
                            "`{n}` is a number but the column is `{ty}`; quote it if you mean text"
                        ));
                    }
                };
                if i < lo || i > hi {
                    return Err(format!("`{i}` is out of range for `{ty}`"));
                }
                Ok(Literal::Integer(i))
            } else {
                match base {
                    BaseType::Real | BaseType::Double | BaseType::Numeric(_)
                        if n.as_f64().is_some_and(f64::is_finite) =>
                    {
                        Ok(Literal::Number(n.to_string()))
                    }
                    BaseType::SmallInt | BaseType::Integer | BaseType::BigInt => Err(format!(
                        "`{n}` is not a whole number but the column is `{ty}`"
                    )),
                    _ => Err(format!("`{n}` is a number but the column is `{ty}`")),
                }
            }
        }
        Value::String(s) => match base {
            BaseType::Text => Ok(Literal::String(s.clone())),
            BaseType::Varchar(Some(n)) | BaseType::Char(n) if s.chars().count() > *n as usize => {
                Err(format!(
                    "\"{s}\" is {} characters long but the column is `{ty}`",
                    s.chars().count()
                ))
            }
            BaseType::Varchar(_) | BaseType::Char(_) => Ok(Literal::String(s.clone())),
            // Membership in the enum is checked by validation, which knows its values.
            BaseType::Enum(_) => Ok(Literal::String(s.clone())),
            BaseType::Uuid if is_uuid(s) => Ok(Literal::String(s.clone())),
            BaseType::Uuid => Err(format!("\"{s}\" is not a UUID")),
            BaseType::Inet if s.parse::<std::net::IpAddr>().is_ok() || s.contains('/') => {
                Ok(Literal::String(s.clone()))
            }
            BaseType::Inet => Err(format!("\"{s}\" is not an IP address")),
            BaseType::Date
            | BaseType::Time
            | BaseType::Timestamp
            | BaseType::Timestamptz
            | BaseType::Interval
            | BaseType::Bytea
            | BaseType::Named(_) => Ok(Literal::String(s.clone())),
            BaseType::Bit(_) | BaseType::Varbit(_) if s.chars().all(|c| c == '0' || c == '1') => {
                Ok(Literal::String(s.clone()))
            }
            BaseType::Bit(_) | BaseType::Varbit(_) => {
                Err(format!("\"{s}\" is not a bit string (only 0 and 1)"))
            }
            BaseType::Numeric(_) | BaseType::Real | BaseType::Double
                if s.parse::<f64>().is_ok() =>
            {
                Ok(Literal::Number(s.clone()))
            }
            _ => Err(format!("\"{s}\" is a string but the column is `{ty}`")),
        },
        Value::Sequence(_) | Value::Mapping(_) => Err(format!(
            "a list or map is only a default for json, jsonb or array columns, not `{ty}`"
        )),
        Value::Null => Err("null is not a default; leave `default` out".into()),
        Value::Tagged(_) => Err("tagged YAML values are not defaults".into()),
    }
}

fn literal_json(l: Literal) -> serde_json::Value {
    match l {
        Literal::String(s) => serde_json::Value::String(s),
        Literal::Integer(i) => serde_json::Value::from(i),
        Literal::Number(n) => serde_json::from_str(&n).unwrap_or(serde_json::Value::String(n)),
        Literal::Bool(b) => serde_json::Value::Bool(b),
        Literal::Json(j) => j,
    }
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}
