"""Other people's questions: the tuning set (ours, every kind of question, several phrasings
each) must be read fully right; the two held-out sets, written apart and never tuned on,
must score 95% or more. The people and titles known are the sample catalogue's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from index.answering.question import QueryParser
from index.engine import SAMPLE_CATALOGUE
from index.knowledge.people import People
from index.knowledge.titles import Titles
from index.reading.catalogue_files import CatalogueReport, read_catalogue_file
from index.types import Film, ParsedQuery, QueryFilters
from tests.index.answering.reading import reading
from tests.index.answering.tuning_questions import CASES, Case

HERE = Path(__file__).parent
TODAY = dt.date(2026, 11, 25)


def sample_parser() -> QueryParser:
    films = list(read_catalogue_file(SAMPLE_CATALOGUE, CatalogueReport()))
    people = People(
        directors=[d for f in films for d in f.directors], cast=[c for f in films for c in f.cast]
    )
    titles = Titles([Film(f.key, f.title, f.year, (), (), None, (), (), 1) for f in films])
    return QueryParser(people, titles, today=TODAY)


PARSER = sample_parser()


def fully_right(parsed: ParsedQuery, case: Case) -> bool:
    return (
        parsed.filters == QueryFilters(**case.filters)
        and parsed.limit == case.limit
        and (parsed.like or None) == case.like
        and (parsed.title or None) == case.title
    )


def heldout(name: str) -> list[Case]:
    rows = [
        json.loads(line)
        for line in (HERE / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [
        Case(
            r["q"],
            r.get("filters") or {},
            r.get("limit"),
            r.get("like"),
            r.get("title"),
            r.get("kind", ""),
        )
        for r in rows
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.q for c in CASES])
def test_tuning_question_is_read_fully_right(case):
    parsed = PARSER.parse(case.q)
    got = reading(parsed)
    assert (got, parsed.limit, parsed.like, parsed.title) == (
        case.filters,
        case.limit,
        case.like,
        case.title,
    )


def test_the_tuning_set_covers_every_kind_in_200_questions_or_more():
    kinds = {c.kind for c in CASES}
    assert len(CASES) >= 200
    assert {
        "people",
        "unknown people",
        "reference",
        "title",
        "runtime",
        "years",
        "comparison",
        "genre words",
        "conversation",
        "or and both",
        "counts",
        "plain",
    } <= kinds


@pytest.mark.parametrize("name", ["heldout_a.jsonl", "heldout_b.jsonl"])
def test_held_out_questions_score_95_percent_fully_right(name):
    cases = heldout(name)
    right = sum(fully_right(PARSER.parse(c.q), c) for c in cases)
    assert len(cases) >= 100 and right / len(cases) >= 0.95, f"{right}/{len(cases)}"
