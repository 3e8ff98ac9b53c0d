//! `osb-instaclustr`: The Instaclustr converter: v1 and v2 create bodies parsed with positions, validated, turned into ServiceInstances and back.
//!
//! A layer of the shared crates (see ARCHITECTURE.md): it may use the layers below it, never one above.

pub mod instaclustr;

// The layers below, under the names this crate's modules use (`crate::error`, …).
#[allow(unused_imports)]
use osb_core::{Error, Exit, Result};
#[allow(unused_imports)]
use osb_core::{duration, error, suggest, yaml};
#[allow(unused_imports)]
use osb_model::{catalog, kinds, mapping, params, reasons, redact, schema, state};
