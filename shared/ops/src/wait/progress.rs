//! The observer every verb's wait uses: warning lines on stderr (in [`Prose`]'s words) and, on a
//! terminal, the live progress block (object, state, elapsed, detail), drawn with indicatif: redrawn
//! after each change (at most 20 times a second) and twice a second by a steady tick, so that the
//! elapsed times move; warnings are printed above it; it is cleared when the wait ends. Quiet in
//! scripts: when stderr is not a terminal (or `TERM` is unset or `dumb`, or `--no-progress`) the block
//! is never drawn and only the warning lines are printed.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use super::{Fact, Observer, Progress, Prose, Row};

/// Rows shown in the block (the rest are counted in one line).
const SHOWN: usize = 20;
/// Characters of a row's detail shown.
const DETAIL: usize = 90;
/// How often the steady tick redraws the block.
const TICK: Duration = Duration::from_millis(500);

/// Warning lines on stderr, and the live block on a terminal's stderr.
pub struct Terminal {
    prose: Prose,
    /// Where the block will be drawn (taken when it first is; hidden: never).
    target: Option<ProgressDrawTarget>,
    block: Option<Block>,
}

impl Terminal {
    pub fn new(p: Progress) -> Self {
        Terminal::to(match p {
            Progress::Auto => ProgressDrawTarget::stderr(),
            Progress::Never => ProgressDrawTarget::hidden(),
        })
    }

    /// The block drawn to `target` (tests draw to a terminal in memory).
    pub fn to(target: ProgressDrawTarget) -> Self {
        Terminal {
            prose: Prose::default(),
            target: Some(target),
            block: None,
        }
    }

    /// A line that stays: above the block, or plainly when there is none.
    fn print(&self, line: &str) {
        match &self.block {
            Some(b) => b.bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn show(&mut self, rows: &[Row], elapsed: Duration) {
        if self.block.is_none() {
            self.block = self
                .target
                .take()
                .filter(|t| !t.is_hidden())
                .map(Block::new);
        }
        if let Some(b) = &self.block {
            b.show(Snapshot::of(rows, elapsed));
        }
    }
}

impl Observer for Terminal {
    fn tell(&mut self, fact: &Fact<'_>) {
        if let Fact::Progress { rows, elapsed } = *fact {
            self.show(rows, elapsed);
        } else if let Some(line) = self.prose.line(fact) {
            self.print(&line);
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.block.take() {
            b.bar.finish_and_clear();
        }
    }
}

/// The block: one indicatif bar whose template is the table, rendered at each draw from the last
/// snapshot (so that a tick moves the elapsed times).
struct Block {
    bar: ProgressBar,
    snapshot: Arc<Mutex<Snapshot>>,
}

impl Block {
    fn new(target: ProgressDrawTarget) -> Self {
        let snapshot = Arc::new(Mutex::new(Snapshot::default()));
        let shared = Arc::clone(&snapshot);
        let render = move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
            if let Ok(s) = shared.lock() {
                let _ = w.write_str(&s.render(s.started.elapsed()));
            }
        };
        let style = ProgressStyle::with_template("{table}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
            .with_key("table", render);
        let bar = ProgressBar::with_draw_target(None, target).with_style(style);
        bar.enable_steady_tick(TICK);
        Block { bar, snapshot }
    }

    fn show(&self, snapshot: Snapshot) {
        if let Ok(mut s) = self.snapshot.lock() {
            *s = snapshot;
        }
        // A new message redraws (rate-limited; the steady tick draws what a limit skipped).
        self.bar.set_message("");
    }
}

/// What the block shows: the first rows, and how many there are and are done.
struct Snapshot {
    /// The start of the wait.
    started: Instant,
    lines: Vec<Line>,
    total: usize,
    done: usize,
}

struct Line {
    object: String,
    state: String,
    done: Option<Duration>,
    detail: String,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot {
            started: Instant::now(),
            lines: Vec::new(),
            total: 0,
            done: 0,
        }
    }
}

impl Snapshot {
    fn of(rows: &[Row], elapsed: Duration) -> Self {
        let lines = rows.iter().take(SHOWN).map(Line::of).collect();
        let done = if rows.len() > SHOWN {
            rows.iter().filter(|r| r.done.is_some()).count()
        } else {
            0
        };
        Snapshot {
            started: Instant::now()
                .checked_sub(elapsed)
                .unwrap_or_else(Instant::now),
            lines,
            total: rows.len(),
            done,
        }
    }

    /// The table, `elapsed` into the wait (nothing before the first snapshot).
    fn render(&self, elapsed: Duration) -> String {
        if self.lines.is_empty() {
            return String::new();
        }
        let rows = self
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.object.clone(),
                    l.state.clone(),
                    crate::duration::human(l.done.unwrap_or(elapsed)),
                    l.detail.clone(),
                ]
            })
            .collect();
        let mut text = crate::output::table(&["object", "state", "elapsed", "detail"], rows);
        if self.total > SHOWN {
            let _ = writeln!(
                text,
                "… and {} more ({}/{} done)",
                self.total - SHOWN,
                self.done,
                self.total
            );
        }
        text.truncate(text.trim_end_matches('\n').len());
        text
    }
}

impl Line {
    fn of(r: &Row) -> Self {
        let o = &r.observed;
        let detail = if o.message.is_empty() {
            &o.operation
        } else {
            &o.message
        };
        let mut detail: String = detail.chars().take(DETAIL).collect();
        if detail.len() < o.message.len() {
            detail.push('…');
        }
        Line {
            object: format!("{}/{}", r.target.kind.plural(), r.target.name),
            state: o.state.clone(),
            done: r.done,
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use indicatif::InMemoryTerm;

    use super::*;
    use crate::wait::{Kind, Observed, Target, Verdict};

    fn row(name: &str, state: &str, message: &str, done: Option<u64>) -> Row {
        Row {
            target: Target {
                kind: Kind::ServiceInstance,
                namespace: Some("dev".into()),
                name: name.into(),
            },
            observed: Observed {
                verdict: Verdict::Pending,
                state: state.into(),
                reason: String::new(),
                message: message.into(),
                operation: "Provision".into(),
            },
            done: done.map(Duration::from_secs),
        }
    }

    #[test]
    fn the_table_shows_twenty_rows_their_elapsed_time_and_a_count_of_the_rest() {
        let rows = [
            row("db", "Ready", "", Some(3)),
            row("cache", "Provisioning", &"x".repeat(100), None),
        ];
        let text = Snapshot::of(&rows, Duration::from_secs(9)).render(Duration::from_secs(130));
        let detail = format!("{}…", "x".repeat(90));
        assert_eq!(
            text,
            format!(
                "OBJECT                   STATE          ELAPSED   DETAIL\n\
                 serviceinstances/db      Ready          3s        Provision\n\
                 serviceinstances/cache   Provisioning   2m10s     {detail}"
            )
        );
        let many: Vec<Row> = (0..25)
            .map(|i| row(&format!("i{i}"), "Ready", "", (i < 7).then_some(1)))
            .collect();
        let text = Snapshot::of(&many, Duration::ZERO).render(Duration::ZERO);
        assert_eq!(text.lines().count(), 22, "{text}");
        assert!(text.ends_with("\n… and 5 more (7/25 done)"), "{text}");
        assert_eq!(Snapshot::default().render(Duration::ZERO), "");
    }

    #[test]
    fn on_a_terminal_the_block_is_drawn_warnings_stay_above_it_and_finish_clears_it() {
        let term = InMemoryTerm::new(30, 120);
        let mut t = Terminal::to(ProgressDrawTarget::term_like(Box::new(term.clone())));
        let rows = [row("db", "Provisioning", "polling", None)];
        t.tell(&Fact::Progress {
            rows: &rows,
            elapsed: Duration::from_secs(1),
        });
        let drawn = term.contents();
        assert!(drawn.starts_with("OBJECT"), "{drawn:?}");
        assert!(
            drawn.contains("serviceinstances/db   Provisioning   1s"),
            "{drawn:?}"
        );
        t.tell(&Fact::NoController {
            target: &rows[0].target,
            after: Duration::from_secs(10),
        });
        let drawn = term.contents();
        assert!(
            drawn.starts_with(
                "Warning: no Service Catalog controller has processed serviceinstance/db in 10s"
            ) && drawn.contains("\nOBJECT"),
            "{drawn:?}"
        );
        t.finish();
        assert_eq!(
            term.contents(),
            "Warning: no Service Catalog controller has processed serviceinstance/db in 10s; is the controller running?"
        );
    }

    #[test]
    fn without_a_terminal_no_block_is_made() {
        for mut t in [
            Terminal::new(Progress::Never),
            Terminal::to(ProgressDrawTarget::hidden()),
        ] {
            t.tell(&Fact::Progress {
                rows: &[row("db", "Pending", "", None)],
                elapsed: Duration::ZERO,
            });
            assert!(t.block.is_none() && t.target.is_none());
            t.finish();
        }
    }
}
