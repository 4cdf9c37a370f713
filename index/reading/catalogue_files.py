"""Catalogue files (CSV, TSV, JSONL): one film a row, facts only, no review text.

    imdb_id,title,year,countries,genres,directors,cast,runtime_minutes,languages,poster_url

and optionally `writers` (known to the question parser, never a filter).

Lists are `A|B` or JSON arrays; countries are names or ISO codes, languages names or ISO 639
codes. A row that cannot be used, and a value that is not understood, is reported with its
file, row and reason; the rest of the file is kept.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.knowledge.catalogue import CatalogueFilm, imdb_id_in
from index.knowledge.countries import UnknownCountry, country_code
from index.knowledge.genres import UnknownGenre, canonical_genres
from index.knowledge.languages import UnknownLanguage, language_code
from index.reading.readers import FileError, decode, records_csv, records_jsonl, split_list
from index.types import Problem

COLUMNS = (
    "imdb_id",
    "title",
    "year",
    "countries",
    "genres",
    "directors",
    "cast",
    "runtime_minutes",
    "languages",
    "poster_url",
)
ALIASES = {
    "tconst": "imdb_id", "const": "imdb_id", "imdb": "imdb_id", "id": "imdb_id",
    "name": "title", "film": "title", "original_title": "original_title",
    "country": "countries", "genre": "genres", "director": "directors", "actors": "cast",
    "starring": "cast", "runtime": "runtime_minutes", "runtime (mins)": "runtime_minutes",
    "minutes": "runtime_minutes", "language": "languages", "original_language": "languages",
    "poster": "poster_url", "akas": "akas", "alternative_titles": "akas",
    "writer": "writers", "screenplay": "writers",
}  # fmt: skip
KINDS = {".csv": ",", ".tsv": "\t", ".jsonl": None, ".ndjson": None}
MAX_PROBLEMS = 200  # listed in a report; the rest are counted


@dataclass
class CatalogueReport:
    """What an import read: rows, films kept, rows skipped, and why (the first ones listed)."""

    rows: int = 0
    kept: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0

    def problem(self, source: str, location: str, reason: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(source, location, reason))
        else:
            self.more_problems += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "kept": self.kept,
            "skipped": self.skipped,
            "problems": [p.__dict__ for p in self.problems],
            "more_problems": self.more_problems,
        }


def _list(value: Any) -> list[str]:
    if isinstance(value, str) and value.strip().startswith("["):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, str):
        return [part.strip() for part in value.split("|") if part.strip()]
    return split_list(value)


def _int(value: Any, what: str, low: int, high: int) -> int | None:
    """A whole number within its range (a number, or text that is one), or None for none;
    anything else (1e400, NaN, 1999.5, true, a list) is a ValueError saying which."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "\\N")):
        return None
    shown = str(value)[:40]
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{what} {shown!r} is not a number")
    try:
        number = float(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValueError(f"{what} {shown!r} is not a number") from None
    if isinstance(number, float) and not (math.isfinite(number) and number.is_integer()):
        raise ValueError(f"{what} {shown!r} is not a whole number")
    if not low <= number <= high:
        raise ValueError(f"{what} {shown!r} is outside {low}-{high}")
    return int(number)


def safe_url(value: Any) -> str | None:
    """Only http(s) URLs are kept: a poster is shown to people, never a script or a file."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) and " " not in text else None


def film_from_record(
    record: dict[str, Any], source: str, location: str, report: CatalogueReport
) -> CatalogueFilm | None:
    """A catalogue film from one record, every value it gives checked; a value that does
    not fit is a located problem and left out, a record without a title is none."""
    given = {}
    for key, value in record.items():
        name = ALIASES.get(str(key).strip().lower(), str(key).strip().lower())
        if value not in (None, "", [], "\\N") and name not in given:
            given[name] = value
    raw_title = given.get("title")
    if isinstance(raw_title, list | dict | bool):
        report.problem(source, location, f"title {str(raw_title)[:40]!r} is not text")
        return None
    title = str(raw_title or "").strip()
    if not title:
        report.problem(source, location, "no film title (expected a 'title' column)")
        return None

    def bad(reason: str) -> None:
        report.problem(source, location, reason)

    year = _checked(lambda: _int(given.get("year"), "year", 1870, 2100), bad)
    runtime = _checked(lambda: _int(given.get("runtime_minutes"), "runtime", 1, 1500), bad)
    imdb_id = imdb_id_in(str(given.get("imdb_id") or ""))
    if "imdb_id" in given and imdb_id is None:
        bad(f"imdb_id {given['imdb_id']!r} is not an IMDb title id (tt1234567)")
    facts = {**_facts(given, bad), "runtime": runtime}
    label = f"catalogue:{Path(source).name}"
    return CatalogueFilm(
        key=CatalogueFilm.key_for(imdb_id, title, year),
        title=title,
        year=year,
        imdb_id=imdb_id,
        original_title=str(given.get("original_title") or "").strip() or None,
        akas=tuple(_list(given.get("akas"))),
        writers=tuple(_list(given.get("writers"))),
        sources={name: label for name, value in facts.items() if value},
        origin=(source, location),
        **facts,
    )


def _checked(read: Callable[[], Any], bad: Callable[[str], None]) -> Any:
    """A value, or None when it does not fit (said through `bad`)."""
    try:
        return read()
    except ValueError as exc:
        bad(str(exc))
        return None


def _facts(given: dict[str, Any], bad: Callable[[str], None]) -> dict[str, Any]:
    """A record's film facts but its runtime, each value checked against its vocabulary."""

    def mapped(values: list[str], to: Callable[[str], Any], error: type[Exception]) -> list[str]:
        out: list[str] = []
        for value in values:
            try:
                found = to(value)
            except error as exc:
                bad(str(exc))
                continue
            out += [f for f in (found if isinstance(found, tuple) else (found,)) if f not in out]
        return out

    countries = mapped(_list(given.get("countries")), country_code, UnknownCountry)
    genres = mapped(_list(given.get("genres")), canonical_genres, UnknownGenre)
    languages = mapped(_list(given.get("languages")), language_code, UnknownLanguage)
    poster = safe_url(given.get("poster_url"))
    if given.get("poster_url") and poster is None:
        bad(f"poster_url {str(given['poster_url'])[:80]!r} is not an http(s) URL")
    return {
        "countries": tuple(countries),
        "languages": tuple(languages),
        "genres": tuple(genres),
        "directors": tuple(_list(given.get("directors"))),
        "cast": tuple(_list(given.get("cast"))),
        "poster_url": poster,
    }


def read_catalogue_file(
    path: Path, report: CatalogueReport, on_row: Callable[[], None] | None = None
) -> Iterator[CatalogueFilm]:
    """Films from one catalogue file; raises FileError when the whole file is unusable."""
    if path.suffix.lower() not in KINDS:
        raise FileError(
            f"unsupported catalogue file {path.suffix or '(none)'!r} (expected .csv, .tsv or .jsonl)"
        )
    source = str(path)
    text = decode(path.read_bytes(), source)
    delimiter = KINDS[path.suffix.lower()]
    records = records_jsonl(text) if delimiter is None else records_csv(text, delimiter)
    for location, record in records:
        if record is None:  # a blank line
            continue
        report.rows += 1
        if on_row:
            on_row()
        if isinstance(record, Exception) or not isinstance(record, dict):
            reason = str(record) if isinstance(record, Exception) else "expected an object"
            report.problem(source, location, reason)
            report.skipped += 1
            continue
        film = film_from_record(record, source, location, report)
        if film is None:
            report.skipped += 1
            continue
        report.kept += 1
        yield film
