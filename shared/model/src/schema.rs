//! Parameters checked against a plan's JSON Schema before anything is created (`provision`, `bind`), and
//! a plan's schema as a table of parameters (`catalog --plan`).
//!
//! The Service Catalog stores the schemas a broker publishes (`instanceCreateParameterSchema`,
//! `instanceUpdateParameterSchema`, `serviceBindingCreateParameterSchema`) and never checks them, so a typo
//! costs a round trip to the broker. Here the merged parameters (`-p`, files, payloads and the
//! `parametersFrom` secrets, merged as the controller merges them) are validated by the `jsonschema` crate:
//! the draft comes from `$schema` (draft-04 when absent or unknown, the OSB minimum); no remote `$ref` is
//! fetched. Every violation is one line: its JSON pointer, what the schema expects and what was given, and
//! "did you mean" for an unknown property the schema forbids. Values that came from a Secret are never
//! printed. Parameters that match none of the forms of a `oneOf` (a plan taking Instaclustr's v1 and v2
//! bodies) are reported against the form they are meant for, not as "none of the forms".

use serde_json::{Map, Value};

use crate::suggest::did_you_mean;

/// Which of a plan's three schemas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    InstanceCreate,
    InstanceUpdate,
    BindingCreate,
}

impl Which {
    /// Every schema, in the order a plan lists them.
    pub const ALL: [Which; 3] = [
        Which::InstanceCreate,
        Which::InstanceUpdate,
        Which::BindingCreate,
    ];

    /// The field of the plan's `spec`.
    pub fn field(self) -> &'static str {
        match self {
            Which::InstanceCreate => "instanceCreateParameterSchema",
            Which::InstanceUpdate => "instanceUpdateParameterSchema",
            Which::BindingCreate => "serviceBindingCreateParameterSchema",
        }
    }

    /// What the parameters are for, in words.
    pub fn purpose(self) -> &'static str {
        match self {
            Which::InstanceCreate => "provision",
            Which::InstanceUpdate => "update",
            Which::BindingCreate => "bind",
        }
    }
}

/// The schema of a plan object (`ClusterServicePlan` or `ServicePlan`, as JSON), if it publishes one.
pub fn of_plan(plan_object: &Value, which: Which) -> Option<&Value> {
    plan_object
        .pointer(&format!("/spec/{}", which.field()))
        .filter(|v| !v.is_null())
}

/// The draft a schema declares (`$schema`), draft-04 when it declares none or one this crate does not
/// know. Returns the draft and whether `$schema` was unknown.
pub fn draft_of(schema: &Value) -> (jsonschema::Draft, bool) {
    use jsonschema::Draft;
    let Some(uri) = schema.get("$schema").and_then(Value::as_str) else {
        return (Draft::Draft4, false);
    };
    let known = [
        ("draft-04", Draft::Draft4),
        ("draft-06", Draft::Draft6),
        ("draft-07", Draft::Draft7),
        ("2019-09", Draft::Draft201909),
        ("2020-12", Draft::Draft202012),
    ];
    match known.iter().find(|(k, _)| uri.contains(k)) {
        Some((_, d)) => (*d, false),
        None => (Draft::Draft4, true),
    }
}

/// A compiled schema.
pub struct Checker {
    validator: jsonschema::Validator,
    schema: Value,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker").finish_non_exhaustive()
    }
}

impl Checker {
    /// Compile `schema`; an error says why the schema itself is broken.
    pub fn new(schema: &Value) -> Result<Self, String> {
        let (draft, unknown) = draft_of(schema);
        let mut schema = schema.clone();
        if unknown && let Some(m) = schema.as_object_mut() {
            // An unknown meta-schema would be fetched; validate as draft-04 instead.
            m.remove("$schema");
        }
        let validator = jsonschema::options()
            .with_draft(draft)
            .build(&schema)
            .map_err(|e| e.to_string())?;
        Ok(Checker { validator, schema })
    }

    /// Every violation of `params`, in the order the validator finds them. Values under the top-level keys
    /// in `secret_keys` (those that came from `parametersFrom` secrets) are never shown. Where the
    /// parameters match none of the forms of a `oneOf`/`anyOf`, the violations are those of the form they
    /// are meant for ([`Checker::report`]).
    pub fn check(&self, params: &Value, secret_keys: &[String]) -> Vec<Violation> {
        self.report(params, secret_keys).violations
    }

    /// [`Checker::check`], and which form of each failing `oneOf`/`anyOf` the violations are of.
    ///
    /// "Matches none of the forms" helps nobody, so a failing `oneOf`/`anyOf` is reported as the form the
    /// parameters are meant for: the one with the fewest violations, where a violated `not` of the form
    /// itself (a discriminator: "not when it has cassandraVersion") disqualifies it; the first on a tie.
    /// Its violations are reported exactly as they would be by that form alone.
    pub fn report(&self, params: &Value, secret_keys: &[String]) -> Report {
        let mut report = Report::default();
        for e in self.validator.iter_errors(params) {
            self.convert(&e, secret_keys, &mut report);
        }
        let mut seen = std::collections::HashSet::new();
        report
            .violations
            .retain(|v| seen.insert((v.pointer.clone(), v.message.clone())));
        report
    }

    fn convert(
        &self,
        e: &jsonschema::ValidationError<'_>,
        secret_keys: &[String],
        report: &mut Report,
    ) {
        let out = &mut report.violations;
        let pointer = e.instance_path().as_str().to_string();
        let secret = from_secret(&pointer, secret_keys);
        let given = if secret {
            "<redacted> (from a secret)".to_string()
        } else {
            describe(e.instance())
        };
        use jsonschema::error::ValidationErrorKind as K;
        match e.kind() {
            K::AdditionalProperties { unexpected } => {
                let allowed = self.allowed_properties(e.schema_path().as_str());
                let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
                for name in unexpected {
                    out.push(Violation {
                        pointer: format!("{pointer}/{}", escape(name)),
                        message: format!(
                            "unknown property \"{name}\"{}; allowed: {}",
                            did_you_mean(name, &allowed),
                            if allowed.is_empty() {
                                "none".to_string()
                            } else {
                                allowed.join(", ")
                            }
                        ),
                    });
                }
            }
            K::Required { property } => out.push(Violation {
                pointer: pointer.clone(),
                message: format!(
                    "missing required property {}",
                    property
                        .as_str()
                        .map(|s| format!("\"{s}\""))
                        .unwrap_or_else(|| property.to_string())
                ),
            }),
            K::Type { kind } => {
                let expected: Vec<String> = match kind {
                    jsonschema::error::TypeKind::Single(t) => vec![t.to_string()],
                    jsonschema::error::TypeKind::Multiple(set) => {
                        set.iter().map(|t| t.to_string()).collect()
                    }
                };
                out.push(Violation {
                    pointer: pointer.clone(),
                    message: format!("expected {}, got {given}", or_list(&expected)),
                });
            }
            K::Enum { options } => {
                let values: Vec<String> = options
                    .as_array()
                    .map(|a| a.iter().map(short_json).collect())
                    .unwrap_or_default();
                let strings: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let hint = match e.instance().as_str() {
                    Some(s) if !secret => did_you_mean(s, &strings),
                    _ => String::new(),
                };
                out.push(Violation {
                    pointer: pointer.clone(),
                    message: format!("expected one of {}, got {given}{hint}", values.join(", ")),
                });
            }
            K::Constant { expected_value } => out.push(Violation {
                pointer: pointer.clone(),
                message: format!("expected {}, got {given}", short_json(expected_value)),
            }),
            K::Pattern { pattern } => out.push(Violation {
                pointer: pointer.clone(),
                message: format!("expected a string matching {pattern}, got {given}"),
            }),
            K::Format { format } => out.push(Violation {
                pointer: pointer.clone(),
                message: format!("expected a {format}, got {given}"),
            }),
            K::Minimum { limit } => bound(out, &pointer, "at least", limit, &given),
            K::Maximum { limit } => bound(out, &pointer, "at most", limit, &given),
            K::ExclusiveMinimum { limit } => bound(out, &pointer, "more than", limit, &given),
            K::ExclusiveMaximum { limit } => bound(out, &pointer, "less than", limit, &given),
            K::MinLength { limit } => count(out, &pointer, "at least", *limit, "character", &given),
            K::MaxLength { limit } => count(out, &pointer, "at most", *limit, "character", &given),
            K::MinItems { limit } => count(out, &pointer, "at least", *limit, "item", &given),
            K::MaxItems { limit } => count(out, &pointer, "at most", *limit, "item", &given),
            K::MinProperties { limit } => {
                count(out, &pointer, "at least", *limit, "property", &given)
            }
            K::MaxProperties { limit } => {
                count(out, &pointer, "at most", *limit, "property", &given)
            }
            K::UniqueItems => out.push(Violation {
                pointer: pointer.clone(),
                message: "expected unique items, got repeated ones".into(),
            }),
            K::AnyOf { context } | K::OneOfNotValid { context } if !context.is_empty() => {
                self.closest_form(e, context, secret_keys, report);
            }
            K::AnyOf { .. } | K::OneOfNotValid { .. } => out.push(Violation {
                pointer: pointer.clone(),
                message: format!(
                    "matches none of the forms the schema allows ({}), got {given}",
                    e.kind().keyword()
                ),
            }),
            K::OneOfMultipleValid { .. } => out.push(Violation {
                pointer: pointer.clone(),
                message: format!("matches more than one of the forms of oneOf, got {given}"),
            }),
            K::FalseSchema => out.push(Violation {
                pointer: pointer.clone(),
                message: "not allowed here".into(),
            }),
            K::Not { schema } if forbidden_together(schema, e.instance()).is_some() => {
                let keys = forbidden_together(schema, e.instance()).unwrap_or_default();
                let keys: Vec<String> = keys.iter().map(|k| format!("\"{k}\"")).collect();
                out.push(Violation {
                    pointer: pointer.clone(),
                    message: match keys.as_slice() {
                        [one] => format!("must not have {one} (the schema's not)"),
                        _ => format!(
                            "must not have {} together (the schema's not)",
                            or_list(&keys).replacen(" or ", " and ", 1)
                        ),
                    },
                });
            }
            other => out.push(Violation {
                pointer: pointer.clone(),
                message: if secret {
                    format!("fails the schema's {}, got {given}", other.keyword())
                } else {
                    e.to_string()
                },
            }),
        }
    }

    /// A failing `oneOf`/`anyOf` (`e`, with each form's errors in `context`): the violations of the form
    /// the parameters are meant for.
    fn closest_form(
        &self,
        e: &jsonschema::ValidationError<'_>,
        context: &[Vec<jsonschema::ValidationError<'static>>],
        secret_keys: &[String],
        report: &mut Report,
    ) {
        let at = e.instance_path().as_str();
        let keyword_path = e.schema_path().as_str();
        let mut best: Option<(bool, usize, usize, Report)> = None;
        for (i, errors) in context.iter().enumerate() {
            let own_not = format!("{keyword_path}/{i}/not");
            let excluded = errors.iter().any(|f| {
                matches!(f.kind(), jsonschema::error::ValidationErrorKind::Not { .. })
                    && f.instance_path().as_str() == at
                    && f.schema_path().as_str() == own_not
            });
            let mut r = Report::default();
            for f in errors {
                self.convert(f, secret_keys, &mut r);
            }
            let better = match &best {
                None => true,
                Some((x, n, _, _)) => (excluded, r.violations.len()) < (*x, *n),
            };
            if better {
                best = Some((excluded, r.violations.len(), i, r));
            }
        }
        let Some((_, _, index, chosen)) = best else {
            return;
        };
        report.forms.push(FormChoice {
            pointer: at.to_string(),
            keyword: e.kind().keyword().to_string(),
            index,
            of: context.len(),
            title: self
                .schema
                .pointer(&format!("{keyword_path}/{index}/title"))
                .and_then(Value::as_str)
                .map(str::to_string),
        });
        report.forms.extend(chosen.forms);
        report.violations.extend(chosen.violations);
    }

    /// The `properties` (and `patternProperties`) declared beside an `additionalProperties` keyword.
    fn allowed_properties(&self, schema_path: &str) -> Vec<String> {
        let parent = schema_path
            .strip_suffix("/additionalProperties")
            .unwrap_or(schema_path);
        self.schema
            .pointer(parent)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }
}

fn bound(out: &mut Vec<Violation>, pointer: &str, rel: &str, limit: &Value, given: &str) {
    out.push(Violation {
        pointer: pointer.to_string(),
        message: format!("expected a number {rel} {limit}, got {given}"),
    });
}

fn count(out: &mut Vec<Violation>, pointer: &str, rel: &str, n: u64, unit: &str, given: &str) {
    let unit = match (unit, n) {
        (u, 1) => u.to_string(),
        ("property", _) => "properties".into(),
        (u, _) => format!("{u}s"),
    };
    out.push(Violation {
        pointer: pointer.to_string(),
        message: format!("expected {rel} {n} {unit}, got {given}"),
    });
}

/// One violation: where (a JSON pointer, `""` for the whole document) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.pointer.is_empty() {
            "(parameters)"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {}", self.message)
    }
}

/// What [`Checker::report`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub violations: Vec<Violation>,
    /// For each failing `oneOf`/`anyOf`, the form whose violations are reported.
    pub forms: Vec<FormChoice>,
}

/// The form of a failing `oneOf`/`anyOf` the parameters were checked as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormChoice {
    /// Where the `oneOf` applied (a JSON pointer into the parameters, `""` for the whole document).
    pub pointer: String,
    /// `oneOf` or `anyOf`.
    pub keyword: String,
    /// The form (0-based) and how many there are.
    pub index: usize,
    pub of: usize,
    /// The form's `title`, if it has one.
    pub title: Option<String>,
}

impl std::fmt::Display for FormChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match &self.title {
            Some(t) => format!("\"{t}\""),
            None => format!("form {}", self.index + 1),
        };
        write!(
            f,
            "checked as {name}: form {} of {} of the schema's {}{}, the one these parameters are closest to",
            self.index + 1,
            self.of,
            self.keyword,
            if self.pointer.is_empty() {
                String::new()
            } else {
                format!(" at {}", self.pointer)
            }
        )
    }
}

/// The keys of `instance` that make it match a `not` of the shape `{"anyOf": [{"required": [...]}, ...]}`
/// (or `{"required": [...]}`): the first required set it has in full.
fn forbidden_together(not: &Value, instance: &Value) -> Option<Vec<String>> {
    let obj = instance.as_object()?;
    let sets: Vec<&Value> = match not.get("anyOf").and_then(Value::as_array) {
        Some(any) => any.iter().collect(),
        None => vec![not],
    };
    sets.into_iter().find_map(|s| {
        let o = s.as_object()?;
        if o.len() != 1 {
            return None;
        }
        let keys: Vec<String> = o
            .get("required")?
            .as_array()?
            .iter()
            .map(|k| k.as_str().map(str::to_string))
            .collect::<Option<_>>()?;
        (!keys.is_empty() && keys.iter().all(|k| obj.contains_key(k))).then_some(keys)
    })
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Whether a pointer lies under a top-level key that came from a secret.
fn from_secret(pointer: &str, secret_keys: &[String]) -> bool {
    let first = pointer
        .strip_prefix('/')
        .map(|p| p.split('/').next().unwrap_or_default())
        .map(|s| s.replace("~1", "/").replace("~0", "~"));
    match first {
        Some(k) => secret_keys.contains(&k),
        // The whole document: it holds the secrets' values too.
        None => !secret_keys.is_empty(),
    }
}

/// A given value in words: `the number 5`, `the string "x"`, `true`, `an object`.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", short_json(&Value::String(s.clone()))),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Compact JSON, long strings cut.
fn short_json(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

/// The merged parameters the controller sends: `parameters` plus every top-level key of the
/// `parametersFrom` secrets (which may not repeat one of `parameters`; see [`crate::params`]).
pub fn merged(parameters: &Map<String, Value>, from_secrets: &Map<String, Value>) -> Value {
    let mut m = parameters.clone();
    for (k, v) in from_secrets {
        m.insert(k.clone(), v.clone());
    }
    Value::Object(m)
}

/// What a verb knows about the plan whose schema it checks, for the messages.
pub struct Target<'a> {
    /// `class/plan` (external names).
    pub plan: String,
    /// The plan object (JSON).
    pub plan_object: &'a Value,
    /// `--skip-schema-check`.
    pub skip: bool,
}

/// The check `provision` and `bind` run before any write: nothing when `--skip-schema-check`; a note
/// on stderr when the plan publishes no schema; an input error (exit 1) listing every violation.
pub fn enforce(
    target: &Target<'_>,
    which: Which,
    parameters: &Map<String, Value>,
    from_secrets: &Map<String, Value>,
) -> crate::Result<()> {
    if target.skip {
        return Ok(());
    }
    let Some(schema) = of_plan(target.plan_object, which) else {
        eprintln!(
            "note: plan {} publishes no {} parameter schema; the parameters are not checked before they reach the broker",
            target.plan,
            which.purpose()
        );
        return Ok(());
    };
    let checker = Checker::new(schema).map_err(|e| {
        crate::Error::Input(format!(
            "plan {}: its {} ({}) is not a valid JSON Schema: {e}\nPass --skip-schema-check to send the parameters unchecked.",
            target.plan,
            which.field(),
            which.purpose()
        ))
    })?;
    let secret_keys: Vec<String> = from_secrets.keys().cloned().collect();
    let report = checker.report(&merged(parameters, from_secrets), &secret_keys);
    if report.violations.is_empty() {
        return Ok(());
    }
    // Which form of a oneOf the lines are about, once, before them.
    let lines: Vec<String> = report
        .forms
        .iter()
        .map(|f| format!("({f})"))
        .chain(report.violations.iter().map(ToString::to_string))
        .collect();
    Err(crate::Error::Input(format!(
        "the parameters do not match the {} schema of plan {} ({}):\n  {}\nNothing was {}. See the plan's parameters with 'kubectl osb catalog --class {} --plan {}', \
         or pass --skip-schema-check if the schema is wrong.",
        which.purpose(),
        target.plan,
        which.field(),
        lines.join("\n  "),
        match which {
            Which::InstanceUpdate => "changed",
            _ => "created",
        },
        target.plan.split('/').next().unwrap_or_default(),
        target.plan.split('/').nth(1).unwrap_or_default(),
    )))
}

// ---------------------------------------------------------------------------------------------
// The table of `catalog --plan`

/// One parameter of a schema, flattened: nested objects as `a.b`, array items as `a[].b`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub kind: String,
    pub required: bool,
    pub default: String,
    pub description: String,
    pub allowed: String,
}

/// The parameters a schema declares, depth first, in the schema's order: every parameter once, those of
/// the root's `oneOf`/`anyOf`/`allOf` forms included (the first form that declares a name gives its row).
/// For one table per form, see [`sections_of`].
pub fn params_of(schema: &Value) -> Vec<Param> {
    let mut seen = std::collections::HashSet::new();
    sections_of(schema)
        .into_iter()
        .flat_map(|s| s.params)
        .filter(|p| seen.insert(p.name.clone()))
        .collect()
}

/// The parameters of one form of a schema: the root's own properties, or one branch of its
/// `oneOf`/`anyOf`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// `None` for the root's own properties; for a form: its title (or `form N`), its number and how many.
    pub form: Option<SectionForm>,
    pub params: Vec<Param>,
    /// [`extra_keys`] of the form.
    pub extra: String,
}

/// Which form a [`Section`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionForm {
    pub title: String,
    /// 0-based.
    pub index: usize,
    pub of: usize,
    /// `oneOf` or `anyOf`.
    pub keyword: &'static str,
}

/// A schema's parameters by form: the root's own properties (when it declares any, or has no forms), then
/// each form of its `oneOf`/`anyOf` (an `allOf`'s parts add to the root's, since all of them apply).
pub fn sections_of(schema: &Value) -> Vec<Section> {
    let mut root = Vec::new();
    walk(schema, "", &mut root);
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        walk(part, "", &mut root);
    }
    let mut out = Vec::new();
    let forms = ["oneOf", "anyOf"]
        .into_iter()
        .find_map(|k| Some((k, schema.get(k)?.as_array()?)));
    if !root.is_empty() || forms.is_none() {
        out.push(Section {
            form: None,
            params: root,
            extra: extra_keys(schema),
        });
    }
    if let Some((keyword, forms)) = forms {
        for (index, f) in forms.iter().enumerate() {
            let mut params = Vec::new();
            walk(f, "", &mut params);
            out.push(Section {
                form: Some(SectionForm {
                    title: f
                        .get("title")
                        .and_then(Value::as_str)
                        .map_or_else(|| format!("form {}", index + 1), str::to_string),
                    index,
                    of: forms.len(),
                    keyword,
                }),
                params,
                extra: extra_keys(f),
            });
        }
    }
    out
}

fn walk(schema: &Value, prefix: &str, out: &mut Vec<Param>) {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, s) in props {
        let full = format!("{prefix}{name}");
        out.push(Param {
            name: full.clone(),
            kind: type_of(s),
            required: required.contains(&name.as_str()),
            default: s.get("default").map(short_json).unwrap_or_default(),
            description: s
                .get("description")
                .or_else(|| s.get("title"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            allowed: allowed_of(s),
        });
        walk(s, &format!("{full}."), out);
        if let Some(items) = s.get("items").filter(|i| i.is_object()) {
            walk(items, &format!("{full}[]."), out);
        }
    }
}

/// The allowed values (`enum`) of the parameter `dotted` (`provider.name`), as `-p` would type them: those
/// of every form (`oneOf`/`anyOf`/`allOf`) that declares it, each value once.
pub fn enum_values(schema: &Value, dotted: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = dotted.split('.').collect();
    let mut found: Option<Vec<String>> = None;
    for s in declared(schema, &parts) {
        let Some(values) = s.get("enum").and_then(Value::as_array) else {
            continue;
        };
        let all = found.get_or_insert_with(Vec::new);
        for v in values {
            let v = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            if !all.contains(&v) {
                all.push(v);
            }
        }
    }
    found
}

/// The schemas of the property at `path` in `schema` and in each of its forms, at every level.
fn declared<'a>(schema: &'a Value, path: &[&str]) -> Vec<&'a Value> {
    let mut here = vec![schema];
    let mut i = 0;
    while i < here.len() {
        let s = here[i];
        for k in ["oneOf", "anyOf", "allOf"] {
            here.extend(schema_list(s, k));
        }
        i += 1;
    }
    let Some((first, rest)) = path.split_first() else {
        return here;
    };
    here.into_iter()
        .filter_map(|s| s.get("properties")?.get(*first))
        .flat_map(|s| declared(s, rest))
        .collect()
}

fn schema_list<'a>(s: &'a Value, keyword: &str) -> impl Iterator<Item = &'a Value> {
    s.get(keyword)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|v| v.is_object())
}

/// The line under a parameter table: whether parameters the schema does not declare are accepted.
pub fn extra_keys(schema: &Value) -> String {
    match schema.get("additionalProperties") {
        Some(Value::Bool(false)) => {
            "Other parameters: refused (additionalProperties: false)".into()
        }
        Some(Value::Object(_)) => {
            "Other parameters: accepted if they match additionalProperties".into()
        }
        _ => "Other parameters: accepted".into(),
    }
}

fn type_of(s: &Value) -> String {
    let base = match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("|"),
        _ if s.get("enum").is_some() => "enum".into(),
        _ if s.get("properties").is_some() => "object".into(),
        _ => "any".into(),
    };
    match s.pointer("/items/type").and_then(Value::as_str) {
        Some(item) if base == "array" => format!("[]{item}"),
        _ => base,
    }
}

fn allowed_of(s: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        parts.push(
            values
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if let Some(c) = s.get("const") {
        parts.push(short_json(c));
    }
    if let Some(p) = s.get("pattern").and_then(Value::as_str) {
        parts.push(format!("/{p}/"));
    }
    for (k, label) in [
        ("minimum", ">="),
        ("maximum", "<="),
        ("minLength", "len>="),
        ("maxLength", "len<="),
        ("minItems", "items>="),
        ("maxItems", "items<="),
    ] {
        if let Some(v) = s.get(k) {
            parts.push(format!("{label}{v}"));
        }
    }
    if s.get("additionalProperties") == Some(&Value::Bool(false)) {
        parts.push("no other keys".into());
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn violations(schema: Value, params: Value, secret: &[&str]) -> Vec<String> {
        let secret: Vec<String> = secret.iter().map(|s| s.to_string()).collect();
        Checker::new(&schema)
            .expect("compiles")
            .check(&params, &secret)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn upstream() -> Value {
        // The upstream test-broker's `test-service-with-schemas` create schema.
        json!({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "properties": {
            "param-1": {"description": "First input parameter", "type": "string"},
            "param-2": {"description": "Second input parameter", "type": "string"}}})
    }

    fn strict() -> Value {
        json!({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
        "required": ["tier"], "additionalProperties": false,
        "properties": {
            "tier": {"type": "string", "enum": ["PRODUCTION", "NON_PRODUCTION"]},
            "nodeSize": {"type": "string", "default": "t3.small"},
            "racks": {"type": "object", "required": ["count"], "additionalProperties": false,
                      "properties": {"count": {"type": ["integer", "string"], "minimum": 1}}}
        }})
    }

    #[test]
    fn each_violation_has_its_pointer_expected_and_given() {
        assert_eq!(
            violations(upstream(), json!({"param-1": 5}), &[]),
            ["/param-1: expected string, got the number 5"]
        );
        assert!(violations(upstream(), json!({"param-1": "x", "other": 1}), &[]).is_empty());
        let v = violations(
            strict(),
            json!({"tier": "PRODUCTON", "node_size": "x", "racks": {"cuont": 0}}),
            &[],
        );
        assert!(
            v.contains(&"/node_size: unknown property \"node_size\" (did you mean \"nodeSize\"?); allowed: tier, nodeSize, racks".to_string()),
            "{v:?}"
        );
        assert!(
            v.contains(&"/tier: expected one of \"PRODUCTION\", \"NON_PRODUCTION\", got the string \"PRODUCTON\" (did you mean \"PRODUCTION\"?)".to_string()),
            "{v:?}"
        );
        assert!(
            v.contains(&"/racks: missing required property \"count\"".to_string()),
            "{v:?}"
        );
        assert!(
            v.iter().any(|l| l
                .starts_with("/racks/cuont: unknown property \"cuont\" (did you mean \"count\"?)")),
            "{v:?}"
        );
        assert_eq!(
            violations(strict(), json!({}), &[]),
            ["(parameters): missing required property \"tier\""]
        );
        assert_eq!(
            violations(
                strict(),
                json!({"tier": "PRODUCTION", "racks": {"count": 0}}),
                &[]
            ),
            ["/racks/count: expected a number at least 1, got the number 0"]
        );
    }

    #[test]
    fn values_from_a_secret_are_never_shown() {
        let v = violations(
            strict(),
            json!({"tier": "hunter2-PRODUCTIO", "racks": {"count": "s3cr3t", "x": true}}),
            &["tier", "racks"],
        );
        let all = v.join("\n");
        assert!(!all.contains("hunter2") && !all.contains("s3cr3t"), "{all}");
        assert!(all.contains("/tier: expected one of \"PRODUCTION\", \"NON_PRODUCTION\", got <redacted> (from a secret)"), "{all}");
        assert!(!all.contains("did you mean \"PRODUCTION\""), "{all}");
    }

    #[test]
    fn the_draft_comes_from_dollar_schema() {
        use jsonschema::Draft;
        assert_eq!(draft_of(&json!({})), (Draft::Draft4, false));
        assert_eq!(
            draft_of(&json!({"$schema": "https://json-schema.org/draft/2020-12/schema"})),
            (Draft::Draft202012, false)
        );
        assert_eq!(
            draft_of(&json!({"$schema": "http://json-schema.org/draft-07/schema#"})),
            (Draft::Draft7, false)
        );
        assert_eq!(
            draft_of(&json!({"$schema": "http://example.com/mine"})),
            (Draft::Draft4, true)
        );
        // draft-04's exclusiveMinimum is a boolean; 2020-12's a number: each is read as its draft says.
        let d4 = json!({"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"n": {"minimum": 1, "exclusiveMinimum": true}}});
        assert_eq!(violations(d4, json!({"n": 1}), &[]).len(), 1);
        let d2020 = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "properties": {"n": {"exclusiveMinimum": 1}}});
        assert_eq!(
            violations(d2020, json!({"n": 1}), &[]),
            ["/n: expected a number more than 1, got the number 1"]
        );
        // An unknown meta-schema is not fetched.
        assert!(
            Checker::new(&json!({"$schema": "http://example.com/mine", "type": "object"})).is_ok()
        );
        assert!(Checker::new(&json!({"type": "no-such-type"})).is_err());
    }

    #[test]
    fn parameters_flatten_into_a_table() {
        let p = params_of(&strict());
        let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["tier", "nodeSize", "racks", "racks.count"]);
        assert!(p[0].required && p[0].allowed == "PRODUCTION, NON_PRODUCTION");
        assert_eq!(p[1].default, "\"t3.small\"");
        assert_eq!(p[3].kind, "integer|string");
        assert_eq!(p[3].allowed, ">=1");
        assert_eq!(p[2].allowed, "no other keys");
        let arr = params_of(
            &json!({"properties": {"b": {"type": "array", "items": {"type": "object", "properties": {"bundle": {"type": "string"}}}}}}),
        );
        assert_eq!(arr[0].kind, "[]object");
        assert_eq!(arr[1].name, "b[].bundle");
    }

    #[test]
    fn merged_adds_the_secrets_keys() {
        let p = json!({"a": 1}).as_object().cloned().expect("object");
        let s = json!({"b": 2}).as_object().cloned().expect("object");
        assert_eq!(merged(&p, &s), json!({"a": 1, "b": 2}));
    }

    /// Two forms told apart by `kind`: the first requires it, the second forbids it.
    fn two_forms() -> Value {
        json!({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "oneOf": [
            {"title": "new", "type": "object", "required": ["kind", "name"], "additionalProperties": false,
             "properties": {"kind": {"type": "string"}, "name": {"type": "string", "minLength": 3},
                            "tier": {"type": "string", "enum": ["GOLD", "SILVER"]}}},
            {"title": "old", "not": {"anyOf": [{"required": ["kind"]}]},
             "properties": {"tier": {"type": "string", "enum": ["PRODUCTION", "NON_PRODUCTION"]},
                            "racks": {"type": "object", "required": ["count"],
                                      "properties": {"count": {"type": "integer"}}}}}
        ]})
    }

    fn report(schema: &Value, params: Value) -> Report {
        Checker::new(schema).expect("compiles").report(&params, &[])
    }

    #[test]
    fn a_failing_one_of_is_reported_as_the_form_the_parameters_are_meant_for() {
        // Without `kind`: "old", reported exactly as "old" alone would be.
        let r = report(&two_forms(), json!({"tier": "PRODUCTON", "racks": {}}));
        assert_eq!(
            r.violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "/tier: expected one of \"PRODUCTION\", \"NON_PRODUCTION\", got the string \"PRODUCTON\" (did you mean \"PRODUCTION\"?)",
                "/racks: missing required property \"count\"",
            ]
        );
        assert_eq!(
            r.forms,
            [FormChoice {
                pointer: String::new(),
                keyword: "oneOf".into(),
                index: 1,
                of: 2,
                title: Some("old".into()),
            }]
        );
        assert_eq!(
            r.forms[0].to_string(),
            "checked as \"old\": form 2 of 2 of the schema's oneOf, the one these parameters are closest to"
        );
        // With `kind`, "old" is out even though "new" has more violations.
        let r = report(
            &two_forms(),
            json!({"kind": "x", "name": "ab", "tier": "GOLDEN", "racks": 1}),
        );
        assert_eq!(r.forms[0].index, 0);
        let lines: Vec<String> = r.violations.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "/name: expected at least 3 characters, got the string \"ab\"",
                "/tier: expected one of \"GOLD\", \"SILVER\", got the string \"GOLDEN\"",
                "/racks: unknown property \"racks\"; allowed: kind, name, tier",
            ]
        );
        assert!(
            !lines.iter().any(|l| l.contains("none of the forms")),
            "{lines:?}"
        );
        assert!(
            report(&two_forms(), json!({"tier": "PRODUCTION"}))
                .violations
                .is_empty()
        );
        assert!(
            report(&two_forms(), json!({"kind": "k", "name": "abc"}))
                .violations
                .is_empty()
        );
    }

    #[test]
    fn without_a_discriminator_the_form_with_the_fewest_violations_wins() {
        let s = json!({"anyOf": [
            {"title": "a", "required": ["x", "y"]},
            {"title": "b", "properties": {"z": {"type": "integer"}}, "required": ["z"]}
        ]});
        let r = report(&s, json!({"z": "1"}));
        assert_eq!(r.forms[0].title.as_deref(), Some("b"));
        assert_eq!(r.forms[0].keyword, "anyOf");
        assert_eq!(r.violations.len(), 1);
        assert_eq!(
            r.violations[0].to_string(),
            "/z: expected integer, got the string \"1\""
        );
        // A tie: the first form.
        let r = report(&s, json!({"x": 1}));
        assert_eq!(r.forms[0].title.as_deref(), Some("a"));
    }

    #[test]
    fn each_form_is_a_section_of_the_table_and_completion_sees_every_form() {
        let s = two_forms();
        let sections = sections_of(&s);
        assert_eq!(sections.len(), 2, "no root properties: the forms only");
        let titles: Vec<(String, usize, usize, &str)> = sections
            .iter()
            .map(|s| {
                let f = s.form.as_ref().expect("a form");
                (f.title.clone(), f.index, f.of, f.keyword)
            })
            .collect();
        assert_eq!(
            titles,
            [
                ("new".to_string(), 0, 2, "oneOf"),
                ("old".to_string(), 1, 2, "oneOf")
            ]
        );
        let names = |s: &Section| s.params.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&sections[0]), ["kind", "name", "tier"]);
        assert_eq!(names(&sections[1]), ["tier", "racks", "racks.count"]);
        assert_eq!(
            sections[0].extra,
            "Other parameters: refused (additionalProperties: false)"
        );
        assert_eq!(sections[1].extra, "Other parameters: accepted");
        // params_of: every name once, the first form's row.
        let all = params_of(&s);
        let all_names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(all_names, ["kind", "name", "tier", "racks", "racks.count"]);
        assert_eq!(all[2].allowed, "GOLD, SILVER");
        // enum_values: every form's values.
        assert_eq!(
            enum_values(&s, "tier"),
            Some(vec![
                "GOLD".into(),
                "SILVER".into(),
                "PRODUCTION".into(),
                "NON_PRODUCTION".into()
            ])
        );
        assert_eq!(enum_values(&s, "racks.count"), None);
        assert_eq!(enum_values(&s, "nothing"), None);
        // Without forms: one untitled section, as before.
        let plain = sections_of(&strict());
        assert_eq!(plain.len(), 1);
        assert_eq!(plain[0].form, None);
        assert_eq!(plain[0].params, params_of(&strict()));
        assert_eq!(enum_values(&strict(), "tier").map(|v| v.len()), Some(2));
    }
}
