"""Record files (JSON, JSONL, CSV/TSV) as (location, record) pairs, before any field is read.

A record that cannot be parsed is yielded as the ValueError saying why, in its place, so one
bad line costs that line; a file that cannot be read at all raises FileError.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

# Export files people already have, known by their header: which scale their ratings are on.
EXPORTS = {
    "Letterboxd": ({"letterboxd uri", "name", "rating"}, 5.0),
    "IMDb ratings": ({"const", "your rating"}, 10.0),
}


class FileError(ValueError):
    """The whole file is unusable (empty, too large, undecodable, unparsable)."""


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
