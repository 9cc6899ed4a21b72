//! Chinese segmentation against Python jieba 0.42.1 on our sentence corpus
//! (`fidelity/jieba/`, golden output from `fidelity/make_golden_jieba.py`).

use scorebox_jieba::Jieba;
use scorebox_sdk::testing::read_json;

#[test]
fn segmentation_agrees_with_python_jieba() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fidelity/jieba");
    let sentences = read_json(format!("{dir}/sentences.json"));
    let golden = read_json(format!("{dir}/golden.json"));
    let sentences: Vec<&str> = sentences
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let cuts = golden["cuts"].as_array().unwrap();
    assert_eq!(sentences.len(), cuts.len());
    assert!(sentences.len() >= 300);
    let jieba = Jieba::global();
    let mut disagreements = Vec::new();
    for (s, want) in sentences.iter().zip(cuts) {
        let want: Vec<&str> = want
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        let got = jieba.cut(s);
        assert_eq!(got.concat(), *s, "the words must rebuild the sentence");
        if got != want {
            disagreements.push(format!("{s:?}\n  python: {want:?}\n  ours:   {got:?}"));
        }
    }
    // The README reports this rate; every disagreement would be listed there.
    assert!(
        disagreements.is_empty(),
        "{} of {} sentences differ:\n{}",
        disagreements.len(),
        sentences.len(),
        disagreements.join("\n")
    );
}
