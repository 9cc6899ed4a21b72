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
DOMAINS = ["murder_mysteries", "object_placements", "team_allocation"]


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


def domain_of(task_name):
    return next(d for d in DOMAINS if task_name.endswith(d))


def main():
    import datasets
    from lm_eval import evaluator
    from lm_eval.api.model import LM

    rows = json.load(open(os.path.join(HERE, "cases.json")))["rows"]

    class Corpus(LM):
        def loglikelihood(self, requests, disable_tqdm=False):
            return [(number(rows[domain_of(r.task_name)][r.doc_id]["logprobs"][r.idx]), False) for r in requests]

        def generate_until(self, requests, disable_tqdm=False):
            raise NotImplementedError

        def loglikelihood_rolling(self, requests, disable_tqdm=False):
            raise NotImplementedError

    real = datasets.load_dataset
    with tempfile.TemporaryDirectory() as cache:

        def local(path=None, name=None, **kwargs):
            assert path == "TAUR-Lab/MuSR", path
            files = {d: os.path.join(HERE, "data", d + ".csv") for d in DOMAINS}
            return real("csv", data_files=files, cache_dir=cache)

        datasets.load_dataset = local
        try:
            out = evaluator.simple_evaluate(model=Corpus(), tasks=["leaderboard_musr"], log_samples=True)
        finally:
            datasets.load_dataset = real
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
    results = {
        task: {k: v for k, v in vals.items() if isinstance(v, float) and "stderr" not in k}
        for task, vals in out["results"].items()
    }
    golden = {
        "reference": f"{LM_EVAL} (PyPI): simple_evaluate on leaderboard_musr with data/*.csv as TAUR-Lab/MuSR",
        "python": sys.version.split()[0],
        "samples": samples,
        "results": results,
    }
    with open(os.path.join(HERE, "golden_lm_eval.json"), "w") as f:
        json.dump(golden, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(f"wrote {len(samples)} samples")


if __name__ == "__main__":
    if "--inside" in sys.argv:
        main()
    else:
        bootstrap()
