"""Misspelt words of a question ("movies about greif", "a comdy"), read as the word the
reviews use: a typo embeds as noise, matches no review word and names no genre, so it would
lose the question's meaning. A word is only corrected when it is neither English nor in any review
the place may see, and its correction is both: film words the dictionary lacks ("giallo",
"kaiju"), names and chat shorthand ("dont", "recs": the parser writes them out) are never
touched."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from index.answering.question.shorthand import SHORTHAND
from index.types import Ignored

if TYPE_CHECKING:
    from spellchecker import SpellChecker

    from index.storage.snapshot import Snapshot

_WORD = re.compile(r"(?<![\w'’-])[a-z]{4,}(?![\w'’-])")  # lower case: a capital may be a name


@functools.cache
def _dictionary() -> SpellChecker:
    """English words with their frequencies (pyspellchecker's list; a third of a second to
    load, so only once a question has a word the reviews lack)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


# Words after which a name comes ("directed by", "starring"): the two words after them are
# left as typed.
_PERSON_CUE = re.compile(
    r"\b(?:directed\s+by|starring|featuring|starred\s+by|played\s+by|actor|actress|director|"
    r"(?:films?|movies?|anything|something)\s+(?:by|with))\s+(?:[a-z]+\s+)?$"
)


@functools.cache
def _kinds() -> frozenset[str]:
    """The one-word kinds of film a question may name ("animation", "westerns")."""
    from index.knowledge.genres import QUESTION_SYNONYMS

    return frozenset(form for form in QUESTION_SYNONYMS if form.isalpha())


def corrected(snap: Snapshot, library: str | None, text: str) -> tuple[str, list[Ignored]]:
    """The question with its misspelt words replaced, and a note for each. A candidate keeps
    the first letter (a typo rarely changes it: "scarry" may be "scary", never "carry"); a kind
    of film first, else of several the one the reviews use most."""
    notes = []
    stopwords = snap.lexical.stopwords
    for m in reversed(list(_WORD.finditer(text))):
        word = m.group()
        if word in stopwords or word in SHORTHAND or snap.passages_with(word, library):
            continue  # a review's word, or chat shorthand ("dont", "recs") the parser reads
        if _PERSON_CUE.search(text, 0, m.start()):
            continue  # "directed by matteo garrone": a name in lower case, not a typo
        dictionary = _dictionary()
        if dictionary.known([word]):
            continue
        candidates = [
            c
            for c in sorted(dictionary.candidates(word) or ())
            if c != word and len(c) >= 4 and c[0] == word[0] and c not in stopwords
        ]
        # A kind of film the question may name, whether or not the reviews say it
        # ("animaton" is animation, not "animator"); else the word the reviews use most.
        kinds = [c for c in candidates if c in _kinds()]
        found = [(n, c) for c in candidates if (n := snap.passages_with(c, library))]
        if len(kinds) == 1 or found:
            best = kinds[0] if len(kinds) == 1 else max(found)[1]
            text = text[: m.start()] + best + text[m.end() :]
            notes.append(
                Ignored(phrase=word, why=f"read as '{best}' (no review says '{word}')", used=True)
            )
    return text, notes[::-1]
