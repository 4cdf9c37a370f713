"""A version is segments plus deletion masks: a member's review writes its own segment and a
manifest, nothing else; a deleted review's words leave the disk at the next merge of its
segment, and at once with purge-user."""

import json
from pathlib import Path

from index.engine import Engine
from tests.conftest import live_segments, live_store_records, make_settings

A = "guild:1"
FERRY = {
    "id": "f1",
    "title": "Harbour of Lanterns",
    "year": 2019,
    "rating": 8,
    "text": "A ferry captain keeps the harbour lanterns lit through a winter of storms.",
}


def listing(*folders: Path) -> dict[str, tuple[int, int, int]]:
    found = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                stat = path.stat()
                found[str(path)] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return found


def holding(folder: Path, word: str) -> list[str]:
    """The files under `folder` whose bytes contain `word`."""
    needle = word.encode("utf-8")
    return [str(p) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_members_review_writes_its_segment_and_a_manifest_and_nothing_else(engine, write):
    engine.ingest([write("base.jsonl", json.dumps(FERRY))])
    engine.merges.background = False
    root = engine.settings.index_dir
    before = listing(root)
    engine.libraries.post(A, 7, "Ann", "Harbour of Lanterns", 9, "The lanterns at dusk.")
    after = listing(root)
    live = root / (root / "CURRENT").read_text().strip()
    new_segment = live_segments(root)[-1]
    for path, stat in before.items():  # nothing written again; only old versions collected
        assert after.get(path, stat) == stat or path == str(root / "CURRENT"), path
        assert path in after or Path(path).relative_to(root).parts[0].startswith("v0"), path
    for path in set(after) - set(before):
        assert Path(path).is_relative_to(new_segment) or Path(path).is_relative_to(live), path
    assert engine.libraries.reviews(A)[0].text == "The lanterns at dusk."


def test_a_deleted_reviews_words_leave_the_disk_at_the_merge_of_its_segment(engine, write):
    engine.ingest([write("base.jsonl", json.dumps(FERRY))])
    engine.merges.background = False
    rid, _ = engine.libraries.post(A, 7, "Ann", "Harbour of Lanterns", 9, "Quixotically zebroid.")
    root = engine.settings.index_dir
    assert holding(root, "zebroid")
    assert engine.libraries.delete(A, [rid]) == 1
    found = engine.ask("quixotically zebroid", library=A).hits
    assert rid not in {review.review_id for hit in found for review in hit.reviews}
    assert holding(root, "zebroid")  # still in its segment, which an older version names
    engine.merges.expunge(lambda: engine.refresh(now=True))
    assert holding(root, "zebroid") == []
    assert engine.ask("a ferry captain").hits[0].film.title == "Harbour of Lanterns"


def test_purge_user_takes_their_words_off_the_disk_at_once(encoder, tmp_path, write):
    settings = make_settings(
        tmp_path / "index", store="qdrant", qdrant={"path": tmp_path / "q", "shard_min_passages": 1}
    )
    engine = Engine(settings, encoder)
    engine.ingest([write("base.jsonl", json.dumps(FERRY))])
    engine.merges.background = False
    engine.libraries.post(A, 7, "Ann", "Harbour of Lanterns", 9, "Quixotically zebroid.")
    engine.libraries.post(A, 8, "Bo", "Harbour of Lanterns", 6, "Plainly fine.")
    engine.ingest(  # a bigger segment (with a shard) holding one of Ann's reviews
        [
            write(
                "more.jsonl",
                "\n".join(
                    json.dumps({"id": f"m{i}", "title": f"Film {i}", "text": f"Night {i}."})
                    for i in range(5)
                ),
            )
        ],
        library=A,
    )
    engine.libraries.post(A, 7, "Ann", "Film 3", 7, "Zebroid again, in a second review.")
    assert holding(tmp_path / "index", "ebroid")
    engine.libraries.purge_member(7)
    assert holding(tmp_path / "index", "ebroid") == []
    # Their vectors too: every segment left with a deletion was written again (and its shard
    # built again without them), and no shard outside the live segments' is kept.
    entries = json.loads(
        (
            tmp_path
            / "index"
            / (tmp_path / "index" / "CURRENT").read_text().strip()
            / "manifest.json"
        ).read_text()
    )["segments"]
    assert all("deletes" not in entry for entry in entries)
    named = {r.get("qdrant_shard") for r in live_store_records(tmp_path / "index")} - {None}
    assert named and {p.name for p in (tmp_path / "q").iterdir()} == named
    assert [r.text for r in engine.libraries.reviews(A) if r.user_id] == ["Plainly fine."]
    assert engine.ask("plainly fine", library=A).hits
