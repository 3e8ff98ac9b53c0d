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

/// What a JSON value is, for messages: "a string", "an object", "null", …
pub fn type_name(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The string at a JSON pointer (`/metadata/name`), or "" when absent or not a string.
pub fn str_at<'a>(v: &'a serde_json::Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
}
