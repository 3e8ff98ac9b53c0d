//! The simulated broker's catalog: a Ready `ClusterServiceBroker` named `instaclustr` and its classes and
//! plans (cassandra, kafka, spark, zeppelin), labelled with the hashed lookup labels the catalog's
//! webhooks maintain.

use std::collections::BTreeMap;

use kube::Api;
use kube::api::{Patch, PatchParams};
use osb::catalog::{
    ClusterServiceBroker, ClusterServiceBrokerSpec, ClusterServiceClass, ClusterServiceClassSpec,
    ClusterServicePlan, ClusterServicePlanSpec, CommonServiceBrokerSpec, CommonServiceClassSpec,
    CommonServicePlanSpec, Condition, LABEL_PREFIX, LocalObjectReference, ServiceBrokerStatus,
    label_hash,
};

/// The broker's name.
pub const BROKER: &str = "instaclustr";

/// One class of the simulated catalog.
pub struct ClassDef {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub bindable: bool,
    pub plans: &'static [PlanDef],
}

/// One plan.
pub struct PlanDef {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub free: bool,
}

/// The catalog the simulated broker serves.
pub const CLASSES: &[ClassDef] = &[
    ClassDef {
        id: "6f2a9d4e-0c1b-4f7a-9a51-cassandra001",
        name: "cassandra",
        description: "Managed Apache Cassandra cluster",
        bindable: true,
        plans: &[
            PlanDef {
                id: "6f2a9d4e-0c1b-4f7a-9a51-cassplan0001",
                name: "developer",
                description: "3 small nodes, one rack each, for development",
                free: true,
            },
            PlanDef {
                id: "6f2a9d4e-0c1b-4f7a-9a51-cassplan0002",
                name: "production-small",
                description: "3 nodes, 4 vCPU / 16 GiB each",
                free: false,
            },
            PlanDef {
                id: "6f2a9d4e-0c1b-4f7a-9a51-cassplan0003",
                name: "production-large",
                description: "6 nodes, 8 vCPU / 64 GiB each",
                free: false,
            },
        ],
    },
    ClassDef {
        id: "8b1e7c3a-55d2-4e0f-8c77-kafka0000001",
        name: "kafka",
        description: "Managed Apache Kafka cluster",
        bindable: true,
        plans: &[
            PlanDef {
                id: "8b1e7c3a-55d2-4e0f-8c77-kafkaplan001",
                name: "developer",
                description: "3 small brokers for development",
                free: true,
            },
            PlanDef {
                id: "8b1e7c3a-55d2-4e0f-8c77-kafkaplan002",
                name: "production",
                description: "3 brokers, dedicated ZooKeeper",
                free: false,
            },
        ],
    },
    ClassDef {
        id: "2c9f0b6d-7e14-4a3b-b2d8-spark0000001",
        name: "spark",
        description: "Apache Spark add-on for a Cassandra cluster",
        bindable: true,
        plans: &[PlanDef {
            id: "2c9f0b6d-7e14-4a3b-b2d8-sparkplan001",
            name: "standard",
            description: "Spark workers beside each Cassandra node",
            free: false,
        }],
    },
    ClassDef {
        id: "4d8a1f2e-93c6-4b5d-a0e9-zeppelin0001",
        name: "zeppelin",
        description: "Apache Zeppelin notebooks (not bindable)",
        bindable: false,
        plans: &[PlanDef {
            id: "4d8a1f2e-93c6-4b5d-a0e9-zeppplan0001",
            name: "standard",
            description: "One Zeppelin server",
            free: false,
        }],
    },
];

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (format!("{LABEL_PREFIX}{k}"), label_hash(v)))
        .collect()
}

/// Publish (or refresh) the broker, classes and plans, and mark the broker Ready.
pub async fn publish(client: &kube::Client) -> anyhow::Result<()> {
    let pp = PatchParams::apply("osb-simulator").force();
    let brokers: Api<ClusterServiceBroker> = Api::all(client.clone());
    let mut broker = ClusterServiceBroker::new(
        BROKER,
        ClusterServiceBrokerSpec {
            common: CommonServiceBrokerSpec {
                url: "https://osb-simulator.invalid/instaclustr".into(),
                relist_behavior: Some("Duration".into()),
                relist_duration: Some("15m0s".into()),
                relist_requests: Some(0),
                ..Default::default()
            },
        },
    );
    broker.metadata.finalizers = Some(vec![osb::catalog::FINALIZER.into()]);
    brokers.patch(BROKER, &pp, &Patch::Apply(&broker)).await?;

    let classes: Api<ClusterServiceClass> = Api::all(client.clone());
    let plans: Api<ClusterServicePlan> = Api::all(client.clone());
    for c in CLASSES {
        let mut class = ClusterServiceClass::new(
            c.id,
            ClusterServiceClassSpec {
                common: CommonServiceClassSpec {
                    external_name: c.name.into(),
                    external_id: c.id.into(),
                    description: Some(c.description.into()),
                    bindable: Some(c.bindable),
                    binding_retrievable: Some(false),
                    plan_updatable: Some(true),
                    tags: Some(vec!["instaclustr".into(), c.name.into()]),
                    ..Default::default()
                },
                cluster_service_broker_name: BROKER.into(),
            },
        );
        class.metadata.labels = Some(labels(&[
            ("spec.externalName", c.name),
            ("spec.externalID", c.id),
            ("spec.clusterServiceBrokerName", BROKER),
        ]));
        classes.patch(c.id, &pp, &Patch::Apply(&class)).await?;
        for p in c.plans {
            let mut plan = ClusterServicePlan::new(
                p.id,
                ClusterServicePlanSpec {
                    common: CommonServicePlanSpec {
                        external_name: p.name.into(),
                        external_id: p.id.into(),
                        description: Some(p.description.into()),
                        free: Some(p.free),
                        ..Default::default()
                    },
                    cluster_service_broker_name: BROKER.into(),
                    cluster_service_class_ref: LocalObjectReference { name: c.id.into() },
                },
            );
            plan.metadata.labels = Some(labels(&[
                ("spec.externalName", p.name),
                ("spec.externalID", p.id),
                ("spec.clusterServiceClassRef.name", c.id),
                ("spec.clusterServiceBrokerName", BROKER),
            ]));
            plans.patch(p.id, &pp, &Patch::Apply(&plan)).await?;
        }
    }
    let now = jiff::Timestamp::now().to_string();
    let status = ServiceBrokerStatus {
        conditions: Some(vec![Condition {
            type_: "Ready".into(),
            status: "True".into(),
            last_transition_time: Some(now.clone()),
            reason: Some("FetchedCatalog".into()),
            message: Some("Successfully fetched catalog entries from broker.".into()),
        }]),
        reconciled_generation: Some(1),
        last_catalog_retrieval_time: Some(now),
        last_condition_state: Some("Ready".into()),
        ..Default::default()
    };
    brokers
        .patch_status(
            BROKER,
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"status": status})),
        )
        .await?;
    Ok(())
}
