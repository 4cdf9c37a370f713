"""Issue #14's targets, each read off this run's measurements, with the baseline it is a ratio
of where it has one, and whether it is met."""

from __future__ import annotations

from benchmarks.bench_answers import Warm
from benchmarks.bench_index import Incremental, Throughput
from benchmarks.bench_memory import Start
from benchmarks.bench_search import Row

KB = 1024


def _verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("met" if ok else "**missed**")


def lines(
    speed: Throughput | None,
    warm: Warm | None,
    rows: list[Row],
    recalls: dict[int, list[tuple[str, int, float, float]]],
    starts: list[Start],
    incremental: Incremental | None,
    piled: Row | None = None,
) -> list[str]:
    out = [
        "## Targets (issue #14), from this run",
        "",
        "| target | measured | baseline (same run) | |",
        "| --- | --- | --- | --- |",
    ]

    def add(target: str, measured: str, baseline: str, ok: bool | None) -> None:
        out.append(f"| {target} | {measured} | {baseline} | {_verdict(ok)} |")

    if warm:
        add(
            "warm answer to a distinct question <= 0.5x the naive encode, on Discord (the reply built)",
            f"{warm.answer_p50:.2f} ms p50 ({warm.ratio:.2f}x)",
            f"`encode([question])` {warm.naive_p50:.2f} ms",
            warm.ratio <= 0.5,
        )
        add(
            "the same in a terminal (`cinebot chat`'s lines printed)",
            f"{warm.terminal_p50:.2f} ms p50 ({warm.terminal_ratio:.2f}x)",
            f"`encode([question])` {warm.naive_p50:.2f} ms",
            warm.terminal_ratio <= 0.5,
        )
    by_size = {r.size: r for r in rows}
    starts_by = {s.passages: s for s in starts}
    largest = max(by_size) if by_size else None
    if largest and largest >= 1_000_000:
        r = by_size[largest]
        add(
            f"p99 <= 100 ms at {largest:,} passages, end to end",
            f"p99 {r.p99:.1f} ms (p50 {r.p50:.1f})",
            f"{min(by_size):,} passages: p99 {by_size[min(by_size)].p99:.1f} ms",
            r.p99 <= 100,
        )
    if piled is not None:
        add(
            f"p99 <= 100 ms at {piled.size:,} passages with 50 small segments (before a merge)",
            f"p99 {piled.p99:.1f} ms (p50 {piled.p50:.1f})",
            f"one segment: p99 {by_size[max(by_size)].p99:.1f} ms" if by_size else "",
            piled.p99 <= 100,
        )
    for size, limit in ((1_000_000, 3.0), (100_000, 1.5)):
        if size in starts_by:
            s = starts_by[size]
            add(
                f"cold start <= {limit:g} s at {size:,}",
                f"{s.cold_start_s:.2f} s",
                f"{starts[0].passages:,}: {starts[0].cold_start_s:.2f} s",
                s.cold_start_s <= limit,
            )
    if largest and largest in starts_by and largest >= 1_000_000:
        s = starts_by[largest]
        add(
            f"peak RSS <= 3 GB at {largest:,}",
            f"{s.peak / 2**30:.2f} GB (RSS {s.rss / 2**30:.2f} GB)",
            "",
            s.peak <= 3 * 2**30,
        )
    if len(starts) > 1:
        small, big = starts[0], starts[-1]
        per = (big.rss - small.rss) / (big.passages - small.passages)
        add(
            "<= 1.8 KB per passage (memory growth per passage)",
            f"{per / KB:.2f} KB ({small.passages:,} -> {big.passages:,})",
            "the vectors alone: 1.5 KB",
            per <= 1.8 * KB,
        )
    for size, table in recalls.items():
        worst = min(ours for _, _, ours, _ in table)
        add(
            f"filtered recall@10 = 1.0 at 50 / 5 / 0.5 / 0.05% ({size:,})",
            " / ".join(f"{ours:.3f}" for _, _, ours, _ in table),
            "post-filter: " + " / ".join(f"{post:.3f}" for _, _, _, post in table),
            worst >= 1.0,
        )
    if incremental:
        share = incremental.incremental_s / incremental.rebuild_s
        add(
            f"adding 1% at {incremental.size:,} <= 2% of a rebuild, BM25 included",
            f"{incremental.incremental_s:,.1f} s ({share:.2%})",
            f"rebuild {incremental.rebuild_s:,.0f} s (estimated)",
            share <= 0.02,
        )
    if speed:
        ratio = speed.ingest_rate / speed.naive_rate
        add(
            "ingest throughput >= 1.4x the naive encode",
            f"{speed.ingest_rate:.1f} passages/s ({ratio:.2f}x); "
            f"encoder alone {speed.encode_rate / speed.naive_rate:.2f}x",
            f"{speed.naive_rate:.1f} passages/s",
            ratio >= 1.4,
        )
    if rows:
        worst_render = max(r.render for r in rows)
        add(
            "building the Discord reply <= 1 ms",
            f"p50 {worst_render:.2f} ms (the slowest size)",
            "",
            worst_render <= 1.0,
        )
    return [*out, ""]
