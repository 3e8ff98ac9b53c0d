//! The engine: the state of one wait and its loop. It applies what the watches see ([`super::watch`])
//! to the targets, judges objects against the goal ([`super::goal`]), counts failed broker calls
//! ([`super::retries`]) and tells each change to the observer as a typed [`Fact`]; it never prints.
//!
//! * Terminal states win: the first terminal verdict ends the wait (unless `--any`).
//! * A target absent from its watch's first list is not found (an error), unless waiting for deletion;
//!   absent from a later relist, it is gone.
//! * An Event is matched to its object by uid: one whose object has not been seen yet waits until it is
//!   (it may be an older object's of the same name).
//! * The timeout covers everything; zero means one look (the first lists, no Events, no hint).
//! * A selection (`wait -l`, `--all`) has no targets at first: the objects of its watches' first lists
//!   are the targets (listed once; objects created later are not waited on, as with `kubectl wait -l`),
//!   and Events that come before the lists are complete are held until then.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::BoxStream;
use k8s_openapi::api::core::v1::Event as CoreEvent;
use kube::api::DynamicObject;
use kube::runtime::watcher;
use serde_json::Value;

use super::goal::{self, Goal, Observed, Verdict};
use super::observe::{Fact, Finishing};
use super::retries::EventLog;
use super::watch::{self, EventItem, Group, Index, Tagged};
use super::{Kind, Outcome, Row, Target, WaitOptions};
use crate::error::Result;
use crate::reasons::RETRYING;
use crate::state::{Phase, judge};

/// What the engine keeps of one target besides its [`Row`].
#[derive(Default)]
struct Track {
    /// The uid of the object seen first (a new object of the same name is another one).
    uid: Option<String>,
    /// The object was seen in a list or a watch.
    seen: bool,
    /// The judge says no controller has observed its current generation.
    unobserved: bool,
    /// Any event (Normal or Warning) of this object was seen: something processes it.
    events_seen: bool,
    /// The retrying reason last told.
    retrying: String,
    log: EventLog,
}

/// One object watch while the wait runs.
struct Watch {
    group: Group,
    /// Its first list is complete.
    listed: bool,
    /// Targets seen in its current (re)list.
    listing: HashSet<usize>,
}

/// Whether the wait goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flow {
    Go,
    Done,
}

/// Where an Event belongs, by its object's uid.
enum Place {
    /// The target's object.
    Here,
    /// Another object of the same name.
    Other,
    /// Not known yet: the target's object has not been seen.
    Unknown,
}

fn place(uid: &Option<String>, e: &CoreEvent) -> Place {
    match (uid, &e.involved_object.uid) {
        (Some(u), Some(eu)) if u != eu => Place::Other,
        (None, _) => Place::Unknown,
        _ => Place::Here,
    }
}

/// A single look (`--timeout=0`).
pub(super) fn check_once(opts: &WaitOptions) -> bool {
    opts.timeout.is_some_and(|t| t.is_zero())
}

pub(super) struct Engine<'a> {
    opts: &'a WaitOptions,
    start: Instant,
    /// The wall-clock start, for Events (see [`super::retries`]).
    since: jiff::Timestamp,
    rows: Vec<Row>,
    track: Vec<Track>,
    index: Index,
    watches: Vec<Watch>,
    /// Events whose object's uid is not known yet.
    unplaced: Vec<(usize, CoreEvent)>,
    /// The targets are what the watches first list (a selection).
    selecting: bool,
    /// A selection's Events that came before its lists were complete.
    early: Vec<CoreEvent>,
    display: Finishing<'a>,
}

impl<'a> Engine<'a> {
    /// A wait for `targets`, served by the watches `groups` (see [`watch::plan`]).
    pub fn new(
        targets: Vec<Target>,
        groups: Vec<Group>,
        opts: &'a WaitOptions,
        display: Finishing<'a>,
    ) -> Self {
        let since = jiff::Timestamp::now();
        Engine {
            opts,
            start: Instant::now(),
            index: Index::new(&targets),
            // Events count from now on (older ones are context): see [`super::retries`].
            since,
            track: targets
                .iter()
                .map(|_| Track {
                    log: EventLog::since(since),
                    ..Track::default()
                })
                .collect(),
            rows: targets.into_iter().map(Row::new).collect(),
            watches: groups
                .into_iter()
                .map(|group| Watch {
                    group,
                    listed: false,
                    listing: HashSet::new(),
                })
                .collect(),
            unplaced: Vec::new(),
            selecting: false,
            early: Vec::new(),
            display,
        }
    }

    /// A wait for what the watches first list (`groups` from [`watch::plan_selection`]).
    pub fn selection(groups: Vec<Group>, opts: &'a WaitOptions, display: Finishing<'a>) -> Self {
        Engine {
            selecting: true,
            ..Engine::new(Vec::new(), groups, opts, display)
        }
    }

    /// Every watch has its first list.
    fn all_listed(&self) -> bool {
        self.watches.iter().all(|w| w.listed)
    }

    /// An object of watch `gi` the selection did not know: a target while its first list runs.
    fn select(&mut self, gi: usize, obj: &DynamicObject) -> Option<usize> {
        let w = &self.watches[gi];
        if !self.selecting || w.listed {
            return None;
        }
        let kind = w.group.kind;
        let target = Target {
            kind,
            namespace: if kind.namespaced() {
                obj.metadata.namespace.clone()
            } else {
                None
            },
            name: obj.metadata.name.clone()?,
        };
        let i = self.rows.len();
        self.index.insert(&target, i);
        self.rows.push(Row::new(target));
        self.track.push(Track {
            log: EventLog::since(self.since),
            ..Track::default()
        });
        Some(i)
    }

    /// The wait is over: finish the display, and one outcome per target.
    pub fn outcomes(self) -> Vec<Outcome> {
        let Engine {
            rows,
            mut display,
            start,
            ..
        } = self;
        display.finish();
        rows.into_iter()
            .map(|r| Outcome {
                waited: r.done.unwrap_or_else(|| start.elapsed()),
                target: r.target,
                observed: r.observed,
            })
            .collect()
    }

    /// An item of the object watches (`gi`: which one).
    pub fn on_object(
        &mut self,
        gi: usize,
        item: std::result::Result<watcher::Event<DynamicObject>, watcher::Error>,
    ) -> Result<Flow> {
        let event = match item {
            Ok(event) => event,
            Err(e) => {
                if let Some(fatal) = watch::fatal(&e) {
                    return Err(fatal);
                }
                self.display.tell(&Fact::WatchResumed { error: &e });
                return Ok(Flow::Go);
            }
        };
        let touched = self.apply_watch_event(gi, event)?;
        self.place_waiting_events();
        if let Some(i) = touched {
            self.check_retrying(i);
        }
        let finished = self.over();
        self.snapshot();
        let all_listed = self.watches.iter().all(|w| w.listed);
        Ok(if finished || (check_once(self.opts) && all_listed) {
            Flow::Done
        } else {
            Flow::Go
        })
    }

    /// Apply one watch event; the target it touched, if any.
    fn apply_watch_event(
        &mut self,
        gi: usize,
        event: watcher::Event<DynamicObject>,
    ) -> Result<Option<usize>> {
        Ok(match event {
            watcher::Event::Init => {
                self.watches[gi].listing.clear();
                None
            }
            watcher::Event::InitApply(o) => {
                let touched = self.apply(gi, &o, false);
                if let Some(i) = touched {
                    self.watches[gi].listing.insert(i);
                }
                touched
            }
            watcher::Event::Apply(o) => self.apply(gi, &o, false),
            watcher::Event::Delete(o) => self.apply(gi, &o, true),
            watcher::Event::InitDone => {
                self.listed(gi)?;
                None
            }
        })
    }

    /// An object of watch `gi` is there (or `gone`): where it stands against the goal.
    fn apply(&mut self, gi: usize, obj: &DynamicObject, gone: bool) -> Option<usize> {
        let kind = self.watches[gi].group.kind;
        let i = match self.index.object(kind, obj) {
            Some(i) => i,
            None => self.select(gi, obj)?,
        };
        if self.rows[i].done.is_some() {
            return Some(i);
        }
        let uid = obj.metadata.uid.clone();
        let t = &mut self.track[i];
        if t.uid.is_none() {
            t.uid = uid.clone();
        }
        t.seen = true;
        let replaced = self.opts.goal == Goal::Deleted && t.uid.is_some() && uid != t.uid;
        if gone || replaced {
            self.settle(i, goal::gone(&self.opts.goal));
            return Some(i);
        }
        let value = serde_json::to_value(obj).unwrap_or(Value::Null);
        t.unobserved = judge(kind, &value).phase == Phase::NotObserved;
        let observed = goal::evaluate(kind, &value, self.opts);
        if observed.verdict == Verdict::Pending {
            self.rows[i].observed = observed;
        } else {
            self.settle(i, observed);
        }
        Some(i)
    }

    /// Watch `gi` has listed everything: its targets absent from the (re)list are gone, or, on the
    /// first list, not found (unless waiting for deletion).
    fn listed(&mut self, gi: usize) -> Result<()> {
        let first = !std::mem::replace(&mut self.watches[gi].listed, true);
        if first && self.selecting && self.all_listed() {
            for e in std::mem::take(&mut self.early) {
                self.on_event(e);
            }
        }
        let w = &self.watches[gi];
        let absent: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let row = &self.rows[i];
                w.group.covers(&row.target) && row.done.is_none() && !w.listing.contains(&i)
            })
            .collect();
        for i in absent {
            if self.opts.goal == Goal::Create {
                continue; // not there yet: its creation is what the wait is for
            }
            if first && self.opts.goal != Goal::Deleted {
                let t = &self.rows[i].target;
                return Err(t.kind.not_found(&t.name));
            }
            self.settle(i, goal::gone(&self.opts.goal));
        }
        Ok(())
    }

    /// An Event: recorded when it is about a target's object.
    pub fn on_event(&mut self, e: CoreEvent) -> Flow {
        let Some(i) = self.index.event(&e) else {
            if self.selecting && !self.all_listed() {
                self.early.push(e);
            }
            return Flow::Go;
        };
        match place(&self.track[i].uid, &e) {
            Place::Other => return Flow::Go,
            Place::Unknown => {
                self.unplaced.push((i, e));
                return Flow::Go;
            }
            Place::Here => {}
        }
        self.record(i, &e);
        if self.over() {
            return Flow::Done;
        }
        self.snapshot();
        Flow::Go
    }

    /// Events that waited for their object's uid.
    fn place_waiting_events(&mut self) {
        for (i, e) in std::mem::take(&mut self.unplaced) {
            match place(&self.track[i].uid, &e) {
                Place::Unknown => self.unplaced.push((i, e)),
                Place::Other => {}
                Place::Here => self.record(i, &e),
            }
        }
    }

    /// An Event of target `i`'s object: a Warning that happened (again) is told, and may end the wait.
    fn record(&mut self, i: usize, e: &CoreEvent) {
        let t = &mut self.track[i];
        t.events_seen = true;
        let row = &self.rows[i];
        if row.done.is_some() {
            return;
        }
        let Some(o) = t.log.record(e) else {
            return;
        };
        self.display.tell(&Fact::Warning {
            target: &row.target,
            reason: &o.reason,
            message: &o.message,
            count: o.count,
            earlier: o.earlier,
            failed_calls: t.log.failed_calls(),
        });
        if let Some(stop) = t.log.stop(&o, self.opts, &row.observed.operation) {
            self.settle(i, stop);
        }
    }

    /// Target `i`'s object changed: a retrying reason it went into is told (once per change of reason).
    /// Only the object a watch event touched can have a new reason (not every target per event: a wait
    /// on 10,000 objects would spend its time here).
    fn check_retrying(&mut self, i: usize) {
        let row = &self.rows[i];
        let r = &row.observed.reason;
        if row.done.is_some()
            || r.is_empty()
            || *r == self.track[i].retrying
            || !RETRYING.contains(&r.as_str())
        {
            return;
        }
        self.track[i].retrying = r.clone();
        self.display.tell(&Fact::Retrying {
            target: &row.target,
            reason: r,
            message: &row.observed.message,
        });
    }

    /// The controller hint is due: told for every target whose object no controller has processed.
    pub fn hint_due(&mut self, after: Duration) {
        for (row, t) in self.rows.iter().zip(&self.track) {
            if row.done.is_none()
                && t.seen
                && t.unobserved
                && !t.events_seen
                && row.target.kind != Kind::Job
            {
                self.display.tell(&Fact::NoController {
                    target: &row.target,
                    after,
                });
            }
        }
    }

    /// Target `i` has its final verdict.
    fn settle(&mut self, i: usize, observed: Observed) {
        let row = &mut self.rows[i];
        row.observed = observed;
        row.done = Some(self.start.elapsed());
        let (target, observed) = (&row.target, &row.observed);
        self.display.tell(&if observed.verdict == Verdict::Met {
            Fact::Met { target, observed }
        } else {
            Fact::Failed { target, observed }
        });
    }

    fn snapshot(&mut self) {
        self.display.tell(&Fact::Progress {
            rows: &self.rows,
            elapsed: self.start.elapsed(),
        });
    }

    /// Whether the verdicts so far end the wait (a selection: once it is complete; finding nothing
    /// ends it too).
    fn over(&self) -> bool {
        if self.selecting && (!self.all_listed() || self.rows.is_empty()) {
            return self.all_listed();
        }
        goal::over(self.rows.iter().map(|r| &r.observed.verdict), self.opts.any)
    }
}

/// What the engine hears: the object watches, and the Events watch (none for a single look).
pub(super) struct Sources {
    pub objects: BoxStream<'static, Tagged>,
    pub events: Option<BoxStream<'static, EventItem>>,
}

/// Run the wait until the goal is met, a terminal failure, the timeout or an error.
pub(super) async fn drive(engine: &mut Engine<'_>, mut src: Sources) -> Result<()> {
    let opts = engine.opts;
    let once = check_once(opts);
    let now = tokio::time::Instant::now();
    let deadline = opts.timeout.map(|t| now + t);
    let hint = opts.controller_hint.filter(|d| !d.is_zero() && !once);
    let mut hint_at = hint.map(|d| now + d);
    loop {
        let flow = tokio::select! {
            item = src.objects.next() => match item {
                Some((gi, item)) => engine.on_object(gi, item)?,
                None => Flow::Done,
            },
            item = next_event(&mut src.events) => on_event_item(engine, item, &mut src.events)?,
            () = until(hint_at), if hint_at.is_some() => {
                hint_at = None;
                engine.hint_due(hint.unwrap_or_default());
                Flow::Go
            }
            () = until(deadline), if !once => Flow::Done,
        };
        if flow == Flow::Done {
            return Ok(());
        }
    }
}

/// An item of the Events watch. Without the right to watch events the wait goes on without them (the
/// shipped roles may not grant it), unless `--fail-after-retries` needs them.
fn on_event_item(
    engine: &mut Engine<'_>,
    item: Option<EventItem>,
    events: &mut Option<BoxStream<'static, EventItem>>,
) -> Result<Flow> {
    match item {
        None => *events = None,
        Some(Err(e)) => {
            if let Some(err) = watch::forbidden(&e) {
                if engine.opts.fail_after_retries > 0 {
                    return Err(err);
                }
                *events = None;
            }
        }
        Some(Ok(item)) => {
            if let Some(e) = watch::applied(item) {
                return Ok(engine.on_event(e));
            }
        }
    }
    Ok(Flow::Go)
}

async fn next_event(events: &mut Option<BoxStream<'static, EventItem>>) -> Option<EventItem> {
    match events {
        Some(s) => s.next().await,
        None => std::future::pending().await,
    }
}

async fn until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use futures::stream;
    use serde_json::json;

    use super::*;
    use crate::wait::Observer;
    use crate::wait::retries::warning;

    /// Records the facts (but progress) and how often it was finished.
    #[derive(Default)]
    struct Fake {
        facts: Vec<String>,
        finished: usize,
    }

    impl Observer for Fake {
        fn tell(&mut self, f: &Fact<'_>) {
            self.facts.push(match f {
                Fact::Met { target, .. } => format!("met {}", target.name),
                Fact::Failed { target, observed } => {
                    format!(
                        "failed {} {} {}",
                        target.name, observed.state, observed.reason
                    )
                }
                Fact::Retrying { target, reason, .. } => {
                    format!("retrying {} {reason}", target.name)
                }
                Fact::Warning {
                    target,
                    reason,
                    count,
                    failed_calls,
                    ..
                } => format!(
                    "warning {} {reason} x{count} calls={failed_calls}",
                    target.name
                ),
                Fact::NoController { target, after } => {
                    format!("no controller {} {after:?}", target.name)
                }
                Fact::WatchResumed { .. } => "resumed".into(),
                Fact::Progress { .. } => return,
            });
        }

        fn finish(&mut self) {
            self.finished += 1;
        }
    }

    fn db() -> Target {
        Target {
            kind: Kind::ServiceInstance,
            namespace: Some("dev".into()),
            name: "db".into(),
        }
    }

    fn instance(status: Value) -> DynamicObject {
        let mut o = DynamicObject::new("db", &Kind::ServiceInstance.resource()).within("dev");
        o.metadata.uid = Some("u1".into());
        o.metadata.generation = Some(1);
        o.data = json!({ "status": status });
        o
    }

    fn status(conditions: Value) -> Value {
        json!({"observedGeneration": 1, "conditions": conditions})
    }

    fn ready() -> DynamicObject {
        instance(status(
            json!([{"type": "Ready", "status": "True", "reason": "ProvisionedSuccessfully"}]),
        ))
    }

    fn failed() -> DynamicObject {
        instance(status(json!([
            {"type": "Ready", "status": "False", "reason": "ProvisionCallFailed"},
            {"type": "Failed", "status": "True", "reason": "ProvisionCallFailed", "message": "boom"}
        ])))
    }

    fn retrying() -> DynamicObject {
        instance(status(json!([
            {"type": "Ready", "status": "False", "reason": "ReferencesNonexistentServiceClass",
             "message": "no class"}
        ])))
    }

    /// The first list of the one watch: these objects.
    fn listed(objects: Vec<DynamicObject>) -> Vec<Tagged> {
        let mut items = vec![(0, Ok(watcher::Event::Init))];
        items.extend(
            objects
                .into_iter()
                .map(|o| (0, Ok(watcher::Event::InitApply(o)))),
        );
        items.push((0, Ok(watcher::Event::InitDone)));
        items
    }

    /// The instance dev/db (object uid `object_uid`), as an event names it.
    fn about_db(object_uid: &str) -> k8s_openapi::api::core::v1::ObjectReference {
        k8s_openapi::api::core::v1::ObjectReference {
            kind: Some("ServiceInstance".into()),
            namespace: Some("dev".into()),
            name: Some("db".into()),
            uid: Some(object_uid.into()),
            ..Default::default()
        }
    }

    fn event_of_db(uid: &str, reason: &str, count: i32) -> EventItem {
        let mut e = warning(uid, reason, count, "Status: 500");
        e.involved_object = about_db("u1");
        Ok(watcher::Event::Apply(e))
    }

    /// Wait for `db` on these watch items (then nothing more happens).
    async fn wait(
        fake: &mut Fake,
        opts: &WaitOptions,
        objects: Vec<Tagged>,
        events: Vec<EventItem>,
    ) -> Result<Vec<Outcome>> {
        let targets = vec![db()];
        let groups = watch::plan(&targets, None);
        let src = Sources {
            objects: stream::iter(objects).chain(stream::pending()).boxed(),
            events: Some(stream::iter(events).chain(stream::pending()).boxed()),
        };
        let mut engine = Engine::new(targets, groups, opts, Finishing::new(fake));
        drive(&mut engine, src).await?;
        Ok(engine.outcomes())
    }

    fn timeout(ms: u64) -> WaitOptions {
        WaitOptions {
            timeout: Some(Duration::from_millis(ms)),
            ..Default::default()
        }
    }

    /// A selection of instances in `dev` on these watch items (then nothing more happens).
    async fn select(opts: &WaitOptions, objects: Vec<Tagged>) -> Result<Vec<Outcome>> {
        let mut fake = Fake::default();
        let (groups, _) = watch::plan_selection(&[Kind::ServiceInstance], Some("dev"), Some("a=b"));
        let src = Sources {
            objects: stream::iter(objects).chain(stream::pending()).boxed(),
            events: None,
        };
        let mut engine = Engine::selection(groups, opts, Finishing::new(&mut fake));
        drive(&mut engine, src).await?;
        Ok(engine.outcomes())
    }

    #[tokio::test]
    async fn a_selection_waits_on_what_the_first_list_shows_and_nothing_later() {
        let named = |name: &str, o: DynamicObject| {
            let mut o = o;
            o.metadata.name = Some(name.into());
            o.metadata.uid = Some(format!("u-{name}"));
            o
        };
        // Two listed: one ready, one failed; a third created later is not waited on.
        let mut items = listed(vec![named("a", ready()), named("b", failed())]);
        items.push((0, Ok(watcher::Event::Apply(named("c", retrying())))));
        let out = select(&WaitOptions::default(), items).await.expect("done");
        let got: Vec<_> = out
            .iter()
            .map(|o| (o.target.name.as_str(), o.observed.verdict.clone()))
            .collect();
        assert_eq!(got, [("a", Verdict::Met), ("b", Verdict::Failed)]);
        // Nothing matches: the wait ends at once with no outcome (the verb says nothing was found).
        let out = select(&timeout(60_000), listed(vec![]))
            .await
            .expect("done");
        assert!(out.is_empty());
    }

    #[tokio::test]
    async fn every_way_out_finishes_the_display_once() {
        let opts = WaitOptions::default();
        // Met.
        let mut fake = Fake::default();
        let out = wait(&mut fake, &opts, listed(vec![ready()]), vec![]).await;
        assert_eq!(out.expect("met")[0].observed.verdict, Verdict::Met);
        assert_eq!(
            (fake.facts.as_slice(), fake.finished),
            (&["met db".to_string()][..], 1)
        );
        // A terminal failure.
        let mut fake = Fake::default();
        let out = wait(&mut fake, &opts, listed(vec![failed()]), vec![]).await;
        assert_eq!(
            out.expect("failed")[0].observed.reason,
            "ProvisionCallFailed"
        );
        assert_eq!(fake.facts, ["failed db Failed ProvisionCallFailed"]);
        assert_eq!(fake.finished, 1);
        // The timeout.
        let mut fake = Fake::default();
        let out = wait(&mut fake, &timeout(300), listed(vec![retrying()]), vec![]).await;
        assert_eq!(
            out.expect("timed out")[0].observed.verdict,
            Verdict::Pending
        );
        assert_eq!(
            fake.facts,
            ["retrying db ReferencesNonexistentServiceClass"]
        );
        assert_eq!(fake.finished, 1);
        // Errors: not found on the first list; a type one may not list.
        let mut fake = Fake::default();
        let err = wait(&mut fake, &opts, listed(vec![]), vec![]).await;
        assert!(err.is_err_and(|e| {
            e.to_string()
                .contains("serviceinstances.servicecatalog.k8s.io \"db\" not found")
        }));
        assert_eq!(fake.finished, 1);
        let forbidden = kube::Error::Api(Box::new(kube::core::Status {
            code: 403,
            ..Default::default()
        }));
        let mut fake = Fake::default();
        let objects = vec![(0, Err(watcher::Error::InitialListFailed(forbidden)))];
        assert!(wait(&mut fake, &opts, objects, vec![]).await.is_err());
        assert_eq!(fake.finished, 1);
        // Interrupted: the wait's future dropped (Ctrl-C) while it waits.
        let mut fake = Fake::default();
        let never = WaitOptions {
            timeout: None,
            ..Default::default()
        };
        let waiting = wait(&mut fake, &never, listed(vec![retrying()]), vec![]);
        assert!(
            tokio::time::timeout(Duration::from_millis(50), waiting)
                .await
                .is_err()
        );
        assert_eq!(fake.finished, 1);
    }

    #[tokio::test]
    async fn warning_events_are_told_and_the_retry_limit_ends_the_wait() {
        let opts = WaitOptions {
            fail_after_retries: 2,
            ..Default::default()
        };
        let events = vec![
            event_of_db("e1", "ProvisionCallFailed", 1),
            event_of_db("e1", "ProvisionCallFailed", 1),
            event_of_db("e2", "RetryBackoff", 1),
            event_of_db("e1", "ProvisionCallFailed", 2),
        ];
        let mut fake = Fake::default();
        let out = wait(&mut fake, &opts, listed(vec![retrying()]), events)
            .await
            .expect("failed");
        assert_eq!(out[0].observed.state, "RetryLimit");
        let told: Vec<&str> = fake
            .facts
            .iter()
            .map(String::as_str)
            .filter(|f| !f.starts_with("retrying"))
            .collect();
        assert_eq!(
            told,
            [
                "warning db ProvisionCallFailed x1 calls=1",
                "warning db RetryBackoff x1 calls=1",
                "warning db ProvisionCallFailed x2 calls=2",
                "failed db RetryLimit ProvisionCallFailed",
            ]
        );
        assert_eq!(fake.finished, 1);
    }

    #[tokio::test]
    async fn an_older_object_s_events_are_not_told() {
        let mut other = warning("e9", "ProvisionCallFailed", 1, "old");
        other.involved_object = about_db("u0");
        let mut fake = Fake::default();
        let events = vec![Ok(watcher::Event::Apply(other))];
        let out = wait(&mut fake, &timeout(300), listed(vec![retrying()]), events).await;
        assert!(out.is_ok());
        assert_eq!(
            fake.facts,
            ["retrying db ReferencesNonexistentServiceClass"]
        );
    }

    #[tokio::test]
    async fn the_no_controller_hint_is_due_once_for_an_unobserved_object() {
        let opts = WaitOptions {
            controller_hint: Some(Duration::from_millis(100)),
            ..timeout(400)
        };
        let mut unobserved = instance(json!({}));
        unobserved.data = json!({});
        let mut fake = Fake::default();
        wait(&mut fake, &opts, listed(vec![unobserved]), vec![])
            .await
            .expect("timed out");
        assert_eq!(fake.facts, ["no controller db 100ms"]);
        // Any event of the object says something processes it.
        let mut fake = Fake::default();
        let mut normal = warning("n1", "Provisioning", 1, "m");
        normal.type_ = Some("Normal".into());
        normal.involved_object.kind = Some("ServiceInstance".into());
        normal.involved_object.namespace = Some("dev".into());
        normal.involved_object.name = Some("db".into());
        let mut unobserved = instance(json!({}));
        unobserved.data = json!({});
        let events = vec![Ok(watcher::Event::Apply(normal))];
        wait(&mut fake, &opts, listed(vec![unobserved]), events)
            .await
            .expect("timed out");
        assert!(fake.facts.is_empty(), "{:?}", fake.facts);
    }

    #[tokio::test]
    async fn deletion_gone_objects_resumed_watches_and_a_single_look() {
        let deleted = WaitOptions {
            goal: Goal::Deleted,
            ..Default::default()
        };
        let mut items = listed(vec![ready()]);
        items.push((0, Err(watcher::Error::NoResourceVersion)));
        items.push((0, Ok(watcher::Event::Delete(ready()))));
        let mut fake = Fake::default();
        let out = wait(&mut fake, &deleted, items, vec![])
            .await
            .expect("gone");
        assert_eq!(out[0].observed.verdict, Verdict::Met);
        assert_eq!(fake.facts, ["resumed", "met db"]);
        // Absent from the first list: already gone.
        let mut fake = Fake::default();
        let out = wait(&mut fake, &deleted, listed(vec![]), vec![]).await;
        assert_eq!(out.expect("gone")[0].observed.state, "Deleted");
        // Deleted while waiting for ready: a failure.
        let mut items = listed(vec![retrying()]);
        items.push((0, Ok(watcher::Event::Delete(retrying()))));
        let mut fake = Fake::default();
        let out = wait(&mut fake, &WaitOptions::default(), items, vec![]).await;
        assert_eq!(out.expect("failed")[0].observed.reason, "Deleted");
        // --timeout=0: one look, the first lists.
        let mut fake = Fake::default();
        let out = wait(&mut fake, &timeout(0), listed(vec![retrying()]), vec![]).await;
        assert_eq!(out.expect("one look")[0].observed.verdict, Verdict::Pending);
    }
}
