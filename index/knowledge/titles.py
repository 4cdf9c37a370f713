"""Which film a title names: fuzzy lookup and suggestions while someone types.

Built once per index version, with the snapshot (in a worker thread), so that neither a
lookup nor an autocomplete keystroke ever normalises every title again.
"""

from __future__ import annotations

import copy
from collections import ChainMap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple
from functools import cached_property

import numpy as np

from index.knowledge.film_names import split_film_name
from index.knowledge.films import normalize_title
from index.knowledge.title_search import TitleSearch
from index.results import TitleMatch
from index.types import Film


class Titles:
    """`films` may build each Film only when it is asked for (a version's film table does):
    titles, years and keys are read from its columns when it has them."""

    def __init__(self, films: Sequence[Film], keys: Sequence[str] | None = None) -> None:
        """`keys`: normalize_title of each film's title, when already worked out."""
        self.films = films
        titles = getattr(films, "titles", None) or [f.title for f in films]
        self.years: Sequence[int | None] = getattr(films, "years", None) or [f.year for f in films]
        self.keys = list(keys) if keys is not None else [normalize_title(t) for t in titles]
        self._titles = titles
        # What a lookup needs that no question changes (#26: a scan cost 150 ms at 100k films).
        self.search = TitleSearch.build(self.keys, self.years)

    @cached_property
    def by_key(self) -> Mapping[str, str]:
        """Each normalised title -> the title as the index spells it, for reading questions.
        Worked out when first read: a place's questions read their own (`known_to`), and a
        version opened for each member's review would spend most of its opening on this."""
        return self.names(range(len(self.keys)))

    def label(self, row: int) -> str:
        """How a film is named to people: "Title (year)", or the title alone."""
        year = self.years[row]
        return f"{self._titles[row]} ({year})" if year else self._titles[row]

    def names(self, rows: Iterable[int], titles: Mapping[int, str] | None = None) -> dict[str, str]:
        """Normalised title -> title, of these films ("pans labyrinth" too, for "Pan's
        Labyrinth": the apostrophe's "s" joined to its word). `titles`: a place's own
        spelling of some of them."""
        titles = titles or {}
        out = {self.keys[r]: titles.get(r, self._titles[r]) for r in rows if self.keys[r]}
        for key, title in list(out.items()):
            out.setdefault(
                key.replace(" s ", "s ").removesuffix(" s") + ("s" if key.endswith(" s") else ""),
                title,
            )
        return out

    def known_to(
        self,
        everyone: Mapping[str, str],
        own: Iterable[int],
        titles: Mapping[int, str] | None = None,
    ) -> Titles:
        """The same titles, of which a question may name only those `everyone` knows and a
        place's own films (`own` rows, spelt as `titles` says): layered, nothing copied but
        the place's own."""
        view = copy.copy(self)
        view.by_key = ChainMap(self.names(own, titles), everyone)  # type: ignore[arg-type]
        return view

    def resolve(self, title: str, allowed: Sequence[bool] | np.ndarray | None = None) -> TitleMatch:
        """One film, or why not. "Ballerina (2023)" or "ballerina 2023" pins the year; a match
        must resemble the whole title, or be words found in exactly one title ("fury road").
        `allowed`: only these films (those a place may see) are candidates."""
        from rapidfuzz import fuzz

        title, year = astuple(split_film_name(title, bare_year=True))
        wanted = normalize_title(title)
        pool = self.search.pool(allowed, year)
        films, keys = self.films, self.keys

        def by_year(rows: list[int]) -> tuple[Film, ...]:
            return tuple(sorted((films[i] for i in rows), key=lambda f: f.year or 0))

        exact = self.search.exact(wanted, pool)
        if len(exact) == 1:
            return TitleMatch(title, films[exact[0]], (films[exact[0]],))
        if len(exact) > 1:
            return TitleMatch(title, None, by_year(exact), ambiguous=True)
        found = self.search.fuzzy(wanted, pool)
        candidates = tuple(films[i] for _, i in found)
        close = [(fuzz.token_sort_ratio(wanted, keys[i]), i) for _, i in found]
        close = sorted((c for c in close if c[0] >= 85), reverse=True)
        if close and (len(close) == 1 or close[1][0] < close[0][0] - 3):
            return TitleMatch(title, films[close[0][1]], candidates)
        if len(close) > 1:
            return TitleMatch(title, None, tuple(films[i] for _, i in close), ambiguous=True)
        contained = self.search.containing(wanted, pool)
        if len(contained) == 1 and len(wanted) >= 4:
            return TitleMatch(title, films[contained[0]], candidates)
        if len(contained) > 1:
            return TitleMatch(title, None, tuple(films[i] for i in contained[:10]), ambiguous=True)
        return TitleMatch(title, None, candidates)

    def suggest(
        self,
        typed: str,
        limit: int = 25,
        allowed: Sequence[bool] | np.ndarray | None = None,
        labels: Mapping[int, str] | None = None,
    ) -> list[str]:
        """Labels for what someone is typing: misspelt whole titles and fragments both work.
        `allowed`: only these films (those a place may see); `labels`: a place's own names
        of some of them."""
        own = labels or {}
        from rapidfuzz import process

        wanted = normalize_title(typed)
        keys: Sequence[str | None] = self.keys
        if allowed is not None:  # rapidfuzz passes over the None choices
            keys = [key if ok else None for key, ok in zip(self.keys, allowed, strict=True)]
        if not wanted:
            rows = [i for i, key in enumerate(keys) if key is not None][:limit]
            return [own.get(i, self.label(i)) for i in rows]
        found = process.extract(wanted, keys, scorer=_suggest_score, limit=limit, score_cutoff=50)
        return [own.get(i, self.label(i)) for _, _, i in found]


def _suggest_score(a: str, b: str, **_: object) -> float:
    from rapidfuzz import fuzz

    return max(fuzz.ratio(a, b), 0.9 * fuzz.partial_ratio(a, b))
