"""A question being read: its text with each understood phrase blanked out, the filters
found so far, and what else it asks for (how many films, a film to find more like, a film it
names). Every step of the parser reads from it and writes to it."""

from __future__ import annotations

import re
import unicodedata

from index.types import Ignored, QueryFilters

Span = re.Match[str] | tuple[int, int]

# Where the subject of the question starts: genre or country words after "about" describe
# what happens in the film ("about Korean immigrants"), not what the film is.
_SUBJECT = re.compile(
    r"(?<!\bwhat\s)(?<!\bhow\s)\b(?:about|involving|where|in which|that has|with lots of)\b", re.I
)


class Question:
    def __init__(self, text: str) -> None:
        self.original = text
        # Padded with spaces so that every phrase has a word boundary on both sides.
        self.text = " " + unicodedata.normalize("NFKC", text).strip() + " "
        self.filters = QueryFilters()
        self.limit: int | None = None
        self.like: str | None = None
        self.title: str | None = None
        self.wants_bad = False  # the question asks for bad films ("so bad it's good")
        self.phrases: dict[str, str] = {}  # filter group -> the words it was read from
        self.ignored: list[Ignored] = []  # understood, not used, and why

    def cut(self, span: Span, group: str | None = None) -> None:
        """Blank out an understood phrase (offsets stay valid for the other steps); with a
        filter group, remember the words it was read from."""
        start, end = (span.start(), span.end()) if isinstance(span, re.Match) else span
        if group is not None:
            words = " ".join(self.text[start:end].split())
            self.phrases[group] = (
                f"{self.phrases[group]}, {words}" if group in self.phrases else words
            )
        self.text = self.text[:start] + " " * (end - start) + self.text[end:]

    @property
    def head_end(self) -> int:
        """Where the subject ("about ...") starts, or the end of the question."""
        about = _SUBJECT.search(self.text)
        return about.start() if about else len(self.text)

    @property
    def head(self) -> str:
        """The text before the subject: where genre and country words are filters."""
        return self.text[: self.head_end]
