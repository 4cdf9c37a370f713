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


POSTS = """
import sys
from config import Settings
from index.engine import Engine
engine = Engine(Settings(index_dir=sys.argv[1]))
for i in range(10_000):
    rid, _ = engine.libraries.post(
        "guild:9", 9, "Kit", "Base Film 1", 7, f"Post {sys.argv[2]}.{i}: lanterns on the pier."
    )
    print(rid, flush=True)
"""


def test_sigkill_during_a_members_review_keeps_every_review_posted_before(engine: Engine, write):
    """Killed while a member's review is being committed (its segment being written): every
    review whose post returned is there, the one in flight is there whole or not at all, and
    the next post sweeps what the killed one left."""
    base = [
        {"id": f"b{i}", "title": f"Base Film {i}", "text": f"A quiet {w} story."}
        for i, w in enumerate(WORDS[:3])
    ]
    engine.ingest([write("base.jsonl", "\n".join(json.dumps(r) for r in base))])
    root = engine.settings.index_dir
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    rng = random.Random(os.getpid())
    posted: list[str] = []
    for kill in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c", POSTS, str(root), str(kill)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        for _ in range(rng.randint(1, 4)):
            posted.append(proc.stdout.readline().strip())
        started = time.monotonic()  # the next commit in flight: its segment being written
        while not list((root / "segments").glob(".tmp-*")) and time.monotonic() - started < 60:
            time.sleep(0.0005)
        time.sleep(rng.uniform(0, 0.02))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        posted += [line.strip() for line in proc.stdout if line.strip()]  # returned before
        reopened = Engine(engine.settings, engine.encoder)
        mine = {r.review_id for r in reopened.libraries.reviews("guild:9")}
        assert set(posted) <= mine and len(mine - set(posted)) <= 1
        assert reopened.ask("a quiet storm story").hits
    after = Engine(engine.settings, engine.encoder)
    after.libraries.post("guild:9", 9, "Kit", "Base Film 2", 6, "One more, after the kills.")
    assert not list(root.glob("**/.tmp-*"))
    assert len(after.libraries.reviews("guild:9")) >= len(posted) + 1


MERGE = """
import sys
from pathlib import Path
from index.storage.faiss_vectors import FaissBackend
from index.storage.merges import merge
from index.storage.versions import IndexStore
backend = FaissBackend("Flat")
print(merge(IndexStore(Path(sys.argv[1]), backend), backend, everything=True), flush=True)
"""


def test_sigkill_during_a_merge_keeps_the_previous_version(tmp_path: Path):
    """Killed while a merge writes its segment (or publishes it): the live version is the one
    before, or the merged one, whole either way; the next commit sweeps the half-written
    merge and a merge then completes."""
    import hashlib

    import numpy as np

    from index.storage.faiss_vectors import FaissBackend
    from index.storage.merges import merge
    from index.storage.segments import segment_names
    from index.storage.versions import IndexStore, stored_reviews
    from index.types import Review

    store, backend = IndexStore(tmp_path / "index", FaissBackend("Flat")), FaissBackend("Flat")
    rng = np.random.default_rng(0)
    manifest = {"model": "test", "dim": 384, "passage_max_tokens": 200}

    def commit(start: int, n: int) -> None:
        vectors = rng.standard_normal((n, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        with store.lock():
            writer = store.begin(store.current())
            for i in range(start, start + n):
                words = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(12))
                review = Review(review_id=f"r{i:06d}", title=f"Film {i}", text=words)
                digest = hashlib.sha1(review.review_id.encode()).hexdigest()
                writer.add_review(review, f"film-{i}", digest, [words], vectors[i - start][None])
            if start:
                writer.delete_review(f"r{start - 1:06d}")
            writer.commit(dict(manifest), backend)

    for k in range(6):
        commit(k * 4000, 4000)
    before = store.current()
    assert before is not None and len(before.segments) == 6
    reviews = {r.review_id for r in stored_reviews(before)}
    proc = subprocess.Popen(
        [sys.executable, "-c", MERGE, str(tmp_path / "index")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    while not list((tmp_path / "index" / "segments").glob(".merge-*")) and proc.poll() is None:
        if time.monotonic() - started > 120:
            break
        time.sleep(0.0005)
    time.sleep(random.Random(os.getpid()).uniform(0, 0.3))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    live = store.current()
    assert live is not None
    assert live.name == before.name or len(live.segments) == 1  # before, or merged whole
    store.check(live)
    assert {r.review_id for r in stored_reviews(live)} == reviews
    commit(100_000, 1)  # the next writer sweeps what the killed merge left
    assert not list((tmp_path / "index" / "segments").glob(".merge-*"))
    assert set(segment_names(tmp_path / "index")) <= store.named_segments()
    assert merge(store, backend, everything=True) is not None
    assert len(store.current().segments) == 1
    assert {r.review_id for r in stored_reviews(store.current())} == reviews | {"r100000"}
