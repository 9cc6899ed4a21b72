#!/usr/bin/env python3
"""Golden segmentation for the jieba agreement corpus.

Installs `jieba==0.42.1` from PyPI into a throw-away virtual environment and
writes `jieba/golden.json`: `list(jieba.cut(s))` (default dictionary,
`cut_all=False`, `HMM=True`) for every sentence of `jieba/sentences.json`.

    python3 plugins/lveval/fidelity/make_golden_jieba.py

Needs python3 (3.11 was used) and network access to PyPI only.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = ["jieba==0.42.1"]


def main():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    sentences = json.load(open(os.path.join(HERE, "jieba", "sentences.json"), encoding="utf-8"))
    out = {
        "reference": "jieba==0.42.1 (PyPI), list(jieba.cut(s)) with the default dictionary",
        "python": sys.version.split()[0],
        "cuts": [list(jieba.cut(s)) for s in sentences],
    }
    fidelity.write_json(os.path.join(HERE, "jieba", "golden.json"), out)
    print(f"wrote {len(out['cuts'])} segmentations")


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
