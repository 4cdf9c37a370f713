"""How people type in a chat, read as the words it stands for before any step reads the
question: a contraction typed without its apostrophe ("i dont like horror", "im after"),
chat shorthand ("can u", "pls", "recs", "w my kids", "fav", "tho"), a title's abbreviation
with its full stop ("dr. strangelove": the full stop ends no sentence), a compound genre
word one letter off ("si-fi", "sci fu"), a one-word genre word mistyped where no English word
is meant ("documentarys", "comdies", "thrillars"), and numbers said in words as a voice assistant
writes them down: years ("nineteen ninety four", "two thousand and ten", "the nineteen
eighties"), minutes ("ninety minutes") and ratings ("rated above eight", "seven and a half").

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


@cache
def _one_word_kinds() -> frozenset[str]:
    from index.knowledge.genres import QUESTION_SYNONYMS

    return frozenset(f for f in QUESTION_SYNONYMS if f.isalpha() and len(f) >= 4)


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


# A word that may be a genre word mistyped: in lower case, or capitalised only as a sentence's
# first word (elsewhere a capitalised one may be a name or a title, "Weston"), and long enough
# for a typo to be told from another word.
_TYPO_CANDIDATE = re.compile(
    r"(?:(?<=^)|(?<=[.!?]\s))[A-Z][a-z]{5,}(?![\w'’-])|(?<![\w'’-])[a-z]{6,}(?![\w'’-])"
)


def _edits(a: str, b: str) -> int:
    from rapidfuzz.distance import DamerauLevenshtein

    return int(DamerauLevenshtein.distance(a, b))


def _genre_typo(m: re.Match[str]) -> str:
    """A genre word mistyped ("documentarys", "comdies", "mysterys"): a word English does not
    have, one edit from a single genre word of one meaning (two for words of nine letters or
    more), with the same first letter. An English word ("weston", "actions", "crimes") is
    left alone, however close."""
    said = m.group()
    word = said.lower()
    kinds = _one_word_kinds()
    if word in kinds:
        return said
    from index.answering.question.people import english_frequency
    from index.knowledge.genres import QUESTION_SYNONYMS

    if english_frequency(word):
        return said
    most = 2 if len(word) >= 9 else 1
    near = [k for k in kinds if k[0] == word[0] and abs(len(k) - len(word)) <= most]
    near = [k for k in near if _edits(word, k) <= most]
    if not near or len({QUESTION_SYNONYMS[k] for k in near}) != 1:
        return said
    found = min(near, key=lambda k: (_edits(word, k), k))
    return found.capitalize() if said[0].isupper() else found


def _compound(m: re.Match[str]) -> str:
    said = m.string[m.start() : m.end("b")]
    letters = (m["a"] + m["b"]).lower()
    compounds = _compounds()
    if letters in compounds:
        return said
    if letters in _one_word_kinds():
        return letters  # "sy-fy": "syfy"
    from index.knowledge.genres import QUESTION_SYNONYMS

    near = [form for key, form in compounds.items() if _one_letter_off(letters, key)]
    # One meaning ("scifu" is one letter off both "scifi" and "scify": Sci-Fi either way), and
    # the same first letter ("hi fi" is not "sci-fi").
    meanings = {QUESTION_SYNONYMS[form] for form in near}
    return near[0] if len(meanings) == 1 and letters[0] == near[0][0] else said


_UNITS = {
    w: i for i, w in enumerate("zero one two three four five six seven eight nine".split()) if i
}
_TEENS = {
    w: 10 + i
    for i, w in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
_DECADES = {w[:-1] + "ies": n for w, n in _TENS.items()}  # "eighties": 80
_UNIT = "|".join(_UNITS)
_TEEN = "|".join(_TEENS)
_TEN = "|".join(_TENS)
# 1 to 99 in words: "seven", "fourteen", "ninety four", "ninety-four".
_UP_TO_99 = rf"(?:(?:{_TEN})(?:[\s-]+(?:{_UNIT}))?|{_TEEN}|{_UNIT})"
_YEAR_WORDS = re.compile(
    # "nineteen ninety four", "twenty twenty two", "nineteen eighties", "two thousand and ten"
    rf"\b(?P<century>nineteen|twenty)[\s-]+(?P<rest>(?:{_TEN})(?:[\s-]+(?:{_UNIT}))?|{_TEEN}|"
    rf"{'|'.join(_DECADES)})\b"
    rf"|\btwo\s+thousand(?:\s+and)?(?:[\s-]+(?P<after>{_UP_TO_99}))?\b",
    re.IGNORECASE,
)
# A number in words where a measure follows ("ninety minutes", "two hours") or a rating's
# words come before ("rated above eight", "at least seven and a half").
_MEASURE = re.compile(
    rf"\b(?P<n>{_UP_TO_99}|a\s+hundred(?:\s+and\s+{_UP_TO_99})?)"
    rf"(?P<half>\s+and\s+a\s+half)?(?=\s+(?:minutes?|mins?|hours?|stars?|points?)\b)"
    rf"|(?P<cue>\b(?:rated|rating|score|above|over|than|least|most|below|under)\s+)"
    rf"(?P<r>{_UP_TO_99})(?:\s+(?P<point>point\s+(?:{_UNIT}|zero))|(?P<half2>\s+and\s+a\s+half))?\b",
    re.IGNORECASE,
)


def _words_to_number(words: str) -> int:
    """ "ninety four" -> 94, "fourteen" -> 14, "a hundred and twenty" -> 120."""
    total = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("a", "and"):
            continue
        if word == "hundred":
            total = (total or 1) * 100
        else:
            total += _UNITS.get(word) or _TEENS.get(word) or _TENS.get(word, 0)
    return total


def _year(m: re.Match[str]) -> str:
    if m["century"]:
        century = 1900 if m["century"].lower() == "nineteen" else 2000
        rest = m["rest"].lower()
        if rest in _DECADES:
            return f"{century + _DECADES[rest]}s"
        return str(century + _words_to_number(rest))
    return str(2000 + (_words_to_number(m["after"]) if m["after"] else 0))


def _measure(m: re.Match[str]) -> str:
    if m["n"]:
        number = _words_to_number(m["n"])
        return f"{number}.5" if m["half"] else str(number)
    number = _words_to_number(m["r"])
    if m["point"]:
        return f"{m['cue']}{number}.{_UNITS.get(m['point'].split()[-1].lower(), 0)}"
    return m["cue"] + (f"{number}.5" if m["half2"] else str(number))


def _shouted(text: str) -> bool:
    """Typed with caps lock on: no lower-case letter in three words or more."""
    letters = [c for c in text if c.isalpha()]
    return len(text.split()) >= 3 and len(letters) >= 8 and not any(c.islower() for c in letters)


def expanded(text: str) -> str:
    """`text` with its chat shorthand written out (the case of a capitalised word kept); a
    question typed in capitals is read as typed in lower case (its capitals say nothing of
    names or titles)."""
    if _shouted(text):
        text = text.lower()

    def word(m: re.Match[str]) -> str:
        found = SHORTHAND.get(m.group().lower())
        if found is None or (m.group().lower() == "w" and not _BEFORE_A_WORD.match(text, m.end())):
            return m.group()
        return found[:1].upper() + found[1:] if m.group()[:1].isupper() else found

    text = _ABBREVIATION.sub(lambda m: m["word"], text)
    text = _YEAR_WORDS.sub(_year, text)
    text = _MEASURE.sub(_measure, text)
    text = _WORD.sub(word, text)
    text = _TYPO_CANDIDATE.sub(_genre_typo, text)
    for m in reversed(list(_TWO_PARTS.finditer(text))):
        end = m.end("b")
        text = text[: m.start()] + _compound(m) + text[end:]
    return text
