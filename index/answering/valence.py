"""How warmly a sentence speaks of what it talks about, from -1 to 1: VADER's word valences
(vaderSentiment's lexicon: 7,500 words and emoticons, each rated by ten people), summed over
a sentence's words, a word's sign turned by a negation among the three words before it, what
follows a "but" counting more than what precedes it, squashed into -1..1 as VADER does.

A snippet is chosen among a passage's sentences for every review an answer shows (15 a
page): VADER's own scorer, with its idioms, boosters and capitals, costs about 77 µs a
sentence, which would double a warm answer; reading the lexicon with one regex and one dict
lookup a word costs a few µs (`benchmarks/bench_answers.py`'s `warmth` measures both on the
corpus's reviews, and how often they agree on a sentence's sign)."""

from __future__ import annotations

import bisect
import functools
import math
import re
from itertools import compress, repeat

from vaderSentiment.vaderSentiment import N_SCALAR, NEGATE, SentimentIntensityAnalyzer

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\n")
# VADER's negations, with and without their apostrophe ("dont" as people type it)
_NEGATE = frozenset(w.replace("'", "") for w in NEGATE) | frozenset(NEGATE)
_BEFORE_BUT, _AFTER_BUT = 0.5, 1.5  # VADER's weights around a contrast
_ALPHA = 15.0  # VADER's normalisation: x / sqrt(x² + alpha)


@functools.cache
def _lexicon() -> dict[str, float]:
    return dict(SentimentIntensityAnalyzer().lexicon)


_SEEN: dict[str, float] = {}  # sentence -> warmth: the reviews of films often shown recur
_SEEN_MAX = 200_000  # sentences (some 40 MB at most); then it starts again


def valences(sentences: list[str]) -> list[float]:
    """Each sentence's warmth: -1 (a pan) .. 0 (says nothing warm or cold) .. 1 (high praise).
    A sentence read before is not read again."""
    if len(_SEEN) + len(sentences) > _SEEN_MAX:
        _SEEN.clear()
    if new := [s for s in dict.fromkeys(sentences) if s not in _SEEN]:
        _SEEN.update(zip(new, _read(new), strict=True))
    return [_SEEN[s] for s in sentences]


def _read(sentences: list[str]) -> list[float]:
    """One pass over the sentences together (a line each); only the words the lexicon knows
    are looked at one by one."""
    text = "\n".join(sentences).lower().replace("’", "'")
    words = _TOKEN.findall(text)
    values = list(map(_lexicon().get, words, repeat(0.0)))
    totals = [0.0] * len(sentences)
    known = list(compress(range(len(words)), values))
    if not known:
        return totals
    breaks = list(compress(range(len(words)), map("\n".__eq__, words)))
    negated = {
        j + k
        for j in compress(range(len(words)), map(_NEGATE.__contains__, words))
        for k in (1, 2, 3)
    }
    contrast: dict[int, int] = {}  # line -> where its first "but" is
    for at in compress(range(len(words)), map("but".__eq__, words)):
        contrast.setdefault(bisect.bisect(breaks, at), at)
    for i in known:
        line = bisect.bisect(breaks, i)
        v = values[i] * (N_SCALAR if i in negated else 1.0)  # N_SCALAR: -0.74
        if (but := contrast.get(line)) is not None:
            v *= _AFTER_BUT if i > but else _BEFORE_BUT
        totals[line] += v
    return [t / math.sqrt(t * t + _ALPHA) for t in totals]
