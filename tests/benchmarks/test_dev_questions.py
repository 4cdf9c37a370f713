"""Other people's questions (../shared/data/questions, read in place): scored by their own
judge on the sample index, split by whole sources into the part we tune on and the part we
keep apart. Skipped where the set is not beside the repository."""

from __future__ import annotations

import pytest

from benchmarks import dev_questions

FOLDER = dev_questions.find_questions()
pytestmark = pytest.mark.skipif(FOLDER is None, reason="../shared/data/questions not found")


def test_the_split_is_by_whole_sources_and_fixed():
    rows = dev_questions.read_rows(FOLDER)
    parts: dict[str, set[str]] = {"tuning": set(), "held-out": set()}
    for row in rows:
        parts[row.part].add(dev_questions.source_of(row.data))
    assert not parts["tuning"] & parts["held-out"]
    assert sum(r.part == "held-out" for r in rows) == 75 and len(rows) == 235


def test_the_tuning_part_is_read_right_by_the_sets_own_judge(sample_engine):
    judge = dev_questions.load_judge(FOLDER)
    rows = dev_questions.read_rows(FOLDER)
    scored = dev_questions.score(rows, dev_questions.answers(sample_engine), judge)
    print("\n".join(dev_questions.table(scored)))
    assert scored.parts["tuning"].share >= 0.95


# Each round's file, its number of questions and of those held back.
ROUNDS = [
    (dev_questions.ROUND3, 155, 65),
    (dev_questions.ROUND4, 117, 41),
    (dev_questions.ROUND5, 131, 42),
    (dev_questions.ROUND6, 116, 32),
    (dev_questions.ROUND7, 142, 58),
    (dev_questions.ROUND8, 146, 58),
]


@pytest.mark.parametrize(("path", "total", "held_back"), ROUNDS)
def test_each_round_is_split_by_whole_sources(path, total, held_back):
    rows = dev_questions.read_round(path)
    parts: dict[str, set[str]] = {"tuning": set(), "held-back": set()}
    for row in rows:
        parts[row.data["part"]].add(row.data["source"].split(" (", 1)[0])
    assert not parts["tuning"] & parts["held-back"]
    assert len(rows) == total and sum(r.data["part"] == "held-back" for r in rows) == held_back
    assert all(row.kept_apart == (row.data["part"] == "held-back") for row in rows)


@pytest.mark.parametrize("path", [path for path, _, _ in ROUNDS])
def test_each_rounds_tuning_part_is_read_right_by_the_judge(sample_engine, path):
    judge = dev_questions.load_judge(FOLDER)
    rows = [row for row in dev_questions.read_round(path) if not row.kept_apart]
    scored = dev_questions.score(rows, dev_questions.answers(sample_engine), judge)
    assert scored.parts[f"{dev_questions.ROUNDS[path.name]} tuning"].share >= 0.95


def test_tidying_changes_case_and_punctuation_only():
    tidy = dev_questions.tidy
    assert tidy("i dont like keanu movies tho") == "I don't like Keanu movies tho."
    assert (
        tidy("liked shutter island. any similar ones?") == "Liked Shutter Island. Any similar ones?"
    )
    assert tidy("recommend a scary movie about aliens") == "Recommend a scary movie about aliens."


def test_messing_up_a_clean_question_keeps_its_words():
    row = dev_questions.read_round(dev_questions.ROUND3)[0]
    lower = dev_questions.messied(row, "in lower case without punctuation")
    assert lower.question == lower.question.lower() and not set(lower.question) & set(".,!?;:")
    assert lower.part == "round3 in lower case without punctuation" and not lower.kept_apart
    assert dev_questions.messied(row, "in capitals").question == row.question.upper()
