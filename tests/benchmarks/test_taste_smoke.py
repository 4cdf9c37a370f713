"""The taste evaluation end to end on a tiny corpus and a tiny MovieLens of our own: members
made from ratings, likes hidden, every system scored, the report written."""

import json

import pytest

from benchmarks import eval_taste
from benchmarks.imdb import CORPUS_ENV, real_engine
from tests.index.answering.test_taste import FILMS

pytestmark = pytest.mark.slow  # the real model and an index of its own

NAMES = {
    "FR": "France",
    "US": "United States",
    "IN": "India",
    "GB": "United Kingdom",
    "AU": "Australia",
}


def write_data(tmp_path):
    corpus = tmp_path / "imdb" / "reviews.jsonl"
    corpus.parent.mkdir()
    corpus.write_text(
        "\n".join(
            json.dumps(
                {
                    "review_id": f"r{i}",
                    "imdb_id": f"tt{i:07d}",
                    "title": t,
                    "year": y,
                    "genres": g,
                    "countries": [NAMES[c] for c in cs],
                    "director": d,
                    "rating": r,
                    "text": text,
                }
            )
            for i, (t, y, cs, g, d, r, text) in enumerate(FILMS)
        )
        + "\n"
    )
    films = ["imdb_id,title,year,genres,countries,director,n_reviews,country_source,movielens_id"]
    films += [
        f"tt{i:07d},{t},{y},{'|'.join(g)},{'|'.join(NAMES[c] for c in cs)},{d},1,test,{100 + i}"
        for i, (t, y, cs, g, d, r, text) in enumerate(FILMS)
    ]
    (corpus.parent / "films.csv").write_text("\n".join(films) + "\n")
    movielens = tmp_path / "movielens"
    movielens.mkdir()
    rows = ["userId,movieId,rating,timestamp"]
    for user in range(1, 10):
        for i in range(12):  # each rates twelve films; the likes follow the user's own bent
            film = (user + i) % len(FILMS)
            stars = 5.0 if FILMS[film][2] == FILMS[user % len(FILMS)][2] else 2.5 + (i % 3)
            rows.append(f"{user},{100 + film},{stars},{1000 + i}")
    (movielens / "ratings.csv").write_text("\n".join(rows) + "\n")
    return corpus, movielens


def test_taste_evaluation_scores_every_system_and_writes_the_report(tmp_path, monkeypatch, encoder):
    corpus, movielens = write_data(tmp_path)
    monkeypatch.setenv(CORPUS_ENV, str(corpus))
    monkeypatch.setenv(eval_taste.MOVIELENS_ENV, str(movielens))
    assert eval_taste.find_movielens() == movielens
    engine, _ = real_engine(tmp_path / "work", encoder=encoder)
    persons = eval_taste.people(engine, movielens, corpus.with_name("films.csv"))
    assert len(persons) == 9 and all(len(p.ratings) == 12 for p in persons)
    cases = eval_taste.cases(persons, seeds=(0,))
    for case in cases:
        liked = {r[0] for r in case.person.ratings if r[1] >= eval_taste.LIKED}
        assert case.hidden <= liked and len(case.hidden) == max(1, round(0.2 * len(liked)))
        assert not case.hidden & {r[0] for r in case.kept}
    out = tmp_path / "TASTE.md"
    report = eval_taste.run(
        engine, movielens, corpus.with_name("films.csv"), out, seeds=(0,), n_groups=4
    )
    assert out.read_text().startswith(report)
    for heading in ("## /recommend", "## Movie night", "## Acceptance", "## Tuning record"):
        assert heading in report
    rows = [line for line in report.splitlines() if line.startswith("| **/recommend**")]
    assert len(rows) == 1
    hit = float(rows[0].split("|")[2].split("±")[0])
    assert 0.0 <= hit <= 1.0
    assert "for 4 of 4 groups checked" in report  # the shortcut ranks as movie_night does


def test_scores_count_a_hit_and_discount_by_rank():
    assert eval_taste.scores([5, 6, 7], frozenset({5})) == (1.0, 1.0)
    hit, ndcg = eval_taste.scores([6, 5], frozenset({5, 9}))
    assert hit == 1.0 and 0 < ndcg < 1
    assert eval_taste.scores([1, 2], frozenset({5})) == (0.0, 0.0)
