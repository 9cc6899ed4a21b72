//! The bundled sample, loaded and scored end to end with a gold model (which
//! answers a query with its `reference`) and with an always-`A` model.

use mmlu::episode::MmluEpisode;
use mmlu::load::Shared;
use mmlu::{Mmlu, OPTIONS};
use scorebox_sdk::testing::{self, gold, samples};
use scorebox_sdk::{Answer, ContinuationScore, DataFile, Loaded, Options, Query};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

/// Runs every sample with `model` answering each query, through the SDK's
/// in-process host (shared data encoded by `load`, decoded once by
/// `prepare`); returns the report's `(name, value)` pairs.
fn run(pairs: &[(&str, &str)], model: fn(&Query) -> Answer) -> (usize, Vec<(String, f64)>) {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<Mmlu>(sample_files(), &options).unwrap();
    testing::prepare::<Mmlu>(&shared, &options).unwrap();
    let mut scored = Vec::new();
    for l in loaded {
        let Loaded::Sample(sample) = l else {
            panic!("the bundled sample has no malformed row: {l:?}")
        };
        scored.push(testing::scored::<Mmlu>(&sample, 7, &options, model).unwrap());
    }
    let n = scored.len();
    let report = testing::aggregate::<Mmlu>(scored, &options).unwrap();
    assert!(report.revised.is_empty());
    let values = report
        .tasks
        .into_iter()
        .map(|t| (t.name, t.metrics[0].value))
        .collect();
    (n, values)
}

fn always_a(q: &Query) -> Answer {
    match q {
        Query::Generate(_) | Query::Judge(_) => Answer::Text("A".into()),
        Query::Choose(c) => Answer::Scores(
            (0..c.continuations.len())
                .map(|i| ContinuationScore {
                    logprob: if i == 0 { -0.1 } else { -5.0 },
                    is_greedy: i == 0,
                })
                .collect(),
        ),
    }
}

#[test]
fn gold_scores_the_maximum_on_the_bundled_sample() {
    for pairs in [
        vec![],
        vec![("num_fewshot", "5")],
        vec![("variant", "generative")],
        vec![("variant", "generative"), ("num_fewshot", "5")],
    ] {
        let (n, values) = run(&pairs, gold);
        assert_eq!(n, 32, "{pairs:?}");
        assert!(values.len() >= 1 + 4 + 6, "{values:?}");
        for (name, v) in values {
            assert_eq!(v, 1.0, "{pairs:?} {name}");
        }
    }
}

#[test]
fn a_constant_model_scores_the_share_of_a_answers() {
    let (n, values) = run(&[], always_a);
    let overall = values.iter().find(|(k, _)| k == "mmlu").unwrap().1;
    // 9 of the 32 bundled test questions have answer A (the group value is
    // lm-eval's size-weighted sum, equal to 9/32 up to the last bit).
    assert!((overall - 9.0 / n as f64).abs() < 1e-12, "{overall}");
    let (_, values) = run(&[("variant", "generative")], always_a);
    assert_eq!(values[0].0, "mmlu_generative");
    assert!((values[0].1 - 9.0 / n as f64).abs() < 1e-12);
}

#[test]
fn few_shot_pools_travel_once_as_shared_data() {
    let five = testing::options(&[("num_fewshot", "5")]);
    let (loaded, shared) = testing::load::<Mmlu>(sample_files(), &five).unwrap();
    let samples = samples(loaded);
    // Sample data: the sample's own fields only.
    for s in &samples {
        let data: serde_json::Value = serde_json::from_str(&s.data).unwrap();
        assert!(data.get("fewshot").is_none(), "{}", s.data);
        assert_eq!(data.as_object().unwrap().len(), 4, "{}", s.data);
    }
    // Shared: the six subjects' first five dev questions, as JSON.
    let pools: Shared = serde_json::from_str(&shared).unwrap();
    assert_eq!(pools.dev.len(), 6);
    assert!(pools.dev.values().all(|p| p.len() == 5));
    // The prompt the host sees uses them: five examples, then the question.
    let options = Options::from_pairs(OPTIONS, &[("num_fewshot", "5")]).unwrap();
    testing::prepare::<Mmlu>(&shared, &five).unwrap();
    for s in &samples {
        let mut asked = String::new();
        testing::score::<Mmlu>(s, 7, &five, |q| {
            let Query::Choose(c) = q else { panic!() };
            asked = c.context.clone();
            gold(q)
        })
        .unwrap();
        let direct = MmluEpisode::new(s, &pools, &options).unwrap();
        assert_eq!(asked, direct.prompt());
        assert_eq!(asked.matches("\nAnswer:").count(), 6, "{asked}");
    }
    // Zero shots: nothing is shared.
    let (_, shared) = testing::load::<Mmlu>(sample_files(), &testing::options(&[])).unwrap();
    assert_eq!(shared, "");
    // Scoring 5-shot without the pools fails each sample with the reason.
    testing::prepare::<Mmlu>("", &five).unwrap();
    let e = testing::score::<Mmlu>(&samples[0], 7, &five, gold).unwrap_err();
    assert!(e.message.contains("only 0 dev example"), "{}", e.message);
    // Text that is not MMLU's shared data fails `prepare`.
    assert!(testing::prepare::<Mmlu>(r#"{"dev":{"anatomy":[1]}}"#, &five).is_err());
}
