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

/// Run a plugin binary directly (no kubectl) with a controlled environment.
fn plugin(
    env: &testkit::Env,
    verb: &str,
    args: &[&str],
    vars: &[(&str, &std::ffi::OsStr)],
) -> testkit::Run {
    let mut c = std::process::Command::new(env.plugin_dir.join(format!("kubectl-osb-{verb}")));
    c.env_remove("KUBECONFIG")
        .env("HOME", env.cp.dir.join("no-home"))
        .args(args);
    for (k, v) in vars {
        c.env(k, v);
    }
    testkit::run(&mut c, None)
}

#[test]
fn every_verb_honours_kubectls_connection_flags_and_kubeconfig_lists() {
    let env = env();
    let kc = env.cp.kubeconfig.as_os_str();
    let check = &["--check"];
    // KUBECONFIG as a list: a missing file is skipped, as kubectl does.
    let list =
        std::env::join_paths([env.cp.dir.join("missing.yaml"), env.cp.kubeconfig.clone()]).unwrap();
    plugin(env, "catalog", check, &[("KUBECONFIG", &list)]).ok();
    // --kubeconfig without KUBECONFIG.
    plugin(
        env,
        "catalog",
        &["--check", "--kubeconfig", kc.to_str().unwrap()],
        &[],
    )
    .ok();
    // --context / --user select the unprivileged identity: the server's Forbidden comes through.
    for flags in [["--context", "osb-viewer"], ["--user", "osb-viewer"]] {
        let mut args = vec!["--check"];
        args.extend(flags);
        let run = plugin(env, "catalog", &args, &[("KUBECONFIG", kc)]);
        assert_eq!(run.code, 1, "{run:#?}");
        assert!(
            run.stderr.starts_with("Error from server (Forbidden): "),
            "{run:#?}"
        );
        assert!(run.stderr.contains("\"osb-viewer\""), "{run:#?}");
    }
    let run = plugin(
        env,
        "catalog",
        &["--cluster", "nope"],
        &[("KUBECONFIG", kc)],
    );
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.starts_with("error: "), "{run:#?}");
    // No configuration at all (no kubeconfig, not in a cluster): a clear error, exit 1.
    let run = plugin(env, "catalog", &[], &[]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.starts_with("error: no configuration found"),
        "{run:#?}"
    );
    // -n picks the namespace; a request timeout is accepted.
    let ns = env.namespace("flags");
    let run = plugin(
        env,
        "get",
        &["instances", "-n", &ns, "--request-timeout", "5s"],
        &[("KUBECONFIG", kc)],
    )
    .ok();
    assert_eq!(
        run.stderr.trim(),
        format!("No resources found in {ns} namespace.")
    );
}

#[test]
fn a_closed_pipe_is_a_normal_exit_and_usage_errors_exit_2() {
    let env = env();
    let mut child = env
        .kubectl_cmd()
        .args(["osb", "catalog", "-o", "yaml"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before the first write
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "nothing on stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = env.kubectl(&["osb", "catalog", "--no-such-flag"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(
        run.stderr
            .starts_with("error: unexpected argument '--no-such-flag'"),
        "{run:#?}"
    );
    let help = env.kubectl(&["osb", "catalog", "--help"]).ok();
    assert!(
        help.stdout.contains("Usage: kubectl osb catalog"),
        "{help:#?}"
    );
}

#[test]
fn the_catalog_webhook_defaults_at_create_and_refuses_what_the_catalog_refuses() {
    let env = env();
    let ns = env.namespace("webhook");
    let si = |name: &str, class: &str, plan: Option<&str>| {
        let plan = plan
            .map(|p| format!("  clusterServicePlanExternalName: {p}\n"))
            .unwrap_or_default();
        format!(
            "apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceInstance\nmetadata:\n  name: {name}\n  \
             finalizers: [example.com/mine]\nspec:\n  clusterServiceClassExternalName: {class}\n{plan}"
        )
    };
    // Defaults are in the object the create returns: finalizer list overwritten, externalID, userInfo.
    let created = env
        .kubectl_stdin(
            &["create", "-n", &ns, "-o", "json", "-f", "-"],
            &si("db", "cassandra", Some("developer")),
        )
        .ok();
    let v: serde_json::Value = serde_json::from_str(&created.stdout).unwrap();
    assert_eq!(v["metadata"]["finalizers"], serde_json::json!([FINALIZER]));
    assert!(
        v["spec"]["externalID"]
            .as_str()
            .is_some_and(|s| s.len() == 36),
        "{v}"
    );
    assert_eq!(v["spec"]["userInfo"]["username"], "osb-admin");
    // A class with one plan gets it; a class with several refuses a missing plan, and nothing is created.
    let one = env
        .kubectl_stdin(
            &["create", "-n", &ns, "-o", "json", "-f", "-"],
            &si("sp", "spark", None),
        )
        .ok();
    let v: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(v["spec"]["clusterServicePlanExternalName"], "standard");
    let refused = env.kubectl_stdin(
        &["create", "-n", &ns, "-f", "-"],
        &si("many", "cassandra", None),
    );
    assert_eq!(refused.code, 1, "{refused:#?}");
    assert!(
        refused
            .stderr
            .contains("has more than one plan, PlanName must be specified"),
        "{refused:#?}"
    );
    assert!(
        env.kubectl(&["get", "serviceinstance", "many", "-n", &ns])
            .code
            != 0
    );

    // Bindings: secretName defaulted; the spec cannot be changed; none may be created for an instance
    // that is being deleted.
    env.kubectl(&[
        "osb",
        "wait",
        "-n",
        &ns,
        "si/db",
        "--for=ready",
        "--timeout=60s",
    ])
    .ok();
    let sb = |name: &str| {
        format!(
            "apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceBinding\nmetadata:\n  name: {name}\nspec:\n  instanceRef:\n    name: db\n"
        )
    };
    env.kubectl_stdin(&["create", "-n", &ns, "-f", "-"], &sb("b1"))
        .ok();
    let get_secret_name = || {
        env.kubectl(&[
            "get",
            "servicebinding",
            "b1",
            "-n",
            &ns,
            "-o",
            "jsonpath={.spec.secretName}",
        ])
        .ok()
        .stdout
    };
    assert_eq!(get_secret_name(), "b1");
    env.kubectl(&[
        "patch",
        "servicebinding",
        "b1",
        "-n",
        &ns,
        "--type=merge",
        "-p",
        r#"{"spec":{"secretName":"other"}}"#,
    ])
    .ok();
    assert_eq!(
        get_secret_name(),
        "b1",
        "binding specs are put back by the webhook"
    );
    env.kubectl(&["delete", "serviceinstance", "db", "-n", &ns, "--wait=false"])
        .ok();
    let refused = env.kubectl_stdin(&["create", "-n", &ns, "-f", "-"], &sb("b2"));
    assert_eq!(refused.code, 1, "{refused:#?}");
    assert!(
        refused
            .stderr
            .contains("references a ServiceInstance that is being deleted"),
        "{refused:#?}"
    );
}
