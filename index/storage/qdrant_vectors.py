"""Qdrant as the vector store, for deployments that outgrow one machine.

Each index version gets its own collection (`<prefix>_<version folder id>`), filled before
the version is published and dropped when the version is, so a search never sees a
half-written collection. A point's id is its passage row. A `Selection` becomes a payload
filter with the same meaning as its row mask: film-level fields (countries, genres, year,
directors, cast) copied onto each passage, and the review's own rating.

SQLite and the local vector copy stay beside it: titles, snippets, BM25 and rating ranking
are read from there, so Qdrant answers one question only, which passages are nearest.
"""

from __future__ import annotations

import atexit
import contextlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from config import QdrantSettings
from index.errors import IndexMissing
from index.knowledge.films import director_names
from index.knowledge.people import fold
from index.storage.vectors import EXACT_BELOW, Previous, Selection
from index.storage.versions import VersionInfo, open_readonly
from index.types import QueryFilters

BATCH = 1024
COLLECTION_KEY = "qdrant_collection"


@cache
def client(url: str | None, path: str | None) -> Any:
    """One client per location and process: local mode locks its folder."""
    try:
        from qdrant_client import QdrantClient
    except ImportError:
        raise RuntimeError(
            "store = qdrant needs qdrant-client: pip install 'cinebot[qdrant]'"
        ) from None
    if url:
        opened = QdrantClient(url=url)
    else:
        opened = QdrantClient(path=path) if path else QdrantClient(location=":memory:")
    atexit.register(opened.close)  # before interpreter teardown, not in __del__ during it
    return opened


def passage_payloads(meta: Path) -> list[dict[str, Any]]:
    """The payload each passage row carries into Qdrant, from a version's SQLite file."""
    with contextlib.closing(open_readonly(meta)) as db:
        films = {}
        for fid, year, data in db.execute("SELECT film_id, year, data FROM films"):
            d = json.loads(data)
            films[fid] = {
                "film_id": fid,
                "year": year if year is not None else -1,
                "countries": list(d["countries"]),
                "genres": list(d["genres"]),
                "directors": [fold(n) for n in director_names(d["director"])],
                "cast": [fold(n) for n in d["cast"]],
                "languages": list(d.get("languages", ())),
                "runtime": d.get("runtime") or -1,
            }
        payloads = []
        columns = {row[1] for row in db.execute("PRAGMA table_info(reviews)")}
        library = "r.library" if "library" in columns else "'base'"
        for rating, fid, owner in db.execute(
            f"SELECT r.rating, p.film_id, {library} FROM passages p "
            "JOIN reviews r ON r.review_id = p.review_id ORDER BY p.passage_id"
        ):
            payload = {**films[fid], "library": owner}
            if rating is not None:
                payload["rating"] = float(rating)
            payloads.append(payload)
    return payloads


def payload_filter(
    filters: QueryFilters | None, exclude_film: str | None = None,
    libraries: tuple[str, ...] | None = None,
) -> Any:  # fmt: skip
    """Filters as a Qdrant filter, with the same meaning as their row mask
    (`index.answering.masks`)."""
    from qdrant_client import models as m

    must: list[Any] = []
    must_not: list[Any] = []
    if filters is not None:
        if filters.countries:
            must.append(m.FieldCondition(key="countries", match=m.MatchAny(any=filters.countries)))
        if filters.countries_none:
            must_not.append(
                m.FieldCondition(key="countries", match=m.MatchAny(any=filters.countries_none))
            )
        must += [
            m.FieldCondition(key="genres", match=m.MatchValue(value=g)) for g in filters.genres_all
        ]
        if filters.genres_any:
            must.append(m.FieldCondition(key="genres", match=m.MatchAny(any=filters.genres_any)))
        if filters.genres_none:
            must_not.append(
                m.FieldCondition(key="genres", match=m.MatchAny(any=filters.genres_none))
            )
        if filters.year_min is not None or filters.year_max is not None:
            # Unknown years are stored as -1: they fail any year filter, as in the masks.
            low = filters.year_min if filters.year_min is not None else 0
            must.append(m.FieldCondition(key="year", range=m.Range(gte=low, lte=filters.year_max)))
        if filters.languages:
            must.append(m.FieldCondition(key="languages", match=m.MatchAny(any=filters.languages)))
        if filters.languages_none:
            must_not.append(
                m.FieldCondition(key="languages", match=m.MatchAny(any=filters.languages_none))
            )
        if filters.runtime_min is not None or filters.runtime_max is not None:
            # Unknown runtimes are stored as -1: they fail any runtime filter, as in the masks.
            low = filters.runtime_min if filters.runtime_min is not None else 0
            must.append(
                m.FieldCondition(key="runtime", range=m.Range(gte=low, lte=filters.runtime_max))
            )
        if filters.directors:
            names = [fold(d) for d in filters.directors]
            must.append(m.FieldCondition(key="directors", match=m.MatchAny(any=names)))
        if filters.cast:
            names = [fold(c) for c in filters.cast]
            must.append(m.FieldCondition(key="cast", match=m.MatchAny(any=names)))
        must += [m.FieldCondition(key="cast", match=m.MatchValue(value=fold(c)))
                 for c in filters.cast_all]  # fmt: skip
        if filters.rating_min is not None or filters.rating_max is not None:
            # Unrated passages carry no rating and fail a range, as NaN does in the masks.
            low, high = filters.rating_min, filters.rating_max
            must.append(m.FieldCondition(key="rating", range=m.Range(
                gt=low if filters.rating_min_exclusive else None,
                gte=None if filters.rating_min_exclusive else low,
                lt=high if filters.rating_max_exclusive else None,
                lte=None if filters.rating_max_exclusive else high,
            )))  # fmt: skip
    if exclude_film is not None:
        must_not.append(m.FieldCondition(key="film_id", match=m.MatchValue(value=exclude_film)))
    if libraries is not None:  # the tenant: a server's library and the base one
        must.append(m.FieldCondition(key="library", match=m.MatchAny(any=list(libraries))))
    if not must and not must_not:
        return None
    return m.Filter(must=must or None, must_not=must_not or None)


@dataclass(frozen=True)
class QdrantIndex:
    """The vectors of one index version in one Qdrant collection."""

    settings: QdrantSettings
    collection: str

    @property
    def client(self) -> Any:
        path = str(self.settings.path) if self.settings.path else None
        return client(self.settings.url, path)

    @property
    def exact(self) -> bool:
        return not self.settings.url  # local mode always scans; a server uses HNSW

    def fill(self, vectors: np.ndarray, payloads: list[dict[str, Any]]) -> None:
        from qdrant_client import models as m

        c = self.client
        if c.collection_exists(self.collection):
            c.delete_collection(self.collection)
        c.create_collection(
            self.collection,
            vectors_config=m.VectorParams(size=int(vectors.shape[1]), distance=m.Distance.DOT),
        )
        kinds = {"countries": m.PayloadSchemaType.KEYWORD, "genres": m.PayloadSchemaType.KEYWORD,
                 "directors": m.PayloadSchemaType.KEYWORD, "cast": m.PayloadSchemaType.KEYWORD,
                 "film_id": m.PayloadSchemaType.KEYWORD, "year": m.PayloadSchemaType.INTEGER,
                 "languages": m.PayloadSchemaType.KEYWORD, "runtime": m.PayloadSchemaType.INTEGER,
                 "rating": m.PayloadSchemaType.FLOAT}  # fmt: skip
        for field, kind in kinds.items() if self.settings.url else ():  # local mode: none needed
            c.create_payload_index(self.collection, field, kind)
        if self.settings.url:  # Qdrant's multitenancy: the library is a tenant keyword
            c.create_payload_index(self.collection, "library", m.KeywordIndexParams(
                type=m.KeywordIndexType.KEYWORD, is_tenant=True))  # fmt: skip
        for start in range(0, len(payloads), BATCH):
            end = min(start + BATCH, len(payloads))
            c.upsert(self.collection, points=m.Batch(
                ids=list(range(start, end)), vectors=vectors[start:end].tolist(),
                payloads=payloads[start:end]), wait=True)  # fmt: skip

    def search(
        self, query: np.ndarray, k: int, selection: Selection | None
    ) -> tuple[np.ndarray, np.ndarray]:
        from qdrant_client import models as m

        where = (
            payload_filter(selection.filters, selection.exclude_film, selection.libraries)
            if selection
            else None
        )
        exact = selection is not None and selection.count <= EXACT_BELOW
        found = self.client.query_points(
            self.collection, query=query.astype(np.float32).tolist(), query_filter=where,
            limit=k, with_payload=False,
            search_params=m.SearchParams(exact=exact) if self.settings.url else None,
        ).points  # fmt: skip
        scores = np.asarray([p.score for p in found], dtype=np.float32)
        return scores, np.asarray([int(p.id) for p in found], dtype=np.int64)

    def drop(self) -> None:
        c = self.client
        if c.collection_exists(self.collection):
            c.delete_collection(self.collection)


@dataclass(frozen=True)
class QdrantBackend:
    settings: QdrantSettings
    name: str = "qdrant"

    def write(
        self, folder: Path, vectors: np.ndarray, previous: Previous | None = None
    ) -> dict[str, Any]:
        """A new collection with every vector (`previous` is not reused yet: a collection
        cannot be copied cheaply)."""
        collection = f"{self.settings.prefix}_{folder.name.removeprefix('.tmp-')}"
        QdrantIndex(self.settings, collection).fill(
            vectors, passage_payloads(folder / "meta.sqlite")
        )
        return {COLLECTION_KEY: collection}

    def holds(self, manifest: dict[str, Any]) -> bool:
        return COLLECTION_KEY in manifest

    def open(self, version: VersionInfo, vectors: np.ndarray) -> QdrantIndex:
        collection = version.manifest.get(COLLECTION_KEY)
        if not collection:
            raise IndexMissing(
                f"index {version.name} has no Qdrant collection (it was built with store=faiss); "
                "run `cinebot ingest` with store=qdrant to fill one from the stored vectors"
            )
        return QdrantIndex(self.settings, collection)

    def retire(self, manifest: dict[str, Any]) -> None:
        if collection := manifest.get(COLLECTION_KEY):
            QdrantIndex(self.settings, collection).drop()
