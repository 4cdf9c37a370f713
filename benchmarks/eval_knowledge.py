"""Film knowledge on real reviews without their metadata: what prose inference gets right, what
a catalogue adds, and whether embedding the reviews infers genres better than rules do.

Reviews from ../shared/data are stripped to title, year, text and rating, the way real reviews
arrive; the data set's own metadata (films.csv) is the truth. Films are split in two by a
hash of their IMDb id: rules and thresholds were tuned on the first half only, and every
figure here is measured on the second (held-out) half.

    make eval   (appends its section to benchmarks/EVAL.md)
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.imdb import find_corpus, known_countries, known_genres, read_records
from config import IngestSettings
from index.embedding.encoder import Encoder
from index.knowledge.catalogue import Catalogue, CatalogueWriter, resolve
from index.knowledge.countries import country_name
from index.knowledge.films import merge_film
from index.knowledge.people import fold
from index.reading.catalogue_files import CatalogueReport, read_catalogue_file
from index.reading.readers import ReadResult, build_review
from index.storage.snapshot import Snapshot
from index.types import Film

MIN_FILMS_PER_COUNTRY = 15
TARGET = 0.9
# One sentence per genre, written by us, for the embedding experiment.
GENRE_DESCRIPTIONS = {
    "Action": "fights, chases, shootouts and explosions; an action film",
    "Adventure": "a journey to far places, a quest, treasure and danger; an adventure film",
    "Animation": "an animated cartoon film, drawn or computer animated",
    "Biography": "the true life story of a real famous person; a biopic",
    "Comedy": "a funny comedy full of jokes and laughs",
    "Crime": "criminals, gangsters, heists and police detectives; a crime film",
    "Documentary": "a documentary about real people and real events, not fiction",
    "Drama": "a serious drama about people, relationships and hard choices",
    "Family": "a family film for children and parents to watch together",
    "Fantasy": "magic, wizards, dragons and fairy-tale worlds; a fantasy film",
    "Film-Noir": "a black-and-white film noir of detectives, femmes fatales and shadows",
    "History": "a historical period film about real events of the past",
    "Horror": "a scary horror film with monsters, ghosts, gore and screams",
    "Music": "a film about musicians, bands, concerts and songs",
    "Musical": "a musical where the characters sing and dance",
    "Mystery": "a mystery whodunit: clues, suspects and a puzzle to solve",
    "Romance": "a love story, romance between two people",
    "Sci-Fi": "science fiction: space ships, aliens, robots and the future",
    "Sport": "a sports film about athletes, a team, a big game or a boxing match",
    "Thriller": "a suspenseful thriller full of tension, danger and twists",
    "War": "a war film about soldiers, battles and the front line",
    "Western": "a western with cowboys, horses, sheriffs and gunfights in the old west",
}


def held_out(imdb_id: str) -> bool:
    return int(hashlib.sha1(imdb_id.encode()).hexdigest(), 16) % 2 == 1


def truth_countries(row: dict[str, str]) -> set[str]:
    return set(known_countries(row["countries"].split("|")))


def truth_genres(row: dict[str, str]) -> set[str]:
    return set(known_genres(row["genres"].split("|")))


@dataclass
class Scores:
    country_tp: int = 0
    country_pred: int = 0
    country_true: int = 0
    genre_tp: int = 0
    genre_pred: int = 0
    genre_true: int = 0
    director_ok: int = 0
    director_pred: int = 0
    director_true: int = 0

    def add(self, film: Film, row: dict[str, str]) -> None:
        countries, genres = truth_countries(row), truth_genres(row)
        if countries:  # a film the truth places somewhere
            self.country_tp += len(set(film.countries) & countries)
            self.country_pred += len(film.countries)
            self.country_true += len(countries)
        self.genre_tp += len(set(film.genres) & genres)
        self.genre_pred += len(film.genres)
        self.genre_true += len(genres)
        if row["director"]:
            self.director_true += 1
            if film.director:
                self.director_pred += 1
                self.director_ok += fold(film.director) == fold(row["director"])

    def row(self) -> list[str]:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "-"

        return [
            ratio(self.country_tp, self.country_pred),
            ratio(self.country_tp, self.country_true),
            ratio(self.genre_tp, self.genre_pred),
            ratio(self.genre_tp, self.genre_true),
            ratio(self.director_ok, self.director_pred),
            ratio(self.director_ok, self.director_true),
        ]


def stripped_reviews(records: list[dict], per_film: int) -> dict[str, list]:
    """Held-out films' reviews as the readers build them from title, year, text and rating."""
    by_film: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        if held_out(r["imdb_id"]):
            by_film[r["imdb_id"]].append(r)
    out = {}
    for imdb_id, rs in by_film.items():
        rs.sort(key=lambda r: hashlib.sha1(r["review_id"].encode()).hexdigest())
        read = ReadResult()
        for r in rs[:per_film]:
            record = {
                "id": r["review_id"],
                "title": r["title"],
                "year": r.get("year"),
                "text": r["text"],
                "rating": r.get("rating"),
            }
            read.add(build_review(record, "eval", "", IngestSettings()))
        out[imdb_id] = read.reviews
    return out


def facts(reviews: dict[str, list], catalogue: Catalogue | None) -> tuple[dict[str, Film], Counter]:
    films, matched = {}, Counter()
    for imdb_id, rs in reviews.items():
        known = None
        if catalogue is not None and rs:
            found = resolve(catalogue, rs[0].title, rs[0].year)
            matched["matched" if found.film else found.how] += 1
            known = found.film
        films[imdb_id] = merge_film(imdb_id, rs, known)
    return films, matched


def country_questions(
    films: dict[str, Film], truth: dict[str, dict]
) -> list[tuple[str, float, float]]:
    """For each country with enough held-out films: "films from X" recall and precision."""
    placed: dict[str, set[str]] = defaultdict(set)
    for imdb_id in films:
        for code in truth_countries(truth[imdb_id]):
            placed[code].add(imdb_id)
    out = []
    for code, expected in sorted(placed.items(), key=lambda kv: -len(kv[1])):
        if len(expected) < MIN_FILMS_PER_COUNTRY:
            continue
        found = {i for i, f in films.items() if code in f.countries}
        recall = len(found & expected) / len(expected)
        precision = len(found & expected) / len(found) if found else float("nan")
        out.append((code, recall, precision))
    return out


def embedding_genres(
    snap: Snapshot, encoder: Encoder, truth: dict[str, dict], review_film: dict[str, str]
) -> tuple[list[str], dict[str, set[str]]]:
    """Genres from the similarity of each film's passages to a sentence per genre, with a
    threshold per genre tuned on the first half for precision >= TARGET. Returns the notes
    and the genres it infers for held-out films."""
    vectors = np.asarray(snap.vectors)
    rows: dict[str, list[int]] = defaultdict(list)
    for row, review in enumerate(snap.passage_review.tolist()):
        if (imdb_id := review_film.get(snap.review_ids[review])) is not None:
            rows[imdb_id].append(row)
    film_ids = sorted(rows)
    means = np.stack([vectors[rows[i]].mean(axis=0) for i in film_ids])
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    genres = list(GENRE_DESCRIPTIONS)
    descriptions = encoder.encode([GENRE_DESCRIPTIONS[g] for g in genres])
    sims = means @ descriptions.T
    tune = np.array([not held_out(i) for i in film_ids])
    has = np.array([[g in truth_genres(truth[i]) for g in genres] for i in film_ids])
    notes, inferred = [], defaultdict(set)
    for j, genre in enumerate(genres):
        order = np.argsort(-sims[tune, j])
        hits = np.cumsum(has[tune, j][order])
        ranks = np.arange(1, len(order) + 1)
        precise = np.flatnonzero((hits / ranks >= TARGET) & (ranks >= 10))
        if not len(precise):
            notes.append(f"{genre}: off (no threshold reaches {TARGET} on the tuning half)")
            continue
        threshold = float(sims[tune, j][order][precise[-1]])
        for k, imdb_id in enumerate(film_ids):
            if not tune[k] and sims[k, j] >= threshold:
                inferred[imdb_id].add(genre)
        notes.append(f"{genre}: cosine >= {threshold:.3f} ({precise[-1] + 1} tuning films)")
    return notes, inferred


def section(
    snap: Snapshot | None = None,
    encoder: Encoder | None = None,
    records_for_vectors: list[dict] | None = None,
) -> str:
    corpus = find_corpus()
    films_csv = corpus.with_name("films.csv") if corpus is not None else None
    if films_csv is None or not films_csv.is_file():
        return ""
    with open(films_csv, encoding="utf-8", newline="") as handle:
        truth = {row["imdb_id"]: row for row in csv.DictReader(handle)}
    records = list(read_records(corpus))
    lines = [
        "",
        "## Real reviews without metadata: inference only vs with a catalogue",
        "",
        "Reviews stripped to title, year, text and rating; the truth is the data set's "
        "films.csv. Held-out half of the films (split by a hash of the IMDb id; the rules "
        "were tuned on the other half). Precision and recall are over (film, value) pairs; "
        "country figures count only films the truth places somewhere.",
        "",
        "| reviews per film | source of film facts | country precision | country recall | "
        "genre precision | genre recall | director precision | director recall | films matched |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalogue.sqlite"
        writer = CatalogueWriter(path)
        writer.put(read_catalogue_file(films_csv, CatalogueReport()))
        writer.close()
        catalogue = Catalogue(path)
        questions = {}
        for per_film in (1, 5):
            reviews = stripped_reviews(records, per_film)
            for label, source in (
                ("prose inference only (as shipped)", None),
                ("with the catalogue (films.csv as a catalogue file)", catalogue),
            ):
                films, matched = facts(reviews, source)
                scores = Scores()
                for imdb_id, film in films.items():
                    scores.add(film, truth[imdb_id])
                matched_text = ", ".join(f"{k} {v:,}" for k, v in sorted(matched.items())) or "-"
                lines.append(
                    f"| {per_film} | {label} | {' | '.join(scores.row())} | {matched_text} |"
                )
                if per_film == 1:
                    questions[label] = country_questions(films, truth)
        catalogue.close()
    lines += [
        "",
        f'"films from X" on the same held-out films (one review each), for every country '
        f"with {MIN_FILMS_PER_COUNTRY} films or more: recall / precision of the films found.",
        "",
        "| country | prose inference only | with the catalogue |",
        "| --- | ---: | ---: |",
    ]
    (_, prose), (_, catalogue_rows) = questions.items()
    for (code, r1, p1), (_, r2, p2) in zip(prose, catalogue_rows, strict=True):

        def cell(r: float, p: float) -> str:
            return f"{r:.2f} / {'-' if p != p else f'{p:.2f}'}"

        lines.append(f"| {country_name(code)} | {cell(r1, p1)} | {cell(r2, p2)} |")
    if snap is not None and encoder is not None and records_for_vectors:
        lines += embedding_experiment(snap, encoder, truth, records_for_vectors, records)
    return "\n".join(lines) + "\n"


def embedding_experiment(
    snap: Snapshot,
    encoder: Encoder,
    truth: dict[str, dict],
    indexed: list[dict],
    records: list[dict],
) -> list[str]:
    review_film = {r["review_id"]: r["imdb_id"] for r in indexed}
    notes, inferred = embedding_genres(snap, encoder, truth, review_film)
    reviews = stripped_reviews([r for r in records if r["review_id"] in review_film], 1)
    prose, _ = facts(reviews, None)
    rows = []
    for label, genres_of in (
        ("prose rules", lambda i: set(prose[i].genres)),
        ("embedding similarity", lambda i: inferred.get(i, set())),
        ("prose rules + embedding", lambda i: set(prose[i].genres) | inferred.get(i, set())),
    ):
        rows.append(_genre_row(label, genres_of, prose, truth))
    lines = [
        "",
        "### Genres from embeddings: tried, and kept only if it helps",
        "",
        "Each film's passages (mean of their vectors) against one sentence per genre, "
        "written by us; per genre, the lowest cosine threshold that keeps precision at "
        f"{TARGET} or more on the tuning half (at least 10 films), applied to the held-out "
        "half. One review per film.",
        "",
        "| inference | genre precision | genre recall | genres assigned |",
        "| --- | ---: | ---: | ---: |",
        *rows,
        "",
        "Thresholds: " + "; ".join(notes) + ".",
    ]
    return lines


def _genre_row(
    label: str, genres_of: Callable[[str], set[str]], films: dict[str, Film], truth: dict[str, dict]
) -> str:
    tp = pred = true = 0
    for imdb_id in films:
        got, want = genres_of(imdb_id), truth_genres(truth[imdb_id])
        tp, pred, true = tp + len(got & want), pred + len(got), true + len(want)
    precision = f"{tp / pred:.3f}" if pred else "-"
    return f"| {label} | {precision} | {tp / true:.3f} | {pred:,} |"


if __name__ == "__main__":
    print(section())
