//! The bundled sample end to end: gold scores the maximum under every
//! option combination; seeded shuffles depend on the episode seed only;
//! malformed rows become `loaded::invalid`.

use gpqa::Gpqa;
use scorebox_sdk::testing::{self, assert_declared, gold};
use scorebox_sdk::{DataFile, FileFormat, Loaded, Query};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

fn run(pairs: &[(&str, &str)], seed: u64) -> Vec<(String, String, f64)> {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<Gpqa>(sample_files(), &options).unwrap();
    testing::prepare::<Gpqa>(&shared, &options).unwrap();
    let mut scored = Vec::new();
    for l in loaded {
        let Loaded::Sample(s) = l else {
            panic!("{l:?}")
        };
        let s = testing::scored::<Gpqa>(&s, seed, &options, gold).unwrap();
        assert_declared::<Gpqa>(&s);
        scored.push(s);
    }
    assert_eq!(scored.len(), 18);
    let report = testing::aggregate::<Gpqa>(scored, &options).unwrap();
    report
        .tasks
        .into_iter()
        .flat_map(|t| {
            let name = t.name.clone();
            t.metrics
                .into_iter()
                .map(move |m| (name.clone(), format!("{},{}", m.name, m.filter), m.value))
        })
        .collect()
}

#[test]
fn gold_scores_the_maximum_under_every_option() {
    for variant in gpqa::Variant::NAMES {
        for shuffle in ["reference", "seeded"] {
            for seed in ["0", "1234"] {
                let values = run(
                    &[
                        ("variant", variant),
                        ("shuffle", shuffle),
                        ("shuffle_seed", seed),
                    ],
                    9,
                );
                assert!(values.len() >= 4, "{values:?}");
                for (task, key, v) in values {
                    assert_eq!(v, 1.0, "{variant} {shuffle} {seed} {task} {key}");
                }
            }
        }
    }
}

#[test]
fn seeded_shuffle_follows_the_episode_seed() {
    let options = testing::options(&[("shuffle", "seeded")]);
    let (loaded, shared) = testing::load::<Gpqa>(sample_files(), &options).unwrap();
    testing::prepare::<Gpqa>(&shared, &options).unwrap();
    let Loaded::Sample(s) = &loaded[0] else {
        panic!()
    };
    assert_eq!(s.id, "gpqa_diamond/recS01");
    let context = |seed| {
        let mut ctx = String::new();
        testing::score::<Gpqa>(s, seed, &options, |q| {
            if let Query::Choose(c) = q {
                ctx = c.context.clone();
            }
            gold(q)
        })
        .unwrap();
        ctx
    };
    assert_eq!(context(5), context(5));
    let distinct: std::collections::BTreeSet<String> = (0..20).map(context).collect();
    assert!(distinct.len() > 1);
    let score = testing::score::<Gpqa>(s, 5, &options, gold).unwrap();
    let details: serde_json::Value = serde_json::from_str(&score.details).unwrap();
    assert_eq!(details["shuffle"]["mode"], "seeded");
    assert_eq!(details["shuffle"]["seed"], 5);
}

#[test]
fn malformed_rows_are_reported() {
    let header = r#"["Question","Correct Answer","Incorrect Answer 1","Incorrect Answer 2","Incorrect Answer 3","Record ID"]"#;
    let files = vec![
        testing::data_file(
            "gpqa_main.csv",
            FileFormat::Csv,
            &[
                header,
                r#"["q","a","b","c"]"#,
                r#"["q","a","b","c","d","r1"]"#,
                r#"["q","a","b","c","d","r1"]"#,
            ],
        ),
        testing::data_file(
            "gpqa_extended.jsonl",
            FileFormat::Jsonl,
            &[
                r#"{"Question":"q","Correct Answer":"a","Incorrect Answer 1":"b","Incorrect Answer 2":"c"}"#,
                "[",
            ],
        ),
    ];
    let (loaded, _) = testing::load::<Gpqa>(files, &testing::options(&[])).unwrap();
    let got: Vec<String> = loaded.iter().map(testing::label).collect();
    assert_eq!(
        got,
        [
            "!gpqa_extended.jsonl:0:Incorrect Answer 3",
            "!gpqa_extended.jsonl:1:",
            "!gpqa_main.csv:1:",
            "gpqa_main/r1",
            "!gpqa_main.csv:3:Record ID",
        ]
    );
}
