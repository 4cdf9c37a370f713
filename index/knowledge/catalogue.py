"""The film catalogue: what is known about films independently of any review (countries,
languages, genres, directors, cast, runtime, poster), and which film a review is about.

One SQLite file per catalogue version, written once and then only read. Index versions name
the catalogue they were built with (`storage.versions` keeps the files and publishes them
with the index), so a search never sees half an import.

    films   key (imdb id, or a title-year slug), title, year, data (JSON: every fact, and
            the source of each)
    titles  every normalised title and alternative title of a film, with its year
    people  every person credited on a film (director, cast, writer), folded as questions
            are read, with their surname and film count per role: worked out once when the
            file is written, looked up by index, never loaded whole
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from index.errors import RECATALOGUE, IndexDamaged
from index.knowledge.films import film_id, normalize_title, title_keys
from index.knowledge.people import Role, fold, surname_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS films (
    key TEXT PRIMARY KEY, title TEXT NOT NULL, year INTEGER, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS titles (key TEXT NOT NULL, year INTEGER, film TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS titles_by_key ON titles(key);
CREATE INDEX IF NOT EXISTS titles_by_year ON titles(year);
CREATE TABLE IF NOT EXISTS people (
    key TEXT NOT NULL, surname TEXT, name TEXT NOT NULL, role TEXT NOT NULL, films INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS people_by_key ON people(key);
CREATE INDEX IF NOT EXISTS people_by_surname ON people(surname);
"""
# Each role's credits in a film's facts: (role, JSON path).
_CREDITS = (("director", "$.directors"), ("cast", "$.cast"), ("writer", "$.writers"))
FACTS = ("countries", "languages", "genres", "directors", "cast", "runtime", "poster_url")
IMDB_ID = re.compile(r"\btt\d{7,10}\b")


def imdb_id_in(text: str | None) -> str | None:
    """An IMDb title id written out or inside a URL ("imdb.com/title/tt0111161/")."""
    found = IMDB_ID.search(text or "")
    return found.group(0) if found else None


@dataclass(frozen=True)
class CatalogueFilm:
    """One film as the catalogue knows it; `sources` names where each fact came from."""

    key: str
    title: str
    year: int | None = None
    imdb_id: str | None = None
    original_title: str | None = None
    akas: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    runtime: int | None = None
    poster_url: str | None = None
    # Who wrote it (screenplay, or the book it is made from): known to the question parser,
    # never a filter.
    writers: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    # Where this row was read (file, row): for what an import reports; not stored.
    origin: tuple[str, str] = field(default=("", ""), compare=False)

    @staticmethod
    def key_for(imdb_id: str | None, title: str, year: int | None) -> str:
        """Its IMDb id; else the id a review of this title and year would give its film."""
        return imdb_id or film_id(title, year)

    def missing(self) -> list[str]:
        return [f for f in FACTS if not getattr(self, f)]

    def merged(self, newer: CatalogueFilm, only_missing: bool = False) -> CatalogueFilm:
        """These facts, with `newer`'s where it has them (or only where these have none)."""
        update: dict[str, Any] = {}
        sources = dict(self.sources)
        for name in FACTS:
            value = getattr(newer, name)
            if value and (not only_missing or not getattr(self, name)):
                update[name] = value
                sources[name] = newer.sources.get(name, "catalogue")
        if newer.writers and (not only_missing or not self.writers):
            update["writers"] = newer.writers
        akas = tuple(dict.fromkeys(self.akas + newer.akas))
        original = self.original_title or newer.original_title
        imdb = self.imdb_id or newer.imdb_id
        return replace(
            self, **update, akas=akas, original_title=original, imdb_id=imdb, sources=sources
        )

    def _data(self) -> str:
        data = asdict(self)
        for name in ("key", "title", "year", "origin"):
            del data[name]
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def _from_row(cls, key: str, title: str, year: int | None, data: str) -> CatalogueFilm:
        d = json.loads(data)
        d.pop("origin", None)
        tuples = {k: tuple(v) for k, v in d.items() if isinstance(v, list)}
        return cls(key=key, title=title, year=year, **{**d, **tuples})


def catalogue_damage(path: Path) -> str | None:
    """Why a published catalogue file cannot be read (None: it can): missing, not SQLite, cut
    short (its header counts more pages than the file holds) or without its tables."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            pages, size = (
                db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size")
            )
            if pages * size > path.stat().st_size:
                return f"cut short ({path.stat().st_size} of {pages * size} bytes)"
            db.execute("SELECT COUNT(*) FROM films").fetchone()
            db.execute("SELECT COUNT(*) FROM titles").fetchone()
    except (OSError, sqlite3.DatabaseError) as exc:
        return str(exc).splitlines()[0][:120] or type(exc).__name__
    return None


class Catalogue:
    """A catalogue file opened for reading (None: the empty catalogue). A published file that
    cannot be read is IndexDamaged, naming the file and how to import it again."""

    def __init__(self, path: Path | None, db: sqlite3.Connection | None = None) -> None:
        self.path = path
        if db is None and path is not None:
            try:
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.DatabaseError as exc:
                raise self._damaged(exc) from None
        self._db = db

    def _damaged(self, exc: BaseException) -> IndexDamaged:
        why = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        return IndexDamaged(f"the film catalogue {self.path} is damaged ({why}); {RECATALOGUE}")

    def _rows(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def __len__(self) -> int:
        rows = self._rows("SELECT COUNT(*) FROM films")
        return int(rows[0][0]) if rows else 0

    def get(self, key: str) -> CatalogueFilm | None:
        rows = self._rows("SELECT key, title, year, data FROM films WHERE key=?", (key,))
        return CatalogueFilm._from_row(*rows[0]) if rows else None

    def films(self) -> Iterator[CatalogueFilm]:
        if self._db is not None:
            try:
                for row in self._db.execute("SELECT key, title, year, data FROM films"):
                    yield CatalogueFilm._from_row(*row)
            except sqlite3.DatabaseError as exc:
                raise self._damaged(exc) from None

    def named(self, key: str) -> list[tuple[str, int | None]]:
        """(film key, year) of every film with this normalised title or alternative title."""
        return self._rows("SELECT DISTINCT film, year FROM titles WHERE key=?", (key,))

    def starting_with(self, typed: str, limit: int = 25) -> list[tuple[str, int | None]]:
        """(title, year) of films whose title, or an alternative one, starts with what is
        typed: an indexed range scan, quick on the largest catalogue."""
        prefix = normalize_title(typed)
        if not prefix:
            return []
        return self._rows(
            "SELECT f.title, f.year FROM films f JOIN (SELECT DISTINCT film FROM titles "
            "WHERE key >= ? AND key < ? LIMIT ?) t ON f.key = t.film",
            (prefix, prefix + "\uffff", limit),
        )

    def people_named(self, key: str) -> list[tuple[str, Role, int]]:
        """(name, role, films) of everyone credited whose folded name is `key`."""
        return self._people("SELECT name, role, films FROM people WHERE key=?", key)

    def people_surnamed(self, key: str) -> list[tuple[str, Role, int]]:
        """(name, role, films) of everyone credited whose folded surname is `key`."""
        return self._people("SELECT name, role, films FROM people WHERE surname=?", key)

    def _people(self, query: str, key: str) -> list[tuple[str, Role, int]]:
        if self._db is None or not self._counts_people:
            return []  # a catalogue written before people were counted
        return self._rows(query, (key,))

    @cached_property
    def _counts_people(self) -> bool:
        return bool(self._rows("SELECT 1 FROM sqlite_master WHERE type='table' AND name='people'"))

    def titled_in(self, low: int, high: int) -> list[tuple[str, str, int | None]]:
        """(normalised title, film key, year) of every film of these years."""
        query = "SELECT key, film, year FROM titles WHERE year BETWEEN ? AND ?"
        return self._rows(query, (low, high))


def is_imdb_key(key: str) -> bool:
    return IMDB_ID.fullmatch(key) is not None


# A row of this import that says another thing about a film an earlier row of it gave:
# (the later row, where the earlier one was read, what differs). The later row is not used.
Conflict = Callable[[CatalogueFilm, tuple[str, str], str], None]


class CatalogueWriter:
    """A new catalogue file: a copy of the previous one (if any), with films added or updated.
    `reading` looks things up in it while it is written.

    A film with an IMDb id and one without (a title-year key) are one film when their title
    and year agree and no other film fits: the one without is merged into the one with, in
    whichever order they arrive."""

    def __init__(self, path: Path, base: Path | None = None) -> None:
        self.path = path
        self.db = sqlite3.connect(path)
        if base is not None:
            with contextlib.closing(sqlite3.connect(f"file:{base}?mode=ro", uri=True)) as src:
                src.backup(self.db)
        self.db.executescript(SCHEMA)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")  # fsynced once, before it is published
        # Where each film was first read in this import (a temporary table: not published).
        self.db.execute("CREATE TEMP TABLE read_now (key TEXT PRIMARY KEY, source TEXT, at TEXT)")
        self.reading = Catalogue(path, self.db)
        # Films without an IMDb id, by (title key, year): few (catalogue files without ids),
        # so that every IMDb film asks a dict, not the database, whether it has a twin.
        self._untagged: dict[tuple[str, int], set[str]] = {}
        for key, year, film in self.db.execute(
            "SELECT key, year, film FROM titles WHERE film NOT GLOB 'tt[0-9]*' AND year IS NOT NULL"
        ):
            self._untagged.setdefault((key, year), set()).add(film)

    def get(self, key: str) -> CatalogueFilm | None:
        return self.reading.get(key)

    def put(
        self,
        films: Iterable[CatalogueFilm],
        only_missing: bool = False,
        on_conflict: Conflict | None = None,
    ) -> int:
        """Add films, or merge them into the ones of the same key; returns how many. With
        `on_conflict`, a film this import already read differently (title, year, countries)
        is passed to it and left out."""
        count = 0
        for film in films:
            twin = self._twin(film)
            if twin is not None and is_imdb_key(twin.key):  # one without an id: into its twin
                film = replace(film, key=twin.key, imdb_id=twin.imdb_id)
            old = self.get(film.key)
            if on_conflict is not None and old is not None and (why := self._differs(old, film)):
                first = self.db.execute(
                    "SELECT source, at FROM read_now WHERE key=?", (film.key,)
                ).fetchone()
                if first is not None:
                    on_conflict(film, first, why)
                    continue
            if twin is not None and not is_imdb_key(twin.key):  # its twin without an id: absorbed
                self._remove(twin.key)
                old = twin.merged(old) if old is not None else twin
                old = replace(old, key=film.key, title=film.title, year=film.year)
            if old is not None:
                film = replace(old.merged(film, only_missing), origin=film.origin)
                self.db.execute("DELETE FROM titles WHERE film=?", (film.key,))
            self._insert(film)
            if film.origin != ("", ""):
                self.db.execute(
                    "INSERT OR IGNORE INTO read_now VALUES (?,?,?)", (film.key, *film.origin)
                )
            count += 1
        return count

    def _insert(self, film: CatalogueFilm) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO films(key, title, year, data) VALUES (?,?,?,?)",
            (film.key, film.title, film.year, film._data()),
        )
        names = [film.title, *([film.original_title] if film.original_title else []), *film.akas]
        keys = dict.fromkeys(k for name in names for k in title_keys(name))
        self.db.executemany(
            "INSERT INTO titles(key, year, film) VALUES (?,?,?)",
            [(k, film.year, film.key) for k in keys],
        )
        if not is_imdb_key(film.key) and film.year is not None:
            for k in keys:
                self._untagged.setdefault((k, film.year), set()).add(film.key)

    def _remove(self, key: str) -> None:
        self.db.execute("DELETE FROM films WHERE key=?", (key,))
        self.db.execute("DELETE FROM titles WHERE film=?", (key,))
        for keys in self._untagged.values():
            keys.discard(key)

    def _twin(self, film: CatalogueFilm) -> CatalogueFilm | None:
        """The one film of the same title and year on the other side (with an IMDb id, or
        without), if exactly one: the same film, read from a source that lacked the id."""
        if film.year is None or (is_imdb_key(film.key) and not self._untagged):
            return None
        keys = title_keys(film.title)
        if is_imdb_key(film.key):
            found = set().union(*(self._untagged.get((k, film.year), set()) for k in keys))
        else:
            marks = ",".join("?" * len(keys))
            rows = self.db.execute(
                f"SELECT DISTINCT film FROM titles WHERE key IN ({marks}) AND year=? "
                "AND film GLOB 'tt[0-9]*'",
                (*keys, film.year),
            )
            found = {key for (key,) in rows if is_imdb_key(key)}
        found.discard(film.key)
        return self.get(found.pop()) if len(found) == 1 else None

    @staticmethod
    def _differs(old: CatalogueFilm, new: CatalogueFilm) -> str:
        """What two rows for one film disagree on (title, year, countries), as a phrase."""
        out = []
        if normalize_title(old.title) != normalize_title(new.title):
            out.append(f"title {old.title!r} there, {new.title!r} here")
        if old.year is not None and new.year is not None and old.year != new.year:
            out.append(f"year {old.year} there, {new.year} here")
        if old.countries and new.countries and set(old.countries) != set(new.countries):
            there, here = "|".join(old.countries), "|".join(new.countries)
            out.append(f"countries {there} there, {here} here")
        return "; ".join(out)

    def count_people(self) -> None:
        """Everyone credited on a film, folded and counted per role, in SQL over the films'
        JSON (so an IMDb-size catalogue is never held in memory)."""
        self.db.create_function("fold", 1, fold, deterministic=True)
        self.db.create_function("surname_key", 1, surname_key, deterministic=True)
        self.db.execute("DELETE FROM people")
        for role, path in _CREDITS:
            self.db.execute(
                "INSERT INTO people(key, surname, name, role, films) "
                "SELECT fold(c.value), surname_key(c.value), c.value, ?, COUNT(*) "
                "FROM films, json_each(films.data, ?) AS c "
                "WHERE json_type(films.data, ?) = 'array' AND c.type = 'text' "
                "GROUP BY c.value",
                (role, path, path),
            )

    def close(self) -> None:
        self.count_people()
        self.db.commit()
        self.db.execute("VACUUM")
        self.db.close()


How = Literal["imdb_id", "title", "fuzzy", "ambiguous", "unmatched"]


@dataclass(frozen=True)
class Resolution:
    film: CatalogueFilm | None
    how: How


def resolve(
    catalogue: Catalogue, title: str, year: int | None, imdb_id: str | None = None
) -> Resolution:
    """Which catalogue film a review is about: its IMDb id; else its title (or an alternative
    title) and year, or the year either side; else a fuzzy title match in those years, only
    when one film is clearly closest. Several films that fit equally are "ambiguous"."""
    if imdb_id and (film := catalogue.get(imdb_id)):
        return Resolution(film, "imdb_id")
    named: dict[str, int | None] = {}
    for key in title_keys(title):
        named.update(catalogue.named(key))
    if named:
        if year is None:
            pool = list(named)
        else:
            pool = [k for k, y in named.items() if y == year] or [
                k for k, y in named.items() if y is not None and abs(y - year) == 1
            ]
        if len(pool) == 1:
            return Resolution(catalogue.get(pool[0]), "title")
        if len(pool) > 1:
            return Resolution(None, "ambiguous")
    if year is not None and (film := _fuzzy(catalogue, title, year)):
        return Resolution(film, "fuzzy")
    return Resolution(None, "unmatched")


def _fuzzy(catalogue: Catalogue, title: str, year: int) -> CatalogueFilm | None:
    from rapidfuzz import fuzz, process

    wanted = normalize_title(title)
    if len(wanted) < 4:
        return None
    rows = catalogue.titled_in(year - 1, year + 1)
    if not rows:
        return None
    found = process.extract(
        wanted, [r[0] for r in rows], scorer=fuzz.ratio, limit=5, score_cutoff=88
    )
    films: dict[str, float] = {}
    for _, score, i in found:
        films.setdefault(rows[i][1], score)
    ranked = sorted(films.items(), key=lambda kv: -kv[1])
    if ranked and (len(ranked) == 1 or ranked[1][1] < ranked[0][1] - 3):
        return catalogue.get(ranked[0][0])
    return None
