//! `scorebox run` and `scorebox score`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use scorebox::model::{self, RequestCache};
use scorebox::registry::{Lockfile, RegistryError};
use scorebox::report::{self, RunMeta};
use scorebox::run::journal::{self, Journal};
use scorebox::run::{self, AnswerStore, RunConfig};
use serde_json::json;

use super::{EXIT_PARTIAL, Paths};
use crate::cli::CommonRunArgs;

/// Runs `benchmarks` against `model_spec`; `replay` marks a `score` command.
pub fn run(
    paths: &Paths,
    benchmarks: Vec<String>,
    model_spec: &str,
    replay: Option<&Path>,
    args: CommonRunArgs,
) -> Result<ExitCode> {
    let started = Instant::now();
    let started_unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    #[allow(unused_mut)]
    let mut server = args.server.settings();
    #[cfg(feature = "local")]
    {
        server.local.cache_root = paths.cache_root.clone();
    }
    let model = model::from_spec(model_spec, &server).with_context(|| match replay {
        Some(p) => format!("reading responses from {}", p.display()),
        None => "choosing the model".into(),
    })?;
    let judge = args
        .judge
        .as_deref()
        .map(|spec| model::from_spec(spec, &server))
        .transpose()
        .context("choosing the judge")?;
    let registry = paths.open_registry()?;
    let (benchmarks, suites, mut bench_options) = expand_suites(&registry, benchmarks)?;
    let (options, own_options) = parse_options(&args.options, &benchmarks)?;
    for (bench, given) in own_options {
        bench_options.entry(bench).or_default().extend(given);
    }
    let data = parse_data(&args.data, &benchmarks)?;
    let limits = args.limits.limits();
    let workers = args.workers.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let output = match (&args.resume, &args.output) {
        (Some(dir), Some(out)) if !same_dir(dir, out) => {
            bail!(
                "--resume {} and --output {} name different directories",
                dir.display(),
                out.display()
            )
        }
        (Some(dir), _) => dir.clone(),
        (None, Some(out)) => out.clone(),
        (None, None) => default_output(&benchmarks, started_unix),
    };
    let journal_args = json!({
        "benchmarks": benchmarks,
        "model": model.spec(),
        "judge": judge.as_ref().map(|j| j.spec()),
        "seed": args.seed,
        "options": options,
        "benchmark_options": bench_options,
        "data": data.iter().map(|(k, v)| (k.clone().unwrap_or_else(|| "*".into()), v.display().to_string())).collect::<BTreeMap<_, _>>(),
        "limit": args.limit,
        "max_steps": args.max_steps,
    });
    let resumed = match &args.resume {
        Some(dir) => {
            let journal = Journal::resume(dir)?;
            let before = &journal.resumed().args;
            if before != &journal_args {
                bail!(
                    "{} was started with different arguments:\n  then: {before}\n  now:  {journal_args}\nresume with the same benchmarks, model, data, options, seed and limit",
                    dir.display()
                );
            }
            Some(Arc::new(journal))
        }
        None => {
            if journal::unfinished(&output) {
                bail!(
                    "{} holds a run that did not finish; continue it with --resume {} or choose another --output",
                    output.display(),
                    output.display()
                );
            }
            None
        }
    };
    let mut stores: Vec<Arc<dyn AnswerStore>> = Vec::new();
    if let Some(journal) = &resumed {
        stores.push(journal.clone());
    }
    if !args.no_cache && (model.cacheable() || judge.as_ref().is_some_and(|j| j.cacheable())) {
        let path = args
            .cache
            .clone()
            .unwrap_or_else(|| paths.cache_root.join("requests.sqlite"));
        stores.push(Arc::new(RequestCache::open(&path)?));
    }
    let stop = Arc::new(AtomicBool::new(false));
    install_interrupt(&stop);
    // An in-process model gains nothing from more requests in flight.
    let concurrency = [Some(&model), judge.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|m| m.max_in_flight())
        .fold(args.concurrency, usize::min);
    let mut config = RunConfig {
        benchmarks: benchmarks.clone(),
        model,
        judge,
        data,
        data_root: paths.data_root.clone(),
        limit: args.limit,
        seed: args.seed,
        options: options.clone(),
        bench_options: bench_options.clone(),
        workers,
        concurrency,
        stores,
        stop: stop.clone(),
        journal: resumed,
        max_steps: args.max_steps,
        progress: !args.quiet,
    };
    let sandbox = paths.sandbox(limits.clone())?;
    let prepared = run::prepare(&registry, &sandbox, &config)?;

    let lock_path = args
        .lockfile
        .clone()
        .unwrap_or_else(|| output.join("scorebox.lock"));
    let lock = report::lockfile(&prepared);
    if args.locked {
        let pinned = Lockfile::read(&lock_path).with_context(
            || "--locked needs an existing lockfile (give one with --lockfile FILE)",
        )?;
        let drift = lock.drift_from(&pinned);
        if !drift.is_empty() {
            return Err(RegistryError::LockDrift {
                path: lock_path,
                drift,
            }
            .into());
        }
    }
    if config.journal.is_none() {
        let journal = Arc::new(Journal::create(&output, journal_args)?);
        config.stores.insert(0, journal.clone());
        config.journal = Some(journal);
    }

    let mut runs = Vec::new();
    for p in prepared {
        let run = run::execute(p, &config)?;
        let complete = run.is_complete();
        runs.push(run);
        if !complete || stop.load(Ordering::Relaxed) {
            let done: usize = runs.iter().map(|r| r.outcomes.len()).sum();
            eprintln!(
                "interrupted after {done} samples; everything done so far is in {}.\nContinue with: {} --resume {}",
                output.display(),
                resume_command(),
                output.display()
            );
            return Ok(ExitCode::from(130));
        }
    }
    let meta = RunMeta {
        model: config.model.spec(),
        model_details: config.model.describe(),
        judge: config.judge.as_ref().map(|j| j.spec()),
        seed: config.seed,
        limit: config.limit,
        workers,
        options: json!(options),
        limits: json!({
            "fuel_per_step": limits.fuel_per_step,
            "fuel_per_batch": limits.fuel_per_batch,
            "timeout_secs": limits.timeout_secs,
            "max_memory": limits.max_memory,
            "max_stack": limits.max_stack,
            "max_output": limits.max_output,
        }),
        started_unix,
        elapsed: started.elapsed(),
        suites: report::suite_scores(&suites, &runs),
    };
    report::write_outputs(&output, &runs, &meta).context("writing the results")?;
    if let Some(journal) = &config.journal {
        journal.finish()?;
    }
    if args.lockfile.is_some() && !args.locked {
        lock.write(&lock_path)?;
    }
    print!("{}", report::render_table(&runs, &meta.suites));
    println!("Results in {}", output.display());
    let partial = runs
        .iter()
        .any(|r| r.failures() > 0 || r.report.is_err() || !r.invalid_rows.is_empty());
    if partial {
        for r in &runs {
            for o in r.outcomes.iter().filter(|o| o.result.is_err()).take(5) {
                if let Err(e) = &o.result {
                    eprintln!("failed: {e}");
                }
            }
            for row in r.invalid_rows.iter().take(5) {
                eprintln!(
                    "invalid row: {}: {} row {}{}: {}",
                    r.prepared.name,
                    row.path,
                    row.row,
                    row.field
                        .as_ref()
                        .map(|f| format!(", field `{f}`"))
                        .unwrap_or_default(),
                    row.message
                );
            }
        }
        return Ok(ExitCode::from(EXIT_PARTIAL));
    }
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C once: stop starting samples, finish those in flight, keep the
/// journal. Twice: quit at once (the journal is still intact).
fn install_interrupt(stop: &Arc<AtomicBool>) {
    let stop = stop.clone();
    let _ = ctrlc::set_handler(move || {
        if stop.swap(true, Ordering::SeqCst) {
            eprintln!("\ninterrupted again; quitting now (the journal keeps what is done)");
            std::process::exit(130);
        }
        eprintln!("\nstopping: finishing the samples in flight (Ctrl-C again to quit now)");
    });
}

/// Whether two paths name the same directory.
fn same_dir(a: &Path, b: &Path) -> bool {
    let full = |p: &Path| {
        p.canonicalize()
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    full(a) == full(b)
}

/// The command line that was run, without any `--resume DIR`.
fn resume_command() -> String {
    let mut args: Vec<String> = Vec::new();
    let mut skip = false;
    for arg in std::env::args() {
        if skip {
            skip = false;
            continue;
        }
        if arg == "--resume" {
            skip = true;
            continue;
        }
        if arg.starts_with("--resume=") {
            continue;
        }
        args.push(if arg.contains(' ') {
            format!("'{arg}'")
        } else {
            arg
        });
    }
    args.join(" ")
}

/// Global `KEY=VALUE` options, and `NAME.KEY=VALUE` ones for one benchmark.
type Options = BTreeMap<String, String>;

fn parse_options(
    given: &[String],
    benchmarks: &[String],
) -> Result<(Options, BTreeMap<String, Options>)> {
    let names: Vec<&str> = benchmarks
        .iter()
        .map(|b| b.split('@').next().unwrap_or(b))
        .collect();
    let mut global = BTreeMap::new();
    let mut own: BTreeMap<String, Options> = BTreeMap::new();
    for item in given {
        let Some((key, value)) = item.split_once('=') else {
            bail!("option `{item}` is not KEY=VALUE (or NAME.KEY=VALUE for one benchmark)");
        };
        let key = key.trim();
        let (target, key) = match key.split_once('.') {
            Some((name, k)) if names.contains(&name) => {
                (own.entry(name.to_string()).or_default(), k)
            }
            _ => (&mut global, key),
        };
        if target.insert(key.to_string(), value.to_string()).is_some() {
            bail!("option `{key}` is given twice");
        }
    }
    Ok((global, own))
}

/// The benchmarks, the suites, and the suites' per-benchmark options.
type Expanded = (
    Vec<String>,
    Vec<scorebox::registry::Suite>,
    BTreeMap<String, Options>,
);

/// Replaces suite names by their members.
fn expand_suites(
    registry: &scorebox::registry::Registry,
    requested: Vec<String>,
) -> Result<Expanded> {
    let mut benchmarks = Vec::new();
    let mut suites = Vec::new();
    let mut options: BTreeMap<String, Options> = BTreeMap::new();
    for name in requested {
        let Some(suite) = registry.suite(&name) else {
            benchmarks.push(name);
            continue;
        };
        for member in &suite.members {
            let bench = member
                .benchmark
                .split('@')
                .next()
                .unwrap_or(&member.benchmark)
                .to_string();
            if benchmarks
                .iter()
                .any(|b: &String| b.split('@').next() == Some(bench.as_str()))
            {
                bail!(
                    "`{bench}` is in the run twice (suite `{}` includes it)",
                    suite.name
                );
            }
            benchmarks.push(member.benchmark.clone());
            options
                .entry(bench)
                .or_default()
                .extend(member.options.clone());
        }
        suites.push(suite.clone());
    }
    Ok((benchmarks, suites, options))
}

fn parse_data(
    given: &[String],
    benchmarks: &[String],
) -> Result<BTreeMap<Option<String>, PathBuf>> {
    let names: Vec<&str> = benchmarks
        .iter()
        .map(|b| b.split('@').next().unwrap_or(b))
        .collect();
    let mut data = BTreeMap::new();
    for item in given {
        let (key, path) = match item.split_once('=') {
            Some((name, path)) if names.contains(&name) => (Some(name.to_string()), path),
            _ => (None, item.as_str()),
        };
        if key.is_none() && benchmarks.len() > 1 {
            bail!(
                "--data {item}: with several benchmarks, say which one it is for: --data NAME=PATH"
            );
        }
        if data.insert(key, PathBuf::from(path)).is_some() {
            bail!("--data is given twice for the same benchmark");
        }
    }
    Ok(data)
}

/// `runs/<UTC yyyymmddThhmmss>-<names>`.
fn default_output(benchmarks: &[String], unix: f64) -> PathBuf {
    let secs = unix as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let names: Vec<&str> = benchmarks
        .iter()
        .map(|b| b.split('@').next().unwrap_or(b))
        .collect();
    let mut name = names.join("+");
    if name.len() > 60 {
        name.truncate(60);
    }
    PathBuf::from("runs").join(format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}-{name}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_default_output() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_787), (2026, 11, 30));
        let out = default_output(&["mmlu@0.1.0".into(), "mmlu-pro".into()], 1_796_041_800.0);
        assert_eq!(out, PathBuf::from("runs/20261130T123000-mmlu+mmlu-pro"));
    }

    #[test]
    fn data_arguments_need_names_with_several_benchmarks() {
        let one = parse_data(&["x.csv".into()], &["mmlu".into()]).unwrap();
        assert_eq!(one.get(&None), Some(&PathBuf::from("x.csv")));
        let err = parse_data(&["x.csv".into()], &["mmlu".into(), "mmlu-pro".into()]).unwrap_err();
        assert!(err.to_string().contains("NAME=PATH"));
        let named = parse_data(
            &["mmlu=a".into(), "mmlu-pro=b".into()],
            &["mmlu".into(), "mmlu-pro".into()],
        )
        .unwrap();
        assert_eq!(
            named.get(&Some("mmlu-pro".into())),
            Some(&PathBuf::from("b"))
        );
        assert!(parse_options(&["novalue".into()], &[]).is_err());
        let (global, own) = parse_options(
            &["k=1".into(), "mmlu.variant=generative".into()],
            &["mmlu".into()],
        )
        .unwrap();
        assert_eq!(global["k"], "1");
        assert_eq!(own["mmlu"]["variant"], "generative");
    }
}
