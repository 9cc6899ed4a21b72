//! Summarisation (`AbstractiveSummarization` and `ExtractiveSummarization`
//! in PIXIU's `flare.py`): ROUGE-1, ROUGE-2 and ROUGE-L F-measures of
//! Google's `rouge-score` (what `evaluate.load("rouge")` runs), per sample.
//!
//! Extractive (ECTSUM): the summary is the text's lines (`split("\n")`)
//! whose label is 1, joined with `"\n"`. Reference rule: the model's labels
//! are its answer's lines **as strings**, and `"1" == 1` is false in Python,
//! so every predicted summary is empty and scores 0 whatever the answer.
//! Corrected rule: a line reading `1` (trimmed) selects its sentence.

use scorebox_metrics::rouge;
use scorebox_sdk::pyunicode;

use crate::Mode;

/// ROUGE F-measures of one prediction against its reference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RougeF {
    /// ROUGE-1 F.
    pub rouge1: f64,
    /// ROUGE-2 F.
    pub rouge2: f64,
    /// ROUGE-L F.
    pub rouge_l: f64,
}

/// `RougeScorer(["rouge1", "rouge2", "rougeL"]).score(reference, prediction)`'s F-measures.
pub fn rouge(reference: &str, prediction: &str) -> RougeF {
    let t = rouge::tokenize(reference);
    let p = rouge::tokenize(prediction);
    RougeF {
        rouge1: rouge::rouge_n(&t, &p, 1).fmeasure,
        rouge2: rouge::rouge_n(&t, &p, 2).fmeasure,
        rouge_l: rouge::rouge_l(&t, &p).fmeasure,
    }
}

/// `get_sum`: the text's lines whose label selects them, joined with `"\n"`.
pub fn selected(text: &str, selects: impl Fn(usize) -> bool) -> String {
    text.split('\n')
        .enumerate()
        .filter(|(i, _)| selects(*i))
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The gold extractive summary: lines whose label is 1.
pub fn gold_summary(text: &str, labels: &[i64]) -> String {
    selected(text, |i| labels.get(i) == Some(&1))
}

/// The predicted extractive summary for an answer of per-line labels.
pub fn predicted_summary(text: &str, answer: &str, mode: Mode) -> String {
    match mode {
        // A string label never equals the integer 1.
        Mode::Reference => String::new(),
        Mode::Corrected => {
            let picks: Vec<bool> = answer
                .split('\n')
                .map(|l| pyunicode::strip(l) == "1")
                .collect();
            selected(text, |i| picks.get(i).copied().unwrap_or(false))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extractive_summaries() {
        let text = "Revenue rose.\nCosts fell.\nWeather was fine.";
        assert_eq!(
            gold_summary(text, &[1, 0, 1]),
            "Revenue rose.\nWeather was fine."
        );
        assert_eq!(gold_summary(text, &[0, 1]), "Costs fell.");
        assert_eq!(predicted_summary(text, "1\n0\n1", Mode::Reference), "");
        assert_eq!(
            predicted_summary(text, "1\n0\n 1 ", Mode::Corrected),
            "Revenue rose.\nWeather was fine."
        );
        let r = rouge("Revenue rose", "");
        assert_eq!((r.rouge1, r.rouge2, r.rouge_l), (0.0, 0.0, 0.0));
        assert_eq!(
            rouge("Revenue rose sharply", "revenue rose sharply").rouge2,
            1.0
        );
    }
}
