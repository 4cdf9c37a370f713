"""Libraries: the base library and one per server, as a tenant filter inside the same search.
A server sees the base library and its own; a DM (no library) sees the base library only."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading

import pytest

from index.engine import Engine
from index.errors import NotYours
from index.storage.versions import IndexStore, Lease
from tests.conftest import make_settings

A, B = "guild:1001", "guild:2002"
# A film the sample corpus does not review, so that whoever sees it, saw a server's review.
HARBOUR = {
    "id": "h1",
    "title": "Harbour of Lanterns",
    "year": 2024,
    "rating": "9/10",
    "reviewer": "Bea",
    "countries": ["KR"],
    "genres": ["Thriller"],
    "text": "A ferry captain smuggles paper lanterns past the coastguard every full moon.",
}


@pytest.fixture(scope="module")
def libraries(sample_engine, encoder, tmp_path_factory) -> Engine:
    """The sample index, plus an upload into server B and a member's review in server B."""
    root = tmp_path_factory.mktemp("libraries")
    shutil.copytree(sample_engine.settings.index_dir, root / "index")
    engine = Engine(make_settings(root / "index"), encoder)
    upload = root / "upload.jsonl"
    upload.write_text(json.dumps(HARBOUR) + "\n", encoding="utf-8")
    report = engine.ingest([upload], library=B)
    assert report.added == 1 and not report.rejected
    engine.libraries.post(
        B,
        42,
        "Kit",
        "Train to Busan",
        "10/10",
        "Kit says: the moonlit ferry scene with the lanterns is unforgettable.",
    )
    return engine


def titles(result) -> list[str]:
    return [hit.film.title for hit in result.hits]


def test_a_servers_upload_answers_only_in_that_server(libraries):
    question = "smuggling paper lanterns past the coastguard"
    assert titles(libraries.ask(question, library=B))[0] == "Harbour of Lanterns"
    assert "Harbour of Lanterns" not in titles(libraries.ask(question, limit=50, library=A))
    assert "Harbour of Lanterns" not in titles(libraries.ask(question, limit=50))


def test_filters_apply_inside_the_tenant_filter(libraries):
    korean = "Korean thrillers rated 8+"
    assert "Harbour of Lanterns" in titles(libraries.ask(korean, limit=50, library=B))
    assert "Harbour of Lanterns" not in titles(libraries.ask(korean, limit=50, library=A))


def test_a_servers_film_is_not_found_by_title_elsewhere(libraries):
    assert libraries.film("Harbour of Lanterns", library=B)[1] is not None
    for place in (A, None):
        match, detail = libraries.film("Harbour of Lanterns", library=place)
        assert detail is None and match.film is None
        assert "Harbour of Lanterns (2024)" not in libraries.suggest_titles(
            "harbour", library=place
        )
        assert libraries.similar("Harbour of Lanterns", library=place)[1] is None


def test_a_members_review_shows_only_in_their_server_and_counts_only_there(libraries):
    def busan(place):
        _, detail = libraries.film("Train to Busan", library=place)
        return detail

    mine = [r for r in busan(B).reviews if r.reviewer == "Kit"]
    assert mine and mine[0].user_id == "42" and mine[0].rating == 10.0
    assert busan(B).film.n_reviews == busan(A).film.n_reviews + 1
    assert not [r for r in busan(A).reviews if r.reviewer == "Kit"]
    hits = libraries.ask("moonlit ferry scene with lanterns", limit=50, library=A).hits
    for hit in hits:
        assert all(r.reviewer != "Kit" for r in hit.reviews)
        if hit.film.title == "Train to Busan":
            assert hit.film.n_reviews == busan(A).film.n_reviews


def test_similar_from_a_server_never_returns_another_servers_film(libraries):
    _, result = libraries.similar("Train to Busan", limit=50, library=A)
    assert result is not None and "Harbour of Lanterns" not in titles(result)


def test_stats_split_the_base_library_from_the_servers(libraries):
    mine = libraries.stats(B)["libraries"]
    assert mine[B] == {"reviews": 2, "films": 2} and mine["base"]["reviews"] > 50
    assert set(libraries.stats(A)["libraries"]) == {"base"}
    assert set(libraries.stats()["libraries"]) == {"base"}
    assert B in libraries.stats(everything=True)["libraries"]


def test_a_servers_review_does_not_change_what_others_are_told_about_a_film(
    libraries, sample_engine
):
    ours = libraries.film("Train to Busan", library=A)[1].film
    before = sample_engine.film("Train to Busan")[1].film
    assert (ours.countries, ours.genres, ours.director) == (
        before.countries,
        before.genres,
        before.director,
    )


def test_upload_ids_are_the_servers_own(engine, write):
    """Two servers upload files with the same review ids: neither replaces the other's."""
    record = {"id": "1", "title": "Harbour of Lanterns", "year": 2024, "text": HARBOUR["text"]}
    engine.ingest([write("a.jsonl", json.dumps(record))], library=A)
    engine.ingest([write("b.jsonl", json.dumps({**record, "text": "Lanterns, again."}))], library=B)
    assert [r.text for r in engine.libraries.reviews(A)] == [HARBOUR["text"]]
    assert [r.text for r in engine.libraries.reviews(B)] == ["Lanterns, again."]


def test_members_edit_and_delete_only_their_own_reviews(engine, write):
    engine.ingest([write("base.jsonl", json.dumps(HARBOUR))])
    rid, _ = engine.libraries.post(A, 7, "Ann", "Harbour of Lanterns", "4/5", "Moody and slow.")
    other, _ = engine.libraries.post(A, 8, "Bo", "Harbour of Lanterns", "2/5", "Too slow for me.")
    with pytest.raises(NotYours):
        engine.libraries.post(
            A, 7, "Ann", "Harbour of Lanterns", "5/5", "Mine now.", review_id=other
        )
    with pytest.raises(NotYours):  # the same member, another server's library
        engine.libraries.post(B, 7, "Ann", "Harbour of Lanterns", "5/5", "Edited.", review_id=rid)
    engine.libraries.post(
        A, 7, "Ann", "Harbour of Lanterns", "5/5", "Moody, slow, great.", review_id=rid
    )
    assert [(r.rating, r.text) for r in engine.libraries.reviews(A, 7)] == [
        (10.0, "Moody, slow, great.")
    ]
    assert engine.libraries.delete(A, [other], user_id=7) == 0  # not hers
    assert engine.libraries.delete(B, [other]) == 0  # another server's managers
    assert engine.libraries.delete(A, [other]) == 1  # this server's managers
    assert [r.review_id for r in engine.libraries.reviews(A)] == [rid]


def test_the_same_review_posted_twice_is_stored_once_under_the_id_given_first(engine):
    first, _ = engine.libraries.post(A, 7, "Ann", "Heat (1995)", "8", "The street shootout.")
    again, report = engine.libraries.post(A, 7, "Ann", "Heat (1995)", "8", "The street shootout.")
    assert again == first and report.duplicates == 1
    assert [r.review_id for r in engine.libraries.reviews(A, 7)] == [first]


@pytest.mark.parametrize(
    ("rating", "why"),
    [("11/10", "outside its scale"), ("superb", "scale we know"), (None, "some words, a rating")],
)
def test_a_members_review_that_cannot_be_used_says_why(engine, rating, why):
    text = "" if rating is None else "Fine."
    with pytest.raises(ValueError, match=why):
        engine.libraries.post(A, 7, "Ann", "Heat", rating, text)
    assert not engine.has_index()  # nothing was written


def test_a_review_over_the_length_limit_is_refused(engine):
    most = engine.settings.libraries.review_max_chars
    with pytest.raises(ValueError, match=f"limit is {most}"):
        engine.libraries.post(A, 7, "Ann", "Heat", "8", "x" * (most + 1))


def test_stars_and_fractions_are_normalised_to_ten(engine):
    engine.libraries.post(A, 7, "Ann", "Heat (1995)", "★★★½", "Long and tense.")
    engine.libraries.post(A, 8, "Bo", "Heat (1995)", "4/5", "The street shootout.")
    assert sorted(r.rating for r in engine.libraries.reviews(A)) == [7.0, 8.0]
    assert {(r.title, r.year) for r in engine.libraries.reviews(A)} == {("Heat", 1995)}


def test_export_is_jsonl_that_ingest_reads_back(libraries, engine, tmp_path):
    exported = libraries.libraries.export(B)
    lines = [json.loads(line) for line in exported.splitlines()]
    assert {line["title"] for line in lines} == {"Harbour of Lanterns", "Train to Busan"}
    assert all(not line["id"].startswith(B) for line in lines)
    assert [line.get("user_id") for line in lines] == [None, "42"]
    assert {line["library"] for line in lines} == {B}
    (tmp_path / "export.jsonl").write_text(exported, encoding="utf-8")
    report = engine.ingest([tmp_path / "export.jsonl"], library=A)
    assert report.added == 1 and "--keep-owners" in report.rejected[0].reason  # Kit's is B's
    report = engine.ingest([tmp_path / "export.jsonl"], library=A, keep_owners=True)
    assert report.added == 1 and not report.rejected
    assert [r.reviewer for r in engine.libraries.reviews(A, 42)] == ["Kit"]


def test_departures_while_the_bot_was_off_start_the_countdown(engine, write):
    engine.ingest([write("a.jsonl", json.dumps(HARBOUR))], library=A)
    engine.ingest([write("b.jsonl", json.dumps(HARBOUR))], library=B)
    assert engine.libraries.notice_departures({1001}) == [B]
    first = engine.libraries.departed()[B]
    assert engine.libraries.notice_departures({1001}) == []  # noticed once; the time kept
    assert engine.libraries.departed() == {B: first}
    engine.libraries.server_returned(B)
    other_shards = engine.libraries.notice_departures(set(), mine=lambda server: server == 1001)
    assert other_shards == [A]  # B is another process's to judge


def test_purging_a_user_removes_their_reviews_everywhere_and_nothing_else(engine, write):
    engine.ingest([write("base.jsonl", json.dumps(HARBOUR))])
    engine.libraries.post(A, 7, "Ann", "Harbour of Lanterns", "8", "First.")
    engine.libraries.post(B, 7, "Ann", "Harbour of Lanterns", "8", "Second.")
    engine.libraries.post(B, 8, "Bo", "Harbour of Lanterns", "8", "Third.")
    assert engine.libraries.delete(user_id=7) == 2
    assert [r.text for r in engine.libraries.reviews(B)] == ["Third."]
    assert engine.libraries.reviews(A) == [] and engine.stats()["reviews"] == 1


def test_a_left_servers_library_is_kept_then_purged(engine, write):
    engine.ingest([write("a.jsonl", json.dumps(HARBOUR))], library=A)
    engine.ingest([write("b.jsonl", json.dumps(HARBOUR))], library=B)
    left = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    engine.libraries.server_left(A, left)
    engine.libraries.server_left(B, left)
    engine.libraries.server_returned(B)
    keep = dt.timedelta(days=engine.settings.libraries.keep_days)
    assert engine.libraries.purge_expired(left + keep - dt.timedelta(hours=1)) == []
    assert engine.libraries.purge_expired(left + keep) == [A]
    assert engine.libraries.reviews(A) == [] and len(engine.libraries.reviews(B)) == 1
    assert engine.libraries.purge_expired(left + 2 * keep) == []


def test_a_hundred_reviews_in_a_row_are_all_kept_versions_stay_bounded_and_searches_answer(
    libraries, encoder, tmp_path
):
    shutil.copytree(libraries.settings.index_dir, tmp_path / "index")
    writer = Engine(make_settings(tmp_path / "index"), encoder)
    reader = Engine(make_settings(tmp_path / "index"), encoder)
    failures: list[BaseException] = []
    answered = [0]
    done = threading.Event()

    def search_meanwhile() -> None:
        while not done.is_set():
            try:
                result = reader.ask("a ferry captain and lanterns", library=B)
                assert result.hits
                answered[0] += 1
            except BaseException as exc:
                failures.append(exc)
                return

    thread = threading.Thread(target=search_meanwhile)
    thread.start()
    versions = []
    try:
        for i in range(100):
            writer.libraries.post(
                B,
                500 + i % 7,
                f"member{i}",
                "Train to Busan",
                str(i % 11),
                f"Review number {i}: the carriages and the station.",
            )
            versions.append(len(list((tmp_path / "index").glob("v[0-9]*"))))
    finally:
        done.set()
        thread.join()
    assert not failures, failures[0]
    assert answered[0] > 0
    assert max(versions) <= 4, versions  # live, previous, and at most two a search still held
    # live, the one before, and one each engine may still read (a merge publishes too)
    assert len(list((tmp_path / "index").glob("v[0-9]*"))) <= 4
    mine = writer.libraries.reviews(B)
    assert sum(r.text.startswith("Review number") for r in mine) == 100
    top = reader.ask("review number 57 carriages station", library=B).hits[0]
    assert top.film.title == "Train to Busan"


def test_a_version_a_search_holds_is_collected_only_once_it_is_let_go(engine, write):
    def commit(i: int) -> None:
        record = {**HARBOUR, "id": str(i), "text": f"{HARBOUR['text']} Night {i}."}
        engine.ingest([write(f"{i}.jsonl", json.dumps(record))])

    for i in range(3):
        commit(i)
    store = IndexStore(engine.settings.index_dir)
    first = store.current()
    assert first is not None
    lease = Lease.take(first.path)
    for i in range(3, 6):
        commit(i)
    assert first.path.is_dir()  # held: still there, two versions later
    lease.release()
    commit(6)
    assert first.name == "v000003" and not first.path.exists()
    assert len(list(engine.settings.index_dir.glob("v[0-9]*"))) == 2


def test_suggestions_for_a_new_review_include_catalogue_films_no_review_names(engine, write):
    catalogue = write(
        "films.csv",
        "imdb_id,title,year,countries,genres\n"
        "tt12477480,Decision to Leave,2022,KR,Thriller\n"
        ",Heat,1995,US,Crime\n",
    )
    engine.import_catalogue([catalogue], tmdb=False)
    engine.ingest(
        [
            write(
                "r.jsonl",
                json.dumps({"id": "1", "title": "Heat", "year": 1995, "text": "Bank robbers."}),
            )
        ]
    )
    assert engine.suggest_titles("decision", library=A) == []
    assert engine.suggest_titles("decision", library=A, catalogue=True) == [
        "Decision to Leave (2022)"
    ]
    engine.libraries.post(
        A, 7, "Ann", "Decision to Leave (2022)", "9", "A detective falls for a suspect."
    )
    film = engine.film("Decision to Leave", library=A)[1].film
    assert film.countries == ("KR",) and film.imdb_id == "tt12477480"


ISLAND = {
    "id": "i1",
    "title": "The Quiet Fjord",
    "year": 2019,
    "rating": "8/10",
    "countries": ["Iceland"],
    "director": "Hekla Bjorg",
    "cast": ["Orri Steinn"],
    "text": "Two ferrymen wait out the winter on a fjord that will not freeze.",
}


def test_a_films_facts_from_one_server_never_reach_another_or_a_dm(engine, write):
    """Server A says where the film is from and who made it; B reviews the same film without
    saying. B (and a DM) must not learn A's facts, nor find the film through them."""
    engine.ingest([write("a.jsonl", json.dumps(ISLAND))], library=A)
    engine.libraries.post(B, 5, "Bo", "The Quiet Fjord (2019)", "7", "Cold, slow and lovely.")
    _, in_a = engine.film("The Quiet Fjord", library=A)
    _, in_b = engine.film("The Quiet Fjord", library=B)
    assert (in_a.film.countries, in_a.film.director) == (("IS",), "Hekla Bjorg")
    assert (in_b.film.countries, in_b.film.director, in_b.film.cast) == ((), None, ())
    assert [r.reviewer for r in in_b.reviews] == ["Bo"]
    icelandic = engine.ask("Icelandic films about ferrymen", library=B)
    assert not icelandic.relaxed or "The Quiet Fjord" not in titles(icelandic)
    assert titles(engine.ask("Icelandic films about ferrymen", library=A))[0] == "The Quiet Fjord"
    assert engine.film("The Quiet Fjord")[1] is None  # a DM does not see it at all
    assert engine.stats(B)["countries"] == {} and engine.stats(A)["countries"] == {"IS": 1}


def test_a_servers_reviews_fill_only_what_everyone_does_not_know(engine, write):
    """With a base review that says the country, a server's review saying another changes
    nothing; what the base says nothing about (the director), the server's own fills for
    itself alone."""
    base = {**ISLAND, "id": "b1", "countries": ["Norway"], "director": None, "cast": []}
    engine.ingest([write("base.jsonl", json.dumps(base))])
    engine.ingest([write("a.jsonl", json.dumps(ISLAND))], library=A)
    _, in_a = engine.film("The Quiet Fjord", library=A)
    _, in_dm = engine.film("The Quiet Fjord")
    assert in_a.film.countries == ("NO",) and in_a.film.director == "Hekla Bjorg"
    assert in_dm.film.countries == ("NO",) and in_dm.film.director is None
    assert titles(engine.ask("films by Hekla Bjorg", library=A))[:1] == ["The Quiet Fjord"]
    nobody = engine.ask("films by Hekla Bjorg")  # a DM knows no such director: no review names her
    assert nobody.hits == () and not nobody.relaxed
    assert nobody.query.ignored[0].why.endswith("searched the reviews for the name")


def test_names_a_server_taught_are_known_there_alone(engine, write):
    """A person and a film only server A's reviews name: A's questions recognise them (even
    misspelt); B's and a DM's do not (no title, no person: the words stay in the search)."""
    engine.ingest([write("a.jsonl", json.dumps(ISLAND))], library=A)
    engine.ingest([write("base.jsonl", json.dumps({**HARBOUR, "id": "base1"}))])
    for question in ("Hekla Bjorg thrillers", "Hekla Bjorgg thrillers"):  # the second misspelt
        assert engine.ask(question, library=A).query.filters.directors == ["Hekla Bjorg"]
    assert engine.ask("The Quiet Fjord", library=A).query.title == "The Quiet Fjord"
    for place in (B, None):
        named = engine.ask("Hekla Bjorg thrillers", library=place).query
        assert not (named.filters.directors or named.filters.cast)
        assert "Hekla Bjorg" in named.semantic
        film = engine.ask("the quiet fjord", library=place).query
        assert film.title is None and film.like is None and "quiet fjord" in film.semantic
    assert engine.ask("Harbour of Lanterns", library=B).query.title == "Harbour of Lanterns"


def test_a_review_without_a_year_never_joins_another_servers_film(engine, write):
    """A member of B names, by its title alone, a film only server A has: it is a film of B's
    own (not A's year, facts or reviews); in A, the same words join A's film."""
    engine.ingest([write("a.jsonl", json.dumps(ISLAND))], library=A)
    engine.libraries.post(B, 5, "Bo", "The Quiet Fjord", "7", "Cold, slow and lovely.")
    _, in_b = engine.film("The Quiet Fjord", library=B)
    assert in_b.film.label == "The Quiet Fjord" and in_b.film.countries == ()
    assert [r.reviewer for r in in_b.reviews] == ["Bo"]
    engine.libraries.post(A, 6, "Al", "The Quiet Fjord", "8", "Colder than it looks.")
    _, in_a = engine.film("The Quiet Fjord", library=A)
    assert in_a.film.label == "The Quiet Fjord (2019)" and len(in_a.reviews) == 2
    assert "Bo" not in [r.reviewer for r in in_a.reviews]


def test_a_film_two_servers_review_is_named_in_each_as_its_own_reviews_name_it(engine, write):
    engine.ingest(
        [write("a.jsonl", json.dumps({**ISLAND, "title": "Quiet Fjord, The"}))], library=A
    )
    engine.libraries.post(B, 5, "Bo", "the quiet fjord (2019)", "7", "Cold, slow and lovely.")
    _, in_b = engine.film("the quiet fjord", library=B)
    assert in_b.film.label == "the quiet fjord (2019)"
    assert engine.suggest_titles("quiet fjord", library=B)[:1] == ["the quiet fjord (2019)"]
    assert engine.ask("something like quiet fjord", library=B).query.like == "the quiet fjord"
    _, in_a = engine.film("the quiet fjord", library=A)
    assert in_a.film.label == "Quiet Fjord, The (2019)"
    assert engine.suggest_titles("quiet fjord", library=A)[:1] == ["Quiet Fjord, The (2019)"]


def test_a_catalogue_film_only_one_server_reviews_teaches_nothing_elsewhere(engine, write):
    """The catalogue knows a film only server A reviews: its people are A's to be corrected
    to, and its facts (a runtime no other film has) are judged in A alone. B and a DM read
    the question as if A had never reviewed it."""
    engine.import_catalogue(
        [
            write(
                "films.csv",
                "title,year,countries,genres,directors,cast,runtime_minutes\n"
                "Glass Harbour,2011,NO,Drama,Zbigniew Korlath,Ada Vinterberg,101\n"
                "Lantern Alley,2005,US,Comedy,Jane Roe,John Doe,\n",
            )
        ],
        tmdb=False,
    )
    lantern = {"id": "l1", "title": "Lantern Alley", "year": 2005, "text": "Shoes and a dog."}
    engine.ingest([write("base.jsonl", json.dumps(lantern))])

    def read(place):
        return [
            engine.ask(q, library=place).query
            for q in (
                "films by Zbigniew Korlat",
                "films by Zbigniew Korlath",
                "films under 2 hours",
            )
        ]

    before = {place: read(place) for place in (B, None)}
    glass = {"id": "g1", "title": "Glass Harbour", "year": 2011, "text": "Rowers on glass."}
    engine.ingest([write("a.jsonl", json.dumps(glass))], library=A)
    misspelt, exact, runtime = read(A)
    assert misspelt.filters.directors == ["Zbigniew Korlath"] and not misspelt.ignored
    assert not exact.ignored and runtime.filters.runtime_max == 119 and not runtime.ignored
    for place in (B, None):
        assert read(place) == before[place]
        misspelt, exact, runtime = before[place]
        assert misspelt.filters.directors == ["Zbigniew Korlat"]  # as typed, not corrected
        assert exact.ignored[0].why.endswith("searched the reviews for the name")
        assert runtime.ignored[0].why == "no film in the index has a known runtime"
