//! The bundled sample, loaded and scored end to end through the SDK's
//! in-process host: the gold model (which answers each query with its
//! `reference`) under every option combination, and a random-words model.

use std::collections::BTreeMap;

use finben::FinBen;
use scorebox_sdk::testing::{self, gold};
use scorebox_sdk::{Answer, DataFile, Loaded, Query, Report};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

fn run(pairs: &[(&str, &str)], mut model: impl FnMut(&Query) -> Answer) -> (Vec<String>, Report) {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<FinBen>(sample_files(), &options).unwrap();
    testing::prepare::<FinBen>(&shared, &options).unwrap();
    let mut ids = Vec::new();
    let mut scored = Vec::new();
    for l in loaded {
        let Loaded::Sample(sample) = l else {
            panic!("the bundled sample has no malformed row: {l:?}")
        };
        ids.push(sample.id.clone());
        let s = testing::scored::<FinBen>(&sample, 7, &options, &mut model).unwrap();
        testing::assert_declared::<FinBen>(&s);
        scored.push(s);
    }
    (ids, testing::aggregate::<FinBen>(scored, &options).unwrap())
}

/// `task -> metric -> (filter, value)`.
fn values(report: &Report) -> BTreeMap<String, BTreeMap<String, (String, f64)>> {
    report
        .tasks
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                t.metrics
                    .iter()
                    .map(|m| (m.name.clone(), (m.filter.clone(), m.value)))
                    .collect(),
            )
        })
        .collect()
}

const TASKS: [&str; 14] = [
    "fintrade",
    "flare_cfa",
    "flare_convfinqa",
    "flare_ectsum",
    "flare_edtsum",
    "flare_finer_ord",
    "flare_finqa",
    "flare_finred",
    "flare_fpb",
    "flare_german",
    "flare_ner",
    "flare_sm_acl",
    "flare_tatqa",
    "flare_tsa",
];

fn best_trading_return() -> f64 {
    let p: [f64; 8] = [41.20, 41.95, 41.60, 42.80, 42.80, 41.10, 41.75, 43.05];
    p.windows(2)
        .fold(0.0, |acc, w| acc + (w[1] / w[0]).ln().abs())
}

#[test]
fn sample_ids_are_the_dataset_ids() {
    let (ids, report) = run(&[], gold);
    assert_eq!(ids.len(), 43);
    assert!(ids.contains(&"fpb0".to_string()));
    // A dialogue is one sample, named by its first turn; a trading window by its first day.
    assert!(ids.contains(&"convfinqa0".to_string()) && ids.contains(&"convfinqa3".to_string()));
    assert!(!ids.contains(&"convfinqa1".to_string()));
    assert!(ids.contains(&"nwrb_test0".to_string()));
    let names: Vec<&str> = report.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, TASKS);
}

#[test]
fn gold_scores_the_maximum_under_every_option() {
    for mode in ["reference", "corrected"] {
        for prompt in ["none", "finma"] {
            let (_, report) = run(&[("mode", mode), ("model_prompt", prompt)], gold);
            let v = values(&report);
            for (task, metrics) in &v {
                for (name, (filter, value)) in metrics {
                    assert_eq!(filter, mode, "{task} {name}");
                    let want = match (task.as_str(), name.as_str()) {
                        (_, "missing" | "max_drawdown" | "invalid_decisions") => 0.0,
                        // ECTSUM's reference reads the labels as strings: every summary is empty.
                        ("flare_ectsum", _) if mode == "reference" => 0.0,
                        // The reference reads no minus sign: -0.57 and -0.81 read as 0.57, 0.81.
                        ("flare_tsa", "rmse") if mode == "reference" => {
                            ((4.0 * 0.57f64 * 0.57 + 4.0 * 0.81 * 0.81) / 4.0).sqrt()
                        }
                        ("flare_tsa", "rmse") => 0.0,
                        ("fintrade", "cumulative_return") => best_trading_return(),
                        (
                            "fintrade",
                            "sharpe_ratio" | "daily_volatility" | "annualized_volatility",
                        ) => *value,
                        _ => 1.0,
                    };
                    assert!(
                        (value - want).abs() < 1e-12,
                        "{mode} {prompt} {task} {name}: {value} != {want}"
                    );
                }
            }
            assert_eq!(v["flare_fpb"].len(), 5, "acc f1 macro_f1 mcc missing");
            assert_eq!(v["flare_finer_ord"].len(), 2, "entity_f1 f1");
            assert_eq!(v["fintrade"].len(), 6);
        }
    }
}

fn random_words(seed: u64) -> impl FnMut(&Query) -> Answer {
    let mut rng = scorebox_sdk::pyrandom::PyRandom::from_seed(seed);
    let words = [
        "alpha", "market", "river", "quiet", "number", "blue", "seven", "table",
    ];
    move |_| {
        let n = 1 + rng.randbelow(6) as usize;
        let text: Vec<&str> = (0..n)
            .map(|_| words[rng.randbelow(words.len() as u64) as usize])
            .collect();
        Answer::Text(text.join(" "))
    }
}

#[test]
fn random_words_score_low_and_never_fail() {
    for mode in ["reference", "corrected"] {
        let (_, report) = run(&[("mode", mode)], random_words(3));
        let v = values(&report);
        assert_eq!(v["flare_fpb"]["acc"].1, 0.0);
        assert_eq!(v["flare_fpb"]["missing"].1, 1.0);
        // Stock movement falls back to its default label, so some answers are right.
        assert!(v["flare_sm_acl"]["acc"].1 > 0.0);
        assert_eq!(v["flare_ner"]["entity_f1"].1, 0.0);
        assert_eq!(v["flare_convfinqa"]["acc"].1, 0.0);
        assert_eq!(v["flare_tsa"]["missing"].1, 1.0);
        assert!(!v["flare_tsa"].contains_key("rmse"));
        assert!(v["flare_edtsum"]["rouge1"].1 < 0.2);
        assert_eq!(v["fintrade"]["cumulative_return"].1, 0.0);
        assert_eq!(v["fintrade"]["invalid_decisions"].1, 1.0);
        assert!(!v["fintrade"].contains_key("sharpe_ratio"));
    }
}

#[test]
fn convfinqa_turns_quote_the_models_earlier_answers() {
    let options = testing::options(&[]);
    let (loaded, shared) = testing::load::<FinBen>(sample_files(), &options).unwrap();
    testing::prepare::<FinBen>(&shared, &options).unwrap();
    let dialogue = loaded
        .iter()
        .find_map(|l| match l {
            Loaded::Sample(s) if s.id == "convfinqa0" => Some(s.clone()),
            _ => None,
        })
        .unwrap();
    let mut prompts = Vec::new();
    let mut turn = 0;
    let score = testing::score::<FinBen>(&dialogue, 1, &options, |q| {
        let Query::Generate(g) = q else { panic!() };
        prompts.push(g.messages[0].content.clone());
        turn += 1;
        Answer::Text(format!(" model-{turn} "))
    })
    .unwrap();
    assert_eq!(prompts.len(), 3);
    assert!(
        prompts[1].contains("q0: what was the operating income in 2017?  model-1 \n"),
        "{}",
        prompts[1]
    );
    assert!(prompts[2].contains(" model-2 \nq2:"), "{}", prompts[2]);
    assert_eq!(score.metrics[0].value, 0.0);
    assert_eq!(score.extracted.as_deref(), Some("model-3"));
}

#[test]
fn trading_asks_one_decision_per_day() {
    let options = testing::options(&[("tasks", "fintrade")]);
    let (loaded, shared) = testing::load::<FinBen>(sample_files(), &options).unwrap();
    assert_eq!(loaded.len(), 1);
    testing::prepare::<FinBen>(&shared, &options).unwrap();
    let Loaded::Sample(window) = &loaded[0] else {
        panic!()
    };
    let mut asked = 0;
    // Always long: the buy-and-hold return.
    let score = testing::score::<FinBen>(window, 1, &options, |q| {
        let Query::Generate(g) = q else { panic!() };
        asked += 1;
        assert!(g.messages[0].content.contains("NWRB"));
        Answer::Text("{\"investment_decision\": \"buy\", \"summary_reason\": \"x\"}".into())
    })
    .unwrap();
    assert_eq!(asked, 7);
    let cr = score
        .metrics
        .iter()
        .find(|m| m.name == "cumulative_return")
        .unwrap()
        .value;
    assert!((cr - (43.05f64 / 41.20).ln()).abs() < 1e-12);
}
