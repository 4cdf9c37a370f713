"""Another process re-indexing: searches here keep answering from the old or the new version,
never an error, and a second re-index at the same time is refused with a clear message."""

import json
import os
import subprocess
import sys
from pathlib import Path

from index.engine import Engine

ROOT = Path(__file__).resolve().parents[3]


def ingest_process(index_dir: Path, path: Path, log: Path | None = None) -> subprocess.Popen:
    """`log`: where its output goes (a file: a long ingest never waits on a full pipe)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CINEBOT_INDEX_DIR": str(index_dir)}
    out = subprocess.PIPE if log is None else log.open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.terminal.cli", "ingest", str(path), "--json"],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=out if log is not None else subprocess.PIPE,
        text=True,
    )


def test_searches_answer_throughout_another_process_reindexing(engine: Engine, write):
    base = write(
        "base.jsonl",
        "\n".join(
            json.dumps(
                {
                    "id": f"b{i}",
                    "title": f"Harbour Film {i}",
                    "text": f"A storm over the harbour, part {i}.",
                }
            )
            for i in range(5)
        ),
    )
    engine.ingest([base])
    first = engine.store.current_name()
    more = write(
        "more.jsonl",
        "\n".join(
            json.dumps(
                {
                    "id": f"m{i}",
                    "title": f"Lighthouse Film {i}",
                    "text": f"A keeper alone in a lighthouse, night {i}. " * 8,
                }
            )
            for i in range(300)  # seconds of embedding: searches run meanwhile
        ),
    )
    log = engine.settings.index_dir.parent / "writer.log"
    writer = ingest_process(engine.settings.index_dir, more, log)
    versions, answers = set(), 0
    while writer.poll() is None:
        result = engine.ask("a storm over the harbour")
        assert result.hits  # from the old version or the new one, never an error
        versions.add(engine.snapshot().name)
        answers += 1
    assert writer.returncode == 0, log.read_text()
    # A second writer while one holds the lock (here this process, as long as it needs: a
    # real ingest may finish before a second process has even started) is refused.
    with engine.store.lock():
        second = ingest_process(engine.settings.index_dir, more)
        _, err = second.communicate(timeout=120)
    assert second.returncode != 0
    assert "another ingest is writing" in err and "Traceback" not in err
    result = engine.ask("a keeper alone in a lighthouse")
    assert result.hits[0].film.title.startswith("Lighthouse Film")
    assert engine.store.current_name() != first and answers > 0
    assert first in versions  # searches ran while the old version was live
