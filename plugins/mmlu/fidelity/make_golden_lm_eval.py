#!/usr/bin/env python3
"""Golden output of lm-evaluation-harness's MMLU scoring for cases.json.

Installs a pinned lm_eval from PyPI into a throw-away virtual environment
(`--no-deps` plus the few packages its filter and metric modules import) and
writes golden_lm_eval.json with:

* `mmlu_generative`: the task's own `get_response` filter list and
  `exact_match` options, read from the installed task YAML, run by lm_eval on
  every response;
* `mmlu` (log-likelihood): `acc` as lm_eval's multiple-choice
  `process_results` computes it, `numpy.argmax(lls) == gold`, with the same
  numpy lm_eval runs on.

    python3 plugins/mmlu/fidelity/make_golden_lm_eval.py

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
    import numpy as np

    name, kwargs, score = fidelity.exact_match_task("mmlu/generative/_default_template_yaml")
    cases = json.load(open(os.path.join(HERE, "cases.json")))
    scored = score([({}, case["response"], case["gold"]) for case in cases["generative"]])
    out = {
        "reference": f"{fidelity.LM_EVAL} (PyPI) tasks mmlu_generative (filter {name}, exact_match {kwargs}) "
        f"and mmlu (acc = numpy {np.__version__} argmax)",
        "python": sys.version.split()[0],
        "generative": [],
        "loglikelihood": [],
    }
    for case, (filtered, em) in zip(cases["generative"], scored):
        out["generative"].append({"id": case["id"], "filtered": filtered, "exact_match": em})
    for case in cases["loglikelihood"]:
        lls = [fidelity.number(v) for v in case["logprobs"]]
        pred = int(np.argmax(lls))
        out["loglikelihood"].append({"id": case["id"], "pred": pred, "acc": 1.0 if pred == case["gold"] else 0.0})
    fidelity.write_json(os.path.join(HERE, "golden_lm_eval.json"), out)
    print(f"wrote {len(out['generative'])} + {len(out['loglikelihood'])} cases")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
