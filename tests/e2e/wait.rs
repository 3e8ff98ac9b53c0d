//! `kubectl osb wait` through kubectl, against the real Service Catalog controller and the real
//! job controller. Our broker's behaviour is chosen per instance with the provision parameter `x-test`
//! (see `testkit::broker`); Jobs run on kwok's fake node, their pods' fate chosen by the template label
//! `osb.test/outcome` (see `tests/cluster/kwok-job-stages.yaml`).

use std::time::Duration;

use serde_json::{Value, json};
use testkit::{Env, Manifest, Run, finish, setup};

const SI: &str = "serviceinstance.servicecatalog.k8s.io";

/// A ServiceInstance of our broker's `class` (plan `developer`); `x_test` is how our broker treats it.
fn instance(name: &str, class: &str, x_test: Value) -> Manifest {
    offering(name, class, "developer").x_test(x_test)
}

/// A ServiceInstance of any class and plan.
fn offering(name: &str, class: &str, plan: &str) -> Manifest {
    testkit::instance(name, class, plan).set("/metadata/annotations/test", "wait")
}

/// `kubectl osb wait ARGS… -n NS`.
fn wait(env: &Env, ns: &str, args: &[&str]) -> Run {
    env.osb(ns, &[&["wait"], args].concat())
}

/// `kubectl osb wait ARGS… -n NS` in the background, its output captured.
fn spawn_wait(env: &Env, ns: &str, args: &[&str]) -> std::process::Child {
    env.verb(ns, ["wait"]).args(args.iter().copied()).spawn()
}

const READY_REASON: &str = "{.status.conditions[?(@.type==\"Ready\")].reason}";

/// The requests our broker received for the instance `ns/name`.
fn broker_requests_for(env: &Env, ns: &str, name: &str) -> Vec<Value> {
    env.broker_requests_in(ns)
        .into_iter()
        .filter(|r| r["instance_name"] == name)
        .collect()
}

#[test]
fn a_failure_ends_the_wait_while_the_other_instance_is_still_provisioning() {
    let (env, ns) = setup("wait-fail");
    env.apply(
        &ns,
        instance("slow", "cassandra", json!({"provision-seconds": 600})),
    );
    env.apply(
        &ns,
        instance(
            "doomed",
            "kafka",
            json!({"provision": "fail", "provision-seconds": 2, "message": "insufficient capacity in us-east-1"}),
        ),
    );
    let run = wait(
        env,
        &ns,
        &["si/slow", "si/doomed", "--for=ready", "--timeout=5m"],
    );
    let run = run
        .code(3)
        .stderr_has(&format!("{SI}/doomed failed: ProvisionCallFailed"));
    let run = run.stderr_has("insufficient capacity in us-east-1");
    // No error about the other one (a busy controller may earn it the no-controller hint, no more).
    assert!(
        !run.stderr
            .lines()
            .any(|l| l.starts_with("error:") && l.contains("slow")),
        "{run:#?}"
    );
    assert!(run.stdout.is_empty(), "{run:#?}");
    // The other one is still provisioning: the wait did not wait for it.
    let slow = env.jsonpath(
        "serviceinstance",
        &ns,
        "slow",
        &format!("{{.status.asyncOpInProgress}}/{READY_REASON}"),
    );
    assert_eq!(slow, "true/Provisioning");
    let doomed = env.jsonpath(
        "serviceinstance",
        &ns,
        "doomed",
        "{.status.conditions[?(@.type==\"Failed\")].status}",
    );
    assert_eq!(doomed, "True");
    // `slow` would be polled for 10 minutes more.
    ns.clear();
}

#[test]
fn ready_for_several_objects_prints_a_line_each() {
    let (env, ns) = setup("wait-ready");
    env.apply(
        &ns,
        instance("a", "cassandra", json!({"provision-seconds": 0.5})),
    );
    env.apply(&ns, instance("b", "kafka", json!({"provision-seconds": 2})));
    let run = wait(
        env,
        &ns,
        &["serviceinstance", "a", "b", "--for=ready", "--timeout=2m"],
    )
    .ok();
    assert_eq!(
        run.stdout,
        format!("{SI}/a condition met\n{SI}/b condition met\n")
    );
    for n in ["a", "b"] {
        assert_eq!(
            env.jsonpath("serviceinstance", &ns, n, READY_REASON),
            "ProvisionedSuccessfully"
        );
    }
}

#[test]
fn json_summary_and_label_selector() {
    let (env, ns) = setup("wait-json");
    for n in ["l1", "l2"] {
        env.apply(
            &ns,
            instance(n, "cassandra", json!({"provision-seconds": 0.3})),
        );
        env.kubectl(&["label", "serviceinstance", n, "-n", &ns, "tier=db"])
            .ok();
    }
    // Not selected: were it waited on, the wait would time out.
    env.apply(
        &ns,
        instance("unlabelled", "cassandra", json!({"provision": "hang"})),
    );
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
            "--timeout=2m",
        ],
    )
    .ok();
    let v: Value = serde_json::from_str(&run.stdout).expect("JSON summary");
    let results = v["results"].as_array().expect("results");
    assert_eq!(results.len(), 2, "{v:#}");
    for (r, name) in results.iter().zip(["l1", "l2"]) {
        assert_eq!(r["object"], format!("{SI}/{name}"));
        assert_eq!(r["namespace"], ns.as_str());
        assert_eq!(r["result"], "met");
        assert_eq!(r["state"], "Ready");
        assert_eq!(r["reason"], "ProvisionedSuccessfully");
        assert!(r["seconds"].as_f64().is_some());
    }
    // `unlabelled` would be polled for ever.
    ns.clear();
}

#[test]
fn timeout_exits_4_with_the_last_state() {
    let (env, ns) = setup("wait-timeout");
    env.apply(
        &ns,
        instance("stuck", "cassandra", json!({"provision": "hang"})),
    );
    // The controller has polled the broker at least once: the instance is Provisioning.
    env.until_jsonpath("serviceinstance", &ns, "stuck", READY_REASON, |r| {
        r == "Provisioning"
    });
    let run = wait(env, &ns, &["si/stuck", "--for=ready", "--timeout=2s"]);
    let run = run.code(4).stderr_has("error: timed out waiting for the condition on serviceinstances/stuck (last state: Provisioning: ");
    assert!(run.stdout.is_empty(), "{run:#?}");
    // `stuck` would be polled for ever.
    ns.clear();
}

#[test]
fn retrying_reasons_are_shown_and_fail_on_makes_them_fatal() {
    let (env, ns) = setup("wait-retry");
    // A broker answering 500 to every provision: the controller retries for ever (with orphan mitigation
    // in between), Ready=False ProvisionCallFailed at each attempt. Two waits watch it from the start:
    // one reports the retrying reason and times out, the other is told it is fatal.
    env.apply(
        &ns,
        instance("flaky", "kafka", json!({"provision": "retry"})),
    );
    let shown = spawn_wait(env, &ns, &["si/flaky", "--for=ready", "--timeout=25s"]);
    let fatal = spawn_wait(
        env,
        &ns,
        &[
            "si/flaky",
            "--for=ready",
            "--timeout=3m",
            "--fail-on=ProvisionCallFailed",
        ],
    );

    // A class that does not exist: retried (it might be created), never sent to a broker.
    env.apply(&ns, offering("typo", "cassandraa", "developer"));
    env.until_jsonpath("serviceinstance", &ns, "typo", READY_REASON, |r| {
        r == "ReferencesNonexistentServiceClass"
    });
    let run = wait(env, &ns, &["si/typo", "--for=ready", "--timeout=3s"]);
    let run = run.code(4).stderr_has(&format!(
        "Warning: {SI}/typo: ReferencesNonexistentServiceClass ("
    ));
    run.stderr_has("cassandraa");
    let run = wait(
        env,
        &ns,
        &[
            "si/typo",
            "--for=ready",
            "--timeout=2m",
            "--fail-on=ReferencesNonexistentServiceClass",
        ],
    );
    run.code(3).stderr_has(&format!(
        "{SI}/typo failed: ReferencesNonexistentServiceClass"
    ));
    assert!(
        broker_requests_for(env, &ns, "typo").is_empty(),
        "nothing was sent to the broker"
    );

    let run = finish(fatal);
    run.code(3)
        .stderr_has(&format!("{SI}/flaky failed: ProvisionCallFailed"));
    let run = finish(shown);
    assert_eq!(run.code, 4, "{run:#?}");
    // The controller writes StartingInstanceOrphanMitigation on Ready and the failure's reason on the
    // OrphanMitigation condition; the wait reports the latter, with the broker's answer.
    let warning = run
        .stderr
        .lines()
        .find(|l| l.starts_with(&format!("Warning: {SI}/flaky: ProvisionCallFailed (")))
        .unwrap_or_else(|| panic!("no warning: {run:#?}"));
    assert!(warning.contains("Status: 500"), "{warning}");
    assert!(
        warning.contains("Instaclustr provisioning API unavailable"),
        "{warning}"
    );
    run.stderr_has("error: timed out waiting for the condition on serviceinstances/flaky");
    // It is the broker's 500 that the controller retried.
    let provisions: Vec<Value> = broker_requests_for(env, &ns, "flaky")
        .into_iter()
        .filter(|r| r["method"] == "PUT" && r["binding_id"].is_null())
        .collect();
    assert!(!provisions.is_empty());
    assert!(
        provisions.iter().all(|r| r["status"] == 500),
        "{provisions:#?}"
    );
    // Both would be retried for 7 days.
    ns.clear();
}

#[test]
fn the_test_brokers_http_400_ends_the_wait_at_once() {
    let (env, ns) = setup("wait-tb400");
    env.apply(
        &ns,
        offering("refused", "test-service-provision-fail400", "default"),
    );
    let run = wait(env, &ns, &["si/refused", "--for=ready", "--timeout=5m"]);
    let run = run.code(3).stderr_has(&format!(
        "{SI}/refused failed: ClusterServiceBrokerReturnedFailure"
    ));
    let run = run.stderr_has("Status: 400");
    assert!(run.stdout.is_empty(), "{run:#?}");
}

#[test]
fn deleted_and_a_deprovision_that_fails_for_good() {
    // The controller of this cluster gives up after testkit::SHORT_RETRY (7 days on a default one).
    let env = testkit::short_retry_env();
    let ns = env.namespace("wait-del");
    env.apply(
        &ns,
        instance("gone", "cassandra", json!({"provision-seconds": 0.2})),
    );
    env.apply(
        &ns,
        instance(
            "orphan",
            "cassandra",
            json!({"provision-seconds": 0.2, "deprovision": "fail"}),
        ),
    );
    wait(
        env,
        &ns,
        &["si/gone", "si/orphan", "--for=ready", "--timeout=2m"],
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
    let orphan = spawn_wait(env, &ns, &["si/orphan", "--for=deleted", "--timeout=3m"]);
    let run = wait(env, &ns, &["si/gone", "--for=deleted", "--timeout=2m"]).ok();
    assert_eq!(run.stdout, format!("{SI}/gone condition met\n"));
    let run = finish(orphan);
    assert_eq!(run.code, 3, "{run:#?}");
    // While the controller retried the refused deprovision, the wait said so.
    let run = run
        .stderr_has(&format!("Warning: {SI}/orphan: DeprovisionCallFailed ("))
        .stderr_has(&format!(
            "{SI}/orphan failed: ErrorReconciliationRetryTimeout"
        ));
    assert!(run.stdout.is_empty(), "{run:#?}");
    assert_eq!(
        env.jsonpath(
            "serviceinstance",
            &ns,
            "orphan",
            "{.status.deprovisionStatus}"
        ),
        "Failed"
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
fn deleting_an_instance_whose_update_failed_is_not_a_failed_deletion() {
    let (env, ns) = setup("wait-del-upd");
    env.apply(
        &ns,
        instance(
            "resized",
            "cassandra",
            json!({"provision-seconds": 0.2, "update": "fail"}),
        ),
    );
    wait(env, &ns, &["si/resized", "--for=ready", "--timeout=2m"]).ok();
    // A plan change the broker refuses (HTTP 400): Failed=True UpdateInstanceCallFailed, for good.
    env.kubectl(&[
        "patch",
        "serviceinstance",
        "resized",
        "-n",
        &ns,
        "--type=merge",
        "-p",
        r#"{"spec":{"clusterServicePlanExternalName":"production-small"}}"#,
    ])
    .ok();
    let run = wait(env, &ns, &["si/resized", "--for=ready", "--timeout=2m"]);
    run.code(3)
        .stderr_has(&format!("{SI}/resized failed: UpdateInstanceCallFailed"));
    // The deletion starts with that Failed condition still on the instance (the controller clears it
    // when it starts the deprovision, which then succeeds): the wait, started before the delete, sees
    // it and must not take it for a failed deletion.
    env.behave(&ns, "resized", json!({"deprovision-seconds": 3}));
    let deleted = spawn_wait(env, &ns, &["si/resized", "--for=deleted", "--timeout=2m"]);
    std::thread::sleep(Duration::from_secs(1));
    env.kubectl(&[
        "delete",
        "serviceinstance",
        "resized",
        "-n",
        &ns,
        "--wait=false",
    ])
    .ok();
    let run = finish(deleted);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stdout, format!("{SI}/resized condition met\n"));
    assert_eq!(
        env.jsonpath("serviceinstance", &ns, "resized", "{.metadata.name}"),
        ""
    );
}

#[test]
fn binding_ready() {
    let (env, ns) = setup("wait-sb");
    env.apply(
        &ns,
        instance("db", "cassandra", json!({"provision-seconds": 0.5})),
    );
    env.apply(&ns, testkit::binding("db-creds", "db"));
    let run = wait(env, &ns, &["sb/db-creds", "--for=ready", "--timeout=2m"]).ok();
    assert_eq!(
        run.stdout,
        "servicebinding.servicecatalog.k8s.io/db-creds condition met\n"
    );
    assert_eq!(
        env.jsonpath("servicebinding", &ns, "db-creds", READY_REASON),
        "InjectedBindResult"
    );
    // The Secret is there (named after the binding by the webhook's default).
    assert_ne!(
        env.jsonpath("secret", &ns, "db-creds", "{.data}"),
        "",
        "binding Secret with data"
    );
}

/// A Job whose pod runs on kwok's node and ends as `outcome` says (`complete`, `fail`, `run`) after
/// half a second; the real job controller writes the Job's conditions.
fn job(name: &str, outcome: &str, deadline_seconds: u32) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\n\
         spec:\n  activeDeadlineSeconds: {deadline_seconds}\n  backoffLimit: 0\n  template:\n    metadata:\n      labels:\n        osb.test/outcome: {outcome}\n      annotations:\n        osb.test/delay: 500ms\n\
         \x20   spec:\n      restartPolicy: Never\n      containers:\n      - name: soak\n        image: busybox\n"
    )
}

#[test]
fn jobs_complete_deadline_and_failure() {
    let (env, ns) = setup("wait-job");
    env.apply(&ns, job("ok", "complete", 600));
    env.apply(&ns, job("soak", "run", 3));
    env.apply(&ns, job("broken", "fail", 600));
    let run = wait(env, &ns, &["job/ok", "--for=complete", "--timeout=2m"]).ok();
    assert_eq!(run.stdout, "job.batch/ok condition met\n");
    let run = wait(env, &ns, &["job/soak", "--for=complete", "--timeout=2m"]);
    run.code(3)
        .stderr_has("job.batch/soak failed: DeadlineExceeded");
    let run = wait(
        env,
        &ns,
        &[
            "job/soak",
            "--for=complete",
            "--deadline-ok",
            "--timeout=2m",
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
            "--timeout=2m",
        ],
    );
    run.code(3)
        .stderr_has("job.batch/broken failed: BackoffLimitExceeded");
    // The conditions are the job controller's own.
    assert_eq!(
        env.jsonpath(
            "job",
            &ns,
            "ok",
            "{.status.conditions[?(@.type==\"Complete\")].status}/{.status.succeeded}"
        ),
        "True/1"
    );
    assert_eq!(
        env.jsonpath(
            "job",
            &ns,
            "broken",
            "{.status.conditions[?(@.type==\"Failed\")].reason}/{.status.failed}"
        ),
        "BackoffLimitExceeded/1"
    );
}

#[test]
fn usage_errors_exit_2_and_unknown_objects_exit_1() {
    let (env, ns) = setup("wait-usage");
    let run = wait(env, &ns, &["pods/x", "--for=ready"]);
    assert_eq!(run.code, 2, "{run:#?}");
    run.stderr_has("unknown type \"pods\"");
    let run = wait(env, &ns, &["si/x", "--for=sideways"]);
    assert_eq!(run.code, 2, "{run:#?}");
    let run = wait(env, &ns, &["si/missing", "--for=ready", "--timeout=10s"]);
    assert_eq!(run.code, 1, "{run:#?}");
    run.stderr_has("Error from server (NotFound): serviceinstances.servicecatalog.k8s.io \"missing\" not found");
}

#[test]
fn the_wait_survives_an_api_server_restart() {
    // A private control plane: restarting the shared one would disturb the other tests.
    let env = testkit::isolated_env();
    let ns = env.namespace("wait-restart");
    env.apply(
        &ns,
        instance("survivor", "cassandra", json!({"provision-seconds": 8})),
    );
    let child = spawn_wait(&env, &ns, &["si/survivor", "--for=ready", "--timeout=3m"]);
    std::thread::sleep(Duration::from_secs(2));
    env.cp.stop_apiserver();
    std::thread::sleep(Duration::from_secs(3));
    env.cp.start_apiserver().expect("restart the API server");
    let run = finish(child);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stdout, format!("{SI}/survivor condition met\n"));
    assert_eq!(
        env.jsonpath("serviceinstance", &ns, "survivor", READY_REASON),
        "ProvisionedSuccessfully"
    );
}

#[test]
fn ctrl_c_ends_a_wait_with_130() {
    let (env, ns) = setup("wait-sigint");
    env.apply(
        &ns,
        instance("forever", "cassandra", json!({"provision": "hang"})),
    );
    let child = spawn_wait(env, &ns, &["si/forever", "--for=ready", "--timeout=10m"]);
    // Let it get to the watch, then interrupt it as a terminal's Ctrl-C would.
    std::thread::sleep(Duration::from_secs(2));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let run = finish(child);
    assert_eq!(run.code, 130, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    // `forever` would be polled for ever.
    ns.clear();
}

/// A provision the broker fails with HTTP 500 after creating the cluster starts orphan mitigation; the
/// broker refuses that cleanup (deprovision: HTTP 400). Once the controller gives up (the short-retry cluster: 10 s instead of
/// 7 days) it writes `Ready=Unknown OrphanMitigationFailed`, `deprovisionStatus: Failed` and no Failed
/// condition. The wait ends there with exit 3 and says what it means, instead of timing out.
#[test]
fn a_failed_orphan_mitigation_ends_the_wait_with_exit_3_and_says_why() {
    let env = testkit::short_retry_env();
    let ns = env.namespace("wait-omf");
    env.cassandra(&ns, "orphan")
        .param("x-test.provision", "orphan")
        .param("x-test.deprovision", "fail")
        .run();
    let run = env
        .verb(&ns, ["wait", "si/orphan", "--for=ready"])
        .timeout("180s")
        .expect_code(3)
        .run();
    run.stderr_has(&format!(
        "error: {SI}/orphan failed: OrphanMitigationFailed"
    ))
    .stderr_has("the broker may still hold the instance");
    // The catalog's own record: the state the wait stopped on, with no Failed condition.
    let status = env.json("serviceinstance", &ns, "orphan")["status"].clone();
    let ready = status["conditions"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["type"] == "Ready"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (ready["status"].as_str(), ready["reason"].as_str()),
        (Some("Unknown"), Some("OrphanMitigationFailed")),
        "{status:#}"
    );
    assert!(
        !status["conditions"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["type"] == "Failed")),
        "{status:#}"
    );
    ns.clear();
}

/// `--fail-on` belongs to every `--wait`, not only to `wait`: a provision whose broker answers HTTP 500
/// (which the catalog retries for ever) ends at the first failed call when the script says so.
#[test]
fn every_verb_s_wait_takes_fail_on() {
    let (env, ns) = setup("wait-failon");
    env.cassandra(&ns, "flaky")
        .param("x-test.provision", "retry")
        .args(["--fail-on", "ProvisionCallFailed"])
        .timeout("120s")
        .expect_code(3)
        .wait()
        .stderr_has(&format!("error: {SI}/flaky failed: ProvisionCallFailed"));
    ns.clear();
}

/// A selection that matches nothing is an error, in kubectl's words.
#[test]
fn a_selection_that_matches_nothing_is_an_error() {
    let (env, ns) = setup("wait-none");
    env.verb(&ns, ["wait", "si", "-l", "nothing=here", "--for=ready"])
        .expect_code(1)
        .run()
        .stderr_has(&format!(
            "error: no matching resources found in {ns} namespace"
        ));
}

/// `--for=create`, as kubectl 1.32 defines it: an object that does not exist yet is waited for, not an
/// error; the wait ends when it appears.
#[test]
fn for_create_waits_for_the_object_to_appear() {
    let (env, ns) = setup("wait-create");
    let waiting = spawn_wait(env, &ns, &["si/later", "--for=create", "--timeout=120s"]);
    // The wait is under way (its watch open) before the object exists.
    testkit::eventually("the wait's watch", testkit::PATIENCE, || {
        env.audit()
            .iter()
            .any(|e| {
                e["verb"] == "watch"
                    && e["requestURI"]
                        .as_str()
                        .is_some_and(|u| u.contains(ns.as_str()) && u.contains("later"))
            })
            .then_some(())
    });
    env.apply(&ns, offering("later", "cassandra", "developer"));
    let run = finish(waiting).ok();
    run.stdout_has(&format!("{SI}/later condition met"));
}

/// `--for=jsonpath='{…}'=VALUE` and `--for=jsonpath='{…}'`, as kubectl 1.32 defines them, on the real
/// controller's objects; the fail-fast judge still ends such a wait on a failure (exit 3).
#[test]
fn for_jsonpath_compares_the_value_and_a_failure_still_ends_the_wait() {
    let (env, ns) = setup("wait-jsonpath");
    env.apply(&ns, instance("db", "cassandra", json!({})));
    let reason = format!("--for=jsonpath={READY_REASON}=ProvisionedSuccessfully");
    wait(env, &ns, &["si/db", &reason, "--timeout=180s"])
        .ok()
        .stdout_has(&format!("{SI}/db condition met"));
    wait(
        env,
        &ns,
        &[
            "si/db",
            "--for=jsonpath={.status.dashboardURL}",
            "--timeout=60s",
        ],
    )
    .ok();
    env.apply(
        &ns,
        instance("doomed", "cassandra", json!({"provision": "reject"})),
    );
    wait(
        env,
        &ns,
        &[
            "si/doomed",
            "--for=jsonpath={.status.dashboardURL}",
            "--timeout=180s",
        ],
    )
    .code(3)
    .stderr_has(&format!("error: {SI}/doomed failed"));
    ns.clear();
}
