"""Taste: films for one member from their own reviews in one place, and for a group.

A member's taste is read on the fly from the reviews they gave in this server (`reviews`),
never stored and never mixed with anyone else's. Each film they rated pulls films like it
(rated above `pivot`) or pushes them away (below it), by how far the rating is from the
pivot. "Like it" is measured in four ways, each a term over every film the place sees:

    director   the same director
    genres     shared genres, counting less the further apart the release years (`era`)
    countries  a shared country, likewise
    words      the films whose reviews read nearest the rated films' reviews (a profile: the
               rated films' passage centroids, weighted by pull or push)

and a fifth, the film's standing with reviewers here (`prior`: its mean rating, shrunk towards
the mean of all). Each term is put on one scale over the candidate films (z-scores) and
weighted (`TasteModel`, tuned on real people's ratings by `benchmarks/eval_taste.py`; what was
tried is in benchmarks/TASTE.md). Facts come from the place's own view of its films
(`scope.facts`), so another server's reviews never shape them.

A question applies exactly as to a search: its filters (relaxed when nothing passes them all)
decide which films may be shown; its words, when it has any ("something bleak"), or a film it
names ("like Heat"), pick the films that fit, which taste then orders. Films the member
reviewed are never shown. With fewer than `min_rated` rated reviews there is no taste yet: the
answer says so and shows the films reviewers here rate best.

A movie night puts several members' tastes together: each member's taste on one scale, a
film scores as `caution` x its worst match among them + (1 - `caution`) x its average match.
All worst match would be "nobody is left with a film they are sure to dislike", but on real
tastes the worst match is mostly the noisiest guess, and leaning on the average served the
least-served member better (benchmarks/TASTE.md). A member with too few rated
reviews is neutral (every film suits them alike) and is named as such."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from index.answering.answer import Passing, Scope, film_hits, neighbours, understand
from index.answering.answer import passing as answer_passing
from index.answering.rank import FilmScore, rank_by_rating, top_films
from index.knowledge import filters as registry
from index.knowledge.countries import country_name
from index.results import SearchResult
from index.storage.snapshot import Snapshot
from index.types import Film, Ignored, ParsedQuery, StoredReview

TERMS = ("director", "genres", "countries", "words", "prior")
_FACTS = {fact.name: fact for fact in registry.FACTS}
_SHARED = {"director": "directors", "genres": "genres", "countries": "countries"}


@dataclass(frozen=True)
class TasteModel:
    """How a taste is worked out. The defaults are what benchmarks/eval_taste.py measured best
    on the MovieLens members it tuned on (benchmarks/TASTE.md)."""

    director: float = 0.5
    genres: float = 1.0
    countries: float = 1.0
    words: float = 0.0
    prior: float = 0.25
    pivot: float = 5.0  # a rating above it pulls, below it pushes (0-10)
    era: float = 5.0  # years over which shared genres or countries count for less (1/e)
    caution: float = 0.0  # movie night: caution x the worst match + (1 - caution) x the average
    min_rated: int = 3  # rated reviews needed before there is a taste
    pool: int = 200  # films nearest the profile that the words term scores
    question_pool: int = 30  # films a question's words pick, for taste to order

    def weight(self, term: str) -> float:
        return float(getattr(self, term))


MODEL = TasteModel()


# ---------------------------------------------------------------------------- a member's ratings
@dataclass(frozen=True)
class Ratings:
    """What taste reads of one member's reviews here: the films they rated (the latest rating
    of each) and every film they reviewed, rated or not."""

    rows: np.ndarray  # film rows of the rated films
    ratings: np.ndarray  # 0-10, one per row
    reviewed: np.ndarray  # film rows of every film they reviewed

    def weights(self, model: TasteModel) -> np.ndarray:
        """How much each rated film pulls (+) or pushes (-): (rating - pivot) / 5."""
        return (self.ratings - model.pivot) / 5.0

    def enough(self, model: TasteModel) -> bool:
        return len(self.rows) >= model.min_rated


def ratings_of(snap: Snapshot, reviews: Sequence[StoredReview]) -> Ratings:
    """A member's reviews (latest first, as the library lists them) as film rows."""
    rated: dict[int, float] = {}
    reviewed: list[int] = []
    for review in reviews:
        row = snap.film_row.get(review.film_id)
        if row is None:
            continue
        reviewed.append(row)
        if review.rating is not None and row not in rated:
            rated[row] = float(review.rating)
    return Ratings(
        np.array(list(rated), dtype=np.int64),
        np.array(list(rated.values()), dtype=np.float64),
        np.unique(np.array(reviewed, dtype=np.int64)),
    )


# ---------------------------------------------------------------------------- what may be shown
def passing(scope: Scope, question: str | ParsedQuery) -> Passing:
    """What a question lets through, as `answer.search` decides it (the same stage)."""
    if isinstance(question, str):
        question = understand(scope.snap, question, scope.library)
    return answer_passing(scope, question)


def relevance(scope: Scope, p: Passing, n: int) -> tuple[list[FilmScore] | None, ParsedQuery]:
    """The films a question's words fit best, or those like the film it names, within its
    filters; None when it asks for neither (then taste alone orders what passes)."""
    snap, query, settings = scope.snap, p.query, scope.settings
    named = query.like or query.title
    if named:
        match = snap.titles.resolve(named, snap.visible_films(scope.library))
        if match.film is not None:
            row = snap.film_row[match.film.film_id]
            return neighbours(scope, row, p.masks, p.filters, n), query
        why = "no film of that title in the index"
        query = query.model_copy(
            update={"ignored": [*query.ignored, Ignored(phrase=named, why=why)]}
        )
    if not query.semantic:
        return None, query
    vector = scope.encoder.encode_query(query.semantic)
    selection = p.selection(scope)
    lexical = scope.lexical(query.semantic) if settings.lexical_weight > 0 else None
    found = top_films(
        snap, vector, selection, n, settings.rating_weight, lexical, settings.lexical_weight
    )
    return found, query


# ---------------------------------------------------------------------------- the terms
@dataclass(frozen=True)
class Terms:
    """Each term of one member's taste over every film (rows of the version), unweighted."""

    values: dict[str, np.ndarray]
    centroids: dict[int, np.ndarray] = field(default_factory=dict)  # rated film -> unit vector

    def combined(
        self, model: TasteModel, candidates: np.ndarray
    ) -> tuple[np.ndarray, dict[str, float]]:
        """The weighted sum of the terms, each as z-scores over the candidates, on a scale of
        its own (unit spread over the candidates); and the factor each term's raw value was
        multiplied by, to weigh one film's likeness to one rated film alike (`why`)."""
        total = np.zeros(len(candidates))
        factors: dict[str, float] = {}
        if not candidates.any():
            return total, factors
        for term in TERMS:
            weight = model.weight(term)
            values = self.values.get(term)
            if not weight or values is None:
                continue
            std = float(values[candidates].std())
            if std <= 1e-12:
                continue
            factors[term] = weight / std
            total += weight * (values - float(values[candidates].mean())) / std
        spread = float(total[candidates].std())
        if spread > 1e-12:
            total = (total - float(total[candidates].mean())) / spread
            factors = {term: f / spread for term, f in factors.items()}
        return total, factors


def fact_keys(film: Film, fact: str) -> list[str]:
    """A film's keywords of one fact, as the filter registry reads them (names folded)."""
    return list(_FACTS[fact].read({**film.__dict__}) or [])


def year_kernel(years: np.ndarray, rated_years: np.ndarray, era: float) -> np.ndarray:
    """exp(-|year gap| / era); a film of unknown year counts as one era away."""
    gap = np.abs(years[:, None].astype(np.float64) - rated_years[None, :].astype(np.float64))
    unknown = (years[:, None] < 0) | (rated_years[None, :] < 0)
    return np.where(unknown, math.exp(-1.0), np.exp(-gap / era))


def shared_term(
    scope: Scope, fact: str, ratings: Ratings, weights: np.ndarray, era: float | None
) -> np.ndarray:
    """For every film f: the sum over rated films j of w_j x k(year f, year j) x the keywords
    they share, each side divided by the root of its number of keywords (a cosine of keyword
    sets); k is 1 without an `era` (directors). Worked out per keyword over the grid of
    release years, so it costs the films holding the member's keywords, not films x ratings."""
    facts = scope.facts
    n = len(facts.films)
    score = np.zeros(n)
    groups = facts.groups[fact]
    years = np.asarray(facts.columns["year"])
    by_key: dict[str, list[int]] = {}
    rated_sizes = np.ones(len(ratings.rows))
    for i, row in enumerate(ratings.rows.tolist()):
        keys = [k for k in dict.fromkeys(fact_keys(facts.film(row), fact)) if k in groups]
        rated_sizes[i] = max(1, len(keys))
        for key in keys:
            by_key.setdefault(key, []).append(i)
    if not by_key:
        return score
    sizes = np.ones(n)
    if era is not None:  # each film's own number of keywords (few keys: genres, countries)
        sizes = np.zeros(n)
        for key in groups:
            sizes[np.asarray(groups[key])] += 1
        sizes = np.maximum(sizes, 1)
    grid = np.unique(years)
    for key, members in by_key.items():
        rows = np.asarray(groups[key])
        chosen = np.array(members)
        pull = weights[chosen] / np.sqrt(rated_sizes[chosen])
        if era is None:
            score[rows] += pull.sum()
            continue
        per_year = year_kernel(grid, years[ratings.rows[chosen]], era) @ pull
        score[rows] += per_year[np.searchsorted(grid, years[rows])] / np.sqrt(sizes[rows])
    return score


def centroids_of(scope: Scope, rows: np.ndarray) -> dict[int, np.ndarray]:
    """The unit mean of each film's passages the place may see (films without words: none)."""
    snap = scope.snap
    visible = snap.visible(scope.library)[snap.passage_review]
    chosen = np.flatnonzero(np.isin(snap.passage_film, rows) & visible)
    out: dict[int, np.ndarray] = {}
    if not len(chosen):
        return out
    films = snap.passage_film[chosen]
    order = np.argsort(films, kind="stable")
    chosen, films = chosen[order], films[order]
    starts = np.flatnonzero(np.r_[True, films[1:] != films[:-1]])
    ends = np.r_[starts[1:], len(films)]
    vectors = np.asarray(snap.vectors[chosen], dtype=np.float64)
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        vector = vectors[start:end].mean(axis=0)
        norm = float(np.linalg.norm(vector))
        if norm:
            out[int(films[start])] = vector / norm
    return out


def words_term(
    scope: Scope, ratings: Ratings, weights: np.ndarray, p: Passing, pool: int
) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Films whose reviews read nearest the member's profile: each of the `pool` nearest
    films (among those passing the question's filters; searched in the vector store, as a
    question is) scores its best passage's similarity, the rest the least of those. Also the
    rated films' centroids, to say why a film was chosen."""
    snap = scope.snap
    centroids = centroids_of(scope, ratings.rows)
    score = np.zeros(len(snap.films))
    profile = np.zeros(snap.vectors.shape[1])
    for row, weight in zip(ratings.rows.tolist(), weights.tolist(), strict=True):
        if row in centroids:
            profile += weight * centroids[row]
    norm = float(np.linalg.norm(profile))
    if not norm:
        return score, centroids
    selection = scope.selection(
        p.masks.passages, p.filters, rows_only=p.by_name, left_out=p.left_out
    )
    found = top_films(snap, (profile / norm).astype(np.float32), selection, pool)
    if found:
        score[:] = min(f.score for f in found)
        for f in found:
            score[f.film_row] = f.score
    return score, centroids


def prior_term(scope: Scope) -> np.ndarray:
    """Each film's mean rating from the reviews the place sees, shrunk towards the mean of
    all (as if three more reviews gave that): many good reviews beat one rave."""
    snap = scope.snap
    rated = snap.visible(scope.library) & ~np.isnan(snap.review_rating)
    films = snap.review_film[rated]
    n = len(snap.films)
    count = np.bincount(films, minlength=n).astype(np.float64)
    total = np.bincount(films, weights=snap.review_rating[rated], minlength=n)
    everyone = float(total.sum() / count.sum()) if count.sum() else 5.0
    return (total + 3 * everyone) / (count + 3)


def terms_of(
    scope: Scope, ratings: Ratings, p: Passing, model: TasteModel = MODEL, every: bool = False
) -> Terms:
    """One member's taste terms (those the model weighs; with `every`, all of them)."""
    weights = ratings.weights(model)
    values: dict[str, np.ndarray] = {}
    for term, fact in _SHARED.items():
        if every or model.weight(term):
            era = None if term == "director" else model.era
            values[term] = shared_term(scope, fact, ratings, weights, era)
    centroids: dict[int, np.ndarray] = {}
    if every or model.words:
        values["words"], centroids = words_term(scope, ratings, weights, p, model.pool)
    if every or model.prior:
        values["prior"] = prior_term(scope)
    return Terms(values, centroids)


# ---------------------------------------------------------------------------- answers
@dataclass(frozen=True)
class Recommendation:
    """Films for one member: a search's answer (`result`), one line per film saying why, and
    how much there was to go on (`rated` reviews; `needed` before taste is used)."""

    result: SearchResult
    why: tuple[str, ...]
    rated: int
    needed: int

    @property
    def personal(self) -> bool:
        """Whether taste chose the films (else: too few rated reviews, the best rated films)."""
        return self.rated >= self.needed

    def to_dict(self) -> dict[str, Any]:
        """`search --json`, with a `why` per film and what taste had to go on."""
        data = self.result.to_dict()
        for film, why in zip(data["results"], self.why, strict=True):
            film["why"] = why
        data["taste"] = {
            "rated_reviews": self.rated,
            "needed": self.needed,
            "personal": self.personal,
        }
        return data


@dataclass(frozen=True)
class Member:
    """Someone at a movie night, as the answer names them."""

    user_id: str
    name: str
    rated: int  # their rated reviews here

    def neutral(self, needed: int) -> bool:
        return self.rated < needed


@dataclass(frozen=True)
class MovieNight:
    """Films for a group: the picks (`result`), a reason each, who was there and who counted
    as neutral (too few rated reviews), and how tastes were put together."""

    result: SearchResult
    reasons: tuple[str, ...]
    members: tuple[Member, ...]
    needed: int
    caution: float = 0.0

    @property
    def how(self) -> str:
        """How the tastes were put together, in words."""
        if self.caution <= 0:
            return "the best average match, each member's taste counting alike"
        if self.caution >= 1:
            return "the best worst-case match: each film scores as its weakest match here"
        return f"the average match, with the weakest match weighing {self.caution:.0%}"

    @property
    def neutral(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.neutral(self.needed))

    def to_dict(self) -> dict[str, Any]:
        data = self.result.to_dict()
        for film, reason in zip(data["results"], self.reasons, strict=True):
            film["why"] = reason
        data["members"] = [
            {
                "user_id": m.user_id,
                "name": m.name,
                "rated_reviews": m.rated,
                "neutral": m.neutral(self.needed),
            }
            for m in self.members
        ]
        data["how"] = self.how
        return data


@dataclass(frozen=True)
class Taster:
    """One member's taste, worked out for one question: its terms and their weighted sum over
    every film (None with too few rated reviews), and the model as applied."""

    member: Member
    ratings: Ratings
    terms: Terms | None = None
    score: np.ndarray | None = None
    factors: dict[str, float] = field(default_factory=dict)
    model: TasteModel = MODEL


def taster(
    scope: Scope,
    member: Member,
    ratings: Ratings,
    p: Passing,
    candidates: np.ndarray,
    model: TasteModel = MODEL,
) -> Taster:
    """A member's taste over the candidates. Where the facts tell no candidate apart (a
    library without a catalogue, whose reviews name no director, genre or country), the
    reviews' words decide instead."""
    member = replace(member, rated=len(ratings.rows))
    if not ratings.enough(model):
        return Taster(member, ratings, model=model)
    terms = terms_of(scope, ratings, p, model)
    score, factors = terms.combined(model, candidates)
    if not set(factors) & set(_SHARED) and not model.words:
        model = replace(model, words=1.0)
        terms = terms_of(scope, ratings, p, model)
        score, factors = terms.combined(model, candidates)
    return Taster(member, ratings, terms, score, factors, model)


def _ranked(
    scope: Scope,
    p: Passing,
    candidates: np.ndarray,
    score: np.ndarray | None,
    found: list[FilmScore] | None,
    limit: int,
) -> tuple[list[FilmScore], int]:
    """The candidates in order: by `score` (with the question's fit added when it has one),
    else by the question's fit alone, else by their reviews' ratings. Returns one more film
    than `limit` when there is one (paging), and how many candidates there were."""
    snap = scope.snap
    if found is not None:
        fitting = [f for f in found if candidates[f.film_row]]
        by_row = {f.film_row: f for f in fitting}
        pool = np.zeros(len(candidates), dtype=bool)
        pool[list(by_row)] = True
        fit = np.full(len(candidates), -np.inf)
        for f in fitting:
            fit[f.film_row] = f.score
        if score is not None and len(fitting) > 1:
            spread = float(fit[pool].std()) or 1.0
            fit = np.where(pool, (fit - float(fit[pool].mean())) / spread + score, -np.inf)
        candidates, score = pool, fit
    else:
        by_row = {}
    total = int(np.count_nonzero(candidates))
    if score is None:  # nothing personal and nothing asked: the best rated films
        passing_reviews = p.masks.reviews & candidates[snap.review_film]
        return rank_by_rating(snap, passing_reviews, limit + 1), total
    rows = np.flatnonzero(candidates)
    order = np.lexsort((snap.film_title_rank[rows], -score[rows]))[: limit + 1]
    out = []
    for row in rows[order].tolist():
        known = by_row.get(row)
        reviews = known.reviews if known else _reviews_of(snap, row, p.masks.reviews)
        out.append(FilmScore(row, float(score[row]), reviews))
    return out, total


def _reviews_of(
    snap: Snapshot, row: int, passing: np.ndarray
) -> tuple[tuple[int, int, float], ...]:
    """A film's passing reviews, best rated first, as a rating-ranked film carries them."""
    rows = np.flatnonzero((snap.review_film == row) & passing)
    ratings = np.nan_to_num(snap.review_rating[rows], nan=-1.0)
    order = np.argsort(-ratings, kind="stable")
    return tuple(
        (int(r), -1, max(float(x), 0.0) / 10)
        for r, x in zip(rows[order], ratings[order], strict=True)
    )


def _result(
    scope: Scope, p: Passing, query: ParsedQuery, ranked: list[FilmScore], total: int, limit: int
) -> SearchResult:
    return SearchResult(
        query=query,
        hits=film_hits(scope, ranked[:limit], query, p.masks.reviews),
        offset=0,
        total=total if not p.relaxed else 0,
        has_more=len(ranked) > limit,
        emptied_by=p.emptied_by,
        relaxed=p.relaxed,
        per_page=limit,
    )


def recommend(
    scope: Scope,
    reviews: Sequence[StoredReview],
    question: str | ParsedQuery = "",
    limit: int = 5,
    model: TasteModel = MODEL,
) -> Recommendation:
    """Films for the member whose `reviews` (in this place) these are."""
    p = passing(scope, question)
    ratings = ratings_of(scope.snap, reviews)
    candidates = p.masks.films.copy()
    candidates[ratings.reviewed] = False
    found, query = relevance(scope, p, model.question_pool + len(ratings.reviewed))
    mine = taster(scope, Member("", "you", 0), ratings, p, candidates, model)
    ranked, total = _ranked(scope, p, candidates, mine.score, found, limit)
    result = _result(scope, p, query, ranked, total, limit)
    if mine.terms is not None:
        why = tuple(because(scope, hit.film, mine) for hit in result.hits)
    else:
        why = tuple(well_liked(hit.rating, len(hit.reviews)) for hit in result.hits)
    return Recommendation(result, why, len(ratings.rows), model.min_rated)


def movie_night(
    scope: Scope,
    members: Sequence[tuple[Member, Sequence[StoredReview]]],
    question: str | ParsedQuery = "",
    limit: int = 5,
    model: TasteModel = MODEL,
) -> MovieNight:
    """Films for a group: none any of them reviewed, within the question's filters, ordered
    by `caution` x their worst match + (1 - `caution`) x their average match."""
    p = passing(scope, question)
    rated = [(member, ratings_of(scope.snap, reviews)) for member, reviews in members]
    candidates = p.masks.films.copy()
    for _, ratings in rated:
        candidates[ratings.reviewed] = False
    reviewed = sum(len(ratings.reviewed) for _, ratings in rated)
    found, query = relevance(scope, p, model.question_pool + reviewed)
    tasters = [taster(scope, m, ratings, p, candidates, model) for m, ratings in rated]
    scores = [t.score for t in tasters if t.score is not None]
    group = None
    if scores:
        stack = np.stack(scores)
        group = model.caution * stack.min(axis=0) + (1 - model.caution) * stack.mean(axis=0)
    ranked, total = _ranked(scope, p, candidates, group, found, limit)
    result = _result(scope, p, query, ranked, total, limit)
    scored = [t for t in tasters if t.score is not None]
    reasons = tuple(_suits(scope, hit.film, hit.rating, scored) for hit in result.hits)
    group_of = tuple(t.member for t in tasters)
    return MovieNight(result, reasons, group_of, model.min_rated, model.caution)


# ---------------------------------------------------------------------------- saying why
def well_liked(rating: float | None, reviews: int) -> str:
    if rating is None:
        return "in the library here, though nobody has rated it yet"
    return f"well liked here: {rating:g}/10 from {reviews} review{'s' if reviews != 1 else ''}"


def likeness(scope: Scope, film: Film, mine: Taster) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """How much each rated film drew `film` up (weighted as the ranking weighed it): per rated
    film in all, and per term."""
    assert mine.terms is not None
    ratings, terms, factors, model = mine.ratings, mine.terms, mine.factors, mine.model
    facts = scope.facts
    weights = ratings.weights(model)
    years = np.asarray(facts.columns["year"])
    row = scope.snap.film_row[film.film_id]
    parts: dict[str, np.ndarray] = {}
    for term, fact in _SHARED.items():
        if term not in factors:
            continue
        own = set(fact_keys(film, fact))
        shared = np.zeros(len(ratings.rows))
        if own:
            for i, rated in enumerate(ratings.rows.tolist()):
                keys = set(fact_keys(facts.film(rated), fact))
                if keys & own:
                    shared[i] = len(keys & own) / math.sqrt(len(keys) * len(own))
        if term != "director":
            kernel = year_kernel(years[[row]], years[ratings.rows], model.era)[0]
            shared *= kernel
        parts[term] = factors[term] * weights * shared
    if "words" in factors and terms.centroids:
        centroid = centroids_of(scope, np.array([row]))
        if row in centroid:
            cosine = np.array(
                [
                    float(terms.centroids[r] @ centroid[row]) if r in terms.centroids else 0.0
                    for r in ratings.rows.tolist()
                ]
            )
            parts["words"] = factors["words"] * weights * cosine
    total = sum(parts.values(), np.zeros(len(ratings.rows)))
    return total, parts


def because(scope: Scope, film: Film, mine: Taster) -> str:
    """ "because you liked Oldboy and Memories of Murder": the two liked films that drew it
    up most."""
    total, parts = likeness(scope, film, mine)
    ratings = mine.ratings
    liked = ratings.ratings > mine.model.pivot
    order = [i for i in np.argsort(-total, kind="stable").tolist() if liked[i] and total[i] > 0]
    if not order:
        return "not much like anything you rated: a wider pick"
    names = [scope.facts.film(int(ratings.rows[i])).label for i in order[:2]]
    line = "because you liked " + " and ".join(names)
    if "director" in parts and parts["director"][order[0]] > 0 and film.director:
        line += f" (also by {film.director})"
    return line


def _suits(scope: Scope, film: Film, rating: float | None, scored: Sequence[Taster]) -> str:
    """A movie night's reason: what the film is that drew the group, and whom it suits most.
    It names no film anyone rated: the others see it."""
    if not scored:
        return well_liked(rating, 1) if rating is not None else "well liked here"
    row = scope.snap.film_row[film.film_id]
    strongest: dict[str, float] = {}
    for taster in scored:
        assert taster.terms is not None
        for term, factor in taster.factors.items():
            value = taster.terms.values[term][row] * factor
            strongest[term] = strongest.get(term, 0.0) + value
    drew = max(strongest, key=lambda t: strongest[t]) if strongest else None
    facet = _facet(film, drew)
    fans = [t.member.name for t in scored if t.score is not None and t.score[row] >= 0.5]
    who = ("suits " + _names(fans)) if fans else "a fair middle for everyone"
    return f"{facet} · {who}" if facet else who


def _facet(film: Film, term: str | None) -> str:
    decade = f"the {film.year // 10 * 10}s" if film.year else ""
    if term == "director" and film.director:
        return f"by {film.director}"
    if term == "countries" and film.countries:
        where = ", ".join(country_name(c) for c in film.countries[:2])
        return f"{where}, {decade}" if decade else where
    if film.genres:
        kinds = ", ".join(film.genres[:3])
        return f"{kinds}, {decade}" if decade else kinds
    return ""


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
