"""Ratings in a question: "rated 8+", "at least 4 stars", "above 7", "not rated below 6",
"highly rated". Every scale becomes 0-10; a number of 1800 or more is a year, not a rating."""

from __future__ import annotations

import re

from index.answering.question.state import Question

_NUM = r"(\d+(?:\.\d+)?)(?![\d.])"
_UNIT = r"\s*(?P<scale>/\s*10|/\s*5|/\s*100|out of (?:10|5|100)|stars?|%|points?)"
_SCALE = rf"(?:{_UNIT})?"
_RATING_PATTERNS: list[tuple[re.Pattern[str], str]] = [
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
    (re.compile(rf"\b{_NUM}(?P<stars>[- ]stars?)\b", re.I), "min"),
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


def _to_ten(value: float, scale: str | None) -> float:
    scale = (scale or "").replace(" ", "").lower()
    if scale in {"/5", "outof5", "star", "stars"} or scale.startswith("star"):
        return value * 2
    if scale in {"/100", "outof100", "%"}:
        return value / 10
    return value


def read(question: Question) -> None:
    filters = question.filters
    for pattern, kind in _RATING_PATTERNS:
        for m in list(pattern.finditer(question.text)):
            value = float(m.group(1))
            groups = m.groupdict()
            scale = groups.get("scale") or ("stars" if groups.get("stars") else None)
            if kind == "gt?" and not (groups.get("need") or value <= 10):
                continue
            if value >= 1800 and not scale:
                continue  # a year, not a rating
            rating = _to_ten(value, scale)
            if not 0 <= rating <= 10:
                continue
            lower = kind in {"min", "gt", "gt?"}
            exclusive = kind in {"gt", "gt?", "lt"}
            negated = re.search(r"\bnot\s*(?:rated\s*)?$", question.text[: m.start()], re.I)
            if negated:  # "not below 6" is "at least 6"
                lower, exclusive = not lower, not exclusive
            if lower:
                filters.rating_min, filters.rating_min_exclusive = rating, exclusive
            else:
                filters.rating_max, filters.rating_max_exclusive = rating, exclusive
            question.cut((negated.start(), m.end()) if negated else m, "rating")
    for pattern, kind, value in _RATING_WORDS:
        if (m := pattern.search(question.text)) and getattr(filters, f"rating_{kind}") is None:
            setattr(filters, f"rating_{kind}", value)
            question.cut(m, "rating")
