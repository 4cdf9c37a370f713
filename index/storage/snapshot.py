"""One index version opened for answering: its films and the arrays filters are computed on,
its vectors (in the chosen vector store), BM25, and its segments' SQLite files for texts.

A version is a list of segments (`versions.py`); this reads it as one index (`combined.py`):
rows, films and BM25 statistics across segments, the deleted rows left out, each film's
facts from the newest segment that has them. Segments a newer version shares with an older
one are opened once per process, so opening the version after a member's review opens one
small segment.

Everything derived from a version (title lookup, the people a question may name) is built
here once, in the thread that opens it, never on the first request that needs it."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import weakref
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from index.errors import REBUILD, IndexDamaged, IndexMissing
from index.knowledge.catalogue import Catalogue
from index.knowledge.films import director_names
from index.knowledge.people import People
from index.knowledge.titles import Titles
from index.storage.combined import Combined, CombinedLexical, combine
from index.storage.film_table import Films
from index.storage.lexical import Counted, LexicalIndex
from index.storage.vectors import SettingError, VectorBackend, VectorIndex
from index.storage.versions import Lease, VersionInfo
from index.storage.views import LibraryFacts, library_facts
from index.types import BASE_LIBRARY, Film, StoredReview


@dataclass
class Snapshot:
    info: VersionInfo
    vector_index: VectorIndex
    vectors: np.ndarray  # the local copy, memory-mapped: row = passage row
    films: Films  # a film's facts are read when it is shown
    film_row: dict[str, int]
    # Keyword facts ("countries", "genres", "languages", "directors", "cast"): value -> film
    # rows (int32); people by folded name.
    groups: Mapping[str, Mapping[str, np.ndarray]]
    columns: dict[str, np.ndarray]  # "year", "runtime": int32 per film, -1 when unknown
    title_keys: list[str]  # normalize_title per film
    people: People  # every director and cast member (and the catalogue's), for reading questions
    review_ids: Sequence[str]  # review_id per review row
    review_film: np.ndarray  # int32 film row per review
    review_rating: np.ndarray  # float32, NaN when unrated
    review_library: np.ndarray  # int16 index into `libraries` per review
    libraries: list[str]  # "base" first, then each server's library present
    passage_review: np.ndarray  # int32 review row per passage (row = FAISS id)
    passage_ids: np.ndarray  # int64 passage_id per row
    combined: Combined  # the segments it reads (texts, reviews, film views)
    lock: threading.Lock
    _visible: dict[object, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.info.name

    @cached_property
    def passage_film(self) -> np.ndarray:
        return self.review_film[self.passage_review]

    @property
    def n_passages(self) -> int:
        return len(self.passage_ids)

    @cached_property
    def titles(self) -> Titles:
        return Titles(self.films, self.title_keys)

    @cached_property
    def film_title_rank(self) -> np.ndarray:
        """Each film's position in title order, for tie-breaking without sorting strings."""
        titles = self.films.titles
        order = sorted(range(len(titles)), key=lambda i: titles[i].casefold())
        rank = np.empty(len(self.films), dtype=np.int64)
        rank[order] = np.arange(len(self.films))
        return rank

    @cached_property
    def lexical(self) -> LexicalIndex | CombinedLexical:
        """BM25 over every live passage: each segment's saved postings (memory-mapped), or
        built for a small segment (or one written before that format) as it opens."""
        return self.combined.lexical()

    @property
    def is_exact(self) -> bool:
        return self.vector_index.exact

    def _query(self, k: int, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """A query of one segment's SQLite file."""
        try:
            return self.combined.parts[k].segment.query(sql, args)
        except sqlite3.DatabaseError as exc:  # a segment's file is never written again
            raise IndexDamaged(
                f"index {self.name} is damaged (meta.sqlite: {exc}); {REBUILD}"
            ) from None

    def _review_parts(self, rows: Sequence[int]) -> dict[int, list[int]]:
        """Review rows of the version by part."""
        starts = np.array([p.review_start for p in self.combined.parts], np.int64)
        which = np.searchsorted(starts, np.asarray(rows, np.int64), side="right") - 1
        out: dict[int, list[int]] = {}
        for row, k in zip(rows, which.tolist(), strict=True):
            out.setdefault(k, []).append(int(row))
        return out

    def passage_texts(self, rows: list[int]) -> dict[int, str]:
        parts = self.combined.parts
        starts = np.array([p.passage_start for p in parts], np.int64)
        which = np.searchsorted(starts, np.asarray(rows, np.int64), side="right") - 1
        out: dict[int, str] = {}
        for k in np.unique(which).tolist():
            mine = [r for r, w in zip(rows, which.tolist(), strict=True) if w == k]
            ids = [int(self.passage_ids[r]) for r in mine]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found = dict(
                    self._query(
                        k,
                        f"SELECT passage_id, text FROM passages WHERE passage_id IN ({marks})",
                        tuple(chunk),
                    )
                )
                for r, pid in zip(mine[start : start + 500], chunk, strict=True):
                    if pid not in found:
                        raise IndexDamaged(
                            f"index {self.name} is damaged (passage rows); {REBUILD}"
                        )
                    out[r] = found[pid]
        return out

    def visible(self, library: str | None) -> np.ndarray:
        """Which reviews a place may see: the base library, and the server's own when asked
        from a server (`library` "guild:<id>"); never another server's."""
        cached = self._visible.get(library)
        if cached is not None:
            return cached
        wanted = (BASE_LIBRARY, library or BASE_LIBRARY)
        parts = self.combined.parts
        mask = np.concatenate([part.sees(wanted) for part in parts]) if parts else np.zeros(0, bool)
        if library and library != BASE_LIBRARY and library in self.libraries:
            mask[self.private_rows(library)] = False
        self._visible[library] = mask
        return mask

    def visible_passages(self, library: str | None) -> np.ndarray | None:
        """Which passages a place may see (those of the reviews it may see); None when it may
        see every one (an index of the base library alone)."""
        key = ("passages", library)
        if key not in self._visible:
            seen = self.visible(library)[self.passage_review]
            self._visible[key] = None if seen.all() else seen
        return self._visible[key]

    def bm25(self, library: str | None) -> Counted:
        """What BM25 counts over the passages a place may see (N, mean length, each
        segment's share of them): the same for every question in this version."""
        key = ("bm25", library)
        cached = self._visible.get(key)
        if cached is None:
            cached = self._visible[key] = self.lexical.counted(self.visible_passages(library))
        return cached

    def passages_with(self, word: str, library: str | None) -> int:
        """How many passages the place may see hold the word (by its stem): what a question's
        word is worth there, counted over that place's passages alone."""
        rows = self.lexical.containing(word)
        visible = self.visible_passages(library)
        return len(rows) if visible is None else int(np.count_nonzero(visible[rows]))

    def private_rows(self, library: str) -> np.ndarray:
        """A member's ratings without words (their Letterboxd or IMDb ratings brought in for
        /recommend, or a review whose words they removed) are theirs alone: their own taste
        reads them (from the library's reviews), no one sees them in answers or counts."""
        code = self.libraries.index(library)
        rows = np.flatnonzero(self.review_library == code)
        worded = np.zeros(len(self.review_ids), dtype=bool)
        worded[self.passage_review] = True
        rows = rows[~worded[rows]]
        if not len(rows):
            return rows
        owned = []
        for k, mine in self._review_parts(rows.tolist()).items():
            row_of = {self.review_ids[r]: r for r in mine}
            found = self._query(
                k,
                "SELECT review_id FROM reviews WHERE library=? "
                "AND json_extract(data, '$.user_id') IS NOT NULL",
                (library,),
            )
            owned += [row_of[rid] for (rid,) in found if rid in row_of]
        return np.array(sorted(owned), dtype=np.int64)

    def facts(self, library: str | None) -> Snapshot | LibraryFacts:
        """The version as a place sees its films: everyone's facts (this snapshot), or in a
        server whose own reviews add to some films, with those additions (`views`)."""
        if not library or library == BASE_LIBRARY or library not in self.libraries:
            return self
        key = ("facts", library)
        if key not in self._visible:  # None: as everyone sees them (never `self`: a cycle
            # would keep the version, and its lease, until the cyclic collector runs)
            self._visible[key] = library_facts(self, self._views(library))
        return self._visible[key] or self

    def _views(self, library: str) -> list[tuple[str, str]]:
        """A library's film views: of each film, the newest record's (its segment's rows)."""
        records = []
        owner, row_of = self.combined.owner, self.film_row
        for k, part in enumerate(self.combined.parts):
            if "film_views" not in part.segment.columns:  # written before film views
                continue
            for fid, data in self._query(
                k, "SELECT film_id, data FROM film_views WHERE library=?", (library,)
            ):
                row = row_of.get(fid)
                if row is not None and int(owner[row]) == k:
                    records.append((fid, data))
        return records

    def known_to(self, library: str | None) -> tuple[People, Titles]:
        """The people and titles a question in this place may name: everyone's (the base
        library's films and the catalogue's people) and the place's own over them, never
        another server's. Built once per place and version; everyone's is shared."""
        key = ("known", library)
        if (cached := self._visible.get(key)) is None:
            everyone = self._visible.get(("known", None))
            if everyone is None:
                base = np.flatnonzero(self.visible_films(None)).tolist()
                everyone = self._visible[("known", None)] = (
                    self.people,
                    self.titles.known_to(self.titles.names(base), ()),
                )
            cached = everyone
            own = self._own_films(library)
            if library is not None and own:
                facts = self.facts(library)
                films = [facts.film(row) for row in own]
                people = self.people.with_own(
                    [n for f in films for n in director_names(f.director)],
                    [n for f in films for n in f.cast],
                )
                titles = {row: f.title for row, f in zip(own, films, strict=True)}
                known = self.titles.known_to(everyone[1].by_key, own, titles)
                cached = (people, known)
            self._visible[key] = cached
        return cached

    def _own_films(self, library: str | None) -> list[int]:
        """Films only this server's library has (or describes otherwise): its own names."""
        if not library or library == BASE_LIBRARY or library not in self.libraries:
            return []
        only_here = self.visible_films(library) & ~self.visible_films(None)
        facts = self.facts(library)
        described = facts.rows.tolist() if hasattr(facts, "rows") else []
        return sorted(set(np.flatnonzero(only_here).tolist()) | set(described))

    def film(self, row: int) -> Film:
        """A film as everyone sees it (`LibraryFacts.film`: as one server does)."""
        return self.films[row]

    def changed(self, filters: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Everyone's view differs from itself nowhere."""
        return (), ()

    def visible_films(self, library: str | None) -> np.ndarray:
        """Films with at least one review the place may see."""
        return self.visible_counts(library) > 0

    def seen(self, library: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The films, reviews and passages a place may see (read-only masks, kept with the
        version: a question without filters passes them as they are)."""
        key = ("seen", library)
        cached = self._visible.get(key)
        if cached is None:
            reviews = self.visible(library).copy()
            films = np.zeros(len(self.films), dtype=bool)
            films[self.review_film[reviews]] = True
            passages = reviews[self.passage_review]
            for mask in (films, reviews, passages):
                mask.flags.writeable = False
            cached = self._visible[key] = (films, reviews, passages)
        return cached

    def film_ratings(self, library: str | None) -> np.ndarray:
        """Each film's mean rating over the rated reviews the place may see (NaN: none)."""
        key = ("ratings", library)
        cached = self._visible.get(key)
        if cached is None:
            rated = self.visible(library) & ~np.isnan(self.review_rating)
            films = self.review_film[rated]
            total = np.bincount(films, self.review_rating[rated], minlength=len(self.films))
            count = np.bincount(films, minlength=len(self.films))
            with np.errstate(invalid="ignore", divide="ignore"):
                cached = self._visible[key] = total / count
        return cached

    def visible_counts(self, library: str | None) -> np.ndarray:
        """How many reviews of each film the place may see."""
        key = ("counts", library)
        cached = self._visible.get(key)
        if cached is None:
            reviews = self.review_film[self.visible(library)]
            cached = self._visible[key] = np.bincount(reviews, minlength=len(self.films))
        return cached

    @cached_property
    def catalogue(self) -> Catalogue:
        """The catalogue the version was built with (empty without one): titles to suggest
        for films no review names yet."""
        name = self.info.manifest.get("catalogue")
        return Catalogue(self.info.path.parent / name if name else None)

    def reviews(self, review_ids: list[str]) -> dict[str, StoredReview]:
        """These reviews (live ones: an edited review's old row is in an older segment)."""
        out: dict[str, StoredReview] = {}
        wanted = list(dict.fromkeys(review_ids))
        for k in range(len(self.combined.parts) - 1, -1, -1):
            part = self.combined.parts[k]
            segment = part.segment
            gone = set(part.deleted.tolist())
            rows = segment.review_rows(r for r in wanted if r not in out)
            mine = [rid for rid, row in rows.items() if row not in gone]
            for start in range(0, len(mine), 500):  # SQLite's limit on parameters
                chunk = mine[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found = self._query(
                    k,
                    f"SELECT review_id, film_id, data FROM reviews WHERE review_id IN ({marks})",
                    tuple(chunk),
                )
                for review_id, fid, data in found:
                    out[review_id] = stored_review(review_id, fid, json.loads(data))
        if len(out) < len(wanted):  # the row arrays name reviews the files lack
            raise IndexDamaged(f"index {self.name} is damaged (review rows); {REBUILD}")
        return out

    def film_review_ids(self, film_id: str, library: str | None = None) -> list[str]:
        row = self.film_row.get(film_id)
        if row is None:
            return []
        rows = np.flatnonzero((self.review_film == row) & self.visible(library))
        return [self.review_ids[r] for r in rows.tolist()]

    def library_reviews(
        self,
        library: str,
        user_id: str | None = None,
        matching: str = "",
        limit: int | None = None,
    ) -> list[StoredReview]:
        """A library's reviews, the latest written first: one member's (`user_id`), those
        whose title or reviewer contains `matching`, at most `limit`."""
        if library not in self.libraries:
            return []
        sql, args = "SELECT review_id, film_id, data FROM reviews WHERE library=?", [library]
        if user_id is not None:
            sql += " AND json_extract(data, '$.user_id')=?"
            args.append(user_id)
        if matching:
            sql += (
                " AND (json_extract(data, '$.title') LIKE ? ESCAPE '\\'"
                " OR json_extract(data, '$.reviewer') LIKE ? ESCAPE '\\')"
            )
            like = "%" + re.sub(r"([%_\\])", r"\\\1", matching) + "%"
            args += [like, like]
        sql += " ORDER BY rowid DESC" + (" LIMIT ?" if limit is not None else "")
        out: list[StoredReview] = []
        for k in range(len(self.combined.parts) - 1, -1, -1):  # the latest segment first
            if limit is not None and len(out) >= limit:
                break
            part = self.combined.parts[k]
            gone = set(part.deleted.tolist())
            more = None if limit is None else limit - len(out) + len(gone)
            found = self._query(k, sql, (*args, *([more] if more is not None else [])))
            rows = part.segment.review_rows(rid for rid, _, _ in found) if gone else {}
            for rid, fid, data in found:
                if not gone or rows.get(rid) not in gone:
                    out.append(stored_review(rid, fid, json.loads(data)))
        return out if limit is None else out[:limit]

    def counts(self, library: str | None = None, everything: bool = False) -> dict[str, Any]:
        """What a place sees (the base library and `library`), or with `everything` all of
        it (the operator's view); `libraries` splits it by library."""
        reviews = np.ones(len(self.review_ids), bool) if everything else self.visible(library)
        seen = np.zeros(len(self.films), bool)
        seen[self.review_film[reviews]] = True

        def tally(groups: Mapping[str, np.ndarray]) -> Counter[str]:
            found = Counter({k: int(np.count_nonzero(seen[groups[k]])) for k in groups})
            return +found  # keys no film seen has are left out

        view = self if everything else self.facts(library)
        countries, genres = tally(view.groups["countries"]), tally(view.groups["genres"])
        size = sum(
            p.stat().st_size
            for folder in {self.info.path, *(part.segment.path for part in self.combined.parts)}
            for p in folder.rglob("*")
            if p.is_file()
        )
        split = {}
        for code, name in enumerate(self.libraries):
            mine = reviews & (self.review_library == code)
            if mine.any():
                split[name] = {
                    "reviews": int(np.count_nonzero(mine)),
                    "films": len(np.unique(self.review_film[mine])),
                }
        return {
            "reviews": int(np.count_nonzero(reviews)),
            "films": int(np.count_nonzero(seen)),
            "passages": int(np.count_nonzero(reviews[self.passage_review])),
            "countries": dict(countries.most_common()),
            "genres": dict(genres.most_common()),
            "libraries": split,
            "index_bytes": size,
            "model": self.info.manifest.get("model"),
            # the next ingest embeds them all again when the settings now say otherwise
            "precision": self.info.precision,
            "faiss_factory": next(
                (
                    factory
                    for part in self.combined.parts
                    if (factory := part.segment.store.get("faiss_factory"))
                ),
                self.info.manifest.get("faiss_factory"),
            ),
            "segments": len(self.combined.parts),
            "version": self.name,
            "built": self.info.manifest.get("created"),
        }


def stored_review(review_id: str, film_id: str, d: dict[str, Any]) -> StoredReview:
    """A review as a version stores it (the JSON of its Review)."""
    return StoredReview(
        review_id=review_id,
        film_id=film_id,
        library=d.get("library", BASE_LIBRARY),
        reviewer=d.get("reviewer"),
        rating=d.get("rating"),
        rating_raw=d.get("rating_raw"),
        date=d.get("date"),
        source=d.get("source", ""),
        url=d.get("url"),
        text=d.get("text", ""),
        user_id=d.get("user_id"),
        title=d.get("title", ""),
        year=d.get("year"),
    )


def open_snapshot(
    info: VersionInfo, vectors_in: VectorBackend, lease: Lease | None = None
) -> Snapshot:
    """The version in `info`, its vectors searched in the given store, ready to answer. A
    version that cannot be read is IndexDamaged, with what is damaged and the remedy. The
    `lease` (the version held for reading) is released when the snapshot is garbage: once the
    last search using it has finished."""
    try:
        snapshot = _open(info, vectors_in)
    except BaseException as exc:
        if lease is not None:
            lease.release()
        if isinstance(exc, (IndexDamaged, IndexMissing, SettingError)) or not isinstance(
            exc, Exception
        ):
            raise
        what = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise IndexDamaged(
            f"index {info.name} is damaged ({what.splitlines()[0][:160]}); {REBUILD}"
        ) from None
    if lease is not None:
        weakref.finalize(snapshot, lease.release)
    return snapshot


def _open(info: VersionInfo, vectors_in: VectorBackend) -> Snapshot:
    dim = int(info.manifest.get("dim") or 384)
    combined = combine(info.parts(), dim)
    table = combined.table
    snapshot = Snapshot(
        info=info,
        vector_index=vectors_in.open(info, combined),
        vectors=combined.vectors,
        films=table.films,
        film_row=combined.film_row,
        groups=table.groups,
        columns={"year": table.year, "runtime": table.runtime},
        title_keys=table.keys,
        people=table.people,
        review_ids=combined.review_ids,
        review_film=combined.review_film,
        review_rating=combined.review_rating,
        review_library=combined.review_library,
        libraries=combined.libraries,
        passage_review=combined.passage_review,
        passage_ids=combined.passage_ids,
        combined=combined,
        lock=threading.Lock(),
    )
    # The catalogue's people are looked up in its file (credited names, with roles), so a
    # question may name someone the index has no film of.
    snapshot.people.with_credits(snapshot.catalogue)
    # Built now, in the thread that opens the version, not on the first keystroke; and BM25
    # read now, so that a damaged file is found on opening, not in the middle of a search.
    _ = snapshot.titles, snapshot.people, snapshot.lexical
    return snapshot
