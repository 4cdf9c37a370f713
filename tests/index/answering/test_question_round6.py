"""Mechanisms found on round six's development questions (benchmarks/questions_round6.jsonl:
lists of liked films, a person said as a kind of film, films only asked about), each tested
here on questions we wrote ourselves, traps included: a list of films said before the taste for
it ("Heat, Ronin and This Is England are films I love": no country, no person, no list inside
"Paris, Texas"), a kind or people listed the same way (a genre, a cast), a first name that makes
a surname somebody else's ("a richard nixon movie"), one film of someone's in the index against
what they are known for, films not out yet ("upcoming"), and the world wars as war films."""

from __future__ import annotations

import datetime as dt

import pytest

from index.answering.question import QueryParser
from index.knowledge.people import People
from tests.index.answering.reading import reading

TODAY = dt.date(2026, 11, 25)
PARSER = QueryParser(
    People(directors=["Roman Polanski"], cast=["John Huston", "Cynthia Nixon"]), today=TODAY
)


def read(text: str) -> dict:
    return reading(PARSER.parse(text), "like")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Heat, Ronin and This Is England are films I love.", {"like": "Heat"}),
        (
            "The General, Paris, Texas, Repo Man and Labyrinth are movies I love. A comedy?",
            {"genres_all": ["Comedy"], "like": "The General"},
        ),
        (
            "Swiss Family Robinson, Summer of '42 and The Family Man were my favourites",
            {"like": "Swiss Family Robinson"},
        ),
        (
            "Dr. No, The Italian Job and Lethal Weapon 2 are films I really liked. Any westerns?",
            {"genres_all": ["Western"], "like": "Dr No"},  # shorthand writes the title out
        ),
        (
            "I need something light. Heat (1995) and Ronin are films I like",
            {"like": "Heat"},
        ),
    ],
)
def test_films_listed_before_the_taste_for_them_are_films_not_filters(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Westerns and Musicals are my favourites", {"genres_any": ["Western", "Musical"]}),
        ("horror and comedy are my favourites", {"genres_any": ["Horror", "Comedy"]}),
        ("Tom Hanks and Meg Ryan are my favourites", {"cast": ["Tom Hanks", "Meg Ryan"]}),
        ("Comedies are films I love", {"genres_all": ["Comedy"]}),
    ],
)
def test_kinds_and_people_listed_the_same_way_stay_filters(question, expected):
    found = read(question)
    assert {k: v for k, v in found.items() if k in expected} == expected
    assert "like" not in found or "like" in expected


def test_a_first_name_before_a_surname_makes_it_somebody_elses():
    assert read("I'm looking for a richard nixon movie") == {}
    assert read("a nixon movie please") == {"cast": ["Cynthia Nixon"]}
    assert read("anything with nick cage") == {"cast": ["Nicolas Cage"]}


def test_one_film_in_the_index_does_not_outweigh_what_someone_is_known_for():
    assert read("I'm looking for a John Huston movie") == {"directors": ["John Huston"]}
    assert read("directed by Roman Polanski") == {"directors": ["Roman Polanski"]}
    people = People(cast=["John Huston", "Cynthia Nixon"])
    assert people.roles_of("John Huston") == ("director", "cast")
    assert people.roles_of("Cynthia Nixon")[0] == "cast"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("can you list upcoming sci-fi films?", {"genres_all": ["Sci-Fi"], "year_min": 2026}),
        ("what horror is coming soon", {"genres_all": ["Horror"], "year_min": 2026}),
        ("future releases from Japan", {"countries": ["JP"], "year_min": 2026}),
        ("nothing upcoming, a classic western", {"genres_all": ["Western"]}),
    ],
)
def test_films_not_out_yet_start_this_year(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("i like ww2 movies", {"genres_all": ["War"]}),
        ("a wwii drama", {"genres_all": ["War", "Drama"]}),
        ("a first world war epic", {"genres_all": ["War"]}),
        ("World War Z and similar", {"like": "World War Z"}),
    ],
)
def test_the_world_wars_by_their_short_names_are_war_films(question, expected):
    assert read(question) == expected
