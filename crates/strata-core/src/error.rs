//! One error for code that drives the whole library: each stage keeps its own typed error
//! (located load diagnostics, [`PlanError`], [`RenderError`], [`history::Error`](crate::history::Error),
//! the pipeline's error), and [`Error`] holds any of them, so a front can use `?` across stages.
//!
//! ```
//! fn rust_for(yaml: &str) -> Result<String, strata::Error> {
//!     let schema = strata::load::load_sources(
//!         "shop",
//!         false,
//!         vec![strata::load::SourceText { path: "shop.yaml".into(), text: yaml.into() }],
//!     )?;
//!     Ok(strata::render::rust::try_render_module(&schema, &Default::default())?)
//! }
//! assert!(rust_for("tables:\n  t:\n    columns:\n      id: { type: uuid, primary_key: true }\n").is_ok());
//! assert!(matches!(rust_for("tables: 3\n"), Err(strata::Error::Load(_))));
//! ```

use std::fmt;

use crate::diag::Diagnostics;
use crate::plan::PlanError;
use crate::render::rust::RenderError;

/// Any error of the library's stages, each kept whole (see the module documentation).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The schema does not load or validate (every located error of the run).
    Load(Diagnostics),
    /// The planner refused or could not plan a change.
    Plan(PlanError),
    /// The Rust models could not be rendered.
    Render(RenderError),
    /// A snapshot or `history.yaml` could not be read or written.
    History(crate::history::Error),
    /// A pipeline step (files, history on disk, schema choice) failed.
    #[cfg(feature = "pipeline")]
    Pipeline(crate::pipeline::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Load(e) => e.fmt(f),
            Error::Plan(e) => e.fmt(f),
            Error::Render(e) => e.fmt(f),
            Error::History(e) => e.fmt(f),
            #[cfg(feature = "pipeline")]
            Error::Pipeline(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    /// The stage's own error's source: `Error` is transparent, adding no message of its own.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Load(e) => e.source(),
            Error::Plan(e) => e.source(),
            Error::Render(e) => e.source(),
            Error::History(e) => e.source(),
            #[cfg(feature = "pipeline")]
            Error::Pipeline(e) => e.source(),
        }
    }
}

macro_rules! from {
    ($($variant:ident($ty:ty)),* $(,)?) => {$(
        impl From<$ty> for Error {
            fn from(e: $ty) -> Error {
                Error::$variant(e)
            }
        }
    )*};
}

from!(
    Load(Diagnostics),
    Plan(PlanError),
    Render(RenderError),
    History(crate::history::Error),
);

#[cfg(feature = "pipeline")]
from!(Pipeline(crate::pipeline::Error));
