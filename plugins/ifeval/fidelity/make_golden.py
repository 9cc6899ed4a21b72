#!/usr/bin/env python3
"""Golden output of lm-evaluation-harness's IFEval scoring for cases.json and
of langdetect / NLTK for texts.json.

Installs the pinned reference from PyPI into a throw-away virtual
environment (`lm_eval` with `--no-deps`, plus the packages its IFEval
modules import), takes NLTK's official punkt_tab tables out of the
`llama-index-core` wheel (sha256-checked; nltk.download needs GitHub), and
imports `lm_eval/tasks/ifeval/` straight from the installed package (the
`lm_eval` and `lm_eval.tasks` package initialisers, which pull in torch-era
dependencies the IFEval code never uses, are replaced by empty namespace
modules). Then:

* golden.json: for every case, lm_eval's own
  `test_instruction_following_strict` / `_loose` verdicts per instruction,
  and the four metrics over all cases (`process_results`, `mean`,
  `agg_inst_level_acc`);
* golden_texts.json: for every text, `langdetect.detect` with
  `DetectorFactory.seed = 0` (and the distinct results of 10 unseeded calls,
  lm_eval's actual setting), the reference's punkt sentences, `nltk.word_tokenize`
  and `instructions_util.count_words`.

lm_eval never seeds langdetect; the golden verdicts are computed with
`DetectorFactory.seed = 0`, which the plugin reproduces.

    python3 plugins/ifeval/fidelity/make_golden.py

Needs python3 (3.11.7 was used) and network access to PyPI only.
"""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = [
    "lm_eval==0.4.13",
    "langdetect==1.0.9",
    "six==1.17.0",
    "nltk==3.10.4",
    "regex==2025.11.3",
    "click==8.5.1",
    "joblib==1.6.0",
    "tqdm==4.70.1",
    "immutabledict==4.2.1",
    "packaging==25.0",
    "typing_extensions==4.15.0",
]
def import_ifeval():
    import importlib.util
    import types

    root = os.path.dirname(importlib.util.find_spec("lm_eval").origin)
    for name, path in [("lm_eval", root), ("lm_eval.tasks", os.path.join(root, "tasks"))]:
        module = types.ModuleType(name)
        module.__path__ = [path]
        sys.modules[name] = module
    from lm_eval.tasks.ifeval import instructions_util, utils

    return utils, instructions_util


def main():
    import langdetect
    import nltk
    from importlib.metadata import version
    from langdetect import DetectorFactory

    utils, instructions_util = import_ifeval()
    DetectorFactory.seed = 0

    with open(os.path.join(HERE, "cases.json"), encoding="utf-8") as f:
        corpus = json.load(f)
    prompts = {p["key"]: p for p in corpus["prompts"]}
    results = []
    per_doc = []
    start = time.perf_counter()
    for case in corpus["cases"]:
        doc = prompts[case["key"]]
        response = corpus["responses"][case["response"]]
        inp = utils.InputExample(key=doc["key"], instruction_id_list=doc["instruction_id_list"],
                                 prompt=doc["prompt"], kwargs=doc["kwargs"])
        strict = utils.test_instruction_following_strict(inp, response)
        loose = utils.test_instruction_following_loose(inp, response)
        results.append({
            "key": case["key"],
            "strict": strict.follow_instruction_list,
            "loose": loose.follow_instruction_list,
        })
        per_doc.append(utils.process_results(doc, [response]))
    elapsed = time.perf_counter() - start

    def mean(xs):
        return sum(xs) / len(xs)

    metrics = {
        "prompt_level_strict_acc": mean([d["prompt_level_strict_acc"] for d in per_doc]),
        "inst_level_strict_acc": utils.agg_inst_level_acc([d["inst_level_strict_acc"] for d in per_doc]),
        "prompt_level_loose_acc": mean([d["prompt_level_loose_acc"] for d in per_doc]),
        "inst_level_loose_acc": utils.agg_inst_level_acc([d["inst_level_loose_acc"] for d in per_doc]),
    }
    env = {
        "python": sys.version.split()[0],
        **{p: version(p) for p in ["lm_eval", "langdetect", "nltk", "regex"]},
        "langdetect_seed": 0,
    }
    with open(os.path.join(HERE, "golden.json"), "w", encoding="utf-8") as f:
        # repr() text: exact when parsed by a correctly rounding reader.
        metrics = {k: repr(v) for k, v in metrics.items()}
        json.dump({"environment": env, "metrics": metrics, "results": results}, f, ensure_ascii=False)
        f.write("\n")
    print(f"{len(results)} cases scored by lm_eval in {elapsed:.2f} s "
          f"({elapsed / len(results) * 1e3:.2f} ms per response, strict + loose twice)")

    with open(os.path.join(HERE, "texts.json"), encoding="utf-8") as f:
        texts = json.load(f)
    tokenizer = instructions_util._get_sentence_tokenizer()

    def detect(text):
        try:
            return langdetect.detect(text)
        except langdetect.LangDetectException:
            return None

    out = []
    for text in texts:
        DetectorFactory.seed = 0
        seeded = detect(text)
        DetectorFactory.seed = None
        unseeded = sorted({str(detect(text)) for _ in range(10)})
        DetectorFactory.seed = 0
        out.append({
            "lang": seeded,
            "unseeded": unseeded,
            "sentences": tokenizer.tokenize(text),
            "words": nltk.word_tokenize(text),
            "count_words": instructions_util.count_words(text),
        })
    with open(os.path.join(HERE, "golden_texts.json"), "w", encoding="utf-8") as f:
        json.dump({"environment": env, "texts": out}, f, ensure_ascii=False)
        f.write("\n")
    print(f"{len(out)} texts")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main, setup=fidelity.punkt_setup)
