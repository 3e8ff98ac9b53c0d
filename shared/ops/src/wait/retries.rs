//! Retry accounting: what the Events of one object have told so far. An event repeats by growing its
//! count, so each occurrence is counted once; Warnings whose reason is a failed broker call
//! ([`crate::reasons::BROKER_CALL_FAILED`]) add up to the failed calls that `--fail-after-retries`
//! limits, and `--fail-on` also takes event reasons. Only what happened after the wait began counts
//! (the event's last time, else its first, against the wait's start, to the second the API records):
//! older occurrences are told as context and end nothing. An event first seen with its first time before
//! the start and its last time after it counts once (its earlier repeats are not the wait's).
//! Pure: unit-tested below.

use std::collections::HashMap;

use k8s_openapi::api::core::v1::Event as CoreEvent;

use super::{Observed, Verdict, WaitOptions};

/// The Events of one object seen so far.
#[derive(Debug, Default)]
pub(super) struct EventLog {
    /// When the wait began (whole seconds, as events record time); `None`: everything counts.
    since: Option<jiff::Timestamp>,
    /// Event uid → the count already recorded.
    counts: HashMap<String, i64>,
    /// Failed broker calls its events record since the wait began.
    failed_calls: i64,
}

/// A Warning that happened (again): its reason, message (trimmed) and count so far.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Occurrence {
    pub reason: String,
    pub message: String,
    pub count: i64,
    /// It happened before the wait began: context, not counted.
    pub earlier: bool,
}

/// An event's first and last time (`firstTimestamp`/`lastTimestamp`, else `eventTime` and the series').
fn times(e: &CoreEvent) -> (Option<jiff::Timestamp>, Option<jiff::Timestamp>) {
    let first = e
        .first_timestamp
        .as_ref()
        .map(|t| t.0)
        .or(e.event_time.as_ref().map(|t| t.0));
    let last = e
        .last_timestamp
        .as_ref()
        .map(|t| t.0)
        .or(e
            .series
            .as_ref()
            .and_then(|s| s.last_observed_time.as_ref().map(|t| t.0)))
        .or(first);
    (first, last)
}

impl EventLog {
    /// A log that counts only what happens from `since` (the wait's start) on.
    pub fn since(since: jiff::Timestamp) -> Self {
        let whole = since.as_second();
        EventLog {
            since: jiff::Timestamp::from_second(whole).ok(),
            ..Default::default()
        }
    }

    /// Record an event: a Warning seen for the first time, or whose count grew, is an [`Occurrence`];
    /// anything else (a resync of the same count, a Normal event) is not.
    pub fn record(&mut self, e: &CoreEvent) -> Option<Occurrence> {
        let key = e
            .metadata
            .uid
            .clone()
            .or_else(|| e.metadata.name.clone())
            .unwrap_or_default();
        let count = crate::events::count(e);
        let before = self.counts.get(&key).copied().unwrap_or(0);
        if count <= before {
            return None;
        }
        self.counts.insert(key, count);
        if e.type_.as_deref() != Some("Warning") {
            return None;
        }
        let (first, last) = times(e);
        let before_start = |t: Option<jiff::Timestamp>| match (t, self.since) {
            (Some(t), Some(since)) => t < since,
            _ => false,
        };
        let earlier = before_start(last);
        // New to us with its first time before the start: only its latest occurrence is the wait's.
        let new = if earlier {
            0
        } else if before == 0 && before_start(first) {
            1
        } else {
            count - before
        };
        let reason = e.reason.clone().unwrap_or_default();
        if crate::reasons::BROKER_CALL_FAILED.contains(&reason.as_str()) {
            self.failed_calls += new;
        }
        Some(Occurrence {
            reason,
            message: e.message.clone().unwrap_or_default().trim().to_string(),
            count,
            earlier,
        })
    }

    /// Failed broker calls recorded so far.
    pub fn failed_calls(&self) -> i64 {
        self.failed_calls
    }

    /// Whether the occurrence `o` ends the wait: its reason is in `fail_on`, or the failed broker calls
    /// reach `fail_after_retries`. `operation` is the object's last known one (kept in the outcome).
    pub fn stop(&self, o: &Occurrence, opts: &WaitOptions, operation: &str) -> Option<Observed> {
        let limit = i64::from(opts.fail_after_retries);
        if o.earlier {
            None
        } else if !o.reason.is_empty() && opts.fail_on.contains(&o.reason) {
            Some(Observed {
                verdict: Verdict::Failed,
                state: o.reason.clone(),
                reason: o.reason.clone(),
                message: o.message.clone(),
                operation: operation.to_string(),
            })
        } else if limit > 0 && self.failed_calls >= limit {
            Some(Observed {
                verdict: Verdict::Failed,
                state: "RetryLimit".into(),
                reason: o.reason.clone(),
                message: format!(
                    "the broker failed {} calls (--fail-after-retries={limit}); the last: {}",
                    self.failed_calls, o.message
                ),
                operation: operation.to_string(),
            })
        } else {
            None
        }
    }
}

#[cfg(test)]
pub(super) fn warning(uid: &str, reason: &str, count: i32, message: &str) -> CoreEvent {
    CoreEvent {
        metadata: kube::api::ObjectMeta {
            uid: Some(uid.into()),
            ..Default::default()
        },
        type_: Some("Warning".into()),
        reason: Some(reason.into()),
        message: Some(message.into()),
        count: Some(count),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occurrence(reason: &str, count: i64, message: &str) -> Occurrence {
        Occurrence {
            reason: reason.into(),
            message: message.into(),
            count,
            earlier: false,
        }
    }

    fn at(mut e: CoreEvent, first: &str, last: &str) -> CoreEvent {
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
        e.first_timestamp = Some(Time(first.parse().expect("a time")));
        e.last_timestamp = Some(Time(last.parse().expect("a time")));
        e
    }

    #[test]
    fn only_what_happens_after_the_wait_began_counts() {
        let start: jiff::Timestamp = "2026-01-01T12:00:00.700Z".parse().expect("a time");
        let limited = WaitOptions {
            fail_after_retries: 2,
            fail_on: vec!["ProvisionCallFailed".into()],
            ..Default::default()
        };
        let mut log = EventLog::since(start);
        // Five failed calls, all before the wait: told as context, counted as none, ending nothing.
        let old = warning("a", "ProvisionCallFailed", 5, "Status: 500");
        let o = log
            .record(&at(old, "2026-01-01T11:50:00Z", "2026-01-01T11:59:59Z"))
            .expect("told");
        assert!(o.earlier);
        assert_eq!(log.failed_calls(), 0);
        assert!(log.stop(&o, &limited, "").is_none());
        // The same event happens again during the wait: one call, and --fail-on now applies.
        let again = warning("a", "ProvisionCallFailed", 6, "Status: 500");
        let o = log
            .record(&at(again, "2026-01-01T11:50:00Z", "2026-01-01T12:00:03Z"))
            .expect("told");
        assert!(!o.earlier);
        assert_eq!(log.failed_calls(), 1);
        assert!(log.stop(&o, &limited, "").is_some());
        // First seen during the wait, begun before it: its latest occurrence only. In the start's
        // second counts as during the wait (events record whole seconds).
        let mut log = EventLog::since(start);
        let spans = warning("b", "ProvisionCallFailed", 4, "Status: 500");
        log.record(&at(spans, "2026-01-01T11:58:00Z", "2026-01-01T12:00:00Z"));
        assert_eq!(log.failed_calls(), 1);
        let fresh = warning("c", "ProvisionCallFailed", 2, "Status: 500");
        log.record(&at(fresh, "2026-01-01T12:00:01Z", "2026-01-01T12:00:02Z"));
        assert_eq!(log.failed_calls(), 3);
    }

    #[test]
    fn each_occurrence_is_recorded_once() {
        let mut log = EventLog::default();
        let e = warning("e1", "ProvisionCallFailed", 1, " Status: 500\n");
        assert_eq!(
            log.record(&e),
            Some(occurrence("ProvisionCallFailed", 1, "Status: 500"))
        );
        assert_eq!(log.record(&e), None, "a resync of the same count");
        assert_eq!(
            log.record(&warning("e1", "ProvisionCallFailed", 3, "Status: 500")),
            Some(occurrence("ProvisionCallFailed", 3, "Status: 500"))
        );
        assert_eq!(log.failed_calls(), 3);
        // A Normal event is counted (never told again) but is no occurrence.
        let mut normal = warning("e2", "Provisioning", 1, "polling");
        normal.type_ = Some("Normal".into());
        assert_eq!(log.record(&normal), None);
        // A Warning that is not a failed broker call counts no call.
        assert!(
            log.record(&warning("e3", "RetryBackoff", 4, "Delaying"))
                .is_some()
        );
        assert_eq!(log.failed_calls(), 3);
    }

    #[test]
    fn failed_broker_calls_and_event_reasons_end_the_wait_when_asked() {
        let limited = WaitOptions {
            fail_after_retries: 2,
            ..Default::default()
        };
        let mut log = EventLog::default();
        let first = log
            .record(&warning("a", "ProvisionCallFailed", 1, "Status: 500"))
            .expect("told");
        assert!(log.stop(&first, &limited, "").is_none());
        let backoff = log
            .record(&warning("b", "RetryBackoff", 4, "Delaying"))
            .expect("told");
        assert!(log.stop(&backoff, &limited, "").is_none(), "no broker call");
        let second = log
            .record(&warning("a", "ProvisionCallFailed", 2, "Status: 500"))
            .expect("told");
        let o = log.stop(&second, &limited, "Provision").expect("the limit");
        assert_eq!(
            (o.verdict, o.state.as_str(), o.reason.as_str()),
            (Verdict::Failed, "RetryLimit", "ProvisionCallFailed")
        );
        assert_eq!(
            o.message,
            "the broker failed 2 calls (--fail-after-retries=2); the last: Status: 500"
        );
        assert_eq!(o.operation, "Provision");
        assert!(
            log.stop(&second, &WaitOptions::default(), "").is_none(),
            "0: never"
        );

        let on_reason = WaitOptions {
            fail_on: vec!["StartingInstanceOrphanMitigation".into()],
            ..Default::default()
        };
        let o = EventLog::default()
            .stop(
                &occurrence("StartingInstanceOrphanMitigation", 1, "m"),
                &on_reason,
                "",
            )
            .expect("a --fail-on reason");
        assert_eq!(
            (o.verdict, o.state.as_str(), o.message.as_str()),
            (Verdict::Failed, "StartingInstanceOrphanMitigation", "m")
        );
    }
}
