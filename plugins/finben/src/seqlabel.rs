//! Sequential-labelling answers (`SequentialLabeling.process_result` and
//! `process_label_result` in PIXIU's `flare.py`).
//!
//! Reference rule: the answer's first `len(tokens)` lines (split on `"\n"`)
//! are read by position; line *i* counts when it splits on `":"` into
//! exactly two pieces `word:label` with `word == tokens[i]` (no trimming).
//! For the entity F1 the label must be in the dataset's label map, anything
//! else is `O`; for the label F1 it is the label's id, `-1` when unknown,
//! and a token with no valid line is `-1` too (so a left-out `O` counts as
//! wrong there, but not in the entity F1).
//!
//! Corrected rule: the line splits at its last `":"` (tokens such as `10:30`
//! can be labelled) and word and label are trimmed.

use scorebox_sdk::pyunicode;

use crate::Mode;
use crate::tasks::label_id;

/// The label each token received from the answer (`None`: no valid line).
pub fn line_labels(answer: &str, tokens: &[String], mode: Mode) -> Vec<Option<String>> {
    let mut out = vec![None; tokens.len()];
    for (i, line) in answer.split('\n').take(tokens.len()).enumerate() {
        let pair = match mode {
            Mode::Reference => {
                let parts: Vec<&str> = line.split(':').collect();
                (parts.len() == 2).then(|| (parts[0], parts[1]))
            }
            Mode::Corrected => line
                .rsplit_once(':')
                .map(|(w, l)| (pyunicode::strip(w), pyunicode::strip(l))),
        };
        if let Some((word, label)) = pair
            && word == tokens[i]
        {
            out[i] = Some(label.to_string());
        }
    }
    out
}

/// The tags for seqeval: a known label, else `O`.
pub fn entity_tags(labels: &[Option<String>], map: &[(&str, i64)]) -> Vec<String> {
    labels
        .iter()
        .map(|l| match l {
            Some(l) if label_id(map, l).is_some() => l.clone(),
            _ => "O".to_string(),
        })
        .collect()
}

/// The ids for the label F1: the label's id, else -1.
pub fn label_ids(labels: &[Option<String>], map: &[(&str, i64)]) -> Vec<i64> {
    labels
        .iter()
        .map(|l| l.as_deref().and_then(|l| label_id(map, l)).unwrap_or(-1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::FINER_ORD;

    #[test]
    fn positional_lines() {
        let tokens: Vec<String> = ["Apple", "hired", "Tim", "10:30"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let answer = "Apple:B-ORG\nhired: O\nTim:B-PER\n10:30:O\nextra:O";
        let r = line_labels(answer, &tokens, Mode::Reference);
        assert_eq!(
            r,
            [
                Some("B-ORG".into()),
                Some(" O".into()),
                Some("B-PER".into()),
                None
            ]
        );
        assert_eq!(entity_tags(&r, FINER_ORD), ["B-ORG", "O", "B-PER", "O"]);
        assert_eq!(label_ids(&r, FINER_ORD), [5, -1, 1, -1]);
        let c = line_labels(answer, &tokens, Mode::Corrected);
        assert_eq!(c[1].as_deref(), Some("O"));
        assert_eq!(c[3].as_deref(), Some("O"));
        // A line out of place does not count.
        let r = line_labels("hired:O\nApple:B-ORG", &tokens, Mode::Reference);
        assert_eq!(r, [None, None, None, None]);
    }
}
