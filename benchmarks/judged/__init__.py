"""The judged evaluation (issue #25): questions written before any answer, three systems'
top 5 films pooled and judged blind by a written rule, P@5 per kind of question.

    questions.jsonl  the questions (ours), each with the need it is judged against
    RULES.md         the judging rule
    judgments.jsonl  the judge's records, kept: a later run judges only what is new

    questions.py  reading the questions and the chats they form
    corpus.py     the 12,000-review index the systems answer from (data/judged, git-ignored)
    systems.py    cinebot, BM25 only, dense only: top 5 films per question
    store.py      judgments: keys, reading, appending
    scoring.py    P@5 per kind, panned share, snippet share, coverage (pure functions)
    judge.py      the judge's tool: blind pools with dossiers on the terminal, recording

The report is written by `python -m benchmarks.eval_judged` to benchmarks/JUDGED.md.
"""
