//! A time-bounded fuzz loop over the loader, the SQL fragment parser, the planner and the
//! renderers: random edits of the seed schemas and of the hostile fixture (YAML noise, hostile
//! SQL, names with line breaks and markers) must never panic. Inputs that reach an outcome not
//! seen before in the run (a new set of error codes, or a loaded schema of a new shape and
//! plan size) are kept under `tests/fixtures/fuzz/` as regression fixtures, which every
//! `cargo test` replays.
//!
//! `cargo xtask fuzz --minutes N` runs the long loop (`fuzz_for_a_while`, ignored by default);
//! `cargo test` runs a short fixed-seed loop and the kept fixtures.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use strata::load::{SourceText, load_sources};
use strata::plan::{Consent, PlanOptions, plan};

const SEEDS: &[&str] = &[
    include_str!("../../../schemas/creator_site.yaml"),
    include_str!("../../../schemas/freddy.yaml"),
    include_str!("../../../schemas/hexabot.yaml"),
    include_str!("../../../schemas/agent_platform.yaml"),
    include_str!("../../../tests/fixtures/hostile/hostile.yaml"),
];

const NOISE: &[&str] = &[
    ":",
    "-",
    " ",
    "\n",
    "{",
    "}",
    "[",
    "]",
    "?",
    "'",
    "\"",
    "#",
    "text",
    "uuid",
    "é",
    "\t",
    "null",
    "0",
    ";",
    "$$",
    "$q$",
    "E'\\''",
    "--",
    "/*",
    "*/",
    "(",
    ")",
    ",",
    "\\n",
    "-- strata:statement",
    " check: \"a > 0; DROP TABLE x\"",
    " default_sql: \"now())\"",
    " default_sql: \"$$x$$\"",
    " backfill: \"(SELECT 1)\"",
    " where: \"a IS NOT NULL\"",
    "varchar(3)",
    "numeric(4,2)",
    "bigint",
    "integer",
    " nullable: true",
    " unique: true",
    " primary_key: true",
    " identity: always",
    " renamed_from: x",
    " desc",
    " using: gin",
    " on_delete: cascade",
    " references: users",
];

/// xorshift64*: deterministic for a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(6) {
        if s.is_empty() {
            break;
        }
        let at = rng.below(s.len());
        let end = (at + rng.below(8)).min(s.len());
        let noise = NOISE[rng.below(NOISE.len())];
        s.splice(at..end, noise.chars());
    }
    s.into_iter().collect()
}

fn load(text: &str) -> Result<strata::Schema, strata::Diagnostics> {
    load_sources(
        "fuzz",
        false,
        vec![SourceText {
            path: "schemas/fuzz.yaml".into(),
            text: text.into(),
        }],
    )
}

/// Everything downstream of a load, for one input; returns a summary of what happened.
fn exercise(text: &str) -> String {
    match load(text) {
        Err(d) => {
            let codes: BTreeSet<&str> = d.items.iter().map(|i| i.code.as_str()).collect();
            let _ = d.render(false);
            format!("refused {codes:?}")
        }
        Ok(schema) => {
            let _ = strata::render::sql::schema_sql(&schema);
            let _ = strata::render::rust::render_module(&schema);
            let empty = strata::history::empty_schema("fuzz");
            let mut outcome = format!(
                "loaded tables:{} enums:{} fragments:{}",
                schema.tables.len().min(4),
                schema.enums.len().min(2),
                schema
                    .tables
                    .iter()
                    .map(|t| t.checks.len()
                        + t.indexes.iter().filter(|i| i.predicate.is_some()).count())
                    .sum::<usize>()
                    .min(3)
            );
            for (a, b) in [(&empty, &schema), (&schema, &empty)] {
                match plan(a, b, &PlanOptions::default().consent(Consent::all())) {
                    Ok(p) => {
                        let _ = p.review();
                        let _ = p.migrations("-- fuzz\n", "5s");
                        outcome.push_str(&format!(" plan:{}", p.steps.len().min(3)));
                    }
                    Err(e) => {
                        outcome.push_str(&format!(" plan-error:{}", e.to_string().len().min(1)))
                    }
                }
            }
            outcome
        }
    }
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/fuzz")
}

/// How long [`fuzz`] runs: for a time (the long run), or for a number of inputs (the short run
/// in the suite, the same inputs on every machine whatever its load).
enum Budget {
    Time(std::time::Duration),
    Inputs(usize),
}

/// Runs the loop; returns the number of inputs tried. A panic is reported with its input (and
/// the input saved beside the fixtures as `panic-*.yaml`).
fn fuzz(seed: u64, budget: Budget, keep: bool) -> usize {
    let start = std::time::Instant::now();
    let mut rng = Rng(seed | 1);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut tried = 0usize;
    while match budget {
        Budget::Time(t) => start.elapsed() < t,
        Budget::Inputs(n) => tried < n,
    } {
        let base = SEEDS[rng.below(SEEDS.len())];
        let mut text = mutate(&mut rng, base);
        // Sometimes mutate again, from what the last round made.
        if rng.below(3) == 0 {
            text = mutate(&mut rng, &text);
        }
        tried += 1;
        let result = std::panic::catch_unwind(|| exercise(&text));
        match result {
            Ok(outcome) => {
                if keep && seen.insert(outcome.clone()) {
                    let hash = strata::history::checksum(&text);
                    let _ =
                        std::fs::write(fixtures_dir().join(format!("{}.yaml", &hash[..16])), &text);
                }
            }
            Err(_) => {
                let hash = strata::history::checksum(&text);
                let path = fixtures_dir().join(format!("panic-{}.yaml", &hash[..16]));
                let _ = std::fs::write(&path, &text);
                panic!(
                    "a panic on input saved as {} (seed {seed}, input {tried})",
                    path.display()
                );
            }
        }
    }
    tried
}

#[test]
fn a_short_fixed_seed_fuzz_run_never_panics() {
    let n = fuzz(20_261_201, Budget::Inputs(200), false);
    assert_eq!(n, 200);
}

#[test]
fn kept_fuzz_inputs_never_panic() {
    let mut n = 0;
    for entry in std::fs::read_dir(fixtures_dir()).expect("tests/fixtures/fuzz") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "yaml") {
            let text = std::fs::read_to_string(&path).expect("read");
            exercise(&text);
            n += 1;
        }
    }
    assert!(n > 0, "no kept fuzz inputs");
}

/// The long run: `cargo xtask fuzz --minutes N` (STRATA_FUZZ_MINUTES, STRATA_FUZZ_SEED).
#[test]
#[ignore = "long; run with cargo xtask fuzz --minutes N"]
fn fuzz_for_a_while() {
    let minutes: u64 = std::env::var("STRATA_FUZZ_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let seed: u64 = std::env::var("STRATA_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(1)
        });
    let n = fuzz(
        seed,
        Budget::Time(std::time::Duration::from_secs(minutes * 60)),
        true,
    );
    println!("fuzz: seed {seed}, {n} inputs in {minutes} min, 0 panics");
}
