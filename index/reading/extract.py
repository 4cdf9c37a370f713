"""What a review's prose says about its film: countries, genres, director, cast, platform.

Heuristics are deliberately conservative: a country or genre is taken only when the text
uses it to describe *this* film ("this Japanese drama", "hailing from South Korea"), since a
wrong filter value hides a film from every filtered question.
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
_NOT_NAMES = {"The", "This", "It", "He", "She", "They", "His", "Her", "A", "An", "In", "And",
              "But", "Netflix", "Director", "Writer"}  # fmt: skip
_NEGATED = re.compile(r"(?:\bnot|\bn't|\bunlike|\bno|\bhardly|\bnever|\brather than|\binstead of)"
                      r"(?:\s+\w+){0,2}\s*$", re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True)
class Extracted:
    countries: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    director: str | None = None
    cast: tuple[str, ...] = ()
    platform: str | None = None


_FROM_BEFORE = re.compile(
    r"(?:(?:hailing|hails|comes|coming|arriving|arrives|straight|imported)\s+from|made in|"
    r"produced in|out of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(
    rf"(?:-made|-produced|-language)?(?:[\s-]+[\w-]+){{0,3}}?\s+{_FILM_NOUNS}\b", re.IGNORECASE
)
_K_PREFIX = re.compile(
    r"\bK-(?:drama|thriller|horror|movie|film|action|noir|zombie)", re.IGNORECASE
)


# Genre words that name a film on their own ("a thriller"), unlike adjectives ("an action …").
_GENRE_NOUNS = {phrase_key(w) for w in (
    "thriller", "thrillers", "comedy", "drama", "western", "musical", "documentary", "rom-com",
    "biopic", "whodunit", "slasher", "romantic comedy", "horror", "actioner", "noir", "film noir",
    "satire", "mystery", "fantasy", "romance", "anime")}  # fmt: skip


@cache
def _country_phrases() -> PhraseTable:
    return PhraseTable(name_table())


@cache
def _genre_phrases() -> PhraseTable:
    return PhraseTable(SYNONYMS)


def countries_in(text: str, tokens: list[Token] | None = None) -> tuple[str, ...]:
    """Countries named as the film's origin: "hailing from X", or "X" before a film noun."""
    table = name_table()
    found: list[str] = []
    if _K_PREFIX.search(text):
        found.append(DEMONYMS["k-"])
    for start, end, form in _country_phrases().finditer(text, tokens):
        before = text[max(0, start - 40) : start]
        if _NEGATED.search(before[-30:]):
            continue
        if _FROM_BEFORE.search(before) or _NOUN_AFTER.match(text, end):
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
        if _NEGATED.search(before):
            continue
        # A genre word counts when it names the film: followed by a film noun or another
        # genre word, or itself a noun form preceded by an article/demonstrative.
        noun_follows = re.match(rf"\s*(?:-|\s)?\s*{_FILM_NOUNS}\b", after, re.IGNORECASE)
        describes = re.search(
            r"(?:\b(?:a|an|this|the|its|it's|is|as)|['’]s)\s+(?:[\w-]+\s+){0,3}$",
            before,
            re.IGNORECASE,
        )
        noun_form = phrase_key(word) in _GENRE_NOUNS
        if noun_follows or (describes and noun_form):
            counts.update(SYNONYMS.get(word, ()))
    return tuple(g for g, _ in counts.most_common())


def _clean_name(name: str) -> str | None:
    words = name.strip(" .,'’").split()
    while words and words[-1] in {"de", "da", "del", "van", "von", "der", "le", "la", "di"}:
        words.pop()
    if not words or words[0] in _NOT_NAMES:
        return None
    return " ".join(words)


def director_in(text: str) -> str | None:
    for pattern in _DIRECTOR_PATTERNS:
        for m in pattern.finditer(text):
            if name := _clean_name(m["name"]):
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
