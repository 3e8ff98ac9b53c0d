//! `osb-core`: The bottom layer: the one error type and exit codes, kubectl-style durations, the exact YAML reader/writer, "did you mean", the completion tag arguments carry.
//!
//! A layer of the shared crates (see ARCHITECTURE.md): it may use the layers below it, never one above.

pub mod complete;
pub mod duration;
pub mod error;
pub mod suggest;
pub mod yaml;
pub use error::{Error, Exit, Result};

/// An object as JSON (`Null` should serialising fail, which the suite's types never do).
pub fn to_value<T: serde::Serialize>(obj: &T) -> serde_json::Value {
    serde_json::to_value(obj).unwrap_or(serde_json::Value::Null)
}
