"""The words both front ends answer in: ratings, what a question was understood as, why
filters were dropped, the facts about a film, and which words of a snippet to highlight.
The Discord and terminal renderers only lay these out, each in its own medium."""

from __future__ import annotations

from index import Film, ReviewHit, SearchResult, country_name

# Filter groups as people call them, for "the genre filter left nothing".
FILTER_NAMES = {"countries": "country", "genres_all": "genre", "genres_any": "genre",
                "genres_none": "genre exclusion", "countries_none": "country exclusion",
                "rating": "rating", "year": "year", "directors": "director", "cast": "cast"}  # fmt: skip


def rating_text(value: float | None) -> str:
    return "unrated" if value is None else f"{value:g}/10"


def filter_phrases(result: SearchResult) -> list[str]:
    """How each filter of the question was understood ("South Korea", "rating ≥ 8")."""
    return [text for _, text in result.query.filters.describe()]


def relaxed_notice(result: SearchResult) -> str | None:
    """Why the films shown do not pass every filter, when they don't."""
    if not result.relaxed:
        return None
    names = ", ".join(dict.fromkeys(FILTER_NAMES[n] for n in result.relaxed))
    culprit = FILTER_NAMES.get(result.emptied_by or "", "the filters")
    return (
        f"No film passes every filter: the {culprit} filter left nothing. "
        f"Closest matches without the {names} filter:"
    )


def empty_notice(result: SearchResult) -> str | None:
    if result.hits:
        return None
    return "No films found." if result.offset == 0 else "No more films."


def film_facts(film: Film, rating: float | None) -> list[str]:
    """The one-line summary under a film's name: countries, genres, best rating."""
    parts = [", ".join(country_name(c) for c in film.countries), ", ".join(film.genres),
             rating_text(rating)]  # fmt: skip
    return [p for p in parts if p]


def film_details(film: Film) -> list[tuple[str, str]]:
    """(label, value) for a film's page, only what is known."""
    rows = [
        ("Countries", ", ".join(country_name(c) for c in film.countries)),
        ("Genres", ", ".join(film.genres)),
        ("Director", film.director or ""),
        ("Cast", ", ".join(film.cast)),
        ("Streaming", ", ".join(film.platforms)),
    ]
    return [(label, value) for label, value in rows if value]


def reviewer(name: str | None) -> str:
    return name or "anonymous"


def segments(review: ReviewHit) -> list[tuple[str, bool]]:
    """The snippet cut at the engine's highlight spans: (text, highlighted) in order."""
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in review.spans:
        if start > at:
            out.append((review.snippet[at:start], False))
        out.append((review.snippet[start:end], True))
        at = end
    if at < len(review.snippet):
        out.append((review.snippet[at:], False))
    return out


def highlighted_words(review: ReviewHit) -> set[str]:
    """The distinct words the engine highlighted in a snippet, lower-cased."""
    return {review.snippet[a:b].lower() for a, b in review.spans}
