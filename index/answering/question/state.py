"""A question being read: its text with each understood phrase blanked out, the filters
found so far, and what else it asks for (how many films, a film to find more like, a film it
names). Every step of the parser reads from it and writes to it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.types import Ignored, QueryFilters

Span = re.Match[str] | tuple[int, int]

# Where the subject of the question starts: genre or country words after "about" describe
# what happens in the film ("about Korean immigrants"), not what the film is.
_SUBJECT = re.compile(
    r"(?<!\bwhat\s)(?<!\bhow\s)\b(?:about|involving|where|in which|that has|with lots of)\b", re.I
)

# Where a subject ends early: its sentence's end, or a clause that says a new wish.
_SUBJECT_END = re.compile(
    r"[.!?;]\s|[.!?;]$|,\s*(?=(?:i|we|and\s+i|but|also|plus|preferably|ideally)\b)"
    r"|\s(?:but|though|although)\s",
    re.I,
)


@dataclass
class Scope:
    """A negation (NegEx style): the words that say it, and the stretch of the question it
    covers (to the end of its clause, or a contrast: "but", "what about"). `used` once a step
    read a negated term in it; then its words are taken out of the semantic part."""

    trigger: tuple[int, int]
    start: int
    end: int
    used: bool = False
    # "it doesn't have to be Sandler": what it covers is neither wanted nor excluded.
    lifts: bool = False

    def covers(self, pos: int) -> bool:
        return self.start <= pos < self.end


class Question:
    def __init__(self, text: str) -> None:
        self.original = text
        # Padded with spaces so that every phrase has a word boundary on both sides.
        self.text = " " + unicodedata.normalize("NFKC", text).strip() + " "
        self.said = self.text  # as it was said, at the same offsets, never blanked
        self.filters = QueryFilters()
        self.limit: int | None = None
        self.like: str | None = None
        self.title: str | None = None
        self.wants_bad = False  # the question asks for bad films ("so bad it's good")
        self.phrases: dict[str, str] = {}  # filter group -> the words it was read from
        self.ignored: list[Ignored] = []  # understood, not used, and why
        self.scopes: list[Scope] = []  # negations, found before any term is read
        self.mentions: list[str] = []  # films the question names (wanted more like or not)
        self.excluded: list[str] = []  # films named under a negation: never to be shown
        self.mention_spans: list[tuple[int, int]] = []  # where each was said
        self.searched_for: list[str] = []  # read as filters, and meant for the meaning search
        self.kinds: list[tuple[int, int]] = []  # where each wanted genre was said

    def cut(self, span: Span, group: str | None = None, *, searched: bool = False) -> None:
        """Blank out an understood phrase (offsets stay valid for the other steps); with a
        filter group, remember the words it was read from. `searched` words say more than
        the filter ("heist" is a sort of crime film): they stay for the meaning search too."""
        start, end = (span.start(), span.end()) if isinstance(span, re.Match) else span
        if group is not None:
            words = " ".join(self.text[start:end].split())
            self.phrases[group] = (
                f"{self.phrases[group]}, {words}" if group in self.phrases else words
            )
        if not searched:
            self.text = self.text[:start] + " " * (end - start) + self.text[end:]

    def negated(self, pos: int) -> bool:
        """A step reads a term at `pos`: whether it is negated, i.e. inside an odd number of
        negation scopes ("not not horror" is horror; "I didn't like the ones that are not in
        English" wants English). The scopes covering it are marked as used."""
        covering = [s for s in self.scopes if s.covers(pos)]
        for scope in covering:
            scope.used = True
        return len(covering) % 2 == 1

    def lifted(self, pos: int) -> bool:
        """Whether a term at `pos` is in a scope that lifts a wish rather than negating it."""
        return any(s.lifts and s.covers(pos) for s in self.scopes)

    @property
    def head_end(self) -> int:
        """Where the subject ("about ...") starts, or the end of the question."""
        about = _SUBJECT.search(self.text)
        return about.start() if about else len(self.text)

    @property
    def head(self) -> str:
        """The text without its subject (blanked, so offsets stay valid): where genre and
        country words are filters. The subject ends with its clause when a new wish follows
        ("a film about world war 2, i need action"): what comes after is read again."""
        start = self.head_end
        end = _SUBJECT_END.search(self.said, start)
        if end is None:
            return self.text[:start]
        return self.text[:start] + " " * (end.start() - start) + self.text[end.start() :]
