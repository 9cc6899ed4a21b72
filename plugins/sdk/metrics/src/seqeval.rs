//! Entity-level precision, recall and F1 of BIO-tagged sequences as the
//! `seqeval` package computes them by default (`seqeval.metrics.f1_score`
//! with `mode=None`: conlleval-compatible chunking, micro average), checked
//! against `seqeval==1.2.2` by the FinBen plugin's fidelity corpus.
//!
//! * Chunks ([`entities`]): each tag's first character is its kind (`B`,
//!   `I`, `E`, `S`, `O`, ...) and its type is what follows the first `-` of
//!   the rest (`B-PER` → `PER`, `B-GPE-X` → `GPE-X`, `PER` → `ER`; empty
//!   becomes `_`). A chunk ends and starts by conlleval's rules: `I-X` after
//!   `O` (or after another type) starts a new chunk, a type change ends one.
//! * The sentences are joined with an `O` after each, so a chunk never spans
//!   two sentences, and an entity is `(type, start, end)` in the joined list.
//! * Micro average: true positives are the entities (type and span) found in
//!   both; `P = tp / predicted`, `R = tp / true` (0 when the denominator is
//!   0), `F1 = 2·P·R / (P + R)` (0 when both are 0).

use std::collections::BTreeSet;

/// One chunk: its type and first and last position (inclusive).
pub type Entity = (String, usize, usize);

fn kind_and_type(tag: &str) -> (char, String) {
    let mut chars = tag.chars();
    let kind = chars.next().unwrap_or('O');
    let rest = chars.as_str();
    let ty = match rest.split_once('-') {
        Some((_, after)) => after,
        None => rest,
    };
    let ty = if ty.is_empty() { "_" } else { ty };
    (kind, ty.to_string())
}

fn end_of_chunk(prev_tag: char, tag: char, prev_type: &str, ty: &str) -> bool {
    matches!(prev_tag, 'E' | 'S')
        || (prev_tag == 'B' && matches!(tag, 'B' | 'S' | 'O'))
        || (prev_tag == 'I' && matches!(tag, 'B' | 'S' | 'O'))
        || (prev_tag != 'O' && prev_tag != '.' && prev_type != ty)
}

fn start_of_chunk(prev_tag: char, tag: char, prev_type: &str, ty: &str) -> bool {
    matches!(tag, 'B' | 'S')
        || (prev_tag == 'E' && matches!(tag, 'E' | 'I'))
        || (prev_tag == 'S' && matches!(tag, 'E' | 'I'))
        || (prev_tag == 'O' && matches!(tag, 'E' | 'I'))
        || (tag != 'O' && tag != '.' && prev_type != ty)
}

/// `seqeval.metrics.sequence_labeling.get_entities` of one flat tag list.
pub fn entities<S: AsRef<str>>(tags: &[S]) -> Vec<Entity> {
    let mut chunks = Vec::new();
    let mut prev_tag = 'O';
    let mut prev_type = String::new();
    let mut begin = 0;
    // The list is read with an `O` appended, which closes a final chunk.
    let padded = tags
        .iter()
        .map(|t| kind_and_type(t.as_ref()))
        .chain(std::iter::once(('O', "_".to_string())));
    for (i, (tag, ty)) in padded.enumerate() {
        if end_of_chunk(prev_tag, tag, &prev_type, &ty) {
            chunks.push((prev_type.clone(), begin, i.wrapping_sub(1)));
        }
        if start_of_chunk(prev_tag, tag, &prev_type, &ty) {
            begin = i;
        }
        prev_tag = tag;
        prev_type = ty;
    }
    chunks
}

/// The entities of several sentences, joined as seqeval joins nested lists
/// (an `O` after each sentence).
pub fn entities_of_sentences<S: AsRef<str>>(sentences: &[Vec<S>]) -> BTreeSet<Entity> {
    let mut flat: Vec<&str> = Vec::new();
    for s in sentences {
        flat.extend(s.iter().map(AsRef::as_ref));
        flat.push("O");
    }
    entities(&flat).into_iter().collect()
}

/// Micro-averaged entity scores.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// Correct entities over predicted ones.
    pub precision: f64,
    /// Correct entities over true ones.
    pub recall: f64,
    /// Their harmonic mean.
    pub f1: f64,
    /// Entities in the truth.
    pub support: usize,
}

/// `seqeval.metrics.precision_recall_fscore_support(y_true, y_pred,
/// average="micro")` (and so `f1_score(y_true, y_pred)`).
///
/// # Errors
/// As seqeval's `check_consistent_length`: the sentence counts or any
/// sentence's lengths differ (the message names the first that does).
pub fn micro_scores<S: AsRef<str>, T: AsRef<str>>(
    y_true: &[Vec<S>],
    y_pred: &[Vec<T>],
) -> Result<Scores, String> {
    if y_true.len() != y_pred.len() {
        return Err(format!(
            "{} true sentences but {} predicted",
            y_true.len(),
            y_pred.len()
        ));
    }
    for (i, (t, p)) in y_true.iter().zip(y_pred).enumerate() {
        if t.len() != p.len() {
            return Err(format!(
                "sentence {i} has {} true tags but {} predicted",
                t.len(),
                p.len()
            ));
        }
    }
    let truth = entities_of_sentences(y_true);
    let pred = entities_of_sentences(y_pred);
    let tp = truth.intersection(&pred).count();
    let ratio = |num: usize, den: usize| {
        if den == 0 {
            0.0
        } else {
            num as f64 / den as f64
        }
    };
    let precision = ratio(tp, pred.len());
    let recall = ratio(tp, truth.len());
    let denom = precision + recall;
    let f1 = if denom == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / denom
    };
    Ok(Scores {
        precision,
        recall,
        f1,
        support: truth.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn chunks_as_seqeval() {
        // seqeval docs: ['B-PER', 'I-PER', 'O', 'B-LOC'] → [('PER',0,1), ('LOC',3,3)]
        assert_eq!(
            entities(&["B-PER", "I-PER", "O", "B-LOC"]),
            [("PER".to_string(), 0, 1), ("LOC".to_string(), 3, 3)]
        );
        // An I- after O starts its own chunk; a type change ends one.
        assert_eq!(
            entities(&["O", "I-ORG", "I-ORG", "I-LOC"]),
            [("ORG".to_string(), 1, 2), ("LOC".to_string(), 3, 3)]
        );
        // A trailing space makes another type.
        assert_eq!(entities(&["B-PER "]), [("PER ".to_string(), 0, 0)]);
        assert!(entities::<&str>(&[]).is_empty());
    }

    #[test]
    fn micro_f1_as_seqeval() {
        // seqeval docs: f1_score(average='micro') = 0.6666666666666666
        let t = vec![
            v(&["O", "O", "B-MISC", "I-MISC", "B-MISC", "O", "O"]),
            v(&["B-PER", "I-PER", "O"]),
        ];
        let p = vec![
            v(&["O", "O", "B-MISC", "I-MISC", "B-MISC", "I-MISC", "O"]),
            v(&["B-PER", "I-PER", "O"]),
        ];
        let s = micro_scores(&t, &p).unwrap();
        assert_eq!(s.f1, 0.6666666666666666);
        assert_eq!(s.support, 3);
        // Nothing anywhere: 0.
        assert_eq!(micro_scores(&[v(&["O"])], &[v(&["O"])]).unwrap().f1, 0.0);
        assert!(micro_scores(&[v(&["O"])], &[v(&["O", "O"])]).is_err());
        assert!(micro_scores(&[v(&["O"])], &Vec::<Vec<String>>::new()).is_err());
    }
}
