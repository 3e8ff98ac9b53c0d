//! The one `main` every plugin binary calls: parse flags, run the verb on a Tokio runtime, honour Ctrl-C,
//! print the error kubectl's way and exit with the documented code (see [`crate::error`]).

use std::future::Future;
use std::process::ExitCode;

use crate::error::{Error, Exit, Result};

/// Parse `A` from the command line and run `verb` with it.
pub fn main<A, F, Fut>(verb: F) -> ExitCode
where
    A: clap::Parser,
    F: FnOnce(A) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    main_from(std::env::args_os(), verb)
}

/// [`main`] with the command line given: `argv` starts with the program name (ignored: every verb's
/// clap definition names itself `kubectl osb VERB`). The `kubectl-osb` dispatcher runs verbs this way,
/// in-process, so a verb behaves the same as its own binary: flags, output, messages and exit codes.
pub fn main_from<A, F, Fut, I, T>(argv: I, verb: F) -> ExitCode
where
    A: clap::Parser,
    F: FnOnce(A) -> Fut,
    Fut: Future<Output = Result<()>>,
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let bin = {
        let cmd = A::command();
        cmd.get_bin_name().unwrap_or(cmd.get_name()).to_string()
    };
    let args = match A::try_parse_from(argv) {
        Ok(a) => a,
        Err(e) => {
            // --help/--version go to stdout with exit 0; usage errors to stderr with exit 2.
            let code = if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Success
            };
            let _ = e.print();
            return code.into();
        }
    };
    finish_as(&bin, run_async(verb(args)))
}

/// Run a verb's future to completion on a current-thread runtime, with Ctrl-C mapped to exit 130.
pub fn run_async<Fut: Future<Output = Result<()>>>(fut: Fut) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(anyhow::anyhow!("cannot start the async runtime: {e}")))?;
    rt.block_on(async {
        tokio::select! {
            r = fut => r,
            _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
        }
    })
}

/// Print an error (if any) and turn the outcome into the process exit code.
pub fn finish(result: Result<()>) -> ExitCode {
    finish_as("kubectl osb", result)
}

/// [`finish`] for the command `bin` (`kubectl osb wait`): a usage error ends with kubectl's pointer to
/// that command's help.
pub fn finish_as(bin: &str, result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => Exit::Success.into(),
        Err(e) => {
            if let Some(msg) = crate::rbac::explained(&e) {
                eprintln!("{msg}");
            }
            if matches!(e, Error::Usage(_)) {
                eprintln!("See '{bin} --help' for help and examples.");
            }
            e.exit().into()
        }
    }
}

/// Whether stderr is a terminal (progress lines are only drawn there).
pub fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}

/// Whether stdin is a terminal (interactive confirmation is only asked there).
pub fn stdin_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal()
}
