//! The broker driven over HTTP on loopback, as the controller would.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::state::{REQUEST_LOG_LIMIT, RequestRecord, State};
use super::*;

const CASSANDRA: &str = "6f2a9d4e-0c1b-4f7a-9a51-cassandra001";
const CASS_DEV: &str = "6f2a9d4e-0c1b-4f7a-9a51-cassplan0001";
const CASS_SMALL: &str = "6f2a9d4e-0c1b-4f7a-9a51-cassplan0002";
const KAFKA: &str = "8b1e7c3a-55d2-4e0f-8c77-kafka0000001";
const KAFKA_DEV: &str = "8b1e7c3a-55d2-4e0f-8c77-kafkaplan001";
const ZEPPELIN: &str = "4d8a1f2e-93c6-4b5d-a0e9-zeppelin0001";
const ZEPP_STD: &str = "4d8a1f2e-93c6-4b5d-a0e9-zeppplan0001";

struct T {
    broker: Broker,
    http: reqwest::Client,
}

impl T {
    fn new() -> T {
        T {
            broker: Broker::start().expect("the broker starts"),
            http: reqwest::Client::new(),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        version: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.broker.url));
        if let Some(v) = version {
            req = req.header("X-Broker-API-Version", v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("the broker answers");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("a body");
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}"))
        };
        (status, value)
    }

    async fn osb(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        self.send(method, path, Some("2.13"), body).await
    }

    async fn provision(&self, id: &str, body: Value) -> (u16, Value) {
        self.osb(
            Method::PUT,
            &format!("/v2/service_instances/{id}?accepts_incomplete=true"),
            Some(body),
        )
        .await
    }

    async fn last_op(&self, id: &str, op: &str) -> (u16, Value) {
        self.osb(
            Method::GET,
            &format!("/v2/service_instances/{id}/last_operation?operation={op}"),
            None,
        )
        .await
    }

    async fn deprovision(&self, id: &str, service: &str, plan: &str) -> (u16, Value) {
        self.osb(
            Method::DELETE,
            &format!(
                "/v2/service_instances/{id}?service_id={service}&plan_id={plan}&accepts_incomplete=true"
            ),
            None,
        )
        .await
    }

    async fn bind(&self, id: &str, bid: &str, body: Value) -> (u16, Value) {
        self.osb(
            Method::PUT,
            &format!("/v2/service_instances/{id}/service_bindings/{bid}"),
            Some(body),
        )
        .await
    }

    async fn unbind(&self, id: &str, bid: &str, service: &str, plan: &str) -> (u16, Value) {
        self.osb(
            Method::DELETE,
            &format!(
                "/v2/service_instances/{id}/service_bindings/{bid}?service_id={service}&plan_id={plan}"
            ),
            None,
        )
        .await
    }

    /// Poll until the operation is no longer in progress; the last answer.
    async fn settle(&self, id: &str, op: &str) -> (u16, Value) {
        for _ in 0..100 {
            let (code, body) = self.last_op(id, op).await;
            if code != 200 || body["state"] != "in progress" {
                return (code, body);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("operation {op} of {id} still in progress after 5 s");
    }

    fn instance(&self, id: &str) -> InstanceInfo {
        self.broker
            .instances()
            .into_iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("instance {id} is known"))
    }
}

/// A provision body as the v0.3.1 controller sends it.
fn body(service: &str, plan: &str, ns: &str, name: &str, params: Value) -> Value {
    json!({
        "service_id": service, "plan_id": plan,
        "organization_guid": "cluster-uid", "space_guid": ns,
        "parameters": params,
        "context": {"platform": "kubernetes", "namespace": ns, "instance_name": name, "clusterid": "cluster-uid"},
    })
}

/// A 400 answer with the OSB error `BadRequest` and this description.
#[track_caller]
fn refused(reply: (u16, Value), description: &str) {
    assert_eq!(
        reply,
        (
            400,
            json!({"error": "BadRequest", "description": description})
        )
    );
}

fn op_of(v: &Value) -> String {
    v["operation"]
        .as_str()
        .unwrap_or_else(|| panic!("an operation in {v}"))
        .to_string()
}

#[tokio::test]
async fn catalog_serves_the_classes_and_valid_draft4_schemas() {
    let t = T::new();
    let (code, cat) = t.osb(Method::GET, "/v2/catalog", None).await;
    assert_eq!(code, 200);
    let services = cat["services"].as_array().expect("services");
    let names: Vec<&str> = services
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["cassandra", "kafka", "spark", "zeppelin"]);
    let plans = |name: &str| -> Vec<String> {
        services
            .iter()
            .find(|s| s["name"] == name)
            .expect("service")["plans"]
            .as_array()
            .expect("plans")
            .iter()
            .map(|p| p["name"].as_str().expect("plan name").to_string())
            .collect()
    };
    assert_eq!(
        plans("cassandra"),
        ["developer", "production-small", "production-large"]
    );
    assert_eq!(plans("kafka"), ["developer", "production"]);
    assert_eq!(plans("spark"), ["standard"]);
    assert_eq!(plans("zeppelin"), ["standard"]);

    let payload = json!({
        "clusterName": "osb_cassandra",
        "bundles": [{"bundle": "APACHE_CASSANDRA", "version": "3.11.4", "options": {"authnAuthz": true}}],
        "provider": {"name": "AWS_VPC"}, "slaTier": "NON_PRODUCTION", "nodeSize": "t3.small",
        "dataCentre": "US_EAST_1", "clusterNetwork": "10.224.0.0/16",
        "rackAllocation": {"numberOfRacks": 3, "nodesPerRack": 1},
        "x-test": {"provision": "fail"},
    });
    let mut schemas = 0;
    for (s, class) in services.iter().zip(catalog::CLASSES) {
        assert_eq!(s["id"], class.id);
        assert_eq!(s["description"], class.description);
        assert_eq!(s["bindable"], class.bindable);
        assert_eq!(s["plan_updateable"], true);
        assert_eq!(s["instances_retrievable"], true);
        assert_eq!(s["bindings_retrievable"], class.bindable);
        assert_eq!(
            s["metadata"]["providerDisplayName"],
            "Instaclustr (test broker)"
        );
        assert!(s["metadata"]["displayName"].is_string());
        assert!(s["tags"].as_array().is_some_and(|t| !t.is_empty()));
        for (p, plan) in s["plans"]
            .as_array()
            .expect("plans")
            .iter()
            .zip(class.plans)
        {
            assert_eq!(p["id"], plan.id);
            assert_eq!(p["description"], plan.description);
            assert_eq!(p["free"], plan.free);
            assert!(p["metadata"]["displayName"].is_string());
            assert!(p["metadata"]["bullets"].is_array());
            let mut found = vec![
                &p["schemas"]["service_instance"]["create"]["parameters"],
                &p["schemas"]["service_instance"]["update"]["parameters"],
            ];
            if class.bindable {
                found.push(&p["schemas"]["service_binding"]["create"]["parameters"]);
            } else {
                assert!(p["schemas"].get("service_binding").is_none());
            }
            for schema in found {
                assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
                assert_eq!(schema["type"], "object");
                if let Err(e) = jsonschema::draft4::meta::validate(schema) {
                    panic!("{}/{}: not a draft-04 schema: {e}", class.name, plan.name);
                }
                jsonschema::draft4::new(schema).expect("the schema compiles");
                schemas += 1;
            }
            let create =
                jsonschema::draft4::new(&p["schemas"]["service_instance"]["create"]["parameters"])
                    .expect("compiles");
            if class.name == "cassandra" {
                assert!(create.is_valid(&payload), "the reference payload is valid");
                let mut bad = payload.clone();
                bad["slaTier"] = json!("PRODUCTON");
                assert!(!create.is_valid(&bad));
                bad = payload.clone();
                bad["bundles"] = json!([{"bundle": "APACHE_CASANDRA"}]);
                assert!(!create.is_valid(&bad));
            }
            // Permissive: extra properties still validate.
            assert!(create.is_valid(&json!({"nodes": 3, "password": "x"})));
        }
    }
    assert_eq!(schemas, 3 * 7 - 1, "zeppelin's plan has no binding schema");
    // The schemas are the whole provisioning body in both shapes now (osb::instaclustr::schema, v1 and v2):
    // about 40 KB per plan. Each plan becomes one ClusterServicePlan object; keep each far below etcd's
    // 1.5 MB request limit.
    for s in services {
        for p in s["plans"].as_array().expect("plans") {
            let plan = p.to_string().len();
            assert!(plan < 64_000, "{}: plan of {plan} bytes", p["name"]);
        }
    }
    let size = cat.to_string().len();
    assert!(size < 350_000, "catalog of {size} bytes");
}

#[tokio::test]
async fn every_v2_request_needs_api_version_2_13_or_later() {
    let t = T::new();
    let (code, body) = t.send(Method::GET, "/v2/catalog", None, None).await;
    assert_eq!(code, 412);
    assert_eq!(body["error"], "PreconditionFailed");
    assert!(
        body["description"]
            .as_str()
            .is_some_and(|d| d.contains("X-Broker-API-Version"))
    );
    for (v, want) in [
        ("2.12", 412),
        ("1.14", 412),
        ("two", 412),
        ("2.13", 200),
        ("2.14", 200),
    ] {
        let (code, _) = t.send(Method::GET, "/v2/catalog", Some(v), None).await;
        assert_eq!(code, want, "version {v}");
    }
    let (code, _) = t
        .send(
            Method::PUT,
            "/v2/service_instances/x?accepts_incomplete=true",
            None,
            Some(body_for_x()),
        )
        .await;
    assert_eq!(code, 412);
    assert!(
        t.broker.instances().is_empty(),
        "nothing provisioned without the header"
    );
    // Admin endpoints need no header.
    let (code, _) = t.send(Method::GET, "/admin/instances", None, None).await;
    assert_eq!(code, 200);
    let (code, body) = t.osb(Method::GET, "/v2/service_instances/x", None).await;
    assert_eq!(code, 404, "no such instance");
    assert_eq!(body["error"], "NotFound");
    let log = t.broker.requests();
    assert_eq!(
        log.len(),
        8,
        "every /v2 request is logged, no admin one: {log:#?}"
    );
    assert_eq!(log[0].status, 412);
    assert_eq!(log[0].api_version, None);
    assert_eq!(log[6].method, "PUT");
    assert_eq!(log[6].instance_id.as_deref(), Some("x"));
    assert_eq!(log[6].namespace.as_deref(), None);
}

fn body_for_x() -> Value {
    body(CASSANDRA, CASS_DEV, "ns", "x", json!({}))
}

#[tokio::test]
async fn async_provision_reports_progress_then_succeeds() {
    let t = T::new();
    let params = json!({
        "clusterName": "c1", "rackAllocation": {"numberOfRacks": 2, "nodesPerRack": 2},
        "x-test": {"provision-seconds": 0.6},
    });
    let b = body(CASSANDRA, CASS_DEV, "dev", "db", params.clone());
    let (code, r) = t.provision("i-1", b.clone()).await;
    assert_eq!(code, 202, "{r}");
    let op = op_of(&r);
    assert!(op.starts_with("provision-"));
    assert_eq!(
        r["dashboard_url"],
        "https://console.instaclustr.example/clusters/i-1"
    );
    let (code, r) = t.last_op("i-1", &op).await;
    assert_eq!(code, 200);
    assert_eq!(r["state"], "in progress");
    assert_eq!(r["description"], "Provisioning: 0 of 4 nodes running");
    let info = t.instance("i-1");
    assert_eq!(info.state, InstanceState::Provisioning);
    assert_eq!(info.namespace.as_deref(), Some("dev"));
    assert_eq!(info.instance_name.as_deref(), Some("db"));
    assert_eq!(info.service_name.as_deref(), Some("cassandra"));
    assert_eq!(info.plan_name.as_deref(), Some("developer"));
    assert_eq!(
        info.parameters,
        json!({"clusterName": "c1", "rackAllocation": {"numberOfRacks": 2, "nodesPerRack": 2}}),
        "x-test is not stored with the parameters"
    );
    assert_eq!(info.behaviour.provision_seconds, Some(0.6));

    // Identical repeat while provisioning: 202 with the same operation; a conflicting one: 409.
    let (code, r) = t.provision("i-1", b.clone()).await;
    assert_eq!((code, op_of(&r)), (202, op.clone()));
    let (code, r) = t
        .provision(
            "i-1",
            body(CASSANDRA, CASS_SMALL, "dev", "db", params.clone()),
        )
        .await;
    assert_eq!(code, 409, "{r}");

    let (code, r) = t.settle("i-1", &op).await;
    assert_eq!(code, 200);
    assert_eq!(r["state"], "succeeded");
    assert_eq!(r["description"], "Cluster RUNNING: 4 of 4 nodes running");
    assert_eq!(t.instance("i-1").state, InstanceState::Ready);
    // Without an operation the last one is reported.
    let (_, r) = t
        .osb(
            Method::GET,
            "/v2/service_instances/i-1/last_operation",
            None,
        )
        .await;
    assert_eq!(r["state"], "succeeded");
    let (code, r) = t.provision("i-1", b).await;
    assert_eq!(code, 200, "identical repeat of a ready instance");
    assert!(r["dashboard_url"].is_string());
    let (code, _) = t.last_op("i-1", "provision-nope").await;
    assert_eq!(code, 400, "an unknown operation");
}

#[tokio::test]
async fn provision_checks_its_request() {
    let t = T::new();
    let b = body(CASSANDRA, CASS_DEV, "dev", "db", json!({}));
    let (code, r) = t
        .osb(Method::PUT, "/v2/service_instances/i-2", Some(b.clone()))
        .await;
    assert_eq!(code, 422);
    assert_eq!(
        r,
        json!({"error": "AsyncRequired", "description": "This service plan requires client support for asynchronous service operations."})
    );
    let (code, r) = t
        .provision("i-2", body("nope", CASS_DEV, "dev", "db", json!({})))
        .await;
    assert_eq!((code, &r["error"]), (400, &json!("BadRequest")));
    assert!(
        r["description"]
            .as_str()
            .is_some_and(|d| d.contains("service_id"))
    );
    let (code, r) = t
        .provision("i-2", body(CASSANDRA, KAFKA_DEV, "dev", "db", json!({})))
        .await;
    assert_eq!(code, 400);
    assert!(
        r["description"]
            .as_str()
            .is_some_and(|d| d.contains("plan_id"))
    );
    let (code, r) = t
        .provision(
            "i-2",
            body(
                CASSANDRA,
                CASS_DEV,
                "dev",
                "db",
                json!({"x-test": {"provison": "fail"}}),
            ),
        )
        .await;
    assert_eq!(code, 400);
    assert!(
        r["description"]
            .as_str()
            .is_some_and(|d| d.contains("provison")),
        "{r}"
    );
    let (code, _) = t
        .provision(
            "i-2",
            body(
                CASSANDRA,
                CASS_DEV,
                "dev",
                "db",
                json!({"x-test": {"provision-seconds": -1}}),
            ),
        )
        .await;
    assert_eq!(code, 400);
    let (code, _) = t
        .provision("i-2", body(CASSANDRA, CASS_DEV, "dev", "db", json!([1])))
        .await;
    assert_eq!(code, 400, "parameters must be an object");
    let (code, _) = t
        .osb(
            Method::PUT,
            "/v2/service_instances/i-2?accepts_incomplete=true",
            Some(json!({"plan_id": CASS_DEV})),
        )
        .await;
    assert_eq!(code, 400, "service_id is required");
    assert!(t.broker.instances().is_empty());
    // A synchronous plan behaviour needs no accepts_incomplete.
    let (code, r) = t
        .osb(
            Method::PUT,
            "/v2/service_instances/i-3",
            Some(body(
                CASSANDRA,
                CASS_DEV,
                "dev",
                "db",
                json!({"x-test": {"provision": "sync"}}),
            )),
        )
        .await;
    assert_eq!(code, 201);
    assert!(r.get("operation").is_none());
    assert_eq!(t.instance("i-3").state, InstanceState::Ready);
    let (code, r) = t
        .osb(
            Method::GET,
            "/v2/service_instances/i-3/last_operation",
            None,
        )
        .await;
    assert_eq!((code, &r["state"]), (200, &json!("succeeded")));
}

#[tokio::test]
async fn provision_failure_modes() {
    let t = T::new();
    let with = |b: Value| body(CASSANDRA, CASS_DEV, "dev", "db", json!({"x-test": b}));

    // fail: accepted, then failed with the message; the orphan-mitigation DELETE forgets it.
    let (code, r) = t
        .provision(
            "f",
            with(json!({"provision": "fail", "provision-seconds": 0.2, "message": "no capacity in US_EAST_1"})),
        )
        .await;
    assert_eq!(code, 202);
    let op = op_of(&r);
    let (code, r) = t.settle("f", &op).await;
    assert_eq!(code, 200);
    assert_eq!(
        r,
        json!({"state": "failed", "description": "no capacity in US_EAST_1"})
    );
    assert_eq!(t.instance("f").state, InstanceState::Failed);
    let (code, r) = t.deprovision("f", CASSANDRA, CASS_DEV).await;
    assert_eq!((code, r), (200, json!({})));
    assert_eq!(t.instance("f").state, InstanceState::Gone);
    let (code, _) = t.deprovision("f", CASSANDRA, CASS_DEV).await;
    assert_eq!(code, 410);
    // A failed provision's id can be provisioned again.
    let (code, _) = t.provision("f", with(json!({"provision": "sync"}))).await;
    assert_eq!(code, 201);

    // fail with the default description.
    let (_, r) = t
        .provision(
            "f2",
            with(json!({"provision": "fail", "provision-seconds": 0})),
        )
        .await;
    let (_, r) = t.settle("f2", &op_of(&r)).await;
    assert_eq!(r["state"], "failed");
    assert!(
        r["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("Cluster FAILED"))
    );

    // reject: 400 at once, nothing created.
    let (code, r) = t
        .provision(
            "r",
            with(json!({"provision": "reject", "message": "bad nodeSize"})),
        )
        .await;
    refused((code, r), "bad nodeSize");
    // retry: 500 every time, nothing created; the orphan-mitigation DELETE gets 410.
    for _ in 0..3 {
        let (code, r) = t.provision("x", with(json!({"provision": "retry"}))).await;
        assert_eq!(code, 500);
        assert!(
            r["description"]
                .as_str()
                .is_some_and(|d| d.contains("unavailable"))
        );
        let (code, _) = t.deprovision("x", CASSANDRA, CASS_DEV).await;
        assert_eq!(code, 410);
    }
    assert!(
        t.broker
            .instances()
            .iter()
            .all(|i| i.id != "r" && i.id != "x")
    );

    // hang: in progress for ever, until an admin PUT releases it.
    let (code, r) = t
        .provision(
            "h",
            with(json!({"provision": "hang", "provision-seconds": 0.1})),
        )
        .await;
    assert_eq!(code, 202);
    let op = op_of(&r);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, r) = t.last_op("h", &op).await;
    assert_eq!(r["state"], "in progress");
    assert_eq!(r["description"], "Provisioning: 2 of 3 nodes running");
    // No update while provisioning.
    let (code, _) = t
        .osb(
            Method::PATCH,
            "/v2/service_instances/h?accepts_incomplete=true",
            Some(json!({"service_id": CASSANDRA})),
        )
        .await;
    assert_eq!(code, 422);
    // An admin PUT changes an instance already provisioning under its namespace/name: hang it, then
    // release it.
    let (code, _) = t
        .provision("h2", body(CASSANDRA, CASS_DEV, "dev", "hung", json!({})))
        .await;
    assert_eq!(code, 202);
    t.broker.set_behaviour(
        "dev",
        "hung",
        &Behaviour {
            provision: Some(ProvisionMode::Hang),
            ..Default::default()
        },
    );
    let (_, r) = t
        .provision("h2", body(CASSANDRA, CASS_DEV, "dev", "hung", json!({})))
        .await;
    let op2 = op_of(&r);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(t.last_op("h2", &op2).await.1["state"], "in progress");
    let (code, _) = t
        .send(
            Method::PUT,
            "/admin/behaviours/dev/hung",
            None,
            Some(json!({"provision": "succeed"})),
        )
        .await;
    assert_eq!(code, 204);
    assert_eq!(t.last_op("h2", &op2).await.1["state"], "succeeded");
}

#[tokio::test]
async fn deprovision_modes() {
    let t = T::new();
    let ready = |id: &'static str, b: Value| {
        let t = &t;
        async move {
            let (code, _) = t
                .provision(
                    id,
                    body(CASSANDRA, CASS_DEV, "dev", id, json!({"x-test": b})),
                )
                .await;
            assert!(code == 201, "{id}: {code}");
        }
    };

    // succeed: async, then 410 Gone.
    ready(
        "d1",
        json!({"provision": "sync", "deprovision-seconds": 0.3}),
    )
    .await;
    let (code, r) = t
        .osb(
            Method::DELETE,
            &format!("/v2/service_instances/d1?service_id={CASSANDRA}&plan_id={CASS_DEV}"),
            None,
        )
        .await;
    assert_eq!((code, &r["error"]), (422, &json!("AsyncRequired")));
    let (code, r) = t.deprovision("d1", CASSANDRA, CASS_DEV).await;
    assert_eq!(code, 202);
    let op = op_of(&r);
    assert!(op.starts_with("deprovision-"));
    let (code, r) = t.last_op("d1", &op).await;
    assert_eq!(code, 200);
    assert_eq!(r["state"], "in progress");
    assert_eq!(t.instance("d1").state, InstanceState::Deprovisioning);
    let (code, r) = t.deprovision("d1", CASSANDRA, CASS_DEV).await;
    assert_eq!(
        (code, op_of(&r)),
        (202, op.clone()),
        "a repeat while deprovisioning"
    );
    let (code, r) = t.settle("d1", &op).await;
    assert_eq!((code, r), (410, json!({})));
    assert_eq!(t.instance("d1").state, InstanceState::Gone);
    assert_eq!(t.deprovision("d1", CASSANDRA, CASS_DEV).await.0, 410);
    // Unknown instances: 410 for a deprovision operation, 404 otherwise.
    assert_eq!(t.last_op("nope", "deprovision-123").await.0, 410);
    assert_eq!(t.last_op("nope", "provision-123").await.0, 404);
    assert_eq!(t.deprovision("nope", CASSANDRA, CASS_DEV).await.0, 410);
    let (code, _) = t
        .osb(Method::DELETE, "/v2/service_instances/nope?plan_id=p", None)
        .await;
    assert_eq!(code, 400, "service_id is required");

    // 0 seconds: synchronous.
    ready("d2", json!({"provision": "sync", "deprovision-seconds": 0})).await;
    assert_eq!(
        t.deprovision("d2", CASSANDRA, CASS_DEV).await,
        (200, json!({}))
    );

    // fail: 400 with the message, the instance stays; retry: 500.
    ready(
        "d3",
        json!({"provision": "sync", "deprovision": "fail", "message": "delete protection"}),
    )
    .await;
    assert_eq!(
        t.deprovision("d3", CASSANDRA, CASS_DEV).await,
        (
            400,
            json!({"error": "BadRequest", "description": "delete protection"})
        )
    );
    assert_eq!(t.instance("d3").state, InstanceState::Ready);
    ready("d4", json!({"provision": "sync", "deprovision": "retry"})).await;
    let (code, r) = t.deprovision("d4", CASSANDRA, CASS_DEV).await;
    assert_eq!((code, &r["error"]), (500, &json!("InternalServerError")));

    // async-fail: accepted, then failed; the instance stays ready.
    ready(
        "d5",
        json!({"provision": "sync", "deprovision": "async-fail", "deprovision-seconds": 0.1}),
    )
    .await;
    let (code, r) = t.deprovision("d5", CASSANDRA, CASS_DEV).await;
    assert_eq!(code, 202);
    let (code, r) = t.settle("d5", &op_of(&r)).await;
    assert_eq!(code, 200);
    assert_eq!(r["state"], "failed");
    assert!(
        r["description"]
            .as_str()
            .is_some_and(|d| d.contains("deletion failed"))
    );
    assert_eq!(t.instance("d5").state, InstanceState::Ready);
}

#[tokio::test]
async fn x_test_wins_over_the_admin_registry_key_by_key() {
    let t = T::new();
    // The registry, over HTTP: reject, with a message.
    let (code, _) = t
        .send(
            Method::PUT,
            "/admin/behaviours/dev/db",
            None,
            Some(json!({"provision": "reject", "message": "from the registry"})),
        )
        .await;
    assert_eq!(code, 204);
    let (code, r) = t.send(Method::GET, "/admin/behaviours", None, None).await;
    assert_eq!(code, 200);
    assert_eq!(
        r,
        json!({"dev/db": {"provision": "reject", "message": "from the registry"}})
    );
    let (code, r) = t
        .provision("a", body(CASSANDRA, CASS_DEV, "dev", "db", json!({})))
        .await;
    refused((code, r), "from the registry");
    // Other namespaces/names are not affected.
    let (code, _) = t
        .provision(
            "b",
            body(
                CASSANDRA,
                CASS_DEV,
                "other",
                "db",
                json!({"x-test": {"provision": "sync"}}),
            ),
        )
        .await;
    assert_eq!(code, 201);
    // x-test's provision wins; the registry's message still applies.
    let (code, r) = t
        .provision(
            "a",
            body(
                CASSANDRA,
                CASS_DEV,
                "dev",
                "db",
                json!({"x-test": {"provision": "fail", "provision-seconds": 0}}),
            ),
        )
        .await;
    assert_eq!(code, 202);
    let (_, r) = t.settle("a", &op_of(&r)).await;
    assert_eq!(
        r,
        json!({"state": "failed", "description": "from the registry"})
    );
    assert_eq!(t.deprovision("a", CASSANDRA, CASS_DEV).await.0, 200);

    // A PUT after provisioning changes the instance already provisioned under that context.
    let (code, _) = t
        .provision(
            "c",
            body(
                KAFKA,
                KAFKA_DEV,
                "dev",
                "kf",
                json!({"x-test": {"provision": "sync"}}),
            ),
        )
        .await;
    assert_eq!(code, 201);
    t.send(
        Method::PUT,
        "/admin/behaviours/dev/kf",
        None,
        Some(json!({"deprovision": "fail", "message": "stuck"})),
    )
    .await;
    assert_eq!(
        t.instance("c").behaviour.deprovision,
        Some(DeprovisionMode::Fail)
    );
    // … and a DELETE of the registry entry leaves it as it is.
    let (code, _) = t
        .send(Method::DELETE, "/admin/behaviours/dev/kf", None, None)
        .await;
    assert_eq!(code, 204);
    let (_, r) = t.send(Method::GET, "/admin/behaviours", None, None).await;
    assert!(r.get("dev/kf").is_none());
    assert_eq!(
        t.deprovision("c", KAFKA, KAFKA_DEV).await,
        (400, json!({"error": "BadRequest", "description": "stuck"}))
    );
    t.broker.set_behaviour(
        "dev",
        "kf",
        &Behaviour {
            deprovision_seconds: Some(0.0),
            ..Default::default()
        },
    );
    assert_eq!(t.deprovision("c", KAFKA, KAFKA_DEV).await.0, 200);

    // A bad behaviour is refused.
    let (code, r) = t
        .send(
            Method::PUT,
            "/admin/behaviours/dev/x",
            None,
            Some(json!({"provision": "explode"})),
        )
        .await;
    assert_eq!(code, 400);
    assert_eq!(r["error"], "BadRequest");
    // camelCase is accepted for the two-word keys.
    let (code, _) = t
        .send(
            Method::PUT,
            "/admin/behaviours/dev/y",
            None,
            Some(json!({"provisionSeconds": 2, "deprovisionSeconds": 0})),
        )
        .await;
    assert_eq!(code, 204);
}

#[tokio::test]
async fn bind_returns_instaclustr_credentials() {
    let t = T::new();
    let sync = json!({"x-test": {"provision": "sync"}});
    for (id, s, p) in [
        ("cass", CASSANDRA, CASS_DEV),
        ("kafka", KAFKA, KAFKA_DEV),
        ("zep", ZEPPELIN, ZEPP_STD),
    ] {
        assert_eq!(
            t.provision(id, body(s, p, "dev", id, sync.clone())).await.0,
            201
        );
    }
    let bind_body = |s: &str, p: &str, params: Value| {
        json!({
            "service_id": s, "plan_id": p, "parameters": params,
            "bind_resource": {"app_guid": "x"},
            "context": {"platform": "kubernetes", "namespace": "dev", "instance_name": "cass", "clusterid": "c"},
        })
    };
    let (code, r) = t
        .bind(
            "cass",
            "B1-abcdef-1234",
            bind_body(CASSANDRA, CASS_DEV, json!({})),
        )
        .await;
    assert_eq!(code, 201, "{r}");
    let creds = r["credentials"].as_object().expect("credentials").clone();
    let keys: Vec<&str> = creds.keys().map(String::as_str).collect();
    let mut want = credentials::keys("cassandra").to_vec();
    let mut got = keys.clone();
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(creds["username"], "sb-b1abcdef");
    assert_eq!(creds["port"], 9042);
    assert_eq!(creds["host"], "10.224.0.11");
    assert_eq!(creds["cluster_id"], "cass");
    // Identical repeat: 200 with the same credentials; conflicting: 409.
    let (code, r) = t
        .bind(
            "cass",
            "B1-abcdef-1234",
            bind_body(CASSANDRA, CASS_DEV, json!({})),
        )
        .await;
    assert_eq!(code, 200);
    assert_eq!(r["credentials"], json!(creds));
    let (code, _) = t
        .bind(
            "cass",
            "B1-abcdef-1234",
            bind_body(CASSANDRA, CASS_DEV, json!({"username": "app"})),
        )
        .await;
    assert_eq!(code, 409);
    // A second binding: its own user and password.
    let (code, r) = t
        .bind(
            "cass",
            "b2",
            bind_body(CASSANDRA, CASS_DEV, json!({"username": "app"})),
        )
        .await;
    assert_eq!(code, 201);
    assert_eq!(r["credentials"]["username"], "app");
    assert_ne!(r["credentials"]["password"], creds["password"]);
    let info = t.instance("cass");
    assert_eq!(info.bindings.len(), 2);

    let (code, r) = t
        .bind("kafka", "k1", bind_body(KAFKA, KAFKA_DEV, json!({})))
        .await;
    assert_eq!(code, 201);
    let mut got: Vec<&str> = r["credentials"]
        .as_object()
        .expect("credentials")
        .keys()
        .map(String::as_str)
        .collect();
    got.sort_unstable();
    let mut want = credentials::keys("kafka").to_vec();
    want.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(
        r["credentials"]["bootstrap_servers"],
        "10.224.0.11:9092,10.224.0.12:9092,10.224.0.13:9092"
    );
    assert_eq!(r["credentials"]["sasl_mechanism"], "SCRAM-SHA-256");

    let (code, r) = t
        .bind("zep", "z1", bind_body(ZEPPELIN, ZEPP_STD, json!({})))
        .await;
    assert_eq!(code, 400);
    assert!(
        r["description"]
            .as_str()
            .is_some_and(|d| d.contains("not bindable"))
    );
    assert_eq!(
        t.bind("nope", "n1", bind_body(CASSANDRA, CASS_DEV, json!({})))
            .await
            .0,
        404
    );

    // Failures: the binding's own x-test, or the instance's behaviour.
    let (code, r) = t
        .bind(
            "cass",
            "f1",
            bind_body(
                CASSANDRA,
                CASS_DEV,
                json!({"x-test": {"bind": "fail", "message": "user limit"}}),
            ),
        )
        .await;
    refused((code, r), "user limit");
    let (code, _) = t
        .bind(
            "cass",
            "f2",
            bind_body(CASSANDRA, CASS_DEV, json!({"x-test": {"bind": "retry"}})),
        )
        .await;
    assert_eq!(code, 500);
    t.broker.set_behaviour(
        "dev",
        "cass",
        &Behaviour {
            bind: Some(BindMode::Fail),
            unbind: Some(UnbindMode::Fail),
            ..Default::default()
        },
    );
    let (code, r) = t
        .bind("cass", "f3", bind_body(CASSANDRA, CASS_DEV, json!({})))
        .await;
    assert_eq!(
        (code, &r["description"]),
        (400, &json!("could not create the user"))
    );
    assert_eq!(t.instance("cass").bindings.len(), 2);

    // Unbind: per behaviour; unknown bindings and instances are gone.
    let (code, r) = t.unbind("cass", "b2", CASSANDRA, CASS_DEV).await;
    assert_eq!((code, &r["error"]), (400, &json!("BadRequest")));
    t.broker.clear_behaviour("dev", "cass");
    t.broker.set_behaviour("dev", "cass", &Behaviour::default());
    assert_eq!(
        t.unbind("cass", "b2", CASSANDRA, CASS_DEV).await,
        (200, json!({}))
    );
    assert_eq!(
        t.unbind("cass", "b2", CASSANDRA, CASS_DEV).await,
        (410, json!({}))
    );
    assert_eq!(
        t.unbind("nope", "b2", CASSANDRA, CASS_DEV).await,
        (410, json!({}))
    );
    assert_eq!(t.instance("cass").bindings.len(), 1);
}

#[tokio::test]
async fn update_changes_plan_and_parameters() {
    let t = T::new();
    let (code, r) = t
        .provision(
            "u",
            body(
                CASSANDRA,
                CASS_DEV,
                "dev",
                "u",
                json!({"nodeSize": "t3.small", "x-test": {"provision-seconds": 0.2}}),
            ),
        )
        .await;
    assert_eq!(code, 202);
    t.settle("u", &op_of(&r)).await;
    let patch = |plan: &str, params: Value, accepts: bool| {
        let t = &t;
        let plan = plan.to_string();
        async move {
            let q = if accepts {
                "?accepts_incomplete=true"
            } else {
                ""
            };
            t.osb(
                Method::PATCH,
                &format!("/v2/service_instances/u{q}"),
                Some(json!({
                    "service_id": CASSANDRA, "plan_id": plan, "parameters": params,
                    "previous_values": {"plan_id": CASS_DEV},
                    "context": {"platform": "kubernetes", "namespace": "dev", "instance_name": "u"},
                })),
            )
            .await
        }
    };
    let params = json!({"nodeSize": "m5xl-400-v2", "x-test": {"provision-seconds": 0.2}});
    assert_eq!(patch(CASS_SMALL, params.clone(), false).await.0, 422);
    let (code, r) = patch(CASS_SMALL, params.clone(), true).await;
    assert_eq!(code, 202, "{r}");
    let op = op_of(&r);
    assert!(op.starts_with("update-"));
    let (_, r) = t.last_op("u", &op).await;
    assert_eq!(r["state"], "in progress");
    assert!(
        r["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("Updating:"))
    );
    assert_eq!(
        patch(CASS_SMALL, params.clone(), true).await.0,
        422,
        "concurrent update"
    );
    assert_eq!(t.instance("u").plan_id, CASS_DEV, "applied when done");
    let (_, r) = t.settle("u", &op).await;
    assert_eq!(r["state"], "succeeded");
    let info = t.instance("u");
    assert_eq!(info.plan_id, CASS_SMALL);
    assert_eq!(info.parameters, json!({"nodeSize": "m5xl-400-v2"}));
    assert_eq!(info.state, InstanceState::Ready);
    assert_eq!(patch("nope", params.clone(), true).await.0, 400);
    let (code, r) = patch(
        CASS_DEV,
        json!({"x-test": {"update": "fail", "message": "cannot shrink"}}),
        true,
    )
    .await;
    refused((code, r), "cannot shrink");
    assert_eq!(
        t.instance("u").plan_id,
        CASS_SMALL,
        "a refused update changes nothing"
    );
    let (code, r) = patch(CASS_DEV, json!({"x-test": {"provision-seconds": 0}}), false).await;
    assert_eq!((code, r), (200, json!({})), "0 seconds: synchronous");
    assert_eq!(t.instance("u").plan_id, CASS_DEV);
}

#[tokio::test]
async fn the_request_log_says_what_was_sent() {
    let t = T::new();
    let (_, r) = t
        .provision(
            "l",
            body(
                CASSANDRA,
                CASS_DEV,
                "team",
                "db",
                json!({"x-test": {"provision-seconds": 0}}),
            ),
        )
        .await;
    let op = op_of(&r);
    t.last_op("l", &op).await;
    t.deprovision("l", CASSANDRA, CASS_DEV).await;
    t.send(Method::GET, "/admin/instances", None, None).await;
    let (code, log) = t.send(Method::GET, "/admin/requests", None, None).await;
    assert_eq!(code, 200);
    let log: Vec<RequestRecord> = serde_json::from_value(log).expect("records");
    assert_eq!(log, t.broker.requests());
    assert_eq!(log.len(), 3, "only OSB requests: {log:#?}");
    let methods: Vec<(&str, u16)> = log.iter().map(|r| (r.method.as_str(), r.status)).collect();
    assert_eq!(methods, [("PUT", 202), ("GET", 200), ("DELETE", 202)]);
    for (i, r) in log.iter().enumerate() {
        assert_eq!(r.seq, i as u64 + 1);
        assert_eq!(r.instance_id.as_deref(), Some("l"));
        assert_eq!(r.namespace.as_deref(), Some("team"));
        assert_eq!(r.instance_name.as_deref(), Some("db"));
        assert_eq!(r.api_version.as_deref(), Some("2.13"));
        assert!(r.time.parse::<jiff::Timestamp>().is_ok(), "{}", r.time);
    }
    assert_eq!(log[0].path, "/v2/service_instances/l");
    assert_eq!(log[0].query.as_deref(), Some("accepts_incomplete=true"));
    assert_eq!(log[1].operation.as_deref(), Some(op.as_str()));

    let (_, list) = t.send(Method::GET, "/admin/instances", None, None).await;
    let list: Vec<InstanceInfo> = serde_json::from_value(list).expect("infos");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].state, InstanceState::Deprovisioning);
    let last = list[0].last_operation.as_ref().expect("an operation");
    assert_eq!(
        (last.kind, last.state),
        (OpKind::Deprovision, OpState::InProgress)
    );
}

#[test]
fn the_request_log_is_bounded() {
    let mut st = State::default();
    for _ in 0..REQUEST_LOG_LIMIT + 5 {
        st.log(RequestRecord {
            seq: 0,
            time: String::new(),
            method: "GET".into(),
            path: "/v2/catalog".into(),
            query: None,
            instance_id: None,
            binding_id: None,
            operation: None,
            namespace: None,
            instance_name: None,
            api_version: None,
            status: 200,
        });
    }
    assert_eq!(st.requests.len(), REQUEST_LOG_LIMIT);
    assert_eq!(st.requests.front().map(|r| r.seq), Some(6));
    assert_eq!(
        st.requests.back().map(|r| r.seq),
        Some(REQUEST_LOG_LIMIT as u64 + 5)
    );
}

#[tokio::test]
async fn serve_runs_on_a_given_listener() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(serve(listener));
    let (code, r) = T::new()
        .http
        .get(format!("http://{addr}/v2/catalog"))
        .header("X-Broker-API-Version", "2.14")
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .expect("answers");
    assert_eq!(code, 200);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["services"].as_array().map(Vec::len), Some(4));
    server.abort();

    // A port already taken is an error, not a panic.
    let b = Broker::start().expect("starts");
    assert!(Broker::start_on(b.port).is_err());
    assert_eq!(b.url, format!("http://127.0.0.1:{}", b.port));
}

#[tokio::test]
async fn extra_classes_follow_the_usual_catalog_with_valid_schemas() {
    let extra = catalog::Extra::parse("3x4").expect("parses");
    assert_eq!(
        extra,
        catalog::Extra {
            classes: 3,
            plans_per_class: 4
        }
    );
    assert_eq!(catalog::Extra::parse("0"), Ok(catalog::Extra::default()));
    assert!(catalog::Extra::parse("3").is_err());
    let t = T {
        broker: Broker::start_with(0, extra).expect("the broker starts"),
        http: reqwest::Client::new(),
    };
    let (code, cat) = t.osb(Method::GET, "/v2/catalog", None).await;
    assert_eq!(code, 200);
    let services = cat["services"].as_array().expect("services");
    let names: Vec<&str> = services
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        [
            "cassandra",
            "kafka",
            "spark",
            "zeppelin",
            "scale-00",
            "scale-01",
            "scale-02"
        ]
    );
    let mut ids = std::collections::HashSet::new();
    let mut plan_names = std::collections::HashSet::new();
    for s in &services[4..] {
        assert!(ids.insert(s["id"].as_str().expect("id").to_string()));
        let plans = s["plans"].as_array().expect("plans");
        assert_eq!(plans.len(), 4);
        for p in plans {
            assert!(ids.insert(p["id"].as_str().expect("id").to_string()));
            assert!(plan_names.insert(p["name"].as_str().expect("name").to_string()));
            let schema = &p["schemas"]["service_instance"]["create"]["parameters"];
            let v = jsonschema::draft4::new(schema).expect("a valid draft-04 schema");
            assert!(v.is_valid(&json!({"size": 3, "region": "us"})));
            assert!(!v.is_valid(&json!({"size": 0})));
        }
    }
    assert!(plan_names.contains("plan-02-0003"));
    // The usual catalog is unchanged.
    assert_eq!(
        catalog::document_with(catalog::Extra::default()),
        catalog::document()
    );
}

/// A valid v2 Cassandra body (the convert-json fixture).
fn v2_cassandra() -> Value {
    serde_json::from_str(include_str!(
        "../../../plugins/convert-json/tests/fixtures/v2-01-cassandra-minimal.json"
    ))
    .expect("fixture")
}

#[tokio::test]
async fn a_v2_body_is_provisioned_counted_and_bound_like_a_v1_body() {
    let t = T::new();
    let mut params = v2_cassandra();
    params["dataCentres"][0]["name"] = json!("east");
    params["dataCentres"][0]["numberOfNodes"] = json!(6);
    params["x-test"] = json!({"provision-seconds": 0.3});
    let (code, r) = t
        .provision("v2", body(CASSANDRA, CASS_DEV, "dev", "v2", params.clone()))
        .await;
    assert_eq!(code, 202, "{r}");
    let op = op_of(&r);
    let (_, r) = t.last_op("v2", &op).await;
    assert_eq!(r["description"], "Provisioning: 0 of 6 nodes running");
    let (_, r) = t.settle("v2", &op).await;
    assert_eq!(
        (&r["state"], &r["description"]),
        (
            &json!("succeeded"),
            &json!("Cluster RUNNING: 6 of 6 nodes running")
        ),
        "the nodes of the body's data centres"
    );
    let info = t.instance("v2");
    let mut stored = params.clone();
    stored.as_object_mut().expect("object").remove("x-test");
    assert_eq!(info.parameters, stored, "the v2 body, as sent");

    let (code, r) = t
        .bind(
            "v2",
            "b1",
            json!({"service_id": CASSANDRA, "plan_id": CASS_DEV, "parameters": {}}),
        )
        .await;
    assert_eq!(code, 201, "{r}");
    let creds = r["credentials"].as_object().expect("credentials");
    let mut got: Vec<&str> = creds.keys().map(String::as_str).collect();
    got.sort_unstable();
    let mut want = credentials::keys("cassandra").to_vec();
    want.sort_unstable();
    assert_eq!(got, want, "the same keys as for v1");
    assert_eq!(creds["datacenter"], "east", "the body's first data centre");
    assert_eq!(creds["port"], 9042);

    // Several data centres: every node counted. Redis: masters and replicas.
    let two = json!({"cassandraVersion": "4.1.3",
        "dataCentres": [{"numberOfNodes": 3}, {"numberOfNodes": 6}]});
    let redis = json!({"redisVersion": "7.0.14",
        "dataCentres": [{"masterNodes": 3, "replicaNodes": 3}]});
    for (p, n) in [
        (two, 9),
        (redis, 6),
        (json!({"dataCentres": [{"numberOfNodes": 9}]}), 3),
    ] {
        let mut st = State::default();
        st.instances.insert(
            "x".into(),
            super::state::Instance {
                seq: 1,
                id: "x".into(),
                service_id: CASSANDRA.into(),
                plan_id: CASS_DEV.into(),
                parameters: p.clone(),
                context: Value::Null,
                namespace: None,
                instance_name: None,
                dashboard_url: String::new(),
                x_test: Behaviour::default(),
                admin: Behaviour::default(),
                state: InstanceState::Ready,
                ops: Vec::new(),
                bindings: Default::default(),
                created: String::new(),
            },
        );
        assert_eq!(st.instances["x"].nodes(), n, "{p}");
    }
    // v1: the default data centre, as before.
    assert_eq!(
        credentials::datacenter_of(&json!({"dataCentres": [{"name": "x"}]})),
        "AWS_VPC_US_EAST_1"
    );
}

#[tokio::test]
async fn a_v2_body_with_mistakes_is_refused_with_each_of_them_and_nothing_is_created() {
    let t = T::new();
    let mut params = v2_cassandra();
    params["dataCentres"][0]["numberOfNodes"] = json!(4);
    params["clusterName"] = json!("orders");
    params["slaTier"] = json!("PRODUCTON");
    let (code, r) = t
        .provision("bad", body(CASSANDRA, CASS_DEV, "dev", "bad", params))
        .await;
    assert_eq!(code, 400, "{r}");
    assert_eq!(r["error"], "BadRequest");
    let d = r["description"].as_str().expect("description");
    assert!(
        d.starts_with("The cluster request was rejected: the CassandraClusterV2 body is not valid (3 problems): "),
        "{d}"
    );
    for part in [
        "/clusterName: unknown field \"clusterName\" (did you mean \"name\"?",
        "/slaTier: expected one of PRODUCTION, NON_PRODUCTION, got \"PRODUCTON\"",
        "/dataCentres/0/numberOfNodes: expected a multiple of replicationFactor (3), got 4",
    ] {
        assert!(d.contains(part), "{part}: {d}");
    }
    assert!(t.broker.instances().is_empty(), "nothing created");

    // The application must be the class's.
    let kafka: Value = serde_json::from_str(include_str!(
        "../../../plugins/convert-json/tests/fixtures/v2-03-kafka-minimal.json"
    ))
    .expect("fixture");
    let (code, r) = t
        .provision("k", body(CASSANDRA, CASS_DEV, "dev", "k", kafka.clone()))
        .await;
    assert_eq!(code, 400, "{r}");
    assert_eq!(
        r["description"],
        "The cluster request was rejected: the parameters are a v2 KafkaClusterV2 body (kafkaVersion is set), \
         but class \"cassandra\" takes CassandraClusterV2 bodies (with cassandraVersion); use class kafka"
    );
    let (code, r) = t
        .provision("k", body(KAFKA, KAFKA_DEV, "dev", "k", kafka))
        .await;
    assert_eq!(code, 202, "the kafka class takes it: {r}");
    let (code, r) = t
        .provision(
            "r",
            body(
                CASSANDRA,
                CASS_DEV,
                "dev",
                "r",
                json!({"redisVersion": "7.0.14"}),
            ),
        )
        .await;
    assert_eq!(code, 400);
    assert!(
        r["description"]
            .as_str()
            .is_some_and(|d| d.ends_with("no class of this broker provisions that application")),
        "{r}"
    );
    // A v2 body is checked whatever x-test says; v1 bodies are not checked at all.
    let mut v2 = v2_cassandra();
    v2["name"] = json!("x");
    v2["x-test"] = json!({"provision": "sync"});
    assert_eq!(
        t.provision("s", body(CASSANDRA, CASS_DEV, "dev", "s", v2))
            .await
            .0,
        400
    );
    let v1 = json!({"clusterName": "bad name!", "slaTier": "PRODUCTON", "x-test": {"provision": "sync"}});
    assert_eq!(
        t.provision("s", body(CASSANDRA, CASS_DEV, "dev", "s", v1))
            .await
            .0,
        201
    );

    // An update to a broken v2 body is refused too, and changes nothing.
    let mut ok = v2_cassandra();
    ok["x-test"] = json!({"provision": "sync"});
    assert_eq!(
        t.provision("u", body(CASSANDRA, CASS_DEV, "dev", "u", ok.clone()))
            .await
            .0,
        201
    );
    let mut broken = ok.clone();
    broken["dataCentres"][0]["network"] = json!("10.0.0.0/24");
    let (code, r) = t
        .osb(
            Method::PATCH,
            "/v2/service_instances/u?accepts_incomplete=true",
            Some(json!({"service_id": CASSANDRA, "plan_id": CASS_DEV, "parameters": broken})),
        )
        .await;
    assert_eq!(code, 400, "{r}");
    assert!(
        r["description"]
            .as_str()
            .is_some_and(|d| d.contains("/dataCentres/0/network: ")),
        "{r}"
    );
    let mut stored = ok;
    stored.as_object_mut().expect("object").remove("x-test");
    assert_eq!(t.instance("u").parameters, stored);
}

#[tokio::test]
async fn every_plan_s_schema_takes_a_v2_body_of_its_class_or_a_v1_body() {
    let t = T::new();
    let (_, cat) = t.osb(Method::GET, "/v2/catalog", None).await;
    let v2_kafka: Value = serde_json::from_str(include_str!(
        "../../../plugins/convert-json/tests/fixtures/v2-03-kafka-minimal.json"
    ))
    .expect("fixture");
    for (s, class) in cat["services"]
        .as_array()
        .expect("services")
        .iter()
        .zip(catalog::CLASSES)
    {
        for p in s["plans"].as_array().expect("plans") {
            for which in ["create", "update"] {
                let schema = &p["schemas"]["service_instance"][which]["parameters"];
                let forms = schema["oneOf"].as_array().expect("oneOf");
                assert_eq!(forms.len(), 2, "{}: v2 and v1", class.name);
                assert!(
                    forms[0]["required"]
                        .as_array()
                        .expect("required")
                        .contains(&json!(class.app.version_field())),
                    "the v2 form requires its version field"
                );
                assert!(forms[1]["not"].is_object(), "the v1 form has none");
                for f in forms {
                    assert!(
                        f["properties"]["x-test"].is_object(),
                        "x-test in every form"
                    );
                }
                let v = jsonschema::draft4::new(schema).expect("compiles");
                let mut mine = if class.app == ::osb::instaclustr::v2::App::Kafka {
                    v2_kafka.clone()
                } else {
                    v2_cassandra()
                };
                mine["x-test"] = json!({"provision": "sync"});
                assert!(
                    v.is_valid(&mine),
                    "{}/{} {which}: its v2 body",
                    class.name,
                    p["name"]
                );
                let theirs = if class.app == ::osb::instaclustr::v2::App::Kafka {
                    v2_cassandra()
                } else {
                    v2_kafka.clone()
                };
                assert!(
                    !v.is_valid(&theirs),
                    "{}: another application's body",
                    class.name
                );
                assert!(v.is_valid(&json!({"nodeSize": "t3.small"})), "partial v1");
            }
            let create = &p["schemas"]["service_instance"]["create"]["parameters"];
            assert_eq!(
                create["oneOf"][0]["properties"]["slaTier"]["default"],
                create["oneOf"][1]["properties"]["slaTier"]["default"]
            );
            if class.spark.is_some() {
                assert_eq!(
                    create["oneOf"][0]["properties"]["spark"]["default"],
                    json!([{"version": "2.3.2"}])
                );
            }
        }
    }
}

#[tokio::test]
async fn async_binds_and_unbinds_are_polled_and_their_credentials_fetched() {
    let t = T::new();
    let sync = json!({"x-test": {"provision": "sync"}});
    assert_eq!(
        t.provision("cass", body(CASSANDRA, CASS_DEV, "dev", "cass", sync))
            .await
            .0,
        201
    );
    let bind_body = |params: Value| {
        json!({
            "service_id": CASSANDRA, "plan_id": CASS_DEV, "parameters": params,
            "context": {"platform": "kubernetes", "namespace": "dev", "instance_name": "cass"},
        })
    };
    let bind = async |bid: &str, params: Value, accepts: bool| {
        let path = format!(
            "/v2/service_instances/cass/service_bindings/{bid}{}",
            if accepts {
                "?accepts_incomplete=true"
            } else {
                ""
            }
        );
        t.osb(Method::PUT, &path, Some(bind_body(params))).await
    };
    let unbind = async |bid: &str, accepts: bool| {
        let path = format!(
            "/v2/service_instances/cass/service_bindings/{bid}?service_id={CASSANDRA}&plan_id={CASS_DEV}{}",
            if accepts {
                "&accepts_incomplete=true"
            } else {
                ""
            }
        );
        t.osb(Method::DELETE, &path, None).await
    };
    let get = async |bid: &str| {
        t.osb(
            Method::GET,
            &format!("/v2/service_instances/cass/service_bindings/{bid}"),
            None,
        )
        .await
    };
    let poll = async |bid: &str, op: &str| {
        t.osb(
            Method::GET,
            &format!(
                "/v2/service_instances/cass/service_bindings/{bid}/last_operation?operation={op}"
            ),
            None,
        )
        .await
    };
    let settle = async |bid: &str, op: &str| {
        for _ in 0..100 {
            let (code, body) = poll(bid, op).await;
            if code != 200 || body["state"] != "in progress" {
                return (code, body);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("operation {op} of binding {bid} still in progress after 5 s");
    };
    let fast = |mode: &str| json!({"x-test": {"bind": mode, "bind-seconds": 0.3}});

    // Asynchronous modes need accepts_incomplete; nothing is created without it.
    assert_eq!(
        bind("a1", fast("async"), false).await.1["error"],
        "AsyncRequired"
    );
    assert_eq!(get("a1").await.0, 404);

    // async: 202, in progress (GET 404, a repeat 202 with the same operation), then succeeded and GET.
    let (code, r) = bind("a1", fast("async"), true).await;
    assert_eq!(code, 202, "{r}");
    let op = op_of(&r);
    assert!(op.starts_with("bind-"), "{op}");
    let (code, r) = poll("a1", &op).await;
    assert_eq!((code, &r["state"]), (200, &json!("in progress")));
    assert_eq!(r["description"], "Creating the database user sb-a1");
    assert_eq!(get("a1").await.0, 404, "no credentials while binding");
    assert_eq!(
        bind("a1", fast("async"), true).await,
        (202, json!({"operation": op}))
    );
    let (code, r) = settle("a1", &op).await;
    assert_eq!((code, &r["state"]), (200, &json!("succeeded")), "{r}");
    let (code, r) = get("a1").await;
    assert_eq!(code, 200, "{r}");
    assert_eq!(r["credentials"]["username"], "sb-a1");
    assert_eq!(r["credentials"]["port"], 9042);
    let info = t.instance("cass");
    assert_eq!(info.bindings[0].state, BindingState::Ready);
    assert_eq!(
        info.bindings[0].last_operation.as_ref().map(|o| o.kind),
        Some(OpKind::Bind)
    );
    // A repeat of the finished bind: 200 with the credentials.
    assert_eq!(bind("a1", fast("async"), true).await.0, 200);

    // async-fail: failed with the message; no credentials, and an unbind of it is gone (410).
    let (code, r) = bind(
        "f1",
        json!({"x-test": {"bind": "async-fail", "bind-seconds": 0.2, "message": "role quota reached"}}),
        true,
    )
    .await;
    assert_eq!(code, 202);
    let (code, r) = settle("f1", &op_of(&r)).await;
    assert_eq!(
        (code, r),
        (
            200,
            json!({"state": "failed", "description": "role quota reached"})
        )
    );
    assert_eq!(get("f1").await.0, 404);
    assert_eq!(unbind("f1", true).await, (410, json!({})));

    // async-lost: the operation succeeds, GET binding never finds it.
    let (_, r) = bind("l1", fast("async-lost"), true).await;
    assert_eq!(settle("l1", &op_of(&r)).await.1["state"], "succeeded");
    assert_eq!(get("l1").await.0, 404);

    // An unbind while the bind still runs (orphan mitigation) forgets the binding.
    let (code, r) = bind("c1", fast("hang"), true).await;
    assert_eq!(code, 202);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        poll("c1", &op_of(&r)).await.1["state"],
        "in progress",
        "hang"
    );
    assert_eq!(unbind("c1", true).await, (200, json!({})));
    assert_eq!(unbind("c1", true).await, (410, json!({})));

    // Asynchronous unbinds, by the instance's behaviour: async-fail keeps the binding, async removes it.
    t.broker.set_behaviour(
        "dev",
        "cass",
        &Behaviour {
            unbind: Some(UnbindMode::AsyncFail),
            bind_seconds: Some(0.2),
            ..Default::default()
        },
    );
    let (code, r) = bind("u1", json!({}), true).await;
    assert_eq!(code, 201, "a sync bind with accepts_incomplete: {r}");
    assert_eq!(unbind("u1", false).await.1["error"], "AsyncRequired");
    let (code, r) = unbind("u1", true).await;
    assert_eq!(code, 202);
    let op = op_of(&r);
    assert!(op.starts_with("unbind-"), "{op}");
    assert_eq!(unbind("u1", true).await, (202, json!({"operation": op})));
    let (_, r) = settle("u1", &op).await;
    assert_eq!(r["state"], "failed");
    assert_eq!(
        r["description"],
        "Deleting the database user sb-u1 failed: the user still owns open sessions"
    );
    assert_eq!(get("u1").await.0, 200, "the binding stays");
    t.broker.set_behaviour(
        "dev",
        "cass",
        &Behaviour {
            unbind: Some(UnbindMode::Async),
            bind_seconds: Some(0.2),
            ..Default::default()
        },
    );
    let (code, r) = unbind("u1", true).await;
    assert_eq!(code, 202);
    let op = op_of(&r);
    let (_, r) = settle("u1", &op).await;
    assert_eq!(
        r,
        json!({"state": "succeeded", "description": "Database user sb-u1 deleted"})
    );
    assert_eq!(get("u1").await.0, 404);
    assert_eq!(unbind("u1", true).await, (410, json!({})));
    let ids: Vec<String> = t
        .instance("cass")
        .bindings
        .into_iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(ids, ["a1", "f1", "l1"], "unbound ones are left out");

    // A synchronous binding's last_operation: succeeded; an unknown one: gone.
    assert_eq!(
        t.osb(
            Method::GET,
            "/v2/service_instances/cass/service_bindings/a1/last_operation",
            None
        )
        .await,
        (
            200,
            json!({"state": "succeeded", "description": "Database user sb-a1 created"})
        )
    );
    assert_eq!(poll("zz", "bind-x").await.0, 410);
}

#[tokio::test]
async fn instances_and_bindings_are_retrievable_until_the_broker_forgets_them() {
    let t = T::new();
    let b = body(
        CASSANDRA,
        CASS_DEV,
        "dev",
        "db",
        json!({"clusterName": "c1", "x-test": {"provision-seconds": 0.3}}),
    );
    let (code, r) = t.provision("i-9", b).await;
    assert_eq!(code, 202, "{r}");
    let op = op_of(&r);
    let (code, r) = t.osb(Method::GET, "/v2/service_instances/i-9", None).await;
    assert_eq!(code, 404, "still provisioning: {r}");
    t.settle("i-9", &op).await;
    let (code, r) = t.osb(Method::GET, "/v2/service_instances/i-9", None).await;
    assert_eq!(code, 200, "{r}");
    assert_eq!(r["service_id"], CASSANDRA);
    assert_eq!(r["plan_id"], CASS_DEV);
    assert_eq!(r["parameters"], json!({"clusterName": "c1"}));
    assert_eq!(
        r["dashboard_url"],
        "https://console.instaclustr.example/clusters/i-9"
    );

    let (code, r) = t
        .bind(
            "i-9",
            "b-1",
            json!({"service_id": CASSANDRA, "plan_id": CASS_DEV}),
        )
        .await;
    assert_eq!(code, 201, "{r}");
    let path = "/v2/service_instances/i-9/service_bindings/b-1";
    let (code, got) = t.osb(Method::GET, path, None).await;
    assert_eq!(code, 200, "{got}");
    assert_eq!(got["credentials"], r["credentials"]);
    let (code, _) = t
        .osb(
            Method::GET,
            "/v2/service_instances/i-9/service_bindings/b-2",
            None,
        )
        .await;
    assert_eq!(code, 404);

    // Lost behind the catalog's back.
    assert_eq!(t.broker.forget("dev", "db"), 1);
    assert_eq!(t.broker.forget("dev", "db"), 0);
    let (code, _) = t.osb(Method::GET, "/v2/service_instances/i-9", None).await;
    assert_eq!(code, 404);
    let (code, _) = t.osb(Method::GET, path, None).await;
    assert_eq!(code, 404);
    let (code, _) = t.deprovision("i-9", CASSANDRA, CASS_DEV).await;
    assert_eq!(code, 410, "a forgotten instance is gone");
    let (code, _) = t
        .send(Method::DELETE, "/admin/instances/dev/db", None, None)
        .await;
    assert_eq!(code, 404, "nothing left to forget");
}

#[tokio::test]
async fn an_admin_put_replaces_the_catalog_and_a_delete_restores_it() {
    let t = T::new();
    let doc = json!({"services": [{"id": "x", "name": "x", "description": "x", "bindable": false,
                                   "plans": [{"id": "y", "name": "y", "description": "y"}]}]});
    let (code, _) = t
        .send(Method::PUT, "/admin/catalog", None, Some(doc.clone()))
        .await;
    assert_eq!(code, 204);
    let (code, got) = t.osb(Method::GET, "/v2/catalog", None).await;
    assert_eq!((code, got), (200, doc));
    let (code, _) = t
        .send(Method::PUT, "/admin/catalog", None, Some(json!([1])))
        .await;
    assert_eq!(code, 400, "a catalog is an object");
    let (code, _) = t.send(Method::DELETE, "/admin/catalog", None, None).await;
    assert_eq!(code, 204);
    let (_, got) = t.osb(Method::GET, "/v2/catalog", None).await;
    assert_eq!(got, catalog::document());
}

#[tokio::test]
async fn required_credentials_are_checked_on_every_v2_request() {
    let t = T::new();
    t.broker
        .require_auth(Some(Credentials::Basic("canary-user", "canary-pass")));
    let (code, _) = t.osb(Method::GET, "/v2/catalog", None).await;
    assert_eq!(code, 401);
    let resp = t
        .http
        .get(format!("{}/v2/catalog", t.broker.url))
        .header("X-Broker-API-Version", "2.14")
        .basic_auth("canary-user", Some("canary-pass"))
        .send()
        .await
        .expect("answers");
    assert_eq!(resp.status().as_u16(), 200);
    t.broker
        .require_auth(Some(Credentials::Bearer("canary-token")));
    let resp = t
        .http
        .get(format!("{}/v2/catalog", t.broker.url))
        .header("X-Broker-API-Version", "2.14")
        .bearer_auth("canary-token")
        .send()
        .await
        .expect("answers");
    assert_eq!(resp.status().as_u16(), 200);
    let (code, _) = t.send(Method::GET, "/admin/instances", None, None).await;
    assert_eq!(code, 200, "admin endpoints stay open");
    t.broker.require_auth(None);
    let (code, _) = t.osb(Method::GET, "/v2/catalog", None).await;
    assert_eq!(code, 200);
}
