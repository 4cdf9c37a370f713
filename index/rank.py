"""Filtered nearest-neighbour search over passages, aggregated into films.

Filters are a bitmap selector inside the FAISS search, so a filter that leaves 0.1% of the
passages still returns their true nearest neighbours. For approximate index types a very
selective filter is answered by exact search over just the allowed rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from index.qdrant_store import payload_filter
from index.query import QueryFilters
from index.snapshot import Snapshot

EXACT_BELOW = 20_000  # allowed passages under which exact search beats an ANN with a selector


Where = tuple[QueryFilters, str | None]  # the filters and a film to leave out, for Qdrant


def search_passages(
    snap: Snapshot, vector: np.ndarray, allowed: np.ndarray | None, k: int,
    where: Where | None = None,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Top-k (scores, rows) among allowed rows (None: all), best first. With Qdrant the same
    rows are selected by `where` as a payload filter, next to the vectors."""
    import faiss

    n = snap.index.ntotal
    if n == 0 or k <= 0:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    remote = getattr(snap, "remote", None)
    if remote is not None:
        if allowed is not None and where is None:
            raise ValueError("a filtered Qdrant search needs the filters themselves")
        count = n if allowed is None else int(np.count_nonzero(allowed))
        if count == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        payload = payload_filter(*where) if where is not None else None
        scores, ids = remote.search(vector, payload, min(k, count), exact=count <= EXACT_BELOW)
        return scores, np.searchsorted(snap.passage_ids, ids)
    query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
    if allowed is None:
        scores, rows = snap.index.search(query, min(k, n))
    else:
        count = int(np.count_nonzero(allowed))
        if count == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        k = min(k, count)
        if not snap.is_exact and count <= EXACT_BELOW:
            candidates = np.flatnonzero(allowed)
            sims = np.asarray(snap.vectors[candidates]) @ query[0]
            top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
            order = top[np.argsort(-sims[top], kind="stable")]
            return sims[order].astype(np.float32), candidates[order]
        selector = faiss.IDSelectorBitmap(np.packbits(allowed, bitorder="little"))
        scores, rows = snap.index.search(query, k, params=selector_params(snap.index, selector))
    keep = rows[0] >= 0
    return scores[0][keep], rows[0][keep]


def selector_params(index: Any, selector: Any) -> Any:
    """Search parameters carrying the selector, of the type the index needs, keeping its own
    nprobe / efSearch (a fresh parameter object would reset them to FAISS's defaults)."""
    import faiss

    if (ivf := faiss.try_extract_index_ivf(index)) is not None:
        return faiss.SearchParametersIVF(sel=selector, nprobe=ivf.nprobe)
    if hasattr(index, "hnsw"):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=index.hnsw.efSearch)
    return faiss.SearchParameters(sel=selector)


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
    snap: Snapshot, scores: np.ndarray, rows: np.ndarray, rating_weight: float = 0.0
) -> list[FilmScore]:
    """Passages -> films: a review scores as its best passage (plus the rating prior), a film
    as its best review. We recommend films, so a rave outranks an equally close pan."""
    per_film: dict[int, dict[int, tuple[int, float]]] = {}
    review_rows = snap.passage_review[rows]
    prior = rating_prior(snap.review_rating[review_rows], rating_weight)
    for score, row, review, nudge in zip(
        scores.tolist(), rows.tolist(), review_rows.tolist(), prior.tolist(), strict=True
    ):
        film = int(snap.review_film[review])
        reviews = per_film.setdefault(film, {})
        # Passages come best first and the nudge is the same for all of a review's passages,
        # so a review's first passage is its best.
        if review not in reviews:
            reviews[review] = (row, score + nudge)
    out = []
    for film, reviews in per_film.items():
        ordered = sorted(((r, p, s) for r, (p, s) in reviews.items()), key=lambda t: -t[2])
        out.append(FilmScore(film, ordered[0][2], tuple(ordered)))
    out.sort(key=lambda f: -f.score)
    return out


def fuse(
    snap: Snapshot,
    vector: np.ndarray,
    dense: tuple[np.ndarray, np.ndarray],
    lexical: np.ndarray,
    allowed: np.ndarray | None,
    k: int,
    weight: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Dense top-k and BM25 top-k (among allowed rows) merged; each passage scores
    cosine + weight x BM25 / (best BM25 among the allowed). Best first."""
    if allowed is not None:
        lexical = np.where(allowed, lexical, 0.0)
    best = float(lexical.max(initial=0.0))
    if best <= 0.0:
        return dense
    k = min(k, int(np.count_nonzero(lexical)))
    lex_rows = np.argpartition(-lexical, k - 1)[:k]
    rows = np.union1d(dense[1], lex_rows[lexical[lex_rows] > 0])
    sims = np.asarray(snap.vectors[rows]) @ vector
    fused = sims + weight * lexical[rows] / best
    order = np.argsort(-fused, kind="stable")
    return fused[order].astype(np.float32), rows[order]


def top_films(
    snap: Snapshot,
    vector: np.ndarray,
    allowed: np.ndarray | None,
    n_films: int,
    rating_weight: float = 0.0,
    lexical: np.ndarray | None = None,
    lexical_weight: float = 0.0,
    where: Where | None = None,
) -> list[FilmScore]:
    """Enough passages to fill `n_films` distinct films, widening the search until it does.
    With `lexical` (a BM25 score per row) and a weight, dense and lexical hits are fused."""
    total = snap.index.ntotal if allowed is None else int(np.count_nonzero(allowed))
    k = max(64, n_films * 8)
    while True:
        scores, rows = search_passages(snap, vector, allowed, k, where)
        if lexical is not None and lexical_weight > 0:
            scores, rows = fuse(snap, vector, (scores, rows), lexical, allowed, k, lexical_weight)
        films = aggregate(snap, scores, rows, rating_weight)
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
