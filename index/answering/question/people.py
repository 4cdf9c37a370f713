"""People in a question, and their role from the words around them:
"directed by", "made by", "a film by", "has X made", "X directed" -> director;
"with", "starring", "featuring", "X acted in", "X plays", "X was in" -> cast.
"with X and Y" and "both X and Y" want films with every one of them; "X or Y" any.

Names are read against the people the index knows (any case, a little misspelt); a name it
does not know still becomes a filter after such words, so the answer can say that no film
of theirs is known rather than show unrelated ones."""

from __future__ import annotations

import re

from index.answering.question.state import Question
from index.knowledge.people import People, Role

# Before a name: (role, words, whether a name the index does not know is taken there too).
_BEFORE: tuple[tuple[Role, str, bool], ...] = (
    (
        "director",
        r"(?:directed|made|helmed|written\s+and\s+directed)\s+by|"
        r"(?:a|the)\s+(?:film|movie|picture)s?\s+by|(?:films|movies|works)\s+(?:by|of)|"
        r"by\s+director|from\s+director",
        True,
    ),
    ("director", r"director|by|from", False),
    (
        "cast",
        r"starring|featuring|feat\.|with\s+actors?|with\s+actress|played\s+by|"
        r"acted\s+by|(?:films|movies|stuff|something|anything)\s+with",
        True,
    ),
    ("cast", r"both", True),
    ("cast", r"stars|with", False),
)
# After a name.
_AFTER: tuple[tuple[Role, str], ...] = (
    ("director", r"(?:has\s+)?(?:directed|made|helmed|shot)\b"),
    (
        "cast",
        r"(?:has\s+)?(?:(?:acted|appeared|starred|played)\s+in|(?:was|is|were)\s+in|plays|stars\s+in)\b",
    ),
)
_HAS_BEFORE = re.compile(r"\b(?:has|did|what\s+has|what\s+did)\s+$", re.I)
_WORD = re.compile(r"\S+")
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*$")
_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*|\s+or\s+)", re.I)
_NOT_NAME = set(
    "the a an and or of in on at to for from with by i my me it this that some any lots no "
    "not has have had did does do what which who whose films movies anything something show "
    "find give recommend".split()
)


def _capitalised_name(text: str, start: int) -> tuple[str, int] | None:
    """Two to four capitalised words at `start`: (name, end offset)."""
    words: list[str] = []
    end = start
    for m in _WORD.finditer(text, start):
        if m.start() != end and text[end : m.start()].strip():
            break
        word = m.group().rstrip(",.?!;:")
        if not _NAME_WORD.match(word) or word.lower() in _NOT_NAME or len(words) == 4:
            break
        words.append(re.sub(r"['’]s$", "", word))
        end = m.start() + len(word)
        if word != m.group():
            break
    if len(words) < 2:
        return None
    return " ".join(words), end


def _one_name(
    question: Question, start: int, people: People, role: Role, unknown: bool
) -> tuple[str, int] | None:
    """A known name at `start` in any case, else (when allowed) a capitalised unknown one."""
    words = question.text[start:].split()
    if hit := people.match(words, role):
        name, n = hit
        end = start
        for _ in range(n):
            found = _WORD.search(question.text, end)
            assert found is not None
            end = found.end()
        return name, end
    if unknown and (found := _capitalised_name(question.text, start)):
        return found
    return None


def _names(
    question: Question, start: int, people: People, role: Role, unknown: bool
) -> tuple[list[str], int, bool]:
    """A list of names at `start` ("X", "X and Y", "X, Y or Z"): (names, end, every one of
    them wanted)."""
    names: list[str] = []
    every = True
    at = start
    while first := _one_name(question, at, people, role, unknown or bool(names)):
        name, end = first
        names.append(name)
        join = _JOIN.match(question.text, end)
        if join is None:
            return names, end, every
        if "or" in join.group().lower().split():
            every = False
        following = _one_name(question, join.end(), people, role, unknown or True)
        if following is None:
            return names, end, every
        at = join.end()
    return names, at, every


def _add(
    question: Question, role: Role, names: list[str], every: bool, span: tuple[int, int]
) -> None:
    filters = question.filters
    if role == "director":
        filters.directors += [n for n in names if n not in filters.directors]
        question.cut(span, "directors")
    elif every and len(names) > 1:
        filters.cast_all += [n for n in names if n not in filters.cast_all]
        question.cut(span, "cast_all")
    else:
        filters.cast += [n for n in names if n not in filters.cast]
        question.cut(span, "cast")


def read_named(question: Question, people: People) -> None:
    """Names after a word that gives their role."""
    for role, lead, unknown in _BEFORE:
        for m in list(
            re.finditer(rf"\b(?:both\s+)?(?:{lead})\s+(?:both\s+)?", question.text, re.I)
        ):
            if not question.text[m.start() : m.end()].strip():
                continue  # blanked by an earlier match
            names, end, every = _names(question, m.end(), people, role, unknown)
            if names:
                _add(question, role, names, every, (m.start(), end))


def read_after(question: Question, people: People) -> None:
    """Names before a verb that gives their role: "has X made", "movies X acted in"."""
    for role, verb in _AFTER:
        for m in list(re.finditer(rf"\s(?P<verb>{verb})", question.text, re.I)):
            head = question.text[: m.start()]
            words = head.split()
            for n in range(min(4, len(words)), 1, -1):
                candidate = words[-n:]
                start = len(head.rstrip()) - len(" ".join(candidate))
                if has := _HAS_BEFORE.search(question.text[:start]):
                    start = has.start()  # "has X made": the "has" goes too
                known = people.exact(candidate, role) or people.match(candidate, role)
                if known and known[1] == n:
                    _add(question, role, [known[0]], False, (start, m.end("verb")))
                    break
                if all(_NAME_WORD.match(w) and w.lower() not in _NOT_NAME for w in candidate):
                    _add(question, role, [" ".join(candidate)], False, (start, m.end("verb")))
                    break


def read_known(question: Question, people: People, vocabulary: set[str]) -> None:
    """Known names of two words or more standing alone, in the role they have more; a little
    misspelt too ("michelle yeo"), unless the words are ones the parser reads otherwise."""
    filters = question.filters
    tokens = list(_WORD.finditer(question.text))
    i = 0
    while i < len(tokens):
        words = [t.group() for t in tokens[i : i + 5]]
        hits = [h for role in ("director", "cast") if (h := people.exact(words, role))]
        if not hits and not {w.lower().strip(",.?!") for w in words[:2]} & vocabulary:
            hits = [
                h
                for role in ("director", "cast")
                if (h := people.match(words[:3], role)) and h[1] >= 2
            ]
        if not hits:
            i += 1
            continue
        name, n = max(hits, key=lambda h: h[1])
        if name not in filters.directors + filters.cast + filters.cast_all:
            role = people.role_of(name)
            _add(question, role, [name], False, (tokens[i].start(), tokens[i + n - 1].end()))
        i += n


def read(question: Question, people: People, vocabulary: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    read_named(question, people)
    read_after(question, people)
    read_known(question, people, vocabulary)


_NAME = re.compile(r"(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’.-]*")
_SIMILAR = re.compile(r"\b(?:like|similar to|such as|as good as)\s", re.I)
_NAME_STOPWORDS = set(
    "and the of or in on at to new old san los las saint st. city world war star wars".split()
)


def looks_like_a_name(rest: str, filler: set[str]) -> bool:
    """Two to four capitalised words and nothing else: a person, not a theme."""
    return _NAME.fullmatch(rest) is not None and not any(
        w.lower() in filler or w.lower() in _NAME_STOPWORDS for w in rest.split()
    )


def guess_unknown(question: Question, rest: str, filler: set[str]) -> bool:
    """A person the index does not know, left over as the whole rest ("Alfred Hitchcock
    films"): better "nothing directed by X", with the closest matches marked as such, than
    unrelated films. Not after "like" (a film, not a person), nor when the question named a
    film. Says whether it took it."""
    filters = question.filters
    if filters.directors or filters.cast or filters.cast_all or question.like or question.title:
        return False
    if _SIMILAR.search(question.original) or not looks_like_a_name(rest, filler):
        return False
    filters.directors.append(rest)
    question.phrases["directors"] = rest
    return True
