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
mod partitions;
mod security;

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

    fn name_length(&mut self, name: &str, loc: Loc) {
        if name.len() > MAX_IDENT_BYTES {
            self.err(
                Diagnostic::new(
                    Code::NameTooLong,
                    loc,
                    format!(
                        "`{}…` is {} bytes long; PostgreSQL keeps only 63 and would silently truncate it",
                        name.chars().take(20).collect::<String>(),
                        name.len()
                    ),
                )
                .help("choose a name of at most 63 bytes"),
            );
        }
        if name.contains('\0') {
            self.err(
                Diagnostic::new(Code::BadName, loc, "a name cannot contain a NUL character")
                    .help("remove it"),
            );
        }
    }

    /// Reports the second of two things with the same folded name.
    fn unique_names<'n>(
        &mut self,
        items: impl IntoIterator<Item = (&'n str, Loc, &'static str)>,
        scope: &str,
    ) {
        let mut seen: BTreeMap<String, (Loc, &'static str)> = BTreeMap::new();
        for (name, loc, kind) in items {
            let folded = fold_ident(name);
            if let Some((first, first_kind)) = seen.get(&folded) {
                self.err(
                    Diagnostic::new(
                        Code::DuplicateName,
                        loc,
                        format!("{kind} `{name}` has the same name as {first_kind} declared before{scope}"),
                    )
                    .related(*first, "first declared here")
                    .help("rename one of them"),
                );
            } else {
                seen.insert(folded, (loc, kind));
            }
        }
    }

    fn namespaces(&mut self, s: &Schema) {
        // Tables, indexes and index-backed constraints share PostgreSQL's relation namespace.
        // Constraint and index names are per PostgreSQL schema: they are compared qualified
        // by their table's schema (`billing.invoices_pkey`).
        let in_schema = |t: &Table, name: &str| qualify(split_qualified(&t.name).0, name);
        let mut owned: Vec<(String, Loc, &'static str)> = Vec::new();
        let mut relations: Vec<(&str, Loc, &'static str)> = Vec::new();
        for t in &s.tables {
            relations.push((&t.name, t.loc, "table"));
        }
        for t in &s.tables {
            for (_, p) in t.all_partitions() {
                relations.push((&p.name, p.loc, "partition"));
            }
        }
        for q in &s.sequences {
            relations.push((&q.name, q.loc, "sequence"));
        }
        for v in &s.views {
            relations.push((&v.name, v.loc, v.kind()));
            relations.extend(v.indexes.iter().map(|i| (i.name.as_str(), i.loc, "index")));
        }
        // A table declared twice is reported once; names derived from the copy are not.
        let mut seen_tables = std::collections::BTreeSet::new();
        let originals: Vec<&Table> = s
            .tables
            .iter()
            .filter(|t| seen_tables.insert(fold_ident(&t.name)))
            .collect();
        for t in originals.iter().copied() {
            if let Some(pk) = &t.primary_key {
                owned.push((in_schema(t, &pk.name), pk.loc, "primary key"));
            }
            for u in &t.uniques {
                owned.push((in_schema(t, &u.name), u.loc, "unique constraint"));
            }
            for i in &t.indexes {
                owned.push((in_schema(t, &i.name), i.loc, "index"));
            }
            for x in &t.exclusions {
                owned.push((in_schema(t, &x.name), x.loc, "exclusion constraint"));
            }
            if let Some(sr) = &t.single_row {
                owned.push((in_schema(t, sr), t.loc, "single-row constraint"));
            }
        }
        relations.extend(owned.iter().map(|(n, l, k)| (n.as_str(), *l, *k)));
        self.unique_names(relations, " in this database");
        // Every table has a row type of its name, so enums may not reuse table names.
        let types = s
            .tables
            .iter()
            .map(|t| (t.name.as_str(), t.loc, "table"))
            .chain(s.enums.iter().map(|e| (e.name.as_str(), e.loc, "enum")));
        let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
        for (name, loc, kind) in types {
            let f = fold_ident(name);
            if kind == "enum"
                && let Some(first) = seen.get(&f)
            {
                self.err(
                    Diagnostic::new(
                        Code::DuplicateName,
                        loc,
                        format!("enum `{name}` has the same name as a table (or enum)"),
                    )
                    .related(*first, "first declared here")
                    .help("PostgreSQL gives every table a type of its name; rename the enum"),
                );
                continue;
            }
            seen.entry(f).or_insert(loc);
        }
        // Rust type names must not collide either.
        let inserts: Vec<(String, Loc)> = originals
            .iter()
            .map(|t| (format!("New{}", t.rust_name), t.loc))
            .collect();
        let rust = originals
            .iter()
            .map(|t| (t.rust_name.as_str(), t.loc, "Rust type of a table"))
            .chain(
                inserts
                    .iter()
                    .map(|(n, loc)| (n.as_str(), *loc, "insert struct of a table")),
            )
            .chain(
                s.enums
                    .iter()
                    .map(|e| (e.rust_name.as_str(), e.loc, "Rust type of an enum")),
            )
            .chain(
                s.json_types
                    .iter()
                    .map(|j| (j.rust_name.as_str(), j.loc, "Rust type of a JSON structure")),
            );
        let mut seen: BTreeMap<&str, (Loc, &str)> = BTreeMap::new();
        for (name, loc, kind) in rust {
            if let Some((first, _)) = seen.get(name) {
                self.err(
                    Diagnostic::new(
                        Code::DuplicateName,
                        loc,
                        format!("the {kind} would be named `{name}`, which is already taken"),
                    )
                    .related(*first, "the name is first used here")
                    .help("set `rust_name:` on one of them"),
                );
            } else {
                seen.insert(name, (loc, kind));
            }
        }
        for t in &s.tables {
            self.name_length(local_name(&t.name), t.loc);
        }
        for e in &s.enums {
            self.name_length(local_name(&e.name), e.loc);
        }
    }

    /// Every Rust name (given with `rust_name` or derived) must be an identifier the generated
    /// code can use.
    fn rust_names(&mut self, s: &Schema) {
        let mut check = |name: &str, loc: Loc, what: &str| {
            if syn::parse_str::<syn::Ident>(name).is_err() || is_rust_keyword(name) {
                self.diags.push(
                    Diagnostic::new(Code::BadName, loc, format!("the Rust name `{name}` of {what} is not a usable identifier"))
                        .help("set `rust_name:` to letters, digits and `_`, not starting with a digit, and not a Rust keyword"),
                );
            }
        };
        for e in &s.enums {
            check(&e.rust_name, e.loc, &format!("enum `{}`", e.name));
            for v in &e.values {
                check(
                    &v.rust_name,
                    v.loc,
                    &format!("value `{}` of enum `{}`", v.name, e.name),
                );
            }
        }
        for j in &s.json_types {
            check(&j.rust_name, j.loc, &format!("JSON structure `{}`", j.name));
            for f in &j.fields {
                check(
                    &f.rust_name,
                    f.loc,
                    &format!("field `{}` of `{}`", f.name, j.name),
                );
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

    fn column_ref(&mut self, t: &Table, name: &str, loc: Loc, what: &str) -> bool {
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

    fn table(&mut self, s: &Schema, t: &Table) {
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
    fn no_nul(&mut self, text: Option<&str>, loc: Loc) {
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

    fn column(&mut self, s: &Schema, t: &Table, c: &Column) {
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

    /// Resolves each foreign key's target columns and checks the target and the types.
    fn resolve_foreign_keys(&mut self, s: &mut Schema) {
        let snapshot: Vec<Table> = s.tables.clone();
        for t in &mut s.tables {
            let from = split_qualified(&t.name).0;
            for fk in &mut t.foreign_keys {
                fk.ref_table = crate::model::resolve_reference(&fk.ref_table, from, |n| {
                    snapshot.iter().any(|x| x.name == n)
                });
                if let (Some(schema), _) = split_qualified(&fk.ref_table)
                    && s.pg_schemas.iter().all(|p| p.name != schema)
                {
                    self.err(undeclared_pg_schema(
                        schema,
                        &format!(
                            "the table `{}` a foreign key of `{}` references",
                            fk.ref_table, t.name
                        ),
                        fk.loc,
                        &s.pg_schemas,
                    ));
                    continue;
                }
                let Some(target) = snapshot.iter().find(|x| x.name == fk.ref_table) else {
                    self.err(
                        Diagnostic::new(
                            Code::UnknownTable,
                            fk.loc,
                            format!(
                                "foreign key of `{}` references unknown table `{}`",
                                t.name, fk.ref_table
                            ),
                        )
                        .help(
                            did_you_mean(&fk.ref_table, snapshot.iter().map(|x| x.name.as_str()))
                                .unwrap_or_else(|| {
                                    "declare the table (a minimal one will do) or fix the name"
                                        .into()
                                }),
                        ),
                    );
                    continue;
                };
                if fk.ref_columns.is_empty() {
                    match &target.primary_key {
                        Some(pk) => fk.ref_columns = pk.columns.clone(),
                        None => continue, // reported as a missing primary key
                    }
                }
                if fk.ref_columns.len() != fk.columns.len() {
                    self.err(
                        Diagnostic::new(
                            Code::FkArity,
                            fk.loc,
                            format!(
                                "foreign key of `{}` has {} column(s) but references {} column(s) of `{}`",
                                t.name,
                                fk.columns.len(),
                                fk.ref_columns.len(),
                                target.name
                            ),
                        )
                        .help("list as many referenced columns as local ones, in the same order"),
                    );
                    continue;
                }
                let mut all_known = true;
                for rc in &fk.ref_columns {
                    if target.column(rc).is_none() {
                        all_known = false;
                        self.err(
                            Diagnostic::new(Code::UnknownColumn, fk.loc, format!("foreign key references column `{rc}`, which table `{}` does not have", target.name))
                                .help(did_you_mean(rc, target.columns.iter().map(|c| c.name.as_str()))
                                    .unwrap_or_else(|| "reference the primary key or a unique column".into())),
                        );
                    }
                }
                if !all_known {
                    continue;
                }
                let is_key = |cols: &[String]| {
                    let mut a = cols.to_vec();
                    let mut b = fk.ref_columns.clone();
                    a.sort();
                    b.sort();
                    a == b
                };
                let unique_target = target
                    .primary_key
                    .as_ref()
                    .is_some_and(|p| is_key(&p.columns))
                    || target.uniques.iter().any(|u| is_key(&u.columns))
                    || target.indexes.iter().any(|i| {
                        i.unique
                            && i.predicate.is_none()
                            && is_key(
                                &i.keys
                                    .iter()
                                    .filter_map(|k| match &k.target {
                                        IndexTarget::Column(c) => Some(c.clone()),
                                        IndexTarget::Expr(_) => None,
                                    })
                                    .collect::<Vec<_>>(),
                            )
                            && i.keys
                                .iter()
                                .all(|k| matches!(k.target, IndexTarget::Column(_)))
                    });
                if !unique_target {
                    self.err(
                        Diagnostic::new(
                            Code::FkTargetNotUnique,
                            fk.loc,
                            format!("foreign key references ({}) of `{}`, which is neither its primary key nor unique", fk.ref_columns.join(", "), target.name),
                        )
                        .help("reference the primary key, or make the referenced column(s) unique"),
                    );
                }
                for (lc, rc) in fk.columns.iter().zip(&fk.ref_columns) {
                    let (Some(l), Some(r)) =
                        (t.columns.iter().find(|c| &c.name == lc), target.column(rc))
                    else {
                        continue;
                    };
                    if !compatible(&l.ty, &r.ty) {
                        self.err(
                            Diagnostic::new(
                                Code::FkTypeMismatch,
                                fk.loc,
                                format!("column `{}.{lc}` is `{}` but references `{}.{rc}`, which is `{}`", t.name, l.ty, target.name, r.ty),
                            )
                            .help(format!("make `{lc}` a `{}` column", r.ty)),
                        );
                    }
                }
            }
        }
    }
}

/// Whether a foreign-key column of type `a` can reference a column of type `b`.
fn compatible(a: &ColumnType, b: &ColumnType) -> bool {
    let stringy =
        |t: &ColumnType| !t.array && matches!(t.base, BaseType::Text | BaseType::Varchar(_));
    a == b || (stringy(a) && stringy(b))
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
