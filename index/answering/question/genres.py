"""Genres in a question: "action thrillers" (both), "sci-fi or fantasy" (either), "K-drama"
(South Korean drama). Genre words after "about" are the subject, not a filter."""

from __future__ import annotations

import re

from index.answering.question.state import Question
from index.knowledge.countries import DEMONYMS
from index.knowledge.genres import GENRE_PATTERN, SYNONYMS

_K_PREFIX = re.compile(r"\bK-(?=[a-z])")
_EITHER = re.compile(r"\s*(?:or|and/or|/)\s*", re.I)


def read(question: Question) -> None:
    filters = question.filters
    for m in list(_K_PREFIX.finditer(question.head)):
        if DEMONYMS["k-"] not in filters.countries:
            filters.countries.append(DEMONYMS["k-"])
        question.cut(m)
    text = question.text
    matches = list(GENRE_PATTERN.finditer(question.head))

    def either(a: re.Match[str], b: re.Match[str]) -> bool:
        return _EITHER.fullmatch(text[a.end() : b.start()]) is not None

    for i, m in enumerate(matches):
        genres = [g for g in SYNONYMS[m.group(0).lower()] if g not in filters.genres_none]
        any_of = (i > 0 and either(matches[i - 1], m)) or (
            i + 1 < len(matches) and either(m, matches[i + 1])
        )
        target = filters.genres_any if any_of else filters.genres_all
        target += [g for g in genres if g not in target]
        question.cut(m)
