//! Progress of one benchmark: a bar (done, rate, ETA, failures) when
//! stderr is a terminal, a plain line every few seconds otherwise.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Reports progress of one benchmark's scoring.
pub struct Progress {
    name: String,
    total: usize,
    bar: Option<ProgressBar>,
    lines: Option<Mutex<(Instant, Instant)>>,
}

/// How often plain progress lines are printed.
const LINE_EVERY: Duration = Duration::from_secs(5);

impl Progress {
    /// Starts reporting (nothing at all when `enabled` is false), with
    /// `already` samples done by an earlier run.
    pub fn new(enabled: bool, name: &str, total: usize, already: usize) -> Progress {
        let mut progress = Progress {
            name: name.into(),
            total,
            bar: None,
            lines: None,
        };
        if !enabled {
            return progress;
        }
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix:>12} [{bar:30}] {pos}/{len} {per_sec} ETA {eta} {msg}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.set_prefix(name.to_string());
            bar.set_position(already as u64);
            bar.enable_steady_tick(Duration::from_millis(200));
            progress.bar = Some(bar);
        } else {
            let now = Instant::now();
            progress.lines = Some(Mutex::new((now, now)));
        }
        progress
    }

    /// `done` samples finished so far, `failed` of them failed.
    pub fn update(&self, done: usize, failed: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
            if failed > 0 {
                bar.set_message(format!("{failed} failed"));
            }
        } else if let Some(lines) = &self.lines {
            let mut times = lines.lock().unwrap_or_else(|e| e.into_inner());
            if times.1.elapsed() >= LINE_EVERY {
                times.1 = Instant::now();
                let rate = done as f64 / times.0.elapsed().as_secs_f64().max(1e-9);
                eprintln!(
                    "{}: {done}/{} scored ({rate:.1}/s), {failed} failed",
                    self.name, self.total
                );
            }
        }
    }

    /// Ends the bar (it stays on screen).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
