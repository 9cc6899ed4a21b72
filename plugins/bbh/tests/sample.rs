//! The bundled sample, loaded and scored end to end through the SDK's
//! in-process host: the gold model scores the maximum under every option
//! combination; malformed rows become `loaded::invalid`.

use bbh::Bbh;
use scorebox_sdk::{Answer, ContinuationScore, DataFile, FileFormat, Loaded, Query, testing};

fn sample_files() -> Vec<DataFile> {
    let root = format!("{}/sample", env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(&root)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                paths.push(p);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // As the host decodes them: a json file is one row (an object or
            // a string), a jsonl file one row per line, a txt file one row
            // holding its text as a JSON string.
            let (format, rows) = if rel.ends_with(".jsonl") {
                (
                    FileFormat::Jsonl,
                    text.lines().map(str::to_string).collect(),
                )
            } else if rel.ends_with(".txt") {
                (
                    FileFormat::Text,
                    vec![serde_json::Value::String(text).to_string()],
                )
            } else {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                (FileFormat::Json, vec![v.to_string()])
            };
            DataFile {
                path: rel,
                sha256: String::new(),
                format,
                rows,
            }
        })
        .collect()
}

/// The host refuses a per-sample metric the plugin's info does not declare.
fn assert_declared<B: scorebox_sdk::Benchmark>(score: &scorebox_sdk::ScoredSample) {
    let declared: Vec<String> = B::info().metrics.into_iter().map(|m| m.name).collect();
    for m in &score.score.metrics {
        assert!(
            declared.contains(&m.name),
            "undeclared per-sample metric {}",
            m.name
        );
    }
}

fn gold(q: &Query) -> Answer {
    match q {
        Query::Generate(g) | Query::Judge(g) => Answer::Text(g.reference.clone().unwrap()),
        Query::Choose(c) => Answer::Scores(
            (0..c.continuations.len() as u32)
                .map(|i| ContinuationScore {
                    logprob: if Some(i) == c.reference { 0.0 } else { -1000.0 },
                    is_greedy: Some(i) == c.reference,
                })
                .collect(),
        ),
    }
}

fn run(
    pairs: &[(&str, &str)],
    model: &dyn Fn(&Query) -> Answer,
) -> (usize, Vec<(String, String, f64)>) {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<Bbh>(sample_files(), &options).unwrap();
    testing::prepare::<Bbh>(&shared, &options).unwrap();
    let mut scored = Vec::new();
    for l in loaded {
        let Loaded::Sample(sample) = l else {
            panic!("the bundled sample has no malformed row: {l:?}")
        };
        let s = testing::scored::<Bbh>(&sample, 7, &options, model).unwrap();
        assert_declared::<Bbh>(&s);
        scored.push(s);
    }
    let n = scored.len();
    let report = testing::aggregate::<Bbh>(scored, &options).unwrap();
    let values = report
        .tasks
        .into_iter()
        .flat_map(|t| {
            let name = t.name.clone();
            t.metrics
                .into_iter()
                .map(move |m| (name.clone(), format!("{},{}", m.name, m.filter), m.value))
        })
        .collect();
    (n, values)
}

#[test]
fn gold_scores_the_maximum_under_every_option() {
    for variant in bbh::Variant::NAMES {
        for k in ["0", "1", "3"] {
            let pairs = [("variant", variant), ("num_fewshot", k)];
            let (n, values) = run(&pairs, &gold);
            let want = if variant == "leaderboard" { 22 } else { 31 };
            assert_eq!(n, want, "{pairs:?}");
            assert!(values.len() > 5, "{values:?}");
            for (task, key, v) in values {
                assert_eq!(v, 1.0, "{pairs:?} {task} {key}");
            }
        }
    }
}

#[test]
fn a_silent_model_scores_zero() {
    let silent = |q: &Query| match q {
        Query::Choose(c) => Answer::Scores(
            (0..c.continuations.len())
                .map(|i| ContinuationScore {
                    logprob: if i == c.continuations.len() - 1 {
                        0.0
                    } else {
                        -5.0
                    },
                    is_greedy: false,
                })
                .collect(),
        ),
        _ => Answer::Text(String::new()),
    };
    for variant in ["cot_fewshot", "zeroshot", "cot_zeroshot", "fewshot"] {
        let (_, values) = run(&[("variant", variant)], &silent);
        let group = values
            .iter()
            .find(|(t, _, _)| !t.contains("_bbh_") && t.starts_with("bbh"))
            .unwrap();
        // Only word_sorting's filter turns "" into a (wrong) "" answer; every
        // target is non-empty, so nothing matches.
        assert_eq!(group.2, 0.0, "{variant}: {values:?}");
    }
    let (_, values) = run(&[("variant", "leaderboard")], &silent);
    assert_eq!(values[0].0, "leaderboard_bbh");
    assert!(values[0].2 < 0.5, "{values:?}");
    assert_eq!(values[1].1, "leaderboard_norm,none");
}

#[test]
fn prompts_reach_the_model() {
    let options = testing::options(&[("variant", "leaderboard")]);
    let (loaded, shared) = testing::load::<Bbh>(sample_files(), &options).unwrap();
    testing::prepare::<Bbh>(&shared, &options).unwrap();
    let Loaded::Sample(s) = &loaded[0] else {
        panic!()
    };
    assert_eq!(s.id, "boolean_expressions/0");
    let mut seen = None;
    testing::score::<Bbh>(s, 1, &options, |q| {
        seen = Some(q.clone());
        gold(q)
    })
    .unwrap();
    let Some(Query::Choose(c)) = seen else {
        panic!()
    };
    assert!(c.context.starts_with("Work out the truth value of a small Boolean expression.Q: not ( False or False ) is\nA: True\n\n"), "{}", c.context);
    assert!(
        c.context
            .ends_with("\n\nQ: not not ( True and False ) is\nA:")
    );
    assert_eq!(c.continuations, [" False", " True"]);
    assert_eq!(c.reference, Some(0));
}

#[test]
fn malformed_rows_and_missing_prompts() {
    let files = vec![
        DataFile {
            path: "bbh/snarks.json".into(),
            sha256: String::new(),
            format: FileFormat::Json,
            rows: vec![
                r#"{"examples":[{"input":"q","target":"(A)"},{"input":3,"target":"(B)"},"x"]}"#
                    .into(),
            ],
        },
        DataFile {
            path: "bbh/hyperbaton.jsonl".into(),
            sha256: String::new(),
            format: FileFormat::Jsonl,
            rows: vec!["not json".into(), r#"{"input":"q2","target":"(A)"}"#.into()],
        },
    ];
    let options = testing::options(&[]);
    let (loaded, shared) = testing::load::<Bbh>(files, &options).unwrap();
    let invalid: Vec<_> = loaded
        .iter()
        .filter_map(|l| match l {
            Loaded::Invalid(e) => Some((e.path.as_str(), e.row, e.field.clone())),
            Loaded::Sample(_) => None,
        })
        .collect();
    assert_eq!(
        invalid,
        [
            ("bbh/snarks.json", 0, Some("examples[1].input".to_string())),
            ("bbh/snarks.json", 0, Some("examples[2]".to_string())),
            ("bbh/hyperbaton.jsonl", 0, None)
        ]
    );
    // No prompt file: each sample fails with the reason.
    testing::prepare::<Bbh>(&shared, &options).unwrap();
    let Some(Loaded::Sample(s)) = loaded.iter().find(|l| matches!(l, Loaded::Sample(_))) else {
        panic!()
    };
    assert_eq!(s.id, "snarks/0");
    let e = testing::score::<Bbh>(s, 1, &options, gold).unwrap_err();
    assert!(
        e.message.contains("no prompt file for `snarks`"),
        "{}",
        e.message
    );
}
