#!/usr/bin/env python3
"""Golden ROUGE output for `tests/rouge/cases.json` (scorebox-metrics' `rouge` module).

Installs the two ROUGE packages references use from PyPI into a throw-away
virtual environment and writes `tests/rouge/golden.json`, per case:

* `pkg`: `rouge==1.0.1`, `Rouge().get_scores([prediction], [target],
  avg=True)` (rouge-1, rouge-2, rouge-l; p, r, f), or the exception it raises;
* `score`: `rouge-score==0.1.2`, `RougeScorer(["rouge1", "rouge2", "rougeL",
  "rougeLsum"]).score(target, prediction)` (no stemmer).

Floats are written with `repr` (as strings) so they parse back exactly.

    python3 plugins/sdk/tools/make_rouge_golden.py

Needs python3 (3.11 was used) and network access to PyPI only.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = [
    "rouge==1.0.1",
    "rouge-score==0.1.2",
    "six==1.17.0",
    "absl-py==2.3.1",
    "nltk==3.9.2",
    "numpy==2.2.6",
    "regex==2025.11.3",
    "click==8.3.1",
    "joblib==1.5.2",
    "tqdm==4.67.1",
]


def prf(p, r, f):
    return {"p": repr(float(p)), "r": repr(float(r)), "f": repr(float(f))}


def main():
    from rouge import Rouge
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"])
    folder = os.path.join(HERE, "..", "tests", "rouge")
    cases = json.load(open(os.path.join(folder, "cases.json"), encoding="utf-8"))["cases"]
    out = {
        "reference": "rouge==1.0.1 Rouge().get_scores(avg=True); rouge-score==0.1.2 RougeScorer (no stemmer)",
        "python": sys.version.split()[0],
        "cases": [],
    }
    for case in cases:
        t, p = case["target"], case["prediction"]
        row = {"id": case["id"]}
        try:
            s = Rouge().get_scores([p], [t], avg=True)
            row["pkg"] = {k: prf(v["p"], v["r"], v["f"]) for k, v in s.items()}
        except Exception as e:  # the package raises on an empty side
            row["pkg"] = {"error": str(e)}
        s = scorer.score(t, p)
        row["score"] = {k: prf(v.precision, v.recall, v.fmeasure) for k, v in s.items()}
        out["cases"].append(row)
    fidelity.write_json(os.path.join(folder, "golden.json"), out)
    print(f"wrote {len(out['cases'])} cases")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
