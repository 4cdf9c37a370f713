"""Query latency and filtered recall, end to end, on indexes grown past the sample corpus.

Synthetic passages are real sample-corpus vectors plus Gaussian noise (renormalised), each
carrying the metadata of a real sample review (film, countries, genres, year, rating), and
are written through the real store, so the engine opens them as it opens any index.

    python -m benchmarks.bench_search                      # 10k and 100k passages
    python -m benchmarks.bench_search --sizes 10000,1000000  # bigger, slower
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import platform
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from config import Settings
from index.console import print_result
from index.embed import Encoder
from index.engine import SAMPLE_CORPUS, Engine
from index.rank import search_passages
from index.store import IndexStore

QUESTIONS = [
    "Korean action thrillers rated 8+", "French comedies from the 90s", "zombies and the undead",
    "cowboys and gunfights", "films about grief and the sea, not horror", "Japanese animated films",
    "British crime dramas rated at least 4 stars", "a heist that goes wrong", "war films before 1990",
    "romantic comedies after 2000", "slow quiet films about loneliness", "documentaries",
    "Italian westerns", "something funny with a big heart", "Hong Kong action not rated below 8",
    "Danish dramas", "monsters in the city", "a family falls apart", "sci-fi or fantasy from Japan",
    "musicals rated 9+",
]  # fmt: skip


@dataclass
class Row:
    size: int
    p50: float
    p95: float
    p99: float
    parse: float
    embed: float
    search: float
    render: float


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    import faiss
    import sentence_transformers
    import torch

    return (f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}, torch {torch.__version__}, "
            f"faiss {faiss.__version__}, sentence-transformers {sentence_transformers.__version__}")  # fmt: skip


def grow_index(base: Engine, target: Path, size: int, seed: int = 0) -> Engine:
    """An index of `size` passages: sample vectors + noise, sample metadata, via the real store."""
    snap = base.snapshot()
    vectors = np.asarray(snap.vectors)
    stored = base.store.current()
    assert stored is not None
    from index.store import stored_reviews

    reviews = stored_reviews(stored)
    by_id = {r.review_id: r for r in reviews}
    rng = np.random.default_rng(seed)
    settings = base.settings.model_copy(deep=True)
    settings.index_dir = target
    store = IndexStore(target)
    with store.lock():
        writer = store.begin(None)
        per_film = 10
        for i in range(size):
            row = int(rng.integers(len(vectors)))
            source = by_id[snap.review_ids[int(snap.passage_review[row])]]
            copy = i // per_film
            review = source.model_copy(
                update={"review_id": f"syn-{i}", "title": f"{source.title} #{copy}"}
            )
            noisy = vectors[row] + rng.normal(0, 0.04, vectors.shape[1]).astype(np.float32)
            noisy /= np.linalg.norm(noisy)
            fid = f"syn-{copy}"
            digest = hashlib.sha1(review.review_id.encode()).hexdigest()
            writer.add_review(
                review, fid, digest, [f"Synthetic passage {i}."], noisy.reshape(1, -1)
            )
        writer.commit({"model": settings.embedding.model, "dim": vectors.shape[1],
                       "passage_max_tokens": settings.embedding.passage_max_tokens}, settings.search.faiss_factory)  # fmt: skip
    return Engine(settings, base.encoder)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1000, q))


def time_queries(engine: Engine, n: int) -> Row:
    """Parse, embed, filtered search + aggregation, and rendering the reply, per question."""
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(n)]
    engine.search(questions[0])  # load the snapshot and warm the model first
    totals, parts = [], {"parse": [], "embed": [], "search": [], "render": []}
    for question in questions:
        t0 = time.perf_counter()
        parsed = engine.parse(question)
        t1 = time.perf_counter()
        if parsed.semantic:
            engine.encoder.encode([parsed.semantic])  # timed alone; the search below embeds again
        t2 = time.perf_counter()
        result = engine.search(parsed)
        t3 = time.perf_counter()
        from rich.console import Console

        print_result(Console(file=io.StringIO(), width=100), result)
        t4 = time.perf_counter()
        embed = t2 - t1
        search = (t3 - t2) - embed  # engine.search embeds the semantic part itself
        parts["parse"].append(t1 - t0)
        if parsed.semantic:
            parts["embed"].append(embed)
        parts["search"].append(max(search, 0.0))
        parts["render"].append(t4 - t3)
        totals.append((t1 - t0) + embed + max(search, 0.0) + (t4 - t3))
    medians = (
        percentile(parts[k], 50) if parts[k] else 0.0
        for k in ("parse", "embed", "search", "render")
    )
    return Row(engine.snapshot().index.ntotal, percentile(totals, 50), percentile(totals, 95),
               percentile(totals, 99), *medians)  # fmt: skip


def filtered_recall(
    engine: Engine, rng: np.random.Generator, queries: int = 20
) -> list[tuple[str, float, float, float]]:
    """recall@10 of the selector search and of top-k-then-filter, against brute force."""
    snap = engine.snapshot()
    vectors = np.asarray(snap.vectors)
    out = []
    for selectivity in (0.5, 0.05, 0.005, 0.0005):
        ours, post = [], []
        for _ in range(queries):
            allowed = rng.random(len(vectors)) < selectivity
            allowed[rng.integers(len(vectors))] = True
            query = vectors[rng.integers(len(vectors))]
            rows = np.flatnonzero(allowed)
            truth = set(rows[np.argsort(-(vectors[rows] @ query), kind="stable")[:10]].tolist())
            _, found = search_passages(snap, query, allowed, 10)
            _, top = snap.index.search(query.reshape(1, -1), 40)
            post_found = [r for r in top[0] if r >= 0 and allowed[r]][:10]
            ours.append(len(truth & set(found.tolist())) / len(truth))
            post.append(len(truth & set(post_found)) / len(truth))
        out.append(
            (
                f"{selectivity:.2%}",
                int(np.count_nonzero(allowed)),
                statistics.mean(ours),
                statistics.mean(post),
            )
        )
    return out


def run(sizes: list[int], queries: int, out: Path | None) -> str:
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(index_dir=root / "sample")
        base = Engine(settings, Encoder(settings.embedding))
        base.ingest([SAMPLE_CORPUS])
        rows, recalls = [], {}
        for size in sizes:
            engine = grow_index(base, root / f"n{size}", size)
            rows.append(time_queries(engine, queries))
            recalls[size] = filtered_recall(engine, rng)
    baseline = rows[0]
    lines = [
        "# Search benchmark", "", f"Machine: {machine()}", "",
        f"{queries} mixed questions per size (filters, semantic, both), end to end: parse, embed, "
        "filtered FAISS search and per-film aggregation, rendering the reply. Synthetic passages: "
        "sample-corpus vectors + noise (σ = 0.04), real sample metadata, written through the real store.", "",
        "## Query latency (ms)", "",
        "| passages | p50 | p95 | p99 | p50 vs smallest | parse p50 | embed p50 (questions with a semantic part) | search p50 | render p50 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]  # fmt: skip
    for r in rows:
        lines.append(f"| {r.size:,} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | {r.p50 / baseline.p50:.2f}x | "
                     f"{r.parse:.2f} | {r.embed:.1f} | {r.search:.2f} | {r.render:.2f} |")  # fmt: skip
    lines += ["", "## Filtered recall@10 against brute force", "",
              "Selector search (cinebot) against top-40-then-filter (post-filtering, as a naive FAISS wrapper does).", "",
              "| passages | selectivity | allowed (last query) | cinebot recall@10 | post-filter recall@10 |",
              "| ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for size, table in recalls.items():
        for name, allowed, ours, post in table:
            lines.append(f"| {size:,} | {name} | {allowed:,} | {ours:.3f} | {post:.3f} |")
    report = "\n".join(lines) + "\n"
    if out is not None:
        out.write_text(report)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="passage counts, comma-separated")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    args = parser.parse_args()
    print(run([int(s) for s in args.sizes.split(",")], args.queries, args.out))


if __name__ == "__main__":
    main()
