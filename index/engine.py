"""The engine: the one facade the CLI, the chat, the tests and the Discord bot call."""

from __future__ import annotations

import re
import threading
from functools import cached_property
from pathlib import Path

import numpy as np

from config import Settings
from index import filters as F
from index.embed import Encoder
from index.films import director_names, normalize_title
from index.ingest import Progress, ingest
from index.query import ParsedQuery, QueryFilters, QueryParser, Vocabulary
from index.rank import FilmScore, rank_by_rating, top_films
from index.results import FilmDetail, FilmHit, ReviewHit, SearchResult, TitleMatch
from index.snapshot import Snapshot, load_snapshot
from index.snippets import make_snippet
from index.store import IndexMissing, IndexStore
from index.telemetry import METRICS, stage
from index.types import IngestReport

SAMPLE_CORPUS = Path(__file__).with_name("sample_corpus")


class Engine:
    """Thread-safe: each call works on the snapshot that was live when it started, so
    searches keep answering from the previous version while a re-index publishes a new one."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.store = IndexStore(settings.index_dir)
        self._encoder = encoder
        self._snapshot: Snapshot | None = None
        self._parser: QueryParser | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ plumbing
    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = Encoder(self.settings.embedding)
        return self._encoder

    def snapshot(self) -> Snapshot:
        """The live version, reloaded when CURRENT has moved on."""
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
                qdrant = self.settings.qdrant if self.settings.store == "qdrant" else None
                self._snapshot = load_snapshot(info, qdrant, self.settings.search.faiss_params)
                METRICS.index_size(len(self._snapshot.review_ids), self._snapshot.index.ntotal)
                films = self._snapshot.films
                self._parser = QueryParser(Vocabulary(
                    directors={d for f in films for d in director_names(f.director)},
                    cast={c for f in films for c in f.cast},
                ))  # fmt: skip
            return self._snapshot

    @cached_property
    def _empty_parser(self) -> QueryParser:
        return QueryParser()

    def has_index(self) -> bool:
        return self.store.current_name() is not None

    # ------------------------------------------------------------------ writing
    def ingest(
        self, paths: list[Path], progress: Progress | None = None, rebuild: bool = False
    ) -> IngestReport:
        report = ingest(paths, self.settings, self.encoder, progress, rebuild)
        METRICS.reindexed(report.seconds)
        return report

    def default_paths(self) -> list[Path]:
        return list(self.settings.review_paths) or [SAMPLE_CORPUS]

    # ------------------------------------------------------------------ reading
    def parse(self, text: str) -> ParsedQuery:
        """Parse with the directors and cast the live index knows, when there is one."""
        if self.has_index():
            self.snapshot()  # (re)builds the parser's vocabulary for the live version
        with stage("parse"):
            return (self._parser or self._empty_parser).parse(text)

    def search(
        self, query: str | ParsedQuery, limit: int | None = None, offset: int = 0
    ) -> SearchResult:
        snap = self.snapshot()  # also (re)builds the parser for this version
        with stage("parse"):
            parsed = (
                (self._parser or self._empty_parser).parse(query)
                if isinstance(query, str)
                else query
            )
        limit = limit or self.settings.search.page_size
        f = parsed.filters
        with stage("filter"):
            masks = F.masks(snap, f)
        emptied_by, relaxed = None, []
        if not masks.reviews.any() and not f.is_empty() and len(snap.review_ids):
            emptied_by = F.culprit(snap, f)
            # Drop the filter that emptied the result first, then the most specific ones,
            # until something passes.
            order = [emptied_by] if emptied_by else []
            order += [name for name in F.RELAX_ORDER if name != emptied_by]
            for name in order:
                if not masks.reviews.any() and any(n == name for n, _ in f.describe()):
                    f = F.without(f, name)
                    relaxed.append(name)
                    masks = F.masks(snap, f)
        ranked = self._rank(snap, parsed.semantic, masks, f, offset + limit + 1)
        hits = tuple(
            self._hit(snap, s, parsed, masks.reviews) for s in ranked[offset : offset + limit]
        )
        total = masks.n_films
        return SearchResult(
            query=parsed, hits=hits, offset=offset, total=total if not relaxed else 0,
            has_more=len(ranked) > offset + limit,
            emptied_by=emptied_by, relaxed=tuple(relaxed),
        )  # fmt: skip

    def _rank(
        self, snap: Snapshot, semantic: str, masks: F.Masks, f: QueryFilters, n: int
    ) -> list[FilmScore]:
        if not semantic:
            with stage("search"):
                return rank_by_rating(snap, masks.reviews, n)
        with stage("embed"):
            vector = self.encoder.encode([semantic])[0]
        with stage("search"):  # filters were applied as masks before; this is FAISS + BM25
            allowed = None if f.is_empty() else masks.passages
            search = self.settings.search
            lexical = snap.lexical.scores(semantic) if search.lexical_weight > 0 else None
            where = None if f.is_empty() else (f, None)
            return top_films(snap, vector, allowed, n, search.rating_weight, lexical,
                             search.lexical_weight, where)  # fmt: skip

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
                                     snippet.highlight, review.source, review.url))  # fmt: skip
        return FilmHit(snap.films[scored.film_row], scored.score, tuple(reviews))

    def similar(self, title: str, limit: int | None = None, offset: int = 0,
                filters: QueryFilters | None = None) -> tuple[TitleMatch, SearchResult | None]:  # fmt: skip
        """Films whose reviews read most like this film's reviews (centroid of its passages)."""
        snap = self.snapshot()
        match = self.resolve_title(title)
        if match.film is None:
            return match, None
        limit = limit or self.settings.search.page_size
        f = filters or QueryFilters()
        row = snap.film_row[match.film.film_id]
        own = snap.passage_film == row
        vector = np.asarray(snap.vectors[np.flatnonzero(own)]).mean(axis=0)
        vector /= np.linalg.norm(vector) or 1.0
        masks = F.masks(snap, f)
        allowed = masks.passages & ~own
        ranked = top_films(snap, vector, allowed, offset + limit + 1, self.settings.search.rating_weight,
                           where=(f, match.film.film_id))  # fmt: skip
        parsed = ParsedQuery(text=f"like {match.film.title}", filters=f, semantic="")
        hits = tuple(
            self._hit(snap, s, parsed, masks.reviews) for s in ranked[offset : offset + limit]
        )
        total = int(np.count_nonzero(masks.films)) - int(masks.films[row])
        result = SearchResult(query=parsed, hits=hits, offset=offset, total=total,
                              has_more=len(ranked) > offset + limit, similar_to=match.film)  # fmt: skip
        return match, result

    def resolve_title(self, title: str) -> TitleMatch:
        """Fuzzy title lookup. "Ballerina (2023)" or "ballerina 2023" pins the year."""
        from rapidfuzz import fuzz, process

        snap = self.snapshot()
        year = None
        if m := re.search(r"\(?\b((?:18|19|20)\d\d)\)?\s*$", title.strip()):
            year, title = int(m[1]), title[: m.start()].strip() or title
        wanted = normalize_title(title)
        pool = [i for i, f in enumerate(snap.films) if year is None or f.year == year]
        pool = pool or list(range(len(snap.films)))
        films = [snap.films[i] for i in pool]
        choices = {n: snap.title_keys[i] for n, i in enumerate(pool)}  # position in films -> key
        exact = [films[n] for n, key in choices.items() if key == wanted]
        if len(exact) == 1:
            return TitleMatch(title, exact[0], tuple(exact))
        if len(exact) > 1:
            return TitleMatch(
                title, None, tuple(sorted(exact, key=lambda f: f.year or 0)), ambiguous=True
            )
        # Suggestions are ranked leniently; a match must resemble the whole title, or be
        # words found in exactly one title ("fury road").
        found = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=5, score_cutoff=60)
        candidates = tuple(films[i] for _, _, i in found)
        close = [(fuzz.token_sort_ratio(wanted, choices[i]), i) for _, _, i in found]
        close = sorted((c for c in close if c[0] >= 85), reverse=True)
        if close and (len(close) == 1 or close[1][0] < close[0][0] - 3):
            return TitleMatch(title, films[close[0][1]], candidates)
        if len(close) > 1:
            return TitleMatch(title, None, tuple(films[i] for _, i in close), ambiguous=True)
        contained = [
            i for i, name in choices.items() if wanted and set(wanted.split()) <= set(name.split())
        ]
        if len(contained) == 1 and len(wanted) >= 4:
            return TitleMatch(title, films[contained[0]], candidates)
        if len(contained) > 1:
            return TitleMatch(title, None, tuple(films[i] for i in contained[:10]), ambiguous=True)
        return TitleMatch(title, None, candidates)

    def film(self, title: str) -> tuple[TitleMatch, FilmDetail | None]:
        match = self.resolve_title(title)
        if match.film is None:
            return match, None
        snap = self.snapshot()
        stored = snap.reviews(snap.film_review_ids(match.film.film_id))
        reviews = sorted(
            stored.values(),
            key=lambda r: (-(r.rating if r.rating is not None else -1), r.review_id),
        )
        return match, FilmDetail(match.film, tuple(reviews))

    def titles(self) -> list[str]:
        return self.snapshot().title_labels

    def suggest_titles(self, typed: str, limit: int = 25) -> list[str]:
        """Titles for what someone is typing: misspelt whole titles and fragments both work."""
        from rapidfuzz import fuzz, process

        snap = self.snapshot()
        labels, names = snap.title_labels, snap.title_keys
        wanted = normalize_title(typed)
        if not wanted:
            return labels[:limit]

        def score(a: str, b: str, **_: object) -> float:
            return max(fuzz.ratio(a, b), 0.9 * fuzz.partial_ratio(a, b))

        found = process.extract(wanted, names, scorer=score, limit=limit, score_cutoff=50)
        return [labels[i] for _, _, i in found]

    def stats(self) -> dict[str, object]:
        return self.snapshot().counts()
