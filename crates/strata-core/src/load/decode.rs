//! serde decoding with located, readable errors.
//!
//! Each declaration (a table, a column, an enum, ...) is decoded on its own, so one shape error
//! does not hide the others, and serde_path_to_error tells where inside it the error is; the
//! position tree turns that path into file:line:col.

use super::tree::{Node, Seg};
use crate::diag::{Code, Diagnostic, Loc, did_you_mean};
use serde::de::DeserializeOwned;
use serde_yaml::Value;

/// One file being decoded: its number and position tree.
pub struct FileCtx {
    pub file: u32,
    pub root: Node,
    /// The group name (file stem) for a schema folder, `None` for a single-file schema.
    pub group: Option<String>,
}

impl FileCtx {
    pub fn node(&self, path: &[Seg]) -> &Node {
        self.root.locate(path)
    }

    pub fn loc(&self, path: &[Seg]) -> Loc {
        self.node(path).loc
    }

    /// The location of the key that ends `path` (the node's own location when there is none).
    pub fn key_loc(&self, path: &[Seg]) -> Loc {
        match path.split_last() {
            Some((Seg::Key(k), parent)) => self.node(parent).key_loc(k),
            _ => self.loc(path),
        }
    }

    /// Decodes `value`, found at `path`, into `T`; on failure pushes a located diagnostic.
    pub fn decode<T: DeserializeOwned>(
        &self,
        value: &Value,
        path: &[Seg],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(v) => Some(v),
            Err(err) => {
                let mut full: Vec<Seg> = path.to_vec();
                for seg in err.path().iter() {
                    match seg {
                        serde_path_to_error::Segment::Map { key } => {
                            full.push(Seg::Key(key.clone()))
                        }
                        serde_path_to_error::Segment::Seq { index } => {
                            full.push(Seg::Index(*index))
                        }
                        _ => {}
                    }
                }
                diags.push(self.shape_error(&full, &err.inner().to_string()));
                None
            }
        }
    }

    /// Turns a serde message into a diagnostic at the right node, with a suggestion.
    pub fn shape_error(&self, path: &[Seg], message: &str) -> Diagnostic {
        let (first, expected) = backticked(message);
        // For an unknown key the path may end at the key itself: report it in its parent.
        let path = match (path.split_last(), &first) {
            (Some((Seg::Key(k), parent)), Some(f))
                if message.starts_with("unknown field") && k == f =>
            {
                parent
            }
            _ => path,
        };
        let node = self.node(path);
        if let Some(rest) = message.strip_prefix("unknown field") {
            let _ = rest;
            let key = first.unwrap_or_default();
            let loc = node.key_loc(&key);
            let help = did_you_mean(&key, expected.iter().map(String::as_str))
                .unwrap_or_else(|| format!("the keys allowed here are: {}", expected.join(", ")));
            return Diagnostic::new(Code::UnknownKey, loc, format!("unknown key `{key}`"))
                .help(help);
        }
        if message.starts_with("unknown variant") {
            let word = first.unwrap_or_default();
            let help = did_you_mean(&word, expected.iter().map(String::as_str))
                .unwrap_or_else(|| format!("use one of: {}", expected.join(", ")));
            return Diagnostic::new(Code::Shape, node.loc, format!("unknown value `{word}`"))
                .help(help);
        }
        if message.starts_with("missing field") {
            let key = first.unwrap_or_default();
            return Diagnostic::new(Code::Shape, node.loc, format!("missing key `{key}`"))
                .help(format!("add `{key}:` here (see docs/schema-language.md)"));
        }
        let clean = message
            .split(" at line ")
            .next()
            .unwrap_or(message)
            .replace("invalid type:", "wrong kind of value:");
        Diagnostic::new(Code::Shape, node.loc, clean)
            .help("see docs/schema-language.md for the shape of this key")
    }
}

/// The first backticked word of a serde message, and the backticked words after "expected".
fn backticked(message: &str) -> (Option<String>, Vec<String>) {
    let words = |s: &str| -> Vec<String> {
        s.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, w)| w.to_string())
            .collect()
    };
    let (head, tail) = match message.find("expected") {
        Some(i) => (&message[..i], &message[i..]),
        None => (message, ""),
    };
    (words(head).into_iter().next(), words(tail))
}

/// A YAML scalar as text, when it is one.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
