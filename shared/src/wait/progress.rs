//! The live progress block on a terminal's stderr, and warnings: the [`Observer`] every verb's wait
//! uses. Quiet in scripts: without a terminal only the warning lines are printed.

use std::io::Write;
use std::time::Duration;

use super::{Observer, Progress, Row};

/// The live progress block on a terminal's stderr.
pub struct Terminal {
    enabled: bool,
    lines: usize,
}

impl Terminal {
    pub fn new(p: Progress) -> Self {
        Terminal {
            enabled: p == Progress::Auto && crate::cli::stderr_is_terminal(),
            lines: 0,
        }
    }

    fn clear(&mut self) {
        if self.enabled && self.lines > 0 {
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\x1b[{}A\x1b[J", self.lines);
            self.lines = 0;
        }
    }
}

impl Observer for Terminal {
    /// A line that stays (warnings): printed above the block, or plainly when there is no terminal.
    fn warning(&mut self, line: &str) {
        self.clear();
        eprintln!("{line}");
    }

    fn finish(&mut self) {
        self.clear();
    }

    fn progress(&mut self, tracked: &[Row], elapsed: Duration) {
        if !self.enabled {
            return;
        }
        self.clear();
        let rows: Vec<Vec<String>> = tracked
            .iter()
            .take(20)
            .map(|t| {
                let elapsed = t.done.unwrap_or(elapsed);
                let detail = if t.observed.message.is_empty() {
                    t.observed.operation.clone()
                } else {
                    t.observed.message.clone()
                };
                let mut detail: String = detail.chars().take(90).collect();
                if detail.len() < t.observed.message.len() {
                    detail.push('…');
                }
                vec![
                    format!("{}/{}", t.target.kind.plural(), t.target.name),
                    t.observed.state.clone(),
                    crate::duration::human(elapsed),
                    detail,
                ]
            })
            .collect();
        let mut text = crate::output::table(&["object", "state", "elapsed", "detail"], rows);
        if tracked.len() > 20 {
            let done = tracked.iter().filter(|t| t.done.is_some()).count();
            text.push_str(&format!(
                "… and {} more ({done}/{} done)\n",
                tracked.len() - 20,
                tracked.len()
            ));
        }
        self.lines = text.lines().count();
        let mut e = std::io::stderr().lock();
        let _ = e.write_all(text.as_bytes());
    }
}
