"""The judged set's questions: single questions and chats (a question, then refinements)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

HERE = Path(__file__).parent
QUESTIONS = HERE / "questions.jsonl"
Kind = Literal["mood", "constraints", "follow-up"]
KINDS: tuple[Kind, ...] = ("mood", "constraints", "follow-up")


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    text: str
    need: str  # what the asker wants, written with the question: the judge holds films to it
    after: str | None = None  # a follow-up refines this question's answer
    wants_bad: bool = False  # asks for bad films: a panned film is no fault here


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    out: list[Question] = []
    seen: dict[str, Question] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        q = Question(**json.loads(line))
        if q.kind not in KINDS:
            raise ValueError(f"{path}:{number}: kind {q.kind!r} is not one of {KINDS}")
        if q.id in seen:
            raise ValueError(f"{path}:{number}: question id {q.id!r} repeated")
        if (q.kind == "follow-up") != (q.after is not None):
            raise ValueError(f"{path}:{number}: a follow-up, and only a follow-up, has 'after'")
        if q.after is not None and q.after not in seen:
            raise ValueError(f"{path}:{number}: 'after' names {q.after!r}, not an earlier question")
        seen[q.id] = q
        out.append(q)
    return out


def turns(q: Question, by_id: dict[str, Question]) -> list[Question]:
    """The chat that ends with `q`, first message first (one message for a single question)."""
    chain = [q]
    while chain[0].after is not None:
        chain.insert(0, by_id[chain[0].after])
    return chain
