//! Rust models. (Being written.)

use crate::model::Schema;

/// The Rust module of one database, formatted.
pub fn render_module(schema: &Schema) -> String {
    format!("//! {}\n", schema.name)
}
