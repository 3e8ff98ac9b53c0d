//! A v2 body checked against [`super::rules`]: every mistake at once, each at its JSON Pointer with what
//! was expected, what was given and, where a known name is close, "did you mean". A v1 key in a v2 body
//! is named with its v2 counterpart. Read-only answer fields (a body copied from a GET answer) are
//! warnings; everything else the rules say is an error, as the API would refuse it.

use serde_json::{Map, Value};

use super::App;
use super::rules::{Cross, Field, Kind, Obj, Text, Ty};
use crate::instaclustr::parse::pointer_segment;
use crate::instaclustr::validate::{Finding, Findings};
use crate::suggest::did_you_mean;

/// v1 fields and where their meaning lives in a v2 body.
pub const V1_PAIRS: &[(&str, &str)] = &[
    ("clusterName", "name"),
    ("pciCompliantCluster", "pciComplianceMode"),
    ("bundledUseOnlyCluster", "bundledUseOnly"),
    ("dataCentreCustomName", "dataCentres[].name"),
    (
        "bundles",
        "the version field (cassandraVersion, kafkaVersion, …) and the add-on arrays (spark, schemaRegistry, restProxy)",
    ),
    ("provider", "dataCentres[].cloudProvider"),
    ("dataCentre", "dataCentres[].region"),
    ("clusterNetwork", "dataCentres[].network"),
    ("nodeSize", "dataCentres[].nodeSize"),
    (
        "rackAllocation",
        "replicationFactor (the racks) and numberOfNodes (racks × nodes per rack)",
    ),
    (
        "firewallRules",
        "no create-body field: firewall rules are separate v2 resources (cluster-network-firewall-rules)",
    ),
];

/// In a data centre, the v1 spellings of its fields.
const V1_DC_PAIRS: &[(&str, &str)] = &[
    ("dataCentre", "region"),
    ("provider", "cloudProvider"),
    ("clusterNetwork", "network"),
    (
        "rackAllocation",
        "replicationFactor (the racks) and numberOfNodes",
    ),
    ("bundles", "the body's version field and add-on arrays"),
];

/// Check a v2 body. `app` is the application its version field names; without one, the body is checked
/// against the application it looks most like, and the missing version field is the first error.
pub fn validate(body: &Value, app: Option<App>) -> Vec<Finding> {
    let mut out = Findings::default();
    let Some(root) = body.as_object() else {
        out.error(
            "",
            format!(
                "expected a JSON object (a v2 cluster-create body), got {}",
                given(body)
            ),
        );
        return out.0;
    };
    let app_given = app;
    let app = match app {
        Some(a) => a,
        None => {
            let guess = super::guess_app(root);
            let fields = App::version_fields();
            out.error(
                "",
                format!(
                    "missing the application's version field (one of {}): it says which application the body is for{}",
                    fields.join(", "),
                    guess.map_or(String::new(), |a| format!(
                        "; this body looks like {}: add {}",
                        a.schema_name(),
                        a.version_field()
                    ))
                ),
            );
            match guess {
                Some(a) => a,
                None => return out.0,
            }
        }
    };
    let Some(ty) = super::rules::body(app) else {
        // No field rules for this application: the shape every v2 body shares.
        for key in ["name", "slaTier", "dataCentres"] {
            if !root.contains_key(key) {
                out.error("", format!("missing required field \"{key}\""));
            }
        }
        return out.0;
    };
    let mut walk = Walk { root, out };
    walk.value(ty, body, &At::Root, V1_PAIRS);
    let mut findings = walk.out.0;
    if app_given.is_none() {
        // Said once already, with the guess.
        let again = format!("missing required field \"{}\"", app.version_field());
        findings.retain(|f| !(f.pointer.is_empty() && f.message.starts_with(&again)));
    }
    findings
}

/// Where a value is: its JSON Pointer, written out only when a message needs it (a large valid body
/// allocates no pointer at all).
#[derive(Clone, Copy)]
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Root => Ok(()),
            At::Key(parent, key) => write!(f, "{parent}/{}", pointer_segment(key)),
            At::Index(parent, i) => write!(f, "{parent}/{i}"),
        }
    }
}

struct Walk<'a> {
    root: &'a Map<String, Value>,
    out: Findings,
}

impl At<'_> {
    /// Inside a sensitive field (`schemaRegistryPassword`, …): its values are never shown.
    fn secret(&self) -> bool {
        match self {
            At::Root => false,
            At::Key(parent, key) => crate::redact::is_sensitive_key(key) || parent.secret(),
            At::Index(parent, _) => parent.secret(),
        }
    }
}

impl Walk<'_> {
    fn error(&mut self, at: &At, message: String) {
        self.out.error(&at.to_string(), message);
    }

    fn warn(&mut self, at: &At, message: String) {
        self.out.warn(&at.to_string(), message);
    }

    fn given(&self, at: &At, v: &Value) -> String {
        if at.secret() {
            "<redacted>".into()
        } else {
            given(v)
        }
    }

    /// A string as messages quote it.
    fn quoted(&self, at: &At, s: &str) -> String {
        if at.secret() {
            "<redacted>".into()
        } else {
            format!("\"{s}\"")
        }
    }

    fn value(&mut self, ty: &Ty, v: &Value, ptr: &At, pairs: &[(&str, &str)]) {
        match &ty.kind {
            Kind::Any => {}
            Kind::Bool => {
                if !v.is_boolean() {
                    self.error(
                        ptr,
                        format!("expected a boolean, got {}", self.given(ptr, v)),
                    );
                }
            }
            Kind::Int { min } => match v.as_i64() {
                Some(n) if n >= *min => {}
                Some(n) => self.error(
                    ptr,
                    format!("expected an integer of at least {min}, got {n}"),
                ),
                None => self.error(
                    ptr,
                    format!(
                        "expected an integer{}, got {}",
                        if *min > 0 {
                            format!(" of at least {min}")
                        } else {
                            String::new()
                        },
                        self.given(ptr, v)
                    ),
                ),
            },
            Kind::Str(Text {
                min,
                max,
                pattern,
                values,
            }) => {
                let Some(s) = v.as_str() else {
                    let what = if values.is_empty() {
                        "a string".to_string()
                    } else {
                        format!("one of {}", values.join(", "))
                    };
                    self.error(ptr, format!("expected {what}, got {}", self.given(ptr, v)));
                    return;
                };
                if !values.is_empty() {
                    if !values.contains(&s) {
                        self.error(
                            ptr,
                            format!(
                                "expected one of {}, got \"{s}\"{}",
                                values.join(", "),
                                did_you_mean(s, values)
                            ),
                        );
                    }
                    return;
                }
                let n = s.chars().count();
                let too_short = n < *min;
                let too_long = max.is_some_and(|m| n > m);
                if too_short || too_long {
                    let range = match (min, max) {
                        (m, Some(x)) if *m > 1 => format!("{m} to {x} characters"),
                        (_, Some(x)) => format!("at most {x} characters"),
                        (1, None) => "a non-empty string".to_string(),
                        (m, None) => format!("at least {m} characters"),
                    };
                    self.error(
                        ptr,
                        format!("expected {range}, got {n} ({})", self.quoted(ptr, s)),
                    );
                }
                if let Some(p) = pattern
                    && !s.is_empty()
                    && !(p.test)(s)
                {
                    let why = if std::ptr::eq(*p, &super::rules::PRIVATE_CIDR) {
                        super::rules::cidr_problem(s)
                            .map(|w| format!(": {w}"))
                            .unwrap_or_default()
                    } else {
                        String::new()
                    };
                    self.error(
                        ptr,
                        format!("expected {}, got {}{why}", p.what, self.quoted(ptr, s)),
                    );
                }
            }
            Kind::Array(arr) => {
                let (items, min, max, unique) = (&arr.items, &arr.min, &arr.max, &arr.unique);
                let Some(list) = v.as_array() else {
                    let hint = crate::instaclustr::validate::hint_if(
                        v.is_object(),
                        " (v2 writes an optional block as an array of one object: [{…}])",
                    );
                    self.error(
                        ptr,
                        format!("expected an array, got {}{hint}", self.given(ptr, v)),
                    );
                    return;
                };
                let n = list.len();
                let bound = match (*min, *max) {
                    (lo, Some(hi)) if lo == hi && n != lo => {
                        Some(format!("exactly {}", items_of(lo)))
                    }
                    (_, Some(hi)) if n > hi => Some(format!("at most {}", items_of(hi))),
                    (lo, _) if n < lo => Some(format!("at least {}", items_of(lo))),
                    _ => None,
                };
                if let Some(b) = bound {
                    self.error(ptr, format!("expected {b}, got {n}"));
                }
                let mut seen: Vec<(&str, usize)> = Vec::new();
                for (i, item) in list.iter().enumerate() {
                    let at = At::Index(ptr, i);
                    self.value(items, item, &at, pairs);
                    if let Some(key) = unique
                        && let Some(name) = item.get(*key).and_then(Value::as_str)
                    {
                        match seen.iter().find(|(s, _)| *s == name) {
                            Some((_, j)) => self.error(
                                &At::Key(&at, key),
                                format!(
                                    "expected a {key} unique within the list, got \"{name}\", also used by {ptr}/{j}"
                                ),
                            ),
                            None => seen.push((name, i)),
                        }
                    }
                }
            }
            Kind::Object(obj) => {
                let Some(m) = v.as_object() else {
                    self.error(
                        ptr,
                        format!("expected an object, got {}", self.given(ptr, v)),
                    );
                    return;
                };
                self.object(obj, m, ptr, pairs);
            }
        }
    }

    fn object(&mut self, obj: &Obj, m: &Map<String, Value>, ptr: &At, pairs: &[(&str, &str)]) {
        for (key, v) in m {
            let at = At::Key(ptr, key);
            match obj.field(key) {
                Some(Field {
                    read_only: true, ..
                }) => self.warn(
                    &at,
                    format!(
                        "\"{key}\" is a read-only field of the API's answers, not of a create body (was this copied from a GET answer?): remove it"
                    ),
                ),
                Some(f) => {
                    // A data centre's own v1 spellings differ from the body's.
                    let inner = if f.name == "dataCentres" {
                        V1_DC_PAIRS
                    } else {
                        &[]
                    };
                    self.value(&f.ty, v, &at, inner);
                }
                None => {
                    let writable: Vec<&str> = obj
                        .fields
                        .iter()
                        .filter(|f| !f.read_only)
                        .map(|f| f.name)
                        .collect();
                    let message = match pairs.iter().find(|(v1, _)| v1 == key) {
                        Some((_, v2)) if obj.field(v2).is_some() => format!(
                            "unknown field \"{key}\" (did you mean \"{v2}\"? \"{key}\" is the v1 name)"
                        ),
                        Some((_, v2)) => {
                            format!("unknown field \"{key}\": a v1 field; in v2 that is {v2}")
                        }
                        None => format!(
                            "unknown field \"{key}\"{}; expected one of {}",
                            did_you_mean(key, &writable),
                            writable.join(", ")
                        ),
                    };
                    self.error(&at, message);
                }
            }
        }
        for f in obj.fields.iter().filter(|f| f.required) {
            if !m.contains_key(f.name) {
                self.error(
                    ptr,
                    format!(
                        "missing required field \"{}\" ({})",
                        f.name,
                        expected_of(&f.ty)
                    ),
                );
            }
        }
        for rule in &obj.rules {
            self.cross(rule, m, ptr);
        }
    }

    fn cross(&mut self, rule: &Cross, m: &Map<String, Value>, ptr: &At) {
        match rule {
            Cross::MultipleOf {
                field,
                of,
                of_root,
                why,
            } => {
                let n = m.get(*field).and_then(Value::as_i64);
                let base = if *of_root {
                    self.root.get(*of)
                } else {
                    m.get(*of)
                };
                let Some((n, k)) = n.zip(base.and_then(Value::as_i64)) else {
                    return;
                };
                if k > 0 && n > 0 && n % k != 0 {
                    let lower = n / k * k;
                    let upper = lower + k;
                    let choices = if lower > 0 {
                        format!("{lower} or {upper}")
                    } else {
                        upper.to_string()
                    };
                    let of_at = if *of_root {
                        format!("/{of}")
                    } else {
                        (*of).to_string()
                    };
                    self.error(
                        &At::Key(ptr, field),
                        format!(
                            "expected a multiple of {of_at} ({k}), got {n}: {why}; use {choices}"
                        ),
                    );
                }
            }
            Cross::AtMostOne(fields) => {
                let given: Vec<&str> = fields
                    .iter()
                    .copied()
                    .filter(|f| m.contains_key(*f))
                    .collect();
                if given.len() > 1 {
                    self.error(
                        &At::Key(ptr, given[1]),
                        format!(
                            "expected only one of {}, got {}",
                            fields.join(", "),
                            given.join(" and ")
                        ),
                    );
                }
            }
        }
    }
}

fn items_of(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

/// What a type wants, for "missing required field" messages.
pub fn expected_of(ty: &Ty) -> String {
    match &ty.kind {
        Kind::Bool => "a boolean".into(),
        Kind::Int { min } => format!("an integer of at least {min}"),
        Kind::Str(t) if !t.values.is_empty() => format!("one of {}", t.values.join(", ")),
        Kind::Str(Text {
            pattern: Some(p), ..
        }) => p.what.to_string(),
        Kind::Str(_) => "a string".into(),
        Kind::Array(arr) if arr.min > 0 => {
            format!("an array of at least {}", items_of(arr.min))
        }
        Kind::Array(_) => "an array".into(),
        Kind::Object(_) => "an object".into(),
        Kind::Any => "any value".into(),
    }
}

/// The given value as messages show it.
fn given(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
pub(crate) mod tests;
