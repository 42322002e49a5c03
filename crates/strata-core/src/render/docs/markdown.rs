//! Writing Markdown that shows user text exactly as written, on GitHub and in the docs site.
//!
//! Names, types and SQL go into code spans ([`code`]); free text (descriptions) is escaped
//! ([`text`]) so that no character of it can start Markdown or HTML syntax, end a table cell or
//! open GitHub's `$…$` math. Both produce a single line, so either can sit in a table cell.

use std::collections::BTreeMap;

/// Free text as one line of inline Markdown that renders as the text itself: Markdown and HTML
/// syntax characters are backslash-escaped, `|` cannot end a table cell, line breaks become
/// `<br>`, and nothing at the start of the text can begin a block (a list, a heading, a quote,
/// an indented code block).
pub fn text(s: &str) -> String {
    let normalized = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalized.len() + 8);
    for (i, line) in normalized.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        let line = if i == 0 { line.trim_start() } else { line };
        out.push_str(&escape_line(line, i == 0));
    }
    out.trim_end().to_string()
}

fn escape_line(line: &str, first: bool) -> String {
    let mut out = String::with_capacity(line.len());
    let leading_digits = line.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in line.chars().enumerate() {
        let at_start = first && i == 0;
        let ordered_list =
            first && leading_digits > 0 && i == leading_digits && (c == '.' || c == ')');
        match c {
            // Inline syntax anywhere: emphasis, code, links, HTML, entities, tables, strikethrough,
            // GitHub math.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // Block syntax at the start: list items, headings, setext underlines.
            '-' | '+' | '#' | '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            _ if ordered_list => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push(' '),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A code span that shows `s` literally on one line and can sit in a table cell: the fence is
/// longer than any run of backticks inside, `|` is escaped (GitHub splits table cells before it
/// reads code spans), and line breaks become spaces.
pub fn code(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    let longest = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let body = flat.replace('|', "\\|");
    // A space on each side keeps a leading or trailing backtick (or a space) from merging with
    // the fence; CommonMark strips exactly one space from each side.
    if flat.is_empty() {
        "` `".to_string()
    } else if flat.starts_with('`')
        || flat.ends_with('`')
        || flat.starts_with(' ')
        || flat.ends_with(' ')
    {
        format!("{fence} {body} {fence}")
    } else {
        format!("{fence}{body}{fence}")
    }
}

/// A Markdown table: the header row, the separator and one row per entry. Cells must already
/// be inline Markdown on one line ([`text`], [`code`]).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for row in rows {
        let cells: Vec<&str> = row
            .iter()
            .map(|c| if c.is_empty() { " " } else { c.as_str() })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// The anchor GitHub gives a heading with this text (github-slugger): lower case, spaces to
/// `-`, punctuation and symbols dropped (letters, digits, `-` and `_` of any script kept).
pub fn slug(heading_text: &str) -> String {
    heading_text
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a page's headings, made unique the way GitHub does (`name`, `name-1`, …).
#[derive(Debug, Default)]
pub struct Anchors {
    seen: BTreeMap<String, usize>,
}

impl Anchors {
    /// The anchor of the next heading with this text.
    pub fn next(&mut self, heading_text: &str) -> String {
        let base = slug(heading_text);
        let mut candidate = base.clone();
        while self.seen.contains_key(&candidate) {
            let n = self.seen.entry(base.clone()).or_insert(0);
            *n += 1;
            candidate = format!("{base}-{n}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

/// The plain text of a heading written in Markdown (code spans and escapes removed), which is
/// what GitHub slugs.
pub fn heading_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => {}
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_syntax() {
        assert_eq!(text("a | b"), "a \\| b");
        assert_eq!(text("line\nnext"), "line<br>next");
        assert_eq!(text("- not a list"), "\\- not a list");
        assert_eq!(text("1. not a list"), "1\\. not a list");
        assert_eq!(text("<b>&amp;</b> $x$"), "\\<b\\>\\&amp;\\</b\\> \\$x\\$");
        assert_eq!(text("plain (text), 'quoted'."), "plain (text), 'quoted'.");
    }

    #[test]
    fn code_spans_hold_backticks_and_pipes() {
        assert_eq!(code("id"), "`id`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a || b"), "`a \\|\\| b`");
    }

    #[test]
    fn anchors_are_unique_like_github() {
        let mut a = Anchors::default();
        assert_eq!(a.next("Tables"), "tables");
        assert_eq!(a.next("tables"), "tables-1");
        assert_eq!(a.next("User Accounts"), "user-accounts");
        assert_eq!(a.next("it's \"q\""), "its-q");
    }
}
