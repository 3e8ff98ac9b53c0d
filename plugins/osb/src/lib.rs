//! `kubectl osb`: the one binary of the suite that krew installs. It runs every verb in this process
//! (each verb crate's clap `Args` and `run`, through `osb::cli::main_from`, the same code as the verb's own
//! `kubectl-osb-VERB` binary), lists the verbs, prints `version`, writes the completion helpers
//! (`completion install`) and, when called as `kubectl_complete-osb[-VERB]` (a symlink to this binary),
//! answers kubectl's plugin-completion protocol (see [`complete`]).
//!
//! Running `kubectl osb VERB …` through this binary or through kubectl finding `kubectl-osb-VERB` on `PATH`
//! itself (install.sh installs both) gives the same result: the same verb code gets the same arguments.
//! Executables `kubectl-osb-X` for an X that is not a verb of the suite (extensions) are still found
//! next to this binary or on `PATH`, listed and run as separate programs.

pub mod complete;
pub mod locate;
pub mod shims;
pub mod verbs;

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::process::ExitCode;

use clap::Command;

/// The suite version (the workspace version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The git commit the binary was built from, or "unknown".
pub const COMMIT: &str = env!("OSB_COMMIT");
/// The kube crate version locked in the workspace.
pub const KUBE_VERSION: &str = env!("OSB_KUBE_VERSION");
/// The k8s-openapi crate version locked in the workspace.
pub const K8S_OPENAPI_VERSION: &str = env!("OSB_K8S_OPENAPI_VERSION");

/// kubectl's connection flags that take a value; accepted before the verb and passed on to it.
const KUBE_VALUE_FLAGS: &[&str] = &[
    "--kubeconfig",
    "--context",
    "--cluster",
    "--user",
    "-n",
    "--namespace",
    "--request-timeout",
    "-v",
    "--v",
];

/// The short ones, which also take their value attached: `-ndev`, `-v6`.
const KUBE_SHORT_VALUE_FLAGS: &[&str] = &["-n", "-v"];

/// Entry point of the `kubectl-osb` binary.
pub fn main() -> ExitCode {
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_else(|| OsString::from("kubectl-osb"));
    let rest: Vec<OsString> = args.collect();
    let base = std::path::Path::new(&argv0)
        .file_name()
        .map(|b| b.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = base.strip_suffix(".exe").unwrap_or(&base);
    if let Some(tail) = base.strip_prefix("kubectl_complete-osb") {
        let verb = tail.strip_prefix('-').map(|v| v.replace('_', "-"));
        return complete::main(verb.as_deref(), &lossy(&rest));
    }
    run(&argv0, rest)
}

fn lossy(args: &[OsString]) -> Vec<String> {
    args.iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// What the arguments ask for.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    /// List the verbs (`kubectl osb`, `--help`, `help`).
    List,
    Version,
    /// `help VERB`: the verb's own `--help`.
    HelpVerb(String),
    Completion(Vec<OsString>),
    /// Hidden: `__complete [VERB] WORDS…`, the same as `kubectl_complete-osb WORDS…`.
    Complete(Vec<String>),
    /// Run VERB with these arguments.
    Verb(String, Vec<OsString>),
    /// A flag the dispatcher does not know before any verb.
    BadFlag(String),
}

/// Split the arguments: connection flags before the verb are kept and handed to it after the verb name.
pub fn parse(args: &[OsString]) -> Action {
    let mut leading: Vec<OsString> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].to_string_lossy();
        if !a.starts_with('-') || a == "-" {
            break;
        }
        match a.as_ref() {
            "-h" | "--help" => return Action::List,
            "-V" | "--version" => return Action::Version,
            _ => {}
        }
        let name = a.split('=').next().unwrap_or_default();
        let value_flag = KUBE_VALUE_FLAGS.contains(&name);
        let short = !a.starts_with("--") && KUBE_SHORT_VALUE_FLAGS.iter().any(|f| a.starts_with(f));
        let attached = (short && a.len() > 2) || a.contains('=');
        if !value_flag && !short {
            return Action::BadFlag(a.into_owned());
        }
        leading.push(args[i].clone());
        if !attached {
            if let Some(v) = args.get(i + 1) {
                leading.push(v.clone());
            }
            i += 1;
        }
        i += 1;
    }
    let Some(verb) = args.get(i) else {
        return Action::List;
    };
    let verb = verb.to_string_lossy().into_owned();
    let mut rest: Vec<OsString> = args[i + 1..].to_vec();
    match verb.as_str() {
        "help" => match rest.first() {
            Some(v) => Action::HelpVerb(v.to_string_lossy().into_owned()),
            None => Action::List,
        },
        "version" => Action::Version,
        "completion" => Action::Completion(rest),
        "__complete" => Action::Complete(lossy(&rest)),
        _ => {
            rest.splice(0..0, leading);
            Action::Verb(verb, rest)
        }
    }
}

fn run(argv0: &OsStr, args: Vec<OsString>) -> ExitCode {
    match parse(&args) {
        Action::List => {
            let _ = std::io::stdout().write_all(listing(&extensions()).as_bytes());
            ExitCode::SUCCESS
        }
        Action::Version => {
            let _ = std::io::stdout().write_all(version_text().as_bytes());
            ExitCode::SUCCESS
        }
        Action::HelpVerb(verb) => run_verb(&verb, vec![OsString::from("--help")]),
        Action::Completion(rest) => shims::main(argv0, rest),
        Action::Complete(words) => {
            let (verb, words) = match words.split_first() {
                Some((v, w)) if !v.starts_with('-') && w.iter().len() > 0 => {
                    (Some(v.clone()), w.to_vec())
                }
                _ => (None, words),
            };
            complete::main(verb.as_deref(), &words)
        }
        Action::Verb(verb, rest) => run_verb(&verb, rest),
        Action::BadFlag(flag) => {
            eprintln!("error: unknown flag: {flag}\nSee 'kubectl osb --help' for usage.");
            ExitCode::from(2)
        }
    }
}

/// Run a verb of the suite in this process; an extension `kubectl-osb-VERB` as its own program.
fn run_verb(verb: &str, args: Vec<OsString>) -> ExitCode {
    if let Some(v) = verbs::find(verb) {
        return (v.run)(args);
    }
    match locate::find_verb(verb) {
        Some(path) => run_extension(&path, args),
        None => {
            eprintln!("{}", unknown_message(verb, &extensions()));
            ExitCode::from(2)
        }
    }
}

/// `exec` an extension, so that its exit code and signals are its own.
#[cfg(unix)]
fn run_extension(path: &std::path::Path, args: Vec<OsString>) -> ExitCode {
    use std::os::unix::process::CommandExt;
    let err = std::process::Command::new(path)
        .arg0(path)
        .args(args)
        .exec();
    eprintln!("error: cannot run {}: {err}", path.display());
    ExitCode::from(1)
}

/// Run an extension and pass its exit code on (no `exec` outside Unix).
#[cfg(not(unix))]
fn run_extension(path: &std::path::Path, args: Vec<OsString>) -> ExitCode {
    match std::process::Command::new(path).args(args).status() {
        Ok(status) => ExitCode::from(status.code().map_or(1, |c| c.clamp(0, 255) as u8)),
        Err(err) => {
            eprintln!("error: cannot run {}: {err}", path.display());
            ExitCode::from(1)
        }
    }
}

/// `kubectl-osb-*` executables next to this binary or on `PATH` that are not verbs of the suite.
pub fn extensions() -> Vec<locate::Found> {
    locate::discover()
        .into_iter()
        .filter(|f| verbs::find(&f.verb).is_none())
        .collect()
}

/// `error: unknown command …`, with kubectl's "Did you mean this?" when a known verb is close.
pub fn unknown_message(verb: &str, installed: &[locate::Found]) -> String {
    let mut names: Vec<String> = verbs::VERBS.iter().map(|v| v.name.to_string()).collect();
    names.extend(installed.iter().map(|f| f.verb.clone()));
    names.extend(verbs::BUILTINS.iter().map(|(n, _)| n.to_string()));
    let mut msg = format!("error: unknown command \"{verb}\" for \"kubectl osb\"");
    let suggestions = suggest(verb, &names);
    if !suggestions.is_empty() {
        msg.push_str("\n\nDid you mean this?");
        for s in suggestions {
            msg.push_str("\n\t");
            msg.push_str(&s);
        }
    }
    msg.push_str("\n\nRun 'kubectl osb --help' for the list of verbs.");
    msg
}

/// Names close to `typed` ([`osb::suggest::similar`], the suite's one "did you mean" rule).
pub fn suggest(typed: &str, names: &[String]) -> Vec<String> {
    let known: Vec<&str> = names.iter().map(String::as_str).collect();
    osb::suggest::similar(typed, &known)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// What `kubectl osb` (no verb, `--help`) prints: every verb with one line each, then the extensions
/// found on disk.
pub fn listing(extensions: &[locate::Found]) -> String {
    let mut rows: Vec<(String, String)> = verbs::VERBS
        .iter()
        .map(|v| (v.name.to_string(), v.about.to_string()))
        .collect();
    for f in extensions {
        if verbs::find(&f.verb).is_none() {
            rows.push((f.verb.clone(), format!("({})", f.path.display())));
        }
    }
    let width = rows
        .iter()
        .map(|r| r.0.len())
        .chain(verbs::BUILTINS.iter().map(|b| b.0.len()))
        .max()
        .unwrap_or(0)
        + 3;
    let mut s = String::from(
        "Provision, bind and manage Open Service Broker services (Kubernetes Service Catalog) from kubectl.\n\n\
         Usage:\n  kubectl osb VERB [flags]\n\nVerbs:\n",
    );
    for (name, about) in &rows {
        s.push_str(&format!("  {name:width$}{about}\n"));
    }
    s.push_str("\nOther commands:\n");
    for (name, about) in verbs::BUILTINS {
        s.push_str(&format!("  {name:width$}{about}\n"));
    }
    s.push_str(
        "\nConnection flags (--kubeconfig, --context, --cluster, --user, -n/--namespace, --request-timeout)\n\
         and -v/--v (6: each request, 7: headers, 8: bodies; secrets redacted) are understood by every verb.\n\n\
         Use \"kubectl osb VERB --help\" for more information about a verb.\n",
    );
    s
}

/// What `kubectl osb version` prints.
pub fn version_text() -> String {
    format!(
        "kubectl-osb {VERSION}\ncommit: {COMMIT}\nkube: {KUBE_VERSION}\nk8s-openapi: {K8S_OPENAPI_VERSION}\n"
    )
}

/// The dispatcher's clap definition, for man pages and static completion scripts: every verb as a
/// subcommand, plus the builtins.
pub fn command() -> Command {
    command_named("kubectl osb")
}

/// [`command`] with another binary name (`kubectl-osb` for the standalone completion scripts).
pub fn command_named(bin_name: &str) -> Command {
    let mut cmd = Command::new("kubectl-osb")
        .bin_name(bin_name.to_string())
        .version(VERSION)
        .about("Provision, bind and manage Open Service Broker services (Kubernetes Service Catalog) from kubectl")
        .long_about(
            "kubectl osb runs every verb of the kubectl-osb suite in one binary (what krew installs). \
             install.sh also installs each verb as its own executable, kubectl-osb-VERB, which kubectl \
             runs directly; both behave the same.",
        )
        .after_help("Use \"kubectl osb VERB --help\" for more information about a verb.")
        .subcommand_value_name("VERB")
        .subcommand_help_heading("Verbs");
    for v in verbs::VERBS {
        cmd = cmd.subcommand(
            (v.command)()
                .name(v.name)
                .bin_name(format!("{bin_name} {}", v.name))
                .about(v.about),
        );
    }
    cmd.subcommand(
        shims::command()
            .name("completion")
            .bin_name(format!("{bin_name} completion")),
    )
    .subcommand(Command::new("version").about(verbs::BUILTINS[1].1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn parse_cases() {
        assert_eq!(parse(&[]), Action::List);
        assert_eq!(parse(&os(&["--help"])), Action::List);
        assert_eq!(parse(&os(&["version"])), Action::Version);
        assert_eq!(
            parse(&os(&["provision", "db", "--plan", "x"])),
            Action::Verb("provision".into(), os(&["db", "--plan", "x"]))
        );
        assert_eq!(
            parse(&os(&["-n", "dev", "--context=c", "get", "-o", "wide"])),
            Action::Verb(
                "get".into(),
                os(&["-n", "dev", "--context=c", "-o", "wide"])
            )
        );
        assert_eq!(
            parse(&os(&["-ndev", "get"])),
            Action::Verb("get".into(), os(&["-ndev"]))
        );
        for v in osb::client::Verbosity::SPELLINGS {
            let mut args = v.to_vec();
            args.push("get");
            assert_eq!(
                parse(&os(&args)),
                Action::Verb("get".into(), os(v)),
                "{v:?}"
            );
        }
        assert_eq!(
            parse(&os(&["--bogus", "get"])),
            Action::BadFlag("--bogus".into())
        );
        assert_eq!(
            parse(&os(&["help", "bind"])),
            Action::HelpVerb("bind".into())
        );
        assert_eq!(
            parse(&os(&["completion", "install"])),
            Action::Completion(os(&["install"]))
        );
    }

    #[test]
    fn suggestions() {
        let names: Vec<String> = ["provision", "deprovision", "bind", "unbind", "catalog"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(suggest("provison", &names), vec!["provision".to_string()]);
        assert_eq!(suggest("bnid", &names), vec!["bind".to_string()]);
        assert_eq!(suggest("cat", &names), vec!["catalog".to_string()]);
        assert!(suggest("zzzzzz", &names).is_empty());
        let msg = unknown_message("provison", &[]);
        assert!(msg.contains("Did you mean this?\n\tprovision"), "{msg}");
    }

    #[test]
    fn file_names() {
        assert_eq!(verbs::file_name("convert-json"), "kubectl-osb-convert_json");
        assert_eq!(
            verbs::verb_of_file("kubectl-osb-convert_json").as_deref(),
            Some("convert-json")
        );
        assert_eq!(
            verbs::verb_of_file("kubectl-osb-a-b").as_deref(),
            Some("a b")
        );
        assert_eq!(
            verbs::find("convert_json").map(|v| v.name),
            Some("convert-json")
        );
    }

    #[test]
    fn command_is_valid() {
        command().debug_assert();
    }

    #[test]
    fn listing_shows_every_verb_and_the_extensions() {
        let found = vec![locate::Found {
            verb: "extra".into(),
            path: "/x/kubectl-osb-extra".into(),
        }];
        let s = listing(&found);
        for v in verbs::VERBS {
            assert!(s.contains(&format!("\n  {} ", v.name)), "{s}");
        }
        assert!(s.contains("  extra "), "{s}");
        assert!(s.contains("(/x/kubectl-osb-extra)"), "{s}");
        assert!(s.contains("  version "), "{s}");
        let plain = listing(&[]);
        assert!(!plain.contains("extra"), "{plain}");
    }
}
