//! The wait's words: the lines told while it runs ([`Prose`], from the engine's facts), and its result:
//! kubectl's `condition met` lines (or names), or the JSON report, and the exit code.
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

use std::collections::HashSet;
use std::io::Write;

use serde_json::{Value, json};

use super::{Fact, Kind, Outcome, Target, Verdict, WaitOptions};
use crate::error::{Error, Result};
use crate::output::Format;
use crate::reasons::explain as explain_reason;

/// The lines a running wait tells (on stderr), from the engine's [`Fact`]s: Warning events and retrying
/// reasons, the controller hint, a resumed watch. Each reason is explained in plain words
/// ([`explain_reason`]) once per object, and a retrying reason already told (by an event or before) is
/// not told again.
#[derive(Debug, Default)]
pub struct Prose {
    explained: HashSet<(Target, String)>,
}

impl Prose {
    /// The line to print for `fact`, if it is told.
    pub fn line(&mut self, fact: &Fact<'_>) -> Option<String> {
        match *fact {
            Fact::Warning {
                target,
                reason,
                message,
                count,
                earlier,
                ..
            } => Some(self.warning(target, reason, message, count, earlier)),
            Fact::Retrying {
                target,
                reason,
                message,
            } => self.retrying(target, reason, message),
            Fact::NoController { target, after } => Some(format!(
                "Warning: no Service Catalog controller has processed {}/{} in {}; is the controller running?",
                target.kind.name().to_ascii_lowercase(),
                target.name,
                crate::duration::human(after)
            )),
            Fact::WatchResumed { error } => Some(format!("watch interrupted ({error}); resuming")),
            Fact::Met { .. } | Fact::Failed { .. } | Fact::Progress { .. } => None,
        }
    }

    /// Whether `reason` is new for `target` (then it is explained now).
    fn first(&mut self, target: &Target, reason: &str) -> bool {
        self.explained.insert((target.clone(), reason.to_string()))
    }

    /// `Warning: KIND.GROUP/NAME: REASON (xCOUNT; plain words): MESSAGE`.
    fn warning(
        &mut self,
        target: &Target,
        reason: &str,
        message: &str,
        count: i64,
        earlier: bool,
    ) -> String {
        let mut notes = Vec::new();
        if count > 1 {
            notes.push(format!("x{count}"));
        }
        if earlier {
            notes.push("before this wait".to_string());
        }
        if target.kind != Kind::Job
            && self.first(target, reason)
            && let Some(plain) = explain_reason(reason)
        {
            notes.push(plain.to_string());
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        format!(
            "Warning: {}/{}: {reason}{notes}: {message}",
            target.kind.qualified(),
            target.name
        )
    }

    fn retrying(&mut self, target: &Target, reason: &str, message: &str) -> Option<String> {
        if !self.first(target, reason) {
            return None;
        }
        let plain = explain_reason(reason)
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        Some(format!(
            "Warning: {}/{}: {reason}{plain}: {message}",
            target.kind.qualified(),
            target.name
        ))
    }
}

/// Print outcomes and turn them into the exit code: 3 for a terminal failure, 4 for a timeout.
pub fn report(
    outcomes: &[Outcome],
    opts: &WaitOptions,
    out: &mut impl Write,
    format: Format,
) -> Result<()> {
    if format == Format::Json {
        let items: Vec<Value> = outcomes.iter().map(json_item).collect();
        out.write_all(
            crate::output::json_string(&json!({"goal": opts.goal.to_string(), "results": items}))
                .as_bytes(),
        )?;
    } else {
        for o in outcomes
            .iter()
            .filter(|o| o.observed.verdict == Verdict::Met)
        {
            let object = format!("{}/{}", o.target.kind.qualified(), o.target.name);
            if format == Format::Name {
                writeln!(out, "{object}")?;
            } else {
                writeln!(out, "{object} condition met")?;
            }
        }
    }
    out.flush()?;
    if opts.any && outcomes.iter().any(|o| o.observed.verdict == Verdict::Met) {
        return Ok(());
    }
    verdict(outcomes)
}

/// One result of the JSON report.
fn json_item(o: &Outcome) -> Value {
    let (result, state) = match o.observed.verdict {
        Verdict::Met => ("met", o.observed.state.as_str()),
        Verdict::Failed => ("failed", o.observed.state.as_str()),
        Verdict::Pending => ("timeout", "TimedOut"),
    };
    json!({
        "object": format!("{}/{}", o.target.kind.qualified(), o.target.name),
        "namespace": o.target.namespace,
        "result": result,
        "state": state,
        "reason": o.observed.reason,
        "message": o.observed.message,
        "seconds": (o.waited.as_secs_f64() * 1000.0).round() / 1000.0,
    })
}

/// The error that carries the exit code: every terminal failure (3), else every timeout (4).
fn verdict(outcomes: &[Outcome]) -> Result<()> {
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
    use crate::wait::{Goal, Observed};

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

    fn db() -> Target {
        Target {
            kind: Kind::ServiceInstance,
            namespace: Some("dev".into()),
            name: "db".into(),
        }
    }

    fn warning<'a>(target: &'a Target, reason: &'a str, count: i64, message: &'a str) -> Fact<'a> {
        Fact::Warning {
            target,
            reason,
            message,
            count,
            earlier: false,
            failed_calls: 0,
        }
    }

    #[test]
    fn each_warning_is_told_with_its_count_and_each_reason_explained_once() {
        let (mut prose, db) = (Prose::default(), db());
        let first = prose
            .line(&warning(&db, "ProvisionCallFailed", 1, "Status: 500"))
            .expect("told");
        assert!(
            first.starts_with(
                "Warning: serviceinstance.servicecatalog.k8s.io/db: ProvisionCallFailed (the broker refused"
            ),
            "{first}"
        );
        assert!(first.ends_with("): Status: 500"), "{first}");
        assert_eq!(
            prose.line(&warning(&db, "ProvisionCallFailed", 3, "Status: 500")),
            Some(
                "Warning: serviceinstance.servicecatalog.k8s.io/db: ProvisionCallFailed (x3): Status: 500"
                    .into()
            )
        );
        // An unknown reason is not explained (never guessed).
        assert_eq!(
            prose.line(&warning(&db, "SomethingNew", 1, "m")),
            Some("Warning: serviceinstance.servicecatalog.k8s.io/db: SomethingNew: m".into())
        );
        // Another object's first time is explained again.
        let other = Target {
            name: "other".into(),
            ..db.clone()
        };
        assert!(
            prose
                .line(&warning(&other, "ProvisionCallFailed", 1, "m"))
                .is_some_and(|l| l.contains("(the broker refused"))
        );
    }

    #[test]
    fn a_retrying_reason_is_told_once_and_not_after_its_event() {
        let (mut prose, db) = (Prose::default(), db());
        let retrying = |reason| Fact::Retrying {
            target: &db,
            reason,
            message: "no class",
        };
        let line = prose
            .line(&retrying("ReferencesNonexistentServiceClass"))
            .expect("told");
        assert!(
            line.starts_with(
                "Warning: serviceinstance.servicecatalog.k8s.io/db: ReferencesNonexistentServiceClass ("
            ) && line.ends_with("): no class"),
            "{line}"
        );
        assert_eq!(
            prose.line(&retrying("ReferencesNonexistentServiceClass")),
            None
        );
        prose.line(&warning(&db, "ProvisionCallFailed", 1, "Status: 500"));
        assert_eq!(
            prose.line(&retrying("ProvisionCallFailed")),
            None,
            "its event told it"
        );
    }

    #[test]
    fn the_hint_and_a_resumed_watch_in_words() {
        let mut prose = Prose::default();
        let db = db();
        assert_eq!(
            prose.line(&Fact::NoController {
                target: &db,
                after: Duration::from_secs(3)
            }),
            Some(
                "Warning: no Service Catalog controller has processed serviceinstance/db in 3s; \
                 is the controller running?"
                    .into()
            )
        );
        let error = kube::runtime::watcher::Error::NoResourceVersion;
        assert_eq!(
            prose.line(&Fact::WatchResumed { error: &error }),
            Some(format!("watch interrupted ({error}); resuming"))
        );
        let o = outcome(Verdict::Met, "Ready");
        let quiet = [
            Fact::Met {
                target: &o.target,
                observed: &o.observed,
            },
            Fact::Failed {
                target: &o.target,
                observed: &o.observed,
            },
            Fact::Progress {
                rows: &[],
                elapsed: Duration::ZERO,
            },
        ];
        assert!(quiet.iter().all(|f| prose.line(f).is_none()));
    }
}
