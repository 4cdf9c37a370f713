"""One contract, two vector stores: FAISS (embedded) and Qdrant (qdrant-client's local mode,
no server) give the same answers to the same questions on the sample corpus."""

import json
import shutil

import numpy as np
import pytest

from index.answering.masks import masks_for
from index.engine import Engine
from index.storage.faiss_vectors import FaissIndex
from index.storage.qdrant_vectors import QdrantIndex, client, payload_filter
from tests.conftest import make_settings

QUESTIONS = [
    "zombies on a train",
    "Korean action thrillers rated 8+",
    "French comedies from the 90s",
    "films about grief and the sea, not horror",
    "Japanese animated films",
    "British crime dramas rated at least 4 stars",
    "war films before 1990",
    "sci-fi or fantasy from Japan",
    "non-American dramas rated below 9 about families",
    "films by Bong Joon-ho",
    "starring Song Kang-ho",
    "a heist that goes wrong, after 2000",
    "musicals rated 9+",  # may be emptied: the relaxed answer must match too
    "Danish films not rated above 8",
]


@pytest.fixture(scope="module")
def backends(sample_engine, encoder, tmp_path_factory):
    """The session's FAISS index, and a copy of it moved to Qdrant by a plain ingest (the
    stored vectors fill the collection; nothing is embedded again)."""
    root = tmp_path_factory.mktemp("qdrant")
    shutil.copytree(sample_engine.settings.index_dir, root / "index")
    settings = make_settings(root / "index", store="qdrant", qdrant_path=root / "qdrant")
    qdrant = Engine(settings, encoder)
    report = qdrant.ingest([root / "nothing-new"])
    assert report.passages_embedded == 0
    return sample_engine, qdrant


def film_ids(result):
    return [h.film.film_id for h in result.hits]


@pytest.mark.parametrize("question", QUESTIONS)
def test_both_stores_answer_alike(backends, question):
    faiss_engine, qdrant_engine = backends
    assert isinstance(qdrant_engine.snapshot().vector_index, QdrantIndex)
    assert isinstance(faiss_engine.snapshot().vector_index, FaissIndex)
    ours, theirs = faiss_engine.search(question, limit=10), qdrant_engine.search(question, limit=10)
    assert film_ids(theirs) == film_ids(ours)
    assert theirs.total == ours.total and theirs.relaxed == ours.relaxed
    for a, b in zip(ours.hits, theirs.hits, strict=True):
        assert a.score == pytest.approx(b.score, abs=1e-4)


@pytest.mark.parametrize("title", ["Oldboy", "Spirited Away", "Amélie"])
def test_both_stores_find_the_same_similar_films(backends, title):
    faiss_engine, qdrant_engine = backends
    _, ours = faiss_engine.similar(title, limit=8)
    _, theirs = qdrant_engine.similar(title, limit=8)
    assert film_ids(theirs) == film_ids(ours) and title not in [h.film.title for h in theirs.hits]


def test_new_versions_get_new_collections_and_old_ones_are_dropped(backends, write):
    _, qdrant_engine = backends
    settings = qdrant_engine.settings
    location = client(None, str(settings.qdrant_path))
    for i in range(3):
        path = write(f"new{i}.jsonl", json.dumps({"id": f"q{i}", "title": f"Harbour Lights {i}",
                                                  "text": f"A lighthouse keeper and a storm, night {i}."}))  # fmt: skip
        qdrant_engine.ingest([path])
        qdrant_engine.snapshot()  # a serving engine moves on to the new version
    names = {c.name for c in location.get_collections().collections}
    live = qdrant_engine.snapshot().info.manifest["qdrant_collection"]
    assert live in names and len(names) == 2  # the live version and the one before it
    hit = qdrant_engine.search("a lighthouse keeper and a storm").hits[0]
    assert hit.film.title.startswith("Harbour Lights")


def test_an_index_without_a_collection_says_how_to_fill_one(sample_engine, encoder, tmp_path):
    shutil.copytree(sample_engine.settings.index_dir, tmp_path / "index")
    settings = make_settings(tmp_path / "index", store="qdrant", qdrant_path=tmp_path / "q")
    with pytest.raises(Exception, match=r"store=faiss.*cinebot ingest"):
        Engine(settings, encoder).search("anything")


def test_a_faiss_engine_on_a_qdrant_only_index_says_how_to_build_one(backends, encoder, tmp_path):
    _, qdrant_engine = backends
    shutil.copytree(qdrant_engine.settings.index_dir, tmp_path / "index")
    with pytest.raises(Exception, match=r"store=qdrant.*cinebot ingest.*store=faiss"):
        Engine(make_settings(tmp_path / "index"), encoder).search("anything")
    # and a plain ingest with store=faiss builds it from the stored vectors
    report = Engine(make_settings(tmp_path / "index"), encoder).ingest([tmp_path / "none"])
    assert report.passages_embedded == 0
    assert Engine(make_settings(tmp_path / "index"), encoder).search("zombies on a train").hits


def test_payload_filters_select_the_same_rows_as_the_masks(backends):
    """Every filter kind, and leaving one film out (for "similar"), selects exactly the
    passage rows the mask allows: the two forms of one Selection agree."""
    _, qdrant_engine = backends
    snap = qdrant_engine.snapshot()
    store: QdrantIndex = snap.vector_index
    oldboy = snap.titles.resolve("Oldboy").film
    assert oldboy is not None
    for question in QUESTIONS:
        filters = qdrant_engine.parse(question).filters
        allowed = masks_for(snap, filters).passages
        for exclude in (None, oldboy.film_id):
            rows = allowed & (snap.passage_film != snap.film_row[exclude]) if exclude else allowed
            points, _ = store.client.scroll(store.collection, limit=100_000, with_payload=False,
                                            scroll_filter=payload_filter(filters, exclude))  # fmt: skip
            assert sorted(int(p.id) for p in points) == np.flatnonzero(rows).tolist(), question


# ---------------------------------------------------------------------- tenants
SERVERS = ("guild:1", "guild:2")


@pytest.fixture(scope="module")
def tenant_backends(sample_engine, encoder, tmp_path_factory):
    """The sample index with an upload in each of two servers' libraries, in both stores."""
    root = tmp_path_factory.mktemp("tenants")
    shutil.copytree(sample_engine.settings.index_dir, root / "faiss")
    faiss_engine = Engine(make_settings(root / "faiss"), encoder)
    for n, server in enumerate(SERVERS):
        path = root / f"{n}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in [
            {"id": "1", "title": f"Quiet Harbour {n}", "year": 2020 + n, "rating": 8 + n,
             "countries": ["KR"], "genres": ["Thriller", "Action"],
             "text": f"A harbour pilot hunts a smuggler through the fog, season {n}."},
            {"id": "2", "title": "Train to Busan", "year": 2016, "rating": 4 + n,
             "text": f"Server {n} thinks the carriage fights drag on."}]), encoding="utf-8")  # fmt: skip
        assert faiss_engine.ingest([path], library=server).added == 2
    shutil.copytree(root / "faiss", root / "qdrant-index")
    settings = make_settings(root / "qdrant-index", store="qdrant", qdrant_path=root / "qdrant")
    qdrant_engine = Engine(settings, encoder)
    assert qdrant_engine.ingest([root / "nothing-new"]).passages_embedded == 0
    return faiss_engine, qdrant_engine


@pytest.mark.parametrize("place", [None, *SERVERS])
@pytest.mark.parametrize(
    "question",
    [
        "Korean action thrillers rated 8+",
        "a pilot hunting a smuggler in the fog",
        "zombies on a train",
        "thrillers after 2015 rated 9+",
    ],
)
def test_both_stores_apply_the_tenant_filter_alike(tenant_backends, place, question):
    faiss_engine, qdrant_engine = tenant_backends
    ours = faiss_engine.search(question, limit=10, library=place)
    theirs = qdrant_engine.search(question, limit=10, library=place)
    assert film_ids(theirs) == film_ids(ours)
    for a, b in zip(ours.hits, theirs.hits, strict=True):
        assert a.score == pytest.approx(b.score, abs=1e-4)
        assert [r.review_id for r in a.reviews] == [r.review_id for r in b.reviews]
    servers = {r.review_id.split("/")[0] for h in ours.hits for r in h.reviews} - {"base"}
    assert {s for s in servers if s.startswith("guild:")} <= {place}


def test_tenant_payload_filters_select_the_same_rows_as_the_masks(tenant_backends):
    _, qdrant_engine = tenant_backends
    snap = qdrant_engine.snapshot()
    store: QdrantIndex = snap.vector_index
    for place in (None, *SERVERS):
        libraries = ("base", place) if place else ("base",)
        for question in QUESTIONS[:6]:
            filters = qdrant_engine.parse(question).filters
            rows = masks_for(snap, filters, place).passages
            points, _ = store.client.scroll(store.collection, limit=100_000, with_payload=False,
                                            scroll_filter=payload_filter(filters, None, libraries))  # fmt: skip
            assert sorted(int(p.id) for p in points) == np.flatnonzero(rows).tolist(), (
                place,
                question,
            )
