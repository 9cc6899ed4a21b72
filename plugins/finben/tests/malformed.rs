//! Malformed rows become `loaded::invalid` naming file, row and field, and
//! the other rows are still loaded; a whole-file problem names row 0.

use finben::FinBen;
use scorebox_sdk::testing::{self, data_file, label};
use scorebox_sdk::{DataFile, FileFormat};

fn load(files: Vec<DataFile>) -> Vec<String> {
    let (items, _) = testing::load::<FinBen>(files, &testing::options(&[])).unwrap();
    items.iter().map(label).collect()
}

#[test]
fn bad_rows_are_reported_and_the_rest_load() {
    let fpb = data_file(
        "flare-fpb/test.jsonl",
        FileFormat::Jsonl,
        &[
            r#"{"id":"a","query":"q","choices":["positive","negative"],"gold":1}"#,
            r#"{"id":"b","query":"q","choices":["positive","negative"],"gold":2}"#,
            r#"{"id":"c","choices":["positive"],"gold":0}"#,
            r#"{"id":"d","query":"q","choices":"positive","gold":0}"#,
            "{not json",
            r#"{"id":"a","query":"q","choices":["positive"],"gold":0}"#,
            r#"[1, 2]"#,
        ],
    );
    let sm = data_file(
        "flare-sm-acl/test.jsonl",
        FileFormat::Jsonl,
        &[
            r#"{"id":"s0","query":"q","choices":["Rise","Fall"],"gold":0}"#,
            r#"{"id":"s1","query":"q","choices":["Up","Down"],"gold":0}"#,
        ],
    );
    let ner = data_file(
        "flare-ner/test.jsonl",
        FileFormat::Jsonl,
        &[
            r#"{"id":"n0","query":"q","text":"Acme hired Bo","label":["B-ORG","O","B-PER"],"answer":"Acme, ORG"}"#,
            r#"{"id":"n1","query":"q","text":"Acme hired Bo","label":["B-ORG","O"],"answer":"Acme, ORG"}"#,
        ],
    );
    let seq = data_file(
        "finben-finer-ord/test.jsonl",
        FileFormat::Jsonl,
        &[
            r#"{"id":"f0","query":"q","token":["Acme","rose"],"label":["B-ORG","O"]}"#,
            r#"{"id":"f1","query":"q","token":["Acme","rose"],"label":["B-COMPANY","O"]}"#,
            r#"{"id":"f2","query":"q","token":["Acme"],"label":["B-ORG","O"]}"#,
        ],
    );
    let tsa = data_file(
        "flare-tsa/test.jsonl",
        FileFormat::Jsonl,
        &[
            r#"{"id":"t0","query":"q","answer":-0.5}"#,
            r#"{"id":"t1","query":"q","answer":"very good"}"#,
            r#"{"id":"t2","query":"q","answer":"0.25"}"#,
        ],
    );
    let got = load(vec![fpb, sm, ner, seq, tsa]);
    assert_eq!(
        got,
        [
            "a",
            "!flare-fpb/test.jsonl:1:gold",
            "!flare-fpb/test.jsonl:2:query",
            "!flare-fpb/test.jsonl:3:choices",
            "!flare-fpb/test.jsonl:4:",
            "!flare-fpb/test.jsonl:5:id",
            "!flare-fpb/test.jsonl:6:",
            "s0",
            "!flare-sm-acl/test.jsonl:1:choices",
            "n0",
            "!flare-ner/test.jsonl:1:label",
            "f0",
            "!finben-finer-ord/test.jsonl:1:label",
            "!finben-finer-ord/test.jsonl:2:label",
            "t0",
            "!flare-tsa/test.jsonl:1:answer",
            "t2",
        ]
    );
}

#[test]
fn a_broken_turn_drops_its_dialogue_only() {
    let conv = data_file(
        "flare-convfinqa/test.jsonl",
        FileFormat::Jsonl,
        &[
            r#"{"id":"c0","query":"q0? {x}","answer":"1","turn":0,"dialogue_id":0}"#,
            r#"{"id":"c1","query":"q0 {answer0} q1?","answer":"2","turn":1,"dialogue_id":0}"#,
            r#"{"id":"c2","query":"q0?","answer":"1","turn":0,"dialogue_id":1}"#,
            r#"{"id":"c3","query":"q0 {answer1} q1?","answer":"2","turn":1,"dialogue_id":1}"#,
            r#"{"id":"c4","query":"q0?","answer":"1","turn":0,"dialogue_id":2}"#,
            r#"{"id":"c5","query":"q2 {answer0}","answer":"3","turn":2,"dialogue_id":2}"#,
            r#"{"id":"c6","query":"q0?","answer":"1","turn":"zero","dialogue_id":3}"#,
        ],
    );
    let got = load(vec![conv]);
    assert_eq!(
        got,
        [
            "!flare-convfinqa/test.jsonl:3:query",
            "!flare-convfinqa/test.jsonl:6:turn",
            // Dialogue 0 (turn 0 keeps its literal braces) is fine.
            "c0",
            "!flare-convfinqa/test.jsonl:2:",
            "!flare-convfinqa/test.jsonl:4:turn",
            "!flare-convfinqa/test.jsonl:5:turn",
        ]
    );
}

#[test]
fn trading_rows_and_whole_files() {
    let trade = data_file(
        "fintrade/data/abc_test.jsonl",
        FileFormat::Jsonl,
        &[
            r#"{"id":"d0","date":"2021-01-04","price":{"ABC":10.0},"news":{"ABC":["x"]}}"#,
            r#"{"id":"d1","date":"2021-01-05","price":{"ABC":-1.0}}"#,
            r#"{"id":"d2","date":"2021-01-06","price":{"ABC":11.0,"XYZ":3.0}}"#,
            r#"{"id":"d3","date":"2021-01-07","price":{"ABC":10.5},"news":{"ABC":[7]}}"#,
            r#"{"id":"d4","date":"2021-01-08","price":{"ABC":10.8},"filing_k":{"FORM":"null"}}"#,
            r#"{"id":"e0","date":"2021-01-08","price":{"EFG":5.0}}"#,
        ],
    );
    let unknown = data_file(
        "misc/test.jsonl",
        FileFormat::Jsonl,
        &[r#"{"question":"x"}"#],
    );
    let headlines = data_file(
        "flare-headlines/test.jsonl",
        FileFormat::Jsonl,
        &[r#"{"id":"h"}"#],
    );
    let train = data_file("flare-fpb/train.jsonl", FileFormat::Jsonl, &["{bad"]);
    let got = load(vec![trade, unknown, headlines, train]);
    assert_eq!(
        got,
        [
            "!fintrade/data/abc_test.jsonl:1:price",
            "!fintrade/data/abc_test.jsonl:2:price",
            "!fintrade/data/abc_test.jsonl:3:news",
            "d0",
            "!fintrade/data/abc_test.jsonl:5:price",
            "!misc/test.jsonl:0:",
            "!flare-headlines/test.jsonl:0:",
        ]
    );
    let e = testing::load::<FinBen>(
        vec![data_file(
            "flare-fpb/train.jsonl",
            FileFormat::Jsonl,
            &["{}"],
        )],
        &testing::options(&[]),
    )
    .unwrap_err();
    assert!(e.message.contains("no FinBen test split"), "{}", e.message);
    let e = testing::load::<FinBen>(Vec::new(), &testing::options(&[("tasks", "flare_nope")]))
        .unwrap_err();
    assert!(
        e.message.contains("unknown task `flare_nope`"),
        "{}",
        e.message
    );
    let items = testing::load::<FinBen>(
        vec![data_file(
            "flare-fpb/test.jsonl",
            FileFormat::Jsonl,
            &[r#"{"id":"a","query":"q","choices":["x"],"gold":0}"#],
        )],
        &testing::options(&[("tasks", "flare_ner")]),
    );
    assert!(items.is_err(), "a filtered-out file leaves nothing to load");
}
