#!/usr/bin/env python3
"""Writes the SuperGLUE fidelity corpus: data/<config>/validation.jsonl (rows
in the Hugging Face `aps/super_glue` schema, all invented) and cases.json
(per row, the log-likelihood of each choice and one generated response).

    python3 plugins/superglue/fidelity/make_corpus.py

Standard library only; the output is committed, this script documents it.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
NEG_INF = "-inf"


def cyc(items, i):
    return items[i % len(items)]


def boolq():
    passages = [
        "The river town holds a lantern fair every autumn.",
        "Caf\u00e9 owners in the valley close on Mondays \u2013 a na\u00efve rule.",
        "",
        "The old bridge was rebuilt in stone after the flood.\n",
        "Glass frogs have translucent skin on their bellies.",
    ]
    questions = ["is the lantern fair held in autumn", "do the cafes open on mondays?", "is there a passage",
                 "was the bridge rebuilt in wood", "are glass frog bellies translucent"]
    responses = ["True", "true.", " True", "False\n", "", "yes", "TRUE!!", "Fal-se", "False", "True</s>", "\u0054rue", "FALSE"]
    logprobs = [[-1.0, -0.5], [-0.5, -1.0], [-0.7, -0.7], [NEG_INF, -3.0], [-2.0, NEG_INF], [-0.0, 0.0], [-1e-300, -2e-300]]
    rows, cases = [], {}
    for i in range(12):
        rows.append({"question": cyc(questions, i), "passage": cyc(passages, i), "idx": i, "label": (i * 5 + 1) % 3 % 2})
        cases[str(i)] = {"logprobs": cyc(logprobs, i), "response": cyc(responses, i)}
    return rows, cases


def cb():
    # Class 2 (neutral) never gold: lm-eval's f1 counts it 0 unless predicted.
    premises = ["Mira said the kettle had boiled.", "I doubt that the tram is late.", "He never thought the gate was open."]
    hyps = ["the kettle had boiled", "the tram is late", "the gate was open"]
    labels = [0, 1, 0, 1, 0, 0, 1, 1, 0]
    responses = ["entailment", "Entailment", "contradiction.", "neutral", "Neutral!", "maybe", "", "entailment ", "CONTRADICTION"]
    logprobs = [[-1.0, -2.0, -3.0], [-2.0, -1.0, -3.0], [-3.0, -2.0, -1.0], [-1.0, -1.0, -1.0], [-2.0, -1.0, -1.0],
                [NEG_INF, NEG_INF, -5.0], [-0.1, -0.2, -0.3], [-0.3, -0.2, -0.1], [-1.5, -0.5, -2.5]]
    rows, cases = [], {}
    for i, label in enumerate(labels):
        rows.append({"premise": cyc(premises, i), "hypothesis": cyc(hyps, i), "idx": i, "label": label})
        cases[str(i)] = {"logprobs": logprobs[i], "response": responses[i]}
    return rows, cases


def copa():
    rows = [
        ("The man broke his toe.", "He dropped a hammer on his foot.", "He got a hole in his sock.", "cause", 0),
        ("The girl laughed", "Her friend told a joke.", "Her friend fell asleep.", "cause", 0),
        ("  The sun rose over the hill.  ", "\u00c9lodie woke up.", "The moon was full.", "effect", 0),
        ("The dog barked.", "The mail arrived.", "the mail arrived.", "cause", 1),
        ("The kite flew away!", "\u0130zmir's wind was strong.", "The string snapped.", "cause", 1),
        ("The soup was cold.", "I heated it.", "I froze it.", "effect", 0),
    ]
    responses = ["choice1", "Choice1.", "1", "choice 2", "choice2", "CHOICE2"]
    logprobs = [[-1.0, -2.0], [-2.0, -1.0], [-1.0, -1.0], [-3.0, -0.5], [-0.5, -3.0], [NEG_INF, -1.0]]
    out, cases = [], {}
    for i, (p, c1, c2, q, label) in enumerate(rows):
        out.append({"premise": p, "choice1": c1, "choice2": c2, "question": q, "idx": i, "label": label})
        cases[str(i)] = {"logprobs": logprobs[i], "response": responses[i]}
    return out, cases


def multirc():
    p0 = "Lena planted tomatoes and beans in May. The beans grew faster than the tomatoes."
    p1 = "The ferry leaves at nine. It returns at noon, unless the sea is rough."
    p2 = "A file path was printed on the screen."
    items = [
        # (paragraph idx, paragraph, question idx, question, answer idx, answer, label)
        (0, p0, 0, "What did Lena plant?", 0, "Tomatoes and beans", 1),
        (0, p0, 0, "What did Lena plant?", 1, "Only roses", 0),
        (0, p0, 0, "What did Lena plant?", 2, "Beans", 1),
        (0, p0, 1, "Which grew slower?", 3, "The beans", 0),
        (0, p0, 1, "Which grew slower?", 4, "Nothing grew", 0),
        # Question idx 0 again, in another paragraph: lm-eval's t5 task
        # groups it with paragraph 0's question 0.
        (1, p1, 0, "When does the ferry leave?", 5, "At nine", 1),
        (1, p1, 0, "When does the ferry leave?", 6, "At noon", 0),
        (2, p2, 2, "What was printed?", 7, "C:\\temp\\new", 1),
        (2, p2, 2, "What was printed?", 8, "it's a \"path\"", 0),
        (2, p2, 2, "What was printed?", 9, "A caf\u00e9 menu", 0),
    ]
    responses = ["True", "False", "True", "False", "true", "True", "False.", "True", "", "False"]
    logprobs = [[-1.0, -2.0], [-2.0, -1.0], [-0.5, -0.6], [-3.0, -1.0], [-1.0, -1.0],
                [-0.2, -0.1], [NEG_INF, -1.0], [-1.0, -0.5], [-0.5, -1.0], [-2.0, -2.5]]
    rows, cases = [], {}
    for i, (pi, p, qi, q, ai, a, label) in enumerate(items):
        rows.append({"paragraph": p, "question": q, "answer": a, "idx": {"paragraph": pi, "question": qi, "answer": ai}, "label": label})
        cases[f"{pi}-{qi}-{ai}"] = {"logprobs": logprobs[i], "response": responses[i]}
    return rows, cases


def record():
    passage_a = ("The harbour festival opened on Friday with a parade led by mayor Ana Silva.\n@highlight\n"
                 "Ana Silva led the parade\n@highlight\nThe festival lasts \"three days\"\n@highlight\nWill it rain?")
    passage_b = "  Engineers from Lyon and Porto met at the Eiffel Tower.\n@highlight\nLyon team won the prize.\n@highlight\nPorto came second  "
    passage_c = "The dog and the cat slept. O'Brien fed them.\n@highlight\nThe dog woke first"
    queries = [
        (passage_a, "@placeholder waved to the crowd.", ["Ana Silva", "Friday", "Ana Silva", "parade"], ["Ana Silva"], [-1.0, -2.0, -3.0]),
        (passage_a, "The @placeholder drew thousands.", ["parade", "festival", "Friday"], ["festival", "harbour festival"], [-2.0, -1.0, -1.5]),
        (passage_b, "The team from @placeholder won.", ["Porto", "Lyon", "Eiffel Tower"], ["Lyon"], [-2.0, -1.0, -1.0]),
        (passage_b, "They met at @placeholder.", ["Eiffel Tower", "Lyon", "Porto"], ["the Eiffel Tower", "Eiffel Tower"], [-0.5, -1.0, -2.0]),
        (passage_b, "@placeholder and @placeholder met.", ["Lyon", "Porto"], ["Lyon"], [-1.0, -1.0]),
        (passage_c, "@placeholder woke first.", ["The", "dog", "cat"], ["the"], [-0.5, -3.0, -1.0]),
        (passage_c, "@placeholder fed the pets.", ["O'Brien", "dog"], ["O\u2019Brien"], [-0.5, -1.0]),
        (passage_c, "The @placeholder slept.", ["dog", "cat", "dog and the cat"], ["dog and cat"], [-1.0, -1.0, -0.5]),
        (passage_a, "The parade was on @placeholder.", ["Friday", "Ana Silva"], ["Friday"], [NEG_INF, -1.0]),
        (passage_b, "Porto came @placeholder.", ["second", "first"], ["second"], [-1.0, -0.25]),
        (passage_c, "@placeholder slept.", ["The dog", "cat", "The cat"], ["The dog", "The cat"], [-1.0, -0.5, -0.5]),
        (passage_a, "@placeholder may rain.", ["it", "It"], ["It"], [-0.5, -1.0]),
    ]
    responses = ["Ana Silva", "the harbour festival!", "Lyon.", "Eiffel", "", "The",
                 "O'Brien", "dog and the cat", "friday", "Second place", "the cat", "It"]
    rows, cases = [], {}
    for i, (p, q, ents, ans, lls) in enumerate(queries):
        pi, qi = i // 3, i
        rows.append({"passage": p, "query": q, "entities": ents, "answers": ans, "idx": {"passage": pi, "query": qi}})
        # log-likelihoods per entity of sorted(set(entities)), lm-eval's order
        assert len(lls) == len(sorted(set(ents))), (i, ents)
        cases[f"{pi}-{qi}"] = {"logprobs": lls, "response": responses[i]}
    return rows, cases


def rte():
    rows = [
        ("The museum opened a new wing in June.", "The museum has a new wing.", 0),
        ("Sales fell in the spring quarter.", "Sales rose in spring.", 1),
        ("Nora moved to Oslo in 2019.", "Nora lives in Oslo.", 0),
        ("The vote was postponed.", "The vote took place.", 1),
        ("Rain caused delays at the port.", "There were delays.", 0),
    ]
    responses = ["entailment", "not_entailment", "not entailment", "Not_Entailment.", "ENTAILMENT"]
    logprobs = [[-1.0, -2.0], [-1.0, -2.0], [-2.0, -1.0], [-2.0, -1.0], [-1.0, -1.0]]
    out, cases = [], {}
    for i, (p, h, label) in enumerate(rows):
        out.append({"premise": p, "hypothesis": h, "idx": i, "label": label})
        cases[str(i)] = {"logprobs": logprobs[i], "response": responses[i]}
    return out, cases


def wic():
    rows = [
        ("bank", "She sat on the bank of the river.", "He went to the bank to pay.", 15, 19, 14, 18, 0),
        ("run", "I run every morning.", "They run a small shop.", 2, 5, 5, 8, 0),
        ("caf\u00e9", "Un caf\u00e9 noir, s'il vous pla\u00eet.", "The caf\u00e9 was closed.", 3, 7, 4, 8, 1),
        ("light", "Turn on the light.", "The light was dim.", 12, 40, 4, 9, 1),
        ("play", "\u00c9mile likes to play chess.", "The children play outside.", 15, 19, 13, 17, 1),
    ]
    responses = ["False", "false", "True", "Yes", "True."]
    logprobs = [[-1.0, -2.0], [-2.0, -1.0], [-0.5, -0.5], [-2.0, -1.0], [-1.0, -3.0]]
    out, cases = [], {}
    for i, (w, s1, s2, a1, b1, a2, b2, label) in enumerate(rows):
        out.append({"word": w, "sentence1": s1, "sentence2": s2, "start1": a1, "start2": a2, "end1": b1, "end2": b2, "idx": i, "label": label})
        cases[str(i)] = {"logprobs": logprobs[i], "response": responses[i]}
    return out, cases


def wsc():
    rows = [
        ("Anna gave Maria her old bicycle because she had outgrown it .", 0, 7, "Anna", "she", 1),
        ("Tom could n't lift the box because it was too heavy .", 4, 7, "the box", "it", 1),
        ("The cat chased the mouse until it was tired .", 3, 6, "the mouse", "it", 0),
        ("Lucy told \" her sister \" that she would win ( again ) .", 3, 7, "her sister", "she", 0),
        ("The teacher praised Ben 's essay because he worked hard .", 3, 7, "Ben 's essay", "he", 0),
        ("Omar thanked Jo because he was kind .", 2, 4, "Jo", "he", 1),
    ]
    responses = ["Anna", "The Box!", "the cat", "her sister", "Ben", "nobody"]
    logprobs = [[-2.0, -1.0], [-1.0, -2.0], [-1.0, -2.0], [-2.0, -1.0], [-1.0, -1.0], [-0.5, -0.7]]
    out, cases = [], {}
    for i, (t, i1, i2, s1, s2, label) in enumerate(rows):
        out.append({"text": t, "span1_index": i1, "span2_index": i2, "span1_text": s1, "span2_text": s2, "idx": i, "label": label})
        cases[str(i)] = {"logprobs": logprobs[i], "response": responses[i]}
    return out, cases


CONFIGS = {"boolq": boolq, "cb": cb, "copa": copa, "multirc": multirc, "record": record,
           "rte": rte, "wic": wic, "wsc.fixed": wsc}


def main():
    cases = {}
    for config, make in CONFIGS.items():
        rows, task_cases = make()
        folder = os.path.join(HERE, "data", config)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "validation.jsonl"), "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        cases[config.split(".")[0]] = task_cases
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump(cases, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print("wrote", {k: len(v) for k, v in cases.items()})


if __name__ == "__main__":
    main()
