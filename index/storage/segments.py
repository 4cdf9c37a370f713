"""Segments: the immutable parts an index version is made of.

    <index_dir>/segments/s000042/   segment.json  what it holds: counts, its passage ids, and what
                                                  its vector store built for it
                                    meta.sqlite   its reviews, their passages (with their text),
                                                  and the facts of every film its commit touched
                                                  (`films`, `film_views`; `films_gone` for films
                                                  left with no review)
                                    vectors.npy   its passages' vectors, in passage_id order
                                    rows/, bm25/  arrays derived from those two (row arrays, the
                                                  film table, BM25 postings), written for segments
                                                  of DERIVED_FROM passages or more; a smaller one
                                                  works them out when it is opened
                                    index.faiss   FAISS's index of it (Qdrant's engine keeps a
                                                  shard beside the index instead)

A segment is written once, in a temporary folder, fsynced, and renamed into place before the
version naming it is published; it is never written again. Versions share segments: a member's
review writes a segment of one review, and its version names every segment the previous one
did. A segment's reviews are its rows in review_id order, its passages in passage_id order; a
version's deletion masks name the rows it no longer has (`versions.py`).

A film's facts are kept by the newest segment of a version that has a record of it: every
commit writes the whole record (everyone's facts and each server's view) of each film it
touched, so an older segment's record of that film no longer counts.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import threading
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from index.knowledge.films import normalize_title
from index.storage import arrays
from index.storage.film_table import FilmTable, film_record, read_film_table, write_film_table
from index.storage.lexical import LEXICAL_DIR, LexicalIndex
from index.storage.rows import ROWS_DIR, Rows, read_rows, write_rows
from index.storage.views import view_record
from index.types import BASE_LIBRARY, Film, Review

T = TypeVar("T")

SEGMENTS = "segments"
SEGMENT_FILE = "segment.json"
FORMAT = 1
# Passages from which a segment keeps its derived arrays on disk; below, working them out on
# opening (from a few SQLite rows) costs less than writing and reading ~50 small files.
DERIVED_FROM = 64
BUSY_TIMEOUT_MS = 5000
# Reviews up to which a segment also keeps its review ids in a dictionary (`review_rows`).
SMALL_SEGMENT = 1024

SCHEMA = """
CREATE TABLE IF NOT EXISTS films (
    film_id TEXT PRIMARY KEY, title TEXT NOT NULL, year INTEGER, data TEXT NOT NULL,
    title_key TEXT);
CREATE INDEX IF NOT EXISTS films_by_title_key ON films(title_key);
CREATE TABLE IF NOT EXISTS films_gone (film_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS reviews (
    review_id TEXT PRIMARY KEY, film_id TEXT NOT NULL, content_hash TEXT NOT NULL,
    rating REAL, data TEXT NOT NULL, library TEXT NOT NULL DEFAULT 'base', user_id TEXT);
CREATE INDEX IF NOT EXISTS reviews_by_film ON reviews(film_id);
CREATE INDEX IF NOT EXISTS reviews_by_hash ON reviews(content_hash);
CREATE INDEX IF NOT EXISTS reviews_by_library ON reviews(library);
CREATE INDEX IF NOT EXISTS reviews_by_user ON reviews(user_id);
CREATE TABLE IF NOT EXISTS passages (
    passage_id INTEGER PRIMARY KEY, review_id TEXT NOT NULL,
    film_id TEXT NOT NULL, ordinal INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS passages_by_review ON passages(review_id);
CREATE TABLE IF NOT EXISTS film_views (
    library TEXT NOT NULL, film_id TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (library, film_id));
"""


def base_films(rows: Rows, live: np.ndarray | None = None) -> np.ndarray:
    """Whether the base library reviews each of a segment's films (a bool per film row);
    with `live` (a bool per review), by a review not deleted."""
    base = np.zeros(len(rows.review_film) and int(np.max(rows.review_film)) + 1, dtype=bool)
    if BASE_LIBRARY in rows.libraries:
        mine = np.asarray(rows.review_library) == rows.libraries.index(BASE_LIBRARY)
        if live is not None:
            mine &= live
        base[np.asarray(rows.review_film)[mine]] = True
    return base


def why(exc: BaseException) -> str:
    """An exception as a few words for a one-line message."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0][:120]


def open_readonly(path: Path, **options: Any) -> sqlite3.Connection:
    """A published SQLite file: never written again, so read-only with a timeout."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, **options)
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return db


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def fsync_tree(folder: Path) -> None:
    """Every file and folder under `folder`, then `folder` itself."""
    for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
        (fsync_file if path.is_file() else fsync_dir)(path)
    fsync_dir(folder)


def whole(db: sqlite3.Connection, path: Path) -> None:
    """A SQLite file cut short is found on opening (its rows are read only when answering):
    its header says how many pages it has."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    if pages * size > path.stat().st_size:
        raise ValueError(
            f"meta.sqlite is cut short ({path.stat().st_size} of {pages * size} bytes)"
        )


def columns_of(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


# ---------------------------------------------------------------------- writing
class SegmentWriter:
    """A new segment in a temporary folder: reviews and their passages (with explicit passage
    ids, which the version hands out), film records, and their vectors; `finish` makes it
    whole and durable (the caller renames it into place)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder
        folder.mkdir(parents=True)
        self.db = sqlite3.connect(folder / "meta.sqlite", check_same_thread=False)
        # A new file nobody reads until it is fsynced and renamed: no journal needed.
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.executescript(SCHEMA)
        self.vectors: list[np.ndarray] = []
        self.texts: list[str] = []  # new passages' texts, in passage order
        self.passage_ids: list[int] = []
        self.films: set[str] = set()  # films with a record here (or a gone mark)

    def add_review(
        self,
        review: Review,
        fid: str,
        content_hash: str,
        passages: list[str],
        vectors: np.ndarray,
        first_id: int,
    ) -> None:
        if len(passages) != len(vectors):
            raise ValueError("one vector per passage")
        if self.passage_ids and first_id <= self.passage_ids[-1]:
            raise ValueError("passage ids must grow")
        self.db.execute(
            "INSERT INTO reviews(review_id, film_id, content_hash, rating, data, library, user_id)"
            " VALUES (?,?,?,?,?,?,?)",
            (
                review.review_id,
                fid,
                content_hash,
                review.rating,
                review.model_dump_json(),
                review.library,
                review.user_id,
            ),
        )
        ids = list(range(first_id, first_id + len(passages)))
        self.db.executemany(
            "INSERT INTO passages(passage_id, review_id, film_id, ordinal, text) VALUES (?,?,?,?,?)",
            [
                (pid, review.review_id, fid, i, text)
                for i, (pid, text) in enumerate(zip(ids, passages, strict=True))
            ],
        )
        if len(passages):
            self.vectors.append(np.asarray(vectors, dtype=np.float32))
            self.texts += passages
            self.passage_ids += ids

    def add_film(self, fid: str, everyone: Film, views: dict[str, Film]) -> None:
        """A film's facts as of this commit: everyone's, and each server's view that differs."""
        self.add_record(
            fid,
            everyone.title,
            everyone.year,
            film_record(everyone),
            [(library, view_record(view)) for library, view in views.items()],
        )

    def add_record(
        self,
        fid: str,
        title: str,
        year: int | None,
        data: str,
        views: Iterable[tuple[str, str]],
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO films(film_id, title, year, data, title_key) VALUES (?,?,?,?,?)",
            (fid, title, year, data, normalize_title(title)),
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO film_views(library, film_id, data) VALUES (?,?,?)",
            [(library, fid, record) for library, record in views],
        )
        self.films.add(fid)

    def film_gone(self, fid: str) -> None:
        """A film no review is left of: older segments' records of it no longer count."""
        self.db.execute("INSERT OR REPLACE INTO films_gone(film_id) VALUES (?)", (fid,))
        self.films.add(fid)

    def is_empty(self) -> bool:
        return not self.films and not self.db.execute("SELECT 1 FROM reviews LIMIT 1").fetchone()

    def counts(self) -> tuple[int, int]:
        reviews = self.db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
        passages = self.db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        return int(reviews), int(passages)

    def finish(
        self,
        dim: int,
        stopwords: frozenset[str] | None = None,
        vectors: np.ndarray | None = None,
        lexical: LexicalIndex | None = None,
    ) -> np.ndarray:
        """Write the vectors (`vectors`: already in passage order, else those added) and, for a
        segment large enough, the derived arrays; close the SQLite file. Returns the vectors,
        memory-mapped. `lexical`: this segment's BM25, when the caller has it already (else
        built from the texts added, with `stopwords`)."""
        self.db.commit()
        n_reviews, n_passages = self.counts()
        ids = [pid for (pid,) in self.db.execute("SELECT passage_id FROM passages ORDER BY 1")]
        derived = n_passages >= DERIVED_FROM
        if derived:
            rows = write_rows(self.db, self.path / ROWS_DIR)
            write_film_table(self.db, self.path / ROWS_DIR, base_films(rows))
            if lexical is None:
                texts = self.db.execute("SELECT text FROM passages ORDER BY passage_id")
                lexical = LexicalIndex.build([t for (t,) in texts], stopwords)
        self.db.close()
        if vectors is None:
            vectors = (
                np.concatenate(self.vectors) if self.vectors else np.zeros((0, dim), np.float32)
            )
        if len(vectors) != n_passages:
            raise RuntimeError(f"segment corrupt: {len(vectors)} vectors for {n_passages} passages")
        path = self.path / "vectors.npy"
        if isinstance(vectors, np.memmap) and Path(vectors.filename or "") == path:
            pass  # written in place already
        else:
            np.save(path, np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim))
        if lexical is not None and derived:
            lexical.save(self.path / LEXICAL_DIR)
        self.meta = {
            "format": FORMAT,
            "reviews": n_reviews,
            "passages": n_passages,
            "first_id": ids[0] if ids else None,
            "last_id": ids[-1] if ids else None,
            "derived": derived,
        }
        return arrays.load(path, mmap_mode="r") if n_passages else np.zeros((0, dim), np.float32)

    def seal(self, store: dict[str, Any]) -> None:
        """segment.json, then everything fsynced: the segment may be renamed into place."""
        meta = {**self.meta, "store": store}
        (self.path / SEGMENT_FILE).write_text(json.dumps(meta, indent=1))
        fsync_tree(self.path)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.db.close()
        shutil.rmtree(self.path, ignore_errors=True)


# ---------------------------------------------------------------------- reading
class Segment:
    """One segment opened for reading, shared by every version that names it in this process
    (`open_segment`). Its parts are read when first asked for; its SQLite file is used under
    a lock (one connection, many threads)."""

    def __init__(self, path: Path, meta: dict[str, Any]) -> None:
        self.path = path
        self.name = path.name
        self.meta = meta
        file = path / "meta.sqlite"
        self.db = open_readonly(file, check_same_thread=False)
        self.lock = threading.Lock()
        self.cache: dict[Any, Any] = {}  # what a vector store opened of it, by store
        try:
            whole(self.db, file)
        except BaseException:
            self.db.close()
            raise
        weakref.finalize(self, self.db.close)

    def derived(self, kind: Hashable, deleted: np.ndarray, make: Callable[[], T]) -> T:
        """What a version works out from this segment and its deletion mask alone (`make`),
        kept for the next version with the same mask: a member's review leaves the large
        segment's share of a version as it was. One of each kind, the latest: a segment is
        immutable, so nothing kept goes stale, and nothing piles up."""
        found = self.cache.get(("derived", kind))
        if found is not None and np.array_equal(found[0], deleted):
            return found[1]
        value = make()
        self.cache[("derived", kind)] = (np.array(deleted, copy=True), value)
        return value

    @property
    def store(self) -> dict[str, Any]:
        """What the vector store built for this segment (empty: nothing)."""
        found = self.meta.get("store")
        return found if isinstance(found, dict) else {}

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.lock:
            return self.db.execute(sql, args).fetchall()

    @cached_property
    def columns(self) -> dict[str, set[str]]:
        """The columns of its tables: files written before a column existed lack it."""
        with self.lock:
            tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master")}
            return {
                t: columns_of(self.db, t)
                for t in ("films", "reviews", "film_views", "films_gone")
                if t in tables
            }

    @cached_property
    def rows(self) -> Rows:
        with self.lock:
            rows = read_rows(self.path / ROWS_DIR, self.db)
        if len(rows.passage_ids) != self.n_passages:
            raise ValueError(f"{len(rows.passage_ids)} passage rows for {self.n_passages} vectors")
        n_films = len(self.film_ids)
        if (
            (
                len(rows.review_film)
                and not 0 <= rows.review_film.min() <= rows.review_film.max() < n_films
            )
            or (
                len(rows.passage_review)
                and not 0
                <= rows.passage_review.min()
                <= rows.passage_review.max()
                < len(rows.review_ids)
            )
            or (
                len(rows.review_library)
                and not 0 <= rows.review_library.max() < len(rows.libraries)
            )
        ):
            raise ValueError("row arrays point past the films or reviews they index")
        return rows

    @cached_property
    def vectors(self) -> np.ndarray:
        return arrays.load(self.path / "vectors.npy", mmap_mode="r", scattered=True)

    @property
    def n_passages(self) -> int:
        return len(self.vectors)

    @cached_property
    def film_table(self) -> FilmTable:
        """Its films as a version's film table (read when this segment comes first)."""
        with self.lock:
            return read_film_table(self.path / ROWS_DIR, self.db)

    @cached_property
    def film_ids(self) -> list[str]:
        """Its film records' ids in film_id order (the order its row arrays count films in)."""
        if "film_table" in self.__dict__:
            return list(self.film_table.films.ids)
        return [fid for (fid,) in self.query("SELECT film_id FROM films ORDER BY film_id")]

    @cached_property
    def records(self) -> dict[str, tuple[str, int | None, str]]:
        """film id -> (title, year, record): the films this segment has the facts of."""
        return {
            fid: (title, year, data)
            for fid, title, year, data in self.query("SELECT film_id, title, year, data FROM films")
        }

    @cached_property
    def gone(self) -> frozenset[str]:
        if "films_gone" not in self.columns:
            return frozenset()
        return frozenset(fid for (fid,) in self.query("SELECT film_id FROM films_gone"))

    def lexical(self, stopwords: frozenset[str] | None) -> LexicalIndex:
        """Its BM25 postings: saved with it, or (a small segment, or one written before that
        format) built from its texts."""
        cached = self.__dict__.get("_lexical")
        if cached is not None:
            return cached
        folder = self.path / LEXICAL_DIR
        if LexicalIndex.saved(folder):
            found = LexicalIndex.load(folder)
        else:
            rows = dict(self.query("SELECT passage_id, text FROM passages"))
            texts = [rows[int(pid)] for pid in self.rows.passage_ids]
            found = LexicalIndex.build(texts, stopwords)
        if found.size != self.n_passages:
            raise ValueError("BM25 postings of another size than the segment")
        self.__dict__["_lexical"] = found
        return found

    def films_titled(self, key: str) -> list[str]:
        """Its film records whose title normalises to `key`."""
        if "title_key" in self.columns.get("films", set()):
            return [
                fid for (fid,) in self.query("SELECT film_id FROM films WHERE title_key=?", (key,))
            ]
        table = self.__dict__.get("_titled")
        if table is None:  # written before the column: every title normalised, once
            table = {}
            for fid, title in self.query("SELECT film_id, title FROM films"):
                table.setdefault(normalize_title(title), []).append(fid)
            self.__dict__["_titled"] = table
        return list(table.get(key, ()))

    def review_row(self, review_id: str) -> int | None:
        """A review's row in this segment (reviews are kept in review_id order)."""
        return self.review_rows((review_id,)).get(review_id)

    @cached_property
    def _small_review_rows(self) -> dict[str, int] | None:
        """A small segment's (a member's review) rows by review id, so that an answer's look
        through every segment for its page's reviews is dictionary lookups."""
        ids = self.rows.review_ids
        if len(ids) > SMALL_SEGMENT:
            return None
        return {rid: row for row, rid in enumerate(ids)}

    def review_rows(self, review_ids: Iterable[str]) -> dict[str, int]:
        """Each of these reviews' rows in this segment, those it holds: one search over the
        sorted ids for all of them (an answer asks every segment for its page's reviews)."""
        if (small := self._small_review_rows) is not None:
            return {rid: row for rid in review_ids if (row := small.get(rid)) is not None}
        ids = list(review_ids)
        data = self.rows.review_ids.data
        if not ids or not len(data):
            return {}
        keys = [r.encode("utf-8") for r in ids]
        fits = np.array([len(k) <= data.dtype.itemsize for k in keys])
        wanted = np.array([k if ok else b"" for k, ok in zip(keys, fits, strict=True)], data.dtype)
        at = np.searchsorted(data, wanted)
        held = fits & (at < len(data))
        held[held] = data[at[held]] == wanted[held]
        return {ids[i]: int(at[i]) for i in np.flatnonzero(held)}


@dataclass(frozen=True)
class Merged:
    """A merge's first input: its rows that `keep` keeps come first in the merged segment, in
    order, and the other inputs' rows follow. A store may reuse what it built for it (an
    IVF's training and lists, a Qdrant shard) instead of building again."""

    segment: Segment
    keep: np.ndarray  # bool per passage row of it


_OPEN: weakref.WeakValueDictionary[tuple[Any, ...], Segment] = weakref.WeakValueDictionary()
_OPENING = threading.Lock()


def identity(path: Path) -> tuple[Any, ...]:
    """The segment as it is on disk (its truth files' inodes, sizes and times): a segment
    whose files were replaced behind our back (a copy restored over it) is opened again,
    never served from what an earlier reading kept."""
    folder = os.path.abspath(path)  # every version names it by the same path: no realpath
    found = []
    for name in (SEGMENT_FILE, "meta.sqlite", "vectors.npy", "manifest.json"):
        with contextlib.suppress(FileNotFoundError):
            stat = os.stat(os.path.join(folder, name))
            found.append((name, stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return (folder, tuple(found))


def open_segment(path: Path) -> Segment:
    """A segment, opened once per process while any version in memory uses it."""
    key = identity(path)
    with _OPENING:
        found = _OPEN.get(key)
        if found is None:
            meta = json.loads((path / SEGMENT_FILE).read_text(encoding="utf-8"))
            if not isinstance(meta, dict):
                raise ValueError(f"{SEGMENT_FILE} is not a JSON object")
            found = _OPEN[key] = Segment(path, meta)
        return found


def legacy_meta(
    folder: Path, manifest: dict[str, Any], store_keys: Iterable[str]
) -> dict[str, Any]:
    """segment.json for a version written before segments (its folder is read as one)."""
    return {
        "format": 0,
        "legacy": True,
        "store": {k: manifest[k] for k in store_keys if k in manifest},
    }


def open_legacy(folder: Path, manifest: dict[str, Any], store_keys: Iterable[str]) -> Segment:
    key = identity(folder)
    with _OPENING:
        found = _OPEN.get(key)
        if found is None:
            found = _OPEN[key] = Segment(folder, legacy_meta(folder, manifest, store_keys))
        return found


def saved_stopwords(path: Path) -> frozenset[str] | None:
    """The stopwords a segment's saved BM25 was built with (None: it has none saved)."""
    try:
        meta = json.loads((path / LEXICAL_DIR / "format.json").read_text())
        return frozenset(meta["stopwords"]) if LexicalIndex.saved(path / LEXICAL_DIR) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def segment_names(root: Path) -> list[str]:
    folder = root / SEGMENTS
    if not folder.is_dir():
        return []
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.is_dir() and p.name[:1] == "s" and p.name[1:].isdigit()
    )


def next_segment_name(root: Path) -> str:
    numbers = [int(name[1:]) for name in segment_names(root)]
    return f"s{max(numbers, default=0) + 1:06d}"


def reviews_of(rows: Iterator[tuple[str]]) -> list[Review]:
    return [Review.model_validate_json(data) for (data,) in rows]
