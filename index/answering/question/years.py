"""Years in a question: "2019", "from the 90s", "the nineties", "after 2015", "between 2000 and
2010", "2000-2005", "recent"."""

from __future__ import annotations

import datetime as dt
import re

from index.answering.question.state import Question

_YEAR = r"((?:18|19|20)\d\d)"
_DECADE = r"(?:the\s+)?(?:(?P<c>(?:18|19|20)\d)0['’]?s|['’]?(?P<d>\d)0['’]?s|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b"
_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}
_RANGE = re.compile(
    rf"\b(?:between|from)\s+{_YEAR}\s+(?:and|to|-|–)\s+{_YEAR}\b|\b{_YEAR}\s*(?:-|–|to)\s*{_YEAR}\b",
    re.I,
)
_BOUND = re.compile(
    rf"\b(?P<op>after|since|post|from|before|pre|prior to|until|up to|older than|newer than)[- ]\s*(?:{_YEAR}|{_DECADE})",
    re.I,
)
_IN_DECADE = re.compile(rf"(?:\b(?:in|of|from)\s+)?{_DECADE}", re.I)
_IN_YEAR = re.compile(rf"(?:\b(?:in|of|from|released in|made in)\s+)?\b{_YEAR}\b", re.I)
_RECENT = re.compile(r"\b(?:recent|latest|new releases?|newest|this year)\b", re.I)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_MONTH_BOUND = re.compile(
    rf"\b(?P<op>after|since|from|before|until|till|by)\s+(?:the\s+end\s+of\s+)?{_MONTHS}\s+(?:of\s+)?{_YEAR}\b",
    re.I,
)
_UP_TO_AND_IN = re.compile(
    rf"\b(?:before\s*\(?\s*or\s+(?:in|during)\s*\)?|in\s+or\s+before|up\s+to\s+and\s+including|"
    rf"no\s+later\s+than|not\s+after)\s+{_YEAR}\b|\b{_YEAR}\s+or\s+(?:earlier|before|older)\b",
    re.I,
)
_FROM_AND_IN = re.compile(
    rf"\b(?:after\s*\(?\s*or\s+(?:in|during)\s*\)?|in\s+or\s+after|no\s+earlier\s+than|"
    rf"not\s+before)\s+{_YEAR}\b|\b{_YEAR}\s+(?:or\s+(?:later|after|newer)|onwards?|and\s+(?:later|after|up))\b",
    re.I,
)
_NUMBER_WORDS = {
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "two": 2,
    "three": 3,
    "four": 4,
    "a few": 5,
    "few": 5,
}
_LAST_YEARS = re.compile(
    r"\b(?:in\s+|from\s+|over\s+|during\s+|within\s+)?(?:the\s+)?(?:last|past)\s+"
    r"(?:(?P<n>\d{1,3}|five|ten|fifteen|twenty|thirty|forty|fifty|two|three|four|a\s+few|few)\s+years|"
    r"(?P<decade>decade)|(?P<decades>(?:two|three|2|3)\s+decades))\b",
    re.I,
)


def decade_years(m: re.Match[str]) -> tuple[int, int] | None:
    """The years of a decade matched by _DECADE ("1990s", "'90s", "nineties"), if any."""
    if m["c"]:
        start = int(m["c"]) * 10
    elif m["d"]:
        digit = int(m["d"])
        start = (2000 if digit <= 2 else 1900) + digit * 10
    elif m["w"]:
        start = 1900 + _DECADE_WORDS[m["w"].lower()] * 10
    else:
        return None
    return start, start + 9


def read(question: Question, today: dt.date) -> None:
    filters = question.filters
    for m in list(_LAST_YEARS.finditer(question.text)):
        if m["decade"]:
            back = 10
        elif m["decades"]:
            back = 10 * (3 if m["decades"].split()[0] in {"three", "3"} else 2)
        else:
            raw = re.sub(r"\s+", " ", m["n"].lower())
            back = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        filters.year_min = today.year - back
        question.cut(m, "year")
    for m in list(_MONTH_BOUND.finditer(question.text)):
        year = int(m.group(2))
        if m["op"].lower() in {"after", "since", "from"}:
            filters.year_min = year
        else:
            filters.year_max = year
        question.cut(m, "year")
    for m in list(_UP_TO_AND_IN.finditer(question.text)):
        filters.year_max = int(next(g for g in m.groups() if g))
        question.cut(m, "year")
    for m in list(_FROM_AND_IN.finditer(question.text)):
        filters.year_min = int(next(g for g in m.groups() if g))
        question.cut(m, "year")
    for m in list(_RANGE.finditer(question.text)):
        a, b = (int(x) for x in m.groups() if x)
        filters.year_min, filters.year_max = min(a, b), max(a, b)
        question.cut(m, "year")
    for m in list(_BOUND.finditer(question.text)):
        op = m["op"].lower()
        lo, hi = decade_years(m) or (int(m.group(2)), int(m.group(2)))
        if op in {"after", "post", "newer than"}:
            filters.year_min = hi + 1
        elif op == "since":
            filters.year_min = lo
        elif op == "from":
            filters.year_min, filters.year_max = lo, hi
        elif op in {"before", "pre", "prior to", "older than"}:
            filters.year_max = lo - 1
        else:
            filters.year_max = hi
        question.cut(m, "year")
    for m in list(_IN_DECADE.finditer(question.text)):
        filters.year_min, filters.year_max = decade_years(m) or (None, None)
        question.cut(m, "year")
    for m in list(_IN_YEAR.finditer(question.text)):
        filters.year_min = filters.year_max = int(m.group(1))
        question.cut(m, "year")
    if m := _RECENT.search(question.text):
        back = 0 if "this year" in m.group(0).lower() else 5
        filters.year_min = filters.year_min or today.year - back
        question.cut(m, "year")
