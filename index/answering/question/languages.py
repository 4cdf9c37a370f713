"""Original language in a question: "Korean-language", "in French", "spoken in Hindi",
"English preferred", "foreign-language", "subtitled" and "non-English" (anything but English).
Under a negation each turns round: "nothing with subtitles" and "not into foreign films" want
English, "not in French" is anything but French. A language someone speaks ("I don't know
Spanish") is no filter."""

from __future__ import annotations

import re
from functools import cache

from index.answering.question.state import Question
from index.knowledge.languages import language_code, name_table

_FOREIGN = re.compile(
    r"\b(?:foreign[- ]language|foreign|non-english|subtitled|(?:with\s+)?subtitles|"
    r"reading\s+subtitles)\b",
    re.I,
)
# Said of English without "in": "English preferred", "English-speaking films".
_ENGLISH = re.compile(
    r"\b(?:(?:only|preferably|prefer(?:ably|red)?|mostly|strictly)\s+)?english"
    r"(?:[- ](?:language|speaking))?(?:\s+(?:preferred|please|only|films?|movies?|ones?))?\b",
    re.I,
)
# "I don't mind subtitles", "open to foreign films": no filter either way.
_ACCEPTS = re.compile(
    r"\b(?:(?:don['’]?t|do\s+not|wouldn['’]?t|would\s+not|didn['’]?t)\s+(?:even\s+)?mind|"
    r"(?:am|['’]m)\s+(?:ok|okay|fine)\s+with|open\s+to|happy\s+with|no\s+problem\s+with)"
    r"(?:\s+\S+){0,2}\s*$",
    re.I,
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


@cache
def _skill() -> re.Pattern[str]:
    """A language someone speaks, knows or is learning: about them, not the film."""
    return re.compile(
        rf"\b(?:speak|speaks|know|knows|understand|understands|learning|learn|read)\s+"
        rf"(?P<name>{_names()})\b",
        re.I,
    )


def _add(question: Question, code: str, span: tuple[int, int], wanted: bool) -> None:
    """A language wanted (or, `wanted` False, not wanted), turned round under a negation."""
    filters = question.filters
    if question.negated(span[0]):
        wanted = not wanted
    if wanted:
        if code not in filters.languages:
            filters.languages.append(code)
        question.cut(span, "languages")
    else:
        if code not in filters.languages_none:
            filters.languages_none.append(code)
        question.cut(span, "languages_none")


def read(question: Question) -> None:
    for m in list(_skill().finditer(question.text)):
        question.cut(m)
    for m in list(_FOREIGN.finditer(question.text)):
        if _ACCEPTS.search(question.text[: m.start()]):
            question.cut(m)
            continue
        _add(question, "en", (m.start(), m.end()), wanted=False)
    for pattern in _patterns():
        for m in list(pattern.finditer(question.text)):
            _add(question, language_code(m["name"]), (m.start(), m.end()), wanted=True)
    for m in list(_ENGLISH.finditer(question.text)):
        if m.group().lower().strip() != "english" or _alone(question, m):
            _add(question, "en", (m.start(), m.end()), wanted=True)


def _alone(question: Question, m: re.Match[str]) -> bool:
    """ "English" by itself means the language only when nothing else is left around it
    ("English?"); "English actors" or "English countryside" are left to other steps."""
    return not question.text[: m.start()].strip() and not question.text[m.end() :].strip(" ?.!")
