//! Re-scoring saved responses, end to end through the sandbox: 541 IFEval
//! responses and 5,000 MATH responses (rows generated from our bundled
//! samples and fidelity corpora), wall time and CPU time.
//!
//! `cargo bench -p scorebox --bench replay` prints a table.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use scorebox::model::{Model, ModelError, ModelRequest, Reply};
use scorebox::registry::Registry;
use scorebox::run::{self, RunConfig};
use scorebox::runtime::wit::Answer;
use scorebox::runtime::{Limits, Sandbox};
use serde_json::Value;

/// Answers by sample id, in place.
struct Saved(HashMap<String, String>);

impl Model for Saved {
    fn spec(&self) -> String {
        "saved".into()
    }
    fn answer(&self, request: &ModelRequest) -> Reply {
        Reply::Now(
            self.0
                .get(&request.sample)
                .map(|t| Answer::Text(t.clone()))
                .ok_or_else(|| ModelError {
                    model: "saved".into(),
                    message: format!("no response for {}", request.sample),
                }),
        )
    }
}

/// CPU seconds (user + system) this process has used.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn config(bench: &str, data: &Path, model: Arc<dyn Model>, options: &[(&str, &str)]) -> RunConfig {
    RunConfig {
        data: BTreeMap::from([(None, data.to_path_buf())]),
        seed: 1,
        options: options
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        workers: 2,
        ..RunConfig::new(vec![bench.into()], model)
    }
}

/// Loads the benchmark once to learn its sample ids, then times a replay
/// run in which sample `i` gets `responses[i % len]`.
fn measure(
    registry: &Registry,
    sandbox: &Sandbox,
    bench: &str,
    data: &Path,
    options: &[(&str, &str)],
    responses: &[String],
) -> (usize, f64, f64) {
    let probe: Arc<dyn Model> = Arc::new(Saved(HashMap::new()));
    let prepared = run::prepare(registry, sandbox, &config(bench, data, probe, options))
        .unwrap()
        .remove(0);
    let saved: HashMap<String, String> = prepared
        .samples
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), responses[i % responses.len()].clone()))
        .collect();
    let n = saved.len();
    let cfg = config(bench, data, Arc::new(Saved(saved)), options);
    let prepared = run::prepare(registry, sandbox, &cfg).unwrap().remove(0);
    let (cpu, wall) = (cpu_seconds(), Instant::now());
    let done = run::execute(prepared, &cfg).unwrap();
    let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    assert_eq!(
        done.failures(),
        0,
        "{:?}",
        done.outcomes.iter().find_map(|o| o.result.as_ref().err())
    );
    (n, wall, cpu)
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let registry = Registry::open(&repo.join("registry"), None).unwrap();
    let work = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::new(Limits::default(), Some(work.path().join("cache"))).unwrap();
    let read = |p: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(repo.join(p)).unwrap()).unwrap()
    };

    // IFEval: 541 prompts (the bundled ones, cycled, with fresh keys) and
    // the fidelity corpus's responses.
    let sample =
        std::fs::read_to_string(repo.join("plugins/ifeval/sample/ifeval_input_data.jsonl"))
            .unwrap();
    let prompts: Vec<Value> = sample
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dir = work.path().join("ifeval");
    std::fs::create_dir_all(&dir).unwrap();
    let rows: Vec<String> = (0..541)
        .map(|i| {
            let mut p = prompts[i % prompts.len()].clone();
            p["key"] = Value::from(100_000 + i);
            p.to_string()
        })
        .collect();
    std::fs::write(dir.join("input.jsonl"), rows.join("\n")).unwrap();
    let responses: Vec<String> = read("plugins/ifeval/fidelity/cases.json")["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    let ifeval = measure(&registry, &sandbox, "ifeval", &dir, &[], &responses);

    // MATH: 5,000 problems from the fidelity corpus's solutions, answered by
    // its responses (all three scorers run: minerva reports exact_match and
    // math_verify).
    let cases = read("plugins/math/fidelity/cases.json");
    let cases = cases["cases"].as_array().unwrap();
    let dir = work.path().join("math");
    std::fs::create_dir_all(&dir).unwrap();
    let rows: Vec<String> = (0..5000)
        .map(|i| {
            let c = &cases[i % cases.len()];
            serde_json::json!({"problem": format!("Problem {i}"), "level": c["level"], "type": "Algebra", "solution": c["solution"]}).to_string()
        })
        .collect();
    std::fs::write(dir.join("test.jsonl"), rows.join("\n")).unwrap();
    let few: Vec<String> = (0..4)
        .map(|i| serde_json::json!({"problem": format!("Example {i}"), "level": "Level 1", "type": "Algebra", "solution": "So it is $\\boxed{1}$."}).to_string())
        .collect();
    std::fs::write(dir.join("fewshot.jsonl"), few.join("\n")).unwrap();
    let responses: Vec<String> = (0..5000)
        .map(|i| {
            cases[i % cases.len()]["response"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let math = measure(&registry, &sandbox, "math", &dir, &[], &responses);
    let hard = measure(
        &registry,
        &sandbox,
        "math",
        &dir,
        &[("variant", "leaderboard"), ("subset", "all")],
        &responses,
    );

    println!("| re-scoring, 2 workers | responses | wall | CPU |");
    println!("| --- | ---: | ---: | ---: |");
    for (what, (n, wall, cpu)) in [
        ("IFEval (4 metrics, strict + loose)", ifeval),
        ("MATH minerva (exact_match + math_verify)", math),
        ("MATH leaderboard (math-verify + original)", hard),
    ] {
        println!("| {what} | {n} | {:.0} ms | {:.2} s |", wall * 1e3, cpu);
    }
}
