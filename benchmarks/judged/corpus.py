"""The judged set's corpus: 12,000 real IMDb reviews, indexed with films.csv as the catalogue.

Which 12,000: the reviews of ../shared/data/imdb-reviews/reviews.jsonl with the smallest
sha1(review_id) (3,023 films), so the choice is fixed, independent of file order (the file
lists every pan first) and repeatable anywhere. The reviews are stripped to what a review
file people have carries (id, IMDb id, title, year, rating, text): countries, genres and
directors come from the catalogue, as the issue measured. Built under data/judged
(git-ignored) by the real `import_catalogue` and ingest; embedding takes ~25 minutes on
2 cores the first time, and nothing afterwards (the ingest is incremental).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from benchmarks.imdb import REPO, find_corpus, jsonl, read_records
from config import Settings
from index.embedding.encoder import Encoder
from index.engine import Engine

SIZE = 12_000
WORKDIR = REPO / "data" / "judged"
KEPT_FIELDS = ("review_id", "imdb_id", "title", "year", "rating", "text")


def sample(records: list[dict], size: int = SIZE) -> list[dict]:
    """The `size` reviews with the smallest sha1 of their review id, stripped of film facts."""
    ranked = sorted(records, key=lambda r: hashlib.sha1(r["review_id"].encode()).hexdigest())
    return [{k: r[k] for k in KEPT_FIELDS if r.get(k) is not None} for r in ranked[:size]]


def catalogue_file(reviews: Path) -> Path:
    return reviews.with_name("films.csv")


def judged_engine(
    workdir: Path = WORKDIR, size: int = SIZE, encoder: Encoder | None = None
) -> tuple[Engine, list[dict]]:
    """The engine over the sample (built or brought up to date) and the sample's full records
    (with the data set's own metadata, for the judge's dossiers and the panned share)."""
    source = find_corpus()
    if source is None:
        raise FileNotFoundError("the IMDb review corpus was not found; set CINEBOT_IMDB_REVIEWS")
    records = list(read_records(source))
    kept = {r["review_id"] for r in sample(records, size)}
    full = [r for r in records if r["review_id"] in kept]
    target = workdir / f"imdb-{size}.jsonl"
    text = jsonl(sample(records, size))
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    settings = Settings().model_copy(update={"index_dir": workdir / f"index-{size}"})
    engine = Engine(settings, encoder or Encoder(settings.embedding))
    catalogue = catalogue_file(source)
    stamp = workdir / f"index-{size}.catalogue"
    digest = hashlib.sha1(catalogue.read_bytes()).hexdigest()
    if not engine.has_index() or not stamp.is_file() or stamp.read_text() != digest:
        engine.import_catalogue([catalogue], tmdb=False)
        stamp.write_text(digest)
    engine.ingest([target])
    return engine, full
