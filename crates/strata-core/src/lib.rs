//! Strata's core: the schema language, its loader and validator, and the renderers.
//!
//! ```
//! let schema = strata::load::load_sources(
//!     "shop",
//!     false,
//!     vec![strata::load::SourceText {
//!         path: "schemas/shop.yaml".into(),
//!         text: "tables:\n  products:\n    columns:\n      id: { type: uuid, primary_key: true }\n      title: text\n".into(),
//!     }],
//! )
//! .expect("a valid schema");
//! assert_eq!(schema.tables[0].rust_name, "Product");
//! ```

pub mod compare;
pub mod deps;
pub mod diag;
mod error;
pub mod fragment;
pub mod history;
pub mod load;
pub mod model;
#[cfg(feature = "pipeline")]
pub mod pipeline;
pub mod plan;
pub mod project;
pub mod render;
pub mod schema_language;
pub mod synthetic;
mod validate;

pub use diag::{Diagnostic, Diagnostics, Loc};
pub use error::Error;
pub use model::Schema;
