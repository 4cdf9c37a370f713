"""A seconds-long run of the IMDb dataset import benchmark, so it never rots."""

import pytest

from benchmarks.bench_catalogue import run

pytestmark = pytest.mark.slow  # a child process imports the engine


def test_the_import_benchmark_reports_rows_kept_time_and_peak_memory(tmp_path):
    report = run(20_000, tmp_path / "CATALOGUE.md", workdir=tmp_path)
    assert (tmp_path / "CATALOGUE.md").read_text() == report
    assert "Rows read 20,000" in report and "peak memory MiB" in report
    kept = int(report.split("films kept ")[1].split(";")[0].replace(",", ""))
    assert 600 < kept < 2_000  # about 7% are films, and adult ones are skipped
