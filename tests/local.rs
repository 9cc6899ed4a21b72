//! The `local` backend end to end: the real default model (SmolLM2-135M,
//! Q4_1 GGUF) in process, on bundled samples. The model comes from the user's
//! cache (`scorebox model fetch`; `cargo xtask test` fetches it and sets
//! `SCOREBOX_REQUIRE_MODEL`, which turns a missing model into a failure).

mod common;

use std::path::PathBuf;

use common::Env;
use scorebox::model::local::llama;

/// The cached default model (verified), or `None` (with a note) when it is
/// absent and not required.
fn model() -> Option<PathBuf> {
    let path = llama::fetch::default_cache_dir()
        .and_then(|dir| llama::fetch::cached_default_model(&dir).ok());
    if path.is_none() {
        assert!(
            std::env::var_os("SCOREBOX_REQUIRE_MODEL").is_none(),
            "SCOREBOX_REQUIRE_MODEL is set but the default model is not in the cache"
        );
        eprintln!("skipped: no default model ({})", llama::FETCH_HINT);
    }
    path
}

/// A real model answers log-likelihood and generative queries: MMLU's choices
/// carry real log-probabilities, IFEval gets real text, and the same run
/// twice gives the same samples.
#[test]
fn a_real_model_runs_multiple_choice_and_generation_deterministically() {
    let Some(path) = model() else { return };
    let spec = format!("local:{}", path.display());
    let env = Env::new();
    let args = |out: &'static str| {
        vec![
            "run",
            "mmlu",
            "ifeval",
            "--model",
            spec.as_str(),
            "--limit",
            "3",
            "--max-tokens",
            "48",
            "--threads",
            "1",
            "--no-cache",
            "-q",
            "-o",
            out,
        ]
    };
    let first = env.run(&args("a")).expect_code(0);
    assert!(first.stdout.contains("mmlu"), "{}", first.stdout);
    let mmlu = env.samples("a", "mmlu");
    assert_eq!(mmlu.len(), 3);
    for line in &mmlu {
        assert!(line["error"].is_null(), "{line}");
        let text = line.to_string();
        // Four real log-likelihoods per question: finite, negative, not all equal.
        let scores: Vec<f64> = line["exchanges"][0]["answer"]["scores"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|pair| pair[0].as_f64())
            .collect();
        assert_eq!(scores.len(), 4, "{text}");
        assert!(scores.iter().all(|s| s.is_finite() && *s < 0.0), "{text}");
        assert!(scores.iter().any(|s| *s != scores[0]), "{text}");
    }
    let ifeval = env.samples("a", "ifeval");
    assert_eq!(ifeval.len(), 3);
    for line in &ifeval {
        assert!(line["error"].is_null(), "{line}");
        let reply = line["exchanges"][0]["answer"]["text"]
            .as_str()
            .unwrap_or_default();
        assert!(!reply.trim().is_empty(), "empty generation: {line}");
    }
    let results = env.results("a");
    let details = &results["provenance"]["model_details"];
    assert_eq!(details["sha256"], llama::fetch::MODEL_SHA256);
    assert_eq!(details["architecture"], "llama");

    env.run(&args("b")).expect_code(0);
    for bench in ["mmlu", "ifeval"] {
        assert_eq!(env.samples("a", bench), env.samples("b", bench), "{bench}");
    }
}

/// A corrupt default model in the cache is refused with a message that says
/// how to fetch it; it is not silently used or replaced.
#[test]
fn a_corrupt_default_model_is_refused() {
    let env = Env::new();
    let cache = env.path("cache");
    let file = cache.join("models").join(llama::fetch::MODEL_FILE);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, b"GGUF but not the model").unwrap();
    let cache_arg = cache.display().to_string();
    let ran = env
        .run(&[
            "--cache-dir",
            &cache_arg,
            "run",
            "mmlu",
            "--model",
            "smollm2",
            "-q",
        ])
        .expect_code(1);
    let all = ran.all();
    assert!(
        all.contains("corrupt") && all.contains("scorebox model fetch"),
        "{all}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"GGUF but not the model");
    let path = env
        .run(&["--cache-dir", &cache_arg, "model", "path"])
        .expect_code(1);
    assert!(path.stderr.contains("corrupt"), "{}", path.stderr);
}

/// A model path that does not exist gets an error naming it.
#[test]
fn a_missing_model_file_is_named() {
    let env = Env::new();
    let ran = env
        .run(&["run", "mmlu", "--model", "local:/no/such/model.gguf", "-q"])
        .expect_code(1);
    assert!(ran.all().contains("/no/such/model.gguf"), "{}", ran.all());
}

/// `scorebox model fetch` on a cache that already holds the verified model
/// verifies it and downloads nothing.
#[test]
fn model_fetch_reuses_a_verified_cached_model() {
    let Some(path) = model() else { return };
    let env = Env::new();
    let cache = env.path("cache");
    let dest = cache.join("models").join(llama::fetch::MODEL_FILE);
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::copy(&path, &dest).unwrap();
    let cache_arg = cache.display().to_string();
    let ran = env
        .cmd(&["--cache-dir", &cache_arg, "model", "fetch"])
        // No interpreter: a download attempt would fail.
        .env("SCOREBOX_PYTHON", "/nonexistent/python3")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert!(ran.status.success(), "{stdout}");
    assert!(stdout.contains("verified:"), "{stdout}");
    assert!(stdout.contains(&dest.display().to_string()), "{stdout}");
}
