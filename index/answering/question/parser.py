"""Understand a question without an LLM. Named steps, in order, each blanking out what it
understood:

0. shorthand: how people type in a chat ("i dont", "can u", "recs", "dr. strangelove", "si-fi")
   read as the words it stands for;
1. talk: greetings, thanks and ways of asking, so none of it is searched for;
2. negations: where each negation's scope lies ("I can't do scary movies", "anything but
   musicals"), before any term is read; the steps after it read a term in a scope into
   its "none" filter;
3. references: every film the question names (a title with its year, a title the index
   knows, "like the lord of the rings"), taken out before any number or genre word in it is
   read; what a film is compared with ("more than any American horror film"), no wish;
4. people, before anything else might read a name's words as a country or genre;
5. runtime, before its minutes look like a rating; languages, before "Korean" in
   "Korean-language" looks like a country;
6. ratings, years, how many films, genres and countries; then the negations that negated
   something are taken out.

What is left is the semantic part."""

from __future__ import annotations

import datetime as dt
import re

from index.answering.question import (
    comparisons,
    countries,
    counts,
    genres,
    languages,
    negations,
    people,
    quality,
    ratings,
    references,
    runtime,
    shorthand,
    talk,
    years,
)
from index.answering.question.state import Question
from index.answering.question.vocabulary import FILLER, vocabulary
from index.knowledge.people import People
from index.knowledge.titles import Titles
from index.types import ParsedQuery

# Sayings whose filler words carry the meaning ("feel good", "so bad it's good").
_SAYINGS = re.compile(
    r"\bfeel[\s-]+good\b|\bso\s+bad\s+(?:that\s+)?it(?:['’]?s|\s+is)\s+good\b"
    r"|\bgood\s+(?:cry|laugh|mood|time|vibes?|scare)\b",
    re.IGNORECASE,
)


def semantic_rest(text: str) -> str:
    """The words no step used, without punctuation and filler at either end (a saying kept
    whole)."""
    text = _SAYINGS.sub(lambda m: "\0".join(m.group().split()), text)
    words = [w.strip(",.?!;:\"'()").lstrip("-").replace("\0", " ") for w in text.split()]
    words = [w for w in words if w and w not in {"+", "-", "&", "/"}]
    while words and words[0].lower() in FILLER:
        words.pop(0)
    while words and words[-1].lower() in FILLER:
        words.pop()
    return " ".join(words)


class QueryParser:
    """Reads questions against the people and titles an index knows; `today` anchors
    "recent" and "in the last 20 years"."""

    def __init__(
        self,
        known: People | None = None,
        films: Titles | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.people = known or People()
        self.titles = films
        self.today = today or dt.date.today()

    def parse(self, text: str) -> ParsedQuery:
        """`text` is clean (`index.text.clean`): `index.answering.answer.understand`, the one
        way a question comes in, cleans it."""
        question = Question(shorthand.expanded(text))
        talk.read(question)
        negations.read(question)
        references.read(question, self.titles, self.people)
        comparisons.read(question)
        counts.read(question)
        people.read(question, self.people, vocabulary())
        runtime.read(question)
        languages.read(question)
        ratings.read(question)
        quality.read(question)
        years.read(question, self.today)
        genres.read(question)
        countries.read(question)
        negations.finish(question)
        genres.keep_qualified(question, FILLER)
        rest = semantic_rest(question.text)
        people.guess_unknown(question, rest, FILLER, self.people)
        rest = " ".join([*question.searched_for, rest]).strip()
        return ParsedQuery(
            text=text,
            filters=question.filters,
            semantic=rest,
            limit=question.limit,
            like=question.like,
            title=question.title,
            phrases=question.phrases,
            ignored=question.ignored,
            wants_bad=question.wants_bad,
            excluded=question.excluded,
        )
