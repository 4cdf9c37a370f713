"""The vector-store seam: where one index version's passage vectors are searched.

A store is chosen once, from the settings (`backend_for`). The version writer hands it the
vectors of a new version before publishing; a snapshot opens it; the version store tells it
which versions were retired. A search passes one `Selection` (which passages may answer) and
each store turns it into its own form: FAISS a bitmap selector, Qdrant a payload filter.
FAISS (`faiss_vectors`), Qdrant's embedded engine (`qdrant_edge_vectors`) and a Qdrant server
(`qdrant_vectors`) implement it; another store is one more module and one more line in
`backend_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from config import SearchSettings, Settings
from index.storage.versions import Previous, VersionInfo
from index.types import QueryFilters

# The default of `search.exact_below`, for a store opened without settings (tests, benchmarks):
# allowed passages under which a scan of just those beats an approximate index with a filter.
EXACT_BELOW: int = SearchSettings.model_fields["exact_below"].default


@dataclass(frozen=True)
class Selection:
    """Which passages a search may return. `rows` says it as a mask over the version's passage
    rows; `filters`, `exclude_film` and `libraries` (the tenant filter: a server sees the base
    library and its own) say the same in words, for stores that filter by payload. Both
    always agree: the store contract suite checks it."""

    rows: np.ndarray  # bool per passage row
    filters: QueryFilters
    exclude_film: str | None = None
    # The libraries the place may see ("base" and its own); None: every library.
    libraries: tuple[str, ...] | None = None
    # Films that pass in this place though their stored facts (payloads) say otherwise, and
    # the other way round: a server's own reviews add to what it knows of some films.
    gained: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    # The rows say what no payload can (the passages naming a person): every store scans
    # them exactly instead (`exact_search`); such selections are small.
    rows_only: bool = False

    @cached_property
    def count(self) -> int:
        return int(np.count_nonzero(self.rows))


def exact_search(
    vectors: np.ndarray, query: np.ndarray, rows: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k by inner product among `rows` (a mask), best first: a scan of just those rows."""
    candidates = np.flatnonzero(rows)
    sims = np.asarray(vectors[candidates]) @ query
    top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
    order = top[np.argsort(-sims[top], kind="stable")]
    return sims[order].astype(np.float32), candidates[order]


class SettingError(ValueError):
    """A store setting that does not fit the index: fix the setting, the index is fine."""


class VectorIndex(Protocol):
    """One version's vectors, opened for searching."""

    @property
    def exact(self) -> bool:
        """Whether every search returns the true nearest neighbours."""
        ...

    def search(
        self, query: np.ndarray, k: int, selection: Selection | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, passage rows) among the selected rows (None: all), best first.
        Callers ask for at most as many as are selected, and never for none."""
        ...


class VectorBackend(Protocol):
    name: str

    def write(
        self, folder: Path, vectors: np.ndarray, previous: Previous | None = None
    ) -> dict[str, Any]:
        """Store a new version's vectors (its folder is complete but for the manifest), before
        it is published; returns what the manifest should record."""
        ...

    def holds(self, manifest: dict[str, Any]) -> bool:
        """Whether this version's vectors are already in this store."""
        ...

    def open(self, version: VersionInfo, vectors: np.ndarray) -> VectorIndex:
        """The version's vectors for searching; `vectors` is its local copy (memory-mapped)."""
        ...

    def retire(self, manifest: dict[str, Any]) -> None:
        """Forget a version that is no longer kept (what lives outside its folder)."""
        ...

    def sweep(self, kept: list[dict[str, Any]]) -> list[str]:
        """Remove what a crashed ingest left outside the index folder: anything of this
        store's that none of the `kept` manifests names. Returns what went."""
        ...


STORES = ("faiss", "qdrant")


def backend_for(settings: Settings) -> VectorBackend:
    """The store the settings name: the only place it is chosen. Every store asks for an
    exact search below the one threshold, `search.exact_below`."""
    exact = settings.search.exact_below
    if settings.store == "faiss":
        from index.storage.faiss_vectors import FaissBackend

        return FaissBackend(settings.search.faiss_factory, settings.search.faiss_params, exact)
    if settings.store == "qdrant" and settings.qdrant.url:
        from index.storage.qdrant_vectors import QdrantBackend

        return QdrantBackend(settings.qdrant, exact)
    if settings.store == "qdrant":
        from index.storage.qdrant_edge_vectors import EdgeBackend

        return EdgeBackend(
            settings.qdrant.model_copy(update={"path": settings.qdrant_folder}), exact
        )
    raise ValueError(f"unknown vector store {settings.store!r}; valid: {', '.join(STORES)}")
