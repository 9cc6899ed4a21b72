//! The prompts of lm-evaluation-harness's SuperGLUE tasks: the
//! `super-glue-lm-eval-v1` contexts and continuations (log-likelihood) and
//! the `super-glue-t5-prompt` inputs and references (generative), with
//! Python's string semantics (code-point slicing, `str.split`, `str.strip`).

use scorebox_sdk::pyliteral::literal_eval_str_list;
use scorebox_sdk::pyunicode;

use crate::Mode;
use crate::row::Row;

/// `items[index]` with Python's negative indices.
pub fn py_index<T: Copy>(items: &[T], index: i64) -> Option<T> {
    let n = items.len() as i64;
    let i = if index < 0 { index + n } else { index };
    (0..n).contains(&i).then(|| items[i as usize])
}

/// Python's `s[start:end]` over code points (negative and out-of-range
/// bounds clamp as Python's do).
pub fn py_slice(chars: &[char], start: i64, end: i64) -> String {
    let n = chars.len() as i64;
    let clamp = |i: i64| -> usize {
        let i = if i < 0 { (i + n).max(0) } else { i.min(n) };
        i as usize
    };
    let (a, b) = (clamp(start), clamp(end));
    if a >= b {
        String::new()
    } else {
        chars[a..b].iter().collect()
    }
}

/// Python's `s.lower()` of the first character, the rest unchanged
/// (COPA's `convert_choice`; the caller guarantees `s` is not empty).
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => pyunicode::lower(&c.to_string()) + chars.as_str(),
        None => String::new(),
    }
}

/// lm-eval's `general_detokenize`: ` n't` → `n't`, ` )` → `)`, `( ` → `(`,
/// `" ` → `"`, ` "` → `"`, then ` '`, ` .`, ` ,` lose their space.
pub fn general_detokenize(s: &str) -> String {
    let s = s
        .replace(" n't", "n't")
        .replace(" )", ")")
        .replace("( ", "(")
        .replace("\" ", "\"")
        .replace(" \"", "\"");
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' && matches!(chars.get(i + 1), Some('\'' | '.' | ',')) {
            out.push(chars[i + 1]);
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A log-likelihood query: the context, the continuations (target delimiter
/// `" "` included) and the gold continuation's index.
#[derive(Clone, Debug, PartialEq)]
pub struct ChooseQuery {
    /// Raw prompt.
    pub context: String,
    /// Continuations, each with its leading space.
    pub continuations: Vec<String>,
    /// Index of the gold continuation (lm-eval's `gold`).
    pub gold: usize,
    /// Something the reference would do differently or fail on.
    pub note: Option<String>,
}

/// ReCoRD's entities as lm-eval's `process_docs` makes them: `sorted(set(...))`.
pub fn sorted_unique(items: &[String]) -> Vec<String> {
    let set: std::collections::BTreeSet<&String> = items.iter().collect();
    set.into_iter().cloned().collect()
}

/// lm-eval ReCoRD `doc_to_text`: the passage (stripped) up to its first
/// `\n@highlight\n`, a blank line, then `  - {highlight}.\n` per highlight.
pub fn record_context(passage: &str) -> String {
    let mut parts = pyunicode::strip(passage).split("\n@highlight\n");
    let mut text = parts.next().unwrap_or("").to_string();
    text.push_str("\n\n");
    for h in parts {
        text.push_str("  - ");
        text.push_str(h);
        text.push_str(".\n");
    }
    text
}

/// lm-eval ReCoRD `format_answer`: `"  - {query}"` with every `@placeholder`
/// replaced by the entity.
pub fn record_answer(query: &str, entity: &str) -> String {
    format!("  - {query}").replace("@placeholder", entity)
}

/// lm-eval WSC `default_doc_to_text`.
pub fn wsc_context(text: &str, span2_index: i64, span1_text: &str, span2_text: &str) -> String {
    let words: Vec<&str> = text
        .split(pyunicode::is_space)
        .filter(|w| !w.is_empty())
        .collect();
    // `raw_passage.split()[:span2_index]`
    let n = words.len() as i64;
    let end = if span2_index < 0 {
        (span2_index + n).max(0)
    } else {
        span2_index.min(n)
    } as usize;
    let pre = words[..end].join(" ");
    let chars: Vec<char> = text.chars().collect();
    let cut = pre.chars().count() as i64 + span2_text.chars().count() as i64 + 1;
    let post = py_slice(&chars, cut, i64::MAX);
    let passage = general_detokenize(&format!("{pre} *{span2_text}*{post}"));
    format!(
        "Passage: {passage}\nQuestion: In the passage above, does the pronoun \"*{span2_text}*\" refer to \"*{span1_text}*\"?\nAnswer:"
    )
}

/// The log-likelihood query of a row (lm-eval `super-glue-lm-eval-v1`).
/// In `Mode::Corrected`, MultiRC's choices are built as plain text and the
/// `yes` continuation is the gold one for a correct answer option.
pub fn choose_query(row: &Row, mode: Mode) -> ChooseQuery {
    let with_space =
        |choices: &[&str]| -> Vec<String> { choices.iter().map(|c| format!(" {c}")).collect() };
    let plain = |context: String, choices: &[&str], gold: u8| ChooseQuery {
        context,
        continuations: with_space(choices),
        gold: gold as usize,
        note: None,
    };
    match row {
        Row::Boolq {
            question,
            passage,
            label,
        } => plain(
            format!("{passage}\nQuestion: {question}?\nAnswer:"),
            &["no", "yes"],
            *label,
        ),
        Row::Cb {
            premise,
            hypothesis,
            label,
        } => plain(
            format!("{premise}\nQuestion: {hypothesis}. True, False, or Neither?\nAnswer:"),
            &["True", "False", "Neither"],
            *label,
        ),
        Row::Copa {
            premise,
            choice1,
            choice2,
            question,
            label,
        } => {
            let connector = if question == "cause" {
                "because"
            } else {
                "therefore"
            };
            let stripped: Vec<char> = pyunicode::strip(premise).chars().collect();
            let head: String = stripped[..stripped.len().saturating_sub(1)]
                .iter()
                .collect();
            let choices = [
                format!(" {}", lower_first(choice1)),
                format!(" {}", lower_first(choice2)),
            ];
            let target = if *label == 0 {
                &choices[0]
            } else {
                &choices[1]
            };
            // `choices.index(target)`: the first equal choice.
            let gold = choices.iter().position(|c| c == target).unwrap_or(0);
            ChooseQuery {
                context: format!("{head} {connector}"),
                continuations: choices.iter().map(|c| format!(" {c}")).collect(),
                gold,
                note: None,
            }
        }
        Row::Multirc {
            paragraph,
            question,
            answer,
            label,
            ..
        } => {
            let context = format!("{paragraph}\nQuestion: {question}\nAnswer:");
            let plain_choices = [
                format!("{answer}\nIs the answer correct? yes"),
                format!("{answer}\nIs the answer correct? no"),
            ];
            match mode {
                Mode::Reference => {
                    // lm-eval renders a Python list literal and `ast.literal_eval`s it.
                    let literal = format!(
                        "['''{answer}\\nIs the answer correct? yes''', '''{answer}\\nIs the answer correct? no''']"
                    );
                    let (choices, note) = match literal_eval_str_list(&literal) {
                        Ok(c) if c.len() == 2 => (c, None),
                        Ok(_) | Err(_) => (
                            plain_choices.to_vec(),
                            Some(
                                "lm-eval's choice literal does not parse for this answer (it stops \
                                 with a SyntaxError); plain choices used"
                                    .to_string(),
                            ),
                        ),
                    };
                    ChooseQuery {
                        context,
                        continuations: choices.iter().map(|c| format!(" {c}")).collect(),
                        // lm-eval: target index = label, so label 1 is the `no` choice.
                        gold: *label as usize,
                        note,
                    }
                }
                Mode::Corrected => ChooseQuery {
                    context,
                    continuations: plain_choices.iter().map(|c| format!(" {c}")).collect(),
                    gold: 1 - *label as usize,
                    note: None,
                },
            }
        }
        Row::Record {
            passage,
            query,
            entities,
            answers,
            ..
        } => {
            let entities = sorted_unique(entities);
            let answers = sorted_unique(answers);
            let gold = best_entity(&entities, &answers);
            ChooseQuery {
                context: record_context(passage),
                continuations: entities
                    .iter()
                    .map(|e| format!(" {}", record_answer(query, e)))
                    .collect(),
                gold,
                note: None,
            }
        }
        Row::Rte {
            premise,
            hypothesis,
            label,
        } => plain(
            format!("{premise}\nQuestion: {hypothesis} True or False?\nAnswer:"),
            &["True", "False"],
            *label,
        ),
        Row::Wic {
            sentence1,
            sentence2,
            start1,
            end1,
            label,
            ..
        } => {
            let chars: Vec<char> = sentence1.chars().collect();
            let word = py_slice(&chars, *start1, *end1);
            plain(
                format!(
                    "Sentence 1: {sentence1}\nSentence 2: {sentence2}\nQuestion: Is the word '{word}' used in the same way in the two sentences above?\nAnswer:"
                ),
                &["no", "yes"],
                *label,
            )
        }
        Row::Wsc {
            text,
            span2_index,
            span1_text,
            span2_text,
            label,
            ..
        } => plain(
            wsc_context(text, *span2_index, span1_text, span2_text),
            &["no", "yes"],
            *label,
        ),
    }
}

/// The entity a perfect model picks: the first (sorted) entity that is a
/// gold answer, else the one with the best exact match, then F1.
pub fn best_entity(entities: &[String], answers: &[String]) -> usize {
    if let Some(i) = entities.iter().position(|e| answers.contains(e)) {
        return i;
    }
    let score = |e: &String| {
        let em = scorebox_metrics::squad::max_over_golds(
            |p, g| f64::from(u8::from(scorebox_metrics::squad::exact(p, g))),
            e,
            answers,
        )
        .unwrap_or(0.0);
        let f1 = scorebox_metrics::squad::max_over_golds(
            scorebox_metrics::squad::f1_official,
            e,
            answers,
        )
        .unwrap_or(0.0);
        (em, f1)
    };
    let mut best = 0;
    for (i, e) in entities.iter().enumerate() {
        if score(e) > score(&entities[best]) {
            best = i;
        }
    }
    best
}

/// lm-eval t5 ReCoRD `doc_to_text`.
pub fn record_t5_input(passage: &str, query: &str, entities: &[String]) -> String {
    const SEP: &str = "\n@highlight\n";
    // re.sub(r"(\.|\?|\!|\"|\')\n@highlight\n", r"\1 ", passage)
    let mut first = String::with_capacity(passage.len());
    let mut rest = passage;
    while let Some(at) = rest.find(SEP) {
        let before = &rest[..at];
        if before.ends_with(['.', '?', '!', '"', '\'']) {
            first.push_str(before);
            first.push(' ');
        } else {
            first.push_str(before);
            first.push_str(SEP);
        }
        rest = &rest[at + SEP.len()..];
    }
    first.push_str(rest);
    // re.sub(r"\n@highlight\n", ". ", passage)
    let passage = first.replace(SEP, ". ");
    [
        "record query:",
        query,
        "entities:",
        &entities.join(", "),
        "passage:",
        &passage,
    ]
    .join(" ")
}

/// FNV-1a (64-bit) of a text, to recognise the two WSC texts lm-eval's t5
/// task special-cases without storing them.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// lm-eval t5 WSC `_wsc_inputs`: the text's `" "`-separated words with the
/// pronoun's word replaced by `X`. `Err` where lm-eval's assertions stop it
/// (pronoun index ≤ 0 or past the words); `Ok((input, note))` with a note
/// when only its `words[i] == span2_text` assertion would fail (we go on).
pub fn wsc_t5_inputs(
    text: &str,
    span2_index: i64,
    span2_text: &str,
) -> Result<(String, Option<String>), String> {
    let words: Vec<&str> = text.split(' ').collect();
    if span2_index <= 0 || span2_index >= words.len() as i64 {
        return Err(format!(
            "lm-eval's t5 WSC input asserts 0 < span2_index < {} words, found {span2_index}",
            words.len()
        ));
    }
    let i = span2_index as usize;
    // Two texts of the dataset lm-eval rewrites by hand.
    match fnv1a(text) {
        0xc0f1_1254_f13a_c509 if words.len() > 22 => {
            let mut w: Vec<String> = words.iter().map(|s| s.to_string()).collect();
            w[22] = "X ,\"".into();
            return Ok((pyunicode::rstrip(&w.join(" ")).to_string(), None));
        }
        0x6d80_2fb8_0d64_c285 if words.len() > 31 => {
            let mut w: Vec<String> = words.iter().map(|s| s.to_string()).collect();
            w[31] = "X".into();
            return Ok((w.join(" "), None));
        }
        _ => {}
    }
    let note = (words[i] != span2_text).then(|| {
        format!(
            "lm-eval asserts the word at span2_index ({:?}) is span2_text ({span2_text:?}) and stops; replaced anyway",
            words[i]
        )
    });
    let input = [
        words[..i].join(" "),
        "X".to_string(),
        words[i + 1..].join(" "),
    ]
    .join(" ");
    Ok((input, note))
}

/// The t5-prompt input of a row (the whole user message).
///
/// # Errors
/// When lm-eval cannot build it (WSC: see [`wsc_t5_inputs`]).
pub fn t5_input(row: &Row) -> Result<(String, Option<String>), String> {
    Ok((
        match row {
            Row::Boolq {
                question, passage, ..
            } => format!("boolq passage: {passage} question: {question}"),
            Row::Cb {
                premise,
                hypothesis,
                ..
            } => format!("cb hypothesis: {hypothesis} premise: {premise}"),
            Row::Copa {
                premise,
                choice1,
                choice2,
                question,
                ..
            } => format!(
                "copa choice1: {choice1} choice2: {choice2} premise: {premise} question: {question}"
            ),
            Row::Multirc {
                paragraph,
                question,
                answer,
                ..
            } => format!("multirc question: {question} answer: {answer} paragraph: {paragraph}"),
            Row::Record {
                passage,
                query,
                entities,
                ..
            } => record_t5_input(passage, query, entities),
            Row::Rte {
                premise,
                hypothesis,
                ..
            } => format!("rte hypothesis: {hypothesis} premise: {premise}"),
            Row::Wic {
                word,
                sentence1,
                sentence2,
                ..
            } => format!("wic sentence1: {sentence1} sentence2: {sentence2} word: {word}"),
            Row::Wsc {
                text,
                span2_index,
                span2_text,
                ..
            } => {
                let (input, note) = wsc_t5_inputs(text, *span2_index, span2_text)?;
                // re.sub(r" X ", " *{span2_text}* ", input): every non-overlapping " X ".
                let replaced = input.replace(" X ", &format!(" *{span2_text}* "));
                return Ok((format!("wsc: {replaced}"), note));
            }
        },
        None,
    ))
}

/// lm-eval t5 WSC `clean`: strip, lower-case, drop determiners (split on
/// single spaces, as lm-eval does).
pub fn wsc_clean(s: &str) -> String {
    const DETERMINERS: [&str; 21] = [
        "a", "an", "few", "her", "his", "each", "every", "many", "much", "my", "our", "some",
        "that", "the", "their", "these", "this", "those", "which", "whose", "your",
    ];
    let s = pyunicode::lower(pyunicode::strip(s));
    s.split(' ')
        .filter(|w| !DETERMINERS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// lm-eval t5 WSC `process_results`: whether `response` names the referent
/// `span1_text`.
pub fn wsc_predicts_referent(response: &str, span1_text: &str) -> bool {
    let prediction = wsc_clean(response);
    let reference = wsc_clean(span1_text);
    if prediction.contains('\'') != reference.contains('\'') {
        return false;
    }
    let p: std::collections::BTreeSet<&str> = prediction.split(' ').collect();
    let r: std::collections::BTreeSet<&str> = reference.split(' ').collect();
    p.is_subset(&r) || r.is_subset(&p)
}

/// The answer a perfect model generates for a row (the `reference` of its
/// generate query).
pub fn t5_reference(row: &Row) -> String {
    match row {
        Row::Record { answers, .. } => answers[0].clone(),
        Row::Wsc {
            span1_text, label, ..
        } => {
            if *label == 1 {
                return span1_text.clone();
            }
            ["nobody", "none", "something else", "zzz"]
                .iter()
                .find(|c| !wsc_predicts_referent(c, span1_text))
                .map(|c| c.to_string())
                .unwrap_or_else(|| format!("not {span1_text}'"))
        }
        other => {
            let label = other.label().unwrap_or(0) as usize;
            crate::row::label_names(other.task())[label].to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_slices() {
        let c: Vec<char> = "héllo".chars().collect();
        assert_eq!(py_slice(&c, 1, 3), "él");
        assert_eq!(py_slice(&c, -3, 100), "llo");
        assert_eq!(py_slice(&c, 4, 2), "");
        assert_eq!(py_slice(&c, -100, -4), "h");
        assert_eq!(py_index(&[1, 2, 3], -1), Some(3));
        assert_eq!(py_index(&[1, 2, 3], 3), None);
    }

    #[test]
    fn detokenize_like_lm_eval() {
        // python3: lm_eval.utils.general_detokenize(...)
        assert_eq!(
            general_detokenize("He did n't go ( far ) , said \" x \" . 'tis"),
            "He didn't go (far), said\"x\".'tis"
        );
        assert_eq!(general_detokenize("a  . b"), "a . b");
    }

    #[test]
    fn record_texts() {
        assert_eq!(
            record_context("  Intro text\n@highlight\nFirst\n@highlight\nSecond! \n"),
            "Intro text\n\n  - First.\n  - Second!.\n"
        );
        assert_eq!(
            record_answer("@placeholder met @placeholder", "X"),
            "  - X met X"
        );
        let e = vec!["A".to_string(), "B".to_string()];
        assert_eq!(
            record_t5_input(
                "One.\n@highlight\nTwo\n@highlight\nThree",
                "q @placeholder",
                &e
            ),
            "record query: q @placeholder entities: A, B passage: One. Two. Three"
        );
    }

    #[test]
    fn wsc_rules() {
        assert_eq!(wsc_clean("  The Big DOG "), "big dog");
        assert!(wsc_predicts_referent("the dog", "The big dog"));
        assert!(!wsc_predicts_referent("dog's", "the dog"));
        assert!(!wsc_predicts_referent("cat", "the dog"));
        let (input, note) = wsc_t5_inputs("Tom said he left .", 2, "he").unwrap();
        assert_eq!(input, "Tom said X left .");
        assert!(note.is_none());
        assert!(wsc_t5_inputs("He left .", 0, "He").is_err());
        assert!(
            wsc_t5_inputs("Tom said she left", 2, "he")
                .unwrap()
                .1
                .is_some()
        );
    }
}
