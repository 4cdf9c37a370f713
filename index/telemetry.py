"""Request ids, per-stage timings, structured logs and optional Prometheus metrics.

One `request(...)` per user request (a slash command, a chat message, a CLI search): it sets
a request id every log line carries, collects `stage(...)` timings from the engine (parse,
embed, search) and the adapters (render), and ends with one log line and metric updates.
Shared by the CLI and the bot, so both report the same way.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from config import ObservabilitySettings

log = logging.getLogger("cinebot.request")

REQUEST_ID: ContextVar[str] = ContextVar("cinebot_request_id", default="-")
_TIMINGS: ContextVar[dict[str, float] | None] = ContextVar("cinebot_timings", default=None)
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time a stage of the current request (a no-op outside one)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timings = _TIMINGS.get()
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + (time.perf_counter() - started) * 1000


class Request:
    """One user request: its id, its stage timings (ms), one log line and the metrics.
    `begin` and `finish` for adapters whose start and end are separate events (discord.py's
    interaction check and completion); `request(...)` for a block."""

    def __init__(self, command: str, request_id: object | None = None) -> None:
        self.command = command
        self.id = str(request_id) if request_id is not None else uuid.uuid4().hex[:12]
        self.timings: dict[str, float] = {}
        self.started = time.perf_counter()
        self.done = False

    def begin(self) -> Request:
        """Make this the current request of the running context (task or thread)."""
        REQUEST_ID.set(self.id)
        _TIMINGS.set(self.timings)
        return self

    def finish(self, error: str | None = None) -> None:
        if self.done:
            return
        self.done = True
        total = time.perf_counter() - self.started
        fields = {f"{k}_ms": round(v, 3) for k, v in self.timings.items()}
        log.info(
            "%s %s in %.0f ms",
            self.command,
            "failed" if error else "answered",
            total * 1000,
            extra={
                "command": self.command,
                "request_id": self.id,
                "total_ms": round(total * 1000, 2),
                "error": error,
                **fields,
            },
        )
        METRICS.query(self.command, total, error)


@contextmanager
def request(command: str, request_id: object | None = None) -> Iterator[Request]:
    current = Request(command, request_id)
    rid, tid = REQUEST_ID.set(current.id), _TIMINGS.set(current.timings)
    error: str | None = None
    try:
        yield current
    except BaseException as exc:
        error = type(exc).__name__
        raise
    finally:
        current.finish(error)
        _TIMINGS.reset(tid)
        REQUEST_ID.reset(rid)


class _RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    """What the caller passed as `extra=` (the request's command, timings, error)."""
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD and k != "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message, and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        data |= _extras(record)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        extras = _extras(record)
        line = super().format(record)
        tail = " ".join(f"{k}={v}" for k, v in extras.items() if v is not None)
        return f"{line} {tail}" if tail else line


def configure_logging(settings: ObservabilitySettings) -> None:
    """Log format and level from the settings; metrics endpoint when a port is set."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    handler.addFilter(_RequestId())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_cinebot", False)]:
        root.removeHandler(old)
    handler._cinebot = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    if settings.metrics_port is not None:
        METRICS.serve(settings.metrics_host, settings.metrics_port)


class Metrics:
    """Prometheus metrics when enabled (`observability.metrics_port`); free no-ops otherwise."""

    def __init__(self) -> None:
        self.enabled = False

    def serve(self, host: str, port: int) -> None:
        if self.enabled:
            return
        try:
            import prometheus_client as prom
        except ImportError:
            raise RuntimeError(
                "observability.metrics_port is set but prometheus-client is not installed: "
                "pip install 'cinebot[metrics]'"
            ) from None
        self.registry = prom.CollectorRegistry()
        self.latency = prom.Histogram(
            "cinebot_query_seconds",
            "Time to answer a request, end to end",
            ["command"],
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.queries = prom.Counter(
            "cinebot_queries_total", "Requests answered", ["command"], registry=self.registry
        )
        self.errors = prom.Counter(
            "cinebot_errors_total", "Requests that failed", ["kind"], registry=self.registry
        )
        self.passages = prom.Gauge(
            "cinebot_index_passages", "Passages in the live index", registry=self.registry
        )
        self.reviews = prom.Gauge(
            "cinebot_index_reviews", "Reviews in the live index", registry=self.registry
        )
        self.reindex = prom.Histogram(
            "cinebot_reindex_seconds",
            "Duration of an ingest or re-index",
            buckets=(1, 5, 15, 60, 300, 900, 3600),
            registry=self.registry,
        )
        self.server, self.thread = prom.start_http_server(port, addr=host, registry=self.registry)
        self.enabled = True

    def query(self, command: str, seconds: float, error: str | None) -> None:
        if not self.enabled:
            return
        self.latency.labels(command).observe(seconds)
        self.queries.labels(command).inc()
        if error:
            self.errors.labels(error).inc()

    def error(self, kind: str) -> None:
        if self.enabled:
            self.errors.labels(kind).inc()

    def index_size(self, reviews: int, passages: int) -> None:
        if self.enabled:
            self.reviews.set(reviews)
            self.passages.set(passages)

    def reindexed(self, seconds: float) -> None:
        if self.enabled:
            self.reindex.observe(seconds)

    def stop(self) -> None:
        if self.enabled:
            self.server.shutdown()
            self.server.server_close()
            self.enabled = False


METRICS = Metrics()
