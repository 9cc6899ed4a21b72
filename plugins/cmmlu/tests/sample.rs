//! The bundled sample (all 67 subjects, invented questions in the official
//! CSV layout), loaded and scored end to end through the SDK's in-process
//! host: the gold model scores the maximum under every option combination,
//! constant and random models land where they should, malformed rows are
//! reported while the others are scored.

use cmmlu::load::Shared;
use cmmlu::{Cmmlu, subjects};
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::testing::{self, gold, label, samples};
use scorebox_sdk::{Answer, DataFile, FileFormat, Loaded, Query, Report};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

/// Runs every sample with `model`; returns the sample count and the report.
fn run(pairs: &[(&str, &str)], mut model: impl FnMut(&Query) -> Answer) -> (usize, Report) {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<Cmmlu>(sample_files(), &options).unwrap();
    testing::prepare::<Cmmlu>(&shared, &options).unwrap();
    let mut scored = Vec::new();
    for (i, sample) in samples(loaded).iter().enumerate() {
        let s = testing::scored::<Cmmlu>(sample, 1000 + i as u64, &options, &mut model).unwrap();
        testing::assert_declared::<Cmmlu>(&s);
        scored.push(s);
    }
    let n = scored.len();
    (n, testing::aggregate::<Cmmlu>(scored, &options).unwrap())
}

fn value(r: &Report, name: &str) -> f64 {
    r.tasks
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no {name} in {:?}",
                r.tasks.iter().map(|t| &t.name).collect::<Vec<_>>()
            )
        })
        .metrics[0]
        .value
}

/// Every combination of the options that change how a sample is scored.
fn combinations() -> Vec<Vec<(&'static str, &'static str)>> {
    let mut out = Vec::new();
    for shots in ["0", "1"] {
        for mode in ["reference", "corrected"] {
            for variant in ["loglikelihood", "official-letter"] {
                out.push(vec![
                    ("variant", variant),
                    ("mode", mode),
                    ("num_fewshot", shots),
                ]);
            }
            for fallback in ["seeded", "reference-stream", "none"] {
                for cot in ["false", "true"] {
                    out.push(vec![
                        ("variant", "generative"),
                        ("mode", mode),
                        ("num_fewshot", shots),
                        ("fallback", fallback),
                        ("cot", cot),
                    ]);
                }
            }
        }
    }
    out
}

#[test]
fn gold_scores_the_maximum_under_every_option_combination() {
    for pairs in combinations() {
        let (n, report) = run(&pairs, gold);
        assert_eq!(n, 71, "{pairs:?}");
        // Overall micro and macro, 5 + 5 category groups, 67 subjects.
        assert_eq!(report.tasks.len(), 1 + 5 + 1 + 5 + 67, "{pairs:?}");
        assert!(report.revised.is_empty());
        for t in &report.tasks {
            for m in &t.metrics {
                assert_eq!(m.value, 1.0, "{pairs:?} {} {}", t.name, m.name);
            }
        }
    }
}

fn always_a(q: &Query) -> Answer {
    match q {
        Query::Generate(_) | Query::Judge(_) => Answer::Text("A".into()),
        Query::Choose(c) => {
            testing::scores((0..c.continuations.len()).map(|i| if i == 0 { -0.1 } else { -5.0 }))
        }
    }
}

#[test]
fn a_constant_model_scores_the_share_of_a_answers() {
    // 18 of the 71 bundled test questions have answer A.
    for variant in ["loglikelihood", "official-letter", "generative"] {
        let (n, report) = run(&[("variant", variant), ("mode", "corrected")], always_a);
        let suffix = match variant {
            "loglikelihood" => "",
            "official-letter" => "_letter",
            _ => "_generative",
        };
        let micro = value(&report, &format!("cmmlu{suffix}"));
        assert!((micro - 18.0 / n as f64).abs() < 1e-12, "{variant} {micro}");
        // The macro averages subjects: 67 subjects, 4 of them with 2 rows.
        let macro_ = value(&report, &format!("cmmlu_official_macro{suffix}"));
        assert!(macro_ > 0.0 && macro_ < 1.0);
    }
}

/// The host's `random` model: random lower-case words for generate, uniform
/// log-likelihoods for choose.
fn random_model(rng: &mut PyRandom, q: &Query) -> Answer {
    match q {
        Query::Generate(_) | Query::Judge(_) => {
            let words: Vec<String> = (0..8)
                .map(|_| {
                    (0..5)
                        .map(|_| (b'a' + rng.randbelow(26) as u8) as char)
                        .collect()
                })
                .collect();
            Answer::Text(words.join(" "))
        }
        Query::Choose(c) => {
            testing::scores((0..c.continuations.len()).map(|_| -rng.random() * 10.0))
        }
    }
}

#[test]
fn a_random_model_lands_near_chance() {
    for variant in ["loglikelihood", "official-letter", "generative"] {
        let mut rng = PyRandom::from_seed(42);
        let (_, report) = run(&[("variant", variant)], |q| random_model(&mut rng, q));
        let acc = report.tasks[0].metrics[0].value;
        assert!((acc - 0.25).abs() < 0.15, "{variant}: {acc}");
    }
    // Generative with fallback=none: random words never name a letter.
    let mut rng = PyRandom::from_seed(42);
    let (_, report) = run(&[("variant", "generative"), ("fallback", "none")], |q| {
        random_model(&mut rng, q)
    });
    assert_eq!(report.tasks[0].metrics[0].value, 0.0);
}

#[test]
fn few_shot_pools_travel_once_as_shared_data() {
    let one = testing::options(&[("num_fewshot", "1")]);
    let (loaded, shared) = testing::load::<Cmmlu>(sample_files(), &one).unwrap();
    let pools: Shared = serde_json::from_str(&shared).unwrap();
    assert_eq!(pools.dev.len(), 67);
    for s in samples(loaded) {
        let data: serde_json::Value = serde_json::from_str(&s.data).unwrap();
        assert_eq!(data.as_object().unwrap().len(), 5, "{}", s.data);
    }
    let (_, shared) = testing::load::<Cmmlu>(sample_files(), &testing::options(&[])).unwrap();
    assert_eq!(shared, "");
    // Five shots: the sample has one dev row per subject, so each sample fails
    // with the reason (the official script and lm-eval stop as well).
    let five = testing::options(&[("num_fewshot", "5")]);
    let (loaded, shared) = testing::load::<Cmmlu>(sample_files(), &five).unwrap();
    testing::prepare::<Cmmlu>(&shared, &five).unwrap();
    let e = testing::score::<Cmmlu>(&samples(loaded)[0], 0, &five, gold).unwrap_err();
    assert!(e.message.contains("only 1 dev example"), "{}", e.message);
}

#[test]
fn malformed_rows_are_reported_and_the_others_scored() {
    let mut files = sample_files();
    files.push(testing::data_file(
        "extra/data/test/arts.csv",
        FileFormat::Csv,
        &[
            r#"["","Question","A","B","C","D","Answer"]"#,
            r#"["0","好问题","甲","乙","丙","丁","C"]"#,
            r#"["1","坏答案","甲","乙","丙","丁","E"]"#,
            r#"["2","少一列","甲","乙","丙","C"]"#,
            r#"{"not": "a csv row"}"#,
        ],
    ));
    let options = testing::options(&[]);
    let (loaded, shared) = testing::load::<Cmmlu>(files, &options).unwrap();
    let labels: Vec<String> = loaded.iter().map(label).collect();
    assert!(labels.contains(&"arts/1".to_string()));
    assert!(labels.contains(&"!extra/data/test/arts.csv:2:Answer".to_string()));
    assert!(labels.contains(&"!extra/data/test/arts.csv:3:".to_string()));
    assert!(labels.contains(&"!extra/data/test/arts.csv:4:".to_string()));
    testing::prepare::<Cmmlu>(&shared, &options).unwrap();
    let good: Vec<_> = loaded
        .into_iter()
        .filter_map(|l| match l {
            Loaded::Sample(s) => Some(s),
            Loaded::Invalid(_) => None,
        })
        .collect();
    assert_eq!(good.len(), 72);
    let scored: Vec<_> = good
        .iter()
        .map(|s| testing::scored::<Cmmlu>(s, 0, &options, gold).unwrap())
        .collect();
    let report = testing::aggregate::<Cmmlu>(scored, &options).unwrap();
    assert_eq!(value(&report, "cmmlu_arts"), 1.0);
    assert_eq!(
        report
            .tasks
            .iter()
            .find(|t| t.name == "cmmlu_arts")
            .unwrap()
            .samples,
        2
    );
}

#[test]
fn declared_subtasks_are_the_67_subjects() {
    let info = <Cmmlu as scorebox_sdk::Benchmark>::info();
    assert_eq!(info.subtasks.len(), 67);
    assert_eq!(info.subtasks[0], subjects::SUBJECTS[0].name);
}
