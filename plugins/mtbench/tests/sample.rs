//! The bundled sample, loaded and scored end to end through the SDK's
//! in-process host: gold model + gold judge reach 10 everywhere, the
//! conversation of turn 2 carries the model's turn-1 answer, unparsable
//! ratings are dropped and counted, malformed rows are reported with file,
//! row and field while the other rows load.

use mtbench::MtBench;
use scorebox_sdk::testing::{self, assert_declared, gold};
use scorebox_sdk::{Answer, DataFile, FileFormat, Loaded, Query, Report, Sample};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

fn samples(files: Vec<DataFile>, pairs: &[(&str, &str)]) -> Vec<Sample> {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<MtBench>(files, &options).unwrap();
    testing::prepare::<MtBench>(&shared, &options).unwrap();
    loaded
        .into_iter()
        .map(|l| match l {
            Loaded::Sample(s) => s,
            Loaded::Invalid(e) => panic!("unexpected invalid row {e:?}"),
        })
        .collect()
}

fn run(pairs: &[(&str, &str)], mut model: impl FnMut(&Query) -> Answer) -> Report {
    let options = testing::options(pairs);
    let mut scored = Vec::new();
    for s in samples(sample_files(), pairs) {
        let one = testing::scored::<MtBench>(&s, 7, &options, &mut model).unwrap();
        assert_declared::<MtBench>(&one);
        scored.push(one);
    }
    testing::aggregate::<MtBench>(scored, &options).unwrap()
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
fn gold_model_and_gold_judge_score_ten_everywhere() {
    for temperature in ["category", "greedy"] {
        let report = run(&[("temperature", temperature)], gold);
        assert_eq!(
            report.tasks.len(),
            1 + 5,
            "the task and the sample's 5 categories"
        );
        assert_eq!(report.tasks[0].samples, 5);
        for t in &report.tasks {
            for m in ["score", "score_turn1", "score_turn2"] {
                assert_eq!(value(&report, &t.name, m), Some(10.0), "{} {m}", t.name);
            }
            assert_eq!(value(&report, &t.name, "invalid_ratings"), Some(0.0));
        }
    }
}

#[test]
fn turn_two_carries_the_turn_one_answer_and_the_judge_sees_both() {
    let all = samples(sample_files(), &[]);
    let math = all.iter().find(|s| s.subtask == "math").unwrap();
    let options = testing::options(&[]);
    let mut queries = Vec::new();
    let score = testing::score::<MtBench>(math, 0, &options, |q| {
        queries.push(q.clone());
        match q {
            Query::Generate(g) if g.messages.len() == 1 => Answer::Text("  69 remain.\n".into()),
            Query::Generate(_) => Answer::Text("7 rows, 6 left.".into()),
            _ => Answer::Text("Good. Rating: [[8]]".into()),
        }
    })
    .unwrap();
    assert_eq!(queries.len(), 4, "two answers, two judgments");
    let Query::Generate(second) = &queries[1] else {
        panic!()
    };
    let roles: Vec<&str> = second.messages.iter().map(|m| m.role.as_str()).collect();
    assert_eq!(roles, ["user", "assistant", "user"]);
    assert!(
        second.messages[0]
            .content
            .starts_with("A garden has 12 rows")
    );
    assert_eq!(
        second.messages[1].content, "69 remain.",
        "stripped as FastChat does"
    );
    assert!(
        second.messages[2]
            .content
            .starts_with("If the remaining tulips")
    );
    assert_eq!(second.params.temperature, Some(0.0), "math is greedy");
    assert_eq!(second.params.max_tokens, Some(1024));
    // The gold answers are the reference answers, from reference_answer/gpt-4.jsonl.
    assert!(
        second
            .reference
            .as_deref()
            .unwrap()
            .starts_with("69 divided by 9")
    );
    let Query::Judge(j2) = &queries[3] else {
        panic!()
    };
    let prompt = &j2.messages[1].content;
    assert!(prompt.contains("### Reference answer:\n69 divided by 9"));
    assert!(prompt.contains("### Assistant A:\n69 remain.\n\n### User:"));
    assert!(prompt.contains("### Assistant A:\n7 rows, 6 left."));
    assert_eq!(j2.reference.as_deref(), Some("[[10]]"));
    let turn1: Vec<f64> = score.metrics.iter().map(|m| m.value).collect();
    assert_eq!(turn1, [8.0, 8.0, 0.0]);
    // Writing samples at FastChat's 0.7.
    let writing = all.iter().find(|s| s.subtask == "writing").unwrap();
    testing::score::<MtBench>(writing, 0, &options, |q| {
        if let Query::Generate(g) = q {
            assert_eq!(g.params.temperature, Some(0.7));
        }
        gold(q)
    })
    .unwrap();
}

#[test]
fn unparsable_ratings_are_dropped_and_counted() {
    // Turn 1 rated 4, turn 2 unparsable (-1 in FastChat), and a failed judge
    // call (FastChat's "$ERROR$") in one sample out of five.
    let mut judged = 0;
    let report = run(&[], |q| match q {
        Query::Judge(_) => {
            judged += 1;
            match judged {
                1 => Answer::Text("Rating: [[4]]".into()),
                2 => Answer::Text("no verdict".into()),
                3 => Answer::Failed("timeout".into()),
                _ => Answer::Text("[[6]]".into()),
            }
        }
        _ => gold(q),
    });
    assert_eq!(value(&report, "mtbench", "invalid_ratings"), Some(2.0));
    // Turn 1: 4, -1 (dropped), 6, 6, 6; turn 2: -1 (dropped), 6, 6, 6, 6.
    assert_eq!(value(&report, "mtbench", "score_turn1"), Some(22.0 / 4.0));
    assert_eq!(value(&report, "mtbench", "score_turn2"), Some(6.0));
    assert_eq!(value(&report, "mtbench", "score"), Some(46.0 / 8.0));
}

#[test]
fn malformed_rows_are_reported_and_the_others_load() {
    let rows = [
        r#"{"question_id": 1, "category": "writing", "turns": ["a", "b"]}"#,
        r#"{"question_id": 2, "category": "writing", "turns": ["only one"]}"#,
        r#"{"question_id": 3, "category": "math", "turns": ["a", "b"]}"#,
        r#"{"question_id": 1, "category": "stem", "turns": ["a", "b"]}"#,
        r#"not json"#,
        r#"{"question_id": 6, "category": "coding", "turns": ["a", "b"], "reference": ["x", "y"]}"#,
    ];
    let file = DataFile {
        path: "mt_bench/question.jsonl".into(),
        sha256: String::new(),
        format: FileFormat::Jsonl,
        rows: rows.iter().map(|r| r.to_string()).collect(),
    };
    let (loaded, _) = testing::load::<MtBench>(vec![file], &testing::options(&[])).unwrap();
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for l in loaded {
        match l {
            Loaded::Sample(s) => ok.push(s.id),
            Loaded::Invalid(e) => {
                assert_eq!(e.path, "mt_bench/question.jsonl");
                bad.push((e.row, e.field));
            }
        }
    }
    assert_eq!(ok, ["1", "6"]);
    assert_eq!(
        bad,
        [
            (1, Some("turns".to_string())),
            (2, Some("reference".to_string())),
            (3, Some("question_id".to_string())),
            (4, None),
        ]
    );
    let e = testing::load::<MtBench>(Vec::new(), &testing::options(&[])).unwrap_err();
    assert!(e.message.contains("question.jsonl"), "{}", e.message);
}
