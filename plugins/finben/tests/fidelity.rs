//! The fidelity corpus (`fidelity/cases.json`, invented responses) against
//! `fidelity/golden.json`, made by `fidelity/make_golden.py` from PIXIU's
//! rules with the metric packages PIXIU calls (scikit-learn, seqeval,
//! rouge-score, numpy) and FinMem's trading formulas. Every sample runs
//! through the plugin's episodes and aggregation in reference mode.

use std::collections::BTreeMap;

use finben::FinBen;
use finben::load::{Item, Turn};
use finben::trading::Day;
use scorebox_sdk::testing::{self, json_f64, read_json};
use scorebox_sdk::{Answer, Query, Report, Sample, ScoredSample};
use serde_json::Value;

fn dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/fidelity").to_string()
}

fn cases() -> Value {
    read_json(format!("{}/cases.json", dir()))
}

fn golden() -> Value {
    read_json(format!("{}/golden.json", dir()))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn sample(id: &str, task: &str, item: &Item) -> Sample {
    Sample {
        id: id.to_string(),
        subtask: task.to_string(),
        data: serde_json::to_string(item).unwrap(),
        target: String::new(),
    }
}

/// Scores samples whose model answers with `responses[id]` in order (one
/// per query), in reference mode; returns the scores and the report.
fn run(samples: &[(Sample, Vec<String>)]) -> (BTreeMap<String, ScoredSample>, Report) {
    let options = testing::options(&[]);
    testing::prepare::<FinBen>("", &options).unwrap();
    let mut scored = Vec::new();
    for (s, responses) in samples {
        let mut k = 0;
        let score = testing::scored::<FinBen>(s, 1, &options, |q| {
            assert!(matches!(q, Query::Generate(_)));
            k += 1;
            Answer::Text(responses[k - 1].clone())
        })
        .unwrap();
        assert_eq!(k, responses.len(), "{}", s.id);
        scored.push(score);
    }
    let by_id = scored.iter().map(|s| (s.id.clone(), s.clone())).collect();
    (
        by_id,
        testing::aggregate::<FinBen>(scored, &options).unwrap(),
    )
}

fn details(s: &ScoredSample) -> Value {
    serde_json::from_str(&s.score.details).unwrap()
}

fn metric(s: &ScoredSample, name: &str) -> Option<f64> {
    s.score
        .metrics
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.value)
}

fn task_metric(r: &Report, task: &str, name: &str) -> Option<f64> {
    let t = r.tasks.iter().find(|t| t.name == task)?;
    t.metrics.iter().find(|m| m.name == name).map(|m| {
        assert_eq!(m.filter, "reference");
        m.value
    })
}

/// `tol` is 0 everywhere today: the native build agrees bit for bit.
fn close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, golden {want}"
    );
}

#[test]
fn classification_and_stock_movement() {
    let cases = cases();
    let golden = golden();
    for family in ["classification", "stock_movement"] {
        let mut samples = Vec::new();
        for c in cases[family].as_array().unwrap() {
            let (query, choices, gold) = (
                String::new(),
                strings(&c["choices"]),
                c["gold"].as_u64().unwrap() as usize,
            );
            let item = if family == "classification" {
                Item::Classification {
                    query,
                    choices,
                    gold,
                }
            } else {
                Item::StockMovement {
                    query,
                    choices,
                    gold,
                }
            };
            samples.push((
                sample(
                    c["id"].as_str().unwrap(),
                    c["task"].as_str().unwrap(),
                    &item,
                ),
                vec![c["response"].as_str().unwrap().to_string()],
            ));
        }
        let (scored, report) = run(&samples);
        for (id, g) in golden[family]["cases"].as_object().unwrap() {
            let s = &scored[id];
            assert_eq!(s.score.extracted.as_deref(), g["pred"].as_str(), "{id}");
            assert_eq!(metric(s, "acc"), g["acc"].as_f64(), "{id}");
            assert_eq!(metric(s, "missing"), g["missing"].as_f64(), "{id}");
        }
        for (task, g) in golden[family]["tasks"].as_object().unwrap() {
            for (name, tol) in [
                ("acc", 0.0),
                ("missing", 0.0),
                ("f1", 0.0),
                ("macro_f1", 0.0),
                ("mcc", 0.0),
            ] {
                close(
                    &format!("{task} {name}"),
                    task_metric(&report, task, name).unwrap(),
                    json_f64(&g[name]),
                    tol,
                );
            }
        }
    }
}

#[test]
fn ner_and_sequential_labeling() {
    let cases = cases();
    let golden = golden();
    let samples: Vec<_> = cases["ner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let item = Item::Ner {
                query: String::new(),
                text: c["text"].as_str().unwrap().to_string(),
                label: strings(&c["label"]),
                answer: String::new(),
            };
            (
                sample(c["id"].as_str().unwrap(), "flare_ner", &item),
                vec![c["response"].as_str().unwrap().to_string()],
            )
        })
        .collect();
    let (scored, report) = run(&samples);
    for (id, g) in golden["ner"]["cases"].as_object().unwrap() {
        assert_eq!(details(&scored[id])["pred"], g["tags"], "{id}");
    }
    assert_eq!(
        task_metric(&report, "flare_ner", "entity_f1"),
        golden["ner"]["entity_f1"].as_f64()
    );

    let samples: Vec<_> = cases["sequential_labeling"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let item = Item::SequentialLabeling {
                query: String::new(),
                token: strings(&c["token"]),
                label: strings(&c["label"]),
            };
            (
                sample(
                    c["id"].as_str().unwrap(),
                    c["task"].as_str().unwrap(),
                    &item,
                ),
                vec![c["response"].as_str().unwrap().to_string()],
            )
        })
        .collect();
    let (scored, report) = run(&samples);
    for (id, g) in golden["sequential_labeling"]["cases"].as_object().unwrap() {
        let s = &scored[id];
        let task = &s.subtask;
        let map = match finben::tasks::by_task(task).unwrap().rules {
            finben::tasks::Rules::Labels(m) => m,
            _ => panic!(),
        };
        let lines: Vec<Option<String>> =
            serde_json::from_value(details(s)["lines"].clone()).unwrap();
        assert_eq!(
            serde_json::to_value(finben::seqlabel::entity_tags(&lines, map)).unwrap(),
            g["tags"],
            "{id}"
        );
        assert_eq!(
            serde_json::to_value(finben::seqlabel::label_ids(&lines, map)).unwrap(),
            g["ids"],
            "{id}"
        );
    }
    for (task, g) in golden["sequential_labeling"]["tasks"].as_object().unwrap() {
        assert_eq!(
            task_metric(&report, task, "entity_f1"),
            g["entity_f1"].as_f64(),
            "{task}"
        );
        close(
            &format!("{task} f1"),
            task_metric(&report, task, "f1").unwrap(),
            json_f64(&g["f1"]),
            0.0,
        );
    }
}

#[test]
fn relation_extraction_qa_and_tsa() {
    let cases = cases();
    let golden = golden();
    let samples: Vec<_> = cases["relation_extraction"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let item = Item::RelationExtraction {
                query: String::new(),
                label: strings(&c["label"]),
            };
            (
                sample(c["id"].as_str().unwrap(), "flare_finred", &item),
                vec![c["response"].as_str().unwrap().to_string()],
            )
        })
        .collect();
    let (_, report) = run(&samples);
    for name in ["precision", "recall", "f1"] {
        assert_eq!(
            task_metric(&report, "flare_finred", name),
            golden["relation_extraction"][name].as_f64(),
            "{name}"
        );
    }

    let samples: Vec<_> = cases["qa"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let item = Item::Qa {
                query: String::new(),
                answer: c["answer"].as_str().unwrap().to_string(),
            };
            (
                sample(c["id"].as_str().unwrap(), "flare_finqa", &item),
                vec![c["response"].as_str().unwrap().to_string()],
            )
        })
        .collect();
    let (scored, _) = run(&samples);
    for (id, g) in golden["qa"]["cases"].as_object().unwrap() {
        assert_eq!(metric(&scored[id], "acc"), g["acc"].as_f64(), "{id}");
    }

    let samples: Vec<_> = cases["tsa"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let item = Item::Tsa {
                query: String::new(),
                answer: c["answer"].as_f64().unwrap(),
                answer_text: String::new(),
            };
            (
                sample(c["id"].as_str().unwrap(), "flare_tsa", &item),
                vec![c["response"].as_str().unwrap().to_string()],
            )
        })
        .collect();
    let (scored, report) = run(&samples);
    for (id, g) in golden["tsa"]["cases"].as_object().unwrap() {
        assert_eq!(
            details(&scored[id])["pred"].as_f64(),
            g["pred"].as_f64(),
            "{id}"
        );
        assert_eq!(
            metric(&scored[id], "missing"),
            g["missing"].as_f64(),
            "{id}"
        );
    }
    close(
        "rmse",
        task_metric(&report, "flare_tsa", "rmse").unwrap(),
        json_f64(&golden["tsa"]["rmse"]),
        0.0,
    );
    assert_eq!(
        task_metric(&report, "flare_tsa", "missing"),
        golden["tsa"]["missing"].as_f64()
    );
}

#[test]
fn convfinqa_prompts_and_turns() {
    let cases = cases();
    let golden = golden();
    let options = testing::options(&[]);
    testing::prepare::<FinBen>("", &options).unwrap();
    for c in cases["convfinqa"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let turns: Vec<&Value> = c["turns"].as_array().unwrap().iter().collect();
        let item = Item::Convfinqa {
            dialogue_id: id.to_string(),
            turns: turns
                .iter()
                .enumerate()
                .map(|(i, t)| Turn {
                    id: format!("{id}-{i}"),
                    query: t["query"].as_str().unwrap().to_string(),
                    answer: t["answer"].as_str().unwrap().to_string(),
                })
                .collect(),
        };
        let mut prompts = Vec::new();
        let score =
            testing::score::<FinBen>(&sample(id, "flare_convfinqa", &item), 1, &options, |q| {
                let Query::Generate(g) = q else { panic!() };
                prompts.push(g.messages[0].content.clone());
                Answer::Text(
                    turns[prompts.len() - 1]["response"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .unwrap();
        let want = golden["convfinqa"]["cases"][id].as_array().unwrap();
        assert_eq!(prompts.len(), want.len());
        let d: Value = serde_json::from_str(&score.details).unwrap();
        for (i, w) in want.iter().enumerate() {
            assert_eq!(prompts[i], w["prompt"].as_str().unwrap(), "{id} turn {i}");
            assert_eq!(
                d["turns"][i]["acc"].as_f64(),
                w["acc"].as_f64(),
                "{id} turn {i}"
            );
        }
    }
}

#[test]
fn summarisation() {
    let cases = cases();
    let golden = golden();
    let samples: Vec<_> = cases["abstractive_summarization"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let item = Item::AbstractiveSummarization {
                query: String::new(),
                answer: c["answer"].as_str().unwrap().to_string(),
            };
            (
                sample(c["id"].as_str().unwrap(), "flare_edtsum", &item),
                vec![c["response"].as_str().unwrap().to_string()],
            )
        })
        .collect();
    let (scored, report) = run(&samples);
    for (id, g) in golden["abstractive_summarization"]["cases"]
        .as_object()
        .unwrap()
    {
        for name in ["rouge1", "rouge2", "rougeL"] {
            assert_eq!(metric(&scored[id], name), g[name].as_f64(), "{id} {name}");
        }
    }
    for name in ["rouge1", "rouge2", "rougeL"] {
        close(
            name,
            task_metric(&report, "flare_edtsum", name).unwrap(),
            json_f64(&golden["abstractive_summarization"]["means"][name]),
            0.0,
        );
    }
    let samples: Vec<_> = cases["extractive_summarization"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let item = Item::ExtractiveSummarization {
                query: String::new(),
                text: c["text"].as_str().unwrap().to_string(),
                label: c["label"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_i64().unwrap())
                    .collect(),
            };
            (
                sample(c["id"].as_str().unwrap(), "flare_ectsum", &item),
                vec![c["response"].as_str().unwrap().to_string()],
            )
        })
        .collect();
    let (scored, _) = run(&samples);
    for (id, g) in golden["extractive_summarization"]["cases"]
        .as_object()
        .unwrap()
    {
        assert_eq!(details(&scored[id])["summary"], g["summary"], "{id}");
        for name in ["rouge1", "rouge2", "rougeL"] {
            assert_eq!(metric(&scored[id], name), g[name].as_f64(), "{id} {name}");
        }
    }
}

#[test]
fn trading_metrics() {
    let cases = cases();
    let golden = golden();
    let samples: Vec<_> = cases["trading"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let prices: Vec<f64> = c["prices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_f64().unwrap())
                .collect();
            let days = prices
                .iter()
                .enumerate()
                .map(|(i, p)| Day {
                    id: format!("d{i}"),
                    date: format!("2021-01-{:02}", i + 1),
                    price: *p,
                    news: Vec::new(),
                    filing_k: None,
                    filing_q: None,
                })
                .collect();
            let responses = c["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    let d = match a.as_i64().unwrap() {
                        1 => "buy",
                        -1 => "sell",
                        _ => "hold",
                    };
                    format!("{{\"investment_decision\": \"{d}\", \"summary_reason\": \"\"}}")
                })
                .collect();
            let item = Item::Trading {
                ticker: "TEST".into(),
                days,
            };
            (
                sample(c["id"].as_str().unwrap(), "fintrade", &item),
                responses,
            )
        })
        .collect();
    let (scored, _) = run(&samples);
    for (id, g) in golden["trading"]["cases"].as_object().unwrap() {
        for name in [
            "cumulative_return",
            "sharpe_ratio",
            "daily_volatility",
            "annualized_volatility",
            "max_drawdown",
        ] {
            let got = metric(&scored[id], name);
            match &g[name] {
                // The reference raises (ValueError) or returns nan: not reported.
                Value::Null => assert_eq!(got, None, "{id} {name}"),
                v if v.as_str() == Some("nan") => assert_eq!(got, None, "{id} {name}"),
                v => close(&format!("{id} {name}"), got.unwrap(), json_f64(v), 0.0),
            }
        }
        assert_eq!(metric(&scored[id], "invalid_decisions"), Some(0.0));
    }
}
