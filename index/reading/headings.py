"""Which film a page's heading names, and what else the heading says.

Real title lines rarely carry "(year)". The shapes read here: "Review: X", "Movie Review: ‘X’",
"Festival 2021 Review: X", "X review", "‘X’ review – a standfirst", "X (2019) – Film Review –
Site", "X [1966] ★★★★", "X 1996", "X (2000) dir. Y", "X (dir. Y, 2018)", "X (Original title,
France-Belgium 2017)", and a bare "X". A certificate ("X (15)", "X (12A)") is not a year.

A heading that says it is a review, or gives its year in brackets, is `marked`: a page's marked
heading wins over a bare one (a section name, a menu word) wherever it stands in the header.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from index.knowledge.countries import name_table
from index.knowledge.film_names import YEAR, split_film_name

_REVIEW_PREFIX = re.compile(
    r"^(?:[\w'’ ]{0,40}?\b(?:18|19|20)\d\d\s+)?(?:(?:movie|film|tv|dvd|blu-ray)\s+)?"
    r"(?:short\s+)?review(?:\s+in\s+brief)?\s*[:\-–—|]\s*",
    re.IGNORECASE,
)
_REVIEW_OF = re.compile(r"^(?:.{0,60}?\s)?review of\s+", re.IGNORECASE)
_QUOTED_REVIEW = re.compile(
    r"^[‘'\"“](?P<title>[^’'\"”]{1,120})[’'\"”]\s*(?:(?:movie|film)\s+)?review\b.*$",
    re.IGNORECASE,
)
_REVIEW_SUFFIX = re.compile(
    r"(?:\s*[:\-–—|•]\s*|\s+)(?:(?:movie|film)\s+)?review\b(?:\s*[:\-–—|•].*)?$", re.IGNORECASE
)
_TRAILING_STARS = re.compile(r"\s*(?P<stars>[★☆✭✮⭐✩]+\s*(?:½|1\s*[/⁄]\s*2)?)\s*$")
_TRAILING_SCORE = re.compile(r"\s*(?:[\-–—|:]\s*|\()(?P<score>\d+(?:\.\d+)?\s*/\s*\d+)\)?\s*$")
_NAME = r"(?P<director>[^\W\d_][\w.'’\- ]{1,60}?)"
_TRAILING_DIRECTOR = re.compile(rf"\s*[,\-–—|]?\s*\b(?i:dir\.|dir:|directed by)\s*{_NAME}\s*$")
_BRACKETS_AT_END = re.compile(r"\s*[\(\[](?P<inside>[^()\[\]]{1,120})[\)\]]\s*$")
_DIRECTOR_INSIDE = re.compile(rf"^(?i:dir\.?|directed by)\s*{_NAME}(?:,\s*(?P<year>{YEAR}))?$")
_NOTE_WITH_YEAR = re.compile(rf"^(?P<note>.*?)[,\s]+(?P<year>{YEAR})$")
_CERTIFICATE = re.compile(
    r"^(?:U|PG|12A?|15|18|R|G|PG-13|NC-17|M|MA ?15\+?|R ?18\+?|TV-(?:MA|14|PG)|[0-9]{1,2}\+)$",
    re.IGNORECASE,
)
_BARE_YEAR = re.compile(rf"\s+(?P<year>{YEAR})$")
_QUOTES = " \t'\"‘’“”«»"
_TAIL = " \t:;,-–—|•·"
# Words a menu or a section line is made of: such a line names no film.
FURNITURE_WORDS = frozenset(
    "home menu search sign in log create account register subscribe newsletter films film "
    "movies movie lists list members journal reviews review news features podcast about "
    "contact share skip to content main navigation categories category archive archives tags "
    "popular recent latest more the classic corner section latest interviews festivals "
    "streaming blog and & | · • trailers tv shows watchlist profile".split()
)


@dataclass(frozen=True)
class Heading:
    title: str
    year: int | None = None
    bare_year: bool = False  # "X 1996": the year may be part of the title ("Wonder Woman 1984")
    marked: bool = False
    director: str | None = None
    countries: tuple[str, ...] = ()
    original_title: str | None = None
    rating_raw: str | None = None


def read_heading(line: str) -> Heading | None:
    """The film a heading-like line names, and what else it says; None for a line that is
    no heading (prose, menu words, a number)."""
    text = line.strip()
    if m := _QUOTED_REVIEW.match(text[:300]):  # "‘X’ Review: a long standfirst ..."
        text, marked = m["title"], True
    elif not text or len(text) > 160 or len(text.split()) > 24:
        return None
    else:
        text, marked = _without_review_words(text)
    text = _headline_title(text, marked)
    heading = Heading(title="", marked=marked)
    text, heading = _take_rating(text, heading)
    text, heading = _take_director(text, heading)
    text, heading = _take_brackets(text, heading)
    text, heading = _take_bare_year(text, heading)
    title = text.strip(_QUOTES).strip(_TAIL).strip(_QUOTES)
    if not _looks_like_title(title, heading):
        return None
    return replace(heading, title=title)


_QUOTED_LEAD = re.compile(r"^[‘\"“'](?P<title>[^’\"”']{1,120})[’\"”'](?=[\s:,]+\S)")
_CAPS_THEN_TAGLINE = re.compile(r"^(?P<caps>[^a-z:]{2,80}?):\s+(?P<tagline>.*[a-z].*)$")
_TAGLINE_THEN_CAPS = re.compile(r"^(?P<column>[^:]*[a-z][^:]*):\s+(?P<caps>[^a-z]{2,80})$")
_DASH_TAGLINE = re.compile(
    r"^(?P<title>[^–—]{2,80}?)\s+[–—]\s+(?P<tagline>(?:a|an|the)\s.*)$", re.I
)


def _headline_title(text: str, marked: bool) -> str:
    """The film's name inside a headline: "“X” Perfectly Depicts ...", "X IN CAPS: A Tagline",
    "Column Name: X IN CAPS (1968)", "X – A poignant tale"."""
    if m := _QUOTED_LEAD.match(text):
        return m["title"]
    if (m := _CAPS_THEN_TAGLINE.match(text)) and re.search(r"[A-Z]", m["caps"]):
        return m["caps"]
    if (m := _TAGLINE_THEN_CAPS.match(text)) and re.search(r"[A-Z]{2}", m["caps"]):
        return m["caps"]
    if m := _DASH_TAGLINE.match(text):
        return m["title"]
    return text


def _take_bare_year(text: str, heading: Heading) -> tuple[str, Heading]:
    """ "Northern Fires 1996": a year, though it may belong to the title; never a future one
    ("Blade Runner 2049")."""
    m = _BARE_YEAR.search(text)
    if heading.year is not None or not m or not text[: m.start()].strip():
        return text, heading
    if int(m["year"]) > dt.date.today().year + 1:
        return text, heading
    return text[: m.start()], replace(heading, year=int(m["year"]), bare_year=True)


def _without_review_words(text: str) -> tuple[str, bool]:
    """The line without "Review:" before or "- Film Review - Site" after the film's name."""
    marked = False
    if m := _REVIEW_PREFIX.match(text) or _REVIEW_OF.match(text):
        text, marked = text[m.end() :], True
    if (m := _REVIEW_SUFFIX.search(text)) and text[: m.start()].strip(_QUOTES + _TAIL):
        text, marked = text[: m.start()], True
    return text, marked


def _take_rating(text: str, heading: Heading) -> tuple[str, Heading]:
    for pattern, group in ((_TRAILING_STARS, "stars"), (_TRAILING_SCORE, "score")):
        if (m := pattern.search(text)) and text[: m.start()].strip():
            return text[: m.start()], replace(heading, rating_raw=m[group].strip())
    return text, heading


def _take_director(text: str, heading: Heading) -> tuple[str, Heading]:
    if (m := _TRAILING_DIRECTOR.search(text)) and text[: m.start()].strip():
        return text[: m.start()], replace(heading, director=m["director"].strip(" .,"))
    return text, heading


def _take_brackets(text: str, heading: Heading) -> tuple[str, Heading]:
    """A bracketed group ending the name: a year, a certificate, "dir. Y, 2018", or "Original
    title, Country Year"; any other (an alternative title) stays part of the title."""
    m = _BRACKETS_AT_END.search(text)
    if not m or not text[: m.start()].strip():
        return text, heading
    inside, before = m["inside"].strip(), text[: m.start()]
    if (name := split_film_name(f"x ({inside})")).year is not None:
        return before, replace(heading, year=name.year, marked=True)
    if _CERTIFICATE.match(inside):
        return before, heading
    if d := _DIRECTOR_INSIDE.match(inside):
        year = int(d["year"]) if d["year"] else heading.year
        return before, replace(heading, director=d["director"].strip(" .,"), year=year, marked=True)
    if n := _NOTE_WITH_YEAR.match(inside):
        countries, original = _countries_and_title(n["note"])
        return before, replace(
            heading,
            year=int(n["year"]),
            countries=countries,
            original_title=original,
            marked=True,
        )
    return text, heading


def _countries_and_title(note: str) -> tuple[tuple[str, ...], str | None]:
    """ "Le port muet, France-Belgium" -> (("FR", "BE"), "Le port muet")."""
    countries: list[str] = []
    rest: list[str] = []
    for part in (p.strip() for p in note.split(",")):
        codes = countries_named(part)
        if codes:
            countries += [c for c in codes if c not in countries]
        elif part:
            rest.append(part)
    return tuple(countries), ", ".join(rest) or None


def countries_named(text: str) -> tuple[str, ...]:
    """The countries a short text is made of ("France-Belgium", "Austria/Germany", "UK"),
    or () when any part of it is not a country."""
    table = name_table()
    if code := table.get(text.strip().lower()):
        return (code,)
    parts = [
        p.strip().lower() for p in re.split(r"\s*(?:/|,|&|\band\b|–|—|(?<=\w)-(?=[A-Z]))\s*", text)
    ]
    if not parts or not all(parts):
        return ()
    codes = [table.get(p) for p in parts]
    if any(c is None for c in codes):
        return ()
    return tuple(dict.fromkeys(c for c in codes if c))


def _looks_like_title(title: str, heading: Heading) -> bool:
    words = title.split()
    if not words or len(words) > 14 or not re.search(r"[^\W\d_]", title):
        return False
    if heading.marked or heading.year is not None:
        return True
    if title[-1] in ".!?;," and not title.endswith("..."):
        return False
    if all(w.strip(".,:;!?()").lower() in FURNITURE_WORDS for w in words):
        return False
    first = title.lstrip(_QUOTES)[:1]
    return bool(first) and (first.isupper() or first.isdigit())
