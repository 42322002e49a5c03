//! One table and its columns: keys, uniques, checks, indexes and their column references,
//! options, comments; each column's type, default, identity, generation, collation and flags.

use super::Validator;
use crate::diag::{Code, Diagnostic, Loc, did_you_mean};
use crate::model::*;
use std::collections::BTreeMap;

impl Validator<'_> {
    pub(super) fn column_ref(&mut self, t: &Table, name: &str, loc: Loc, what: &str) -> bool {
        if t.column(name).is_some() {
            return true;
        }
        self.err(
            Diagnostic::new(
                Code::UnknownColumn,
                loc,
                format!(
                    "{what} names column `{name}`, which table `{}` does not have",
                    t.name
                ),
            )
            .help(
                did_you_mean(name, t.columns.iter().map(|c| c.name.as_str())).unwrap_or_else(
                    || {
                        format!(
                            "the columns of `{}` are: {}",
                            t.name,
                            t.columns
                                .iter()
                                .map(|c| c.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                ),
            ),
        );
        false
    }

    pub(super) fn table(&mut self, s: &Schema, t: &Table) {
        self.unique_names(
            t.columns.iter().map(|c| (c.name.as_str(), c.loc, "column")),
            &format!(" in table `{}`", t.name),
        );
        let mut rust: BTreeMap<&str, Loc> = BTreeMap::new();
        for c in &t.columns {
            self.name_length(&c.name, c.loc);
            if let Some(first) = rust.get(c.rust_name.as_str()) {
                self.err(
                    Diagnostic::new(
                        Code::DuplicateName,
                        c.loc,
                        format!(
                            "columns of `{}` would both be the Rust field `{}`",
                            t.name, c.rust_name
                        ),
                    )
                    .related(*first, "the other column")
                    .help("set `rust_name:` on one of them"),
                );
            } else {
                rust.insert(&c.rust_name, c.loc);
            }
            self.column(s, t, c);
        }
        // Constraint names are per table (indexes were checked database-wide).
        let cons = t
            .primary_key
            .iter()
            .map(|p| (p.name.as_str(), p.loc, "primary key"))
            .chain(
                t.uniques
                    .iter()
                    .map(|u| (u.name.as_str(), u.loc, "unique constraint")),
            )
            .chain(
                t.checks
                    .iter()
                    .map(|c| (c.name.as_str(), c.loc, "check constraint")),
            )
            .chain(
                t.foreign_keys
                    .iter()
                    .map(|f| (f.name.as_str(), f.loc, "foreign key")),
            )
            .chain(
                t.exclusions
                    .iter()
                    .map(|x| (x.name.as_str(), x.loc, "exclusion constraint")),
            )
            .chain(
                t.single_row
                    .iter()
                    .map(|n| (n.as_str(), t.loc, "single-row constraint")),
            );
        self.unique_names(cons, &format!(" in table `{}`", t.name));

        // A table without a primary key is allowed, as PostgreSQL allows it (logs, join tables,
        // staging tables); its Rust model has no by-key statements.
        match &t.primary_key {
            None => {}
            Some(pk) => {
                if pk.columns.is_empty() {
                    self.err(
                        Diagnostic::new(
                            Code::PrimaryKey,
                            pk.loc,
                            "the primary key lists no columns",
                        )
                        .help("list its columns"),
                    );
                }
                for c in &pk.columns {
                    if self.column_ref(t, c, pk.loc, "the primary key") {
                        let col = t.column(c).expect("checked");
                        if col.nullable {
                            self.err(
                                Diagnostic::new(Code::PrimaryKey, col.loc, format!("column `{c}` is in the primary key of `{}` but is nullable", t.name))
                                    .help("primary-key columns are NOT NULL: drop `nullable: true` (or the `?`)"),
                            );
                        }
                    }
                }
            }
        }
        for u in &t.uniques {
            if u.columns.is_empty() {
                self.err(
                    Diagnostic::new(Code::Shape, u.loc, "a unique key lists no columns")
                        .help("list its columns"),
                );
            }
            for c in &u.columns {
                self.column_ref(t, c, u.loc, "a unique key");
            }
            for c in &u.include {
                self.column_ref(t, c, u.loc, "a unique key's `include`");
                if u.columns.contains(c) {
                    self.err(
                        Diagnostic::new(
                            Code::Index,
                            u.loc,
                            format!(
                                "column `{c}` is both a key and an `include` column of a unique key"
                            ),
                        )
                        .help("list it under `columns` or under `include`, not both"),
                    );
                }
            }
        }
        for i in &t.indexes {
            for k in &i.keys {
                if let IndexTarget::Column(c) = &k.target {
                    self.column_ref(t, c, i.loc, &format!("index `{}`", i.name));
                }
            }
            if i.method != IndexMethod::Btree && i.keys.iter().any(|k| k.desc) {
                self.err(
                    Diagnostic::new(
                        Code::Index,
                        i.loc,
                        format!(
                            "index `{}` uses {} but orders a key `desc`",
                            i.name,
                            i.method.sql()
                        ),
                    )
                    .help("only btree indexes keep an order; remove `desc` or use btree"),
                );
            }
        }
        self.no_nul(t.description.as_deref(), t.loc);
        for i in &t.indexes {
            self.no_nul(i.description.as_deref(), i.loc);
        }
        let soft: Vec<&Column> = t.columns.iter().filter(|c| c.soft_delete).collect();
        if soft.len() > 1 {
            self.err(
                Diagnostic::new(
                    Code::SoftDelete,
                    soft[1].loc,
                    format!("table `{}` has more than one soft-delete flag", t.name),
                )
                .related(soft[0].loc, "the first one")
                .help("keep `soft_delete: true` on one column"),
            );
        }
        for fk in &t.foreign_keys {
            if !fk.on_delete_columns.is_empty() {
                if !matches!(fk.on_delete, FkAction::SetNull | FkAction::SetDefault) {
                    self.err(
                        Diagnostic::new(
                            Code::FkAction,
                            fk.loc,
                            "`on_delete_columns` is given but `on_delete` is not `set_null` or `set_default`",
                        )
                        .help("remove `on_delete_columns`, or set `on_delete: set_null`"),
                    );
                }
                for c in &fk.on_delete_columns {
                    if !fk.columns.contains(c) {
                        self.err(
                            Diagnostic::new(
                                Code::FkAction,
                                fk.loc,
                                format!("`on_delete_columns` names `{c}`, which is not a column of the foreign key"),
                            )
                            .help(format!("list only the key's columns: {}", fk.columns.join(", "))),
                        );
                    }
                }
            }
            if !t.unlogged
                && let Some(target) = s.tables.iter().find(|x| x.name == fk.ref_table)
                && target.unlogged
            {
                self.err(
                    Diagnostic::new(
                        Code::Unlogged,
                        fk.loc,
                        format!(
                            "`{}` references `{}`, which is unlogged; PostgreSQL lets only unlogged tables reference unlogged ones",
                            t.name, target.name
                        ),
                    )
                    .help(format!("make `{}` unlogged too, or `{}` logged", t.name, target.name)),
                );
            }
            for c in &fk.columns {
                let set_here = fk.on_delete_columns.is_empty() || fk.on_delete_columns.contains(c);
                if self.column_ref(t, c, fk.loc, "a foreign key") {
                    let col = t.column(c).expect("checked");
                    if fk.on_delete == FkAction::SetNull && set_here && !col.nullable {
                        self.err(
                            Diagnostic::new(Code::FkAction, fk.loc, format!("`on_delete: set_null` on column `{c}`, which is NOT NULL"))
                                .help("make the column nullable, or choose another action such as `cascade`"),
                        );
                    }
                    // Without a default, SET DEFAULT writes NULL (PostgreSQL allows it): only a
                    // NOT NULL column makes every such delete or update fail.
                    if ((fk.on_delete == FkAction::SetDefault && set_here)
                        || fk.on_update == FkAction::SetDefault)
                        && col.default.is_none()
                        && !col.nullable
                    {
                        self.err(
                            Diagnostic::new(
                                Code::FkAction,
                                fk.loc,
                                format!("`set_default` on column `{c}`, which is NOT NULL and has no default, so every such change would fail"),
                            )
                            .help("give the column a default, make it nullable, or choose another action"),
                        );
                    }
                }
            }
        }
    }

    /// PostgreSQL text cannot hold NUL: the whole script would fail.
    pub(super) fn no_nul(&mut self, text: Option<&str>, loc: Loc) {
        if text.is_some_and(|t| t.contains('\0')) {
            self.err(
                Diagnostic::new(
                    Code::BadName,
                    loc,
                    "this text contains a NUL character, which PostgreSQL text cannot hold",
                )
                .help("remove the NUL character"),
            );
        }
    }

    pub(super) fn column(&mut self, s: &Schema, t: &Table, c: &Column) {
        self.no_nul(c.description.as_deref(), c.loc);
        if let Some(coll) = &c.collation {
            if !s.underlying(&c.ty).base.is_collatable() {
                self.err(
                    Diagnostic::new(
                        Code::BadType,
                        c.loc,
                        format!("column `{}` has a collation but its type `{}` is not a text type", c.name, c.ty),
                    )
                    .help("a collation applies to text, varchar, char and citext columns; remove `collation:`"),
                );
            } else if coll.is_empty() || coll.chars().any(char::is_control) {
                self.err(
                    Diagnostic::new(
                        Code::BadName,
                        c.loc,
                        format!("column `{}` has an empty or unprintable collation name", c.name),
                    )
                    .help("name a collation of the server, e.g. `collation: C` or `collation: en-US-x-icu`"),
                );
            }
        }
        if let Some(Default::Literal(Literal::String(v))) = &c.default {
            self.no_nul(Some(v), c.loc);
            let special = [
                "now",
                "today",
                "tomorrow",
                "yesterday",
                "infinity",
                "-infinity",
                "epoch",
                "allballs",
            ];
            if matches!(
                c.ty.base,
                BaseType::Date
                    | BaseType::Timestamp(_)
                    | BaseType::Timestamptz(_)
                    | BaseType::Time(_)
            ) && special.contains(&v.trim().to_ascii_lowercase().as_str())
                && !matches!(v.trim(), "infinity" | "-infinity" | "epoch" | "allballs")
            {
                self.err(
                    Diagnostic::new(Code::BadDefault, c.loc, format!("default `{v}` of column `{}` would be frozen when the table is created", c.name))
                        .help("PostgreSQL evaluates the literal once; write `default_sql: now()` (or `CURRENT_DATE`) to get the time of each insert"),
                );
            }
        }
        if c.generated.is_some() {
            let other = if c.default.is_some() {
                Some("a default")
            } else if c.identity.is_some() {
                Some("`identity`")
            } else if c.auto_update {
                Some("`auto_update`")
            } else if c.soft_delete {
                Some("`soft_delete`")
            } else if c.backfill.is_some() {
                Some("`backfill`")
            } else {
                None
            };
            if let Some(other) = other {
                self.err(
                    Diagnostic::new(
                        Code::BadDefault,
                        c.loc,
                        format!("generated column `{}` also has {other}", c.name),
                    )
                    .help("PostgreSQL computes a generated column from its expression; remove the other key"),
                );
            }
        }
        let base = &s.underlying(&c.ty).base;
        if let Some(ext) = base.extension()
            && !s.extensions.iter().any(|e| e == ext)
        {
            self.err(
                Diagnostic::new(
                    Code::UnknownType,
                    c.loc,
                    format!(
                        "column `{}` is `{}`, a type of the extension `{ext}`, which the schema does not list",
                        c.name, c.ty
                    ),
                )
                .help(format!("add `extensions: [{ext}]` to the schema")),
            );
        }
        if c.identity_options.is_some() && c.identity.is_none() {
            self.err(
                Diagnostic::new(
                    Code::BadDefault,
                    c.loc,
                    format!(
                        "column `{}` has `identity_options` but no `identity`",
                        c.name
                    ),
                )
                .help("add `identity: always` or `identity: by_default`, or remove the options"),
            );
        }
        if c.identity.is_some() && c.nullable {
            self.err(
                Diagnostic::new(
                    Code::BadDefault,
                    c.loc,
                    format!("identity column `{}` is nullable", c.name),
                )
                .help("PostgreSQL makes identity columns NOT NULL; remove `nullable: true`"),
            );
        }
        if c.auto_update
            && (c.ty.array
                || !matches!(
                    c.ty.base,
                    BaseType::Timestamp(_) | BaseType::Timestamptz(_) | BaseType::Date
                ))
        {
            self.err(
                Diagnostic::new(Code::AutoUpdate, c.loc, format!("`auto_update` on column `{}` of type `{}`", c.name, c.ty))
                    .help("only timestamptz, timestamp and date columns can be kept current by the database"),
            );
        }
        let deletion_time =
            !c.ty.array && matches!(c.ty.base, BaseType::Timestamptz(_) | BaseType::Timestamp(_));
        if c.soft_delete && !deletion_time && (c.ty.array || c.ty.base != BaseType::Boolean) {
            self.err(
                Diagnostic::new(Code::SoftDelete, c.loc, format!("soft-delete flag `{}` is `{}`, not boolean or a timestamp", c.name, c.ty))
                    .help("a soft-delete flag is a boolean column (`is_deleted: { type: boolean, default: false, soft_delete: true }`) or a nullable deletion time (`deleted_at: { type: timestamptz, nullable: true, soft_delete: true }`)"),
            );
        }
        // A deletion time is NULL while the row lives: it must be nullable, and a default
        // would mark every new row deleted.
        if c.soft_delete && deletion_time && (!c.nullable || c.default.is_some()) {
            let what = if c.nullable {
                "has a default"
            } else {
                "is NOT NULL"
            };
            self.err(
                Diagnostic::new(Code::SoftDelete, c.loc, format!("soft-delete time `{}` {what}", c.name))
                    .help("a deletion time is NULL until the row is deleted: `deleted_at: { type: timestamptz, nullable: true, soft_delete: true }`, with no default"),
            );
        }
        if let Some(_id) = c.identity {
            if !c.ty.is_integer() {
                self.err(
                    Diagnostic::new(
                        Code::BadDefault,
                        c.loc,
                        format!("identity column `{}` is `{}`", c.name, c.ty),
                    )
                    .help("identity columns are smallint, integer or bigint"),
                );
            }
            if c.default.is_some() {
                self.err(
                    Diagnostic::new(
                        Code::BadDefault,
                        c.loc,
                        format!("column `{}` has both `identity` and a default", c.name),
                    )
                    .help(
                        "an identity column gets its values from its sequence; remove the default",
                    ),
                );
            }
        }
        if let (BaseType::Enum(e), Some(Default::Literal(lit))) = (&c.ty.base, &c.default) {
            let values: Vec<&str> = s
                .enum_(e)
                .map(|e| e.values.iter().map(|v| v.name.as_str()).collect())
                .unwrap_or_default();
            let bad: Vec<String> = match lit {
                Literal::String(v) if !values.contains(&v.as_str()) => vec![v.clone()],
                Literal::Json(serde_json::Value::Array(items)) => items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .filter(|v| !values.contains(v))
                    .map(str::to_string)
                    .collect(),
                _ => vec![],
            };
            for b in bad {
                self.err(
                    Diagnostic::new(
                        Code::BadDefault,
                        c.loc,
                        format!(
                            "default `{b}` of column `{}` is not a value of enum `{e}`",
                            c.name
                        ),
                    )
                    .help(
                        did_you_mean(&b, values.iter().copied())
                            .unwrap_or_else(|| format!("use one of: {}", values.join(", "))),
                    ),
                );
            }
        }
        let _ = t;
    }
}
