"""A film's name as people write it, split into its title and year: "Heat (1995)", "Heat [1995]",
and, where a bare year is allowed, "heat 1995".

The one place that knows what a year beside a title looks like. The readers (a record's year
field, a page's title line), the catalogue's title lookup and a member's posted review all split
names here. The question parser keeps a pattern of its own for a different job: it finds
"(1995)" right after a title it has already found inside running text, rather than splitting a
name it was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

YEAR = r"(?:18|19|20)\d\d"
# A year in brackets: "(1995)", "[1966]", "( 2001 )".
BRACKETED_YEAR = rf"[\(\[]\s*{YEAR}\s*[\)\]]"
_BRACKETED_AT_END = re.compile(rf"^(?P<title>.*?)\s*[\(\[]\s*(?P<year>{YEAR})\s*[\)\]]\s*$")
# A bare year ending the name, or a bracketed one missing a bracket: "heat 1995", "heat (1995".
_ANY_AT_END = re.compile(rf"^(?P<title>.*?)\s*\(?\b(?P<year>{YEAR})\)?\s*$")
_YEAR_VALUE = re.compile(rf"\s*({YEAR})(?:\.0)?\s*")


@dataclass(frozen=True)
class FilmName:
    title: str
    year: int | None = None


def split_film_name(name: str, *, bare_year: bool = False) -> FilmName:
    """The title and the year a name gives. A year counts only in brackets at the end, or (with
    `bare_year`, for what people type) also bare at the end; a name that is only a year
    ("1917", "2046") is a title, and so is a bare year no film can have yet ("Blade Runner
    2049")."""
    if (m := _BRACKETED_AT_END.match(name)) and m["title"].strip():
        return FilmName(m["title"].strip(), int(m["year"]))
    m = _ANY_AT_END.match(name) if bare_year else None
    if m and m["title"].strip() and int(m["year"]) <= date.today().year + 1:
        return FilmName(m["title"].strip(), int(m["year"]))
    return FilmName(name.strip(), None)


def year_value(value: Any) -> int | None:
    """A year field's value ("1995", 1995, 1995.0 as spreadsheets write it), None when empty;
    raises ValueError for anything else."""
    if value is None or value == "":
        return None
    if not (m := _YEAR_VALUE.fullmatch(str(value))):
        raise ValueError(f"year {value!r} is not a four-digit year")
    return int(m[1])
