//! The options of the Rust generator, shared by every front (`cargo xtask codegen`, the
//! `schema!` macro's arguments).

use std::fmt;
use syn::Path;

/// How the generator is set up. Start from [`Settings::default`] and change what differs:
///
/// ```
/// use strata::render::rust::{Postgres, Settings};
///
/// let settings = Settings::default()
///     .runtime_path(syn::parse_quote!(::my_app::strata_runtime))
///     .postgres(Postgres::Always);
/// assert_eq!(settings.serde_crate(), "::my_app::strata_runtime::__private::serde");
/// ```
#[derive(Clone)]
pub struct Settings {
    runtime: Path,
    postgres: Postgres,
}

/// Whether the generated code includes its tokio-postgres support (reading rows, parameters,
/// `ToSql`/`FromSql` of enums).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Postgres {
    /// Under `#[cfg(feature = "<name>")]` of the crate the code lands in, so a crate that only
    /// wants the types does not build tokio-postgres. The feature must enable
    /// `strata-runtime/postgres`. The default, with `"postgres"`.
    Feature(String),
    /// Always; the crate must enable `strata-runtime/postgres`.
    Always,
    /// Never: types, constants and SQL only.
    Never,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let runtime = &self.runtime;
        f.debug_struct("Settings")
            .field("runtime", &quote::quote!(#runtime).to_string())
            .field("postgres", &self.postgres)
            .finish()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            runtime: syn::parse_quote!(::strata_runtime),
            postgres: Postgres::Feature("postgres".into()),
        }
    }
}

impl Settings {
    /// The path of the runtime crate as the generated code names it (default
    /// `::strata_runtime`), for a crate that reaches it through a re-export.
    pub fn runtime_path(mut self, path: Path) -> Self {
        self.runtime = path;
        self
    }

    /// Whether and under which feature the tokio-postgres support is generated.
    pub fn postgres(mut self, postgres: Postgres) -> Self {
        self.postgres = postgres;
        self
    }

    /// The runtime crate's path.
    pub fn get_runtime_path(&self) -> &Path {
        &self.runtime
    }

    /// The tokio-postgres setting.
    pub fn get_postgres(&self) -> &Postgres {
        &self.postgres
    }

    /// The path serde's derives are told to use (`#[serde(crate = "…")]`): the runtime's
    /// re-export, so the caller needs no serde dependency of its own.
    pub fn serde_crate(&self) -> String {
        let mut s = String::new();
        if self.runtime.leading_colon.is_some() {
            s.push_str("::");
        }
        for (i, seg) in self.runtime.segments.iter().enumerate() {
            if i > 0 {
                s.push_str("::");
            }
            s.push_str(&seg.ident.to_string());
        }
        s.push_str("::__private::serde");
        s
    }
}
