"""What Qdrant knows about each passage, and filters in its terms, for both Qdrant stores.

The server store (qdrant-client, `qdrant_vectors`) and the embedded engine (qdrant-edge,
`qdrant_edge_vectors`) share one payload model: film-level fields (countries, genres, year,
directors, cast, languages, runtime) copied onto each passage, the review's own rating, and the
library (the tenant). A filter is first said here in plain data (`Where`), with the same meaning
as its row mask (`index.answering.masks`); each store spells it with its own classes. Both
also name a version's collection or shard alike.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from config import QdrantSettings
from index.errors import IndexMissing
from index.knowledge.films import director_names
from index.knowledge.people import fold
from index.storage.versions import VersionInfo, open_readonly
from index.types import QueryFilters

# How each payload field is indexed: keywords for sets, integer/float for ranges, and the
# library as the tenant key (Qdrant's multitenancy: points stored together per library).
Kind = Literal["keyword", "integer", "float", "tenant"]
FIELDS: dict[str, Kind] = {
    "library": "tenant",
    "countries": "keyword",
    "genres": "keyword",
    "languages": "keyword",
    "directors": "keyword",
    "cast": "keyword",
    "film_id": "keyword",
    "year": "integer",
    "runtime": "integer",
    "rating": "float",
}


def passage_payloads(meta: Path) -> Iterator[dict[str, Any]]:
    """The payload of each passage row, in row order (passage_id order), from a version's
    SQLite file; one at a time, so a million passages are never all in memory."""
    with contextlib.closing(open_readonly(meta)) as db:
        films = {}
        for fid, year, data in db.execute("SELECT film_id, year, data FROM films"):
            d = json.loads(data)
            films[fid] = {
                "film_id": fid,
                "year": year if year is not None else -1,
                "countries": list(d["countries"]),
                "genres": list(d["genres"]),
                "directors": [fold(n) for n in director_names(d["director"])],
                "cast": [fold(n) for n in d["cast"]],
                "languages": list(d.get("languages", ())),
                "runtime": d.get("runtime") or -1,
            }
        columns = {row[1] for row in db.execute("PRAGMA table_info(reviews)")}
        library = "r.library" if "library" in columns else "'base'"
        for rating, fid, owner in db.execute(
            f"SELECT r.rating, p.film_id, {library} FROM passages p "
            "JOIN reviews r ON r.review_id = p.review_id ORDER BY p.passage_id"
        ):
            payload = {**films[fid], "library": owner}
            if rating is not None:
                payload["rating"] = float(rating)
            yield payload


# (payload field, the filter's "any of", the filter's "none of")
SETS = (
    ("countries", "countries", "countries_none"),
    ("genres", "genres_any", "genres_none"),
    ("languages", "languages", "languages_none"),
)


@dataclass(frozen=True)
class Condition:
    """One field test: equal to `value`, one of `any`, or within the bounds."""

    key: str
    value: str | None = None
    any: tuple[str, ...] | None = None
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None

    @property
    def is_range(self) -> bool:
        return self.value is None and self.any is None


@dataclass(frozen=True)
class Where:
    must: tuple[Condition, ...] = ()
    must_not: tuple[Condition, ...] = ()


def where(
    filters: QueryFilters | None,
    exclude_film: str | None = None,
    libraries: tuple[str, ...] | None = None,
) -> Where | None:
    """The filters (and the film left out, and the libraries the place may see) as payload
    conditions; None when nothing is filtered."""
    must: list[Condition] = []
    must_not: list[Condition] = []
    if filters is not None:
        for key, wanted, unwanted in SETS:  # any of these; none of those
            if values := getattr(filters, wanted):
                must.append(Condition(key, any=tuple(values)))
            if values := getattr(filters, unwanted):
                must_not.append(Condition(key, any=tuple(values)))
        must += [Condition("genres", value=g) for g in filters.genres_all]
        for key in ("year", "runtime"):
            low, high = getattr(filters, f"{key}_min"), getattr(filters, f"{key}_max")
            if low is not None or high is not None:
                # Unknown years and runtimes are stored as -1: they fail any range, as in the
                # masks.
                must.append(Condition(key, gte=low if low is not None else 0, lte=high))
        if filters.directors:
            must.append(Condition("directors", any=tuple(fold(d) for d in filters.directors)))
        if filters.cast:
            must.append(Condition("cast", any=tuple(fold(c) for c in filters.cast)))
        must += [Condition("cast", value=fold(c)) for c in filters.cast_all]
        if filters.people_none:  # neither directed by nor starring any of them
            unwanted = tuple(fold(n) for n in filters.people_none)
            must_not += [Condition("directors", any=unwanted), Condition("cast", any=unwanted)]
        if filters.rating_min is not None or filters.rating_max is not None:
            # Unrated passages carry no rating and fail a range, as NaN does in the masks.
            low, high = filters.rating_min, filters.rating_max
            must.append(
                Condition(
                    "rating",
                    gt=low if filters.rating_min_exclusive else None,
                    gte=None if filters.rating_min_exclusive else low,
                    lt=high if filters.rating_max_exclusive else None,
                    lte=None if filters.rating_max_exclusive else high,
                )
            )
    if exclude_film is not None:
        must_not.append(Condition("film_id", value=exclude_film))
    if libraries is not None:  # the tenant: a server's library and the base one
        must.append(Condition("library", any=tuple(libraries)))
    if not must and not must_not:
        return None
    return Where(tuple(must), tuple(must_not))


@dataclass(frozen=True)
class Spelling:
    """One Qdrant library's classes for a filter (qdrant-client's models and qdrant-edge
    take the same keywords; only the range class differs)."""

    filter: Any
    field: Any
    match_value: Any
    match_any: Any
    range: Any

    def __call__(self, where: Where | None) -> Any:
        if where is None:
            return None

        def spell(c: Condition) -> Any:
            if c.value is not None:
                return self.field(key=c.key, match=self.match_value(value=c.value))
            if c.any is not None:
                return self.field(key=c.key, match=self.match_any(any=list(c.any)))
            bounds = {"gt": c.gt, "gte": c.gte, "lt": c.lt, "lte": c.lte}
            return self.field(key=c.key, range=self.range(**bounds))

        return self.filter(
            must=[spell(c) for c in where.must] or None,
            must_not=[spell(c) for c in where.must_not] or None,
        )


def version_name(settings: QdrantSettings, folder: Path) -> str:
    """A version's collection (or shard) name: the prefix and the folder's unique id."""
    return f"{settings.prefix}_{folder.name.removeprefix('.tmp-')}"


def is_version_name(settings: QdrantSettings, name: str) -> bool:
    """Whether `name` is one of ours (not another prefix's that starts the same)."""
    return re.fullmatch(rf"{re.escape(settings.prefix)}_[0-9a-f]{{32}}", name) is not None


def not_in_this_store(version: VersionInfo) -> IndexMissing:
    return IndexMissing(
        f"index {version.name} has no Qdrant vectors here (it was built with store="
        f"{version.manifest.get('store', '?')} or another Qdrant location); run `cinebot "
        "ingest` with store=qdrant to fill them from the stored vectors"
    )
