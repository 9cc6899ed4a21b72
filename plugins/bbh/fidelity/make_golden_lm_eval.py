#!/usr/bin/env python3
"""Golden output of lm-evaluation-harness's BBH tasks for cases.json and the
bundled sample.

Installs a pinned lm_eval from PyPI into a throw-away virtual environment
(`--no-deps` plus the packages its task, filter and metric modules import)
and, for each variant, builds lm_eval's own task object from the installed
YAML (`bbh/{cot_fewshot,cot_zeroshot,fewshot,zeroshot}/<subtask>.yaml`,
`leaderboard/bbh_mc/<subtask>.yaml`) with the data given through
`custom_dataset`, then writes golden_lm_eval.json with:

* `prompts`: `fewshot_context` (and the `choose` continuations) of every
  bundled sample row under every variant, with the description and
  exemplars taken from the sample's own prompt files the way lm-eval's
  generator made its YAML from the official files (`_generate_configs.py`;
  see the README);
* `generative`: each response of cases.json through the task's filter list
  and `process_results` (`exact_match` with the YAML's options);
* `loglikelihood`: `process_results` (`acc_norm`) of each log-likelihood set.

    python3 plugins/bbh/fidelity/make_golden_lm_eval.py

Needs python3 (3.11 was used) and network access to PyPI only.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

SAMPLE = os.path.join(HERE, "..", "sample")
PINNED = fidelity.LM_EVAL_PIPELINE_PINS
VARIANTS = ["cot_fewshot", "cot_zeroshot", "fewshot", "zeroshot", "leaderboard"]


def prompt_file(task):
    """The sample's prompt file, parsed as lm-eval's `_generate_configs.py`
    turned the official files into YAML: the text after the last
    "\\n-----\\n"; the description before the first "\\n\\nQ: "; per exemplar
    the question, the chain of thought after "A: Let's think step by step."
    and one newline or space, and the first `(?<=answer is )(.*)(?=.)` match."""
    with open(os.path.join(SAMPLE, "cot-prompts", task + ".txt")) as f:
        text = f.read()
    body = text.split("\n-----\n")[-1].rstrip("\n")
    desc, *shots = body.split("\n\nQ: ")
    out = []
    for s in shots:
        q, cot = s.split("\nA: Let's think step by step.", 1)
        out.append({"input": q, "cot": cot[1:], "answer": re.search("(?<=answer is )(.*)(?=.)", "Q: " + s)[0]})
    return desc, out


def sample_docs():
    docs = {}
    for name in sorted(os.listdir(os.path.join(SAMPLE, "bbh"))):
        with open(os.path.join(SAMPLE, "bbh", name)) as f:
            docs[name[: -len(".json")]] = json.load(f)["examples"]
    hf = os.path.join(SAMPLE, "hf")
    for task in sorted(os.listdir(hf)):
        with open(os.path.join(hf, task, "test.jsonl")) as f:
            docs[task] = [json.loads(line) for line in f if line.strip()]
    return docs


def build(variant, task, docs):
    import datasets
    import lm_eval
    from lm_eval.api.task import ConfigurableTask
    from lm_eval.tasks._yaml_loader import load_yaml

    base = os.path.join(os.path.dirname(lm_eval.__file__), "tasks")
    path = (
        os.path.join(base, "leaderboard", "bbh_mc", task + ".yaml")
        if variant == "leaderboard"
        else os.path.join(base, "bbh", variant, task + ".yaml")
    )
    cfg = load_yaml(path)
    cfg["custom_dataset"] = lambda **kw: {"test": datasets.Dataset.from_list(docs)}
    if os.path.exists(os.path.join(SAMPLE, "cot-prompts", task + ".txt")):
        desc, shots = prompt_file(task)
        cfg["description"] = desc if variant == "leaderboard" else desc + "\n\n"
        if "fewshot_config" in cfg:
            key = "cot" if variant == "cot_fewshot" else "answer"
            cfg["fewshot_config"]["samples"] = [{"input": s["input"], "target": s[key]} for s in shots]
    return ConfigurableTask(config=cfg)


def main():
    import numpy as np

    out = {
        "reference": f"{fidelity.LM_EVAL} (PyPI): bbh_{{cot_fewshot,cot_zeroshot,fewshot,zeroshot}}_* and leaderboard_bbh_* "
        f"task objects built from the installed YAML (numpy {np.__version__})",
        "python": sys.version.split()[0],
        "prompts": [],
        "generative": [],
        "loglikelihood": [],
    }
    docs = sample_docs()
    for variant in VARIANTS:
        for task, rows in docs.items():
            if variant == "leaderboard" and task in ("dyck_languages", "multistep_arithmetic_two", "word_sorting"):
                continue
            t = build(variant, task, rows)
            k = t.config.num_fewshot or 0
            for i, doc in enumerate(t.test_docs()):
                ctx = t.fewshot_context(doc, k)
                entry = {"variant": variant, "id": f"{task}/{i}", "context": ctx}
                if variant == "leaderboard":
                    entry["continuations"] = [a.arguments[1] for a in t.construct_requests(doc, ctx)]
                out["prompts"].append(entry)
    cases = json.load(open(os.path.join(HERE, "cases.json")))
    for case in cases["generative"]:
        doc = {"input": case["input"], "target": case["target"]}
        t = build(case["variant"], case["subtask"], [doc])
        res = {"id": case["id"], "filters": fidelity.filters_exact_match(t, doc, case["response"])}
        out["generative"].append(res)
    for case in cases["loglikelihood"]:
        doc = {"input": case["input"], "target": case["target"]}
        t = build("leaderboard", case["subtask"], [doc])
        lls = [fidelity.number(v) for v in case["logprobs"]]
        r = t.process_results(doc, [(ll, False) for ll in lls])
        choices = t.doc_to_choice(doc)
        pred_norm = int(np.argmax(np.array(lls) / np.array([float(len(c)) for c in choices])))
        out["loglikelihood"].append({"id": case["id"], "acc_norm": float(r["acc_norm"]), "pred_norm": pred_norm})
    fidelity.write_json(os.path.join(HERE, "golden_lm_eval.json"), out)
    print(f"wrote {len(out['prompts'])} prompts, {len(out['generative'])} + {len(out['loglikelihood'])} cases")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
