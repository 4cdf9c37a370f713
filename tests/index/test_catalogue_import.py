"""A film catalogue fills in what reviews do not say, files reviews under its films, and is
published with the index like any version: engine level, with the real model."""

import json

import numpy as np
import pytest

from index.storage.versions import CATALOGUES

CATALOGUE = (
    "imdb_id,title,year,countries,genres,directors,cast,runtime_minutes,languages,poster_url\n"
    "tt6751668,Parasite,2019,KR,Thriller|Comedy|Drama,Bong Joon-ho,Song Kang-ho|Lee Sun-kyun,132,ko,https://img.example/p.jpg\n"
    "tt0113277,Heat,1995,US,Crime|Thriller,Michael Mann,Al Pacino|Robert De Niro,170,en,\n"
    "tt0118694,In the Mood for Love,2000,HK,Drama|Romance,Wong Kar-wai,Tony Leung Chiu-wai|Maggie Cheung,98,yue,\n"
)
REVIEWS = [  # the way real reviews arrive: title, year, text, rating, nothing else
    {
        "id": "r1",
        "title": "Parasite",
        "year": 2019,
        "rating": 9,
        "text": "A poor family works its way into a rich household and the basement hides a secret.",
    },
    {
        "id": "r2",
        "title": "Heat",
        "year": 1995,
        "rating": 8,
        "text": "A detective and a thief circle each other through a long night of robberies.",
    },
    {
        "id": "r3",
        "title": "In the Mood for Love",
        "year": 2000,
        "rating": 10,
        "text": "Two neighbours in narrow corridors, rain and longing, nothing said aloud.",
    },
    {
        "id": "r4",
        "title": "A Film Nobody Catalogued",
        "year": 2020,
        "rating": 6,
        "text": "A quiet drama about a lighthouse keeper that the catalogue has never heard of.",
    },
]


def jsonl(rows):
    return "\n".join(json.dumps(r) for r in rows) + "\n"


def rows_of(vectors) -> np.ndarray:
    """A version's vectors in a fixed order (a review filed anew moves to a newer segment)."""
    found = np.asarray(vectors)
    return found[np.lexsort(found.T[::-1])]


@pytest.fixture
def indexed(engine, write):
    engine.ingest([write("reviews.jsonl", jsonl(REVIEWS))])
    return engine


def test_a_catalogue_imported_after_ingest_files_reviews_under_its_films_and_embeds_nothing(
    indexed, write
):
    before = rows_of(indexed.snapshot().vectors)
    blind = indexed.ask("Korean thrillers")  # the reviews never say it: not used, and said
    assert [(i.phrase, i.why) for i in blind.query.ignored] == [
        ("Korean", "no film in the index has a known country"),
        ("thrillers", "no film in the index has a known genre"),
    ]
    done = indexed.import_catalogue([write("films.csv", CATALOGUE)], tmdb=False)
    assert done.reviews == {"matched": 3, "unmatched": 1} and done.films == 3
    snap = indexed.snapshot()
    assert snap.name == done.version
    assert np.array_equal(rows_of(snap.vectors), before)  # the same vectors, moved or not
    result = indexed.ask("Korean thrillers")
    assert [h.film.film_id for h in result.hits] == ["tt6751668"] and result.total == 1


def test_catalogue_facts_fill_film_pages_and_say_where_they_came_from(indexed, write):
    indexed.import_catalogue([write("films.csv", CATALOGUE)], tmdb=False)
    _, detail = indexed.film("Parasite")
    data = detail.to_dict()
    assert data["countries"] == ["KR"] and data["director"] == "Bong Joon-ho"
    assert data["languages"] == ["ko"] and data["runtime"] == 132 and data["imdb_id"] == "tt6751668"
    assert data["poster_url"] == "https://img.example/p.jpg"
    assert data["sources"]["countries"] == "catalogue:films.csv"


def test_what_a_review_record_gives_wins_over_the_catalogue_which_wins_over_prose(engine, write):
    engine.import_catalogue([write("films.csv", CATALOGUE)], tmdb=False)
    engine.ingest(
        [
            write(
                "r.jsonl",
                jsonl(
                    [
                        {
                            "id": "g",
                            "title": "Heat",
                            "year": 1995,
                            "countries": ["GB"],
                            "text": "This French thriller about a heist in Los Angeles runs long.",
                        },
                        {
                            "id": "p",
                            "title": "In the Mood for Love",
                            "year": 2000,
                            "text": "This Japanese romance is all corridors and rain.",
                        },
                    ]
                ),
            )
        ]
    )
    heat = engine.film("Heat")[1].to_dict()
    assert heat["countries"] == ["GB"] and heat["sources"]["countries"] == "review"
    assert heat["genres"] == ["Crime", "Thriller"] and heat["sources"]["genres"].startswith(
        "catalogue"
    )
    mood = engine.film("In the Mood for Love")[1].to_dict()
    assert mood["countries"] == ["HK"] and mood["sources"]["countries"].startswith("catalogue")


def test_reviews_ingested_after_a_catalogue_are_matched_as_they_arrive(engine, write):
    engine.import_catalogue([write("films.csv", CATALOGUE)], tmdb=False)
    rows = [
        *REVIEWS,
        {
            "id": "r5",
            "title": "heat",
            "url": "https://www.imdb.com/title/tt0113277/",
            "text": "Seen again: the diner scene still holds.",
            "rating": 9,
        },
    ]
    report = engine.ingest([write("reviews.jsonl", jsonl(rows))])
    assert report.films == {"matched": 4, "unmatched": 1}
    assert report.as_dict()["films"] == {"matched": 4, "ambiguous": 0, "unmatched": 1}
    assert engine.film("Heat")[1].film.n_reviews == 2


def test_runtime_and_language_questions_use_the_catalogue(indexed, write):
    indexed.import_catalogue([write("films.csv", CATALOGUE)], tmdb=False)
    short = indexed.ask("films under 100 minutes")
    assert short.query.filters.runtime_max == 99
    assert [h.film.title for h in short.hits] == ["In the Mood for Love"]
    assert {h.film.title for h in indexed.ask("longer than two hours").hits} == {
        "Parasite",
        "Heat",
    }
    assert [h.film.title for h in indexed.ask("Cantonese-language films").hits] == [
        "In the Mood for Love"
    ]
    foreign = indexed.ask("foreign-language films")
    assert "Heat" not in {h.film.title for h in foreign.hits}
    assert foreign.to_dict()["filters"]["languages_none"] == ["en"]


def test_catalogue_versions_are_published_with_the_index_and_old_ones_removed(indexed, write):
    for i in range(3):
        indexed.import_catalogue([write(f"films{i}.csv", CATALOGUE)], tmdb=False)
    root = indexed.settings.index_dir
    kept = {json.loads(p.read_text()).get("catalogue") for p in root.glob("v*/manifest.json")}
    on_disk = {f"{CATALOGUES}/{p.name}" for p in (root / CATALOGUES).iterdir()}
    assert on_disk == kept and len(kept) == 2  # the live version's and the previous one's


def test_a_failed_import_leaves_the_live_version_and_no_leftovers(indexed, write, monkeypatch):
    from index.storage import versions

    live = indexed.store.current_name()

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(versions.VersionWriter, "commit", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        indexed.import_catalogue([write("films.csv", CATALOGUE)], tmdb=False)
    assert indexed.store.current_name() == live
    root = indexed.settings.index_dir
    assert not list(root.glob(".tmp-*")) and not list((root / CATALOGUES).glob(".tmp-*"))


def test_a_rating_without_words_counts_for_rating_questions(engine, write):
    diary = write(
        "diary.csv",
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
        "2024-01-05,Oldboy,2003,https://boxd.it/bbb1,5,,,2024-01-04\n",
    )
    engine.ingest([write("reviews.jsonl", jsonl(REVIEWS)), diary])
    top = engine.ask("rated 10", limit=10)
    assert {h.film.title for h in top.hits} == {"Oldboy", "In the Mood for Love"}
    match, similar = engine.similar("Oldboy")
    assert match.film is not None and similar is not None and similar.hits == ()
    assert engine.ask("a family and a basement").hits  # words still match the others


def test_a_catalogue_row_with_an_id_is_the_reviewed_film_without_one_when_title_and_year_agree(
    engine, write
):
    """Over the sample catalogue (no ids): a row `tt0113277,Heat,1995,...` is the same film as
    the reviewed "Heat (1995)", and its facts apply (it was "ambiguous" between the two)."""
    from index.engine import SAMPLE_CATALOGUE

    engine.import_catalogue([SAMPLE_CATALOGUE], tmdb=False)
    engine.ingest([write("reviews.jsonl", jsonl(REVIEWS[1:2]))])
    done = engine.import_catalogue(
        [
            write(
                "ids.csv",
                CATALOGUE.splitlines()[0]
                + "\ntt0113277,Heat,1995,,,,,171,,https://img.example/h.jpg\n",
            )
        ],
        tmdb=False,
    )
    assert done.reviews == {"matched": 1}, done.reviews
    film = engine.film("Heat")[1].film
    assert film.film_id == "tt0113277" and film.runtime == 171  # the newer row's facts
    assert film.director == "Michael Mann" and film.countries == ("US",)  # the older ones kept
    report = engine.ingest(
        [
            write(
                "more.jsonl",
                jsonl(
                    [{**REVIEWS[1], "id": "r2b", "text": "Another night of robberies in the city."}]
                ),
            )
        ]
    )
    assert report.films == {"matched": 1}


def test_conflicting_rows_for_one_imdb_id_are_reported_and_the_first_kept(engine, write):
    path = write(
        "films.csv",
        CATALOGUE
        + "tt0113277,Heat 2,1996,GB,Crime,,,,,\n"
        + "tt6751668,Parasite,2019,KR,,,,,,\n",  # the same facts again: no conflict
    )
    done = engine.import_catalogue([path], tmdb=False)
    report = done.sources[str(path)]
    (problem,) = report.problems
    assert problem.location == "row 4 (line 5)"
    assert "tt0113277" in problem.reason and "row 2 (line 3)" in problem.reason
    assert "'Heat 2'" in problem.reason and "'Heat'" in problem.reason
    engine.ingest([write("reviews.jsonl", jsonl(REVIEWS[1:2]))])
    film = engine.film("Heat")[1].film
    assert (film.title, film.year, film.countries) == ("Heat", 1995, ("US",))


def test_a_folder_of_catalogue_files_is_read_like_the_files_one_by_one(engine, write, tmp_path):
    from index.engine import SAMPLE_CATALOGUE

    folder = SAMPLE_CATALOGUE.parent  # films.csv and a README
    done = engine.import_catalogue([folder], tmdb=False)
    assert list(done.sources) == [str(SAMPLE_CATALOGUE)]
    assert done.sources[str(SAMPLE_CATALOGUE)].kept == 98 and done.films == 98
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("nothing here")
    done = engine.import_catalogue([tmp_path / "empty"], tmdb=False)
    (problem,) = done.sources[str(tmp_path / "empty")].problems
    assert "title.basics.tsv" in problem.reason and ".csv" in problem.reason, problem.reason
