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

use serde_json::{Map, Value, json};

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
        include_str!("../../../plugins/convert-json/tests/fixtures/01-cassandra-minimal.json"),
        include_str!(
            "../../../plugins/convert-json/tests/fixtures/02-cassandra-multi-dc-racks-firewall.json"
        ),
        include_str!(
            "../../../plugins/convert-json/tests/fixtures/03-cassandra-production-private-pci-riyoa.json"
        ),
        include_str!(
            "../../../plugins/convert-json/tests/fixtures/04-cassandra-spark-zeppelin.json"
        ),
        include_str!(
            "../../../plugins/convert-json/tests/fixtures/05-kafka-with-options-addons.json"
        ),
        include_str!(
            "../../../plugins/convert-json/tests/fixtures/06-kafka-dedicated-zookeeper.json"
        ),
        include_str!(
            "../../../plugins/convert-json/tests/fixtures/07-kafka-connect-s3-custom-connectors.json"
        ),
        include_str!(
            "../../../plugins/convert-json/tests/fixtures/08-elasticsearch-opendistro.json"
        ),
        include_str!("../../../plugins/convert-json/tests/fixtures/09-opensearch.json"),
        include_str!("../../../plugins/convert-json/tests/fixtures/10-redis.json"),
        include_str!("../../../plugins/convert-json/tests/fixtures/11-postgresql.json"),
        include_str!("../../../plugins/convert-json/tests/fixtures/12-apache-zookeeper.json"),
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
}
