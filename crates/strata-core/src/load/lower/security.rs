//! `roles:`, `grants:` (top level, tables, sequences), `row_level_security:` and `policies:`.

use super::{Lowerer, entries, key, with};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::load::raw::security::{
    RawPolicy, RawPolicyCommand, RawPolicyKind, RawRole, RawRowLevelSecurity, RawTopGrants,
};
use crate::load::tree::Seg;
use crate::model::{
    Column, Grant, GrantKind, GrantObject, Policy, PolicyCommand, Privilege, Role, RowLevelSecurity,
};
use serde_yaml::{Mapping, Value};

pub(super) fn row_level_security(r: Option<RawRowLevelSecurity>) -> Option<RowLevelSecurity> {
    r.map(|r| match r {
        RawRowLevelSecurity::Enabled => RowLevelSecurity::Enabled,
        RawRowLevelSecurity::Forced => RowLevelSecurity::Forced,
    })
}

impl Lowerer<'_> {
    /// `roles:` of one file: a list of names or name → role.
    pub(super) fn roles(&mut self, ci: usize, value: &Value, out: &mut Vec<Role>) {
        let path = vec![key("roles")];
        match value {
            Value::Null => {}
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    let loc = self.ctx(ci).loc(&with(&path, Seg::Index(i)));
                    match item {
                        Value::String(name) if !name.is_empty() => out.push(Role {
                            name: name.clone(),
                            login: false,
                            inherit: true,
                            bypass_rls: false,
                            member_of: Vec::new(),
                            description: None,
                            loc,
                        }),
                        _ => self.err(
                            Diagnostic::new(Code::Shape, loc, "a role here is its name")
                                .help("write `roles: [app_user]`, or a map `roles: { app_user: { login: true } }`"),
                        ),
                    }
                }
            }
            Value::Mapping(map) => {
                for (name, v) in entries(&self.ctxs[ci], map, &path, self.diags) {
                    let rpath = with(&path, key(&name));
                    let loc = self.ctx(ci).key_loc(&rpath);
                    let raw = match v {
                        Value::Null => RawRole {
                            login: false,
                            inherit: None,
                            bypass_rls: false,
                            member_of: Vec::new(),
                            description: None,
                        },
                        v => match self.ctxs[ci].decode::<RawRole>(v, &rpath, self.diags) {
                            Some(r) => r,
                            None => continue,
                        },
                    };
                    let mut member_of = raw.member_of;
                    member_of.sort();
                    member_of.dedup();
                    out.push(Role {
                        name,
                        login: raw.login,
                        inherit: raw.inherit.unwrap_or(true),
                        bypass_rls: raw.bypass_rls,
                        member_of,
                        description: raw.description,
                        loc,
                    });
                }
            }
            _ => {
                let loc = self.ctx(ci).loc(&path);
                self.err(
                    Diagnostic::new(Code::Shape, loc, "`roles:` is a list of names or a map").help(
                        "write `roles: [app_user]`, or `roles: { app_user: { login: true } }`",
                    ),
                );
            }
        }
    }

    /// The top-level `grants:` of one file: on PostgreSQL schemas and functions.
    pub(super) fn top_grants(&mut self, ci: usize, raw: &RawTopGrants, out: &mut Vec<Grant>) {
        let path = vec![key("grants"), key("schemas")];
        for (name, v) in entries(&self.ctxs[ci], &raw.schemas, &path, self.diags) {
            let opath = with(&path, key(&name));
            let object = GrantObject::Schema { name };
            self.grants_value(ci, &opath, v, &object, None, out);
        }
        let path = vec![key("grants"), key("functions")];
        for (sig, v) in entries(&self.ctxs[ci], &raw.functions, &path, self.diags) {
            let opath = with(&path, key(&sig));
            let Some(object) = self.function_signature(ci, &opath, &sig) else {
                continue;
            };
            self.grants_value(ci, &opath, v, &object, None, out);
        }
    }

    /// `name(type, …)` as a function grant target; the types printed by PostgreSQL's parser.
    fn function_signature(&mut self, ci: usize, path: &[Seg], sig: &str) -> Option<GrantObject> {
        let loc = self.ctx(ci).key_loc(path);
        let bad = |why: String| {
            Diagnostic::new(Code::Privilege, loc, format!("`{sig}` is not a function signature: {why}"))
                .help("write the function's name and its argument types, e.g. `\"tenant_of(uuid, text)\"`, or `\"now()\"` for none")
        };
        let Some((name, rest)) = sig.split_once('(') else {
            self.err(bad("it has no `(`".into()));
            return None;
        };
        let Some(inner) = rest.trim_end().strip_suffix(')') else {
            self.err(bad("it does not end with `)`".into()));
            return None;
        };
        let name = name.trim();
        let (schema, name) = match name.split_once('.') {
            Some((s, n)) => (Some(s.to_string()), n.to_string()),
            None => (None, name.to_string()),
        };
        if !super::is_sql_name(&name) {
            self.err(bad(format!("`{name}` is not a function name")));
            return None;
        }
        let mut args = Vec::new();
        if !inner.trim().is_empty() {
            for part in split_top_level(inner) {
                match crate::fragment::type_name(part.trim()) {
                    Ok(t) => args.push(t),
                    Err(e) => {
                        self.err(bad(format!("the argument type `{}` {e}", part.trim())));
                        return None;
                    }
                }
            }
        }
        Some(GrantObject::Function { schema, name, args })
    }

    /// A `grants:` map (role → privileges) on `object`. On a table, an item `{update: [a, b]}`
    /// grants on those columns (`columns`: the table's, to check the names).
    pub(super) fn grants_map(
        &mut self,
        ci: usize,
        path: &[Seg],
        map: &Mapping,
        object: &GrantObject,
        columns: Option<&[Column]>,
        out: &mut Vec<Grant>,
    ) {
        for (role, v) in entries(&self.ctxs[ci], map, path, self.diags) {
            let rpath = with(path, key(&role));
            self.role_privileges(ci, &rpath, &role, v, object, columns, out);
        }
    }

    fn grants_value(
        &mut self,
        ci: usize,
        path: &[Seg],
        v: &Value,
        object: &GrantObject,
        columns: Option<&[Column]>,
        out: &mut Vec<Grant>,
    ) {
        match v {
            Value::Mapping(m) => self.grants_map(ci, path, m, object, columns, out),
            Value::Null => {}
            _ => {
                let loc = self.ctx(ci).loc(path);
                self.err(
                    Diagnostic::new(
                        Code::Shape,
                        loc,
                        format!("the grants on {object} are a map of role → privileges"),
                    )
                    .help("write e.g. `{ app_user: [usage] }`"),
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn role_privileges(
        &mut self,
        ci: usize,
        path: &[Seg],
        role: &str,
        v: &Value,
        object: &GrantObject,
        columns: Option<&[Column]>,
        out: &mut Vec<Grant>,
    ) {
        let items: Vec<(Vec<Seg>, &Value)> = match v {
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .map(|(i, x)| (with(path, Seg::Index(i)), x))
                .collect(),
            Value::Null => Vec::new(),
            other => vec![(path.to_vec(), other)],
        };
        let kind = object.kind();
        for (ipath, item) in items {
            let loc = self.ctx(ci).loc(&ipath);
            match item {
                Value::String(word) => {
                    if let Some(p) = self.privilege(word, kind, loc) {
                        out.push(Grant {
                            object: object.clone(),
                            role: role.to_string(),
                            privileges: vec![p],
                            loc,
                        });
                    }
                }
                Value::Mapping(m) if columns.is_some() => {
                    let table_columns = columns.unwrap_or_default();
                    for (word, cols) in entries(&self.ctxs[ci], m, &ipath, self.diags) {
                        let cpath = with(&ipath, key(&word));
                        let cloc = self.ctx(ci).loc(&cpath);
                        let Some(p) = self.privilege(&word, GrantKind::Column, cloc) else {
                            continue;
                        };
                        let names: Vec<String> = match cols {
                            Value::Sequence(list) => list
                                .iter()
                                .filter_map(|c| c.as_str().map(str::to_string))
                                .collect(),
                            Value::String(one) => vec![one.clone()],
                            _ => Vec::new(),
                        };
                        if names.is_empty() {
                            self.err(
                                Diagnostic::new(Code::Shape, cloc, format!("`{word}:` lists no columns"))
                                    .help(format!("write `{{ {word}: [column, …] }}`, or `{word}` alone for the whole table")),
                            );
                        }
                        for c in names {
                            if !table_columns.iter().any(|x| x.name == c) {
                                self.err(
                                    Diagnostic::new(
                                        Code::UnknownColumn,
                                        cloc,
                                        format!("a grant names column `{c}`, which {object} does not have"),
                                    )
                                    .help_opt(did_you_mean(&c, table_columns.iter().map(|x| x.name.as_str()))),
                                );
                                continue;
                            }
                            let (schema, table) = match object {
                                GrantObject::Table { schema, name } => {
                                    (schema.clone(), name.clone())
                                }
                                _ => continue,
                            };
                            out.push(Grant {
                                object: GrantObject::Column {
                                    schema,
                                    table,
                                    column: c,
                                },
                                role: role.to_string(),
                                privileges: vec![p],
                                loc: cloc,
                            });
                        }
                    }
                }
                _ => self.err(
                    Diagnostic::new(
                        Code::Shape,
                        loc,
                        format!("a privilege on {object} is a word"),
                    )
                    .help(format!(
                        "one of: {}{}",
                        names(Privilege::applicable(kind)),
                        if columns.is_some() {
                            "; or `{update: [column, …]}` for some columns"
                        } else {
                            ""
                        }
                    )),
                ),
            }
        }
    }

    fn privilege(
        &mut self,
        word: &str,
        kind: GrantKind,
        loc: crate::diag::Loc,
    ) -> Option<Privilege> {
        let allowed = Privilege::applicable(kind);
        match Privilege::parse(word) {
            Some(p) if allowed.contains(&p) => Some(p),
            _ => {
                let what = match kind {
                    GrantKind::Table => "a table",
                    GrantKind::Column => "columns",
                    GrantKind::Sequence => "a sequence",
                    GrantKind::Function => "a function",
                    GrantKind::Schema => "a schema",
                };
                self.err(
                    Diagnostic::new(
                        Code::Privilege,
                        loc,
                        format!("`{word}` is not a privilege on {what}"),
                    )
                    .help(format!("the privileges on {what} are: {}", names(allowed))),
                );
                None
            }
        }
    }

    /// A table's `policies:`.
    pub(super) fn policies(&mut self, ci: usize, path: &[Seg], map: &Mapping) -> Vec<Policy> {
        let mut out = Vec::new();
        for (name, v) in entries(&self.ctxs[ci], map, path, self.diags) {
            let ppath = with(path, key(&name));
            let loc = self.ctx(ci).key_loc(&ppath);
            if name.len() > crate::model::MAX_IDENT_BYTES {
                self.err(super::too_long(&name, loc));
            }
            let Some(raw) = self.ctxs[ci].decode::<RawPolicy>(v, &ppath, self.diags) else {
                continue;
            };
            let command = match raw.command {
                None | Some(RawPolicyCommand::All) => PolicyCommand::All,
                Some(RawPolicyCommand::Select) => PolicyCommand::Select,
                Some(RawPolicyCommand::Insert) => PolicyCommand::Insert,
                Some(RawPolicyCommand::Update) => PolicyCommand::Update,
                Some(RawPolicyCommand::Delete) => PolicyCommand::Delete,
            };
            if raw.using.is_none() && raw.with_check.is_none() {
                self.err(
                    Diagnostic::new(Code::Policy, loc, format!("policy `{name}` has neither `using` nor `with_check`"))
                        .help("give `using:` (which rows are visible) and/or `with_check:` (which rows may be written)"),
                );
            }
            let uloc = self.ctx(ci).loc(&with(&ppath, key("using")));
            if raw.using.is_some() && command == PolicyCommand::Insert {
                self.err(
                    Diagnostic::new(
                        Code::Policy,
                        uloc,
                        format!("policy `{name}` is for INSERT, which has no `using`"),
                    )
                    .help("an INSERT policy checks new rows: write the condition as `with_check:`"),
                );
            }
            let wloc = self.ctx(ci).loc(&with(&ppath, key("with_check")));
            if raw.with_check.is_some()
                && matches!(command, PolicyCommand::Select | PolicyCommand::Delete)
            {
                self.err(
                    Diagnostic::new(Code::Policy, wloc, format!("policy `{name}` is for {}, which has no `with_check`", command.sql()))
                        .help("a SELECT or DELETE policy filters existing rows: write the condition as `using:`"),
                );
            }
            let mut roles = raw.roles.unwrap_or_default();
            for r in &mut roles {
                if r.eq_ignore_ascii_case("public") {
                    *r = "public".into();
                }
            }
            roles.sort();
            roles.dedup();
            if roles.is_empty() {
                roles.push("public".into());
            }
            out.push(Policy {
                name,
                command,
                roles,
                using: raw.using,
                with_check: raw.with_check,
                restrictive: raw.kind == Some(RawPolicyKind::Restrictive),
                description: raw.description,
                renamed_from: raw.renamed_from,
                loc,
            });
        }
        out
    }
}

fn names(list: &[Privilege]) -> String {
    list.iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a, b(1, 2), c` → `a`, `b(1, 2)`, `c`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}
