"""Warm answers: a serving cinebot answering a question it has not seen (no cache hit),
end to end (parse, embed, filters and search) and shown as each front end shows it (the
Discord reply built; the terminal's lines printed by `cinebot chat`'s rich console, wrapped
at 100 columns), against the naive `SentenceTransformer(model).encode([question])` alone, on
the same questions in the same run.

The two alternate in blocks of ten questions, so that a noisy neighbour slows both alike.
torch's worker threads are told to sleep when idle (OMP_WAIT_POLICY=PASSIVE, set by
benchmarks/run.py before torch loads): spinning, they would steal the cores from the
answer that follows an encode, which would be a measurement of the benchmark, not of either.
"""

from __future__ import annotations

import io
import statistics
import time
from dataclasses import dataclass

import numpy as np
from rich.console import Console

from benchmarks.bench_search import QUESTIONS
from benchmarks.eval_questions import QUESTIONS as EVAL_QUESTIONS
from bot.terminal.console import print_result
from index.embedding.encoder import _load_model
from index.engine import Engine
from index.telemetry import request


@dataclass
class Warm:
    questions: int
    passages: int
    naive_p50: float  # ms: SentenceTransformer.encode([question])
    answer_p50: float  # ms: a whole answer, the Discord reply included
    embed_p50: float  # ms: cinebot's question embedding alone (of the answers)
    answer_p95: float
    terminal_p50: float = 0.0  # ms: a whole answer, printed on the terminal
    terminal_p95: float = 0.0
    render_p50: float = 0.0  # ms: the Discord reply alone
    print_p50: float = 0.0  # ms: the terminal's printing alone

    @property
    def ratio(self) -> float:
        return self.answer_p50 / self.naive_p50

    @property
    def terminal_ratio(self) -> float:
        return self.terminal_p50 / self.naive_p50


@dataclass
class Warmth:
    sentences: int
    ours_us: float  # µs a sentence: index/answering/valence.py, a passage's sentences together
    vader_us: float  # µs a sentence: VADER's own scorer, one sentence at a time
    agree: float  # share of sentences whose sign is the same (|x| < 0.05 counts as neither)
    correlation: float


def warmth(texts: list[str]) -> Warmth:
    """The snippets' warmth (`valence.valences`, VADER's lexicon read in one pass) against
    VADER's own scorer on the same review sentences: what it costs, and how often they agree."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from index.answering.valence import valences
    from index.text import sentences

    passages = [parts for text in texts if (parts := sentences(text))]
    flat = [s for parts in passages for s in parts]
    vader = SentimentIntensityAnalyzer()
    valences(["a warm-up"])
    t = time.perf_counter()
    ours = np.array([v for parts in passages for v in valences(parts)])
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    theirs = np.array([vader.polarity_scores(s)["compound"] for s in flat])
    vader_s = time.perf_counter() - t
    return Warmth(
        len(flat),
        ours_s / len(flat) * 1e6,
        vader_s / len(flat) * 1e6,
        float((_sign(ours) == _sign(theirs)).mean()),
        float(np.corrcoef(ours, theirs)[0, 1]),
    )


def _sign(x: np.ndarray) -> np.ndarray:
    """-1, 0 or 1; a score under 0.05 either way says neither (VADER's own neutral band)."""
    return np.sign(np.where(np.abs(x) < 0.05, 0.0, x))


def warmth_lines(w: Warmth) -> list[str]:
    return [
        "## A snippet's warmth against VADER's own scorer",
        "",
        f"{w.sentences:,} sentences of the corpus's reviews, scored by `index/answering/valence.py` "
        '(VADER\'s lexicon, negations and "but" read in one pass over a passage) and by '
        "vaderSentiment's `polarity_scores` (its idioms, boosters and capitals too).",
        "",
        "| scorer | µs a sentence | same sign as VADER | correlation |",
        "| --- | ---: | ---: | ---: |",
        f"| VADER's `polarity_scores` (baseline) | {w.vader_us:.1f} | 1.000 | 1.000 |",
        f"| cinebot's `valences` | {w.ours_us:.1f} ({w.vader_us / w.ours_us:.1f}x faster) "
        f"| {w.agree:.3f} | {w.correlation:.3f} |",
        "",
    ]


def distinct_questions() -> list[str]:
    """Every question the benchmarks and the evaluation ask, each once."""
    return list(dict.fromkeys([*QUESTIONS, *(q.text for q in EVAL_QUESTIONS)]))


# Asked first and not timed, so the first timed block does not pay for first calls (the
# parser's tables, onnxruntime's and torch's first runs, the front ends' first render); none
# of them is among the timed questions.
WARM_UP = (
    "a warm-up question nobody asks",
    "quiet Italian dramas from the 60s",
    "anything with submarines rated 7 or more",
    "cartoons for a rainy afternoon",
    "Spanish thrillers, not too long",
    "films like Alien but funnier",
)


def warm_answers(engine: Engine, block: int = 10) -> Warm:
    from bot.discord.render import results_embed

    assert engine.settings.embedding.question_cache == 0, "the target is measured without the cache"
    naive = _load_model(str(engine.encoder.model_path))
    questions = distinct_questions()
    assert not set(WARM_UP) & set(questions)
    console = Console(file=io.StringIO(), width=100)  # one console, as a chat keeps it
    for question in WARM_UP:
        naive.encode([question])
        result = engine.ask(question)
        results_embed(result)
        print_result(console, result)
    naive_ms, answer_ms, embed_ms, terminal_ms, render_ms, print_ms = [], [], [], [], [], []
    for start in range(0, len(questions), block):
        chunk = questions[start : start + block]
        for question in chunk:
            t = time.perf_counter()
            naive.encode([question])
            naive_ms.append((time.perf_counter() - t) * 1000)
        for question in chunk:
            with request("bench") as current:
                t = time.perf_counter()
                result = engine.ask(question)
                asked = time.perf_counter()
                results_embed(result)
                rendered = time.perf_counter()
                print_result(console, result)
                printed = time.perf_counter()
            console.file = io.StringIO()  # what was printed is not kept
            answer_ms.append((rendered - t) * 1000)
            terminal_ms.append(((asked - t) + (printed - rendered)) * 1000)
            render_ms.append((rendered - asked) * 1000)
            print_ms.append((printed - rendered) * 1000)
            if "embed" in current.timings:
                embed_ms.append(current.timings["embed"])
    return Warm(
        len(questions),
        engine.snapshot().n_passages,
        statistics.median(naive_ms),
        statistics.median(answer_ms),
        statistics.median(embed_ms),
        statistics.quantiles(answer_ms, n=20)[-1],
        statistics.median(terminal_ms),
        statistics.quantiles(terminal_ms, n=20)[-1],
        statistics.median(render_ms),
        statistics.median(print_ms),
    )


def report_lines(w: Warm) -> list[str]:
    return [
        "## Warm answers against the naive question embedding",
        "",
        f"{w.questions} distinct questions (the cache of question vectors off), on {w.passages:,} passages; "
        "blocks of ten alternate between the two. The answer is everything a user waits for: "
        "parse, embed, filters and search with BM25 fusion, aggregation, and the front end's "
        "rendering: the Discord reply, or the terminal's lines as `cinebot chat` prints them "
        "(rich, wrapped at 100 columns).",
        "",
        "| | p50 ms | vs naive encode |",
        "| --- | ---: | ---: |",
        f"| naive `SentenceTransformer.encode([question])` (baseline) | {w.naive_p50:.2f} | 1.00x |",
        f"| cinebot: the question embedding alone (int8 ONNX) | {w.embed_p50:.2f} | {w.embed_p50 / w.naive_p50:.2f}x |",
        f"| cinebot on Discord: the whole answer, the reply built (p95 {w.answer_p95:.1f} ms; the reply alone {w.render_p50:.2f} ms) | {w.answer_p50:.2f} | {w.ratio:.2f}x |",
        f"| cinebot in a terminal: the whole answer, printed (p95 {w.terminal_p95:.1f} ms; the printing alone {w.print_p50:.2f} ms) | {w.terminal_p50:.2f} | {w.terminal_ratio:.2f}x |",
        "",
    ]
