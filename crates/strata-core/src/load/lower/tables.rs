//! One table's declaration lowered into the model: its columns (with their mixins), keys,
//! uniques, checks, foreign keys, indexes, exclusion constraints, partitions, triggers, options
//! and comment, each at the YAML node it came from.

use super::*;

impl Lowerer<'_> {
    pub(super) fn table(
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
        // The model name (`billing.invoices`); PostgreSQL derives constraint, index and
        // sequence names from the name in the schema (`invoices_pkey`).
        let qualified_name = d.name.clone();
        let tschema = split_qualified(&qualified_name).0.map(str::to_string);
        let tname = local_name(&qualified_name).to_string();
        let trigger_path = with(&d.path, key("triggers"));
        for (name, v) in entries(ctx, &raw.triggers, &trigger_path, self.diags) {
            self.trigger_decls.push(routines::TriggerDecl {
                table: qualified_name.clone(),
                schema: None,
                decl: Decl {
                    ctx: d.ctx,
                    path: with(&trigger_path, key(&name)),
                    name,
                    raw: v.clone(),
                },
            });
        }

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
        // The enums a column of this table can name: every enum by its model name, and those
        // of the table's own schema also by their name in it.
        let mut table_enums: Vec<String> = enums.to_vec();
        table_enums.extend(
            enums
                .iter()
                .filter(|e| split_qualified(e).0.is_none())
                .map(|e| format!("public.{e}")),
        );
        if let Some(sch) = &tschema {
            table_enums.extend(enums.iter().filter_map(|e| match split_qualified(e) {
                (Some(s), local) if s == sch => Some(local.to_string()),
                _ => None,
            }));
        }
        self.column_schema = tschema
            .clone()
            .map(|s| (s, self.file_schema(d.ctx).is_some()));
        for (ci, path, cname, value, mixin) in sources {
            let Some((col, extra)) =
                self.column(ci, &path, &cname, &value, &table_enums, json_names)
            else {
                continue;
            };
            let mut col = col;
            if let BaseType::Enum(e) = &mut col.ty.base {
                let exists = |n: &str| enums.iter().any(|x| x == n);
                if let Some(schema) = &tschema
                    && self.file_schema(d.ctx).is_some()
                    && crate::model::ambiguous_reference(e, Some(schema), exists)
                {
                    let loc = self.ctx(ci).loc(&path);
                    self.diags
                        .push(crate::validate::ambiguous_reference("enum", e, schema, loc));
                }
                *e = crate::model::resolve_reference(e, tschema.as_deref(), exists);
            }
            if let Some(base) = &extra.serial {
                let seq = qualify(
                    tschema.as_deref(),
                    &shorten_ident(&format!("{tname}_{cname}_seq")),
                );
                col.default = Some(Default::Sql(format!(
                    "nextval({}::regclass)",
                    crate::render::sql::literal(&crate::render::sql::relation(&seq))
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
                    owned_by: Some((qualified_name.clone(), cname.clone())),
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
                    include: Vec::new(),
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
                    on_delete_columns: Vec::new(),
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
        self.column_schema = None;

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
                            include: Vec::new(),
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
                include: ru.include,
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
                on_delete_columns: f.on_delete_columns,
                on_update: action(f.on_update),
                match_full: f.match_full,
                deferrable: deferrable(f.deferrable),
                not_valid: f.not_valid,
                description: f.description,
                loc: floc,
            });
        }

        let mut exclusions = Vec::new();
        for (i, x) in raw.exclude.into_iter().enumerate() {
            let p = [d.path.clone(), vec![key("exclude"), Seg::Index(i)]].concat();
            exclusions.push(self.exclusion(d.ctx, p, &tname, x));
        }

        let mut indexes = Vec::new();
        for (i, ix) in raw.indexes.into_iter().enumerate() {
            let p = [d.path.clone(), vec![key("indexes"), Seg::Index(i)]].concat();
            indexes.push(self.index(d.ctx, p, &tname, ix));
        }

        let single_row = raw
            .single_row
            .then(|| shorten_ident(&format!("{tname}_single_row")));
        let table_with =
            self.storage_parameters(d.ctx, &with(&d.path, key("with")), &raw.with, Code::Shape);
        let rust_name = match raw.rust_name {
            Some(r) => {
                self.check_rust_ident(&r, d.ctx, &with(&d.path, key("rust_name")));
                r
            }
            None => type_ident(&singular(&qualified_name.replace('.', "_")), "T"),
        };
        let policies = self.policies(d.ctx, &with(&d.path, key("policies")), &raw.policies);
        let (partition_by, partitions) =
            self.partitioning(d.ctx, &d.path, raw.partition_by, &raw.partitions);
        let mut found = Vec::new();
        self.grants_map(
            d.ctx,
            &with(&d.path, key("grants")),
            &raw.grants,
            &GrantObject::Table {
                schema: tschema.clone(),
                name: tname.clone(),
            },
            Some(&columns),
            &mut found,
        );
        self.grants.append(&mut found);
        let mut table = Table {
            name: qualified_name,
            rust_name,
            description: raw.description,
            renamed_from: raw.renamed_from,
            group,
            columns,
            primary_key,
            uniques,
            checks,
            foreign_keys: fks,
            exclusions,
            indexes,
            single_row,
            unlogged: raw.unlogged,
            with: table_with,
            row_level_security: security::row_level_security(raw.row_level_security),
            policies,
            partition_by,
            partitions,
            loc: tloc,
        };
        // An index on every foreign-key column set that no key or index already leads with.
        if raw.index_foreign_keys.unwrap_or(true) {
            let automatic = table.automatic_fk_indexes();
            table.indexes.extend(automatic);
        }
        Some(table)
    }
}
