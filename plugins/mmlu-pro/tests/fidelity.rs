//! Our MMLU-Pro scoring against golden outputs produced by the reference
//! implementations (see `fidelity/README.md`), case by case.

use std::collections::BTreeMap;

use mmlu_pro::episode::{MmluProEpisode, score_lm_eval, score_official};
use mmlu_pro::load::{Question, SampleData, Shared};
use mmlu_pro::{Config, Fallback, LETTERS, MmluPro, OPTIONS};
use scorebox_sdk::extract::tiger_chain;
use scorebox_sdk::{Answer, Episode, Options, Sample, ScoredSample, Step, testing};
use serde_json::Value;

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

struct Case {
    id: String,
    category: String,
    response: String,
    answer: String,
    answer_index: u32,
    n_options: usize,
}

fn cases() -> Vec<Case> {
    read("cases.json")["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Case {
            id: c["id"].as_str().unwrap().into(),
            category: c["category"].as_str().unwrap().into(),
            response: c["response"].as_str().unwrap().into(),
            answer: c["answer"].as_str().unwrap().into(),
            answer_index: c["answer_index"].as_u64().unwrap() as u32,
            n_options: c["n_options"].as_u64().unwrap() as usize,
        })
        .collect()
}

fn golden(name: &str) -> BTreeMap<String, Value> {
    testing::by_id(&read(name)["cases"])
}

#[test]
fn tiger_extraction_matches_the_reference_case_by_case() {
    let golden = golden("golden_tiger.json");
    let mut failures = Vec::new();
    for case in cases() {
        let want = golden[&case.id]["pred"].as_str().map(str::to_string);
        let got = tiger_chain(&case.response, LETTERS).map(|(c, _)| c.to_string());
        if got != want {
            failures.push(format!(
                "case {}: {:?}\n  expected {want:?}\n  got      {got:?}",
                case.id, case.response
            ));
        }
        if let Some(w) = want {
            let s = score_official(
                &case.response,
                &case.answer,
                case.answer_index,
                case.n_options,
                Fallback::None,
                0,
            );
            let expected = golden[&case.id]["correct_if_extracted"].as_bool().unwrap();
            assert_eq!(s.acc == 1.0, expected, "case {} ({w})", case.id);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn lm_eval_custom_extract_matches_the_reference_case_by_case() {
    let golden = golden("golden_lm_eval.json");
    let mut failures = Vec::new();
    for case in cases() {
        let want_filtered = golden[&case.id]["filtered"].as_str().unwrap();
        let want_em = golden[&case.id]["exact_match"].as_f64().unwrap();
        let (filtered, em) = score_lm_eval(&case.response, &case.answer);
        if filtered != want_filtered || em != want_em {
            failures.push(format!(
                "case {}: {:?}\n  expected ({want_filtered:?}, {want_em})\n  got      ({filtered:?}, {em})",
                case.id, case.response
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn sample_for(case: &Case, order: u32) -> Sample {
    // Option texts do not matter for scoring; `n_options` does.
    let options: Vec<String> = (0..case.n_options).map(|i| format!("option {i}")).collect();
    let data = SampleData {
        item: Question {
            question_id: case.id.clone(),
            question: "Invented question?".into(),
            options,
            answer: case.answer.clone(),
            answer_index: case.answer_index,
            cot_content: String::new(),
            category: case.category.clone(),
            src: "fidelity".into(),
        },
        order,
    };
    Sample {
        id: case.id.clone(),
        subtask: case.category.clone(),
        data: serde_json::to_string(&data).unwrap(),
        target: case.answer.clone(),
    }
}

#[test]
fn reference_stream_replay_matches_the_reference_counts() {
    let options = Options::from_pairs(
        OPTIONS,
        &[("fallback", "reference-stream"), ("num_fewshot", "0")],
    )
    .unwrap();
    let config = Config::from_options(&options).unwrap();
    let mut scored = Vec::new();
    // Hand the samples over in reverse order: the replay must not depend on it.
    for (order, case) in cases().iter().enumerate().rev() {
        let sample = sample_for(case, order as u32);
        let mut ep = MmluProEpisode::new(&sample, 0, &Shared::default(), &config).unwrap();
        ep.step(None).unwrap();
        let Step::Done(score) = ep.step(Some(Answer::Text(case.response.clone()))).unwrap() else {
            panic!("case {} did not finish", case.id)
        };
        scored.push(ScoredSample {
            id: sample.id,
            subtask: sample.subtask,
            score,
        });
    }
    let report = mmlu_pro::report::aggregate(&scored, &config).unwrap();
    let stream = &read("golden_tiger.json")["stream"]["per_category"];
    let mut total_corr = 0.0;
    let mut total = 0.0;
    for (category, want) in stream.as_object().unwrap() {
        let corr = want["corr"].as_f64().unwrap();
        let n = corr + want["wrong"].as_f64().unwrap();
        total_corr += corr;
        total += n;
        let name = mmlu_pro::report::category_task(category);
        let task = report.tasks.iter().find(|t| t.name == name).unwrap();
        assert_eq!(
            task.metrics[0].value,
            want["accu"].as_f64().unwrap(),
            "{category}"
        );
        assert_eq!(task.metrics[0].filter, "official-stream");
        assert_eq!(task.samples as f64, n);
    }
    assert_eq!(report.tasks[0].name, "mmlu_pro");
    assert_eq!(report.tasks[0].metrics[0].value, total_corr / total);
}

#[test]
fn seeded_fallback_is_python_random_seeded_with_the_episode_seed() {
    // For a miss, `seeded` draws random.Random(seed).randint(0, n - 1).
    // CPython: [random.Random(s).randint(0, 9) for s in (0, 1, 12345)] == [6, 2, 6]
    for (seed, draw) in [(0u64, 6u32), (1, 2), (12345, 6)] {
        let s = score_official("no letter", "A", 0, 10, Fallback::Seeded, seed);
        assert_eq!(s.draw, Some(draw), "seed {seed}");
    }
}

#[test]
fn reference_stream_revised_scores_are_the_reference_draws() {
    // Through the SDK's in-process host, as the real host runs it: the
    // samples file gets `revised`, whose draws must be the ones the official
    // script's second `save_res` pass drew.
    let options = testing::options(&[("fallback", "reference-stream"), ("num_fewshot", "0")]);
    testing::prepare::<MmluPro>("", &options).unwrap();
    let cases = cases();
    let mut scored = Vec::new();
    for (order, case) in cases.iter().enumerate().rev() {
        let sample = sample_for(case, order as u32);
        let response = case.response.clone();
        scored.push(
            testing::scored::<MmluPro>(&sample, 0, &options, |_| Answer::Text(response.clone()))
                .unwrap(),
        );
    }
    let report = testing::aggregate::<MmluPro>(scored.clone(), &options).unwrap();
    let golden = read("golden_tiger.json");
    let want: BTreeMap<&str, u64> = golden["stream"]["second_pass_draws"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["draw"].as_u64().unwrap()))
        .collect();
    assert_eq!(report.revised.len(), want.len());
    let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut corr: BTreeMap<String, f64> = BTreeMap::new();
    for s in &scored {
        if !report.revised.iter().any(|r| r.id == s.id) {
            *corr.entry(s.subtask.clone()).or_default() += s.score.metrics[0].value;
        }
    }
    for r in &report.revised {
        let details: Value = serde_json::from_str(&r.score.details).unwrap();
        let draw = details["fallback"]["draw"].as_u64().unwrap();
        assert_eq!(draw, want[r.id.as_str()], "sample {}", r.id);
        let acc = if draw == u64::from(by_id[r.id.as_str()].answer_index) {
            1.0
        } else {
            0.0
        };
        assert_eq!(r.score.metrics[0].value, acc, "sample {}", r.id);
        *corr.entry(r.subtask.clone()).or_default() += acc;
    }
    // Revised and unrevised scores together give the reference's counts.
    for (category, want) in golden["stream"]["per_category"].as_object().unwrap() {
        assert_eq!(corr[category], want["corr"].as_f64().unwrap(), "{category}");
    }
}
