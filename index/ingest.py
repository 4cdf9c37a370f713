"""Ingest: files -> reviews -> (only what is new or changed) passages -> vectors -> new version."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from config import Settings
from index.embedding.encoder import Encoder
from index.knowledge.catalogue import Catalogue, resolve
from index.knowledge.films import film_id, normalize_title
from index.reading.passages import split_passages
from index.reading.readers import ReadResult, find_files, read_file
from index.storage.vectors import backend_for
from index.storage.versions import IndexStore, VersionInfo, VersionWriter, stored_reviews
from index.types import BASE_LIBRARY, IngestReport, Problem, Review


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


def index_manifest(settings: Settings, encoder: Encoder) -> dict[str, object]:
    return {
        "model": settings.embedding.model,
        "dim": encoder.dimension,
        "passage_max_tokens": settings.embedding.passage_max_tokens,
    }


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
    own (a review without a year joins the one film of that title, if there is exactly one).
    Counts how reviews were matched, for the report."""

    def __init__(self, catalogue: Catalogue, known: dict[str, list[tuple[str, int | None]]]):
        self.catalogue, self.known = catalogue, known
        self.counts: Counter[str] = Counter()
        self.active = len(catalogue) > 0
        self.yearless: dict[str, Review] = {}  # film id -> the first review that filed it

    def __call__(self, review: Review) -> str:
        if self.active:
            found = resolve(self.catalogue, review.title, review.year, review.imdb_id)
            written = review.extra.get("title_as_written")
            if found.film is None and isinstance(written, str):
                # "Wonder Woman 1984": the bare year may be the title's own.
                whole = resolve(self.catalogue, written, None)
                found = whole if whole.film is not None else found
            self.counts["matched" if found.film else found.how] += 1
            if found.film is not None:
                return found.film.key
        fid = _own_film(review, self.known)
        if review.year is None and fid == film_id(review.title, None):
            self.yearless.setdefault(fid, review)
        return fid

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


def _own_film(review: Review, known: dict[str, list[tuple[str, int | None]]]) -> str:
    films = known.setdefault(normalize_title(review.title), [])
    if review.year is None and len(films) == 1:
        return films[0][0]
    fid = film_id(review.title, review.year)
    if (fid, review.year) not in films:
        films.append((fid, review.year))
    return fid


def in_library(review: Review, library: str) -> Review:
    """A review filed in a library. A server's review ids are its own ("guild:1/r1"), so one
    server's upload can never replace another's review of the same id."""
    if library == BASE_LIBRARY:
        return review
    prefix = f"{library}/"
    review_id = (
        review.review_id if review.review_id.startswith(prefix) else prefix + review.review_id
    )
    return review.model_copy(update={"library": library, "review_id": review_id})


def ingest(
    paths: list[Path],
    settings: Settings,
    encoder: Encoder,
    progress: Progress | None = None,
    rebuild: bool = False,
    rating_scale: float | None = None,
    library: str = BASE_LIBRARY,
) -> IngestReport:
    """Index new and changed reviews from `paths` into `library`; publish a new version only
    if anything changed.

    All reading and embedding happens before anything is published: bad input costs nothing
    already indexed, and a crash leaves the previous version live.
    """
    progress = progress or Progress()
    report = IngestReport()
    read = read_all(paths, settings, progress, rating_scale)
    report.rejected, report.warnings, report.notes = read.rejected, read.warnings, read.notes
    report.rejected_more, report.warnings_more = read.rejected_more, read.warnings_more
    reviews = [in_library(r, library) for r in read.reviews]
    return write_reviews(reviews, settings, encoder, report, progress, rebuild)


def write_reviews(
    reviews: list[Review],
    settings: Settings,
    encoder: Encoder,
    report: IngestReport | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
    wait: float = 0,
) -> IngestReport:
    """Add or update these reviews: one new version, embedding only what is new or changed
    (one member's review is a small commit, not a re-index). `wait`: seconds to wait for
    another writer to finish."""
    progress = progress or Progress()
    report = report or IngestReport()
    started = time.perf_counter()
    vectors_to = backend_for(settings)
    store = IndexStore(settings.index_dir, vectors_to)
    with store.lock(wait):
        base, damage = store.live_or_damaged()
        if damage:
            report.warn(
                Problem(
                    str(settings.index_dir),
                    "",
                    f"{damage}: a new index was started "
                    "from the files given; what was indexed before is not in it",
                )
            )
        # A version written for another vector store gets this one's from the stored vectors.
        restore = base is not None and not vectors_to.holds(base.manifest)
        manifest = index_manifest(settings, encoder)
        if base is not None and any(base.manifest.get(k) != v for k, v in manifest.items()):
            rebuild = True  # model or passage size changed: old vectors are not comparable
        writer = store.begin(None if rebuild else base, store.catalogue_path(base))
        try:
            carried = _carry_over(base) if rebuild else []
            todo = _classify(reviews, writer, report)
            todo = carried + todo
            if not todo and base is not None and not rebuild and not restore:
                writer.abort()
                report.version = base.name
                report.seconds = time.perf_counter() - started
                return report
            _embed_and_add(todo, writer, settings, encoder, progress, report)
            report.version = writer.commit(manifest, vectors_to)
        except BaseException:
            writer.abort()
            raise
    report.seconds = time.perf_counter() - started
    return report


def remove_reviews(
    settings: Settings, chosen: Callable[[Review], bool], wait: float = 0
) -> tuple[int, str | None]:
    """Delete the reviews `chosen` picks: a new version without them (nothing embedded).
    Returns how many went and the live version."""
    vectors_to = backend_for(settings)
    store = IndexStore(settings.index_dir, vectors_to)
    with store.lock(wait):
        base, _ = store.live_or_damaged()
        if base is None:
            return 0, None
        writer = store.begin(base, store.catalogue_path(base))
        try:
            gone = [review.review_id for review, _ in writer.reviews() if chosen(review)]
            if not gone:
                writer.abort()
                return 0, base.name
            for review_id in gone:
                writer.delete_review(review_id)
            manifest = {k: base.manifest[k] for k in ("model", "dim", "passage_max_tokens")}
            return len(gone), writer.commit(manifest, vectors_to)
        except BaseException:
            writer.abort()
            raise


def _carry_over(base: VersionInfo | None) -> list[tuple[Review, str]]:
    """On a rebuild, every review already indexed is re-embedded from its stored text."""
    return [(r, content_hash(r)) for r in stored_reviews(base)] if base else []


def _classify(
    reviews: list[Review], writer: VersionWriter, report: IngestReport
) -> list[tuple[Review, str]]:
    by_id, by_hash = writer.hashes()
    batch: dict[str, tuple[Review, str]] = {}
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
                report.warn(
                    Problem(
                        review.source, review.location, f"same review as {owner!r}; stored once"
                    )
                )
            continue
        batch[review.review_id] = (review, digest)
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
            writer.delete_review(review_id)
        else:
            report.added += 1
    return list(batch.values())


def _embed_and_add(
    todo: list[tuple[Review, str]],
    writer: VersionWriter,
    settings: Settings,
    encoder: Encoder,
    progress: Progress,
    report: IngestReport,
) -> None:
    film_of = FilmResolver(writer.catalogue, writer.films_by_title())
    planned: list[tuple[Review, str, str, list[str]]] = []
    texts: list[str] = []
    for review, digest in todo:
        passages = (
            split_passages(review.text, encoder.count_tokens, settings.embedding.passage_max_tokens)
            if review.text.strip()
            else []  # a rating without words: nothing to embed
        )
        planned.append((review, digest, film_of(review), passages))
        texts += passages
    report.films = dict(film_of.counts)
    for problem in film_of.yearless_warnings():
        report.warn(problem)
    progress.on_embed_start(len(texts))
    vectors = encoder.encode(texts, progress=progress.on_embedded)
    report.passages_embedded = len(texts)
    start = 0
    for review, digest, fid, passages in planned:
        writer.add_review(review, fid, digest, passages, vectors[start : start + len(passages)])
        start += len(passages)
