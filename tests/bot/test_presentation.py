"""The words both front ends answer in."""

import datetime as dt

import pytest

from bot import presentation
from index import QueryFilters, ReviewHit, SearchResult, filter_phrases
from index.answering.question import QueryParser
from index.types import ParsedQuery

PARSER = QueryParser(today=dt.date(2026, 11, 25))


def test_filters_are_read_back_in_words():
    parsed = PARSER.parse("Korean action thrillers rated 8+ from the 2010s, not horror")
    assert filter_phrases(parsed.filters) == [
        "South Korea",
        "Action + Thriller",
        "not Horror",
        "rating ≥ 8",
        "2010–2019",
    ]


def test_every_filter_kind_has_words():
    filters = QueryFilters(
        countries=["JP", "FR"],
        countries_none=["US"],
        genres_any=["Sci-Fi", "Fantasy"],
        rating_max=5,
        rating_max_exclusive=True,
        year_max=1999,
        directors=["Agnès Varda"],
        cast=["Tony Leung"],
    )
    assert filter_phrases(filters) == [
        "Japan or France",
        "not United States",
        "Sci-Fi or Fantasy",
        "rating < 5",
        "1999 or earlier",
        "directed by Agnès Varda",
        "starring Tony Leung",
    ]


def test_catalogue_filters_have_words():
    filters = QueryFilters(languages=["ko", "yue"], languages_none=["en"], runtime_max=99)
    assert filter_phrases(filters) == [
        "Korean or Cantonese language",
        "not in English",
        "at most 99 min",
    ]
    assert filter_phrases(QueryFilters(runtime_min=90, runtime_max=120)) == ["90–120 min"]


def test_an_excluded_person_has_words():
    assert filter_phrases(QueryFilters(people_none=["Tom Hanks"])) == ["without Tom Hanks"]


def test_relaxed_answers_name_the_filter_that_emptied_them_once():
    result = SearchResult(
        query=ParsedQuery(text="x"),
        hits=(),
        offset=0,
        total=0,
        has_more=False,
        emptied_by="genres_all",
        relaxed=("genres_all", "genres_any", "year"),
    )
    assert presentation.relaxed_notice(result) == (
        "No film passes every filter: the genre filter left nothing. "
        "Closest matches without the genre, year filter:"
    )


@pytest.mark.parametrize(
    ("panned", "said"),
    [
        (0, None),
        (-1, "Every film that passes was panned by its reviewers (4/10 or less on average)."),
        (
            1,
            "1 more film passes, but its reviewers panned it (4/10 or less on average): left "
            "out. Say “include panned ones” to see it.",
        ),
        (
            3,
            "3 more films pass, but their reviewers panned them (4/10 or less on average): "
            "left out. Say “include panned ones” to see them.",
        ),
    ],
)
def test_films_left_out_as_panned_are_counted_with_how_to_see_them(panned, said):
    result = SearchResult(
        query=ParsedQuery(text="x"), hits=(), offset=0, total=2, has_more=False, panned=panned
    )
    assert presentation.panned_notice(result) == said


def test_segments_follow_the_engines_spans():
    review = ReviewHit("r", None, 8.0, "Zombies on a train, zombies.", ((0, 7), (20, 27)), "s")
    assert presentation.segments(review) == [
        ("Zombies", True),
        (" on a train, ", False),
        ("zombies", True),
        (".", False),
    ]
    assert presentation.highlighted_words(review) == {"zombies"}


def test_what_was_not_used_and_what_was_used_with_a_caveat_are_said_apart():
    from index.types import Ignored

    query = ParsedQuery(
        text="x",
        ignored=[
            Ignored(phrase="under 90 minutes", why="no film in the index has a known runtime"),
            Ignored(phrase="Japan", why="3 films of unknown country left out", used=True),
        ],
    )
    result = SearchResult(query=query, hits=(), offset=0, total=0, has_more=False)
    assert presentation.ignored_notice(result) == (
        "Not used: “under 90 minutes” (no film in the index has a known runtime)\n"
        "Note: “Japan” (3 films of unknown country left out)"
    )
