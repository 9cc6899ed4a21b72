//! The bundled sample, loaded and scored end to end through the SDK's
//! in-process host: the gold model under every option combination, the
//! random-words model, malformed rows, prompts, truncation and ids.

use lveval::episode::LvEvalEpisode;
use lveval::{Config, LvEval, OPTIONS};
use scorebox_sdk::testing::{self, assert_declared, data_file, gold, label, samples};
use scorebox_sdk::{
    Answer, DataFile, FileFormat, Level, Loaded, Options, Query, Report, Sample, TaskReport,
};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

fn run(pairs: &[(&str, &str)], model: impl Fn(&Query) -> Answer) -> (Vec<Sample>, Report) {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<LvEval>(sample_files(), &options).unwrap();
    testing::prepare::<LvEval>(&shared, &options).unwrap();
    let samples = samples(loaded);
    let scored: Vec<_> = samples
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let scored = testing::scored::<LvEval>(s, i as u64, &options, &model).unwrap();
            assert_declared::<LvEval>(&scored);
            scored
        })
        .collect();
    let report = testing::aggregate::<LvEval>(scored, &options).unwrap();
    (samples, report)
}

fn value(t: &TaskReport, name: &str) -> f64 {
    t.metrics.iter().find(|m| m.name == name).unwrap().value
}

#[test]
fn the_sample_covers_every_dataset_and_length() {
    let (loaded, shared) = testing::load::<LvEval>(sample_files(), &[]).unwrap();
    assert_eq!(shared, r#"{"chinese":true}"#);
    let samples = samples(loaded);
    assert_eq!(samples.len(), 11 * 5 * 2);
    assert_eq!(samples[0].id, "cmrc_mixup_128k/0");
    assert_eq!(samples[0].subtask, "cmrc_mixup_128k");
    let info = <LvEval as scorebox_sdk::Benchmark>::info();
    for s in &samples {
        assert!(info.subtasks.contains(&s.subtask), "{}", s.subtask);
    }
}

#[test]
fn gold_scores_the_maximum_under_every_option() {
    for mode in ["reference", "corrected"] {
        for truncation in ["auto", "chars", "words", "none"] {
            for max_length in ["15500", "64"] {
                let pairs = [
                    ("mode", mode),
                    ("truncation", truncation),
                    ("max_length", max_length),
                ];
                let (_, report) = run(&pairs, gold);
                assert_eq!(report.tasks.len(), 1 + 5 + 11 + 55, "{pairs:?}");
                assert_eq!(report.tasks[0].name, "lveval");
                for t in &report.tasks {
                    let score = t.metrics.iter().find(|m| m.name == "score").unwrap();
                    assert_eq!(score.filter, mode);
                    // The reference's ROUGE never reaches 1: 2PR/(P+R+1e-8).
                    let rouge = 0.999999995;
                    let level_group = t.level == Level::Group
                        && lveval::LEVELS
                            .iter()
                            .any(|l| t.name == format!("lveval_{l}"));
                    let max = match mode {
                        "reference" if t.name.contains("dureader") => rouge,
                        // Ten datasets at 1 and dureader, per length and overall.
                        "reference" if level_group || t.level == Level::Task => {
                            (10.0 + rouge) / 11.0
                        }
                        _ => 1.0,
                    };
                    assert!((score.value - max).abs() < 1e-12, "{pairs:?} {}", t.name);
                    assert_eq!(value(t, "score_pct"), 100.0, "{pairs:?} {}", t.name);
                }
            }
        }
    }
}

fn random_words(q: &Query) -> Answer {
    // Lower-case filler, as the host's `random` model answers.
    let Query::Generate(g) = q else { panic!() };
    let n = g.messages[0].content.len() % 7;
    Answer::Text(
        [
            "quartz", "ember", "lilt", "morrow", "vane", "sable", "tinder",
        ][..=n]
            .join(" "),
    )
}

#[test]
fn random_words_score_near_zero() {
    for mode in ["reference", "corrected"] {
        let (_, report) = run(&[("mode", mode)], random_words);
        assert!(value(&report.tasks[0], "score") < 0.05, "{mode}");
    }
}

#[test]
fn prompts_and_generation_parameters_follow_the_reference() {
    let (loaded, _) = testing::load::<LvEval>(sample_files(), &[]).unwrap();
    let samples = samples(loaded);
    let options = Options::from_pairs(OPTIONS, &[]).unwrap();
    let config = Config::from_options(&options).unwrap();
    let s = samples
        .iter()
        .find(|s| s.id == "factrecall_en_16k/0")
        .unwrap();
    let row: serde_json::Value = serde_json::from_str(&s.data).unwrap();
    let episode = LvEvalEpisode::new(s, &config).unwrap();
    assert_eq!(
        episode.prompt(),
        format!(
            "Please answer the following questions based on the given article.\n\nArticle: {}\n\n\
             Please answer the following questions based on the above article.\n\nQuestion: {}\nAnswer:",
            row["context"].as_str().unwrap(),
            row["input"].as_str().unwrap()
        )
    );
    testing::prepare::<LvEval>(r#"{"chinese":true}"#, &[]).unwrap();
    for (id, max_tokens) in [("factrecall_zh_32k/1", 16), ("dureader_mixup_16k/0", 64)] {
        let s = samples.iter().find(|s| s.id == id).unwrap();
        testing::score::<LvEval>(s, 0, &[], |q| {
            let Query::Generate(g) = q else { panic!() };
            assert_eq!(g.params.max_tokens, Some(max_tokens));
            assert_eq!(g.params.temperature, None);
            assert_eq!(g.messages.len(), 1);
            assert_eq!(g.messages[0].role, "user");
            gold(q)
        })
        .unwrap();
    }
}

#[test]
fn over_long_prompts_lose_their_middle() {
    let (loaded, _) = testing::load::<LvEval>(sample_files(), &[]).unwrap();
    let samples = samples(loaded);
    let en = samples
        .iter()
        .find(|s| s.id == "hotpotwikiqa_mixup_256k/0")
        .unwrap();
    let zh = samples
        .iter()
        .find(|s| s.id == "cmrc_mixup_256k/0")
        .unwrap();
    let prompt = |s: &Sample, pairs: &[(&str, &str)]| {
        let options = Options::from_pairs(OPTIONS, pairs).unwrap();
        let config = Config::from_options(&options).unwrap();
        LvEvalEpisode::new(s, &config).unwrap().prompt().to_string()
    };
    // auto: words for English, characters for Chinese.
    let p = prompt(en, &[("max_length", "40")]);
    assert_eq!(p.split_whitespace().count(), 40);
    assert!(p.starts_with("Answer the question based on the given passages."));
    assert!(p.ends_with("\nAnswer:"));
    let p = prompt(zh, &[("max_length", "41")]);
    assert_eq!(p.chars().count(), 40);
    assert!(p.starts_with("请根据下面给定的文章回答问题"));
    assert!(p.ends_with("\n回答："));
    let full = prompt(en, &[("truncation", "none"), ("max_length", "2")]);
    assert_eq!(prompt(en, &[("max_length", "100000")]), full);
    let chars = prompt(en, &[("truncation", "chars"), ("max_length", "100")]);
    assert_eq!(chars.chars().count(), 100);
    assert!(full.starts_with(&chars[..50]) && full.ends_with(&chars[50..]));
    let e = Config::from_options(&Options::from_pairs(OPTIONS, &[("max_length", "1")]).unwrap());
    assert!(e.unwrap_err().message.contains("at least 2"));
}

#[test]
fn malformed_rows_are_reported_and_the_rest_scored() {
    let good = r#"{"input":"q","context":"c","answers":["Mira Thorne"],"answer_keywords":"Mira"}"#;
    let files = vec![
        data_file(
            "hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl",
            FileFormat::Jsonl,
            &[
                good,
                "{not json",
                r#"{"input":"q","answers":["a"]}"#,
                r#"{"input":"q","context":"c","answers":"a"}"#,
                r#"{"input":"q","context":"c","answers":[]}"#,
                r#"{"input":"q","context":"c","answers":[1]}"#,
                r#"{"input":"q","context":"c","answers":["a"],"answer_keywords":["a"]}"#,
                r#"{"input":"q","context":"c","answers":["a"],"answer_keywords":null}"#,
                "[1, 2]",
            ],
        ),
        data_file("notes_16k.jsonl", FileFormat::Jsonl, &[good]),
        data_file(
            "hotpotwikiqa_mixup_16k/test.jsonl",
            FileFormat::Jsonl,
            &[good],
        ),
    ];
    let (loaded, shared) = testing::load::<LvEval>(files, &[]).unwrap();
    assert_eq!(shared, "");
    let labels: Vec<String> = loaded.iter().map(label).collect();
    assert_eq!(
        labels,
        [
            "hotpotwikiqa_mixup_16k/0",
            "!hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl:1:",
            "!hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl:2:context",
            "!hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl:3:answers",
            "!hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl:4:answers",
            "!hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl:5:answers",
            "!hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl:6:answer_keywords",
            "hotpotwikiqa_mixup_16k/7",
            "!hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl:8:",
            "!notes_16k.jsonl:0:",
            "!hotpotwikiqa_mixup_16k/test.jsonl:0:",
        ]
    );
    let Loaded::Invalid(e) = &loaded[9] else {
        panic!()
    };
    assert!(
        e.message.contains("hotpotwikiqa_mixup_16k.jsonl"),
        "{}",
        e.message
    );
    let Loaded::Invalid(e) = &loaded[10] else {
        panic!()
    };
    assert!(e.message.contains("again"), "{}", e.message);
    // The valid rows are scored.
    testing::prepare::<LvEval>("", &[]).unwrap();
    let Loaded::Sample(s) = &loaded[0] else {
        panic!()
    };
    let score = testing::score::<LvEval>(s, 0, &[], gold).unwrap();
    assert_eq!(score.metrics[0].value, 1.0);
}

#[test]
fn a_failed_model_call_fails_the_sample() {
    let (loaded, shared) = testing::load::<LvEval>(sample_files(), &[]).unwrap();
    testing::prepare::<LvEval>(&shared, &[]).unwrap();
    let s = &samples(loaded)[0];
    let e = testing::score::<LvEval>(s, 0, &[], |_| Answer::Failed("503".into())).unwrap_err();
    assert!(e.message.contains("503"));
}
