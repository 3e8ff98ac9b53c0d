//! `osb-print`: Printers: -o table|wide|yaml|json|name as kubectl prints them, streamed pages, redaction applied.
//!
//! A layer of the shared crates (see ARCHITECTURE.md): it may use the layers below it, never one above.

pub mod columns;
pub mod jsonpath;
pub mod output;

// The layers below, under the names this crate's modules use (`crate::error`, …).
#[allow(unused_imports)]
use osb_core::{Error, Exit, Result};
#[allow(unused_imports)]
use osb_core::{duration, error, suggest, yaml};
#[allow(unused_imports)]
use osb_model::{catalog, kinds, mapping, params, reasons, redact, schema, state};
