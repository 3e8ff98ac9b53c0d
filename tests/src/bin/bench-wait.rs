//! Benchmark of `kubectl osb wait` against `kubectl wait`, on a local control plane (no catalog controller: the
//! benchmark writes the status flips itself, so it knows the instant of each write).
//!
//! Run through `bench/wait.sh`, which builds the release binary and writes the results into
//! docs/BENCHMARKS.md. Measures:
//! * latency from the status write (Ready, or Failed) to the waiter's exit, p50/p95 over N runs;
//! * API requests per wait (from the API server's audit log, by the waiter's own user);
//! * a wait on many instances: time from the last flip to exit, and the waiter's peak RSS.
//!
//! Every waiter runs through a small launcher process ([`testkit::launcher`]: this binary with `--launch`), which
//! reaps it with wait4(2) and reports its `ru_maxrss`; forked straight from this driver, the waiter's peak RSS
//! would be at least the driver's own size. The instant of a waiter's exit is the launcher's.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use testkit::bench::{audit_lines, audit_requests, kubectl_version, ms, pct};

use anyhow::{Context, Result};
use clap::Parser;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use osb::catalog::{ServiceInstance, ServiceInstanceSpec};
use serde_json::{Value, json};
use testkit::cluster::ControlPlane;
use testkit::launcher;

#[derive(Parser, Debug)]
struct Args {
    /// The kubectl-osb-wait binary to measure
    #[arg(long)]
    waiter: PathBuf,
    /// Runs per latency series
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// Instances in the large wait
    #[arg(long, default_value_t = 1000)]
    many: usize,
    /// Write the Markdown results here
    #[arg(long)]
    out: PathBuf,
}

const NS: &str = "bench";

fn main() -> Result<()> {
    let argv: Vec<OsString> = std::env::args_os().collect();
    if argv.get(1).is_some_and(|a| a == launcher::FLAG) {
        launcher::launch(&argv[2..]);
    }
    let args = Args::parse();
    // The launcher's floor: the peak RSS of `true` started the same way.
    let (floor_code, _, floor_kb) = spawn_measured(Command::new("true"))?
        .recv()
        .context("the launcher's reaper")??;
    anyhow::ensure!(
        floor_code == 0,
        "`true` through the launcher exited {floor_code}"
    );
    let cp = ControlPlane::start_opts(None, true)?;
    cp.kubectl(&["create", "namespace", NS])?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let client = rt.block_on(testkit::client_from(&cp.kubeconfig))?;
    let api: Api<ServiceInstance> = Api::namespaced(client, NS);
    let mut md = String::new();
    md.push_str(&format!(
        "Local control plane (kube-apiserver v{}, etcd v{}), 2 cores; `kubectl` {}; status written by the benchmark.\n\n",
        testkit::cluster::KUBE_VERSION,
        testkit::cluster::ETCD_VERSION,
        kubectl_version()
    ));

    md.push_str(&format!(
        "### Latency from the status write to exit ({} runs each)\n\n",
        args.runs
    ));
    md.push_str("| waiter | flip | p50 | p95 | max | exit codes | requests per wait |\n|---|---|---|---|---|---|---|\n");
    for failed in [false, true] {
        for tool in [Tool::Osb, Tool::Kubectl] {
            // kubectl wait cannot see a failure: it sits out its timeout, so a few runs show that.
            let runs = if failed && tool == Tool::Kubectl {
                3.min(args.runs)
            } else {
                args.runs
            };
            let audit_before = audit_lines(&cp);
            let mut lat = Vec::new();
            let mut codes = BTreeMap::new();
            for i in 0..runs {
                let name = format!(
                    "{}-{}-{i}",
                    tool.label(),
                    if failed { "failed" } else { "ready" }
                );
                let (d, code, _) =
                    rt.block_on(one_wait(&cp, &api, &args.waiter, tool, &name, failed))?;
                lat.push(d);
                *codes.entry(code).or_insert(0) += 1;
            }
            let reqs = audit_requests(&cp, audit_before, "osb-bench");
            lat.sort();
            let codes: Vec<String> = codes.iter().map(|(c, n)| format!("{c}×{n}")).collect();
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                tool.label(),
                if failed { "Failed=True" } else { "Ready=True" },
                ms(pct(&lat, 50)),
                ms(pct(&lat, 95)),
                ms(*lat.last().unwrap_or(&Duration::ZERO)),
                codes.join(", "),
                per_wait(&reqs, runs)
            ));
            eprintln!(
                "{} {} done",
                tool.label(),
                if failed { "failed" } else { "ready" }
            );
        }
    }

    md.push_str(&format!(
        "\n### One wait on {} instances (label selector), all flipped to Ready at once\n\n",
        args.many
    ));
    md.push_str(&format!(
        "*Peak RSS*: the waiter's `ru_maxrss` (wait4, in a small launcher process started by the benchmark, so \
         that the driver's own size is no floor; the floor is {:.1} MB, `true`'s started the same way).\n\n",
        floor_kb as f64 / 1024.0
    ));
    md.push_str("| waiter | time from the last flip to exit | total wait | peak RSS | exit | requests |\n|---|---|---|---|---|---|\n");
    for tool in [Tool::Osb, Tool::Kubectl] {
        let label = format!("many-{}", tool.label());
        let audit_before = audit_lines(&cp);
        let r = rt.block_on(many_wait(&cp, &api, &args.waiter, tool, &label, args.many))?;
        let reqs = audit_requests(&cp, audit_before, "osb-bench");
        md.push_str(&format!(
            "| {} | {} | {} | {:.1} MB | {} | {} |\n",
            tool.label(),
            ms(r.after_last_flip),
            ms(r.total),
            r.max_rss_kb as f64 / 1024.0,
            r.code,
            per_wait(&reqs, 1)
        ));
        eprintln!("{} many done", tool.label());
    }
    std::fs::write(&args.out, md)?;
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Osb,
    Kubectl,
}

impl Tool {
    fn label(self) -> &'static str {
        match self {
            Tool::Osb => "kubectl-osb-wait",
            Tool::Kubectl => "kubectl-wait",
        }
    }
}

fn pending_status() -> Value {
    json!({"status": {
        "asyncOpInProgress": true, "currentOperation": "Provision", "provisionStatus": "",
        "conditions": [{"type": "Ready", "status": "False", "reason": "Provisioning",
                        "message": "The instance is being provisioned asynchronously", "lastTransitionTime": "2026-01-01T00:00:00Z"}]
    }})
}

fn final_status(failed: bool) -> Value {
    let t = "2026-01-01T00:00:01Z";
    if failed {
        json!({"status": {"asyncOpInProgress": false, "currentOperation": null,
            "conditions": [
                {"type": "Ready", "status": "False", "reason": "ProvisionCallFailed", "message": "Status: failed", "lastTransitionTime": t},
                {"type": "Failed", "status": "True", "reason": "ProvisionCallFailed", "message": "Status: failed", "lastTransitionTime": t}]}})
    } else {
        json!({"status": {"asyncOpInProgress": false, "currentOperation": null, "provisionStatus": "Provisioned",
            "conditions": [{"type": "Ready", "status": "True", "reason": "ProvisionedSuccessfully",
                            "message": "The instance was provisioned successfully", "lastTransitionTime": t}]}})
    }
}

async fn create_pending(api: &Api<ServiceInstance>, name: &str, label: Option<&str>) -> Result<()> {
    let mut si = ServiceInstance::new(
        name,
        ServiceInstanceSpec {
            cluster_service_class_external_name: Some("cassandra".into()),
            cluster_service_plan_external_name: Some("developer".into()),
            ..Default::default()
        },
    );
    if let Some(l) = label {
        si.metadata.labels = Some([("bench".to_string(), l.to_string())].into());
    }
    api.create(&PostParams::default(), &si).await?;
    api.patch_status(
        name,
        &PatchParams::default(),
        &Patch::Merge(pending_status()),
    )
    .await?;
    Ok(())
}

fn waiter_cmd(
    cp: &ControlPlane,
    waiter: &Path,
    tool: Tool,
    target: &[&str],
    failed: bool,
) -> Command {
    let mut c = match tool {
        Tool::Osb => {
            let mut c = Command::new(waiter);
            c.args([
                "--context",
                "osb-bench",
                "-n",
                NS,
                "--for=ready",
                "--timeout=10m",
            ]);
            c
        }
        Tool::Kubectl => {
            let mut c = Command::new("kubectl");
            let timeout = if failed {
                "--timeout=10s"
            } else {
                "--timeout=10m"
            };
            c.args([
                "--context",
                "osb-bench",
                "-n",
                NS,
                "wait",
                "--for=condition=Ready",
                timeout,
            ]);
            c
        }
    };
    c.args(target).env("KUBECONFIG", &cp.kubeconfig);
    c
}

/// What a measured command did: exit code, the instant it ended, and its peak RSS in KiB.
type Measured = Result<(i32, Instant, i64)>;

/// Start `cmd` through the launcher ([`launcher`]), stdio to /dev/null, and reap the launcher in a thread: the
/// receiver gets the command's exit code, the instant the launcher ended, and the command's peak RSS in KiB.
/// Call it from a thread that outlives the command (the launcher dies with the thread that spawned it).
#[allow(unsafe_code)]
fn spawn_measured(cmd: Command) -> Result<std::sync::mpsc::Receiver<Measured>> {
    let report = launcher::report_path();
    let mut cmd = launcher::wrap(&cmd, &report)?;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = cmd.spawn().context("spawning the launcher")?;
    let pid = child.id() as libc::pid_t;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut status = 0;
        // SAFETY: reaping our own child (the launcher); `status` is a valid out-pointer.
        let r = unsafe { libc::waitpid(pid, &mut status, 0) };
        let end = Instant::now();
        drop(child);
        let res = if r != pid {
            Err(anyhow::anyhow!("waitpid on the launcher failed"))
        } else {
            launcher::read_report(&report)
                .map(|(code, rss)| (code, end, rss))
                .with_context(|| format!("the launcher reported nothing (wait status {status:#x})"))
        };
        let _ = tx.send(res);
    });
    Ok(rx)
}

/// Wait until the audit log shows the bench user watching (the waiter is ready to see a flip).
fn wait_for_watch(cp: &ControlPlane, from_line: usize) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = std::fs::read_to_string(cp.dir.join("audit.log")).unwrap_or_default();
        let watching = text
            .lines()
            .skip(from_line)
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .any(|e| {
                e.pointer("/user/username").and_then(Value::as_str) == Some("osb-bench")
                    && e.get("verb").and_then(Value::as_str) == Some("watch")
                    && e.get("stage").and_then(Value::as_str) == Some("ResponseStarted")
            });
        if watching {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the waiter never started watching"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

async fn one_wait(
    cp: &ControlPlane,
    api: &Api<ServiceInstance>,
    waiter: &Path,
    tool: Tool,
    name: &str,
    failed: bool,
) -> Result<(Duration, i32, i64)> {
    create_pending(api, name, None).await?;
    let before = audit_lines(cp);
    let target = match tool {
        Tool::Osb => format!("si/{name}"),
        Tool::Kubectl => format!("serviceinstance/{name}"),
    };
    let rx = spawn_measured(waiter_cmd(cp, waiter, tool, &[&target], failed))?;
    wait_for_watch(cp, before)?;
    let t0 = Instant::now();
    api.patch_status(
        name,
        &PatchParams::default(),
        &Patch::Merge(final_status(failed)),
    )
    .await?;
    let (code, end, rss) = tokio::task::spawn_blocking(move || rx.recv()).await???;
    Ok((end.saturating_duration_since(t0), code, rss))
}

struct Many {
    after_last_flip: Duration,
    total: Duration,
    max_rss_kb: i64,
    code: i32,
}

async fn many_wait(
    cp: &ControlPlane,
    api: &Api<ServiceInstance>,
    waiter: &Path,
    tool: Tool,
    label: &str,
    n: usize,
) -> Result<Many> {
    let names: Vec<String> = (0..n).map(|i| format!("{label}-{i}")).collect();
    futures::stream::iter(
        names
            .iter()
            .map(|name| create_pending(api, name, Some(label))),
    )
    .buffer_unordered(16)
    .collect::<Vec<_>>()
    .await
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    let before = audit_lines(cp);
    let selector = format!("bench={label}");
    let kind = match tool {
        Tool::Osb => "si",
        Tool::Kubectl => "serviceinstance",
    };
    let start = Instant::now();
    let rx = spawn_measured(waiter_cmd(
        cp,
        waiter,
        tool,
        &[kind, "-l", &selector],
        false,
    ))?;
    wait_for_watch(cp, before)?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (pp, ready) = (PatchParams::default(), Patch::Merge(final_status(false)));
    futures::stream::iter(names.iter().map(|name| api.patch_status(name, &pp, &ready)))
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let last_flip = Instant::now();
    let (code, end, rss) = tokio::task::spawn_blocking(move || rx.recv()).await???;
    Ok(Many {
        after_last_flip: end.saturating_duration_since(last_flip),
        total: end - start,
        max_rss_kb: rss,
        code,
    })
}

use futures::StreamExt;

fn per_wait(reqs: &BTreeMap<String, usize>, runs: usize) -> String {
    if reqs.is_empty() {
        return "0".into();
    }
    reqs.iter()
        .map(|(v, n)| format!("{:.1} {v}", *n as f64 / runs.max(1) as f64))
        .collect::<Vec<_>>()
        .join(", ")
}
