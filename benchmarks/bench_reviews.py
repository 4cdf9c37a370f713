"""One member's review on a large index (issue #26): what a post, an edit and a delete cost
(p50 and p99 of the whole call, as `/review` makes it), how many bytes each one writes to the
disk, that each is searchable when the call returns; and a thousand reviews in a row, with
searches running meanwhile, on versions and segments that stay bounded on the disk.

Bytes written are the files a call creates or changes under the index folder (and the Qdrant
path), which the segment design keeps to the review's own: its segment, a manifest, the
deletion masks that changed. Background merges run as they do in the bot; what they write is
counted over the thousand reviews (the kernel's count of the process's writes, amortised per
review), not per call.

    python -m benchmarks.bench_reviews                      # 10,000 and 100,000 passages
    python -m benchmarks.bench_reviews --sizes 1000000      # as make bench-1m
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks import bench_search
from index.engine import Engine
from index.errors import IndexBusy

LIBRARY = "guild:26"
OPS = ("post", "edit", "delete")
QUESTIONS = ["a ferry captain and lanterns", "Korean thrillers", "films about grief"]


@dataclass
class ReviewRow:
    size: int
    store: str
    op: str
    p50: float  # ms
    p99: float  # ms
    written: float  # bytes per call, median
    written_max: float
    searchable: bool  # every call's change seen by the next search


@dataclass
class InARow:
    size: int  # passages before
    reviews: int
    seconds: float
    p50: float  # ms per post
    p99: float
    searches: int  # answered meanwhile
    failed: int  # searches that raised (none expected)
    kept: int  # the posted reviews found afterwards
    versions_max: int  # version folders on the disk, at most
    segments_max: int  # segment folders on the disk, at most
    segments_live: int  # segments the live version names at the end
    disk_before: int  # bytes of the index folder
    disk_max: int
    disk_after: int
    written: float  # bytes the process wrote per review, merges included (kernel count)
    recall: list[tuple[str, int, float, float]] = field(default_factory=list)


def files(folders: list[Path]) -> dict[str, tuple[int, int, int]]:
    """Every file under the folders: (inode, size, modification time)."""
    found = {}
    for folder in folders:
        for parent, _, names in os.walk(folder):  # what is collected while walked is skipped
            for name in names:
                path = os.path.join(parent, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    continue
                found[path] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return found


def written(before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]) -> int:
    """Bytes of the files created or changed between two listings."""
    return sum(
        size for path, (ino, size, mt) in after.items() if before.get(path) != (ino, size, mt)
    )


def disk(folder: Path) -> int:
    return sum(size for _, size, _ in files([folder]).values())


def io_written() -> int:
    """Bytes this process caused to be written to storage (Linux), or 0 when not readable."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def folders(engine: Engine) -> list[Path]:
    out = [engine.settings.index_dir]
    if engine.settings.store == "qdrant" and engine.settings.qdrant.path:
        out.append(engine.settings.qdrant.path)
    return out


def _titles(engine: Engine, n: int, seed: int) -> list[str]:
    """Titles of films the index has, for members to review."""
    snap = engine.snapshot()
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(snap.films), size=n, replace=len(snap.films) < n)
    return [snap.films.titles[int(r)] for r in rows]


def _text(i: int) -> str:
    return (
        f"Member note {i}: a ferry captain keeps the lanterns lit through a winter of storms, "
        f"and the harbour town waits for word number{i}."
    )


def _found(engine: Engine, review_id: str) -> bool:
    return any(r.review_id == review_id for r in engine.libraries.reviews(LIBRARY, 26))


def member_reviews(engine: Engine, rounds: int = 40) -> list[ReviewRow]:
    """`rounds` posts, edits and deletes, one after the other, each timed as a whole call."""
    times: dict[str, list[float]] = {op: [] for op in OPS}
    sizes: dict[str, list[int]] = {op: [] for op in OPS}
    seen = {op: True for op in OPS}
    titles = _titles(engine, rounds, seed=26)
    engine.ask(QUESTIONS[0], library=LIBRARY)  # the version opened, the model warm
    for i, title in enumerate(titles):
        for op in OPS:
            before = files(folders(engine))
            started = time.perf_counter()
            if op == "post":
                rid, _ = engine.libraries.post(LIBRARY, 26, "Bench", title, 8, _text(i))
            elif op == "edit":
                engine.libraries.post(LIBRARY, 26, "Bench", title, 7, _text(i) + " Edited.", rid)
            else:
                engine.libraries.delete(LIBRARY, [rid], 26)
            times[op].append((time.perf_counter() - started) * 1000)
            sizes[op].append(written(before, files(folders(engine))))
            seen[op] &= _found(engine, rid) == (op != "delete")
    engine.merges.wait()  # a merge still running would outlive the index it writes to
    return [
        ReviewRow(
            engine.snapshot().n_passages,
            engine.settings.store,
            op,
            float(np.percentile(times[op], 50)),
            float(np.percentile(times[op], 99)),
            float(statistics.median(sizes[op])),
            float(max(sizes[op])),
            seen[op],
        )
        for op in OPS
    ]


def in_a_row(engine: Engine, n: int = 1000, seed: int = 7) -> InARow:
    """`n` members' reviews posted one after another while another thread searches."""
    root = engine.settings.index_dir
    titles = _titles(engine, n, seed)
    answered, failed = [0], [0]
    done = threading.Event()

    def search_meanwhile() -> None:
        k = 0
        while not done.is_set():
            try:
                if engine.ask(QUESTIONS[k % len(QUESTIONS)], library=LIBRARY).hits:
                    answered[0] += 1
                else:
                    failed[0] += 1
            except Exception:
                failed[0] += 1
            k += 1

    size = engine.snapshot().n_passages
    disk_before = disk(root)
    versions_max = segments_max = 0
    disk_max = disk_before
    times, ids = [], []
    wrote = io_written()
    started = time.perf_counter()
    thread = threading.Thread(target=search_meanwhile, daemon=True)
    thread.start()
    try:
        for i, title in enumerate(titles):
            t = time.perf_counter()
            while True:
                try:
                    rid, _ = engine.libraries.post(
                        LIBRARY, 1000 + i % 50, "Row", title, 6, _text(i)
                    )
                    break
                except IndexBusy:  # not expected: a merge publishes in a moment
                    time.sleep(0.01)
            times.append((time.perf_counter() - t) * 1000)
            ids.append(rid)
            if i % 10 == 0 or i == n - 1:
                versions_max = max(versions_max, len(list(root.glob("v[0-9]*"))))
                segments_max = max(segments_max, len(list((root / "segments").glob("s[0-9]*"))))
                disk_max = max(disk_max, disk(root))
    finally:
        done.set()
        thread.join()
    seconds = time.perf_counter() - started
    engine.merges.wait()
    wrote = io_written() - wrote
    snap = engine.snapshot()
    stored = {r.review_id for r in snap.library_reviews(LIBRARY, None, "", None)}
    recall = bench_search.filtered_recall(engine, np.random.default_rng(seed), queries=10)
    return InARow(
        size,
        n,
        seconds,
        float(np.percentile(times, 50)),
        float(np.percentile(times, 99)),
        answered[0],
        failed[0],
        len(stored & set(ids)),
        versions_max,
        segments_max,
        len(snap.combined.parts),
        disk_before,
        disk_max,
        disk(root),
        wrote / n if wrote else float("nan"),
        recall,
    )


def piled_up(engine: Engine, n: int, queries: int) -> bench_search.Row:
    """Query latency with `n` members' reviews as small segments of their own, none merged
    (the most the merge policy lets pile up is about this)."""
    engine.merges.background = False
    engine.merges.wait()
    titles = _titles(engine, n, seed=50)
    for i, title in enumerate(titles):
        engine.libraries.post(LIBRARY, 2000 + i, "Pile", title, 7, _text(10_000 + i))
    row = bench_search.time_queries(engine, queries)
    engine.merges.background = True
    return row


def qdrant_engine(base: Engine, root: Path, size: int) -> Engine:
    """An index of `size` passages on Qdrant's embedded engine (one shard for the bulk)."""
    return bench_search.grow_index(base, root / f"n{size}-qdrant", size, qdrant=root / f"q{size}")


# ---------------------------------------------------------------------- report
MB = 2**20


def _bytes(n: float) -> str:
    return f"{n / 1024:,.0f} KB" if n < MB else f"{n / MB:,.1f} MB"


def target_lines(rows: list[ReviewRow], row: InARow | None) -> list[str]:
    """Issue #26's targets, for the targets table."""
    out = []
    for r in rows:
        p50_limit = 100 if r.store == "faiss" else 250
        p99_limit = 300 if r.store == "faiss" else None
        ok = r.p50 <= p50_limit and (p99_limit is None or r.p99 <= p99_limit)
        ok &= r.written_max < MB and r.searchable
        limits = f"p50 <= {p50_limit} ms" + (f", p99 <= {p99_limit} ms" if p99_limit else "")
        out.append(
            f"| a member's review ({r.op}) at {r.size:,} passages ({r.store}): {limits}, "
            f"< 1 MB written, searchable on return | p50 {r.p50:.0f} ms, p99 {r.p99:.0f} ms; "
            f"{_bytes(r.written)} written (at most {_bytes(r.written_max)}) | "
            f"| {'met' if ok else '**missed**'} |"
        )
    if row is not None:
        ok = (
            row.kept == row.reviews
            and row.failed == 0
            and row.versions_max <= 4
            and min(ours for _, _, ours, _ in row.recall) >= 1.0
        )
        out.append(
            f"| {row.reviews:,} reviews in a row at {row.size:,} passages: all kept, "
            f"every search answers, versions and segments bounded, filtered recall 1.0 | "
            f"{row.kept:,} kept; {row.searches:,} searches, {row.failed} failed; at most "
            f"{row.versions_max} versions and {row.segments_max} segments on disk; recall "
            + " / ".join(f"{ours:.3f}" for _, _, ours, _ in row.recall)
            + f" | | {'met' if ok else '**missed**'} |"
        )
    return out


def report_lines(
    rows: list[ReviewRow], row: InARow | None, piled: bench_search.Row | None = None
) -> list[str]:
    lines = [
        "## A member's review (issue #26)",
        "",
        "Each call as `/review` makes it (`engine.libraries.post`, an edit, `delete`), timed "
        "whole: the film resolved, the review embedded, its segment and the new version "
        "written and published, the new version opened for the next search. Bytes written: "
        "the files the call created or changed (its segment, the manifest, the deletion masks "
        "that changed). Background merges run meanwhile, as in the bot. Indexes grown as for "
        "the query latency (one large segment).",
        "",
        "| passages | store | call | p50 ms | p99 ms | written per call (median) | most written | searchable on return |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r.size:,} | {r.store} | {r.op} | {r.p50:.0f} | {r.p99:.0f} | "
            f"{_bytes(r.written)} | {_bytes(r.written_max)} | {'yes' if r.searchable else 'no'} |"
        )
    lines.append("")
    if row is not None:
        lines += [
            f"{row.reviews:,} reviews posted in a row (FAISS, {row.size:,} passages "
            f"before), a thread searching all the while: {row.seconds:.0f} s, a post p50 "
            f"{row.p50:.0f} ms and p99 {row.p99:.0f} ms; {row.kept:,} of {row.reviews:,} found "
            f"afterwards; {row.searches:,} searches answered meanwhile, {row.failed} failed. "
            f"On disk at most {row.versions_max} version folders and {row.segments_max} segment "
            f"folders ({row.segments_live} segments live at the end); the index folder "
            f"{_bytes(row.disk_before)} before, {_bytes(row.disk_max)} at most, "
            f"{_bytes(row.disk_after)} after; the process wrote {_bytes(row.written)} per review, "
            "merges included. Filtered recall@10 afterwards (50 / 5 / 0.5 / 0.05%): "
            + " / ".join(f"{ours:.3f}" for _, _, ours, _ in row.recall)
            + ".",
            "",
        ]
    if piled is not None:
        lines += [
            f"Questions at {piled.size:,} passages with 50 members' reviews as small segments "
            f"of their own (none merged): p50 {piled.p50:.1f} ms, p95 {piled.p95:.1f} ms, p99 "
            f"{piled.p99:.1f} ms end to end, as in the query latency table.",
            "",
        ]
    return lines


def run(
    base: Engine, root: Path, sizes: list[int], qdrant_max: int, row_at: int | None
) -> tuple[list[ReviewRow], InARow | None, bench_search.Row | None]:
    rows: list[ReviewRow] = []
    row = piled = None
    for size in sizes:
        engine = bench_search.grow_index(base, root / f"r{size}", size)
        rows += member_reviews(engine)
        if size == row_at:
            row = in_a_row(engine)
        if size <= qdrant_max:
            rows += member_reviews(qdrant_engine(base, root, size))
        if size == max(sizes):
            piled = piled_up(engine, 50, 200)
    return rows, row, piled


def main() -> None:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--qdrant-max", type=int, default=100_000)
    parser.add_argument(
        "--in-a-row-at", type=int, default=100_000, help="0: skip the 1,000 reviews"
    )
    parser.add_argument("--smoke", action="store_true", help="the sample corpus, small sizes")
    parser.add_argument("--factory", help="FAISS index factory (make bench-1m: IVF4096,Flat)")
    args = parser.parse_args()
    from benchmarks.imdb import real_engine
    from benchmarks.run import sample_engine

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = sample_engine(root)[0] if args.smoke else real_engine()[0]
        if args.factory:
            search = base.settings.search.model_copy(update={"faiss_factory": args.factory})
            base.settings = base.settings.model_copy(update={"search": search})
        sizes = [int(s) for s in args.sizes.split(",")]
        rows, row, piled = run(base, root, sizes, args.qdrant_max, args.in_a_row_at or None)
    print("\n".join(target_lines(rows, row)))
    print()
    print("\n".join(report_lines(rows, row, piled)))


if __name__ == "__main__":
    main()
