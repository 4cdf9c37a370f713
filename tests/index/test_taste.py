"""`engine.taste`: a member's ratings export brought in as their own ratings without words
(listed, replaced when brought again, forgotten, purged with them), and answers shaped like
`search --json`."""

from __future__ import annotations

import json

import pytest

from tests.index.answering.test_taste import A, B, films, titles  # noqa: F401 (a fixture)

LETTERBOXD = (
    "Date,Name,Year,Letterboxd URI,Rating\n"
    "2024-01-06,The Salt Road,2004,https://boxd.it/aa1,5\n"
    "2024-01-07,Glass Harbour,2008,https://boxd.it/aa2,4.5\n"
    "2024-01-08,Cold Iron,1994,https://boxd.it/aa3,1\n"
    "2024-01-09,Kite Season,2005,https://boxd.it/aa4,\n"
)
IMDB = (
    "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,"
    "Num Votes,Release Date,Directors\n"
    "tt0000001,9,2023-05-01,Orbit of Ash,https://www.imdb.com/title/tt0000001/,Movie,7.9,101,"
    '2015,"Sci-Fi, Drama",1000,2015-03-01,Somebody Else\n'
)


def test_a_letterboxd_export_becomes_the_members_own_ratings(films, write):  # noqa: F811
    brought = films.taste.bring(A, 301, write("ratings.csv", LETTERBOXD), "ratings.csv")
    assert (brought.ratings, brought.unrated, brought.words) == (3, 0, 0)
    assert brought.report.added == 3 and "Letterboxd export" in brought.report.notes[0]
    (unrated,) = brought.report.rejected  # Kite Season: watched, not rated
    assert unrated.location.startswith("row 4") and "no rating" in unrated.reason
    mine = films.libraries.reviews(A, 301)
    assert sorted((r.title, r.rating) for r in mine) == [
        ("Cold Iron", 2.0),
        ("Glass Harbour", 9.0),
        ("The Salt Road", 10.0),
    ]
    assert all(r.user_id == "301" and not r.text and r.reviewer is None for r in mine)
    found = films.taste.recommend(A, 301, limit=3)
    assert found.personal and titles(found.result)[0] == "Night Ferry to Oran"
    # Nobody else sees them: not on the film's page, not among films rated 10.
    detail = films.film("The Salt Road", library=A)[1]
    assert detail is not None and all(r.user_id != "301" for r in detail.reviews)


def test_bringing_the_export_again_replaces_rather_than_adds(films, write):  # noqa: F811
    path = write("ratings.csv", LETTERBOXD)
    films.taste.bring(A, 302, path)
    again = films.taste.bring(A, 302, write("ratings.csv", LETTERBOXD.replace(",1\n", ",3\n")))
    assert (again.report.added, again.report.updated, again.report.unchanged) == (0, 1, 2)
    cold = [r for r in films.libraries.reviews(A, 302) if r.title == "Cold Iron"]
    assert [r.rating for r in cold] == [6.0]


def test_an_imdb_export_keeps_the_rating_and_leaves_its_facts_out(films, write):  # noqa: F811
    brought = films.taste.bring(B, 303, write("imdb.csv", IMDB))
    assert brought.ratings == 1
    orbit = films.film("Orbit of Ash", library=B)[1]
    assert orbit is not None and orbit.film.director == "Mara Quinn"  # not "Somebody Else"
    (mine,) = films.libraries.reviews(B, 303)
    assert mine.rating == 9.0


def test_words_in_an_export_are_left_out(films, write):  # noqa: F811
    reviews = (
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n"
        '2024-03-02,Paper Moons,2010,https://boxd.it/bb1,4,,"Sweet and silly.",,2024-03-01\n'
    )
    brought = films.taste.bring(A, 304, write("reviews.csv", reviews))
    assert (brought.ratings, brought.words) == (1, 1)
    assert [r.text for r in films.libraries.reviews(A, 304)] == [""]
    assert "Sweet and silly" not in str(films.ask("sweet and silly", library=A).to_dict())


def test_a_servers_export_leaves_members_ratings_without_words_out(films, write):  # noqa: F811
    films.taste.bring(B, 307, write("ratings.csv", LETTERBOXD))
    films.libraries.post(B, 307, "Kit", "Kite Season", 8, "Two brothers and one perfect kite.")
    exported = [json.loads(line) for line in films.libraries.export(B).splitlines()]
    theirs = [r for r in exported if r.get("user_id") == "307"]
    assert [r["title"] for r in theirs] == ["Kite Season"]


def test_forget_deletes_only_the_ratings_without_words(films, write):  # noqa: F811
    films.taste.bring(A, 305, write("ratings.csv", LETTERBOXD))
    films.libraries.post(A, 305, "Eve", "Reef Hunters", 8, "Pearls, divers and one big shark.")
    assert films.taste.forget(A, 305) == 3
    assert [r.title for r in films.libraries.reviews(A, 305)] == ["Reef Hunters"]
    assert films.taste.forget(A, 305) == 0


def test_purging_a_member_takes_their_brought_ratings_too(films, write):  # noqa: F811
    films.taste.bring(B, 306, write("ratings.csv", LETTERBOXD))
    purged = films.libraries.purge_member(306)
    assert purged.reviews == {B: 3} and films.libraries.reviews(B, 306) == []


def test_taste_belongs_to_a_server(films, write):  # noqa: F811
    with pytest.raises(ValueError, match="server"):
        films.taste.recommend("base", 1)
    with pytest.raises(ValueError, match="server"):
        films.taste.bring("base", 1, write("ratings.csv", LETTERBOXD))


def test_recommend_json_is_search_json_with_a_why_per_film(films, write):  # noqa: F811
    films.taste.bring(A, 307, write("ratings.csv", LETTERBOXD))  # its own member: runs alone
    data = films.taste.recommend(A, 307, "something French", limit=2).to_dict()
    search = films.ask("something French", library=A, limit=2).to_dict()
    assert set(search) <= set(data) and data["filters"] == search["filters"]
    assert all(set(search["results"][0]) | {"why"} == set(r) for r in data["results"])
    assert data["taste"]["personal"] is True
