//! Identifiers and doc comments.

use crate::model::is_rust_keyword;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// `name` as an identifier, or why it cannot be one. Never panics (unlike `Ident::new` or
/// `format_ident!` on `2fa`, `user-id`, `type` or `r#x`).
pub fn ident_or_error(name: &str) -> Result<Ident, String> {
    if name.starts_with("r#") || is_rust_keyword(name) || name == "_" {
        return Err("not usable as a Rust identifier (a keyword or raw identifier)".into());
    }
    // The common case without the cost of lexing: ASCII letters, digits and `_`.
    let mut chars = name.chars();
    let ascii = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ascii {
        return Ok(Ident::new(name, Span::call_site()));
    }
    match syn::parse_str::<Ident>(name) {
        Ok(_) => Ok(Ident::new(name, Span::call_site())),
        Err(_) => Err(
            "not a Rust identifier: use letters, digits and `_`, not starting with a digit".into(),
        ),
    }
}

/// The identifier put in place of an unusable name (whose error is reported).
pub fn fallback_ident() -> Ident {
    Ident::new("__strata_unusable_name", Span::call_site())
}

/// Doc attributes, one per line of `text` (outer `///` or inner `//!`). Brackets and angle
/// brackets are escaped so that schema text never reads as a rustdoc link or HTML tag.
pub fn doc(text: &str, inner: bool) -> TokenStream {
    let lines = text.trim().lines().map(|line| {
        let line = line.trim_end();
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {}", escape_markdown(line))
        };
        if inner {
            quote!(#![doc = #text])
        } else {
            quote!(#[doc = #text])
        }
    });
    quote!(#(#lines)*)
}

/// Outer doc attributes for an optional description followed by generated lines (a blank line
/// between them).
pub fn doc_with(description: Option<&str>, generated: &str) -> TokenStream {
    match description.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) if generated.is_empty() => doc(d, false),
        Some(d) => doc(&format!("{d}\n\n{generated}"), false),
        None => doc(generated, false),
    }
}

/// Escapes `[`, `]`, `<` and `>` outside code spans.
fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && matches!(c, '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        // A lone carriage return (or another control character) is not allowed in a doc
        // comment; tabs are.
        out.push(if c.is_control() && c != '\t' { ' ' } else { c });
    }
    out
}

/// `text` as a Markdown code span.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusable_names_are_errors_not_panics() {
        for bad in [
            "2fa", "user-id", "type", "r#x", "self", "_", "", "a b", "gen",
        ] {
            assert!(ident_or_error(bad).is_err(), "{bad}");
        }
        for good in ["user_id", "User", "_private", "x2"] {
            assert!(ident_or_error(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn docs_escape_links_and_tags() {
        let d = doc("e.g. [a] <b>", false).to_string();
        assert!(d.contains(r"\\[a\\] \\<b\\>"), "{d}");
    }
}
