//! The `rouge` module against both Python packages on a shared corpus
//! (`tests/rouge/cases.json`; golden output from `tools/make_rouge_golden.py`:
//! `rouge==1.0.1` and `rouge-score==0.1.2`), to the last bit.

use scorebox_metrics::rouge::{Score, pkg, score};
use scorebox_sdk::testing::{by_id, json_f64, read_json};
use serde_json::Value;

fn check(id: &str, what: &str, got: &Score, want: &Value) {
    let got = [got.precision, got.recall, got.fmeasure];
    let want = [&want["p"], &want["r"], &want["f"]].map(json_f64);
    for (g, w) in got.iter().zip(want) {
        assert_eq!(
            g.to_bits(),
            w.to_bits(),
            "{id} {what}: got {got:?}, want {want:?}"
        );
    }
}

#[test]
fn both_packages_to_the_last_bit() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rouge");
    let cases = read_json(format!("{dir}/cases.json"));
    let golden = by_id(&read_json(format!("{dir}/golden.json"))["cases"]);
    let cases = cases["cases"].as_array().unwrap();
    assert_eq!(cases.len(), golden.len());
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let (t, p) = (
            case["target"].as_str().unwrap(),
            case["prediction"].as_str().unwrap(),
        );
        let want = &golden[id];
        match (pkg::get_scores(p, t), want["pkg"].get("error")) {
            (Ok(s), None) => {
                check(id, "rouge-1", &s.rouge_1, &want["pkg"]["rouge-1"]);
                check(id, "rouge-2", &s.rouge_2, &want["pkg"]["rouge-2"]);
                check(id, "rouge-l", &s.rouge_l, &want["pkg"]["rouge-l"]);
            }
            (Err(e), Some(msg)) => assert_eq!(e.to_string(), msg.as_str().unwrap(), "{id}"),
            (got, _) => panic!("{id}: got {got:?}, want {}", want["pkg"]),
        }
        let (tt, pt) = (score::tokenize(t), score::tokenize(p));
        check(
            id,
            "rouge1",
            &score::rouge_n(&tt, &pt, 1),
            &want["score"]["rouge1"],
        );
        check(
            id,
            "rouge2",
            &score::rouge_n(&tt, &pt, 2),
            &want["score"]["rouge2"],
        );
        check(
            id,
            "rougeL",
            &score::rouge_l(&tt, &pt),
            &want["score"]["rougeL"],
        );
        let sents = |s: &str| -> Vec<Vec<String>> {
            s.split('\n')
                .filter(|x| !x.is_empty())
                .map(score::tokenize)
                .collect()
        };
        check(
            id,
            "rougeLsum",
            &score::rouge_lsum(&sents(t), &sents(p)),
            &want["score"]["rougeLsum"],
        );
    }
}
