"""Mechanisms found on round eight's development questions (benchmarks/questions_round8.jsonl:
a seeker's turns in a conversation), each tested here on questions we wrote ourselves, traps
included: a habit said with "I'm usually" against tonight's wish, but not a habit alone; a
surname after "the" that is a title's word ("the Lord of the Rings"), not one before a film
word ("the new Spielberg movie"); a rating said with an article ("at least an 8"), never a
time ("a 2 hour film"); a runtime bounded after it ("two hours long, no longer"), not a length
told; films one has watched, described ("the movies I watched were war dramas"), no wish; a
title after "something like" that opens with a first name ("Harry Potter"), while a known
person stays a person; and what a film is compared with ("more than any American horror
film"), while "other than horror" still excludes."""

from __future__ import annotations

import datetime as dt

import pytest

from index.answering.question import QueryParser
from index.knowledge.people import People
from tests.index.answering.reading import reading

TODAY = dt.date(2026, 11, 25)
PARSER = QueryParser(
    People(directors=["Phil Lord", "Steven Spielberg"], cast=["Nicolas Cage", "Kristen Wiig"]),
    today=TODAY,
)


def read(text: str) -> dict:
    return reading(PARSER.parse(text), "like")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "I'm usually into comedies, but tonight I want a western.",
            {"genres_all": ["Western"]},
        ),
        ("We're mostly into horror, but today we'd like a comedy", {"genres_all": ["Comedy"]}),
        # A habit alone is the taste.
        ("I'm usually into comedies.", {"genres_all": ["Comedy"]}),
        ("I'm usually into comedies and I want one tonight", {"genres_all": ["Comedy"]}),
    ],
)
def test_a_habit_said_with_a_copula_gives_way_to_tonights_wish(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I rewatched the Lord of the Rings over the holidays.", {}),
        ("I'm after the Hunt kind of thing, something tense", {}),
        # Before a film word, or alone, the surname is the person.
        ("Is the new Spielberg movie out yet?", {"directors": ["Steven Spielberg"]}),
        ("Anything by Spielberg?", {"directors": ["Steven Spielberg"]}),
    ],
)
def test_a_surname_after_the_is_a_titles_word(question, expected):
    got = read(question)
    assert {k: v for k, v in got.items() if k in ("directors", "cast")} == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("The critics' score should be pretty high. At least an 8.", (8.0, False)),
        ("something rated above a 7", (7.0, True)),
        ("rated at least 6", (6.0, False)),
    ],
)
def test_a_rating_said_with_an_article_is_read(question, expected):
    filters = PARSER.parse(question).filters
    assert (filters.rating_min, filters.rating_min_exclusive) == expected


@pytest.mark.parametrize(
    "question", ["I want at least a 2 hour film", "a 10 year old could watch it", "a 3 hour epic"]
)
def test_a_time_with_an_article_is_no_rating(question):
    assert PARSER.parse(question).filters.rating_min is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Something around two hours long, no longer.", 120),
        ("90 minutes at most, please", 90),
        ("an hour and a half, not any longer", 90),
    ],
)
def test_a_runtime_bounded_after_it_is_a_maximum(question, expected):
    assert PARSER.parse(question).filters.runtime_max == expected


@pytest.mark.parametrize(
    "question", ["The last one was two hours long, and I loved it", "it is 90 minutes long"]
)
def test_a_length_told_is_no_bound(question):
    filters = PARSER.parse(question).filters
    assert filters.runtime_max is None and filters.runtime_min is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "I'm in the mood for something light. The last few movies I watched were heavy war "
            "dramas and I need a break from that.",
            {},
        ),
        (
            "The films we saw lately were all comedies, so now a thriller",
            {"genres_all": ["Thriller"]},
        ),
        # Said as a wish, the same words are kinds wanted.
        ("I want heavy war dramas", {"genres_all": ["War", "Drama"]}),
        ("movies I watched with my dad: war films", {"genres_all": ["War"]}),
    ],
)
def test_films_one_watched_described_are_no_wish(question, expected):
    got = read(question)
    assert {k: v for k, v in got.items() if k.startswith("genres")} == expected


@pytest.mark.parametrize(
    ("question", "like"),
    [
        ("Sure, a fantasy one would be great. Something like Harry Potter.", "Harry Potter"),
        ("movies similar to Forrest Gump", "Forrest Gump"),
    ],
)
def test_a_title_opening_with_a_first_name_after_something_like_is_a_film(question, like):
    assert PARSER.parse(question).like == like


@pytest.mark.parametrize(
    ("question", "cast"),
    [
        ("Something like Nicolas Cage", ["Nicolas Cage"]),
        ("I love Kristen Wiig", ["Kristen Wiig"]),
    ],
)
def test_a_known_person_after_like_stays_a_person(question, cast):
    parsed = PARSER.parse(question)
    assert parsed.like is None and parsed.filters.cast == cast


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "I love Japanese horror. It scares me more than any American horror film ever has.",
            {"genres_all": ["Horror"], "countries": ["JP"]},
        ),
        ("a comedy, funnier than most romantic comedies", {"genres_all": ["Comedy"]}),
        # An exception and an amount are not comparisons with a kind of film.
        ("something other than horror", {"genres_none": ["Horror"]}),
        ("a war film more than two hours long", {"genres_all": ["War"], "runtime_min": 121}),
    ],
)
def test_what_a_film_is_compared_with_is_no_wish(question, expected):
    assert read(question) == expected
