//! The bundled sample (invented rows in the `cais/hle` schema), loaded and
//! scored end to end through the SDK's in-process host: the gold model and
//! gold judge score accuracy 1, image questions are skipped and counted,
//! model and judge failures count as wrong and unjudged, malformed rows
//! fail alone.

use hle::Hle;
use hle::prompt::{SYSTEM_EXACT_ANSWER, SYSTEM_MC};
use scorebox_sdk::testing::{self, assert_declared, data_file, gold, label};
use scorebox_sdk::{Answer, DataFile, FileFormat, Loaded, Query, Report};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

/// Loads, scores every sample with `model` (which also answers judge
/// queries), aggregates.
fn run(
    files: Vec<DataFile>,
    pairs: &[(&str, &str)],
    mut model: impl FnMut(&Query) -> Answer,
) -> (Vec<scorebox_sdk::ScoredSample>, Report) {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<Hle>(files, &options).unwrap();
    testing::prepare::<Hle>(&shared, &options).unwrap();
    let mut scored = Vec::new();
    for l in loaded {
        let Loaded::Sample(sample) = l else {
            panic!("the bundled sample has no malformed row: {l:?}")
        };
        let s = testing::scored::<Hle>(&sample, 7, &options, &mut model).unwrap();
        assert_declared::<Hle>(&s);
        scored.push(s);
    }
    let report = testing::aggregate::<Hle>(scored.clone(), &options).unwrap();
    (scored, report)
}

fn value(report: &Report, task: &str, metric: &str) -> Option<f64> {
    report
        .tasks
        .iter()
        .find(|t| t.name == task)
        .unwrap_or_else(|| panic!("no task {task}"))
        .metrics
        .iter()
        .find(|m| m.name == metric)
        .map(|m| m.value)
}

#[test]
fn gold_model_and_gold_judge_score_accuracy_one_under_every_option() {
    for prompt in ["reference", "by_answer_type"] {
        for role in ["system", "user"] {
            for tokens in ["none", "256"] {
                let pairs = [
                    ("system_prompt", prompt),
                    ("system_role", role),
                    ("max_tokens", tokens),
                ];
                let (scored, report) = run(sample_files(), &pairs, gold);
                assert_eq!(scored.len(), 10, "{pairs:?}");
                assert_eq!(value(&report, "hle", "accuracy"), Some(1.0));
                assert_eq!(value(&report, "hle", "accuracy_ci95"), Some(0.0));
                assert_eq!(value(&report, "hle", "judged"), Some(1.0));
                assert_eq!(value(&report, "hle", "skipped_multimodal"), Some(2.0));
                // Fewer judged samples than calib_beta=100: no calibration error.
                assert_eq!(value(&report, "hle", "calibration_error"), None);
                for t in &report.tasks[1..] {
                    assert_eq!(value(&report, &t.name, "accuracy"), Some(1.0), "{}", t.name);
                }
            }
        }
    }
}

#[test]
fn categories_are_subtasks_and_skipped_images_are_counted_per_category() {
    let (_, report) = run(sample_files(), &[("calib_beta", "2")], gold);
    let names: Vec<&str> = report.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "hle",
            "hle_biology_medicine",
            "hle_chemistry",
            "hle_computer_science_ai",
            "hle_engineering",
            "hle_humanities_social_science",
            "hle_math",
            "hle_other",
            "hle_physics",
        ]
    );
    assert_eq!(
        value(&report, "hle_physics", "skipped_multimodal"),
        Some(1.0)
    );
    assert_eq!(value(&report, "hle_other", "skipped_multimodal"), Some(1.0));
    assert_eq!(value(&report, "hle_math", "skipped_multimodal"), Some(0.0));
    // Perfectly calibrated gold (confidence 100, all correct), bins of 2.
    assert_eq!(value(&report, "hle", "calibration_error"), Some(0.0));
    assert_eq!(value(&report, "hle_math", "calibration_error"), Some(0.0));
}

#[test]
fn the_model_query_is_the_reference_format_and_the_judge_sees_the_reference() {
    let mut seen = Vec::new();
    run(
        sample_files(),
        &[("system_prompt", "by_answer_type")],
        |q| {
            seen.push(q.clone());
            gold(q)
        },
    );
    let Query::Generate(g) = &seen[0] else {
        panic!("first query: {:?}", seen[0])
    };
    assert_eq!(g.messages[0].role, "system");
    // The first row of the sample is an exactMatch question.
    assert_eq!(g.messages[0].content, SYSTEM_EXACT_ANSWER);
    assert!(g.messages[1].content.starts_with("Let $f(n)$ count"));
    assert_eq!(g.params.temperature, Some(0.0));
    assert_eq!(g.params.max_tokens, None);
    let Query::Judge(j) = &seen[1] else {
        panic!("second query: {:?}", seen[1])
    };
    assert_eq!(j.messages.len(), 1);
    assert_eq!(j.messages[0].role, "user");
    assert!(j.messages[0].content.contains(
        "[response]: Explanation: This is the reference answer.\nAnswer: 43\nConfidence: 100%"
    ));
    assert!(j.messages[0].content.contains("[correct_answer]: 43\n"));
    assert_eq!(j.params.max_tokens, Some(4096));
    let Query::Generate(g2) = &seen[2] else {
        panic!("third query: {:?}", seen[2])
    };
    assert_eq!(
        g2.messages[0].content, SYSTEM_MC,
        "multipleChoice gets SYSTEM_MC"
    );
}

#[test]
fn failures_and_unreadable_verdicts_count_as_wrong_and_unjudged() {
    let mut calls = 0;
    let (scored, report) = run(sample_files(), &[], |q| {
        calls += 1;
        match q {
            // Sample 1: the model fails; sample 2: the judge fails;
            // sample 3: the judge writes no verdict; others: a confident wrong answer.
            Query::Generate(_) if calls == 1 => Answer::Failed("server error".into()),
            Query::Judge(_) if calls == 3 => Answer::Failed("timeout".into()),
            Query::Judge(_) if calls == 5 => Answer::Text("I think it is right.".into()),
            Query::Judge(_) => Answer::Text("correct: no\nconfidence: 90%".into()),
            _ => gold(q),
        }
    });
    let judged: Vec<f64> = scored
        .iter()
        .map(|s| {
            s.score
                .metrics
                .iter()
                .find(|m| m.name == "judged")
                .unwrap()
                .value
        })
        .collect();
    assert_eq!(&judged[..4], &[0.0, 0.0, 0.0, 1.0]);
    assert_eq!(value(&report, "hle", "accuracy"), Some(0.0));
    assert_eq!(value(&report, "hle", "judged"), Some(0.7));
    assert!(scored[0].score.details.contains("server error"));
    assert!(scored[2].score.details.contains("no `correct:` line"));
}

#[test]
fn malformed_rows_are_reported_by_file_row_and_field_and_the_rest_load() {
    let good = r#"{"id":"a1","question":"Q?","image":"","answer":"4","answer_type":"exactMatch","category":"Math"}"#;
    let files = vec![data_file(
        "data/test.jsonl",
        FileFormat::Jsonl,
        &[
            good,
            "not json",
            r#"{"id":"a2","question":"Q?","image":"","answer":"4","answer_type":"freeForm","category":"Math"}"#,
            r#"{"id":"a3","question":"Q?","image":"","answer_type":"exactMatch","category":"Math"}"#,
            r#"{"id":"a4","question":"  ","image":"","answer":"4","answer_type":"exactMatch","category":"Math"}"#,
            r#"{"id":"a5","question":"Q?","image":7,"answer":"4","answer_type":"exactMatch","category":"Math"}"#,
            good,
            r#"{"id":"a6","question":"Q?","image":null,"answer":"5","answer_type":"multipleChoice","category":"Other"}"#,
        ],
    )];
    let options = testing::options(&[]);
    let (loaded, _) = testing::load::<Hle>(files, &options).unwrap();
    let labels: Vec<String> = loaded.iter().map(label).collect();
    assert_eq!(
        labels,
        [
            "a1",
            "!data/test.jsonl:1:",
            "!data/test.jsonl:2:answer_type",
            "!data/test.jsonl:3:answer",
            "!data/test.jsonl:4:question",
            "!data/test.jsonl:5:image",
            "!data/test.jsonl:6:id",
            "a6",
        ]
    );
}

#[test]
fn no_readable_file_is_an_error() {
    let files = vec![data_file("README.txt", FileFormat::Text, &["\"hi\""])];
    let err = testing::load::<Hle>(files, &testing::options(&[])).unwrap_err();
    assert!(err.message.contains("no HLE data file"), "{}", err.message);
}

#[test]
fn bad_option_values_are_refused() {
    let (loaded, shared) = testing::load::<Hle>(sample_files(), &testing::options(&[])).unwrap();
    let Loaded::Sample(s) = &loaded[0] else {
        panic!()
    };
    let options = testing::options(&[("max_tokens", "lots")]);
    testing::prepare::<Hle>(&shared, &options).unwrap();
    assert!(testing::score::<Hle>(s, 1, &options, gold).is_err());
    let zero = testing::options(&[("calib_beta", "0")]);
    testing::prepare::<Hle>(&shared, &zero).unwrap();
    assert!(testing::aggregate::<Hle>(Vec::new(), &zero).is_err());
}
