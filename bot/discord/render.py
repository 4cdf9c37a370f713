"""Engine results -> Discord embeds. Every string from a review or a user goes through
`safety` (`safety.safe_cut`, `safety.bold_words`); every embed is checked against Discord's limits before it is returned."""

from __future__ import annotations

import discord

from bot import presentation
from bot.discord import safety
from index import (
    BASE_LIBRARY,
    FilmDetail,
    FilmHit,
    IngestReport,
    SearchResult,
    StoredReview,
    clean,
    country_name,
    filter_phrases,
    stage,
)

COLOUR = discord.Colour(0xE5A00D)


def understood(result: SearchResult) -> str:
    parts = filter_phrases(result.query.filters)
    line = "Filters: " + (" · ".join(parts) if parts else "none")
    if result.query.semantic:
        line += f" · about “{result.query.semantic}”"
    return safety.safe_cut(line, 500)


def _film_field(index: int, hit: FilmHit, budget: int) -> tuple[str, str]:
    name = safety.safe_cut(f"{index}. {hit.film.label}", safety.FIELD_NAME)
    lines = [safety.safe_cut(" · ".join(presentation.film_facts(hit.film, hit.rating)), 200)]
    per_review = max(80, (budget - len(lines[0])) // max(1, len(hit.reviews))) - 4
    for review in hit.reviews:
        who = safety.safe_cut(presentation.reviewer(review.reviewer), 60)
        head = f"*{who}*, {presentation.rating_text(review.rating)}: "
        words = presentation.highlighted_words(review)
        room = max(20, per_review - len(head))
        snippet = review.snippet if review.snippet.strip() else presentation.NO_WORDS
        lines.append(head + safety.bold_words(snippet, words, room))
    return name, safety.cut("\n".join(lines), budget)


def results_embed(result: SearchResult, title: str | None = None) -> discord.Embed:
    """One page of films; each film a field. Shrinks snippets until the embed fits."""
    with stage("render"):
        return _results_embed(result, title)


def _results_embed(result: SearchResult, title: str | None) -> discord.Embed:
    if title is None:
        title = (
            f"Films like {result.similar_to.title}"
            if result.similar_to
            # A refined chat question reads "first question + refinement"; the Filters line
            # below shows the refinements, so the title keeps the question as first asked.
            else f"Films for “{result.query.first.text}”"
        )
    description = understood(result)
    notices = (
        presentation.ignored_notice(result),
        presentation.relaxed_notice(result),
        presentation.panned_notice(result),
        presentation.empty_notice(result),
    )
    for notice in notices:
        if notice:
            description += "\n" + notice
    budget = safety.FIELD_VALUE
    while True:
        embed = discord.Embed(
            title=safety.safe_cut(title, safety.EMBED_TITLE),
            description=safety.cut(description, safety.EMBED_DESCRIPTION),
            colour=COLOUR,
        )
        for i, hit in enumerate(result.hits[: safety.FIELDS], result.offset + 1):
            name, value = _film_field(i, hit, budget)
            embed.add_field(name=name, value=value, inline=False)
        if result.hits and (poster := presentation.poster(result.hits[0].film)):
            embed.set_thumbnail(url=poster)
        embed.set_footer(text=presentation.shown_line(result))
        if len(embed) <= safety.EMBED_TOTAL or budget <= 200:
            return embed
        budget -= 100


def film_embed(detail: FilmDetail, page: int, per_page: int = 5) -> discord.Embed:
    with stage("render"):
        return _film_embed(detail, page, per_page)


def _film_embed(detail: FilmDetail, page: int, per_page: int) -> discord.Embed:
    facts = presentation.film_details(detail.film)
    description = "\n".join(f"**{k}:** {safety.safe_cut(v, 300)}" for k, v in facts)
    embed = discord.Embed(
        title=safety.safe_cut(detail.film.label, safety.EMBED_TITLE),
        description=safety.cut(description, safety.EMBED_DESCRIPTION) or None,
        colour=COLOUR,
    )
    if poster := presentation.poster(detail.film):
        embed.set_thumbnail(url=poster)
    reviews = detail.reviews[page * per_page : (page + 1) * per_page]
    budget = safety.FIELD_VALUE
    while True:
        embed.clear_fields()
        for review in reviews:
            name = safety.safe_cut(
                f"{presentation.reviewer(review.reviewer)} · {presentation.rating_text(review.rating)}"
                + (f" · {review.date}" if review.date else ""),
                safety.FIELD_NAME,
            )
            embed.add_field(name=name, value=safety.safe_cut(review.text, budget), inline=False)
        pages = max(1, -(-len(detail.reviews) // per_page))
        embed.set_footer(text=f"{len(detail.reviews)} review(s) · page {page + 1} of {pages}")
        if len(embed) <= safety.EMBED_TOTAL or budget <= 200:
            return embed
        budget -= 150


def stats_embed(counts: dict[str, object], last_reindex: str | None) -> discord.Embed:
    """What this place sees: the base library and, in a server, its own library apart; when
    they were last re-indexed. Not the index's version or build time: every server's reviews
    move those."""
    embed = discord.Embed(title="cinebot index", colour=COLOUR)
    libraries = counts.get("libraries") or {}
    assert isinstance(libraries, dict)
    base = libraries.get(BASE_LIBRARY, {"reviews": 0, "films": 0})
    embed.add_field(
        name="Base library", value=f"{base['reviews']} reviews of {base['films']} films"
    )
    for name, n in libraries.items():
        if name != BASE_LIBRARY:
            embed.add_field(
                name="This server's library", value=f"{n['reviews']} reviews of {n['films']} films"
            )
    for key in ("films", "passages"):
        embed.add_field(name=f"{key.capitalize()} in all", value=str(counts[key]))
    countries = counts["countries"]
    genres = counts["genres"]
    assert isinstance(countries, dict) and isinstance(genres, dict)
    embed.add_field(
        name=f"Countries ({len(countries)})",
        value=safety.cut(
            ", ".join(f"{country_name(c)} {n}" for c, n in countries.items()) or "none",
            safety.FIELD_VALUE,
        ),
        inline=False,
    )
    embed.add_field(
        name=f"Genres ({len(genres)})",
        value=safety.cut(
            ", ".join(f"{g} {n}" for g, n in genres.items()) or "none", safety.FIELD_VALUE
        ),
        inline=False,
    )
    embed.set_footer(text=f"Last re-index: {last_reindex or 'not since start'}")
    return embed


def _film_of(review: StoredReview) -> str:
    return f"{review.title} ({review.year})" if review.year else review.title


def review_saved_embed(review: StoredReview) -> discord.Embed:
    """What was stored, as others will see it."""
    embed = discord.Embed(
        title=safety.safe_cut(f"Saved: {_film_of(review)}", safety.EMBED_TITLE), colour=COLOUR
    )
    embed.add_field(name="Rating", value=presentation.rating_text(review.rating))
    embed.add_field(name="By", value=safety.safe_cut(presentation.reviewer(review.reviewer), 200))
    text = review.text if review.text.strip() else presentation.NO_WORDS
    embed.description = safety.safe_cut(text, 1500)
    embed.set_footer(
        text="In this server's library: it answers searches here now. "
        "/review edit or /review delete to change it."
    )
    return embed


def own_reviews_embed(reviews: list[StoredReview], shown: int = 15) -> discord.Embed:
    """A member's reviews, the latest first."""
    embed = discord.Embed(title=f"Your reviews in this server ({len(reviews)})", colour=COLOUR)
    lines = []
    for review in reviews[:shown]:
        head = f"**{safety.safe_cut(_film_of(review), 120)}** · {presentation.rating_text(review.rating)}"
        lines.append(head + (f"\n{safety.safe_cut(review.text, 180)}" if review.text else ""))
    more = f"\n… and {len(reviews) - shown} more" if len(reviews) > shown else ""
    embed.description = safety.cut("\n".join(lines), safety.EMBED_DESCRIPTION - 40) + more
    return embed


def review_refused(reason: str, text: str) -> str:
    """Why a review was not saved, with its words given back to copy."""
    head = safety.safe_cut(f"Not saved: {reason}.", 400)
    if not text.strip():
        return head
    # No run of backticks can close the block; the zero-width space goes when posted again.
    words = clean(text).replace("``", "`\u200b`")
    room = safety.CONTENT - len(head) - 40
    return f"{head}\nYour words, to post again:\n```\n{words[:room]}\n```"


HELP_TEXT = """Ask in plain words; filters are understood and shown back to you.
• `/search Korean action thrillers rated 8+`
• `/search any good French comedies from the 90s`
• `/search films about grief and the sea, not horror`
• `/search by Bong Joon-ho` · `/search starring Mads Mikkelsen`
• `/similar` a film (titles autocomplete) · `/film` one film and its reviews · `/stats`
Chat: mention me or DM me the same questions. Then refine: `more`, `back`, `only after 2015`, `not horror`, `rated 9+`, `like the second one`.
Your own reviews: `/review post` (then edit or delete them), `/myreviews`. They join this server's library, which only this server sees.
Your taste: `/recommend` (films for you, from your reviews here; only you see it), `/movienight` with friends (a poll), `/taste import` your Letterboxd or IMDb ratings (only your /recommend reads them).
Admins: `/ingest` adds a review file to this server's library, `/reindex` re-reads its uploads, `/library export` and `/library delete`."""


def help_embed() -> discord.Embed:
    return discord.Embed(title="What to ask cinebot", description=HELP_TEXT, colour=COLOUR)


def report_embed(report: IngestReport, title: str) -> discord.Embed:
    embed = discord.Embed(title=safety.safe_cut(title, safety.EMBED_TITLE), colour=COLOUR)
    for name, value in (
        ("Added", report.added),
        ("Updated", report.updated),
        ("Unchanged", report.unchanged),
        ("Duplicates", report.duplicates),
        ("Rejected", report.n_rejected),
    ):
        embed.add_field(name=name, value=str(value))
    for label, problems, total in (
        ("Rejected records", report.rejected, report.n_rejected),
        ("Warnings", report.warnings, report.n_warnings),
    ):
        if problems:
            lines = "\n".join(
                safety.safe_cut(f"{p.source.rsplit('/', 1)[-1]}:{p.location}: {p.reason}", 300)
                for p in problems[:8]
            )
            more = f"\n… and {total - 8:,} more" if total > 8 else ""
            embed.add_field(
                name=label, value=safety.cut(lines + more, safety.FIELD_VALUE), inline=False
            )
    embed.set_footer(
        text=f"{report.passages_embedded} passage(s) embedded in {report.seconds:.1f} s · index {report.version or 'unchanged'}"
    )
    return embed


def progress_embed(title: str, done: int, total: int, step: str) -> discord.Embed:
    bar = "█" * int(20 * done / total) + "░" * (20 - int(20 * done / total)) if total else ""
    return discord.Embed(
        title=safety.safe_cut(title, safety.EMBED_TITLE),
        description=f"{step}: {done}/{total}\n`{bar}`",
        colour=COLOUR,
    )
