"""Hostile and broken film knowledge: catalogue files and IMDb's dataset files with any row, any
bytes and any compression damage end in films with every value in range and located
problems, or one FileError naming the file; never another exception. An import of them never
costs the index what it had."""

from __future__ import annotations

import gzip
import json
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.knowledge.catalogue import IMDB_ID, CatalogueFilm
from index.knowledge.genres import GENRES
from index.reading.catalogue_files import ALIASES, KINDS, CatalogueReport, read_catalogue_file
from index.reading.imdb_datasets import read_imdb_folder
from index.reading.readers import FileError

LONG = os.environ.get("CINEBOT_LONG_TESTS") == "1"


def fuzz(examples: int):
    return settings(
        max_examples=examples * (5 if LONG else 1),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def assert_in_range(film: CatalogueFilm) -> None:
    assert film.title.strip()
    assert film.year is None or (isinstance(film.year, int) and 1870 <= film.year <= 2100)
    assert film.runtime is None or (isinstance(film.runtime, int) and 1 <= film.runtime <= 1500)
    assert film.imdb_id is None or IMDB_ID.fullmatch(film.imdb_id)
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in film.countries)
    assert set(film.genres) <= set(GENRES)
    assert film.poster_url is None or film.poster_url.startswith(("http://", "https://"))


def assert_located(report: CatalogueReport, sources: set[str]) -> None:
    for problem in report.problems:
        assert problem.source in sources and problem.reason.strip(), problem


# ---------------------------------------------------------------- catalogue files
def read(path) -> tuple[list[CatalogueFilm], CatalogueReport]:
    report = CatalogueReport()
    return list(read_catalogue_file(path, report)), report


@fuzz(1500)
@given(suffix=st.sampled_from(sorted(KINDS)), data=st.binary(max_size=3000))
def test_any_bytes_are_films_in_range_or_one_error_naming_nothing_else(tmp_path, suffix, data):
    path = tmp_path / f"films{suffix}"
    path.write_bytes(data)
    try:
        films, report = read(path)
    except FileError:
        return
    for film in films:
        assert_in_range(film)
    assert_located(report, {str(path)})
    assert report.kept == len(films) and report.kept + report.skipped == report.rows


FIELDS = sorted({*ALIASES, *ALIASES.values(), "imdb_id", "title", "year", "runtime_minutes"})
NUMBERS = (
    st.integers(-(10**25), 10**25)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([1e400, -1e400, 10**23, 1995, 1995.0, 1995.5, 0, 90, "1e400", "9" * 23])
)
VALUES = st.recursive(
    st.none() | st.booleans() | NUMBERS | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)
RECORDS = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), VALUES, max_size=8) | (
    st.fixed_dictionaries(  # a film with a title, and its numbers anything at all
        {"title": st.text(max_size=20)},
        optional={k: NUMBERS | VALUES for k in ("year", "runtime_minutes", "runtime", "imdb_id")},
    )
)


@fuzz(250)
@given(records=st.lists(RECORDS, min_size=1, max_size=6))
def test_any_records_become_films_in_range_or_located_problems(tmp_path, records):
    path = tmp_path / "films.jsonl"
    path.write_text("\n".join(json.dumps(r, default=str) for r in records) + "\n")
    films, report = read(path)
    for film in films:
        assert_in_range(film)
    assert_located(report, {str(path)})
    # nothing dropped without a word: every record is a film or a skipped, located row
    assert report.rows == len(records) and report.kept == len(films)
    assert report.kept + report.skipped == report.rows
    assert report.skipped <= len(report.problems) + report.more_problems


CELLS = st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=30) | NUMBERS.map(str)


@fuzz(600)
@given(
    header=st.lists(st.sampled_from(FIELDS), min_size=1, max_size=8, unique=True),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=6),
    delimiter=st.sampled_from([",", "\t"]),
)
def test_any_csv_rows_become_films_in_range_or_located_problems(tmp_path, header, rows, delimiter):
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    path = tmp_path / ("films.csv" if delimiter == "," else "films.tsv")
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
    try:
        films, report = read(path)
    except FileError:
        return
    for film in films:
        assert_in_range(film)
    assert_located(report, {str(path)})


# ---------------------------------------------------------------- IMDb's dataset files
HEADERS = {
    "title.basics": "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres",
    "title.crew": "tconst\tdirectors\twriters",
    "name.basics": "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
    "title.principals": "tconst\tordering\tnconst\tcategory\tjob\tcharacters",
    "title.akas": "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle",
}
TOKENS = (
    st.sampled_from(["\\N", "", "movie", "tvMovie", "tvEpisode", "0", "1", "actor", "Drama,Short"])
    | st.sampled_from(["tt0113277", "tt6751668", "nm0000520", "nm0000199", "1995", "170", "3"])
    | st.from_regex(r"(tt|nm)[0-9]{1,14}", fullmatch=True)
    | st.integers(-(10**25), 10**25).map(str)
    | st.text(alphabet=st.characters(blacklist_characters="\t\n\r"), max_size=20)
)
ROWS = st.lists(st.lists(TOKENS, max_size=10).map("\t".join), max_size=8)
DAMAGE = st.sampled_from(["plain", "gz", "gz cut", "gz garbled", "random bytes"])


def write_dataset(folder, name, rows, damage, at, noise) -> str:
    text = "\n".join([HEADERS[name], *rows]) + "\n"
    data = text.encode("utf-8", "surrogatepass")
    if damage == "plain":
        path = folder / f"{name}.tsv"
    else:
        path = folder / f"{name}.tsv.gz"
        data = gzip.compress(data)
        cut = int(len(data) * at)
        if damage == "gz cut":
            data = data[:cut]
        elif damage == "gz garbled":
            data = data[:cut] + noise + data[cut + len(noise) :]
        elif damage == "random bytes":
            data = noise
    path.write_bytes(data)
    return str(path)


@fuzz(200)
@given(
    files=st.fixed_dictionaries({name: ROWS for name in HEADERS}),
    damage=st.fixed_dictionaries({name: DAMAGE for name in HEADERS}),
    at=st.floats(0, 1),
    noise=st.binary(min_size=1, max_size=32),
)
def test_any_imdb_rows_and_compression_damage_are_films_in_range_or_one_error(
    tmp_path_factory, files, damage, at, noise
):
    folder = tmp_path_factory.mktemp("imdb")
    paths = {write_dataset(folder, n, rows, damage[n], at, noise) for n, rows in files.items()}
    report = CatalogueReport()
    scratch = folder / "scratch.sqlite"
    try:
        films = list(read_imdb_folder(folder, scratch, report))
    except FileError as exc:
        assert any(p in str(exc) for p in paths) or str(folder) in str(exc), exc
    else:
        for film in films:
            assert_in_range(film)
            assert IMDB_ID.fullmatch(film.key)
        assert_located(report, paths)
        assert all(p.location.startswith("line ") for p in report.problems)
    assert not scratch.exists()


# ---------------------------------------------------------------- the index keeps what it had
@settings(
    max_examples=12 * (5 if LONG else 1),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    catalogue=st.binary(max_size=1500) | RECORDS.map(lambda r: json.dumps(r, default=str).encode()),
    suffix=st.sampled_from(sorted(KINDS)),
    imdb=st.fixed_dictionaries({name: ROWS for name in HEADERS}),
    damage=st.fixed_dictionaries({name: DAMAGE for name in HEADERS}),
    noise=st.binary(min_size=1, max_size=16),
)
def test_an_import_of_anything_never_crashes_and_the_index_keeps_what_it_had(
    sample_engine, tmp_path_factory, catalogue, suffix, imdb, damage, noise
):
    import shutil

    from index.engine import Engine

    root = tmp_path_factory.mktemp("catalogued")
    shutil.copytree(sample_engine.settings.index_dir, root / "index")
    engine = Engine(
        sample_engine.settings.model_copy(update={"index_dir": root / "index"}),
        sample_engine.encoder,
    )
    before = engine.stats()
    (root / "imdb").mkdir()
    for name, rows in imdb.items():
        write_dataset(root / "imdb", name, rows, damage[name], 0.5, noise)
    (root / f"films{suffix}").write_bytes(catalogue)
    done = engine.import_catalogue([root / f"films{suffix}", root / "imdb"], tmdb=False)
    assert done.version is not None
    after = Engine(engine.settings, sample_engine.encoder)
    assert after.stats()["reviews"] == before["reviews"]
    assert after.ask("zombies on a train").hits[0].film.title == "Train to Busan"
    assert after.film("Oldboy")[1].film.countries == ("KR",)  # what the catalogue knew stays
