//! ROUGE, with the exact semantics of the two Python packages references use.
//!
//! They disagree, so each has its own functions:
//!
//! * [`score`]: Google's `rouge-score` 0.1.2 (`rouge_scorer.RougeScorer`,
//!   also behind Hugging Face `evaluate`'s `rouge`): its default tokenizer
//!   (lower-case, `[a-z0-9]+` runs only, no stemmer), ROUGE-N on n-gram
//!   *counts*, sentence-level ROUGE-L on the LCS length, summary-level
//!   ROUGE-Lsum, `F = 2PR/(P+R)` (0 when `P+R = 0`), every score 0 when a
//!   side has no token.
//! * [`pkg`]: the `rouge` 1.0.1 package (`from rouge import Rouge`, by
//!   pltrdy): text split into "sentences" on `.`, whitespace collapsed, words
//!   split on single spaces; n-grams and words are **sets** of distinct items
//!   (its default `exclusive=True`); ROUGE-L is the *summary-level* union LCS
//!   over distinct words; `F = 2·(P·R)/(P+R+1e-8)`, so identical texts score
//!   0.999999995, never 1; an empty side raises (`Err` here).
//!
//! The `rouge-score` functions are also re-exported at this module's top
//! level (`rouge::rouge_n`, `rouge::rouge_l`, `rouge::tokenize`, ...).
//!
//! Both are checked against the Python packages on a shared corpus
//! (`tests/rouge.rs`, golden output from `tools/make_rouge_golden.py`).
//! Arithmetic follows the Python expressions operation by operation, so the
//! values agree to the last bit.

pub use score::{fmeasure, rouge_l, rouge_lsum, rouge_n, tokenize};

/// Precision, recall and F-measure of one ROUGE variant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// Overlap over the prediction's (hypothesis's) size.
    pub precision: f64,
    /// Overlap over the target's (reference's) size.
    pub recall: f64,
    /// The F-measure as the package computes it.
    pub fmeasure: f64,
}

impl Score {
    const ZERO: Score = Score {
        precision: 0.0,
        recall: 0.0,
        fmeasure: 0.0,
    };
}

/// Length of the longest common subsequence table of `a` (rows) and `b`
/// (columns), as both packages build it: `t[i][j]` for prefixes of length
/// `i` and `j`, stored row-major with `b.len() + 1` columns.
fn lcs_table<T: PartialEq>(a: &[T], b: &[T]) -> Vec<u32> {
    let cols = b.len() + 1;
    let mut t = vec![0u32; (a.len() + 1) * cols];
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            t[i * cols + j] = if a[i - 1] == b[j - 1] {
                t[(i - 1) * cols + j - 1] + 1
            } else {
                t[(i - 1) * cols + j].max(t[i * cols + j - 1])
            };
        }
    }
    t
}

/// Google's `rouge-score` package (PyPI `rouge-score` 0.1.2).
pub mod score {
    use std::collections::BTreeMap;

    use super::{Score, lcs_table};

    /// `DefaultTokenizer(use_stemmer=False).tokenize(text)`: Python
    /// `str.lower()`, every run of characters other than `[a-z0-9]` becomes a
    /// separator, empty pieces dropped. Non-ASCII letters (CJK, accented)
    /// never survive, so such text has no token.
    pub fn tokenize(text: &str) -> Vec<String> {
        scorebox_sdk::pyunicode::lower(text)
            .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// `scoring.fmeasure`: `2 * p * r / (p + r)`, 0 when `p + r` is 0.
    pub fn fmeasure(precision: f64, recall: f64) -> f64 {
        if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        }
    }

    fn ngram_counts<T: AsRef<str>>(tokens: &[T], n: usize) -> BTreeMap<Vec<&str>, u32> {
        let mut counts = BTreeMap::new();
        if n == 0 || tokens.len() < n {
            return counts;
        }
        for w in tokens.windows(n) {
            let key: Vec<&str> = w.iter().map(AsRef::as_ref).collect();
            *counts.entry(key).or_insert(0) += 1;
        }
        counts
    }

    /// `rouge{n}` on token lists (`_score_ngrams`): overlap is the sum over
    /// target n-grams of `min(count in target, count in prediction)`;
    /// `P = overlap / max(#prediction n-grams, 1)`, `R = overlap /
    /// max(#target n-grams, 1)`. `n` must be positive (Python raises).
    pub fn rouge_n<T: AsRef<str>>(target: &[T], prediction: &[T], n: usize) -> Score {
        let t = ngram_counts(target, n);
        let p = ngram_counts(prediction, n);
        let overlap: u32 = t
            .iter()
            .map(|(k, c)| (*c).min(p.get(k).copied().unwrap_or(0)))
            .sum();
        let t_total: u32 = t.values().sum();
        let p_total: u32 = p.values().sum();
        let precision = f64::from(overlap) / f64::from(p_total.max(1));
        let recall = f64::from(overlap) / f64::from(t_total.max(1));
        Score {
            precision,
            recall,
            fmeasure: fmeasure(precision, recall),
        }
    }

    /// `rougeL` on token lists (`_score_lcs`): `P = LCS / len(prediction)`,
    /// `R = LCS / len(target)`; all 0 when either side is empty.
    pub fn rouge_l<T: AsRef<str>>(target: &[T], prediction: &[T]) -> Score {
        if target.is_empty() || prediction.is_empty() {
            return Score::ZERO;
        }
        let a: Vec<&str> = target.iter().map(AsRef::as_ref).collect();
        let b: Vec<&str> = prediction.iter().map(AsRef::as_ref).collect();
        let lcs = lcs_table(&a, &b)[a.len() * (b.len() + 1) + b.len()];
        let precision = f64::from(lcs) / b.len() as f64;
        let recall = f64::from(lcs) / a.len() as f64;
        Score {
            precision,
            recall,
            fmeasure: fmeasure(precision, recall),
        }
    }

    /// Indices into `reference` of one LCS with `candidate`
    /// (`_backtrack_norec`: on a tie it moves up, i.e. drops a reference token).
    fn lcs_indices(reference: &[&str], candidate: &[&str]) -> Vec<usize> {
        let t = lcs_table(reference, candidate);
        let cols = candidate.len() + 1;
        let (mut i, mut j) = (reference.len(), candidate.len());
        let mut out = Vec::new();
        while i > 0 && j > 0 {
            if reference[i - 1] == candidate[j - 1] {
                out.push(i - 1);
                i -= 1;
                j -= 1;
            } else if t[i * cols + j - 1] > t[(i - 1) * cols + j] {
                j -= 1;
            } else {
                i -= 1;
            }
        }
        out.reverse();
        out
    }

    /// `rougeLsum` on tokenized sentences (`_summary_level_lcs`): for each
    /// target sentence the union of its LCS positions with every prediction
    /// sentence; each union token counts while both sides still have an
    /// unused occurrence of it. All 0 when a side has no sentence or no token.
    pub fn rouge_lsum<T: AsRef<str>>(target: &[Vec<T>], prediction: &[Vec<T>]) -> Score {
        let target: Vec<Vec<&str>> = target
            .iter()
            .map(|s| s.iter().map(AsRef::as_ref).collect())
            .collect();
        let prediction: Vec<Vec<&str>> = prediction
            .iter()
            .map(|s| s.iter().map(AsRef::as_ref).collect())
            .collect();
        if target.is_empty() || prediction.is_empty() {
            return Score::ZERO;
        }
        let m: usize = target.iter().map(Vec::len).sum();
        let n: usize = prediction.iter().map(Vec::len).sum();
        if m == 0 || n == 0 {
            return Score::ZERO;
        }
        let mut left_t: BTreeMap<&str, i64> = BTreeMap::new();
        let mut left_p: BTreeMap<&str, i64> = BTreeMap::new();
        for s in &target {
            for w in s {
                *left_t.entry(w).or_insert(0) += 1;
            }
        }
        for s in &prediction {
            for w in s {
                *left_p.entry(w).or_insert(0) += 1;
            }
        }
        let mut hits = 0u32;
        for r in &target {
            let mut union: Vec<usize> = prediction.iter().flat_map(|c| lcs_indices(r, c)).collect();
            union.sort_unstable();
            union.dedup();
            for i in union {
                let w = r[i];
                let (ct, cp) = (
                    left_t.get(w).copied().unwrap_or(0),
                    left_p.get(w).copied().unwrap_or(0),
                );
                if cp > 0 && ct > 0 {
                    hits += 1;
                    left_t.insert(w, ct - 1);
                    left_p.insert(w, cp - 1);
                }
            }
        }
        let recall = f64::from(hits) / m as f64;
        let precision = f64::from(hits) / n as f64;
        Score {
            precision,
            recall,
            fmeasure: fmeasure(precision, recall),
        }
    }
}

/// The `rouge` package (PyPI `rouge` 1.0.1, `from rouge import Rouge`).
pub mod pkg {
    use std::collections::BTreeSet;

    use super::{Score, lcs_table};

    /// Why the package raises instead of scoring.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Empty {
        /// The hypothesis has no sentence (`"Hypothesis is empty."`).
        Hypothesis,
        /// The reference has no sentence (`"Reference is empty."`).
        Reference,
    }

    impl std::fmt::Display for Empty {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(match self {
                Empty::Hypothesis => "Hypothesis is empty.",
                Empty::Reference => "Reference is empty.",
            })
        }
    }

    /// The "sentences" `Rouge.get_scores` makes of a text:
    /// `[" ".join(s.split()) for s in text.split(".") if len(s) > 0]`. A
    /// whitespace-only piece becomes the empty sentence `""`, whose single
    /// word is `""`.
    pub fn sentences(text: &str) -> Vec<String> {
        text.split('.')
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.split(scorebox_sdk::pyunicode::is_space)
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// `_split_into_words`: every sentence split on single spaces, chained.
    fn words<S: AsRef<str>>(sentences: &[S]) -> Vec<&str> {
        sentences
            .iter()
            .flat_map(|s| s.as_ref().split(' '))
            .collect()
    }

    /// `f_r_p_rouge_n`-style F: `2.0 * ((p * r) / (p + r + 1e-8))`.
    pub fn fmeasure(precision: f64, recall: f64) -> f64 {
        2.0 * ((precision * recall) / (precision + recall + 1e-8))
    }

    /// `rouge_n(hyp_sentences, ref_sentences, n)`: n-grams over the chained
    /// words (crossing sentence ends) as **sets**; `P = |common| / |hyp set|`
    /// (0 when that set is empty), `R` likewise.
    ///
    /// # Errors
    /// [`Empty`] when a side has no sentence, as the package raises.
    pub fn rouge_n<S: AsRef<str>>(
        hypothesis: &[S],
        reference: &[S],
        n: usize,
    ) -> Result<Score, Empty> {
        if hypothesis.is_empty() {
            return Err(Empty::Hypothesis);
        }
        if reference.is_empty() {
            return Err(Empty::Reference);
        }
        let grams = |s: &[S]| -> BTreeSet<Vec<String>> {
            let w = words(s);
            if n == 0 || w.len() < n {
                return BTreeSet::new();
            }
            w.windows(n)
                .map(|g| g.iter().map(|x| x.to_string()).collect())
                .collect()
        };
        let h = grams(hypothesis);
        let r = grams(reference);
        let overlap = h.intersection(&r).count();
        let precision = if h.is_empty() {
            0.0
        } else {
            overlap as f64 / h.len() as f64
        };
        let recall = if r.is_empty() {
            0.0
        } else {
            overlap as f64 / r.len() as f64
        };
        Ok(Score {
            precision,
            recall,
            fmeasure: fmeasure(precision, recall),
        })
    }

    /// The words of one LCS of `x` (reference words) and `y` (hypothesis
    /// words) as `_recon_lcs` reconstructs it: from the end, a match is
    /// taken, else it moves up only when `table[i-1][j] > table[i][j-1]`.
    fn recon_lcs<'a>(x: &[&'a str], y: &[&str]) -> Vec<&'a str> {
        let t = lcs_table(x, y);
        let cols = y.len() + 1;
        let (mut i, mut j) = (x.len(), y.len());
        let mut out = Vec::new();
        while i > 0 && j > 0 {
            if x[i - 1] == y[j - 1] {
                out.push(x[i - 1]);
                i -= 1;
                j -= 1;
            } else if t[(i - 1) * cols + j] > t[i * cols + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
        }
        out
    }

    /// `rouge_l_summary_level(hyp_sentences, ref_sentences)`: `m` and `n` are
    /// the numbers of **distinct** words of the reference and hypothesis; the
    /// overlap is the number of distinct words in the union, over every
    /// (reference sentence, hypothesis sentence) pair, of their LCS.
    ///
    /// The package recurses once per LCS step (`_recon`), so in Python a
    /// pair of sentences totalling more than about 990 words raises
    /// `RecursionError`; this function has no such limit.
    ///
    /// # Errors
    /// [`Empty`] when a side has no sentence.
    pub fn rouge_l<S: AsRef<str>>(hypothesis: &[S], reference: &[S]) -> Result<Score, Empty> {
        if hypothesis.is_empty() {
            return Err(Empty::Hypothesis);
        }
        if reference.is_empty() {
            return Err(Empty::Reference);
        }
        let m = words(reference).into_iter().collect::<BTreeSet<_>>().len();
        let n = words(hypothesis).into_iter().collect::<BTreeSet<_>>().len();
        let hyp: Vec<Vec<&str>> = hypothesis
            .iter()
            .map(|s| s.as_ref().split(' ').collect())
            .collect();
        let mut union: BTreeSet<&str> = BTreeSet::new();
        for r in reference {
            let r: Vec<&str> = r.as_ref().split(' ').collect();
            for h in &hyp {
                union.extend(recon_lcs(&r, h));
            }
        }
        let llcs = union.len() as f64;
        let recall = llcs / m as f64;
        let precision = llcs / n as f64;
        Ok(Score {
            precision,
            recall,
            fmeasure: fmeasure(precision, recall),
        })
    }

    /// What `Rouge().get_scores(hyp, ref, avg=True)` returns for one pair.
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub struct Scores {
        /// `"rouge-1"`.
        pub rouge_1: Score,
        /// `"rouge-2"`.
        pub rouge_2: Score,
        /// `"rouge-l"` (summary level).
        pub rouge_l: Score,
    }

    /// `Rouge().get_scores([hypothesis], [reference], avg=True)` (the
    /// average of one pair is the pair's scores): [`sentences`] of each
    /// side, then ROUGE-1, ROUGE-2 and ROUGE-L.
    ///
    /// # Errors
    /// [`Empty`] when a side has no sentence (an empty text, or only dots),
    /// where the package raises `ValueError`.
    pub fn get_scores(hypothesis: &str, reference: &str) -> Result<Scores, Empty> {
        let h = sentences(hypothesis);
        let r = sentences(reference);
        Ok(Scores {
            rouge_1: rouge_n(&h, &r, 1)?,
            rouge_2: rouge_n(&h, &r, 2)?,
            rouge_l: rouge_l(&h, &r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rouge_score_basics() {
        let t = score::tokenize("The quick brown fox, jumps!");
        assert_eq!(t, ["the", "quick", "brown", "fox", "jumps"]);
        assert!(score::tokenize("你好 世界").is_empty());
        let p = score::tokenize("the quick fox");
        assert_eq!(score::rouge_n(&t, &p, 1).precision, 1.0);
        assert_eq!(score::rouge_l(&t, &p).recall, 3.0 / 5.0);
        let empty: Vec<String> = Vec::new();
        assert_eq!(score::rouge_l(&t, &empty).fmeasure, 0.0);
    }

    #[test]
    fn rouge_package_basics() {
        let s = pkg::get_scores("a b c", "a b c").unwrap();
        assert_eq!(s.rouge_l.fmeasure, 0.999999995);
        assert_eq!(pkg::sentences(" a  b . . c"), ["a b", "", "c"]);
        assert_eq!(
            pkg::get_scores("", "a").unwrap_err(),
            pkg::Empty::Hypothesis
        );
        assert_eq!(
            pkg::get_scores("a", "...").unwrap_err(),
            pkg::Empty::Reference
        );
        // Sets: repeats do not count.
        let s = pkg::get_scores("a a a", "a b").unwrap();
        assert_eq!(s.rouge_1.precision, 1.0);
        assert_eq!(s.rouge_1.recall, 0.5);
    }
}
