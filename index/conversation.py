"""A conversation with the engine: new questions, and follow-ups that refine the last one.

Used by the terminal chat and the Discord chat, so both understand the same follow-ups:
"more", "back", "only after 2015", "not horror", "funny ones", "like the second one".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from index.answering.answer import narrows
from index.engine import Engine
from index.results import FilmDetail, SearchResult, TitleMatch
from index.types import Film, ParsedQuery

HELP = """Ask for films in plain words, for example:
  Korean action thrillers rated 8+
  any good French comedies from the 90s?
  slow, quiet films about grief, not horror
  films by Bong Joon-ho
Then refine: "more", "back", "only after 2015", "not horror", "funny ones", "like the second one".
Also: "like <title>" for similar films, "film <title>" for one film, "quit" to leave."""

_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "last": -1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
}
_MORE = re.compile(r"^(?:more|next|next page|show more|more please|keep going|and\?)$", re.I)
_BACK = re.compile(r"^(?:back|previous|prev|previous page|go back)$", re.I)
_LIKE_NTH = re.compile(
    r"^(?:more |films? |movies? |something |anything )?(?:like|similar to)\s+(?:the\s+|number\s+|no\.?\s*|#)?"
    r"(?P<n>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|one|two|three|four|five|\d+)(?:\s+one)?$",
    re.I,
)
_LIKE_TITLE = re.compile(
    r"^(?:more |films? |movies? |something |anything )?(?:like|similar to)\s+(?P<title>.+)$", re.I
)
_FILM = re.compile(r"^(?:film|movie|tell me about|info(?: on)?)\s+(?P<title>.+)$", re.I)
_FOLLOW_UP = re.compile(
    r"^(?:only|just|but|and|also|now|then|not|no|non-?|without|except|excluding|include|including|"
    r"even|after|before|since|"
    r"rated|above|over|under|below|at least|between|newer|older|from the|in the|make it|what about|how about)\b",
    re.I,
)


def is_follow_up(text: str) -> bool:
    """Would this message refine or page a previous question (so no mention is needed)?"""
    text = text.strip().rstrip("?!. ")
    return bool(_MORE.match(text) or _BACK.match(text) or _LIKE_NTH.match(text) or _refines(text))


def _refines(text: str) -> bool:
    """A message that refines the last question rather than asking a new one."""
    return bool(_FOLLOW_UP.match(text)) or narrows(text)


@dataclass
class Reply:
    kind: Literal["search", "similar", "film", "help", "message", "bye"]
    result: SearchResult | None = None
    match: TitleMatch | None = None
    detail: FilmDetail | None = None
    message: str = ""
    refined: bool = False


@dataclass
class Conversation:
    engine: Engine
    page_size: int | None = None
    library: str | None = None  # where the chat is: a server's library, or None (a DM)
    last_query: ParsedQuery | None = None
    last_similar: str | None = None
    offset: int = 0
    shown: list[str] = field(default_factory=list)  # film titles on the current page
    # A question waiting for the asker to say which film they meant ("could be several
    # films: ... Which one?"): what was asked for, and the films it could be.
    pending: Pending | None = None

    @property
    def limit(self) -> int:
        """Films a page: what the question asked for ("top 3"), else the page size."""
        asked = self.last_query.limit if self.last_query is not None else None
        return asked or self.page_size or self.engine.settings.search.page_size

    def ask(self, text: str) -> Reply:
        """A chat message: a command ("more", "back", "like the second one", "film X"), a
        follow-up refining the last question, or a new question."""
        text = text.strip()
        text = text.rstrip("?!. ").strip() or text
        if not text:
            return Reply("message", message="Ask me for films, or type 'help'.")
        if text.lower() in {"quit", "exit", "bye", ":q"}:
            return Reply("bye", message="Bye!")
        if text.lower() in {"help", "?", "what can you do"}:
            return Reply("help", message=HELP)
        if self.pending is not None and (reply := self._answer_pending(text)) is not None:
            return reply
        if _MORE.match(text) or _BACK.match(text):
            return self._turn(forward=bool(_MORE.match(text)))
        if m := _LIKE_NTH.match(text):
            return self._like_shown(_ORDINALS.get(m["n"].lower()) or int(m["n"]))
        if m := _FILM.match(text):
            return self._film(m["title"])
        if m := _LIKE_TITLE.match(text):
            return self._similar(m["title"])
        refines = self.last_query if _refines(text) else None
        result = self.engine.ask(
            text, library=self.library, follows=refines, page_size=self.page_size
        )
        if result.query.like and result.similar_to is None:  # "more like Heat": which Heat?
            match = self.engine.resolve_title(result.query.like, library=self.library)
            if match.ambiguous:
                self.pending = Pending("similar", match)
                return Reply("similar", match=match, message=no_title_message(match))
        return self._searched(result, refined=refines is not None)

    def _turn(self, forward: bool) -> Reply:
        if self.last_query is None and self.last_similar is None:
            return Reply(
                "message", message="Ask a question first; then 'more' shows the next page."
            )
        if not forward and self.offset == 0:
            return Reply("message", message="This is the first page: there is nothing before it.")
        step = self.limit if forward else -self.limit
        return self._page(max(0, self.offset + step))

    def _film(self, title: str) -> Reply:
        match, detail = self.engine.film(title, library=self.library)
        if detail is None and match.ambiguous:
            self.pending = Pending("film", match)
        message = "" if detail else no_title_message(match)
        return Reply("film", match=match, detail=detail, message=message)

    def _answer_pending(self, text: str) -> Reply | None:
        """The answer to "which one?": a film picked by its number, year or title does what
        was asked; a refinement leaves the choice open and asks it again; anything else is a
        new question, and the choice is dropped."""
        assert self.pending is not None
        pending = self.pending
        picked = pending.pick(text)
        if picked is not None:
            self.pending = None
            if pending.action == "film":
                return self._film(picked.label)
            return self._similar(picked.label)
        if _FOLLOW_UP.match(text) or _MORE.match(text) or _BACK.match(text):
            message = "First, which one? " + pending.options()
            return Reply("message", match=pending.match, message=message)
        self.pending = None
        return None

    def _like_shown(self, n: int) -> Reply:
        """ "Like the second one": films like one on the page shown."""
        if not self.shown:
            return Reply(
                "message", message="There is no list yet to pick from; ask a question first."
            )
        if not (-1 <= n <= len(self.shown)) or n == 0:
            return Reply("message", message=f"Pick a number from 1 to {len(self.shown)}.")
        return self._similar(self.shown[n - 1] if n > 0 else self.shown[-1])

    def _searched(self, result: SearchResult, refined: bool = False) -> Reply:
        self.last_query, self.last_similar, self.offset = result.query, None, 0
        self.shown = [h.film.label for h in result.hits]
        return Reply("search", result=result, refined=refined)

    def _similar(self, title: str) -> Reply:
        filters = self.last_query.filters if self.last_query else None
        match, result = self.engine.similar(
            title, limit=self.limit, filters=filters, library=self.library
        )
        if result is None:
            if match.ambiguous:
                self.pending = Pending("similar", match)
            return Reply("similar", match=match, message=no_title_message(match))
        self.last_similar, self.offset = title, 0
        self.shown = [h.film.label for h in result.hits]
        return Reply("similar", result=result, match=match)

    def _page(self, offset: int) -> Reply:
        kind: Literal["search", "similar"]
        if self.last_similar is not None:
            filters = self.last_query.filters if self.last_query else None
            match, result = self.engine.similar(
                self.last_similar, self.limit, offset, filters, self.library
            )
            kind = "similar"
        else:
            assert self.last_query is not None
            match, kind = None, "search"
            result = self.engine.ask(
                self.last_query, library=self.library, limit=self.limit, offset=offset
            )
        assert result is not None
        if not result.hits and offset > 0:
            return Reply("message", message="That's all I have for this question.")
        self.offset = offset
        self.shown = [h.film.label for h in result.hits]
        return Reply(kind, result=result, match=match)


_PICK_YEAR = re.compile(r"\b((?:18|19|20)\d\d)\b")


@dataclass(frozen=True)
class Pending:
    """A question waiting for the asker to say which of several films they meant."""

    action: Literal["film", "similar"]
    match: TitleMatch

    def options(self) -> str:
        return _numbered(self.match.candidates)

    def pick(self, text: str) -> Film | None:
        """The film the answer names: "2", "the second", "the 1995 one", or its title."""
        films = list(self.match.candidates)
        words = text.lower().removeprefix("the ").split()
        first = words[0] if words else ""
        n = _ORDINALS.get(first) or (int(first) if first.isdigit() and len(first) < 3 else None)
        if n is not None and (1 <= n <= len(films) or n == -1):
            return films[n - 1] if n > 0 else films[-1]
        if m := _PICK_YEAR.search(text):
            same = [f for f in films if f.year == int(m[1])]
            if len(same) == 1:
                return same[0]
        named = [f for f in films if f.label.lower() == text.lower()]
        return named[0] if len(named) == 1 else None


def _numbered(films: tuple[Film, ...]) -> str:
    return ", ".join(f"{i}. {f.label}" for i, f in enumerate(films, 1))


def no_title_message(match: TitleMatch) -> str:
    if match.ambiguous:
        return f"'{match.query}' could be several films: {_numbered(match.candidates)}. Which one?"
    if match.candidates:
        options = ", ".join(f.label for f in match.candidates[:5])
        return f"No film called '{match.query}'. Did you mean: {options}?"
    return f"No film called '{match.query}' in the index."
