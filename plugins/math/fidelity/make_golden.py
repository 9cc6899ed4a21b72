#!/usr/bin/env python3
"""Golden output of the reference MATH scorers for cases.json.

Installs the pinned references from PyPI into a throw-away virtual
environment (`--no-deps`: lm_eval, math-verify, latex2sympy2_extended, sympy,
mpmath, and antlr4-python3-runtime 4.11 as lm-eval's `[math]` extra asks),
loads lm_eval's own task files `hendrycks_math/utils.py`,
`minerva_math/utils.py` and `leaderboard/math/utils.py` from the installed
package (the `datasets` import they make for type hints is stubbed), runs
their `process_docs` / `process_results` and helpers on every case, and
writes golden.json.

    python3 plugins/math/fidelity/make_golden.py

Needs python3 (3.11 was used) and network access to PyPI only.
"""
import json
import os
import sys
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = [
    "lm_eval==0.4.13",
    "math-verify==0.9.0",
    "latex2sympy2_extended==1.11.0",
    "sympy==1.14.0",
    "mpmath==1.3.0",
    "antlr4-python3-runtime==4.11.0",
]


def load(path, name):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def attempt(f, *args):
    try:
        return {"ok": f(*args)}
    except Exception as e:  # the reference raising is part of the result
        return {"error": type(e).__name__}


def main():
    import importlib.util

    stub = types.ModuleType("datasets")
    stub.Dataset = object  # only named in type hints of process_docs
    sys.modules.setdefault("datasets", stub)
    spec = importlib.util.find_spec("lm_eval")
    tasks = os.path.join(os.path.dirname(spec.origin), "tasks")
    hm = load(os.path.join(tasks, "hendrycks_math", "utils.py"), "hm_utils")
    mm = load(os.path.join(tasks, "minerva_math", "utils.py"), "mm_utils")
    lb = load(os.path.join(tasks, "leaderboard", "math", "utils.py"), "lb_utils")
    from math_verify import LatexExtractionConfig, parse

    cases = json.load(open(os.path.join(HERE, "cases.json")))["cases"]
    out = {
        "reference": "lm_eval==0.4.13 tasks hendrycks_math, minerva_math, leaderboard/math (utils.py); "
        "math-verify==0.9.0, latex2sympy2_extended==1.11.0, sympy==1.14.0, antlr4-python3-runtime==4.11.0 (PyPI)",
        "python": sys.version.split()[0],
        "cases": [],
    }
    started = time.perf_counter()
    for case in cases:
        sol, resp = case["solution"], case["response"]
        doc = {"problem": "", "solution": sol, "level": case["level"], "type": ""}
        row = {"id": case["id"]}
        # hendrycks_math
        row["hendrycks_gold"] = attempt(lambda s: hm.remove_boxed(hm.last_boxed_only_string(s)), sol)
        row["hendrycks"] = attempt(lambda: hm.process_results(doc, [resp])["exact_match"])
        # minerva_math
        row["minerva_unnormalized"] = mm.get_unnormalized_answer(resp)
        row["minerva_normalized"] = mm.normalize_final_answer(row["minerva_unnormalized"])
        mdoc = attempt(lambda: {**doc, **{"answer": mm.normalize_final_answer(mm.remove_boxed(mm.last_boxed_only_string(sol)))}})
        if "ok" in mdoc:
            row["minerva_doc_answer"] = mdoc["ok"]["answer"]
            res = mm.process_results(mdoc["ok"], [resp])
            row["minerva"] = {"ok": res["exact_match"]}
            row["math_verify"] = {"ok": res["math_verify"]}
        else:
            row["minerva"] = mdoc
            row["math_verify"] = {"ok": int(bool(mm.verify(gold=mm.parse(sol), target=mm.parse(resp))))}
        # leaderboard_math_hard
        lb_answer = lb.remove_boxed(lb.last_boxed_only_string(sol))
        ldoc = {"problem": "", "solution": sol, "answer": lb_answer}
        res = lb.process_results(ldoc, [resp])
        row["leaderboard_answer"] = lb_answer
        row["leaderboard_normalized"] = lb.normalize_final_answer(lb.get_unnormalized_answer(resp))
        row["leaderboard_normalized_gold"] = lb.normalize_final_answer(lb_answer)
        row["leaderboard"] = res["exact_match"]
        row["leaderboard_original"] = res["exact_match_original"]
        row["math_verify_gold_strings"] = [x for x in parse(sol) if isinstance(x, str)]
        row["math_verify_pred_strings"] = [x for x in parse(resp) if isinstance(x, str)]
        row["leaderboard_gold_strings"] = [x for x in parse(sol, extraction_config=[LatexExtractionConfig()]) if isinstance(x, str)]
        out["cases"].append(row)
    elapsed = time.perf_counter() - started
    out["seconds_per_case"] = round(elapsed / max(1, len(cases)), 6)
    fidelity.write_json(os.path.join(HERE, "golden.json"), out)
    print(f"wrote {len(out['cases'])} cases, {elapsed:.1f}s")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
