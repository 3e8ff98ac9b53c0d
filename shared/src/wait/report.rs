//! The wait's result: kubectl's `condition met` lines (or names), or the JSON report, and the exit code.
//!
//! The JSON report (`kubectl osb wait -o json`) is a contract:
//!
//! ```json
//! {
//!     "goal": "ready",
//!     "results": [
//!         {
//!             "object": "serviceinstance.servicecatalog.k8s.io/db",
//!             "namespace": "dev",
//!             "result": "met",
//!             "state": "Ready",
//!             "reason": "ProvisionedSuccessfully",
//!             "message": "The instance was provisioned successfully",
//!             "seconds": 12.345
//!         }
//!     ]
//! }
//! ```
//!
//! * `goal`: `ready`, `failed`, `deleted`, `complete`, or `condition=TYPE=VALUE`;
//! * `result`: `met`, `failed` (a terminal failure, exit 3) or `timeout` (exit 4);
//! * `state`: the engine's word (`Ready`, `Failed`, `Deleted`, `DeletionFailed`, `Complete`, a reason…;
//!   `TimedOut` when the result is `timeout`); `reason`/`message` from the condition behind it;
//!   `namespace` is `null` for cluster-scoped objects; `seconds` from the start of the wait.

use std::io::Write;

use serde_json::{Value, json};

use super::{Goal, Outcome, Verdict, WaitOptions};
use crate::catalog::explain_reason;
use crate::error::{Error, Result};
use crate::output::Format;

impl std::fmt::Display for Goal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Goal::Ready => f.write_str("ready"),
            Goal::Failed => f.write_str("failed"),
            Goal::Deleted => f.write_str("deleted"),
            Goal::Complete => f.write_str("complete"),
            Goal::Condition { type_, value } => write!(f, "condition={type_}={value}"),
        }
    }
}

/// Print outcomes and turn them into the exit code: 3 for a terminal failure, 4 for a timeout.
pub fn report(
    outcomes: &[Outcome],
    opts: &WaitOptions,
    out: &mut impl Write,
    format: Format,
) -> Result<()> {
    let any_met = outcomes.iter().any(|o| o.observed.verdict == Verdict::Met);
    if format == Format::Json {
        let items: Vec<Value> = outcomes
            .iter()
            .map(|o| {
                let state = match o.observed.verdict {
                    Verdict::Met => o.observed.state.clone(),
                    Verdict::Failed => o.observed.state.clone(),
                    Verdict::Pending => "TimedOut".into(),
                };
                json!({
                    "object": format!("{}/{}", o.target.kind.qualified(), o.target.name),
                    "namespace": o.target.namespace,
                    "result": match o.observed.verdict { Verdict::Met => "met", Verdict::Failed => "failed", Verdict::Pending => "timeout" },
                    "state": state,
                    "reason": o.observed.reason,
                    "message": o.observed.message,
                    "seconds": (o.waited.as_secs_f64() * 1000.0).round() / 1000.0,
                })
            })
            .collect();
        out.write_all(
            crate::output::json_string(&json!({"goal": opts.goal.to_string(), "results": items}))
                .as_bytes(),
        )?;
    } else {
        for o in outcomes
            .iter()
            .filter(|o| o.observed.verdict == Verdict::Met)
        {
            if format == Format::Name {
                writeln!(out, "{}/{}", o.target.kind.qualified(), o.target.name)?;
            } else {
                writeln!(
                    out,
                    "{}/{} condition met",
                    o.target.kind.qualified(),
                    o.target.name
                )?;
            }
        }
    }
    out.flush()?;
    if opts.any && any_met {
        return Ok(());
    }
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| o.observed.verdict == Verdict::Failed)
        .map(|o| {
            let plain = explain_reason(&o.observed.reason)
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            format!(
                "{}/{} failed: {}{plain}: {}",
                o.target.kind.qualified(),
                o.target.name,
                o.observed.reason,
                o.observed.message
            )
        })
        .collect();
    if !failures.is_empty() {
        return Err(Error::Terminal(failures.join("\nerror: ")));
    }
    let pending: Vec<String> = outcomes
        .iter()
        .filter(|o| o.observed.verdict == Verdict::Pending)
        .map(|o| {
            let last = if o.observed.reason.is_empty() {
                String::new()
            } else {
                format!(
                    " (last state: {}: {})",
                    o.observed.reason, o.observed.message
                )
            };
            format!(
                "timed out waiting for the condition on {}/{}{last}",
                o.target.kind.plural(),
                o.target.name
            )
        })
        .collect();
    if !pending.is_empty() {
        return Err(Error::Timeout(pending.join("\nerror: ")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::wait::{Kind, Observed, Target};

    fn outcome(verdict: Verdict, state: &str) -> Outcome {
        Outcome {
            target: Target {
                kind: Kind::ServiceInstance,
                namespace: Some("dev".into()),
                name: "db".into(),
            },
            observed: Observed {
                verdict,
                state: state.into(),
                reason: "ProvisionedSuccessfully".into(),
                message: "done".into(),
                operation: String::new(),
            },
            waited: Duration::from_millis(1500),
        }
    }

    #[test]
    fn the_json_report_keeps_its_documented_shape() {
        for (goal, word) in [
            (Goal::Ready, "ready"),
            (Goal::Deleted, "deleted"),
            (
                Goal::Condition {
                    type_: "Ready".into(),
                    value: "False".into(),
                },
                "condition=Ready=False",
            ),
        ] {
            let opts = WaitOptions {
                goal,
                ..Default::default()
            };
            let mut out = Vec::new();
            report(
                &[outcome(Verdict::Met, "Ready")],
                &opts,
                &mut out,
                Format::Json,
            )
            .expect("met");
            let v: Value = serde_json::from_slice(&out).expect("one JSON document");
            assert_eq!(v["goal"], word);
            let r = &v["results"][0];
            assert_eq!(r["object"], "serviceinstance.servicecatalog.k8s.io/db");
            assert_eq!(r["namespace"], "dev");
            assert_eq!(r["result"], "met");
            assert_eq!(r["state"], "Ready");
            assert_eq!(r["reason"], "ProvisionedSuccessfully");
            assert_eq!(r["seconds"], 1.5);
        }
        let mut out = Vec::new();
        let e = report(
            &[outcome(Verdict::Pending, "Provisioning")],
            &WaitOptions::default(),
            &mut out,
            Format::Json,
        )
        .expect_err("timeout");
        assert_eq!(e.exit(), crate::Exit::Timeout);
        let v: Value = serde_json::from_slice(&out).expect("one JSON document");
        assert_eq!(v["results"][0]["result"], "timeout");
        assert_eq!(v["results"][0]["state"], "TimedOut");
    }
}
