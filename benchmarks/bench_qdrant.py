"""Qdrant's own engine (qdrant-edge, embedded) as a peer of cinebot's FAISS store, on the same
vectors, filters and questions, at each index size.

Both stores answer the filtered top-10 of the same noisy copies of stored passages, with a
random integer `bucket` per passage so selectivity is exact (as `bench_peers` does for Chroma),
and with no filter at all. Qdrant runs as cinebot runs it (`qdrant_edge_vectors`: HNSW m=16,
Qdrant's planner, an exact search when at most `search.exact_below` passages are allowed) and, for its
recall, also raw (no exact search asked). Build time is each store's own index over the same
vectors; memory is a fresh process that opens the store and answers 20 questions.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.imdb import REPO
from config import QdrantSettings
from index.answering.rank import search_passages
from index.engine import Engine
from index.storage.faiss_vectors import build_faiss
from index.storage.qdrant_payloads import fields
from index.storage.vectors import Selection
from index.types import QueryFilters

SELECTIVITIES = (1.0, 0.5, 0.05, 0.005)
WIDE = 256  # a wider graph search (hnsw_ef), for the recall it buys
BUCKETS = 100_000


@dataclass
class Row:
    selectivity: float
    ours_p50: float
    ours_p99: float
    ours_recall: float
    qdrant_p50: float
    qdrant_p99: float
    qdrant_recall: float
    raw_recall: float  # Qdrant's HNSW with no exact search asked
    wide_p50: float  # Qdrant as cinebot runs it, with hnsw_ef = WIDE
    wide_recall: float


@dataclass
class Peer:
    size: int
    faiss_build_s: float
    qdrant_build_s: float
    qdrant_disk_mib: float
    faiss_rss_mib: float
    qdrant_rss_mib: float
    rows: list[Row]


CHILD = """
import json, sys, numpy as np
kind, path = sys.argv[1], sys.argv[2]
queries = np.load(sys.argv[3])
if kind == "faiss":
    from index.storage.faiss_vectors import read_mapped
    index = read_mapped(__import__("pathlib").Path(path), sys.argv[4])
    for q in queries:
        index.search(q.reshape(1, -1), 10)
else:
    import qdrant_edge as e
    shard = e.EdgeShard.load(path)
    for q in queries:
        shard.query(e.QueryRequest(query=e.Query.Nearest(q.tolist()), limit=10))
status = {l.split(":")[0]: int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("Vm")}
print(json.dumps({"rss": status["VmRSS"] * 1024}))
"""


def _rss(kind: str, path: Path, queries: np.ndarray, extra: str = "") -> float:
    """MiB resident in a fresh process after opening the store and answering."""
    with tempfile.NamedTemporaryFile(suffix=".npy") as f:
        np.save(f.name, queries[:20])
        out = subprocess.run(
            [sys.executable, "-c", CHILD, kind, str(path), f.name, extra],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            env=dict(os.environ, OMP_NUM_THREADS="1"),
        )
    return json.loads(out.stdout.strip().splitlines()[-1])["rss"] / 2**20


def _ms(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[int(0.99 * (len(ordered) - 1))] * 1000


def compare(engine: Engine, queries: int = 50, seed: int = 3) -> Peer:
    import faiss
    import qdrant_edge as e

    from index.storage.qdrant_edge_vectors import build_shard

    snap = engine.snapshot()
    vectors = np.asarray(snap.vectors)
    rng = np.random.default_rng(seed)
    bucket = rng.integers(0, BUCKETS, len(vectors))
    picks = rng.integers(0, len(vectors), queries)
    noisy = vectors[picks] + rng.normal(0, 0.03, (queries, vectors.shape[1])).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    settings = QdrantSettings()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        faiss_index = build_faiss(vectors, engine.settings.search.faiss_factory)
        faiss_build = time.perf_counter() - t
        faiss.write_index(faiss_index, str(root / "index.faiss"))
        del faiss_index
        t = time.perf_counter()
        build_shard(
            root / "shard",
            settings,
            vectors,
            ({"bucket": int(b), "library": "base"} for b in bucket),
            indexed={**fields(), "bucket": "integer"},
        )
        qdrant_build = time.perf_counter() - t
        disk = sum(p.stat().st_blocks * 512 for p in (root / "shard").rglob("*") if p.is_file())
        shard = e.EdgeShard.load(str(root / "shard"))
        rows = []
        for selectivity in SELECTIVITIES:
            cut = int(BUCKETS * selectivity)
            allowed = bucket < cut
            selection = None if selectivity == 1.0 else Selection(allowed, QueryFilters())
            condition = (
                None
                if selection is None
                else e.Filter(
                    must=[e.FieldCondition(key="bucket", range=e.RangeFloat(lt=float(cut)))]
                )
            )
            exact = int(np.count_nonzero(allowed)) <= engine.settings.search.exact_below  # as asked
            times: dict[str, list[float]] = {"ours": [], "qdrant": [], "wide": []}
            found: dict[str, list[float]] = {"ours": [], "qdrant": [], "raw": [], "wide": []}
            allowed_rows = np.flatnonzero(allowed)
            for query in noisy:
                sims = vectors[allowed_rows] @ query
                truth = set(allowed_rows[np.argsort(-sims, kind="stable")[:10]].tolist())
                t = time.perf_counter()
                _, got = search_passages(snap, query, selection, 10)
                times["ours"].append(time.perf_counter() - t)
                found["ours"].append(len(truth & set(got.tolist())) / len(truth))
                for kind, params in (
                    ("qdrant", e.SearchParams(exact=exact)),
                    ("raw", e.SearchParams(exact=False)),
                    ("wide", e.SearchParams(exact=exact, hnsw_ef=WIDE)),
                ):
                    t = time.perf_counter()
                    points = shard.query(
                        e.QueryRequest(
                            query=e.Query.Nearest(query.tolist()),
                            filter=condition,
                            limit=10,
                            params=params,
                        )
                    )
                    if kind in times:
                        times[kind].append(time.perf_counter() - t)
                    found[kind].append(len(truth & {int(p.id) for p in points}) / len(truth))
            (o50, o99), (q50, q99) = _ms(times["ours"]), _ms(times["qdrant"])
            mean = {k: float(np.mean(v)) for k, v in found.items()}
            rows.append(
                Row(
                    selectivity,
                    o50,
                    o99,
                    mean["ours"],
                    q50,
                    q99,
                    mean["qdrant"],
                    mean["raw"],
                    _ms(times["wide"])[0],
                    mean["wide"],
                )
            )
        del shard
        kind = str(snap.info.manifest.get("faiss_index", ""))
        faiss_rss = _rss("faiss", root / "index.faiss", noisy, kind)
        qdrant_rss = _rss("qdrant", root / "shard", noisy)
        shutil.rmtree(root / "shard", ignore_errors=True)
    return Peer(len(vectors), faiss_build, qdrant_build, disk / 2**20, faiss_rss, qdrant_rss, rows)


def report_lines(peers: list[Peer], factory: str) -> list[str]:
    if not peers:
        return []
    lines = [
        "## Qdrant's engine as a peer (qdrant-edge, embedded)",
        "",
        f"The same vectors in cinebot's FAISS store (`{factory}`) and in a Qdrant shard built as "
        "cinebot builds it (HNSW m=16, ef_construct=100, payload indexes; an exact search when "
        "at most 20,000 passages are allowed). Filtered top-10 by a random `bucket` (exact "
        "selectivity); 100% is no filter. Recall@10 against brute force over the allowed "
        'passages; "raw" is Qdrant\'s filtered HNSW with no exact search asked; "ef '
        f"{WIDE}\" is cinebot's settings with `qdrant.hnsw_ef = {WIDE}` (a wider graph search). "
        "Every filtered field has its payload index. The vector search alone: no embedding, "
        "no BM25.",
        "",
        f"| passages | selectivity | FAISS p50 ms | FAISS p99 ms | FAISS recall | Qdrant p50 ms | Qdrant p99 ms | Qdrant recall | Qdrant raw recall | ef {WIDE} p50 ms | ef {WIDE} recall | Qdrant p50 / FAISS p50 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in peers:
        for r in p.rows:
            lines.append(
                f"| {p.size:,} | {r.selectivity:.1%} | {r.ours_p50:.2f} | {r.ours_p99:.2f} | "
                f"{r.ours_recall:.3f} | {r.qdrant_p50:.2f} | {r.qdrant_p99:.2f} | "
                f"{r.qdrant_recall:.3f} | {r.raw_recall:.3f} | {r.wide_p50:.2f} | "
                f"{r.wide_recall:.3f} | {r.qdrant_p50 / max(r.ours_p50, 1e-6):.1f}x |"
            )
    lines += [
        "",
        "| passages | FAISS build s | Qdrant build s | build ratio | Qdrant on disk MiB (allocated) | FAISS process RSS MiB | Qdrant process RSS MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in peers:
        lines.append(
            f"| {p.size:,} | {p.faiss_build_s:.1f} | {p.qdrant_build_s:.1f} | "
            f"{p.qdrant_build_s / max(p.faiss_build_s, 1e-6):.0f}x | "
            f"{p.qdrant_disk_mib:,.0f} | {p.faiss_rss_mib:,.0f} | {p.qdrant_rss_mib:,.0f} |"
        )
    return [*lines, ""]
