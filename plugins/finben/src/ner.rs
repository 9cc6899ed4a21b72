//! NER answers to BIO tags (`NER.process_results` → `process_text` in
//! PIXIU's `src/tasks/utils.py`).
//!
//! Reference rule, in code points like Python:
//! * the answer is split on `"\n"`; each line on `", "`: the last piece is
//!   the type, the others re-joined with `", "` the entity (a line without
//!   `", "` has an empty entity and is skipped);
//! * the text's words are `text.split()`, and word *i* is assumed to start
//!   at `sum(len(word) + 1)` of the words before it (single spaces);
//! * every occurrence of the entity (case-sensitive `str.find`, the next
//!   search starting after the match) labels from the first word starting
//!   at or after the match (`B-TYPE`) up to, not including, the first word
//!   starting after its last character (`I-TYPE`); when no word starts
//!   after it (the entity ends the text) the occurrence labels nothing;
//!   later lines overwrite earlier labels.
//!
//! Corrected rule: the line is split at its last comma, entity and type
//! trimmed and the type upper-cased; word positions are the real ones; an
//! occurrence counts only when it starts at a word's start and ends at a
//! word's end, and it labels exactly those words (the last word included).

use scorebox_sdk::pyunicode;

use crate::Mode;

/// Python's `text.split()`: the whitespace-separated words, each with its
/// start and end (exclusive) in code points.
pub fn words(text: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.iter().enumerate() {
        if pyunicode::is_space(*c) {
            if let Some(s) = start.take() {
                out.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Python's `hay.find(needle, from)` in code points (`None` for -1).
pub fn find_from(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    if from > hay.len() {
        return None;
    }
    if needle.is_empty() {
        return Some(from);
    }
    if needle.len() > hay.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

/// The `(entity, type)` pairs of an answer.
pub fn entity_lines(answer: &str, mode: Mode) -> Vec<(String, String)> {
    answer
        .split('\n')
        .filter_map(|line| match mode {
            Mode::Reference => {
                let parts: Vec<&str> = line.split(", ").collect();
                let ty = parts[parts.len() - 1].to_string();
                Some((parts[..parts.len() - 1].join(", "), ty))
            }
            Mode::Corrected => {
                let (entity, ty) = line.rsplit_once(',')?;
                Some((
                    pyunicode::strip(entity).to_string(),
                    pyunicode::strip(ty).to_uppercase(),
                ))
            }
        })
        .collect()
}

/// The BIO tags of `text`'s words for a model's `answer`.
pub fn tags(answer: &str, text: &str, mode: Mode) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let spans = words(&chars);
    let mut labels = vec!["O".to_string(); spans.len()];
    // The reference's assumed word starts: 0, then + len(word) + 1.
    let mut assumed = vec![0usize];
    for (s, e) in spans.iter().take(spans.len().saturating_sub(1)) {
        let last = *assumed.last().unwrap_or(&0);
        assumed.push(last + (e - s) + 1);
    }
    for (entity, ty) in entity_lines(answer, mode) {
        let needle: Vec<char> = entity.chars().collect();
        if needle.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(start) = find_from(&chars, &needle, from) {
            let end = start + needle.len() - 1;
            match mode {
                Mode::Reference => {
                    let first = assumed.iter().position(|&ind| ind >= start);
                    let stop = assumed.iter().position(|&ind| ind > end);
                    if let (Some(first), Some(stop)) = (first, stop)
                        && first < labels.len()
                    {
                        labels[first] = format!("B-{ty}");
                        for label in labels.iter_mut().take(stop).skip(first + 1) {
                            *label = format!("I-{ty}");
                        }
                    }
                }
                Mode::Corrected => {
                    let first = spans.iter().position(|(s, _)| *s == start);
                    let last = spans.iter().position(|(_, e)| *e == end + 1);
                    if let (Some(first), Some(last)) = (first, last)
                        && first <= last
                    {
                        labels[first] = format!("B-{ty}");
                        for label in labels.iter_mut().take(last + 1).skip(first + 1) {
                            *label = format!("I-{ty}");
                        }
                    }
                }
            }
            from = end + 1;
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(answer: &str, text: &str, mode: Mode) -> Vec<String> {
        tags(answer, text, mode)
    }

    #[test]
    fn reference_quirks() {
        let text = "Shares of Harlow Bancorp rose in Boston today";
        assert_eq!(
            t("Harlow Bancorp, ORG\nBoston, LOC", text, Mode::Reference),
            ["O", "O", "B-ORG", "I-ORG", "O", "O", "B-LOC", "O"]
        );
        // A match inside a word labels the next word.
        assert_eq!(
            t("arlow Bancorp, ORG", text, Mode::Reference),
            ["O", "O", "O", "B-ORG", "O", "O", "O", "O"]
        );
        // An entity that ends the text labels nothing.
        assert_eq!(t("today, DATE", text, Mode::Reference)[7], "O");
        // No ", " separator: skipped; "Smith, John, PER" keeps its comma.
        assert_eq!(t("Boston,LOC", text, Mode::Reference)[6], "O");
        assert_eq!(
            t("Smith, John, PER", "Met Smith, John here", Mode::Reference),
            ["O", "B-PER", "I-PER", "O"]
        );
        // A trailing space stays in the type.
        assert_eq!(t("Boston, LOC ", text, Mode::Reference)[6], "B-LOC ");
    }

    #[test]
    fn corrected_aligns_to_words() {
        let text = "Shares of Harlow Bancorp rose in Boston today";
        assert_eq!(t("arlow Bancorp, ORG", text, Mode::Corrected)[3], "O");
        assert_eq!(t("today, date", text, Mode::Corrected)[7], "B-DATE");
        assert_eq!(t("Boston,LOC", text, Mode::Corrected)[6], "B-LOC");
        // Double spaces do not shift positions.
        assert_eq!(
            t(
                "Harlow Bancorp, ORG",
                "Shares  of Harlow Bancorp",
                Mode::Corrected
            ),
            ["O", "O", "B-ORG", "I-ORG"]
        );
    }

    #[test]
    fn split_and_find_as_python() {
        let c: Vec<char> = " a  bc\td ".chars().collect();
        assert_eq!(words(&c), [(1, 2), (4, 6), (7, 8)]);
        assert_eq!(find_from(&c, &['b'], 0), Some(4));
        assert_eq!(find_from(&c, &['b'], 5), None);
        assert!(words(&[]).is_empty());
    }
}
