//! Printing the way kubectl prints: `-o table|wide|yaml|json|name`, borderless tables with upper-case
//! headers and three spaces between columns, JSON indented by four spaces, YAML documents separated by
//! `---`, names as `kind.group/name`.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

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

/// A table printed as its rows arrive, page by page (kubectl prints each chunk of a long list as it
/// comes): the header goes out with the first rows, and each column is as wide as the widest cell seen so
/// far. When every row comes in one call the output is exactly [`table`]'s.
pub struct StreamTable<W: Write> {
    out: W,
    headers: Vec<String>,
    widths: Vec<usize>,
    rows: usize,
    header: bool,
}

impl<W: Write> StreamTable<W> {
    /// The same table without its header line (`--no-headers`).
    pub fn without_header(mut self) -> Self {
        self.header = false;
        self.widths.iter_mut().for_each(|w| *w = 0);
        self
    }

    /// A table with these headers (printed upper-case), written to `out`.
    pub fn new(out: W, headers: &[&str]) -> Self {
        let headers: Vec<String> = headers.iter().map(|h| h.to_uppercase()).collect();
        let widths = headers.iter().map(|h| h.chars().count()).collect();
        StreamTable {
            out,
            headers,
            widths,
            rows: 0,
            header: true,
        }
    }

    /// Rows printed so far.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row was printed yet.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    fn line(&mut self, cells: &[String]) -> std::io::Result<()> {
        let mut line = String::new();
        let last = self.widths.len().saturating_sub(1);
        for (i, w) in self.widths.iter().enumerate() {
            let cell = cells.get(i).map(String::as_str).unwrap_or("");
            line.push_str(cell);
            if i < last {
                let pad = w.saturating_sub(cell.chars().count()) + 3;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(self.out, "{}", line.trim_end())
    }

    /// Print a page of rows (the header first, with the first non-empty page), then flush.
    pub fn rows(&mut self, rows: Vec<Vec<String>>) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        for row in &rows {
            for (w, cell) in self.widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        if self.rows == 0 && self.header {
            let headers = self.headers.clone();
            self.line(&headers)?;
        }
        for row in &rows {
            self.line(row)?;
        }
        self.rows += rows.len();
        self.out.flush()?;
        Ok(())
    }
}

/// A `kind: List` built object by object as pages arrive (`-o json|yaml|name`): each object is
/// redacted and serialised as it comes (no page is kept as objects), the same bytes as [`print_objects`]
/// of the whole List. Like kubectl, it writes to `out` only at [`ListPrinter::finish`]: a list that
/// fails on a later page leaves stdout empty, never half a document.
pub struct ListPrinter<W: Write> {
    out: W,
    /// The document so far.
    buf: Vec<u8>,
    format: Format,
    items: usize,
    hidden: usize,
}

impl<W: Write> ListPrinter<W> {
    /// Start the List (nothing is written for `-o name`).
    pub fn new(out: W, format: Format) -> Result<Self> {
        let mut buf = Vec::new();
        match format {
            // kubectl's List: its keys in sorted order (apiVersion, items, kind, metadata).
            Format::Json => buf.write_all(b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [")?,
            Format::Yaml => buf.write_all(b"apiVersion: v1\n")?,
            _ => {}
        }
        Ok(ListPrinter {
            out,
            buf,
            format,
            items: 0,
            hidden: 0,
        })
    }

    /// Objects printed so far.
    pub fn len(&self) -> usize {
        self.items
    }

    /// Whether no object was printed yet.
    pub fn is_empty(&self) -> bool {
        self.items == 0
    }

    /// Print a page of objects.
    pub fn objects(&mut self, objects: &[Value]) -> Result<()> {
        for o in objects {
            let (v, n) = shown(o);
            self.hidden += n;
            match self.format {
                Format::Json => {
                    let doc = json_string(&serde_json::json!({ "items": [v] }));
                    let lines: Vec<&str> = doc.lines().collect();
                    let body = lines[2..lines.len().saturating_sub(2)].join("\n");
                    let sep = if self.items == 0 { "\n" } else { ",\n" };
                    write!(self.buf, "{sep}{body}")?;
                }
                Format::Yaml => {
                    let doc = crate::yaml::to_string(&serde_json::json!({ "items": [v] }));
                    let body = doc.split_once('\n').map(|(_, b)| b).unwrap_or_default();
                    if self.items == 0 {
                        self.buf.write_all(b"items:\n")?;
                    }
                    self.buf.write_all(body.as_bytes())?;
                }
                _ => writeln!(self.buf, "{}", name_of(&v))?,
            }
            self.items += 1;
        }
        Ok(())
    }

    /// End the List and write it.
    pub fn finish(mut self) -> Result<()> {
        match (self.format, self.items) {
            (Format::Json, n) => {
                let end = if n == 0 { "" } else { "\n    " };
                write!(
                    self.buf,
                    "{end}],\n    \"kind\": \"List\",\n    \"metadata\": {{\n        \"resourceVersion\": \"\"\n    }}\n}}\n"
                )?
            }
            (Format::Yaml, n) => {
                let items = if n == 0 { "items: []\n" } else { "" };
                write!(
                    self.buf,
                    "{items}kind: List\nmetadata:\n  resourceVersion: \"\"\n"
                )?
            }
            _ => {}
        }
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        if self.hidden > 0 && matches!(self.format, Format::Json | Format::Yaml) {
            eprintln!(
                "Warning: {} sensitive parameter value(s) printed as <redacted>; to keep a secret out of the object, pass it with --params-from-secret",
                self.hidden
            );
        }
        Ok(())
    }
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
    let kind = osb_core::str_at(v, "/kind").to_lowercase();
    let group = v
        .get("apiVersion")
        .and_then(Value::as_str)
        .and_then(|a| a.split_once('/'))
        .map(|(g, _)| g);
    let name = osb_core::str_at(v, "/metadata/name");
    match group {
        Some(g) => format!("{kind}.{g}/{name}"),
        None => format!("{kind}/{name}"),
    }
}

/// Whether `-o json|yaml` keep `metadata.managedFields` (`get --show-managed-fields`); kubectl leaves
/// them out by default, and so do we.
static SHOW_MANAGED_FIELDS: AtomicBool = AtomicBool::new(false);

/// Keep `metadata.managedFields` in this process's `-o json|yaml` output (`--show-managed-fields`).
pub fn show_managed_fields(show: bool) {
    SHOW_MANAGED_FIELDS.store(show, Ordering::Relaxed);
}

/// An object as `-o json|yaml` print it: sensitive parameter values redacted (and how many), keys in
/// sorted order at every level and without `metadata.managedFields` unless asked for, as kubectl prints
/// a custom resource.
pub fn shown(o: &Value) -> (Value, usize) {
    let (mut v, n) = crate::redact::object(o);
    if !SHOW_MANAGED_FIELDS.load(Ordering::Relaxed)
        && let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut)
    {
        meta.shift_remove("managedFields");
    }
    sort_keys(&mut v);
    (v, n)
}

/// Sort every object's keys, recursively (Go's JSON encoder writes a map's keys sorted).
pub fn sort_keys(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.sort_keys();
            m.values_mut().for_each(sort_keys);
        }
        Value::Array(a) => a.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

/// Print objects as `-o yaml|json|name`. Tables are the caller's; this returns false for them.
/// Sensitive parameter values are printed as `<redacted>` (see [`crate::redact`]).
pub fn print_objects(out: &mut impl Write, format: Format, objects: &[Value]) -> Result<bool> {
    let mut hidden = 0;
    let objects: Vec<Value> = objects
        .iter()
        .map(|o| {
            let (v, n) = shown(o);
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
                    serde_json::json!({"apiVersion": "v1", "items": many, "kind": "List", "metadata": {"resourceVersion": ""}})
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

pub use osb_core::to_value;

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

    fn list_of(items: &[Value]) -> Value {
        json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
    }

    #[test]
    fn a_streamed_list_prints_the_same_bytes_as_the_whole_list() {
        let a = json!({"apiVersion": "servicecatalog.k8s.io/v1beta1", "kind": "ServiceInstance",
            "metadata": {"name": "a", "namespace": "n"}, "spec": {"parameters": {"x": [1, {"y": "no"}], "e": {}}}});
        let b = json!({"apiVersion": "servicecatalog.k8s.io/v1beta1", "kind": "ServiceInstance",
            "metadata": {"name": "b"}, "spec": {}});
        for format in [Format::Json, Format::Yaml, Format::Name] {
            for items in [vec![], vec![a.clone()], vec![a.clone(), b.clone()]] {
                let mut whole = Vec::new();
                if format == Format::Name {
                    print_objects(&mut whole, format, &items).expect("printed");
                } else {
                    print_objects(&mut whole, format, &[list_of(&items)]).expect("printed");
                }
                let mut streamed = Vec::new();
                let mut p = ListPrinter::new(&mut streamed, format).expect("printed");
                for one in &items {
                    p.objects(std::slice::from_ref(one)).expect("printed");
                }
                p.finish().expect("printed");
                assert_eq!(
                    String::from_utf8(streamed).expect("printed"),
                    String::from_utf8(whole).expect("printed"),
                    "{format:?} with {} items",
                    items.len()
                );
            }
        }
    }

    #[test]
    fn a_list_that_fails_on_a_later_page_writes_nothing() {
        let a = json!({"kind": "ServiceInstance", "metadata": {"name": "a"}});
        for format in [Format::Json, Format::Yaml, Format::Name] {
            let mut out = Vec::new();
            let mut p = ListPrinter::new(&mut out, format).expect("started");
            p.objects(std::slice::from_ref(&a)).expect("a first page");
            // The next page's request fails: the printer is dropped unfinished.
            drop(p);
            assert!(
                out.is_empty(),
                "{format:?}: {}",
                String::from_utf8_lossy(&out)
            );
        }
    }

    #[test]
    fn a_table_in_one_page_is_the_plain_table_and_later_pages_widen_columns() {
        let rows = vec![
            vec!["a".to_string(), "Ready".to_string(), "1s".to_string()],
            vec!["longer".to_string(), "".to_string(), "2m".to_string()],
        ];
        let mut buf = Vec::new();
        StreamTable::new(&mut buf, &["name", "status", "age"])
            .rows(rows.clone())
            .expect("printed");
        assert_eq!(
            String::from_utf8(buf).expect("printed"),
            table(&["name", "status", "age"], rows)
        );
        let mut buf = Vec::new();
        let mut t = StreamTable::new(&mut buf, &["name", "status"]);
        t.rows(vec![]).expect("printed");
        t.rows(vec![vec!["a".into(), "Ready".into()]])
            .expect("printed");
        t.rows(vec![vec!["a-much-longer-name".into(), "Failed".into()]])
            .expect("printed");
        assert_eq!(t.len(), 2);
        assert_eq!(
            String::from_utf8(buf).expect("printed"),
            "NAME   STATUS\na      Ready\na-much-longer-name   Failed\n"
        );
    }
}
