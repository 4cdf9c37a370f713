"""One contract, three vector stores: FAISS, Qdrant's own engine (qdrant-edge, embedded) and the
Qdrant server's code (qdrant-client, in its local mode) give the same answers to the same
questions, and their payload filters select exactly the masks' rows, on an index of several
segments with deletions: the sample corpus ingested file by file into segments of their own,
two servers' uploads, reviews deleted and one edited, a member's review posted and another
deleted, then a catalogue that changes a few films' facts (so the payloads older segments
hold of those films predate them). FAISS is held, in turn, to the same reviews indexed as
one segment with nothing deleted."""

import json
import shutil
from collections.abc import Callable

import numpy as np
import pytest

from config import QdrantSettings
from index import cataloguing as cataloguing_module
from index import engine as engine_module
from index import ingest as ingest_module
from index.answering.rank import search_passages
from index.engine import SAMPLE_CATALOGUE, SAMPLE_CORPUS, Engine
from index.ingest import remove_reviews
from index.knowledge.filters import masks as masks_for
from index.storage.faiss_vectors import FaissIndex
from index.storage.merges import merge
from index.storage.qdrant_edge_vectors import EdgePart, selected_rows
from index.storage.qdrant_vectors import QdrantBackend, QdrantIndex
from index.storage.vectors import ScanIndex, SegmentedIndex, Selection
from index.storage.versions import IndexStore
from index.types import QueryFilters
from tests.conftest import live_segments, live_store_records, make_settings

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
    "German fantasy films",  # Amélie, by the later catalogue's facts only
    "Korean dramas about zombies",  # Train to Busan, a drama by the later catalogue only
]
SERVERS = ("guild:1", "guild:2")
STORES = ("edge", "client")
# The later catalogue: a few films' facts change (countries, genres, cast), nothing refiled.
FACTS_CHANGE = (
    "imdb_id,title,year,countries,genres,directors,cast,runtime_minutes,languages,poster_url\n"
    ",Amélie,2001,FR|DE,Comedy|Romance|Fantasy,Jean-Pierre Jeunet,"
    "Audrey Tautou|Mathieu Kassovitz,122,fr,\n"
    ",Train to Busan,2016,KR,Action|Drama|Horror|Thriller,Yeon Sang-ho,"
    "Gong Yoo|Ma Dong-seok|Jung Yu-mi,118,ko,\n"
    ",Parasite,2019,KR|JP,Comedy|Drama|Thriller,Bong Joon-ho,Song Kang-ho|Lee Sun-kyun,132,ko,\n"
)


def uploads(root, n: int):
    path = root / f"upload{n}.jsonl"
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
    return path


def build(engine: Engine, root) -> None:
    """The segments and deletions every store's index goes through, alike."""
    engine.merges.most = 1000  # no merge: the segments stay as the commits wrote them
    engine.merges.background = False
    engine.import_catalogue([SAMPLE_CATALOGUE], tmdb=False)
    for part in ("html", "pages", "reviews.csv", "reviews.json", "reviews.jsonl"):
        engine.ingest([SAMPLE_CORPUS / part])
    for n, server in enumerate(SERVERS):
        assert engine.ingest([uploads(root, n)], library=server).added == 2
    gone = {*_reviews_of(engine, 0, 1), *_reviews_of(engine, 2, 2)}  # two segments lose some
    assert remove_reviews(engine.settings, lambda r: r.review_id in gone)[0] == 3
    edited = root / "edited.jsonl"
    edited.write_text(
        json.dumps(
            {"id": "h1", "title": "Oldboy", "year": 2003, "rating": 5, "text": "The hallway."}
        ),
        encoding="utf-8",
    )
    engine.ingest([edited])
    edited.write_text(
        json.dumps(
            {
                "id": "h1",
                "title": "Oldboy",
                "year": 2003,
                "rating": 6,
                "text": "The hallway fight, one long take, is the reason to watch it.",
            }
        ),
        encoding="utf-8",
    )
    assert engine.ingest([edited]).updated == 1
    engine.libraries.post(
        "guild:1", 42, "Mina", "Train to Busan", 9, "The carriages by lantern light."
    )
    rid, _ = engine.libraries.post("guild:1", 43, "Jo", "Oldboy", 3, "Too grim for me.")
    assert engine.libraries.delete("guild:1", [rid]) == 1
    facts = root / "facts.csv"
    facts.write_text(FACTS_CHANGE, encoding="utf-8")
    engine.import_catalogue([facts], tmdb=False)
    engine.snapshot()


def _reviews_of(engine: Engine, k: int, n: int) -> list[str]:
    """The ids of the first `n` reviews of the live version's `k`th segment."""
    part = engine.snapshot().combined.parts[k]
    return [part.segment.rows.review_ids[r] for r in range(n)]


@pytest.fixture(scope="module")
def backends(encoder, tmp_path_factory):
    """The same commits on FAISS, on Qdrant's engine (a shard per segment) and through the
    Qdrant server's code (one collection); and FAISS's index merged into one segment."""
    root = tmp_path_factory.mktemp("contract")
    faiss_engine = Engine(make_settings(root / "faiss"), encoder)
    build(faiss_engine, root)
    qdrant = {"path": root / "qdrant", "shard_min_passages": 1}
    edge_engine = Engine(make_settings(root / "edge", store="qdrant", qdrant=qdrant), encoder)
    build(edge_engine, root)
    client = QdrantBackend(QdrantSettings(path=root / "client"))
    with pytest.MonkeyPatch.context() as patch:  # the server's code, in qdrant-client local mode
        for module in (engine_module, ingest_module, cataloguing_module):
            patch.setattr(module, "backend_for", lambda settings: client)
        client_engine = Engine(make_settings(root / "client-index", store="qdrant"), encoder)
        build(client_engine, root)
    shutil.copytree(root / "faiss", root / "whole")
    whole = Engine(make_settings(root / "whole"), encoder)
    assert merge(IndexStore(root / "whole"), whole.vectors, everything=True) is not None
    return {"faiss": faiss_engine, "edge": edge_engine, "client": client_engine, "whole": whole}


def film_ids(result):
    return [h.film.film_id for h in result.hits]


def test_the_index_is_several_segments_with_deletions(backends):
    for name in ("faiss", "edge", "client"):
        parts = backends[name].snapshot().combined.parts
        assert len(parts) >= 6, name
        assert sum(bool(len(p.deleted)) for p in parts) >= 2, name
    index = backends["edge"].snapshot().vector_index
    assert all(isinstance(s.index, EdgePart) for s in index.segments)
    assert any(s.index.deleted for s in index.segments) and any(
        s.index.stale for s in index.segments
    )
    assert all(
        isinstance(s.index, FaissIndex) for s in backends["faiss"].snapshot().vector_index.segments
    )
    assert isinstance(backends["client"].snapshot().vector_index, QdrantIndex)
    assert len(backends["whole"].snapshot().combined.parts) == 1


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("place", [None, *SERVERS])
def test_every_store_answers_alike(backends, question, place):
    ours = backends["faiss"].ask(question, limit=10, library=place)
    whole = backends["whole"].ask(question, limit=10, library=place)
    assert film_ids(whole) == film_ids(ours) and whole.total == ours.total
    for store in STORES:
        theirs = backends[store].ask(question, limit=10, library=place)
        assert film_ids(theirs) == film_ids(ours), store
        assert theirs.total == ours.total and theirs.relaxed == ours.relaxed
        for a, b in zip(ours.hits, theirs.hits, strict=True):
            assert a.score == pytest.approx(b.score, abs=1e-4)
            assert [(r.reviewer, r.snippet) for r in a.reviews] == [
                (r.reviewer, r.snippet) for r in b.reviews
            ]
    servers = {r.review_id.split("/")[0] for h in ours.hits for r in h.reviews}
    assert {s for s in servers if s.startswith("guild:")} <= {place}


@pytest.mark.parametrize("title", ["Oldboy", "Spirited Away", "Amélie"])
def test_every_store_finds_the_same_similar_films(backends, title):
    _, ours = backends["faiss"].similar(title, limit=8)
    _, whole = backends["whole"].similar(title, limit=8)
    assert film_ids(whole) == film_ids(ours)
    for store in STORES:
        _, theirs = backends[store].similar(title, limit=8)
        assert film_ids(theirs) == film_ids(ours) and title not in [
            h.film.title for h in theirs.hits
        ]


def payload_rows(engine: Engine, selection: Selection) -> list[int]:
    index = engine.snapshot().vector_index
    if isinstance(index, QdrantIndex):
        return index.selected(selection).tolist()
    return selected_rows(index, selection).tolist()


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("place", [None, *SERVERS])
def test_payload_filters_select_the_same_rows_as_the_masks(backends, store, place):
    """Every filter kind, leaving one film out (for "similar"), and each server's own view of
    its films: the payload conditions (with the deleted points left out, and films whose
    facts changed after their payloads told apart) select exactly the mask's rows."""
    engine = backends[store]
    snap = engine.snapshot()
    libraries = ("base", place) if place else ("base",)
    facts = snap.facts(place)
    oldboy = snap.titles.resolve("Oldboy").film
    assert oldboy is not None
    for question in [*QUESTIONS, "Korean thrillers", "not Korean"]:
        filters = engine.parse(question).filters
        allowed = masks_for(facts, filters, place).passages
        gained, lost = facts.changed(filters)
        for exclude in (None, oldboy.film_id):
            rows = allowed & (snap.passage_film != snap.film_row[exclude]) if exclude else allowed
            selection = Selection(rows, filters, exclude, libraries, gained, lost)
            found = payload_rows(engine, selection)
            assert found == np.flatnonzero(rows).tolist(), (question, exclude)


@pytest.mark.parametrize("store", STORES)
def test_deleted_and_newer_points_are_never_selected(backends, store):
    """With no filter at all, a version selects its live passages: not the reviews it
    deleted (still in the store for older versions), not a newer version's."""
    snap = backends[store].snapshot()
    everything = np.ones(snap.n_passages, bool)
    found = payload_rows(backends[store], Selection(everything, QueryFilters()))
    assert found == list(range(snap.n_passages))


def test_the_server_store_searches_like_the_engine(backends, encoder):
    """qdrant-client's code path (upsert, filter, search) returns the embedded engine's rows."""
    edge_snap = backends["edge"].snapshot()
    client_snap = backends["client"].snapshot()
    assert list(edge_snap.passage_ids) == list(client_snap.passage_ids)
    for question in QUESTIONS:
        parsed = backends["edge"].parse(question)
        rows = masks_for(edge_snap, parsed.filters).passages
        if not rows.any():
            continue
        query = encoder.encode_query(parsed.semantic or question)
        k = min(10, int(rows.sum()))
        # The base library's place: the servers' passages are left out by their tenant too.
        selection = Selection(rows, parsed.filters, None, ("base",))
        ours = search_passages(edge_snap, query, selection, k)
        theirs = search_passages(client_snap, query, selection, k)
        assert theirs[1].tolist() == ours[1].tolist(), question
        assert theirs[0] == pytest.approx(ours[0], abs=1e-4)


# ---------------------------------------------------------------------- segments on disk
def shards(settings) -> set[str]:
    return {p.name for p in settings.qdrant.path.iterdir()}


def named_shards(index_dir) -> set[str]:
    found = set()
    for meta in index_dir.glob("segments/s*/segment.json"):
        if name := json.loads(meta.read_text())["store"].get("qdrant_shard"):
            found.add(name)
    return found


@pytest.fixture
def pair(backends, encoder, tmp_path):
    """Copies of the FAISS and the Qdrant engine's indexes, to be changed alike."""
    shutil.copytree(backends["faiss"].settings.index_dir, tmp_path / "faiss")
    shutil.copytree(backends["edge"].settings.index_dir, tmp_path / "edge")
    shutil.copytree(backends["edge"].settings.qdrant.path, tmp_path / "qdrant")
    qdrant = {"path": tmp_path / "qdrant", "shard_min_passages": 1}
    engines = (
        Engine(make_settings(tmp_path / "faiss"), encoder),
        Engine(make_settings(tmp_path / "edge", store="qdrant", qdrant=qdrant), encoder),
    )
    for engine in engines:
        engine.merges.background = False
    return engines


def digests(folder) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_each_commit_adds_a_shard_and_leaves_the_others_as_they_were(pair, tmp_path):
    """New reviews, a member's review, deleting reviews and a catalogue that re-describes a
    film: each a segment (and its shard) of its own, the older shards untouched, answering as
    FAISS does and filtering as the masks do."""
    faiss_engine, qdrant_engine = pair
    settings = qdrant_engine.settings
    reviews = tmp_path / "new.jsonl"
    reviews.write_text(
        json.dumps(
            {
                "id": "g2",
                "title": "Salt Marsh",
                "year": 2021,
                "rating": 8,
                "countries": ["DK"],
                "genres": ["Drama"],
                "text": "A birdwatcher and her estranged son on a tidal island.",
            }
        ),
        encoding="utf-8",
    )
    catalogue = tmp_path / "films.csv"
    catalogue.write_text(
        "imdb_id,title,year,countries,genres,directors,cast,runtime_minutes,languages,poster_url\n"
        ",Salt Marsh,2021,DK|SE,Drama|Family,Ida Holm,Sofie Lund,97,da,\n",
        encoding="utf-8",
    )
    steps: dict[str, Callable[[Engine], object]] = {
        "ingest": lambda e: e.ingest([reviews]),
        "member review": lambda e: e.libraries.post(
            "guild:1", 42, "Mina", "Salt Marsh", 9, "The tide scenes are quietly frightening."
        ),
        "delete": lambda e: e.libraries.delete(library="guild:1", user_id=42),
        "catalogue": lambda e: e.import_catalogue([catalogue], tmdb=False),
    }
    questions = [*QUESTIONS[:6], "Danish family dramas", "a birdwatcher on an island"]
    for step, change in steps.items():
        before = {name: digests(settings.qdrant.path / name) for name in shards(settings)}
        change(faiss_engine)
        change(qdrant_engine)
        for name, files in before.items():  # written once: never changed after
            if (settings.qdrant.path / name).is_dir():
                assert digests(settings.qdrant.path / name) == files, (step, name)
        assert shards(settings) == named_shards(settings.index_dir), step
        snap = qdrant_engine.snapshot()
        for question in questions:
            for place in (None, "guild:1"):
                ours = faiss_engine.ask(question, limit=10, library=place)
                theirs = qdrant_engine.ask(question, limit=10, library=place)
                assert film_ids(theirs) == film_ids(ours), (step, question, place)
            filters = qdrant_engine.parse(question).filters
            for place, libraries in ((None, ("base",)), ("guild:1", ("base", "guild:1"))):
                facts = snap.facts(place)
                wanted = masks_for(facts, filters, place).passages
                selection = Selection(wanted, filters, None, libraries, *facts.changed(filters))
                found = selected_rows(snap.vector_index, selection)
                assert found.tolist() == np.flatnonzero(wanted).tolist(), (step, question, place)


def test_a_merge_gives_the_merged_segment_a_shard_and_drops_the_old_ones(pair):
    _, qdrant_engine = pair
    settings = qdrant_engine.settings
    before = set(shards(settings))
    assert qdrant_engine.merges.run(most=2) > 0
    qdrant_engine.snapshot()
    store = qdrant_engine.merges.store  # with the vector store: it drops the old shards
    with store.lock():
        store.collect(keep={store.current_name()})
    assert shards(settings) == named_shards(settings.index_dir) and shards(settings) != before
    assert len(live_segments(settings.index_dir)) <= 2
    hit = qdrant_engine.ask("zombies on a train").hits[0]
    assert hit.film.title == "Train to Busan"


def test_a_crashed_writers_shard_is_swept_by_the_next_writer(pair, write):
    _, qdrant_engine = pair
    settings = qdrant_engine.settings
    live = next(r["qdrant_shard"] for r in live_store_records(settings.index_dir))
    orphan = settings.qdrant.path / f"cinebot_{'ab' * 16}"  # as a writer that died leaves it
    shutil.copytree(settings.qdrant.path / live, orphan)
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
    assert live in shards(settings)


def test_an_index_without_a_collection_says_how_to_fill_one(backends, encoder, tmp_path):
    shutil.copytree(backends["faiss"].settings.index_dir, tmp_path / "index")
    settings = make_settings(tmp_path / "index", store="qdrant", qdrant={"path": tmp_path / "q"})
    with pytest.raises(Exception, match=r"store=faiss.*cinebot ingest"):
        Engine(settings, encoder).ask("anything")


def test_a_faiss_engine_on_a_qdrant_only_index_says_how_to_build_one(backends, encoder, tmp_path):
    shutil.copytree(backends["edge"].settings.index_dir, tmp_path / "index")
    with pytest.raises(Exception, match=r"store=qdrant.*cinebot ingest.*store=faiss"):
        Engine(make_settings(tmp_path / "index"), encoder).ask("anything")
    # and a plain ingest with store=faiss builds it from the stored vectors
    report = Engine(make_settings(tmp_path / "index"), encoder).ingest([tmp_path / "none"])
    assert report.passages_embedded == 0
    engine = Engine(make_settings(tmp_path / "index"), encoder)
    assert film_ids(engine.ask("zombies on a train")) == film_ids(
        backends["faiss"].ask("zombies on a train")
    )


def test_the_server_store_sweeps_collections_no_segment_names(tmp_path):
    """A crashed writer's collection (ours, named by no segment) goes; the live one and
    another prefix's stay."""
    backend = QdrantBackend(QdrantSettings(path=tmp_path / "local"))
    vectors = np.eye(4, 384, dtype=np.float32)
    live, crashed = f"cinebot_{'1' * 32}", f"cinebot_{'2' * 32}"
    others = f"cinebot_staging_{'3' * 32}"
    for name in (live, crashed, others):
        QdrantIndex(backend.settings, name).fill(vectors, ({"library": "base"} for _ in range(4)))
    assert backend.sweep([{"qdrant_collection": live}, {"faiss_index": "IndexFlatIP"}]) == [crashed]
    client = QdrantIndex(backend.settings, live).client
    assert {c.name for c in client.get_collections().collections} == {live, others}


def test_small_segments_are_scanned_not_sharded(encoder, tmp_path, write):
    """By default a segment of a few passages (a member's review) gets no shard of its own:
    making one costs more than scanning it."""
    settings = make_settings(tmp_path / "index", store="qdrant", qdrant={"path": tmp_path / "q"})
    engine = Engine(settings, encoder)
    engine.ingest([write("a.jsonl", json.dumps({"id": "1", "title": "Heat", "text": "Robbers."}))])
    assert live_store_records(tmp_path / "index") == [{}]
    index = engine.snapshot().vector_index
    assert isinstance(index, SegmentedIndex) and isinstance(index.segments[0].index, ScanIndex)
    assert engine.ask("robbers").hits[0].film.title == "Heat"
    assert not (tmp_path / "q").exists() or not list((tmp_path / "q").iterdir())
