//! The bundled sample, loaded and scored end to end through the SDK's
//! in-process host: the gold model reaches the maximum under every option
//! combination, a silent model scores 0, malformed rows become
//! `loaded::invalid`, and the prompt has the reference format.

use math::Math;
use scorebox_sdk::testing::{self, samples};
use scorebox_sdk::{Answer, DataFile, FileFormat, Loaded, Query, Report};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

fn run(pairs: &[(&str, &str)], model: impl Fn(&Query) -> Answer) -> (usize, Report) {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<Math>(sample_files(), &options).unwrap();
    testing::prepare::<Math>(&shared, &options).unwrap();
    let mut scored = Vec::new();
    for s in samples(loaded) {
        scored.push(testing::scored::<Math>(&s, 7, &options, &model).unwrap());
    }
    let n = scored.len();
    (n, testing::aggregate::<Math>(scored, &options).unwrap())
}

fn gold(q: &Query) -> Answer {
    assert!(matches!(q, Query::Generate(_)), "MATH only generates");
    testing::gold(q)
}

#[test]
fn gold_scores_the_maximum_under_every_option() {
    for (pairs, group, n, metrics) in [
        (
            vec![],
            "minerva_math",
            35,
            vec!["exact_match", "math_verify"],
        ),
        (
            vec![("variant", "original")],
            "hendrycks_math",
            35,
            vec!["exact_match"],
        ),
        (
            vec![("variant", "leaderboard")],
            "leaderboard_math_hard",
            14,
            vec!["exact_match", "exact_match_original", "leaderboard_norm"],
        ),
        (
            vec![("variant", "leaderboard"), ("subset", "all")],
            "leaderboard_math_hard",
            35,
            vec!["exact_match", "exact_match_original", "leaderboard_norm"],
        ),
        (
            vec![("subset", "hard")],
            "minerva_math",
            14,
            vec!["exact_match", "math_verify"],
        ),
        (
            vec![("variant", "original"), ("num_fewshot", "2")],
            "hendrycks_math",
            35,
            vec!["exact_match"],
        ),
        (
            vec![("num_fewshot", "0"), ("max_tokens", "2048")],
            "minerva_math",
            35,
            vec!["exact_match", "math_verify"],
        ),
    ] {
        let (count, report) = run(&pairs, gold);
        assert_eq!(count, n, "{pairs:?}");
        assert_eq!(report.tasks[0].name, group, "{pairs:?}");
        assert_eq!(report.tasks.len(), 8, "{pairs:?}: one group + 7 subjects");
        let names: Vec<&str> = report.tasks[0]
            .metrics
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(names, metrics, "{pairs:?}");
        for t in &report.tasks {
            for m in &t.metrics {
                assert_eq!(
                    (m.filter.as_str(), m.value),
                    ("none", 1.0),
                    "{pairs:?} {} {}",
                    t.name,
                    m.name
                );
            }
        }
    }
}

#[test]
fn a_model_without_answers_scores_zero() {
    for v in ["minerva", "original", "leaderboard"] {
        let (_, report) = run(&[("variant", v)], |_| Answer::Text("i do not know".into()));
        for m in &report.tasks[0].metrics {
            assert_eq!(m.value, 0.0, "{v} {}", m.name);
        }
    }
}

#[test]
fn ids_subtasks_and_prompts() {
    let options = testing::options(&[]);
    let (loaded, shared) = testing::load::<Math>(sample_files(), &options).unwrap();
    let all = samples(loaded);
    let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.contains(&"algebra/1001"), "{ids:?}");
    assert!(ids.contains(&"number_theory/1002"), "{ids:?}");
    assert!(ids.contains(&"algebra/0"), "{ids:?}");
    assert!(ids.contains(&"counting_and_probability/29"), "{ids:?}");
    testing::prepare::<Math>(&shared, &options).unwrap();
    let first = all.iter().find(|s| s.id == "algebra/0").unwrap();
    let mut asked = None;
    testing::score::<Math>(first, 1, &options, |q| {
        asked = Some(q.clone());
        gold(q)
    })
    .unwrap();
    let Some(Query::Generate(g)) = asked else {
        panic!()
    };
    let prompt = &g.messages[0].content;
    assert!(
        prompt.starts_with("Problem:\nWhat is $1 + 2 + 3$?\n\nSolution: Adding"),
        "{prompt}"
    );
    assert!(
        prompt.ends_with("Problem:\nWhat is the value of $3x + 2$ when $x = 4$?\n\nSolution:"),
        "{prompt}"
    );
    assert_eq!(
        prompt
            .matches("I hope it is correct.\n\nProblem:\n")
            .count(),
        4,
        "{prompt}"
    );
    assert_eq!(g.params.stop, ["Problem:"]);
    assert_eq!(g.params.max_tokens, Some(256));
    // The original task: zero-shot `Problem: …\nAnswer:`.
    let options = testing::options(&[("variant", "original")]);
    let (loaded, shared) = testing::load::<Math>(sample_files(), &options).unwrap();
    assert_eq!(shared, "");
    testing::prepare::<Math>(&shared, &options).unwrap();
    let s = samples(loaded)
        .into_iter()
        .find(|s| s.id == "algebra/0")
        .unwrap();
    testing::score::<Math>(&s, 1, &options, |q| {
        let Query::Generate(g) = q else { panic!() };
        assert_eq!(
            g.messages[0].content,
            "Problem: What is the value of $3x + 2$ when $x = 4$?\nAnswer:"
        );
        gold(q)
    })
    .unwrap();
}

#[test]
fn malformed_rows_are_reported_with_file_row_and_field() {
    let rows = [
        "{",
        r#"{"problem": "p", "level": "Level 1", "type": "Algebra"}"#,
        r#"{"problem": "p", "level": "Level 1", "type": "Calculus", "solution": "\\boxed{1}"}"#,
        r#"{"problem": "p", "level": "Level 1", "type": "Algebra", "solution": "no box"}"#,
        r#"{"problem": 3, "level": "Level 1", "type": "Algebra", "solution": "\\boxed{1}"}"#,
        r#"{"problem": "p", "level": [5], "type": "Algebra", "solution": "\\boxed{1}"}"#,
        r#"{"problem": "p", "level": "Level 1", "type": "Algebra", "solution": "x", "answer": "7"}"#,
        r#"{"problem": "p", "level": "Level 1", "type": "Algebra", "solution": "\\boxed{2}", "unique_id": "u1"}"#,
        r#"{"problem": "p", "level": "Level 1", "type": "Algebra", "solution": "\\boxed{2}", "unique_id": "u1"}"#,
    ];
    let files = vec![
        testing::data_file("test.jsonl", FileFormat::Jsonl, &rows),
        testing::data_file("notes.jsonl", FileFormat::Jsonl, &["{}"]),
    ];
    let (loaded, _) = testing::load::<Math>(files, &testing::options(&[])).unwrap();
    let mut errors = Vec::new();
    let mut ids = Vec::new();
    for l in loaded {
        match l {
            Loaded::Invalid(e) => errors.push((e.path, e.row, e.field, e.message)),
            Loaded::Sample(s) => ids.push((s.id, s.target)),
        }
    }
    assert_eq!(
        ids,
        [
            ("algebra/6".to_string(), "7".to_string()),
            ("u1".into(), "2".into())
        ]
    );
    let brief: Vec<(String, u32, Option<String>)> = errors
        .iter()
        .map(|e| (e.0.clone(), e.1, e.2.clone()))
        .collect();
    assert_eq!(
        brief,
        [
            ("notes.jsonl".to_string(), 0, None),
            ("test.jsonl".into(), 0, None),
            ("test.jsonl".into(), 1, Some("solution".into())),
            ("test.jsonl".into(), 2, Some("type".into())),
            ("test.jsonl".into(), 3, Some("solution".into())),
            ("test.jsonl".into(), 4, Some("problem".into())),
            ("test.jsonl".into(), 5, Some("level".into())),
            ("test.jsonl".into(), 8, Some("unique_id".into())),
        ]
    );
    assert!(testing::load::<Math>(Vec::new(), &testing::options(&[])).is_err());
}
