"""The part of a passage worth showing: the sentence that best matches the question, with
its neighbours while they fit, cut on sentence boundaries; and the words in it that match
the question, as offsets every front end highlights in its own way.

A sentence is worth what its words of the question are: a rare word ("cry", "heist") more
than a common one ("make", "will"), and never the film's own title ("Cry Freedom" says
nothing of crying)."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from index.answering.valence import valences
from index.text import sentences

_STOP = set(
    "the a an and or of to in on for with from by is are it its that this film films movie "
    "movies any good about some me show like rated what which".split()
)


# A sentence's warmth (-1..1) against the question's words (an IDF each, 1-9): enough to pass
# a cold sentence over for a warm one with the same words, or a matching word of the commonest.
WARMTH = 1.0

_WORD_CHAR = re.compile(r"\w")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")

Span = tuple[int, int]


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: tuple[Span, ...]  # the words matching the question, as offsets into text


def terms(text: str) -> set[str]:
    """Crude stems (first five letters) of the content words of a question."""
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 2}


def matching_words(text: str, wanted: frozenset[str]) -> tuple[Span, ...]:
    """Offsets of the words of `text` whose stem (first five letters) is one of `wanted`."""
    if not wanted:
        return ()
    found = _marker(wanted).finditer(text.replace("’", "'"))  # one character for one: same offsets
    return tuple(m.span() for m in found if _starts_word(text, m.start()))


def _starts_word(text: str, at: int) -> bool:
    """Whether a word begins at `at` (a word: a letter or digit, then letters, digits, hyphens
    and apostrophes): not inside one, and a hyphen or apostrophe before it belongs to a word
    before that ("light-hearted" is one word; "'Heat'" begins one). Checked here, not in the pattern: a pattern that looks behind at
    every position scans three times slower."""
    before = at
    while before > 0 and text[before - 1] in "'’-":
        before -= 1
    return before == 0 or not _WORD_CHAR.match(text, before - 1)


@functools.lru_cache(maxsize=512)
def _marker(wanted: frozenset[str]) -> re.Pattern[str]:
    """The words a stem marks, in one pattern: a five-letter stem begins them, a shorter one
    is the whole word (its first five letters would be longer than it). Compiled for each new
    question, so its classes are ASCII: with "’" in them, compiling took 0.2 ms (a few % of
    a warm answer); the text's "’" is read as "'"."""
    stems = sorted(wanted, key=len, reverse=True)
    either = "|".join(re.escape(w) + ("" if len(w) >= 5 else r"(?![\w'-])") for w in stems)
    return re.compile(rf"(?:{either})[\w'-]*", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def _finder(wanted: frozenset[str]) -> re.Pattern[str]:
    """The words that may have one of these stems, found in one pass (then checked as
    `terms` would): scoring a passage's sentences costs one regex each, not a word set."""
    stems = "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True))
    return re.compile(rf"(?:{stems})[a-z0-9]*")  # inside a word too: `_values` skips those


def _values(
    parts: list[str],
    wanted: frozenset[str],
    weight: Mapping[str, float],
    title: str,
) -> list[float]:
    """Each sentence's worth: the weights of the question's stems it has (as `terms` would
    find them), the film's own title left out. One pass over the passage, a sentence to a
    line, rather than a regex per sentence: this runs for every review shown."""
    text = "\n".join(parts).lower()  # no sentence holds a newline (sentences collapses them)
    if title:  # the film's own title, lower case: a literal, replaced without a regex
        text = text.replace(title, " ")
    value = [0.0] * len(parts)
    counted: set[tuple[int, str]] = set()
    line = last = 0
    for match in _finder(wanted).finditer(text):
        if (start := match.start()) and text[start - 1] in _ALNUM:
            continue  # inside a word ("prewar")
        line += text.count("\n", last, start)
        last = start
        word = match.group()
        stem = word[:5]
        if len(word) > 2 and word not in _STOP and stem in wanted and (line, stem) not in counted:
            counted.add((line, stem))
            value[line] += weight.get(stem, 1.0)
    return value


def weights(question: str, passages_with: Callable[[str], int], n: int) -> dict[str, float]:
    """Each stem of the question, weighted by how rare its word is among `n` passages
    (inverse document frequency, as BM25 has it)."""
    out: dict[str, float] = {}
    for word in re.findall(r"[a-z0-9]+", question.lower()):
        if word not in _STOP and len(word) > 2:
            df = passages_with(word)
            out[word[:5]] = max(out.get(word[:5], 0.0), math.log(1 + (n - df + 0.5) / (df + 0.5)))
    return out


def make_snippet(
    passage: str,
    question: str,
    max_chars: int,
    weight: Mapping[str, float] | None = None,
    title: str = "",
    warmth: float = WARMTH,
) -> Snippet:
    """The sentence worth most, grown to its neighbours while they fit `max_chars`. Worth is
    the question's words it has (`weight`: how rare each is) and, times `warmth`, how warmly
    it speaks (`valence`): a recommendation's line should give a reason to watch, not a
    complaint, and for a question every word of which the facts line already answers ("from
    the 40s") the warmest sentence is that reason. 0 for a question asking for bad films."""
    parts = sentences(passage) or [passage]
    wanted = frozenset(terms(question))
    best = 0  # nothing to choose between, or nothing to choose by: the first sentence
    if len(parts) > 1 and (wanted or warmth):
        value = (
            _values(parts, wanted, weight or {}, title.strip() and title.lower())
            if wanted
            else [0.0] * len(parts)
        )
        if warmth:  # only sentences warmth could still lift to the top (-1..1: by 2 at most)
            top = max(value)
            near = [i for i, v in enumerate(value) if v >= top - 2 * abs(warmth)]
            for i, w in zip(near, valences([parts[i] for i in near]), strict=True):
                value[i] += warmth * w
        best = max(range(len(parts)), key=lambda i: (value[i], -i))
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
