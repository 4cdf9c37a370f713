"""The three systems judged, each showing its top 5 films for a question or a chat.

- cinebot: `Engine.ask` as `cinebot search` calls it; a chat goes through `Conversation`
  turn by turn, as `cinebot chat` and Discord do, and its last answer is judged.
- BM25 only and dense only: eval_quality's baselines over the same index (bm25s over the
  review passages, or the embedding + FAISS; films by their best passage), the whole question
  as the query, no understanding; a chat's messages are joined into one query.
"""

from __future__ import annotations

from collections.abc import Callable

from benchmarks import eval_questions
from benchmarks.eval_quality import PassageBaselines
from benchmarks.imdb import film_key
from benchmarks.judged.questions import Question
from benchmarks.judged.scoring import TOP, Shown
from index import Conversation, Engine, Film, SearchResult

CINEBOT, BM25, DENSE = "cinebot", "BM25 only", "dense only"
SNIPPET_SYSTEMS = {CINEBOT}
System = Callable[[list[Question]], list[Shown]]  # a chat's turns -> the films shown last


def key_of(film: Film) -> str:
    return film.imdb_id or film_key(film.title, film.year)


def shown_of(result: SearchResult | None) -> list[Shown]:
    if result is None:
        return []
    return [
        Shown(key_of(h.film), h.film.label, h.reviews[0].snippet if h.reviews else None)
        for h in result.hits[:TOP]
    ]


def cinebot(engine: Engine) -> System:
    def answer(chat: list[Question]) -> list[Shown]:
        if len(chat) == 1:
            return shown_of(engine.ask(chat[0].text, limit=TOP))
        conversation = Conversation(engine, page_size=TOP)
        reply = None
        for turn in chat:
            reply = conversation.ask(turn.text)
        return shown_of(reply.result if reply is not None else None)

    return answer


def baselines(engine: Engine) -> dict[str, System]:
    base = PassageBaselines(engine)
    films = {film_key(f.title, f.year): f for f in engine.snapshot().films}

    def system(rank: Callable[[eval_questions.Question], list[str]]) -> System:
        def answer(chat: list[Question]) -> list[Shown]:
            query = eval_questions.Question(". ".join(turn.text for turn in chat))
            keys = rank(query)[:TOP]
            return [Shown(key_of(films[k]), films[k].label) for k in keys]

        return answer

    return {BM25: system(base.bm25), DENSE: system(base.dense)}


def systems(engine: Engine) -> dict[str, System]:
    return {CINEBOT: cinebot(engine), **baselines(engine)}
