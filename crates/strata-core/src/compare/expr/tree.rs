//! The syntax tree both forms are printed from, and the precedence levels of its operators
//! (PostgreSQL's, from the grammar's precedence table).

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
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

pub(super) const P_OR: u8 = 1;
pub(super) const P_AND: u8 = 2;
pub(super) const P_NOT: u8 = 3;
pub(super) const P_IS: u8 = 4;
pub(super) const P_CMP: u8 = 5;
pub(super) const P_LIKE: u8 = 6;
pub(super) const P_OTHER: u8 = 7;
pub(super) const P_ADD: u8 = 8;
pub(super) const P_MUL: u8 = 9;
pub(super) const P_EXP: u8 = 10;
pub(super) const P_UNARY: u8 = 11;
pub(super) const P_SUBSCRIPT: u8 = 14;
pub(super) const P_CAST: u8 = 15;
pub(super) const P_ATOM: u8 = 100;

pub(super) fn binary_precedence(op: &str) -> u8 {
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
