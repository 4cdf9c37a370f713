"""Each step of the question parser on its own: what it takes out, and what it leaves."""

import datetime as dt

import pytest

from index.answering.question import (
    countries,
    genres,
    languages,
    negations,
    people,
    ratings,
    runtime,
    years,
)
from index.answering.question.state import Question
from index.knowledge.people import People
from index.types import QueryFilters

KNOWN = People(directors=["Bong Joon-ho", "Park Chan-wook"], cast=["Song Kang-ho", "Tony Leung"])


def left(question: Question) -> str:
    return " ".join(question.text.split())


def test_cut_blanks_a_phrase_and_keeps_offsets():
    question = Question("Korean thrillers rated 8+")
    start = question.text.index("rated")
    question.cut((start, start + len("rated 8+")))
    assert left(question) == "Korean thrillers" and len(question.text) == len(
        " Korean thrillers rated 8+ "
    )


def test_the_subject_starts_at_about():
    question = Question("dramas about Korean immigrants")
    assert question.head.strip() == "dramas"


@pytest.mark.parametrize(
    ("text", "expected", "rest"),
    [
        ("films by bong joon ho", dict(directors=["Bong Joon-ho"]), ""),
        ("starring Song Kang-ho", dict(cast=["Song Kang-ho"]), ""),
        ("with Tony Leung", dict(cast=["Tony Leung"]), ""),
        ("Park Chan-wook thrillers", dict(directors=["Park Chan-wook"]), "thrillers"),
        ("directed by Someone Unknown", dict(directors=["Someone Unknown"]), ""),
        ("with a twist", {}, "with a twist"),  # "with" and no name: nothing taken
    ],
)
def test_people(text, expected, rest):
    question = Question(text)
    people.read(question, KNOWN)
    assert question.filters == QueryFilters(**expected) and left(question) == rest


def test_an_unknown_name_left_alone_is_guessed_as_a_director_but_not_after_like():
    question = Question("Agnes Jaouiz")
    assert people.guess_unknown(question, "Agnes Jaouiz", set(), KNOWN)
    assert question.filters.directors == ["Agnes Jaouiz"]
    similar = Question("films like Mulholland Drive")
    assert not people.guess_unknown(similar, "Mulholland Drive", set(), KNOWN)
    title = Question("Wonder Woman")  # a title said alone: no first name, no person
    assert not people.guess_unknown(title, "Wonder Woman", set(), KNOWN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rated 8+", dict(rating_min=8.0)),
        ("at least 4 stars", dict(rating_min=8.0)),
        ("above 7", dict(rating_min=7.0, rating_min_exclusive=True)),
        ("over 80%", dict(rating_min=8.0, rating_min_exclusive=True)),
        ("below 5/10", dict(rating_max=5.0, rating_max_exclusive=True)),
        ("not rated below 6", dict(rating_min=6.0)),
        ("highly rated", dict(rating_min=8.0)),
        ("in 1995", {}),  # a year, not a rating
        ("anything 4/5 stars", dict(rating_min=8.0)),  # one scale, not "5 stars" again
        ("rated 70/100", dict(rating_min=7.0)),  # out of a hundred, not "70/10"
        ("rated 3/5 stars or less", dict(rating_max=6.0)),
        ("rated 6 and under", dict(rating_max=6.0)),
    ],
)
def test_ratings(text, expected):
    question = Question(text)
    ratings.read(question)
    assert question.filters == QueryFilters(**expected)


TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("from the 90s", 1990, 1999),
        ("the nineties", 1990, 1999),
        ("1990s", 1990, 1999),
        ("after 2015", 2016, None),
        ("since 2015", 2015, None),
        ("before 2000", None, 1999),
        ("between 2010 and 2000", 2000, 2010),
        ("2000-2005", 2000, 2005),
        ("in 2019", 2019, 2019),
        ("recent", 2021, None),
    ],
)
def test_years(text, low, high):
    question = Question(text)
    years.read(question, TODAY)
    assert (question.filters.year_min, question.filters.year_max) == (low, high)
    assert left(question) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not horror", dict(genres_none=["Horror"])),
        ("no musicals or westerns", dict(genres_none=["Musical", "Western"])),
        ("non-American", dict(countries_none=["US"])),
        ("not for kids", dict(genres_none=["Family"])),
        ("nothing about horror", {}),  # after "about": the subject, not a filter
    ],
)
def test_negations(text, expected):
    question = Question(text)
    negations.read(question)
    genres.read(question)
    countries.read(question)
    assert question.filters == QueryFilters(**expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("action thrillers", dict(genres_all=["Action", "Thriller"])),
        ("sci-fi or fantasy", dict(genres_any=["Sci-Fi", "Fantasy"])),
        ("K-dramas", dict(countries=["KR"], genres_all=["Drama"])),
        ("a story about comedy clubs", {}),
    ],
)
def test_genres(text, expected):
    question = Question(text)
    genres.read(question)
    assert question.filters == QueryFilters(**expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Korean", ["KR"]),
        ("Bollywood", ["IN"]),
        ("from Iran", ["IR"]),
        ("from Turkey", ["TR"]),
        ("turkey for dinner", []),  # an ordinary word unless after "from"
        ("about French exchange students", []),
    ],
)
def test_countries(text, expected):
    question = Question(text)
    countries.read(question)
    assert question.filters.countries == expected


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("under 100 minutes", None, 99),
        ("at most 100 min", None, 100),
        ("longer than two hours", 121, None),
        ("at least 2 hours", 120, None),
        ("an hour and a half or less", None, 90),
        ("between 90 and 120 minutes", 90, 120),
        ("under 1h40", None, 99),
        ("two and a half hours or more", 150, None),
    ],
)
def test_runtime(text, low, high):
    question = Question(text)
    runtime.read(question)
    assert (question.filters.runtime_min, question.filters.runtime_max) == (low, high)
    assert left(question) == ""


def test_a_runtime_is_never_read_as_a_rating():
    question = Question("thrillers under 100 minutes")
    runtime.read(question)
    ratings.read(question)
    assert question.filters.rating_max is None and question.filters.runtime_max == 99


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Korean-language thrillers", dict(languages=["ko"])),
        ("films in French", dict(languages=["fr"])),
        ("foreign-language comedies", dict(languages_none=["en"])),
        ("non-English horror", dict(languages_none=["en"])),
        ("films set in Japan", {}),  # a place, not a language
    ],
)
def test_languages(text, expected):
    question = Question(text)
    languages.read(question)
    assert question.filters == QueryFilters(**expected)


def test_words_the_question_means_as_such_are_not_titles():
    """Found by the evaluation: films called "Science Fiction" and "The Bank" exist, but
    "science fiction rated 9+" and "a bank robbery" name no film."""
    from index.answering.question import references as titles
    from index.knowledge.titles import Titles
    from index.types import Film

    known = Titles(
        [
            Film(f"f{i}", t, 2000, (), (), None, (), (), 1)
            for i, t in enumerate(["Science Fiction", "The Bank", "Heat", "A Ghost Story"])
        ]
    )
    for text in (
        "science fiction rated at least 9/10",
        "a bank robbery",
        "atmospheric ghost story",
    ):
        question = Question(text)
        titles.read(question, known)
        assert (question.title, question.like) == (None, None), text
    named = Question("Heat")
    titles.read(named, known)
    assert named.title == "Heat"
    for text in ("more like a ghost story", "an atmospheric Ghost Story"):
        question = Question(text)
        titles.read(question, known)
        assert "A Ghost Story" in (question.title, question.like), text
