//! Speed of the local model on this machine: prompt tokens/s, generated
//! tokens/s and MMLU-style log-likelihood samples/s (one sample = the four
//! continuations " A".." D" of one question, from `compare/prompts.json`).
//!
//! ```sh
//! cargo run --release --example bench [-- --model PATH] [--threads N] [--json]
//! ```
//!
//! `compare/compare_llama_cpp_python.py` runs it with `--json` and measures
//! llama-cpp-python the same way, with the spec this prints.

use std::time::Instant;

use scorebox_llama::{LocalModel, LocalOptions, fetch};
use serde_json::{Value, json};

const REPEATS: usize = 3;
const GEN_TOKENS: u32 = 128;
const GEN_PROMPT: &str =
    "Once upon a time, in a small village by the sea, there lived an old fisherman who";

/// A prompt of a few hundred tokens (under one 512-token micro-batch).
fn prompt_text() -> String {
    let para = "The history of science is the study of the development of science and scientific \
                knowledge, including both the natural and social sciences. Science is a body of \
                empirical, theoretical, and practical knowledge about the natural world, produced by \
                scientists who emphasize the observation, explanation, and prediction of real-world \
                phenomena. ";
    para.repeat(7)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut model = None;
    let mut threads = 0;
    let mut as_json = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--model" => model = args.next(),
            "--threads" => threads = args.next().ok_or("--threads N")?.parse()?,
            "--json" => as_json = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let model_path = match model {
        Some(m) => m.into(),
        None => fetch::find_model()
            .ok_or_else(|| format!("no model: pass --model or {}", scorebox_llama::FETCH_HINT))?,
    };
    let t = Instant::now();
    let lm = LocalModel::load(
        &model_path,
        LocalOptions {
            threads,
            ..LocalOptions::default()
        },
    )?;
    let load_seconds = t.elapsed().as_secs_f64();

    // Prompt processing: a raw prompt and one generated token (its cost is
    // one argmax, negligible), from an empty cache each time.
    let prompt = prompt_text();
    let prompt_tokens = lm.tokenize(&prompt).len();
    let mut best = f64::INFINITY;
    for _ in 0..REPEATS {
        let t = Instant::now();
        lm.complete(&prompt, 1, &[], 0.0, 0)?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    let prompt_tps = prompt_tokens as f64 / best;

    // Generation: greedy until EOS or GEN_TOKENS; the time of a one-token
    // completion (prompt + first token) is subtracted.
    let mut gen_rate: f64 = 0.0;
    let mut generated = 0;
    for _ in 0..REPEATS {
        let t = Instant::now();
        lm.complete(GEN_PROMPT, 1, &[], 0.0, 0)?;
        let first = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let g = lm.complete(GEN_PROMPT, GEN_TOKENS, &[], 0.0, 0)?;
        let all = t.elapsed().as_secs_f64();
        generated = g.tokens.len();
        gen_rate = gen_rate.max((generated as f64 - 1.0) / (all - first));
    }

    // MMLU-style samples: every multiple-choice question of the prompts file.
    let prompts: Value = serde_json::from_str(include_str!("../compare/prompts.json"))?;
    let mc: Vec<&Value> = prompts["loglikelihood"]
        .as_array()
        .ok_or("prompts.json: loglikelihood")?
        .iter()
        .filter(|x| {
            let id = x["id"].as_str().unwrap_or_default();
            id.starts_with("mmlu") || id.starts_with("fewshot")
        })
        .collect();
    let mut best = f64::INFINITY;
    for _ in 0..REPEATS {
        lm.loglikelihood("Something else entirely.", " x")?; // an unrelated cache
        let t = Instant::now();
        for item in &mc {
            let conts: Vec<&str> = item["continuations"]
                .as_array()
                .ok_or("continuations")?
                .iter()
                .filter_map(Value::as_str)
                .collect();
            lm.loglikelihoods(item["context"].as_str().unwrap_or_default(), &conts)?;
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    let samples_per_s = mc.len() as f64 / best;
    let mean_ctx = mc
        .iter()
        .map(|x| {
            lm.encode_pair_ids(x["context"].as_str().unwrap_or_default(), " A")
                .0
                .len()
        })
        .sum::<usize>() as f64
        / mc.len() as f64;

    let info = lm.model_info();
    let out = json!({
        "engine": info.engine,
        "threads": if threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { threads as usize },
        "load_seconds": load_seconds,
        "prompt_tokens": prompt_tokens,
        "prompt_tokens_per_s": prompt_tps,
        "generated_tokens": generated,
        "generated_tokens_per_s": gen_rate,
        "mmlu_samples": mc.len(),
        "mmlu_mean_context_tokens": mean_ctx,
        "mmlu_samples_per_s": samples_per_s,
        "spec": {
            "prompt_text": prompt,
            "gen_prompt": GEN_PROMPT,
            "gen_tokens": GEN_TOKENS,
            "repeats": REPEATS,
        },
    });
    if as_json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "model      {} ({} parameters)",
            info.path.display(),
            info.parameters
        );
        println!("engine     {}", info.engine);
        println!("threads    {}", out["threads"]);
        println!("load       {load_seconds:.2} s (sha256 check included)");
        println!(
            "prompt     {prompt_tps:.0} tokens/s ({prompt_tokens}-token prompt, best of {REPEATS})"
        );
        println!("generate   {gen_rate:.1} tokens/s ({generated} tokens, greedy)");
        println!(
            "mmlu-style {samples_per_s:.1} samples/s ({} questions x 4 continuations, mean context {mean_ctx:.0} tokens)",
            mc.len()
        );
    }
    Ok(())
}
