"""TMDB fills what the catalogue lacks, politely: tested end to end against a fake TMDB on
127.0.0.1 (no key, 401, 404, 429, malformed JSON, a slow server, the cache)."""

import json

import pytest
from pydantic import SecretStr

from tests.index.reading.fake_tmdb import FakeTmdb

CATALOGUE = (
    "imdb_id,title,year,countries,genres,directors,cast,runtime_minutes,languages,poster_url\n"
    "tt6751668,Parasite,2019,,Thriller,,,132,,\n"
)
REVIEWS = [
    {"id": "a", "title": "Parasite", "year": 2019, "text": "A family climbs into a big house."},
    {"id": "b", "title": "Star Wars", "year": 1977, "text": "A farm boy leaves for the stars."},
    {"id": "c", "title": "Nothing On Record", "year": 2001, "text": "A film TMDB does not know."},
]


@pytest.fixture
def tmdb():
    with FakeTmdb() as fake:
        yield fake


@pytest.fixture
def club(engine, write, tmdb, tmp_path):
    engine.ingest([write("reviews.jsonl", "\n".join(json.dumps(r) for r in REVIEWS))])
    settings = engine.settings.tmdb
    settings.api_key, settings.base_url = SecretStr("test-key"), tmdb.url
    settings.cache_dir, settings.timeout_seconds, settings.retries = tmp_path / "cache", 0.5, 1
    settings.requests_per_second = 50
    return engine


def catalogue_import(engine, write):
    return engine.import_catalogue([write("films.csv", CATALOGUE)])


def test_without_a_key_tmdb_is_off_and_says_so_in_one_line(engine, write, tmdb):
    done = catalogue_import(engine, write)
    assert done.tmdb is None and done.tmdb_off.startswith("TMDB is off: set CINEBOT_TMDB__API_KEY")
    assert tmdb.requests == []


def test_tmdb_fills_missing_facts_and_unknown_films_then_answers_from_its_cache(club, write, tmdb):
    done = catalogue_import(club, write)
    assert (done.tmdb.asked, done.tmdb.found, done.tmdb.not_found) == (3, 2, 1)
    parasite = club.film("Parasite")[1].to_dict()
    assert parasite["countries"] == ["KR"] and parasite["languages"] == ["ko"]
    assert parasite["runtime"] == 132  # the catalogue file had it: TMDB only fills gaps
    assert parasite["poster_url"] == "https://image.tmdb.org/t/p/w342/parasite.jpg"
    assert parasite["cast"][0] == "Song Kang-ho" and parasite["director"] == "Bong Joon-ho"
    assert parasite["sources"]["countries"] == "catalogue:tmdb"
    assert parasite["sources"]["runtime"] == "catalogue:films.csv"
    star_wars = club.film("Star Wars")[1].to_dict()
    assert star_wars["film_id"] == "tt0076759" and star_wars["genres"] == ["Sci-Fi"]
    asked = len(tmdb.requests)
    again = catalogue_import(club, write)
    assert len(tmdb.requests) == asked and again.tmdb.from_cache > 0


def test_a_refused_key_stops_tmdb_with_one_line_and_the_files_are_still_imported(club, write, tmdb):
    tmdb.status = 401
    done = catalogue_import(club, write)
    assert done.tmdb.stopped.startswith("TMDB refused the key (401)")
    assert len(tmdb.requests) == 1 and done.version is not None
    assert club.film("Parasite")[1].film.runtime == 132


def test_not_found_is_counted_not_failed(club, write, tmdb):
    done = catalogue_import(club, write)
    assert done.tmdb.not_found == 1 and done.tmdb.failures == []


def test_too_many_requests_waits_for_retry_after_then_goes_on(club, write, tmdb):
    tmdb.too_many, tmdb.retry_after = 1, "1"
    done = catalogue_import(club, write)
    assert done.tmdb.found == 2 and not done.tmdb.failures
    (first_at, _, _), (second_at, _, _) = tmdb.requests[:2]
    assert second_at - first_at >= 0.9  # the Retry-After was honoured


def test_a_malformed_answer_is_reported_and_the_next_film_still_asked(club, write, tmdb):
    tmdb.malformed = {"/3/find/tt6751668"}
    done = catalogue_import(club, write)
    assert done.tmdb.failures == ["Parasite (2019): the answer was not JSON"]
    assert done.tmdb.found == 1  # Star Wars, asked after it


def test_a_slow_server_is_retried_then_reported(club, write, tmdb):
    tmdb.slow, tmdb.delay = {"/3/find/tt6751668"}, 2.0
    done = catalogue_import(club, write)
    assert done.tmdb.failures == ["Parasite (2019): timed out 2 times"]
    assert sum(p == "/3/find/tt6751668" for p in tmdb.paths()) == 2


def test_tmdb_is_never_asked_during_a_search(club, tmdb):
    club.ask("a farm boy and the stars")
    club.ask("Korean thrillers rated 8+")
    assert tmdb.requests == []
