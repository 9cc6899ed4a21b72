//! Performance of the sandbox on MMLU-Pro: compile (cold and cached),
//! instantiation, per-sample scoring in wasm next to the same scorer
//! compiled natively, and a whole replay run over 12,000 generated rows.
//!
//! `cargo bench -p scorebox --bench scoring` prints a table. Figures are
//! medians over repeats; this is a measurement, not a test.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use scorebox::model::{Model, Replay};
use scorebox::registry::Registry;
use scorebox::run::{self, RunConfig};
use scorebox::runtime::wit::{Answer, Step};
use scorebox::runtime::{Limits, Plugin, PluginId, Sandbox};

const ROWS: usize = 12_000;
const CATEGORIES: [&str; 14] = [
    "biology",
    "business",
    "chemistry",
    "computer science",
    "economics",
    "engineering",
    "health",
    "history",
    "law",
    "math",
    "other",
    "philosophy",
    "physics",
    "psychology",
];

/// Responses in the shapes models really give, cycling over the rows.
fn response(i: usize, answer: char) -> String {
    match i % 6 {
        0 => format!(
            "Let's think step by step. The options narrow quickly. The answer is ({answer})."
        ),
        1 => format!("Working through each option in turn.\nAnswer: {answer}"),
        2 => "I am not sure; none of these look right to me.".to_string(),
        3 => format!(
            "After eliminating A and B, the answer is ({answer}). Double-checking confirms it."
        ),
        4 => format!(
            "{} The best choice is **{answer}**.",
            "Reasoning about the question at some length. ".repeat(20)
        ),
        _ => String::new(),
    }
}

/// Writes test and validation jsonl plus a replay file into `dir`.
fn generate(dir: &Path) {
    use std::fmt::Write;
    let (mut test, mut validation, mut responses) = (String::new(), String::new(), String::new());
    for i in 0..ROWS {
        let n = 4 + i % 7;
        let options: Vec<String> = (0..n)
            .map(|k| format!("candidate answer number {k} for item {i}"))
            .collect();
        let answer = (i * 7) % n;
        let letter = (b'A' + answer as u8) as char;
        let row = serde_json::json!({
            "question_id": i, "question": format!("Generated question {i}: which candidate is right?"),
            "options": options, "answer": letter.to_string(), "answer_index": answer,
            "cot_content": "", "category": CATEGORIES[i % CATEGORIES.len()], "src": "generated",
        });
        writeln!(test, "{row}").unwrap();
        writeln!(
            responses,
            "{}",
            serde_json::json!({"id": i, "response": response(i, letter)})
        )
        .unwrap();
    }
    for (c, category) in CATEGORIES.iter().enumerate() {
        for k in 0..5 {
            let row = serde_json::json!({
                "question_id": 1_000_000 + c * 10 + k, "question": format!("Example {k} about {category}?"),
                "options": ["first", "second", "third", "fourth"], "answer": "B", "answer_index": 1,
                "cot_content": "A: Let's think step by step. The second is right. The answer is (B).",
                "category": category, "src": "generated",
            });
            writeln!(validation, "{row}").unwrap();
        }
    }
    std::fs::write(dir.join("test.jsonl"), test).unwrap();
    std::fs::write(dir.join("validation.jsonl"), validation).unwrap();
    std::fs::write(dir.join("responses.jsonl"), responses).unwrap();
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

struct Row(String, String);

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let registry = Registry::open(&repo.join("registry"), None).unwrap();
    let bench = registry.resolve("mmlu-pro").unwrap();
    let bytes = bench.scorer.read().unwrap();
    let sha = bench.scorer.entry.sha256.clone();
    let id = PluginId {
        name: "mmlu-pro".into(),
        version: bench.scorer.entry.version.clone(),
    };
    let work = tempfile::tempdir().unwrap();
    generate(work.path());
    let mut rows = Vec::new();

    // Compile cold, then load from the on-disk cache.
    let nocache = Sandbox::new(Limits::default(), None).unwrap();
    let cold = median(
        (0..3)
            .map(|_| time(|| nocache.load("mmlu-pro", &bytes, &sha, id.clone()).unwrap()).1)
            .collect(),
    );
    let cache_dir = work.path().join("cache");
    Sandbox::new(Limits::default(), Some(cache_dir.clone()))
        .unwrap()
        .load("mmlu-pro", &bytes, &sha, id.clone())
        .unwrap();
    let cached = median(
        (0..7)
            .map(|_| {
                let sandbox = Sandbox::new(Limits::default(), Some(cache_dir.clone())).unwrap();
                let (plugin, t) =
                    time(|| sandbox.load("mmlu-pro", &bytes, &sha, id.clone()).unwrap());
                assert!(plugin.cache_outcome().is_hit());
                t
            })
            .collect(),
    );
    rows.push(Row(
        "compile component (cold, cranelift)".into(),
        format!("{:.1} ms", cold.as_secs_f64() * 1e3),
    ));
    rows.push(Row(
        "load component from compile cache".into(),
        format!("{:.2} ms", cached.as_secs_f64() * 1e3),
    ));

    // Instantiation (from the shared InstancePre).
    let sandbox = Sandbox::new(Limits::default(), Some(cache_dir.clone())).unwrap();
    let plugin: Plugin = sandbox.load("mmlu-pro", &bytes, &sha, id.clone()).unwrap();
    let n = 300;
    let (_, t) = time(|| {
        for _ in 0..n {
            drop(plugin.instantiate().unwrap());
        }
    });
    rows.push(Row(
        "instantiate".into(),
        format!("{:.1} µs", t.as_secs_f64() * 1e6 / n as f64),
    ));

    // Load the generated rows once (wasm), keep samples and shared data.
    let files = scorebox::data::read_dataset(&work.path().join("test.jsonl"))
        .unwrap()
        .into_iter()
        .chain(scorebox::data::read_dataset(&work.path().join("validation.jsonl")).unwrap())
        .collect::<Vec<_>>();
    let mut loader = plugin.instantiate().unwrap();
    let options = default_options(&mut loader);
    let (loaded, load_time) = time(|| loader.load(&files, &options, 1).unwrap());
    rows.push(Row(
        format!("load {ROWS} rows (wasm loader)"),
        format!("{:.1} ms", load_time.as_secs_f64() * 1e3),
    ));
    let samples: Vec<_> = loaded
        .items
        .iter()
        .filter_map(|l| match l {
            scorebox::runtime::wit::Loaded::Sample(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(samples.len(), ROWS);
    let answers: Vec<Answer> = (0..ROWS)
        .map(|i| Answer::Text(response(i, answer_letter(i))))
        .collect();

    // Per-sample scoring: wasm, one instance, one thread; then the same
    // with fuel metering off (`--fuel 0`): what determinism costs.
    let wasm = wasm_per_sample(&plugin, &loaded.shared, &options, &samples, &answers);
    let unfueled = Sandbox::new(
        Limits {
            fuel_per_step: 0,
            ..Limits::default()
        },
        Some(cache_dir.clone()),
    )
    .unwrap();
    let quick = unfueled.load("mmlu-pro", &bytes, &sha, id.clone()).unwrap();
    let wasm_nofuel = wasm_per_sample(&quick, &loaded.shared, &options, &samples, &answers);

    // The same scorer compiled natively, through the SDK's in-process host
    // (the same glue the component exports).
    let native = native_per_sample(work.path(), &answers);
    let wasm_us = wasm.as_secs_f64() * 1e6 / ROWS as f64;
    let native_us = native.as_secs_f64() * 1e6 / ROWS as f64;
    rows.push(Row(
        "score one sample, wasm (1 thread)".into(),
        format!("{wasm_us:.2} µs"),
    ));
    rows.push(Row(
        "score one sample, native (1 thread)".into(),
        format!("{native_us:.2} µs"),
    ));
    rows.push(Row(
        "wasm / native".into(),
        format!("{:.2}×", wasm_us / native_us),
    ));
    let nofuel_us = wasm_nofuel.as_secs_f64() * 1e6 / ROWS as f64;
    rows.push(Row(
        "score one sample, wasm, fuel off (1 thread)".into(),
        format!("{nofuel_us:.2} µs"),
    ));
    rows.push(Row(
        "wasm with fuel off / native".into(),
        format!("{:.2}×", nofuel_us / native_us),
    ));

    // A whole replay run: read files, load, score on every core, aggregate.
    let replay: Arc<dyn Model> =
        Arc::new(Replay::open(&work.path().join("responses.jsonl")).unwrap());
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let config = RunConfig {
        data: BTreeMap::from([(None, work.path().join("data"))]),
        workers,
        ..RunConfig::new(vec!["mmlu-pro".into()], replay)
    };
    std::fs::create_dir_all(work.path().join("data")).unwrap();
    for f in ["test.jsonl", "validation.jsonl"] {
        std::fs::copy(work.path().join(f), work.path().join("data").join(f)).unwrap();
    }
    let whole = median(
        (0..3)
            .map(|_| {
                time(|| {
                    let prepared = run::prepare(&registry, &sandbox, &config)
                        .unwrap()
                        .remove(0);
                    let done = run::execute(prepared, &config).unwrap();
                    assert_eq!(done.failures(), 0);
                })
                .1
            })
            .collect(),
    );
    rows.push(Row(
        format!("replay run, {ROWS} rows, {workers} workers (end to end)"),
        format!(
            "{:.0} ms = {:.0} samples/s",
            whole.as_secs_f64() * 1e3,
            ROWS as f64 / whole.as_secs_f64()
        ),
    ));

    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap();
    println!("| {:<width$} | value |", "MMLU-Pro, this machine");
    println!("| {} | ----- |", "-".repeat(width));
    for Row(what, value) in rows {
        println!("| {what:<width$} | {value} |");
    }
}

/// Scores every sample in one instance, one thread: median of 3 passes.
fn wasm_per_sample(
    plugin: &Plugin,
    shared: &str,
    options: &[scorebox::runtime::wit::OptionValue],
    samples: &[scorebox::runtime::wit::Sample],
    answers: &[Answer],
) -> Duration {
    let mut instance = plugin.instantiate().unwrap();
    instance.prepare(shared, options).unwrap();
    median(
        (0..3)
            .map(|_| {
                time(|| {
                    for (i, sample) in samples.iter().enumerate() {
                        let config = scorebox::runtime::wit::EpisodeConfig {
                            seed: i as u64,
                            options: options.to_vec(),
                        };
                        let episode = instance.start_episode(sample, &config).unwrap();
                        let Step::Ask(_) = instance.step(&episode, None, 0).unwrap() else {
                            panic!("expected a query")
                        };
                        let Step::Done(_) = instance.step(&episode, Some(&answers[i]), 1).unwrap()
                        else {
                            panic!("expected done")
                        };
                        instance.finish_episode(episode);
                    }
                })
                .1
            })
            .collect(),
    )
}

fn answer_letter(i: usize) -> char {
    let n = 4 + i % 7;
    (b'A' + ((i * 7) % n) as u8) as char
}

fn default_options(
    instance: &mut scorebox::runtime::PluginInstance,
) -> Vec<scorebox::runtime::wit::OptionValue> {
    instance
        .info()
        .unwrap()
        .options
        .into_iter()
        .map(|o| scorebox::runtime::wit::OptionValue {
            key: o.key,
            value: o.default,
        })
        .collect()
}

fn native_per_sample(dir: &Path, answers: &[Answer]) -> Duration {
    use scorebox_sdk::testing;
    let file = |name: &str| {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        scorebox_sdk::DataFile {
            path: name.into(),
            sha256: String::new(),
            format: scorebox_sdk::FileFormat::Jsonl,
            rows: text.lines().map(str::to_owned).collect(),
        }
    };
    let options = testing::options(&[]);
    let (items, shared) = testing::load::<mmlu_pro::MmluPro>(
        vec![file("test.jsonl"), file("validation.jsonl")],
        &options,
    )
    .unwrap();
    testing::prepare::<mmlu_pro::MmluPro>(&shared, &options).unwrap();
    let samples: Vec<scorebox_sdk::Sample> = items
        .into_iter()
        .filter_map(|l| match l {
            scorebox_sdk::Loaded::Sample(s) => Some(s),
            _ => None,
        })
        .collect();
    let answers: Vec<scorebox_sdk::Answer> = answers
        .iter()
        .map(|a| match a {
            Answer::Text(t) => scorebox_sdk::Answer::Text(t.clone()),
            _ => unreachable!(),
        })
        .collect();
    median(
        (0..3)
            .map(|_| {
                time(|| {
                    for (i, sample) in samples.iter().enumerate() {
                        let score =
                            testing::score::<mmlu_pro::MmluPro>(sample, i as u64, &options, |_| {
                                answers[i].clone()
                            })
                            .unwrap();
                        std::hint::black_box(score);
                    }
                })
                .1
            })
            .collect(),
    )
}
