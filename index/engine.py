"""The engine: the one facade the CLI, the chat, the tests and the Discord bot call."""

from __future__ import annotations

import contextlib
import threading
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
from index.errors import IndexDamaged, IndexMissing
from index.ingest import Progress, index_manifest, ingest
from index.results import FilmDetail, FilmHit, ReviewHit, SearchResult, TitleMatch
from index.storage.snapshot import Snapshot, open_snapshot
from index.storage.vectors import Selection, VectorBackend, backend_for
from index.storage.versions import IndexStore
from index.telemetry import METRICS, stage
from index.types import Ignored, IngestReport, ParsedQuery, QueryFilters

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
        self._lock = threading.Lock()
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
                info = self.store.current()
                assert info is not None
                self._snapshot = open_snapshot(info, self.vectors)
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
            with self._lock:
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
    ) -> IngestReport:
        """Index new and changed reviews. `rating_scale`: what bare-number ratings are out
        of, for files that do not say."""
        report = ingest(paths, self.settings, self.encoder, progress, rebuild, rating_scale)
        METRICS.reindexed(report.seconds)
        return report

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
        return import_catalogue(paths, self.settings, self._new_manifest, progress, tmdb)

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
        self, query: str | ParsedQuery, limit: int | None = None, offset: int = 0
    ) -> SearchResult:
        snap = self.snapshot()
        if isinstance(query, str):
            with stage("parse"):
                query = QueryParser(snap.people, snap.titles).parse(query)
        query = usable(snap, query)
        limit = limit or query.limit or self.settings.search.page_size
        if query.like:
            return self._more_like(snap, query, limit, offset)
        filters = query.filters
        with stage("filter"):
            masks = masks_for(snap, filters)
        emptied_by, relaxed = None, ()
        if not masks.reviews.any() and not filters.is_empty() and len(snap.review_ids):
            widened = relax(snap, filters, masks)
            filters, masks = widened.filters, widened.masks
            emptied_by, relaxed = widened.emptied_by, widened.dropped
        ranked = self._rank(snap, query.semantic, masks, filters, offset + limit + 1)
        if query.title and (named := self._named(snap, query.title, masks)) is not None:
            ranked = [named, *(s for s in ranked if s.film_row != named.film_row)]
            if not query.semantic and filters.is_empty():  # the film alone: then films like it
                ranked = [named, *self._like_ranked(snap, named.film_row, masks, filters,
                                                    offset + limit)]  # fmt: skip
        hits = tuple(
            self._hit(snap, s, query, masks.reviews) for s in ranked[offset : offset + limit]
        )
        return SearchResult(
            query=query, hits=hits, offset=offset, total=masks.n_films if not relaxed else 0,
            has_more=len(ranked) > offset + limit, emptied_by=emptied_by, relaxed=relaxed,
        )  # fmt: skip

    def _named(self, snap: Snapshot, title: str, masks: Masks) -> FilmScore | None:
        """The film a question names, to show first, with its reviews best rated first."""
        film = snap.titles.resolve(title).film
        if film is None:
            return None
        row = snap.film_row[film.film_id]
        own = snap.review_film == row
        passing = own & masks.reviews if (own & masks.reviews).any() else own
        ranked = rank_by_rating(snap, passing, 1)
        return ranked[0] if ranked else None

    def _like_ranked(
        self, snap: Snapshot, row: int, masks: Masks, filters: QueryFilters, n: int
    ) -> list[FilmScore]:
        """Films whose passages are nearest the centroid of film `row`'s passages."""
        own = snap.passage_film == row
        if not own.any():  # only ratings, no words to compare
            return []
        vector = np.asarray(snap.vectors[np.flatnonzero(own)]).mean(axis=0)
        vector /= np.linalg.norm(vector) or 1.0
        selection = Selection(masks.passages & ~own, filters, exclude_film=snap.films[row].film_id)
        return top_films(snap, vector, selection, n, self.settings.search.rating_weight)

    def _more_like(
        self, snap: Snapshot, query: ParsedQuery, limit: int, offset: int
    ) -> SearchResult:
        """ "More like Heat": the film's neighbours, within the question's filters; a film the
        index does not know means nothing found, and the answer says why."""
        assert query.like is not None
        match = snap.titles.resolve(query.like)
        if match.film is None:
            why = ("several films have that title: add the year" if match.ambiguous
                   else "no film of that title in the index")  # fmt: skip
            missing = query.model_copy(
                update={"ignored": [*query.ignored, Ignored(phrase=query.like, why=why)]}
            )
            return SearchResult(query=missing, hits=(), offset=offset, total=0, has_more=False)
        _, result = self.similar(match.film.title if not match.film.year else match.film.label,
                                 limit, offset, query.filters)  # fmt: skip
        assert result is not None
        return SearchResult(query=query, hits=result.hits, offset=offset, total=result.total,
                            has_more=result.has_more, similar_to=match.film)  # fmt: skip

    def _rank(
        self, snap: Snapshot, semantic: str, masks: Masks, filters: QueryFilters, n: int
    ) -> list[FilmScore]:
        if not semantic:
            with stage("search"):
                return rank_by_rating(snap, masks.reviews, n)
        with stage("embed"):
            vector = self.encoder.encode([semantic])[0]
        with stage("search"):  # the filters were turned into masks before; this is the search
            selection = None if filters.is_empty() else Selection(masks.passages, filters)
            search = self.settings.search
            lexical = snap.lexical.scores(semantic) if search.lexical_weight > 0 else None
            return top_films(snap, vector, selection, n, search.rating_weight, lexical,
                             search.lexical_weight)  # fmt: skip

    def _hit(
        self, snap: Snapshot, scored: FilmScore, parsed: ParsedQuery, passing: np.ndarray
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
            reviews.append(ReviewHit(review_id, review.reviewer, review.rating, snippet.text,
                                     snippet.spans, review.source, review.url))  # fmt: skip
        return FilmHit(snap.films[scored.film_row], scored.score, tuple(reviews))

    def similar(self, title: str, limit: int | None = None, offset: int = 0,
                filters: QueryFilters | None = None) -> tuple[TitleMatch, SearchResult | None]:  # fmt: skip
        """Films whose reviews read most like this film's reviews (centroid of its passages)."""
        snap = self.snapshot()
        match = snap.titles.resolve(title)
        if match.film is None:
            return match, None
        limit = limit or self.settings.search.page_size
        filters = filters or QueryFilters()
        row = snap.film_row[match.film.film_id]
        masks = masks_for(snap, filters)
        ranked = self._like_ranked(snap, row, masks, filters, offset + limit + 1)
        parsed = ParsedQuery(text=f"like {match.film.title}", filters=filters, semantic="")
        hits = tuple(
            self._hit(snap, s, parsed, masks.reviews) for s in ranked[offset : offset + limit]
        )
        total = int(np.count_nonzero(masks.films)) - int(masks.films[row])
        result = SearchResult(query=parsed, hits=hits, offset=offset, total=total,
                              has_more=len(ranked) > offset + limit, similar_to=match.film)  # fmt: skip
        return match, result

    def resolve_title(self, title: str) -> TitleMatch:
        """Fuzzy title lookup. "Ballerina (2023)" or "ballerina 2023" pins the year."""
        return self.snapshot().titles.resolve(title)

    def film(self, title: str) -> tuple[TitleMatch, FilmDetail | None]:
        snap = self.snapshot()
        match = snap.titles.resolve(title)
        if match.film is None:
            return match, None
        stored = snap.reviews(snap.film_review_ids(match.film.film_id))
        reviews = sorted(
            stored.values(),
            key=lambda r: (-(r.rating if r.rating is not None else -1), r.review_id),
        )
        return match, FilmDetail(match.film, tuple(reviews))

    def titles(self) -> list[str]:
        return self.snapshot().titles.labels

    def suggest_titles(self, typed: str, limit: int = 25, *, wait: bool = True) -> list[str]:
        """Titles for what someone is typing. With `wait=False` (an event loop), from the
        version already in memory, and none while the first one is still being opened."""
        snap = self.snapshot() if wait else self.loaded()
        return snap.titles.suggest(typed, limit) if snap is not None else []

    def stats(self) -> dict[str, object]:
        return self.snapshot().counts()
