"""Films a question names: a film it wants more like ("I loved Heat (1995), anything
similar?", "just watched 2046, more like that", "movies like Oldboy"), or a film it asks
about ("Oldboy", "is Whiplash any good?"). A title with its year, or a title that is a number,
is a film, never a year filter; a title the index knows beats a guessed person.

Read before everything else, so that no later step takes a title's words for a person, a
year, a count or a genre."""

from __future__ import annotations

import re

from index.answering.question.state import Question
from index.knowledge.countries import name_table
from index.knowledge.films import normalize_title
from index.knowledge.genres import SYNONYMS
from index.knowledge.titles import Titles

# Words that say the question wants films like the one it names.
_LIKE_BEFORE = re.compile(
    r"\b(?:(?:more|films?|movies?|something|anything|stuff)\s+)?(?:like|similar\s+to|such\s+as|"
    r"as\s+good\s+as|in\s+the\s+(?:vein|spirit|style|mould|mold)\s+of|reminiscent\s+of|"
    r"along\s+the\s+lines\s+of|the\s+likes\s+of|"
    r"if\s+i\s+(?:liked|loved|enjoyed)|(?:because|since)\s+i\s+(?:liked|loved|enjoyed))\s+$",
    re.IGNORECASE,
)
_SEEN_BEFORE = re.compile(
    r"\b(?:loved|liked|enjoyed|adored|watched|saw|seen|rewatched|finished|devoured|"
    r"fan\s+of|a\s+big\s+fan\s+of)\s+$",
    re.IGNORECASE,
)
_SIMILAR_ANYWHERE = re.compile(
    r"\b(?:similar|like\s+(?:it|that|this|those)|more\s+like|what\s+next|what\s+else|"
    r"anything\s+else|along\s+those\s+lines|same\s+vibe|got\s+anything\s+like)\b",
    re.IGNORECASE,
)
# Words that say the question is about the film itself.
_ABOUT_BEFORE = re.compile(
    r"\b(?:how\s+was|how\s+is|reviews?\s+(?:of|for)|thoughts\s+on|think\s+of|info\s+on|"
    r"tell\s+me\s+about|what\s+about)\s+$",
    re.IGNORECASE,
)
_WITH_YEAR = re.compile(r"\s*\(\s*(?P<year>(?:18|19|20)\d\d)\s*\)")
_TOKEN = re.compile(r"[^\s,;!?]+")
_MAX_WORDS = 8


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or word[:1] in "[(\"'“‘"


def read(question: Question, titles: Titles | None) -> None:
    """Known titles first, then films named by their year or by a number the index does
    not know, then capitalised words after "like" ("movies like Memento")."""
    found = _known(question, titles) if titles is not None else None
    if found is None:
        found = _unknown(question)
    if found is None:
        return
    (start, end), name = found
    year = _WITH_YEAR.match(question.text, end)
    if year:
        end = year.end()
    before = question.text[:start]
    lead = _LIKE_BEFORE.search(before)
    wants_more = bool(
        lead or _SEEN_BEFORE.search(before) or _SIMILAR_ANYWHERE.search(question.text)
    )
    if wants_more:
        question.like = name
    else:
        question.title = name
    question.cut((lead.start() if lead else start, end))


def _known(question: Question, titles: Titles) -> tuple[tuple[int, int], str] | None:
    """The longest run of words naming a film the index knows, read the way people write
    titles: whole and of two words or more in any case; one word (or a number) only when it
    is the whole question, capitalised and not the first word, or after "like", "watched",
    "about" and such."""
    tokens = list(_TOKEN.finditer(question.text))
    words_only = [t for t in tokens if re.search(r"\w", t.group())]
    best: tuple[int, int, str] | None = None
    for i in range(len(tokens)):
        for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            span = tokens[i : i + n]
            key = normalize_title(" ".join(t.group() for t in span))
            film = titles.by_key.get(key) or titles.by_key.get(key.replace(" s ", "s "))
            if film is None:
                continue
            start, end = span[0].start(), span[-1].end()
            before = question.text[:start]
            cued = bool(
                _LIKE_BEFORE.search(before)
                or _SEEN_BEFORE.search(before)
                or _ABOUT_BEFORE.search(before)
            )
            phrase = " ".join(t.group() for t in span).lower().strip("\"'“”‘’")
            if not cued and (phrase in SYNONYMS or phrase in name_table()):
                continue  # "science fiction", "the heist": words the question means as such
            if len(key.split()) == 1:
                alone = n >= len(words_only)  # the title is the whole question
                named = (
                    alone
                    or cued
                    or (
                        i > 0
                        and _capitalised(span[0].group())
                        and not span[0].group()[:1].isdigit()
                        and not _in_a_name(tokens, i, n)
                    )
                )
                if not named:
                    continue
            if best is None or end - start > best[1] - best[0]:
                best = (start, end, film)
            break
    return ((best[0], best[1]), best[2]) if best else None


def _in_a_name(tokens: list[re.Match[str]], i: int, n: int) -> bool:
    """A capitalised word inside a longer run of them ("Helena Bonham Carter") is part of a
    name, not a one-word title on its own."""
    before = tokens[i - 1].group() if i > 0 else ""
    after = tokens[i + n].group() if i + n < len(tokens) else ""
    return (before[:1].isupper() and before != "I") or after[:1].isupper()


_UNKNOWN_WITH_YEAR = re.compile(
    r"(?P<title>(?:(?:[A-Z0-9][\w'’:&.-]*|of|the|and|in|a|an|to|for|on|at|with)\s+){0,7}"
    r"[A-Z0-9][\w'’:&.!?-]*)\s*\(\s*(?:18|19|20)\d\d\s*\)"
)
_NUMBER_SEEN = re.compile(
    r"\b(?:loved|liked|enjoyed|adored|watched|saw|seen|rewatched|like|similar\s+to)\s+"
    r"(?P<title>\d{1,4})\b(?!\s*(?:minutes|mins?|hours?|stars?|/|%|\+))",
    re.IGNORECASE,
)
_CAPITALISED_AFTER_LIKE = re.compile(
    r"(?<!\bI\s)(?<!\bi\s)(?<!\bwe\s)(?<!\byou\s)(?<!\bthey\s)(?<!\bwould\s)"
    r"\b(?:like|similar\s+to|such\s+as|as\s+good\s+as)\s+"
    r"(?P<title>(?:the\s+)?[A-Z][\w'’:&-]*(?:\s+(?:of|the|and|in|a|to|[A-Z0-9][\w'’:&-]*)){0,5})"
)


def _unknown(question: Question) -> tuple[tuple[int, int], str] | None:
    for pattern in (_UNKNOWN_WITH_YEAR, _NUMBER_SEEN, _CAPITALISED_AFTER_LIKE):
        for m in pattern.finditer(question.text):
            title = m["title"].strip(" ,.")
            if not title or _vocabulary_word(title.split()[0]):
                continue
            start = m.start("title")
            return (start, start + len(m["title"].rstrip(" ,."))), title
    return None


def _vocabulary_word(word: str) -> bool:
    """A word the other steps read ("Korean", "Horror"): not the start of a title."""
    key = word.lower().strip("'’:")
    return key in name_table() or key in SYNONYMS or key == "i"
