//! Tokens → syntax tree: a precedence-climbing parser for the grammar the module documentation
//! lists, and the one spelling of each type name.

use super::*;

pub(super) fn parse(sql: &str) -> Option<Expr> {
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
pub(super) fn canonical_type(name: &str) -> String {
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

pub(super) fn is_text_type(ty: &str) -> bool {
    let base = ty.trim_end_matches("[]");
    let base = base.split('(').next().unwrap_or(base);
    matches!(base, "text" | "character varying" | "character" | "name")
}

/// `text` or `character varying[(n)]`: a string constant needs no cast to them.
pub(super) fn is_plain_text_type(ty: &str) -> bool {
    ty == "text" || ty.split('(').next() == Some("character varying")
}

pub(super) fn is_number_type(ty: &str) -> bool {
    let base = ty.split('(').next().unwrap_or(ty);
    matches!(
        base,
        "integer" | "smallint" | "bigint" | "numeric" | "double precision" | "real"
    )
}
