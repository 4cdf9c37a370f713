"""The real review corpus for benchmarks and evaluation: found in ../shared/data, never copied.

Embedding all 34,002 reviews takes about an hour on 2 cores, so the default slice is one
review per film (3,851 reviews, every film). The slice is written under data/ (git-ignored)
and indexed there with the real ingest, which is incremental: a second run embeds nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from config import Settings
from index.embedding.encoder import Encoder
from index.engine import Engine
from index.knowledge.countries import UnknownCountry, country_code
from index.knowledge.genres import UnknownGenre, canonical_genres

REPO = Path(__file__).resolve().parents[1]
CORPUS_ENV = "CINEBOT_IMDB_REVIEWS"
WORKDIR = REPO / "data" / "bench"


def find_corpus() -> Path | None:
    """$CINEBOT_IMDB_REVIEWS, else ../shared/data/imdb-reviews/reviews.jsonl beside the repo."""
    candidates = [os.environ.get(CORPUS_ENV, "")]
    candidates += [
        str(base / "shared/data/imdb-reviews/reviews.jsonl")
        for base in (REPO.parent, Path.cwd().parent, Path.cwd())
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


@dataclass(frozen=True)
class TruthFilm:
    """A film as the corpus's own metadata describes it: the ground truth for evaluation."""

    film_key: str  # title + year, how the engine's films are matched back
    title: str
    year: int | None
    genres: frozenset[str]
    countries: frozenset[str]
    director: str
    ratings: tuple[float, ...]


def known_values(
    names: list[str], values: Callable[[str], Iterable[str]], unknown: type[Exception]
) -> frozenset[str]:
    """Our vocabulary's values for the corpus's names; a name we do not know adds nothing."""
    out: set[str] = set()
    for name in names:
        with contextlib.suppress(unknown):
            out.update(values(name))
    return frozenset(out)


def known_genres(names: list[str]) -> frozenset[str]:
    return known_values(names, canonical_genres, UnknownGenre)


def known_countries(names: list[str]) -> frozenset[str]:
    return known_values(names, lambda name: [country_code(name)], UnknownCountry)


def jsonl(records: list[dict]) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def film_key(title: str, year: int | None) -> str:
    return f"{title.casefold().strip()}|{year or ''}"


def read_records(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle.read().split("\n"):  # U+2028/U+0085 occur inside texts
            if line.strip():
                yield json.loads(line)


def slice_corpus(
    source: Path, target: Path, per_film: int = 1, films: int | None = None
) -> list[dict]:
    """`per_film` reviews of each film (of the first `films` films in file order).

    Which reviews is decided by a hash of the review id, not file order: the file lists all
    negative reviews first, and a slice of pans would make "rated 8+" questions nearly empty.
    """
    by_film: dict[str, list[dict]] = {}
    for record in read_records(source):
        key = record["imdb_id"]
        if key not in by_film and films is not None and len(by_film) >= films:
            continue
        by_film.setdefault(key, []).append(record)
    kept = []
    for records in by_film.values():
        records.sort(key=lambda r: hashlib.sha1(r["review_id"].encode()).hexdigest())
        kept += records[:per_film]
    target.parent.mkdir(parents=True, exist_ok=True)
    text = jsonl(kept)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return kept


def truth_films(records: list[dict]) -> dict[str, TruthFilm]:
    grouped: dict[str, list[dict]] = {}
    for r in records:
        grouped.setdefault(film_key(r["title"], r.get("year")), []).append(r)
    return {
        key: TruthFilm(
            film_key=key,
            title=rs[0]["title"],
            year=rs[0].get("year"),
            genres=known_genres(rs[0].get("genres") or []),
            countries=known_countries(rs[0].get("countries") or []),
            director=(rs[0].get("director") or "").casefold(),
            ratings=tuple(float(r["rating"]) for r in rs if r.get("rating") is not None),
        )
        for key, rs in grouped.items()
    }


def real_engine(
    workdir: Path = WORKDIR,
    per_film: int = 1,
    films: int | None = None,
    encoder: Encoder | None = None,
    settings: Settings | None = None,
) -> tuple[Engine, list[dict]]:
    """An engine over the sliced real corpus, built (or brought up to date) with the real ingest."""
    source = find_corpus()
    if source is None:
        raise FileNotFoundError(
            f"the IMDb review corpus was not found; set {CORPUS_ENV} to its reviews.jsonl"
        )
    name = f"imdb-{per_film}pf" + (f"-{films}f" if films else "")
    records = slice_corpus(source, workdir / f"{name}.jsonl", per_film, films)
    settings = (settings or Settings()).model_copy(update={"index_dir": workdir / name})
    engine = Engine(settings, encoder or Encoder(settings.embedding))
    engine.ingest([workdir / f"{name}.jsonl"])
    return engine, records
