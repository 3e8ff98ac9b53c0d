//! `get -w` / `--watch-only` / `--output-watch-events`: the list, then a line (or an object) for every
//! change, as `kubectl get -w` prints them.
//!
//! * The objects come from the wait engine's watcher ([`osb::wait::watch::objects`]): after an expired
//!   watch (410) or an API server restart it lists again and goes on, where kubectl's watch ends.
//! * A list again after a gap prints only what changed in the gap: [`Seen`] keeps each shown object's
//!   resourceVersion (one short entry per live object; nothing grows with time).
//! * Tables: the first list is printed aligned in one piece (its rows held as cells until it is
//!   complete), then one row per change, each column as
//!   wide as the widest cell seen so far (kubectl's tabwriter remembers widths across flushes);
//!   `--output-watch-events` adds an EVENT column (ADDED, MODIFIED, DELETED). `-o json|yaml|name`,
//!   `jsonpath` and `custom-columns` print each object by itself, as kubectl does (`---` between YAML
//!   documents; with `--output-watch-events`, `{"type":…,"object":…}` on one line, or YAML `object:`
//!   then `type:`).

use std::collections::HashMap;
use std::io::Write;

use futures::StreamExt;
use kube::api::DynamicObject;
use kube::runtime::watcher::Event;
use osb::client::Kube;
use osb::columns::{CustomColumns, Printer, Tabwriter};
use osb::error::{Error, Result};
use osb::jsonpath::Template;
use osb::output::{self, Format, StreamTable};
use serde_json::Value;

use super::Listing;

/// What a watch event did to an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    Added,
    Modified,
    Deleted,
}

impl Change {
    fn word(self) -> &'static str {
        match self {
            Change::Added => "ADDED",
            Change::Modified => "MODIFIED",
            Change::Deleted => "DELETED",
        }
    }
}

/// The resourceVersion last shown of every live object, and which list round last saw it.
#[derive(Default)]
struct Seen {
    shown: HashMap<(String, String), (String, u64)>,
    round: u64,
}

impl Seen {
    /// What showing `o` would tell, or `None` when this version of it was shown already.
    fn apply(&mut self, o: &DynamicObject) -> Option<Change> {
        let key = key(o);
        let rv = o.metadata.resource_version.clone().unwrap_or_default();
        let round = self.round;
        match self.shown.insert(key, (rv.clone(), round)) {
            None => Some(Change::Added),
            Some((old, _)) if old == rv => None,
            Some(_) => Some(Change::Modified),
        }
    }

    fn delete(&mut self, o: &DynamicObject) -> Change {
        self.shown.remove(&key(o));
        Change::Deleted
    }

    /// A new list begins (the first, or again after a gap).
    fn relist(&mut self) {
        self.round += 1;
    }

    /// The list is complete: objects it no longer holds went away in the gap (their last state is not
    /// known any more, so they are forgotten without a line).
    fn listed(&mut self) {
        let round = self.round;
        self.shown.retain(|_, (_, r)| *r == round);
    }
}

fn key(o: &DynamicObject) -> (String, String) {
    (
        o.metadata.namespace.clone().unwrap_or_default(),
        o.metadata.name.clone().unwrap_or_default(),
    )
}

/// Where the lines go, by output format.
enum Sink<'a> {
    Table(StreamTable<std::io::StdoutLock<'a>>),
    Columns {
        columns: CustomColumns,
        writer: Tabwriter,
        header: bool,
    },
    JsonPath(Template),
    Objects {
        format: Format,
        count: usize,
    },
}

/// Watch what `list` lists and print every change; runs until interrupted or a watch error no retry
/// mends (403, 404). `rows` makes table rows as `get` does.
pub async fn watch<K>(
    kube: &Kube,
    list: &Listing,
    only: bool,
    events: bool,
    mut rows: impl AsyncFnMut(&[K]) -> Vec<Vec<String>>,
) -> Result<()>
where
    K: kube::Resource + serde::de::DeserializeOwned,
{
    let ar = list.kind.resource();
    let fields = match &list.name {
        Some(n) => Some(format!("metadata.name={n}")),
        None => list.params.field_selector.clone(),
    };
    let mut stream = osb::wait::watch::objects(
        &kube.client,
        list.kind,
        list.namespace(kube),
        list.params.label_selector.as_deref(),
        fields.as_deref(),
        kube.chunk_size,
    );
    let mut sink = match &list.printer {
        Printer::Format(f) if f.is_table() => {
            let mut headers = list.headers.clone();
            if events {
                headers.insert(0, "event".into());
            }
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let table = StreamTable::new(std::io::stdout().lock(), &headers);
            Sink::Table(if list.opts.no_headers {
                table.without_header()
            } else {
                table
            })
        }
        Printer::Format(f) => Sink::Objects {
            format: *f,
            count: 0,
        },
        Printer::Columns(c) => Sink::Columns {
            columns: c.clone(),
            writer: Tabwriter::default(),
            header: !list.opts.no_headers,
        },
        Printer::JsonPath(t) => Sink::JsonPath(t.clone()),
    };
    let mut seen = Seen::default();
    // Until the first list is complete: its table rows are held (only their cells, never the objects:
    // at 10,000 instances that is a few MB) so that the table is aligned in one piece; other outputs
    // print each object as it comes.
    let mut first_list = true;
    let mut held: Vec<Vec<String>> = Vec::new();
    while let Some(item) = stream.next().await {
        let event = match item {
            Ok(e) => e,
            Err(e) => match osb::wait::watch::fatal(&e) {
                Some(fatal) => return Err(fatal),
                // Resumed by the watcher (with backoff).
                None => continue,
            },
        };
        let (change, o) = match event {
            Event::Init => {
                seen.relist();
                continue;
            }
            Event::InitApply(o) | Event::Apply(o) => match seen.apply(&o) {
                Some(c) => (c, o),
                None => continue,
            },
            Event::Delete(o) => (seen.delete(&o), o),
            Event::InitDone => {
                seen.listed();
                if std::mem::take(&mut first_list)
                    && let Sink::Table(table) = &mut sink
                {
                    table.rows(std::mem::take(&mut held))?;
                }
                continue;
            }
        };
        if first_list && only {
            continue;
        }
        let mut v = output::to_value(&o);
        drop(o);
        // Listed objects come without their type; kubectl's printers see it filled in.
        v["apiVersion"] = Value::from(ar.api_version.clone());
        v["kind"] = Value::from(ar.kind.clone());
        let objects = [(change, v)];
        match &mut sink {
            Sink::Table(_) if first_list => {
                held.extend(table_lines(list, events, &objects, &mut rows).await?)
            }
            _ => print(&mut sink, list, events, &objects, &mut rows).await?,
        }
    }
    Ok(())
}

/// Table rows of `objects`: `get`'s own cells, the label columns, and the event type first with
/// `--output-watch-events`.
async fn table_lines<K>(
    list: &Listing,
    events: bool,
    objects: &[(Change, Value)],
    rows: &mut impl AsyncFnMut(&[K]) -> Vec<Vec<String>>,
) -> Result<Vec<Vec<String>>>
where
    K: kube::Resource + serde::de::DeserializeOwned,
{
    let typed = objects
        .iter()
        .map(|(_, v)| serde_json::from_value::<K>(v.clone()))
        .collect::<std::result::Result<Vec<K>, _>>()
        .map_err(|e| Error::Input(format!("unexpected object from the API server: {e}")))?;
    let mut lines = list.opts.extend(&typed, rows(&typed).await);
    if events {
        for (line, (c, _)) in lines.iter_mut().zip(objects) {
            line.insert(0, c.word().to_string());
        }
    }
    Ok(lines)
}

/// Print `objects` (with what happened to each) to `sink`, then flush.
async fn print<K>(
    sink: &mut Sink<'_>,
    list: &Listing,
    events: bool,
    objects: &[(Change, Value)],
    rows: &mut impl AsyncFnMut(&[K]) -> Vec<Vec<String>>,
) -> Result<()>
where
    K: kube::Resource + serde::de::DeserializeOwned,
{
    let mut out = std::io::stdout().lock();
    match sink {
        Sink::Table(table) => table.rows(table_lines(list, events, objects, rows).await?)?,
        Sink::Columns {
            columns,
            writer,
            header,
        } => {
            let mut lines = Vec::new();
            if std::mem::take(header) {
                lines.push(columns.headers());
            }
            for (_, v) in objects {
                lines.push(columns.cells(&osb::redact::object(v).0)?);
            }
            out.write_all(writer.lines(&lines).as_bytes())?;
        }
        Sink::JsonPath(t) => {
            for (_, v) in objects {
                let text = t
                    .render(&osb::redact::object(v).0)
                    .map_err(|e| Error::Input(format!("error executing jsonpath: {e}")))?;
                out.write_all(text.as_bytes())?;
            }
        }
        Sink::Objects { format, count } => {
            for (c, v) in objects {
                // kubectl prints watch events whole, objects without their managedFields.
                let v = if events {
                    let mut v = osb::redact::object(v).0;
                    output::sort_keys(&mut v);
                    v
                } else {
                    output::shown(v).0
                };
                let text = match format {
                    Format::Name => format!("{}\n", output::name_of(&v)),
                    // kubectl prints a watch event as one line of compact JSON.
                    Format::Json if events => {
                        let line = serde_json::json!({"type": c.word(), "object": v});
                        format!("{line}\n")
                    }
                    Format::Json => output::json_string(&v),
                    _ => {
                        let doc = if events {
                            serde_json::json!({"object": v, "type": c.word()})
                        } else {
                            v
                        };
                        let sep = if *count > 0 { "---\n" } else { "" };
                        format!("{sep}{}", osb::yaml::to_string(&doc))
                    }
                };
                *count += 1;
                out.write_all(text.as_bytes())?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(ns: &str, name: &str, rv: &str) -> DynamicObject {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "X",
            "metadata": {"namespace": ns, "name": name, "resourceVersion": rv}
        }))
        .expect("an object")
    }

    #[test]
    fn a_list_again_after_a_gap_shows_only_what_changed() {
        let mut seen = Seen::default();
        seen.relist();
        assert_eq!(seen.apply(&object("a", "x", "1")), Some(Change::Added));
        assert_eq!(seen.apply(&object("a", "y", "2")), Some(Change::Added));
        assert_eq!(seen.apply(&object("b", "x", "3")), Some(Change::Added));
        seen.listed();
        assert_eq!(seen.apply(&object("a", "x", "4")), Some(Change::Modified));
        assert_eq!(seen.apply(&object("a", "x", "4")), None);
        // The watch expires; the list again: x unchanged, y gone in the gap, b/x changed, z new.
        seen.relist();
        assert_eq!(seen.apply(&object("a", "x", "4")), None);
        assert_eq!(seen.apply(&object("b", "x", "5")), Some(Change::Modified));
        assert_eq!(seen.apply(&object("a", "z", "6")), Some(Change::Added));
        seen.listed();
        assert_eq!(seen.shown.len(), 3, "y is forgotten");
        assert_eq!(seen.apply(&object("a", "y", "7")), Some(Change::Added));
        assert_eq!(seen.delete(&object("a", "y", "8")), Change::Deleted);
        assert_eq!(seen.shown.len(), 3);
    }
}
