//! The lifecycle verbs (provision, bind, unbind, deprovision, describe, get) and mapping the
//! credentials into an application, through the real kubectl against the real Service Catalog and our
//! Instaclustr-like broker.

use std::path::PathBuf;

use base64::Engine;
use serde_json::{Value, json};
use testkit::{Env, Run, env, short_retry_env};

use crate::foundation::{broker_instance, events};

fn osb(ns: &str, args: &[&str]) -> Run {
    osb_on(env(), ns, args)
}

/// `kubectl osb ARGS… -n NS` on a given environment.
fn osb_on(env: &Env, ns: &str, args: &[&str]) -> Run {
    env.osb(ns, args)
}

fn kubectl_json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend_from_slice(&["-o", "json"]);
    let run = env().kubectl(&a).ok();
    serde_json::from_str(&run.stdout).unwrap()
}

/// The names of the objects of one type in a namespace (`kubectl get -o name`).
fn names(kind: &str, ns: &str) -> Vec<String> {
    env()
        .kubectl(&["get", kind, "-n", ns, "-o", "name"])
        .ok()
        .stdout
        .lines()
        .map(str::to_string)
        .collect()
}

/// Decoded data of a Secret, read with plain kubectl.
fn secret_data(ns: &str, name: &str) -> serde_json::Map<String, Value> {
    let s = kubectl_json(&["get", "secret", name, "-n", ns]);
    s["data"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(v.as_str().unwrap())
                .unwrap();
            (k.clone(), Value::String(String::from_utf8(bytes).unwrap()))
        })
        .collect()
}

fn full_lifecycle(prefix: &str, class: &str, plan: &str, keys: &[&str]) {
    let ns = env().namespace(prefix);
    let prov = osb(
        &ns,
        &[
            "provision",
            "svc",
            "--class",
            class,
            "--plan",
            plan,
            "--wait",
            "--timeout",
            "120s",
        ],
    )
    .ok();
    assert_eq!(
        prov.stdout,
        "serviceinstance.servicecatalog.k8s.io/svc created\nserviceinstance.servicecatalog.k8s.io/svc condition met\n"
    );
    let si = kubectl_json(&["get", "serviceinstance", "svc", "-n", &ns]);
    assert_eq!(si["spec"]["clusterServiceClassExternalName"], class);
    assert_eq!(si["spec"]["clusterServicePlanExternalName"], plan);
    let held = broker_instance(env(), &ns, "svc").expect("provisioned at the broker");
    assert_eq!(held["id"], si["spec"]["externalID"]);
    assert_eq!(
        (&held["service_name"], &held["plan_name"], &held["state"]),
        (&json!(class), &json!(plan), &json!("ready"))
    );

    let bind = osb(
        &ns,
        &[
            "bind",
            "app",
            "--instance",
            "svc",
            "--wait",
            "--timeout",
            "120s",
        ],
    )
    .ok();
    assert_eq!(
        bind.stdout,
        "servicebinding.servicecatalog.k8s.io/app created\nservicebinding.servicecatalog.k8s.io/app condition met\n"
    );
    // Without --show-credentials: key names only, no value anywhere.
    let secret = secret_data(&ns, "app");
    let password = secret["password"].as_str().unwrap().to_string();
    assert!(
        !bind.stdout.contains(&password) && !bind.stderr.contains(&password),
        "{bind:?}"
    );
    for k in keys {
        assert!(bind.stderr.contains(k), "key {k} not named: {bind:?}");
    }
    // The Secret holds what the broker answered to the bind.
    let held = broker_instance(env(), &ns, "svc").unwrap();
    let sb = kubectl_json(&["get", "servicebinding", "app", "-n", &ns]);
    let bindings = held["bindings"].as_array().unwrap();
    assert_eq!(bindings.len(), 1, "{held:#}");
    assert_eq!(bindings[0]["id"], sb["spec"]["externalID"]);
    for k in ["username", "password"] {
        assert_eq!(bindings[0]["credentials"][k], secret[k], "{k}");
    }

    // The same binding again: unchanged, and the credentials decoded on request.
    let shown = osb(
        &ns,
        &[
            "bind",
            "app",
            "--instance",
            "svc",
            "--show-credentials=json",
        ],
    )
    .ok();
    // stdout is the credentials alone (one JSON document); the status lines go to stderr.
    assert!(
        shown
            .stderr
            .contains("servicebinding.servicecatalog.k8s.io/app unchanged"),
        "{shown:#?}"
    );
    let creds: Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(
        creds,
        Value::Object(secret.clone()),
        "decoded credentials must equal the Secret's"
    );
    let mut got: Vec<&str> = creds
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    got.sort();
    let mut want = keys.to_vec();
    want.sort();
    assert_eq!(got, want);
    let table = osb(
        &ns,
        &["bind", "app", "--instance", "svc", "--show-credentials"],
    )
    .ok();
    assert!(
        table
            .stdout
            .lines()
            .any(|l| l.split_whitespace().eq(["password", password.as_str()])),
        "{table:?}"
    );

    let unbind = osb(&ns, &["unbind", "app", "--wait", "--timeout", "120s"]).ok();
    assert_eq!(
        unbind.stdout,
        "servicebinding.servicecatalog.k8s.io/app deleted\n"
    );
    assert!(names("servicebindings", &ns).is_empty());
    assert!(!names("secrets", &ns).iter().any(|s| s == "secret/app"));
    let held = broker_instance(env(), &ns, "svc").unwrap();
    assert_eq!(held["bindings"], json!([]), "the broker was told to unbind");

    let deprov = osb(&ns, &["deprovision", "svc", "--wait", "--timeout", "120s"]).ok();
    assert_eq!(
        deprov.stdout,
        "serviceinstance.servicecatalog.k8s.io/svc deleted\n"
    );
    assert!(names("serviceinstances", &ns).is_empty());
    assert_eq!(
        broker_instance(env(), &ns, "svc").unwrap()["state"],
        "gone",
        "the broker deprovisioned it"
    );
}

#[test]
fn cassandra_provision_bind_show_unbind_deprovision() {
    full_lifecycle(
        "lc-cassandra",
        "cassandra",
        "developer",
        &[
            "cluster_id",
            "datacenter",
            "host",
            "hosts",
            "password",
            "port",
            "username",
        ],
    );
}

#[test]
fn kafka_provision_bind_show_unbind_deprovision() {
    full_lifecycle(
        "lc-kafka",
        "kafka",
        "developer",
        &[
            "bootstrap_servers",
            "hosts",
            "password",
            "port",
            "sasl_mechanism",
            "security_protocol",
            "username",
        ],
    );
}

#[test]
fn provision_refuses_bad_input_and_creates_nothing() {
    let ns = env().namespace("lc-bad");
    env()
        .kubectl(&[
            "create",
            "secret",
            "generic",
            "notobj",
            "-n",
            &ns,
            "--from-literal=parameters=[1,2]",
        ])
        .ok();
    // Both brokers' classes are valid names: the error lists every class the cluster has, sorted.
    let mut classes: Vec<String> = env()
        .kubectl(&[
            "get",
            "clusterserviceclasses",
            "-o",
            "jsonpath={range .items[*]}{.spec.externalName}{\"\\n\"}{end}",
        ])
        .ok()
        .stdout
        .lines()
        .map(str::to_string)
        .collect();
    classes.sort();
    assert!(classes.len() > 4 && classes.contains(&"test-service".to_string()));
    let unknown_class = format!(
        "error: class \"casandra\" not found (did you mean \"cassandra\"?); valid classes: {}\n",
        classes.join(", ")
    );
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "provision",
                "db",
                "--class",
                "casandra",
                "--plan",
                "developer",
            ],
            &unknown_class,
        ),
        (
            &["provision", "db", "--class", "cassandra", "--plan", "huge"],
            "error: plan \"huge\" not found in class \"cassandra\"; valid plans: developer, production-large, production-small",
        ),
        (
            &[
                "provision",
                "My_DB",
                "--class",
                "cassandra",
                "--plan",
                "developer",
            ],
            "error: invalid instance name \"My_DB\"",
        ),
        (
            &[
                "provision",
                "db",
                "--class",
                "cassandra",
                "--plan",
                "developer",
                "-p",
                "replicas",
            ],
            "error: invalid parameter \"replicas\": expected KEY=VALUE or KEY:=JSON",
        ),
        (
            &[
                "provision",
                "db",
                "--class",
                "cassandra",
                "--plan",
                "developer",
                "-p",
                "racks:=[1,",
            ],
            "error: invalid parameter \"racks:=[1,\": the value after := is not JSON",
        ),
        (
            &[
                "provision",
                "db",
                "--class",
                "cassandra",
                "--plan",
                "developer",
                "--params-from-secret",
                "notobj",
            ],
            "error: secret \"notobj\" key \"parameters\" holds an array, but parametersFrom needs a JSON object",
        ),
        (
            &[
                "provision",
                "db",
                "--class",
                "cassandra",
                "--plan",
                "developer",
                "--params-from-secret",
                "missing:k",
            ],
            "error: --params-from-secret: secret \"missing\" not found",
        ),
    ];
    for (args, expected) in cases {
        let run = osb(&ns, args);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert!(
            run.stderr.starts_with(expected),
            "{args:?}: expected {expected:?}, got {run:?}"
        );
        assert!(run.stdout.is_empty(), "{run:?}");
    }
    assert!(
        names("serviceinstances", &ns).is_empty(),
        "nothing may be created"
    );
}

#[test]
fn dry_run_client_output_applies_unchanged_and_provision_is_idempotent() {
    let ns = env().namespace("lc-dry");
    let args = [
        "provision",
        "db",
        "--class",
        "cassandra",
        "--plan",
        "developer",
        "-p",
        "replicas=3",
        "-p",
        "auth=true",
        "-p",
        "dc.name=AWS_VPC_US_EAST_1",
        "-p",
        "tag=\"007\"",
        "--label",
        "team=data",
    ];
    let mut dry = args.to_vec();
    dry.extend(["--dry-run=client", "-o", "yaml"]);
    let printed = osb(&ns, &dry).ok();
    assert!(
        printed
            .stdout
            .starts_with("apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceInstance\n")
    );
    assert!(
        names("serviceinstances", &ns).is_empty(),
        "--dry-run=client must create nothing"
    );

    env()
        .kubectl_stdin(&["apply", "-f", "-", "-n", &ns], &printed.stdout)
        .ok();
    let si = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(
        si["spec"]["parameters"],
        serde_json::json!({"replicas": 3, "auth": true, "dc": {"name": "AWS_VPC_US_EAST_1"}, "tag": "007"})
    );
    assert_eq!(si["metadata"]["labels"]["team"], "data");

    // The same spec again through the plugin: unchanged, exit 0.
    let again = osb(&ns, &args).ok();
    assert_eq!(
        again.stdout,
        "serviceinstance.servicecatalog.k8s.io/db unchanged\n"
    );
    // A different spec: refused, naming the fields.
    let mut changed = args.to_vec();
    changed.extend(["-p", "replicas=5"]);
    changed[5] = "production-small";
    let refused = osb(&ns, &changed);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.starts_with(
            "error: serviceinstance \"db\" already exists with a different spec: \
             spec.clusterServicePlanExternalName (\"developer\" → \"production-small\"), spec.parameters.replicas"
        ),
        "{refused:?}"
    );
    let unchanged = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(unchanged["spec"]["parameters"]["replicas"], 3);
    // The catalog refuses any spec change while an operation runs: let the provision finish first.
    osb(&ns, &["wait", "si/db", "--for=ready", "--timeout=120s"]).ok();
    let held = broker_instance(env(), &ns, "db").expect("provisioned at the broker");
    assert_eq!(
        held["parameters"],
        json!({"replicas": 3, "auth": true, "dc": {"name": "AWS_VPC_US_EAST_1"}, "tag": "007"})
    );
    // --update applies it and bumps updateRequests; the controller sends the update to the broker.
    changed.push("--update");
    let updated = osb(&ns, &changed).ok();
    assert_eq!(
        updated.stdout,
        "serviceinstance.servicecatalog.k8s.io/db configured\n"
    );
    let si = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(si["spec"]["parameters"]["replicas"], 5);
    assert_eq!(
        si["spec"]["clusterServicePlanExternalName"],
        "production-small"
    );
    assert_eq!(si["spec"]["updateRequests"], 1);
    osb(&ns, &["wait", "si/db", "--for=ready", "--timeout=120s"]).ok();
    let held = broker_instance(env(), &ns, "db").unwrap();
    assert_eq!(held["plan_name"], "production-small");
    assert_eq!(held["parameters"]["replicas"], 5);
    let updated = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(
        updated["status"]["externalProperties"]["clusterServicePlanExternalName"],
        "production-small"
    );
    // --dry-run=server asks the API but creates nothing.
    let server = osb(
        &ns,
        &[
            "provision",
            "other",
            "--class",
            "kafka",
            "--plan",
            "developer",
            "--dry-run=server",
        ],
    )
    .ok();
    assert_eq!(
        server.stdout,
        "serviceinstance.servicecatalog.k8s.io/other created (server dry run)\n"
    );
    assert_eq!(
        names("serviceinstances", &ns),
        ["serviceinstance.servicecatalog.k8s.io/db"]
    );
    assert!(
        !env()
            .broker_requests()
            .iter()
            .any(|r| r["namespace"] == ns.as_str() && r["instance_name"] == "other"),
        "a server dry run reaches no broker"
    );
}

#[test]
fn provision_wait_reports_a_rejected_provision_with_exit_3() {
    let ns = env().namespace("lc-reject");
    let run = osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
            "--timeout",
            "120s",
            "-p",
            "x-test.provision=reject",
            "-p",
            "x-test.message=the provisioning API refused the parameters",
        ],
    );
    // Our broker answers 400: the controller gives up at once (Failed=True).
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stderr.contains(
            "serviceinstance.servicecatalog.k8s.io/db failed: ClusterServiceBrokerReturnedFailure"
        ),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("Status: 400; ErrorMessage: BadRequest; Description: the provisioning API refused the parameters"),
        "{run:?}"
    );
    let described = osb(&ns, &["describe", "db"]).ok();
    assert!(
        described
            .stdout
            .contains("Status:             Failed: ClusterServiceBrokerReturnedFailure"),
        "{described:?}"
    );
    let si = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(si["status"]["deprovisionStatus"], "NotRequired", "{si:#}");
    let held = broker_instance(env(), &ns, "db");
    assert!(
        held.is_none(),
        "a rejected provision creates nothing: {held:?}"
    );
    let ev = events(env(), &ns, "db");
    assert!(
        ev.contains(&(
            "Warning".into(),
            "ClusterServiceBrokerReturnedFailure".into()
        )),
        "{ev:?}"
    );
    // Deleting it needs no deprovision at the broker.
    let gone = osb(&ns, &["deprovision", "db", "--wait", "--timeout", "120s"]).ok();
    assert_eq!(
        gone.stdout,
        "serviceinstance.servicecatalog.k8s.io/db deleted\n"
    );
    let id = si["spec"]["externalID"].as_str().unwrap();
    let sent: Vec<String> = env()
        .broker_requests()
        .iter()
        .filter(|r| r["instance_id"] == id)
        .map(|r| r["method"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(sent, ["PUT"], "one provision call, no deprovision");
}

#[test]
fn deprovision_blocked_by_a_binding_is_explained_and_unbind_path_succeeds() {
    let ns = env().namespace("lc-block");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(&ns, &["bind", "b1", "--instance", "db", "--wait"]).ok();
    osb(
        &ns,
        &[
            "bind",
            "b2",
            "--instance",
            "db",
            "--secret-name",
            "b2-creds",
            "--wait",
        ],
    )
    .ok();

    let blocked = osb(&ns, &["deprovision", "db", "--wait"]);
    assert_eq!(blocked.code, 1, "{blocked:?}");
    assert!(
        blocked
            .stderr
            .starts_with("error: serviceinstance \"db\" has 2 binding(s): b1, b2."),
        "{blocked:?}"
    );
    assert!(blocked.stderr.contains("--unbind") && blocked.stderr.contains("Nothing was deleted"));
    let si = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert!(
        si["metadata"].get("deletionTimestamp").is_none(),
        "the instance must not be deleted"
    );

    let ok = osb(
        &ns,
        &[
            "deprovision",
            "db",
            "--unbind",
            "--wait",
            "--timeout",
            "120s",
        ],
    )
    .ok();
    assert_eq!(
        ok.stdout,
        "servicebinding.servicecatalog.k8s.io/b1 deleted\nservicebinding.servicecatalog.k8s.io/b2 deleted\n\
         serviceinstance.servicecatalog.k8s.io/db deleted\n"
    );
    assert!(names("serviceinstances", &ns).is_empty());
    assert!(names("servicebindings", &ns).is_empty());
}

#[test]
fn deprovision_wait_ends_with_exit_3_when_the_broker_fails_it_for_good() {
    // The cluster whose controller gives up after testkit::SHORT_RETRY: the refused deprovision ends as an
    // orphan (deprovisionStatus: Failed) in test time, as it does after 7 days on a default cluster.
    let env = short_retry_env();
    let ns = env.namespace("lc-orphan");
    osb_on(
        env,
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "-p",
            "x-test.deprovision=fail",
            "--wait",
            "--timeout",
            "120s",
        ],
    )
    .ok();
    let run = osb_on(
        env,
        &ns,
        &["deprovision", "db", "--wait", "--timeout", "180s"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(
        run.stdout,
        "serviceinstance.servicecatalog.k8s.io/db deleted\n"
    );
    // First the retries, reported as they happen; then the end.
    let retry = run
        .stderr
        .find("Warning: serviceinstance.servicecatalog.k8s.io/db: DeprovisionCallFailed")
        .unwrap_or_else(|| panic!("the retry was not reported: {run:?}"));
    let failed = run
        .stderr
        .find("error: serviceinstance.servicecatalog.k8s.io/db failed: ErrorReconciliationRetryTimeout")
        .unwrap_or_else(|| panic!("{run:?}"));
    assert!(retry < failed, "{run:?}");
    let si = env
        .kubectl(&["get", "serviceinstance", "db", "-n", &ns, "-o", "json"])
        .ok();
    let si: Value = serde_json::from_str(&si.stdout).unwrap();
    assert_eq!(si["status"]["deprovisionStatus"], "Failed", "{si:#}");
    assert_eq!(
        si["metadata"]["finalizers"],
        json!([osb::catalog::FINALIZER]),
        "the orphan keeps its finalizer"
    );
    let described = osb_on(env, &ns, &["describe", "db"]).ok();
    assert!(
        described.stdout.contains(
            "Status:             Orphaned? the deprovision failed (ErrorReconciliationRetryTimeout); \
             the broker may still hold the service"
        ),
        "{described:?}"
    );
    assert!(
        described
            .stdout
            .contains("ErrorReconciliationRetryTimeout: "),
        "the reason is explained: {described:?}"
    );
    // The broker still holds it.
    assert_eq!(
        broker_instance(env, &ns, "db").expect("known")["state"],
        "ready"
    );
    let ev = events(env, &ns, "db");
    for want in [
        ("Warning", "DeprovisionCallFailed"),
        ("Warning", "ErrorReconciliationRetryTimeout"),
    ] {
        assert!(
            ev.iter().any(|(t, r)| (t.as_str(), r.as_str()) == want),
            "event {want:?} missing: {ev:?}"
        );
    }
}

#[test]
fn deprovision_wait_reports_a_refused_deprovision_as_retried_and_ends_once_the_broker_accepts() {
    // On a default cluster the controller retries a refused deprovision (for 7 days): not a failure.
    let env = env();
    let ns = env.namespace("lc-retry");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
            "--timeout",
            "120s",
        ],
    )
    .ok();
    env.behave(&ns, "db", json!({"deprovision": "fail"}));
    let run = osb(&ns, &["deprovision", "db", "--wait", "--timeout", "20s"]);
    assert_eq!(run.code, 4, "a timeout, not a failure: {run:?}");
    assert!(
        run.stderr
            .contains("error: timed out waiting for the condition on serviceinstances/db"),
        "{run:?}"
    );
    assert!(
        run.stderr.contains(
            "Warning: serviceinstance.servicecatalog.k8s.io/db: DeprovisionCallFailed (the broker failed the \
             deprovision; the catalog retries"
        ),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("Description: Cluster deletion refused"),
        "the broker's words: {run:?}"
    );
    assert!(!run.stderr.contains(" failed: "), "{run:?}");
    let si = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(si["status"]["deprovisionStatus"], "Required", "{si:#}");
    assert_eq!(si["status"]["currentOperation"], "Deprovision", "{si:#}");
    assert!(
        si["status"]["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["type"] != "Failed")
    );
    let described = osb(&ns, &["describe", "db"]).ok();
    assert!(
        described.stdout.contains(
            "Status:             Deprovisioning (retrying: the broker failed the deprovision)"
        ),
        "{described:?}"
    );
    assert!(
        described
            .stdout
            .contains("  Ready   Unknown   DeprovisionCallFailed   "),
        "{described:?}"
    );
    // --fail-on makes the retrying reason final for a script that wants it.
    let strict = osb(
        &ns,
        &[
            "deprovision",
            "db",
            "--wait",
            "--timeout",
            "120s",
            "--fail-on",
            "DeprovisionCallFailed",
        ],
    );
    assert_eq!(strict.code, 3, "{strict:?}");
    assert!(
        strict
            .stderr
            .contains("serviceinstance.servicecatalog.k8s.io/db failed: DeprovisionCallFailed"),
        "{strict:?}"
    );
    // The broker gives in: the controller's next retry deprovisions it, and the same wait ends well.
    env.behave(&ns, "db", json!({"deprovision": "succeed"}));
    let done = osb(&ns, &["deprovision", "db", "--wait", "--timeout", "180s"]).ok();
    assert_eq!(
        done.stdout,
        "serviceinstance.servicecatalog.k8s.io/db deleted\n"
    );
    assert!(names("serviceinstances", &ns).is_empty());
    assert_eq!(broker_instance(env, &ns, "db").unwrap()["state"], "gone");
}

#[test]
fn unbind_wait_reports_a_refused_unbind_as_retried_and_exit_3_once_the_catalog_gives_up() {
    // A default cluster: the refused unbind is retried, the wait says so and runs into its timeout; once
    // the broker accepts, the binding goes.
    let env = env();
    let ns = env.namespace("lc-unbind-retry");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "kafka",
            "--plan",
            "developer",
            "--wait",
            "--timeout",
            "120s",
        ],
    )
    .ok();
    osb(
        &ns,
        &[
            "bind",
            "app",
            "--instance",
            "db",
            "--wait",
            "--timeout",
            "120s",
        ],
    )
    .ok();
    env.behave(&ns, "db", json!({"unbind": "fail"}));
    let run = osb(&ns, &["unbind", "app", "--wait", "--timeout", "20s"]);
    assert_eq!(run.code, 4, "a timeout, not a failure: {run:?}");
    assert!(
        run.stderr
            .contains("error: timed out waiting for the condition on servicebindings/app"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("Warning: servicebinding.servicecatalog.k8s.io/app: UnbindCallFailed (the broker failed the unbind"),
        "{run:?}"
    );
    assert!(!run.stderr.contains(" failed: "), "{run:?}");
    let described = osb(&ns, &["describe", "binding", "app"]).ok();
    assert!(
        described
            .stdout
            .contains("Status:             Unbinding (retrying: the broker failed the unbind)"),
        "{described:?}"
    );
    assert!(
        described.stdout.contains("Unbind Status:      Required"),
        "{described:?}"
    );
    assert!(
        described.stdout.contains(
            "Secret Data:        <none> (the catalog deletes the Secret when the unbind starts)"
        ),
        "{described:?}"
    );
    assert!(!names("secrets", &ns).iter().any(|s| s == "secret/app"));
    env.behave(&ns, "db", json!({"unbind": "succeed"}));
    let done = osb(&ns, &["unbind", "app", "--wait", "--timeout", "180s"]).ok();
    assert_eq!(
        done.stdout,
        "servicebinding.servicecatalog.k8s.io/app deleted\n"
    );
    assert!(names("servicebindings", &ns).is_empty());

    // The short-retry cluster: the controller gives up (unbindStatus: Failed) and the wait ends with 3.
    let short = short_retry_env();
    let ns = short.namespace("lc-unbind-orphan");
    osb_on(
        short,
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "kafka",
            "--plan",
            "developer",
            "--wait",
            "--timeout",
            "120s",
        ],
    )
    .ok();
    osb_on(
        short,
        &ns,
        &[
            "bind",
            "app",
            "--instance",
            "db",
            "-p",
            "x-test.unbind=fail",
            "--wait",
            "--timeout",
            "120s",
        ],
    )
    .ok();
    let run = osb_on(
        short,
        &ns,
        &["unbind", "app", "--wait", "--timeout", "180s"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stderr
            .contains("Warning: servicebinding.servicecatalog.k8s.io/app: UnbindCallFailed"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("error: servicebinding.servicecatalog.k8s.io/app failed: ErrorReconciliationRetryTimeout"),
        "{run:?}"
    );
    let sb = short
        .kubectl(&["get", "servicebinding", "app", "-n", &ns, "-o", "json"])
        .ok();
    let sb: Value = serde_json::from_str(&sb.stdout).unwrap();
    assert_eq!(sb["status"]["unbindStatus"], "Failed", "{sb:#}");
    let described = osb_on(short, &ns, &["describe", "binding", "app"]).ok();
    assert!(
        described.stdout.contains(
            "Status:             Orphaned? the unbind failed; the broker may still hold the credentials"
        ),
        "{described:?}"
    );
}

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = env().cp.dir.join("lifecycle-files");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{}-{name}", uuid_suffix()));
    std::fs::write(&p, text).unwrap();
    p
}

fn uuid_suffix() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: app
        image: example.com/cassandra-client:1
        env:
        - name: MODE
          value: load-test
";

#[test]
fn mapping_a_job_manifest_gives_only_secret_key_refs_and_existing_jobs_are_explained() {
    let ns = env().namespace("lc-map");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(&ns, &["bind", "db-app", "--instance", "db", "--wait"]).ok();
    let secret = secret_data(&ns, "db-app");

    let job = write_temp("job.yaml", JOB);
    let patched = osb(
        &ns,
        &[
            "bind",
            "env",
            "db-app",
            "--prefix",
            "CASSANDRA_",
            "-f",
            job.to_str().unwrap(),
        ],
    )
    .ok();
    env()
        .kubectl_stdin(&["create", "-f", "-", "-n", &ns], &patched.stdout)
        .ok();
    let created = kubectl_json(&["get", "job", "pi", "-n", &ns]);
    let env_list = created["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap();
    assert_eq!(
        env_list[0],
        serde_json::json!({"name": "MODE", "value": "load-test"})
    );
    let mapped: Vec<&Value> = env_list.iter().skip(1).collect();
    assert_eq!(mapped.len(), secret.len());
    for e in &mapped {
        assert!(e.get("value").is_none(), "a value was copied: {e}");
        assert_eq!(e["valueFrom"]["secretKeyRef"]["name"], "db-app", "{e}");
        let key = e["valueFrom"]["secretKeyRef"]["key"].as_str().unwrap();
        assert!(secret.contains_key(key));
        assert_eq!(e["name"], format!("CASSANDRA_{}", key.to_uppercase()));
    }
    let text = created.to_string();
    for v in secret.values() {
        let v = v.as_str().unwrap();
        if v.len() > 4 {
            assert!(!text.contains(v), "secret value {v} copied into the Job");
        }
    }

    // The existing Job cannot be changed in place: explained, exit 1, nothing changed.
    let refused = osb(
        &ns,
        &[
            "bind",
            "env",
            "db-app",
            "--prefix",
            "X_",
            "--apply-to",
            "job/pi",
        ],
    );
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.starts_with(
            "error: job.batch/pi already exists, and a Job's pod template cannot be changed after creation"
        ),
        "{refused:?}"
    );
    assert!(refused.stderr.contains("-f job.yaml"), "{refused:?}");
    assert_eq!(
        kubectl_json(&["get", "job", "pi", "-n", &ns])["spec"]["template"],
        created["spec"]["template"]
    );

    // An unknown key is refused with the keys that exist.
    let bad = osb(&ns, &["bind", "env", "db-app", "--env", "DB=nope"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("no key \"nope\"")
            && bad.stderr.contains("cluster_id, datacenter, host"),
        "{bad:?}"
    );
}

#[test]
fn mapping_prints_an_env_block_and_patches_a_deployment_in_place() {
    let ns = env().namespace("lc-deploy");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(&ns, &["bind", "db-app", "--instance", "db", "--wait"]).ok();
    let block = osb(
        &ns,
        &[
            "bind",
            "env",
            "db-app",
            "--env",
            "CASSANDRA_HOST=host,CASSANDRA_PORT=port",
        ],
    )
    .ok();
    assert_eq!(
        block.stdout,
        "env:\n- name: CASSANDRA_HOST\n  valueFrom:\n    secretKeyRef:\n      name: db-app\n      key: host\n\
         - name: CASSANDRA_PORT\n  valueFrom:\n    secretKeyRef:\n      name: db-app\n      key: port\n"
    );
    env()
        .kubectl(&[
            "create",
            "deployment",
            "web",
            "--image",
            "example.com/web:1",
            "-n",
            &ns,
        ])
        .ok();
    let applied = osb(
        &ns,
        &[
            "bind",
            "env",
            "db-app",
            "--env",
            "CASSANDRA_HOST=host",
            "--apply-to",
            "deployment/web",
        ],
    )
    .ok();
    assert_eq!(
        applied.stdout,
        "deployment.apps/web configured (container \"web\": CASSANDRA_HOST from secret \"db-app\")\n"
    );
    let d = kubectl_json(&["get", "deployment", "web", "-n", &ns]);
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["env"],
        serde_json::json!([{"name": "CASSANDRA_HOST", "valueFrom": {"secretKeyRef": {"name": "db-app", "key": "host"}}}])
    );
    let again = osb(
        &ns,
        &[
            "bind",
            "env",
            "db-app",
            "--env",
            "CASSANDRA_HOST=host",
            "--apply-to",
            "deploy/web",
        ],
    )
    .ok();
    assert!(
        again.stdout.starts_with("deployment.apps/web unchanged"),
        "{again:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the tables

/// Replace what changes from run to run: the namespace, ages, UUIDs and long hex ids; column gaps become
/// three spaces (widths depend on the replaced values).
fn normalise(text: &str, ns: &str) -> String {
    let text = text.replace(ns, "NS");
    let mut out = String::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let cells: Vec<String> = line
            .trim_start()
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|cell| {
                cell.split(' ')
                    .map(normalise_token)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        out.push_str(&" ".repeat(indent));
        out.push_str(&cells.join("   "));
        out.push('\n');
    }
    out
}

/// The Events section of a (normalised) describe, made stable: its rows sorted (events of the same
/// second come in either order) and repeat counts hidden (`(x<n>` — how often the controller polled).
fn stable_events(text: &str) -> String {
    let mut out = Vec::new();
    let mut rows: Vec<String> = Vec::new();
    let mut in_events = false;
    for line in text.lines() {
        if line == "Events:" {
            in_events = true;
            out.push(line.to_string());
            continue;
        }
        let row = in_events
            && line.starts_with("  ")
            && !line.starts_with("  TYPE ")
            && !line
                .trim_start()
                .split(' ')
                .next()
                .unwrap_or_default()
                .ends_with(':');
        if row {
            let counted: Vec<String> = line
                .split(' ')
                .map(|w| match w.strip_prefix("(x") {
                    Some(n) if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() => {
                        "(x<n>".to_string()
                    }
                    _ => match w.strip_suffix(')') {
                        Some(a) if is_age(a) => "<age>)".to_string(),
                        _ => w.to_string(),
                    },
                })
                .collect();
            rows.push(counted.join(" "));
            continue;
        }
        if !line.starts_with("  TYPE ") {
            rows.sort();
            rows.dedup();
            out.append(&mut rows);
        }
        out.push(line.to_string());
    }
    rows.sort();
    rows.dedup();
    out.append(&mut rows);
    out.join("\n") + "\n"
}

fn is_age(t: &str) -> bool {
    let mut rest = t;
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        match rest.chars().next() {
            Some('s' | 'm' | 'h' | 'd') => rest = &rest[1..],
            _ => return false,
        }
        parts += 1;
    }
    parts > 0 && parts <= 2
}

fn normalise_token(t: &str) -> String {
    if is_age(t) {
        return "<age>".into();
    }
    // UUIDs and long hex runs anywhere in the token.
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '-' {
            out.push('-');
            i += 1;
            continue;
        }
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit() || **c == '-')
            .count();
        let s: String = chars[i..i + run].iter().collect();
        let is_uuid = s.len() >= 36 && {
            let u = &s[..36];
            u.split('-').map(str::len).eq([8, 4, 4, 4, 12])
        };
        if is_uuid {
            out.push_str("<uuid>");
            i += 36;
        } else if run >= 16 && !s.contains('-') {
            out.push_str("<hex>");
            i += run;
        } else if run > 0 {
            out.push_str(&s);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("e2e/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_SNAPSHOTS=1 to create it)",
            path.display()
        )
    });
    assert_eq!(
        actual, expected,
        "snapshot {name} differs (UPDATE_SNAPSHOTS=1 rewrites it)"
    );
}

#[test]
fn snapshot_normalising_replaces_only_volatile_parts() {
    assert_eq!(
        normalise(
            "NAME   AGE   URL\ndb-x1   3m12s   https://c/2f1c3a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6 x",
            "db-x1"
        ),
        "NAME   AGE   URL\nNS   <age>   https://c/<uuid> x\n"
    );
    assert_eq!(normalise_token("developer"), "developer");
    assert_eq!(
        normalise_token("provision-0123456789abcdef0123456789abcdef"),
        "provision-<hex>"
    );
    assert_eq!(normalise_token("9042"), "9042");
}

#[test]
fn catalog_table_matches_its_snapshot() {
    let run = env().kubectl(&["osb", "catalog"]).ok();
    snapshot("catalog", &normalise(&run.stdout, "\u{0}"));
}

#[test]
fn describe_and_get_tables_match_their_snapshots() {
    let ns = env().namespace("lc-snap");
    osb(
        &ns,
        &[
            "provision",
            "db",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "-p",
            "nodeSize=t3.small",
            "-p",
            "replicas=3",
            "-p",
            "adminPassword=hunter2",
            "--wait",
        ],
    )
    .ok();
    osb(
        &ns,
        &[
            "provision",
            "stream",
            "--class",
            "kafka",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(&ns, &["bind", "db-app", "--instance", "db", "--wait"]).ok();
    // One that fails: our broker accepts, then fails the operation; the controller mitigates the orphan.
    let broken = osb(
        &ns,
        &[
            "provision",
            "broken",
            "--class",
            "kafka",
            "--plan",
            "developer",
            "-p",
            "x-test.provision=fail",
            "-p",
            "x-test.message=no capacity in US_EAST_1",
            "--wait",
        ],
    );
    assert_eq!(broken.code, 3, "{broken:?}");
    env()
        .kubectl(&[
            "wait",
            "-n",
            &ns,
            "serviceinstance/broken",
            "--for=jsonpath={.status.deprovisionStatus}=Succeeded",
            "--timeout=120s",
        ])
        .ok();

    let f = osb(&ns, &["describe", "broken"]).ok();
    snapshot(
        "describe-failed-instance",
        &stable_events(&normalise(&f.stdout, &ns)),
    );
    let d = osb(&ns, &["describe", "db"]).ok();
    assert!(
        !d.stdout.contains("hunter2"),
        "a sensitive parameter was shown: {d:?}"
    );
    snapshot(
        "describe-instance",
        &stable_events(&normalise(&d.stdout, &ns)),
    );
    let b = osb(&ns, &["describe", "binding", "db-app"]).ok();
    let password = secret_data(&ns, "db-app")["password"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !b.stdout.contains(&password),
        "a credential was shown: {b:?}"
    );
    snapshot(
        "describe-binding",
        &stable_events(&normalise(&b.stdout, &ns)),
    );
    let gi = osb(&ns, &["get", "instances"]).ok();
    snapshot("get-instances", &normalise(&gi.stdout, &ns));
    let gb = osb(&ns, &["get", "bindings"]).ok();
    snapshot("get-bindings", &normalise(&gb.stdout, &ns));

    let empty = env().namespace("lc-empty");
    let none = osb(&empty, &["get", "instances"]).ok();
    assert_eq!(none.stdout, "");
    assert_eq!(
        none.stderr.trim(),
        format!("No resources found in {empty} namespace.")
    );
}

const INSTACLUSTR: &str = r#"{
    "clusterName": "cassandra_minimal",
    "bundles": [{"bundle": "APACHE_CASSANDRA", "version": "3.11.4"}],
    "provider": {"name": "AWS_VPC", "accountName": null},
    "slaTier": "NON_PRODUCTION",
    "nodeSize": "t3.small",
    "dataCentre": "US_WEST_2",
    "clusterNetwork": "192.168.0.0/18",
    "rackAllocation": {"numberOfRacks": "3", "nodesPerRack": "1"}
}"#;

#[test]
fn provision_from_an_instaclustr_payload_and_from_a_params_file_on_stdin() {
    let ns = env().namespace("lc-ic");
    let payload = write_temp("cluster.json", INSTACLUSTR);
    let run = osb(
        &ns,
        &[
            "provision",
            "db",
            "--from-instaclustr",
            payload.to_str().unwrap(),
            "--wait",
        ],
    )
    .ok();
    assert!(
        run.stdout
            .ends_with("serviceinstance.servicecatalog.k8s.io/db condition met\n"),
        "{run:?}"
    );
    let si = kubectl_json(&["get", "serviceinstance", "db", "-n", &ns]);
    assert_eq!(si["spec"]["clusterServiceClassExternalName"], "cassandra");
    assert_eq!(si["spec"]["clusterServicePlanExternalName"], "developer");
    let want: Value = serde_json::from_str(INSTACLUSTR).unwrap();
    assert_eq!(
        si["spec"]["parameters"], want,
        "the payload must be the parameters, unchanged"
    );

    let bad = write_temp(
        "bad.json",
        &INSTACLUSTR.replace("APACHE_CASSANDRA", "APACHE_CASANDRA"),
    );
    let refused = osb(
        &ns,
        &[
            "provision",
            "db2",
            "--from-instaclustr",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(refused.stderr.contains("APACHE_CASANDRA"), "{refused:?}");

    let mut args = vec![
        "osb",
        "provision",
        "fromfile",
        "--class",
        "kafka",
        "--plan",
        "developer",
    ];
    args.extend(["--params-file", "-", "-p", "partitions=12", "-n", &ns]);
    env()
        .kubectl_stdin(
            &args,
            "replication: 3\ntopics:\n  auto: false\npartitions: 1\n",
        )
        .ok();
    let si = kubectl_json(&["get", "serviceinstance", "fromfile", "-n", &ns]);
    assert_eq!(
        si["spec"]["parameters"],
        serde_json::json!({"replication": 3, "topics": {"auto": false}, "partitions": 12})
    );
    assert_eq!(
        names("serviceinstances", &ns),
        [
            "serviceinstance.servicecatalog.k8s.io/db",
            "serviceinstance.servicecatalog.k8s.io/fromfile"
        ]
    );
}

#[test]
fn unbind_by_instance_removes_every_binding_of_that_instance_only() {
    let ns = env().namespace("lc-unbind");
    osb(
        &ns,
        &[
            "provision",
            "a",
            "--class",
            "cassandra",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    osb(
        &ns,
        &[
            "provision",
            "b",
            "--class",
            "kafka",
            "--plan",
            "developer",
            "--wait",
        ],
    )
    .ok();
    // Unbound right after they are created: the controller v0.3.1 never finishes deleting a binding it has
    // not initialised yet, so unbind waits for that first (without, a2 often stayed for ever).
    osb(&ns, &["bind", "a1", "--instance", "a"]).ok();
    osb(&ns, &["bind", "a2", "--instance", "a"]).ok();
    osb(&ns, &["bind", "b1", "--instance", "b"]).ok();
    let run = osb(
        &ns,
        &["unbind", "--instance", "a", "--wait", "--timeout", "120s"],
    )
    .ok();
    assert_eq!(
        run.stdout,
        "servicebinding.servicecatalog.k8s.io/a1 deleted\nservicebinding.servicecatalog.k8s.io/a2 deleted\n"
    );
    assert_eq!(
        names("servicebindings", &ns),
        ["servicebinding.servicecatalog.k8s.io/b1"]
    );
    let missing = osb(&ns, &["unbind", "nope"]);
    assert_eq!(missing.code, 1);
    assert_eq!(
        missing.stderr.trim(),
        "Error from server (NotFound): servicebindings.servicecatalog.k8s.io \"nope\" not found"
    );
    let none = osb(&ns, &["bind", "x", "--instance", "ghost"]);
    assert_eq!(none.code, 1, "{none:?}");
    assert!(
        none.stderr
            .starts_with("error: serviceinstance \"ghost\" not found"),
        "{none:?}"
    );
    assert_eq!(
        names("servicebindings", &ns),
        ["servicebinding.servicecatalog.k8s.io/b1"]
    );
}
