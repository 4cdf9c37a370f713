"""Which films a typed title could name, without reading every title (issue #26): each key's
films, each word's films and what bounds a fuzzy score (knowledge/title_bounds.py) are worked
out once per index version, so that a lookup at 100,000 films costs milliseconds, not the
150 ms of comparing every title in Python and rapidfuzz.

The fuzzy step is still rapidfuzz's own top five (WRatio over the pool, cutoff 60, ties by
row): it scores the films that could reach the fifth score found, and only those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from index.knowledge.title_bounds import MARGIN, Shapes, plain

LIMIT = 5  # the candidates a lookup lists
CUTOFF = 60.0  # WRatio below this is no candidate
SCAN_BELOW = 1024  # a pool smaller than this is scored whole (bounding it costs more)
_FIRST = 32  # the films of highest bound scored first, for a fifth score to prune with
_NO_YEAR = np.iinfo(np.int64).min


@dataclass(frozen=True)
class TitleSearch:
    keys: np.ndarray  # object: each film's key, to hand rapidfuzz a subset
    key_ids: np.ndarray  # int32: each film's key as a number (one key, one number)
    key_id: dict[str, int]
    word_rows: np.ndarray  # int32: films by word, in row order within a word
    word_starts: np.ndarray  # int64: where each word's films begin (one more at the end)
    word_id: dict[str, int]
    shapes: Shapes
    years: np.ndarray  # int64, _NO_YEAR for none
    scan_below: int = SCAN_BELOW

    @classmethod
    def build(cls, keys: Sequence[str], years: Sequence[int | None]) -> TitleSearch:
        """Once per index version, as its titles are built (in a worker thread): about 0.5 s
        at 100,000 films (benchmarks/bench_titles.py)."""
        words = [key.split() for key in keys]
        key_id: dict[str, int] = {}
        ids = [key_id.setdefault(key, len(key_id)) for key in keys]
        word_id: dict[str, int] = {}
        flat = [word_id.setdefault(w, len(word_id)) for w in chain.from_iterable(words)]
        owner = np.repeat(np.arange(len(keys), dtype=np.int64), [len(w) for w in words])
        size = max(len(keys), 1)
        found = np.unique(np.asarray(flat, np.int64) * size + owner)  # by word, then row
        keyed = np.empty(len(keys), object)
        keyed[:] = list(keys)
        return cls(
            keys=keyed,
            key_ids=np.asarray(ids, np.int32),
            key_id=key_id,
            word_rows=(found % size).astype(np.int32),
            word_starts=np.searchsorted(found // size, np.arange(len(word_id) + 1)),
            word_id=word_id,
            shapes=Shapes.of(keys, words),
            years=np.array([_NO_YEAR if y is None else y for y in years], np.int64),
        )

    def pool(self, allowed: Sequence[bool] | np.ndarray | None, year: int | None) -> np.ndarray:
        """The films a lookup chooses from: those allowed; of the year, when any is."""
        seen = np.ones(len(self.keys), bool) if allowed is None else np.asarray(allowed, bool)
        if year is None:
            return seen
        of_year = seen & (self.years == year)
        return of_year if of_year.any() else seen

    def exact(self, wanted: str, pool: np.ndarray) -> list[int]:
        """The pool's films whose key is `wanted`, in row order."""
        kid = self.key_id.get(wanted)
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
        words = {word: self._posting(word) for word in set(wanted.split())}
        bound, ties = self.shapes.bound(wanted, words)
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

    def _posting(self, word: str) -> np.ndarray:
        i = self.word_id.get(word)
        return (
            self.word_rows[:0]
            if i is None
            else self.word_rows[self.word_starts[i] : self.word_starts[i + 1]]
        )

    def _top(self, wanted: str, rows: np.ndarray) -> list[tuple[float, int]]:
        from rapidfuzz import fuzz, process

        choices = self.keys[rows].tolist()
        found = process.extract(
            wanted, choices, scorer=fuzz.WRatio, limit=LIMIT, score_cutoff=CUTOFF
        )
        return [(score, int(rows[i])) for _, score, i in found]
