#!/usr/bin/env python3
"""Golden output of lm-evaluation-harness's pipeline for MILU's task rules.

MILU's official evaluation is an lm-evaluation-harness task (AI4Bharat/MILU,
`lm_eval/tasks/milu/`), which the PyPI `lm_eval` does not ship. This script
installs a pinned lm_eval from PyPI into a throw-away virtual environment
(`--no-deps` plus the packages it imports), writes task YAMLs that state the
official task's rules in lm_eval's own terms (our wording: Jinja templates for
its `doc_to_text` and `doc_to_target`, its `doc_to_choice`, `first_n`
few-shot from `validation`, `acc`, the `milu` group with `weight_by_size`),
and runs `simple_evaluate` on the group `milu`, 0-shot and 1-shot, with:

* `ai4bharat/MILU` (gated) replaced by our invented rows in `data/<Language>/`,
  loaded with `datasets.load_dataset("json")` (a fresh cache);
* a stand-in model answering each log-likelihood request from cases.json.

It records, per language and row: the prompt (context), the continuations
and `acc`; and the values of the `milu` group and its tasks.
With `MILU_TASKS` set to the official task folder (`lm_eval/tasks/milu` of a
checkout of AI4Bharat/MILU at OFFICIAL_COMMIT, which needs GitHub), it runs
that folder instead and writes `golden_milu.json`:

    python3 plugins/milu/fidelity/make_golden_lm_eval.py
    MILU_TASKS=/path/to/MILU/lm_eval/tasks/milu python3 plugins/milu/fidelity/make_golden_lm_eval.py

Needs python3 (3.11 was used) and network access to PyPI only.
"""
import contextlib
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = fidelity.LM_EVAL_PIPELINE_PINS
# The AI4Bharat/MILU commit whose task folder `golden_milu.json` ran.
OFFICIAL_COMMIT = "7d8e6c9102bf44ae9f9ee84cfabefb4cb8fa2e88"
DATA = os.path.join(HERE, "data")
LANGUAGES = ["English", "Bengali", "Hindi", "Tamil", "Telugu", "Malayalam", "Kannada", "Marathi", "Gujarati",
             "Punjabi", "Odia"]

TEMPLATE = {
    "dataset_path": "ai4bharat/MILU",
    "output_type": "multiple_choice",
    "test_split": "test",
    "fewshot_split": "validation",
    "fewshot_config": {"sampler": "first_n"},
    "metric_list": [{"metric": "acc", "aggregation": "mean", "higher_is_better": True}],
    "doc_to_text": "Question: {{question}}\nChoices:\nA. {{option1}}\nB. {{option2}}\nC. {{option3}}\n"
                   "D. {{option4}}\nAnswer:",
    "doc_to_target": "{{['1', '2', '3', '4'].index(target.split('option')[1])}}",
    "doc_to_choice": "{{[option1, option2, option3, option4]}}",
}


def write_tasks(folder):
    """The task folder: the template, one task per language, the group."""
    import yaml

    with open(os.path.join(folder, "_default_template_yaml"), "w") as f:
        yaml.safe_dump(TEMPLATE, f, allow_unicode=True)
    for lang in LANGUAGES:
        with open(os.path.join(folder, f"milu_{lang}.yaml"), "w") as f:
            yaml.safe_dump({"include": "_default_template_yaml", "dataset_name": lang, "task": f"milu_{lang}"}, f)
    with open(os.path.join(folder, "_milu.yaml"), "w") as f:
        yaml.safe_dump({"group": "milu", "task": [f"milu_{l}" for l in LANGUAGES],
                        "aggregate_metric_list": [{"metric": "acc", "weight_by_size": True}]}, f, sort_keys=False)


@contextlib.contextmanager
def hub_dataset_from_json(hub_path):
    """Within the block, `load_dataset(hub_path, name)` loads data/<name>/*.jsonl."""
    import datasets

    real = datasets.load_dataset
    with tempfile.TemporaryDirectory() as cache:

        def local(path=None, name=None, **kwargs):
            assert path == hub_path, path
            files = {split: os.path.join(DATA, name, f"{split}.jsonl") for split in ("test", "validation")}
            return real("json", data_files=files, cache_dir=cache)

        datasets.load_dataset = local
        try:
            yield
        finally:
            datasets.load_dataset = real


def request(arguments, i):
    """(context, continuation) of request i, in either logged layout."""
    if isinstance(arguments, dict):
        a = arguments[f"gen_args_{i}"]
        return a["arg_0"], a["arg_1"]
    return arguments[i][0], arguments[i][1]


def run(task_folder, rows, num_fewshot):
    from lm_eval import evaluator
    from lm_eval.tasks import TaskManager

    with hub_dataset_from_json("ai4bharat/MILU"):
        out = evaluator.simple_evaluate(
            model=fidelity.corpus_lm(rows, lambda task: task[len("milu_"):]),
            tasks=["milu"],
            num_fewshot=num_fewshot,
            log_samples=True,
            task_manager=TaskManager(include_path=task_folder),
        )
    samples = []
    for task, logged in sorted(out["samples"].items()):
        for s in sorted(logged, key=lambda s: s["doc_id"]):
            reqs = [request(s["arguments"], i) for i in range(4)]
            samples.append({
                "id": f"{task[len('milu_'):]}/{s['doc_id']}",
                "prompt": reqs[0][0],
                "continuations": [c for _, c in reqs],
                "target": s["target"],
                "acc": float(s["acc"]),
            })
    return {"num_fewshot": num_fewshot, "samples": samples, "results": fidelity.group_values(out["results"])}


def golden(task_folder, reference):
    cases = json.load(open(os.path.join(HERE, "cases.json")))
    return {
        "reference": reference,
        "python": sys.version.split()[0],
        "runs": [run(task_folder, cases["loglikelihood"], k) for k in (0, 1)],
    }


def main():
    official = os.environ.get("MILU_TASKS")
    if official:
        out = golden(official, f"AI4Bharat/MILU {OFFICIAL_COMMIT} lm_eval/tasks/milu (its YAMLs and utils_milu.py, "
                     f"run locally) with {fidelity.LM_EVAL} (PyPI): simple_evaluate on the group milu, data/ as "
                     "ai4bharat/MILU (json builder, fresh cache)")
        fidelity.write_json(os.path.join(HERE, "golden_milu.json"), out)
        print(f"wrote {len(out['runs'])} runs of {len(out['runs'][0]['samples'])} samples")
        return
    with tempfile.TemporaryDirectory() as folder:
        write_tasks(folder)
        out = golden(folder, f"{fidelity.LM_EVAL} (PyPI): simple_evaluate on the group milu as stated in "
                     "make_golden_lm_eval.py, data/ as ai4bharat/MILU (json builder, fresh cache)")
    fidelity.write_json(os.path.join(HERE, "golden_lm_eval.json"), out)
    print(f"wrote {len(out['runs'])} runs of {len(out['runs'][0]['samples'])} samples")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
