#!/usr/bin/env python3
"""Golden output of lm-evaluation-harness's `cmmlu` group on our bundled sample.

Installs a pinned lm_eval from PyPI into a throw-away virtual environment
(`--no-deps` plus the packages it imports) and runs lm_eval's own pipeline,
`simple_evaluate` on the group `cmmlu` (all 67 subject tasks), 0-shot and
1-shot, with:

* `haonan-li/cmmlu` replaced by the bundled sample's CSV files
  (`sample/data/{test,dev}/<subject>.csv`, all 67 subjects, invented by us),
  loaded the way a hub CSV dataset is (`datasets.load_dataset("csv")`);
* a stand-in model answering each log-likelihood request from cases.json
  (`loglikelihood.<subject>[row].logprobs[choice]`).

It records, per subject and row: the prompt (context), the continuations
and `acc` / `acc_norm`; and the values of the `cmmlu` group and its tasks.

    python3 plugins/cmmlu/fidelity/make_golden_lm_eval.py

Needs python3 (3.11 was used) and network access to PyPI only.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = fidelity.LM_EVAL_PIPELINE_PINS
SAMPLE = os.path.join(HERE, "..", "sample", "data")


def subject_of(task_name):
    assert task_name.startswith("cmmlu_"), task_name
    return task_name[len("cmmlu_"):]


def request(arguments, i):
    """(context, continuation) of request i, in either logged layout."""
    if isinstance(arguments, dict):
        a = arguments[f"gen_args_{i}"]
        return a["arg_0"], a["arg_1"]
    return arguments[i][0], arguments[i][1]


def run(rows, num_fewshot):
    from lm_eval import evaluator

    def data_files(name):
        return {split: os.path.join(SAMPLE, split, f"{name}.csv") for split in ("test", "dev")}

    with fidelity.hub_dataset_from_csv("haonan-li/cmmlu", data_files):
        out = evaluator.simple_evaluate(
            model=fidelity.corpus_lm(rows, subject_of), tasks=["cmmlu"], num_fewshot=num_fewshot, log_samples=True
        )
    samples = []
    for task, logged in sorted(out["samples"].items()):
        for s in sorted(logged, key=lambda s: s["doc_id"]):
            reqs = [request(s["arguments"], i) for i in range(4)]
            samples.append({
                "id": f"{subject_of(task)}/{s['doc_id']}",
                "prompt": reqs[0][0],
                "continuations": [c for _, c in reqs],
                "acc": float(s["acc"]),
                "acc_norm": float(s["acc_norm"]),
            })
    return {"num_fewshot": num_fewshot, "samples": samples, "results": fidelity.group_values(out["results"])}


def main():
    cases = json.load(open(os.path.join(HERE, "cases.json")))
    out = {
        "reference": f"{fidelity.LM_EVAL} (PyPI): simple_evaluate on the group cmmlu with sample/data as "
        "haonan-li/cmmlu (csv builder, fresh cache)",
        "python": sys.version.split()[0],
        "runs": [run(cases["loglikelihood"], k) for k in (0, 1)],
    }
    fidelity.write_json(os.path.join(HERE, "golden_lm_eval.json"), out)
    print(f"wrote {len(out['runs'])} runs of {len(out['runs'][0]['samples'])} samples")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
