"""Types shared along the pipeline: pydantic at the edges, frozen dataclasses inside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Review(BaseModel):
    """A cleaned review ready to be indexed. Built by the readers, validated once."""

    model_config = ConfigDict(frozen=True)

    review_id: str
    title: str = Field(min_length=1)
    year: int | None = Field(None, ge=1870, le=2100)
    text: str = Field(min_length=1)
    rating: float | None = Field(None, ge=0, le=10)
    rating_raw: str | None = None
    reviewer: str | None = None
    date: dt.date | None = None
    countries: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    director: str | None = None
    cast: tuple[str, ...] = ()
    platform: str | None = None
    url: str | None = None
    source: str = ""
    # Which of the metadata fields the source gave explicitly (they win over inferred ones).
    given: tuple[str, ...] = ()
    extra: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """A record that could not be used (or a value that was not understood), and where."""

    source: str
    location: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.location}" if self.location else self.source
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Passage:
    review_id: str
    film_id: str
    ordinal: int
    text: str


@dataclass(frozen=True)
class Film:
    film_id: str
    title: str
    year: int | None
    countries: tuple[str, ...]
    genres: tuple[str, ...]
    director: str | None
    cast: tuple[str, ...]
    platforms: tuple[str, ...]
    n_reviews: int

    @property
    def label(self) -> str:
        """How a film is named to people: "Title (year)", or the title alone."""
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True)
class StoredReview:
    review_id: str
    film_id: str
    reviewer: str | None
    rating: float | None
    rating_raw: str | None
    date: str | None
    source: str
    url: str | None
    text: str


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    passages_embedded: int = 0
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    version: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "passages_embedded": self.passages_embedded,
            "rejected": [p.__dict__ for p in self.rejected],
            "warnings": [p.__dict__ for p in self.warnings],
            "seconds": round(self.seconds, 3),
            "version": self.version,
        }
