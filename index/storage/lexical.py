"""BM25 over passage texts, rows aligned with the vector store's ids.

Dense vectors know that "undead" is close to "zombies"; BM25 knows that a passage which
names the exact thing asked for ("heist", a character's name) is a strong match. The
ranker fuses the two.

bm25s tokenizes (its English stopwords, Snowball stems through PyStemmer) and defines the
scoring (its default "lucene" BM25: idf = ln(1 + (N - df + 0.5) / (df + 0.5)), term weight
tf / (tf + k1 (1 - b + b dl / avgdl)), k1 1.5, b 0.75). What a version keeps is not bm25s's
score matrix but its raw postings (passage and term count per stem, by stem), for two
reasons measured in benchmarks/RESULTS.md:

- a commit only tokenizes the new passages and merges their postings in, in one linear pass
  (bm25s rebuilds from every passage's tokens: minutes at a million passages);
- a question reads the postings of its few stems, scores them there, and keeps the allowed
  rows: no score vector over every passage.

Scores equal bm25s's (`tests/index/storage/test_lexical.py`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from index.errors import REBUILD, IndexDamaged
from index.storage import arrays

LEXICAL_DIR = "bm25"
FORMAT = 3  # 1: bm25s's own saved index; 2: without its stopwords (both rebuilt from the texts)
K1, B = 1.5, 0.75
MAX_STEM_BYTES = 48  # longer "words" are not words; cut, so the vocabulary stays compact
CHUNK = 50_000  # texts tokenized at a time: a million passages' tokens never sit in memory at once
# Stems up to which an index also keeps its vocabulary as a set: a member's small segment says
# whether it holds a stem in a set lookup, not a search of its arrays (a version may have 50).
SMALL_VOCAB = 4096


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


_WORDS = re.compile(r"(?u)\b\w\w+\b")  # bm25s's (and scikit-learn's) token pattern


def english_stopwords() -> frozenset[str]:
    """bm25s's English stopwords. Importing bm25s takes a third of a second (scipy), so a
    version keeps the list it was built with and a question never imports it."""
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def tokenize(texts: Sequence[str], stopwords: frozenset[str] | None = None) -> list[list[str]]:
    """Lower-cased words of two or more letters, stopwords out, Snowball-stemmed: what
    `bm25s.tokenize(texts, stopwords="en", stemmer=...)` gives (pinned by a test)."""
    stopwords = english_stopwords() if stopwords is None else stopwords
    stem = _stemmer().stemWords
    return [stem([w for w in _WORDS.findall(text.lower()) if w not in stopwords]) for text in texts]


def name_stems(text: str, stopwords: frozenset[str]) -> list[str]:
    """The distinct stems a passage must hold to name `text` (`containing`)."""
    return sorted(set(tokenize([text], stopwords)[0]))


def _encode(stems: Sequence[str]) -> np.ndarray:
    return np.array([s.encode("utf-8")[:MAX_STEM_BYTES] for s in stems], dtype=f"S{MAX_STEM_BYTES}")


@dataclass(frozen=True)
class Matches:
    """The passages a question's stems occur in: ascending rows and their BM25 scores."""

    rows: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Matches:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.float32))

    @classmethod
    def summed(cls, rows: list[np.ndarray], scores: list[np.ndarray], size: int) -> Matches:
        """Each stem's postings (rows below `size`) and scores, added up per passage. A common
        word's postings run to a good part of a million rows: counting them into an array
        of `size` is linear, where sorting them (np.unique) took 60 ms a question at 1M."""
        if not rows:
            return cls.empty()
        every, weights = np.concatenate(rows), np.concatenate(scores)
        if len(every) * 16 < size:  # a few rare words: sorting them is cheaper than `size`
            unique, inverse = np.unique(every, return_inverse=True)
            return cls(unique.astype(np.int64), np.bincount(inverse, weights).astype(np.float32))
        hit = np.zeros(size, dtype=bool)
        hit[every] = True
        found = np.flatnonzero(hit)
        total = np.bincount(every, weights, minlength=size)
        return cls(found.astype(np.int64), total[found].astype(np.float32))

    def within(self, allowed: np.ndarray | None) -> Matches:
        if allowed is None:
            return self
        keep = allowed[self.rows]
        return Matches(self.rows[keep], self.scores[keep])

    def at(self, rows: np.ndarray) -> np.ndarray:
        """The score of each of `rows` (0 where the question's stems do not occur)."""
        if not len(self.rows):
            return np.zeros(len(rows), np.float32)
        where = np.minimum(np.searchsorted(self.rows, rows), len(self.rows) - 1)
        return np.where(self.rows[where] == rows, self.scores[where], 0.0).astype(np.float32)

    def dense(self, size: int) -> np.ndarray:
        out = np.zeros(size, np.float32)
        out[self.rows] = self.scores
        return out


@dataclass(frozen=True)
class Counted:
    """What BM25 counts over the passages a place may see (`among`, None: all): how many
    (N) and their mean length, and for a version of several segments each segment's share
    of `among`. Fixed for a version and a place, so worked out once (`Snapshot.bm25`), not
    once a question."""

    among: np.ndarray | None
    n: int
    avgdl: float
    local: tuple[np.ndarray | None, ...] = ()


@dataclass(frozen=True)
class LexicalIndex:
    stopwords: frozenset[str]
    vocab: np.ndarray  # sorted stems (utf-8 bytes); a stem's id is its position
    indptr: np.ndarray  # int64, len(vocab) + 1: stem t's postings are [indptr[t], indptr[t+1])
    docs: np.ndarray  # int32 passage rows, ascending within each stem
    tf: np.ndarray  # uint16 occurrences of the stem in the passage
    doc_len: np.ndarray  # int32 stems per passage

    @property
    def size(self) -> int:
        return len(self.doc_len)

    @cached_property
    def _avgdl(self) -> float:
        return float(self.doc_len.mean()) if self.size else 1.0

    @cached_property
    def small_vocab(self) -> frozenset[bytes] | None:
        """The stems of a small index as a set (None: too many to be worth one)."""
        if len(self.vocab) > SMALL_VOCAB:
            return None
        return frozenset(bytes(stem) for stem in np.asarray(self.vocab).tolist())

    def counted(self, among: np.ndarray | None) -> Counted:
        """N and the mean length over `among` (a bool per row; None: every row)."""
        if among is None:
            return Counted(None, self.size, self._avgdl)
        n = int(np.count_nonzero(among))
        return Counted(among, n, float(np.mean(self.doc_len, where=among)) if n else 1.0)

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, texts: Sequence[str], stopwords: frozenset[str] | None = None) -> LexicalIndex:
        """`stopwords`: another index's list (the same bm25s list), so bm25s is not imported."""
        empty = cls(
            english_stopwords() if stopwords is None else stopwords,
            _encode([]),
            np.zeros(1, np.int64),
            np.zeros(0, np.int32),
            np.zeros(0, np.uint16),
            np.zeros(0, np.int32),
        )
        return empty.extended(np.zeros(0, bool), texts)

    def extended(self, keep: np.ndarray, texts: Sequence[str]) -> LexicalIndex:
        """This index without the rows `keep` drops, and `texts` appended as new rows: only
        the new texts are tokenized; the old postings are carried over in one linear pass."""
        base = int(np.count_nonzero(keep))
        chunks = [
            _postings(tokenize(texts[i : i + CHUNK], self.stopwords), base + i)
            for i in range(0, len(texts), CHUNK)
        ]
        vocab = np.unique(np.concatenate([self.vocab, *(c.vocab for c in chunks)]))
        # Old postings: drop removed rows, renumber the rest, give stems their new ids. The
        # vocabulary only grows and stays sorted, so old stems keep their relative order.
        term_of = np.repeat(np.arange(len(self.vocab)), np.diff(self.indptr))
        kept = keep[self.docs] if len(self.docs) else np.zeros(0, bool)
        old_terms = np.searchsorted(vocab, self.vocab)[term_of[kept]]
        old_docs = (np.cumsum(keep) - 1)[self.docs[kept]]
        old_tf = self.tf[kept]
        # New postings by stem; within a stem, by row (chunks come in row order).
        new_terms = np.concatenate(
            [np.searchsorted(vocab, c.vocab)[c.terms] for c in chunks] or [np.zeros(0, np.int64)]
        )
        order = np.argsort(new_terms, kind="stable")
        new_terms = new_terms[order]
        new_docs = np.concatenate([c.docs for c in chunks] or [np.zeros(0, np.int64)])[order]
        new_tf = np.concatenate([c.tf for c in chunks] or [np.zeros(0, np.uint16)])[order]
        # Merge: each stem's old postings, then its new ones (higher rows).
        n_old = np.bincount(old_terms, minlength=len(vocab))
        n_new = np.bincount(new_terms, minlength=len(vocab))
        indptr = np.concatenate([[0], np.cumsum(n_old + n_new)]).astype(np.int64)
        docs = np.empty(indptr[-1], np.int32)
        tf = np.empty(indptr[-1], np.uint16)
        at_old = indptr[old_terms] + _rank_within(old_terms, n_old)
        at_new = indptr[new_terms] + n_old[new_terms] + _rank_within(new_terms, n_new)
        docs[at_old], tf[at_old] = old_docs, old_tf
        docs[at_new], tf[at_new] = new_docs, new_tf
        lengths = [self.doc_len[keep], *(c.doc_len for c in chunks)]
        used = (n_old + n_new) > 0  # stems only deleted passages had are forgotten
        indptr = np.concatenate([[0], np.cumsum((n_old + n_new)[used])]).astype(np.int64)
        return LexicalIndex(
            self.stopwords, vocab[used], indptr, docs, tf, np.concatenate(lengths).astype(np.int32)
        )

    # ------------------------------------------------------------------ on disk
    def save(self, folder: Path) -> None:
        folder.mkdir()
        for name in ("vocab", "indptr", "docs", "tf", "doc_len"):
            np.save(folder / f"{name}.npy", getattr(self, name))
        (folder / "format.json").write_text(
            json.dumps({"format": FORMAT, "size": self.size, "stopwords": sorted(self.stopwords)})
        )

    @staticmethod
    def saved(folder: Path) -> bool:
        """Whether `folder` holds this format (older versions kept bm25s's own index)."""
        try:
            return json.loads((folder / "format.json").read_text())["format"] == FORMAT
        except (OSError, ValueError, KeyError):
            return False

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Memory-mapped: opening costs nothing, a question reads only its stems' postings.
        The shapes are checked here; the values of a posting list when a question reads it."""
        parts = {
            name: arrays.load(folder / f"{name}.npy", mmap_mode="r")
            for name in ("vocab", "indptr", "docs", "tf", "doc_len")
        }
        stopwords = json.loads((folder / "format.json").read_text())["stopwords"]
        index = cls(frozenset(stopwords), **parts)
        n = len(index.indptr)
        if (
            n != len(index.vocab) + 1
            or len(index.docs) != len(index.tf)
            or (n and int(index.indptr[-1]) != len(index.docs))
        ):
            raise ValueError("BM25 postings of mismatched lengths")
        return index

    # ------------------------------------------------------------------ asking
    def match(self, query: str, among: np.ndarray | Counted | None = None) -> Matches:
        """The passages the question's stems occur in, with their BM25 scores (a stem said
        twice counts twice, as in bm25s). `among` (a bool per row): the passages a place may
        see, the only ones scored and the only ones counted (how many there are, how many
        hold each stem, their mean length), so that what other libraries hold changes no
        score here; None: all of them. As `counted(among)`: counted already."""
        stems = tokenize([query], self.stopwords)[0] if self.size else []
        if not stems:
            return Matches.empty()
        wanted = _encode(stems)
        at = np.minimum(np.searchsorted(self.vocab, wanted), max(len(self.vocab) - 1, 0))
        found = at[self.vocab[at] == wanted] if len(self.vocab) else at[:0]
        rows, scores = [], []
        counted = among if isinstance(among, Counted) else self.counted(among)
        among, n, avgdl = counted.among, counted.n, counted.avgdl
        for t in found.tolist():
            start, end = int(self.indptr[t]), int(self.indptr[t + 1])
            if not 0 <= start <= end <= len(self.docs):
                raise IndexDamaged(f"the BM25 postings are damaged; {REBUILD}")
            docs = np.asarray(self.docs[start:end])
            if len(docs) and not (docs.min() >= 0 and docs.max() < self.size):
                raise IndexDamaged(f"the BM25 postings are damaged; {REBUILD}")
            tf = np.asarray(self.tf[start:end], dtype=np.float32)
            if among is not None:
                seen = among[docs]
                docs, tf = docs[seen], tf[seen]
            df = len(docs)
            idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
            norm = K1 * ((1 - B) + B * np.asarray(self.doc_len[docs]) / avgdl)
            rows.append(docs)
            scores.append((idf * tf / (tf + norm)).astype(np.float32))
        return Matches.summed(rows, scores, self.size)

    def containing(self, text: str, stems: list[str] | None = None) -> np.ndarray:
        """The passages holding every stem of `text` (a person's name), ascending rows.
        `stems`: its distinct stems, when already worked out (once for many segments)."""
        if not self.size:
            return np.zeros(0, np.int64)
        if stems is None:
            stems = name_stems(text, self.stopwords)
        return self.holding(_encode(stems))

    def holding(self, stems: np.ndarray) -> np.ndarray:
        """The passages holding every one of these (encoded) stems, ascending rows."""
        small = self.small_vocab
        if not self.size or (small is not None and not small.issuperset(stems.tolist())):
            return np.zeros(0, np.int64)
        rows: np.ndarray | None = None
        for stem in stems:
            at = int(np.searchsorted(self.vocab, stem))
            if at >= len(self.vocab) or self.vocab[at] != stem:
                return np.zeros(0, np.int64)
            docs = np.asarray(self.docs[int(self.indptr[at]) : int(self.indptr[at + 1])])
            rows = docs if rows is None else np.intersect1d(rows, docs)
        return np.zeros(0, np.int64) if rows is None else rows.astype(np.int64)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row (zeros when no stem of the question is indexed)."""
        return self.match(query).dense(self.size)


@dataclass(frozen=True)
class _Postings:
    vocab: np.ndarray  # this chunk's sorted stems
    terms: np.ndarray  # stem id (in `vocab`) per posting, sorted
    docs: np.ndarray  # row per posting, ascending within a stem
    tf: np.ndarray
    doc_len: np.ndarray


def _postings(stems: list[list[str]], first_row: int) -> _Postings:
    """A chunk of tokenized texts as postings, vectorised: (stem, row) pairs counted once."""
    lengths = np.array([len(s) for s in stems], dtype=np.int64)
    flat = _encode([w for s in stems for w in s])
    vocab, ids = np.unique(flat, return_inverse=True)
    rows = np.repeat(np.arange(len(stems), dtype=np.int64), lengths)
    keys, tf = np.unique(ids.astype(np.int64) * len(stems) + rows, return_counts=True)
    return _Postings(
        vocab,
        keys // max(len(stems), 1),
        keys % max(len(stems), 1) + first_row,
        np.minimum(tf, 65535).astype(np.uint16),
        lengths.astype(np.int32),
    )


def _rank_within(terms: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """For postings sorted by stem: each one's position among its stem's postings."""
    if not len(terms):
        return np.zeros(0, np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return np.arange(len(terms)) - starts[terms]
