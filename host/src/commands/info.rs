//! `scorebox info <bench>`: loads the components (verified) and asks them.

use std::process::ExitCode;

use anyhow::{Context, Result};
use scorebox::runtime::wit::{Capability, PluginInfo};
use scorebox::runtime::{Limits, PluginId};

use super::Paths;

/// Prints what the benchmark's loader and scorer say about themselves.
pub fn run(paths: &Paths, spec: &str, limits: Limits) -> Result<ExitCode> {
    let registry = paths.open_registry()?;
    if let Some(suite) = registry.suite(spec) {
        println!("{} (suite) — {}", suite.name, suite.description);
        println!("  score: the mean of each member's `{},none`", suite.score);
        for member in &suite.members {
            let options: Vec<String> = member
                .options
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            println!("  {:<12} {}", member.benchmark, options.join(" "));
        }
        println!(
            "\nRun it with: scorebox run {} --model SPEC (see `scorebox info <member>` for each)",
            suite.name
        );
        return Ok(ExitCode::SUCCESS);
    }
    let bench = registry.resolve(spec)?;
    let sandbox = paths.sandbox(limits)?;
    let mut infos: Vec<(String, PluginInfo)> = Vec::new();
    let same = bench.loader.entry.key() == bench.scorer.entry.key();
    for (located, role) in [(&bench.loader, "loader"), (&bench.scorer, "scorer")] {
        if same && role == "scorer" {
            break;
        }
        let bytes = located.read()?;
        let id = PluginId {
            name: located.entry.name.clone(),
            version: located.entry.version.clone(),
        };
        let plugin = sandbox.load(&located.entry.key(), &bytes, &located.entry.sha256, id)?;
        let mut instance = plugin.instantiate()?;
        let info = if role == "scorer" || (same && located.entry.has_role("scorer")) {
            let mut scorer = instance.scorer_info().context("asking the scorer")?;
            if located.entry.has_role("loader") {
                scorer.data = instance.info()?.data;
            }
            scorer
        } else {
            instance.info()?
        };
        infos.push((located.entry.key(), info));
    }
    let entry = &bench.scorer.entry;
    let merged = &infos.last().expect("at least one component").1;
    println!("{} {} — {}", bench.name, entry.version, merged.description);
    let parts: &[(&scorebox::registry::Located, &str)] = if same {
        &[(&bench.loader, "loader+scorer")]
    } else {
        &[(&bench.loader, "loader"), (&bench.scorer, "scorer")]
    };
    for (located, label) in parts {
        println!(
            "  {label:<13} {}  sha256 {}  ({} bytes, WIT {})",
            located.entry.key(),
            located.entry.sha256,
            located.entry.size,
            located.entry.wit
        );
    }
    let caps: Vec<&str> = merged
        .capabilities
        .iter()
        .map(|c| match c {
            Capability::Judge => "judge",
        })
        .collect();
    println!(
        "  capabilities: {}",
        if caps.is_empty() {
            "none (asks only the model under test)".into()
        } else {
            caps.join(", ")
        }
    );
    println!("\nMetrics:");
    for m in &merged.metrics {
        println!(
            "  {:<24} {}  {}",
            m.name,
            if m.higher_is_better { "↑" } else { "↓" },
            m.description
        );
    }
    let mut options: Vec<_> = infos.iter().flat_map(|(_, i)| i.options.iter()).collect();
    options.sort_by(|a, b| a.key.cmp(&b.key));
    options.dedup_by(|a, b| a.key == b.key);
    if !options.is_empty() {
        println!("\nOptions (-O KEY=VALUE):");
        for o in options {
            let allowed = if o.allowed.is_empty() {
                String::new()
            } else {
                format!(" [{}]", o.allowed.join("|"))
            };
            println!(
                "  {:<16} default `{}`{}  {}",
                o.key, o.default, allowed, o.description
            );
        }
    }
    if !merged.subtasks.is_empty() {
        println!(
            "\nSubtasks ({}): {}",
            merged.subtasks.len(),
            merged.subtasks.join(", ")
        );
    }
    let data: Vec<_> = infos.iter().flat_map(|(_, i)| i.data.iter()).collect();
    if !data.is_empty() {
        println!("\nData (pass with --data PATH):");
        for d in data {
            println!("  {}\n    files: {}\n    {}", d.location, d.files, d.notes);
        }
    }
    match bench.loader.sample_dir() {
        Some(dir) => println!(
            "\nBundled sample: {} (used when --data is not given)",
            dir.display()
        ),
        None => println!("\nNo bundled sample: --data is required."),
    }
    Ok(ExitCode::SUCCESS)
}
