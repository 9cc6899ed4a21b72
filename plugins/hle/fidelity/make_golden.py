#!/usr/bin/env python3
"""Golden output of the HLE reference's own metric code on cases.json.

The reference is `hle_eval/run_judge_results.py` of a checkout of
github.com/centerforaisafety/hle (give its folder with `--reference DIR`;
none of its code is copied here). Its functions `calib_err` and
`dump_metrics` and the string `JUDGE_PROMPT` are taken from the file's
syntax tree (the module itself imports openai and datasets, which the
metrics do not need) and run with NumPy and `math`, in a throw-away venv
with pinned `numpy` (`--no-deps`; plugins/sdk/tools/fidelity.py).

For each set of cases.json, `predictions` is built as `run_judge_results`
keeps it (`{id: {"judge_response": {"correct", "confidence"}}}`, no
`judge_response` for a sample without a verdict) and written to golden.json:

* `printed`: what `dump_metrics(predictions, n)` prints (accuracy %,
  half-width %, calibration error), or the exception it raises;
* `accuracy_raw`: `100 * sum(correct) / n` (repr);
* `calib_err_reference`: `calib_err(confidence, correct, '2', beta)`
  (repr), or the exception name;
* `calib_err_stable`: the same function with `np.argsort` replaced by a
  stable argsort (samples of equal confidence in sample order), which is
  what the plugin does; the two differ only when equal confidences with
  different correctness straddle a bin boundary.

Also `judge_prompt`: `JUDGE_PROMPT.format(...)` on the corpus' fields.

    python3 plugins/hle/fidelity/make_golden.py --reference /path/to/hle

Needs python3 (3.11 was used) and PyPI.
"""
import ast
import contextlib
import hashlib
import io
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = ["numpy==2.2.6"]
WANTED = {"calib_err", "dump_metrics", "JUDGE_PROMPT"}


def reference_path():
    i = sys.argv.index("--reference")
    return os.path.join(os.path.abspath(sys.argv[i + 1]), "hle_eval", "run_judge_results.py")


def load_reference(path, np_module):
    """The wanted top-level definitions of the reference file, executed in a
    namespace holding only `np` (given) and `math`."""
    source = open(path, encoding="utf-8").read()
    tree = ast.parse(source)
    keep = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in WANTED:
            keep.append(node)
        elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in WANTED for t in node.targets):
            keep.append(node)
    found = {n.name if isinstance(n, ast.FunctionDef) else n.targets[0].id for n in keep}
    assert found == WANTED, f"not found in {path}: {WANTED - found}"
    ns = {"np": np_module, "math": math}
    exec(compile(ast.Module(body=keep, type_ignores=[]), path, "exec"), ns)
    return ns, hashlib.sha256(source.encode("utf-8")).hexdigest()


class StableNumpy:
    """`numpy` with a stable `argsort`; everything else is numpy's."""

    def __init__(self, np):
        self._np = np

    def __getattr__(self, name):
        return getattr(self._np, name)

    def argsort(self, a, *args, **kwargs):
        return self._np.argsort(a, kind="stable")


def run_set(ref, stable, case):
    import numpy as np
    outcomes = case["outcomes"]
    beta = case["beta"]
    predictions = {}
    for i, (correct, confidence) in enumerate(outcomes):
        entry = {"response": "..."}
        if correct is not None:
            entry["judge_response"] = {"correct": correct, "confidence": confidence}
        predictions[f"q{i}"] = entry
    n = len(outcomes)
    judged = [o for o in outcomes if o[0] is not None]
    correct = np.array(["yes" in o[0] for o in judged])
    confidence = np.array([o[1] for o in judged]) / 100
    out = {"id": case["id"], "n": n, "beta": beta,
           "accuracy_raw": repr(float(100 * sum(correct) / n))}
    if beta == 100:
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf):
                ref["dump_metrics"](predictions, n)
            lines = [l for l in buf.getvalue().splitlines() if l.startswith(("Accuracy:", "Calibration"))]
            out["printed"] = lines
        except Exception as e:  # noqa: BLE001 - the reference's failure is the golden value
            out["printed"] = f"{type(e).__name__}"
    for key, ns in (("calib_err_reference", ref), ("calib_err_stable", stable)):
        try:
            out[key] = repr(float(ns["calib_err"](confidence, correct, p="2", beta=beta)))
        except Exception as e:  # noqa: BLE001
            out[key] = type(e).__name__
    return out


def main():
    import numpy as np
    path = reference_path()
    ref, sha = load_reference(path, np)
    stable, _ = load_reference(path, StableNumpy(np))
    cases = json.load(open(os.path.join(HERE, "cases.json")))
    jp = cases["judge_prompt"]
    golden = {
        "reference_sha256": sha,
        "numpy": np.__version__,
        "judge_prompt": ref["JUDGE_PROMPT"].format(**jp),
        "sets": [run_set(ref, stable, c) for c in cases["sets"]],
    }
    fidelity.write_json(os.path.join(HERE, "golden.json"), golden)


if __name__ == "__main__":
    if "--reference" not in sys.argv:
        sys.exit("usage: make_golden.py --reference /path/to/hle-checkout")
    if "--inside" in sys.argv:
        main()
    else:
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            venv = os.path.join(tmp, "venv")
            subprocess.check_call([sys.executable, "-m", "venv", venv])
            py = os.path.join(venv, "bin", "python")
            subprocess.check_call([py, "-m", "pip", "install", "-q", "--no-deps", *PINNED])
            subprocess.check_call([py, os.path.abspath(__file__), "--inside", *sys.argv[1:]])
