//! `osb-model`: The Service Catalog model: typed v1beta1 resources, the controller's reasons, the kind registry, the judge of where an object stands, redaction, parameter parsing, JSON Schema checks, binding key mapping.
//!
//! A layer of the shared crates (see ARCHITECTURE.md): it may use the layers below it, never one above.

pub mod broker_catalog;
pub mod catalog;
pub mod kinds;
pub mod mapping;
pub mod params;
pub mod reasons;
pub mod redact;
pub mod schema;
pub mod state;

// The layers below, under the names this crate's modules use (`crate::error`, …).
#[allow(unused_imports)]
use osb_core::{Error, Exit, Result};
#[allow(unused_imports)]
use osb_core::{complete, duration, error, suggest, yaml};
