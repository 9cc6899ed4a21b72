"""Checks `golden.json` against the reference code itself: PIXIU's
`src/tasks/flare.py` (with `utils.py`, `zhutils.py`, `__init__.py`) at
commit da45ac467ca3a828621315881e33c68bca3bbb1f and FinMem's
`data-pipeline/07-metrics.py` at be814aa47970de9bf2fdd6a1d5a60ae5cf361b46.

Neither is on PyPI and this script does not download them: point it at
checkouts you made yourself,

    PIXIU_DIR=/path/to/PIXIU FINMEM_DIR=/path/to/FinMem-LLM-StockTrading \
        python3 crosscheck_reference.py

(FinMem is PIXIU's submodule `FinMem-LLM-StockTrading`). It runs in the same
throw-away venv as `make_golden.py` (same pins) and imports the reference
modules unchanged. Only the imports they need for other tasks are stubbed:
lm-eval 0.3's `Task`/`rf` (never called here), `mean` (lm-eval 0.3's
`sum(arr) / len(arr)`), `bleu`/`chrf`/`ter`, `bart_score`, `evaluate`,
`factscore_package`, and FinMem's `yfinance`/`pandas` (used only to download
prices and read CSVs). Task objects are made without `Task.__init__` (which
would download the dataset); their `process_results`, `reformulate_turn_req`
and aggregation methods are then called on the corpus in `cases.json`, and
every value is compared with `golden.json`, exactly (floats bit for bit).

Not checked this way: ROUGE (PIXIU calls `evaluate.load("rouge")`, a Hub
script with a random bootstrap; golden.json uses rouge-score directly), so
for summarisation only the extractive summaries PIXIU builds are checked.
Prints one line per family and exits 1 on any difference.
"""
import importlib.util
import json
import math
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)
import make_golden  # noqa: E402  (same pins)


def stub(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    return module


def load_pixiu(root):
    class Task:
        pass

    lm_eval = stub("lm_eval")
    lm_eval.base = stub("lm_eval.base", Task=Task, rf=None, MultipleChoiceTask=Task)
    never = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("not used"))  # noqa: E731
    lm_eval.metrics = stub("lm_eval.metrics", mean=lambda arr: sum(arr) / len(arr), bleu=never, chrf=never, ter=never)
    stub("bart_score", BARTScorer=None)
    stub("evaluate", load=never)
    stub("factscore_package")
    stub("factscore_package.factscorer", FactScorer=None)
    tasks_dir = os.path.join(root, "src", "tasks")
    spec = importlib.util.spec_from_file_location(
        "pixiu_tasks", os.path.join(tasks_dir, "__init__.py"), submodule_search_locations=[tasks_dir]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules["pixiu_tasks"] = package
    spec.loader.exec_module(package)
    return package


def load_finmem(root):
    stub("yfinance")
    stub("pandas")
    spec = importlib.util.spec_from_file_location("finmem_metrics", os.path.join(root, "data-pipeline", "07-metrics.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # sklearn checks `sys.modules["pandas"]`: drop the stubs again.
    del sys.modules["yfinance"], sys.modules["pandas"]
    return module


def task(registry, name):
    cls = registry[name]
    return cls.__new__(cls)


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


class Check:
    def __init__(self):
        self.failures = []
        self.rounding = []
        self.count = 0

    def eq(self, where, got, want):
        self.count += 1
        if not same(got, want):
            self.failures.append(f"{where}: reference {got!r}, golden {want!r}")

    def near(self, where, got, want):
        """Weighted and macro F1: PIXIU passes `labels=list(set(golds))`,
        whose order (and so sklearn's summation order) follows
        PYTHONHASHSEED; golden.json uses the sorted labels. Equal within a
        few units in the last place, and counted apart."""
        self.count += 1
        if same(got, want):
            return
        if math.isclose(got, want, rel_tol=4e-16 * 4, abs_tol=0.0):
            self.rounding.append(f"{where}: reference {got!r}, golden {want!r}")
        else:
            self.failures.append(f"{where}: reference {got!r}, golden {want!r}")


def choice_family(check, registry, cases, golden, family):
    items = {}
    for c in cases[family]:
        t = task(registry, c["task"])
        r = t.process_results({"choices": c["choices"], "gold": c["gold"]}, [c["response"]])
        g = golden[family]["cases"][c["id"]]
        pred, gold = r["f1"]
        check.eq(f"{c['id']} pred", pred, g["pred"])
        check.eq(f"{c['id']} gold", gold, g["gold"])
        check.eq(f"{c['id']} acc", r["acc"], g["acc"])
        check.eq(f"{c['id']} missing", float(r["missing"]), g["missing"])
        items.setdefault(c["task"], {k: [] for k in ("acc", "missing", "f1", "macro_f1")})
        for k in ("acc", "missing", "f1", "macro_f1"):
            items[c["task"]][k].append(r[k])
    for name, by_metric in items.items():
        t = task(registry, name)
        agg = t.aggregation()
        want = golden[family]["tasks"][name]
        for k in ("acc", "missing"):
            check.eq(f"{name} {k}", float(agg[k](by_metric[k])), want[k])
        for k in ("f1", "macro_f1"):
            check.near(f"{name} {k}", float(agg[k](by_metric[k])), want[k])
        # Classification computes MCC only where CALCULATE_MCC (stock
        # movement); the plugin reports it for every choice task.
        check.eq(f"{name} mcc", float(t.matthews_corrcoef(by_metric["f1"])), want["mcc"])


def main():
    pixiu = load_pixiu(os.environ["PIXIU_DIR"])
    finmem = load_finmem(os.environ["FINMEM_DIR"])
    registry = pixiu.TASK_REGISTRY
    cases = json.load(open(os.path.join(HERE, "cases.json")))
    golden = json.load(open(os.path.join(HERE, "golden.json")))
    check = Check()
    done = []

    def report(family):
        done.append((family, check.count, len(check.failures)))

    choice_family(check, registry, cases, golden, "classification")
    report("classification")
    choice_family(check, registry, cases, golden, "stock_movement")
    report("stock_movement")

    ner = task(registry, "flare_ner")
    items = []
    for c in cases["ner"]:
        r = ner.process_results({"text": c["text"], "label": c["label"]}, [c["response"]])
        check.eq(f"{c['id']} tags", r["entity_f1"][0], golden["ner"]["cases"][c["id"]]["tags"])
        items.append(r["entity_f1"])
    check.eq("ner entity_f1", float(ner.entity_f1(items)), golden["ner"]["entity_f1"])
    report("ner")

    by_task = {}
    for c in cases["sequential_labeling"]:
        t = task(registry, c["task"])
        g = golden["sequential_labeling"]["cases"][c["id"]]
        check.eq(f"{c['id']} tags", t.process_result(c["response"], c["label"], c["token"]), g["tags"])
        check.eq(f"{c['id']} ids", t.process_label_result(c["response"], c["label"], c["token"]), g["ids"])
        r = t.process_results({"label": c["label"], "token": c["token"]}, [c["response"]])
        by_task.setdefault(c["task"], []).append(r["f1"])
    for name, items in by_task.items():
        t = task(registry, name)
        want = golden["sequential_labeling"]["tasks"][name]
        check.eq(f"{name} entity_f1", float(t.entity_f1(items)), want["entity_f1"])
        check.eq(f"{name} f1", float(t.label_f1(items)), want["f1"])
    report("sequential_labeling")

    finred = task(registry, "flare_finred")
    items = [finred.process_results({"label": c["label"]}, [c["response"]])["f1"] for c in cases["relation_extraction"]]
    for k, fn in (("precision", finred.precision), ("recall", finred.recall), ("f1", finred.cal_f1)):
        check.eq(f"finred {k}", float(fn(items)), golden["relation_extraction"][k])
    report("relation_extraction")

    finqa = task(registry, "flare_finqa")
    for c in cases["qa"]:
        r = finqa.process_results({"answer": c["answer"]}, [c["response"]])
        check.eq(f"{c['id']} acc", r["acc"], golden["qa"]["cases"][c["id"]]["acc"])
    report("qa")

    conv = task(registry, "flare_convfinqa")

    class Req:
        def __init__(self, prompt):
            self.args = (prompt, {"until": None})

    for c in cases["convfinqa"]:
        earlier = []
        for t, turn in enumerate(c["turns"]):
            req = conv.reformulate_turn_req(Req(turn["query"]), [(r, i) for i, r in enumerate(earlier)], t)
            g = golden["convfinqa"]["cases"][c["id"]][t]
            check.eq(f"{c['id']} turn {t} prompt", req.args[0], g["prompt"])
            r = conv.process_results({"answer": turn["answer"]}, [turn["response"]])
            check.eq(f"{c['id']} turn {t} acc", r["acc"], g["acc"])
            earlier.append(turn["response"])
    report("convfinqa")

    tsa = task(registry, "flare_tsa")
    rmse_items, missing = [], []
    for c in cases["tsa"]:
        r = tsa.process_results({"answer": c["answer"]}, [c["response"]])
        g = golden["tsa"]["cases"][c["id"]]
        gold, pred = r["rmse"]
        check.eq(f"{c['id']} pred", None if pred == -100.0 else pred, g["pred"])
        check.eq(f"{c['id']} missing", float(r["missing"]), g["missing"])
        rmse_items.append(r["rmse"])
        missing.append(r["missing"])
    check.eq("tsa rmse", float(tsa.rmse(rmse_items)), golden["tsa"]["rmse"])
    check.eq("tsa missing", float(tsa.aggregation()["missing"](missing)), golden["tsa"]["missing"])
    report("tsa")

    ectsum = task(registry, "flare_ectsum")
    for c in cases["extractive_summarization"]:
        (summary,) = ectsum.get_sum([c["response"].split("\n")], [c["text"]])
        check.eq(f"{c['id']} summary", summary, golden["extractive_summarization"]["cases"][c["id"]]["summary"])
    report("extractive_summarization")

    for c in cases["trading"]:
        g = golden["trading"]["cases"][c["id"]]
        try:
            import numpy as np

            with np.errstate(invalid="ignore"):
                cr, sr, dv, av, mdd = finmem.calculate_metrics(c["prices"], c["actions"])
        except ValueError:
            # calculate_sharpe_ratio raises on zero volatility: golden has no
            # Sharpe ratio; the other metrics come from FinMem's own functions.
            check.eq(f"{c['id']} sharpe_ratio", None, g["sharpe_ratio"])
            rewards = finmem.daily_reward(c["prices"], c["actions"])
            dv = finmem.standard_deviation(rewards)
            cr, av = finmem.total_reward(c["prices"], c["actions"]), finmem.annualized_volatility(dv)
            sr, mdd = None, finmem.calculate_max_drawdown(rewards)
        got = {"cumulative_return": cr, "sharpe_ratio": sr, "daily_volatility": dv,
               "annualized_volatility": av, "max_drawdown": mdd}
        for k, v in got.items():
            want = g[k]
            if v is None:
                continue
            check.eq(f"{c['id']} {k}", float(v), float("nan") if want == "nan" else want)
    report("trading")

    previous = (0, 0)
    for family, count, failed in done:
        print(f"{family}: {count - previous[0]} values, {failed - previous[1]} differ")
        previous = (count, failed)
    for f in check.rounding:
        print("LAST-BIT (set order)", f)
    for f in check.failures:
        print("DIFF", f)
    print(f"total: {check.count} values, {len(check.failures)} differ, "
          f"{len(check.rounding)} equal but for set-order rounding")
    sys.exit(1 if check.failures else 0)


if __name__ == "__main__":
    fidelity.run(__file__, make_golden.PINNED, main)
