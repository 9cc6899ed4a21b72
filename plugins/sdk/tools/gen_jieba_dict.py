#!/usr/bin/env python3
"""The dictionary `scorebox-jieba` (`sdk/jieba`) embeds: `sdk/jieba/src/jieba_dict.zlib`.

Installs `jieba==0.42.1` from PyPI into a throw-away virtual environment and
reads its default `dict.txt`. Word segmentation reads the word and the
frequency of each line, not the part-of-speech column, so that is dropped;
every line is kept, in its order (duplicates included: `B超` is listed
twice). To keep the file small the entries are stored as

    <count>\\n
    <count word lines>  one per entry: chr(0x30 + k), the word without its
                        first k bytes, \\n, where k is the number of leading
                        bytes it shares with the previous entry's word
    <count freq lines>  one per entry: the frequency in decimal, \\n

zlib-compressed at level 9: 1.29 MB, where `dict.txt` is 5.0 MB and its
`word freq` lines zlib'd as they are 1.70 MB. `sdk/jieba/src/lib.rs` turns
the file back into `word freq` lines and checks, in a test, their count,
total frequency and FNV-1a hash, which this script prints.

    python3 plugins/sdk/tools/gen_jieba_dict.py

The committed file was written with zlib 1.2.13 (the script prints the
version); another zlib build could in principle compress to other bytes,
but the decoded text, which the test checks, is the same.

Needs python3 (3.11 was used) and network access to PyPI only. jieba and its
dictionary are MIT-licensed (github.com/fxsjy/jieba).
"""
import os
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)

PINNED = ["jieba==0.42.1"]


def fnv1a64(data):
    """64-bit FNV-1a, as the Rust test computes it."""
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def encode(entries):
    """The stored layout (module docstring) of `(word, freq)` byte pairs."""
    words, freqs = [], []
    prev = b""
    for word, freq in entries:
        k = 0
        while k < min(len(prev), len(word), 0x4F) and prev[k] == word[k]:
            k += 1
        words.append(bytes([0x30 + k]) + word[k:] + b"\n")
        freqs.append(freq + b"\n")
        prev = word
    return str(len(entries)).encode() + b"\n" + b"".join(words) + b"".join(freqs)


def main():
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    entries = []
    with open(path, "rb") as f:
        for line in f:
            word, freq = line.strip().split(b" ")[:2]
            entries.append((word, freq))
    text = b"".join(w + b" " + f + b"\n" for w, f in entries)
    with open(os.path.join(HERE, "..", "jieba", "src", "jieba_dict.zlib"), "wb") as f:
        f.write(zlib.compress(encode(entries), 9))
    total = sum(int(f) for _, f in entries)
    print(
        f"{len(entries)} entries, total frequency {total}, "
        f"fnv1a64 of the `word freq` lines {fnv1a64(text):#018x}, "
        f"zlib {zlib.ZLIB_RUNTIME_VERSION}"
    )


if __name__ == "__main__":
    fidelity.run(__file__, PINNED, main)
