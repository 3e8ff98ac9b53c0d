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
    let mut out = String::with_capacity(size_hint(value, 0));
    write_doc(&mut out, value);
    out
}

/// Emit several documents separated by `---`, as `kubectl get -o yaml` does for a stream.
pub fn to_string_multi<'a>(values: impl IntoIterator<Item = &'a Value>) -> String {
    let values: Vec<&Value> = values.into_iter().collect();
    let size = values.iter().map(|v| size_hint(v, 0) + 4).sum();
    let mut out = String::with_capacity(size);
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        write_doc(&mut out, value);
    }
    out
}

/// About how many bytes `write_doc` writes for `v` (at indentation `ind`): the text of every key and
/// scalar, quotes, indentation and line ends, without looking into strings for escapes. Allocating that
/// once saves copying a large output from buffer to buffer as it grows (and the memory of the copies).
fn size_hint(v: &Value, ind: usize) -> usize {
    match v {
        Value::Object(m) if !m.is_empty() => m
            .iter()
            .map(|(k, v)| ind + k.len() + 4 + size_hint(v, ind + 2))
            .sum(),
        Value::Array(a) if !a.is_empty() => a.iter().map(|v| ind + 2 + size_hint(v, ind + 2)).sum(),
        Value::String(s) => s.len() + 3,
        Value::Number(n) => n.as_str().len() + 4,
        _ => 6,
    }
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
    const SPACES: &str = "                                                                ";
    let mut n = n;
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(&SPACES[..n]);
}

fn write_doc(out: &mut String, value: &Value) {
    match value {
        Value::Object(m) if !m.is_empty() => write_map(out, m, 0, false),
        Value::Array(a) if !a.is_empty() => write_seq(out, a, 0, false),
        scalar => {
            push_scalar(out, scalar);
            out.push('\n');
        }
    }
}

/// `after_dash`: the map is a list item, and its first key follows the `- ` already written.
fn write_map(out: &mut String, m: &Map<String, Value>, ind: usize, after_dash: bool) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || !after_dash {
            indent(out, ind);
        }
        let key_start = out.len();
        push_string(out, k);
        // Bytes first: a key of at most MAX_SIMPLE_KEY bytes has no more characters than that.
        if out.len() - key_start > MAX_SIMPLE_KEY
            && out[key_start..].chars().count() > MAX_SIMPLE_KEY
        {
            let key = out.split_off(key_start);
            out.push_str("? ");
            out.push_str(&key);
            out.push('\n');
            indent(out, ind);
            out.push(':');
            // After `? key`, a list is indented below the `:` like a map.
            write_value_after_key(out, v, ind, ind + 2);
            continue;
        }
        out.push(':');
        write_value_after_key(out, v, ind, ind);
    }
}

/// The value after `key:`: a map indented below the key, a list at `seq_ind`, or a scalar on the line.
fn write_value_after_key(out: &mut String, v: &Value, ind: usize, seq_ind: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, ind + 2, false);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(out, a, seq_ind, false);
        }
        scalar => {
            out.push(' ');
            push_scalar(out, scalar);
            out.push('\n');
        }
    }
}

/// `after_dash`: the list is itself a list item, and its first `- ` follows the `- ` already written.
fn write_seq(out: &mut String, a: &[Value], ind: usize, after_dash: bool) {
    for (i, item) in a.iter().enumerate() {
        if i > 0 || !after_dash {
            indent(out, ind);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, m, ind + 2, true),
            Value::Array(inner) if !inner.is_empty() => write_seq(out, inner, ind + 2, true),
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

/// What a byte may be in a plain scalar (see [`is_plain_safe`]): a letter, a digit, `_`, `-`, `.` or `/`.
const PLAIN_YES: u8 = 1;
const PLAIN_SPACE: u8 = 2;
/// The lead or continuation byte of a non-ASCII character: decided by the character.
const PLAIN_NON_ASCII: u8 = 3;
/// Anything else needs quoting.
const PLAIN_NO: u8 = 0;

static PLAIN: [u8; 256] = {
    let mut t = [PLAIN_NO; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/') {
            PLAIN_YES
        } else if b == b' ' {
            PLAIN_SPACE
        } else if b >= 0x80 {
            PLAIN_NON_ASCII
        } else {
            PLAIN_NO
        };
        c += 1;
    }
    t
};

/// Conservative: letters (any script), digits, `_`, `-`, `.`, `/` and inner single spaces, starting with a
/// letter, `_` or `/`, and not a reserved word. Anything else (digits first, `:`, `#`, quotes, leading
/// or trailing space, …) is quoted, which is always correct.
fn is_plain_safe(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    if first >= 0x80 {
        return is_plain_safe_unicode(s);
    }
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b'/') {
        return false;
    }
    let mut after_space = false;
    for &c in &b[1..] {
        let class = PLAIN[c as usize];
        if class == PLAIN_YES {
            after_space = false;
        } else if class == PLAIN_SPACE && !after_space {
            after_space = true;
        } else if class == PLAIN_NON_ASCII {
            return is_plain_safe_unicode(s);
        } else {
            // Two spaces in a row, or a byte that needs quoting.
            return false;
        }
    }
    !after_space && (b.len() > 5 || !RESERVED_WORDS.iter().any(|w| s.eq_ignore_ascii_case(w)))
}

/// [`is_plain_safe`] for a string with non-ASCII characters, character by character.
fn is_plain_safe_unicode(s: &str) -> bool {
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

/// Whether a character is written as a `\u` escape: C0 and C1 controls, DEL, the YAML 1.1 line breaks
/// NEL/LS/PS, the BOM and non-characters (`"`, `\`, and `\n`, `\r`, `\t` have short escapes).
fn escaped_as_u(c: char) -> bool {
    (c as u32) < 0x20
        || (0x7f..=0x9f).contains(&(c as u32))
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

fn push_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    let b = s.as_bytes();
    // Characters that need no escape are copied a run at a time. Only ASCII below 0x20, `"`, `\`, DEL,
    // and the characters that start with the bytes C2 (C1 controls), E2 (LS, PS) or EF (BOM,
    // non-characters) may need one.
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let attention = c < 0x20 || matches!(c, b'"' | b'\\' | 0x7f | 0xc2 | 0xe2 | 0xef);
        if !attention {
            i += 1;
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or_default();
        let short = match ch {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ => "",
        };
        if short.is_empty() && !escaped_as_u(ch) {
            i += ch.len_utf8();
            continue;
        }
        out.push_str(&s[run..i]);
        if short.is_empty() {
            push_u_escape(out, ch);
        } else {
            out.push_str(short);
        }
        i += ch.len_utf8();
        run = i;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// `\uXXXX`, four upper-case hex digits (every character escaped this way is in the BMP).
fn push_u_escape(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let n = c as u32;
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[((n >> shift) & 0xf) as usize]));
    }
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

    /// The character-by-character rules, as written before the byte table.
    fn reference_double_quoted(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if escaped_as_u(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn byte_tables_agree_with_the_character_rules() {
        let mut samples: Vec<String> = [
            "",
            "a",
            "ab",
            "a b",
            "a  b",
            "a ",
            " a",
            "_x",
            "/x",
            "-x",
            ".x",
            "x-y.z/w_v",
            "yes",
            "YES",
            "nO",
            "Null",
            "nulls",
            "y1",
            "on2",
            "Zürich",
            "über",
            "Über uns",
            "日本語",
            "😀",
            "a😀",
            "ß-1",
            "a\u{85}",
            "a\u{2028}b",
            "a\u{feff}",
            "\u{ffff}",
            "x\u{7f}",
            "tab\tx",
            "q\"x",
            "b\\x",
            "1a",
            "a:b",
            "a#b",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for c in (0u32..0x300).chain(0x2000..0x2100).chain(0xfef0..0x10000) {
            if let Some(c) = char::from_u32(c) {
                samples.extend([
                    c.to_string(),
                    format!("a{c}"),
                    format!("a{c}b"),
                    format!("{c}{c} "),
                ]);
            }
        }
        for s in &samples {
            assert_eq!(is_plain_safe(s), is_plain_safe_unicode(s), "{s:?}");
            assert_eq!(double_quoted(s), reference_double_quoted(s), "{s:?}");
        }
    }

    #[test]
    fn the_size_hint_covers_output_without_escapes() {
        let v = json!({"apiVersion": "v1", "spec": {"list": [{"a": 1, "b": [1, 2e3]}, [3, [4]], "x y", "no"], "empty": {}, "none": [], "n": null, "t": true}});
        for doc in [&v, &v["spec"], &v["spec"]["list"], &json!("s"), &json!({})] {
            assert!(size_hint(doc, 0) >= to_string(doc).len(), "{doc}");
        }
    }

    #[test]
    fn several_documents_and_deep_or_long_keys() {
        let docs = [json!({"a": 1}), json!([1, [2]]), json!("x"), json!({})];
        let each: Vec<String> = docs.iter().map(to_string).collect();
        assert_eq!(to_string_multi(&docs), each.join("---\n"));
        // Nesting deeper than the indentation run written at once.
        let mut v = json!({"leaf": [1]});
        for i in 0..45 {
            v = json!({ format!("k{i}"): v });
        }
        let text = to_string(&v);
        assert!(
            text.contains(&format!("{}leaf:\n{}- 1\n", " ".repeat(90), " ".repeat(90))),
            "{text}"
        );
        assert_eq!(from_str::<Value>(&text).expect("parses"), v);
        // A long key as the first key of a list item.
        let long = "k".repeat(1001);
        let v = json!([{ long.clone(): 1, "b": 2 }]);
        assert_eq!(to_string(&v), format!("- ? {long}\n  : 1\n  b: 2\n"));
    }
}
