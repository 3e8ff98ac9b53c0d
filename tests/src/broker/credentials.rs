//! Binding credentials shaped like an Instaclustr cluster's, by class: the keys the controller writes into
//! binding Secrets (tests and `examples/pipeline.sh` read them), a fresh password per binding. The same
//! keys for v1 and v2 bodies; a v2 body's first data-centre name is the `datacenter`.

use serde_json::{Map, Value, json};

/// The cluster's node addresses.
pub const HOSTS: [&str; 3] = ["10.224.0.11", "10.224.0.12", "10.224.0.13"];

/// The keys each class's credentials carry.
pub fn keys(class: &str) -> &'static [&'static str] {
    match class {
        "kafka" => &[
            "bootstrap_servers",
            "hosts",
            "password",
            "port",
            "sasl_mechanism",
            "security_protocol",
            "username",
        ],
        _ => &[
            "cluster_id",
            "datacenter",
            "host",
            "hosts",
            "password",
            "port",
            "username",
        ],
    }
}

/// The username when the bind parameters name none: `sb-` and the binding id's first 8 letters/digits.
pub fn default_username(binding_id: &str) -> String {
    let short: String = binding_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    format!("sb-{short}")
}

/// The `datacenter` of credentials when the parameters name none.
pub const DEFAULT_DATACENTER: &str = "AWS_VPC_US_EAST_1";

/// The data centre a client connects to: the first data centre's `name` of a v2 body (one with a version
/// field such as `cassandraVersion`), else [`DEFAULT_DATACENTER`].
pub fn datacenter_of(parameters: &Value) -> &str {
    parameters
        .as_object()
        .and_then(osb::instaclustr::v2::App::of)
        .and_then(|_| parameters.pointer("/dataCentres/0/name"))
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or(DEFAULT_DATACENTER)
}

/// Credentials for one binding of an instance of `class`, provisioned with `parameters`.
pub fn credentials(
    class: &str,
    instance_id: &str,
    username: &str,
    parameters: &Value,
) -> Map<String, Value> {
    let cluster_id: String = instance_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let password = uuid::Uuid::new_v4().simple().to_string();
    let mut m = Map::new();
    match class {
        "kafka" => {
            let servers: Vec<String> = HOSTS.iter().map(|h| format!("{h}:9092")).collect();
            m.insert("bootstrap_servers".into(), json!(servers.join(",")));
            m.insert("hosts".into(), json!(HOSTS.join(",")));
            m.insert("port".into(), json!(9092));
            m.insert("username".into(), json!(username));
            m.insert("password".into(), json!(password));
            m.insert("security_protocol".into(), json!("SASL_SSL"));
            m.insert("sasl_mechanism".into(), json!("SCRAM-SHA-256"));
        }
        _ => {
            m.insert("host".into(), json!(HOSTS[0]));
            m.insert("hosts".into(), json!(HOSTS.join(",")));
            m.insert("port".into(), json!(9042));
            m.insert("username".into(), json!(username));
            m.insert("password".into(), json!(password));
            m.insert("datacenter".into(), json!(datacenter_of(parameters)));
            m.insert("cluster_id".into(), json!(cluster_id));
        }
    }
    m
}
