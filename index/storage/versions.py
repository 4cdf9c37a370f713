"""The on-disk index: immutable versions swapped in atomically.

    <index_dir>/CURRENT         name of the live version (replaced with os.replace)
    <index_dir>/LOCK            held by the one process writing a version
    <index_dir>/v000007/        meta.sqlite, vectors.npy, bm25/, manifest.json, and what the
                                vector store keeps there (index.faiss; Qdrant keeps a collection)
    <index_dir>/catalogues/c000003.sqlite   the film catalogue a version was built with (its
                                manifest names it; versions share it until a new one is imported)

A writer builds the next version in a temporary folder beside the live one and only then
points CURRENT at it, so readers never see a half-written index and a crash (even SIGKILL)
leaves the previous version live. Rows of vectors.npy and the FAISS ids are passages in
passage_id order, so the vectors and the metadata of one version always agree.

meta.sqlite and vectors.npy are the truth; everything else in a version (row arrays, BM25,
the FAISS index, a Qdrant shard) is derived from them. A reader that finds any of it damaged
says so (IndexDamaged, with the remedy); a writer builds what it cannot reuse from the truth,
and over a damaged truth starts a fresh version with whatever still reads carried over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import itertools
import json
import logging
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.errors import REBUILD, IndexBusy, IndexDamaged
from index.knowledge.catalogue import Catalogue
from index.knowledge.films import film_views, normalize_title
from index.storage import arrays
from index.storage.film_table import film_record, write_film_table
from index.storage.lexical import LEXICAL_DIR, LexicalIndex
from index.storage.rows import ROWS_DIR, write_rows
from index.storage.views import view_record
from index.types import BASE_LIBRARY, Review

if TYPE_CHECKING:
    from index.storage.vectors import VectorBackend

log = logging.getLogger("cinebot.store")
BUSY_TIMEOUT_MS = 5000
_VERSION = re.compile(r"v\d{6}")


def _why(exc: BaseException) -> str:
    """An exception as a few words for a one-line message."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0][:120]


CATALOGUES = "catalogues"


def open_readonly(path: Path, **options: Any) -> sqlite3.Connection:
    """A published version's SQLite file: never written again, so read-only with a timeout."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, **options)
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return db


SCHEMA = """
CREATE TABLE IF NOT EXISTS films (
    film_id TEXT PRIMARY KEY, title TEXT NOT NULL, year INTEGER, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reviews (
    review_id TEXT PRIMARY KEY, film_id TEXT NOT NULL, content_hash TEXT NOT NULL,
    rating REAL, data TEXT NOT NULL, library TEXT NOT NULL DEFAULT 'base');
CREATE INDEX IF NOT EXISTS reviews_by_film ON reviews(film_id);
CREATE INDEX IF NOT EXISTS reviews_by_hash ON reviews(content_hash);
CREATE TABLE IF NOT EXISTS passages (
    passage_id INTEGER PRIMARY KEY AUTOINCREMENT, review_id TEXT NOT NULL,
    film_id TEXT NOT NULL, ordinal INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS passages_by_review ON passages(review_id);
CREATE TABLE IF NOT EXISTS film_views (
    library TEXT NOT NULL, film_id TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (library, film_id));
"""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def stored_reviews(info: VersionInfo) -> list[Review]:
    """Every review of a version, as it was ingested (for rebuilding with new settings)."""
    with contextlib.closing(open_readonly(info.path / "meta.sqlite")) as db:
        return [Review.model_validate_json(d) for (d,) in db.execute("SELECT data FROM reviews")]


def readable_reviews(info: VersionInfo) -> tuple[list[Review], str | None]:
    """What a damaged version still gives back: every review, or none and why not."""
    try:
        return stored_reviews(info), None
    except (OSError, ValueError, sqlite3.DatabaseError) as exc:  # ValidationError is a ValueError
        return [], f"meta.sqlite: {_why(exc)}"


@dataclass
class VersionInfo:
    name: str
    path: Path
    manifest: dict[str, Any]


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


@dataclass(frozen=True)
class Previous:
    """The version a new one was written from: its rows that `keep` keeps come first in the
    new version, in order, and the new vectors follow them. A store may reuse what it built
    for it (an IVF's training and inverted lists) instead of building again."""

    version: VersionInfo
    keep: np.ndarray  # bool per row of the previous version


class IndexStore:
    def __init__(self, root: Path, vectors: VectorBackend | None = None) -> None:
        """A writer passes its vector store: it is told the manifest of each version removed
        (it drops what it keeps outside the folder, such as a Qdrant shard), and sweeps what a
        crashed writer left there."""
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
        """Raise IndexDamaged unless the version's metadata and vectors can be read."""
        try:
            with contextlib.closing(open_readonly(info.path / "meta.sqlite")) as db:
                db.execute("SELECT COUNT(*) FROM reviews").fetchone()
                passages = db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
            vectors = arrays.load(info.path / "vectors.npy", mmap_mode="r")
        except (OSError, ValueError, sqlite3.DatabaseError) as exc:
            raise IndexDamaged(f"index {info.name} is damaged ({_why(exc)}); {REBUILD}") from None
        if len(vectors) != passages:
            raise IndexDamaged(
                f"index {info.name} is damaged ({len(vectors)} vectors for {passages} passages); {REBUILD}"
            )

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
        to finish (a member's review behind a re-index), else IndexBusy. Released by the OS
        if the writer dies."""
        self.root.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait
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
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def begin(self, base: VersionInfo | None, catalogue: Path | None = None) -> VersionWriter:
        """Start the next version from a copy of `base` (None: an empty index), built with the
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
        for path in self.root.glob(".tmp-*"):
            shutil.rmtree(path, ignore_errors=True)
        if self.vectors is not None and (gone := self.vectors.sweep(self._manifests())):
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
        _fsync_file(tmp)
        os.rename(tmp, self.root / name)
        _fsync_dir(self.root / CATALOGUES)
        return name

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
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
        for path in sorted(tmp.rglob("*"), reverse=True):  # files before their folders
            (_fsync_file if path.is_file() else _fsync_dir)(path)
        _fsync_dir(tmp)
        final = self.root / name
        if final.exists():  # a crashed publish left it; it was never CURRENT
            shutil.rmtree(final)
        os.rename(tmp, final)
        pointer = self.root / "CURRENT.tmp"
        pointer.write_text(name + "\n")
        _fsync_file(pointer)
        os.replace(pointer, self.root / "CURRENT")
        _fsync_dir(self.root)
        # Keep the previous version (a reader may be about to hold it); collect older ones.
        self.collect(keep={name, previous})
        self._drop_unused_catalogues()
        return name

    def collect(self, keep: set[str | None]) -> list[str]:
        """Delete the versions not in `keep` that no reader holds (one still held is left for
        a later commit to collect). Returns the names deleted."""
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
                if self.vectors is not None:
                    try:
                        self.vectors.retire(json.loads((path / "manifest.json").read_text()))
                    except Exception:  # the new version is live already; a leftover is harmless
                        log.warning("could not drop the vectors of %s", path.name, exc_info=True)
                shutil.rmtree(path, ignore_errors=True)
                gone.append(path.name)
            finally:
                os.close(fd)
        return gone

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


class VersionWriter:
    """Edits a private copy of the live version; `commit` publishes it."""

    def __init__(
        self, store: IndexStore, base: VersionInfo | None, catalogue: Path | None = None
    ) -> None:
        self.store = store
        self.base = base
        self.catalogue_file = catalogue
        self.catalogue = Catalogue(catalogue)
        self.tmp = store.root / f".tmp-{uuid.uuid4().hex}"
        self.tmp.mkdir(parents=True)
        self.db = sqlite3.connect(self.tmp / "meta.sqlite")
        if base is not None:
            with contextlib.closing(open_readonly(base.path / "meta.sqlite")) as src:
                src.backup(self.db)
            self.old_vectors = arrays.load(base.path / "vectors.npy", mmap_mode="r")
            self.old_ids = np.array(
                [
                    r[0]
                    for r in self.db.execute("SELECT passage_id FROM passages ORDER BY passage_id")
                ],
                dtype=np.int64,
            )
        else:
            self.old_vectors = None
            self.old_ids = np.zeros(0, dtype=np.int64)
        self.db.executescript(SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(reviews)")}
        if "library" not in columns:  # a version written before libraries: all of it is base
            self.db.execute("ALTER TABLE reviews ADD COLUMN library TEXT NOT NULL DEFAULT 'base'")
        self.db.execute("CREATE INDEX IF NOT EXISTS reviews_by_library ON reviews(library)")
        # WAL while the version is written (with a busy timeout for anything that peeks in);
        # switched back to a single self-contained file before it is published, so readers
        # can open it read-only, even from a read-only volume.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self.deleted: set[int] = set()
        self.new_vectors: list[np.ndarray] = []
        self.new_texts: list[str] = []  # in passage order, like new_vectors
        self.touched_films: set[str] = set()

    def use_catalogue(self, path: Path) -> None:
        """Build this version with a newly written catalogue file (from `store.new_catalogue`)."""
        self.catalogue.close()
        self.catalogue_file, self.catalogue = path, Catalogue(path)

    def reviews(self) -> Iterator[tuple[Review, str]]:
        """Every stored review and the film it is filed under."""
        for data, fid in self.db.execute("SELECT data, film_id FROM reviews"):
            yield Review.model_validate_json(data), fid

    def refile(self, moves: dict[str, str]) -> None:
        """File reviews under other films (review id -> film id): their vectors stay."""
        for review_id, fid in moves.items():
            old = self.db.execute(
                "SELECT film_id FROM reviews WHERE review_id=?", (review_id,)
            ).fetchone()
            if old is None or old[0] == fid:
                continue
            self.touched_films.update((old[0], fid))
            self.db.execute("UPDATE reviews SET film_id=? WHERE review_id=?", (fid, review_id))
            self.db.execute("UPDATE passages SET film_id=? WHERE review_id=?", (fid, review_id))

    def refresh_all_films(self) -> None:
        """Merge every film's facts again (a new catalogue may know more about any of them)."""
        self.touched_films.update(fid for (fid,) in self.db.execute("SELECT film_id FROM films"))

    def hashes(self) -> tuple[dict[str, str], dict[str, str]]:
        """(review_id -> content_hash, content_hash -> review_id) of what is stored."""
        by_id = dict(self.db.execute("SELECT review_id, content_hash FROM reviews"))
        return by_id, {h: r for r, h in by_id.items()}

    def stored_passages(self) -> Iterator[tuple[Review, str, str, list[tuple[int, str]]]]:
        """Every stored review with its film, content hash and passages (id, text) in order."""
        rows = self.db.execute(
            "SELECT r.review_id, r.data, r.film_id, r.content_hash, p.passage_id, p.text "
            "FROM reviews r LEFT JOIN passages p ON p.review_id = r.review_id "
            "ORDER BY r.review_id, p.ordinal"
        )  # read as it goes: callers change nothing until they have walked all of it
        for _, group in itertools.groupby(rows, key=lambda row: row[0]):
            part = list(group)
            _, data, fid, digest, _, _ = part[0]
            passages = [(pid, text) for *_, pid, text in part if pid is not None]
            yield Review.model_validate_json(data), fid, digest, passages

    def base_vector(self, passage_id: int) -> np.ndarray:
        """A passage's vector in the version this one is written from."""
        assert self.old_vectors is not None, "no base version"
        return np.asarray(self.old_vectors[int(np.searchsorted(self.old_ids, passage_id))])

    def reviewed_in(self, film_id: str, libraries: tuple[str, ...]) -> bool:
        """Whether any of these libraries has a review filed under the film."""
        marks = ",".join("?" * len(libraries))
        found = self.db.execute(
            f"SELECT 1 FROM reviews WHERE film_id=? AND library IN ({marks}) LIMIT 1",
            (film_id, *libraries),
        ).fetchone()
        return found is not None

    def films_by_title(self) -> dict[str, list[tuple[str, int | None]]]:
        out: dict[str, list[tuple[str, int | None]]] = {}
        for fid, title, year in self.db.execute("SELECT film_id, title, year FROM films"):
            out.setdefault(normalize_title(title), []).append((fid, year))
        return out

    def delete_review(self, review_id: str) -> None:
        row = self.db.execute(
            "SELECT film_id FROM reviews WHERE review_id=?", (review_id,)
        ).fetchone()
        if row is None:
            return
        self.touched_films.add(row[0])
        self.deleted.update(
            pid
            for (pid,) in self.db.execute(
                "SELECT passage_id FROM passages WHERE review_id=?", (review_id,)
            )
        )
        self.db.execute("DELETE FROM passages WHERE review_id=?", (review_id,))
        self.db.execute("DELETE FROM reviews WHERE review_id=?", (review_id,))

    def add_review(
        self, review: Review, fid: str, content_hash: str, passages: list[str], vectors: np.ndarray
    ) -> None:
        if len(passages) != len(vectors):
            raise ValueError("one vector per passage")
        self.db.execute(
            "INSERT INTO reviews(review_id, film_id, content_hash, rating, data, library) "
            "VALUES (?,?,?,?,?,?)",
            (
                review.review_id,
                fid,
                content_hash,
                review.rating,
                review.model_dump_json(),
                review.library,
            ),
        )
        self.db.executemany(
            "INSERT INTO passages(review_id, film_id, ordinal, text) VALUES (?,?,?,?)",
            [(review.review_id, fid, i, text) for i, text in enumerate(passages)],
        )
        self.new_vectors.append(np.asarray(vectors, dtype=np.float32))
        self.new_texts += passages
        self.touched_films.add(fid)

    def _refresh_films(self) -> None:
        """Each touched film's facts for everyone (the films table) and, where a server's
        own reviews add to them, for that server alone (film_views)."""
        for fid in self.touched_films:
            rows = self.db.execute("SELECT data FROM reviews WHERE film_id=?", (fid,)).fetchall()
            self.db.execute("DELETE FROM films WHERE film_id=?", (fid,))
            self.db.execute("DELETE FROM film_views WHERE film_id=?", (fid,))
            if not rows:
                continue
            reviews = [Review.model_validate_json(d) for (d,) in rows]
            everyone, views = film_views(fid, reviews, self.catalogue.get(fid))
            self.db.execute(
                "INSERT INTO films(film_id, title, year, data) VALUES (?,?,?,?)",
                (fid, everyone.title, everyone.year, film_record(everyone)),
            )
            self.db.executemany(
                "INSERT INTO film_views(library, film_id, data) VALUES (?,?,?)",
                [(library, fid, view_record(view)) for library, view in views.items()],
            )

    def commit(self, manifest: dict[str, Any], vectors_to: VectorBackend) -> str:
        """Publish this version. The vector store receives every vector (row = passage in
        passage_id order) before the version goes live, and says what the manifest records."""
        self._refresh_films()
        self.db.commit()
        n_passages = self.db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        keep = ~np.isin(
            self.old_ids, np.fromiter(self.deleted, dtype=np.int64, count=len(self.deleted))
        )
        lexical = self._lexical(keep)
        rows = write_rows(self.db, self.tmp / ROWS_DIR)
        base = np.zeros(int(rows.review_film.max(initial=-1)) + 1, dtype=bool)
        base[rows.review_film[rows.review_library == rows.libraries.index(BASE_LIBRARY)]] = True
        write_film_table(self.db, self.tmp / ROWS_DIR, base)
        if self.deleted:
            self.db.execute("VACUUM")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute("PRAGMA journal_mode=DELETE")
        self.db.close()
        vectors = self._write_vectors(keep, int(manifest["dim"]))
        if len(vectors) != n_passages:
            raise RuntimeError(f"index corrupt: {len(vectors)} vectors for {n_passages} passages")
        lexical.save(self.tmp / LEXICAL_DIR)
        self.catalogue.close()
        if self.catalogue_file is not None:
            catalogue = self.catalogue_file
            if catalogue.name.startswith(".tmp-"):
                catalogue = self.store.root / self.store._publish_catalogue(catalogue)
            manifest = {**manifest, "catalogue": str(catalogue.relative_to(self.store.root))}
        previous = Previous(self.base, keep) if self.base is not None else None
        manifest = {
            **manifest,
            **vectors_to.write(self.tmp, vectors, previous),
            "store": vectors_to.name,
            "passages": n_passages,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        return self.store._publish(self.tmp, manifest)

    def _lexical(self, keep: np.ndarray) -> LexicalIndex:
        """BM25 for this version: the base's postings with only the new passages tokenized;
        a base from before that format (or none) is indexed from every stored text."""
        folder = self.base.path / LEXICAL_DIR if self.base is not None else None
        if folder is not None and LexicalIndex.saved(folder):
            try:
                return LexicalIndex.load(folder).extended(keep, self.new_texts)
            except Exception:  # damaged postings are built again from the texts
                log.warning("the BM25 postings of %s are damaged; built again", self.base.name)
        texts = [t for (t,) in self.db.execute("SELECT text FROM passages ORDER BY passage_id")]
        return LexicalIndex.build(texts)

    def _write_vectors(self, keep: np.ndarray, dim: int) -> np.ndarray:
        """vectors.npy: the base's kept rows, then the new ones, copied a slice at a time into
        the file (no second copy of a million vectors in memory); returned memory-mapped."""
        n_old = int(np.count_nonzero(keep))
        n_new = sum(len(v) for v in self.new_vectors)
        path = self.tmp / "vectors.npy"
        if n_old + n_new == 0:  # an empty file cannot be memory-mapped
            np.save(path, np.zeros((0, dim), np.float32))
            return np.zeros((0, dim), np.float32)
        out = np.lib.format.open_memmap(
            path, mode="w+", dtype=np.float32, shape=(n_old + n_new, dim)
        )
        at = 0
        if self.old_vectors is not None:
            step = 65_536
            for start in range(0, len(self.old_vectors), step):
                part = np.asarray(self.old_vectors[start : start + step])[
                    keep[start : start + step]
                ]
                out[at : at + len(part)] = part
                at += len(part)
        for part in self.new_vectors:
            out[at : at + len(part)] = part
            at += len(part)
        out.flush()
        del out
        return arrays.load(path, mmap_mode="r")

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.db.close()
        self.catalogue.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.catalogue_file is not None and self.catalogue_file.name.startswith(".tmp-"):
            self.catalogue_file.unlink(missing_ok=True)
