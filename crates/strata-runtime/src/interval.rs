//! PostgreSQL's `interval`.

use serde::{Deserialize, Serialize};

/// A PostgreSQL `interval`: months, days and microseconds, kept apart exactly as the server
/// keeps them (a month is not a fixed number of days, nor a day of seconds, across time-zone
/// changes), so a value reads back as it was written.
///
/// ```
/// let i = strata_runtime::Interval { months: 1, days: 2, microseconds: 3_000_000 };
/// assert_eq!(i, strata_runtime::Interval::new(1, 2, 3_000_000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Interval {
    pub months: i32,
    pub days: i32,
    pub microseconds: i64,
}

impl Interval {
    pub const fn new(months: i32, days: i32, microseconds: i64) -> Self {
        Interval {
            months,
            days,
            microseconds,
        }
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::Interval;
    use bytes::{BufMut, BytesMut};
    use postgres_types::{FromSql, IsNull, ToSql, Type, accepts, to_sql_checked};
    use std::error::Error;

    /// The binary format: microseconds (i64), days (i32), months (i32), big-endian.
    impl ToSql for Interval {
        fn to_sql(
            &self,
            _ty: &Type,
            out: &mut BytesMut,
        ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
            out.put_i64(self.microseconds);
            out.put_i32(self.days);
            out.put_i32(self.months);
            Ok(IsNull::No)
        }

        accepts!(INTERVAL);
        to_sql_checked!();
    }

    impl<'a> FromSql<'a> for Interval {
        fn from_sql(_ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
            let raw: &[u8; 16] = raw
                .try_into()
                .map_err(|_| format!("an interval is 16 bytes, got {}", raw.len()))?;
            let mut micros = [0; 8];
            let mut days = [0; 4];
            let mut months = [0; 4];
            micros.copy_from_slice(&raw[..8]);
            days.copy_from_slice(&raw[8..12]);
            months.copy_from_slice(&raw[12..]);
            Ok(Interval {
                months: i32::from_be_bytes(months),
                days: i32::from_be_bytes(days),
                microseconds: i64::from_be_bytes(micros),
            })
        }

        accepts!(INTERVAL);
    }
}
