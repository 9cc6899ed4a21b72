//! lm-evaluation-harness rules many tasks share, reproduced from
//! `lm_eval` 0.4.13: the `regex` and `multi_choice_regex` filters
//! (`lm_eval/filters/extraction.py`), `exact_match` with
//! `regexes_to_ignore` (`api/metrics.py::exact_match_hf_evaluate`), and the
//! multiple-choice `acc` / `acc_norm` of `ConfigurableTask.process_results`.
//!
//! Patterns are Python `re` patterns, run by [`crate::pyre`]. `take_first`
//! is the identity here: a scorer holds one response per query.

use crate::extract::LM_EVAL_INVALID;
use crate::metrics::argmax;
use crate::normalize::ExactMatch;
use crate::pyre::{Regex, escape};
use crate::pyunicode::strip;
use crate::pyunicode_punct::PUNCT;

/// Python `seq[index]` with a possibly negative index.
pub fn py_index<T>(items: &[T], index: isize) -> Option<&T> {
    let i = if index < 0 {
        items.len().checked_sub(index.unsigned_abs())?
    } else {
        index as usize
    };
    items.get(i)
}

/// Whether `c`'s Unicode general category starts with `P` (CPython's
/// `unicodedata`, Unicode 14.0). `U+10FFFF` is never counted: lm-eval builds
/// its table from `range(sys.maxunicode)`.
pub fn is_unicode_punctuation(c: char) -> bool {
    crate::pyunicode::in_table(PUNCT, c)
}

/// `s.translate(punct_tbl)` of lm-eval's filters: every `P*` code point removed.
pub fn remove_unicode_punctuation(s: &str) -> String {
    s.chars().filter(|c| !is_unicode_punctuation(*c)).collect()
}

/// Compiles a pattern the reference wrote, panicking with the pattern on a
/// mistake: for patterns fixed in a plugin's source (a unit test covers each).
pub fn pattern(p: &str) -> Regex {
    match Regex::new(p) {
        Ok(r) => r,
        Err(e) => panic!("invalid built-in pattern {p:?}: {e}"),
    }
}

/// lm-eval's `regex` filter (`RegexFilter`): `findall`, the `group_select`-th
/// match (Python index); a tuple (several groups) gives its first non-empty
/// element, or the fallback when all are empty; then `strip()`. No match
/// gives the fallback (`"[invalid]"`).
#[derive(Clone, Debug)]
pub struct RegexFilter {
    regex: Regex,
    group_select: isize,
    fallback: String,
}

impl RegexFilter {
    /// The filter for `pattern` and `group_select`, fallback `"[invalid]"`.
    ///
    /// # Errors
    /// Returns the pattern's compile error.
    pub fn new(pattern: &str, group_select: isize) -> Result<RegexFilter, String> {
        Ok(RegexFilter {
            regex: Regex::new(pattern)?,
            group_select,
            fallback: LM_EVAL_INVALID.to_string(),
        })
    }

    /// The filtered response.
    pub fn apply(&self, response: &str) -> String {
        let found = self.regex.findall(response);
        let Some(item) = py_index(&found, self.group_select) else {
            return self.fallback.clone();
        };
        let text = if self.regex.group_count() > 1 {
            match item.iter().find(|m| !m.is_empty()) {
                Some(m) => m.as_str(),
                None => self.fallback.as_str(),
            }
        } else {
            item[0].as_str()
        };
        strip(text).to_string()
    }
}

/// The options of lm-eval's `exact_match` (`exact_match_hf_evaluate`), in
/// its order: each of `regexes_to_ignore` removed with `re.sub` from both
/// sides, then lower-case, then ASCII punctuation, then digits removed.
#[derive(Clone, Debug, Default)]
pub struct ExactMatchOptions {
    /// `regexes_to_ignore`, applied in order.
    pub regexes_to_ignore: Vec<Regex>,
    /// `ignore_case`, `ignore_punctuation`, `ignore_numbers`.
    pub flags: ExactMatch,
}

impl ExactMatchOptions {
    /// One side after normalisation.
    pub fn normalize(&self, s: &str) -> String {
        let mut out = s.to_string();
        for r in &self.regexes_to_ignore {
            out = r.sub("", &out);
        }
        self.flags.normalize(&out)
    }

    /// 1.0 when the normalised prediction equals the normalised reference.
    pub fn score(&self, prediction: &str, reference: &str) -> f64 {
        if self.normalize(prediction) == self.normalize(reference) {
            1.0
        } else {
            0.0
        }
    }
}

/// lm-eval's `multi_choice_regex` filter (`MultiChoiceRegexFilter` of
/// `lm_eval/filters/extraction.py`), given the document's choices:
///
/// 1. the `group_select`-th `findall` match of `regex_pattern` on the raw
///    response (a tuple: its first non-empty element, `""` when none), stripped;
/// 2. else each choice, stripped and passed through the ignores
///    (`regexes_to_ignore`, lower-case, Unicode `P*` punctuation removed),
///    `re.escape`d, joined longest first into one alternation, searched in
///    the response passed through the same ignores; the selected match,
///    stripped, maps to `(A)`, `(B)`, ... (a later choice with the same
///    normalised text wins the key);
/// 3. else `:[\s]*(A|B|...)` on the raw response, mapped to `(X)`;
/// 4. else `"[invalid]"`.
///
/// A match that is not a key of the choice map is returned as it is.
#[derive(Clone, Debug)]
pub struct MultiChoiceRegexFilter {
    regex: Regex,
    group_select: isize,
    ignore_case: bool,
    ignore_punctuation: bool,
    regexes_to_ignore: Vec<Regex>,
}

impl MultiChoiceRegexFilter {
    /// The filter with these options (lm-eval's YAML keys).
    ///
    /// # Errors
    /// Returns a compile error of `regex_pattern` or of an ignored regex.
    pub fn new(
        regex_pattern: &str,
        group_select: isize,
        ignore_case: bool,
        ignore_punctuation: bool,
        regexes_to_ignore: &[&str],
    ) -> Result<MultiChoiceRegexFilter, String> {
        Ok(MultiChoiceRegexFilter {
            regex: Regex::new(regex_pattern)?,
            group_select,
            ignore_case,
            ignore_punctuation,
            regexes_to_ignore: regexes_to_ignore
                .iter()
                .map(|r| Regex::new(r))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The filter's `filter_ignores`.
    pub fn ignores(&self, s: &str) -> String {
        let mut out = s.to_string();
        for r in &self.regexes_to_ignore {
            out = r.sub("", &out);
        }
        if self.ignore_case {
            out = crate::pyunicode::lower(&out);
        }
        if self.ignore_punctuation {
            out = remove_unicode_punctuation(&out);
        }
        out
    }

    /// The filtered response for a document with these `choices`.
    pub fn apply(&self, response: &str, choices: &[String]) -> String {
        let mut keys: Vec<(String, String)> = Vec::new();
        let mut branches = Vec::new();
        let mut letters = Vec::new();
        for (i, c) in choices.iter().enumerate() {
            let letter = char::from_u32('A' as u32 + i as u32).unwrap_or('?');
            let m = self.ignores(strip(c));
            branches.push(escape(&m));
            keys.retain(|(k, _)| *k != m);
            keys.push((m, format!("({letter})")));
            letters.push(letter.to_string());
        }
        let first = find_match(&self.regex, response, self.group_select, &[]);
        if !first.is_empty() {
            return first;
        }
        // Python's `sorted(key=len, reverse=True)` is stable: equal lengths keep their order.
        branches.sort_by_key(|b| std::cmp::Reverse(b.chars().count()));
        if let Ok(fallback) = Regex::new(&branches.join("|")) {
            let m = find_match(&fallback, &self.ignores(response), self.group_select, &keys);
            if !m.is_empty() {
                return m;
            }
        }
        let to_target: Vec<(String, String)> = letters
            .iter()
            .map(|l| (l.clone(), format!("({l})")))
            .collect();
        if let Ok(bare) = Regex::new(&format!(r":[\s]*({})", letters.join("|"))) {
            let m = find_match(&bare, response, self.group_select, &to_target);
            if !m.is_empty() {
                return m;
            }
        }
        LM_EVAL_INVALID.to_string()
    }
}

/// `find_match` of lm-eval's `MultiChoiceRegexFilter`: the selected
/// `findall` item (a tuple: its first non-empty element, `""` when none),
/// stripped, mapped through `convert` when it is a non-empty key; `""` when
/// nothing matched.
pub fn find_match(
    regex: &Regex,
    text: &str,
    group_select: isize,
    convert: &[(String, String)],
) -> String {
    let found = regex.findall(text);
    let Some(item) = py_index(&found, group_select) else {
        return String::new();
    };
    let raw = if regex.group_count() > 1 {
        match item.iter().find(|m| !m.is_empty()) {
            Some(m) => m.as_str(),
            None => return String::new(),
        }
    } else {
        item[0].as_str()
    };
    let m = strip(raw);
    if !m.is_empty()
        && let Some((_, v)) = convert.iter().find(|(k, _)| k == m)
    {
        return v.clone();
    }
    m.to_string()
}

/// The multiple-choice predictions of lm-eval's `process_results`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChoicePrediction {
    /// `numpy.argmax(lls)`: `acc`'s prediction.
    pub pred: usize,
    /// `numpy.argmax(lls / len(choice))`: `acc_norm`'s prediction, the
    /// length in characters (code points) of the choice string **without**
    /// the target delimiter.
    pub pred_norm: usize,
}

/// `acc` and `acc_norm` predictions from the log-likelihoods of `choices`
/// (first maximum on ties, a NaN wins, as `numpy.argmax`); `None` when
/// there are no choices or the counts differ.
pub fn choice_prediction(lls: &[f64], choices: &[String]) -> Option<ChoicePrediction> {
    if lls.is_empty() || lls.len() != choices.len() {
        return None;
    }
    let normed: Vec<f64> = lls
        .iter()
        .zip(choices)
        .map(|(ll, c)| ll / c.chars().count() as f64)
        .collect();
    Some(ChoicePrediction {
        pred: argmax(lls)?,
        pred_norm: argmax(&normed)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_filter_selects_and_strips() {
        let f = RegexFilter::new("(?<=the answer is )(.*)(?=.)", 0).unwrap();
        assert_eq!(f.apply("So the answer is  (B)."), "(B)");
        assert_eq!(f.apply("the answer is 6"), "");
        assert_eq!(f.apply("nothing"), "[invalid]");
        let t = RegexFilter::new(
            "((?<=The answer is )(.*)(?=.)|(?<=the answer is )(.*)(?=.))",
            0,
        )
        .unwrap();
        assert_eq!(t.apply("The answer is 6"), "[invalid]");
        assert_eq!(t.apply("The answer is (C)."), "(C)");
        let last = RegexFilter::new(r"\b(True|False)\b", -1).unwrap();
        assert_eq!(last.apply("True... so False."), "False");
    }

    #[test]
    fn exact_match_with_ignores() {
        let o = ExactMatchOptions {
            regexes_to_ignore: [r"\.$", ",", r"\\", "\n", "\""]
                .iter()
                .map(|r| pattern(r))
                .collect(),
            flags: ExactMatch {
                ignore_case: true,
                ..ExactMatch::default()
            },
        };
        assert_eq!(o.score("(B).", "(b)"), 1.0);
        assert_eq!(o.score("a, b", "a b"), 1.0);
        assert_eq!(o.score("(B)!", "(B)"), 0.0);
    }

    #[test]
    fn multi_choice_fallbacks() {
        let f = MultiChoiceRegexFilter::new(r"(\([A-Z]\))", -1, true, true, &[]).unwrap();
        let choices: Vec<String> = ["17", "170", "Glorbium", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(f.apply("it is (B) or (C)", &choices), "(C)");
        assert_eq!(f.apply("I say 170.", &choices), "(B)");
        assert_eq!(f.apply("glorbium!", &choices), "(C)");
        assert_eq!(f.apply("Answer: D", &choices), "(D)");
        assert_eq!(f.apply("Answer: d", &choices), "[invalid]");
    }

    #[test]
    fn choice_predictions() {
        let c: Vec<String> = ["(A)", "(B)"].iter().map(|s| s.to_string()).collect();
        let p = choice_prediction(&[-3.0, -3.0], &c).unwrap();
        assert_eq!((p.pred, p.pred_norm), (0, 0));
        let c: Vec<String> = ["ab", "abcd"].iter().map(|s| s.to_string()).collect();
        let p = choice_prediction(&[-2.0, -3.0], &c).unwrap();
        assert_eq!((p.pred, p.pred_norm), (0, 1));
        assert!(choice_prediction(&[], &[]).is_none());
        assert!(is_unicode_punctuation('–'));
        assert!(!is_unicode_punctuation('$'));
        assert_eq!(remove_unicode_punctuation("a.b{c}d$"), "abcd$");
    }
}
