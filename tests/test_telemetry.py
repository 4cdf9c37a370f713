"""Request ids, stage timings, JSON logs and the optional Prometheus endpoint, without Discord."""

import json
import logging
import socket
import urllib.request

import pytest

from config import ObservabilitySettings
from index import telemetry
from index.telemetry import METRICS, JsonFormatter, request


def test_a_search_inside_a_request_reports_each_stage(sample_engine):
    with request("search", "req-1") as current:
        sample_engine.ask("zombies on a train, not comedy")
    assert {"parse", "filter", "embed", "search"} <= set(current.timings)
    assert all(ms > 0 for ms in current.timings.values())


def test_a_filter_only_question_needs_no_embedding(sample_engine):
    with request("search") as current:
        sample_engine.ask("Korean thrillers rated 8+")
    assert "embed" not in current.timings and current.timings["search"] > 0


def test_json_log_lines_carry_the_request_id_and_timings(sample_engine, caplog):
    with caplog.at_level(logging.INFO, logger="cinebot.request"), request("search", "abc123"):
        sample_engine.ask("a heist that goes wrong")
    (record,) = [r for r in caplog.records if r.name == "cinebot.request"]
    data = json.loads(JsonFormatter().format(record))
    assert data["request_id"] == "abc123" and data["command"] == "search"
    assert data["level"] == "info" and data["embed_ms"] > 0 and data["total_ms"] >= data["embed_ms"]


def test_an_exception_is_logged_with_its_kind_and_still_raised(caplog):
    with (
        caplog.at_level(logging.INFO, logger="cinebot.request"),
        pytest.raises(KeyError),
        request("film"),
    ):
        raise KeyError("missing")
    (record,) = [r for r in caplog.records if r.name == "cinebot.request"]
    assert record.error == "KeyError" and "failed" in record.getMessage()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_prometheus_endpoint_counts_queries_errors_and_index_size(sample_engine):
    port = free_port()
    telemetry.configure_logging(ObservabilitySettings(metrics_port=port, log_level="WARNING"))
    try:
        METRICS.index_size(
            len(sample_engine.snapshot().review_ids), sample_engine.snapshot().n_passages
        )
        with request("search"):
            sample_engine.ask("French comedies")
        with pytest.raises(ValueError), request("similar"):
            raise ValueError("no such film")
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    finally:
        METRICS.stop()
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_cinebot", False)]:
            root.removeHandler(handler)
    assert 'cinebot_queries_total{command="search"} 1.0' in body
    assert 'cinebot_errors_total{kind="ValueError"} 1.0' in body
    assert 'cinebot_query_seconds_count{command="similar"} 1.0' in body
    passages = sample_engine.snapshot().n_passages
    assert f"cinebot_index_passages {float(passages)}" in body


def test_metrics_are_off_by_default_and_cost_nothing():
    assert ObservabilitySettings().metrics_port is None
    assert not METRICS.enabled
    with request("search"):
        pass  # no registry, no server: nothing to observe, nothing raised
