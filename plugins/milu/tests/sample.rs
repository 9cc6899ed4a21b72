//! The bundled sample (invented rows in the official schema, all 11
//! languages), loaded and scored end to end through the SDK's in-process
//! host.

use milu::Milu;
use milu::load::Shared;
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::testing::{self, gold, label, samples};
use scorebox_sdk::{Answer, DataFile, FileFormat, Loaded, Query, Report};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

fn run(pairs: &[(&str, &str)], mut model: impl FnMut(&Query) -> Answer) -> (usize, Report) {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<Milu>(sample_files(), &options).unwrap();
    testing::prepare::<Milu>(&shared, &options).unwrap();
    let mut scored = Vec::new();
    for sample in samples(loaded) {
        let s = testing::scored::<Milu>(&sample, 7, &options, &mut model).unwrap();
        testing::assert_declared::<Milu>(&s);
        scored.push(s);
    }
    let n = scored.len();
    (n, testing::aggregate::<Milu>(scored, &options).unwrap())
}

#[test]
fn gold_scores_the_maximum() {
    for shots in ["0", "1"] {
        let (n, report) = run(&[("num_fewshot", shots)], gold);
        assert_eq!(n, 24);
        // milu, 8 domains, 11 languages.
        assert_eq!(report.tasks.len(), 1 + 8 + 11, "{:?}", report.tasks);
        for t in &report.tasks {
            assert_eq!(t.metrics[0].value, 1.0, "{} {shots}-shot", t.name);
        }
        assert_eq!(report.tasks[0].name, "milu");
        assert_eq!(report.tasks[0].samples, 24);
    }
}

#[test]
fn constant_and_random_models() {
    // Six of the 24 targets are option1.
    let first = |q: &Query| match q {
        Query::Choose(c) => {
            testing::scores((0..c.continuations.len()).map(|i| if i == 0 { 0.0 } else { -1.0 }))
        }
        _ => panic!("MILU only asks choose queries"),
    };
    let (n, report) = run(&[], first);
    assert!((report.tasks[0].metrics[0].value - 6.0 / n as f64).abs() < 1e-12);
    let mut rng = PyRandom::from_seed(3);
    let (_, report) = run(&[], |q| match q {
        Query::Choose(c) => {
            testing::scores((0..c.continuations.len()).map(|_| -rng.random() * 10.0))
        }
        _ => panic!(),
    });
    let acc = report.tasks[0].metrics[0].value;
    assert!((acc - 0.25).abs() < 0.2, "{acc}");
}

#[test]
fn few_shot_pools_are_shared_per_language() {
    let one = testing::options(&[("num_fewshot", "1")]);
    let (loaded, shared) = testing::load::<Milu>(sample_files(), &one).unwrap();
    let pools: Shared = serde_json::from_str(&shared).unwrap();
    assert_eq!(pools.validation.len(), 11);
    let (_, none) = testing::load::<Milu>(sample_files(), &testing::options(&[])).unwrap();
    assert_eq!(none, "");
    let two = testing::options(&[("num_fewshot", "2")]);
    let (_, shared2) = testing::load::<Milu>(sample_files(), &two).unwrap();
    testing::prepare::<Milu>(&shared2, &two).unwrap();
    let e = testing::score::<Milu>(&samples(loaded)[0], 0, &two, gold).unwrap_err();
    assert!(
        e.message.contains("only 1 validation example"),
        "{}",
        e.message
    );
}

#[test]
fn malformed_rows_are_reported_and_the_others_scored() {
    let mut files = sample_files();
    files.push(testing::data_file(
        "extra/Odia/test-00000-of-00001.parquet",
        FileFormat::Parquet,
        &[
            r#"{"question":"Q","option1":"a","option2":"b","option3":"c","option4":"d","target":"option3","domain":"Social Sciences"}"#,
            r#"{"question":"Q","option1":"a","option2":"b","option3":"c","option4":"d","target":"Option3"}"#,
            r#"{"question":null,"option1":"a","option2":"b","option3":"c","option4":"d","target":"option1"}"#,
            r#"{"question":"Q","option1":"a","option2":"b","option3":"c","target":"option1"}"#,
        ],
    ));
    let options = testing::options(&[]);
    let (loaded, shared) = testing::load::<Milu>(files, &options).unwrap();
    let labels: Vec<String> = loaded.iter().map(label).collect();
    for want in [
        "Odia/2",
        "!extra/Odia/test-00000-of-00001.parquet:1:target",
        "!extra/Odia/test-00000-of-00001.parquet:2:question",
        "!extra/Odia/test-00000-of-00001.parquet:3:option4",
    ] {
        assert!(
            labels.contains(&want.to_string()),
            "{want} not in {labels:?}"
        );
    }
    testing::prepare::<Milu>(&shared, &options).unwrap();
    let scored: Vec<_> = loaded
        .into_iter()
        .filter_map(|l| match l {
            Loaded::Sample(s) => Some(testing::scored::<Milu>(&s, 0, &options, gold).unwrap()),
            Loaded::Invalid(_) => None,
        })
        .collect();
    assert_eq!(scored.len(), 25);
    let report = testing::aggregate::<Milu>(scored, &options).unwrap();
    assert!(report.tasks.iter().all(|t| t.metrics[0].value == 1.0));
}

#[test]
fn one_shot_prompts_use_their_own_language_example() {
    let one = testing::options(&[("num_fewshot", "1")]);
    let (loaded, shared) = testing::load::<Milu>(sample_files(), &one).unwrap();
    let pools: Shared = serde_json::from_str(&shared).unwrap();
    testing::prepare::<Milu>(&shared, &one).unwrap();
    let loaded = samples(loaded);
    // The Tamil files are CSV with a header; the others jsonl.
    assert_eq!(loaded.iter().filter(|s| s.subtask == "Tamil").count(), 2);
    for s in &loaded {
        let example = &pools.examples(&s.subtask)[0];
        let shot = format!(
            "{} {}\n\n",
            milu::episode::question_text(example),
            example.options[example.target as usize]
        );
        let mut seen = None;
        testing::score::<Milu>(s, 0, &one, |q| {
            let Query::Choose(c) = q else {
                panic!("MILU only asks choose queries")
            };
            seen = Some(c.context.clone());
            gold(q)
        })
        .unwrap();
        let context = seen.unwrap();
        assert!(context.starts_with(&shot), "{}: {context}", s.id);
        assert!(context.ends_with("\nAnswer:"), "{}", s.id);
        assert_eq!(context.matches("Question: ").count(), 2, "{}", s.id);
    }
}
