"""Other people's questions (../shared/data/questions: 235 from public sources, each with the
reading a person expects and a judge), split by whole sources into a part we tune on and a
part we never look into.

The split was fixed before any miss of the held-out part was read, and is a rule over the
`source` field, not a list of questions:

- held out: every question from the INSPIRED data set (its test dialogues, its training
  dialogues and its annotated sample), the WikiMovies test questions and the voice-to-search
  test queries (75 questions);
- tuning: everything else (ReDial test and training dialogues, ReDial's IARD annotations, the
  IAI MovieBot users, the self-query and search demos: 160 questions).

A third set, round three (`benchmarks/questions_round3.jsonl`: 155 questions from yet other
sources, rewritten in our own words, annotated by hand before the parser read them, in the same format), is split the same
way, by whole sources fixed before any run: its tuning part (the schema-guided dialogue corpus's
training dialogues, two Rasa movie bots' training examples, a hackathon's parser tests, MIT-Movie
examples) and its held-back part (SLURP and HWU64 voice-assistant requests, example queries in
other projects' code), scored only to report.

Round four (`benchmarks/questions_round4.jsonl`: 117 more, written and split the same way before
the parser read them): tuned on SNIPS's screening requests, a recommender simulator's user turns
(its patterns, names filled in by us) and blog posts where people say what they want to watch;
held back: SNIPS's creative-work look-ups, CCPE-M preference turns and foreign-film posts.

Round five (`benchmarks/questions_round5.jsonl`: 131, written and split the same way before the
parser read them) keeps how real people type: lower case, no or run-on punctuation, typos in
names, titles and genre words ("sci fu", "quintin tarantino"), "u"/"pls"/"tho", emoticons. Tuned
on what anyone typed to the movie bots of the CRS Arena (its open setting); held back: what its
recruited crowd workers typed (its closed setting) and forum threads asking for films.
Round six (`benchmarks/questions_round6.jsonl`: 116, written and split the same way before the
parser read them) brings long lists of liked films named without years ("I loved Heat, Speed,
Die Hard, ... I'm looking for a Wolfgang Petersen movie"; titles holding commas, numbers,
countries and genre words), a person named only as a kind of film ("a Harrison Ford movie",
"I prefer Robert De Niro movies"), writers and subjects that are nobody's filter ("a Jules
Verne movie", "a richard nixon movie"), and films only asked about ("who was in Midnight in
Paris?"). Tuned on the Movie Dialog Dataset's recommendation dialogues and another bot's cinema
intents and sample queries; held back: r/MovieSuggestions requests quoted in a public notebook
and a Rasa movie bot's training examples.
Round seven (`benchmarks/questions_round7.jsonl`: 142, written and split the same way before the
parser read them) is about kinds of film and people as people name them in their own words:
adjectives and idioms ("something funny", "on the edge of my seat", "a good cry"), sorts that are
no genre of ours ("superhero", "zombie", "space", "chick flick", "based on a true story"),
misspelt and odd plurals ("documentarys", "sci-fi's", "animes"), kinds joined or contrasted ("my
wife hates horror but loves thrillers"), kinds inside sentences about someone's life ("the whole
family loves animated films"), and people named in passing ("I love Denzel", "a Spielberg
movie", "big fan of wes anderson", "Kubrick's war films"). Tuned on an Alexa skill's sample
utterances (its patterns, kinds and names filled by us), a chatbot's evaluation questions, a
knowledge-graph assistant's few-shot taste statements and three blog posts (84); held back: an
entertainment bot's sample questions by genre and mood, a Rasa movie bot's inform examples, an
LLM movie app's "fun prompts" and a mood quiz's answers (58).
Round eight (`benchmarks/questions_round8.jsonl`: 146, written and split the same way before the
parser read them) is a seeker's turn in a conversation, as recommendation dialogues have it:
several sentences of greeting, chit-chat and self-description around the wish ("Hello, how are
you today? I'm doing fine. I'm looking for a documentary"), answers to the recommender's
question ("Yeah, I'm thinking something funny"), a recommendation turned down with a reason
("Not that one, it looks too childish. I'm more into dark comedies"), habits against tonight's
wish, films seen lately and people named in passing or disliked ("Nothing with Adam Sandler
please"). Tuned on seeker turns in the shapes of PEARL's persona-grounded dialogues and
Taskmaster-2's spoken movie dialogues (88); held back: DuRecDial's multi-type dialogues and a
user study's real dialogues with a recommender (58).
`--tidied` reads the tuning parts again with every question given capitals and a full stop by
`tidy` (a sentence's first letter, names and titles, "i"), to measure how much of a miss is the
messiness itself; `--messy` the other way round: rounds three and four's tuning parts (written
clean) typed in lower case without punctuation, and in capitals.

Every question is scored by the set's own judge (its `verdict`), on the answer `cinebot search
--json` would give, but in one process (the judge itself starts one process a question).

    python -m benchmarks.dev_questions                 # every part, misses by kind
    python -m benchmarks.dev_questions --tuning-only   # the parts we tune on, nothing else read
    python -m benchmarks.dev_questions --tuning-only --misses   # and every miss of them
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parents[1]
QUESTIONS_ENV = "CINEBOT_DEV_QUESTIONS"
FILES = ("dev.jsonl", "dev_more.jsonl")
ROUND3 = REPO / "benchmarks/questions_round3.jsonl"
ROUND4 = REPO / "benchmarks/questions_round4.jsonl"
ROUND5 = REPO / "benchmarks/questions_round5.jsonl"
ROUND6 = REPO / "benchmarks/questions_round6.jsonl"
ROUND7 = REPO / "benchmarks/questions_round7.jsonl"
ROUND8 = REPO / "benchmarks/questions_round8.jsonl"
# Our own rounds of rewritten questions: file -> the name its parts are reported under.
ROUNDS = {
    ROUND3.name: "round3",
    ROUND4.name: "round4",
    ROUND5.name: "round5",
    ROUND6.name: "round6",
    ROUND7.name: "round7",
    ROUND8.name: "round8",
}
# Whole sources kept apart: a data set's every file, or a project's whole test set.
HELD_OUT = re.compile(
    r"(?:^|[:/])inspired/|^haitian-sun/GraftNet:|^ShraddhaGupte97/voice-to-search:"
)

ROUNDS_FILES = (ROUND3, ROUND4, ROUND5, ROUND6, ROUND7, ROUND8)

Answer = Callable[[str], dict[str, Any]]  # question -> `cinebot search --json`


def find_questions() -> Path | None:
    """$CINEBOT_DEV_QUESTIONS, else ../shared/data/questions beside the repository."""
    candidates = [os.environ.get(QUESTIONS_ENV, "")]
    candidates += [str(base / "shared/data/questions") for base in (REPO.parent, Path.cwd().parent)]
    return next(
        (Path(c) for c in candidates if c and (Path(c) / "judge.py").is_file()),
        None,
    )


def source_of(row: dict[str, Any]) -> str:
    """A question's source: the file or page it comes from, without where in it."""
    return row["source"].split(" (", 1)[0].strip()


def held_out(row: dict[str, Any]) -> bool:
    return HELD_OUT.search(source_of(row)) is not None


@dataclass(frozen=True)
class Row:
    file: str
    question: str
    data: dict[str, Any]

    @property
    def part(self) -> str:
        if self.file in ROUNDS:
            return f"{ROUNDS[self.file]} {self.data['part']}"
        return "held-out" if held_out(self.data) else "tuning"

    @property
    def kept_apart(self) -> bool:
        return self.part == "held-out" or self.part.endswith(" held-back")


def read_rows(folder: Path) -> list[Row]:
    """Every question of both files, as the judge reads them (synthetic ones left out)."""
    rows = []
    for name in FILES:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not (data := json.loads(line)).get("synthetic_question"):
                rows.append(Row(name, data.get("question_normalized") or data["question"], data))
    return rows


def read_round(path: Path) -> list[Row]:
    """A round's questions (`ROUNDS`); each row says its part ("tuning" or "held-back")."""
    return [
        Row(path.name, data["question"], data)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and (data := json.loads(line))
    ]


# How a careful writer would case the names, titles and places round five's tuning questions
# type in lower case (for this measurement only; the parser never sees this list).
_CASED = (
    "Tom Hanks|Tom Hank|Keanu Reeves|Keanu|Leslie Nielsen|Quintin Tarantino|Jim Jarmusch|"
    "Johnny Depp|Jeff Goldblum|Robin Williams|Sandra Bullock|Fight Club|Shutter Island|Alien|"
    "Prestige|The Matrix|Matrix|Persona|Cabin in the Woods|Brazil|Star Wars|Disney|Studio Ghibli|"
    "Airplane|Naked Gun|the Scary Movie series|Norwegian|Japanese|British|Earth|New Hollywood|"
    "World War 2|NOPE"
).split("|")
_CASED_RE = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in _CASED) + r")\b", re.I)
# Apostrophes a careful writer would type ("dont" -> "don't"), and "i" -> "I".
_APOSTROPHES = {
    "im": "I'm",
    "id": "I'd",
    "dont": "don't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "thats": "that's",
    "its": "it's",
    "i": "I",
    "i'm": "I'm",
    "i'd": "I'd",
}


def tidy(question: str) -> str:
    """A question with the case and punctuation a careful writer gives it (its words and
    spelling unchanged): names, titles and places capitalised, "I", apostrophes, a capital
    after each sentence's end and a full stop at the end."""
    lower = {c.lower(): c for c in _CASED}
    text = _CASED_RE.sub(lambda m: lower[m.group().lower()], question.strip())
    text = re.sub(r"\b[a-z']+\b", lambda m: _APOSTROPHES.get(m.group(), m.group()), text)
    text = re.sub(r"(^|[.?!]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text if text[-1:] in ".?!" else text + "."


def tidied(row: Row) -> Row:
    """Round five's row with its question tidied, reported as the part "round5 tidied"."""
    return Row(row.file, tidy(row.question), {**row.data, "part": "tidied"})


# The other way round: clean questions typed as people type them.
MESSES: dict[str, Callable[[str], str]] = {
    "in lower case without punctuation": lambda q: re.sub(r"[.,!?;:]", "", q.lower()),
    "in capitals": str.upper,
}


def messied(row: Row, how: str) -> Row:
    """A row of rounds three and four with its question typed `how` (a key of MESSES)."""
    return Row(row.file, MESSES[how](row.question), {**row.data, "part": how})


def load_judge(folder: Path) -> SimpleNamespace:
    """The set's judge.py as a module (it reads its set from sys.argv when imported)."""
    path = folder / "judge.py"
    namespace: dict[str, Any] = {"__name__": "judge", "__file__": str(path)}
    argv = sys.argv
    sys.argv = [str(path), str(folder / FILES[0])]
    try:
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    finally:
        sys.argv = argv
    return SimpleNamespace(**namespace)


@dataclass
class Score:
    right: int = 0
    total: int = 0
    misses: Counter[str] = field(default_factory=Counter)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0

    def cell(self) -> str:
        return f"{self.right}/{self.total} ({self.share:.1%})"


@dataclass
class Scored:
    parts: dict[str, Score]  # "tuning", "held-out", "dev.jsonl", "dev_more.jsonl"
    missed: list[tuple[Row, list[tuple[str, str]], dict[str, Any]]]  # tuning misses only


def score(rows: list[Row], answer: Answer, judge: SimpleNamespace) -> Scored:
    parts: dict[str, Score] = {}
    missed = []
    for row in rows:
        got = answer(row.question)
        _, why = judge.verdict(row.data, got)
        names = (row.part,) if row.file in ROUNDS else (row.part, row.file)
        for name in names:
            part = parts.setdefault(name, Score())
            part.total += 1
            part.right += not why
            part.misses.update({kind for kind, _ in why})
        if why and not row.kept_apart:
            missed.append((row, why, got))
    return Scored(parts, missed)


@contextlib.contextmanager
def sample_engine() -> Iterator[Any]:
    """The sample index, as `make run` builds it, in a folder of its own."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from config import Settings
    from index.engine import SAMPLE_CATALOGUE, SAMPLE_CORPUS, Engine

    with tempfile.TemporaryDirectory(prefix="cinebot-dev-questions-") as folder:
        engine = Engine(Settings(index_dir=Path(folder) / "index"))  # type: ignore[call-arg]
        engine.import_catalogue([SAMPLE_CATALOGUE], tmdb=False)
        engine.ingest([SAMPLE_CORPUS])
        yield engine


def answers(engine: Any) -> Answer:
    return lambda question: engine.ask(question).to_dict()


def table(scored: Scored) -> list[str]:
    lines = [
        "| part | questions fully right | misses by kind |",
        "| --- | ---: | --- |",
    ]
    for name, s in scored.parts.items():
        kinds = ", ".join(f"{k} {n}" for k, n in s.misses.most_common()) or "-"
        lines.append(f"| {name} | {s.cell()} | {kinds} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--misses", action="store_true", help="print the tuning parts' misses")
    parser.add_argument("--tuning-only", action="store_true", help="read only the parts we tune on")
    parser.add_argument(
        "--messy",
        action="store_true",
        help="also score rounds three and four's tuning parts in lower case and in capitals",
    )
    parser.add_argument(
        "--tidied",
        action="store_true",
        help="also score round five's tuning part with its questions tidied (capitals, a full stop)",
    )
    args = parser.parse_args()
    folder = find_questions()
    if folder is None:
        sys.exit(f"no questions found: set {QUESTIONS_ENV} to the folder with judge.py")
    judge = load_judge(folder)
    rows = read_rows(folder) + [row for path in ROUNDS_FILES for row in read_round(path)]
    if args.tuning_only:
        rows = [row for row in rows if not row.kept_apart]
    if args.tidied:
        rows += [tidied(row) for row in read_round(ROUND5) if not row.kept_apart]
    if args.messy:
        clean = [row for row in read_round(ROUND3) + read_round(ROUND4) if not row.kept_apart]
        rows += [messied(row, how) for how in MESSES for row in clean]
    with sample_engine() as engine:
        scored = score(rows, answers(engine), judge)
    if args.misses:
        for row, why, got in scored.missed:
            print(f"- {row.question!r}")
            print(f"    {'; '.join(w for _, w in why)}")
            print(f"    semantic={got.get('semantic')!r} like={got.get('like')!r}")
            wanted = {k: v for k, v in row.data["expected"].items() if v not in (None, [], "any")}
            print(f"    expected {wanted} {row.data.get('alt_by_hand') or ''}")
    print("\n".join(table(scored)))


if __name__ == "__main__":
    main()
