//! A broker's own catalog (`GET /v2/catalog`), read two ways, both pure (docs/broker.md):
//!
//! * [`diff`]: beside the class and plan objects the controller made of it at the last relist — services
//!   and plans the catalog objects miss (added since), ones the broker no longer offers (removed), and the
//!   fields that changed (by OSB id, the `externalID` of the objects);
//! * [`lint`]: the OSB 2.14 rules a catalog must keep, each finding with where it is (`services[1].plans[0].id`):
//!   required fields and their types, ids unique (and stable: an id that changed under a name the catalog
//!   objects know), CLI-friendly names unique where they must be, every schema a valid JSON Schema for the
//!   draft it declares (draft-04 when none), the optional flags (`plan_updateable`, `bindable`, `free`,
//!   `*_retrievable`) booleans, and bindability consistent (a binding schema only on a bindable plan,
//!   `bindings_retrievable` only on a service with a bindable plan).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

/// One difference between the broker's catalog and the catalog objects.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// `class` or `plan`.
    pub kind: &'static str,
    /// The external name (a plan: `class/plan`).
    pub name: String,
    #[serde(rename = "externalID")]
    pub external_id: String,
    /// `missing` (the broker offers it, no object yet), `removed` (an object the broker no longer
    /// offers), `changed`.
    pub difference: &'static str,
    /// For `changed`: each field, the catalog object's value and the broker's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

/// A field that differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub catalog: Value,
    pub broker: Value,
}

/// The fields compared: (the object's `spec` field, the OSB field (a JSON pointer), its default).
const CLASS_FIELDS: &[(&str, &str, Value)] = &[
    ("externalName", "/name", Value::Null),
    ("description", "/description", Value::Null),
    ("bindable", "/bindable", Value::Bool(false)),
    ("planUpdatable", "/plan_updateable", Value::Bool(false)),
    // Not `bindingRetrievable`: the controller (v0.3.1) copies `bindings_retrievable` only when its
    // AsyncBindingOperations feature gate is on, so a difference there says nothing about a relist.
];
const PLAN_FIELDS: &[(&str, &str, Value)] = &[
    ("externalName", "/name", Value::Null),
    ("description", "/description", Value::Null),
    ("free", "/free", Value::Bool(true)),
    ("bindable", "/bindable", Value::Null),
    (
        "instanceCreateParameterSchema",
        "/schemas/service_instance/create/parameters",
        Value::Null,
    ),
    (
        "instanceUpdateParameterSchema",
        "/schemas/service_instance/update/parameters",
        Value::Null,
    ),
    (
        "serviceBindingCreateParameterSchema",
        "/schemas/service_binding/create/parameters",
        Value::Null,
    ),
];

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// How the catalog's object (if any) of a broker's class or plan `osb` differs from it: missing, changed
/// in `fields`, or `None` when it does not.
fn compare(
    kind: &'static str,
    name: String,
    external_id: String,
    object: Option<&Value>,
    osb: &Value,
    fields: &[(&str, &str, Value)],
) -> Option<Difference> {
    let (difference, fields) = match object {
        None => ("missing", vec![]),
        Some(o) => match changes(o, osb, fields) {
            f if f.is_empty() => return None,
            f => ("changed", f),
        },
    };
    Some(Difference {
        kind,
        name,
        external_id,
        difference,
        fields,
    })
}

fn changes(object: &Value, osb: &Value, fields: &[(&str, &str, Value)]) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (field, pointer, default) in fields {
        let ours = object
            .pointer(&format!("/spec/{field}"))
            .cloned()
            .unwrap_or_else(|| default.clone());
        let theirs = osb
            .pointer(pointer)
            .cloned()
            .unwrap_or_else(|| default.clone());
        if ours != theirs {
            out.push(FieldChange {
                field: (*field).to_string(),
                catalog: ours,
                broker: theirs,
            });
        }
    }
    out
}

/// The differences between the broker's catalog `doc` and the `classes` and `plans` objects (as JSON) the
/// catalog holds for that broker: classes first, each followed by its plans, in the broker's order, then
/// what the broker no longer offers.
pub fn diff(doc: &Value, classes: &[Value], plans: &[Value]) -> Vec<Difference> {
    let by_id = |objs: &[Value]| -> BTreeMap<String, Value> {
        objs.iter()
            .map(|o| (text(o, "/spec/externalID").to_string(), o.clone()))
            .collect()
    };
    let class_objs = by_id(classes);
    let plan_objs = by_id(plans);
    let class_name_of = |k8s_name: &str| {
        classes
            .iter()
            .find(|c| text(c, "/metadata/name") == k8s_name)
            .map(|c| text(c, "/spec/externalName").to_string())
            .unwrap_or_else(|| k8s_name.to_string())
    };
    let mut out = Vec::new();
    let mut seen_classes = BTreeSet::new();
    let mut seen_plans = BTreeSet::new();
    let services = doc
        .get("services")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for s in &services {
        let id = text(s, "/id").to_string();
        let name = text(s, "/name").to_string();
        seen_classes.insert(id.clone());
        out.extend(compare(
            "class",
            name.clone(),
            id.clone(),
            class_objs.get(&id),
            s,
            CLASS_FIELDS,
        ));
        for p in s
            .get("plans")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let pid = text(p, "/id").to_string();
            seen_plans.insert(pid.clone());
            let pname = format!("{name}/{}", text(p, "/name"));
            let obj = plan_objs.get(&pid);
            out.extend(compare("plan", pname, pid.clone(), obj, p, PLAN_FIELDS));
        }
    }
    for (id, obj) in &class_objs {
        if !seen_classes.contains(id) {
            out.push(Difference {
                kind: "class",
                name: text(obj, "/spec/externalName").to_string(),
                external_id: id.clone(),
                difference: "removed",
                fields: vec![],
            });
        }
    }
    for (id, obj) in &plan_objs {
        if !seen_plans.contains(id) {
            let class = obj
                .pointer("/spec/clusterServiceClassRef/name")
                .or_else(|| obj.pointer("/spec/serviceClassRef/name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            out.push(Difference {
                kind: "plan",
                name: format!(
                    "{}/{}",
                    class_name_of(class),
                    text(obj, "/spec/externalName")
                ),
                external_id: id.clone(),
                difference: "removed",
                fields: vec![],
            });
        }
    }
    out
}

/// One finding of [`lint`]: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `services[1].plans[0].id`.
    pub at: String,
    pub problem: String,
}

fn finding(at: impl Into<String>, problem: impl Into<String>) -> Finding {
    Finding {
        at: at.into(),
        problem: problem.into(),
    }
}

/// A service's or plan's `name` at `at`: CLI-friendly, and unique among `seen` (`scope`: where, in
/// words, after "is not unique").
fn named(
    seen: &mut BTreeMap<String, String>,
    what: &str,
    name: &str,
    at: &str,
    scope: &str,
    out: &mut Vec<Finding>,
) {
    if name.is_empty() {
        return;
    }
    if !cli_friendly(name) {
        out.push(finding(
            format!("{at}.name"),
            format!("{what} name {name:?} is not CLI-friendly (only letters, digits, '.' and '-')"),
        ));
    }
    if let Some(first) = seen.insert(name.to_string(), at.to_string()) {
        out.push(finding(
            format!("{at}.name"),
            format!("{what} name {name:?} is not unique{scope} (also {first}.name)"),
        ));
    }
}

/// OSB's CLI-friendly name: letters, digits, `.` and `-`, not empty.
fn cli_friendly(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// Required fields of an object at `at`: (key, JSON type word).
/// The fields every service and every plan must have, with their types.
const NAMED: [(&str, &str); 3] = [
    ("id", "string"),
    ("name", "string"),
    ("description", "string"),
];

fn required(v: &Value, at: &str, fields: &[(&str, &str)], out: &mut Vec<Finding>) {
    for (key, ty) in fields {
        let ok = match (v.get(*key), *ty) {
            (None | Some(Value::Null), _) => {
                out.push(finding(
                    format!("{at}.{key}"),
                    format!("missing required field {key:?}"),
                ));
                continue;
            }
            (Some(Value::String(s)), "string") => !s.is_empty(),
            (Some(Value::Bool(_)), "boolean") => true,
            (Some(Value::Array(a)), "non-empty array") => !a.is_empty(),
            _ => false,
        };
        if !ok {
            out.push(finding(
                format!("{at}.{key}"),
                format!("{key:?} must be a {ty}"),
            ));
        }
    }
}

/// Every schema of a plan, with where it is.
fn schemas_of(plan: &Value) -> Vec<(&'static str, &Value)> {
    [
        (
            "schemas.service_instance.create.parameters",
            "/schemas/service_instance/create/parameters",
        ),
        (
            "schemas.service_instance.update.parameters",
            "/schemas/service_instance/update/parameters",
        ),
        (
            "schemas.service_binding.create.parameters",
            "/schemas/service_binding/create/parameters",
        ),
    ]
    .into_iter()
    .filter_map(|(at, p)| plan.pointer(p).filter(|v| !v.is_null()).map(|v| (at, v)))
    .collect()
}

/// The OSB 2.14 rules (see the module) over the catalog `doc`; `known` are the (external name, OSB id)
/// of the classes the catalog objects hold, for the stability of ids. Empty when the catalog is clean.
pub fn lint(doc: &Value, known: &[(String, String)]) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(services) = doc.get("services").and_then(Value::as_array) else {
        out.push(finding(
            "services",
            "missing required field \"services\" (an array)",
        ));
        return out;
    };
    let mut service_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut service_names: BTreeMap<String, String> = BTreeMap::new();
    let mut plan_ids: BTreeMap<String, String> = BTreeMap::new();
    for (i, s) in services.iter().enumerate() {
        let at = format!("services[{i}]");
        let service = [("bindable", "boolean"), ("plans", "non-empty array")];
        required(s, &at, &[NAMED.as_slice(), &service].concat(), &mut out);
        for opt in [
            "plan_updateable",
            "instances_retrievable",
            "bindings_retrievable",
        ] {
            if s.get(opt).is_some_and(|v| !v.is_boolean() && !v.is_null()) {
                out.push(finding(
                    format!("{at}.{opt}"),
                    format!("{opt:?} must be a boolean"),
                ));
            }
        }
        let id = text(s, "/id");
        let name = text(s, "/name");
        if !id.is_empty() {
            if let Some(first) = service_ids.insert(id.to_string(), at.clone()) {
                out.push(finding(
                    format!("{at}.id"),
                    format!("service id {id:?} is not unique (also {first}.id)"),
                ));
            }
            if let Some((_, old)) = known.iter().find(|(n, old)| n == name && old != id) {
                out.push(finding(
                    format!("{at}.id"),
                    format!(
                        "the id of service {name:?} changed from {old:?} to {id:?}: ids must be stable (the catalog's class keeps the old one)"
                    ),
                ));
            }
        }
        named(&mut service_names, "service", name, &at, "", &mut out);
        let service_bindable = s.get("bindable").and_then(Value::as_bool).unwrap_or(false);
        let plans = s
            .get("plans")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut plan_names: BTreeMap<String, String> = BTreeMap::new();
        let mut any_bindable = false;
        for (j, p) in plans.iter().enumerate() {
            let pat = format!("{at}.plans[{j}]");
            required(p, &pat, &NAMED, &mut out);
            for opt in ["free", "bindable"] {
                if p.get(opt).is_some_and(|v| !v.is_boolean() && !v.is_null()) {
                    out.push(finding(
                        format!("{pat}.{opt}"),
                        format!("{opt:?} must be a boolean"),
                    ));
                }
            }
            let pid = text(p, "/id");
            if !pid.is_empty()
                && let Some(first) = plan_ids.insert(pid.to_string(), pat.clone())
            {
                out.push(finding(
                    format!("{pat}.id"),
                    format!("plan id {pid:?} is not unique (also {first}.id)"),
                ));
            }
            let pname = text(p, "/name");
            let within = " within its service";
            named(&mut plan_names, "plan", pname, &pat, within, &mut out);
            let bindable = p
                .get("bindable")
                .and_then(Value::as_bool)
                .unwrap_or(service_bindable);
            any_bindable |= bindable;
            for (where_, schema) in schemas_of(p) {
                let sat = format!("{pat}.{where_}");
                if !schema.is_object() {
                    out.push(finding(sat, "a schema must be a JSON object"));
                    continue;
                }
                let (_, unknown) = crate::schema::draft_of(schema);
                if unknown {
                    out.push(finding(
                        sat.clone(),
                        format!(
                            "declares an unknown draft ($schema {:?}); checked as draft-04",
                            text(schema, "/$schema")
                        ),
                    ));
                }
                if let Err(why) = crate::schema::Checker::new(schema) {
                    out.push(finding(
                        sat.clone(),
                        format!("not a valid JSON Schema for its draft: {why}"),
                    ));
                }
                if where_.starts_with("schemas.service_binding") && !bindable {
                    out.push(finding(
                        sat,
                        "a binding schema on a plan that is not bindable (neither the plan nor its service says bindable: true)",
                    ));
                }
            }
        }
        if s.get("bindings_retrievable").and_then(Value::as_bool) == Some(true) && !any_bindable {
            out.push(finding(
                format!("{at}.bindings_retrievable"),
                "bindings_retrievable is true but no plan of the service is bindable",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn clean() -> Value {
        json!({"services": [{
            "id": "s1", "name": "db", "description": "A database", "bindable": true,
            "plan_updateable": true, "bindings_retrievable": true,
            "plans": [
                {"id": "p1", "name": "small", "description": "Small",
                 "schemas": {"service_instance": {"create": {"parameters": {
                     "$schema": "http://json-schema.org/draft-04/schema#", "type": "object"}}}}},
                {"id": "p2", "name": "large", "description": "Large", "free": false},
            ],
        }]})
    }

    #[test]
    fn a_clean_catalog_has_no_findings() {
        assert_eq!(lint(&clean(), &[("db".into(), "s1".into())]), vec![]);
    }

    #[test]
    fn each_planted_mistake_is_found_where_it_is() {
        let mut doc = clean();
        doc["services"][0]["plans"][1]["id"] = json!("p1");
        doc["services"][0]["plans"][0]["schemas"]["service_instance"]["create"]["parameters"]["type"] =
            json!(5);
        doc["services"][0]["plans"][1]
            .as_object_mut()
            .expect("plan")
            .remove("description");
        doc["services"][0]["name"] = json!("my db");
        let found = lint(&doc, &[("my db".into(), "s0".into())]);
        let at: Vec<&str> = found.iter().map(|f| f.at.as_str()).collect();
        assert_eq!(
            at,
            [
                "services[0].id",
                "services[0].name",
                "services[0].plans[0].schemas.service_instance.create.parameters",
                "services[0].plans[1].description",
                "services[0].plans[1].id",
            ],
            "{found:#?}"
        );
        assert!(
            found[0].problem.contains("ids must be stable"),
            "{found:#?}"
        );
        assert!(found[1].problem.contains("not CLI-friendly"));
        assert!(found[2].problem.starts_with("not a valid JSON Schema"));
        assert_eq!(found[3].problem, "missing required field \"description\"");
        assert_eq!(
            found[4].problem,
            "plan id \"p1\" is not unique (also services[0].plans[0].id)"
        );
    }

    #[test]
    fn bindable_and_plan_updateable_must_be_consistent() {
        let doc = json!({"services": [{
            "id": "s1", "name": "db", "description": "d", "bindable": false,
            "plan_updateable": "yes", "bindings_retrievable": true,
            "plans": [{"id": "p1", "name": "small", "description": "d",
                       "schemas": {"service_binding": {"create": {"parameters": {"type": "object"}}}}}],
        }]});
        let problems: Vec<String> = lint(&doc, &[]).into_iter().map(|f| f.problem).collect();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems[0].starts_with("\"plan_updateable\" must be a boolean"));
        assert!(problems[1].starts_with("a binding schema on a plan that is not bindable"));
        assert!(problems[2].starts_with("bindings_retrievable is true but no plan"));
    }

    #[test]
    fn the_diff_names_what_is_missing_removed_and_changed() {
        let class = json!({"metadata": {"name": "s1"}, "spec": {"externalName": "db", "externalID": "s1",
            "description": "A database", "bindable": true, "planUpdatable": true, "bindingRetrievable": true}});
        let small = json!({"metadata": {"name": "p1"}, "spec": {"externalName": "small", "externalID": "p1",
            "description": "Small", "free": true,
            "instanceCreateParameterSchema": {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object"},
            "clusterServiceClassRef": {"name": "s1"}}});
        let gone = json!({"metadata": {"name": "p0"}, "spec": {"externalName": "tiny", "externalID": "p0",
            "description": "Tiny", "clusterServiceClassRef": {"name": "s1"}}});
        let d = diff(
            &clean(),
            std::slice::from_ref(&class),
            &[small.clone(), gone],
        );
        let short: Vec<(&str, &str, &str)> = d
            .iter()
            .map(|x| (x.kind, x.name.as_str(), x.difference))
            .collect();
        assert_eq!(
            short,
            [
                ("plan", "db/large", "missing"),
                ("plan", "db/tiny", "removed")
            ],
            "{d:#?}"
        );
        let mut changed = clean();
        changed["services"][0]["description"] = json!("A better database");
        let d = diff(&changed, &[class], &[small]);
        assert_eq!(d[0].difference, "changed");
        assert_eq!(
            d[0].fields,
            vec![FieldChange {
                field: "description".into(),
                catalog: json!("A database"),
                broker: json!("A better database"),
            }]
        );
    }
}
