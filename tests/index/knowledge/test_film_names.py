"""A film's name split into title and year, the one way every reader and lookup does it."""

import pytest

from index.knowledge.film_names import FilmName, split_film_name, year_value


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Heat (1995)", FilmName("Heat", 1995)),
        ("The Silent Harbour [1966]", FilmName("The Silent Harbour", 1966)),
        ("  Heat ( 1995 )  ", FilmName("Heat", 1995)),
        ("Solaris (1972) (2002)", FilmName("Solaris (1972)", 2002)),
        ("Heat 1995", FilmName("Heat 1995", None)),  # a bare year only when asked for
        ("Eyewitness (Janitor, The)", FilmName("Eyewitness (Janitor, The)", None)),
        ("(1995)", FilmName("(1995)", None)),  # nothing before the year: no title to split
        ("Heat (1795)", FilmName("Heat (1795)", None)),
    ],
)
def test_a_bracketed_year_at_the_end_is_split_off(written, expected):
    assert split_film_name(written) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ballerina 2023", FilmName("ballerina", 2023)),
        ("Ballerina (2023)", FilmName("Ballerina", 2023)),
        ("1917", FilmName("1917", None)),  # a title that is a number stays a title
        ("2046", FilmName("2046", None)),
        ("Heat1995", FilmName("Heat1995", None)),
        ("Blade Runner 2049", FilmName("Blade Runner 2049", None)),  # no film is from 2049 yet
        ("Blade Runner 2049 (2017)", FilmName("Blade Runner 2049", 2017)),
        ("Death Race 2000", FilmName("Death Race", 2000)),  # a year a film may have: read so
    ],
)
def test_typed_names_may_end_in_a_bare_year(typed, expected):
    assert split_film_name(typed, bare_year=True) == expected


@pytest.mark.parametrize(
    ("value", "year"),
    [("1995", 1995), (1995, 1995), ("2001.0", 2001), (" 1966 ", 1966), ("", None)],
)
def test_year_values_as_records_write_them(value, year):
    assert year_value(value) == year


@pytest.mark.parametrize("value", ["nineteen", "95", "1995-03", "3000"])
def test_other_year_values_say_what_is_wrong(value):
    with pytest.raises(ValueError, match="not a four-digit year"):
        year_value(value)
