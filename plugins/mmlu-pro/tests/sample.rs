//! The bundled sample, loaded and scored end to end with a gold model (which
//! answers a query with its `reference`) under every option combination,
//! and with a model that never names a letter (the fallback paths).

use mmlu_pro::episode::MmluProEpisode;
use mmlu_pro::load::Shared;
use mmlu_pro::{Config, MmluPro, OPTIONS};
use scorebox_sdk::testing::{self, gold, samples};
use scorebox_sdk::{Answer, DataFile, Loaded, Options, Query, Report};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

/// Loads the bundled sample and scores every sample with `model` through
/// the SDK's in-process host (shared data encoded by `load`, decoded once by
/// `prepare`); returns the sample count and the report.
fn run_report(pairs: &[(&str, &str)], model: fn(&Query) -> Answer) -> (usize, Report) {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<MmluPro>(sample_files(), &options).unwrap();
    testing::prepare::<MmluPro>(&shared, &options).unwrap();
    let mut scored = Vec::new();
    for (i, l) in loaded.into_iter().enumerate() {
        let Loaded::Sample(sample) = l else {
            panic!("the bundled sample has no malformed row: {l:?}")
        };
        scored.push(testing::scored::<MmluPro>(&sample, 1000 + i as u64, &options, model).unwrap());
    }
    let n = scored.len();
    (n, testing::aggregate::<MmluPro>(scored, &options).unwrap())
}

fn run(pairs: &[(&str, &str)], model: fn(&Query) -> Answer) -> (usize, Vec<(String, String, f64)>) {
    let (n, report) = run_report(pairs, model);
    let values = report
        .tasks
        .into_iter()
        .map(|t| (t.name, t.metrics[0].filter.clone(), t.metrics[0].value))
        .collect();
    (n, values)
}

fn no_letter(_: &Query) -> Answer {
    Answer::Text("i am not sure, sorry.".into())
}

#[test]
fn gold_scores_the_maximum_under_every_option() {
    for (pairs, filter) in [
        (vec![], "official-seeded"),
        (vec![("fallback", "reference-stream")], "official-stream"),
        (vec![("fallback", "none")], "official-none"),
        (vec![("extraction", "lm-eval")], "custom-extract"),
        (vec![("num_fewshot", "0")], "official-seeded"),
        (vec![("variant", "loglikelihood")], "none"),
        (
            vec![("variant", "loglikelihood"), ("num_fewshot", "0")],
            "none",
        ),
    ] {
        let (n, values) = run(&pairs, gold);
        assert_eq!(n, 30, "{pairs:?}");
        assert_eq!(values.len(), 1 + 5, "{values:?}");
        assert_eq!(values[0].0, "mmlu_pro");
        for (name, f, v) in values {
            assert_eq!((f.as_str(), v), (filter, 1.0), "{pairs:?} {name}");
        }
    }
}

#[test]
fn fallback_modes_differ_only_on_misses() {
    let (_, none) = run(&[("fallback", "none")], no_letter);
    assert!(none.iter().all(|(_, _, v)| *v == 0.0), "{none:?}");
    let (_, lm) = run(&[("extraction", "lm-eval")], no_letter);
    assert!(lm.iter().all(|(_, _, v)| *v == 0.0));
    // Random draws: some hits, never all, and the same on a rerun.
    let (_, seeded) = run(&[], no_letter);
    let (_, again) = run(&[], no_letter);
    assert_eq!(seeded, again);
    let (_, stream) = run(&[("fallback", "reference-stream")], no_letter);
    for values in [&seeded, &stream] {
        assert!(values[0].2 > 0.0 && values[0].2 < 1.0, "{values:?}");
    }
}

#[test]
fn few_shot_examples_travel_once_as_shared_data() {
    for (pairs, examples) in [
        (vec![], 5),
        (vec![("num_fewshot", "2")], 2),
        (vec![("variant", "loglikelihood")], 5),
    ] {
        let host = testing::options(&pairs);
        let (loaded, shared) = testing::load::<MmluPro>(sample_files(), &host).unwrap();
        let samples = samples(loaded);
        for s in &samples {
            let data: serde_json::Value = serde_json::from_str(&s.data).unwrap();
            assert!(data.get("fewshot").is_none(), "{}", s.data);
        }
        let decoded: Shared = serde_json::from_str(&shared).unwrap();
        // The prompt the host sees is the one built from the decoded examples.
        let options = Options::from_pairs(OPTIONS, &pairs).unwrap();
        let config = Config::from_options(&options).unwrap();
        testing::prepare::<MmluPro>(&shared, &host).unwrap();
        for s in &samples {
            let mut asked = String::new();
            testing::score::<MmluPro>(s, 1, &host, |q| {
                asked = match q {
                    Query::Generate(g) => g.messages[0].content.clone(),
                    Query::Choose(c) => c.context.clone(),
                    Query::Judge(_) => panic!(),
                };
                gold(q)
            })
            .unwrap();
            let direct = MmluProEpisode::new(s, 1, &decoded, &config).unwrap();
            assert_eq!(asked, direct.prompt());
            // Each example and the question end with `Answer:` (+ CoT or letter).
            assert_eq!(
                asked.matches("Answer:").count(),
                examples + 1,
                "{pairs:?}: {asked}"
            );
        }
    }
    // Zero-shot generative runs share nothing; a log-likelihood load scored
    // as generative (or the reverse) fails each sample with the reason.
    let zero = testing::options(&[("num_fewshot", "0")]);
    let (loaded, shared) = testing::load::<MmluPro>(sample_files(), &zero).unwrap();
    assert_eq!(shared, "");
    let first = samples(loaded).remove(0);
    let ll = testing::options(&[("variant", "loglikelihood")]);
    let (_, ll_shared) = testing::load::<MmluPro>(sample_files(), &ll).unwrap();
    testing::prepare::<MmluPro>(&ll_shared, &zero).unwrap();
    let e = testing::score::<MmluPro>(&first, 1, &zero, gold).unwrap_err();
    assert!(e.message.contains("other variant"), "{}", e.message);
}

#[test]
fn reference_stream_revises_the_misses_in_the_samples_file() {
    let pairs = [("fallback", "reference-stream")];
    let (n, report) = run_report(&pairs, no_letter);
    // Every sample is a miss, so every one is revised, in sample order.
    assert_eq!(report.revised.len(), n);
    let hits: f64 = report
        .revised
        .iter()
        .map(|s| s.score.metrics[0].value)
        .sum();
    assert_eq!(report.tasks[0].metrics[0].value, hits / n as f64);
    for s in &report.revised {
        let details: serde_json::Value = serde_json::from_str(&s.score.details).unwrap();
        assert!(details["fallback"]["draw"].is_u64(), "{details}");
    }
    // The gold model names a letter everywhere: nothing to revise.
    assert!(run_report(&pairs, gold).1.revised.is_empty());
    assert!(run_report(&[], no_letter).1.revised.is_empty());
}
