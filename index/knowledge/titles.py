"""Which film a title names: fuzzy lookup and suggestions while someone types.

Built once per index version, with the snapshot (in a worker thread), so that neither a
lookup nor an autocomplete keystroke ever normalises every title again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.knowledge.films import normalize_title
from index.results import TitleMatch
from index.types import Film

_YEAR_AT_END = re.compile(r"\(?\b((?:18|19|20)\d\d)\)?\s*$")


class Titles:
    def __init__(self, films: Sequence[Film]) -> None:
        self.films = list(films)
        self.labels = [f.label for f in self.films]
        self.keys = [normalize_title(f.title) for f in self.films]
        # Each normalised title -> the title as the index spells it, for reading questions.
        self.by_key = {key: f.title for key, f in zip(self.keys, self.films, strict=True) if key}
        # "pans labyrinth" for "Pan's Labyrinth": the apostrophe's "s" joined to its word.
        for key, film in list(self.by_key.items()):
            self.by_key.setdefault(
                key.replace(" s ", "s ").removesuffix(" s") + ("s" if key.endswith(" s") else ""),
                film,
            )

    def resolve(self, title: str, allowed: Sequence[bool] | None = None) -> TitleMatch:
        """One film, or why not. "Ballerina (2023)" or "ballerina 2023" pins the year; a match
        must resemble the whole title, or be words found in exactly one title ("fury road").
        `allowed`: only these films (those a place may see) are candidates."""
        from rapidfuzz import fuzz, process

        year = None
        if m := _YEAR_AT_END.search(title.strip()):
            year, title = int(m[1]), title[: m.start()].strip() or title
        wanted = normalize_title(title)
        seen = [i for i in range(len(self.films)) if allowed is None or allowed[i]]
        pool = [i for i in seen if year is None or self.films[i].year == year] or seen
        films = [self.films[i] for i in pool]
        choices = {n: self.keys[i] for n, i in enumerate(pool)}  # position in films -> key
        exact = [films[n] for n, key in choices.items() if key == wanted]
        if len(exact) == 1:
            return TitleMatch(title, exact[0], tuple(exact))
        if len(exact) > 1:
            return TitleMatch(
                title, None, tuple(sorted(exact, key=lambda f: f.year or 0)), ambiguous=True
            )
        found = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=5, score_cutoff=60)
        candidates = tuple(films[i] for _, _, i in found)
        close = [(fuzz.token_sort_ratio(wanted, choices[i]), i) for _, _, i in found]
        close = sorted((c for c in close if c[0] >= 85), reverse=True)
        if close and (len(close) == 1 or close[1][0] < close[0][0] - 3):
            return TitleMatch(title, films[close[0][1]], candidates)
        if len(close) > 1:
            return TitleMatch(title, None, tuple(films[i] for _, i in close), ambiguous=True)
        contained = [
            i for i, name in choices.items() if wanted and set(wanted.split()) <= set(name.split())
        ]
        if len(contained) == 1 and len(wanted) >= 4:
            return TitleMatch(title, films[contained[0]], candidates)
        if len(contained) > 1:
            return TitleMatch(title, None, tuple(films[i] for i in contained[:10]), ambiguous=True)
        return TitleMatch(title, None, candidates)

    def suggest(
        self, typed: str, limit: int = 25, allowed: Sequence[bool] | None = None
    ) -> list[str]:
        """Labels for what someone is typing: misspelt whole titles and fragments both work.
        `allowed`: only these films (those a place may see)."""
        from rapidfuzz import process

        wanted = normalize_title(typed)
        keys: Sequence[str | None] = self.keys
        if allowed is not None:  # rapidfuzz passes over the None choices
            keys = [key if ok else None for key, ok in zip(self.keys, allowed, strict=True)]
        if not wanted:
            return [self.labels[i] for i, key in enumerate(keys) if key is not None][:limit]
        found = process.extract(wanted, keys, scorer=_suggest_score, limit=limit, score_cutoff=50)
        return [self.labels[i] for _, _, i in found]


def _suggest_score(a: str, b: str, **_: object) -> float:
    from rapidfuzz import fuzz

    return max(fuzz.ratio(a, b), 0.9 * fuzz.partial_ratio(a, b))
