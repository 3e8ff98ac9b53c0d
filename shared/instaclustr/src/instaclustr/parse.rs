//! Position-aware JSON reading: a strict RFC 8259 parser that builds a `serde_json::Value` (numbers keep
//! their exact text, object keys keep their order) and, unlike `serde_json`, refuses a key repeated in one
//! object, names file, line and column of every syntax error with the offending line shown, and says so
//! when the input is cut off. [`locate`] finds the line and column of a JSON Pointer afterwards, so that
//! validation findings can point into the file without the parse paying for positions it rarely needs.

use std::fmt;

use serde_json::map::Entry;
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
    // Read quickly first: repeated keys are looked for only when an object closes. When that finds one,
    // or anything is wrong, read again the careful way, which finds the same first problem as the text
    // is read, with the positions of both keys; so the outcome is the careful reading's either way.
    let mut quick = Parser::new(text, source_name, *opts);
    if let Ok(value) = quick.document()
        && !quick.repeat_seen
    {
        return Ok(Payload {
            value,
            warnings: Vec::new(),
        });
    }
    let mut p = Parser::new(text, source_name, *opts);
    p.careful = true;
    let value = p.document()?;
    Ok(Payload {
        value,
        warnings: p.warnings,
    })
}

/// Line and column of the value at `pointer` (RFC 6901; for an object member, the position of its key).
/// `None` if the pointer does not exist or the text does not parse.
///
/// The text is read as strictly as by [`parse_payload`] (repeated keys allowed: the first one counts) up
/// to the place found, but nothing is built, and the reading stops there.
pub fn locate(text: &str, pointer: &str) -> Option<Pos> {
    if pointer.is_empty() {
        let start = text.len()
            - text
                .trim_start_matches(['\u{feff}', ' ', '\t', '\n', '\r'])
                .len();
        return Some(pos_of(text, start));
    }
    // Every path below the root starts with `/`; a pointer that does not names nothing.
    let segments: Vec<&str> = pointer.strip_prefix('/')?.split('/').collect();
    let mut p = Parser::new(
        text,
        "",
        ParseOptions {
            allow_duplicate_keys: true,
        },
    );
    p.skip_ws();
    let found = p.find(0, &segments).ok().flatten()?;
    Some(pos_of(text, found))
}

/// Escape one JSON Pointer segment (`~` → `~0`, `/` → `~1`).
pub fn pointer_segment(s: &str) -> String {
    if s.bytes().any(|b| b == b'~' || b == b'/') {
        s.replace('~', "~0").replace('/', "~1")
    } else {
        s.to_owned()
    }
}

/// Whether the escaped pointer segment `seg` names the object key `key`.
fn segment_is(seg: &str, key: &str) -> bool {
    if key.bytes().any(|b| b == b'~' || b == b'/') {
        seg == pointer_segment(key)
    } else {
        seg == key
    }
}

/// Whether the pointer segment `seg` names the array index `n` (written in decimal, no leading zero).
fn index_is(seg: &str, n: usize) -> bool {
    !seg.is_empty()
        && seg.len() <= 20
        && seg.bytes().all(|b| b.is_ascii_digit())
        && (seg.len() == 1 || !seg.starts_with('0'))
        && seg.parse::<usize>() == Ok(n)
}

/// In the careful reading, objects of up to this many members are gathered on [`Parser::members`], where
/// a repeated key is found by comparing the keys, and become a map of their final size when they close;
/// larger ones continue in a map, whose index finds repeats.
const SMALL_OBJECT: usize = 16;

/// Bytes that end a run of string characters taken as they are: `"`, `\` and the control characters.
static STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// The first index from `i` on that holds `"`, `\` or a control character (or the end of `b`). Eight
/// bytes at a time while they are plain (each test flags the first matching byte of the word exactly).
#[inline]
fn string_run_end(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        let quote = v ^ (ONES * u64::from(b'"'));
        let backslash = v ^ (ONES * u64::from(b'\\'));
        let stops = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (v.wrapping_sub(ONES * 0x20) & !v);
        let stops = stops & HIGH;
        if stops != 0 {
            return i + (stops.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if STRING_STOP[c as usize] {
            break;
        }
        i += 1;
    }
    i
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
    /// The items of the arrays being read, innermost last: an array takes its own off the top when it
    /// closes, so that its `Vec` is allocated once, at its final size.
    items: Vec<Value>,
    /// The members of the objects being read, innermost last (in the careful reading, of the small ones
    /// only: see [`SMALL_OBJECT`]); an object becomes a map of its final size when it closes.
    members: Vec<(String, Value)>,
    /// The byte offsets of the keys of the objects being read, innermost last, in the order of their
    /// members (a repeated key adds none): where a repeated key was first seen. Careful reading only.
    key_offsets: Vec<usize>,
    /// Whether repeated keys are looked for as each member is read (see [`parse_payload`]).
    careful: bool,
    /// A quick reading found a repeated key (and stopped).
    repeat_seen: bool,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, source: &'a str, opts: ParseOptions) -> Self {
        Parser {
            text,
            b: text.as_bytes(),
            // A UTF-8 byte order mark is tolerated, as by most JSON readers.
            i: if text.starts_with('\u{feff}') { 3 } else { 0 },
            source,
            opts,
            warnings: Vec::new(),
            open: Vec::new(),
            items: Vec::new(),
            members: Vec::new(),
            key_offsets: Vec::new(),
            careful: false,
            repeat_seen: false,
        }
    }

    /// The whole text: one value, nothing but white space around it.
    fn document(&mut self) -> Result<Value, Diagnostic> {
        self.skip_ws();
        if self.i >= self.b.len() {
            return Err(Diagnostic::whole(
                self.source,
                "empty input: expected a JSON document",
            ));
        }
        let value = self.value(0)?;
        self.skip_ws();
        if self.i < self.b.len() {
            return Err(self.err_here(format!(
                "unexpected {} after the end of the JSON document",
                self.describe_here()
            )));
        }
        Ok(value)
    }

    fn err_at(&self, offset: usize, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.source, self.text, offset, msg)
    }

    fn err_here(&self, msg: impl Into<String>) -> Diagnostic {
        self.err_at(self.i, msg)
    }

    /// The end of the input inside a value: say that the document is truncated and what is still open.
    #[cold]
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

    #[inline]
    fn skip_ws(&mut self) {
        let b = self.b;
        let mut i = self.i;
        loop {
            match b.get(i) {
                Some(b' ' | b'\t' | b'\r') => i += 1,
                Some(b'\n') => {
                    i += 1;
                    // An indented line: its spaces eight at a time.
                    while b.get(i..i + 8) == Some(&b"        "[..]) {
                        i += 8;
                    }
                }
                _ => break,
            }
        }
        self.i = i;
    }

    fn value(&mut self, depth: usize) -> Result<Value, Diagnostic> {
        let Some(&c) = self.b.get(self.i) else {
            return Err(self.truncated("where a value was expected"));
        };
        match c {
            b'"' => Ok(Value::String(self.string()?)),
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
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
        let negative = b.get(i) == Some(&b'-');
        if negative {
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
        let mut integer = true;
        if b.get(i) == Some(&b'.') {
            integer = false;
            i += 1;
            if digits(&mut i) == 0 {
                return Err(bad(self, i, "expected a digit after the decimal point"));
            }
        }
        let mut exponent = false;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            integer = false;
            exponent = true;
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
        // An integer of up to 19 characters fits a u64 (or, with its sign, an i64), whose digits serde_json
        // writes as they are here; `-0` keeps its sign only through serde_json's own reading, below.
        if integer && text.len() <= 19 && text != "-0" {
            let n = if negative {
                text.parse::<i64>().ok().map(Number::from)
            } else {
                text.parse::<u64>().ok().map(Number::from)
            };
            if let Some(n) = n {
                return Ok(Value::Number(n));
            }
        }
        // A number beyond the range of a 64-bit float (1e400) is valid JSON but unreadable for Go (the API
        // server), serde-saphyr and most JSON readers: refuse it rather than write what cannot be read.
        // Without an exponent that takes more than 308 digits.
        if (exponent || text.len() > 300) && !text.parse::<f64>().is_ok_and(f64::is_finite) {
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
        let start = self.i + 1;
        let end = string_run_end(self.b, start);
        if self.b.get(end) == Some(&b'"') {
            self.i = end + 1;
            return Ok(self.text[start..end].to_owned());
        }
        self.string_escaped(start - 1)
    }

    /// A string with escapes (or an error): decoded run by run.
    fn string_escaped(&mut self, open: usize) -> Result<String, Diagnostic> {
        self.i = open + 1;
        let mut out = String::new();
        loop {
            let run_start = self.i;
            self.i = string_run_end(self.b, self.i);
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
        if self.open_empty(depth, b']')? {
            return Ok(Value::Array(Vec::new()));
        }
        let base = self.items.len();
        loop {
            self.skip_ws();
            let item = self.value(depth)?;
            self.items.push(item);
            if self.after_item()? {
                return Ok(Value::Array(self.items.split_off(base)));
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

    /// After `{` has been seen, a member's key and `:`, ready for its value.
    fn key(&mut self) -> Result<String, Diagnostic> {
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
        Ok(key)
    }

    /// After a member: `,` and more (`Ok(false)`), or the closing `}` (`Ok(true)`).
    fn after_member(&mut self) -> Result<bool, Diagnostic> {
        self.after(b'}', "inside an object", "an object member")
    }

    /// After an array item: `,` and more (`Ok(false)`), or the closing `]` (`Ok(true)`).
    fn after_item(&mut self) -> Result<bool, Diagnostic> {
        self.after(b']', "inside an array", "an array item")
    }

    /// The separator after a member or item: `,` then more (`Ok(false)`; a `,` right before `close` is
    /// an error), or `close` (`Ok(true)`).
    fn after(&mut self, close: u8, inside: &str, what: &str) -> Result<bool, Diagnostic> {
        self.skip_ws();
        match self.b.get(self.i) {
            Some(b',') => {
                let comma = self.i;
                self.i += 1;
                self.skip_ws();
                if self.b.get(self.i) == Some(&close) {
                    return Err(self.trailing_comma(comma));
                }
                Ok(false)
            }
            Some(&c) if c == close => {
                self.i += 1;
                self.open.pop();
                Ok(true)
            }
            None => Err(self.truncated(inside)),
            Some(_) => Err(self.err_here(format!(
                "expected ',' or '{}' after {what}, found {}",
                close as char,
                self.describe_here()
            ))),
        }
    }

    /// After `[` or `{`: enters one level and reports whether `close` follows at once (an empty
    /// container, consumed).
    fn open_empty(&mut self, depth: usize, close: u8) -> Result<bool, Diagnostic> {
        self.enter(depth)?;
        self.skip_ws();
        if self.b.get(self.i) == Some(&close) {
            self.i += 1;
            self.open.pop();
            return Ok(true);
        }
        Ok(false)
    }

    fn object(&mut self, depth: usize) -> Result<Value, Diagnostic> {
        if !self.careful {
            return self.object_quick(depth);
        }
        if self.open_empty(depth, b'}')? {
            return Ok(Value::Object(Map::new()));
        }
        let base = self.members.len();
        let offsets = self.key_offsets.len();
        // `None` while the object is small: its members are on `self.members[base..]`.
        let mut large: Option<Map<String, Value>> = None;
        loop {
            self.skip_ws();
            let key_at = self.i;
            let key = self.key()?;
            let v = self.value(depth)?;
            // A repeated key: the index of its first member, the key and the new value.
            let repeated = match &mut large {
                None => match self.members[base..].iter().position(|(k, _)| *k == key) {
                    Some(first) => Some((first, key, v)),
                    None => {
                        self.members.push((key, v));
                        self.key_offsets.push(key_at);
                        if self.members.len() - base > SMALL_OBJECT {
                            let mut map = Map::with_capacity(4 * SMALL_OBJECT);
                            map.extend(self.members.drain(base..));
                            large = Some(map);
                        }
                        None
                    }
                },
                Some(map) => match map.entry(key) {
                    Entry::Vacant(e) => {
                        e.insert(v);
                        self.key_offsets.push(key_at);
                        None
                    }
                    Entry::Occupied(e) => {
                        let key = e.key().clone();
                        let first = map.keys().position(|k| *k == key).unwrap_or(0);
                        Some((first, key, v))
                    }
                },
            };
            if let Some((first_idx, key, v)) = repeated {
                let first = pos_of(self.text, self.key_offsets[offsets + first_idx]);
                let again = pos_of(self.text, key_at);
                if self.opts.allow_duplicate_keys {
                    self.warnings.push(self.err_at(
                        key_at,
                        format!(
                            "duplicate key \"{key}\" (line {} and line {}): keeping the last value",
                            first.line, again.line
                        ),
                    ));
                    match &mut large {
                        None => self.members[base + first_idx].1 = v,
                        Some(map) => {
                            map.insert(key, v);
                        }
                    }
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
            }
            if self.after_member()? {
                self.key_offsets.truncate(offsets);
                let map = match large {
                    Some(map) => map,
                    None => self.members.drain(base..).collect(),
                };
                return Ok(Value::Object(map));
            }
        }
    }

    /// The quick reading of an object: its members are gathered on `self.members` and become a map of
    /// their final size when it closes; a repeated key found then stops the reading.
    fn object_quick(&mut self, depth: usize) -> Result<Value, Diagnostic> {
        if self.open_empty(depth, b'}')? {
            return Ok(Value::Object(Map::new()));
        }
        let base = self.members.len();
        loop {
            self.skip_ws();
            let key = self.key()?;
            let v = self.value(depth)?;
            self.members.push((key, v));
            if self.after_member()? {
                let mut map = Map::with_capacity(self.members.len() - base);
                for (k, v) in self.members.drain(base..) {
                    if map.insert(k, v).is_some() {
                        self.repeat_seen = true;
                    }
                }
                if self.repeat_seen {
                    return Err(Diagnostic::whole(self.source, "a repeated key"));
                }
                return Ok(Value::Object(map));
            }
        }
    }

    /// [`locate`]'s walk: read the value here as strictly as [`Self::value`] does, without building it,
    /// looking for the member or item that `path` (escaped pointer segments) names below it; stop there.
    /// An empty `path` names nothing: the value is only read.
    fn find(&mut self, depth: usize, path: &[&str]) -> Result<Option<usize>, Diagnostic> {
        match self.b.get(self.i) {
            Some(b'{') => self.find_in_object(depth + 1, path),
            Some(b'[') => self.find_in_array(depth + 1, path),
            _ => self.value(depth).map(|_| None),
        }
    }

    fn find_in_object(&mut self, depth: usize, path: &[&str]) -> Result<Option<usize>, Diagnostic> {
        if self.open_empty(depth, b'}')? {
            return Ok(None);
        }
        loop {
            self.skip_ws();
            let key_at = self.i;
            let key = self.key()?;
            // A repeated key is looked into again: the first place that has the path counts.
            let on_path = path.first().is_some_and(|seg| segment_is(seg, &key));
            if on_path && path.len() == 1 {
                return Ok(Some(key_at));
            }
            let below = if on_path { &path[1..] } else { &[] };
            if let Some(at) = self.find(depth, below)? {
                return Ok(Some(at));
            }
            if self.after_member()? {
                return Ok(None);
            }
        }
    }

    fn find_in_array(&mut self, depth: usize, path: &[&str]) -> Result<Option<usize>, Diagnostic> {
        if self.open_empty(depth, b']')? {
            return Ok(None);
        }
        let mut n = 0;
        loop {
            self.skip_ws();
            let on_path = path.first().is_some_and(|seg| index_is(seg, n));
            if on_path && path.len() == 1 {
                return Ok(Some(self.i));
            }
            let below = if on_path { &path[1..] } else { &[] };
            if let Some(at) = self.find(depth, below)? {
                return Ok(Some(at));
            }
            n += 1;
            if self.after_item()? {
                return Ok(None);
            }
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

    const REPEATS_ALLOWED: ParseOptions = ParseOptions {
        allow_duplicate_keys: true,
    };

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
        let p = parse_payload(text, "t.json", &REPEATS_ALLOWED).expect("allowed");
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

    #[test]
    fn large_objects_and_repeats_read_as_before() {
        // More members than SMALL_OBJECT: the quick reading builds the map at its final size.
        let members: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{\n{}\n}}", members.join(",\n"));
        let v = parse(&text).expect("valid");
        assert_eq!(v, serde_json::from_str::<Value>(&text).expect("valid"));
        assert_eq!(
            v.as_object()
                .and_then(|m| m.keys().nth(57))
                .map(String::as_str),
            Some("k57")
        );
        // A repeat in a large object, found by the careful reading with both positions.
        let text = format!("{{\n{},\n\"k40\": \"again\"\n}}", members.join(",\n"));
        let e = parse(&text).expect_err("duplicate");
        assert_eq!(
            e.pos,
            Some(Pos {
                line: 102,
                column: 1
            })
        );
        assert!(
            e.message.contains("duplicate key \"k40\"")
                && e.message.contains("first at line 42, column 1"),
            "{e}"
        );
        let p = parse_payload(&text, "t.json", &REPEATS_ALLOWED).expect("allowed");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.value["k40"], json!("again"));
        assert_eq!(
            p.value
                .as_object()
                .and_then(|m| m.keys().nth(40))
                .map(String::as_str),
            Some("k40")
        );
        assert_eq!(p.value.as_object().map(Map::len), Some(100));
    }

    #[test]
    fn a_repeat_is_reported_before_a_later_syntax_error() {
        // The quick reading stops at the syntax error; the careful one finds the repeat first.
        for text in [
            "{\"a\": 1, \"a\": 2, \"b\": tru}",
            "{\"a\": 1, \"a\": 2, \"b\": [1,]}",
        ] {
            let e = parse(text).expect_err(text);
            assert!(e.message.starts_with("duplicate key \"a\""), "{text}: {e}");
        }
        // With repeats allowed, the syntax error is the error, and no warning is lost on the way.
        let e = parse_payload(
            "{\"a\": 1, \"a\": 2, \"b\": tru}",
            "t.json",
            &REPEATS_ALLOWED,
        )
        .expect_err("syntax");
        assert!(e.message.contains("expected a value"), "{e}");
        // Repeats in nested objects, each object on its own.
        let p = parse_payload(
            "[{\"a\": 1, \"a\": 2}, {\"a\": 3}, {\"b\": {\"c\": 1, \"c\": 2}}]",
            "t.json",
            &REPEATS_ALLOWED,
        )
        .expect("allowed");
        assert_eq!(p.warnings.len(), 2);
        assert_eq!(p.value, json!([{"a": 2}, {"a": 3}, {"b": {"c": 2}}]));
    }

    #[test]
    fn numbers_keep_serde_jsons_text() {
        for n in [
            "0",
            "-0",
            "7",
            "-7",
            "9223372036854775807",
            "-9223372036854775808",
            "-9223372036854775809",
            "9999999999999999999",
            "18446744073709551615",
            "18446744073709551616",
            "-999999999999999999",
            "0.0",
            "-0.0",
            "2.50",
            "1e5",
            "1E5",
            "1e+5",
            "-1.5E-5",
            "12345678901234567890123",
        ] {
            let got = parse(&format!("[{n}]")).expect(n);
            let want: Value = serde_json::from_str(&format!("[{n}]")).expect(n);
            assert_eq!(got[0].to_string(), want[0].to_string(), "{n}");
        }
        // Without an exponent, only 309 digits and more can be out of range.
        let zeros = "0".repeat(308);
        assert!(parse(&format!("[1{zeros}]")).is_ok());
        assert!(parse(&format!("[1{zeros}.5]")).is_ok());
        assert!(parse(&format!("[2{zeros}]")).is_err());
        assert!(parse(&format!("[-2{zeros}.5]")).is_err());
    }

    #[test]
    fn strings_agree_with_serde_json_around_word_boundaries() {
        // Every position of a quote, backslash or control character in strings of up to 20 bytes, so the
        // eight-byte scan is crossed at every offset.
        for len in 0..20 {
            for at in 0..=len {
                for special in ["\\\"", "\\\\", "\\n", "\\u00e9", "é", "\u{7f}"] {
                    let mut s = "x".repeat(len);
                    s.insert_str(at, special);
                    let text = format!("[\"{s}\", \"{s}\"]");
                    assert_eq!(
                        parse(&text).expect(&text),
                        serde_json::from_str::<Value>(&text).expect(&text),
                        "{text}"
                    );
                }
                let mut s = "x".repeat(len);
                s.insert(at, '\u{1}');
                let e = parse(&format!("[\"{s}\"]")).expect_err("control");
                assert_eq!(
                    e.pos,
                    Some(Pos {
                        line: 1,
                        column: at + 3
                    })
                );
            }
        }
    }

    #[test]
    fn locate_reads_only_up_to_the_place() {
        // A repeated key: the first place that has the path counts.
        let text = "{\"a\": 1, \"a\": {\"b\": 2}}";
        assert_eq!(locate(text, "/a"), Some(Pos { line: 1, column: 2 }));
        assert_eq!(
            locate(text, "/a/b"),
            Some(Pos {
                line: 1,
                column: 16
            })
        );
        // What comes after the place does not matter, what comes before does.
        assert_eq!(locate("[1, 2, x", "/1"), Some(Pos { line: 1, column: 5 }));
        assert_eq!(locate("[x, 2]", "/1"), None);
        // Indices are written without leading zeros or signs; a pointer starts with `/`.
        assert_eq!(locate("[1, 2]", "/01"), None);
        assert_eq!(locate("[1, 2]", "/+1"), None);
        assert_eq!(locate("[1, 2]", "1"), None);
        assert_eq!(
            locate("[1, [2, 3]]", "/1/1"),
            Some(Pos { line: 1, column: 9 })
        );
        // Keys with `/` and `~`, and the empty key.
        let text = "{\"a/b\": {\"~\": {\"\": 1}}}";
        assert_eq!(
            locate(text, "/a~1b/~0/"),
            Some(Pos {
                line: 1,
                column: 16
            })
        );
        assert_eq!(locate(text, "/a/b"), None);
        assert_eq!(
            locate("\u{feff}{\"a\": 1}", "/a"),
            Some(Pos { line: 1, column: 3 })
        );
    }

    #[test]
    fn pointer_segments_escape() {
        assert_eq!(pointer_segment("plain"), "plain");
        assert_eq!(pointer_segment("a/b~c"), "a~1b~0c");
        assert_eq!(pointer_segment("~1"), "~01");
    }
}
