"""Which films a typed title could name, without reading every title (issue #26): each key's
films, each word's films and what bounds a fuzzy score (knowledge/title_bounds.py) are worked
out once, so that a lookup at 100,000 films costs milliseconds, not the 150 ms of comparing
every title in Python and rapidfuzz.

The fuzzy step is still rapidfuzz's own top five (WRatio over the pool, cutoff 60, ties by
row): it scores the films that could reach the fifth score found, and only those.

Every member's review opens a new index version, and with it new titles; most are the last
version's. A version's tables are therefore the last full build's, with the rows whose key
changed (a film added, renamed, gone) looked up one by one: about 0.5 s for a full build at
100,000 films, milliseconds for a version that changed a few.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain

import numpy as np

from index.knowledge.title_bounds import MARGIN, Shapes, plain, sorted_counts

LIMIT = 5  # the candidates a lookup lists
CUTOFF = 60.0  # WRatio below this is no candidate
SCAN_BELOW = 1024  # a pool smaller than this is scored whole (bounding it costs more)
PATCH_MOST = 2000  # rows changed since the last full build: more, and it is built again
_FIRST = 32  # the films of highest bound scored first, for a fifth score to prune with
_NO_YEAR = np.iinfo(np.int64).min


@dataclass(frozen=True)
class Tables:
    """What a lookup needs of a list of keys that no question changes."""

    keys: np.ndarray  # object: the keys these tables were built for
    key_id: dict[str, int]  # each distinct key's number
    key_ids: np.ndarray  # int32: each row's key number
    word_id: dict[str, int]
    word_rows: np.ndarray  # int32: rows by word, in row order within a word
    word_starts: np.ndarray  # int64: where each word's rows begin (one more at the end)
    shapes: Shapes

    @classmethod
    def of(cls, keys: Sequence[str]) -> Tables:
        words = [key.split() for key in keys]
        key_id: dict[str, int] = {}
        ids = [key_id.setdefault(key, len(key_id)) for key in keys]
        word_id: dict[str, int] = {}
        flat = [word_id.setdefault(w, len(word_id)) for w in chain.from_iterable(words)]
        owner = np.repeat(np.arange(len(keys), dtype=np.int64), [len(w) for w in words])
        size = max(len(keys), 1)
        found = sorted_counts(np.asarray(flat, np.int64) * size + owner)[0]  # by word, then row
        return cls(
            keys=_objects(keys),
            key_id=key_id,
            key_ids=np.asarray(ids, np.int32),
            word_id=word_id,
            word_rows=(found % size).astype(np.int32),
            word_starts=np.searchsorted(found // size, np.arange(len(word_id) + 1)),
            shapes=Shapes.of(keys, words),
        )

    def posting(self, word: str) -> np.ndarray:
        """The rows whose key has `word`, in order."""
        i = self.word_id.get(word)
        if i is None:
            return self.word_rows[:0]
        return self.word_rows[self.word_starts[i] : self.word_starts[i + 1]]


@dataclass(frozen=True)
class TitleSearch:
    keys: np.ndarray  # object: each film's key
    year_list: Sequence[int | None]
    tables: Tables  # of these keys, or of an earlier version's (see `redone`)
    redone: np.ndarray  # int64: rows whose key is not the one `tables` has (scored whole)
    key_ids: np.ndarray  # int32: each row's key number (`extra_ids` for keys tables lack)
    extra_ids: dict[str, int] = field(default_factory=dict)
    redone_words: dict[str, np.ndarray] = field(default_factory=dict)  # word -> redone rows
    scan_below: int = SCAN_BELOW

    @classmethod
    def build(cls, keys: Sequence[str], years: Sequence[int | None]) -> TitleSearch:
        """Once per index version, as its titles are built (in a worker thread): on the
        last full build's tables when few rows changed since."""
        tables = _LAST.get()
        found = None if tables is None else cls.on(tables, keys, years)
        if found is None:
            tables = Tables.of(keys)
            _LAST.put(tables)
            found = cls._on(tables, tables.keys, np.zeros(0, np.int64), years)
        return found

    @classmethod
    def on(
        cls, tables: Tables, keys: Sequence[str], years: Sequence[int | None]
    ) -> TitleSearch | None:
        """These keys' lookup on `tables`, built for them or for an earlier version's; None
        when too many rows differ."""
        current = _objects(keys)
        redone = _redone(tables, current)
        return None if redone is None else cls._on(tables, current, redone, years)

    @classmethod
    def _on(
        cls,
        tables: Tables,
        keys: np.ndarray,
        redone: np.ndarray,
        years: Sequence[int | None],
    ) -> TitleSearch:
        """The redone rows' keys numbered and their words listed, one by one."""
        key_ids = np.concatenate([tables.key_ids, np.zeros(len(keys) - len(tables.keys), np.int32)])
        extra_ids: dict[str, int] = {}
        words: dict[str, list[int]] = {}
        for row in redone.tolist():
            known = tables.key_id.get(keys[row])
            if known is None:
                known = extra_ids.setdefault(keys[row], -1 - len(extra_ids))
            key_ids[row] = known
            for word in set(keys[row].split()):
                words.setdefault(word, []).append(row)
        redone_words = {w: np.asarray(rows, np.int64) for w, rows in words.items()}
        return cls(keys, years, tables, redone, key_ids, extra_ids, redone_words)

    @cached_property
    def years(self) -> np.ndarray:
        """Each film's year (int64, _NO_YEAR for none): worked out for the first title typed
        with a year, not as every version opens (5 ms at 100,000 films)."""
        return np.array([_NO_YEAR if y is None else y for y in self.year_list], np.int64)

    def pool(self, allowed: Sequence[bool] | np.ndarray | None, year: int | None) -> np.ndarray:
        """The films a lookup chooses from: those allowed; of the year, when any is."""
        seen = np.ones(len(self.keys), bool) if allowed is None else np.asarray(allowed, bool)
        if year is None:
            return seen
        of_year = seen & (self.years == year)
        return of_year if of_year.any() else seen

    def exact(self, wanted: str, pool: np.ndarray) -> list[int]:
        """The pool's films whose key is `wanted`, in row order."""
        kid = self.tables.key_id.get(wanted, self.extra_ids.get(wanted))
        return [] if kid is None else np.flatnonzero((self.key_ids == kid) & pool).tolist()

    def containing(self, wanted: str, pool: np.ndarray) -> list[int]:
        """The pool's films whose key has every word of `wanted`, in row order."""
        postings = sorted((self._posting(word) for word in set(wanted.split())), key=len)
        if not postings:
            return []
        rows = postings[0]
        for other in postings[1:]:
            rows = np.intersect1d(rows, other, assume_unique=True)
        return rows[pool[rows]].tolist()

    def fuzzy(self, wanted: str, pool: np.ndarray) -> list[tuple[float, int]]:
        """rapidfuzz's top five of the pool's keys as (score, row), best first, ties by row:
        the films that could reach the fifth score found are scored, the others bounded."""
        if not wanted:  # WRatio with an empty string is 0
            return []
        rows = np.flatnonzero(pool)
        if len(rows) < self.scan_below or not plain(wanted):
            return self._top(wanted, rows)
        bound, ties = self._bound(wanted)
        bound[~pool] = -np.inf
        for score in np.unique(ties[pool & (ties > 0)]).tolist():  # all that score: five count
            tied = np.flatnonzero(pool & (ties == score))
            bound[tied[:LIMIT]], bound[tied[LIMIT:]] = np.inf, -np.inf
        sure = np.flatnonzero(bound == np.inf)
        open_ = np.flatnonzero((bound >= CUTOFF - MARGIN) & (bound < np.inf))
        if len(open_) > _FIRST:
            open_ = open_[np.argpartition(bound[open_], -_FIRST)[-_FIRST:]]
        first = np.union1d(sure, open_)
        found = self._top(wanted, first)
        floor = found[-1][0] if len(found) == LIMIT else CUTOFF
        reach = np.flatnonzero(bound >= floor - MARGIN)
        if np.isin(reach, first, assume_unique=True).all():
            return found
        return self._top(wanted, reach)

    def _bound(self, wanted: str) -> tuple[np.ndarray, np.ndarray]:
        """The tables' bounds and ties, the redone rows to be scored whole."""
        words = {word: self.tables.posting(word) for word in set(wanted.split())}
        bound, ties = self.tables.shapes.bound(wanted, words)
        if len(self.redone):
            more = len(self.keys) - len(bound)
            bound = np.concatenate([bound, np.full(more, np.inf)])
            ties = np.concatenate([ties, np.zeros(more)])
            bound[self.redone], ties[self.redone] = np.inf, 0.0
        return bound, ties

    def _posting(self, word: str) -> np.ndarray:
        """The films whose key has `word`, in row order."""
        rows = self.tables.posting(word)
        if not len(self.redone):
            return rows
        kept = rows[~np.isin(rows, self.redone)]
        return np.union1d(kept, self.redone_words.get(word, kept[:0]))

    def _top(self, wanted: str, rows: np.ndarray) -> list[tuple[float, int]]:
        from rapidfuzz import fuzz, process

        choices = self.keys[rows].tolist()
        found = process.extract(
            wanted, choices, scorer=fuzz.WRatio, limit=LIMIT, score_cutoff=CUTOFF
        )
        return [(score, int(rows[i])) for _, score, i in found]


class _Last:
    """The last full build's tables, for the next version's to start from (one at a time:
    the live index's, in a process)."""

    def __init__(self) -> None:
        self._tables: Tables | None = None
        self._lock = threading.Lock()

    def get(self) -> Tables | None:
        with self._lock:
            return self._tables

    def put(self, tables: Tables) -> None:
        with self._lock:
            self._tables = tables


_LAST = _Last()


def _redone(tables: Tables, keys: np.ndarray) -> np.ndarray | None:
    """The rows whose key is not the one `tables` has, or None when too many are."""
    built = len(tables.keys)
    if len(keys) < built or len(keys) - built > PATCH_MOST:
        return None
    changed = np.flatnonzero(keys[:built] != tables.keys)
    return None if len(changed) > PATCH_MOST else np.r_[changed, built : len(keys)]


def _objects(keys: Sequence[str]) -> np.ndarray:
    out = np.empty(len(keys), object)
    out[:] = list(keys)
    return out
