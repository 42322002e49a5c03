//! Column types: parsing the schema's spelling and printing PostgreSQL's canonical one.

use serde::{Deserialize, Serialize};
use std::fmt;

mod stored;

/// The base (element) type of a column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "stored::Stored", into = "stored::Stored")]
pub enum BaseType {
    Uuid,
    Text,
    Varchar(Option<u32>),
    Char(u32),
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    /// `numeric(precision, scale)`; `None` for unconstrained numeric.
    Numeric(Option<(u32, u32)>),
    Boolean,
    Date,
    /// `time(p)`: fractional-second digits kept, 0 to 6 (`None`: as many as the type keeps).
    Time(Option<u8>),
    /// `timestamp(p)`.
    Timestamp(Option<u8>),
    /// `timestamptz(p)`.
    Timestamptz(Option<u8>),
    /// `interval`, optionally restricted to some fields (`interval day to second`) and a
    /// fractional-second precision (`interval(3)`, `interval minute to second(0)`).
    Interval(Option<IntervalFields>, Option<u8>),
    Json,
    Jsonb,
    Bytea,
    Inet,
    /// `oid`: a catalog object identifier, an unsigned 32-bit number (`u32` in Rust).
    Oid,
    /// `bit(n)`: exactly `n` bits (`bit` alone is `bit(1)`).
    Bit(u32),
    /// `varbit(n)` (`bit varying`): at most `n` bits, any number without a length.
    Varbit(Option<u32>),
    /// A built-in type without parameters that has no Rust type of its own (`timetz`,
    /// `tsvector`, `cidr`, `money`, ranges, …) or an extension's type (`citext`, `hstore`, …),
    /// by its canonical name (see [`TEXT_FORM_TYPES`]). Rust reads and writes it in its text
    /// form, as a `String`.
    Named(String),
    /// A domain the schema declares (`domains:`), by SQL name.
    Domain(String),
    /// One of the database's own enum types, by SQL name.
    Enum(String),
}

/// The fields an `interval` column keeps (`interval year to month`), as PostgreSQL spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalFields {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    YearToMonth,
    DayToHour,
    DayToMinute,
    DayToSecond,
    HourToMinute,
    HourToSecond,
    MinuteToSecond,
}

impl IntervalFields {
    /// Every field list, with PostgreSQL's spelling.
    pub const ALL: [(IntervalFields, &'static str); 13] = [
        (IntervalFields::Year, "year"),
        (IntervalFields::Month, "month"),
        (IntervalFields::Day, "day"),
        (IntervalFields::Hour, "hour"),
        (IntervalFields::Minute, "minute"),
        (IntervalFields::Second, "second"),
        (IntervalFields::YearToMonth, "year to month"),
        (IntervalFields::DayToHour, "day to hour"),
        (IntervalFields::DayToMinute, "day to minute"),
        (IntervalFields::DayToSecond, "day to second"),
        (IntervalFields::HourToMinute, "hour to minute"),
        (IntervalFields::HourToSecond, "hour to second"),
        (IntervalFields::MinuteToSecond, "minute to second"),
    ];

    /// PostgreSQL's spelling (`day to second`).
    pub fn as_str(self) -> &'static str {
        IntervalFields::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, s)| *s)
            .unwrap_or("second")
    }

    /// Whether the list ends at seconds, so that a fractional-second precision applies.
    pub fn has_seconds(self) -> bool {
        matches!(
            self,
            IntervalFields::Second
                | IntervalFields::DayToSecond
                | IntervalFields::HourToSecond
                | IntervalFields::MinuteToSecond
        )
    }

    /// The fields of the list from the largest to the smallest, as ranks (year = 0 … second = 5):
    /// what a value keeps.
    pub fn span(self) -> (u8, u8) {
        use IntervalFields::*;
        match self {
            Year => (0, 0),
            Month => (1, 1),
            Day => (2, 2),
            Hour => (3, 3),
            Minute => (4, 4),
            Second => (5, 5),
            YearToMonth => (0, 1),
            DayToHour => (2, 3),
            DayToMinute => (2, 4),
            DayToSecond => (2, 5),
            HourToMinute => (3, 4),
            HourToSecond => (3, 5),
            MinuteToSecond => (4, 5),
        }
    }
}

/// The built-in types without parameters that Rust handles in their text form: canonical
/// name, then the other spellings PostgreSQL accepts (`format_type` prints the last one when
/// there are several).
pub const TEXT_FORM_TYPES: &[(&str, &[&str])] = &[
    ("timetz", &["time with time zone"]),
    ("tsvector", &[]),
    ("tsquery", &[]),
    ("cidr", &[]),
    ("macaddr", &[]),
    ("macaddr8", &[]),
    ("money", &[]),
    ("xml", &[]),
    ("jsonpath", &[]),
    ("pg_lsn", &[]),
    ("point", &[]),
    ("line", &[]),
    ("lseg", &[]),
    ("box", &[]),
    ("path", &[]),
    ("polygon", &[]),
    ("circle", &[]),
    ("int4range", &[]),
    ("int8range", &[]),
    ("numrange", &[]),
    ("tsrange", &[]),
    ("tstzrange", &[]),
    ("daterange", &[]),
    ("int4multirange", &[]),
    ("int8multirange", &[]),
    ("nummultirange", &[]),
    ("tsmultirange", &[]),
    ("tstzmultirange", &[]),
    ("datemultirange", &[]),
];

/// Types that extensions define, and the extension (`extensions:`) each needs. Rust handles
/// them in their text form.
pub const EXTENSION_TYPES: &[(&str, &str)] = &[
    ("citext", "citext"),
    ("hstore", "hstore"),
    ("ltree", "ltree"),
    ("lquery", "ltree"),
    ("ltxtquery", "ltree"),
    ("cube", "cube"),
    ("seg", "seg"),
    ("isbn", "isn"),
    ("isbn13", "isn"),
    ("issn", "isn"),
    ("issn13", "isn"),
    ("ismn", "isn"),
    ("ismn13", "isn"),
    ("ean13", "isn"),
    ("upc", "isn"),
];

impl BaseType {
    /// Whether this is one of the database's own enum types.
    pub fn is_enum(&self) -> bool {
        matches!(self, BaseType::Enum(_))
    }

    /// Whether generated Rust reads and writes the type in its text form (a `String`, cast to
    /// and from `text` in the statements), because tokio-postgres has no binary codec for it.
    pub fn is_text_form(&self) -> bool {
        matches!(
            self,
            BaseType::Bit(_) | BaseType::Varbit(_) | BaseType::Named(_)
        )
    }

    /// Whether a column of the type can have a collation (`COLLATE "C"`): the string types.
    pub fn is_collatable(&self) -> bool {
        matches!(
            self,
            BaseType::Text | BaseType::Varchar(_) | BaseType::Char(_)
        ) || matches!(self, BaseType::Named(n) if n == "citext")
    }

    /// The extension an extension type needs (`citext` → `citext`).
    pub fn extension(&self) -> Option<&'static str> {
        match self {
            BaseType::Named(n) => EXTENSION_TYPES
                .iter()
                .find(|(t, _)| t == n)
                .map(|(_, e)| *e),
            _ => None,
        }
    }
}

/// A column's type: a base type, possibly an array of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ColumnType {
    pub base: BaseType,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub array: bool,
}

/// Why a type spelling was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeError {
    /// Not a type we know; the name is the unknown word.
    Unknown(String),
    /// A known type with bad parameters; the message says what is wrong.
    Bad(String),
}

/// Every built-in type name, for "did you mean" suggestions.
pub const BUILTIN_TYPE_NAMES: &[&str] = &[
    "uuid",
    "text",
    "varchar",
    "char",
    "smallint",
    "integer",
    "bigint",
    "real",
    "double precision",
    "numeric",
    "boolean",
    "date",
    "time",
    "timestamp",
    "timestamptz",
    "interval",
    "json",
    "jsonb",
    "bytea",
    "inet",
    "oid",
    "bit",
    "varbit",
    "timetz",
    "tsvector",
    "cidr",
    "macaddr",
    "money",
    "xml",
    "int4range",
    "tstzrange",
    "daterange",
];

/// The fractional-second precision of `time(p)`, `timestamp(p)` and `interval(p)`: 0 to 6.
fn precision(name: &str, params: &Option<Vec<u32>>) -> Result<Option<u8>, TypeError> {
    match params.as_deref() {
        None => Ok(None),
        Some([p]) if *p <= 6 => Ok(Some(*p as u8)),
        Some(_) => Err(TypeError::Bad(format!(
            "`{name}` takes one precision between 0 and 6 (digits after the second), e.g. `timestamptz(3)`"
        ))),
    }
}

impl ColumnType {
    /// Parses a type as written in a schema. `is_enum` answers whether a name is a declared enum.
    pub fn parse(text: &str, is_enum: impl Fn(&str) -> bool) -> Result<ColumnType, TypeError> {
        ColumnType::parse_with(text, is_enum, |_| false)
    }

    /// [`ColumnType::parse`], also knowing the schema's domains.
    pub fn parse_with(
        text: &str,
        is_enum: impl Fn(&str) -> bool,
        is_domain: impl Fn(&str) -> bool,
    ) -> Result<ColumnType, TypeError> {
        let t = text.trim();
        let (elem, array) = match t.strip_suffix("[]") {
            Some(e) => (e.trim_end(), true),
            None => (t, false),
        };
        if elem.ends_with("[]") {
            return Err(TypeError::Bad(
                "multi-dimensional arrays are not supported; use one `[]`".into(),
            ));
        }
        if is_enum(elem) {
            return Ok(ColumnType {
                base: BaseType::Enum(elem.to_string()),
                array,
            });
        }
        if is_domain(elem) {
            return Ok(ColumnType {
                base: BaseType::Domain(elem.to_string()),
                array,
            });
        }
        let lower = elem.to_ascii_lowercase();
        let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
        // `varchar(255)`, and the forms with words after the parameters that PostgreSQL
        // prints: `timestamp(3) with time zone`, `interval day to second(3)`.
        let (name, params) = match lower.find('(') {
            Some(open) => {
                let Some(close) = lower[open..].find(')').map(|c| open + c) else {
                    return Err(TypeError::Bad(format!(
                        "`{elem}` has an unclosed parenthesis; write e.g. `varchar(255)`"
                    )));
                };
                let inner = &lower[open + 1..close];
                let after = lower[close + 1..].trim();
                let before = lower[..open].trim_end();
                let name = if after.is_empty() {
                    before.to_string()
                } else {
                    format!("{before} {after}")
                };
                let params = inner
                    .split(',')
                    .map(|p| p.trim().parse::<u32>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| {
                        TypeError::Bad(format!(
                            "the parameters of `{elem}` must be whole numbers, e.g. `numeric(10,2)`"
                        ))
                    })?;
                (name, Some(params))
            }
            None => (lower.clone(), None),
        };
        let no_params = |base: BaseType| -> Result<BaseType, TypeError> {
            match &params {
                None => Ok(base),
                Some(_) => Err(TypeError::Bad(format!("`{name}` takes no parameters"))),
            }
        };
        let base = match name.as_str() {
            "uuid" => no_params(BaseType::Uuid)?,
            "text" => no_params(BaseType::Text)?,
            "varchar" | "character varying" => match params.as_deref() {
                None => BaseType::Varchar(None),
                Some([n]) if *n >= 1 && *n <= 10_485_760 => BaseType::Varchar(Some(*n)),
                Some([_]) => {
                    return Err(TypeError::Bad(
                        "a varchar length must be between 1 and 10485760".into(),
                    ));
                }
                Some(_) => {
                    return Err(TypeError::Bad(
                        "varchar takes one length: `varchar(255)`".into(),
                    ));
                }
            },
            "char" | "character" => match params.as_deref() {
                None => BaseType::Char(1),
                Some([n]) if *n >= 1 && *n <= 10_485_760 => BaseType::Char(*n),
                Some(_) => {
                    return Err(TypeError::Bad(
                        "char takes one length between 1 and 10485760: `char(3)`".into(),
                    ));
                }
            },
            "smallint" | "int2" => no_params(BaseType::SmallInt)?,
            "integer" | "int" | "int4" => no_params(BaseType::Integer)?,
            "bigint" | "int8" => no_params(BaseType::BigInt)?,
            "real" | "float4" => no_params(BaseType::Real)?,
            "double precision" | "float8" | "float" | "double" => no_params(BaseType::Double)?,
            "numeric" | "decimal" => match params.as_deref() {
                None => BaseType::Numeric(None),
                Some([p]) if (1..=1000).contains(p) => BaseType::Numeric(Some((*p, 0))),
                Some([p, s]) if (1..=1000).contains(p) && s <= p => {
                    BaseType::Numeric(Some((*p, *s)))
                }
                Some(_) => {
                    return Err(TypeError::Bad(
                        "numeric takes a precision between 1 and 1000 and a scale no larger than it: `numeric(10,2)`".into(),
                    ));
                }
            },
            "boolean" | "bool" => no_params(BaseType::Boolean)?,
            "date" => no_params(BaseType::Date)?,
            "time" | "time without time zone" => BaseType::Time(precision(&name, &params)?),
            "timestamp" | "timestamp without time zone" => {
                BaseType::Timestamp(precision(&name, &params)?)
            }
            "timestamptz" | "timestamp with time zone" => {
                BaseType::Timestamptz(precision(&name, &params)?)
            }
            interval if interval == "interval" || interval.starts_with("interval ") => {
                let fields = match interval.strip_prefix("interval ") {
                    None => None,
                    Some(words) => match IntervalFields::ALL.iter().find(|(_, s)| *s == words) {
                        Some((f, _)) => Some(*f),
                        None => {
                            return Err(TypeError::Bad(format!(
                                "`{elem}`: an interval's fields are one of {}",
                                IntervalFields::ALL
                                    .iter()
                                    .map(|(_, s)| format!("`{s}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )));
                        }
                    },
                };
                let p = precision("interval", &params)?;
                if p.is_some() && fields.is_some_and(|f| !f.has_seconds()) {
                    return Err(TypeError::Bad(format!(
                        "`{elem}`: a precision applies only to seconds, e.g. `interval day to second(3)`"
                    )));
                }
                BaseType::Interval(fields, p)
            }
            "json" => no_params(BaseType::Json)?,
            "jsonb" => no_params(BaseType::Jsonb)?,
            "bytea" => no_params(BaseType::Bytea)?,
            "inet" => no_params(BaseType::Inet)?,
            "oid" => no_params(BaseType::Oid)?,
            "bit" => match params.as_deref() {
                None => BaseType::Bit(1),
                Some([n]) if (1..=83_886_080).contains(n) => BaseType::Bit(*n),
                Some(_) => {
                    return Err(TypeError::Bad(
                        "bit takes one length between 1 and 83886080: `bit(8)`".into(),
                    ));
                }
            },
            "varbit" | "bit varying" => match params.as_deref() {
                None => BaseType::Varbit(None),
                Some([n]) if (1..=83_886_080).contains(n) => BaseType::Varbit(Some(*n)),
                Some(_) => {
                    return Err(TypeError::Bad(
                        "varbit takes one length between 1 and 83886080: `varbit(64)`".into(),
                    ));
                }
            },
            other => {
                let named = TEXT_FORM_TYPES
                    .iter()
                    .find(|(n, aliases)| *n == other || aliases.contains(&other))
                    .map(|(n, _)| *n)
                    .or_else(|| {
                        EXTENSION_TYPES
                            .iter()
                            .find(|(n, _)| *n == other)
                            .map(|(n, _)| *n)
                    });
                match named {
                    Some(n) => no_params(BaseType::Named(n.to_string()))?,
                    None => return Err(TypeError::Unknown(elem.to_string())),
                }
            }
        };
        Ok(ColumnType { base, array })
    }

    pub fn is_json(&self) -> bool {
        matches!(self.base, BaseType::Json | BaseType::Jsonb)
    }

    pub fn is_integer(&self) -> bool {
        !self.array
            && matches!(
                self.base,
                BaseType::SmallInt | BaseType::Integer | BaseType::BigInt
            )
    }
}

impl fmt::Display for BaseType {
    /// PostgreSQL's canonical spelling (enum names unquoted; renderers quote them).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BaseType::Uuid => f.write_str("uuid"),
            BaseType::Text => f.write_str("text"),
            BaseType::Varchar(None) => f.write_str("varchar"),
            BaseType::Varchar(Some(n)) => write!(f, "varchar({n})"),
            BaseType::Char(n) => write!(f, "char({n})"),
            BaseType::SmallInt => f.write_str("smallint"),
            BaseType::Integer => f.write_str("integer"),
            BaseType::BigInt => f.write_str("bigint"),
            BaseType::Real => f.write_str("real"),
            BaseType::Double => f.write_str("double precision"),
            BaseType::Numeric(None) => f.write_str("numeric"),
            BaseType::Numeric(Some((p, s))) => write!(f, "numeric({p},{s})"),
            BaseType::Boolean => f.write_str("boolean"),
            BaseType::Date => f.write_str("date"),
            BaseType::Time(p) => with_precision(f, "time", *p),
            BaseType::Timestamp(p) => with_precision(f, "timestamp", *p),
            BaseType::Timestamptz(p) => with_precision(f, "timestamptz", *p),
            BaseType::Interval(None, p) => with_precision(f, "interval", *p),
            BaseType::Interval(Some(fields), p) => {
                write!(f, "interval {}", fields.as_str())?;
                match p {
                    Some(p) => write!(f, "({p})"),
                    None => Ok(()),
                }
            }
            BaseType::Json => f.write_str("json"),
            BaseType::Jsonb => f.write_str("jsonb"),
            BaseType::Bytea => f.write_str("bytea"),
            BaseType::Inet => f.write_str("inet"),
            BaseType::Oid => f.write_str("oid"),
            BaseType::Bit(n) => write!(f, "bit({n})"),
            BaseType::Varbit(None) => f.write_str("varbit"),
            BaseType::Varbit(Some(n)) => write!(f, "varbit({n})"),
            BaseType::Named(name) => f.write_str(name),
            BaseType::Domain(name) | BaseType::Enum(name) => f.write_str(name),
        }
    }
}

fn with_precision(f: &mut fmt::Formatter<'_>, name: &str, p: Option<u8>) -> fmt::Result {
    match p {
        Some(p) => write!(f, "{name}({p})"),
        None => f.write_str(name),
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.base, if self.array { "[]" } else { "" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<ColumnType, TypeError> {
        ColumnType::parse(s, |n| n == "role")
    }

    #[test]
    fn aliases_normalise() {
        assert_eq!(p("INT").unwrap().to_string(), "integer");
        assert_eq!(
            p("character varying(12)").unwrap().to_string(),
            "varchar(12)"
        );
        assert_eq!(
            p("timestamp with time zone").unwrap().to_string(),
            "timestamptz"
        );
        assert_eq!(p("text[]").unwrap().to_string(), "text[]");
        assert_eq!(p("numeric(10, 2)").unwrap().to_string(), "numeric(10,2)");
        assert_eq!(p("role[]").unwrap().to_string(), "role[]");
        assert_eq!(p("time with time zone").unwrap().to_string(), "timetz");
        assert_eq!(p("bit").unwrap().to_string(), "bit(1)");
        assert_eq!(p("bit varying(5)").unwrap().to_string(), "varbit(5)");
        assert_eq!(p("TSVECTOR").unwrap().to_string(), "tsvector");
        assert_eq!(
            p("int4multirange[]").unwrap().to_string(),
            "int4multirange[]"
        );
        assert_eq!(p("citext").unwrap().base.extension(), Some("citext"));
        assert_eq!(
            p("timestamp(3) with time zone").unwrap().to_string(),
            "timestamptz(3)"
        );
        assert_eq!(
            p("time(0) without time zone").unwrap().to_string(),
            "time(0)"
        );
        assert_eq!(p("TIMESTAMP (6)").unwrap().to_string(), "timestamp(6)");
        assert_eq!(
            p("interval day to second(3)").unwrap().to_string(),
            "interval day to second(3)"
        );
        assert_eq!(p("interval(2)[]").unwrap().to_string(), "interval(2)[]");
        assert_eq!(p("INTERVAL YEAR").unwrap().to_string(), "interval year");
    }

    #[test]
    fn time_precision_is_checked() {
        assert!(matches!(p("timestamptz(7)"), Err(TypeError::Bad(_))));
        assert!(matches!(p("time(1,2)"), Err(TypeError::Bad(_))));
        assert!(matches!(p("interval year(3)"), Err(TypeError::Bad(_))));
        assert!(matches!(p("interval fortnight"), Err(TypeError::Bad(_))));
    }

    #[test]
    fn stored_form_reads_what_older_snapshots_wrote() {
        for (json, ty) in [
            ("\"timestamptz\"", BaseType::Timestamptz(None)),
            ("{\"timestamptz\":3}", BaseType::Timestamptz(Some(3))),
            ("\"interval\"", BaseType::Interval(None, None)),
            (
                "{\"interval\":{\"fields\":\"day_to_second\",\"precision\":2}}",
                BaseType::Interval(Some(IntervalFields::DayToSecond), Some(2)),
            ),
            ("{\"varchar\":255}", BaseType::Varchar(Some(255))),
            ("{\"enum\":\"mood\"}", BaseType::Enum("mood".into())),
            ("\"uuid\"", BaseType::Uuid),
        ] {
            assert_eq!(serde_json::to_string(&ty).unwrap(), json);
            assert_eq!(
                serde_json::from_str::<BaseType>(json).unwrap(),
                ty,
                "{json}"
            );
        }
    }

    #[test]
    fn bad_types_are_refused() {
        assert_eq!(p("strng"), Err(TypeError::Unknown("strng".into())));
        assert!(matches!(p("varchar(0)"), Err(TypeError::Bad(_))));
        assert!(matches!(p("numeric(2,5)"), Err(TypeError::Bad(_))));
        assert!(matches!(p("text(3)"), Err(TypeError::Bad(_))));
        assert!(matches!(p("text[][]"), Err(TypeError::Bad(_))));
        assert!(matches!(p("tsvector(2)"), Err(TypeError::Bad(_))));
        assert!(matches!(p("bit(0)"), Err(TypeError::Bad(_))));
    }
}
