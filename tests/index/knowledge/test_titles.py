"""Which film a title names, and suggestions while someone types."""

from index.knowledge.titles import Titles
from index.types import Film


def film(title: str, year: int | None) -> Film:
    return Film(f"{title}-{year}", title, year, (), (), None, (), (), 1)


TITLES = Titles(
    [
        film("Ballerina", 2023),
        film("Ballerina", 2016),
        film("The Godfather", 1972),
        film("Mad Max: Fury Road", 2015),
        film("Amélie", 2001),
    ]
)


def test_a_year_pins_one_of_two_films_of_the_same_title():
    assert TITLES.resolve("ballerina").ambiguous
    assert [f.year for f in TITLES.resolve("ballerina").candidates] == [2016, 2023]
    for typed in ("Ballerina (2023)", "ballerina 2023"):
        assert TITLES.resolve(typed).film.year == 2023


def test_articles_accents_and_fragments_resolve():
    assert TITLES.resolve("godfather").film.title == "The Godfather"
    assert TITLES.resolve("amelie").film.title == "Amélie"
    assert TITLES.resolve("fury road").film.title == "Mad Max: Fury Road"


def test_an_unknown_title_resolves_to_nothing_with_candidates():
    match = TITLES.resolve("Godfater Part Two")
    assert match.film is None and "The Godfather" in [f.title for f in match.candidates]


def test_suggestions_are_labels_capped_at_the_limit():
    assert TITLES.suggest("godfath")[0] == "The Godfather (1972)"
    assert len(TITLES.suggest("", limit=3)) == 3
