//! `cargo xtask import`: write a schema file from an existing database.
//!
//! Introspects the database (`strata_pg::introspect`), writes its schema YAML as a person
//! would (`strata::render::yaml::schema_yaml`), and checks that the loader reads it back before
//! anything is written. Objects the schema language cannot express are listed, never dropped
//! silently. An existing file is replaced only with `--force`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use strata_pg::introspect::{Options, introspect};

const EXAMPLES: &str = "\
Examples:
  cargo xtask import --database-url postgresql://app@localhost/shop --out schemas/shop.yaml
  cargo xtask import --database-url 'host=/var/run/postgresql dbname=crm' --out schemas/crm.yaml --force

The file's stem names the database in Strata (a snake_case word). The YAML is checked with the
loader before it is written; a database the schema language cannot fully describe (a table
without a primary key, …) is reported and nothing is written unless --write-invalid.";

/// Write `schemas/<db>.yaml` from a live database.
#[derive(clap::Args, Debug)]
#[command(after_long_help = EXAMPLES)]
pub struct Args {
    /// The database to read: `postgresql://user:password@host:port/dbname` or `key=value`
    /// form (no TLS).
    #[arg(long, value_name = "URL")]
    database_url: String,
    /// The schema file to write, e.g. `schemas/shop.yaml`.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
    /// The PostgreSQL schema (namespace) to read.
    #[arg(long, value_name = "NAME", default_value = "public")]
    pg_schema: String,
    /// Write the file even when the loader does not accept it yet (to fix it by hand).
    #[arg(long)]
    write_invalid: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let name = database_name(&args.out)?;
    if args.out.exists() && !args.force {
        bail!("{} exists; pass --force to replace it", args.out.display());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    let found = runtime.block_on(async {
        let client = crate::database::connect(&args.database_url, "cargo xtask import").await?;
        eprintln!("reading the catalog…");
        // One consistent snapshot of the catalog.
        client
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        let found = introspect(
            &client,
            &Options::new().schema(&args.pg_schema).name(name.clone()),
        )
        .await
        .map_err(|e| anyhow!("{e}"));
        client.batch_execute("ROLLBACK").await?;
        found
    })?;

    let yaml = strata::render::yaml::schema_yaml(&found.schema);
    for i in &found.ignored {
        eprintln!("not imported: {i}");
    }
    for e in &found.extension_owned {
        eprintln!("skipped as the extension's (`extensions:` creates them): {e}");
    }
    let display = args.out.display().to_string();
    let loads = strata::load::load_sources(
        &name,
        false,
        vec![strata::load::SourceText {
            path: display.clone(),
            text: yaml.clone(),
        }],
    );
    if let Err(d) = &loads {
        eprint!("{}", d.render(false));
        if !args.write_invalid {
            eprintln!(
                "error: the schema read from the database does not load yet (above); nothing was written. \
                 Fix the database, or pass --write-invalid to write {display} and fix it by hand."
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    write_file(&args.out, &yaml)?;
    println!(
        "wrote {display}: {} tables, {} enums{}",
        found.schema.tables.len(),
        found.schema.enums.len(),
        if found.ignored.is_empty() {
            String::new()
        } else {
            format!(
                "; {} object(s) not imported (listed above)",
                found.ignored.len()
            )
        }
    );
    Ok(if loads.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The database name Strata gives the file: its stem, a snake_case word.
fn database_name(out: &Path) -> anyhow::Result<String> {
    let stem = out
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| anyhow!("--out {} has no file name", out.display()))?;
    if out.extension().is_none_or(|x| x != "yaml" && x != "yml") {
        bail!(
            "--out {} must be a .yaml file, e.g. schemas/{stem}.yaml",
            out.display()
        );
    }
    let snake = stem.starts_with(|c: char| c.is_ascii_lowercase())
        && stem
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !snake {
        bail!(
            "the file name names the database and must be a snake_case word, e.g. schemas/my_shop.yaml"
        );
    }
    Ok(stem.to_string())
}

/// Writes through a temporary file and a rename, so a failure never leaves half a file.
fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = path.with_extension("yaml.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_names_the_database() {
        assert_eq!(
            database_name(Path::new("schemas/shop.yaml")).expect("ok"),
            "shop"
        );
        assert!(database_name(Path::new("schemas/My-Shop.yaml")).is_err());
        assert!(database_name(Path::new("schemas/shop.json")).is_err());
    }

    /// The command end to end on a throwaway database: written once, refused the second time
    /// without --force, and the file loads.
    #[test]
    fn imports_a_database_and_refuses_to_overwrite() {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let db = runtime.block_on(strata_testkit::TestDb::with_sql(
            "CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL, tags text[] NOT NULL DEFAULT '{}');
             COMMENT ON TABLE notes IS 'Things to remember.';
             CREATE VIEW note_count AS SELECT count(*) FROM notes;",
        ));
        let dir = std::env::temp_dir().join(format!("strata-import-{}", std::process::id()));
        let out = dir.join("notes_db.yaml");
        let _ = std::fs::remove_file(&out);
        let args = Args {
            database_url: db.url.clone(),
            out: out.clone(),
            force: false,
            pg_schema: "public".into(),
            write_invalid: false,
        };
        assert_eq!(run(&args).expect("import"), ExitCode::SUCCESS);
        let yaml = std::fs::read_to_string(&out).expect("written");
        assert!(yaml.starts_with(strata::render::yaml::MODELINE), "{yaml}");
        assert!(yaml.contains("  notes:\n    description: Things to remember.\n    columns:\n      id: { type: bigint, primary_key: true, identity: always }\n      body: text\n      tags: { type: \"text[]\", default: [] }\n"), "{yaml}");
        let again = run(&args).expect_err("refused");
        assert!(again.to_string().contains("pass --force"), "{again}");
        assert_eq!(
            run(&Args {
                force: true,
                ..args
            })
            .expect("import"),
            ExitCode::SUCCESS
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
