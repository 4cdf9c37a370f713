"""Years in a question, as a small grammar over periods (a year, a decade) and bounds on them:

- a period: "2019", "in 1999", "the 90s", "'90s", "the nineties", "the 1950s";
- a list of periods is their span: "the 80s or 90s", "the 60's, 70's, and 80's";
- a range: "between 2000 and 2010", "2000-2005", "from 2001 to 2005";
- bounds, each setting its side: "after the year 2007 but before 2012" is 2008-2011, "made
  before 1990" ends at 1989, "since 2015", "2010 or earlier", "from the 90s up till now";
- time said relative to today: "recent", "anything newer", "just came out", "out now", "in
  the last 20 years", "from the past few years", "within the last year", "released this year";
  films not out yet: "upcoming", "coming soon" (from this year on).

Years where a story is set ("settings of the 1920s", "set in 1800") are not release years."""

from __future__ import annotations

import datetime as dt
import re

from index.answering.question.state import Question

_YEAR = r"((?:18|19|20)\d\d)"
_DECADE = (
    r"(?:the\s+)?(?:(?P<c>(?:18|19|20)\d)0['’]?s|['’]?(?P<d>\d)0['’]?s|"
    r"(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b"
)
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
# One period, unnamed, for lists ("the 60's, 70's, and 80's").
_PERIOD = (
    r"(?:the\s+)?(?:(?:18|19|20)\d0['’]?s|['’]?\d0['’]?s|twenties|thirties|forties|fifties|"
    r"sixties|seventies|eighties|nineties|(?:18|19|20)\d\d)(?![\w'’])"
)
_PERIOD_LIST = re.compile(
    rf"(?:\b(?:in|of|from)\s+)?{_PERIOD}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:or|and|and/or|&)\s+|"
    rf"\s*/\s*){_PERIOD})+",
    re.I,
)
_RANGE = re.compile(
    rf"\b(?:between|from)\s+{_YEAR}\s+(?:and|to|-|–|through|thru|until|till)\s+{_YEAR}\b|"
    rf"\b{_YEAR}\s*(?:-|–|to|through|thru)\s*{_YEAR}\b",
    re.I,
)
_BOUND = re.compile(
    rf"\b(?P<op>after|since|post|from|before|pre|prior to|until|till|up\s+(?:to|till|until)|"
    rf"older than|newer than|earlier than|later than|through)[- ]\s*(?:the\s+years?\s+)?"
    rf"(?:{_YEAR}|{_DECADE})",
    re.I,
)
_IN_DECADE = re.compile(rf"(?:\b(?:in|of|from)\s+)?{_DECADE}", re.I)
_IN_YEAR = re.compile(
    rf"(?:\b(?:in|of|from|released in|made in)\s+)?(?:the\s+year\s+)?\b{_YEAR}\b", re.I
)
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
    rf"not\s+before)\s+{_YEAR}\b|\b{_YEAR}\s+(?:or\s+(?:later|after|newer)|onwards?|and\s+(?:later|after|up))\b"
    # "2010+", "2010 +": that year on
    rf"|\b{_YEAR}\s?\+(?!\s*\d)",
    re.I,
)
# "from the 90s up till now": the upper bound is today, i.e. none.
_TO_NOW = re.compile(
    r"\b(?:(?:up\s+)?(?:till|until|to|through)\s+(?:now|today|the\s+present(?:\s+day)?|date)|"
    r"onwards?|and\s+(?:after|later|newer|since|up)|or\s+(?:after|later|newer)|on\s+up)\b",
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
    "couple of": 2,
    "a couple of": 2,
    "several": 5,
}
_LAST_YEARS = re.compile(
    r"\b(?:in\s+|from\s+|over\s+|during\s+|within\s+)?(?:the\s+)?(?:last|past)\s+"
    r"(?:(?P<n>\d{1,3}|five|ten|fifteen|twenty|thirty|forty|fifty|two|three|four|a\s+few|few|"
    r"(?:a\s+)?couple\s+of|several)\s+years|"
    r"(?P<decade>decade)|(?P<decades>(?:two|three|2|3)\s+decades)|(?P<year>year|12\s+months|"
    r"twelve\s+months))\b",
    re.I,
)
# "released this year", "last year's films": not "I saw it last year".
_THIS_YEAR = re.compile(
    r"\b(?:(?:released|made|out|came\s+out|coming\s+out|from|of|films?|movies?|ones?)\s+)"
    r"(?P<which>this|last)\s+year\b|\b(?P<which2>this|last)\s+year['’]s\b",
    re.I,
)
_RECENT = re.compile(
    r"\b(?:recent(?:ly\s+(?:released|made|out))?|latest|new(?:est)?\s+releases?|newest|"
    r"brand[- ]new|(?:just|recently)\s+(?:came\s+out|come\s+out|released|out)|"
    r"came\s+out\s+(?:(?:fairly|quite|pretty|very|relatively|rather)\s+)?recently|"
    r"(?:out|playing|showing)\s+(?:right\s+)?now|"
    r"(?:currently|now)\s+in\s+(?:theaters|theatres|cinemas)|in\s+(?:theaters|theatres|cinemas)\s+"
    r"(?:now|right\s+now)|currently\s+(?:playing|showing|out))\b",
    re.I,
)
# Films not out yet: "upcoming", "coming soon", "future releases" (from this year on).
_UPCOMING = re.compile(
    r"\b(?:up-?coming|forthcoming|coming\s+(?:out\s+)?soon|(?:future|unreleased)\s+"
    r"(?:releases?|films?|movies?)|(?:yet\s+)?to\s+be\s+released|not\s+(?:yet\s+)?out\s+yet)\b",
    re.I,
)
# "done anything recently", "something recently": about the films, not the asker ("I've
# seen that one recently").
_RECENTLY = re.compile(
    r"\b(?:anything|something|done|made|released)\s+(?:\w+\s+)?recently\b",
    re.I,
)
# "a new movie", "good new science fiction films": new as in recently made; not "newer ones
# like Home Again (2017)", whose age the film named says.
_NEW = re.compile(
    r"(?<![\w-])new(?=(?:\s+[a-z][\w-]*){0,3}?\s+(?:films?|movies?|releases?|ones?|stuff|"
    r"flicks?|titles?)\b(?!\s+(?:like|such\s+as)\b))|(?<![\w-])newer\b(?!\s+(?:ones?\s+|"
    r"films?\s+|movies?\s+)?(?:like|such\s+as)\b)",
)
# "old ones, new ones", "old movies and new movies", "new or old": films of any age.
_ANY_AGE = re.compile(
    r"\b(?:old(?:er)?|classic)(?:\s+(?:ones?|films?|movies?|stuff))?\s*(?:,|/|\bor\b|\band\b)\s*"
    r"(?:\w+\s+)?new(?:er)?\b|\bnew(?:er)?(?:\s+(?:ones?|films?|movies?|stuff))?\s*(?:,|/|\bor\b|"
    r"\band\b)\s*(?:\w+\s+)?old(?:er)?\b",
    re.I,
)
# "newer ones like Home Again (2017)": the films named say how new.
_EXAMPLE_AFTER = re.compile(r"\s+(?:ones?\s+|films?\s+|movies?\s+)?(?:like|such\s+as)\b", re.I)
_SETTING = re.compile(
    r"\b(?:set\s+(?:in|during|around)|settings?|takes?\s+place|took\s+place|taking\s+place|"
    r"story\s+(?:is\s+)?set)\b",
    re.I,
)
_CLAUSE_END = re.compile(r"[.!?;]|\b(?:but|and\s+i|i\s+(?:like|love|want))\b", re.I)


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


def _period(text: str) -> tuple[int, int] | None:
    """The years of one period as said ("the 80's", "1995")."""
    if m := re.search(_DECADE, text, re.I):
        return decade_years(m)
    if m := re.search(_YEAR, text):
        return int(m[1]), int(m[1])
    return None


def _hide_settings(question: Question) -> list[tuple[int, int, str]]:
    """Blank out, for this step only, where a story is set; returns what to put back."""
    hidden = []
    for m in list(_SETTING.finditer(question.text)):
        end = _CLAUSE_END.search(question.text, m.end())
        stop = end.start() if end else len(question.text)
        hidden.append((m.end(), stop, question.text[m.end() : stop]))
        question.text = question.text[: m.end()] + " " * (stop - m.end()) + question.text[stop:]
    return hidden


def read(question: Question, today: dt.date) -> None:
    hidden = _hide_settings(question)
    try:
        _read(question, today)
    finally:
        for start, end, words in hidden:
            question.text = question.text[:start] + words + question.text[end:]


def _read(question: Question, today: dt.date) -> None:
    """The year phrases, in the order that keeps longer ones from being read as shorter:
    spans back from today, bounds and ranges, then decades and single years."""
    _spans_from_today(question, today)
    _bounds(question)
    _decades_and_years(question)
    _upcoming(question, today)
    _relative(question, today)


def _spans_from_today(question: Question, today: dt.date) -> None:
    """ "the last 10 years", "this year", "last year"."""
    filters = question.filters
    for m in list(_LAST_YEARS.finditer(question.text)):
        if m["year"] and not re.search(r"\bthe\s", m.group(), re.I):
            continue  # "last year" is that year (below)
        if m["decade"]:
            back = 10
        elif m["decades"]:
            back = 10 * (3 if m["decades"].split()[0] in {"three", "3"} else 2)
        elif m["year"]:
            back = 1
        else:
            raw = re.sub(r"\s+", " ", m["n"].lower())
            back = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        filters.year_min = today.year - back
        question.cut(m, "year")
    for m in list(_THIS_YEAR.finditer(question.text)):
        year = today.year if (m["which"] or m["which2"]).lower() == "this" else today.year - 1
        filters.year_min = filters.year_max = year
        question.cut(m, "year")


def _bounds(question: Question) -> None:
    """ "after March 2010", "2010 or earlier", "between 2000 and 2010", "the 80s or 90s",
    "before 1990"."""
    filters = question.filters
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
    for m in list(_PERIOD_LIST.finditer(question.text)):
        spans = [
            p for p in (_period(x.group()) for x in re.finditer(_PERIOD, m.group(), re.I)) if p
        ]
        if spans:
            filters.year_min = min(lo for lo, _ in spans)
            filters.year_max = max(hi for _, hi in spans)
            question.cut(m, "year")
    for m in list(_BOUND.finditer(question.text)):
        op = " ".join(m["op"].lower().split())
        lo, hi = decade_years(m) or (int(m.group(2)), int(m.group(2)))
        if op in _FLIPPED and question.negated(m.start()):
            op = _FLIPPED[op]  # "nothing before 1990": from 1990 on
            lo = hi = lo - 1 if op == "after" else hi + 1
        if op in {"after", "post", "newer than", "later than"}:
            filters.year_min = hi + 1
        elif op == "since":
            filters.year_min = lo
        elif op == "from":
            filters.year_min, filters.year_max = lo, hi
        elif op in {"before", "pre", "prior to", "older than", "earlier than"}:
            filters.year_max = lo - 1
        else:  # until, up to, through
            filters.year_max = hi
        question.cut(m, "year")


# A bound under a negation is the other bound: "nothing before 1990" is 1990 on, "nothing
# after 2010" up to 2010.
_FLIPPED = {
    "before": "after",
    "pre": "after",
    "prior to": "after",
    "older than": "after",
    "earlier than": "after",
    "after": "before",
    "post": "before",
    "newer than": "before",
    "later than": "before",
}


def _decades_and_years(question: Question) -> None:
    """ "the 90s", "in 2019", and "… to now" after a lower bound."""
    filters = question.filters
    for m in list(_IN_DECADE.finditer(question.text)):
        filters.year_min, filters.year_max = decade_years(m) or (None, None)
        question.cut(m, "year")
    for m in list(_IN_YEAR.finditer(question.text)):
        filters.year_min = filters.year_max = int(m.group(1))
        question.cut(m, "year")
    if filters.year_min is not None and (now := _TO_NOW.search(question.text)):
        filters.year_max = None
        question.cut(now, "year")


def _upcoming(question: Question, today: dt.date) -> None:
    """ "upcoming sci-fi films", "what's coming soon": this year's films and later ones (a
    catalogue lists films announced for next year too)."""
    found = _UPCOMING.search(question.text)
    if found is None:
        return
    if question.negated(found.start()):
        question.cut(found)  # "nothing upcoming": no films are wanted for being new
        return
    question.filters.year_min = question.filters.year_min or today.year
    question.cut(found, "year")


def _relative(question: Question, today: dt.date) -> None:
    """ "recent", "newer", "just came out", "a new movie": the last five years; not when old
    ones are as welcome ("old movies and new movies")."""
    filters = question.filters
    if both := _ANY_AGE.search(question.text):
        question.cut(both)
        return
    found = _RECENT.search(question.text) or next(
        (
            m
            for m in _NEW.finditer(question.text)
            if not _EXAMPLE_AFTER.match(question.said, m.end())
        ),
        None,
    )
    if found is None and (m := _RECENTLY.search(question.text)):
        found = (
            m
            if not re.search(r"\b(?:i|i['’]ve|we|we['’]ve)\s+$", question.text[: m.start()], re.I)
            else None
        )
    if found is not None and question.negated(found.start()):
        question.cut(found)  # "not the new stuff": no films are wanted for being recent
    elif found is not None:
        filters.year_min = filters.year_min or today.year - 5
        question.cut(found, "year")
