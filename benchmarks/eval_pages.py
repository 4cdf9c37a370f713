"""Review pages as they are scraped, read with no catalogue, against the reading each should give.

The pages are our own (tests/index/reading/pages: invented films, our own sentences, in the
shapes real sites use, traps included); manifest.json says what each should read as. Film facts
are scored as the index would publish them for a film with this one review (merge_film), so the
rule that weak prose cues need two reviews is part of what is measured.

    python -m benchmarks.eval_pages      (make eval appends the section to benchmarks/EVAL.md)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config import IngestSettings
from index.knowledge.films import merge_film
from index.knowledge.people import fold
from index.reading.readers import read_file
from index.types import Review

PAGES = Path(__file__).resolve().parents[1] / "tests" / "index" / "reading" / "pages"


def manifest() -> list[dict[str, Any]]:
    return json.loads((PAGES / "manifest.json").read_text(encoding="utf-8"))["pages"]


def same_text(a: str | None, b: str | None) -> bool:
    def norm(s: str | None) -> str:
        s = unicodedata.normalize("NFKC", s or "").replace("’", "'").replace("‘", "'")
        return re.sub(r"\s+", " ", s).strip(" '\"“”").casefold()

    return norm(a) == norm(b)


@dataclass
class Pairs:
    """Precision and recall over (page, value) pairs."""

    right: int = 0
    said: int = 0
    stated: int = 0

    def add(self, got: set[str], want: set[str]) -> None:
        self.right += len(got & want)
        self.said += len(got)
        self.stated += len(want)

    def cells(self) -> list[str]:
        precision = f"{self.right / self.said:.2f}" if self.said else "-"
        recall = f"{self.right / self.stated:.2f}" if self.stated else "-"
        return [precision, recall]


@dataclass
class Score:
    pages: int = 0
    read: int = 0
    title: int = 0
    year: int = 0
    reviewer: list[int] = field(default_factory=lambda: [0, 0, 0])  # right, has one, wrong
    rating: list[int] = field(default_factory=lambda: [0, 0, 0])
    body: int = 0
    countries: Pairs = field(default_factory=Pairs)
    genres: Pairs = field(default_factory=Pairs)
    director: Pairs = field(default_factory=Pairs)
    misses: list[str] = field(default_factory=list)

    def add(self, page: dict[str, Any], review: Review | None) -> None:
        self.pages += 1
        if review is None:
            self.misses.append(f"{page['file']}: rejected")
            return
        self.read += 1
        name = page["file"]
        self._check(name, "title", same_text(review.title, page["title"]), review.title)
        self.title += same_text(review.title, page["title"])
        self.year += review.year == page["year"]
        if review.year != page["year"]:
            self.misses.append(f"{name}: year {review.year} (want {page['year']})")
        self._tally(self.reviewer, name, "reviewer", review.reviewer, page["reviewer"], same_text)
        self._tally(self.rating, name, "rating", review.rating, page["rating"], _close)
        body = review.text
        ok_body = (
            body.startswith(page["body_first"])
            and body.rstrip().endswith(page["body_last"])
            and not any(f in body for f in page["not_in_body"])
        )
        self.body += ok_body
        self._check(name, "body", ok_body, body[:60] + " … " + body[-40:])
        film = merge_film("page", [review])
        self.countries.add(set(film.countries), set(page["countries"]))
        self.genres.add(set(film.genres), set(page["genres"]))
        want = {fold(page["director"])} if page["director"] else set()
        self.director.add({fold(film.director)} if film.director else set(), want)
        for what, got, wanted in (
            ("countries", set(film.countries), set(page["countries"])),
            ("genres", set(film.genres), set(page["genres"])),
            ("director", {film.director} - {None}, {page["director"]} - {None}),
        ):
            if got != wanted and not (
                what == "director" and {fold(g) for g in got} == {fold(w) for w in wanted}
            ):
                self.misses.append(f"{name}: {what} {sorted(got)} (want {sorted(wanted)})")

    def _check(self, name: str, what: str, ok: bool, got: object) -> None:
        if not ok:
            self.misses.append(f"{name}: {what} {got!r}")

    def _tally(
        self, counts: list[int], name: str, what: str, got: Any, want: Any, same: Callable
    ) -> None:
        if want is not None:
            counts[1] += 1
            counts[0] += bool(got is not None and same(got, want))
        if got is not None and (want is None or not same(got, want)):
            counts[2] += 1
        if (want is None) != (got is None) or (want is not None and not same(got, want)):
            self.misses.append(f"{name}: {what} {got!r} (want {want!r})")

    def row(self, label: str) -> str:
        def share(a: int, b: int) -> str:
            return f"{a / b:.2f}" if b else "-"

        cells = [
            label,
            f"{self.read}/{self.pages}",
            share(self.title, self.pages),
            share(self.year, self.pages),
            f"{share(self.reviewer[0], self.reviewer[1])} ({self.reviewer[2]} wrong)",
            f"{share(self.rating[0], self.rating[1])} ({self.rating[2]} wrong)",
            share(self.body, self.pages),
            *self.countries.cells(),
            *self.genres.cells(),
            *self.director.cells(),
        ]
        return "| " + " | ".join(cells) + " |"


HEADER = [
    "| pages | read | title | year | reviewer (where bylined) | rating (where rated) | body | "
    "country precision | country recall | genre precision | genre recall | "
    "director precision | director recall |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.05


def read_page(path: Path) -> Review | None:
    result = read_file(path, IngestSettings())
    return result.reviews[0] if result.reviews else None


def score_pages(
    read: Callable[[Path], Review | None] = read_page, kinds: tuple[str, ...] = (".txt", ".html")
) -> Score:
    score = Score()
    for page in manifest():
        path = PAGES / page["file"]
        if path.suffix in kinds:
            score.add(page, read(path))
    return score


def section() -> str:
    lines = [
        "",
        "## Review pages as they are scraped",
        "",
        f"Our own {len(manifest())} pages (`tests/index/reading/pages`, invented films in the shapes "
        "real sites use, traps included), read as `cinebot ingest` reads them with no catalogue. "
        "Title, year and body: share of pages read right (the body is right when it starts and "
        "ends with the review's own first and last words and holds none of the page's furniture). "
        "Reviewer and rating: share right where the page has one (and how many pages got a wrong "
        "one, including pages that have none). Facts: precision and recall over (page, value) "
        "pairs, as the index publishes them for a film with this one review.",
        "",
        *HEADER,
    ]
    for label, kinds in (
        ("text pages", (".txt",)),
        ("HTML pages", (".html",)),
        ("all", (".txt", ".html")),
    ):
        lines.append(score_pages(kinds=kinds).row(label))
    return "\n".join(lines) + "\n"


def misses() -> list[str]:
    return score_pages().misses


if __name__ == "__main__":
    print(section())
    print("\n".join(misses()))
