//! Names: PostgreSQL's identifier limit, generated-name shortening, and Rust names.

use heck::ToSnakeCase;

/// PostgreSQL's NAMEDATALEN - 1: longer identifiers are silently truncated by the server.
pub const MAX_IDENT_BYTES: usize = 63;

/// The key under which two names collide. Names are written exactly as PostgreSQL stores them
/// (Strata quotes every name that needs it), so `Users` and `users` are two objects, as they are
/// in the database; only an identical name collides.
pub fn fold_ident(name: &str) -> String {
    name.to_string()
}

/// Shortens a generated identifier to at most 63 bytes, keeping it readable and unique: a
/// prefix, an underscore and eight hex digits of a stable hash of the whole name.
pub fn shorten_ident(name: &str) -> String {
    if name.len() <= MAX_IDENT_BYTES {
        return name.to_string();
    }
    let hash = fnv1a(name.as_bytes());
    let mut cut = MAX_IDENT_BYTES - 9;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{hash:08x}", name[..cut].trim_end_matches('_'))
}

/// FNV-1a, 32 bits: stable across machines and versions, unlike std's hasher.
fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The identifier-like words of an SQL expression, in order, once each, that `keep` accepts:
/// the loader names checks and expression indexes from them (`price_cents >= 0` →
/// `price_cents`), and the YAML writer uses them to tell generated names from chosen ones.
pub fn expr_words(expr: &str, keep: impl Fn(&str) -> bool) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for w in expr.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if !w.is_empty()
            && !w.starts_with(|c: char| c.is_ascii_digit())
            && keep(w)
            && !out.contains(&w)
        {
            out.push(w);
        }
    }
    out
}

/// The name PostgreSQL gives an unnamed exclusion constraint of `table` (its local name):
/// `<table>_<names>_excl`, one name per element — the column, the function an expression
/// calls (`lower(email)` → `lower`), or `expr` — then the `INCLUDE` columns, shortened to 63
/// bytes.
pub fn exclusion_name(
    table: &str,
    elements: &[super::ExclusionElement],
    include: &[String],
) -> String {
    let mut words: Vec<String> = elements
        .iter()
        .map(|e| match &e.key.target {
            super::IndexTarget::Column(c) => c.clone(),
            super::IndexTarget::Expr(x) => {
                let head: String = x
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                    .collect();
                let called = x[head.len()..].starts_with('(');
                match head.rsplit('.').next() {
                    Some(f)
                        if called
                            && !f.is_empty()
                            && !f.starts_with(|c: char| c.is_ascii_digit()) =>
                    {
                        f.to_lowercase()
                    }
                    _ => "expr".to_string(),
                }
            }
        })
        .collect();
    words.extend(include.iter().cloned());
    shorten_ident(&format!("{table}_{}_excl", words.join("_")))
}

/// English singular of the last word of a snake_case table name (`bot_memories` → `bot_memory`).
/// Irregular cases are what `rust_name` is for.
pub fn singular(name: &str) -> String {
    let (head, last) = match name.rfind('_') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    let lower = last.to_ascii_lowercase();
    let single = if lower.ends_with("ies") && last.len() > 3 {
        format!("{}y", &last[..last.len() - 3])
    } else if ["sses", "shes", "ches", "xes", "zes", "uses"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        last[..last.len() - 2].to_string()
    } else if lower.ends_with("ss") || lower.ends_with("us") || lower.ends_with("is") {
        last.to_string()
    } else if lower.ends_with('s') && last.len() > 1 {
        last[..last.len() - 1].to_string()
    } else {
        last.to_string()
    };
    format!("{head}{single}")
}

/// Words Rust reserves (2024 edition), which need `r#` or another name.
pub fn is_rust_keyword(s: &str) -> bool {
    matches!(
        s,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// The Rust field name derived from an SQL or JSON name: snake_case; a name that starts with a
/// digit gets a leading underscore; keywords get a trailing underscore (`type` → `type_`) so the
/// generated code never needs raw identifiers.
pub fn rust_field_ident(name: &str) -> String {
    let mut s: String = name
        .to_snake_case()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        s.push('_');
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if is_rust_keyword(&s) || s == "_" {
        s.push('_');
    }
    s
}

/// Splits a model name into its PostgreSQL schema and its name in that schema: an object of
/// the default schema (`public`) is named plainly (`users`), one of another schema by the
/// qualified key it has in YAML (`billing.invoices`). The loader refuses a `.` in a schema
/// name and a key whose prefix is not a declared schema, so the first `.` is the separator.
pub fn split_qualified(name: &str) -> (Option<&str>, &str) {
    match name.split_once('.') {
        Some((schema, local)) => (Some(schema), local),
        None => (None, name),
    }
}

/// The model name of `local` in `schema` (`None`: the default schema), as [`split_qualified`]
/// reads it back.
pub fn qualify(schema: Option<&str>, local: &str) -> String {
    match schema {
        Some(s) => format!("{s}.{local}"),
        None => local.to_string(),
    }
}

/// The name in its schema of an object named `name` in the model (`billing.invoices` →
/// `invoices`): what PostgreSQL derives constraint and index names from.
pub fn local_name(name: &str) -> &str {
    split_qualified(name).1
}

/// The model name a reference `name` written in an object of the schema `from` means: `name`
/// itself when it is qualified or `from` is `public`, else `from.name` when `exists` says there
/// is such an object, else `name` (in `public`); `public.name` is `name`.
pub fn resolve_reference(name: &str, from: Option<&str>, exists: impl Fn(&str) -> bool) -> String {
    match (split_qualified(name), from) {
        // `public.name` says `public` explicitly (needed where `name` would mean an object of
        // the referencing table's own schema).
        ((Some("public"), local), _) => local.to_string(),
        ((None, local), Some(schema)) => {
            let same = qualify(Some(schema), local);
            if exists(&same) {
                same
            } else {
                name.to_string()
            }
        }
        _ => name.to_string(),
    }
}

/// Whether the unqualified reference `name`, written in an object of the schema `from`, could
/// mean two objects: the one of that name in `from` and the one in `public`. The loader refuses
/// such a reference (E0049) rather than pick one: `from.name` or `public.name` says which.
pub fn ambiguous_reference(name: &str, from: Option<&str>, exists: impl Fn(&str) -> bool) -> bool {
    match (split_qualified(name), from) {
        ((None, local), Some(schema)) => exists(&qualify(Some(schema), local)) && exists(local),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singulars() {
        assert_eq!(singular("bot_memories"), "bot_memory");
        assert_eq!(singular("clicks"), "click");
        assert_eq!(singular("message_history"), "message_history");
        assert_eq!(singular("email_addresses"), "email_address");
        assert_eq!(singular("statuses"), "status");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("faq_entries"), "faq_entry");
        assert_eq!(singular("boxes"), "box");
    }

    #[test]
    fn shortened_names_fit_and_are_stable() {
        let long = "a".repeat(80);
        let s = shorten_ident(&long);
        assert!(s.len() <= MAX_IDENT_BYTES);
        assert_eq!(s, shorten_ident(&long));
        assert_ne!(s, shorten_ident(&format!("{long}b")));
        let unicode = "é".repeat(40);
        assert!(shorten_ident(&unicode).len() <= MAX_IDENT_BYTES);
    }

    #[test]
    fn rust_fields() {
        assert_eq!(rust_field_ident("userId"), "user_id");
        assert_eq!(rust_field_ident("type"), "type_");
        assert_eq!(rust_field_ident("2fa"), "_2fa");
        assert_eq!(rust_field_ident("user-id"), "user_id");
        assert_eq!(rust_field_ident("self"), "self_");
    }
}
