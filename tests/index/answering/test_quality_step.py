"""The quality step: whether a question asks for bad films."""

import pytest

from index.answering.question import quality
from index.answering.question.state import Question


@pytest.mark.parametrize(
    ("question", "bad"),
    [
        ("so bad it's good", True),
        ("something so bad that its good for a party", True),
        ("whats the worst movie ever made", True),
        ("the worst horror films of all time", True),
        ("overrated classics", True),
        ("trashy b-movies from the 80s", True),
        ("a good heist film", False),
        ("a film about the worst day of her life", False),
        ("not bad at all, a fun comedy", False),
    ],
)
def test_bad_films_are_asked_for_in_so_many_words(question, bad):
    q = Question(question)
    quality.read(q)
    assert q.wants_bad is bad


@pytest.mark.parametrize(
    "question",
    ["include panned ones", "even the bad ones", "French comedies, including panned ones"],
)
def test_asking_for_the_panned_films_left_out_wants_them_and_leaves_no_search_words(question):
    q = Question(question)
    quality.read(q)
    assert q.wants_bad and "panned" not in q.text and " bad " not in q.text


def test_a_pan_of_some_kind_is_no_request_for_panned_films():
    q = Question("a film critics panned at first but love now")
    quality.read(q)
    assert not q.wants_bad
