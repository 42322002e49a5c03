//! SQL expressions (defaults, checks, index keys and predicates) in comparable and readable
//! forms, without a database.
//!
//! A schema holds expressions as a person wrote them (`price >= 0`, `sender IN ('user', 'bot')`)
//! while PostgreSQL gives them back in its canonical form (`(price >= (0)::numeric)`,
//! `(sender = ANY (ARRAY['user'::text, 'bot'::text]))`). Both are parsed here into one small
//! syntax tree and printed again:
//!
//! - [`normalize`] prints the form two expressions are compared in: parentheses only where
//!   precedence needs them, identifiers and keywords folded as PostgreSQL folds them, the casts
//!   the server adds by itself removed (casts of constants, casts to text-like types), and the
//!   sugar the server expands expanded the same way (`IN (…)` → `= ANY (ARRAY[…])`,
//!   `BETWEEN` → two comparisons, `LIKE` → `~~`, `!=` → `<>`). Two expressions that differ only
//!   in a removed cast compare equal: a change of drift that small is not worth a false alarm.
//! - [`tidy`] prints what a person would write for the server's text, changing nothing the
//!   server would read differently: redundant parentheses and the casts of string constants to
//!   `text` or of numbers to numeric types go, and the server's expansions are folded back
//!   (`= ANY (ARRAY[…])` → `IN (…)`, `x >= a AND x <= b` → `x BETWEEN a AND b`, `~~` → `LIKE`).
//! - [`literal_default`] recognises a default that is a constant (`'USD'::character varying`,
//!   `'{}'::jsonb`, `'{a,b}'::text[]`, `ARRAY['a'::text]`, `'-1'::integer`, `true`) as the
//!   model's [`Literal`] for the column's type.
//!
//! The grammar covers what schemas use: constants, identifiers, function calls, operators of
//! every precedence level, `IS [NOT] …`, `[NOT] IN`, `[NOT] BETWEEN`, `[NOT] LIKE`/`ILIKE`,
//! `ANY`/`ALL`, `ARRAY[…]`, `CASE`, subscripts, `::` and `CAST(… AS …)`. Anything else falls back
//! to a token-level form (case and spacing folded), which still compares equal texts as equal.

use crate::model::{BaseType, ColumnType, Literal};
use crate::render::sql::ident;
use crate::render::sql::literal as sql_literal;

/// The comparable form of an SQL expression (see the module documentation).
///
/// ```
/// use strata::compare::expr::normalize;
/// assert_eq!(normalize("price >= 0"), normalize("(price >= (0)::numeric)"));
/// assert_eq!(
///     normalize("sender IN ('user', 'bot')"),
///     normalize("((sender)::text = ANY ((ARRAY['user'::character varying, 'bot'::character varying])::text[]))"),
/// );
/// assert_ne!(normalize("a > 0"), normalize("a >= 0"));
/// ```
pub fn normalize(sql: &str) -> String {
    match parse(sql) {
        Some(e) => print(&rewrite(e, Mode::Normalize), 0),
        None => fallback_tokens(sql),
    }
}

/// The readable form of an expression as PostgreSQL prints it (see the module documentation).
///
/// ```
/// use strata::compare::expr::tidy;
/// assert_eq!(tidy("(price >= (0)::numeric)"), "price >= 0");
/// assert_eq!(tidy("((context -> 'vars'::text) ->> 'taskId'::text)"), "context -> 'vars' ->> 'taskId'");
/// assert_eq!(tidy("(sender = ANY (ARRAY['user'::text, 'bot'::text]))"), "sender IN ('user', 'bot')");
/// ```
pub fn tidy(sql: &str) -> String {
    match parse(sql) {
        Some(e) => print(&rewrite(e, Mode::Tidy), 0),
        None => strip_outer_parens(sql.trim()).to_string(),
    }
}

pub use crate::model::expr_words as words;

/// The literal a default expression stands for, when it is a constant of the column's type:
/// `None` for anything computed (`now()`, `gen_random_uuid()`, `'a' || b`).
///
/// ```
/// use strata::compare::expr::literal_default;
/// use strata::model::{BaseType, ColumnType, Literal};
/// let text_array = ColumnType { base: BaseType::Text, array: true };
/// assert_eq!(
///     literal_default("'{a,\"b c\"}'::text[]", &text_array),
///     Some(Literal::Json(serde_json::json!(["a", "b c"]))),
/// );
/// let int = ColumnType { base: BaseType::Integer, array: false };
/// assert_eq!(literal_default("'-1'::integer", &int), Some(Literal::Integer(-1)));
/// assert_eq!(literal_default("now()", &int), None);
/// ```
pub fn literal_default(sql: &str, ty: &ColumnType) -> Option<Literal> {
    let e = parse(sql)?;
    constant_literal(&e, ty)
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
enum Tok {
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

const OP_CHARS: &str = "+-*/<>=~!@#%^&|`?";

fn tokenize(sql: &str) -> Option<Vec<Tok>> {
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
fn string_constant(chars: &[char], start: usize, escapes: bool) -> Option<(String, usize)> {
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

fn dollar_constant(chars: &[char], start: usize) -> Option<(String, usize)> {
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

// ---------------------------------------------------------------------------------------------
// Syntax tree

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    /// A possibly qualified name; each part is the identifier's value.
    Name(Vec<String>),
    Str(String),
    /// A number as written; negative numbers only come from folding a unary minus.
    Num(String),
    /// `true`, `false`, `null`, `current_timestamp`, … (lower case).
    Keyword(String),
    Func {
        name: Vec<String>,
        args: Vec<Expr>,
        distinct: bool,
        star: bool,
    },
    Cast(Box<Expr>, String),
    Unary(String, Box<Expr>),
    Binary(Box<Expr>, String, Box<Expr>),
    /// `x IS NULL`, `x IS NOT TRUE`, …: the text after `x`.
    Is(Box<Expr>, String),
    IsDistinct(Box<Expr>, bool, Box<Expr>),
    Not(Box<Expr>),
    In(Box<Expr>, bool, Vec<Expr>),
    Between(Box<Expr>, bool, Box<Expr>, Box<Expr>),
    /// `x op ANY (y)` / `x op ALL (y)`.
    Quantified(Box<Expr>, String, String, Box<Expr>),
    Array(Vec<Expr>),
    Case {
        operand: Option<Box<Expr>>,
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
    Subscript(Box<Expr>, Vec<Expr>),
    /// `(a, b)`.
    Row(Vec<Expr>),
}

const P_OR: u8 = 1;
const P_AND: u8 = 2;
const P_NOT: u8 = 3;
const P_IS: u8 = 4;
const P_CMP: u8 = 5;
const P_LIKE: u8 = 6;
const P_OTHER: u8 = 7;
const P_ADD: u8 = 8;
const P_MUL: u8 = 9;
const P_EXP: u8 = 10;
const P_UNARY: u8 = 11;
const P_SUBSCRIPT: u8 = 14;
const P_CAST: u8 = 15;
const P_ATOM: u8 = 100;

fn binary_precedence(op: &str) -> u8 {
    match op {
        "or" => P_OR,
        "and" => P_AND,
        "=" | "<>" | "!=" | "<" | ">" | "<=" | ">=" => P_CMP,
        "like" | "ilike" | "not like" | "not ilike" | "similar to" | "not similar to" => P_LIKE,
        "+" | "-" => P_ADD,
        "*" | "/" | "%" => P_MUL,
        "^" => P_EXP,
        _ => P_OTHER,
    }
}

fn parse(sql: &str) -> Option<Expr> {
    let tokens = tokenize(sql)?;
    let mut p = Parser { tokens, pos: 0 };
    let e = p.expr(0)?;
    (p.pos == p.tokens.len()).then_some(e)
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.tokens.get(self.pos + n)
    }

    fn word_at(&self, n: usize) -> Option<&str> {
        match self.peek_at(n) {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.word_at(0) == Some(w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, t: &Tok) -> Option<()> {
        self.eat(t).then_some(())
    }

    /// Pratt parsing: an operand, then every operator binding tighter than `min`.
    fn expr(&mut self, min: u8) -> Option<Expr> {
        let mut left = self.prefix()?;
        while let Some(tok) = self.peek().cloned() {
            match tok {
                Tok::Cast => {
                    if P_CAST <= min {
                        break;
                    }
                    self.pos += 1;
                    let ty = self.type_name()?;
                    left = Expr::Cast(Box::new(left), ty);
                }
                Tok::LBracket => {
                    if P_SUBSCRIPT <= min {
                        break;
                    }
                    self.pos += 1;
                    let parts = vec![self.expr(0)?];
                    self.expect(&Tok::RBracket)?;
                    left = Expr::Subscript(Box::new(left), parts);
                }
                Tok::Op(op) => {
                    let prec = binary_precedence(&op);
                    // Left-associative: an operator of the same level ends this operand.
                    if prec <= min {
                        break;
                    }
                    self.pos += 1;
                    if prec == P_CMP
                        && (self.word_at(0) == Some("any")
                            || self.word_at(0) == Some("all")
                            || self.word_at(0) == Some("some"))
                        && self.peek_at(1) == Some(&Tok::LParen)
                    {
                        let q = match self.next()? {
                            Tok::Word(w) if w == "some" => "any".to_string(),
                            Tok::Word(w) => w,
                            _ => return None,
                        };
                        self.expect(&Tok::LParen)?;
                        let inner = self.expr(0)?;
                        self.expect(&Tok::RParen)?;
                        left = Expr::Quantified(Box::new(left), op, q, Box::new(inner));
                        continue;
                    }
                    let right = self.expr(prec)?;
                    left = Expr::Binary(Box::new(left), op, Box::new(right));
                }
                Tok::Word(w) => {
                    let w = w.clone();
                    match w.as_str() {
                        "or" | "and" => {
                            let prec = binary_precedence(&w);
                            if prec <= min {
                                break;
                            }
                            self.pos += 1;
                            let right = self.expr(prec)?;
                            left = Expr::Binary(Box::new(left), w, Box::new(right));
                        }
                        "is" => {
                            if P_IS <= min {
                                break;
                            }
                            self.pos += 1;
                            let not = self.eat_word("not");
                            if self.eat_word("distinct") {
                                if !self.eat_word("from") {
                                    return None;
                                }
                                let right = self.expr(P_IS)?;
                                left = Expr::IsDistinct(Box::new(left), not, Box::new(right));
                            } else {
                                let what = match self.next()? {
                                    Tok::Word(x)
                                        if ["null", "true", "false", "unknown"]
                                            .contains(&x.as_str()) =>
                                    {
                                        x
                                    }
                                    _ => return None,
                                };
                                let text = if not {
                                    format!("is not {what}")
                                } else {
                                    format!("is {what}")
                                };
                                left = Expr::Is(Box::new(left), text);
                            }
                        }
                        "isnull" | "notnull" => {
                            if P_IS <= min {
                                break;
                            }
                            self.pos += 1;
                            let text = if w == "isnull" {
                                "is null"
                            } else {
                                "is not null"
                            };
                            left = Expr::Is(Box::new(left), text.into());
                        }
                        "not" | "in" | "between" | "like" | "ilike" | "similar" => {
                            if P_LIKE <= min {
                                break;
                            }
                            let not = self.eat_word("not");
                            let kw = self.word_at(0).map(str::to_string)?;
                            self.pos += 1;
                            match kw.as_str() {
                                "in" => {
                                    self.expect(&Tok::LParen)?;
                                    let items = self.list(&Tok::RParen)?;
                                    left = Expr::In(Box::new(left), not, items);
                                }
                                "between" => {
                                    if self.eat_word("symmetric") {
                                        return None;
                                    }
                                    let lo = self.expr(P_LIKE)?;
                                    if !self.eat_word("and") {
                                        return None;
                                    }
                                    let hi = self.expr(P_LIKE)?;
                                    left = Expr::Between(
                                        Box::new(left),
                                        not,
                                        Box::new(lo),
                                        Box::new(hi),
                                    );
                                }
                                "like" | "ilike" => {
                                    let right = self.expr(P_LIKE)?;
                                    if self.word_at(0) == Some("escape") {
                                        return None;
                                    }
                                    let op = if not { format!("not {kw}") } else { kw };
                                    left = Expr::Binary(Box::new(left), op, Box::new(right));
                                }
                                "similar" => {
                                    if !self.eat_word("to") {
                                        return None;
                                    }
                                    let right = self.expr(P_LIKE)?;
                                    let op = if not { "not similar to" } else { "similar to" };
                                    left = Expr::Binary(Box::new(left), op.into(), Box::new(right));
                                }
                                _ => return None,
                            }
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        Some(left)
    }

    fn list(&mut self, close: &Tok) -> Option<Vec<Expr>> {
        let mut items = Vec::new();
        if self.eat(close) {
            return Some(items);
        }
        loop {
            items.push(self.expr(0)?);
            if self.eat(close) {
                return Some(items);
            }
            self.expect(&Tok::Comma)?;
        }
    }

    fn prefix(&mut self) -> Option<Expr> {
        match self.next()? {
            Tok::Str(s) => Some(Expr::Str(s)),
            Tok::Num(n) => Some(Expr::Num(n)),
            Tok::Op(op) if op == "-" || op == "+" => {
                let operand = self.expr(P_UNARY)?;
                Some(Expr::Unary(op, Box::new(operand)))
            }
            Tok::Op(op) if op == "~" || op == "@" || op == "!!" => {
                let operand = self.expr(P_UNARY)?;
                Some(Expr::Unary(op, Box::new(operand)))
            }
            Tok::LParen => {
                let first = self.expr(0)?;
                if self.eat(&Tok::Comma) {
                    let mut items = vec![first];
                    items.extend(self.list(&Tok::RParen)?);
                    return Some(Expr::Row(items));
                }
                self.expect(&Tok::RParen)?;
                Some(first)
            }
            Tok::Quoted(q) => self.name_or_call(q),
            Tok::Word(w) => match w.as_str() {
                "not" => {
                    let operand = self.expr(P_NOT)?;
                    Some(Expr::Not(Box::new(operand)))
                }
                "true" | "false" | "null" | "current_date" | "current_time"
                | "current_timestamp" | "localtime" | "localtimestamp" | "current_user"
                | "session_user" | "current_role" | "current_catalog" | "current_schema"
                | "user"
                    if self.peek() != Some(&Tok::LParen) || w == "current_schema" =>
                {
                    if w == "current_schema" && self.eat(&Tok::LParen) {
                        self.expect(&Tok::RParen)?;
                    }
                    Some(Expr::Keyword(w))
                }
                "array" => {
                    self.expect(&Tok::LBracket)?;
                    let items = self.list(&Tok::RBracket)?;
                    Some(Expr::Array(items))
                }
                "cast" if self.peek() == Some(&Tok::LParen) => {
                    self.pos += 1;
                    let inner = self.expr(0)?;
                    if !self.eat_word("as") {
                        return None;
                    }
                    let ty = self.type_name()?;
                    self.expect(&Tok::RParen)?;
                    Some(Expr::Cast(Box::new(inner), ty))
                }
                "case" => self.case(),
                "interval" | "date" | "timestamp" | "timestamptz" | "time" | "timetz" | "uuid"
                | "jsonb" | "json" | "numeric" | "inet" | "bytea" | "boolean" | "text"
                    if matches!(self.peek(), Some(Tok::Str(_))) =>
                {
                    // `interval '1 day'`: a typed constant is a cast.
                    let Some(Tok::Str(s)) = self.next() else {
                        return None;
                    };
                    Some(Expr::Cast(Box::new(Expr::Str(s)), canonical_type(&w)))
                }
                "double"
                    if self.word_at(0) == Some("precision")
                        && matches!(self.peek_at(1), Some(Tok::Str(_))) =>
                {
                    self.pos += 1;
                    let Some(Tok::Str(s)) = self.next() else {
                        return None;
                    };
                    Some(Expr::Cast(
                        Box::new(Expr::Str(s)),
                        "double precision".into(),
                    ))
                }
                _ => self.name_or_call(w),
            },
            _ => None,
        }
    }

    fn case(&mut self) -> Option<Expr> {
        let operand = if self.word_at(0) == Some("when") {
            None
        } else {
            Some(Box::new(self.expr(0)?))
        };
        let mut whens = Vec::new();
        while self.eat_word("when") {
            let cond = self.expr(0)?;
            if !self.eat_word("then") {
                return None;
            }
            let result = self.expr(0)?;
            whens.push((cond, result));
        }
        let otherwise = if self.eat_word("else") {
            Some(Box::new(self.expr(0)?))
        } else {
            None
        };
        if !self.eat_word("end") || whens.is_empty() {
            return None;
        }
        Some(Expr::Case {
            operand,
            whens,
            otherwise,
        })
    }

    fn name_or_call(&mut self, first: String) -> Option<Expr> {
        let mut name = vec![first];
        while self.peek() == Some(&Tok::Dot) {
            self.pos += 1;
            match self.next()? {
                Tok::Word(w) | Tok::Quoted(w) => name.push(w),
                _ => return None,
            }
        }
        if !self.eat(&Tok::LParen) {
            return Some(Expr::Name(name));
        }
        if self.eat(&Tok::Op("*".into())) {
            self.expect(&Tok::RParen)?;
            return Some(Expr::Func {
                name,
                args: Vec::new(),
                distinct: false,
                star: true,
            });
        }
        let distinct = self.eat_word("distinct");
        let args = self.list(&Tok::RParen)?;
        Some(Expr::Func {
            name,
            args,
            distinct,
            star: false,
        })
    }

    /// A type name after `::` or `AS`, in its canonical spelling.
    fn type_name(&mut self) -> Option<String> {
        let mut words: Vec<String> = Vec::new();
        match self.next()? {
            Tok::Word(w) => words.push(w),
            Tok::Quoted(q) => words.push(ident(&q).into_owned()),
            _ => return None,
        }
        // Multi-word type names.
        loop {
            let joined = words.join(" ");
            let next = self.word_at(0).map(str::to_string);
            let continues = matches!(
                (joined.as_str(), next.as_deref()),
                ("double", Some("precision"))
                    | (
                        "character" | "char" | "bit" | "national character",
                        Some("varying")
                    )
                    | ("national", Some("character"))
                    | ("timestamp" | "time", Some("with" | "without"))
                    | (
                        "timestamp with" | "time with" | "timestamp without" | "time without",
                        Some("time")
                    )
                    | (
                        "timestamp with time"
                            | "time with time"
                            | "timestamp without time"
                            | "time without time",
                        Some("zone")
                    )
            );
            if !continues {
                break;
            }
            self.pos += 1;
            words.push(next.unwrap_or_default());
        }
        let mut name = words.join(" ");
        while self.peek() == Some(&Tok::Dot) {
            self.pos += 1;
            match self.next()? {
                Tok::Word(w) => name = format!("{name}.{w}"),
                Tok::Quoted(q) => name = format!("{name}.{}", ident(&q)),
                _ => return None,
            }
        }
        let mut ty = canonical_type(&name);
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            let mut params = Vec::new();
            loop {
                match self.next()? {
                    Tok::Num(n) => params.push(n),
                    _ => return None,
                }
                if self.eat(&Tok::RParen) {
                    break;
                }
                self.expect(&Tok::Comma)?;
            }
            ty = format!("{ty}({})", params.join(","));
        }
        while self.peek() == Some(&Tok::LBracket) && self.peek_at(1) == Some(&Tok::RBracket) {
            self.pos += 2;
            ty.push_str("[]");
        }
        Some(ty)
    }
}

/// One spelling per type, the one `format_type` prints.
fn canonical_type(name: &str) -> String {
    let name = name.strip_prefix("pg_catalog.").unwrap_or(name);
    match name {
        "int" | "int4" | "integer" => "integer",
        "int2" | "smallint" => "smallint",
        "int8" | "bigint" => "bigint",
        "float8" | "float" | "double precision" => "double precision",
        "float4" | "real" => "real",
        "bool" | "boolean" => "boolean",
        "varchar" | "character varying" | "char varying" => "character varying",
        "char" | "character" | "bpchar" => "character",
        "decimal" | "numeric" => "numeric",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "time" | "time without time zone" => "time without time zone",
        "timetz" | "time with time zone" => "time with time zone",
        other => other,
    }
    .to_string()
}

fn is_text_type(ty: &str) -> bool {
    let base = ty.trim_end_matches("[]");
    let base = base.split('(').next().unwrap_or(base);
    matches!(base, "text" | "character varying" | "character" | "name")
}

/// `text` or `character varying[(n)]`: a string constant needs no cast to them.
fn is_plain_text_type(ty: &str) -> bool {
    ty == "text" || ty.split('(').next() == Some("character varying")
}

fn is_number_type(ty: &str) -> bool {
    let base = ty.split('(').next().unwrap_or(ty);
    matches!(
        base,
        "integer" | "smallint" | "bigint" | "numeric" | "double precision" | "real"
    )
}

// ---------------------------------------------------------------------------------------------
// Rewriting

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normalize,
    Tidy,
}

fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::Str(_) | Expr::Num(_) => true,
        Expr::Keyword(k) => matches!(k.as_str(), "true" | "false" | "null"),
        Expr::Array(items) => items.iter().all(is_constant),
        Expr::Cast(inner, _) => is_constant(inner),
        _ => false,
    }
}

fn is_plain_number(s: &str) -> bool {
    crate::render::sql::is_plain_number(s)
}

fn rewrite(e: Expr, mode: Mode) -> Expr {
    let r = |x: Box<Expr>| Box::new(rewrite(*x, mode));
    match e {
        Expr::Cast(inner, ty) => {
            let inner = rewrite(*inner, mode);
            match (&inner, mode) {
                // `'-1'::integer` is how the server prints a negative constant.
                (Expr::Str(s), _) if is_number_type(&ty) && is_plain_number(s) => {
                    Expr::Num(s.clone())
                }
                (Expr::Num(_), _) if is_number_type(&ty) => inner,
                (_, Mode::Normalize) if is_constant(&inner) || is_text_type(&ty) => inner,
                (Expr::Str(_), Mode::Tidy) if is_plain_text_type(&ty) || ty == "regconfig" => inner,
                _ => Expr::Cast(Box::new(inner), ty),
            }
        }
        Expr::Unary(op, x) => {
            let x = rewrite(*x, mode);
            match (&x, op.as_str()) {
                (Expr::Num(n), "-") if !n.starts_with('-') => Expr::Num(format!("-{n}")),
                (Expr::Num(_), "+") => x,
                _ => Expr::Unary(op, Box::new(x)),
            }
        }
        Expr::Binary(a, op, b) => {
            let (a, b) = (r(a), r(b));
            let op = match (mode, op.as_str()) {
                (_, "!=") => "<>".to_string(),
                (Mode::Normalize, "like") => "~~".into(),
                (Mode::Normalize, "ilike") => "~~*".into(),
                (Mode::Normalize, "not like") => "!~~".into(),
                (Mode::Normalize, "not ilike") => "!~~*".into(),
                (Mode::Tidy, "~~") => "like".into(),
                (Mode::Tidy, "~~*") => "ilike".into(),
                (Mode::Tidy, "!~~") => "not like".into(),
                (Mode::Tidy, "!~~*") => "not ilike".into(),
                _ => op,
            };
            if mode == Mode::Tidy && op == "and" {
                // `x >= a AND x <= b` is how the server keeps `x BETWEEN a AND b`.
                if let (Expr::Binary(x1, o1, lo), Expr::Binary(x2, o2, hi)) =
                    (a.as_ref(), b.as_ref())
                    && o1 == ">="
                    && o2 == "<="
                    && x1 == x2
                    && is_between_bound(lo)
                    && is_between_bound(hi)
                {
                    return Expr::Between(x1.clone(), false, lo.clone(), hi.clone());
                }
            }
            if mode == Mode::Tidy
                && op == "or"
                && let (Expr::Binary(x1, o1, lo), Expr::Binary(x2, o2, hi)) =
                    (a.as_ref(), b.as_ref())
                && o1 == "<"
                && o2 == ">"
                && x1 == x2
                && is_between_bound(lo)
                && is_between_bound(hi)
            {
                return Expr::Between(x1.clone(), true, lo.clone(), hi.clone());
            }
            Expr::Binary(a, op, b)
        }
        Expr::In(x, not, items) => {
            let x = r(x);
            let items: Vec<Expr> = items.into_iter().map(|i| rewrite(i, mode)).collect();
            match mode {
                Mode::Normalize => {
                    let (op, q) = if not { ("<>", "all") } else { ("=", "any") };
                    Expr::Quantified(x, op.into(), q.into(), Box::new(Expr::Array(items)))
                }
                Mode::Tidy => Expr::In(x, not, items),
            }
        }
        Expr::Between(x, not, lo, hi) => {
            let (x, lo, hi) = (r(x), r(lo), r(hi));
            match (mode, not) {
                (Mode::Normalize, false) => Expr::Binary(
                    Box::new(Expr::Binary(x.clone(), ">=".into(), lo)),
                    "and".into(),
                    Box::new(Expr::Binary(x, "<=".into(), hi)),
                ),
                (Mode::Normalize, true) => Expr::Binary(
                    Box::new(Expr::Binary(x.clone(), "<".into(), lo)),
                    "or".into(),
                    Box::new(Expr::Binary(x, ">".into(), hi)),
                ),
                (Mode::Tidy, _) => Expr::Between(x, not, lo, hi),
            }
        }
        Expr::Quantified(x, op, q, inner) => {
            let x = r(x);
            let inner = rewrite(*inner, mode);
            let op = if op == "!=" { "<>".to_string() } else { op };
            // `x::text = ANY ((ARRAY['a'::character varying])::text[])` is how the server keeps
            // `x IN ('a')` for a varchar column.
            let (x, inner) = match (mode, *x, inner) {
                (Mode::Tidy, Expr::Cast(col, t), Expr::Cast(arr, at))
                    if t == "text"
                        && matches!(*col, Expr::Name(_))
                        && at == "text[]"
                        && matches!(arr.as_ref(), Expr::Array(items) if items.iter().all(|i| matches!(i, Expr::Str(_)))) =>
                {
                    (col, *arr)
                }
                (_, x, inner) => (Box::new(x), inner),
            };
            if mode == Mode::Tidy
                && let Expr::Array(items) = &inner
            {
                match (op.as_str(), q.as_str()) {
                    ("=", "any") => return Expr::In(x, false, items.clone()),
                    ("<>", "all") => return Expr::In(x, true, items.clone()),
                    _ => {}
                }
            }
            Expr::Quantified(x, op, q, Box::new(inner))
        }
        Expr::Func {
            mut name,
            args,
            distinct,
            star,
        } => {
            if name.len() == 2 && name[0] == "pg_catalog" {
                name.remove(0);
            }
            Expr::Func {
                name,
                args: args.into_iter().map(|a| rewrite(a, mode)).collect(),
                distinct,
                star,
            }
        }
        Expr::Is(x, t) => Expr::Is(r(x), t),
        Expr::IsDistinct(a, not, b) => Expr::IsDistinct(r(a), not, r(b)),
        Expr::Not(x) => Expr::Not(r(x)),
        Expr::Array(items) => Expr::Array(items.into_iter().map(|i| rewrite(i, mode)).collect()),
        Expr::Case {
            operand,
            whens,
            otherwise,
        } => Expr::Case {
            operand: operand.map(r),
            whens: whens
                .into_iter()
                .map(|(c, v)| (rewrite(c, mode), rewrite(v, mode)))
                .collect(),
            otherwise: otherwise.map(r),
        },
        Expr::Subscript(x, parts) => {
            Expr::Subscript(r(x), parts.into_iter().map(|p| rewrite(p, mode)).collect())
        }
        Expr::Row(items) => Expr::Row(items.into_iter().map(|i| rewrite(i, mode)).collect()),
        other @ (Expr::Name(_) | Expr::Str(_) | Expr::Num(_) | Expr::Keyword(_)) => other,
    }
}

/// Whether a bound prints without parentheses inside `BETWEEN … AND …` (anything looser than
/// an arithmetic operator would read differently there).
fn is_between_bound(e: &Expr) -> bool {
    precedence(e) > P_LIKE
}

// ---------------------------------------------------------------------------------------------
// Printing

fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Num(n) if n.starts_with('-') => P_UNARY,
        Expr::Name(_)
        | Expr::Str(_)
        | Expr::Num(_)
        | Expr::Keyword(_)
        | Expr::Func { .. }
        | Expr::Array(_)
        | Expr::Case { .. }
        | Expr::Row(_) => P_ATOM,
        Expr::Cast(..) => P_CAST,
        Expr::Subscript(..) => P_SUBSCRIPT,
        Expr::Unary(..) => P_UNARY,
        Expr::Binary(_, op, _) => binary_precedence(op),
        Expr::Is(..) | Expr::IsDistinct(..) => P_IS,
        Expr::Not(_) => P_NOT,
        Expr::In(..) | Expr::Between(..) => P_LIKE,
        Expr::Quantified(..) => P_CMP,
    }
}

/// Prints `e`, in parentheses when its precedence is below `min`.
fn print(e: &Expr, min: u8) -> String {
    let inner = print_bare(e);
    if precedence(e) < min {
        format!("({inner})")
    } else {
        inner
    }
}

fn name_text(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| ident(p).into_owned())
        .collect::<Vec<_>>()
        .join(".")
}

/// A function name: bare when it is a plain lower-case word, even a keyword (`coalesce(…)`,
/// `lower(…)`), since a call is never read as anything else.
fn function_name(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| {
            let plain = p.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if plain {
                p.clone()
            } else {
                ident(p).into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn list_text(items: &[Expr]) -> String {
    items
        .iter()
        .map(|i| print(i, 0))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_bare(e: &Expr) -> String {
    match e {
        Expr::Name(parts) => name_text(parts),
        Expr::Str(s) => sql_literal(s),
        Expr::Num(n) => n.clone(),
        Expr::Keyword(k) => k.clone(),
        Expr::Func {
            name,
            args,
            distinct,
            star,
        } => {
            let args = if *star {
                "*".to_string()
            } else {
                list_text(args)
            };
            format!(
                "{}({}{args})",
                function_name(name),
                if *distinct { "distinct " } else { "" }
            )
        }
        Expr::Cast(x, ty) => format!("{}::{ty}", print(x, P_CAST + 1)),
        Expr::Unary(op, x) => {
            let operand = print(x, P_UNARY);
            // `- -1` must not print as `--1`, which starts a comment.
            if operand.starts_with('-') || operand.starts_with('+') {
                format!("{op} {operand}")
            } else {
                format!("{op}{operand}")
            }
        }
        Expr::Binary(a, op, b) => {
            let p = binary_precedence(op);
            // Comparisons do not associate; everything else is left-associative.
            let left_min = if p == P_CMP || p == P_LIKE { p + 1 } else { p };
            let op_text = match op.as_str() {
                "and" | "or" | "like" | "ilike" | "not like" | "not ilike" | "similar to"
                | "not similar to" => op.to_uppercase(),
                other => other.to_string(),
            };
            format!("{} {op_text} {}", print(a, left_min), print(b, p + 1))
        }
        Expr::Is(x, t) => format!("{} {}", print(x, P_IS + 1), t.to_uppercase()),
        Expr::IsDistinct(a, not, b) => format!(
            "{} IS {}DISTINCT FROM {}",
            print(a, P_IS + 1),
            if *not { "NOT " } else { "" },
            print(b, P_IS + 1)
        ),
        Expr::Not(x) => format!("NOT {}", print(x, P_NOT)),
        Expr::In(x, not, items) => {
            format!(
                "{} {}IN ({})",
                print(x, P_LIKE + 1),
                if *not { "NOT " } else { "" },
                list_text(items)
            )
        }
        Expr::Between(x, not, lo, hi) => format!(
            "{} {}BETWEEN {} AND {}",
            print(x, P_LIKE + 1),
            if *not { "NOT " } else { "" },
            print(lo, P_LIKE + 1),
            print(hi, P_LIKE + 1)
        ),
        Expr::Quantified(x, op, q, inner) => {
            format!(
                "{} {op} {} ({})",
                print(x, P_CMP + 1),
                q.to_uppercase(),
                print(inner, 0)
            )
        }
        Expr::Array(items) => format!("ARRAY[{}]", list_text(items)),
        Expr::Case {
            operand,
            whens,
            otherwise,
        } => {
            let mut out = String::from("CASE");
            if let Some(o) = operand {
                out.push(' ');
                out.push_str(&print(o, 0));
            }
            for (c, v) in whens {
                out.push_str(&format!(" WHEN {} THEN {}", print(c, 0), print(v, 0)));
            }
            if let Some(o) = otherwise {
                out.push_str(&format!(" ELSE {}", print(o, 0)));
            }
            out.push_str(" END");
            out
        }
        Expr::Subscript(x, parts) => {
            let parts: Vec<String> = parts.iter().map(|p| print(p, 0)).collect();
            // Only a column reference takes a subscript bare: `tags[1]`, but `(f(x))[1]`.
            let base = match x.as_ref() {
                Expr::Name(_) => print_bare(x),
                other => format!("({})", print_bare(other)),
            };
            format!("{base}[{}]", parts.join(":"))
        }
        Expr::Row(items) => format!("({})", list_text(items)),
    }
}

/// The token-level form of an expression the parser does not cover.
fn fallback_tokens(sql: &str) -> String {
    match tokenize(sql) {
        Some(tokens) => tokens
            .iter()
            .map(|t| match t {
                Tok::Word(w) => w.clone(),
                Tok::Quoted(q) => ident(q).into_owned(),
                Tok::Str(s) => sql_literal(s),
                Tok::Num(n) | Tok::Op(n) => n.clone(),
                Tok::LParen => "(".into(),
                Tok::RParen => ")".into(),
                Tok::LBracket => "[".into(),
                Tok::RBracket => "]".into(),
                Tok::Comma => ",".into(),
                Tok::Cast => "::".into(),
                Tok::Dot => ".".into(),
            })
            .collect::<Vec<_>>()
            .join(" "),
        None => sql.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// `s` without one pair of parentheses around all of it.
fn strip_outer_parens(s: &str) -> &str {
    if s.starts_with('(') && s.ends_with(')') {
        let inner = &s[1..s.len() - 1];
        // `(a) || (b)` starts and ends with parentheses that are not one pair.
        if parse_balanced(inner) {
            return inner.trim();
        }
    }
    s
}

fn parse_balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

// ---------------------------------------------------------------------------------------------
// Literal defaults

fn constant_literal(e: &Expr, ty: &ColumnType) -> Option<Literal> {
    match e {
        Expr::Cast(inner, _) => constant_literal(inner, ty),
        Expr::Unary(op, inner) if op == "-" => match inner.as_ref() {
            Expr::Num(n) if !n.starts_with('-') => number_literal(&format!("-{n}"), ty),
            Expr::Cast(x, _) => constant_literal(&Expr::Unary(op.clone(), x.clone()), ty),
            _ => None,
        },
        Expr::Num(n) => number_literal(n, ty),
        Expr::Keyword(k) if k == "true" || k == "false" => {
            (ty.base == BaseType::Boolean && !ty.array).then(|| Literal::Bool(k == "true"))
        }
        Expr::Str(s) => string_literal(s, ty),
        Expr::Array(items) if ty.array => {
            let elem = ColumnType {
                base: ty.base.clone(),
                array: false,
            };
            let mut out = Vec::new();
            for i in items {
                let lit = match i {
                    Expr::Keyword(k) if k == "null" => {
                        out.push(serde_json::Value::Null);
                        continue;
                    }
                    other => constant_literal(other, &elem)?,
                };
                out.push(literal_json(lit));
            }
            Some(Literal::Json(serde_json::Value::Array(out)))
        }
        _ => None,
    }
}

fn is_numeric_type(ty: &ColumnType) -> bool {
    !ty.array
        && matches!(
            ty.base,
            BaseType::SmallInt
                | BaseType::Integer
                | BaseType::BigInt
                | BaseType::Numeric(_)
                | BaseType::Real
                | BaseType::Double
        )
}

fn number_literal(n: &str, ty: &ColumnType) -> Option<Literal> {
    if !is_numeric_type(ty) {
        return None;
    }
    if let Ok(i) = n.parse::<i64>() {
        return Some(Literal::Integer(i));
    }
    Some(Literal::Number(n.to_string()))
}

fn string_literal(s: &str, ty: &ColumnType) -> Option<Literal> {
    if ty.array {
        let items = parse_array_text(s)?;
        let elem = ColumnType {
            base: ty.base.clone(),
            array: false,
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                None => out.push(serde_json::Value::Null),
                Some(text) => out.push(literal_json(string_literal(&text, &elem)?)),
            }
        }
        return Some(Literal::Json(serde_json::Value::Array(out)));
    }
    match &ty.base {
        BaseType::Json | BaseType::Jsonb => serde_json::from_str(s).ok().map(Literal::Json),
        BaseType::Boolean => match s.to_ascii_lowercase().as_str() {
            "t" | "true" | "yes" | "on" | "1" => Some(Literal::Bool(true)),
            "f" | "false" | "no" | "off" | "0" => Some(Literal::Bool(false)),
            _ => None,
        },
        _ if is_numeric_type(ty) => {
            if is_plain_number(s) {
                number_literal(s, ty)
            } else if s.parse::<f64>().is_ok() {
                Some(Literal::Number(s.to_string()))
            } else {
                None
            }
        }
        _ => Some(Literal::String(s.to_string())),
    }
}

/// The JSON form the loader gives an array element (see `literal_for` in the loader).
fn literal_json(l: Literal) -> serde_json::Value {
    match l {
        Literal::String(s) => serde_json::Value::String(s),
        Literal::Integer(i) => serde_json::Value::from(i),
        Literal::Number(n) => serde_json::from_str(&n).unwrap_or(serde_json::Value::String(n)),
        Literal::Bool(b) => serde_json::Value::Bool(b),
        Literal::Json(j) => j,
    }
}

/// PostgreSQL's text form of a one-dimensional array (`{a,"b c",NULL}`): its elements, `None`
/// for an unquoted NULL.
fn parse_array_text(s: &str) -> Option<Vec<Option<String>>> {
    let inner = s.trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut out = Vec::new();
    if inner.trim().is_empty() {
        return Some(out);
    }
    let chars: Vec<char> = inner.chars().collect();
    let mut i = 0;
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if chars.get(i) == Some(&'"') {
            i += 1;
            let mut item = String::new();
            loop {
                match chars.get(i)? {
                    '\\' => {
                        item.push(*chars.get(i + 1)?);
                        i += 2;
                    }
                    '"' => {
                        i += 1;
                        break;
                    }
                    c => {
                        item.push(*c);
                        i += 1;
                    }
                }
            }
            out.push(Some(item));
        } else {
            let start = i;
            while i < chars.len() && chars[i] != ',' {
                if chars[i] == '{' || chars[i] == '"' {
                    return None; // nested arrays are not a column default the model has
                }
                i += 1;
            }
            let item: String = chars[start..i]
                .iter()
                .collect::<String>()
                .trim()
                .to_string();
            if item.eq_ignore_ascii_case("null") {
                out.push(None);
            } else {
                out.push(Some(item));
            }
        }
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        match chars.get(i) {
            None => return Some(out),
            Some(',') => i += 1,
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn same(a: &str, b: &str) {
        assert_eq!(normalize(a), normalize(b), "{a}  vs  {b}");
    }

    #[test]
    fn server_forms_compare_equal_to_written_ones() {
        same("price_cents >= 0", "(price_cents >= 0)");
        same("price >= 0", "(price >= (0)::numeric)");
        same(
            "temperature BETWEEN 0 AND 2",
            "((temperature >= (0)::double precision) AND (temperature <= (2)::double precision))",
        );
        same(
            "sender IN ('user', 'bot')",
            "(sender = ANY (ARRAY['user'::text, 'bot'::text]))",
        );
        same(
            "sender IN ('user', 'bot')",
            "((sender)::text = ANY ((ARRAY['user'::character varying, 'bot'::character varying])::text[]))",
        );
        same(
            "(context->'vars'->>'taskId')",
            "((context -> 'vars'::text) ->> 'taskId'::text)",
        );
        same(
            "to_tsvector('english', content)",
            "to_tsvector('english'::regconfig, content)",
        );
        same(
            "'asst_' || gen_random_uuid()",
            "('asst_'::text || gen_random_uuid())",
        );
        same("email LIKE '%@%'", "((email)::text ~~ '%@%'::text)");
        same("a != b", "(a <> b)");
        same("x > -1", "(x > '-1'::integer)");
        same("is_deleted = false", "(is_deleted = false)");
        same("Lower(Email)", "lower(email)");
        same("a IS NOT NULL AND b > 0", "((a IS NOT NULL) AND (b > 0))");
        same("\"userId\" <> ''", "(\"userId\" <> ''::text)");
        same("CAST(x AS int)", "(x)::integer");
    }

    #[test]
    fn real_differences_stay_different() {
        assert_ne!(normalize("a > 0"), normalize("a >= 0"));
        assert_ne!(normalize("a + b * c"), normalize("(a + b) * c"));
        assert_ne!(normalize("a AND b OR c"), normalize("a AND (b OR c)"));
        assert_ne!(normalize("\"userId\" > 0"), normalize("userid > 0"));
        assert_ne!(normalize("'a'"), normalize("'b'"));
    }

    #[test]
    fn tidy_reads_like_a_person_wrote_it() {
        assert_eq!(tidy("(price_cents >= 0)"), "price_cents >= 0");
        assert_eq!(
            tidy(
                "((temperature >= (0)::double precision) AND (temperature <= (2)::double precision))"
            ),
            "temperature BETWEEN 0 AND 2"
        );
        assert_eq!(
            tidy("('asst_'::text || gen_random_uuid())"),
            "'asst_' || gen_random_uuid()"
        );
        assert_eq!(
            tidy("to_tsvector('english'::regconfig, content)"),
            "to_tsvector('english', content)"
        );
        assert_eq!(
            tidy("((email)::text ~~ '%@%'::text)"),
            "email::text LIKE '%@%'"
        );
        assert_eq!(tidy("(x > '-1'::integer)"), "x > -1");
        assert_eq!(tidy("((a + b) * c)"), "(a + b) * c");
        assert_eq!(tidy("(a - (b - c))"), "a - (b - c)");
        assert_eq!(tidy("((a - b) - c)"), "a - b - c");
        assert_eq!(tidy("(NOT (a AND b))"), "NOT (a AND b)");
        assert_eq!(
            tidy("(status <> ALL (ARRAY['x'::text]))"),
            "status NOT IN ('x')"
        );
        assert_eq!(
            tidy("CASE WHEN (a > 0) THEN 'x'::text ELSE 'y'::text END"),
            "CASE WHEN a > 0 THEN 'x' ELSE 'y' END"
        );
        assert_eq!(tidy("(tags)[1]"), "tags[1]");
        assert_eq!(tidy("COALESCE(a, b)"), "coalesce(a, b)");
        assert_eq!(
            tidy(
                "((sender)::text = ANY ((ARRAY['user'::character varying, 'bot'::character varying])::text[]))"
            ),
            "sender IN ('user', 'bot')"
        );
        assert_eq!(tidy("weird $$ thing"), "weird $$ thing");
    }

    #[test]
    fn tidy_is_a_fixed_point_of_itself() {
        for s in [
            "(a - (b - c))",
            "((temperature >= (0)::double precision) AND (temperature <= (2)::double precision))",
            "((context -> 'vars'::text) ->> 'taskId'::text)",
            "(- (- x))",
        ] {
            let once = tidy(s);
            assert_eq!(tidy(&once), once, "{s}");
            assert_eq!(normalize(&once), normalize(s), "{s}");
        }
    }

    #[test]
    fn literal_defaults() {
        let t = |base, array| ColumnType { base, array };
        assert_eq!(
            literal_default("'x'::text", &t(BaseType::Text, false)),
            Some(Literal::String("x".into()))
        );
        assert_eq!(
            literal_default(
                "'USD'::character varying",
                &t(BaseType::Varchar(Some(3)), false)
            ),
            Some(Literal::String("USD".into()))
        );
        assert_eq!(
            literal_default("0", &t(BaseType::Integer, false)),
            Some(Literal::Integer(0))
        );
        assert_eq!(
            literal_default("0.7", &t(BaseType::Double, false)),
            Some(Literal::Number("0.7".into()))
        );
        assert_eq!(
            literal_default("true", &t(BaseType::Boolean, false)),
            Some(Literal::Bool(true))
        );
        assert_eq!(
            literal_default("'{}'::jsonb", &t(BaseType::Jsonb, false)),
            Some(Literal::Json(json!({})))
        );
        assert_eq!(
            literal_default("'[\"links\", \"faq\"]'::jsonb", &t(BaseType::Jsonb, false)),
            Some(Literal::Json(json!(["links", "faq"])))
        );
        assert_eq!(
            literal_default(
                "'pending'::status",
                &t(BaseType::Enum("status".into()), false)
            ),
            Some(Literal::String("pending".into()))
        );
        assert_eq!(
            literal_default("ARRAY['a'::text, 'b'::text]", &t(BaseType::Text, true)),
            Some(Literal::Json(json!(["a", "b"])))
        );
        assert_eq!(
            literal_default("'{1,2}'::integer[]", &t(BaseType::Integer, true)),
            Some(Literal::Json(json!([1, 2])))
        );
        assert_eq!(
            literal_default("'{}'::uuid[]", &t(BaseType::Uuid, true)),
            Some(Literal::Json(json!([])))
        );
        assert_eq!(
            literal_default("'NaN'::double precision", &t(BaseType::Double, false)),
            Some(Literal::Number("NaN".into()))
        );
        assert_eq!(
            literal_default("now()", &t(BaseType::Timestamptz(None), false)),
            None
        );
        assert_eq!(
            literal_default(
                "('a'::text || gen_random_uuid())",
                &t(BaseType::Text, false)
            ),
            None
        );
        assert_eq!(
            literal_default("E'it''s\\n'::text", &t(BaseType::Text, false)),
            Some(Literal::String("it's\n".into()))
        );
    }

    #[test]
    fn words_like_the_loader() {
        assert_eq!(
            words("(context->'vars'->>'taskId')", |_| true),
            ["context", "vars", "taskId"]
        );
        assert_eq!(
            words("price_cents >= 0 AND price_cents < 10", |w| w
                == "price_cents"),
            ["price_cents"]
        );
    }
}
