//! Checking docs pages in headless Chromium: every Mermaid diagram drawn as SVG, no Mermaid
//! error, and a screenshot of each page.
//!
//! A page of the docs site reports how its diagrams went in `#strata-mermaid-status` (see
//! `strata::render::docs::site`). [`check_page`] loads the page in Chromium, lets it run for a
//! virtual-time budget, reads the DOM Chromium dumps and judges it on that report and on the DOM
//! itself: an `<svg>` inside every `pre.mermaid`, and no "Syntax error" text from Mermaid.
//! Nothing here skips: a missing Chromium is an error that says what to install.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The repository root.
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.join("../..").canonicalize().unwrap_or(manifest)
}

/// Debian's Chromium, or an error naming the package to install.
///
/// The test never installs it: that is the machine's set-up (`.ci/run` installs Chromium when it
/// is missing, and the README names the package). Without it the tests fail; they never skip.
pub fn chromium() -> Result<PathBuf, String> {
    find_chromium().ok_or_else(|| {
        "Chromium is not installed; the docs-site tests need it: `apt-get install -y chromium` (Debian package `chromium`; `.ci/run` installs it)"
            .to_string()
    })
}

fn find_chromium() -> Option<PathBuf> {
    let debian = PathBuf::from("/usr/bin/chromium");
    if debian.is_file() {
        return Some(debian);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("chromium"))
            .find(|p| p.is_file())
    })
}

/// What Chromium saw on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageReport {
    /// The page script finished (`data-state="done"`).
    pub done: bool,
    /// Diagrams on the page, as the page script counted them.
    pub diagrams: usize,
    /// Diagrams the page script saw drawn as SVG.
    pub rendered: usize,
    /// Errors the page script caught (Mermaid parse or render errors).
    pub errors: usize,
    /// The page script's error messages.
    pub messages: String,
    /// `pre.mermaid` blocks in the DOM, and how many of them hold an `<svg>`.
    pub blocks: usize,
    pub blocks_with_svg: usize,
    /// Mermaid's error diagram text ("Syntax error in text") appears in the DOM.
    pub syntax_error_text: bool,
}

impl PageReport {
    /// Everything wrong with the page; empty when every diagram was drawn without error.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.done {
            out.push("the page script did not finish (Mermaid did not load or hung)".to_string());
        }
        if self.errors > 0 {
            out.push(format!(
                "{} Mermaid error(s): {}",
                self.errors, self.messages
            ));
        }
        if self.rendered != self.diagrams {
            out.push(format!(
                "{} of {} diagrams drawn",
                self.rendered, self.diagrams
            ));
        }
        if self.blocks != self.diagrams || self.blocks_with_svg != self.blocks {
            out.push(format!(
                "{} of {} mermaid blocks in the DOM hold an <svg>",
                self.blocks_with_svg, self.blocks
            ));
        }
        if self.syntax_error_text {
            out.push("Mermaid's \"Syntax error\" text is on the page".to_string());
        }
        out
    }
}

/// The flags every Chromium run gets: headless, no sandbox (root in CI), nothing from the
/// network, a fresh profile.
fn base_command(chromium: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--allow-file-access-from-files",
        "--virtual-time-budget=10000",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// A fresh, empty profile folder for one Chromium run.
struct Profile(PathBuf);

impl Profile {
    fn new() -> Result<Self, String> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "strata-chromium-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(Profile(dir))
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs Chromium with `args` after the base flags and returns its stdout; a run that takes
/// longer than `limit` is killed.
fn run(chromium: &Path, args: &[String], limit: Duration) -> Result<String, String> {
    let profile = Profile::new()?;
    let mut child = base_command(chromium, &profile.0)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", chromium.display()))?;
    // Read both pipes on threads so a chatty Chromium cannot block on a full pipe.
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "Chromium took longer than {}s and was stopped",
                    limit.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(format!("waiting for Chromium: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        return Err(format!("Chromium failed ({status}):\n{stderr}"));
    }
    Ok(stdout)
}

fn file_url(page: &Path) -> String {
    format!("file://{}", page.display())
}

const LIMIT: Duration = Duration::from_secs(90);

/// Loads `page` in headless Chromium and reports on its diagrams.
pub fn check_page(chromium: &Path, page: &Path) -> Result<PageReport, String> {
    let dom = run(chromium, &["--dump-dom".to_string(), file_url(page)], LIMIT)?;
    Ok(parse_dom(&dom))
}

/// Saves a PNG screenshot of `page` (1400 × 3000 pixels) at `png`.
pub fn screenshot(chromium: &Path, page: &Path, png: &Path) -> Result<(), String> {
    if let Some(dir) = png.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let _ = std::fs::remove_file(png);
    run(
        chromium,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1400,3000".to_string(),
            file_url(page),
        ],
        LIMIT,
    )?;
    if !png.is_file() {
        return Err(format!("Chromium wrote no screenshot at {}", png.display()));
    }
    Ok(())
}

/// Reads the page script's report and the diagram blocks from a dumped DOM.
pub fn parse_dom(dom: &str) -> PageReport {
    let mut report = PageReport::default();
    if let Some(start) = dom.find("id=\"strata-mermaid-status\"") {
        let tag_start = dom[..start].rfind('<').unwrap_or(start);
        let tag_end = dom[start..].find('>').map_or(dom.len(), |i| start + i);
        let tag = &dom[tag_start..tag_end];
        let attr = |name: &str| -> Option<String> {
            let key = format!("{name}=\"");
            let i = tag.find(&key)? + key.len();
            let j = tag[i..].find('"')? + i;
            Some(tag[i..j].to_string())
        };
        let number = |name: &str| attr(name).and_then(|v| v.parse().ok()).unwrap_or(0);
        report.done = attr("data-state").as_deref() == Some("done");
        report.diagrams = number("data-diagrams");
        report.rendered = number("data-rendered");
        report.errors = number("data-errors");
        let close = dom[tag_end..]
            .find("</div>")
            .map_or(dom.len(), |i| tag_end + i);
        report.messages = dom.get(tag_end + 1..close).unwrap_or("").trim().to_string();
    }
    let mut rest = dom;
    while let Some(i) = rest.find("<pre") {
        let after = &rest[i..];
        let tag_end = after.find('>').unwrap_or(after.len());
        let is_mermaid = after[..tag_end].contains("mermaid");
        let close = after.find("</pre>").unwrap_or(after.len());
        if is_mermaid {
            report.blocks += 1;
            if after[..close].contains("<svg") {
                report.blocks_with_svg += 1;
            }
        }
        rest = &after[close.min(after.len())..];
        if rest.len() == after.len() {
            break;
        }
        rest = rest.get(6..).unwrap_or("");
    }
    report.syntax_error_text = dom.contains("Syntax error");
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_report() {
        let dom = r#"<html><body><pre class="mermaid" data-processed="true"><svg id="a"></svg></pre>
<pre class="mermaid"></pre><div id="strata-mermaid-status" data-state="done" hidden="" data-diagrams="2" data-rendered="1" data-errors="1">diagram 2: Parse error</div></body></html>"#;
        let r = parse_dom(dom);
        assert!(r.done);
        assert_eq!(
            (
                r.diagrams,
                r.rendered,
                r.errors,
                r.blocks,
                r.blocks_with_svg
            ),
            (2, 1, 1, 2, 1)
        );
        assert_eq!(r.messages, "diagram 2: Parse error");
        assert_eq!(r.problems().len(), 3);
    }
}
