"""Filtered search against Chroma on the same vectors and the same filters.

Chroma (chromadb, embedded PersistentClient, HNSW, `where` filters) is what a user would
otherwise pick for "vector search with metadata filters". Both get identical passages,
vectors and filters: a random integer `bucket` per passage, so selectivity is exact.
Installed with the `bench` extra only.
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
    selectivity: float
    ours_ms: float
    ours_recall: float
    chroma_ms: float
    chroma_recall: float


def _truth(vectors: np.ndarray, allowed: np.ndarray, query: np.ndarray) -> set[int]:
    rows = np.flatnonzero(allowed)
    return set(rows[np.argsort(-(vectors[rows] @ query), kind="stable")[:10]].tolist())


def compare_chroma(engine: Engine, queries: int = 50, seed: int = 3) -> list[PeerRow] | None:
    """None when chromadb is not installed (it comes with `pip install -e '.[bench]'`)."""
    try:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
    except ImportError:
        return None
    snap = engine.snapshot()
    vectors = np.asarray(snap.vectors)
    rng = np.random.default_rng(seed)
    bucket = rng.integers(0, BUCKETS, len(vectors))
    picks = rng.integers(0, len(vectors), queries)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        client = chromadb.PersistentClient(
            path=tmp, settings=ChromaSettings(anonymized_telemetry=False)
        )
        collection = client.create_collection("passages", configuration={"hnsw": {"space": "ip"}})
        step = min(client.get_max_batch_size(), 5000)
        for start in range(0, len(vectors), step):
            rows = range(start, min(start + step, len(vectors)))
            collection.add(ids=[str(r) for r in rows], embeddings=vectors[start : rows.stop],
                           metadatas=[{"bucket": int(bucket[r])} for r in rows])  # fmt: skip
        for selectivity in SELECTIVITIES:
            cut = int(BUCKETS * selectivity)
            allowed = bucket < cut
            selection = Selection(allowed, QueryFilters())
            ours_t, ours_r, theirs_t, theirs_r = [], [], [], []
            for pick in picks.tolist():
                query = vectors[pick] + rng.normal(0, 0.03, vectors.shape[1]).astype(np.float32)
                query /= np.linalg.norm(query)
                truth = _truth(vectors, allowed, query)
                t = time.perf_counter()
                _, rows = search_passages(snap, query, selection, 10)
                ours_t.append(time.perf_counter() - t)
                ours_r.append(len(truth & set(rows.tolist())) / len(truth))
                t = time.perf_counter()
                found = collection.query(query_embeddings=[query], n_results=10,
                                         where={"bucket": {"$lt": cut}}, include=[])  # fmt: skip
                theirs_t.append(time.perf_counter() - t)
                theirs_r.append(len(truth & {int(i) for i in found["ids"][0]}) / len(truth))
            out.append(PeerRow(selectivity, statistics.median(ours_t) * 1000, statistics.mean(ours_r),
                               statistics.median(theirs_t) * 1000, statistics.mean(theirs_r)))  # fmt: skip
    return out


def report_lines(size: int, rows: list[PeerRow] | None) -> list[str]:
    if rows is None:
        return [
            "## Peers: Chroma",
            "",
            "chromadb is not installed: `pip install -e '.[bench]'`.",
            "",
        ]
    lines = [
        "## Peers: Chroma (filtered vector search, same vectors and filters)", "",
        f"{size:,} passages; median ms per filtered top-10 query (search only, no embedding) and "
        "recall@10 against brute force over the allowed passages.", "",
        "| selectivity | cinebot ms | cinebot recall@10 | Chroma ms | Chroma recall@10 | cinebot throughput vs Chroma |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]  # fmt: skip
    for r in rows:
        lines.append(f"| {r.selectivity:.1%} | {r.ours_ms:.2f} | {r.ours_recall:.3f} | {r.chroma_ms:.2f} | "
                     f"{r.chroma_recall:.3f} | {r.chroma_ms / r.ours_ms:.1f}x |")  # fmt: skip
    return [*lines, ""]
