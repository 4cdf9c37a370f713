"""The engine: the one facade the CLI, the chat, the tests and the Discord bot call."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import uuid
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import numpy as np

from config import Settings
from index.answering.coverage import usable
from index.answering.masks import Masks, masks_for, relax
from index.answering.question import QueryParser
from index.answering.rank import FilmScore, rank_by_rating, top_films
from index.answering.snippets import make_snippet
from index.cataloguing import CatalogueImport, CatalogueProgress, import_catalogue
from index.embedding.encoder import Encoder
from index.errors import IndexDamaged, IndexMissing, NotYours
from index.ingest import (
    Progress,
    in_library,
    index_manifest,
    ingest,
    remove_reviews,
    write_reviews,
)
from index.knowledge.film_names import split_film_name
from index.libraries import Leaves
from index.reading.readers import ReadResult, build_review
from index.results import FilmDetail, FilmHit, ReviewHit, SearchResult, TitleMatch
from index.storage.snapshot import Snapshot, open_snapshot
from index.storage.vectors import Selection, VectorBackend, backend_for
from index.storage.versions import IndexStore
from index.telemetry import METRICS, stage
from index.types import (
    BASE_LIBRARY,
    Ignored,
    IngestReport,
    ParsedQuery,
    QueryFilters,
    Review,
    StoredReview,
)

SAMPLE_CORPUS = Path(__file__).with_name("sample_corpus")
SAMPLE_CATALOGUE = Path(__file__).with_name("sample_catalogue") / "films.csv"


class Engine:
    """Thread-safe: each call works on the snapshot that was live when it started, so
    searches keep answering from the previous version while a re-index publishes a new one."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.store = IndexStore(settings.index_dir)
        self.vectors: VectorBackend = backend_for(settings)
        self._encoder = encoder
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()  # held while a version opens
        self._starting = threading.Lock()  # held only to start the background opener
        self._loading: threading.Thread | None = None

    # ------------------------------------------------------------------ plumbing
    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = Encoder(self.settings.embedding)
        return self._encoder

    def snapshot(self) -> Snapshot:
        """The live version, opened (in this thread) when CURRENT has moved on."""
        name = self.store.current_name()
        if name is None:
            raise IndexMissing(
                f"no index at {self.settings.index_dir}; run `cinebot ingest PATH` first"
            )
        snap = self._snapshot
        if snap is not None and snap.name == name:
            return snap
        with self._lock:
            if self._snapshot is None or self._snapshot.name != name:
                held = self.store.hold_live()
                if held is None:
                    raise IndexMissing(f"no index at {self.settings.index_dir}")
                info, lease = held
                self._snapshot = open_snapshot(info, self.vectors, lease)
                METRICS.index_size(len(self._snapshot.review_ids), self._snapshot.n_passages)
            return self._snapshot

    def loaded(self) -> Snapshot | None:
        """The version in memory now, never opened here: for callers that must not wait (an
        event loop). When a newer version is live, it is opened in a background thread and
        the next call gets it."""
        snap = self._snapshot
        try:
            live = self.store.current_name()
        except IndexDamaged:
            return snap  # a search will say what is wrong
        if (snap is None or snap.name != live) and live is not None:
            # Not `_lock`: that one is held for as long as a version takes to open.
            with self._starting:
                if self._loading is None or not self._loading.is_alive():
                    self._loading = threading.Thread(
                        target=self._open_quietly, name="cinebot-open", daemon=True
                    )
                    self._loading.start()
        return snap

    def _open_quietly(self) -> None:
        with contextlib.suppress(IndexMissing, IndexDamaged):  # a search will report it
            self.snapshot()

    def has_index(self) -> bool:
        """Whether there is an index here at all (a damaged one counts: opening it says so)."""
        try:
            return self.store.current_name() is not None
        except IndexDamaged:
            return True

    # ------------------------------------------------------------------ writing
    def ingest(
        self,
        paths: list[Path],
        progress: Progress | None = None,
        rebuild: bool = False,
        rating_scale: float | None = None,
        library: str = BASE_LIBRARY,
    ) -> IngestReport:
        """Index new and changed reviews into `library` (the base library, or a server's).
        `rating_scale`: what bare-number ratings are out of, for files that do not say."""
        try:
            report = ingest(
                paths, self.settings, self.encoder, progress, rebuild, rating_scale, library
            )
        finally:
            self._let_go()
        METRICS.reindexed(report.seconds)
        return report

    def _let_go(self) -> None:
        """After a write, an engine that serves (holds a version) opens the new one in the
        background and then lets the old one go, so that a later commit can collect it
        once the searches still using it have finished."""
        if self._snapshot is not None:
            self.loaded()

    # ------------------------------------------------------------------ libraries
    def post_review(
        self,
        library: str,
        user_id: str | int,
        reviewer: str | None,
        title: str,
        rating: str | float | None,
        text: str,
        review_id: str | None = None,
    ) -> tuple[str, IngestReport]:
        """A member's own review, filed in their server's library: one small commit (embedding
        one review), not a re-index. With `review_id` (theirs), it replaces that review.
        Raises ValueError saying what is wrong with it (no text or rating, a rating off its
        scale)."""
        most = self.settings.libraries.review_max_chars
        if not text.strip() and rating in (None, ""):
            raise ValueError("a review needs some words, a rating, or both")
        if len(text) > most:
            raise ValueError(f"the review is {len(text)} characters long; the limit is {most}")
        if review_id is not None:
            self._own(library, user_id, review_id)
        name, year = title, None
        if self.has_index():
            snap = self.snapshot()
            known = snap.titles.resolve(title, snap.visible_films(library)).film
            if known is not None:
                name, year = known.title, known.year
        if year is None and (written := split_film_name(title)).year:
            name, year = written.title, written.year
        read = ReadResult()
        record = {"title": name, "year": year, "rating": rating, "text": text, "reviewer": reviewer}
        read.add(build_review(record, "discord", "", self.settings.ingest))
        if read.rejected:
            raise ValueError(read.rejected[0].reason)
        if rating not in (None, "") and read.reviews[0].rating is None:
            raise ValueError(
                f"the rating {str(rating)[:20]!r} was not understood: give 0-10, 4/5 or ★★★★"
            )
        rid = review_id or f"{library}/member-{user_id}-{uuid.uuid4().hex[:10]}"
        review = in_library(read.reviews[0], library).model_copy(
            update={"review_id": rid, "user_id": str(user_id), "source": "discord"}
        )
        try:
            report = write_reviews(
                [review],
                self.settings,
                self.encoder,
                IngestReport(warnings=read.warnings),
                wait=self.settings.libraries.write_wait_seconds,
            )
        finally:
            self._let_go()
        METRICS.reindexed(report.seconds)
        return rid, report

    def _own(self, library: str, user_id: str | int, review_id: str) -> None:
        mine = self.library_reviews(library, user_id)
        if review_id not in {r.review_id for r in mine}:
            raise NotYours("that review is not one of yours in this server")

    def library_reviews(
        self,
        library: str,
        user_id: str | int | None = None,
        matching: str = "",
        limit: int | None = None,
        *,
        wait: bool = True,
    ) -> list[StoredReview]:
        """A library's reviews, the latest first: one member's (`user_id`), those whose title
        or reviewer contains `matching`, at most `limit`. With `wait=False` (an event loop:
        autocomplete), from the version already in memory."""
        if not self.has_index():
            return []
        snap = self.snapshot() if wait else self.loaded()
        if snap is None:
            return []
        user = None if user_id is None else str(user_id)
        return snap.library_reviews(library, user, matching, limit)

    def export_library(self, library: str) -> str:
        """A library as JSONL, one review a line, in the record format `cinebot ingest` reads."""
        lines = []
        for r in reversed(self.library_reviews(library)):  # oldest first, as written
            record = {
                "id": r.review_id.removeprefix(f"{library}/"),
                "title": r.title,
                "year": r.year,
                "rating": r.rating,
                "reviewer": r.reviewer,
                "text": r.text,
                "date": r.date,
                "url": r.url,
                "user_id": r.user_id,
            }
            lines.append(
                json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)
            )
        return "\n".join(lines) + ("\n" if lines else "")

    def delete_reviews(
        self,
        library: str | None = None,
        review_ids: list[str] | None = None,
        user_id: str | int | None = None,
    ) -> int:
        """Delete reviews: of one library (all of it, these ids, or one member's), or with
        `library` None one member's everywhere. Nothing else is touched; nothing embedded."""
        if library is None and user_id is None:
            raise ValueError("say whose reviews: a library, a member, or both")
        wanted = set(review_ids or ())
        user = None if user_id is None else str(user_id)

        def chosen(review: Review) -> bool:
            return (
                (library is None or review.library == library)
                and (user is None or review.user_id == user)
                and (not wanted or review.review_id in wanted)
            )

        try:
            gone, _ = remove_reviews(
                self.settings, chosen, self.settings.libraries.write_wait_seconds
            )
        finally:
            self._let_go()
        return gone

    def left(self, library: str, when: dt.datetime | None = None) -> None:
        """The bot left this server: its library is kept `libraries.keep_days` days, then
        purged (`purge_expired`). Coming back cancels it."""
        self._leaves.update(library, (when or dt.datetime.now(dt.UTC)).isoformat())

    def came_back(self, library: str) -> None:
        self._leaves.update(library, None)

    def leaving(self) -> dict[str, str]:
        """The libraries of servers the bot has left, and when (ISO time)."""
        return self._leaves.read()

    def purge(self, library: str) -> int:
        """Delete a server's library now; returns how many reviews went."""
        gone = self.delete_reviews(library=library)
        self._leaves.update(library, None)
        return gone

    def purge_expired(self, now: dt.datetime | None = None) -> list[str]:
        """Purge the libraries of servers left more than `libraries.keep_days` days ago."""
        now = now or dt.datetime.now(dt.UTC)
        keep = dt.timedelta(days=self.settings.libraries.keep_days)
        purged = []
        for library, when in self.leaving().items():
            if now - dt.datetime.fromisoformat(when) >= keep:
                self.purge(library)
                purged.append(library)
        return purged

    @cached_property
    def _leaves(self) -> Leaves:
        return Leaves(self.settings.index_dir / "libraries-left.json")

    def default_paths(self) -> list[Path]:
        return list(self.settings.review_paths) or [SAMPLE_CORPUS]

    def default_catalogue_paths(self) -> list[Path]:
        """The configured catalogue; with neither reviews nor a catalogue configured, the
        sample catalogue of the sample corpus's films."""
        if self.settings.catalogue_paths:
            return list(self.settings.catalogue_paths)
        return [] if self.settings.review_paths else [SAMPLE_CATALOGUE]

    def import_catalogue(
        self, paths: list[Path], progress: CatalogueProgress | None = None, tmdb: bool = True
    ) -> CatalogueImport:
        """Import film knowledge and file every indexed review under the film it names; with
        `tmdb` and a key, TMDB fills what the catalogue lacks. Nothing is embedded."""
        try:
            return import_catalogue(paths, self.settings, self._new_manifest, progress, tmdb)
        finally:
            self._let_go()

    def _new_manifest(self) -> dict[str, object]:
        return index_manifest(self.settings, self.encoder)

    # ------------------------------------------------------------------ reading
    def parser(self) -> QueryParser:
        """The question parser for the live version (the people it knows); without an index,
        one that knows nobody."""
        if not self.has_index():
            return QueryParser()
        snap = self.snapshot()
        return QueryParser(snap.people, snap.titles)

    def parse(self, text: str) -> ParsedQuery:
        parser = self.parser()
        with stage("parse"):
            return parser.parse(text)

    def search(
        self,
        query: str | ParsedQuery,
        limit: int | None = None,
        offset: int = 0,
        library: str | None = None,
    ) -> SearchResult:
        """Films for a question. `library` is the server asking ("guild:<id>"): it sees the
        base library and its own, never another server's; None sees the base library."""
        snap = self.snapshot()
        if isinstance(query, str):
            with stage("parse"):
                query = QueryParser(snap.people, snap.titles).parse(query)
        query = usable(snap, query)
        limit = limit or query.limit or self.settings.search.page_size
        if query.like:
            return self._more_like(snap, query, limit, offset, library)
        filters = query.filters
        with stage("filter"):
            masks = masks_for(snap, filters, library)
        emptied_by, relaxed = None, ()
        if not masks.reviews.any() and not filters.is_empty() and snap.visible(library).any():
            widened = relax(snap, filters, masks, library)
            filters, masks = widened.filters, widened.masks
            emptied_by, relaxed = widened.emptied_by, widened.dropped
        ranked = self._rank(snap, query.semantic, masks, filters, offset + limit + 1, library)
        if query.title and (named := self._named(snap, query.title, masks, library)) is not None:
            ranked = [named, *(s for s in ranked if s.film_row != named.film_row)]
            if not query.semantic and filters.is_empty():  # the film alone: then films like it
                ranked = [
                    named,
                    *self._like_ranked(
                        snap, named.film_row, masks, filters, offset + limit, library
                    ),
                ]
        hits = tuple(
            self._hit(snap, s, query, masks.reviews, library)
            for s in ranked[offset : offset + limit]
        )
        return SearchResult(
            query=query,
            hits=hits,
            offset=offset,
            total=masks.n_films if not relaxed else 0,
            has_more=len(ranked) > offset + limit,
            emptied_by=emptied_by,
            relaxed=relaxed,
        )

    def _named(
        self, snap: Snapshot, title: str, masks: Masks, library: str | None
    ) -> FilmScore | None:
        """The film a question names, to show first, with its reviews best rated first."""
        film = snap.titles.resolve(title, snap.visible_films(library)).film
        if film is None:
            return None
        row = snap.film_row[film.film_id]
        own = (snap.review_film == row) & snap.visible(library)
        passing = own & masks.reviews if (own & masks.reviews).any() else own
        ranked = rank_by_rating(snap, passing, 1)
        return ranked[0] if ranked else None

    def _like_ranked(
        self,
        snap: Snapshot,
        row: int,
        masks: Masks,
        filters: QueryFilters,
        n: int,
        library: str | None,
    ) -> list[FilmScore]:
        """Films whose passages are nearest the centroid of film `row`'s passages (those the
        place may see)."""
        own = (snap.passage_film == row) & snap.visible(library)[snap.passage_review]
        if not own.any():  # only ratings, no words to compare
            return []
        vector = np.asarray(snap.vectors[np.flatnonzero(own)]).mean(axis=0)
        vector /= np.linalg.norm(vector) or 1.0
        selection = Selection(
            masks.passages & ~own,
            filters,
            exclude_film=snap.films[row].film_id,
            libraries=_libraries(library),
        )
        return top_films(snap, vector, selection, n, self.settings.search.rating_weight)

    def _more_like(
        self, snap: Snapshot, query: ParsedQuery, limit: int, offset: int, library: str | None
    ) -> SearchResult:
        """ "More like Heat": the film's neighbours, within the question's filters; a film the
        index does not know means nothing found, and the answer says why."""
        assert query.like is not None
        match = snap.titles.resolve(query.like, snap.visible_films(library))
        if match.film is None:
            why = (
                "several films have that title: add the year"
                if match.ambiguous
                else "no film of that title in the index"
            )
            missing = query.model_copy(
                update={"ignored": [*query.ignored, Ignored(phrase=query.like, why=why)]}
            )
            return SearchResult(query=missing, hits=(), offset=offset, total=0, has_more=False)
        _, result = self.similar(match.film.label, limit, offset, query.filters, library)
        assert result is not None
        return SearchResult(
            query=query,
            hits=result.hits,
            offset=offset,
            total=result.total,
            has_more=result.has_more,
            similar_to=match.film,
        )

    def _rank(
        self,
        snap: Snapshot,
        semantic: str,
        masks: Masks,
        filters: QueryFilters,
        n: int,
        library: str | None,
    ) -> list[FilmScore]:
        if not semantic:
            with stage("search"):
                return rank_by_rating(snap, masks.reviews, n)
        with stage("embed"):
            vector = self.encoder.encode_query(semantic)
        with stage("search"):  # the filters were turned into masks before; this is the search
            everything = filters.is_empty() and len(snap.libraries) == 1
            selection = (
                None
                if everything
                else Selection(masks.passages, filters, libraries=_libraries(library))
            )
            search = self.settings.search
            lexical = snap.lexical.match(semantic) if search.lexical_weight > 0 else None
            return top_films(
                snap, vector, selection, n, search.rating_weight, lexical, search.lexical_weight
            )

    def _hit(
        self,
        snap: Snapshot,
        scored: FilmScore,
        parsed: ParsedQuery,
        passing: np.ndarray,
        library: str | None,
    ) -> FilmHit:
        per_film = self.settings.search.reviews_per_film
        chosen = [(r, p) for r, p, _ in scored.reviews if passing[r]][:per_film]
        review_ids = [snap.review_ids[r] for r, _ in chosen]
        stored = snap.reviews(review_ids)
        # Rating-ranked hits carry no passage: show the passage that best fits the question.
        rows = [p for _, p in chosen if p >= 0]
        texts = snap.passage_texts(rows) if rows else {}
        question = parsed.semantic or parsed.text
        reviews = []
        for (_r, p), review_id in zip(chosen, review_ids, strict=True):
            review = stored[review_id]
            passage = texts.get(p) or review.text
            snippet = make_snippet(passage, question, self.settings.search.snippet_chars)
            reviews.append(
                ReviewHit(
                    review_id,
                    review.reviewer,
                    review.rating,
                    snippet.text,
                    snippet.spans,
                    review.source,
                    review.url,
                )
            )
        film = snap.films[scored.film_row]
        if len(snap.libraries) > 1:  # count only the reviews this place may see
            film = replace(film, n_reviews=int(snap.visible_counts(library)[scored.film_row]))
        return FilmHit(film, scored.score, tuple(reviews))

    def similar(
        self,
        title: str,
        limit: int | None = None,
        offset: int = 0,
        filters: QueryFilters | None = None,
        library: str | None = None,
    ) -> tuple[TitleMatch, SearchResult | None]:
        """Films whose reviews read most like this film's reviews (centroid of its passages)."""
        snap = self.snapshot()
        match = snap.titles.resolve(title, snap.visible_films(library))
        if match.film is None:
            return match, None
        limit = limit or self.settings.search.page_size
        filters = filters or QueryFilters()
        row = snap.film_row[match.film.film_id]
        masks = masks_for(snap, filters, library)
        ranked = self._like_ranked(snap, row, masks, filters, offset + limit + 1, library)
        parsed = ParsedQuery(text=f"like {match.film.title}", filters=filters, semantic="")
        hits = tuple(
            self._hit(snap, s, parsed, masks.reviews, library)
            for s in ranked[offset : offset + limit]
        )
        total = int(np.count_nonzero(masks.films)) - int(masks.films[row])
        result = SearchResult(
            query=parsed,
            hits=hits,
            offset=offset,
            total=total,
            has_more=len(ranked) > offset + limit,
            similar_to=match.film,
        )
        return match, result

    def resolve_title(self, title: str, library: str | None = None) -> TitleMatch:
        """Fuzzy title lookup. "Ballerina (2023)" or "ballerina 2023" pins the year."""
        snap = self.snapshot()
        return snap.titles.resolve(title, snap.visible_films(library))

    def film(self, title: str, library: str | None = None) -> tuple[TitleMatch, FilmDetail | None]:
        """One film and every review of it the place may see."""
        snap = self.snapshot()
        match = snap.titles.resolve(title, snap.visible_films(library))
        if match.film is None:
            return match, None
        stored = snap.reviews(snap.film_review_ids(match.film.film_id, library))
        reviews = sorted(
            stored.values(),
            key=lambda r: (-(r.rating if r.rating is not None else -1), r.review_id),
        )
        film = replace(match.film, n_reviews=len(reviews))
        return match, FilmDetail(film, tuple(reviews))

    def titles(self, library: str | None = None) -> list[str]:
        snap = self.snapshot()
        visible = snap.visible_films(library)
        return [label for label, seen in zip(snap.titles.labels, visible, strict=True) if seen]

    def suggest_titles(
        self,
        typed: str,
        limit: int = 25,
        *,
        wait: bool = True,
        library: str | None = None,
        catalogue: bool = False,
    ) -> list[str]:
        """Titles for what someone is typing, among the films the place may see (and, with
        `catalogue`, films of the catalogue no review names yet, for a new review). With
        `wait=False` (an event loop), from the version already in memory, and none while the
        first one is still being opened."""
        snap = self.snapshot() if wait else self.loaded()
        if snap is None:
            return []
        found = snap.titles.suggest(typed, limit, snap.visible_films(library))
        if catalogue and len(found) < limit:
            with snap.lock:
                more = snap.catalogue.starting_with(typed, limit)
            labels = (f"{title} ({year})" if year else title for title, year in more)
            found += [label for label in labels if label not in found][: limit - len(found)]
        return found

    def stats(self, library: str | None = None, everything: bool = False) -> dict[str, object]:
        """Counts of what a place sees (or, with `everything`, of all libraries)."""
        return self.snapshot().counts(library, everything)


def _libraries(library: str | None) -> tuple[str, ...]:
    """The libraries a place may see, for stores that filter by payload."""
    return (BASE_LIBRARY, library) if library and library != BASE_LIBRARY else (BASE_LIBRARY,)
