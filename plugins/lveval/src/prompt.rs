//! The official prompts (`config.py::DATASET_PROMPT`) and the middle
//! truncation of over-long prompts (`utils.py::truncate_prompt`, after
//! LongBench), by characters or whitespace-separated words instead of model
//! tokens.

use crate::Truncation;

const EN_MIXUP: &str = "Please answer the following question based on the given passages. Questions and answers are only relevant to one passage. Only give me the answer and do not output any other explanation and evidence.\n\nArticle: {context}\n\nPlease answer the following question based on the above passages. Questions and answers are only relevant to one passage. Only give me the answer and do not output any other explanation and evidence.\n\nQuestion: {input}\nAnswer:";

/// `DATASET_PROMPT["hotpotwikiqa_mixup"]`.
pub const HOTPOTWIKIQA: &str = "Answer the question based on the given passages. Questions and answers are only relevant to some passages. Only give me the answer and do not output any other explanation and evidence.\n\nArticle: {context}\n\nPlease answer the following question based on the above passages. Questions and answers are only relevant to some passages. Only give me the answer and do not output any other explanation and evidence.\n\nQuestion: {input}\nAnswer:";
/// `DATASET_PROMPT` of the loogle and multifieldqa_en sets.
pub const EN_ONE_PASSAGE: &str = EN_MIXUP;
/// `DATASET_PROMPT["multifieldqa_zh_mixup"]`.
pub const MULTIFIELDQA_ZH: &str = "请阅读以下文章并用中文回答问题，问题和答案只与其中一篇文章有关。只需要直接给出问题的答案，不要输出其他任何解释和证据。\n\n文章：{context}\n\n请基于上面的文章回答下面的问题，问题和答案只与其中一篇文章有关。只需要直接给出问题的答案，不要输出其他任何解释和证据。\n\n问题：{input}\n回答：";
/// `DATASET_PROMPT["factrecall_en"]`.
pub const FACTRECALL_EN: &str = "Please answer the following questions based on the given article.\n\nArticle: {context}\n\nPlease answer the following questions based on the above article.\n\nQuestion: {input}\nAnswer:";
/// `DATASET_PROMPT["factrecall_zh"]`.
pub const FACTRECALL_ZH: &str = "请基于给定的文章回答下述问题。\n\n文章：{context}\n\n现在请基于上述文章回答下面的问题。\n\n问题：{input}\n回答：";
/// `DATASET_PROMPT` of cmrc_mixup and dureader_mixup.
pub const CMRC_DUREADER: &str = "请根据下面给定的文章回答问题，问题和答案只与其中一篇文章有关。\n\n文章：{context}\n\n现在请基于上述文章回答下面的问题，问题和答案只与其中一篇文章有关。\n\n问题：{input}\n回答：";
/// `DATASET_PROMPT["lic_mixup"]`.
pub const LIC: &str = "请根据下面给定的文章回答问题，问题和答案只与其中一篇文章有关。\n\n文章：{context}\n\n请现在基于上述文章回答下面的问题，问题和答案只与其中一篇文章有关。\n\n问题：{input}\n回答：";

/// `template.format(context=..., input=...)`: each `{context}` and
/// `{input}` replaced in one pass (text inside the values is left alone).
pub fn format(template: &str, context: &str, input: &str) -> String {
    let mut out = String::with_capacity(template.len() + context.len() + input.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        if let Some(after) = tail.strip_prefix("{context}") {
            out.push_str(context);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{input}") {
            out.push_str(input);
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// What truncation did to a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Truncated {
    /// The prompt's length in the unit used (characters or words).
    pub length: usize,
    /// Whether the middle was cut out.
    pub cut: bool,
}

/// The prompt, with its middle cut out when it is longer than `max_length`
/// units: the first and the last `max_length / 2` (rounded down) units are
/// kept, as `truncate_prompt` keeps the first and last `max_length / 2`
/// tokens.
///
/// * `chars`: Unicode scalar values; the two halves are joined directly.
/// * `words`: maximal runs of non-whitespace (Python `str.split()`); the
///   first part runs up to the start of word `half` (its trailing
///   whitespace kept), the last part from the start of word `n - half`, so
///   the original spacing survives on both sides of the cut.
pub fn truncate(prompt: &str, unit: Truncation, max_length: usize) -> (String, Truncated) {
    let half = max_length / 2;
    match unit {
        Truncation::None => (
            prompt.to_string(),
            Truncated {
                length: prompt.chars().count(),
                cut: false,
            },
        ),
        Truncation::Chars => {
            let n = prompt.chars().count();
            if n <= max_length {
                return (
                    prompt.to_string(),
                    Truncated {
                        length: n,
                        cut: false,
                    },
                );
            }
            let head_end = prompt
                .char_indices()
                .nth(half)
                .map_or(prompt.len(), |(i, _)| i);
            let tail_start = prompt
                .char_indices()
                .nth(n - half)
                .map_or(prompt.len(), |(i, _)| i);
            (
                format!("{}{}", &prompt[..head_end], &prompt[tail_start..]),
                Truncated {
                    length: n,
                    cut: true,
                },
            )
        }
        Truncation::Words | Truncation::Auto => {
            let starts = word_starts(prompt);
            let n = starts.len();
            if n <= max_length {
                return (
                    prompt.to_string(),
                    Truncated {
                        length: n,
                        cut: false,
                    },
                );
            }
            let head_end = starts.get(half).copied().unwrap_or(prompt.len());
            let tail_start = starts.get(n - half).copied().unwrap_or(prompt.len());
            (
                format!("{}{}", &prompt[..head_end], &prompt[tail_start..]),
                Truncated {
                    length: n,
                    cut: true,
                },
            )
        }
    }
}

/// Byte offsets where each whitespace-separated word starts.
fn word_starts(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        let space = scorebox_sdk::pyunicode::is_space(c);
        if !space && !in_word {
            out.push(i);
        }
        in_word = !space;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_python() {
        assert_eq!(
            format("A {context} B {input}.", "{input}", "x"),
            "A {input} B x."
        );
        assert_eq!(format("{x}{context}", "c", "i"), "{x}c");
    }

    #[test]
    fn middle_truncation() {
        let (t, info) = truncate("abcdefghij", Truncation::Chars, 4);
        assert_eq!((t.as_str(), info.cut, info.length), ("abij", true, 10));
        let (t, _) = truncate("abc", Truncation::Chars, 4);
        assert_eq!(t, "abc");
        let (t, info) = truncate("one two  three four\nfive six", Truncation::Words, 4);
        assert_eq!((t.as_str(), info.length), ("one two  five six", 6));
        let (t, _) = truncate("one two three", Truncation::Words, 5);
        assert_eq!(t, "one two three");
        let (t, _) = truncate("一二三四五", Truncation::Chars, 3);
        assert_eq!(t, "一五");
    }
}
