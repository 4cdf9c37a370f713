"""Filters -> boolean masks over films, reviews and passages (the rows of the vector store);
and, when nothing passes, which filter emptied the result and which to drop instead."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.knowledge.people import fold
from index.storage.snapshot import Snapshot
from index.types import QueryFilters


@dataclass(frozen=True)
class Masks:
    films: np.ndarray
    reviews: np.ndarray
    passages: np.ndarray

    @property
    def n_films(self) -> int:
        return int(np.count_nonzero(self.films))


def _any_of(table: dict[str, np.ndarray], keys: list[str], n: int) -> np.ndarray:
    """Films with any of these keys (`table`: key -> film rows)."""
    mask = np.zeros(n, dtype=bool)
    for key in keys:
        if key in table:
            mask[table[key]] = True
    return mask


def film_mask(snap: Snapshot, filters: QueryFilters) -> np.ndarray:
    n = len(snap.films)
    mask = np.ones(n, dtype=bool)
    if filters.countries:
        mask &= _any_of(snap.country_films, filters.countries, n)
    if filters.countries_none:
        mask &= ~_any_of(snap.country_films, filters.countries_none, n)
    for genre in filters.genres_all:
        mask &= _any_of(snap.genre_films, [genre], n)
    if filters.genres_any:
        mask &= _any_of(snap.genre_films, filters.genres_any, n)
    if filters.genres_none:
        mask &= ~_any_of(snap.genre_films, filters.genres_none, n)
    if filters.year_min is not None:
        mask &= snap.film_year >= filters.year_min
    if filters.year_max is not None:
        mask &= (snap.film_year <= filters.year_max) & (snap.film_year >= 0)
    if filters.runtime_min is not None:
        mask &= snap.film_runtime >= filters.runtime_min
    if filters.runtime_max is not None:
        mask &= (snap.film_runtime <= filters.runtime_max) & (snap.film_runtime >= 0)
    if filters.languages:
        mask &= _any_of(snap.language_films, filters.languages, n)
    if filters.languages_none:
        mask &= ~_any_of(snap.language_films, filters.languages_none, n)
    if filters.directors:
        mask &= _any_of(snap.director_films, [fold(d) for d in filters.directors], n)
    if filters.cast:
        mask &= _any_of(snap.cast_films, [fold(c) for c in filters.cast], n)
    for name in filters.cast_all:
        mask &= _any_of(snap.cast_films, [fold(name)], n)
    if filters.people_none:
        unwanted = [fold(name) for name in filters.people_none]
        mask &= ~(_any_of(snap.director_films, unwanted, n) | _any_of(snap.cast_films, unwanted, n))
    return mask


def review_mask(snap: Snapshot, filters: QueryFilters, films: np.ndarray) -> np.ndarray:
    """A review passes when its film passes and its own rating is in range (unrated fails)."""
    mask = films[snap.review_film]
    rating = snap.review_rating
    low, high = filters.rating_min, filters.rating_max
    with np.errstate(invalid="ignore"):
        if low is not None:
            mask &= rating > low if filters.rating_min_exclusive else rating >= low
        if high is not None:
            mask &= rating < high if filters.rating_max_exclusive else rating <= high
    return mask


def masks_for(snap: Snapshot, filters: QueryFilters, library: str | None = None) -> Masks:
    """What passes the filters among what the place may see (the base library and its own)."""
    films = film_mask(snap, filters)
    reviews = review_mask(snap, filters, films) & snap.visible(library)
    films = np.zeros_like(films)
    films[snap.review_film[reviews]] = True  # films with at least one passing review
    return Masks(films=films, reviews=reviews, passages=reviews[snap.passage_review])


# Order in which filters are dropped when nothing passes: the most specific goes first.
RELAX_ORDER = (
    "cast_all",
    "cast",
    "directors",
    "runtime",
    "rating",
    "year",
    "genres_none",
    "countries_none",
    "languages_none",
    "people_none",
    "languages",
    "genres_any",
    "genres_all",
    "countries",
)
# Order in which filters are added back to find the one that empties the result.
_CULPRIT_ORDER = (
    "countries",
    "languages",
    "genres_all",
    "genres_any",
    "genres_none",
    "countries_none",
    "languages_none",
    "people_none",
    "year",
    "runtime",
    "directors",
    "cast",
    "cast_all",
    "rating",
)


def culprit(snap: Snapshot, filters: QueryFilters, library: str | None = None) -> str | None:
    """The filter that empties the result: adding filters in order, the first one that
    leaves no film. None when the filters are not the reason (empty index)."""
    active = set(filters.active())
    applied: list[str] = []
    for name in (n for n in _CULPRIT_ORDER if n in active):
        applied.append(name)
        if not masks_for(snap, filters.only(*applied), library).reviews.any():
            return name
    return None


@dataclass(frozen=True)
class Relaxed:
    """What is searched when no film passes every filter."""

    filters: QueryFilters
    masks: Masks
    emptied_by: str | None
    dropped: tuple[str, ...]


def relax(
    snap: Snapshot, filters: QueryFilters, masks: Masks, library: str | None = None
) -> Relaxed:
    """Drop the filter that emptied the result first, then the most specific ones, until
    something passes (or nothing is left to drop)."""
    emptied_by = culprit(snap, filters, library)
    order = [emptied_by] if emptied_by else []
    order += [name for name in RELAX_ORDER if name != emptied_by]
    dropped: list[str] = []
    for name in order:
        if masks.reviews.any():
            break
        if name in filters.active():
            filters = filters.without(name)
            dropped.append(name)
            masks = masks_for(snap, filters, library)
    return Relaxed(filters, masks, emptied_by, tuple(dropped))
