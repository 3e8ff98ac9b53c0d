//! The control plane, the real Service Catalog (webhook + controller) with its two brokers, and
//! the first verb work together.

use kube::api::PostParams;
use kube::{Api, ResourceExt};
use osb::catalog::{Conditioned, FINALIZER, ServiceInstance, ServiceInstanceSpec};
use serde_json::{Value, json};
use testkit::{Env, PATIENCE, env, eventually, setup};

#[test]
fn kubectl_osb_catalog_lists_both_brokers_and_their_offerings() {
    let run = env().kubectl(&["osb", "catalog"]).ok();
    let out = &run.stdout;
    assert!(out.starts_with("BROKER"), "{out}");
    for broker in ["instaclustr", "test-broker"] {
        assert!(
            out.lines()
                .any(|l| l.split_whitespace().eq([broker, "<cluster>", "Ready"])),
            "broker {broker} not listed Ready in:\n{out}"
        );
    }
    for (class, plan) in [
        ("cassandra", "developer"),
        ("cassandra", "production-small"),
        ("kafka", "production"),
        ("spark", "standard"),
        ("zeppelin", "standard"),
        ("test-service", "default"),
        ("test-service-async", "default"),
        ("test-service-multiple-plans", "default"),
        ("test-service-multiple-plans", "premium"),
    ] {
        assert!(
            out.lines()
                .any(|l| l.split_whitespace().take(2).eq([class, plan])),
            "missing {class}/{plan} in:\n{out}"
        );
    }
    // Every class the controller created from the two brokers' catalogs is listed, none invented.
    let classes = env()
        .kubectl(&[
            "get",
            "clusterserviceclasses",
            "-o",
            "jsonpath={range .items[*]}{.spec.externalName}{\"\\n\"}{end}",
        ])
        .ok();
    let mut want: Vec<&str> = classes.stdout.lines().collect();
    want.sort();
    let table = out.split_once("\n\n").expect("two tables").1;
    let mut listed: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    listed.dedup();
    assert_eq!(listed, want);
    assert_eq!(want.len(), 4 + 24, "our 4 classes and the test-broker's 24");
}

#[test]
fn catalog_check_passes_when_both_brokers_are_ready_and_names_an_unknown_one() {
    let ok = env().kubectl(&["osb", "catalog", "--check"]).ok();
    assert_eq!(
        ok.stdout.trim(),
        "clusterservicebroker.servicecatalog.k8s.io/instaclustr ready\n\
         clusterservicebroker.servicecatalog.k8s.io/test-broker ready"
    );
    for broker in ["instaclustr", "test-broker"] {
        let one = env().kubectl(&["osb", "catalog", "--check", broker]).ok();
        assert_eq!(
            one.stdout.trim(),
            format!("clusterservicebroker.servicecatalog.k8s.io/{broker} ready")
        );
    }
    let missing = env().kubectl(&["osb", "catalog", "--check", "nope"]);
    missing
        .code(1)
        .stderr_starts("error: broker \"nope\" not found; brokers: instaclustr, test-broker");
}

/// Wait until the instance `ns/name` exists and `pred` holds on it.
#[track_caller]
fn instance_until(
    env: &Env,
    ns: &str,
    name: &str,
    pred: impl Fn(&ServiceInstance) -> bool,
) -> ServiceInstance {
    eventually(format!("serviceinstance {ns}/{name}"), PATIENCE, || {
        env.typed::<ServiceInstance>(ns, name).filter(|si| pred(si))
    })
}

#[tokio::test]
async fn the_controller_drives_one_instance_to_ready_and_another_to_failed() {
    let (env, ns) = setup("foundation");
    let api: Api<ServiceInstance> = Api::namespaced(env.client().await, &ns);
    let spec = ServiceInstanceSpec {
        cluster_service_class_external_name: Some("cassandra".into()),
        cluster_service_plan_external_name: Some("developer".into()),
        ..Default::default()
    };
    let good = ServiceInstance::new("good", spec.clone());
    // Our broker accepts the provision (202), then reports the operation failed.
    let bad = ServiceInstance::new(
        "bad",
        ServiceInstanceSpec {
            parameters: Some(
                json!({"x-test": {"provision": "fail", "message": "no capacity in US_WEST_2"}}),
            ),
            ..spec
        },
    );
    api.create(&PostParams::default(), &good).await.unwrap();
    api.create(&PostParams::default(), &bad).await.unwrap();

    let good = instance_until(env, &ns, "good", |si| si.is_true("Ready"));
    let st = good.status.clone().unwrap();
    assert_eq!(st.provision_status.as_deref(), Some("Provisioned"));
    assert_eq!(st.deprovision_status.as_deref(), Some("Required"));
    assert_eq!(st.async_op_in_progress, Some(false));
    assert_eq!(
        good.condition("Ready").unwrap().reason.as_deref(),
        Some("ProvisionedSuccessfully")
    );
    assert!(good.condition("Failed").is_none());
    assert!(good.finalizers().contains(&FINALIZER.to_string()));
    assert!(
        good.spec.cluster_service_class_ref.is_some()
            && good.spec.cluster_service_plan_ref.is_some()
    );
    assert_eq!(good.last_condition_state(), "Ready");
    assert_eq!(st.last_condition_state.as_deref(), Some("Ready"));
    // The broker holds it under the instance's externalID, with the plan asked for.
    let held = env
        .broker_instance(&ns, "good")
        .expect("the broker knows the instance");
    assert_eq!(held["id"].as_str(), good.spec.external_id.as_deref());
    assert_eq!(held["state"], "ready");
    assert_eq!(held["plan_name"], "developer");
    assert_eq!(
        env.events(&ns, "good"),
        [
            ("Normal".to_string(), "Provisioning".to_string()),
            ("Normal".to_string(), "ProvisionedSuccessfully".to_string())
        ]
    );

    // The failed operation is final (Failed=True), and the controller deprovisions what the broker may
    // have left (orphan mitigation) before it settles.
    let bad = instance_until(env, &ns, "bad", |si| {
        si.is_true("Failed")
            && si.condition("Ready").and_then(|c| c.reason.as_deref())
                == Some("OrphanMitigationSuccessful")
    });
    let failed = bad.condition("Failed").unwrap();
    assert_eq!(failed.reason.as_deref(), Some("ProvisionCallFailed"));
    assert_eq!(
        failed.message.as_deref(),
        Some("Provision call failed: no capacity in US_WEST_2")
    );
    assert_eq!(bad.condition("Ready").unwrap().status, "False");
    assert!(!bad.async_op_in_progress());
    let st = bad.status.clone().unwrap();
    assert_eq!(st.last_condition_state.as_deref(), Some("Failed"));
    assert_eq!(st.provision_status.as_deref(), Some("NotProvisioned"));
    assert_eq!(st.deprovision_status.as_deref(), Some("Succeeded"));
    assert_eq!(st.orphan_mitigation_in_progress, Some(false));
    assert_eq!(
        env.broker_instance(&ns, "bad").expect("the broker saw it")["state"],
        "gone",
        "orphan mitigation removed it at the broker"
    );
    let reasons: Vec<(String, String)> = env.events(&ns, "bad");
    for want in [
        ("Warning", "ProvisionCallFailed"),
        ("Warning", "StartingInstanceOrphanMitigation"),
        ("Normal", "OrphanMitigationSuccessful"),
    ] {
        assert!(
            reasons
                .iter()
                .any(|(t, r)| (t.as_str(), r.as_str()) == want),
            "event {want:?} missing: {reasons:?}"
        );
    }
    // Both verdicts as the plugins print them.
    let table = env.kubectl(&["osb", "get", "instances", "-n", &ns]).ok();
    let statuses: Vec<Vec<&str>> = table
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().take(5).collect())
        .collect();
    assert_eq!(
        statuses,
        [
            ["bad", ns.as_str(), "cassandra", "developer", "Failed"],
            ["good", ns.as_str(), "cassandra", "developer", "Ready"]
        ]
    );
}

#[test]
fn parameters_from_a_missing_secret_are_retried_until_the_secret_exists() {
    let (env, ns) = setup("params-from");
    env.apply(
        &ns,
        testkit::instance("db", "cassandra", "developer")
            .set("/spec/parameters/nodes", 3)
            .set(
                "/spec/parametersFrom",
                json!([{"secretKeyRef": {"name": "db-params", "key": "parameters"}}]),
            ),
    );
    let ready_message = |si: &ServiceInstance| {
        si.condition("Ready")
            .filter(|c| c.reason.as_deref() == Some("ErrorWithParameters"))
            .and_then(|c| c.message.clone())
            .unwrap_or_default()
    };
    // The controller cannot assemble the parameters: Ready=False ErrorWithParameters, retried, nothing
    // sent to the broker.
    let si = instance_until(env, &ns, "db", |si| {
        ready_message(si).ends_with("secrets \"db-params\" not found")
    });
    assert_eq!(si.condition("Ready").unwrap().status, "False");
    assert!(
        si.condition("Failed").is_none(),
        "ErrorWithParameters is retried, never terminal"
    );
    assert!(
        env.broker_instance(&ns, "db").is_none(),
        "nothing was provisioned"
    );
    let described = env.kubectl(&["osb", "describe", "db", "-n", &ns]).ok();
    described
        .stdout_has("Status:             Retrying: ErrorWithParameters")
        .stdout_has("  secret/db-params key parameters (values not shown)");
    assert!(
        env.events(&ns, "db")
            .contains(&("Warning".into(), "ErrorWithParameters".into())),
        "{:?}",
        env.events(&ns, "db")
    );
    // A value that repeats a parameter is a conflict, still retried.
    env.secret(&ns, "db-params", "parameters", "{\"nodes\": 5}");
    let si = instance_until(env, &ns, "db", |si| {
        ready_message(si).ends_with("conflict: duplicate entry for parameter \"nodes\"")
    });
    assert!(si.condition("Failed").is_none());
    assert!(
        env.broker_instance(&ns, "db").is_none(),
        "nothing was provisioned"
    );
    env.kubectl(&["delete", "secret", "db-params", "-n", &ns])
        .ok();
    env.secret(&ns, "db-params", "parameters", "{\"password\": \"s3cret\"}");
    let si = instance_until(env, &ns, "db", |si| si.is_true("Ready"));
    let recorded = si
        .status
        .unwrap()
        .external_properties
        .unwrap()
        .parameters
        .unwrap();
    assert_eq!(recorded, json!({"nodes": 3, "password": "<redacted>"}));
    // The broker received both merged, the Secret's value in clear.
    let held = env
        .broker_instance(&ns, "db")
        .expect("provisioned at the broker");
    assert_eq!(
        held["parameters"],
        json!({"nodes": 3, "password": "s3cret"})
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
        run.code(1)
            .stderr_starts("Error from server (Forbidden): ")
            .stderr_has("\"osb-viewer\"");
    }
    let run = plugin(
        env,
        "catalog",
        &["--cluster", "nope"],
        &[("KUBECONFIG", kc)],
    );
    assert_eq!(run.code, 1, "{run:#?}");
    run.stderr_starts("error: ");
    // No configuration at all (no kubeconfig, not in a cluster): a clear error, exit 1.
    let run = plugin(env, "catalog", &[], &[]);
    run.code(1).stderr_starts("error: no configuration found");
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
    run.code(2)
        .stderr_starts("error: unexpected argument '--no-such-flag'");
    let help = env.kubectl(&["osb", "catalog", "--help"]).ok();
    help.stdout_has("Usage: kubectl osb catalog");
}

/// The Kubernetes name of the ClusterServiceClass with this external name (found through the hashed
/// lookup label the controller puts on classes).
fn class_k8s_name(env: &Env, external_name: &str) -> String {
    let label = format!(
        "{}spec.externalName={}",
        osb::catalog::LABEL_PREFIX,
        osb::catalog::label_hash(external_name)
    );
    let run = env
        .kubectl(&["get", "clusterserviceclasses", "-l", &label, "-o", "name"])
        .ok();
    let name = run.stdout.trim();
    assert_eq!(name.lines().count(), 1, "{run:?}");
    name.rsplit('/').next().unwrap().to_string()
}

#[test]
fn the_catalog_webhook_defaults_at_create_and_refuses_what_the_catalog_refuses() {
    let (env, ns) = setup("webhook");
    let si = |name: &str, class: &str, plan: Option<&str>| {
        let plan = plan
            .map(|p| format!("  clusterServicePlanExternalName: {p}\n"))
            .unwrap_or_default();
        format!(
            "apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceInstance\nmetadata:\n  name: {name}\n  \
             finalizers: [example.com/mine]\nspec:\n  clusterServiceClassExternalName: {class}\n{plan}"
        )
    };
    let create = |yaml: &str| -> Value {
        let run = env
            .kubectl_stdin(&["create", "-n", &ns, "-o", "json", "-f", "-"], yaml)
            .ok();
        serde_json::from_str(&run.stdout).unwrap()
    };
    // Defaults are in the object the create returns: finalizer list overwritten, externalID, userInfo
    // (the OriginatingIdentity feature) of the user who created it.
    let v = create(&si("db", "cassandra", Some("developer")));
    assert_eq!(v["metadata"]["finalizers"], json!([FINALIZER]));
    assert!(
        v["spec"]["externalID"]
            .as_str()
            .is_some_and(|s| s.len() == 36),
        "{v}"
    );
    assert_eq!(v["spec"]["userInfo"]["username"], "osb-admin");
    assert!(
        v["spec"]["userInfo"]["groups"]
            .as_array()
            .is_some_and(|g| g.contains(&json!("system:masters"))),
        "{v}"
    );
    // A class with one plan gets it (ours and the test-broker's); a class with several refuses a missing
    // plan, and nothing is created.
    for (name, class, plan) in [
        ("sp", "spark", "standard"),
        ("ts", "test-service", "default"),
    ] {
        let v = create(&si(name, class, None));
        assert_eq!(v["spec"]["clusterServicePlanExternalName"], plan, "{v}");
    }
    for class in ["cassandra", "test-service-multiple-plans"] {
        let refused =
            env.kubectl_stdin(&["create", "-n", &ns, "-f", "-"], &si("many", class, None));
        assert_eq!(refused.code, 1, "{refused:#?}");
        let message = format!(
            "ClusterServiceClass (K8S: {} ExternalName: {class}) has more than one plan, PlanName must be specified",
            class_k8s_name(env, class)
        );
        assert_eq!(
            refused.stderr.trim(),
            format!(
                "Error from server ({message}): error when creating \"STDIN\": admission webhook \
                 \"mutating.serviceinstances.servicecatalog.k8s.io\" denied the request: {message}"
            ),
            "{refused:#?}"
        );
        assert_ne!(
            env.kubectl(&["get", "serviceinstance", "many", "-n", &ns])
                .code,
            0,
            "nothing may be created"
        );
    }
    // Without a plan, a class that does not exist cannot be defaulted either: refused.
    let refused = env.kubectl_stdin(&["create", "-n", &ns, "-f", "-"], &si("nx", "nosuch", None));
    refused.code(1).stderr_has("denied the request: could not find a single ClusterServiceClass with \"servicecatalog.k8s.io/spec.externalName\" = \"nosuch\", found 0");

    // While an operation runs, the spec cannot change (the validating webhook).
    env.behave(&ns, "slow", json!({"provision": "hang"}));
    create(&si("slow", "kafka", Some("developer")));
    env.until_jsonpath(
        "serviceinstance",
        &ns,
        "slow",
        "{.status.currentOperation}",
        |s| s == "Provision",
    );
    let refused = env.kubectl(&[
        "patch",
        "serviceinstance",
        "slow",
        "-n",
        &ns,
        "--type=merge",
        "-p",
        r#"{"spec":{"parameters":{"partitions":3}}}"#,
    ]);
    refused.code(1).stderr_has("admission webhook \"validating.serviceinstances.servicecatalog.k8s.io\" denied the request: spec: Forbidden: Another update for this service instance is in progress");
    env.behave(&ns, "slow", json!({"provision": "succeed"}));

    // Bindings: externalID, userInfo, finalizer and secretName defaulted; the spec cannot be changed;
    // none may be created for an instance that is being deleted.
    env.kubectl(&[
        "osb",
        "wait",
        "-n",
        &ns,
        "si/db",
        "si/slow",
        "--for=ready",
        "--timeout=120s",
    ])
    .ok();
    let sb = |name: &str| {
        format!(
            "apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceBinding\nmetadata:\n  name: {name}\nspec:\n  instanceRef:\n    name: db\n"
        )
    };
    let b = create(&sb("b1"));
    assert_eq!(b["metadata"]["finalizers"], json!([FINALIZER]));
    assert_eq!(b["spec"]["secretName"], "b1");
    assert_eq!(b["spec"]["userInfo"]["username"], "osb-admin");
    let external_id = b["spec"]["externalID"].as_str().unwrap().to_string();
    assert_eq!(external_id.len(), 36, "{b}");
    let get_spec = || -> Value { env.json("servicebinding", &ns, "b1")["spec"].clone() };
    let before = get_spec();
    // The update is accepted, but the webhook puts the old spec back.
    env.kubectl(&[
        "patch",
        "servicebinding",
        "b1",
        "-n",
        &ns,
        "--type=merge",
        "-p",
        r#"{"spec":{"secretName":"other","parameters":{"x":1}}}"#,
    ])
    .ok();
    assert_eq!(
        get_spec(),
        before,
        "binding specs are put back by the webhook"
    );
    assert_eq!(before["secretName"], "b1");
    env.kubectl(&[
        "osb",
        "wait",
        "-n",
        &ns,
        "sb/b1",
        "--for=ready",
        "--timeout=120s",
    ])
    .ok();
    env.kubectl(&["delete", "serviceinstance", "db", "-n", &ns, "--wait=false"])
        .ok();
    let refused = env.kubectl_stdin(&["create", "-n", &ns, "-f", "-"], &sb("b2"));
    refused.code(1).stderr_has(&format!(
        "ServiceBinding {ns}/b2 references a ServiceInstance that is being deleted: {ns}/db"
    ));
    // The instance stays while its binding exists: the controller blocks the deprovision.
    env.until_jsonpath(
        "serviceinstance",
        &ns,
        "db",
        "{.status.conditions[?(@.type==\"Ready\")].reason}",
        |s| s == "DeprovisionBlockedByExistingCredentials",
    );
    let described = env.kubectl(&["osb", "describe", "db", "-n", &ns]).ok();
    described.stdout_has("Status:             Deprovision blocked: bindings still exist");
    env.kubectl(&["delete", "servicebinding", "b1", "-n", &ns, "--wait=false"])
        .ok();
}
