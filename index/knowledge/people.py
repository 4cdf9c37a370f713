"""People the index knows (directors and cast), looked up the way questions name them.

The question parser reads names against this gazetteer: "by bong joon ho" ends where the
known name ends, and "Park Chan-wook thrillers" is a director because the index knows him.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

Role = Literal["director", "cast"]


def fold(text: str) -> str:
    """A name as it is compared: accents, case and punctuation gone ("Agnès" = "agnes")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


class People:
    """Folded name -> the name as the index spells it, per role."""

    def __init__(self, directors: Iterable[str] = (), cast: Iterable[str] = ()) -> None:
        self._tables: dict[Role, dict[str, str]] = {
            "director": {fold(n): n for n in directors},
            "cast": {fold(n): n for n in cast},
        }

    def match(self, words: list[str], role: Role) -> tuple[str, int] | None:
        """The longest run of leading words naming a known person: (name, words used). A
        one-word run counts only for a one-word name; two or more may be misspelt a little."""
        table = self._tables[role]
        for n in range(min(5, len(words)), 0, -1):
            key = fold(" ".join(words[:n]))
            if key in table and (n > 1 or len(table[key].split()) == 1):
                return table[key], n
        if table and len(words) >= 2:
            from rapidfuzz import fuzz, process

            for n in range(min(4, len(words)), 1, -1):
                hit = process.extractOne(
                    fold(" ".join(words[:n])), table.keys(), scorer=fuzz.ratio, score_cutoff=88
                )
                if hit:
                    return table[hit[0]], n
        return None

    def exact(self, words: list[str], role: Role) -> tuple[str, int] | None:
        """A known name of two or more words at the start of `words`, exactly (no fuzz)."""
        table = self._tables[role]
        words = [re.sub(r"['’]s$", "", w) for w in words[:5]]
        for n in range(len(words), 1, -1):
            if (key := fold(" ".join(words[:n]))) in table:
                return table[key], n
        return None
