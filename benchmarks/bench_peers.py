"""Filtered search against Chroma and against post-filtering, on the same vectors and the
same filters, at each index size.

Chroma (chromadb, embedded PersistentClient, HNSW, `where` filters) is what a user would
otherwise pick for "vector search with metadata filters"; post-filtering (FAISS's top 40,
then the filter) is what a naive FAISS wrapper does. All get identical passages, vectors and
filters: a random integer `bucket` per passage, so selectivity is exact. chromadb is
installed with the `bench` extra only.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass

import numpy as np

from index.answering.rank import search_passages
from index.engine import Engine
from index.storage.vectors import Selection
from index.types import QueryFilters

SELECTIVITIES = (0.5, 0.05, 0.005)
BUCKETS = 100_000


@dataclass
class PeerRow:
    size: int
    selectivity: float
    ours_ms: float
    ours_recall: float
    chroma_ms: float | None  # None: Chroma not run at this size
    chroma_recall: float | None
    post_ms: float
    post_recall: float


def _truth(vectors: np.ndarray, allowed: np.ndarray, query: np.ndarray) -> set[int]:
    rows = np.flatnonzero(allowed)
    return set(rows[np.argsort(-(vectors[rows] @ query), kind="stable")[:10]].tolist())


def compare(engine: Engine, queries: int = 50, seed: int = 3, chroma: bool = True) -> list[PeerRow]:
    """cinebot, post-filtering and (with `chroma`, when chromadb is installed) Chroma."""
    snap = engine.snapshot()
    vectors = np.asarray(snap.vectors)
    rng = np.random.default_rng(seed)
    bucket = rng.integers(0, BUCKETS, len(vectors))
    picks = rng.integers(0, len(vectors), queries)
    with tempfile.TemporaryDirectory() as tmp:
        collection = _chroma(tmp, vectors, bucket) if chroma else None
        out = []
        for selectivity in SELECTIVITIES:
            cut = int(BUCKETS * selectivity)
            allowed = bucket < cut
            selection = Selection(allowed, QueryFilters())
            times: dict[str, list[float]] = {"ours": [], "post": [], "chroma": []}
            recall: dict[str, list[float]] = {"ours": [], "post": [], "chroma": []}
            for pick in picks.tolist():
                query = vectors[pick] + rng.normal(0, 0.03, vectors.shape[1]).astype(np.float32)
                query /= np.linalg.norm(query)
                truth = _truth(vectors, allowed, query)
                t = time.perf_counter()
                _, rows = search_passages(snap, query, selection, 10)
                times["ours"].append(time.perf_counter() - t)
                recall["ours"].append(len(truth & set(rows.tolist())) / len(truth))
                t = time.perf_counter()
                _, top = snap.vector_index.search(query, 40, None)
                kept = [r for r in top.tolist() if allowed[r]][:10]
                times["post"].append(time.perf_counter() - t)
                recall["post"].append(len(truth & set(kept)) / len(truth))
                if collection is not None:
                    t = time.perf_counter()
                    found = collection.query(
                        query_embeddings=[query],
                        n_results=10,
                        where={"bucket": {"$lt": cut}},
                        include=[],
                    )
                    times["chroma"].append(time.perf_counter() - t)
                    recall["chroma"].append(
                        len(truth & {int(i) for i in found["ids"][0]}) / len(truth)
                    )
            ms = {k: statistics.median(v) * 1000 if v else None for k, v in times.items()}
            got = {k: statistics.mean(v) if v else None for k, v in recall.items()}
            out.append(
                PeerRow(
                    len(vectors),
                    selectivity,
                    ms["ours"],
                    got["ours"],
                    ms["chroma"],
                    got["chroma"],
                    ms["post"],
                    got["post"],
                )
            )
    return out


def _chroma(folder: str, vectors: np.ndarray, bucket: np.ndarray):  # type: ignore[no-untyped-def]
    """A Chroma collection of these vectors (None without chromadb)."""
    try:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
    except ImportError:
        return None
    client = chromadb.PersistentClient(
        path=folder, settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.create_collection("passages", configuration={"hnsw": {"space": "ip"}})
    step = min(client.get_max_batch_size(), 5000)
    for start in range(0, len(vectors), step):
        rows = range(start, min(start + step, len(vectors)))
        collection.add(
            ids=[str(r) for r in rows],
            embeddings=vectors[start : rows.stop],
            metadatas=[{"bucket": int(bucket[r])} for r in rows],
        )
    return collection


def report_lines(rows: list[PeerRow]) -> list[str]:
    lines = [
        "## Filtered search against Chroma and post-filtering, by index size",
        "",
        "Median ms per filtered top-10 query (the vector search alone: no embedding, no BM25) and "
        "recall@10 against brute force over the allowed passages. Post-filtering takes FAISS's "
        "top 40 and keeps the allowed ones; Chroma filters inside its HNSW search.",
        "",
        "| passages | selectivity | cinebot ms | cinebot recall@10 | Chroma ms | Chroma recall@10 | post-filter ms | post-filter recall@10 | cinebot throughput vs Chroma |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        chroma = (
            f"{r.chroma_ms:.2f} | {r.chroma_recall:.3f} | "
            if r.chroma_ms is not None
            else "- | - | "
        )
        ratio = f"{r.chroma_ms / r.ours_ms:.1f}x" if r.chroma_ms is not None else "-"
        lines.append(
            f"| {r.size:,} | {r.selectivity:.1%} | {r.ours_ms:.2f} | {r.ours_recall:.3f} | "
            f"{chroma}{r.post_ms:.2f} | {r.post_recall:.3f} | {ratio} |"
        )
    return [*lines, ""]
