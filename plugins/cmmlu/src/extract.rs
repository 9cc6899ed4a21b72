//! The official CMMLU answer extraction (`extract_choice` of
//! `haonan-li/CMMLU` `src/mp_utils.py`) and the way the official pipeline
//! hands it a response (`run_eval` → results CSV → `get_results`).
//!
//! The chain, in order (all patterns case-sensitive, ASCII `A`–`D` only,
//! Python `re` semantics through [`scorebox_sdk::pyre`]):
//!
//! 1. the first character, if it is `A`–`D`;
//! 2. twelve "single match" patterns, each `re.search`ed over the whole
//!    text in list order: the first **pattern** that matches anywhere wins
//!    (not the earliest position), and within it the first match;
//! 3. two "recursive" patterns (`([ABCD])(.*?)当选`, then `…正确`): the
//!    first match, then the pattern searched again in that match minus its
//!    first character, as long as it matches; the last letter found wins;
//! 4. the "weak" pattern `[^不]是：? ?([ABCD])`;
//! 5. "only one letter mentioned": exactly one of `A`–`D` in the whole text
//!    (`re.match('^[^ABCD]*([ABCD])[^ABCD]*$')`, which crosses lines);
//! 6. otherwise nothing: the caller draws the random fallback.

use std::sync::OnceLock;

use scorebox_sdk::pyre::{Match, Regex};
use serde::{Deserialize, Serialize};

/// The answer letters.
pub const CHOICES: [char; 4] = ['A', 'B', 'C', 'D'];

/// The single-match patterns and the group holding the letter, in the
/// official order.
pub const SINGLE_PATTERNS: [(&str, usize); 12] = [
    (r"答案(选项)?(是|为)：? ?([ABCD])", 3),
    (r"答案(是|为)选项 ?([ABCD])", 2),
    (r"故?选择?：? ?([ABCD])", 1),
    (r"([ABCD]) ?选?项(是|为)?正确", 1),
    (r"正确的?选项(是|为) ?([ABCD])", 2),
    (r"答案(应该)?(是|为)([ABCD])", 3),
    (r"选项 ?([ABCD]) ?(是|为)?正确", 1),
    (r"选择答案 ?([ABCD])", 1),
    (r"答案?：?([ABCD])", 1),
    (r"([ABCD])(选?项)?是?符合题意", 1),
    (r"答案选项：? ?([ABCD])", 1),
    (r"答案(选项)?为(.*?)([ABCD])", 3),
];

/// The recursive patterns (letter in group 1), in the official order.
pub const RECURSIVE_PATTERNS: [&str; 2] = [r"([ABCD])(.*?)当选", r"([ABCD])(.*?)正确"];

/// The weak single-match pattern (letter in group 1).
pub const WEAK_PATTERN: &str = r"[^不]是：? ?([ABCD])";

/// "Only one letter mentioned" (letter in group 1), matched at the start.
pub const ONLY_LETTER_PATTERN: &str = r"^[^ABCD]*([ABCD])[^ABCD]*$";

/// Which rule of the chain found the letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The first character.
    FirstCharacter,
    /// Single-match pattern `n` (0-based index into [`SINGLE_PATTERNS`]).
    Pattern(usize),
    /// Recursive pattern `n` (0: `当选`, 1: `正确`).
    Recursive(usize),
    /// The weak `[^不]是` pattern.
    Weak,
    /// The only `A`–`D` in the text.
    OnlyLetter,
}

/// A letter the chain found, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// `A`–`D`.
    pub letter: char,
    /// The rule that found it.
    pub rule: Rule,
}

struct Compiled {
    single: Vec<(Regex, usize)>,
    recursive: Vec<Regex>,
    weak: Regex,
    only: Regex,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let re = scorebox_sdk::lmeval::pattern;
        Compiled {
            single: SINGLE_PATTERNS.iter().map(|(p, g)| (re(p), *g)).collect(),
            recursive: RECURSIVE_PATTERNS.iter().map(|p| re(p)).collect(),
            weak: re(WEAK_PATTERN),
            only: re(ONLY_LETTER_PATTERN),
        }
    })
}

/// The letter in group `g` of `m` over `chars`.
fn group_letter(chars: &[char], m: &Match, g: usize) -> Option<char> {
    let (a, b) = m.groups.get(g - 1).copied().flatten()?;
    (b == a + 1)
        .then(|| chars[a])
        .filter(|c| CHOICES.contains(c))
}

/// The official `extract_choice` on `response`, without its random
/// fallback: `None` when every rule misses. An empty response (an
/// `IndexError` in the reference's direct call) also gives `None`.
pub fn extract_choice(response: &str) -> Option<Found> {
    let first = response.chars().next()?;
    if CHOICES.contains(&first) {
        return Some(Found {
            letter: first,
            rule: Rule::FirstCharacter,
        });
    }
    let c = compiled();
    let chars: Vec<char> = response.chars().collect();
    for (i, (re, g)) in c.single.iter().enumerate() {
        if let Some(m) = re.search(response) {
            return group_letter(&chars, &m, *g).map(|letter| Found {
                letter,
                rule: Rule::Pattern(i),
            });
        }
    }
    for (i, re) in c.recursive.iter().enumerate() {
        let Some(mut m) = re.search(response) else {
            continue;
        };
        // Search again in the match without its first character, as long
        // as the pattern matches there; keep the last letter.
        let mut text: Vec<char> = chars.clone();
        loop {
            let letter = group_letter(&text, &m, 1);
            let rest: String = text[m.start + 1..m.end].iter().collect();
            match re.search(&rest) {
                Some(next) => {
                    text = rest.chars().collect();
                    m = next;
                }
                None => {
                    return letter.map(|letter| Found {
                        letter,
                        rule: Rule::Recursive(i),
                    });
                }
            }
        }
    }
    if let Some(m) = c.weak.search(response) {
        return group_letter(&chars, &m, 1).map(|letter| Found {
            letter,
            rule: Rule::Weak,
        });
    }
    if let Some(m) = c.only.search(response) {
        return group_letter(&chars, &m, 1).map(|letter| Found {
            letter,
            rule: Rule::OnlyLetter,
        });
    }
    None
}

/// pandas' default `na_values` (pandas 2.2): a results-CSV cell equal to
/// one of these is read back as NaN, which `extract_choice` sees as `"nan"`.
pub const PANDAS_NA_VALUES: [&str; 19] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// What the official `get_results` sees of one response after the
/// pipeline wrote it to the results CSV and read it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piped {
    /// The text `extract_choice` receives.
    pub text: String,
    /// Extra CSV rows the response's line breaks create (each one a row
    /// without an answer that counts as wrong and draws a fallback).
    pub phantom_rows: u32,
    /// Whether pandas' CSV reader raises on the line (`ParserError: Buffer
    /// overflow caught`): a `\r` followed by a space or tab and then more
    /// text. The official run then stops; we score as if it did not.
    pub reader_error: bool,
}

/// The official pipeline between the model and `extract_choice`:
///
/// 1. every runner stores `pred.replace("\n", "")`;
/// 2. `to_csv` quotes the cell only when it holds `,` or `"` (pandas'
///    line terminator is `\n`, so a `\r` alone does not cause quoting);
/// 3. `read_csv` (C engine) ends a row at an unquoted `\r`: the cell keeps
///    the text before the first `\r`, and each later `\r`-separated piece
///    that is not empty or made of spaces and tabs only becomes a row of its
///    own (no answer, response NaN); a piece starting with a space or tab
///    followed by more text makes the reader raise;
/// 4. a cell equal to one of [`PANDAS_NA_VALUES`] becomes NaN, i.e. `"nan"`.
pub fn reference_pipeline(response: &str) -> Piped {
    let stored = response.replace('\n', "");
    let quoted = stored.contains(',') || stored.contains('"');
    let mut phantom_rows = 0;
    let mut reader_error = false;
    let cell = if !quoted && stored.contains('\r') {
        let mut pieces = stored.split('\r');
        let cell = pieces.next().unwrap_or_default().to_string();
        for piece in pieces {
            let blank = piece.chars().all(|c| c == ' ' || c == '\t');
            if blank {
                continue;
            }
            if piece.starts_with([' ', '\t']) {
                reader_error = true;
            }
            phantom_rows += 1;
        }
        cell
    } else {
        stored
    };
    let text = if PANDAS_NA_VALUES.contains(&cell.as_str()) {
        "nan".to_string()
    } else {
        cell
    };
    Piped {
        text,
        phantom_rows,
        reader_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(s: &str) -> Option<char> {
        extract_choice(s).map(|f| f.letter)
    }

    #[test]
    fn every_pattern_compiles_and_finds_its_group() {
        for (p, g) in SINGLE_PATTERNS {
            let re = scorebox_sdk::lmeval::pattern(p);
            assert!(re.group_count() >= g, "{p}");
        }
        assert_eq!(
            extract_choice("Answer: B").unwrap(),
            Found {
                letter: 'A',
                rule: Rule::FirstCharacter
            }
        );
    }

    #[test]
    fn quirks_of_the_chain() {
        // The first character wins before anything else.
        assert_eq!(letter("Because … B"), Some('B'));
        assert_eq!(letter("D项看似合理，但答案是C"), Some('D'));
        // Pattern order beats position.
        assert_eq!(letter("我本来想选B，但仔细想想，答案是D"), Some('D'));
        assert_eq!(letter("答案是A，不过也有人认为答案是D"), Some('A'));
        assert_eq!(letter("不选D，应该选C"), Some('D'));
        // Only the full-width colon; one ASCII space.
        assert_eq!(letter("答案是: C"), Some('C'));
        assert_eq!(letter("答案是: C或D"), None);
        assert_eq!(letter("答案是CSS"), Some('C'));
        // Recursive: the last letter before the first 正确 after the first letter.
        assert_eq!(letter("分析：B不正确，C正确"), Some('B'));
        assert_eq!(letter("D说法错误，C说法也错误，B说法正确"), Some('D'));
        assert_eq!(letter("分析：D说法错误，C说法也错误，B说法正确"), Some('B'));
        assert_eq!(letter("分析：C正确吗？不对，A当选"), Some('A'));
        // Weak and only-letter.
        assert_eq!(letter("不是C，而是B"), Some('B'));
        assert_eq!(letter("是A吧？还是D？"), Some('D'));
        assert_eq!(letter("不是D。"), Some('D'));
        assert_eq!(letter("答案是国内生产总值（GDP）"), Some('D'));
        assert_eq!(letter("x\nA\ny"), Some('A'));
        assert_eq!(letter("无法确定"), None);
        assert_eq!(letter(""), None);
        assert_eq!(extract_choice("不是D。").unwrap().rule, Rule::OnlyLetter);
        assert_eq!(extract_choice("选B").unwrap().rule, Rule::Pattern(2));
    }

    #[test]
    fn pipeline_quirks() {
        let p = reference_pipeline("\nA. 对");
        assert_eq!(p.text, "A. 对");
        assert_eq!(reference_pipeline("N/A").text, "nan");
        assert_eq!(reference_pipeline("").text, "nan");
        assert_eq!(reference_pipeline(" NA").text, " NA");
        let p = reference_pipeline("答案是B\r\n解析");
        assert_eq!((p.text.as_str(), p.phantom_rows), ("答案是B", 1));
        let p = reference_pipeline("x\r \rz\r");
        assert_eq!(
            (p.text.as_str(), p.phantom_rows, p.reader_error),
            ("x", 1, false)
        );
        let p = reference_pipeline("x\r y");
        assert_eq!((p.phantom_rows, p.reader_error), (1, true));
        let p = reference_pipeline("a,b\rc");
        assert_eq!((p.text.as_str(), p.phantom_rows), ("a,b\rc", 0));
        let p = reference_pipeline("\rA");
        assert_eq!((p.text.as_str(), p.phantom_rows), ("nan", 1));
    }
}
