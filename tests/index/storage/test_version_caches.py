"""What a version works out once and keeps for every question (BM25's counts over a place's
passages, the masks of a question without filters, a member's small segment's stems and review
ids) is never stale: a posted review is counted and found by the next question, a deleted one
is gone, and another server's rows are never counted or shown. Scores stay those of one index
over the place's passages."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from index.engine import Engine
from index.knowledge import filters as registry
from index.storage.lexical import LexicalIndex
from index.storage.snapshot import Snapshot
from index.types import QueryFilters
from tests.conftest import make_settings

A, B = "guild:11", "guild:22"
WORD = "zebroidal"  # in no review of the sample corpus
PLACES = (None, A, B)


@pytest.fixture(scope="module")
def piled(sample_engine, encoder, tmp_path_factory) -> Engine:
    """The sample index with a few members' reviews in two servers, each its own segment."""
    root = tmp_path_factory.mktemp("caches")
    shutil.copytree(sample_engine.settings.index_dir, root / "index")
    engine = Engine(make_settings(root / "index"), encoder)
    engine.merges.background = False
    for i, (place, title) in enumerate(
        [(A, "Train to Busan"), (B, "Oldboy"), (A, "Parasite"), (B, "Train to Busan")]
    ):
        text = f"Member {i} says: the lighthouse keeper and the storm stay with me."
        engine.libraries.post(place, 100 + i, f"M{i}", title, 8, text)
    return engine


def shown(engine: Engine, question: str, library: str | None) -> set[str]:
    result = engine.ask(question, library=library, limit=50)
    return {review.review_id for hit in result.hits for review in hit.reviews}


def visible_rows(snap: Snapshot, place: str | None) -> np.ndarray:
    seen = snap.visible_passages(place)
    return np.arange(snap.n_passages) if seen is None else np.flatnonzero(seen)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("question", ["lighthouse storm", "zombies on a train", "a keeper"])
def test_bm25_over_several_segments_equals_one_index_of_the_places_passages(piled, place, question):
    snap = piled.snapshot()
    assert len(snap.combined.parts) > 1
    rows = visible_rows(snap, place)
    texts = snap.passage_texts(rows.tolist())
    alone = LexicalIndex.build([texts[r] for r in rows.tolist()], snap.lexical.stopwords)
    want = alone.match(question)
    for _ in range(2):  # counted once, then read from the version's cache
        got = snap.lexical.match(question, snap.bm25(place))
        np.testing.assert_array_equal(got.rows, rows[want.rows])
        np.testing.assert_allclose(got.scores, want.scores, rtol=1e-5)
    for name in ("lighthouse keeper", "train"):
        found = snap.lexical.containing(name)
        if snap.visible_passages(place) is not None:
            found = found[snap.visible_passages(place)[found]]
        np.testing.assert_array_equal(found, rows[alone.containing(name)])


@pytest.mark.parametrize("place", PLACES)
def test_a_question_without_filters_passes_what_the_place_sees_and_cannot_change_it(piled, place):
    snap = piled.snapshot()
    masks = registry.masks(snap.facts(place), QueryFilters(), place)
    reviews = snap.visible(place)  # each segment's share kept for later versions
    codes = [i for i, name in enumerate(snap.libraries) if name in ("base", place)]
    np.testing.assert_array_equal(reviews, np.isin(snap.review_library, codes))
    films = np.zeros(len(snap.films), bool)
    films[snap.review_film[reviews]] = True
    np.testing.assert_array_equal(masks.reviews, reviews)
    np.testing.assert_array_equal(masks.films, films)
    np.testing.assert_array_equal(masks.passages, reviews[snap.passage_review])
    with pytest.raises(ValueError):
        masks.reviews[0] = not masks.reviews[0]


def test_a_segments_review_rows_are_those_its_ids_say(piled):
    snap = piled.snapshot()
    wanted = [snap.review_ids[r] for r in range(0, len(snap.review_ids), 7)] + ["nobody's"]
    for part in snap.combined.parts:  # the sample's big segment and members' small ones
        ids = list(part.segment.rows.review_ids)
        expected = {rid: ids.index(rid) for rid in wanted if rid in ids}
        assert part.segment.review_rows(wanted) == expected


def test_a_posted_review_is_counted_and_shown_at_once_and_gone_once_deleted(piled):
    question = f"the {WORD} lighthouse"
    warm = piled.snapshot()
    for place in PLACES:  # every cache of the version filled before the post
        piled.ask(question, library=place)
        assert warm.passages_with(WORD, place) == 0
    rid, _ = piled.libraries.post(A, 7, "Ann", "Oldboy", 9, f"A {WORD} lighthouse at dusk.")
    snap = piled.snapshot()
    assert snap.passages_with(WORD, A) == 1
    assert snap.passages_with(WORD, B) == snap.passages_with(WORD, None) == 0
    assert snap.bm25(A).n == warm.bm25(A).n + 1
    assert snap.bm25(B).n == warm.bm25(B).n and snap.bm25(None).n == warm.bm25(None).n
    assert rid in shown(piled, question, A)
    assert rid not in shown(piled, question, B) | shown(piled, question, None)

    assert piled.libraries.delete(A, [rid], 7) == 1
    gone = piled.snapshot()
    assert gone.passages_with(WORD, A) == 0
    assert gone.bm25(A).n == warm.bm25(A).n
    assert all(rid not in shown(piled, question, place) for place in PLACES)


def test_another_servers_member_reviews_are_never_counted_or_shown(piled):
    snap = piled.snapshot()
    for place, other in ((A, B), (B, A), (None, A), (None, B)):
        mine = snap.libraries.index(other)
        others = np.flatnonzero(snap.review_library == mine)
        assert len(others)
        assert not snap.seen(place)[1][others].any()
        counted = snap.bm25(place)
        assert (
            counted.among is not None
            and not counted.among[np.isin(snap.passage_review, others)].any()
        )
        assert not shown(piled, "the lighthouse keeper and the storm", place) & {
            snap.review_ids[r] for r in others.tolist()
        }


def test_a_segments_share_of_a_version_is_kept_for_the_same_deletions_only(piled):
    segment = piled.snapshot().combined.parts[0].segment
    made: list[int] = []

    def make() -> int:
        made.append(len(made))
        return len(made)

    none = np.zeros(0, np.int64)
    assert segment.derived("test", none, make) == 1
    assert segment.derived("test", none.copy(), make) == 1  # the same mask, another array
    assert segment.derived("test", np.array([3]), make) == 2  # a review deleted since
    assert segment.derived("test", none, make) == 3  # only the latest is kept
