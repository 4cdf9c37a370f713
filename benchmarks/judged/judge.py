"""The judge's tool: blind pools with dossiers on the terminal, and recording verdicts.

    python -m benchmarks.judged.judge pool [--only m01,c02] [--max 5]
    python -m benchmarks.judged.judge snippets [--only ...] [--max 5]
    python -m benchmarks.judged.judge film tt0062622 [--only m02]   # more of its reviews
    python -m benchmarks.judged.judge record < verdicts.txt

`pool` prints, for each question with films not yet judged, the question (and the chat
before it), the need it is judged against, and its unjudged films shuffled (seeded by the
question id) under numbers that say nothing of which system showed them. Each film comes
with a dossier: its catalogue facts, its mean rating over the indexed reviews, and short
excerpts of its reviews (an opening, and the sentences sharing most words with the question).
Excerpts go to the terminal only, never into the repository.

`snippets` prints cinebot's first shown review line for films judged relevant, to judge
whether it explains the fit (benchmarks/judged/RULES.md).

`record` reads lines such as `m01 1y 2n 3y` (films by number) or `m01 s1y s2n` (snippets by
number), as last printed (data/judged/handles.json), and appends the verdicts to
benchmarks/judged/judgments.jsonl.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import statistics
import sys
import textwrap
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from benchmarks.imdb import find_corpus, read_records
from benchmarks.judged.corpus import WORKDIR, catalogue_file, sample
from benchmarks.judged.questions import Question, load_questions, turns
from benchmarks.judged.scoring import Answers, Shown, pool
from benchmarks.judged.store import (
    JUDGMENTS,
    append_judgments,
    load_judgments,
    snippet_hash,
)
from benchmarks.judged.systems import SNIPPET_SYSTEMS

ANSWERS = WORKDIR / "answers.json"
HANDLES = WORKDIR / "handles.json"
OPENINGS, OPENING_CHARS = 1, 150
MATCHED, MATCHED_CHARS = 3, 160
_WORD = re.compile(r"[a-z]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_STOP = set(
    "a an and are as at be but by for from i if in into is it its me movie movies film films "
    "my not of on or so some something that the their them they this to want was what where "
    "which who will with you your like good one ones just only really pls please any anything "
    "made make about say says said reviewer reviewers review reviews has have had more than very "
    "much also other both there been being can could would should".split()
)


def save_answers(answers: Answers, path: Path = ANSWERS) -> None:
    data = {
        system: {q: [vars(s) for s in shown] for q, shown in by_q.items()}
        for system, by_q in answers.items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def load_answers(path: Path = ANSWERS) -> Answers:
    if not path.is_file():
        raise SystemExit(f"{path} not found: run `python -m benchmarks.eval_judged` first")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        system: {q: [Shown(**s) for s in shown] for q, shown in by_q.items()}
        for system, by_q in data.items()
    }


def stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def chat_stems(q: Question, by_id: dict[str, Question]) -> set[str]:
    """The stems of a question's chat and the needs it is judged against."""
    return stems(" ".join(t.text + " " + t.need for t in turns(q, by_id)))


def clip(text: str, chars: int) -> str:
    text = " ".join(text.split()).replace("<br />", " ")
    return text if len(text) <= chars else text[: chars - 1].rsplit(" ", 1)[0] + "…"


class Dossiers:
    """Facts and review excerpts of the corpus's films, for the judge's eyes only."""

    def __init__(self) -> None:
        source = find_corpus()
        if source is None:
            raise SystemExit("the IMDb review corpus was not found")
        records = list(read_records(source))
        self.indexed = {r["review_id"] for r in sample(records)}
        self.reviews: dict[str, list[dict]] = defaultdict(list)
        for r in records:
            self.reviews[r["imdb_id"]].append(r)
        for rs in self.reviews.values():
            rs.sort(key=lambda r: hashlib.sha1(r["review_id"].encode()).hexdigest())
        with catalogue_file(source).open(encoding="utf-8") as handle:
            self.facts = {row["imdb_id"]: row for row in csv.DictReader(handle)}

    def mean_rating(self, film: str) -> tuple[float | None, int]:
        ratings = [
            r["rating"] for r in self.reviews.get(film, []) if r["review_id"] in self.indexed
        ]
        return (statistics.mean(ratings) if ratings else None), len(ratings)

    def text(
        self,
        film: str,
        label: str,
        question: set[str],
        openings: int = OPENINGS,
        matched: int = MATCHED,
    ) -> str:
        row = self.facts.get(film, {})
        mean, n = self.mean_rating(film)
        facts = [
            label,
            row.get("genres", "").replace("|", "/") or "genres ?",
            row.get("countries", "").replace("|", "/") or "country ?",
            f"dir. {row['director']}" if row.get("director") else "director ?",
            f"mean {mean:.1f}/10 of {n} indexed" if mean is not None else "no indexed rating",
        ]
        lines = [" · ".join(facts)]
        reviews = self.reviews.get(film, [])
        for r in reviews[:openings]:
            lines.append(f"    {r['rating']:>2}/10 {clip(r['text'], OPENING_CHARS)}")
        scored = []
        for r in reviews:
            for sentence in _SENTENCE.split(r["text"].replace("<br />", " ")):
                hits = len(stems(sentence) & question)
                if hits:
                    scored.append((-hits, len(scored), r["rating"], sentence))
        for _, _, rating, sentence in sorted(scored)[:matched]:
            lines.append(f"    +{rating:>2}/10 {clip(sentence, MATCHED_CHARS)}")
        return "\n".join(lines)


def remember(handles: dict[str, str], path: Path = HANDLES) -> None:
    """Add the numbers just printed to those printed before (a question's numbers stay the
    same until one of its films is judged)."""
    known = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    path.write_text(json.dumps(known | handles, indent=1), encoding="utf-8")


def blind_order(question: str, films: Iterable[str]) -> list[str]:
    """The judge's order: by the question's own seed, the same whichever systems showed what."""
    order = sorted(films)
    random.Random(question).shuffle(order)
    return order


def chat_text(q: Question, by_id: dict[str, Question]) -> str:
    return " -> ".join(f"“{t.text}”" for t in turns(q, by_id))


def selected(questions: list[Question], only: str | None) -> list[Question]:
    wanted = set(only.split(",")) if only else None
    return [q for q in questions if wanted is None or q.id in wanted]


def print_pools(only: str | None, most: int) -> None:
    questions = load_questions()
    by_id = {q.id: q for q in questions}
    answers, judgments = load_answers(), load_judgments()
    dossiers = Dossiers()
    done = 0
    for q in selected(questions, only):
        films = {
            f: label
            for f, label in sorted(pool(answers, q.id).items())
            if (q.id, f) not in judgments.relevant
        }
        if not films:
            continue
        order = blind_order(q.id, films)
        remember({f"{q.id}:{n}": film for n, film in enumerate(order, 1)})  # before printing
        print(f"\n=== {q.id} [{q.kind}] {chat_text(q, by_id)}")
        print(f"    need: {q.need}" + ("  (asks for bad films)" if q.wants_bad else ""))
        words = chat_stems(q, by_id)
        for n, film in enumerate(order, 1):
            print(f"[{n}] " + dossiers.text(film, films[film], words))
        done += 1
        if done >= most:
            break
    print(f"\n{done} question(s) printed")


def print_films(films: list[str], only: str | None) -> None:
    """More of a film's reviews, when a pool's excerpts do not decide."""
    questions = load_questions()
    by_id = {q.id: q for q in questions}
    dossiers = Dossiers()
    words = set()
    for q in selected(questions, only) if only else []:
        words |= chat_stems(q, by_id)
    for film in films:
        row = dossiers.facts.get(film, {})
        label = f"{row.get('title', film)} ({row.get('year', '?')})"
        print(dossiers.text(film, label, words, openings=4, matched=8))


def print_snippets(only: str | None, most: int) -> None:
    questions = load_questions()
    by_id = {q.id: q for q in questions}
    answers, judgments = load_answers(), load_judgments()
    dossiers = Dossiers()
    done = 0
    for q in selected(questions, only):
        todo = [
            s
            for system in sorted(SNIPPET_SYSTEMS)
            for s in answers.get(system, {}).get(q.id, [])
            if s.snippet
            and judgments.relevant.get((q.id, s.film)) is True
            and (q.id, s.film, snippet_hash(s.snippet)) not in judgments.explains
        ]
        if not todo:
            continue
        remember(
            {
                f"{q.id}:s{n}": json.dumps([s.film, snippet_hash(s.snippet or "")])
                for n, s in enumerate(todo, 1)
            }
        )  # before printing
        print(f"\n=== {q.id} [{q.kind}] {chat_text(q, by_id)}")
        print(f"    need: {q.need}")
        for n, s in enumerate(todo, 1):
            row = dossiers.facts.get(s.film, {})
            facts = " · ".join(
                v
                for v in (row.get("genres", ""), row.get("countries", ""), row.get("director", ""))
                if v
            )
            print(f"[s{n}] {s.label} · {facts}")
            print(
                textwrap.indent(textwrap.fill(" ".join((s.snippet or "").split()), 110), "      ")
            )
        done += 1
        if done >= most:
            break
    print(f"\n{done} question(s) printed")


_VERDICT = re.compile(r"^(s?\d+)([yn])$")


def record(
    lines: list[str],
    handles_path: Path = HANDLES,
    answers_path: Path = ANSWERS,
    out: Path = JUDGMENTS,
) -> int:
    """Append the verdicts of `lines` (numbers as last printed) to `out`; how many."""
    handles = json.loads(handles_path.read_text(encoding="utf-8"))
    answers = load_answers(answers_path)
    labels = {
        s.film: s.label for by_q in answers.values() for shown in by_q.values() for s in shown
    }
    records = []
    for line in lines:
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        question, verdicts = parts[0], parts[1:]
        for verdict in verdicts:
            m = _VERDICT.match(verdict)
            handle = f"{question}:{m[1]}" if m else None
            if m is None or handle not in handles:
                raise SystemExit(f"{line!r}: {verdict!r} is not a number printed for {question}")
            yes = m[2] == "y"
            if m[1].startswith("s"):
                film, digest = json.loads(handles[handle])
                records.append(
                    {"question": question, "film": film, "snippet": digest, "explains": yes}
                )
            else:
                film = handles[handle]
                records.append(
                    {
                        "question": question,
                        "film": film,
                        "title": labels.get(film, ""),
                        "relevant": yes,
                    }
                )
    append_judgments(records, out)
    return len(records)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("pool", "snippets", "film", "record"))
    parser.add_argument("films", nargs="*", help="film keys (IMDb ids), for `film`")
    parser.add_argument("--only", help="question ids, comma-separated")
    parser.add_argument("--max", type=int, default=5, help="questions to print")
    args = parser.parse_args()
    if args.command == "pool":
        print_pools(args.only, args.max)
    elif args.command == "film":
        print_films(args.films, args.only)
    elif args.command == "snippets":
        print_snippets(args.only, args.max)
    else:
        print(f"{record(sys.stdin.read().splitlines())} verdicts added to {JUDGMENTS}")


if __name__ == "__main__":
    main()
