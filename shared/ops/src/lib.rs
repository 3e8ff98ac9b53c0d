//! `osb-ops`: Operations: the wait engine and its display, Events, the lifecycle steps, the write verbs' flags, and the main() every binary runs.
//!
//! A layer of the shared crates (see ARCHITECTURE.md): it may use the layers below it, never one above.

pub mod broker_view;
pub mod cli;
pub mod events;
pub mod flags;
pub mod lifecycle;
pub mod wait;

// The layers below, under the names this crate's modules use (`crate::error`, …).
#[allow(unused_imports)]
use osb_access::{broker, client, create, finalizer, list, offerings, rbac};
#[allow(unused_imports)]
use osb_core::{Error, Exit, Result};
#[allow(unused_imports)]
use osb_core::{complete, duration, error, suggest, yaml};
#[allow(unused_imports)]
use osb_model::{catalog, kinds, mapping, params, reasons, redact, schema, state};
#[allow(unused_imports)]
use osb_print::{jsonpath, output};
