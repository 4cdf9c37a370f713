"""Every filter a question can set, declared once.

A filter reads one fact of a film (or of a review: its rating). Declaring the fact once says
how it is read from a film's record, how Qdrant indexes it, and how the index knows whether
it can judge it at all. Declaring the filter once says which `QueryFilters` fields hold it,
its row mask, its payload conditions (the same meaning, for stores that filter by payload),
how a follow-up refines it, what people call it and how it is read back to them, and where it
stands when filters are dropped because nothing passes them all.

Everything else derives from these two tables: the masks of a question's filters and which
of them an index can judge (here), Qdrant's payloads and conditions
(`index.storage.qdrant_payloads`), relaxing filters that leave nothing
(`index.answering.relax`), a chat's follow-ups, and the words both front ends print. A new
filter is one `Filter` here (and one `Fact`, if it reads a new one) plus the question step
that sets it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, Protocol

import numpy as np

from index.knowledge.countries import country_name
from index.knowledge.films import director_names
from index.knowledge.languages import language_name
from index.knowledge.people import fold
from index.types import Ignored, ParsedQuery, QueryFilters

Kind = Literal["keyword", "integer", "float"]


class Facts(Protocol):
    """What a version keeps for filtering (a `Snapshot` is one)."""

    @property
    def films(self) -> Sequence[Any]: ...
    @property
    def groups(self) -> Mapping[str, Mapping[str, np.ndarray]]:
        """Keyword fact -> value -> film rows."""
        ...

    @property
    def columns(self) -> Mapping[str, np.ndarray]:
        """Integer fact -> value per film, -1 when unknown."""
        ...

    @property
    def review_rating(self) -> np.ndarray:
        """Per review, NaN when unrated."""
        ...

    @property
    def review_film(self) -> np.ndarray:
        """The film row of each review."""
        ...

    @property
    def passage_review(self) -> np.ndarray:
        """The review row of each passage (a row of the vector store)."""
        ...

    def visible(self, library: str | None) -> np.ndarray:
        """Which reviews a place may see (the base library and its own)."""
        ...

    def visible_films(self, library: str | None) -> np.ndarray:
        """Which films a place may see (one of their reviews at least)."""
        ...

    def seen(self, library: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The films, reviews and passages a place may see, as masks: what a question
        without filters passes (the same for every such question in a version: read-only)."""
        ...

    def film(self, row: int) -> Any:
        """A film as this view sees it."""
        ...

    def changed(self, filters: QueryFilters) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Film ids that pass here but not by everyone's facts, and the other way round."""
        ...


# ---------------------------------------------------------------------------- facts
@dataclass(frozen=True)
class Fact:
    """A fact of a film a filter reads. `read` takes the film's stored record (the JSON of its
    facts, with its "year") and gives a list of keywords or a number (None when unknown)."""

    name: str  # the payload field, the film table's group or column
    kind: Kind
    said: str  # as an answer says it: "no film in the index has a known country"
    read: Callable[[Mapping[str, Any]], Any]
    of_review: bool = False  # the review's own (rating), not its film's
    always_known: bool = False  # people: an unknown name is still a filter (nothing fits)

    def known(self, facts: Facts, library: str | None = None) -> bool:
        """Whether any film (or review) the place may see has this fact, so a filter can
        judge it (another server's films do not make it judgeable here)."""
        if self.always_known:
            return True
        if self.of_review:
            return bool(np.any(~np.isnan(facts.review_rating[facts.visible(library)])))
        seen = facts.visible_films(library)
        if self.kind == "keyword":
            return any(seen[rows].any() for rows in facts.groups[self.name].values())
        return bool(np.any((facts.columns[self.name] >= 0) & seen))


@lru_cache(maxsize=1 << 16)
def _folded(name: str) -> str:
    return fold(name)


COUNTRY = Fact("countries", "keyword", "country", lambda d: list(d["countries"]))
GENRE = Fact("genres", "keyword", "genre", lambda d: list(d["genres"]))
LANGUAGE = Fact("languages", "keyword", "original language", lambda d: list(d.get("languages", ())))
DIRECTOR = Fact(
    "directors",
    "keyword",
    "director",
    lambda d: [_folded(n) for n in director_names(d["director"])],
    always_known=True,
)
CAST = Fact("cast", "keyword", "cast", lambda d: [_folded(n) for n in d["cast"]], always_known=True)
YEAR = Fact("year", "integer", "year", lambda d: d.get("year"))
RUNTIME = Fact("runtime", "integer", "runtime", lambda d: d.get("runtime") or None)
RATING = Fact("rating", "float", "rating", lambda d: None, of_review=True)
FACTS: tuple[Fact, ...] = (COUNTRY, GENRE, LANGUAGE, DIRECTOR, CAST, YEAR, RUNTIME, RATING)


def keyword_facts() -> tuple[str, ...]:
    """The facts kept as film rows per value (the film table's groups)."""
    return tuple(fact.name for fact in FACTS if fact.kind == "keyword")


def film_facts(record: Mapping[str, Any]) -> Iterator[tuple[Fact, Any]]:
    """Each film-level fact of a film's stored record, with its value."""
    for fact in FACTS:
        if not fact.of_review:
            yield fact, fact.read(record)


# ---------------------------------------------------------------------------- conditions
@dataclass(frozen=True)
class Condition:
    """One payload test, as plain data: equal to `value`, one of `any`, or within bounds.
    Each Qdrant store spells it with its own classes."""

    key: str
    value: str | None = None
    any: tuple[str, ...] | None = None
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None


@dataclass
class Conditions:
    must: list[Condition] = field(default_factory=list)
    must_not: list[Condition] = field(default_factory=list)
    should: list[Any] = field(default_factory=list)  # at least one of them, when any


# ---------------------------------------------------------------------------- filters
Mask = Callable[[Facts, QueryFilters], np.ndarray]


@dataclass(frozen=True)
class Filter:
    """One filter, as a person sets it in one phrase ("rated 8+", "not horror").

    `fields` hold its values (any of them set means the filter is set); `flags` qualify a
    field ("rating_min_exclusive" for "rating_min") and go with it. `mask` gives the passing
    films (or reviews, for a fact of the review); `conditions` says the same for payloads.
    `relax` is when it is dropped if nothing passes every filter (lowest first: the most
    specific); `blame` the order in which filters are added back to find which one left
    nothing. A follow-up adds to an `accumulates` filter ("not horror" then "not comedy")
    and replaces any other; an exclusion `cancels` the same values of its inclusion. Every
    value of a `conjoined` filter must hold ("Horror + Comedy"), so a follow-up that narrows
    the films just shown ("funny ones") adds to it too."""

    key: str
    fact: Fact
    fields: tuple[str, ...]
    name: str  # what people call it: "the genre exclusion filter left nothing"
    phrase: Callable[[QueryFilters], str]  # how it was understood: "not Horror"
    mask: Mask
    conditions: Callable[[QueryFilters, Conditions], None]
    relax: int
    blame: int
    flags: Mapping[str, str] = field(default_factory=dict)
    accumulates: bool = False
    cancels: tuple[str, ...] = ()
    conjoined: bool = False
    # The conjoined filter on the same fact: where a narrowing follow-up's one value goes
    # when this filter is already set (films with Tom Hanks, then "ones with Meg Ryan").
    together: str | None = None

    @property
    def all_fields(self) -> tuple[str, ...]:
        return (*self.fields, *self.flags.values())

    def is_set(self, filters: QueryFilters) -> bool:
        return any(getattr(filters, f) not in (None, []) for f in self.fields)

    @property
    def excludes(self) -> bool:
        """An exclusion ("not horror", "without Tom Hanks"): it cancels its inclusions."""
        return bool(self.cancels)


def _names(values: Sequence[str], join: str = " or ") -> str:
    return join.join(values)


def _any_of(facts: Facts, fact: str, keys: Sequence[str]) -> np.ndarray:
    """Films with any of these keys of a keyword fact."""
    table = facts.groups[fact]
    mask = np.zeros(len(facts.films), dtype=bool)
    for key in keys:
        if key in table:
            mask[table[key]] = True
    return mask


def _every(facts: Facts, fact: str, keys: Sequence[str]) -> np.ndarray:
    mask = np.ones(len(facts.films), dtype=bool)
    for key in keys:
        mask &= _any_of(facts, fact, [key])
    return mask


def _keys(values: Sequence[str], folded: bool) -> list[str]:
    return [fold(v) for v in values] if folded else list(values)


def keyword_filter(
    key: str,
    fact: Fact,
    *,
    name: str,
    phrase: Callable[[QueryFilters], str],
    relax: int,
    blame: int,
    how: Literal["any", "every", "none"],
    folded: bool = False,
    accumulates: bool = False,
    cancels: tuple[str, ...] = (),
    together: str | None = None,
) -> Filter:
    """A filter on a keyword fact: films with any, every or none of the listed values."""

    def mask(facts: Facts, filters: QueryFilters) -> np.ndarray:
        keys = _keys(getattr(filters, key), folded)
        if how == "every":
            return _every(facts, fact.name, keys)
        found = _any_of(facts, fact.name, keys)
        return ~found if how == "none" else found

    def conditions(filters: QueryFilters, out: Conditions) -> None:
        keys = _keys(getattr(filters, key), folded)
        if how == "every":
            out.must += [Condition(fact.name, value=k) for k in keys]
        elif how == "any":
            out.must.append(Condition(fact.name, any=tuple(keys)))
        else:
            out.must_not.append(Condition(fact.name, any=tuple(keys)))

    return Filter(
        key,
        fact,
        (key,),
        name,
        phrase,
        mask,
        conditions,
        relax,
        blame,
        accumulates=accumulates,
        cancels=cancels,
        conjoined=how == "every",
        together=together,
    )


def range_filter(
    key: str,
    fact: Fact,
    *,
    name: str,
    phrase: Callable[[QueryFilters], str],
    relax: int,
    blame: int,
) -> Filter:
    """A filter on an integer fact within inclusive bounds; an unknown value (-1) fails."""
    low_field, high_field = f"{key}_min", f"{key}_max"

    def mask(facts: Facts, filters: QueryFilters) -> np.ndarray:
        column = facts.columns[fact.name]
        low, high = getattr(filters, low_field), getattr(filters, high_field)
        passing = np.ones(len(column), dtype=bool)
        if low is not None:
            passing &= column >= low
        if high is not None:
            passing &= (column <= high) & (column >= 0)
        return passing

    def conditions(filters: QueryFilters, out: Conditions) -> None:
        low, high = getattr(filters, low_field), getattr(filters, high_field)
        out.must.append(Condition(fact.name, gte=low if low is not None else 0, lte=high))

    return Filter(key, fact, (low_field, high_field), name, phrase, mask, conditions, relax, blame)


def _rating_mask(facts: Facts, filters: QueryFilters) -> np.ndarray:
    """A review passes when its own rating is in range; unrated fails."""
    rating = facts.review_rating
    passing = np.ones(len(rating), dtype=bool)
    low, high = filters.rating_min, filters.rating_max
    with np.errstate(invalid="ignore"):
        if low is not None:
            passing &= rating > low if filters.rating_min_exclusive else rating >= low
        if high is not None:
            passing &= rating < high if filters.rating_max_exclusive else rating <= high
    return passing


def _rating_conditions(filters: QueryFilters, out: Conditions) -> None:
    # Unrated passages carry no rating and fail a range, as NaN does in the mask.
    low, high = filters.rating_min, filters.rating_max
    out.must.append(
        Condition(
            "rating",
            gt=low if filters.rating_min_exclusive else None,
            gte=None if filters.rating_min_exclusive else low,
            lt=high if filters.rating_max_exclusive else None,
            lte=None if filters.rating_max_exclusive else high,
        )
    )


def _rating_phrase(filters: QueryFilters) -> str:
    bits = []
    if filters.rating_min is not None:
        bits.append(f"{'>' if filters.rating_min_exclusive else '≥'} {filters.rating_min:g}")
    if filters.rating_max is not None:
        bits.append(f"{'<' if filters.rating_max_exclusive else '≤'} {filters.rating_max:g}")
    return "rating " + " and ".join(bits)


def _years_phrase(filters: QueryFilters) -> str:
    low, high = filters.year_min, filters.year_max
    if low == high:
        return str(low)
    if low is not None and high is not None:
        return f"{low}–{high}"
    return f"{low} or later" if low is not None else f"{high} or earlier"


def _runtime_phrase(filters: QueryFilters) -> str:
    low, high = filters.runtime_min, filters.runtime_max
    if low is not None and high is not None:
        return f"{low}–{high} min"
    return f"at least {low} min" if low is not None else f"at most {high} min"


def _countries(values: Sequence[str]) -> str:
    return _names([country_name(c) for c in values])


def _languages(values: Sequence[str]) -> str:
    return _names([language_name(c) for c in values])


def _nobody_mask(facts: Facts, filters: QueryFilters) -> np.ndarray:
    """Films none of these people directed or act in."""
    unwanted = _keys(filters.people_none, folded=True)
    return ~(_any_of(facts, DIRECTOR.name, unwanted) | _any_of(facts, CAST.name, unwanted))


def _nobody_conditions(filters: QueryFilters, out: Conditions) -> None:
    unwanted = tuple(_keys(filters.people_none, folded=True))
    out.must_not += [Condition(DIRECTOR.name, any=unwanted), Condition(CAST.name, any=unwanted)]


# In the order they are read back to people: what the film is, how it was rated, when, by whom.
FILTERS: tuple[Filter, ...] = (
    keyword_filter(
        "countries",
        COUNTRY,
        name="country",
        how="any",
        relax=14,
        blame=1,
        phrase=lambda f: _countries(f.countries),
    ),
    keyword_filter(
        "countries_none",
        COUNTRY,
        name="country exclusion",
        how="none",
        relax=8,
        blame=6,
        accumulates=True,
        cancels=("countries",),
        phrase=lambda f: "not " + _countries(f.countries_none),
    ),
    keyword_filter(
        "languages",
        LANGUAGE,
        name="language",
        how="any",
        relax=11,
        blame=2,
        phrase=lambda f: _languages(f.languages) + " language",
    ),
    keyword_filter(
        "languages_none",
        LANGUAGE,
        name="language exclusion",
        how="none",
        relax=9,
        blame=7,
        accumulates=True,
        cancels=("languages",),
        phrase=lambda f: "not in " + _languages(f.languages_none),
    ),
    keyword_filter(
        "genres_all",
        GENRE,
        name="genre",
        how="every",
        relax=13,
        blame=3,
        phrase=lambda f: _names(f.genres_all, " + "),
    ),
    keyword_filter(
        "genres_any",
        GENRE,
        name="genre",
        how="any",
        relax=12,
        blame=4,
        together="genres_all",
        phrase=lambda f: _names(f.genres_any),
    ),
    keyword_filter(
        "genres_none",
        GENRE,
        name="genre exclusion",
        how="none",
        relax=7,
        blame=5,
        accumulates=True,
        cancels=("genres_all",),
        phrase=lambda f: "not " + _names(f.genres_none),
    ),
    Filter(
        "rating",
        RATING,
        ("rating_min", "rating_max"),
        "rating",
        _rating_phrase,
        _rating_mask,
        _rating_conditions,
        relax=5,
        blame=14,
        flags={"rating_min": "rating_min_exclusive", "rating_max": "rating_max_exclusive"},
    ),
    range_filter("year", YEAR, name="year", phrase=_years_phrase, relax=6, blame=9),
    range_filter("runtime", RUNTIME, name="runtime", phrase=_runtime_phrase, relax=4, blame=10),
    keyword_filter(
        "directors",
        DIRECTOR,
        name="director",
        how="any",
        folded=True,
        relax=3,
        blame=11,
        phrase=lambda f: "directed by " + _names(f.directors),
    ),
    keyword_filter(
        "cast",
        CAST,
        name="cast",
        how="any",
        folded=True,
        relax=2,
        blame=12,
        together="cast_all",
        phrase=lambda f: "starring " + _names(f.cast),
    ),
    keyword_filter(
        "cast_all",
        CAST,
        name="cast",
        how="every",
        folded=True,
        relax=1,
        blame=13,
        phrase=lambda f: "starring " + _names(f.cast_all, " and "),
    ),
    Filter(
        "people_none",
        DIRECTOR,
        ("people_none",),
        "people exclusion",
        lambda f: "without " + _names(f.people_none),
        _nobody_mask,
        _nobody_conditions,
        relax=10,
        blame=8,
        accumulates=True,
        cancels=("directors", "cast", "cast_all"),
    ),
)


# ---------------------------------------------------------------------------- derived
def active(filters: QueryFilters) -> list[Filter]:
    """The filters that are set, in `FILTERS` order."""
    return [f for f in FILTERS if f.is_set(filters)]


def _default(field: Any) -> Any:
    """A field's default, a fresh list where it has a factory (pydantic's own `get_default`
    inspects the factory's signature on every call: a third of a millisecond a question)."""
    return field.default_factory() if field.default_factory is not None else field.default


def _cleared(filters: QueryFilters, keep: Callable[[Filter], bool]) -> QueryFilters:
    fields = type(filters).model_fields
    defaults = {
        name: _default(fields[name]) for f in FILTERS if not keep(f) for name in f.all_fields
    }
    return filters.model_copy(update=defaults)


def without(filters: QueryFilters, *keys: str) -> QueryFilters:
    """These filters cleared, the rest kept."""
    return _cleared(filters, lambda f: f.key not in keys)


def only(filters: QueryFilters, *keys: str) -> QueryFilters:
    """Just these filters, as set here."""
    return _cleared(filters, lambda f: f.key in keys)


def refined(filters: QueryFilters, by: QueryFilters, narrowing: bool = False) -> QueryFilters:
    """A follow-up's filters on top of these: what it sets replaces (a bound with its flag),
    exclusions add up, and the newer of an inclusion and an exclusion of the same value wins
    ("not comedies", then "funny ones": comedy is wanted again; "comedies", then "not
    comedies": it is not). `narrowing`: the follow-up narrows the films just shown ("funny
    ones"), so what every film must have adds up too (horror films, then funny ones: Horror +
    Comedy; films with Tom Hanks, then "ones with Meg Ryan": both)."""
    data = filters.model_dump()
    for f in FILTERS:  # an earlier exclusion of what the follow-up now asks for is lifted
        if f.cancels:
            (excluded,) = f.fields
            wanted = {v for key in f.cancels for v in getattr(by, by_key(key).fields[0])}
            kept = set(getattr(by, excluded))
            data[excluded] = [v for v in data[excluded] if v not in wanted or v in kept]
    for f in FILTERS:
        for name in f.fields:
            value = getattr(by, name)
            if f.accumulates or (narrowing and f.conjoined):
                data[name] = list(dict.fromkeys(data[name] + value))
            elif narrowing and f.together and data[name] and len(value) == 1:
                (both,) = by_key(f.together).fields  # one more that every film must have
                data[both] = list(dict.fromkeys(data[both] + value))
            elif value not in (None, []):
                data[name] = value
                if name in f.flags:
                    data[f.flags[name]] = getattr(by, f.flags[name])
    for f in FILTERS:
        if not f.cancels:
            continue
        (excluded,) = f.fields
        for key in f.cancels:
            (included,) = by_key(key).fields
            data[included] = [v for v in data[included] if v not in data[excluded]]
    return type(filters)(**data)


def wants_kind(filters: QueryFilters) -> bool:
    """Whether the filters ask for a kind of film (a genre wanted, not one excluded)."""
    return any(f.is_set(filters) for f in FILTERS if f.fact is GENRE and not f.excludes)


def is_filtered(filters: QueryFilters) -> bool:
    """Whether any filter is set."""
    return any(f.is_set(filters) for f in FILTERS)


def unknown_people(
    facts: Facts, filters: QueryFilters, library: str | None = None
) -> tuple[QueryFilters, list[tuple[Filter, list[str]]]]:
    """People filters' names no film the place may see lists (as it sees its films), taken
    out of the filters (they would leave nothing): the filters without them, and who they
    were. Another server's film listing someone does not make them known here."""
    seen = facts.visible_films(library)
    unknown, update = [], {}
    for f in active(filters):
        if not f.fact.always_known or f.accumulates:  # nobody to leave out is no filter at all
            continue
        (field_name,) = f.fields
        names = getattr(filters, field_name)
        listed = facts.groups[f.fact.name]
        strangers = [n for n in names if not seen[listed.get(fold(n), [])].any()]
        if strangers:
            unknown.append((f, strangers))
            update[field_name] = [n for n in names if n not in strangers]
    return (filters.model_copy(update=update) if update else filters), unknown


_LACKING: dict[int, tuple[object, str, np.ndarray]] = {}  # id(table) -> table, fact, films
_LACKING_LOCK = threading.Lock()


def lacking(facts: Facts, fact: Fact) -> np.ndarray:
    """The films no value of this keyword fact is known for (no country, say): worked out
    once per version's (or view's) table, which never changes; the table is held with its
    answer, so its id is never another's while cached."""
    groups = facts.groups[fact.name]
    cached = _LACKING.get(id(groups))
    if cached is not None and cached[0] is groups and cached[1] == fact.name:
        return cached[2]
    known = np.zeros(len(facts.films), dtype=bool)
    for rows in groups.values():
        known[rows] = True
    with _LACKING_LOCK:  # questions are answered on several threads
        if len(_LACKING) >= 64:  # a few versions and views at a time
            _LACKING.pop(next(iter(_LACKING)))
        _LACKING[id(groups)] = (groups, fact.name, ~known)
    return ~known


def unknown_to(facts: Facts, filters: QueryFilters, library: str | None) -> list[Ignored]:
    """What each filter on a keyword fact did with the films that fact is unknown for, among
    those every other filter lets through: an inclusion ("Japanese") leaves them out, an
    exclusion ("non-American") keeps them. Said, so that nobody takes them for judged."""
    notes = []
    each = _each(facts, filters)
    for f, _ in each:
        if f.fact.kind != "keyword" or f.fact.always_known:
            continue
        others = _combined(facts, [(g, m) for g, m in each if g is not f], library).films
        n = int(np.count_nonzero(others & lacking(facts, f.fact)))
        if n:
            what = "kept" if f.accumulates else "left out"
            plural = "film" if n == 1 else "films"
            why = f"{n} {plural} of unknown {f.fact.said} {what}"
            notes.append(Ignored(phrase=f.phrase(filters), why=why, used=True))
    return notes


def film_mask(facts: Facts, filters: QueryFilters) -> np.ndarray:
    """The films that pass every film-level filter."""
    passing = np.ones(len(facts.films), dtype=bool)
    for f, mask in _each(facts, filters):
        if not f.fact.of_review:
            passing &= mask
    return passing


@dataclass(frozen=True)
class Masks:
    """What passes a question's filters, as rows: films, reviews, passages."""

    films: np.ndarray
    reviews: np.ndarray
    passages: np.ndarray

    @property
    def n_films(self) -> int:
        return int(np.count_nonzero(self.films))


def masks(facts: Facts, filters: QueryFilters, library: str | None = None) -> Masks:
    """What passes the filters among what the place may see (the base library and its own)."""
    return _combined(facts, _each(facts, filters), library)


def _each(facts: Facts, filters: QueryFilters) -> list[tuple[Filter, np.ndarray]]:
    """Each filter that is set, with its mask: films for a film's fact, reviews for a
    review's own."""
    return [(f, f.mask(facts, filters)) for f in active(filters)]


def _combined(facts: Facts, each: list[tuple[Filter, np.ndarray]], library: str | None) -> Masks:
    if not each:
        return Masks(*facts.seen(library))
    films = np.ones(len(facts.films), dtype=bool)
    for f, mask in each:
        if not f.fact.of_review:
            films &= mask
    reviews = films[facts.review_film] & facts.visible(library)
    for f, mask in each:
        if f.fact.of_review:
            reviews &= mask
    films = np.zeros_like(films)
    films[facts.review_film[reviews]] = True  # films with at least one passing review
    return Masks(films=films, reviews=reviews, passages=reviews[facts.passage_review])


def judged(facts: Facts, parsed: ParsedQuery, library: str | None = None) -> ParsedQuery:
    """The question with the filters the index cannot judge at all taken out and said: a
    filter on what no film in the index has (no runtimes known, before a catalogue is
    imported) would empty every answer; instead the answer says "Not used: ..."."""
    if not len(facts.films):
        return parsed
    unjudged = [f for f in active(parsed.filters) if not f.fact.known(facts, library)]
    if not unjudged:
        return parsed
    ignored = list(parsed.ignored)
    for f in unjudged:
        subject = "review" if f.fact.of_review else "film"
        why = f"no {subject} in the index has a known {f.fact.said}"
        ignored.append(Ignored(phrase=parsed.phrases.get(f.key, f.key), why=why))
    keys = [f.key for f in unjudged]
    return parsed.model_copy(update={"filters": without(parsed.filters, *keys), "ignored": ignored})


def conditions(filters: QueryFilters, of_review: bool | None = None) -> Conditions:
    """The filters as payload conditions, with the same meaning as the masks; just those on
    a film's facts (`of_review` False) or on a review's own (True), or all (None)."""
    out = Conditions()
    for f in active(filters):
        if of_review is None or f.fact.of_review == of_review:
            f.conditions(filters, out)
    return out


def phrases(filters: QueryFilters) -> list[str]:
    """How each filter of a question was understood ("South Korea", "rating ≥ 8")."""
    return [f.phrase(filters) for f in active(filters)]


def by_key(key: str) -> Filter:
    return next(f for f in FILTERS if f.key == key)


def name_of(key: str) -> str:
    """What people call a filter ("genre exclusion")."""
    return by_key(key).name


def relax_order() -> list[Filter]:
    return sorted(FILTERS, key=lambda f: f.relax)


def blame_order() -> list[Filter]:
    return sorted(FILTERS, key=lambda f: f.blame)
