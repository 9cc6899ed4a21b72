#!/usr/bin/env python3
"""Compare scorebox-llama with the reference engine, llama-cpp-python.

Both sides load the same GGUF (SmolLM2-135M-Instruct Q4_1 by default) and:

* score every continuation of every prompt in prompts.json with
  lm-evaluation-harness's rules (trailing context whitespace moved into the
  continuation; context and context+continuation tokenized separately, the
  continuation being the whole's tokens past the context's; the sum of the
  log-softmax of the continuation tokens; greedy = every token the argmax).
  The reference side evaluates each context+continuation with
  ``Llama(logits_all=True).eval`` and reads ``Llama.scores``; it never uses
  the completion API's echo logprobs, which are shifted by one position in
  llama-cpp-python 0.3.x;
* generates greedily for the chat prompts in prompts.json, with the GGUF's
  chat template, and compares the tokens one by one and the texts (the
  reference's text comes from ``create_chat_completion``, stop sequences
  included);
* does both twice: with the KV cache in f32 (our default) and in f16
  (llama.cpp's and llama-cpp-python's default). SmolLM2's keys and values
  lose enough in f16 that the two builds' different f16 kernels (AVX2 here,
  AVX-512 in a native llama-cpp-python build; and different llama.cpp
  versions) move log-probabilities by up to ~1 nat; in f32 they agree to
  ~1e-12. Choices must agree on every prompt in f32;
* measures prompt tokens/s, generated tokens/s and MMLU-style samples/s (one
  sample = the 4 continuations " A".." D" of one question).

Our side is ``cargo run --release --example loglik`` and ``--example bench``
in this crate. Results go to results.json (beside this script by default).

Setup (llama-cpp-python compiles llama.cpp from source; ~10 min on 2 cores):

    python3 -m venv /tmp/lcp-venv
    /tmp/lcp-venv/bin/pip install llama-cpp-python==0.3.36 numpy
    /tmp/lcp-venv/bin/python compare/compare_llama_cpp_python.py

Options: --model PATH (default: $SCOREBOX_MODEL or the scorebox cache),
--threads N (default 2), --out PATH, --skip-bench, --bench-only, --label NAME,
--ours-args "--no-batch".

results.json keeps one entry per reference build. A native build of
llama-cpp-python (the default `pip install`, GGML_NATIVE=ON) uses this CPU's
AVX-512/VNNI kernels; ours uses ggml's portable x86-64-v3 set (AVX2, FMA,
F16C). For a bit-for-bit comparison build the reference the same way:

    CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install llama-cpp-python==0.3.36
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import llama_cpp
from llama_cpp import Llama
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

HERE = Path(__file__).resolve().parent
CRATE = HERE.parent
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def default_model() -> Path:
    if os.environ.get("SCOREBOX_MODEL"):
        return Path(os.environ["SCOREBOX_MODEL"])
    if os.environ.get("SCOREBOX_CACHE"):
        root = Path(os.environ["SCOREBOX_CACHE"])
    elif os.environ.get("XDG_CACHE_HOME"):
        root = Path(os.environ["XDG_CACHE_HOME"]) / "scorebox"
    else:
        root = Path.home() / ".cache" / "scorebox"
    return root / "models" / MODEL_FILE


# ---------------------------------------------------------------- reference side


def tokenize(llm: Llama, text: str) -> list[int]:
    # add_bos=True asks llama.cpp to add BOS only if the GGUF says so
    # (tokenizer.ggml.add_bos_token; false for SmolLM2), like the completion API.
    return llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)


def encode_pair(llm: Llama, context: str, continuation: str) -> tuple[list[int], list[int]]:
    """lm-evaluation-harness's TemplateLM._encode_pair."""
    n_spaces = len(context) - len(context.rstrip())
    if n_spaces > 0:
        continuation = context[-n_spaces:] + continuation
        context = context[:-n_spaces]
    if context == "":
        bos = llm.token_bos()
        prefix = bos if bos >= 0 else llm.token_eos()
        return [prefix], llm.tokenize(continuation.encode("utf-8"), add_bos=False, special=True)
    whole = tokenize(llm, context + continuation)
    ctx = tokenize(llm, context)
    return ctx, whole[len(ctx):]


def log_softmax(row: np.ndarray) -> np.ndarray:
    row = row.astype(np.float64)
    m = row.max()
    return row - m - math.log(np.exp(row - m).sum())


def ref_loglikelihood(llm: Llama, ctx: list[int], cont: list[int]) -> tuple[float, bool]:
    if not cont:
        return 0.0, True
    inp = ctx + cont[:-1]
    n_ctx = llm.n_ctx()
    if len(inp) > n_ctx:
        inp = (ctx + cont)[-(n_ctx + 1):][:-1]
    llm.reset()
    llm.eval(inp)
    scores = llm.scores[: len(inp)]
    first = len(inp) - len(cont)
    total, greedy = 0.0, True
    for j, tok in enumerate(cont):
        row = scores[first + j]
        total += float(log_softmax(row)[tok])
        greedy &= int(np.argmax(row)) == tok
    return total, greedy


def ref_greedy_tokens(llm: Llama, prompt_tokens: list[int], max_tokens: int) -> list[int]:
    out: list[int] = []
    for tok in llm.generate(prompt_tokens, temp=0.0, top_k=1, repeat_penalty=1.0, reset=True):
        if llama_cpp.llama_vocab_is_eog(llm._model.vocab, tok):
            break
        out.append(tok)
        if len(out) >= max_tokens:
            break
    return out


# ---------------------------------------------------------------- our side


def cargo_example(name: str, args: list[str], threads: int, model: Path) -> dict:
    cmd = [
        "cargo", "run", "--quiet", "--release", "--manifest-path", str(CRATE / "Cargo.toml"),
        "--example", name, "--", *args, "--model", str(model), "--threads", str(threads),
    ]
    print("running", " ".join(cmd), file=sys.stderr)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


# ---------------------------------------------------------------- benchmark (reference)


GGML_TYPE_F32, GGML_TYPE_F16 = 0, 1


def load(model: Path, threads: int, kv: str, logits_all: bool) -> Llama:
    """llama-cpp-python's defaults (flash attention off, n_batch 512), with the
    KV cache in `kv` ("f16" is llama.cpp's default, "f32" is ours)."""
    t = GGML_TYPE_F32 if kv == "f32" else GGML_TYPE_F16
    return Llama(model_path=str(model), n_ctx=4096, n_batch=512, n_threads=threads,
                 n_threads_batch=threads, logits_all=logits_all, type_k=t, type_v=t,
                 verbose=False)


def bench_reference(model: Path, threads: int, prompts: dict, bench_spec: dict, kv: str) -> dict:
    """The same measurements as examples/bench.rs, with llama-cpp-python."""
    llm = load(model, threads, kv, logits_all=False)
    # Prompt processing: the bench prompt, evaluated from an empty cache.
    ptoks = tokenize(llm, bench_spec["prompt_text"])
    times = []
    for _ in range(bench_spec["repeats"]):
        llm.reset()
        t = time.perf_counter()
        llm.eval(ptoks)
        times.append(time.perf_counter() - t)
    prompt_tps = len(ptoks) / min(times)
    # Generation: greedy from the same raw prompt as ours, until EOS or gen_tokens;
    # the rate counts the tokens after the first (the first includes the prompt).
    gen_prompt = tokenize(llm, bench_spec["gen_prompt"])
    n_gen = bench_spec["gen_tokens"]
    gen_rates, gen_counts = [], []
    for _ in range(bench_spec["repeats"]):
        count, t_first = 0, None
        for tok in llm.generate(gen_prompt, temp=0.0, top_k=1, repeat_penalty=1.0, reset=True):
            if llama_cpp.llama_vocab_is_eog(llm._model.vocab, tok):
                break
            count += 1
            if t_first is None:
                t_first = time.perf_counter()
            if count >= n_gen:
                break
        elapsed = time.perf_counter() - t_first
        gen_rates.append((count - 1) / elapsed)
        gen_counts.append(count)
    gen_tps = max(gen_rates)
    del llm

    # MMLU-style samples: 4 continuations per question, logits_all needed.
    llm = load(model, threads, kv, logits_all=True)
    mc = [x for x in prompts["loglikelihood"] if x["id"].startswith(("mmlu", "fewshot"))]
    # (a) what an lm-eval style loop does: each context+continuation from scratch.
    t = time.perf_counter()
    for item in mc:
        for c in item["continuations"]:
            ctx, cont = encode_pair(llm, item["context"], c)
            ref_loglikelihood(llm, ctx, cont)
    naive = len(mc) / (time.perf_counter() - t)
    # (b) the context once, then each continuation on top of it (KV prefix reuse).
    t = time.perf_counter()
    for item in mc:
        ctx, _ = encode_pair(llm, item["context"], item["continuations"][0])
        llm.reset()
        llm.eval(ctx)
        for c in item["continuations"]:
            _, cont = encode_pair(llm, item["context"], c)
            llm.n_tokens = len(ctx)
            if len(cont) > 1:
                llm.eval(cont[:-1])
    reuse = len(mc) / (time.perf_counter() - t)
    mean_ctx = sum(len(encode_pair(llm, x["context"], " A")[0]) for x in mc) / len(mc)
    return {
        "kv_cache_type": kv,
        "prompt_tokens": len(ptoks),
        "prompt_tokens_per_s": prompt_tps,
        "generated_tokens": gen_counts[0],
        "generated_tokens_per_s": gen_tps,
        "mmlu_samples": len(mc),
        "mmlu_mean_context_tokens": mean_ctx,
        "mmlu_samples_per_s_each_from_scratch": naive,
        "mmlu_samples_per_s_context_reused": reuse,
    }


def compare(args, prompts: dict, kv: str) -> dict:
    """Log-likelihoods and greedy generations, ours vs the reference, KV cache in `kv`."""
    ours = cargo_example("loglik", [str(args.prompts)] + (["--f16-kv"] if kv == "f16" else [])
                         + args.ours_args.split(), args.threads, args.model)
    llm = load(args.model, args.threads, kv, logits_all=True)
    # Log-likelihoods.
    ll_rows, same_choice, same_tokens, same_greedy, max_delta = [], 0, 0, 0, 0.0
    max_margin_flip = None
    t0 = time.perf_counter()
    for item, mine in zip(prompts["loglikelihood"], ours["loglikelihood"]):
        assert item["id"] == mine["id"]
        ref = []
        for c, r in zip(item["continuations"], mine["results"]):
            ctx, cont = encode_pair(llm, item["context"], c)
            lp, greedy = ref_loglikelihood(llm, ctx, cont)
            ref.append({"logprob": lp, "is_greedy": greedy, "tokens": cont, "context_tokens": len(ctx)})
        ref_choice = int(np.argmax([r["logprob"] for r in ref]))
        deltas = [abs(a["logprob"] - b["logprob"]) for a, b in zip(ref, mine["results"])]
        toks_equal = all(a["tokens"] == b["tokens"] and a["context_tokens"] == b["context_tokens"]
                         for a, b in zip(ref, mine["results"]))
        greedy_equal = all(a["is_greedy"] == b["is_greedy"] for a, b in zip(ref, mine["results"]))
        same_choice += ref_choice == mine["choice"]
        same_tokens += toks_equal
        same_greedy += greedy_equal
        max_delta = max(max_delta, *deltas)
        lps = sorted((r["logprob"] for r in ref), reverse=True)
        ll_rows.append({
            "id": item["id"],
            "choice_ours": mine["choice"],
            "choice_reference": ref_choice,
            "same_tokens": toks_equal,
            "same_greedy_flags": greedy_equal,
            "max_abs_delta_logprob": max(deltas),
            "reference_margin": lps[0] - lps[1] if len(lps) > 1 else None,
            "logprobs_ours": [r["logprob"] for r in mine["results"]],
            "logprobs_reference": [r["logprob"] for r in ref],
        })
    ref_ll_seconds = time.perf_counter() - t0
    n_ll = len(ll_rows)
    n_cont = sum(len(x["continuations"]) for x in prompts["loglikelihood"])

    # Greedy generations: tokens and text.
    template = llm.metadata["tokenizer.chat_template"]
    vocab = llm._model.vocab
    def piece(t):
        return llm._model.token_get_text(t) if t >= 0 else ""
    formatter = Jinja2ChatFormatter(template, eos_token=piece(llm.token_eos()), bos_token=piece(llm.token_bos()))
    gen_rows, gen_tok_equal, gen_text_equal = [], 0, 0
    for item, mine in zip(prompts["generate"], ours["generate"]):
        messages = [{"role": r, "content": c} for r, c in item["messages"]]
        prompt = formatter(messages=messages).prompt
        ptoks = llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
        ref_tokens = ref_greedy_tokens(llm, ptoks, item["max_tokens"])
        resp = llm.create_chat_completion(messages=messages, max_tokens=item["max_tokens"],
                                          temperature=0.0, stop=item.get("stop") or None, seed=0)
        ref_text = resp["choices"][0]["message"]["content"]
        # Our tokens run up to a stop sequence; compare on the common span.
        n = min(len(ref_tokens), len(mine["tokens"])) if item.get("stop") else max(len(ref_tokens), len(mine["tokens"]))
        tok_eq = ref_tokens[:n] == mine["tokens"][:n] and len(ptoks) == mine["prompt_tokens"]
        first_diff = next((i for i, (a, b) in enumerate(zip(ref_tokens, mine["tokens"])) if a != b), None)
        gen_tok_equal += tok_eq
        gen_text_equal += ref_text == mine["text"]
        gen_rows.append({
            "id": item["id"],
            "same_tokens": tok_eq,
            "first_different_token": first_diff,
            "same_text": ref_text == mine["text"],
            "prompt_tokens": len(ptoks),
            "tokens_reference": len(ref_tokens),
            "tokens_ours": len(mine["tokens"]),
            "text_ours": mine["text"],
            "text_reference": ref_text,
        })
    del llm

    return {
        "model": {"file": args.model.name, "sha256": ours["model"]["sha256"],
                  "parameters": ours["model"]["parameters"]},
        "ours_engine": ours["model"]["engine"],
        "kv_cache_type": kv,
        "loglikelihood": {
            "prompts": n_ll,
            "continuations": n_cont,
            "same_choice": same_choice,
            "same_tokenization": same_tokens,
            "same_greedy_flags": same_greedy,
            "max_abs_delta_logprob": max_delta,
            "ours_seconds": ours["loglikelihood_seconds"],
            "reference_seconds": ref_ll_seconds,
            "rows": ll_rows,
        },
        "generate": {
            "prompts": len(gen_rows),
            "same_tokens": gen_tok_equal,
            "same_text": gen_text_equal,
            "rows": gen_rows,
        },
    }



# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=default_model())
    ap.add_argument("--prompts", type=Path, default=HERE / "prompts.json")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    ap.add_argument("--skip-bench", action="store_true")
    ap.add_argument("--bench-only", action="store_true", help="only the speed measurements")
    ap.add_argument("--ours-args", default="", help="extra arguments for `--example loglik`, "
                    "e.g. --no-batch (each continuation on its own, as the reference evaluates it)")
    ap.add_argument("--label", help="name of this reference build in results.json "
                    "(default: from llama-cpp-python's version and CPU features)")
    args = ap.parse_args()
    if not args.model.is_file():
        print(f"no model at {args.model}: fetch it with `scorebox model fetch`", file=sys.stderr)
        return 2
    prompts = json.loads(args.prompts.read_text())

    sysinfo = llama_cpp.llama_print_system_info().decode().strip().rstrip("|").strip()
    label = args.label or (f"llama-cpp-python {llama_cpp.__version__} "
                           + ("native build (AVX-512)" if "AVX512 = 1" in sysinfo else "AVX2 build")
                           + (f", ours {args.ours_args}" if args.ours_args else ""))
    results = {
        "reference_engine": f"llama-cpp-python {llama_cpp.__version__} | {sysinfo}",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, threads={args.threads}",
    }
    merged = json.loads(args.out.read_text()) if args.out.exists() else {}
    if args.bench_only:
        results.update({k: v for k, v in merged.get("runs", {}).get(label, {}).items()
                        if k.startswith("kv_")})
        results["model"], results["ours_engine"] = merged.get("model"), merged.get("ours_engine")
    else:
        for kv in ("f32", "f16"):
            results[f"kv_{kv}"] = compare(args, prompts, kv)
            results["model"] = results[f"kv_{kv}"].pop("model")
            results["ours_engine"] = results[f"kv_{kv}"].pop("ours_engine")

    if not args.skip_bench:
        ours_bench = cargo_example("bench", ["--json"], args.threads, args.model)
        results["bench"] = {
            "ours": ours_bench,
            "reference_kv_f32": bench_reference(args.model, args.threads, prompts, ours_bench["spec"], "f32"),
            "reference_kv_f16": bench_reference(args.model, args.threads, prompts, ours_bench["spec"], "f16"),
        }

    # results.json keeps one entry per reference build (native, GGML_NATIVE=OFF, ...).
    merged.setdefault("what", "scorebox-llama (llama-cpp-2) vs llama-cpp-python on the same GGUF, "
                      "per reference build; see compare_llama_cpp_python.py")
    merged["model"] = results["model"]
    merged["ours_engine"] = results["ours_engine"]
    merged.setdefault("runs", {})[label] = {k: v for k, v in results.items()
                                            if k not in ("model", "ours_engine")}
    args.out.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n")
    ok = True
    for kv in [k for k in ("f32", "f16") if f"kv_{k}" in results]:
        ll, g = results[f"kv_{kv}"]["loglikelihood"], results[f"kv_{kv}"]["generate"]
        n = ll["prompts"]
        print(f"KV cache {kv}: log-likelihood: same choice {ll['same_choice']}/{n}, same tokenization "
              f"{ll['same_tokenization']}/{n}, same greedy flags {ll['same_greedy_flags']}/{n}, "
              f"max |delta logprob| {ll['max_abs_delta_logprob']:.2e} over {ll['continuations']} continuations; "
              f"greedy generation: same tokens {g['same_tokens']}/{g['prompts']}, same text {g['same_text']}/{g['prompts']}")
        ok &= ll["same_tokenization"] == n
    if "kv_f32" in results:
        ll = results["kv_f32"]["loglikelihood"]
        ok &= ll["same_choice"] == ll["prompts"]
    if "bench" in results:
        o = results["bench"]["ours"]
        for kv in ("f32", "f16"):
            r = results["bench"][f"reference_kv_{kv}"]
            print(f"bench (reference KV {kv}): prompt tok/s ours {o['prompt_tokens_per_s']:.0f} vs "
                  f"{r['prompt_tokens_per_s']:.0f}; generated tok/s ours {o['generated_tokens_per_s']:.1f} vs "
                  f"{r['generated_tokens_per_s']:.1f}; MMLU samples/s ours {o['mmlu_samples_per_s']:.1f} vs "
                  f"{r['mmlu_samples_per_s_each_from_scratch']:.1f} (each from scratch) / "
                  f"{r['mmlu_samples_per_s_context_reused']:.1f} (context reused)")
    print(f"wrote {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
