//! `scorebox list`: reads only the index files, so it stays fast.

use std::process::ExitCode;

use anyhow::Result;

use super::Paths;

/// Prints one line per component.
pub fn run(paths: &Paths) -> Result<ExitCode> {
    let registry = paths.open_registry()?;
    let rows: Vec<[String; 5]> = registry
        .components()
        .map(|c| {
            let third_party = c.root != registry.roots[0].dir;
            [
                c.entry.name.clone(),
                c.entry.version.clone(),
                c.entry.roles.join("+"),
                c.entry.short_hash().to_string(),
                format!(
                    "{}{}",
                    c.entry.description,
                    if third_party { " (third-party)" } else { "" }
                ),
            ]
        })
        .collect();
    if rows.is_empty() {
        println!("The registry is empty.");
        return Ok(ExitCode::SUCCESS);
    }
    let header = ["NAME", "VERSION", "ROLES", "SHA256", "DESCRIPTION"].map(String::from);
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (cell, w) in row.iter().zip(widths) {
            line.push_str(&format!("{cell:<w$}  "));
        }
        line.push_str(&row[4]);
        println!("{line}");
    }
    if !registry.suites.is_empty() {
        println!("\nSUITES (run them by name)");
        for suite in &registry.suites {
            let members: Vec<&str> = suite.members.iter().map(|m| m.benchmark.as_str()).collect();
            println!(
                "{:<18} {} [{}]",
                suite.name,
                suite.description,
                members.join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
