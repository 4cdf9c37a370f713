"""Understand a question without an LLM. Named steps, in order, each blanking out what it
understood: people first (names may contain words that look like countries or genres), then
runtime (before its minutes look like a rating), languages (before "Korean" in
"Korean-language" looks like a country), ratings, years, negations, genres and countries.
What is left is the semantic part."""

from __future__ import annotations

import datetime as dt

from index.answering.question import (
    countries,
    genres,
    languages,
    negations,
    people,
    ratings,
    runtime,
    years,
)
from index.answering.question.state import Question
from index.knowledge.people import People
from index.types import ParsedQuery

# Words that carry no meaning at either end of the semantic part ("good films about ...").
FILLER = {
    "a", "an", "the", "any", "some", "good", "great", "best", "top", "film", "films", "movie",
    "movies", "flick", "flicks", "cinema", "picture", "pictures", "show", "me", "find", "give",
    "recommend", "recommendations", "suggest", "suggestions", "i", "want", "looking", "for",
    "can", "you", "please", "something", "anything", "from", "in", "of", "and", "or", "with",
    "that", "are", "is", "rated", "rating", "released", "made", "to", "watch", "what", "which",
    "about", "like", "only", "just", "also", "but", "out", "there", "ones", "one", "by",
    "starring", "directed", "between", "after", "before", "since", "stars", "star", "year",
    "years", "decade", "kind", "sort", "type", "genre", "country", "review", "reviews",
    "really", "very", "well", "on", "lately", "other", "more", "less", "need", "get",
}  # fmt: skip


def semantic_rest(text: str) -> str:
    """The words no step used, without punctuation and filler at either end."""
    words = [w.strip(",.?!;:\"'()") for w in text.split()]
    words = [w for w in words if w and w not in {"+", "-", "&"}]
    while words and words[0].lower() in FILLER:
        words.pop(0)
    while words and words[-1].lower() in FILLER:
        words.pop()
    return " ".join(words)


class QueryParser:
    """Reads questions against the people an index knows; `today` anchors "recent"."""

    def __init__(self, known: People | None = None, today: dt.date | None = None) -> None:
        self.people = known or People()
        self.today = today or dt.date.today()

    def parse(self, text: str) -> ParsedQuery:
        question = Question(text)
        people.read(question, self.people)
        runtime.read(question)
        languages.read(question)
        ratings.read(question)
        years.read(question, self.today)
        negations.read(question)
        genres.read(question)
        countries.read(question)
        rest = semantic_rest(question.text)
        people.guess_unknown(question, rest, FILLER)
        return ParsedQuery(text=text, filters=question.filters, semantic=rest)
