"""Original language in a question: "Korean-language", "in French", "spoken in Hindi",
"foreign-language" and "non-English" (anything but English)."""

from __future__ import annotations

import re
from functools import cache

from index.answering.question.state import Question
from index.knowledge.languages import language_code, name_table

_FOREIGN = re.compile(
    r"\b(?:foreign[- ]language|foreign|non-english|not in english|subtitled|with subtitles)\b", re.I
)


@cache
def _names() -> str:
    # Language names only (not codes: "in it", "in no"), longest first.
    names = [n for n in name_table() if len(n) > 3 and n.isascii() and not n.isupper()]
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = _names()
    dashed = re.compile(rf"(?<![\w-])(?P<name>{names})[- ]language\b", re.I)
    spoken = re.compile(
        rf"\b(?:(?:spoken|filmed|made|shot)\s+)?in\s+(?P<name>{names})\b(?![- ]?(?:style|food|cuisine))",
        re.I,
    )
    return dashed, spoken


def read(question: Question) -> None:
    filters = question.filters
    for m in list(_FOREIGN.finditer(question.text)):
        if "en" not in filters.languages_none:
            filters.languages_none.append("en")
        question.cut(m, "languages_none")
    for pattern in _patterns():
        for m in list(pattern.finditer(question.text)):
            code = language_code(m["name"])
            if code not in filters.languages:
                filters.languages.append(code)
            question.cut(m, "languages")
