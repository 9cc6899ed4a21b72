"""What the plugins' reference scripts share (`<plugin>/fidelity/make_golden*.py`,
`ifeval/tools/gen_tables.py`): the throw-away virtual environment with pinned
PyPI packages each script re-runs itself in, the pins several scripts use,
and the lm-evaluation-harness 0.4.13 plumbing they repeat.

A script imports it by path and ends with `fidelity.run`:

    HERE = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(HERE, "..", "..", "sdk", "tools"))
    import fidelity  # noqa: E402  (plugins/sdk/tools/fidelity.py)
    ...
    if __name__ == "__main__":
        fidelity.run(__file__, PINNED, main)

Outside the venv `run` creates it, installs the pins with `--no-deps` and
runs the script again with `--inside`; inside, it calls `main`. Only the
standard library is imported at the top, so the module loads anywhere; the
lm_eval helpers import what they need when called (inside the venv).
"""
import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile

LM_EVAL = "lm_eval==0.4.13"

# lm_eval plus the packages its filter and metric modules import.
LM_EVAL_METRIC_PINS = [
    LM_EVAL,
    "numpy==2.2.6",
    "sacrebleu==2.5.1",
    "portalocker==3.2.0",
    "tabulate==0.9.0",
    "colorama==0.4.6",
    "regex==2025.11.3",
    "lxml==6.0.2",
    "pyyaml==6.0.3",
]

# lm_eval plus everything its task objects and `simple_evaluate` import.
LM_EVAL_PIPELINE_PINS = [
    LM_EVAL,
    "aiohappyeyeballs==2.7.1",
    "aiohttp==3.14.5",
    "aiosignal==1.4.0",
    "anyio==4.16.0",
    "attrs==26.1.0",
    "certifi==2026.10.19.post1",
    "charset-normalizer==3.5.3",
    "click==8.5.1",
    "colorama==0.4.6",
    "datasets==3.6.0",
    "dill==0.3.8",
    "filelock==4.3.1",
    "frozenlist==1.8.0",
    "fsspec==2025.3.0",
    "h11==0.16.0",
    "hf-xet==1.8.0",
    "httpcore2==2.16.2",
    "httpx2==2.16.2",
    "huggingface_hub==2.4.0",
    "idna==3.20",
    "Jinja2==3.1.6",
    "lxml==6.0.2",
    "MarkupSafe==3.0.4",
    "more-itertools==11.2.1",
    "multidict==7.2.1",
    "multiprocess==0.70.16",
    "numpy==2.2.6",
    "packaging==26.4",
    "pandas==3.1.1",
    "portalocker==3.2.0",
    "propcache==0.5.4",
    "pyarrow==26.0.1",
    "python-dateutil==4.0.0",
    "PyYAML==6.0.3",
    "regex==2025.11.3",
    "requests==2.34.2",
    "sacrebleu==2.5.1",
    "sqlitedict==2.1.0",
    "tabulate==0.9.0",
    "tqdm==4.70.1",
    "truststore==0.10.5",
    "typing_extensions==4.16.0",
    "tzdata==2026.6",
    "urllib3==2.8.0",
    "word2number==1.1",
    "xxhash==4.1.0",
    "yarl==1.25.1",
]

# NLTK's official punkt_tab tables, as the llama-index-core wheel bundles them
# (nltk.download needs GitHub).
PUNKT_WHEEL = "llama-index-core==0.14.25"
PUNKT_ZIP = "llama_index/core/_static/nltk_cache/tokenizers/punkt_tab.zip"
PUNKT_SHA256 = "e57f64187974277726a3417ca6f181ec5403676c717672eef6a748a7b20e0106"


def bootstrap(script, pinned, setup=None):
    """Creates the venv, installs the pins, re-runs `script` inside it.

    `setup(tmp)`, if given, runs after the install with the temporary folder
    and returns environment variables to add for the re-run."""
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        py = os.path.join(venv, "bin", "python")
        subprocess.check_call([py, "-m", "pip", "install", "-q", "--no-deps", *pinned])
        env = dict(os.environ, **setup(tmp)) if setup else None
        subprocess.check_call([py, os.path.abspath(script), "--inside"], env=env)


def run(script, pinned, main, setup=None):
    """`main()` when re-run inside the venv (`--inside`), else `bootstrap`."""
    if "--inside" in sys.argv:
        main()
    else:
        bootstrap(script, pinned, setup)


def fetch_punkt(dest):
    """Unpacks NLTK's punkt_tab.zip from the llama-index-core wheel into dest/tokenizers."""
    wheels = os.path.join(dest, "wheels")
    subprocess.check_call([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                           "--only-binary=:all:", PUNKT_WHEEL, "-d", wheels])
    (whl,) = [os.path.join(wheels, f) for f in os.listdir(wheels)]
    data = zipfile.ZipFile(whl).read(PUNKT_ZIP)
    got = hashlib.sha256(data).hexdigest()
    if got != PUNKT_SHA256:
        sys.exit(f"punkt_tab.zip sha256 {got} != {PUNKT_SHA256}")
    zipfile.ZipFile(io.BytesIO(data)).extractall(os.path.join(dest, "tokenizers"))


def punkt_setup(tmp):
    """A `setup` for `run`: the punkt tables in tmp, NLTK_DATA pointing there."""
    fetch_punkt(tmp)
    return {"NLTK_DATA": tmp}


def number(v):
    """A corpus number: JSON cannot hold inf and nan, so they come as strings."""
    return float(v) if isinstance(v, str) else v


def write_json(path, data):
    """Writes a golden file: ASCII JSON, indent 1, final newline."""
    with open(path, "w") as f:
        json.dump(data, f, ensure_ascii=True, indent=1)
        f.write("\n")


def task_config(relative):
    """An installed lm_eval task YAML (`tasks/<relative>`); `!function utils.x`
    tags name Python callables, and only their names matter here."""
    import lm_eval
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!function", lambda loader, node: loader.construct_scalar(node))
    with open(os.path.join(os.path.dirname(lm_eval.__file__), "tasks", relative)) as f:
        return yaml.load(f, Loader=Loader)


def exact_match_task(relative):
    """The one filter list and the `exact_match` options of an installed task
    YAML, run by lm_eval itself. Returns `(filter name, exact_match options,
    score)`, where `score([(doc, response, reference), ...])` filters all
    responses at once and returns `[(filtered, exact_match), ...]`."""
    from lm_eval.api.instance import Instance
    from lm_eval.api.registry import get_metric
    from lm_eval.filters import build_filter_ensemble

    config = task_config(relative)
    (flt,) = config["filter_list"]
    ensemble = build_filter_ensemble(
        flt["name"],
        [[f["function"], {k: v for k, v in f.items() if k != "function"}] for f in flt["filter"]],
    )
    (metric_cfg,) = [m for m in config["metric_list"] if m["metric"] == "exact_match"]
    kwargs = {k: v for k, v in metric_cfg.items() if k not in ("metric", "aggregation", "higher_is_better")}
    exact_match = get_metric("exact_match")

    def score(cases):
        instances = []
        for doc, response, _ in cases:
            inst = Instance(request_type="generate_until", doc=doc, arguments=("", {}), idx=0)
            inst.resps = [response]
            instances.append(inst)
        ensemble.apply(instances)
        out = []
        for (_, _, reference), inst in zip(cases, instances):
            filtered = inst.filtered_resps[flt["name"]]
            em = exact_match(references=[reference], predictions=[filtered], **kwargs)["exact_match"]
            out.append((filtered, float(em)))
        return out

    return flt["name"], kwargs, score


def filters_exact_match(task, doc, response):
    """Each filter of a built lm_eval task on `response`, and `exact_match`
    of the task's `process_results` on what the filter kept, by filter name."""
    from lm_eval.api.instance import Instance

    out = {}
    for f in task._filters:
        inst = Instance(request_type="generate_until", doc=doc, arguments=("", {}), idx=0)
        inst.resps = [response]
        f.apply([inst])
        filtered = inst.filtered_resps[f.name]
        em = task.process_results(doc, [filtered])["exact_match"]
        out[f.name] = {"filtered": filtered, "exact_match": float(em)}
    return out


def corpus_lm(rows, key_of):
    """A stand-in lm_eval model answering from the corpus: request `r` reads
    `rows[key_of(r.task_name)][r.doc_id]`, its `logprobs[r.idx]` for a
    log-likelihood request and its `response` for a generation."""
    from lm_eval.api.model import LM

    class Corpus(LM):
        def loglikelihood(self, requests, disable_tqdm=False):
            return [(number(rows[key_of(r.task_name)][r.doc_id]["logprobs"][r.idx]), False) for r in requests]

        def generate_until(self, requests, disable_tqdm=False):
            return [rows[key_of(r.task_name)][r.doc_id]["response"] for r in requests]

        def loglikelihood_rolling(self, requests, disable_tqdm=False):
            raise NotImplementedError

    return Corpus()


@contextlib.contextmanager
def hub_dataset_from_csv(hub_path, data_files):
    """Within the block, `datasets.load_dataset(hub_path, name)` loads
    `data_files(name)` through the `csv` builder instead (disk-backed, a fresh
    cache), as the hub dataset is loaded on a first real run."""
    import datasets

    real = datasets.load_dataset
    with tempfile.TemporaryDirectory() as cache:

        def local(path=None, name=None, **kwargs):
            assert path == hub_path, path
            return real("csv", data_files=data_files(name), cache_dir=cache)

        datasets.load_dataset = local
        try:
            yield
        finally:
            datasets.load_dataset = real


def group_values(results):
    """The float metrics (no stderr) of `simple_evaluate`'s results, by task."""
    return {
        task: {k: v for k, v in vals.items() if isinstance(v, float) and "stderr" not in k}
        for task, vals in results.items()
    }
