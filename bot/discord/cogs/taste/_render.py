"""Taste answers as embeds: a member's own recommendations (only they see them), a movie
night's picks beside its poll, the winner, and what an imported ratings file gave. Every
string from a review, a title or a member's name goes through `safety`."""

from __future__ import annotations

import datetime as dt

import discord

from bot import presentation
from bot.discord import render, safety
from index import Brought, FilmHit, MovieNight, Recommendation

COLOUR = render.COLOUR


def _pick_field(index: int, hit: FilmHit, why: str, budget: int) -> tuple[str, str]:
    name = safety.safe_cut(f"{index}. {hit.film.label}", safety.FIELD_NAME)
    lines = [f"*{safety.safe_cut(why, 300)}*"]
    facts = " · ".join(presentation.film_facts(hit.film, hit.rating))
    if facts:
        lines.append(safety.safe_cut(facts, 200))
    if hit.reviews and hit.reviews[0].snippet.strip():
        review = hit.reviews[0]
        who = safety.safe_cut(presentation.reviewer(review.reviewer), 60)
        head = f"{who}, {presentation.rating_text(review.rating)}: "
        room = max(40, budget - sum(len(line) + 1 for line in lines) - len(head))
        lines.append(head + safety.safe_cut(review.snippet, room))
    return name, safety.cut("\n".join(lines), budget)


def _fitted(embed_of: object, budget: int = safety.FIELD_VALUE) -> discord.Embed:
    """The embed with its fields as long as they may be while the whole fits."""
    assert callable(embed_of)
    while True:
        embed = embed_of(budget)
        if len(embed) <= safety.EMBED_TOTAL or budget <= 200:
            return embed
        budget -= 100


def recommendation_embed(rec: Recommendation, question: str | None = None) -> discord.Embed:
    result = rec.result
    title = f"For you: “{question}”" if question else "For you"
    parts = [
        presentation.taste_notice(rec.rated, rec.needed) or presentation.taste_basis(rec.rated),
        render.understood(result),
        presentation.ignored_notice(result),
        presentation.relaxed_notice(result),
        "No films left to suggest: you have reviewed every film that fits."
        if not result.hits
        else None,
    ]
    description = "\n".join(p for p in parts if p)

    def build(budget: int) -> discord.Embed:
        embed = discord.Embed(
            title=safety.safe_cut(title, safety.EMBED_TITLE),
            description=safety.cut(description, safety.EMBED_DESCRIPTION),
            colour=COLOUR,
        )
        for i, (hit, why) in enumerate(zip(result.hits, rec.why, strict=True), 1):
            name, value = _pick_field(i, hit, why, budget)
            embed.add_field(name=name, value=value, inline=False)
        embed.set_footer(
            text="Only you see this. Your taste is worked out from your own reviews and ratings "
            "in this server when you ask, and kept nowhere."
        )
        return embed

    return _fitted(build)


def movie_night_embed(night: MovieNight, closes: dt.datetime) -> discord.Embed:
    who = presentation.names([m.name for m in night.members])
    neutral = presentation.neutral_notice([m.name for m in night.neutral], night.needed)
    parts = [
        safety.safe(f"For {who}: films none of you has reviewed, {night.how}."),
        safety.safe(neutral) if neutral else None,
        render.understood(night.result),
        presentation.ignored_notice(night.result),
        presentation.relaxed_notice(night.result),
        f"Vote below: the poll closes <t:{int(closes.timestamp())}:R>, then the winner is named.",
    ]
    description = "\n".join(p for p in parts if p)

    def build(budget: int) -> discord.Embed:
        embed = discord.Embed(
            title="Movie night",
            description=safety.cut(description, safety.EMBED_DESCRIPTION),
            colour=COLOUR,
        )
        for i, (hit, reason) in enumerate(zip(night.result.hits, night.reasons, strict=True), 1):
            name, value = _pick_field(i, hit, reason, budget)
            embed.add_field(name=name, value=value, inline=False)
        return embed

    return _fitted(build)


def winner_embed(label: str, votes: int, total: int, note: str) -> discord.Embed:
    """The film the group chose."""
    title = safety.safe_cut(f"Movie night: {label}", safety.EMBED_TITLE)
    tally = f"{votes} of {total} vote{'s' if total != 1 else ''}" if total else "no votes"
    description = f"**{safety.safe_cut(label, 200)}** wins with {tally}." + (
        f"\n{safety.safe_cut(note, 500)}" if note else ""
    )
    return discord.Embed(title=title, description=description, colour=COLOUR)


def brought_embed(brought: Brought, filename: str) -> discord.Embed:
    report = brought.report
    embed = discord.Embed(
        title=safety.safe_cut(f"Your ratings from {filename}", safety.EMBED_TITLE), colour=COLOUR
    )
    for name, value in (
        ("Ratings taken", brought.ratings),
        ("New", report.added),
        ("Changed", report.updated),
        ("Unchanged", report.unchanged),
        ("Unusable rows", report.n_rejected),
    ):
        embed.add_field(name=name, value=str(value))
    notes = [*report.notes]
    if brought.unrated:
        notes.append(f"{brought.unrated} film(s) without a rating were left out.")
    if brought.words:
        notes.append(
            f"The words of {brought.words} review(s) were left out: only ratings are taken from "
            "a file; post words with /review post if you want others to read them."
        )
    problems = [f"{p.location}: {p.reason}" for p in report.rejected[:5]]
    if problems:
        notes.append("Unusable: " + "; ".join(problems))
    notes.append(
        "Only you and /recommend see these ratings; /myreviews lists them, /review delete or "
        "/taste forget removes them."
    )
    embed.description = safety.safe_cut("\n".join(notes), safety.EMBED_DESCRIPTION)
    return embed
