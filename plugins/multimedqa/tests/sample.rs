//! The bundled sample, loaded and scored end to end through the SDK's
//! in-process host: the gold model (and gold judge) score the maximum under
//! every option combination, a constant model scores the share of first-choice
//! answers, multiple-choice runs never ask the judge, malformed rows and
//! unusable judge replies fail only their own sample.

use multimedqa::MultiMedQa;
use multimedqa::judge::AXES;
use scorebox_sdk::testing::{self, assert_declared, gold, label};
use scorebox_sdk::{Answer, DataFile, FileFormat, Loaded, Query, Report};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

/// Loads `files`, scores every sample with `model`, aggregates; returns the
/// number of samples, the number of failed samples and the report.
fn run(
    files: Vec<DataFile>,
    pairs: &[(&str, &str)],
    mut model: impl FnMut(&Query) -> Answer,
) -> (usize, usize, Report) {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<MultiMedQa>(files, &options).unwrap();
    testing::prepare::<MultiMedQa>(&shared, &options).unwrap();
    let mut scored = Vec::new();
    let mut failed = 0;
    for l in loaded {
        let Loaded::Sample(sample) = l else {
            panic!("the bundled sample has no malformed row: {l:?}")
        };
        match testing::scored::<MultiMedQa>(&sample, 7, &options, &mut model) {
            Ok(s) => {
                assert_declared::<MultiMedQa>(&s);
                scored.push(s);
            }
            Err(_) => failed += 1,
        }
    }
    let n = scored.len();
    let report = testing::aggregate::<MultiMedQa>(scored, &options).unwrap();
    (n, failed, report)
}

fn value(report: &Report, task: &str, metric: &str) -> f64 {
    report
        .tasks
        .iter()
        .find(|t| t.name == task)
        .unwrap_or_else(|| panic!("no task {task}"))
        .metrics
        .iter()
        .find(|m| m.name == metric)
        .unwrap_or_else(|| panic!("no {metric} in {task}"))
        .value
}

#[test]
fn gold_scores_the_maximum_under_every_option_combination() {
    for sets in ["mc", "longform", "all"] {
        for axes in ["all", "physician", "lay", "bias,intent"] {
            for reference in ["omit", "include"] {
                for tokens in ["1024", "16"] {
                    let pairs = [
                        ("sets", sets),
                        ("axes", axes),
                        ("judge_reference", reference),
                        ("answer_max_tokens", tokens),
                    ];
                    let (n, failed, report) = run(sample_files(), &pairs, gold);
                    let want = match sets {
                        "mc" => 27,
                        "longform" => 9,
                        _ => 36,
                    };
                    assert_eq!((n, failed), (want, 0), "{pairs:?}");
                    for t in &report.tasks {
                        for m in &t.metrics {
                            assert_eq!(m.value, 1.0, "{pairs:?} {} {}", t.name, m.name);
                        }
                    }
                    let names: Vec<&str> = report.tasks.iter().map(|t| t.name.as_str()).collect();
                    match sets {
                        "mc" => assert_eq!(names.len(), 1 + 9, "{names:?}"),
                        "longform" => assert_eq!(names.len(), 1 + 3, "{names:?}"),
                        _ => assert_eq!(names.len(), 14, "{names:?}"),
                    }
                    if sets != "mc" {
                        let axes_n = report
                            .tasks
                            .iter()
                            .find(|t| t.name == "multimedqa_longform")
                            .unwrap()
                            .metrics
                            .len();
                        let want_axes = match axes {
                            "all" => 14,
                            "physician" => 12,
                            _ => 2,
                        };
                        assert_eq!(axes_n, want_axes, "{pairs:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn the_report_names_lm_evals_tasks() {
    let (_, _, report) = run(sample_files(), &[("sets", "all")], gold);
    let names: Vec<&str> = report.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "multimedqa",
            "pubmedqa",
            "medmcqa",
            "medqa_4options",
            "mmlu_anatomy",
            "mmlu_clinical_knowledge",
            "mmlu_college_medicine",
            "mmlu_medical_genetics",
            "mmlu_professional_medicine",
            "mmlu_college_biology",
            "multimedqa_longform",
            "liveqa",
            "medicationqa",
            "healthsearchqa",
        ]
    );
    let pubmed = report.tasks.iter().find(|t| t.name == "pubmedqa").unwrap();
    let metrics: Vec<&str> = pubmed.metrics.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(metrics, ["acc", "macro_f1"]);
    assert_eq!(pubmed.samples, 5);
    let medqa = report
        .tasks
        .iter()
        .find(|t| t.name == "medqa_4options")
        .unwrap();
    assert_eq!(medqa.metrics[1].name, "acc_norm");
    assert_eq!(report.tasks[0].samples, 27);
}

/// Always prefers the first choice; a judge always gives the worst grade.
fn first_choice(q: &Query) -> Answer {
    match q {
        Query::Choose(c) => testing::scores((0..c.continuations.len()).map(|i| -(i as f64) - 1.0)),
        Query::Generate(_) => Answer::Text("I do not know.".into()),
        Query::Judge(j) => {
            let prompt = &j.messages[1].content;
            let last = if prompt.contains("\nC. ") { "C" } else { "B" };
            Answer::Text(format!("It is poor.\nRating: {last}"))
        }
    }
}

#[test]
fn a_constant_model_scores_the_share_of_first_choice_answers() {
    let (n, failed, report) = run(sample_files(), &[("sets", "all")], first_choice);
    assert_eq!((n, failed), (36, 0));
    // 9 of the 27 bundled multiple-choice answers are the first choice.
    let group = value(&report, "multimedqa", "acc");
    assert!((group - 9.0 / 27.0).abs() < 1e-12, "{group}");
    assert_eq!(value(&report, "medqa_4options", "acc"), 2.0 / 5.0);
    // PubMedQA: always "yes" against yes, no, maybe, yes, maybe.
    assert_eq!(value(&report, "pubmedqa", "acc"), 2.0 / 5.0);
    // macro-F1: yes 2*2/(2+5) = 4/7, no 0, maybe 0.
    assert_eq!(
        value(&report, "pubmedqa", "macro_f1"),
        (0.0 + 0.0 + 4.0 / 7.0) / 3.0
    );
    for axis in &AXES {
        assert_eq!(
            value(&report, "multimedqa_longform", axis.metric),
            0.0,
            "{}",
            axis.key
        );
    }
}

#[test]
fn multiple_choice_runs_never_ask_the_judge() {
    let (n, failed, _) = run(sample_files(), &[], |q| match q {
        Query::Judge(_) | Query::Generate(_) => panic!("a multiple-choice run asked {q:?}"),
        Query::Choose(_) => gold(q),
    });
    assert_eq!((n, failed), (27, 0));
}

#[test]
fn an_unusable_judge_fails_only_the_long_form_samples() {
    // The random model's judge replies are random words: no rating, so each
    // long-form sample fails with a message; multiple-choice ones score.
    let random_judge = |q: &Query| match q {
        Query::Judge(_) => Answer::Text("maybe the river is blue".into()),
        _ => gold(q),
    };
    let (n, failed, report) = run(sample_files(), &[("sets", "all")], random_judge);
    assert_eq!((n, failed), (27, 9));
    assert!(report.tasks.iter().all(|t| t.name != "multimedqa_longform"));
    let options = testing::options(&[("sets", "longform")]);
    let (loaded, shared) = testing::load::<MultiMedQa>(sample_files(), &options).unwrap();
    testing::prepare::<MultiMedQa>(&shared, &options).unwrap();
    let Loaded::Sample(s) = &loaded[0] else {
        panic!()
    };
    let e = testing::score::<MultiMedQa>(s, 7, &options, random_judge).unwrap_err();
    assert!(e.message.contains("gives no rating"), "{}", e.message);
}

#[test]
fn sample_ids_are_the_datasets_own() {
    let options = testing::options(&[("sets", "all")]);
    let (loaded, _) = testing::load::<MultiMedQa>(sample_files(), &options).unwrap();
    let ids: Vec<String> = loaded.iter().map(label).collect();
    for want in [
        "medqa/sample-test-00000",
        "medmcqa/0b6f6d2e-5c1a-4c55-9a07-sample00001",
        "pubmedqa/99000101",
        "pubmedqa/99000106",
        "mmlu_anatomy/0",
        "mmlu_anatomy/1",
        "mmlu_college_biology/1",
        "liveqa/2",
        "medicationqa/0",
        "healthsearchqa/2",
    ] {
        assert!(ids.iter().any(|i| i == want), "{want} not in {ids:?}");
    }
    // Not the PubMedQA questions outside the test ids, not train rows, not virology.
    assert!(
        !ids.iter()
            .any(|i| i == "pubmedqa/99000104" || i.contains("train") || i.contains("virology"))
    );
    assert_eq!(ids.len(), 36);
}

fn with_rows(mut files: Vec<DataFile>, path: &str, extra: &[&str]) -> Vec<DataFile> {
    let f = files.iter_mut().find(|f| f.path == path).unwrap();
    f.rows.extend(extra.iter().map(|r| r.to_string()));
    files
}

#[test]
fn malformed_rows_name_file_row_and_field_and_the_rest_is_scored() {
    let mut files = sample_files();
    files = with_rows(
        files,
        "medqa/test.jsonl",
        &[
            r#"{"id":"bad-1","sent1":"Q","ending0":"a","ending1":"b","ending2":"c","ending3":"d","label":9}"#,
            "{not json",
        ],
    );
    files = with_rows(
        files,
        "medmcqa/validation.jsonl",
        &[
            r#"{"id":"m-bad","question":"Q","opa":"a","opb":"b","opc":"c","cop":1}"#,
            r#"{"id":"0b6f6d2e-5c1a-4c55-9a07-sample00001","question":"Q","opa":"a","opb":"b","opc":"c","opd":"d","cop":1}"#,
        ],
    );
    files = with_rows(
        files,
        "mmlu/all/test.jsonl",
        &[r#"{"question":"Q","subject":"anatomy","choices":["a","b","c","d"],"answer":"E"}"#],
    );
    files = with_rows(
        files,
        "liveqa/test.jsonl",
        &[r#"{"qid":"x","answers":["a"]}"#],
    );
    files.push(testing::data_file(
        "pubmedqa/test_ground_truth_extra.json",
        FileFormat::Json,
        &[r#"{"99000107":"no","12345":"yes"}"#],
    ));
    files.push(testing::data_file(
        "notes/readme.json",
        FileFormat::Json,
        &["{}"],
    ));
    let options = testing::options(&[("sets", "all")]);
    let (loaded, shared) = testing::load::<MultiMedQa>(files, &options).unwrap();
    let invalid: Vec<String> = loaded
        .iter()
        .filter(|l| matches!(l, Loaded::Invalid(_)))
        .map(label)
        .collect();
    assert_eq!(
        invalid,
        [
            "!notes/readme.json:0:",
            "!pubmedqa/test_ground_truth_extra.json:0:12345",
            "!liveqa/test.jsonl:3:question",
            "!medmcqa/validation.jsonl:5:opd",
            "!medmcqa/validation.jsonl:6:",
            "!medqa/test.jsonl:5:label",
            "!medqa/test.jsonl:6:",
            "!mmlu/all/test.jsonl:9:answer",
            "!pubmedqa/ori_pqal.json:0:99000107.final_decision",
        ]
    );
    for l in &loaded {
        if let Loaded::Invalid(e) = l {
            assert!(!e.message.is_empty());
        }
    }
    // Every valid row is still scored, and scores the maximum with gold.
    testing::prepare::<MultiMedQa>(&shared, &options).unwrap();
    let samples = testing::samples(
        loaded
            .into_iter()
            .filter(|l| matches!(l, Loaded::Sample(_)))
            .collect(),
    );
    assert_eq!(samples.len(), 36);
    for s in &samples {
        let score = testing::score::<MultiMedQa>(s, 1, &options, gold).unwrap();
        assert!(score.metrics.iter().all(|m| m.value == 1.0), "{}", s.id);
    }
}

#[test]
fn loading_nothing_of_the_selected_sets_is_an_error() {
    let only_long: Vec<DataFile> = sample_files()
        .into_iter()
        .filter(|f| f.path.starts_with("liveqa/"))
        .collect();
    let e = testing::load::<MultiMedQa>(only_long, &testing::options(&[])).unwrap_err();
    assert!(e.message.contains("sets=all"), "{}", e.message);
    let bad = testing::load::<MultiMedQa>(sample_files(), &testing::options(&[("axes", "x")]));
    assert!(bad.is_ok(), "axes are checked when an episode starts");
    let options = testing::options(&[("sets", "longform"), ("axes", "harm")]);
    let (loaded, shared) = testing::load::<MultiMedQa>(sample_files(), &options).unwrap();
    testing::prepare::<MultiMedQa>(&shared, &options).unwrap();
    let Loaded::Sample(s) = &loaded[0] else {
        panic!()
    };
    let e = testing::score::<MultiMedQa>(s, 7, &options, gold).unwrap_err();
    assert!(e.message.contains("unknown axis `harm`"), "{}", e.message);
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn random_log_likelihoods_land_near_chance() {
    use scorebox_sdk::pyrandom::PyRandom;
    // Invented rows, many of them: 1,200 MedQA (4 options), 600 PubMedQA
    // (3 labels), 400 MMLU anatomy.
    let medqa: Vec<String> = (0..1200)
        .map(|i| {
            format!(
                r#"{{"id":"r{i}","sent1":"Q{i}","ending0":"a","ending1":"b","ending2":"c","ending3":"d","label":{}}}"#,
                i % 4
            )
        })
        .collect();
    let pubmed: Vec<String> = (0..600)
        .map(|i| {
            format!(
                r#"{{"QUESTION":"Q{i}","CONTEXTS":["c"],"final_decision":"{}"}}"#,
                ["yes", "no", "maybe"][i % 3]
            )
        })
        .collect();
    let mmlu: Vec<String> = (0..400)
        .map(|i| {
            format!(
                r#"{{"question":"Q{i}","subject":"anatomy","choices":["a","b","c","d"],"answer":{}}}"#,
                (i * 7) % 4
            )
        })
        .collect();
    let files = vec![
        testing::data_file("medqa/test.jsonl", FileFormat::Jsonl, &refs(&medqa)),
        testing::data_file(
            "pubmedqa/bigbio/test.jsonl",
            FileFormat::Jsonl,
            &refs(&pubmed),
        ),
        testing::data_file("mmlu/anatomy/test.jsonl", FileFormat::Jsonl, &refs(&mmlu)),
    ];
    let mut rng = PyRandom::from_seed(2026);
    let (n, failed, report) = run(files, &[], |q| match q {
        Query::Choose(c) => testing::scores(c.continuations.iter().map(|_| -10.0 * rng.random())),
        _ => panic!("{q:?}"),
    });
    assert_eq!((n, failed), (2200, 0));
    let near = |got: f64, want: f64, tol: f64| assert!((got - want).abs() < tol, "{got} vs {want}");
    near(value(&report, "medqa_4options", "acc"), 0.25, 0.04);
    near(value(&report, "pubmedqa", "acc"), 1.0 / 3.0, 0.06);
    near(value(&report, "pubmedqa", "macro_f1"), 1.0 / 3.0, 0.06);
    near(value(&report, "mmlu_anatomy", "acc"), 0.25, 0.07);
    near(
        value(&report, "multimedqa", "acc"),
        (1200.0 * 0.25 + 200.0 + 100.0) / 2200.0,
        0.03,
    );
}
