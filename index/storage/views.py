"""What films are in one server's library: everyone's facts (a version's films table), with
what that server's own reviews add where everyone's lack it (its `film_views` rows). Read as
the filter registry reads a version (`index.knowledge.filters.Facts`), so a filter, a film
page and a count in a server see that server's films, and nobody else sees them."""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from index.knowledge import filters as registry
from index.storage.film_table import film_from_data
from index.types import Film, QueryFilters

if TYPE_CHECKING:
    from index.storage.snapshot import Snapshot


def view_record(film: Film) -> str:
    """A film as one library sees it, as the film_views table stores it."""
    return json.dumps({k: v for k, v in film.__dict__.items() if k != "film_id"})


class PatchedGroups(Mapping[str, np.ndarray]):
    """A keyword fact's value -> film rows, everyone's, with the rows of films this library
    sees otherwise taken out and put back under the values it sees."""

    def __init__(
        self, base: Mapping[str, np.ndarray], rows: np.ndarray, added: dict[str, list[int]]
    ) -> None:
        self._base, self._rows, self._added = base, rows, added
        # Each value's rows as patched, once: the table never changes, and a question reads
        # a few values (never more than the table holds, and it lives as long as this).
        self._patched: dict[str, np.ndarray] = {}

    def __getitem__(self, key: str) -> np.ndarray:
        found = self._patched.get(key)
        if found is not None:
            return found
        extra = self._added.get(key)
        if key not in self._base:
            if extra is None:
                raise KeyError(key)
            found = np.asarray(extra, dtype=np.int32)
        else:
            rows = np.asarray(self._base[key])
            rows = rows[~np.isin(rows, self._rows)]
            found = rows if extra is None else np.union1d(rows, extra).astype(np.int32)
        found.flags.writeable = False
        self._patched[key] = found
        return found

    def __iter__(self) -> Iterator[str]:
        yield from self._base
        yield from (key for key in self._added if key not in self._base)

    def __len__(self) -> int:
        return len(self._base) + sum(1 for key in self._added if key not in self._base)


@dataclass
class LibraryFacts:
    """A version as one server's library sees it. Everything but the films it sees otherwise
    is the snapshot's own. The snapshot keeps its views, so a view holds it weakly: a version
    must stay collectable once no search holds it."""

    _snap: weakref.ReferenceType[Snapshot]
    rows: np.ndarray  # film rows this library sees otherwise (sorted)
    own: dict[int, Film]  # row -> the film as this library sees it
    groups: dict[str, PatchedGroups]
    columns: dict[str, np.ndarray]

    @property
    def snap(self) -> Snapshot:
        snap = self._snap()
        assert snap is not None  # a view is only reached through its snapshot
        return snap

    @property
    def films(self) -> Any:
        return self.snap.films

    @property
    def review_rating(self) -> np.ndarray:
        return self.snap.review_rating

    @property
    def review_film(self) -> np.ndarray:
        return self.snap.review_film

    @property
    def passage_review(self) -> np.ndarray:
        return self.snap.passage_review

    def visible(self, library: str | None) -> np.ndarray:
        return self.snap.visible(library)

    def visible_films(self, library: str | None) -> np.ndarray:
        return self.snap.visible_films(library)

    def seen(self, library: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.snap.seen(library)

    def film(self, row: int) -> Film:
        return self.own.get(row) or self.snap.films[row]

    def changed(self, filters: QueryFilters) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Films that pass these filters here but not by everyone's facts (gained), and the
        other way round (lost): what a store filtering by payload must be told apart."""
        if not len(self.rows) or not registry.is_filtered(filters):
            return (), ()
        everyone = registry.film_mask(self.snap, filters)[self.rows]
        here = registry.film_mask(self, filters)[self.rows]
        ids = self.snap.films.ids
        gained = tuple(ids[int(r)] for r in self.rows[here & ~everyone])
        lost = tuple(ids[int(r)] for r in self.rows[everyone & ~here])
        return gained, lost


def library_facts(snap: Snapshot, records: list[tuple[str, str]]) -> LibraryFacts | None:
    """The view of a library from its film_views rows (film id, record); None without any."""
    own: dict[int, Film] = {}
    for fid, data in records:
        row = snap.film_row.get(fid)
        if row is not None:
            d = json.loads(data)
            title = d.pop("title", None) or snap.films.titles[row]
            own[row] = film_from_data(fid, title, d.pop("year", None), d)
    if not own:
        return None
    rows = np.array(sorted(own), dtype=np.int32)
    added: dict[str, dict[str, list[int]]] = {name: {} for name in registry.keyword_facts()}
    columns = {name: np.array(column) for name, column in snap.columns.items()}
    for row, film in own.items():
        record = {**json.loads(view_record(film)), "year": film.year}
        for fact, value in registry.film_facts(record):
            if fact.kind == "keyword":
                for key in value:
                    added[fact.name].setdefault(key, []).append(row)
            elif fact.name in columns:
                columns[fact.name][row] = -1 if value is None else value
    groups = {name: PatchedGroups(snap.groups[name], rows, added[name]) for name in added}
    return LibraryFacts(weakref.ref(snap), rows, own, groups, columns)
