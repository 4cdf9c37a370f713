"""A seconds-long run of the search benchmark, so it never rots."""

from benchmarks.bench_search import run


def test_search_benchmark_smoke_run_reports_latency_and_exact_filtered_recall(tmp_path):
    out = tmp_path / "RESULTS.md"
    report = run([400, 800], queries=6, out=out)
    assert out.read_text() == report
    assert "| 400 |" in report and "| 800 |" in report and "cores" in report
    recall_rows = [line for line in report.splitlines() if "%" in line and line.startswith("| ")]
    assert len(recall_rows) == 8
    assert all(line.split("|")[4].strip() == "1.000" for line in recall_rows)  # cinebot column
