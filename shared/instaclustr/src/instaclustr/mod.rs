//! The Instaclustr converter: provisioning-API JSON → a ServiceInstance whose `spec.parameters` is that
//! JSON unchanged, and back. Used by `kubectl osb convert-json` and `provision --from-instaclustr`.
//!
//! ```text
//! text ──parse_payload──▶ Payload{value} ──validate──▶ Vec<Finding>
//!                               └──to_service_instance(&value, &ManifestOptions)──▶ ServiceInstance ──yaml::to_string──▶ YAML
//! ```
//!
//! * [`parse_payload`]: strict JSON with positions: repeated keys, syntax errors and truncation are
//!   reported with file, line and column ([`parse`]).
//! * [`check`]/[`validate`]: the shape detected ([`v2::detect`]: v1 extended, v1 legacy or v2), then the
//!   documented v1 payload schema and its known traps ([`validate`](mod@validate)) or the v2 rules ([`v2`]).
//! * [`schema`]: the same knowledge as a draft-04 JSON Schema, what a broker of Instaclustr plans publishes.
//! * [`to_service_instance`]: the manifest; the class comes from the bundles or the v2 version field
//!   ([`class_map`]).
//! * [`parameters_of`]: the reverse, from a ServiceInstance (or a bare parameters document).
//!
//! Exactness (every type, number text, key order, string) is the YAML emitter's job: [`crate::yaml`].

pub mod class_map;
pub mod parse;
pub mod schema;
pub mod v2;
pub mod validate;

use serde_json::{Map, Value, json};

pub use class_map::{ClassMap, infer_plan};
pub use parse::{Diagnostic, ParseOptions, Payload, Pos, locate, parse_payload};
pub use v2::{Api, Detected, Shape};
pub use validate::{Finding, Severity};

/// A body checked: the shape it was read as, and what is wrong with it.
#[derive(Clone, Debug)]
pub struct Checked {
    pub detected: Detected,
    pub findings: Vec<Finding>,
}

/// Check a body of any shape: v2 when its version field (or `api`) says so, else v1 extended or legacy.
pub fn check(body: &Value, api: Api) -> Checked {
    let detected = v2::detect(body, api);
    let findings = match detected.shape {
        Shape::V2(app) => v2::check::validate(body, app),
        Shape::V1 | Shape::V1Legacy => validate::validate_v1(body),
    };
    Checked { detected, findings }
}

/// The findings of [`check`] with the shape detected from the body.
pub fn validate(body: &Value) -> Vec<Finding> {
    check(body, Api::Auto).findings
}

/// The Service Catalog API group and version of the manifests written.
pub const API_VERSION: &str = "servicecatalog.k8s.io/v1beta1";

/// What goes around the parameters.
#[derive(Clone, Debug, Default)]
pub struct ManifestOptions {
    /// `metadata.name`; derived from the cluster name (`name` in v2, `clusterName` in v1) when absent.
    pub name: Option<String>,
    /// `metadata.namespace`; left out when absent (kubectl then uses the context's namespace).
    pub namespace: Option<String>,
    /// `spec.clusterServiceClassExternalName`; inferred from the bundles through `class_map` when absent.
    pub class: Option<String>,
    /// `spec.clusterServicePlanExternalName`; inferred from `slaTier` when absent.
    pub plan: Option<String>,
    /// The bundle → class table used for inference.
    pub class_map: ClassMap,
}

/// Build the ServiceInstance for a payload. Fails only when a name or class cannot be had.
pub fn to_service_instance(payload: &Value, opts: &ManifestOptions) -> Result<Value, String> {
    let name = match &opts.name {
        Some(n) => {
            check_name(n)?;
            n.clone()
        }
        None => {
            let field = if v2::App::of(payload.as_object().unwrap_or(&Map::new())).is_some() {
                "name"
            } else {
                "clusterName"
            };
            let cluster = v2::cluster_name(payload).unwrap_or_default();
            dns1123_name(cluster).ok_or_else(|| {
                format!("cannot derive a resource name from {field} {cluster:?}: pass --name")
            })?
        }
    };
    let class = match &opts.class {
        Some(c) => c.clone(),
        None => opts.class_map.infer(payload)?,
    };
    let plan = opts.plan.clone().unwrap_or_else(|| infer_plan(payload));
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(name));
    if let Some(ns) = &opts.namespace {
        metadata.insert("namespace".into(), json!(ns));
    }
    // Built by hand: `json!` would copy the payload through serde, twice its size for a large document.
    let mut spec = Map::new();
    spec.insert(
        "clusterServiceClassExternalName".into(),
        Value::String(class),
    );
    spec.insert("clusterServicePlanExternalName".into(), Value::String(plan));
    spec.insert("parameters".into(), payload.clone());
    let mut manifest = Map::new();
    manifest.insert("apiVersion".into(), json!(API_VERSION));
    manifest.insert("kind".into(), json!("ServiceInstance"));
    manifest.insert("metadata".into(), Value::Object(metadata));
    manifest.insert("spec".into(), Value::Object(spec));
    Ok(Value::Object(manifest))
}

/// A DNS-1123 label from a cluster name: lower case, runs of anything but letters and digits become one
/// `-`, no `-` at either end, at most 63 characters. `None` when nothing is left.
pub fn dns1123_name(cluster: &str) -> Option<String> {
    let mut out = String::new();
    for c in cluster.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(63);
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty()).then_some(out)
}

/// A `--name` must be a DNS-1123 subdomain (what the API server accepts for a ServiceInstance).
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid name {name:?}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', \
             and must start and end with an alphanumeric character"
        ))
    }
}

/// The reverse: the provisioning JSON held by a document. A ServiceInstance gives its `spec.parameters`;
/// a `List` gives those of each item; anything else is taken as the parameters themselves.
pub fn parameters_of(doc: &Value) -> Result<Vec<Value>, String> {
    match doc.get("kind").and_then(Value::as_str) {
        Some("ServiceInstance") => match doc.pointer("/spec/parameters") {
            Some(p) => Ok(vec![p.clone()]),
            None => {
                let name = doc
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("?");
                Err(format!("ServiceInstance {name:?} has no spec.parameters"))
            }
        },
        Some("List") => {
            let items = doc
                .get("items")
                .and_then(Value::as_array)
                .ok_or("a List without items")?;
            items
                .iter()
                .map(parameters_of)
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.into_iter().flatten().collect())
        }
        Some(other) if doc.get("apiVersion").is_some() => Err(format!(
            "a {other} is not a ServiceInstance: expected a ServiceInstance or its parameters"
        )),
        _ => Ok(vec![doc.clone()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_dns_1123() {
        assert_eq!(
            dns1123_name("cassandra_minimal").as_deref(),
            Some("cassandra-minimal")
        );
        assert_eq!(
            dns1123_name("__Payments__Prod__").as_deref(),
            Some("payments-prod")
        );
        assert_eq!(dns1123_name("Zürich DB").as_deref(), Some("z-rich-db"));
        assert_eq!(dns1123_name(&"a".repeat(70)).map(|s| s.len()), Some(63));
        assert_eq!(
            dns1123_name(&format!("{}_b", "a".repeat(62))).as_deref(),
            Some("a".repeat(62).as_str())
        );
        assert_eq!(dns1123_name("___"), None);
        for n in ["db", "a.b-c", "x1"] {
            assert!(check_name(n).is_ok(), "{n}");
        }
        for n in ["", "Db", "-a", "a_b", "a..b", "a-"] {
            assert!(check_name(n).is_err(), "{n}");
        }
    }

    #[test]
    fn manifest_wraps_the_payload_unchanged() {
        let p = json!({"clusterName": "cassandra_minimal", "bundles": [{"bundle": "APACHE_CASSANDRA", "version": "3.11.4"}], "slaTier": "PRODUCTION"});
        let m = to_service_instance(
            &p,
            &ManifestOptions {
                namespace: Some("dev".into()),
                ..Default::default()
            },
        )
        .expect("builds");
        assert_eq!(
            m,
            json!({
                "apiVersion": "servicecatalog.k8s.io/v1beta1", "kind": "ServiceInstance",
                "metadata": {"name": "cassandra-minimal", "namespace": "dev"},
                "spec": {"clusterServiceClassExternalName": "cassandra", "clusterServicePlanExternalName": "production", "parameters": p}
            })
        );
        let keys: Vec<&String> = m.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["apiVersion", "kind", "metadata", "spec"]);
        let m = to_service_instance(
            &p,
            &ManifestOptions {
                name: Some("db".into()),
                class: Some("c".into()),
                plan: Some("p".into()),
                ..Default::default()
            },
        )
        .expect("builds");
        assert_eq!(m.pointer("/metadata"), Some(&json!({"name": "db"})));
        assert_eq!(
            m.pointer("/spec/clusterServiceClassExternalName"),
            Some(&json!("c"))
        );
        assert!(
            to_service_instance(
                &p,
                &ManifestOptions {
                    name: Some("Bad_Name".into()),
                    ..Default::default()
                }
            )
            .is_err()
        );
        assert!(
            to_service_instance(&json!({"clusterName": "x"}), &ManifestOptions::default())
                .expect_err("no class")
                .contains("--class")
        );
    }

    #[test]
    fn reverse_takes_parameters() {
        let p = json!({"clusterName": "a"});
        let si = to_service_instance(
            &json!({"clusterName": "a", "bundles": [{"bundle": "KAFKA"}]}),
            &ManifestOptions::default(),
        )
        .expect("builds");
        assert_eq!(
            parameters_of(&si).expect("ok"),
            vec![si["spec"]["parameters"].clone()]
        );
        assert_eq!(parameters_of(&p).expect("ok"), vec![p.clone()]);
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [si.clone(), si]});
        assert_eq!(parameters_of(&list).expect("ok").len(), 2);
        assert!(parameters_of(&json!({"apiVersion": "v1", "kind": "Secret"})).is_err());
    }
}
