//! `scorebox verify`: recompute every component's sha256 (and every bundled
//! sample's digest) and compare with the registry.

use std::process::ExitCode;

use anyhow::Result;
use scorebox::registry::dir_digest;
use scorebox::runtime::sha256_hex;

use super::Paths;

/// Prints one line per component; exits 1 on any mismatch.
pub fn run(paths: &Paths) -> Result<ExitCode> {
    let registry = paths.open_registry()?;
    let mut bad = 0;
    let mut count = 0;
    for c in registry.components() {
        count += 1;
        let key = c.entry.key();
        let path = c.path();
        match std::fs::read(&path) {
            Err(e) => {
                bad += 1;
                println!("MISSING   {key}: {}: {e}", path.display());
            }
            Ok(bytes) => {
                let actual = sha256_hex(&bytes);
                if actual != c.entry.sha256 {
                    bad += 1;
                    println!(
                        "MISMATCH  {key}: {} has sha256 {actual}, the registry pins {}",
                        path.display(),
                        c.entry.sha256
                    );
                } else if bytes.len() as u64 != c.entry.size {
                    bad += 1;
                    println!(
                        "MISMATCH  {key}: size {} differs from the registry's {}",
                        bytes.len(),
                        c.entry.size
                    );
                } else {
                    println!("ok        {key}  {}", c.entry.sha256);
                }
            }
        }
        if c.entry.dataset.is_some() {
            match c.dataset() {
                Ok(_) => println!("ok        {key} dataset manifest"),
                Err(e) => {
                    bad += 1;
                    println!("MISMATCH  {key} dataset manifest: {e}");
                }
            }
        }
        if let (Some(dir), Some(expected)) = (c.sample_dir(), &c.entry.sample_sha256) {
            match dir_digest(&dir) {
                Ok(actual) if &actual == expected => println!("ok        {key} sample  {actual}"),
                Ok(actual) => {
                    bad += 1;
                    println!(
                        "MISMATCH  {key} sample: {} has digest {actual}, the registry pins {expected}",
                        dir.display()
                    );
                }
                Err(e) => {
                    bad += 1;
                    println!("MISSING   {key} sample: {e}");
                }
            }
        }
    }
    if bad > 0 {
        eprintln!("error: {bad} of the registry's files do not match their pinned hashes");
        return Ok(ExitCode::from(1));
    }
    eprintln!("{count} components verified");
    Ok(ExitCode::SUCCESS)
}
