//! The error of reading a generated row struct from a database row.

use std::error::Error;
use std::fmt;

/// A column of a row could not be read into its field: missing, NULL where the model says NOT
/// NULL, of another type, or (typed JSON) not of the declared shape. Names the table and the
/// column, and keeps the driver's error as its [`source`](Error::source).
#[derive(Debug)]
pub struct FromRowError {
    table: &'static str,
    column: &'static str,
    source: Box<dyn Error + Send + Sync>,
}

impl FromRowError {
    pub fn new(
        table: &'static str,
        column: &'static str,
        source: impl Into<Box<dyn Error + Send + Sync>>,
    ) -> Self {
        FromRowError {
            table,
            column,
            source: source.into(),
        }
    }

    /// The SQL name of the table.
    pub fn table(&self) -> &'static str {
        self.table
    }

    /// The SQL name of the column that could not be read.
    pub fn column(&self) -> &'static str {
        self.column
    }
}

impl fmt::Display for FromRowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot read column `{}` of table `{}`: {}",
            self.column, self.table, self.source
        )?;
        // tokio-postgres says only "error deserializing column 3"; the reason is one level down.
        if let Some(inner) = self.source.source() {
            write!(f, ": {inner}")?;
        }
        Ok(())
    }
}

impl Error for FromRowError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}
