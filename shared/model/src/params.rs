//! Parameters for `provision` and `bind`: typed `-p` values, parameter files, and `parametersFrom` secrets.
//!
//! * `-p key=value`: the value is typed as JSON would read it: `42`, `1.5`, `true`, `false`, `null`;
//!   `"quoted"` is a JSON string (so `-p tag='"007"'` stays a string); anything else is a string as written.
//! * `-p key:=json`: the value is raw JSON (`-p racks:=[1,2]`, `-p tls:='{"ca":"…"}'`).
//! * Dotted keys nest: `-p bundles.version=4.0` → `{"bundles": {"version": "4.0"}}`; `\.` is a literal dot.
//! * A parameters file (YAML or JSON, `-` for stdin) is the base; `-p` values are set on top of it (objects
//!   merge; anything else is replaced).
//! * `--params-from-secret SECRET[:KEY]` becomes `parametersFrom[].secretKeyRef`; the catalog requires the
//!   value to be a JSON object whose top-level keys do not repeat those of `parameters`
//!   ([`check_secret_value`]).

use osb_core::type_name;
use std::collections::BTreeMap;

use crate::complete::Complete;
use serde_json::{Map, Value};

/// The parameter and metadata flags `provision` and `bind` share (`#[command(flatten)]`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ParamFlags {
    /// Parameter KEY=VALUE (typed: 3, 1.5, true, null; "3" for a string) or KEY:=JSON; dotted keys nest
    #[arg(short = 'p', long = "param", value_name = "KEY=VALUE", add = Complete::Params)]
    pub params: Vec<String>,
    /// Parameters from a YAML or JSON file ('-' for stdin); -p values apply on top
    #[arg(long, value_name = "FILE", add = Complete::Files)]
    pub params_file: Option<String>,
    /// parametersFrom: a Secret key holding a JSON object (KEY defaults to "parameters")
    #[arg(long, value_name = "SECRET[:KEY]", add = Complete::Nothing)]
    pub params_from_secret: Vec<String>,
    /// Send the parameters even if they do not match the plan's JSON Schema (for a wrong schema)
    #[arg(long)]
    pub skip_schema_check: bool,
    /// Label KEY=VALUE for the new object (repeatable)
    #[arg(short = 'l', long = "label", value_name = "KEY=VALUE", add = Complete::Nothing)]
    pub labels: Vec<String>,
    /// Annotation KEY=VALUE for the new object (repeatable)
    #[arg(long = "annotation", value_name = "KEY=VALUE", add = Complete::Nothing)]
    pub annotations: Vec<String>,
}

/// [`ParamFlags`], checked: everything is validated before any API call.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub parameters: Map<String, Value>,
    /// `(secret, key)` pairs for `parametersFrom`.
    pub from_secrets: Vec<(String, String)>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

impl ParamFlags {
    /// Parse the flags; `base` (e.g. a converted payload) replaces `--params-file` as the document the
    /// `-p` values apply on top of.
    pub fn parse(&self, base: Option<Map<String, Value>>) -> crate::Result<Parsed> {
        let input = crate::error::Error::Input;
        let base = match (base, &self.params_file) {
            (Some(b), _) => b,
            (None, Some(f)) => read_document(f).map_err(input)?,
            (None, None) => Map::new(),
        };
        Ok(Parsed {
            parameters: build(base, &self.params).map_err(input)?,
            from_secrets: self
                .params_from_secret
                .iter()
                .map(|s| parse_secret_ref(s).map_err(input))
                .collect::<crate::Result<Vec<_>>>()?,
            labels: key_values("--label", &self.labels)?,
            annotations: key_values("--annotation", &self.annotations)?,
        })
    }
}

/// `KEY=VALUE` flags (`--label`, `--annotation`) into a map; `what` names the flag in errors.
pub fn key_values(what: &str, items: &[String]) -> crate::Result<BTreeMap<String, String>> {
    let mut m = BTreeMap::new();
    for item in items {
        let (k, v) = item.split_once('=').ok_or_else(|| {
            crate::error::Error::Input(format!("invalid {what} {item:?}: expected KEY=VALUE"))
        })?;
        if k.is_empty() {
            return Err(crate::error::Error::Input(format!(
                "invalid {what} {item:?}: the key is empty"
            )));
        }
        m.insert(k.to_string(), v.to_string());
    }
    Ok(m)
}

/// Split a `-p` argument into its key path and typed value.
pub fn parse_param(arg: &str) -> Result<(Vec<String>, Value), String> {
    let bad = |why: &str| format!("invalid parameter {arg:?}: {why}");
    let Some(eq) = arg.find('=') else {
        return Err(bad("expected KEY=VALUE or KEY:=JSON"));
    };
    let (raw_key, raw_json) = if arg[..eq].ends_with(':') {
        (&arg[..eq - 1], true)
    } else {
        (&arg[..eq], false)
    };
    let text = &arg[eq + 1..];
    let path = key_path(raw_key.trim()).map_err(|e| bad(&e))?;
    let value = if raw_json {
        serde_json::from_str::<Value>(text)
            .map_err(|e| bad(&format!("the value after := is not JSON ({e})")))?
    } else {
        typed(text).map_err(|e| bad(&e))?
    };
    Ok((path, value))
}

/// `a.b\.c` → `["a", "b.c"]`; empty segments are refused.
fn key_path(key: &str) -> Result<Vec<String>, String> {
    if key.is_empty() {
        return Err("the key is empty".into());
    }
    let mut parts = vec![String::new()];
    let mut chars = key.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('.') => parts.last_mut().expect("never empty").push('.'),
                Some(o) => {
                    let last = parts.last_mut().expect("never empty");
                    last.push('\\');
                    last.push(o);
                }
                None => parts.last_mut().expect("never empty").push('\\'),
            },
            '.' => parts.push(String::new()),
            c => parts.last_mut().expect("never empty").push(c),
        }
    }
    if parts.iter().any(String::is_empty) {
        return Err(format!(
            "key {key:?} has an empty part (use \\. for a literal dot)"
        ));
    }
    Ok(parts)
}

/// A `key=value` value, typed.
fn typed(text: &str) -> Result<Value, String> {
    match text {
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        "null" => return Ok(Value::Null),
        _ => {}
    }
    if text.starts_with('"') {
        return match serde_json::from_str::<Value>(text) {
            Ok(v @ Value::String(_)) => Ok(v),
            _ => Err(format!(
                "{text} starts with a quote but is not a JSON string"
            )),
        };
    }
    let looks_numeric = text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'-')
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    if looks_numeric && let Ok(v @ Value::Number(_)) = serde_json::from_str::<Value>(text) {
        // Leading zeros (`007`) are not JSON numbers, so they stay strings.
        return Ok(v);
    }
    Ok(Value::String(text.to_string()))
}

/// Set `value` at `path` in `root`, creating objects on the way.
pub fn set_path(
    root: &mut Map<String, Value>,
    path: &[String],
    value: Value,
) -> Result<(), String> {
    let (last, parents) = path.split_last().ok_or("empty key")?;
    let mut cur = root;
    for (i, p) in parents.iter().enumerate() {
        let slot = cur
            .entry(p.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        cur = match slot {
            Value::Object(m) => m,
            other => {
                return Err(format!(
                    "cannot set {:?}: {:?} is already {}, not an object",
                    path.join("."),
                    path[..=i].join("."),
                    type_name(other)
                ));
            }
        };
    }
    match (cur.get_mut(last), value) {
        (Some(Value::Object(existing)), Value::Object(new)) => merge(existing, new),
        (_, value) => {
            cur.insert(last.clone(), value);
        }
    }
    Ok(())
}

/// Deep-merge `new` into `base`: objects merge key by key, anything else replaces.
pub fn merge(base: &mut Map<String, Value>, new: Map<String, Value>) {
    for (k, v) in new {
        match (base.get_mut(&k), v) {
            (Some(Value::Object(b)), Value::Object(n)) => merge(b, n),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Parse a parameters document (YAML or JSON); it must be an object (empty text → empty object).
pub fn parse_document(text: &str, source: &str) -> Result<Map<String, Value>, String> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    let v: Value = crate::yaml::from_str(text).map_err(|e| format!("{source}: {e}"))?;
    match v {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        other => Err(format!(
            "{source}: parameters must be an object (key: value pairs), not {}",
            type_name(&other)
        )),
    }
}

/// Read a parameters file, `-` meaning stdin.
pub fn read_document(path: &str) -> Result<Map<String, Value>, String> {
    let (text, source) = if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("reading parameters from stdin: {e}"))?;
        (s, "stdin".to_string())
    } else {
        let s = std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?;
        (s, path.to_string())
    };
    parse_document(&text, &source)
}

/// Build the parameters: `base` (a file, or empty), then every `-p` on top, in order.
pub fn build(base: Map<String, Value>, sets: &[String]) -> Result<Map<String, Value>, String> {
    let mut root = base;
    for s in sets {
        let (path, value) = parse_param(s)?;
        set_path(&mut root, &path, value).map_err(|e| format!("invalid parameter {s:?}: {e}"))?;
    }
    Ok(root)
}

/// `SECRET[:KEY]` of `--params-from-secret`; the key defaults to `parameters`.
pub fn parse_secret_ref(arg: &str) -> Result<(String, String), String> {
    let (name, key) = match arg.split_once(':') {
        Some((n, k)) => (n, k),
        None => (arg, DEFAULT_SECRET_KEY),
    };
    if name.is_empty() || key.is_empty() {
        return Err(format!(
            "invalid --params-from-secret {arg:?}: expected SECRET or SECRET:KEY"
        ));
    }
    Ok((name.to_string(), key.to_string()))
}

/// The Secret key read when `--params-from-secret` names none.
pub const DEFAULT_SECRET_KEY: &str = "parameters";

/// The catalog's rule for a `parametersFrom` value: a JSON object. Returns its top-level keys.
pub fn check_secret_value(secret: &str, key: &str, bytes: &[u8]) -> Result<Vec<String>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| format!("secret {secret:?} key {key:?} is not UTF-8 text"))?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m.keys().cloned().collect()),
        Ok(other) => Err(format!(
            "secret {secret:?} key {key:?} holds {}, but parametersFrom needs a JSON object; the catalog would retry forever with ErrorWithParameters",
            type_name(&other)
        )),
        Err(e) => Err(format!(
            "secret {secret:?} key {key:?} is not JSON ({e}); parametersFrom needs a JSON object, or the catalog retries forever with ErrorWithParameters"
        )),
    }
}

/// Check every parametersFrom secret: present, has the key, holds a JSON object, no key twice. Returns
/// the secrets' parameters merged (what the controller adds to `parameters`), for the schema check; they
/// are secret and never printed.
pub async fn check_from_secrets(
    client: &kube::Client,
    ns: &str,
    refs: &[(String, String)],
    parameters: &serde_json::Map<String, serde_json::Value>,
) -> crate::error::Result<Map<String, Value>> {
    let mut values = Map::new();
    let api: kube::Api<k8s_openapi::api::core::v1::Secret> =
        kube::Api::namespaced(client.clone(), ns);
    let mut seen: Vec<(String, String)> = parameters
        .keys()
        .map(|k| (k.clone(), "-p/--params-file".to_string()))
        .collect();
    for (name, key) in refs {
        let secret = api.get_opt(name).await?.ok_or_else(|| {
            crate::error::Error::Input(format!(
                "--params-from-secret: secret {name:?} not found in namespace {ns:?}"
            ))
        })?;
        let data = crate::catalog::secret_data(&secret);
        let Some((_, bytes)) = data.iter().find(|(k, _)| k == key) else {
            let keys: Vec<&str> = data.iter().map(|(k, _)| k.as_str()).collect();
            return Err(crate::error::Error::Input(format!(
                "--params-from-secret: secret {name:?} has no key {key:?}; its keys: {}",
                if keys.is_empty() {
                    "none".into()
                } else {
                    keys.join(", ")
                }
            )));
        };
        for k in check_secret_value(name, key, bytes).map_err(crate::error::Error::Input)? {
            if let Some((_, from)) = seen.iter().find(|(s, _)| *s == k) {
                return Err(crate::error::Error::Input(format!(
                    "parameter {k:?} is given twice (by {from} and by secret {name:?} key {key:?}); the catalog refuses duplicates (ErrorWithParameters)"
                )));
            }
            seen.push((k, format!("secret {name:?}")));
        }
        if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(bytes) {
            values.extend(m);
        }
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn built(sets: &[&str]) -> Result<Value, String> {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        build(Map::new(), &sets).map(Value::Object)
    }

    #[test]
    fn values_are_typed() {
        let v = built(&[
            "n=3",
            "f=1.5",
            "neg=-2",
            "t=true",
            "no=false",
            "z=null",
            "s=hello",
            "zero=007",
            "q=\"42\"",
            "ver=4.0.1",
            "e=",
            "dash=-",
            "url=a=b",
        ])
        .expect("valid");
        assert_eq!(
            v,
            json!({"n": 3, "f": 1.5, "neg": -2, "t": true, "no": false, "z": null, "s": "hello",
                   "zero": "007", "q": "42", "ver": "4.0.1", "e": "", "dash": "-", "url": "a=b"})
        );
        assert!(v["f"].is_f64() && v["n"].is_u64());
    }

    #[test]
    fn raw_json_and_dotted_keys_nest_and_merge() {
        let v = built(&[
            "bundles.version=4.0.1",
            "bundles.tier=\"4.0\"",
            "bundles.options:={\"auth\":true}",
            "racks:=[1,2]",
            "a\\.b=1",
        ])
        .expect("valid");
        assert_eq!(
            v,
            json!({"bundles": {"version": "4.0.1", "tier": "4.0", "options": {"auth": true}}, "racks": [1, 2], "a.b": 1})
        );
    }

    #[test]
    fn bad_values_are_refused_with_the_argument() {
        for bad in ["novalue", "=x", "a..b=1", ".a=1", "a:={broken", "q=\"open"] {
            let e = built(&[bad]).expect_err(bad);
            assert!(e.contains(bad.split('=').next().unwrap_or(bad)), "{e}");
        }
        let e = built(&["a=1", "a.b=2"]).expect_err("through a number");
        assert!(e.contains("\"a\" is already a number"), "{e}");
    }

    #[test]
    fn later_values_win_and_objects_merge_over_a_file() {
        let base = parse_document("a: 1\nb:\n  c: x\n  d: 2\n", "f.yaml").expect("yaml");
        let v = build(base, &["b.c=y".into(), "a=2".into()]).expect("valid");
        assert_eq!(Value::Object(v), json!({"a": 2, "b": {"c": "y", "d": 2}}));
        assert!(parse_document("[1, 2]", "f").is_err());
        assert_eq!(
            parse_document("{\"x\": 1}", "f").expect("json"),
            json!({"x": 1}).as_object().cloned().expect("obj")
        );
    }

    #[test]
    fn secret_refs_and_values() {
        assert_eq!(
            parse_secret_ref("s").expect("ok"),
            ("s".to_string(), DEFAULT_SECRET_KEY.to_string())
        );
        assert_eq!(
            parse_secret_ref("s:k").expect("ok"),
            ("s".to_string(), "k".to_string())
        );
        assert!(parse_secret_ref(":k").is_err() && parse_secret_ref("s:").is_err());
        assert_eq!(
            check_secret_value("s", "k", br#"{"a": 1, "b": 2}"#).expect("object"),
            vec!["a", "b"]
        );
        assert!(
            check_secret_value("s", "k", b"[1]")
                .expect_err("array")
                .contains("an array")
        );
        assert!(check_secret_value("s", "k", b"nope").is_err());
    }

    #[test]
    fn key_values_need_an_equals_sign() {
        let m = key_values("--label", &["a=1".into(), "b=".into()]).expect("ok");
        assert_eq!(m.get("a").map(String::as_str), Some("1"));
        assert!(key_values("--label", &["a".into()]).is_err());
        assert!(key_values("--label", &["=a".into()]).is_err());
    }
}
