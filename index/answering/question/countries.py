"""Countries in a question: "Korean", "French", "Bollywood", "from Iran", "made in Turkey"
("Hollywood" is a style, a country only after "from" or "made in")."""

from __future__ import annotations

import re
from functools import cache

from index.answering.question.state import Question
from index.knowledge.countries import REGIONS, name_table

# Names that are ordinary words too: a country only after "from" / "made in".
_AMBIGUOUS = set(
    "chad georgia jordan turkey jersey guernsey man niger guinea dominica china us english "
    "america".split()
)
# The name of a way of making films, not of where they were made: "classic Hollywood cinema",
# "70s New Hollywood" (as a review's "a typical Hollywood movie"); a country only after "from"
# or "made in" ("made in Hollywood").
_STYLES = {"hollywood"}
_FROM = re.compile(r"\b(?:from|made in|out of)\s+(?:the\s+)?", re.I)


def _alternation(forms: set[str]) -> re.Pattern[str]:
    ordered = sorted(forms, key=len, reverse=True)  # "south korean" before "korean"
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, ordered)) + r")(?![\w-])", re.I)


@cache
def country_pattern() -> re.Pattern[str]:
    """Country names and demonyms that mean a country wherever they stand."""
    return _alternation(set(name_table()) - _AMBIGUOUS - _STYLES)


@cache
def place_pattern() -> re.Pattern[str]:
    """Every country name and demonym, for after "from" / "made in"."""
    return _alternation(set(name_table()))


_REGION = _alternation(set(REGIONS))

# "US" is a word too ("us"): a country only in capitals, after "from" / "made in".
_US = re.compile(r"(?<![\w.])U\.?S\.?(?:A\.?)?(?![\w-])")


def code_of(name: str) -> str:
    return "US" if _US.fullmatch(name) else name_table()[name.lower()]


def place_at(text: str, pos: int) -> re.Match[str] | None:
    """A country named at `pos`, after "from" or "made in" (any name, "US" included)."""
    return place_pattern().match(text, pos) or _US.match(text, pos)


def _add(question: Question, codes: tuple[str, ...], span: tuple[int, int]) -> None:
    filters = question.filters
    if question.negated(span[0]):
        filters.countries_none += [c for c in codes if c not in filters.countries_none]
        question.cut(span, "countries_none")
        return
    filters.countries += [
        c for c in codes if c not in filters.countries and c not in filters.countries_none
    ]
    question.cut(span, "countries")


def read(question: Question) -> None:
    # "from Japan" names the country wherever it stands, even after "about", and even when
    # the name is an ordinary word elsewhere ("from Turkey").
    for m in list(_FROM.finditer(question.text)):
        if place := place_at(question.text, m.end()):
            _add(question, (code_of(place.group(0)),), (m.start(), place.end()))
    for m in list(_REGION.finditer(question.head)):
        _add(question, REGIONS[m.group(0).lower()], (m.start(), m.end()))
    for m in list(country_pattern().finditer(question.head)):
        _add(question, (code_of(m.group(0)),), (m.start(), m.end()))
