"""Qdrant server as the vector store (`qdrant.url`), for deployments past one machine.

One long-lived collection per index (`<prefix>_<id>`, named in each segment's record), whose
points are passages: a point's id is its passage_id, its payload the passage's facts
(`qdrant_payloads`) plus `pid`, the id again as an indexed integer. A commit upserts only its
new segment's points (a member's review: a few points), before the version naming them is
published; a version sees the points below its `next_passage_id` (`pid < n`, so a newer
version's points stay out of an older version's answers) that it has not deleted (a
`must_not` on their ids). Deleted points stay in the collection while a kept version still
has them, and are deleted once no segment on disk holds them. A merge upserts its points
again (same ids, the same vectors), which brings their payloads up to date; until then a
film whose facts changed after its points were written is told apart by the selection's
rows, as a server's own films are. A reader of an older version may see a merged point's
newer payload for the moment the merge takes.

SQLite and the local vector copy stay beside it: titles, snippets, BM25 and rating ranking
are read from there, so Qdrant answers one question only, which passages are nearest.
"""

from __future__ import annotations

import atexit
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from config import QdrantSettings
from index.storage.combined import Combined
from index.storage.qdrant_payloads import (
    Spelling,
    fields,
    is_version_name,
    named_in,
    not_in_this_store,
    passage_payloads,
    version_name,
    where,
    where_for,
)
from index.storage.segments import open_segment
from index.storage.vectors import EXACT_BELOW, Merged, Selection
from index.storage.versions import VersionInfo
from index.types import QueryFilters

BATCH = 1024
COLLECTION_KEY = "qdrant_collection"


@cache
def client(url: str | None, path: str | None = None) -> Any:
    """One client per location and process. `path` is qdrant-client's local mode (a Python
    stand-in for the server, used by tests of this module only)."""
    try:
        from qdrant_client import QdrantClient
    except ImportError:
        raise RuntimeError(
            "store = qdrant with qdrant.url needs qdrant-client: pip install 'cinebot[qdrant]'"
        ) from None
    opened = QdrantClient(url=url) if url else QdrantClient(path=path)
    atexit.register(opened.close)  # before interpreter teardown, not in __del__ during it
    return opened


@cache
def spelling() -> Spelling:
    from qdrant_client import models as m

    return Spelling(
        m.Filter,
        m.FieldCondition,
        m.MatchValue,
        m.MatchAny,
        m.Range,
        lambda ids: m.HasIdCondition(has_id=ids),
    )


def payload_filter(
    filters: QueryFilters | None,
    exclude_film: str | None = None,
    libraries: tuple[str, ...] | None = None,
) -> Any:
    """Filters as a qdrant-client filter, with the same meaning as their row mask."""
    return spelling()(where(filters, exclude_film, libraries))


def payload_index(kind: str) -> Any:
    from qdrant_client import models as m

    if kind == "tenant":
        return m.KeywordIndexParams(type=m.KeywordIndexType.KEYWORD, is_tenant=True)
    return {
        "keyword": m.PayloadSchemaType.KEYWORD,
        "integer": m.PayloadSchemaType.INTEGER,
        "float": m.PayloadSchemaType.FLOAT,
    }[kind]


def _client(settings: QdrantSettings) -> Any:
    path = str(settings.path) if settings.path else None
    return client(settings.url, None if settings.url else path)


@dataclass(frozen=True)
class QdrantIndex:
    """One index's collection; as a version reads it (`below`, `deleted`, `stale`), or whole."""

    settings: QdrantSettings
    collection: str
    size: int | None = None  # points the version has, when known
    exact_below: int = EXACT_BELOW  # search.exact_below
    ids: np.ndarray | None = None  # passage_id per row of the version (None: ids are rows)
    below: int | None = None  # the version's next passage id: newer points are not its
    deleted: tuple[int, ...] = ()  # points the version deleted
    stale: dict[str, np.ndarray] = field(default_factory=dict)  # film -> its version rows

    @property
    def client(self) -> Any:
        return _client(self.settings)

    @property
    def exact(self) -> bool:
        return not self.settings.url  # local mode always scans; a server uses HNSW

    def create(self, dim: int) -> None:
        from qdrant_client import models as m

        c = self.client
        if c.collection_exists(self.collection):
            return
        c.create_collection(
            self.collection, vectors_config=m.VectorParams(size=dim, distance=m.Distance.DOT)
        )
        indexed = {**fields(), "pid": "integer"}
        for name, kind in indexed.items() if self.settings.url else ():  # local mode: none
            c.create_payload_index(self.collection, name, payload_index(kind))

    def upsert(
        self, ids: np.ndarray, vectors: np.ndarray, payloads: Iterable[dict[str, Any]]
    ) -> None:
        from qdrant_client import models as m

        rows = iter(payloads)
        for start in range(0, len(vectors), BATCH):
            end = min(start + BATCH, len(vectors))
            part = [int(i) for i in ids[start:end]]
            self.client.upsert(
                self.collection,
                points=m.Batch(
                    ids=part,
                    vectors=np.asarray(vectors[start:end], np.float32).tolist(),
                    payloads=[
                        {**payload, "pid": pid}
                        for pid, payload in zip(
                            part, itertools.islice(rows, end - start), strict=True
                        )
                    ],
                ),
                wait=True,
            )

    def fill(self, vectors: np.ndarray, payloads: Iterable[dict[str, Any]]) -> None:
        """A fresh collection of `vectors`, point ids their rows (tests and benchmarks)."""
        if self.client.collection_exists(self.collection):
            self.client.delete_collection(self.collection)
        self.create(int(vectors.shape[1]))
        self.upsert(np.arange(len(vectors)), vectors, payloads)

    def _condition(self, selection: Selection | None) -> Any:
        passing = None
        if selection is not None and self.stale:
            passing = {fid: bool(selection.rows[rows].any()) for fid, rows in self.stale.items()}
        return spelling()(where_for(selection, self.deleted, passing, self.below))

    def selected(self, selection: Selection | None) -> np.ndarray:
        """The version's rows the payload conditions of a search let through (scrolled):
        what the store contract holds equal to the selection's rows."""
        points, _ = self.client.scroll(
            self.collection,
            limit=10_000_000,
            with_payload=False,
            scroll_filter=self._condition(selection),
        )
        found = np.asarray(sorted(int(p.id) for p in points), dtype=np.int64)
        return found if self.ids is None else np.searchsorted(self.ids, found)

    def search(
        self, query: np.ndarray, k: int, selection: Selection | None
    ) -> tuple[np.ndarray, np.ndarray]:
        from qdrant_client import models as m

        condition = self._condition(selection)
        # A small allowed set (or collection, when all of it is allowed) is scored outright.
        allowed = selection.count if selection is not None else self.size
        exact = allowed is not None and allowed <= self.exact_below
        found = self.client.query_points(
            self.collection,
            query=np.asarray(query, np.float32).tolist(),
            query_filter=condition,
            limit=k,
            with_payload=False,
            search_params=m.SearchParams(exact=exact, hnsw_ef=self.settings.hnsw_ef)
            if self.settings.url
            else None,
        ).points
        scores = np.asarray([p.score for p in found], dtype=np.float32)
        points = np.asarray([int(p.id) for p in found], dtype=np.int64)
        return scores, points if self.ids is None else np.searchsorted(self.ids, points)

    def delete(self, ids: list[int]) -> None:
        from qdrant_client import models as m

        for start in range(0, len(ids), BATCH):
            self.client.delete(
                self.collection, m.PointIdsList(points=ids[start : start + BATCH]), wait=True
            )

    def drop(self) -> None:
        c = self.client
        if c.collection_exists(self.collection):
            c.delete_collection(self.collection)


@dataclass(frozen=True)
class QdrantBackend:
    settings: QdrantSettings
    exact_below: int = EXACT_BELOW  # search.exact_below
    name: str = "qdrant"

    def write(
        self,
        folder: Path,
        vectors: np.ndarray,
        ids: np.ndarray,
        merged: Merged | None = None,
        siblings: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The segment's points, upserted into the index's collection (made with the first
        segment). A merge's are upserted again: the same points, their payloads brought up
        to date."""
        collection = next(
            (s[COLLECTION_KEY] for s in siblings or () if s.get(COLLECTION_KEY)), None
        ) or version_name(self.settings, folder)
        store = QdrantIndex(self.settings, collection)
        store.create(int(vectors.shape[1]) if vectors.ndim == 2 else 384)
        if len(vectors):
            store.upsert(ids, vectors, passage_payloads(folder / "meta.sqlite"))
        return {COLLECTION_KEY: collection}

    def holds(self, version: VersionInfo) -> bool:
        if version.legacy or version.manifest.get("store", self.name) != self.name:
            return False  # a version before segments: its collection's ids were rows
        names = {meta.get("store", {}).get(COLLECTION_KEY) for meta in version.segment_metas()}
        if not names:
            return True  # nothing to hold
        if len(names) != 1 or None in names:
            return False
        return bool(_client(self.settings).collection_exists(next(iter(names))))

    def open(self, version: VersionInfo, combined: Combined) -> QdrantIndex:
        names = {part.segment.store.get(COLLECTION_KEY) for part in combined.parts}
        if version.legacy or len(names) > 1 or None in names:
            raise not_in_this_store(version)
        if not names:  # an empty index: a collection that has nothing
            return QdrantIndex(self.settings, "", 0, self.exact_below, np.zeros(0, np.int64), 1)
        collection = next(iter(names), None) or ""
        deleted = tuple(i for part in combined.parts for i in part.deleted_ids.tolist())
        # A stale film's points are one film in one collection: whether it passes is read
        # from all of its rows in the version (stale or not), as its record now says.
        films = {fid for k in range(len(combined.parts)) for fid in combined.stale(k)}
        stale: dict[str, np.ndarray] = {}
        if films:
            passage_film = np.asarray(combined.review_film)[np.asarray(combined.passage_review)]
            for fid in films:
                stale[fid] = np.flatnonzero(passage_film == combined.film_row[fid])
        return QdrantIndex(
            self.settings,
            collection,
            combined.n_passages,
            self.exact_below,
            np.asarray(combined.passage_ids),
            version.next_passage_id,
            deleted,
            stale,
        )

    def retire(self, gone: list[tuple[Path, dict[str, Any]]], kept: list[dict[str, Any]]) -> None:
        """Delete the points of segments no version names that no kept segment holds."""
        for folder, record in gone:
            collection = record.get(COLLECTION_KEY)
            if not collection:
                continue
            ids = set(np.asarray(open_segment(folder).rows.passage_ids).tolist())
            for other in kept:
                if other.get(COLLECTION_KEY) == collection and other.get("segment") and ids:
                    ids -= set(
                        np.asarray(open_segment(Path(other["segment"])).rows.passage_ids).tolist()
                    )
            if ids:
                QdrantIndex(self.settings, collection).delete(sorted(ids))

    def forget(self, records: list[dict[str, Any]], ids: np.ndarray) -> None:
        """Points the live version dropped are deleted now (a reader of an older version
        may miss those deleted reviews' passages from then on: it answers without them)."""
        names = {str(r[COLLECTION_KEY]) for r in records if r.get(COLLECTION_KEY) is not None}
        if len(ids) and len(names) == 1:
            QdrantIndex(self.settings, next(iter(names))).delete(sorted(int(i) for i in ids))

    def sweep(self, kept: list[dict[str, Any]]) -> list[str]:
        """Drop this prefix's collections no kept segment names (a crashed writer's)."""
        c = _client(self.settings)
        named = named_in(self.settings, kept, COLLECTION_KEY)
        gone = []
        for collection in c.get_collections().collections:
            name = collection.name
            if is_version_name(self.settings, name) and name not in named:
                c.delete_collection(name)
                gone.append(name)
        return gone
