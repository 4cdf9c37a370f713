"""Which film a review is about, and a film's metadata merged from its reviews."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from index.types import BASE_LIBRARY, Film, Review

if TYPE_CHECKING:
    from index.knowledge.catalogue import CatalogueFilm


_MOVED_ARTICLE = re.compile(
    r"^(?P<rest>.+?),\s*(?P<article>the|a|an|la|le|les|l'|el|los|las|il|lo|gli|der|die|das|de|het)$",
    re.IGNORECASE,
)
_ALTERNATE = re.compile(r"^(?P<main>.+?)\s*\((?P<other>[^()]*[^\d\s()][^()]*)\)\s*$")


def normalize_title(title: str) -> str:
    """A title as it is compared: accents, case, punctuation and a leading English article gone;
    "Janitor, The" reads as "The Janitor"."""
    if m := _MOVED_ARTICLE.match(title.strip()):
        title = f"{m['article']} {m['rest']}"
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    folded = re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip()
    return re.sub(r"^(the|a|an) ", "", folded)


def title_keys(title: str) -> list[str]:
    """Every normalised name a title gives: "Eyewitness (Janitor, The)" is also "janitor"
    (an alternate title in brackets, as MovieLens writes them), but "Heat (1995)" is not."""
    keys = [normalize_title(title)]
    if m := _ALTERNATE.match(title.strip()):
        for part in (m["main"], re.sub(r"^(?:a\.k\.a\.|aka)\s+", "", m["other"], flags=re.I)):
            if (key := normalize_title(part)) and key not in keys:
                keys.append(key)
    return [k for k in keys if k]


def director_names(director: str | None) -> list[str]:
    """A film's director field may name several, comma-separated."""
    return [name.strip() for name in (director or "").split(",") if name.strip()]


def film_id(title: str, year: int | None) -> str:
    slug = normalize_title(title).replace(" ", "-") or "untitled"
    return f"{slug}-{year}" if year else slug


# What a catalogue can know about a film (knowledge.catalogue.FACTS; not imported: it imports this).
_CATALOGUE_FACTS = {
    "countries",
    "languages",
    "genres",
    "directors",
    "cast",
    "runtime",
    "poster_url",
}


def merge_film(fid: str, reviews: Iterable[Review], known: CatalogueFilm | None = None) -> Film:
    """A film's facts from its reviews and the catalogue. Strongest first: what a review record
    gave (votes break ties), then the catalogue, then what reviews say. Of what reviews say, a
    fact stated plainly about the film (a page's label, a sentence whose subject is the film)
    stands on one review; looser prose cues need agreement: for countries and genres, what
    more than one review says, when more than two reviews speak; for people, what two reviews
    or more agree on. What reviews say is used only for films the catalogue does not know: for
    a film it knows, a fact it lacks is unknown, not guessed. `sources` records where each
    fact came from."""
    reviews = list(reviews)
    sources: dict[str, str] = {}

    def pick(field: str, attr: str | None = None, fact: str | None = None) -> list:
        return _pick(reviews, known, sources, field, attr or field, fact or field)

    titles = Counter(r.title for r in reviews)
    years = Counter(r.year for r in reviews if r.year)
    directors = pick("director", fact="directors")
    from_catalogue = sources.get("director", "").startswith("catalogue")
    runtime = pick("runtime")
    poster = known.poster_url if known is not None else None
    if poster:
        sources["poster_url"] = known.sources.get("poster_url", "catalogue")  # type: ignore[union-attr]
    year = years.most_common(1)[0][0] if years else None
    imdb_id = next((r.imdb_id for r in reviews if r.imdb_id), None)
    if known is not None:
        year, imdb_id = known.year or year, known.imdb_id or imdb_id
    return Film(
        film_id=fid,
        title=known.title if known is not None else titles.most_common(1)[0][0],
        year=year,
        countries=tuple(pick("countries")),
        genres=tuple(pick("genres")),
        director=", ".join(directors) if from_catalogue else (directors[0] if directors else None),
        cast=tuple(pick("cast"))[:12],
        platforms=tuple(pick("platforms", attr="platform")),
        n_reviews=len(reviews),
        imdb_id=imdb_id,
        languages=tuple(pick("languages")),
        runtime=runtime[0] if runtime else None,
        poster_url=poster,
        sources=tuple(sorted(sources.items())),
    )


def _pick(
    reviews: list[Review],
    known: CatalogueFilm | None,
    sources: dict[str, str],
    field: str,
    attr: str,
    fact: str,
) -> list:
    """Values for the film's `field`, from the reviews' `attr` or the catalogue's `fact`."""
    given = [r for r in reviews if attr in r.given]
    catalogued = getattr(known, fact, None) if known is not None else None
    if not given and catalogued:
        sources[field] = known.sources.get(fact, "catalogue")  # type: ignore[union-attr]
        return list(catalogued) if isinstance(catalogued, tuple) else [catalogued]
    if not given and known is not None and fact in _CATALOGUE_FACTS:
        return []  # the catalogue knows this film: what it does not say is unknown
    pool = given or reviews
    counts: Counter = Counter()
    sure: set = set()  # values a review states plainly
    for r in pool:
        value = getattr(r, attr)
        values = [value] if isinstance(value, str | int) else list(value or [])
        counts.update(values)
        if attr in r.stated:
            sure.update(values)
    if not given and attr in {"director", "cast"}:
        # People named in prose are as often those of other films: two reviews must agree.
        found = [v for v, n in counts.most_common() if n > 1 or v in sure]
    elif not given and attr in {"countries", "genres"} and len(pool) > 2:
        # Inferred from prose: keep what more than one review says, if anything is.
        agreed = [v for v, n in counts.items() if n > 1 or v in sure]
        found = agreed or [v for v, _ in counts.most_common()]
    else:
        found = [v for v, _ in counts.most_common()]
    if found:
        sources[field] = "review" if given else "stated" if sure & set(found) else "prose"
    return found


# A film's facts, as `Film` holds them, in the order views are filled.
VIEW_FIELDS = (
    "year",
    "countries",
    "genres",
    "director",
    "cast",
    "platforms",
    "languages",
    "runtime",
    "poster_url",
    "imdb_id",
)


def film_views(
    fid: str, reviews: Iterable[Review], known: CatalogueFilm | None = None
) -> tuple[Film, dict[str, Film]]:
    """What a film is for everyone (the catalogue and the base library's reviews) and, per
    server library whose reviews add to it, what it is there. A server's reviews only fill
    what everyone's view lacks: they never change what another server is told, and another
    server never learns what they say. A film only servers review is named in each as its
    own reviews name it."""
    reviews = list(reviews)
    base = [r for r in reviews if r.library == BASE_LIBRARY]
    if base or known is not None:
        everyone = merge_film(fid, base, known)
    else:  # only servers review it, and no catalogue knows it: its name, and no facts
        titles = Counter(r.title for r in reviews)
        years = Counter(r.year for r in reviews if r.year)
        year = years.most_common(1)[0][0] if years else None
        everyone = Film(fid, titles.most_common(1)[0][0], year, (), (), None, (), (), 0)
    everyone = replace(everyone, n_reviews=len(reviews))
    by_library: dict[str, list[Review]] = {}
    for review in reviews:
        if review.library != BASE_LIBRARY:
            by_library.setdefault(review.library, []).append(review)
    views = {}
    for library, theirs in sorted(by_library.items()):
        own = merge_film(fid, base + theirs, known)
        if base or known is not None:
            view = _filled(everyone, own)
        else:  # nobody else knows it: its name and year as this server's reviews give them
            view = replace(_filled(everyone, own), title=own.title, year=own.year)
        if view != everyone:
            views[library] = view
    return everyone, views


def _filled(everyone: Film, theirs: Film) -> Film:
    """`everyone`, with what it does not know taken from `theirs`."""
    gaps = {
        name: getattr(theirs, name)
        for name in VIEW_FIELDS
        if getattr(everyone, name) in (None, (), "") and getattr(theirs, name) not in (None, (), "")
    }
    if not gaps:
        return everyone
    theirs_from = dict(theirs.sources)
    sources = dict(everyone.sources) | {n: theirs_from[n] for n in gaps if n in theirs_from}
    return replace(everyone, **gaps, sources=tuple(sorted(sources.items())))
