"""When no film passes every filter: which filter emptied the result, and which to drop
instead (the one that emptied it first, then the most specific ones), in the orders the
filter registry (`index.knowledge.filters`) declares."""

from __future__ import annotations

from dataclasses import dataclass

from index.knowledge import filters as registry
from index.knowledge.filters import Facts, Masks
from index.types import QueryFilters


def culprit(facts: Facts, filters: QueryFilters, library: str | None = None) -> str | None:
    """The filter that empties the result: adding filters in their blame order, the first one
    that leaves no film. None when the filters are not the reason (empty index)."""
    active = {f.key for f in registry.active(filters)}
    applied: list[str] = []
    for f in registry.blame_order():
        if f.key not in active:
            continue
        applied.append(f.key)
        if not registry.masks(facts, registry.only(filters, *applied), library).reviews.any():
            return f.key
    return None


@dataclass(frozen=True)
class Relaxed:
    """What is searched when no film passes every filter."""

    filters: QueryFilters
    masks: Masks
    emptied_by: str | None
    dropped: tuple[str, ...]


def relax(facts: Facts, filters: QueryFilters, masks: Masks, library: str | None = None) -> Relaxed:
    """Drop the filter that emptied the result first, then the most specific ones, until
    something passes (or nothing is left to drop)."""
    emptied_by = culprit(facts, filters, library)
    order = [emptied_by] if emptied_by else []
    order += [f.key for f in registry.relax_order() if f.key != emptied_by]
    dropped: list[str] = []
    for key in order:
        if masks.reviews.any():
            break
        if registry.by_key(key).is_set(filters):
            filters = registry.without(filters, key)
            dropped.append(key)
            masks = registry.masks(facts, filters, library)
    return Relaxed(filters, masks, emptied_by, tuple(dropped))
