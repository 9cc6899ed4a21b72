//! The results table printed at the end of a run.

use crate::run::BenchmarkRun;
use crate::runtime::wit::Level;

/// Renders a Markdown table of every task, subtask and group of `runs`
/// (subtasks indented under their task), then one line per failed
/// benchmark aggregation; suites last, each member's headline metric and
/// their mean.
pub fn render(runs: &[BenchmarkRun], suites: &[super::SuiteScore]) -> String {
    let mut rows: Vec<[String; 7]> = Vec::new();
    let mut notes = Vec::new();
    for run in runs {
        let version = &run.prepared.scorer.entry.version;
        match &run.report {
            Ok(report) => {
                for task in &report.tasks {
                    let name = match task.level {
                        Level::Subtask => format!(" - {}", task.name),
                        _ => task.name.clone(),
                    };
                    for (i, m) in task.metrics.iter().enumerate() {
                        rows.push([
                            if i == 0 { name.clone() } else { String::new() },
                            if i == 0 {
                                version.clone()
                            } else {
                                String::new()
                            },
                            m.filter.clone(),
                            m.name.clone(),
                            format!("{:.4}", m.value),
                            m.stderr
                                .map(|s| format!("{s:.4}"))
                                .unwrap_or_else(|| "N/A".into()),
                            if i == 0 {
                                task.samples.to_string()
                            } else {
                                String::new()
                            },
                        ]);
                    }
                }
            }
            Err(e) => notes.push(format!("{}: aggregation failed: {e}", run.prepared.name)),
        }
        let failed = run.failures();
        if failed > 0 {
            notes.push(format!(
                "{}: {failed} of {} samples failed (see failures in results.json)",
                run.prepared.name,
                run.outcomes.len()
            ));
        }
        if !run.invalid_rows.is_empty() {
            notes.push(format!(
                "{}: {} dataset rows were invalid and skipped",
                run.prepared.name,
                run.invalid_rows.len()
            ));
        }
    }
    for suite in suites {
        for (i, (member, value)) in suite.members.iter().enumerate() {
            rows.push([
                if i == 0 {
                    suite.name.clone()
                } else {
                    String::new()
                },
                String::new(),
                "none".into(),
                format!("{} ({member})", suite.metric),
                value
                    .map(|v| format!("{v:.4}"))
                    .unwrap_or_else(|| "—".into()),
                String::new(),
                String::new(),
            ]);
        }
        rows.push([
            String::new(),
            String::new(),
            "none".into(),
            format!("{} (mean)", suite.metric),
            suite
                .value
                .map(|v| format!("{v:.4}"))
                .unwrap_or_else(|| "—".into()),
            "N/A".into(),
            String::new(),
        ]);
        if suite.value.is_none() {
            notes.push(format!(
                "{}: no suite score: a member lacks `{}`",
                suite.name, suite.metric
            ));
        }
    }
    let header = [
        "Task", "Version", "Filter", "Metric", "Value", "Stderr", "N",
    ];
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::from("|");
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w - cell.chars().count();
            if (4..=6).contains(&i) {
                s.push_str(&format!(" {}{} |", " ".repeat(pad), cell));
            } else {
                s.push_str(&format!(" {}{} |", cell, " ".repeat(pad)));
            }
        }
        s
    };
    let mut out = line(&header.map(String::from));
    out.push('\n');
    out.push_str(&line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    out.push('\n');
    for row in &rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    for note in notes {
        out.push_str(&note);
        out.push('\n');
    }
    out
}
