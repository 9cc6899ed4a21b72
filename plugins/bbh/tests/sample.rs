//! The bundled sample, loaded and scored end to end through the SDK's
//! in-process host: the gold model scores the maximum under every option
//! combination; malformed rows become `loaded::invalid`.

use bbh::Bbh;
use scorebox_sdk::testing::{self, assert_declared, data_file, gold};
use scorebox_sdk::{Answer, DataFile, FileFormat, Loaded, Query};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
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
        Query::Choose(c) => testing::scores((0..c.continuations.len()).map(|i| {
            if i == c.continuations.len() - 1 {
                0.0
            } else {
                -5.0
            }
        })),
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
        data_file(
            "bbh/snarks.json",
            FileFormat::Json,
            &[r#"{"examples":[{"input":"q","target":"(A)"},{"input":3,"target":"(B)"},"x"]}"#],
        ),
        data_file(
            "bbh/hyperbaton.jsonl",
            FileFormat::Jsonl,
            &["not json", r#"{"input":"q2","target":"(A)"}"#],
        ),
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
