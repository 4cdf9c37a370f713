"""The vector-store seam: where an index version's passage vectors are searched.

A store is chosen once, from the settings (`backend_for`). The version writer hands it each new
segment's vectors before the segment is named by a version (`write`); a snapshot opens a
version through it (`open`); the version store tells it which segments no version names any
more (`retire`). A search passes one `Selection` (which passages may answer) and each store
turns it into its own form: FAISS a bitmap selector, Qdrant a payload filter.

A version is a list of segments (`versions.py`), so a search is a search of each segment with
the same Selection, the rows a version deleted masked out, and the results merged
(`SegmentedIndex`): exact per segment means exact for the version. FAISS (`faiss_vectors`)
and Qdrant's embedded engine (`qdrant_edge_vectors`) keep an index per segment; a Qdrant server
(`qdrant_vectors`) keeps one collection for the whole index and answers a version in one
query. Another store is one more module and one more line in `backend_for`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from config import SearchSettings, Settings
from index.storage.segments import Merged
from index.storage.versions import VersionInfo
from index.types import QueryFilters

if TYPE_CHECKING:
    from index.storage.combined import Combined, Part

__all__ = ["EXACT_BELOW", "Merged", "SegmentedIndex", "Selection", "backend_for", "exact_search"]

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
    """Vectors opened for searching: a version's, or one segment's (rows are then its own)."""

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
    @property
    def name(self) -> str: ...

    def write(
        self,
        folder: Path,
        vectors: np.ndarray,
        ids: np.ndarray,
        merged: Merged | None = None,
        siblings: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Store a new segment's vectors (`ids`: its passage ids; its folder is complete but
        for segment.json) before a version names it; returns what segment.json should record
        of it ({}: nothing). `merged`: what a merge's first input had; `siblings`: the
        records of the segments it joins."""
        ...

    def holds(self, version: VersionInfo) -> bool:
        """Whether this version's vectors are all in this store."""
        ...

    def open(self, version: VersionInfo, combined: Combined) -> VectorIndex:
        """The version's vectors for searching (rows: the version's passage rows)."""
        ...

    def retire(self, gone: list[tuple[Path, dict[str, Any]]], kept: list[dict[str, Any]]) -> None:
        """Forget segments no version names any more (each folder, about to be deleted, and
        its record), keeping what the `kept` records still use."""
        ...

    def forget(self, records: list[dict[str, Any]], ids: np.ndarray) -> None:
        """The live version (whose segments' records these are) has dropped these passages
        for good (a merge left deleted rows out, a segment all of whose reviews went is no
        longer named): a store that keeps passages outside segments drops them now."""
        ...

    def sweep(self, kept: list[dict[str, Any]]) -> list[str]:
        """Remove what a crashed writer left outside the index folder: anything of this
        store's that none of the `kept` records names. Returns what went."""
        ...


# ---------------------------------------------------------------------- segments
@dataclass(frozen=True)
class ScanIndex:
    """A segment no store indexes (too small to be worth one): an exact scan of its vectors."""

    vectors: np.ndarray

    @property
    def exact(self) -> bool:
        return True

    def search(
        self, query: np.ndarray, k: int, selection: Selection | None
    ) -> tuple[np.ndarray, np.ndarray]:
        rows = np.ones(len(self.vectors), bool) if selection is None else selection.rows
        return exact_search(self.vectors, np.asarray(query, np.float32).reshape(-1), rows, k)


@dataclass(frozen=True)
class SegmentSearch:
    """One segment of a version, as a search sees it: its index (segment rows), and the
    version's part of it (which of its rows are live, where they start)."""

    index: VectorIndex
    part: Part


@dataclass(frozen=True)
class SegmentedIndex:
    """A version's vectors: every segment searched with the same Selection (its slice of the
    rows, the deleted rows never selected), the best k of all of them kept. Each segment's
    top k among its selected rows holds the version's top k among them, so a store exact per
    segment is exact for the version."""

    segments: tuple[SegmentSearch, ...]

    @property
    def exact(self) -> bool:
        return all(s.index.exact for s in self.segments)

    def search(
        self, query: np.ndarray, k: int, selection: Selection | None
    ) -> tuple[np.ndarray, np.ndarray]:
        scores, rows = [], []
        for s in self.segments:
            part = s.part
            if not part.n_passages:
                continue
            mask = part.local_mask(None if selection is None else selection.rows)
            if mask is None:  # all of it, nothing deleted
                local: Selection | None = None
                count = part.n_passages
            else:
                filters = selection.filters if selection is not None else QueryFilters()
                local = (
                    Selection(mask, filters) if selection is None else replace(selection, rows=mask)
                )
                count = local.count
                if count == part.segment.n_passages:  # all of it (a tenant filter that only
                    local = None  # other segments feel): searched as if nothing were filtered
            if count == 0:
                continue
            found, at = s.index.search(query, min(k, count), local)
            if len(at):
                scores.append(np.asarray(found, np.float32))
                rows.append(part.to_version(at))
        if not rows:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        all_scores, all_rows = np.concatenate(scores), np.concatenate(rows)
        order = np.lexsort((all_rows, -all_scores))[:k]
        return all_scores[order], all_rows[order]


def unindexed(combined: Combined) -> SegmentedIndex:
    """A version every segment of which is scanned exactly (no store index)."""
    return SegmentedIndex(
        tuple(SegmentSearch(ScanIndex(p.segment.vectors), p) for p in combined.parts)
    )


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
