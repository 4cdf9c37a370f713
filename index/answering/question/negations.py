"""Negations in a question: "not horror", "no musicals or westerns", "non-American",
"not for kids". A negation covers the list of genres and countries right after it."""

from __future__ import annotations

import re

from index.answering.question.countries import code_of, country_pattern, place_at
from index.answering.question.state import Question
from index.knowledge.genres import GENRE_PATTERN, SYNONYMS

_NEGATION = re.compile(
    r"\b(?:non-|(?:not|no|non|without|except|excluding|but not|anything but|minus|nothing|"
    r"never|avoid|skip|other than)\b)\s*",
    re.I,
)
# "not for kids", "not a comedy", "nothing too scary": words between the negation and the genre.
_ARTICLE = re.compile(r"(?:(?:for|a|an|any|too|very|so|overly|that|really|more|another)\s+)+", re.I)
_FROM = re.compile(r"(?:from|made\s+in|out\s+of)\s+(?:the\s+)?", re.I)  # "not from the US"
_LIST = re.compile(r"(?:\s+(?:films?|movies?))?(?:\s*,\s*|\s+(?:or|and|nor)\s+|\s*/\s*)")


def read(question: Question) -> None:
    filters = question.filters
    for neg in list(_NEGATION.finditer(question.head)):
        text = question.text
        if not text[neg.start() : neg.end()].strip():
            continue  # blanked: the second half of a double negative
        if double := _NEGATION.match(text, neg.end()):
            question.cut((neg.start(), double.end()))  # "not not horror" is horror
            continue
        lead = _ARTICLE.match(text, neg.end()) or _FROM.match(text, neg.end())
        pos, end = (lead.end() if lead else neg.end()), neg.end()
        after_from = lead is not None and _FROM.match(lead.group()) is not None
        while True:
            genre = GENRE_PATTERN.match(text, pos)
            place = place_at(text, pos) if after_from else country_pattern().match(text, pos)
            term = max((t for t in (genre, place) if t), key=lambda t: t.end(), default=None)
            if term is None:
                break
            if term is genre:
                found = SYNONYMS[term.group(0).lower()]
                filters.genres_none += [g for g in found if g not in filters.genres_none]
            elif (code := code_of(term.group(0))) not in filters.countries_none:
                filters.countries_none.append(code)
            end = term.end()
            separator = _LIST.match(text, end)
            if separator is None:
                break
            pos = separator.end()
        if end > neg.end():
            question.cut(
                (neg.start(), end), "genres_none" if filters.genres_none else "countries_none"
            )
