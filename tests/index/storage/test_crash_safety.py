"""An ingest killed with SIGKILL at random points leaves the previous index answering, and a
re-run completes with nothing missing and nothing doubled. CINEBOT_LONG_TESTS=1 kills 20 times."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from index.engine import Engine

ROOT = Path(__file__).resolve().parents[3]
KILLS = 20 if os.environ.get("CINEBOT_LONG_TESTS") else 2
WORDS = [
    "storm",
    "harbour",
    "detective",
    "violin",
    "orchard",
    "desert",
    "train",
    "heist",
    "wedding",
    "ghost",
    "robot",
    "river",
    "prison",
    "circus",
    "mountain",
    "election",
    "chess",
    "volcano",
    "lighthouse",
    "garden",
]


def review(i: int) -> dict:
    rng = random.Random(i)
    words = " ".join(rng.choice(WORDS) for _ in range(40))
    return {
        "id": f"big-{i}",
        "title": f"Generated Film {i}",
        "year": 1950 + i % 70,
        "text": f"Review {i}. The film is about {words}. It ends with a {rng.choice(WORDS)}.",
    }


def kill_ingest_at_random(index_dir: Path, path: Path, rng: random.Random, mid_write: bool) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CINEBOT_INDEX_DIR": str(index_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.terminal.cli", "ingest", str(path), "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    if mid_write:  # wait for the writer's folder, then kill during embedding or publishing
        while (
            not list(index_dir.glob("**/.tmp-*"))
            and proc.poll() is None
            and time.monotonic() - started < 120
        ):
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 1.5))
    else:  # anywhere from start-up on
        time.sleep(rng.uniform(0.5, 8.0))
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_sigkill_during_ingest_keeps_the_previous_index(engine: Engine, write):
    base = write(
        "base.jsonl",
        "\n".join(
            json.dumps(
                {
                    "id": f"base-{i}",
                    "title": f"Base Film {i}",
                    "text": f"A quiet {w} story, number {i}.",
                }
            )
            for i, w in enumerate(WORDS[:10])
        ),
    )
    engine.ingest([base])
    before = engine.store.current_name()
    big = write("big.jsonl", "\n".join(json.dumps(review(i)) for i in range(1500)))
    rng = random.Random(os.getpid())

    for kill in range(KILLS):
        kill_ingest_at_random(engine.settings.index_dir, big, rng, mid_write=kill % 2 == 0)
        reopened = Engine(engine.settings, engine.encoder)
        current = reopened.store.current_name()
        stats = reopened.stats()
        if current == before:
            assert stats["reviews"] == 10
        else:  # the kill came after the new version was published: it is complete
            assert stats["reviews"] == 1510
        for i in range(10):
            assert reopened.resolve_title(f"Base Film {i}").film is not None
        assert reopened.ask("a quiet lighthouse story").hits

    report = Engine(engine.settings, engine.encoder).ingest([base, big])
    assert report.added + report.unchanged == 1510 and report.updated == 0
    final = Engine(engine.settings, engine.encoder)
    assert final.stats()["reviews"] == 1510
    assert not list(engine.settings.index_dir.glob("**/.tmp-*"))
    again = final.ingest([base, big])
    assert (again.added, again.updated, again.passages_embedded) == (0, 0, 0)


def test_sigkill_while_a_qdrant_shard_is_built_leaves_nothing_the_next_ingest_keeps(
    tmp_path: Path, encoder, write
):
    """With Qdrant's engine, the kill lands while the new version's shard is written (the
    moment it appears): the previous version answers, and the next ingest sweeps the shard no
    version names."""
    from tests.conftest import make_settings

    settings = make_settings(
        tmp_path / "index", store="qdrant", qdrant={"path": tmp_path / "q", "shard_min_passages": 1}
    )
    engine = Engine(settings, encoder)
    engine.ingest([write("base.jsonl", "\n".join(json.dumps(review(i)) for i in range(10)))])
    before = engine.store.current_name()
    shards = {p.name for p in (tmp_path / "q").iterdir()}
    big = write("big.jsonl", "\n".join(json.dumps(review(i)) for i in range(10, 400)))
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "CINEBOT_INDEX_DIR": str(tmp_path / "index"),
        "CINEBOT_STORE": "qdrant",
        "CINEBOT_QDRANT__PATH": str(tmp_path / "q"),
        "CINEBOT_QDRANT__SHARD_MIN_PASSAGES": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.terminal.cli", "ingest", str(big)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < 300:
        if {p.name for p in (tmp_path / "q").iterdir()} - shards:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.001)
    proc.wait()
    assert proc.returncode in (0, -signal.SIGKILL)  # killed, or done first; never refused
    reopened = Engine(settings, encoder)
    published = reopened.store.current_name() != before
    assert reopened.stats()["reviews"] == (400 if published else 10)
    assert reopened.ask("a storm at the harbour").hits
    report = Engine(settings, encoder).ingest([big])
    assert report.added + report.unchanged == 390
    named = {
        json.loads(m.read_text())["store"].get("qdrant_shard")
        for m in (tmp_path / "index").glob("segments/s*/segment.json")
    } - {None}
    assert {p.name for p in (tmp_path / "q").iterdir()} == named
