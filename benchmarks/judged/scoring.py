"""Scores from the systems' answers and the judge's records: pure functions, no index.

A pair nobody has judged yet counts neither way: every figure is given as the range it
spans from "all unjudged are wrong" to "all unjudged are right", with the share judged, and
the pairs are listed. With every pair judged the range is one number.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
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
class Tally:
    """Counts over shown films: a share is `yes` of `total`, `unknown` of them unjudged."""

    yes: int = 0
    unknown: int = 0
    total: int = 0

    def add(self, verdict: bool | None) -> None:
        self.total += 1
        self.yes += verdict is True
        self.unknown += verdict is None

    def span(self) -> Span:
        return span(self.yes, self.unknown, self.total)


@dataclass
class SystemScores:
    p5: dict[Kind, Span] = field(default_factory=dict)
    questions: dict[Kind, int] = field(default_factory=dict)
    shown_per_question: float = 0.0
    panned: Span = field(default_factory=lambda: span(0, 0, 0))
    panned_by_kind: dict[Kind, Span] = field(default_factory=dict)
    explains: Span | None = None  # snippet explains the fit, share of shown films
    explains_relevant: Span | None = None  # the same among films judged relevant
    explains_by_kind: dict[Kind, Span] = field(default_factory=dict)
    per_question: dict[str, tuple[int, int]] = field(default_factory=dict)  # (yes, unknown)


def precision(shown: list[Shown], question: str, judgments: Judgments) -> tuple[int, int]:
    """(relevant, unjudged) among the top TOP; slots left empty count as not relevant."""
    yes = unknown = 0
    for s in shown[:TOP]:
        verdict = judgments.relevant.get((question, s.film))
        yes += verdict is True
        unknown += verdict is None
    return yes, unknown


def explained(q: Question, s: Shown, judgments: Judgments) -> tuple[bool | None, bool | None]:
    """(relevant, explained) for a shown film: a film not relevant, or shown without words,
    explains nothing; None where the judge has not said."""
    relevant = judgments.relevant.get((q.id, s.film))
    if relevant is not True:
        return relevant, relevant and None
    if not s.snippet:
        return True, False
    return True, judgments.explains.get((q.id, s.film, snippet_hash(s.snippet)))


def score_system(
    questions: list[Question],
    answers: dict[str, list[Shown]],
    judgments: Judgments,
    mean_rating: dict[str, float],
    snippets: bool,
) -> SystemScores:
    out = SystemScores()
    per_kind: dict[Kind, list[tuple[int, int]]] = {k: [] for k in KINDS}
    panned = {k: Tally() for k in KINDS}
    explains = {k: Tally() for k in KINDS}
    among_relevant = Tally()
    counts = []
    for q in questions:
        shown = answers.get(q.id, [])[:TOP]
        counts.append(len(shown))
        yes, unknown = precision(shown, q.id, judgments)
        per_kind[q.kind].append((yes, unknown))
        out.per_question[q.id] = (yes, unknown)
        for s in shown:
            if not q.wants_bad:  # every indexed review has a rating: nothing unjudged here
                rating = mean_rating.get(s.film)
                panned[q.kind].add(rating is not None and rating <= PANNED_AT)
            if snippets:
                relevant, explain = explained(q, s, judgments)
                explains[q.kind].add(explain)
                if relevant:
                    among_relevant.add(explain)
    for kind, rows in per_kind.items():
        out.questions[kind] = len(rows)
        if rows:
            n = TOP * len(rows)
            out.p5[kind] = span(sum(y for y, _ in rows), sum(u for _, u in rows), n)
    out.shown_per_question = statistics.mean(counts) if counts else 0.0
    out.panned = total(panned.values()).span()
    out.panned_by_kind = {k: t.span() for k, t in panned.items() if t.total}
    if snippets:
        out.explains = total(explains.values()).span()
        out.explains_relevant = among_relevant.span()
        out.explains_by_kind = {k: t.span() for k, t in explains.items() if t.total}
    return out


def total(tallies: Iterable[Tally]) -> Tally:
    out = Tally()
    for t in tallies:
        out.yes, out.unknown, out.total = (
            out.yes + t.yes,
            out.unknown + t.unknown,
            out.total + t.total,
        )
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
