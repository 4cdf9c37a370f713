"""Ranking: filtered nearest passages (from the vector store), BM25 fused in, aggregated into
films; or, with nothing to match semantically, films by their reviews' ratings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.storage.lexical import Matches
from index.storage.snapshot import Snapshot
from index.storage.vectors import Selection, exact_search


def search_passages(
    snap: Snapshot, vector: np.ndarray, selection: Selection | None, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k (scores, rows) among the selected rows (None: all), best first."""
    count = snap.n_passages if selection is None else selection.count
    if count == 0 or k <= 0:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    if selection is not None and selection.rows_only:
        return exact_search(snap.vectors, vector, selection.rows, min(k, count))
    return snap.vector_index.search(vector, min(k, count), selection)


@dataclass(frozen=True)
class FilmScore:
    film_row: int
    score: float
    # (review row, best passage row, passage score), best first
    reviews: tuple[tuple[int, int, float], ...]


def rating_prior(ratings: np.ndarray, weight: float) -> np.ndarray:
    """A small nudge towards what reviewers liked: weight x (rating - 5) / 5; unrated is neutral."""
    return weight * np.nan_to_num((ratings - 5.0) / 5.0, nan=0.0)


def aggregate(
    snap: Snapshot,
    scores: np.ndarray,
    rows: np.ndarray,
    rating_weight: float = 0.0,
    evidence_weight: float = 0.0,
) -> list[FilmScore]:
    """Passages -> films: a review scores as its best passage (plus the rating prior), a film
    as its best review. We recommend films, so a rave outranks an equally close pan."""
    per_film: dict[int, dict[int, tuple[int, float]]] = {}
    review_rows = snap.passage_review[rows]
    prior = rating_prior(snap.review_rating[review_rows], rating_weight)
    films = np.asarray(snap.review_film)[review_rows].tolist()
    for score, row, review, film, nudge in zip(
        scores.tolist(), rows.tolist(), review_rows.tolist(), films, prior.tolist(), strict=True
    ):
        reviews = per_film.setdefault(film, {})
        # Passages come best first and the nudge is the same for all of a review's passages,
        # so a review's first passage is its best.
        if review not in reviews:
            reviews[review] = (row, score + nudge)
    out = []
    for film, reviews in per_film.items():
        ordered = sorted(((r, p, s) for r, (p, s) in reviews.items()), key=lambda t: -t[2])
        # Evidence adds up: the next two reviews that match count a little too, so a film
        # several reviews describe so outranks one a single review happens to.
        score = ordered[0][2] + evidence_weight * sum(s for _, _, s in ordered[1:3])
        out.append(FilmScore(film, score, tuple(ordered)))
    out.sort(key=lambda f: -f.score)
    return out


def fuse(
    snap: Snapshot,
    vector: np.ndarray,
    dense: tuple[np.ndarray, np.ndarray],
    lexical: Matches,
    selection: Selection | None,
    k: int,
    weight: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Dense top-k and BM25 top-k (among the selected rows) merged; each passage scores
    cosine + weight x BM25 / (best BM25 among the selected). Best first. Only the passages
    the question's stems occur in are looked at, never a score per passage."""
    matches = lexical.within(selection.rows if selection is not None else None)
    if not len(matches.rows):
        return dense
    best = float(matches.scores.max())
    k = min(k, len(matches.rows))
    lex_rows = matches.rows[np.argpartition(-matches.scores, k - 1)[:k]]
    rows = np.union1d(dense[1], lex_rows)
    sims = np.asarray(snap.vectors[rows]) @ vector
    fused = sims + weight * matches.at(rows) / best
    order = np.argsort(-fused, kind="stable")
    return fused[order].astype(np.float32), rows[order]


def top_films(
    snap: Snapshot,
    vector: np.ndarray,
    selection: Selection | None,
    n_films: int,
    rating_weight: float = 0.0,
    lexical: Matches | None = None,
    lexical_weight: float = 0.0,
    evidence_weight: float = 0.0,
) -> list[FilmScore]:
    """Enough passages to fill `n_films` distinct films, widening the search until it does.
    With `lexical` (the question's BM25 matches) and a weight, dense and lexical hits are
    fused."""
    total = snap.n_passages if selection is None else selection.count
    k = max(64, n_films * 8)
    while True:
        scores, rows = search_passages(snap, vector, selection, k)
        if lexical is not None and lexical_weight > 0:
            scores, rows = fuse(snap, vector, (scores, rows), lexical, selection, k, lexical_weight)
        films = aggregate(snap, scores, rows, rating_weight, evidence_weight)
        if len(films) >= n_films or k >= total:
            return films
        k *= 4


def rank_by_rating(snap: Snapshot, reviews: np.ndarray, n_films: int) -> list[FilmScore]:
    """With nothing to match semantically, films rank by their best passing review rating,
    then by how many reviews pass, then by title. Vectorised; builds only `n_films` results."""
    rows = np.flatnonzero(reviews)
    if not len(rows):
        return []
    ratings = np.nan_to_num(snap.review_rating[rows], nan=-1.0)
    films = snap.review_film[rows]
    order = np.lexsort((-ratings, films))  # by film, best review first
    rows, ratings, films = rows[order], ratings[order], films[order]
    starts = np.flatnonzero(np.r_[True, films[1:] != films[:-1]])
    counts = np.diff(np.r_[starts, len(films)])
    best, film_rows = ratings[starts], films[starts]
    ranked = np.lexsort((snap.film_title_rank[film_rows], -counts, -best))[:n_films]
    out = []
    for i in ranked.tolist():
        start, count = int(starts[i]), int(counts[i])
        scored = tuple(
            (int(r), -1, max(float(x), 0.0) / 10)
            for r, x in zip(
                rows[start : start + count].tolist(),
                ratings[start : start + count].tolist(),
                strict=True,
            )
        )
        out.append(FilmScore(int(film_rows[i]), max(float(best[i]), 0.0) / 10, scored))
    return out
