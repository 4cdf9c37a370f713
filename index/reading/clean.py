"""Turn a scraped review page into its parts: title, year, byline, date, rating, body once."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from index.knowledge.film_names import BRACKETED_YEAR, FilmName, split_film_name
from index.reading.ratings import RatingError, normalize_rating

# A title line: the film's name with its year in brackets, perhaps between "Review:" and
# "- Film Review - <site>".
_TITLE_LINE = re.compile(
    r"^(?:(?:movie|film)?\s*review\s*[:\-–—|]\s*)?"
    rf"(?P<name>.+?\s*{BRACKETED_YEAR})"
    r"\s*(?:[:\-–—|]\s*(?:(?:movie|film)\s+)?review\b.*)?$",
    re.IGNORECASE,
)


def title_line(line: str) -> FilmName | None:
    """The film a title line names ("Heat (1995) - Film Review"), if the line is one."""
    if (m := _TITLE_LINE.match(line)) and (name := split_film_name(m["name"])).year:
        return name
    return None


_BYLINE = re.compile(
    r"^(?:by|written by|reviewed by|review by|words by)\s*:?\s+(?P<name>[^|,•·]{2,60}?)"
    r"(?:\s*[|,•·-].*)?$",
    re.IGNORECASE,
)
_RATING_LABEL = re.compile(
    r"^(?:our|my|the|final|overall)?\s*(?:rating|score|verdict|grade)\s*:?\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_RATING_ALONE = re.compile(
    r"^(?:\d+(?:\.\d+)?\s*½?\s*(?:/|out of)\s*\d+(?:\s*stars?)?|\d+(?:\.\d+)?\s*½?\s*stars?|"
    r"[★⭐]+\s*½?\s*[☆]*|\d{1,3}\s*%)$",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"\b(?:unsubscribe|subscribe|newsletter|sign up|log in|cookie|advertis|sponsored|"
    r"all rights reserved|privacy policy|terms of (?:use|service)|share (?:this|on)|"
    r"follow us|related (?:posts|articles|reviews)|read more|comments?\b|leave a reply|"
    r"tags?:|filed under|posted in|share:|tweet|facebook|instagram|pinterest|whatsapp|"
    r"copyright)|©",
    re.IGNORECASE,
)
_DATE_PREFIX = re.compile(r"^[\s\-–—•·|]*(?:published|posted|updated|on)?\s*:?\s*", re.IGNORECASE)


@dataclass
class CleanPage:
    title: str | None = None
    year: int | None = None
    reviewer: str | None = None
    date: dt.date | None = None
    rating: float | None = None
    rating_raw: str | None = None
    body: str = ""
    notes: list[str] = field(default_factory=list)


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", line)).strip()


@cache
def _dateparser():  # imported lazily: dateparser costs ~0.5 s at import
    import dateparser

    return dateparser


def parse_date(text: str) -> dt.date | None:
    """A full calendar date in a short line, or None; never guesses a missing day."""
    text = _DATE_PREFIX.sub("", text).strip(" -–—•·|")
    if not text or len(text) > 40 or not re.search(r"\d", text):
        return None
    parsed = _dateparser().parse(
        text,
        languages=["en"],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date() if parsed else None


def _is_prose(line: str) -> bool:
    words = line.split()
    return len(words) >= 8 and bool(re.search(r"[.!?…\"”')]$", line))


def clean_page(text: str) -> CleanPage:
    """Split a scraped page: header lines up to the first prose paragraph after the title,
    the body, then everything from the rating block on (including a repeated lead) dropped."""
    lines = [_norm(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    page = CleanPage()

    start = 0
    for i, line in enumerate(lines[:40]):
        if name := title_line(line):
            page.title, page.year, start = name.title.strip(" \"“”'"), name.year, i + 1
            break

    # Header: short lines after the title (category, byline, date) until prose starts.
    body_start = start
    for i in range(start, min(len(lines), start + 12)):
        line = lines[i]
        if _is_prose(line) and not _BOILERPLATE.search(line):
            body_start = i
            break
        if (m := _BYLINE.match(line)) and page.reviewer is None:
            page.reviewer = m["name"].strip()
        elif page.date is None and (date := parse_date(line)):
            page.date = date
        body_start = i + 1

    body: list[str] = []
    seen: set[str] = set()
    i = body_start
    while i < len(lines):
        line = lines[i]
        label = _RATING_LABEL.match(line) if len(line.split()) <= 6 else None
        if label or _RATING_ALONE.match(line):
            raw = (label["value"] if label else line).strip()
            if label and not raw and i + 1 < len(lines):
                raw = lines[i + 1]
            try:
                page.rating, page.rating_raw = normalize_rating(raw), raw
                break  # everything after the rating block is page furniture
            except RatingError:
                if label and raw:
                    page.notes.append(f"rating {raw!r} not understood")
                    break
        key = line.casefold()
        if key in seen:
            page.notes.append("dropped a repeated paragraph")
        elif (_BOILERPLATE.search(line) and not _is_prose(line)) or (
            _BOILERPLATE.search(line) and len(line.split()) < 25 and not body
        ):
            pass
        else:
            seen.add(key)
            body.append(line)
        i += 1

    # Trailing furniture without a rating block: short non-prose lines at the end.
    while body and not _is_prose(body[-1]) and len(body[-1].split()) < 8:
        body.pop()
    page.body = "\n\n".join(body)
    return page
