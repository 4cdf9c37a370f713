"""The judged evaluation's scoring, records and report on a tiny fake set (no index, no model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import eval_judged
from benchmarks.judged import judge
from benchmarks.judged.questions import Question, load_questions, turns
from benchmarks.judged.scoring import Shown, ceiling, pool, score_system, unjudged
from benchmarks.judged.store import (
    Judgments,
    append_judgments,
    load_judgments,
    snippet_hash,
)

MOOD = Question("m1", "mood", "films that feel like a warm bath", "a gentle comforting film")
BAD = Question("m2", "mood", "the very worst films", "films called awful", wants_bad=True)
FACT = Question("c1", "constraints", "Ruritanian westerns", "western; country Ruritania")
MORE = Question("f1", "follow-up", "only old ones", "an old Ruritanian western", after="c1")
QUESTIONS = [MOOD, BAD, FACT, MORE]
RATINGS = {"tt1": 9.0, "tt2": 2.0, "tt3": 8.0, "tt4": 7.5, "tt5": 3.0}


def shown(*films: str, snippet: str | None = None) -> list[Shown]:
    return [Shown(f, f"Film {f}", snippet and f"{snippet} {f}") for f in films]


def answers() -> dict[str, dict[str, list[Shown]]]:
    return {
        "cinebot": {
            "m1": shown("tt1", "tt2", snippet="so soothing"),
            "m2": shown("tt2", "tt5", snippet="dreadful"),
            "c1": shown("tt3", "tt4", "tt1", snippet="dusty saddles"),
            "f1": shown("tt3", snippet="dusty saddles"),
        },
        "BM25 only": {"m1": shown("tt4", "tt1"), "c1": shown("tt3"), "f1": []},
    }


def judged() -> Judgments:
    j = Judgments()
    j.relevant |= {
        ("m1", "tt1"): True,
        ("m1", "tt2"): False,
        ("m2", "tt2"): True,
        ("m2", "tt5"): True,
        ("c1", "tt3"): True,
        ("c1", "tt4"): False,  # ("c1", "tt1") not judged
        ("f1", "tt3"): True,
    }
    a = answers()["cinebot"]
    j.explains |= {
        ("m1", "tt1", snippet_hash(a["m1"][0].snippet or "")): True,
        ("c1", "tt3", snippet_hash(a["c1"][0].snippet or "")): False,
    }
    return j


def test_p5_counts_empty_slots_as_misses_and_unjudged_films_as_a_range() -> None:
    s = score_system(QUESTIONS, answers()["cinebot"], judged(), RATINGS, snippets=True)
    assert s.p5["mood"].low == pytest.approx(3 / 10)  # m1: 1 of 5, m2: 2 of 5
    assert s.p5["mood"].exact
    assert (s.p5["constraints"].low, s.p5["constraints"].high) == (1 / 5, 2 / 5)
    assert not s.p5["constraints"].exact and s.p5["constraints"].judged == 4
    assert s.p5["follow-up"].text() == "0.20"
    assert s.per_question["c1"] == (1, 1)


def test_panned_share_leaves_out_questions_asking_for_bad_films() -> None:
    s = score_system(QUESTIONS, answers()["cinebot"], judged(), RATINGS, snippets=True)
    # Shown outside m2: tt1 tt2 | tt3 tt4 tt1 | tt3 -> one panned (tt2) of six.
    assert (s.panned.low, s.panned.total) == (pytest.approx(1 / 6), 6)
    assert s.panned_by_kind["mood"].text() == "0.50"  # m1: tt1 fine, tt2 panned
    assert s.panned_by_kind["constraints"].text() == "0.00"
    assert "mood" in s.panned_by_kind and s.panned_by_kind["mood"].total == 2


def test_snippet_share_counts_irrelevant_films_as_unexplained_and_unjudged_as_open() -> None:
    s = score_system(QUESTIONS, answers()["cinebot"], judged(), RATINGS, snippets=True)
    assert s.explains is not None and s.explains_relevant is not None
    # 8 shown: m1 tt1 yes, tt2 irrelevant; m2 tt2, tt5 relevant but snippets unjudged;
    # c1 tt3 no, tt4 irrelevant, tt1 film unjudged; f1 tt3 snippet unjudged.
    assert (s.explains.low, s.explains.high, s.explains.total) == (1 / 8, 5 / 8, 8)
    assert s.explains_relevant.total == 5
    assert s.explains_by_kind["mood"].text() == "0.25-0.75 (2 unjudged)"


def test_a_new_snippet_for_a_judged_film_is_judged_again() -> None:
    a = answers()
    a["cinebot"]["m1"] = shown("tt1", snippet="another passage")
    todo = unjudged([MOOD], a, judged(), {"cinebot"})
    assert [(u.film, u.what) for u in todo] == [("tt4", "film"), ("tt1", "snippet")]


def test_unjudged_lists_each_pooled_film_once_without_its_system() -> None:
    todo = unjudged(QUESTIONS, answers(), judged(), set())
    assert [(u.question, u.film) for u in todo] == [("m1", "tt4"), ("c1", "tt1")]
    assert set(pool(answers(), "m1")) == {"tt1", "tt2", "tt4"}


def test_ceiling_is_what_the_judged_pool_allows() -> None:
    best = ceiling(QUESTIONS, answers(), judged())
    assert best["mood"] == pytest.approx((1 / 5 + 2 / 5) / 2)


def test_judgments_round_trip_and_a_later_verdict_wins(tmp_path: Path) -> None:
    path = tmp_path / "judgments.jsonl"
    append_judgments([{"question": "m1", "film": "tt1", "title": "A", "relevant": True}], path)
    append_judgments(
        [
            {"question": "m1", "film": "tt1", "title": "A", "relevant": False},
            {"question": "m1", "film": "tt1", "snippet": "abc", "explains": True},
        ],
        path,
    )
    j = load_judgments(path)
    assert j.relevant == {("m1", "tt1"): False}
    assert j.explains == {("m1", "tt1", "abc"): True}


def test_record_maps_the_printed_numbers_to_films_and_snippets(tmp_path: Path) -> None:
    judge.save_answers(answers(), tmp_path / "answers.json")
    order = judge.blind_order("m1", pool(answers(), "m1"))
    handles = {f"m1:{n}": film for n, film in enumerate(order, 1)}
    handles["m1:s1"] = json.dumps(["tt1", "abc"])
    (tmp_path / "handles.json").write_text(json.dumps(handles))
    out = tmp_path / "judgments.jsonl"
    lines = ["m1 1y 2n  # a comment", "m1 s1n"]
    assert judge.record(lines, tmp_path / "handles.json", tmp_path / "answers.json", out) == 3
    j = load_judgments(out)
    assert j.relevant == {("m1", order[0]): True, ("m1", order[1]): False}
    assert j.explains == {("m1", "tt1", "abc"): False}
    with pytest.raises(SystemExit, match="not a number printed"):
        judge.record(["m1 9y"], tmp_path / "handles.json", tmp_path / "answers.json", out)


def test_the_blind_order_depends_on_the_question_only() -> None:
    films = ["tt5", "tt1", "tt3", "tt2"]
    assert judge.blind_order("m1", films) == judge.blind_order("m1", reversed(films))
    assert sorted(judge.blind_order("m1", films)) == sorted(films)


def test_report_gives_targets_coverage_and_each_question() -> None:
    text = eval_judged.report(
        QUESTIONS, answers(), judged(), RATINGS, {"cinebot": 0.1}, "a fake corpus"
    )
    assert "| **cinebot** | 0.30 | 0.20-0.40 (1 unjudged) | 0.20 |" in text
    assert "mood P@5 ≥ 0.65 and above both baselines" in text and "**not met**" in text
    assert "- c1 · Film tt1 (tt1) · film" in text
    assert "| f1 | follow-up | only old ones | 1 | 0 |" in text


def test_the_question_set_is_half_mood_half_constraints_with_chats() -> None:
    questions = load_questions()
    by_id = {q.id: q for q in questions}
    kinds = [q.kind for q in questions]
    assert kinds.count("mood") >= 40 and kinds.count("constraints") >= 40
    assert abs(kinds.count("mood") - kinds.count("constraints")) <= 2
    chats = [turns(q, by_id) for q in questions if q.kind == "follow-up"]
    assert len(chats) >= 8 and all(c[0].kind != "follow-up" for c in chats)


def test_a_follow_up_must_come_after_its_question(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    rows = [
        {"id": "f1", "kind": "follow-up", "text": "only old", "need": "x", "after": "c1"},
        {"id": "c1", "kind": "constraints", "text": "westerns", "need": "x"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    with pytest.raises(ValueError, match="not an earlier question"):
        load_questions(path)
