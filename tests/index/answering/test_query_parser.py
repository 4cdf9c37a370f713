"""The question parser, phrasing by phrasing. Each row: question, expected filters, semantic rest."""

import datetime as dt

import pytest

from index.answering.question import QueryParser
from index.knowledge.filters import refined as refined_filters
from index.knowledge.people import People
from index.types import QueryFilters

PARSER = QueryParser(
    People(
        directors=[
            "Bong Joon-ho",
            "Park Chan-wook",
            "Céline Sciamma",
            "Hayao Miyazaki",
            "John Woo",
        ],
        cast=["Song Kang-ho", "Michelle Yeoh", "Mads Mikkelsen", "Jeon Jong Seo"],
    ),
    today=dt.date(2026, 11, 25),
)

CASES = [
    (
        "Korean action thrillers rated 8+",
        dict(countries=["KR"], genres_all=["Action", "Thriller"], rating_min=8.0),
        "",
    ),
    ("South Korean thrillers", dict(countries=["KR"], genres_all=["Thriller"]), ""),
    ("K-dramas with a twist", dict(countries=["KR"], genres_all=["Drama"]), "twist"),
    (
        "any good French comedies from the 90s?",
        dict(countries=["FR"], genres_all=["Comedy"], year_min=1990, year_max=1999),
        "",
    ),
    ("Bollywood musicals", dict(countries=["IN"], genres_all=["Musical"]), ""),
    (
        "Hong Kong action before 2000",
        dict(countries=["HK"], genres_all=["Action"], year_max=1999),
        "",
    ),
    ("British crime dramas", dict(countries=["GB"], genres_all=["Crime", "Drama"]), ""),
    ("Japanese or Korean horror", dict(countries=["JP", "KR"], genres_all=["Horror"]), ""),
    ("films from Iran", dict(countries=["IR"]), ""),
    ("dramas from Turkey", dict(countries=["TR"], genres_all=["Drama"]), ""),
    ("a turkey of a film", {}, "turkey"),  # the bird, or a flop: not a country
    ("Soviet science fiction", dict(countries=["SU"], genres_all=["Sci-Fi"]), ""),
    (
        "rom-coms between 2000 and 2010",
        dict(genres_all=["Romance", "Comedy"], year_min=2000, year_max=2010),
        "",
    ),
    ("a slasher from 1980", dict(genres_all=["Horror"], year_min=1980, year_max=1980), "slasher"),
    ("sci-fi or fantasy", dict(genres_any=["Sci-Fi", "Fantasy"]), ""),
    ("whodunits", dict(genres_all=["Mystery"]), "whodunits"),
    ("animated films for kids", dict(genres_all=["Animation", "Family"]), ""),
    ("biopics", dict(genres_all=["Biography"]), "biopics"),
    ("film noir", dict(genres_all=["Film-Noir"]), ""),
    ("westerns 8 or more", dict(genres_all=["Western"], rating_min=8.0), ""),
    ("thrillers rated at least 4 stars", dict(genres_all=["Thriller"], rating_min=8.0), ""),
    ("at least 7.5", dict(rating_min=7.5), ""),
    ("rated 9/10 or higher", dict(rating_min=9.0), ""),
    ("horror films rated 3.5/5 or higher", dict(genres_all=["Horror"], rating_min=7.0), ""),
    (
        "comedies above 7",
        dict(genres_all=["Comedy"], rating_min=7.0, rating_min_exclusive=True),
        "",
    ),
    (
        "dramas rated over 80%",
        dict(genres_all=["Drama"], rating_min=8.0, rating_min_exclusive=True),
        "",
    ),
    (
        "thrillers below 5/10",
        dict(genres_all=["Thriller"], rating_max=5.0, rating_max_exclusive=True),
        "",
    ),
    ("films rated at most 4", dict(rating_max=4.0), ""),
    ("4 star romances", dict(genres_all=["Romance"], rating_min=8.0), ""),
    ("highly rated Italian films", dict(countries=["IT"], rating_min=8.0), ""),
    ("war movies over 2 hours", dict(genres_all=["War"], runtime_min=121), ""),
    (
        "documentaries from the 1970s",
        dict(genres_all=["Documentary"], year_min=1970, year_max=1979),
        "",
    ),
    ("films since the 80s", dict(year_min=1980), ""),
    ("after the nineties", dict(year_min=2000), ""),
    ("only after 2015", dict(year_min=2016), ""),
    ("since 2015", dict(year_min=2015), ""),
    ("films from 2019", dict(year_min=2019, year_max=2019), ""),
    ("2000-2005 thrillers", dict(genres_all=["Thriller"], year_min=2000, year_max=2005), ""),
    ("recent Korean films", dict(countries=["KR"], year_min=2021), ""),
    ("not horror", dict(genres_none=["Horror"]), ""),
    (
        "animated films that are not for kids",
        dict(genres_all=["Animation"], genres_none=["Family"]),
        "",
    ),
    ("not for the faint of heart", dict(), "not for the faint of heart"),
    ("no musicals, westerns or war films", dict(genres_none=["Musical", "Western", "War"]), ""),
    (
        "Mexican films not horror or comedy",
        dict(countries=["MX"], genres_none=["Horror", "Comedy"]),
        "",
    ),
    ("non-American sci-fi", dict(genres_all=["Sci-Fi"], countries_none=["US"]), ""),
    ("Korean films, not thrillers", dict(countries=["KR"], genres_none=["Thriller"]), ""),
    ("nothing scary, no horror please", dict(genres_none=["Horror"]), ""),
    ("films by Bong Joon-ho", dict(directors=["Bong Joon-ho"]), ""),
    ("Park Chan-wook thrillers", dict(directors=["Park Chan-wook"], genres_all=["Thriller"]), ""),
    ("hayao miyazaki's films about flying", dict(directors=["Hayao Miyazaki"]), "flying"),
    ("Mads Mikkelsen dramas", dict(cast=["Mads Mikkelsen"], genres_all=["Drama"]), ""),
    ("a woo-style shootout", dict(), "woo-style shootout"),
    # A name the index does not know still reads as a person, so the answer can say "none".
    # Well-known people are known even when the index has no film of theirs; their names stay
    # in the meaning search too (the closest answers are then still about them).
    ("Alfred Hitchcock films", dict(directors=["Alfred Hitchcock"]), "Alfred Hitchcock"),
    ("Spike Lee films rated 7 or more", dict(directors=["Spike Lee"], rating_min=7.0), "Spike Lee"),
    # A name nobody knows, alone: guessed as a director and kept for the meaning search too.
    ("Agnes Jaouiz", dict(directors=["Agnes Jaouiz"]), "Agnes Jaouiz"),
    ("films like Blade Runner", dict(), ""),  # a film to find more like: ParsedQuery.like
    ("Zombies And The Undead", dict(), "Zombies And The Undead"),
    ("New York", dict(), "New York"),
    ("directed by park chan wook", dict(directors=["Park Chan-wook"]), ""),
    ("by Celine Sciamma", dict(directors=["Céline Sciamma"]), ""),
    ("directed by Christopher Nolan", dict(directors=["Christopher Nolan"]), ""),
    ("starring song kang ho", dict(cast=["Song Kang-ho"]), ""),
    ("comedies with Michelle Yeoh", dict(genres_all=["Comedy"], cast=["Michelle Yeoh"]), ""),
    (
        "Danish dramas starring Mads Mikkelsen rated 9+",
        dict(countries=["DK"], genres_all=["Drama"], cast=["Mads Mikkelsen"], rating_min=9.0),
        "",
    ),
    ("movies about zombies and the undead", {}, "zombies and the undead"),
    ("cowboys and gunfights", {}, "cowboys and gunfights"),
    ("films about war and grief from Japan", dict(countries=["JP"]), "war and grief"),
    ("slow quiet films about loneliness", {}, "slow quiet films about loneliness"),
    ("South Korean revenge films", dict(countries=["KR"]), "revenge"),
    (
        "hand-drawn Japanese fantasy after 2000 not rated below 6",
        dict(countries=["JP"], genres_all=["Fantasy"], year_min=2001, rating_min=6.0),
        "hand-drawn",
    ),
    ("comedies not rated above 5", dict(genres_all=["Comedy"], rating_max=5.0), ""),
]


@pytest.mark.parametrize(("question", "filters", "semantic"), CASES, ids=[c[0] for c in CASES])
def test_question_is_parsed_into_filters_and_semantic_rest(question, filters, semantic):
    parsed = PARSER.parse(question)
    assert parsed.filters == QueryFilters(**filters)
    assert parsed.semantic == semantic


def test_follow_up_filters_refine_the_previous_ones():
    first = PARSER.parse("Korean action thrillers rated 8+").filters
    refined = refined_filters(
        refined_filters(first, PARSER.parse("only after 2015").filters),
        PARSER.parse("not horror").filters,
    )
    assert refined == QueryFilters(
        countries=["KR"],
        genres_all=["Action", "Thriller"],
        rating_min=8.0,
        year_min=2016,
        genres_none=["Horror"],
    )


def test_json_contract_lists_the_documented_filter_keys_first():
    keys = list(QueryFilters().model_dump())
    assert keys[:9] == [
        "countries",
        "genres_all",
        "genres_none",
        "rating_min",
        "rating_max",
        "year_min",
        "year_max",
        "directors",
        "cast",
    ]


@pytest.mark.parametrize(
    ("question", "semantic"),
    [
        ("good heist movie", "heist"),
        ("biting satire", "biting satire"),
        ("films that will make me cry", "will make me cry"),
        ("feel good movie pls", "feel good"),
        ("so bad it's good", "so bad it's good"),
    ],
)
def test_a_sort_of_film_or_a_saying_stays_for_the_meaning_search(question, semantic):
    assert QueryParser().parse(question).semantic == semantic


def test_not_too_scary_excludes_horror_but_still_wants_films_for_the_kids():
    filters = QueryParser().parse("not too scary halloween movie for the kids").filters
    assert filters.genres_none == ["Horror"] and filters.genres_all == ["Family"]


@pytest.mark.parametrize(
    ("question", "low", "high"),
    [
        ("comedies rated 9 or 10", 9.0, None),
        ("rated 6 to 8", 6.0, 8.0),
        ("rated 3-4 stars", 6.0, 8.0),
    ],
)
def test_a_rating_range_sets_both_ends_and_leaves_no_number(question, low, high):
    parsed = QueryParser().parse(question)
    assert (parsed.filters.rating_min, parsed.filters.rating_max) == (low, high)
    assert not any(c.isdigit() for c in parsed.semantic)


def test_scandinavian_means_any_of_sweden_norway_denmark():
    filters = QueryParser().parse("scandinavian dramas").filters
    assert filters.countries == ["SE", "NO", "DK"] and filters.genres_all == ["Drama"]


def test_a_writer_who_cannot_be_filtered_is_searched_for_in_the_reviews():
    parsed = QueryParser().parse("movies based on a stephen king book")
    assert "stephen king" in parsed.semantic.lower()
    assert [i.phrase for i in parsed.ignored] == ["stephen king"]
