//! Printing the way kubectl prints: `-o table|wide|yaml|json|name`, borderless tables with upper-case
//! headers and three spaces between columns, JSON indented by four spaces, YAML documents separated by
//! `---`, names as `kind.group/name`.

use std::io::Write;

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table};
use serde_json::Value;

use crate::error::Result;

/// The `-o/--output` formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// Human-readable table (default)
    #[default]
    Table,
    /// Table with extra columns
    Wide,
    /// YAML, one document per object
    Yaml,
    /// JSON, a List when there are several objects
    Json,
    /// kind.group/name, one per line
    Name,
}

impl Format {
    /// Whether this format prints a table (plain or wide).
    pub fn is_table(self) -> bool {
        matches!(self, Format::Table | Format::Wide)
    }
}

/// A table like kubectl's: no borders, no leading space, three spaces between columns.
pub fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut t = Table::new();
    t.load_style(comfy_table::presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(headers.iter().map(|h| h.to_uppercase()));
    for row in rows {
        t.add_row(row);
    }
    let last = headers.len().saturating_sub(1);
    for (i, col) in t.column_iter_mut().enumerate() {
        col.set_padding((0, if i == last { 0 } else { 3 }));
        col.set_cell_alignment(CellAlignment::Left);
        col.set_constraint(ColumnConstraint::ContentWidth);
    }
    let mut s = t
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    s.push('\n');
    s
}

/// JSON with kubectl's four-space indent, ending in a newline.
pub fn json_string(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(v, &mut ser).expect("a serde_json::Value always serialises");
    let mut s = String::from_utf8(buf).expect("serde_json writes UTF-8");
    s.push('\n');
    s
}

/// `kind.group/name` (core group: `kind/name`), kubectl's `-o name`.
pub fn name_of(v: &Value) -> String {
    let kind = v
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_lowercase();
    let group = v
        .get("apiVersion")
        .and_then(Value::as_str)
        .and_then(|a| a.split_once('/'))
        .map(|(g, _)| g);
    let name = v
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match group {
        Some(g) => format!("{kind}.{g}/{name}"),
        None => format!("{kind}/{name}"),
    }
}

/// Print objects as `-o yaml|json|name`. Tables are the caller's; this returns false for them.
/// Sensitive parameter values are printed as `<redacted>` (see [`crate::redact`]).
pub fn print_objects(out: &mut impl Write, format: Format, objects: &[Value]) -> Result<bool> {
    let mut hidden = 0;
    let objects: Vec<Value> = objects
        .iter()
        .map(|o| {
            let (v, n) = crate::redact::object(o);
            hidden += n;
            v
        })
        .collect();
    let objects = objects.as_slice();
    if hidden > 0 && !matches!(format, Format::Name | Format::Table | Format::Wide) {
        eprintln!(
            "Warning: {hidden} sensitive parameter value(s) printed as <redacted>; to keep a secret out of the object, pass it with --params-from-secret"
        );
    }
    match format {
        Format::Json => {
            let doc = match objects {
                [one] => one.clone(),
                many => {
                    serde_json::json!({"apiVersion": "v1", "kind": "List", "items": many, "metadata": {"resourceVersion": ""}})
                }
            };
            out.write_all(json_string(&doc).as_bytes())?;
        }
        Format::Yaml => out.write_all(crate::yaml::to_string_multi(objects).as_bytes())?,
        Format::Name => {
            for o in objects {
                writeln!(out, "{}", name_of(o))?;
            }
        }
        Format::Table | Format::Wide => return Ok(false),
    }
    Ok(true)
}

/// Serialise a typed object to a JSON value with `apiVersion`/`kind` first, as the API returns it.
pub fn to_value<T: serde::Serialize>(obj: &T) -> Value {
    serde_json::to_value(obj).unwrap_or(Value::Null)
}

/// kubectl's message for an empty list, printed to stderr.
pub fn no_resources(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace."),
        None => "No resources found".to_string(),
    }
}

/// Age of an object from its RFC 3339 creation timestamp, as kubectl's AGE column.
pub fn age(ts: Option<&str>) -> String {
    let Some(ts) = ts else {
        return "<unknown>".into();
    };
    let Ok(t) = ts.parse::<jiff::Timestamp>() else {
        return "<unknown>".into();
    };
    let secs = jiff::Timestamp::now().duration_since(t).as_secs().max(0) as u64;
    crate::duration::human(std::time::Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tables_are_borderless_with_three_space_gaps() {
        let t = table(
            &["name", "status"],
            vec![
                vec!["a".into(), "Ready".into()],
                vec!["longer".into(), "".into()],
            ],
        );
        assert_eq!(t, "NAME     STATUS\na        Ready\nlonger\n");
    }

    #[test]
    fn names_and_json_follow_kubectl() {
        let si = json!({"apiVersion": "servicecatalog.k8s.io/v1beta1", "kind": "ServiceInstance", "metadata": {"name": "db"}});
        assert_eq!(name_of(&si), "serviceinstance.servicecatalog.k8s.io/db");
        assert_eq!(
            name_of(&json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}})),
            "secret/s"
        );
        assert_eq!(
            json_string(&json!({"a": [1]})),
            "{\n    \"a\": [\n        1\n    ]\n}\n"
        );
    }
}
