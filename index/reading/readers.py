"""Read review files in any supported format into validated Reviews, reporting every reject.

One reader per format; all of them end in `build_review`, so a field means the same thing
whichever file it came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config import IngestSettings
from index.knowledge.catalogue import imdb_id_in
from index.knowledge.countries import UnknownCountry, country_code
from index.knowledge.genres import UnknownGenre, canonical_genres
from index.knowledge.languages import UnknownLanguage, language_code
from index.reading.clean import _TITLE_LINE, clean_page, parse_date
from index.reading.extract import extract
from index.reading.ratings import RatingError, is_bare, normalize_rating
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
# Export files people already have, known by their header: which scale their ratings are on.
EXPORTS = {
    "Letterboxd": ({"letterboxd uri", "name", "rating"}, 5.0),
    "IMDb ratings": ({"const", "your rating"}, 10.0),
}
SUFFIXES = {
    ".txt": "page",
    ".text": "page",
    ".md": "page",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
}


MAX_LISTED = 1000  # problems listed in a report; past that they are only counted


@dataclass
class ReadResult:
    """What reading gave: reviews, and every rejected record and warning, located. Past
    MAX_LISTED of either only a count is kept, so a file of a million bad rows costs a
    number, not a million entries."""

    reviews: list[Review] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was recognised ("Letterboxd export")
    rejected_more: int = 0
    warnings_more: int = 0

    def reject(self, problem: Problem) -> None:
        if len(self.rejected) < MAX_LISTED:
            self.rejected.append(problem)
        else:
            self.rejected_more += 1

    def warn(self, problem: Problem) -> None:
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(problem)
        else:
            self.warnings_more += 1

    def extend(self, other: ReadResult) -> None:
        self.reviews += other.reviews
        for problem in other.rejected:
            self.reject(problem)
        for problem in other.warnings:
            self.warn(problem)
        self.rejected_more += other.rejected_more
        self.warnings_more += other.warnings_more
        self.notes += other.notes


class FileError(ValueError):
    """The whole file is unusable (empty, too large, undecodable, unparsable)."""


# ----------------------------------------------------------------------------- fields


def split_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"[|;,/]", str(value)) if part.strip()]


def _text_of(value: Any) -> str:
    text = str(value or "")
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</?(?:p|div)[^>]*>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]{1,200}>", "", text)
    paragraphs = [re.sub(r"[ \t\r\f\v]+", " ", p).strip() for p in re.split(r"\n\s*\n|\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    match = re.fullmatch(r"\s*((?:18|19|20|21)\d\d)(?:\.0)?\s*", str(value))
    if not match:
        raise ValueError(f"year {value!r} is not a four-digit year")
    return int(match[1])


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    if parsed := parse_date(text):
        return parsed
    raise ValueError(f"date {value!r} is not a calendar date")


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
    out: ReadResult,
    inferred: Mapping[str, Any] | None = None,
    rating_scale: float | None = None,
    no_text: str = "no review text (expected a 'text' field) and no rating",
) -> None:
    """Validate one record into a Review, or add a Problem saying why it cannot be used.
    `rating_scale` is what bare-number ratings are out of (a record's own wins)."""

    def reject(reason: str) -> None:
        out.reject(Problem(source, location, reason))

    def warn(reason: str) -> None:
        out.warn(Problem(source, location, reason))

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
    inferred = {k: _clean_value(v)[0] for k, v in (inferred or {}).items()}
    if scrubbed:
        warn(f"control or invisible characters removed from {', '.join(dict.fromkeys(scrubbed))}")

    text = _text_of(given.get("text"))
    if not text.strip() and given.get("rating") is None:
        return reject(no_text)
    if len(text) > limits.max_text_chars:
        warn(f"text cut from {len(text)} to {limits.max_text_chars} characters")
        text = text[: limits.max_text_chars]

    title = str(given.get("title") or inferred.get("title") or "").strip()
    year_value = given.get("year", inferred.get("year"))
    if not title:
        for line in text.splitlines()[:5]:
            if m := _TITLE_LINE.match(line.strip()):
                title, year_value = m["title"].strip(), year_value or m["year"]
                break
    if not title:
        return reject("no film title (expected a 'title' field or a line like 'Title (2023)')")
    if len(title) > 300:
        return reject(f"title is {len(title)} characters long; is it the review text?")

    try:
        year = _year(year_value)
    except ValueError as exc:
        warn(str(exc))
        year = None

    rating = None
    rating_raw = given.get("rating", inferred.get("rating_raw"))
    if "rating_scale" in given:
        try:
            rating_scale = float(given["rating_scale"])
        except (TypeError, ValueError):
            return reject(f"rating_scale {given['rating_scale']!r} is not a number")
    if rating_raw is not None:
        try:
            rating = normalize_rating(rating_raw, rating_scale)
        except RatingError as exc:
            return reject(str(exc))

    try:
        date = _date(given.get("date")) or inferred.get("date")
    except ValueError as exc:
        warn(str(exc))
        date = inferred.get("date")

    countries: list[str] = []
    for name in split_list(given.get("countries")):
        try:
            code = country_code(name)
        except UnknownCountry as exc:
            warn(str(exc))
            extra.setdefault("unrecognised_countries", []).append(name)
            continue
        if code not in countries:
            countries.append(code)
    genres: list[str] = []
    for name in split_list(given.get("genres")):
        try:
            genres += [g for g in canonical_genres(name) if g not in genres]
        except UnknownGenre as exc:
            warn(str(exc))
            extra.setdefault("unrecognised_genres", []).append(name)

    languages: list[str] = []
    for name in split_list(given.get("languages")):
        try:
            code = language_code(name)
        except UnknownLanguage as exc:
            warn(str(exc))
            continue
        if code not in languages:
            languages.append(code)
    runtime = None
    if "runtime" in given:
        try:
            runtime = int(float(str(given["runtime"]).strip()))
        except ValueError:
            warn(f"runtime {given['runtime']!r} is not a number of minutes")
    url = str(given["url"]).strip() if "url" in given else None
    imdb_id = imdb_id_in(str(given.get("imdb_id") or "")) or imdb_id_in(url)

    found = extract(text)
    fields_given = tuple(f for f in FACT_FIELDS if f in given)
    reviewer = str(given.get("reviewer") or inferred.get("reviewer") or "").strip() or None
    review_id = str(given["id"]).strip() if "id" in given else None
    try:
        review = Review(
            review_id=review_id or review_key(title, year, reviewer, source, location, url),
            title=title,
            year=year,
            text=text,
            rating=rating,
            rating_raw=None if rating_raw is None else str(rating_raw),
            reviewer=reviewer,
            date=date,
            countries=tuple(countries) if "countries" in given else found.countries,
            genres=tuple(genres) if "genres" in given else found.genres,
            director=str(given["director"]).strip() if "director" in given else found.director,
            cast=tuple(split_list(given["cast"])) if "cast" in given else found.cast,
            platform=str(given["platform"]).strip() if "platform" in given else found.platform,
            languages=tuple(languages),
            runtime=runtime,
            imdb_id=imdb_id,
            url=url,
            source=source,
            location=location,
            given=fields_given,
            extra={k: v for k, v in extra.items() if _jsonable(v)},
        )
    except ValidationError as exc:
        return reject(
            "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        )
    out.reviews.append(review)


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


# ----------------------------------------------------------------------------- files


def decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise FileError("file is empty")
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise FileError(
                    f"not valid {codec} after its byte-order mark: {exc.reason}"
                ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None
    if "\x00" in text:
        raise FileError("contains NUL bytes; is it a binary file?")
    return text


def _read_page(text: str, source: str, limits: IngestSettings, out: ReadResult) -> None:
    page = clean_page(text)
    for note in page.notes:
        if "rating" in note:
            out.warn(Problem(source, "", note))
    inferred = {
        "title": page.title,
        "year": page.year,
        "reviewer": page.reviewer,
        "date": page.date,
        "rating_raw": page.rating_raw,
    }
    build_review({"text": page.body}, source, "", limits, out, inferred, no_text=_NO_PAGE_TEXT)


_NO_PAGE_TEXT = "no review text found on the page"
MAX_HTML_DEPTH = 1000
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID = set("area base br col embed hr img input link meta param source track wbr".split())


def html_depth(text: str, limit: int = MAX_HTML_DEPTH) -> int:
    """How deeply the page's elements nest (stopping once past `limit`): one linear scan, so a
    hostile page is refused before the parser spends seconds on it."""
    depth = deepest = 0
    for m in _TAG.finditer(text):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name not in _VOID:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def _read_html(text: str, source: str, limits: IngestSettings, out: ReadResult) -> None:
    from selectolax.lexbor import LexborHTMLParser

    if html_depth(text) > MAX_HTML_DEPTH:
        raise FileError(f"HTML is nested too deeply (more than {MAX_HTML_DEPTH:,} levels)")

    tree = LexborHTMLParser(text)
    meta: dict[str, Any] = {}
    for node in tree.css('script[type="application/ld+json"]'):
        meta.update(_ld_review(node.text()))
    for tag in tree.css("script, style, noscript, nav, footer, aside, form, iframe, svg"):
        tag.decompose()

    def attr(selector: str, name: str = "content") -> str | None:
        node = tree.css_first(selector)
        value = node.attributes.get(name) if node else None
        return value.strip() if value else None

    heading = tree.css_first("h1")
    title_line = (
        attr('meta[property="og:title"]')
        or (heading.text(strip=True) if heading else None)
        or (tree.css_first("title").text(strip=True) if tree.css_first("title") else "")
    )
    meta.setdefault("reviewer", attr('meta[name="author"]') or attr('[rel="author"]', "title"))
    if not meta.get("reviewer") and (node := tree.css_first('[rel="author"], .author, .byline')):
        meta["reviewer"] = re.sub(r"^(?i:by)\s+", "", node.text(strip=True)) or None
    meta.setdefault(
        "date", attr('meta[property="article:published_time"]') or attr("time", "datetime")
    )
    if (value := attr('[itemprop="ratingValue"]')) and "rating" not in meta:
        best = attr('[itemprop="bestRating"]') or "10"
        meta["rating"] = f"{value}/{best}"

    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    blocks = (
        [
            n.text(separator=" ", strip=True)
            for n in root.css("h1, h2, h3, p, li, blockquote, div.rating, .rating, .score")
        ]
        if root
        else []
    )
    page = clean_page("\n".join([title_line or "", *blocks]))
    if not page.title and title_line and (m := _TITLE_LINE.match(title_line)):
        page.title, page.year = m["title"], int(m["year"])
    inferred = {
        "title": page.title or (title_line or None),
        "year": page.year,
        "reviewer": page.reviewer,
        "date": page.date,
        "rating_raw": page.rating_raw,
    }
    record = {k: v for k, v in meta.items() if v}
    record["text"] = page.body
    build_review(record, source, "", limits, out, inferred, no_text=_NO_PAGE_TEXT)


def _ld_review(raw: str | None) -> dict[str, Any]:
    try:
        data = json.loads(raw or "")
    except ValueError:
        return {}
    items = (
        data
        if isinstance(data, list)
        else data.get("@graph", [data])
        if isinstance(data, dict)
        else []
    )
    for item in items:
        if isinstance(item, dict) and item.get("@type") == "Review":
            found: dict[str, Any] = {}
            reviewed = item.get("itemReviewed") or {}
            if isinstance(reviewed, dict):
                found["title"] = reviewed.get("name")
                found["director"] = (
                    (reviewed.get("director") or {}).get("name")
                    if isinstance(reviewed.get("director"), dict)
                    else None
                )
                found["year"] = str(reviewed.get("dateCreated") or "")[:4] or None
            author = item.get("author")
            found["reviewer"] = author.get("name") if isinstance(author, dict) else author
            found["date"] = item.get("datePublished")
            rating = item.get("reviewRating")
            if isinstance(rating, dict) and rating.get("ratingValue") is not None:
                found["rating"] = f"{rating['ratingValue']}/{rating.get('bestRating', 5)}"
            return {k: v for k, v in found.items() if v}
    return {}


def records_json(text: str) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise FileError("JSON is nested too deeply") from None
    if isinstance(data, dict) and isinstance(data.get("reviews"), list):
        data = data["reviews"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise FileError('expected a JSON object, a list of objects or {"reviews": [...]}')
    for i, item in enumerate(data, 1):
        yield f"record {i}", item


def records_jsonl(text: str) -> Iterator[tuple[str, Any]]:
    # Only "\n" ends a record: str.splitlines() would also split on U+0085 or U+2028 inside text.
    lines = text.split("\n")
    if lines and not lines[-1].strip():
        lines.pop()  # the newline that ends the last record
    for n, line in enumerate(lines, 1):
        if not line.strip():
            yield f"line {n}", None  # blank: counted, not a record
            continue
        try:
            yield f"line {n}", json.loads(line)
        except json.JSONDecodeError as exc:
            yield f"line {n}", ValueError(f"not valid JSON: {exc.msg} at column {exc.colno}")
        except RecursionError:
            yield f"line {n}", ValueError("JSON is nested too deeply")


def records_csv(text: str, delimiter: str) -> Iterator[tuple[str, Any]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames or not any(f and f.strip() for f in reader.fieldnames):
        raise FileError("CSV has no header row")
    try:
        for n, row in enumerate(reader, 1):
            if None in row:
                yield (
                    f"row {n} (line {reader.line_num})",
                    ValueError(
                        f"{len(row[None]) + len(reader.fieldnames)} cells but {len(reader.fieldnames)} columns"
                    ),
                )
                continue
            yield f"row {n} (line {reader.line_num})", row
    except csv.Error as exc:
        raise FileError(f"CSV broken at line {reader.line_num}: {exc}") from None


def export_scale(keys: Iterable[str]) -> tuple[str, float] | None:
    """The export format a record's keys show (Letterboxd, an IMDb ratings export), and the
    scale of its ratings."""
    names = {str(k).strip().lower() for k in keys}
    for name, (header, scale) in EXPORTS.items():
        if header <= names:
            return name, scale
    return None


def _warn_assumed_scale(out: ReadResult, start: int, source: str) -> None:
    """Bare-number ratings all of 5 or less were read out of 10: say so, once per file."""
    bare = [r.rating for r in out.reviews[start:] if r.rating_raw and is_bare(r.rating_raw)]
    if bare and max(r for r in bare if r is not None) <= 5:
        out.warn(
            Problem(
                source,
                "",
                (
                    f"{len(bare)} rating(s) are bare numbers of 5 or less; read as out of 10. "
                    "If they are stars out of 5, ingest again with --rating-scale 5"
                ),
            )
        )


def read_file(
    path: Path,
    limits: IngestSettings,
    source: str | None = None,
    rating_scale: float | None = None,
) -> ReadResult:
    """Read one file; a file-level problem becomes one rejected entry, never an exception.
    `rating_scale`: what bare-number ratings are out of, when the file does not say."""
    out = ReadResult()
    source = source or str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    try:
        if (reason := not_a_file(path)) is not None:
            raise FileError(reason)
        if kind is None:
            raise FileError(
                f"unsupported file type {path.suffix or '(none)'!r} "
                f"(expected {', '.join(sorted(SUFFIXES))})"
            )
        size = path.stat().st_size
        limit = limits.max_document_mb if kind in {"page", "html"} else limits.max_file_mb
        if size > limit * 2**20:
            raise FileError(
                f"file is {size / 2**20:.1f} MB, above the {limit:g} MB limit for {kind} files"
            )
        text = decode(path.read_bytes(), source)
        if kind == "page":
            _read_page(text, source, limits, out)
        elif kind == "html":
            _read_html(text, source, limits, out)
        else:
            if kind == "json":
                records = records_json(text)
            elif kind == "jsonl":
                records = records_jsonl(text)
            else:
                records = records_csv(text, "\t" if path.suffix.lower() == ".tsv" else ",")
            scale, first, blank = rating_scale, True, 0
            for location, record in records:
                if record is None or (isinstance(record, dict) and _blank(record)):
                    blank += 1
                    continue
                if first and isinstance(record, dict):
                    first = False
                    if scale is None and (export := export_scale(record)):
                        scale = export[1]
                        out.notes.append(f"{export[0]} export: ratings out of {scale:g}")
                if isinstance(record, Exception):
                    out.reject(Problem(source, location, str(record)))
                elif not isinstance(record, dict):
                    kind_of = type(record).__name__
                    out.reject(Problem(source, location, f"expected an object, got {kind_of}"))
                else:
                    build_review(record, source, location, limits, out, rating_scale=scale)
            if scale is None:
                _warn_assumed_scale(out, 0, source)
            if blank:
                out.warn(Problem(source, "", f"{blank:,} blank row(s) skipped"))
    except FileError as exc:
        out.reject(Problem(source, "", str(exc)))
    except OSError as exc:
        out.reject(Problem(source, "", f"cannot read: {exc.strerror or exc}"))
    return out


def _blank(record: dict[str, Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values())


def not_a_file(path: Path) -> str | None:
    """Why a path that exists is no file to read (a dangling link, a FIFO, a device), if it
    is not one. Never opens it: opening a FIFO would wait for a writer forever."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return (
            "a link to nothing (dangling symlink)"
            if path.is_symlink()
            else "no such file or folder"
        )
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return f"{kind}; not read"


def find_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders (recursively, sorted, hidden files skipped); report missing paths."""
    files: list[Path] = []
    missing: list[Problem] = []
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in found.relative_to(path).parts):
                    continue
                if found.is_dir() and not found.is_symlink():
                    continue
                if (reason := not_a_file(found)) is None and found.is_file():
                    files.append(found)
                elif reason is not None:
                    missing.append(Problem(str(found), "", reason))
        elif (reason := not_a_file(path)) is None:
            files.append(path)
        else:
            missing.append(Problem(str(path), "", reason))
    return files, missing
