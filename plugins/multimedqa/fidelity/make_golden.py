#!/usr/bin/env python3
"""Golden output of the MultiMedQA references on our invented corpus.

Installs pinned packages from PyPI into a throw-away virtual environment
(`--no-deps`) and writes golden.json with:

* `lm_eval`: lm-evaluation-harness's own pipeline, `simple_evaluate` on the
  group `multimedqa` (pubmedqa, medmcqa, medqa_4options and the six MMLU
  clinical subjects), with each hub dataset (`GBaker/MedQA-USMLE-4-options-hf`,
  `openlifescienceai/medmcqa`, `bigbio/pubmed_qa`, `cais/mmlu`) replaced by
  our files in data/ (loaded with `datasets.load_dataset("json")`, a fresh
  cache per run) and a stand-in model answering each log-likelihood request
  from cases.json (`rows[task][doc_id].logprobs[choice]`). Per sample: the
  prompt, the continuations, the gold index and `acc` / `acc_norm`; per task
  and for the group: every reported value and stderr.
* `sklearn`: scikit-learn's `accuracy_score` and `f1_score(average="macro")`
  (what PubMedQA's `evaluation.py` prints) on the PubMedQA run's gold and
  predicted labels (prediction = lm-eval's `numpy.argmax` over yes/no/maybe)
  and on the label lists of cases.json `macro_f1`.

    python3 plugins/multimedqa/fidelity/make_golden.py

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

SKLEARN_PINS = ["scikit-learn==1.7.2", "scipy==1.15.3", "joblib==1.5.2", "threadpoolctl==3.6.0"]
PINNED = fidelity.LM_EVAL_PIPELINE_PINS + SKLEARN_PINS

SUBJECTS = ["anatomy", "clinical_knowledge", "college_medicine", "medical_genetics",
            "professional_medicine", "college_biology"]
PUBMEDQA = "pubmedqa/pubmed_qa_labeled_fold0_source"


def data_files(path, name):
    """Our files for the hub dataset `path` (configuration `name`), by split."""
    def split_files(folder, splits):
        return {s: os.path.join(HERE, "data", folder, f"{s}.jsonl") for s in splits}

    if path == "GBaker/MedQA-USMLE-4-options-hf":
        return split_files("medqa", ["train", "validation", "test"])
    if path == "openlifescienceai/medmcqa":
        return split_files("medmcqa", ["train", "validation"])
    if path == "bigbio/pubmed_qa":
        assert name == "pubmed_qa_labeled_fold0_source", name
        return split_files(PUBMEDQA, ["train", "validation", "test"])
    if path == "cais/mmlu":
        assert name in SUBJECTS, name
        return split_files(os.path.join("mmlu", name), ["test", "dev"])
    raise ValueError(f"unexpected dataset {path} {name}")


@contextlib.contextmanager
def local_datasets():
    """Within the block, `datasets.load_dataset(path, name)` reads our files."""
    import datasets

    real = datasets.load_dataset
    with tempfile.TemporaryDirectory() as cache:

        def local(path=None, name=None, **kwargs):
            return real("json", data_files=data_files(path, name), cache_dir=cache)

        datasets.load_dataset = local
        try:
            yield
        finally:
            datasets.load_dataset = real


def requests_of(arguments):
    """(context, continuation) pairs of a logged multiple-choice sample."""
    if isinstance(arguments, dict):
        return [(a["arg_0"], a["arg_1"]) for a in arguments.values()]
    return [(a[0], a[1]) for a in arguments]


def main():
    import numpy as np
    import sklearn
    from lm_eval import evaluator
    from sklearn.metrics import accuracy_score, f1_score

    cases = json.load(open(os.path.join(HERE, "cases.json")))
    rows = cases["rows"]
    with local_datasets():
        out = evaluator.simple_evaluate(
            model=fidelity.corpus_lm(rows, lambda task: task), tasks=["multimedqa"], log_samples=True
        )
    samples = []
    pubmed_gold, pubmed_pred = [], []
    for task, logged in sorted(out["samples"].items()):
        for s in sorted(logged, key=lambda s: s["doc_id"]):
            reqs = requests_of(s["arguments"])
            contexts = {c for c, _ in reqs}
            assert len(contexts) == 1, contexts
            entry = {
                "task": task,
                "row": s["doc_id"],
                "prompt": reqs[0][0],
                "continuations": [c for _, c in reqs],
                "target": s["target"],
                "metrics": {k: float(s[k]) for k in ("acc", "acc_norm") if k in s},
            }
            samples.append(entry)
            if task == "pubmedqa":
                lls = [fidelity.number(v) for v in rows[task][s["doc_id"]]["logprobs"]]
                pubmed_gold.append(s["doc"]["final_decision"])
                pubmed_pred.append(["yes", "no", "maybe"][int(np.argmax(lls))])
    results = {
        task: {k: v for k, v in vals.items() if "," in k and isinstance(v, float)}
        for task, vals in out["results"].items()
    }
    label_cases = [{"id": "pubmedqa_run", "y_true": pubmed_gold, "y_pred": pubmed_pred}] + cases["macro_f1"]
    scored = []
    for c in label_cases:
        scored.append({
            "id": c["id"],
            "accuracy": float(accuracy_score(c["y_true"], c["y_pred"])),
            "macro_f1": float(f1_score(c["y_true"], c["y_pred"], average="macro")),
        })
    golden = {
        "reference": f"{fidelity.LM_EVAL} (PyPI): simple_evaluate on the multimedqa group with data/ as the hub "
        f"datasets (json builder, fresh cache); scikit-learn=={sklearn.__version__} accuracy_score and "
        f"f1_score(average='macro') with numpy {np.__version__}",
        "python": sys.version.split()[0],
        "lm_eval": {"samples": samples, "results": results},
        "sklearn": {"pubmedqa_labels": {"y_true": pubmed_gold, "y_pred": pubmed_pred}, "cases": scored},
    }
    fidelity.write_json(os.path.join(HERE, "golden.json"), golden)
    print(f"wrote {len(samples)} samples, {len(results)} result groups, {len(scored)} label cases")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
