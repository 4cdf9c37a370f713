"""A full calendar date in a short line of a page ("Oct 10, 2023", "Published 2 June 2022")."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

_DATE_PREFIX = re.compile(
    r"^[\s\-–—•·|]*(?:published|posted|updated|watched|on)?\s*:?\s*(?:on\s+)?", re.IGNORECASE
)


@cache
def _dateparser():  # imported lazily: dateparser costs ~0.5 s at import
    import dateparser

    return dateparser


def parse_date(text: str) -> dt.date | None:
    """A full calendar date in a short line, or None; never guesses a missing day."""
    text = _DATE_PREFIX.sub("", text).strip(" -–—•·|")
    if not text or len(text) > 40 or not re.search(r"\d", text):
        return None
    parsed = _dateparser().parse(
        text,
        languages=["en"],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date() if parsed else None
