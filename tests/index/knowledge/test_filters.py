"""The filter registry: every filter declared once, and a new one working end to end from its
declaration alone (masks, Qdrant's payloads and conditions, relaxation, coverage, words)."""

import json

import numpy as np
import pytest
from pydantic import Field

from index import filter_name, filter_phrases
from index.engine import Engine
from index.knowledge import filters as registry
from index.knowledge.filters import Condition, Fact, keyword_filter
from index.storage import qdrant_edge_vectors as edge
from index.storage.vectors import Selection
from index.types import ParsedQuery, QueryFilters
from tests.conftest import make_settings


def test_every_query_field_belongs_to_exactly_one_filter():
    owned = [name for f in registry.FILTERS for name in f.all_fields]
    assert sorted(owned) == sorted(QueryFilters.model_fields)


def test_filter_keys_and_orders_are_each_declared_once():
    keys = [f.key for f in registry.FILTERS]
    assert len(set(keys)) == len(keys)
    assert sorted(f.relax for f in registry.FILTERS) == list(range(1, len(keys) + 1))
    assert sorted(f.blame for f in registry.FILTERS) == list(range(1, len(keys) + 1))


def test_a_follow_up_replaces_bounds_with_their_flags_and_adds_exclusions():
    first = QueryFilters(rating_min=8, rating_min_exclusive=True, genres_all=["Drama", "Horror"])
    then = QueryFilters(rating_min=7, genres_none=["Horror"])
    refined = registry.refined(first, then)
    assert (refined.rating_min, refined.rating_min_exclusive) == (7, False)
    assert refined.genres_all == ["Drama"] and refined.genres_none == ["Horror"]
    assert registry.refined(refined, QueryFilters(genres_none=["War"])).genres_none == [
        "Horror",
        "War",
    ]


def test_a_narrowing_follow_up_adds_to_what_every_film_must_have_and_replaces_the_rest():
    first = QueryFilters(genres_all=["Horror"], countries=["FR"], cast=["Tom Hanks"])
    then = QueryFilters(genres_all=["Comedy"], countries=["GB"], cast=["Meg Ryan"])
    narrowed = registry.refined(first, then, narrowing=True)
    assert narrowed.genres_all == ["Horror", "Comedy"]
    assert narrowed.countries == ["GB"]
    assert (narrowed.cast, narrowed.cast_all) == (["Tom Hanks"], ["Meg Ryan"])
    assert registry.refined(first, then).genres_all == ["Comedy"]
    assert registry.refined(first, then).cast == ["Meg Ryan"]


def test_the_newer_of_an_inclusion_and_an_exclusion_of_the_same_kind_wins():
    not_comedy = QueryFilters(genres_all=["Horror"], genres_none=["Comedy"])
    funny = registry.refined(not_comedy, QueryFilters(genres_all=["Comedy"]), narrowing=True)
    assert funny.genres_all == ["Horror", "Comedy"] and funny.genres_none == []
    comedy = QueryFilters(genres_all=["Comedy", "Romance"])
    assert registry.refined(comedy, QueryFilters(genres_none=["Comedy"])).genres_all == ["Romance"]


def test_without_and_only_clear_a_filters_flags_with_it():
    filters = QueryFilters(rating_max=5, rating_max_exclusive=True, year_min=1990)
    assert registry.without(filters, "rating") == QueryFilters(year_min=1990)
    assert registry.only(filters, "rating") == QueryFilters(rating_max=5, rating_max_exclusive=True)


# ---------------------------------------------------------------- a toy filter, end to end
class ToyFilters(QueryFilters):
    platforms: list[str] = Field(default_factory=list)


PLATFORM = Fact("platforms", "keyword", "streaming service", lambda d: list(d["platforms"]))
STREAMING = keyword_filter(
    "platforms",
    PLATFORM,
    name="streaming",
    how="any",
    relax=0,
    blame=99,
    phrase=lambda f: "on " + " or ".join(f.platforms),
)


@pytest.fixture
def declared(monkeypatch):
    """The toy filter declared beside the shipped ones, as a new filter would be."""
    monkeypatch.setattr(registry, "FACTS", (*registry.FACTS, PLATFORM))
    monkeypatch.setattr(registry, "FILTERS", (*registry.FILTERS, STREAMING))


REVIEWS = [
    ("Lantern Bay", 2019, "Netflix", "A lighthouse keeper waits out a storm with his daughter."),
    ("Salt Road", 2015, "MUBI", "Two sisters walk to the lighthouse at the end of the salt road."),
    ("Quiet Harbour", 2021, "", "A harbour town and its old lighthouse, seen over one winter."),
]


def _ingest(engine: Engine, write, platforms: bool = True) -> None:
    lines = [
        json.dumps(
            {
                "id": f"r{i}",
                "title": title,
                "year": year,
                "rating": 8,
                "text": text,
                **({"platform": platform} if platform and platforms else {}),
            }
        )
        for i, (title, year, platform, text) in enumerate(REVIEWS)
    ]
    report = engine.ingest([write("toy.jsonl", "\n".join(lines))])
    assert report.added == len(REVIEWS), report.rejected


def _edge_rows(engine: Engine, filters: QueryFilters) -> list[int]:
    """The passage rows Qdrant's own engine lets through the payload conditions."""
    snap = engine.snapshot()
    selection = Selection(registry.film_mask(snap, filters)[snap.passage_film], filters)
    return edge.selected_rows(snap.vector_index, selection).tolist()


@pytest.mark.parametrize("store", ["faiss", "qdrant"])
def test_a_filter_declared_once_works_end_to_end(declared, store, tmp_path, encoder, write):
    qdrant = {"shard_min_passages": 1}  # a shard of its own even for three passages
    engine = Engine(make_settings(tmp_path / "index", store=store, qdrant=qdrant), encoder)
    _ingest(engine, write)
    netflix = ToyFilters(platforms=["Netflix"])
    question = ParsedQuery(text="lighthouse on Netflix", filters=netflix, semantic="lighthouse")
    result = engine.ask(question)
    assert [h.film.title for h in result.hits] == ["Lantern Bay"] and result.total == 1
    assert filter_phrases(result.query.filters) == ["on Netflix"]
    assert registry.conditions(netflix).must == [Condition("platforms", any=("Netflix",))]
    if store == "qdrant":  # the payload conditions select exactly the mask's passages
        snap = engine.snapshot()
        mask = registry.film_mask(snap, netflix)[snap.passage_film]
        assert _edge_rows(engine, netflix) == np.flatnonzero(mask).tolist()
    nowhere = engine.ask(question.model_copy(update={"filters": ToyFilters(platforms=["Nowhere"])}))
    assert nowhere.emptied_by == "platforms" and nowhere.relaxed == ("platforms",)
    assert len(nowhere.hits) == 3 and filter_name("platforms") == "streaming"


def test_a_new_filter_the_index_cannot_judge_is_not_used_and_said(declared, engine, write):
    _ingest(engine, write, platforms=False)
    question = ParsedQuery(
        text="on Netflix",
        filters=ToyFilters(platforms=["Netflix"]),
        semantic="lighthouse",
        phrases={"platforms": "on Netflix"},
    )
    result = engine.ask(question)
    assert len(result.hits) == 3 and not result.relaxed
    assert [(i.phrase, i.why) for i in result.query.ignored] == [
        ("on Netflix", "no film in the index has a known streaming service")
    ]
