"""The part of a passage worth showing: the sentence that best matches the question, with
its neighbours while they fit, cut on sentence boundaries; and the words in it that match
the question, as offsets every front end highlights in its own way."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.reading.passages import sentences

_STOP = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "from", "by",
         "is", "are", "it", "its", "that", "this", "film", "films", "movie", "movies", "any",
         "good", "about", "some", "me", "show", "like", "rated", "what", "which"}  # fmt: skip


_WORD = re.compile(r"(?<!\w)[^\W_][\w'’-]*")

Span = tuple[int, int]


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: tuple[Span, ...]  # the words matching the question, as offsets into text


def terms(text: str) -> set[str]:
    """Crude stems (first five letters) of the content words of a question."""
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 2}


def matching_words(text: str, wanted: set[str]) -> tuple[Span, ...]:
    """Offsets of the words of `text` whose stem is one of `wanted`."""
    return tuple(
        m.span()
        for m in _WORD.finditer(text)
        if len(m.group()) > 2 and m.group().lower()[:5] in wanted
    )


def _score(sentence: str, wanted: set[str]) -> int:
    return len(terms(sentence) & wanted)


def make_snippet(passage: str, question: str, max_chars: int) -> Snippet:
    parts = sentences(passage) or [passage]
    wanted = terms(question)
    best = max(range(len(parts)), key=lambda i: (_score(parts[i], wanted), -i))
    lo = hi = best
    length = len(parts[best])
    while True:  # grow right first (context after the hit reads better), then left
        if hi + 1 < len(parts) and length + 1 + len(parts[hi + 1]) <= max_chars:
            hi += 1
            length += 1 + len(parts[hi])
        elif lo > 0 and length + 1 + len(parts[lo - 1]) <= max_chars:
            lo -= 1
            length += 1 + len(parts[lo])
        else:
            break
    text = " ".join(parts[lo : hi + 1])
    if len(text) > max_chars:  # one sentence longer than the budget: cut on a word
        cut = text.rfind(" ", 0, max_chars - 1)
        text = text[: cut if cut > 0 else max_chars - 1].rstrip(",;: ") + "…"
    prefix = "… " if lo > 0 else ""
    suffix = " …" if hi < len(parts) - 1 and not text.endswith("…") else ""
    text = prefix + text + suffix
    return Snippet(text, matching_words(text, wanted))
