#!/usr/bin/env python3
"""Golden output of FastChat's own MT-Bench judging code on our invented cases.

Installs `fschat==0.2.36` (PyPI, `--no-deps`, pinned; plugins/sdk/tools/fidelity.py)
in a throw-away virtual environment and, without importing the package (its
`fastchat.llm_judge.common` imports openai, anthropic and the model
adapters), reads the installed `fastchat/llm_judge/common.py` and
`gen_judgment.py`, and executes their own definitions of `one_score_pattern`,
`one_score_pattern_backup`, `NEED_REF_CATS`, `temperature_config`, `Judge`,
`load_judge_prompts`, `run_judge_single` and `make_judge_single`, with the
judge API call replaced by a stand-in that returns the case's judgment and
records the conversation it was sent.

Writes golden.json:

* `ratings`: per judgment of cases.json, the `rating` `run_judge_single`
  returns (`-1` when none), or the exception it raises (`ast.literal_eval`
  of a match that is not a Python literal);
* `prompts`: per conversation of cases.json and turn, the judge prompt
  `gen_judgment.py` picks (by `NEED_REF_CATS`), the system prompt and the
  user prompt `run_judge_single` sends;
* `temperature_config`.

`judge_prompts.jsonl` is not in the fschat wheel: it is read from a FastChat
checkout at the pinned commit (environment variable FASTCHAT_GIT_DIR, a git
directory, e.g. what `git clone https://github.com/lm-sys/FastChat` made) or
downloaded from raw.githubusercontent.com at that commit; its sha256 is checked.

    FASTCHAT_GIT_DIR=/path/to/FastChat/.git python3 plugins/mtbench/fidelity/make_golden.py

Needs python3 (3.11.7 was used) and PyPI access. FastChat's code is run,
never copied here.
"""
import ast
import dataclasses
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

FSCHAT = "fschat==0.2.36"
PINNED = [FSCHAT]
COMMIT = "0e6d3e4beaab66f4d3f93db72541a4abab8af28d"
PROMPTS_PATH = "fastchat/llm_judge/data/judge_prompts.jsonl"
PROMPTS_SHA256 = "fd283293406d024f44c174b094ef48031d0687a4682fd3a56b29b138f80281b6"
JUDGE_MODEL = "stand-in-judge"


def judge_prompts_file(tmp):
    git_dir = os.environ.get("FASTCHAT_GIT_DIR")
    if git_dir:
        data = subprocess.check_output(["git", "--git-dir", git_dir, "show", f"{COMMIT}:{PROMPTS_PATH}"])
    else:
        url = f"https://raw.githubusercontent.com/lm-sys/FastChat/{COMMIT}/{PROMPTS_PATH}"
        data = urllib.request.urlopen(url).read()
    got = hashlib.sha256(data).hexdigest()
    if got != PROMPTS_SHA256:
        sys.exit(f"judge_prompts.jsonl sha256 {got} != {PROMPTS_SHA256}")
    path = os.path.join(tmp, "judge_prompts.jsonl")
    with open(path, "wb") as f:
        f.write(data)
    return path


def definitions(source, names):
    """The module-level statements of `source` defining any of `names`."""
    tree = ast.parse(source)
    keep = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in names:
            keep.append(node)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in names for t in node.targets
        ):
            keep.append(node)
    found = {n.name if hasattr(n, "name") else n.targets[0].id for n in keep}
    missing = set(names) - found
    assert not missing, missing
    return ast.Module(body=keep, type_ignores=[])


class StandInConv:
    """What `get_conversation_template` returns: records what the judge is sent."""

    def __init__(self):
        self.roles = ("user", "assistant")
        self.system = None
        self.messages = []

    def set_system_message(self, system):
        self.system = system

    def append_message(self, role, text):
        self.messages.append([role, text])


def main():
    import importlib.util
    import tempfile

    spec = importlib.util.find_spec("fastchat")
    pkg = spec.submodule_search_locations[0]
    common = open(os.path.join(pkg, "llm_judge", "common.py")).read()
    gen_judgment = open(os.path.join(pkg, "llm_judge", "gen_judgment.py")).read()

    sent = {}
    reply = {}

    def chat_completion_openai(model, conv, temperature, max_tokens):
        sent["system"] = conv.system
        sent["messages"] = [list(m) for m in conv.messages]
        sent["temperature"] = temperature
        sent["max_tokens"] = max_tokens
        return reply["text"]

    ns = {
        "re": re,
        "ast": ast,
        "dataclasses": dataclasses,
        "json": json,
        "get_conversation_template": lambda model: StandInConv(),
        "OPENAI_MODEL_LIST": [JUDGE_MODEL],
        "ANTHROPIC_MODEL_LIST": [],
        "chat_completion_openai": chat_completion_openai,
    }
    exec(compile(definitions(common, [
        "one_score_pattern", "one_score_pattern_backup", "NEED_REF_CATS", "temperature_config",
        "Judge", "load_judge_prompts", "run_judge_single",
    ]), "fastchat/llm_judge/common.py", "exec"), ns)
    exec(compile(definitions(gen_judgment, ["make_judge_single"]), "fastchat/llm_judge/gen_judgment.py", "exec"), ns)

    with tempfile.TemporaryDirectory() as tmp:
        judges = ns["make_judge_single"](JUDGE_MODEL, ns["load_judge_prompts"](judge_prompts_file(tmp)))
    run_judge_single = ns["run_judge_single"]
    cases = json.load(open(os.path.join(HERE, "cases.json")))

    ratings = []
    plain_question = {"turns": ["q"]}
    plain_answer = {"choices": [{"turns": ["a"]}]}
    for c in cases["judgments"]:
        reply["text"] = c["judgment"]
        try:
            rating, _, _ = run_judge_single(plain_question, plain_answer, judges["default"], None)
        except Exception as e:  # noqa: BLE001 - the reference raises; record which
            ratings.append({"id": c["id"], "error": type(e).__name__})
            continue
        try:
            as_float = float(rating)
        except OverflowError:  # an int beyond float range: "inf" (JSON has no inf)
            as_float = "inf"
        ratings.append({"id": c["id"], "rating": as_float, "python_type": type(rating).__name__})

    prompts = []
    reply["text"] = "[[10]]"
    for c in cases["prompts"]:
        question = {"turns": c["turns"]}
        answer = {"choices": [{"turns": c["answers"]}]}
        ref_based = c["category"] in ns["NEED_REF_CATS"]
        ref = {"choices": [{"turns": c["references"]}]} if ref_based else None
        for turn, key in ((1, "math" if ref_based else "default"), (2, "math-mt" if ref_based else "default-mt")):
            judge = judges[key]
            rating, user_prompt, _ = run_judge_single(question, answer, judge, ref, multi_turn=turn == 2)
            assert sent["messages"][0][1] == user_prompt
            prompts.append({
                "id": c["id"],
                "turn": turn,
                "judge_prompt": judge.prompt_template["name"],
                "system_prompt": sent["system"],
                "user_prompt": user_prompt,
                "judge_temperature": sent["temperature"],
                "judge_max_tokens": sent["max_tokens"],
                "rating": float(rating),
            })

    golden = {
        "reference": f"{FSCHAT} (PyPI): fastchat/llm_judge/common.py run_judge_single and "
        f"gen_judgment.py make_judge_single, executed with a stand-in judge; judge_prompts.jsonl "
        f"of lm-sys/FastChat {COMMIT}",
        "python": sys.version.split()[0],
        "ratings": ratings,
        "prompts": prompts,
        "need_ref_cats": ns["NEED_REF_CATS"],
        "temperature_config": ns["temperature_config"],
    }
    fidelity.write_json(os.path.join(HERE, "golden.json"), golden)
    print(f"wrote {len(ratings)} ratings, {len(prompts)} prompts")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
