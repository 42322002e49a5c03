//! The throwaway cluster: a fresh data directory, `initdb`, and a server on a free port.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::binaries::{self, Binaries};
use crate::run_as::{RunAs, sh_quote, utf8};
use crate::watchdog;

/// The superuser `initdb` creates; the cluster trusts every local connection.
const SUPERUSER: &str = "strata";
/// Attempts to find a port another process does not grab between our probe and the server's bind.
const PORT_ATTEMPTS: u32 = 5;
/// The socket path `<tmp>/strata-pg-<pid>-<nanos>/.s.PGSQL.<port>` adds about 55 bytes to the
/// temporary directory and must fit in 107; a longer temporary directory is replaced by `/tmp`.
const MAX_TEMP_DIR_LEN: usize = 50;

/// A running cluster; the watchdog stops it and removes `dir` after the test process ends.
#[derive(Debug)]
pub(crate) struct Cluster {
    pub(crate) port: u16,
    pub(crate) dir: PathBuf,
}

impl Cluster {
    /// Creates and starts a cluster. Takes about a second.
    pub(crate) fn start() -> Result<Cluster, String> {
        let started = Instant::now();
        let bins = binaries::locate()?;
        let run_as = RunAs::detect()?;
        let dir = create_data_dir(&run_as)?;
        let dir_str = utf8(&dir)?;
        // From here on, whatever happens, the directory (and any server in it) goes away
        // with this process.
        if let Err(e) = watchdog::spawn(&run_as, utf8(&bins.pg_ctl)?, dir_str) {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
        initdb(&run_as, &bins, dir_str)?;
        let port = start_server(&run_as, &bins, dir_str)?;
        let cluster = Cluster { port, dir };
        if std::env::var_os("STRATA_PG_VERBOSE").is_some() {
            eprintln!(
                "strata-pg: cluster in {} on port {} started in {:.2?}",
                cluster.dir.display(),
                cluster.port,
                started.elapsed()
            );
        }
        Ok(cluster)
    }

    /// The URL of the cluster's `postgres` database as its superuser.
    pub(crate) fn url(&self) -> String {
        format!("postgresql://{SUPERUSER}@127.0.0.1:{}/postgres", self.port)
    }
}

/// `<tmp>/strata-pg-<pid>-<nanos>`, mode 0700, owned by the server's OS user.
fn create_data_dir(run_as: &RunAs) -> Result<PathBuf, String> {
    let mut base = std::env::temp_dir();
    if base.as_os_str().len() > MAX_TEMP_DIR_LEN {
        base = PathBuf::from("/tmp");
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = base.join(format!("strata-pg-{}-{nanos}", std::process::id()));
    std::fs::create_dir(&dir)
        .map_err(|e| format!("could not create data directory {}: {e}", dir.display()))?;
    let prepared = prepare_owner(run_as, &dir);
    if prepared.is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    prepared.map(|()| dir)
}

fn prepare_owner(run_as: &RunAs, dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| format!("could not chmod {}: {e}", dir.display()))?;
    if let RunAs::OtherUser(switch) = run_as {
        std::os::unix::fs::chown(dir, Some(switch.uid), Some(switch.gid)).map_err(|e| {
            format!(
                "could not give {} to OS user `{}`: {e}",
                dir.display(),
                switch.user
            )
        })?;
    }
    Ok(())
}

fn initdb(run_as: &RunAs, bins: &Binaries, dir: &str) -> Result<(), String> {
    let initdb = utf8(&bins.initdb)?;
    let args = [
        "-D",
        dir,
        "-A",
        "trust",
        "-U",
        SUPERUSER,
        "--no-sync",
        "-E",
        "UTF8",
        "--locale=C",
    ];
    let out = run_as
        .command(initdb, &args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("could not run {initdb}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let hint = match run_as {
        RunAs::OtherUser(s) => format!(
            "\n(initdb ran as OS user `{}`, who must be able to reach {dir}; set TMPDIR to a \
             directory it can reach)",
            s.user
        ),
        RunAs::CurrentUser => String::new(),
    };
    Err(format!(
        "initdb failed ({}):\n{}{hint}",
        out.status,
        output_text(&out)
    ))
}

/// Starts the server with `pg_ctl -w` on a free port; returns the port.
fn start_server(run_as: &RunAs, bins: &Binaries, dir: &str) -> Result<u16, String> {
    let pg_ctl = utf8(&bins.pg_ctl)?;
    let log = format!("{dir}/server.log");
    let mut attempt = 0;
    loop {
        attempt += 1;
        let port = free_port()?;
        let log_len_before = std::fs::metadata(&log).map_or(0, |m| m.len());
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            sh_quote(dir)
        );
        let args = [
            "-D", dir, "-w", "-t", "60", "-l", &log, "-o", &options, "start",
        ];
        let out = run_as
            .command(pg_ctl, &args)
            .current_dir(dir)
            .output()
            .map_err(|e| format!("could not run {pg_ctl}: {e}"))?;
        if out.status.success() {
            return Ok(port);
        }
        let new_log = std::fs::read(&log)
            .map(|bytes| {
                let start = usize::try_from(log_len_before)
                    .unwrap_or(0)
                    .min(bytes.len());
                String::from_utf8_lossy(&bytes[start..]).into_owned()
            })
            .unwrap_or_else(|e| format!("(could not read {log}: {e})"));
        if new_log.contains("Address already in use") && attempt < PORT_ATTEMPTS {
            continue;
        }
        return Err(format!(
            "pg_ctl start failed ({}):\n{}\n--- tail of the server log {log} ---\n{}",
            out.status,
            output_text(&out),
            tail(&new_log, 30)
        ));
    }
}

/// A port free on 127.0.0.1 right now (bound to port 0, read, released).
fn free_port() -> Result<u16, String> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("could not find a free TCP port on 127.0.0.1: {e}"))
}

fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
    .trim_end()
    .to_owned()
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
    }
}
