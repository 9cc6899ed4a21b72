//! Our rating parser and judge prompts against FastChat's own code
//! (`fidelity/make_golden.py`: `fschat==0.2.36`'s `run_judge_single` and
//! `make_judge_single`, executed with a stand-in judge) on invented cases.

use mtbench::MtBench;
use mtbench::episode::temperature;
use mtbench::load::Item;
use mtbench::prompts::NEED_REF_CATS;
use mtbench::rating::{Rating, parse};
use scorebox_sdk::{Answer, Query, Sample, testing};
use serde_json::Value;

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn ratings_match_fastchat() {
    let cases = read("cases.json");
    let golden = read("golden.json");
    let want = testing::by_id(&golden["ratings"]);
    let judgments = cases["judgments"].as_array().unwrap();
    assert_eq!(judgments.len(), want.len());
    let mut mismatches = Vec::new();
    for c in judgments {
        let id = c["id"].as_str().unwrap();
        let got = parse(c["judgment"].as_str().unwrap());
        let w = &want[id];
        let agrees = match (&got, w.get("error")) {
            // The reference raises: we count the rating as missing.
            (Rating::NotALiteral(_), Some(_)) => true,
            (_, Some(_)) => false,
            (Rating::Missing, None) => w["rating"].as_f64() == Some(-1.0),
            (Rating::Value(v), None) => match &w["rating"] {
                Value::String(s) if s == "inf" => v.is_infinite(),
                r => r.as_f64() == Some(*v),
            },
            (Rating::NotALiteral(_), None) => false,
        };
        if !agrees {
            mismatches.push(format!("{id}: FastChat {w} ours {got:?}"));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn judge_prompts_match_fastchat() {
    let cases = read("cases.json");
    let golden = read("golden.json");
    let options = testing::options(&[]);
    testing::prepare::<MtBench>("", &options).unwrap();
    let want = golden["prompts"].as_array().unwrap();
    let mut checked = 0;
    for c in cases["prompts"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let strings = |v: &Value| -> [String; 2] { serde_json::from_value(v.clone()).unwrap() };
        let item = Item {
            question_id: id.into(),
            category: c["category"].as_str().unwrap().into(),
            turns: strings(&c["turns"]),
            references: (!c["references"].is_null()).then(|| strings(&c["references"])),
            reference_source: None,
        };
        let answers = strings(&c["answers"]);
        let sample = Sample {
            id: id.into(),
            subtask: item.category.clone(),
            data: serde_json::to_string(&item).unwrap(),
            target: String::new(),
        };
        let mut generated = 0;
        let mut judged = Vec::new();
        testing::score::<MtBench>(&sample, 0, &options, |q| match q {
            Query::Generate(_) => {
                generated += 1;
                Answer::Text(answers[generated - 1].clone())
            }
            Query::Judge(j) => {
                judged.push(j.clone());
                Answer::Text("[[10]]".into())
            }
            Query::Choose(_) => panic!("no choose queries"),
        })
        .unwrap();
        for (turn, j) in judged.iter().enumerate() {
            let w = want
                .iter()
                .find(|w| w["id"] == id && w["turn"] == turn as u64 + 1)
                .unwrap();
            assert_eq!(j.messages.len(), 2);
            assert_eq!(j.messages[0].role, "system");
            assert_eq!(
                j.messages[0].content,
                w["system_prompt"].as_str().unwrap(),
                "{id} {turn}"
            );
            assert_eq!(j.messages[1].role, "user");
            assert_eq!(
                j.messages[1].content,
                w["user_prompt"].as_str().unwrap(),
                "{id} {turn}"
            );
            assert_eq!(j.params.temperature, Some(0.0));
            assert_eq!(
                j.params.max_tokens.map(u64::from),
                w["judge_max_tokens"].as_u64()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, want.len());
}

#[test]
fn temperatures_and_reference_categories_match_fastchat() {
    let golden = read("golden.json");
    for (category, t) in golden["temperature_config"].as_object().unwrap() {
        assert_eq!(
            temperature(category) as f64,
            t.as_f64().unwrap() as f32 as f64,
            "{category}"
        );
    }
    let cats: Vec<&str> = golden["need_ref_cats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(cats, NEED_REF_CATS);
}
