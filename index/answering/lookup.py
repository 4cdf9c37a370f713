"""Films by title: one film and every review of it the place may see, and titles for what
someone is typing."""

from __future__ import annotations

from dataclasses import replace

from index.answering.answer import Scope
from index.results import FilmDetail, TitleMatch
from index.storage.snapshot import Snapshot
from index.storage.views import LibraryFacts


def film(scope: Scope, title: str) -> tuple[TitleMatch, FilmDetail | None]:
    """The film a title names (fuzzy; a year picks one), with its reviews best rated first."""
    snap = scope.snap
    match = snap.titles.resolve(title, snap.visible_films(scope.library))
    if match.film is None:
        return match, None
    stored = snap.reviews(snap.film_review_ids(match.film.film_id, scope.library))
    reviews = sorted(
        stored.values(),
        key=lambda r: (-(r.rating if r.rating is not None else -1), r.review_id),
    )
    film = scope.facts.film(snap.film_row[match.film.film_id])
    return match, FilmDetail(replace(film, n_reviews=len(reviews)), tuple(reviews))


def suggest(
    snap: Snapshot, typed: str, limit: int, library: str | None, catalogue: bool = False
) -> list[str]:
    """Titles for what someone is typing, among the films the place may see; with
    `catalogue`, then films of the catalogue no review names yet (for a new review)."""
    facts = snap.facts(library)
    own = {r: f.label for r, f in facts.own.items()} if isinstance(facts, LibraryFacts) else {}
    found = snap.titles.suggest(typed, limit, snap.visible_films(library), own)
    if catalogue and len(found) < limit:
        with snap.lock:
            more = snap.catalogue.starting_with(typed, limit)
        labels = (f"{title} ({year})" if year else title for title, year in more)
        found += [label for label in labels if label not in found][: limit - len(found)]
    return found
