//! The wait engine: list + watch (one watch per resource type and namespace), evaluating every event
//! against the goal, so that a terminal failure ends the wait the moment it is written.
//!
//! * Terminal states win: waiting for `ready`, a `Failed=True` condition (a failed Job, a failed
//!   deprovision while waiting for `deleted`) ends the wait at once with exit 3 and its reason/message.
//! * Retrying states of the catalog (`ReferencesNonexistentServiceClass`, …) are reported as they happen;
//!   `fail_on` turns chosen reasons into terminal ones.
//! * `kube::runtime::watcher` resumes after a dropped or expired (410 Gone) watch and, with backoff,
//!   after the API server goes away and comes back; the timeout covers the whole wait.
//! * The engine ([`wait_with`]) never prints: it tells an [`Observer`] (progress and warnings;
//!   [`progress::Terminal`] draws a live block on a terminal's stderr) and returns [`Outcome`]s, which
//!   [`report`] prints kubectl's way (`<kind.group>/<name> condition met`) or as the JSON report whose
//!   fields are documented in `report.rs`.
//! * Where an object stands is [`crate::state::judge`]'s call, shared with describe, get and abandon.
//! * Events: one watch on Events per namespace of the waited objects (a field selector on the object's
//!   kind and name when there is one, else filtered here by uid): each new Warning is told once, with
//!   its count when it repeats; `fail_on` also takes event reasons, and `fail_after_retries` ends the
//!   wait after that many failed broker calls ([`crate::reasons::BROKER_CALL_FAILED`]). A user who may
//!   not watch events waits without them (unless `fail_after_retries` needs them: then it is an error).
//! * No controller: when an object is still not observed by any controller (no observedGeneration, no
//!   status, no event) after `controller_hint`, the wait says so once and goes on waiting.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::time::{Duration, Instant};

use futures::{StreamExt, stream};
use k8s_openapi::api::core::v1::Event as CoreEvent;
use kube::api::DynamicObject;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client};
use serde_json::Value;

use crate::catalog::{RETRYING_REASONS, explain_reason};
use crate::error::{Error, Result};
use crate::output::Format;
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
    /// Any condition `type_` with status `value` (case-insensitive).
    Condition { type_: String, value: String },
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
            _ => {
                let Some(rest) = s.strip_prefix("condition=") else {
                    return Err(format!(
                        "unrecognized condition: {s:?} (use ready, failed, deleted, complete or condition=TYPE[=VALUE])"
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

pub use crate::kinds::Kind;
pub use report::report;

pub mod progress;
mod report;

/// One object (or, with `selector`, every object matching it) to wait on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub kind: Kind,
    pub namespace: Option<String>,
    pub name: String,
}

/// Whether to draw the live progress block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Progress {
    /// On a terminal's stderr only.
    #[default]
    Auto,
    Never,
}

/// How to wait.
#[derive(Clone, Debug)]
pub struct WaitOptions {
    pub goal: Goal,
    /// The whole wait; `None` = no limit, zero = check once.
    pub timeout: Option<Duration>,
    /// Finish on the first object that reaches the goal.
    pub any: bool,
    /// Retrying reasons to treat as terminal.
    pub fail_on: Vec<String>,
    /// A Job failed with `DeadlineExceeded` counts as success.
    pub deadline_ok: bool,
    pub progress: Progress,
    /// End the wait as a failure once an object's events record this many failed broker calls (0: never).
    pub fail_after_retries: u32,
    /// Say once when no controller has processed an object after this long (`None` or zero: never).
    pub controller_hint: Option<Duration>,
    /// The label selector the targets were chosen by, if any: it narrows the watches (one watch per
    /// kind across all namespaces when the targets span several).
    pub selector: Option<String>,
    /// Objects per list request of the watches' initial lists (`--chunk-size`; 0 = one request).
    pub page_size: u32,
}

/// How long the wait gives a controller before it says none has processed an object.
pub const DEFAULT_CONTROLLER_HINT: Duration = Duration::from_secs(10);

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            goal: Goal::Ready,
            timeout: Some(Duration::from_secs(30 * 60)),
            any: false,
            fail_on: Vec::new(),
            deadline_ok: false,
            progress: Progress::Auto,
            fail_after_retries: 0,
            controller_hint: Some(DEFAULT_CONTROLLER_HINT),
            selector: None,
            page_size: crate::list::DEFAULT_CHUNK_SIZE,
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
/// that means for the goal (pure: unit-tested below).
pub fn evaluate(kind: Kind, obj: &Value, opts: &WaitOptions) -> Observed {
    let st = judge(kind, obj);
    let mk = |verdict, state: &str| Observed {
        verdict,
        state: state.to_string(),
        reason: st.reason.clone(),
        message: st.message.clone(),
        operation: st.operation.clone(),
    };
    let pending = |state: &str| mk(Verdict::Pending, state);
    let word = st.word();
    let user_terminal = !st.reason.is_empty() && opts.fail_on.iter().any(|r| r == &st.reason);

    if kind == Kind::Job {
        return match (&opts.goal, st.phase) {
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
                condition_met(obj, type_, &st)
            }
            _ => pending("Running"),
        };
    }
    match &opts.goal {
        Goal::Deleted => match st.phase {
            Phase::DeletionFailed => mk(Verdict::Failed, "DeletionFailed"),
            _ if user_terminal => mk(Verdict::Failed, &st.reason),
            Phase::Deleting => pending("Deleting"),
            _ => pending("Exists"),
        },
        Goal::Failed => match st.phase {
            Phase::Failed | Phase::DeletionFailed => mk(Verdict::Met, "Failed"),
            Phase::Ready => mk(Verdict::Failed, "Ready"),
            _ => pending(&word),
        },
        Goal::Condition { type_, value } if !type_.eq_ignore_ascii_case("ready") => {
            if condition_is(obj, type_, value) {
                condition_met(obj, type_, &st)
            } else if matches!(st.phase, Phase::Failed | Phase::DeletionFailed)
                && !type_.eq_ignore_ascii_case("failed")
            {
                mk(Verdict::Failed, "Failed")
            } else {
                pending(&word)
            }
        }
        // Ready (also Complete and condition=Ready[=True]).
        _ => match st.phase {
            Phase::Failed | Phase::DeletionFailed => mk(Verdict::Failed, "Failed"),
            Phase::Ready => mk(Verdict::Met, "Ready"),
            _ if user_terminal => mk(Verdict::Failed, &st.reason),
            Phase::NotObserved | Phase::Deleting => pending("Pending"),
            _ => pending(&word),
        },
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

/// The final word on one target.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub target: Target,
    pub observed: Observed,
    pub waited: Duration,
}

/// One target while the wait runs: what the engine has seen of it so far (observers read it).
pub struct Row {
    pub target: Target,
    pub observed: Observed,
    /// When it reached its final verdict, from the start of the wait.
    pub done: Option<Duration>,
    uid: Option<String>,
    seen: bool,
    warned_reason: String,
    /// The judge says no controller has observed its current generation.
    unobserved: bool,
    /// Any event (Normal or Warning) of this object was seen: something processes it.
    events_seen: bool,
    /// Event uid → the count already told (an event repeats by growing its count).
    event_counts: HashMap<String, i64>,
    /// Reasons already explained in a line (each is explained once).
    explained: HashSet<String>,
    /// Failed broker calls its events record.
    broker_failures: i64,
}

impl Row {
    fn new(target: Target) -> Self {
        Row {
            target,
            uid: None,
            seen: false,
            observed: pending("Pending"),
            done: None,
            warned_reason: String::new(),
            unobserved: false,
            events_seen: false,
            event_counts: HashMap::new(),
            explained: HashSet::new(),
            broker_failures: 0,
        }
    }

    /// `serviceinstance/db`, as the hint names it.
    fn short(&self) -> String {
        format!(
            "{}/{}",
            self.target.kind.name().to_ascii_lowercase(),
            self.target.name
        )
    }
}

/// The row an Event is about (by the involved object's kind, namespace and name), if any.
fn event_row(
    e: &CoreEvent,
    index: &HashMap<(Kind, Option<String>, String), usize>,
) -> Option<usize> {
    let o = &e.involved_object;
    let kind = Kind::ALL
        .into_iter()
        .find(|k| Some(k.name()) == o.kind.as_deref())?;
    let ns = if kind.namespaced() {
        o.namespace.clone()
    } else {
        None
    };
    index.get(&(kind, ns, o.name.clone()?)).copied()
}

/// What one Event of a row's object means: the lines to tell (a new Warning, once per occurrence), and
/// the end of the wait when its reason is in `fail_on` or the failed broker calls reach
/// `fail_after_retries`. The caller has checked that the event is about this object (its uid).
fn on_event(row: &mut Row, e: &CoreEvent, opts: &WaitOptions, start: Instant) -> Vec<String> {
    row.events_seen = true;
    if row.done.is_some() {
        return Vec::new();
    }
    let key = e
        .metadata
        .uid
        .clone()
        .or_else(|| e.metadata.name.clone())
        .unwrap_or_default();
    let n = crate::events::count(e);
    let before = row.event_counts.get(&key).copied().unwrap_or(0);
    if n <= before {
        return Vec::new();
    }
    row.event_counts.insert(key, n);
    if e.type_.as_deref() != Some("Warning") {
        return Vec::new();
    }
    let reason = e.reason.clone().unwrap_or_default();
    let message = e.message.clone().unwrap_or_default().trim().to_string();
    if crate::reasons::BROKER_CALL_FAILED.contains(&reason.as_str()) {
        row.broker_failures += n - before;
    }
    let mut notes = Vec::new();
    if n > 1 {
        notes.push(format!("x{n}"));
    }
    if row.target.kind != Kind::Job
        && row.explained.insert(reason.clone())
        && let Some(plain) = explain_reason(&reason)
    {
        notes.push(plain.to_string());
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    };
    let lines = vec![format!(
        "Warning: {}/{}: {reason}{notes}: {message}",
        row.target.kind.qualified(),
        row.target.name
    )];
    let limit = i64::from(opts.fail_after_retries);
    if !reason.is_empty() && opts.fail_on.contains(&reason) {
        row.observed = Observed {
            verdict: Verdict::Failed,
            state: reason.clone(),
            reason,
            message,
            operation: row.observed.operation.clone(),
        };
        row.done = Some(start.elapsed());
    } else if limit > 0 && row.broker_failures >= limit {
        row.observed = Observed {
            verdict: Verdict::Failed,
            state: "RetryLimit".into(),
            message: format!(
                "the broker failed {} calls (--fail-after-retries={limit}); the last: {message}",
                row.broker_failures
            ),
            reason,
            operation: row.observed.operation.clone(),
        };
        row.done = Some(start.elapsed());
    }
    lines
}

/// What the engine tells while it waits; it never prints itself. [`progress::Terminal`] draws a live
/// block on a terminal's stderr and prints warnings; tests and library callers can collect them.
pub trait Observer {
    /// A line that should stay (a retrying reason as it happens, a resumed watch).
    fn warning(&mut self, line: &str);
    /// The state of every target (called on each change and twice a second).
    fn progress(&mut self, _rows: &[Row], _elapsed: Duration) {}
    /// The wait is over: remove anything transient.
    fn finish(&mut self) {}
}

fn pending(state: &str) -> Observed {
    Observed {
        verdict: Verdict::Pending,
        state: state.into(),
        reason: String::new(),
        message: String::new(),
        operation: String::new(),
    }
}

/// The object is gone: the goal when waiting for deletion, a failure otherwise.
fn mark_gone(t: &mut Row, opts: &WaitOptions, start: Instant) {
    t.observed = if opts.goal == Goal::Deleted {
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
    };
    t.done = Some(start.elapsed());
}

/// A stream item: which group an event came from.
type Tagged = (
    usize,
    std::result::Result<watcher::Event<DynamicObject>, watcher::Error>,
);

/// An item of the Events watch.
type EventItem = std::result::Result<watcher::Event<CoreEvent>, watcher::Error>;

/// A 403 from a watcher (listing or watching is not allowed), if that is what `e` is.
fn forbidden(e: &watcher::Error) -> Option<&kube::core::Status> {
    match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s))
        | watcher::Error::WatchFailed(kube::Error::Api(s))
            if s.code == 403 =>
        {
            Some(s)
        }
        _ => None,
    }
}

/// Wait for `targets`, print the result to `out` and return the exit-code-carrying error, if any.
pub async fn run(
    client: &Client,
    targets: Vec<Target>,
    opts: &WaitOptions,
    out: &mut impl Write,
    format: Format,
) -> Result<()> {
    let outcomes = wait(client, targets, opts).await?;
    report(&outcomes, opts, out, format)
}

/// Wait and return one outcome per target (met, failed, or still pending at the timeout), with
/// progress and warnings on stderr ([`progress::Terminal`]).
pub async fn wait(
    client: &Client,
    targets: Vec<Target>,
    opts: &WaitOptions,
) -> Result<Vec<Outcome>> {
    wait_with(
        client,
        targets,
        opts,
        &mut progress::Terminal::new(opts.progress),
    )
    .await
}

/// The engine: wait and return one outcome per target, telling `observer` what happens.
pub async fn wait_with(
    client: &Client,
    targets: Vec<Target>,
    opts: &WaitOptions,
    observer: &mut dyn Observer,
) -> Result<Vec<Outcome>> {
    let start = Instant::now();
    if targets.is_empty() {
        return Err(Error::Input("no objects to wait for".into()));
    }
    // One watch per (kind, namespace); a single named object gets a field selector. A kind whose targets
    // span several namespaces gets one watch across all of them (key `(kind, None)`), narrowed by the
    // label selector the targets were chosen by: 10,000 instances in 100 namespaces are one watch.
    let mut namespaces: BTreeMap<Kind, BTreeSet<Option<String>>> = BTreeMap::new();
    for t in &targets {
        if t.kind.namespaced() {
            namespaces
                .entry(t.kind)
                .or_default()
                .insert(t.namespace.clone());
        }
    }
    let mut groups: BTreeMap<(Kind, Option<String>), Vec<String>> = BTreeMap::new();
    for t in &targets {
        let ns = if t.kind.namespaced() && namespaces.get(&t.kind).is_some_and(|s| s.len() == 1) {
            t.namespace.clone()
        } else {
            None
        };
        groups.entry((t.kind, ns)).or_default().push(t.name.clone());
    }
    let mut tracked: Vec<Row> = targets.iter().cloned().map(Row::new).collect();
    let index: HashMap<(Kind, Option<String>, String), usize> = tracked
        .iter()
        .enumerate()
        .map(|(i, t)| {
            (
                (
                    t.target.kind,
                    if t.target.kind.namespaced() {
                        t.target.namespace.clone()
                    } else {
                        None
                    },
                    t.target.name.clone(),
                ),
                i,
            )
        })
        .collect();
    let group_keys: Vec<(Kind, Option<String>)> = groups.keys().cloned().collect();
    let mut streams = Vec::new();
    for (gi, ((kind, ns), names)) in groups.iter().enumerate() {
        let ar = kind.resource();
        let api: Api<DynamicObject> = match ns {
            Some(ns) => Api::namespaced_with(client.clone(), ns, &ar),
            None => Api::all_with(client.clone(), &ar),
        };
        let mut cfg = watcher::Config {
            page_size: (opts.page_size > 0).then_some(opts.page_size),
            ..Default::default()
        };
        if names.len() == 1 {
            cfg = cfg.fields(&format!("metadata.name={}", names[0]));
        } else if let Some(sel) = &opts.selector {
            cfg = cfg.labels(sel);
        }
        let s = watcher(api, cfg).default_backoff().map(move |e| (gi, e));
        streams.push(s.boxed());
    }
    let mut events = stream::select_all(streams);
    let mut initialised = vec![false; group_keys.len()];
    let mut init_seen: Vec<std::collections::HashSet<usize>> =
        vec![Default::default(); group_keys.len()];
    let draw = observer;
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    let deadline = opts.timeout.map(|t| tokio::time::Instant::now() + t);
    let check_once = opts.timeout.is_some_and(|t| t.is_zero());

    // One Events watch per namespace of the targets (normally one), scoped by a field selector when it
    // serves a single object; not for a single look.
    let mut by_events_ns: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in tracked.iter().enumerate() {
        let ns = crate::events::namespace_of(t.target.kind, t.target.namespace.as_deref());
        by_events_ns.entry(ns).or_default().push(i);
    }
    let mut event_streams = Vec::new();
    if !check_once && by_events_ns.len() > 1 {
        // Targets in several namespaces: one Events watch across all of them, of their kind.
        let api: Api<CoreEvent> = Api::all(client.clone());
        let kinds: BTreeSet<Kind> = tracked.iter().map(|t| t.target.kind).collect();
        let mut cfg = watcher::Config::default();
        if let [only] = kinds.into_iter().collect::<Vec<_>>().as_slice() {
            cfg = cfg.fields(&format!("involvedObject.kind={}", only.name()));
        }
        event_streams.push(watcher(api, cfg).default_backoff().boxed());
    } else if !check_once {
        for (ns, rows) in &by_events_ns {
            let api: Api<CoreEvent> = Api::namespaced(client.clone(), ns);
            let mut cfg = watcher::Config::default();
            if let [only] = rows.as_slice() {
                let t = &tracked[*only].target;
                cfg = cfg.fields(&format!(
                    "involvedObject.kind={},involvedObject.name={}",
                    t.kind.name(),
                    t.name
                ));
            }
            event_streams.push(watcher(api, cfg).default_backoff().boxed());
        }
    }
    let mut event_watch = stream::select_all(event_streams);
    let mut events_on = !check_once;
    // Events whose object's uid is not known yet (they may be an older object's of the same name).
    let mut unplaced: Vec<(usize, CoreEvent)> = Vec::new();
    let hint = opts.controller_hint.filter(|d| !d.is_zero() && !check_once);
    let hint_at = hint.map(|d| tokio::time::Instant::now() + d);
    let mut hint_pending = hint_at.is_some();

    loop {
        let next: Option<Tagged> = tokio::select! {
            e = events.next() => e,
            ev = event_watch.next(), if events_on => {
                let Some(ev) = ev else { events_on = false; continue };
                let ev: EventItem = ev;
                let e = match ev {
                    Ok(watcher::Event::Apply(e) | watcher::Event::InitApply(e)) => e,
                    Ok(_) => continue,
                    Err(err) => {
                        if let Some(s) = forbidden(&err) {
                            if opts.fail_after_retries > 0 {
                                draw.finish();
                                return Err(Error::Kube(kube::Error::Api(Box::new(s.clone()))));
                            }
                            // Waiting goes on without live reports (the shipped roles may not grant events).
                            events_on = false;
                        }
                        continue;
                    }
                };
                let Some(i) = event_row(&e, &index) else { continue };
                match (&tracked[i].uid, &e.involved_object.uid) {
                    (Some(u), Some(eu)) if u != eu => continue,
                    (None, _) => {
                        unplaced.push((i, e));
                        continue;
                    }
                    _ => {}
                }
                for line in on_event(&mut tracked[i], &e, opts, start) {
                    draw.warning(&line);
                }
                if wait_over(&tracked, opts) {
                    break;
                }
                draw.progress(&tracked, start.elapsed());
                continue;
            }
            _ = async { match hint_at { Some(d) => tokio::time::sleep_until(d).await, None => std::future::pending().await } }, if hint_pending => {
                hint_pending = false;
                let after = crate::duration::human(hint.unwrap_or_default());
                for t in tracked.iter().filter(|t| {
                    t.done.is_none() && t.seen && t.unobserved && !t.events_seen && t.target.kind != Kind::Job
                }) {
                    draw.warning(&format!(
                        "Warning: no Service Catalog controller has processed {} in {after}; is the controller running?",
                        t.short()
                    ));
                }
                continue;
            }
            _ = tick.tick() => { draw.progress(&tracked, start.elapsed()); continue; }
            _ = async { match deadline { Some(d) => tokio::time::sleep_until(d).await, None => std::future::pending().await } }, if !check_once => {
                break;
            }
        };
        let Some((gi, event)) = next else { break };
        let (kind, ns) = &group_keys[gi];
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                // The watcher retries with backoff; a forbidden or unknown type will not get better.
                if let watcher::Error::InitialListFailed(kube::Error::Api(s)) = &e
                    && (s.code == 403 || s.code == 404)
                {
                    return Err(Error::Kube(kube::Error::Api(s.clone())));
                }
                // Allowed to list but not to watch (RBAC): no retry will change that.
                if let watcher::Error::WatchStartFailed(kube::Error::Api(s)) = &e
                    && s.code == 403
                {
                    draw.finish();
                    return Err(Error::Kube(kube::Error::Api(s.clone())));
                }
                draw.warning(&format!("watch interrupted ({e}); resuming"));
                continue;
            }
        };
        let apply = |obj: &DynamicObject, gone: bool, tracked: &mut Vec<Row>| -> Option<usize> {
            let name = obj.metadata.name.clone().unwrap_or_default();
            let obj_ns = if kind.namespaced() {
                obj.metadata.namespace.clone()
            } else {
                None
            };
            let &i = index.get(&(*kind, obj_ns, name))?;
            let t = &mut tracked[i];
            if t.done.is_some() {
                return Some(i);
            }
            let uid = obj.metadata.uid.clone();
            if t.uid.is_none() {
                t.uid = uid.clone();
            }
            t.seen = true;
            if gone || (opts.goal == Goal::Deleted && t.uid.is_some() && uid != t.uid) {
                mark_gone(t, opts, start);
                return Some(i);
            }
            let value = serde_json::to_value(obj).unwrap_or(Value::Null);
            t.unobserved = judge(t.target.kind, &value).phase == Phase::NotObserved;
            t.observed = evaluate(t.target.kind, &value, opts);
            if t.observed.verdict != Verdict::Pending {
                t.done = Some(start.elapsed());
            }
            Some(i)
        };
        let mut touched = None;
        match &event {
            watcher::Event::Init => init_seen[gi].clear(),
            watcher::Event::InitApply(o) => {
                touched = apply(o, false, &mut tracked);
                if let Some(i) = touched {
                    init_seen[gi].insert(i);
                }
            }
            watcher::Event::Apply(o) => {
                touched = apply(o, false, &mut tracked);
            }
            watcher::Event::Delete(o) => {
                touched = apply(o, true, &mut tracked);
            }
            watcher::Event::InitDone => {
                let first = !initialised[gi];
                initialised[gi] = true;
                // Targets of this group absent from the (re)list: gone, or (first list) not found.
                for (i, t) in tracked.iter_mut().enumerate() {
                    let t_ns = if t.target.kind.namespaced() {
                        t.target.namespace.clone()
                    } else {
                        None
                    };
                    // A group across all namespaces (`ns` None) covers every target of its kind.
                    if t.target.kind != *kind
                        || (ns.is_some() && &t_ns != ns)
                        || t.done.is_some()
                        || init_seen[gi].contains(&i)
                    {
                        continue;
                    }
                    if first && opts.goal != Goal::Deleted {
                        draw.finish();
                        return Err(kind.not_found(&t.target.name));
                    }
                    mark_gone(t, opts, start);
                }
            }
        }
        // Events that waited for their object's uid.
        if !unplaced.is_empty() {
            let mut still = Vec::new();
            for (i, e) in std::mem::take(&mut unplaced) {
                match (&tracked[i].uid, &e.involved_object.uid) {
                    (None, _) => still.push((i, e)),
                    (Some(u), Some(eu)) if u != eu => {}
                    _ => {
                        for line in on_event(&mut tracked[i], &e, opts, start) {
                            draw.warning(&line);
                        }
                    }
                }
            }
            unplaced = still;
        }
        // Retrying reasons are reported as they happen (once per reason change; not again when an event
        // already told it). Only the object this event touched can have a new reason (not every row per
        // event: a wait on 10,000 objects would spend its time here).
        if let Some(t) = touched
            .and_then(|i| tracked.get_mut(i))
            .filter(|t| t.done.is_none())
        {
            let r = &t.observed.reason;
            if !r.is_empty() && *r != t.warned_reason && RETRYING_REASONS.contains(&r.as_str()) {
                t.warned_reason = r.clone();
                if t.explained.insert(r.clone()) {
                    let plain = explain_reason(r)
                        .map(|p| format!(" ({p})"))
                        .unwrap_or_default();
                    draw.warning(&format!(
                        "Warning: {}/{}: {r}{plain}: {}",
                        t.target.kind.qualified(),
                        t.target.name,
                        t.observed.message
                    ));
                }
            }
        }
        let all_init = initialised.iter().all(|b| *b);
        let finished = wait_over(&tracked, opts);
        draw.progress(&tracked, start.elapsed());
        if finished || (check_once && all_init) {
            break;
        }
    }
    draw.finish();
    let mut outcomes: Vec<Outcome> = tracked
        .into_iter()
        .map(|t| Outcome {
            waited: t.done.unwrap_or_else(|| start.elapsed()),
            target: t.target,
            observed: t.observed,
        })
        .collect();
    for o in outcomes
        .iter_mut()
        .filter(|o| o.target.kind == Kind::Job && o.observed.verdict == Verdict::Failed)
    {
        let ns = o.target.namespace.clone().unwrap_or_default();
        if let Some(logs) = job_failure_logs(client, &ns, &o.target.name).await {
            o.observed.message.push_str(&logs);
        }
    }
    Ok(outcomes)
}

/// Whether the outcomes so far end the wait: all met (or, with `any`, one), or one failed (or, with
/// `any`, all).
fn wait_over(tracked: &[Row], opts: &WaitOptions) -> bool {
    let met = tracked
        .iter()
        .filter(|t| t.observed.verdict == Verdict::Met)
        .count();
    let failed = tracked
        .iter()
        .filter(|t| t.observed.verdict == Verdict::Failed)
        .count();
    if opts.any {
        met > 0 || failed == tracked.len()
    } else {
        failed > 0 || met == tracked.len()
    }
}

/// The last log lines of a failed Job's most recent failed pod, where the cluster can give them (a
/// cluster without kubelets, or a pod already gone, gives none: best effort, errors are ignored).
async fn job_failure_logs(client: &Client, namespace: &str, job: &str) -> Option<String> {
    use k8s_openapi::api::core::v1::Pod;
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let lp =
        kube::api::ListParams::default().labels(&format!("batch.kubernetes.io/job-name={job}"));
    let listing = crate::list::all(pods.clone(), lp, crate::list::DEFAULT_CHUNK_SIZE);
    let mut failed: Vec<Pod> = tokio::time::timeout(Duration::from_secs(5), listing)
        .await
        .ok()?
        .ok()?
        .into_iter()
        .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Failed"))
        .collect();
    failed.sort_by_key(|p| p.metadata.creation_timestamp.clone());
    let pod = failed.pop()?;
    let name = pod.metadata.name.clone()?;
    let lp = kube::api::LogParams {
        tail_lines: Some(10),
        ..Default::default()
    };
    let logs = tokio::time::timeout(Duration::from_secs(5), pods.logs(&name, &lp))
        .await
        .ok()?
        .ok()?;
    let logs = logs.trim_end();
    (!logs.is_empty()).then(|| format!("\nlast log lines of pod/{name}:\n{logs}"))
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

    fn si(conds: Value, extra: Value) -> Value {
        let mut v = json!({"metadata": {"name": "x", "generation": 2}, "status": {"conditions": conds, "observedGeneration": 2}});
        if let (Some(s), Some(e)) = (v["status"].as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        v
    }

    fn warning(uid: &str, reason: &str, count: i32, message: &str) -> CoreEvent {
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

    fn row() -> Row {
        Row::new(Target {
            kind: Kind::ServiceInstance,
            namespace: Some("dev".into()),
            name: "db".into(),
        })
    }

    #[test]
    fn each_warning_is_told_once_with_its_count_and_explained_once() {
        let (mut r, o, t0) = (row(), opts(Goal::Ready), Instant::now());
        let first = on_event(
            &mut r,
            &warning("e1", "ProvisionCallFailed", 1, "Status: 500"),
            &o,
            t0,
        );
        assert_eq!(first.len(), 1);
        assert!(
            first[0].starts_with(
                "Warning: serviceinstance.servicecatalog.k8s.io/db: ProvisionCallFailed (the broker refused"
            ),
            "{first:?}"
        );
        assert!(first[0].ends_with("): Status: 500"), "{first:?}");
        // The same event again (a resync): nothing. Its count grows: told again, with the count.
        assert!(
            on_event(
                &mut r,
                &warning("e1", "ProvisionCallFailed", 1, "Status: 500"),
                &o,
                t0
            )
            .is_empty()
        );
        let again = on_event(
            &mut r,
            &warning("e1", "ProvisionCallFailed", 3, "Status: 500"),
            &o,
            t0,
        );
        assert_eq!(
            again,
            [
                "Warning: serviceinstance.servicecatalog.k8s.io/db: ProvisionCallFailed (x3): Status: 500"
            ]
        );
        assert_eq!(r.broker_failures, 3);
        assert!(r.events_seen && r.done.is_none());
        // Normal events say someone processes the object, and are not told.
        let mut normal = warning("e2", "Provisioning", 1, "polling");
        normal.type_ = Some("Normal".into());
        assert!(on_event(&mut row(), &normal, &o, t0).is_empty());
        // An unknown reason is not explained (never guessed).
        let odd = on_event(&mut r, &warning("e3", "SomethingNew", 1, "m"), &o, t0);
        assert_eq!(
            odd,
            ["Warning: serviceinstance.servicecatalog.k8s.io/db: SomethingNew: m"]
        );
    }

    #[test]
    fn failed_broker_calls_and_event_reasons_end_the_wait_when_asked() {
        let t0 = Instant::now();
        let limited = WaitOptions {
            fail_after_retries: 2,
            ..opts(Goal::Ready)
        };
        let mut r = row();
        on_event(
            &mut r,
            &warning("a", "ProvisionCallFailed", 1, "Status: 500"),
            &limited,
            t0,
        );
        on_event(
            &mut r,
            &warning("b", "RetryBackoff", 4, "Delaying"),
            &limited,
            t0,
        );
        assert!(r.done.is_none(), "RetryBackoff is no broker call");
        on_event(
            &mut r,
            &warning("a", "ProvisionCallFailed", 2, "Status: 500"),
            &limited,
            t0,
        );
        assert!(r.done.is_some());
        assert_eq!(
            (r.observed.verdict.clone(), r.observed.reason.as_str()),
            (Verdict::Failed, "ProvisionCallFailed")
        );
        assert!(
            r.observed
                .message
                .starts_with("the broker failed 2 calls (--fail-after-retries=2)"),
            "{}",
            r.observed.message
        );
        let on_reason = WaitOptions {
            fail_on: vec!["StartingInstanceOrphanMitigation".into()],
            ..opts(Goal::Ready)
        };
        let mut r = row();
        on_event(
            &mut r,
            &warning("c", "StartingInstanceOrphanMitigation", 1, "m"),
            &on_reason,
            t0,
        );
        assert_eq!(r.observed.verdict, Verdict::Failed);
        assert_eq!(r.observed.reason, "StartingInstanceOrphanMitigation");
    }

    #[test]
    fn events_find_their_row_by_kind_namespace_and_name() {
        let mut index = HashMap::new();
        index.insert(
            (Kind::ServiceInstance, Some("dev".into()), "db".to_string()),
            0,
        );
        index.insert((Kind::ClusterServiceBroker, None, "b".to_string()), 1);
        let mut e = warning("x", "R", 1, "m");
        e.involved_object = k8s_openapi::api::core::v1::ObjectReference {
            kind: Some("ServiceInstance".into()),
            namespace: Some("dev".into()),
            name: Some("db".into()),
            ..Default::default()
        };
        assert_eq!(event_row(&e, &index), Some(0));
        e.involved_object.namespace = Some("prod".into());
        assert_eq!(event_row(&e, &index), None);
        e.involved_object.kind = Some("ClusterServiceBroker".into());
        e.involved_object.name = Some("b".into());
        e.involved_object.namespace = None;
        assert_eq!(event_row(&e, &index), Some(1));
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
        assert_eq!(
            evaluate(Kind::ServiceInstance, &busy, &opts(Goal::Ready)).verdict,
            Verdict::Pending
        );
        let stale = si(ready, json!({"observedGeneration": 1}));
        assert_eq!(
            evaluate(Kind::ServiceInstance, &stale, &opts(Goal::Ready)).verdict,
            Verdict::Pending
        );
    }

    #[test]
    fn fail_on_makes_a_retrying_reason_terminal() {
        let obj = si(
            json!([{"type": "Ready", "status": "False", "reason": "ReferencesNonexistentServiceClass"}]),
            json!({}),
        );
        assert_eq!(
            evaluate(Kind::ServiceInstance, &obj, &opts(Goal::Ready)).verdict,
            Verdict::Pending
        );
        let o = WaitOptions {
            fail_on: vec!["ReferencesNonexistentServiceClass".into()],
            ..opts(Goal::Ready)
        };
        assert_eq!(
            evaluate(Kind::ServiceInstance, &obj, &o).verdict,
            Verdict::Failed
        );
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
        let fatal = WaitOptions {
            fail_on: vec!["ProvisionCallFailed".into()],
            ..opts(Goal::Ready)
        };
        assert_eq!(
            evaluate(Kind::ServiceInstance, &obj, &fatal).verdict,
            Verdict::Failed
        );
    }

    #[test]
    fn a_failed_deprovision_ends_a_wait_for_deletion() {
        let mut obj = si(
            json!([{"type": "Ready", "status": "Unknown", "reason": "DeprovisionCallFailed"},
                   {"type": "Failed", "status": "True", "reason": "ErrorReconciliationRetryTimeout"}]),
            json!({"deprovisionStatus": "Failed"}),
        );
        assert_eq!(
            evaluate(Kind::ServiceInstance, &obj, &opts(Goal::Deleted)).verdict,
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
        assert_eq!(
            evaluate(Kind::ServiceInstance, &obj, &opts(Goal::Deleted)).verdict,
            Verdict::Failed
        );
    }

    #[test]
    fn jobs_complete_fail_and_deadline() {
        let job = |t: &str, r: &str| json!({"status": {"conditions": [{"type": t, "status": "True", "reason": r}]}});
        assert_eq!(
            evaluate(
                Kind::Job,
                &job("Complete", "CompletionsReached"),
                &opts(Goal::Complete)
            )
            .verdict,
            Verdict::Met
        );
        assert_eq!(
            evaluate(
                Kind::Job,
                &job("Failed", "BackoffLimitExceeded"),
                &opts(Goal::Complete)
            )
            .verdict,
            Verdict::Failed
        );
        let deadline = job("Failed", "DeadlineExceeded");
        assert_eq!(
            evaluate(Kind::Job, &deadline, &opts(Goal::Complete)).verdict,
            Verdict::Failed
        );
        let ok = WaitOptions {
            deadline_ok: true,
            ..opts(Goal::Complete)
        };
        assert_eq!(evaluate(Kind::Job, &deadline, &ok).verdict, Verdict::Met);
    }
}
