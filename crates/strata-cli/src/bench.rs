//! `cargo xtask bench`: every benchmark of the repository (criterion, through `cargo bench`),
//! the time of a whole `cargo xtask check` process on the seeds, then the phase table: for
//! synthetic schemas of 100, 1,000 and 10,000 tables (`strata::synthetic`), the time of the work
//! of `codegen`, `check` with nothing to do (on a project written to a temporary folder and
//! generated there, as the command runs it; and `check --full`, which renders everything), and
//! `plan` of one added column, against the floor (serde_yaml parsing the same YAML into a
//! `Value`). `--write-project DIR --tables N` writes such a project to time whole commands on.
//! See docs/performance.md.
//!
//! The table is measured in-process over the core library, in a release build: a debug `cargo
//! xtask` runs `cargo run --release -p strata-cli --bin strata -- bench --phases-only` for it.

use crate::workspace;
use std::process::{Command, ExitCode};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Criterion's quick mode (fewer samples), and fewer repetitions in the phase table.
    #[arg(long)]
    pub quick: bool,
    /// Only the phase table (no criterion, no timing of `cargo xtask check`).
    #[arg(long)]
    pub phases_only: bool,
    /// The synthetic schema sizes of the phase table, in tables.
    #[arg(long, value_delimiter = ',', default_values_t = [100, 1_000, 10_000])]
    pub sizes: Vec<usize>,
    /// Instead of measuring, write a Strata project with one synthetic schema of `--tables`
    /// tables into this folder (`strata.toml`, `schemas/synthetic.yaml`), to time or profile
    /// whole commands on: `STRATA_ROOT=DIR strata codegen`, then `strata check`.
    #[arg(long, value_name = "DIR")]
    pub write_project: Option<std::path::PathBuf>,
    /// The number of tables of `--write-project`.
    #[arg(long, default_value_t = 1_000)]
    pub tables: usize,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.write_project {
        write_project(dir, args.tables)?;
        println!(
            "wrote a project of {} synthetic tables in {}; run `STRATA_ROOT={} strata codegen`",
            args.tables,
            dir.display(),
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let root = workspace::root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if !args.phases_only {
        for (package, what) in [
            (
                "strata-core",
                "loading, Rust and SQL rendering, planning: synthetic 1,000-table schemas",
            ),
            (
                "strata-pg",
                "introspecting a 1,000-table database (builds it first)",
            ),
        ] {
            eprintln!("bench: {package}: {what}");
            let mut cmd = Command::new(&cargo);
            cmd.current_dir(&root).args(["bench", "--package", package]);
            if args.quick {
                cmd.args(["--", "--quick"]);
            }
            let status = cmd.status()?;
            if !status.success() {
                eprintln!("error: `cargo bench -p {package}` failed ({status})");
                return Ok(ExitCode::FAILURE);
            }
        }
        if let Some(code) = time_check_process(&root)? {
            return Ok(code);
        }
    }
    if cfg!(debug_assertions) {
        // Timing unoptimised code says nothing: measure in a release build of this command.
        eprintln!("bench: phases: building the release `strata` command to measure in");
        let sizes = args
            .sizes
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(&root).args([
            "run",
            "--quiet",
            "--release",
            "--package",
            "strata-cli",
            "--bin",
            "strata",
            "--",
            "bench",
            "--phases-only",
            "--sizes",
            &sizes,
        ]);
        if args.quick {
            cmd.arg("--quick");
        }
        let status = cmd.status()?;
        return Ok(if status.success() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    phase_table(&args.sizes, args.quick);
    Ok(ExitCode::SUCCESS)
}

/// Five whole `cargo xtask check` processes on the seeds; `Some` exit code when one fails.
fn time_check_process(root: &std::path::Path) -> anyhow::Result<Option<ExitCode>> {
    let exe = std::env::current_exe()?;
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let out = Command::new(&exe).arg("check").current_dir(root).output()?;
        times.push(start.elapsed().as_secs_f64() * 1e3);
        if !out.status.success() {
            eprintln!(
                "error: `cargo xtask check` failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            return Ok(Some(ExitCode::FAILURE));
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "cargo xtask check (renders everything codegen writes, 5 seeds), whole process: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        times[2], times[0], times[4]
    );
    Ok(None)
}

/// A project with the synthetic schema of `tables` tables and no generated files yet.
fn write_project(dir: &std::path::Path, tables: usize) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir.join("schemas"))?;
    std::fs::write(
        dir.join(strata::project::FILE_NAME),
        "schemas = \"schemas\"\noutput = \"generated\"\n",
    )?;
    std::fs::write(
        dir.join("schemas/synthetic.yaml"),
        strata::synthetic::schema_yaml(tables, 0),
    )?;
    Ok(())
}

/// A project on disk after `codegen` (see [`write_project`]), removed when dropped: what `check`
/// with nothing to do runs on.
struct Project {
    root: std::path::PathBuf,
    project: strata::project::Project,
}

impl Project {
    fn generated(tables: usize) -> Project {
        let root =
            std::env::temp_dir().join(format!("strata-bench-{tables}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        write_project(&root, tables).expect("write the project");
        let project = strata::project::Project::load(&root).expect("strata.toml");
        let schemas = strata::pipeline::load_all(&root, &project).expect("the schema loads");
        let request = strata::pipeline::Request::default();
        let outputs = strata::pipeline::outputs(&root, &project, &schemas, &request)
            .unwrap_or_else(|e| panic!("codegen: {} problems", e.len()));
        strata::pipeline::write::apply(&root, &project, &outputs, false).expect("codegen writes");
        Project { root, project }
    }

    /// `check` with nothing to do, as the command runs it: the fingerprint matches.
    fn check(&self) -> bool {
        strata::pipeline::fingerprint::unchanged(&self.root, &self.project)
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// What one size is measured on, prepared before the clock starts.
struct Inputs {
    yaml: String,
    yaml_added: String,
    /// The snapshot of the last migration (JSON), equal to the schema: `check` finds nothing.
    snapshot: String,
    /// What codegen writes for the schema (Rust, SQL, docs), as on disk after a codegen.
    on_disk: [String; 3],
}

fn load(yaml: &str) -> strata::Schema {
    strata::load::load_sources(
        "synthetic",
        false,
        vec![strata::load::SourceText {
            path: "schemas/synthetic.yaml".into(),
            text: yaml.to_string(),
        }],
    )
    .unwrap_or_else(|d| panic!("the synthetic schema does not load:\n{}", d.render(false)))
}

/// `codegen`'s work: load, then the Rust module, the DDL and the docs page.
fn codegen(yaml: &str) -> [String; 3] {
    let schema = load(yaml);
    [
        strata::render::rust::render_module(&schema),
        strata::render::sql::schema_sql(&schema),
        strata::render::docs::readme(&schema),
    ]
}

/// `check --full` with nothing to do: load, read the last snapshot, plan (nothing), render
/// everything and compare it with the files.
fn check_full(inputs: &Inputs) -> bool {
    let from = strata::history::parse_snapshot(&inputs.snapshot).expect("the snapshot parses");
    let rendered = codegen(&inputs.yaml);
    let schema = load(&inputs.yaml);
    let plan = strata::plan::plan(&from, &schema, &strata::plan::PlanOptions::default())
        .expect("an empty plan");
    plan.is_empty() && rendered == inputs.on_disk
}

/// `plan` of one added column: load, read the last snapshot, plan, print the migration.
fn plan_added(inputs: &Inputs) -> usize {
    let from = strata::history::parse_snapshot(&inputs.snapshot).expect("the snapshot parses");
    let schema = load(&inputs.yaml_added);
    let options = strata::plan::PlanOptions::default();
    let plan = strata::plan::plan(&from, &schema, &options).expect("adding a column is safe");
    let header = strata::render::header("--", "schemas/synthetic.yaml");
    plan.migrations(&header, &options.lock_timeout)
        .iter()
        .map(|m| m.sql.len())
        .sum()
}

/// The median of `reps` runs of `f`, in milliseconds.
fn median_ms<T>(reps: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The peak resident set of this process so far (Linux), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn phase_table(sizes: &[usize], quick: bool) {
    println!(
        "\nPhases, measured in-process over the core library (release build, Rust rendered on \
         rayon's threads; file I/O only in `check`, which reads the project written and generated \
         in a temporary folder), median of {} runs (fewer at 10,000 tables); ratio = time / floor:\n",
        if quick { 1 } else { 5 }
    );
    println!(
        "| tables | YAML MB | floor: serde_yaml → Value | codegen (load + Rust, SQL, docs) | check, nothing to do | check --full, nothing to do | plan, one added column | peak RSS so far |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut sizes = sizes.to_vec();
    // Ascending, so the peak RSS after a size is that size's peak.
    sizes.sort_unstable();
    for n in sizes {
        let reps = match (quick, n) {
            (true, _) => 1,
            (false, n) if n >= 10_000 => 3,
            _ => 5,
        };
        let yaml = strata::synthetic::schema_yaml(n, 0);
        let schema = load(&yaml);
        let inputs = Inputs {
            yaml_added: strata::synthetic::schema_yaml_one_added_column(n),
            snapshot: strata::history::snapshot_text(&schema).expect("a snapshot"),
            on_disk: codegen(&yaml),
            yaml,
        };
        drop(schema);
        assert!(check_full(&inputs), "check finds nothing to do");
        let project = Project::generated(n);
        assert!(project.check(), "the fingerprint of a codegen matches");
        assert!(plan_added(&inputs) > 0, "one added column is one migration");
        let floor = median_ms(reps, || strata::synthetic::parse_floor(&inputs.yaml));
        let codegen_ms = median_ms(reps, || codegen(&inputs.yaml));
        let check_ms = median_ms(reps, || project.check());
        let check_full_ms = median_ms(reps, || check_full(&inputs));
        let plan_ms = median_ms(reps, || plan_added(&inputs));
        let cell = |ms: f64| format!("{ms:.0} ms ({:.1}×)", ms / floor);
        println!(
            "| {n} | {:.1} | {floor:.0} ms | {} | {} | {} | {} | {} |",
            inputs.yaml.len() as f64 / 1e6,
            cell(codegen_ms),
            cell(check_ms),
            cell(check_full_ms),
            cell(plan_ms),
            peak_rss_mb().map_or_else(|| "n/a".into(), |mb| format!("{mb:.0} MB")),
        );
    }
}
