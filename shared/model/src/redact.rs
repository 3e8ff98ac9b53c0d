//! Sensitive parameter values never leave a verb in printed objects (`-o yaml|json`, dry-run manifests,
//! `--list` output) nor in `describe`. One rule, [`parameters`], applied wherever parameters are shown:
//! under a sensitive key ([`is_sensitive_key`]: password, secret, token, apikey, credential, private
//! key, …) every string and number, at any depth, is printed as `<redacted>`; booleans and null stay
//! (`privateNetworkCluster: true` is no secret, and a manifest must keep its types). [`object`] applies
//! it wherever an object carries parameters — `spec.parameters`, the controller's copies in
//! `status.externalProperties` / `status.inProgressProperties`, and kubectl's
//! `last-applied-configuration` annotation — and also hides the values the controller copied from
//! `parametersFrom` Secrets into the status, whatever their keys. Secret values stay in Secrets; only
//! `bind --show-credentials` prints them.

use serde_json::Value;

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const REDACTED: &str = "<redacted>";

/// Keys whose values are secret: what is under them is redacted ([`parameters`]). `private` only as
/// in `privateKey`/`private_key`: Instaclustr's `privateNetworkCluster`, `privateLink` and
/// `privateIpBroadcastForDiscovery` are settings, not secrets.
pub fn is_sensitive_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "credential",
        "privatekey",
        "private_key",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// Parameters (or any value) as they may be shown: the values under every sensitive key hidden by the
/// one rule (see the module); and how many values were. What `describe` prints and what [`object`]
/// does to every place an object carries parameters.
pub fn parameters(v: &Value) -> (Value, usize) {
    let mut out = v.clone();
    let n = scan(&mut out);
    (out, n)
}

/// `v` with every sensitive parameter value redacted (a `List`'s items too); and how many values were.
pub fn object(v: &Value) -> (Value, usize) {
    let mut out = v.clone();
    let n = redact_in_place(&mut out);
    (out, n)
}

/// Under a sensitive key: every string and number (at any depth) becomes `<redacted>`; booleans and
/// null stay (`privateNetworkCluster: true` is no secret, and a manifest must keep its types).
fn hide(v: &mut Value) -> usize {
    match v {
        Value::String(s) if s != REDACTED => {
            *v = Value::String(REDACTED.into());
            1
        }
        Value::Number(_) => {
            *v = Value::String(REDACTED.into());
            1
        }
        Value::Array(a) => a.iter_mut().map(hide).sum(),
        Value::Object(m) => m.values_mut().map(hide).sum(),
        _ => 0,
    }
}

/// Hide the values under every sensitive key of `v` ([`is_sensitive_key`]), at any depth.
fn scan(v: &mut Value) -> usize {
    match v {
        Value::Object(m) => m
            .iter_mut()
            .map(|(k, val)| {
                if is_sensitive_key(k) {
                    hide(val)
                } else {
                    scan(val)
                }
            })
            .sum(),
        Value::Array(a) => a.iter_mut().map(scan).sum(),
        _ => 0,
    }
}

fn redact_at(v: &mut Value, pointer: &str) -> usize {
    v.pointer_mut(pointer).map_or(0, scan)
}

fn redact_in_place(v: &mut Value) -> usize {
    let mut n = 0;
    if let Some(Value::Array(items)) = v.get_mut("items") {
        for item in items.iter_mut() {
            n += redact_in_place(item);
        }
    }
    // What the controller sent to the broker also holds the values it read from parametersFrom Secrets:
    // a key there that spec.parameters does not have came from a Secret, whatever its name.
    let inline: Vec<String> = v
        .pointer("/spec/parameters")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for p in [
        "/status/externalProperties/parameters",
        "/status/inProgressProperties/parameters",
    ] {
        if let Some(Value::Object(m)) = v.pointer_mut(p) {
            for (k, val) in m.iter_mut() {
                if !inline.contains(k) && !val.is_null() && *val != Value::String(REDACTED.into()) {
                    *val = Value::String(REDACTED.into());
                    n += 1;
                }
            }
        }
    }
    for p in [
        "/spec/parameters",
        "/status/externalProperties/parameters",
        "/status/inProgressProperties/parameters",
    ] {
        n += redact_at(v, p);
    }
    if let Some(Value::String(text)) = v.pointer_mut(&format!(
        "/metadata/annotations/{}",
        LAST_APPLIED.replace('~', "~0").replace('/', "~1")
    )) && let Ok(mut applied) = serde_json::from_str::<Value>(text)
    {
        let m = redact_in_place(&mut applied);
        if m > 0 {
            *text = serde_json::to_string(&applied).unwrap_or_default();
            n += m;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parameters_are_redacted_wherever_an_object_carries_them() {
        let applied =
            json!({"spec": {"parameters": {"adminPassword": "s3cret", "nodes": 3}}}).to_string();
        let si = json!({
            "kind": "ServiceInstance",
            "metadata": {"name": "db", "annotations": {LAST_APPLIED: applied, "other": "kept"}},
            "spec": {"parameters": {"adminPassword": "s3cret", "nodes": 3, "tls": {"privateKey": "pk-value"}},
                     "parametersFrom": [{"secretKeyRef": {"name": "p", "key": "k"}}]},
            "status": {"externalProperties": {"parameters": {"adminPassword": "s3cret", "nodes": 3}},
                       "inProgressProperties": {"parameters": {"apiToken": "t"}}},
        });
        let (out, n) = object(&json!({"kind": "List", "items": [si]}));
        assert_eq!(n, 5);
        let text = out.to_string();
        assert!(
            !text.contains("s3cret") && !text.contains("pk-value") && !text.contains("\"t\""),
            "{text}"
        );
        let item = &out["items"][0];
        assert_eq!(item["spec"]["parameters"]["nodes"], 3);
        assert_eq!(item["spec"]["parameters"]["adminPassword"], "<redacted>");
        assert_eq!(
            item["spec"]["parametersFrom"][0]["secretKeyRef"]["name"],
            "p"
        );
        assert_eq!(item["metadata"]["annotations"]["other"], "kept");
        let applied: Value = serde_json::from_str(
            item["metadata"]["annotations"][LAST_APPLIED]
                .as_str()
                .expect("annotation"),
        )
        .expect("still JSON");
        assert_eq!(applied["spec"]["parameters"]["adminPassword"], "<redacted>");
        let from_secret = json!({"spec": {"parameters": {"nodes": 3}},
            "status": {"externalProperties": {"parameters": {"nodes": 3, "owner": "from-a-secret", "x": "<redacted>"}}}});
        let (out, n) = object(&from_secret);
        assert_eq!(n, 1);
        assert_eq!(
            out["status"]["externalProperties"]["parameters"],
            json!({"nodes": 3, "owner": "<redacted>", "x": "<redacted>"})
        );
        let types = json!({"spec": {"parameters": {"privateNetworkCluster": true, "tokenTTL": null, "pin": {"secret": 1234}}}});
        let (out, n) = object(&types);
        assert_eq!(n, 1);
        assert_eq!(
            out["spec"]["parameters"],
            json!({"privateNetworkCluster": true, "tokenTTL": null, "pin": {"secret": "<redacted>"}})
        );
        let plain = json!({"kind": "Job", "spec": {"template": {}}});
        assert_eq!(object(&plain), (plain.clone(), 0));
    }

    #[test]
    fn describe_and_printed_objects_redact_parameters_alike() {
        let params = json!({
            "adminPassword": "s3cret",
            "nodes": 3,
            "privateNetworkCluster": true,
            "apiToken": null,
            "secret": {"pin": 1234, "enabled": false, "keys": ["a", "b"]},
            "tls": {"privateKey": "pk", "enabled": true},
        });
        let (shown, n) = parameters(&params);
        assert_eq!(
            shown,
            json!({
                "adminPassword": "<redacted>",
                "nodes": 3,
                "privateNetworkCluster": true,
                "apiToken": null,
                "secret": {"pin": "<redacted>", "enabled": false, "keys": ["<redacted>", "<redacted>"]},
                "tls": {"privateKey": "<redacted>", "enabled": true},
            })
        );
        assert_eq!(n, 5);
        // A boolean or null under a sensitive key is no secret, and stays.
        assert_eq!(
            parameters(&json!({"tokenAuth": true, "password": null})),
            (json!({"tokenAuth": true, "password": null}), 0)
        );
        // -o yaml|json prints the instance's parameters exactly as describe shows them.
        let si = json!({"kind": "ServiceInstance", "spec": {"parameters": params.clone()}});
        assert_eq!(object(&si).0["spec"]["parameters"], shown);
    }

    #[test]
    fn instaclustr_v2_passwords_are_sensitive_and_its_private_settings_are_not() {
        for k in [
            "schemaRegistryPassword",
            "defaultUserPassword",
            "privateKey",
            "tls_private_key",
        ] {
            assert!(is_sensitive_key(k), "{k}");
        }
        for k in [
            "privateNetworkCluster",
            "privateLink",
            "privateIpBroadcastForDiscovery",
        ] {
            assert!(!is_sensitive_key(k), "{k}");
        }
    }
}
