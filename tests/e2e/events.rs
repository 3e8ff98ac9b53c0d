//! Issue 13: say what the catalog is doing, on the real controller. A broker that fails every provision
//! (the test-broker's HTTP 500 class) is reported retry by retry while `--wait` runs, and
//! `--fail-after-retries` ends the endless loop with exit 3; a stopped controller is pointed out within
//! `--controller-hint-after` while the wait goes on; `describe` shows the Events and explains every
//! reason it prints; instances named by Kubernetes name (UUIDs) show the class and plan names people know.

use std::io::{BufRead, BufReader};
use std::process::Child;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;
use testkit::{PATIENCE, eventually, finish, isolated_env, setup};

const SI: &str = "serviceinstance.servicecatalog.k8s.io";

/// The reasons `describe` prints in its Conditions and Events tables that have no explanation line
/// (`  Reason: plain words`) or only an "unknown reason" one: what must never be seen.
pub(crate) fn bare_reasons(describe: &str) -> Vec<String> {
    let lines: Vec<&str> = describe.lines().collect();
    let mut shown = Vec::new();
    for (i, header) in lines.iter().enumerate() {
        let Some(col) = header.find("REASON") else {
            continue;
        };
        if !header.trim_start().starts_with("TYPE ") {
            continue;
        }
        for row in &lines[i + 1..] {
            let first = row.split_whitespace().next().unwrap_or_default();
            if !row.starts_with("  ") || first.ends_with(':') {
                break;
            }
            let reason = row
                .get(col..)
                .and_then(|r| r.split_whitespace().next())
                .unwrap_or_default();
            if !reason.is_empty() {
                shown.push(reason.to_string());
            }
        }
    }
    shown.sort();
    shown.dedup();
    shown
        .into_iter()
        .filter(|r| {
            !lines.iter().any(|l| {
                l.strip_prefix(&format!("  {r}: "))
                    .is_some_and(|x| !x.starts_with("unknown reason"))
            })
        })
        .collect()
}

/// `Warning:` lines about `object` (kind.group/name) in a run's stderr.
fn warnings<'a>(stderr: &'a str, object: &str) -> Vec<&'a str> {
    stderr
        .lines()
        .filter(|l| l.starts_with(&format!("Warning: {object}: ")))
        .collect()
}

#[test]
fn a_broker_failing_every_provision_is_reported_retry_by_retry_and_a_retry_limit_ends_the_loop() {
    let (env, ns) = setup("ev-500");
    // The test-broker answers HTTP 500 to every provision of this class: the controller retries for ever
    // (orphan mitigation in between, then a backoff), one Warning event per step.
    let provision = env
        .provision(&ns, "flaky")
        .class("test-service-provision-fail500")
        .plan("default")
        .timeout("30s")
        .with_wait()
        .spawn();
    eventually("the instance to exist", PATIENCE, || {
        (env.osb(&ns, &["get", "instances", "flaky"]).code == 0).then_some(())
    });
    // A script's way out: give up after two failed broker calls.
    let limited = env
        .verb(
            &ns,
            [
                "wait",
                "si/flaky",
                "--for=ready",
                "--timeout=5m",
                "--fail-after-retries=2",
                "-o",
                "json",
            ],
        )
        .spawn();

    let run = finish(provision);
    // 30 s: the shared controller may take a while to reach the instance when other tests keep it busy.
    assert_eq!(run.code, 4, "30 s of retries are still a timeout: {run:#?}");
    let object = format!("{SI}/flaky");
    let told = warnings(&run.stderr, &object);
    assert!(
        told.len() >= 2,
        "at least two retry reports during the wait: {run:#?}"
    );
    let retried = [
        "ProvisionCallFailed",
        "StartingInstanceOrphanMitigation",
        "RetryBackoff",
    ];
    assert!(
        told.iter()
            .all(|l| retried.iter().any(|r| l.contains(&format!(": {r}")))),
        "only the retry loop's warnings: {told:#?}"
    );
    assert!(
        told.iter().any(|l| l.contains("Status: 500")),
        "the broker's answer is shown: {told:#?}"
    );
    // Each reason is explained once, in plain words, the first time it is told.
    let first = told
        .iter()
        .find(|l| l.contains(": ProvisionCallFailed ("))
        .unwrap_or_else(|| panic!("ProvisionCallFailed told: {told:#?}"));
    assert!(
        first.contains("the catalog retries with backoff"),
        "{first}"
    );
    run.stderr_has("error: timed out waiting for the condition on serviceinstances/flaky");

    let run = finish(limited);
    let run = run
        .code(3)
        .stderr_has(&format!("error: {object} failed: ProvisionCallFailed ("));
    let run = run.stderr_has("calls (--fail-after-retries=2); the last: ");
    let report: Value = run.json();
    assert_eq!(report["results"][0]["result"], "failed", "{report:#}");
    assert_eq!(report["results"][0]["state"], "RetryLimit", "{report:#}");

    // The events say how often it failed; describe shows them and explains every reason it prints.
    let d = env.osb(&ns, &["describe", "flaky"]).ok();
    let d = d
        .stdout_has("\nEvents:\n  TYPE ")
        .stdout_has("Warning   ProvisionCallFailed   ")
        .stdout_has(" (x")
        .stdout_has("service-catalog-controller-manager");
    let status = d
        .stdout
        .lines()
        .find(|l| l.starts_with("Status:"))
        .unwrap_or_default();
    assert!(
        status.contains(" — "),
        "the verdict says what happens next: {status}"
    );
    assert_eq!(bare_reasons(&d.stdout), Vec::<String>::new(), "{d:#?}");
    // It would be retried for 7 days.
    ns.clear();
}

/// Read `child`'s stderr on a thread; lines arrive on the returned channel.
fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let err = child.stderr.take().expect("stderr piped");
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

#[test]
fn a_stopped_controller_is_pointed_out_and_the_wait_goes_on_until_it_is_back() {
    let env = isolated_env();
    let ns = env.namespace("ev-nocontroller");
    env.catalog.stop_controller();
    let mut wait = env
        .cassandra(&ns, "db")
        .arg("--controller-hint-after=3s")
        .timeout("10m")
        .with_wait()
        .spawn();
    let lines = stderr_lines(&mut wait);
    let hint = "Warning: no Service Catalog controller has processed serviceinstance/db in 3s; \
                is the controller running?";
    let mut seen = Vec::new();
    loop {
        match lines.recv_timeout(Duration::from_secs(120)) {
            Ok(l) if l == hint => break,
            Ok(l) => seen.push(l),
            Err(e) => panic!("no hint ({e}); stderr so far: {seen:#?}"),
        }
    }
    // Said while waiting (the timeout is 10 minutes away), and the wait goes on.
    assert!(
        wait.try_wait().expect("status").is_none(),
        "the wait goes on after the hint"
    );
    let d = env.osb(&ns, &["describe", "db"]).ok();
    d.stdout_has("Status:             Pending: not yet observed by a controller")
        .stdout_has("is the controller running?")
        .stdout_has("Events:             <none>");

    env.catalog.restart_controller(&env.cp).unwrap();
    let mut rest = Vec::new();
    loop {
        match lines.recv_timeout(Duration::from_secs(300)) {
            Ok(l) => rest.push(l),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(e) => panic!("provision --wait did not end ({e}): {rest:#?}"),
        }
    }
    let status = wait.wait().expect("provision ends");
    assert_eq!(
        status.code(),
        Some(0),
        "ready once the controller is back; stderr after the hint: {rest:#?}"
    );
    assert!(
        !rest
            .iter()
            .any(|l| l.contains("no Service Catalog controller")),
        "the hint is said once: {rest:#?}"
    );
}

#[test]
fn instances_named_by_kubernetes_name_show_the_class_and_plan_names_people_know() {
    let (env, ns) = setup("ev-names");
    // What svcat writes: the class and plan by Kubernetes name (UUIDs for the test-broker).
    let names = |kind: &str| -> Value {
        serde_json::from_str(&env.kubectl(&["get", kind, "-o", "json"]).ok().stdout).unwrap()
    };
    let classes = names("clusterserviceclasses");
    let class = classes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["spec"]["externalName"] == "test-service")
        .expect("the test-broker's test-service class");
    let class_k8s = class["metadata"]["name"].as_str().unwrap().to_string();
    let plans = names("clusterserviceplans");
    let plan = plans["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["spec"]["clusterServiceClassRef"]["name"] == class_k8s.as_str()
                && p["spec"]["externalName"] == "default"
        })
        .expect("its default plan");
    let plan_k8s = plan["metadata"]["name"].as_str().unwrap().to_string();
    assert_ne!(class_k8s, "test-service", "the Kubernetes name is a UUID");
    let manifest = testkit::instance("byname", "", "")
        .set("/spec", serde_json::json!({"clusterServiceClassName": class_k8s, "clusterServicePlanName": plan_k8s}));
    env.apply(&ns, manifest);
    env.osb(&ns, &["wait", "si/byname", "--for=ready", "--timeout=3m"])
        .ok();

    let g = env.osb(&ns, &["get", "instances"]).ok();
    let row = g.stdout.lines().nth(1).unwrap_or_default().to_string();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells.get(2..4),
        Some(&["test-service", "default"][..]),
        "{g:#?}"
    );
    assert!(!g.stdout.contains(&class_k8s), "{g:#?}");
    let d = env.osb(&ns, &["describe", "byname"]).ok();
    let d = d
        .stdout_has("Class:              test-service\n")
        .stdout_has("Plan:               default\n")
        .stdout_has("Status:             Ready\n")
        .stdout_has("Normal   ProvisionedSuccessfully   ");
    assert_eq!(bare_reasons(&d.stdout), Vec::<String>::new(), "{d:#?}");
}

#[test]
fn bare_reasons_finds_reasons_without_plain_words() {
    let ok = "Conditions:\n  TYPE    STATUS   REASON                AGE   MESSAGE\n  Ready   False    ProvisionCallFailed   1s    m\n  ProvisionCallFailed: the broker\nEvents:\n  TYPE      REASON         AGE   FROM   MESSAGE\n  Warning   RetryBackoff   1s    c      m\n  RetryBackoff: the catalog waits\n";
    assert_eq!(bare_reasons(ok), Vec::<String>::new());
    let bare = ok.replace("  RetryBackoff: the catalog waits\n", "");
    assert_eq!(bare_reasons(&bare), vec!["RetryBackoff".to_string()]);
    let unknown = ok.replace(
        "RetryBackoff: the catalog waits",
        "RetryBackoff: unknown reason: x",
    );
    assert_eq!(bare_reasons(&unknown), vec!["RetryBackoff".to_string()]);
}
