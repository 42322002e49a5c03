//! `enums:` and `json_types:`: the value sets and typed JSON structures columns name.

use super::*;

impl Lowerer<'_> {
    pub(super) fn enums(&mut self, decls: Vec<Decl<Value>>) -> Vec<Enum> {
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

    pub(super) fn json_types(&mut self, decls: Vec<Decl<Value>>) -> Vec<JsonType> {
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
