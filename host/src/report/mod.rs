//! Writing a run's outputs: `results.json`, `samples_<benchmark>.jsonl`,
//! `scorebox.lock`, and the printed table.

mod results;
mod samples;
mod suite;
mod table;

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

pub use results::results_json;
pub use samples::write_samples;
pub use suite::{SuiteScore, suite_json, suite_scores};
pub use table::render as render_table;

use crate::registry::{LockedComponent, LockedData, Lockfile};
use crate::run::{BenchmarkRun, Prepared};

/// Facts about the run recorded in the results.
#[derive(Debug, Clone)]
pub struct RunMeta {
    /// Model spec.
    pub model: String,
    /// Judge spec, if any.
    pub judge: Option<String>,
    /// What the model is beyond its spec (for a local model: file, sha256, engine).
    pub model_details: Option<Value>,
    /// Run seed.
    pub seed: u64,
    /// `--limit`.
    pub limit: Option<usize>,
    /// Worker threads.
    pub workers: usize,
    /// The `-O` options as given.
    pub options: Value,
    /// The sandbox limits, as JSON.
    pub limits: Value,
    /// Start time, seconds since the Unix epoch.
    pub started_unix: f64,
    /// Wall time of the whole run.
    pub elapsed: Duration,
    /// Scores of the suites this run covered.
    pub suites: Vec<SuiteScore>,
}

/// The lockfile pinning every component and data file of `prepared`.
pub fn lockfile<'a>(prepared: impl IntoIterator<Item = &'a Prepared>) -> Lockfile {
    let mut lock = Lockfile::default();
    for p in prepared {
        let same = p.loader.entry.key() == p.scorer.entry.key();
        let roles = |r: &str| {
            if same {
                vec!["loader".to_string(), "scorer".to_string()]
            } else {
                vec![r.to_string()]
            }
        };
        for (located, role) in [(&p.loader, "loader"), (&p.scorer, "scorer")] {
            lock.components.push(LockedComponent {
                name: located.entry.name.clone(),
                version: located.entry.version.clone(),
                roles: roles(role),
                sha256: located.entry.sha256.clone(),
            });
        }
        for f in &p.files {
            lock.data.push(LockedData {
                benchmark: p.name.clone(),
                path: f.path.clone(),
                sha256: f.sha256.clone(),
            });
        }
    }
    lock.components.sort();
    lock.components.dedup();
    lock
}

/// Writes `results.json`, one samples file per benchmark and
/// `scorebox.lock` into `dir` (created if needed).
///
/// # Errors
/// The first I/O error, naming the file.
pub fn write_outputs(
    dir: &Path,
    runs: &[BenchmarkRun],
    meta: &RunMeta,
) -> Result<(), std::io::Error> {
    let named = |path: &Path, e: std::io::Error| {
        std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| named(dir, e))?;
    for run in runs {
        let path = dir.join(format!("samples_{}.jsonl", run.prepared.name));
        let file = std::fs::File::create(&path).map_err(|e| named(&path, e))?;
        let mut out = std::io::BufWriter::new(file);
        write_samples(run, &mut out)
            .and_then(|_| std::io::Write::flush(&mut out))
            .map_err(|e| named(&path, e))?;
    }
    let path = dir.join("results.json");
    let text =
        serde_json::to_string_pretty(&results_json(runs, meta)).expect("JSON values serialize");
    std::fs::write(&path, text + "\n").map_err(|e| named(&path, e))?;
    let path = dir.join("scorebox.lock");
    lockfile(runs.iter().map(|r| &r.prepared))
        .write(&path)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(())
}
