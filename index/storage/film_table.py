"""A version's films as answering reads them: ids, titles, years and runtimes as columns; each
film's facts as a JSON record read only when the film is shown; the films that have each
country, genre, language, director and actor; each person's film count and the names a
question may call them by.

Worked out once when the version is committed and kept as arrays beside it (memory-mapped),
so that opening a hundred thousand films builds no hundred thousand objects, normalises no
title and folds no name. Versions written before this are worked out on opening."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import numpy as np

from index.errors import REBUILD, IndexDamaged
from index.knowledge.films import director_names, normalize_title
from index.knowledge.filters import film_facts, keyword_facts
from index.knowledge.people import People, aliases
from index.storage import arrays
from index.types import BASE_LIBRARY, Film

FORMAT = 2
ROLES = ("director", "cast")


def film_from_data(fid: str, title: str, year: int | None, d: dict[str, Any]) -> Film:
    """A film as the films table stores it (versions written before a field existed lack it)."""
    return Film(
        film_id=fid,
        title=title,
        year=year,
        countries=tuple(d["countries"]),
        genres=tuple(d["genres"]),
        director=d["director"],
        cast=tuple(d["cast"]),
        platforms=tuple(d["platforms"]),
        n_reviews=d["n_reviews"],
        imdb_id=d.get("imdb_id"),
        languages=tuple(d.get("languages", ())),
        runtime=d.get("runtime"),
        poster_url=d.get("poster_url"),
        sources=tuple((field, source) for field, source in d.get("sources", ())),
    )


def film_record(film: Film) -> str:
    """A film's facts as the films table stores them (`film_from_data` reads them back)."""
    return json.dumps(
        {k: v for k, v in film.__dict__.items() if k not in {"film_id", "title", "year"}}
    )


class Films(Sequence[Film]):
    """The films in film_id order (a version of several segments: its first segment's, then
    films later segments added). Ids, titles and years are plain lists; a `Film` (with all its
    facts) is built when asked for, and kept. `overrides`: rows whose record a later segment
    holds (they and the rows past the records are never read from `records`)."""

    def __init__(
        self,
        ids: list[str],
        titles: list[str],
        years: list[int | None],
        records: np.ndarray,
        offsets: np.ndarray,
        overrides: dict[int, Film] | None = None,
    ) -> None:
        self.ids, self.titles, self.years = ids, titles, years
        self._records, self._offsets = records, offsets
        self._built: dict[int, Film] = dict(overrides or {})

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, row: int) -> Film: ...
    @overload
    def __getitem__(self, row: slice) -> list[Film]: ...
    def __getitem__(self, row: int | slice) -> Film | list[Film]:
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        row = range(len(self))[row]  # negative rows, and IndexError past the end
        if (film := self._built.get(row)) is None:
            start, end = int(self._offsets[row]), int(self._offsets[row + 1])
            try:
                data = json.loads(bytes(self._records[start:end]))
                film = film_from_data(self.ids[row], self.titles[row], self.years[row], data)
            except (ValueError, KeyError, TypeError):  # read only now: damage is found now
                raise IndexDamaged(f"the index's film records are damaged; {REBUILD}") from None
            self._built[row] = film
        return film

    def __iter__(self) -> Iterator[Film]:
        return (self[i] for i in range(len(self)))


class RowGroups(Mapping[str, np.ndarray]):
    """key -> the film rows that have it, kept as one sorted key list and one row array."""

    def __init__(self, keys: list[str], indptr: np.ndarray, rows: np.ndarray) -> None:
        self._at = {key: i for i, key in enumerate(keys)}
        self._indptr, self._rows = indptr, rows

    def __getitem__(self, key: str) -> np.ndarray:
        i = self._at[key]
        return np.asarray(self._rows[int(self._indptr[i]) : int(self._indptr[i + 1])])

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


@dataclass(frozen=True)
class FilmTable:
    films: Films
    keys: list[str]  # normalize_title per film
    year: np.ndarray  # int32, -1 when unknown
    runtime: np.ndarray  # int32 minutes, -1 when unknown
    groups: Mapping[str, Mapping[str, np.ndarray]]  # "countries", "genres", ... -> key -> film rows
    people: People
    # Film counts per role and name, and the names' `aliases` tables: what `people` was made
    # of, for a version whose later segments change some films' people.
    counts: dict[str, dict[str, int]]
    tables: dict[str, dict[str, str]]


def _base_films(db: sqlite3.Connection) -> np.ndarray | None:
    """Whether the base library reviews each film (a bool per film row; None: all, in a
    version from before libraries)."""
    if "library" not in {row[1] for row in db.execute("PRAGMA table_info(reviews)")}:
        return None
    found = db.execute("SELECT DISTINCT film_id FROM reviews WHERE library=?", (BASE_LIBRARY,))
    ids = {fid for (fid,) in found}
    films = db.execute("SELECT film_id FROM films ORDER BY film_id")
    return np.array([fid in ids for (fid,) in films], dtype=bool)


def _columns(db: sqlite3.Connection, base_films: np.ndarray | None = None) -> dict[str, Any]:
    """Everything the table keeps, worked out from a version's SQLite file. The people are
    those of the base library's films: everyone's, which every place's questions may name
    (a film only servers review names its people to those servers alone). `base_films`:
    which they are (a bool per film row), when a commit has just worked it out; else read
    here."""
    ids, titles, years, runtimes, records = [], [], [], [], []
    groups: dict[str, dict[str, list[int]]] = {g: {} for g in keyword_facts()}
    counts: dict[str, Counter[str]] = {role: Counter() for role in ROLES}
    everyone = base_films if base_films is not None else _base_films(db)
    for i, (fid, title, year, data) in enumerate(
        db.execute("SELECT film_id, title, year, data FROM films ORDER BY film_id")
    ):
        d = json.loads(data)
        ids.append(fid)
        titles.append(title)
        years.append(year)
        runtimes.append(d.get("runtime") or -1)
        records.append(data.encode("utf-8"))
        for fact, values in film_facts({**d, "year": year}):
            if fact.kind == "keyword":
                for value in values:
                    groups[fact.name].setdefault(value, []).append(i)
        if everyone is None or (i < len(everyone) and everyone[i]):
            counts["director"].update(director_names(d["director"]))
            counts["cast"].update(d["cast"])
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in records])]).astype(np.int64)
    return {
        "ids": ids,
        "titles": titles,
        "years": years,
        "runtimes": runtimes,
        "records": np.frombuffer(b"".join(records), dtype=np.uint8),
        "offsets": offsets,
        "keys": [normalize_title(t) for t in titles],
        "groups": groups,
        "counts": counts,
    }


def _strings(values: Sequence[str]) -> np.ndarray:
    encoded = [v.encode("utf-8") for v in values]
    return np.array(encoded, dtype=f"S{max((len(b) for b in encoded), default=1) or 1}")


def _decoded(array: np.ndarray) -> list[str]:
    return [b.decode("utf-8", "replace") for b in array.tolist()]


def write_film_table(
    db: sqlite3.Connection, folder: Path, base_films: np.ndarray | None = None
) -> None:
    c = _columns(db, base_films)
    save = {
        "film_ids": _strings(c["ids"]),
        "film_titles": _strings(c["titles"]),
        "film_year": np.array([y or -1 for y in c["years"]], np.int32),
        "film_runtime": np.array(c["runtimes"], np.int32),
        "title_keys": _strings(c["keys"]),
        "film_records": c["records"],
        "film_offsets": c["offsets"],
    }
    for group, table in c["groups"].items():
        keys = sorted(table)
        save[f"{group}_keys"] = _strings(keys)
        save[f"{group}_indptr"] = np.concatenate(
            [[0], np.cumsum([len(table[k]) for k in keys])]
        ).astype(np.int64)
        save[f"{group}_rows"] = np.array([r for k in keys for r in table[k]], np.int32)
    for role in ROLES:
        names = sorted(c["counts"][role])
        save[f"{role}_names"] = _strings(names)
        save[f"{role}_counts"] = np.array([c["counts"][role][n] for n in names], np.int32)
        table = aliases(names)
        save[f"{role}_alias_keys"] = _strings(list(table))
        save[f"{role}_alias_names"] = _strings(list(table.values()))
    for name, value in save.items():
        np.save(folder / f"{name}.npy", value)
    (folder / "films.json").write_text(json.dumps({"format": FORMAT, "films": len(c["ids"])}))


def read_film_table(folder: Path, db: sqlite3.Connection) -> FilmTable:
    """The version's film table; worked out from its SQLite file when it has none."""
    try:
        meta = json.loads((folder / "films.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        meta = {}
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        return _from_columns(_columns(db))

    def load(name: str) -> np.ndarray:
        return arrays.load(folder / f"{name}.npy", mmap_mode="r")

    years = [None if y < 0 else int(y) for y in np.asarray(load("film_year")).tolist()]
    films = Films(
        _decoded(load("film_ids")),
        _decoded(load("film_titles")),
        years,
        load("film_records"),
        load("film_offsets"),
    )
    groups = {
        g: RowGroups(_decoded(load(f"{g}_keys")), load(f"{g}_indptr"), load(f"{g}_rows"))
        for g in keyword_facts()
    }
    counts, tables = _people(load)
    keys = _decoded(load("title_keys"))
    offsets = load("film_offsets")
    if (
        not len(films) == len(keys) == meta.get("films")
        or len(offsets) != len(films) + 1
        or (len(films) and int(offsets[-1]) != len(load("film_records")))
    ):
        raise ValueError("film table of mismatched lengths")
    for g in keyword_facts():
        rows = np.asarray(load(f"{g}_rows"))
        if len(rows) and not 0 <= rows.min() <= rows.max() < len(films):
            raise ValueError(f"film table's {g} point past its films")
    return FilmTable(
        films,
        keys,
        np.asarray(load("film_year")),
        np.asarray(load("film_runtime")),
        groups,
        People.tabled(counts, tables),
        counts,
        tables,
    )


def _people(
    load: Callable[[str], np.ndarray],
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, str]]]:
    """Each role's film counts per name, and its aliases table, as saved."""
    counts, tables = {}, {}
    for role in ROLES:
        names, numbers = _decoded(load(f"{role}_names")), load(f"{role}_counts")
        counts[role] = dict(zip(names, np.asarray(numbers).tolist(), strict=True))
        keys, aliased = _decoded(load(f"{role}_alias_keys")), load(f"{role}_alias_names")
        tables[role] = dict(zip(keys, _decoded(aliased), strict=True))
    return counts, tables


def _from_columns(c: dict[str, Any]) -> FilmTable:
    films = Films(c["ids"], c["titles"], c["years"], c["records"], c["offsets"])
    groups = {}
    for group, table in c["groups"].items():
        keys = sorted(table)
        indptr = np.concatenate([[0], np.cumsum([len(table[k]) for k in keys])]).astype(np.int64)
        groups[group] = RowGroups(
            keys, indptr, np.array([r for k in keys for r in table[k]], np.int32)
        )
    years = np.array([y or -1 for y in c["years"]], np.int32)
    counts = {role: dict(c["counts"][role]) for role in ROLES}
    tables = {role: aliases(counts[role]) for role in ROLES}
    people = People.tabled(counts, tables)
    runtimes = np.array(c["runtimes"], np.int32)
    return FilmTable(films, c["keys"], years, runtimes, groups, people, counts, tables)
