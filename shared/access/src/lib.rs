//! `osb-access`: Cluster access: the client from kubectl's flags, paged lists, create-or-read-back, finalizers, offerings (brokers, classes, plans), the RBAC check before a write.
//!
//! A layer of the shared crates (see ARCHITECTURE.md): it may use the layers below it, never one above.

pub mod client;
pub mod list;
pub mod create;
pub mod finalizer;
pub mod offerings;
pub mod rbac;
#[cfg(test)]
mod fake_api;

// The layers below, under the names this crate's modules use (`crate::error`, …).
#[allow(unused_imports)]
use osb_core::{error, duration, yaml, suggest};
#[allow(unused_imports)]
use osb_model::{catalog, reasons, kinds, state, redact, params, schema, mapping};
#[allow(unused_imports)]
use osb_core::{Error, Exit, Result};
