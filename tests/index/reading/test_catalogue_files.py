"""Catalogue files: one film a row, every format, every problem located."""

import json

import pytest

from index.reading.catalogue_files import CatalogueReport, read_catalogue_file
from index.reading.readers import FileError

HEADER = "imdb_id,title,year,countries,genres,directors,cast,runtime_minutes,languages,poster_url\n"


def read(path):
    report = CatalogueReport()
    return list(read_catalogue_file(path, report)), report


def test_a_csv_catalogue_with_lists_names_and_codes(write):
    path = write(
        "films.csv",
        HEADER
        + 'tt6751668,Parasite,2019,South Korea,Thriller|Comedy|Drama,Bong Joon-ho,"Song Kang-ho|Lee Sun-kyun",132,Korean,https://img.example/parasite.jpg\n'
        + ',Heat,1995,US,"[""Crime"", ""Thriller""]",Michael Mann,"[""Al Pacino"", ""Robert De Niro""]",170,en,\n',
    )
    (parasite, heat), report = read(path)
    assert (report.rows, report.kept, report.skipped, report.problems) == (2, 2, 0, [])
    assert parasite.key == "tt6751668" and parasite.countries == ("KR",)
    assert parasite.genres == ("Thriller", "Comedy", "Drama") and parasite.languages == ("ko",)
    assert parasite.cast == ("Song Kang-ho", "Lee Sun-kyun") and parasite.runtime == 132
    assert parasite.poster_url == "https://img.example/parasite.jpg"
    assert parasite.sources["countries"] == "catalogue:films.csv"
    assert heat.key == "heat-1995" and heat.imdb_id is None and heat.genres == ("Crime", "Thriller")
    assert heat.cast == ("Al Pacino", "Robert De Niro") and heat.countries == ("US",)


def test_tsv_and_jsonl_catalogues(write):
    tsv = write(
        "films.tsv",
        HEADER.replace(",", "\t")
        + "tt0113277\tHeat\t1995\tUnited States\tCrime\tMichael Mann\t\t170\tEnglish\t\n",
    )
    (heat,), _ = read(tsv)
    assert heat.countries == ("US",) and heat.languages == ("en",)
    jsonl = write(
        "films.jsonl",
        json.dumps(
            {
                "imdb_id": "tt0113277",
                "title": "Heat",
                "year": 1995,
                "countries": ["US"],
                "directors": ["Michael Mann"],
            }
        )
        + "\n",
    )
    (heat,), _ = read(jsonl)
    assert heat.directors == ("Michael Mann",)


def test_the_shared_data_sets_columns_are_understood_too(write):
    """director (not directors) and country names, as in a films table people already have."""
    path = write(
        "films.csv",
        "imdb_id,title,year,genres,countries,director,n_reviews\n"
        "tt0091159,Heat,1986,Action|Crime,United States,Dick Richards,3\n",
    )
    (heat,), report = read(path)
    assert (
        heat.directors == ("Dick Richards",) and heat.countries == ("US",) and not report.problems
    )


def test_bad_rows_and_values_are_reported_with_their_row_and_the_rest_kept(write):
    path = write(
        "films.csv",
        HEADER
        + ",,1999,,,,,,,\n"
        + "tt1,Odd Id,19x9,Atlantis,Spaghetti,,,long,Klingon,javascript:alert(1)\n"
        + ",Fine,2001,FR,Drama,,,95,fr,\n",
    )
    films, report = read(path)
    assert [f.title for f in films] == ["Odd Id", "Fine"] and report.skipped == 1
    reasons = [f"{p.location}: {p.reason}" for p in report.problems]
    assert reasons[0] == "row 1 (line 2): no film title (expected a 'title' column)"
    odd = " | ".join(r for r in reasons if r.startswith("row 2"))
    for words in (
        "year '19x9'",
        "runtime 'long'",
        "imdb_id 'tt1'",
        "Atlantis",
        "Spaghetti",
        "Klingon",
        "not an http(s) URL",
    ):
        assert words in odd
    assert films[0].poster_url is None and films[0].year is None


def test_an_unusable_file_is_one_error(write):
    with pytest.raises(FileError, match="unsupported catalogue file"):
        read(write("films.xml", "<films/>"))
    with pytest.raises(FileError, match="empty"):
        read(write("films.csv", ""))


@pytest.mark.parametrize(
    ("record", "why"),
    [
        ({"title": "Endless", "runtime_minutes": 1e400}, "runtime"),
        ({"title": "Endless", "runtime_minutes": float("nan")}, "runtime"),
        ({"title": "Endless", "year": 10**23}, "year"),
        ({"title": "Endless", "year": "1" * 23}, "year"),
        ({"title": "Endless", "year": 1999.5}, "year"),
        ({"title": "Endless", "year": True}, "year"),
        ({"title": "Endless", "runtime_minutes": [90]}, "runtime"),
        ({"title": ["Endless"], "year": 1999}, "title"),
    ],
)
def test_a_value_of_the_wrong_type_or_range_is_a_located_problem(write, record, why):
    path = write("films.jsonl", json.dumps(record) + "\n" + json.dumps({"title": "Fine"}) + "\n")
    films, report = read(path)
    assert "Fine" in [f.title for f in films]
    (problem,) = report.problems
    assert problem.location == "line 1" and why in problem.reason, problem
    for film in films:
        assert film.year is None or 1870 <= film.year <= 2100
        assert film.runtime is None or 1 <= film.runtime <= 1500
