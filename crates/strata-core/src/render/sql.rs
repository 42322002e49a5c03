//! PostgreSQL DDL. (Being written.)

use crate::model::Schema;

/// The whole database from empty, as one script.
pub fn schema_sql(schema: &Schema) -> String {
    format!("-- schema {}\n", schema.name)
}
