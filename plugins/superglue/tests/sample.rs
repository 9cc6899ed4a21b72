//! The bundled sample, the `gold` model's maximum under every option
//! combination, random answers near chance, malformed rows, task selection
//! and the original SuperGLUE layout.

use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::testing::{self, data_file, files_from_dir, gold, label, samples};
use scorebox_sdk::{Answer, DataFile, FileFormat, Loaded, OptionValue, Query, Report, Sample};
use serde_json::json;
use superglue::SuperGlue;

const DIR: &str = env!("CARGO_MANIFEST_DIR");

fn sample_files() -> Vec<DataFile> {
    files_from_dir(format!("{DIR}/sample"))
}

fn load(files: Vec<DataFile>, opts: &[OptionValue]) -> Vec<Loaded> {
    let (items, shared) = testing::load::<SuperGlue>(files, opts).unwrap();
    testing::prepare::<SuperGlue>(&shared, opts).unwrap();
    items
}

fn score_all(
    samples: &[Sample],
    opts: &[OptionValue],
    mut model: impl FnMut(usize, &Query) -> Answer,
) -> Report {
    let scored: Vec<_> = samples
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let out = testing::scored::<SuperGlue>(s, 7, opts, |q| model(i, q)).unwrap();
            testing::assert_declared::<SuperGlue>(&out);
            out
        })
        .collect();
    testing::aggregate::<SuperGlue>(scored, opts).unwrap()
}

fn value(report: &Report, task: &str, metric: &str) -> f64 {
    report
        .tasks
        .iter()
        .find(|t| t.name == task)
        .and_then(|t| t.metrics.iter().find(|m| m.name == metric))
        .unwrap_or_else(|| panic!("{task} {metric} missing"))
        .value
}

#[test]
fn sample_loads_every_task_in_both_layouts() {
    let items = load(sample_files(), &testing::options(&[]));
    let ids: Vec<String> = items.iter().map(label).collect();
    assert!(ids.iter().all(|i| !i.starts_with('!')), "{ids:?}");
    assert_eq!(ids.len(), 48);
    for task in [
        "boolq", "cb", "copa", "multirc", "record", "rte", "wic", "wsc",
    ] {
        assert!(
            ids.iter().any(|i| i.starts_with(&format!("{task}/"))),
            "{task}"
        );
    }
    for id in [
        "boolq/0",
        "boolq/100",
        "multirc/0-0-2",
        "multirc/100-101-104",
        "record/0-2",
        "record/100-101",
        "wsc/100",
    ] {
        assert!(ids.contains(&id.to_string()), "{id}");
    }
    let s = samples(items);
    let rec = s.iter().find(|s| s.id == "record/100-100").unwrap();
    let data: serde_json::Value = serde_json::from_str(&rec.data).unwrap();
    // Entities: sorted set of the passage spans; answers: sorted set.
    assert_eq!(
        data["entities"],
        json!(["Lina Holt", "Mayor Lina Holt", "Velden"])
    );
    assert_eq!(data["answers"], json!(["Lina Holt", "Mayor Lina Holt"]));
    let wsc = s.iter().find(|s| s.id == "wsc/101").unwrap();
    let data: serde_json::Value = serde_json::from_str(&wsc.data).unwrap();
    // The `wsc.fixed` repair: trailing `.` dropped.
    assert_eq!(data["span1_text"], "The cup");
    assert_eq!(wsc.target, "False");
    let wsc = s.iter().find(|s| s.id == "wsc/100").unwrap();
    assert!(wsc.data.contains("\"span1_text\":\"Omar\""));
    let cb = s.iter().find(|s| s.id == "cb/100").unwrap();
    assert_eq!(cb.target, "neutral");
}

#[test]
fn gold_scores_the_maximum_under_every_option() {
    for variant in ["loglikelihood", "generative"] {
        for mode in ["reference", "corrected"] {
            let opts = testing::options(&[("variant", variant), ("mode", mode)]);
            let s = samples(load(sample_files(), &opts));
            let report = score_all(&s, &opts, |_, q| gold(q));
            assert_eq!(report.tasks[0].name, "superglue");
            assert_eq!(report.tasks.len(), 9);
            for t in &report.tasks {
                for m in &t.metrics {
                    assert_eq!(m.value, 1.0, "{variant} {mode} {} {}", t.name, m.name);
                    let filter = if mode == "reference" {
                        "none"
                    } else {
                        "corrected"
                    };
                    assert_eq!(m.filter, filter);
                }
            }
            assert_eq!(value(&report, "superglue", "score"), 1.0);
        }
    }
}

#[test]
fn report_names_follow_lm_eval() {
    let opts = testing::options(&[]);
    let s = samples(load(sample_files(), &opts));
    let r = score_all(&s, &opts, |_, q| gold(q));
    let names: Vec<(&str, Vec<&str>)> = r
        .tasks
        .iter()
        .map(|t| {
            (
                t.name.as_str(),
                t.metrics.iter().map(|m| m.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("superglue", vec!["score"]),
            ("boolq", vec!["acc"]),
            ("cb", vec!["acc", "f1"]),
            ("copa", vec!["acc"]),
            ("multirc", vec!["acc", "f1a", "em"]),
            ("record", vec!["f1", "em"]),
            ("sglue_rte", vec!["acc"]),
            ("wic", vec!["acc"]),
            ("wsc", vec!["acc"]),
        ]
    );
    let opts = testing::options(&[("variant", "generative")]);
    let r = score_all(&s, &opts, |_, q| gold(q));
    let names: Vec<(&str, Vec<&str>)> = r
        .tasks
        .iter()
        .map(|t| {
            (
                t.name.as_str(),
                t.metrics.iter().map(|m| m.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("superglue", vec!["score"]),
            ("super_glue-boolq-t5-prompt", vec!["exact_match"]),
            (
                "super_glue-cb-t5-prompt",
                vec!["exact_match", "mean_3class_f1"]
            ),
            ("super_glue-copa-t5-prompt", vec!["exact_match"]),
            ("super_glue-multirc-t5-prompt", vec!["f1", "em"]),
            ("super_glue-record-t5-prompt", vec!["em", "f1"]),
            ("super_glue-rte-t5-prompt", vec!["exact_match"]),
            ("super_glue-wic-t5-prompt", vec!["exact_match"]),
            ("super_glue-wsc-t5-prompt", vec!["accuracy"]),
        ]
    );
    // Sample counts: MultiRC counts answer options.
    let multirc = r.tasks.iter().find(|t| t.name.contains("multirc")).unwrap();
    assert_eq!(multirc.samples, 10);
}

/// Rows of every binary task and CB with random labels, written by the test.
fn generated_rows(n: usize) -> Vec<DataFile> {
    let mut rng = PyRandom::from_seed(2026);
    let mut boolq = Vec::new();
    let mut cb = Vec::new();
    let mut copa = Vec::new();
    let mut multirc = Vec::new();
    let mut rte = Vec::new();
    let mut wic = Vec::new();
    let mut wsc = Vec::new();
    for i in 0..n {
        let bit = rng.randbelow(2);
        boolq.push(json!({"question": format!("is item {i} red"), "passage": "Items vary.", "idx": i, "label": bit}).to_string());
        cb.push(json!({"premise": format!("Maybe {i}."), "hypothesis": "so", "idx": i, "label": rng.randbelow(3)}).to_string());
        copa.push(json!({"premise": format!("Event {i} happened."), "choice1": "A.", "choice2": "B.", "question": "cause", "idx": i, "label": rng.randbelow(2)}).to_string());
        multirc.push(json!({"paragraph": "P.", "question": format!("Q{}", i / 4), "answer": format!("A{i}"), "idx": {"paragraph": i / 4, "question": i / 4, "answer": i}, "label": rng.randbelow(2)}).to_string());
        rte.push(json!({"premise": format!("P{i}."), "hypothesis": "H.", "idx": i, "label": rng.randbelow(2)}).to_string());
        wic.push(json!({"word": "w", "sentence1": "a w b", "sentence2": "c w d", "start1": 2, "end1": 3, "start2": 2, "end2": 3, "idx": i, "label": rng.randbelow(2)}).to_string());
        wsc.push(json!({"text": format!("Ann met Bo and she left {i} ."), "span1_index": 0, "span2_index": 4, "span1_text": "Ann", "span2_text": "she", "idx": i, "label": rng.randbelow(2)}).to_string());
    }
    let file = |path: &str, rows: &[String]| {
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        data_file(path, FileFormat::Jsonl, &refs)
    };
    vec![
        file("boolq/validation.jsonl", &boolq),
        file("cb/validation.jsonl", &cb),
        file("copa/validation.jsonl", &copa),
        file("multirc/validation.jsonl", &multirc),
        file("rte/validation.jsonl", &rte),
        file("wic/validation.jsonl", &wic),
        file("wsc.fixed/validation.jsonl", &wsc),
    ]
}

#[test]
fn random_lands_near_chance() {
    let opts = testing::options(&[]);
    let s = samples(load(generated_rows(2000), &opts));
    // The built-in `random` model: uniform log-likelihoods, drawn per sample.
    let report = score_all(&s, &opts, |i, q| {
        let Query::Choose(c) = q else { panic!() };
        let mut rng = PyRandom::from_seed(i as u64 + 1);
        testing::scores((0..c.continuations.len()).map(|_| -rng.random()))
    });
    for task in ["boolq", "copa", "multirc", "sglue_rte", "wic", "wsc"] {
        let acc = value(&report, task, "acc");
        assert!((acc - 0.5).abs() < 0.04, "{task} acc {acc}");
    }
    let cb = value(&report, "cb", "acc");
    assert!((cb - 1.0 / 3.0).abs() < 0.04, "cb acc {cb}");
    let f1 = value(&report, "cb", "f1");
    assert!((f1 - 1.0 / 3.0).abs() < 0.05, "cb f1 {f1}");
    // MultiRC F1a near 0.5 for balanced labels; EM of 4-option questions near 1/16.
    let f1a = value(&report, "multirc", "f1a");
    assert!((f1a - 0.5).abs() < 0.05, "multirc f1a {f1a}");
    let em = value(&report, "multirc", "em");
    assert!((em - 1.0 / 16.0).abs() < 0.04, "multirc em {em}");
    let score = value(&report, "superglue", "score");
    assert!((score - 0.47).abs() < 0.05, "superglue {score}");
    for t in &report.tasks {
        let m: Vec<String> = t
            .metrics
            .iter()
            .map(|m| format!("{} {:.4}", m.name, m.value))
            .collect();
        println!("random: {} {}", t.name, m.join(", "));
    }
}

#[test]
fn random_words_score_near_zero_in_the_generative_variant() {
    let opts = testing::options(&[("variant", "generative")]);
    let s = samples(load(generated_rows(200), &opts));
    let report = score_all(&s, &opts, |i, _| {
        let mut rng = PyRandom::from_seed(i as u64);
        let words = ["apple", "stone", "river", "blue"];
        Answer::Text(words[rng.randbelow(4) as usize].to_string())
    });
    for task in ["boolq", "cb", "copa", "rte", "wic"] {
        let em = value(
            &report,
            &format!("super_glue-{task}-t5-prompt"),
            "exact_match",
        );
        assert_eq!(em, 0.0, "{task}");
    }
    // WSC: a random word never names the referent, so only label-0 rows count.
    let wsc = value(&report, "super_glue-wsc-t5-prompt", "accuracy");
    assert!((wsc - 0.5).abs() < 0.1, "wsc {wsc}");
}

#[test]
fn malformed_rows_are_reported_and_the_rest_load() {
    let files = vec![
        data_file(
            "boolq/validation.jsonl",
            FileFormat::Jsonl,
            &[
                r#"{"question": "q", "passage": "p", "idx": 0, "label": 1}"#,
                r#"{"question": "q", "passage": "p", "idx": 1, "label": 5}"#,
                r#"{"question": 3, "passage": "p", "idx": 2, "label": 0}"#,
                r#"{"question": "q", "passage": "p", "idx": 3, "label": -1}"#,
                "not json",
                r#"{"question": "q", "passage": "p", "idx": 0, "label": 0}"#,
                r#"{"question": "q", "passage": "p", "label": 0}"#,
            ],
        ),
        data_file(
            "copa/validation.jsonl",
            FileFormat::Jsonl,
            &[
                r#"{"premise": "p.", "choice1": "", "choice2": "b", "question": "cause", "idx": 0, "label": 0}"#,
                r#"{"premise": "p.", "choice1": "a", "choice2": "b", "question": "why", "idx": 1, "label": 0}"#,
            ],
        ),
        data_file(
            "record/validation.jsonl",
            FileFormat::Jsonl,
            &[
                r#"{"passage": "p", "query": "@placeholder", "entities": ["A"], "answers": [], "idx": {"passage": 0, "query": 0}}"#,
                r#"{"passage": "p", "query": "@placeholder", "entities": ["A"], "answers": ["A"], "idx": 7}"#,
            ],
        ),
        data_file(
            "MultiRC/val.jsonl",
            FileFormat::Jsonl,
            &[
                r#"{"idx": 0, "passage": {"text": "t", "questions": [{"question": "q", "idx": 0, "answers": [{"text": "a", "idx": 0, "label": 1}, {"text": "b", "idx": 1}, {"idx": 2, "label": 0}]}]}}"#,
            ],
        ),
        data_file(
            "WSC/val.jsonl",
            FileFormat::Jsonl,
            &[
                r#"{"text": "A b c .", "target": {"span1_index": 0, "span2_index": 9, "span1_text": "zz", "span2_text": "b"}, "idx": 0, "label": true}"#,
            ],
        ),
        data_file("misc/validation.jsonl", FileFormat::Jsonl, &["{}"]),
        data_file("rte/rows.jsonl", FileFormat::Jsonl, &["{}"]),
    ];
    let items = load(files, &testing::options(&[]));
    let got: Vec<String> = items.iter().map(label).collect();
    assert_eq!(
        got,
        [
            "boolq/0",
            "!boolq/validation.jsonl:1:label",
            "!boolq/validation.jsonl:2:question",
            "!boolq/validation.jsonl:3:label",
            "!boolq/validation.jsonl:4:",
            "!boolq/validation.jsonl:5:idx",
            "!boolq/validation.jsonl:6:idx",
            "!copa/validation.jsonl:0:choice1",
            "!copa/validation.jsonl:1:question",
            "!record/validation.jsonl:0:answers",
            "!record/validation.jsonl:1:idx",
            "multirc/0-0-0",
            "!MultiRC/val.jsonl:0:passage.questions[0].answers[1].label",
            "!MultiRC/val.jsonl:0:passage.questions[0].answers[2].text",
            "!WSC/val.jsonl:0:span1_text",
            "!misc/validation.jsonl:0:",
            "!rte/rows.jsonl:0:",
        ]
    );
    let Loaded::Invalid(e) = &items[3] else {
        panic!()
    };
    assert!(e.message.contains("hidden label"), "{}", e.message);
    let Loaded::Invalid(e) = &items[5] else {
        panic!()
    };
    assert!(
        e.message.contains("duplicate sample id `boolq/0`"),
        "{}",
        e.message
    );
}

#[test]
fn task_selection_and_wsc_fixed_shadowing() {
    let opts = testing::options(&[("tasks", "cb, WSC")]);
    let items = load(sample_files(), &opts);
    assert!(
        items
            .iter()
            .map(label)
            .all(|i| i.starts_with("cb/") || i.starts_with("wsc/"))
    );
    assert_eq!(items.len(), 12);
    let e =
        testing::load::<SuperGlue>(sample_files(), &testing::options(&[("tasks", "boolq,axb")]))
            .unwrap_err();
    assert!(e.message.contains("unknown task `axb`"), "{}", e.message);
    let e = testing::load::<SuperGlue>(Vec::new(), &testing::options(&[])).unwrap_err();
    assert!(
        e.message.contains("no SuperGLUE validation file"),
        "{}",
        e.message
    );
    // A snapshot with both `wsc` and `wsc.fixed`: lm-eval reads `wsc.fixed`.
    let row = r#"{"text": "Al met Bo and he left .", "span1_index": 0, "span2_index": 4, "span1_text": "Al", "span2_text": "he", "idx": 0, "label": 1}"#;
    let files = vec![
        data_file("snap/wsc/validation.jsonl", FileFormat::Jsonl, &[row]),
        data_file("snap/wsc.fixed/validation.jsonl", FileFormat::Jsonl, &[row]),
        data_file("snap/axb/test.jsonl", FileFormat::Jsonl, &["{}"]),
        data_file("snap/wsc.fixed/train.jsonl", FileFormat::Jsonl, &["{}"]),
    ];
    let items = load(files, &testing::options(&[]));
    assert_eq!(items.iter().map(label).collect::<Vec<_>>(), ["wsc/0"]);
}

#[test]
fn a_failed_model_answer_fails_the_sample() {
    let opts = testing::options(&[]);
    let s = samples(load(sample_files(), &opts));
    let e =
        testing::score::<SuperGlue>(&s[0], 0, &opts, |_| Answer::Failed("503".into())).unwrap_err();
    assert!(e.message.contains("503"), "{}", e.message);
}

#[test]
fn multirc_reference_mode_inverts_the_choices() {
    // lm-eval's MultiRC: a correct option's gold continuation is `no`.
    let opts = testing::options(&[]);
    let s = samples(load(sample_files(), &opts));
    let sample = s.iter().find(|s| s.id == "multirc/0-0-0").unwrap();
    let mut asked = None;
    testing::score::<SuperGlue>(sample, 0, &opts, |q| {
        asked = Some(q.clone());
        gold(q)
    })
    .unwrap();
    let Some(Query::Choose(c)) = asked.take() else {
        panic!()
    };
    assert_eq!(c.reference, Some(1));
    assert!(c.continuations[1].ends_with("correct? no"));
    let opts = testing::options(&[("mode", "corrected")]);
    testing::score::<SuperGlue>(sample, 0, &opts, |q| {
        asked = Some(q.clone());
        gold(q)
    })
    .unwrap();
    let Some(Query::Choose(c)) = asked else {
        panic!()
    };
    assert_eq!(c.reference, Some(0));
    assert!(c.continuations[0].ends_with("correct? yes"));
}
