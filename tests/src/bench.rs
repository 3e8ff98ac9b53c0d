//! What the benchmark drivers (`src/bin/bench-*.rs`) share: the machine and tool facts they print,
//! percentiles, and request counts from the API server's audit log.

use std::collections::{BTreeMap, HashSet};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::cluster::ControlPlane;

/// The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// `kubectl version --client`'s git version.
pub fn kubectl_version() -> String {
    Command::new("kubectl")
        .args(["version", "--client", "-o", "json"])
        .output()
        .ok()
        .and_then(|o| serde_json::from_slice::<Value>(&o.stdout).ok())
        .and_then(|v| {
            v.pointer("/clientVersion/gitVersion")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Milliseconds, rounded: `12 ms`.
pub fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// The `p`th percentile of sorted durations (nearest rank).
pub fn pct(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() * p).div_ceil(100))
        .saturating_sub(1)
        .min(sorted.len() - 1);
    sorted[idx]
}

/// Lines in the control plane's audit log so far (a mark to count from).
pub fn audit_lines(cp: &ControlPlane) -> usize {
    std::fs::read_to_string(cp.dir.join("audit.log"))
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

/// Requests by `user` since the mark `from_line`, by verb (distinct audit IDs).
pub fn audit_requests(cp: &ControlPlane, from_line: usize, user: &str) -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(cp.dir.join("audit.log")).unwrap_or_default();
    let mut seen = HashSet::new();
    let mut by_verb = BTreeMap::new();
    for e in text
        .lines()
        .skip(from_line)
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
    {
        if e.pointer("/user/username").and_then(Value::as_str) != Some(user) {
            continue;
        }
        let id = e.get("auditID").and_then(Value::as_str).unwrap_or_default();
        if seen.insert(id.to_string()) {
            let verb = e.get("verb").and_then(Value::as_str).unwrap_or("?");
            *by_verb.entry(verb.to_string()).or_insert(0) += 1;
        }
    }
    by_verb
}
