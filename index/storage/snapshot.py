"""One index version opened for answering: its films and the arrays filters are computed on,
its vectors (in the chosen vector store), BM25, and its SQLite file for texts.

Everything derived from a version (title lookup, the people a question may name) is built
here once, in the thread that opens it, never on the first request that needs it."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import REBUILD, IndexDamaged, IndexMissing
from index.knowledge.catalogue import Catalogue
from index.knowledge.films import director_names
from index.knowledge.people import People
from index.knowledge.titles import Titles
from index.storage import arrays
from index.storage.film_table import Films, RowGroups, read_film_table
from index.storage.lexical import LEXICAL_DIR, LexicalIndex
from index.storage.rows import ROWS_DIR, Utf8Strings, read_rows
from index.storage.vectors import SettingError, VectorBackend, VectorIndex
from index.storage.versions import Lease, VersionInfo, open_readonly
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
    groups: dict[str, RowGroups]
    columns: dict[str, np.ndarray]  # "year", "runtime": int32 per film, -1 when unknown
    title_keys: list[str]  # normalize_title per film
    people: People  # every director and cast member (and the catalogue's), for reading questions
    review_ids: Utf8Strings  # review_id per review row
    review_film: np.ndarray  # int32 film row per review
    review_rating: np.ndarray  # float32, NaN when unrated
    review_library: np.ndarray  # int16 index into `libraries` per review
    libraries: list[str]  # "base" first, then each server's library present
    passage_review: np.ndarray  # int32 review row per passage (row = FAISS id)
    passage_ids: np.ndarray  # int64 passage_id per row
    db: sqlite3.Connection
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
    def lexical(self) -> LexicalIndex:
        """BM25 over every passage: saved with the version (memory-mapped), built here only
        for versions written before this format (seconds per 10k passages)."""
        folder = self.info.path / LEXICAL_DIR
        if LexicalIndex.saved(folder):
            return LexicalIndex.load(folder)
        rows = self.query("SELECT passage_id, text FROM passages")
        text_of = dict(rows)
        return LexicalIndex.build([text_of[int(pid)] for pid in self.passage_ids])

    @property
    def is_exact(self) -> bool:
        return self.vector_index.exact

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self.lock:
                return self.db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:  # a version's file is never written again
            raise IndexDamaged(
                f"index {self.name} is damaged (meta.sqlite: {exc}); {REBUILD}"
            ) from None

    def passage_texts(self, rows: list[int]) -> dict[int, str]:
        ids = [int(self.passage_ids[r]) for r in rows]
        marks = ",".join("?" * len(ids))
        found = dict(
            self.query(
                f"SELECT passage_id, text FROM passages WHERE passage_id IN ({marks})", tuple(ids)
            )
        )
        return {r: found[int(self.passage_ids[r])] for r in rows}

    def visible(self, library: str | None) -> np.ndarray:
        """Which reviews a place may see: the base library, and the server's own when asked
        from a server (`library` "guild:<id>"); never another server's."""
        cached = self._visible.get(library)
        if cached is not None:
            return cached
        wanted = [i for i, name in enumerate(self.libraries) if name in (BASE_LIBRARY, library)]
        mask = np.isin(self.review_library, wanted)
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
        return self._visible[key]  # type: ignore[no-any-return]

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
        row_of = {self.review_ids[r]: r for r in rows.tolist()}
        owned = self.query(
            "SELECT review_id FROM reviews WHERE library=? "
            "AND json_extract(data, '$.user_id') IS NOT NULL",
            (library,),
        )
        return np.array(sorted(row_of[rid] for (rid,) in owned if rid in row_of), dtype=np.int64)

    def facts(self, library: str | None) -> Snapshot | LibraryFacts:
        """The version as a place sees its films: everyone's facts (this snapshot), or in a
        server whose own reviews add to some films, with those additions (`views`)."""
        if not library or library == BASE_LIBRARY or library not in self.libraries:
            return self
        key = ("facts", library)
        if key not in self._visible:
            records = (
                self.query("SELECT film_id, data FROM film_views WHERE library=?", (library,))
                if self._has_views
                else []
            )
            self._visible[key] = library_facts(self, records) or self
        return self._visible[key]  # type: ignore[return-value]

    @cached_property
    def _has_views(self) -> bool:
        """Versions written before film views have no such table."""
        found = self.query("SELECT 1 FROM sqlite_master WHERE type='table' AND name='film_views'")
        return bool(found)

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
                known = self.titles.known_to(everyone[1].by_key, own, titles)  # type: ignore[arg-type]
                cached = (people, known)
            self._visible[key] = cached
        return cached  # type: ignore[no-any-return]

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
        out: dict[str, StoredReview] = {}
        for start in range(0, len(review_ids), 500):  # SQLite's limit on parameters
            chunk = review_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.query(
                f"SELECT review_id, film_id, data FROM reviews WHERE review_id IN ({marks})",
                tuple(chunk),
            )
            for review_id, fid, data in rows:
                out[review_id] = stored_review(review_id, fid, json.loads(data))
        if len(out) < len(set(review_ids)):  # the row arrays name reviews the file lacks
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
        rows = self.query(sql, (*args, *([limit] if limit is not None else [])))
        return [stored_review(rid, fid, json.loads(data)) for rid, fid, data in rows]

    def counts(self, library: str | None = None, everything: bool = False) -> dict[str, Any]:
        """What a place sees (the base library and `library`), or with `everything` all of
        it (the operator's view); `libraries` splits it by library."""
        reviews = np.ones(len(self.review_ids), bool) if everything else self.visible(library)
        seen = np.zeros(len(self.films), bool)
        seen[self.review_film[reviews]] = True

        def tally(groups: RowGroups) -> Counter[str]:
            found = Counter({k: int(np.count_nonzero(seen[groups[k]])) for k in groups})
            return +found  # keys no film seen has are left out

        view = self if everything else self.facts(library)
        countries, genres = tally(view.groups["countries"]), tally(view.groups["genres"])
        size = sum(p.stat().st_size for p in self.info.path.iterdir() if p.is_file())
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
            "faiss_factory": self.info.manifest.get("faiss_factory"),
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


def _whole(db: sqlite3.Connection, path: Path) -> None:
    """A SQLite file cut short is found on opening (its rows are read only when answering):
    its header says how many pages it has."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    if pages * size > path.stat().st_size:
        raise ValueError(
            f"meta.sqlite is cut short ({path.stat().st_size} of {pages * size} bytes)"
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
    db = open_readonly(Path(info.path) / "meta.sqlite", check_same_thread=False)
    _whole(db, Path(info.path) / "meta.sqlite")
    table = read_film_table(Path(info.path) / ROWS_DIR, db)
    films = table.films
    film_row = {fid: i for i, fid in enumerate(films.ids)}
    n = len(films)
    rows = read_rows(Path(info.path) / ROWS_DIR, db)
    if (
        (len(rows.review_film) and not 0 <= rows.review_film.min() <= rows.review_film.max() < n)
        or (
            len(rows.passage_review)
            and not 0
            <= rows.passage_review.min()
            <= rows.passage_review.max()
            < len(rows.review_ids)
        )
        or (len(rows.review_library) and not 0 <= rows.review_library.max() < len(rows.libraries))
    ):
        raise ValueError("row arrays point past the films or reviews they index")
    vectors = arrays.load(Path(info.path) / "vectors.npy", mmap_mode="r", scattered=True)
    if len(vectors) != len(rows.passage_ids):
        raise RuntimeError(
            f"index {info.name} is inconsistent: {len(vectors)} vectors, {len(rows.passage_ids)} passages"
        )
    snapshot = Snapshot(
        info=info,
        vector_index=vectors_in.open(info, vectors),
        vectors=vectors,
        films=films,
        film_row=film_row,
        groups=table.groups,
        columns={"year": table.year, "runtime": table.runtime},
        title_keys=table.keys,
        people=table.people,
        review_ids=rows.review_ids,
        review_film=rows.review_film,
        review_rating=rows.review_rating,
        review_library=rows.review_library,
        libraries=rows.libraries,
        passage_review=rows.passage_review,
        passage_ids=rows.passage_ids,
        db=db,
        lock=threading.Lock(),
    )
    # The catalogue's people are looked up in its file (credited names, with roles), so a
    # question may name someone the index has no film of.
    snapshot.people.with_credits(snapshot.catalogue)
    # Built now, in the thread that opens the version, not on the first keystroke; and BM25
    # read now, so that a damaged file is found on opening, not in the middle of a search.
    _ = snapshot.titles, snapshot.people, snapshot.lexical
    return snapshot
