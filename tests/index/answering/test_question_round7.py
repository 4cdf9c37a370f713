"""Mechanisms found on round seven's development questions (benchmarks/questions_round7.jsonl:
kinds of film and people in people's own words), each tested here on questions we wrote
ourselves, traps included: a genre word mistyped ("documentarys") but never an English word
near one ("actions", "weston") nor a capitalised name; a taste that was ("I used to love
horror, but ..."); films old and new alike (no years); "Hollywood" as a style, not a country,
unless the films are made there; a degree of a kind wanted elsewhere ("scary but not too
scary") against a kind not wanted at all; "more into" ending a negation's scope; a first name
only one well-known person has ("I love Denzel"), never a common one ("Tom") or an English
word; a title made of nothing but film words ("The Movies") that "I like movies" never
names; a taste said again for another kind (alternatives, not both at once), but not a new wish
nor the same kind twice; films "that are about" nothing but a kind; a judgement of a film or a
person named ("it was a great thriller", "X is hilarious"), no wish; and actors wanted
"together"."""

from __future__ import annotations

import datetime as dt

import pytest

from index.answering.question import QueryParser
from index.answering.question.shorthand import expanded
from index.knowledge.people import People
from index.knowledge.titles import Titles
from index.types import Film
from tests.index.answering.reading import reading

TODAY = dt.date(2026, 11, 25)
FILMS = Titles(
    [
        Film(f"f{i}", title, year, (), (), None, (), (), 1)
        for i, (title, year) in enumerate([("The Movies", 2005), ("Heat", 1995), ("Films", 2011)])
    ]
)
PARSER = QueryParser(People(cast=["Tom Holland"]), FILMS, today=TODAY)


def read(text: str) -> dict:
    return reading(PARSER.parse(text), "like")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("some good documentarys", "some good documentary"),
        ("any comdies?", "any comedies?"),
        ("thrillars from the 90s", "thrillers from the 90s"),
        ("Documentarys please", "Documentary please"),
        ("horrer films", "horror films"),
        # English words, however close to a genre word, are what they say.
        ("films with lots of actions", "films with lots of actions"),
        ("a weston movie", "a weston movie"),
        ("war crimes", "war crimes"),
        # A capitalised word inside a sentence may be a name or a title.
        ("I saw Thrillars last week", "I saw Thrillars last week"),
        # Two genre words of different meanings one typo away: left as typed.
        ("musicles", "musicles"),
    ],
)
def test_a_mistyped_genre_word_is_read_as_that_genre_word(typed, meant):
    assert expanded(typed) == meant


def test_a_mistyped_genre_word_filters_like_the_word():
    assert read("i enjoy watching documentarys") == {"genres_all": ["Documentary"]}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "I used to be a big horror fan but gore turns me off now. Something suspenseful?",
            {"genres_all": ["Thriller"]},
        ),
        ("we used to love westerns, now we want comedies", {"genres_all": ["Comedy"]}),
        # Only the clause of the past taste: the wish after "but" stands.
        ("I used to watch dramas but now I love horror", {"genres_all": ["Horror"]}),
        ("I love horror", {"genres_all": ["Horror"]}),
        # A habit said against this time's wish.
        (
            "I usually go for action movies but tonight I'm feeling a romance",
            {"genres_all": ["Romance"]},
        ),
        (
            "we normally watch horror but this time we want something funny",
            {"genres_all": ["Comedy"]},
        ),
        # A habit alone is the taste.
        ("I usually watch westerns", {"genres_all": ["Western"]}),
    ],
)
def test_a_taste_that_was_is_no_wish_and_no_dislike(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I like old movies and new movies, just make them funny", {"genres_all": ["Comedy"]}),
        ("comedies: old ones, new ones, obscure ones", {"genres_all": ["Comedy"]}),
        ("new or old, any western", {"genres_all": ["Western"]}),
        # New alone is still recent.
        ("a new movie with some action", {"genres_all": ["Action"], "year_min": 2021}),
    ],
)
def test_films_old_and_new_alike_set_no_years(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I love classic Hollywood cinema", {}),
        ("some good 70s New Hollywood ones", {"year_min": 1970, "year_max": 1979}),
        ("a comedy made in Hollywood", {"genres_all": ["Comedy"], "countries": ["US"]}),
        ("American westerns", {"genres_all": ["Western"], "countries": ["US"]}),
        ("a Bollywood musical", {"genres_all": ["Musical"], "countries": ["IN"]}),
    ],
)
def test_hollywood_is_a_style_unless_films_are_made_there(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("scary but not too scary", {"genres_all": ["Horror"]}),
        ("I like horror, nothing too scary though", {"genres_all": ["Horror"]}),
        # Said of the kind alone, a degree still turns the kind away.
        (
            "nothing too scary please, maybe a mystery",
            {"genres_all": ["Mystery"], "genres_none": ["Horror"]},
        ),
        ("not too gory horror", {"genres_all": ["Horror"]}),
    ],
)
def test_a_degree_of_a_kind_wanted_elsewhere_keeps_the_kind(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "I'm not really into sci-fi, more into dramas",
            {"genres_all": ["Drama"], "genres_none": ["Sci-Fi"]},
        ),
        (
            "not a horror fan, more of a comedy person",
            {"genres_all": ["Comedy"], "genres_none": ["Horror"]},
        ),
        # "more" as an amount is no contrast; a new negation after a comma has its own scope.
        ("no more superhero films, no more war films", {"genres_none": ["War"]}),
        ("no romance, no horror", {"genres_none": ["Romance", "Horror"]}),
    ],
)
def test_more_into_or_a_new_negation_ends_a_negations_scope(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I love Denzel", {"cast": ["Denzel Washington"]}),
        ("a Keanu movie", {"cast": ["Keanu Reeves"]}),
        ("anything with Scarlett", {"cast": ["Scarlett Johansson"]}),
        ("Denzel Washington films", {"cast": ["Denzel Washington"]}),
        # Common first names, or names English has as words, are nobody in particular.
        ("I love Tom", {}),
        ("a film with Sandra", {}),
        # No cue that a person is meant: a word.
        ("Denzel", {}),
    ],
)
def test_a_first_name_only_one_well_known_person_has_names_them(question, expected):
    got = read(question)
    assert {k: v for k, v in got.items() if k in ("cast", "directors")} == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I like movies with lots of explosions", {}),
        ("I like movies that make me think", {}),
        ("i like films", {}),
        ("Like movies about dogs", {}),
        # Written as a title is written, it is the film.
        ("something like The Movies", {"like": "The Movies"}),
        ("films like Heat", {"like": "Heat"}),
    ],
)
def test_a_title_of_only_film_words_is_never_the_phrase_like_movies(question, expected):
    assert {k: v for k, v in read(question).items() if k == "like"} == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Do you have any recommendation for mafia movies?", {"genres_all": ["Crime"]}),
        ("mafia films from Italy", {"genres_all": ["Crime"], "countries": ["IT"]}),
    ],
)
def test_mafia_films_are_crime_films(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I like horror movies, but I also like comedy", {"genres_any": ["Horror", "Comedy"]}),
        ("I love westerns. I also enjoy war films", {"genres_any": ["Western", "War"]}),
        (
            "comedy is my favorite genre but I'm open to drama too",
            {"genres_any": ["Comedy", "Drama"]},
        ),
        # One kind of film, said with another word: both at once.
        ("a horror comedy, I like those", {"genres_all": ["Horror", "Comedy"]}),
        # A new wish, not a second taste.
        ("I love horror but I want something funny tonight", {"genres_all": ["Horror", "Comedy"]}),
        (
            "I mostly watch dramas, but thrillers are fine too",
            {"genres_any": ["Drama", "Thriller"]},
        ),
        ("horror comedies are great", {"genres_all": ["Horror", "Comedy"]}),
        # The same kind said twice is no choice.
        ("i like sci fi. i do like sci-fi", {"genres_all": ["Sci-Fi"]}),
    ],
)
def test_a_taste_said_again_for_another_kind_makes_them_alternatives(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which movies are about world war ii", {"genres_all": ["War"]}),
        ("films that are about crime", {"genres_all": ["Crime"]}),
        # A subject that says more is what happens in the film.
        ("which films are about the war in Vietnam", {}),
        ("nothing about horror", {}),
    ],
)
def test_films_said_to_be_about_nothing_but_a_kind_are_of_that_kind(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I watched Heat last week and it was a great thriller. What else?", {"like": "Heat"}),
        ("Denzel Washington is hilarious, anything with him?", {"cast": ["Denzel Washington"]}),
        ("is it a good comedy?", {}),
        # A wish, not a remark.
        ("I want a great thriller", {"genres_all": ["Thriller"]}),
    ],
)
def test_a_judgement_of_a_film_or_a_person_named_is_no_wish_for_a_kind(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Brad Pitt and Leonardo DiCaprio together",
            {"cast_all": ["Brad Pitt", "Leonardo DiCaprio"]},
        ),
        (
            "Tom Hanks and Meg Ryan in the same movie",
            {"cast_all": ["Tom Hanks", "Meg Ryan"]},
        ),
        # Either will do.
        ("Tom Hanks or Meg Ryan", {"cast": ["Tom Hanks", "Meg Ryan"]}),
        # One actor: nobody to be together with.
        ("a film to watch together with Tom Hanks", {"cast": ["Tom Hanks"]}),
    ],
)
def test_actors_wanted_together_are_wanted_in_one_film(question, expected):
    got = read(question)
    assert {k: v for k, v in got.items() if k in ("cast", "cast_all")} == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I'm not into anything too scary, I'm a big baby", {"genres_none": ["Horror"]}),
        ("too scary for me", {"genres_none": ["Horror"]}),
        ("I don't want anything too violent or too scary", {"genres_none": ["Horror"]}),
    ],
)
def test_a_degree_inside_a_negation_is_the_same_negation_not_a_second(question, expected):
    assert read(question) == expected


def test_anything_before_a_kind_in_a_list_keeps_the_list_a_choice():
    assert read("I enjoy war films and anything historical") == {"genres_any": ["War", "History"]}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Heat is one of the greatest crime films, anything similar?", "Heat"),
        ("Heat is one of the best. More like that please", "Heat"),
        # Nothing named: nothing to be like.
        ("The best of them is one of the greatest", None),
    ],
)
def test_a_film_judged_one_of_the_best_is_the_film_more_are_wanted_like(question, expected):
    assert PARSER.parse(question).like == expected
