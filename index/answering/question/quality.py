"""Whether a question asks for bad films ("so bad it's good", "the worst movie ever made",
"overrated", "trashy B-movies"), or for the panned films an answer left out ("include
panned ones", "even the bad ones"): every other question asks for films worth watching,
and films their reviewers panned are left out of its answer. The words stay in the semantic
part (reviews that say so are what fits); a rating of at most 5 asks for them too."""

from __future__ import annotations

import re

from index.answering.question.state import Question

_BAD = re.compile(
    r"\bso\s+bad\s+(?:that\s+)?it(?:['’]?s|\s+is)\s+good\b"
    r"|\b(?:the\s+)?worst\s+(?:\w+\s+){0,2}(?:films?|movies?|ever|of\s+all\s+time)\b"
    r"|\b(?:over-?rated|trashy|b-movies?|guilty\s+pleasures?|bad\s+(?:films|movies))\b",
    re.IGNORECASE,
)
# The films an answer left out as panned, asked for after all: words about the answer, not
# about films, so they leave the meaning search.
_PANNED_TOO = re.compile(
    r"\b(?:(?:even|including|include|with|and|also|show)\s+(?:the\s+)?(?:panned|bad)\s+ones"
    r"|panned\s+ones\s+too|includ(?:e|ing)\s+(?:the\s+)?panned(?:\s+(?:ones|films|movies))?)\b",
    re.IGNORECASE,
)


def read(question: Question) -> None:
    """After the ratings: a rating of at most 5 asks for films reviewers did not like too."""
    high = question.filters.rating_max
    if _BAD.search(question.original) or (high is not None and high <= 5):
        question.wants_bad = True
    for m in list(_PANNED_TOO.finditer(question.text)):
        question.wants_bad = True
        question.cut(m)
