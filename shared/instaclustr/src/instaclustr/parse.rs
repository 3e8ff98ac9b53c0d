//! Position-aware JSON reading: a strict RFC 8259 parser that builds a `serde_json::Value` (numbers keep
//! their exact text, object keys keep their order) and, unlike `serde_json`, refuses a key repeated in one
//! object, names file, line and column of every syntax error with the offending line shown, and says so
//! when the input is cut off. [`locate`] finds the line and column of a JSON Pointer afterwards, so that
//! validation findings can point into the file without the parse paying for positions it rarely needs.

use std::fmt;

use serde_json::{Map, Number, Value};

/// Deepest nesting of arrays and objects accepted: the limit serde-saphyr (the suite's YAML reader, as
/// kube's) applies when reading the YAML back, so that every document accepted here can be read there.
pub const MAX_DEPTH: usize = 60;

/// How to read a payload.
#[derive(Clone, Copy, Debug, Default)]
pub struct ParseOptions {
    /// Keep the last of repeated keys (at the position of the first, as Python and jq do) with a
    /// warning, instead of failing.
    pub allow_duplicate_keys: bool,
}

/// A line and column, both 1-based; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A parsed payload and the warnings its reading produced (repeated keys allowed by the options).
#[derive(Clone, Debug)]
pub struct Payload {
    pub value: Value,
    pub warnings: Vec<Diagnostic>,
}

/// A message tied to a place in a file: `source:line:column: message`, then the offending line with a
/// caret under the column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub source: String,
    pub pos: Option<Pos>,
    pub message: String,
    /// The offending line and a caret line, already formatted (empty when there is no position).
    pub snippet: String,
}

impl Diagnostic {
    /// A diagnostic at a byte offset of `text`.
    pub fn at(source: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let pos = pos_of(text, offset);
        Diagnostic {
            source: source.to_string(),
            pos: Some(pos),
            message: message.into(),
            snippet: snippet(text, offset),
        }
    }

    /// A diagnostic at a line and column of `text`.
    pub fn at_pos(source: &str, text: &str, pos: Pos, message: impl Into<String>) -> Self {
        let offset = offset_of(text, pos);
        Diagnostic {
            source: source.to_string(),
            pos: Some(pos),
            message: message.into(),
            snippet: snippet(text, offset),
        }
    }

    /// A diagnostic about the whole file.
    pub fn whole(source: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            source: source.to_string(),
            pos: None,
            message: message.into(),
            snippet: String::new(),
        }
    }

    /// `source:line:column: message` on one line, without the snippet.
    pub fn headline(&self) -> String {
        match self.pos {
            Some(p) => format!("{}:{}:{}: {}", self.source, p.line, p.column, self.message),
            None => format!("{}: {}", self.source, self.message),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if !self.snippet.is_empty() {
            write!(f, "\n{}", self.snippet.trim_end_matches('\n'))?;
        }
        Ok(())
    }
}

/// Parse one JSON document. `source_name` is what messages call the input (a path, or `<stdin>`).
pub fn parse_payload(
    text: &str,
    source_name: &str,
    opts: &ParseOptions,
) -> Result<Payload, Diagnostic> {
    let mut p = Parser {
        text,
        b: text.as_bytes(),
        i: 0,
        source: source_name,
        opts: *opts,
        warnings: Vec::new(),
        open: Vec::new(),
        locate: None,
    };
    // A UTF-8 byte order mark is tolerated, as by most JSON readers.
    if text.starts_with('\u{feff}') {
        p.i = 3;
    }
    p.skip_ws();
    if p.i >= p.b.len() {
        return Err(Diagnostic::whole(
            source_name,
            "empty input: expected a JSON document",
        ));
    }
    let value = p.value(0)?;
    p.skip_ws();
    if p.i < p.b.len() {
        return Err(p.err_here(format!(
            "unexpected {} after the end of the JSON document",
            p.describe_here()
        )));
    }
    Ok(Payload {
        value,
        warnings: p.warnings,
    })
}

/// Line and column of the value at `pointer` (RFC 6901; for an object member, the position of its key).
/// `None` if the pointer does not exist or the text does not parse.
pub fn locate(text: &str, pointer: &str) -> Option<Pos> {
    if pointer.is_empty() {
        let start = text.len()
            - text
                .trim_start_matches(['\u{feff}', ' ', '\t', '\n', '\r'])
                .len();
        return Some(pos_of(text, start));
    }
    let mut p = Parser {
        text,
        b: text.as_bytes(),
        i: 0,
        source: "",
        opts: ParseOptions {
            allow_duplicate_keys: true,
        },
        warnings: Vec::new(),
        open: Vec::new(),
        locate: Some(Locate {
            want: pointer.to_string(),
            path: String::new(),
            found: None,
        }),
    };
    if text.starts_with('\u{feff}') {
        p.i = 3;
    }
    p.skip_ws();
    let _ = p.value(0);
    p.locate.and_then(|l| l.found).map(|off| pos_of(text, off))
}

/// Escape one JSON Pointer segment (`~` → `~0`, `/` → `~1`).
pub fn pointer_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

struct Locate {
    want: String,
    path: String,
    found: Option<usize>,
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    source: &'a str,
    opts: ParseOptions,
    warnings: Vec<Diagnostic>,
    /// Byte offsets of the arrays and objects still open, for the truncation message.
    open: Vec<usize>,
    locate: Option<Locate>,
}

impl<'a> Parser<'a> {
    fn err_at(&self, offset: usize, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.source, self.text, offset, msg)
    }

    fn err_here(&self, msg: impl Into<String>) -> Diagnostic {
        self.err_at(self.i, msg)
    }

    /// The end of the input inside a value: say that the document is truncated and what is still open.
    fn truncated(&self, what: &str) -> Diagnostic {
        let mut msg = format!("unexpected end of input {what}: the document is truncated");
        if let Some(&inner) = self.open.last() {
            let p = pos_of(self.text, inner);
            let kind = if self.b[inner] == b'{' {
                "object"
            } else {
                "array"
            };
            let n = self.open.len();
            msg.push_str(&format!(
                " ({n} array{} or object{} still open; the innermost, an {kind}, opened at line {}, column {})",
                if n == 1 { "" } else { "s" },
                if n == 1 { "" } else { "s" },
                p.line,
                p.column
            ));
        }
        // Point at the last character of the input, which is on the last line there is.
        let at = self
            .text
            .trim_end_matches(['\n', '\r'])
            .len()
            .saturating_sub(1);
        let at = floor_char_boundary(self.text, at);
        self.err_at(at, msg)
    }

    fn describe_here(&self) -> String {
        match self.text[self.i..].chars().next() {
            Some(c) if c.is_control() || c.is_whitespace() => {
                format!("character U+{:04X}", c as u32)
            }
            Some(c) => format!("'{c}'"),
            None => "end of input".into(),
        }
    }

    fn skip_ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, Diagnostic> {
        if let Some(l) = &mut self.locate
            && l.found.is_none()
            && l.path == l.want
        {
            l.found = Some(self.i);
        }
        let Some(&c) = self.b.get(self.i) else {
            return Err(self.truncated("where a value was expected"));
        };
        match c {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => Ok(Value::String(self.string()?)),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            b'\'' => Err(self.err_here("strings must be in double quotes in JSON, found '\\''")),
            b'}' | b']' => {
                Err(self.err_here(format!("expected a value, found {}", self.describe_here())))
            }
            _ => Err(self.err_here(format!("expected a value, found {}", self.describe_here()))),
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, Diagnostic> {
        let rest = &self.b[self.i..];
        if rest.starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else if word.as_bytes().starts_with(rest) {
            Err(self.truncated(&format!("inside the literal `{word}`")))
        } else {
            Err(self.err_here(format!(
                "expected a value, found {} (only true, false and null are bare words)",
                self.describe_here()
            )))
        }
    }

    fn number(&mut self) -> Result<Value, Diagnostic> {
        let start = self.i;
        let b = self.b;
        let mut i = self.i;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |i: &mut usize| {
            let s = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            *i - s
        };
        let bad = |this: &Self, at: usize, what: &str| -> Diagnostic {
            if at >= b.len() {
                this.truncated("inside a number")
            } else {
                this.err_at(at, format!("invalid number: {what}"))
            }
        };
        match b.get(i) {
            Some(b'0') => {
                i += 1;
                if b.get(i).is_some_and(u8::is_ascii_digit) {
                    return Err(self.err_at(start, "invalid number: leading zeros are not allowed in JSON (quote it if it is a string)"));
                }
            }
            Some(c) if c.is_ascii_digit() => {
                digits(&mut i);
            }
            _ => return Err(bad(self, i, "expected a digit")),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return Err(bad(self, i, "expected a digit after the decimal point"));
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                return Err(bad(self, i, "expected a digit in the exponent"));
            }
        }
        self.i = i;
        let text = &self.text[start..i];
        // A number beyond the range of a 64-bit float (1e400) is valid JSON but unreadable for Go (the API
        // server), serde-saphyr and most JSON readers: refuse it rather than write what cannot be read.
        if !text.parse::<f64>().is_ok_and(f64::is_finite) {
            return Err(self.err_at(
                start,
                format!("the number {text} is out of the range of a 64-bit float, which Kubernetes cannot read (quote it if it is a string)"),
            ));
        }
        // serde_json (arbitrary_precision) keeps the digits of a valid JSON number as written (it only
        // spells an exponent as `e+`/`e-`).
        serde_json::from_str::<Number>(text)
            .map(Value::Number)
            .map_err(|e| self.err_at(start, format!("invalid number: {e}")))
    }

    fn string(&mut self) -> Result<String, Diagnostic> {
        let open = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            let run_start = self.i;
            while self.i < self.b.len() && !matches!(self.b[self.i], b'"' | b'\\' | 0..=0x1f) {
                self.i += 1;
            }
            out.push_str(&self.text[run_start..self.i]);
            let Some(&c) = self.b.get(self.i) else {
                let p = pos_of(self.text, open);
                return Err(self.truncated(&format!(
                    "inside a string (opened at line {}, column {})",
                    p.line, p.column
                )));
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let esc = self.i;
                    self.i += 1;
                    let Some(&e) = self.b.get(self.i) else {
                        return Err(self.truncated("inside an escape sequence"));
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4(esc)?;
                            let ch = if (0xD800..0xDC00).contains(&hi) {
                                if self.b.get(self.i) == Some(&b'\\')
                                    && self.b.get(self.i + 1) == Some(&b'u')
                                {
                                    let second = self.i;
                                    self.i += 2;
                                    let lo = self.hex4(second)?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return Err(self.err_at(esc, "invalid \\u escape: a high surrogate must be followed by a low surrogate"));
                                    }
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                } else {
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            match ch {
                                Some(ch) => out.push(ch),
                                None => {
                                    return Err(self.err_at(
                                        esc,
                                        "invalid \\u escape: a lone surrogate is not a character",
                                    ));
                                }
                            }
                        }
                        _ => {
                            self.i = floor_char_boundary(self.text, self.i - 1);
                            return Err(self.err_at(
                                esc,
                                format!(
                                    "invalid escape sequence \\{}",
                                    self.describe_here().trim_matches('\'')
                                ),
                            ));
                        }
                    }
                }
                _ => {
                    let what = if c == b'\n' {
                        "a line break".to_string()
                    } else {
                        format!("control character U+{c:04X}")
                    };
                    return Err(self.err_here(format!("{what} inside a string: JSON needs it escaped (or the closing quote is missing)")));
                }
            }
        }
    }

    fn hex4(&mut self, esc: usize) -> Result<u32, Diagnostic> {
        let mut v = 0u32;
        for _ in 0..4 {
            let Some(&c) = self.b.get(self.i) else {
                return Err(self.truncated("inside a \\u escape"));
            };
            let d = (c as char)
                .to_digit(16)
                .ok_or_else(|| self.err_at(esc, "invalid \\u escape: expected four hex digits"))?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn enter(&mut self, depth: usize) -> Result<(), Diagnostic> {
        if depth > MAX_DEPTH {
            return Err(self.err_here(format!(
                "nesting deeper than {MAX_DEPTH} arrays and objects"
            )));
        }
        self.open.push(self.i);
        self.i += 1;
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<Value, Diagnostic> {
        self.enter(depth)?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            self.open.pop();
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            let saved = if self.locate.is_some() {
                self.push_path(&items.len().to_string())
            } else {
                0
            };
            items.push(self.value(depth)?);
            self.pop_path(saved);
            self.skip_ws();
            match self.b.get(self.i) {
                Some(b',') => {
                    let comma = self.i;
                    self.i += 1;
                    self.skip_ws();
                    if self.b.get(self.i) == Some(&b']') {
                        return Err(self.trailing_comma(comma));
                    }
                }
                Some(b']') => {
                    self.i += 1;
                    self.open.pop();
                    return Ok(Value::Array(items));
                }
                None => return Err(self.truncated("inside an array")),
                Some(_) => {
                    return Err(self.err_here(format!(
                        "expected ',' or ']' after an array item, found {}",
                        self.describe_here()
                    )));
                }
            }
        }
    }

    fn trailing_comma(&self, comma: usize) -> Diagnostic {
        let close = pos_of(self.text, self.i);
        self.err_at(
            comma,
            format!(
                "trailing comma: JSON allows no ',' before the closing '{}' (line {}, column {})",
                self.b[self.i] as char, close.line, close.column
            ),
        )
    }

    fn object(&mut self, depth: usize) -> Result<Value, Diagnostic> {
        self.enter(depth)?;
        let mut map = Map::new();
        // Byte offsets of the keys, in the order of `map` (a repeated key adds no entry).
        let mut key_offsets: Vec<usize> = Vec::new();
        self.skip_ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            self.open.pop();
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            let key_at = self.i;
            match self.b.get(self.i) {
                Some(b'"') => {}
                None => return Err(self.truncated("inside an object")),
                Some(_) => {
                    return Err(self.err_here(format!(
                        "expected a key in double quotes, found {}",
                        self.describe_here()
                    )));
                }
            }
            let key = self.string()?;
            self.skip_ws();
            match self.b.get(self.i) {
                Some(b':') => self.i += 1,
                None => return Err(self.truncated("after an object key")),
                Some(_) => {
                    return Err(self.err_here(format!(
                        "expected ':' after the key \"{key}\", found {}",
                        self.describe_here()
                    )));
                }
            }
            self.skip_ws();
            let saved = if self.locate.is_some() {
                self.push_path(&pointer_segment(&key))
            } else {
                0
            };
            if let Some(l) = &mut self.locate
                && l.found.is_none()
                && l.path == l.want
            {
                l.found = Some(key_at);
            }
            let v = self.value(depth)?;
            self.pop_path(saved);
            if map.contains_key(&key) {
                let first_idx = map.keys().position(|k| *k == key).unwrap_or(0);
                let first = pos_of(self.text, key_offsets[first_idx]);
                let again = pos_of(self.text, key_at);
                if self.opts.allow_duplicate_keys {
                    self.warnings.push(self.err_at(
                        key_at,
                        format!(
                            "duplicate key \"{key}\" (line {} and line {}): keeping the last value",
                            first.line, again.line
                        ),
                    ));
                    map.insert(key, v);
                } else {
                    return Err(self.err_at(
                        key_at,
                        format!(
                            "duplicate key \"{key}\" in one object: first at line {}, column {}, again at line {}, column {} \
                             (JSON readers silently keep the last one; remove one, or pass --allow-duplicate-keys to keep the last)",
                            first.line, first.column, again.line, again.column
                        ),
                    ));
                }
            } else {
                map.insert(key, v);
                key_offsets.push(key_at);
            }
            self.skip_ws();
            match self.b.get(self.i) {
                Some(b',') => {
                    let comma = self.i;
                    self.i += 1;
                    self.skip_ws();
                    if self.b.get(self.i) == Some(&b'}') {
                        return Err(self.trailing_comma(comma));
                    }
                }
                Some(b'}') => {
                    self.i += 1;
                    self.open.pop();
                    return Ok(Value::Object(map));
                }
                None => return Err(self.truncated("inside an object")),
                Some(_) => {
                    return Err(self.err_here(format!(
                        "expected ',' or '}}' after an object member, found {}",
                        self.describe_here()
                    )));
                }
            }
        }
    }

    /// Append a pointer segment (only when locating); returns the length to truncate back to.
    fn push_path(&mut self, seg: &str) -> usize {
        match &mut self.locate {
            Some(l) => {
                let n = l.path.len();
                l.path.push('/');
                l.path.push_str(seg);
                n
            }
            None => 0,
        }
    }

    fn pop_path(&mut self, n: usize) {
        if let Some(l) = &mut self.locate {
            l.path.truncate(n);
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Line and column (1-based, in characters) of a byte offset.
pub fn pos_of(text: &str, offset: usize) -> Pos {
    let offset = floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line,
        column: text[line_start..offset].chars().count() + 1,
    }
}

fn offset_of(text: &str, pos: Pos) -> usize {
    let mut start = 0;
    for _ in 1..pos.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let line = &text[start..];
    start
        + line
            .char_indices()
            .nth(pos.column.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i)
}

/// The line holding `offset` and a caret under it, `rustc` style; long lines are cut around the column.
fn snippet(text: &str, offset: usize) -> String {
    const WIDTH: usize = 60;
    let offset = floor_char_boundary(text, offset);
    let pos = pos_of(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line: Vec<char> = text[line_start..line_end]
        .trim_end_matches('\r')
        .chars()
        .collect();
    let col = pos.column - 1;
    let (from, to) = if line.len() <= 2 * WIDTH {
        (0, line.len())
    } else {
        let from = col.saturating_sub(WIDTH);
        (from, (col + WIDTH).min(line.len()))
    };
    let mut shown: String = line[from..to]
        .iter()
        .map(|&c| if c.is_control() && c != '\t' { ' ' } else { c })
        .collect();
    let mut caret: String = line[from..col.min(line.len())]
        .iter()
        .map(|&c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    if from > 0 {
        shown.insert(0, '…');
        caret.insert(0, ' ');
    }
    if to < line.len() {
        shown.push('…');
    }
    let num = pos.line.to_string();
    let pad = " ".repeat(num.len());
    format!(" {num} | {shown}\n {pad} | {caret}^\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(s: &str) -> Result<Value, Diagnostic> {
        parse_payload(s, "t.json", &ParseOptions::default()).map(|p| p.value)
    }

    #[test]
    fn reads_json_exactly() {
        let v = parse(r#"{"b": [1, -0, 2.50, 1E300, 123456789012345678901234567890], "a": "\u00e9\ud83d\ude00\n", "c": {}, "d": [], "e": null}"#)
            .expect("valid");
        assert_eq!(
            v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()),
            Some(vec![
                "b".into(),
                "a".into(),
                "c".into(),
                "d".into(),
                "e".into()
            ])
        );
        let nums: Vec<String> = v["b"]
            .as_array()
            .expect("array")
            .iter()
            .map(|n| n.to_string())
            .collect();
        // serde_json keeps the digits and normalises only the exponent marker (`1E300` → `1e+300`).
        assert_eq!(
            nums,
            [
                "1",
                "-0",
                "2.50",
                "1e+300",
                "123456789012345678901234567890"
            ]
        );
        assert_eq!(v["a"], json!("é😀\n"));
    }

    #[test]
    fn agrees_with_serde_json_on_valid_input() {
        let text = r#" { "x": [true, false, null, 0, 0.5, -1e-7, "a\"b\\c\/d\b\f\r\t"], "y": {"z": [[], {}]} } "#;
        assert_eq!(
            parse(text).expect("valid"),
            serde_json::from_str::<Value>(text).expect("valid")
        );
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e = parse("{\n  \"a\": 1,\n  \"b\": 2,\n}").expect_err("trailing comma");
        assert_eq!(e.pos, Some(Pos { line: 3, column: 9 }));
        assert!(
            e.message.contains("trailing comma") && e.message.contains("line 4, column 1"),
            "{e}"
        );
        assert!(
            e.to_string().contains(" 3 |   \"b\": 2,\n   |         ^"),
            "{e}"
        );
        for (bad, line, col) in [
            ("[1 2]", 1, 4),
            ("{\"a\" 1}", 1, 6),
            ("{'a': 1}", 1, 2),
            ("[01]", 1, 2),
            ("[1.]", 1, 4),
            ("[tru]", 1, 2),
            ("[1] x", 1, 5),
            ("\"a\nb\"", 1, 3),
        ] {
            let e = parse(bad).expect_err(bad);
            assert_eq!(e.pos, Some(Pos { line, column: col }), "{bad}: {e}");
        }
        let e = parse("[1e400]").expect_err("overflow");
        assert!(
            e.message.contains("out of the range of a 64-bit float"),
            "{e}"
        );
        assert!(parse(&format!("[{}]", "9".repeat(400))).is_err());
        assert!(parse(&format!("[{}]", "9".repeat(300))).is_ok());
        let e = parse("[\"\\ud800\"]").expect_err("lone surrogate");
        assert!(e.message.contains("lone surrogate"), "{e}");
    }

    #[test]
    fn truncation_says_so() {
        for cut in [
            "{\"a\": [1, 2",
            "{\"a\": \"xy",
            "{\"a\"",
            "{\"a\":",
            "[tr",
            "{\"a\": 1,",
            "[-",
            "[1.5e",
        ] {
            let e = parse(cut).expect_err(cut);
            assert!(e.message.contains("truncated"), "{cut}: {e}");
        }
        let e = parse("{\n  \"a\": {\n    \"b\": [1,").expect_err("cut");
        assert!(
            e.message.contains("3 arrays or objects still open")
                && e.message.contains("an array, opened at line 3, column 10"),
            "{e}"
        );
        assert!(
            parse("  \n")
                .expect_err("empty")
                .message
                .contains("empty input")
        );
    }

    #[test]
    fn duplicate_keys_are_errors_or_warnings() {
        let text = "{\n  \"nodeSize\": \"t3.small\",\n  \"x\": {\"nodeSize\": 1},\n  \"nodeSize\": \"m5l-250-v2\"\n}";
        let e = parse(text).expect_err("duplicate");
        assert_eq!(e.pos, Some(Pos { line: 4, column: 3 }));
        assert!(
            e.message.contains("duplicate key \"nodeSize\"")
                && e.message.contains("first at line 2")
                && e.message.contains("again at line 4"),
            "{e}"
        );
        let p = parse_payload(
            text,
            "t.json",
            &ParseOptions {
                allow_duplicate_keys: true,
            },
        )
        .expect("allowed");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(
            p.value,
            json!({"nodeSize": "m5l-250-v2", "x": {"nodeSize": 1}})
        );
        assert_eq!(
            p.value
                .as_object()
                .and_then(|m| m.keys().next())
                .map(String::as_str),
            Some("nodeSize")
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(
            parse(&deep)
                .expect_err("too deep")
                .message
                .contains("nesting deeper")
        );
        let bomb = "[".repeat(1_000_000);
        assert!(parse(&bomb).is_err());
    }

    #[test]
    fn locate_finds_keys_and_items() {
        let text = "{\n  \"bundles\": [\n    {\"bundle\": \"X\"},\n    {\"a/b\": 1}\n  ]\n}";
        assert_eq!(locate(text, "/bundles"), Some(Pos { line: 2, column: 3 }));
        assert_eq!(
            locate(text, "/bundles/0/bundle"),
            Some(Pos { line: 3, column: 6 })
        );
        assert_eq!(locate(text, "/bundles/1"), Some(Pos { line: 4, column: 5 }));
        assert_eq!(
            locate(text, "/bundles/1/a~1b"),
            Some(Pos { line: 4, column: 6 })
        );
        assert_eq!(locate(text, "/nope"), None);
        assert_eq!(locate(text, ""), Some(Pos { line: 1, column: 1 }));
    }

    #[test]
    fn long_lines_are_cut_in_snippets() {
        let text = format!("[{}x]", "1, ".repeat(1000));
        let e = parse(&text).expect_err("x");
        let first = e.snippet.lines().next().expect("a line");
        assert!(
            first.chars().count() < 140 && first.contains('…') && first.ends_with("1, x]"),
            "{first}"
        );
    }
}
