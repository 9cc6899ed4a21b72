#!/usr/bin/env python3
"""Writes the fidelity corpus (all of it written by us; no dataset rows):

* cases.json: probe prompts in the google/IFEval schema (each asks for many
  instructions at once, with different kwargs) and responses that hit each
  checker's edges, passing and failing, strict and loose (first/last lines,
  `*` markup), unicode, empty and very long output; plus the bundled
  sample's prompts, each paired with responses written for it.
* texts.json: several hundred texts for the language-detection, sentence
  splitting and word-tokenisation agreement measurement: sentences in the 30
  languages of IFEval's LANGUAGE_CODES and English sentences full of
  abbreviations, numbers and quotes, combined, cased and cut at random
  (seeded), plus hand-written edge cases.

    python3 plugins/ifeval/fidelity/make_corpus.py

Pure python3; run `make_golden.py` afterwards.
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

PROBES = [
    {
        "key": 1,
        "prompt": "Probe A: every instruction, lenient thresholds.",
        "instructions": [
            ("keywords:existence", {"keywords": ["art", "e.g."]}),
            ("keywords:frequency", {"keyword": "the", "frequency": 3, "relation": "at least"}),
            ("keywords:forbidden_words", {"forbidden_words": ["ai", "easy"]}),
            ("keywords:letter_frequency", {"letter": "e", "let_frequency": 10, "let_relation": "at least"}),
            ("language:response_language", {"language": "en"}),
            ("length_constraints:number_sentences", {"num_sentences": 3, "relation": "at least"}),
            ("length_constraints:number_paragraphs", {"num_paragraphs": 2}),
            ("length_constraints:number_words", {"num_words": 20, "relation": "at least"}),
            ("length_constraints:nth_paragraph_first_word", {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "second"}),
            ("detectable_content:number_placeholders", {"num_placeholders": 2}),
            ("detectable_content:postscript", {"postscript_marker": "P.S."}),
            ("detectable_format:number_bullet_lists", {"num_bullets": 2}),
            ("detectable_format:constrained_response", {}),
            ("detectable_format:number_highlighted_sections", {"num_highlights": 2}),
            ("detectable_format:multiple_sections", {"section_spliter": "SECTION", "num_sections": 2}),
            ("detectable_format:json_format", {}),
            ("detectable_format:title", {}),
            ("combination:two_responses", {}),
            ("combination:repeat_prompt", {"prompt_to_repeat": "Repeat me please."}),
            ("startend:end_checker", {"end_phrase": "Any other questions?"}),
            ("change_case:capital_word_frequency", {"capital_frequency": 3, "capital_relation": "at least"}),
            ("change_case:english_capital", {}),
            ("change_case:english_lowercase", {}),
            ("punctuation:no_comma", {}),
            ("startend:quotation", {}),
        ],
    },
    {
        "key": 2,
        "prompt": "Probe B: strict thresholds and other markers.",
        "instructions": [
            ("keywords:existence", {"keywords": ["weather", "Sun"]}),
            ("keywords:frequency", {"keyword": " is ", "frequency": 2, "relation": "less than"}),
            ("keywords:forbidden_words", {"forbidden_words": ["the", "AI-powered", "easygoing"]}),
            ("keywords:letter_frequency", {"letter": "K", "let_frequency": 3, "let_relation": "less than"}),
            ("language:response_language", {"language": "fr"}),
            ("length_constraints:number_sentences", {"num_sentences": 4, "relation": "less than"}),
            ("length_constraints:number_paragraphs", {"num_paragraphs": 1}),
            ("length_constraints:number_words", {"num_words": 10, "relation": "less than"}),
            ("length_constraints:nth_paragraph_first_word", {"num_paragraphs": 1, "nth_paragraph": 1, "first_word": "Hello"}),
            ("detectable_content:number_placeholders", {"num_placeholders": 1}),
            ("detectable_content:postscript", {"postscript_marker": "P.P.S"}),
            ("detectable_format:number_bullet_lists", {"num_bullets": 1}),
            ("detectable_format:number_highlighted_sections", {"num_highlights": 1}),
            ("detectable_format:multiple_sections", {"section_spliter": " Section ", "num_sections": 1}),
            ("startend:end_checker", {"end_phrase": "bye."}),
            ("change_case:capital_word_frequency", {"capital_frequency": 2, "capital_relation": "less than"}),
        ],
    },
    {
        "key": 3,
        "prompt": "Probe C: more of each, regex markers, Japanese.",
        "instructions": [
            ("keywords:existence", {"keywords": ["the", "a.b"]}),
            ("keywords:frequency", {"keyword": "e.g.", "frequency": 2, "relation": "at least"}),
            ("keywords:forbidden_words", {"forbidden_words": ["sleep"]}),
            ("keywords:letter_frequency", {"letter": "z", "let_frequency": 2, "let_relation": "at least"}),
            ("language:response_language", {"language": "ja"}),
            ("length_constraints:number_sentences", {"num_sentences": 10, "relation": "at least"}),
            ("length_constraints:number_paragraphs", {"num_paragraphs": 3}),
            ("length_constraints:number_words", {"num_words": 50, "relation": "at least"}),
            ("length_constraints:nth_paragraph_first_word", {"num_paragraphs": 3, "nth_paragraph": 1, "first_word": "first"}),
            ("detectable_content:number_placeholders", {"num_placeholders": 3}),
            ("detectable_content:postscript", {"postscript_marker": "P.S"}),
            ("detectable_format:number_bullet_lists", {"num_bullets": 3}),
            ("detectable_format:number_highlighted_sections", {"num_highlights": 3}),
            ("detectable_format:multiple_sections", {"section_spliter": "PARAGRAPH", "num_sections": 3}),
            ("startend:end_checker", {"end_phrase": "Is there anything else I can help with?"}),
            ("change_case:capital_word_frequency", {"capital_frequency": 5, "capital_relation": "at least"}),
        ],
    },
    {
        "key": 4,
        "prompt": "Probe D: other languages and HF-style null kwargs.",
        "instructions": [
            ("language:response_language", {"language": "de"}),
            ("language:response_language", {"language": "ru"}),
            ("language:response_language", {"language": "hi"}),
            ("language:response_language", {"language": "ko"}),
            ("language:response_language", {"language": "ar"}),
            ("language:response_language", {"language": "es", "num_words": None, "keywords": None}),
            ("detectable_content:postscript", {"postscript_marker": "Note:"}),
            ("detectable_format:multiple_sections", {"section_spliter": "Day", "num_sections": 2, "relation": None}),
            ("keywords:frequency", {"keyword": "  Art  ", "frequency": 1, "relation": "at least"}),
        ],
    },
]

SIMPLE = "The weather is nice today and the sun is out. e.g. you can start the art walk."

RESPONSES = [
    # empty and blank
    "", " ", "   \n\t ", "\n\n", "*", "***", "******", "**", "\u3000",
    # commas
    "a，b", "a,b", "a، b", "no commas here at all",
    # quotes
    '""', '"', '  "hello"  ', "“curly”", '"hello', 'hello"', '"a"\n',
    # end phrase
    "Thanks. Any other questions?", 'Thanks. Any other questions?"', "thanks. any other questions?",
    "Thanks. Any other questions?  \n", "“Thanks. Any other questions?”", "Thanks. Any other questions?!",
    "Goodbye. Bye.", "bye.", "Is there anything else I can help with?", "Is there anything else I can help with",
    # repeat the prompt
    "repeat ME please. then my answer", "  Repeat me please.\nok", "Sure! Repeat me please.", "Repeat me please",
    # two responses
    "a\n******\nb", "a\n******\na", "a\n*******\nb", "a\n*****\nb", "******\na\n******\nb",
    "a\n******\n\n******\nb", "a ****** b ****** c", "a\n******\n b \n******\n", "first answer ****** second answer",
    # titles
    "<<>>", "<< >>", "<<title>>", "<<a\nb>>", "<<<t>>>", "<<t>> and <<>>", "<t>", "<< x >> body",
    # json
    '```json\n{"a": 1}\n```', "```JSON {}```", "```Json\n[1, 2]\n```", "```python\n{}\n```", "NaN", "[1,2",
    '{"a": 1}\n', "\ufeff{}", '"a\tb"', "1e400", "{'a': 1}", "```\n[]\n```", '{"a": 1, "a": 2}', "-Infinity",
    '"just a string"', "```json\n```", "[]```", "true", "01",
    # sections
    "SECTION 1\nx\nSECTION 2\ny", "SECTION1 x SECTION2 y", "see SECTION 7", "Section 1 Section 2", "section 1",
    "SECTION ١ and SECTION ٢", "PARAGRAPH 1 PARAGRAPH 2 PARAGRAPH 3", "Day 1: go. Day 2: rest.", "Day1Day2",
    # highlights
    "**x**", "***x***", "* **x**", "* *x*", "*x* *y*", "** **", "*x\ny*", "*a* *b* *c*", "**bold** and *it*",
    # bullets
    "* a\n* b", "- a\n- b", "---\n-5 x", "*\n* b", "  * a\n\t- b", "*a* start\n* b", "• a\n• b", "1. a\n2. b",
    "* one", "- one\n- two\n- three", "* a\n* b\n* c", "text\n * a\n  - b\n- c",
    # constrained
    "My answer is yes.", "my answer is yes.", "My answer is Yes.", "  My answer is maybe.  ", "My answer is no",
    "**My answer is no.**", "Hmm.\nMy answer is maybe.\nThanks",
    # postscripts
    "P.S. hi", "p.s. hi", "PS hi", "P.P.S hi", "p. p. s hi", "P.S.hi", "text\nP.P.S. more", "you pass", "P.S",
    "Note: remember", "note:x", "text p.s. here",
    # placeholders
    "[a] [b]", "[a\n] [b]", "[]", "[[x]]", "[a][b][c]", "[name] lives at [address] on [date]",
    # paragraphs
    "a\n***\nb", "a ***b***", "***\na\n***\nb\n***", "a\n***\n\n***\nb", "a***b", "a\n* * *\nb", "one\n***\ntwo\n***\nthree",
    # nth paragraph
    "hello\n\nsecond para", "\n\nhello\n\nsecond", "'Second, yes\n\nx", "first\r\n\r\nsecond", '"second" word\n\nx',
    "a\n\n\n\nsecond", "Hello, world.", "first\n\nsecond\n\nthird", "First! Yes.\n\nb\n\nc", "x\n\nSecond.\n\n",
    # words and sentences
    "Café résumé naïve", "Cafe\u0301 re\u0301sume\u0301 nai\u0308ve", "x² y³ ½ a\u200db", "नमस्ते दुनिया यह हिंदी है",
    "3.14 is pi. Dr. Smith arrived at 5 p.m. yesterday. He left.", "Hello!!! World??? ok...", 'He said "hi." She left.',
    "I love 🍕. So good! Really?", "U.S. officials met on Jan. 5. They agreed.", "(Sent one.) Sent two.",
    "Wait... What? Yes!", "Mr. J. R. R. Tolkien wrote books. They sold well.", "It costs $3.50. That is cheap.",
    "one two three four five six seven eight nine", "one two three four five six seven eight nine ten",
    # letter frequency
    "KKKK", "\u212a\u212a\u212a", "İİİ", "eeeeeeeeee", "EEEEEEEEEE", "zz", "Zz",
    # capitals
    "I'M GONNA WIN", "HELLO,WORLD", "U.S.A. is BIG", "CANNOT stop", "ⒶⒷⒸ", "iPhone", "NASA's plan", "AI-POWERED TOOLS",
    "A I O U", "WHAT? NO! YES.", "SECTION 1 P.S. OK",
    # case and language
    "THIS IS AN ENGLISH SENTENCE WRITTEN IN CAPITAL LETTERS ABOUT THE WEATHER.", "DANGER: HIGH VOLTAGE KEEP OUT",
    "OK", "HELLO", "this is all lowercase english text about the weather today.", "ceci est une phrase en français sur le temps",
    "CECI EST UNE PHRASE EN FRANÇAIS SUR LE TEMPS QU'IL FAIT", "12345", "das ist ein deutscher satz über das wetter",
    "これは日本語の文です。天気がいいです。", "Привет, как дела? Сегодня хорошая погода.", "यह हिंदी में लिखा गया एक वाक्य है।",
    "안녕하세요 오늘 날씨가 좋네요", "مرحبا كيف حالك اليوم الطقس جميل", "Hola, ¿cómo estás? Hoy hace buen tiempo.",
    "Bonjour! https://example.com/page?x=1 mail: jean@example.fr", "hello 123 !!!", "Ünïcödé ÀÉÎ",
    # keywords
    "Start here", "edge of e.g. things", "the weather is the thing", "Art", "AI-powered", "easygoing", "said",
    "a.b axb", "The Sun and the weather", "Go to sleep.", "sleeping", "ART art Art",
    # loose-mode friendly
    "Sure, here you go:\n<<Title>>\nbody text\nLet me know!", "Here is my answer:\nMy answer is yes.\nHope this helps.",
    "Sure!\n\"quoted body\"\nThanks!", "Intro line\n{\"a\": 1}\nOutro line", "**Repeat me please.** answer",
    "Header\nhello\n\nsecond\nFooter", "Sure:\n* a\n* b\nDone.", "*Any other questions?*", "Sure.\na\n******\nb\nBye.",
    # passing only in a loose variant (first or last line dropped, `*` removed)
    "Sure!\nTHIS IS ENGLISH TEXT IN CAPITAL LETTERS ABOUT THE WEATHER TODAY.", "a\n******\nb\n******\nc",
    "P.*S. hi", "My answer is *yes*.", "SECTION* 1 SECTION* 2 PARAGRAPH* 3", "a*rt and e.*g. here",
    "AI stuff\nclean text", "kkkk\nok", "One. Two. Three. Four.\nFive", "Intro\n[a] [b] [c]\nOutro",
    "Title:\n<<My *Title*>>", "Here:\n\"quoted\"", "Ok\nhello\n\nsecond\nbye", "x\nbye.", "e.*g. e.*g.",
    SIMPLE, SIMPLE.upper(), SIMPLE.lower(), SIMPLE.replace(".", "") + "\n\n" + SIMPLE,
    # long
    ("The quick brown fox jumps over the lazy dog. " * 400).strip(),
    "word " * 3000,
    ("Das Wetter ist heute sehr schön und die Sonne scheint. " * 300).strip(),
]

# A complete answer to probe A's compatible subset, and variations.
FULL_A = (
    'Repeat me please.\n<<A Title>>\nSECTION 1 The art of e.g. the garden is the best thing here [name] and [place]. '
    "It has *many* and *more* flowers. The sun is warm there.\n***\n\nsecond SECTION 2 the end is near. OK YES NO.\n"
    "* one\n* two\nMy answer is yes.\nP.S. see you\nAny other questions?"
)
RESPONSES += [FULL_A, FULL_A.replace(",", ""), FULL_A.upper(), FULL_A.lower(), '"' + FULL_A + '"',
              FULL_A + "\n******\n" + FULL_A.lower()]

ENGLISH = [
    "The meeting starts at 9 a.m. on Monday.",
    "Dr. Brown and Mr. Green visited the U.S. embassy in Paris.",
    "Prices rose by 3.5 percent in Jan. and fell in Feb.",
    "She said, \"I will be there soon.\" Then she left.",
    "What time is it? It is late!",
    "The results (see Fig. 2) were clear.",
    "He bought apples, oranges, etc. and went home.",
    "I think so... but I am not sure.",
    "The U.K. and the E.U. signed the deal.",
    "J. K. Rowling wrote seven books.",
    "Call me at 555-1234 or e-mail me at info@example.com.",
    "The St. Louis team won 3-2 vs. Chicago.",
    "Apple Inc. reported strong sales.",
    "It was the 3rd. of May when they met.",
    "No. 5 is my favourite number.",
    "The temperature was 21.5 degrees.",
    "Visit https://www.example.org for more details.",
    "Wow!!! That was amazing.",
    "They arrived at 5 p.m. The party started.",
    "My answer is yes. My answer is no.",
    "The cat sat on the mat. The dog barked.",
    "Science is fun; math is hard: both matter.",
    "He said 'hello' and walked away.",
    "This costs $10.99 - a bargain!",
    "Ms. Smith, Ph.D., gave a talk.",
    "Is this the end? No, it is not.",
    "The report is due on Dec. 1st. Please hurry.",
    "Use e.g. a pen or i.e. a pencil.",
    "The company grew 200% in 2023.",
    "I'm sure you'll love it, won't you?",
    "They can't go, and we cannot stay.",
    "Gonna be fine, wanna bet?",
    "'Tis the season to be jolly.",
    "THE END.",
    "NASA launched the rocket at 10:30 a.m. EST.",
    "OK, I GET IT!",
    "The film (released in 1999) won awards.",
    "Follow these steps: first, second, third.",
    "He was born in the U.S.S.R. in 1980.",
    "See you tomorrow.",
]

LANGS = {
    "es": ["La casa es grande y tiene un jardín muy bonito.", "Mañana vamos a la playa con mis amigos."],
    "pt": ["A casa é grande e tem um jardim muito bonito.", "Amanhã vamos à praia com os nossos amigos."],
    "ar": ["البيت كبير وفيه حديقة جميلة جدا.", "سنذهب غدا إلى الشاطئ مع أصدقائنا."],
    "hi": ["घर बड़ा है और उसमें बहुत सुंदर बगीचा है।", "कल हम अपने दोस्तों के साथ समुद्र तट पर जाएंगे।"],
    "fr": ["La maison est grande et elle a un très beau jardin.", "Demain nous irons à la plage avec nos amis."],
    "ru": ["Дом большой и в нём очень красивый сад.", "Завтра мы пойдём на пляж с друзьями."],
    "de": ["Das Haus ist groß und hat einen sehr schönen Garten.", "Morgen gehen wir mit unseren Freunden an den Strand."],
    "ja": ["家は大きくてとてもきれいな庭があります。", "明日は友達と海に行きます。"],
    "it": ["La casa è grande e ha un giardino molto bello.", "Domani andiamo al mare con i nostri amici."],
    "bn": ["বাড়িটি বড় এবং এতে একটি খুব সুন্দর বাগান আছে।", "আগামীকাল আমরা বন্ধুদের সাথে সমুদ্র সৈকতে যাব।"],
    "uk": ["Будинок великий і в ньому дуже гарний сад.", "Завтра ми підемо на пляж з друзями."],
    "th": ["บ้านหลังใหญ่และมีสวนที่สวยมาก", "พรุ่งนี้เราจะไปทะเลกับเพื่อน"],
    "ur": ["گھر بڑا ہے اور اس میں بہت خوبصورت باغ ہے۔", "کل ہم اپنے دوستوں کے ساتھ ساحل پر جائیں گے۔"],
    "ta": ["வீடு பெரியது மற்றும் அதில் மிக அழகான தோட்டம் உள்ளது.", "நாளை நாங்கள் நண்பர்களுடன் கடற்கரைக்கு செல்வோம்."],
    "te": ["ఇల్లు పెద్దది మరియు అందులో చాలా అందమైన తోట ఉంది.", "రేపు మేము స్నేహితులతో బీచ్‌కి వెళ్తాము."],
    "bg": ["Къщата е голяма и има много красива градина.", "Утре ще отидем на плажа с приятели."],
    "ko": ["집은 크고 아주 예쁜 정원이 있습니다.", "내일 우리는 친구들과 바다에 갈 것입니다."],
    "pl": ["Dom jest duży i ma bardzo piękny ogród.", "Jutro pójdziemy na plażę z przyjaciółmi."],
    "he": ["הבית גדול ויש בו גינה יפה מאוד.", "מחר נלך לים עם החברים שלנו."],
    "fa": ["خانه بزرگ است و یک باغ بسیار زیبا دارد.", "فردا با دوستانمان به ساحل می رویم."],
    "vi": ["Ngôi nhà lớn và có một khu vườn rất đẹp.", "Ngày mai chúng tôi sẽ đi biển với bạn bè."],
    "ne": ["घर ठूलो छ र यसमा धेरै राम्रो बगैंचा छ।", "भोलि हामी साथीहरूसँग समुद्र किनारमा जानेछौं।"],
    "sw": ["Nyumba ni kubwa na ina bustani nzuri sana.", "Kesho tutaenda pwani na marafiki zetu."],
    "kn": ["ಮನೆ ದೊಡ್ಡದಾಗಿದೆ ಮತ್ತು ಅದರಲ್ಲಿ ತುಂಬಾ ಸುಂದರವಾದ ತೋಟವಿದೆ.", "ನಾಳೆ ನಾವು ಸ್ನೇಹಿತರೊಂದಿಗೆ ಸಮುದ್ರ ತೀರಕ್ಕೆ ಹೋಗುತ್ತೇವೆ."],
    "mr": ["घर मोठे आहे आणि त्यात खूप सुंदर बाग आहे.", "उद्या आम्ही मित्रांसोबत समुद्रकिनारी जाणार आहोत."],
    "gu": ["ઘર મોટું છે અને તેમાં ખૂબ સુંદર બગીચો છે.", "કાલે અમે મિત્રો સાથે દરિયા કિનારે જઈશું."],
    "pa": ["ਘਰ ਵੱਡਾ ਹੈ ਅਤੇ ਇਸ ਵਿੱਚ ਬਹੁਤ ਸੁੰਦਰ ਬਾਗ਼ ਹੈ।", "ਕੱਲ੍ਹ ਅਸੀਂ ਦੋਸਤਾਂ ਨਾਲ ਸਮੁੰਦਰ ਕੰਢੇ ਜਾਵਾਂਗੇ।"],
    "ml": ["വീട് വലുതാണ്, അതിൽ വളരെ മനോഹരമായ ഒരു തോട്ടമുണ്ട്.", "നാളെ ഞങ്ങൾ സുഹൃത്തുക്കളോടൊപ്പം കടൽത്തീരത്ത് പോകും."],
    "fi": ["Talo on suuri ja siinä on erittäin kaunis puutarha.", "Huomenna menemme rannalle ystävien kanssa."],
    "en": ENGLISH,
}

EDGE_TEXTS = [
    "", "a", "OK", "HELLO", "ok", "12345", "!!!", "ⒶⒷⒸ", "***", "e.g.", "Mr.", "...", "a. b. c.", "U.S.A.",
    "Hello world", "hello. world", "Hello.World.", "3.14", "1. 2. 3.", "end.\n\nstart", "A.\nB.\nC.",
    "“Quoted.” Next.", "«Bonjour.» Suite.", "He left.) Then", "Stop--now. Go.", "x ... y. Z", "(a.) (b.)",
    "I. II. III.", "Fig. 1. Fig. 2.", "vs. them", "No. no. NO.", "He said: \"Go.\" \"Now?\" 'Yes.'",
    "tab\tseparated.\tsentences.", "line\u2028separator. next", "nbsp\u00a0here. there", "ünïcödé. Ñandú.",
    "🍕🍕. 🍔!", "Ã©tÃ© mojibake.", "x" * 50, "WORD " * 30, "mixed English und Deutsch together heute",
    "MIXED CASE Text HERE.", "camelCaseWord and snake_case_word.", "email me: a.b@c.de. ok?",
]


def texts():
    rng = random.Random(2026)
    out = list(EDGE_TEXTS)
    for lang, sents in sorted(LANGS.items()):
        out.extend(sents)
    langs = sorted(LANGS)
    while len(out) < 520:
        mode = rng.random()
        lang = rng.choice(langs)
        pool = LANGS[lang]
        k = rng.randint(1, 4)
        parts = [rng.choice(pool) for _ in range(k)]
        if mode < 0.15:
            other = LANGS[rng.choice(langs)]
            parts.insert(rng.randint(0, len(parts)), rng.choice(other))
        sep = rng.choice([" ", " ", "\n", "\n\n", "  "])
        t = sep.join(parts)
        r = rng.random()
        if r < 0.12:
            t = t.upper()
        elif r < 0.24:
            t = t.lower()
        elif r < 0.34:
            words = t.split()
            t = " ".join(words[: rng.randint(1, max(1, min(4, len(words))))])
        elif r < 0.40:
            t = "\n".join("* " + p for p in parts)
        elif r < 0.44:
            t = t.replace(".", "")
        out.append(t)
    return out


def main():
    prompts = []
    for p in PROBES:
        prompts.append({
            "key": p["key"],
            "prompt": p["prompt"],
            "instruction_id_list": [i for i, _ in p["instructions"]],
            "kwargs": [k for _, k in p["instructions"]],
        })
    responses = []
    cases = []

    def add(key, response, **extra):
        if response not in responses:
            responses.append(response)
        cases.append({"key": key, "response": responses.index(response), **extra})

    for r in RESPONSES:
        for p in PROBES:
            add(p["key"], r)
    # The bundled sample's prompts with hand-written answers (passing and failing).
    sample_path = os.path.join(HERE, "..", "sample", "ifeval_input_data.jsonl")
    with open(sample_path, encoding="utf-8") as f:
        sample = [json.loads(line) for line in f if line.strip()]
    for row in sample:
        prompts.append(row)
        for r in (row["prompt"], row["prompt"].upper(), row["prompt"].lower(), "My answer is yes.", ""):
            add(row["key"], r)
    # The plugin's own reference answers for the sample (written by
    # `cargo run --release -p ifeval --example gold -- --write fidelity/gold_references.json`):
    # the reference implementation must find that they follow every instruction.
    refs_path = os.path.join(HERE, "gold_references.json")
    if os.path.exists(refs_path):
        with open(refs_path, encoding="utf-8") as f:
            refs = json.load(f)
        for row in sample:
            add(row["key"], refs[str(row["key"])], gold=True)
    with open(os.path.join(HERE, "cases.json"), "w", encoding="utf-8") as f:
        json.dump({"prompts": prompts, "responses": responses, "cases": cases}, f, ensure_ascii=False, indent=0)
        f.write("\n")
    with open(os.path.join(HERE, "texts.json"), "w", encoding="utf-8") as f:
        json.dump(texts(), f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"{len(prompts)} prompts, {len(cases)} cases, {len(texts())} texts")


if __name__ == "__main__":
    main()
