"""Mechanisms found on round three's development questions (benchmarks/questions_round3.jsonl:
crowd-written requests to a film-finding assistant, movie bots' training examples, parser
tests of other projects), each tested here on questions we wrote ourselves, traps included:
a request word that opens a sentence is no title, "comic book" is no comedy, a studio is no
director, a first name inside a longer name is nobody's surname."""

from __future__ import annotations

import datetime as dt

import pytest

from index.answering.question import QueryParser
from index.knowledge.people import People
from index.knowledge.titles import Titles
from index.types import Film
from tests.index.answering.reading import reading

TODAY = dt.date(2026, 11, 25)
KNOWN = People(
    directors=["Michael Mann", "Neil Simon", "Hayao Miyazaki"],
    cast=["Al Pacino", "Robert De Niro", "Diane Keaton"],
)
FILMS = Titles(
    [
        Film(f"f{i}", title, year, (), (), None, (), (), 1)
        for i, (title, year) in enumerate([("Heat", 1995), ("War Horse", 2011)])
    ]
)
PARSER = QueryParser(KNOWN, FILMS, today=TODAY)


def read(text: str) -> dict:
    return reading(PARSER.parse(text), "like", "title")


# ------------------------------------------- request words that open a sentence are no title
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Find a Fantasy film for the weekend.", dict(genres_all=["Fantasy"])),
        ("Maybe a Western this time?", dict(genres_all=["Western"])),
        ("Show an Adventure flick, please", dict(genres_all=["Adventure"])),
        # Traps: titles found by their capitals still are.
        ("I loved Star Wars", dict(like="Star Wars")),
        ("Tell me about War Horse", dict(title="War Horse")),
        ("Spy Kids was fun, anything similar?", dict(like="Spy Kids")),
    ],
)
def test_a_capitalised_request_word_does_not_start_a_title(text, expected):
    assert read(text) == expected


# --------------------------------------------------------------------- words for kinds
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("something comic for a rainy day", dict(genres_all=["Comedy"])),
        ("Comic films please", dict(genres_all=["Comedy"])),
        ("a non-fiction film about bees", dict(genres_all=["Documentary"])),
        ("any good nonfiction?", dict(genres_all=["Documentary"])),
        ("the life story of a jazz singer", dict(genres_all=["Biography"])),
        ("a life history film", dict(genres_all=["Biography"])),
    ],
)
def test_words_people_use_for_a_kind_of_film(text, expected):
    assert read(text) == expected


def test_comic_book_films_are_no_comedies_and_keep_their_words_for_meaning():
    parsed = PARSER.parse("comic book movies with a dark tone")
    assert parsed.filters.genres_all == [] and parsed.filters.genres_any == []
    assert "comic book" in parsed.semantic
    assert PARSER.parse("films based on comics").filters.genres_all == []


# -------------------------------------------------------------------------- people
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Names with a particle, and hyphenated ones, stay whole.
        ("films directed by Ines de la Torre", dict(directors=["Ines de la Torre"])),
        (
            "a drama directed by Jean-Luc Marceau-Dubois",
            dict(genres_all=["Drama"], directors=["Jean-Luc Marceau-Dubois"]),
        ),
        # A first name that is also someone's surname is not that someone.
        (
            "any thriller directed by Simon Ostrova?",
            dict(genres_all=["Thriller"], directors=["Simon Ostrova"]),
        ),
        # "a <kind> by X": X made it, known or not; the kind stays a filter.
        (
            "How about a Western by Tove Lindqvist?",
            dict(genres_all=["Western"], directors=["Tove Lindqvist"]),
        ),
        ("comedies by Michael Mann", dict(genres_all=["Comedy"], directors=["Michael Mann"])),
        # "movies by" an actor are films they are in; "directed by" keeps its word.
        ("give me movies by Al Pacino", dict(cast=["Al Pacino"])),
        ("movies directed by Al Pacino", dict(directors=["Al Pacino"])),
        # A role said after the name.
        ("I like ones with Michael Mann as the director", dict(directors=["Michael Mann"])),
        ("films with Diane Keaton as the lead", dict(cast=["Diane Keaton"])),
        # "shot" is filming for an actor, directing for a director.
        ("Which movie did Al Pacino shoot in Miami?", dict(cast=["Al Pacino"])),
        ("which film Al Pacino shot last", dict(cast=["Al Pacino"])),
        ("the one Michael Mann shot in Los Angeles", dict(directors=["Michael Mann"])),
        # "starred A and B": both of them.
        (
            "movies that starred al pacino and robert de niro",
            dict(cast_all=["Al Pacino", "Robert De Niro"]),
        ),
        ("the participation of diane keaton", dict(cast=["Diane Keaton"])),
        ("movies performed by Diane Keaton", dict(cast=["Diane Keaton"])),
        # A surname typed in lower case beside a year or decade is the person.
        ("kubrick 1968", dict(directors=["Stanley Kubrick"], year_min=1968, year_max=1968)),
        ("miyazaki 90s", dict(directors=["Hayao Miyazaki"], year_min=1990, year_max=1999)),
    ],
)
def test_people_by_form_and_role(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a comedy by Warner Bros",
        "films from Studio Ghibli",
        "an animated film by Walt Disney Pictures",
    ],
)
def test_a_studio_is_nobodys_name(text):
    got = read(text)
    assert "directors" not in got and "cast" not in got
