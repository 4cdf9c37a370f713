"""What one short line of a review page says: a byline, a date, a rating, or a labelled fact.

"By X", "Reviewed by X", "Review by X ★★★★½", "Posted by X on 14 August 2019", "Written by X";
"Rating: B", "Overall: 8.1", "Reviewer Score: 8", "GRADE: B+", "Our verdict" over "★★★☆☆",
"(7/10)", "3 1/2 stars"; "Director: X", "Directed By X", "Director – X", "Genre: War, Drama",
"Country: Vietnam", "Language: Norwegian", "Starring – A, B", "Running time: 118 mins", and a
festival's credits line "Austria/Germany 2021 Dir. X. 104 mins.". A certificate ("Certificate:
15", "Rated PG-13 for ...") is no rating. A label states a fact about the film the page reviews,
so it is trusted as such (see knowledge/films.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from index.knowledge.film_names import YEAR
from index.knowledge.genres import UnknownGenre, canonical_genres
from index.knowledge.languages import UnknownLanguage, language_code
from index.reading.dates import parse_date
from index.reading.headings import countries_named
from index.reading.ratings import RatingError, normalize_rating

# A person's name in a byline: capitalised words (and the particles names carry), or a handle.
_NAME_WORD = r"(?:[^\W\d_][\w'’.\-]*)"
_PERSON = rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})"
_BYLINE = re.compile(
    r"^(?:(?:(?:written|reviewed|review|words|posted|published|text)\s+by|by)\s*[:\-–—]?"
    r"|(?:author|reviewer|critic)\s*[:\-–—])"
    rf"\s*{_PERSON}(?P<rest>.*)$",
    re.IGNORECASE,
)
_POSTED_ON_BY = re.compile(
    rf"^(?:posted|published)\s+on\s+(?P<date>.+?)\s+by\s+{_PERSON}\s*$", re.IGNORECASE
)
_NAME_STOPS = re.compile(r"\s+(?:on|in|for|at|and|with|\||·|•|-|–|—)\s+.*$|\s*[|,•·(★☆\d].*$")
_PARTICLES = {"de", "da", "del", "van", "von", "der", "le", "la", "di", "bin", "al", "el", "du"}
_RATING_LABEL = re.compile(
    r"^(?P<label>(?:our|my|the|final|overall|reviewer|critic'?s?|editor'?s?)?\s*"
    r"(?:rating|score|verdict|grade|overall))\s*(?:[:\-–—]\s*|\s+|$)(?P<value>.*)$",
    re.IGNORECASE,
)
# Labels that always mean a rating: a value they carry that is not one is worth a warning.
_STRICT_LABEL = re.compile(r"(?:rating|score|verdict|grade)$", re.IGNORECASE)
_RATING_ALONE = re.compile(
    r"^\(?(?:\d+(?:\.\d+)?\s*½?(?:\s+1/2)?\s*(?:stars?\s*)?(?:/|out of)\s*\d+(?:\s*stars?)?"
    r"|\d+(?:\.\d+)?\s*½?(?:\s+1/2)?\s*stars?|[★⭐✭✮*]+\s*(?:½|1/2)?\s*[☆✩]*(?:\s*\(?out of \d+\)?)?"
    r"|[☆✩]+\s*(?:½|1/2)?|\d{1,3}\s*%)\)?$",
    re.IGNORECASE,
)
_NOT_A_RATING = re.compile(
    r"\b(?:certificate|certification|classification|bbfc|mpaa|age rating|rated (?:pg|r|g|u|nc|\d))",
    re.IGNORECASE,
)
_FACT_LABELS = {
    "director": "director", "directors": "director", "directed by": "director", "dir": "director",
    "dir.": "director", "filmmaker": "director", "country": "countries", "countries": "countries",
    "country of origin": "countries", "origin": "countries", "genre": "genres", "genres": "genres",
    "language": "languages", "languages": "languages", "original language": "languages",
    "cast": "cast", "starring": "cast", "stars": "cast", "with": "cast", "running time": "runtime",
    "runtime": "runtime", "length": "runtime", "duration": "runtime", "year": "year",
    "release year": "year", "certificate": "", "rated": "", "classification": "", "writer": "",
    "writers": "", "screenplay": "", "written by": "", "producer": "", "produced by": "",
    "music": "", "cinematography": "", "editor": "", "studio": "", "distributor": "",
    "original title": "", "release date": "", "released": "", "tags": "", "filed under": "",
}  # fmt: skip
_LABEL = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(k) for k in sorted(_FACT_LABELS, key=len, reverse=True))
    + r")(?:\s*[:\-–—]\s*|\s+(?=[^\W\d_]))(?P<value>.{1,200})$",
    re.IGNORECASE,
)
_CREDITS = re.compile(
    rf"^(?P<countries>[^\W\d_][^\d]{{1,80}}?),?\s+(?P<year>{YEAR})[.,]?\s+Dirs?\.?\s+"
    r"(?P<director>[^.]{2,60}?)\.(?:\s+(?P<runtime>\d{2,3})\s*min)?",
)
_MINUTES = re.compile(
    r"(?:(?P<h>\d)\s*h(?:ours?|rs?)?\.?\s*)?(?:(?P<m>\d{1,3})\s*m(?:in|ins|inutes)?\b)?"
)


@dataclass(frozen=True)
class LineFacts:
    """What a line says; `label` names its kind ("byline", "date", "rating", "rating label",
    "fact", "furniture")."""

    label: str
    reviewer: str | None = None
    date: dt.date | None = None
    rating_raw: str | None = None
    director: str | None = None
    countries: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    runtime: int | None = None
    year: int | None = None


def read_line(line: str, stars: float | None = None) -> LineFacts | None:
    """What a short line says, or None for a line that is none of these (prose, a title)."""
    if len(line) > 200 or _NOT_A_RATING.search(line):
        return LineFacts("furniture") if _NOT_A_RATING.search(line) and len(line) < 80 else None
    for reader in (_byline, _rating, _credits, _info, _fact):
        if (found := reader(line, stars)) is not None:
            return found
    if len(line) <= 40 and (date := parse_date(line)):
        return LineFacts("date", date=date)
    return None


def person(text: str) -> str | None:
    """The name at the start of a byline's rest ("Ana Ruiz on 3 May", "Ana Ruiz | Critic")."""
    name = _NAME_STOPS.sub("", text.strip()).strip(" .,:;")
    words = name.split()
    if not words or len(words) > 5 or any(ch.isdigit() for ch in name):
        return None
    if len(words) == 1:
        return name if len(name) >= 2 else None
    if not all(w[0].isupper() or w.lower() in _PARTICLES for w in words):
        return None
    return name


def _byline(line: str, stars: float | None) -> LineFacts | None:
    if m := _POSTED_ON_BY.match(line):
        if name := person(m["name"]):
            return LineFacts("byline", reviewer=name, date=parse_date(m["date"]))
        return None
    if not (m := _BYLINE.match(line)) or not (name := person(m["name"] + m["rest"])):
        return None
    rest = (m["name"] + m["rest"])[len(name) :]
    rating = None
    if glyphs := re.search(r"[★☆✭✮⭐✩]+\s*(?:½|1/2)?\s*$", rest):
        rating = glyphs[0].strip()
    date = parse_date(re.sub(r"^\s*(?:on|[|,•·\-–—])\s*", "", rest)) if rest.strip() else None
    return LineFacts("byline", reviewer=name, date=date, rating_raw=rating)


_RATING_THEN_VERDICT = re.compile(r"^\((?P<raw>\d+(?:\.\d+)?\s*/\s*\d+)\)\s+[^\d()]{1,40}$")


def _rating(line: str, stars: float | None) -> LineFacts | None:
    if m := _RATING_THEN_VERDICT.match(line):  # "(5/10) Take It or Leave It"
        line = m["raw"]
    label = _RATING_LABEL.match(line) if len(line.split()) <= 8 else None
    if label and not label["value"].strip():
        return LineFacts("rating label")
    raw = (label["value"] if label else line).strip()
    if not label and not _RATING_ALONE.match(raw):
        return None
    try:
        normalize_rating(raw, stars=stars)
    except RatingError:
        strict = label is not None and _STRICT_LABEL.search(label["label"].strip())
        return LineFacts("rating", rating_raw=raw) if strict and raw else None
    return LineFacts("rating", rating_raw=raw)


def _credits(line: str, stars: float | None) -> LineFacts | None:
    if not (m := _CREDITS.match(line)) or not (countries := countries_named(m["countries"])):
        return None
    runtime = int(m["runtime"]) if m["runtime"] else None
    return LineFacts(
        "fact",
        countries=countries,
        year=int(m["year"]),
        director=m["director"].strip(),
        runtime=runtime,
    )


_CERTIFICATE = re.compile(
    r"^(?:NR|Not Rated|Unrated|U|PG|PG-13|R|NC-17|G|12A?|15|18|TV-(?:MA|14|PG))$", re.IGNORECASE
)


def _info(line: str, stars: float | None) -> LineFacts | None:
    """An information line of parts between bars: "2023 | PG-13 | 2h 15m | Action, Drama"."""
    parts = [p.strip() for p in re.split(r"\s+[|•·]\s+", line)]
    if len(parts) < 3:
        return None
    year = runtime = None
    genres: list[str] = []
    for part in parts:
        if re.fullmatch(YEAR, part):
            year = int(part)
        elif re.fullmatch(r"\d\s*h(?:\s*\d{1,2}\s*m(?:in)?)?|\d{2,3}\s*min(?:s|utes)?", part):
            runtime = found.runtime if (found := _runtime(part)) else None
        elif _CERTIFICATE.match(part) or parse_date(re.sub(r"\s*\(.*\)$", "", part)):
            continue
        elif (found := _known_genres(re.split(r"\s*,\s*", part))) is not None:
            genres += [g for g in found.genres if g not in genres]
        else:
            return None  # a part that is none of these: not an information line
    if not genres and runtime is None:
        return None
    return LineFacts("fact", year=year, runtime=runtime, genres=tuple(genres))


def _fact(line: str, stars: float | None) -> LineFacts | None:
    if not (m := _LABEL.match(line)):
        return None
    field, value = _FACT_LABELS[m["label"].lower()], m["value"].strip(" .")
    if not field:
        return LineFacts("furniture")
    parts = [p.strip() for p in re.split(r"\s*(?:,|/|\||;|\band\b|&)\s*", value) if p.strip()]
    if field == "director":
        names = [n for p in parts if (n := person(p))]
        return LineFacts("fact", director=", ".join(names)) if names else None
    if field == "cast":
        names = [n for p in parts if (n := person(p))]
        return LineFacts("fact", cast=tuple(names)) if names else None
    if field == "countries":
        codes = countries_named(value)
        return LineFacts("fact", countries=codes) if codes else None
    if field == "genres":
        return _known_genres(parts)
    if field == "languages":
        return _known_languages(parts)
    if field == "runtime":
        return _runtime(value)
    if field == "year" and (y := re.fullmatch(YEAR, value)):
        return LineFacts("fact", year=int(y[0]))
    return None


def _known_genres(parts: list[str]) -> LineFacts | None:
    genres: list[str] = []
    for part in parts:
        try:
            genres += [g for g in canonical_genres(part) if g not in genres]
        except UnknownGenre:
            return None  # "Genre: a bit of everything" is no label
    return LineFacts("fact", genres=tuple(genres)) if genres else None


def _known_languages(parts: list[str]) -> LineFacts | None:
    try:
        codes = tuple(dict.fromkeys(language_code(p) for p in parts))
    except UnknownLanguage:
        return None
    return LineFacts("fact", languages=codes) if codes else None


def _runtime(value: str) -> LineFacts | None:
    m = _MINUTES.match(value.strip().lower())
    if not m or not (m["h"] or m["m"]):
        return None
    return LineFacts("fact", runtime=int(m["h"] or 0) * 60 + int(m["m"] or 0))
