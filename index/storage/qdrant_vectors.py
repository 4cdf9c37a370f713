"""Qdrant server as the vector store (`qdrant.url`), for deployments past one machine.

Each index version gets its own collection (`<prefix>_<version folder id>`), filled before
the version is published and dropped when the version is, so a search never sees a
half-written collection. A point's id is its passage row; its payload and filters are
`qdrant_payloads`' (the same as the embedded engine's, `qdrant_edge_vectors`).

SQLite and the local vector copy stay beside it: titles, snippets, BM25 and rating ranking
are read from there, so Qdrant answers one question only, which passages are nearest.
"""

from __future__ import annotations

import atexit
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from config import QdrantSettings
from index.storage.qdrant_payloads import (
    Spelling,
    fields,
    is_version_name,
    not_in_this_store,
    passage_payloads,
    version_name,
    where,
    where_for,
)
from index.storage.vectors import EXACT_BELOW, Previous, Selection
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

    return Spelling(m.Filter, m.FieldCondition, m.MatchValue, m.MatchAny, m.Range)


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


@dataclass(frozen=True)
class QdrantIndex:
    """The vectors of one index version in one Qdrant collection."""

    settings: QdrantSettings
    collection: str
    size: int | None = None  # points in the collection, when known
    exact_below: int = EXACT_BELOW  # search.exact_below

    @property
    def client(self) -> Any:
        path = str(self.settings.path) if self.settings.path else None
        return client(self.settings.url, None if self.settings.url else path)

    @property
    def exact(self) -> bool:
        return not self.settings.url  # local mode always scans; a server uses HNSW

    def fill(self, vectors: np.ndarray, payloads: Iterable[dict[str, Any]]) -> None:
        from qdrant_client import models as m

        c = self.client
        if c.collection_exists(self.collection):
            c.delete_collection(self.collection)
        c.create_collection(
            self.collection,
            vectors_config=m.VectorParams(size=int(vectors.shape[1]), distance=m.Distance.DOT),
        )
        for field, kind in fields().items() if self.settings.url else ():  # local mode: none
            c.create_payload_index(self.collection, field, payload_index(kind))
        rows = iter(payloads)
        for start in range(0, len(vectors), BATCH):
            end = min(start + BATCH, len(vectors))
            c.upsert(
                self.collection,
                points=m.Batch(
                    ids=list(range(start, end)),
                    vectors=vectors[start:end].tolist(),
                    payloads=list(itertools.islice(rows, end - start)),
                ),
                wait=True,
            )

    def search(
        self, query: np.ndarray, k: int, selection: Selection | None
    ) -> tuple[np.ndarray, np.ndarray]:
        from qdrant_client import models as m

        filtered = selection is not None
        condition = spelling()(where_for(selection)) if filtered else None
        # A small allowed set (or collection, when all of it is allowed) is scored outright.
        allowed = selection.count if filtered else self.size
        exact = allowed is not None and allowed <= self.exact_below
        found = self.client.query_points(
            self.collection,
            query=query.astype(np.float32).tolist(),
            query_filter=condition,
            limit=k,
            with_payload=False,
            search_params=m.SearchParams(exact=exact, hnsw_ef=self.settings.hnsw_ef)
            if self.settings.url
            else None,
        ).points
        scores = np.asarray([p.score for p in found], dtype=np.float32)
        return scores, np.asarray([int(p.id) for p in found], dtype=np.int64)

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
        self, folder: Path, vectors: np.ndarray, previous: Previous | None = None
    ) -> dict[str, Any]:
        """A new collection with every vector (`previous` is not reused: a collection cannot
        be copied cheaply)."""
        collection = version_name(self.settings, folder)
        QdrantIndex(self.settings, collection).fill(
            vectors, passage_payloads(folder / "meta.sqlite")
        )
        return {COLLECTION_KEY: collection}

    def holds(self, manifest: dict[str, Any]) -> bool:
        return COLLECTION_KEY in manifest

    def open(self, version: VersionInfo, vectors: np.ndarray) -> QdrantIndex:
        collection = version.manifest.get(COLLECTION_KEY)
        if not collection:
            raise not_in_this_store(version)
        return QdrantIndex(self.settings, collection, len(vectors), self.exact_below)

    def retire(self, manifest: dict[str, Any]) -> None:
        if collection := manifest.get(COLLECTION_KEY):
            QdrantIndex(self.settings, collection).drop()

    def sweep(self, kept: list[dict[str, Any]]) -> list[str]:
        """Drop this prefix's collections no kept version names (a crashed ingest's)."""
        c = QdrantIndex(self.settings, "").client
        named = {m.get(COLLECTION_KEY) for m in kept}
        gone = []
        for collection in c.get_collections().collections:
            name = collection.name
            if is_version_name(self.settings, name) and name not in named:
                c.delete_collection(name)
                gone.append(name)
        return gone
