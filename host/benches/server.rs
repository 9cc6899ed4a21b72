//! Host overhead per model request: scorebox scoring MMLU-Pro against a
//! loopback OpenAI-compatible server that answers at once, at concurrency
//! 1, 64 and 256, next to a bare HTTP client doing the same requests; and
//! memory per thousand samples in flight.
//!
//! `cargo bench -p scorebox --bench server` prints a table.

#[path = "../../tests/common/server.rs"]
mod server;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use scorebox::model::{Model, OpenAi, ServerSettings};
use scorebox::registry::Registry;
use scorebox::run::{self, RunConfig};
use scorebox::runtime::{Limits, Sandbox};

fn generate(dir: &Path, n: usize) {
    use std::fmt::Write;
    let (mut test, mut validation) = (String::new(), String::new());
    for i in 0..n {
        let row = serde_json::json!({
            "question_id": i, "question": format!("Question {i}?"), "options": ["a", "b", "c", "d"],
            "answer": "B", "answer_index": 1, "cot_content": "", "category": "math", "src": "generated",
        });
        writeln!(test, "{row}").unwrap();
    }
    for k in 0..5 {
        let row = serde_json::json!({
            "question_id": 1_000_000 + k, "question": "Example?", "options": ["x", "y"], "answer": "A",
            "answer_index": 0, "cot_content": "A: Let's think step by step. The answer is (A).", "category": "math", "src": "generated",
        });
        writeln!(validation, "{row}").unwrap();
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("test.jsonl"), test).unwrap();
    std::fs::write(dir.join("validation.jsonl"), validation).unwrap();
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Scores `n` generated rows against `model`; returns the wall time.
fn scorebox_run(
    registry: &Registry,
    sandbox: &Sandbox,
    data: &Path,
    model: Arc<dyn Model>,
    concurrency: usize,
) -> Duration {
    let config = RunConfig {
        data: BTreeMap::from([(None, data.to_path_buf())]),
        seed: 1,
        workers: 2,
        concurrency,
        ..RunConfig::new(vec!["mmlu-pro".into()], model)
    };
    let prepared = run::prepare(registry, sandbox, &config).unwrap().remove(0);
    let start = Instant::now();
    let done = run::execute(prepared, &config).unwrap();
    let elapsed = start.elapsed();
    assert_eq!(
        done.failures(),
        0,
        "{:?}",
        done.outcomes
            .iter()
            .find(|o| o.result.is_err())
            .map(|o| &o.result)
    );
    elapsed
}

/// The same number of chat requests from a bare reqwest client.
fn bare_http(base: &str, n: usize, concurrency: usize) -> Duration {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = reqwest::Client::new();
    let url = format!("{base}/chat/completions");
    runtime.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for i in 0..n {
            let permit = permits.clone().acquire_owned().await.unwrap();
            let client = client.clone();
            let url = url.clone();
            tasks.push(tokio::spawn(async move {
                let body = serde_json::json!({"model": "m", "messages": [{"role": "user", "content": format!("Question {i}?")}], "temperature": 0.0});
                let reply: serde_json::Value = client.post(&url).json(&body).send().await.unwrap().json().await.unwrap();
                drop(permit);
                reply
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        start.elapsed()
    })
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let registry = Registry::open(&repo.join("registry"), None).unwrap();
    let work = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::new(Limits::default(), Some(work.path().join("cache"))).unwrap();
    let fake = server::FakeServer::start();
    let model: Arc<dyn Model> =
        Arc::new(OpenAi::new(&format!("{}#m", fake.base), &ServerSettings::default()).unwrap());
    let mut rows = Vec::new();
    for (concurrency, n) in [(1usize, 1000usize), (64, 4000), (256, 4000)] {
        let data = work.path().join(format!("c{concurrency}"));
        generate(&data, n);
        let ours = scorebox_run(&registry, &sandbox, &data, model.clone(), concurrency);
        let bare = bare_http(&fake.base, n, concurrency);
        let per = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
        rows.push(format!(
            "| {concurrency:>4} | {n:>5} | {:>8.0} | {:>8.0} | {:>7.1} µs |",
            n as f64 / ours.as_secs_f64(),
            n as f64 / bare.as_secs_f64(),
            per(ours) - per(bare),
        ));
    }
    println!(
        "Loopback server answering at once; scorebox = load + wasm scoring + request + journal-free run."
    );
    println!(
        "| concurrency | requests | scorebox req/s | bare reqwest req/s | added wall time per request |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for r in rows {
        println!("{r}");
    }

    // Memory: 1000 samples in flight against a server that holds each answer.
    let data = work.path().join("mem");
    generate(&data, 1000);
    fake.behaviour.lock().unwrap().delay = Duration::from_millis(1500);
    let before = rss_kib();
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(before));
    let watcher = {
        let peak = peak.clone();
        std::thread::spawn(move || {
            for _ in 0..400 {
                peak.fetch_max(rss_kib(), std::sync::atomic::Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    scorebox_run(&registry, &sandbox, &data, model, 1000);
    watcher.join().unwrap();
    let peak = peak.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "memory: {:.1} MiB resident before, {:.1} MiB peak with 1000 samples in flight: {:.1} MiB per thousand (client side, server threads included)",
        before as f64 / 1024.0,
        peak as f64 / 1024.0,
        (peak - before) as f64 / 1024.0
    );
}
