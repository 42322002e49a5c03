//! A position index of a YAML document.
//!
//! serde_yaml decodes the schema but keeps no node positions and silently keeps the last of two
//! duplicate keys. This module parses the same text with yaml-rust2's marked event parser into a
//! small tree of positions, used to locate every semantic error and to find duplicate keys.

use crate::diag::{Code, Diagnostic, Loc};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A node of the position tree.
#[derive(Debug, Clone)]
pub struct Node {
    pub loc: Loc,
    pub kind: NodeKind,
    /// For a mapping of more than [`LINEAR`] entries, the positions of its entries sorted by key
    /// (equal keys in document order), built once, so that a lookup is a binary search instead
    /// of a scan: a schema's `tables:` mapping is looked up once per table. Empty otherwise.
    by_key: Box<[u32]>,
}

/// Mappings up to this many entries are searched linearly (faster than an index at that size).
const LINEAR: usize = 8;

#[derive(Debug, Clone)]
pub enum NodeKind {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    Alias,
}

/// A key and its value, in document order (duplicates kept).
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_loc: Loc,
    pub value: Node,
}

/// One step of a path into the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// The value under the first key of this name.
    Key(String),
    /// The element at this index of a sequence.
    Index(usize),
}

impl Node {
    /// The node at `path`, or the deepest node found on the way.
    pub fn locate(&self, path: &[Seg]) -> &Node {
        let mut node = self;
        for seg in path {
            match self_step(node, seg) {
                Some(next) => node = next,
                None => break,
            }
        }
        node
    }

    fn new(loc: Loc, kind: NodeKind) -> Node {
        let by_key = match &kind {
            NodeKind::Map(entries) if entries.len() > LINEAR => {
                let mut order: Vec<u32> = (0..entries.len() as u32).collect();
                // Stable: of two equal keys the first declared comes first.
                order.sort_by(|&a, &b| entries[a as usize].key.cmp(&entries[b as usize].key));
                order.into_boxed_slice()
            }
            _ => Box::default(),
        };
        Node { loc, kind, by_key }
    }

    /// The position of the first entry with key `key` in this mapping.
    fn position(&self, key: &str) -> Option<usize> {
        let entries = self.entries();
        if self.by_key.is_empty() {
            return entries.iter().position(|e| e.key == key);
        }
        let i = self
            .by_key
            .partition_point(|&p| entries[p as usize].key.as_str() < key);
        let &p = self.by_key.get(i)?;
        (entries[p as usize].key == key).then_some(p as usize)
    }

    /// The first entry with key `key` in this mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.position(key).map(|p| &self.entries()[p])
    }

    /// The location of the key `key` in this mapping (falling back to the node itself).
    pub fn key_loc(&self, key: &str) -> Loc {
        self.entry(key).map_or(self.loc, |e| e.key_loc)
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn index(&self, i: usize) -> Option<&Node> {
        match &self.kind {
            NodeKind::Seq(items) => items.get(i),
            _ => None,
        }
    }

    /// Every key that appears twice in one mapping, anywhere in the tree.
    pub fn duplicate_keys(&self, out: &mut Vec<Diagnostic>) {
        match &self.kind {
            NodeKind::Map(entries) => {
                for (i, e) in entries.iter().enumerate() {
                    if let Some(first) = self
                        .position(&e.key)
                        .filter(|&f| f < i)
                        .map(|f| &entries[f])
                    {
                        out.push(
                            Diagnostic::new(
                                Code::DuplicateKey,
                                e.key_loc,
                                format!("`{}` is declared twice in the same mapping", e.key),
                            )
                            .related(first.key_loc, "first declared here")
                            .help("YAML keeps only one of them; remove or rename one"),
                        );
                    }
                    e.value.duplicate_keys(out);
                }
            }
            NodeKind::Seq(items) => items.iter().for_each(|n| n.duplicate_keys(out)),
            NodeKind::Scalar(_) | NodeKind::Alias => {}
        }
    }
}

fn self_step<'a>(node: &'a Node, seg: &Seg) -> Option<&'a Node> {
    match seg {
        Seg::Key(k) => node.get(k),
        Seg::Index(i) => node.index(*i),
    }
}

/// Parses `text` (file number `file`) into a position tree. An empty document is an empty map.
pub fn parse(text: &str, file: u32) -> Result<Node, Diagnostic> {
    let lines = LineIndex::new(text);
    let mut builder = Builder {
        stack: Vec::new(),
        root: None,
        lines: &lines,
        file,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        let loc = lines.loc(file, e.marker());
        return Err(Diagnostic::new(
            Code::Syntax,
            loc,
            format!("YAML syntax error: {}", e.info()),
        )
        .help("fix the YAML syntax at this place (indentation, quotes, `:` and `-`)"));
    }
    Ok(builder.root.unwrap_or_else(|| {
        Node::new(
            Loc {
                file,
                line: 1,
                col: 1,
                offset: 0,
            },
            NodeKind::Map(Vec::new()),
        )
    }))
}

/// Maps yaml-rust2's markers (character based) to byte offsets and 1-based columns.
struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    fn loc(&self, file: u32, m: &Marker) -> Loc {
        let line = m.line().max(1);
        let start = self
            .starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let rest = &self.text[start..];
        // yaml-rust2 counts columns in characters from 0.
        let offset = start
            + rest
                .char_indices()
                .nth(m.col())
                .map_or(rest.len(), |(i, _)| i);
        Loc {
            file,
            line: line as u32,
            col: m.col() as u32 + 1,
            offset: offset as u32,
        }
    }
}

enum Frame {
    Seq(Loc, Vec<Node>),
    Map(Loc, Vec<Entry>, Option<(String, Loc)>),
}

struct Builder<'a, 'b> {
    stack: Vec<Frame>,
    root: Option<Node>,
    lines: &'b LineIndex<'a>,
    file: u32,
}

impl Builder<'_, '_> {
    fn push_node(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => {
                    let key = match node.kind {
                        NodeKind::Scalar(s) => s,
                        _ => String::from("<complex key>"),
                    };
                    *pending = Some((key, node.loc));
                }
                Some((key, key_loc)) => entries.push(Entry {
                    key,
                    key_loc,
                    value: node,
                }),
            },
        }
    }
}

impl MarkedEventReceiver for Builder<'_, '_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let loc = self.lines.loc(self.file, &mark);
        match ev {
            Event::Scalar(value, ..) => self.push_node(Node::new(loc, NodeKind::Scalar(value))),
            Event::Alias(_) => self.push_node(Node::new(loc, NodeKind::Alias)),
            Event::SequenceStart(..) => self.stack.push(Frame::Seq(loc, Vec::new())),
            Event::MappingStart(..) => self.stack.push(Frame::Map(loc, Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq(loc, items)) => Node::new(loc, NodeKind::Seq(items)),
                    // A block mapping's start mark is not where a reader looks: use its first key.
                    Some(Frame::Map(loc, entries, _)) => Node::new(
                        entries.first().map_or(loc, |e| e.key_loc),
                        NodeKind::Map(entries),
                    ),
                    None => return,
                };
                self.push_node(node);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_duplicates() {
        let text = "tables:\n  t:\n    columns:\n      é: text\n      b: int\n      b: int\n";
        let root = parse(text, 0).unwrap();
        let cols = root.locate(&[
            Seg::Key("tables".into()),
            Seg::Key("t".into()),
            Seg::Key("columns".into()),
        ]);
        let b = cols.key_loc("b");
        assert_eq!((b.line, b.col), (5, 7));
        assert_eq!(&text[b.offset as usize..b.offset as usize + 1], "b");
        let v = cols.get("é").unwrap();
        assert_eq!((v.loc.line, v.loc.col), (4, 10));
        assert_eq!(
            &text[v.loc.offset as usize..v.loc.offset as usize + 4],
            "text"
        );
        let mut d = Vec::new();
        root.duplicate_keys(&mut d);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].loc.line, 6);
    }

    #[test]
    fn large_mappings_are_indexed_like_a_scan() {
        // Unsorted keys, duplicates (the first one wins), and more than `LINEAR` entries.
        let keys: Vec<String> = (0..40).map(|i| format!("k{}", (i * 7) % 23)).collect();
        let text: String = keys
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k}: {i}\n"))
            .collect();
        let root = parse(&text, 0).unwrap();
        assert!(!root.by_key.is_empty());
        for k in &keys {
            let first = keys.iter().position(|x| x == k).unwrap();
            let e = root.entry(k).unwrap();
            assert_eq!(e.key_loc.line as usize, first + 1, "{k}");
            assert!(
                matches!(&root.get(k).unwrap().kind, NodeKind::Scalar(v) if *v == first.to_string())
            );
        }
        for missing in ["", "k", "k23", "k99", "zz"] {
            assert!(root.get(missing).is_none());
            assert_eq!(root.key_loc(missing), root.loc);
        }
        let mut d = Vec::new();
        root.duplicate_keys(&mut d);
        assert_eq!(d.len(), 40 - 23);
        for diag in &d {
            let line = diag.loc.line as usize;
            let k = &keys[line - 1];
            let first = keys.iter().position(|x| x == k).unwrap();
            assert!(first + 1 < line);
        }
    }
}
