"""What a question compares a film with: "Ringu scared me more than any American horror film",
"funnier than most comedies". The kinds of film after "than" are the standard of the
comparison, not a wish: taken out before genres, countries or people are read. A bare
"other than horror" (an exception) and "more than two hours" (an amount) are left to the
steps that read them."""

from __future__ import annotations

import re

from index.answering.question.state import Question

# "than" and a word that makes what follows a class of films ("any", "most", "the usual"),
_STANDARD = re.compile(
    r"\bthan\s+(?:any|most|all|every|many|other|typical|usual|regular|average|"
    r"(?:the|your|my)\s+(?:usual|typical|average|regular|other))\s+"
    # to the film word that closes it, or to the clause's end ("than most romantic comedies.")
    r"(?:(?:[\w'’-]+\s+){0,4}?(?:films?|movies?|flicks?|ones?)\b|"
    r"[\w'’-]+(?:\s+[\w'’-]+){0,3}?(?=\s*(?:[.!?;,]|$)))",
    re.IGNORECASE,
)


def read(question: Question) -> None:
    for m in list(_STANDARD.finditer(question.text)):
        question.cut(m)
