"""A title lookup without reading every title (issue #26) answers exactly as the scan did: the
bounds never fall under rapidfuzz's own score, and `Titles.resolve` equals a plain scan of
every film on random title sets full of traps."""

import dataclasses
import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from benchmarks.bench_titles import scan_resolve  # the lookup before #26: the reference
from index.knowledge.title_bounds import MARGIN, SHARED
from index.knowledge.title_search import Tables, TitleSearch
from index.knowledge.titles import Titles
from index.types import Film

LONG = os.environ.get("CINEBOT_LONG_TESTS") == "1"
CHECKS = settings(
    max_examples=1500 if LONG else 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Few letters, so that words and keys share letters, letter pairs and whole words often.
WORD = st.text("abcde", min_size=1, max_size=7) | st.sampled_from(["a", "the", "of", "in", "2"])
KEY = st.lists(WORD, min_size=1, max_size=6).map(" ".join)  # words may repeat
VOCABULARY = ["ballerina", "the", "of", "a", "night", "nights", "2", "2023", "star", "wars"]
VOCABULARY += ["amelie", "heat", "up", "fury", "road", "mad", "max", "ballerinas", "in"]


def bounded(titles: Titles) -> Titles:
    """The same titles, bounding every pool however small (as at 100,000 films)."""
    titles.search = dataclasses.replace(titles.search, scan_below=0)
    return titles


@st.composite
def titled_films(draw: st.DrawFn) -> list[Film]:
    """Titles as people and catalogues write them: the same title twice (in other years
    too), "Title (YYYY)", "title 2023", "Title, The", words found in several titles."""
    names = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4).map(" ".join)
    films = []
    for i, name in enumerate(draw(st.lists(names, min_size=1, max_size=40))):
        form = draw(st.sampled_from(["{}", "{} (2023)", "{} 2023", "The {}", "{}, The", "{}!"]))
        year = draw(st.sampled_from([None, 1999, 2016, 2023]))
        films.append(Film(f"f{i}", form.format(name.title()), year, (), (), None, (), (), 1))
    return films


@st.composite
def typed_titles(draw: st.DrawFn, films: list[Film]) -> str:
    """What someone types: a film's title (with a year), some of its words, a misspelling,
    other words, something under four letters."""
    title = draw(st.sampled_from([f.title for f in films]))
    words = title.split()
    kinds = [
        title,
        f"{title} ({draw(st.sampled_from([1999, 2016, 2023]))})",
        f"{title.lower()} 2023",
        " ".join(draw(st.lists(st.sampled_from(words), min_size=1, max_size=3))),
        title[:-1] if len(title) > 1 else title,
        " ".join(draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3))),
        draw(st.sampled_from(["up", "a", "of", "the", "2", "", "mad max", "ballerina"])),
    ]
    return draw(st.sampled_from(kinds))


@CHECKS
@given(st.data())
def test_resolve_answers_as_the_scan_of_every_film_did(data):
    films = data.draw(titled_films())
    titles = bounded(Titles(films))
    allowed = data.draw(
        st.none() | st.lists(st.booleans(), min_size=len(films), max_size=len(films))
    )
    for _ in range(3):
        typed = data.draw(typed_titles(films))
        assert titles.resolve(typed, allowed) == scan_resolve(titles, typed, allowed), typed


@CHECKS
@given(st.lists(KEY, min_size=1, max_size=30), st.data())
def test_a_bound_never_falls_under_rapidfuzz_and_a_tie_is_exact(keys, data):
    tables = Tables.of(keys)
    for wanted in [data.draw(KEY), data.draw(st.sampled_from(keys))]:
        words = {word: tables.posting(word) for word in set(wanted.split())}
        bound, ties = tables.shapes.bound(wanted, words)
        for key, most, tie in zip(keys, bound.tolist(), ties.tolist(), strict=True):
            score = fuzz.WRatio(wanted, key)
            assert score <= most + MARGIN, (wanted, key)
            assert tie == 0 or score == tie, (wanted, key)


def test_ties_keep_the_scans_order_when_many_films_share_a_word():
    """Hundreds of titles score exactly alike against "night zoo" (a word in common, 1.5 to 8
    times as long, nothing closer): the first five in row order are the candidates, as a scan
    found them."""
    films = [
        Film(f"f{i}", f"Night Number {i} Of Rain", None, (), (), None, (), (), 1)
        for i in range(300)
    ]
    films += [Film("odd", "Nightingale", 2001, (), (), None, (), (), 1)]
    titles = bounded(Titles(films))
    tables = Tables.of(titles.keys)
    words = {"night": tables.posting("night"), "zoo": tables.posting("zoo")}
    assert (tables.shapes.bound("night zoo", words)[1] == SHARED).sum() == 300
    for typed in ("night zoo", "zoo night", "nigth", "number rain", "the night of", "rain 2001"):
        assert titles.resolve(typed) == scan_resolve(titles, typed, None), typed
    assert [f.film_id for f in titles.resolve("night zoo").candidates] == [
        "f0",
        "f1",
        "f2",
        "f3",
        "f4",
    ]


def test_keys_written_otherwise_are_scored_whole():
    """Keys not as normalize_title writes them (given by a caller) are compared, not bounded."""
    keys = ["heat", "heat  wave", "h\u00e9at", "", "the heat heat", "heat\twave"]
    films = [Film(f"f{i}", k or "?", None, (), (), None, (), (), 1) for i, k in enumerate(keys)]
    titles = bounded(Titles(films, keys))
    assert Tables.of(keys).shapes.odd.tolist() == [False, True, True, True, False, True]
    for typed in ("heat wave", "heet", "wave", "heat heat"):
        assert titles.resolve(typed) == scan_resolve(titles, typed, None), typed


def test_a_small_pool_is_scored_whole_and_a_large_one_bounded():
    films = [Film(f"f{i}", f"Film {i}", None, (), (), None, (), (), 1) for i in range(50)]
    titles = Titles(films)
    assert titles.search.scan_below > len(films)
    pool = np.ones(len(films), bool)
    assert titles.search.fuzzy("film 7", pool) == bounded(titles).search.fuzzy("film 7", pool)


@CHECKS
@given(st.lists(KEY, min_size=1, max_size=30), st.data())
def test_a_version_on_the_last_versions_tables_answers_as_a_full_build(keys, data):
    """A member's review opens a version whose keys are the last one's but a few (a film
    added, renamed, gone): its lookup, on the last full build's tables, is the same."""
    changed = data.draw(st.lists(st.tuples(st.integers(0, len(keys) - 1), KEY | st.just(""))))
    now = list(keys) + data.draw(st.lists(KEY, max_size=5))
    for row, key in changed:
        now[row] = key
    years = [None] * len(now)
    patched = TitleSearch.on(Tables.of(keys), now, years)
    full = TitleSearch.on(Tables.of(now), now, years)
    assert patched is not None and full is not None
    patched, full = (dataclasses.replace(s, scan_below=0) for s in (patched, full))
    pool = np.array(data.draw(st.lists(st.booleans(), min_size=len(now), max_size=len(now))))
    for wanted in [data.draw(KEY), data.draw(st.sampled_from(now)), *now[len(keys) :]]:
        for lookup in (TitleSearch.exact, TitleSearch.containing, TitleSearch.fuzzy):
            assert lookup(patched, wanted, pool) == lookup(full, wanted, pool), (lookup, wanted)


def test_a_film_renamed_since_the_last_full_build_is_scored_as_it_is_now():
    keys = [f"night number {i} of rain" for i in range(10)]
    now = [*keys[:7], "night zoo", *keys[8:], "zoo night"]
    patched = TitleSearch.on(Tables.of(keys), now, [None] * len(now))
    assert patched is not None and patched.redone.tolist() == [7, 10]
    found = dataclasses.replace(patched, scan_below=0).fuzzy("night zoo", np.ones(len(now), bool))
    assert [row for _, row in found] == [7, 10, 0, 1, 2]
