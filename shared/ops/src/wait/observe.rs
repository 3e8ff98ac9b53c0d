//! What the engine tells while it waits: typed [`Fact`]s, never prose. An [`Observer`] turns them into
//! output ([`super::progress::Terminal`]: warning lines and the live block, in the words of
//! [`super::Prose`]); tests and library callers can collect them.

use std::time::Duration;

use kube::runtime::watcher;

use super::{Observed, Row, Target};

/// Something that happened during a wait.
#[derive(Debug)]
pub enum Fact<'a> {
    /// A target reached the goal.
    Met {
        target: &'a Target,
        observed: &'a Observed,
    },
    /// A target failed for good (a terminal state, a `--fail-on` reason, the retry limit, gone).
    Failed {
        target: &'a Target,
        observed: &'a Observed,
    },
    /// A target's object went into a retrying reason (told once per change of reason).
    Retrying {
        target: &'a Target,
        reason: &'a str,
        message: &'a str,
    },
    /// A new Warning event of a target's object, or one that happened again (`count` so far).
    Warning {
        target: &'a Target,
        reason: &'a str,
        message: &'a str,
        count: i64,
        /// It happened before the wait began (context: it counts toward nothing).
        earlier: bool,
        /// Failed broker calls the object's events record so far (`--fail-after-retries`).
        failed_calls: i64,
    },
    /// No controller has processed the target's object in `after` (told once).
    NoController { target: &'a Target, after: Duration },
    /// An object watch broke; the watcher resumes it.
    WatchResumed { error: &'a watcher::Error },
    /// Where every target stands (after each change).
    Progress { rows: &'a [Row], elapsed: Duration },
}

/// Hears the facts of a wait.
pub trait Observer {
    fn tell(&mut self, fact: &Fact<'_>);
    /// The wait is over (met, failed, timed out, an error, or its future dropped on Ctrl-C): remove
    /// anything transient. Called exactly once.
    fn finish(&mut self) {}
}

/// Tells an observer, and finishes it exactly once however the wait ends: explicitly, or when dropped
/// (an error returned early, the wait's future dropped on Ctrl-C).
pub(super) struct Finishing<'o> {
    observer: &'o mut dyn Observer,
    finished: bool,
}

impl<'o> Finishing<'o> {
    pub fn new(observer: &'o mut dyn Observer) -> Self {
        Finishing {
            observer,
            finished: false,
        }
    }

    pub fn tell(&mut self, fact: &Fact<'_>) {
        self.observer.tell(fact);
    }

    pub fn finish(&mut self) {
        if !std::mem::replace(&mut self.finished, true) {
            self.observer.finish();
        }
    }
}

impl Drop for Finishing<'_> {
    fn drop(&mut self) {
        self.finish();
    }
}
