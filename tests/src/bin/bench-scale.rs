//! The scale benchmark (issue 17): many ServiceInstances across many namespaces and a broker with many plans,
//! on a local control plane with the real Service Catalog, and our commands side by side with `kubectl` and
//! `svcat` v0.3.1 on the same objects, in one run.
//!
//! Run through `bench/scale.sh`, which builds the release binaries and writes the results into
//! docs/BENCHMARKS.md (section "scale"). Phases:
//! 1. a control plane with an audit log, the real webhook and controller-manager, our broker publishing
//!    `--classes` × (`--plans` / `--classes`) generated plans besides its usual catalog; wait until the
//!    controller has written every ClusterServicePlan;
//! 2. stop the controller (else it would provision every instance against the broker for minutes, and the
//!    status flips of the wait would not happen at a known instant), then create the instances through the
//!    real webhook (`--concurrency` in flight), each with a pending provision status, labelled `bench=scale`;
//! 3. each listed command `--runs` times, one at a time: time to the first stdout line and to the first data
//!    row, time to exit, peak RSS (wait4), API requests (audit log, by the benchmark's own user), and a
//!    count of the distinct instance / plan names printed (the same answer for every tool);
//! 4. one `kubectl osb wait --for=ready -A -l bench=scale` on every instance: once it watches, every status
//!    is written Ready as fast as possible; time from the last write to exit (then `kubectl wait`, the same).

use std::collections::{BTreeMap, HashSet};
use std::ffi::OsString;
use std::io::{BufRead, Read, Seek};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use testkit::bench::{kubectl_version, loadavg, ms};

use anyhow::{Context, Result, bail};
use clap::Parser;
use futures::StreamExt;
use k8s_openapi::api::core::v1::Namespace;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use osb::catalog::{ServiceInstance, ServiceInstanceSpec};
use serde_json::{Value, json};
use testkit::broker::catalog::Extra;
use testkit::cluster::ControlPlane;

#[derive(Parser, Debug)]
struct Args {
    /// The `kubectl-osb` dispatcher to measure (release build)
    #[arg(long)]
    osb: PathBuf,
    /// ServiceInstances to create
    #[arg(long, default_value_t = 10_000)]
    instances: usize,
    /// Namespaces they are spread over
    #[arg(long, default_value_t = 100)]
    namespaces: usize,
    /// Generated plans the broker publishes (besides its usual 7)
    #[arg(long, default_value_t = 1000)]
    plans: usize,
    /// Generated classes the plans are spread over (at most --plans)
    #[arg(long, default_value_t = 10)]
    classes: usize,
    /// Runs of each command (the median is reported)
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Creates / status writes in flight
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Also run `kubectl wait` on every instance after ours (it waits for one object after another:
    /// about half an hour at 10,000)
    #[arg(long)]
    kubectl_wait: bool,
    /// Write the Markdown results here
    #[arg(long)]
    out: PathBuf,
    /// Put the control plane's directory (etcd data, audit log, logs) under this one (default: the temp dir)
    #[arg(long)]
    base_dir: Option<PathBuf>,
}

/// The label every instance carries, for `wait -l`.
const LABEL: (&str, &str) = ("bench", "scale");
/// Prefix of every instance's name (names are unique across namespaces, so distinct names count rows).
const SI_PREFIX: &str = "scale-si-";
/// Prefix of every generated plan's external name ([`Extra::plan_name`]).
const PLAN_PREFIX: &str = "plan-";
/// The peak RSS goal.
const RSS_GOAL_KB: i64 = 64 * 1024;
/// The wait goal: every instance reported within this of the last status write.
const WAIT_GOAL: Duration = Duration::from_secs(1);

fn main() -> Result<()> {
    let argv: Vec<OsString> = std::env::args_os().collect();
    if argv.get(1).is_some_and(|a| a == testkit::launcher::FLAG) {
        testkit::launcher::launch(&argv[2..]);
    }
    let args = Args::parse();
    anyhow::ensure!(
        args.plans > 0 && args.instances > 0 && args.namespaces > 0,
        "--plans, --instances and --namespaces must be at least 1"
    );
    let classes = args.classes.clamp(1, args.plans);
    if args.plans % classes != 0 {
        bail!(
            "--plans {} is not a multiple of --classes {classes}",
            args.plans
        );
    }
    let extra = Extra {
        classes,
        plans_per_class: args.plans / classes,
    };
    let mut phases: Vec<(String, Duration)> = Vec::new();
    let load_start = loadavg();

    // 1. The cluster and the catalog.
    let t = Instant::now();
    let cp = ControlPlane::start_opts(args.base_dir.as_deref(), true)?;
    let bins = testkit::cluster::Binaries::get()?;
    let opts = testkit::catalog::CatalogOptions {
        test_broker: false,
        broker_extra: extra,
        ..Default::default()
    };
    let catalog = testkit::catalog::start(&cp, &bins, &opts)?;
    phases.push((
        "control plane, webhook, controller; broker Ready (the controller writes every class and plan first, \
         at client-go's default 5 requests/s)"
            .into(),
        t.elapsed(),
    ));
    let t = Instant::now();
    let usual: usize = testkit::broker::catalog::CLASSES
        .iter()
        .map(|c| c.plans.len())
        .sum();
    wait_for_plans(&cp, usual + extra.plans(), Duration::from_secs(900))?;
    let plan_secs = t.elapsed();
    phases.push((
        format!(
            "then until all {} ClusterServicePlans exist",
            usual + extra.plans()
        ),
        plan_secs,
    ));
    // 2. No controller from here on; the instances.
    catalog.stop_controller();
    progress(&format!(
        "controller stopped; creating {} instances in {} namespaces",
        args.instances, args.namespaces
    ));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let client = rt.block_on(testkit::client_from(&cp.kubeconfig))?;
    let t = Instant::now();
    let names = rt.block_on(create_instances(&client, &args, extra))?;
    let create_secs = t.elapsed();
    phases.push((
        format!(
            "create {} instances + pending status ({} in flight)",
            args.instances, args.concurrency
        ),
        create_secs,
    ));

    // 3. The commands.
    let bench_kc = bench_kubeconfig(&cp)?;
    // kubectl's plugin dispatch: a PATH of kubectl and the dispatcher only, so that no other
    // kubectl-osb-* binary (a longer name wins) is found instead.
    let dispatch_dir = cp.dir.join("dispatch");
    std::fs::create_dir_all(&dispatch_dir)?;
    std::os::unix::fs::symlink(
        std::path::absolute(&args.osb)?,
        dispatch_dir.join("kubectl-osb"),
    )?;
    std::os::unix::fs::symlink(find_on_path("kubectl")?, dispatch_dir.join("kubectl"))?;
    let path_with_osb = OsString::from(&dispatch_dir);
    let dry_run_file = cp.dir.join("dry-run-instance.json");
    std::fs::write(
        &dry_run_file,
        serde_json::to_string(&json!({
            "apiVersion": "servicecatalog.k8s.io/v1beta1", "kind": "ServiceInstance",
            "metadata": {"name": "scale-dry-run", "namespace": ns_name(0)},
            "spec": {"clusterServiceClassExternalName": Extra::class_name(0),
                     "clusterServicePlanExternalName": Extra::plan_name(0, 0)}
        }))?,
    )?;
    let osb = args.osb.as_os_str();
    let svcat = bins.svcat.as_os_str();
    let n = args.instances;
    let p = extra.plans();
    let kubectl = OsString::from("kubectl");
    let dispatch_kubectl = dispatch_dir.join("kubectl").into_os_string();
    let (c0, p0, ns0) = (Extra::class_name(0), Extra::plan_name(0, 0), ns_name(0));
    let dry_run_path = dry_run_file.to_string_lossy().into_owned();
    let (inst, plans) = (Expect::Instances(n), Expect::Plans(p));
    let mut specs: Vec<Spec> = vec![
        Spec::new(osb, &["get", "instances", "-A"], inst),
        Spec::new(&dispatch_kubectl, &["osb", "get", "instances", "-A"], inst)
            .titled("kubectl osb get instances -A")
            .note("kubectl's plugin dispatch: kubectl finds kubectl-osb on PATH and execs it")
            .path(&path_with_osb),
        Spec::new(&kubectl, &["get", "serviceinstances", "-A"], inst),
        Spec::new(svcat, &["get", "instances", "--all-namespaces"], inst)
            .titled("svcat get instances --all-namespaces"),
        Spec::new(osb, &["get", "instances", "-A", "-o", "json"], inst),
        Spec::new(
            &kubectl,
            &["get", "serviceinstances", "-A", "-o", "json"],
            inst,
        ),
        Spec::new(
            svcat,
            &["get", "instances", "--all-namespaces", "-o", "json"],
            inst,
        )
        .titled("svcat get instances --all-namespaces -o json"),
        Spec::new(osb, &["catalog"], plans),
        Spec::new(&kubectl, &["get", "clusterserviceplans"], plans),
        Spec::new(svcat, &["get", "plans"], plans).titled("svcat get plans"),
        Spec::new(osb, &["abandon", "--list", "-A"], Expect::Exit)
            .note("no instance is an orphan candidate: it reads everything and says so on stderr"),
        Spec::new(
            &kubectl,
            &["get", "serviceinstances,servicebindings", "-A"],
            inst,
        ),
        Spec::new(
            osb,
            &[
                "provision",
                "scale-dry-run",
                "-n",
                &ns0,
                "--class",
                &c0,
                "--plan",
                &p0,
                "--dry-run=server",
            ],
            Expect::Exit,
        ),
        Spec::new(
            &kubectl,
            &["create", "--dry-run=server", "-f", &dry_run_path],
            Expect::Exit,
        )
        .titled("kubectl create --dry-run=server -f instance.json")
        .note("the same instance, without the offerings lookup"),
    ];
    for s in &mut specs {
        if s.title.is_empty() {
            let program = Path::new(&s.program)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            s.title = format!("{program} {}", s.args.join(" "));
        }
    }
    let floor = run_measured(Command::new(find_on_path("true")?), None)?;
    progress(&format!(
        "peak RSS floor of the measurement (`true`): {:.1} MB",
        mb(floor.rss_kb)
    ));
    let t = Instant::now();
    let mut results: BTreeMap<String, Vec<Sample>> = BTreeMap::new();
    let mut order = Vec::new();
    for spec in &specs {
        let mut samples = Vec::new();
        for run in 0..args.runs.max(1) {
            progress(&format!(
                "{} (run {}/{})",
                spec.title,
                run + 1,
                args.runs.max(1)
            ));
            let s = measure(&cp, &bench_kc, spec)?;
            progress(&format!(
                "  exit {} in {}, first row {}, {:.1} MB, {} rows, {} requests",
                s.code,
                ms(s.exit),
                s.first_row.map(ms).unwrap_or_else(|| "-".into()),
                mb(s.rss_kb),
                s.rows,
                s.reqs.values().sum::<usize>()
            ));
            if s.code != 0 {
                progress(&format!("  stderr: {}", s.stderr_tail));
            }
            samples.push(s);
        }
        order.push(spec.title.clone());
        results.insert(spec.title.clone(), samples);
    }
    phases.push((
        format!("{} commands × {} runs", specs.len(), args.runs.max(1)),
        t.elapsed(),
    ));

    // 4. The watches: ours beside kubectl's, both running while every instance changes once.
    let t = Instant::now();
    let watches = rt.block_on(watch_both(
        &client,
        &bench_kc,
        &args.osb,
        &names,
        args.concurrency,
    ))?;
    phases.push((
        "get -w -A: both listed, then every status written once".into(),
        t.elapsed(),
    ));

    // 5. The waits.
    let t = Instant::now();
    let selector = format!("{}={}", LABEL.0, LABEL.1);
    let osb_wait_help = Command::new(&args.osb)
        .args(["wait", "--help"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let mut waits = Vec::new();
    // One waiter on every instance (`reset`: write the pending status back first).
    let wait_all = |c: Command, title: &str, reset: bool| {
        rt.block_on(many_wait(
            &cp,
            &client,
            &bench_kc,
            c,
            title,
            &names,
            args.concurrency,
            reset,
        ))
    };
    if osb_wait_help.contains("--all-namespaces") {
        let mut c = Command::new(&args.osb);
        c.args([
            "wait",
            "si",
            "-A",
            "-l",
            &selector,
            "--for=ready",
            "--timeout=15m",
        ]);
        if osb_wait_help.contains("--no-progress") {
            c.arg("--no-progress");
        }
        let title = format!("kubectl-osb wait si -A -l {selector} --for=ready");
        waits.push(wait_all(c, &title, false)?);
    } else {
        progress(
            "kubectl-osb wait has no -A/--all-namespaces: the wait on every namespace is not measured",
        );
        waits.push(WaitResult::unsupported(format!(
            "kubectl-osb wait si -A -l {selector} --for=ready"
        )));
    }
    if args.kubectl_wait {
        let mut c = Command::new("kubectl");
        c.args([
            "wait",
            "serviceinstances",
            "-A",
            "-l",
            &selector,
            "--for=condition=Ready",
            "--timeout=30m",
        ]);
        let title = format!("kubectl wait serviceinstances -A -l {selector} --for=condition=Ready");
        waits.push(wait_all(c, &title, true)?);
    }
    phases.push(("the waits on every instance".into(), t.elapsed()));
    let load_end = loadavg();

    // The report.
    let mut md = String::new();
    md.push_str(&format!(
        "{} ServiceInstances in {} namespaces; a broker with {} generated plans ({} classes × {}) besides its usual {usual}, \
         listed by the real controller (v{}) into ClusterServicePlans. Local control plane (kube-apiserver v{}, etcd v{}, \
         audit log on); `kubectl` {}; `svcat` v{}. Machine: {} cores, load average {} at the start, {} at the end of the measurements.\n\n",
        args.instances,
        args.namespaces,
        extra.plans(),
        extra.classes,
        extra.plans_per_class,
        testkit::cluster::CATALOG_VERSION,
        testkit::cluster::KUBE_VERSION,
        testkit::cluster::ETCD_VERSION,
        kubectl_version(),
        testkit::cluster::CATALOG_VERSION,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        load_start,
        load_end,
    ));
    md.push_str(
        "Once every plan exists the catalog's controller is stopped: otherwise it would provision every instance \
         against the broker for minutes while the commands run, and the status flips of the wait would not happen \
         at a time the benchmark knows. The instances are created through the real admission webhook, each with a \
         pending provision status (as the controller writes it); the benchmark writes the Ready statuses itself.\n\n",
    );
    md.push_str(&format!(
        "Each command ran {} times, one at a time, with a kubeconfig of its own user, so that the API server's audit \
         log tells its requests apart; medians. *First line*: the first stdout line (kubectl's and svcat's header \
         count); *first row*: the first line naming an instance or a generated plan. *Peak RSS*: the command's \
         `ru_maxrss` (wait4, in a small launcher process, so that the driver's own size is no floor; the floor \
         is {:.1} MB, `true`'s; through kubectl's plugin dispatch, the higher of kubectl's before its exec and \
         the plugin's). *Requests*: those of the last run (kubectl's discovery cache is warm after the first). \
         *Rows*: distinct instance (or generated plan) names in the output, against the number that exist.\n\n",
        args.runs.max(1),
        mb(floor.rss_kb)
    ));
    md.push_str("| command | first line | first row | exit | peak RSS | requests | exit code | rows |\n|---|---|---|---|---|---|---|---|\n");
    let mut stats: BTreeMap<String, Stat> = BTreeMap::new();
    for spec in &specs {
        let s = Stat::of(&results[&spec.title]);
        md.push_str(&format!(
            "| {} | {} | {} | {} | {:.1} MB | {} | {} | {} |\n",
            spec.label(),
            s.first_line.map(ms).unwrap_or_else(|| "-".into()),
            s.first_row.map(ms).unwrap_or_else(|| "-".into()),
            ms(s.exit),
            mb(s.rss_kb),
            fmt_reqs(&s.reqs),
            s.codes,
            rows_cell(&spec.expect, s.rows),
        ));
        stats.insert(spec.title.clone(), s);
    }
    md.push_str(
        "\n#### Goals: at most `kubectl`'s wall time for the same objects, at most 64 MB peak RSS\n\n\
         | ours | kubectl (same objects) | wall ours / kubectl | peak RSS | ≤ kubectl | ≤ 64 MB | answer complete |\n\
         |---|---|---|---|---|---|---|\n"
    );
    let pairs = [(0, 2), (1, 2), (4, 5), (7, 8), (10, 11), (12, 13)];
    for (ours, theirs) in pairs {
        let (a, b) = (&stats[&specs[ours].title], &stats[&specs[theirs].title]);
        let ratio = a.exit.as_secs_f64() / b.exit.as_secs_f64().max(1e-9);
        let complete = a.codes == "0" && rows_ok(&specs[ours].expect, a.rows);
        md.push_str(&format!(
            "| `{}` | `{}` | {:.2} ({} / {}) | {:.1} MB | {} | {} | {} |\n",
            specs[ours].title,
            specs[theirs].title,
            ratio,
            ms(a.exit),
            ms(b.exit),
            mb(a.rss_kb),
            verdict(ratio <= 1.0),
            verdict(a.rss_kb <= RSS_GOAL_KB),
            verdict(complete),
        ));
    }
    md.push_str(&format!(
        "\n#### One wait on all {} instances (label selector, every namespace)\n\n\
         Started, then once it watches (audit log), every status written Ready ({} in flight); the goal is \
         every instance reported within 1 s of the last write.\n\n\
         | waiter | last write → exit | first write → last write | start → exit | peak RSS | requests | exit code | instances reported | ≤ 1 s | ≤ 64 MB |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
        args.instances, args.concurrency
    ));
    for w in &waits {
        md.push_str(&w.row(args.instances));
    }
    if !args.kubectl_wait {
        md.push_str(
            "\n`kubectl wait` is left out unless `--kubectl-wait` is given: it waits for the objects one after \
             another, a list and a watch each (see the section *wait*), about half an hour at 10,000.\n",
        );
    }
    md.push_str(&format!(
        "\n#### `get -w -A`: one watch on all {n} instances\n\n\
         Both started together; once each has printed the {n} rows of its list, every instance's status is \
         written once more ({} in flight), and once each has printed those {n} rows too it is stopped with \
         SIGINT. Peak RSS is the command's `ru_maxrss`, as above.\n\n\
         | watcher | rows printed | list → all listed | last write → last row | peak RSS | ≤ kubectl |\n\
         |---|---|---|---|---|---|\n",
        args.concurrency
    ));
    let kubectl_rss = watches
        .iter()
        .find(|w| w.title.starts_with("kubectl "))
        .map(|w| w.rss_kb);
    for w in &watches {
        md.push_str(&format!(
            "| `{}` | {} | {} | {} | {:.1} MB | {} |\n",
            w.title,
            w.rows,
            ms(w.listed),
            ms(w.after_last),
            mb(w.rss_kb),
            match kubectl_rss {
                Some(k) if !w.title.starts_with("kubectl ") => verdict(w.rss_kb <= k),
                _ => "—",
            }
        ));
    }
    md.push_str("\n#### Phases\n\n| phase | time |\n|---|---|\n");
    for (name, d) in &phases {
        md.push_str(&format!("| {name} | {:.1} s |\n", d.as_secs_f64()));
        progress(&format!("phase {name}: {:.1} s", d.as_secs_f64()));
    }
    md.push('\n');
    std::fs::write(&args.out, md)?;
    drop(catalog);
    drop(cp);
    Ok(())
}

/// `program`'s path on `PATH`.
fn find_on_path(program: &str) -> Result<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .with_context(|| format!("{program} is not on PATH"))
}

fn progress(msg: &str) {
    eprintln!("[bench-scale] {msg}");
}

fn ns_name(i: usize) -> String {
    format!("scale-{i:03}")
}

fn mb(kb: i64) -> f64 {
    kb as f64 / 1024.0
}

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

/// Wait until `want` ClusterServicePlans exist.
fn wait_for_plans(cp: &ControlPlane, want: usize, limit: Duration) -> Result<()> {
    let deadline = Instant::now() + limit;
    let mut last = usize::MAX;
    loop {
        let have = cp
            .kubectl(&["get", "clusterserviceplans", "-o", "name"])?
            .lines()
            .count();
        if have != last {
            progress(&format!("{have}/{want} ClusterServicePlans"));
            last = have;
        }
        if have >= want {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!(
                "only {have} of {want} ClusterServicePlans after {limit:?} (see catalog-controller-manager.log)"
            );
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// A copy of the kubeconfig whose current context is the benchmark's own user (`osb-bench`).
fn bench_kubeconfig(cp: &ControlPlane) -> Result<PathBuf> {
    let kc = std::fs::read_to_string(&cp.kubeconfig)?;
    anyhow::ensure!(kc.contains("current-context: osb-local"));
    let path = cp.dir.join("bench-kubeconfig");
    std::fs::write(
        &path,
        kc.replace("current-context: osb-local", "current-context: osb-bench"),
    )?;
    Ok(path)
}

fn pending_status() -> Value {
    json!({"status": {
        "asyncOpInProgress": true, "currentOperation": "Provision", "provisionStatus": "",
        "conditions": [{"type": "Ready", "status": "False", "reason": "Provisioning",
                        "message": "The instance is being provisioned asynchronously", "lastTransitionTime": "2026-01-01T00:00:00Z"}]
    }})
}

fn ready_status() -> Value {
    json!({"status": {"asyncOpInProgress": false, "currentOperation": null, "provisionStatus": "Provisioned",
        "conditions": [{"type": "Ready", "status": "True", "reason": "ProvisionedSuccessfully",
                        "message": "The instance was provisioned successfully", "lastTransitionTime": "2026-01-01T00:00:01Z"}]}})
}

/// Create the namespaces and the instances (each with a pending status); returns (namespace, name) of each.
async fn create_instances(
    client: &kube::Client,
    args: &Args,
    extra: Extra,
) -> Result<Vec<(String, String)>> {
    let nss: Api<Namespace> = Api::all(client.clone());
    for i in 0..args.namespaces {
        let ns = Namespace {
            metadata: kube::api::ObjectMeta {
                name: Some(ns_name(i)),
                ..Default::default()
            },
            ..Default::default()
        };
        nss.create(&PostParams::default(), &ns).await?;
    }
    let names: Vec<(String, String)> = (0..args.instances)
        .map(|k| (ns_name(k % args.namespaces), format!("{SI_PREFIX}{k:05}")))
        .collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = names.len();
    let results: Vec<Result<()>> =
        futures::stream::iter(names.iter().enumerate().map(|(k, (ns, name))| {
            let api: Api<ServiceInstance> = Api::namespaced(client.clone(), ns);
            let c = k % extra.classes;
            let j = (k / extra.classes) % extra.plans_per_class;
            let done = &done;
            async move {
                let mut si = ServiceInstance::new(
                    name,
                    ServiceInstanceSpec {
                        cluster_service_class_external_name: Some(Extra::class_name(c)),
                        cluster_service_plan_external_name: Some(Extra::plan_name(c, j)),
                        ..Default::default()
                    },
                );
                si.metadata.labels = Some([(LABEL.0.to_string(), LABEL.1.to_string())].into());
                api.create(&PostParams::default(), &si)
                    .await
                    .with_context(|| format!("creating {ns}/{name}"))?;
                api.patch_status(
                    name,
                    &PatchParams::default(),
                    &Patch::Merge(pending_status()),
                )
                .await
                .with_context(|| format!("writing the status of {ns}/{name}"))?;
                let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if d.is_multiple_of(1000) || d == total {
                    progress(&format!("{d}/{total} instances"));
                }
                Ok(())
            }
        }))
        .buffer_unordered(args.concurrency.max(1))
        .collect()
        .await;
    results.into_iter().collect::<Result<Vec<_>>>()?;
    Ok(names)
}

/// Write `status` to every instance, `concurrency` in flight; the instants of the first and the last write.
async fn write_statuses(
    client: &kube::Client,
    names: &[(String, String)],
    status: Value,
    concurrency: usize,
) -> Result<(Instant, Instant)> {
    let first = Instant::now();
    let patch = Patch::Merge(status);
    let pp = PatchParams::default();
    let results: Vec<Result<()>> = futures::stream::iter(names.iter().map(|(ns, name)| {
        let api: Api<ServiceInstance> = Api::namespaced(client.clone(), ns);
        let (patch, pp) = (&patch, &pp);
        async move {
            api.patch_status(name, pp, patch)
                .await
                .with_context(|| format!("writing the status of {ns}/{name}"))?;
            Ok(())
        }
    }))
    .buffer_unordered(concurrency.max(1))
    .collect()
    .await;
    let last = Instant::now();
    results.into_iter().collect::<Result<Vec<_>>>()?;
    Ok((first, last))
}

/// What a listing must show.
#[derive(Clone, Copy)]
enum Expect {
    /// This many distinct instance names.
    Instances(usize),
    /// This many distinct generated plan names.
    Plans(usize),
    /// Nothing to count: exit 0.
    Exit,
}

impl Expect {
    fn prefix(&self) -> Option<&'static str> {
        match self {
            Expect::Instances(_) => Some(SI_PREFIX),
            Expect::Plans(_) => Some(PLAN_PREFIX),
            Expect::Exit => None,
        }
    }
}

fn rows_ok(e: &Expect, rows: usize) -> bool {
    match e {
        Expect::Instances(n) | Expect::Plans(n) => rows == *n,
        Expect::Exit => true,
    }
}

fn rows_cell(e: &Expect, rows: usize) -> String {
    match e {
        Expect::Instances(n) | Expect::Plans(n) => {
            format!("{rows}/{n}{}", if rows == *n { "" } else { " ✗" })
        }
        Expect::Exit => "-".into(),
    }
}

/// The words of `text` (runs of `[A-Za-z0-9-]`) that start with `prefix`, distinct.
fn distinct_words(text: &str, prefix: &str) -> usize {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with(prefix) && w.len() > prefix.len())
        .collect::<HashSet<_>>()
        .len()
}

/// One measured command.
struct Spec {
    title: String,
    /// Said after the command, outside its code span.
    note: String,
    program: OsString,
    args: Vec<String>,
    path: Option<OsString>,
    expect: Expect,
}

impl Spec {
    /// `program args…`, titled by the program's file name and the arguments unless [`Spec::titled`].
    fn new(program: &std::ffi::OsStr, args: &[&str], expect: Expect) -> Spec {
        Spec {
            title: String::new(),
            note: String::new(),
            program: program.to_os_string(),
            args: args.iter().map(|s| s.to_string()).collect(),
            path: None,
            expect,
        }
    }

    fn titled(mut self, title: &str) -> Spec {
        self.title = title.to_string();
        self
    }

    fn note(mut self, note: &str) -> Spec {
        self.note = note.to_string();
        self
    }

    /// The command in a code span, and its note.
    fn label(&self) -> String {
        if self.note.is_empty() {
            format!("`{}`", self.title)
        } else {
            format!("`{}` ({})", self.title, self.note)
        }
    }

    fn path(mut self, path: &OsString) -> Spec {
        self.path = Some(path.clone());
        self
    }

    fn command(&self, kubeconfig: &Path) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.args).env("KUBECONFIG", kubeconfig);
        if let Some(p) = &self.path {
            c.env("PATH", p);
        }
        c
    }
}

/// One run of a command.
struct Sample {
    first_line: Option<Duration>,
    first_row: Option<Duration>,
    exit: Duration,
    rss_kb: i64,
    code: i32,
    rows: usize,
    reqs: BTreeMap<String, usize>,
    stderr_tail: String,
}

/// What a child did, as instants.
struct Raw {
    start: Instant,
    first_line: Option<Instant>,
    first_row: Option<Instant>,
    end: Instant,
    rss_kb: i64,
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run `cmd` to its end through the launcher ([`testkit::launcher`]): stdout read line by line (the
/// instants of the first line and of the first line with a word starting with `row_prefix`, any line when
/// `None`), stderr kept, the exit code and the peak RSS. The command dies with this process.
#[allow(unsafe_code)]
fn run_measured(cmd: Command, row_prefix: Option<&'static str>) -> Result<Raw> {
    run_measured_live(cmd, row_prefix, None)
}

/// What a test of a long-running command (`get -w`) sees while it runs: the launcher's pid once started,
/// and how many lines so far name an instance.
#[derive(Clone, Default)]
struct Live {
    launcher: Arc<AtomicI32>,
    rows: Arc<AtomicUsize>,
}

impl Live {
    /// Stop the measured command (the launcher's child) with SIGINT, as Ctrl-C does.
    #[allow(unsafe_code)]
    fn interrupt(&self) -> Result<()> {
        let launcher = self.launcher.load(Ordering::SeqCst);
        let children =
            std::fs::read_to_string(format!("/proc/{launcher}/task/{launcher}/children"))?;
        for pid in children
            .split_whitespace()
            .filter_map(|p| p.parse::<libc::pid_t>().ok())
        {
            // SAFETY: a signal to our own grandchild.
            unsafe {
                libc::kill(pid, libc::SIGINT);
            }
        }
        Ok(())
    }

    fn rows(&self) -> usize {
        self.rows.load(Ordering::SeqCst)
    }
}

/// [`run_measured`], telling `live` the launcher's pid and each line that names an instance.
#[allow(unsafe_code)]
fn run_measured_live(
    cmd: Command,
    row_prefix: Option<&'static str>,
    live: Option<Live>,
) -> Result<Raw> {
    let stderr_file = tempfile_path("stderr");
    let report = tempfile_path("rusage");
    let mut cmd = testkit::launcher::wrap(&cmd, &report)?;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr_file)?);
    let start = Instant::now();
    let mut child = cmd.spawn().with_context(|| format!("spawning {cmd:?}"))?;
    let pid = child.id() as libc::pid_t;
    let rows = live.as_ref().map(|l| {
        l.launcher.store(pid, Ordering::SeqCst);
        l.rows.clone()
    });
    let stdout = child.stdout.take().context("stdout is piped")?;
    let reader = std::thread::spawn(move || {
        let mut r = std::io::BufReader::with_capacity(1 << 16, stdout);
        let (mut first_line, mut first_row) = (None, None);
        let mut all = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            match r.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let now = Instant::now();
            first_line.get_or_insert(now);
            if first_row.is_none() {
                let is_row = match row_prefix {
                    Some(p) => distinct_words(&line, p) > 0,
                    None => true,
                };
                if is_row {
                    first_row = Some(now);
                }
            }
            if let Some(rows) = &rows
                && distinct_words(&line, SI_PREFIX) > 0
            {
                rows.fetch_add(1, Ordering::SeqCst);
            }
            all.push_str(&line);
        }
        // Whatever is left (a last line without a newline is read above too).
        let _ = r.read_to_string(&mut all);
        (first_line, first_row, all)
    });
    let mut status = 0;
    // SAFETY: reaping our own child (the launcher); `status` is a valid out-pointer.
    let r = unsafe { libc::waitpid(pid, &mut status, 0) };
    let end = Instant::now();
    anyhow::ensure!(r == pid, "waitpid failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    drop(child);
    let (first_line, first_row, stdout) = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the stdout reader panicked"))?;
    let stderr = std::fs::read_to_string(&stderr_file).unwrap_or_default();
    let _ = std::fs::remove_file(&stderr_file);
    let (_, rss_kb) = testkit::launcher::read_report(&report)
        .with_context(|| format!("the launcher reported no peak RSS (exit {code}): {stderr}"))?;
    Ok(Raw {
        start,
        first_line,
        first_row,
        end,
        rss_kb,
        code,
        stdout,
        stderr,
    })
}

fn tempfile_path(what: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "bench-scale-{}-{what}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ))
}

fn tail(s: &str, n: usize) -> String {
    let t = s.trim();
    let start = t.char_indices().rev().nth(n).map(|(i, _)| i).unwrap_or(0);
    t[start..].replace('\n', " ⏎ ")
}

fn measure(cp: &ControlPlane, kubeconfig: &Path, spec: &Spec) -> Result<Sample> {
    let mut audit = Audit::at_end(cp);
    let raw = run_measured(spec.command(kubeconfig), spec.expect.prefix())?;
    let reqs = audit.requests_settled();
    let rows = spec
        .expect
        .prefix()
        .map(|p| distinct_words(&raw.stdout, p))
        .unwrap_or(0);
    Ok(Sample {
        first_line: raw.first_line.map(|t| t - raw.start),
        first_row: raw.first_row.map(|t| t - raw.start),
        exit: raw.end - raw.start,
        rss_kb: raw.rss_kb,
        code: raw.code,
        rows,
        reqs,
        stderr_tail: tail(&raw.stderr, 400),
    })
}

/// Medians of a command's runs.
struct Stat {
    first_line: Option<Duration>,
    first_row: Option<Duration>,
    exit: Duration,
    rss_kb: i64,
    /// Exit codes, e.g. `0` or `0, 1`.
    codes: String,
    /// Of the last run.
    rows: usize,
    /// Of the last run.
    reqs: BTreeMap<String, usize>,
}

fn median<T: Ord + Copy>(mut v: Vec<T>) -> Option<T> {
    v.sort();
    v.get(v.len().saturating_sub(1) / 2).copied()
}

impl Stat {
    fn of(samples: &[Sample]) -> Stat {
        let mut codes: Vec<i32> = samples.iter().map(|s| s.code).collect();
        codes.sort();
        codes.dedup();
        let last = samples.last();
        Stat {
            first_line: median(samples.iter().filter_map(|s| s.first_line).collect()),
            first_row: median(samples.iter().filter_map(|s| s.first_row).collect()),
            exit: median(samples.iter().map(|s| s.exit).collect()).unwrap_or_default(),
            rss_kb: median(samples.iter().map(|s| s.rss_kb).collect()).unwrap_or_default(),
            codes: codes
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            rows: last.map(|s| s.rows).unwrap_or(0),
            reqs: last.map(|s| s.reqs.clone()).unwrap_or_default(),
        }
    }
}

fn fmt_reqs(reqs: &BTreeMap<String, usize>) -> String {
    let total: usize = reqs.values().sum();
    if total == 0 {
        return "0".into();
    }
    let parts: Vec<String> = reqs.iter().map(|(v, n)| format!("{n} {v}")).collect();
    format!("{total} ({})", parts.join(", "))
}

/// The API server's audit log, read from a byte offset on (it grows to tens of MB here, so it is never
/// read whole twice); keeps the events of the benchmark's own user (`osb-bench`).
struct Audit {
    path: PathBuf,
    pos: u64,
    mine: Vec<Value>,
}

impl Audit {
    fn at_end(cp: &ControlPlane) -> Audit {
        let path = cp.dir.join("audit.log");
        let pos = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        Audit {
            path,
            pos,
            mine: Vec::new(),
        }
    }

    /// Read the complete lines written since the last call; how many were the benchmark user's.
    fn poll(&mut self) -> usize {
        let Ok(mut f) = std::fs::File::open(&self.path) else {
            return 0;
        };
        if f.seek(std::io::SeekFrom::Start(self.pos)).is_err() {
            return 0;
        }
        let mut buf = Vec::new();
        if f.read_to_end(&mut buf).is_err() {
            return 0;
        }
        let Some(end) = buf.iter().rposition(|b| *b == b'\n') else {
            return 0;
        };
        self.pos += end as u64 + 1;
        let before = self.mine.len();
        self.mine.extend(
            buf[..end]
                .split(|b| *b == b'\n')
                .filter_map(|l| serde_json::from_slice::<Value>(l).ok())
                .filter(|e| {
                    e.pointer("/user/username").and_then(Value::as_str) == Some("osb-bench")
                }),
        );
        self.mine.len() - before
    }

    /// Whether the benchmark's user has started watching ServiceInstances.
    fn watching(&self) -> bool {
        self.mine.iter().any(|e| {
            e.get("verb").and_then(Value::as_str) == Some("watch")
                && e.pointer("/objectRef/resource").and_then(Value::as_str)
                    == Some("serviceinstances")
                && e.get("stage").and_then(Value::as_str) == Some("ResponseStarted")
        })
    }

    /// The benchmark user's requests since the start, by verb (distinct audit IDs), once the log has
    /// settled (its last events are written just after the responses).
    fn requests_settled(&mut self) -> BTreeMap<String, usize> {
        let mut quiet = 0;
        while quiet < 2 {
            std::thread::sleep(Duration::from_millis(150));
            quiet = if self.poll() == 0 { quiet + 1 } else { 0 };
        }
        let mut seen = HashSet::new();
        let mut by_verb = BTreeMap::new();
        for e in &self.mine {
            let id = e.get("auditID").and_then(Value::as_str).unwrap_or_default();
            if seen.insert(id) {
                let verb = e.get("verb").and_then(Value::as_str).unwrap_or("?");
                *by_verb.entry(verb.to_string()).or_insert(0) += 1;
            }
        }
        by_verb
    }
}

/// Wait until the benchmark's user watches ServiceInstances (the waiter is ready to see a flip).
fn wait_for_watch(audit: &mut Audit, limit: Duration) -> Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        audit.poll();
        if audit.watching() {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the waiter never started watching"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One wait on every instance.
struct WaitResult {
    title: String,
    supported: bool,
    after_last: Duration,
    flips: Duration,
    total: Duration,
    rss_kb: i64,
    code: i32,
    reported: usize,
    reqs: BTreeMap<String, usize>,
}

impl WaitResult {
    fn unsupported(title: String) -> WaitResult {
        WaitResult {
            title,
            supported: false,
            after_last: Duration::ZERO,
            flips: Duration::ZERO,
            total: Duration::ZERO,
            rss_kb: 0,
            code: 0,
            reported: 0,
            reqs: BTreeMap::new(),
        }
    }

    fn row(&self, n: usize) -> String {
        if !self.supported {
            return format!(
                "| `{}` | not measured: no `-A`/`--all-namespaces` | | | | | | | FAIL | |\n",
                self.title
            );
        }
        format!(
            "| `{}` | {} | {} | {} | {:.1} MB | {} | {} | {}/{n} | {} | {} |\n",
            self.title,
            ms(self.after_last),
            ms(self.flips),
            ms(self.total),
            mb(self.rss_kb),
            fmt_reqs(&self.reqs),
            self.code,
            self.reported,
            verdict(self.after_last <= WAIT_GOAL && self.code == 0 && self.reported == n),
            verdict(self.rss_kb <= RSS_GOAL_KB),
        )
    }
}

#[allow(clippy::too_many_arguments)]
async fn many_wait(
    cp: &ControlPlane,
    client: &kube::Client,
    kubeconfig: &Path,
    mut cmd: Command,
    title: &str,
    names: &[(String, String)],
    concurrency: usize,
    reset_first: bool,
) -> Result<WaitResult> {
    if reset_first {
        progress(&format!(
            "writing the pending status back to {} instances",
            names.len()
        ));
        write_statuses(client, names, pending_status(), concurrency).await?;
    }
    progress(&format!("{title}: starting"));
    let mut audit = Audit::at_end(cp);
    cmd.env("KUBECONFIG", kubeconfig);
    let waiter = std::thread::spawn(move || run_measured(cmd, Some(SI_PREFIX)));
    let watching =
        tokio::task::block_in_place(|| wait_for_watch(&mut audit, Duration::from_secs(600)));
    if let Err(e) = watching {
        if waiter.is_finished() {
            let raw = waiter
                .join()
                .map_err(|_| anyhow::anyhow!("the waiter thread panicked"))??;
            bail!("{e}: it exited {} ({})", raw.code, tail(&raw.stderr, 400));
        }
        return Err(e);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    progress(&format!(
        "{title}: watching; writing Ready to {} instances",
        names.len()
    ));
    let (first, last) = write_statuses(client, names, ready_status(), concurrency).await?;
    progress(&format!("{title}: last write after {}", ms(last - first)));
    let raw = tokio::task::spawn_blocking(move || waiter.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the waiter thread panicked"))??;
    let reqs = tokio::task::block_in_place(|| audit.requests_settled());
    let reported = distinct_words(&raw.stdout, SI_PREFIX);
    let r = WaitResult {
        title: title.to_string(),
        supported: true,
        after_last: raw.end.saturating_duration_since(last),
        flips: last - first,
        total: raw.end - raw.start,
        rss_kb: raw.rss_kb,
        code: raw.code,
        reported,
        reqs,
    };
    progress(&format!(
        "{title}: exit {} {} after the last write, {:.1} MB, {reported} reported",
        r.code,
        ms(r.after_last),
        mb(r.rss_kb)
    ));
    if r.code != 0 {
        progress(&format!("  stderr: {}", tail(&raw.stderr, 400)));
    }
    Ok(r)
}

/// One `get -w -A` (see [`watch_both`]).
struct WatchResult {
    title: String,
    rows: usize,
    /// Start → the list's last row.
    listed: Duration,
    /// The last status write → the last row.
    after_last: Duration,
    rss_kb: i64,
}

/// `kubectl-osb get instances -A -w` and `kubectl get serviceinstances -A -w`, both started together: each
/// prints its list, then a row for each of `names`' status writes; stopped with SIGINT once it has.
async fn watch_both(
    client: &kube::Client,
    kubeconfig: &Path,
    osb: &Path,
    names: &[(String, String)],
    concurrency: usize,
) -> Result<Vec<WatchResult>> {
    let n = names.len();
    let mut ours = Command::new(osb);
    ours.args(["get", "instances", "-A", "-w"]);
    let mut theirs = Command::new("kubectl");
    theirs.args(["get", "serviceinstances", "-A", "-w"]);
    let start = Instant::now();
    let mut running = Vec::new();
    for (title, mut cmd) in [
        ("kubectl-osb get instances -A -w", ours),
        ("kubectl get serviceinstances -A -w", theirs),
    ] {
        cmd.env("KUBECONFIG", kubeconfig);
        let live = Live::default();
        let l = live.clone();
        let thread = std::thread::spawn(move || run_measured_live(cmd, Some(SI_PREFIX), Some(l)));
        running.push((title, live, thread));
    }
    let until = |want: usize, what: &str| -> Result<Vec<Duration>> {
        let t0 = Instant::now();
        let mut at = vec![None; running.len()];
        loop {
            for (i, (_, live, thread)) in running.iter().enumerate() {
                // A watch that ends by itself (kubectl's does on a watch error) is reported as such.
                if at[i].is_none() && (live.rows() >= want || thread.is_finished()) {
                    at[i] = Some(start.elapsed());
                }
            }
            if at.iter().all(Option::is_some) {
                return Ok(at.into_iter().flatten().collect());
            }
            if running.iter().all(|(_, _, t)| t.is_finished()) {
                bail!("every watcher ended before {what}");
            }
            if t0.elapsed() > Duration::from_secs(900) {
                let seen: Vec<usize> = running.iter().map(|(_, l, _)| l.rows()).collect();
                bail!("{what}: not within 15 minutes (rows so far: {seen:?})");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    progress("get -w -A: both started; waiting for their lists");
    let listed = tokio::task::block_in_place(|| until(n, "its list"));
    let listed = match listed {
        Ok(l) => l,
        Err(e) => return Err(watch_failed(e, running)),
    };
    progress(&format!(
        "get -w -A: listed; writing a status to {n} instances"
    ));
    let mut again = pending_status();
    again["status"]["conditions"][0]["message"] =
        json!("The instance is being provisioned (watched)");
    let (_, last) = write_statuses(client, names, again, concurrency).await?;
    let last_at = last - start;
    let changed = match tokio::task::block_in_place(|| until(2 * n, "a row per change")) {
        Ok(c) => c,
        Err(e) => return Err(watch_failed(e, running)),
    };
    let mut out = Vec::new();
    for (i, (title, live, thread)) in running.into_iter().enumerate() {
        let ended = thread.is_finished();
        if !ended {
            live.interrupt()?;
        }
        let raw = tokio::task::spawn_blocking(move || thread.join())
            .await?
            .map_err(|_| anyhow::anyhow!("the watcher thread panicked"))??;
        if ended {
            progress(&format!(
                "{title}: ended by itself (exit {}): {}",
                raw.code,
                tail(&raw.stderr, 300)
            ));
        }
        let r = WatchResult {
            title: if ended {
                format!("{title}` (ended by itself, exit {}) `", raw.code)
            } else {
                title.to_string()
            },
            rows: live.rows(),
            listed: listed[i],
            after_last: changed[i].saturating_sub(last_at),
            rss_kb: raw.rss_kb,
        };
        progress(&format!(
            "{title}: {} rows, listed after {}, last row {} after the last write, {:.1} MB",
            r.rows,
            ms(r.listed),
            ms(r.after_last),
            mb(r.rss_kb)
        ));
        out.push(r);
    }
    Ok(out)
}

/// `e`, with what each watcher that already ended said on stderr.
fn watch_failed(
    e: anyhow::Error,
    running: Vec<(&str, Live, std::thread::JoinHandle<Result<Raw>>)>,
) -> anyhow::Error {
    let mut msg = format!("{e}");
    for (title, live, thread) in running {
        if !thread.is_finished() {
            let _ = live.interrupt();
        }
        if let Ok(Ok(raw)) = thread.join() {
            msg.push_str(&format!(
                "\n{title}: exit {}, {} rows: {}",
                raw.code,
                live.rows(),
                tail(&raw.stderr, 400)
            ));
        }
    }
    anyhow::anyhow!(msg)
}
