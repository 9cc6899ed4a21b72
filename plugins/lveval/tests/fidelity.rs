//! The fidelity corpus (`fidelity/cases.json`, written by us) against the
//! reference's own output (`fidelity/golden_reference.json`: infinigence/
//! LVEval's `evaluation.scorer` and `metrics.py` run with jieba 0.42.1 and
//! rouge 1.0.1; see `fidelity/README.md`), sample by sample and per file;
//! and the `corrected` mode on the same corpus, case by case.

use std::collections::BTreeMap;

use lveval::LvEval;
use lveval::load::Row;
use scorebox_sdk::testing::{self, by_id, json_f64, read_json};
use scorebox_sdk::{Answer, Error, Sample, SampleScore, ScoredSample};
use serde_json::Value;

fn corpus() -> (Vec<Value>, Value) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fidelity");
    let cases = read_json(format!("{dir}/cases.json"))["cases"]
        .as_array()
        .unwrap()
        .clone();
    (cases, read_json(format!("{dir}/golden_reference.json")))
}

fn sample(case: &Value) -> Sample {
    let dataset = case["dataset"].as_str().unwrap().to_string();
    let answers: Vec<String> = case["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let row = Row {
        dataset: dataset.clone(),
        level: "16k".into(),
        input: "q".into(),
        context: "c".into(),
        answer_keywords: case
            .get("answer_keywords")
            .and_then(Value::as_str)
            .map(str::to_string),
        answers,
    };
    Sample {
        id: case["id"].as_str().unwrap().to_string(),
        subtask: format!("{dataset}_16k"),
        target: row.answers[0].clone(),
        data: serde_json::to_string(&row).unwrap(),
    }
}

fn score_all(mode: &str) -> Vec<(Value, Sample, Result<SampleScore, Error>)> {
    let (cases, _) = corpus();
    let options = testing::options(&[("mode", mode)]);
    testing::prepare::<LvEval>(r#"{"chinese":true}"#, &options).unwrap();
    cases
        .into_iter()
        .map(|case| {
            let s = sample(&case);
            let prediction = case["prediction"].as_str().unwrap().to_string();
            let got =
                testing::score::<LvEval>(&s, 0, &options, |_| Answer::Text(prediction.clone()));
            (case, s, got)
        })
        .collect()
}

fn value(score: &SampleScore) -> f64 {
    score
        .metrics
        .iter()
        .find(|m| m.name == "score")
        .unwrap()
        .value
}

#[test]
fn reference_mode_matches_the_reference_on_every_case() {
    let (_, golden) = corpus();
    let want = by_id(&golden["cases"]);
    let mut scored = Vec::new();
    let mut mismatches = Vec::new();
    let results = score_all("reference");
    assert_eq!(results.len(), want.len());
    for (case, s, got) in results {
        let id = s.id.clone();
        let w = &want[&id];
        match (got, w.get("error")) {
            (Ok(score), None) => {
                let expected = json_f64(&w["score"]);
                if value(&score).to_bits() != expected.to_bits() {
                    mismatches.push(format!(
                        "{id} ({}): want {expected}, got {} {}",
                        case["note"],
                        value(&score),
                        score.details
                    ));
                }
                let details: Value = serde_json::from_str(&score.details).unwrap();
                assert_eq!(details["metric"], w["metric"], "{id}");
                scored.push(ScoredSample {
                    id,
                    subtask: s.subtask,
                    score,
                });
            }
            (Err(e), Some(reason)) => {
                let reason = reason.as_str().unwrap();
                let kind = reason.split(':').next().unwrap();
                assert!(e.message.contains(kind), "{id}: {} vs {reason}", e.message);
            }
            (got, _) => mismatches.push(format!("{id}: want {w}, got {got:?}")),
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));

    // Per file: `round(100 * total / n, 2)` over the cases the reference scores.
    let options = testing::options(&[("mode", "reference")]);
    let report = testing::aggregate::<LvEval>(scored, &options).unwrap();
    let files = golden["files"].as_object().unwrap();
    let mut seen = 0;
    for t in &report.tasks {
        let Some(key) = t.name.strip_prefix("lveval_") else {
            continue;
        };
        if let Some(want) = files.get(key) {
            let pct = t.metrics.iter().find(|m| m.name == "score_pct").unwrap();
            assert_eq!(
                (pct.value, pct.filter.as_str()),
                (json_f64(want), "reference"),
                "{key}"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, files.len());
}

/// What `corrected` changes on this corpus, case by case (every other case
/// scores as in `reference`); values from the rules in the README, by hand.
#[test]
fn corrected_mode_differs_only_where_the_readme_says() {
    let (_, golden) = corpus();
    let want = by_id(&golden["cases"]);
    let expected: BTreeMap<&str, f64> = [
        // The best answer counts, not only the first (the keyword gate still
        // uses the row's keywords, so it only helps where they are empty).
        ("hotpotwikiqa_mixup/28", 1.0),
        ("cmrc_mixup/3", 1.0),
        // Keywords with no word: the gate is skipped (the reference crashes).
        ("hotpotwikiqa_mixup/10", 0.8571428571428571),
        ("hotpotwikiqa_mixup/11", 0.4),
        ("multifieldqa_zh_mixup/14", 1.0),
        // An answer with no word at all: 1 only for a prediction with none.
        ("multifieldqa_zh_mixup/15", 0.0),
        // F1 without the blacklisted words (`of`, `was`, `in`, `年`, `于`, ...).
        ("hotpotwikiqa_mixup/4", 0.4),
        ("hotpotwikiqa_mixup/7", 0.8571428571428571),
        ("hotpotwikiqa_mixup/8", 0.8571428571428571),
        ("hotpotwikiqa_mixup/9", 0.8571428571428571),
        ("hotpotwikiqa_mixup/18", 0.47058823529411764),
        ("hotpotwikiqa_mixup/20", 0.8571428571428571),
        ("hotpotwikiqa_mixup/23", 0.888888888888889),
        ("hotpotwikiqa_mixup/27", 1.0),
        ("loogle_SD_mixup/0", 0.6666666666666666),
        ("loogle_CR_mixup/0", 0.8571428571428571),
        ("loogle_MIR_mixup/0", 0.6666666666666666),
        ("multifieldqa_zh_mixup/0", 0.5),
        ("multifieldqa_zh_mixup/3", 0.6666666666666666),
        ("lic_mixup/0", 0.5),
        ("multifieldqa_zh_mixup/19", 0.4),
        ("multifieldqa_zh_mixup/20", 0.4615384615384615),
        // `《` is punctuation.
        ("multifieldqa_zh_mixup/5", 1.0),
        // rouge-score's ROUGE-L F on the word lists (blacklisted words out
        // unless that empties the answer); no 1e-8 in the F-measure.
        ("dureader_mixup/0", 1.0),
        ("dureader_mixup/1", 0.5),
        ("dureader_mixup/3", 0.6666666666666666),
        ("dureader_mixup/4", 0.7499999999999999),
        // Repeats count (multiset LCS, not sets).
        ("dureader_mixup/5", 0.5),
        ("dureader_mixup/6", 0.6),
        ("dureader_mixup/7", 1.0),
        ("dureader_mixup/8", 1.0),
        ("dureader_mixup/11", 1.0),
        ("dureader_mixup/12", 1.0),
        ("dureader_mixup/13", 0.025974025974025972),
    ]
    .into_iter()
    .collect();
    let mut wrong = Vec::new();
    for (case, s, got) in score_all("corrected") {
        let id = s.id.as_str();
        let got = match got {
            Ok(score) => value(&score),
            Err(e) => panic!("{id}: corrected mode never fails a sample: {}", e.message),
        };
        let reference = want[id].get("score").map(json_f64);
        let expect = expected
            .get(id)
            .copied()
            .or(reference)
            .unwrap_or_else(|| panic!("{id}: no expected value"));
        if got.to_bits() != expect.to_bits() {
            wrong.push(format!("{id} ({}): want {expect}, got {got}", case["note"]));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
