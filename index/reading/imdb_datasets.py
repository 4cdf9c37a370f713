"""IMDb's non-commercial dataset files (https://developer.imdb.com/non-commercial-datasets/),
plain or gzipped, streamed with bounded memory.

    title.basics.tsv      required: films (titleType movie or tvMovie), years, runtimes, genres
    title.crew.tsv        required: directors (and writers, when it has them)
    name.basics.tsv       required: people's names
    title.principals.tsv  optional: top-billed cast
    title.akas.tsv        optional: alternative titles (for matching reviews to films)

The real title.basics has about 12 million rows, most of them episodes. Each file is read
once, line by line; only the kept films' ids (as integers) and the people they need stay in
memory, and the rest goes through a scratch SQLite file beside the catalogue.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from index.knowledge.catalogue import CatalogueFilm
from index.knowledge.genres import UnknownGenre, canonical_genres
from index.reading.catalogue_files import CatalogueReport
from index.reading.readers import FileError

REQUIRED = ("title.basics", "title.crew", "name.basics")
OPTIONAL = ("title.principals", "title.akas")
FILM_TYPES = {"movie", "tvMovie"}
TOP_BILLED = 8
SOURCE = "catalogue:imdb"
# (file, bytes read so far, file size): for a progress bar.
Progress = Callable[[str, int, int], None]


def is_imdb_folder(path: Path) -> bool:
    return path.is_dir() and _find(path, "title.basics") is not None


def _find(folder: Path, name: str) -> Path | None:
    for candidate in (folder / f"{name}.tsv", folder / f"{name}.tsv.gz"):
        if candidate.is_file():
            return candidate
    return None


def _number(token: str) -> int:
    """ "tt0111161" / "nm0000151" -> 111161 / 151: ids kept as integers to stay small."""
    return int(token[2:])


class _Lines:
    """The rows of one dataset file, split on tabs, with progress by bytes read."""

    def __init__(self, path: Path, progress: Progress | None) -> None:
        self.path, self.progress = path, progress
        self.size = path.stat().st_size

    def __iter__(self) -> Iterator[list[str]]:
        with open(self.path, "rb") as raw:
            stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if self.path.suffix == ".gz" else raw
            text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="\n")
            header = text.readline().rstrip("\n").split("\t")
            self.columns = {name: i for i, name in enumerate(header)}
            for n, line in enumerate(text, 1):
                if self.progress and n % 200_000 == 0:
                    self.progress(self.path.name, raw.tell(), self.size)
                yield line.rstrip("\n").split("\t")
            if self.progress:
                self.progress(self.path.name, self.size, self.size)

    def need(self, *names: str) -> list[int]:
        missing = [n for n in names if n not in self.columns]
        if missing:
            raise FileError(
                f"{self.path}: not an IMDb dataset file (no {', '.join(missing)} column)"
            )
        return [self.columns[n] for n in names]


def read_imdb_folder(
    folder: Path, scratch: Path, report: CatalogueReport, progress: Progress | None = None
) -> Iterator[CatalogueFilm]:
    """Films from a folder of IMDb dataset files. `scratch` is a file this may create and
    delete (beside the catalogue being written, so on the same disk)."""
    files = {name: _find(folder, name) for name in REQUIRED + OPTIONAL}
    missing = [f"{name}.tsv" for name in REQUIRED if files[name] is None]
    if missing:
        raise FileError(
            f"{folder}: IMDb dataset files missing: {', '.join(missing)} (.tsv or .tsv.gz)"
        )
    db = sqlite3.connect(scratch)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.executescript("""
            CREATE TABLE basics (id INTEGER PRIMARY KEY, title TEXT, original TEXT, year INTEGER,
                                 runtime INTEGER, genres TEXT);
            CREATE TABLE people (film INTEGER, role TEXT, ordering INTEGER, person INTEGER);
            CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT);
            CREATE TABLE akas (film INTEGER, title TEXT);
        """)
        kept = _basics(_Lines(files["title.basics"], progress), db, report)  # type: ignore[arg-type]
        needed: set[int] = set()
        _crew(_Lines(files["title.crew"], progress), db, kept, needed)  # type: ignore[arg-type]
        if files["title.principals"] is not None:
            _principals(_Lines(files["title.principals"], progress), db, kept, needed)
        _names(_Lines(files["name.basics"], progress), db, needed)  # type: ignore[arg-type]
        needed.clear()
        if files["title.akas"] is not None:
            _akas(_Lines(files["title.akas"], progress), db, kept)
        kept.clear()
        db.commit()
        yield from _films(db)
    finally:
        db.close()
        with contextlib.suppress(FileNotFoundError):
            scratch.unlink()


def _basics(lines: _Lines, db: sqlite3.Connection, report: CatalogueReport) -> set[int]:
    kept: set[int] = set()
    batch: list[tuple] = []
    rows = iter(lines)
    first = next(rows, None)
    if first is None:
        return kept
    tconst, kind, title, original, adult, year, runtime, genres = lines.need(
        "tconst",
        "titleType",
        "primaryTitle",
        "originalTitle",
        "isAdult",
        "startYear",
        "runtimeMinutes",
        "genres",
    )
    width = max(tconst, kind, title, original, adult, year, runtime, genres) + 1
    for row in _chain(first, rows):
        report.rows += 1
        if len(row) < width or row[kind] not in FILM_TYPES or row[adult] == "1":
            report.skipped += 1
            continue
        try:
            film = _number(row[tconst])
            year_value = int(row[year]) if row[year] != "\\N" else None
            minutes = int(row[runtime]) if row[runtime] != "\\N" else None
        except ValueError:
            report.skipped += 1
            continue
        kept.add(film)
        batch.append((film, row[title], row[original], year_value, minutes, row[genres]))
        if len(batch) >= 50_000:
            db.executemany("INSERT OR REPLACE INTO basics VALUES (?,?,?,?,?,?)", batch)
            batch.clear()
    db.executemany("INSERT OR REPLACE INTO basics VALUES (?,?,?,?,?,?)", batch)
    report.kept += len(kept)
    return kept


def _chain(first: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest


def _crew(lines: _Lines, db: sqlite3.Connection, kept: set[int], needed: set[int]) -> None:
    rows = iter(lines)
    first = next(rows, None)
    if first is None:
        return
    tconst, directors = lines.need("tconst", "directors")
    writers = lines.columns.get("writers")  # optional: only the question parser uses them
    batch = []
    for row in _chain(first, rows):
        if len(row) <= max(tconst, directors):
            continue
        with contextlib.suppress(ValueError):
            film = _number(row[tconst])
            if film not in kept:
                continue
            for role, column in (("director", directors), ("writer", writers)):
                if column is None or len(row) <= column or row[column] == "\\N":
                    continue
                for order, person in enumerate(row[column].split(",")[:TOP_BILLED]):
                    number = _number(person)
                    needed.add(number)
                    batch.append((film, role, order, number))
    db.executemany("INSERT INTO people VALUES (?,?,?,?)", batch)


def _principals(lines: _Lines, db: sqlite3.Connection, kept: set[int], needed: set[int]) -> None:
    rows = iter(lines)
    first = next(rows, None)
    if first is None:
        return
    tconst, ordering, nconst, category = lines.need("tconst", "ordering", "nconst", "category")
    batch: list[tuple] = []
    for row in _chain(first, rows):
        if len(row) <= max(tconst, ordering, nconst, category):
            continue
        if row[category] not in {"actor", "actress", "self"}:
            continue
        with contextlib.suppress(ValueError):
            film, order = _number(row[tconst]), int(row[ordering])
            if film not in kept or order > TOP_BILLED * 2:
                continue
            person = _number(row[nconst])
            needed.add(person)
            batch.append((film, "cast", order, person))
            if len(batch) >= 50_000:
                db.executemany("INSERT INTO people VALUES (?,?,?,?)", batch)
                batch.clear()
    db.executemany("INSERT INTO people VALUES (?,?,?,?)", batch)


def _names(lines: _Lines, db: sqlite3.Connection, needed: set[int]) -> None:
    rows = iter(lines)
    first = next(rows, None)
    if first is None:
        return
    nconst, name = lines.need("nconst", "primaryName")
    batch: list[tuple] = []
    for row in _chain(first, rows):
        if len(row) <= max(nconst, name):
            continue
        with contextlib.suppress(ValueError):
            person = _number(row[nconst])
            if person in needed:
                batch.append((person, row[name]))
                if len(batch) >= 50_000:
                    db.executemany("INSERT OR REPLACE INTO names VALUES (?,?)", batch)
                    batch.clear()
    db.executemany("INSERT OR REPLACE INTO names VALUES (?,?)", batch)


def _akas(lines: _Lines, db: sqlite3.Connection, kept: set[int]) -> None:
    rows = iter(lines)
    first = next(rows, None)
    if first is None:
        return
    title_id, title = lines.need("titleId", "title")
    batch: list[tuple] = []
    for row in _chain(first, rows):
        if len(row) <= max(title_id, title):
            continue
        with contextlib.suppress(ValueError):
            film = _number(row[title_id])
            if film in kept:
                batch.append((film, row[title]))
                if len(batch) >= 50_000:
                    db.executemany("INSERT INTO akas VALUES (?,?)", batch)
                    batch.clear()
    db.executemany("INSERT INTO akas VALUES (?,?)", batch)


def _genres(names: str) -> tuple[str, ...]:
    out: list[str] = []
    for name in names.split(",") if names != "\\N" else []:
        with contextlib.suppress(UnknownGenre):  # "Short", "News", "Reality-TV": not ours
            out += [g for g in canonical_genres(name) if g not in out]
    return tuple(out)


def _films(db: sqlite3.Connection) -> Iterator[CatalogueFilm]:
    db.execute("CREATE INDEX people_by_film ON people(film)")
    db.execute("CREATE INDEX akas_by_film ON akas(film)")
    people = db.cursor()
    for film, title, original, year, runtime, genres in db.execute(
        "SELECT id, title, original, year, runtime, genres FROM basics ORDER BY id"
    ):
        credited: dict[str, list[str]] = {"director": [], "cast": [], "writer": []}
        for role, name in people.execute(
            "SELECT p.role, n.name FROM people p JOIN names n ON n.id = p.person "
            "WHERE p.film=? ORDER BY p.role, p.ordering",
            (film,),
        ):
            credited[role].append(name)
        directors, cast = credited["director"], credited["cast"]
        akas = tuple(
            dict.fromkeys(
                t
                for (t,) in people.execute("SELECT title FROM akas WHERE film=?", (film,))
                if t not in (title, original)
            )
        )
        imdb_id = f"tt{film:07d}"
        facts = {
            "genres": _genres(genres),
            "directors": tuple(dict.fromkeys(directors)),
            "cast": tuple(dict.fromkeys(cast))[:TOP_BILLED],
            "runtime": runtime,
        }
        yield CatalogueFilm(
            key=imdb_id,
            title=title,
            year=year,
            imdb_id=imdb_id,
            original_title=original if original != title else None,
            akas=akas,
            writers=tuple(dict.fromkeys(credited["writer"])),
            sources={name: SOURCE for name, value in facts.items() if value},
            **facts,  # type: ignore[arg-type]
        )
