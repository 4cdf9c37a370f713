"""Conversations: follow-ups refine the previous question."""

import pytest

from index.conversation import Conversation


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
