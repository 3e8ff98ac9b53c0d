//! Issue 2: the control plane, the simulator and the first verb work together.

use std::time::Duration;

use kube::Api;
use kube::api::PostParams;
use osb::catalog::{Conditioned, FINALIZER, ServiceInstance, ServiceInstanceSpec};
use testkit::env;

#[test]
fn kubectl_osb_catalog_lists_the_simulated_offerings() {
    let run = env().kubectl(&["osb", "catalog"]).ok();
    let out = &run.stdout;
    assert!(out.starts_with("BROKER"), "{out}");
    assert!(out.contains("instaclustr"), "{out}");
    for (class, plan) in [
        ("cassandra", "developer"),
        ("cassandra", "production-small"),
        ("kafka", "production"),
        ("spark", "standard"),
        ("zeppelin", "standard"),
    ] {
        assert!(
            out.lines()
                .any(|l| l.split_whitespace().take(2).eq([class, plan])),
            "missing {class}/{plan} in:\n{out}"
        );
    }
}

#[test]
fn catalog_check_passes_when_the_broker_is_ready_and_names_an_unknown_one() {
    let ok = env().kubectl(&["osb", "catalog", "--check"]).ok();
    assert_eq!(
        ok.stdout.trim(),
        "clusterservicebroker.servicecatalog.k8s.io/instaclustr ready"
    );
    let missing = env().kubectl(&["osb", "catalog", "--check", "nope"]);
    assert_eq!(missing.code, 1, "{missing:?}");
    assert!(
        missing
            .stderr
            .starts_with("error: broker \"nope\" not found; brokers: instaclustr"),
        "{missing:?}"
    );
}

async fn wait_until(
    api: &Api<ServiceInstance>,
    name: &str,
    pred: impl Fn(&ServiceInstance) -> bool,
) -> ServiceInstance {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let si = api.get(name).await.unwrap();
        if pred(&si) {
            return si;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out; last state: {:#?}",
            si.status
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn simulator_drives_one_instance_to_ready_and_another_to_failed() {
    let env = env();
    let ns = env.namespace("foundation");
    let api: Api<ServiceInstance> = Api::namespaced(env.client().await, &ns);
    let spec = ServiceInstanceSpec {
        cluster_service_class_external_name: Some("cassandra".into()),
        cluster_service_plan_external_name: Some("developer".into()),
        ..Default::default()
    };
    let good = ServiceInstance::new("good", spec.clone());
    let mut bad = ServiceInstance::new("bad", spec);
    bad.metadata.annotations = Some(
        [(
            "sim.kubectl-osb.dev/provision".to_string(),
            "fail".to_string(),
        )]
        .into(),
    );
    api.create(&PostParams::default(), &good).await.unwrap();
    api.create(&PostParams::default(), &bad).await.unwrap();

    let good = wait_until(&api, "good", |si| si.is_true("Ready")).await;
    let st = good.status.clone().unwrap();
    assert_eq!(st.provision_status.as_deref(), Some("Provisioned"));
    assert_eq!(st.async_op_in_progress, Some(false));
    assert_eq!(
        good.condition("Ready").unwrap().reason.as_deref(),
        Some("ProvisionedSuccessfully")
    );
    assert!(good.finalizers().contains(&FINALIZER.to_string()));
    assert!(good.spec.cluster_service_class_ref.is_some() && good.spec.external_id.is_some());
    assert_eq!(good.last_condition_state(), "Ready");

    let bad = wait_until(&api, "bad", |si| si.is_true("Failed")).await;
    assert_eq!(
        bad.condition("Failed").unwrap().reason.as_deref(),
        Some("ProvisionCallFailed")
    );
    assert!(!bad.is_true("Ready"));
    assert!(!bad.async_op_in_progress());
    assert_eq!(
        bad.status.as_ref().unwrap().last_condition_state.as_deref(),
        Some("Failed")
    );
}

use kube::ResourceExt;

#[tokio::test]
async fn parameters_from_a_missing_secret_are_retried_until_the_secret_exists() {
    let env = env();
    let ns = env.namespace("params-from");
    let yaml = "apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceInstance\nmetadata:\n  name: db\nspec:\n  \
        clusterServiceClassExternalName: cassandra\n  clusterServicePlanExternalName: developer\n  \
        parameters:\n    nodes: 3\n  parametersFrom:\n  - secretKeyRef:\n      name: db-params\n      key: parameters\n";
    env.kubectl_stdin(&["apply", "-n", &ns, "-f", "-"], yaml)
        .ok();
    let api: Api<ServiceInstance> = Api::namespaced(env.client().await, &ns);
    let si = wait_until(&api, "db", |si| {
        si.condition("Ready").and_then(|c| c.reason.as_deref()) == Some("ErrorWithParameters")
    })
    .await;
    assert!(
        !si.is_true("Failed"),
        "ErrorWithParameters is retried, never terminal"
    );
    // A value that repeats a parameter is a conflict, still retried.
    env.kubectl(&[
        "create",
        "secret",
        "generic",
        "db-params",
        "-n",
        &ns,
        "--from-literal=parameters={\"nodes\": 5}",
    ])
    .ok();
    wait_until(&api, "db", |si| {
        si.condition("Ready")
            .and_then(|c| c.message.as_deref())
            .is_some_and(|m| m.contains("duplicate entry for parameter \"nodes\""))
    })
    .await;
    env.kubectl(&["delete", "secret", "db-params", "-n", &ns])
        .ok();
    env.kubectl(&[
        "create",
        "secret",
        "generic",
        "db-params",
        "-n",
        &ns,
        "--from-literal=parameters={\"password\": \"s3cret\"}",
    ])
    .ok();
    let si = wait_until(&api, "db", |si| si.is_true("Ready")).await;
    let recorded = si
        .status
        .unwrap()
        .external_properties
        .unwrap()
        .parameters
        .unwrap();
    assert_eq!(
        recorded,
        serde_json::json!({"nodes": 3, "password": "<redacted>"})
    );
}
