//! One pair of SQL schemas through every step of the round trip.

use std::fmt::Debug;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use strata::Schema;
use strata::plan::{Consent, PlanOptions, plan};
use strata_pg::introspect::{Introspected, Options, introspect};
use strata_pg::{MigrateOptions, Migrations, migrate};
use strata_server_tests::catalog::{Database, comparable_database, read_database};
use strata_testkit::TestDb;

use super::case::Case;

/// The steps of a case, in the order they run. `setup` (building A and B from their SQL) is
/// not one of them: a failure there is a broken fixture, never a pending feature.
pub const STEPS: [&str; 5] = ["import", "a_to_b", "b_to_a", "replan", "yaml"];

/// What a case has done so far, shared with the test so that a panic inside Strata is still
/// reported against the step that was running.
#[derive(Debug, Default)]
pub struct Progress {
    pub running: &'static str,
    pub results: Vec<(&'static str, Result<(), String>)>,
}

impl Progress {
    fn start(shared: &Mutex<Progress>, step: &'static str) {
        shared.lock().expect("progress lock").running = step;
    }

    fn finish(shared: &Mutex<Progress>, step: &'static str, result: Result<(), String>) {
        shared
            .lock()
            .expect("progress lock")
            .results
            .push((step, result));
    }
}

/// Whether the planned migrations ran to the end on A's and on B's database.
#[derive(Debug, Default, Clone, Copy)]
struct Applied {
    a: bool,
    b: bool,
}

/// A database built from one side's SQL, what it held before any migration, and its import.
struct Side {
    label: &'static str,
    db: TestDb,
    catalog: Database,
    imported: Result<Introspected, String>,
}

/// Runs every step of `case`, recording each result in `progress`. An `Err` is a setup
/// failure (the fixture's SQL does not apply or its catalog cannot be read).
pub async fn run(case: Case, progress: Arc<Mutex<Progress>>) -> Result<(), String> {
    Progress::start(&progress, "setup");
    let mut a = side("A", &case.a).await?;
    let mut b = side("B", &case.b).await?;
    if a.catalog == b.catalog {
        return Err("A and B give the same catalog; a pair must differ".into());
    }

    Progress::start(&progress, "import");
    let import = [&a, &b]
        .iter()
        .map(|s| match &s.imported {
            Err(e) => Err(format!("{}: {e}", s.label)),
            Ok(i) if !i.ignored.is_empty() => Err(format!(
                "{}: introspection ignored:\n  {}",
                s.label,
                i.ignored
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n  ")
            )),
            Ok(_) => Ok(()),
        })
        .filter_map(Result::err)
        .collect::<Vec<_>>();
    Progress::finish(&progress, "import", joined(import));

    let model_a = a.imported.as_ref().map(|i| i.schema.clone()).ok();
    let model_b = b.imported.as_ref().map(|i| i.schema.clone()).ok();
    let catalog_a = a.catalog.clone();
    let catalog_b = b.catalog.clone();

    // A's database migrated to B, then B's to A.
    Progress::start(&progress, "a_to_b");
    let mut applied = Applied::default();
    let a_to_b = migrate_to(
        &case.name,
        "a_to_b",
        &mut a,
        &model_a,
        &model_b,
        &catalog_b,
        &mut applied.a,
    )
    .await;
    Progress::finish(&progress, "a_to_b", a_to_b);
    Progress::start(&progress, "b_to_a");
    let b_to_a = migrate_to(
        &case.name,
        "b_to_a",
        &mut b,
        &model_b,
        &model_a,
        &catalog_a,
        &mut applied.b,
    )
    .await;
    Progress::finish(&progress, "b_to_a", b_to_a);

    // Each migrated database read back again must need nothing more to reach its target.
    Progress::start(&progress, "replan");
    let mut replan = Vec::new();
    for (what, db, applied, target) in [
        ("A -> B", &a, applied.a, &model_b),
        ("B -> A", &b, applied.b, &model_a),
    ] {
        if let Err(e) = replan_is_empty(db, applied, target).await {
            replan.push(format!("{what}: {e}"));
        }
    }
    Progress::finish(&progress, "replan", joined(replan));

    // Each side's import, written as YAML, loaded and rendered as DDL, rebuilds the side.
    Progress::start(&progress, "yaml");
    let mut yaml = Vec::new();
    for (label, model, catalog) in [("A", &model_a, &catalog_a), ("B", &model_b, &catalog_b)] {
        if let Err(e) = rebuild_from_yaml(model, catalog).await {
            yaml.push(format!("{label}: {e}"));
        }
    }
    Progress::finish(&progress, "yaml", joined(yaml));

    // Hundreds of databases would otherwise stay on the cluster until the process ends.
    Progress::start(&progress, "cleanup");
    a.db.drop_database().await;
    b.db.drop_database().await;
    Ok(())
}

fn joined(errors: Vec<String>) -> Result<(), String> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn server_message(e: &tokio_postgres::Error) -> String {
    strata_pg::db_error_message(e)
}

/// Milliseconds spent creating databases, summed over all cases (they overlap in time).
pub static CREATING_MS: AtomicU64 = AtomicU64::new(0);

/// A fresh database with `sql` applied in one transaction.
async fn fresh(sql: &str) -> Result<TestDb, String> {
    let started = Instant::now();
    let mut db = TestDb::new().await;
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    CREATING_MS.fetch_add(ms, Ordering::Relaxed);
    let tx = db
        .client
        .transaction()
        .await
        .map_err(|e| server_message(&e))?;
    tx.batch_execute(sql)
        .await
        .map_err(|e| server_message(&e))?;
    tx.commit().await.map_err(|e| server_message(&e))?;
    Ok(db)
}

async fn catalog(db: &TestDb) -> Result<Database, String> {
    read_database(&db.client)
        .await
        .map(comparable_database)
        .map_err(|e| format!("reading the catalog: {}", server_message(&e)))
}

async fn import(db: &TestDb) -> Result<Introspected, String> {
    introspect(&db.client, &Options::new().name("pairs"))
        .await
        .map_err(|e| format!("introspection failed: {e}"))
}

async fn side(label: &'static str, sql: &str) -> Result<Side, String> {
    let db = fresh(sql)
        .await
        .map_err(|e| format!("{label}.sql does not apply: {e}"))?;
    let catalog = catalog(&db).await?;
    let imported = import(&db).await;
    Ok(Side {
        label,
        db,
        catalog,
        imported,
    })
}

/// A readable difference between two values' pretty debug forms, or `None` if they are equal.
pub fn difference<T: PartialEq + Debug>(expected: &T, actual: &T) -> Option<String> {
    if expected == actual {
        return None;
    }
    let (e, a) = (format!("{expected:#?}"), format!("{actual:#?}"));
    let diff = similar::TextDiff::from_lines(&e, &a);
    let text = diff
        .unified_diff()
        .context_radius(4)
        .header("expected", "actual")
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    const MAX: usize = 80;
    if lines.len() > MAX {
        Some(format!(
            "{}\n… {} more lines",
            lines[..MAX].join("\n"),
            lines.len() - MAX
        ))
    } else {
        Some(text)
    }
}

/// Plans `from` -> `to` with consent to everything, applies the plan to `side`'s database with
/// Strata's runner, and compares its catalog with `target`.
/// `applied` is set once the migrations have run, whether or not the catalog then matches.
#[allow(clippy::too_many_arguments)]
async fn migrate_to(
    case: &str,
    direction: &str,
    side: &mut Side,
    from: &Option<Schema>,
    to: &Option<Schema>,
    target: &Database,
    applied: &mut bool,
) -> Result<(), String> {
    let (Some(from), Some(to)) = (from, to) else {
        return Err("not run: a side was not imported".into());
    };
    let options = PlanOptions::default().consent(Consent::all());
    let p = plan(from, to, &options).map_err(|e| format!("plan failed: {e}"))?;
    // An empty plan is not an error in itself: the catalog comparison below shows what it missed.
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "strata-pairs-{}-{case}-{direction}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let header = strata::render::header("--", "roundtrip pair");
    for (i, m) in p.migrations(&header, "5s").into_iter().enumerate() {
        let file = dir.join(format!("V{}__{}.sql", i + 1, m.suggested_name));
        std::fs::write(&file, &m.sql).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    let set = Migrations::from_dir(&dir).map_err(|e| format!("migrations do not load: {e}"))?;
    let ran = migrate(&mut side.db.client, &set, &MigrateOptions::default()).await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = ran {
        return Err(format!(
            "applying the plan failed: {e}\nplan:\n{}",
            p.review()
        ));
    }
    *applied = true;
    let now = catalog(&side.db).await?;
    match difference(target, &now) {
        None => Ok(()),
        Some(d) => Err(format!(
            "the migrated catalog differs from the target's (expected = target):\n{d}\nplan:\n{}",
            p.review()
        )),
    }
}

/// After a migration that ran, the database read back again and planned against the target
/// model must give an empty plan.
async fn replan_is_empty(
    side: &Side,
    applied: bool,
    target: &Option<Schema>,
) -> Result<(), String> {
    if !applied {
        return Err("not run: the migration did not apply".into());
    }
    let Some(target) = target else {
        return Err("not run: the target was not imported".into());
    };
    let now = import(&side.db).await?;
    let options = PlanOptions::default().consent(Consent::all());
    let p = plan(&now.schema, target, &options).map_err(|e| format!("plan failed: {e}"))?;
    if p.is_empty() {
        Ok(())
    } else {
        Err(format!("the plan is not empty:\n{}", p.review()))
    }
}

/// The import written as schema YAML, loaded with the real loader, rendered with `schema_sql`
/// and applied to an empty database must give the side's catalog.
async fn rebuild_from_yaml(model: &Option<Schema>, expected: &Database) -> Result<(), String> {
    let Some(model) = model else {
        return Err("not run: the side was not imported".into());
    };
    let yaml = strata::render::yaml::schema_yaml(model);
    let loaded = strata::load::load_sources(
        "pairs",
        false,
        vec![strata::load::SourceText {
            path: "schemas/pairs.yaml".into(),
            text: yaml.clone(),
        }],
    )
    .map_err(|d| format!("the YAML does not load:\n{}\n{yaml}", d.render(false)))?;
    let sql = strata::render::sql::schema_sql(&loaded);
    let db = fresh(&sql)
        .await
        .map_err(|e| format!("schema_sql of the loaded YAML does not apply: {e}\n{sql}"))?;
    let got = catalog(&db).await;
    db.drop_database().await;
    match difference(expected, &got?) {
        None => Ok(()),
        Some(d) => Err(format!(
            "the rebuilt catalog differs (expected = the side's):\n{d}\nYAML:\n{yaml}"
        )),
    }
}
