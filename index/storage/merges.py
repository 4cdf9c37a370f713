"""Merging segments: when small segments pile up, one segment is written in their place, off
the request path, as Lucene's tiered merge policy and LanceDB's compaction do.

A merge reads a version it holds (a lease), writes the merged segment without the writer's
lock (`segments/.merge-*`, marked as being written by a lock file its process holds), then
takes the lock for a moment to publish: the live version by then (members may have posted
meanwhile) with the merged run of segments replaced by the new one, and the deletions made
since the merge began carried over to it by review id. A crash at any point leaves the live
version as it was; the next writer sweeps the half-written merge.

What is merged (`plan`): only neighbours (so a film's newest record stays the newest), at most
MERGE_FACTOR at once, of about the same size (the least skewed run: small segments merge
with small ones, so no large segment is rewritten for a review), and only once a version has
more segments than its size allows (MERGE_FACTOR per tier of sizes, from FLOOR passages up,
as Lucene counts them). A segment with more than DELETED_SHARE of its passages deleted is
rewritten without them; `force` (purge-user) rewrites every segment with a deletion, so
deleted text leaves the disk as soon as no reader holds a version naming the old segments.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.errors import IndexDamaged
from index.storage import arrays
from index.storage.combined import Part
from index.storage.lexical import LEXICAL_DIR, LexicalIndex
from index.storage.segments import SEGMENTS, Merged, SegmentWriter, saved_stopwords
from index.storage.versions import IndexStore, VersionInfo

if TYPE_CHECKING:
    from index.storage.vectors import VectorBackend

log = logging.getLogger("cinebot.store")
MERGE_FACTOR = 10  # segments merged at once, and allowed per tier of sizes
FLOOR = 1000  # passages: smaller segments count as this big (merging them costs little)
DELETED_SHARE = 0.1  # a segment with more of its passages deleted is rewritten without them
LARGEST_SHARE = 0.25  # a segment holding more of the index only merges to shed deletions


@dataclass(frozen=True)
class Plan:
    """Merge the version's segments `names` (neighbours, oldest first) into one."""

    names: tuple[str, ...]
    why: str


def sizes(info: VersionInfo) -> list[tuple[str, int, int]]:
    """(name, live passages, deleted passages) of each of a version's segments."""
    out = []
    for entry, meta in zip(info.manifest.get("segments") or (), info.segment_metas(), strict=False):
        passages = int(meta.get("passages") or 0)
        deleted = int(entry.get("deleted_passages") or 0)
        out.append((entry["name"], passages - deleted, deleted))
    return out


def allowed_segments(total: int) -> int:
    """How many segments an index of `total` passages may keep: MERGE_FACTOR per tier of
    sizes (FLOOR, FLOOR x MERGE_FACTOR, ...), as Lucene's tiered merge policy counts."""
    allowed, level, left = 0, FLOOR, max(total, 1)
    while left > 0:
        if left < level * MERGE_FACTOR:
            allowed += max(1, -(-left // level))
            break
        allowed += MERGE_FACTOR
        left -= level * MERGE_FACTOR
        level *= MERGE_FACTOR
    return max(allowed, MERGE_FACTOR)


def plan(info: VersionInfo, force: bool = False, most: int | None = None) -> Plan | None:
    """The next merge the version needs, if any. `force`: any segment with a deletion is
    rewritten (purge-user); `most`: allow this many segments at most (else by size)."""
    if info.legacy:
        return None
    found = sizes(info)
    for name, live, deleted in found:
        if deleted and (force or deleted > DELETED_SHARE * (live + deleted)):
            return Plan((name,), "deletions")
    if force:
        return None
    total = sum(live for _, live, _ in found)
    if len(found) <= (most if most is not None else allowed_segments(total)):
        return None
    best: tuple[float, int, int, int] | None = None
    for width in range(min(MERGE_FACTOR, len(found)), 1, -1):
        for start in range(len(found) - width + 1):
            run = found[start : start + width]
            if any(live > LARGEST_SHARE * total and total > FLOOR for _, live, _ in run):
                continue
            counted = [max(live, FLOOR) for _, live, _ in run]
            skew = max(counted) / sum(counted)
            actual = sum(live for _, live, _ in run)
            score = (skew * max(actual, 1) ** 0.05, -width, actual, start)
            if best is None or score < best:
                best = (*score[:1], width, actual, start)
        if best is not None:
            break
    if best is None:
        return None
    _, width, _, start = best
    return Plan(tuple(name for name, _, _ in found[start : start + width]), "too many segments")


@contextlib.contextmanager
def _marked(folder: Path) -> Iterator[None]:
    """The merge's folder, marked as being written by this process (a held lock file) so
    that another writer does not sweep it."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder.with_name(folder.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(folder.with_name(folder.name + ".lock"))


def merge(
    store: IndexStore,
    backend: VectorBackend,
    force: bool = False,
    wait: float = 60,
    most: int | None = None,
    everything: bool = False,
) -> str | None:
    """One merge, if the live version needs one: returns the version it published (None:
    nothing to merge, or the segments changed under it and the next call will see).
    `everything`: all segments into one (a store switch: the new store indexes it). A forced
    merge builds the store's index afresh (a Qdrant shard copied and pruned would keep the
    deleted points' vectors until Qdrant vacuums it)."""
    held = store.hold_live()
    if held is None:
        return None
    base, lease = held
    try:
        chosen: Plan | None
        if everything:
            chosen = Plan(tuple(ref.name for ref in base.segments), "everything")
        else:
            chosen = plan(base, force, most)
        if chosen is None or not chosen.names:
            return None
        return _merge(store, backend, base, chosen, rebuild=force)
    finally:
        lease.release()


def _merge(
    store: IndexStore, backend: VectorBackend, base: VersionInfo, chosen: Plan, rebuild: bool
) -> str | None:
    refs = base.segments
    names = [ref.name for ref in refs]
    start = names.index(chosen.names[0])
    parts = base.parts()[start : start + len(chosen.names)]
    folder = store.root / SEGMENTS / f".merge-{uuid.uuid4().hex}"
    with _marked(folder):
        writer = SegmentWriter(folder)
        try:
            first_keep = _fill(writer, base, parts, first=start == 0)
            dim = int(base.manifest.get("dim") or 384)
            vectors = _vectors(folder, parts, dim)
            lexical = _lexical(parts, writer, first_keep)
            writer.finish(dim, saved_stopwords(parts[0].segment.path), vectors, lexical)
            del vectors
            vectors = arrays.load(folder / "vectors.npy", mmap_mode="r")
            ids = np.concatenate(
                [np.asarray(p.segment.rows.passage_ids)[_live(p)] for p in parts]
                or [np.zeros(0, np.int64)]
            ).astype(np.int64)
            reuse = None if rebuild else Merged(parts[0].segment, _live(parts[0]))
            siblings = [part.segment.store for part in base.parts()]
            record = backend.write(folder, vectors, ids, reuse, siblings)
            writer.seal(record)
            return _publish(store, base, chosen, folder, parts, backend)
        except BaseException:
            writer.abort()
            raise


def _live(part: Part) -> np.ndarray:
    live = part.passage_live
    return np.ones(part.segment.n_passages, bool) if live is None else live


def _select(columns: set[str]) -> str:
    """The reviews columns of a segment as the current schema has them."""
    library = "library" if "library" in columns else "'base'"
    user = "user_id" if "user_id" in columns else "json_extract(data, '$.user_id')"
    return f"review_id, film_id, content_hash, rating, data, {library}, {user}"


def _fill(writer: SegmentWriter, base: VersionInfo, parts: list[Part], first: bool) -> np.ndarray:
    """The merged segment's SQLite rows: every live review and passage of `parts` (in their
    order), and the facts, as of `base`, of every film they have a record of."""
    db = writer.db
    mentioned: set[str] = set()
    for k, part in enumerate(parts):
        segment = part.segment
        alias = f"m{k}"
        db.execute(f"ATTACH DATABASE ? AS {alias}", (str(segment.path / "meta.sqlite"),))
        try:
            gone = [segment.rows.review_ids[r] for r in part.deleted.tolist()]
            db.execute("DROP TABLE IF EXISTS temp.gone")
            db.execute("CREATE TEMP TABLE gone (review_id TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO temp.gone VALUES (?)", [(r,) for r in gone])
            columns = segment.columns["reviews"]
            db.execute(
                "INSERT INTO reviews(review_id, film_id, content_hash, rating, data, library, user_id) "
                f"SELECT {_select(columns)} FROM {alias}.reviews "
                "WHERE review_id NOT IN (SELECT review_id FROM temp.gone) ORDER BY rowid"
            )
            db.execute(
                "INSERT INTO passages(passage_id, review_id, film_id, ordinal, text) "
                f"SELECT passage_id, review_id, film_id, ordinal, text FROM {alias}.passages "
                "WHERE review_id NOT IN (SELECT review_id FROM temp.gone) ORDER BY passage_id"
            )
            db.commit()
        finally:
            db.execute(f"DETACH DATABASE {alias}")
        mentioned |= set(segment.records) | set(segment.gone)
    # Films: of each film these segments recorded, the version's newest record (a newer
    # segment's record still counts over this one's, as it did over theirs).
    current = _records(base.parts(), mentioned)
    for fid in sorted(mentioned):
        found = current.get(fid)
        if found is None:
            if not first:  # an older segment may still have a record of it: keep it gone
                writer.film_gone(fid)
            continue
        title, year, data, views = found
        writer.add_record(fid, title, year, data, views)
    db.commit()
    return _live(parts[0])


def _records(
    parts: list[Part], wanted: set[str]
) -> dict[str, tuple[str, int | None, str, list[tuple[str, str]]] | None]:
    """Each wanted film's newest record in the version (None: gone)."""
    out: dict[str, Any] = {}
    for part in reversed(parts):
        segment = part.segment
        left = wanted - set(out)
        if not left:
            break
        for fid in segment.gone & left:
            out[fid] = None
        left -= set(out)
        records = {fid: rec for fid, rec in segment.records.items() if fid in left}
        if not records:
            continue
        views: dict[str, list[tuple[str, str]]] = {}
        if "film_views" in segment.columns:
            for library, fid, data in segment.query(
                "SELECT library, film_id, data FROM film_views"
            ):
                if fid in records:
                    views.setdefault(fid, []).append((library, data))
        for fid, (title, year, data) in records.items():
            out[fid] = (title, year, data, sorted(views.get(fid, [])))
    return out


def _vectors(folder: Path, parts: list[Part], dim: int) -> np.ndarray:
    """vectors.npy: each part's live rows in order, a slice at a time."""
    total = sum(part.n_passages for part in parts)
    path = folder / "vectors.npy"
    if total == 0:
        return np.zeros((0, dim), np.float32)
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(total, dim))
    at, step = 0, 65_536
    for part in parts:
        source, live = part.segment.vectors, _live(part)
        for begin in range(0, len(source), step):
            chunk = np.asarray(source[begin : begin + step])[live[begin : begin + step]]
            out[at : at + len(chunk)] = chunk
            at += len(chunk)
    out.flush()
    return out


def _lexical(
    parts: list[Part], writer: SegmentWriter, first_keep: np.ndarray
) -> LexicalIndex | None:
    """The merged BM25: the first part's saved postings with its deleted rows dropped and the
    others' texts added (only those are tokenized), or built from every text."""
    texts: list[str] = []
    for part in parts[1:]:
        rows = dict(part.segment.query("SELECT passage_id, text FROM passages"))
        ids = np.asarray(part.segment.rows.passage_ids)[_live(part)]
        texts += [rows[int(pid)] for pid in ids]
    first = parts[0].segment
    if LexicalIndex.saved(first.path / LEXICAL_DIR):
        with contextlib.suppress(Exception):
            return LexicalIndex.load(first.path / LEXICAL_DIR).extended(first_keep, texts)
    return None  # built by the writer from its texts


def _publish(
    store: IndexStore,
    base: VersionInfo,
    chosen: Plan,
    folder: Path,
    parts: list[Part],
    backend: VectorBackend,
) -> str | None:
    """Under the lock: the live version with the merged run replaced by the new segment, the
    deletions made meanwhile carried over."""
    from index.storage.segments import open_segment

    with store.lock(wait=60):
        live = store.current()
        if live is None or live.legacy:
            return None
        refs = live.segments
        names = [ref.name for ref in refs]
        if chosen.names[0] not in names:
            return None
        start = names.index(chosen.names[0])
        if tuple(names[start : start + len(chosen.names)]) != chosen.names:
            return None  # another merge changed them: this one is dropped
        # Deletions made since `base`: the merged segment's rows of those reviews.
        now = {p.segment.name: p for p in live.parts()[start : start + len(chosen.names)]}
        later: list[str] = []
        for part in parts:
            newer = now[part.segment.name].deleted
            added = np.setdiff1d(newer, part.deleted)
            later += [part.segment.rows.review_ids[int(r)] for r in added]
        name = store.publish_segment(folder)
        merged = open_segment(store.root / SEGMENTS / name)
        rows = sorted(merged.review_rows(later).values())
        entries: list[dict[str, Any]] = []
        deletes: dict[str, np.ndarray | Path] = {}
        for k, ref in enumerate(refs):
            if start < k < start + len(chosen.names):
                continue
            entry: dict[str, Any] = next(
                e for e in live.manifest["segments"] if e["name"] == ref.name
            )
            if k == start:
                entry = {"name": name}
                if rows:
                    deletes[name] = np.asarray(rows, np.int64)
                    part = Part(merged, np.asarray(rows, np.int64))
                    entry["deleted"] = len(rows)
                    entry["deleted_passages"] = merged.n_passages - part.n_passages
            elif ref.deletes:
                deletes[ref.name] = live.path / ref.deletes
            entries.append(entry)
        manifest = {**live.manifest, "segments": entries, "store": backend.name}
        manifest.pop("version", None)
        published = store.publish(manifest, deletes)
        # The rows deleted before the merge began are in no segment of the live version now.
        dropped = [np.asarray(p.segment.rows.passage_ids)[~_live(p)] for p in parts]
        records = [p.segment.store for p in live.parts()] + [merged.store]
        backend.forget(records, np.concatenate(dropped) if dropped else np.zeros(0, np.int64))
    log.info("merged %s into %s (%s)", ", ".join(chosen.names), name, chosen.why)
    return published


class Merger:
    """One process's merges of one index: run now (after an ingest), or started in a
    background thread after a member's commit, one at a time. `background` off (a benchmark
    measuring a pile of segments): segments pile up until `run` is called."""

    def __init__(self, root: Path, backend: VectorBackend, wait: float) -> None:
        self.store = IndexStore(root, backend)
        self.backend = backend
        self.wait_seconds = wait
        self.background = True
        self.most: int | None = None  # segments allowed (None: by size, as `plan` counts)
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()
        self.published: Callable[[], None] = lambda: None  # told after a background merge

    def run(self, force: bool = False, most: int | None = None) -> int:
        """Merge until the live version needs no more (`plan`); `force`: rewrite every
        segment with a deletion. Returns how many merges ran."""
        done, most = 0, self.most if most is None else most
        while merge(self.store, self.backend, force, self.wait_seconds, most) is not None:
            done += 1
        return done

    def soon(self) -> None:
        """Merge in a background thread if the live version needs it: the commit that asked
        returns at once, searches keep answering, and the merge takes the writer's lock only
        to publish."""
        if not self.background:
            return
        with self._starting:
            if self._thread is not None and self._thread.is_alive():
                return
            try:
                live = self.store.current()
            except IndexDamaged:
                return
            if live is None or plan(live, most=self.most) is None:
                return
            self._thread = threading.Thread(target=self._quietly, name="cinebot-merge", daemon=True)
            self._thread.start()

    def _quietly(self) -> None:
        try:
            self.run()
        except Exception:  # the live version is whole; the next commit tries again
            log.warning("a background merge failed", exc_info=True)
        finally:
            self.published()

    def wait(self, timeout: float | None = None) -> None:
        """Until the background merge (if one runs) is done."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def expunge(self, let_go: Callable[[], None]) -> None:
        """Deleted reviews off the disk now: every segment with a deletion rewritten, then
        (once `let_go` has moved this process's readers on to the new version) every version
        no reader holds collected, the previous one too, and with them the old segments."""
        self.wait()
        self.run(force=True)
        let_go()
        with self.store.lock(self.wait_seconds):
            self.store.collect(keep={self.store.current_name()})
