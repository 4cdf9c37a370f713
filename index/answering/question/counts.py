"""How many films a question asks for: "two movies", "top 5", "list 3 films", "a couple of",
"give me like 10".
Read right after titles ("3 Idiots" is a film). A number counts only after "top" or before a
word for films, so a rating's or a year's number is left for its own step."""

from __future__ import annotations

import re

from index.answering.question.state import Question

MAX = 25  # the most films one answer shows
_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a couple of": 2,
    "a couple": 2,
    "a pair of": 2,
    "a dozen": 12,
    "a single": 1,
}
_AMOUNT = r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a couple(?: of)?|a pair of|a dozen|a single)"
_NOUNS = (
    r"(?:films?|movies?|flicks?|picks?|titles?|recommendations?|suggestions?|options?|ones?|"
    r"comedies|dramas|thrillers|westerns|musicals|documentaries|horrors?|romances|"
    r"[\w-]+\s+(?:films|movies|comedies|dramas|thrillers|westerns))"
)
_MODIFIERS = (
    r"(?:(?:good|great|best|more|other|different|new|old|classic|short|fun|scary|funny|recent|"
    r"(?-i:[A-Z][\w-]*)|[\w-]+ian|[\w-]+ese|[\w-]+ish)\s+){0,2}"
)
_COUNTED = re.compile(
    r"\b(?:(?:top|best|list|give\s+me|show\s+me|recommend|suggest|name|pick)\s+)?"
    + _AMOUNT
    + r"\s+"
    + _MODIFIERS
    + _NOUNS
    + r"\b",
    re.IGNORECASE,
)
_TOP = re.compile(
    rf"\b(?:top|best|(?:the\s+)?first)\s+(?P<n>\d{{1,2}}|{'|'.join(k for k in _NUMBERS if ' ' not in k)})\b"
    r"(?!\s*(?:/|%|stars?|points?|minutes?|mins?|hours?|years?|out\s+of))",
    re.I,
)
# "give me like 10", "list at least 10": a number asked for on its own, at its clause's end.
_ASKED = re.compile(
    r"\b(?:give|show|list|recommend|suggest|name|send)\s+(?:(?:me|us)\s+)?"
    r"(?:(?:like|about|around|maybe|roughly|at\s+least)\s+)?"
    + _AMOUNT
    + r"(?=\s*(?:[.!?,;]|$|please\b|or\s+so\b))",
    re.IGNORECASE,
)
# "one more", "two more please": that many other films.
_MORE = re.compile(
    rf"\b(?P<n>\d{{1,2}}|{'|'.join(k for k in _NUMBERS if ' ' not in k)}|a\s+couple)\s+more\b"
    r"(?!\s+(?:than|like|of))",
    re.I,
)


def read(question: Question) -> None:
    for pattern in (_TOP, _COUNTED, _ASKED, _MORE):
        if question.limit is not None:
            return
        # Asked for ("give me like 10") is read where the asking words were said.
        text = question.said if pattern is _ASKED else question.text
        if (m := pattern.search(text)) and not (
            pattern is _ASKED and not question.text[m.start("n") : m.end("n")].strip()
        ):
            raw = " ".join(m["n"].lower().split())
            number = int(raw) if raw.isdigit() else _NUMBERS[raw]
            if number >= 1:
                question.limit = min(number, MAX)
                # Only the number goes: "three Korean thrillers" keeps "Korean thrillers".
                question.cut((m.start("n"), m.end("n")))
