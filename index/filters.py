"""Filters -> boolean masks over films, reviews and passages (the rows of the FAISS index)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.query import QueryFilters, fold
from index.snapshot import Snapshot


@dataclass(frozen=True)
class Masks:
    films: np.ndarray
    reviews: np.ndarray
    passages: np.ndarray

    @property
    def n_films(self) -> int:
        return int(np.count_nonzero(self.films))


def _any_of(table: dict[str, np.ndarray], keys: list[str], n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    for key in keys:
        if key in table:
            mask |= table[key]
    return mask


def film_mask(snap: Snapshot, f: QueryFilters) -> np.ndarray:
    n = len(snap.films)
    mask = np.ones(n, dtype=bool)
    if f.countries:
        mask &= _any_of(snap.country_films, f.countries, n)
    if f.countries_none:
        mask &= ~_any_of(snap.country_films, f.countries_none, n)
    for genre in f.genres_all:
        mask &= snap.genre_films.get(genre, np.zeros(n, dtype=bool))
    if f.genres_any:
        mask &= _any_of(snap.genre_films, f.genres_any, n)
    if f.genres_none:
        mask &= ~_any_of(snap.genre_films, f.genres_none, n)
    if f.year_min is not None:
        mask &= snap.film_year >= f.year_min
    if f.year_max is not None:
        mask &= (snap.film_year <= f.year_max) & (snap.film_year >= 0)
    if f.directors:
        mask &= _any_of(snap.director_films, [fold(d) for d in f.directors], n)
    if f.cast:
        mask &= _any_of(snap.cast_films, [fold(c) for c in f.cast], n)
    return mask


def review_mask(snap: Snapshot, f: QueryFilters, films: np.ndarray) -> np.ndarray:
    """A review passes when its film passes and its own rating is in range (unrated fails)."""
    mask = films[snap.review_film]
    rating = snap.review_rating
    with np.errstate(invalid="ignore"):
        if f.rating_min is not None:
            mask &= rating > f.rating_min if f.rating_min_exclusive else rating >= f.rating_min
        if f.rating_max is not None:
            mask &= rating < f.rating_max if f.rating_max_exclusive else rating <= f.rating_max
    return mask


def masks(snap: Snapshot, f: QueryFilters) -> Masks:
    films = film_mask(snap, f)
    reviews = review_mask(snap, f, films)
    films = np.zeros_like(films)
    films[snap.review_film[reviews]] = True  # films with at least one passing review
    return Masks(films=films, reviews=reviews, passages=reviews[snap.passage_review])


# Order in which filters are dropped when nothing passes: the most specific goes first.
RELAX_ORDER = ("cast", "directors", "rating", "year", "genres_none", "countries_none",
               "genres_any", "genres_all", "countries")  # fmt: skip
_FIELDS = {
    "rating": ("rating_min", "rating_max", "rating_min_exclusive", "rating_max_exclusive"),
    "year": ("year_min", "year_max"),
}


def without(f: QueryFilters, name: str) -> QueryFilters:
    cleared = {field: QueryFilters.model_fields[field].get_default(call_default_factory=True)
               for field in _FIELDS.get(name, (name,))}  # fmt: skip
    return f.model_copy(update=cleared)


def culprit(snap: Snapshot, f: QueryFilters) -> str | None:
    """The filter that empties the result: adding filters in order, the first one that
    leaves no film. None when the filters are not the reason (empty index)."""
    parts = [name for name, _ in f.describe()]
    order = [p for p in ("countries", "genres_all", "genres_any", "genres_none", "countries_none",
                         "year", "directors", "cast", "rating") if p in parts]  # fmt: skip
    applied = QueryFilters()
    for name in order:
        fields = _FIELDS.get(name, (name,))
        applied = applied.model_copy(update={k: getattr(f, k) for k in fields})
        if not masks(snap, applied).reviews.any():
            return name
    return None
