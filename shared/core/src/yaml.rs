//! All YAML of the suite goes through this module (why: `docs/yaml.md`).
//!
//! * Writing: [`to_string`] emits a `serde_json::Value` as block YAML that a YAML 1.1 parser (Go's, as in
//!   kubectl; PyYAML) and a YAML 1.2 parser both read back as exactly the same JSON: every string that
//!   either version would take for another type (`no`, `on`, `~`, `3.10`, `0755`, `0x1F`, `1e3`, dates,
//!   `1:20`, …) is double-quoted, numbers keep their JSON text (exponents are normalised to a form both
//!   versions read as a float), key order is kept, and characters that YAML treats as line breaks or
//!   forbids are escaped. The layout is kubectl's (`-` of a list at the indent of its key).
//! * Reading: [`from_str`] parses YAML (or JSON, a subset) with `serde-saphyr`, the parser kube itself uses.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Emit one document (no leading `---`), ending in a newline.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        scalar => {
            push_scalar(&mut out, scalar);
            out.push('\n');
        }
    }
    out
}

/// Emit several documents separated by `---`, as `kubectl get -o yaml` does for a stream.
pub fn to_string_multi<'a>(values: impl IntoIterator<Item = &'a Value>) -> String {
    values
        .into_iter()
        .map(to_string)
        .collect::<Vec<_>>()
        .join("---\n")
}

/// Serialise any value (through JSON) and emit it.
pub fn to_yaml<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    Ok(to_string(&serde_json::to_value(value)?))
}

/// Parse YAML (or JSON) into any deserialisable type.
pub fn from_str<T: DeserializeOwned>(s: &str) -> Result<T, String> {
    serde_saphyr::from_str(s).map_err(|e| e.to_string())
}

/// Parse every document of a YAML stream (`---`-separated), with the parser's size budget raised so that
/// documents of tens of megabytes (what `to_string` writes for a large JSON file) are read whole.
pub fn from_str_multi_large<T: DeserializeOwned>(s: &str) -> Result<Vec<T>, String> {
    let budget = serde_saphyr::budget! {
        max_events: usize::MAX / 2,
        max_nodes: usize::MAX / 2,
        max_total_scalar_bytes: usize::MAX / 2,
    };
    let options = serde_saphyr::options! { budget: budget };
    serde_saphyr::from_multiple_with_options(s, options).map_err(|e| e.to_string())
}

/// Longest key text written as an implicit `key: value`; YAML parsers (PyYAML, libyaml, Go's) refuse
/// simple keys longer than 1024 characters, so longer ones use the explicit `? key` / `: value` form.
const MAX_SIMPLE_KEY: usize = 1000;

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, m: &Map<String, Value>, ind: usize) {
    let mut first = true;
    for (k, v) in m {
        // The first key of a map that is a list item follows the "- " already written.
        if !first || !out.ends_with("- ") {
            indent(out, ind);
        }
        first = false;
        let key_start = out.len();
        push_string(out, k);
        if out[key_start..].chars().count() > MAX_SIMPLE_KEY {
            let key = out.split_off(key_start);
            out.push_str("? ");
            out.push_str(&key);
            out.push('\n');
            indent(out, ind);
            out.push(':');
            match v {
                Value::Object(m) if !m.is_empty() => {
                    out.push('\n');
                    write_map(out, m, ind + 2);
                }
                Value::Array(a) if !a.is_empty() => {
                    out.push('\n');
                    write_seq(out, a, ind + 2);
                }
                scalar => {
                    out.push(' ');
                    push_scalar(out, scalar);
                    out.push('\n');
                }
            }
            continue;
        }
        out.push(':');
        write_value_after_key(out, v, ind);
    }
}

fn write_value_after_key(out: &mut String, v: &Value, ind: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, ind + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(out, a, ind);
        }
        scalar => {
            out.push(' ');
            push_scalar(out, scalar);
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, a: &[Value], ind: usize) {
    for item in a {
        if !out.ends_with("- ") {
            indent(out, ind);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, m, ind + 2),
            Value::Array(inner) if !inner.is_empty() => write_seq(out, inner, ind + 2),
            scalar => {
                push_scalar(out, scalar);
                out.push('\n');
            }
        }
    }
}

fn push_scalar(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => push_number(out, n.as_str()),
        Value::String(s) => push_string(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn push_number(out: &mut String, json: &str) {
    if json.contains(['e', 'E']) {
        out.push_str(&number_text(json));
    } else {
        out.push_str(json);
    }
}

fn push_string(out: &mut String, s: &str) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else {
        push_double_quoted(out, s);
    }
}

/// JSON number text → YAML text that YAML 1.1 and 1.2 both read as the same number.
///
/// Integers and decimals are valid as they are. An exponent needs a `.` in the mantissa and a sign in the
/// exponent for YAML 1.1 (`1e3` is a string there): `1e3` → `1.0e+3`, `2.5E-7` → `2.5e-7`.
pub fn number_text(json: &str) -> String {
    let Some(pos) = json.find(['e', 'E']) else {
        return json.to_string();
    };
    let (mantissa, exp) = (&json[..pos], &json[pos + 1..]);
    let mantissa = if mantissa.contains('.') {
        mantissa.to_string()
    } else {
        format!("{mantissa}.0")
    };
    let exp = if exp.starts_with(['+', '-']) {
        exp.to_string()
    } else {
        format!("+{exp}")
    };
    format!("{mantissa}e{exp}")
}

/// A string as a plain scalar when that is unambiguous in YAML 1.1 and 1.2, else double-quoted.
pub fn string_text(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// Words YAML 1.1 reads as booleans or null (compared case-insensitively, which also covers odd cases
/// like `yES` that no parser treats specially: quoting them costs nothing).
const RESERVED_WORDS: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];

/// Conservative: letters (any script), digits, `_`, `-`, `.`, `/` and inner single spaces, starting with a
/// letter, `_` or `/`, and not a reserved word. Anything else (digits first, `:`, `#`, quotes, leading
/// or trailing space, …) is quoted, which is always correct.
fn is_plain_safe(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !(first.is_alphabetic() || first == '_' || first == '/') {
        return false;
    }
    if s.ends_with(' ') || s.contains("  ") {
        return false;
    }
    if !s
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ' '))
    {
        return false;
    }
    // Non-ASCII alphanumerics are fine unless they are YAML 1.1 line breaks or otherwise special; those
    // are not alphanumeric, so the check above already refused them.
    !RESERVED_WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_double_quoted(&mut out, s);
    out
}

fn push_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // C0 and C1 controls, DEL, the YAML 1.1 line breaks NEL/LS/PS, the BOM and non-characters.
            c if (c as u32) < 0x20
                || (0x7f..=0x9f).contains(&(c as u32))
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layout_is_kubectls() {
        let v = json!({"apiVersion": "v1", "spec": {"list": [{"a": 1, "b": [1, 2]}, [3, [4]], "x"], "empty": {}, "none": []}});
        let expected = "apiVersion: v1\nspec:\n  list:\n  - a: 1\n    b:\n    - 1\n    - 2\n  - - 3\n    - - 4\n  - x\n  empty: {}\n  none: []\n";
        assert_eq!(to_string(&v), expected);
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        for s in [
            "no",
            "On",
            "~",
            "3.10",
            "0755",
            "0x1F",
            "1e3",
            "2019-01-01",
            "1:20",
            "",
            " a",
            "a ",
            "-",
            "- a",
            "#x",
            "null",
            "Y",
            ".inf",
            "a: b",
            "@x",
            "*x",
            "!x",
            "%x",
            "|",
            ">",
            "'q'",
            "=",
            "<<",
            "1_000",
            "+1",
            ".5",
        ] {
            assert!(
                string_text(s).starts_with('"'),
                "{s:?} must be quoted, got {}",
                string_text(s)
            );
        }
        for s in [
            "cassandra",
            "APACHE_CASSANDRA",
            "us-east-1",
            "Zürich",
            "a/b.c",
            "Hello world",
        ] {
            assert_eq!(string_text(s), s);
        }
    }

    #[test]
    fn escapes_line_breaks_and_controls() {
        assert_eq!(
            string_text("a\nb\u{85}c\u{2028}\u{7}"),
            "\"a\\nb\\u0085c\\u2028\\u0007\""
        );
    }

    #[test]
    fn exponents_become_portable_floats() {
        assert_eq!(number_text("1e3"), "1.0e+3");
        assert_eq!(number_text("-2.5E-7"), "-2.5e-7");
        assert_eq!(
            number_text("12345678901234567890123"),
            "12345678901234567890123"
        );
    }

    #[test]
    fn parses_back_what_it_writes() {
        let v = json!({"on": "no", "n": [1, 2.5, -3, null, true, "3.10", {"k": ""}], "s": "multi\nline \"q\""});
        let back: Value = from_str(&to_string(&v)).expect("parses");
        assert_eq!(back, v);
    }
}
