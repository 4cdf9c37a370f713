"""What Qdrant knows about each passage, and filters in its terms, for both Qdrant stores.

The server store (qdrant-client, `qdrant_vectors`) and the embedded engine (qdrant-edge,
`qdrant_edge_vectors`) share one payload model: film-level fields (countries, genres, year,
directors, cast, languages, runtime) copied onto each passage, the review's own rating, and the
library (the tenant). A filter is first said here in plain data (`Where`), with the same meaning
as its row mask (both from `index.knowledge.filters`); each store spells it with its own classes. Both
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
from index.knowledge import filters as registry
from index.knowledge.filters import Condition, Conditions, conditions, film_facts
from index.storage.vectors import Selection
from index.storage.versions import VersionInfo, open_readonly
from index.types import QueryFilters

# How each payload field is indexed: each filtered fact as its kind says (keywords for sets,
# integer/float for ranges), the film id, and the library as the tenant key (Qdrant's
# multitenancy: points stored together per library).
Kind = Literal["keyword", "integer", "float", "tenant"]


def fields() -> dict[str, Kind]:
    return {
        "library": "tenant",
        **{fact.name: fact.kind for fact in registry.FACTS},
        "film_id": "keyword",
    }


def passage_payloads(meta: Path) -> Iterator[dict[str, Any]]:
    """The payload of each passage row, in row order (passage_id order), from a version's
    SQLite file; one at a time, so a million passages are never all in memory."""
    with contextlib.closing(open_readonly(meta)) as db:
        films = {}
        for fid, year, data in db.execute("SELECT film_id, year, data FROM films"):
            record = {**json.loads(data), "year": year}
            payload: dict[str, Any] = {"film_id": fid}
            for fact, value in film_facts(record):
                payload[fact.name] = -1 if value is None else value  # unknown: fails a range
            films[fid] = payload
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


@dataclass(frozen=True)
class Where:
    """Every `must`, no `must_not`, and (when there are any) one of `should`; no point whose
    id is in `not_ids` (passages a version deleted, still in the store for older versions)."""

    must: tuple[Condition, ...] = ()
    must_not: tuple[Condition, ...] = ()
    should: tuple[Where | Condition, ...] = ()
    not_ids: tuple[int, ...] = ()


def where(
    filters: QueryFilters | None,
    exclude_film: str | None = None,
    libraries: tuple[str, ...] | None = None,
    gained: tuple[str, ...] = (),
    lost: tuple[str, ...] = (),
) -> Where | None:
    """The filters (and the film left out, and the libraries the place may see) as payload
    conditions; None when nothing is filtered. A passage's payload holds its film's facts as
    everyone sees them: films that pass in this place though those facts say otherwise
    (`gained`) pass too, and films that fail here though they say otherwise (`lost`) do not."""
    if filters is None:
        found = Conditions()
    elif gained:
        found = conditions(filters, of_review=True)
        film = conditions(filters, of_review=False)
        everyone = Where(tuple(film.must), tuple(film.must_not))
        found.should.extend([everyone, Condition("film_id", any=tuple(gained))])
    else:
        found = conditions(filters)
    if lost:
        found.must_not.append(Condition("film_id", any=tuple(lost)))
    if exclude_film is not None:
        found.must_not.append(Condition("film_id", value=exclude_film))
    if libraries is not None:  # the tenant: a server's library and the base one
        found.must.append(Condition("library", any=tuple(libraries)))
    if not found.must and not found.must_not and not found.should:
        return None
    return Where(tuple(found.must), tuple(found.must_not), tuple(found.should))


def where_for(
    selection: Selection | None,
    deleted: tuple[int, ...] = (),
    stale: dict[str, bool] | None = None,
    below: int | None = None,
) -> Where | None:
    """A search's selection as payload conditions. `deleted`: point ids the version no longer
    has; `stale`: films whose payloads predate their facts, each with whether it passes here
    (told apart as a server's own films are); `below`: only points of lower ids (a store
    holding newer versions' passages too)."""
    if selection is None:
        found = None
    else:
        gained, lost = selection.gained, selection.lost
        if stale and registry.is_filtered(selection.filters):
            gained = tuple(
                {*(f for f in gained if f not in stale), *(f for f, ok in stale.items() if ok)}
            )
            lost = tuple(
                {*(f for f in lost if f not in stale), *(f for f, ok in stale.items() if not ok)}
            )
        found = where(selection.filters, selection.exclude_film, selection.libraries, gained, lost)
    if below is not None:
        found = found or Where()
        found = Where((*found.must, Condition("pid", lt=below)), found.must_not, found.should)
    if deleted:
        found = found or Where()
        found = Where(found.must, found.must_not, found.should, tuple(deleted))
    return found


@dataclass(frozen=True)
class Spelling:
    """One Qdrant library's classes for a filter (qdrant-client's models and qdrant-edge
    take the same keywords; only the range class differs)."""

    filter: Any
    field: Any
    match_value: Any
    match_any: Any
    range: Any
    has_id: Any  # ids -> the library's condition on point ids

    def __call__(self, where: Where | None) -> Any:
        if where is None:
            return None

        def spell(c: Condition | Where) -> Any:
            if isinstance(c, Where):
                return self(c)
            if c.value is not None:
                return self.field(key=c.key, match=self.match_value(value=c.value))
            if c.any is not None:
                return self.field(key=c.key, match=self.match_any(any=list(c.any)))
            bounds = {"gt": c.gt, "gte": c.gte, "lt": c.lt, "lte": c.lte}
            return self.field(key=c.key, range=self.range(**bounds))

        must_not = [spell(c) for c in where.must_not]
        if where.not_ids:
            must_not.append(self.has_id(list(where.not_ids)))
        return self.filter(
            must=[spell(c) for c in where.must] or None,
            must_not=must_not or None,
            should=[spell(c) for c in where.should] or None,
        )


def version_name(settings: QdrantSettings, folder: Path) -> str:
    """A segment's collection (or shard) name: the prefix and the unique id of the folder it
    is written in (a commit's `.tmp-<id>`, a merge's `.merge-<id>`)."""
    return f"{settings.prefix}_{folder.name.removeprefix('.tmp-').removeprefix('.merge-')}"


def named_in(settings: QdrantSettings, kept: list[dict[str, Any]], key: str) -> set[str]:
    """The names the `kept` records give under `key`, and those of the merges being written
    (`pending`: a merge's folder, whose segment no version names yet)."""
    named = {str(m[key]) for m in kept if m.get(key)}
    return named | {version_name(settings, Path(m["pending"])) for m in kept if m.get("pending")}


def is_version_name(settings: QdrantSettings, name: str) -> bool:
    """Whether `name` is one of ours (not another prefix's that starts the same)."""
    return re.fullmatch(rf"{re.escape(settings.prefix)}_[0-9a-f]{{32}}", name) is not None


def not_in_this_store(version: VersionInfo) -> IndexMissing:
    return IndexMissing(
        f"index {version.name} has no Qdrant vectors here (it was built with store="
        f"{version.manifest.get('store', '?')} or another Qdrant location); run `cinebot "
        "ingest` with store=qdrant to fill them from the stored vectors"
    )
