"""The words both front ends answer in: ratings, what a question was understood as, why
filters were dropped, the facts about a film, and which words of a snippet to highlight.
The Discord and terminal renderers only lay these out, each in its own medium."""

from __future__ import annotations

from index import Film, QueryFilters, ReviewHit, SearchResult, country_name, language_name

# Filter groups as people call them, for "the genre filter left nothing".
FILTER_NAMES = {
    "countries": "country",
    "genres_all": "genre",
    "genres_any": "genre",
    "genres_none": "genre exclusion",
    "countries_none": "country exclusion",
    "rating": "rating",
    "year": "year",
    "directors": "director",
    "cast": "cast",
    "runtime": "runtime",
    "languages": "language",
    "languages_none": "language exclusion",
    "cast_all": "cast",
    "people_none": "people exclusion",
}


def rating_text(value: float | None) -> str:
    return "unrated" if value is None else f"{value:g}/10"


def _names(values: list[str], join: str = " or ") -> str:
    return join.join(values)


def _years(low: int | None, high: int | None) -> str:
    if low == high:
        return str(low)
    if low is not None and high is not None:
        return f"{low}–{high}"
    return f"{low} or later" if low is not None else f"{high} or earlier"


def _runtime(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}–{high} min"
    return f"at least {low} min" if low is not None else f"at most {high} min"


def _rating(filters: QueryFilters) -> str:
    bits = []
    if filters.rating_min is not None:
        bits.append(f"{'>' if filters.rating_min_exclusive else '≥'} {filters.rating_min:g}")
    if filters.rating_max is not None:
        bits.append(f"{'<' if filters.rating_max_exclusive else '≤'} {filters.rating_max:g}")
    return "rating " + " and ".join(bits)


def filter_phrases(filters: QueryFilters) -> list[str]:
    """How each filter of a question was understood ("South Korea", "rating ≥ 8")."""
    phrase = {
        "countries": lambda: _names([country_name(c) for c in filters.countries]),
        "countries_none": lambda: (
            "not " + _names([country_name(c) for c in filters.countries_none])
        ),
        "genres_all": lambda: _names(filters.genres_all, " + "),
        "genres_any": lambda: _names(filters.genres_any),
        "genres_none": lambda: "not " + _names(filters.genres_none),
        "rating": lambda: _rating(filters),
        "year": lambda: _years(filters.year_min, filters.year_max),
        "runtime": lambda: _runtime(filters.runtime_min, filters.runtime_max),
        "languages": lambda: _names([language_name(c) for c in filters.languages]) + " language",
        "languages_none": lambda: (
            "not in " + _names([language_name(c) for c in filters.languages_none])
        ),
        "directors": lambda: "directed by " + _names(filters.directors),
        "cast": lambda: "starring " + _names(filters.cast),
        "cast_all": lambda: "starring " + _names(filters.cast_all, " and "),
        "people_none": lambda: "without " + _names(filters.people_none),
    }
    active = set(filters.active())
    return [phrase[name]() for name in _SHOWN_ORDER if name in active]


# The order filters are read back in: what the film is, then how it was rated, when, by whom.
_SHOWN_ORDER = (
    "countries",
    "countries_none",
    "languages",
    "languages_none",
    "genres_all",
    "genres_any",
    "genres_none",
    "rating",
    "year",
    "runtime",
    "directors",
    "cast",
    "cast_all",
    "people_none",
)


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


def ignored_notice(result: SearchResult) -> str | None:
    """What in the question was understood but not used, and why."""
    if not result.query.ignored:
        return None
    return "Not used: " + "; ".join(f"“{i.phrase}” ({i.why})" for i in result.query.ignored)


def empty_notice(result: SearchResult) -> str | None:
    if result.hits:
        return None
    return "No films found." if result.offset == 0 else "No more films."


def film_facts(film: Film, rating: float | None) -> list[str]:
    """The one-line summary under a film's name: countries, genres, best rating."""
    parts = [
        ", ".join(country_name(c) for c in film.countries),
        ", ".join(film.genres),
        rating_text(rating),
    ]
    return [p for p in parts if p]


def film_details(film: Film) -> list[tuple[str, str]]:
    """(label, value) for a film's page, only what is known."""
    rows = [
        ("Countries", ", ".join(country_name(c) for c in film.countries)),
        ("Language", ", ".join(language_name(c) for c in film.languages)),
        ("Genres", ", ".join(film.genres)),
        ("Director", film.director or ""),
        ("Cast", ", ".join(film.cast)),
        ("Runtime", f"{film.runtime} min" if film.runtime else ""),
        ("Streaming", ", ".join(film.platforms)),
    ]
    return [(label, value) for label, value in rows if value]


def matching_line(counts: dict[str, int]) -> str:
    """How reviews were matched to catalogue films."""
    return (
        f"Reviews matched to catalogue films: {counts.get('matched', 0)}, "
        f"ambiguous {counts.get('ambiguous', 0)}, not in the catalogue {counts.get('unmatched', 0)}"
    )


def poster(film: Film) -> str | None:
    """A film's poster, when it is a web address a chat client may fetch (nothing else)."""
    url = film.poster_url or ""
    ok = url.startswith(("https://", "http://")) and len(url) <= 2000 and url.isprintable()
    return url if ok and " " not in url else None


def reviewer(name: str | None) -> str:
    return name or "anonymous"


NO_WORDS = "(a rating, no review text)"


def segments(review: ReviewHit) -> list[tuple[str, bool]]:
    """The snippet cut at the engine's highlight spans: (text, highlighted) in order."""
    if not review.snippet.strip():
        return [(NO_WORDS, False)]
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
