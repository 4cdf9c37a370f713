"""/recommend, /movienight and /taste: films from members' own reviews in this server.

A member's taste is worked out when they ask, from their reviews and ratings here only
(`engine.taste`); /recommend answers privately. /movienight posts a poll of films that
balance the tastes of the members named (and the asker), closes it after
`discord.movie_night_poll_seconds` and names the winner. /taste import takes a member's
Letterboxd or IMDb ratings export as their own ratings without words, which nobody else sees;
the file itself is not kept."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import tempfile
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import safety
from bot.discord.app import CinebotMixin, tell_privately
from bot.discord.cogs.taste import _poll, _render
from bot.discord.permissions import in_server
from index import IndexBusy, MovieNight, library_of

log = logging.getLogger("cinebot.bot")

PICKS = 5  # films in a movie night's poll
MOST = 10  # films /recommend shows at once
FINAL_TRIES = 5  # reads of an ended poll while Discord finishes counting
FINAL_WAIT = 1.0  # seconds between them
EXPORTS = (".csv", ".tsv")


def taste_cooldown(interaction: discord.Interaction) -> app_commands.Cooldown | None:
    seconds = interaction.client.settings.discord.search_cooldown_seconds  # type: ignore[attr-defined]
    return app_commands.Cooldown(1, seconds) if seconds > 0 else None


def _library(interaction: discord.Interaction) -> str:
    library = library_of(interaction.guild_id)
    assert library is not None  # every command here checks in_server first
    return library


class TasteCog(commands.Cog):
    taste = app_commands.Group(
        name="taste",
        description="Your ratings in this server, which only your /recommend reads",
        guild_only=True,
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot: CinebotMixin = bot  # type: ignore[assignment]
        self.client = bot
        self.nights: set[asyncio.Task[None]] = set()

    async def cog_unload(self) -> None:
        for task in self.nights:
            task.cancel()

    # ------------------------------------------------------------------ /recommend
    @app_commands.command()
    @app_commands.describe(
        question="Optional: what you feel like, e.g. something Korean, or a heist film",
        count="How many films (default: the page size)",
    )
    @app_commands.guild_only()
    @app_commands.check(in_server)
    @app_commands.checks.dynamic_cooldown(taste_cooldown)
    async def recommend(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 300] | None = None,
        count: app_commands.Range[int, 1, MOST] | None = None,
    ) -> None:
        """Films for you, from your own reviews and ratings in this server (only you see it)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self.bot.call(
            self.bot.engine.taste.recommend,
            _library(interaction),
            interaction.user.id,
            question or "",
            count,
        )
        embed = _render.recommendation_embed(found, question)
        await interaction.followup.send(embed=embed, ephemeral=True)

    # ------------------------------------------------------------------ /movienight
    @app_commands.command(name="movienight")
    @app_commands.describe(
        first="A member to watch with",
        second="Another member (optional)",
        third="Another member (optional)",
        fourth="Another member (optional)",
        question="Optional: what the night is for, e.g. a comedy under two hours",
    )
    @app_commands.guild_only()
    @app_commands.check(in_server)
    @app_commands.checks.dynamic_cooldown(taste_cooldown)
    async def movienight(
        self,
        interaction: discord.Interaction,
        first: discord.Member,
        second: discord.Member | None = None,
        third: discord.Member | None = None,
        fourth: discord.Member | None = None,
        question: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        """A poll of films for you and the members you name, balancing everyone's taste here."""
        named = [interaction.user, first, second, third, fourth]
        group: dict[int, str] = {}
        for member in named:
            if member is not None and not member.bot:
                group.setdefault(member.id, member.display_name)
        if len(group) < 2:
            await interaction.response.send_message(
                "Name at least one other member (bots do not watch films).", ephemeral=True
            )
            return
        await interaction.response.defer(thinking=True)
        night = await self.bot.call(
            self.bot.engine.taste.movie_night,
            _library(interaction),
            list(group.items()),
            question or "",
            PICKS,
        )
        if len(night.result.hits) < 2:
            await tell_privately(
                interaction,
                "Not enough films for a poll: every film that fits has been reviewed by one of "
                "you, or nothing fits the question.",
            )
            return
        seconds = self.bot.settings.discord.movie_night_poll_seconds
        closes = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
        labels = [hit.film.label for hit in night.result.hits]
        message = await interaction.followup.send(
            embed=_render.movie_night_embed(night, closes),
            poll=_poll.poll_for(labels, seconds),
            wait=True,
        )
        log.info("movie night poll %s for %d members", message.id, len(group))
        channel_id = interaction.channel_id
        assert channel_id is not None
        task = asyncio.create_task(self._close(channel_id, message.id, night, seconds))
        self.nights.add(task)
        task.add_done_callback(self.nights.discard)

    async def _close(
        self, channel_id: int, message_id: int, night: MovieNight, seconds: float
    ) -> None:
        """End the poll when its time is up, read Discord's count, and name the winner."""
        await asyncio.sleep(seconds)
        channel = self.client.get_partial_messageable(channel_id)
        try:
            ended = await channel.get_partial_message(message_id).end_poll()
            poll = ended.poll
            for _ in range(FINAL_TRIES):
                if poll is None or poll.is_finalized():
                    break
                await asyncio.sleep(FINAL_WAIT)
                poll = (await channel.fetch_message(message_id)).poll
            result = _poll.outcome(_poll.counts(poll))
            label = night.result.hits[result.index].film.label
            await channel.send(
                embed=_render.winner_embed(label, result.votes, result.total, result.note),
                reference=channel.get_partial_message(message_id),
                mention_author=False,
            )
            log.info("movie night poll %s closed: %s", message_id, label)
        except discord.HTTPException:
            log.warning("could not close movie night poll %s", message_id, exc_info=True)

    # ------------------------------------------------------------------ /taste
    @taste.command(name="import")
    @app_commands.describe(
        file="Letterboxd's ratings.csv (or diary.csv, reviews.csv) or IMDb's ratings export"
    )
    @app_commands.check(in_server)
    async def import_ratings(
        self, interaction: discord.Interaction, file: discord.Attachment
    ) -> None:
        """Bring your Letterboxd or IMDb ratings: only your /recommend reads them."""
        assert interaction.guild_id is not None
        limits = self.bot.settings.discord
        suffix = Path(file.filename).suffix.lower()
        refused = None
        if file.size > limits.upload_max_mb * 2**20:
            refused = f"That file is {file.size / 2**20:.1f} MB; the limit is {limits.upload_max_mb:g} MB."
        elif suffix not in EXPORTS:
            refused = "That is not a ratings export: Letterboxd and IMDb give you a .csv file."
        else:
            refused = self.bot.limits.uploads.reserve(interaction.guild_id)
        if refused:
            await interaction.response.send_message(refused, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        name = safety.cut(file.filename, 100)
        try:
            with tempfile.TemporaryDirectory(prefix="cinebot-taste-") as folder:
                path = Path(folder) / f"ratings{suffix}"
                await file.save(path)
                brought = await self.bot.call(
                    self.bot.engine.taste.bring,
                    _library(interaction),
                    interaction.user.id,
                    path,
                    name,
                )
        except (ValueError, IndexBusy, discord.HTTPException) as exc:
            self.bot.limits.uploads.give_back(interaction.guild_id)
            why = (
                "the library is being re-indexed; try again in a few minutes"
                if isinstance(exc, IndexBusy)
                else str(exc)
            )
            await tell_privately(interaction, safety.safe_cut(f"Nothing was saved: {why}.", 500))
            return
        if not brought.ratings:
            self.bot.limits.uploads.give_back(interaction.guild_id)
        else:
            await self.bot.call(self.bot.engine.snapshot)  # /recommend reads them from now on
        log.info("ratings brought by %s: %d", interaction.user.id, brought.ratings)
        await interaction.followup.send(embed=_render.brought_embed(brought, name), ephemeral=True)

    @taste.command(name="forget")
    @app_commands.check(in_server)
    async def forget(self, interaction: discord.Interaction) -> None:
        """Delete the ratings you brought here (your reviews without words); others stay."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        gone = await self.bot.call(
            self.bot.engine.taste.forget, _library(interaction), interaction.user.id
        )
        with contextlib.suppress(Exception):
            await self.bot.call(self.bot.engine.snapshot)
        words = (
            f"Deleted {gone} rating{'s' if gone != 1 else ''} without words."
            if gone
            else ("You have no ratings without words in this server.")
        )
        await interaction.followup.send(words, ephemeral=True)
