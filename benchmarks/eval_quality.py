"""Answer quality on real reviews: cinebot against BM25-only and dense-only retrieval.

    python -m benchmarks.eval_quality            # one review per film (3,851), writes EVAL.md
    python -m benchmarks.eval_quality --per-film 2

The baselines are what a user would otherwise build: the whole question sent to BM25
(bm25s) or to the embedding + FAISS, passages grouped into films, no query understanding.
cinebot rows differ in ranking settings only (the tuning record); the first is the default.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks import eval_knowledge, eval_pages, eval_parser
from benchmarks.bench_search import machine
from benchmarks.eval_questions import QUESTIONS, Question
from benchmarks.imdb import WORKDIR, TruthFilm, film_key, real_engine, truth_films
from index.embedding.encoder import Encoder
from index.engine import Engine
from index.storage.lexical import LexicalIndex

PAGE = 10
DEPTH = 3 * PAGE  # systems rank this deep, so a page survives dropping unjudged films
Ranker = Callable[[Question], list[str]]  # question -> film keys, best first


def judged(q: Question, f: TruthFilm) -> bool:
    """Whether the metadata can judge the film: 38% of the films have no country and many
    no director, and cinebot may rightly place them from the review text. Such films count
    neither for nor against a system (as unjudged documents in TREC-style evaluation)."""
    return not ((q.countries and not f.countries) or (q.director and not f.director))


def satisfies(q: Question, f: TruthFilm) -> bool:
    """Whether a film meets every constraint the question states (per-review rating, as the
    engine filters: some review of the film is in range)."""
    if q.countries and not f.countries & set(q.countries):
        return False
    if any(g not in f.genres for g in q.genres) or f.genres & set(q.not_genres):
        return False
    if q.years and not (f.year is not None and q.years[0] <= f.year <= q.years[1]):
        return False
    if q.director and q.director not in f.director:
        return False
    if q.rating_min is not None or q.rating_below is not None:
        low = q.rating_min if q.rating_min is not None else -math.inf
        high = q.rating_below if q.rating_below is not None else math.inf
        if not any(low <= r < high for r in f.ratings):
            return False
    return not (q.judged_by and not f.genres & set(q.judged_by))


@dataclass
class Scores:
    filter_precision: list[float] = field(default_factory=list)
    film_recall: list[float] = field(default_factory=list)
    genre_precision: list[float] = field(default_factory=list)
    ndcg: list[float] = field(default_factory=list)
    seconds: float = 0.0
    unjudged: int = 0

    def row(self) -> list[float]:
        return [
            statistics.mean(v) if v else float("nan")
            for v in (self.filter_precision, self.film_recall, self.genre_precision, self.ndcg)
        ]


def ndcg(relevant: list[bool], ideal_hits: int) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, hit in enumerate(relevant) if hit)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(ideal_hits, PAGE)))
    return dcg / ideal if ideal else 1.0


def evaluate(ranker: Ranker, truth: dict[str, TruthFilm], questions: Sequence[Question]) -> Scores:
    out = Scores()
    started = time.perf_counter()
    for q in questions:
        # Condensed lists: unjudged films are dropped before the cut at PAGE.
        ranked = ranker(q)
        returned = [k for k in ranked if k not in truth or judged(q, truth[k])][:PAGE]
        out.unjudged += sum(1 for k in ranked[:PAGE] if k not in returned)
        relevant = [k in truth and satisfies(q, truth[k]) for k in returned]
        truth_set = [k for k, f in truth.items() if satisfies(q, f)]
        out.ndcg.append(ndcg(relevant, len(truth_set)))
        if q.descriptive:
            out.genre_precision.append(sum(relevant) / len(returned) if returned else 0.0)
            continue
        if returned:
            out.filter_precision.append(sum(relevant) / len(returned))
        else:  # saying "nothing matches" is right exactly when nothing does
            out.filter_precision.append(0.0 if truth_set else 1.0)
        if 0 < len(truth_set) <= PAGE:
            out.film_recall.append(sum(relevant) / len(truth_set))
    out.seconds = time.perf_counter() - started
    return out


def cinebot_ranker(engine: Engine, asked_after: str = "") -> Ranker:
    """`asked_after`: words said after each question (", include panned ones")."""

    def rank(q: Question) -> list[str]:
        result = engine.ask(q.text + asked_after, limit=DEPTH)
        if result.relaxed:  # "nothing matched; without <filter> there is ..." is not an answer
            return []
        return [film_key(h.film.title, h.film.year) for h in result.hits]

    return rank


class PassageBaselines:
    """Retrieval over the same passages and vectors, with no query understanding."""

    def __init__(self, engine: Engine) -> None:
        snap = engine.snapshot()
        self.engine = engine
        self.vectors = np.asarray(snap.vectors)
        keys = [film_key(f.title, f.year) for f in snap.films]
        self.passage_key = [keys[int(r)] for r in snap.passage_film]
        self.lexical: LexicalIndex = snap.lexical

    def _films(self, scores: np.ndarray) -> list[str]:
        out: list[str] = []
        for row in np.argsort(-scores, kind="stable")[: DEPTH * 40]:
            if scores[row] <= 0 and out:
                break
            key = self.passage_key[int(row)]
            if key not in out:
                out.append(key)
            if len(out) == DEPTH:
                break
        return out

    def dense(self, q: Question) -> list[str]:
        vector = self.engine.encoder.encode([q.text])[0]
        return self._films(self.vectors @ vector)

    def bm25(self, q: Question) -> list[str]:
        scores = self.lexical.scores(q.text)
        return self._films(scores) if scores.any() else []


def run(
    engine: Engine, records: list[dict], variants: dict[str, dict[str, float]], out: Path | None
) -> str:
    truth = truth_films(records)
    base = PassageBaselines(engine)
    systems: dict[str, Ranker] = {
        "BM25 only (bm25s, whole question)": base.bm25,
        "dense only (FAISS, whole question)": base.dense,
    }
    default = engine.settings.search
    for name, overrides in variants.items():
        if len(systems) == 3:  # beside the defaults: the same, with questions in float32
            embedding = engine.settings.embedding.model_copy(update={"quantized_questions": False})
            settings = engine.settings.model_copy(update={"embedding": embedding})
            systems[FLOAT_QUESTIONS] = cinebot_ranker(Engine(settings, Encoder(embedding)))
            systems[PANNED_TOO] = cinebot_ranker(engine, ", include panned ones")
        search = default.model_copy(update=overrides)
        settings = engine.settings.model_copy(update={"search": search})
        systems[name] = cinebot_ranker(Engine(settings, engine.encoder))
    results = {name: evaluate(r, truth, QUESTIONS) for name, r in systems.items()}
    snap = engine.snapshot()
    n_filter = sum(not q.descriptive for q in QUESTIONS)
    n_recall = sum(
        1
        for q in QUESTIONS
        if not q.descriptive and 0 < sum(satisfies(q, f) for f in truth.values()) <= PAGE
    )
    lines = [
        "# Answer quality on real reviews",
        "",
        f"Machine: {machine()}",
        "",
        f"Corpus: {len(records):,} IMDb user reviews ({len(truth):,} films, {len(snap.passage_review):,} passages) "
        "from `../shared/data/imdb-reviews` (read in place, not copied); truth from its metadata.",
        f"Questions: {len(QUESTIONS)} written by us ({n_filter} with filters, "
        f"{len(QUESTIONS) - n_filter} descriptive without genre words), see `benchmarks/eval_questions.py`.",
        "",
        f"- **filter precision**: share of the top {PAGE} films meeting every stated constraint ({n_filter} filter questions)",
        f"- **film recall**: share of the truth set returned, for the {n_recall} filter questions whose truth fits on the page",
        f"- **genre precision@{PAGE}**: share of the top {PAGE} with a genre the descriptive question implies",
        f"- **nDCG@{PAGE}**: binary relevance (meets the constraints / has the genre), all questions",
        "",
    ]
    header = [
        f"| system | filter precision | film recall | genre precision@{PAGE} | nDCG@{PAGE} | unjudged films | s per question |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += header
    for i, (name, s) in enumerate(results.items()):
        if i == 5:  # the defaults, two readings of them, the baselines; then the grid
            lines += [
                "",
                "Tuning record (same questions; only the ranking settings differ):",
                "",
                *header,
            ]
        cells = " | ".join(f"{v:.3f}" for v in s.row())
        lines.append(f"| {name} | {cells} | {s.unjudged} | {s.seconds / len(QUESTIONS):.3f} |")
    report = "\n".join(lines) + "\n"
    report += eval_knowledge.section(snap, engine.encoder, records)
    report += eval_pages.section()
    report += eval_parser.section()
    if out is not None:
        notes = Path(__file__).with_name("EVAL_NOTES.md")
        analysis = "\n" + notes.read_text() if out.parent == notes.parent else ""
        out.write_text(report + analysis)
    return report


VARIANTS: dict[str, dict[str, float]] = {"**cinebot** (defaults from config/cinebot.toml)": {}}
# The int8 question encoder is judged here: the defaults with questions in float32 instead.
FLOAT_QUESTIONS = "cinebot with questions in float32 (`embedding.quantized_questions = false`)"
# Films their reviewers panned are left out of filtered answers (and counted): the truth here
# counts them, so the filters' exactness is read with them asked for too.
PANNED_TOO = "cinebot, each question followed by “include panned ones”"
VARIANTS |= {
    f"lexical_weight {lex}, rating_weight {rating}": {
        "lexical_weight": lex,
        "rating_weight": rating,
    }
    for lex in (0.0, 0.1, 0.2, 0.3, 0.5)
    for rating in (0.0, 0.03, 0.1)
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-film", type=int, default=1, help="reviews per film to index")
    parser.add_argument("--films", type=int, default=None, help="only the first N films")
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("EVAL.md"))
    args = parser.parse_args()
    engine, records = real_engine(args.workdir, args.per_film, args.films)
    print(run(engine, records, VARIANTS, args.out))


if __name__ == "__main__":
    main()
