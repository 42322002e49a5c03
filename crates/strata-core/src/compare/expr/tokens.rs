//! Tokens: the expression's text split the way PostgreSQL's scanner splits it (words folded to
//! lower case, quoted identifiers, string and dollar constants, numbers, operators).

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// An unquoted word (identifier or keyword), folded to lower case.
    Word(String),
    /// A double-quoted identifier's value.
    Quoted(String),
    /// A string constant's value.
    Str(String),
    Num(String),
    Op(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Cast,
    Dot,
}

pub(super) const OP_CHARS: &str = "+-*/<>=~!@#%^&|`?";

pub(super) fn tokenize(sql: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-')
            || c == '/' && chars.get(i + 1) == Some(&'*')
        {
            return None; // comments are not part of a schema expression
        } else if (c == 'E' || c == 'e') && chars.get(i + 1) == Some(&'\'') {
            let (s, next) = string_constant(&chars, i + 1, true)?;
            out.push(Tok::Str(s));
            i = next;
        } else if c == '\'' {
            let (s, next) = string_constant(&chars, i, false)?;
            out.push(Tok::Str(s));
            i = next;
        } else if c == '$' {
            let (s, next) = dollar_constant(&chars, i)?;
            out.push(Tok::Str(s));
            i = next;
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return None,
                    Some('"') if chars.get(i + 1) == Some(&'"') => {
                        s.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Quoted(s));
        } else if c.is_ascii_digit()
            || c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i < chars.len() && chars[i] == '.' && chars.get(i + 1) != Some(&'.') {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            out.push(Tok::Num(chars[start..i].iter().collect()));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(Tok::Word(word.to_lowercase()));
        } else if c == ':' {
            if chars.get(i + 1) == Some(&':') {
                out.push(Tok::Cast);
                i += 2;
            } else {
                return None;
            }
        } else if OP_CHARS.contains(c) {
            let start = i;
            while i < chars.len() && OP_CHARS.contains(chars[i]) {
                if chars[i] == '-' && chars.get(i + 1) == Some(&'-') && i > start {
                    break;
                }
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') && i > start {
                    break;
                }
                i += 1;
            }
            let mut op: String = chars[start..i].iter().collect();
            // PostgreSQL's rule: a multi-character operator ends in + or - only if it holds one
            // of ~ ! @ # % ^ & | ` ?, so `a<-1` is `a < -1`.
            while op.chars().count() > 1
                && (op.ends_with('+') || op.ends_with('-'))
                && !op.chars().any(|ch| "~!@#%^&|`?".contains(ch))
            {
                op.pop();
                i -= 1;
            }
            out.push(Tok::Op(op));
        } else {
            match c {
                '(' => out.push(Tok::LParen),
                ')' => out.push(Tok::RParen),
                '[' => out.push(Tok::LBracket),
                ']' => out.push(Tok::RBracket),
                ',' => out.push(Tok::Comma),
                '.' => out.push(Tok::Dot),
                _ => return None,
            }
            i += 1;
        }
    }
    Some(out)
}

/// A `'…'` constant starting at `start` (the quote); `escapes` for `E'…'`. Adjacent constants
/// separated by a line break are one constant, as in SQL.
pub(super) fn string_constant(
    chars: &[char],
    start: usize,
    escapes: bool,
) -> Option<(String, usize)> {
    let mut s = String::new();
    let mut i = start + 1;
    loop {
        let c = *chars.get(i)?;
        if c == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                s.push('\'');
                i += 2;
                continue;
            }
            i += 1;
            // Continuation: whitespace holding a newline, then another quote.
            let mut j = i;
            let mut newline = false;
            while j < chars.len() && chars[j].is_whitespace() {
                newline |= chars[j] == '\n';
                j += 1;
            }
            if newline && chars.get(j) == Some(&'\'') {
                i = j + 1;
                continue;
            }
            return Some((s, i));
        }
        if escapes && c == '\\' {
            let n = *chars.get(i + 1)?;
            i += 2;
            match n {
                'n' => s.push('\n'),
                't' => s.push('\t'),
                'r' => s.push('\r'),
                'b' => s.push('\u{8}'),
                'f' => s.push('\u{c}'),
                'x' => {
                    let mut code = 0u32;
                    let mut k = 0;
                    while k < 2 && chars.get(i).is_some_and(char::is_ascii_hexdigit) {
                        code = code * 16 + chars[i].to_digit(16)?;
                        i += 1;
                        k += 1;
                    }
                    s.push(char::from_u32(code)?);
                }
                'u' | 'U' => {
                    let len = if n == 'u' { 4 } else { 8 };
                    let hex: String = chars.get(i..i + len)?.iter().collect();
                    s.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    i += len;
                }
                d if d.is_digit(8) => {
                    let mut code = d.to_digit(8)?;
                    let mut k = 1;
                    while k < 3 && chars.get(i).is_some_and(|c| c.is_digit(8)) {
                        code = code * 8 + chars[i].to_digit(8)?;
                        i += 1;
                        k += 1;
                    }
                    s.push(char::from_u32(code)?);
                }
                other => s.push(other),
            }
            continue;
        }
        s.push(c);
        i += 1;
    }
}

pub(super) fn dollar_constant(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut i = start + 1;
    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
        i += 1;
    }
    if chars.get(i) != Some(&'$') {
        return None;
    }
    let tag: Vec<char> = chars[start..=i].to_vec();
    let body_start = i + 1;
    let mut j = body_start;
    while j + tag.len() <= chars.len() {
        if chars[j..j + tag.len()] == tag[..] {
            return Some((chars[body_start..j].iter().collect(), j + tag.len()));
        }
        j += 1;
    }
    None
}
