//! YAML scalars and flow values: plain only where the loader reads the text back unchanged,
//! else quoted; literals, JSON, lists and keys.

use crate::model::Literal;
use std::fmt::Write as _;

/// A literal default as a YAML value the loader turns back into the same literal.
pub(super) fn literal_yaml(l: &Literal) -> String {
    match l {
        Literal::String(s) => flow_scalar(s),
        Literal::Integer(i) => i.to_string(),
        // Written bare only when YAML reads it back as the same number text.
        Literal::Number(n) => match serde_yaml::from_str::<serde_yaml::Value>(n) {
            Ok(serde_yaml::Value::Number(x)) if x.to_string() == *n => n.clone(),
            _ => quoted(n),
        },
        Literal::Bool(b) => b.to_string(),
        Literal::Json(v) => json_yaml(v),
    }
}

/// A JSON value in YAML's flow syntax (`{ a: 1, b: [x, "2"] }`), strings as [`flow_scalar`].
pub(super) fn json_yaml(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => flow_scalar(s),
        serde_json::Value::Array(items) => format!(
            "[{}]",
            items.iter().map(json_yaml).collect::<Vec<_>>().join(", ")
        ),
        serde_json::Value::Object(m) if m.is_empty() => "{}".into(),
        serde_json::Value::Object(m) => {
            let fields: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", flow_scalar(k), json_yaml(v)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
    }
}

/// A flow-context value already rendered (a scalar, a flow list or map), re-checked for a
/// block context: flow collections are valid there too.
pub(super) fn block_value(v: &str) -> String {
    v.to_string()
}

/// A mapping key (a table, column or enum name).
pub(super) fn key(s: &str) -> String {
    flow_scalar(s)
}

/// A scalar inside a flow collection (`[…]`, `{…}`): plain when YAML reads it back as the same
/// string there, else double-quoted.
pub(super) fn flow_scalar(s: &str) -> String {
    if plain_candidate(s)
        && !s.contains([',', '[', ']', '{', '}'])
        && reads_back(&format!("[{s}]"), s, true)
    {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A scalar as a block mapping's value or a list item.
pub(super) fn block_scalar(s: &str) -> String {
    if plain_candidate(s) && reads_back(&format!("k: {s}"), s, false) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// Whether `s` may be written without quotes. Text starting with a digit is always quoted:
/// YAML 1.1 readers (many editors and tools) take `07:30:00` or `2000-01-01` for numbers and
/// dates even where this loader reads strings.
pub(super) fn plain_candidate(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '+')
        && s.trim() == s
        && !s.chars().any(char::is_control)
        && !s.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
}

/// Whether the YAML `doc` (`[s]` or `k: s`) reads back as the string `s`.
pub(super) fn reads_back(doc: &str, s: &str, in_list: bool) -> bool {
    let Ok(v) = serde_yaml::from_str::<serde_yaml::Value>(doc) else {
        return false;
    };
    let found = if in_list {
        match v {
            serde_yaml::Value::Sequence(items) if items.len() == 1 => items.into_iter().next(),
            _ => None,
        }
    } else {
        match v {
            serde_yaml::Value::Mapping(m) if m.len() == 1 => m.into_iter().next().map(|(_, v)| v),
            _ => None,
        }
    };
    matches!(found, Some(serde_yaml::Value::String(x)) if x == s)
}

/// A double-quoted YAML scalar.
pub(super) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || c == '\u{feff}'
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{85}' =>
            {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A flow list of names.
pub(super) fn flow_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|i| flow_scalar(i))
            .collect::<Vec<_>>()
            .join(", ")
    )
}
