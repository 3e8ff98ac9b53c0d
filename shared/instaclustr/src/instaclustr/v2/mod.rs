//! Instaclustr's current create bodies, Cluster Management API **v2** (one body per application:
//! `name`, `<app>Version`, `slaTier`, `dataCentres[]`, …), beside the v1 bodies of the 2019 article.
//!
//! * [`rules`]: every v2 rule as data (types, enums, patterns, lengths, bounds, rules between fields);
//! * [`check`]: a body validated against them, every mistake at once;
//! * [`schema`]: the same rules as the draft-04 JSON Schema a broker publishes;
//! * [`upgrade`]: a v1 body rewritten as a v2 one, and what could not be carried over.
//!
//! Which application a body is for is said by Instaclustr's URL path, not the body; the body's own tell
//! is its version field ([`App::version_field`]), which [`detect`] reads.

pub mod check;
pub mod rules;
pub mod schema;
pub mod upgrade;

use serde_json::{Map, Value};

/// The applications with a v2 create body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum App {
    Cassandra,
    Kafka,
    Redis,
    Zookeeper,
    Postgresql,
    Opensearch,
    KafkaConnect,
    Cadence,
}

impl App {
    pub const ALL: [App; 8] = [
        App::Cassandra,
        App::Kafka,
        App::Redis,
        App::Zookeeper,
        App::Postgresql,
        App::Opensearch,
        App::KafkaConnect,
        App::Cadence,
    ];

    /// The body's field that says which application it is for.
    pub fn version_field(self) -> &'static str {
        match self {
            App::Cassandra => "cassandraVersion",
            App::Kafka => "kafkaVersion",
            App::Redis => "redisVersion",
            App::Zookeeper => "zookeeperVersion",
            App::Postgresql => "postgresqlVersion",
            App::Opensearch => "opensearchVersion",
            App::KafkaConnect => "kafkaConnectVersion",
            App::Cadence => "cadenceVersion",
        }
    }

    /// The v1 bundle of the same application: the class map is keyed by it, so `--map-class` works for
    /// both shapes.
    pub fn bundle(self) -> &'static str {
        match self {
            App::Cassandra => "APACHE_CASSANDRA",
            App::Kafka => "KAFKA",
            App::Redis => "REDIS",
            App::Zookeeper => "APACHE_ZOOKEEPER",
            App::Postgresql => "POSTGRESQL",
            App::Opensearch => "OPENSEARCH",
            App::KafkaConnect => "KAFKA_CONNECT",
            App::Cadence => "CADENCE",
        }
    }

    /// The schema name of the create body in Instaclustr's API description.
    pub fn schema_name(self) -> &'static str {
        match self {
            App::Cassandra => "CassandraClusterV2",
            App::Kafka => "KafkaClusterV2",
            App::Redis => "RedisClusterV2",
            App::Zookeeper => "ApacheZookeeperClusterV2",
            App::Postgresql => "PostgreSQLClusterV2",
            App::Opensearch => "OpenSearchClusterV2",
            App::KafkaConnect => "KafkaConnectClusterV2",
            App::Cadence => "CadenceClusterV2",
        }
    }

    /// The application whose version field the body has (the first, if several).
    pub fn of(body: &Map<String, Value>) -> Option<App> {
        App::ALL
            .into_iter()
            .find(|a| body.contains_key(a.version_field()))
    }

    /// Every version field, for messages.
    pub fn version_fields() -> Vec<&'static str> {
        App::ALL.iter().map(|a| a.version_field()).collect()
    }
}

/// The shapes of a create body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// v1 "extended": `clusterName`, `bundles`, `provider{name}`, `nodeSize`, `dataCentre`, …
    V1,
    /// v1 before "extended": `provider` a string, `size`, `region{…}`.
    V1Legacy,
    /// v2; the application when its version field says it.
    V2(Option<App>),
}

impl Shape {
    /// `v2 (Cassandra)`, for notes.
    pub fn label(self) -> String {
        match self {
            Shape::V1 => "a v1 body".into(),
            Shape::V1Legacy => "a legacy v1 body".into(),
            Shape::V2(Some(a)) => format!("a v2 {} body", a.schema_name()),
            Shape::V2(None) => "a v2 body".into(),
        }
    }
}

/// Which API the user says the body is for (`--api`; `Auto` is the default and not a value of the flag).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Api {
    #[default]
    #[value(skip)]
    Auto,
    V1,
    V2,
}

/// What [`detect`] decided, and whether that needs saying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    pub shape: Shape,
    /// Set when the shape was not obvious from the body: why it was read so, and how to say otherwise.
    pub note: Option<String>,
}

/// Keys only a v2 body has (besides the version fields).
const V2_ONLY: &[&str] = &[
    "name",
    "pciComplianceMode",
    "passwordAndUserAuth",
    "twoFactorDelete",
    "resizeSettings",
    "defaultReplicationFactor",
    "defaultNumberOfPartitions",
    "allowDeleteTopics",
];

/// Keys only a v1 body has.
const V1_ONLY: &[&str] = &[
    "clusterName",
    "bundles",
    "provider",
    "nodeSize",
    "dataCentre",
    "rackAllocation",
    "pciCompliantCluster",
    "clusterNetwork",
    "firewallRules",
];

/// The shape of a body. A version field (`cassandraVersion`, …) means v2 and `clusterName` or `bundles`
/// v1, both without a note; otherwise the side with more of its own keys wins and a note says so.
pub fn detect(body: &Value, api: Api) -> Detected {
    let Some(root) = body.as_object() else {
        let shape = if api == Api::V2 {
            Shape::V2(None)
        } else {
            Shape::V1
        };
        return Detected { shape, note: None };
    };
    let v1 = || {
        if super::validate::is_legacy(root) {
            Shape::V1Legacy
        } else {
            Shape::V1
        }
    };
    match api {
        Api::V1 => {
            return Detected {
                shape: v1(),
                note: None,
            };
        }
        Api::V2 => {
            return Detected {
                shape: Shape::V2(App::of(root)),
                note: None,
            };
        }
        Api::Auto => {}
    }
    if let Some(app) = App::of(root) {
        return Detected {
            shape: Shape::V2(Some(app)),
            note: None,
        };
    }
    if root.contains_key("clusterName") || root.contains_key("bundles") {
        return Detected {
            shape: v1(),
            note: None,
        };
    }
    let count = |keys: &[&str]| keys.iter().filter(|k| root.contains_key(**k)).count();
    let dc_v2 = root
        .get("dataCentres")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_object)
        .is_some_and(|dc| dc.contains_key("cloudProvider") || dc.contains_key("region"));
    let v2_score = count(V2_ONLY) + usize::from(dc_v2);
    if v2_score > count(V1_ONLY) {
        Detected {
            shape: Shape::V2(None),
            note: Some(format!(
                "read as a v2 body ({v2_score} v2 field(s), no version field such as cassandraVersion); pass --api v1 to read it as v1"
            )),
        }
    } else {
        let shape = v1();
        Detected {
            shape,
            note: Some(format!(
                "read as {} (it has neither clusterName nor a v2 version field such as cassandraVersion); pass --api v2 to read it as v2",
                shape.label()
            )),
        }
    }
}

/// The application a v2 body without a version field looks most like (by its known top-level fields).
pub fn guess_app(root: &Map<String, Value>) -> Option<App> {
    App::ALL
        .into_iter()
        .filter_map(|a| {
            let rules::Kind::Object(obj) = &rules::body(a)?.kind else {
                return None;
            };
            let own = obj
                .fields
                .iter()
                .filter(|f| root.contains_key(f.name))
                .count();
            Some((own, a))
        })
        .max_by_key(|(n, _)| *n)
        .filter(|(n, _)| *n > 0)
        .map(|(_, a)| a)
}

/// The cluster name of a body of either shape (`name` in v2, `clusterName` in v1).
pub fn cluster_name(body: &Value) -> Option<&str> {
    body.get("name")
        .filter(|_| {
            body.as_object()
                .is_some_and(|m| App::of(m).is_some() || !m.contains_key("clusterName"))
        })
        .or_else(|| body.get("clusterName"))
        .and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_version_field_says_v2_and_which_application() {
        for app in App::ALL {
            let d = detect(&json!({app.version_field(): "1.2.3"}), Api::Auto);
            assert_eq!(d.shape, Shape::V2(Some(app)));
            assert_eq!(d.note, None);
        }
        let d = detect(
            &json!({"clusterName": "c", "bundles": [], "name": "x"}),
            Api::Auto,
        );
        assert_eq!(
            d,
            Detected {
                shape: Shape::V1,
                note: None
            }
        );
        let d = detect(
            &json!({"clusterName": "c", "provider": "AWS_VPC", "size": "t2"}),
            Api::Auto,
        );
        assert_eq!(d.shape, Shape::V1Legacy);
    }

    #[test]
    fn without_a_tell_the_majority_decides_and_a_note_says_so() {
        let d = detect(
            &json!({"name": "c", "slaTier": "PRODUCTION", "pciComplianceMode": false,
                    "dataCentres": [{"cloudProvider": "AWS_VPC"}]}),
            Api::Auto,
        );
        assert_eq!(d.shape, Shape::V2(None));
        assert!(
            d.note.as_deref().is_some_and(|n| n.contains("--api v1")),
            "{d:?}"
        );
        let d = detect(
            &json!({"nodeSize": "t3.small", "dataCentre": "US_EAST_1"}),
            Api::Auto,
        );
        assert_eq!(d.shape, Shape::V1);
        assert!(
            d.note.as_deref().is_some_and(|n| n.contains("--api v2")),
            "{d:?}"
        );
    }

    #[test]
    fn api_forces_the_shape() {
        let v2 = json!({"cassandraVersion": "4.1.3"});
        assert_eq!(detect(&v2, Api::V1).shape, Shape::V1);
        let v1 = json!({"clusterName": "c"});
        assert_eq!(detect(&v1, Api::V2).shape, Shape::V2(None));
    }

    #[test]
    fn a_body_without_version_looks_like_its_application() {
        let m = json!({"name": "k", "defaultReplicationFactor": 3, "allowDeleteTopics": true});
        assert_eq!(guess_app(m.as_object().expect("object")), Some(App::Kafka));
        let m = json!({"name": "c", "luceneEnabled": false});
        assert_eq!(
            guess_app(m.as_object().expect("object")),
            Some(App::Cassandra)
        );
    }

    #[test]
    fn the_cluster_name_of_either_shape() {
        assert_eq!(
            cluster_name(&json!({"name": "a", "kafkaVersion": "3.5.1"})),
            Some("a")
        );
        assert_eq!(cluster_name(&json!({"clusterName": "b"})), Some("b"));
        assert_eq!(
            cluster_name(&json!({"clusterName": "b", "name": "x"})),
            Some("b")
        );
    }
}
