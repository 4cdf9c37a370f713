"""Runtime in a question: "under 90 minutes", "longer than two hours", "at most 1h40",
"between 90 and 120 minutes", "an hour and a half or less". Bounds are whole minutes,
inclusive: "under 90 minutes" is at most 89."""

from __future__ import annotations

import re

from index.answering.question.state import Question

_WORDS = {"an": 1, "a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_UNIT = r"(?:hours?|hrs?|minutes?|mins?)\b|h(?=\s*\d)|h\b|m\b"
_AMOUNT = (
    r"(?P<{n}>\d+(?:\.\d+)?|an?|one|two|three|four)(?![\d.])"
    r"(?P<{n}half>\s+and\s+a\s+half)?\s*"
    rf"(?P<{{n}}unit>{_UNIT})"
    r"(?P<{n}half2>\s+and\s+a\s+half\b)?"
    r"(?:\s*(?P<{n}extra>\d+)\s*(?:minutes?|mins?|m)?\b)?"
)
_LESS = r"under|less than|shorter than|below|at most|no more than|no longer than|up to|max(?:imum)?(?: of)?|within"
_MORE = r"over|more than|longer than|above|at least|no (?:less|shorter) than|min(?:imum)?(?: of)?"
_BEFORE = re.compile(
    rf"\b(?:(?:running|runtime|run time|length|lasting)\s+)?(?P<op>{_LESS}|{_MORE})\s+{_AMOUNT.format(n='a')}",
    re.I,
)
_AFTER = re.compile(
    rf"\b{_AMOUNT.format(n='a')}\s*(?:long\s*)?,?\s*(?P<op>or (?:less|shorter|under)|or (?:more|longer|over)|max|maximum|tops|"
    r"no longer|not (?:any )?longer|at (?:the )?most)\b",
    re.I,
)
_BETWEEN = re.compile(
    rf"\bbetween\s+(?P<first>\d+)(?:\s*(?P<first_unit>{_UNIT}))?\s+and\s+{_AMOUNT.format(n='b')}",
    re.I,
)


_NEGATED = re.compile(r"\b(?:nothing|no|not|none)\s+(?:that\s+is\s+|that['’]s\s+)?$", re.I)


def _minutes(m: re.Match[str], n: str) -> int:
    raw = m[n].lower()
    value = float(_WORDS.get(raw, 0) or raw)
    if m[f"{n}half"] or m[f"{n}half2"]:
        value += 0.5
    if m[f"{n}unit"].lower().startswith("h"):
        value *= 60
        if m[f"{n}extra"]:
            value += int(m[f"{n}extra"])  # "1h40"
    return round(value)


def read(question: Question) -> None:
    filters = question.filters
    for m in list(_BETWEEN.finditer(question.text)):
        second = _minutes(m, "b")
        first = int(m["first"])
        unit = (m["first_unit"] or m["bunit"]).lower()
        if unit.startswith("h"):
            first *= 60
        low, high = sorted((first, second))
        filters.runtime_min, filters.runtime_max = low, high
        question.cut(m, "runtime")
    for pattern in (_BEFORE, _AFTER):
        for m in list(pattern.finditer(question.text)):
            minutes = _minutes(m, "a")
            op = m["op"].lower()
            strict = op in {
                "under",
                "less than",
                "shorter than",
                "below",
                "over",
                "more than",
                "longer than",
                "above",
            }
            shorter = bool(re.match(_LESS, op)) or op.startswith(
                ("or less", "or shorter", "or under")
            )
            shorter = shorter or op in {"max", "maximum", "tops"}
            shorter = shorter or op in {"no longer", "not longer", "not any longer", "at the most"}
            start = m.start()
            if pattern is _BEFORE and (negated := _NEGATED.search(question.text[:start])):
                # "nothing over 3 hours" is "at most 3 hours"
                shorter, strict, start = not shorter, not strict, negated.start()
            if shorter:
                filters.runtime_max = minutes - 1 if strict else minutes
            else:
                filters.runtime_min = minutes + 1 if strict else minutes
            question.cut((start, m.end()), "runtime")
