//! The fixtures: one file per case under `tests/fixtures/pairs/`, and the PENDING list.

use std::collections::BTreeMap;
use std::path::Path;

use super::run::STEPS;

/// One pair of schemas. The file `NNN_name.sql` holds free comment lines, a line `-- A`, A's
/// SQL, a line `-- B`, and B's SQL.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub a: String,
    pub b: String,
}

/// Every `*.sql` file of `dir`, in name order.
pub fn cases(dir: &Path) -> Result<Vec<Case>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    files.iter().map(|p| parse(p)).collect()
}

fn parse(path: &Path) -> Result<Case, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| format!("{}: not a UTF-8 name", path.display()))?
        .to_string();
    let mut sides: [Option<String>; 2] = [None, None];
    let mut current: Option<usize> = None;
    for line in text.lines() {
        match (line.trim_end(), current) {
            ("-- A", None) => {
                current = Some(0);
                sides[0] = Some(String::new());
            }
            ("-- B", Some(0)) => {
                current = Some(1);
                sides[1] = Some(String::new());
            }
            ("-- A" | "-- B", _) => {
                return Err(format!(
                    "{}: `{line}` out of place; write `-- A` once, then `-- B` once",
                    path.display()
                ));
            }
            (_, Some(i)) => {
                let side = sides[i].get_or_insert_with(String::new);
                side.push_str(line);
                side.push('\n');
            }
            (_, None) => {}
        }
    }
    let [Some(a), Some(b)] = sides else {
        return Err(format!(
            "{}: a case needs a line `-- A` and, after it, a line `-- B`",
            path.display()
        ));
    };
    Ok(Case { name, a, b })
}

/// The cases expected to fail today: case name -> (the first step that fails, the cause).
pub fn pending(path: &Path) -> Result<BTreeMap<String, (String, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.splitn(3, char::is_whitespace);
        let (Some(case), Some(step), Some(cause)) = (words.next(), words.next(), words.next())
        else {
            return Err(format!(
                "PENDING:{}: write `case step cause`, e.g. `012_gen_column import generated column not imported`",
                n + 1
            ));
        };
        if !STEPS.contains(&step) {
            return Err(format!(
                "PENDING:{}: `{step}` is not a step; the steps are {}",
                n + 1,
                STEPS.join(", ")
            ));
        }
        if out
            .insert(
                case.to_string(),
                (step.to_string(), cause.trim().to_string()),
            )
            .is_some()
        {
            return Err(format!("PENDING:{}: {case} is listed twice", n + 1));
        }
    }
    Ok(out)
}
