"""Shared fixtures: the real model (loaded once per session) and the sample index (built once)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from config import Settings
from index.embedding.encoder import Encoder
from index.engine import SAMPLE_CATALOGUE, SAMPLE_CORPUS, Engine


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return Encoder(Settings().embedding)


def make_settings(index_dir: Path, **overrides: object) -> Settings:
    return Settings(index_dir=index_dir, **overrides)  # type: ignore[arg-type]


def live_segments(index_dir: Path) -> list[Path]:
    """The folders of the segments the live version names, oldest first."""
    live = index_dir / (index_dir / "CURRENT").read_text().strip()
    manifest = json.loads((live / "manifest.json").read_text())
    if "segments" not in manifest:  # written before segments: the version is its segment
        return [live]
    return [index_dir / "segments" / entry["name"] for entry in manifest["segments"]]


def live_store_records(index_dir: Path) -> list[dict]:
    """What the vector store keeps of each live segment (its segment.json's record)."""
    return [
        json.loads((folder / "segment.json").read_text())["store"]
        for folder in live_segments(index_dir)
    ]


@pytest.fixture
def engine(tmp_path: Path, encoder: Encoder) -> Engine:
    """An engine on an empty index of its own."""
    return Engine(make_settings(tmp_path / "index"), encoder)


@pytest.fixture(scope="session")
def sample_engine(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Engine:
    """The bundled sample corpus with its catalogue, as `make run` builds it, indexed once for
    the whole session. Treat as read-only."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("sample") / "index"), encoder)
    engine.import_catalogue([SAMPLE_CATALOGUE], tmdb=False)
    report = engine.ingest([SAMPLE_CORPUS])
    assert not report.rejected, report.rejected
    return engine


@pytest.fixture
def write(tmp_path: Path):
    """Write a file under tmp_path/in and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


# Fixtures that load the model or build an index: a test using any of them is `slow`, so
# `make test-fast` (pytest -m "not slow") is the seconds-long inner loop. `make test` runs all.
_SLOW_FIXTURES = {"encoder", "engine", "sample_engine", "env"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
