//! The 25 IFEval instructions: their kwargs, and `check_following` as
//! lm-evaluation-harness's `tasks/ifeval/instructions.py` implements it
//! (identical to `tasks/leaderboard/ifeval/` and to google-research's
//! `instruction_following_eval`).

use std::sync::OnceLock;

use regex::Regex;
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::pyunicode::{self, is_word_boundary};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{langdetect, punkt, pyjson, pyre, pytext, treebank};

/// The registered instruction ids (`instructions_registry.INSTRUCTION_DICT`), in its order.
pub const INSTRUCTION_IDS: [&str; 25] = [
    "keywords:existence",
    "keywords:frequency",
    "keywords:forbidden_words",
    "keywords:letter_frequency",
    "language:response_language",
    "length_constraints:number_sentences",
    "length_constraints:number_paragraphs",
    "length_constraints:number_words",
    "length_constraints:nth_paragraph_first_word",
    "detectable_content:number_placeholders",
    "detectable_content:postscript",
    "detectable_format:number_bullet_lists",
    "detectable_format:constrained_response",
    "detectable_format:number_highlighted_sections",
    "detectable_format:multiple_sections",
    "detectable_format:json_format",
    "detectable_format:title",
    "combination:two_responses",
    "combination:repeat_prompt",
    "startend:end_checker",
    "change_case:capital_word_frequency",
    "change_case:english_capital",
    "change_case:english_lowercase",
    "punctuation:no_comma",
    "startend:quotation",
];

/// The categories (the id's prefix before `:`), sorted.
pub fn category(id: &str) -> &str {
    id.split_once(':').map_or(id, |(c, _)| c)
}

/// `instructions_util.LANGUAGE_CODES`: the languages a
/// `language:response_language` kwarg may name (any other raises `KeyError`).
pub const LANGUAGE_CODES: [(&str, &str); 30] = [
    ("en", "English"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("ar", "Arabic"),
    ("hi", "Hindi"),
    ("fr", "French"),
    ("ru", "Russian"),
    ("de", "German"),
    ("ja", "Japanese"),
    ("it", "Italian"),
    ("bn", "Bengali"),
    ("uk", "Ukrainian"),
    ("th", "Thai"),
    ("ur", "Urdu"),
    ("ta", "Tamil"),
    ("te", "Telugu"),
    ("bg", "Bulgarian"),
    ("ko", "Korean"),
    ("pl", "Polish"),
    ("he", "Hebrew"),
    ("fa", "Persian"),
    ("vi", "Vietnamese"),
    ("ne", "Nepali"),
    ("sw", "Swahili"),
    ("kn", "Kannada"),
    ("mr", "Marathi"),
    ("gu", "Gujarati"),
    ("pa", "Punjabi"),
    ("ml", "Malayalam"),
    ("fi", "Finnish"),
];

/// `_CONSTRAINED_RESPONSE_OPTIONS`.
pub const CONSTRAINED_RESPONSES: [&str; 3] = [
    "My answer is yes.",
    "My answer is no.",
    "My answer is maybe.",
];

/// `_COMPARISON_RELATION`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Relation {
    /// `less than`: actual `<` threshold.
    #[serde(rename = "less than")]
    LessThan,
    /// `at least`: actual `>=` threshold.
    #[serde(rename = "at least")]
    AtLeast,
}

impl Relation {
    /// Compares `actual` with `threshold`.
    pub fn holds(self, actual: usize, threshold: i64) -> bool {
        let actual = actual as i128;
        match self {
            Relation::LessThan => actual < i128::from(threshold),
            Relation::AtLeast => actual >= i128::from(threshold),
        }
    }
}

/// One instruction with its arguments resolved (kwargs, or the reference's
/// random fallbacks drawn from the episode seed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Instruction {
    KeywordsExistence {
        keywords: Vec<String>,
    },
    KeywordsFrequency {
        keyword: String,
        frequency: i64,
        relation: Relation,
    },
    ForbiddenWords {
        forbidden_words: Vec<String>,
    },
    LetterFrequency {
        letter: String,
        frequency: i64,
        relation: Relation,
    },
    ResponseLanguage {
        language: String,
    },
    NumberSentences {
        num_sentences: i64,
        relation: Relation,
    },
    NumberParagraphs {
        num_paragraphs: i64,
    },
    NumberWords {
        num_words: i64,
        relation: Relation,
    },
    NthParagraphFirstWord {
        num_paragraphs: i64,
        nth_paragraph: i64,
        first_word: String,
    },
    NumberPlaceholders {
        num_placeholders: i64,
    },
    Postscript {
        postscript_marker: String,
    },
    NumberBulletLists {
        num_bullets: i64,
    },
    ConstrainedResponse,
    NumberHighlightedSections {
        num_highlights: i64,
    },
    MultipleSections {
        section_spliter: String,
        num_sections: i64,
    },
    JsonFormat,
    Title,
    TwoResponses,
    RepeatPrompt {
        prompt_to_repeat: String,
    },
    EndChecker {
        end_phrase: String,
    },
    CapitalWordFrequency {
        capital_frequency: i64,
        capital_relation: Relation,
    },
    EnglishCapital,
    EnglishLowercase,
    NoComma,
    Quotation,
}

/// Python truthiness of a kwarg value (`{k: v for k, v in kwargs.items() if v}`).
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Reads the kwargs of one instruction, as the reference's
/// `build_description(**kwargs)` takes them.
struct Kwargs<'a> {
    id: &'a str,
    map: Map<String, Value>,
}

impl Kwargs<'_> {
    fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key)
    }

    fn int(&mut self, key: &str) -> Result<Option<i64>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                        .map(|f| f as i64)
                })
                .map(Some)
                .ok_or_else(|| format!("`{key}` must be an integer, found {n}")),
            Some(other) => Err(format!("`{key}` must be an integer, found {other}")),
        }
    }

    fn string(&mut self, key: &str) -> Result<Option<String>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("`{key}` must be a string, found {other}")),
        }
    }

    fn strings(&mut self, key: &str) -> Result<Option<Vec<String>>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    other => Err(format!("`{key}` must hold strings, found {other}")),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(format!("`{key}` must be a list of strings, found {other}")),
        }
    }

    fn relation(&mut self, key: &str, rng: &mut PyRandom) -> Result<Relation, String> {
        match self.string(key)? {
            None => Ok(if rng.randbelow(2) == 0 {
                Relation::LessThan
            } else {
                Relation::AtLeast
            }),
            Some(r) if r == "less than" => Ok(Relation::LessThan),
            Some(r) if r == "at least" => Ok(Relation::AtLeast),
            Some(r) => Err(format!(
                "`{key}` must be `less than` or `at least`, but `{r}` is given (the reference raises ValueError)"
            )),
        }
    }

    /// `x if x is not None and x >= 0 else randint(lo, hi)`.
    fn count_or(&mut self, key: &str, lo: i64, hi: i64, rng: &mut PyRandom) -> Result<i64, String> {
        Ok(match self.int(key)? {
            Some(n) if n >= 0 => n,
            _ => rng.randint(lo, hi),
        })
    }

    fn done(self) -> Result<(), String> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(k) => Err(format!(
                "`{}` takes no argument `{k}` (the reference raises TypeError)",
                self.id
            )),
        }
    }
}

fn no_word_list(id: &str, key: &str) -> String {
    format!(
        "`{id}` without `{key}`: the reference would draw random words from its word list, which this plugin does not reproduce"
    )
}

impl Instruction {
    /// Builds an instruction from its id and kwargs (falsy values already
    /// dropped), drawing the reference's random fallbacks from `rng` in the
    /// reference's order.
    ///
    /// # Errors
    /// An unknown id, an unexpected or mistyped kwarg, an invalid relation,
    /// a language outside `LANGUAGE_CODES`, a missing `prompt_to_repeat`, a
    /// missing word kwarg, or a pattern the regex engine cannot compile: the
    /// reference raises (or draws from its word list) on each of them.
    pub fn build(
        id: &str,
        kwargs: &Map<String, Value>,
        rng: &mut PyRandom,
    ) -> Result<Instruction, String> {
        let mut k = Kwargs {
            id,
            map: kwargs
                .iter()
                .filter(|(_, v)| truthy(v))
                .map(|(a, b)| (a.clone(), b.clone()))
                .collect(),
        };
        let inst = match id {
            "keywords:existence" => {
                let mut keywords = k.strings("keywords")?.ok_or_else(|| no_word_list(id, "keywords"))?;
                keywords.sort();
                Instruction::KeywordsExistence { keywords }
            }
            "keywords:frequency" => {
                let keyword = k.string("keyword")?.ok_or_else(|| no_word_list(id, "keyword"))?;
                let frequency = k.count_or("frequency", 1, 3, rng)?;
                let relation = k.relation("relation", rng)?;
                Instruction::KeywordsFrequency {
                    keyword: pyunicode::strip(&keyword).to_string(),
                    frequency,
                    relation,
                }
            }
            "keywords:forbidden_words" => {
                let mut words = k
                    .strings("forbidden_words")?
                    .ok_or_else(|| no_word_list(id, "forbidden_words"))?;
                words.sort();
                words.dedup();
                Instruction::ForbiddenWords { forbidden_words: words }
            }
            "keywords:letter_frequency" => {
                const ASCII_LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
                let given = match k.string("letter")? {
                    // `len(letter) > 1` short-circuits before `ord(...)`.
                    Some(l) if l.chars().count() == 1 => {
                        let low = pyunicode::lower(&l);
                        if low.chars().count() != 1 {
                            return Err(format!(
                                "`letter` `{l}` lower-cases to several characters (the reference raises TypeError)"
                            ));
                        }
                        low.chars().next().filter(char::is_ascii_lowercase).map(String::from)
                    }
                    _ => None,
                };
                let letter = match given {
                    Some(l) => l,
                    None => {
                        let c = *rng.choice(ASCII_LETTERS).unwrap_or(&b'a');
                        (c as char).to_ascii_lowercase().to_string()
                    }
                };
                let frequency = k.count_or("let_frequency", 1, 10, rng)?;
                let relation = k.relation("let_relation", rng)?;
                Instruction::LetterFrequency { letter, frequency, relation }
            }
            "language:response_language" => {
                let language = match k.string("language")? {
                    Some(l) => l,
                    None => rng.choice(&LANGUAGE_CODES).map_or("en", |(c, _)| c).to_string(),
                };
                if !LANGUAGE_CODES.iter().any(|(c, _)| *c == language) {
                    return Err(format!(
                        "`language` `{language}` is not one of the reference's LANGUAGE_CODES (it raises KeyError)"
                    ));
                }
                Instruction::ResponseLanguage { language }
            }
            "length_constraints:number_sentences" => {
                let num_sentences = k.count_or("num_sentences", 1, 20, rng)?;
                let relation = k.relation("relation", rng)?;
                Instruction::NumberSentences { num_sentences, relation }
            }
            "length_constraints:number_paragraphs" => Instruction::NumberParagraphs {
                num_paragraphs: k.count_or("num_paragraphs", 1, 5, rng)?,
            },
            "length_constraints:number_words" => {
                let num_words = k.count_or("num_words", 100, 500, rng)?;
                let relation = k.relation("relation", rng)?;
                Instruction::NumberWords { num_words, relation }
            }
            "length_constraints:nth_paragraph_first_word" => {
                let num_paragraphs = k.count_or("num_paragraphs", 1, 5, rng)?;
                let nth_paragraph = match k.int("nth_paragraph")? {
                    Some(n) if n > 0 && n <= num_paragraphs => n,
                    _ => rng.randint(1, num_paragraphs + 1),
                };
                let first_word = k.string("first_word")?.ok_or_else(|| no_word_list(id, "first_word"))?;
                Instruction::NthParagraphFirstWord {
                    num_paragraphs,
                    nth_paragraph,
                    first_word: pyunicode::lower(&first_word),
                }
            }
            "detectable_content:number_placeholders" => Instruction::NumberPlaceholders {
                num_placeholders: k.count_or("num_placeholders", 1, 4, rng)?,
            },
            "detectable_content:postscript" => {
                let marker = match k.string("postscript_marker")? {
                    Some(m) => pyunicode::strip(&m).to_string(),
                    None => ["P.S.", "P.P.S"][rng.randbelow(2) as usize].to_string(),
                };
                Instruction::Postscript { postscript_marker: marker }
            }
            "detectable_format:number_bullet_lists" => Instruction::NumberBulletLists {
                num_bullets: k.count_or("num_bullets", 1, 5, rng)?,
            },
            "detectable_format:constrained_response" => Instruction::ConstrainedResponse,
            "detectable_format:number_highlighted_sections" => Instruction::NumberHighlightedSections {
                num_highlights: k.count_or("num_highlights", 1, 4, rng)?,
            },
            "detectable_format:multiple_sections" => {
                let splitter = match k.string("section_spliter")? {
                    Some(s) => pyunicode::strip(&s).to_string(),
                    None => ["Section", "SECTION"][rng.randbelow(2) as usize].to_string(),
                };
                let num_sections = k.count_or("num_sections", 1, 5, rng)?;
                Instruction::MultipleSections { section_spliter: splitter, num_sections }
            }
            "detectable_format:json_format" => Instruction::JsonFormat,
            "detectable_format:title" => Instruction::Title,
            "combination:two_responses" => Instruction::TwoResponses,
            "combination:repeat_prompt" => Instruction::RepeatPrompt {
                prompt_to_repeat: k.string("prompt_to_repeat")?.ok_or_else(|| {
                    "`combination:repeat_prompt` needs `prompt_to_repeat` (the reference raises ValueError)".to_string()
                })?,
            },
            "startend:end_checker" => Instruction::EndChecker {
                end_phrase: match k.string("end_phrase")? {
                    Some(p) => pyunicode::strip(&p).to_string(),
                    None => ["Any other questions?", "Is there anything else I can help with?"]
                        [rng.randbelow(2) as usize]
                        .to_string(),
                },
            },
            "change_case:capital_word_frequency" => {
                let capital_frequency = match k.int("capital_frequency")? {
                    Some(n) => n,
                    None => rng.randint(1, 20),
                };
                let capital_relation = k.relation("capital_relation", rng)?;
                Instruction::CapitalWordFrequency { capital_frequency, capital_relation }
            }
            "change_case:english_capital" => Instruction::EnglishCapital,
            "change_case:english_lowercase" => Instruction::EnglishLowercase,
            "punctuation:no_comma" => Instruction::NoComma,
            "startend:quotation" => Instruction::Quotation,
            other => return Err(format!("unknown instruction id `{other}` (the reference raises KeyError)")),
        };
        k.done()?;
        inst.patterns()?;
        Ok(inst)
    }

    /// The registry id.
    pub fn id(&self) -> &'static str {
        use Instruction::*;
        match self {
            KeywordsExistence { .. } => "keywords:existence",
            KeywordsFrequency { .. } => "keywords:frequency",
            ForbiddenWords { .. } => "keywords:forbidden_words",
            LetterFrequency { .. } => "keywords:letter_frequency",
            ResponseLanguage { .. } => "language:response_language",
            NumberSentences { .. } => "length_constraints:number_sentences",
            NumberParagraphs { .. } => "length_constraints:number_paragraphs",
            NumberWords { .. } => "length_constraints:number_words",
            NthParagraphFirstWord { .. } => "length_constraints:nth_paragraph_first_word",
            NumberPlaceholders { .. } => "detectable_content:number_placeholders",
            Postscript { .. } => "detectable_content:postscript",
            NumberBulletLists { .. } => "detectable_format:number_bullet_lists",
            ConstrainedResponse => "detectable_format:constrained_response",
            NumberHighlightedSections { .. } => "detectable_format:number_highlighted_sections",
            MultipleSections { .. } => "detectable_format:multiple_sections",
            JsonFormat => "detectable_format:json_format",
            Title => "detectable_format:title",
            TwoResponses => "combination:two_responses",
            RepeatPrompt { .. } => "combination:repeat_prompt",
            EndChecker { .. } => "startend:end_checker",
            CapitalWordFrequency { .. } => "change_case:capital_word_frequency",
            EnglishCapital => "change_case:english_capital",
            EnglishLowercase => "change_case:english_lowercase",
            NoComma => "punctuation:no_comma",
            Quotation => "startend:quotation",
        }
    }

    /// The compiled kwarg patterns (keywords, forbidden words, markers,
    /// splitters), in the order `check` uses them.
    ///
    /// # Errors
    /// A pattern that does not compile.
    pub fn patterns(&self) -> Result<Vec<Regex>, String> {
        let c = |p: &str, ic: bool| pyre::compile(p, ic).map_err(|e| format!("pattern `{p}`: {e}"));
        match self {
            Instruction::KeywordsExistence { keywords } => {
                keywords.iter().map(|k| c(k, true)).collect()
            }
            Instruction::KeywordsFrequency { keyword, .. } => Ok(vec![c(keyword, true)?]),
            Instruction::ForbiddenWords { forbidden_words } => forbidden_words
                .iter()
                .map(|w| {
                    if pyre::has_meta(w) {
                        c(&format!("\\b(?:{w})\\b"), true)
                    } else {
                        c(w, true)
                    }
                })
                .collect(),
            Instruction::Postscript { postscript_marker }
                if postscript_marker != "P.P.S" && postscript_marker != "P.S." =>
            {
                Ok(vec![c(&pyunicode::lower(postscript_marker), false)?])
            }
            Instruction::MultipleSections {
                section_spliter, ..
            } => Ok(vec![c(
                &format!("\\s?{section_spliter}\\s?\\d+\\s?"),
                false,
            )?]),
            _ => Ok(Vec::new()),
        }
    }

    /// `check_following(value)` (without the strict-mode `value.strip()` test).
    pub fn check(&self, value: &str) -> bool {
        self.check_with(value, &self.patterns().unwrap_or_default())
    }

    /// [`Instruction::check`] with the patterns already compiled.
    pub fn check_with(&self, value: &str, patterns: &[Regex]) -> bool {
        use Instruction::*;
        match self {
            KeywordsExistence { .. } => patterns.iter().all(|p| p.is_match(value)),
            KeywordsFrequency {
                frequency,
                relation,
                ..
            } => relation.holds(
                patterns.first().map_or(0, |p| p.find_iter(value).count()),
                *frequency,
            ),
            ForbiddenWords { forbidden_words } => {
                !forbidden_words.iter().zip(patterns).any(|(w, p)| {
                    if pyre::has_meta(w) {
                        p.is_match(value)
                    } else {
                        has_bounded(value, p)
                    }
                })
            }
            LetterFrequency {
                letter,
                frequency,
                relation,
            } => {
                let l = letter.chars().next().unwrap_or(' ');
                relation.holds(
                    pyunicode::lower(value).chars().filter(|&c| c == l).count(),
                    *frequency,
                )
            }
            ResponseLanguage { language } => match langdetect::detect(value) {
                Ok(got) => got == language,
                Err(_) => true,
            },
            NumberSentences {
                num_sentences,
                relation,
            } => relation.holds(punkt::count_sentences(value), *num_sentences),
            NumberParagraphs { num_paragraphs } => check_paragraphs(value, *num_paragraphs),
            NumberWords {
                num_words,
                relation,
            } => relation.holds(count_words(value), *num_words),
            NthParagraphFirstWord {
                num_paragraphs,
                nth_paragraph,
                first_word,
            } => check_nth_paragraph(value, *num_paragraphs, *nth_paragraph, first_word),
            NumberPlaceholders { num_placeholders } => {
                count_placeholders(value) as i128 >= i128::from(*num_placeholders)
            }
            Postscript { postscript_marker } => {
                let lower = pyunicode::lower(value);
                match postscript_marker.as_str() {
                    "P.P.S" => re(&RE_PPS, r"p\.[\s\x1c-\x1f]?p\.[\s\x1c-\x1f]?s").is_match(&lower),
                    "P.S." => re(&RE_PS, r"p\.[\s\x1c-\x1f]?s\.").is_match(&lower),
                    _ => patterns.first().is_some_and(|p| p.is_match(&lower)),
                }
            }
            NumberBulletLists { num_bullets } => {
                let n = re(&RE_STAR_BULLET, r"(?m)^[\s\x1c-\x1f]*\*[^\*].*$")
                    .find_iter(value)
                    .count()
                    + re(&RE_DASH_BULLET, r"(?m)^[\s\x1c-\x1f]*-.*$")
                        .find_iter(value)
                        .count();
                n as i128 == i128::from(*num_bullets)
            }
            ConstrainedResponse => {
                let v = pyunicode::strip(value);
                CONSTRAINED_RESPONSES.iter().any(|r| v.contains(r))
            }
            NumberHighlightedSections { num_highlights } => {
                count_highlights(value) as i128 >= i128::from(*num_highlights)
            }
            MultipleSections { num_sections, .. } => {
                patterns.first().map_or(0, |p| p.find_iter(value).count()) as i128
                    >= i128::from(*num_sections)
            }
            JsonFormat => check_json(value),
            Title => re(&RE_TITLE, r"<<[^\n]+>>").find_iter(value).any(|m| {
                let t = m.as_str().trim_start_matches('<').trim_end_matches('>');
                !pyunicode::strip(t).is_empty()
            }),
            TwoResponses => check_two_responses(value),
            RepeatPrompt { prompt_to_repeat } => pyunicode::lower(pyunicode::strip(value))
                .starts_with(&pyunicode::lower(pyunicode::strip(prompt_to_repeat))),
            EndChecker { end_phrase } => {
                pyunicode::lower(pyunicode::strip(value).trim_matches('"'))
                    .ends_with(&pyunicode::lower(pyunicode::strip(end_phrase)))
            }
            CapitalWordFrequency {
                capital_frequency,
                capital_relation,
            } => {
                let n = treebank::word_tokenize(value)
                    .iter()
                    .filter(|w| pytext::is_upper(w))
                    .count();
                capital_relation.holds(n, *capital_frequency)
            }
            EnglishCapital => pytext::is_upper(value) && langdetect::detect(value).is_none_or_en(),
            EnglishLowercase => {
                pytext::is_lower(value) && langdetect::detect(value).is_none_or_en()
            }
            NoComma => !value.contains(','),
            Quotation => {
                let v = pyunicode::strip(value);
                v.chars().count() > 1 && v.starts_with('"') && v.ends_with('"')
            }
        }
    }
}

trait EnOrNoFeatures {
    fn is_none_or_en(&self) -> bool;
}

impl EnOrNoFeatures for Result<&'static str, langdetect::DetectError> {
    /// `langdetect.detect(value) == "en"`, with a detection failure counted
    /// as followed (the reference catches `LangDetectException`).
    fn is_none_or_en(&self) -> bool {
        match self {
            Ok(lang) => *lang == "en",
            Err(_) => true,
        }
    }
}

static RE_PPS: OnceLock<Regex> = OnceLock::new();
static RE_PS: OnceLock<Regex> = OnceLock::new();
static RE_STAR_BULLET: OnceLock<Regex> = OnceLock::new();
static RE_DASH_BULLET: OnceLock<Regex> = OnceLock::new();
static RE_TITLE: OnceLock<Regex> = OnceLock::new();
static RE_HIGHLIGHT: OnceLock<Regex> = OnceLock::new();
static RE_DOUBLE_HIGHLIGHT: OnceLock<Regex> = OnceLock::new();
static RE_PARAGRAPH_SPLIT: OnceLock<Regex> = OnceLock::new();
static RE_WORD: OnceLock<Regex> = OnceLock::new();

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in pattern"))
}

/// `re.search(r"\b" + word + r"\b", value, re.IGNORECASE)` for a literal
/// word, with Python's `\b`: every case-insensitive occurrence (overlapping
/// ones included) is tested for word boundaries at both ends.
fn has_bounded(value: &str, literal: &Regex) -> bool {
    let mut start = 0;
    while start <= value.len() {
        let Some(m) = literal.find_at(value, start) else {
            return false;
        };
        if is_word_boundary(value, m.start()) && is_word_boundary(value, m.end()) {
            return true;
        }
        // Try the next start position.
        start = m.start() + value[m.start()..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// `instructions_util.count_words`: `RegexpTokenizer(r"\w+")` (nltk 3.10
/// compiles it with the `regex` module, whose `\w` is the `regex` crate's).
pub fn count_words(text: &str) -> usize {
    re(&RE_WORD, r"\w+").find_iter(text).count()
}

/// `len(re.findall(r"\[.*?\]", value))`.
pub fn count_placeholders(value: &str) -> usize {
    let b = value.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'[' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b']' && b[j] != b'\n' {
                j += 1;
            }
            if j < b.len() && b[j] == b']' {
                n += 1;
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    n
}

/// `HighlightSectionChecker`: non-blank `*...*` plus non-blank `**...**`.
pub fn count_highlights(value: &str) -> usize {
    let single = re(&RE_HIGHLIGHT, r"\*[^\n\*]*\*")
        .find_iter(value)
        .filter(|m| !pyunicode::strip(m.as_str().trim_matches('*')).is_empty())
        .count();
    let double = re(&RE_DOUBLE_HIGHLIGHT, r"\*\*[^\n\*]*\*\*")
        .find_iter(value)
        .filter(|m| {
            let s = m.as_str();
            !pyunicode::strip(&s[2..s.len() - 2]).is_empty()
        })
        .count();
    single + double
}

/// `ParagraphChecker`: `re.split(r"\s?\*\*\*\s?")`, blank first/last parts
/// dropped, a blank middle part fails.
fn check_paragraphs(value: &str, want: i64) -> bool {
    let parts: Vec<&str> = re(&RE_PARAGRAPH_SPLIT, r"[\s\x1c-\x1f]?\*\*\*[\s\x1c-\x1f]?")
        .split(value)
        .collect();
    let mut n = parts.len() as i128;
    for (i, p) in parts.iter().enumerate() {
        if pyunicode::strip(p).is_empty() {
            if i == 0 || i == parts.len() - 1 {
                n -= 1;
            } else {
                return false;
            }
        }
    }
    n == i128::from(want)
}

/// `ParagraphFirstWordCheck`.
fn check_nth_paragraph(value: &str, want: i64, nth: i64, first_word: &str) -> bool {
    let paragraphs: Vec<&str> = value.split("\n\n").collect();
    let mut n = paragraphs.len() as i128;
    for p in &paragraphs {
        if pyunicode::strip(p).is_empty() {
            n -= 1;
        }
    }
    if i128::from(nth) > n {
        return false;
    }
    // Python indexes the raw list (blank pieces included); a negative index
    // counts from the end.
    let idx = if nth >= 1 {
        (nth - 1) as usize
    } else {
        match paragraphs.len().checked_sub((1 - nth) as usize) {
            Some(i) => i,
            None => return false,
        }
    };
    let Some(paragraph) = paragraphs.get(idx) else {
        return false;
    };
    let paragraph = pyunicode::strip(paragraph);
    if paragraph.is_empty() {
        return false;
    }
    let word = paragraph
        .split(pyunicode::is_space)
        .find(|w| !w.is_empty())
        .unwrap_or("");
    let word = word.trim_start_matches('\'').trim_start_matches('"');
    let mut got = String::new();
    for c in word.chars() {
        if matches!(c, '.' | ',' | '?' | '!' | '\'' | '"') {
            break;
        }
        got.push_str(&pyunicode::lower(&c.to_string()));
    }
    n == i128::from(want) && got == first_word
}

/// `JsonFormat`: strip, remove one of the fence prefixes (in the
/// reference's order, each tried on the result of the previous) and the
/// closing fence, strip, then `json.loads`.
fn check_json(value: &str) -> bool {
    let mut v = pyunicode::strip(value);
    for prefix in ["```json", "```Json", "```JSON", "```"] {
        v = v.strip_prefix(prefix).unwrap_or(v);
    }
    v = v.strip_suffix("```").unwrap_or(v);
    pyjson::loads_ok(pyunicode::strip(v))
}

/// `TwoResponsesChecker`.
fn check_two_responses(value: &str) -> bool {
    let parts: Vec<&str> = value.split("******").collect();
    let mut valid = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if pyunicode::strip(p).is_empty() {
            if i != 0 && i != parts.len() - 1 {
                return false;
            }
        } else {
            valid.push(*p);
        }
    }
    valid.len() == 2 && pyunicode::strip(valid[0]) != pyunicode::strip(valid[1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn build(id: &str, kwargs: Value) -> Instruction {
        let mut rng = PyRandom::from_seed(0);
        Instruction::build(id, kwargs.as_object().unwrap(), &mut rng).unwrap()
    }

    #[test]
    fn quirks_from_the_reference() {
        let kw = build("keywords:existence", json!({"keywords": ["art"]}));
        assert!(kw.check("Start here"));
        let fw = build(
            "keywords:forbidden_words",
            json!({"forbidden_words": ["ai"]}),
        );
        assert!(!fw.check("AI-powered"));
        assert!(fw.check("said"));
        let b = build(
            "detectable_format:number_bullet_lists",
            json!({"num_bullets": 2}),
        );
        assert!(b.check("* a\n* b"));
        assert!(b.check("---\n-5 x"));
        assert!(!b.check("*\n* b"));
        let h = build(
            "detectable_format:number_highlighted_sections",
            json!({"num_highlights": 2}),
        );
        assert!(h.check("***x***"));
        assert!(!h.check("* *x*"));
        let p = build(
            "length_constraints:number_paragraphs",
            json!({"num_paragraphs": 2}),
        );
        assert!(p.check("a ***b***"));
        assert!(!p.check("a\n***\n\n***\nb"));
        let ps = build(
            "detectable_content:postscript",
            json!({"postscript_marker": "P.S"}),
        );
        assert!(ps.check("you pass"));
        let q = build("startend:quotation", json!({}));
        assert!(q.check("\"\""));
        assert!(!q.check("\""));
        let t = build("combination:two_responses", json!({}));
        assert!(t.check("a\n*******\nb"));
        assert!(!t.check("a\n*****\nb"));
        assert_eq!(count_placeholders("[a] [b\n] [c]"), 2);
    }

    #[test]
    fn fallbacks_replay_python_random_draws() {
        // CPython 3.11.7: r = random.Random(0); r.randint(100, 500), r.choice(relations)
        let mut rng = PyRandom::from_seed(0);
        let i = Instruction::build(
            "length_constraints:number_words",
            json!({}).as_object().unwrap(),
            &mut rng,
        );
        assert_eq!(
            i.unwrap(),
            Instruction::NumberWords {
                num_words: 297,
                relation: Relation::AtLeast
            }
        );
        // random.Random(7): randint(1, 5) = 3, then randint(1, 3 + 1) = 2.
        let mut rng = PyRandom::from_seed(7);
        let i = Instruction::build(
            "length_constraints:nth_paragraph_first_word",
            json!({"first_word": "So"}).as_object().unwrap(),
            &mut rng,
        );
        assert_eq!(
            i.unwrap(),
            Instruction::NthParagraphFirstWord {
                num_paragraphs: 3,
                nth_paragraph: 2,
                first_word: "so".into()
            }
        );
        // random.Random(3): choice(ascii_letters).lower() = "p", randint(1, 10) = 10, "less than".
        let mut rng = PyRandom::from_seed(3);
        let i = Instruction::build(
            "keywords:letter_frequency",
            json!({"letter": "ab"}).as_object().unwrap(),
            &mut rng,
        );
        assert_eq!(
            i.unwrap(),
            Instruction::LetterFrequency {
                letter: "p".into(),
                frequency: 10,
                relation: Relation::LessThan
            }
        );
    }

    #[test]
    fn falsy_kwargs_fall_back_to_seeded_draws() {
        let a = build(
            "length_constraints:number_words",
            json!({"num_words": 0, "relation": null}),
        );
        let b = build("length_constraints:number_words", json!({}));
        assert_eq!(a, b);
        let mut rng = PyRandom::from_seed(0);
        let e = Instruction::build(
            "keywords:frequency",
            json!({"keyword": "x", "relation": "at most"})
                .as_object()
                .unwrap(),
            &mut rng,
        );
        assert!(e.unwrap_err().contains("ValueError"));
        let e = Instruction::build(
            "startend:quotation",
            json!({"x": 1}).as_object().unwrap(),
            &mut rng,
        );
        assert!(e.unwrap_err().contains("TypeError"));
    }
}
