"""Warm answers: a serving cinebot answering a question it has not seen (no cache hit),
end to end (parse, embed, filters and search, the Discord reply), against the naive
`SentenceTransformer(model).encode([question])` alone, on the same questions in the same run.

The two alternate in blocks of ten questions, so that a noisy neighbour slows both alike.
torch's worker threads are told to sleep when idle (OMP_WAIT_POLICY=PASSIVE, set by
benchmarks/run.py before torch loads): spinning, they would steal the cores from the
answer that follows an encode, which would be a measurement of the benchmark, not of either.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from benchmarks.bench_search import QUESTIONS
from benchmarks.eval_questions import QUESTIONS as EVAL_QUESTIONS
from index.embedding.encoder import _load_model
from index.engine import Engine
from index.telemetry import request, stage


@dataclass
class Warm:
    questions: int
    passages: int
    naive_p50: float  # ms: SentenceTransformer.encode([question])
    answer_p50: float  # ms: a whole answer, the reply included
    embed_p50: float  # ms: cinebot's question embedding alone (of the answers)
    answer_p95: float

    @property
    def ratio(self) -> float:
        return self.answer_p50 / self.naive_p50


def distinct_questions() -> list[str]:
    """Every question the benchmarks and the evaluation ask, each once."""
    return list(dict.fromkeys([*QUESTIONS, *(q.text for q in EVAL_QUESTIONS)]))


def warm_answers(engine: Engine, block: int = 10) -> Warm:
    from bot.discord.render import results_embed

    assert engine.settings.embedding.question_cache == 0, "the target is measured without the cache"
    naive = _load_model(str(engine.encoder.model_path))
    questions = distinct_questions()
    engine.ask("a warm-up question nobody asks")
    naive.encode(["a warm-up question nobody asks"])
    naive_ms, answer_ms, embed_ms = [], [], []
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
                with stage("render"):
                    results_embed(result)
                answer_ms.append((time.perf_counter() - t) * 1000)
            if "embed" in current.timings:
                embed_ms.append(current.timings["embed"])
    p95 = statistics.quantiles(answer_ms, n=20)[-1]
    return Warm(
        len(questions),
        engine.snapshot().n_passages,
        statistics.median(naive_ms),
        statistics.median(answer_ms),
        statistics.median(embed_ms),
        p95,
    )


def report_lines(w: Warm) -> list[str]:
    return [
        "## Warm answers against the naive question embedding",
        "",
        f"{w.questions} distinct questions (the cache of question vectors off), on {w.passages:,} passages; "
        "blocks of ten alternate between the two. The answer is everything a user waits for: "
        "parse, embed, filters and search with BM25 fusion, aggregation, the Discord reply.",
        "",
        "| | p50 ms | vs naive encode |",
        "| --- | ---: | ---: |",
        f"| naive `SentenceTransformer.encode([question])` (baseline) | {w.naive_p50:.2f} | 1.00x |",
        f"| cinebot: the question embedding alone (int8 ONNX) | {w.embed_p50:.2f} | {w.embed_p50 / w.naive_p50:.2f}x |",
        f"| cinebot: the whole answer (p95 {w.answer_p95:.1f} ms) | {w.answer_p50:.2f} | {w.ratio:.2f}x |",
        "",
    ]
