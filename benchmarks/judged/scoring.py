"""Scores from the systems' answers and the judge's records: pure functions, no index.

A pair nobody has judged yet counts neither way: every figure is given as the range it
spans from "all unjudged are wrong" to "all unjudged are right", with the share judged, and
the pairs are listed. With every pair judged the range is one number.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from benchmarks.judged.questions import KINDS, Kind, Question
from benchmarks.judged.store import Judgments, snippet_hash

TOP = 5
PANNED_AT = 4.0  # a film whose reviews average this or lower (out of 10) is panned


@dataclass(frozen=True)
class Shown:
    """A film a system showed for a question; `snippet` is the first review line shown."""

    film: str  # film key: IMDb id, else "title|year"
    label: str
    snippet: str | None = None


Answers = dict[str, dict[str, list[Shown]]]  # system -> question id -> its top films


@dataclass(frozen=True)
class Span:
    """A share that unjudged pairs leave open: `low` counts them wrong, `high` right."""

    low: float
    high: float
    judged: int
    total: int

    @property
    def exact(self) -> bool:
        return self.judged == self.total

    def text(self, digits: int = 2) -> str:
        if self.total == 0:
            return "-"
        if self.exact:
            return f"{self.low:.{digits}f}"
        unjudged = self.total - self.judged
        return f"{self.low:.{digits}f}-{self.high:.{digits}f} ({unjudged} unjudged)"


def span(yes: int, unknown: int, total: int) -> Span:
    if total == 0:
        return Span(0.0, 0.0, 0, 0)
    return Span(yes / total, (yes + unknown) / total, total - unknown, total)


@dataclass(frozen=True)
class Unjudged:
    question: str
    film: str
    label: str
    what: str  # "film" or "snippet"


@dataclass
class SystemScores:
    p5: dict[Kind, Span] = field(default_factory=dict)
    questions: dict[Kind, int] = field(default_factory=dict)
    shown_per_question: float = 0.0
    panned: Span = field(default_factory=lambda: span(0, 0, 0))
    explains: Span | None = None  # snippet explains the fit, share of shown films
    explains_relevant: Span | None = None  # the same among films judged relevant
    per_question: dict[str, tuple[int, int]] = field(default_factory=dict)  # (yes, unknown)


def precision(shown: list[Shown], question: str, judgments: Judgments) -> tuple[int, int]:
    """(relevant, unjudged) among the top TOP; slots left empty count as not relevant."""
    yes = unknown = 0
    for s in shown[:TOP]:
        verdict = judgments.relevant.get((question, s.film))
        yes += verdict is True
        unknown += verdict is None
    return yes, unknown


def score_system(
    questions: list[Question],
    answers: dict[str, list[Shown]],
    judgments: Judgments,
    mean_rating: dict[str, float],
    snippets: bool,
) -> SystemScores:
    out = SystemScores()
    per_kind: dict[Kind, list[tuple[int, int]]] = {k: [] for k in KINDS}
    panned = panned_total = 0
    explain_yes = explain_unknown = shown_total = 0
    rel_yes = rel_unknown = rel_total = 0
    counts = []
    for q in questions:
        shown = answers.get(q.id, [])[:TOP]
        counts.append(len(shown))
        yes, unknown = precision(shown, q.id, judgments)
        per_kind[q.kind].append((yes, unknown))
        out.per_question[q.id] = (yes, unknown)
        for s in shown:
            if not q.wants_bad:
                panned_total += 1
                rating = mean_rating.get(s.film)
                panned += rating is not None and rating <= PANNED_AT
            if not snippets:
                continue
            shown_total += 1
            relevant = judgments.relevant.get((q.id, s.film))
            explains = (
                judgments.explains.get((q.id, s.film, snippet_hash(s.snippet)))
                if s.snippet
                else False  # no words shown: nothing explains the fit
            )
            if relevant is None:
                explain_unknown += 1
            elif relevant:
                rel_total += 1
                rel_yes += explains is True
                rel_unknown += explains is None
                explain_yes += explains is True
                explain_unknown += explains is None
    for kind, rows in per_kind.items():
        out.questions[kind] = len(rows)
        if rows:
            n = TOP * len(rows)
            out.p5[kind] = span(sum(y for y, _ in rows), sum(u for _, u in rows), n)
    out.shown_per_question = statistics.mean(counts) if counts else 0.0
    out.panned = span(panned, 0, panned_total)  # every indexed review has a rating
    if snippets:
        out.explains = span(explain_yes, explain_unknown, shown_total)
        out.explains_relevant = span(rel_yes, rel_unknown, rel_total)
    return out


def ceiling(questions: list[Question], answers: Answers, judgments: Judgments) -> dict[Kind, float]:
    """P@5 of the best possible top 5 from the judged pool: questions with fewer than five
    relevant films known in the pool bound every system below 1."""
    out: dict[Kind, float] = {}
    for kind in KINDS:
        values = []
        for q in (q for q in questions if q.kind == kind):
            pool = {s.film for system in answers.values() for s in system.get(q.id, [])[:TOP]}
            good = sum(judgments.relevant.get((q.id, f)) is True for f in pool)
            values.append(min(TOP, good) / TOP)
        if values:
            out[kind] = statistics.mean(values)
    return out


def pool(answers: Answers, question: str) -> dict[str, str]:
    """The films any system showed for a question (film key -> label), without who showed it."""
    films: dict[str, str] = {}
    for system in answers.values():
        for s in system.get(question, [])[:TOP]:
            films.setdefault(s.film, s.label)
    return films


def unjudged(
    questions: list[Question], answers: Answers, judgments: Judgments, snippet_systems: set[str]
) -> list[Unjudged]:
    """Pairs still to judge: films of the pool, then snippets shown with relevant films."""
    out: list[Unjudged] = []
    for q in questions:
        for film, label in sorted(pool(answers, q.id).items()):
            if (q.id, film) not in judgments.relevant:
                out.append(Unjudged(q.id, film, label, "film"))
        for system in sorted(snippet_systems):
            for s in answers.get(system, {}).get(q.id, [])[:TOP]:
                if (
                    s.snippet
                    and judgments.relevant.get((q.id, s.film)) is True
                    and (q.id, s.film, snippet_hash(s.snippet)) not in judgments.explains
                ):
                    out.append(Unjudged(q.id, s.film, s.label, "snippet"))
    return out
