"""An ingest killed with SIGKILL midway leaves the previous index answering."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from index.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
WORDS = ["storm", "harbour", "detective", "violin", "orchard", "desert", "train", "heist", "wedding", "ghost", "robot", "river", "prison", "circus", "mountain", "election", "chess", "volcano", "lighthouse", "garden"]  # fmt: skip


def review(i: int) -> dict:
    rng = random.Random(i)
    words = " ".join(rng.choice(WORDS) for _ in range(40))
    return {"id": f"big-{i}", "title": f"Generated Film {i}", "year": 1950 + i % 70,
            "text": f"Review {i}. The film is about {words}. It ends with a {rng.choice(WORDS)}."}  # fmt: skip


def test_sigkill_during_ingest_keeps_the_previous_index(engine: Engine, write):
    base = write("base.jsonl", "\n".join(json.dumps({"id": f"base-{i}", "title": f"Base Film {i}",
                                                     "text": f"A quiet {w} story, number {i}."})
                                         for i, w in enumerate(WORDS[:10])))  # fmt: skip
    engine.ingest([base])
    before = engine.store.current_name()
    big = write("big.jsonl", "\n".join(json.dumps(review(i)) for i in range(1500)))

    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CINEBOT_INDEX_DIR": str(engine.settings.index_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "index.cli", "ingest", str(big), "--json"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while not list(engine.settings.index_dir.glob(".tmp-*")):  # the writer has started
        assert proc.poll() is None, "ingest ended before it started writing"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(random.uniform(0.0, 1.0))
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    reopened = Engine(engine.settings, engine.encoder)
    assert reopened.store.current_name() == before
    assert reopened.stats()["reviews"] == 10
    for i in range(10):
        assert reopened.resolve_title(f"Base Film {i}").film is not None
    assert reopened.search("a quiet lighthouse story").hits

    report = reopened.ingest([base, big])  # re-running completes: nothing missing, nothing doubled
    assert (report.added, report.unchanged) == (1500, 10)
    assert not list(engine.settings.index_dir.glob(".tmp-*"))
    assert reopened.stats()["reviews"] == 1510
    again = reopened.ingest([base, big])
    assert (again.added, again.updated, again.passages_embedded) == (0, 0, 0)
