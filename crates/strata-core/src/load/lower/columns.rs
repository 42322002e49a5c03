//! One column, from its short form (`name: text?`) or its long form, with the keys it lifts
//! to its table (primary key, unique, references, check).

use super::*;

impl Lowerer<'_> {
    pub(super) fn column(
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
                |n| self.domain_known(n),
            ),
        };
        let mut ty = match parsed {
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
        if let BaseType::Domain(d) = &mut ty.base {
            let (resolved, ambiguous) = self.resolve_domain(d, type_loc);
            *d = resolved;
            self.diags.extend(ambiguous);
        }
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
                    // `table`, `table.column`; with a declared schema first, `schema.table`
                    // and `schema.table.column`.
                    Value::String(s) => {
                        let (schema, rest) = match s.split_once('.') {
                            Some((p, rest))
                                if p == "public" || self.pg_schema_names.iter().any(|n| n == p) =>
                            {
                                (Some(p), rest)
                            }
                            _ => (None, s.as_str()),
                        };
                        match rest.split_once('.') {
                            Some((t, c)) => Some((qualify(schema, t), Some(c.to_string()), rloc)),
                            None => Some((qualify(schema, rest), None, rloc)),
                        }
                    }
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
                collation: raw.collation,
                description: raw.description,
                renamed_from: raw.renamed_from,
                mixin: None,
                loc,
            },
            extra,
        ))
    }
}
