#!/usr/bin/env python3
"""Golden output of lm-evaluation-harness's GPQA tasks on our invented corpus.

Installs a pinned lm_eval from PyPI into a throw-away virtual environment
(`--no-deps` plus the packages it imports) and runs lm_eval's own pipeline,
`simple_evaluate(random_seed=SEED)` on the task groups `leaderboard_gpqa`,
`gpqa_{diamond,extended,main}_zeroshot` and `gpqa_..._cot_zeroshot`, with:

* `Idavidrein/gpqa` replaced by our CSV files (data/gpqa_*.csv), loaded the
  way the hub dataset is (`datasets.load_dataset("csv")`, disk-backed, a
  fresh cache per run), so `process_docs` (preprocess + `random.shuffle`
  from the global stream) runs exactly as in a first real run;
* a stand-in model answering each request from cases.json: the
  log-likelihoods of row `i` of a configuration for `choose`-style
  requests, its response for generation.

It records, per configuration and row: the prompt, the four options in
their shuffled order, the gold letter and the per-sample metrics, and the
group values; then, for the filter cases, the `cot_zeroshot` task's own
filter list and `exact_match` on each response with the given options.

    python3 plugins/gpqa/fidelity/make_golden_lm_eval.py

Needs python3 (3.11 was used) and network access to PyPI only.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = fidelity.LM_EVAL_PIPELINE_PINS
SEEDS = [0, 1234]
TASKS = {
    "leaderboard": ["leaderboard_gpqa"],
    "zeroshot": ["gpqa_diamond_zeroshot", "gpqa_extended_zeroshot", "gpqa_main_zeroshot"],
    "cot_zeroshot": ["gpqa_diamond_cot_zeroshot", "gpqa_extended_cot_zeroshot", "gpqa_main_cot_zeroshot"],
}


def config_of(task_name):
    for c in ("diamond", "extended", "main"):
        if f"_{c}" in task_name:
            return "gpqa_" + c
    raise ValueError(task_name)


def run(variant, seed, rows):
    from lm_eval import evaluator

    def data_files(name):
        return {"train": os.path.join(HERE, "data", f"{name}.csv")}

    with fidelity.hub_dataset_from_csv("Idavidrein/gpqa", data_files):
        out = evaluator.simple_evaluate(
            model=fidelity.corpus_lm(rows, config_of), tasks=TASKS[variant], random_seed=seed, log_samples=True
        )
    samples = []
    for task, logged in sorted(out["samples"].items()):
        for s in sorted(logged, key=lambda s: s["doc_id"]):
            doc = s["doc"]
            entry = {
                "task": task,
                "config": config_of(task),
                "row": s["doc_id"],
                "prompt": s["arguments"][0][0] if isinstance(s["arguments"][0], (list, tuple)) else s["arguments"]["gen_args_0"]["arg_0"],
                "choices": [doc["choice1"], doc["choice2"], doc["choice3"], doc["choice4"]],
                "answer": doc["answer"],
                "metrics": {},
            }
            for key in ("acc", "acc_norm", "exact_match"):
                if key in s:
                    entry["metrics"][key] = float(s[key])
            if "filtered_resps" in s and variant == "cot_zeroshot":
                entry["filter"] = s["filter"]
            samples.append(entry)
    groups = fidelity.group_values(out["results"])
    return {"variant": variant, "seed": seed, "samples": samples, "results": groups}


def filters(cases):
    import lm_eval
    from lm_eval.api.task import ConfigurableTask
    from lm_eval.tasks._yaml_loader import load_yaml

    path = os.path.join(os.path.dirname(lm_eval.__file__), "tasks", "gpqa", "cot_zeroshot", "gpqa_main_cot_zeroshot.yaml")
    cfg = load_yaml(path)
    import datasets

    row = {"Question": "q", "Correct Answer": "a", "Incorrect Answer 1": "b", "Incorrect Answer 2": "c", "Incorrect Answer 3": "d"}
    cfg["custom_dataset"] = lambda **kw: {"train": datasets.Dataset.from_list([row])}
    task = ConfigurableTask(config=cfg)
    out = []
    for case in cases:
        doc = {"choices": case["choices"], "answer": case["gold"]}
        out.append({"id": case["id"], "filters": fidelity.filters_exact_match(task, doc, case["response"])})
    return out


def main():
    cases = json.load(open(os.path.join(HERE, "cases.json")))
    runs = []
    for variant in TASKS:
        for seed in SEEDS if variant == "leaderboard" else SEEDS[:1]:
            runs.append(run(variant, seed, cases["rows"]))
    out = {
        "reference": f"{fidelity.LM_EVAL} (PyPI): simple_evaluate on leaderboard_gpqa, gpqa_*_zeroshot, gpqa_*_cot_zeroshot "
        "with data/*.csv as Idavidrein/gpqa (csv builder, fresh cache)",
        "python": sys.version.split()[0],
        "runs": runs,
        "filters": filters(cases["filters"]),
    }
    fidelity.write_json(os.path.join(HERE, "golden_lm_eval.json"), out)
    print(f"wrote {len(runs)} runs, {len(out['filters'])} filter cases")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
