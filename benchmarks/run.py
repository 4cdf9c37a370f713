"""Every benchmark in one run -> benchmarks/RESULTS.md and benchmarks/latency.png.

    python -m benchmarks.run                           # real corpus; 10k and 100k passages
    python -m benchmarks.run --sizes 10000,100000,1000000 --factory IVF4096,Flat   # make bench-1m
    python -m benchmarks.run --smoke --out /tmp/r.md   # seconds, on the sample corpus

Every compared figure is measured in this run next to its baseline and reported as a ratio:
these machines are small and noisy, absolute numbers move between runs.
"""

from __future__ import annotations

import os

# torch (the naive baselines) must not spin its idle threads: they would steal the cores from
# whatever runs next (see bench_answers). Set before anything imports torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from benchmarks import (
    bench_answers,
    bench_index,
    bench_memory,
    bench_peers,
    bench_qdrant,
    bench_reviews,
    bench_search,
    targets,
)
from benchmarks.imdb import find_corpus, read_records, real_engine
from config import Settings
from index.embedding.encoder import Encoder
from index.engine import SAMPLE_CORPUS, Engine

HERE = Path(__file__).parent


def sample_engine(root: Path) -> tuple[Engine, list[dict]]:
    settings = Settings(index_dir=root / "sample")
    engine = Engine(settings, Encoder(settings.embedding))
    engine.ingest([SAMPLE_CORPUS])
    records = list(read_records(SAMPLE_CORPUS / "reviews.jsonl"))
    return engine, records


def new_reviews(base: Engine, records: list[dict], passages: int, smoke: bool) -> list[dict]:
    """Reviews the index has not seen, about `passages` passages' worth."""
    snap = base.snapshot()
    per_review = len(snap.passage_review) / max(len(snap.review_ids), 1)
    wanted = max(1, round(passages / per_review))
    if smoke:
        return [
            dict(r, id=f"new-{i}", title=f"{r['title']} (new {i})")
            for i, r in enumerate(records[:wanted])
        ]
    source = find_corpus()
    assert source is not None
    known = {r["review_id"] for r in records}
    fresh = (r for r in read_records(source) if r["review_id"] not in known)
    return [r for _, r in zip(range(wanted), fresh, strict=False)]


def run(
    sizes: list[int],
    queries: int,
    out: Path,
    smoke: bool,
    factory: str | None,
    throughput_reviews: int,
    chroma: bool,
    chroma_max: int,
    qdrant_max: int = 100_000,
) -> str:
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base, records = sample_engine(root) if smoke else real_engine()
        if factory:
            search = base.settings.search.model_copy(update={"faiss_factory": factory})
            base.settings = base.settings.model_copy(update={"search": search})
        corpus = (
            "the sample corpus"
            if smoke
            else (
                f"{len(records):,} real IMDb reviews (one per film) from ../shared/data, read in place"
            )
        )
        lines = [
            "# Benchmarks",
            "",
            f"Machine: {bench_search.machine()}",
            "",
            f"Base corpus: {corpus}; {base.snapshot().n_passages:,} passages. "
            f"FAISS factory: `{base.settings.search.faiss_factory}` (an IVF falls back to exact "
            "Flat below 40 vectors per list). Larger indexes: the base's vectors plus noise, "
            "with the texts and metadata of its reviews (`bench_search.grow_index`).",
            "",
        ]

        speed = None
        if throughput_reviews:
            rounds = 1 if smoke else 2
            speed = bench_index.throughput(base, records[:throughput_reviews], rounds=rounds)
        rows, recalls, starts, grown, peers, qdrant = [], {}, [], {}, [], []
        reviews: list[bench_reviews.ReviewRow] = []
        in_a_row, piled = None, None
        warm = None
        for size in sizes:
            engine = bench_search.grow_index(base, root / f"n{size}", size)
            grown[size] = engine
            if warm is None:  # at the smallest size: the answer is most nearly the embedding
                warm = bench_answers.warm_answers(engine)
            rows.append(bench_search.time_queries(engine, queries))
            recalls[size] = bench_search.filtered_recall(engine, rng, queries=5 if smoke else 20)
            starts.append(bench_memory.cold_start(engine.settings.index_dir))
            peers += bench_peers.compare(
                engine, queries=5 if smoke else 50, chroma=chroma and size <= chroma_max
            )
            if size <= qdrant_max:
                qdrant.append(bench_qdrant.compare(engine, queries=5 if smoke else 50))
            # Members' reviews last: they change the index the measures above read.
            reviews += bench_reviews.member_reviews(engine, rounds=5 if smoke else 40)
            if size <= qdrant_max:
                on_qdrant = bench_reviews.qdrant_engine(base, root / "reviews", size)
                reviews += bench_reviews.member_reviews(on_qdrant, rounds=5 if smoke else 40)
            if size == (min(sizes) if smoke else 100_000):
                in_a_row = bench_reviews.in_a_row(engine, 20 if smoke else 1000)
            if size == max(sizes):  # queries with small segments piled up, before a merge
                piled = bench_reviews.piled_up(engine, 50, queries)
        incremental = None
        if speed:  # 1% more at the largest size: embedding, BM25, vectors and the index
            largest = max(sizes)
            fresh = new_reviews(base, records, largest // 100, smoke)
            incremental = bench_index.incremental(grown[largest], fresh, speed.ingest_rate)

        lines += targets.lines(speed, warm, rows, recalls, starts, incremental, piled)
        lines[-1:-1] = bench_reviews.target_lines(reviews, in_a_row)
        lines += bench_answers.report_lines(warm) if warm else []
        lines += bench_answers.warmth_lines(bench_answers.warmth([r["text"] for r in records]))
        lines += bench_index.report_lines(speed, incremental) if speed else []
        lines += bench_reviews.report_lines(reviews, in_a_row, piled)
        lines += bench_search.latency_lines(rows, queries)
        picture = out.with_name(out.stem.lower().replace("results", "latency") + ".png")
        if bench_search.plot(rows, peers, starts, picture):
            lines += [f"![latency and memory against index size]({picture.name})", ""]
        lines += bench_search.recall_lines(recalls)
        lines += bench_peers.report_lines(peers)
        lines += bench_qdrant.report_lines(qdrant, base.settings.search.faiss_factory)
        lines += bench_memory.report_lines(starts)
    report = "\n".join(lines) + "\n"
    out.write_text(report + notes(out))
    return report


def notes(out: Path) -> str:
    """Hand-written analysis kept below the generated tables (benchmarks/RESULTS_NOTES.md)."""
    path = HERE / "RESULTS_NOTES.md"
    return ("\n" + path.read_text()) if out == HERE / "RESULTS.md" and path.is_file() else ""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="passage counts, comma-separated")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--factory", default=None, help="FAISS factory string, e.g. HNSW32")
    parser.add_argument("--throughput-reviews", type=int, default=150, help="0 skips it")
    parser.add_argument("--no-chroma", action="store_true")
    parser.add_argument(
        "--chroma-max",
        type=int,
        default=1_000_000,
        help="largest size Chroma is built at (it takes minutes per million)",
    )
    parser.add_argument(
        "--qdrant-max",
        type=int,
        default=100_000,
        help="largest size Qdrant's engine is built at (0: not at all; its HNSW build is slow)",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes on the sample corpus")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.smoke:
        sizes, args.queries, args.throughput_reviews = [400, 800], 6, 8
    print(
        run(
            sizes,
            args.queries,
            args.out,
            args.smoke,
            args.factory,
            args.throughput_reviews,
            not args.no_chroma,
            args.chroma_max,
            args.qdrant_max,
        )
    )
    print(json.dumps({"written": str(args.out)}))


if __name__ == "__main__":
    main()
