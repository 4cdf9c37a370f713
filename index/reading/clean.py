"""A scraped review page (as text) -> its parts: the film its heading names, byline, date,
rating, the facts its labels state, and the body once.

The page is read in three parts. The header runs up to the first paragraph of prose: the
heading is the line that best names a film there (one that says "review" or gives a bracketed
year, else a year-less one, else the first title-like line), and its other lines are bylines,
dates, ratings and labels. The body runs from there to the rating block; a repeated lead,
boilerplate and label lines are dropped. After the rating block everything is furniture, but
its labels ("Genre: Drama") are still read.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from index.knowledge.film_names import BRACKETED_YEAR, FilmName, split_film_name
from index.reading.dates import parse_date
from index.reading.headings import FURNITURE_WORDS, Heading, countries_named, read_heading
from index.reading.labels import LineFacts, read_line
from index.reading.ratings import RatingError, normalize_rating, page_scale

__all__ = ["CleanPage", "clean_page", "parse_date", "title_line"]

# A title line of the strict kind: the film's name with its year in brackets, perhaps between
# "Review:" and "- Film Review - <site>".
_TITLE_LINE = re.compile(
    r"^(?:(?:movie|film)?\s*review\s*[:\-–—|]\s*)?"
    rf"(?P<name>.+?\s*{BRACKETED_YEAR})"
    r"\s*(?:[:\-–—|]\s*(?:(?:movie|film)\s+)?review\b.*)?$",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"\b(?:unsubscribe|subscribe|newsletter|sign up|log in|cookie|advertis|sponsored|"
    r"all rights reserved|privacy policy|terms of (?:use|service)|share (?:this|on)|"
    r"follow us|related (?:posts|articles|reviews)|read more|comments?\b|leave a reply|"
    r"tags?:|filed under|posted in|share:|tweet|facebook|instagram|pinterest|whatsapp|"
    r"copyright|skip to content)|©",
    re.IGNORECASE,
)
# Words of a page's furniture that a lone name under the heading never has ("Print This Page").
_NOT_NAME_WORDS = frozenset(
    "festival print this page show more sharing options read next previous post posts top back "
    "all view on to of in for with by at from you your our my email link copy comments".split()
)
FACT_FIELDS = ("director", "countries", "genres", "languages", "cast", "runtime")


def title_line(line: str) -> FilmName | None:
    """The film a strict title line names ("Heat (1995) - Film Review"), if the line is one."""
    if (m := _TITLE_LINE.match(line)) and (name := split_film_name(m["name"])).year:
        return name
    return None


@dataclass
class CleanPage:
    title: str | None = None
    year: int | None = None
    bare_year: bool = False  # "X 1996": the year might be part of the title
    reviewer: str | None = None
    date: dt.date | None = None
    rating: float | None = None
    rating_raw: str | None = None
    stars: float | None = None  # what the page says its stars are out of
    reviewer_guessed: bool = False  # a bare name under the heading, no "By"
    body: str = ""
    notes: list[str] = field(default_factory=list)
    # Facts the page states about its film in labels or its heading ("Director: X").
    facts: dict[str, Any] = field(default_factory=dict)


def _norm(line: str) -> str:
    # NFKC writes "½" as "1⁄2" (a fraction slash): read it as the "1/2" pages also write.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", line)).replace("⁄", "/").strip()


# Labels run together on one line, as inline credits come out of HTML: "Written by: A Directed
# by: B Starring: C".
_LABEL_START = re.compile(
    r"\s+(?=(?:Written by|Directed by|Director|Starring|Cast|Genre|Country|Language|Running time|"
    r"Runtime|Rating|Certificate)\s*:)"
)


def _split_labels(line: str) -> list[str]:
    if len(line) > 300 or len(_LABEL_START.findall(line)) < 1 or ":" not in line[:40]:
        return [line]
    return _LABEL_START.split(line)


def _is_prose(line: str) -> bool:
    words = line.split()
    return (len(words) >= 8 and bool(re.search(r"[.!?…\"”')]$", line))) or len(words) >= 20


def clean_page(text: str) -> CleanPage:
    """Split a scraped page into heading, header facts, body and furniture."""
    lines = [part for raw in text.splitlines() for part in _split_labels(_norm(raw)) if part]
    page = CleanPage()
    page.stars = next((s for line in lines if len(line) < 200 and (s := page_scale(line))), None)
    read = [read_line(line, page.stars) for line in lines]
    title_at = _heading(lines, read, page)
    body_start = _header(lines, read, title_at, page)
    _body(lines, read, body_start, page)
    return page


def _first_prose(lines: list[str], read: list[LineFacts | None], start: int) -> int:
    """Where the body's prose starts: a long line that is no boilerplate, no label and no
    heading ("The Quiet Tide (Le port muet, France-Belgium 2017)" ends like a sentence)."""
    for i in range(start, len(lines)):
        line = lines[i]
        labelled = read[i] is not None and (len(line.split()) <= 12 or " | " in line)
        if _is_prose(line) and not _BOILERPLATE.search(line) and not labelled:
            heading = read_heading(line) if len(line.split()) <= 40 else None
            if heading is None or not heading.marked:
                return i
    return len(lines)


def _heading(lines: list[str], read: list[LineFacts | None], page: CleanPage) -> int:
    """Which line names the film (its index, -1 if none), and what it says."""
    end = min(_first_prose(lines, read, 0), 40)
    found: list[tuple[tuple[int, int, int], Heading]] = []
    rest = " ".join(lines).casefold()
    for i in range(end):
        if read[i] is not None or _BOILERPLATE.search(lines[i]):
            continue
        if heading := read_heading(lines[i]):
            rank = 0 if heading.marked else 1 if heading.year else 2
            named = heading.title.casefold() in rest[len(" ".join(lines[: i + 1])) :]
            found.append(((rank, 0 if named else 1, i), heading))
    if not found:
        return _strict_heading(lines, page)
    (_, _, at), heading = min(found, key=lambda f: f[0])
    page.title, page.year, page.bare_year = heading.title, heading.year, heading.bare_year
    if heading.rating_raw:
        _take_rating(heading.rating_raw, page)
    for name, value in (("director", heading.director), ("countries", heading.countries)):
        if value:
            page.facts[name] = value
    return at


def _strict_heading(lines: list[str], page: CleanPage) -> int:
    """A "Title (2023)" line among the first 40, wherever it stands (as pages were read before)."""
    for i, line in enumerate(lines[:40]):
        if name := title_line(line):
            page.title, page.year = name.title.strip(" \"“”'"), name.year
            return i
    return -1


def _header(lines: list[str], read: list[LineFacts | None], title_at: int, page: CleanPage) -> int:
    """Bylines, dates, ratings and labels before the body; where the body starts."""
    start = title_at + 1
    body_start = _first_prose(lines, read, start)
    if body_start - start > 12:
        body_start = start + 12
    waiting_rating = False
    for i in range(body_start):
        if i == title_at:
            continue
        facts = read[i]
        if waiting_rating and facts is None:
            _take_rating(lines[i], page)
        waiting_rating = facts is not None and facts.label == "rating label"
        if facts is not None:
            _take(facts, page)
        elif i > title_at >= 0:
            _bare_line(lines[i], page)
    bare = page.facts.pop("bare name", None)
    if page.reviewer is None and bare and bare.casefold() != (page.title or "").casefold():
        page.reviewer, page.reviewer_guessed = bare, True
    return body_start


def _bare_line(line: str, page: CleanPage) -> None:
    """A header line after the heading that is only a name (a byline without "By") or only
    countries ("Czech Republic")."""
    words = line.split()
    if 1 <= len(words) <= 5 and (codes := countries_named(line)):
        page.facts.setdefault("countries", codes)
    elif (
        2 <= len(words) <= 4
        and all(w[0].isupper() and w[1:].islower() for w in words if w.isalpha())
        and all(w.isalpha() or w in {"-", "'"} for w in words)
        and not any(w.lower() in FURNITURE_WORDS or w.lower() in _NOT_NAME_WORDS for w in words)
    ):
        page.facts.setdefault("bare name", line)


def _take(facts: LineFacts, page: CleanPage) -> None:
    if facts.reviewer and page.reviewer is None:
        page.reviewer = facts.reviewer
    if facts.date and page.date is None:
        page.date = facts.date
    if facts.rating_raw and page.rating_raw is None:
        _take_rating(facts.rating_raw, page)
    if facts.year and page.year is None:
        page.year = facts.year
    for name in FACT_FIELDS:
        if (value := getattr(facts, name)) and name not in page.facts:
            page.facts[name] = value


def _take_rating(raw: str, page: CleanPage) -> bool:
    try:
        page.rating = normalize_rating(raw, stars=page.stars)
    except RatingError:
        page.notes.append(f"rating {raw!r} not understood")
        return False
    page.rating_raw = raw
    return True


def _body(lines: list[str], read: list[LineFacts | None], start: int, page: CleanPage) -> None:
    """The review's paragraphs, once each, up to the rating block; labels anywhere are read."""
    body: list[str] = []
    seen: set[str] = set()
    ended = False
    for i in range(start, len(lines)):
        line, facts = lines[i], read[i]
        short = len(line.split()) <= 12 and not _is_prose(line)
        if ended:
            if facts is not None and facts.label == "fact":
                _take(facts, page)
            continue
        if (
            facts is not None
            and facts.label in {"rating", "rating label"}
            and len(line.split()) <= 8
        ):
            ended = _rating_block(lines, i, facts, page)
            if ended:
                continue
        if facts is not None and short and facts.label != "rating":
            _take(facts, page)
            continue
        key = line.casefold()
        if len(line.split()) < 15 and page_scale(line):
            continue  # "All our ratings are out of three stars."
        if key in seen:
            page.notes.append("dropped a repeated paragraph")
        elif _BOILERPLATE.search(line) and (
            not _is_prose(line) or (len(line.split()) < 25 and not body)
        ):
            pass
        else:
            seen.add(key)
            body.append(line)
    # Trailing furniture without a rating block: short non-prose lines at the end.
    while body and not _is_prose(body[-1]) and len(body[-1].split()) < 8:
        body.pop()
    page.body = "\n\n".join(body)


def _rating_block(lines: list[str], i: int, facts: LineFacts, page: CleanPage) -> bool:
    """A rating line (or a label over one) ends the body; a rating already read in the header
    stands."""
    raw = facts.rating_raw or (lines[i + 1] if i + 1 < len(lines) else "")
    if page.rating_raw is not None and page.rating is not None:
        return True
    if facts.label == "rating label":
        try:
            normalize_rating(raw, stars=page.stars)
        except RatingError:
            return False
    return _take_rating(raw, page) or facts.label == "rating"
