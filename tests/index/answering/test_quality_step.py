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
