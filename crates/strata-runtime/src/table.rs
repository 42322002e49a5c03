//! The traits every generated table implements, so code can be generic over tables.

use std::borrow::Cow;

/// A generated row struct: one row of a table, every column in declaration order.
///
/// The constants are the same as the struct's inherent ones (`Owner::SELECT`). Parameters
/// (`$1`…) are in the order of the matching `…_params()` method of `pg::PgTable` (feature `postgres`).
pub trait Table: Sized + 'static {
    /// The `New…` struct that inserts a row of this table.
    type New: Insert<Table = Self>;

    /// The table's SQL name, as written in the schema (unquoted).
    const TABLE: &'static str;
    /// Every column's SQL name, in declaration order (the order of the struct's fields).
    const COLUMNS: &'static [&'static str];
    /// The columns the database sets on every UPDATE (`auto_update`); an UPDATE does not write
    /// them, so their value after it is the database's.
    const AUTO_UPDATED: &'static [&'static str];
    /// `SELECT <every column> FROM <table>`.
    const SELECT: &'static str;
    /// `INSERT … RETURNING *` of every column a `New…` value can provide; parameters:
    /// `insert_params()` when every optional field is `Some` (see [`Insert::insert_sql`]).
    const INSERT: &'static str;
    /// Every generated query of the table with its SQL (lookups, lists, counts, pages), for
    /// tools and tests that check each statement on a server (`EXPLAIN`).
    const QUERIES: &'static [Query] = &[];
}

/// One generated read statement of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    /// The generated method that runs it (`find_by_slug`).
    pub method: &'static str,
    /// Its SQL; parameters `$1…$n`.
    pub sql: &'static str,
    /// How many parameters it takes.
    pub params: usize,
    /// The index or constraint whose index can answer it, if one leads with the columns it
    /// filters (or orders) on.
    pub index: Option<&'static str>,
}

/// What kind of constraint a generated constraint enum variant names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ConstraintKind {
    PrimaryKey,
    /// A unique constraint or unique index.
    Unique,
    ForeignKey,
    Check,
    /// An exclusion constraint (`exclude:`, or `single_row`); a violation is SQLSTATE 23P01.
    Exclusion,
}

/// A table with a primary key: its rows can be found, updated and deleted one by one. A table
/// without a primary key (a log, a join table keyed by a unique constraint, a staging table)
/// implements only [`Table`].
pub trait Keyed: Table {
    /// The primary-key columns, in key order.
    const PRIMARY_KEY: &'static [&'static str];
    /// [`SELECT`](Table::SELECT) ` WHERE <key> = $1 …`; parameters: `pk_params()`.
    const SELECT_BY_PK: &'static str;
    /// `UPDATE <table> SET <every other column> = $1, … WHERE <key> = $n … RETURNING *`;
    /// parameters: `update_params()` (the columns set, then the key). Generated and
    /// auto-updated columns are not set. A table whose columns are all in its key sets its key to
    /// itself, so the statement still finds (and returns) the row.
    const UPDATE_BY_PK: &'static str;
    /// `DELETE FROM <table> WHERE <key> = $1 …`; parameters: `pk_params()`.
    const DELETE_BY_PK: &'static str;
}

/// A generated `New…` struct: the values of a row to insert. Columns the database fills are
/// optional fields (`None` leaves the column to its default) or absent (identity `ALWAYS`).
pub trait Insert: Sized + 'static {
    /// The row struct an insert returns.
    type Table: Table<New = Self>;

    /// The INSERT for this value: the columns it provides, `RETURNING *`. It is
    /// [`Table::INSERT`] when every optional field is `Some`, and otherwise lists only the
    /// provided columns so the others get their defaults. Parameters: `insert_params()`.
    fn insert_sql(&self) -> Cow<'static, str>;

    /// The table's name as SQL (quoted where needed), for statements built at run time.
    const QUOTED_TABLE: &'static str;

    /// The columns this value provides, as SQL (quoted where needed), in the order of
    /// [`insert_sql`](Insert::insert_sql) and `insert_params()`.
    fn insert_columns(&self) -> Vec<&'static str>;

    /// What follows each provided column's `$n` in statements built at run time (upserts,
    /// bulk inserts), in the order of [`insert_columns`](Insert::insert_columns): empty, or
    /// the casts from the type Rust sends to the column's (`::text::tsvector`, a domain's
    /// `::integer::page_count`).
    fn insert_casts(&self) -> Vec<&'static str> {
        vec![""; self.insert_columns().len()]
    }

    /// What statements built at run time return: `*`, or the select list that reads each
    /// column in the type Rust takes (`summary::text AS summary`).
    const RETURNING: &'static str = "*";

    /// Whether binary `COPY` can load the table: false when a column's Rust value is its
    /// text form (`tsvector`, `bit`, …), whose binary form differs; bulk inserts then use
    /// multi-row INSERTs.
    const BINARY_COPY: bool = true;
}

/// A generated enum: the Rust side of a PostgreSQL enum type. Each variant reads and writes as
/// its PostgreSQL label, in serde as in SQL.
pub trait Enum: Copy + Eq + 'static {
    /// The PostgreSQL type's name in its schema (unquoted).
    const SQL_NAME: &'static str;
    /// The PostgreSQL schema of the type when it is not the default one (`billing` for the
    /// enum `billing.status`).
    const SQL_SCHEMA: Option<&'static str> = None;
    /// Every variant, in the type's order.
    const ALL: &'static [Self];

    /// The variant's PostgreSQL label.
    fn as_str(self) -> &'static str;

    /// The variant of a PostgreSQL label, if it is one.
    fn from_label(label: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == label)
    }
}
