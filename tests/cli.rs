//! The `scorebox` command line end to end, on the committed registry:
//! listing, verifying, the bundled benchmarks under the built-in models,
//! re-scoring, data layouts, lockfiles and determinism.

mod common;

use std::path::Path;

use common::{Env, copy_registry, repo};
use serde_json::Value;

fn metric(results: &Value, task: &str, key: &str) -> f64 {
    results["results"][task][key]
        .as_f64()
        .unwrap_or_else(|| panic!("no {task}.{key} in {:#}", results["results"]))
}

#[test]
fn unknown_benchmarks_and_options_are_named_with_the_known_ones() {
    let env = Env::new();
    let ran = env
        .run(&["run", "no-such-bench", "--model", "gold"])
        .expect_code(1);
    assert!(
        ran.stderr
            .contains("no benchmark named `no-such-bench` in the registry (benchmarks: bbh, cmmlu, finben, gpqa, hle, ifeval, lveval, math, milu, mmlu, mmlu-pro, mtbench, multimedqa, musr, superglue; suites: leaderboard)"),
        "{}",
        ran.stderr
    );
    let ran = env
        .run(&["run", "mmlu", "--model", "gold", "-O", "colour=red"])
        .expect_code(1);
    assert!(
        ran.stderr.contains("unknown option `colour`") && ran.stderr.contains("variant"),
        "{}",
        ran.stderr
    );
    let ran = env
        .run(&["run", "mmlu", "--model", "gold", "-O", "variant=chat"])
        .expect_code(1);
    assert!(
        ran.stderr.contains("does not accept `chat`"),
        "{}",
        ran.stderr
    );
    let ran = env.run(&["run", "mmlu", "--model", "gpt-9"]).expect_code(1);
    assert!(
        ran.stderr.contains("unknown model `gpt-9`"),
        "{}",
        ran.stderr
    );
}

#[test]
fn list_info_and_verify_describe_the_registry() {
    let env = Env::new();
    let list = env.run(&["list"]).expect_code(0).stdout;
    assert!(list.starts_with("NAME"), "{list}");
    for name in ["mmlu ", "mmlu-pro "] {
        let line = list
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing:\n{list}"));
        assert!(
            line.contains("0.1.0") && line.contains("loader+scorer"),
            "{line}"
        );
    }
    let info = env.run(&["info", "mmlu-pro"]).expect_code(0).stdout;
    for needle in [
        "mmlu-pro 0.1.0",
        "sha256",
        "Metrics:",
        "variant",
        "extraction",
        "fallback",
        "TIGER-Lab/MMLU-Pro",
        "Bundled sample",
    ] {
        assert!(
            info.contains(needle),
            "`{needle}` missing from info:\n{info}"
        );
    }
    let verify = env.run(&["verify"]).expect_code(0);
    assert!(
        verify.stdout.contains("ok        mmlu@0.1.0"),
        "{}",
        verify.stdout
    );
}

/// Higher-is-better metrics without a maximum of 1: FinBen's trading
/// return and Sharpe ratio (gold's value is the best the price path allows;
/// the plugin's own tests check it).
const UNBOUNDED: &[&str] = &["cumulative_return", "sharpe_ratio"];

/// Every metric a scorer says is better when higher is at its maximum (1,
/// or 100 for a percentage `*_pct`) in every task, subtask and group.
fn assert_all_maximal(results: &Value, label: &str) {
    let mut checked = 0;
    for (task, entry) in results["results"].as_object().unwrap() {
        let hib = &results["higher_is_better"][task];
        for (key, value) in entry.as_object().unwrap() {
            let Some((metric, _filter)) = key.split_once(',') else {
                continue;
            };
            if metric.ends_with("_stderr") || hib[metric] == false || UNBOUNDED.contains(&metric) {
                continue;
            }
            if let Some(v) = value.as_f64() {
                let max = if metric.ends_with("_pct") { 100.0 } else { 1.0 };
                assert_eq!(v, max, "{label}: {task}.{key} = {v}");
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "{label}: no metric checked");
}

/// Gold must score the maximum under every variant of every bundled benchmark.
#[test]
fn gold_scores_the_maximum_everywhere() {
    let env = Env::new();
    let cases: &[(&str, &[&str])] = &[
        ("mmlu", &[]),
        ("mmlu", &["-O", "num_fewshot=2"]),
        ("mmlu", &["-O", "variant=generative"]),
        ("mmlu-pro", &[]),
        ("mmlu-pro", &["-O", "fallback=reference-stream"]),
        ("mmlu-pro", &["-O", "extraction=lm-eval"]),
        ("mmlu-pro", &["-O", "variant=loglikelihood"]),
        ("ifeval", &[]),
        ("ifeval", &["-O", "variant=leaderboard"]),
        ("bbh", &[]),
        ("bbh", &["-O", "variant=cot_zeroshot"]),
        ("bbh", &["-O", "variant=fewshot"]),
        ("bbh", &["-O", "variant=zeroshot"]),
        ("bbh", &["-O", "variant=leaderboard"]),
        ("math", &[]),
        ("math", &["-O", "variant=original"]),
        ("math", &["-O", "variant=leaderboard"]),
        ("gpqa", &[]),
        ("gpqa", &["-O", "variant=zeroshot"]),
        (
            "gpqa",
            &["-O", "variant=cot_zeroshot", "-O", "shuffle=seeded"],
        ),
        ("musr", &[]),
        (
            "musr",
            &["-O", "variant=official", "-O", "fallback=reference-stream"],
        ),
        ("cmmlu", &[]),
        (
            "cmmlu",
            &["-O", "variant=official-letter", "-O", "num_fewshot=1"],
        ),
        ("cmmlu", &["-O", "variant=generative"]),
        ("cmmlu", &["-O", "variant=generative", "-O", "cot=true"]),
        ("milu", &[]),
        ("milu", &["-O", "num_fewshot=1"]),
        ("superglue", &[]),
        ("superglue", &["-O", "mode=corrected"]),
        ("superglue", &["-O", "variant=generative"]),
        ("multimedqa", &[]),
        ("multimedqa", &["-O", "sets=all", "--judge", "gold"]),
        ("lveval", &["-O", "mode=corrected"]),
        (
            "lveval",
            &[
                "-O",
                "mode=corrected",
                "-O",
                "truncation=chars",
                "-O",
                "max_length=400",
            ],
        ),
        ("hle", &["--judge", "gold"]),
        (
            "hle",
            &["--judge", "gold", "-O", "system_prompt=by_answer_type"],
        ),
        ("finben", &["-O", "mode=corrected"]),
        (
            "finben",
            &["-O", "mode=corrected", "-O", "model_prompt=finma"],
        ),
    ];
    for (i, (bench, options)) in cases.iter().enumerate() {
        let out = format!("out{i}");
        let mut args = vec!["run", bench, "--model", "gold", "-q", "-o", &out];
        args.extend_from_slice(options);
        env.run(&args).expect_code(0);
        assert_all_maximal(&env.results(&out), &format!("{bench} {options:?}"));
        for line in env.samples(&out, bench) {
            assert!(line["error"].is_null(), "{line}");
        }
    }
}

/// `scorebox run leaderboard`: the six Open LLM Leaderboard v2 benchmarks in
/// their leaderboard configurations, each normalised, and the mean.
#[test]
fn the_leaderboard_suite_gives_gold_the_maximum() {
    let env = Env::new();
    let list = env.run(&["list"]).expect_code(0).stdout;
    assert!(
        list.contains("SUITES") && list.contains("leaderboard"),
        "{list}"
    );
    let info = env.run(&["info", "leaderboard"]).expect_code(0).stdout;
    assert!(
        info.contains("leaderboard (suite)")
            && info.contains("mmlu-pro")
            && info.contains("variant=loglikelihood"),
        "{info}"
    );
    let ran = env
        .run(&["run", "leaderboard", "--model", "gold", "-q", "-o", "out"])
        .expect_code(0);
    assert!(
        ran.stdout.contains("leaderboard_norm (mean)"),
        "{}",
        ran.stdout
    );
    let results = env.results("out");
    let suite = &results["results"]["leaderboard"];
    assert_eq!(suite["leaderboard_norm,none"], 1.0, "{suite:#}");
    for member in ["ifeval", "bbh", "math", "gpqa", "musr", "mmlu-pro"] {
        assert_eq!(suite["members"][member], 1.0, "{member}: {suite:#}");
    }
    assert_all_maximal(&results, "leaderboard");
    // Each member ran in its leaderboard configuration.
    assert_eq!(
        results["configs"]["mmlu-pro"]["options"]["variant"],
        "loglikelihood"
    );
    assert_eq!(
        results["configs"]["bbh"]["options"]["variant"],
        "leaderboard"
    );
}

#[test]
fn random_lands_near_chance_on_generated_gpqa() {
    use std::fmt::Write;
    let env = Env::new();
    let mut csv = String::from(
        "Record ID,Question,Correct Answer,Incorrect Answer 1,Incorrect Answer 2,Incorrect Answer 3\n",
    );
    for i in 0..2000 {
        writeln!(
            csv,
            "rec{i},Generated question {i}?,right {i},wrong a {i},wrong b {i},wrong c {i}"
        )
        .unwrap();
    }
    let data = env.write("gpqa/gpqa_main.csv", &csv);
    env.run(&[
        "run",
        "gpqa",
        "--model",
        "random:3",
        "--data",
        data.to_str().unwrap(),
        "-q",
        "-o",
        "out",
    ])
    .expect_code(0);
    let results = env.results("out");
    let acc = metric(&results, "leaderboard_gpqa", "acc_norm,none");
    // Four options: chance 0.25; three standard errors at n=2000 is ±0.029.
    assert!(
        (0.221..=0.279).contains(&acc),
        "random acc_norm {acc} is not near 0.25"
    );
}

/// Generated MMLU-Pro rows: ten options each, five validation rows per category.
fn generated_mmlu_pro(dir: &Path, n: usize) {
    use std::fmt::Write;
    let categories = ["biology", "law", "math", "physics"];
    let mut test = String::new();
    let mut validation = String::new();
    for i in 0..n {
        let options: Vec<String> = (0..10)
            .map(|k| format!("option {k} of question {i}"))
            .collect();
        let answer = (i * 7) % 10;
        let row = serde_json::json!({
            "question_id": i, "question": format!("Generated question {i}?"), "options": options,
            "answer": ((b'A' + answer as u8) as char).to_string(), "answer_index": answer,
            "cot_content": "", "category": categories[i % 4], "src": "generated",
        });
        writeln!(test, "{row}").unwrap();
    }
    for (c, category) in categories.iter().enumerate() {
        for k in 0..5 {
            let row = serde_json::json!({
                "question_id": 100_000 + c * 10 + k, "question": "Example?", "options": ["yes", "no"],
                "answer": "A", "answer_index": 0, "cot_content": "A: Let's think step by step. The answer is (A).",
                "category": category, "src": "generated",
            });
            writeln!(validation, "{row}").unwrap();
        }
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("test.jsonl"), test).unwrap();
    std::fs::write(dir.join("validation.jsonl"), validation).unwrap();
}

#[test]
fn random_lands_near_chance_on_thousands_of_mmlu_pro_rows() {
    let env = Env::new();
    let data = env.path("gen");
    generated_mmlu_pro(&data, 3000);
    env.run(&[
        "run",
        "mmlu-pro",
        "--model",
        "random:1",
        "--data",
        data.to_str().unwrap(),
        "-q",
        "-o",
        "out",
    ])
    .expect_code(0);
    let results = env.results("out");
    let acc = metric(&results, "mmlu_pro", "acc,official-seeded");
    // Ten options: chance is 0.1; three standard errors at n=3000 is ±0.0165.
    assert!(
        (0.083..=0.117).contains(&acc),
        "random accuracy {acc} is not near 0.1"
    );
    assert_eq!(results["n-samples"]["mmlu_pro"]["effective"], 3000);
}

#[test]
fn results_do_not_depend_on_the_number_of_workers() {
    let env = Env::new();
    let data = env.path("gen");
    generated_mmlu_pro(&data, 400);
    for (out, workers) in [("w1", "1"), ("w3", "3")] {
        env.run(&[
            "run",
            "mmlu-pro",
            "--model",
            "random:5",
            "--data",
            data.to_str().unwrap(),
            "-q",
            "-o",
            out,
            "-j",
            workers,
        ])
        .expect_code(0);
    }
    let read =
        |out: &str| std::fs::read_to_string(env.path(out).join("samples_mmlu-pro.jsonl")).unwrap();
    assert_eq!(
        read("w1"),
        read("w3"),
        "samples files differ between 1 and 3 workers"
    );
    assert_eq!(env.results("w1")["results"], env.results("w3")["results"]);
}

#[test]
fn rescoring_tricky_mmlu_pro_responses() {
    let env = Env::new();
    let test = std::fs::read_to_string(repo().join("plugins/mmlu-pro/sample/test.jsonl")).unwrap();
    let rows: Vec<Value> = test
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let id = |i: usize| rows[i]["question_id"].to_string();
    let answer = |i: usize| rows[i]["answer"].as_str().unwrap().to_string();
    let responses = [
        (
            id(0),
            format!("Let's think step by step. The answer is ({}).", answer(0)),
            Some(answer(0)),
        ),
        (id(1), "Answer: c".to_string(), None),
        (
            id(2),
            "I have no idea what to say here.".to_string(),
            Some("I".to_string()),
        ),
        (
            id(3),
            "the answer is (B) ... no wait, the answer is (D)".to_string(),
            Some("B".to_string()),
        ),
        (
            id(4),
            "answer is **(C)**".to_string(),
            Some("C".to_string()),
        ),
        (id(5), String::new(), None),
    ];
    let mut file = String::new();
    for (id, response, _) in &responses {
        file.push_str(
            &serde_json::json!({"id": id.parse::<i64>().unwrap(), "response": response})
                .to_string(),
        );
        file.push('\n');
    }
    let path = env.write("responses.jsonl", &file);
    // Only these six samples have responses; the rest fail with a clear error.
    let ran = env.run(&[
        "score",
        "mmlu-pro",
        "--responses",
        path.to_str().unwrap(),
        "-O",
        "fallback=none",
        "-o",
        "out",
    ]);
    let ran = ran.expect_code(2);
    assert!(
        ran.stderr.contains("no saved response for sample"),
        "{}",
        ran.stderr
    );
    let lines = env.samples("out", "mmlu-pro");
    for (id, _, extracted) in &responses {
        let line = lines.iter().find(|l| &l["id"] == id).unwrap();
        assert_eq!(
            line["extracted"].as_str(),
            extracted.as_deref(),
            "sample {id}: {line}"
        );
        let correct = extracted.as_deref()
            == Some(
                rows.iter()
                    .find(|r| &r["question_id"].to_string() == id)
                    .unwrap()["answer"]
                    .as_str()
                    .unwrap(),
            );
        assert_eq!(
            line["metrics"]["acc"],
            if correct { 1.0 } else { 0.0 },
            "sample {id}: {line}"
        );
    }
}

#[test]
fn replay_reads_lm_evaluation_harness_samples() {
    let env = Env::new();
    let test = std::fs::read_to_string(repo().join("plugins/mmlu-pro/sample/test.jsonl")).unwrap();
    let mut file = String::new();
    for (doc_id, line) in test.lines().enumerate() {
        let doc: Value = serde_json::from_str(line).unwrap();
        let response = format!("The answer is ({}).", doc["answer"].as_str().unwrap());
        let row = serde_json::json!({"doc_id": doc_id, "doc": doc, "resps": [[response]], "filtered_resps": ["X"]});
        file.push_str(&row.to_string());
        file.push('\n');
    }
    let path = env.write("lm-eval-samples.jsonl", &file);
    env.run(&[
        "score",
        "mmlu-pro",
        "--responses",
        path.to_str().unwrap(),
        "-q",
        "-o",
        "out",
    ])
    .expect_code(0);
    assert_eq!(
        metric(&env.results("out"), "mmlu_pro", "acc,official-seeded"),
        1.0
    );
}

#[test]
fn mmlu_reads_csv_jsonl_and_parquet_alike() {
    let env = Env::new();
    let parquet = repo().join("tests/data/mmlu-parquet");
    let jsonl = repo().join("plugins/mmlu/sample/hf");
    env.run(&[
        "run",
        "mmlu",
        "--model",
        "gold",
        "--data",
        parquet.to_str().unwrap(),
        "-q",
        "-o",
        "pq",
    ])
    .expect_code(0);
    env.run(&[
        "run",
        "mmlu",
        "--model",
        "gold",
        "--data",
        jsonl.to_str().unwrap(),
        "-q",
        "-o",
        "js",
    ])
    .expect_code(0);
    let ids = |out: &str| {
        env.samples(out, "mmlu")
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("pq").len(), 8);
    assert_eq!(ids("pq"), ids("js"));
    assert_eq!(metric(&env.results("pq"), "mmlu", "acc,none"), 1.0);
    // The bundled sample mixes the original CSV layout and jsonl.
    env.run(&["run", "mmlu", "--model", "gold", "-q", "-o", "bundled"])
        .expect_code(0);
    let bundled = ids("bundled");
    assert!(
        bundled.iter().any(|id| id.starts_with("anatomy/"))
            && bundled.iter().any(|id| id.starts_with("nutrition/")),
        "{bundled:?}"
    );
}

#[test]
fn malformed_rows_are_named_and_the_rest_are_scored() {
    let env = Env::new();
    let data = env.path("gen");
    generated_mmlu_pro(&data, 20);
    let test = data.join("test.jsonl");
    let mut text = std::fs::read_to_string(&test).unwrap();
    text.push_str("{\"question_id\": 9001, \"question\": \"broken\"\n");
    text.push_str("{\"question_id\": 9002, \"question\": \"q\", \"options\": [\"a\", \"b\"], \"answer_index\": 0, \"category\": \"law\"}\n");
    std::fs::write(&test, text).unwrap();
    let ran = env
        .run(&[
            "run",
            "mmlu-pro",
            "--model",
            "gold",
            "--data",
            data.to_str().unwrap(),
            "-o",
            "out",
        ])
        .expect_code(2);
    assert!(
        ran.stdout.contains("2 dataset rows were invalid"),
        "{}",
        ran.stdout
    );
    let results = env.results("out");
    let invalid = results["invalid_rows"].as_array().unwrap();
    assert_eq!(invalid.len(), 2, "{invalid:?}");
    assert_eq!(invalid[0]["path"], "test.jsonl");
    assert_eq!(invalid[0]["row"], 20);
    assert_eq!(invalid[1]["row"], 21);
    assert_eq!(invalid[1]["field"], "answer");
    assert_eq!(metric(&results, "mmlu_pro", "acc,official-seeded"), 1.0);
    assert_eq!(results["n-samples"]["mmlu_pro"]["effective"], 20);
}

#[test]
fn a_tampered_component_fails_verify_and_is_never_compiled() {
    let dir = tempfile::tempdir().unwrap();
    copy_registry(dir.path());
    let wasm = dir.path().join("components/mmlu-0.1.0.wasm");
    let mut bytes = std::fs::read(&wasm).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&wasm, bytes).unwrap();
    let env = Env::with_registry(dir.path().to_path_buf());

    let verify = env.run(&["verify"]).expect_code(1);
    assert!(
        verify.stdout.contains("MISMATCH  mmlu@0.1.0"),
        "{}",
        verify.stdout
    );
    assert!(
        verify.stdout.contains("ok        mmlu-pro@0.1.0"),
        "{}",
        verify.stdout
    );

    let cache = env.path("fresh-cache");
    let ran = env
        .cmd(&["run", "mmlu", "--model", "gold"])
        .env("SCOREBOX_CACHE", &cache)
        .output()
        .unwrap();
    assert_eq!(ran.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert!(
        stderr.contains("mmlu@0.1.0")
            && stderr.contains("sha256 mismatch")
            && stderr.contains("refusing to compile it"),
        "{stderr}"
    );
    assert!(
        !cache.exists(),
        "a tampered component must not be compiled or cached"
    );
}

#[test]
fn a_tampered_bundled_sample_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_registry(dir.path());
    let sample = dir.path().join("samples/mmlu-pro-0.1.0/test.jsonl");
    let text = std::fs::read_to_string(&sample).unwrap();
    std::fs::write(&sample, text.replacen("?", "!", 1)).unwrap();
    let env = Env::with_registry(dir.path().to_path_buf());
    let ran = env
        .run(&["run", "mmlu-pro", "--model", "gold"])
        .expect_code(1);
    assert!(
        ran.stderr.contains("does not match the registry"),
        "{}",
        ran.stderr
    );
    env.run(&["verify"]).expect_code(1);
}

#[test]
fn locked_runs_refuse_any_drift() {
    let env = Env::new();
    let data = env.path("gen");
    generated_mmlu_pro(&data, 30);
    let data_arg = data.to_str().unwrap();
    env.run(&[
        "run", "mmlu-pro", "--model", "gold", "--data", data_arg, "-q", "-o", "out",
    ])
    .expect_code(0);
    let lock = std::fs::read_to_string(env.path("out/scorebox.lock")).unwrap();
    assert!(
        lock.contains("name = \"mmlu-pro\"") && lock.contains("path = \"test.jsonl\""),
        "{lock}"
    );
    // Same inputs: accepted.
    env.run(&[
        "run", "mmlu-pro", "--model", "gold", "--data", data_arg, "-q", "-o", "out", "--locked",
    ])
    .expect_code(0);
    // A changed data file: refused, naming it.
    let test = data.join("test.jsonl");
    let text = std::fs::read_to_string(&test).unwrap();
    std::fs::write(
        &test,
        text.replacen("Generated question 0?", "Generated question zero?", 1),
    )
    .unwrap();
    let ran = env
        .run(&[
            "run", "mmlu-pro", "--model", "gold", "--data", data_arg, "-q", "-o", "out", "--locked",
        ])
        .expect_code(1);
    assert!(
        ran.stderr
            .contains("data file test.jsonl of mmlu-pro: locked sha256"),
        "{}",
        ran.stderr
    );
    // No lockfile at all: --locked explains itself.
    let ran = env
        .run(&[
            "run",
            "mmlu-pro",
            "--model",
            "gold",
            "-q",
            "-o",
            "elsewhere",
            "--locked",
        ])
        .expect_code(1);
    assert!(
        ran.stderr.contains("--locked needs an existing lockfile"),
        "{}",
        ran.stderr
    );
}

#[test]
fn results_json_has_the_lm_eval_layout_and_provenance() {
    let env = Env::new();
    env.run(&[
        "run", "mmlu", "mmlu-pro", "--model", "random:2", "-q", "-o", "out",
    ])
    .expect_code(0);
    let r = env.results("out");
    for key in [
        "results",
        "groups",
        "configs",
        "versions",
        "higher_is_better",
        "n-samples",
        "config",
        "provenance",
        "date",
        "total_evaluation_time_seconds",
    ] {
        assert!(r.get(key).is_some(), "results.json lacks `{key}`");
    }
    assert!(r["results"]["mmlu"]["acc_stderr,none"].is_number());
    assert!(
        r["results"]["mmlu_anatomy"]["alias"]
            .as_str()
            .unwrap()
            .starts_with(" - ")
    );
    assert_eq!(r["versions"]["mmlu_pro"], "0.1.0");
    assert_eq!(r["higher_is_better"]["mmlu"]["acc"], true);
    let provenance = &r["provenance"];
    assert_eq!(provenance["model"], "random:2");
    let components = provenance["components"].as_array().unwrap();
    let index = std::fs::read_to_string(repo().join("registry/index.toml")).unwrap();
    for c in components {
        assert!(index.contains(c["sha256"].as_str().unwrap()), "{c}");
        assert_eq!(c["wit"], "scorebox:bench@0.1.0");
    }
    assert!(
        provenance["data_files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["sha256"].as_str().unwrap().len() == 64)
    );
}

/// `scorebox score ifeval` reproduces lm-evaluation-harness's four IFEval
/// metrics: the expected values are computed from the per-instruction
/// verdicts lm_eval itself gave (plugins/ifeval/fidelity/golden.json).
#[test]
fn scoring_ifeval_responses_reproduces_the_reference_metrics() {
    let env = Env::new();
    let fidelity = repo().join("plugins/ifeval/fidelity");
    let cases: Value =
        serde_json::from_str(&std::fs::read_to_string(fidelity.join("cases.json")).unwrap())
            .unwrap();
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(fidelity.join("golden.json")).unwrap())
            .unwrap();
    let (mut prompts, mut responses) = (String::new(), String::new());
    let (mut strict, mut loose) = (Vec::new(), Vec::new());
    let mut seen = std::collections::BTreeSet::new();
    for (case, result) in cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .zip(golden["results"].as_array().unwrap())
    {
        let key = case["key"].as_i64().unwrap();
        assert_eq!(result["key"].as_i64(), Some(key));
        if !seen.insert(key) {
            continue; // one response per prompt: the first case of each key
        }
        let prompt = cases["prompts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"].as_i64() == Some(key))
            .unwrap();
        prompts.push_str(&prompt.to_string());
        prompts.push('\n');
        let response = &cases["responses"][case["response"].as_u64().unwrap() as usize];
        responses.push_str(&serde_json::json!({"id": key, "response": response}).to_string());
        responses.push('\n');
        let flags = |k: &str| {
            result[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_bool().unwrap())
                .collect::<Vec<_>>()
        };
        strict.push(flags("strict"));
        loose.push(flags("loose"));
    }
    let prompt_level =
        |v: &[Vec<bool>]| v.iter().filter(|f| f.iter().all(|b| *b)).count() as f64 / v.len() as f64;
    let inst_level = |v: &[Vec<bool>]| {
        let all: Vec<bool> = v.iter().flatten().copied().collect();
        all.iter().filter(|b| **b).count() as f64 / all.len() as f64
    };
    let data = env.write("ifeval.jsonl", &prompts);
    let replies = env.write("responses.jsonl", &responses);
    env.run(&[
        "score",
        "ifeval",
        "--data",
        data.to_str().unwrap(),
        "--responses",
        replies.to_str().unwrap(),
        "-q",
        "-o",
        "out",
    ])
    .expect_code(0);
    let results = env.results("out");
    for (key, expected) in [
        ("prompt_level_strict_acc,none", prompt_level(&strict)),
        ("inst_level_strict_acc,none", inst_level(&strict)),
        ("prompt_level_loose_acc,none", prompt_level(&loose)),
        ("inst_level_loose_acc,none", inst_level(&loose)),
    ] {
        let got = metric(&results, "ifeval", key);
        assert!(
            (got - expected).abs() < 1e-12,
            "{key}: scorebox {got}, lm-evaluation-harness {expected}"
        );
    }
    assert!(seen.len() >= 30, "{} prompts", seen.len());
}

/// A reader that goes away (`scorebox run ... | head`) ends the process
/// quietly, as SIGPIPE does to command-line tools: no panic on the broken
/// pipe.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    let env = Env::new();
    let mut child = env
        .cmd(&["run", "mmlu", "--model", "gold", "-q", "-o", "out"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
    // The results were written before the table.
    assert!(env.path("out/results.json").is_file());
}

/// MT-Bench's judge ratings run from 1 to 10: gold answers judged by the
/// gold judge get 10 in every category and turn, and no rating is dropped.
#[test]
fn mtbench_gold_gets_ten_from_the_gold_judge() {
    let env = Env::new();
    env.run(&[
        "run", "mtbench", "--model", "gold", "--judge", "gold", "-q", "-o", "out",
    ])
    .expect_code(0);
    let results = env.results("out");
    let mut checked = 0;
    for (task, entry) in results["results"].as_object().unwrap() {
        assert!(task.starts_with("mtbench"), "{task}");
        for metric in ["score", "score_turn1", "score_turn2"] {
            let value = entry
                .as_object()
                .unwrap()
                .iter()
                .find(|(k, _)| k.split_once(',').is_some_and(|(m, _)| m == metric))
                .map(|(_, v)| v.as_f64().unwrap());
            if let Some(v) = value {
                assert_eq!(v, 10.0, "{task}.{metric}");
                checked += 1;
            }
        }
        if let Some((_, v)) = entry
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.starts_with("invalid_ratings,"))
        {
            assert_eq!(v.as_f64(), Some(0.0), "{task}");
        }
    }
    assert!(checked >= 3, "{results:#}");
    // Without a judge, the samples that need one fail with the reason.
    let ran = env.run(&["run", "mtbench", "--model", "gold", "-q", "-o", "nojudge"]);
    assert_ne!(ran.code, 0);
}
