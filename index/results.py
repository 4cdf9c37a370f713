"""What the engine answers with: small frozen dataclasses, and the stable JSON contract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from index.types import Film, ParsedQuery, StoredReview


@dataclass(frozen=True)
class ReviewHit:
    review_id: str
    reviewer: str | None
    rating: float | None
    snippet: str
    spans: tuple[tuple[int, int], ...]  # words of the snippet that match the question
    source: str
    url: str | None = None


@dataclass(frozen=True)
class FilmHit:
    film: Film
    score: float
    reviews: tuple[ReviewHit, ...]

    @property
    def rating(self) -> float | None:
        rated = [r.rating for r in self.reviews if r.rating is not None]
        return max(rated) if rated else None


@dataclass(frozen=True)
class SearchResult:
    query: ParsedQuery
    hits: tuple[FilmHit, ...]
    offset: int
    total: int  # films passing every filter
    has_more: bool
    # When nothing passed every filter: which filter emptied it, and that hits are relaxed.
    emptied_by: str | None = None
    relaxed: tuple[str, ...] = ()
    similar_to: Film | None = None
    per_page: int = 0  # films a page holds (what was asked, or the page size): for paging
    # Films passing the filters left out, their reviewers having panned them; -1: every film
    # that passes is panned, and shown.
    panned: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The `--json` contract of `cinebot search`."""
        return {
            "query": self.query.text,
            "filters": self.query.filters.model_dump(),
            "semantic": self.query.semantic,
            "offset": self.offset,
            "total": self.total,
            "has_more": self.has_more,
            "emptied_by": self.emptied_by,
            "relaxed": list(self.relaxed),
            "similar_to": self.similar_to.film_id if self.similar_to else None,
            # Additions: how many films were asked for, a film named or wanted more like, and
            # the parts of the question that were understood but could not be used, and why.
            "limit": self.query.limit,
            "like": self.query.like,
            "title": self.query.title,
            "ignored": [i.model_dump(exclude_defaults=True) for i in self.query.ignored],
            "panned": self.panned,  # films that pass left out as panned (-1: all shown are)
            "results": [
                {
                    "film_id": h.film.film_id,
                    "title": h.film.title,
                    "year": h.film.year,
                    "countries": list(h.film.countries),
                    "genres": list(h.film.genres),
                    "director": h.film.director,
                    "rating": h.rating,
                    "score": round(h.score, 4),
                    "reviews": [
                        {
                            "review_id": r.review_id,
                            "reviewer": r.reviewer,
                            "rating": r.rating,
                            "snippet": r.snippet,
                            "source": r.source,
                        }
                        for r in h.reviews
                    ],
                }
                for h in self.hits
            ],
        }


@dataclass(frozen=True)
class TitleMatch:
    """A fuzzy title lookup: one film, or why not (ambiguous / not found) with candidates."""

    query: str
    film: Film | None
    candidates: tuple[Film, ...] = ()
    ambiguous: bool = False  # several films fit equally well; candidates lists them


@dataclass(frozen=True)
class FilmDetail:
    film: Film
    reviews: tuple[StoredReview, ...]

    def to_dict(self) -> dict[str, Any]:
        """The film's facts, where each came from (`sources`: review, catalogue:<name> or
        prose), and every review."""
        facts = {k: list(v) if isinstance(v, tuple) else v for k, v in self.film.__dict__.items()}
        return {
            **facts,
            "sources": dict(self.film.sources),
            "reviews": [r.__dict__ for r in self.reviews],
        }
