"""People the index knows (directors and cast), looked up the way questions name them:
any case, accents or not, a little misspelt, or by the first two words of a longer name
("Tony Leung" for "Tony Leung Chiu-wai", when only one known name starts so)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Literal

Role = Literal["director", "cast"]
FUZZY_FLOOR = 88  # rapidfuzz ratio a misspelt name must reach


def fold(text: str) -> str:
    """A name as it is compared: accents, case and punctuation gone ("Agnès" = "agnes")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def aliases(names: Iterable[str]) -> dict[str, str]:
    """Folded name -> name, plus the first two words of longer names when unambiguous."""
    table = {fold(n): n for n in names if fold(n)}
    starts: dict[str, set[str]] = {}
    for key, name in table.items():
        words = key.split()
        if len(words) >= 3:
            starts.setdefault(" ".join(words[:2]), set()).add(name)
    for start, found in starts.items():
        if len(found) == 1 and start not in table:
            table[start] = next(iter(found))
    return table


class People:
    """Folded name -> the name as the index spells it, per role, and how many films each has
    in each role (a name that both directs and acts is read in the role it has more)."""

    def __init__(self, directors: Iterable[str] = (), cast: Iterable[str] = ()) -> None:
        self.counts: dict[Role, Counter[str]] = {
            "director": Counter(directors),
            "cast": Counter(cast),
        }
        self._tables: dict[Role, dict[str, str]] = {
            role: aliases(counts) for role, counts in self.counts.items()
        }

    @classmethod
    def counted(cls, directors: dict[str, int], cast: dict[str, int]) -> People:
        """From each name's number of films per role."""
        counts = {"director": directors, "cast": cast}
        return cls.tabled(counts, {role: aliases(c) for role, c in counts.items()})

    @classmethod
    def tabled(cls, counts: dict[str, dict[str, int]], tables: dict[str, dict[str, str]]) -> People:
        """From film counts and the `aliases` tables already worked out (a version's film
        table keeps both, so no name is folded again when it opens)."""
        people = cls()
        people.counts = {"director": Counter(counts["director"]), "cast": Counter(counts["cast"])}
        people._tables = {"director": tables["director"], "cast": tables["cast"]}
        return people

    def __bool__(self) -> bool:
        return any(self._tables.values())

    def match(self, words: list[str], role: Role) -> tuple[str, int] | None:
        """The longest run of leading words naming a known person: (name, words used). A
        one-word run counts only for a one-word name; two or more may be misspelt a little."""
        table = self._tables[role]
        words = [re.sub(r"['’]s$", "", w) for w in words[:5]]
        for n in range(len(words), 0, -1):
            key = fold(" ".join(words[:n]))
            if key in table and (n > 1 or len(table[key].split()) == 1):
                return table[key], n
        if table and len(words) >= 2:
            from rapidfuzz import fuzz, process

            for n in range(min(4, len(words)), 1, -1):
                hit = process.extractOne(
                    fold(" ".join(words[:n])),
                    table.keys(),
                    scorer=fuzz.ratio,
                    score_cutoff=FUZZY_FLOOR,
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

    def role_of(self, name: str) -> Role:
        """The role a known name has in more films (directing, on a tie)."""
        return "cast" if self.counts["cast"][name] > self.counts["director"][name] else "director"
