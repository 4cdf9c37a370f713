"""What a question was read as, the way the step tests compare it."""

from __future__ import annotations

from typing import Any

from index.types import ParsedQuery


def reading(parsed: ParsedQuery, *also: str) -> dict[str, Any]:
    """The filters a question set (left at their defaults: not set), and each of `also`
    ("like", "limit", "title") it has."""
    got = {k: v for k, v in parsed.filters.model_dump().items() if v not in (None, [], False)}
    got.update({key: value for key in also if (value := getattr(parsed, key)) is not None})
    return got
