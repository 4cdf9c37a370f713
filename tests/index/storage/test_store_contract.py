"""One contract, two vector stores: FAISS and Qdrant's own engine (qdrant-edge, embedded)
give the same answers to the same questions on the sample corpus. The server store's code
(qdrant-client) is held to the same filters through qdrant-client's local mode."""

import json
import shutil

import numpy as np
import pytest

from config import QdrantSettings
from index.engine import Engine
from index.knowledge.filters import masks as masks_for
from index.storage import qdrant_edge_vectors as edge
from index.storage.faiss_vectors import FaissIndex
from index.storage.qdrant_edge_vectors import EdgeIndex
from index.storage.qdrant_payloads import passage_payloads, where
from index.storage.qdrant_vectors import QdrantIndex, payload_filter
from index.storage.vectors import Selection
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
    "Korean films without Song Kang-ho",  # an excluded person: neither directing nor acting
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
    settings = make_settings(root / "index", store="qdrant", qdrant={"path": root / "qdrant"})
    qdrant = Engine(settings, encoder)
    report = qdrant.ingest([root / "nothing-new"])
    assert report.passages_embedded == 0
    return sample_engine, qdrant


def film_ids(result):
    return [h.film.film_id for h in result.hits]


@pytest.mark.parametrize("question", QUESTIONS)
def test_both_stores_answer_alike(backends, question):
    faiss_engine, qdrant_engine = backends
    assert isinstance(qdrant_engine.snapshot().vector_index, EdgeIndex)
    assert isinstance(faiss_engine.snapshot().vector_index, FaissIndex)
    ours, theirs = faiss_engine.ask(question, limit=10), qdrant_engine.ask(question, limit=10)
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


def shards(settings):
    return {p.name for p in settings.qdrant.path.iterdir()}


def test_new_versions_get_new_shards_and_old_ones_are_dropped(backends, write):
    _, qdrant_engine = backends
    settings = qdrant_engine.settings
    for i in range(3):
        path = write(
            f"new{i}.jsonl",
            json.dumps(
                {
                    "id": f"q{i}",
                    "title": f"Harbour Lights {i}",
                    "text": f"A lighthouse keeper and a storm, night {i}.",
                }
            ),
        )
        qdrant_engine.ingest([path])
        qdrant_engine.snapshot()  # a serving engine moves on to the new version
    names = shards(settings)
    live = qdrant_engine.snapshot().info.manifest["qdrant_shard"]
    assert live in names and len(names) == 2  # the live version and the one before it
    hit = qdrant_engine.ask("a lighthouse keeper and a storm").hits[0]
    assert hit.film.title.startswith("Harbour Lights")


def test_a_crashed_ingests_shard_is_swept_at_the_next_ingest(backends, write):
    _, qdrant_engine = backends
    settings = qdrant_engine.settings
    orphan = settings.qdrant.path / f"cinebot_{'ab' * 16}"  # as a writer that died leaves it
    shutil.copytree(
        settings.qdrant.path / qdrant_engine.snapshot().info.manifest["qdrant_shard"], orphan
    )
    theirs = settings.qdrant.path / f"cinebot_other_{'cd' * 16}"  # another prefix's: not ours
    theirs.mkdir()
    qdrant_engine.ingest(
        [
            write(
                "late.jsonl",
                json.dumps(
                    {"id": "late", "title": "Late Tide", "text": "A ferry crossing at dawn."}
                ),
            )
        ]
    )
    assert not orphan.exists() and theirs.is_dir()
    live = qdrant_engine.snapshot().info.manifest["qdrant_shard"]
    assert live in shards(settings)


def test_an_index_without_a_collection_says_how_to_fill_one(sample_engine, encoder, tmp_path):
    shutil.copytree(sample_engine.settings.index_dir, tmp_path / "index")
    settings = make_settings(tmp_path / "index", store="qdrant", qdrant={"path": tmp_path / "q"})
    with pytest.raises(Exception, match=r"store=faiss.*cinebot ingest"):
        Engine(settings, encoder).ask("anything")


def test_a_faiss_engine_on_a_qdrant_only_index_says_how_to_build_one(backends, encoder, tmp_path):
    _, qdrant_engine = backends
    shutil.copytree(qdrant_engine.settings.index_dir, tmp_path / "index")
    with pytest.raises(Exception, match=r"store=qdrant.*cinebot ingest.*store=faiss"):
        Engine(make_settings(tmp_path / "index"), encoder).ask("anything")
    # and a plain ingest with store=faiss builds it from the stored vectors
    report = Engine(make_settings(tmp_path / "index"), encoder).ingest([tmp_path / "none"])
    assert report.passages_embedded == 0
    assert Engine(make_settings(tmp_path / "index"), encoder).ask("zombies on a train").hits


@pytest.fixture(scope="module")
def client_store(backends, tmp_path_factory):
    """The server store's code on the same version, through qdrant-client's local mode."""
    _, qdrant_engine = backends
    snap = qdrant_engine.snapshot()
    settings = QdrantSettings(path=tmp_path_factory.mktemp("client"))
    store = QdrantIndex(settings, "cinebot_contract")
    store.fill(np.asarray(snap.vectors), passage_payloads(snap.info.path / "meta.sqlite"))
    return store


def edge_rows(
    store: EdgeIndex, filters, exclude=None, libraries=None, changed=((), ())
) -> list[int]:
    q = edge.edge()
    condition = edge.spelling()(where(filters, exclude, libraries, *changed))
    points, _ = store.shard.scroll(
        q.ScrollRequest(limit=100_000, filter=condition, with_payload=False)
    )
    return np.searchsorted(store.ids, sorted(int(p.id) for p in points)).tolist()  # ids: rows


def client_rows(store: QdrantIndex, filters, exclude=None, libraries=None) -> list[int]:
    points, _ = store.client.scroll(
        store.collection,
        limit=100_000,
        with_payload=False,
        scroll_filter=payload_filter(filters, exclude, libraries),
    )
    return sorted(int(p.id) for p in points)


@pytest.mark.parametrize("spelling", ["edge", "client"])
def test_payload_filters_select_the_same_rows_as_the_masks(backends, client_store, spelling):
    """Every filter kind, and leaving one film out (for "similar"), selects exactly the
    passage rows the mask allows, on the embedded engine and through qdrant-client."""
    _, qdrant_engine = backends
    snap = qdrant_engine.snapshot()
    oldboy = snap.titles.resolve("Oldboy").film
    assert oldboy is not None
    for question in QUESTIONS:
        filters = qdrant_engine.parse(question).filters
        allowed = masks_for(snap, filters).passages
        for exclude in (None, oldboy.film_id):
            rows = allowed & (snap.passage_film != snap.film_row[exclude]) if exclude else allowed
            if spelling == "edge":
                found = edge_rows(snap.vector_index, filters, exclude)
            else:
                found = client_rows(client_store, filters, exclude)
            assert found == np.flatnonzero(rows).tolist(), question


def test_the_server_store_searches_like_the_engine(backends, client_store, encoder):
    """qdrant-client's code path (fill, filter, search) returns the embedded engine's rows."""
    _, qdrant_engine = backends
    snap = qdrant_engine.snapshot()
    for question in QUESTIONS:
        parsed = qdrant_engine.parse(question)
        selection = Selection(masks_for(snap, parsed.filters).passages, parsed.filters)
        if selection.count == 0:
            continue
        query = encoder.encode_query(parsed.semantic or question)
        k = min(10, selection.count)
        ours = snap.vector_index.search(query, k, selection)
        theirs = client_store.search(query, k, selection)
        assert theirs[1].tolist() == ours[1].tolist(), question
        assert theirs[0] == pytest.approx(ours[0], abs=1e-4)


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
        path.write_text(
            "".join(
                json.dumps(r) + "\n"
                for r in [
                    {
                        "id": "1",
                        "title": f"Quiet Harbour {n}",
                        "year": 2020 + n,
                        "rating": 8 + n,
                        "countries": ["KR"],
                        "genres": ["Thriller", "Action"],
                        "text": f"A harbour pilot hunts a smuggler through the fog, season {n}.",
                    },
                    {
                        "id": "2",
                        "title": "Train to Busan",
                        "year": 2016,
                        "rating": 4 + n,
                        "text": f"Server {n} thinks the carriage fights drag on.",
                    },
                ]
            ),
            encoding="utf-8",
        )
        assert faiss_engine.ingest([path], library=server).added == 2
    shutil.copytree(root / "faiss", root / "qdrant-index")
    settings = make_settings(
        root / "qdrant-index", store="qdrant", qdrant={"path": root / "qdrant"}
    )
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
    ours = faiss_engine.ask(question, limit=10, library=place)
    theirs = qdrant_engine.ask(question, limit=10, library=place)
    assert film_ids(theirs) == film_ids(ours)
    for a, b in zip(ours.hits, theirs.hits, strict=True):
        assert a.score == pytest.approx(b.score, abs=1e-4)
        assert [r.review_id for r in a.reviews] == [r.review_id for r in b.reviews]
    servers = {r.review_id.split("/")[0] for h in ours.hits for r in h.reviews} - {"base"}
    assert {s for s in servers if s.startswith("guild:")} <= {place}


def test_tenant_payload_filters_select_the_same_rows_as_the_masks(tenant_backends):
    """Each server sees its own films' facts (its reviews fill what everyone's lack): the
    payload conditions, told which films pass there otherwise, select what the masks do."""
    _, qdrant_engine = tenant_backends
    snap = qdrant_engine.snapshot()
    told_apart = 0
    for place in (None, *SERVERS):
        libraries = ("base", place) if place else ("base",)
        facts = snap.facts(place)
        for question in [*QUESTIONS[:6], "Korean thrillers", "not Korean"]:
            filters = qdrant_engine.parse(question).filters
            rows = masks_for(facts, filters, place).passages
            changed = facts.changed(filters)
            told_apart += bool(changed[0] or changed[1])
            found = edge_rows(snap.vector_index, filters, None, libraries, changed)
            assert found == np.flatnonzero(rows).tolist(), (place, question)
    assert told_apart  # the servers' own films were seen otherwise, somewhere


# ---------------------------------------------------------------------- growing
@pytest.fixture
def pair(sample_engine, encoder, tmp_path):
    """Two copies of the sample index, one on each store, to be changed alike."""
    shutil.copytree(sample_engine.settings.index_dir, tmp_path / "faiss")
    shutil.copytree(sample_engine.settings.index_dir, tmp_path / "qdrant-index")
    settings = make_settings(
        tmp_path / "qdrant-index", store="qdrant", qdrant={"path": tmp_path / "qdrant"}
    )
    qdrant_engine = Engine(settings, encoder)
    qdrant_engine.ingest([tmp_path / "nothing-new"])
    return Engine(make_settings(tmp_path / "faiss"), encoder), qdrant_engine


def test_each_commit_grows_the_previous_shard_and_still_answers_like_faiss(pair, tmp_path):
    """New reviews, a member's review, deleting reviews and a catalogue that refiles and
    re-describes films: each a copy of the previous shard changed by the difference (no new
    graph), answering as FAISS does and filtering as the masks do."""
    faiss_engine, qdrant_engine = pair
    reviews = tmp_path / "new.jsonl"
    reviews.write_text(
        "".join(
            json.dumps(r) + "\n"
            for r in [
                {
                    "id": "g1",
                    "title": "Oldboy",
                    "year": 2003,
                    "rating": 6,
                    "text": "The corridor fight is the reason to watch, the twist less so.",
                },
                {
                    "id": "g2",
                    "title": "Salt Marsh",
                    "year": 2021,
                    "rating": 8,
                    "countries": ["DK"],
                    "genres": ["Drama"],
                    "text": "A birdwatcher and her estranged son on a tidal island.",
                },
            ]
        ),
        encoding="utf-8",
    )
    catalogue = tmp_path / "films.csv"
    catalogue.write_text(
        "imdb_id,title,year,countries,genres,directors,cast,runtime_minutes,languages,poster_url\n"
        ",Salt Marsh,2021,DK|SE,Drama|Family,Ida Holm,Sofie Lund,97,da,\n",
        encoding="utf-8",
    )
    steps = {
        "ingest": lambda e: e.ingest([reviews]),
        "member review": lambda e: e.libraries.post(
            "guild:1", 42, "Mina", "Salt Marsh", 9, "The tide scenes are quietly frightening."
        ),
        "delete": lambda e: e.libraries.delete(library="guild:1", user_id=42),
        "catalogue": lambda e: e.import_catalogue([catalogue], tmdb=False),
    }
    questions = [*QUESTIONS[:6], "Danish family dramas", "a birdwatcher on an island"]
    for step, change in steps.items():
        change(faiss_engine)
        change(qdrant_engine)
        snap = qdrant_engine.snapshot()
        assert snap.info.manifest.get("qdrant_grown_from"), step
        for question in questions:
            for place in (None, "guild:1"):
                ours = faiss_engine.ask(question, limit=10, library=place)
                theirs = qdrant_engine.ask(question, limit=10, library=place)
                assert film_ids(theirs) == film_ids(ours), (step, question, place)
            filters = qdrant_engine.parse(question).filters
            for place, libraries in ((None, ("base",)), ("guild:1", ("base", "guild:1"))):
                wanted = np.flatnonzero(masks_for(snap, filters, place).passages).tolist()
                found = edge_rows(snap.vector_index, filters, None, libraries)
                assert found == wanted, (step, question, place)


def test_the_server_store_sweeps_collections_no_version_names(tmp_path):
    """A crashed ingest's collection (ours, named by no manifest) goes; the live one and
    another prefix's stay."""
    from index.storage.qdrant_vectors import QdrantBackend

    backend = QdrantBackend(QdrantSettings(path=tmp_path / "local"))
    vectors = np.eye(4, 384, dtype=np.float32)
    live, crashed = f"cinebot_{'1' * 32}", f"cinebot_{'2' * 32}"
    others = f"cinebot_staging_{'3' * 32}"
    for name in (live, crashed, others):
        QdrantIndex(backend.settings, name).fill(vectors, ({"library": "base"} for _ in range(4)))
    assert backend.sweep([{"qdrant_collection": live}, {"faiss_index": "IndexFlatIP"}]) == [crashed]
    client = QdrantIndex(backend.settings, live).client
    assert {c.name for c in client.get_collections().collections} == {live, others}
