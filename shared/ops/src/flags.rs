//! The flags every write verb shares — `--dry-run`, `--wait`, `--timeout`, `-o` — declared once and
//! flattened into provision, bind, unbind and deprovision (and `--dry-run` into abandon). Each verb makes
//! the help precise for itself with clap's `mut_arg` (e.g. what `--wait` waits for); defaults and meanings
//! are the same everywhere:
//!
//! * `--dry-run[=client|server|none]`: kubectl's strategies; `--dry-run` alone means `client`.
//! * `--timeout`: how long `--wait` waits (30m); `0` checks once and does not wait, as in `kubectl osb wait`.
//! * `-o yaml|json|name`: stdout carries exactly the objects asked for; `--wait`'s `condition met` lines
//!   and progress then go to stderr, so that `-o json --wait` prints one JSON document.
//! * [`WaitFlags`] (also in `kubectl osb wait`): `--fail-on=REASON,…` makes retrying reasons (or Warning
//!   events' reasons) terminal, `--fail-after-retries=N` ends a wait on an endless retry loop after N
//!   failed broker calls (both exit 3); `--controller-hint-after` says when no controller has processed
//!   an object.

use std::time::Duration;

use crate::complete::Complete;
use crate::error::{Error, Result};
use crate::output::Format;
use crate::wait::{DEFAULT_CONTROLLER_HINT, Goal, Progress, WaitOptions};

/// kubectl's `--dry-run` strategies.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DryRun {
    /// Change for real
    #[default]
    #[value(alias = "false")]
    None,
    /// Print what would be sent, send nothing
    #[value(alias = "true")]
    Client,
    /// Send every write with dryRun=All: the server validates and persists nothing
    Server,
}

impl DryRun {
    /// The suffix kubectl puts after the verb: ` (dry run)` / ` (server dry run)`.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// `--dry-run` alone (abandon flattens only this).
#[derive(clap::Args, Clone, Debug, Default)]
pub struct DryRunFlag {
    /// Show what would change and change nothing: client (no request) or server (requests with dryRun=All)
    #[arg(long = "dry-run", value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "client", value_name = "STRATEGY")]
    pub dry_run: Option<DryRun>,
}

impl DryRunFlag {
    pub fn get(&self) -> DryRun {
        self.dry_run.unwrap_or_default()
    }
}

/// What every wait takes beside its goal and timeout: a way out of endless retries, and when to say that
/// no controller is at work.
#[derive(clap::Args, Clone, Debug)]
pub struct WaitFlags {
    /// Treat these retrying reasons, or these Warning events' reasons, as failures (exit 3; comma-separated
    /// or repeated, e.g. ReferencesNonexistentServiceClass,RetryBackoff)
    #[arg(long, value_name = "REASON,...", value_delimiter = ',', add = Complete::Nothing)]
    pub fail_on: Vec<String>,
    /// Fail (exit 3) once the broker has failed N calls for an object, as its Warning events record them
    /// (ProvisionCallFailed, BindCallFailed, DeprovisionCallFailed, UnbindCallFailed, …; 0: never)
    #[arg(long, value_name = "N", default_value_t = 0, add = Complete::Nothing)]
    pub fail_after_retries: u32,
    /// Say once when no Service Catalog controller has processed an object after this long (0: never)
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse, default_value = "10s", add = Complete::Nothing)]
    pub controller_hint_after: Duration,
}

impl Default for WaitFlags {
    fn default() -> Self {
        WaitFlags {
            fail_on: Vec::new(),
            fail_after_retries: 0,
            controller_hint_after: DEFAULT_CONTROLLER_HINT,
        }
    }
}

impl WaitFlags {
    /// Set these flags' options on `opts` (`--fail-on` adds to the reasons the verb itself fails on).
    pub fn apply(&self, opts: WaitOptions) -> WaitOptions {
        WaitOptions {
            fail_on: [opts.fail_on, self.fail_on.clone()].concat(),
            fail_after_retries: self.fail_after_retries,
            controller_hint: Some(self.controller_hint_after),
            ..opts
        }
    }
}

/// What the delete verbs (unbind, deprovision) take: kubectl delete's `--ignore-not-found`, and the
/// write verbs' flags.
#[derive(clap::Args, Clone, Debug)]
pub struct DeleteFlags {
    /// Treat an object that does not exist as already deleted (as kubectl delete --ignore-not-found)
    #[arg(long)]
    pub ignore_not_found: bool,
    #[command(flatten)]
    pub write: WriteFlags,
}

/// The write verbs' shared flags.
#[derive(clap::Args, Clone, Debug)]
pub struct WriteFlags {
    #[command(flatten)]
    pub dry_run: DryRunFlag,
    /// Wait until the change is done (exit 3 on a terminal failure, 4 on timeout)
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits (0: check once, do not wait)
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse, default_value = "30m", add = Complete::Nothing)]
    pub timeout: Duration,
    /// Output format
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Format>,
    #[command(flatten)]
    pub waiting: WaitFlags,
}

impl WriteFlags {
    pub fn dry_run(&self) -> DryRun {
        self.dry_run.get()
    }

    /// Whether `--wait` applies (never on a dry run: nothing was changed).
    pub fn waits(&self) -> bool {
        self.wait && self.dry_run() == DryRun::None
    }

    /// The output format, refused with a usage-style error when this verb cannot print it.
    pub fn output_in(&self, supported: &[Format]) -> Result<Option<Format>> {
        match self.output {
            Some(f) if !supported.contains(&f) => Err(Error::Input(format!(
                "--output={} is not supported here; use one of: {}",
                format_name(f),
                supported
                    .iter()
                    .map(|f| format_name(*f))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            other => Ok(other),
        }
    }

    /// The output of a verb that writes objects: the objects as YAML or JSON, or their names (no table).
    pub fn object_output(&self) -> Result<Option<Format>> {
        self.output_in(&[Format::Yaml, Format::Json, Format::Name])
    }

    /// Whether stdout is reserved for objects (`-o yaml|json|name`): wait reports go to stderr then.
    pub fn machine_output(&self) -> bool {
        matches!(
            self.output,
            Some(Format::Yaml | Format::Json | Format::Name)
        )
    }

    /// The wait options for `goal`: progress on a terminal's stderr, `--timeout` with `0` = check once;
    /// `fail_on`: the reasons this verb always fails on (`--fail-on` adds the user's).
    pub fn wait_options(&self, goal: Goal, fail_on: Vec<String>) -> WaitOptions {
        self.waiting
            .apply(wait_options(goal, self.timeout, fail_on))
    }
}

/// Wait options for a verb's `--wait`: `timeout` as given (`0` checks once, as `kubectl osb wait` does).
pub fn wait_options(goal: Goal, timeout: Duration, fail_on: Vec<String>) -> WaitOptions {
    WaitOptions {
        goal,
        timeout: Some(timeout),
        any: false,
        fail_on,
        deadline_ok: false,
        progress: Progress::Auto,
        ..WaitOptions::default()
    }
}

/// The name of a format as `-o` takes it.
pub fn format_name(f: Format) -> &'static str {
    match f {
        Format::Table => "table",
        Format::Wide => "wide",
        Format::Yaml => "yaml",
        Format::Json => "json",
        Format::Name => "name",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct T {
        #[command(flatten)]
        w: WriteFlags,
    }

    #[test]
    fn dry_run_alone_is_client_and_values_parse() {
        assert_eq!(T::parse_from(["t"]).w.dry_run(), DryRun::None);
        assert_eq!(
            T::parse_from(["t", "--dry-run"]).w.dry_run(),
            DryRun::Client
        );
        assert_eq!(
            T::parse_from(["t", "--dry-run=server"]).w.dry_run(),
            DryRun::Server
        );
        assert!(T::try_parse_from(["t", "--dry-run=maybe"]).is_err());
    }

    #[test]
    fn timeout_zero_means_check_once_everywhere() {
        let t = T::parse_from(["t", "--wait", "--timeout=0"]);
        let o = t.w.wait_options(Goal::Ready, vec![]);
        assert_eq!(o.timeout, Some(Duration::ZERO));
        let d = T::parse_from(["t", "--wait"]);
        assert_eq!(
            d.w.wait_options(Goal::Ready, vec![]).timeout,
            Some(Duration::from_secs(30 * 60))
        );
    }

    #[test]
    fn fail_on_adds_to_the_verb_s_own_terminal_reasons() {
        let t = T::parse_from([
            "t",
            "--wait",
            "--fail-on=ReferencesNonexistentServiceClass,RetryBackoff",
            "--fail-on",
            "ErrorWithParameters",
        ]);
        let o = t.w.wait_options(
            Goal::Deleted,
            vec!["DeprovisionBlockedByExistingCredentials".into()],
        );
        assert_eq!(
            o.fail_on,
            [
                "DeprovisionBlockedByExistingCredentials",
                "ReferencesNonexistentServiceClass",
                "RetryBackoff",
                "ErrorWithParameters"
            ]
        );
    }

    #[test]
    fn retry_limit_and_controller_hint_reach_the_wait() {
        let d = T::parse_from(["t", "--wait"])
            .w
            .wait_options(Goal::Ready, vec![]);
        assert_eq!(d.fail_after_retries, 0);
        assert_eq!(d.controller_hint, Some(Duration::from_secs(10)));
        let t = T::parse_from([
            "t",
            "--wait",
            "--fail-after-retries=3",
            "--controller-hint-after=0",
        ]);
        let o = t.w.wait_options(Goal::Ready, vec![]);
        assert_eq!(o.fail_after_retries, 3);
        assert_eq!(o.controller_hint, Some(Duration::ZERO));
        assert!(T::try_parse_from(["t", "--fail-after-retries=-1"]).is_err());
    }

    #[test]
    fn machine_output_and_supported_formats() {
        let t = T::parse_from(["t", "-o", "json"]);
        assert!(t.w.machine_output());
        assert!(t.w.output_in(&[Format::Yaml, Format::Json]).is_ok());
        let e = t.w.output_in(&[Format::Name]).expect_err("refused");
        assert!(e.to_string().contains("use one of: name"), "{e}");
        assert!(!T::parse_from(["t"]).w.machine_output());
    }
}
