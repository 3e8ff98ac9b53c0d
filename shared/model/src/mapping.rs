//! Mapping a binding's credentials into an application (step 5 of the seed's workflow): environment
//! variables whose values come from the binding Secret through `valueFrom.secretKeyRef`, never copied.
//!
//! * [`plan`] turns `--env VAR=key,…` and `--prefix P` into an ordered list of (variable, key) pairs,
//!   checked against the keys the Secret really has.
//! * [`env_block`] renders them as the `env:` entries of a container.
//! * [`apply_to_workload`] puts them into a workload manifest (Deployment, StatefulSet, DaemonSet,
//!   ReplicaSet, Job, CronJob, Pod): entries of the same name are replaced, others kept.

use serde_json::{Map, Value, json};

/// One environment variable taken from one Secret key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvMapping {
    pub var: String,
    pub key: String,
}

/// The variable name for a Secret key: `prefix` + the key upper-cased, anything but letters, digits and
/// `_` turned into `_` (`bootstrap.servers` → `KAFKA_BOOTSTRAP_SERVERS`).
pub fn env_name(prefix: &str, key: &str) -> String {
    let mut s = prefix.to_string();
    s.extend(key.chars().map(|c| {
        if c.is_ascii_alphanumeric() {
            c.to_ascii_uppercase()
        } else {
            '_'
        }
    }));
    s
}

/// A C-identifier-like variable name, as shells and most runtimes need (Kubernetes itself is laxer).
pub fn check_var(var: &str) -> Result<(), String> {
    let ok = var
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid environment variable name {var:?}: use letters, digits and '_', not starting with a digit"
        ))
    }
}

/// Parse the `--env` values (each `VAR=key`, several per flag separated by commas).
pub fn parse_env_flags(flags: &[String]) -> Result<Vec<EnvMapping>, String> {
    let mut out = Vec::new();
    for flag in flags {
        for item in flag.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (var, key) = item.split_once('=').ok_or_else(|| {
                format!("invalid --env {item:?}: expected VAR=KEY (e.g. CASSANDRA_HOST=host)")
            })?;
            let (var, key) = (var.trim(), key.trim());
            check_var(var)?;
            if key.is_empty() {
                return Err(format!("invalid --env {item:?}: the Secret key is empty"));
            }
            out.push(EnvMapping {
                var: var.into(),
                key: key.into(),
            });
        }
    }
    Ok(out)
}

/// The mappings for a Secret with `keys`: explicit `--env` pairs first, then (with `prefix`, or when no
/// `--env` was given) every other key as `prefix + KEY`. Unknown keys and duplicate variables are errors.
pub fn plan(
    keys: &[String],
    explicit: &[EnvMapping],
    prefix: Option<&str>,
) -> Result<Vec<EnvMapping>, String> {
    let mut out: Vec<EnvMapping> = Vec::new();
    for m in explicit {
        if !keys.contains(&m.key) {
            return Err(format!(
                "the binding's Secret has no key {:?}; its keys are: {}",
                m.key,
                keys.join(", ")
            ));
        }
        out.push(m.clone());
    }
    if prefix.is_some() || explicit.is_empty() {
        let prefix = prefix.unwrap_or_default();
        for k in keys {
            let var = env_name(prefix, k);
            check_var(&var).map_err(|e| format!("key {k:?}: {e}; map it with --env VAR={k}"))?;
            if !out.iter().any(|m| m.key == *k && explicit.contains(m)) {
                out.push(EnvMapping {
                    var,
                    key: k.clone(),
                });
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for m in &out {
        if !seen.insert(m.var.as_str()) {
            return Err(format!("environment variable {} is mapped twice", m.var));
        }
    }
    Ok(out)
}

/// The `env` entries: `{name, valueFrom: {secretKeyRef: {name: secret, key}}}`.
pub fn env_block(secret: &str, mappings: &[EnvMapping]) -> Vec<Value> {
    mappings
        .iter()
        .map(|m| json!({"name": m.var, "valueFrom": {"secretKeyRef": {"name": secret, "key": m.key}}}))
        .collect()
}

/// Where the pod spec of a workload kind lives.
pub fn pod_spec_pointer(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => "/spec/template/spec",
        "CronJob" => "/spec/jobTemplate/spec/template/spec",
        "Pod" => "/spec",
        _ => return None,
    })
}

/// Put `env` into one container of a workload manifest. `container` picks it by name; without it the
/// workload must have exactly one container. Entries with the same name are replaced in place; the
/// others keep their order. Returns the container's name.
pub fn apply_to_workload(
    obj: &mut Value,
    container: Option<&str>,
    env: &[Value],
) -> Result<String, String> {
    let kind = osb_core::str_at(obj, "/kind").to_string();
    let name = osb_core::str_at(obj, "/metadata/name").to_string();
    let ptr = pod_spec_pointer(&kind).ok_or_else(|| {
        format!(
            "cannot map credentials into a {}: use a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod",
            if kind.is_empty() { "document without kind" } else { &kind }
        )
    })?;
    let containers = obj
        .pointer_mut(&format!("{ptr}/containers"))
        .and_then(Value::as_array_mut)
        .ok_or_else(|| format!("{kind} {name:?} has no containers"))?;
    let names: Vec<String> = containers
        .iter()
        .map(|c| {
            c.get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let index = match container {
        Some(want) => names.iter().position(|n| n == want).ok_or_else(|| {
            format!(
                "{kind} {name:?} has no container {want:?}; containers: {}",
                names.join(", ")
            )
        })?,
        None if names.len() == 1 => 0,
        None => {
            return Err(format!(
                "{kind} {name:?} has {} containers ({}); choose one with --container",
                names.len(),
                names.join(", ")
            ));
        }
    };
    let c = containers[index]
        .as_object_mut()
        .ok_or_else(|| format!("container {:?} is not an object", names[index]))?;
    let list = c.entry("env").or_insert_with(|| Value::Array(Vec::new()));
    if list.is_null() {
        *list = Value::Array(Vec::new());
    }
    let list = list
        .as_array_mut()
        .ok_or_else(|| format!("env of container {:?} is not a list", names[index]))?;
    for e in env {
        let var = e.get("name");
        match list.iter_mut().find(|x| x.get("name") == var) {
            Some(slot) => *slot = e.clone(),
            None => list.push(e.clone()),
        }
    }
    Ok(names[index].clone())
}

/// Whether a manifest holds any literal `value` for the variables of `env` (used to prove nothing secret
/// was copied). Returns the offending variable names.
pub fn literal_values(obj: &Value, env: &[Value]) -> Vec<String> {
    let vars: Vec<&Value> = env.iter().filter_map(|e| e.get("name")).collect();
    let mut found = Vec::new();
    walk_env(obj, &mut |e: &Map<String, Value>| {
        if let Some(n) = e.get("name")
            && vars.contains(&n)
            && e.contains_key("value")
        {
            found.push(n.as_str().unwrap_or_default().to_string());
        }
    });
    found
}

fn walk_env(v: &Value, f: &mut impl FnMut(&Map<String, Value>)) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(env)) = m.get("env") {
                for e in env.iter().filter_map(Value::as_object) {
                    f(e);
                }
            }
            for v in m.values() {
                walk_env(v, f);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| walk_env(v, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Vec<String> {
        ["host", "port", "password", "cluster_id"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn prefix_maps_every_key_and_explicit_pairs_come_first() {
        let p = plan(&keys(), &[], Some("CASSANDRA_")).expect("ok");
        let vars: Vec<_> = p.iter().map(|m| m.var.as_str()).collect();
        assert_eq!(
            vars,
            [
                "CASSANDRA_HOST",
                "CASSANDRA_PORT",
                "CASSANDRA_PASSWORD",
                "CASSANDRA_CLUSTER_ID"
            ]
        );
        let explicit = parse_env_flags(&["DB=host, DB_PORT=port".into()]).expect("ok");
        let p = plan(&keys(), &explicit, None).expect("ok");
        assert_eq!(p, explicit);
        let p = plan(&keys(), &explicit, Some("C_")).expect("ok");
        // Keys mapped explicitly are not mapped again by the prefix.
        assert_eq!(p.len(), 4);
        assert_eq!(p[2].var, "C_PASSWORD");
    }

    #[test]
    fn unknown_keys_bad_names_and_duplicates_are_refused() {
        let e = plan(
            &keys(),
            &parse_env_flags(&["X=nope".into()]).expect("ok"),
            None,
        )
        .expect_err("unknown");
        assert!(
            e.contains("no key \"nope\"") && e.contains("host, port"),
            "{e}"
        );
        assert!(parse_env_flags(&["1X=host".into()]).is_err());
        assert!(parse_env_flags(&["X".into()]).is_err());
        assert!(parse_env_flags(&["X=".into()]).is_err());
        let e = plan(
            &keys(),
            &parse_env_flags(&["A=host,A=port".into()]).expect("ok"),
            None,
        )
        .expect_err("dup");
        assert!(e.contains("mapped twice"), "{e}");
        assert_eq!(env_name("K_", "bootstrap.servers"), "K_BOOTSTRAP_SERVERS");
    }

    #[test]
    fn workloads_get_secret_key_refs_and_keep_other_env() {
        let env = env_block(
            "db",
            &[EnvMapping {
                var: "HOST".into(),
                key: "host".into(),
            }],
        );
        let mut job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
            "spec": {"template": {"spec": {"containers": [{"name": "app", "env": [
                {"name": "HOST", "value": "old"}, {"name": "KEEP", "value": "1"}]}]}}}});
        assert_eq!(apply_to_workload(&mut job, None, &env).expect("ok"), "app");
        assert_eq!(
            job.pointer("/spec/template/spec/containers/0/env")
                .expect("env"),
            &json!([{"name": "HOST", "valueFrom": {"secretKeyRef": {"name": "db", "key": "host"}}},
                    {"name": "KEEP", "value": "1"}])
        );
        assert!(literal_values(&job, &env).is_empty());

        let mut cj = json!({"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {
            "containers": [{"name": "a"}, {"name": "b"}]}}}}}});
        let e = apply_to_workload(&mut cj, None, &env).expect_err("two containers");
        assert!(e.contains("--container") && e.contains("a, b"), "{e}");
        apply_to_workload(&mut cj, Some("b"), &env).expect("b");
        assert!(
            cj.pointer("/spec/jobTemplate/spec/template/spec/containers/1/env/0/valueFrom")
                .is_some()
        );
        let mut svc = json!({"kind": "Service", "metadata": {"name": "s"}});
        assert!(apply_to_workload(&mut svc, None, &env).is_err());
    }
}
