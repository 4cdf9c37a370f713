"""What a review's prose says about its film: countries, genres, director, cast, platform.

Only for films no catalogue knows, and deliberately narrow: a wrong filter value hides a film
from every filtered question, or shows it where it does not belong. Measured on real user
reviews (benchmarks/EVAL.md, "Real reviews without metadata"), reviews talk about other
films, remakes and characters' origins as much as about this film, so a country or genre is
taken only when the review calls *this* film one ("this Japanese drama", "this western"),
and only genres that such phrases name reliably. Tuned on half of the films, reported on the
other half.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from index.knowledge.countries import DEMONYMS, name_table
from index.knowledge.genres import SYNONYMS
from index.reading.phrases import PhraseTable, Token, phrase_key, tokenize

PLATFORMS: dict[str, str] = {
    "netflix": "Netflix", "prime video": "Prime Video", "amazon prime": "Prime Video",
    "disney+": "Disney+", "disney plus": "Disney+", "hulu": "Hulu", "hbo max": "Max",
    "max": "Max", "apple tv+": "Apple TV+", "apple tv": "Apple TV+", "peacock": "Peacock",
    "paramount+": "Paramount+", "mubi": "MUBI", "criterion channel": "Criterion Channel",
    "shudder": "Shudder", "crunchyroll": "Crunchyroll", "tubi": "Tubi", "hbo": "HBO",
}  # fmt: skip

_FILM_NOUNS = (
    r"(?:film|films|movie|movies|picture|feature|production|cinema|drama|dramas|thriller|"
    r"thrillers|comedy|comedies|horror|western|musical|documentary|epic|blockbuster|"
    r"animation|noir|actioner|crime|romance|action|fantasy|war|sci-fi|mystery|adventure|"
    r"biopic|satire|tale|story|indie|import|release|entry|hit|offering|debut|rom-com)"
)
_CAP_WORD = r"(?:[A-Z]\.|[A-Z][\w'’\-]*)"
_NAME_WORD = rf"(?:Jr\.|Sr\.|{_CAP_WORD}|de|da|del|van|von|der|le|la|di|bin)"
_NAME = rf"(?:{_CAP_WORD}(?:[ \t]+{_NAME_WORD}){{0,4}})"
_DIRECTOR_PATTERNS = [
    re.compile(
        rf"\b(?i:directed|helmed|written and directed|co-written and directed)"
        rf"(?i:\s+and\s+(?:written|penned|co-written|produced))?\s+by\s+(?P<name>{_NAME})"
    ),
    re.compile(rf"\b(?i:director|filmmaker|auteur)\s+(?P<name>{_NAME})"),
    re.compile(rf"(?P<name>{_NAME})\s+(?:directs|direct(?:ed)? the film|helms)\b"),
    re.compile(rf"(?P<name>{_NAME})['’]s\s+direction\b"),
]
_CAST_PATTERNS = [
    re.compile(
        rf"\b(?i:stars|starring|features|featuring|headlined by|led by)\s+"
        rf"(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)"
    ),
    re.compile(
        rf"\b(?i:headlining(?: the (?:film|cast|movie))?\s+(?:is|are))\s+"
        rf"(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)"
    ),
    re.compile(rf"(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)\s+(?:stars?|co-stars?)\s+as\b"),
    re.compile(rf"(?P<names>{_NAME})\s+(?:plays|portrays)\b"),
]
_NOT_NAMES = set("The This It He She They His Her A An In And But Netflix Director Writer".split())
_NEGATED = re.compile(
    r"(?:\bnot|\bn't|\bunlike|\bno|\bhardly|\bnever|\brather than|\binstead of)"
    r"(?:\s+\w+){0,2}\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Extracted:
    countries: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    director: str | None = None
    cast: tuple[str, ...] = ()
    platform: str | None = None


# "this" and at most two words before the country or genre word: the review names its film.
_THIS_BEFORE = re.compile(r"\bthis\s+(?:[\w-]+\s+){0,1}$", re.IGNORECASE)
_THIS_GENRE_BEFORE = re.compile(r"\bthis\s+(?:[\w-]+\s+){0,1}$", re.IGNORECASE)
# A film noun right after a demonym, at most one word between ("this Japanese horror film").
_NOUN_AFTER = re.compile(
    rf"(?:-made|-produced|-language)?(?:[\s-]+[\w-]+)?\s+{_FILM_NOUNS}\b", re.IGNORECASE
)
_K_PREFIX = re.compile(
    r"\bthis\s+K-(?:drama|thriller|horror|movie|film|action|noir|zombie)", re.IGNORECASE
)
# Genres that "this <genre word>" names with precision of 0.9 or better on real reviews (the
# others, such as Thriller, Family or Mystery, are used loosely: "a thrill ride", "for kids").
RELIABLE_GENRES = frozenset({"Animation", "Comedy", "Documentary", "Horror", "Western"})
# Style words, not origins: "a typical Hollywood movie" says nothing of where it was made.
_NOT_ORIGINS = {"hollywood"}


# Genre words that name a film on their own ("a thriller"), unlike adjectives ("an action …").
_GENRE_NOUNS = {
    phrase_key(w)
    for w in (
        "thriller",
        "thrillers",
        "comedy",
        "drama",
        "western",
        "musical",
        "documentary",
        "rom-com",
        "biopic",
        "whodunit",
        "slasher",
        "romantic comedy",
        "horror",
        "actioner",
        "noir",
        "film noir",
        "satire",
        "mystery",
        "fantasy",
        "romance",
        "anime",
    )
}


@cache
def _country_phrases() -> PhraseTable:
    return PhraseTable(name_table())


@cache
def _genre_phrases() -> PhraseTable:
    return PhraseTable(SYNONYMS)


def countries_in(text: str, tokens: list[Token] | None = None) -> tuple[str, ...]:
    """Countries the review gives as its film's: "this Korean film", "this French comedy"."""
    table = name_table()
    found: list[str] = []
    if _K_PREFIX.search(text):
        found.append(DEMONYMS["k-"])
    for start, end, form in _country_phrases().finditer(text, tokens):
        if form in _NOT_ORIGINS or form not in DEMONYMS:  # "this Vietnam war film": a subject
            continue
        before = text[max(0, start - 40) : start]
        if _NEGATED.search(before[-30:]):
            continue
        if _THIS_BEFORE.search(before) and _NOUN_AFTER.match(text, end):
            code = table[form]
            if code not in found:
                found.append(code)
    return tuple(found)


def genres_in(text: str, tokens: list[Token] | None = None) -> tuple[str, ...]:
    """Genres the text uses to describe the film, most mentioned first."""
    counts: Counter[str] = Counter()
    for start, end, word in _genre_phrases().finditer(text, tokens):
        before = text[max(0, start - 30) : start]
        after = text[end : end + 25]
        if _NEGATED.search(before) or not _THIS_GENRE_BEFORE.search(before):
            continue
        # "this horror film" or "this western": a genre word naming the film itself.
        noun_follows = re.match(rf"\s*(?:-|\s)?\s*{_FILM_NOUNS}\b", after, re.IGNORECASE)
        if noun_follows or phrase_key(word) in _GENRE_NOUNS:
            counts.update(g for g in SYNONYMS.get(word, ()) if g in RELIABLE_GENRES)
    return tuple(g for g, _ in counts.most_common())


def _clean_name(name: str) -> str | None:
    words = re.sub(r"['’]s$", "", name.strip(" .,'’")).split()
    while words and words[-1] in {"de", "da", "del", "van", "von", "der", "le", "la", "di"}:
        words.pop()
    if not words or words[0] in _NOT_NAMES:
        return None
    return " ".join(words)


def _full_name(name: str | None) -> bool:
    """Two words or more, none shouting ("AND", "WANTS") and none a lone letter."""
    words = (name or "").split()
    return len(words) >= 2 and not any(
        (w.isupper() and len(w) > 2) or (len(w) == 1 and w.isalpha()) for w in words
    )


def director_in(text: str) -> str | None:
    """Who the review says directed it: only "directed by <full name>", the one phrasing
    that names this film's director rather than someone compared with."""
    for m in _DIRECTOR_PATTERNS[0].finditer(text):
        if _NEGATED.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        if (name := _clean_name(m["name"])) and _full_name(name):
            return name
    return None


def cast_in(text: str) -> tuple[str, ...]:
    names: list[str] = []
    for pattern in _CAST_PATTERNS:
        for m in pattern.finditer(text):
            for part in re.split(r"\s*(?:,|\band\b|&)\s*", m["names"]):
                name = _clean_name(part)
                if name and name not in names and len(name.split()) >= 2:
                    names.append(name)
    return tuple(names)


_PLATFORM_RE = re.compile(
    r"\b(?:on|to|via|at|from|streaming on|available on|landing on|lands on|arrives on)\s+"
    r"(?P<p>" + "|".join(re.escape(p) for p in sorted(PLATFORMS, key=len, reverse=True)) + r")"
    r"(?![\w+])",
    re.IGNORECASE,
)


def platform_in(text: str) -> str | None:
    m = _PLATFORM_RE.search(text)
    return PLATFORMS[m["p"].lower()] if m else None


def extract(text: str) -> Extracted:
    tokens = tokenize(text)
    return Extracted(
        countries=countries_in(text, tokens),
        genres=genres_in(text, tokens),
        director=director_in(text),
        cast=cast_in(text),
        platform=platform_in(text),
    )
