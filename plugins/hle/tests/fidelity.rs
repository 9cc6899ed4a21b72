//! Our HLE scoring against the reference's own code on the invented corpus
//! (`fidelity/cases.json`, golden values from `fidelity/make_golden.py`,
//! which runs `calib_err`, `dump_metrics` and `JUDGE_PROMPT` of
//! `hle_eval/run_judge_results.py` with NumPy): the judge prompt text, the
//! verdicts read from judge replies, accuracy and its printed interval, and
//! the calibration error (bit for bit against the reference run with a
//! stable sort; against its own unstable `np.argsort` wherever equal
//! confidences do not straddle a bin boundary).

use hle::Hle;
use hle::judge;
use hle::metrics::{printed_accuracy, printed_calibration};
use hle::prompt::judge_prompt;
use scorebox_sdk::testing;
use scorebox_sdk::{Answer, Query, Report, Sample};
use serde_json::{Value, json};

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

fn value(report: &Report, metric: &str) -> Option<f64> {
    report.tasks[0]
        .metrics
        .iter()
        .find(|m| m.name == metric)
        .map(|m| m.value)
}

/// The numbers in a printed line, in order.
fn numbers(line: &str) -> Vec<f64> {
    line.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|t| !t.is_empty() && t.chars().any(|c| c.is_ascii_digit()))
        .map(|t| t.parse().unwrap())
        .collect()
}

#[test]
fn the_judge_prompt_is_the_references() {
    let cases = read("cases.json");
    let golden = read("golden.json");
    let jp = &cases["judge_prompt"];
    assert_eq!(
        judge_prompt(
            jp["question"].as_str().unwrap(),
            jp["response"].as_str().unwrap(),
            jp["correct_answer"].as_str().unwrap()
        ),
        golden["judge_prompt"].as_str().unwrap()
    );
}

#[test]
fn every_judge_reply_of_the_corpus_reads_as_its_structured_verdict() {
    let cases = read("cases.json");
    let replies = cases["replies"].as_array().unwrap();
    assert_eq!(replies.len(), 27);
    for c in replies {
        let id = c["id"].as_str().unwrap();
        let got = judge::parse(c["reply"].as_str().unwrap());
        match &c["want"] {
            Value::Null => assert!(got.is_err(), "{id}: {got:?}"),
            want => {
                let v = got.unwrap_or_else(|e| panic!("{id}: {e}"));
                assert_eq!(v.correct, want["correct"] == "yes", "{id}");
                assert_eq!(v.confidence, want["confidence"].as_f64().unwrap(), "{id}");
            }
        }
    }
}

/// Runs one set through load-free episodes (the judge answering each
/// outcome in the text format) and `aggregate`.
fn run_set(case: &Value) -> Report {
    let beta = case["beta"].as_u64().unwrap().to_string();
    let options = testing::options(&[("calib_beta", beta.as_str())]);
    testing::prepare::<Hle>("", &options).unwrap();
    let data = json!({"question": "Q?", "answer": "A", "answer_type": "exactMatch",
                      "category": "Math", "raw_subject": null})
    .to_string();
    let mut scored = Vec::new();
    for (i, o) in case["outcomes"].as_array().unwrap().iter().enumerate() {
        let sample = Sample {
            id: format!("q{i}"),
            subtask: "math".into(),
            data: data.clone(),
            target: "A".into(),
        };
        let reply = match o[0].as_str() {
            Some(c) => Answer::Text(format!("correct: {c}\nconfidence: {}", o[1])),
            None => Answer::Failed("no verdict".into()),
        };
        let s = testing::scored::<Hle>(&sample, 0, &options, |q| match q {
            Query::Generate(_) => Answer::Text("Explanation: e\nAnswer: A\nConfidence: 50%".into()),
            _ => reply.clone(),
        })
        .unwrap();
        scored.push(s);
    }
    testing::aggregate::<Hle>(scored, &options).unwrap()
}

#[test]
fn accuracy_and_calibration_match_the_reference_code() {
    let cases = read("cases.json");
    let golden = read("golden.json");
    let sets = cases["sets"].as_array().unwrap();
    let want = golden["sets"].as_array().unwrap();
    assert_eq!(sets.len(), want.len());
    let mut unstable_differs = Vec::new();
    for (case, g) in sets.iter().zip(want) {
        let id = g["id"].as_str().unwrap();
        let outcomes = case["outcomes"].as_array().unwrap();
        let n = outcomes.len();
        let k = outcomes.iter().filter(|o| o[0] == "yes").count();
        let report = run_set(case);
        assert_eq!(report.tasks[0].samples as usize, n, "{id}");
        // Accuracy: share, and what the reference prints.
        assert_eq!(
            value(&report, "accuracy"),
            Some(k as f64 / n as f64),
            "{id}"
        );
        let raw: f64 = g["accuracy_raw"].as_str().unwrap().parse().unwrap();
        assert_eq!(100.0 * k as f64 / n as f64, raw, "{id}");
        // Calibration error, 0-100.
        let ours = value(&report, "calibration_error");
        let stable = g["calib_err_stable"].as_str().unwrap();
        let reference = g["calib_err_reference"].as_str().unwrap();
        match stable.parse::<f64>() {
            Err(_) => {
                assert_eq!(stable, "IndexError", "{id}");
                assert_eq!(ours, None, "{id}: too few samples for one bin");
            }
            Ok(s) => {
                assert_eq!(ours, Some(100.0 * s), "{id}: stable sort");
                if reference != stable {
                    unstable_differs.push(id.to_string());
                }
            }
        }
        // What dump_metrics prints (beta = 100 only).
        match &g["printed"] {
            Value::Array(lines) => {
                let acc = numbers(lines[0].as_str().unwrap());
                assert_eq!(printed_accuracy(k, n), (acc[0], acc[1]), "{id}");
                assert_eq!(acc[2], n as f64);
                let cal = numbers(lines[1].as_str().unwrap())[0];
                let cerr: f64 = reference.parse().unwrap();
                assert_eq!(printed_calibration(cerr), cal, "{id}");
                if reference == stable {
                    assert_eq!(printed_calibration(ours.unwrap() / 100.0), cal, "{id}");
                }
            }
            Value::String(e) => {
                assert_eq!(e, "IndexError", "{id}");
                assert_eq!(ours, None, "{id}");
            }
            _ => assert_ne!(case["beta"], 100, "{id}: printed only for beta 100"),
        }
    }
    // The sets where NumPy's unstable argsort put tied confidences of
    // different correctness across a bin boundary in another order.
    assert_eq!(
        unstable_differs,
        [
            "n200_two_bins",
            "n1000_skewed_ties",
            "n1000_steps5",
            "n320_over_100",
            "n800_one_right",
            "n64_beta8"
        ]
    );
}
