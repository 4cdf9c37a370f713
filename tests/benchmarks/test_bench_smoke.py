"""A seconds-long run of every benchmark section, so none of them rots."""

import pytest

from benchmarks.run import run

pytestmark = pytest.mark.slow  # the real model and an index of its own


def test_benchmark_smoke_run_reports_every_section_with_exact_filtered_recall(tmp_path):
    out = tmp_path / "RESULTS.md"
    report = run(
        [400, 800],
        queries=6,
        out=out,
        smoke=True,
        factory=None,
        throughput_reviews=8,
        chroma=False,
        chroma_max=0,
    )
    assert out.read_text() == report
    sections = {part.split("\n", 1)[0]: part for part in report.split("\n## ")[1:]}
    for section in (
        "Targets (issue #14), from this run",
        "Warm answers against the naive question embedding",
        "A snippet's warmth against VADER's own scorer",
        "Indexing throughput",
        "Incremental re-index",
        "Query latency (ms)",
        "Filtered recall@10 against brute force",
        "Memory and cold start",
        "Filtered search against Chroma and post-filtering, by index size",
        "Qdrant's engine as a peer (qdrant-edge, embedded)",
        "A member's review (issue #26)",
    ):
        assert section in sections, section
    # A member's post, edit and delete on each store at each size, each searchable at once.
    review_rows = [
        line.split("|")
        for line in sections["A member's review (issue #26)"].splitlines()
        if line.startswith(("| 400 |", "| 800 |"))
    ]
    assert len(review_rows) == 12 and all(cells[8].strip() == "yes" for cells in review_rows)
    assert "| 400 |" in report and "| 800 |" in report and "cores" in report
    recall_rows = [
        line
        for line in sections["Filtered recall@10 against brute force"].splitlines()
        if line.startswith(("| 400 |", "| 800 |"))
    ]
    assert len(recall_rows) == 8
    assert all(line.split("|")[4].strip() == "1.000" for line in recall_rows)  # cinebot column
    # Qdrant's rows at both sizes, each selectivity; its answers exact as cinebot runs it.
    qdrant_rows = [
        line.split("|")
        for line in sections["Qdrant's engine as a peer (qdrant-edge, embedded)"].splitlines()
        if line.startswith(("| 400 |", "| 800 |"))
    ]
    assert len(qdrant_rows) == 10  # 4 selectivities x 2 sizes, then a build row per size
    assert all(float(cells[8]) == 1.0 for cells in qdrant_rows if len(cells) > 10)
    # Feeding the same new reviews twice embeds nothing the second time.
    assert "passages embedded: 0)" in report
    # Every target is read off this run, with a verdict.
    target_rows = [
        line
        for line in sections["Targets (issue #14), from this run"].splitlines()
        if line.startswith("| ") and not line.startswith(("| target", "| ---"))
    ]
    assert len(target_rows) >= 6
    assert all(line.rstrip(" |").endswith(("met", "**missed**")) for line in target_rows)


def test_index_type_benchmark_smoke_run_reports_latency_and_recall(sample_engine, tmp_path):
    from benchmarks.bench_scale import run as scale

    out = tmp_path / "SCALE.md"
    report = scale(3000, 5, out, factories=("Flat", "IVF16,Flat@4"), engine=sample_engine)
    rows = [line.split("|") for line in report.splitlines() if line.startswith("| `")]
    assert [r[1].strip() for r in rows] == ["`Flat`", "`IVF16,Flat@4`"]
    assert rows[0][5].strip() == "1.000"  # Flat is exact
    assert 0.0 < float(rows[1][5]) <= 1.0
