//! Stopping the cluster and removing its directory once the test process is gone.
//!
//! The cluster lives in a `static`, and statics are never dropped; a test process also ends
//! through panics, `abort` or `SIGKILL`. So a detached `sh` loop watches the test process's pid
//! and cleans up after it, whatever way it ended.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use crate::run_as::{RunAs, sh_quote};

/// Spawns the watchdog for the cluster in `dir` (which need not hold a server yet).
pub(crate) fn spawn(run_as: &RunAs, pg_ctl: &str, dir: &str) -> Result<(), String> {
    let stop = run_as.shell_command(pg_ctl, &["-D", dir, "-m", "immediate", "stop"]);
    Command::new("/bin/sh")
        .args(["-c", &script(std::process::id(), &stop, dir)])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group: a Ctrl-C on the terminal must not kill the watchdog with the tests.
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|e| format!("could not start the cleanup watchdog (/bin/sh): {e}"))
}

/// The `sh` script: wait while `pid` lives (a zombie counts as gone), stop the server
/// (SIGKILL the postmaster if `pg_ctl` could not), remove `dir`.
fn script(pid: u32, stop: &str, dir: &str) -> String {
    let dir = sh_quote(dir);
    format!(
        r#"trap '' HUP INT
alive() {{
  kill -0 {pid} 2>/dev/null || return 1
  state=$(sed 's/.*) //' /proc/{pid}/stat 2>/dev/null | cut -c1)
  [ "$state" != Z ]
}}
while alive; do sleep 0.2 2>/dev/null || sleep 1; done
{stop} >/dev/null 2>&1
if [ -f {dir}/postmaster.pid ]; then
  kill -KILL "$(head -n 1 {dir}/postmaster.pid)" 2>/dev/null
fi
rm -rf {dir}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_is_valid_sh() {
        let text = script(1, "true", "/tmp/it's here");
        let out = Command::new("/bin/sh")
            .args(["-n", "-c", &text])
            .output()
            .expect("run /bin/sh -n");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
