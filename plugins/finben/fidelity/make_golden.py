"""Golden per-sample and per-task values for `cases.json`, by FinBen's
reference scoring rules.

PIXIU (The-FinAI/PIXIU) is not on PyPI, so its rules are written out here,
from `src/tasks/flare.py` and `src/tasks/utils.py` at commit
da45ac467ca3a828621315881e33c68bca3bbb1f, and FinTrade's metrics from
`data-pipeline/07-metrics.py` of FinMem (pipiku915/FinMem-LLM-StockTrading
at be814aa47970de9bf2fdd6a1d5a60ae5cf361b46, the commit PIXIU pins as its
submodule); the metrics themselves
are the packages PIXIU calls, installed from PyPI at pinned versions:
scikit-learn (`f1_score`, `matthews_corrcoef`, `mean_squared_error`), seqeval
(`f1_score`), rouge-score (what `evaluate.load("rouge")` runs) and numpy.

Run: `python3 make_golden.py` (creates a throw-away venv, installs the pins
with --no-deps, writes golden.json next to this file).
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = [
    "numpy==2.2.6",
    "scipy==1.14.1",
    "scikit-learn==1.5.2",
    "joblib==1.4.2",
    "threadpoolctl==3.5.0",
    "seqeval==1.2.2",
    "rouge-score==0.1.2",
    "absl-py==2.1.0",
    "nltk==3.9.1",
    "six==1.16.0",
    "regex==2024.9.11",
    "click==8.1.7",
    "tqdm==4.66.5",
]

# StockMovement.CHOICE_DICT / DEFAULT per task.
STOCK = {
    "flare_sm_acl": ({"rise": ["yes", "positive"], "fall": ["no", "negative", "neutral"]}, "fall"),
    "flare_german": ({"good": ["yes", "positive"], "bad": ["no", "negative", "neutral"]}, "good"),
}

FINER_ORD = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
FSRL = ["O", "I-QUANT", "B-QUANT", "I-TIME", "B-TIME", "I-MANNER", "B-MANNER", "I-THEME", "B-THEME",
        "I-VALUE", "B-VALUE", "I-WHOLE", "B-WHOLE", "I-LOCATION", "B-LOCATION", "I-AGENT", "B-AGENT",
        "I-CAUSE", "B-CAUSE", "I-SOURCE", "B-SOURCE", "I-REF_TIME", "B-REF_TIME", "I-CONDITION",
        "B-CONDITION"]
CD = ["O", "I-CAUSE", "B-CAUSE", "I-EFFECT", "B-EFFECT"]


def label_maps():
    """Label maps by task; FNXL's is read from the plugin's Rust table."""
    fnxl = {}
    with open(os.path.join(HERE, "..", "src", "fnxl.rs")) as f:
        for name, ident in re.findall(r'\("([^"]+)", (\d+)\)', f.read()):
            fnxl[name] = int(ident)
    return {
        "flare_finer_ord": {k: i for i, k in enumerate(FINER_ORD)},
        "flare_fsrl": {k: i for i, k in enumerate(FSRL)},
        "flare_cd": {k: i for i, k in enumerate(CD)},
        "flare_fnxl": fnxl,
    }


def choice_pred(response, choices):
    """Classification: the first lower-cased choice contained in the
    stripped, lower-cased answer, else "missing"."""
    answer = response.strip().lower()
    for choice in choices:
        if choice.lower() in answer:
            return choice.lower()
    return "missing"


def stock_pred(response, choices, table, default):
    """StockMovement: a choice or one of its synonyms, else the default."""
    answer = response.strip().lower()
    for choice in choices:
        c = choice.lower()
        if c in answer or any(s in answer for s in table[c]):
            return c
    return default


def lm_eval_mean(values):
    """lm-evaluation-harness 0.3's `mean` aggregation (PIXIU's `acc`, `missing`)."""
    return sum(values) / len(values)


def choice_task_metrics(rows):
    from sklearn.metrics import f1_score, matthews_corrcoef
    import numpy as np

    preds = [r["pred"] for r in rows]
    golds = [r["gold"] for r in rows]
    labels = sorted(set(golds))
    index = {l: i for i, l in enumerate(labels)}
    return {
        "acc": lm_eval_mean([r["acc"] for r in rows]),
        "missing": lm_eval_mean([r["missing"] for r in rows]),
        "f1": float(f1_score(np.array(golds), np.array(preds), average="weighted", labels=labels)),
        "macro_f1": float(f1_score(np.array(golds), np.array(preds), average="macro", labels=labels)),
        "mcc": float(matthews_corrcoef([index.get(g, -1) for g in golds], [index.get(p, -1) for p in preds])),
    }


def ner_tags(response, text):
    """utils.process_text: `entity, TYPE` lines to BIO tags over text.split()."""
    pairs = []
    for line in response.split("\n"):
        pieces = line.split(", ")
        pairs.append((", ".join(pieces[:-1]), pieces[-1]))
    words = text.split()
    tags = ["O"] * len(words)
    starts = [0]
    for w in words[:-1]:
        starts.append(starts[-1] + len(w) + 1)
    for entity, kind in pairs:
        at = 0
        while True:
            at = text.find(entity, at)
            if not entity or at == -1:
                break
            last = at + len(entity) - 1
            first_word = next((i for i, s in enumerate(starts) if s >= at), None)
            stop_word = next((i for i, s in enumerate(starts) if s > last), None)
            if first_word is not None and stop_word is not None and first_word < len(tags):
                tags[first_word] = "B-" + kind
                for i in range(first_word + 1, stop_word):
                    tags[i] = "I-" + kind
            at = last + 1
    return tags


def seq_lines(response, tokens):
    """SequentialLabeling: line i counts when it is exactly `tokens[i]:label`."""
    out = [None] * len(tokens)
    for i, line in enumerate(response.split("\n")[: len(tokens)]):
        parts = line.split(":")
        if len(parts) == 2 and parts[0] == tokens[i]:
            out[i] = parts[1]
    return out


def rouge_f(scorer, reference, prediction):
    s = scorer.score(reference, prediction)
    return {k: s[k].fmeasure for k in ("rouge1", "rouge2", "rougeL")}


def text_nan(x):
    """A float for the golden file: nan as the string "nan" (JSON has none)."""
    return "nan" if x != x else float(x)


def trading(prices, actions):
    """FinMem data-pipeline/07-metrics.py, calculate_metrics (risk-free 0);
    None where its code raises, "nan" where it returns nan."""
    import numpy as np

    rewards = [actions[i] * np.log(prices[i + 1] / prices[i]) for i in range(len(prices) - 1)]
    cumulative = 0
    for r in rewards:
        cumulative += r
    out = {"cumulative_return": float(cumulative)}
    mean = sum(rewards) / len(rewards)
    with np.errstate(invalid="ignore"):
        # One return: numpy's 0.0 / 0 is nan, not an exception.
        std = (sum((r - mean) ** 2 for r in rewards) / (len(rewards) - 1)) ** 0.5
    annual = std * (252 ** 0.5)
    out["daily_volatility"] = text_nan(std)
    out["annualized_volatility"] = text_nan(annual)
    # calculate_sharpe_ratio raises ValueError when the volatility is 0.
    out["sharpe_ratio"] = None if annual == 0 else text_nan((cumulative / (len(prices) / 252) - 0) / annual)
    wealth = [1]
    for r in rewards:
        wealth.append(wealth[-1] * (1 + r))
    peak, worst = wealth[0], 0
    for w in wealth:
        if w > peak:
            peak = w
        drop = (peak - w) / peak
        if drop > worst:
            worst = drop
    out["max_drawdown"] = float(worst)
    return out


def main():
    import numpy as np
    from rouge_score import rouge_scorer
    from seqeval.metrics import f1_score as entity_f1
    from sklearn.metrics import f1_score, mean_squared_error

    cases = json.load(open(os.path.join(HERE, "cases.json")))
    out = {}

    # Classification and stock movement.
    for family in ("classification", "stock_movement"):
        per, by_task = {}, {}
        for c in cases[family]:
            if family == "classification":
                pred = choice_pred(c["response"], c["choices"])
            else:
                table, default = STOCK[c["task"]]
                pred = stock_pred(c["response"], c["choices"], table, default)
            gold = c["choices"][c["gold"]].lower()
            row = {"pred": pred, "gold": gold, "acc": float(pred == gold), "missing": float(pred == "missing")}
            per[c["id"]] = row
            by_task.setdefault(c["task"], []).append(row)
        out[family] = {"cases": per, "tasks": {t: choice_task_metrics(rows) for t, rows in by_task.items()}}

    # NER.
    per, golds, preds = {}, [], []
    for c in cases["ner"]:
        tags = ner_tags(c["response"], c["text"])
        per[c["id"]] = {"tags": tags}
        golds.append(c["label"])
        preds.append(tags)
    out["ner"] = {"cases": per, "entity_f1": float(entity_f1(golds, preds))}

    # Sequential labelling.
    maps = label_maps()
    per, by_task = {}, {}
    for c in cases["sequential_labeling"]:
        lmap = maps[c["task"]]
        lines = seq_lines(c["response"], c["token"])
        tags = [l if l is not None and l in lmap else "O" for l in lines]
        ids = [lmap.get(l, -1) if l is not None else -1 for l in lines]
        per[c["id"]] = {"tags": tags, "ids": ids}
        by_task.setdefault(c["task"], []).append((c["label"], tags, ids, [lmap[g] for g in c["label"]]))
    tasks = {}
    for task, rows in by_task.items():
        tasks[task] = {
            "entity_f1": float(entity_f1([r[0] for r in rows], [r[1] for r in rows])),
            "f1": float(f1_score([g for r in rows for g in r[3]], [p for r in rows for p in r[2]], average="weighted")),
        }
    out["sequential_labeling"] = {"cases": per, "tasks": tasks}

    # Relation extraction: one gold set and one answer-line set for the task.
    gold_set, pred_set = set(), set()
    for c in cases["relation_extraction"]:
        gold_set.update(c["label"])
        pred_set.update(c["response"].split("\n"))
    found = len(gold_set & pred_set)
    precision, recall = found / len(pred_set), found / len(gold_set)
    out["relation_extraction"] = {
        "precision": precision,
        "recall": recall,
        "f1": 0.0 if precision + recall == 0 else 2 * (precision * recall) / (precision + recall),
    }

    # QA.
    out["qa"] = {"cases": {c["id"]: {"acc": float(c["response"].strip() == c["answer"])} for c in cases["qa"]}}

    # ConvFinQA: turn t > 0 fills {answerN} with the earlier responses (str.format).
    per = {}
    for c in cases["convfinqa"]:
        turns = []
        for t, turn in enumerate(c["turns"]):
            earlier = {f"answer{k}": c["turns"][k]["response"] for k in range(t)}
            prompt = turn["query"] if t == 0 else turn["query"].format(**earlier)
            turns.append({"prompt": prompt, "acc": float(turn["response"].strip() == turn["answer"])})
        per[c["id"]] = turns
    out["convfinqa"] = {"cases": per}

    # TSA.
    per, golds, preds, missing = {}, [], [], []
    for c in cases["tsa"]:
        found = re.findall(r"[0-9]+(?:\.[0-9]+)?", c["response"].split("\n")[0])
        pred = float(found[0]) if found else -100.0
        per[c["id"]] = {"pred": None if not found else pred, "missing": float(not found)}
        missing.append(0 if found else 1)
        if pred != -100.0:
            golds.append(c["answer"])
            preds.append(max(min(pred, 1.0), -1.0))
    out["tsa"] = {
        "cases": per,
        "rmse": float(np.sqrt(mean_squared_error(golds, preds))),
        "missing": lm_eval_mean(missing),
    }

    # Summarisation: rouge-score, no stemmer (evaluate's rouge defaults).
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
    per = {c["id"]: rouge_f(scorer, c["answer"], c["response"]) for c in cases["abstractive_summarization"]}
    # PIXIU reports evaluate's bootstrap median here; the plugin reports the plain mean.
    means = {k: lm_eval_mean([v[k] for v in per.values()]) for k in ("rouge1", "rouge2", "rougeL")}
    out["abstractive_summarization"] = {"cases": per, "means": means}
    per = {}
    for c in cases["extractive_summarization"]:
        lines = c["text"].split("\n")
        gold = "\n".join(lines[i] for i in range(len(lines)) if i < len(c["label"]) and c["label"][i] == 1)
        labels = c["response"].split("\n")  # strings: "1" == 1 is False
        pred = "\n".join(lines[i] for i in range(len(lines)) if i < len(labels) and labels[i] == 1)
        per[c["id"]] = dict(rouge_f(scorer, gold, pred), summary=pred)
    out["extractive_summarization"] = {"cases": per}

    # FinTrade metrics.
    out["trading"] = {"cases": {c["id"]: trading(c["prices"], c["actions"]) for c in cases["trading"]}}

    fidelity.write_json(os.path.join(HERE, "golden.json"), out)


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
