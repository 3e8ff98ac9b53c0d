//! The verbs of the suite: a one-line description each, the clap definition (for completion, man pages and
//! the static completion scripts) and the entry point the dispatcher runs in-process.
//!
//! Adding a verb crate: one dependency line in plugins/osb/Cargo.toml and one entry below.
//! Executables `kubectl-osb-*` found next to kubectl-osb or on `PATH` whose verb is not in this table
//! (extensions) are listed and run as separate programs.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Command, CommandFactory};

/// One verb of the suite.
pub struct Verb {
    /// As typed: `convert-json`.
    pub name: &'static str,
    /// One line for `kubectl osb`.
    pub about: &'static str,
    /// The verb's clap definition.
    pub command: fn() -> Command,
    /// Run the verb in this process with the arguments after the verb name, exactly as its own binary
    /// `kubectl-osb-VERB` runs (`osb::cli::main_from`): same parsing, output and exit code.
    pub run: fn(Vec<OsString>) -> ExitCode,
}

impl Verb {
    /// The executable: `kubectl-osb-convert_json`.
    pub fn file_name(&self) -> String {
        file_name(self.name)
    }
}

/// `convert-json` → `kubectl-osb-convert_json` (kubectl turns a dash inside a word into `_`).
pub fn file_name(verb: &str) -> String {
    format!("kubectl-osb-{}", verb.replace('-', "_"))
}

/// `kubectl-osb-convert_json` → `convert-json`; `kubectl-osb-a-b` → `a b` (kubectl's nested words).
pub fn verb_of_file(file: &str) -> Option<String> {
    let rest = file.strip_prefix("kubectl-osb-")?;
    (!rest.is_empty()).then(|| rest.replace('-', " ").replace('_', "-"))
}

/// The command line a verb's parser sees: a program name (ignored, the verbs name themselves), then `args`.
fn argv(args: Vec<OsString>) -> impl Iterator<Item = OsString> {
    std::iter::once(OsString::from("kubectl-osb")).chain(args)
}

/// Every verb, in the order `kubectl osb` lists them.
pub const VERBS: &[Verb] = &[
    Verb {
        name: "catalog",
        about: "List brokers, classes and plans; --check tells whether the brokers are ready",
        command: osb_catalog::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_catalog::run),
    },
    Verb {
        name: "provision",
        about: "Create a ServiceInstance of a class and plan, and wait until it is ready",
        command: osb_provision::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_provision::run),
    },
    Verb {
        name: "bind",
        about: "Create a ServiceBinding: the instance's credentials in a Secret",
        command: osb_bind::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_bind::run),
    },
    Verb {
        name: "unbind",
        about: "Delete a binding, or every binding of an instance",
        command: osb_unbind::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_unbind::run),
    },
    Verb {
        name: "deprovision",
        about: "Delete a ServiceInstance (after its bindings) and wait until it is gone",
        command: osb_deprovision::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_deprovision::run),
    },
    Verb {
        name: "describe",
        about: "Show an instance or binding: verdict, conditions in plain words, parameters, bindings",
        command: osb_describe::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_describe::run),
    },
    Verb {
        name: "get",
        about: "List instances and bindings with their class, plan and status",
        command: osb_get::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_get::run),
    },
    Verb {
        name: "wait",
        about: "Wait until instances, bindings or Jobs are ready, failed, complete or deleted",
        command: osb_wait::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_wait::run),
    },
    Verb {
        name: "abandon",
        about: "Remove the finalizer of an instance or binding whose broker is gone",
        command: osb_abandon::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_abandon::run),
    },
    Verb {
        name: "broker",
        about: "Ask a broker itself: its view of an instance or binding beside the catalog's, with a verdict",
        command: osb_broker::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_broker::run),
    },
    Verb {
        name: "convert-json",
        about: "Convert Instaclustr provisioning-API JSON to ServiceInstance YAML (offline)",
        command: osb_convert_json::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_convert_json::run),
    },
    Verb {
        name: "rbac",
        about: "Print the least-privilege roles the verbs need, for kubectl apply -f -",
        command: osb_rbac::Args::command,
        run: |args| osb::cli::main_from(argv(args), osb_rbac::run),
    },
];

/// Commands the dispatcher itself implements.
pub const BUILTINS: &[(&str, &str)] = &[
    (
        "completion",
        "Install the kubectl completion helpers (kubectl_complete-osb*) next to kubectl-osb",
    ),
    (
        "version",
        "Print the suite version, its commit and the kube / k8s-openapi versions",
    ),
    ("help", "Help about any verb"),
];

/// The verb called `name` (also accepts `convert_json`).
pub fn find(name: &str) -> Option<&'static Verb> {
    let name = name.replace('_', "-");
    VERBS.iter().find(|v| v.name == name)
}
