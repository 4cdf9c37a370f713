"""Resolving a typed title at 100,000 films (issue #26): `Titles.resolve` as it is, against
the scan it replaced (every film's key compared in Python and by rapidfuzz), in the same run,
on the same questions; every answer is checked to be the scan's.

Titles are real ones (MovieLens, ../shared/data/movielens-small, read in place; made-up
words without it) repeated as the 1,000,000-passage index names its films ("Heat #37"),
with years. A guild sees 95% of them. Questions of five kinds: a film's own title (as a
member's post names it), a known title misspelt, two of a title's words, a title the index
does not have, a title with its year.

The lookup's tables are built once per index version: whole at its first opening (or after
a merge), else on the last full build's, the rows that changed looked up one by one.

    python -m benchmarks.bench_titles                    # 100,000 films
    python -m benchmarks.bench_titles --films 20000 --questions 10
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections.abc import Callable
from dataclasses import astuple

import numpy as np

from benchmarks.eval_taste import find_movielens
from index.knowledge.film_names import split_film_name
from index.knowledge.films import normalize_title
from index.knowledge.title_search import Tables, TitleSearch
from index.knowledge.titles import Titles
from index.results import TitleMatch
from index.types import Film

KINDS = ("own title", "misspelt", "two words", "unknown", "with year")


def scan_resolve(titles: Titles, title: str, allowed: np.ndarray | None = None) -> TitleMatch:
    """`Titles.resolve` before #26: every film's key read in Python for each lookup."""
    from rapidfuzz import fuzz, process

    title, year = astuple(split_film_name(title, bare_year=True))
    wanted = normalize_title(title)
    seen = [i for i in range(len(titles.keys)) if allowed is None or allowed[i]]
    pool = [i for i in seen if year is None or titles.years[i] == year] or seen
    choices = {i: titles.keys[i] for i in pool}
    films = titles.films
    exact = [i for i, key in choices.items() if key == wanted]
    if len(exact) == 1:
        return TitleMatch(title, films[exact[0]], (films[exact[0]],))
    if len(exact) > 1:
        ordered = tuple(sorted((films[i] for i in exact), key=lambda f: f.year or 0))
        return TitleMatch(title, None, ordered, ambiguous=True)
    found = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=5, score_cutoff=60)
    candidates = tuple(films[i] for _, _, i in found)
    close = [(fuzz.token_sort_ratio(wanted, choices[i]), i) for _, _, i in found]
    close = sorted((c for c in close if c[0] >= 85), reverse=True)
    if close and (len(close) == 1 or close[1][0] < close[0][0] - 3):
        return TitleMatch(title, films[close[0][1]], candidates)
    if len(close) > 1:
        return TitleMatch(title, None, tuple(films[i] for _, i in close), ambiguous=True)
    words = set(wanted.split())
    contained = [i for i, name in choices.items() if wanted and words <= set(name.split())]
    if len(contained) == 1 and len(wanted) >= 4:
        return TitleMatch(title, films[contained[0]], candidates)
    if len(contained) > 1:
        return TitleMatch(title, None, tuple(films[i] for i in contained[:10]), ambiguous=True)
    return TitleMatch(title, None, candidates)


def real_titles() -> list[tuple[str, int | None]]:
    """MovieLens's titles and years, or made-up ones without it."""
    found = find_movielens()
    if found is not None:
        with (found / "movies.csv").open(encoding="utf-8") as handle:
            return [astuple(split_film_name(row["title"])) for row in csv.DictReader(handle)]
    rng = np.random.default_rng(0)
    words = ["".join(rng.choice(list("aeioubcdfglmnprst"), 6)) for _ in range(3000)]
    return [
        (
            " ".join(rng.choice(words, int(rng.integers(1, 5)))).title(),
            int(rng.integers(1920, 2025)),
        )
        for _ in range(10_000)
    ]


def films_and_questions(
    n: int, per_kind: int, seed: int = 26
) -> tuple[list[Film], list[list[str]]]:
    """`n` films named as the large benchmark index names them, and questions of each kind;
    a tenth of the real titles are left out for the unknown ones."""
    rng = np.random.default_rng(seed)
    known = real_titles()
    known = [known[int(i)] for i in rng.permutation(len(known))]
    left_out, known = known[: len(known) // 10], known[len(known) // 10 :]
    films = []
    for i in range(n):
        title, year = known[int(rng.integers(len(known)))]
        films.append(Film(f"f{i}", f"{title} #{i // 10}", year, (), (), None, (), (), 1))
    picks = [known[int(r)] for r in rng.integers(len(known), size=per_kind * 3)]
    many = [t for t, _ in picks if len(t.split()) > 2][:per_kind]
    questions = [
        [films[int(r)].title for r in rng.integers(n, size=per_kind)],
        [_misspelt(t, rng) for t, _ in picks[:per_kind]],
        [" ".join(t.split()[1:3]) for t in many],
        [t for t, _ in left_out[:per_kind]],
        [f"{t} {y or 2000}" for t, y in picks[per_kind : 2 * per_kind]],
    ]
    return films, questions


def _misspelt(title: str, rng: np.random.Generator) -> str:
    at = int(rng.integers(1, max(len(title) - 1, 2)))
    return title[:at] + title[at + 1 :]


def timed(
    lookup: Callable[[Titles, str, np.ndarray], TitleMatch],
    titles: Titles,
    questions: list[str],
    allowed: np.ndarray,
) -> tuple[list[float], list[TitleMatch]]:
    times, answers = [], []
    for question in questions:
        started = time.perf_counter()
        answers.append(lookup(titles, question, allowed))
        times.append((time.perf_counter() - started) * 1000)
    return times, answers


def built(titles: Titles) -> str:
    """What a version's lookup tables cost: built whole (a version's first opening, or after
    a merge), and on the last full build's for a version with one film more (a review)."""
    keys, years = list(titles.keys), list(titles.years)
    started = time.perf_counter()
    Tables.of(keys)
    whole = time.perf_counter() - started
    TitleSearch.build(keys, years)  # the last full build, as the live version's
    started = time.perf_counter()
    TitleSearch.build([*keys, "a members film"], [*years, None])
    patched = time.perf_counter() - started
    return f"lookup tables built whole in {whole:.2f} s, a version with a film more on them in {patched * 1000:.0f} ms"


def p(times: list[float], q: float) -> float:
    return float(np.percentile(times, q))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--films", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=40, help="per kind")
    args = parser.parse_args()
    films, questions = films_and_questions(args.films, args.questions)
    titles = Titles(films)
    print(f"{args.films:,} films; {built(titles)}")
    allowed = np.random.default_rng(1).random(len(films)) < 0.95
    print("| question | scan p50 | scan p99 | now p50 | now p99 | p50 ratio | same answers |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    every_old: list[float] = []
    every_new: list[float] = []
    for kind, asked in zip(KINDS, questions, strict=True):
        old, before = timed(scan_resolve, titles, asked, allowed)
        new, after = timed(Titles.resolve, titles, asked, allowed)
        every_old += old
        every_new += new
        same = sum(a == b for a, b in zip(before, after, strict=True))
        print(
            f"| {kind} | {p(old, 50):.1f} ms | {p(old, 99):.1f} ms | {p(new, 50):.2f} ms "
            f"| {p(new, 99):.2f} ms | {statistics.median(old) / statistics.median(new):.0f}x "
            f"| {same} of {len(asked)} |"
        )
    print(
        f"| all | {p(every_old, 50):.1f} ms | {p(every_old, 99):.1f} ms | {p(every_new, 50):.2f} ms "
        f"| {p(every_new, 99):.2f} ms | {p(every_old, 50) / p(every_new, 50):.0f}x | |"
    )


if __name__ == "__main__":
    main()
