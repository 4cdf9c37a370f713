"""Types shared along the pipeline: pydantic at the edges (reviews in, questions parsed), frozen
dataclasses inside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, overload

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Library(str):
    """A library's id, as reviews store it: "base" (the operator's reviews, which every place
    sees) or a server's, "guild:<server id>". Built and taken apart only here."""

    _SERVER = "guild:"

    @classmethod
    def of_server(cls, guild_id: int | str) -> Library:
        return cls(f"{cls._SERVER}{guild_id}")

    @property
    def server_id(self) -> int | None:
        """The Discord server whose library this is; None for the base library."""
        tail = self.removeprefix(self._SERVER)
        return int(tail) if tail != self and tail.isdigit() else None

    def review_id(self, local: str) -> str:
        """A review id within this library: a server's ids are its own ("guild:1/r1"), so one
        server's upload never replaces another's review of the same id."""
        if self == BASE_LIBRARY:
            return local
        return local if local.startswith(f"{self}/") else f"{self}/{local}"

    def local_id(self, review_id: str) -> str:
        """A review's id as its file gave it (what `review_id` prefixed)."""
        return review_id.removeprefix(f"{self}/")


BASE_LIBRARY = Library("base")


@overload
def library_of(guild_id: int | str) -> Library: ...
@overload
def library_of(guild_id: None) -> None: ...
@overload
def library_of(guild_id: int | str | None) -> Library | None: ...
def library_of(guild_id: int | str | None) -> Library | None:
    """A server's library; None (a DM, the terminal) sees only the base library."""
    return None if guild_id is None else Library.of_server(guild_id)


class Review(BaseModel):
    """A cleaned review ready to be indexed. Built by the readers, validated once."""

    model_config = ConfigDict(frozen=True)

    review_id: str
    title: str = Field(min_length=1)
    year: int | None = Field(None, ge=1870, le=2100)
    # Empty for a rating without words (a Letterboxd or IMDb ratings export): it counts for
    # rating filters and rankings, but has no passages to match a question against.
    text: str = ""
    rating: float | None = Field(None, ge=0, le=10)
    rating_raw: str | None = None
    reviewer: str | None = None
    date: dt.date | None = None
    countries: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    director: str | None = None
    cast: tuple[str, ...] = ()
    platform: str | None = None
    languages: tuple[str, ...] = ()  # ISO 639-1 codes of the film's original languages
    runtime: int | None = Field(None, ge=1, le=1500)  # minutes
    imdb_id: str | None = Field(None, pattern=r"^tt\d{7,10}$")
    url: str | None = None
    source: str = ""
    location: str = ""  # where in the source: "line 4", "row 2 (line 3)"
    # Whose it is: the base library (the operator's reviews) or a server's ("guild:123"); a
    # member's review keeps the member's user id, so they can edit or delete it.
    library: str = BASE_LIBRARY
    user_id: str | None = None
    # Which of the metadata fields the source gave explicitly (they win over inferred ones).
    given: tuple[str, ...] = ()
    # Which facts the review states plainly about its film (a page's label, or a sentence whose
    # subject is the film): one review may establish them, unlike looser prose cues.
    stated: tuple[str, ...] = ()
    extra: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _words_or_a_rating(self) -> Review:
        if not self.text.strip() and self.rating is None:
            raise ValueError("neither review text nor a rating")
        return self


@dataclass(frozen=True)
class Problem:
    """A record that could not be used (or a value that was not understood), and where."""

    source: str
    location: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.location}" if self.location else self.source
        return f"{where}: {self.reason}"


# Where a fact about a film came from, strongest first: a review record that gave it, the film
# catalogue (a catalogue file, IMDb's datasets, TMDB), or the review prose.
Source = str  # "review" | "catalogue:<name>" | "stated" (a page said it plainly) | "prose"


@dataclass(frozen=True)
class Film:
    film_id: str
    title: str
    year: int | None
    countries: tuple[str, ...]
    genres: tuple[str, ...]
    director: str | None  # several are comma-separated
    cast: tuple[str, ...]
    platforms: tuple[str, ...]
    n_reviews: int
    imdb_id: str | None = None
    languages: tuple[str, ...] = ()
    runtime: int | None = None
    poster_url: str | None = None
    sources: tuple[tuple[str, Source], ...] = ()  # (field, where it came from)

    @property
    def label(self) -> str:
        """How a film is named to people: "Title (year)", or the title alone."""
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True)
class StoredReview:
    review_id: str
    film_id: str
    library: str
    reviewer: str | None
    rating: float | None
    rating_raw: str | None
    date: str | None
    source: str
    url: str | None
    text: str
    user_id: str | None = None
    title: str = ""
    year: int | None = None


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    passages_embedded: int = 0
    same_as: dict[str, str] = field(default_factory=dict)  # a duplicate's id -> the stored id
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    version: str | None = None
    # With a film catalogue: how the reviews read were matched to its films
    # ("matched", "ambiguous", "unmatched").
    films: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # formats recognised ("Letterboxd export")
    # Problems past the first MAX_LISTED of each are only counted.
    rejected_more: int = 0
    warnings_more: int = 0

    @property
    def n_rejected(self) -> int:
        return len(self.rejected) + self.rejected_more

    @property
    def n_warnings(self) -> int:
        return len(self.warnings) + self.warnings_more

    def warn(self, problem: Problem) -> None:
        if len(self.warnings) < 1000:
            self.warnings.append(problem)
        else:
            self.warnings_more += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "passages_embedded": self.passages_embedded,
            "rejected": [p.__dict__ for p in self.rejected],
            "warnings": [p.__dict__ for p in self.warnings],
            "rejected_count": self.n_rejected,  # the lists hold the first 1,000 of each
            "warnings_count": self.n_warnings,
            "seconds": round(self.seconds, 3),
            "version": self.version,
            "films": {k: self.films.get(k, 0) for k in ("matched", "ambiguous", "unmatched")}
            if self.films
            else {},
            "notes": self.notes,
        }


class QueryFilters(BaseModel):
    """Filters parsed from a question. Film-level filters, except rating (per review). What
    each filter means (its mask, its payload conditions, its name on screen) is declared once,
    in `index.knowledge.filters`."""

    countries: list[str] = Field(default_factory=list, description="any of these ISO codes")
    genres_all: list[str] = Field(default_factory=list)
    genres_none: list[str] = Field(default_factory=list)
    rating_min: float | None = None
    rating_max: float | None = None
    year_min: int | None = None
    year_max: int | None = None
    directors: list[str] = Field(default_factory=list)
    cast: list[str] = Field(default_factory=list)
    # Beyond the documented contract, appended after it.
    countries_none: list[str] = Field(default_factory=list)
    genres_any: list[str] = Field(default_factory=list)
    rating_min_exclusive: bool = False
    rating_max_exclusive: bool = False
    # Facts a film catalogue supplies: minutes (inclusive bounds) and original languages.
    runtime_min: int | None = None
    runtime_max: int | None = None
    languages: list[str] = Field(default_factory=list, description="any of these ISO 639-1 codes")
    languages_none: list[str] = Field(default_factory=list)
    # Films with every one of these actors ("with Tony Leung and Maggie Cheung").
    cast_all: list[str] = Field(default_factory=list)
    # Films none of these people directed or act in ("without Tom Hanks", "I can't stand
    # Nicolas Cage").
    people_none: list[str] = Field(default_factory=list)


class Ignored(BaseModel):
    """A part of the question that was understood but could not be used, and why; or, with
    `used`, one that was used in a way worth saying ("1 film of unknown country left out",
    "searched the reviews for the name")."""

    phrase: str
    why: str
    used: bool = False


class ParsedQuery(BaseModel):
    text: str
    filters: QueryFilters = Field(default_factory=QueryFilters)
    semantic: str = ""
    limit: int | None = Field(None, ge=1, le=25, description="how many films were asked for")
    like: str | None = None  # a film the question wants more like ("I loved Heat (1995)")
    title: str | None = None  # a film the question names as what it wants ("Oldboy")
    # The words each filter group was read from, to say which ones could not be used.
    phrases: dict[str, str] = Field(default_factory=dict)
    ignored: list[Ignored] = Field(default_factory=list)
    wants_bad: bool = False  # "so bad it's good": films reviewers panned are what is asked
    excluded: list[str] = Field(default_factory=list)  # films named under "not": never shown
    # A chat's follow-up ("only after 2015") is its own words, with the question it refines.
    follows: ParsedQuery | None = None

    @property
    def first(self) -> ParsedQuery:
        """The question a chain of follow-ups started from."""
        return self.follows.first if self.follows is not None else self

    @property
    def asked(self) -> str:
        """Everything asked so far, the first question first ("westerns + only the 50s")."""
        return f"{self.follows.asked} + {self.text}" if self.follows is not None else self.text
