//! The broker's catalog: the classes and plans (ids, names, descriptions, free, bindable as the suite's
//! tests know them) and the `GET /v2/catalog` document built from them, with draft-04 parameter schemas
//! describing the Instaclustr provisioning body (`shared/src/instaclustr/validate.rs` knows the same fields).

use osb::instaclustr::validate::{BUNDLES, FIREWALL_RULE_TYPES, PROVIDERS, SLA_TIERS};
use serde_json::{Map, Value, json};

/// One class (an OSB service).
pub struct ClassDef {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub bindable: bool,
    /// `metadata.displayName`.
    pub display_name: &'static str,
    /// The bundles a cluster of this class is made of, when the parameters name none: (bundle, version).
    pub bundles: &'static [(&'static str, &'static str)],
    /// The bundles the schema allows in `bundles[].bundle`.
    pub allowed_bundles: &'static [&'static str],
    pub plans: &'static [PlanDef],
}

/// One plan.
pub struct PlanDef {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub free: bool,
    /// `metadata.displayName`.
    pub display_name: &'static str,
    /// Nodes of a cluster of this plan (progress reports count them) unless `rackAllocation` says otherwise.
    pub nodes: u32,
    /// Default `nodeSize`.
    pub node_size: &'static str,
    /// Default `slaTier`.
    pub sla_tier: &'static str,
}

/// The catalog the broker serves (cassandra, kafka, spark, zeppelin and their plans).
pub const CLASSES: &[ClassDef] = &[
    ClassDef {
        id: "6f2a9d4e-0c1b-4f7a-9a51-cassandra001",
        name: "cassandra",
        description: "Managed Apache Cassandra cluster",
        bindable: true,
        display_name: "Apache Cassandra",
        bundles: &[("APACHE_CASSANDRA", "3.11.4")],
        allowed_bundles: &["APACHE_CASSANDRA", "SPARK", "ZEPPELIN"],
        plans: &[
            PlanDef {
                id: "6f2a9d4e-0c1b-4f7a-9a51-cassplan0001",
                name: "developer",
                description: "3 small nodes, one rack each, for development",
                free: true,
                display_name: "Developer",
                nodes: 3,
                node_size: "t3.small",
                sla_tier: "NON_PRODUCTION",
            },
            PlanDef {
                id: "6f2a9d4e-0c1b-4f7a-9a51-cassplan0002",
                name: "production-small",
                description: "3 nodes, 4 vCPU / 16 GiB each",
                free: false,
                display_name: "Production (small)",
                nodes: 3,
                node_size: "m5xl-400-v2",
                sla_tier: "PRODUCTION",
            },
            PlanDef {
                id: "6f2a9d4e-0c1b-4f7a-9a51-cassplan0003",
                name: "production-large",
                description: "6 nodes, 8 vCPU / 64 GiB each",
                free: false,
                display_name: "Production (large)",
                nodes: 6,
                node_size: "r5.2xlarge-1600-v2",
                sla_tier: "PRODUCTION",
            },
        ],
    },
    ClassDef {
        id: "8b1e7c3a-55d2-4e0f-8c77-kafka0000001",
        name: "kafka",
        description: "Managed Apache Kafka cluster",
        bindable: true,
        display_name: "Apache Kafka",
        bundles: &[("KAFKA", "2.1.1")],
        allowed_bundles: &["KAFKA", "KAFKA_REST_PROXY", "KAFKA_SCHEMA_REGISTRY"],
        plans: &[
            PlanDef {
                id: "8b1e7c3a-55d2-4e0f-8c77-kafkaplan001",
                name: "developer",
                description: "3 small brokers for development",
                free: true,
                display_name: "Developer",
                nodes: 3,
                node_size: "t3.small-20-gp2",
                sla_tier: "NON_PRODUCTION",
            },
            PlanDef {
                id: "8b1e7c3a-55d2-4e0f-8c77-kafkaplan002",
                name: "production",
                description: "3 brokers, dedicated ZooKeeper",
                free: false,
                display_name: "Production",
                nodes: 3,
                node_size: "r5.large-500-gp2",
                sla_tier: "PRODUCTION",
            },
        ],
    },
    ClassDef {
        id: "2c9f0b6d-7e14-4a3b-b2d8-spark0000001",
        name: "spark",
        description: "Apache Spark add-on for a Cassandra cluster",
        bindable: true,
        display_name: "Apache Spark",
        bundles: &[
            ("APACHE_CASSANDRA", "3.11.4"),
            ("SPARK", "apache-spark:2.3.2"),
        ],
        allowed_bundles: &["APACHE_CASSANDRA", "SPARK"],
        plans: &[PlanDef {
            id: "2c9f0b6d-7e14-4a3b-b2d8-sparkplan001",
            name: "standard",
            description: "Spark workers beside each Cassandra node",
            free: false,
            display_name: "Standard",
            nodes: 3,
            node_size: "m5l-250-v2",
            sla_tier: "NON_PRODUCTION",
        }],
    },
    ClassDef {
        id: "4d8a1f2e-93c6-4b5d-a0e9-zeppelin0001",
        name: "zeppelin",
        description: "Apache Zeppelin notebooks (not bindable)",
        bindable: false,
        display_name: "Apache Zeppelin",
        bundles: &[
            ("APACHE_CASSANDRA", "3.11.4"),
            ("SPARK", "apache-spark:2.3.2"),
            ("ZEPPELIN", "apache-zeppelin:0.8.0-spark-2.3.2"),
        ],
        allowed_bundles: &["APACHE_CASSANDRA", "SPARK", "ZEPPELIN"],
        plans: &[PlanDef {
            id: "4d8a1f2e-93c6-4b5d-a0e9-zeppplan0001",
            name: "standard",
            description: "One Zeppelin server",
            free: false,
            display_name: "Standard",
            nodes: 1,
            node_size: "m5l-250-v2",
            sla_tier: "NON_PRODUCTION",
        }],
    },
];

/// The class with this OSB service id.
pub fn class(service_id: &str) -> Option<&'static ClassDef> {
    CLASSES.iter().find(|c| c.id == service_id)
}

/// The plan with this id, within a class.
pub fn plan(class: &'static ClassDef, plan_id: &str) -> Option<&'static PlanDef> {
    class.plans.iter().find(|p| p.id == plan_id)
}

/// The draft-04 meta-schema every parameter schema declares.
pub const DRAFT_04: &str = "http://json-schema.org/draft-04/schema#";

/// `["boolean","string"]`: early Instaclustr clients sent `"true"`/`"false"`.
fn boolish(description: &str) -> Value {
    json!({"type": ["boolean", "string"], "description": description})
}

/// `["integer","string"]`, for the same reason.
fn intish(description: &str) -> Value {
    json!({"type": ["integer", "string"], "description": description})
}

fn string_enum(values: &[&str], description: &str) -> Value {
    json!({"type": "string", "enum": values, "description": description})
}

/// Bundle options a class's bundles take (the validator's BOOL/INT options, by bundle).
fn bundle_options(allowed: &[&str]) -> Value {
    let mut p = Map::new();
    if allowed.contains(&"APACHE_CASSANDRA") {
        p.insert(
            "authnAuthz".into(),
            boolish("Cassandra password authentication and authorisation"),
        );
        p.insert(
            "usePrivateBroadcastRPCAddress".into(),
            boolish("Broadcast private addresses to clients"),
        );
        p.insert(
            "luceneEnabled".into(),
            boolish("Cassandra Lucene index plugin"),
        );
        p.insert(
            "continuousBackupEnabled".into(),
            boolish("Commit-log backups"),
        );
    }
    if allowed.contains(&"SPARK") {
        p.insert(
            "passwordAuthentication".into(),
            boolish("Spark jobserver credentials"),
        );
    }
    if allowed.contains(&"KAFKA") {
        p.insert(
            "numberPartitions".into(),
            intish("Default partitions per topic (default: the number of brokers)"),
        );
        p.insert(
            "autoCreateTopics".into(),
            boolish("Create topics on first use (default true)"),
        );
        p.insert(
            "deleteTopics".into(),
            boolish("Allow topic deletion (default true)"),
        );
        p.insert(
            "dedicatedZookeeper".into(),
            boolish("Run ZooKeeper on dedicated nodes"),
        );
        p.insert(
            "zookeeperNodeSize".into(),
            json!({"type": "string", "description": "e.g. zk-developer-t3.small-20"}),
        );
        p.insert(
            "zookeeperNodeCount".into(),
            intish("3 or 5 ZooKeeper nodes"),
        );
    }
    p.insert("clientEncryption".into(), boolish("Client-to-node TLS"));
    json!({"type": "object", "properties": p, "additionalProperties": true})
}

fn bundles_schema(class: &ClassDef) -> Value {
    json!({
        "type": "array",
        "description": "Bundles of the cluster: a base bundle and its add-ons (default: the class's)",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["bundle"],
            "properties": {
                "bundle": string_enum(class.allowed_bundles, &format!("One of the Instaclustr bundles ({} known)", BUNDLES.len())),
                "version": {"type": "string", "description": "Bundle version, e.g. 3.11.4 (quote it in YAML)"},
                "options": bundle_options(class.allowed_bundles),
            },
            "additionalProperties": true,
        }
    })
}

fn rack_allocation() -> Value {
    json!({
        "type": "object",
        "required": ["numberOfRacks", "nodesPerRack"],
        "properties": {
            "numberOfRacks": intish("Racks (at most 5)"),
            "nodesPerRack": intish("Nodes per rack (at most 10)"),
        },
        "additionalProperties": true,
    })
}

fn firewall_rules() -> Value {
    json!({
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "network": {"type": "string", "description": "Allowed CIDR (or securityGroupId)"},
                "securityGroupId": {"type": "string", "pattern": "^sg-"},
                "rules": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["type"],
                        "properties": {"type": string_enum(FIREWALL_RULE_TYPES, "What the rule opens")},
                    },
                },
            },
            "additionalProperties": true,
        }
    })
}

fn test_hook() -> Value {
    json!({
        "type": "object",
        "description": "Test broker only: the behaviour of this instance (provision, provision-seconds, deprovision, deprovision-seconds, update, bind, unbind, message); removed from the stored parameters",
        "additionalProperties": true,
    })
}

/// `schemas.service_instance.create.parameters` of one plan.
pub fn create_schema(class: &ClassDef, plan: &PlanDef) -> Value {
    json!({
        "$schema": DRAFT_04,
        "type": "object",
        "title": format!("Instaclustr {} cluster ({} plan)", class.name, plan.name),
        "properties": {
            "clusterName": {
                "type": "string", "pattern": "^[A-Za-z0-9_]{1,32}$",
                "description": "Letters, digits and _ (at most 32); default: derived from the instance's name",
            },
            "bundles": bundles_schema(class),
            "provider": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": string_enum(PROVIDERS, "Cloud provider"),
                    "accountName": {"type": ["string", "null"], "description": "Run-in-your-own-account name"},
                    "customVirtualNetworkId": {"type": "string"},
                    "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                    "resourceGroup": {"type": "string", "description": "Azure only"},
                    "diskEncryptionKey": {"type": "string", "description": "AWS_VPC only"},
                },
                "additionalProperties": true,
            },
            "slaTier": {"type": "string", "enum": SLA_TIERS, "default": plan.sla_tier},
            "nodeSize": {"type": "string", "default": plan.node_size, "description": "Instaclustr node size, e.g. t3.small"},
            "dataCentre": {"type": "string", "default": "US_EAST_1", "description": "Region: US_EAST_1 (AWS), CENTRAL_US (Azure), us-east1 (GCP)"},
            "dataCentreCustomName": {"type": "string"},
            "clusterNetwork": {
                "type": "string", "pattern": "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$",
                "description": "Private CIDR, prefix /12 to /22 (default 10.224.0.0/12)",
            },
            "privateNetworkCluster": boolish("Private IPs only"),
            "pciCompliantCluster": boolish("PCI compliance"),
            "rackAllocation": rack_allocation(),
            "firewallRules": firewall_rules(),
            "dataCentres": {
                "type": "array",
                "description": "Multi-DC clusters (Cassandra only), instead of dataCentre",
                "items": {
                    "type": "object",
                    "required": ["dataCentre", "network"],
                    "properties": {
                        "name": {"type": "string"},
                        "dataCentre": {"type": "string"},
                        "network": {"type": "string"},
                        "nodeSize": {"type": "string"},
                        "rackAllocation": rack_allocation(),
                    },
                    "additionalProperties": true,
                },
            },
            "x-test": test_hook(),
        },
        "additionalProperties": true,
    })
}

/// `schemas.service_instance.update.parameters`: what an existing cluster can change.
pub fn update_schema(class: &ClassDef, plan: &PlanDef) -> Value {
    json!({
        "$schema": DRAFT_04,
        "type": "object",
        "title": format!("Changes to an Instaclustr {} cluster ({} plan)", class.name, plan.name),
        "properties": {
            "nodeSize": {"type": "string", "description": "Resize every node to this size"},
            "bundles": bundles_schema(class),
            "rackAllocation": rack_allocation(),
            "firewallRules": firewall_rules(),
            "x-test": test_hook(),
        },
        "additionalProperties": true,
    })
}

/// `schemas.service_binding.create.parameters`.
pub fn binding_schema() -> Value {
    json!({
        "$schema": DRAFT_04,
        "type": "object",
        "title": "Credentials for one application",
        "properties": {
            "username": {
                "type": "string", "pattern": "^[a-z][a-z0-9_-]{0,62}$",
                "description": "The user to create (default: sb- and the binding's id)",
            },
            "x-test": test_hook(),
        },
        "additionalProperties": true,
    })
}

/// The `GET /v2/catalog` document.
pub fn document() -> Value {
    let services: Vec<Value> = CLASSES
        .iter()
        .map(|c| {
            let plans: Vec<Value> = c
                .plans
                .iter()
                .map(|p| {
                    let bundles: Vec<String> =
                        c.bundles.iter().map(|(b, v)| format!("{b} {v}")).collect();
                    let mut plan = json!({
                        "id": p.id,
                        "name": p.name,
                        "description": p.description,
                        "free": p.free,
                        "metadata": {
                            "displayName": p.display_name,
                            "bullets": [
                                format!("{} × {}", p.nodes, p.node_size),
                                format!("SLA tier {}", p.sla_tier),
                                bundles.join(", "),
                            ],
                        },
                        "schemas": {
                            "service_instance": {
                                "create": {"parameters": create_schema(c, p)},
                                "update": {"parameters": update_schema(c, p)},
                            },
                        },
                    });
                    if c.bindable {
                        plan["schemas"]["service_binding"] =
                            json!({"create": {"parameters": binding_schema()}});
                    }
                    plan
                })
                .collect();
            json!({
                "id": c.id,
                "name": c.name,
                "description": c.description,
                "bindable": c.bindable,
                "plan_updateable": true,
                "instances_retrievable": false,
                "bindings_retrievable": false,
                "tags": ["instaclustr", c.name],
                "metadata": {
                    "displayName": c.display_name,
                    "providerDisplayName": "Instaclustr (test broker)",
                    "longDescription": c.description,
                    "documentationUrl": "https://www.instaclustr.com/support/documentation/",
                },
                "plans": plans,
            })
        })
        .collect();
    json!({ "services": services })
}
