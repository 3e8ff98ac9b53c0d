//! `kubectl osb`: the dispatcher of the suite. It lists the verbs, runs `kubectl-osb-VERB` (found next to
//! its own resolved executable first, as krew lays the archive out, then on `PATH`) by `exec`, so exit
//! codes and signals are the verb's own, prints `version`, writes the completion helpers (`completion
//! install`) and, when called as `kubectl_complete-osb[-VERB]` (a symlink to this binary), answers
//! kubectl's plugin-completion protocol (see [`complete`]).
//!
//! Running `kubectl osb VERB …` through this dispatcher or through kubectl finding `kubectl-osb-VERB` on
//! `PATH` itself gives the same result: the same executable gets the same arguments.

pub mod complete;
pub mod locate;
pub mod shims;
pub mod verbs;

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::process::ExitCode;

use clap::{Arg, ArgAction, Command};

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
];

/// Entry point of the `kubectl-osb` binary.
pub fn main() -> ExitCode {
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_else(|| OsString::from("kubectl-osb"));
    let rest: Vec<OsString> = args.collect();
    let base = std::path::Path::new(&argv0)
        .file_name()
        .map(|b| b.to_string_lossy().into_owned())
        .unwrap_or_default();
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
    /// Run `kubectl-osb-VERB` with these arguments.
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
        let attached =
            (a.starts_with("-n") && !a.starts_with("--") && a.len() > 2) || a.contains('=');
        let short_namespace = a.starts_with("-n") && !a.starts_with("--");
        if !value_flag && !short_namespace {
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
            let _ = std::io::stdout().write_all(listing(&locate::discover()).as_bytes());
            ExitCode::SUCCESS
        }
        Action::Version => {
            let _ = std::io::stdout().write_all(version_text().as_bytes());
            ExitCode::SUCCESS
        }
        Action::HelpVerb(verb) => exec_verb(&verb, vec![OsString::from("--help")]),
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
        Action::Verb(verb, rest) => exec_verb(&verb, rest),
        Action::BadFlag(flag) => {
            eprintln!("error: unknown flag: {flag}\nSee 'kubectl osb --help' for usage.");
            ExitCode::from(2)
        }
    }
}

/// Replace this process with `kubectl-osb-VERB ARGS…`.
fn exec_verb(verb: &str, args: Vec<OsString>) -> ExitCode {
    use std::os::unix::process::CommandExt;
    let Some(path) = locate::find_verb(verb) else {
        return unknown_verb(verb);
    };
    let err = std::process::Command::new(&path)
        .arg0(&path)
        .args(args)
        .exec();
    eprintln!("error: cannot run {}: {err}", path.display());
    ExitCode::from(1)
}

fn unknown_verb(verb: &str) -> ExitCode {
    if let Some(v) = verbs::find(verb) {
        eprintln!(
            "error: \"kubectl osb {}\" is not installed: no executable {} next to kubectl-osb or on PATH",
            v.name,
            v.file_name()
        );
        return ExitCode::from(1);
    }
    let installed = locate::discover();
    eprintln!("{}", unknown_message(verb, &installed));
    ExitCode::from(2)
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

/// Names close to `typed`: a prefix of at least 2 characters, or within 2 edits (like cobra).
pub fn suggest(typed: &str, names: &[String]) -> Vec<String> {
    let typed = typed.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let close = (typed.len() >= 2 && n.starts_with(&typed))
            || strsim::levenshtein(&typed, n) <= 2
            || (typed.len() >= 4 && strsim::damerau_levenshtein(&typed, n) <= 2);
        if close && !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// What `kubectl osb` (no verb, `--help`) prints: the installed verbs with one line each.
pub fn listing(installed: &[locate::Found]) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    for v in verbs::VERBS {
        if installed.iter().any(|f| f.verb == v.name) {
            rows.push((v.name.to_string(), v.about.to_string()));
        }
    }
    for f in installed {
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
    if rows.is_empty() {
        s.push_str(
            "  (none installed: no kubectl-osb-* executable next to kubectl-osb or on PATH)\n",
        );
    }
    for (name, about) in &rows {
        s.push_str(&format!("  {name:width$}{about}\n"));
    }
    s.push_str("\nOther commands:\n");
    for (name, about) in verbs::BUILTINS {
        s.push_str(&format!("  {name:width$}{about}\n"));
    }
    s.push_str(
        "\nConnection flags (--kubeconfig, --context, --cluster, --user, -n/--namespace, --request-timeout)\n\
         are understood by every verb.\n\n\
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

/// The dispatcher's clap definition, for man pages and static completion scripts: every verb with a
/// linked definition as a subcommand (a placeholder taking any arguments otherwise) plus the builtins.
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
            "kubectl osb runs the verbs of the kubectl-osb suite: each verb is its own executable, \
             kubectl-osb-VERB, found next to kubectl-osb (the krew layout) or on PATH.",
        )
        .after_help("Use \"kubectl osb VERB --help\" for more information about a verb.")
        .subcommand_value_name("VERB")
        .subcommand_help_heading("Verbs");
    for v in verbs::VERBS {
        let sub = match v.command {
            Some(f) => f()
                .name(v.name)
                .bin_name(format!("{bin_name} {}", v.name))
                .about(v.about),
            None => Command::new(v.name).about(v.about).arg(
                Arg::new("args")
                    .num_args(0..)
                    .trailing_var_arg(true)
                    .allow_hyphen_values(true)
                    .action(ArgAction::Append),
            ),
        };
        cmd = cmd.subcommand(sub);
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
    fn listing_shows_installed_verbs_only() {
        let found = vec![locate::Found {
            verb: "catalog".into(),
            path: "/x/kubectl-osb-catalog".into(),
        }];
        let s = listing(&found);
        assert!(s.contains("  catalog "), "{s}");
        assert!(!s.contains("  provision "), "{s}");
        assert!(s.contains("  version "), "{s}");
    }
}
