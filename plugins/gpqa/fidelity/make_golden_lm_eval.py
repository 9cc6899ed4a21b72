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
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LM_EVAL = "lm_eval==0.4.13"
PINNED = [
    LM_EVAL,
    "aiohappyeyeballs==2.7.1",
    "aiohttp==3.14.5",
    "aiosignal==1.4.0",
    "anyio==4.16.0",
    "attrs==26.1.0",
    "certifi==2026.10.19.post1",
    "charset-normalizer==3.5.3",
    "click==8.5.1",
    "colorama==0.4.6",
    "datasets==3.6.0",
    "dill==0.3.8",
    "filelock==4.3.1",
    "frozenlist==1.8.0",
    "fsspec==2025.3.0",
    "h11==0.16.0",
    "hf-xet==1.8.0",
    "httpcore2==2.16.2",
    "httpx2==2.16.2",
    "huggingface_hub==2.4.0",
    "idna==3.20",
    "Jinja2==3.1.6",
    "lxml==6.0.2",
    "MarkupSafe==3.0.4",
    "more-itertools==11.2.1",
    "multidict==7.2.1",
    "multiprocess==0.70.16",
    "numpy==2.2.6",
    "packaging==26.4",
    "pandas==3.1.1",
    "portalocker==3.2.0",
    "propcache==0.5.4",
    "pyarrow==26.0.1",
    "python-dateutil==4.0.0",
    "PyYAML==6.0.3",
    "regex==2025.11.3",
    "requests==2.34.2",
    "sacrebleu==2.5.1",
    "sqlitedict==2.1.0",
    "tabulate==0.9.0",
    "tqdm==4.70.1",
    "truststore==0.10.5",
    "typing_extensions==4.16.0",
    "tzdata==2026.6",
    "urllib3==2.8.0",
    "word2number==1.1",
    "xxhash==4.1.0",
    "yarl==1.25.1",
]
SEEDS = [0, 1234]
TASKS = {
    "leaderboard": ["leaderboard_gpqa"],
    "zeroshot": ["gpqa_diamond_zeroshot", "gpqa_extended_zeroshot", "gpqa_main_zeroshot"],
    "cot_zeroshot": ["gpqa_diamond_cot_zeroshot", "gpqa_extended_cot_zeroshot", "gpqa_main_cot_zeroshot"],
}


def bootstrap():
    """Creates the venv, installs the pins, re-runs this file inside it."""
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        py = os.path.join(venv, "bin", "python")
        subprocess.check_call([py, "-m", "pip", "install", "-q", "--no-deps", *PINNED])
        subprocess.check_call([py, os.path.abspath(__file__), "--inside"])


def number(v):
    return float(v) if isinstance(v, str) else v


def config_of(task_name):
    for c in ("diamond", "extended", "main"):
        if f"_{c}" in task_name:
            return "gpqa_" + c
    raise ValueError(task_name)


def run(variant, seed, rows):
    import datasets
    from lm_eval import evaluator
    from lm_eval.api.model import LM

    class Corpus(LM):
        def loglikelihood(self, requests, disable_tqdm=False):
            return [
                (number(rows[config_of(r.task_name)][r.doc_id]["logprobs"][r.idx]), False)
                for r in requests
            ]

        def generate_until(self, requests, disable_tqdm=False):
            return [rows[config_of(r.task_name)][r.doc_id]["response"] for r in requests]

        def loglikelihood_rolling(self, requests, disable_tqdm=False):
            raise NotImplementedError

    real = datasets.load_dataset
    with tempfile.TemporaryDirectory() as cache:

        def local(path=None, name=None, **kwargs):
            assert path == "Idavidrein/gpqa", path
            return real("csv", data_files={"train": os.path.join(HERE, "data", f"{name}.csv")}, cache_dir=cache)

        datasets.load_dataset = local
        try:
            out = evaluator.simple_evaluate(
                model=Corpus(), tasks=TASKS[variant], random_seed=seed, log_samples=True
            )
        finally:
            datasets.load_dataset = real
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
    groups = {
        task: {k: v for k, v in vals.items() if isinstance(v, float) and "stderr" not in k}
        for task, vals in out["results"].items()
    }
    return {"variant": variant, "seed": seed, "samples": samples, "results": groups}


def filters(cases):
    import lm_eval
    from lm_eval.api.instance import Instance
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
        res = {"id": case["id"], "filters": {}}
        for f in task._filters:
            inst = Instance(request_type="generate_until", doc=doc, arguments=("", {}), idx=0)
            inst.resps = [case["response"]]
            f.apply([inst])
            filtered = inst.filtered_resps[f.name]
            em = task.process_results(doc, [filtered])["exact_match"]
            res["filters"][f.name] = {"filtered": filtered, "exact_match": float(em)}
        out.append(res)
    return out


def main():
    cases = json.load(open(os.path.join(HERE, "cases.json")))
    runs = []
    for variant in TASKS:
        for seed in SEEDS if variant == "leaderboard" else SEEDS[:1]:
            runs.append(run(variant, seed, cases["rows"]))
    out = {
        "reference": f"{LM_EVAL} (PyPI): simple_evaluate on leaderboard_gpqa, gpqa_*_zeroshot, gpqa_*_cot_zeroshot "
        "with data/*.csv as Idavidrein/gpqa (csv builder, fresh cache)",
        "python": sys.version.split()[0],
        "runs": runs,
        "filters": filters(cases["filters"]),
    }
    with open(os.path.join(HERE, "golden_lm_eval.json"), "w") as f:
        json.dump(out, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(f"wrote {len(runs)} runs, {len(out['filters'])} filter cases")


if __name__ == "__main__":
    if "--inside" in sys.argv:
        main()
    else:
        bootstrap()
