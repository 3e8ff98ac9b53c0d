//! The Events of one object (core/v1, as the Service Catalog controller and the job controller record
//! them): read for `describe`'s Events section, and the words the wait engine uses when one arrives
//! live ([`crate::wait`] watches them, scoped to the waited objects).
//!
//! The recorders aggregate repeats into one Event whose `count` grows (`series.count` for events.k8s.io
//! recorders); [`count`] reads either. A cluster-scoped object's events live in the `default` namespace.
//! Reading events is best effort: a user who may not list them sees the rest of `describe` and a wait
//! without live reports (see [`of_object`]), never an error.

use std::time::Duration;

use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, ListParams};

use crate::error::Result;
use crate::kinds::Kind;

/// The namespace holding the events of an object of `kind` in `namespace` (client-go records the events
/// of a cluster-scoped object in `default`).
pub fn namespace_of(kind: Kind, namespace: Option<&str>) -> String {
    match (kind.namespaced(), namespace) {
        (true, Some(ns)) => ns.to_string(),
        _ => "default".to_string(),
    }
}

/// How many times the event happened (at least 1).
pub fn count(e: &Event) -> i64 {
    let series = e.series.as_ref().and_then(|s| s.count).unwrap_or(0);
    i64::from(e.count.unwrap_or(0))
        .max(i64::from(series))
        .max(1)
}

/// When it last happened, as RFC 3339 (lastTimestamp, series.lastObservedTime, eventTime, firstTimestamp,
/// creationTimestamp: the first one set).
pub fn last_time(e: &Event) -> Option<String> {
    e.last_timestamp
        .as_ref()
        .map(|t| t.0.to_string())
        .or_else(|| {
            e.series
                .as_ref()
                .and_then(|s| s.last_observed_time.as_ref())
                .map(|t| t.0.to_string())
        })
        .or_else(|| e.event_time.as_ref().map(|t| t.0.to_string()))
        .or_else(|| first_time(e))
}

/// When it first happened, as RFC 3339.
pub fn first_time(e: &Event) -> Option<String> {
    e.first_timestamp
        .as_ref()
        .map(|t| t.0.to_string())
        .or_else(|| e.event_time.as_ref().map(|t| t.0.to_string()))
        .or_else(|| {
            e.metadata
                .creation_timestamp
                .as_ref()
                .map(|t| t.0.to_string())
        })
}

/// Who recorded it (`service-catalog-controller-manager`, `job-controller`).
pub fn source(e: &Event) -> String {
    e.source
        .as_ref()
        .and_then(|s| s.component.clone())
        .filter(|c| !c.is_empty())
        .or_else(|| e.reporting_component.clone())
        .unwrap_or_default()
}

/// kubectl describe's AGE of an event: `3m`, or `3m (x5 over 10m)` when it repeated.
pub fn age(e: &Event) -> String {
    let last = crate::output::age(last_time(e).as_deref());
    let n = count(e);
    if n > 1 {
        format!(
            "{last} (x{n} over {})",
            crate::output::age(first_time(e).as_deref())
        )
    } else {
        last
    }
}

/// The events of one object, oldest first (by last occurrence); `None` when the user may not list events
/// (RBAC) — the caller then leaves them out.
pub async fn of_object(
    client: &kube::Client,
    kind: Kind,
    namespace: Option<&str>,
    name: &str,
    uid: Option<&str>,
) -> Result<Option<Vec<Event>>> {
    let api: Api<Event> = Api::namespaced(client.clone(), &namespace_of(kind, namespace));
    let mut fields = format!(
        "involvedObject.kind={},involvedObject.name={name}",
        kind.name()
    );
    if let Some(uid) = uid {
        fields.push_str(&format!(",involvedObject.uid={uid}"));
    }
    let lp = ListParams::default().fields(&fields);
    let list = match crate::list::all(api, lp, crate::list::DEFAULT_CHUNK_SIZE).await {
        Ok(l) => l,
        Err(crate::error::Error::Kube(kube::Error::Api(s))) if s.code == 403 => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut items = list;
    items.sort_by_key(|e| {
        last_time(e)
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .unwrap_or_default()
    });
    Ok(Some(items))
}

/// The Events section of `describe`, as `kubectl describe` prints it (type, reason, age with the count,
/// from, message), followed by the plain words of each reason shown, or an honest "unknown".
pub fn section(events: Option<&[Event]>) -> String {
    let Some(events) = events else {
        return "Events:             <not shown: you may not list events in this namespace>\n"
            .into();
    };
    if events.is_empty() {
        return "Events:             <none>\n".into();
    }
    let rows = events
        .iter()
        .map(|e| {
            vec![
                e.type_.clone().unwrap_or_default(),
                e.reason.clone().unwrap_or_default(),
                age(e),
                source(e),
                e.message.clone().unwrap_or_default().trim().to_string(),
            ]
        })
        .collect();
    let table = crate::output::table(&["type", "reason", "age", "from", "message"], rows);
    let mut s = String::from("Events:\n");
    for l in table.lines() {
        s.push_str("  ");
        s.push_str(l);
        s.push('\n');
    }
    s
}

/// The reasons of `events`, each once, in order.
pub fn reasons(events: &[Event]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in events.iter().filter_map(|e| e.reason.clone()) {
        if !r.is_empty() && !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// When the catalog will retry, from the latest `RetryBackoff` event ("Delaying provision retry, next
/// attempt will be after 2026-11-29 03:01:50.1 +0000 UTC m=+…"): `in 42s (03:01:50 UTC)`; `None` when
/// there is none or that time has passed.
pub fn next_attempt(events: &[Event]) -> Option<String> {
    let e = events
        .iter()
        .rfind(|e| e.reason.as_deref() == Some("RetryBackoff"))?;
    let msg = e.message.as_deref()?;
    let after = msg.split("next attempt will be after ").nth(1)?.trim();
    let when = parse_go_time(after)?;
    let now = jiff::Timestamp::now();
    let secs = when.duration_since(now).as_secs();
    if secs < 0 {
        return None;
    }
    let clock = when.strftime("%H:%M:%S UTC").to_string();
    Some(format!(
        "in {} ({clock})",
        crate::duration::human(Duration::from_secs(secs as u64))
    ))
}

/// Go's `time.Time.String()`: `2026-11-29 03:01:50.123456789 +0000 UTC m=+12.3`.
fn parse_go_time(s: &str) -> Option<jiff::Timestamp> {
    let mut words = s.split_whitespace();
    let (date, time, offset) = (words.next()?, words.next()?, words.next()?);
    let text = format!("{date} {time} {offset}");
    jiff::fmt::strtime::parse("%Y-%m-%d %H:%M:%S%.f %z", &text)
        .ok()?
        .to_timestamp()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    fn event(reason: &str, count: i32, first_ago: i64, last_ago: i64, message: &str) -> Event {
        let now = jiff::Timestamp::now();
        let ago = |s: i64| Time(now - jiff::SignedDuration::from_secs(s));
        Event {
            type_: Some("Warning".into()),
            reason: Some(reason.into()),
            message: Some(message.into()),
            count: Some(count),
            first_timestamp: Some(ago(first_ago)),
            last_timestamp: Some(ago(last_ago)),
            source: Some(k8s_openapi::api::core::v1::EventSource {
                component: Some("service-catalog-controller-manager".into()),
                host: None,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn ages_carry_the_count_as_kubectl_describe_does() {
        let e = event("ProvisionCallFailed", 5, 600, 180, "Status: 500");
        assert_eq!(age(&e), "3m0s (x5 over 10m)");
        assert_eq!(count(&e), 5);
        let once = event("ProvisionCallFailed", 1, 45, 45, "x");
        assert_eq!(age(&once), "45s");
        let s = section(Some(&[e, once]));
        assert!(s.starts_with("Events:\n  TYPE "), "{s}");
        assert!(
            s.contains("Warning   ProvisionCallFailed   3m0s (x5 over 10m)   service-catalog-controller-manager   Status: 500"),
            "{s}"
        );
        assert_eq!(section(Some(&[])), "Events:             <none>\n");
        assert!(section(None).contains("may not list events"));
    }

    #[test]
    fn the_next_attempt_is_read_from_the_retry_backoff_event() {
        let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(90);
        let go = format!(
            "{} +0000 UTC m=+1234.5",
            soon.strftime("%Y-%m-%d %H:%M:%S%.f")
        );
        let ev = event(
            "RetryBackoff",
            1,
            1,
            1,
            &format!("Delaying provision retry, next attempt will be after {go}"),
        );
        let next = next_attempt(&[ev]).expect("a future attempt");
        assert!(
            next.starts_with("in 1m") || next.starts_with("in 89s"),
            "{next}"
        );
        assert!(next.ends_with(" UTC)"), "{next}");
        let past = event(
            "RetryBackoff",
            1,
            1,
            1,
            "Delaying provision retry, next attempt will be after 2020-01-01 00:00:00 +0000 UTC",
        );
        assert_eq!(next_attempt(&[past]), None);
        assert_eq!(parse_go_time("not a time"), None);
    }
}
