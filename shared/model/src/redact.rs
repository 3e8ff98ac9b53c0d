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
//!
//! What `-v=7`/`-v=8` log of the HTTP exchange goes through the same rule: [`header`] (kubectl's
//! `Authorization: Bearer <masked>`, and any header named like a secret) and [`body`] ([`object`], plus
//! every value of a Secret's `data` and `stringData`).

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
    let n = redact_in_place(&mut out, Secrets::Kept);
    (out, n)
}

/// A request or response body as `-v=8` logs it: [`object`]'s rule, and every value of a Secret's
/// `data` and `stringData` hidden (a Secret, each item of a list of them, a watch event's object, a
/// JSON patch's values, the `last-applied-configuration` of any of them). `secret_url`: the body went
/// to or came from a Secret's URL, where a patch names no kind. And how many values were hidden.
pub fn body(v: &Value, secret_url: bool) -> (Value, usize) {
    let mut out = v.clone();
    let n = redact_in_place(&mut out, Secrets::Hidden { known: secret_url });
    (out, n)
}

/// A request or response header's value as `-v=7` logs it: as kubectl masks `Authorization` (its
/// scheme kept when it is a known one: `Bearer <masked>`, `Basic <masked>`; else all `<masked>`), and
/// `<redacted>` for cookies, proxy credentials and any header named like a secret ([`is_sensitive_key`]).
pub fn header(name: &str, value: &str) -> String {
    let n = name.to_ascii_lowercase();
    if n == "authorization" || n == "proxy-authorization" {
        let scheme = value.split(' ').next().unwrap_or_default();
        let known =
            ["bearer", "basic", "negotiate"].contains(&scheme.to_ascii_lowercase().as_str());
        return match (known, value.len() > scheme.len() + 1) {
            (false, _) if value.is_empty() => String::new(),
            (false, _) => "<masked>".into(),
            (true, true) => format!("{scheme} <masked>"),
            (true, false) => scheme.into(),
        };
    }
    if n == "cookie" || n == "set-cookie" || is_sensitive_key(&n) {
        return REDACTED.into();
    }
    value.into()
}

/// Whether a Secret's values are hidden too ([`body`]), and whether the object is known to be one.
#[derive(Clone, Copy)]
enum Secrets {
    Kept,
    Hidden { known: bool },
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

fn redact_in_place(v: &mut Value, secrets: Secrets) -> usize {
    let mut n = 0;
    let secrets = match (secrets, v.get("kind").and_then(Value::as_str)) {
        (Secrets::Hidden { .. }, Some("Secret" | "SecretList")) => Secrets::Hidden { known: true },
        (s, _) => s,
    };
    if let Value::Array(ops) = v {
        // A JSON patch: every value it writes to a Secret, or under a sensitive key or the parameters.
        for op in ops.iter_mut() {
            let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
            let hidden = matches!(secrets, Secrets::Hidden { known: true })
                || path.contains("/parameters")
                || path.split('/').any(is_sensitive_key);
            if let Some(value) = op.get_mut("value").filter(|_| hidden) {
                n += hide(value);
            }
        }
        return n;
    }
    if let Some(Value::Array(items)) = v.get_mut("items") {
        for item in items.iter_mut() {
            n += redact_in_place(item, secrets);
        }
    }
    if let Some(object) = v.get_mut("object").filter(|o| o.is_object()) {
        // A watch event.
        n += redact_in_place(object, secrets);
    }
    if let Secrets::Hidden { known: true } = secrets {
        for key in ["data", "stringData"] {
            n += v.get_mut(key).map_or(0, hide);
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
        let m = redact_in_place(&mut applied, secrets);
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

    #[test]
    fn logged_headers_mask_credentials_as_kubectl_does() {
        for (name, value, shown) in [
            ("authorization", "Bearer eyJhbGc.secret", "Bearer <masked>"),
            ("Authorization", "basic dXNlcjpwdw==", "basic <masked>"),
            ("authorization", "Bearer", "Bearer"),
            ("authorization", "Custom tok", "<masked>"),
            ("authorization", "tok", "<masked>"),
            ("authorization", "", ""),
            ("proxy-authorization", "Basic abc", "Basic <masked>"),
            ("cookie", "session=abc", "<redacted>"),
            ("x-api-token", "abc", "<redacted>"),
            ("accept", "application/json", "application/json"),
            ("impersonate-user", "alice", "alice"),
        ] {
            assert_eq!(header(name, value), shown, "{name}: {value}");
        }
    }

    #[test]
    fn logged_bodies_hide_secret_values_and_sensitive_parameters() {
        let applied = json!({"kind": "Secret", "data": {"k": "Q0FOQVJZ"}}).to_string();
        let secret = json!({"kind": "Secret", "metadata": {"name": "s", "annotations": {LAST_APPLIED: applied}},
            "data": {"username": "Q0FOQVJZ", "port": "OTA0Mg=="}, "stringData": {"password": "CANARY"},
            "type": "Opaque"});
        let (out, n) = body(&secret, false);
        assert_eq!(n, 4);
        assert_eq!(
            out["data"],
            json!({"username": "<redacted>", "port": "<redacted>"})
        );
        assert_eq!(out["stringData"]["password"], "<redacted>");
        assert_eq!(out["type"], "Opaque");
        assert!(!out.to_string().contains("Q0FOQVJZ"), "{out}");
        // A list of Secrets names its kind once; a watch event wraps the object.
        let list = json!({"kind": "SecretList", "items": [{"metadata": {"name": "a"}, "data": {"t": "Q0FOQVJZ"}}]});
        assert_eq!(body(&list, false).0["items"][0]["data"]["t"], "<redacted>");
        let event = json!({"type": "ADDED", "object": secret});
        assert!(!body(&event, false).0.to_string().contains("CANARY"));
        // On a Secret's URL a merge patch names no kind, and a JSON patch only paths.
        let merge = json!({"data": {"k": "Q0FOQVJZ"}});
        assert_eq!(body(&merge, true).0["data"]["k"], "<redacted>");
        assert_eq!(body(&merge, false).0, merge, "no Secret: data is no secret");
        let patch = json!([{"op": "add", "path": "/data/k", "value": "Q0FOQVJZ"}]);
        assert_eq!(body(&patch, true).0[0]["value"], "<redacted>");
        let patch = json!([{"op": "add", "path": "/spec/parameters/nodes", "value": 3},
                           {"op": "add", "path": "/metadata/finalizers/-", "value": "f"},
                           {"op": "replace", "path": "/spec/adminPassword", "value": "CANARY"}]);
        let (out, n) = body(&patch, false);
        assert_eq!(n, 2);
        assert_eq!(out[1]["value"], "f");
        // Instances and bindings: the parameters rule, as printed objects.
        let si = json!({"kind": "ServiceInstance", "spec": {"parameters": {"password": "CANARY", "nodes": 3}},
                        "status": {"externalProperties": {"parameters": {"fromSecret": "CANARY", "nodes": 3}}}});
        assert_eq!(body(&si, false), object(&si));
        assert!(!body(&si, false).0.to_string().contains("CANARY"));
        // Printed objects keep a Secret's values (only logs hide them).
        assert_eq!(object(&secret).0["data"]["username"], "Q0FOQVJZ");
    }
}
