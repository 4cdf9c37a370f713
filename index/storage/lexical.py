"""BM25 over passage texts (bm25s), rows aligned with the FAISS ids.

Dense vectors know that "undead" is close to "zombies"; BM25 knows that a passage which
names the exact thing asked for ("heist", a character's name) is a strong match. The
ranker fuses the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from index.storage import arrays


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: Sequence[str], ids: bool = False) -> Any:
    """Lower-cased words of two or more letters, English stopwords out, Snowball-stemmed.
    As token ids and a vocabulary for indexing (a million passages of strings would take
    gigabytes), as strings for a question."""
    import bm25s

    return bm25s.tokenize(
        list(texts), stopwords="en", stemmer=_stemmer(), return_ids=ids, show_progress=False
    )


LEXICAL_DIR = "bm25"


class LexicalIndex:
    """Built when a version is written and saved beside its FAISS file: tokenizing takes
    about 0.3 ms per passage, too slow to repeat whenever a process opens the index."""

    def __init__(self, texts: Sequence[str] = ()) -> None:
        import bm25s

        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        if texts:
            self._bm25.index(tokenize(texts, ids=True), show_progress=False)

    def save(self, folder: Path) -> None:
        folder.mkdir()
        (folder / "size").write_text(str(self.size))
        if self.size:
            self._bm25.save(str(folder))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        index = cls()
        index.size = int((folder / "size").read_text())
        if index.size:
            with arrays.READING:  # its arrays are .npy files: see index.storage.arrays
                index._bm25 = bm25s.BM25.load(str(folder), mmap=True)
        return index

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for `query` (zeros when no query word is indexed)."""
        tokens = tokenize([query])[0] if self.size else []
        known = [t for t in tokens if t in self._bm25.vocab_dict] if tokens else []
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
