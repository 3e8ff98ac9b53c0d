//! `examples/pipeline.sh`, the article's complete workflow, run end to end with the plugins on
//! PATH against the real Service Catalog (our Instaclustr-like broker, steered per instance with the
//! provision parameter `x-test`, passed as `--cassandra-param` / `--kafka-param`) and the real job
//! controller, whose pods kwok's fake node completes, fails or keeps running after the pod label
//! `osb.test/outcome` (passed with `--pod-label`). After every run, nothing the run created may remain in
//! its namespace.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{OnceLock, mpsc};
use std::time::Duration;

use testkit::{Env, PATIENCE, Run, env, eventually, setup, short_retry_env};

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/pipeline.sh")
}

/// `bash examples/pipeline.sh -n NS ARGS…` against `env`'s cluster with the plugins on PATH.
fn pipeline_cmd_on(env: &Env, ns: &str, args: &[&str]) -> Command {
    let mut c = Command::new("bash");
    c.arg(script())
        .args(["--namespace", ns])
        .args(args)
        .env("KUBECONFIG", &env.cp.kubeconfig)
        .env("PATH", env.path())
        .stdin(Stdio::null());
    for var in [
        "PIPELINE_NAMESPACE",
        "PIPELINE_POD_LABELS",
        "PIPELINE_POD_ANNOTATIONS",
        "PIPELINE_JOB_ANNOTATIONS",
        "PIPELINE_SOAK",
        "PIPELINE_DEADLINE",
        "PIPELINE_PODS",
    ] {
        c.env_remove(var);
    }
    c
}

fn pipeline_cmd(ns: &str, args: &[&str]) -> Command {
    pipeline_cmd_on(env(), ns, args)
}

fn pipeline(ns: &str, args: &[&str]) -> Run {
    testkit::run(&mut pipeline_cmd(ns, args), None)
}

/// The pod label that makes kwok fail the Job's pods (exit 1), or keep them running until the deadline.
const FAIL: &str = "osb.test/outcome=fail";
const RUN: &str = "osb.test/outcome=run";

/// Every ServiceInstance, ServiceBinding, Secret and Job left in the namespace.
fn leftovers_on(env: &Env, ns: &str) -> String {
    env.kubectl(&[
        "get",
        "serviceinstances.servicecatalog.k8s.io,servicebindings.servicecatalog.k8s.io,secrets,jobs",
        "-n",
        ns,
        "-o",
        "name",
    ])
    .ok()
    .stdout
}

fn leftovers(ns: &str) -> String {
    leftovers_on(env(), ns)
}

#[track_caller]
fn assert_nothing_left(ns: &str, run: &dyn std::fmt::Debug) {
    assert_nothing_left_on(env(), ns, run);
}

#[track_caller]
fn assert_nothing_left_on(env: &Env, ns: &str, run: &dyn std::fmt::Debug) {
    let left = leftovers_on(env, ns);
    assert!(
        left.trim().is_empty(),
        "left behind:\n{left}\nrun: {run:#?}"
    );
}

/// The stage markers in the order they were printed ("==> [provision]" → "provision").
pub(crate) fn stages(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("==> ["))
        .filter_map(|l| l.split(']').next())
        .map(str::to_string)
        .collect()
}

/// The Events the controllers wrote about the namespace's objects of `kind` (they outlive the objects),
/// as `TYPE REASON: MESSAGE` lines.
/// The events a field selector picks, as `TYPE REASON: MESSAGE` lines.
fn events_of(env: &Env, ns: &str, selector: &str) -> Vec<String> {
    env.events_where(ns, selector)
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            format!("{} {}: {}", text("type"), text("reason"), text("message"))
        })
        .collect()
}

/// Each of `wanted` begins one of `events`.
#[track_caller]
fn assert_has_events(events: &[String], wanted: &[&str]) {
    for event in wanted {
        assert!(
            events.iter().any(|e| e.starts_with(event)),
            "{event:?} missing: {events:#?}"
        );
    }
}

#[test]
fn the_happy_path_provisions_binds_runs_the_job_and_removes_everything() {
    let (env, ns) = setup("pipeline-ok");
    // No steering at all: as on a real cluster, the broker provisions and the pods complete.
    let run = pipeline(&ns, &["--pods", "3"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        stages(&run.stdout),
        ["broker", "provision", "bind", "job", "teardown"],
        "{run:#?}"
    );
    for stage in ["broker", "provision", "bind", "job", "teardown"] {
        run.clone().stdout_has(&format!("<== [{stage}] ok ("));
    }
    let out = &run.stdout;
    assert!(
        out.contains("job.batch/pipeline-app condition met\nverdict: PASSED\n"),
        "{run:#?}"
    );
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("pipeline: PASSED in "),
        "{run:#?}"
    );
    // Cassandra from the v2 body shipped in examples/, Kafka from the article's v1 body, one wait on both.
    assert!(
        out.contains("$ kubectl osb provision pipeline-cassandra --from-instaclustr ")
            && out.contains("/cassandra-v2.json --plan developer -p name=pipeline-cassandra"),
        "{run:#?}"
    );
    assert!(
        out.contains("$ kubectl osb provision pipeline-kafka --from-instaclustr "),
        "{run:#?}"
    );
    assert!(
        out.contains("$ kubectl osb wait si/pipeline-cassandra si/pipeline-kafka --for=ready"),
        "{run:#?}"
    );
    // Teardown in order: Job, then bindings, then instances.
    let pos = |s: &str| {
        out.find(s)
            .unwrap_or_else(|| panic!("missing {s:?}: {run:#?}"))
    };
    assert!(pos("job.batch \"pipeline-app\" deleted") < pos("$ kubectl osb unbind"));
    assert!(pos("$ kubectl osb unbind") < pos("$ kubectl osb deprovision pipeline-cassandra"));
    assert_nothing_left(&ns, &run);
    // The real job controller ran three pods and completed the Job.
    let events = events_of(env, &ns, "involvedObject.kind=Job");
    let created = events
        .iter()
        .filter(|e| e.starts_with("Normal SuccessfulCreate: Created pod: pipeline-app-"))
        .count();
    assert_eq!(created, 3, "{events:#?}");
    assert!(
        events
            .iter()
            .any(|e| e == "Normal Completed: Job completed"),
        "{events:#?}"
    );
}

#[test]
fn the_job_gets_the_pod_count_deadline_pod_metadata_and_both_bindings_credentials_as_secret_refs() {
    // Pods that run until the deadline; stop the run (SIGTERM to the script during the Job's wait)
    // once they all run, and look at the Job and its pods.
    let (env, ns) = setup("pipeline-manifest");
    let mut running = Running::start(
        &ns,
        &[
            "--pods",
            "4",
            "--deadline",
            "120",
            "--image",
            "registry.example/app:1",
            "--pod-label",
            RUN,
            "--pod-label",
            "team=payments",
            "--pod-annotation",
            "note=say \"hi\" \\ bye",
            "--job-annotation",
            "example.com/owner=ci",
        ],
    );
    running.until("$ kubectl osb wait job/pipeline-app");
    let job = env.json("job", &ns, "pipeline-app");
    // The job controller creates the four pods, the scheduler puts them on kwok's node, which runs them.
    let pods = eventually("4 running pods", Duration::from_secs(120), || {
        let out = env
            .kubectl(&[
                "get",
                "pods",
                "-n",
                &ns,
                "-l",
                "job-name=pipeline-app",
                "-o",
                "json",
            ])
            .ok();
        let pods: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let items = pods["items"].as_array().cloned().unwrap_or_default();
        let running = items
            .iter()
            .filter(|p| p["status"]["phase"] == "Running")
            .count();
        (running == 4).then_some(items)
    });
    running.signal("TERM", false);
    let run = running.finish();

    let spec = &job["spec"];
    assert_eq!(spec["parallelism"], 4);
    assert_eq!(spec["completions"], 4);
    assert_eq!(spec["activeDeadlineSeconds"], 120);
    assert_eq!(spec["backoffLimit"], 0);
    assert_eq!(job["metadata"]["annotations"]["example.com/owner"], "ci");
    let template = &spec["template"];
    assert_eq!(template["metadata"]["labels"]["osb.test/outcome"], "run");
    assert_eq!(template["metadata"]["labels"]["team"], "payments");
    assert_eq!(
        template["metadata"]["labels"]["app.kubernetes.io/name"],
        "pipeline-app"
    );
    assert_eq!(
        template["metadata"]["annotations"]["note"],
        "say \"hi\" \\ bye"
    );
    let container = &template["spec"]["containers"][0];
    assert_eq!(container["image"], "registry.example/app:1");
    let env_vars = container["env"].as_array().unwrap();
    let var = |name: &str| {
        env_vars
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {env_vars:#?}"))
    };
    assert_eq!(
        var("CASSANDRA_PASSWORD")["valueFrom"]["secretKeyRef"],
        serde_json::json!({"name": "pipeline-cassandra", "key": "password"})
    );
    assert_eq!(
        var("KAFKA_BOOTSTRAP_SERVERS")["valueFrom"]["secretKeyRef"],
        serde_json::json!({"name": "pipeline-kafka", "key": "bootstrap_servers"})
    );
    assert!(
        env_vars.iter().all(|v| v.get("value").is_none()),
        "a credential value in the manifest: {env_vars:#?}"
    );
    for pod in &pods {
        assert_eq!(pod["spec"]["nodeName"], testkit::jobs::NODE, "{pod:#}");
        assert_eq!(pod["metadata"]["labels"]["team"], "payments", "{pod:#}");
        assert_eq!(
            pod["spec"]["containers"][0]["env"], container["env"],
            "{pod:#}"
        );
    }

    let run = run
        .code(143)
        .stderr_has("pipeline: terminated during job; stopping and cleaning up");
    let run = run.stdout_has("<== [cleanup] ok, nothing left behind");
    assert_nothing_left(&ns, &run);
}

#[test]
fn a_failed_kafka_provision_ends_the_wait_at_once_removes_cassandra_and_exits_20() {
    let (env, ns) = setup("pipeline-prov");
    let run = pipeline(
        &ns,
        &[
            "--kafka-param",
            "x-test.provision=fail",
            "--cassandra-param",
            "x-test.provision-seconds:=2",
            // Far beyond the test's patience: 20 (failed), not 21 (timed out), shows the fail-fast.
            "--provision-timeout",
            "30m",
        ],
    );
    assert_eq!(run.code, 20, "{run:#?}");
    // The broker's failure, as the controller reports it, ends the wait on both instances.
    let run = run
        .stderr_has(
            "serviceinstance.servicecatalog.k8s.io/pipeline-kafka failed: ProvisionCallFailed",
        )
        .stderr_has("Provision call failed: Cluster FAILED: ");
    assert_eq!(
        stages(&run.stdout),
        ["broker", "provision", "cleanup"],
        "{run:#?}"
    );
    let run = run.stdout_has("$ kubectl osb deprovision pipeline-cassandra");
    assert!(!run.stdout.contains("osb bind"), "{run:#?}");
    let run = run.stdout_has("pipeline: FAILED at stage provision (exit 20)");
    assert_nothing_left(&ns, &run);
    // The controller's account of the failure: the broker's failure, then its orphan mitigation, which
    // ends in OrphanMitigationSuccessful, or (when the pipeline's cleanup deleted the instance first) in
    // the deletion's DeprovisionedSuccessfully. Events are written after the status: wait for the end.
    let ended = |events: &[String]| {
        events.iter().any(|e| {
            e.starts_with("Normal OrphanMitigationSuccessful: ")
                || e.starts_with("Normal DeprovisionedSuccessfully: ")
        })
    };
    let events = eventually(
        "the end of pipeline-kafka's orphan mitigation",
        PATIENCE,
        || Some(events_of(env, &ns, "involvedObject.name=pipeline-kafka")).filter(|e| ended(e)),
    );
    assert_has_events(
        &events,
        &[
            "Warning ProvisionCallFailed: Provision call failed: Cluster FAILED: ",
            "Warning StartingInstanceOrphanMitigation: ",
        ],
    );
    // The broker received both provisions (the parameters reached it) and keeps neither instance.
    let mut mine: Vec<(String, String)> = env
        .broker_instances()
        .into_iter()
        .filter(|i| i["namespace"] == ns.as_str())
        .map(|i| (i["instance_name"].to_string(), i["state"].to_string()))
        .collect();
    mine.sort();
    assert_eq!(
        mine,
        [
            ("\"pipeline-cassandra\"".into(), "\"gone\"".into()),
            ("\"pipeline-kafka\"".into(), "\"gone\"".into())
        ],
        "{:#?}",
        env.broker_instances()
    );
}

#[test]
fn a_failed_job_is_a_failed_verdict_cleaned_up_with_exit_40() {
    let (env, ns) = setup("pipeline-job");
    let run = pipeline(&ns, &["--pod-label", FAIL]);
    assert_eq!(run.code, 40, "{run:#?}");
    let run = run.stdout_has("verdict: FAILED");
    // The job controller's verdict (backoffLimit 0: the first failed pod fails the Job).
    let run = run.stderr_has("job.batch/pipeline-app failed: BackoffLimitExceeded: Job has reached the specified backoff limit");
    assert_eq!(
        stages(&run.stdout),
        ["broker", "provision", "bind", "job", "cleanup"],
        "{run:#?}"
    );
    let run = run.stdout_has("pipeline: FAILED at stage job (exit 40)");
    assert_nothing_left(&ns, &run);
    let events = events_of(env, &ns, "involvedObject.kind=Job");
    assert_has_events(&events, &["Warning BackoffLimitExceeded: "]);
}

#[test]
fn a_job_ended_by_its_deadline_passes_only_as_a_soak_test() {
    let (_, ns) = setup("pipeline-soak");
    let soak = pipeline(&ns, &["--soak", "--deadline", "5", "--pod-label", RUN]);
    let soak = soak
        .code(0)
        .stdout_has("$ kubectl osb wait job/pipeline-app --for=complete --deadline-ok");
    let soak = soak.stdout_has("verdict: PASSED (soak: ran until its deadline)");
    assert_nothing_left(&ns, &soak);

    // Without --soak, the deadline is a failure.
    let plain = pipeline(&ns, &["--deadline", "5", "--pod-label", RUN]);
    let plain = plain.code(40).stderr_has("job.batch/pipeline-app failed: DeadlineExceeded: Job was active longer than specified deadline");
    assert_nothing_left(&ns, &plain);

    // A soak test forgives the deadline only: failing pods still fail it.
    let failing = pipeline(&ns, &["--soak", "--pod-label", FAIL]);
    let failing = failing.code(40).stderr_has("failed: BackoffLimitExceeded");
    assert_nothing_left(&ns, &failing);
}

/// The cluster whose controller gives up on a refused deprovision after `testkit::SHORT_RETRY`, with the
/// job controller, the scheduler and kwok started on it once (it has none of its own), so that a Job can
/// pass there before the deprovision fails for good.
fn short_retry_env_with_jobs() -> &'static Env {
    static JOBS: OnceLock<()> = OnceLock::new();
    let env = short_retry_env();
    JOBS.get_or_init(|| {
        let node = env
            .kubectl(&[
                "get",
                "node",
                testkit::jobs::NODE,
                "--ignore-not-found",
                "-o",
                "name",
            ])
            .ok();
        if node.stdout.trim().is_empty() {
            let bins = testkit::cluster::Binaries::get().unwrap_or_else(|e| panic!("{e:#}"));
            testkit::jobs::start(&env.cp, &bins)
                .unwrap_or_else(|e| panic!("starting the job controller and kwok: {e:#}"));
        }
    });
    env
}

#[test]
fn a_failed_deprovision_after_a_pass_exits_50_and_names_the_orphan() {
    let env = short_retry_env_with_jobs();
    let ns = env.namespace("pipeline-orphan");
    // Our broker refuses (400) every deprovision of Cassandra; the controller gives up after SHORT_RETRY.
    let run = testkit::run(
        &mut pipeline_cmd_on(env, &ns, &["--cassandra-param", "x-test.deprovision=fail"]),
        None,
    );
    assert_eq!(run.code, 50, "{run:#?}");
    let run = run.stdout_has("verdict: PASSED").stderr_has("serviceinstance.servicecatalog.k8s.io/pipeline-cassandra failed: ErrorReconciliationRetryTimeout").stdout_has("  serviceinstance.servicecatalog.k8s.io/pipeline-cassandra (being deleted)").stdout_has("pipeline: the Job passed, but cleanup FAILED (exit 50)");
    // Only the orphan is left: the Job, both bindings with their Secrets, and Kafka are gone.
    assert_eq!(
        leftovers_on(env, &ns).trim(),
        "serviceinstance.servicecatalog.k8s.io/pipeline-cassandra",
        "{run:#?}"
    );
    let si = env.json("serviceinstance", &ns, "pipeline-cassandra");
    // The orphan as the controller leaves it: deprovision Failed for good, the finalizer kept.
    assert_eq!(si["status"]["deprovisionStatus"], "Failed", "{si:#}");
    let failed = si["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Failed"))
        .unwrap_or_else(|| panic!("no Failed condition: {si:#}"));
    assert_eq!(failed["status"], "True", "{si:#}");
    assert_eq!(
        failed["reason"], "ErrorReconciliationRetryTimeout",
        "{si:#}"
    );
    assert!(
        si["metadata"]["finalizers"]
            .as_array()
            .is_some_and(|f| !f.is_empty()),
        "{si:#}"
    );
    let events = events_of(env, &ns, "involvedObject.kind=ServiceInstance");
    assert_has_events(
        &events,
        &[
            "Warning DeprovisionCallFailed: Deprovision call failed; received error response from broker: Status: 400",
            "Warning ErrorReconciliationRetryTimeout: Stopping reconciliation retries because too much time has elapsed",
        ],
    );
    env.kubectl(&[
        "osb",
        "abandon",
        "pipeline-cassandra",
        "--yes",
        "--force",
        "-n",
        &ns,
    ])
    .ok();
    assert_nothing_left_on(env, &ns, &run);
}

#[test]
fn sigint_to_the_process_group_mid_wait_cleans_up_and_exits_130() {
    let (_, ns) = setup("pipeline-int");
    let mut running = Running::start(&ns, &["--kafka-param", "x-test.provision-seconds:=15"]);
    running.until("$ kubectl osb wait si/pipeline-cassandra si/pipeline-kafka --for=ready");
    running.signal("INT", true);
    let run = running.finish();
    let run = run
        .code(130)
        .stderr_has("pipeline: interrupted during provision; stopping and cleaning up");
    let run = run
        .stdout_has("<== [cleanup] ok, nothing left behind")
        .stdout_has("pipeline: FAILED at stage provision (exit 130)");
    assert!(!run.stdout.contains("osb bind"), "{run:#?}");
    assert_nothing_left(&ns, &run);
}

#[test]
fn names_already_in_use_stop_the_run_with_10_and_nothing_is_touched() {
    let (env, ns) = setup("pipeline-taken");
    // Provisioned for real (--wait): under load the controller may otherwise only get to it after the
    // deprovision below, and then never call the broker at all.
    env.provision(&ns, "pipeline-kafka")
        .class("kafka")
        .plan("developer")
        .timeout("300s")
        .wait();
    let run = pipeline(&ns, &[]);
    let run = run
        .code(10)
        .stdout_has("  exists: serviceinstance.servicecatalog.k8s.io/pipeline-kafka");
    let run = run.stdout_has("pipeline: FAILED at stage broker (exit 10)");
    assert_eq!(
        leftovers(&ns).trim(),
        "serviceinstance.servicecatalog.k8s.io/pipeline-kafka",
        "the earlier instance stays, nothing else was created: {run:#?}"
    );
    env.deprovision(&ns, "pipeline-kafka").wait();
    // The broker heard of this namespace only through the earlier instance, never of Cassandra.
    let requests = env.broker_requests_in(&ns);
    assert!(
        !requests.is_empty()
            && requests
                .iter()
                .all(|r| r["instance_name"] == "pipeline-kafka"),
        "{requests:#?}"
    );
}

#[test]
fn bad_options_are_usage_errors_and_help_documents_the_exit_codes() {
    let (_, ns) = setup("pipeline-usage");
    for args in [
        &["--pods", "0"][..],
        &["--bogus"],
        &["--job-annotation", "novalue"],
        &["--kafka", "Not_A_Name"],
        &["--pod-label", "novalue"],
        &["--pod-label", "osb.test/outcome=not valid"],
        &["--pod-annotation", "bad key=x"],
        &["--kafka-param"],
    ] {
        let run = pipeline(&ns, args);
        assert_eq!(run.code, 2, "{args:?}: {run:#?}");
        run.stderr_starts("pipeline: ");
    }
    assert_nothing_left(&ns, &"usage errors");
    let help = pipeline(&ns, &["--help"]);
    assert_eq!(help.code, 0, "{help:#?}");
    for text in [
        "  10  broker",
        "  20  provision failed",
        "  40  the Job failed",
        "  50  cleanup failed",
        " 130  interrupted",
        "--kafka-param K=V",
        "--pod-label K=V",
        "--pod-annotation K=V",
    ] {
        help.clone().stdout_has(text);
    }
}

/// A pipeline run in its own process group, its stdout read line by line.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    stdout: String,
}

impl Running {
    #[allow(unsafe_code)]
    fn start(ns: &str, args: &[&str]) -> Self {
        use std::os::unix::process::CommandExt;
        let mut cmd = pipeline_cmd(ns, args);
        // SIGINT and SIGTERM as a terminal's script gets them, even when this test runs under a shell
        // that started it in the background (which ignores SIGINT, and the ignoring is inherited).
        // SAFETY: signal(2) is async-signal-safe; it runs in the child between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                libc::signal(libc::SIGTERM, libc::SIG_DFL);
                Ok(())
            });
        }
        let mut child = cmd
            .process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("running bash");
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            stdout: String::new(),
        }
    }

    /// Read stdout until a line starts with `prefix` (panics after two minutes or at end of output).
    fn until(&mut self, prefix: &str) {
        loop {
            match self.lines.recv_timeout(Duration::from_secs(120)) {
                Ok(line) => {
                    self.stdout.push_str(&line);
                    self.stdout.push('\n');
                    if line.starts_with(prefix) {
                        return;
                    }
                }
                Err(e) => panic!("no line {prefix:?} ({e}); output so far:\n{}", self.stdout),
            }
        }
    }

    /// Send SIG to the script (`group`: to its whole process group, as a terminal's Ctrl-C does).
    fn signal(&self, sig: &str, group: bool) {
        let pid = self.child.id().to_string();
        let target = if group { format!("-{pid}") } else { pid };
        let status = Command::new("kill")
            .args(["-s", sig, "--", &target])
            .status()
            .expect("running kill");
        assert!(status.success(), "kill -s {sig} -- {target}");
    }

    fn finish(mut self) -> Run {
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            e.read_to_string(&mut stderr).expect("stderr");
        }
        let status = self.child.wait().expect("waiting for the pipeline");
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.stdout.push_str(&line);
            self.stdout.push('\n');
        }
        Run {
            code: status.code().unwrap_or(-1),
            stdout: self.stdout,
            stderr,
        }
    }
}
