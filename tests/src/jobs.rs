//! Real Jobs without a container runtime: kube-controller-manager runs the job controller (and the
//! garbage collector), kube-scheduler places pods, and kwok plays the kubelet of one fake node, where a
//! pod's fate is chosen by its template's label `osb.test/outcome` (see `tests/cluster/kwok-job-stages.yaml`).
//! `Complete`, `BackoffLimitExceeded` and `DeadlineExceeded` are then written by the real job controller.

use std::time::Instant;

use anyhow::{Context, Result};

use crate::cluster::{Binaries, ControlPlane};

/// The fake node's name.
pub const NODE: &str = "kwok-node-0";

/// Start kube-controller-manager (job + garbage collector controllers), kube-scheduler and kwok, create
/// the fake node and wait until it is Ready.
pub fn start(cp: &ControlPlane, bins: &Binaries) -> Result<()> {
    let t0 = Instant::now();
    let kc = cp.kubeconfig.display().to_string();
    let mut kcm = std::process::Command::new(&bins.kube_controller_manager);
    kcm.arg(format!("--kubeconfig={kc}"))
        .arg("--controllers=job-controller,garbage-collector-controller")
        .arg("--leader-elect=false")
        .arg("--secure-port=0")
        .arg("--use-service-account-credentials=false")
        .arg("--v=1");
    cp.spawn("kube-controller-manager", kcm)?;

    let mut sched = std::process::Command::new(&bins.kube_scheduler);
    sched
        .arg(format!("--kubeconfig={kc}"))
        .arg(format!("--authentication-kubeconfig={kc}"))
        .arg(format!("--authorization-kubeconfig={kc}"))
        .arg("--leader-elect=false")
        .arg("--secure-port=0")
        .arg("--v=1");
    cp.spawn("kube-scheduler", sched)?;

    // kwok's own stages for nodes and pods, then ours for the Jobs' pods.
    let stages = cp.dir.join("kwok-stages.yaml");
    let mut all = String::new();
    for name in ["node-initialize.yaml", "pod-ready.yaml", "pod-delete.yaml"] {
        let p = bins.kwok_stages.join(name);
        all.push_str(
            &std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?,
        );
        all.push_str("\n---\n");
    }
    all.push_str(&std::fs::read_to_string(
        crate::cluster::workspace_root().join("tests/cluster/kwok-job-stages.yaml"),
    )?);
    std::fs::write(&stages, all)?;
    let mut kwok = std::process::Command::new(&bins.kwok);
    kwok.arg(format!("--kubeconfig={kc}"))
        .arg("--manage-all-nodes=true")
        .arg(format!("--config={}", stages.display()))
        .arg(format!(
            "--server-address=127.0.0.1:{}",
            crate::cluster::free_port()?
        ));
    cp.spawn("kwok", kwok)?;

    let node = format!(
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: {NODE}\n  annotations:\n    kwok.x-k8s.io/node: fake\n  labels:\n    type: kwok\n\
         status:\n  allocatable:\n    cpu: \"64\"\n    memory: 256Gi\n    pods: \"500\"\n  capacity:\n    cpu: \"64\"\n    memory: 256Gi\n    pods: \"500\"\n"
    );
    let path = cp.dir.join("kwok-node.yaml");
    std::fs::write(&path, node)?;
    cp.kubectl(&["apply", "-f", path.to_str().unwrap_or_default()])?;
    cp.kubectl(&[
        "wait",
        "--for=condition=Ready",
        "--timeout=60s",
        "node",
        NODE,
    ])
    .context("kwok's node did not turn Ready (see kwok.log)")?;
    // The API server taints a new node not-ready; the node lifecycle controller, which the tests do not
    // run, would lift the taint once the node is Ready. Lift it as that controller would.
    cp.kubectl(&[
        "taint",
        "node",
        NODE,
        "node.kubernetes.io/not-ready:NoSchedule-",
    ])?;
    eprintln!(
        "jobs ready in {:.1}s (job controller, scheduler, kwok node {NODE})",
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
