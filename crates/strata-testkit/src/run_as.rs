//! Running server programs as an unprivileged OS user when the tests run as root
//! (`initdb` and `postgres` refuse to run as root).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The OS user the server runs as when the tests run as root, unless `STRATA_PG_USER` names another.
const DEFAULT_USER: &str = "postgres";

/// How server programs are started.
#[derive(Debug, Clone)]
pub(crate) enum RunAs {
    /// Directly, as the user running the tests.
    CurrentUser,
    /// Through `runuser` or `su`, as an unprivileged user who must own the data directory.
    OtherUser(Switch),
}

#[derive(Debug, Clone)]
pub(crate) struct Switch {
    tool: Tool,
    pub(crate) user: String,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
}

#[derive(Debug, Clone)]
enum Tool {
    /// `runuser -u USER -- PROGRAM ARGS…`
    Runuser(String),
    /// `su USER -s /bin/sh -c 'PROGRAM ARGS…'`
    Su(String),
}

impl RunAs {
    /// `CurrentUser` unless the process runs as root; then the user from `STRATA_PG_USER`
    /// (default `postgres`), switched to with `runuser` (or `su` where `runuser` is missing).
    pub(crate) fn detect() -> Result<RunAs, String> {
        if !running_as_root() {
            return Ok(RunAs::CurrentUser);
        }
        let user = std::env::var("STRATA_PG_USER")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| DEFAULT_USER.to_owned());
        let uid = id_of(&user, "-u")?;
        let gid = id_of(&user, "-g")?;
        if uid == 0 {
            return Err(format!(
                "the tests run as root and STRATA_PG_USER={user} is root too; PostgreSQL refuses \
                 to run as root: name an unprivileged OS user"
            ));
        }
        let tool = if let Some(runuser) = find_program("runuser") {
            Tool::Runuser(runuser)
        } else if let Some(su) = find_program("su") {
            Tool::Su(su)
        } else {
            return Err(
                "the tests run as root, so the PostgreSQL server must run as another OS user, \
                 but neither `runuser` nor `su` was found"
                    .to_owned(),
            );
        };
        Ok(RunAs::OtherUser(Switch {
            tool,
            user,
            uid,
            gid,
        }))
    }

    /// A command running `program args…` as the chosen user.
    pub(crate) fn command(&self, program: &str, args: &[&str]) -> Command {
        match self {
            RunAs::CurrentUser => {
                let mut cmd = Command::new(program);
                cmd.args(args);
                cmd
            }
            RunAs::OtherUser(Switch {
                tool: Tool::Runuser(runuser),
                user,
                ..
            }) => {
                let mut cmd = Command::new(runuser);
                cmd.args(["-u", user, "--", program]).args(args);
                cmd
            }
            RunAs::OtherUser(Switch {
                tool: Tool::Su(su),
                user,
                ..
            }) => {
                let mut cmd = Command::new(su);
                cmd.args([user, "-s", "/bin/sh", "-c", &shell_words(program, args)]);
                cmd
            }
        }
    }

    /// The same as [`RunAs::command`], as one line of `sh` text.
    pub(crate) fn shell_command(&self, program: &str, args: &[&str]) -> String {
        match self {
            RunAs::CurrentUser => shell_words(program, args),
            RunAs::OtherUser(Switch {
                tool: Tool::Runuser(runuser),
                user,
                ..
            }) => format!(
                "{} -u {} -- {}",
                sh_quote(runuser),
                sh_quote(user),
                shell_words(program, args)
            ),
            RunAs::OtherUser(Switch {
                tool: Tool::Su(su),
                user,
                ..
            }) => format!(
                "{} {} -s /bin/sh -c {}",
                sh_quote(su),
                sh_quote(user),
                sh_quote(&shell_words(program, args))
            ),
        }
    }
}

/// Quotes `s` as one `sh` word.
pub(crate) fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn shell_words(program: &str, args: &[&str]) -> String {
    std::iter::once(program)
        .chain(args.iter().copied())
        .map(sh_quote)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `id -u` prints 0. If `id` cannot run, the process is taken not to be root.
fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.status.success() && out.stdout.trim_ascii() == b"0")
}

/// `id -u USER` or `id -g USER`.
fn id_of(user: &str, flag: &str) -> Result<u32, String> {
    let missing = |why: String| {
        format!(
            "the tests run as root, so the PostgreSQL server must run as an unprivileged OS user, \
             but user `{user}` was not found ({why}); create it (`useradd --system {user}`) or \
             set STRATA_PG_USER to an existing user"
        )
    };
    let out = Command::new("id")
        .args([flag, user])
        .output()
        .map_err(|e| missing(format!("could not run `id`: {e}")))?;
    if !out.status.success() {
        return Err(missing(
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .map_err(|_| missing(format!("`id {flag} {user}` printed {text:?}")))
}

/// `name` on `PATH`, or in the system directories root's `PATH` usually has (`runuser` lives
/// in `/usr/sbin`, which a user's `PATH` may lack).
fn find_program(name: &str) -> Option<String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .and_then(|found| found.to_str().map(str::to_owned))
}

/// A path as UTF-8, which the commands and the watchdog script are built from.
pub(crate) fn utf8(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or_else(|| format!("path {} is not valid UTF-8", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_the_shell() {
        let tricky = "it's a $HOME `x` \"dir\"";
        let out = Command::new("/bin/sh")
            .args(["-c", &format!("printf %s {}", sh_quote(tricky))])
            .output()
            .expect("run /bin/sh");
        assert_eq!(String::from_utf8_lossy(&out.stdout), tricky);
    }

    fn stdout_of(mut cmd: Command) -> String {
        let out = cmd.output().expect("run command");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// As root: both `runuser` and `su` (where installed) run commands as the server's user,
    /// directly and as `sh` text. Otherwise: commands run as the current user.
    #[test]
    fn commands_run_as_the_chosen_user() {
        let detected = RunAs::detect().expect("detect how to run the server");
        let (expected, variants) = match &detected {
            RunAs::CurrentUser => (
                stdout_of({
                    let mut c = Command::new("id");
                    c.arg("-un");
                    c
                }),
                vec![detected.clone()],
            ),
            RunAs::OtherUser(switch) => {
                let tools = [
                    find_program("runuser").map(Tool::Runuser),
                    find_program("su").map(Tool::Su),
                ];
                let variants = tools
                    .into_iter()
                    .flatten()
                    .map(|tool| {
                        RunAs::OtherUser(Switch {
                            tool,
                            ..switch.clone()
                        })
                    })
                    .collect();
                (switch.user.clone(), variants)
            }
        };
        for run_as in variants {
            assert_eq!(
                stdout_of(run_as.command("id", &["-un"])),
                expected,
                "{run_as:?}"
            );
            let mut sh = Command::new("/bin/sh");
            sh.args(["-c", &run_as.shell_command("id", &["-un"])]);
            assert_eq!(stdout_of(sh), expected, "{run_as:?} as sh text");
        }
    }

    #[test]
    fn su_line_quotes_the_inner_command_once_more() {
        let run_as = RunAs::OtherUser(Switch {
            tool: Tool::Su("/bin/su".to_owned()),
            user: "postgres".to_owned(),
            uid: 101,
            gid: 104,
        });
        assert_eq!(
            run_as.shell_command("/usr/bin/pg_ctl", &["-D", "/tmp/a b"]),
            r#"'/bin/su' 'postgres' -s /bin/sh -c ''\''/usr/bin/pg_ctl'\'' '\''-D'\'' '\''/tmp/a b'\'''"#
        );
    }
}
