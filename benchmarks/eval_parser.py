"""How well the question parser reads other people's questions: the development set of
questions by other people and projects (../shared/data/questions, scored by its own judge,
split by whole sources into the part we tune on and the part we never look into: see
benchmarks/dev_questions.py), then this project's own sets (tests/index/answering/). Fully
right means every filter, the count, the film named and the film wanted more like.

    make eval   (appends its section to benchmarks/EVAL.md)
"""

from __future__ import annotations

from collections import Counter

from benchmarks import dev_questions
from tests.index.answering.test_question_understanding import PARSER, fully_right, heldout
from tests.index.answering.tuning_questions import CASES

# Measured once each, before the parser was tuned on anything but our own set.
BEFORE_TUNING = {"held-out A": (121, 128), "held-out B": (120, 127)}


def dev_section(engine: object | None = None) -> list[str]:
    """The development set by other people, both parts; nothing when it is not beside us."""
    folder = dev_questions.find_questions()
    if folder is None:
        return ["", "(The development set ../shared/data/questions was not found.)"]
    judge = dev_questions.load_judge(folder)
    rows = dev_questions.read_rows(folder)
    if engine is None:
        with dev_questions.sample_engine() as sample:
            scored = dev_questions.score(rows, dev_questions.answers(sample), judge)
    else:
        scored = dev_questions.score(rows, dev_questions.answers(engine), judge)
    return [
        "",
        "### Questions by other people (../shared/data/questions)",
        "",
        "Scored by the set's own judge on the sample index. Held out, never tuned on: every "
        "INSPIRED question, the WikiMovies test questions and the voice-to-search test queries "
        "(whole sources, chosen before any of their misses was read); tuned on: the rest.",
        "",
        *dev_questions.table(scored),
    ]


def section() -> str:
    sets = {
        "tuning set (ours)": CASES,
        "held-out A": heldout("heldout_a.jsonl"),
        "held-out B": heldout("heldout_b.jsonl"),
    }
    lines = [
        "",
        "## Other people's questions",
        *dev_section(),
        "",
        "### This project's own question sets",
        "",
        "Share of questions read fully right: every filter, the number of films, the film "
        "named and the film wanted more like. The held-out sets were written apart, by a helper "
        "that never saw the parser, from a description of the rules, before tuning. Both were "
        "scored once before any tuning on them; then A's failures were studied and fixed, "
        "and B was never looked at: B is the fair measure.",
        "",
        "| set | questions | fully right | before tuning on A | misses by kind |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, cases in sets.items():
        right = 0
        misses: Counter[str] = Counter()
        for case in cases:
            ok = fully_right(PARSER.parse(case.q), case)
            right += ok
            if not ok:
                misses[case.kind] += 1
        before = BEFORE_TUNING.get(name)
        then = f"{before[0] / before[1]:.3f}" if before else "-"
        kinds = ", ".join(f"{k} {n}" for k, n in misses.most_common()) or "-"
        lines.append(f"| {name} | {len(cases)} | {right / len(cases):.3f} | {then} | {kinds} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(section())
