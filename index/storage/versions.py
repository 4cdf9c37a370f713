"""The on-disk index: immutable versions made of shared, immutable segments, swapped in
atomically.

    <index_dir>/CURRENT          name of the live version (replaced with os.replace)
    <index_dir>/LOCK             held by the one process writing a version (briefly, by a merge)
    <index_dir>/v000107/         manifest.json: the model, the catalogue, and the segments in
                                 order, each with its deletion mask; deletes/s000042.npy: that
                                 segment's review rows this version no longer has (a mask an
                                 older version already had is hard-linked, not copied)
    <index_dir>/segments/s000042/   a segment (`segments.py`): reviews, passages and their
                                 vectors, the facts of the films its commit touched; never
                                 written again once named
    <index_dir>/segments/.merge-*/  a merge being written, off the lock (`merges.py`)
    <index_dir>/catalogues/c000003.sqlite   the film catalogue a version was built with (its
                                 manifest names it; versions share it until a new one is imported)

A commit writes what changed and nothing else: a member's review is a segment of one review
plus a manifest naming every segment the previous version did; an edit or a delete adds the
old review's row to its segment's deletion mask; a catalogue import that changes a few films'
facts is a segment of those films' records. The version is built in a temporary folder and
only then does CURRENT point at it, so readers never see a half-written index and a crash
(even SIGKILL) leaves the previous version live: an orphaned segment (renamed into place,
its version never published) is collected by the next writer.

Readers hold the version they read (a lease: a shared lock on its manifest). A version no
reader holds is deleted two commits later; a segment once no version on disk names it (its
text and vectors are then gone from the disk: `purge-user` merges the segments its deletions
touch, so that happens as soon as the versions naming the old ones are let go). When small
segments pile up, a merge writes one segment in their place, off the request path
(`merges.py`). A version written before segments (its folder holding meta.sqlite and
vectors.npy itself) is read as one segment and adopted as one (hard links, no copy) by the
next commit.

meta.sqlite and vectors.npy of each segment are the truth; everything else (row arrays,
BM25, the FAISS index, a Qdrant shard) is derived from them. A reader that finds any of it
damaged says so (IndexDamaged, with the remedy); a writer builds what it cannot reuse from
the truth, and over a damaged truth starts a fresh version with whatever still reads
carried over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.errors import REBUILD, IndexBusy, IndexDamaged
from index.knowledge.catalogue import Catalogue
from index.knowledge.films import film_views, normalize_title
from index.storage import arrays
from index.storage.combined import Part
from index.storage.film_table import film_record
from index.storage.segments import (
    SEGMENT_FILE,
    SEGMENTS,
    Segment,
    SegmentWriter,
    fsync_dir,
    fsync_file,
    fsync_tree,
    next_segment_name,
    open_legacy,
    open_readonly,
    open_segment,
    saved_stopwords,
    segment_names,
    why,
)
from index.storage.views import view_record
from index.types import Review

if TYPE_CHECKING:
    from index.storage.vectors import VectorBackend

__all__ = [
    "BUSY_TIMEOUT_MS",
    "IndexStore",
    "Lease",
    "VersionInfo",
    "VersionWriter",
    "open_readonly",
]

log = logging.getLogger("cinebot.store")
BUSY_TIMEOUT_MS = 5000
BRIEF = 2.0  # seconds any writer waits for the lock: a merge publishing holds it that briefly
FORMAT = 2  # 1 (no "segments"): the version folder is its one segment
_VERSION = re.compile(r"v\d{6}")
CATALOGUES = "catalogues"
DELETES = "deletes"
# What a version written before segments recorded of its vector store, read as its segment's.
LEGACY_STORE_KEYS = (
    "faiss_factory",
    "faiss_index",
    "faiss_trained_on",
    "qdrant_shard",
    "qdrant_files",
)
_why = why


@dataclass(frozen=True)
class SegmentRef:
    """A segment as a version names it: its name and its deletion mask (a file of the
    version's; None: nothing deleted)."""

    name: str
    deletes: str | None = None


@dataclass
class VersionInfo:
    name: str
    path: Path
    manifest: dict[str, Any]

    @property
    def precision(self) -> str:
        """What its passages' vectors were made at: "int8" or "float32" (a version written
        before precision was recorded was float32)."""
        return str(self.manifest.get("precision", "float32"))

    @property
    def legacy(self) -> bool:
        """Written before segments: the version folder is its one segment."""
        return "segments" not in self.manifest

    @property
    def segments(self) -> list[SegmentRef]:
        if self.legacy:
            return [SegmentRef(self.name)]
        found = []
        for entry in self.manifest["segments"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise IndexDamaged(
                    f"index {self.name} is damaged (manifest.json: segments); {REBUILD}"
                )
            found.append(SegmentRef(entry["name"], entry.get("deletes")))
        return found

    @property
    def root(self) -> Path:
        return self.path.parent

    def segment_path(self, ref: SegmentRef) -> Path:
        return self.path if self.legacy else self.root / SEGMENTS / ref.name

    def open_segment(self, ref: SegmentRef) -> Segment:
        if self.legacy:
            return open_legacy(self.path, self.manifest, LEGACY_STORE_KEYS)
        return open_segment(self.segment_path(ref))

    def deletes(self, ref: SegmentRef) -> np.ndarray:
        if not ref.deletes:
            return np.zeros(0, np.int64)
        rows = arrays.load(self.path / ref.deletes).astype(np.int64)
        if rows.ndim != 1 or (len(rows) and (rows.min() < 0 or np.any(np.diff(rows) <= 0))):
            raise ValueError(f"{ref.deletes} is not a sorted list of rows")
        return rows

    def parts(self) -> list[Part]:
        """Its segments opened (shared with other versions in this process), each with the
        rows this version deleted. Raises what reading them raises."""
        out = []
        for ref in self.segments:
            segment = self.open_segment(ref)
            deleted = self.deletes(ref)
            if len(deleted) and deleted[-1] >= len(segment.rows.review_ids):
                raise ValueError(f"the deletion mask of {ref.name} names rows it lacks")
            out.append(Part(segment, deleted))
        return out

    def segment_metas(self) -> list[dict[str, Any]]:
        """Each segment's segment.json (a legacy version's, made up from its manifest); a
        segment whose file does not read counts as empty (opening it says what is wrong)."""
        if self.legacy:
            store = {k: self.manifest[k] for k in LEGACY_STORE_KEYS if k in self.manifest}
            return [{"passages": self.manifest.get("passages", 0), "store": store, "legacy": True}]
        out = []
        for ref in self.segments:
            try:
                meta = json.loads((self.segment_path(ref) / SEGMENT_FILE).read_text())
                out.append(meta if isinstance(meta, dict) else {})
            except (OSError, ValueError):
                out.append({})
        return out

    def store_records(self) -> list[dict[str, Any]]:
        """What the vector store keeps for each segment."""
        return [meta.get("store") or {} for meta in self.segment_metas()]

    @property
    def next_passage_id(self) -> int:
        return int(self.manifest.get("next_passage_id") or 1)


def stored_reviews(info: VersionInfo) -> list[Review]:
    """Every review of a version, as it was ingested (for rebuilding with new settings)."""
    return [review for review, _ in live_reviews(info.parts())]


def live_reviews(parts: list[Part]) -> Iterator[tuple[Review, str]]:
    """Every review the parts still have, with its film, oldest segment first."""
    for part in parts:
        gone = set(part.deleted.tolist())
        rows = part.segment.query("SELECT data, film_id FROM reviews ORDER BY review_id")
        for row, (data, fid) in enumerate(rows):
            if row not in gone:
                yield Review.model_validate_json(data), fid


def readable_reviews(info: VersionInfo) -> tuple[list[Review], str | None]:
    """What a damaged version still gives back: every review, or none and why not."""
    try:
        return stored_reviews(info), None
    except (OSError, ValueError, sqlite3.DatabaseError, IndexDamaged) as exc:
        return [], f"meta.sqlite: {_why(exc)}"  # ValidationError is a ValueError


class Lease:
    """A reader's hold on a version: a shared lock on its manifest, which a writer must take
    exclusively to delete the version. Works across processes; the OS drops it if the reader
    dies."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    @classmethod
    def take(cls, version: Path) -> Lease:
        """Raises FileNotFoundError when the version is (being) collected."""
        manifest = version / "manifest.json"
        fd = os.open(manifest, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            # Collected between opening and locking: the name now points elsewhere or nowhere.
            if os.fstat(fd).st_ino != os.stat(manifest).st_ino:
                raise FileNotFoundError(manifest)
        except BaseException:
            os.close(fd)
            raise
        return cls(fd)

    def release(self) -> None:
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)


class IndexStore:
    def __init__(self, root: Path, vectors: VectorBackend | None = None) -> None:
        """A writer passes its vector store: it is told of each segment no version names any
        more (it drops what it keeps outside the folder, such as a Qdrant shard), and sweeps
        what a crashed writer left there."""
        self.vectors = vectors
        self.root = Path(root)

    # ------------------------------------------------------------------ reading
    def current(self) -> VersionInfo | None:
        name = self.current_name()
        return None if name is None else self._info(name)

    def _info(self, name: str) -> VersionInfo:
        path = self.root / name
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            raise IndexDamaged(
                f"index {name} in {self.root} is damaged (manifest.json: {_why(exc)}); {REBUILD}"
            ) from None
        return VersionInfo(name, path, manifest)

    def hold_live(self) -> tuple[VersionInfo, Lease] | None:
        """The live version, held for reading: no writer deletes it while the lease is open.
        A version collected between reading CURRENT and holding it is passed over for the
        newer one CURRENT names by then."""
        for _ in range(20):
            name = self.current_name()
            if name is None:
                return None
            try:
                lease = Lease.take(self.root / name)
            except FileNotFoundError:
                if self.current_name() == name:  # not collected: its manifest is missing
                    break
                continue
            try:
                return self._info(name), lease
            except BaseException:
                lease.release()
                raise
        info = self.current()  # names the damage
        raise IndexDamaged(f"index {info.name if info else '?'} cannot be held; {REBUILD}")

    def current_name(self) -> str | None:
        """The live version's name. Only a version folder inside the index is ever accepted:
        whatever else CURRENT says is damage, never a path to follow."""
        try:
            raw = (self.root / "CURRENT").read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise IndexDamaged(
                f"{self.root}/CURRENT cannot be read ({_why(exc)}); {REBUILD}"
            ) from None
        name = raw.decode("utf-8", "replace").strip()
        if not _VERSION.fullmatch(name) or not (self.root / name).is_dir():
            shown = name[:40].encode("unicode_escape").decode()
            raise IndexDamaged(
                f"{self.root}/CURRENT names {shown!r}, which is not a version of this index; {REBUILD}"
            )
        return name

    def last_readable(self) -> VersionInfo | None:
        """After damage, the version to read back what can be: the one CURRENT names when its
        manifest reads, else (CURRENT itself damaged) the newest version folder whose does."""
        try:
            names = [name] if (name := self.current_name()) else []
        except IndexDamaged:
            names = sorted(self._version_names(), reverse=True)
        for name in names:
            with contextlib.suppress(IndexDamaged):
                return self._info(name)
        return None

    def _version_names(self) -> list[str]:
        return [
            p.name for p in self.root.glob("v[0-9]*") if _VERSION.fullmatch(p.name) and p.is_dir()
        ]

    def live_or_damaged(self) -> tuple[VersionInfo | None, str | None]:
        """The live version to build on, or None and what is wrong with it when it is
        damaged: a writer then starts afresh instead of failing on it forever."""
        try:
            info = self.current()
            if info is not None:
                self.check(info)
            return info, None
        except IndexDamaged as exc:
            return None, str(exc).split("; ")[0]

    def check(self, info: VersionInfo) -> None:
        """Raise IndexDamaged unless each segment's metadata and vectors can be read (a
        segment this process has open already is not read again)."""
        try:
            for part in info.parts():
                segment = part.segment
                reviews = len(segment.rows.review_ids)
                if segment.meta.get("legacy"):
                    with segment.lock:
                        counted = segment.db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
                    if counted != segment.n_passages:
                        raise ValueError(f"{segment.n_passages} vectors for {counted} passages")
                elif segment.meta.get("reviews") != reviews:
                    raise ValueError(
                        f"{reviews} review rows, {segment.meta.get('reviews')} written"
                    )
        except IndexDamaged:
            raise
        except (OSError, ValueError, KeyError, TypeError, sqlite3.DatabaseError) as exc:
            raise IndexDamaged(f"index {info.name} is damaged ({_why(exc)}); {REBUILD}") from None

    def catalogue_path(self, info: VersionInfo | None) -> Path | None:
        """The catalogue file a version was built with, if any."""
        name = info.manifest.get("catalogue") if info is not None else None
        return self.root / name if name else None

    def newest_catalogue(self) -> Path | None:
        """After damage that hides which catalogue the live version used (its manifest or
        CURRENT): the newest published one, which a version imported last named."""
        found = sorted((self.root / CATALOGUES).glob("c[0-9]*.sqlite"))
        return found[-1] if found else None

    # ------------------------------------------------------------------ writing
    @contextlib.contextmanager
    def lock(self, wait: float = 0) -> Iterator[None]:
        """One writer at a time, across processes; waiting up to `wait` seconds for another
        to finish (a member's review behind a re-index), else IndexBusy. Never less than
        BRIEF: a background merge (in any process) holds the lock only to publish, and a
        writer that came just then waits for it rather than be told the index is busy.
        Released by the OS if the writer dies."""
        self.root.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + max(wait, BRIEF)
        with open(self.root / "LOCK", "a+") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(
                            f"another ingest is writing {self.root}; try again when it finishes"
                        ) from None
                    time.sleep(0.01)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def begin(self, base: VersionInfo | None, catalogue: Path | None = None) -> VersionWriter:
        """Start the next version from `base` (None: an empty index), built with the
        `catalogue` file (None: none). Needs the lock."""
        self._remove_leftovers()
        return VersionWriter(self, base, catalogue)

    def new_catalogue(self) -> Path:
        """Where to write a new catalogue file; it is published with the next version."""
        folder = self.root / CATALOGUES
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.glob(".tmp-*"):  # one writer at a time: these are a crash's
            leftover.unlink(missing_ok=True)
        return folder / f".tmp-{uuid.uuid4().hex}.sqlite"

    def _remove_leftovers(self) -> None:
        """What a writer that died left: temporary folders, merges no live process is writing,
        segments no version names, and (the vector store's) whatever no segment names."""
        for path in self.root.glob(".tmp-*"):
            shutil.rmtree(path, ignore_errors=True)
        folder = self.root / SEGMENTS
        for path in folder.glob(".tmp-*"):
            shutil.rmtree(path, ignore_errors=True)
        for path in folder.glob(".merge-*"):
            if path.suffix == ".lock" or _merging(path):
                continue
            shutil.rmtree(path, ignore_errors=True)
            path.with_name(path.name + ".lock").unlink(missing_ok=True)
        self.collect_segments()
        if self.vectors is not None and (gone := self.vectors.sweep(self.store_records())):
            log.info(
                "removed %d %s leftovers of a crashed ingest: %s",
                len(gone),
                self.vectors.name,
                ", ".join(gone),
            )

    def _publish_catalogue(self, tmp: Path) -> str:
        """A new catalogue file under its final name (not yet named by any version)."""
        numbers = [int(p.stem[1:]) for p in (self.root / CATALOGUES).glob("c[0-9]*.sqlite")]
        name = f"{CATALOGUES}/c{max(numbers, default=0) + 1:06d}.sqlite"
        fsync_file(tmp)
        os.rename(tmp, self.root / name)
        fsync_dir(self.root / CATALOGUES)
        return name

    def publish_segment(self, tmp: Path) -> str:
        """A finished segment (fsynced) under its final name, not yet named by any version.
        Needs the lock."""
        name = next_segment_name(self.root)
        os.rename(tmp, self.root / SEGMENTS / name)
        fsync_dir(self.root / SEGMENTS)
        return name

    def publish(self, manifest: dict[str, Any], deletes: dict[str, np.ndarray | Path]) -> str:
        """A new version: `manifest` (its segments in order) and each segment's deletion mask
        (rows to write, or an older version's file to hard-link). Needs the lock."""
        tmp = self.root / f".tmp-{uuid.uuid4().hex}"
        (tmp / DELETES).mkdir(parents=True)
        entries = []
        for entry in manifest["segments"]:
            mask = deletes.get(entry["name"])
            entry = {k: v for k, v in entry.items() if k != "deletes"}
            if mask is None:
                entries.append(entry)
                continue
            relative = f"{DELETES}/{entry['name']}.npy"
            if isinstance(mask, Path):
                try:
                    os.link(mask, tmp / relative)
                except OSError:
                    shutil.copyfile(mask, tmp / relative)
            else:
                np.save(tmp / relative, np.asarray(mask, dtype=np.int32))
            entries.append({**entry, "deletes": relative})
        manifest = {**manifest, "segments": entries}
        try:
            return self._publish(tmp, manifest)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def _publish(self, tmp: Path, manifest: dict[str, Any]) -> str:
        try:
            previous = self.current_name()
        except IndexDamaged:  # the new version replaces whatever CURRENT says
            previous = None
        # After every folder on disk: a damaged CURRENT must never make a name be reused.
        names = [*self._version_names(), *([previous] if previous else [])]
        number = max((int(n[1:]) for n in names), default=0) + 1
        name = f"v{number:06d}"
        manifest["version"] = name
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
        fsync_tree(tmp)
        final = self.root / name
        if final.exists():  # a crashed publish left it; it was never CURRENT
            shutil.rmtree(final)
        os.rename(tmp, final)
        pointer = self.root / "CURRENT.tmp"
        pointer.write_text(name + "\n")
        fsync_file(pointer)
        os.replace(pointer, self.root / "CURRENT")
        fsync_dir(self.root)
        # Keep the previous version (a reader may be about to hold it); collect older ones.
        self.collect(keep={name, previous})
        self._drop_unused_catalogues()
        return name

    def collect(self, keep: set[str | None]) -> list[str]:
        """Delete the versions not in `keep` that no reader holds (one still held is left for
        a later commit to collect), then the segments no version names any more. Returns the
        versions deleted."""
        gone = []
        for path in sorted(self.root.glob("v[0-9]*")):
            if path.name in keep or not path.is_dir():
                continue
            try:
                fd = os.open(path / "manifest.json", os.O_RDONLY)
            except FileNotFoundError:  # half deleted by a writer that died: nobody can hold it
                shutil.rmtree(path, ignore_errors=True)
                gone.append(path.name)
                continue
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a search is still reading it
                shutil.rmtree(path, ignore_errors=True)
                gone.append(path.name)
            finally:
                os.close(fd)
        self.collect_segments()
        return gone

    def named_segments(self) -> set[str]:
        """Every segment a version on disk names (published, or kept for a reader)."""
        named: set[str] = set()
        for manifest in self._manifests():
            for entry in manifest.get("segments") or ():
                if isinstance(entry, dict):
                    named.add(str(entry.get("name")))
        return named

    def collect_segments(self) -> list[str]:
        """Delete the segments no version on disk names: their texts and vectors leave the
        disk here. The vector store drops what it keeps of them elsewhere."""
        named = self.named_segments()
        dropped = [name for name in segment_names(self.root) if name not in named]
        if not dropped:
            return []
        records = []
        for name in dropped:
            with contextlib.suppress(OSError, ValueError):
                meta = json.loads((self.root / SEGMENTS / name / SEGMENT_FILE).read_text())
                records.append((self.root / SEGMENTS / name, meta.get("store") or {}))
        if self.vectors is not None and records:
            try:
                self.vectors.retire(records, self.store_records(exclude=set(dropped)))
            except Exception:  # the live version does not need them; a leftover is harmless
                log.warning("could not drop the vectors of %s", ", ".join(dropped), exc_info=True)
        for name in dropped:
            shutil.rmtree(self.root / SEGMENTS / name, ignore_errors=True)
        return dropped

    def store_records(self, exclude: set[str] = frozenset()) -> list[dict[str, Any]]:  # type: ignore[assignment]
        """What the vector store keeps for every segment on disk, and for every version
        written before segments."""
        found = []
        for name in segment_names(self.root):
            if name in exclude:
                continue
            with contextlib.suppress(OSError, ValueError):
                meta = json.loads((self.root / SEGMENTS / name / SEGMENT_FILE).read_text())
                found.append(
                    {**(meta.get("store") or {}), "segment": str(self.root / SEGMENTS / name)}
                )
        for manifest in self._manifests():
            if "segments" not in manifest:
                found.append({k: manifest[k] for k in LEGACY_STORE_KEYS if k in manifest})
        for path in (self.root / SEGMENTS).glob(".merge-*"):  # what a merge writes, kept
            if path.suffix != ".lock" and _merging(path):
                found.append({"pending": str(path)})
        return found

    def _manifests(self) -> list[dict[str, Any]]:
        """The manifest of every version on disk (published, or kept for a reader)."""
        found = []
        for path in self.root.glob("v[0-9]*/manifest.json"):
            with contextlib.suppress(OSError, ValueError):
                found.append(json.loads(path.read_text()))
        return found

    def _drop_unused_catalogues(self) -> None:
        used = {manifest.get("catalogue") for manifest in self._manifests()}
        for path in (self.root / CATALOGUES).glob("c[0-9]*.sqlite"):
            if f"{CATALOGUES}/{path.name}" not in used:
                path.unlink(missing_ok=True)


def _merging(path: Path) -> bool:
    """Whether a live process is writing this merge (it holds the lock file beside the
    folder, `.merge-<id>.lock`)."""
    try:
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def adopt_legacy(store: IndexStore, info: VersionInfo) -> str:
    """A version written before segments, as a segment: its files hard-linked (nothing
    copied) into a new segment folder with a segment.json. Needs the lock."""
    tmp = store.root / SEGMENTS / f".tmp-{uuid.uuid4().hex}"
    tmp.mkdir(parents=True)
    for path in sorted(info.path.rglob("*")):
        relative = path.relative_to(info.path)
        if relative.parts[0] in ("manifest.json", DELETES) or relative.name.startswith(
            "meta.sqlite-"
        ):
            continue
        if path.is_dir():
            (tmp / relative).mkdir(parents=True, exist_ok=True)
            continue
        (tmp / relative).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, tmp / relative)
        except OSError:
            shutil.copy2(path, tmp / relative)
    segment = info.open_segment(SegmentRef(info.name))
    ids = np.asarray(segment.rows.passage_ids)
    meta = {
        "format": 1,
        "reviews": len(segment.rows.review_ids),
        "passages": segment.n_passages,
        "first_id": int(ids[0]) if len(ids) else None,
        "last_id": int(ids[-1]) if len(ids) else None,
        "derived": (info.path / "rows" / "rows.json").is_file(),
        "store": segment.store,
        "adopted_from": info.name,
    }
    (tmp / SEGMENT_FILE).write_text(json.dumps(meta, indent=1))
    fsync_tree(tmp)
    return store.publish_segment(tmp)


def _spelt(where: str, segment: Segment) -> str:
    """A condition on the reviews table, for a segment written before some of its columns."""
    columns = segment.columns.get("reviews", set())
    if "user_id" not in columns:
        where = re.sub(r"\buser_id\b", "json_extract(data, '$.user_id')", where)
    if "library" not in columns:
        where = re.sub(r"\blibrary\b", "'base'", where)
    return where


class FilmsByTitle:
    """Films by normalised title, as `FilmResolver` reads them (title key -> [(id, year)]),
    looked up in the segments when first asked for a key: a small commit never reads every
    film. Films the commit adds are appended by the resolver."""

    def __init__(self, writer: VersionWriter) -> None:
        self.writer = writer
        self._found: dict[str, list[tuple[str, int | None]]] = {}
        self._all: dict[str, list[tuple[str, int | None]]] | None = None

    def setdefault(
        self, key: str, default: list[tuple[str, int | None]]
    ) -> list[tuple[str, int | None]]:
        if key not in self._found:
            self._found[key] = self.writer.films_titled(key)
        return self._found[key]

    def get(self, key: str, default: Any = None) -> Any:
        found = self.setdefault(key, [])
        return found or default


class VersionWriter:
    """The next version: the live one's segments (with this commit's deletions added to their
    masks) and one new segment of what this commit adds; `commit` publishes it."""

    def __init__(
        self, store: IndexStore, base: VersionInfo | None, catalogue: Path | None = None
    ) -> None:
        self.store = store
        self.base = base
        self.catalogue_file = catalogue
        self.catalogue = Catalogue(catalogue)
        self.parts: list[Part] = base.parts() if base is not None else []
        self.refs: list[SegmentRef] = base.segments if base is not None else []
        self.deleted: dict[int, set[int]] = {}  # part -> review rows this commit deletes
        self.segment = SegmentWriter(store.root / SEGMENTS / f".tmp-{uuid.uuid4().hex}")
        self.next_id = self._next_id()
        self.touched_films: set[str] = set()
        self.added: dict[str, tuple[Review, str, str]] = {}  # review id -> (review, film, hash)
        self.added_films: dict[str, set[str]] = {}  # film id -> libraries this commit adds to
        self._where: dict[str, tuple[int, int, str]] = {}  # review id -> (part, row, film)

    def _next_id(self) -> int:
        if self.base is not None and not self.base.legacy:
            return self.base.next_passage_id
        last = [int(p.segment.rows.passage_ids[-1]) for p in self.parts if p.segment.n_passages]
        return max(last, default=0) + 1

    def use_catalogue(self, path: Path) -> None:
        """Build this version with a newly written catalogue file (from `store.new_catalogue`)."""
        self.catalogue.close()
        self.catalogue_file, self.catalogue = path, Catalogue(path)

    # ------------------------------------------------------------------ what is stored
    def _deleted(self, k: int, row: int) -> bool:
        return row in self.deleted.get(k, ()) or bool(
            len(self.parts[k].deleted) and np.isin(row, self.parts[k].deleted)
        )

    def _gone_rows(self, k: int) -> set[int]:
        return set(self.parts[k].deleted.tolist()) | self.deleted.get(k, set())

    def reviews(self, where: str = "", args: tuple[Any, ...] = ()) -> Iterator[tuple[Review, str]]:
        """Every stored review (that `where`, a SQL condition on the reviews table, picks)
        and the film it is filed under. Read as it goes."""
        for k, part in enumerate(self.parts):
            gone = self._gone_rows(k)
            segment = part.segment
            if where:
                found = segment.query(
                    f"SELECT review_id, data, film_id FROM reviews WHERE {_spelt(where, segment)}",
                    args,
                )
                rows = segment.review_rows([rid for rid, _, _ in found])
                for review_id, data, fid in found:
                    row = rows[review_id]
                    if row not in gone:
                        self._where[review_id] = (k, row, fid)
                        yield Review.model_validate_json(data), fid
                continue
            with segment.lock:
                cursor = segment.db.execute(
                    "SELECT review_id, data, film_id FROM reviews ORDER BY review_id"
                )
                found = cursor.fetchall()
            for row, (review_id, data, fid) in enumerate(found):
                if row not in gone:
                    self._where[review_id] = (k, row, fid)
                    yield Review.model_validate_json(data), fid

    def locate(self, review_id: str) -> tuple[int, int, str] | None:
        """Where a stored review is: (part, row, film)."""
        for k in range(len(self.parts) - 1, -1, -1):
            segment = self.parts[k].segment
            row = segment.review_row(review_id)
            if row is None or self._deleted(k, row):
                continue
            (fid,) = segment.query("SELECT film_id FROM reviews WHERE review_id=?", (review_id,))[0]
            return k, row, fid
        return None

    def hashes(
        self, reviews: Iterable[Review], digests: Iterable[str]
    ) -> tuple[dict[str, str], dict[str, str]]:
        """For these reviews' ids and these content hashes: (review_id -> content_hash,
        content_hash -> review_id) of what is stored."""
        ids, wanted = sorted({r.review_id for r in reviews}), sorted(set(digests))
        by_id: dict[str, str] = {}
        by_hash: dict[str, str] = {}
        for k, part in enumerate(self.parts):
            segment = part.segment
            found = []
            for column, values in (("review_id", ids), ("content_hash", wanted)):
                for start in range(0, len(values), 500):
                    chunk = values[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    found += segment.query(
                        f"SELECT review_id, content_hash FROM reviews WHERE {column} IN ({marks})",
                        tuple(chunk),
                    )
            rows = segment.review_rows({rid for rid, _ in found})
            for review_id, digest in found:
                if not self._deleted(k, rows[review_id]):
                    by_id[review_id] = digest
                    by_hash[digest] = review_id
        return by_id, by_hash

    def films_by_title(self) -> FilmsByTitle:
        return FilmsByTitle(self)

    def films_titled(self, key: str) -> list[tuple[str, int | None]]:
        """The films (id, year) whose title normalises to `key`, as the version has them."""
        candidates: dict[str, None] = {}
        for part in self.parts:
            candidates.update(dict.fromkeys(part.segment.films_titled(key)))
        out = []
        for fid in candidates:
            record = self.current_record(fid)
            if record is not None and normalize_title(record[0]) == key:
                out.append((fid, record[1]))
        return out

    def current_record(self, fid: str) -> tuple[str, int | None, str, list[tuple[str, str]]] | None:
        """A film's facts as the version has them (title, year, record, views), or None."""
        for part in reversed(self.parts):
            segment = part.segment
            if fid in segment.gone:
                return None
            found = segment.query("SELECT title, year, data FROM films WHERE film_id=?", (fid,))
            if found:
                title, year, data = found[0]
                views = (
                    segment.query(
                        "SELECT library, data FROM film_views WHERE film_id=? ORDER BY library",
                        (fid,),
                    )
                    if "film_views" in segment.columns
                    else []
                )
                return title, year, data, views
        return None

    def film_ids(self) -> list[str]:
        """Every film the version has facts of (gone ones left out)."""
        known: dict[str, bool] = {}
        for part in reversed(self.parts):
            segment = part.segment
            for fid in segment.gone:
                known.setdefault(fid, False)
            for (fid,) in segment.query("SELECT film_id FROM films"):
                known.setdefault(fid, True)
        return [fid for fid, alive in known.items() if alive]

    def stored_passages(self) -> Iterator[tuple[Review, str, str, list[tuple[int, str]]]]:
        """Every stored review with its film, content hash and passages (id, text) in order."""
        for k, part in enumerate(self.parts):
            gone = self._gone_rows(k)
            segment = part.segment
            reviews = segment.query(
                "SELECT review_id, data, film_id, content_hash FROM reviews ORDER BY review_id"
            )
            passages: dict[str, list[tuple[int, str]]] = {}
            for review_id, pid, text in segment.query(
                "SELECT review_id, passage_id, text FROM passages ORDER BY review_id, ordinal"
            ):
                passages.setdefault(review_id, []).append((pid, text))
            for row, (review_id, data, fid, digest) in enumerate(reviews):
                if row not in gone:
                    self._where[review_id] = (k, row, fid)
                    yield Review.model_validate_json(data), fid, digest, passages.get(review_id, [])

    def base_vector(self, passage_id: int) -> np.ndarray:
        """A passage's vector in the version this one is written from."""
        for part in self.parts:
            ids = part.segment.rows.passage_ids
            at = int(np.searchsorted(ids, passage_id))
            if at < len(ids) and int(ids[at]) == passage_id:
                return np.asarray(part.segment.vectors[at])
        raise KeyError(passage_id)

    def reviewed_in(self, film_id: str, libraries: tuple[str, ...]) -> bool:
        """Whether any of these libraries has a review filed under the film in the version
        being written: one this commit adds, or a stored one it keeps."""
        if self.added_films.get(film_id, set()).intersection(libraries):
            return True
        marks = ",".join("?" * len(libraries))
        for k, part in enumerate(self.parts):
            segment = part.segment
            where = _spelt(f"film_id=? AND library IN ({marks})", segment)
            found = segment.query(
                f"SELECT review_id FROM reviews WHERE {where}", (film_id, *libraries)
            )
            if not found:
                continue
            gone = self._gone_rows(k)
            rows = segment.review_rows(rid for (rid,) in found)
            if any(row not in gone for row in rows.values()):
                return True
        return False

    # ------------------------------------------------------------------ changes
    def delete_review(self, review_id: str) -> None:
        found = self._where.pop(review_id, None) or self.locate(review_id)
        if found is None:
            return
        k, row, fid = found
        if self._deleted(k, row):
            return
        self.deleted.setdefault(k, set()).add(row)
        self.touched_films.add(fid)

    def add_review(
        self, review: Review, fid: str, content_hash: str, passages: list[str], vectors: np.ndarray
    ) -> None:
        self.segment.add_review(review, fid, content_hash, passages, vectors, self.next_id)
        self.next_id += len(passages)
        self.added[review.review_id] = (review, fid, content_hash)
        self.added_films.setdefault(fid, set()).add(review.library)
        self.touched_films.add(fid)

    def refile(self, moves: dict[str, str]) -> None:
        """File reviews under other films (review id -> film id): each moves into the new
        segment with its passages and vectors (nothing embedded), its old row deleted."""
        by_part: dict[int, dict[int, str]] = {}
        for review_id, fid in moves.items():
            found = self._where.get(review_id) or self.locate(review_id)
            if found is None or found[2] == fid:
                continue
            by_part.setdefault(found[0], {})[found[1]] = review_id
        for k, rows in sorted(by_part.items()):
            segment = self.parts[k].segment
            ids = sorted(rows.values())
            reviews: dict[str, tuple[str, str]] = {}
            texts: dict[str, list[tuple[int, str]]] = {}
            for start in range(0, len(ids), 500):
                chunk = tuple(ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                for rid, data, digest in segment.query(
                    f"SELECT review_id, data, content_hash FROM reviews WHERE review_id IN ({marks})",
                    chunk,
                ):
                    reviews[rid] = (data, digest)
                for rid, pid, text in segment.query(
                    f"SELECT review_id, passage_id, text FROM passages WHERE review_id IN ({marks}) "
                    "ORDER BY review_id, ordinal",
                    chunk,
                ):
                    texts.setdefault(rid, []).append((pid, text))
            passage_ids = np.asarray(segment.rows.passage_ids)
            for review_id in ids:
                data, digest = reviews[review_id]
                passages = texts.get(review_id, [])
                at = np.searchsorted(passage_ids, [pid for pid, _ in passages]).astype(np.int64)
                vectors = (
                    np.asarray(segment.vectors[at])
                    if len(at)
                    else np.zeros((0, segment.vectors.shape[1]), np.float32)
                )
                self.delete_review(review_id)
                self.add_review(
                    Review.model_validate_json(data),
                    moves[review_id],
                    digest,
                    [t for _, t in passages],
                    vectors,
                )

    def refresh_all_films(self) -> None:
        """Merge every film's facts again (a new catalogue may know more about any of them);
        only the films whose facts change are written."""
        self.touched_films.update(self.film_ids())

    def _film_reviews(self, fids: set[str]) -> dict[str, list[Review]]:
        """The reviews of these films the new version has: stored (not deleted) and added."""
        out: dict[str, list[Review]] = {fid: [] for fid in fids}
        many = len(fids) > 200
        for k, part in enumerate(self.parts):
            gone = self._gone_rows(k)
            segment = part.segment
            if many:  # one pass over the segment beats a query per film
                found = [
                    (rid, data, fid)
                    for rid, data, fid in segment.query(
                        "SELECT review_id, data, film_id FROM reviews"
                    )
                    if fid in out
                ]
            else:
                found = []
                for fid in fids:
                    found += segment.query(
                        "SELECT review_id, data, film_id FROM reviews WHERE film_id=?", (fid,)
                    )
            rows = segment.review_rows(rid for rid, _, _ in found)
            for review_id, data, fid in found:
                if rows[review_id] not in gone:
                    out[fid].append(Review.model_validate_json(data))
        for review, fid, _ in self.added.values():
            if fid in out:
                out[fid].append(review)
        return out

    def _refresh_films(self) -> None:
        """Each touched film's facts for everyone and, where a server's own reviews add to
        them, for that server alone, written to the new segment when they changed; a film
        left with no review is marked gone."""
        touched = set(self.touched_films)
        reviews = self._film_reviews(touched)
        added = {f for _, f, _ in self.added.values()}  # once: a film a review was added to
        for fid in sorted(touched):
            current = self.current_record(fid)
            if not reviews[fid]:
                if current is not None:
                    self.segment.film_gone(fid)
                continue
            everyone, views = film_views(fid, reviews[fid], self.catalogue.get(fid))
            record = film_record(everyone)
            written = sorted((library, view_record(view)) for library, view in views.items())
            if (
                fid not in added
                and current is not None
                and current[:3] == (everyone.title, everyone.year, record)
                and sorted(current[3]) == written
            ):
                continue  # nothing about it changed: the older record still counts
            self.segment.add_record(fid, everyone.title, everyone.year, record, written)

    def commit(self, manifest: dict[str, Any], vectors_to: VectorBackend) -> str:
        """Publish this version: the new segment (if the commit adds anything) after the
        previous version's segments, the deletion masks, the catalogue."""
        self._refresh_films()
        refs = list(self.refs)
        if self.base is not None and self.base.legacy and self.parts:
            refs = [SegmentRef(adopt_legacy(self.store, self.base))]
        entries: list[dict[str, Any]] = []
        deletes: dict[str, np.ndarray | Path] = {}
        passages = reviews = 0
        for k, (ref, part) in enumerate(zip(refs, self.parts, strict=True)):
            extra = self.deleted.get(k, set())
            rows = np.union1d(part.deleted, np.fromiter(extra, np.int64, len(extra))).astype(
                np.int64
            )
            if extra:
                deletes[ref.name] = rows
            elif ref.deletes and self.base is not None:
                deletes[ref.name] = self.base.path / ref.deletes
            now = Part(part.segment, rows)
            entry: dict[str, Any] = {"name": ref.name}
            if len(rows):
                entry |= {
                    "deleted": len(rows),
                    "deleted_passages": part.segment.n_passages - now.n_passages,
                }
            entries.append(entry)
            reviews += now.n_reviews
            passages += now.n_passages
        dim = int(manifest["dim"])
        if not self.segment.is_empty():
            new_name = self._finish_segment(dim, vectors_to)
            entries.append({"name": new_name})
            meta = self.segment.meta
            reviews += meta["reviews"] or 0
            passages += meta["passages"] or 0
        else:
            self.segment.abort()
        self.catalogue.close()
        if self.catalogue_file is not None:
            catalogue = self.catalogue_file
            if catalogue.name.startswith(".tmp-"):
                catalogue = self.store.root / self.store._publish_catalogue(catalogue)
            manifest = {**manifest, "catalogue": str(catalogue.relative_to(self.store.root))}
        manifest = {
            **manifest,
            "format": FORMAT,
            "store": vectors_to.name,
            "segments": entries,
            "next_passage_id": self.next_id,
            "passages": passages,
            "reviews": reviews,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        return self.store.publish(manifest, deletes)

    def _finish_segment(self, dim: int, vectors_to: VectorBackend) -> str:
        stopwords = next(
            (found for part in self.parts if (found := saved_stopwords(part.segment.path))), None
        )
        vectors = self.segment.finish(dim, stopwords)
        siblings = [part.segment.store for part in self.parts]
        ids = np.asarray(self.segment.passage_ids, np.int64)
        record = vectors_to.write(self.segment.path, vectors, ids, None, siblings)
        self.segment.seal(record)
        return self.store.publish_segment(self.segment.path)

    def abort(self) -> None:
        self.segment.abort()
        self.catalogue.close()
        if self.catalogue_file is not None and self.catalogue_file.name.startswith(".tmp-"):
            self.catalogue_file.unlink(missing_ok=True)
