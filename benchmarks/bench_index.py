"""Indexing: `cinebot ingest` against a naive encode of the same passages, and what an
incremental re-index costs next to a full rebuild."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.imdb import jsonl
from index.embedding.encoder import _load_model
from index.engine import Engine


@dataclass
class Throughput:
    passages: int
    reviews: int
    ingest_rate: float  # passages/s, whole ingest (read, clean, split, embed, write)
    encode_rate: float  # passages/s, cinebot's encoder alone
    naive_rate: float  # passages/s, SentenceTransformer.encode(batch_size=32)
    cosine_mean: float
    cosine_min: float
    precision: str = "float32"  # the model passages went through (`embedding.quantized_passages`)


def write_jsonl(records: list[dict], path: Path) -> Path:
    path.write_text(jsonl(records))
    return path


def throughput(engine: Engine, records: list[dict], rounds: int = 2) -> Throughput:
    """Best of `rounds` for each side, alternating, so a noisy neighbour hurts both alike."""
    naive = _load_model(str(engine.encoder.model_path))
    best_ingest = best_encode = best_naive = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        source = write_jsonl(records, Path(tmp) / "reviews.jsonl")
        texts: list[str] = []
        ours = np.zeros(0)
        for r in range(rounds):
            settings = engine.settings.model_copy(update={"index_dir": Path(tmp) / f"ix{r}"})
            fresh = Engine(settings, engine.encoder)
            report = fresh.ingest([source])
            best_ingest = min(best_ingest, report.seconds)
            snap = fresh.snapshot()
            ours = np.asarray(snap.vectors)
            texts = list(snap.passage_texts(list(range(len(ours)))).values())
            t = time.perf_counter()
            engine.encoder.encode(texts)
            best_encode = min(best_encode, time.perf_counter() - t)
            t = time.perf_counter()
            reference = naive.encode(texts, batch_size=32, normalize_embeddings=True)
            best_naive = min(best_naive, time.perf_counter() - t)
    cosine = (ours * reference).sum(axis=1)
    n = len(texts)
    return Throughput(
        n,
        len(records),
        n / best_ingest,
        n / best_encode,
        n / best_naive,
        float(cosine.mean()),
        float(cosine.min()),
        engine.encoder.precision,
    )


@dataclass
class Incremental:
    size: int
    new_reviews: int
    new_passages: int
    incremental_s: float
    unchanged_s: float
    unchanged_embedded: int
    rebuild_s: float  # estimated: every passage at the measured ingest rate, plus the write


def incremental(engine: Engine, new_records: list[dict], ingest_rate: float) -> Incremental:
    """Add reviews to `engine`'s index, then feed the same file again."""
    size = engine.snapshot().n_passages
    with tempfile.TemporaryDirectory() as tmp:
        source = write_jsonl(new_records, Path(tmp) / "new.jsonl")
        added = engine.ingest([source])
        again = engine.ingest([source])
    embed_s = added.passages_embedded / ingest_rate
    write_s = max(added.seconds - embed_s, 0.0)
    total = engine.snapshot().n_passages
    return Incremental(
        size,
        added.added,
        added.passages_embedded,
        added.seconds,
        again.seconds,
        again.passages_embedded,
        total / ingest_rate + write_s,
    )


def report_lines(t: Throughput, inc: Incremental | None) -> list[str]:
    lines = [
        "## Indexing throughput",
        "",
        f"{t.reviews} real reviews -> {t.passages:,} passages; best of 2 alternating rounds. "
        "Baseline: `SentenceTransformer(model).encode(passages, batch_size=32)` on the same passages, same process.",
        "",
        "| pipeline | passages/s | vs naive encode |",
        "| --- | ---: | ---: |",
        f"| naive `encode(batch_size=32)` (baseline) | {t.naive_rate:.1f} | 1.00x |",
        f"| cinebot encoder (onnxruntime {t.precision}, length-sorted batches) | {t.encode_rate:.1f} | {t.encode_rate / t.naive_rate:.2f}x |",
        f"| `cinebot ingest` end to end (read, clean, split, embed, write) | {t.ingest_rate:.1f} | {t.ingest_rate / t.naive_rate:.2f}x |",
        "",
        f"Vectors: mean cosine to the baseline's {t.cosine_mean:.4f} (min {t.cosine_min:.4f}).",
        "",
    ]
    if inc:
        lines += [
            "## Incremental re-index",
            "",
            f"An index of {inc.size:,} passages gains {inc.new_reviews} new real reviews "
            f"({inc.new_passages:,} passages, {inc.new_passages / inc.size:.1%}).",
            "",
            "| operation | seconds | vs full rebuild |",
            "| --- | ---: | ---: |",
            f"| full rebuild (estimated: all passages at the measured ingest rate + the same write) | {inc.rebuild_s:,.0f} | 100% |",
            f"| incremental ingest of the new reviews (measured) | {inc.incremental_s:.1f} | {inc.incremental_s / inc.rebuild_s:.1%} |",
            f"| the same file again (measured; passages embedded: {inc.unchanged_embedded}) | {inc.unchanged_s:.1f} | {inc.unchanged_s / inc.rebuild_s:.1%} |",
            "",
        ]
    return lines
