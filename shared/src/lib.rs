//! `osb-shared` (lib `osb`): what every `kubectl osb` plugin shares — one name for the layer crates below
//! (ARCHITECTURE.md draws them), each module re-exported at the path the plugins use (`osb::wait`, …).
//!
//! | module (crate) | offers |
//! |---|---|
//! | [`broker`] (access) | a broker's own OSB endpoint, reached as the controller does (URL, authInfo, caBundle) |
//! | [`broker_catalog`] (model) | a broker's own catalog beside the catalog objects (diff), and the OSB 2.14 lint |
//! | [`broker_view`] (ops) | the broker's view of an instance or binding beside the catalog's, and the verdict |
//! | [`catalog`] (model) | typed `servicecatalog.k8s.io/v1beta1` resources (all eight kinds) and the readiness rules |
//! | [`complete`] (core) | [`complete::Complete`], the tag an argument carries for what its value completes to |
//! | [`client`] (access) | [`client::KubeArgs`], kubectl's connection flags, and the client built from them |
//! | [`cli`] (ops) | the `main` every binary calls: parsing, runtime, Ctrl-C, error printing, exit codes |
//! | [`create`] (access) | create, or answer with the object a concurrent run created first (idempotent under races) |
//! | [`error`] (core) | the one error type and the exit-code table |
//! | [`events`] (ops) | an object's Events: describe's Events section (count, age), the next retry from `RetryBackoff` |
//! | [`flags`] (ops) | the write verbs' shared `--dry-run`, `--wait`, `--timeout`, `-o` (one meaning everywhere) |
//! | [`finalizer`] (access) | removing the catalog's finalizer, guarded by resourceVersion and retried on conflict |
//! | [`instaclustr`] (instaclustr) | provisioning-API JSON → ServiceInstance: positioned parsing, validation, class mapping |
//! | [`kinds`] (model) | the one registry of kinds: aliases, plurals, scope, `TYPE/NAME` / `TYPE NAME…` parsing |
//! | [`lifecycle`] (ops) | what provision/bind/unbind/deprovision/describe/get share: names, dry runs, verdicts |
//! | [`mapping`] (model) | binding keys → environment variables as `secretKeyRef`s in workload manifests |
//! | [`offerings`] (access) | brokers, classes and plans in one read, lookups by external name |
//! | [`output`] (print) | `-o table|wide|yaml|json|name` as kubectl prints them |
//! | [`jsonpath`] (print) | kubectl's JSONPath templates (client-go's dialect), for `-o jsonpath` and `--sort-by` |
//! | [`columns`] (print) | `-o custom-columns`, `--sort-by`, `--show-labels`, `-L`, kubectl's tabwriter |
//! | [`params`] (model) | typed `-p`, parameter files, `parametersFrom` (the flags provision and bind share) |
//! | [`rbac`] (access) | the shipped RBAC roles, which grants what, the permission check before a verb's first write |
//! | [`redact`] (model) | sensitive parameter values out of every printed object |
//! | [`schema`] (model) | parameters checked against a plan's JSON Schema before a write; a schema as a parameter table |
//! | [`reasons`] (model) | every reason the catalog controller (v0.3.1) writes: class, objects, plain words |
//! | [`state`] (model) | the one judge of where an object stands (wait, describe, get, abandon agree) |
//! | [`suggest`] (core) | "did you mean" for mistyped names |
//! | [`wait`] (ops) | the watch-based wait engine (Ready *or* Failed at once) behind `wait` and every `--wait` |
//! | [`yaml`] (core) | the only YAML reader/writer of the suite |
//! | [`duration`] (core) | kubectl-style durations (`30s`, `1h30m`) |

pub use osb_access::{broker, client, create, finalizer, list, offerings, rbac};
pub use osb_core::{complete, duration, error, suggest, yaml};
pub use osb_instaclustr::instaclustr;
pub use osb_model::{
    broker_catalog, catalog, kinds, mapping, params, reasons, redact, schema, state,
};
pub use osb_ops::{broker_view, cli, events, flags, lifecycle, wait};
pub use osb_print::{columns, jsonpath, output};

pub use error::{Error, Exit, Result};
pub use osb_core::str_at;
