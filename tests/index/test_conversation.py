"""Conversations: follow-ups refine the previous question."""

import json

import pytest

from index.conversation import Conversation, is_follow_up


@pytest.fixture
def chat(sample_engine):
    return Conversation(sample_engine, page_size=3)


def titles(reply):
    return [h.film.title for h in reply.result.hits]


def test_more_shows_the_next_page(chat):
    first = chat.ask("Korean action thrillers rated 8+")
    second = chat.ask("more")
    assert titles(first) == ["Oldboy", "The Man from Nowhere", "Train to Busan"]
    assert titles(second) == ["I Saw the Devil", "Ballerina"]
    assert chat.ask("more").message.startswith("That's all")
    assert titles(chat.ask("back")) == ["Oldboy", "The Man from Nowhere", "Train to Busan"]


def test_not_horror_refines_the_previous_question(chat):
    chat.ask("Korean action thrillers rated 8+")
    reply = chat.ask("not horror")
    assert reply.refined
    assert reply.result.query.filters.genres_none == ["Horror"]
    assert reply.result.query.filters.countries == ["KR"]
    assert "Train to Busan" not in titles(reply) and "I Saw the Devil" not in titles(reply)


def test_only_after_2015_refines_the_previous_question(chat):
    chat.ask("Korean action thrillers rated 8+")
    reply = chat.ask("only after 2015")
    assert set(titles(reply)) == {"Train to Busan", "Ballerina"}
    assert all(h.film.year > 2015 for h in reply.result.hits)


def test_a_follow_up_keeps_the_question_it_refines_as_a_structure(chat):
    chat.ask("Korean action thrillers rated 8+")
    chat.ask("not horror")
    query = chat.ask("only after 2015").result.query
    assert (
        query.text == "only after 2015" and query.first.text == "Korean action thrillers rated 8+"
    )
    assert query.follows.text == "not horror"
    # snippets are chosen for everything asked so far, not the last words alone
    assert query.asked == "Korean action thrillers rated 8+ + not horror + only after 2015"


def test_funny_ones_after_horror_films_narrows_them_to_horror_comedies(chat):
    chat.ask("horror films")
    reply = chat.ask("funny ones")
    assert reply.refined
    assert reply.result.query.filters.genres_all == ["Horror", "Comedy"]
    assert set(titles(reply)) == {"Shaun of the Dead", "What We Do in the Shadows"}
    assert all({"Horror", "Comedy"} <= set(h.film.genres) for h in reply.result.hits)


def test_what_about_a_kind_puts_it_in_place_of_the_kind_asked_before(chat):
    chat.ask("horror films")
    reply = chat.ask("what about comedies")
    assert reply.refined
    assert reply.result.query.filters.genres_all == ["Comedy"]


def test_a_sentence_with_ones_in_it_is_a_new_question_not_a_narrowing(chat):
    chat.ask("horror films")
    reply = chat.ask("my dad loved the old ones, any westerns he has not seen")
    assert not reply.refined
    for chatter in (
        "the old ones are better",
        "the new ones are all terrible",
        "films for the little ones",
        "The Ones Below",
    ):
        assert not is_follow_up(chatter), chatter
    for narrowing in (
        "funny ones",
        "only the british ones",
        "which ones are from the 90s?",
        "ones with Tom Hanks",
        "any of those from the 90s?",
    ):
        assert is_follow_up(narrowing), narrowing


def test_what_about_another_kind_leaves_the_earlier_meaning_behind(chat):
    chat.ask("zombie films")
    reply = chat.ask("what about comedies")
    assert reply.refined and reply.result.query.filters.genres_all == ["Comedy"]
    assert "zombie" not in reply.result.query.semantic
    chat.ask("zombie films")
    assert "zombie" in chat.ask("what about the 90s").result.query.semantic  # a number only


def test_like_the_second_one_finds_films_similar_to_that_result(chat):
    chat.ask("zombie films")
    shown = [label for label in chat.shown]
    reply = chat.ask("like the second one")
    assert reply.kind == "similar"
    assert reply.result.similar_to.title == shown[1].rsplit(" (", 1)[0]
    assert shown[1].rsplit(" (", 1)[0] not in titles(reply)


def test_like_a_title_and_film_lookups(chat):
    assert chat.ask("movies like Heat").result.similar_to.title == "Heat"
    assert chat.ask("film the godfather").match.film.title == "The Godfather"
    assert "Did you mean" in chat.ask("like Godfater Part Two").message


def test_a_new_question_is_not_mistaken_for_a_follow_up(chat):
    chat.ask("Korean action thrillers rated 8+")
    reply = chat.ask("French comedies")
    assert not reply.refined and reply.result.query.filters.countries == ["FR"]


def test_follow_ups_without_a_question_explain_themselves(chat):
    assert "Ask a question first" in chat.ask("more").message
    assert "no list yet" in chat.ask("like the second one").message
    assert chat.ask("help").kind == "help" and chat.ask("quit").kind == "bye"


def test_back_on_the_first_page_says_there_is_nothing_before_it(chat):
    first = chat.ask("Korean action thrillers rated 8+")
    reply = chat.ask("back")
    assert reply.kind == "message" and "first page" in reply.message
    assert titles(chat.ask("more")) != titles(first)


@pytest.fixture
def two_heats(engine, write):

    lines = [
        {
            "id": "a",
            "title": "Heat",
            "year": 1995,
            "rating": 9,
            "text": "A bank heist in Los Angeles.",
        },
        {"id": "b", "title": "Heat", "year": 1986, "rating": 6, "text": "A Las Vegas bodyguard."},
        {"id": "c", "title": "Ronin", "year": 1998, "rating": 8, "text": "A car chase in Paris."},
    ]
    engine.ingest([write("heat.jsonl", "\n".join(json.dumps(x) for x in lines))])
    return Conversation(engine, page_size=3)


def test_a_choice_between_films_waits_through_a_refinement_and_is_answered_by_year(two_heats):
    asked = two_heats.ask("film Heat")
    assert asked.detail is None and "could be several films" in asked.message
    again = two_heats.ask("only after 1990")
    assert again.kind == "message" and again.message.startswith("First, which one?")
    picked = two_heats.ask("the 1995 one")
    assert picked.detail is not None and picked.detail.film.year == 1995


def test_a_choice_is_answered_by_its_number_and_dropped_by_a_new_question(two_heats):
    asked = two_heats.ask("films like Heat")
    number = [f.year for f in asked.match.candidates].index(1986) + 1
    assert f"{number}. Heat (1986)" in asked.message
    assert two_heats.ask(str(number)).result.similar_to.year == 1986
    two_heats.ask("film Heat")
    reply = two_heats.ask("a car chase")
    assert reply.kind == "search" and two_heats.pending is None


def test_include_panned_ones_refines_the_previous_question(engine, write):
    lines = [
        {"id": "a", "title": "Tide", "year": 1994, "rating": 8, "text": "A ferry at sea."},
        {"id": "b", "title": "Squall", "year": 1997, "rating": 3, "text": "A storm at sea."},
    ]
    engine.ingest([write("sea.jsonl", "\n".join(json.dumps(x) for x in lines))])
    chat = Conversation(engine, page_size=3)
    assert titles(chat.ask("films from the 1990s")) == ["Tide"]
    assert sorted(titles(chat.ask("include panned ones"))) == ["Squall", "Tide"]
