"""The film catalogue: films merged by key, and which film a review is about."""

import pytest

from index.knowledge.catalogue import Catalogue, CatalogueFilm, CatalogueWriter, imdb_id_in, resolve
from index.knowledge.languages import UnknownLanguage, language_code, language_name


def film(title, year, key=None, **facts):
    return CatalogueFilm(
        key=key or CatalogueFilm.key_for(facts.get("imdb_id"), title, year),
        title=title,
        year=year,
        **facts,
    )


@pytest.fixture
def catalogue(tmp_path):
    writer = CatalogueWriter(tmp_path / "c.sqlite")
    writer.put(
        [
            film("Heat", 1995, imdb_id="tt0113277", countries=("US",), directors=("Michael Mann",)),
            film("Heat", 1986, imdb_id="tt0091159"),
            film("Ballerina", 2023, imdb_id="tt26446278", countries=("KR",)),
            film("Ballerina", 2016, imdb_id="tt2261331"),
            film("The Janitor", 1981, imdb_id="tt0082351", akas=("Eyewitness",)),
            film("Gisaengchung", 2019, imdb_id="tt6751668", akas=("Parasite",), languages=("ko",)),
            film("Crouching Tiger, Hidden Dragon", 2000, imdb_id="tt0190332"),
            film("Shaun of the Dead", 2004),  # no imdb id: keyed by title and year
        ]
    )
    writer.close()
    opened = Catalogue(tmp_path / "c.sqlite")
    yield opened
    opened.close()


def test_an_imdb_id_is_found_in_a_url_or_alone():
    assert imdb_id_in("https://www.imdb.com/title/tt0111161/?ref_=x") == "tt0111161"
    assert imdb_id_in("tt12345678") == "tt12345678" and imdb_id_in("not an id") is None


@pytest.mark.parametrize(
    ("title", "year", "imdb_id", "key", "how"),
    [
        ("anything", None, "tt0113277", "tt0113277", "imdb_id"),
        ("Heat", 1995, None, "tt0113277", "title"),
        ("Heat", 1996, None, "tt0113277", "title"),  # a year off either way still matches
        ("Heat", None, None, None, "ambiguous"),  # two films called Heat, no year to choose
        ("Ballerina", 2023, None, "tt26446278", "title"),
        ("Janitor, The", 1981, None, "tt0082351", "title"),  # MovieLens's moved article
        ("Eyewitness (Janitor, The)", 1981, None, "tt0082351", "title"),  # and its bracketed alias
        ("Parasite", 2019, None, "tt6751668", "title"),  # an alternative title
        ("Crouching Tiger Hidden Dragon", 2000, None, "tt0190332", "title"),
        ("Crouching Tigre, Hiden Dragon", 2000, None, "tt0190332", "fuzzy"),
        ("Shaun of the Dead", 2004, None, "shaun-of-the-dead-2004", "title"),
        ("A Film Nobody Made", 2004, None, None, "unmatched"),
    ],
)
def test_resolution(catalogue, title, year, imdb_id, key, how):
    found = resolve(catalogue, title, year, imdb_id)
    assert found.how == how
    assert (found.film.key if found.film else None) == key


def test_a_fuzzy_match_needs_the_year_and_one_clear_winner(catalogue):
    assert resolve(catalogue, "Crouching Tigre, Hiden Dragon", None).how == "unmatched"
    assert resolve(catalogue, "Heet", 1995).how == "unmatched"  # too short to guess at


def test_a_later_import_merges_facts_and_says_where_each_came_from(tmp_path):
    first = CatalogueWriter(tmp_path / "a.sqlite")
    first.put(
        [
            film(
                "Heat",
                1995,
                imdb_id="tt0113277",
                countries=("US",),
                runtime=170,
                sources={"countries": "catalogue:a.csv", "runtime": "catalogue:a.csv"},
            )
        ]
    )
    first.close()
    second = CatalogueWriter(tmp_path / "b.sqlite", base=tmp_path / "a.sqlite")
    second.put(
        [
            film(
                "Heat",
                1995,
                imdb_id="tt0113277",
                countries=("GB",),
                languages=("en",),
                sources={"countries": "catalogue:tmdb", "languages": "catalogue:tmdb"},
            )
        ],
        only_missing=True,
    )
    second.close()
    merged = Catalogue(tmp_path / "b.sqlite").get("tt0113277")
    assert merged.countries == ("US",) and merged.languages == ("en",) and merged.runtime == 170
    assert merged.sources == {
        "countries": "catalogue:a.csv",
        "runtime": "catalogue:a.csv",
        "languages": "catalogue:tmdb",
    }
    assert Catalogue(tmp_path / "a.sqlite").get("tt0113277").languages == ()  # the old file stays


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Korean", "ko"),
        ("kor", "ko"),
        ("fre", "fr"),
        ("Mandarin", "zh"),
        ("Cantonese", "yue"),
        ("Farsi", "fa"),
    ],
)
def test_languages_by_name_or_code(name, code):
    assert language_code(name) == code


def test_an_unknown_language_is_an_error_and_names_read_back():
    with pytest.raises(UnknownLanguage):
        language_code("Klingonese")
    assert language_name("ko") == "Korean" and language_name("yue") == "Cantonese"


@pytest.mark.parametrize("id_first", [False, True])
def test_a_film_with_an_id_and_one_without_of_the_same_title_and_year_are_one(tmp_path, id_first):
    untagged = film("Heat", 1995, countries=("US",), directors=("Michael Mann",))
    tagged = film("Heat", 1995, imdb_id="tt0113277", runtime=171)
    writer = CatalogueWriter(tmp_path / "c.sqlite")
    writer.put([tagged, untagged] if id_first else [untagged, tagged])
    writer.put([film("Heat", 1986, imdb_id="tt0091159")])  # another year: another film
    found = resolve(writer.reading, "Heat", 1995)
    assert (found.how, found.film.key) == ("title", "tt0113277")
    assert found.film.runtime == 171 and found.film.directors == ("Michael Mann",)
    assert len(writer.reading) == 2


def test_one_without_an_id_stays_apart_when_two_with_ids_fit(tmp_path):
    writer = CatalogueWriter(tmp_path / "c.sqlite")
    writer.put([film("Twins", 2001, imdb_id="tt1000001"), film("Twins", 2001, imdb_id="tt1000002")])
    writer.put([film("Twins", 2001, countries=("FR",))])
    assert len(writer.reading) == 3 and resolve(writer.reading, "Twins", 2001).how == "ambiguous"
