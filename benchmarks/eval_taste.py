"""Taste on real people's ratings (issue #27): /recommend and movie night against baselines.

    python -m benchmarks.eval_taste          # the one-review-per-film index; writes TASTE.md

Members with real tastes: MovieLens users (../shared/data/movielens-small, research use only,
read in place) joined to the reviewed films of ../shared/data/imdb-reviews by films.csv's
`movielens_id`. Every user who rated ten or more of those films becomes a member whose
ratings (0.5-5 stars, read as 1-10) are their reviews without words. Liked means 4 stars or
more (8/10). For each member, 20% of the films they liked (at least one; chosen by a hash of
seed, user and film) are hidden; the rest are their reviews, and a system's first 10 films
(never one they reviewed) are scored against the hidden likes: hit-rate@10 (at least one
hidden like among them) and nDCG@10 (binary). Three hidings per member (seeds) are averaged.

Users are split by a hash of their id: a third to tune on (the weights of
`index.answering.taste.TasteModel`), the rest to report on; every number in the tables is
on the report users. Movie night: groups of three report users (drawn by a seeded
generator), scored by each member's own hidden likes among the group's first 10 films; the
least-served member's hit-rate is the group's.

Systems, all through the engine's own functions on the same index:
- well liked: no taste, what /recommend answers with too few reviews (the films reviewers
  here rate best: best rating, then most reviews)
- last liked: /similar on the member's latest liked film (its reviews' centroid)
- /recommend: `index.answering.taste.recommend` with the shipped model; then each term alone
- popularity (MovieLens): films by how many of the other members rated them. The bot never
  has this: members' ratings are theirs alone. It is the ceiling of what pooling everyone's
  private ratings would give, shown for honesty, not a system cinebot could ship.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from benchmarks.bench_search import machine
from benchmarks.imdb import REPO, WORKDIR, find_corpus, real_engine
from index.answering import taste
from index.answering.answer import Scope, neighbours
from index.answering.rank import rank_by_rating
from index.answering.taste import MODEL, Member, TasteModel
from index.engine import Engine
from index.knowledge import filters as registry
from index.knowledge.films import film_id
from index.types import QueryFilters, StoredReview

MOVIELENS_ENV = "CINEBOT_MOVIELENS"
PAGE = 10
LIKED = 8.0  # 4 stars of 5
HIDDEN = 0.2
LEAST = 10  # reviewed films a user needs to be a member here
SEEDS = (0, 1, 2)
GROUPS = 500  # movie-night groups per hiding
CAUTION = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)  # movie night: weight of the worst match
CHECKED = 30  # groups whose first films are checked against taste.movie_night itself
NOTES = Path(__file__).with_name("TASTE_NOTES.md")


def find_movielens() -> Path | None:
    """$CINEBOT_MOVIELENS, else ../shared/data/movielens-small beside the repository."""
    candidates = [os.environ.get(MOVIELENS_ENV, "")]
    candidates += [
        str(base / "shared/data/movielens-small") for base in (REPO.parent, Path.cwd().parent)
    ]
    return next((Path(c) for c in candidates if c and (Path(c) / "ratings.csv").is_file()), None)


# ---------------------------------------------------------------------------- members
@dataclass(frozen=True)
class Person:
    user: int
    ratings: tuple[tuple[int, float, int], ...]  # (film row, 0-10, timestamp)


def people(engine: Engine, movielens: Path, films_csv: Path, least: int = LEAST) -> list[Person]:
    """MovieLens users with at least `least` ratings of films the index holds."""
    snap = engine.snapshot()
    row_of: dict[int, int] = {}
    with films_csv.open(encoding="utf-8") as handle:
        for film in csv.DictReader(handle):
            year = int(film["year"]) if film.get("year") else None
            row = snap.film_row.get(film_id(film["title"], year))
            if film.get("movielens_id") and row is not None:
                row_of[int(film["movielens_id"])] = row
    rated: dict[int, dict[int, tuple[int, float, int]]] = defaultdict(dict)
    with (movielens / "ratings.csv").open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            row = row_of.get(int(r["movieId"]))
            if row is not None:
                rated[int(r["userId"])][row] = (row, 2 * float(r["rating"]), int(r["timestamp"]))
    return [
        Person(user, tuple(sorted(films.values(), key=lambda x: x[2])))
        for user, films in sorted(rated.items())
        if len(films) >= least
    ]


def _hash(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()


def tuned_on(person: Person) -> bool:
    """A third of the users (by a hash of their id) tune the model; the rest report."""
    return int(_hash("tune", person.user), 16) % 3 == 0


@dataclass(frozen=True)
class Case:
    """One member with some of their likes hidden (`seed` says which)."""

    person: Person
    seed: int
    hidden: frozenset[int]

    @cached_property
    def kept(self) -> tuple[tuple[int, float, int], ...]:
        return tuple(r for r in self.person.ratings if r[0] not in self.hidden)

    def reviews(self, engine: Engine) -> list[StoredReview]:
        """Their kept ratings as reviews without words, the latest first (as a library lists them)."""
        ids = engine.snapshot().films.ids
        return [
            StoredReview(
                review_id=f"movielens-{self.person.user}-{row}",
                film_id=ids[row],
                library="guild:1",
                reviewer=None,
                rating=rating,
                rating_raw=f"{rating / 2:g}/5",
                date=None,
                source="movielens",
                url=None,
                text="",
                user_id=str(self.person.user),
            )
            for row, rating, _ in reversed(self.kept)
        ]


def cases(persons: Sequence[Person], seeds: Sequence[int] = SEEDS) -> list[Case]:
    out = []
    for seed in seeds:
        for person in persons:
            liked = [r[0] for r in person.ratings if r[1] >= LIKED]
            if not liked:
                continue
            liked.sort(key=lambda row: _hash(seed, person.user, row))
            out.append(Case(person, seed, frozenset(liked[: max(1, round(HIDDEN * len(liked)))])))
    return out


# ---------------------------------------------------------------------------- scoring
def scores(top: Sequence[int], hidden: frozenset[int]) -> tuple[float, float]:
    """hit-rate and nDCG of one list of films against the hidden likes."""
    gains = [1.0 if row in hidden else 0.0 for row in top[:PAGE]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(PAGE, len(hidden))))
    return float(any(gains)), dcg / ideal if ideal else 0.0


@dataclass(frozen=True)
class Score:
    hit: float
    ndcg: float
    spread: float  # half the 95% interval of the hit-rate (users as the unit)
    n: int


def summarise(per_case: dict[Case, tuple[float, float]]) -> Score:
    """Averages over cases; the interval from each user's mean over seeds."""
    by_user: dict[int, list[float]] = defaultdict(list)
    for case, (hit, _) in per_case.items():
        by_user[case.person.user].append(hit)
    means = np.array([np.mean(v) for v in by_user.values()])
    spread = 1.96 * float(means.std(ddof=1)) / math.sqrt(len(means)) if len(means) > 1 else 0.0
    hits = [h for h, _ in per_case.values()]
    ndcgs = [n for _, n in per_case.values()]
    return Score(float(np.mean(hits)), float(np.mean(ndcgs)), spread, len(per_case))


System = Callable[[Case], list[int]]


class Bench:
    """The systems, on one engine's live version."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.snap = engine.snapshot()
        self.scope = Scope(self.snap, None, engine.encoder, engine.settings.search)
        self.everything = registry.masks(self.scope.facts, QueryFilters(), None)
        self._reviews: dict[Case, list[StoredReview]] = {}

    def reviews(self, case: Case) -> list[StoredReview]:
        if case not in self._reviews:
            self._reviews[case] = case.reviews(self.engine)
        return self._reviews[case]

    def rows(self, hits: Sequence) -> list[int]:
        return [self.snap.film_row[h.film.film_id] for h in hits]

    def recommend(self, model: TasteModel) -> System:
        def system(case: Case) -> list[int]:
            found = taste.recommend(self.scope, self.reviews(case), "", PAGE, model)
            return self.rows(found.result.hits)

        return system

    def last_liked(self, case: Case) -> list[int]:
        liked = [r for r in case.kept if r[1] >= LIKED]
        if not liked:
            return []
        reviewed = {r[0] for r in case.kept}
        latest = max(liked, key=lambda r: r[2])[0]
        near = neighbours(self.scope, latest, self.everything, QueryFilters(), PAGE + len(reviewed))
        return [f.film_row for f in near if f.film_row not in reviewed][:PAGE]

    def popularity(self, all_cases: Sequence[Case]) -> System:
        """Films by how many of the other members rated them (in the same hiding)."""
        counts: dict[int, Counter[int]] = defaultdict(Counter)
        for case in all_cases:
            counts[case.seed].update(r[0] for r in case.kept)
        title = self.snap.film_title_rank

        def system(case: Case) -> list[int]:
            mine = {r[0] for r in case.kept}
            tally = counts[case.seed].copy()
            tally.subtract(mine)
            ranked = sorted(
                (row for row in tally if row not in mine), key=lambda r: (-tally[r], title[r])
            )
            return ranked[:PAGE]

        return system


def run_system(system: System, chosen: Sequence[Case]) -> dict[Case, tuple[float, float]]:
    return {case: scores(system(case), case.hidden) for case in chosen}


# ---------------------------------------------------------------------------- tuning
@dataclass
class Prepared:
    """A case's taste terms worked out once, so that weights are tried in a loop."""

    case: Case
    terms: taste.Terms
    candidates: np.ndarray


def prepare(bench: Bench, chosen: Sequence[Case], model: TasteModel) -> list[Prepared]:
    p = taste.passing(bench.scope, "")
    out = []
    for case in chosen:
        ratings = taste.ratings_of(bench.snap, bench.reviews(case))
        candidates = p.masks.films.copy()
        candidates[ratings.reviewed] = False
        terms = taste.terms_of(bench.scope, ratings, p, model, every=True)
        out.append(Prepared(case, terms, candidates))
    return out


def fast(bench: Bench, prepared: Sequence[Prepared], model: TasteModel) -> Score:
    """The ranking `taste.recommend` makes, from terms worked out before."""
    weights = np.array([[model.weight(t) for t in taste.TERMS]])
    return grid_scores(bench, prepared, model, weights)[0]


WEIGHTS = {
    "director": (0.5, 1.0),
    "genres": (0.0, 0.25, 0.5, 1.0),
    "countries": (0.0, 0.25, 0.5, 1.0),
    "words": (0.0, 0.1, 0.25, 0.5),
    "prior": (0.0, 0.25),
}
PIVOTS = (5.0, 6.0, 7.0)
ERAS = (5.0, 10.0, 20.0)


def zscores(item: Prepared, model: TasteModel, title: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each term as z-scores over the case's candidates (rows: `taste.TERMS`; a term with no
    spread is all zeros, as `Terms.combined` leaves it out), and a tie-break that orders equal
    scores by title, as the ranking does."""
    rows = np.flatnonzero(item.candidates)
    z = np.zeros((len(taste.TERMS), len(rows)))
    for i, term in enumerate(taste.TERMS):
        values = item.terms.values[term][rows]
        if values.std() > 1e-12:
            z[i] = (values - values.mean()) / values.std()
    return z, -title[rows] * 1e-12


def grid_scores(
    bench: Bench, prepared: Sequence[Prepared], model: TasteModel, weights: np.ndarray
) -> list[Score]:
    """Every row of `weights` (one weight per term) scored at once over the cases: the same
    first films as `Terms.combined` ranks (ties by title)."""
    title = bench.snap.film_title_rank
    per_model: list[dict[Case, tuple[float, float]]] = [{} for _ in weights]
    for item in prepared:
        z, tie = zscores(item, model, title)
        rows = np.flatnonzero(item.candidates)
        hidden = np.isin(rows, list(item.case.hidden))
        ideal = sum(1 / math.log2(i + 2) for i in range(min(PAGE, len(item.case.hidden))))
        score = weights @ z + tie
        k = min(PAGE, len(rows))
        if not k:
            continue
        top = np.argpartition(-score, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(score, top, axis=1), axis=1, kind="stable")
        gains = hidden[np.take_along_axis(top, order, axis=1)]
        discount = 1 / np.log2(np.arange(2, k + 2))
        for m, row in enumerate(gains):
            per_model[m][item.case] = (float(row.any()), float(row @ discount) / ideal)
    return [summarise(per_case) for per_case in per_model]


def tune(bench: Bench, chosen: Sequence[Case]) -> list[tuple[TasteModel, Score]]:
    """Every model of the grid (pivot x era x each term's weights) on the tuning users, best
    first (hit-rate, then nDCG)."""
    names = list(WEIGHTS)
    grid = np.array(np.meshgrid(*WEIGHTS.values(), indexing="ij")).reshape(len(names), -1).T
    weights = np.array([[row[names.index(t)] for t in taste.TERMS] for row in grid])
    tried: list[tuple[TasteModel, Score]] = []
    for pivot in PIVOTS:
        for era in ERAS:
            model = replace(MODEL, pivot=pivot, era=era)
            found = grid_scores(bench, prepare(bench, chosen, model), model, weights)
            for row, score in zip(grid, found, strict=True):
                named = dict(zip(names, map(float, row), strict=True))
                tried.append((replace(model, **named), score))
    return sorted(tried, key=lambda t: (-t[1].hit, -t[1].ndcg))


def describe(model: TasteModel) -> str:
    weights = ", ".join(f"{t} {model.weight(t):g}" for t in taste.TERMS)
    return f"{weights}; pivot {model.pivot:g}, era {model.era:g}"


# ---------------------------------------------------------------------------- movie night
def groups(chosen: Sequence[Case], size: int, seed: int) -> list[tuple[Case, ...]]:
    """`size` groups of three of these users per hiding, drawn by a seeded generator."""
    by_seed: dict[int, list[Case]] = defaultdict(list)
    for case in chosen:
        by_seed[case.seed].append(case)
    out = []
    for s, members in sorted(by_seed.items()):
        rng = random.Random(f"{seed}-{s}")
        out += [tuple(rng.sample(members, 3)) for _ in range(size)]
    return out


@dataclass(frozen=True)
class GroupScore:
    least: float  # share of groups whose least-served member has a hidden like in the 10
    least_50: float  # the same within the first 50
    median_rank: float  # the least-served member's first hidden like: its rank, median
    mean: float  # mean member hit-rate@10
    n: int


Order = Callable[[tuple[Case, ...]], np.ndarray]  # a group -> every candidate film, best first


def score_groups(order: Order, chosen: Sequence[tuple[Case, ...]]) -> GroupScore:
    """Each member's first hidden like in the group's ranking; the group counts as served
    as far as its least-served member is."""
    least, mean = [], []
    for group in chosen:
        ranked = order(group)
        position = {int(row): i + 1 for i, row in enumerate(ranked.tolist())}
        firsts = [min((position.get(r, 10**9) for r in c.hidden), default=10**9) for c in group]
        least.append(max(firsts))
        mean.append(float(np.mean([f <= PAGE for f in firsts])))
    worst = np.array(least, dtype=np.float64)
    return GroupScore(
        float(np.mean(worst <= PAGE)),
        float(np.mean(worst <= 50)),
        float(np.median(worst)),
        float(np.mean(mean)),
        len(chosen),
    )


def taste_order(bench: Bench, prepared: dict[Case, Prepared], model: TasteModel) -> Order:
    """The ranking `taste.movie_night` makes (caution x the worst match + the rest x the
    average of the members' tastes, among films none of them reviewed), from terms worked out
    before."""
    title = bench.snap.film_title_rank

    def order(group: tuple[Case, ...]) -> np.ndarray:
        candidates = np.logical_and.reduce([prepared[c].candidates for c in group])
        stack = np.stack([prepared[c].terms.combined(model, candidates)[0] for c in group])
        score = model.caution * stack.min(axis=0) + (1 - model.caution) * stack.mean(axis=0)
        rows = np.flatnonzero(candidates)
        return rows[np.lexsort((title[rows], -score[rows]))]

    return order


def fixed_order(bench: Bench, ranking: Sequence[int]) -> Order:
    """One ranking for everyone (well liked, popularity), less what the group reviewed."""
    ranked = np.asarray(ranking, dtype=np.int64)

    def order(group: tuple[Case, ...]) -> np.ndarray:
        seen = np.array([r[0] for c in group for r in c.kept])
        return ranked[~np.isin(ranked, seen)]

    return order


def well_liked_ranking(bench: Bench) -> list[int]:
    """Every film as the fallback ranks them (best rating, then most reviews, then title)."""
    ranked = rank_by_rating(bench.snap, bench.everything.reviews, len(bench.snap.films))
    return [f.film_row for f in ranked]


def popular_ranking(bench: Bench, all_cases: Sequence[Case], seed: int) -> list[int]:
    counts: Counter[int] = Counter()
    for case in all_cases:
        if case.seed == seed:
            counts.update(r[0] for r in case.kept)
    title = bench.snap.film_title_rank
    return sorted(counts, key=lambda r: (-counts[r], title[r]))


def same_as_movie_night(
    bench: Bench, prepared: dict[Case, Prepared], chosen: Sequence[tuple[Case, ...]]
) -> int:
    """How many of these groups get the same first films from `taste.movie_night` as from
    the shortcut the table uses."""
    order = taste_order(bench, prepared, MODEL)
    same = 0
    for group in chosen:
        members = [
            (Member(str(c.person.user), f"user {c.person.user}", 0), bench.reviews(c))
            for c in group
        ]
        found = taste.movie_night(bench.scope, members, "", PAGE, MODEL)
        same += bench.rows(found.result.hits) == order(group)[:PAGE].tolist()
    return same


# ---------------------------------------------------------------------------- the report
def run(
    engine: Engine,
    movielens: Path,
    films_csv: Path,
    out: Path | None,
    seeds: Sequence[int] = SEEDS,
    n_groups: int = GROUPS,
    tuning: bool = True,
) -> str:
    started = time.perf_counter()
    bench = Bench(engine)
    persons = people(engine, movielens, films_csv)
    all_cases = cases(persons, seeds)
    tuning_cases = [c for c in all_cases if tuned_on(c.person)]
    report_cases = [c for c in all_cases if not tuned_on(c.person)]
    well_liked = replace(MODEL, min_rated=10**9)
    systems: dict[str, System] = {
        "well liked (no taste: the fallback)": bench.recommend(well_liked),
        "last liked (/similar on the latest liked film)": bench.last_liked,
        "**/recommend** (shipped model)": bench.recommend(MODEL),
    }
    results = {name: summarise(run_system(s, report_cases)) for name, s in systems.items()}
    prepared = prepare(bench, report_cases, MODEL)
    alone = {
        f"one term: {term}": replace(MODEL, **{t: float(t == term) for t in taste.TERMS})
        for term in taste.TERMS
    }
    for name, model in alone.items():
        results[name] = fast(bench, prepared, model)
    results["popularity (MovieLens: everyone's private ratings; not available to cinebot)"] = (
        summarise(run_system(bench.popularity(all_cases), report_cases))
    )
    shipped_fast = fast(bench, prepared, MODEL)
    tried = tune(bench, tuning_cases) if tuning else []
    chosen_groups = groups(report_cases, n_groups, seed=27)
    by_case = {item.case: item for item in prepared}
    by_seed = {seed: popular_ranking(bench, all_cases, seed) for seed in seeds}

    def popular(group: tuple[Case, ...]) -> np.ndarray:
        return fixed_order(bench, by_seed[group[0].seed])(group)

    nights: dict[str, Order] = {
        "well liked (no taste)": fixed_order(bench, well_liked_ranking(bench)),
        f"**movie night** (shipped: caution {MODEL.caution:g})": taste_order(bench, by_case, MODEL),
    }
    for caution in CAUTION:
        if caution != MODEL.caution:
            nights[f"caution {caution:g}"] = taste_order(
                bench, by_case, replace(MODEL, caution=caution)
            )
    nights["popularity (MovieLens; not available to cinebot)"] = popular
    night_results = {name: score_groups(order, chosen_groups) for name, order in nights.items()}
    checked = same_as_movie_night(bench, by_case, chosen_groups[:CHECKED])
    night_tuning: dict[float, GroupScore] = {}
    if tuning:
        tuning_groups = groups(tuning_cases, n_groups, seed=72)
        tuned = {item.case: item for item in prepare(bench, tuning_cases, MODEL)}
        for caution in CAUTION:
            order = taste_order(bench, tuned, replace(MODEL, caution=caution))
            night_tuning[caution] = score_groups(order, tuning_groups)
    lines = _report(
        engine,
        persons,
        all_cases,
        tuning_cases,
        report_cases,
        results,
        shipped_fast,
        tried,
        night_results,
        (checked, min(CHECKED, len(chosen_groups))),
        night_tuning,
        seeds,
    )
    lines.append(f"Run time: {time.perf_counter() - started:.0f} s.")
    text = "\n".join(lines) + "\n"
    if out is not None:
        notes = "\n" + NOTES.read_text() if out.parent == NOTES.parent and NOTES.is_file() else ""
        out.write_text(text + notes)
    return text


def _report(
    engine: Engine,
    persons: Sequence[Person],
    all_cases: Sequence[Case],
    tuning_cases: Sequence[Case],
    report_cases: Sequence[Case],
    results: dict[str, Score],
    shipped_fast: Score,
    tried: Sequence[tuple[TasteModel, Score]],
    nights: dict[str, GroupScore],
    checked: tuple[int, int],
    night_tuning: dict[float, GroupScore],
    seeds: Sequence[int],
) -> list[str]:
    snap = engine.snapshot()
    tune_users = len({c.person.user for c in tuning_cases})
    report_users = len({c.person.user for c in report_cases})
    hidden = np.mean([len(c.hidden) for c in all_cases]) if all_cases else 0.0
    rated = np.mean([len(p.ratings) for p in persons]) if persons else 0.0
    base = results["well liked (no taste: the fallback)"].hit or float("nan")
    lines = [
        "# Taste: /recommend and movie night on real people's ratings",
        "",
        f"Machine: {machine()}",
        "",
        f"Index: {len(snap.films):,} films, {snap.n_passages:,} passages (one IMDb review per film, "
        "`../shared/data/imdb-reviews`, as `make eval` builds it). Members: "
        f"{len(persons)} MovieLens users with {LEAST}+ ratings of those films (mean {rated:.0f}), "
        f"their ratings as reviews without words; liked = 4 stars or more; {HIDDEN:.0%} of the "
        f"liked films hidden (mean {hidden:.1f} a member), {len(seeds)} hidings each. "
        f"Tuned on {tune_users} users, reported on the other {report_users} "
        f"({len(report_cases)} cases); ± is half the 95% interval of the hit-rate over users.",
        "",
        "## /recommend",
        "",
        f"| system | hit-rate@{PAGE} | nDCG@{PAGE} | × well liked |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, s in results.items():
        lines.append(
            f"| {name} | {s.hit:.3f} ± {s.spread:.3f} | {s.ndcg:.3f} | {s.hit / base:.2f} |"
        )
    shipped = results["**/recommend** (shipped model)"]
    last = results["last liked (/similar on the latest liked film)"]
    lines += [
        "",
        f"Shipped model: {describe(MODEL)}; movie night caution {MODEL.caution:g}. The same ranking from terms worked out once (the "
        f"tuning loop's shortcut) gives hit-rate {shipped_fast.hit:.3f}, nDCG {shipped_fast.ndcg:.3f}.",
        "",
        "## Movie night",
        "",
        f"Groups of three report users ({next(iter(nights.values())).n} groups, drawn per hiding); "
        "each member's first hidden like in the group's ranking (films none of them reviewed). "
        "With a binary hit, the least-served member has one only when every member has one. "
        f"The shipped ordering gave the same first {PAGE} films as `taste.movie_night` itself "
        f"for {checked[0]} of {checked[1]} groups checked.",
        "",
        f"| system | least-served member hit-rate@{PAGE} | least-served @50 | least-served "
        f"member's first hit, median rank | mean member hit-rate@{PAGE} |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, g in nights.items():
        lines.append(
            f"| {name} | {g.least:.3f} | {g.least_50:.3f} | {g.median_rank:.0f} | {g.mean:.3f} |"
        )
    night_shipped = next(g for n, g in nights.items() if n.startswith("**movie night**"))
    night_base = nights["well liked (no taste)"]
    better = night_shipped.least > night_base.least
    lines += [
        "",
        "## Acceptance (issue #27), read off this run",
        "",
        f"- /recommend hit-rate@{PAGE} {shipped.hit:.3f} is {shipped.hit / base:.2f}x the "
        f"well-liked baseline's {base:.3f} (target 1.2x): {'met' if shipped.hit >= 1.2 * base else 'NOT met'}.",
        f"- above last-liked similarity ({last.hit:.3f}): "
        f"{'met' if shipped.hit > last.hit else 'NOT met'}.",
        f"- movie night, least-served member hit-rate@{PAGE} {night_shipped.least:.3f} against the "
        f"well-liked baseline's {night_base.least:.3f}: {'met' if better else 'NOT met'} "
        f"(@50: {night_shipped.least_50:.3f} against {night_base.least_50:.3f}).",
    ]
    popular = next(s for n, s in results.items() if n.startswith("popularity"))
    night_popular = next(g for n, g in nights.items() if n.startswith("popularity"))
    lines.append(
        f"- against MovieLens popularity ({popular.hit:.3f}; movie night {night_popular.least:.3f}), "
        "which needs every member's private ratings pooled: not met; cinebot reads only the "
        "member's own reviews (see the notes)."
    )
    if tried:
        lines += [
            "",
            "## Tuning record (tuning users only)",
            "",
            f"Every model of a grid ({len(tried)}: pivot {', '.join(f'{p:g}' for p in PIVOTS)}; era "
            f"{', '.join(f'{e:g}' for e in ERAS)}; "
            + "; ".join(f"{t} {', '.join(f'{w:g}' for w in ws)}" for t, ws in WEIGHTS.items())
            + "), best first; the best is shipped. "
            f"{sum(s.hit >= tried[0][1].hit - tried[0][1].spread for _, s in tried)} models lie "
            "within the best one's 95% interval: the order among the top is mostly noise. "
            "The best ten, and the shipped model:",
            "",
            f"| model | hit-rate@{PAGE} | nDCG@{PAGE} |",
            "| --- | ---: | ---: |",
        ]
        shown = list(tried[:10])
        shipped_row = next(((m, s) for m, s in tried if m == MODEL), None)
        if shipped_row is not None and shipped_row not in shown:
            shown.append(shipped_row)
        for model, s in shown:
            mark = " (shipped)" if model == MODEL else ""
            lines.append(f"| {describe(model)}{mark} | {s.hit:.3f} | {s.ndcg:.3f} |")
    if night_tuning:
        lines += [
            "",
            "Movie night's caution (the weight of the worst match; the rest goes to the average) "
            "on groups of tuning users, with the shipped term weights:",
            "",
            f"| caution | least-served hit-rate@{PAGE} | @50 | median rank | "
            f"mean member hit-rate@{PAGE} |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for caution, g in night_tuning.items():
            mark = " (shipped)" if caution == MODEL.caution else ""
            lines.append(
                f"| {caution:g}{mark} | {g.least:.3f} | {g.least_50:.3f} | "
                f"{g.median_rank:.0f} | {g.mean:.3f} |"
            )
    lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--movielens", type=Path, default=None)
    parser.add_argument("--groups", type=int, default=GROUPS, help="movie-night groups per hiding")
    parser.add_argument("--no-tuning", action="store_true", help="skip the tuning record")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("TASTE.md"))
    args = parser.parse_args()
    movielens = args.movielens or find_movielens()
    corpus = find_corpus()
    if movielens is None or corpus is None:
        raise SystemExit(
            f"MovieLens or the IMDb reviews were not found; set {MOVIELENS_ENV} and "
            "CINEBOT_IMDB_REVIEWS"
        )
    engine, _ = real_engine(args.workdir)
    print(
        run(
            engine,
            movielens,
            corpus.with_name("films.csv"),
            args.out,
            n_groups=args.groups,
            tuning=not args.no_tuning,
        )
    )


if __name__ == "__main__":
    main()
