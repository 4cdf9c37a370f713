"""How high rapidfuzz's WRatio can be, for every title at once, from counts worked out when the
index version opens: a title lookup then scores only the films that could make its top five
(issue #26), and still gets rapidfuzz's own answer.

Keys here are plain: single-spaced [a-z0-9] words, as normalize_title writes them. WRatio
(rapidfuzz 3, no processor) of a question and a key of length ratio r is
    r < 1.5:        max(ratio, 0.95 x max(token sort ratio, token set ratio))
    1.5 <= r <= 8:  max(ratio, 0.9 x partial ratio, 0.855 x partial token ratio)
    r > 8:          as above with 0.6 and 0.57.
Each is a ratio, 2 x a longest common subsequence L over the two lengths (a partial ratio
compares the shorter with windows of the longer no longer than it), of the two keys or of
their words sorted or taken once. L is at most the letters they have in common; and each
letter pair of one not kept adjacent in the other costs a dropped letter (a letter dropped
from one breaks two of its pairs, from the other one), so L <= (b + la + lb + 1) / 3 for b
letter pairs in common. Sorting words keeps letters and the pairs inside words; taking each
word once keeps fewer; pairs with a space are at most two per space of the key with fewer.
With a word in common the partial token ratio is 100, and so is the token set ratio when one
key's words are all in the other: WRatio is then a known number unless something is closer.
`tests/index/knowledge/test_title_search.py` checks every bound against rapidfuzz.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

SHARED = 100 * 0.95 * 0.9  # a word in common, 1.5 to 8 times as long: the partial token ratio
SUBSET = 100 * 0.95  # every word of one in the other, under 1.5 times as long: the set ratio
MARGIN = 1e-6  # float rounding between a bound and rapidfuzz's own arithmetic
_ALPHABET = " 0123456789abcdefghijklmnopqrstuvwxyz"
_CODE = np.zeros(256, np.int64)
_CODE[np.frombuffer(_ALPHABET.encode(), np.uint8)] = np.arange(len(_ALPHABET))
_PLAIN = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def plain(key: str) -> bool:
    """A key the bounds cover: single-spaced [a-z0-9] words, as normalize_title writes them."""
    return len(key) < 256 and bool(_PLAIN.fullmatch(key))


def unique_words(key: str) -> str:
    """The key as rapidfuzz's word-set ratios read it: each word once."""
    return " ".join(sorted(set(key.split())))


def sorted_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(values, return_counts=True) by sorting: numpy's hashing is slower here."""
    ordered = np.sort(values)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]][: len(ordered)])
    return ordered[starts], np.diff(np.r_[starts, len(ordered)])


def _codes(key: str) -> np.ndarray:
    return _CODE[np.frombuffer(key.encode("ascii"), np.uint8)]


@dataclass(frozen=True)
class Letters:
    """Each letter's count in some plain keys (letters x keys), and their lengths."""

    counts: np.ndarray  # uint8
    lengths: np.ndarray  # int64

    @classmethod
    def of(cls, keys: Sequence[str], chunk: int = 50_000) -> Letters:
        """A chunk of keys at a time, so that the working arrays stay small."""
        counts = np.zeros((len(_ALPHABET), len(keys)), np.uint8)
        lengths = np.array([len(k) for k in keys], np.int64)
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            owner = np.repeat(np.arange(len(part)), lengths[start : start + len(part)])
            flat = _codes("".join(part)) * len(part) + owner
            block = np.bincount(flat, minlength=len(_ALPHABET) * len(part))
            counts[:, start : start + len(part)] = block.reshape(len(_ALPHABET), len(part))
        return cls(counts, lengths)

    def shared(self, wanted: str) -> np.ndarray:
        """How many letters (spaces too) each key has in common with plain `wanted`."""
        want = np.bincount(_codes(wanted), minlength=len(_ALPHABET))
        letters = np.flatnonzero(want)
        return np.minimum(self.counts[letters], want[letters, None]).sum(axis=0)


@dataclass(frozen=True)
class Pairs:
    """Each plain key's pairs of adjacent letters inside its words, by pair: keys and counts."""

    rows: np.ndarray  # int32: keys, by pair
    counts: np.ndarray  # uint8: the pair's count in each
    starts: np.ndarray  # int64: where each pair's keys begin in rows (one more at the end)
    spaces: np.ndarray  # int64: each key's spaces

    @classmethod
    def of(cls, keys: Sequence[str]) -> Pairs:
        codes = _codes(" ".join(keys))  # a space apart: no pair spans two keys
        owner = np.repeat(np.arange(len(keys)), [len(k) + 1 for k in keys])[: len(codes)]
        inner = (codes[:-1] != 0) & (codes[1:] != 0)
        pair = codes[:-1][inner] * len(_ALPHABET) + codes[1:][inner]
        found, counts = sorted_counts(pair * len(keys) + owner[:-1][inner])
        starts = np.searchsorted(found // max(len(keys), 1), np.arange(len(_ALPHABET) ** 2 + 1))
        spaces = np.array([k.count(" ") for k in keys], np.int64)
        return cls(
            (found % max(len(keys), 1)).astype(np.int32), counts.astype(np.uint8), starts, spaces
        )

    def shared(self, wanted: str) -> np.ndarray:
        """At most how many letter pairs each key has in common with plain `wanted`, or with
        either's words sorted or taken once."""
        codes = _codes(wanted)
        inner = (codes[:-1] != 0) & (codes[1:] != 0)
        pairs, wanted_counts = np.unique(
            codes[:-1][inner] * len(_ALPHABET) + codes[1:][inner], return_counts=True
        )
        out = 2 * np.minimum(self.spaces, wanted.count(" "))
        for pair, count in zip(pairs.tolist(), wanted_counts.tolist(), strict=True):
            start, end = self.starts[pair], self.starts[pair + 1]
            out[self.rows[start:end]] += np.minimum(self.counts[start:end], count)
        return out


def closeness(
    letters: np.ndarray, pairs: np.ndarray, size: int, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """At least the ratio and the partial ratio of a string of `size` against keys of
    `lengths` having `letters` letters and `pairs` letter pairs in common. A partial ratio's
    window of w letters scores 2 x min(letters, w, (pairs + shorter + w + 1) / 3) over
    (shorter + w): most where w reaches the smaller of the other two."""
    total = lengths + size
    ratio = 200.0 * np.minimum(letters, (pairs + total + 1) / 3) / total
    shorter = np.minimum(lengths, size)
    window = np.minimum(np.minimum(letters, (pairs + shorter + 1) / 2), shorter)
    return ratio, 200.0 * window / np.maximum(shorter + window, 1)


@dataclass(frozen=True)
class Shapes:
    """What bounds every key's WRatio against a question: worked out once per index version."""

    letters: Letters  # of each plain key ("" for the others)
    pairs: Pairs
    set_lengths: np.ndarray  # int64: each key's length with each word once
    set_words: np.ndarray  # int64: each key's distinct words
    repeats: np.ndarray  # int64: plain keys that repeat a word
    repeats_once: Letters  # those, each word once
    odd: np.ndarray  # bool: keys no bound covers (always scored)

    @classmethod
    def of(cls, keys: Sequence[str], words: Sequence[list[str]]) -> Shapes:
        """`words`: each key's words (str.split)."""
        odd = np.array([not plain(k) for k in keys], bool)
        kept = ["" if o else k for k, o in zip(keys, odd.tolist(), strict=True)]
        distinct = np.array([len(set(w)) for w in words], np.int64)
        repeats = np.flatnonzero(~odd & (distinct < np.array([len(w) for w in words])))
        once = [unique_words(keys[i]) for i in repeats.tolist()]
        set_lengths = np.array([len(k) for k in kept], np.int64)
        set_lengths[repeats] = [len(k) for k in once]
        return cls(
            Letters.of(kept), Pairs.of(kept), set_lengths, distinct, repeats, Letters.of(once), odd
        )

    def bound(
        self, wanted: str, postings: Mapping[str, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """At least WRatio(wanted, key) for each key (inf where nothing is known), and each
        key's tie class (SHARED or SUBSET where WRatio is exactly that, else 0): of keys with
        one score, the first five can count. `wanted` is plain; `postings`: the keys having
        each of its words."""
        size, lengths = len(wanted), self.letters.lengths
        r = np.maximum(lengths, size) / np.maximum(np.minimum(lengths, size), 1)
        short, far = r < 1.5, r > 8.0  # as rapidfuzz divides the same two integers
        scale = np.where(short, 0.0, np.where(far, 0.6, 0.9))
        pairs = self.pairs.shared(wanted)
        ratio, partial = closeness(self.letters.shared(wanted), pairs, size, lengths)
        alone = np.maximum(ratio, scale * partial)  # also bounds the sorted words' ratios
        bound, set_ratio = alone.copy(), ratio.copy()
        rows, once_ratio, once_partial = self._word_sets(wanted, pairs)
        set_ratio[rows] = once_ratio
        once = 0.95 * np.where(short[rows], once_ratio, scale[rows] * once_partial)
        bound[rows] = np.maximum(bound[rows], once)
        ties = np.zeros(len(bound))
        self._with_words(wanted, postings, (ratio, set_ratio, alone, bound, ties), short, far)
        bound[self.odd], ties[self.odd] = np.inf, 0.0
        return bound, ties

    def _word_sets(
        self, wanted: str, pairs: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The keys whose words taken once differ from the keys' own (or all, when the
        question's do), and at least their ratio and partial ratio, each word once."""
        once = unique_words(wanted)
        if len(once) == len(wanted):  # no word repeated: the same letters, sorted
            rows = self.repeats
            letters = self.repeats_once.shared(once)
        else:
            rows = np.arange(len(self.set_lengths))
            letters = self.letters.shared(once)
            letters[self.repeats] = self.repeats_once.shared(once)
        ratio, partial = closeness(letters, pairs[rows], len(once), self.set_lengths[rows])
        return rows, ratio, partial

    def _with_words(
        self,
        wanted: str,
        postings: Mapping[str, np.ndarray],
        arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
        short: np.ndarray,
        far: np.ndarray,
    ) -> None:
        """Bounds and ties, in place, of the keys sharing a word with `wanted`: the partial
        token ratio is 100; the token set ratio 100 when one's words are all the other's,
        else at most the words-once ratio or the words in common against either's all."""
        ratio, set_ratio, alone, bound, ties = arrays
        hits = np.concatenate([np.asarray(p, np.int64) for p in postings.values()])
        weights = np.repeat([len(w) + 1 for w in postings], [len(p) for p in postings.values()])
        rows = np.unique(hits)
        common = np.bincount(hits, minlength=len(bound))[rows]
        sect = np.bincount(hits, weights, len(bound))[rows] - 1  # the words in common, joined
        subset = (common == len(postings)) | (common == self.set_words[rows])
        sections = np.maximum(
            _section(sect, len(unique_words(wanted))), _section(sect, self.set_lengths[rows])
        )
        word_set = np.where(subset, 100.0, np.maximum(set_ratio[rows], sections))
        alone, short, far = alone[rows], short[rows], far[rows]
        bound[rows] = np.where(
            short,
            np.maximum(ratio[rows], 0.95 * word_set),
            np.maximum(alone, np.where(far, 57.0, SHARED)),
        )
        ties[rows] = np.where(~short & ~far & (alone < SHARED - MARGIN), SHARED, 0.0)
        ties[rows[short & subset & (ratio[rows] < SUBSET - MARGIN)]] = SUBSET


def _section(sect: np.ndarray, length: int | np.ndarray) -> np.ndarray:
    """The token set ratio of the words in common against those and the rest of one key
    (`length` with each word once): 2 x sect / (2 x sect + 1 + the rest)."""
    rest = np.maximum(length - sect - 1, 0)
    return 200.0 * sect / np.maximum(2 * sect + 1 + rest, 1)
