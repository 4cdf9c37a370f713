"""Which FAISS index type at 1M passages: search latency and unfiltered recall@10 per factory.

    python -m benchmarks.bench_scale                    # 1M vectors, writes SCALE.md
    python -m benchmarks.bench_scale --size 200000      # quicker

Vectors are the real corpus's passage vectors plus Gaussian noise, renormalised (as in the
latency benchmark), held in memory: this isolates the vector search, which is what grows
with the index. Recall is against exact search over the same vectors.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from benchmarks.bench_search import machine
from benchmarks.imdb import real_engine
from index.engine import Engine

FACTORIES = ("Flat", "IVF1024,Flat@16", "IVF1024,Flat@48", "IVF4096,Flat@32", "IVF4096,Flat@96")


def synthetic(
    base: np.ndarray, size: int, rng: np.random.Generator, noise: float = 0.04
) -> np.ndarray:
    out = np.empty((size, base.shape[1]), dtype=np.float32)
    for start in range(0, size, 100_000):
        end = min(start + 100_000, size)
        block = base[rng.integers(len(base), size=end - start)]
        block = block + rng.normal(0, noise, block.shape).astype(np.float32)
        out[start:end] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def build(spec: str, vectors: np.ndarray, rng: np.random.Generator):
    import faiss

    factory, _, probe = spec.partition("@")
    index = faiss.index_factory(vectors.shape[1], factory, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        sample = vectors[
            rng.choice(
                len(vectors),
                size=min(len(vectors), 50 * int(factory[3:].split(",")[0])),
                replace=False,
            )
        ]
        index.train(sample)
    index.add(vectors)
    if probe:
        faiss.extract_index_ivf(index).nprobe = int(probe)
    return index


def run(
    size: int,
    queries: int,
    out: Path | None,
    factories: tuple[str, ...] = FACTORIES,
    engine: Engine | None = None,
) -> str:
    import faiss

    rng = np.random.default_rng(7)
    engine = engine or real_engine()[0]
    base = np.asarray(engine.snapshot().vectors)
    vectors = synthetic(base, size, rng)
    picks = synthetic(base, queries, rng, noise=0.03)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(picks, 10)
    lines = [
        "# Index type at scale",
        "",
        f"Machine: {machine()}",
        "",
        f"{size:,} passages (real vectors + noise), {queries} single-query searches per index type, "
        "top 10, unfiltered; recall@10 against exact search. `@n` is the IVF nprobe.",
        "",
        "| factory | build s | p50 ms | p99 ms | recall@10 | p99 vs Flat |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    flat_p99 = None
    for spec in factories:
        started = time.perf_counter()
        index = exact if spec == "Flat" else build(spec, vectors, rng)
        built = time.perf_counter() - started
        times, found = [], []
        for q in picks:
            t = time.perf_counter()
            _, rows = index.search(q.reshape(1, -1), 10)
            times.append((time.perf_counter() - t) * 1000)
            found.append(rows[0])
        recall = float(
            np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
        )
        p50, p99 = float(np.percentile(times, 50)), float(np.percentile(times, 99))
        flat_p99 = flat_p99 or p99
        lines.append(
            f"| `{spec}` | {built:.1f} | {p50:.2f} | {p99:.2f} | {recall:.3f} | {p99 / flat_p99:.2f}x |"
        )
        print(lines[-1], flush=True)
        if index is not exact:
            del index
    report = "\n".join(lines) + "\n"
    if out is not None:
        out.write_text(report)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("SCALE.md"))
    args = parser.parse_args()
    print(run(args.size, args.queries, args.out))


if __name__ == "__main__":
    main()
