//! The verbs the dispatcher knows: a one-line description each, and the clap definition of the ones whose
//! crate is linked in (used for completion, man pages and the static completion scripts).
//!
//! Adding a verb crate: one dependency line in plugins/osb/Cargo.toml and `command: Some(…)` below.
//! Verbs found as `kubectl-osb-*` files but not in this table still run and are listed.

use clap::{Command, CommandFactory};

/// What a dynamic completion value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Names {
    Instances,
    Bindings,
}

/// One verb of the suite.
pub struct Verb {
    /// As typed: `convert-json`.
    pub name: &'static str,
    /// One line for `kubectl osb`.
    pub about: &'static str,
    /// The verb's clap definition, when its crate is linked.
    pub command: Option<fn() -> Command>,
    /// What a positional argument named generically (NAME) completes to.
    pub names: Option<Names>,
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

/// Every verb, in the order `kubectl osb` lists them.
pub const VERBS: &[Verb] = &[
    Verb {
        name: "catalog",
        about: "List brokers, classes and plans; --check tells whether the brokers are ready",
        command: Some(osb_catalog::Args::command),
        names: None,
    },
    Verb {
        name: "provision",
        about: "Create a ServiceInstance of a class and plan, and wait until it is ready",
        command: Some(osb_provision::Args::command),
        names: None,
    },
    Verb {
        name: "bind",
        about: "Create a ServiceBinding: the instance's credentials in a Secret",
        command: Some(osb_bind::Args::command),
        names: None,
    },
    Verb {
        name: "unbind",
        about: "Delete a binding, or every binding of an instance",
        command: Some(osb_unbind::Args::command),
        names: Some(Names::Bindings),
    },
    Verb {
        name: "deprovision",
        about: "Delete a ServiceInstance (after its bindings) and wait until it is gone",
        command: Some(osb_deprovision::Args::command),
        names: Some(Names::Instances),
    },
    Verb {
        name: "describe",
        about: "Show an instance or binding: verdict, conditions in plain words, parameters, bindings",
        command: Some(osb_describe::Args::command),
        names: Some(Names::Instances),
    },
    Verb {
        name: "get",
        about: "List instances and bindings with their class, plan and status",
        command: Some(osb_get::Args::command),
        names: Some(Names::Instances),
    },
    Verb {
        name: "wait",
        about: "Wait until instances, bindings or Jobs are ready, failed, complete or deleted",
        command: Some(osb_wait::Args::command),
        names: Some(Names::Instances),
    },
    Verb {
        name: "abandon",
        about: "Remove the finalizer of an instance or binding whose broker is gone",
        command: Some(osb_abandon::Args::command),
        names: Some(Names::Instances),
    },
    Verb {
        name: "convert-json",
        about: "Convert Instaclustr provisioning-API JSON to ServiceInstance YAML (offline)",
        command: Some(osb_convert_json::Args::command),
        names: None,
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
