//! The `strata_macros::schema!` macro's whole expansion, as an ordinary function so tests can
//! call it (the proc-macro crate only forwards its input and `CARGO_MANIFEST_DIR`).

use super::{Postgres, Settings, generate_module};
use crate::load::{SchemaLocation, load_location};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use std::path::{Path, PathBuf};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

/// The macro's arguments: `"path/to/db.yaml"` (or a schema folder), then optional
/// `, runtime = some::path` and `, postgres = "feature" | always | never`.
#[derive(Clone)]
pub struct SchemaMacroArgs {
    pub path: LitStr,
    pub settings: Settings,
}

impl Parse for SchemaMacroArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path: LitStr = input.parse()?;
        let mut settings = Settings::default();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "runtime" => settings = settings.runtime_path(input.parse()?),
                "postgres" => {
                    let postgres = if input.peek(LitStr) {
                        Postgres::Feature(input.parse::<LitStr>()?.value())
                    } else {
                        let word: Ident = input.parse()?;
                        match word.to_string().as_str() {
                            "always" => Postgres::Always,
                            "never" => Postgres::Never,
                            _ => {
                                return Err(syn::Error::new(
                                    word.span(),
                                    "expected a feature name (`\"postgres\"`), `always` or `never`",
                                ));
                            }
                        }
                    };
                    settings = settings.postgres(postgres);
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown argument `{other}`; expected `runtime = path` or `postgres = \"feature\" | always | never`"
                        ),
                    ));
                }
            }
        }
        Ok(SchemaMacroArgs { path, settings })
    }
}

/// Expands `schema!(<input>)` for a crate whose manifest is in `manifest_dir`.
///
/// The path is relative to `manifest_dir`. A file `x.yaml` is database `x`; a folder is one
/// database whose files are merged. The result is `pub mod <db> { … }` (the tokens of
/// [`generate_module`], the same as the checked-in `generated/src/<db>.rs`) followed by an
/// `include_bytes!` of each YAML file in a hidden constant, so that editing the schema
/// rebuilds the caller. (A file added to a folder is not seen until something else rebuilds
/// the crate.) Bad arguments and schema errors become `compile_error!`, with
/// `file:line:col` for each schema error; nothing panics.
pub fn schema_macro(input: TokenStream, manifest_dir: &Path) -> TokenStream {
    let args = match syn::parse2::<SchemaMacroArgs>(input) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error(),
    };
    let span = args.path.span();
    let relative = args.path.value();
    let path = manifest_dir.join(&relative);
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let location = SchemaLocation { name, path };
    let includes = includes(&location);
    match load_location(&location, manifest_dir) {
        Ok(schema) => {
            let module = generate_module(&schema, &args.settings);
            quote! {
                #module
                #includes
            }
        }
        Err(diagnostics) => {
            let message = format!(
                "schema `{relative}` has errors:\n{}",
                diagnostics.to_short_string().trim_end()
            );
            quote_spanned! {span=>
                ::core::compile_error!(#message);
                #includes
            }
        }
    }
}

/// `const _: &[u8] = include_bytes!("<absolute path>");` for each YAML file that exists.
fn includes(location: &SchemaLocation) -> TokenStream {
    let files: Vec<PathBuf> = location.files().unwrap_or_default();
    let consts = files.iter().filter(|f| f.is_file()).map(|f| {
        let path = f.to_string_lossy().into_owned();
        let path = LitStr::new(&path, Span::call_site());
        quote!(
            const _: &[u8] = ::core::include_bytes!(#path);
        )
    });
    quote!(#(#consts)*)
}
