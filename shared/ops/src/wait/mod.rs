//! The wait engine: list + watch (one watch per resource type and namespace), evaluating every event
//! against the goal, so that a terminal failure ends the wait the moment it is written.
//!
//! * Terminal states win: waiting for `ready`, a `Failed=True` condition (a failed Job, a failed
//!   deprovision while waiting for `deleted`) ends the wait at once with exit 3 and its reason/message.
//! * Retrying states of the catalog (`ReferencesNonexistentServiceClass`, …) are reported as they happen;
//!   `fail_on` turns chosen reasons into terminal ones.
//! * `kube::runtime::watcher` resumes after a dropped or expired (410 Gone) watch and, with backoff,
//!   after the API server goes away and comes back; the timeout covers the whole wait.
//! * Where an object stands is [`crate::state::judge`]'s call, shared with describe, get and abandon.
//! * Events: each new Warning of a waited object is told once, with its count when it repeats;
//!   `fail_on` also takes event reasons, and `fail_after_retries` ends the wait after that many failed
//!   broker calls ([`crate::reasons::BROKER_CALL_FAILED`]). A user who may not watch events waits
//!   without them (unless `fail_after_retries` needs them: then it is an error).
//! * No controller: when an object is still not observed by any controller (no observedGeneration, no
//!   status, no event) after `controller_hint`, the wait says so once and goes on waiting.
//!
//! The parts:
//! * `goal`: `--for` and what an object's state means for it ([`evaluate`]), when the wait is over;
//! * `watch`: the watch strategy (which list+watches, for objects and for Events);
//! * `retries`: retry accounting from Warning events (`--fail-after-retries`, `--fail-on`);
//! * `engine`: the state of a wait and its loop; it never prints, it tells an [`Observer`] typed
//!   [`Fact`]s, and finishes it on every way out (met, failed, timeout, error, Ctrl-C);
//! * [`progress`]: the observer every verb uses ([`progress::Terminal`]: warning lines, and the live
//!   block on a terminal's stderr, drawn with indicatif); [`report`]: the words of the warnings
//!   ([`Prose`]), kubectl's `<kind.group>/<name> condition met` lines or the JSON report whose fields
//!   are documented in `report.rs`, and the exit code.

use std::io::Write;
use std::time::Duration;

use kube::{Api, Client};

use crate::error::{Error, Result};
use crate::output::Format;

pub use crate::kinds::Kind;
pub use goal::{Goal, Observed, Verdict, evaluate};
pub use observe::{Fact, Observer};
pub use report::{Prose, report};

mod engine;
mod goal;
mod observe;
pub mod progress;
mod report;
mod retries;
pub mod watch;

/// One object (or, with `selector`, every object matching it) to wait on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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

/// The final word on one target.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub target: Target,
    pub observed: Observed,
    pub waited: Duration,
}

/// One target while the wait runs: what the engine has seen of it so far (observers read it).
#[derive(Clone, Debug)]
pub struct Row {
    pub target: Target,
    pub observed: Observed,
    /// When it reached its final verdict, from the start of the wait.
    pub done: Option<Duration>,
}

impl Row {
    fn new(target: Target) -> Self {
        Row {
            target,
            observed: goal::pending("Pending"),
            done: None,
        }
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
    let mut terminal = progress::Terminal::new(opts.progress);
    wait_with(client, targets, opts, &mut terminal).await
}

/// The engine: wait and return one outcome per target, telling `observer` what happens. The observer
/// is finished however the wait ends (also when this future is dropped).
pub async fn wait_with(
    client: &Client,
    targets: Vec<Target>,
    opts: &WaitOptions,
    observer: &mut dyn Observer,
) -> Result<Vec<Outcome>> {
    let display = observe::Finishing::new(observer);
    if targets.is_empty() {
        return Err(Error::Input("no objects to wait for".into()));
    }
    let groups = watch::plan(&targets, opts.selector.as_deref());
    let events = watch::plan_events(&targets);
    let sources = sources(client, &groups, &events, opts);
    let engine = engine::Engine::new(targets, groups, opts, display);
    finish(client, engine, sources).await
}

/// Wait for the objects of `kinds` in `namespace` (`None`: every namespace) that match `opts.selector`
/// (every object without one) when the watches first list them: the selection is listed once, by the
/// watches themselves. No outcome when nothing matched.
pub async fn wait_selected(
    client: &Client,
    kinds: &[Kind],
    namespace: Option<&str>,
    opts: &WaitOptions,
) -> Result<Vec<Outcome>> {
    let (groups, events) = watch::plan_selection(kinds, namespace, opts.selector.as_deref());
    let sources = sources(client, &groups, &events, opts);
    let mut terminal = progress::Terminal::new(opts.progress);
    let display = observe::Finishing::new(&mut terminal);
    let engine = engine::Engine::selection(groups, opts, display);
    finish(client, engine, sources).await
}

fn sources(
    client: &Client,
    groups: &[watch::Group],
    events: &[watch::EventWatch],
    opts: &WaitOptions,
) -> engine::Sources {
    engine::Sources {
        objects: watch::open(client, groups, opts.page_size),
        events: (!engine::check_once(opts)).then(|| watch::open_events(client, events)),
    }
}

/// Drive the engine to its outcomes; a failed Job's outcome gets its pod's last log lines.
async fn finish(
    client: &Client,
    mut engine: engine::Engine<'_>,
    sources: engine::Sources,
) -> Result<Vec<Outcome>> {
    engine::drive(&mut engine, sources).await?;
    let mut outcomes = engine.outcomes();
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
