//! The reference answer: a response built to follow every instruction of a
//! prompt at once under the strict checkers, for the `gold` model.
//!
//! The builder lays out the parts each instruction asks for (repeated
//! prompt, title, paragraphs, section headers, highlights, placeholders,
//! bullets, the constrained answer, the postscript, the end phrase; JSON,
//! quotation marks and two responses around them), fills the paragraphs with
//! sentences in the required language and case from a vocabulary filtered by
//! the keyword, forbidden-word and letter constraints, then checks the result
//! with the strict checkers and adjusts the number and length of the
//! sentences (and the filler) a few times until every instruction passes.
//! Instructions that contradict each other (see the README) cannot all pass;
//! the last candidate is returned then.

use crate::instructions::{Instruction, Relation};
use crate::{instructions, punkt, score};

/// English filler words: no single letters (`A` and `I` are capital words),
/// no punkt abbreviations (a period after them is no sentence break).
const VOCAB: &[&str] = &[
    "the", "river", "and", "garden", "morning", "with", "window", "story", "music", "bright",
    "quiet", "simple", "water", "friend", "table", "light", "green", "paper", "travel", "market",
    "summer", "winter", "forest", "ocean", "mountain", "yellow", "happy", "careful", "useful",
    "plan", "answer", "question", "people", "world", "city", "house", "road", "small", "large",
    "warm", "cold", "fresh", "clear", "strong", "gentle", "kind", "calm", "early", "today",
    "always", "often", "together", "many", "every", "other", "best", "good", "new", "long", "high",
    "deep", "open", "blue", "white", "fast", "slow", "young", "picture", "book", "number", "point",
    "part", "place", "time", "year", "day", "night", "home", "school", "work", "play", "help",
    "learn", "build", "grow", "move", "walk", "talk", "read", "write", "think", "know", "feel",
    "see", "hear", "make", "keep", "bring", "carry", "follow", "visit", "share", "enjoy", "choose",
    "zone", "quiz", "jazz", "box", "fox", "jump", "joke", "queen", "quick", "zebra", "lazy",
    "vivid", "wave", "valley", "of", "to", "for", "this", "was", "from", "by", "our", "just",
    "much", "hour", "tiny", "humid", "sky", "dry", "fun", "run", "sun", "hill", "lamp", "song",
    "gift", "milk", "farm", "wind", "bird", "fish", "corn",
];

/// Capital words for `capital_word_frequency ≥ n`.
const CAPITALS: &[&str] = &[
    "NOTE", "TODAY", "WORLD", "RIVER", "MUSIC", "GARDEN", "LIGHT", "HOUSE", "OCEAN", "STORY",
    "BOX", "JAZZ", "FOX", "SKY", "DRY", "RUN", "HOUR", "QUIZ",
];

/// One sentence per language of `LANGUAGE_CODES` (other than English) that
/// langdetect recognises with certainty; written without commas.
const SENTENCES: &[(&str, &str)] = &[
    (
        "es",
        "La casa es grande y tiene un jardín muy bonito con muchas flores de colores",
    ),
    (
        "pt",
        "A casa é grande e tem um jardim muito bonito com muitas flores coloridas",
    ),
    (
        "ar",
        "البيت كبير وفيه حديقة جميلة جدا مع الكثير من الزهور الملونة",
    ),
    ("hi", "घर बड़ा है और उसमें बहुत सुंदर बगीचा है जिसमें कई रंगीन फूल हैं"),
    (
        "fr",
        "La maison est grande et elle a un très beau jardin avec beaucoup de fleurs",
    ),
    (
        "ru",
        "Дом большой и в нём очень красивый сад с множеством цветов",
    ),
    (
        "de",
        "Das Haus ist groß und hat einen sehr schönen Garten mit vielen bunten Blumen",
    ),
    (
        "ja",
        "家は大きくて色とりどりの花がたくさんあるとてもきれいな庭があります",
    ),
    (
        "it",
        "La casa è grande e ha un giardino molto bello con tanti fiori colorati",
    ),
    ("bn", "বাড়িটি বড় এবং এতে অনেক রঙিন ফুলসহ একটি খুব সুন্দর বাগান আছে"),
    (
        "uk",
        "Будинок великий і в ньому дуже гарний сад з багатьма квітами",
    ),
    ("th", "บ้านหลังใหญ่และมีสวนที่สวยมากพร้อมดอกไม้หลากสีมากมาย"),
    (
        "ur",
        "گھر بڑا ہے اور اس میں بہت خوبصورت باغ ہے جس میں کئی رنگ برنگے پھول ہیں",
    ),
    (
        "ta",
        "வீடு பெரியது மற்றும் அதில் பல வண்ண மலர்களுடன் மிக அழகான தோட்டம் உள்ளது",
    ),
    ("te", "ఇల్లు పెద్దది మరియు అందులో చాలా రంగుల పూలతో చాలా అందమైన తోట ఉంది"),
    (
        "bg",
        "Къщата е голяма и има много красива градина с много цветни цветя",
    ),
    (
        "ko",
        "집은 크고 다양한 색깔의 꽃이 많은 아주 예쁜 정원이 있습니다",
    ),
    (
        "pl",
        "Dom jest duży i ma bardzo piękny ogród z wieloma kolorowymi kwiatami",
    ),
    (
        "he",
        "הבית גדול ויש בו גינה יפה מאוד עם הרבה פרחים צבעוניים",
    ),
    (
        "fa",
        "خانه بزرگ است و یک باغ بسیار زیبا با گل های رنگارنگ فراوان دارد",
    ),
    (
        "vi",
        "Ngôi nhà lớn và có một khu vườn rất đẹp với nhiều bông hoa nhiều màu sắc",
    ),
    (
        "ne",
        "घर ठूलो छ र यसमा धेरै रंगीन फूलहरू भएको एउटा धेरै राम्रो बगैंचा छ",
    ),
    (
        "sw",
        "Nyumba ni kubwa na ina bustani nzuri sana yenye maua mengi ya rangi",
    ),
    (
        "kn",
        "ಮನೆ ದೊಡ್ಡದಾಗಿದೆ ಮತ್ತು ಅದರಲ್ಲಿ ಅನೇಕ ಬಣ್ಣದ ಹೂವುಗಳಿರುವ ತುಂಬಾ ಸುಂದರವಾದ ತೋಟವಿದೆ",
    ),
    ("mr", "घर मोठे आहे आणि त्यात अनेक रंगीबेरंगी फुलांची खूप सुंदर बाग आहे"),
    ("gu", "ઘર મોટું છે અને તેમાં ઘણા રંગબેરંગી ફૂલો સાથે ખૂબ સુંદર બગીચો છે"),
    (
        "pa",
        "ਘਰ ਵੱਡਾ ਹੈ ਅਤੇ ਇਸ ਵਿੱਚ ਬਹੁਤ ਸਾਰੇ ਰੰਗੀਨ ਫੁੱਲਾਂ ਵਾਲਾ ਬਹੁਤ ਸੁੰਦਰ ਬਾਗ਼ ਹੈ",
    ),
    (
        "ml",
        "വീട് വലുതാണ് അതിൽ ധാരാളം നിറമുള്ള പൂക്കളുള്ള വളരെ മനോഹരമായ ഒരു തോട്ടമുണ്ട്",
    ),
    (
        "fi",
        "Talo on suuri ja siinä on erittäin kaunis puutarha jossa on paljon värikkäitä kukkia",
    ),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Normal,
    Upper,
    Lower,
}

/// What the instructions of one prompt ask for, gathered.
#[derive(Default)]
struct Spec {
    lang: Option<String>,
    upper: bool,
    lower: bool,
    keywords: Vec<String>,
    /// (keyword, at least n).
    keyword_min: Vec<(String, i64)>,
    /// Keywords to keep below a count: the filler must not contain them.
    keyword_avoid: Vec<String>,
    forbidden: Vec<String>,
    letter_min: Vec<(char, i64)>,
    letter_avoid: Vec<char>,
    sentences_min: i64,
    sentences_max: Option<i64>,
    words_min: i64,
    words_max: Option<i64>,
    star_paragraphs: Option<i64>,
    nth: Option<(i64, i64, String)>,
    placeholders: i64,
    postscript: Option<String>,
    bullets: Option<i64>,
    constrained: bool,
    highlights: i64,
    sections: Option<(String, i64)>,
    json: bool,
    title: bool,
    two: bool,
    repeat: Option<String>,
    end: Option<String>,
    capital_min: i64,
    quotation: bool,
}

impl Spec {
    fn of(instructions: &[Instruction]) -> Spec {
        use Instruction::*;
        let mut s = Spec::default();
        for i in instructions {
            match i {
                KeywordsExistence { keywords } => s.keywords.extend(keywords.iter().cloned()),
                KeywordsFrequency {
                    keyword,
                    frequency,
                    relation,
                } => match relation {
                    Relation::AtLeast => s.keyword_min.push((keyword.clone(), *frequency)),
                    Relation::LessThan => s.keyword_avoid.push(keyword.clone()),
                },
                ForbiddenWords { forbidden_words } => {
                    s.forbidden.extend(forbidden_words.iter().cloned())
                }
                LetterFrequency {
                    letter,
                    frequency,
                    relation,
                } => {
                    let c = letter.chars().next().unwrap_or('a');
                    match relation {
                        Relation::AtLeast => s.letter_min.push((c, *frequency)),
                        Relation::LessThan => s.letter_avoid.push(c),
                    }
                }
                ResponseLanguage { language } => s.lang = Some(language.clone()),
                NumberSentences {
                    num_sentences,
                    relation,
                } => match relation {
                    Relation::AtLeast => s.sentences_min = s.sentences_min.max(*num_sentences),
                    Relation::LessThan => {
                        s.sentences_max = Some(
                            s.sentences_max
                                .map_or(*num_sentences, |m| m.min(*num_sentences)),
                        )
                    }
                },
                NumberParagraphs { num_paragraphs } => s.star_paragraphs = Some(*num_paragraphs),
                NumberWords {
                    num_words,
                    relation,
                } => match relation {
                    Relation::AtLeast => s.words_min = s.words_min.max(*num_words),
                    Relation::LessThan => {
                        s.words_max = Some(s.words_max.map_or(*num_words, |m| m.min(*num_words)))
                    }
                },
                NthParagraphFirstWord {
                    num_paragraphs,
                    nth_paragraph,
                    first_word,
                } => s.nth = Some((*num_paragraphs, *nth_paragraph, first_word.clone())),
                NumberPlaceholders { num_placeholders } => {
                    s.placeholders = s.placeholders.max(*num_placeholders)
                }
                Postscript { postscript_marker } => s.postscript = Some(postscript_marker.clone()),
                NumberBulletLists { num_bullets } => s.bullets = Some(*num_bullets),
                ConstrainedResponse => s.constrained = true,
                NumberHighlightedSections { num_highlights } => {
                    s.highlights = s.highlights.max(*num_highlights)
                }
                MultipleSections {
                    section_spliter,
                    num_sections,
                } => s.sections = Some((section_spliter.clone(), *num_sections)),
                JsonFormat => s.json = true,
                Title => s.title = true,
                TwoResponses => s.two = true,
                RepeatPrompt { prompt_to_repeat } => s.repeat = Some(prompt_to_repeat.clone()),
                EndChecker { end_phrase } => s.end = Some(end_phrase.clone()),
                CapitalWordFrequency {
                    capital_frequency,
                    capital_relation,
                } => {
                    if *capital_relation == Relation::AtLeast {
                        s.capital_min = s.capital_min.max(*capital_frequency)
                    }
                }
                EnglishCapital => s.upper = true,
                EnglishLowercase => s.lower = true,
                NoComma => {}
                Quotation => s.quotation = true,
            }
        }
        s
    }

    fn case(&self) -> Case {
        if self.upper {
            Case::Upper
        } else if self.lower {
            Case::Lower
        } else {
            Case::Normal
        }
    }

    /// Whether a filler word may be used.
    fn allows(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        !self.letter_avoid.iter().any(|&c| lower.contains(c))
            && !self.forbidden.iter().any(|f| f.to_lowercase() == lower)
            && !self
                .keyword_avoid
                .iter()
                .any(|k| lower.contains(&k.to_lowercase()))
    }
}

/// The knobs the builder turns between attempts.
#[derive(Clone, Copy, Debug)]
struct Plan {
    sentences: usize,
    words_per_sentence: usize,
    offset: usize,
    capitals: usize,
    /// End filler sentences with a period (off to keep the sentence count down).
    periods: bool,
}

struct Builder<'a> {
    spec: &'a Spec,
    vocab: Vec<&'static str>,
    case: Case,
}

impl Builder<'_> {
    fn word(&self, i: usize) -> &'static str {
        self.vocab[i % self.vocab.len()]
    }

    /// `n` filler sentences (English from the vocabulary, else the
    /// language's sentence), starting at word `start`.
    fn filler(
        &self,
        plan: &Plan,
        n: usize,
        start: &mut usize,
        inserts: &mut Vec<String>,
    ) -> Vec<String> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let mut words: Vec<String> = Vec::new();
            match self.spec.lang.as_deref() {
                Some(l) if l != "en" => {
                    let s = SENTENCES
                        .iter()
                        .find(|(c, _)| *c == l)
                        .map_or("", |(_, s)| s);
                    words.extend(s.split(' ').map(str::to_string));
                }
                _ => {
                    for _ in 0..plan.words_per_sentence.max(1) {
                        words.push(self.word(*start * 7 + plan.offset).to_string());
                        *start += 1;
                    }
                }
            }
            // Inserted items (keywords, highlights, placeholders, capitals) go
            // after the first word, never first in a line.
            let take = inserts.len().min(6);
            for (k, item) in inserts.drain(..take).enumerate() {
                words.insert((1 + k).min(words.len()), item);
            }
            let mut s = words.join(" ");
            if plan.periods {
                s.push('.');
            }
            out.push(s);
        }
        out
    }

    fn cased(&self, s: &str) -> String {
        match self.case {
            Case::Normal => s.to_string(),
            Case::Upper => s.to_uppercase(),
            Case::Lower => s.to_lowercase(),
        }
    }

    fn items(&self, plan: &Plan) -> Vec<String> {
        let spec = self.spec;
        let mut items: Vec<String> = Vec::new();
        for k in &spec.keywords {
            items.push(k.clone());
        }
        for (k, n) in &spec.keyword_min {
            let have = spec.keywords.iter().filter(|x| *x == k).count() as i64;
            for _ in have..*n {
                items.push(k.clone());
            }
        }
        for (c, n) in &spec.letter_min {
            // Words rich in the letter, or the letter doubled as a word.
            for _ in 0..(*n + 1) / 2 {
                items.push(format!("{c}{c}"));
            }
        }
        for i in 0..spec.highlights.max(0) as usize {
            items.push(format!("*{}*", self.word(i * 3 + 1)));
        }
        for i in 0..spec.placeholders.max(0) as usize {
            items.push(format!("[{}]", self.word(i * 5 + 2)));
        }
        let capitals: Vec<&str> = CAPITALS
            .iter()
            .copied()
            .filter(|w| spec.allows(w))
            .collect();
        for i in 0..plan.capitals {
            if let Some(w) = capitals.get(i % capitals.len().max(1)) {
                items.push(w.to_string());
            }
        }
        items
    }

    fn body(&self, plan: &Plan) -> String {
        let spec = self.spec;
        let mut inserts = self.items(plan);
        let mut word_at = 0usize;
        let nth = spec.nth.as_ref();
        let paragraphs = spec
            .star_paragraphs
            .or(nth.map(|(n, _, _)| *n))
            .unwrap_or(1)
            .max(1) as usize;
        let per = (plan.sentences / paragraphs).max(1);
        let extra = plan.sentences.saturating_sub(per * paragraphs);
        let mut sections: Vec<String> = match &spec.sections {
            Some((splitter, n)) => (1..=(*n).max(0))
                .map(|i| format!("{splitter} {i}"))
                .collect(),
            None => Vec::new(),
        };
        let mut paras: Vec<Vec<String>> = Vec::with_capacity(paragraphs);
        for p in 0..paragraphs {
            let mut lines: Vec<String> = Vec::new();
            let mut first_line = String::new();
            if let Some((_, k, w)) = nth
                && *k as usize == p + 1
            {
                first_line.push_str(w);
            }
            if p == 0 && spec.title {
                if !first_line.is_empty() {
                    first_line.push(' ');
                }
                first_line.push_str(&format!("<<{} {}>>", self.word(11), self.word(40)));
            }
            if !first_line.is_empty() {
                lines.push(first_line);
            }
            // Section headers: one per paragraph, the rest in the last one.
            let headers = if p + 1 == paragraphs {
                std::mem::take(&mut sections)
            } else if sections.is_empty() {
                Vec::new()
            } else {
                vec![sections.remove(0)]
            };
            let n = per + usize::from(p < extra);
            let mut text = self.filler(plan, n, &mut word_at, &mut inserts);
            if !headers.is_empty() {
                // A header starts the paragraph's first filler line (after
                // the nth-paragraph word, if any).
                let h = headers.join("\n");
                match lines.first_mut() {
                    Some(l) => {
                        l.push('\n');
                        l.push_str(&h);
                    }
                    None => lines.push(h),
                }
            }
            lines.push(text.join(" "));
            text.clear();
            paras.push(lines);
        }
        // Anything not placed yet goes into the last paragraph.
        if !inserts.is_empty()
            && let Some(last) = paras.last_mut()
        {
            last.push(format!("{} {}", self.word(3), inserts.join(" ")));
        }
        let last = paras.last_mut().expect("at least one paragraph");
        if spec.constrained {
            last.push(instructions::CONSTRAINED_RESPONSES[0].to_string());
        }
        if let Some(n) = spec.bullets {
            for i in 0..n.max(0) as usize {
                last.push(format!(
                    "* {} {}",
                    self.word(i * 2 + 5),
                    self.word(i * 2 + 6)
                ));
            }
        }
        if let Some(marker) = &spec.postscript {
            last.push(format!("{marker} {} {}", self.word(12), self.word(13)));
        }
        let sep = match (spec.star_paragraphs.is_some(), nth.is_some()) {
            (true, true) => " ***\n\n",
            (true, false) => "\n***\n",
            _ => "\n\n",
        };
        let mut body = paras
            .iter()
            .map(|lines| lines.join("\n"))
            .collect::<Vec<_>>()
            .join(sep);
        if self.case != Case::Normal {
            body = self.cased(&body);
            // The constrained answer keeps its case (it conflicts with both modes).
            if spec.constrained {
                let c = instructions::CONSTRAINED_RESPONSES[0];
                body = body.replace(&self.cased(c), c);
            }
            if let Some((splitter, _)) = &spec.sections {
                let re =
                    regex::Regex::new(&format!(r"(?m){}\s", regex::escape(&self.cased(splitter))));
                if let Ok(re) = re {
                    body = re
                        .replace_all(&body, format!("{splitter} ").as_str())
                        .into_owned();
                }
            }
        }
        body
    }

    fn build(&self, plan: &Plan) -> String {
        let spec = self.spec;
        let mut text = self.body(plan);
        // The repeated prompt and the end phrase are compared lower-cased.
        if let Some(p) = &spec.repeat {
            text = format!("{}\n{text}", self.cased(p));
        }
        if spec.two {
            let mut second = *plan;
            second.sentences = if plan.sentences == 1 { 2 } else { 1 };
            second.offset += 1;
            let mut word_at = 0;
            let b = self.cased(
                &self
                    .filler(&second, second.sentences, &mut word_at, &mut Vec::new())
                    .join(" "),
            );
            text = format!("{text}\n******\n{b}");
        }
        if let Some(end) = &spec.end {
            text = format!("{text}\n{}", self.cased(end));
        }
        if spec.json {
            text = json_string(&text);
        } else if spec.quotation {
            text = format!("\"{text}\"");
        }
        text
    }
}

/// `text` as a JSON string literal (valid for `json.loads`, and wrapped in
/// double quotes for `startend:quotation`).
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The reference answer for `instructions` (see the module documentation).
pub fn reference(instructions: &[Instruction]) -> String {
    let spec = Spec::of(instructions);
    let mut vocab: Vec<&'static str> = VOCAB.iter().copied().filter(|w| spec.allows(w)).collect();
    if vocab.is_empty() {
        vocab.push("zzz");
    }
    let builder = Builder {
        spec: &spec,
        vocab,
        case: spec.case(),
    };
    let sent_max = spec.sentences_max.map(|m| (m - 1).max(1) as usize);
    let mut plan = Plan {
        sentences: (spec.sentences_min.max(2) as usize).min(sent_max.unwrap_or(usize::MAX)),
        words_per_sentence: 8,
        offset: 0,
        capitals: spec.capital_min.max(0) as usize,
        periods: true,
    };
    if let Some(max) = spec.words_max {
        let budget = (max as usize).saturating_sub(spec.keywords.len() + 12);
        plan.words_per_sentence = (budget / plan.sentences.max(1)).clamp(1, 8);
    }
    if spec.words_min > 0 {
        let need = spec.words_min as usize + 4;
        plan.words_per_sentence = plan
            .words_per_sentence
            .max(need.div_ceil(plan.sentences.max(1)));
        if plan.words_per_sentence > 30 && sent_max.is_none_or(|m| m > plan.sentences) {
            let s = need
                .div_ceil(12)
                .min(sent_max.unwrap_or(usize::MAX))
                .max(plan.sentences);
            plan.sentences = s;
            plan.words_per_sentence = need.div_ceil(s).max(8);
        }
    }
    let mut best = builder.build(&plan);
    for _ in 0..12 {
        if score::all_strict(instructions, &best) {
            return best;
        }
        // Adjust what failed, once each, then rebuild.
        let mut changed = false;
        for inst in instructions {
            if inst.check(&best) {
                continue;
            }
            match inst {
                Instruction::NumberSentences {
                    num_sentences,
                    relation,
                } => {
                    let n = punkt::count_sentences(&best) as i64;
                    match relation {
                        Relation::AtLeast => plan.sentences += (*num_sentences - n).max(1) as usize,
                        Relation::LessThan => {
                            let over = (n - *num_sentences + 1).max(1) as usize;
                            if plan.sentences > over {
                                plan.sentences -= over;
                            } else if plan.periods {
                                plan.periods = false;
                            } else {
                                plan.sentences = 1;
                            }
                            plan.words_per_sentence = plan.words_per_sentence.max(8);
                        }
                    }
                    changed = true;
                }
                Instruction::NumberWords {
                    num_words,
                    relation,
                } => {
                    let n = instructions::count_words(&best) as i64;
                    let per = plan.sentences.max(1) as i64;
                    match relation {
                        Relation::AtLeast => {
                            plan.words_per_sentence +=
                                ((*num_words - n).max(1) + per - 1) as usize / per as usize;
                            if spec.lang.as_deref().is_some_and(|l| l != "en") {
                                plan.sentences += ((*num_words - n) as usize).div_ceil(8);
                            }
                        }
                        Relation::LessThan => {
                            let over = (n - *num_words + 1).max(1);
                            let cut = ((over + per - 1) / per) as usize;
                            if plan.words_per_sentence > cut {
                                plan.words_per_sentence -= cut;
                            } else {
                                plan.words_per_sentence = 1;
                                plan.sentences = (plan.sentences / 2).max(1);
                            }
                        }
                    }
                    changed = true;
                }
                Instruction::CapitalWordFrequency {
                    capital_relation: Relation::AtLeast,
                    ..
                } => {
                    plan.capitals += 2;
                    changed = true;
                }
                Instruction::ResponseLanguage { .. }
                | Instruction::EnglishCapital
                | Instruction::EnglishLowercase => {
                    plan.offset += 1;
                    if spec.sentences_max.is_none() && spec.words_max.is_none() {
                        plan.sentences += 1;
                    }
                    changed = true;
                }
                Instruction::LetterFrequency {
                    relation: Relation::AtLeast,
                    ..
                } => {
                    plan.sentences += 1;
                    changed = true;
                }
                _ => {}
            }
        }
        if !changed {
            return best;
        }
        best = builder.build(&plan);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_avoids_abbreviations_and_single_letters() {
        for w in VOCAB {
            assert!(w.len() > 1, "{w}");
            let t = format!("the {w}. next");
            assert_eq!(punkt::count_sentences(&t), 2, "{w}");
        }
    }

    #[test]
    fn sentences_are_detected_in_their_language() {
        for (lang, s) in SENTENCES {
            assert_eq!(crate::langdetect::detect(s), Ok(*lang), "{s}");
            assert!(!s.contains(','), "{s}");
        }
    }
}
