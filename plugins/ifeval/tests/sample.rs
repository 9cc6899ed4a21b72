//! The bundled sample, loaded and scored end to end through the SDK's
//! in-process host: the gold model (which answers with the query's
//! `reference`) scores the maximum under every option; malformed rows become
//! `loaded::invalid` naming file, row and field.

use ifeval::Ifeval;
use scorebox_sdk::{Answer, DataFile, FileFormat, Loaded, Query, Report, Sample, testing};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

fn samples(pairs: &[(&str, &str)]) -> Vec<Sample> {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<Ifeval>(sample_files(), &options).unwrap();
    testing::prepare::<Ifeval>(&shared, &options).unwrap();
    testing::samples(loaded)
}

fn run(pairs: &[(&str, &str)], model: impl Fn(&Query) -> Answer) -> (Vec<Sample>, Report) {
    let options = testing::options(pairs);
    let samples = samples(pairs);
    let scored = samples
        .iter()
        .enumerate()
        .map(|(i, s)| testing::scored::<Ifeval>(s, 7 + i as u64, &options, &model).unwrap())
        .collect();
    (
        samples,
        testing::aggregate::<Ifeval>(scored, &options).unwrap(),
    )
}

fn gold(q: &Query) -> Answer {
    assert!(
        matches!(q, Query::Generate(_)),
        "IFEval asks generate queries only: {q:?}"
    );
    testing::gold(q)
}

#[test]
fn gold_scores_the_maximum_under_every_option() {
    for (pairs, task) in [
        (vec![], "ifeval"),
        (vec![("variant", "leaderboard")], "leaderboard_ifeval"),
    ] {
        let (samples, report) = run(&pairs, gold);
        assert_eq!(samples.len(), 31);
        let top = &report.tasks[0];
        assert_eq!(top.name, task);
        let mut names = Vec::new();
        for m in &top.metrics {
            names.push(m.name.as_str());
            assert_eq!(
                (m.name.as_str(), m.filter.as_str(), m.value),
                (m.name.as_str(), "none", 1.0)
            );
        }
        let mut want = vec![
            "prompt_level_strict_acc",
            "inst_level_strict_acc",
            "prompt_level_loose_acc",
            "inst_level_loose_acc",
        ];
        if task == "leaderboard_ifeval" {
            want.push("leaderboard_norm");
        }
        assert_eq!(names, want);
        // All 25 instruction ids and the 9 categories have a breakdown.
        let inst = report
            .tasks
            .iter()
            .filter(|t| t.name.starts_with(&format!("{task}_inst_")))
            .count();
        let cat = report
            .tasks
            .iter()
            .filter(|t| t.name.starts_with(&format!("{task}_category_")))
            .count();
        assert_eq!((inst, cat), (25, 9));
        for t in &report.tasks[1..] {
            assert!(t.metrics.iter().all(|m| m.value == 1.0), "{t:?}");
        }
    }
}

#[test]
fn the_query_is_the_prompt_zero_shot_greedy() {
    let s = &samples(&[])[0];
    let options = testing::options(&[]);
    let mut seen = None;
    testing::score::<Ifeval>(s, 1, &options, |q| {
        seen = Some(q.clone());
        Answer::Text("x".into())
    })
    .unwrap();
    let Some(Query::Generate(g)) = seen else {
        panic!()
    };
    assert_eq!(g.messages.len(), 1);
    assert_eq!(g.messages[0].role, "user");
    assert!(
        g.messages[0]
            .content
            .starts_with("Write a short story about a lighthouse keeper")
    );
    assert_eq!(g.params.max_tokens, Some(1280));
    assert!(g.params.stop.is_empty());
    assert_eq!(g.params.temperature, None);
    assert_eq!(s.id, "1001");
}

#[test]
fn random_words_score_low_but_not_crash() {
    let (_, report) = run(&[], |_| Answer::Text("lorem ipsum dolor sit amet".into()));
    let m = &report.tasks[0].metrics;
    assert!(m[0].value < 0.5, "{m:?}");
    assert!(m[0].stderr.is_some());
    assert!(m[1].stderr.is_none());
    let (_, report) = run(&[], |_| Answer::Text("   \n ".into()));
    assert!(report.tasks[0].metrics.iter().all(|m| m.value == 0.0));
}

#[test]
fn malformed_rows_become_invalid() {
    let rows = [
        r#"{"key": 1, "prompt": "p", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}"#,
        r#"not json"#,
        r#"{"key": 2, "prompt": "p", "instruction_id_list": ["punctuation:no_comma"]}"#,
        r#"{"key": 3, "prompt": "p", "instruction_id_list": ["no:such"], "kwargs": [{}]}"#,
        r#"{"key": 4, "prompt": "p", "instruction_id_list": ["keywords:frequency"], "kwargs": [{"keyword": "x", "relation": "at most", "frequency": 2}]}"#,
        r#"{"key": 5, "prompt": "p", "instruction_id_list": ["combination:repeat_prompt"], "kwargs": [{"prompt_to_repeat": null}]}"#,
        r#"{"key": 6, "prompt": "p", "instruction_id_list": ["language:response_language"], "kwargs": [{"language": "zh"}]}"#,
        r#"{"key": 1, "prompt": "p", "instruction_id_list": [], "kwargs": []}"#,
        r#"{"key": 7, "prompt": 3, "instruction_id_list": [], "kwargs": []}"#,
        r#"{"key": 8, "prompt": "p", "instruction_id_list": ["punctuation:no_comma", "startend:quotation"], "kwargs": [{}]}"#,
        r#"{"key": 9, "prompt": "p", "instruction_id_list": ["detectable_format:title"], "kwargs": [{"num_words": 5}]}"#,
        r#"{"key": 10, "prompt": "p", "instruction_id_list": ["keywords:existence"], "kwargs": [{"keywords": null}]}"#,
    ];
    let file = testing::data_file("bad.jsonl", FileFormat::Jsonl, &rows);
    let (loaded, _) = testing::load::<Ifeval>(vec![file], &testing::options(&[])).unwrap();
    let got: Vec<(u32, Option<String>)> = loaded
        .iter()
        .filter_map(|l| match l {
            Loaded::Invalid(e) => {
                assert_eq!(e.path, "bad.jsonl");
                Some((e.row, e.field.clone()))
            }
            Loaded::Sample(_) => None,
        })
        .collect();
    let f = |s: &str| Some(s.to_string());
    assert_eq!(
        got,
        [
            (1, None),
            (2, f("kwargs")),
            (3, f("kwargs")),
            (4, f("kwargs")),
            (5, f("kwargs")),
            (6, f("kwargs")),
            (7, f("key")),
            (8, f("prompt")),
            (9, f("kwargs")),
            (10, f("kwargs")),
            (11, f("kwargs")),
        ]
    );
}
