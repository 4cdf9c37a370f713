"""Understand a question without an LLM: filters (country, genre, rating, years, people,
negations) are pulled out by rules; what is left is the semantic query."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from index.countries import DEMONYMS, country_name, name_table
from index.genres import GENRE_PATTERN, SYNONYMS


class QueryFilters(BaseModel):
    """Filters parsed from a question. Film-level filters, except rating (per review)."""

    countries: list[str] = Field(default_factory=list, description="any of these ISO codes")
    genres_all: list[str] = Field(default_factory=list)
    genres_none: list[str] = Field(default_factory=list)
    rating_min: float | None = None
    rating_max: float | None = None
    year_min: int | None = None
    year_max: int | None = None
    directors: list[str] = Field(default_factory=list)
    cast: list[str] = Field(default_factory=list)
    # Beyond the documented contract, appended after it.
    countries_none: list[str] = Field(default_factory=list)
    genres_any: list[str] = Field(default_factory=list)
    rating_min_exclusive: bool = False
    rating_max_exclusive: bool = False

    def is_empty(self) -> bool:
        return self == QueryFilters()

    def refined_by(self, other: QueryFilters) -> QueryFilters:
        """A follow-up's filters on top of these: set values replace, exclusions add up."""
        data = self.model_dump()
        for name, value in other.model_dump().items():
            if name in {"genres_none", "countries_none"}:
                data[name] = list(dict.fromkeys(data[name] + value))
            elif value not in (None, [], False):
                data[name] = value
        if other.rating_min is not None:
            data["rating_min_exclusive"] = other.rating_min_exclusive
        if other.rating_max is not None:
            data["rating_max_exclusive"] = other.rating_max_exclusive
        # An exclusion overrides an earlier inclusion of the same genre or country.
        data["genres_all"] = [g for g in data["genres_all"] if g not in data["genres_none"]]
        data["countries"] = [c for c in data["countries"] if c not in data["countries_none"]]
        return QueryFilters(**data)

    def describe(self) -> list[tuple[str, str]]:
        """(filter name, how it reads) for showing the user how they were understood."""
        parts: list[tuple[str, str]] = []
        if self.countries:
            parts.append(("countries", " or ".join(country_name(c) for c in self.countries)))
        if self.countries_none:
            parts.append(
                (
                    "countries_none",
                    "not " + " or ".join(country_name(c) for c in self.countries_none),
                )
            )
        if self.genres_all:
            parts.append(("genres_all", " + ".join(self.genres_all)))
        if self.genres_any:
            parts.append(("genres_any", " or ".join(self.genres_any)))
        if self.genres_none:
            parts.append(("genres_none", "not " + " or ".join(self.genres_none)))
        if self.rating_min is not None or self.rating_max is not None:
            bits = []
            if self.rating_min is not None:
                bits.append(f"{'>' if self.rating_min_exclusive else '≥'} {self.rating_min:g}")
            if self.rating_max is not None:
                bits.append(f"{'<' if self.rating_max_exclusive else '≤'} {self.rating_max:g}")
            parts.append(("rating", "rating " + " and ".join(bits)))
        if self.year_min is not None or self.year_max is not None:
            if self.year_min == self.year_max:
                text = str(self.year_min)
            elif self.year_min is not None and self.year_max is not None:
                text = f"{self.year_min}–{self.year_max}"
            elif self.year_min is not None:
                text = f"{self.year_min} or later"
            else:
                text = f"{self.year_max} or earlier"
            parts.append(("year", text))
        if self.directors:
            parts.append(("directors", "directed by " + " or ".join(self.directors)))
        if self.cast:
            parts.append(("cast", "starring " + " or ".join(self.cast)))
        return parts


class ParsedQuery(BaseModel):
    text: str
    filters: QueryFilters = Field(default_factory=QueryFilters)
    semantic: str = ""


@dataclass
class Vocabulary:
    """Names known to the index, so "by bong joon ho" finds where a name ends."""

    directors: Iterable[str] = ()
    cast: Iterable[str] = ()
    _directors: dict[str, str] = field(init=False, default_factory=dict)
    _cast: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._directors = {fold(n): n for n in self.directors}
        self._cast = {fold(n): n for n in self.cast}

    def match(self, words: list[str], kind: str) -> tuple[str, int] | None:
        """The longest run of leading words naming a known person: (name, words used)."""
        table = self._directors if kind == "director" else self._cast
        for n in range(min(5, len(words)), 0, -1):
            key = fold(" ".join(words[:n]))
            if key in table and (n > 1 or len(table[key].split()) == 1):
                return table[key], n
        if table and len(words) >= 2:
            from rapidfuzz import fuzz, process

            for n in range(min(4, len(words)), 1, -1):
                hit = process.extractOne(
                    fold(" ".join(words[:n])), table.keys(), scorer=fuzz.ratio, score_cutoff=88
                )
                if hit:
                    return table[hit[0]], n
        return None

    def exact(self, words: list[str], kind: str) -> tuple[str, int] | None:
        """A known name of two or more words at the start of `words`, exactly (no fuzz)."""
        table = self._directors if kind == "director" else self._cast
        words = [re.sub(r"['’]s$", "", w) for w in words[:5]]
        for n in range(len(words), 1, -1):
            if (key := fold(" ".join(words[:n]))) in table:
                return table[key], n
        return None


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


# ----------------------------------------------------------------------------- patterns

_NUM = r"(\d+(?:\.\d+)?)"
_SCALE = r"(?:\s*(?P<scale>/\s*10|/\s*5|/\s*100|out of (?:10|5|100)|stars?|%|points?))?"
_RATING_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"\b(?:rated|rating|scored?|with a rating of|with a score of)?\s*{_NUM}{_SCALE}\s*(?:\+|plus\b|or (?:more|higher|better|above|up)\b|and (?:up|above|over)\b)",
            re.I,
        ),
        "min",
    ),
    (
        re.compile(
            rf"\b(?:rated|rating|scored?|score)?\s*(?:at least|no less than|minimum(?: of)?|>=|≥)\s*{_NUM}{_SCALE}",
            re.I,
        ),
        "min",
    ),
    (
        re.compile(
            rf"\b(?:rated|rating|scored?|score)\s*(?:above|over|more than|higher than|better than|greater than|>)\s*{_NUM}{_SCALE}",
            re.I,
        ),
        "gt",
    ),
    (
        re.compile(
            rf"(?:\babove|\bover|\bmore than|\bhigher than|\bbetter than|\bgreater than|>)\s*{_NUM}(?P<need>{_SCALE[3:-2]})?(?!\s*(?:hours?|minutes?|mins?|years?|films?|movies?))",
            re.I,
        ),
        "gt?",
    ),
    (
        re.compile(
            rf"\b(?:rated|rating|scored?|score)?\s*(?:at most|no more than|<=|≤|maximum(?: of)?)\s*{_NUM}{_SCALE}",
            re.I,
        ),
        "max",
    ),
    (
        re.compile(
            rf"\b(?:rated|rating|scored?|score)?\s*(?:below|under|less than|lower than|worse than|<)\s*{_NUM}{_SCALE}(?!\s*(?:hours?|minutes?|mins?|years?))",
            re.I,
        ),
        "lt",
    ),
    (re.compile(rf"\b(?:rated|rating|scored?)\s*{_NUM}{_SCALE}", re.I), "min"),
    (re.compile(rf"\b{_NUM}(?P<stars>[- ]stars?)\b", re.I), "min"),
]
_RATING_WORDS: list[tuple[re.Pattern[str], str, float]] = [
    (
        re.compile(
            r"\b(?:highly|top|well|best|critically)[- ]?(?:rated|reviewed|acclaimed)\b|\bacclaimed\b",
            re.I,
        ),
        "min",
        8.0,
    ),
    (re.compile(r"\b(?:poorly|badly|low|worst)[- ]?(?:rated|reviewed)\b", re.I), "max", 4.0),
]
_YEAR = r"((?:18|19|20)\d\d)"
_DECADE = r"(?:the\s+)?(?:(?P<c>(?:18|19|20)\d)0s|['’]?(?P<d>\d)0s|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b"
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip
_NEGATION = r"(?:non-|(?:not|no|non|without|except|excluding|but not|anything but|minus|nothing|never|avoid|skip|other than)\b)"
_FILLER = {
    "a", "an", "the", "any", "some", "good", "great", "best", "top", "film", "films", "movie",
    "movies", "flick", "flicks", "cinema", "picture", "pictures", "show", "me", "find", "give",
    "recommend", "recommendations", "suggest", "suggestions", "i", "want", "looking", "for",
    "can", "you", "please", "something", "anything", "from", "in", "of", "and", "or", "with",
    "that", "are", "is", "rated", "rating", "released", "made", "to", "watch", "what", "which",
    "about", "like", "only", "just", "also", "but", "out", "there", "ones", "one", "by",
    "starring", "directed", "between", "after", "before", "since", "stars", "star", "year",
    "years", "decade", "kind", "sort", "type", "genre", "country", "review", "reviews",
    "really", "very", "well", "on", "lately", "other", "more", "less", "need", "get",
}  # fmt: skip
_AMBIGUOUS_PLACES = {"chad", "georgia", "jordan", "turkey", "jersey", "guernsey", "man", "niger",
                     "guinea", "dominica", "china", "us", "english", "america"}  # fmt: skip


_NAME_STOPWORDS = {"and", "the", "of", "or", "in", "on", "at", "to", "new", "old", "san", "los", "las",
                   "saint", "st.", "city", "world", "war", "star", "wars"}  # fmt: skip


def _to_ten(value: float, scale: str | None) -> float:
    scale = (scale or "").replace(" ", "").lower()
    if scale in {"/5", "outof5", "star", "stars"} or scale.startswith("star"):
        return value * 2
    if scale in {"/100", "outof100", "%"}:
        return value / 10
    return value


def _years_for_decade(m: re.Match[str]) -> tuple[int, int] | None:
    """The years of a decade matched by _DECADE ("1990s", "'90s", "nineties"), if any."""
    if m["c"]:
        start = int(m["c"]) * 10
    elif m["d"]:
        digit = int(m["d"])
        start = (2000 if digit <= 2 else 1900) + digit * 10
    elif m["w"]:
        start = 1900 + _DECADE_WORDS[m["w"].lower()] * 10
    else:
        return None
    return start, start + 9


class QueryParser:
    def __init__(self, vocabulary: Vocabulary | None = None, today: dt.date | None = None) -> None:
        self.vocabulary = vocabulary or Vocabulary()
        self.today = today or dt.date.today()
        forms = sorted(
            (f for f in name_table() if f not in _AMBIGUOUS_PLACES), key=len, reverse=True
        )
        self._country = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])", re.I
        )
        # After "from" / "made in", even names that are ordinary words elsewhere ("Turkey", "Chad").
        every = sorted(name_table(), key=len, reverse=True)
        self._place = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(f) for f in every) + r")(?![\w-])", re.I
        )
        self._table = name_table()

    def parse(self, text: str) -> ParsedQuery:
        f = QueryFilters()
        work = " " + unicodedata.normalize("NFKC", text).strip() + " "

        def cut(m: re.Match[str] | tuple[int, int]) -> None:
            nonlocal work
            start, end = (m.start(), m.end()) if isinstance(m, re.Match) else m
            work = work[:start] + " " * (end - start) + work[end:]

        # People first: names may contain words that look like countries or genres.
        for kind, lead in (("director", r"(?:directed by|by director|from director|director|by|from)"),
                           ("cast", r"(?:starring|stars|featuring|feat\.|with)")):  # fmt: skip
            for m in list(re.finditer(rf"\b{lead}\s+", work, re.I)):
                words = work[m.end() :].split()
                hit = self.vocabulary.match(words, kind)
                if (
                    hit is None
                    and lead
                    and m.group(0).strip().lower() in {"directed by", "starring"}
                ):
                    caps = []
                    for w in work[m.end() :].split():
                        if not w[:1].isupper():
                            break
                        caps.append(w.strip(",.?!"))
                    hit = (" ".join(caps), len(caps)) if caps else None
                if hit:
                    name, n = hit
                    end = m.end()
                    for _ in range(n):
                        end = re.search(r"\S+", work[end:]).end() + end  # type: ignore[union-attr]
                    (f.directors if kind == "director" else f.cast).append(name)
                    cut((m.start(), end))

        # Bare names the index knows ("Alfred Hitchcock films"), whole and of two words or
        # more; a name that both directs and acts is taken as the director.
        for kind in ("director", "cast"):
            tokens = list(re.finditer(r"\S+", work))
            i = 0
            while i < len(tokens):
                hit = self.vocabulary.exact([t.group() for t in tokens[i : i + 5]], kind)
                if hit is None:
                    i += 1
                    continue
                name, n = hit
                people = f.directors if kind == "director" else f.cast
                if name not in f.directors + f.cast:
                    people.append(name)
                cut((tokens[i].start(), tokens[i + n - 1].end()))
                i += n

        # Ratings.
        for pattern, kind in _RATING_PATTERNS:
            for m in list(pattern.finditer(work)):
                value = float(m.group(1))
                scale = m.groupdict().get("scale") or (
                    "stars" if m.groupdict().get("stars") else None
                )
                if kind == "gt?" and not (m.groupdict().get("need") or value <= 10):
                    continue
                if value >= 1800 and not scale:
                    continue  # a year, not a rating
                rating = _to_ten(value, scale)
                if not 0 <= rating <= 10:
                    continue
                lower = kind in {"min", "gt", "gt?"}
                exclusive = kind in {"gt", "gt?", "lt"}
                negated = re.search(r"\bnot\s*(?:rated\s*)?$", work[: m.start()], re.I)
                if negated:  # "not below 6" is "at least 6"
                    lower, exclusive = not lower, not exclusive
                if lower:
                    f.rating_min, f.rating_min_exclusive = rating, exclusive
                else:
                    f.rating_max, f.rating_max_exclusive = rating, exclusive
                cut((negated.start(), m.end()) if negated else m)
        for pattern, kind, value in _RATING_WORDS:
            if (m := pattern.search(work)) and getattr(f, f"rating_{kind}") is None:
                setattr(f, f"rating_{kind}", value)
                cut(m)

        # Years and decades.
        for m in list(
            re.finditer(
                rf"\b(?:between|from)\s+{_YEAR}\s+(?:and|to|-|–)\s+{_YEAR}\b|\b{_YEAR}\s*(?:-|–|to)\s*{_YEAR}\b",
                work,
                re.I,
            )
        ):
            a, b = (int(x) for x in m.groups() if x)
            f.year_min, f.year_max = min(a, b), max(a, b)
            cut(m)
        for m in list(
            re.finditer(
                rf"\b(?P<op>after|since|post|from|before|pre|prior to|until|up to|older than|newer than)[- ]\s*(?:{_YEAR}|{_DECADE})",
                work,
                re.I,
            )
        ):
            op = m["op"].lower()
            decade = _years_for_decade(m)
            lo, hi = decade or (int(m.group(2)), int(m.group(2)))
            if op in {"after", "post", "newer than"}:
                f.year_min = hi + 1
            elif op == "since":
                f.year_min = lo
            elif op == "from":
                f.year_min, f.year_max = lo, hi
            elif op in {"before", "pre", "prior to", "older than"}:
                f.year_max = lo - 1
            else:
                f.year_max = hi
            cut(m)
        for m in list(re.finditer(rf"(?:\b(?:in|of|from)\s+)?{_DECADE}", work, re.I)):
            f.year_min, f.year_max = _years_for_decade(m) or (None, None)
            cut(m)
        for m in list(
            re.finditer(rf"(?:\b(?:in|of|from|released in|made in)\s+)?\b{_YEAR}\b", work, re.I)
        ):
            f.year_min = f.year_max = int(m.group(1))
            cut(m)
        if m := re.search(r"\b(?:recent|latest|new releases?|newest|this year)\b", work, re.I):
            f.year_min = f.year_min or self.today.year - (
                0 if "this year" in m.group(0).lower() else 5
            )
            cut(m)

        # The subject of "about ..." is semantic: genre or country words there are not filters.
        about = re.search(
            r"\b(?:about|involving|where|in which|that has|with lots of)\b", work, re.I
        )
        head_end = about.start() if about else len(work)

        # Negations ("not horror", "no musicals or westerns", "non-American").
        for neg in list(re.finditer(rf"\b{_NEGATION}\s*", work[:head_end], re.I)):
            lead = re.compile(r"(?:for|a|an|any)\s+", re.I).match(work, neg.end())  # "not for kids"
            pos, end = (lead.end() if lead else neg.end()), neg.end()
            while True:
                genre, place = GENRE_PATTERN.match(work, pos), self._country.match(work, pos)
                term = max((t for t in (genre, place) if t), key=lambda t: t.end(), default=None)
                if term is None:
                    break
                if term is genre:
                    f.genres_none += [
                        g for g in SYNONYMS[term.group(0).lower()] if g not in f.genres_none
                    ]
                elif (code := self._table[term.group(0).lower()]) not in f.countries_none:
                    f.countries_none.append(code)
                end = term.end()
                sep = re.compile(
                    r"(?:\s+(?:films?|movies?))?(?:\s*,\s*|\s+(?:or|and|nor)\s+|\s*/\s*)"
                ).match(work, end)
                if sep is None:
                    break
                pos = sep.end()
            if end > neg.end():
                cut((neg.start(), end))

        # "K-drama", "K-thriller": South Korean, and the genre after the dash.
        for m in list(re.finditer(r"\bK-(?=[a-z])", work[:head_end])):
            if DEMONYMS["k-"] not in f.countries:
                f.countries.append(DEMONYMS["k-"])
            cut(m)

        # Genres: "X or Y" means either; otherwise all are required.
        matches = list(GENRE_PATTERN.finditer(work[:head_end]))

        def or_between(a: re.Match[str], b: re.Match[str]) -> bool:
            return (
                re.fullmatch(r"\s*(?:or|and/or|/)\s*", work[a.end() : b.start()], re.I) is not None
            )

        for i, m in enumerate(matches):
            genres = [g for g in SYNONYMS[m.group(0).lower()] if g not in f.genres_none]
            either = (i > 0 and or_between(matches[i - 1], m)) or (
                i + 1 < len(matches) and or_between(m, matches[i + 1])
            )
            target = f.genres_any if either else f.genres_all
            target += [g for g in genres if g not in target]
            cut(m)

        # Countries.
        # "from Japan" names the country wherever it stands, even after "about", and even when
        # the name is an ordinary word elsewhere ("from Turkey").
        for m in list(re.finditer(r"\b(?:from|made in|out of)\s+(?:the\s+)?", work, re.I)):
            if place := self._place.match(work, m.end()):
                code = self._table[place.group(0).lower()]
                if code not in f.countries:
                    f.countries.append(code)
                cut((m.start(), place.end()))
        for m in list(self._country.finditer(work[:head_end])):
            code = self._table[m.group(0).lower()]
            if code not in f.countries and code not in f.countries_none:
                f.countries.append(code)
            cut(m)

        semantic = _semantic(work)
        if (
            not f.directors
            and not f.cast
            and _looks_like_a_name(semantic)
            and not re.search(r"\b(?:like|similar to|such as|as good as)\s", text, re.I)
        ):
            # A person the index does not know ("Alfred Hitchcock films"): better "nothing
            # directed by X", with the closest matches marked as such, than unrelated films.
            f.directors.append(semantic)
        return ParsedQuery(text=text, filters=f, semantic=semantic)


_NAME = re.compile(r"(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’.-]*")


def _looks_like_a_name(rest: str) -> bool:
    """Two to four capitalised words and nothing else: a person, not a theme."""
    return _NAME.fullmatch(rest) is not None and not any(
        w.lower() in _FILLER or w.lower() in _NAME_STOPWORDS for w in rest.split()
    )


def _semantic(rest: str) -> str:
    words = [w.strip(",.?!;:\"'()") for w in rest.split()]
    words = [w for w in words if w and w not in {"+", "-", "&"}]
    while words and words[0].lower() in _FILLER:
        words.pop(0)
    while words and words[-1].lower() in _FILLER:
        words.pop()
    return " ".join(words)
