"""Ingest: files -> reviews -> (only what is new or changed) passages -> vectors -> new version."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from config import Settings
from index.embedding.encoder import Encoder
from index.errors import RECATALOGUE, IndexDamaged
from index.knowledge.catalogue import Catalogue, catalogue_damage, resolve
from index.knowledge.films import film_id, normalize_title
from index.reading.passages import split_passages
from index.reading.readers import ReadResult, find_files, read_file
from index.storage.merges import merge
from index.storage.vectors import VectorBackend, backend_for
from index.storage.versions import (
    FilmsByTitle,
    IndexStore,
    VersionInfo,
    VersionWriter,
    readable_reviews,
)
from index.types import BASE_LIBRARY, IngestReport, Library, Problem, Review

# Films by normalised title: (id, year) of each (`FilmsByTitle`, or a plain dict in tests).
TitledFilms = MutableMapping[str, list[tuple[str, int | None]]] | FilmsByTitle


@dataclass
class Progress:
    """Callbacks a front end (rich, Discord) uses to show long work. All optional."""

    on_files: Callable[[int], None] = lambda total: None
    on_file: Callable[[Path], None] = lambda path: None
    on_embed_start: Callable[[int], None] = lambda total: None
    on_embedded: Callable[[int], None] = lambda n: None


def content_hash(review: Review) -> str:
    """Same content, same hash, wherever the file came from and whatever id it carried."""
    # "stated" left out while empty, so reviews indexed before it existed hash as they did.
    skip = {"source", "review_id", "location"} | (set() if review.stated else {"stated"})
    payload = review.model_dump_json(exclude=skip)
    return hashlib.sha256(payload.encode()).hexdigest()


# What a version records of the model that made its vectors; every commit carries them on.
MODEL_KEYS = ("model", "dim", "precision", "passage_max_tokens")


def index_manifest(settings: Settings, encoder: Encoder) -> dict[str, object]:
    return {
        "model": settings.embedding.model,
        "dim": encoder.dimension,
        "precision": encoder.precision,
        "passage_max_tokens": settings.embedding.passage_max_tokens,
    }


def model_facts(manifest: dict[str, object]) -> dict[str, object]:
    """A version's model facts, for a commit that embeds nothing (its vectors stay as made)."""
    return {k: manifest[k] for k in MODEL_KEYS if k in manifest}


def read_all(
    paths: list[Path], settings: Settings, progress: Progress, rating_scale: float | None = None
) -> ReadResult:
    files, missing = find_files(paths)
    result = ReadResult(rejected=list(missing))
    progress.on_files(len(files))
    for path in files:
        result.extend(read_file(path, settings.ingest, rating_scale=rating_scale))
        progress.on_file(path)
    return result


class FilmResolver:
    """Which film each review is filed under: a catalogue film when the catalogue knows it
    (by IMDb id, title and year, or an unambiguous fuzzy title), else a film of the reviews'
    own (a review without a year joins the one film of that title its library may see, if
    there is exactly one). Counts how reviews were matched, for the report.

    `reviewed_in(film id, libraries)`: whether any of those libraries has a review of it in
    the version being written."""

    def __init__(
        self,
        catalogue: Catalogue,
        known: TitledFilms,
        reviewed_in: Callable[[str, tuple[str, ...]], bool],
    ):
        self.catalogue, self.known, self.reviewed_in = catalogue, known, reviewed_in
        self.counts: Counter[str] = Counter()
        self.active = len(catalogue) > 0
        self.yearless: dict[str, Review] = {}  # film id -> the first review that filed it
        self.filed: dict[str, set[str]] = {}  # film id -> libraries filed under it here

    def __call__(self, review: Review, counted: bool = True) -> str:
        if self.active:
            found = resolve(self.catalogue, review.title, review.year, review.imdb_id)
            written = review.extra.get("title_as_written")
            if found.film is None and isinstance(written, str):
                # "Wonder Woman 1984": the bare year may be the title's own.
                whole = resolve(self.catalogue, written, None)
                found = whole if whole.film is not None else found
            if counted:
                self.counts["matched" if found.film else found.how] += 1
            if found.film is not None:
                return found.film.key
        fid = _own_film(review, self.known, self.sees)
        if review.year is None and fid == film_id(review.title, None):
            self.yearless.setdefault(fid, review)
        self.filed.setdefault(fid, set()).add(review.library)
        return fid

    def sees(self, fid: str, library: str) -> bool:
        """Whether a library may see a film: the base library or itself reviews it."""
        here = tuple(dict.fromkeys((BASE_LIBRARY, library)))
        return bool(self.filed.get(fid, set()).intersection(here)) or self.reviewed_in(fid, here)

    def yearless_warnings(self) -> list[Problem]:
        """Films kept without a year: the review gave none and no catalogue film has its title."""
        why = "no catalogue film of that title" if self.active else "no catalogue to look it up in"
        return [
            Problem(
                r.source,
                r.location,
                f"{r.title!r} has no year ({why}): kept as a film without one; "
                "a year in its title line or a catalogue will place it",
            )
            for r in self.yearless.values()
        ]


def _own_film(
    review: Review,
    known: TitledFilms,
    sees: Callable[[str, str], bool],
) -> str:
    films = known.setdefault(normalize_title(review.title), [])
    if review.year is None:
        # Another server's film is not this library's to join: it would give the review
        # that server's year (and title), and tell this one that the film is there.
        mine = [film for film in films if sees(film[0], review.library)]
        if len(mine) == 1:
            return mine[0][0]
    fid = film_id(review.title, review.year)
    if (fid, review.year) not in films:
        films.append((fid, review.year))
    return fid


def in_library(review: Review, library: str) -> Review:
    """A review filed in a library, under an id of that library's own."""
    if library == BASE_LIBRARY:
        return review
    owner = Library(library)
    return review.model_copy(
        update={"library": str(owner), "review_id": owner.review_id(review.review_id)}
    )


def with_owners(
    reviews: list[Review], library: str, keep_owners: bool = False
) -> tuple[list[Review], list[Problem]]:
    """Members' reviews keep their owner through an export (`user_id`), so the member can
    still edit or delete them and `purge-user` finds them. An export of another library's
    members' reviews (its `library` names another) is refused record by record unless
    `keep_owners`: a server does not take in another server's members unasked."""
    kept, refused = [], []
    for review in reviews:
        owner = review.extra.get("user_id")
        if owner is None or owner == "":
            kept.append(review)
            continue
        origin = review.extra.get("library")
        if origin and str(origin) != library and not keep_owners:
            reason = (
                f"a member's review exported from {origin}, not {library}: ingest with "
                "--keep-owners to keep it, owned by that member"
            )
            refused.append(Problem(review.source, review.location, reason))
            continue
        extra = {k: v for k, v in review.extra.items() if k not in ("user_id", "library")}
        kept.append(review.model_copy(update={"user_id": str(owner), "extra": extra}))
    return kept, refused


def ingest(
    paths: list[Path],
    settings: Settings,
    encoder: Encoder,
    progress: Progress | None = None,
    rebuild: bool = False,
    rating_scale: float | None = None,
    library: str = BASE_LIBRARY,
    keep_owners: bool = False,
) -> IngestReport:
    """Index new and changed reviews from `paths` into `library`; publish a new version only
    if anything changed. `rebuild`: a fresh version whose `library` holds just these files'
    reviews (other libraries' reviews are carried over, embedded again).

    All reading and embedding happens before anything is published: bad input costs nothing
    already indexed, and a crash leaves the previous version live.
    """
    progress = progress or Progress()
    report = IngestReport()
    read = read_all(paths, settings, progress, rating_scale)
    report.rejected, report.warnings, report.notes = read.rejected, read.warnings, read.notes
    report.rejected_more, report.warnings_more = read.rejected_more, read.warnings_more
    reviews, refused = with_owners(read.reviews, library, keep_owners)
    report.rejected += refused
    reviews = [in_library(r, library) for r in reviews]
    return write_reviews(reviews, settings, encoder, report, progress, rebuild, library=library)


@dataclass
class Todo:
    """A review to write with its passages' vectors: `film` keeps the film it is filed under
    (None: resolve it), `reuse` names passages whose vectors the base version already has
    (text -> passage id), `carried` marks one carried over rather than read."""

    review: Review
    digest: str
    film: str | None = None
    reuse: dict[str, int] = field(default_factory=dict)
    carried: bool = False
    passages: list[str] | None = None  # already split (None: split when written)


def same_vectors(old: VersionInfo, new: dict[str, object]) -> bool:
    """Whether a version's vectors are comparable with what this encoder gives: the same
    model at the same precision (int8 vectors are close to float32's, not equal)."""
    return (
        all(old.manifest.get(k) == new[k] for k in ("model", "dim"))
        and old.precision == new["precision"]
    )


def _as_made(
    base: VersionInfo | None, settings: Settings, encoder: Encoder
) -> tuple[Encoder, dict[str, object]]:
    """The encoder (and manifest) at the precision `base` was embedded at; without one, as
    the settings say."""
    if base is not None:
        encoder = encoder.at_precision(base.precision)
    return encoder, index_manifest(settings, encoder)


def write_reviews(
    reviews: list[Review],
    settings: Settings,
    encoder: Encoder,
    report: IngestReport | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
    wait: float = 0,
    library: str = BASE_LIBRARY,
    small: bool = False,
) -> IngestReport:
    """Add or update these reviews: one new version, embedding only what is new or changed
    (one member's review is a small commit, not a re-index). `wait`: seconds to wait for
    another writer; `small`: a member's write, embedded at the index's own precision.

    A fresh version (nothing of the live one copied) is written for a `rebuild` (`library`
    then holds just `reviews`), over a damaged index, and for another model; what the old
    version still gives back is carried over and embedded again. A changed passage size
    splits every stored review again and embeds only the passages that differ."""
    progress = progress or Progress()
    report = report or IngestReport()
    started = time.perf_counter()
    vectors_to = backend_for(settings)
    store = IndexStore(settings.index_dir, vectors_to)
    manifest = index_manifest(settings, encoder)
    if _restore(store, vectors_to, manifest, rebuild, wait):
        report.notes.append(f"the index was written again for store={vectors_to.name}")
    with store.lock(wait):
        base, damage = store.live_or_damaged()
        source = base or (store.last_readable() if damage else None)
        encoder, manifest = _as_made(base if small and not rebuild else None, settings, encoder)
        stale = base is not None and not same_vectors(base, manifest)
        grown = None if rebuild or stale else base  # the version this one is written from
        if damage:
            report.warn(Problem(str(settings.index_dir), "", f"{damage}: a new index was started"))
        writer = store.begin(grown, _catalogue(store, source, damage is not None, report))
        try:
            carried = {} if grown else _carried(source, report, library if rebuild else None)
            todo = _classify(reviews, writer, report, carried)
            if carried and source is not None:
                note = f"{len(carried):,} review(s) kept from {source.name}, embedded again"
                report.notes.append(note)
            todo = [*carried.values(), *todo]
            resized = (
                grown and grown.manifest.get("passage_max_tokens") != manifest["passage_max_tokens"]
            )
            if resized:
                todo += _split_again(writer, settings, encoder, {t.review.review_id for t in todo})
            if not todo and grown is not None and not resized:
                writer.abort()
                report.version = grown.name
                report.seconds = time.perf_counter() - started
                return report
            _embed_and_add(todo, writer, settings, encoder, progress, report)
            report.version = writer.commit(manifest, vectors_to)
        except BaseException:
            writer.abort()
            raise
    report.seconds = time.perf_counter() - started
    return report


def _restore(
    store: IndexStore,
    backend: VectorBackend,
    manifest: dict[str, object],
    rebuild: bool,
    wait: float,
) -> bool:
    """A version written for another vector store (or another Qdrant location) gets this
    one's from the stored vectors: its segments merged into one, which this store indexes
    (nothing embedded). Whether it did."""
    with store.lock(wait):
        try:
            base = store.current()
        except IndexDamaged:
            return False  # the writer starts afresh and says why
        if (
            base is None
            or rebuild
            or not same_vectors(base, manifest)
            or backend.holds(base)  # nearly always: then nothing else is read
            or store.live_or_damaged()[1]
        ):
            return False
    return merge(store, backend, wait=wait, everything=True) is not None


def _catalogue(
    store: IndexStore, source: VersionInfo | None, damaged: bool, report: IngestReport
) -> Path | None:
    """The catalogue the new version is built with: the old version's (the newest when damage
    hides which), unless it is damaged (then none, and the report says how to import it
    again)."""
    path = store.catalogue_path(source) if source else None
    if path is None and damaged:
        path = store.newest_catalogue()
    if path is not None and (why := catalogue_damage(path)):
        report.warn(
            Problem(
                str(path),
                "",
                f"the film catalogue is damaged ({why}); this version is "
                f"built without it: {RECATALOGUE}",
            )
        )
        return None
    return path


def _carried(
    source: VersionInfo | None, report: IngestReport, replaced: str | None
) -> dict[str, Todo]:
    """The reviews a fresh version carries over from the one it replaces (all but those of the
    `replaced` library, which a rebuild reads from its files), by id."""
    if source is None:
        return {}
    reviews, lost = readable_reviews(source)
    if lost:
        report.warn(
            Problem(str(source.path), "", f"{lost}: what was indexed before could not be read back")
        )
    return {
        r.review_id: Todo(r, content_hash(r), carried=True)
        for r in reviews
        if r.library != replaced
    }


def remove_reviews(
    settings: Settings,
    chosen: Callable[[Review], bool],
    wait: float = 0,
    where: tuple[str, tuple[object, ...]] = ("", ()),
) -> tuple[int, str | None]:
    """Delete the reviews `chosen` picks (among those the SQL condition `where` on the
    reviews table finds, when given: a member's reviews are found by index, not by reading
    every review): a new version without them (nothing embedded). Returns how many went and
    the live version."""
    vectors_to = backend_for(settings)
    store = IndexStore(settings.index_dir, vectors_to)
    with store.lock(wait):
        base, _ = store.live_or_damaged()
        if base is None:
            return 0, None
        writer = store.begin(base, store.catalogue_path(base))
        try:
            gone = [review.review_id for review, _ in writer.reviews(*where) if chosen(review)]
            if not gone:
                writer.abort()
                return 0, base.name
            for review_id in gone:
                writer.delete_review(review_id)
            return len(gone), writer.commit(model_facts(base.manifest), vectors_to)
        except BaseException:
            writer.abort()
            raise


def _classify(
    reviews: list[Review], writer: VersionWriter, report: IngestReport, carried: dict[str, Todo]
) -> list[Todo]:
    """The reviews read that are new or changed, against what is stored (in the writer, or
    `carried` into a fresh version: a changed one replaces its carried copy there)."""
    by_id, by_hash = writer.hashes(reviews, (content_hash(r) for r in reviews))
    by_id.update({rid: todo.digest for rid, todo in carried.items()})
    by_hash.update({todo.digest: rid for rid, todo in carried.items()})
    batch: dict[str, Todo] = {}
    seen: dict[str, list[Review]] = {}  # review id -> every record that carried it, in order
    for review in reviews:
        seen.setdefault(review.review_id, []).append(review)
        digest = content_hash(review)
        owner = by_hash.get(digest)
        if owner is not None:
            if owner == review.review_id:
                report.unchanged += 1
            else:
                report.duplicates += 1
                report.same_as[review.review_id] = owner
                report.warn(
                    Problem(
                        review.source, review.location, f"same review as {owner!r}; stored once"
                    )
                )
            continue
        batch[review.review_id] = Todo(review, digest)
        by_hash[digest] = review.review_id
    for review_id, records in seen.items():
        if len({content_hash(r) for r in records}) > 1:  # one id, different reviews
            where = ", ".join(
                f"{r.source}:{r.location}" if r.location else r.source for r in records
            )
            report.warn(
                Problem(
                    records[-1].source,
                    "",
                    f"review id {review_id!r} appears {len(records)} times ({where}); "
                    "the last one wins",
                )
            )
    for review_id in batch:
        if review_id in by_id:
            report.updated += 1
            if carried.pop(review_id, None) is None:
                writer.delete_review(review_id)
        else:
            report.added += 1
    return list(batch.values())


def _split_again(
    writer: VersionWriter, settings: Settings, encoder: Encoder, written: set[str]
) -> list[Todo]:
    """After a change of passage size: every stored review whose passages now differ, to be
    written again with the vectors of its unchanged passages reused."""
    size = settings.embedding.passage_max_tokens
    todo = []
    for review, fid, digest, passages in writer.stored_passages():
        if review.review_id in written or not review.text.strip():
            continue
        split = split_passages(review.text, encoder.count_tokens, size)
        if split != [t for _, t in passages]:
            reuse = {text: pid for pid, text in passages}
            todo.append(Todo(review, digest, fid, reuse, carried=True, passages=split))
    for item in todo:
        writer.delete_review(item.review.review_id)
    return todo


def _embed_and_add(
    todo: list[Todo],
    writer: VersionWriter,
    settings: Settings,
    encoder: Encoder,
    progress: Progress,
    report: IngestReport,
) -> None:
    """Split, file and embed (only passages without a reusable vector), then add in order."""
    film_of = FilmResolver(writer.catalogue, writer.films_by_title(), writer.reviewed_in)
    planned: list[tuple[Todo, str, list[str]]] = []
    texts: list[str] = []
    for item in todo:
        review = item.review
        passages = item.passages
        if passages is None:
            passages = (
                split_passages(
                    review.text, encoder.count_tokens, settings.embedding.passage_max_tokens
                )
                if review.text.strip()
                else []  # a rating without words: nothing to embed
            )
        fid = item.film or film_of(review, counted=not item.carried)
        planned.append((item, fid, passages))
        texts += [t for t in passages if t not in item.reuse]
    report.films = dict(film_of.counts)
    for problem in film_of.yearless_warnings():
        report.warn(problem)
    progress.on_embed_start(len(texts))
    vectors = encoder.encode(texts, progress=progress.on_embedded)
    report.passages_embedded = len(texts)
    start = 0
    for item, fid, passages in planned:
        rows = []
        for text in passages:
            if text in item.reuse:
                rows.append(writer.base_vector(item.reuse[text]))
            else:
                rows.append(vectors[start])
                start += 1
        block = np.stack(rows) if rows else np.zeros((0, encoder.dimension), np.float32)
        writer.add_review(item.review, fid, item.digest, passages, block)
