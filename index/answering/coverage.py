"""Which filters an index can judge at all. A filter on something no film in the index has
(no runtimes known, say, before a catalogue is imported) would empty every answer; instead it
is not used, and the answer says so ("Not used: 'under 100 minutes'")."""

from __future__ import annotations

import numpy as np

from index.storage.snapshot import Snapshot
from index.types import Ignored, ParsedQuery

# Filter group -> what the index must know of some film to judge it, as the reply says it.
_NEEDS = {
    "countries": "country",
    "countries_none": "country",
    "genres_all": "genre",
    "genres_any": "genre",
    "genres_none": "genre",
    "languages": "original language",
    "languages_none": "original language",
    "runtime": "runtime",
    "year": "year",
}


def _knows(snap: Snapshot, group: str) -> bool:
    if group.startswith("countries"):
        return bool(snap.country_films)
    if group.startswith("genres"):
        return bool(snap.genre_films)
    if group.startswith("languages"):
        return bool(snap.language_films)
    if group == "runtime":
        return bool(np.any(snap.film_runtime >= 0))
    if group == "year":
        return bool(np.any(snap.film_year >= 0))
    if group == "rating":
        return bool(np.any(~np.isnan(snap.review_rating)))
    return True  # people: a name nobody knows is still a filter (the answer says none fits)


def usable(snap: Snapshot, parsed: ParsedQuery) -> ParsedQuery:
    """The question with the filters the index cannot judge taken out and listed as not used."""
    if not len(snap.films):
        return parsed
    unjudged = [g for g in parsed.filters.active() if not _knows(snap, g)]
    if not unjudged:
        return parsed
    ignored = list(parsed.ignored)
    for group in unjudged:
        what = _NEEDS.get(group, "rating" if group == "rating" else group)
        phrase = parsed.phrases.get(group, group)
        subject = "review" if group == "rating" else "film"
        ignored.append(Ignored(phrase=phrase, why=f"no {subject} in the index has a known {what}"))
    return parsed.model_copy(
        update={"filters": parsed.filters.without(*unjudged), "ignored": ignored}
    )
