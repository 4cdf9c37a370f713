"""A version's rows as arrays: which review each passage is of, which film and library each
review is in, its rating and id. Written once when the version is committed and memory-mapped
when it is opened, so opening a million passages reads no SQLite row by row (versions written
before this are read from SQLite, as they were)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.storage import arrays
from index.types import BASE_LIBRARY

ROWS_DIR = "rows"
FORMAT = 1
ARRAYS = (
    "review_ids",
    "review_film",
    "review_rating",
    "review_library",
    "passage_review",
    "passage_ids",
)


class Utf8Strings(Sequence[str]):
    """Strings kept as fixed-width UTF-8 bytes (a memory-mapped array), decoded when read."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = data

    @classmethod
    def of(cls, strings: list[str]) -> Utf8Strings:
        encoded = [s.encode("utf-8") for s in strings]
        width = max((len(b) for b in encoded), default=1) or 1
        return cls(np.array(encoded, dtype=f"S{width}"))

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, row: int) -> str:  # type: ignore[override]  # one row, never a slice
        return bytes(self.data[row]).decode("utf-8", "replace")

    def __iter__(self) -> Iterator[str]:
        return (bytes(b).decode("utf-8", "replace") for b in self.data)


@dataclass(frozen=True)
class Rows:
    review_ids: Utf8Strings  # reviews in review_id order: a review's row
    review_film: np.ndarray  # int32 film row (films in film_id order) per review
    review_rating: np.ndarray  # float32, NaN when unrated
    review_library: np.ndarray  # int16 index into `libraries` per review
    passage_review: np.ndarray  # int32 review row per passage (passages in passage_id order)
    passage_ids: np.ndarray  # int64 passage_id per passage row
    libraries: list[str]  # the base library first, then each server's present


def rows_from_db(db: sqlite3.Connection) -> Rows:
    film_row = {
        fid: i for i, (fid,) in enumerate(db.execute("SELECT film_id FROM films ORDER BY film_id"))
    }
    columns = {row[1] for row in db.execute("PRAGMA table_info(reviews)")}
    library = "library" if "library" in columns else f"'{BASE_LIBRARY}'"  # older: all base
    codes = {BASE_LIBRARY: 0}
    ids, films, ratings, libraries = [], [], [], []
    for review_id, fid, rating, owner in db.execute(
        f"SELECT review_id, film_id, rating, {library} FROM reviews ORDER BY review_id"
    ):
        ids.append(review_id)
        films.append(film_row[fid])
        ratings.append(np.nan if rating is None else rating)
        libraries.append(codes.setdefault(owner, len(codes)))
    review_row = {r: i for i, r in enumerate(ids)}
    passage_ids, passage_review = [], []
    for pid, review_id in db.execute(
        "SELECT passage_id, review_id FROM passages ORDER BY passage_id"
    ):
        passage_ids.append(pid)
        passage_review.append(review_row[review_id])
    return Rows(
        Utf8Strings.of(ids),
        np.array(films, np.int32),
        np.array(ratings, np.float32),
        np.array(libraries, np.int16),
        np.array(passage_review, np.int32),
        np.array(passage_ids, np.int64),
        list(codes),
    )


def write_rows(db: sqlite3.Connection, folder: Path) -> Rows:
    rows = rows_from_db(db)
    folder.mkdir()
    for name in ARRAYS:
        value = getattr(rows, name)
        np.save(folder / f"{name}.npy", value.data if isinstance(value, Utf8Strings) else value)
    (folder / "rows.json").write_text(json.dumps({"format": FORMAT, "libraries": rows.libraries}))
    return rows


def read_rows(folder: Path, db: sqlite3.Connection) -> Rows:
    """The version's rows, memory-mapped; computed from its SQLite file when it has none."""
    try:
        meta = json.loads((folder / "rows.json").read_text())
    except FileNotFoundError:
        return rows_from_db(db)
    if meta.get("format") != FORMAT:
        return rows_from_db(db)
    parts: dict[str, Any] = {
        name: arrays.load(folder / f"{name}.npy", mmap_mode="r") for name in ARRAYS
    }
    parts["review_ids"] = Utf8Strings(parts["review_ids"])
    rows = Rows(**parts, libraries=list(meta["libraries"]))
    n_reviews = len(rows.review_ids)
    if not (
        len(rows.review_film) == len(rows.review_rating) == len(rows.review_library) == n_reviews
        and len(rows.passage_review) == len(rows.passage_ids)
    ):
        raise ValueError("row arrays of mismatched lengths")
    return rows
