//! kubectl's JSONPath: the template dialect of client-go's `util/jsonpath` (what `kubectl get -o
//! jsonpath=…`, `-o custom-columns=…` and `--sort-by=…` evaluate), ported from its parser and evaluator
//! so that the same template on the same object prints the same bytes: `{.a.b}`, `[*]`, `[1:3:2]`,
//! `[-1]`, unions `[0,2]`, `['key']`, filters `[?(@.x=="y")]` and `[?(@.x)]`, `..` recursive descent,
//! `{@}`/`{$}`, quoted literals `{"\n"}`, `{range …}…{end}`, plain text outside braces. Missing keys
//! print nothing (kubectl's `--allow-missing-template-keys=true`); the results of one action are joined
//! by a space; maps and lists print as Go's compact `json.Marshal` (keys sorted, `<>&` escaped).
//! No crate implements this dialect (the JSONPath crates follow RFC 9535, which has no templates).

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

/// A parse or evaluation error, in client-go's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPathError(pub String);

impl std::fmt::Display for JsonPathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Res<T> = std::result::Result<T, JsonPathError>;

fn err<T>(msg: impl Into<String>) -> Res<T> {
    Err(JsonPathError(msg.into()))
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Field(String),
    Wildcard,
    Recursive,
    Array([Param; 3]),
    Union(Vec<Vec<Node>>),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        op: String,
    },
    Int(i64),
    Float(f64),
    Bool(bool),
    Identifier(String),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    lists: Vec<Vec<Node>>,
}

struct Parser<'s> {
    input: &'s str,
    pos: usize,
    start: usize,
    width: usize,
    root: Vec<Vec<Node>>,
}

const EOF: char = '\u{FFFF}';

fn is_terminator(r: char) -> bool {
    matches!(
        r,
        ' ' | '\t' | '\r' | '\n' | EOF | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
    )
}

fn is_alphanumeric(r: char) -> bool {
    r == '_' || r.is_alphanumeric()
}

impl<'s> Parser<'s> {
    fn new(input: &'s str) -> Self {
        Parser {
            input,
            pos: 0,
            start: 0,
            width: 0,
            root: Vec::new(),
        }
    }

    fn rest(&self) -> &'s str {
        &self.input[self.pos..]
    }

    fn next(&mut self) -> char {
        match self.rest().chars().next() {
            None => {
                self.width = 0;
                EOF
            }
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                c
            }
        }
    }

    fn peek(&mut self) -> char {
        let r = self.next();
        self.backup();
        r
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    fn consume(&mut self) -> &'s str {
        let v = &self.input[self.start..self.pos];
        self.start = self.pos;
        v
    }

    /// The byte before the last character read (client-go's `input[pos-2]` check for escaped quotes).
    fn escaped(&self) -> bool {
        self.pos >= 2 && self.input.as_bytes()[self.pos - 2] == b'\\'
    }

    fn parse_text(&mut self) -> Res<()> {
        loop {
            if self.rest().starts_with('{') {
                if self.pos > self.start {
                    let t = self.consume().to_string();
                    self.root.push(vec![Node::Text(t)]);
                }
                self.pos += 1;
                self.consume();
                let mut cur = Vec::new();
                let r = self.parse_inside(&mut cur);
                self.root.push(cur);
                r?;
                // parse_inside returns at the closing brace, which it consumed.
                continue;
            }
            if self.next() == EOF {
                break;
            }
        }
        if self.pos > self.start {
            let t = self.consume().to_string();
            self.root.push(vec![Node::Text(t)]);
        }
        Ok(())
    }

    /// One action up to and including its `}`.
    fn parse_inside(&mut self, cur: &mut Vec<Node>) -> Res<()> {
        loop {
            if self.rest().starts_with('}') {
                self.pos += 1;
                self.consume();
                return Ok(());
            }
            if self.rest().starts_with("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if self.rest().starts_with("..") {
                if matches!(cur.last(), Some(Node::Recursive)) {
                    return err("invalid multiple recursive descent");
                }
                self.pos += 2;
                self.consume();
                cur.push(Node::Recursive);
                if is_alphanumeric(self.peek()) {
                    self.parse_field(cur);
                }
                continue;
            }
            match self.next() {
                r if r == EOF || r == '\r' || r == '\n' => return err("unclosed action"),
                ' ' | '@' | '$' => {
                    self.consume();
                }
                '[' => self.parse_array(cur)?,
                q @ ('"' | '\'') => self.parse_quote(cur, q)?,
                '.' => self.parse_field(cur),
                r if r == '+' || r == '-' || r.is_ascii_digit() => {
                    self.backup();
                    self.parse_number(cur)?;
                }
                r if is_alphanumeric(r) => {
                    self.backup();
                    loop {
                        if is_terminator(self.next()) {
                            self.backup();
                            break;
                        }
                    }
                    let v = self.consume();
                    cur.push(match v {
                        "true" => Node::Bool(true),
                        "false" => Node::Bool(false),
                        other => Node::Identifier(other.to_string()),
                    });
                }
                r => {
                    return err(format!(
                        "unrecognized character in action: U+{:04X} '{r}'",
                        r as u32
                    ));
                }
            }
        }
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Res<()> {
        let r = self.peek();
        if r == '+' || r == '-' {
            self.next();
        }
        loop {
            let r = self.next();
            if r != '.' && !r.is_ascii_digit() {
                self.backup();
                break;
            }
        }
        let v = self.consume();
        if let Ok(i) = v.parse::<i64>() {
            cur.push(Node::Int(i));
        } else if let Ok(f) = v.parse::<f64>() {
            cur.push(Node::Float(f));
        } else {
            return err(format!("cannot parse number {v}"));
        }
        Ok(())
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume();
        loop {
            let r = self.next();
            if r == '\\' {
                self.next();
            } else if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let v = self.consume();
        cur.push(if v == "*" {
            Node::Wildcard
        } else {
            Node::Field(v.replace('\\', ""))
        });
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, end: char) -> Res<()> {
        loop {
            match self.next() {
                r if r == EOF || r == '\n' => return err("unterminated quoted string"),
                r if r == end && !self.escaped() => break,
                _ => {}
            }
        }
        let v = self.consume();
        let s = unquote(v)
            .ok_or_else(|| JsonPathError(format!("unquote string {v} error invalid syntax")))?;
        cur.push(Node::Text(s));
        Ok(())
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Res<()> {
        loop {
            match self.next() {
                r if r == EOF || r == '\n' => return err("unterminated array"),
                ']' => break,
                _ => {}
            }
        }
        let text = self.consume();
        let mut text = &text[1..text.len() - 1];
        if text == "*" {
            text = ":";
        }
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for p in parts {
                union.push(parse_action(&format!("[{}]", p.trim_matches(' ')))?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        if let Some(key) = text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .filter(|k| !k.contains('\''))
        {
            cur.extend(parse_action(&format!(".{key}"))?);
            return Ok(());
        }
        cur.push(Node::Array(slice_params(text)?));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Res<()> {
        self.pos += 3;
        self.consume();
        let (mut begin, mut end, mut pair) = (false, false, ' ');
        loop {
            let r = self.next();
            match r {
                r if r == EOF || r == '\n' => return err("unterminated filter"),
                '"' | '\'' => {
                    if !begin {
                        begin = true;
                        pair = r;
                        continue;
                    }
                    if !self.escaped() && r == pair {
                        end = true;
                    }
                }
                ')' if begin == end => break,
                _ => {}
            }
        }
        if self.next() != ']' {
            return err("unclosed array expect ]");
        }
        let text = self.consume();
        let text = &text[..text.len() - 2];
        // client-go: ^([^!<>=]+)([!<>=]+)(.+?)$
        let op_at = text.find(['!', '<', '>', '=']).filter(|&i| i > 0);
        let split = op_at.and_then(|i| {
            let op_len = text[i..]
                .find(|c: char| !matches!(c, '!' | '<' | '>' | '='))
                .filter(|&n| i + n < text.len())?;
            Some((&text[..i], &text[i..i + op_len], &text[i + op_len..]))
        });
        match split {
            None => cur.push(Node::Filter {
                left: parse_action(text)?,
                right: Vec::new(),
                op: "exists".into(),
            }),
            Some((l, op, r)) => cur.push(Node::Filter {
                left: parse_action(l)?,
                right: parse_action(r)?,
                op: op.to_string(),
            }),
        }
        Ok(())
    }
}

/// `[a:b:c]`'s three parameters, as client-go reads them.
fn slice_params(text: &str) -> Res<[Param; 3]> {
    let bad = || JsonPathError(format!("invalid array index {text}"));
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 {
        return Err(bad());
    }
    let valid = |s: &str| {
        let d = s.strip_prefix('-').unwrap_or(s);
        d.chars().all(|c| c.is_ascii_digit())
    };
    if !parts.iter().all(|p| valid(p)) {
        return Err(bad());
    }
    let mut params = [Param::default(); 3];
    for i in 0..3 {
        match parts.get(i) {
            Some(v) if !(i == 0 && v.is_empty()) => {
                if i > 0 && v.is_empty() {
                    params[i].known = false;
                } else {
                    params[i].known = true;
                    params[i].value = v
                        .parse()
                        .map_err(|_| JsonPathError(format!("array index {v} is not a number")))?;
                }
            }
            _ if i == 1 => {
                params[1] = Param {
                    value: params[0].value + 1,
                    known: true,
                    derived: true,
                }
            }
            _ => {}
        }
    }
    Ok(params)
}

/// client-go's `parseAction`: the nodes of `{text}`.
fn parse_action(text: &str) -> Res<Vec<Node>> {
    let wrapped = format!("{{{text}}}");
    let mut p = Parser::new(&wrapped);
    p.parse_text()?;
    Ok(p.root.into_iter().next().unwrap_or_default())
}

/// Go's `strconv.Unquote`-like reading of `"…"` or `'…'` (the common escapes).
fn unquote(s: &str) -> Option<String> {
    let q = s.chars().next()?;
    let inner = s.strip_prefix(q)?.strip_suffix(q)?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            '0' => '\0',
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
            }
            c @ ('\\' | '"' | '\'') => c,
            _ => return None,
        });
    }
    Some(out)
}

static NULL: Value = Value::Null;

type Vals<'a> = Vec<Cow<'a, Value>>;

/// One evaluation (client-go keeps the range state on the JSONPath object).
#[derive(Default)]
struct Exec {
    begin_range: usize,
    in_range: usize,
    end_range: usize,
    last_end: Option<usize>,
}

impl Template {
    /// Parse a template (`{.metadata.name}`, text around actions allowed).
    pub fn parse(text: &str) -> std::result::Result<Template, JsonPathError> {
        let mut p = Parser::new(text);
        p.parse_text()?;
        Ok(Template { lists: p.root })
    }

    /// kubectl's relaxed form for custom columns and `--sort-by`: `a.b`, `.a.b`, `{a.b}` and `{.a.b}`
    /// all mean `{.a.b}`.
    pub fn parse_relaxed(expr: &str) -> std::result::Result<Template, JsonPathError> {
        Template::parse(&relaxed(expr)?)
    }

    /// Every action's results, in order (client-go's `FindResults`, missing keys allowed).
    fn find<'a>(&self, data: &'a Value) -> Res<Vec<Vals<'a>>> {
        let mut exec = Exec::default();
        exec.find(&self.lists, 0, data)
    }

    /// The values each action found, unprinted (custom columns and `--sort-by` use these).
    pub fn values(&self, data: &Value) -> std::result::Result<Vec<Vec<Value>>, JsonPathError> {
        Ok(self
            .find(data)?
            .into_iter()
            .map(|r| r.into_iter().map(Cow::into_owned).collect())
            .collect())
    }

    /// The template's text for `data`, as `kubectl -o jsonpath` prints it (no newline added).
    pub fn render(&self, data: &Value) -> std::result::Result<String, JsonPathError> {
        let mut out = String::new();
        for results in self.find(data)? {
            let texts: Vec<String> = results.iter().map(|v| text_of(v)).collect();
            out.push_str(&texts.join(" "));
        }
        Ok(out)
    }
}

/// kubectl's `RelaxedJSONPathExpression`.
pub fn relaxed(expr: &str) -> std::result::Result<String, JsonPathError> {
    if expr.is_empty() {
        return Ok(String::new());
    }
    let inner = expr
        .strip_prefix('{')
        .and_then(|e| e.strip_suffix('}'))
        .unwrap_or(expr);
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    if inner.is_empty() || inner.contains(['{', '}']) {
        return err(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
        );
    }
    Ok(format!("{{.{inner}}}"))
}

/// Go's type name of a decoded JSON value, for error messages.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int64",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

impl Exec {
    fn find<'a>(
        &mut self,
        nodes: &[Vec<Node>],
        from: usize,
        data: &'a Value,
    ) -> Res<Vec<Vals<'a>>> {
        let cur: Vals<'a> = vec![Cow::Borrowed(data)];
        let mut full = Vec::new();
        let mut i = from;
        while i < nodes.len() {
            let results = self.list(&cur, &nodes[i])?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end = Some(i);
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                if results.is_empty() {
                    self.find(nodes, i + 1, &NULL)?;
                } else {
                    for v in &results {
                        // The items are owned by `data` or made here; evaluate each on its own.
                        let item: Value = v.clone().into_owned();
                        for r in self.find(nodes, i + 1, &item)? {
                            full.push(r.into_iter().map(|c| Cow::Owned(c.into_owned())).collect());
                        }
                    }
                }
                self.in_range -= 1;
                if let Some(k) = self.last_end.filter(|&k| k > i) {
                    i = k;
                }
                i += 1;
                continue;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn list<'a>(&mut self, input: &Vals<'a>, nodes: &[Node]) -> Res<Vals<'a>> {
        let mut cur = input.clone();
        for n in nodes {
            cur = self.walk(cur, n)?;
        }
        Ok(cur)
    }

    fn walk<'a>(&mut self, input: Vals<'a>, node: &Node) -> Res<Vals<'a>> {
        let each = |v: Value| input.iter().map(|_| Cow::Owned(v.clone())).collect();
        Ok(match node {
            Node::Text(t) => vec![Cow::Owned(Value::String(t.clone()))],
            Node::Int(i) => each(Value::from(*i)),
            Node::Float(f) => each(Value::from(*f)),
            Node::Bool(b) => each(Value::Bool(*b)),
            Node::Field(name) => Exec::field(input, name),
            Node::Array(params) => array(input, params)?,
            Node::Union(lists) => {
                let mut out = Vec::new();
                for l in lists {
                    out.extend(self.list(&input, l)?);
                }
                out
            }
            Node::Filter { left, right, op } => self.filter(input, left, right, op)?,
            Node::Wildcard => input.iter().flat_map(children).collect(),
            Node::Recursive => recursive(input),
            Node::Identifier(id) => match id.as_str() {
                "range" => {
                    self.begin_range += 1;
                    input
                }
                "end" if self.in_range > 0 => {
                    self.end_range += 1;
                    Vec::new()
                }
                "end" => return err("not in range, nothing to end"),
                other => return err(format!("unrecognized identifier {other}")),
            },
        })
    }

    fn field<'a>(input: Vals<'a>, name: &str) -> Vals<'a> {
        let mut out = Vec::new();
        for v in input {
            match v {
                Cow::Borrowed(Value::Object(m)) => out.extend(m.get(name).map(Cow::Borrowed)),
                Cow::Owned(Value::Object(mut m)) => {
                    out.extend(m.swap_remove(name).map(Cow::Owned));
                }
                _ => {}
            }
        }
        out
    }

    fn filter<'a>(
        &mut self,
        input: Vals<'a>,
        left: &[Node],
        right: &[Node],
        op: &str,
    ) -> Res<Vals<'a>> {
        let mut out = Vec::new();
        for v in &input {
            let items: Vals<'a> = match v {
                Cow::Borrowed(Value::Array(a)) => a.iter().map(Cow::Borrowed).collect(),
                Cow::Owned(Value::Array(a)) => a.iter().cloned().map(Cow::Owned).collect(),
                other => {
                    return err(format!(
                        "{} is not array or slice and cannot be filtered",
                        go_sprint(other)
                    ));
                }
            };
            for item in items {
                let one = vec![item.clone()];
                let lefts = self.list(&one, left);
                if op == "exists" {
                    if lefts.map(|l| !l.is_empty()).unwrap_or(false) {
                        out.push(item);
                    }
                    continue;
                }
                let lefts = lefts?;
                let l = match lefts.as_slice() {
                    [] => continue,
                    [one] => one.clone(),
                    _ => return err("can only compare one element at a time"),
                };
                let rights = self.list(&one, right)?;
                let r = match rights.as_slice() {
                    [] => continue,
                    [one] => one.clone(),
                    _ => return err("can only compare one element at a time"),
                };
                if compare(&l, &r, op)? {
                    out.push(item);
                }
            }
        }
        Ok(out)
    }
}

fn children<'a>(v: &Cow<'a, Value>) -> Vals<'a> {
    match v {
        Cow::Borrowed(Value::Object(m)) => m.values().map(Cow::Borrowed).collect(),
        Cow::Borrowed(Value::Array(a)) => a.iter().map(Cow::Borrowed).collect(),
        Cow::Owned(Value::Object(m)) => m.values().cloned().map(Cow::Owned).collect(),
        Cow::Owned(Value::Array(a)) => a.iter().cloned().map(Cow::Owned).collect(),
        _ => Vec::new(),
    }
}

fn recursive(input: Vals<'_>) -> Vals<'_> {
    let mut out = Vec::new();
    for v in input {
        let kids = children(&v);
        if !kids.is_empty() {
            out.push(v);
            out.extend(recursive(kids));
        }
    }
    out
}

fn array<'a>(input: Vals<'a>, params: &[Param; 3]) -> Res<Vals<'a>> {
    let mut out = Vec::new();
    for v in &input {
        let items: Vec<Cow<'a, Value>> = match v {
            Cow::Borrowed(Value::Null) | Cow::Owned(Value::Null) => continue,
            Cow::Borrowed(Value::Array(a)) => a.iter().map(Cow::Borrowed).collect(),
            Cow::Owned(Value::Array(a)) => a.iter().cloned().map(Cow::Owned).collect(),
            other => return err(format!("{} is not array or slice", go_type(other))),
        };
        let len = items.len() as i64;
        let mut p = *params;
        if !p[0].known {
            p[0].value = 0;
        }
        if p[0].value < 0 {
            p[0].value += len;
        }
        if !p[1].known {
            p[1].value = len;
        }
        if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
            p[1].value += len;
        }
        if p[1].value == p[0].value {
            return Ok(out);
        }
        if p[0].value >= len || p[0].value < 0 {
            return err(format!(
                "array index out of bounds: index {}, length {len}",
                p[0].value
            ));
        }
        if p[1].value > len || p[1].value < 0 {
            return err(format!(
                "array index out of bounds: index {}, length {len}",
                p[1].value - 1
            ));
        }
        if p[0].value > p[1].value {
            return err(format!(
                "starting index {} is greater than ending index {}",
                p[0].value, p[1].value
            ));
        }
        let step = if p[2].known {
            if p[2].value <= 0 {
                return err("step must be > 0");
            }
            p[2].value as usize
        } else {
            1
        };
        out.extend(
            items
                .into_iter()
                .skip(p[0].value as usize)
                .take((p[1].value - p[0].value) as usize)
                .step_by(step),
        );
    }
    Ok(out)
}

/// The filter comparisons of Go's text/template (client-go's fork): numbers with numbers, strings with
/// strings, booleans for (in)equality only.
fn compare(l: &Value, r: &Value, op: &str) -> Res<bool> {
    use std::cmp::Ordering;
    let ord = match (l, r) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (
                a.as_f64().unwrap_or_default(),
                b.as_f64().unwrap_or_default(),
            );
            a.partial_cmp(&b)
        }
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) if matches!(op, "==" | "!=") => Some(a.cmp(b)),
        (Value::Bool(_), Value::Bool(_)) => return err("invalid type for comparison"),
        _ => return err("incompatible types for comparison"),
    };
    Ok(match op {
        "<" => ord == Some(Ordering::Less),
        ">" => ord == Some(Ordering::Greater),
        "==" => ord == Some(Ordering::Equal),
        "!=" => ord != Some(Ordering::Equal),
        "<=" => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        ">=" => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        other => return err(format!("unrecognized filter operator {other}")),
    })
}

/// A number as Go prints the int64 or float64 it decodes to.
fn go_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    let f = n.as_f64().unwrap_or_default();
    let exp = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    if (-4..21).contains(&exp) {
        format!("{f}")
    } else {
        let s = format!("{f:e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i32 = e.parse().unwrap_or_default();
        format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    }
}

/// A result as client-go prints it: maps and lists as compact JSON, the rest as `fmt.Print` does.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::Object(_) | Value::Array(_) => go_json(v),
        Value::Null => "null".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n),
    }
}

/// Go's `fmt.Sprint` of a decoded JSON value (custom columns print values this way): `map[k:v]` with
/// sorted keys, `[a b]`, `<nil>`.
pub fn go_sprint(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", go_sprint(&m[k.as_str()])))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(go_sprint).collect();
            format!("[{}]", parts.join(" "))
        }
        other => text_of(other),
    }
}

/// Go's `json.Marshal` of a decoded JSON value: compact, object keys sorted, `<`, `>`, `&`, U+2028 and
/// U+2029 escaped.
pub fn go_json(v: &Value) -> String {
    let mut s = String::new();
    write_go_json(&mut s, v);
    s
}

fn write_go_json(s: &mut String, v: &Value) {
    match v {
        Value::Null => s.push_str("null"),
        Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let _ = write!(s, "{i}");
            } else {
                let f = n.as_f64().unwrap_or_default();
                let exp = if f == 0.0 {
                    0
                } else {
                    f.abs().log10().floor() as i32
                };
                if (-6..21).contains(&exp) {
                    let _ = write!(s, "{f}");
                } else {
                    s.push_str(&go_number(n));
                }
            }
        }
        Value::String(t) => {
            s.push('"');
            for c in t.chars() {
                match c {
                    '"' => s.push_str("\\\""),
                    '\\' => s.push_str("\\\\"),
                    '\n' => s.push_str("\\n"),
                    '\r' => s.push_str("\\r"),
                    '\t' => s.push_str("\\t"),
                    '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                        let _ = write!(s, "\\u{:04x}", c as u32);
                    }
                    c if (c as u32) < 0x20 => {
                        let _ = write!(s, "\\u{:04x}", c as u32);
                    }
                    c => s.push(c),
                }
            }
            s.push('"');
        }
        Value::Array(a) => {
            s.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                write_go_json(s, x);
            }
            s.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            s.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                write_go_json(s, &Value::String((*k).clone()));
                s.push(':');
                write_go_json(s, &m[k.as_str()]);
            }
            s.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(template: &str, data: &Value) -> String {
        Template::parse(template)
            .unwrap_or_else(|e| panic!("{template}: {e}"))
            .render(data)
            .unwrap_or_else(|e| panic!("{template}: {e}"))
    }

    fn store() -> Value {
        json!({
            "Name": "jsonpath",
            "Book": [
                {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings of the Centurey", "Price": 8.95},
                {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword of Honour", "Price": 12.99},
                {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99}
            ],
            "Bicycle": [
                {"Color": "red", "Price": 19.95, "IsNew": true},
                {"Color": "green", "Price": 20.01, "IsNew": false}
            ],
            "Labels": {"engineer": 10, "web/html": 15, "k8s-app": 20},
            "Employees": {"jason": "manager", "dan": "clerk"}
        })
    }

    // The cases of client-go's TestStructInput / TestJSONInput / TestKubernetes, restated.
    #[test]
    fn client_go_store_cases() {
        let s = store();
        let cases: &[(&str, &str)] = &[
            ("hello jsonpath", "hello jsonpath"),
            ("hello {.Name}", "hello jsonpath"),
            (
                "{.Book[2]}",
                r#"{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}"#,
            ),
            ("{.Book[0].Price}", "8.95"),
            ("{.Book[-1].Author}", "Herman Melville"),
            ("{.Book[0:2].Author}", "Nigel Rees Evelyn Waugh"),
            (
                "{.Book[:2].Title}",
                "Sayings of the Centurey Sword of Honour",
            ),
            ("{.Book[1:].Category}", "fiction fiction"),
            ("{.Book[::2].Author}", "Nigel Rees Herman Melville"),
            (
                "{.Book[*].Author}",
                "Nigel Rees Evelyn Waugh Herman Melville",
            ),
            ("{.Book[0,2].Author}", "Nigel Rees Herman Melville"),
            (
                "{.Book[?(@.Price<10)].Title}",
                "Sayings of the Centurey Moby Dick",
            ),
            (
                "{.Book[?(@.Category==\"fiction\")].Author}",
                "Evelyn Waugh Herman Melville",
            ),
            ("{.Book[?(@.Author!='Nigel Rees')].Price}", "12.99 8.99"),
            ("{.Bicycle[?(@.IsNew==true)].Color}", "red"),
            ("{.Bicycle[?(@.IsNew)].Color}", "red green"),
            ("{..Color}", "red green"),
            ("{.Labels.web/html}", "15"),
            ("{.Labels.k8s-app}", "20"),
            ("{.Labels['web/html']}", "15"),
            ("{.Employees.*}", "manager clerk"),
            ("{range .Bicycle[*]}{.Color}{\"\\n\"}{end}", "red\ngreen\n"),
            (
                "{range .Book[*]}[{.Author}, {.Price}] {end}",
                "[Nigel Rees, 8.95] [Evelyn Waugh, 12.99] [Herman Melville, 8.99] ",
            ),
            ("{.Missing}", ""),
            ("{.Name}{.Missing}{.Name}", "jsonpathjsonpath"),
            ("{.Book[0].Price}{' '}{.Book[0].Category}", "8.95 reference"),
        ];
        for (t, want) in cases {
            assert_eq!(run(t, &s), *want, "{t}");
        }
    }

    #[test]
    fn at_and_dollar_are_the_current_object() {
        assert_eq!(run("{@}", &json!([1, 2])), "[1,2]");
        assert_eq!(run("{$.a}", &json!({"a": "x"})), "x");
        assert_eq!(
            run(
                "{.a[*].b}",
                &json!({"a": [{"b": [1]}, {"b": {"c": "<&>"}}]})
            ),
            "[1] {\"c\":\"\\u003c\\u0026\\u003e\"}"
        );
    }

    #[test]
    fn kubernetes_list_cases() {
        let list = json!({"kind": "List", "items": [
            {"kind": "None", "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
             "status": {"capacity": {"cpu": "4"}, "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
            {"kind": "None", "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
             "status": {"capacity": {"cpu": "8"}, "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"}, {"type": "another", "address": "127.0.0.3"}]}}
        ], "users": [
            {"name": "myself", "user": {}},
            {"name": "e2e", "user": {"username": "admin", "password": "secret"}}
        ]});
        let cases: &[(&str, &str)] = &[
            ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
            (
                "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
                "[127.0.0.1, {\"cpu\":\"4\"}] [127.0.0.2, {\"cpu\":\"8\"}] ",
            ),
            ("{.users[?(@.name==\"e2e\")].user.password}", "secret"),
            (
                "{.items[0].metadata.labels.kubernetes\\.io/hostname}",
                "127.0.0.1",
            ),
            (
                "{.items[*].status.addresses[?(@.type==\"LegacyHostIP\")].address}",
                "127.0.0.1 127.0.0.2",
            ),
            (
                "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}",
                "127.0.0.1, 127.0.0.2, 127.0.0.3, ",
            ),
            (
                "{.items[*].metadata.name}{\"\\n\"}",
                "127.0.0.1 127.0.0.2\n",
            ),
        ];
        for (t, want) in cases {
            assert_eq!(run(t, &list), *want, "{t}");
        }
    }

    #[test]
    fn errors_are_client_go_s() {
        let parse = |t: &str| Template::parse(t).expect_err(t).0;
        assert_eq!(parse("{.hello"), "unclosed action");
        assert_eq!(parse("{.a[1}"), "unterminated array");
        assert_eq!(parse("{.a[x]}"), "invalid array index x");
        assert_eq!(parse("{\"abc}"), "unterminated quoted string");
        assert_eq!(parse("{....a}"), "invalid multiple recursive descent");
        let exec = |t: &str, d: Value| Template::parse(t).expect(t).render(&d).expect_err(t).0;
        assert_eq!(
            exec("{.a[5]}", json!({"a": [1]})),
            "array index out of bounds: index 5, length 1"
        );
        assert_eq!(
            exec("{.a[0]}", json!({"a": "x"})),
            "string is not array or slice"
        );
        assert_eq!(exec("{end}", json!({})), "not in range, nothing to end");
        assert_eq!(exec("{.a[::0]}", json!({"a": [1]})), "step must be > 0");
    }

    #[test]
    fn relaxed_paths_are_wrapped() {
        for e in [
            "metadata.name",
            ".metadata.name",
            "{metadata.name}",
            "{.metadata.name}",
        ] {
            assert_eq!(relaxed(e).as_deref(), Ok("{.metadata.name}"), "{e}");
        }
        assert!(relaxed("{.a}{.b}").is_err());
    }

    #[test]
    fn go_printing() {
        assert_eq!(
            go_sprint(&json!({"b": 1, "a": ["x", null]})),
            "map[a:[x <nil>] b:1]"
        );
        assert_eq!(text_of(&json!(1.5)), "1.5");
        assert_eq!(text_of(&json!(1e21)), "1e+21");
        assert_eq!(go_json(&json!({"b": 1, "a": "é"})), "{\"a\":\"é\",\"b\":1}");
    }
}
