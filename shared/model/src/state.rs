//! The one judge of where an object stands — ServiceInstance, ServiceBinding, ClusterServiceBroker,
//! Job — used by `wait` (and every `--wait`), `describe`, `get` and `abandon --list`, so that they never
//! disagree. [`judge`] is pure (unit-tested below); the wait engine maps its [`State`] onto a goal, the
//! other verbs print [`State::verdict`].
//!
//! Rules, in order (catalog kinds):
//! 1. being deleted: `deprovisionStatus`/`unbindStatus: Failed` (or a Failed reason the controller does
//!    not write on a create) → [`Phase::DeletionFailed`]; otherwise [`Phase::Deleting`];
//! 2. `Failed=True` → [`Phase::Failed`] (final: the controller does not retry);
//! 3. a generation the controller has not observed yet (`metadata.generation` >
//!    `status.observedGeneration`, or no status at all) → [`Phase::NotObserved`], whatever the old
//!    conditions say;
//! 4. a Ready reason the reasons table calls terminal without a Failed condition (`OrphanMitigationFailed`
//!    on Ready=Unknown: the cleanup after a failed provision or bind failed, and the controller stops)
//!    → [`Phase::Failed`];
//! 5. `Ready=True` and no asynchronous operation → [`Phase::Ready`];
//! 6. an operation under way (`currentOperation`, `asyncOpInProgress`) → [`Phase::InProgress`];
//! 7. a Ready reason the controller retries on (see [`crate::reasons`]) → [`Phase::Retrying`];
//! 8. otherwise [`Phase::Pending`].
//!
//! A retriable provision failure (HTTP 5xx, a timeout) starts orphan mitigation: the controller writes
//! `StartingInstanceOrphanMitigation` on Ready and keeps the failure's own reason on the
//! `OrphanMitigation` condition; the judge reports that reason (it is the one being retried).

use serde_json::Value;

use crate::kinds::Kind;

/// Where an object stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Done and current: Ready (catalog kinds), Complete (Jobs).
    Ready,
    /// Work under way (provisioning, updating, binding; a Job running).
    InProgress,
    /// The controller retries, or waits for something (a name to resolve, a Secret, the user).
    Retrying,
    /// `Failed=True`: the controller gave up. Jobs: Failed.
    Failed,
    /// Being deleted.
    Deleting,
    /// The deletion failed for good: the broker may still hold the service (an orphan).
    DeletionFailed,
    /// No controller has processed the object's current generation yet.
    NotObserved,
    /// None of the above (e.g. a Ready=False reason that is neither progress nor a retry).
    Pending,
}

/// The judgement of one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub phase: Phase,
    /// The reason that explains the phase (from the relevant condition), or empty.
    pub reason: String,
    pub message: String,
    /// `currentOperation` (and `lastOperation`) of catalog objects, for progress lines.
    pub operation: String,
    /// The generation waiting to be observed, for [`Phase::NotObserved`].
    pub unobserved_generation: Option<i64>,
}

fn conds(obj: &Value) -> impl Iterator<Item = &Value> {
    obj.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The condition of type `type_`.
pub fn condition<'a>(obj: &'a Value, type_: &str) -> Option<&'a Value> {
    conds(obj).find(|c| c.get("type").and_then(Value::as_str) == Some(type_))
}

/// Whether condition `type_` has status `value` (case-insensitive).
pub fn condition_is(obj: &Value, type_: &str, value: &str) -> bool {
    condition(obj, type_)
        .and_then(|c| c.get("status"))
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case(value))
}

/// A string field of a condition (or "").
pub fn text(c: Option<&Value>, key: &str) -> String {
    c.and_then(|c| c.get(key))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn status_str<'a>(obj: &'a Value, field: &str) -> &'a str {
    obj.pointer(&format!("/status/{field}"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn state(phase: Phase, c: Option<&Value>, operation: &str) -> State {
    State {
        phase,
        reason: text(c, "reason"),
        message: text(c, "message"),
        operation: operation.to_string(),
        unobserved_generation: None,
    }
}

/// Judge one object of `kind` (its JSON as the API returns it).
pub fn judge(kind: Kind, obj: &Value) -> State {
    if kind == Kind::Job {
        return judge_job(obj);
    }
    let operation = [
        status_str(obj, "currentOperation"),
        status_str(obj, "lastOperation"),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let failed = condition(obj, "Failed").filter(|_| condition_is(obj, "Failed", "True"));
    let mut ready = condition(obj, "Ready");
    if failed.is_none()
        && condition_is(obj, "OrphanMitigation", "True")
        && text(ready, "reason") == "StartingInstanceOrphanMitigation"
        && !text(condition(obj, "OrphanMitigation"), "reason").is_empty()
    {
        ready = condition(obj, "OrphanMitigation");
    }
    let ready_reason = text(ready, "reason");

    if obj.pointer("/metadata/deletionTimestamp").is_some() {
        let stuck = match kind {
            Kind::ServiceInstance => status_str(obj, "deprovisionStatus") == "Failed",
            Kind::ServiceBinding => status_str(obj, "unbindStatus") == "Failed",
            _ => false,
        };
        // A Failed condition left by the create or an update does not stop the deletion: the controller
        // still deprovisions or unbinds (and clears it); it marks a failed deletion with the status above.
        let create_failure = crate::reasons::lookup(&text(failed, "reason"))
            .is_some_and(|r| r.written.contains(&crate::reasons::Written::FailedTrue));
        if stuck || (failed.is_some() && !create_failure) {
            let mut s = state(Phase::DeletionFailed, failed.or(ready), &operation);
            if s.reason.is_empty() {
                s.reason = "DeprovisionFailed".into();
            }
            return s;
        }
        return state(Phase::Deleting, ready.or(failed), &operation);
    }
    if failed.is_some() {
        return state(Phase::Failed, failed, &operation);
    }
    let generation = obj.pointer("/metadata/generation").and_then(Value::as_i64);
    let observed = obj
        .pointer("/status/observedGeneration")
        .and_then(Value::as_i64);
    let has_status = obj
        .get("status")
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty());
    let stale = match (kind, generation, observed) {
        (Kind::ServiceInstance, Some(g), Some(o)) => o < g,
        (Kind::ServiceInstance | Kind::ServiceBinding, _, None) => !has_status,
        _ => false,
    };
    if stale {
        let mut s = state(Phase::NotObserved, ready, &operation);
        s.unobserved_generation = generation;
        return s;
    }
    let terminal = crate::reasons::lookup(&ready_reason)
        .is_some_and(|r| r.class == crate::reasons::Class::Terminal);
    if terminal && !condition_is(obj, "Ready", "True") {
        return state(Phase::Failed, ready, &operation);
    }
    let async_op = obj
        .pointer("/status/asyncOpInProgress")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if condition_is(obj, "Ready", "True") && !async_op {
        return state(Phase::Ready, ready, &operation);
    }
    if async_op || !status_str(obj, "currentOperation").is_empty() {
        // An operation under way, unless its latest attempt failed and is being retried.
        if !crate::reasons::RETRYING.contains(&ready_reason.as_str()) {
            return state(Phase::InProgress, ready, &operation);
        }
    }
    if crate::reasons::RETRYING.contains(&ready_reason.as_str()) {
        return state(Phase::Retrying, ready, &operation);
    }
    state(Phase::Pending, ready, &operation)
}

fn judge_job(obj: &Value) -> State {
    if condition_is(obj, "Complete", "True") {
        return state(Phase::Ready, condition(obj, "Complete"), "");
    }
    if condition_is(obj, "Failed", "True") {
        return state(Phase::Failed, condition(obj, "Failed"), "");
    }
    let active = obj
        .pointer("/status/active")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let succeeded = obj
        .pointer("/status/succeeded")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let mut s = state(Phase::InProgress, None, "");
    s.message = format!("{active} active, {succeeded} succeeded");
    s
}

impl State {
    /// One short word for progress lines and tables: Ready, Provisioning, Failed, Deleting, the reason…
    pub fn word(&self) -> String {
        match self.phase {
            Phase::Ready => "Ready".into(),
            Phase::Failed => "Failed".into(),
            Phase::Deleting => "Deleting".into(),
            Phase::DeletionFailed => "DeletionFailed".into(),
            Phase::NotObserved => "NotObserved".into(),
            _ if self.reason.is_empty() => "Pending".into(),
            _ => self.reason.clone(),
        }
    }

    /// The STATUS column of `get` (svcat's words): Ready, Failed, Provisioning, Deleting, the reason…;
    /// `Pending` while no controller has seen the current generation (even if an older Ready=True stands).
    pub fn status(&self, kind: Kind) -> String {
        match self.phase {
            Phase::NotObserved => "Pending".into(),
            Phase::DeletionFailed if kind == Kind::ServiceBinding => "UnbindFailed".into(),
            Phase::DeletionFailed => "DeprovisionFailed".into(),
            Phase::InProgress => match self.operation.split(' ').next().unwrap_or_default() {
                "Provision" => "Provisioning".into(),
                "Update" => "Updating".into(),
                "Deprovision" => "Deprovisioning".into(),
                "Bind" => "Binding".into(),
                _ => self.word(),
            },
            _ => self.word(),
        }
    }

    /// What happens next, in plain words ([`crate::reasons`]; an unknown reason is said to be unknown):
    /// what `describe` prints after its verdict. `None` when there is nothing to add (Ready, Jobs).
    pub fn next_step(&self, kind: Kind) -> Option<String> {
        let r = &self.reason;
        let (undo, what) = match kind {
            Kind::Job | Kind::ClusterServiceClass | Kind::ClusterServicePlan => return None,
            Kind::ServiceBinding => ("unbinds it at the broker", "binding"),
            Kind::ClusterServiceBroker => ("deletes the classes and plans it offered", "broker"),
            Kind::ServiceInstance => ("deprovisions it at the broker", "instance"),
        };
        let plain = || crate::reasons::explain_or_unknown(r);
        Some(match self.phase {
            Phase::Ready => return None,
            Phase::NotObserved => {
                "no Service Catalog controller has processed it yet; it acts on it when it \
                 runs (if this lasts, is the controller running?)"
                    .into()
            }
            Phase::DeletionFailed => format!(
                "{}; the catalog will not retry: `kubectl osb abandon` removes what is left",
                if crate::reasons::lookup(r).is_some() {
                    plain()
                } else {
                    "the deletion failed for good".into()
                }
            ),
            Phase::Deleting if r.is_empty() => {
                format!("the catalog {undo}, then removes its finalizer")
            }
            Phase::Failed if crate::reasons::lookup(r).is_some() => {
                let x = plain();
                if x.contains("does not retry") {
                    x
                } else if r == "OrphanMitigationFailed" {
                    format!(
                        "{x}: check with the broker, then delete the {what} \
                         (`kubectl osb abandon` if the deletion cannot finish)"
                    )
                } else {
                    // The reason's own words (under Conditions) cover its retried form too.
                    format!(
                        "the catalog does not retry (Failed=True): delete the {what} and create it again"
                    )
                }
            }
            _ if r.is_empty() => "waiting for the Service Catalog controller".into(),
            _ => plain(),
        })
    }

    /// The one-line verdict `describe` and `get` print for an instance or a binding.
    pub fn verdict(&self, kind: Kind, elapsed: Option<&str>) -> String {
        let r = &self.reason;
        let elapsed = elapsed.map(|e| format!(" {e}")).unwrap_or_default();
        let (deleting_word, held) = match kind {
            Kind::ServiceBinding => (
                "Unbinding",
                "the unbind failed; the broker may still hold the credentials",
            ),
            _ => ("Deprovisioning", "the deprovision failed"),
        };
        match self.phase {
            Phase::DeletionFailed if kind == Kind::ServiceBinding => format!("Orphaned? {held}"),
            Phase::DeletionFailed => {
                format!("Orphaned? {held} ({r}); the broker may still hold the service")
            }
            Phase::Deleting => match r.as_str() {
                "DeprovisionBlockedByExistingCredentials" => {
                    "Deprovision blocked: bindings still exist".into()
                }
                "DeprovisionCallFailed" => {
                    "Deprovisioning (retrying: the broker failed the deprovision)".into()
                }
                "UnbindCallFailed" => "Unbinding (retrying: the broker failed the unbind)".into(),
                _ => deleting_word.into(),
            },
            Phase::Failed => format!("Failed: {r}"),
            Phase::Ready => "Ready".into(),
            Phase::NotObserved => match self.unobserved_generation {
                Some(g) if g > 1 => format!(
                    "Pending: generation {g} not yet observed by a controller (the conditions shown are older)"
                ),
                _ => "Pending: not yet observed by a controller".into(),
            },
            Phase::InProgress => match self.operation.split(' ').next().unwrap_or_default() {
                "Provision" => format!("Provisioning{elapsed}"),
                "Update" => format!("Updating{elapsed}"),
                "Deprovision" => format!("Deprovisioning{elapsed}"),
                "Bind" => format!("Binding{elapsed}"),
                _ if r.is_empty() => "Pending".into(),
                _ => r.clone(),
            },
            Phase::Retrying => format!("Retrying: {r}"),
            Phase::Pending if r.is_empty() => "Pending".into(),
            Phase::Pending => r.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn si(status: Value) -> Value {
        json!({"metadata": {"name": "db", "generation": 1}, "status": status})
    }

    fn cond(t: &str, s: &str, r: &str) -> Value {
        json!({"type": t, "status": s, "reason": r, "message": format!("{r} message")})
    }

    #[test]
    fn ready_only_when_current_and_no_operation() {
        let ok = si(
            json!({"observedGeneration": 1, "conditions": [cond("Ready", "True", "ProvisionedSuccessfully")]}),
        );
        assert_eq!(judge(Kind::ServiceInstance, &ok).phase, Phase::Ready);
        let mut stale = ok.clone();
        stale["metadata"]["generation"] = json!(2);
        let s = judge(Kind::ServiceInstance, &stale);
        assert_eq!(s.phase, Phase::NotObserved);
        assert!(
            s.verdict(Kind::ServiceInstance, None)
                .contains("generation 2 not yet observed")
        );
        let busy = si(
            json!({"observedGeneration": 1, "asyncOpInProgress": true, "currentOperation": "Update",
            "conditions": [cond("Ready", "True", "ProvisionedSuccessfully")]}),
        );
        let s = judge(Kind::ServiceInstance, &busy);
        assert_eq!(s.phase, Phase::InProgress);
        assert_eq!(s.verdict(Kind::ServiceInstance, Some("3s")), "Updating 3s");
    }

    #[test]
    fn nothing_observed_yet() {
        let fresh = json!({"metadata": {"name": "db", "generation": 1}, "spec": {}});
        let s = judge(Kind::ServiceInstance, &fresh);
        assert_eq!(s.phase, Phase::NotObserved);
        assert_eq!(
            s.verdict(Kind::ServiceInstance, None),
            "Pending: not yet observed by a controller"
        );
    }

    #[test]
    fn failures_retries_and_orphan_mitigation() {
        let failed = si(json!({"observedGeneration": 1, "conditions": [
            cond("Ready", "False", "ProvisionCallFailed"), cond("Failed", "True", "ClusterServiceBrokerReturnedFailure")]}));
        let s = judge(Kind::ServiceInstance, &failed);
        assert_eq!(
            (s.phase, s.reason.as_str()),
            (Phase::Failed, "ClusterServiceBrokerReturnedFailure")
        );
        let retry = si(
            json!({"observedGeneration": 1, "conditions": [cond("Ready", "False", "ReferencesNonexistentServiceClass")]}),
        );
        assert_eq!(judge(Kind::ServiceInstance, &retry).phase, Phase::Retrying);
        let om = si(
            json!({"observedGeneration": 1, "currentOperation": "Provision", "conditions": [
            cond("Ready", "False", "StartingInstanceOrphanMitigation"), cond("OrphanMitigation", "True", "ProvisionCallFailed")]}),
        );
        let s = judge(Kind::ServiceInstance, &om);
        assert_eq!(
            (s.phase, s.reason.as_str()),
            (Phase::Retrying, "ProvisionCallFailed")
        );
    }

    #[test]
    fn a_failed_orphan_mitigation_is_final_without_a_failed_condition() {
        // What v0.3.1 leaves when the deprovision that cleans up after a failed provision fails too.
        let om = si(
            json!({"observedGeneration": 1, "deprovisionStatus": "Failed", "orphanMitigationInProgress": false,
                   "conditions": [cond("Ready", "Unknown", "OrphanMitigationFailed")]}),
        );
        let s = judge(Kind::ServiceInstance, &om);
        assert_eq!(
            (s.phase, s.reason.as_str()),
            (Phase::Failed, "OrphanMitigationFailed")
        );
        let next = s.next_step(Kind::ServiceInstance).expect("said");
        assert!(next.contains("the broker may still hold"), "{next}");
    }

    #[test]
    fn deletions() {
        let mut gone = si(
            json!({"observedGeneration": 1, "deprovisionStatus": "Failed", "conditions": [
            cond("Ready", "Unknown", "DeprovisionCallFailed"), cond("Failed", "True", "ErrorReconciliationRetryTimeout")]}),
        );
        gone["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        let s = judge(Kind::ServiceInstance, &gone);
        assert_eq!(s.phase, Phase::DeletionFailed);
        assert!(
            s.verdict(Kind::ServiceInstance, None)
                .starts_with("Orphaned?")
        );
        // A failed update does not make a deletion fail.
        let mut upd = si(
            json!({"observedGeneration": 1, "deprovisionStatus": "Required", "conditions": [
            cond("Ready", "False", "Deprovisioning"), cond("Failed", "True", "UpdateInstanceCallFailed")]}),
        );
        upd["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        assert_eq!(judge(Kind::ServiceInstance, &upd).phase, Phase::Deleting);
        let mut blocked = si(
            json!({"observedGeneration": 1, "conditions": [cond("Ready", "False", "DeprovisionBlockedByExistingCredentials")]}),
        );
        blocked["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        assert_eq!(
            judge(Kind::ServiceInstance, &blocked).verdict(Kind::ServiceInstance, None),
            "Deprovision blocked: bindings still exist"
        );
    }

    #[test]
    fn the_next_step_is_said_in_plain_words_and_unknown_reasons_stay_unknown() {
        let next = |conditions: Value| {
            let obj = si(json!({"observedGeneration": 1, "conditions": conditions}));
            judge(Kind::ServiceInstance, &obj)
                .next_step(Kind::ServiceInstance)
                .expect("said")
        };
        let retry = next(json!([cond(
            "Ready",
            "False",
            "ReferencesNonexistentServiceClass"
        )]));
        assert!(retry.contains("retries forever"), "{retry}");
        let failed = next(json!([
            cond("Ready", "False", "OrphanMitigationSuccessful"),
            cond("Failed", "True", "ProvisionCallFailed")
        ]));
        assert_eq!(
            failed,
            "the catalog does not retry (Failed=True): delete the instance and create it again"
        );
        let odd = next(json!([cond("Ready", "False", "SomethingNew")]));
        assert!(odd.starts_with("unknown reason"), "{odd}");
        let fresh = json!({"metadata": {"name": "db", "generation": 1}, "spec": {}});
        assert!(
            judge(Kind::ServiceInstance, &fresh)
                .next_step(Kind::ServiceInstance)
                .expect("said")
                .contains("is the controller running?")
        );
        let ok = si(
            json!({"observedGeneration": 1, "conditions": [cond("Ready", "True", "ProvisionedSuccessfully")]}),
        );
        assert_eq!(
            judge(Kind::ServiceInstance, &ok).next_step(Kind::ServiceInstance),
            None
        );
    }

    #[test]
    fn brokers_are_judged_by_the_same_rules_and_reasons() {
        let broker =
            |conds: Value| json!({"metadata": {"name": "b"}, "status": {"conditions": conds}});
        let ok = broker(json!([cond("Ready", "True", "FetchedCatalog")]));
        let s = judge(Kind::ClusterServiceBroker, &ok);
        assert_eq!(s.phase, Phase::Ready);
        assert_eq!(s.next_step(Kind::ClusterServiceBroker), None);
        let fetching = broker(json!([cond("Ready", "False", "ErrorFetchingCatalog")]));
        let s = judge(Kind::ClusterServiceBroker, &fetching);
        assert_eq!(
            (s.phase, s.reason.as_str()),
            (Phase::Retrying, "ErrorFetchingCatalog")
        );
        assert_eq!(
            s.next_step(Kind::ClusterServiceBroker).as_deref(),
            crate::reasons::lookup("ErrorFetchingCatalog").map(|r| r.explanation)
        );
        let failed = broker(json!([
            cond("Ready", "False", "ErrorFetchingCatalog"),
            cond("Failed", "True", "ErrorReconciliationRetryTimeout")
        ]));
        let s = judge(Kind::ClusterServiceBroker, &failed);
        assert_eq!(
            (s.phase, s.reason.as_str()),
            (Phase::Failed, "ErrorReconciliationRetryTimeout")
        );
        let mut going = broker(json!([]));
        going["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        let s = judge(Kind::ClusterServiceBroker, &going);
        assert_eq!(s.phase, Phase::Deleting);
        assert_eq!(
            s.next_step(Kind::ClusterServiceBroker).as_deref(),
            Some(
                "the catalog deletes the classes and plans it offered, then removes its finalizer"
            )
        );
    }

    /// The states v0.3.1 writes on an asynchronous bind or unbind (AsyncBindingOperations), as observed
    /// in docs/real-controller.md.
    #[test]
    fn asynchronous_bindings() {
        let sb =
            |status: Value| json!({"metadata": {"name": "app", "generation": 1}, "status": status});
        let binding = sb(
            json!({"asyncOpInProgress": true, "currentOperation": "Bind",
            "lastOperation": "bind-1a2b", "unbindStatus": "Required",
            "conditions": [cond("Ready", "False", "Binding")]}),
        );
        let s = judge(Kind::ServiceBinding, &binding);
        assert_eq!((s.phase, s.reason.as_str()), (Phase::InProgress, "Binding"));
        assert_eq!(s.status(Kind::ServiceBinding), "Binding");
        assert_eq!(s.verdict(Kind::ServiceBinding, Some("4s")), "Binding 4s");
        assert!(
            s.next_step(Kind::ServiceBinding)
                .is_some_and(|n| n.contains("polls"))
        );
        // The broker answered `failed`: final at once, no orphan mitigation.
        let failed = sb(
            json!({"asyncOpInProgress": false, "unbindStatus": "Required", "conditions": [
            cond("Ready", "False", "BindCallFailed"), cond("Failed", "True", "BindCallFailed")]}),
        );
        let s = judge(Kind::ServiceBinding, &failed);
        assert_eq!(
            (s.phase, s.reason.as_str()),
            (Phase::Failed, "BindCallFailed")
        );
        assert_eq!(s.message, "BindCallFailed message");
        // GET binding failed: final, and the controller unbinds (orphan mitigation) meanwhile.
        let lost = sb(
            json!({"orphanMitigationInProgress": true, "unbindStatus": "Required", "conditions": [
            cond("Ready", "False", "ServiceBindingNeedsOrphanMitigation"),
            cond("Failed", "True", "FetchingBindingFailed")]}),
        );
        let s = judge(Kind::ServiceBinding, &lost);
        assert_eq!(
            (s.phase, s.reason.as_str()),
            (Phase::Failed, "FetchingBindingFailed")
        );
        // A failed binding being deleted is unbound as any other.
        let mut going = failed.clone();
        going["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        assert_eq!(judge(Kind::ServiceBinding, &going).phase, Phase::Deleting);
        // The asynchronous unbind, then its failure (retried with a new unbind).
        let mut unbinding = sb(
            json!({"asyncOpInProgress": true, "currentOperation": "Unbind",
            "unbindStatus": "Required", "conditions": [cond("Ready", "False", "Unbinding")]}),
        );
        unbinding["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        let s = judge(Kind::ServiceBinding, &unbinding);
        assert_eq!((s.phase, s.reason.as_str()), (Phase::Deleting, "Unbinding"));
        assert_eq!(s.verdict(Kind::ServiceBinding, None), "Unbinding");
        let mut refused = sb(
            json!({"asyncOpInProgress": false, "currentOperation": "Unbind",
            "unbindStatus": "Required", "conditions": [cond("Ready", "Unknown", "UnbindCallFailed")]}),
        );
        refused["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        let s = judge(Kind::ServiceBinding, &refused);
        assert_eq!(
            s.verdict(Kind::ServiceBinding, None),
            "Unbinding (retrying: the broker failed the unbind)"
        );
    }

    #[test]
    fn jobs() {
        let done =
            json!({"status": {"conditions": [cond("Complete", "True", "CompletionsReached")]}});
        assert_eq!(judge(Kind::Job, &done).phase, Phase::Ready);
        let failed =
            json!({"status": {"conditions": [cond("Failed", "True", "DeadlineExceeded")]}});
        let s = judge(Kind::Job, &failed);
        assert_eq!(
            (s.phase, s.reason.as_str()),
            (Phase::Failed, "DeadlineExceeded")
        );
        let running = json!({"status": {"active": 2}});
        assert_eq!(judge(Kind::Job, &running).message, "2 active, 0 succeeded");
    }
}
