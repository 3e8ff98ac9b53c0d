//! `osb-ops`: Operations: the wait engine and its display, Events, the lifecycle steps, the write verbs' flags, and the main() every binary runs.
//!
//! A layer of the shared crates (see ARCHITECTURE.md): it may use the layers below it, never one above.

pub mod events;
pub mod wait;
pub mod lifecycle;
pub mod flags;
pub mod cli;

// The layers below, under the names this crate's modules use (`crate::error`, …).
#[allow(unused_imports)]
use osb_core::{error, duration, yaml, suggest};
#[allow(unused_imports)]
use osb_model::{catalog, reasons, kinds, state, redact, params, schema, mapping};
#[allow(unused_imports)]
use osb_print::{output};
#[allow(unused_imports)]
use osb_access::{client, list, create, finalizer, offerings, rbac};
#[allow(unused_imports)]
use osb_core::{Error, Exit, Result};
