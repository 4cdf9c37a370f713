"""Find known phrases (country names, genre words) in prose, fast.

A regex alternation of hundreds of phrases is tried at every character by Python's `re`;
walking the words once and looking them up in sets is many times faster.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_TOKEN = re.compile(r"[^\W_]+")
_JOINER = re.compile(r"[\s\-'’./]{1,3}")  # what may stand between the words of one phrase

Token = tuple[int, int, str]  # start, end, lower-case word


def tokenize(text: str) -> list[Token]:
    return [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]


def phrase_key(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


class PhraseTable:
    """Longest-match lookup of phrases, case-insensitive, on word boundaries."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = {phrase_key(p): p for p in phrases if phrase_key(p)}
        self._prefixes = {
            " ".join(words[:n])
            for words in (k.split() for k in self._phrases)
            for n in range(1, len(words) + 1)
        }

    def finditer(
        self, text: str, tokens: list[Token] | None = None
    ) -> Iterator[tuple[int, int, str]]:
        """(start, end, phrase as given) for each phrase found, left to right, not overlapping."""
        tokens = tokenize(text) if tokens is None else tokens
        i = 0
        while i < len(tokens):
            key, n, best = tokens[i][2], 1, 0
            while key in self._prefixes:
                if key in self._phrases:
                    best = n
                if i + n >= len(tokens) or not _JOINER.fullmatch(
                    text[tokens[i + n - 1][1] : tokens[i + n][0]]
                ):
                    break
                key += " " + tokens[i + n][2]
                n += 1
            if best:
                words = " ".join(t[2] for t in tokens[i : i + best])
                yield tokens[i][0], tokens[i + best - 1][1], self._phrases[words]
                i += best
            else:
                i += 1
