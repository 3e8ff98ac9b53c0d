//! Issue 4: `kubectl osb wait` on the real control plane, through kubectl.

use std::process::Stdio;
use std::time::{Duration, Instant};

use testkit::{Env, env};

/// A ServiceInstance manifest with simulator annotations.
fn instance(name: &str, class: &str, annotations: &[(&str, &str)]) -> String {
    let ann: String = annotations
        .iter()
        .map(|(k, v)| format!("    sim.kubectl-osb.dev/{k}: \"{v}\"\n"))
        .collect();
    format!(
        "apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceInstance\nmetadata:\n  name: {name}\n  annotations:\n{ann}    test: \"wait\"\n\
         spec:\n  clusterServiceClassExternalName: {class}\n  clusterServicePlanExternalName: developer\n"
    )
}

fn apply(env: &Env, ns: &str, yaml: &str) {
    env.kubectl_stdin(&["apply", "-n", ns, "-f", "-"], yaml)
        .ok();
}

/// `kubectl osb wait -n NS ARGS…` in the background, its output captured.
fn spawn_wait(env: &Env, ns: &str, args: &[&str]) -> std::process::Child {
    env.kubectl_cmd()
        .args(["osb", "wait", "-n", ns])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn wait")
}

fn wait(env: &Env, ns: &str, args: &[&str]) -> testkit::Run {
    let mut full = vec!["osb", "wait", "-n", ns];
    full.extend_from_slice(args);
    env.kubectl(&full)
}

#[test]
fn a_failure_ends_the_wait_while_the_other_instance_is_still_provisioning() {
    let env = env();
    let ns = env.namespace("wait-fail");
    apply(
        env,
        &ns,
        &instance("slow", "cassandra", &[("provision-seconds", "60")]),
    );
    apply(
        env,
        &ns,
        &instance(
            "doomed",
            "kafka",
            &[("provision", "fail"), ("provision-seconds", "2")],
        ),
    );
    let started = Instant::now();
    let run = wait(
        env,
        &ns,
        &["si/slow", "si/doomed", "--for=ready", "--timeout=5m"],
    );
    let took = started.elapsed();
    assert_eq!(run.code, 3, "{run:#?}");
    assert!(
        run.stderr
            .contains("serviceinstance.servicecatalog.k8s.io/doomed failed: ProvisionCallFailed"),
        "{run:#?}"
    );
    assert!(
        run.stderr.contains("insufficient capacity"),
        "the broker's message is shown: {run:#?}"
    );
    assert!(run.stdout.is_empty(), "{run:#?}");
    // The other one is still provisioning: the wait did not wait for it.
    let slow = env
        .kubectl(&[
            "get",
            "serviceinstance",
            "slow",
            "-n",
            &ns,
            "-o",
            "jsonpath={.status.asyncOpInProgress}/{.status.conditions[0].reason}",
        ])
        .ok();
    assert_eq!(slow.stdout, "true/Provisioning");
    eprintln!("wait ended {took:?} after start (failure written at ~2s)");
}

#[test]
fn ready_for_several_objects_prints_a_line_each() {
    let env = env();
    let ns = env.namespace("wait-ready");
    apply(
        env,
        &ns,
        &instance("a", "cassandra", &[("provision-seconds", "0.5")]),
    );
    apply(
        env,
        &ns,
        &instance("b", "kafka", &[("provision-seconds", "1")]),
    );
    let run = wait(
        env,
        &ns,
        &["serviceinstance", "a", "b", "--for=ready", "--timeout=60s"],
    )
    .ok();
    assert_eq!(
        run.stdout,
        "serviceinstance.servicecatalog.k8s.io/a condition met\nserviceinstance.servicecatalog.k8s.io/b condition met\n"
    );
}

#[test]
fn json_summary_and_label_selector() {
    let env = env();
    let ns = env.namespace("wait-json");
    for n in ["l1", "l2"] {
        apply(
            env,
            &ns,
            &instance(n, "cassandra", &[("provision-seconds", "0.3")]),
        );
        env.kubectl(&["label", "serviceinstance", n, "-n", &ns, "tier=db"])
            .ok();
    }
    let run = wait(
        env,
        &ns,
        &[
            "si",
            "-l",
            "tier=db",
            "--for=ready",
            "-o",
            "json",
            "--timeout=60s",
        ],
    )
    .ok();
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON summary");
    let results = v["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    for r in results {
        assert_eq!(r["result"], "met");
        assert_eq!(r["state"], "Ready");
        assert_eq!(r["reason"], "ProvisionedSuccessfully");
        assert!(r["seconds"].as_f64().is_some());
    }
}

#[test]
fn timeout_exits_4_with_the_last_state() {
    let env = env();
    let ns = env.namespace("wait-timeout");
    apply(
        env,
        &ns,
        &instance("stuck", "cassandra", &[("provision", "hang")]),
    );
    let run = wait(env, &ns, &["si/stuck", "--for=ready", "--timeout=2s"]);
    assert_eq!(run.code, 4, "{run:#?}");
    assert!(
        run.stderr
            .contains("error: timed out waiting for the condition on serviceinstances/stuck"),
        "{run:#?}"
    );
    assert!(run.stderr.contains("Provisioning"), "{run:#?}");
}

#[test]
fn retrying_reasons_are_shown_and_fail_on_makes_them_fatal() {
    let env = env();
    let ns = env.namespace("wait-typo");
    apply(env, &ns, &instance("typo", "cassandraa", &[]));
    let run = wait(env, &ns, &["si/typo", "--for=ready", "--timeout=3s"]);
    assert_eq!(run.code, 4, "{run:#?}");
    assert!(
        run.stderr.contains(
            "warning: serviceinstance.servicecatalog.k8s.io/typo: ReferencesNonexistentServiceClass"
        ),
        "{run:#?}"
    );
    let run = wait(
        env,
        &ns,
        &[
            "si/typo",
            "--for=ready",
            "--timeout=60s",
            "--fail-on=ReferencesNonexistentServiceClass",
        ],
    );
    assert_eq!(run.code, 3, "{run:#?}");
    assert!(
        run.stderr
            .contains("typo failed: ReferencesNonexistentServiceClass"),
        "{run:#?}"
    );
}

#[test]
fn deleted_and_a_deprovision_that_fails_for_good() {
    let env = env();
    let ns = env.namespace("wait-del");
    apply(
        env,
        &ns,
        &instance("gone", "cassandra", &[("provision-seconds", "0.2")]),
    );
    apply(
        env,
        &ns,
        &instance(
            "orphan",
            "cassandra",
            &[("provision-seconds", "0.2"), ("deprovision", "fail")],
        ),
    );
    wait(
        env,
        &ns,
        &["si/gone", "si/orphan", "--for=ready", "--timeout=60s"],
    )
    .ok();
    env.kubectl(&[
        "delete",
        "serviceinstance",
        "gone",
        "orphan",
        "-n",
        &ns,
        "--wait=false",
    ])
    .ok();
    let run = wait(env, &ns, &["si/gone", "--for=deleted", "--timeout=60s"]).ok();
    assert_eq!(
        run.stdout,
        "serviceinstance.servicecatalog.k8s.io/gone condition met\n"
    );
    let run = wait(env, &ns, &["si/orphan", "--for=deleted", "--timeout=60s"]);
    assert_eq!(run.code, 3, "{run:#?}");
    assert!(
        run.stderr
            .contains("orphan failed: ErrorReconciliationRetryTimeout"),
        "{run:#?}"
    );
    // Already gone counts as deleted.
    wait(
        env,
        &ns,
        &["si/never-existed", "--for=deleted", "--timeout=10s"],
    )
    .ok();
}

#[test]
fn binding_ready() {
    let env = env();
    let ns = env.namespace("wait-sb");
    apply(
        env,
        &ns,
        &instance("db", "cassandra", &[("provision-seconds", "0.5")]),
    );
    apply(
        env,
        &ns,
        "apiVersion: servicecatalog.k8s.io/v1beta1\nkind: ServiceBinding\nmetadata:\n  name: db-creds\nspec:\n  instanceRef:\n    name: db\n",
    );
    let run = wait(env, &ns, &["sb/db-creds", "--for=ready", "--timeout=60s"]).ok();
    assert_eq!(
        run.stdout,
        "servicebinding.servicecatalog.k8s.io/db-creds condition met\n"
    );
    env.kubectl(&["get", "secret", "db-creds", "-n", &ns]).ok();
}

fn job(name: &str, outcome: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\n  annotations:\n    sim.kubectl-osb.dev/job: {outcome}\n    sim.kubectl-osb.dev/job-seconds: \"0.5\"\n\
         spec:\n  activeDeadlineSeconds: 60\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: soak\n        image: busybox\n"
    )
}

#[test]
fn jobs_complete_deadline_and_failure() {
    let env = env();
    let ns = env.namespace("wait-job");
    apply(env, &ns, &job("ok", "complete"));
    apply(env, &ns, &job("soak", "deadline"));
    apply(env, &ns, &job("broken", "fail"));
    let run = wait(env, &ns, &["job/ok", "--for=complete", "--timeout=60s"]).ok();
    assert_eq!(run.stdout, "job.batch/ok condition met\n");
    let run = wait(env, &ns, &["job/soak", "--for=complete", "--timeout=60s"]);
    assert_eq!(run.code, 3, "{run:#?}");
    assert!(
        run.stderr
            .contains("job.batch/soak failed: DeadlineExceeded"),
        "{run:#?}"
    );
    let run = wait(
        env,
        &ns,
        &[
            "job/soak",
            "--for=complete",
            "--deadline-ok",
            "--timeout=60s",
        ],
    )
    .ok();
    assert_eq!(run.stdout, "job.batch/soak condition met\n");
    let run = wait(
        env,
        &ns,
        &[
            "job/broken",
            "--for=complete",
            "--deadline-ok",
            "--timeout=60s",
        ],
    );
    assert_eq!(run.code, 3, "{run:#?}");
    assert!(run.stderr.contains("BackoffLimitExceeded"), "{run:#?}");
}

#[test]
fn usage_errors_exit_2_and_unknown_objects_exit_1() {
    let env = env();
    let ns = env.namespace("wait-usage");
    let run = wait(env, &ns, &["pods/x", "--for=ready"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("unknown type \"pods\""), "{run:#?}");
    let run = wait(env, &ns, &["si/x", "--for=sideways"]);
    assert_eq!(run.code, 2, "{run:#?}");
    let run = wait(env, &ns, &["si/missing", "--for=ready", "--timeout=10s"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("Error from server (NotFound): serviceinstances.servicecatalog.k8s.io \"missing\" not found"), "{run:#?}");
}

#[test]
fn the_wait_survives_an_api_server_restart() {
    // A private control plane: restarting the shared one would disturb the other tests.
    let env = testkit::isolated_env();
    let ns = env.namespace("wait-restart");
    apply(
        &env,
        &ns,
        &instance("survivor", "cassandra", &[("provision-seconds", "8")]),
    );
    let child = spawn_wait(&env, &ns, &["si/survivor", "--for=ready", "--timeout=120s"]);
    std::thread::sleep(Duration::from_secs(2));
    env.cp.stop_apiserver();
    std::thread::sleep(Duration::from_secs(3));
    env.cp.start_apiserver().expect("restart the API server");
    let out = child.wait_with_output().expect("wait output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout,
        "serviceinstance.servicecatalog.k8s.io/survivor condition met\n"
    );
}

#[test]
fn ctrl_c_ends_a_wait_with_130() {
    let env = env();
    let ns = env.namespace("wait-sigint");
    apply(
        env,
        &ns,
        &instance("forever", "cassandra", &[("provision", "hang")]),
    );
    let child = spawn_wait(env, &ns, &["si/forever", "--for=ready", "--timeout=10m"]);
    // Let it get to the watch, then interrupt it as a terminal's Ctrl-C would.
    std::thread::sleep(Duration::from_secs(2));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().expect("wait output");
    assert_eq!(
        out.status.code(),
        Some(130),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}
