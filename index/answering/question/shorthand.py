"""How people type in a chat, read as the words it stands for before any step reads the
question: a contraction typed without its apostrophe ("i dont like horror", "im after"),
chat shorthand ("can u", "pls", "recs", "w my kids", "fav", "tho"), a title's abbreviation
with its full stop ("dr. strangelove": the full stop ends no sentence), and a compound
genre word one letter off ("si-fi", "sci fu").

Without this, "dont" would be no negation (the spelling step would even read it as another
word), "recs" a word to search for and "Dr." the end of a sentence. A word is only read so
when the whole word is the shorthand: "wont" and "ill" are words in their own right and are
left alone."""

from __future__ import annotations

import re
from functools import cache

# A contraction without its apostrophe, and chat shorthand: each as a whole word.
SHORTHAND: dict[str, str] = {
    **{
        bare: bare[:-1] + "'t"
        for bare in (
            "dont doesnt didnt isnt arent wasnt werent cant couldnt wouldnt shouldnt "
            "havent hasnt hadnt aint"
        ).split()
    },
    "im": "i'm",
    "ive": "i've",
    "youre": "you're",
    "theyre": "they're",
    "thats": "that's",
    "whats": "what's",
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "tho": "though",
    "thx": "thanks",
    "rec": "recommendation",
    "recs": "recommendations",
    "fav": "favourite",
    "fave": "favourite",
    "favs": "favourites",
    "idk": "i don't know",
    "gimme": "give me",
    "wanna": "want to",
    "gonna": "going to",
    "kinda": "kind of",
    "sorta": "sort of",
    "cuz": "because",
    "bc": "because",
    "w/": "with",
    "w/o": "without",
    "w": "with",
    "luv": "love",
    "yr": "year",
    "yrs": "years",
    "smth": "something",
    "sth": "something",
    "rn": "right now",
    "tbh": "to be honest",
    "btw": "by the way",
}
# Whole words only; "w" only before a word ("w my kids"), never on its own.
_WORD = re.compile(r"(?<![\w'’/-])(?:w/o|w/|[a-z]+)(?![\w'’/-])", re.IGNORECASE)
_BEFORE_A_WORD = re.compile(r"\s+[a-z]", re.IGNORECASE)
# Abbreviations said before a name ("Dr. Strangelove", "Mr. Holland's Opus", "St. Vincent"):
# their full stop is no sentence's end.
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?P<word>dr|mr|mrs|ms|st|prof|capt|sgt|lt|gen|col|rev|mt)\.(?=\s+\w)",
    re.IGNORECASE,
)


@cache
def _compounds() -> dict[str, str]:
    """Genre words of two parts ("sci-fi", "rom com"), by their letters: "scifi" -> "sci-fi"."""
    from index.knowledge.genres import QUESTION_SYNONYMS

    return {
        re.sub(r"[\s-]", "", form): form
        for form in QUESTION_SYNONYMS
        if re.search(r"[\s-]", form) and len(re.sub(r"[\s-]", "", form)) >= 5
    }


# Two short parts joined by a hyphen or a space: where a compound genre word may be mistyped
# (every pair, overlapping: "any sci fu" holds "sci fu").
_TWO_PARTS = re.compile(r"(?<![\w'’-])(?=(?P<a>[a-z]{2,4})[\s-](?P<b>[a-z]{2,4})(?![\w'’-]))", re.I)


def _one_letter_off(a: str, b: str) -> bool:
    """One letter changed, added or dropped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _compound(m: re.Match[str]) -> str:
    said = m.string[m.start() : m.end("b")]
    letters = (m["a"] + m["b"]).lower()
    compounds = _compounds()
    if letters in compounds:
        return said
    from index.knowledge.genres import QUESTION_SYNONYMS

    near = [form for key, form in compounds.items() if _one_letter_off(letters, key)]
    # One meaning ("scifu" is one letter off both "scifi" and "scify": Sci-Fi either way), and
    # the same first letter ("hi fi" is not "sci-fi").
    meanings = {QUESTION_SYNONYMS[form] for form in near}
    return near[0] if len(meanings) == 1 and letters[0] == near[0][0] else said


def expanded(text: str) -> str:
    """`text` with its chat shorthand written out (the case of a capitalised word kept)."""

    def word(m: re.Match[str]) -> str:
        found = SHORTHAND.get(m.group().lower())
        if found is None or (m.group().lower() == "w" and not _BEFORE_A_WORD.match(text, m.end())):
            return m.group()
        return found[:1].upper() + found[1:] if m.group()[:1].isupper() else found

    text = _ABBREVIATION.sub(lambda m: m["word"], text)
    text = _WORD.sub(word, text)
    for m in reversed(list(_TWO_PARTS.finditer(text))):
        end = m.end("b")
        text = text[: m.start()] + _compound(m) + text[end:]
    return text
