//! The goal: what `--for` asks (`ready`, `failed`, `deleted`, `complete`, `create`, `condition=TYPE[=VALUE]`,
//! `jsonpath={…}[=VALUE]`), what one
//! object's state means for it ([`evaluate`]; where the object stands is [`crate::state::judge`]'s call),
//! and when the verdicts so far end the wait ([`over`]). Pure: unit-tested below.

use serde_json::Value;

use super::{Kind, WaitOptions};
use crate::state::{Phase, State, condition, condition_is, judge, text};

/// What to wait for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Goal {
    /// Ready=True and no async operation in progress (Jobs: Complete).
    Ready,
    /// Failed=True.
    Failed,
    /// Gone (the object with the uid seen first no longer exists).
    Deleted,
    /// A Job's Complete condition (same as `Ready` for Jobs).
    Complete,
    /// The object exists (kubectl's `--for=create`): absent at first is no error.
    Create,
    /// Any condition `type_` with status `value` (case-insensitive).
    Condition { type_: String, value: String },
    /// kubectl's `--for=jsonpath='{…}'=VALUE`: the expression's value printed as kubectl prints it
    /// equals `value`; without a value, the expression finds something.
    JsonPath { expr: String, value: Option<String> },
}

/// `{.status.phase}=Running` → the expression and the value (the `=` after the expression's last `}`,
/// or the last `=` of a relaxed expression without braces); the expression must parse.
fn jsonpath_goal(input: &str) -> std::result::Result<Goal, String> {
    let split = match input.rfind('}') {
        Some(close) => input[close..].find('=').map(|i| close + i),
        None => input.rfind('='),
    };
    let (expr, value) = match split {
        Some(i) => (&input[..i], Some(input[i + 1..].to_string())),
        None => (input, None),
    };
    if expr.is_empty() {
        return Err(
            "jsonpath= needs an expression, e.g. jsonpath='{.status.phase}'=Running".into(),
        );
    }
    crate::jsonpath::Template::parse_relaxed(expr)
        .map_err(|e| format!("invalid jsonpath expression {expr:?}: {e}"))?;
    Ok(Goal::JsonPath {
        expr: expr.to_string(),
        value,
    })
}

/// What a jsonpath goal's expression finds in `obj`, as kubectl prints it; `None` when it finds nothing.
fn jsonpath_text(expr: &str, obj: &Value) -> Option<String> {
    let template = crate::jsonpath::Template::parse_relaxed(expr).ok()?;
    let found: Vec<Value> = template.values(obj).ok()?.into_iter().flatten().collect();
    (!found.is_empty()).then(|| {
        found
            .iter()
            .map(crate::jsonpath::text_of)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

impl std::str::FromStr for Goal {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let lower = s.to_ascii_lowercase();
        Ok(match lower.as_str() {
            "ready" => Goal::Ready,
            "failed" => Goal::Failed,
            "delete" | "deleted" => Goal::Deleted,
            "complete" | "completed" => Goal::Complete,
            "create" => Goal::Create,
            _ if lower.starts_with("jsonpath=") => return jsonpath_goal(&s["jsonpath=".len()..]),
            _ => {
                let Some(rest) = s.strip_prefix("condition=") else {
                    return Err(format!(
                        "unrecognized condition: {s:?} (use ready, failed, deleted, complete, create, condition=TYPE[=VALUE] or jsonpath='{{…}}'[=VALUE])"
                    ));
                };
                let (t, v) = rest.split_once('=').unwrap_or((rest, "true"));
                if t.is_empty() {
                    return Err("condition= needs a condition type, e.g. condition=Ready".into());
                }
                Goal::Condition {
                    type_: t.to_string(),
                    value: v.to_string(),
                }
            }
        })
    }
}

impl std::fmt::Display for Goal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Goal::Ready => f.write_str("ready"),
            Goal::Failed => f.write_str("failed"),
            Goal::Deleted => f.write_str("deleted"),
            Goal::Complete => f.write_str("complete"),
            Goal::Create => f.write_str("create"),
            Goal::Condition { type_, value } => write!(f, "condition={type_}={value}"),
            Goal::JsonPath { expr, value: None } => write!(f, "jsonpath={expr}"),
            Goal::JsonPath {
                expr,
                value: Some(v),
            } => write!(f, "jsonpath={expr}={v}"),
        }
    }
}

/// Where an object stands against the goal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Failed,
    Pending,
}

/// The state of one object as the engine sees it.
#[derive(Clone, Debug)]
pub struct Observed {
    pub verdict: Verdict,
    /// Short state word: Ready, Provisioning, Failed, Deleted, Complete, …
    pub state: String,
    pub reason: String,
    pub message: String,
    /// `status.lastOperation` or the like, for progress.
    pub operation: String,
}

/// Evaluate one object against the goal: [`crate::state::judge`] says where it stands, this says what
/// that means for the goal.
pub fn evaluate(kind: Kind, obj: &Value, opts: &WaitOptions) -> Observed {
    let st = judge(kind, obj);
    if opts.goal == Goal::Create {
        return observed(Verdict::Met, "Created", &st);
    }
    if let Goal::JsonPath { expr, value } = &opts.goal {
        let found = jsonpath_text(expr, obj);
        let met = match (&found, value) {
            (Some(f), Some(v)) => f == v,
            (Some(_), None) => true,
            (None, _) => false,
        };
        // The fail-fast judge still ends the wait on a failure.
        return if met {
            observed(Verdict::Met, "JsonPathMet", &st)
        } else if matches!(st.phase, Phase::Failed | Phase::DeletionFailed) {
            observed(Verdict::Failed, "Failed", &st)
        } else {
            let mut o = observed(Verdict::Pending, &st.word(), &st);
            if let Some(f) = found {
                o.message = format!("{expr} is {f:?}");
            }
            o
        };
    }
    if kind == Kind::Job {
        return evaluate_job(obj, opts, &st);
    }
    let mk = |verdict, state: &str| observed(verdict, state, &st);
    let word = st.word();
    let user_terminal = !st.reason.is_empty() && opts.fail_on.iter().any(|r| r == &st.reason);
    match &opts.goal {
        Goal::Deleted => match st.phase {
            Phase::DeletionFailed => mk(Verdict::Failed, "DeletionFailed"),
            _ if user_terminal => mk(Verdict::Failed, &st.reason),
            Phase::Deleting => mk(Verdict::Pending, "Deleting"),
            _ => mk(Verdict::Pending, "Exists"),
        },
        Goal::Failed => match st.phase {
            Phase::Failed | Phase::DeletionFailed => mk(Verdict::Met, "Failed"),
            Phase::Ready => mk(Verdict::Failed, "Ready"),
            _ => mk(Verdict::Pending, &word),
        },
        Goal::Condition { type_, value } if !type_.eq_ignore_ascii_case("ready") => {
            if condition_is(obj, type_, value) {
                condition_met(obj, type_, &st)
            } else if matches!(st.phase, Phase::Failed | Phase::DeletionFailed)
                && !type_.eq_ignore_ascii_case("failed")
            {
                mk(Verdict::Failed, "Failed")
            } else {
                mk(Verdict::Pending, &word)
            }
        }
        // Ready (also Complete and condition=Ready[=True]).
        _ => match st.phase {
            Phase::Failed | Phase::DeletionFailed => mk(Verdict::Failed, "Failed"),
            Phase::Ready => mk(Verdict::Met, "Ready"),
            _ if user_terminal => mk(Verdict::Failed, &st.reason),
            Phase::NotObserved | Phase::Deleting => mk(Verdict::Pending, "Pending"),
            _ => mk(Verdict::Pending, &word),
        },
    }
}

/// A Job against the goal: Complete is ready, a failure is terminal (unless `--deadline-ok` and the
/// deadline ended it).
fn evaluate_job(obj: &Value, opts: &WaitOptions, st: &State) -> Observed {
    let mk = |verdict, state: &str| observed(verdict, state, st);
    match (&opts.goal, st.phase) {
        (Goal::Ready | Goal::Complete, Phase::Ready) => mk(Verdict::Met, "Complete"),
        (Goal::Ready | Goal::Complete, Phase::Failed) => {
            if opts.deadline_ok && st.reason == "DeadlineExceeded" {
                mk(Verdict::Met, "DeadlineExceeded")
            } else {
                mk(Verdict::Failed, "Failed")
            }
        }
        (Goal::Failed, Phase::Failed) => mk(Verdict::Met, "Failed"),
        (Goal::Failed, Phase::Ready) => mk(Verdict::Failed, "Complete"),
        (Goal::Condition { type_, value }, _) if condition_is(obj, type_, value) => {
            condition_met(obj, type_, st)
        }
        _ => mk(Verdict::Pending, "Running"),
    }
}

/// The judge's reason, message and operation under the engine's verdict and state word.
fn observed(verdict: Verdict, state: &str, st: &State) -> Observed {
    Observed {
        verdict,
        state: state.to_string(),
        reason: st.reason.clone(),
        message: st.message.clone(),
        operation: st.operation.clone(),
    }
}

/// `condition=TYPE[=VALUE]` met: the condition's own reason and message.
fn condition_met(obj: &Value, type_: &str, st: &State) -> Observed {
    let c = condition(obj, type_);
    Observed {
        verdict: Verdict::Met,
        state: type_.to_string(),
        reason: text(c, "reason"),
        message: text(c, "message"),
        operation: st.operation.clone(),
    }
}

/// Nothing known yet: pending, in state `state`.
pub(super) fn pending(state: &str) -> Observed {
    Observed {
        verdict: Verdict::Pending,
        state: state.into(),
        reason: String::new(),
        message: String::new(),
        operation: String::new(),
    }
}

/// The object is gone: the goal when waiting for deletion, a failure otherwise.
pub(super) fn gone(goal: &Goal) -> Observed {
    if *goal == Goal::Deleted {
        Observed {
            verdict: Verdict::Met,
            ..pending("Deleted")
        }
    } else {
        Observed {
            verdict: Verdict::Failed,
            state: "Deleted".into(),
            reason: "Deleted".into(),
            message: "the object was deleted while waiting".into(),
            operation: String::new(),
        }
    }
}

/// Whether the verdicts so far end the wait: all met (or, with `any`, one), or one failed (or, with
/// `any`, all).
pub(super) fn over<'a>(verdicts: impl Iterator<Item = &'a Verdict>, any: bool) -> bool {
    let (mut met, mut failed, mut total) = (0, 0, 0);
    for v in verdicts {
        total += 1;
        match v {
            Verdict::Met => met += 1,
            Verdict::Failed => failed += 1,
            Verdict::Pending => {}
        }
    }
    if any {
        met > 0 || failed == total
    } else {
        failed > 0 || met == total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn opts(goal: Goal) -> WaitOptions {
        WaitOptions {
            goal,
            ..Default::default()
        }
    }

    /// Ready, with `reason` a terminal reason (`--fail-on`).
    fn ready_failing_on(reason: &str) -> WaitOptions {
        WaitOptions {
            fail_on: vec![reason.into()],
            ..opts(Goal::Ready)
        }
    }

    fn verdict(obj: &Value, o: &WaitOptions) -> Verdict {
        evaluate(Kind::ServiceInstance, obj, o).verdict
    }

    fn si(conds: Value, extra: Value) -> Value {
        let mut v = json!({"metadata": {"name": "x", "generation": 2}, "status": {"conditions": conds, "observedGeneration": 2}});
        if let (Some(s), Some(e)) = (v["status"].as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        v
    }

    #[test]
    fn all_or_any_decides_when_the_verdicts_end_the_wait() {
        use Verdict::{Failed, Met, Pending};
        assert!(!over([Met, Pending].iter(), false));
        assert!(over([Met, Met].iter(), false));
        assert!(over([Failed, Pending].iter(), false), "one failure ends it");
        assert!(over([Met, Pending].iter(), true), "any: one met is enough");
        assert!(!over([Failed, Pending].iter(), true));
        assert!(over([Failed, Failed].iter(), true), "any: all failed");
    }

    #[test]
    fn gone_is_the_goal_only_when_waiting_for_deletion() {
        assert_eq!(gone(&Goal::Deleted).verdict, Verdict::Met);
        let o = gone(&Goal::Ready);
        assert_eq!(
            (o.verdict, o.state.as_str(), o.reason.as_str()),
            (Verdict::Failed, "Deleted", "Deleted")
        );
    }

    #[test]
    fn jsonpath_goals_compare_what_kubectl_prints_and_failures_still_end_the_wait() {
        let goal = |s: &str| WaitOptions {
            goal: s.parse().expect("a goal"),
            ..Default::default()
        };
        let ready = si(
            json!([{"type": "Ready", "status": "True", "reason": "ProvisionedSuccessfully"}]),
            json!({"dashboardURL": "https://d"}),
        );
        for (g, want) in [
            (
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}=ProvisionedSuccessfully",
                Verdict::Met,
            ),
            ("jsonpath={.status.dashboardURL}", Verdict::Met),
            ("jsonpath=.status.dashboardURL=https://d", Verdict::Met),
            ("jsonpath={.status.nope}", Verdict::Pending),
            ("jsonpath={.status.dashboardURL}=x", Verdict::Pending),
        ] {
            assert_eq!(verdict(&ready, &goal(g)), want, "{g}");
        }
        let failed = si(
            json!([{"type": "Failed", "status": "True", "reason": "ProvisionCallFailed"}]),
            json!({}),
        );
        assert_eq!(
            verdict(&failed, &goal("jsonpath={.status.dashboardURL}")),
            Verdict::Failed
        );
        assert!("jsonpath={.status[}".parse::<Goal>().is_err());
        assert!("jsonpath=".parse::<Goal>().is_err());
    }

    #[test]
    fn the_goal_prints_as_it_is_parsed() {
        for s in [
            "ready",
            "failed",
            "deleted",
            "create",
            "jsonpath={.status.phase}=Running",
            "jsonpath={.status.dashboardURL}",
            "complete",
            "condition=Ready=False",
        ] {
            assert_eq!(s.parse::<Goal>().map(|g| g.to_string()), Ok(s.to_string()));
        }
        assert_eq!(
            "condition=Bound".parse::<Goal>().map(|g| g.to_string()),
            Ok("condition=Bound=true".to_string())
        );
    }

    #[test]
    fn goal_parsing() {
        assert_eq!("ready".parse::<Goal>(), Ok(Goal::Ready));
        assert_eq!("delete".parse::<Goal>(), Ok(Goal::Deleted));
        assert_eq!(
            "condition=Ready=false".parse::<Goal>(),
            Ok(Goal::Condition {
                type_: "Ready".into(),
                value: "false".into()
            })
        );
        assert!("bogus".parse::<Goal>().is_err());
    }

    #[test]
    fn failed_wins_over_waiting_for_ready() {
        let o = evaluate(
            Kind::ServiceInstance,
            &si(
                json!([{"type": "Ready", "status": "False", "reason": "ProvisionCallFailed"},
                       {"type": "Failed", "status": "True", "reason": "ProvisionCallFailed", "message": "boom"}]),
                json!({}),
            ),
            &opts(Goal::Ready),
        );
        assert_eq!(
            (o.verdict, o.reason.as_str(), o.message.as_str()),
            (Verdict::Failed, "ProvisionCallFailed", "boom")
        );
    }

    #[test]
    fn ready_needs_no_async_operation_and_the_current_generation() {
        let ready =
            json!([{"type": "Ready", "status": "True", "reason": "ProvisionedSuccessfully"}]);
        assert_eq!(
            evaluate(
                Kind::ServiceInstance,
                &si(ready.clone(), json!({})),
                &opts(Goal::Ready)
            )
            .verdict,
            Verdict::Met
        );
        let busy = si(ready.clone(), json!({"asyncOpInProgress": true}));
        assert_eq!(verdict(&busy, &opts(Goal::Ready)), Verdict::Pending);
        let stale = si(ready, json!({"observedGeneration": 1}));
        assert_eq!(verdict(&stale, &opts(Goal::Ready)), Verdict::Pending);
    }

    #[test]
    fn fail_on_makes_a_retrying_reason_terminal() {
        let obj = si(
            json!([{"type": "Ready", "status": "False", "reason": "ReferencesNonexistentServiceClass"}]),
            json!({}),
        );
        assert_eq!(verdict(&obj, &opts(Goal::Ready)), Verdict::Pending);
        let o = ready_failing_on("ReferencesNonexistentServiceClass");
        assert_eq!(verdict(&obj, &o), Verdict::Failed);
    }

    #[test]
    fn a_provision_retried_after_orphan_mitigation_reports_the_failure_s_reason() {
        // What v0.3.1 writes after an HTTP 500 to a provision (the Ready reason is overwritten).
        let obj = si(
            json!([{"type": "Ready", "status": "False", "reason": "StartingInstanceOrphanMitigation"},
                   {"type": "OrphanMitigation", "status": "True", "reason": "ProvisionCallFailed", "message": "Status: 500"}]),
            json!({"orphanMitigationInProgress": true}),
        );
        let o = evaluate(Kind::ServiceInstance, &obj, &opts(Goal::Ready));
        assert_eq!(
            (o.verdict, o.reason.as_str(), o.message.as_str()),
            (Verdict::Pending, "ProvisionCallFailed", "Status: 500")
        );
        let fatal = ready_failing_on("ProvisionCallFailed");
        assert_eq!(verdict(&obj, &fatal), Verdict::Failed);
    }

    #[test]
    fn a_failed_deprovision_ends_a_wait_for_deletion() {
        let mut obj = si(
            json!([{"type": "Ready", "status": "Unknown", "reason": "DeprovisionCallFailed"},
                   {"type": "Failed", "status": "True", "reason": "ErrorReconciliationRetryTimeout"}]),
            json!({"deprovisionStatus": "Failed"}),
        );
        assert_eq!(
            verdict(&obj, &opts(Goal::Deleted)),
            Verdict::Pending,
            "not being deleted yet"
        );
        obj["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        let o = evaluate(Kind::ServiceInstance, &obj, &opts(Goal::Deleted));
        assert_eq!(
            (o.verdict, o.reason.as_str()),
            (Verdict::Failed, "ErrorReconciliationRetryTimeout")
        );
    }

    #[test]
    fn deleting_an_instance_whose_provision_failed_is_not_a_failed_deletion() {
        let mut obj = si(
            json!([{"type": "Ready", "status": "False", "reason": "ProvisionCallFailed"},
                   {"type": "Failed", "status": "True", "reason": "ProvisionCallFailed"}]),
            json!({"deprovisionStatus": "Required"}),
        );
        obj["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        let o = evaluate(Kind::ServiceInstance, &obj, &opts(Goal::Deleted));
        assert_eq!(
            (o.verdict, o.state.as_str()),
            (Verdict::Pending, "Deleting")
        );
        obj["status"]["deprovisionStatus"] = json!("Failed");
        let o = evaluate(Kind::ServiceInstance, &obj, &opts(Goal::Deleted));
        assert_eq!(o.verdict, Verdict::Failed, "the deprovision itself failed");
    }

    #[test]
    fn any_failed_reason_of_a_create_or_update_leaves_a_deletion_under_way() {
        for (kind, reason) in [
            (Kind::ServiceInstance, "UpdateInstanceCallFailed"),
            (Kind::ServiceInstance, "ErrorPollingLastOperation"),
            (Kind::ServiceBinding, "BindCallFailed"),
            (Kind::ServiceBinding, "FetchingBindingFailed"),
            (Kind::ServiceBinding, "ErrorNonbindableServiceClass"),
        ] {
            let mut obj = si(
                json!([{"type": "Ready", "status": "False", "reason": reason},
                       {"type": "Failed", "status": "True", "reason": reason}]),
                json!({"deprovisionStatus": "Required", "unbindStatus": "Required"}),
            );
            obj["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
            let o = evaluate(kind, &obj, &opts(Goal::Deleted));
            assert_eq!(
                (o.verdict, o.state.as_str()),
                (Verdict::Pending, "Deleting"),
                "{reason}"
            );
        }
        // A Failed reason the controller does not write is taken as a failed deletion.
        let mut obj = si(
            json!([{"type": "Failed", "status": "True", "reason": "SomethingElse"}]),
            json!({}),
        );
        obj["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        assert_eq!(verdict(&obj, &opts(Goal::Deleted)), Verdict::Failed);
    }

    #[test]
    fn jobs_complete_fail_and_deadline() {
        let job = |t: &str, r: &str| json!({"status": {"conditions": [{"type": t, "status": "True", "reason": r}]}});
        let complete = |obj: &Value, o: &WaitOptions| evaluate(Kind::Job, obj, o).verdict;
        let done = job("Complete", "CompletionsReached");
        assert_eq!(complete(&done, &opts(Goal::Complete)), Verdict::Met);
        let failed = job("Failed", "BackoffLimitExceeded");
        assert_eq!(complete(&failed, &opts(Goal::Complete)), Verdict::Failed);
        let deadline = job("Failed", "DeadlineExceeded");
        assert_eq!(complete(&deadline, &opts(Goal::Complete)), Verdict::Failed);
        let ok = WaitOptions {
            deadline_ok: true,
            ..opts(Goal::Complete)
        };
        assert_eq!(complete(&deadline, &ok), Verdict::Met);
    }
}
