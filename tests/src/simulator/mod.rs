//! The Service Catalog simulator: plays the catalog controller, its admission webhook (webhook.rs, a real
//! MutatingWebhookConfiguration served over TLS) and an
//! Instaclustr-like broker against a real API server, with the reason strings, finalizer, async
//! operations and binding Secrets of `servicecatalog.k8s.io/v1beta1` (see ../shared/reference).
//!
//! Test-only; never shipped. What each object does is chosen by annotations ([`ann`]):
//!
//! | annotation (`sim.kubectl-osb.dev/…`) | values | default |
//! |---|---|---|
//! | `provision` | `succeed`, `fail` (async `failed` → Failed `ProvisionCallFailed`), `reject` (HTTP 400 → Failed `ClusterServiceBrokerReturnedFailure`), `retry` (HTTP 500 → Ready=False `ProvisionCallFailed`, retried forever), `hang` | `succeed` |
//! | `provision-seconds` | how long the async provision runs | `1` |
//! | `deprovision` | `succeed`, `retry` (`DeprovisionCallFailed`, retried forever), `fail` (gives up: `deprovisionStatus: Failed`, an orphan) | `succeed` |
//! | `deprovision-seconds` | how long the async deprovision runs | `0.5` |
//! | `bind` | `succeed`, `fail` (Failed `ServiceBindingReturnedFailure`) | `succeed` |
//! | `unbind` | `succeed`, `fail` (`unbindStatus: Failed`, stuck) | `succeed` |
//! | `message` | the broker's description on failure | a canned one |
//! | `job` (on a batch/v1 Job) | `complete`, `fail`, `deadline` (Failed `DeadlineExceeded`), `none` | `none` |
//! | `job-seconds` | when the Job's outcome is written | `1` |

pub mod bindings;
pub mod instances;
pub mod jobs;
pub mod offerings;
pub mod webhook;

use std::time::Duration;

use osb::catalog::Condition;

/// Annotation keys.
pub mod ann {
    pub const PREFIX: &str = "sim.kubectl-osb.dev/";
    pub const PROVISION: &str = "sim.kubectl-osb.dev/provision";
    pub const PROVISION_SECONDS: &str = "sim.kubectl-osb.dev/provision-seconds";
    pub const DEPROVISION: &str = "sim.kubectl-osb.dev/deprovision";
    pub const DEPROVISION_SECONDS: &str = "sim.kubectl-osb.dev/deprovision-seconds";
    pub const BIND: &str = "sim.kubectl-osb.dev/bind";
    pub const UNBIND: &str = "sim.kubectl-osb.dev/unbind";
    pub const MESSAGE: &str = "sim.kubectl-osb.dev/message";
    pub const JOB: &str = "sim.kubectl-osb.dev/job";
    pub const JOB_SECONDS: &str = "sim.kubectl-osb.dev/job-seconds";
}

/// Run the simulator until the future is dropped: publish the catalog, then reconcile instances,
/// bindings and Jobs in every namespace.
pub async fn run(client: kube::Client) -> anyhow::Result<()> {
    offerings::publish(&client).await?;
    tokio::try_join!(
        instances::run(client.clone()),
        bindings::run(client.clone()),
        jobs::run(client.clone())
    )?;
    Ok(())
}

pub(crate) fn annotation<'a>(meta: &'a kube::api::ObjectMeta, key: &str) -> Option<&'a str> {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .map(String::as_str)
}

pub(crate) fn seconds(meta: &kube::api::ObjectMeta, key: &str, default: f64) -> Duration {
    let s = annotation(meta, key)
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(default);
    Duration::from_secs_f64(s.max(0.0))
}

pub(crate) fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// Time since an RFC 3339 timestamp (zero if absent or unparsable).
pub(crate) fn since(ts: Option<&str>) -> Duration {
    ts.and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .map(|t| jiff::Timestamp::now().duration_since(t))
        .and_then(|d| Duration::try_from(d).ok())
        .unwrap_or_default()
}

/// Set a condition the catalog's way: update in place (time changes only when the status does), or append.
pub(crate) fn set_condition(
    conds: &mut Vec<Condition>,
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
) {
    match conds.iter_mut().find(|c| c.type_ == type_) {
        Some(c) => {
            if c.status != status {
                c.last_transition_time = Some(now());
            }
            c.status = status.into();
            c.reason = Some(reason.into());
            c.message = Some(message.into());
        }
        None => conds.push(Condition {
            type_: type_.into(),
            status: status.into(),
            last_transition_time: Some(now()),
            reason: Some(reason.into()),
            message: Some(message.into()),
        }),
    }
}

/// The printer-column rule: the last condition's type if True, else its reason.
pub(crate) fn last_condition_state(conds: &[Condition]) -> Option<String> {
    conds.last().map(|c| {
        if c.status == "True" {
            c.type_.clone()
        } else {
            c.reason.clone().unwrap_or_default()
        }
    })
}

/// Errors of a reconcile: logged, then retried soon.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error(transparent)]
    Kube(#[from] kube::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

pub(crate) fn error_policy<K>(
    _obj: std::sync::Arc<K>,
    err: &SimError,
    _ctx: std::sync::Arc<kube::Client>,
) -> kube::runtime::controller::Action {
    // Conflicts are normal (our cache lags our own writes): retry at once.
    let conflict = matches!(err, SimError::Kube(kube::Error::Api(s)) if s.code == 409);
    if !conflict && !matches!(err, SimError::Kube(kube::Error::Api(s)) if s.code == 404) {
        eprintln!("osb-simulator: {err}");
    }
    kube::runtime::controller::Action::requeue(Duration::from_millis(if conflict {
        20
    } else {
        500
    }))
}
