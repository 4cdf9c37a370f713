"""Read review files in any supported format into validated Reviews, reporting every reject.

One reader per kind of file (records in `records`, pages in `pages`); every record ends in
`review_fields.build_review`, so a field means the same thing whichever file it came from.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config import IngestSettings
from index.reading.pages import read_html_page, read_text_page
from index.reading.ratings import is_bare
from index.reading.records import (
    FileError,
    decode,
    export_scale,
    records_csv,
    records_json,
    records_jsonl,
)
from index.reading.review_fields import Built, build_review, split_list
from index.types import Problem, Review

# Read from here by the catalogue-file readers and the engine.
__all__ = [
    "FileError",
    "ReadResult",
    "build_review",
    "decode",
    "find_files",
    "read_file",
    "records_csv",
    "records_jsonl",
    "split_list",
]

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

    def add(self, built: Built) -> None:
        """One record's outcome: its warnings, then its review or why it was refused."""
        for problem in built.warnings:
            self.warn(problem)
        if built.rejected is not None:
            self.reject(built.rejected)
        elif built.review is not None:
            self.reviews.append(built.review)

    def extend(self, other: ReadResult) -> None:
        self.reviews += other.reviews
        for problem in other.rejected:
            self.reject(problem)
        for problem in other.warnings:
            self.warn(problem)
        self.rejected_more += other.rejected_more
        self.warnings_more += other.warnings_more
        self.notes += other.notes


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
    try:
        kind = _kind(path, limits)
        text = decode(path.read_bytes(), source)
        if kind in {"page", "html"}:
            _read_page(kind, text, source, limits, out)
        else:
            _read_records(_records(kind, path, text), source, limits, rating_scale, out)
    except FileError as exc:
        out.reject(Problem(source, "", str(exc)))
    except OSError as exc:
        out.reject(Problem(source, "", f"cannot read: {exc.strerror or exc}"))
    return out


def _kind(path: Path, limits: IngestSettings) -> str:
    """What kind of file this is, once it is known to be one we read and not too large."""
    if (reason := not_a_file(path)) is not None:
        raise FileError(reason)
    kind = SUFFIXES.get(path.suffix.lower())
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
    return kind


def _read_page(kind: str, text: str, source: str, limits: IngestSettings, out: ReadResult) -> None:
    page = read_text_page(text) if kind == "page" else read_html_page(text)
    for note in page.notes:
        out.warn(Problem(source, "", note))
    out.add(build_review(page.record, source, "", limits, page.inferred))


def _records(kind: str, path: Path, text: str) -> Iterator[tuple[str, Any]]:
    if kind == "json":
        return records_json(text)
    if kind == "jsonl":
        return records_jsonl(text)
    return records_csv(text, "\t" if path.suffix.lower() == ".tsv" else ",")


def _read_records(
    records: Iterator[tuple[str, Any]],
    source: str,
    limits: IngestSettings,
    scale: float | None,
    out: ReadResult,
) -> None:
    """Each record into a review or a located reject. An export known by its header (first
    record) sets the rating scale; without any, a warning when bare ratings look like stars."""
    first, blank, assumed = True, 0, scale is None
    for location, record in records:
        if record is None or (isinstance(record, dict) and _blank(record)):
            blank += 1
            continue
        if first and isinstance(record, dict):
            first = False
            if scale is None and (export := export_scale(record)):
                scale = export[1]
                out.notes.append(f"{export[0]} export: ratings out of {scale:g}")
                assumed = False
        if isinstance(record, Exception):
            out.reject(Problem(source, location, str(record)))
        elif not isinstance(record, dict):
            kind_of = type(record).__name__
            out.reject(Problem(source, location, f"expected an object, got {kind_of}"))
        else:
            out.add(build_review(record, source, location, limits, rating_scale=scale))
    if assumed:
        _warn_assumed_scale(out, 0, source)
    if blank:
        out.warn(Problem(source, "", f"{blank:,} blank row(s) skipped"))


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
