"""One record's fields -> a validated Review, or the reason it cannot be used.

Every reader ends here, so a field means the same thing whichever file it came from: a record's
own fields win, then what its page says of itself (title line, byline, rating block), then what
its prose says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from config import IngestSettings
from index.knowledge.catalogue import imdb_id_in
from index.knowledge.countries import UnknownCountry, country_code
from index.knowledge.film_names import year_value
from index.knowledge.genres import UnknownGenre, canonical_genres
from index.knowledge.languages import UnknownLanguage, language_code
from index.reading.clean import title_line
from index.reading.dates import parse_date
from index.reading.extract import extract
from index.reading.ratings import RatingError, normalize_rating
from index.reading.statements import Stated, stated
from index.text import clean, cleaned
from index.types import Problem, Review

FIELDS = tuple(
    "id title year text rating reviewer date countries genres director cast platform url "
    "imdb_id runtime languages rating_scale".split()
)
FACT_FIELDS = ("countries", "genres", "director", "cast", "platform", "runtime", "languages")
# Other names people give the same fields (IMDb dumps, scrapers, spreadsheets).
FIELD_ALIASES = {
    "review_id": "id", "name": "title", "film": "title", "movie": "title", "review": "text",
    "body": "text", "content": "text", "review_text": "text", "score": "rating",
    "stars": "rating", "grade": "rating", "author": "reviewer", "critic": "reviewer",
    "user": "reviewer", "published": "date", "review_date": "date", "country": "countries",
    "genre": "genres", "directors": "director", "actors": "cast", "starring": "cast",
    "link": "url", "streaming": "platform", "letterboxd uri": "url", "your rating": "rating",
    "const": "imdb_id", "tconst": "imdb_id", "imdb": "imdb_id", "imdb id": "imdb_id",
    "runtime (mins)": "runtime", "runtime_minutes": "runtime", "minutes": "runtime",
    "language": "languages", "original_language": "languages", "date rated": "date",
    "scale": "rating_scale", "out_of": "rating_scale",
}  # fmt: skip
NO_RECORD_TEXT = "no review text (expected a 'text' field) and no rating"
NO_PAGE_TEXT = "no review text found on the page"


@dataclass
class Built:
    """What one record gave: a review, or the problem that refused it; and its warnings."""

    source: str
    location: str
    review: Review | None = None
    rejected: Problem | None = None
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, reason: str) -> None:
        self.warnings.append(Problem(self.source, self.location, reason))

    def reject(self, reason: str) -> Built:
        self.rejected = Problem(self.source, self.location, reason)
        return self


class Refused(ValueError):
    """The record cannot be used; the message says why."""


def split_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"[|;,/]", str(value)) if part.strip()]


def review_key(
    title: str,
    year: int | None,
    reviewer: str | None,
    source: str,
    location: str,
    url: str | None = None,
) -> str:
    """A stable id for a review with no id of its own: one reviewer reviews a film once; a
    review with a URL of its own (a Letterboxd entry) is that URL."""
    who = (reviewer or "").casefold().strip() or (url or "").strip() or f"{source}#{location}"
    basis = f"{title.casefold().strip()}|{year or ''}|{who}"
    return "r-" + hashlib.sha1(basis.encode()).hexdigest()[:16]


def build_review(
    record: Mapping[str, Any],
    source: str,
    location: str,
    limits: IngestSettings,
    inferred: Mapping[str, Any] | None = None,
    rating_scale: float | None = None,
) -> Built:
    """Validate one record into a Review, or say why it cannot be used. `inferred`: what the
    record's page says of itself (a page's records only); `rating_scale`: what bare-number
    ratings are out of (a record's own scale wins)."""
    built = Built(source, location)
    given, extra = _named_fields(record, built)
    seen = {k: _clean_value(v)[0] for k, v in (inferred or {}).items()}
    try:
        text = _text(given, limits, built, NO_RECORD_TEXT if inferred is None else NO_PAGE_TEXT)
        title, year = _title_and_year(given, seen, text, built)
        rating, rating_raw = _rating(given, seen, rating_scale)
    except Refused as exc:
        return built.reject(str(exc))
    if seen.get("bare_year") and year and "title" not in given:
        extra["title_as_written"] = f"{title} {year}"  # "Wonder Woman 1984": may be the title
    date = _date(given, seen, built)
    said = _said(text, title, seen.get("facts") or {}, page=inferred is not None)
    facts = _facts(given, said, built, extra)
    reviewer = str(given.get("reviewer") or seen.get("reviewer") or "").strip() or None
    url = str(given["url"]).strip() if "url" in given else None
    review_id = str(given["id"]).strip() if "id" in given else None
    try:
        built.review = Review(
            review_id=review_id or review_key(title, year, reviewer, source, location, url),
            title=title,
            year=year,
            text=text,
            rating=rating,
            rating_raw=None if rating_raw is None else str(rating_raw),
            reviewer=reviewer,
            date=date,
            imdb_id=imdb_id_in(str(given.get("imdb_id") or "")) or imdb_id_in(url),
            url=url,
            source=source,
            location=location,
            given=tuple(f for f in FACT_FIELDS if f in given),
            extra={k: v for k, v in extra.items() if _jsonable(v)},
            **facts,
        )
    except ValidationError as exc:
        return built.reject(
            "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        )
    return built


def _named_fields(record: Mapping[str, Any], built: Built) -> tuple[dict, dict]:
    """The record's fields under their own names (aliases read), and the rest as extras; a
    warning when a value had control or invisible characters."""
    given: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    scrubbed: list[str] = []
    for key, value in record.items():
        name = FIELD_ALIASES.get(clean(str(key)).strip().lower(), clean(str(key)).strip().lower())
        value, changed = _clean_value(value)
        if changed:
            scrubbed.append(name)
        if name in FIELDS and name not in given:
            if value is not None and value != "" and value != []:
                given[name] = value
        else:
            extra[str(key)] = value
    if scrubbed:
        built.warn(
            f"control or invisible characters removed from {', '.join(dict.fromkeys(scrubbed))}"
        )
    return given, extra


def _text_of(value: Any) -> str:
    text = str(value or "")
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</?(?:p|div)[^>]*>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]{1,200}>", "", text)
    paragraphs = [re.sub(r"[ \t\r\f\v]+", " ", p).strip() for p in re.split(r"\n\s*\n|\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _text(given: dict, limits: IngestSettings, built: Built, no_text: str) -> str:
    text = _text_of(given.get("text"))
    if not text.strip() and given.get("rating") is None:
        raise Refused(no_text)
    if len(text) > limits.max_text_chars:
        built.warn(f"text cut from {len(text)} to {limits.max_text_chars} characters")
        text = text[: limits.max_text_chars]
    return text


def _title_and_year(given: dict, seen: dict, text: str, built: Built) -> tuple[str, int | None]:
    """The record's title, else its page's, else a title line among the text's first lines."""
    title = str(given.get("title") or seen.get("title") or "").strip()
    written = given.get("year", seen.get("year"))
    if not title:
        for line in text.splitlines()[:5]:
            if name := title_line(line.strip()):
                title, written = name.title, written or name.year
                break
    if not title:
        raise Refused("no film title (expected a 'title' field or a line like 'Title (2023)')")
    if len(title) > 300:
        raise Refused(f"title is {len(title)} characters long; is it the review text?")
    try:
        return title, year_value(written)
    except ValueError as exc:
        built.warn(str(exc))
        return title, None


def _rating(given: dict, seen: dict, scale: float | None) -> tuple[float | None, Any]:
    raw = given.get("rating", seen.get("rating_raw"))
    if "rating_scale" in given:
        try:
            scale = float(given["rating_scale"])
        except (TypeError, ValueError):
            raise Refused(f"rating_scale {given['rating_scale']!r} is not a number") from None
    if raw is None:
        return None, None
    try:
        return normalize_rating(raw, scale, stars=seen.get("stars")), raw
    except RatingError as exc:
        raise Refused(str(exc)) from None


def _date(given: dict, seen: dict, built: Built) -> dt.date | None:
    value = given.get("date")
    if value is None or value == "":
        return seen.get("date")
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    if parsed := parse_date(text):
        return parsed
    built.warn(f"date {value!r} is not a calendar date")
    return seen.get("date")


STATED = ("countries", "languages", "genres", "director")


def _said(text: str, title: str, labelled: Mapping[str, Any], page: bool) -> dict[str, Any]:
    """What the review says of its film, strongest first: its page's labels and heading
    ("Director: X"), then statements whose subject is the film ("<Title> is a Chilean
    thriller"), then looser prose cues (reading/extract.py). `stated` names the facts that
    came from the first two, which one review may establish on its own.

    Statements are read on a critic's page only: on user reviews (records) they reach a
    precision of about 0.8 (benchmarks/EVAL.md, "Review pages"), below the 0.9 that prose
    facts must keep there."""
    found = extract(text)
    plain = stated(text, title) if page else Stated()
    facts: dict[str, Any] = {
        "countries": found.countries,
        "genres": found.genres,
        "director": found.director,
        "cast": tuple(labelled.get("cast") or found.cast),
        "platform": found.platform,
        "languages": (),
        "runtime": labelled.get("runtime"),
        "stated": (),
    }
    strong: list[str] = []
    for name in STATED:
        if value := labelled.get(name) or getattr(plain, name):
            facts[name] = value
            strong.append(name)
    facts["stated"] = tuple(strong)
    return facts


def _facts(given: dict, said: dict[str, Any], built: Built, extra: dict) -> dict[str, Any]:
    """The film facts a review carries: the record's own fields where it gives them, else what
    its page and prose say. Names not understood become warnings (and, for countries and
    genres, extras), never losses."""
    facts = dict(said)
    unknown = (UnknownCountry, UnknownGenre, UnknownLanguage)
    lookups: dict[str, tuple[Callable[[str], Iterable[str]], str | None]] = {
        "countries": (lambda name: [country_code(name)], "unrecognised_countries"),
        "genres": (canonical_genres, "unrecognised_genres"),
        "languages": (lambda name: [language_code(name)], None),
    }
    for name, (lookup, extra_key) in lookups.items():
        if name in given:
            codes, missed = _known(split_list(given[name]), lookup, unknown, built)
            facts[name] = tuple(codes)
            if missed and extra_key:
                extra.setdefault(extra_key, []).extend(missed)
    if "director" in given:
        facts["director"] = str(given["director"]).strip()
    if "cast" in given:
        facts["cast"] = tuple(split_list(given["cast"]))
    if "platform" in given:
        facts["platform"] = str(given["platform"]).strip()
    facts["stated"] = tuple(f for f in facts["stated"] if f not in given)
    if "runtime" in given:
        try:
            facts["runtime"] = int(float(str(given["runtime"]).strip()))
        except ValueError:
            built.warn(f"runtime {given['runtime']!r} is not a number of minutes")
    return facts


def _known(
    names: list[str],
    lookup: Callable[[str], Iterable[str]],
    unknown: tuple[type[Exception], ...],
    built: Built,
) -> tuple[list[str], list[str]]:
    """Each name's codes in order, once each, and the names not understood (with a warning)."""
    codes: list[str] = []
    missed: list[str] = []
    for name in names:
        try:
            codes += [code for code in lookup(name) if code not in codes]
        except unknown as exc:
            built.warn(str(exc))
            missed.append(name)
    return codes, missed


def _clean_value(value: Any) -> tuple[Any, bool]:
    """A record's value without control or invisible characters, and whether it had any."""
    if isinstance(value, str):
        return cleaned(value)
    if isinstance(value, list | tuple):
        parts = [_clean_value(v) for v in value]
        return [v for v, _ in parts], any(changed for _, changed in parts)
    return value, False


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True
