//! Peak RSS of a command, measured in a small launcher process (used by the benchmarks).
//!
//! A child's `ru_maxrss` is at least the resident size of the process that forked it: Linux gives the child a
//! copy of the parent's memory map and its high-water mark, and exec keeps that mark. Forked straight from a
//! benchmark driver, which holds tens of MB, every measured command would weigh at least that much. So the
//! driver starts each command through itself in launcher mode ([`launch`], `DRIVER --launch REPORT PROGRAM
//! ARGS…`), a fresh small process that runs the command, reaps it with wait4(2) and writes `CODE PEAK_RSS_KB`
//! to REPORT. The floor is then a few MB (measure it with `true`, and print it with the results).
//!
//! A driver calls [`launch`] first thing in `main` when `argv[1]` is [`FLAG`], wraps each measured command
//! with [`wrap`], and reads the result with [`read_report`] once the launcher has exited. The launcher and the
//! command die with the thread that spawned the launcher (parent-death signal): spawn it from a thread that
//! outlives the command.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

/// The first argument that puts a driver in launcher mode.
pub const FLAG: &str = "--launch";

/// Launcher mode, `DRIVER --launch REPORT PROGRAM ARGS…` (`args` is what follows `--launch`): run the command
/// (same stdio, environment and working directory), reap it with wait4(2), write `CODE PEAK_RSS_KB` to REPORT
/// and exit with its code (128 + the signal if a signal ended it).
#[allow(unsafe_code)]
pub fn launch(args: &[OsString]) -> ! {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl(2) on this process only; it dies with the driver.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
    let [report, program, rest @ ..] = args else {
        eprintln!("usage: DRIVER {FLAG} REPORT PROGRAM [ARGS…]");
        std::process::exit(2);
    };
    let mut cmd = Command::new(program);
    cmd.args(rest);
    // SAFETY: prctl(2) is async-signal-safe; it runs in the child between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{FLAG}: {}: {e}", program.to_string_lossy());
            std::process::exit(127);
        }
    };
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: reaping our own child; `status` and `usage` are valid out-pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r != pid {
        std::process::exit(125);
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    let _ = std::fs::write(report, format!("{code} {}", usage.ru_maxrss));
    std::process::exit(code);
}

/// `cmd` run through the launcher: the current executable with `--launch REPORT`, then `cmd`'s program and
/// arguments; `cmd`'s environment changes and working directory carry over. Stdio is not (`Command` does not
/// expose it): set it on the returned command, the launched one inherits it.
pub fn wrap(cmd: &Command, report: &Path) -> Result<Command> {
    let mut l = Command::new(std::env::current_exe().context("finding the driver's executable")?);
    l.arg(FLAG)
        .arg(report)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => l.env(k, v),
            None => l.env_remove(k),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        l.current_dir(dir);
    }
    Ok(l)
}

/// A fresh path for a report, in the temporary directory.
pub fn report_path() -> PathBuf {
    std::env::temp_dir().join(format!(
        "launcher-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ))
}

/// The launched command's exit code and peak RSS in KiB, from REPORT (which is then removed); `None` if the
/// launcher wrote no report (it could not start the command, or it was killed).
pub fn read_report(report: &Path) -> Option<(i32, i64)> {
    let text = std::fs::read_to_string(report).ok();
    let _ = std::fs::remove_file(report);
    let text = text?;
    let mut words = text.split_whitespace();
    let code = words.next()?.parse().ok()?;
    let rss = words.next()?.parse().ok()?;
    Some((code, rss))
}
