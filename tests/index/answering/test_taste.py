"""Taste on data we wrote ourselves: a member's ratings pull films like the ones they liked and
push away films like the ones they panned; a question's filters hold; the films they reviewed
never come back; a group's tastes count alike; and nothing but the member's own reviews in
that server is read."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from config import Settings
from index.answering import taste
from index.answering.answer import Scope
from index.answering.taste import MODEL, Member
from index.engine import Engine
from index.types import StoredReview

# (title, year, countries, genres, director, rating, text): films and prose of our own.
FILMS = [
    (
        "The Salt Road",
        2004,
        ["FR"],
        ["Drama", "Thriller"],
        "Ines Varga",
        9,
        "A smuggler crosses the salt flats at night with a stolen ledger and a nervous mule.",
    ),
    (
        "Glass Harbour",
        2008,
        ["FR"],
        ["Thriller"],
        "Ines Varga",
        8,
        "A harbour clerk notices the same crate arriving twice and starts asking the wrong people.",
    ),
    (
        "Night Ferry to Oran",
        2012,
        ["FR"],
        ["Thriller"],
        "Ines Varga",
        7,
        "Two strangers share a cabin on a night ferry, and only one of them reaches the port.",
    ),
    (
        "Paper Moons",
        2010,
        ["FR"],
        ["Comedy", "Romance"],
        "Luc Berthier",
        8,
        "A florist and a mime keep swapping notes through a bakery window all spring.",
    ),
    (
        "The Baker's Wager",
        2006,
        ["FR"],
        ["Comedy"],
        "Luc Berthier",
        9,
        "A village baker bets his shop that he can make a cake the mayor will not complain about.",
    ),
    (
        "Cold Iron",
        1994,
        ["US"],
        ["Action", "Crime"],
        "Dale Rourke",
        8,
        "A retired safecracker takes one last job and the whole city turns into a shooting gallery.",
    ),
    (
        "Steel Valley",
        1997,
        ["US"],
        ["Action"],
        "Dale Rourke",
        6,
        "Mill workers fight a private army with forklifts and welding torches.",
    ),
    (
        "Orbit of Ash",
        2015,
        ["US"],
        ["Sci-Fi"],
        "Mara Quinn",
        9,
        "A lone engineer repairs a dying space station while the radio plays old lullabies.",
    ),
    (
        "The Last Signal",
        2018,
        ["US"],
        ["Sci-Fi", "Thriller"],
        "Mara Quinn",
        7,
        "A deep-space probe answers a call nobody on Earth remembers sending.",
    ),
    (
        "Monsoon Letters",
        2001,
        ["IN"],
        ["Drama", "Romance"],
        "Ravi Menon",
        9,
        "Letters delayed by the monsoon reach a village years late and change two marriages.",
    ),
    (
        "Kite Season",
        2005,
        ["IN"],
        ["Drama"],
        "Ravi Menon",
        8,
        "Two brothers fight over the best kite in the neighbourhood during the festival week.",
    ),
    (
        "Blood Orchard",
        1989,
        ["GB"],
        ["Horror"],
        "Ada Finch",
        4,
        "Apples rot overnight and the farmhand who eats one starts hearing the trees whisper.",
    ),
    (
        "The Hollow Choir",
        1992,
        ["GB"],
        ["Horror"],
        "Ada Finch",
        7,
        "A church choir keeps singing after the last member has died.",
    ),
    (
        "Deep Blue Teeth",
        1979,
        ["AU"],
        ["Horror", "Thriller"],
        "Tom Reilly",
        6,
        "A great white shark circles a fishing boat for three days and the crew runs out of bait.",
    ),
    (
        "Reef Hunters",
        1981,
        ["AU"],
        ["Thriller"],
        "Tom Reilly",
        8,
        "Divers hunting pearls on the reef are hunted in turn by a shark the size of the boat.",
    ),
]

A, B = "guild:101", "guild:202"


def corpus(folder: Path, facts: bool = True) -> Path:
    path = folder / "films.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    records = [
        {"id": f"f{i}", "title": t, "year": y, "rating": r, "reviewer": "Critic", "text": text}
        | ({"countries": c, "genres": g, "director": d} if facts else {})
        for i, (t, y, c, g, d, r, text) in enumerate(FILMS)
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory, encoder) -> Engine:
    """An engine over our fifteen films, with their facts in the review records."""
    root = tmp_path_factory.mktemp("taste")
    engine = Engine(Settings(index_dir=root / "index"), encoder)
    report = engine.ingest([corpus(root / "in")])
    assert report.added == len(FILMS) and not report.rejected
    return engine


def rate(engine: Engine, library: str, user: int, ratings: dict[str, float]) -> None:
    for title, rating in ratings.items():
        engine.libraries.post(library, user, f"member {user}", title, rating, "")


def titles(result) -> list[str]:
    return [hit.film.title for hit in result.hits]


def scope(engine: Engine, library: str | None = A) -> Scope:
    return Scope(engine.snapshot(), library, engine.encoder, engine.settings.search)


def test_films_by_a_director_the_member_liked_come_first_and_say_why(films):
    rate(films, A, 1, {"The Salt Road": 9, "Glass Harbour": 10, "Steel Valley": 5})
    found = films.taste.recommend(A, 1, limit=5)
    assert found.personal and found.rated == 3
    assert titles(found.result)[0] == "Night Ferry to Oran"
    why = found.why[0]
    assert why.startswith("because you liked ") and "(also by Ines Varga)" in why
    assert "The Salt Road (2004)" in why and "Glass Harbour (2008)" in why


def test_the_films_a_member_reviewed_never_come_back(films):
    rate(films, A, 2, {"The Salt Road": 9, "Paper Moons": 8, "Orbit of Ash": 7, "Cold Iron": 8})
    shown = titles(films.taste.recommend(A, 2, limit=15).result)
    assert shown and not {"The Salt Road", "Paper Moons", "Orbit of Ash", "Cold Iron"} & set(shown)
    assert len(shown) == len(FILMS) - 4


def test_a_panned_film_pushes_films_like_it_down(films):
    liked = {"Reef Hunters": 9, "Monsoon Letters": 9, "Orbit of Ash": 9}
    rate(films, A, 3, liked)
    rate(films, A, 4, {**liked, "Blood Orchard": 1})
    before = titles(films.taste.recommend(A, 3, limit=15).result)
    before.remove("Blood Orchard")
    after = titles(films.taste.recommend(A, 4, limit=15).result)
    assert sorted(before) == sorted(after)
    # The Hollow Choir: the same director, genre, country and decade as the panned film.
    assert after.index("The Hollow Choir") > before.index("The Hollow Choir")
    assert after[-1] == "The Hollow Choir"


def test_a_questions_filters_apply_and_taste_orders_what_passes(films):
    rate(films, A, 5, {"The Salt Road": 10, "Glass Harbour": 9, "Orbit of Ash": 3})
    everything = titles(films.taste.recommend(A, 5, limit=15).result)
    french = films.taste.recommend(A, 5, "something French", limit=15)
    assert french.result.query.filters.countries == ["FR"]
    shown = titles(french.result)
    assert shown == [t for t in everything if t in {f[0] for f in FILMS if f[2] == ["FR"]}]
    assert french.to_dict()["results"][0]["why"] == french.why[0]


def test_a_questions_words_pick_the_films_and_taste_orders_them(films):
    rate(films, A, 6, {"Reef Hunters": 9, "The Salt Road": 9, "Kite Season": 8})
    found = films.taste.recommend(A, 6, "a shark hunting people at sea", limit=3)
    assert titles(found.result)[0] == "Deep Blue Teeth"
    assert found.result.query.semantic


def test_with_fewer_than_three_rated_reviews_it_says_so_and_shows_the_best_rated(films):
    rate(films, A, 7, {"Cold Iron": 9, "Kite Season": 8})
    found = films.taste.recommend(A, 7, limit=4)
    assert not found.personal and (found.rated, found.needed) == (2, 3)
    ratings = [hit.rating for hit in found.result.hits]
    assert ratings == sorted(ratings, reverse=True) and ratings[0] == 9
    assert "Cold Iron" not in titles(found.result)
    assert all(why.startswith("well liked here: ") for why in found.why)
    assert found.to_dict()["taste"] == {"rated_reviews": 2, "needed": 3, "personal": False}


def test_taste_reads_only_the_members_reviews_in_that_server(films):
    rate(films, B, 8, {"The Salt Road": 10, "Glass Harbour": 10, "Paper Moons": 2})
    in_a = films.taste.recommend(A, 8, limit=15)
    in_b = films.taste.recommend(B, 8, limit=3)
    assert in_b.personal and titles(in_b.result)[0] == "Night Ferry to Oran"
    assert not in_a.personal and in_a.rated == 0  # nothing of B's reviews is read in A
    assert "The Salt Road" in titles(in_a.result)  # B's review does not hide it in A either


def test_a_members_ratings_without_words_are_theirs_alone(films):
    rate(films, B, 9, {"Steel Valley": 10, "Blood Orchard": 10, "Kite Season": 10})
    mine = films.libraries.reviews(B, 9)
    assert len(mine) == 3 and all(not r.text for r in mine)  # /myreviews lists them
    steel = films.film("Steel Valley", library=B)[1]
    assert steel is not None and [r.reviewer for r in steel.reviews] == ["Critic"]
    rated = films.ask("rated 10", library=B)
    assert "Steel Valley" not in titles(rated) and "Blood Orchard" not in titles(rated)
    counts = films.stats(B)["libraries"]
    assert B not in counts or counts[B]["reviews"] == sum(
        1 for r in films.libraries.reviews(B) if r.text
    )
    assert films.taste.recommend(B, 9).personal  # their own taste reads them


def test_the_group_term_matches_brute_force(films):
    s = scope(films)
    ratings = taste.ratings_of(s.snap, [_rated(s, "Glass Harbour", 9), _rated(s, "Paper Moons", 3)])
    weights = ratings.weights(MODEL)
    fast = taste.shared_term(s, "genres", ratings, weights, era=7.0)
    facts = s.facts
    for row in range(len(facts.films)):
        mine = set(facts.film(row).genres)
        expected = 0.0
        for j, rated in enumerate(ratings.rows.tolist()):
            theirs = set(facts.film(rated).genres)
            if mine and theirs:
                shared = len(mine & theirs) / math.sqrt(len(mine) * len(theirs))
                gap = abs((facts.film(row).year or 0) - (facts.film(rated).year or 0))
                expected += weights[j] * math.exp(-gap / 7.0) * shared
        assert fast[row] == pytest.approx(expected), facts.film(row).title
    director = taste.shared_term(s, "directors", ratings, weights, era=None)
    varga = [r for r in range(len(facts.films)) if facts.film(r).director == "Ines Varga"]
    assert set(np.flatnonzero(director > 0).tolist()) == set(varga)


def _rated(s: Scope, title: str, rating: float) -> StoredReview:
    film = s.snap.titles.resolve(title, s.snap.visible_films(None)).film
    assert film is not None
    return StoredReview(f"x-{title}", film.film_id, A, None, rating, None, None, "", None, "")


def test_a_movie_night_leaves_out_what_anyone_reviewed_and_names_the_neutral(films):
    rate(films, A, 10, {"The Salt Road": 10, "Glass Harbour": 9, "Cold Iron": 3})
    rate(films, A, 11, {"Monsoon Letters": 10, "Paper Moons": 9, "Steel Valley": 2})
    rate(films, A, 12, {"Orbit of Ash": 8})
    night = films.taste.movie_night(A, [(10, "Ana"), (11, "Ben"), (12, "Cy")], limit=15)
    reviewed = {
        "The Salt Road",
        "Glass Harbour",
        "Cold Iron",
        "Monsoon Letters",
        "Paper Moons",
        "Steel Valley",
        "Orbit of Ash",
    }
    shown = titles(night.result)
    assert shown and not reviewed & set(shown) and len(shown) == len(FILMS) - len(reviewed)
    assert [m.name for m in night.neutral] == ["Cy"]
    assert len(night.reasons) == len(shown)
    assert not any(title in " ".join(night.reasons) for title in reviewed)  # names no rated film
    data = night.to_dict()
    assert [m["neutral"] for m in data["members"]] == [False, False, True]


def test_a_movie_night_weighs_each_members_taste_alike(films):
    s = scope(films)
    ana = [_rated(s, "The Salt Road", 10), _rated(s, "Glass Harbour", 9), _rated(s, "Cold Iron", 3)]
    ben = [
        _rated(s, "Monsoon Letters", 10),
        _rated(s, "Paper Moons", 9),
        _rated(s, "Steel Valley", 2),
    ]
    group = [(Member("1", "Ana", 0), ana), (Member("2", "Ben", 0), ben)]
    for caution in (0.0, 1.0):
        model = replace(MODEL, caution=caution)
        night = taste.movie_night(s, group, "", 20, model)
        p = taste.passing(s, "")
        candidates = p.masks.films.copy()
        each = [taste.ratings_of(s.snap, reviews) for _, reviews in group]
        for ratings in each:
            candidates[ratings.reviewed] = False
        scores = np.stack(
            [
                taste.taster(s, m, r, p, candidates, model).score
                for (m, _), r in zip(group, each, strict=True)
            ]
        )
        expected = caution * scores.min(axis=0) + (1 - caution) * scores.mean(axis=0)
        rows = [s.snap.film_row[hit.film.film_id] for hit in night.result.hits]
        assert rows == sorted(rows, key=lambda r: -expected[r])
        assert all(np.std(scores[i][candidates]) == pytest.approx(1.0) for i in range(2))


def test_without_facts_the_reviews_words_carry_the_taste(tmp_path, encoder):
    engine = Engine(Settings(index_dir=tmp_path / "index"), encoder)
    engine.ingest([corpus(tmp_path / "in", facts=False)])
    rate(engine, A, 1, {"Reef Hunters": 10, "Kite Season": 5, "Paper Moons": 5})
    found = engine.taste.recommend(A, 1, limit=2)
    assert found.personal and titles(found.result)[0] == "Deep Blue Teeth"
    assert "Reef Hunters (1981)" in found.why[0]
