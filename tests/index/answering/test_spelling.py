"""A misspelt word of a question is read as the word the reviews use, and said so; words the
reviews use, capitalised words and other servers' words are left as they are."""

from __future__ import annotations

import json

import pytest

from index.engine import Engine

A, B = "guild:1001", "guild:2002"


def notes(result) -> dict[str, str]:
    return {i.phrase: i.why for i in result.query.ignored if i.used}


def test_a_misspelt_search_word_is_read_as_the_word_reviews_use(sample_engine):
    result = sample_engine.ask("films about greif and losing someone")
    assert "grief" in result.query.semantic and "greif" not in result.query.semantic
    assert "grief" in notes(result)["greif"]
    assert result.query.text == "films about greif and losing someone"  # as it was asked


def test_a_misspelt_genre_is_read_as_the_genre(sample_engine):
    assert sample_engine.ask("a comdy for tonight").query.filters.genres_all == ["Comedy"]


def test_a_misspelt_kind_of_film_is_that_kind_though_no_review_says_it(harbour):
    """ "animaton" is one letter from "animation" (which no review here says) and from
    "animator": a kind of film the question may name comes first."""
    assert "'animation'" in notes(harbour.ask("animaton for kids"))["animaton"]
    assert "'adventure'" in notes(harbour.ask("an adventrue"))["adventrue"]


def test_a_name_after_its_role_is_never_corrected(sample_engine):
    result = sample_engine.ask("a drama directed by matteo garrone")
    assert result.query.filters.directors == ["Matteo Garrone"]
    assert "matteo" not in notes(result)  # not read as "matter"


def test_chat_shorthand_is_never_corrected(sample_engine):
    result = sample_engine.ask("i dont like horror, any recs")
    assert result.query.filters.genres_none == ["Horror"] and not notes(result)


def test_a_capitalised_word_is_never_corrected(sample_engine):
    assert "Greif" in sample_engine.ask("films about Greif").query.semantic


@pytest.fixture
def harbour(engine: Engine, write) -> Engine:
    lines = [
        {"id": "1", "title": "Harbour", "year": 2001, "text": "A kaiju wades into the harbour."},
        {"id": "2", "title": "Kilns", "year": 2002, "text": "Potters fire their kilns at night."},
    ]
    engine.ingest([write("base.jsonl", "\n".join(json.dumps(line) for line in lines))])
    return engine


def test_a_word_the_reviews_use_is_kept_though_no_dictionary_has_it(harbour):
    assert harbour.ask("kaiju films").query.semantic == "kaiju"


def test_a_typo_keeps_its_first_letter(harbour):
    """ "kilms" is one letter from "kilns" (which the reviews say) and from "films": only the
    word with the same first letter may be meant."""
    assert notes(harbour.ask("kilms at night"))["kilms"].startswith("read as 'kilns'")


def test_another_servers_reviews_correct_nothing_here(harbour):
    harbour.libraries.post(B, 7, "Bo", "Harbour (2001)", "8", "A story of grief by the sea.")
    assert "greif" in notes(harbour.ask("a film about greif", library=B))
    for place in (A, None):
        assert not notes(harbour.ask("a film about greif", library=place))
