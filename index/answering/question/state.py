"""A question being read: its text with each understood phrase blanked out, and the filters
found so far. Every step of the parser reads from it and writes to it."""

from __future__ import annotations

import re
import unicodedata

from index.types import QueryFilters

Span = re.Match[str] | tuple[int, int]

# Where the subject of the question starts: genre or country words after "about" describe
# what happens in the film ("about Korean immigrants"), not what the film is.
_SUBJECT = re.compile(r"\b(?:about|involving|where|in which|that has|with lots of)\b", re.I)


class Question:
    def __init__(self, text: str) -> None:
        self.original = text
        # Padded with spaces so that every phrase has a word boundary on both sides.
        self.text = " " + unicodedata.normalize("NFKC", text).strip() + " "
        self.filters = QueryFilters()

    def cut(self, span: Span) -> None:
        """Blank out an understood phrase (offsets stay valid for the other steps)."""
        start, end = (span.start(), span.end()) if isinstance(span, re.Match) else span
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
