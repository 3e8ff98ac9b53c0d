//! batch/v1 Job stand-in: the local control plane has no kubelet or job controller, so Jobs annotated
//! `sim.kubectl-osb.dev/job` get the status the job controller would write (Complete, Failed with
//! `BackoffLimitExceeded`, or Failed with `DeadlineExceeded`) after `job-seconds`. Unannotated Jobs
//! are left alone, so the example pipeline behaves on a real cluster exactly as here.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::batch::v1::Job;
use kube::api::{Patch, PatchParams};
use kube::runtime::controller::Action;
use kube::runtime::{Controller, watcher};
use kube::{Api, Client, ResourceExt};
use serde_json::json;

use super::{SimError, ann, annotation, error_policy, now, seconds, since};

pub async fn run(client: Client) -> anyhow::Result<()> {
    let jobs: Api<Job> = Api::all(client.clone());
    Controller::new(jobs, watcher::Config::default())
        .run(reconcile, error_policy, Arc::new(client))
        .for_each(|_| async {})
        .await;
    Ok(())
}

async fn reconcile(job: Arc<Job>, client: Arc<Client>) -> Result<Action, SimError> {
    let Some(outcome) = annotation(&job.metadata, ann::JOB).filter(|o| *o != "none") else {
        return Ok(Action::await_change());
    };
    let status = job.status.clone().unwrap_or_default();
    let finished = status
        .conditions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True");
    if finished {
        return Ok(Action::await_change());
    }
    let api: Api<Job> = Api::namespaced((*client).clone(), &job.namespace().unwrap_or_default());
    let name = job.name_any();
    let pp = PatchParams::default();
    let Some(start) = status.start_time.as_ref().map(|t| t.0.to_string()) else {
        let parallelism = job.spec.as_ref().and_then(|s| s.parallelism).unwrap_or(1);
        let patch =
            json!({"status": {"startTime": now(), "active": parallelism, "ready": parallelism}});
        api.patch_status(&name, &pp, &Patch::Merge(patch)).await?;
        return Ok(Action::requeue(Duration::from_millis(20)));
    };
    let total = seconds(&job.metadata, ann::JOB_SECONDS, 1.0);
    let elapsed = since(Some(&start));
    if elapsed < total {
        return Ok(Action::requeue(total - elapsed));
    }
    let spec = job.spec.clone().unwrap_or_default();
    let t = now();
    let cond = |type_: &str, reason: &str, message: &str| json!({"type": type_, "status": "True", "reason": reason, "message": message, "lastProbeTime": t, "lastTransitionTime": t});
    let patch = match outcome {
        "complete" => {
            let completions = spec.completions.unwrap_or(1);
            json!({"status": {
                "active": 0, "ready": 0, "succeeded": completions, "completionTime": t,
                "conditions": [cond("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
                               cond("Complete", "CompletionsReached", "Reached expected number of succeeded pods")],
            }})
        }
        "deadline" => json!({"status": {
            "active": 0, "ready": 0, "failed": spec.parallelism.unwrap_or(1),
            "conditions": [cond("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline"),
                           cond("Failed", "DeadlineExceeded", "Job was active longer than specified deadline")],
        }}),
        _ => json!({"status": {
            "active": 0, "ready": 0, "failed": spec.backoff_limit.unwrap_or(6) + 1,
            "conditions": [cond("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
                           cond("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")],
        }}),
    };
    api.patch_status(&name, &pp, &Patch::Merge(patch)).await?;
    Ok(Action::await_change())
}
