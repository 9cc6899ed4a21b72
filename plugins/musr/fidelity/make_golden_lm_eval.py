#!/usr/bin/env python3
"""Golden output of lm-evaluation-harness's `leaderboard_musr` on our
invented corpus.

Installs a pinned lm_eval from PyPI into a throw-away virtual environment
(`--no-deps` plus the packages it imports) and runs lm_eval's own
`simple_evaluate` on the group `leaderboard_musr`, with `TAUR-Lab/MuSR`
replaced by data/*.csv (one split per domain, loaded through the same
`datasets` CSV builder, fresh cache) and a stand-in model answering each
log-likelihood request from cases.json. It records, per domain and row,
the prompt, the continuations, the target and `acc_norm`, and the task and
group values.

    python3 plugins/musr/fidelity/make_golden_lm_eval.py

Needs python3 (3.11 was used) and network access to PyPI only.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = fidelity.LM_EVAL_PIPELINE_PINS
DOMAINS = ["murder_mysteries", "object_placements", "team_allocation"]


def domain_of(task_name):
    return next(d for d in DOMAINS if task_name.endswith(d))


def main():
    from lm_eval import evaluator

    rows = json.load(open(os.path.join(HERE, "cases.json")))["rows"]

    def data_files(name):
        return {d: os.path.join(HERE, "data", d + ".csv") for d in DOMAINS}

    with fidelity.hub_dataset_from_csv("TAUR-Lab/MuSR", data_files):
        out = evaluator.simple_evaluate(model=fidelity.corpus_lm(rows, domain_of), tasks=["leaderboard_musr"], log_samples=True)
    samples = []
    for task, logged in sorted(out["samples"].items()):
        for s in sorted(logged, key=lambda s: s["doc_id"]):
            samples.append(
                {
                    "domain": domain_of(task),
                    "row": s["doc_id"],
                    "prompt": s["arguments"][0][0],
                    "continuations": [a[1] for a in s["arguments"]],
                    "target": s["target"],
                    "acc_norm": float(s["acc_norm"]),
                }
            )
    results = fidelity.group_values(out["results"])
    golden = {
        "reference": f"{fidelity.LM_EVAL} (PyPI): simple_evaluate on leaderboard_musr with data/*.csv as TAUR-Lab/MuSR",
        "python": sys.version.split()[0],
        "samples": samples,
        "results": results,
    }
    fidelity.write_json(os.path.join(HERE, "golden_lm_eval.json"), golden)
    print(f"wrote {len(samples)} samples")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
