"""Ratings in a question: "rated 8+", "at least 4 stars", "above 7", "not rated below 6",
"highly rated". Every scale becomes 0-10; a number of 1800 or more is a year, not a rating."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.answering.question.state import Question
from index.types import Ignored

# "at least an 8", "above a 7": a rating said with an article (never a time: "a 2 hour film").
_NUM = r"(?:an?\s+(?=\d+(?:\.\d+)?(?!\d|\.\d)(?!\s*(?:hours?|hrs?|minutes?|mins?|years?)\b)))?(\d+(?:\.\d+)?)(?!\d|\.\d)"
_UNIT = (
    r"\s*(?P<scale>/\s*100|/\s*10(?!\d)|/\s*5(?:\s*stars?)?(?!\d)|out of (?:100|10|5(?:\s*stars?)?)"
    r"|stars?|%|points?)"
)
_SCALE = rf"(?:{_UNIT})?"
_RATING_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # "rated 3-": three or less (a range "3-5" or a word "8-year-old" is not one)
    (re.compile(rf"\b(?:rated|rating|scored?)?\s*{_NUM}{_SCALE}\s*-(?![\w-])", re.I), "max"),
    (
        re.compile(
            rf"\b(?:rated|rating|scored?)?\s*{_NUM}{_SCALE}\s*"
            r"(?:or (?:less|lower|below|under|worse)|and (?:under|below|lower))\b",
            re.I,
        ),
        "max",
    ),
    (
        re.compile(
            rf"\b(?:rated|rating|scored?|with a rating of|with a score of)?\s*{_NUM}{_SCALE}\s*(?:\+|plus\b|or (?:more|higher|better|above|up)\b|and (?:up|above|over)\b)",
            re.I,
        ),
        "min",
    ),
    (
        re.compile(
            rf"\b(?:rated|rating|scored?|score)?\s*(?:at least|no less than|no lower than|not lower than|not less than|(?:above|greater than|higher than|more than) or equal(?: to)?|minimum(?: of)?|>=|≥)\s*{_NUM}{_SCALE}",
            re.I,
        ),
        "min",
    ),
    (
        re.compile(
            rf"\b(?:rated|rating|scored?|score)?\s*(?:at most|no more than|no higher than|not higher than|not more than|(?:below|less than|lower than) or equal(?: to)?|maximum(?: of)?|<=|≤)\s*{_NUM}{_SCALE}",
            re.I,
        ),
        "max",
    ),
    (
        re.compile(
            rf"\b(?:rated|rating|scored?|score)\s*(?:above|over|more than|higher than|better than|greater than|>)\s*{_NUM}{_SCALE}",
            re.I,
        ),
        "gt",
    ),
    (
        re.compile(
            rf"(?:\babove|\bover|\bmore than|\bhigher than|\bbetter than|\bgreater than|>)\s*{_NUM}(?P<need>{_UNIT})?(?!\s*(?:hours?|minutes?|mins?|years?|films?|movies?))",
            re.I,
        ),
        "gt?",
    ),
    (
        re.compile(
            rf"\b(?:rated|rating|scored?|score)?\s*(?:below|under|less than|lower than|worse than|<)\s*{_NUM}{_SCALE}(?!\s*(?:hours?|minutes?|mins?|years?))",
            re.I,
        ),
        "lt",
    ),
    (re.compile(rf"\b(?:rated|rating|scored?)\s*{_NUM}{_SCALE}", re.I), "min"),
    # "4 stars", "4/5 stars" (not the "5 stars" of it)
    (
        re.compile(
            rf"(?<![\d./])\b{_NUM}(?:(?P<scale>\s*/\s*5\s*stars?)|(?P<stars>[- ]stars?))\b", re.I
        ),
        "min",
    ),
]
_RATING_WORDS: list[tuple[re.Pattern[str], str, float]] = [
    (
        re.compile(
            r"\b(?:highly|top|well|best|critically)[- ]?(?:rated|reviewed|acclaimed)\b|\bacclaimed\b",
            re.I,
        ),
        "min",
        8.0,
    ),
    (re.compile(r"\b(?:poorly|badly|low|worst)[- ]?(?:rated|reviewed)\b", re.I), "max", 4.0),
]


_RATED = re.compile(r"\b(?:rated|rating|scored?|score)\b", re.I)
_AGE = re.compile(
    r"\b(?:kids?|children|child|son|daughter|boy|girl|toddler|ages?|aged|year[- ]olds?)\b"
    r"(?:\W+\w+){0,6}\W*$",
    re.I,
)


def _to_ten(value: float, scale: str | None) -> float:
    scale = (scale or "").replace(" ", "").lower()
    if scale.startswith(("/5", "outof5", "star")) and not scale.startswith("/50"):
        return value * 2
    if scale in {"/100", "outof100", "%"}:
        return value / 10
    return value


@dataclass(frozen=True)
class _Bound:
    at: int  # where it was said, to keep the order the question said them in
    lower: bool
    value: float
    exclusive: bool
    phrase: str


def _stricter(old: _Bound | None, new: _Bound) -> bool:
    if old is None:
        return True
    if new.lower:
        return (new.value, new.exclusive) > (old.value, old.exclusive)
    return (new.value, not new.exclusive) < (old.value, not old.exclusive)


# "rated 9 or 10", "rated 7-9/10", "rated between 3 and 4 stars": both ends at once.
_RANGE = re.compile(
    rf"\b(?:rated|rating|scored?|score)\s*(?:between\s*)?{_NUM}\s*(?:or|to|and|-|–)\s*"
    rf"(?P<high>\d+(?:\.\d+)?)(?!\d|\.\d){_SCALE}",
    re.I,
)


def _ranges(question: Question) -> list[_Bound]:
    bounds = []
    for m in list(_RANGE.finditer(question.text)):
        low, high = (_to_ten(float(v), m["scale"]) for v in (m.group(1), m["high"]))
        if not 0 <= low <= high <= 10:
            continue
        phrase = " ".join(m.group().split())
        bounds.append(_Bound(m.start(), True, low, False, phrase))
        if high < 10:  # "9 or 10" asks for 9 and up
            bounds.append(_Bound(m.start(), False, high, False, phrase))
        question.cut(m, "rating")
    return bounds


def read(question: Question) -> None:
    """Every rating phrase, in the order the question says them: of two lower (or upper)
    bounds the stricter is kept ("rated 8+ and rated 3+" is 8+), and a bound that contradicts
    the other ("rated 8+ … 3-") is not used, and listed as such."""
    bounds = _ranges(question)
    for pattern, kind in _RATING_PATTERNS:
        for m in list(pattern.finditer(question.text)):
            if (bound := _bound(question, m, kind)) is not None:
                bounds.append(bound)
                question.cut((bound.at, m.end()), "rating")
    for pattern, kind, value in _RATING_WORDS:
        if said := pattern.search(question.text):
            bounds.append(_Bound(said.start(), kind == "min", value, False, said.group(0)))
            question.cut(said, "rating")
    _keep(question, bounds)


def _bound(question: Question, m: re.Match[str], kind: str) -> _Bound | None:
    """The bound a rating phrase sets, or None when its number is no rating (a year, an age,
    "under 10/10")."""
    value = float(m.group(1))
    groups = m.groupdict()
    scale = groups.get("scale") or ("stars" if groups.get("stars") else None)
    if kind == "gt?" and not (groups.get("need") or value <= 10):
        return None
    if value >= 1800 and not scale:
        return None  # a year, not a rating
    # "under 10" with no rating word: a rating only when it says something (not "under
    # 10/10"), and not an age ("for my kids, under 10").
    bare = kind in {"lt", "gt?"} and not scale and not _RATED.search(m.group())
    if bare and (value in (0, 10) or _AGE.search(question.text[: m.start()])):
        return None
    rating = _to_ten(value, scale)
    if not 0 <= rating <= 10:
        return None
    lower = kind in {"min", "gt", "gt?"}
    exclusive = kind in {"gt", "gt?", "lt"}
    negated = re.search(r"\bnot\s*(?:rated\s*)?$", question.text[: m.start()], re.I)
    if negated:  # "not below 6" is "at least 6"
        lower, exclusive = not lower, not exclusive
    start = negated.start() if negated else m.start()
    phrase = " ".join(question.text[start : m.end()].split())
    return _Bound(start, lower, rating, exclusive, phrase)


def _keep(question: Question, bounds: list[_Bound]) -> None:
    """The stricter of each side, in the order said; a bound contradicting the other side
    is listed as not used."""
    low: _Bound | None = None
    high: _Bound | None = None
    for bound in sorted(bounds, key=lambda b: b.at):
        other = high if bound.lower else low
        if other is not None and (
            bound.value > other.value if bound.lower else bound.value < other.value
        ):
            question.ignored.append(
                Ignored(phrase=bound.phrase, why=f"contradicts “{other.phrase}”")
            )
            continue
        if bound.lower and _stricter(low, bound):
            low = bound
        elif not bound.lower and _stricter(high, bound):
            high = bound
    filters = question.filters
    if low is not None:
        filters.rating_min, filters.rating_min_exclusive = low.value, low.exclusive
    if high is not None:
        filters.rating_max, filters.rating_max_exclusive = high.value, high.exclusive
