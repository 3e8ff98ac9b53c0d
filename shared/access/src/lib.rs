//! `osb-access`: Cluster access: the client from kubectl's flags, paged lists, create-or-read-back, finalizers, offerings (brokers, classes, plans), the RBAC check before a write.
//!
//! A layer of the shared crates (see ARCHITECTURE.md): it may use the layers below it, never one above.

pub mod broker;
pub mod client;
pub mod create;
#[cfg(test)]
mod fake_api;
pub mod finalizer;
pub mod list;
pub mod offerings;
pub mod rbac;

// The layers below, under the names this crate's modules use (`crate::error`, …).
#[allow(unused_imports)]
use osb_core::{Error, Exit, Result};
#[allow(unused_imports)]
use osb_core::{complete, duration, error, suggest, yaml};
#[allow(unused_imports)]
use osb_model::{catalog, kinds, mapping, params, reasons, redact, schema, state};
