//! Log-likelihoods and greedy generations for the prompts in a JSON file,
//! printed as JSON; `compare/compare_llama_cpp_python.py` runs it and compares
//! the figures with llama-cpp-python's.
//!
//! ```sh
//! cargo run --release --example loglik -- compare/prompts.json [--model PATH] [--threads N] [--f16-kv] [--no-batch] [--reuse-prefix]
//! ```
//!
//! The prompts file: `{"loglikelihood": [{"id", "context", "continuations": [...]}],
//! "generate": [{"id", "messages": [[role, content], ...], "max_tokens"}]}`.
//! The model is `--model`, else `$SCOREBOX_MODEL`, else the default model in
//! the cache (`scorebox model fetch`).

use std::time::Instant;

use scorebox_llama::{LocalModel, LocalOptions, fetch};
use serde_json::{Value, json};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut prompts = None;
    let mut model = None;
    let mut threads = 0;
    let mut f16_kv_cache = false;
    let mut batch_continuations = true;
    let mut reuse_prefix = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--model" => model = args.next(),
            "--threads" => threads = args.next().ok_or("--threads N")?.parse()?,
            "--f16-kv" => f16_kv_cache = true,
            "--no-batch" => batch_continuations = false,
            "--reuse-prefix" => reuse_prefix = true,
            _ => prompts = Some(a),
        }
    }
    let prompts =
        prompts.ok_or("usage: loglik PROMPTS.json [--model PATH] [--threads N] [--f16-kv] [--no-batch] [--reuse-prefix]")?;
    let model_path = match model {
        Some(m) => m.into(),
        None => fetch::find_model()
            .ok_or_else(|| format!("no model: pass --model or {}", scorebox_llama::FETCH_HINT))?,
    };
    let input: Value = serde_json::from_str(&std::fs::read_to_string(&prompts)?)?;
    let lm = LocalModel::load(
        &model_path,
        LocalOptions {
            threads,
            f16_kv_cache,
            batch_continuations,
            reuse_prefix,
            ..LocalOptions::default()
        },
    )?;

    let start = Instant::now();
    let mut ll_out = Vec::new();
    for item in input["loglikelihood"].as_array().into_iter().flatten() {
        let context = item["context"].as_str().ok_or("context")?;
        let conts: Vec<&str> = item["continuations"]
            .as_array()
            .ok_or("continuations")?
            .iter()
            .map(|c| c.as_str().unwrap_or_default())
            .collect();
        let results = lm.loglikelihoods(context, &conts)?;
        let choice = (0..results.len())
            .max_by(|&a, &b| {
                results[a]
                    .logprob
                    .total_cmp(&results[b].logprob)
                    .then(b.cmp(&a))
            })
            .unwrap_or(0);
        let per: Vec<Value> = conts
            .iter()
            .zip(&results)
            .map(|(c, r)| {
                let (ctx_ids, cont_ids) = lm.encode_pair_ids(context, c);
                json!({
                    "logprob": r.logprob,
                    "is_greedy": r.is_greedy,
                    "context_tokens": ctx_ids.len(),
                    "tokens": cont_ids,
                })
            })
            .collect();
        ll_out.push(json!({"id": item["id"], "choice": choice, "results": per}));
    }
    let ll_seconds = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let mut gen_out = Vec::new();
    for item in input["generate"].as_array().into_iter().flatten() {
        let messages: Vec<(String, String)> = item["messages"]
            .as_array()
            .ok_or("messages")?
            .iter()
            .map(|m| {
                (
                    m[0].as_str().unwrap_or_default().to_owned(),
                    m[1].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let max_tokens = item["max_tokens"].as_u64().unwrap_or(64) as u32;
        let stop: Vec<String> = item["stop"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect();
        let g = lm.generate_detailed(&messages, max_tokens, &stop, 0.0, 0)?;
        gen_out.push(json!({
            "id": item["id"],
            "text": g.text,
            "tokens": g.tokens,
            "prompt_tokens": g.prompt_tokens,
            "finish": format!("{:?}", g.finish),
        }));
    }
    let gen_seconds = start.elapsed().as_secs_f64();

    let info = lm.model_info();
    let out = json!({
        "model": {
            "sha256": info.sha256,
            "architecture": info.architecture,
            "parameters": info.parameters,
            "engine": info.engine,
            "kv_cache_type": info.kv_cache_type,
            "batch_continuations": batch_continuations,
            "reuse_prefix": reuse_prefix,
        },
        "loglikelihood_seconds": ll_seconds,
        "generate_seconds": gen_seconds,
        "loglikelihood": ll_out,
        "generate": gen_out,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
