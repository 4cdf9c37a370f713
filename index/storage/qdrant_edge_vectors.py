"""Qdrant's own engine, embedded (qdrant-edge): the Qdrant store on one machine.

The same segments, HNSW graph, payload indexes and filter planner as a Qdrant server, in the
process, offline. An index segment of `qdrant.shard_min_passages` or more gets its own shard
folder (`<path>/<prefix>_<segment id>`), complete (points, payload indexes, HNSW) and flushed
before any version names the segment, so a search never sees a half-built shard; a shard no
segment names (a crashed writer's) is swept by the next writer. A shard is never written
again once named, so it runs without a write-ahead log: any number of processes may open it
at once (a WAL is locked by one), and a reader of an older version keeps reading the shards
it opened while newer versions come and go.

Why not one shard changed in place (upserts and deletes per review)? Readers are often other
processes (the bot, a CLI search), which Qdrant's shard does not coordinate with: a shard
changed under them, or optimised (its segments rewritten) while they read, is not safe to
read, and a kill -9 mid-update would leave no previous state to fall back to. So the shard
is immutable like everything else in a version, and what a review changes costs what it
changes: its segment (a few passages) is scanned exactly from its vectors, not sharded (a
shard costs about half a second and half a megabyte even for one point); a version's deleted
passages are a `must_not` on their point ids; a film whose facts changed after its shard was
written is told apart as a server's own films are (`Selection.gained` / `lost`). A merge
into a segment whose first input has a shard copies that shard and applies only the
difference there (deletes, upserts of the other inputs' points, payloads that changed):
Qdrant's own optimizer graphs the new points and vacuums the deleted ones, and nothing is
graphed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from config import QdrantSettings
from index.errors import REBUILD, IndexDamaged
from index.storage.combined import Combined, Part
from index.storage.qdrant_payloads import (
    Kind,
    Spelling,
    fields,
    is_version_name,
    named_in,
    not_in_this_store,
    passage_payloads,
    version_name,
    where_for,
)
from index.storage.segments import Segment
from index.storage.vectors import (
    EXACT_BELOW,
    Merged,
    ScanIndex,
    SegmentedIndex,
    SegmentSearch,
    Selection,
)
from index.storage.versions import VersionInfo
from index.types import QueryFilters

BATCH = 1024
SHARD_KEY = "qdrant_shard"
FILES_KEY = "qdrant_files"  # the shard's file names and sizes as published, as one digest
log = logging.getLogger("cinebot.store")


def edge() -> Any:
    try:
        import qdrant_edge
    except ImportError:
        raise RuntimeError(
            "store = qdrant without qdrant.url runs Qdrant's embedded engine, which needs "
            "qdrant-edge-py: pip install 'cinebot[qdrant]'"
        ) from None
    return qdrant_edge


@cache
def spelling() -> Spelling:
    q = edge()
    return Spelling(
        q.Filter,
        q.FieldCondition,
        q.MatchValue,
        q.MatchAny,
        q.RangeFloat,
        lambda ids: q.HasIdCondition(set(ids)),
    )


def payload_index(kind: str) -> Any:
    q = edge()
    if kind == "tenant":
        return q.KeywordIndexParams(is_tenant=True)
    return {
        "keyword": q.PayloadSchemaType.Keyword,
        "integer": q.PayloadSchemaType.Integer,
        "float": q.PayloadSchemaType.Float,
    }[kind]


def shard_config(settings: QdrantSettings, dim: int) -> Any:
    q = edge()
    return q.EdgeConfig(
        vectors=q.EdgeVectorParams(size=dim, distance=q.Distance.Dot),
        hnsw_config=q.HnswIndexConfig(
            m=settings.hnsw_m,
            ef_construct=settings.hnsw_ef_construct,
            full_scan_threshold=settings.full_scan_threshold_kb,
        ),
        optimizers=q.EdgeOptimizersConfig(indexing_threshold=settings.indexing_threshold_kb),
        wal_enabled=False,  # written once, flushed before it is published
    )


def _points(
    ids: np.ndarray, vectors: np.ndarray, payloads: Iterable[dict[str, Any]]
) -> Iterator[list[Any]]:
    """Points a batch at a time (vectors are read from their memory map per batch)."""
    q = edge()
    rows = iter(payloads)
    for start in range(0, len(ids), BATCH):
        part = np.asarray(vectors[start : start + BATCH], dtype=np.float32)
        yield [
            q.Point(int(pid), vector.tolist(), payload)
            for pid, vector, payload in zip(ids[start : start + BATCH], part, rows, strict=False)
        ]


@contextlib.contextmanager
def writing(folder: Path, start: Callable[[Path], Any]) -> Iterator[Any]:
    """A shard started in `folder` (replacing a leftover there) by `start`; when the caller
    is done changing it, graphed, flushed, closed and settled."""
    if folder.exists():
        shutil.rmtree(folder)
    shard = start(folder)
    try:
        yield shard
        shard.optimize()
        shard.flush()
    finally:
        shard.close()
    settle(folder)


def settle(folder: Path) -> None:
    """Open and close the finished shard once: the first opening writes the configuration
    out in full, and it must happen now, not in a reader while the next writer copies it."""
    edge().EdgeShard.load(str(folder)).close()


def build_shard(
    folder: Path,
    settings: QdrantSettings,
    vectors: np.ndarray,
    payloads: Iterable[dict[str, Any]],
    ids: np.ndarray | None = None,
    indexed: dict[str, Kind] | None = None,
) -> None:
    """A complete shard in `folder`: payload indexes first (so points are laid out per
    library as they arrive), then the points (`ids`, default the rows), then the graph.
    Every filtered field needs its index: without one, Qdrant's planner cannot count what a
    filter allows, and a graph walk under a selective filter may find nothing."""
    q = edge()
    config = shard_config(settings, int(vectors.shape[1]))
    with writing(folder, lambda f: q.EdgeShard.create(str(f), config)) as shard:
        for name, kind in (indexed or fields()).items():
            shard.update(q.UpdateOperation.create_field_index(name, payload_index(kind)))
        ids = np.arange(len(vectors)) if ids is None else ids
        for points in _points(ids, vectors, payloads):
            shard.update(q.UpdateOperation.upsert_points(points))


@dataclass
class Changes:
    """What a new version changes in its previous version's points."""

    gone: list[int] = field(default_factory=list)  # passage ids deleted
    added: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (new row, payload)
    changed: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (id, payload)


def changes(
    old_ids: np.ndarray,
    old_payloads: Iterable[dict[str, Any]],
    new_ids: np.ndarray,
    new_payloads: Iterable[dict[str, Any]],
) -> Changes:
    """Both versions' passages walked side by side in passage_id order; only the difference
    is kept in memory."""
    out = Changes()
    old = zip(old_ids.tolist(), old_payloads, strict=True)
    current = next(old, None)
    for row, (pid, payload) in enumerate(zip(new_ids.tolist(), new_payloads, strict=True)):
        while current is not None and current[0] < pid:
            out.gone.append(current[0])
            current = next(old, None)
        if current is not None and current[0] == pid:
            if current[1] != payload:
                out.changed.append((pid, payload))
            current = next(old, None)
        else:
            out.added.append((row, payload))
    while current is not None:
        out.gone.append(current[0])
        current = next(old, None)
    return out


def grow_shard(
    base: Path, folder: Path, vectors: np.ndarray, ids: np.ndarray, delta: Changes
) -> None:
    """`folder` as a copy of the `base` shard with `delta` applied; Qdrant's optimizer graphs
    the new points when there are enough of them."""
    q = edge()

    def copied(f: Path) -> Any:
        shutil.copytree(base, f)
        return q.EdgeShard.load(str(f))

    with writing(folder, copied) as shard:
        for start in range(0, len(delta.gone), BATCH):
            shard.update(q.UpdateOperation.delete_points(delta.gone[start : start + BATCH]))
        for pid, payload in delta.changed:
            shard.update(q.UpdateOperation.overwrite_payload([pid], payload))
        rows = np.asarray([row for row, _ in delta.added], dtype=np.int64)
        payloads = (payload for _, payload in delta.added)
        for points in _points(ids[rows], vectors[rows], payloads):
            shard.update(q.UpdateOperation.upsert_points(points))


def _why(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:160]


def engine_failed(exc: BaseException) -> bool:
    """An error of the engine reading its files: an exception, or a Rust panic (pyo3 raises
    those as a BaseException, which `except Exception` lets through)."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def files_digest(folder: Path) -> str:
    """Every file of a shard with its size, as one digest: a shard whose files were cut short,
    removed or added since it was published is found by a stat of each, before the engine
    reads one (a length field read from a cut file can make it abort the whole process)."""
    listing = sorted(
        f"{path.relative_to(folder)}\t{path.stat().st_size}"
        for path in folder.rglob("*")
        if path.is_file()
    )
    return hashlib.sha256("\n".join(listing).encode()).hexdigest()


@dataclass
class EdgeIndex:
    """One segment's shard, opened for searching (rows: the segment's passage rows)."""

    shard: Any
    settings: QdrantSettings
    ids: np.ndarray | None = None  # passage_id per row (points are passages); None: rows
    exact_below: int = EXACT_BELOW  # search.exact_below
    version: str = "?"  # the index version whose shard this is, for what an error names
    indexed: int = field(init=False)
    points: int = field(init=False)

    def __post_init__(self) -> None:
        info = self.shard.info()
        self.indexed, self.points = int(info.indexed_vectors_count), int(info.points_count)

    @property
    def exact(self) -> bool:
        return self.indexed == 0  # below the indexing threshold: plain segments, full scans

    def search(
        self,
        query: np.ndarray,
        k: int,
        selection: Selection | None,
        deleted: tuple[int, ...] = (),
        stale: dict[str, bool] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        q = edge()
        condition = spelling()(where_for(selection, deleted, stale))
        # A small allowed set (or a small shard, when all of it is allowed): score just those
        # (the payload index finds them) rather than walk a graph built for everyone.
        allowed = self.points if selection is None else selection.count
        exact = allowed <= self.exact_below
        acorn = q.AcornSearchParams(enable=True) if self.settings.acorn else None
        params = q.SearchParams(hnsw_ef=self.settings.hnsw_ef, exact=exact, acorn=acorn)
        request = q.QueryRequest(
            query=q.Query.Nearest(np.asarray(query, dtype=np.float32).tolist()),
            filter=condition,
            limit=k,
            params=params,
            with_payload=False,
        )
        try:
            found = self.shard.query(request)
        except BaseException as exc:  # the engine reads its files as it searches: cut, garbled
            if not engine_failed(exc):
                raise
            raise IndexDamaged(
                f"index {self.version} is damaged (its Qdrant shard: {_why(exc)}); {REBUILD}"
            ) from None
        scores = np.asarray([p.score for p in found], dtype=np.float32)
        points = np.asarray([int(p.id) for p in found], dtype=np.int64)
        return scores, points if self.ids is None else np.searchsorted(self.ids, points)


@dataclass(frozen=True)
class EdgePart:
    """A segment's shard as one version reads it: the points it deleted left out, the films
    whose facts changed since the shard was written decided by the selection's rows."""

    index: EdgeIndex
    deleted: tuple[int, ...]
    stale: dict[str, np.ndarray]  # film id -> its rows in the segment

    @property
    def exact(self) -> bool:
        return self.index.exact

    def search(
        self, query: np.ndarray, k: int, selection: Selection | None
    ) -> tuple[np.ndarray, np.ndarray]:
        return self.index.search(query, k, selection, self.deleted, self._passing(selection))

    def _passing(self, selection: Selection | None) -> dict[str, bool] | None:
        if selection is None or not self.stale:
            return None
        return {fid: bool(selection.rows[rows].any()) for fid, rows in self.stale.items()}

    def selected(self, selection: Selection | None) -> np.ndarray:
        """The segment's rows the payload conditions of a search let through (all of them,
        scrolled): what the store contract holds equal to the selection's rows."""
        q = edge()
        condition = spelling()(where_for(selection, self.deleted, self._passing(selection)))
        points, _ = self.index.shard.scroll(
            q.ScrollRequest(limit=10_000_000, filter=condition, with_payload=False)
        )
        found = np.asarray(sorted(int(p.id) for p in points), dtype=np.int64)
        ids = self.index.ids
        return found if ids is None else np.searchsorted(ids, found)


def selected_rows(index: SegmentedIndex, selection: Selection | None) -> np.ndarray:
    """The version's rows a search with `selection` may return, as each segment's store says:
    the payload conditions of a sharded segment, the rows of a scanned one."""
    found = []
    for s in index.segments:
        part = s.part
        local = part.local_mask(None if selection is None else selection.rows)
        mine = None
        if local is not None and selection is not None:
            mine = replace(selection, rows=local)
        elif local is not None:
            mine = Selection(local, QueryFilters())
        if isinstance(s.index, EdgePart):
            rows = s.index.selected(mine)
        else:
            rows = (
                np.flatnonzero(local) if local is not None else np.arange(part.segment.n_passages)
            )
        found.append(part.to_version(rows))
    return np.sort(np.concatenate(found)) if found else np.zeros(0, np.int64)


@dataclass(frozen=True)
class EdgeBackend:
    settings: QdrantSettings
    exact_below: int = EXACT_BELOW  # search.exact_below
    name: str = "qdrant"

    @property
    def root(self) -> Path:
        assert self.settings.path is not None, "the embedded engine needs qdrant.path"
        return self.settings.path

    def write(
        self,
        folder: Path,
        vectors: np.ndarray,
        ids: np.ndarray,
        merged: Merged | None = None,
        siblings: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The segment's shard: a merge's first input's, copied and changed by the difference,
        or (without one) built from every vector; none for a small segment."""
        if len(vectors) < max(self.settings.shard_min_passages, 1):
            return {}
        name = version_name(self.settings, folder)
        self.root.mkdir(parents=True, exist_ok=True)
        meta = folder / "meta.sqlite"
        base = self._shard_of(merged.segment) if merged is not None else None
        if base is not None and merged is not None:
            old = merged.segment
            try:
                delta = changes(
                    np.asarray(old.rows.passage_ids),
                    passage_payloads(old.path / "meta.sqlite"),
                    ids,
                    passage_payloads(meta),
                )
                grow_shard(base, self.root / name, vectors, ids, delta)
                grown = {"qdrant_grown_from": base.name}
                return {SHARD_KEY: name, FILES_KEY: files_digest(self.root / name), **grown}
            except BaseException as exc:  # a damaged shard to grow from: the vectors are whole
                if not engine_failed(exc):
                    raise
                log.warning("the shard %s cannot be grown (%s); built again", base.name, _why(exc))
        build_shard(self.root / name, self.settings, vectors, passage_payloads(meta), ids)
        return {SHARD_KEY: name, FILES_KEY: files_digest(self.root / name)}

    def _shard_of(self, segment: Segment) -> Path | None:
        name = segment.store.get(SHARD_KEY)
        folder = self.root / name if name else None
        return folder if folder is not None and folder.is_dir() else None

    def holds(self, version: VersionInfo) -> bool:
        if version.manifest.get("store", self.name) != self.name and not version.legacy:
            return False
        for meta in version.segment_metas():
            name = meta.get("store", {}).get(SHARD_KEY)
            wanted = int(meta.get("passages") or 0) >= max(self.settings.shard_min_passages, 1)
            if name is None and (wanted or "qdrant_collection" in meta.get("store", {})):
                return False
            if name is not None and not (self.root / name).is_dir():
                return False
        return True

    def open(self, version: VersionInfo, combined: Combined) -> SegmentedIndex:
        if version.manifest.get("store", self.name) != self.name and not version.legacy:
            raise not_in_this_store(version)
        parts = []
        for k, part in enumerate(combined.parts):
            if not part.segment.n_passages:
                continue
            name = part.segment.store.get(SHARD_KEY)
            if not name:
                if version.legacy or part.segment.n_passages >= max(
                    self.settings.shard_min_passages, 1
                ):
                    raise not_in_this_store(version)
                parts.append(SegmentSearch(ScanIndex(part.segment.vectors), part))
                continue
            shard = self._open_shard(version, part, name)
            deleted = tuple(part.deleted_ids.tolist())
            parts.append(SegmentSearch(EdgePart(shard, deleted, combined.stale(k)), part))
        return SegmentedIndex(tuple(parts))

    def _open_shard(self, version: VersionInfo, part: Part, name: str) -> EdgeIndex:
        """A segment's shard, opened once per process while a version in memory uses it."""
        segment = part.segment
        key = ("edge", str(self.root), self.exact_below, self.settings.hnsw_ef, self.settings.acorn)
        found = segment.cache.get(key)
        if found is None:
            ids = np.asarray(segment.rows.passage_ids)
            published = segment.store.get(FILES_KEY)
            found = segment.cache[key] = self.open_shard(version, name, ids, published)
        return found

    def open_shard(
        self, version: VersionInfo, name: str | None, ids: np.ndarray, published: str | None = None
    ) -> EdgeIndex:
        """The shard `name` of a segment of `version` whose passage ids are `ids`: checked
        against what was published (its files' sizes, its point count) before it is read."""
        folder = self.root / name if name else None
        if folder is None or not folder.is_dir():
            raise not_in_this_store(version)
        if published and files_digest(folder) != published:
            raise IndexDamaged(
                f"index {version.name} is damaged (a file of its Qdrant shard {folder} was cut "
                f"short, removed or added since it was written); {REBUILD}"
            )
        try:
            shard = edge().EdgeShard.load(str(folder))
            points = int(shard.info().points_count)
        except BaseException as exc:
            if not engine_failed(exc):
                raise
            raise IndexDamaged(
                f"index {version.name} is damaged (its Qdrant shard {folder} does not open: "
                f"{_why(exc)}); {REBUILD}"
            ) from None
        if points != len(ids):
            raise IndexDamaged(
                f"index {version.name} is damaged ({points} points in its Qdrant shard, "
                f"{len(ids)} stored); {REBUILD}"
            )
        return EdgeIndex(shard, self.settings, ids, self.exact_below, version.name)

    def retire(self, gone: list[tuple[Path, dict[str, Any]]], kept: list[dict[str, Any]]) -> None:
        named = {record.get(SHARD_KEY) for record in kept}
        for _, record in gone:
            if (name := record.get(SHARD_KEY)) and name not in named:
                shutil.rmtree(self.root / name, ignore_errors=True)

    def forget(self, records: list[dict[str, Any]], ids: np.ndarray) -> None:
        """Nothing: a shard goes with the segment it was made for."""

    def sweep(self, kept: list[dict[str, Any]]) -> list[str]:
        """Remove this prefix's shards no kept segment names (a crashed writer's)."""
        if not self.root.is_dir():
            return []
        named = named_in(self.settings, kept, SHARD_KEY)
        gone = []
        for folder in sorted(self.root.glob(f"{self.settings.prefix}_*")):
            if is_version_name(self.settings, folder.name) and folder.name not in named:
                shutil.rmtree(folder, ignore_errors=True)
                gone.append(folder.name)
        return gone
