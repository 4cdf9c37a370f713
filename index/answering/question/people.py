"""People in a question: "by Bong Joon-ho", "starring Song Kang-ho", a known name standing
alone ("Park Chan-wook thrillers"), and a name nobody knows ("Alfred Hitchcock films")."""

from __future__ import annotations

import re

from index.answering.question.state import Question
from index.knowledge.people import People, Role

_LEADS: tuple[tuple[Role, str], ...] = (
    ("director", r"(?:directed by|by director|from director|director|by|from)"),
    ("cast", r"(?:starring|stars|featuring|feat\.|with)"),
)
# After these words any capitalised name is taken, known or not.
_EXPLICIT = {"directed by", "starring"}


def _capitalised(words: list[str]) -> tuple[str, int] | None:
    caps = []
    for word in words:
        if not word[:1].isupper():
            break
        caps.append(word.strip(",.?!"))
    return (" ".join(caps), len(caps)) if caps else None


def _end_of_words(text: str, start: int, n: int) -> int:
    end = start
    for _ in range(n):
        found = re.search(r"\S+", text[end:])
        assert found is not None  # the words were read from this text
        end += found.end()
    return end


def read_named(question: Question, people: People) -> None:
    """Names after a word that gives their role: "by X" directs, "with X" acts."""
    filters = question.filters
    for role, lead in _LEADS:
        for m in list(re.finditer(rf"\b{lead}\s+", question.text, re.I)):
            words = question.text[m.end() :].split()
            hit = people.match(words, role)
            if hit is None and m.group(0).strip().lower() in _EXPLICIT:
                hit = _capitalised(words)
            if hit:
                name, n = hit
                (filters.directors if role == "director" else filters.cast).append(name)
                question.cut((m.start(), _end_of_words(question.text, m.end(), n)))


def read_known(question: Question, people: People) -> None:
    """Known names of two words or more standing alone; a name that both directs and acts
    is taken as the director."""
    filters = question.filters
    for role in ("director", "cast"):
        tokens = list(re.finditer(r"\S+", question.text))
        i = 0
        while i < len(tokens):
            hit = people.exact([t.group() for t in tokens[i : i + 5]], role)
            if hit is None:
                i += 1
                continue
            name, n = hit
            named = filters.directors if role == "director" else filters.cast
            if name not in filters.directors + filters.cast:
                named.append(name)
            question.cut((tokens[i].start(), tokens[i + n - 1].end()))
            i += n


def read(question: Question, people: People) -> None:
    read_named(question, people)
    read_known(question, people)


_NAME = re.compile(r"(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’.-]*")
_SIMILAR = re.compile(r"\b(?:like|similar to|such as|as good as)\s", re.I)


def looks_like_a_name(rest: str, filler: set[str]) -> bool:
    """Two to four capitalised words and nothing else: a person, not a theme."""
    return _NAME.fullmatch(rest) is not None and not any(
        w.lower() in filler or w.lower() in _NAME_STOPWORDS for w in rest.split()
    )


_NAME_STOPWORDS = {"and", "the", "of", "or", "in", "on", "at", "to", "new", "old", "san", "los",
                   "las", "saint", "st.", "city", "world", "war", "star", "wars"}  # fmt: skip


def guess_unknown(question: Question, rest: str, filler: set[str]) -> bool:
    """A person the index does not know, left over as the whole rest ("Alfred Hitchcock
    films"): better "nothing directed by X", with the closest matches marked as such, than
    unrelated films. Not after "like" (a film, not a person). Says whether it took it."""
    filters = question.filters
    if filters.directors or filters.cast or _SIMILAR.search(question.original):
        return False
    if not looks_like_a_name(rest, filler):
        return False
    filters.directors.append(rest)
    return True
