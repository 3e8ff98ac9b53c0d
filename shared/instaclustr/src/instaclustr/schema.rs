//! The provisioning body as a draft-04 JSON Schema, built from the validator's knowledge
//! ([`super::validate`]: bundles, providers, SLA tiers, the fields of each object, boolean and count
//! options) — the one place both come from. A broker publishing Instaclustr plans (ours, in
//! `tests/src/broker/catalog.rs`) serves these schemas; `provision` checks the parameters against them
//! (`--from-instaclustr` payloads included) before anything is created; `convert-json` validates with the
//! same lists.
//!
//! What the schema enforces is what the validator calls an error (types, the bundle/provider/SLA-tier
//! enums, required fields of nested objects, cluster-name and CIDR shapes), plus: the closed objects
//! (a bundle, `provider`, `rackAllocation`, a firewall rule, a data centre) refuse fields they do not
//! have (the validator warns), so a typo there is caught with "did you mean". The top level stays open:
//! a broker adds keys of its own and fills defaults (no top-level field is required), and the top-level
//! field list grew across API versions. Known traps the validator only warns about (data centres outside
//! its lists, firewall rule types, limits) are described, not enforced.
//!
//! A plan that takes both shapes publishes [`create_schema_v1_v2`]: `oneOf` the v2 body of its application
//! ([`super::v2::schema`], from the v2 rules) and the v1 body above, told apart as Instaclustr's API does,
//! by the version field (`cassandraVersion`, …): the v2 form requires it, the v1 form forbids every one.

use serde_json::{Map, Value, json};

use super::v2::App;
use super::validate::{
    BOOL_OPTIONS, BUNDLES, DATA_CENTRE_FIELDS, FIREWALL_RULE_TYPES, INT_OPTIONS, PROVIDER_FIELDS,
    PROVIDERS, SLA_TIERS, TOP_LEVEL_FIELDS,
};

/// The draft-04 meta-schema every schema here declares (the OSB minimum).
pub const DRAFT_04: &str = "http://json-schema.org/draft-04/schema#";

/// What a plan changes in the schema.
#[derive(Clone, Debug)]
pub struct PlanSchema<'a> {
    /// `Instaclustr cassandra cluster (developer plan)`.
    pub title: String,
    /// The bundles `bundles[].bundle` may name (empty: every known bundle).
    pub bundles: &'a [&'a str],
    /// The plan's defaults (the broker fills them in), shown as `default`.
    pub node_size: Option<&'a str>,
    pub sla_tier: Option<&'a str>,
    /// The plan's node count: the default of a v2 body's `dataCentres[].numberOfNodes`.
    pub nodes: Option<u32>,
    /// A v2 Cassandra body's default `spark` add-on version (classes made of Cassandra with Spark).
    pub spark: Option<&'a str>,
}

/// A boolean, or the strings "true"/"false" that early clients sent (the validator accepts both).
fn boolish(description: &str) -> Value {
    json!({"type": ["boolean", "string"], "enum": [true, false, "true", "false"], "description": description})
}

/// A non-negative integer, or a string of digits.
fn intish(description: &str) -> Value {
    json!({"type": ["integer", "string"], "minimum": 0, "pattern": "^[0-9]+$", "description": description})
}

fn string(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn cidr(description: &str) -> Value {
    json!({"type": "string", "pattern": "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$", "description": description})
}

/// An object with exactly `fields`, each described by `field`.
fn closed(fields: &[&str], required: &[&str], field: impl Fn(&str) -> Value) -> Value {
    let properties: Map<String, Value> = fields.iter().map(|f| (f.to_string(), field(f))).collect();
    let mut o = json!({"type": "object", "properties": properties, "additionalProperties": false});
    if !required.is_empty() {
        o["required"] = json!(required);
    }
    o
}

fn option_description(name: &str) -> &'static str {
    match name {
        "authnAuthz" => "Cassandra password authentication and authorisation",
        "clientEncryption" => "Client-to-node TLS",
        "usePrivateBroadcastRPCAddress" => "Broadcast private addresses to clients",
        "luceneEnabled" => "Cassandra Lucene index plugin",
        "continuousBackupEnabled" => "Commit-log backups",
        "passwordAuthentication" => "Spark jobserver credentials",
        "numberPartitions" => "Kafka: default partitions per topic",
        "autoCreateTopics" => "Kafka: create topics on first use",
        "deleteTopics" => "Kafka: allow topic deletion",
        "dedicatedZookeeper" => "Kafka: ZooKeeper on dedicated nodes",
        "zookeeperNodeCount" => "Kafka: 3 or 5 ZooKeeper nodes",
        "masterNodes" | "replicaNodes" => "Redis: node count (required for REDIS)",
        "postgresqlNodeCount" => "PostgreSQL: node count (required for POSTGRESQL)",
        _ => "",
    }
}

/// `bundles[].options`: the boolean and count options typed; other keys (dotted Kafka Connect settings,
/// node sizes of search bundles) are free.
fn options() -> Value {
    let mut p = Map::new();
    for o in BOOL_OPTIONS {
        p.insert(o.to_string(), boolish(option_description(o)));
    }
    for o in INT_OPTIONS {
        p.insert(o.to_string(), intish(option_description(o)));
    }
    json!({"type": ["object", "null"], "properties": p, "additionalProperties": true,
           "description": "Bundle options; the boolean and count ones are typed"})
}

fn bundles(allowed: &[&str]) -> Value {
    let allowed = if allowed.is_empty() { BUNDLES } else { allowed };
    json!({
        "type": "array",
        "minItems": 1,
        "description": "The base application first, then its add-ons",
        "items": closed(&["bundle", "version", "options"], &["bundle", "version"], |f| match f {
            "bundle" => json!({"type": "string", "enum": allowed, "description": "Instaclustr bundle"}),
            "version" => string("Bundle version, a string (\"3.11.4\"; quote it in YAML)"),
            _ => options(),
        }),
    })
}

fn provider() -> Value {
    closed(PROVIDER_FIELDS, &["name"], |f| match f {
        "name" => json!({"type": "string", "enum": PROVIDERS, "description": "Cloud provider"}),
        "accountName" => {
            json!({"type": ["string", "null"], "description": "Run-in-your-own-account name"})
        }
        "tags" => {
            json!({"type": "object", "additionalProperties": {"type": "string"}, "description": "String tags"})
        }
        "resourceGroup" => string("Azure only"),
        "diskEncryptionKey" => string("AWS_VPC only"),
        _ => string(""),
    })
}

fn rack_allocation() -> Value {
    closed(
        &["numberOfRacks", "nodesPerRack"],
        &["numberOfRacks", "nodesPerRack"],
        |f| {
            let mut s = intish(if f == "numberOfRacks" {
                "Racks (documented maximum 5)"
            } else {
                "Nodes per rack (documented maximum 10)"
            });
            s["minimum"] = json!(1);
            s["pattern"] = json!("^[1-9][0-9]*$");
            s
        },
    )
}

fn firewall_rules() -> Value {
    json!({
        "type": "array",
        "description": "Who may connect: a CIDR (network) or an AWS security group, and what to open",
        "items": closed(&["network", "securityGroupId", "rules"], &["rules"], |f| match f {
            "network" => cidr("Allowed CIDR, e.g. 203.0.113.17/32"),
            "securityGroupId" => string("AWS security group, instead of network"),
            _ => json!({
                "type": "array",
                "items": {
                    "type": "object", "required": ["type"],
                    "properties": {"type": string(&format!("What the rule opens: {}", FIREWALL_RULE_TYPES.join(", ")))},
                },
            }),
        }),
    })
}

fn data_centres(plan: &PlanSchema<'_>) -> Value {
    json!({
        "type": "array",
        "minItems": 1,
        "description": "Several data centres (Cassandra), instead of dataCentre",
        "items": closed(DATA_CENTRE_FIELDS, &["dataCentre", "network"], |f| match f {
            "name" => string("Data centre name"),
            "dataCentre" => string("Region, e.g. US_EAST_1"),
            "network" | "clusterNetwork" => cidr("Private CIDR, not overlapping the others"),
            "provider" => provider(),
            "nodeSize" => string("Node size in this data centre"),
            "rackAllocation" => rack_allocation(),
            _ => bundles(plan.bundles),
        }),
    })
}

/// The schema of one top-level field.
fn top_level(field: &str, plan: &PlanSchema<'_>, create: bool) -> Value {
    let mut s = match field {
        "clusterName" => json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$",
            "description": "Letters, digits and _ (at most 32)"}),
        "bundles" => bundles(plan.bundles),
        "provider" => provider(),
        "slaTier" => json!({"type": "string", "enum": SLA_TIERS, "description": "SLA tier"}),
        "nodeSize" => string("Instaclustr node size, e.g. t3.small"),
        "dataCentre" => string("Region: US_EAST_1 (AWS), CENTRAL_US (Azure), us-east1 (GCP)"),
        "dataCentreCustomName" => string("Name of the data centre"),
        "dataCentres" => data_centres(plan),
        "clusterNetwork" => cidr("Private CIDR, prefix /12 to /22"),
        "privateNetworkCluster" => boolish("Private IPs only"),
        "pciCompliantCluster" => boolish("PCI compliance (AWS_VPC only)"),
        "rackAllocation" => rack_allocation(),
        "firewallRules" => firewall_rules(),
        "twoFactorDelete" => {
            json!({"type": "array", "description": "Confirmation contacts for deletion"})
        }
        "oidcProvider" => string("OIDC provider id"),
        "bundledUseOnlyCluster" => boolish("Only for use with other bundles"),
        "privateLink" => json!({"type": "object", "description": "AWS PrivateLink settings"}),
        other => unreachable!("top-level field {other} has no schema: add it here"),
    };
    if create {
        match field {
            "nodeSize" => {
                if let Some(d) = plan.node_size {
                    s["default"] = json!(d);
                }
            }
            "slaTier" => {
                if let Some(d) = plan.sla_tier {
                    s["default"] = json!(d);
                }
            }
            _ => {}
        }
    }
    s
}

fn body(plan: &PlanSchema<'_>, create: bool) -> Value {
    let properties: Map<String, Value> = TOP_LEVEL_FIELDS
        .iter()
        .map(|f| (f.to_string(), top_level(f, plan, create)))
        .collect();
    json!({
        "$schema": DRAFT_04,
        "type": "object",
        "title": plan.title,
        "properties": properties,
        "additionalProperties": true,
    })
}

/// `schemas.service_instance.create.parameters`: the provisioning body.
pub fn create_schema(plan: &PlanSchema<'_>) -> Value {
    body(plan, true)
}

/// `schemas.service_instance.update.parameters`: the same fields (an update sends the whole parameters),
/// without the plan's defaults.
pub fn update_schema(plan: &PlanSchema<'_>) -> Value {
    let mut s = body(plan, false);
    s["title"] = json!(format!("Changes to: {}", plan.title));
    s
}

// ---------------------------------------------------------------------------------------------
// Both shapes in one schema

/// Title of the v1 form of a combined schema.
pub const V1_FORM_TITLE: &str = "Instaclustr v1 create body (clusterName, bundles, provider, …)";

/// `schemas.service_instance.create.parameters` of a plan that takes both shapes: a draft-04
/// `oneOf: [v2 body of app, v1 body]`, discriminated by the version field (`cassandraVersion`, …) so that
/// exactly one form can match: the v2 form requires it, the v1 form has none (`not` + `anyOf` of every
/// version field). The v2 form carries the plan's defaults where a v2 body has the field (`slaTier`,
/// `dataCentres[].numberOfNodes`, `spark`). Without an application (or without v2 rules for it): the v1
/// schema alone, as [`create_schema`].
pub fn create_schema_v1_v2(plan: &PlanSchema<'_>, app: Option<App>) -> Value {
    combined(plan, app, true)
}

/// The update schema of a plan that takes both shapes: [`create_schema_v1_v2`] without the plan's
/// defaults (an update sends the whole parameters).
pub fn update_schema_v1_v2(plan: &PlanSchema<'_>, app: Option<App>) -> Value {
    combined(plan, app, false)
}

fn combined(plan: &PlanSchema<'_>, app: Option<App>, create: bool) -> Value {
    let v1 = if create {
        create_schema(plan)
    } else {
        update_schema(plan)
    };
    let Some((app, mut v2)) = app.and_then(|a| Some((a, super::v2::schema::body_schema(a)?)))
    else {
        return v1;
    };
    let title = v1["title"].clone();
    if let Some(o) = v2.as_object_mut() {
        o.remove("$schema");
        // The discriminator: the v2 form cannot match without its version field.
        let field = json!(app.version_field());
        let required = o.entry("required").or_insert_with(|| json!([]));
        if let Some(r) = required.as_array_mut()
            && !r.contains(&field)
        {
            r.push(field);
        }
    }
    if create {
        v2_defaults(&mut v2, plan);
    }
    let mut v1 = v1;
    if let Some(o) = v1.as_object_mut() {
        o.remove("$schema");
        o.insert("title".into(), json!(V1_FORM_TITLE));
        let any: Vec<Value> = super::v2::App::version_fields()
            .into_iter()
            .map(|f| json!({"required": [f]}))
            .collect();
        o.insert("not".into(), json!({"anyOf": any}));
    }
    json!({
        "$schema": DRAFT_04,
        "title": title,
        "description": format!(
            "An Instaclustr create body, v2 ({}) or v1: the body's version field ({}) tells them apart, as Instaclustr's API does",
            app.schema_name(),
            app.version_field()
        ),
        "type": "object",
        "oneOf": [v2, v1],
    })
}

/// The plan's defaults in a v2 body schema, where the body has the field.
fn v2_defaults(v2: &mut Value, plan: &PlanSchema<'_>) {
    let mut set = |pointer: &str, value: Value| {
        if let Some(Value::Object(o)) = v2.pointer_mut(pointer) {
            o.insert("default".into(), value);
        }
    };
    if let Some(t) = plan.sla_tier {
        set("/properties/slaTier", json!(t));
    }
    if let Some(n) = plan.nodes {
        set(
            "/properties/dataCentres/items/properties/numberOfNodes",
            json!(n),
        );
    }
    if let Some(v) = plan.spark {
        set("/properties/spark", json!([{"version": v}]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instaclustr::{Severity, validate};

    fn any_plan() -> PlanSchema<'static> {
        PlanSchema {
            title: "any".into(),
            bundles: &[],
            node_size: Some("t3.small"),
            sla_tier: Some("NON_PRODUCTION"),
            nodes: Some(3),
            spark: None,
        }
    }

    fn errors(v: &Value) -> usize {
        validate(v)
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    fn schema_violations(v: &Value) -> Vec<String> {
        crate::schema::Checker::new(&create_schema(&any_plan()))
            .expect("compiles")
            .check(v, &[])
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const FIXTURES: &[&str] = &[
        include_str!("../../../../plugins/convert-json/tests/fixtures/01-cassandra-minimal.json"),
        include_str!(
            "../../../../plugins/convert-json/tests/fixtures/02-cassandra-multi-dc-racks-firewall.json"
        ),
        include_str!(
            "../../../../plugins/convert-json/tests/fixtures/03-cassandra-production-private-pci-riyoa.json"
        ),
        include_str!(
            "../../../../plugins/convert-json/tests/fixtures/04-cassandra-spark-zeppelin.json"
        ),
        include_str!(
            "../../../../plugins/convert-json/tests/fixtures/05-kafka-with-options-addons.json"
        ),
        include_str!(
            "../../../../plugins/convert-json/tests/fixtures/06-kafka-dedicated-zookeeper.json"
        ),
        include_str!(
            "../../../../plugins/convert-json/tests/fixtures/07-kafka-connect-s3-custom-connectors.json"
        ),
        include_str!(
            "../../../../plugins/convert-json/tests/fixtures/08-elasticsearch-opendistro.json"
        ),
        include_str!("../../../../plugins/convert-json/tests/fixtures/09-opensearch.json"),
        include_str!("../../../../plugins/convert-json/tests/fixtures/10-redis.json"),
        include_str!("../../../../plugins/convert-json/tests/fixtures/11-postgresql.json"),
        include_str!("../../../../plugins/convert-json/tests/fixtures/12-apache-zookeeper.json"),
    ];

    #[test]
    fn the_schema_is_draft_04_and_accepts_every_valid_fixture() {
        let s = create_schema(&any_plan());
        jsonschema::draft4::meta::validate(&s).expect("a draft-04 schema");
        jsonschema::draft4::meta::validate(&update_schema(&any_plan())).expect("draft-04");
        for (i, text) in FIXTURES.iter().enumerate() {
            let v: Value = serde_json::from_str(text).expect("fixture JSON");
            assert_eq!(errors(&v), 0, "fixture {}", i + 1);
            assert_eq!(
                schema_violations(&v),
                Vec::<String>::new(),
                "fixture {}",
                i + 1
            );
        }
    }

    #[test]
    fn the_validator_s_errors_are_the_schema_s_errors() {
        let base: Value = serde_json::from_str(FIXTURES[0]).expect("fixture");
        let with = |ptr: &str, new: Value| {
            let mut v = base.clone();
            *v.pointer_mut(ptr).expect("pointer exists") = new;
            v
        };
        // Each mistake: the validator reports an error, and the schema refuses it at the same pointer.
        for (v, at) in [
            (with("/slaTier", json!("PRODUCTON")), "/slaTier"),
            (
                with("/bundles/0/bundle", json!("APACHE_CASANDRA")),
                "/bundles/0/bundle",
            ),
            (
                with("/bundles/0/version", json!(3.11)),
                "/bundles/0/version",
            ),
            (with("/bundles", json!({"bundle": "KAFKA"})), "/bundles"),
            (with("/provider/name", json!("aws-vpc")), "/provider/name"),
            (
                with("/rackAllocation/numberOfRacks", json!("three")),
                "/rackAllocation/numberOfRacks",
            ),
            (
                with("/rackAllocation/numberOfRacks", json!(0)),
                "/rackAllocation/numberOfRacks",
            ),
            (with("/clusterName", json!("bad!name")), "/clusterName"),
            (
                with("/clusterNetwork", json!("10.0.0.0")),
                "/clusterNetwork",
            ),
            (
                with("/rackAllocation", json!({"numberOfRacks": 3})),
                "/rackAllocation",
            ),
        ] {
            assert!(errors(&v) > 0, "the validator refuses {v}");
            let s = schema_violations(&v);
            assert!(
                s.iter().any(|l| l.starts_with(&format!("{at}:"))),
                "{at}: {s:?}"
            );
        }
        let typo = with("/provider", json!({"nmae": "AWS_VPC", "name": "AWS_VPC"}));
        let s = schema_violations(&typo);
        assert!(
            s.iter().any(|l| l
                .starts_with("/provider/nmae: unknown property \"nmae\" (did you mean \"name\"?)")),
            "{s:?}"
        );
        // The top level is open: the validator only warns about unknown fields there.
        assert!(
            schema_violations(
                &with("/slaTier", json!("PRODUCTION"))
                    .as_object()
                    .map(|m| {
                        let mut m = m.clone();
                        m.insert("x-extra".into(), json!(1));
                        Value::Object(m)
                    })
                    .expect("object")
            )
            .is_empty()
        );
    }

    #[test]
    fn every_closed_object_lists_the_validator_s_fields() {
        let s = create_schema(&any_plan());
        let keys = |ptr: &str| -> Vec<String> {
            s.pointer(ptr)
                .and_then(Value::as_object)
                .expect(ptr)
                .keys()
                .cloned()
                .collect()
        };
        assert_eq!(keys("/properties"), TOP_LEVEL_FIELDS);
        assert_eq!(keys("/properties/provider/properties"), PROVIDER_FIELDS);
        assert_eq!(
            keys("/properties/dataCentres/items/properties"),
            DATA_CENTRE_FIELDS
        );
        assert_eq!(
            s.pointer("/properties/bundles/items/properties/bundle/enum"),
            Some(&json!(BUNDLES))
        );
        assert_eq!(
            s.pointer("/properties/nodeSize/default"),
            Some(&json!("t3.small"))
        );
        assert!(
            update_schema(&any_plan())
                .pointer("/properties/nodeSize/default")
                .is_none()
        );
    }

    fn v2_fixture(name: &str) -> Value {
        let path = format!(
            "{}/../../plugins/convert-json/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON")
    }

    fn compiled(s: &Value) -> jsonschema::Validator {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(s)
            .expect("compiles")
    }

    /// How many of the combined schema's forms the body matches (exactly one means valid under `oneOf`).
    fn forms_matched(s: &Value, body: &Value) -> Vec<usize> {
        s["oneOf"]
            .as_array()
            .expect("oneOf")
            .iter()
            .enumerate()
            .filter(|(_, f)| compiled(f).is_valid(body))
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn the_combined_schema_takes_a_v2_body_and_a_v1_body_each_by_exactly_one_form() {
        let s = create_schema_v1_v2(&any_plan(), Some(App::Cassandra));
        jsonschema::draft4::meta::validate(&s).expect("a draft-04 schema");
        jsonschema::draft4::meta::validate(&update_schema_v1_v2(&any_plan(), Some(App::Cassandra)))
            .expect("draft-04");
        assert_eq!(s["$schema"], DRAFT_04);
        assert_eq!(s["title"], "any");
        let v = compiled(&s);
        for name in [
            "v2-01-cassandra-minimal.json",
            "v2-02-cassandra-every-field.json",
        ] {
            let body = v2_fixture(name);
            assert_eq!(forms_matched(&s, &body), [0], "{name}: the v2 form only");
            assert!(v.is_valid(&body), "{name}");
        }
        for (i, text) in FIXTURES.iter().take(4).enumerate() {
            let body: Value = serde_json::from_str(text).expect("fixture");
            assert_eq!(
                forms_matched(&s, &body),
                [1],
                "fixture {}: the v1 form only",
                i + 1
            );
            assert!(v.is_valid(&body), "fixture {}", i + 1);
        }
        // Partial v1 parameters (the broker fills the rest) stay valid.
        for partial in [
            json!({}),
            json!({"nodeSize": "t3.small", "replicas": 3}),
            json!({"name": "x"}),
        ] {
            assert_eq!(forms_matched(&s, &partial), [1], "{partial}");
        }
        // A version field makes it v2: a v1 body with one matches neither form.
        let mut mixed: Value = serde_json::from_str(FIXTURES[0]).expect("fixture");
        mixed["cassandraVersion"] = json!("4.1.3");
        assert_eq!(forms_matched(&s, &mixed), Vec::<usize>::new());
        // A Kafka body is not a Cassandra plan's v2 form, and its version field keeps it out of v1.
        assert!(!v.is_valid(&v2_fixture("v2-03-kafka-minimal.json")));
        // The v2 form's discriminator and the v1 form's exclusion name every version field.
        let v2 = &s["oneOf"][0];
        assert!(
            v2["required"]
                .as_array()
                .expect("required")
                .contains(&json!("cassandraVersion"))
        );
        assert_eq!(v2.get("$schema"), None);
        let not = s["oneOf"][1]["not"]["anyOf"].as_array().expect("not anyOf");
        assert_eq!(not.len(), App::ALL.len());
        assert!(not.contains(&json!({"required": ["kafkaVersion"]})));
        assert_eq!(s["oneOf"][1]["title"], V1_FORM_TITLE);
    }

    #[test]
    fn the_v2_form_carries_the_plan_s_defaults_and_the_update_none() {
        let plan = PlanSchema {
            spark: Some("2.3.2"),
            ..any_plan()
        };
        let s = create_schema_v1_v2(&plan, Some(App::Cassandra));
        let v2 = &s["oneOf"][0];
        assert_eq!(
            v2.pointer("/properties/slaTier/default"),
            Some(&json!("NON_PRODUCTION"))
        );
        assert_eq!(
            v2.pointer("/properties/dataCentres/items/properties/numberOfNodes/default"),
            Some(&json!(3))
        );
        assert_eq!(
            v2.pointer("/properties/spark/default"),
            Some(&json!([{"version": "2.3.2"}]))
        );
        assert!(compiled(v2).is_valid(&v2_fixture("v2-01-cassandra-minimal.json")));
        // The v1 form keeps its own defaults.
        assert_eq!(
            s.pointer("/oneOf/1/properties/nodeSize/default"),
            Some(&json!("t3.small"))
        );
        let u = update_schema_v1_v2(&plan, Some(App::Cassandra));
        assert_eq!(u.pointer("/oneOf/0/properties/slaTier/default"), None);
        assert_eq!(u.pointer("/oneOf/1/properties/nodeSize/default"), None);
        // Kafka: its own body; no rules for an application means the v1 schema alone.
        let k = create_schema_v1_v2(&plan, Some(App::Kafka));
        assert!(compiled(&k).is_valid(&v2_fixture("v2-03-kafka-minimal.json")));
        assert_eq!(
            create_schema_v1_v2(&plan, Some(App::Cadence)),
            create_schema(&plan)
        );
        assert_eq!(create_schema_v1_v2(&plan, None), create_schema(&plan));
    }
}

/// The combined v1/v2 schema as the client's check (`osb::schema`, a layer below) reads it.
#[cfg(test)]
mod checked_by_the_client {
    use serde_json::{Value, json};

    use crate::schema::{Checker, enum_values, sections_of};

    fn instaclustr_plan() -> crate::instaclustr::schema::PlanSchema<'static> {
        crate::instaclustr::schema::PlanSchema {
            title: "Instaclustr cassandra cluster (developer plan)".into(),
            bundles: &["APACHE_CASSANDRA", "SPARK", "ZEPPELIN"],
            node_size: Some("t3.small"),
            sla_tier: Some("NON_PRODUCTION"),
            nodes: Some(3),
            spark: None,
        }
    }

    #[test]
    fn the_instaclustr_v1_v2_schema_reports_each_shape_as_its_own_schema_would() {
        use crate::instaclustr::schema::{create_schema, create_schema_v1_v2};
        use crate::instaclustr::v2::{App, schema::body_schema};
        let both = create_schema_v1_v2(&instaclustr_plan(), Some(App::Cassandra));
        let v1 = create_schema(&instaclustr_plan());
        let mut v2 = body_schema(App::Cassandra).expect("rules");
        v2["required"] = both["oneOf"][0]["required"].clone();
        let lines = |s: &Value, p: &Value| -> Vec<String> {
            Checker::new(s)
                .expect("compiles")
                .check(p, &[])
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        for v1_params in [
            json!({"slaTier": "PRODUCTON", "provider": {"name": "aws"}}),
            json!({"bundles": {"bundle": "APACHE_CASSANDRA"}, "nodeSize": 3}),
            json!({"provider": {"nmae": "AWS_VPC"}}),
            json!({"rackAllocation": {"numberOfRacks": 3}, "name": "x"}),
        ] {
            let got = lines(&both, &v1_params);
            assert!(!got.is_empty(), "{v1_params}");
            assert_eq!(
                got,
                lines(&v1, &v1_params),
                "{v1_params}: as the v1 schema says"
            );
        }
        assert_eq!(
            lines(&both, &json!({"slaTier": "PRODUCTON"})),
            [
                "/slaTier: expected one of \"PRODUCTION\", \"NON_PRODUCTION\", got the string \"PRODUCTON\" (did you mean \"PRODUCTION\"?)"
            ]
        );
        let mut body: Value = serde_json::from_str(include_str!(
            "../../../../plugins/convert-json/tests/fixtures/v2-01-cassandra-minimal.json"
        ))
        .expect("fixture");
        assert_eq!(lines(&both, &body), Vec::<String>::new());
        body["name"] = json!("ab");
        body["slaTier"] = json!("PRODUCTON");
        body["dataCentres"][0]["network"] = json!("10.0.0.0/24");
        body["dataCentres"][0]["awsSettings"] = json!([{}]);
        body["dataCentres"][0]["gcpSettings"] = json!([{}]);
        body["clusterName"] = json!("x");
        let got = lines(&both, &body);
        assert_eq!(got, lines(&v2, &body), "as the v2 schema says");
        for want in [
            "/name: expected at least 3 characters, got the string \"ab\"",
            "/slaTier: expected one of \"PRODUCTION\", \"NON_PRODUCTION\", got the string \"PRODUCTON\" (did you mean \"PRODUCTION\"?)",
            "/clusterName: unknown property \"clusterName\"",
            "/dataCentres/0/network: expected a string matching ",
            "/dataCentres/0: must not have \"awsSettings\" and \"gcpSettings\" together (the schema's not)",
        ] {
            assert!(got.iter().any(|l| l.starts_with(want)), "{want}: {got:#?}");
        }
        let r = Checker::new(&both).expect("compiles").report(&body, &[]);
        assert_eq!(r.forms.len(), 1);
        assert_eq!(
            r.forms[0].title.as_deref(),
            Some("Instaclustr v2 create body (CassandraClusterV2)")
        );
        // A version field of another application: still the v2 form (v1 is excluded), which refuses it.
        let got = lines(&both, &json!({"kafkaVersion": "3.5.1"}));
        assert!(
            got.iter()
                .any(|l| l.starts_with("/kafkaVersion: unknown property")),
            "{got:?}"
        );
    }

    #[test]
    fn the_instaclustr_plan_is_a_table_per_form_and_completion_sees_both() {
        let names = |s: &crate::schema::Section| {
            s.params.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
        };
        // The Instaclustr plan: v2 parameters and v1's, slaTier's values once.
        let both = crate::instaclustr::schema::create_schema_v1_v2(
            &instaclustr_plan(),
            Some(crate::instaclustr::v2::App::Cassandra),
        );
        let sections = sections_of(&both);
        assert_eq!(sections.len(), 2);
        let v2 = names(&sections[0]);
        for n in [
            "name",
            "cassandraVersion",
            "dataCentres",
            "dataCentres[].numberOfNodes",
        ] {
            assert!(v2.contains(&n.to_string()), "{n}: {v2:?}");
        }
        let nodes = sections[0]
            .params
            .iter()
            .find(|p| p.name == "dataCentres[].numberOfNodes")
            .expect("row");
        assert_eq!((nodes.required, nodes.default.as_str()), (true, "3"));
        assert!(names(&sections[1]).contains(&"provider.name".to_string()));
        assert_eq!(
            enum_values(&both, "slaTier"),
            Some(vec!["PRODUCTION".into(), "NON_PRODUCTION".into()])
        );
        assert!(enum_values(&both, "provider.name").is_some_and(|v| v.contains(&"AWS_VPC".into())));
    }
}
