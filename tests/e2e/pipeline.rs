//! Issue 8: `examples/pipeline.sh`, the article's complete workflow, run end to end on the real control
//! plane with the plugins on PATH. The simulator plays the broker and, through the Job's
//! `sim.kubectl-osb.dev/job` annotation (passed with `--job-annotation`), the Job's outcome.
//! After every run, nothing the run created may remain in its namespace.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use testkit::{Run, env};

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/pipeline.sh")
}

/// `bash examples/pipeline.sh -n NS ARGS…` with the control plane's kubeconfig and the plugins on PATH.
fn pipeline_cmd(ns: &str, args: &[&str]) -> Command {
    let env = env();
    let mut c = Command::new("bash");
    c.arg(script())
        .args(["--namespace", ns])
        .args(args)
        .env("KUBECONFIG", &env.cp.kubeconfig)
        .env("PATH", env.path())
        .env_remove("PIPELINE_NAMESPACE")
        .stdin(Stdio::null());
    c
}

fn pipeline(ns: &str, args: &[&str]) -> Run {
    testkit::run(&mut pipeline_cmd(ns, args), None)
}

const COMPLETE: &str = "sim.kubectl-osb.dev/job=complete";

/// Every ServiceInstance, ServiceBinding, Secret and Job left in the namespace.
fn leftovers(ns: &str) -> String {
    env()
        .kubectl(&[
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

#[track_caller]
fn assert_nothing_left(ns: &str, run: &dyn std::fmt::Debug) {
    let left = leftovers(ns);
    assert!(
        left.trim().is_empty(),
        "left behind:\n{left}\nrun: {run:#?}"
    );
}

/// The stage markers in the order they were printed ("==> [provision]" → "provision").
fn stages(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("==> ["))
        .filter_map(|l| l.split(']').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_happy_path_provisions_binds_runs_the_job_and_removes_everything() {
    let ns = env().namespace("pipeline-ok");
    let run = pipeline(&ns, &["--pods", "3", "--job-annotation", COMPLETE]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        stages(&run.stdout),
        ["broker", "provision", "bind", "job", "teardown"],
        "{run:#?}"
    );
    for stage in ["broker", "provision", "bind", "job", "teardown"] {
        assert!(
            run.stdout.contains(&format!("<== [{stage}] ok (")),
            "{stage} did not end ok: {run:#?}"
        );
    }
    let out = &run.stdout;
    assert!(out.contains("verdict: PASSED\n"), "{run:#?}");
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("pipeline: PASSED in "),
        "{run:#?}"
    );
    // One instance from flags, one from the Instaclustr payload, one wait on both.
    assert!(
        out.contains(
            "$ kubectl osb provision pipeline-cassandra --class cassandra --plan developer"
        ),
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
}

#[test]
fn the_job_gets_the_pod_count_deadline_and_both_bindings_credentials_as_secret_refs() {
    // Stop the run while the Job exists (SIGTERM to the script during the Job's wait), look at it.
    let env = env();
    let ns = env.namespace("pipeline-manifest");
    let mut running = Running::start(
        &ns,
        &[
            "--pods",
            "4",
            "--deadline",
            "120",
            "--image",
            "registry.example/app:1",
            "--job-annotation",
            COMPLETE,
            "--job-annotation",
            "sim.kubectl-osb.dev/job-seconds=600",
        ],
    );
    running.until("$ kubectl osb wait job/pipeline-app");
    let job = env
        .kubectl(&["get", "job", "pipeline-app", "-n", &ns, "-o", "json"])
        .ok();
    let job: serde_json::Value = serde_json::from_str(&job.stdout).unwrap();
    running.signal("TERM", false);
    let run = running.finish();

    let spec = &job["spec"];
    assert_eq!(spec["parallelism"], 4);
    assert_eq!(spec["completions"], 4);
    assert_eq!(spec["activeDeadlineSeconds"], 120);
    let container = &spec["template"]["spec"]["containers"][0];
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
    assert_eq!(
        job["metadata"]["annotations"]["sim.kubectl-osb.dev/job"],
        "complete"
    );

    assert_eq!(run.code, 143, "{run:#?}");
    assert!(
        run.stdout.contains("<== [cleanup] ok, nothing left behind"),
        "{run:#?}"
    );
    assert_nothing_left(&ns, &run);
}

#[test]
fn a_failed_kafka_provision_ends_the_wait_at_once_removes_cassandra_and_exits_20() {
    let ns = env().namespace("pipeline-prov");
    let run = pipeline(
        &ns,
        &[
            "--kafka-annotation",
            "sim.kubectl-osb.dev/provision=fail",
            "--cassandra-annotation",
            "sim.kubectl-osb.dev/provision-seconds=2",
            // Far beyond the test's patience: 20 (failed), not 21 (timed out), shows the fail-fast.
            "--provision-timeout",
            "30m",
            "--job-annotation",
            COMPLETE,
        ],
    );
    assert_eq!(run.code, 20, "{run:#?}");
    assert!(
        run.stderr.contains(
            "serviceinstance.servicecatalog.k8s.io/pipeline-kafka failed: ProvisionCallFailed"
        ),
        "{run:#?}"
    );
    assert_eq!(
        stages(&run.stdout),
        ["broker", "provision", "cleanup"],
        "{run:#?}"
    );
    assert!(
        run.stdout
            .contains("$ kubectl osb deprovision pipeline-cassandra"),
        "{run:#?}"
    );
    assert!(!run.stdout.contains("osb bind"), "{run:#?}");
    assert!(
        run.stdout
            .contains("pipeline: FAILED at stage provision (exit 20)"),
        "{run:#?}"
    );
    assert_nothing_left(&ns, &run);
}

#[test]
fn a_failed_job_is_a_failed_verdict_cleaned_up_with_exit_40() {
    let ns = env().namespace("pipeline-job");
    let run = pipeline(&ns, &["--job-annotation", "sim.kubectl-osb.dev/job=fail"]);
    assert_eq!(run.code, 40, "{run:#?}");
    assert!(run.stdout.contains("verdict: FAILED"), "{run:#?}");
    assert!(run.stderr.contains("BackoffLimitExceeded"), "{run:#?}");
    assert_eq!(
        stages(&run.stdout),
        ["broker", "provision", "bind", "job", "cleanup"],
        "{run:#?}"
    );
    assert_nothing_left(&ns, &run);
}

#[test]
fn a_job_ended_by_its_deadline_passes_only_as_a_soak_test() {
    let ns = env().namespace("pipeline-soak");
    let deadline = "sim.kubectl-osb.dev/job=deadline";
    let soak = pipeline(&ns, &["--soak", "--job-annotation", deadline]);
    assert_eq!(soak.code, 0, "{soak:#?}");
    assert!(
        soak.stdout
            .contains("verdict: PASSED (soak: ran until its deadline)"),
        "{soak:#?}"
    );
    assert_nothing_left(&ns, &soak);

    let plain = pipeline(&ns, &["--job-annotation", deadline]);
    assert_eq!(plain.code, 40, "{plain:#?}");
    assert!(plain.stderr.contains("DeadlineExceeded"), "{plain:#?}");
    assert_nothing_left(&ns, &plain);
}

#[test]
fn a_failed_deprovision_after_a_pass_exits_50_and_names_the_orphan() {
    let env = env();
    let ns = env.namespace("pipeline-orphan");
    let run = pipeline(
        &ns,
        &[
            "--cassandra-annotation",
            "sim.kubectl-osb.dev/deprovision=fail",
            "--job-annotation",
            COMPLETE,
        ],
    );
    assert_eq!(run.code, 50, "{run:#?}");
    assert!(run.stdout.contains("verdict: PASSED"), "{run:#?}");
    assert!(
        run.stdout
            .contains("  serviceinstance.servicecatalog.k8s.io/pipeline-cassandra (being deleted)"),
        "{run:#?}"
    );
    assert!(
        run.stdout
            .contains("pipeline: the Job passed, but cleanup FAILED (exit 50)"),
        "{run:#?}"
    );
    // Only the orphan is left: the Job, both bindings with their Secrets, and Kafka are gone.
    assert_eq!(
        leftovers(&ns).trim(),
        "serviceinstance.servicecatalog.k8s.io/pipeline-cassandra",
        "{run:#?}"
    );
    env.kubectl(&["osb", "abandon", "pipeline-cassandra", "--yes", "-n", &ns])
        .ok();
    assert_nothing_left(&ns, &run);
}

#[test]
fn sigint_to_the_process_group_mid_wait_cleans_up_and_exits_130() {
    let ns = env().namespace("pipeline-int");
    let mut running = Running::start(
        &ns,
        &[
            "--kafka-annotation",
            "sim.kubectl-osb.dev/provision-seconds=15",
            "--job-annotation",
            COMPLETE,
        ],
    );
    running.until("$ kubectl osb wait si/pipeline-cassandra si/pipeline-kafka --for=ready");
    running.signal("INT", true);
    let run = running.finish();
    assert_eq!(run.code, 130, "{run:#?}");
    assert!(
        run.stderr
            .contains("pipeline: interrupted during provision; stopping and cleaning up"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("<== [cleanup] ok, nothing left behind"),
        "{run:#?}"
    );
    assert!(
        run.stdout
            .contains("pipeline: FAILED at stage provision (exit 130)"),
        "{run:#?}"
    );
    assert_nothing_left(&ns, &run);
}

#[test]
fn names_already_in_use_stop_the_run_with_10_and_nothing_is_touched() {
    let env = env();
    let ns = env.namespace("pipeline-taken");
    env.kubectl(&[
        "osb",
        "provision",
        "pipeline-kafka",
        "--class",
        "kafka",
        "--plan",
        "developer",
        "-n",
        &ns,
    ])
    .ok();
    let run = pipeline(&ns, &["--job-annotation", COMPLETE]);
    assert_eq!(run.code, 10, "{run:#?}");
    assert!(
        run.stdout
            .contains("  exists: serviceinstance.servicecatalog.k8s.io/pipeline-kafka"),
        "{run:#?}"
    );
    assert_eq!(
        leftovers(&ns).trim(),
        "serviceinstance.servicecatalog.k8s.io/pipeline-kafka",
        "the earlier instance stays, nothing else was created: {run:#?}"
    );
    env.kubectl(&["osb", "deprovision", "pipeline-kafka", "--wait", "-n", &ns])
        .ok();
}

#[test]
fn bad_options_are_usage_errors_and_help_documents_the_exit_codes() {
    let env = env();
    let ns = env.namespace("pipeline-usage");
    for args in [
        &["--pods", "0"][..],
        &["--bogus"],
        &["--job-annotation", "novalue"],
        &["--kafka", "Not_A_Name"],
    ] {
        let run = pipeline(&ns, args);
        assert_eq!(run.code, 2, "{args:?}: {run:#?}");
        assert!(run.stderr.starts_with("pipeline: "), "{run:#?}");
    }
    assert_nothing_left(&ns, &"usage errors");
    let help = pipeline(&ns, &["--help"]);
    assert_eq!(help.code, 0, "{help:#?}");
    for code in [
        "  10  broker",
        "  20  provision failed",
        "  40  the Job failed",
        "  50  cleanup failed",
        " 130  interrupted",
    ] {
        assert!(help.stdout.contains(code), "{code:?} missing: {help:#?}");
    }
}

/// A pipeline run in its own process group, its stdout read line by line.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    stdout: String,
}

impl Running {
    fn start(ns: &str, args: &[&str]) -> Self {
        use std::os::unix::process::CommandExt;
        let mut child = pipeline_cmd(ns, args)
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
