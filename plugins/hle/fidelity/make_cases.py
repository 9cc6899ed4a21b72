#!/usr/bin/env python3
"""Writes cases.json, our invented fidelity corpus (deterministic: Python's
`random.Random(seed)`; no benchmark data).

* `replies`: judge replies around the text parser's edges, each with the
  verdict it must read (`want`: the structured output's `correct` and
  `confidence`, or null when the reply is no verdict).
* `sets`: runs of judged outcomes for the metrics: `outcomes` is a list of
  `[correct, confidence]` (`correct`: "yes" / "no", or null for a sample
  the judge never gave a verdict on), with the bin size `beta`.

    python3 plugins/hle/fidelity/make_cases.py
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

REPLIES = [
    ("plain", "extracted_final_answer: 43\n\nreasoning: Matches.\n\ncorrect: yes\n\nconfidence: 85", ("yes", 85)),
    ("plain_no", "extracted_final_answer: 41\n\nreasoning: 41 is not 43.\n\ncorrect: no\n\nconfidence: 100", ("no", 100)),
    ("percent", "extracted_final_answer: B\nreasoning: same letter\ncorrect: yes\nconfidence: 70%", ("yes", 70)),
    ("percent_space", "correct: no\nconfidence: 5 %", ("no", 5)),
    ("zero", "correct: yes\nconfidence: 0", ("yes", 0)),
    ("over_100", "correct: no\nconfidence: 150", ("no", 150)),
    ("bold_keys", "**extracted_final_answer:** 7\n\n**reasoning:** equal\n\n**correct:** yes\n\n**confidence:** 95%", ("yes", 95)),
    ("bold_colon_outside", "**correct**: no\n**confidence**: 60", ("no", 60)),
    ("headings", "### extracted_final_answer:\n12\n### correct:\nno\n### confidence:\n40", ("no", 40)),
    ("bullets", "- extracted_final_answer: x\n- correct: yes\n- confidence: 99", ("yes", 99)),
    ("upper_case", "EXTRACTED_FINAL_ANSWER: 3\nCORRECT: YES\nCONFIDENCE: 20", ("yes", 20)),
    ("capital_yes_period", "correct: Yes.\nconfidence: 65", ("yes", 65)),
    ("quoted", "correct: 'no'\nconfidence: \"30\"", ("no", 30)),
    ("yes_with_text", "correct: yes, the extracted answer matches\nconfidence: 80", ("yes", 80)),
    ("value_on_next_line", "correct:\n\nno\nconfidence:\n55%", ("no", 55)),
    ("last_occurrence_wins", "correct: no\nconfidence: 10\n\nOn reflection:\ncorrect: yes\nconfidence: 90", ("yes", 90)),
    ("key_inside_text_ignored", "reasoning: the word correct: yes appears mid-line\ncorrect: no\nconfidence: 45", ("no", 45)),
    ("multiline_reasoning", "reasoning: line one\nline two with correct: yes inside\ncorrect: no\nconfidence: 35", ("no", 35)),
    ("crlf", "extracted_final_answer: 9\r\ncorrect: yes\r\nconfidence: 75%\r\n", ("yes", 75)),
    ("json", "{\"extracted_final_answer\": \"43\", \"reasoning\": \"ok\", \"correct\": \"yes\", \"confidence\": 88}", ("yes", 88)),
    ("json_fenced", "```json\n{\"extracted_final_answer\": \"4\", \"reasoning\": \"no\", \"correct\": \"no\", \"confidence\": 12}\n```", ("no", 12)),
    ("maybe", "correct: maybe\nconfidence: 50", None),
    ("no_correct", "extracted_final_answer: 43\nconfidence: 90", None),
    ("no_confidence", "extracted_final_answer: 43\ncorrect: yes", None),
    ("confidence_words", "correct: yes\nconfidence: high", None),
    ("prose", "The response is right, I am fairly sure.", None),
    ("empty", "", None),
]


def outcomes(rng, n, p_correct, confidences, unjudged=0.0):
    out = []
    for _ in range(n):
        if rng.random() < unjudged:
            out.append([None, None])
            continue
        c = rng.choice(confidences)
        # Higher stated confidence, somewhat more often right.
        ok = rng.random() < p_correct * (0.5 + c / 100)
        out.append(["yes" if ok else "no", c])
    return out


def sets():
    rng = random.Random(20260101)
    steps5 = list(range(0, 101, 5))
    skewed = [100] * 6 + [95] * 4 + [90] * 3 + [85, 80, 75, 70, 60, 50, 30, 10, 0]
    every = list(range(0, 101))
    s = []
    add = lambda id, beta, out: s.append({"id": id, "beta": beta, "outcomes": out})
    add("n50_below_beta", 100, outcomes(rng, 50, 0.3, steps5))
    add("n100_one_bin", 100, outcomes(rng, 100, 0.3, every))
    add("n199_one_bin", 100, outcomes(rng, 199, 0.3, every))
    add("n200_two_bins", 100, outcomes(rng, 200, 0.4, every))
    add("n250_unjudged", 100, outcomes(rng, 250, 0.4, every, unjudged=0.05))
    add("n537_distinct", 100, outcomes(rng, 537, 0.2, every))
    add("n1000_skewed_ties", 100, outcomes(rng, 1000, 0.1, skewed))
    add("n1000_steps5", 100, outcomes(rng, 1000, 0.25, steps5, unjudged=0.02))
    add("n300_all_right_100", 100, [["yes", 100]] * 300)
    add("n300_all_wrong_100", 100, [["no", 100]] * 300)
    add("n300_all_wrong_0", 100, [["no", 0]] * 300)
    add("n320_over_100", 100, outcomes(rng, 320, 0.3, [0, 50, 100, 120, 150]))
    add("n800_one_right", 100, [["yes", 50]] + [["no", 50]] * 599 + [[None, None]] * 200)
    add("n35_beta10", 10, outcomes(rng, 35, 0.5, every))
    add("n64_beta8", 8, outcomes(rng, 64, 0.5, steps5))
    add("n400_beta150", 150, outcomes(rng, 400, 0.4, every))
    return s


def main():
    cases = {
        "replies": [{"id": i, "reply": r, "want": None if w is None else {"correct": w[0], "confidence": w[1]}}
                    for i, r, w in REPLIES],
        "judge_prompt": {"question": "What is {x} in $\\{a, b\\}$?", "response": "Answer: {y}\nConfidence: 50%",
                         "correct_answer": "{z} 42"},
        "sets": sets(),
    }
    # One line per set keeps the file small; the rest indented.
    sets_text = ",\n".join("  " + json.dumps(x, separators=(",", ":")) for x in cases.pop("sets"))
    head = json.dumps(cases, ensure_ascii=True, indent=1)
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        f.write(head[:-2] + ',\n "sets": [\n' + sets_text + "\n ]\n}\n")


if __name__ == "__main__":
    main()
