"""The words both front ends answer in: ratings, what a question was understood as, why
filters were dropped, the facts about a film, and which words of a snippet to highlight.
The Discord and terminal renderers only lay these out, each in its own medium."""

from __future__ import annotations

from index import (
    PANNED_AT,
    Film,
    ReviewHit,
    SearchResult,
    country_name,
    filter_name,
    language_name,
)


def rating_text(value: float | None) -> str:
    return "unrated" if value is None else f"{value:g}/10"


def relaxed_notice(result: SearchResult) -> str | None:
    """Why the films shown do not pass every filter, when they don't."""
    if not result.relaxed:
        return None
    names = ", ".join(dict.fromkeys(filter_name(n) for n in result.relaxed))
    culprit = filter_name(result.emptied_by) if result.emptied_by else "the filters"
    return (
        f"No film passes every filter: the {culprit} filter left nothing. "
        f"Closest matches without the {names} filter:"
    )


PANNED = f"{PANNED_AT:g}/10 or less on average"  # what the engine calls panned


def panned_notice(result: SearchResult) -> str | None:
    """Films that pass but were left out, their reviewers having panned them, and how to see
    them after all."""
    n = result.panned
    if not n:
        return None
    if n < 0:
        return f"Every film that passes was panned by its reviewers ({PANNED})."
    which = (
        "1 more film passes, but its reviewers panned it"
        if n == 1
        else f"{n} more films pass, but their reviewers panned them"
    )
    return (
        f"{which} ({PANNED}): left out. "
        f"Say “include panned ones” to see {'it' if n == 1 else 'them'}."
    )


def ignored_notice(result: SearchResult) -> str | None:
    """What in the question was understood but not used, and why; then how some of it was
    used where that is worth knowing (films of unknown country left out, a name searched
    for in the reviews)."""
    lines = []
    for used, head in ((False, "Not used: "), (True, "Note: ")):
        said = [f"“{i.phrase}” ({i.why})" for i in result.query.ignored if i.used is used]
        if said:
            lines.append(head + "; ".join(said))
    return "\n".join(lines) or None


def shown_line(result: SearchResult) -> str:
    """Which films of how many: "Films 1–5 of 12" when filters said which films pass, else
    "Best matches 1–5" (a count of every film in the index would mean nothing)."""
    shown = f"{result.offset + 1}–{result.offset + len(result.hits)}" if result.hits else "0"
    return f"Films {shown} of {result.total}" if result.total else f"Best matches {shown}"


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


def taste_notice(rated: int, needed: int) -> str | None:
    """Why a recommendation is not personal yet (too few rated reviews here), or None."""
    if rated >= needed:
        return None
    have = f"you have {rated}" if rated else "you have none yet"
    return (
        f"Taste needs {needed} rated reviews of yours in this server; {have}. "
        "Until then, the films reviewers here rate best:"
    )


def taste_basis(rated: int) -> str:
    """What a personal recommendation was worked out from."""
    return f"From your {rated} rated review{'s' if rated != 1 else ''} in this server."


def names(people: list[str]) -> str:
    """ "Ana", "Ana and Ben", "Ana, Ben and Cy"."""
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def neutral_notice(people: list[str], needed: int) -> str | None:
    """Who counted as neutral at a movie night (too few rated reviews here)."""
    if not people:
        return None
    verb = "has" if len(people) == 1 else "have"
    return (
        f"{names(people)} {verb} fewer than {needed} rated reviews here: counted as neutral "
        "(any film suits them alike)."
    )
