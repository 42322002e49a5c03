//! How a [`BaseType`] is written in `snapshots/V<n>.json`.
//!
//! A type without parameters is its snake-case name (`"timestamptz"`), one with parameters an
//! object (`{"varchar": 255}`). The time types and `interval` gained parameters after snapshots
//! were first written, so they are stored as the bare name when they have none — exactly what
//! older snapshots hold — and as an object when they do (`{"timestamptz": 3}`,
//! `{"interval": {"fields": "day_to_second", "precision": 2}}`).

use super::{BaseType, IntervalFields};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Stored {
    Plain(Plain),
    Precise(Precise),
}

/// Every type as older snapshots wrote it.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plain {
    Uuid,
    Text,
    Varchar(Option<u32>),
    Char(u32),
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    Numeric(Option<(u32, u32)>),
    Boolean,
    Date,
    Time,
    Timestamp,
    Timestamptz,
    Interval,
    Json,
    Jsonb,
    Bytea,
    Inet,
    Oid,
    Bit(u32),
    Varbit(Option<u32>),
    Named(String),
    Domain(String),
    Enum(String),
}

/// The time types and `interval` with their parameters.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precise {
    Time(u8),
    Timestamp(u8),
    Timestamptz(u8),
    Interval(IntervalStored),
}

#[derive(Clone, Serialize, Deserialize)]
pub struct IntervalStored {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fields: Option<IntervalFields>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    precision: Option<u8>,
}

impl From<Stored> for BaseType {
    fn from(s: Stored) -> BaseType {
        match s {
            Stored::Precise(Precise::Time(p)) => BaseType::Time(Some(p)),
            Stored::Precise(Precise::Timestamp(p)) => BaseType::Timestamp(Some(p)),
            Stored::Precise(Precise::Timestamptz(p)) => BaseType::Timestamptz(Some(p)),
            Stored::Precise(Precise::Interval(i)) => BaseType::Interval(i.fields, i.precision),
            Stored::Plain(p) => match p {
                Plain::Uuid => BaseType::Uuid,
                Plain::Text => BaseType::Text,
                Plain::Varchar(n) => BaseType::Varchar(n),
                Plain::Char(n) => BaseType::Char(n),
                Plain::SmallInt => BaseType::SmallInt,
                Plain::Integer => BaseType::Integer,
                Plain::BigInt => BaseType::BigInt,
                Plain::Real => BaseType::Real,
                Plain::Double => BaseType::Double,
                Plain::Numeric(n) => BaseType::Numeric(n),
                Plain::Boolean => BaseType::Boolean,
                Plain::Date => BaseType::Date,
                Plain::Time => BaseType::Time(None),
                Plain::Timestamp => BaseType::Timestamp(None),
                Plain::Timestamptz => BaseType::Timestamptz(None),
                Plain::Interval => BaseType::Interval(None, None),
                Plain::Json => BaseType::Json,
                Plain::Jsonb => BaseType::Jsonb,
                Plain::Bytea => BaseType::Bytea,
                Plain::Inet => BaseType::Inet,
                Plain::Oid => BaseType::Oid,
                Plain::Bit(n) => BaseType::Bit(n),
                Plain::Varbit(n) => BaseType::Varbit(n),
                Plain::Named(n) => BaseType::Named(n),
                Plain::Domain(n) => BaseType::Domain(n),
                Plain::Enum(n) => BaseType::Enum(n),
            },
        }
    }
}

impl From<BaseType> for Stored {
    fn from(t: BaseType) -> Stored {
        let plain = match t {
            BaseType::Time(Some(p)) => return Stored::Precise(Precise::Time(p)),
            BaseType::Timestamp(Some(p)) => return Stored::Precise(Precise::Timestamp(p)),
            BaseType::Timestamptz(Some(p)) => return Stored::Precise(Precise::Timestamptz(p)),
            BaseType::Interval(fields, precision) if fields.is_some() || precision.is_some() => {
                return Stored::Precise(Precise::Interval(IntervalStored { fields, precision }));
            }
            BaseType::Uuid => Plain::Uuid,
            BaseType::Text => Plain::Text,
            BaseType::Varchar(n) => Plain::Varchar(n),
            BaseType::Char(n) => Plain::Char(n),
            BaseType::SmallInt => Plain::SmallInt,
            BaseType::Integer => Plain::Integer,
            BaseType::BigInt => Plain::BigInt,
            BaseType::Real => Plain::Real,
            BaseType::Double => Plain::Double,
            BaseType::Numeric(n) => Plain::Numeric(n),
            BaseType::Boolean => Plain::Boolean,
            BaseType::Date => Plain::Date,
            BaseType::Time(None) => Plain::Time,
            BaseType::Timestamp(None) => Plain::Timestamp,
            BaseType::Timestamptz(None) => Plain::Timestamptz,
            BaseType::Interval(..) => Plain::Interval,
            BaseType::Json => Plain::Json,
            BaseType::Jsonb => Plain::Jsonb,
            BaseType::Bytea => Plain::Bytea,
            BaseType::Inet => Plain::Inet,
            BaseType::Oid => Plain::Oid,
            BaseType::Bit(n) => Plain::Bit(n),
            BaseType::Varbit(n) => Plain::Varbit(n),
            BaseType::Named(n) => Plain::Named(n),
            BaseType::Domain(n) => Plain::Domain(n),
            BaseType::Enum(n) => Plain::Enum(n),
        };
        Stored::Plain(plain)
    }
}
