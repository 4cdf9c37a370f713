"""Mechanisms found on round four's development questions (benchmarks/questions_round4.jsonl:
voice requests for showings, a recommender simulator's user turns, blog posts), each tested
here on questions we wrote ourselves, traps included: a judgement said after its kind ("westerns
don't appeal to me"), a pronoun standing for the kind named just before ("Dramas? They're not
my thing"), "I find X boring", "refuse to watch", a subject that is only a kind ("films about
war"), a kind tempered by a suffix ("noir-ish"), and "not the new stuff"."""

from __future__ import annotations

import datetime as dt

import pytest

from index.answering.question import QueryParser
from index.knowledge.people import People
from tests.index.answering.reading import reading

TODAY = dt.date(2026, 11, 25)
PARSER = QueryParser(People(directors=["Sofia Coppola"], cast=["Nicolas Cage"]), today=TODAY)


def read(text: str) -> dict:
    return reading(PARSER.parse(text))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Musicals really don't appeal to me.", {"genres_none": ["Musical"]}),
        ("war films just don't do it for me", {"genres_none": ["War"]}),
        ("Thrillers are not to my taste", {"genres_none": ["Thriller"]}),
        ("Dramas? They're not my thing.", {"genres_none": ["Drama"]}),
        ("Horror. It's not really my cup of tea", {"genres_none": ["Horror"]}),
        ("I find slasher films boring", {"genres_none": ["Horror"]}),
        ("we usually find romcoms a bit cheesy", {"genres_none": ["Romance", "Comedy"]}),
        (
            "a comedy night, but I refuse to watch anything scary",
            {"genres_all": ["Comedy"], "genres_none": ["Horror"]},
        ),
        ("I don't think Nicolas Cage films are worth it", {"people_none": ["Nicolas Cage"]}),
    ],
)
def test_a_judgement_said_around_a_kind_excludes_it(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the pronoun's clause names its own kind: the kind before it is wanted
        (
            "I love westerns. Those musicals are not my thing",
            {"genres_all": ["Western"], "genres_none": ["Musical"]},
        ),
        # a contrast ends the judgement's clause
        (
            "comedies don't appeal to me but dramas do",
            {"genres_none": ["Comedy"], "genres_all": ["Drama"]},
        ),
        # "I find" that judges nothing
        (
            "I find it hard to choose between comedies and dramas",
            {"genres_any": ["Comedy", "Drama"]},
        ),
        # not a judgement about the films at all
        ("I don't think I have seen a Sofia Coppola film", {"directors": ["Sofia Coppola"]}),
    ],
)
def test_traps_around_judgements(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I like movies about crime", {"genres_all": ["Crime"]}),
        ("films about war.", {"genres_all": ["War"]}),
        ("movies about crime in Naples", {}),  # the subject says more than a kind
        ("a movie about children", {}),  # people the film is about
        ("a film about a family of bakers", {}),
    ],
)
def test_a_subject_that_is_only_a_kind_names_that_kind(question, expected):
    assert read(question) == expected


def test_a_kind_with_a_tempering_suffix_is_that_kind():
    parsed = PARSER.parse("something horror-lite for the weekend")
    assert parsed.filters.genres_all == ["Horror"]
    assert "-" not in parsed.semantic.split()[0]


@pytest.mark.parametrize(
    ("question", "year_min"),
    [
        ("old-school horror, not the new stuff", None),
        ("nothing recent, please", None),
        ("films that came out fairly recently", 2021),
        ("a new movie with Nicolas Cage", 2021),
    ],
)
def test_relative_time_under_a_negation_wants_nothing_for_being_recent(question, year_min):
    assert PARSER.parse(question).filters.year_min == year_min
