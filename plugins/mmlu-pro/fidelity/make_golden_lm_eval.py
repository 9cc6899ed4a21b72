#!/usr/bin/env python3
"""Golden output of lm-evaluation-harness's `mmlu_pro` scoring for cases.json.

Installs a pinned lm_eval from PyPI into a throw-away virtual environment
(`--no-deps` plus the few packages its filter and metric modules import),
reads the task's own YAML from the installed package (the `custom-extract`
filter list and the `exact_match` options), runs lm_eval's filters and metric
on every response of cases.json, and writes golden_lm_eval.json.

    python3 plugins/mmlu-pro/fidelity/make_golden_lm_eval.py

Needs python3 (3.11 was used) and network access to PyPI only.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = fidelity.LM_EVAL_METRIC_PINS


def main():
    name, kwargs, score = fidelity.exact_match_task("mmlu_pro/_default_template_yaml")
    cases = json.load(open(os.path.join(HERE, "cases.json")))["cases"]
    scored = score([({"answer": case["answer"]}, case["response"], case["answer"]) for case in cases])
    out = {
        "reference": f"{fidelity.LM_EVAL} (PyPI) task mmlu_pro, filter {name}, exact_match {kwargs}",
        "python": sys.version.split()[0],
        "cases": [],
    }
    for case, (filtered, em) in zip(cases, scored):
        out["cases"].append({"id": case["id"], "filtered": filtered, "exact_match": em})
    fidelity.write_json(os.path.join(HERE, "golden_lm_eval.json"), out)
    print(f"wrote {len(out['cases'])} cases")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
