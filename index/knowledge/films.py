"""Which film a review is about, and a film's metadata merged from its reviews."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from index.types import Film, Review


def normalize_title(title: str) -> str:
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    folded = re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip()
    return re.sub(r"^(the|a|an) ", "", folded)


def director_names(director: str | None) -> list[str]:
    """A film's director field may name several, comma-separated."""
    return [name.strip() for name in (director or "").split(",") if name.strip()]


def film_id(title: str, year: int | None) -> str:
    slug = normalize_title(title).replace(" ", "-") or "untitled"
    return f"{slug}-{year}" if year else slug


def merge_film(fid: str, reviews: Iterable[Review]) -> Film:
    """Given values from any review win over values inferred from prose; votes break ties."""
    reviews = list(reviews)

    def pick(attr: str) -> list[str]:
        given = [r for r in reviews if attr in r.given]
        pool = given or reviews
        counts: Counter[str] = Counter()
        for r in pool:
            value = getattr(r, attr)
            counts.update([value] if isinstance(value, str) else value or [])
        if not given and attr in {"countries", "genres"} and len(pool) > 2:
            # Inferred from prose: keep what more than one review says, if anything is.
            agreed = [v for v, n in counts.items() if n > 1]
            return agreed or [v for v, _ in counts.most_common()]
        return [v for v, _ in counts.most_common()]

    titles = Counter(r.title for r in reviews)
    years = Counter(r.year for r in reviews if r.year)
    directors = pick("director")
    return Film(
        film_id=fid,
        title=titles.most_common(1)[0][0],
        year=years.most_common(1)[0][0] if years else None,
        countries=tuple(pick("countries")),
        genres=tuple(pick("genres")),
        director=directors[0] if directors else None,
        cast=tuple(pick("cast"))[:12],
        platforms=tuple(pick("platform")),
        n_reviews=len(reviews),
    )
