//! The broker's catalog: the classes and plans (ids, names, descriptions, free, bindable as the suite's
//! tests know them) and the `GET /v2/catalog` document built from them, with draft-04 parameter schemas
//! describing the Instaclustr provisioning body in both of its shapes: `oneOf` the v2 body of the class's
//! application (from the v2 rules) and the v1 body (from the payload validator's lists), told apart by
//! the version field (`osb::instaclustr::schema::create_schema_v1_v2`), plus this broker's `x-test` key in
//! each form.

use osb::instaclustr::v2::App;
use serde_json::{Value, json};

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
    /// The application of a v2 body (`cassandraVersion` → Cassandra) this class provisions.
    pub app: App,
    /// The `spark` add-on version a v2 body gets by default (Cassandra with Spark).
    pub spark: Option<&'static str>,
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
        app: App::Cassandra,
        spark: None,
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
        app: App::Kafka,
        spark: None,
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
        app: App::Cassandra,
        spark: Some("2.3.2"),
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
        app: App::Cassandra,
        spark: Some("2.3.2"),
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
pub const DRAFT_04: &str = osb::instaclustr::schema::DRAFT_04;

fn test_hook() -> Value {
    json!({
        "type": "object",
        "description": "Test broker only: the behaviour of this instance (provision, provision-seconds, deprovision, deprovision-seconds, update, bind, unbind, message); removed from the stored parameters",
        "additionalProperties": true,
    })
}

/// The plan's knobs in the shared Instaclustr schema (`osb::instaclustr::schema`, built from the payload
/// validator's lists and the v2 rules): the bundles the class allows, the plan's default node size, SLA
/// tier and node count, the class's Spark add-on.
fn plan_schema(class: &ClassDef, plan: &PlanDef) -> osb::instaclustr::schema::PlanSchema<'static> {
    osb::instaclustr::schema::PlanSchema {
        title: format!("Instaclustr {} cluster ({} plan)", class.name, plan.name),
        bundles: class.allowed_bundles,
        node_size: Some(plan.node_size),
        sla_tier: Some(plan.sla_tier),
        nodes: Some(plan.nodes),
        spark: class.spark,
    }
}

/// The shared schema plus this broker's own `x-test` key, in every form of a `oneOf` (the v2 form is
/// closed) or at the top.
fn with_test_hook(mut schema: Value) -> Value {
    match schema.get_mut("oneOf").and_then(Value::as_array_mut) {
        Some(forms) => {
            for f in forms {
                f["properties"]["x-test"] = test_hook();
            }
        }
        None => schema["properties"]["x-test"] = test_hook(),
    }
    schema
}

/// `schemas.service_instance.create.parameters` of one plan: a v2 body of the class's application or a
/// v1 body.
pub fn create_schema(class: &'static ClassDef, plan: &'static PlanDef) -> Value {
    with_test_hook(osb::instaclustr::schema::create_schema_v1_v2(
        &plan_schema(class, plan),
        Some(class.app),
    ))
}

/// `schemas.service_instance.update.parameters`: the same bodies (an update sends all the parameters).
pub fn update_schema(class: &'static ClassDef, plan: &'static PlanDef) -> Value {
    with_test_hook(osb::instaclustr::schema::update_schema_v1_v2(
        &plan_schema(class, plan),
        Some(class.app),
    ))
}

/// `schemas.service_binding.create.parameters`: closed, so a mistyped key is refused before the bind.
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
            "role": {
                "type": "string", "enum": ["ro", "rw"], "default": "rw",
                "description": "Read-only or read-write credentials (recorded; this test broker issues the same keys for both)",
            },
            "x-test": test_hook(),
        },
        "additionalProperties": false,
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
                "instances_retrievable": true,
                // GET binding serves the credentials of every bindable class: the controller (with the
                // AsyncBindingOperations gate) then sends accepts_incomplete=true on binds and unbinds.
                "bindings_retrievable": c.bindable,
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

/// Generated offerings served after [`CLASSES`], for scale tests (`bench/scale.sh`): `classes` classes
/// `scale-NN`, each with `plans_per_class` plans `plan-NN-NNNN` (unique across classes) and a small draft-04
/// parameter schema. Catalog only: a provision of one is refused as of an unknown service (the benchmark
/// stops the controller before it creates any instance).
/// The default (none) leaves the catalog the end-to-end tests know unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Extra {
    pub classes: usize,
    pub plans_per_class: usize,
}

impl Extra {
    /// How many plans the extra classes add.
    pub fn plans(&self) -> usize {
        self.classes * self.plans_per_class
    }

    /// The external name of extra class `i`.
    pub fn class_name(i: usize) -> String {
        format!("scale-{i:02}")
    }

    /// The external name of plan `j` of class `i` (unique across the classes, so a count of distinct
    /// plan names in any listing is a count of plans).
    pub fn plan_name(i: usize, j: usize) -> String {
        format!("plan-{i:02}-{j:04}")
    }

    /// Parse `CLASSESxPLANS` (e.g. `10x100`); `0` or the empty string is none.
    pub fn parse(s: &str) -> Result<Extra, String> {
        let s = s.trim();
        if s.is_empty() || s == "0" {
            return Ok(Extra::default());
        }
        let (c, p) = s
            .split_once('x')
            .ok_or_else(|| format!("{s:?}: expected CLASSESxPLANS, e.g. 10x100"))?;
        let num = |v: &str| {
            v.trim()
                .parse::<usize>()
                .map_err(|e| format!("{s:?}: {v:?}: {e}"))
        };
        Ok(Extra {
            classes: num(c)?,
            plans_per_class: num(p)?,
        })
    }

    fn service(&self, i: usize) -> Value {
        let plans: Vec<Value> = (0..self.plans_per_class)
            .map(|j| {
                json!({
                    "id": format!("scale-plan-{i:03}-{j:05}"),
                    "name": Extra::plan_name(i, j),
                    "description": format!("Generated plan {j} of class {i}"),
                    "free": j % 2 == 0,
                    "metadata": {"displayName": format!("Plan {j}")},
                    "schemas": {"service_instance": {"create": {"parameters": {
                        "$schema": DRAFT_04,
                        "type": "object",
                        "properties": {
                            "size": {"type": "integer", "minimum": 1, "maximum": 64, "default": 1,
                                     "description": "Nodes"},
                            "region": {"type": "string", "enum": ["eu", "us", "ap"], "default": "eu",
                                       "description": "Where the nodes run"},
                        },
                        "additionalProperties": false,
                    }}}},
                })
            })
            .collect();
        json!({
            "id": format!("scale-class-{i:03}"),
            "name": Extra::class_name(i),
            "description": format!("Generated class {i} (scale tests)"),
            "bindable": true,
            "plan_updateable": true,
            "tags": ["scale"],
            "metadata": {"displayName": format!("Scale {i}")},
            "plans": plans,
        })
    }
}

/// The `GET /v2/catalog` document with `extra`'s generated classes after [`CLASSES`].
pub fn document_with(extra: Extra) -> Value {
    let mut doc = document();
    if let Some(services) = doc["services"].as_array_mut() {
        services.extend((0..extra.classes).map(|i| extra.service(i)));
    }
    doc
}
