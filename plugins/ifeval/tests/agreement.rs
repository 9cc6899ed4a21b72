//! Agreement of the ports with the Python libraries the reference calls, on
//! `fidelity/texts.json` (520 texts in the 30 IFEval languages, cased, cut,
//! mixed, plus edge cases) against `fidelity/golden_texts.json`:
//! `langdetect.detect` (seed 0), the punkt sentences, `nltk.word_tokenize`
//! and `count_words`. Prints the rates and every disagreement; fails if a
//! rate drops below the one documented in the README.

use ifeval::{instructions, langdetect, punkt, treebank};
use scorebox_sdk::testing;
use serde_json::Value;

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn ports_agree_with_the_python_libraries() {
    let texts = read("texts.json");
    let golden = read("golden_texts.json");
    let texts = texts.as_array().unwrap();
    let golden = golden["texts"].as_array().unwrap();
    assert_eq!(texts.len(), golden.len());
    let (mut lang, mut sents, mut words, mut counts, mut unstable) = (0, 0, 0, 0, 0);
    let mut report = Vec::new();
    for (t, g) in texts.iter().zip(golden) {
        let t = t.as_str().unwrap();
        let got_lang = langdetect::detect(t).ok();
        if got_lang == g["lang"].as_str() {
            lang += 1;
        } else {
            report.push(format!("langdetect {got_lang:?} vs {} on {t:?}", g["lang"]));
        }
        if g["unseeded"].as_array().unwrap().len() > 1 {
            unstable += 1;
        }
        let want: Vec<&str> = g["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        if punkt::sent_tokenize(t) == want {
            sents += 1;
        } else {
            report.push(format!(
                "sentences {:?} vs {want:?}",
                punkt::sent_tokenize(t)
            ));
        }
        let want: Vec<&str> = g["words"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        if treebank::word_tokenize(t) == want {
            words += 1;
        } else {
            report.push(format!(
                "word_tokenize {:?} vs {want:?}",
                treebank::word_tokenize(t)
            ));
        }
        if instructions::count_words(t) as u64 == g["count_words"].as_u64().unwrap() {
            counts += 1;
        } else {
            report.push(format!(
                "count_words {} vs {} on {t:?}",
                instructions::count_words(t),
                g["count_words"]
            ));
        }
    }
    let n = texts.len();
    println!(
        "{n} texts: langdetect {lang}, sentences {sents}, word_tokenize {words}, count_words {counts} agree; \
         unseeded langdetect unstable on {unstable}"
    );
    for r in &report {
        println!("{r}");
    }
    assert_eq!(
        (lang, sents, words, counts),
        (n, n, n, n),
        "disagreements:\n{}",
        report.join("\n")
    );
}
