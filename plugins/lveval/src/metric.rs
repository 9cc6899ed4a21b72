//! LV-Eval's per-sample metrics (`metrics.py` of infinigence/LVEval): the
//! keyword-recall-gated token F1 in English and Chinese, plain token F1 for
//! the fact-recall sets, and ROUGE-L for DuReader, in the `reference` and
//! `corrected` modes (see the README for every difference).

use std::collections::BTreeMap;

use scorebox_jieba as jieba;
use scorebox_metrics::rouge;
use scorebox_sdk::normalize::PY_PUNCTUATION;
use scorebox_sdk::pyre::Regex;
use scorebox_sdk::pyunicode;
use serde_json::{Value, json};

use crate::Mode;

/// `ABANDON_WORDS_EN`: English words the keyword recall does not count.
pub const ABANDON_WORDS_EN: [&str; 38] = [
    "and", "to", "of", "in", "her", "was", "with", "for", "it", "from", "is", "that", "his", "he",
    "by", "she", "they", "or", "at", "because", "be", "on", "are", "their", "what", "as", "had",
    "were", "about", "being", "this", "who", "but", "have", "has", "when", "which", "does",
];

/// `ABANDON_WORDS_ZH`: Chinese words the keyword recall (and DuReader's
/// ROUGE) does not count.
pub const ABANDON_WORDS_ZH: [&str; 85] = [
    "的", "和", "是", "等", "在", "年", "可以", "为", "与", "‰", "了", "或", "一种", "月", "c",
    "至", "日", "有", "进行", "于", "不", "中", "×", "根据", "小", "由", "亩", "也", "要", "指",
    "法", "会", "元", "主要", "以及", "通过", "首先", "对", "然后", "号", "以", "所", "后", "丁",
    "包括", "无", "将", "用", "能", "形", "方面", "因素", "位于", "而", "从", "到", "一定", "用于",
    "但", "使用", "让", "具有", "并", "亿元", "万元", "上", "类", "基于", "才", "来", "地", "片",
    "其他", "个", "或者", "变得", "时", "给", "你", "使", "条", "受", "已经", "带", "度",
];

/// The Chinese punctuation `normalize_zh_answer` removes besides Python's
/// `string.punctuation` (it has `》` but not `《`).
pub const ZH_PUNCTUATION: &str = "！？｡。＂＃＄％＆＇（）＊＋，－／：；＜＝＞＠［＼］＾＿｀｛｜｝～｟｠｢｣､、〃》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〾〿–—‘’‛“”„‟…‧﹏.";

/// Which `metrics.py` function a dataset uses (`config.py::DATASET_METRIC`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// `qa_f1_score_with_gold_ans`: English, keyword recall ≥ 0.2, then F1.
    QaF1Gated,
    /// `qa_f1_zh_score_with_gold_ans`: Chinese, keyword recall ≥ 0.4, then F1.
    QaF1ZhGated,
    /// `qa_f1_score`: English token F1.
    QaF1,
    /// `qa_f1_zh_score`: Chinese token F1.
    QaF1Zh,
    /// `rouge_zh_score_blacklist`: ROUGE-L F over Chinese words.
    RougeZhBlacklist,
}

impl Metric {
    /// The reference function's name.
    pub fn name(self) -> &'static str {
        match self {
            Metric::QaF1Gated => "qa_f1_score_with_gold_ans",
            Metric::QaF1ZhGated => "qa_f1_zh_score_with_gold_ans",
            Metric::QaF1 => "qa_f1_score",
            Metric::QaF1Zh => "qa_f1_zh_score",
            Metric::RougeZhBlacklist => "rouge_zh_score_blacklist",
        }
    }
}

/// A prediction the reference cannot score: its `evaluation.py` run stops
/// with this exception.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crash(pub String);

/// One sample's score against one answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The metric value in [0, 1].
    pub score: f64,
    /// What happened, for the samples file.
    pub details: Value,
}

/// `normalize_answer`: lower-case, delete ASCII punctuation, replace the
/// words `a`, `an`, `the` (Python `\b`) with a space, collapse whitespace.
pub fn normalize_answer(s: &str) -> String {
    static ARTICLES: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let articles = ARTICLES.get_or_init(|| Regex::new(r"\b(a|an|the)\b").expect("a valid pattern"));
    let lowered = pyunicode::lower(s);
    let no_punct: String = lowered
        .chars()
        .filter(|c| !PY_PUNCTUATION.contains(*c))
        .collect();
    let no_articles = articles.sub(" ", &no_punct);
    py_split(&no_articles).join(" ")
}

/// Python's `s.split()`: pieces between runs of Python whitespace.
fn py_split(s: &str) -> Vec<&str> {
    s.split(pyunicode::is_space)
        .filter(|w| !w.is_empty())
        .collect()
}

/// `normalize_zh_answer`: lower-case, delete ASCII and the listed Chinese
/// punctuation, delete whitespace. `corrected` also deletes `《`.
pub fn normalize_zh_answer(s: &str, mode: Mode) -> String {
    pyunicode::lower(s)
        .chars()
        .filter(|&c| {
            !(PY_PUNCTUATION.contains(c)
                || ZH_PUNCTUATION.contains(c)
                || (mode == Mode::Corrected && c == '《')
                || pyunicode::is_space(c))
        })
        .collect()
}

/// English tokens: `normalize_answer(s).split()`.
pub fn en_tokens(s: &str) -> Vec<String> {
    normalize_answer(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Chinese tokens: `jieba.cut(s)`, each normalised, empty ones dropped.
pub fn zh_tokens(s: &str, mode: Mode) -> Vec<String> {
    jieba::cut(s)
        .into_iter()
        .map(|t| normalize_zh_answer(t, mode))
        .filter(|t| !t.is_empty())
        .collect()
}

fn counts(tokens: &[String]) -> BTreeMap<&str, usize> {
    let mut c = BTreeMap::new();
    for t in tokens {
        *c.entry(t.as_str()).or_insert(0) += 1;
    }
    c
}

/// `sum((Counter(a) & Counter(b)).values())`, skipping the words in `skip`.
fn common(a: &[String], b: &[String], skip: &[&str]) -> usize {
    let cb = counts(b);
    counts(a)
        .into_iter()
        .filter(|(w, _)| !skip.contains(w))
        .map(|(w, n)| n.min(cb.get(w).copied().unwrap_or(0)))
        .sum()
}

/// `f1_score`: bag-of-words F1; 0 when nothing is shared.
pub fn f1_score(prediction: &[String], truth: &[String]) -> f64 {
    let same = common(prediction, truth, &[]);
    if same == 0 {
        return 0.0;
    }
    let precision = same as f64 / prediction.len() as f64;
    let recall = same as f64 / truth.len() as f64;
    (2.0 * precision * recall) / (precision + recall)
}

/// The F1 after the gate. `corrected` leaves out the blacklisted words (as
/// the LV-Eval README describes it), unless that leaves the answer with
/// none; an answer with no token at all is matched only by an empty
/// prediction.
fn final_f1(prediction: &[String], truth: &[String], blacklist: &[&str], mode: Mode) -> f64 {
    match mode {
        Mode::Reference => f1_score(prediction, truth),
        Mode::Corrected => {
            let keep = |t: &[String]| -> Vec<String> {
                t.iter()
                    .filter(|w| !blacklist.contains(&w.as_str()))
                    .cloned()
                    .collect()
            };
            let (p, t) = (keep(prediction), keep(truth));
            let (p, t) = if t.is_empty() {
                (prediction.to_vec(), truth.to_vec())
            } else {
                (p, t)
            };
            if t.is_empty() {
                return if p.is_empty() { 1.0 } else { 0.0 };
            }
            f1_score(&p, &t)
        }
    }
}

/// The keyword recall: shared (prediction, keyword) words other than the
/// blacklisted ones, over **all** keyword words.
///
/// # Errors
/// Keywords with no word divide by zero in the reference.
fn keyword_recall(
    prediction: &[String],
    keywords: &[String],
    blacklist: &[&str],
) -> Result<f64, Crash> {
    if keywords.is_empty() {
        return Err(Crash(
            "ZeroDivisionError: the answer keywords have no word after normalisation".into(),
        ));
    }
    Ok(common(prediction, keywords, blacklist) as f64 / keywords.len() as f64)
}

/// Scores `prediction` against one ground truth with `metric`.
///
/// `keywords` is the row's `answer_keywords` (`None` when missing or null).
///
/// # Errors
/// Where the reference raises (keywords with no word), in `reference`
/// mode; `corrected` skips the gate there.
pub fn score(
    metric: Metric,
    mode: Mode,
    prediction: &str,
    truth: &str,
    keywords: Option<&str>,
) -> Result<Outcome, Crash> {
    match metric {
        Metric::QaF1 | Metric::QaF1Gated => {
            let p = en_tokens(prediction);
            let t = en_tokens(truth);
            let mut details = json!({});
            if metric == Metric::QaF1Gated
                && let Some(k) = keywords.filter(|k| !k.is_empty())
            {
                let kw = en_tokens(k);
                match gate(&p, &kw, &ABANDON_WORDS_EN, 0.2, mode, &mut details)? {
                    true => {}
                    false => {
                        return Ok(Outcome {
                            score: 0.0,
                            details,
                        });
                    }
                }
            }
            let blacklist: &[&str] = if metric == Metric::QaF1Gated {
                &ABANDON_WORDS_EN
            } else {
                &[]
            };
            Ok(Outcome {
                score: final_f1(&p, &t, blacklist, mode),
                details,
            })
        }
        Metric::QaF1Zh | Metric::QaF1ZhGated => {
            let p = zh_tokens(prediction, mode);
            let t = zh_tokens(truth, mode);
            let mut details = json!({});
            if metric == Metric::QaF1ZhGated {
                // `if not gold_ans: gold_ans = ground_truth`.
                let k = keywords.filter(|k| !k.is_empty()).unwrap_or(truth);
                if !k.is_empty() {
                    let kw = zh_tokens(k, mode);
                    if !gate(&p, &kw, &ABANDON_WORDS_ZH, 0.4, mode, &mut details)? {
                        return Ok(Outcome {
                            score: 0.0,
                            details,
                        });
                    }
                }
            }
            let blacklist: &[&str] = if metric == Metric::QaF1ZhGated {
                &ABANDON_WORDS_ZH
            } else {
                &[]
            };
            Ok(Outcome {
                score: final_f1(&p, &t, blacklist, mode),
                details,
            })
        }
        Metric::RougeZhBlacklist => Ok(match mode {
            Mode::Reference => rouge_reference(prediction, truth),
            Mode::Corrected => rouge_corrected(prediction, truth),
        }),
    }
}

/// The keyword gate: records the recall in `details`; `false` when the
/// prediction is cut to 0.
fn gate(
    prediction: &[String],
    keywords: &[String],
    blacklist: &[&str],
    threshold: f64,
    mode: Mode,
    details: &mut Value,
) -> Result<bool, Crash> {
    let recall = match keyword_recall(prediction, keywords, blacklist) {
        Ok(r) => r,
        Err(e) if mode == Mode::Reference => return Err(e),
        Err(_) => {
            details["gate"] = json!("skipped: the keywords have no word");
            return Ok(true);
        }
    };
    details["keyword_recall"] = json!(recall);
    let pass = recall >= threshold;
    details["gate"] = json!(if pass { "passed" } else { "failed" });
    Ok(pass)
}

/// `rouge_zh_score_blacklist` as the reference runs it: jieba words joined
/// by spaces, that string cut **again** (each space becomes a word of its
/// own, normalised to `""` and kept), blacklisted words dropped, joined by
/// spaces, then the `rouge` package's ROUGE-L F (0.0 where it raises).
fn rouge_reference(prediction: &str, truth: &str) -> Outcome {
    let side = |s: &str| -> String {
        let spaced = jieba::cut(s).join(" ");
        jieba::cut(&spaced)
            .into_iter()
            .map(|t| normalize_zh_answer(t, Mode::Reference))
            .filter(|t| !ABANDON_WORDS_ZH.contains(&t.as_str()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (p, t) = (side(prediction), side(truth));
    match rouge::pkg::get_scores(&p, &t) {
        Ok(s) => Outcome {
            score: s.rouge_l.fmeasure,
            details: json!({"rouge_l": {"p": s.rouge_l.precision, "r": s.rouge_l.recall}}),
        },
        Err(e) => Outcome {
            score: 0.0,
            details: json!({"rouge_error": e.to_string()}),
        },
    }
}

/// The corrected DuReader ROUGE: the jieba words of each side, normalised
/// (empty ones dropped), blacklisted words dropped unless that empties the
/// answer; then `rouge-score`'s ROUGE-L F on the word lists (an answer with
/// no word at all is matched only by an empty prediction).
fn rouge_corrected(prediction: &str, truth: &str) -> Outcome {
    let p = zh_tokens(prediction, Mode::Corrected);
    let t = zh_tokens(truth, Mode::Corrected);
    let drop = |v: &[String]| -> Vec<String> {
        v.iter()
            .filter(|w| !ABANDON_WORDS_ZH.contains(&w.as_str()))
            .cloned()
            .collect()
    };
    let (fp, ft) = (drop(&p), drop(&t));
    let (p, t) = if ft.is_empty() { (p, t) } else { (fp, ft) };
    if t.is_empty() {
        let score = if p.is_empty() { 1.0 } else { 0.0 };
        return Outcome {
            score,
            details: json!({}),
        };
    }
    let s = rouge::score::rouge_l(&t, &p);
    Outcome {
        score: s.fmeasure,
        details: json!({"rouge_l": {"p": s.precision, "r": s.recall}}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_normalisation() {
        assert_eq!(
            normalize_answer("The Port-Quillan, a town!"),
            "portquillan town"
        );
        assert_eq!(normalize_answer("the’s"), "’s");
        assert_eq!(normalize_answer("théâtre"), "théâtre");
    }

    #[test]
    fn lists() {
        assert_eq!(ABANDON_WORDS_ZH.len(), 85);
        assert!(ZH_PUNCTUATION.contains('》') && !ZH_PUNCTUATION.contains('《'));
    }
}
