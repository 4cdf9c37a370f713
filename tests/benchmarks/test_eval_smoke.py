"""The evaluation harness end to end on a tiny corpus in the IMDb file's shape (our own text)."""

import json

import pytest

from benchmarks import eval_quality
from benchmarks.imdb import CORPUS_ENV, real_engine

pytestmark = pytest.mark.slow  # the real model and an index of its own

FILMS = [
    (
        "The Long Night Shift",
        1984,
        ["Horror"],
        ["United States"],
        "Ada Marsh",
        9,
        "Zombies shuffle through a hospital after dark and the nurses barricade the wards.",
    ),
    (
        "Dust on the Saddle",
        1956,
        ["Western"],
        ["United States"],
        "Cole Brandt",
        8,
        "Cowboys ride into a dry town and the gunfight at the well settles who owns the water.",
    ),
    (
        "Paris in the Rain",
        1999,
        ["Romance", "Comedy"],
        ["France"],
        "Lena Roux",
        7,
        "Two strangers share an umbrella and keep missing each other at every cafe.",
    ),
    (
        "Seoul Runner",
        2008,
        ["Action", "Thriller"],
        ["South Korea"],
        "Min Baek",
        10,
        "A courier sprints across rooftops with a stolen drive while the police close in.",
    ),
    (
        "Quiet Harvest",
        1972,
        ["Drama"],
        ["Italy"],
        "Pia Conti",
        2,
        "A farming family argues over the land for two slow hours and nothing much happens.",
    ),
    (
        "Red Planet Lullaby",
        2003,
        ["Sci-Fi"],
        [],
        "Ivo Petrov",
        4,
        "Astronauts drift toward Mars and the ship's computer starts singing to them.",
    ),
]


def test_eval_harness_scores_filters_exactly_and_writes_the_report(tmp_path, monkeypatch, encoder):
    corpus = tmp_path / "reviews.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps(
                {
                    "review_id": f"r{i}",
                    "imdb_id": f"tt{i}",
                    "title": t,
                    "year": y,
                    "genres": g,
                    "countries": c,
                    "director": d,
                    "rating": r,
                    "text": text,
                }
            )
            for i, (t, y, g, c, d, r, text) in enumerate(FILMS)
        )
        + "\n"
    )
    monkeypatch.setenv(CORPUS_ENV, str(corpus))
    engine, records = real_engine(tmp_path / "work", encoder=encoder)
    assert len(records) == len(FILMS)
    out = tmp_path / "EVAL.md"
    report = eval_quality.run(engine, records, {"cinebot": {}}, out)
    assert out.read_text().startswith(report)
    first_table = report.split("\n\n## ")[0]  # the answer-quality table; other sections follow
    rows = {
        line.split("|")[1].strip(): line.split("|")[2:6]
        for line in first_table.splitlines()
        if line.startswith("| ") and "---" not in line and "system" not in line
    }
    assert "## Other people's questions" in report
    assert set(rows) == {
        "BM25 only (bm25s, whole question)",
        "dense only (FAISS, whole question)",
        "cinebot",
    }
    # Every answer cinebot gives to a filter question meets the filters (or it says none does).
    assert rows["cinebot"][0].strip() == "1.000"
    # The baselines have no filters: "French films" alone cannot keep them all in line.
    assert float(rows["dense only (FAISS, whole question)"][0]) < 1.0


def test_knowledge_section_compares_prose_with_a_catalogue(tmp_path, monkeypatch):
    from benchmarks import eval_knowledge

    rows = [
        {
            "review_id": f"r{i}-{k}",
            "imdb_id": f"tt{i:07d}",
            "title": f"{t} {i}",
            "year": y,
            "rating": r,
            "text": f"{text} This western has a slow middle." if "Saddle" in t else text,
        }
        for i, (t, y, g, c, d, r, text) in enumerate(FILMS * 8)
        for k in range(2)
    ]
    corpus = tmp_path / "reviews.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    films = ["imdb_id,title,year,genres,countries,director,n_reviews"]
    films += [
        f"tt{i:07d},{t} {i},{y},{'|'.join(g)},{'|'.join(c)},{d},2"
        for i, (t, y, g, c, d, r, text) in enumerate(FILMS * 8)
    ]
    (tmp_path / "films.csv").write_text("\n".join(films) + "\n")
    monkeypatch.setenv(CORPUS_ENV, str(corpus))
    report = eval_knowledge.section()
    assert "## Real reviews without metadata" in report
    with_catalogue = [line for line in report.splitlines() if "with the catalogue (films" in line]
    assert with_catalogue and all("| 1.000 | 1.000 |" in line for line in with_catalogue)


def test_condensed_ndcg_counts_rank_positions():
    assert eval_quality.ndcg([True, False], 1) == 1.0
    assert eval_quality.ndcg([False, True], 1) < 1.0
    assert eval_quality.ndcg([], 0) == 1.0


def test_review_pages_section_scores_our_pages_and_both_html_readers(tmp_path, monkeypatch):
    from benchmarks import eval_pages

    corpus = tmp_path / "reviews.jsonl"
    record = {"review_id": "r1", "imdb_id": "tt0000001", "title": "Frost Market", "year": 2020}
    record["text"] = "Frost Market is a Norwegian drama directed by Ingrid Solberg."
    corpus.write_text(json.dumps(record) + "\n")
    (tmp_path / "films.csv").write_text(
        "imdb_id,title,year,genres,countries,director,n_reviews\n"
        "tt0000001,Frost Market,2020,Drama,Norway,Ingrid Solberg,1\n"
    )
    monkeypatch.setenv(CORPUS_ENV, str(corpus))
    report = eval_pages.section()
    assert "## Review pages as they are scraped" in report
    rows = {line.split(" | ")[0].strip("| *"): line for line in report.splitlines()}
    assert f"/{len(eval_pages.manifest())} |" in rows["all"]
    assert "| hand-written (selectolax) |" in report
    assert "| **extruct + trafilatura** (shipped) |" in report
    if eval_pages.held_out_probe("tt0000001"):
        assert "| 1.00 (1 said) |" in rows["subject = the reviewed film"]
