"""A seconds-long run of every benchmark section, so none of them rots."""

import pytest

from benchmarks.run import run

pytestmark = pytest.mark.slow  # the real model and an index of its own


def test_benchmark_smoke_run_reports_every_section_with_exact_filtered_recall(tmp_path):
    out = tmp_path / "RESULTS.md"
    report = run([400, 800], queries=6, out=out, smoke=True, factory=None,
                 throughput_reviews=8, chroma=False)  # fmt: skip
    assert out.read_text() == report
    for section in ("## Indexing throughput", "## Incremental re-index", "## Query latency",
                    "## Filtered recall@10", "## Memory and cold start"):  # fmt: skip
        assert section in report
    assert "| 400 |" in report and "| 800 |" in report and "cores" in report
    recall_rows = [line for line in report.splitlines()
                   if line.startswith("| 400 |") or line.startswith("| 800 |")]  # fmt: skip
    recall_rows = [line for line in recall_rows if "%" in line]
    assert len(recall_rows) == 8
    assert all(line.split("|")[4].strip() == "1.000" for line in recall_rows)  # cinebot column
    # Feeding the same new reviews twice embeds nothing the second time.
    assert "passages embedded: 0)" in report


def test_index_type_benchmark_smoke_run_reports_latency_and_recall(sample_engine, tmp_path):
    from benchmarks.bench_scale import run as scale

    out = tmp_path / "SCALE.md"
    report = scale(3000, 5, out, factories=("Flat", "IVF16,Flat@4"), engine=sample_engine)
    rows = [line.split("|") for line in report.splitlines() if line.startswith("| `")]
    assert [r[1].strip() for r in rows] == ["`Flat`", "`IVF16,Flat@4`"]
    assert rows[0][5].strip() == "1.000"  # Flat is exact
    assert 0.0 < float(rows[1][5]) <= 1.0
