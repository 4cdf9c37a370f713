"""Query latency and filtered recall, end to end, on indexes grown past the real corpus.

Synthetic passages are real vectors plus Gaussian noise (renormalised), each carrying the
text and metadata of a real review (film, countries, genres, year, rating), and are written
through the real store, so the engine opens them as it opens any index.
"""

from __future__ import annotations

import hashlib
import io
import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console

from bot.terminal.console import print_result
from index.answering.rank import search_passages
from index.embedding.encoder import Encoder
from index.engine import Engine
from index.ingest import model_facts
from index.storage.vectors import Selection, backend_for
from index.storage.versions import IndexStore
from index.telemetry import request
from index.types import QueryFilters

QUESTIONS = [
    "Korean action thrillers rated 8+",
    "French comedies from the 90s",
    "zombies and the undead",
    "cowboys and gunfights",
    "films about grief and the sea, not horror",
    "Japanese animated films",
    "British crime dramas rated at least 4 stars",
    "a heist that goes wrong",
    "war films before 1990",
    "romantic comedies after 2000",
    "slow quiet films about loneliness",
    "documentaries",
    "Italian westerns",
    "something funny with a big heart",
    "Hong Kong action not rated below 8",
    "Danish dramas",
    "monsters in the city",
    "a family falls apart",
    "sci-fi or fantasy from Japan",
    "musicals rated 9+",
]


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
    terminal: float


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import faiss
    import onnxruntime
    import sentence_transformers
    import torch

    return (
        f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}, torch {torch.__version__}, "
        f"onnxruntime {onnxruntime.__version__}, faiss {faiss.__version__}, "
        f"sentence-transformers {sentence_transformers.__version__}"
    )


def grow_index(
    base: Engine, target: Path, size: int, seed: int = 0, qdrant: Path | None = None
) -> Engine:
    """An index of `size` passages: sample vectors + noise, sample metadata, via the real store
    (one segment; with `qdrant`, Qdrant's embedded engine keeping its shard there)."""
    snap = base.snapshot()
    vectors = np.asarray(snap.vectors)
    stored = base.store.current()
    assert stored is not None
    from index.storage.versions import stored_reviews

    reviews = stored_reviews(stored)
    by_id = {r.review_id: r for r in reviews}
    texts = snap.passage_texts(list(range(len(vectors))))  # real text, so BM25 is realistic
    rng = np.random.default_rng(seed)
    settings = base.settings.model_copy(deep=True)
    settings.index_dir = target
    if qdrant is not None:
        settings.store = "qdrant"
        settings.qdrant.path = qdrant
    settings.embedding.question_cache = 0  # every question embedded: no flattering repeats
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
            writer.add_review(review, fid, digest, [texts[row]], noisy.reshape(1, -1))
        writer.commit(model_facts(stored.manifest), backend_for(settings))  # base's vectors
    # Its own encoder (the model itself is shared): the base's remembers questions.
    return Engine(settings, Encoder(settings.embedding))


def time_queries(engine: Engine, n: int) -> Row:
    """Per question, end to end: the engine's own stage timings (parse, filter, embed, search
    with BM25 fusion and aggregation) plus rendering the bot's reply (the Discord embed). The
    terminal's rich rendering is timed too, in its own column."""
    from bot.discord.render import results_embed

    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(n)]
    console = Console(file=io.StringIO(), width=100)  # one console, as a chat keeps it
    engine.ask(questions[0])  # load the snapshot and warm the model first
    totals, parts = [], {"parse": [], "embed": [], "search": [], "render": [], "terminal": []}
    for question in questions:
        with request("bench") as current:
            result = engine.ask(question)
            results_embed(result)  # times itself as the "render" stage, as in the bot
        t = current.timings
        started = time.perf_counter()
        print_result(console, result)
        console.file = io.StringIO()
        parts["terminal"].append((time.perf_counter() - started) * 1000)
        parts["parse"].append(t["parse"])
        if "embed" in t:
            parts["embed"].append(t["embed"])
        parts["search"].append(t.get("filter", 0.0) + t["search"])
        parts["render"].append(t["render"])
        totals.append(sum(t.values()))
    medians = (
        float(np.percentile(parts[k], 50)) if parts[k] else 0.0
        for k in ("parse", "embed", "search", "render", "terminal")
    )
    return Row(
        engine.snapshot().n_passages,
        float(np.percentile(totals, 50)),
        float(np.percentile(totals, 95)),
        float(np.percentile(totals, 99)),
        *medians,
    )


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
            _, found = search_passages(snap, query, Selection(allowed, QueryFilters()), 10)
            _, top = snap.vector_index.search(query, 40, None)
            post_found = [r for r in top.tolist() if allowed[r]][:10]
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


def latency_lines(rows: list[Row], queries: int) -> list[str]:
    baseline = rows[0]
    lines = [
        "## Query latency (ms)",
        "",
        f"{queries} mixed questions per size (filters, semantic, both), end to end: parse, embed, "
        "filters and filtered FAISS search with BM25 fusion and per-film aggregation, rendering the "
        "bot's reply (the Discord embed). Stage times are the engine's own (`index.telemetry`).",
        "",
        "| passages | p50 | p95 | p99 | p50 vs smallest | parse p50 | embed p50 (questions with a semantic part) | filter + search p50 | reply render p50 | terminal render p50 (CLI, not in the total) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r.size:,} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | {r.p50 / baseline.p50:.2f}x | "
            f"{r.parse:.2f} | {r.embed:.1f} | {r.search:.2f} | {r.render:.2f} | {r.terminal:.2f} |"
        )
    return [*lines, ""]


def recall_lines(recalls: dict[int, list[tuple[str, int, float, float]]]) -> list[str]:
    lines = [
        "## Filtered recall@10 against brute force",
        "",
        "Selector search (cinebot) against top-40-then-filter (post-filtering, as a naive FAISS wrapper does).",
        "",
        "| passages | selectivity | allowed (last query) | cinebot recall@10 | post-filter recall@10 |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, table in recalls.items():
        for name, allowed, ours, post in table:
            lines.append(f"| {size:,} | {name} | {allowed:,} | {ours:.3f} | {post:.3f} |")
    return [*lines, ""]


def plot(rows: list[Row], peers: list, starts: list, path: Path) -> bool:
    """Latency and memory against index size (PNG); False when matplotlib (the bench extra)
    is missing. Left: cinebot end to end, and the filtered vector search alone (5% of the
    passages allowed) for cinebot, Chroma and post-filtering. Right: a serving process's
    memory after its first answer."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    sizes = [r.size for r in rows]
    left.plot(sizes, [r.p50 for r in rows], marker="o", label="cinebot answer p50")
    left.plot(sizes, [r.p99 for r in rows], marker="o", label="cinebot answer p99")
    at5 = [p for p in peers if abs(p.selectivity - 0.05) < 1e-9]
    for label, pick in (
        ("cinebot search (5% filter)", lambda p: p.ours_ms),
        ("Chroma search (5% filter)", lambda p: p.chroma_ms),
        ("post-filtering (5% filter)", lambda p: p.post_ms),
    ):
        points = [(p.size, pick(p)) for p in at5 if pick(p) is not None]
        if points:
            left.plot(*zip(*points, strict=True), marker="s", linestyle="--", label=label)
    left.set_yscale("log")
    _axes(left, "ms", "latency against index size")
    mem = sorted(starts, key=lambda s: s.passages)
    sizes = [s.passages for s in mem]
    right.plot(sizes, [s.rss / 2**20 for s in mem], marker="o", label="RSS after one answer")
    right.plot(sizes, [s.peak / 2**20 for s in mem], marker="o", label="peak RSS")
    right.plot(
        sizes,
        [n * 1536 / 2**20 for n in sizes],
        linestyle=":",
        label="the vectors alone (1,536 B each)",
    )
    _axes(right, "MiB", "memory of a serving process")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def _axes(ax, unit: str, title: str) -> None:  # type: ignore[no-untyped-def]
    ax.set_xscale("log")
    ax.set_xlabel("passages in the index")
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
