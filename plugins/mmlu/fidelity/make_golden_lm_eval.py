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
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LM_EVAL = "lm_eval==0.4.13"
PINNED = [
    LM_EVAL,
    "numpy==2.2.6",
    "sacrebleu==2.5.1",
    "portalocker==3.2.0",
    "tabulate==0.9.0",
    "colorama==0.4.6",
    "regex==2025.11.3",
    "lxml==6.0.2",
    "pyyaml==6.0.3",
]


def bootstrap():
    """Creates the venv, installs the pins, re-runs this file inside it."""
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        py = os.path.join(venv, "bin", "python")
        subprocess.check_call([py, "-m", "pip", "install", "-q", "--no-deps", *PINNED])
        subprocess.check_call([py, os.path.abspath(__file__), "--inside"])


def task_config(package_dir, relative):
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # `!function utils.x` tags name Python callables; only their names matter here.
    Loader.add_constructor("!function", lambda loader, node: loader.construct_scalar(node))
    with open(os.path.join(package_dir, "tasks", relative)) as f:
        return yaml.load(f, Loader=Loader)


def number(v):
    return float(v) if isinstance(v, str) else v


def main():
    import lm_eval
    import numpy as np
    from lm_eval.api.instance import Instance
    from lm_eval.api.registry import get_metric
    from lm_eval.filters import build_filter_ensemble

    config = task_config(os.path.dirname(lm_eval.__file__), "mmlu/generative/_default_template_yaml")
    (flt,) = config["filter_list"]
    ensemble = build_filter_ensemble(
        flt["name"],
        [[f["function"], {k: v for k, v in f.items() if k != "function"}] for f in flt["filter"]],
    )
    (metric_cfg,) = [m for m in config["metric_list"] if m["metric"] == "exact_match"]
    kwargs = {k: v for k, v in metric_cfg.items() if k not in ("metric", "aggregation", "higher_is_better")}
    exact_match = get_metric("exact_match")

    cases = json.load(open(os.path.join(HERE, "cases.json")))
    instances = []
    for case in cases["generative"]:
        inst = Instance(request_type="generate_until", doc={}, arguments=("", {}), idx=0)
        inst.resps = [case["response"]]
        instances.append(inst)
    ensemble.apply(instances)
    out = {
        "reference": f"{LM_EVAL} (PyPI) tasks mmlu_generative (filter {flt['name']}, exact_match {kwargs}) "
        f"and mmlu (acc = numpy {np.__version__} argmax)",
        "python": sys.version.split()[0],
        "generative": [],
        "loglikelihood": [],
    }
    for case, inst in zip(cases["generative"], instances):
        filtered = inst.filtered_resps[flt["name"]]
        em = exact_match(references=[case["gold"]], predictions=[filtered], **kwargs)["exact_match"]
        out["generative"].append({"id": case["id"], "filtered": filtered, "exact_match": float(em)})
    for case in cases["loglikelihood"]:
        lls = [number(v) for v in case["logprobs"]]
        pred = int(np.argmax(lls))
        out["loglikelihood"].append({"id": case["id"], "pred": pred, "acc": 1.0 if pred == case["gold"] else 0.0})
    with open(os.path.join(HERE, "golden_lm_eval.json"), "w") as f:
        json.dump(out, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(f"wrote {len(out['generative'])} + {len(out['loglikelihood'])} cases")


if __name__ == "__main__":
    if "--inside" in sys.argv:
        main()
    else:
        bootstrap()
