//! Benchmark of the read verbs' wall time: `kubectl-osb` against `svcat` v0.3.1 and `kubectl`, for the same
//! answer, on the real Service Catalog (controller + webhook, our broker and the upstream test-broker with
//! its 24 classes), with a few instances and bindings Ready.
//!
//! Run through `bench/read-latency.sh`, which builds the release binary and writes the results into
//! docs/BENCHMARKS.md. Every command runs `--runs` times, the three tools round-robin (the order rotates
//! each round) so that a noisy moment hits all of them alike. Also counted, once per command: API requests
//! (from the API server's audit log, by the benchmark's own user) and TCP connections to the API server
//! (with `strace`, when it is installed).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use testkit::bench::{audit_lines, audit_requests, kubectl_version, loadavg, ms, pct};

use anyhow::{Context, Result, bail};
use clap::Parser;
use serde_json::Value;
use testkit::cluster::{Binaries, ControlPlane};

#[derive(Parser, Debug)]
struct Args {
    /// The `kubectl-osb` dispatcher binary to measure
    #[arg(long)]
    osb: PathBuf,
    /// The svcat binary (default: the one tests/cluster/build-binaries built)
    #[arg(long)]
    svcat: Option<PathBuf>,
    /// Runs of each command
    #[arg(long, default_value_t = 25)]
    runs: usize,
    /// Instances (each with one binding) to create first
    #[arg(long, default_value_t = 3)]
    instances: usize,
    /// Write the Markdown results here
    #[arg(long)]
    out: PathBuf,
}

const NS: &str = "bench";
const CLASS: &str = "cassandra";
const PLAN: &str = "developer";

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Tool {
    Osb,
    Svcat,
    Kubectl,
}

/// One row: the same answer asked of each tool (a tool that has no such command is absent).
struct Row {
    label: String,
    cmds: Vec<(Tool, Command)>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let osb = std::path::absolute(&args.osb)?;
    let bins = Binaries::get()?;
    let svcat = match &args.svcat {
        Some(p) => std::path::absolute(p)?,
        None => bins.svcat.clone(),
    };
    let cp = ControlPlane::start_opts(None, true)?;
    let _catalog =
        testkit::catalog::start(&cp, &bins, &testkit::catalog::CatalogOptions::default())?;
    cp.kubectl(&["create", "namespace", NS])?;

    // The verbs' `kubectl osb …` form needs the dispatcher on PATH.
    let plugin_dir = cp.dir.join("bench-plugins");
    std::fs::create_dir_all(&plugin_dir)?;
    std::os::unix::fs::symlink(&osb, plugin_dir.join("kubectl-osb"))?;
    let path = std::env::join_paths(std::iter::once(plugin_dir.clone()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))?;

    // A few instances, each with a binding, all Ready (made by the verbs themselves).
    for i in 0..args.instances {
        let name = format!("db{i}");
        let run = |a: &[&str]| -> Result<()> {
            let o = Command::new(&osb)
                .args(a)
                .args(["-n", NS, "--wait", "--timeout=2m"])
                .env("KUBECONFIG", &cp.kubeconfig)
                .stdout(Stdio::null())
                .output()?;
            if !o.status.success() {
                bail!(
                    "kubectl-osb {}: {}",
                    a.join(" "),
                    String::from_utf8_lossy(&o.stderr)
                );
            }
            Ok(())
        };
        run(&["provision", &name, "--class", CLASS, "--plan", PLAN])?;
        run(&["bind", "--instance", &name, &format!("{name}-app")])?;
    }
    let (class_k8s, plan_k8s) = kube_names(&cp)?;
    eprintln!(
        "{} instances and bindings Ready; measuring {} runs per command",
        args.instances, args.runs
    );

    let cmd = |tool: Tool, a: &[&str]| -> (Tool, Command) {
        let mut c = match tool {
            Tool::Osb => Command::new(&osb),
            Tool::Svcat => Command::new(&svcat),
            Tool::Kubectl => Command::new("kubectl"),
        };
        c.args(a)
            .args(["--context", "osb-bench"])
            .env("KUBECONFIG", &cp.kubeconfig)
            .env("PATH", &path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        (tool, c)
    };
    use Tool::{Kubectl, Osb, Svcat};
    let ns = ["-n", NS];
    let desc = "db0";
    let class_plan = format!("{CLASS}/{PLAN}");
    let mut rows = vec![
        Row {
            label: "get instances".into(),
            cmds: vec![
                cmd(Osb, &["get", "instances", "-n", NS]),
                cmd(Svcat, &["get", "instances", "-n", NS]),
                cmd(Kubectl, &["get", "serviceinstances", "-n", NS]),
            ],
        },
        Row {
            label: "get bindings".into(),
            cmds: vec![
                cmd(Osb, &["get", "bindings", "-n", NS]),
                cmd(Svcat, &["get", "bindings", "-n", NS]),
                cmd(Kubectl, &["get", "servicebindings", "-n", NS]),
            ],
        },
        Row {
            label: format!("describe instance {desc}"),
            cmds: vec![
                cmd(Osb, &["describe", "instance", desc, ns[0], ns[1]]),
                cmd(Svcat, &["describe", "instance", desc, ns[0], ns[1]]),
                cmd(
                    Kubectl,
                    &["describe", "serviceinstance", desc, ns[0], ns[1]],
                ),
            ],
        },
        Row {
            label: "describe instance missing (exit 1)".into(),
            cmds: vec![
                cmd(Osb, &["describe", "instance", "missing", ns[0], ns[1]]),
                cmd(Svcat, &["describe", "instance", "missing", ns[0], ns[1]]),
                cmd(
                    Kubectl,
                    &["describe", "serviceinstance", "missing", ns[0], ns[1]],
                ),
            ],
        },
        Row {
            label: "catalog (svcat get plans)".into(),
            cmds: vec![
                cmd(Osb, &["catalog"]),
                cmd(Svcat, &["get", "plans"]),
                cmd(Kubectl, &["get", "clusterserviceplans"]),
            ],
        },
        Row {
            label: format!("catalog --class {CLASS}"),
            cmds: vec![
                cmd(Osb, &["catalog", "--class", CLASS]),
                cmd(Svcat, &["describe", "class", CLASS, "--scope", "cluster"]),
                cmd(Kubectl, &["describe", "clusterserviceclass", &class_k8s]),
            ],
        },
        Row {
            label: format!("catalog --class {CLASS} --plan {PLAN}"),
            cmds: vec![
                cmd(Osb, &["catalog", "--class", CLASS, "--plan", PLAN]),
                cmd(
                    Svcat,
                    &["describe", "plan", &class_plan, "--scope", "cluster"],
                ),
                cmd(Kubectl, &["describe", "clusterserviceplan", &plan_k8s]),
            ],
        },
    ];
    // Through kubectl's plugin dispatch: `kubectl osb get instances` (kubectl finds kubectl-osb on PATH).
    let mut via_kubectl = Command::new("kubectl");
    via_kubectl
        .args([
            "osb",
            "get",
            "instances",
            "-n",
            NS,
            "--context",
            "osb-bench",
        ])
        .env("KUBECONFIG", &cp.kubeconfig)
        .env("PATH", &path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    rows.push(Row {
        label: "`kubectl osb get instances` (plugin dispatch)".into(),
        cmds: vec![(Osb, via_kubectl)],
    });

    // Every command once before measuring: caches warm, and each must answer as expected.
    for row in &mut rows {
        for (tool, c) in &mut row.cmds {
            let code = c.status()?.code().unwrap_or(-1);
            let want = if row.label.contains("missing") { 1 } else { 0 };
            if code != want {
                bail!("{} by {tool:?}: exit {code}, expected {want}", row.label);
            }
        }
    }

    let mut times: Vec<BTreeMap<Tool, Vec<Duration>>> = vec![BTreeMap::new(); rows.len()];
    for round in 0..args.runs {
        for (r, row) in rows.iter_mut().enumerate() {
            let n = row.cmds.len();
            for k in 0..n {
                let (tool, c) = &mut row.cmds[(k + round) % n];
                let t0 = Instant::now();
                c.status().context("running a measured command")?;
                times[r].entry(*tool).or_default().push(t0.elapsed());
            }
        }
    }

    // Requests and connections, once per command.
    let strace = Command::new("strace")
        .arg("-V")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let mut requests: Vec<BTreeMap<Tool, String>> = vec![BTreeMap::new(); rows.len()];
    let mut conns: Vec<BTreeMap<Tool, usize>> = vec![BTreeMap::new(); rows.len()];
    for (r, row) in rows.iter_mut().enumerate() {
        for (tool, c) in &mut row.cmds {
            let before = audit_lines(&cp);
            c.status()?;
            std::thread::sleep(Duration::from_millis(300));
            requests[r].insert(*tool, per_verb(&audit_requests(&cp, before, "osb-bench")));
            if strace {
                conns[r].insert(*tool, connections(&cp, c)?);
            }
        }
    }

    let mut md = String::new();
    md.push_str(&format!(
        "One run on this machine: {} cores (`nproc`), load average before {}; local kube-apiserver v{} + etcd v{}, \
         the real Service Catalog v{} (controller + webhook) serving our broker and the upstream test-broker \
         ({} classes, {} plans in all), {n} instances and {n} bindings Ready in namespace `{NS}`. Tools: release \
         `kubectl-osb` (the one binary krew installs), `svcat` v{}, `kubectl` {}. {} runs per command, round-robin; \
         wall time of the whole process, from spawn to exit.\n\n",
        nproc(),
        loadavg(),
        testkit::cluster::KUBE_VERSION,
        testkit::cluster::ETCD_VERSION,
        testkit::cluster::CATALOG_VERSION,
        count(&cp, "clusterserviceclasses")?,
        count(&cp, "clusterserviceplans")?,
        testkit::cluster::CATALOG_VERSION,
        kubectl_version(),
        args.runs,
        n = args.instances,
    ));
    md.push_str(
        "| command | kubectl-osb p50 / p90 | svcat p50 / p90 | kubectl p50 / p90 | osb/svcat | osb/kubectl | requests osb · svcat · kubectl | connections osb · svcat · kubectl |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for (r, row) in rows.iter().enumerate() {
        let stat = |tool: Tool| -> Option<(Duration, Duration)> {
            let mut v = times[r].get(&tool)?.clone();
            v.sort();
            Some((pct(&v, 50), pct(&v, 90)))
        };
        let cell = |tool: Tool| {
            stat(tool).map_or("—".to_string(), |(p50, p90)| {
                format!("{} / {}", ms(p50), ms(p90))
            })
        };
        let ratio = |other: Tool| match (stat(Osb), stat(other)) {
            (Some((a, _)), Some((b, _))) => format!("{:.2}", a.as_secs_f64() / b.as_secs_f64()),
            _ => "—".into(),
        };
        let join = |f: &dyn Fn(Tool) -> Option<String>| {
            [Osb, Svcat, Kubectl]
                .into_iter()
                .map(|t| f(t).unwrap_or_else(|| "—".into()))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            row.label,
            cell(Osb),
            cell(Svcat),
            cell(Kubectl),
            ratio(Svcat),
            ratio(Kubectl),
            join(&|t| requests[r].get(&t).cloned()),
            join(&|t| conns[r].get(&t).map(usize::to_string)),
        ));
    }
    // What kubectl's plugin dispatch adds: the `kubectl osb get instances` row less the direct one.
    let p50 = |r: usize| {
        let mut v = times[r].get(&Osb).cloned().unwrap_or_default();
        v.sort();
        pct(&v, 50)
    };
    let dispatch = p50(rows.len() - 1).saturating_sub(p50(0));
    md.push_str(&format!(
        "\nGoing through kubectl (`kubectl osb …`) adds {} at the median: kubectl's own start-up and its \
         search of PATH for the plugin, before `kubectl-osb` runs.\n",
        ms(dispatch)
    ));
    md.push_str(&format!(
        "\nThe kubectl column of `--class`/`--plan` names the object by its Kubernetes name ({class_k8s}, \
         {plan_k8s}): kubectl cannot look a class up by its external name. Requests are the API server's \
         audit events of the benchmark's user, by verb; connections are `connect(2)` calls to the API server{}.\n",
        if strace { "" } else { " (not counted: strace is not installed)" }
    ));
    std::fs::write(&args.out, md)?;
    Ok(())
}

/// The Kubernetes names of the measured class and plan.
fn kube_names(cp: &ControlPlane) -> Result<(String, String)> {
    let classes: Value =
        serde_json::from_str(&cp.kubectl(&["get", "clusterserviceclasses", "-o", "json"])?)?;
    let class = items(&classes)
        .find(|c| c.pointer("/spec/externalName").and_then(Value::as_str) == Some(CLASS))
        .and_then(|c| c.pointer("/metadata/name").and_then(Value::as_str))
        .context("the class is not in the catalog")?
        .to_string();
    let plans: Value =
        serde_json::from_str(&cp.kubectl(&["get", "clusterserviceplans", "-o", "json"])?)?;
    let plan = items(&plans)
        .find(|p| {
            p.pointer("/spec/externalName").and_then(Value::as_str) == Some(PLAN)
                && p.pointer("/spec/clusterServiceClassRef/name")
                    .and_then(Value::as_str)
                    == Some(class.as_str())
        })
        .and_then(|p| p.pointer("/metadata/name").and_then(Value::as_str))
        .context("the plan is not in the catalog")?
        .to_string();
    Ok((class, plan))
}

fn items(list: &Value) -> impl Iterator<Item = &Value> {
    list.get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn count(cp: &ControlPlane, resource: &str) -> Result<usize> {
    let list: Value = serde_json::from_str(&cp.kubectl(&["get", resource, "-o", "json"])?)?;
    Ok(items(&list).count())
}

/// `connect(2)` calls to the API server's port by one run of `c` (and its children), under strace.
fn connections(cp: &ControlPlane, c: &Command) -> Result<usize> {
    let log = cp.dir.join("bench-strace.log");
    let mut s = Command::new("strace");
    s.args(["-f", "-qq", "-e", "trace=connect", "-o"])
        .arg(&log)
        .arg(c.get_program())
        .args(c.get_args())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => s.env(k, v),
            None => s.env_remove(k),
        };
    }
    s.status().context("running strace")?;
    let port = format!("htons({})", cp.api_port);
    Ok(std::fs::read_to_string(&log)?
        .lines()
        .filter(|l| l.contains("connect(") && l.contains(&port))
        .count())
}

fn nproc() -> usize {
    std::thread::available_parallelism().map_or(0, usize::from)
}

fn per_verb(reqs: &BTreeMap<String, usize>) -> String {
    if reqs.is_empty() {
        return "0".into();
    }
    reqs.iter()
        .map(|(v, n)| format!("{n} {v}"))
        .collect::<Vec<_>>()
        .join(" + ")
}
