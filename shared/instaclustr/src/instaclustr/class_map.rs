//! Which ServiceClass (external name) a payload asks for, from its bundles; and which plan from its SLA tier.
//!
//! The broker's real catalog was never published (see `docs/convert-json.md`), so these names are a
//! documented default, not a fact: `--class`/`--plan` override them for one run and `--map-class
//! BUNDLE=CLASS` replaces one row. `kubectl osb catalog` shows what the cluster really offers.

use serde_json::Value;

/// Base bundle → class external name.
pub const DEFAULT_CLASSES: &[(&str, &str)] = &[
    ("APACHE_CASSANDRA", "cassandra"),
    ("KAFKA", "kafka"),
    ("KAFKA_CONNECT", "kafka-connect"),
    ("ELASTICSEARCH", "elasticsearch"),
    ("OPENSEARCH", "opensearch"),
    ("REDIS", "redis"),
    ("POSTGRESQL", "postgresql"),
    ("APACHE_ZOOKEEPER", "zookeeper"),
];

/// Add-on bundle → the base bundle it extends. An add-on never decides the class.
pub const ADD_ONS: &[(&str, &str)] = &[
    ("SPARK", "APACHE_CASSANDRA"),
    ("ZEPPELIN", "APACHE_CASSANDRA"),
    ("KAFKA_REST_PROXY", "KAFKA"),
    ("KAFKA_SCHEMA_REGISTRY", "KAFKA"),
];

/// `slaTier` → plan external name; no `slaTier` means the API's non-production default.
pub const DEFAULT_PLANS: &[(&str, &str)] = &[
    ("PRODUCTION", "production"),
    ("NON_PRODUCTION", "developer"),
];

/// The bundle → class table in force: the defaults plus any overrides.
#[derive(Clone, Debug)]
pub struct ClassMap {
    entries: Vec<(String, String)>,
}

impl Default for ClassMap {
    fn default() -> Self {
        ClassMap {
            entries: DEFAULT_CLASSES
                .iter()
                .map(|(b, c)| (b.to_string(), c.to_string()))
                .collect(),
        }
    }
}

impl ClassMap {
    /// Add or replace the class for a bundle.
    pub fn set(&mut self, bundle: &str, class: &str) {
        match self.entries.iter_mut().find(|(b, _)| b == bundle) {
            Some(e) => e.1 = class.to_string(),
            None => self.entries.push((bundle.to_string(), class.to_string())),
        }
    }

    /// Apply a `BUNDLE=CLASS` override as given on the command line.
    pub fn apply_override(&mut self, spec: &str) -> Result<(), String> {
        match spec.split_once('=') {
            Some((b, c)) if !b.trim().is_empty() && !c.trim().is_empty() => {
                self.set(b.trim(), c.trim());
                Ok(())
            }
            _ => Err(format!(
                "invalid --map-class {spec:?}: expected BUNDLE=CLASS, e.g. APACHE_CASSANDRA=cassandra"
            )),
        }
    }

    /// The class for a bundle, if the table has one.
    pub fn class_for(&self, bundle: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(b, _)| b == bundle)
            .map(|(_, c)| c.as_str())
    }

    /// The rows in force, for documentation and `--help`.
    pub fn rows(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(b, c)| (b.as_str(), c.as_str()))
    }

    /// The class a payload asks for: for a v2 body, that of the application its version field names
    /// (`cassandraVersion` → the APACHE_CASSANDRA row); for v1, that of its base bundle (the first of
    /// `bundles`, or of the first data centre's `bundles`); for the legacy body, Cassandra when its
    /// `version` says so.
    pub fn infer(&self, payload: &Value) -> Result<String, String> {
        if let Some(app) = payload.as_object().and_then(super::v2::App::of) {
            return self.class_for(app.bundle()).map(str::to_string).ok_or_else(|| {
                format!(
                    "cannot infer the service class from {}: pass --class, or --map-class {}=CLASS",
                    app.version_field(),
                    app.bundle()
                )
            });
        }
        let Some(base) = base_bundle(payload) else {
            if let Some(v) = payload.get("version").and_then(Value::as_str)
                && v.starts_with("apache-cassandra")
                && let Some(c) = self.class_for("APACHE_CASSANDRA")
            {
                return Ok(c.to_string());
            }
            return Err("cannot infer the service class: the payload has no bundles[0].bundle (v1) and no version field such as cassandraVersion (v2); pass --class".into());
        };
        if let Some(c) = self.class_for(base) {
            return Ok(c.to_string());
        }
        if let Some((_, of)) = ADD_ONS.iter().find(|(a, _)| *a == base) {
            return Err(format!(
                "cannot infer the service class: the first bundle {base} is an add-on to {of}, and the first bundle must be \
                 the base application; reorder the bundles or pass --class"
            ));
        }
        Err(format!(
            "cannot infer the service class from bundle {base:?}: pass --class, or --map-class {base}=CLASS"
        ))
    }
}

/// The base bundle's name: `bundles[0].bundle`, else `dataCentres[0].bundles[0].bundle`.
pub fn base_bundle(payload: &Value) -> Option<&str> {
    payload
        .pointer("/bundles/0/bundle")
        .or_else(|| payload.pointer("/dataCentres/0/bundles/0/bundle"))
        .and_then(Value::as_str)
}

/// The plan for a payload's `slaTier` (default: the non-production plan).
pub fn infer_plan(payload: &Value) -> String {
    let tier = payload
        .get("slaTier")
        .and_then(Value::as_str)
        .unwrap_or("NON_PRODUCTION");
    DEFAULT_PLANS
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(tier))
        .map_or(DEFAULT_PLANS[1].1, |(_, p)| p)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn class_follows_the_base_bundle() {
        let m = ClassMap::default();
        let cass = json!({"bundles": [{"bundle": "APACHE_CASSANDRA"}, {"bundle": "SPARK"}]});
        assert_eq!(m.infer(&cass).as_deref(), Ok("cassandra"));
        assert_eq!(
            m.infer(&json!({"bundles": [{"bundle": "KAFKA"}]}))
                .as_deref(),
            Ok("kafka")
        );
        assert_eq!(
            m.infer(&json!({"dataCentres": [{"bundles": [{"bundle": "REDIS"}]}]}))
                .as_deref(),
            Ok("redis")
        );
        assert_eq!(
            m.infer(&json!({"version": "apache-cassandra-2.1.13", "provider": "AWS_VPC"}))
                .as_deref(),
            Ok("cassandra")
        );
        let e = m
            .infer(&json!({"bundles": [{"bundle": "SPARK"}]}))
            .expect_err("add-on first");
        assert!(e.contains("add-on to APACHE_CASSANDRA"), "{e}");
        assert!(
            m.infer(&json!({"bundles": [{"bundle": "NEW_THING"}]}))
                .expect_err("unknown")
                .contains("--map-class NEW_THING=CLASS")
        );
        assert!(m.infer(&json!({})).is_err());
        for (field, class) in [
            ("cassandraVersion", "cassandra"),
            ("kafkaVersion", "kafka"),
            ("redisVersion", "redis"),
            ("zookeeperVersion", "zookeeper"),
        ] {
            assert_eq!(m.infer(&json!({field: "1.2.3"})).as_deref(), Ok(class));
        }
        assert!(
            m.infer(&json!({"cadenceVersion": "1.0.0"}))
                .expect_err("no row")
                .contains("--map-class CADENCE=CLASS")
        );
    }

    #[test]
    fn overrides_replace_or_add_rows() {
        let mut m = ClassMap::default();
        m.apply_override("APACHE_CASSANDRA=instaclustr-cassandra")
            .expect("valid");
        m.apply_override("NEW_THING = new").expect("valid");
        assert_eq!(
            m.class_for("APACHE_CASSANDRA"),
            Some("instaclustr-cassandra")
        );
        assert_eq!(m.class_for("NEW_THING"), Some("new"));
        assert!(m.apply_override("nothing").is_err());
        assert!(m.apply_override("=x").is_err());
    }

    #[test]
    fn plan_follows_the_sla_tier() {
        assert_eq!(infer_plan(&json!({"slaTier": "PRODUCTION"})), "production");
        assert_eq!(
            infer_plan(&json!({"slaTier": "NON_PRODUCTION"})),
            "developer"
        );
        assert_eq!(infer_plan(&json!({})), "developer");
    }
}
