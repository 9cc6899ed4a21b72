#!/usr/bin/env python3
"""Golden output of lm-evaluation-harness's SuperGLUE tasks on our invented
corpus.

Installs a pinned lm_eval from PyPI into a throw-away virtual environment
(`--no-deps` plus the packages it imports, with transformers 4.x for
ReCoRD's `squad_metrics` and scikit-learn for the F1s) and runs lm_eval's
own `simple_evaluate` on the 16 tasks of the tags `super-glue-lm-eval-v1`
and `super-glue-t5-prompt`, with `aps/super_glue` replaced by
data/<config>/validation.jsonl (the `datasets` json builder, fresh cache)
and a stand-in model answering from cases.json. It records each sample's
prompt, continuations or generation settings and per-sample values, and
each task's values.

For the metrics lm_eval reports for no task on these predictions (MultiRC
F1a and EM of the log-likelihood task, and the `mode=corrected` values), it
runs lm_eval's own t5 aggregation functions (`agg_f1`, `agg_em`,
`squad_f1_agg`, `squad_em_agg`), its `exact_match`, and scikit-learn's
`fbeta_score` on the predictions, as `extra`.

    python3 plugins/superglue/fidelity/make_golden_lm_eval.py

Needs python3 (3.11 was used) and network access to PyPI only.
"""
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

# lm_eval's pipeline pins, with huggingface_hub < 1.0 (transformers 4.x
# refuses 1.x; transformers 5 has no `data.metrics.squad_metrics`, which
# lm_eval's ReCoRD task imports) and scikit-learn with its dependencies.
PINNED = [p for p in fidelity.LM_EVAL_PIPELINE_PINS if not p.startswith("huggingface_hub==")] + [
    "huggingface_hub==0.36.0",
    "transformers==4.57.6",
    "tokenizers==0.22.1",
    "safetensors==0.8.0",
    "scikit-learn==1.7.2",
    "scipy==1.17.1",
    "joblib==1.5.2",
    "threadpoolctl==3.8.0",
]

CONFIGS = {"boolq": "boolq", "cb": "cb", "copa": "copa", "multirc": "multirc", "record": "record",
           "rte": "rte", "wic": "wic", "wsc": "wsc.fixed"}
DEFAULT_TASKS = {"boolq": "boolq", "cb": "cb", "copa": "copa", "multirc": "multirc", "record": "record",
                 "sglue_rte": "rte", "wic": "wic", "wsc": "wsc"}
T5_TASKS = {f"super_glue-{k}-t5-prompt": k for k in CONFIGS}


def task_key(name):
    return DEFAULT_TASKS.get(name) or T5_TASKS[name]


def doc_key(doc):
    idx = doc["idx"]
    if isinstance(idx, dict):
        if "answer" in idx:
            return f"{idx['paragraph']}-{idx['question']}-{idx['answer']}"
        return f"{idx['passage']}-{idx['query']}"
    return str(idx)


def sample_id(task, doc):
    return f"{task}/{doc_key(doc)}"


def plain(v):
    """JSON-friendly per-sample values (tuples from passthrough metrics)."""
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if hasattr(v, "item"):
        return v.item()
    return v


def main():
    import datasets
    from lm_eval import evaluator
    from lm_eval.api.model import LM

    cases = json.load(open(os.path.join(HERE, "cases.json")))

    class Corpus(LM):
        def loglikelihood(self, requests, disable_tqdm=False):
            out = []
            for r in requests:
                case = cases[task_key(r.task_name)][doc_key(r.doc)]
                out.append((fidelity.number(case["logprobs"][r.idx]), False))
            return out

        def generate_until(self, requests, disable_tqdm=False):
            return [cases[task_key(r.task_name)][doc_key(r.doc)]["response"] for r in requests]

        def loglikelihood_rolling(self, requests, disable_tqdm=False):
            raise NotImplementedError

    real = datasets.load_dataset
    with tempfile.TemporaryDirectory() as cache:

        def local(path=None, name=None, **kwargs):
            assert path == "aps/super_glue", path
            f = os.path.join(HERE, "data", name, "validation.jsonl")
            return real("json", data_files={"train": f, "validation": f}, cache_dir=cache)

        datasets.load_dataset = local
        try:
            out = evaluator.simple_evaluate(
                model=Corpus(),
                tasks=sorted(DEFAULT_TASKS) + sorted(T5_TASKS),
                log_samples=True,
                bootstrap_iters=0,
            )
        finally:
            datasets.load_dataset = real

    samples = {}
    for task, logged in sorted(out["samples"].items()):
        key = task_key(task)
        rows = []
        for s in sorted(logged, key=lambda s: s["doc_id"]):
            entry = {"id": sample_id(key, s["doc"]), "prompt": s["arguments"][0][0]}
            if task in DEFAULT_TASKS:
                entry["continuations"] = [a[1] for a in s["arguments"]]
            else:
                entry["until"] = s["arguments"][0][1]["until"]
                entry["response"] = s["resps"][0][0]
            for m in ("acc", "f1", "em", "exact_match", "mean_3class_f1", "accuracy"):
                if m in s:
                    entry[m] = plain(s[m])
            rows.append(entry)
        samples[task] = rows
    results = fidelity.group_values(out["results"])
    golden = {
        "reference": f"{fidelity.LM_EVAL} (PyPI): simple_evaluate on the super-glue-lm-eval-v1 and "
        "super-glue-t5-prompt tasks with data/<config>/validation.jsonl as aps/super_glue",
        "python": sys.version.split()[0],
        "pins": PINNED,
        "samples": samples,
        "results": results,
        "extra": extra(cases),
    }
    fidelity.write_json(os.path.join(HERE, "golden_lm_eval.json"), golden)
    print(f"wrote {sum(len(v) for v in samples.values())} samples of {len(samples)} tasks")


def rows(config):
    with open(os.path.join(HERE, "data", config, "validation.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def extra(cases):
    """Values lm_eval reports for no task, computed by lm_eval's own
    aggregation functions (and scikit-learn) on our predictions."""
    import numpy as np
    from sklearn.metrics import fbeta_score

    from lm_eval.api.metrics import exact_match_hf_evaluate, mean
    from lm_eval.tasks.super_glue.multirc import t5_utils as multirc
    from lm_eval.tasks.super_glue.record import t5_utils as record

    out = {}
    # MultiRC, log-likelihood: predicted label = argmax index (lm-eval's
    # reading, reference) or 1 - argmax (`yes` means correct, corrected).
    mrc = rows("multirc")
    for mode in ("reference", "corrected"):
        f1_items, em_items = [], []
        for r in mrc:
            lls = [fidelity.number(v) for v in cases["multirc"][doc_key(r)]["logprobs"]]
            pred = int(np.argmax(lls))
            if mode == "corrected":
                pred = 1 - pred
            label = r["label"]
            f1_items.append((pred, label))
            em_items.append((f"{r['idx']['paragraph']}-{r['idx']['question']}", pred, label))
        out[f"multirc_loglikelihood_{mode}"] = {
            "f1a": float(multirc.agg_f1(f1_items)),
            "em": float(multirc.agg_em(em_items)),
            "acc": mean([1.0 if p == lbl else 0.0 for p, lbl in f1_items])
            if mode == "corrected"
            else None,
        }
    # MultiRC, generative, corrected: EM grouped by paragraph and question.
    em_items = []
    for r in mrc:
        _, pred, ref = multirc.em([cases["multirc"][doc_key(r)]["response"]],
                                  [f"x_{['False', 'True'][r['label']]}"])
        em_items.append((f"{r['idx']['paragraph']}-{r['idx']['question']}", pred, ref))
    out["multirc_generative_corrected"] = {"em": float(multirc.agg_em(em_items))}
    # ReCoRD: the official F1 (0 when nothing overlaps) and per-query EM.
    rec = rows("record")
    ll_f1, ll_em, gen_em = [], [], []
    for r in rec:
        key = doc_key(r)
        entities = sorted(set(r["entities"]))
        answers = sorted(set(r["answers"]))
        lls = [fidelity.number(v) for v in cases["record"][key]["logprobs"]]
        pred = entities[int(np.argmax(lls))]
        ll_f1.append(float(record.squad_f1_agg([(pred, f"{key}_{a}") for a in answers])))
        ll_em.append(float(record.squad_em_agg([(pred, f"{key}_{a}") for a in answers])))
        response = cases["record"][key]["response"]
        # One query, all its gold answers: squad_em_agg's mean over the copies
        # of one query is that query's max-over-gold EM.
        gen_em.append(float(record.squad_em_agg([(response, f"{key}_{a}") for a in r["answers"]])))
    out["record_loglikelihood_corrected"] = {"f1": mean(ll_f1), "em": mean(ll_em), "per_query_f1": ll_f1}
    out["record_generative_corrected"] = {"em": mean(gen_em)}
    # CB, generative, corrected: the class exact_match accepts, else none (-1).
    names = ["entailment", "contradiction", "neutral"]
    preds, golds = [], []
    for r in rows("cb"):
        response = cases["cb"][doc_key(r)]["response"]
        hit = [i for i, n in enumerate(names)
               if exact_match_hf_evaluate([response], [n], ignore_case=True, ignore_punctuation=True)["exact_match"] == 1.0]
        preds.append(hit[0] if hit else -1)
        golds.append(r["label"])
    out["cb_generative_corrected"] = {
        "preds": preds,
        "mean_3class_f1": float(fbeta_score(golds, preds, beta=1, labels=range(3), average="macro")),
    }
    return out


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
