//! The v2 rules ([`super::rules`]) as a draft-04 JSON Schema: what a broker of v2 bodies publishes for a
//! plan, and what `provision` checks parameters against before anything is written.
//!
//! Enforced by the schema as by the validator: types, enums, patterns (the private CIDR of /12 to /22
//! included), lengths, array bounds, required fields, closed objects, and "only one of the provider
//! settings" (`not` + `anyOf` of the forbidden pairs). Two rules draft-04 cannot say — `numberOfNodes` a
//! multiple of the replication factor, data-centre names unique — are in the descriptions, and the
//! validator enforces them. Read-only answer fields are declared (so a body copied from a GET answer is not
//! refused by a closed object) and described as read-only.

use serde_json::{Map, Value, json};

use super::App;
use super::rules::{Cross, Kind, Ty};

/// The draft-04 meta-schema.
pub const DRAFT_04: &str = crate::instaclustr::schema::DRAFT_04;

/// The schema of an application's v2 create body, with `$schema` and a title; `None` when no rules are
/// known for the application.
pub fn body_schema(app: App) -> Option<Value> {
    let ty = super::rules::body(app)?;
    let mut s = to_schema(ty);
    let o = s.as_object_mut()?;
    let mut head = Map::new();
    head.insert("$schema".into(), json!(DRAFT_04));
    head.insert(
        "title".into(),
        json!(format!(
            "Instaclustr v2 create body ({})",
            app.schema_name()
        )),
    );
    head.extend(std::mem::take(o));
    Some(Value::Object(head))
}

/// One type as a schema.
pub fn to_schema(ty: &Ty) -> Value {
    let mut s = match &ty.kind {
        Kind::Any => json!({}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Int { min } => json!({"type": "integer", "minimum": min}),
        Kind::Str(t) => {
            let mut s = json!({"type": "string"});
            if !t.values.is_empty() {
                s["enum"] = json!(t.values);
            } else {
                if t.min > 0 {
                    s["minLength"] = json!(t.min);
                }
                if let Some(m) = t.max {
                    s["maxLength"] = json!(m);
                }
                if let Some(p) = t.pattern {
                    s["pattern"] = json!(p.regex);
                }
            }
            s
        }
        Kind::Array(arr) => {
            let (items, min, max, unique) = (&arr.items, &arr.min, &arr.max, &arr.unique);
            let mut s = json!({"type": "array", "items": to_schema(items)});
            if *min > 0 {
                s["minItems"] = json!(min);
            }
            if let Some(m) = max {
                s["maxItems"] = json!(m);
            }
            if let Some(key) = unique {
                s["description"] = json!(format!("Each item's {key} is unique."));
            }
            s
        }
        Kind::Object(obj) => {
            let properties: Map<String, Value> = obj
                .fields
                .iter()
                .map(|f| {
                    let mut p = to_schema(&f.ty);
                    if f.read_only
                        && let Some(o) = p.as_object_mut()
                    {
                        o.insert("readOnly".into(), json!(true));
                    }
                    (f.name.to_string(), p)
                })
                .collect();
            let required: Vec<&str> = obj
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.name)
                .collect();
            let mut s =
                json!({"type": "object", "properties": properties, "additionalProperties": false});
            if !required.is_empty() {
                s["required"] = json!(required);
            }
            let mut notes = Vec::new();
            for rule in &obj.rules {
                match rule {
                    Cross::AtMostOne(fields) => {
                        let mut pairs = Vec::new();
                        for (i, a) in fields.iter().enumerate() {
                            for b in &fields[i + 1..] {
                                pairs.push(json!({"required": [a, b]}));
                            }
                        }
                        s["not"] = json!({"anyOf": pairs});
                        notes.push(format!("Only one of {}.", fields.join(", ")));
                    }
                    Cross::MultipleOf {
                        field, of, of_root, ..
                    } => notes.push(format!(
                        "{field} must be a multiple of {}{of}.",
                        if *of_root { "the body's " } else { "" }
                    )),
                }
            }
            if !notes.is_empty() {
                s["description"] = json!(notes.join(" "));
            }
            s
        }
    };
    if !ty.doc.is_empty()
        && let Some(o) = s.as_object_mut()
    {
        let doc = match (ty.doc, o.get("description").and_then(Value::as_str)) {
            (d, Some(n)) => format!("{d}. {n}"),
            (d, None) => d.to_string(),
        };
        o.insert("description".into(), json!(doc));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instaclustr::v2::rules::{NAME, PRIVATE_CIDR, UUID, VERSION};

    fn compile(s: &Value) -> jsonschema::Validator {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(s)
            .expect("a valid draft-04 schema")
    }

    #[test]
    fn every_body_schema_is_a_valid_draft_04_schema() {
        for app in [App::Cassandra, App::Kafka, App::Redis, App::Zookeeper] {
            let s = body_schema(app).expect("rules known");
            assert_eq!(s["$schema"], DRAFT_04);
            jsonschema::draft4::meta::validate(&s).expect("meta-valid");
            compile(&s);
        }
        assert!(body_schema(App::Cadence).is_none());
    }

    #[test]
    fn the_regexes_and_the_rust_tests_agree() {
        let cases: &[(&super::super::rules::Pattern, &[&str])] = &[
            (
                &NAME,
                &["abc", "a_b-c", "9x", "-ab", "_a", "a b", "a.b", "Zz9"],
            ),
            (
                &VERSION,
                &[
                    "4.1.3", "10.0.11", "4.1", "4.1.3.1", "v4.1.3", "4..3", "4.1.x",
                ],
            ),
            (
                &UUID,
                &[
                    "123e4567-e89b-12d3-a456-426614174000",
                    "123e4567e89b12d3a456426614174000",
                    "123e4567-e89b-12d3-a456-42661417400g",
                ],
            ),
            (
                &PRIVATE_CIDR,
                &[
                    "10.0.0.0/16",
                    "10.1.0.0/12",
                    "10.0.0.0/22",
                    "10.0.0.0/23",
                    "10.0.0.0/11",
                    "172.16.0.0/12",
                    "172.31.4.0/22",
                    "172.32.0.0/16",
                    "192.168.0.0/16",
                    "192.168.0.0/15",
                    "192.168.4.0/22",
                    "8.8.8.0/16",
                    "10.0.0/16",
                    "10.256.0.0/16",
                    "010.0.0.0/16",
                    "10.0.0.0",
                    "10.0.0.0/016",
                ],
            ),
        ];
        for (p, samples) in cases {
            let v = compile(&json!({"type": "string", "pattern": p.regex}));
            for s in *samples {
                assert_eq!(v.is_valid(&json!(s)), (p.test)(s), "{} on {s:?}", p.regex);
            }
        }
    }

    #[test]
    fn the_schema_refuses_what_the_validator_refuses() {
        let v = compile(&body_schema(App::Kafka).expect("rules"));
        let mut body = crate::instaclustr::v2::check::tests::kafka();
        assert!(
            v.is_valid(&body),
            "{:?}",
            v.iter_errors(&body)
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
        );
        body["dataCentres"][0]["gcpSettings"] = json!([{}]);
        body["dataCentres"][0]["awsSettings"] = json!([{}]);
        assert!(!v.is_valid(&body), "two providers' settings");
        let mut body = crate::instaclustr::v2::check::tests::kafka();
        body["dataCentres"][0]["network"] = json!("10.0.0.0/24");
        assert!(!v.is_valid(&body), "a /24");
        let mut body = crate::instaclustr::v2::check::tests::kafka();
        body["clusterName"] = json!("x");
        assert!(!v.is_valid(&body), "a v1 key");
        let mut body = crate::instaclustr::v2::check::tests::kafka();
        body["id"] = json!("0a1b");
        assert!(v.is_valid(&body), "read-only fields are declared");
    }
}
