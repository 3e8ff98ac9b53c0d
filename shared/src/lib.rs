//! `osb-shared`: what every `kubectl osb` plugin shares.
//!
//! | module | offers |
//! |---|---|
//! | [`catalog`] | typed `servicecatalog.k8s.io/v1beta1` resources (all eight kinds) and the readiness rules |
//! | [`client`] | [`client::KubeArgs`], kubectl's connection flags, and the client built from them |
//! | [`cli`] | the `main` every binary calls: parsing, runtime, Ctrl-C, error printing, exit codes |
//! | [`create`] | create, or answer with the object a concurrent run created first (idempotent under races) |
//! | [`error`] | the one error type and the exit-code table |
//! | [`events`] | an object's Events: describe's Events section (count, age), the next retry from `RetryBackoff` |
//! | [`flags`] | the write verbs' shared `--dry-run`, `--wait`, `--timeout`, `-o` (one meaning everywhere) |
//! | [`finalizer`] | removing the catalog's finalizer, guarded by resourceVersion and retried on conflict |
//! | [`instaclustr`] | provisioning-API JSON → ServiceInstance: positioned parsing, validation, class mapping |
//! | [`kinds`] | the one registry of kinds: aliases, plurals, scope, `TYPE/NAME` / `TYPE NAME…` parsing |
//! | [`lifecycle`] | what provision/bind/unbind/deprovision/describe/get share: names, dry runs, verdicts |
//! | [`mapping`] | binding keys → environment variables as `secretKeyRef`s in workload manifests |
//! | [`offerings`] | brokers, classes and plans in one read, lookups by external name |
//! | [`output`] | `-o table|wide|yaml|json|name` as kubectl prints them |
//! | [`params`] | typed `-p`, parameter files, `parametersFrom` (the flags provision and bind share) |
//! | [`rbac`] | the shipped RBAC roles, which grants what, the permission check before a verb's first write |
//! | [`redact`] | sensitive parameter values out of every printed object |
//! | [`schema`] | parameters checked against a plan's JSON Schema before a write; a schema as a parameter table |
//! | [`reasons`] | every reason the catalog controller (v0.3.1) writes: class, objects, plain words |
//! | [`state`] | the one judge of where an object stands (wait, describe, get, abandon agree) |
//! | [`suggest`] | "did you mean" for mistyped names |
//! | [`wait`] | the watch-based wait engine (Ready *or* Failed at once) behind `wait` and every `--wait` |
//! | [`yaml`] | the only YAML reader/writer of the suite |
//! | [`duration`] | kubectl-style durations (`30s`, `1h30m`) |

pub mod catalog;
pub mod cli;
pub mod client;
pub mod create;
pub mod duration;
pub mod error;
pub mod events;
#[cfg(test)]
mod fake_api;
pub mod finalizer;
pub mod flags;
pub mod instaclustr;
pub mod kinds;
pub mod lifecycle;
pub mod list;
pub mod mapping;
pub mod offerings;
pub mod output;
pub mod params;
pub mod rbac;
pub mod reasons;
pub mod redact;
pub mod schema;
pub mod state;
pub mod suggest;
pub mod wait;
pub mod yaml;

pub use error::{Error, Exit, Result};
