"""Engine results -> Discord embeds. Every string from a review or a user goes through
`text.safe`; every embed is checked against Discord's limits before it is returned."""

from __future__ import annotations

import discord

from bot import text as T
from index.countries import country_name
from index.results import FilmDetail, FilmHit, SearchResult
from index.snippets import terms
from index.telemetry import stage
from index.types import IngestReport

COLOUR = discord.Colour(0xE5A00D)
RELAXED = {"countries": "country", "genres_all": "genre", "genres_any": "genre", "genres_none": "genre exclusion",
           "countries_none": "country exclusion", "rating": "rating", "year": "year", "directors": "director",
           "cast": "cast"}  # fmt: skip


def rating(value: float | None) -> str:
    return "unrated" if value is None else f"{value:g}/10"


def understood(result: SearchResult) -> str:
    parts = [text for _, text in result.query.filters.describe()]
    line = "Filters: " + (" · ".join(parts) if parts else "none")
    if result.query.semantic:
        line += f" · about “{result.query.semantic}”"
    return T.safe_cut(line, 500)


def _film_field(index: int, hit: FilmHit, wanted: set[str], budget: int) -> tuple[str, str]:
    film = hit.film
    name = T.safe_cut(f"{index}. {film.label}", T.FIELD_NAME)
    facts = " · ".join(
        b
        for b in (
            ", ".join(country_name(c) for c in film.countries),
            ", ".join(film.genres),
            rating(hit.rating),
        )
        if b
    )
    lines = [T.safe_cut(facts, 200)]
    per_review = max(80, (budget - len(lines[0])) // max(1, len(hit.reviews))) - 4
    for review in hit.reviews:
        who = T.safe_cut(review.reviewer or "anonymous", 60)
        head = f"*{who}*, {rating(review.rating)}: "
        lines.append(head + T.bold_terms(review.snippet, wanted, max(20, per_review - len(head))))
    return name, T.cut("\n".join(lines), budget)


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
            else f"Films for “{result.query.text.split(' + ')[0]}”"
        )
    description = understood(result)
    if result.relaxed:
        names = ", ".join(dict.fromkeys(RELAXED[n] for n in result.relaxed))
        culprit = RELAXED.get(result.emptied_by or "", "the filters")
        description += f"\nNo film passes every filter: the {culprit} filter left nothing. Closest matches without the {names} filter:"
    if not result.hits:
        description += "\n" + ("No films found." if result.offset == 0 else "No more films.")
    wanted = terms(result.query.semantic or result.query.text)
    budget = T.FIELD_VALUE
    while True:
        embed = discord.Embed(
            title=T.safe_cut(title, T.EMBED_TITLE),
            description=T.cut(description, T.EMBED_DESCRIPTION),
            colour=COLOUR,
        )
        for i, hit in enumerate(result.hits[: T.FIELDS], result.offset + 1):
            name, value = _film_field(i, hit, wanted, budget)
            embed.add_field(name=name, value=value, inline=False)
        shown = f"{result.offset + 1}–{result.offset + len(result.hits)}" if result.hits else "0"
        total = f" of {result.total}" if result.total else ""
        embed.set_footer(text=f"Films {shown}{total}")
        if len(embed) <= T.EMBED_TOTAL or budget <= 200:
            return embed
        budget -= 100


def film_embed(detail: FilmDetail, page: int, per_page: int = 5) -> discord.Embed:
    with stage("render"):
        return _film_embed(detail, page, per_page)


def _film_embed(detail: FilmDetail, page: int, per_page: int) -> discord.Embed:
    film = detail.film
    title = film.label
    facts = [
        ("Countries", ", ".join(country_name(c) for c in film.countries)),
        ("Genres", ", ".join(film.genres)),
        ("Director", film.director or ""),
        ("Cast", ", ".join(film.cast)),
        ("Streaming", ", ".join(film.platforms)),
    ]
    description = "\n".join(f"**{k}:** {T.safe_cut(v, 300)}" for k, v in facts if v)
    embed = discord.Embed(
        title=T.safe_cut(title, T.EMBED_TITLE),
        description=T.cut(description, T.EMBED_DESCRIPTION) or None,
        colour=COLOUR,
    )
    reviews = detail.reviews[page * per_page : (page + 1) * per_page]
    budget = T.FIELD_VALUE
    while True:
        embed.clear_fields()
        for review in reviews:
            name = T.safe_cut(
                f"{review.reviewer or 'anonymous'} · {rating(review.rating)}"
                + (f" · {review.date}" if review.date else ""),
                T.FIELD_NAME,
            )
            embed.add_field(name=name, value=T.safe_cut(review.text, budget), inline=False)
        pages = max(1, -(-len(detail.reviews) // per_page))
        embed.set_footer(text=f"{len(detail.reviews)} review(s) · page {page + 1} of {pages}")
        if len(embed) <= T.EMBED_TOTAL or budget <= 200:
            return embed
        budget -= 150


def stats_embed(counts: dict[str, object], last_reindex: str | None) -> discord.Embed:
    embed = discord.Embed(title="cinebot index", colour=COLOUR)
    for key in ("reviews", "films", "passages"):
        embed.add_field(name=key.capitalize(), value=str(counts[key]))
    countries = counts["countries"]
    genres = counts["genres"]
    assert isinstance(countries, dict) and isinstance(genres, dict)
    embed.add_field(
        name=f"Countries ({len(countries)})",
        value=T.cut(
            ", ".join(f"{country_name(c)} {n}" for c, n in countries.items()) or "none",
            T.FIELD_VALUE,
        ),
        inline=False,
    )
    embed.add_field(
        name=f"Genres ({len(genres)})",
        value=T.cut(", ".join(f"{g} {n}" for g, n in genres.items()) or "none", T.FIELD_VALUE),
        inline=False,
    )
    embed.set_footer(
        text=f"Index {counts['version']} built {counts['built']} · last re-index: {last_reindex or 'not since start'}"
    )
    return embed


HELP_TEXT = """Ask in plain words; filters are understood and shown back to you.
• `/search Korean action thrillers rated 8+`
• `/search any good French comedies from the 90s`
• `/search films about grief and the sea, not horror`
• `/search by Bong Joon-ho` · `/search starring Mads Mikkelsen`
• `/similar` a film (titles autocomplete) · `/film` one film and its reviews · `/stats`
Chat: mention me or DM me the same questions. Then refine: `more`, `back`, `only after 2015`, `not horror`, `rated 9+`, `like the second one`.
Admins: `/reindex` re-reads the review folders, `/ingest` indexes an uploaded review file."""


def help_embed() -> discord.Embed:
    return discord.Embed(title="What to ask cinebot", description=HELP_TEXT, colour=COLOUR)


def report_embed(report: IngestReport, title: str) -> discord.Embed:
    embed = discord.Embed(title=T.safe_cut(title, T.EMBED_TITLE), colour=COLOUR)
    for name, value in (("Added", report.added), ("Updated", report.updated), ("Unchanged", report.unchanged),
                        ("Duplicates", report.duplicates), ("Rejected", len(report.rejected))):  # fmt: skip
        embed.add_field(name=name, value=str(value))
    for label, problems in (("Rejected records", report.rejected), ("Warnings", report.warnings)):
        if problems:
            lines = "\n".join(
                T.safe_cut(f"{p.source.rsplit('/', 1)[-1]}:{p.location}: {p.reason}", 300)
                for p in problems[:8]
            )
            more = f"\n… and {len(problems) - 8} more" if len(problems) > 8 else ""
            embed.add_field(name=label, value=T.cut(lines + more, T.FIELD_VALUE), inline=False)
    embed.set_footer(
        text=f"{report.passages_embedded} passage(s) embedded in {report.seconds:.1f} s · index {report.version or 'unchanged'}"
    )
    return embed


def progress_embed(title: str, done: int, total: int, stage: str) -> discord.Embed:
    bar = "█" * int(20 * done / total) + "░" * (20 - int(20 * done / total)) if total else ""
    return discord.Embed(
        title=T.safe_cut(title, T.EMBED_TITLE),
        description=f"{stage}: {done}/{total}\n`{bar}`",
        colour=COLOUR,
    )
