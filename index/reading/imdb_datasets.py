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
import itertools
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
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


NONE = "\\N"  # IMDb's empty value
LINE_LIMIT = 1 << 20  # no IMDb row comes near 1 MiB: a longer line is not this format
BATCH = 50_000


class BadRow(ValueError):
    """A row that does not fit its file's format; reported with the file and line."""


def imdb_number(token: str, prefix: str) -> int:
    """ "tt0111161" / "nm0000151" -> 111161 / 151: ids kept as integers to stay small, and
    only ids SQLite can hold (the prefix and 1-10 digits)."""
    digits = token[2:]
    if not (token.startswith(prefix) and 0 < len(digits) <= 10 and digits.isascii()):
        raise BadRow(f"{token[:24]!r} is not an IMDb id ({prefix} and up to 10 digits)")
    if not digits.isdigit():
        raise BadRow(f"{token[:24]!r} is not an IMDb id ({prefix} and up to 10 digits)")
    return int(digits)


def whole_number(token: str, what: str, low: int, high: int) -> int | None:
    """A whole number within its range, or None for IMDb's empty value."""
    if token == NONE:
        return None
    if len(token) <= 10 and token.isascii() and token.isdigit() and low <= int(token) <= high:
        return int(token)
    raise BadRow(f"{what} {token[:24]!r} is not a whole number in {low}-{high}")


class _Lines:
    """The rows of one dataset file, split on tabs, with progress by bytes read. A file that
    cannot be read to its end (a cut or garbled .gz, a line without end) is a FileError
    naming it, the line and why."""

    def __init__(self, path: Path, progress: Progress | None) -> None:
        self.path, self.progress = path, progress
        self.size = path.stat().st_size
        self.line = 0  # the line last read (1 is the header)

    def __iter__(self) -> Iterator[list[str]]:
        with open(self.path, "rb") as raw:
            stream = gzip.GzipFile(fileobj=raw) if self.path.suffix == ".gz" else raw
            text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="\n")
            try:
                header = self._next(text)
                self.columns = {name: i for i, name in enumerate(header.rstrip("\n").split("\t"))}
                while line := self._next(text):
                    if self.progress and self.line % 200_000 == 0:
                        self.progress(self.path.name, raw.tell(), self.size)
                    yield line.rstrip("\n").split("\t")
            except gzip.BadGzipFile:
                raise FileError(f"{self.path}: not a gzip file (rename it without .gz?)") from None
            except EOFError:
                raise FileError(
                    f"{self.path}: line {self.line}: the compressed file ended before its end "
                    "marker (cut short? download it again)"
                ) from None
            except (OSError, zlib.error) as exc:
                raise FileError(f"{self.path}: line {self.line}: damaged ({exc})") from None
            if self.progress:
                self.progress(self.path.name, self.size, self.size)

    def _next(self, text: IO[str]) -> str:
        line = text.readline(LINE_LIMIT)
        if len(line) == LINE_LIMIT and not line.endswith("\n"):
            raise FileError(
                f"{self.path}: line {self.line + 1} is longer than {LINE_LIMIT:,} characters: "
                "not an IMDb dataset file"
            )
        self.line += bool(line)
        return line

    def need(self, *names: str) -> list[int]:
        missing = [n for n in names if n not in getattr(self, "columns", {})]
        if missing:
            raise FileError(
                f"{self.path}: not an IMDb dataset file (no {', '.join(missing)} column)"
            )
        return [self.columns[n] for n in names]


# A row's wanted values (in the order asked for) -> the rows to insert (none: not wanted).
# `note` reports a value that was dropped while the row is kept; BadRow drops the row.
Parse = Callable[[tuple[str, ...], Callable[[str], None]], list[tuple[object, ...]]]


def _load(
    lines: _Lines,
    columns: tuple[str, ...],
    parse: Parse,
    db: sqlite3.Connection,
    insert: str,
    report: CatalogueReport,
    films: bool = False,
) -> None:
    """One dataset file streamed into one scratch table: each row's `columns` parsed, every
    row that does not fit reported with its file and line, the rest inserted in batches.
    `films`: this file's rows are what the report counts (read, skipped)."""
    rows = iter(lines)
    first = next(rows, None)
    if first is None:
        return
    wanted = [c for c in columns if not c.endswith("?")]
    where = lines.need(*wanted)
    required, width = itemgetter(*where), max(where) + 1
    optional = [lines.columns.get(c.removesuffix("?")) for c in columns if c.endswith("?")]
    pick: Callable[[list[str]], tuple[str, ...]] = required

    def with_optional(row: list[str]) -> tuple[str, ...]:
        """The wanted cells, then the optional ones (NONE where a file lacks "writers")."""
        extra = (row[i] if i is not None and i < len(row) else NONE for i in optional)
        return (*required(row), *extra)

    if optional:
        pick = with_optional

    source = str(lines.path)

    def note(reason: str) -> None:
        report.problem(source, f"line {lines.line}", reason)

    batch: list[tuple[object, ...]] = []
    for row in itertools.chain([first], rows):
        try:
            if len(row) < width:
                raise BadRow(f"{len(row)} cells where {len(lines.columns)} columns are named")
            found = parse(pick(row), note)
        except BadRow as exc:
            note(str(exc))
            found = []
        if films:
            report.rows += 1
            report.skipped += not found
        batch += found
        if len(batch) >= BATCH:
            db.executemany(insert, batch)
            batch.clear()
    db.executemany(insert, batch)


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
        rows = _Rows()
        for name, (columns, parse, insert) in rows.steps().items():
            if (path := files[name]) is not None:
                lines = _Lines(path, progress)
                _load(lines, columns, parse, db, insert, report, films=name == "title.basics")
        report.kept += len(rows.kept)
        rows.kept.clear()  # the films' rows are read next: the sets can go
        rows.needed.clear()
        db.commit()
        yield from _films(db, str(folder))
    finally:
        db.close()
        with contextlib.suppress(FileNotFoundError):
            scratch.unlink()


# Per file: the columns read (a "?" marks one a file may lack) and where its rows go.
_TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "title.basics": (
        (
            "tconst",
            "titleType",
            "primaryTitle",
            "originalTitle",
            "isAdult",
            "startYear",
            "runtimeMinutes",
            "genres",
        ),
        "INSERT OR REPLACE INTO basics VALUES (?,?,?,?,?,?)",
    ),
    "title.crew": (("tconst", "directors", "writers?"), "INSERT INTO people VALUES (?,?,?,?)"),
    "title.principals": (
        ("tconst", "ordering", "nconst", "category"),
        "INSERT INTO people VALUES (?,?,?,?)",
    ),
    "name.basics": (("nconst", "primaryName"), "INSERT OR REPLACE INTO names VALUES (?,?)"),
    "title.akas": (("titleId", "title"), "INSERT INTO akas VALUES (?,?)"),
}


@dataclass
class _Rows:
    """What each file's row gives. Files are read in the order films -> their directors and
    cast -> those people's names -> alternative titles, so each keeps only what the ones
    before it asked for (`kept` films, `needed` people)."""

    kept: set[int] = field(default_factory=set)
    needed: set[int] = field(default_factory=set)

    def basics(self, v: tuple[str, ...], note: Callable[[str], None]) -> list[tuple[object, ...]]:
        tconst, kind, title, original, adult, year, runtime, genres = v
        if kind not in FILM_TYPES or adult == "1":
            return []
        film = imdb_number(tconst, "tt")
        if not title.strip() or title == NONE:
            raise BadRow(f"{tconst} has no title")
        values = []
        for token, what, low, high in ((year, "year", 1870, 2100), (runtime, "runtime", 1, 1500)):
            try:
                values.append(whole_number(token, what, low, high))
            except BadRow as exc:
                note(f"{tconst}: {exc}; left out")
                values.append(None)
        self.kept.add(film)
        return [(film, title, original, *values, genres)]

    def crew(self, v: tuple[str, ...], note: Callable[[str], None]) -> list[tuple[object, ...]]:
        tconst, directors, writers = v
        film = imdb_number(tconst, "tt")
        if film not in self.kept:
            return []
        out: list[tuple[object, ...]] = []
        # Writers only tell the question parser who "by Stephen King" is: never a filter.
        for role, credited in (("director", directors), ("writer", writers)):
            if credited == NONE:
                continue
            people = [imdb_number(p, "nm") for p in credited.split(",")[:TOP_BILLED]]
            self.needed.update(people)
            out += [(film, role, order, person) for order, person in enumerate(people)]
        return out

    def principals(
        self, v: tuple[str, ...], note: Callable[[str], None]
    ) -> list[tuple[object, ...]]:
        tconst, ordering, nconst, category = v
        if category not in {"actor", "actress", "self"}:
            return []
        film = imdb_number(tconst, "tt")
        order = whole_number(ordering, "ordering", 0, 1_000_000)
        if film not in self.kept or order is None or order > TOP_BILLED * 2:
            return []
        person = imdb_number(nconst, "nm")
        self.needed.add(person)
        return [(film, "cast", order, person)]

    def names(self, v: tuple[str, ...], note: Callable[[str], None]) -> list[tuple[object, ...]]:
        nconst, name = v
        person = imdb_number(nconst, "nm")
        return [(person, name)] if person in self.needed else []

    def akas(self, v: tuple[str, ...], note: Callable[[str], None]) -> list[tuple[object, ...]]:
        title_id, title = v
        film = imdb_number(title_id, "tt")
        return [(film, title)] if film in self.kept else []

    def steps(self) -> dict[str, tuple[tuple[str, ...], Parse, str]]:
        """Per file: the columns read, what a row gives, where it goes."""
        parse: dict[str, Parse] = {
            "title.basics": self.basics,
            "title.crew": self.crew,
            "title.principals": self.principals,
            "name.basics": self.names,
            "title.akas": self.akas,
        }
        return {name: (columns, parse[name], insert) for name, (columns, insert) in _TABLES.items()}


def _genres(names: str) -> tuple[str, ...]:
    out: list[str] = []
    for name in names.split(",") if names != "\\N" else []:
        with contextlib.suppress(UnknownGenre):  # "Short", "News", "Reality-TV": not ours
            out += [g for g in canonical_genres(name) if g not in out]
    return tuple(out)


def _films(db: sqlite3.Connection, folder: str) -> Iterator[CatalogueFilm]:
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
            origin=(folder, imdb_id),
            **facts,
        )
