"""A movie night's poll: the picks as its answers, within Discord's limits (55 characters an
answer, at most 10 answers, whole hours up to 32 days), and the winner read from the ended
poll as Discord counts it (`results.answer_counts`, exact once `is_finalized`)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import discord

from bot.discord import safety
from index import clean

ANSWER = 55
ANSWERS = 10
MOST_HOURS = 32 * 24
QUESTION = "Movie night: which one shall we watch?"


def poll_for(labels: list[str], seconds: float) -> discord.Poll:
    """The poll, open for the whole hours that cover `seconds` (the bot closes it sooner)."""
    hours = min(MOST_HOURS, max(1, math.ceil(seconds / 3600)))
    poll = discord.Poll(question=QUESTION, duration=dt.timedelta(hours=hours))
    for label in labels[:ANSWERS]:
        poll.add_answer(text=safety.cut(clean(label), ANSWER))  # poll text is plain, not markdown
    return poll


@dataclass(frozen=True)
class Outcome:
    index: int  # the winning pick (its place among the answers)
    votes: int
    total: int
    note: str = ""


def counts(poll: discord.Poll | None) -> list[int]:
    """Votes per answer, in the answers' order (none known: no votes)."""
    answers = sorted(poll.answers, key=lambda a: a.id) if poll is not None else []
    return [a.vote_count for a in answers]


def outcome(votes: list[int]) -> Outcome:
    """The most voted answer. A tie goes to the better match (the earlier answer); with no
    votes at all, the best match is the night's film."""
    total = sum(votes)
    if not total:
        return Outcome(0, 0, 0, "Nobody voted, so the best match for the group it is.")
    best = max(votes)
    tied = [i for i, count in enumerate(votes) if count == best]
    note = (
        "" if len(tied) == 1 else f"A tie between {len(tied)} films: the best match of them wins."
    )
    return Outcome(tied[0], best, total, note)
