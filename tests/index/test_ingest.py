"""Incremental, idempotent ingestion with the real model and the real FAISS index."""

import json

import numpy as np
import pytest

from index.storage.versions import IndexBusy, IndexStore

TEXT = (
    "A lighthouse keeper on a remote island slowly loses his grip on reality during a long storm."
)


def jsonl(*records):
    return "\n".join(json.dumps(r) for r in records) + "\n"


def test_reingesting_the_same_input_changes_nothing_and_embeds_nothing(engine, write):
    path = write(
        "a.jsonl",
        jsonl(
            {"id": "1", "title": "The Lighthouse", "year": 2019, "text": TEXT},
            {"id": "2", "title": "Heat", "year": 1995, "text": "Bank robbers and a detective."},
        ),
    )
    first = engine.ingest([path])
    assert (first.added, first.passages_embedded) == (2, 2)
    version = engine.store.current_name()
    again = engine.ingest([path])
    assert (again.added, again.updated, again.unchanged, again.passages_embedded) == (0, 0, 2, 0)
    assert engine.store.current_name() == version  # no new version was written


def test_changed_review_replaces_its_old_version(engine, write):
    engine.ingest(
        [
            write(
                "a.jsonl",
                jsonl({"id": "1", "title": "The Lighthouse", "text": TEXT, "rating": "6/10"}),
            )
        ]
    )
    report = engine.ingest(
        [
            write(
                "a.jsonl",
                jsonl(
                    {
                        "id": "1",
                        "title": "The Lighthouse",
                        "text": TEXT + " Superb.",
                        "rating": "9/10",
                    }
                ),
            )
        ]
    )
    assert (report.added, report.updated, report.passages_embedded) == (0, 1, 1)
    stats = engine.stats()
    assert (stats["reviews"], stats["passages"]) == (1, 1)
    _, detail = engine.film("The Lighthouse")
    assert detail.reviews[0].rating == 9.0 and detail.reviews[0].text.endswith("Superb.")


def test_same_review_from_two_files_is_stored_once(engine, write):
    record = {"title": "The Lighthouse", "text": TEXT, "reviewer": "Ana"}
    engine.ingest([write("a.jsonl", jsonl(record))])
    report = engine.ingest([write("b.csv", f'title,text,reviewer\nThe Lighthouse,"{TEXT}",Ana\n')])
    assert report.added == 0 and report.unchanged + report.duplicates == 1
    assert engine.stats()["reviews"] == 1


def test_duplicate_content_under_another_id_is_reported_and_stored_once(engine, write):
    report = engine.ingest(
        [
            write(
                "a.jsonl",
                jsonl(
                    {"id": "1", "title": "X", "text": TEXT}, {"id": "2", "title": "X", "text": TEXT}
                ),
            )
        ]
    )
    assert (report.added, report.duplicates) == (1, 1)
    assert "stored once" in report.warnings[0].reason


def test_rejected_records_cost_nothing_already_indexed(engine, write):
    engine.ingest([write("good.jsonl", jsonl({"id": "1", "title": "Heat", "text": TEXT}))])
    report = engine.ingest(
        [
            write("bad.jsonl", "{oops\n" + jsonl({"id": "2", "title": "", "text": "x"})),
            write("empty.csv", ""),
        ]
    )
    assert report.added == 0 and len(report.rejected) == 3
    assert engine.stats()["reviews"] == 1
    assert engine.ask("lighthouse storm").hits[0].film.title == "Heat"


def test_reviews_without_a_year_join_the_one_film_of_that_title(engine, write):
    engine.ingest(
        [
            write(
                "a.jsonl",
                jsonl(
                    {"id": "1", "title": "Heat", "year": 1995, "text": TEXT},
                    {"id": "2", "title": "heat", "text": "Another take on it."},
                ),
            )
        ]
    )
    assert engine.stats()["films"] == 1


def test_passages_fit_the_model_window(engine, write, encoder):
    long_text = " ".join(
        f"Sentence number {i} talks about the film's use of colour and sound." for i in range(200)
    )
    engine.ingest([write("a.jsonl", jsonl({"id": "1", "title": "Long", "text": long_text}))])
    snap = engine.snapshot()
    texts = list(snap.passage_texts(list(range(snap.n_passages))).values())
    assert len(texts) > 5
    assert max(encoder.count_tokens(texts)) <= engine.settings.embedding.passage_max_tokens
    assert " ".join(texts) == long_text  # nothing lost, nothing repeated


def test_vectors_and_metadata_of_a_version_agree(engine, write):
    engine.ingest(
        [
            write(
                "a.jsonl",
                jsonl(
                    *(
                        {"id": str(i), "title": f"Film {i}", "text": f"{TEXT} Part {i}."}
                        for i in range(5)
                    )
                ),
            )
        ]
    )
    engine.ingest(
        [
            write(
                "a.jsonl",
                jsonl(
                    *(
                        {"id": str(i), "title": f"Film {i}", "text": f"{TEXT} Part {i} revised."}
                        for i in range(0, 5, 2)
                    )
                ),
            )
        ]
    )
    snap = engine.snapshot()
    indexed = sum(
        s.index.index.ntotal - len(s.part.deleted_ids) for s in snap.vector_index.segments
    )
    assert indexed == len(snap.vectors) == len(snap.passage_ids) == 5
    rows = snap.passage_texts(list(range(5)))
    fresh = engine.encoder.encode([rows[i] for i in range(5)])
    assert np.allclose(np.asarray(snap.vectors), fresh, atol=1e-4)


def test_a_second_writer_is_refused_while_one_holds_the_lock(engine, write):
    path = write("a.jsonl", jsonl({"id": "1", "title": "Heat", "text": TEXT}))
    with (
        IndexStore(engine.settings.index_dir).lock(),
        pytest.raises(IndexBusy, match="another ingest"),
    ):
        engine.ingest([path])


def test_failure_while_publishing_leaves_the_previous_version_live(engine, write, monkeypatch):
    engine.ingest([write("a.jsonl", jsonl({"id": "1", "title": "Heat", "text": TEXT}))])
    before = engine.store.current_name()

    def crash(self, tmp, manifest):
        raise OSError("disk full")

    monkeypatch.setattr(IndexStore, "_publish", crash)
    with pytest.raises(OSError, match="disk full"):
        engine.ingest(
            [write("b.jsonl", jsonl({"id": "2", "title": "Ronin", "text": "Car chases in Paris."}))]
        )
    monkeypatch.undo()
    assert engine.store.current_name() == before
    assert not list(engine.settings.index_dir.glob("**/.tmp-*"))
    assert [h.film.title for h in engine.ask("lighthouse").hits] == ["Heat"]


def test_an_index_type_too_big_for_the_corpus_falls_back_to_exact_and_says_so(
    tmp_path, encoder, write
):
    from index.engine import Engine
    from tests.conftest import live_store_records, make_settings

    settings = make_settings(tmp_path / "index")
    settings.search.faiss_factory = "IVF64,Flat"
    engine = Engine(settings, encoder)
    engine.ingest([write("a.jsonl", jsonl({"id": "1", "title": "Heat", "text": TEXT}))])
    (record,) = live_store_records(engine.settings.index_dir)
    assert (record["faiss_factory"], record["faiss_index"]) == ("IVF64,Flat", "IndexFlat")
    assert engine.snapshot().is_exact and engine.ask("lighthouse").hits


def test_a_passage_size_that_splits_nothing_differently_embeds_nothing_and_is_recorded(
    engine, write
):
    engine.ingest([write("a.jsonl", jsonl({"id": "1", "title": "Heat", "text": TEXT}))])
    engine.settings.embedding.passage_max_tokens = 64
    report = engine.ingest([])
    assert report.passages_embedded == 0  # one short sentence: the same passage at 64
    assert engine.store.current().manifest["passage_max_tokens"] == 64


def test_segments_are_written_without_a_journal_and_published_as_one_read_only_file(engine, write):
    import sqlite3

    from tests.conftest import live_segments

    engine.ingest(
        [write("a.jsonl", json.dumps({"title": "Quiet Harbour", "text": "Boats at dawn."}))]
    )
    (folder,) = live_segments(engine.settings.index_dir)
    assert not list(folder.glob("meta.sqlite-*"))  # no -wal, -shm or -journal beside it
    with sqlite3.connect(folder / "meta.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    (part,) = engine.snapshot().combined.parts
    assert part.segment.query("PRAGMA busy_timeout") == [(5000,)]
    writer = engine.store.begin(engine.store.current())
    try:  # a new segment is nobody's until it is fsynced and renamed: no journal to keep
        assert writer.segment.db.execute("PRAGMA journal_mode").fetchone()[0] == "off"
    finally:
        writer.abort()


LONG = " ".join(
    f"Scene {i} of the film follows the keeper up the winding stairs of the tower again, "
    "where the lamp must be lit before the storm reaches the rocks below the cliff."
    for i in range(12)
)


def store_settings(engine, store, tmp_path):
    if store == "faiss":
        return engine.settings
    return engine.settings.model_copy(
        update={
            "store": "qdrant",
            "qdrant": engine.settings.qdrant.model_copy(update={"path": tmp_path / "q"}),
        }
    )


@pytest.mark.parametrize("store", ["faiss", "qdrant"])
def test_a_rebuild_over_an_index_holding_the_same_reviews_starts_afresh_from_the_files(
    engine, write, encoder, tmp_path, store
):
    from index.engine import Engine

    engine = Engine(store_settings(engine, store, tmp_path), encoder)
    both = write(
        "a.jsonl",
        jsonl(
            {"id": "1", "title": "The Lighthouse", "year": 2019, "text": TEXT},
            {"id": "2", "title": "Heat", "year": 1995, "text": "Bank robbers and a detective."},
        ),
    )
    engine.ingest([both])
    engine.libraries.post("guild:7", 42, "Ana", "Heat (1995)", 9, "Robbers in Los Angeles.")
    one = write(
        "b.jsonl", jsonl({"id": "1", "title": "The Lighthouse", "year": 2019, "text": TEXT})
    )
    report = engine.ingest([one], rebuild=True)
    assert report.added == 1 and not report.rejected
    snap = engine.snapshot()
    assert sorted(snap.review_ids) == [
        "1",
        *[r for r in snap.review_ids if r.startswith("guild:7/")],
    ]
    assert len(snap.review_ids) == 2  # the base library is the files'; the server's is kept
    assert engine.ask("lighthouse keeper").hits[0].film.title == "The Lighthouse"
    assert engine.ask("robbers in los angeles", library="guild:7").hits[0].film.title == "Heat"
    again = engine.ingest([one], rebuild=True)  # and again, on the rebuilt one
    assert again.added == 1 and len(engine.snapshot().review_ids) == 2


@pytest.mark.parametrize("store", ["faiss", "qdrant"])
def test_a_changed_passage_size_re_embeds_exactly_the_passages_that_change(
    engine, write, encoder, tmp_path, store
):
    from index.engine import Engine
    from index.reading.passages import split_passages

    engine = Engine(store_settings(engine, store, tmp_path), encoder)
    path = write(
        "a.jsonl",
        jsonl(
            {"id": "short", "title": "Heat", "year": 1995, "text": "Bank robbers and a detective."},
            {"id": "long", "title": "The Lighthouse", "year": 2019, "text": LONG},
        ),
    )
    engine.ingest([path])
    before = engine.snapshot()
    old = {text: row for row, text in before.passage_texts(list(range(before.n_passages))).items()}
    old_vectors = {text: np.asarray(before.vectors[row]) for text, row in old.items()}
    engine.settings.embedding.passage_max_tokens = 64
    report = engine.ingest([path])  # the same file again: nothing new, only the new size
    new_texts = split_passages(
        "Bank robbers and a detective.", encoder.count_tokens, 64
    ) + split_passages(LONG, encoder.count_tokens, 64)
    changed = [t for t in new_texts if t not in old]
    assert changed and len(changed) < len(new_texts)  # some passages stay as they were
    assert report.passages_embedded == len(changed)
    assert (report.added, report.updated) == (0, 0)
    after = engine.snapshot()
    assert after.info.manifest["passage_max_tokens"] == 64
    rows = {text: row for row, text in after.passage_texts(list(range(after.n_passages))).items()}
    assert sorted(rows) == sorted(new_texts)
    kept = "Bank robbers and a detective."
    row = rows[kept]
    assert np.array_equal(np.asarray(after.vectors[row]), old_vectors[kept])  # not embedded again
    assert (
        engine.ask("keeper climbing the stairs of the tower").hits[0].film.title == "The Lighthouse"
    )
    assert engine.ingest([path]).passages_embedded == 0  # and then it is settled


PAGE_WITHOUT_YEAR = """Review: Paper Kites
By Sofia Marin
Paper Kites is a Romanian comedy about a retired maths teacher who enters a kite contest to annoy his neighbour.
The final contest on a windy hill is pure joy, and the two old men are wonderful together.
Rating: 4/5
"""


def test_a_page_without_a_year_is_kept_and_the_report_says_so(engine, write):
    report = engine.ingest([write("paper-kites.txt", PAGE_WITHOUT_YEAR)])
    assert not report.rejected and report.added == 1
    (warning,) = [w for w in report.warnings if "no year" in w.reason]
    assert "'Paper Kites'" in warning.reason and "kept" in warning.reason
    detail = engine.film("Paper Kites")[1]
    assert detail is not None and detail.film.year is None


def test_a_page_without_a_year_takes_the_catalogues_unique_film(engine, write):
    catalogue = write(
        "films.csv",
        "imdb_id,title,year,countries,genres,directors\n"
        ",Paper Kites,2019,RO,Comedy,Ioana Pop\n,Paper Moon,1973,US,Comedy,Peter Bogdanovich\n",
    )
    engine.import_catalogue([catalogue], tmdb=False)
    report = engine.ingest([write("paper-kites.txt", PAGE_WITHOUT_YEAR)])
    assert report.films["matched"] == 1
    assert not [w for w in report.warnings if "no year" in w.reason]
    film = engine.film("Paper Kites")[1].film
    assert (film.year, film.director) == (2019, "Ioana Pop")


def test_a_bare_year_that_belongs_to_the_title_is_found_in_the_catalogue(engine, write):
    catalogue = write(
        "films.csv",
        "imdb_id,title,year,countries,genres,directors\n,Northern Lights 1984,2020,NO,Drama,Ana Ruiz\n",
    )
    engine.import_catalogue([catalogue], tmdb=False)
    page = "Northern Lights 1984\nBy Lena Holm\n" + PAGE_WITHOUT_YEAR.split("\n", 2)[2]
    report = engine.ingest([write("lights.txt", page)])
    assert report.films["matched"] == 1
    film = engine.film("Northern Lights 1984")[1].film
    assert (film.title, film.year) == ("Northern Lights 1984", 2020)


THREE_FILMS = (
    {"id": "1", "title": "The Lighthouse", "year": 2019, "text": TEXT},
    {"id": "2", "title": "Heat", "year": 1995, "text": "Bank robbers and a detective."},
    {"id": "3", "title": "Alien", "year": 1979, "text": LONG},
)


def _engine_at(index_dir, int8: bool):
    """An engine on `index_dir` whose settings embed passages in int8 or float32."""
    from index.embedding.encoder import Encoder
    from index.engine import Engine
    from tests.conftest import make_settings

    settings = make_settings(index_dir)
    settings.embedding.quantized_passages = int8
    return Engine(settings, Encoder(settings.embedding))


def test_switching_passages_to_int8_re_embeds_every_passage_instead_of_mixing(tmp_path, write):
    def engine_with(int8: bool):
        return _engine_at(tmp_path / "index", int8)

    path = write("a.jsonl", jsonl(*THREE_FILMS))
    floats = engine_with(False)
    floats.ingest([path])
    before = floats.snapshot()
    assert before.info.manifest["precision"] == "float32"
    texts = before.passage_texts(list(range(before.n_passages)))
    old = {text: np.asarray(before.vectors[row]) for row, text in texts.items()}

    int8 = engine_with(True)
    report = int8.ingest([path])  # the same file: only the precision changed
    assert report.passages_embedded == len(old) and (report.added, report.updated) == (0, 0)
    assert any("embedded again" in note for note in report.notes)
    after = int8.snapshot()
    assert after.info.manifest["precision"] == "int8"
    assert len(after.combined.parts) == 1  # a fresh version: nothing of the float32 one kept
    new = {
        text: np.asarray(after.vectors[row])
        for row, text in after.passage_texts(list(range(after.n_passages))).items()
    }
    assert sorted(new) == sorted(old)
    cosine = np.array([float(new[t] @ old[t]) for t in old])
    assert (cosine < 0.99999).all() and (cosine > 0.97).all(), cosine  # close, not the same
    assert int8.ingest([path]).passages_embedded == 0  # and then it is settled

    # Commits that embed nothing carry the precision on: a member's review and its deletion.
    int8.libraries.post("guild:7", 42, "Ana", "Heat (1995)", 9, "Robbers in Los Angeles.")
    assert int8.libraries.delete("guild:7", user_id=42) == 1
    assert int8.store.current().manifest["precision"] == "int8"
    assert int8.ingest([path]).passages_embedded == 0

    # And back: float32 again re-embeds, to vectors equal to the first ones.
    floats = engine_with(False)
    assert floats.ingest([path]).passages_embedded == len(old)
    again = floats.snapshot()
    rows = again.passage_texts(list(range(again.n_passages)))
    for row, text in rows.items():
        assert np.allclose(np.asarray(again.vectors[row]), old[text], atol=1e-5)


def test_a_members_review_on_an_index_of_the_other_precision_is_embedded_as_the_index_was(
    tmp_path, write
):
    path = write("a.jsonl", jsonl(*THREE_FILMS))
    floats = _engine_at(tmp_path / "index", int8=False)
    floats.ingest([path])
    n = floats.snapshot().n_passages
    int8 = _engine_at(tmp_path / "index", int8=True)  # the settings changed since
    _, report = int8.libraries.post("guild:7", 42, "Ana", "Alien (1979)", 9, "Tense and dark.")
    assert report.passages_embedded == 1 and not report.notes  # not the whole index again
    live = int8.store.current()
    assert live.manifest["precision"] == "float32" and int8.stats()["precision"] == "float32"
    assert int8.snapshot().n_passages == n + 1
    expected = floats.encoder.encode(["Tense and dark."])[0]
    row = int8.snapshot().n_passages - 1
    assert np.allclose(np.asarray(int8.snapshot().vectors[row]), expected, atol=1e-5)
    assert int8.ingest([path]).passages_embedded == n + 1  # an ingest upgrades it, all of it
    assert int8.store.current().manifest["precision"] == "int8"


def test_an_index_written_before_precision_was_recorded_counts_as_float32(tmp_path, write):
    from index.embedding.encoder import Encoder
    from index.engine import Engine
    from tests.conftest import make_settings

    settings = make_settings(tmp_path / "index")
    settings.embedding.quantized_passages = False
    engine = Engine(settings, Encoder(settings.embedding))
    path = write("a.jsonl", jsonl({"id": "1", "title": "Heat", "year": 1995, "text": TEXT}))
    engine.ingest([path])
    live = engine.store.current()
    manifest_file = settings.index_dir / live.name / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    del manifest["precision"]
    manifest_file.write_text(json.dumps(manifest))
    assert "precision" not in engine.store.current().manifest
    assert engine.ingest([path]).passages_embedded == 0  # float32 then, float32 now
