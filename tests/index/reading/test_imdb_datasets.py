"""IMDb's dataset files, written here in exactly their format (tab-separated, \\N for none,
plain or gzipped), read into catalogue films."""

import gzip

import pytest

from index.reading.catalogue_files import CatalogueReport
from index.reading.imdb_datasets import is_imdb_folder, read_imdb_folder
from index.reading.readers import FileError

BASICS = """tconst	titleType	primaryTitle	originalTitle	isAdult	startYear	endYear	runtimeMinutes	genres
tt0113277	movie	Heat	Heat	0	1995	\\N	170	Action,Crime,Drama
tt6751668	movie	Parasite	Gisaengchung	0	2019	\\N	132	Comedy,Drama,Thriller
tt0944947	tvSeries	Game of Thrones	Game of Thrones	0	2011	2019	57	Action,Adventure,Drama
tt1480055	tvEpisode	Winter Is Coming	Winter Is Coming	0	2011	\\N	62	Action,Adventure,Drama
tt0099999	movie	Something Adult	Something Adult	1	1999	\\N	80	Adult
tt0082351	tvMovie	The Janitor	The Janitor	0	1981	\\N	\\N	Short,Thriller
"""
CREW = """tconst	directors	writers
tt0113277	nm0000520	nm0000520
tt6751668	nm0094435	nm0094435,nm1310525
tt1480055	nm0851930	\\N
tt0082351	\\N	\\N
"""
NAMES = """nconst	primaryName	birthYear	deathYear	primaryProfession	knownForTitles
nm0000520	Michael Mann	1943	\\N	producer,writer,director	tt0113277
nm0094435	Bong Joon Ho	1969	\\N	writer,director	tt6751668
nm0000199	Al Pacino	1940	\\N	actor	tt0113277
nm0000134	Robert De Niro	1943	\\N	actor	tt0113277
nm0814280	Song Kang-ho	1967	\\N	actor	tt6751668
nm0851930	Tim Van Patten	1959	\\N	director	tt1480055
"""
PRINCIPALS = """tconst	ordering	nconst	category	job	characters
tt0113277	1	nm0000199	actor	\\N	["Lt. Vincent Hanna"]
tt0113277	2	nm0000134	actor	\\N	["Neil McCauley"]
tt0113277	3	nm0000520	director	\\N	\\N
tt6751668	1	nm0814280	actor	\\N	["Ki Taek"]
"""
AKAS = """titleId	ordering	title	region	language	types	attributes	isOriginalTitle
tt6751668	1	Parasite	US	\\N	imdbDisplay	\\N	0
tt6751668	2	Gisaengchung	\\N	\\N	original	\\N	1
tt0082351	1	Eyewitness	US	\\N	imdbDisplay	\\N	0
"""


def dataset(folder, gz=False, principals=True, akas=True):
    files = {"title.basics": BASICS, "title.crew": CREW, "name.basics": NAMES}
    if principals:
        files["title.principals"] = PRINCIPALS
    if akas:
        files["title.akas"] = AKAS
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        if gz:
            (folder / f"{name}.tsv.gz").write_bytes(gzip.compress(text.encode()))
        else:
            (folder / f"{name}.tsv").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("gz", [False, True])
def test_films_are_kept_and_episodes_series_and_adult_titles_skipped(tmp_path, gz):
    folder = dataset(tmp_path / "imdb", gz=gz)
    assert is_imdb_folder(folder)
    report = CatalogueReport()
    films = {f.key: f for f in read_imdb_folder(folder, tmp_path / "scratch.sqlite", report)}
    assert set(films) == {"tt0113277", "tt6751668", "tt0082351"}
    assert (report.rows, report.kept, report.skipped) == (6, 3, 3)
    heat = films["tt0113277"]
    assert heat.directors == ("Michael Mann",) and heat.cast == ("Al Pacino", "Robert De Niro")
    assert heat.runtime == 170 and heat.genres == ("Action", "Crime", "Drama")
    assert heat.sources["directors"] == "catalogue:imdb"
    parasite = films["tt6751668"]
    assert parasite.original_title == "Gisaengchung" and parasite.directors == ("Bong Joon Ho",)
    assert "Parasite" in (*parasite.akas, parasite.title)
    assert films["tt0082351"].akas == ("Eyewitness",) and films["tt0082351"].genres == ("Thriller",)
    assert not (tmp_path / "scratch.sqlite").exists()


def test_principals_and_akas_are_optional(tmp_path):
    folder = dataset(tmp_path / "imdb", principals=False, akas=False)
    films = list(read_imdb_folder(folder, tmp_path / "s.sqlite", CatalogueReport()))
    assert all(f.cast == () and f.akas == () for f in films) and len(films) == 3


def test_a_missing_required_file_is_named(tmp_path):
    folder = dataset(tmp_path / "imdb")
    (folder / "name.basics.tsv").unlink()
    with pytest.raises(FileError, match=r"missing: name\.basics\.tsv"):
        list(read_imdb_folder(folder, tmp_path / "s.sqlite", CatalogueReport()))


def test_a_file_with_other_columns_is_not_mistaken_for_imdb(tmp_path):
    folder = dataset(tmp_path / "imdb")
    (folder / "title.crew.tsv").write_text("id\twho\ntt0113277\tnm0000520\n")
    with pytest.raises(FileError, match="no tconst, directors column"):
        list(read_imdb_folder(folder, tmp_path / "s.sqlite", CatalogueReport()))


HUGE = "9" * 23


@pytest.mark.parametrize(
    ("name", "row", "why"),
    [
        (
            "title.basics",
            f"tt{HUGE}\tmovie\tBig Id\tBig Id\t0\t1995\t\\N\t100\tDrama",
            "not an IMDb id",
        ),
        (
            "title.basics",
            f"tt0200000\tmovie\tBig Year\tBig Year\t0\t{HUGE}\t\\N\t100\tDrama",
            "year",
        ),
        (
            "title.basics",
            f"tt0200001\tmovie\tBig Runtime\tBig Runtime\t0\t1995\t\\N\t{HUGE}\tDrama",
            "runtime",
        ),
        ("title.basics", "tt0200002\tmovie\tNo Year\tNo Year\t0\t-5\t\\N\t100\tDrama", "year"),
        ("title.crew", f"tt0113277\tnm{HUGE}\t\\N", "not an IMDb id"),
        ("title.principals", f"tt0113277\t{HUGE}\tnm0000199\tactor\t\\N\t\\N", "ordering"),
        ("name.basics", f"nm{HUGE}\tSomeone\t\\N\t\\N\tactor\t\\N", "not an IMDb id"),
        ("title.akas", f"tt{HUGE}\t1\tAka\tUS\t\\N\t\\N\t\\N\t0", "not an IMDb id"),
    ],
)
def test_a_number_out_of_range_is_a_located_problem_never_a_crash(tmp_path, name, row, why):
    folder = dataset(tmp_path / "imdb")
    path = folder / f"{name}.tsv"
    path.write_text(path.read_text() + row + "\n")
    report = CatalogueReport()
    films = {f.key: f for f in read_imdb_folder(folder, tmp_path / "s.sqlite", report)}
    assert {"tt0113277", "tt6751668", "tt0082351"} <= set(films)  # the rest is read
    (problem,) = report.problems
    assert (
        problem.source == str(path)
        and problem.location == f"line {len(path.read_text().splitlines())}"
    )
    assert why in problem.reason, problem.reason
    assert films["tt0113277"].directors == ("Michael Mann",)
    for film in films.values():
        assert film.year is None or 1870 <= film.year <= 2100
        assert film.runtime is None or 1 <= film.runtime <= 1500


@pytest.mark.parametrize("name", ["title.basics", "title.crew", "name.basics", "title.akas"])
def test_a_cut_short_gz_file_names_the_file_and_the_reason(tmp_path, name):
    folder = dataset(tmp_path / "imdb", gz=True)
    path = folder / f"{name}.tsv.gz"
    path.write_bytes(path.read_bytes()[:-12])  # the end of the stream is missing
    with pytest.raises(FileError) as raised:
        list(read_imdb_folder(folder, tmp_path / "s.sqlite", CatalogueReport()))
    message = str(raised.value)
    assert str(path) in message and "ended before" in message, message
    assert not (tmp_path / "s.sqlite").exists()


def test_a_gz_file_that_is_not_gzip_names_the_file(tmp_path):
    folder = dataset(tmp_path / "imdb", gz=True)
    (folder / "title.crew.tsv.gz").write_bytes(b"this is not gzip at all\n")
    with pytest.raises(FileError, match=r"title\.crew\.tsv\.gz.*not a gzip file"):
        list(read_imdb_folder(folder, tmp_path / "s.sqlite", CatalogueReport()))


def test_a_line_without_end_is_refused_not_read_into_memory(tmp_path):
    folder = dataset(tmp_path / "imdb")
    (folder / "title.akas.tsv").write_text(AKAS + "x" * 3_000_000)
    with pytest.raises(FileError, match=r"title\.akas\.tsv.*longer than"):
        list(read_imdb_folder(folder, tmp_path / "s.sqlite", CatalogueReport()))


def test_writers_are_read_when_the_crew_file_names_them(tmp_path):
    """title.crew's writers column (optional): known to the question parser, never a filter."""
    films = {
        f.title: f
        for f in read_imdb_folder(dataset(tmp_path / "imdb"), tmp_path / "s", CatalogueReport())
    }
    assert films["Heat"].writers == ("Michael Mann",)
    assert films["Parasite"].writers == ("Bong Joon Ho",)  # a writer without a name is left out
