//! lm-eval's BBH answer filters (`tasks/bbh/*/utils.py` and the task YAML
//! filter lists), on one response.

use scorebox_sdk::extract::LM_EVAL_INVALID;
use scorebox_sdk::lmeval::{MultiChoiceRegexFilter, RegexFilter, find_match, pattern};
use scorebox_sdk::pyre::Regex;
use scorebox_sdk::pyunicode::{is_space, lower, strip};

use crate::tasks::Flexible;

/// `cot_fewshot`'s `get-answer` regex.
pub const GET_ANSWER: &str = "(?<=the answer is )(.*)(?=.)";

/// `cot_zeroshot`'s `strict-match` regex.
pub const STRICT_MATCH: &str = "((?<=The answer is )(.*)(?=.)|(?<=the answer is )(.*)(?=.)|(?<=The answer: )(.*)(?=.)|(?<=The final answer: )(.*)(?=.))";

/// The options lines of a BBH input, as `MultiChoiceRegexFilter` reads them.
pub const OPTION_LINE: &str = r"\([A-Z]\)([^\n^(]*)";

/// `dyck_languages`' flexible-extract regex.
pub const DYCK: &str = r#"(?<= )([" \[\(<{}>\)\]]+)|([" \[\(<{}>\)\]]+)"#;

/// The English number words `NumberParseRegexFilter` falls back to (a
/// `regex`-module pattern; `(?|...)` holds no group here).
pub const ENGLISH_NUMBER: &str = "((?:(?:zero|one|two|three|four|five|(?:twen|thir|for|fif|six|seven|nine)(?|teen|ty)|eight(?:|een|y)|ten|eleven|twelve|fourteen|hundred|thousand|(?:m|b|tr)illion)(?:zero|one|two|three|four|five|(?:twen|thir|for|fif|six|seven|nine)(?:|teen|ty)|eight(?|een|y)|ten|eleven|twelve|fourteen|hundred|thousand|(?:m|b|tr)illion|[^\\S\r\n]|,|and|&)+)?(?:zero|one|two|three|four|five|(?:twen|thir|for|fif|six|seven|nine)(?|teen|ty)|eight(?|een|y)|ten|eleven|twelve|fourteen|hundred|thousand|(?:m|b|tr)illion))";

/// `cot_fewshot` `get-answer`: the regex filter, then `take_first`.
pub fn get_answer(response: &str) -> String {
    regex_filter(GET_ANSWER, 0, response)
}

/// `cot_zeroshot` `strict-match`.
pub fn strict_match(response: &str) -> String {
    regex_filter(STRICT_MATCH, 0, response)
}

fn regex_filter(p: &str, group_select: isize, response: &str) -> String {
    match RegexFilter::new(p, group_select) {
        Ok(f) => f.apply(response),
        Err(e) => panic!("invalid built-in pattern {p:?}: {e}"),
    }
}

/// The zero-shot `flexible-extract` output for a subtask, with lm-eval's
/// `group_select` (0 for `zeroshot`, -1 for `cot_zeroshot`). `input` is the
/// question (options and word lists are read from it).
pub fn flexible(kind: Flexible, group_select: isize, response: &str, input: &str) -> String {
    match kind {
        Flexible::TrueFalse => regex_filter(r"\b(True|False)\b", group_select, response),
        Flexible::YesNo => regex_filter(r"\b(Yes|No|yes|no)\b", group_select, response),
        Flexible::Valid => regex_filter(r"\b(valid|invalid)\b", group_select, response),
        Flexible::Dyck => regex_filter(DYCK, group_select, response),
        Flexible::MultiChoice => multi_choice(group_select, response, input),
        Flexible::Number => number(group_select, response),
        Flexible::Plausible => map_regex(
            &[
                (r"\b(no|not plausible)\b", "no"),
                (r"\b(yes|plausible)\b", "yes"),
            ],
            group_select,
            response,
        ),
        Flexible::Truth => map_regex(
            &[
                (
                    r"\b(no|does not tell the truth|is not telling the truth)\b",
                    "no",
                ),
                (r"\b(yes|tells the truth|is telling the truth)\b", "yes"),
            ],
            group_select,
            response,
        ),
        Flexible::WordSort => word_sort(response, input),
    }
}

/// The option texts of `input` (group 1 of every `\([A-Z]\)([^\n^(]*)`).
pub fn options_of(input: &str) -> Vec<String> {
    pattern(OPTION_LINE)
        .findall(input)
        .into_iter()
        .map(|mut g| g.remove(0))
        .collect()
}

/// `utils.MultiChoiceRegexFilter` (`(\([A-Z]\))`, ignore case and Unicode
/// punctuation), options lettered A, B, ... in the order the input lists them.
pub fn multi_choice(group_select: isize, response: &str, input: &str) -> String {
    match MultiChoiceRegexFilter::new(r"(\([A-Z]\))", group_select, true, true, &[]) {
        Ok(f) => f.apply(response, &options_of(input)),
        Err(e) => panic!("{e}"),
    }
}

/// `utils.MapRegexFilter` with `ignore_case`: the selected match of all
/// patterns joined by `|` in the lower-cased response, then the first
/// pattern (in order) that matches it gives the value.
pub fn map_regex(pairs: &[(&str, &str)], group_select: isize, response: &str) -> String {
    let joined = pairs.iter().map(|(p, _)| *p).collect::<Vec<_>>().join("|");
    let whole = find_match(&pattern(&joined), &lower(response), group_select, &[]);
    if !whole.is_empty() {
        for (p, value) in pairs {
            if !find_match(&pattern(p), &lower(&whole), group_select, &[]).is_empty() {
                return value.to_string();
            }
        }
    }
    LM_EVAL_INVALID.to_string()
}

/// `utils.NumberParseRegexFilter`: the selected `([-0-9]+)` match; else the
/// selected English number phrase of the lower-cased response converted by
/// `word2number`; else `[invalid]`. Where `word2number` raises (lm-eval
/// then stops with an exception), we return `[invalid]`.
pub fn number(group_select: isize, response: &str) -> String {
    let m = find_match(&pattern("([-0-9]+)"), response, group_select, &[]);
    if !m.is_empty() {
        return m;
    }
    let words = find_match(
        &pattern(ENGLISH_NUMBER),
        &lower(response),
        group_select,
        &[],
    );
    if !words.is_empty()
        && let Ok(n) = word_to_num(&words)
    {
        return n.to_string();
    }
    LM_EVAL_INVALID.to_string()
}

/// `utils.WordSortFilter`: the words after `List:` in the input, each
/// searched as `\b{word}\b` (not escaped, as the reference does); the
/// distinct matches ordered by their last occurrence, joined by spaces.
/// Where the reference raises (no `List:`, a word that is not a valid
/// pattern), we return `""`.
pub fn word_sort(response: &str, input: &str) -> String {
    let Some(after) = input.split("List:").nth(1) else {
        return String::new();
    };
    let words: Vec<&str> = strip(after)
        .split(is_space)
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words
        .iter()
        .map(|w| format!(r"\b{w}\b"))
        .collect::<Vec<_>>()
        .join("|");
    let Ok(re) = Regex::new(&joined) else {
        return String::new();
    };
    let found: Vec<String> = re
        .findall(response)
        .into_iter()
        .map(|mut g| g.remove(0))
        .collect();
    let mut order: Vec<String> = Vec::new();
    for w in found.into_iter().rev() {
        if !order.contains(&w) {
            order.push(w);
        }
    }
    order.reverse();
    order.join(" ")
}

const NUMBER_WORDS: [(&str, i128); 31] = [
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
    ("thousand", 1000),
    ("million", 1_000_000),
];

fn value(word: &str) -> Option<i128> {
    if word == "billion" {
        return Some(1_000_000_000);
    }
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, v)| *v)
}

/// `word2number.w2n.word_to_num` (1.1) for phrases without `point`: `-` →
/// space, lower-case, known words kept (`trillion`, `and`, words with a
/// comma attached are dropped), then its multiplier rules.
///
/// # Errors
/// Where `word_to_num` raises (no number word, a repeated `thousand`,
/// `million` or `billion`, multipliers out of order, an empty multiplier
/// group).
pub fn word_to_num(phrase: &str) -> Result<i128, String> {
    let s = lower(&phrase.replace('-', " "));
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().map_err(|e| format!("{e}"));
    }
    let clean: Vec<&str> = strip(&s)
        .split(is_space)
        .filter(|w| !w.is_empty() && value(w).is_some())
        .collect();
    if clean.is_empty() {
        return Err("no valid number words".into());
    }
    let count = |w: &str| clean.iter().filter(|c| **c == w).count();
    if count("thousand") > 1 || count("million") > 1 || count("billion") > 1 {
        return Err("redundant number word".into());
    }
    let index = |w: &str| clean.iter().position(|c| *c == w);
    let (b, m, t) = (index("billion"), index("million"), index("thousand"));
    let lt = |a: Option<usize>, z: Option<usize>| matches!((a, z), (Some(a), Some(z)) if a < z);
    if (t.is_some() && (lt(t, m) || lt(t, b))) || (m.is_some() && lt(m, b)) {
        return Err("malformed number".into());
    }
    if clean.len() == 1 {
        return value(clean[0]).ok_or_else(|| "unknown word".into());
    }
    let formation = |words: &[&str]| -> Result<i128, String> {
        let n: Vec<i128> = words.iter().filter_map(|w| value(w)).collect();
        match n.len() {
            0 => Err("empty multiplier group".into()),
            4 => Ok(n[0] * n[1] + n[2] + n[3]),
            3 => Ok(n[0] * n[1] + n[2]),
            2 if n.contains(&100) => Ok(n[0] * n[1]),
            2 => Ok(n[0] + n[1]),
            _ => Ok(n[0]),
        }
    };
    let mut total = 0;
    if let Some(b) = b {
        total += formation(&clean[..b])? * 1_000_000_000;
    }
    if let Some(m) = m {
        let from = b.map_or(0, |b| b + 1);
        total += formation(&clean[from..m])? * 1_000_000;
    }
    if let Some(t) = t {
        let from = m.or(b).map_or(0, |x| x + 1);
        total += formation(&clean[from..t])? * 1000;
    }
    let last = clean.len() - 1;
    let hundreds = if let Some(t) = t.filter(|&t| t != last) {
        formation(&clean[t + 1..])?
    } else if let Some(m) = m.filter(|&m| m != last) {
        formation(&clean[m + 1..])?
    } else if let Some(b) = b.filter(|&b| b != last) {
        formation(&clean[b + 1..])?
    } else if t.is_none() && m.is_none() && b.is_none() {
        formation(&clean)?
    } else {
        0
    };
    Ok(total + hundreds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_answer_drops_the_last_character() {
        assert_eq!(get_answer("So the answer is (B)."), "(B)");
        assert_eq!(get_answer("So the answer is (B)"), "(B");
        assert_eq!(get_answer("so the answer is 6"), "");
        assert_eq!(get_answer("The answer is (B)."), "[invalid]");
        assert_eq!(strict_match("The answer is 6"), "[invalid]");
        assert_eq!(strict_match("The final answer: valid."), "valid");
    }

    #[test]
    fn numbers() {
        assert_eq!(number(-1, "double-check"), "-");
        assert_eq!(number(-1, "seven, as anyone can check"), "1");
        assert_eq!(number(-1, "fourteen"), "4");
        assert_eq!(number(-1, "thirteen"), "13");
        assert_eq!(number(-1, "Twenty one"), "21");
        assert_eq!(number(0, "nothing"), "[invalid]");
        assert_eq!(word_to_num("two hundred and five"), Ok(205));
        assert_eq!(word_to_num("one million two thousand three"), Ok(1_002_003));
        assert!(word_to_num("thousand one").is_err());
    }

    #[test]
    fn maps_and_words() {
        let p = [
            (r"\b(no|not plausible)\b", "no"),
            (r"\b(yes|plausible)\b", "yes"),
        ];
        assert_eq!(map_regex(&p, -1, "Plausible? No, not plausible."), "no");
        assert_eq!(map_regex(&p, -1, "It is PLAUSIBLE"), "yes");
        assert_eq!(map_regex(&p, -1, "maybe"), "[invalid]");
        let input = "Sort the following words alphabetically: List: pear apple fig";
        assert_eq!(
            word_sort("apple fig pear. Recheck: apple", input),
            "fig pear apple"
        );
        assert_eq!(word_sort("nothing", input), "");
        assert_eq!(
            options_of("Q\nOptions:\n(A) red\n(B) blue (dark)\n"),
            [" red", " blue "]
        );
    }
}
