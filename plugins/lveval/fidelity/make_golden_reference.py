#!/usr/bin/env python3
"""Golden output of the LV-Eval reference for `cases.json`: writes
`golden_reference.json`.

LV-Eval is not on PyPI. Its scoring code, `config.py`, `metrics.py` and
`evaluation.py` of infinigence/LVEval at commit
63e7ae939bd347c76b2cdb1cebfb216faca26897, is downloaded from GitHub (or read
from a checkout given with `--lveval DIR`) and checked against the sha256
sums below. Its pinned dependencies come from PyPI into a throw-away virtual
environment: `jieba==0.42.1`, `rouge==1.0.1` (and `six`, which rouge
imports).

For every case, `evaluation.scorer("<dataset>_16k", [prediction],
[answers], [answer_keywords or None])` runs as the reference's
`evaluation.py` runs it per file (first ground truth only, `max(0, score)`):
the per-sample score (`repr`, so it parses back exactly), or the exception
it raises. Under `files`, `scorer` over each dataset's non-raising cases:
`round(100 * mean, 2)` as `evaluation.py` prints it.

`evaluation.py` imports `pandas` (for its command line only) and the
repository's `utils.py` (which imports torch and transformers, for
`ensure_dir` only); both are replaced by empty stand-ins, as neither is used
by `scorer`.

    python3 plugins/lveval/fidelity/make_golden_reference.py [--lveval DIR]

Needs python3 (3.11 was used) and network access to PyPI (and to
raw.githubusercontent.com without `--lveval`).
"""
import hashlib
import json
import logging
import os
import sys
import types
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = ["jieba==0.42.1", "rouge==1.0.1", "six==1.17.0"]

COMMIT = "63e7ae939bd347c76b2cdb1cebfb216faca26897"
SOURCES = {
    "config.py": "7c278132c6cd744e3a57dc87947a20d23d66f6928b9b7f37b0d1bf42e43df8e6",
    "metrics.py": "74156ade81b9884673fe4dde4f6f3472c5bd9e569add6cd16b1aa4e30e2fc5df",
    "evaluation.py": "36bcea208dc530d9680e6bf749db6026ed8e52ee40ff021e7cd911790bed819d",
}
RAW = "https://raw.githubusercontent.com/infinigence/LVEval/{commit}/{name}"
LEVEL = "16k"


def fetch_sources(dest, checkout):
    """The reference files in dest, sha256-checked."""
    for name, want in SOURCES.items():
        if checkout:
            with open(os.path.join(checkout, name), "rb") as f:
                data = f.read()
        else:
            with urllib.request.urlopen(RAW.format(commit=COMMIT, name=name), timeout=60) as r:
                data = r.read()
        got = hashlib.sha256(data).hexdigest()
        if got != want:
            sys.exit(f"{name}: sha256 {got} != {want} (not the file at {COMMIT})")
        with open(os.path.join(dest, name), "wb") as f:
            f.write(data)


def setup(tmp):
    """`fidelity.run` hook: the reference files in tmp/lveval, on PYTHONPATH."""
    checkout = None
    if "--lveval" in sys.argv:
        checkout = os.path.abspath(sys.argv[sys.argv.index("--lveval") + 1])
    dest = os.path.join(tmp, "lveval")
    os.makedirs(dest)
    fetch_sources(dest, checkout)
    return {"PYTHONPATH": dest}


def main():
    # Stand-ins for the two imports `scorer` does not use.
    sys.modules["pandas"] = types.ModuleType("pandas")
    utils = types.ModuleType("utils")
    utils.ensure_dir = lambda path: None
    sys.modules["utils"] = utils

    import jieba

    jieba.setLogLevel(logging.WARNING)
    import config
    import evaluation

    with open(os.path.join(HERE, "cases.json"), encoding="utf-8") as f:
        cases = json.load(f)["cases"]

    def keywords(case):
        return case["answer_keywords"] if "answer_keywords" in case else None

    rows = []
    scored = {}
    for case in cases:
        dataset = case["dataset"]
        name = config.DATASET_METRIC[dataset].__name__
        row = {"id": case["id"], "metric": name}
        try:
            _, per = evaluation.scorer(
                f"{dataset}_{LEVEL}", [case["prediction"]], [case["answers"]], [keywords(case)]
            )
            row["score"] = repr(per[name][0])
            scored.setdefault(dataset, []).append(case)
        except Exception as e:  # the reference's run stops here
            row["error"] = f"{type(e).__name__}: {e}"
        rows.append(row)

    files = {}
    for dataset, cs in scored.items():
        pct, _ = evaluation.scorer(
            f"{dataset}_{LEVEL}",
            [c["prediction"] for c in cs],
            [c["answers"] for c in cs],
            [keywords(c) for c in cs],
        )
        files[f"{dataset}_{LEVEL}"] = repr(pct)

    out = {
        "reference": f"infinigence/LVEval {COMMIT}: evaluation.scorer with metrics.py "
        "(jieba==0.42.1, rouge==1.0.1)",
        "python": sys.version.split()[0],
        "cases": rows,
        "files": files,
    }
    fidelity.write_json(os.path.join(HERE, "golden_reference.json"), out)
    errors = sum("error" in r for r in rows)
    print(f"wrote {len(rows)} cases ({errors} raise), {len(files)} files")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main, setup)
