"""A version's segments read as one index: passages, reviews and films numbered across them,
the rows its deletion masks name left out, each film's facts from the newest segment that
has them. What answering reads (`Snapshot`) is this, so it never sees a segment.

Passage and review rows are the live rows of each segment in turn (so passage ids stay in
ascending order); film rows are the first segment's films, then the films later segments add.
A version of one segment without deletions uses that segment's memory-mapped arrays as they
are; otherwise the row arrays are put together when the version opens (milliseconds at a
million passages) and the rest (vectors, BM25, texts) is read through the segments.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, overload

import numpy as np

from index.knowledge import filters as registry
from index.knowledge.films import director_names, normalize_title
from index.knowledge.people import People, aliases
from index.storage.film_table import ROLES, Films, FilmTable, film_from_data
from index.storage.lexical import (
    K1,
    LEXICAL_DIR,
    B,
    Counted,
    LexicalIndex,
    Matches,
    _encode,
    name_stems,
    tokenize,
)
from index.storage.rows import Utf8Strings
from index.storage.segments import Segment, base_films
from index.storage.views import PatchedGroups
from index.types import BASE_LIBRARY, Film


@dataclass
class Part:
    """One segment as a version has it: which of its rows are live, and where they start
    among the version's rows."""

    segment: Segment
    deleted: np.ndarray  # the segment's review rows this version deleted (sorted)
    review_start: int = 0
    passage_start: int = 0
    film_map: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @cached_property
    def review_live(self) -> np.ndarray | None:
        """bool per review of the segment (None: all live)."""
        if not len(self.deleted):
            return None
        live = np.ones(len(self.segment.rows.review_ids), bool)
        live[self.deleted] = False
        return live

    @cached_property
    def passage_live(self) -> np.ndarray | None:
        """bool per passage of the segment (None: all live)."""
        live = self.review_live
        return None if live is None else live[self.segment.rows.passage_review]

    @cached_property
    def passage_rows(self) -> np.ndarray | None:
        """The segment's row of each live passage (None: every row, in order)."""
        live = self.passage_live
        return None if live is None else np.flatnonzero(live)

    @cached_property
    def review_rows(self) -> np.ndarray | None:
        live = self.review_live
        return None if live is None else np.flatnonzero(live)

    @property
    def n_reviews(self) -> int:
        rows = self.review_rows
        return len(self.segment.rows.review_ids) if rows is None else len(rows)

    @property
    def n_passages(self) -> int:
        rows = self.passage_rows
        return self.segment.n_passages if rows is None else len(rows)

    def base_films(self) -> np.ndarray:
        """The segment's film rows (its own numbering) with a live review of the base
        library."""
        films = np.flatnonzero(base_films(self.segment.rows, self.review_live)).astype(np.int64)
        films.flags.writeable = False  # kept for later versions (`Segment.derived`)
        return films

    def sees(self, names: Sequence[str]) -> np.ndarray:
        """Whether each live review of the segment is in one of these libraries: worked out
        once per segment, deletion mask and the libraries of it these name."""
        rows = self.segment.rows
        codes = tuple(i for i, name in enumerate(rows.libraries) if name in names)

        def local() -> np.ndarray:
            mask = np.isin(np.asarray(rows.review_library), codes)
            mask = mask if self.review_rows is None else mask[self.review_rows]
            mask.flags.writeable = False  # kept for later versions (`Segment.derived`)
            return mask

        return self.segment.derived(("sees", codes), self.deleted, local)

    @cached_property
    def deleted_ids(self) -> np.ndarray:
        """The passage ids of the deleted reviews (for stores that filter by payload)."""
        live = self.passage_live
        if live is None:
            return np.zeros(0, np.int64)
        return np.asarray(self.segment.rows.passage_ids)[~live].astype(np.int64)

    def to_local(self, rows: np.ndarray) -> np.ndarray:
        """The version's passage rows (of this part) as the segment's rows."""
        local = np.asarray(rows, dtype=np.int64) - self.passage_start
        return local if self.passage_rows is None else self.passage_rows[local]

    def to_version(self, local: np.ndarray) -> np.ndarray:
        """The segment's passage rows (live ones) as the version's rows."""
        local = np.asarray(local, dtype=np.int64)
        if self.passage_rows is None:
            return local + self.passage_start
        return np.searchsorted(self.passage_rows, local) + self.passage_start

    def local_mask(self, rows: np.ndarray | None) -> np.ndarray | None:
        """A mask over the version's passages (None: all of them) as a mask over the segment's
        passages, the deleted ones never set (None: every passage, none deleted)."""
        if rows is None and self.passage_live is None:
            return None
        if rows is None:
            return self.passage_live
        mine = rows[self.passage_start : self.passage_start + self.n_passages]
        if self.passage_rows is None:
            return mine
        out = np.zeros(self.segment.n_passages, bool)
        out[self.passage_rows] = mine
        return out


class SegmentedStrings(Sequence[str]):
    """Strings of several segments' rows (their live ones) read as one sequence."""

    def __init__(self, parts: list[tuple[Utf8Strings, np.ndarray | None, int]]) -> None:
        self._parts = parts
        self._starts = np.array([start for _, _, start in parts], np.int64)
        self._len = sum(len(s) if rows is None else len(rows) for s, rows, _ in parts)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, row: int) -> str: ...
    @overload
    def __getitem__(self, row: slice) -> list[str]: ...
    def __getitem__(self, row: int | slice) -> str | list[str]:
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        row = range(self._len)[row]
        k = int(np.searchsorted(self._starts, row, side="right")) - 1
        strings, rows, start = self._parts[k]
        local = row - start
        return strings[int(local if rows is None else rows[local])]

    def __iter__(self) -> Iterator[str]:
        for strings, rows, _ in self._parts:
            if rows is None:
                yield from strings
            else:
                for local in rows.tolist():
                    yield strings[local]


class SegmentedVectors:
    """The version's passage vectors (its live rows, in order), read from each segment's
    memory-mapped file: `vectors[rows]` gathers just those rows."""

    def __init__(self, parts: list[Part], dim: int) -> None:
        self._parts = [p for p in parts if p.n_passages]
        self._starts = np.array([p.passage_start for p in self._parts], np.int64)
        self._len = sum(p.n_passages for p in self._parts)
        self.shape = (self._len, dim)
        self.dtype = np.dtype(np.float32)
        self.ndim = 2

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, rows: Any) -> np.ndarray:
        if isinstance(rows, slice):
            rows = np.arange(*rows.indices(self._len))
        scalar = np.ndim(rows) == 0
        rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
        if rows.dtype == bool:
            rows = np.flatnonzero(rows)
        out = np.empty((len(rows), self.shape[1]), np.float32)
        which = np.searchsorted(self._starts, rows, side="right") - 1
        for k in np.unique(which).tolist():
            at = np.flatnonzero(which == k)
            part = self._parts[k]
            local = part.to_local(rows[at])
            order = np.argsort(local, kind="stable")  # read the file in order
            out[at[order]] = np.asarray(part.segment.vectors[local[order]])
        return out[0] if scalar else out

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        whole = self[np.arange(self._len)] if self._len else np.zeros(self.shape, np.float32)
        return whole if dtype is None else whole.astype(dtype)


class CombinedLexical:
    """BM25 over the live passages of every segment, scored as one index of them would be:
    N, the mean length and each stem's document frequency count live passages only. A
    member's small segment that lacks a stem is passed over by a set lookup (`small_vocab`),
    so a question costs about the same with 50 of them as with none."""

    def __init__(self, parts: list[tuple[LexicalIndex, Part]]) -> None:
        self._parts = [(index, part) for index, part in parts if part.n_passages]
        self.stopwords = parts[0][0].stopwords if parts else frozenset()
        self.size = sum(part.n_passages for _, part in self._parts)
        total = 0.0
        for index, part in self._parts:
            lengths = np.asarray(index.doc_len)
            total += float(
                lengths.sum() if part.passage_live is None else lengths[part.passage_live].sum()
            )
        self._avgdl = total / self.size if self.size else 1.0
        self._small = [index.small_vocab for index, _ in self._parts]

    def counted(self, among: np.ndarray | None) -> Counted:
        """N, the mean length and each segment's share of `among` (a bool per version row;
        None: every live passage)."""
        if among is None:
            return Counted(None, self.size, self._avgdl, (None,) * len(self._parts))
        local = tuple(part.local_mask(among) for _, part in self._parts)
        n = int(np.count_nonzero(among))
        total = sum(
            float(np.asarray(index.doc_len)[mask].sum())
            for (index, _), mask in zip(self._parts, local, strict=True)
            if mask is not None
        )
        return Counted(among, n, total / n if n else 1.0, local)

    def _postings(
        self, index: LexicalIndex, part: Part, stem: bytes, among: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        at = int(np.searchsorted(index.vocab, stem)) if len(index.vocab) else 0
        if at >= len(index.vocab) or index.vocab[at] != stem:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        start, end = int(index.indptr[at]), int(index.indptr[at + 1])
        docs = np.asarray(index.docs[start:end]).astype(np.int64)
        if len(docs) and not (
            0 <= start <= end <= len(index.docs) and docs.min() >= 0 and docs.max() < index.size
        ):
            from index.errors import REBUILD, IndexDamaged

            raise IndexDamaged(f"the BM25 postings are damaged; {REBUILD}")
        tf = np.asarray(index.tf[start:end], dtype=np.float32)
        keep = part.passage_live if among is None else among
        if keep is not None:
            seen = keep[docs]
            docs, tf = docs[seen], tf[seen]
        return docs, tf

    def match(self, query: str, among: np.ndarray | Counted | None = None) -> Matches:
        """As `LexicalIndex.match`: `among` (a bool per version row), the passages a place
        may see, the only ones scored and counted (N, mean length, document frequency); or
        `counted(among)`, counted already."""
        stems = tokenize([query], self.stopwords)[0] if self.size else []
        if not stems:
            return Matches.empty()
        counted = among if isinstance(among, Counted) else self.counted(among)
        n, avgdl, local = counted.n, counted.avgdl, counted.local
        rows, scores = [], []
        for stem in _encode(stems):
            key = bytes(stem)
            found = [
                (index, part, *self._postings(index, part, stem, mask))
                for (index, part), mask, small in zip(self._parts, local, self._small, strict=True)
                if small is None or key in small
            ]
            df = sum(len(docs) for *_, docs, _ in found)
            if not df:
                continue
            idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
            for index, part, docs, tf in found:
                if not len(docs):
                    continue
                norm = K1 * ((1 - B) + B * np.asarray(index.doc_len[docs]) / avgdl)
                rows.append(part.to_version(docs))
                scores.append((idf * tf / (tf + norm)).astype(np.float32))
        return Matches.summed(rows, scores, self.size)

    def containing(self, text: str) -> np.ndarray:
        found = []
        stems = _encode(name_stems(text, self.stopwords))  # once, not once per segment
        keys = stems.tolist()
        for (index, part), small in zip(self._parts, self._small, strict=True):
            if small is not None and not small.issuperset(keys):
                continue  # a member's segment without the name: a set lookup
            local = index.holding(stems)
            if not len(local):
                continue
            if part.passage_live is not None:
                local = local[part.passage_live[local]]
            found.append(part.to_version(local))
        return np.concatenate(found).astype(np.int64) if found else np.zeros(0, np.int64)

    def scores(self, query: str) -> np.ndarray:
        return self.match(query).dense(self.size)


@dataclass
class Combined:
    """Everything a snapshot reads of a version, across its segments."""

    parts: list[Part]
    table: FilmTable
    film_row: dict[str, int]
    owner: np.ndarray  # per film row: the part whose record of it counts
    review_ids: Sequence[str]
    review_film: np.ndarray
    review_rating: np.ndarray
    review_library: np.ndarray
    libraries: list[str]
    passage_review: np.ndarray
    passage_ids: np.ndarray
    vectors: Any  # np.ndarray or SegmentedVectors
    dim: int

    @property
    def n_passages(self) -> int:
        return len(self.passage_ids)

    def lexical(self) -> LexicalIndex | CombinedLexical:
        stopwords = None
        for part in self.parts:  # the stopwords a saved index keeps: bm25s need not be imported
            if LexicalIndex.saved(part.segment.path / LEXICAL_DIR):
                stopwords = part.segment.lexical(None).stopwords
                break
        indexes = [(part.segment.lexical(stopwords), part) for part in self.parts]
        if len(indexes) == 1 and indexes[0][1].passage_live is None:
            return indexes[0][0]
        return CombinedLexical(indexes)

    def stale(self, k: int) -> dict[str, np.ndarray]:
        """Films with passages in part `k` whose facts a later segment holds: the payloads that
        segment's store keeps for them may be out of date. film id -> the part's passage rows
        (the segment's, live ones) of that film."""
        part = self.parts[k]
        rows = part.segment.rows
        films = part.film_map[rows.review_film[rows.passage_review]]
        later = self.owner[films] > k
        if part.passage_live is not None:
            later &= part.passage_live
        out: dict[str, np.ndarray] = {}
        if later.any():
            ids = self.table.films.ids
            for film in np.unique(films[later]).tolist():
                out[ids[film]] = np.flatnonzero(later & (films == film))
        return out


def combine(parts: list[Part], dim: int) -> Combined:
    """The version made of `parts` (oldest segment first)."""
    table, film_row, owner = _films(parts)
    libraries: list[str] = [BASE_LIBRARY]
    for part in parts:
        libraries += [name for name in part.segment.rows.libraries if name not in libraries]
    review_start = passage_start = 0
    for part in parts:  # (each part's film_map: set by _films)
        part.review_start, part.passage_start = review_start, passage_start
        review_start += part.n_reviews
        passage_start += part.n_passages
    if len(parts) == 1 and parts[0].review_live is None:
        rows = parts[0].segment.rows
        codes = np.array([libraries.index(n) for n in rows.libraries], np.int16)
        same = list(rows.libraries) == libraries[: len(rows.libraries)]
        return Combined(
            parts,
            table,
            film_row,
            owner,
            rows.review_ids,
            rows.review_film,
            rows.review_rating,
            rows.review_library if same else codes[rows.review_library],
            libraries,
            rows.passage_review,
            rows.passage_ids,
            parts[0].segment.vectors,
            dim,
        )
    joined = _joined(parts, libraries)  # mypy cannot count a tuple's parts: as Combined's
    return Combined(parts, table, film_row, owner, *joined, dim)  # type: ignore[call-arg]


def _joined(parts: list[Part], libraries: list[str]) -> tuple[Any, ...]:
    """The row arrays of several segments (their live rows), one after the other: review
    ids, films, ratings, libraries, the libraries' names, passage reviews, passage ids, and
    the vectors."""
    films, ratings, owners, passage_review, passage_ids, strings = [], [], [], [], [], []
    for part in parts:
        rows = part.segment.rows
        live, plive = part.review_rows, part.passage_rows
        codes = np.array([libraries.index(n) for n in rows.libraries] or [0], np.int16)

        def pick(a: Any, live: np.ndarray | None = live) -> np.ndarray:
            return np.asarray(a) if live is None else np.asarray(a)[live]

        films.append(part.film_map[pick(rows.review_film)])
        ratings.append(pick(rows.review_rating))
        owners.append(codes[pick(rows.review_library)])
        strings.append((rows.review_ids, live, part.review_start))
        renumber = None if part.review_live is None else np.cumsum(part.review_live) - 1
        local = (
            np.asarray(rows.passage_review)
            if plive is None
            else np.asarray(rows.passage_review)[plive]
        )
        passage_review.append((local if renumber is None else renumber[local]) + part.review_start)
        passage_ids.append(
            np.asarray(rows.passage_ids) if plive is None else np.asarray(rows.passage_ids)[plive]
        )
    return (
        SegmentedStrings(strings),
        np.concatenate(films or [np.zeros(0)]).astype(np.int32),
        np.concatenate(ratings or [np.zeros(0)]).astype(np.float32),
        np.concatenate(owners or [np.zeros(0)]).astype(np.int16),
        libraries,
        np.concatenate(passage_review or [np.zeros(0)]).astype(np.int32),
        np.concatenate(passage_ids or [np.zeros(0)]).astype(np.int64),
        SegmentedVectors(parts, int(parts[0].segment.vectors.shape[1]) if parts else 384),
    )


# ---------------------------------------------------------------------- films
def _films(parts: list[Part]) -> tuple[FilmTable, dict[str, int], np.ndarray]:
    """The version's film table: the first segment's, with what later segments say of their
    films (a newer record, a film added, a film gone) laid over it."""
    if not parts:
        empty = Films([], [], [], np.zeros(0, np.uint8), np.zeros(1, np.int64))
        counts: dict[str, dict[str, int]] = {role: {} for role in ROLES}
        tables: dict[str, dict[str, str]] = {role: {} for role in ROLES}
        groups: dict[str, dict[str, np.ndarray]] = {n: {} for n in registry.keyword_facts()}
        z = np.zeros(0, np.int32)
        table = FilmTable(empty, [], z, z, groups, People.tabled(counts, tables), counts, tables)
        return table, {}, np.zeros(0, np.int64)
    first = parts[0].segment
    base = first.film_table
    base_row = _film_rows(first)
    n_base = len(base.films)
    rows: dict[str, int] = {}  # films later segments add
    newer: dict[int, tuple[str, tuple[str, int | None, str]]] = {}  # row -> (id, record)
    gone: set[int] = set()
    owner = np.zeros(n_base, np.int64)
    owners: dict[int, int] = {}
    for k, part in enumerate(parts[1:], start=1):
        segment = part.segment
        for fid, record in segment.records.items():
            row = base_row.get(fid)
            if row is None:
                row = rows.setdefault(fid, n_base + len(rows))
            newer[row] = (fid, record)
            owners[row] = k
            gone.discard(row)
        for fid in segment.gone:
            row = base_row.get(fid, rows.get(fid))
            if row is not None:
                gone.add(row)
                owners[row] = k
    film_row = {**base_row, **rows} if rows else base_row
    for k, part in enumerate(parts):
        ids = part.segment.film_ids
        part.film_map = (
            np.arange(len(ids), dtype=np.int64)
            if k == 0
            else np.array([film_row[fid] for fid in ids], dtype=np.int64)
        )
    counted, everyone = _base_films(parts, n_base, n_base + len(rows))
    differ = set(np.flatnonzero(counted != everyone[:n_base]).tolist())
    if not owners and not differ:
        return base, base_row, owner
    owner = np.zeros(n_base + len(rows), np.int64)
    for row, k in owners.items():
        owner[row] = k
    table = _patched(base, rows, newer, gone, (counted, everyone, differ))
    return table, film_row, owner


def _base_films(parts: list[Part], n_base: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Which films the base library reviews: as the first segment's film table counted its
    people (its own rows), and in the version (every segment's live reviews). People are
    named by everyone's films only: the base library's."""
    counted = np.zeros(n_base, dtype=bool)
    first = parts[0].segment
    none = np.zeros(0, np.int64)
    mine = first.derived("base films", none, lambda: base_films(first.rows))[:n_base]
    counted[: len(mine)] = mine
    everyone = np.zeros(n, dtype=bool)
    for part in parts:
        everyone[
            part.film_map[part.segment.derived("live base films", part.deleted, part.base_films)]
        ] = True
    return counted, everyone


def _film_rows(segment: Segment) -> dict[str, int]:
    cached = segment.__dict__.get("_film_rows")
    if cached is None:
        cached = segment.__dict__["_film_rows"] = {
            fid: i for i, fid in enumerate(segment.film_table.films.ids)
        }
    return cached


def _patched(
    base: FilmTable,
    added: dict[str, int],
    newer: dict[int, tuple[str, tuple[str, int | None, str]]],
    gone: set[int],
    based: tuple[np.ndarray, np.ndarray, set[int]],
) -> FilmTable:
    """`base` with later segments' records (`newer`) and films gone (`gone`: kept as rows
    nothing finds, no filter, title or person, until a merge drops them); the people
    counted again for those films and the ones the base library now reviews, or no longer
    does (`based`: as `base` counted, as the version has it, the rows that differ)."""
    n_base = len(base.films)
    ids = list(base.films.ids) + list(added)
    titles = list(base.films.titles) + [fid for fid in added]
    years: list[int | None] = list(base.films.years) + [None] * len(added)
    keys = list(base.keys) + [""] * len(added)
    year = np.concatenate([np.asarray(base.year), np.full(len(added), -1, np.int32)])
    runtime = np.concatenate([np.asarray(base.runtime), np.full(len(added), -1, np.int32)])
    overrides: dict[int, Film] = {}
    grouped: dict[str, dict[str, list[int]]] = {name: {} for name in registry.keyword_facts()}
    for row, (fid, (title, film_year, data)) in newer.items():
        d = json.loads(data)
        overrides[row] = film_from_data(fid, title, film_year, d)
        titles[row], years[row] = title, film_year
        if row in gone:
            continue
        keys[row] = normalize_title(title)
        year[row] = film_year or -1
        runtime[row] = d.get("runtime") or -1
        for fact, values in registry.film_facts({**d, "year": film_year}):
            if fact.kind == "keyword":
                for value in values:
                    grouped[fact.name].setdefault(value, []).append(row)
    for row in gone:
        keys[row], year[row], runtime[row] = "", -1, -1
        if row >= n_base and row not in overrides:
            overrides[row] = Film(ids[row], titles[row], None, (), (), None, (), (), 0)
    changed = sorted({*newer, *gone})
    rows = np.array(changed, dtype=np.int32)
    groups = {name: PatchedGroups(base.groups[name], rows, grouped[name]) for name in grouped}

    def film(row: int) -> Film | None:
        return None if row in gone else overrides.get(row) or base.films[row]

    plain, tables = _recounted(base, sorted({*changed, *based[2]}), film, *based[:2])
    films = Films(ids, titles, years, base.films._records, base.films._offsets, overrides)
    return FilmTable(
        films, keys, year, runtime, groups, People.tabled(plain, tables), plain, tables
    )


def _recounted(
    base: FilmTable,
    rows: list[int],
    film: Callable[[int], Film | None],
    counted: np.ndarray,
    everyone: np.ndarray,
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, str]]]:
    """The people's film counts and alias tables of `base` with these film rows counted
    again: what the first segment counted of them (`counted`) taken out, each film as the
    version has it (`film`; None: gone) put back when the base library reviews it."""
    counts = {role: Counter(base.counts[role]) for role in ROLES}
    fallen: dict[str, set[str]] = {role: set() for role in ROLES}  # names counted less now

    def people(of: Film) -> dict[str, list[str]]:
        return {"director": director_names(of.director), "cast": list(of.cast)}

    for row in rows:
        if row < len(counted) and counted[row]:
            for role, names in people(base.films[row]).items():
                counts[role].subtract(names)
                fallen[role].update(names)
        now = film(row)
        if now is not None and everyone[row]:
            for role, names in people(now).items():
                counts[role].update(names)
    plain: dict[str, dict[str, int]] = {}
    tables: dict[str, dict[str, str]] = {}
    for role in ROLES:
        named = +counts[role]  # a name no film has any more is gone
        table = base.tables[role]
        lost = {name for name in fallen[role] if name not in named}
        new = [name for name in named if name not in base.counts[role]]
        if lost or new:
            table = {key: name for key, name in table.items() if name not in lost}
            for key, name in aliases(new).items():
                table.setdefault(key, name)
        plain[role], tables[role] = dict(named), table
    return plain, tables
