//! kubectl get's other printers and list options, on objects as JSON: `-o custom-columns[-file]`,
//! `--sort-by`, `--show-labels` and `-L`, with kubectl's tabwriter (cells padded by three spaces, at
//! least six wide, the last column unpadded).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::jsonpath::{Template, go_sprint, relaxed};
use crate::output::Format;

/// Lines of tab-separated cells as Go's `text/tabwriter` lays them out with kubectl's settings
/// (`minwidth` 6, padding 3, spaces).
pub fn tabwriter(lines: &[Vec<String>]) -> String {
    Tabwriter::default().lines(lines)
}

/// kubectl's tabwriter across flushes (`get -w`): a column is as wide as its widest cell so far, in
/// this call or an earlier one (kubectl's writer remembers widths).
#[derive(Debug, Default)]
pub struct Tabwriter {
    widths: Vec<usize>,
}

impl Tabwriter {
    /// Lay out `lines`, widening the remembered widths.
    pub fn lines(&mut self, lines: &[Vec<String>]) -> String {
        let cols = lines.iter().map(Vec::len).max().unwrap_or(0);
        if self.widths.len() < cols {
            self.widths.resize(cols, 0);
        }
        for line in lines {
            // Every cell but a line's last is tab-terminated, and only those make a column's width.
            for (i, cell) in line.iter().enumerate().take(line.len().saturating_sub(1)) {
                self.widths[i] = self.widths[i].max((cell.chars().count() + 3).max(6));
            }
        }
        let mut out = String::new();
        for line in lines {
            for (i, cell) in line.iter().enumerate() {
                out.push_str(cell);
                if i + 1 < line.len() {
                    let pad = self.widths[i] - cell.chars().count();
                    out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push('\n');
        }
        out
    }
}

/// `-o custom-columns=HEADER:PATH,…` (or the two lines of a `custom-columns-file`).
#[derive(Debug, Clone)]
pub struct CustomColumns {
    columns: Vec<(String, Template)>,
}

fn bad(e: impl std::fmt::Display) -> Error {
    Error::Input(e.to_string())
}

impl CustomColumns {
    /// Parse `-o custom-columns=…`'s spec, as kubectl does.
    pub fn from_spec(spec: &str) -> Result<CustomColumns> {
        if spec.is_empty() {
            return Err(bad(
                "custom-columns format specified but no custom columns given",
            ));
        }
        let mut columns = Vec::new();
        for part in spec.split(',') {
            let Some((header, path)) = part.split_once(':') else {
                return Err(bad(format!(
                    "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
                )));
            };
            columns.push((header.to_string(), Self::template(path)?));
        }
        Ok(CustomColumns { columns })
    }

    /// Parse a `custom-columns-file`: a line of headers, a line of paths, split on whitespace.
    pub fn from_file(text: &str) -> Result<CustomColumns> {
        let mut lines = text.lines();
        let headers: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
        let paths: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
        if headers.len() != paths.len() {
            return Err(bad(format!(
                "number of headers ({}) and field specifications ({}) don't match",
                headers.len(),
                paths.len()
            )));
        }
        let columns = headers
            .iter()
            .zip(&paths)
            .map(|(h, p)| Ok((h.to_string(), Self::template(p)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(CustomColumns { columns })
    }

    fn template(path: &str) -> Result<Template> {
        Template::parse_relaxed(path).map_err(bad)
    }

    /// The table of `objects` (header unless `no_headers`).
    pub fn render(&self, objects: &[Value], no_headers: bool) -> Result<String> {
        let mut lines = Vec::new();
        if !no_headers {
            lines.push(self.headers());
        }
        for o in objects {
            lines.push(self.cells(o)?);
        }
        Ok(tabwriter(&lines))
    }

    /// The header line's cells.
    pub fn headers(&self) -> Vec<String> {
        self.columns.iter().map(|(h, _)| h.clone()).collect()
    }

    /// One object's cells: each the path's values joined by commas (`fmt.Sprint` each), `<none>` when
    /// it finds nothing.
    pub fn cells(&self, o: &Value) -> Result<Vec<String>> {
        let mut line = Vec::new();
        for (_, t) in &self.columns {
            let found = t.values(o).map_err(bad)?;
            let none = found
                .first()
                .is_none_or(Vec::is_empty)
                .then(|| "<none>".to_string());
            let cells: Vec<String> = none
                .into_iter()
                .chain(found.iter().flatten().map(go_sprint))
                .collect();
            line.push(cells.join(","));
        }
        Ok(line)
    }
}

/// Sort `objects` by the `--sort-by` path as kubectl does (numbers by value, strings as quantities when
/// both are, else byte by byte; objects without the field first). An empty result of the path on every object is kubectl's
/// "couldn't find any field" error.
pub fn sort_by<T>(objects: Vec<(Value, T)>, expr: &str) -> Result<Vec<(Value, T)>> {
    let path = relaxed(expr).map_err(bad)?;
    let t = Template::parse(&path).map_err(bad)?;
    let mut keyed = Vec::with_capacity(objects.len());
    for (o, x) in objects {
        let key = t.values(&o).map_err(bad)?.into_iter().flatten().next();
        keyed.push((key, (o, x)));
    }
    if !keyed.is_empty() && keyed.iter().all(|(k, _)| k.is_none()) {
        return Err(bad(format!(
            "couldn't find any field with path \"{path}\" in the list of objects"
        )));
    }
    keyed.sort_by(|a, b| less(&a.0, &b.0));
    Ok(keyed.into_iter().map(|(_, o)| o).collect())
}

fn less(a: &Option<Value>, b: &Option<Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => strings(x, y),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(x), Some(y)) => go_sprint(x).cmp(&go_sprint(y)),
    }
}

/// Two strings as kubectl's sorter compares them: as quantities when both are Kubernetes quantities
/// (`2` < `9` < `10`, `500m` < `1`, `1Ki` < `1M`), else byte by byte.
fn strings(a: &str, b: &str) -> Ordering {
    match (quantity(a), quantity(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.cmp(b),
    }
}

/// The value of a Kubernetes quantity (`[+-]digits[.digits]` then a binary or decimal SI suffix or an
/// exponent), or `None` when the text is not one.
fn quantity(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let number_len = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (number, suffix) = body.split_at(number_len);
    if number.is_empty() || number == "." || number.matches('.').count() > 1 {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let scale = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        e => {
            let exp = e.strip_prefix(['e', 'E'])?;
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            10f64.powi(exp.parse().ok()?)
        }
    };
    let sign = if s.starts_with('-') { -1.0 } else { 1.0 };
    Some(sign * value * scale)
}

/// `--show-labels` and `-L/--label-columns` on a table: kubectl adds one column per `-L` key (header:
/// the key after its last `/`, upper case; cell: the value, empty without it), then LABELS (`k=v,…`
/// sorted by key, `<none>` without labels).
#[derive(Debug, Clone, Default)]
pub struct LabelColumns {
    pub keys: Vec<String>,
    pub show_labels: bool,
}

impl LabelColumns {
    /// The headers these add.
    pub fn headers(&self) -> Vec<String> {
        let mut h: Vec<String> = self
            .keys
            .iter()
            .map(|k| k.rsplit('/').next().unwrap_or(k).to_uppercase())
            .collect();
        if self.show_labels {
            h.push("LABELS".into());
        }
        h
    }

    /// The cells these add for an object with `labels`.
    pub fn cells(&self, labels: Option<&BTreeMap<String, String>>) -> Vec<String> {
        let mut c: Vec<String> = self
            .keys
            .iter()
            .map(|k| labels.and_then(|l| l.get(k)).cloned().unwrap_or_default())
            .collect();
        if self.show_labels {
            let pairs: Vec<String> = labels
                .into_iter()
                .flatten()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            c.push(if pairs.is_empty() {
                "<none>".into()
            } else {
                pairs.join(",")
            });
        }
        c
    }
}

/// kubectl get's `-o`: the formats of [`Format`], a JSONPath template, or custom columns.
#[derive(Debug, Clone)]
pub enum Printer {
    Format(Format),
    JsonPath(Template),
    Columns(CustomColumns),
}

fn read(path: &str) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| bad(format!("error reading template {path}, {e}")))
}

impl Printer {
    /// Parse `-o`'s value as kubectl does (files are read here).
    pub fn parse(output: &str) -> Result<Printer> {
        let jsonpath = |t: &str| {
            Template::parse(t)
                .map(Printer::JsonPath)
                .map_err(|e| bad(format!("error parsing jsonpath {t}, {e}")))
        };
        let (name, value) = output.split_once('=').unwrap_or((output, ""));
        match name {
            "" | "table" => Ok(Printer::Format(Format::Table)),
            "wide" => Ok(Printer::Format(Format::Wide)),
            "yaml" => Ok(Printer::Format(Format::Yaml)),
            "json" => Ok(Printer::Format(Format::Json)),
            "name" => Ok(Printer::Format(Format::Name)),
            "jsonpath" if value.is_empty() => {
                Err(bad("template format specified but no template given"))
            }
            "jsonpath" => jsonpath(value),
            "jsonpath-file" => jsonpath(&read(value)?),
            "custom-columns" => CustomColumns::from_spec(value).map(Printer::Columns),
            "custom-columns-file" => CustomColumns::from_file(&read(value)?).map(Printer::Columns),
            _ => Err(bad(format!(
                "unable to match a printer suitable for the output format \"{output}\", allowed formats are: {}",
                OUTPUTS.join(",")
            ))),
        }
    }

    /// The table format, if this prints kubectl's human-readable table.
    pub fn table(&self) -> Option<Format> {
        match self {
            Printer::Format(f) if f.is_table() => Some(*f),
            _ => None,
        }
    }

    /// Print `objects` (one object when `single`, else a `kind: List` of them) with a template or custom
    /// columns; `false` for the formats of [`Format`], which the caller prints.
    pub fn print(
        &self,
        out: &mut impl std::io::Write,
        objects: &[Value],
        single: bool,
        no_headers: bool,
    ) -> Result<bool> {
        let text = match self {
            Printer::Format(_) => return Ok(false),
            Printer::Columns(c) => c.render(objects, no_headers)?,
            Printer::JsonPath(t) => {
                let data = match objects {
                    [one] if single => one.clone(),
                    many => {
                        serde_json::json!({"apiVersion": "v1", "items": many, "kind": "List", "metadata": {"resourceVersion": ""}})
                    }
                };
                t.render(&data)
                    .map_err(|e| bad(format!("error executing jsonpath: {e}")))?
            }
        };
        out.write_all(text.as_bytes())?;
        Ok(true)
    }
}

/// `-o`'s values, as completion offers them.
pub const OUTPUTS: [&str; 9] = [
    "custom-columns=",
    "custom-columns-file=",
    "json",
    "jsonpath=",
    "jsonpath-file=",
    "name",
    "table",
    "wide",
    "yaml",
];

/// clap's parser for kubectl get's `-o`: any text (checked by [`Printer::parse`], so a bad template is
/// kubectl's `error: …`, exit 1), with [`OUTPUTS`] as the values completion and help offer.
#[derive(Clone, Copy, Debug)]
pub struct OutputParser;

impl clap::builder::TypedValueParser for OutputParser {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            OUTPUTS.iter().map(clap::builder::PossibleValue::new),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(name: &str, labels: Value, n: i64) -> Value {
        json!({"metadata": {"name": name, "labels": labels}, "spec": {"n": n, "tags": ["a", "b"]}})
    }

    #[test]
    fn a_watch_table_widens_its_columns_and_never_narrows_them() {
        let mut w = Tabwriter::default();
        let row = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
        assert_eq!(
            w.lines(&[row("NAME", "STATUS"), row("a", "Ready")]),
            "NAME   STATUS\na      Ready\n"
        );
        assert_eq!(w.lines(&[row("longer-name", "x")]), "longer-name   x\n");
        assert_eq!(w.lines(&[row("b", "y")]), "b             y\n");
        assert_eq!(tabwriter(&[row("b", "y")]), "b     y\n");
    }

    #[test]
    fn custom_columns_as_kubectl_prints_them() {
        let objects = [
            obj("a", json!({"x": "1"}), 2),
            obj("bb-longer", json!({}), 10),
        ];
        let c = CustomColumns::from_spec(
            "NAME:.metadata.name,N:spec.n,TAGS:{.spec.tags[*]},X:.metadata.labels.x",
        )
        .expect("parsed");
        assert_eq!(
            c.render(&objects, false).expect("printed"),
            "NAME        N     TAGS   X\na           2     a,b    1\nbb-longer   10    a,b    <none>\n"
        );
        assert_eq!(
            c.render(&objects, true).expect("printed"),
            "a           2     a,b   1\nbb-longer   10    a,b   <none>\n"
        );
        let f = CustomColumns::from_file("NAME   N\n.metadata.name  .spec.n\n").expect("parsed");
        assert_eq!(
            f.render(&objects[..1], false).expect("printed"),
            "NAME   N\na      2\n"
        );
        assert!(CustomColumns::from_spec("NAME").is_err());
        assert!(CustomColumns::from_file("A B\n.a\n").is_err());
    }

    #[test]
    fn sort_by_numbers_strings_and_missing() {
        let v: Vec<(Value, usize)> = [
            obj("x10", json!({}), 10),
            obj("x9", json!({}), 9),
            json!({"metadata": {"name": "m"}}),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, o)| (o, i))
        .collect();
        let v = sort_by(v, ".spec.n").expect("sorted");
        assert_eq!(v.iter().map(|x| x.1).collect::<Vec<_>>(), [2, 1, 0]);
        let v = sort_by(v, "{.metadata.name}").expect("sorted");
        assert_eq!(v.iter().map(|x| x.1).collect::<Vec<_>>(), [2, 0, 1]);
        assert!(sort_by(v, ".nothing").is_err());
        // kubectl: quantities by value, other strings byte by byte (not natural order).
        assert_eq!(strings("9", "10"), Ordering::Less);
        assert_eq!(strings("500m", "1"), Ordering::Less);
        assert_eq!(strings("2Ki", "2k"), Ordering::Greater);
        assert_eq!(strings("1e3", "999"), Ordering::Greater);
        assert_eq!(strings("a2", "a10"), Ordering::Greater);
        assert_eq!(strings("389e6500-93f9", "41f7f500-118c"), Ordering::Less);
        assert_eq!(quantity("3e"), None);
        assert_eq!(quantity(""), None);
    }

    #[test]
    fn label_columns() {
        let labels: BTreeMap<String, String> =
            [("b", "2"), ("a", "1"), ("app.kubernetes.io/tier", "db")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let l = LabelColumns {
            keys: vec!["app.kubernetes.io/tier".into(), "zz".into()],
            show_labels: true,
        };
        assert_eq!(l.headers(), ["TIER", "ZZ", "LABELS"]);
        assert_eq!(
            l.cells(Some(&labels)),
            ["db", "", "a=1,app.kubernetes.io/tier=db,b=2"]
        );
        assert_eq!(l.cells(None), ["", "", "<none>"]);
    }

    #[test]
    fn outputs_parse_as_kubectl_names_them() {
        assert!(matches!(
            Printer::parse("wide"),
            Ok(Printer::Format(Format::Wide))
        ));
        assert!(matches!(
            Printer::parse("jsonpath={.a}"),
            Ok(Printer::JsonPath(_))
        ));
        let e = Printer::parse("jsonpath={.a")
            .expect_err("refused")
            .render();
        assert_eq!(
            e.as_deref(),
            Some("error: error parsing jsonpath {.a, unclosed action")
        );
        assert!(Printer::parse("go-template={{.}}").is_err());
        let mut out = Vec::new();
        let p = Printer::parse("jsonpath={.items[*].a}").expect("parsed");
        assert!(
            p.print(&mut out, &[json!({"a": 1}), json!({"a": 2})], false, false)
                .expect("printed")
        );
        assert_eq!(out, b"1 2");
    }
}
