"""/review post, edit and delete, and /myreviews: members' own reviews, in their server's
library. A review is one small commit (its passages embedded), searchable as soon as it is
saved; members change only their own, a server's managers may delete any in their server."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot import presentation
from bot.discord import render, safety
from bot.discord.app import CinebotMixin, tell_privately
from bot.discord.cogs.reviews._modal import ReviewForm
from bot.discord.permissions import in_server, manages
from index import IndexBusy, NotYours, StoredReview, library_of

log = logging.getLogger("cinebot.bot")


def _library(interaction: discord.Interaction) -> str:
    library = library_of(interaction.guild_id)
    assert library is not None  # every command here checks in_server first
    return library


def review_label(review: StoredReview, with_reviewer: bool = False) -> str:
    """How a review is named in a menu: film, rating, whose (for managers), first words."""
    film = f"{review.title} ({review.year})" if review.year else review.title
    parts = [film, presentation.rating_text(review.rating)]
    if with_reviewer:
        parts.append(presentation.reviewer(review.reviewer))
    if review.text:
        parts.append(review.text[:60])
    return " · ".join(parts)


class ReviewCog(commands.Cog):
    review = app_commands.Group(
        name="review", description="Your own reviews, in this server's library", guild_only=True
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot: CinebotMixin = bot  # type: ignore[assignment]

    # ------------------------------------------------------------------ autocomplete
    async def film_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Films this server sees, then catalogue films no review names yet."""
        names = self.bot.engine.suggest_titles(
            current, safety.CHOICES, wait=False, library=_library(interaction), catalogue=True
        )
        return safety.choices(names)

    async def own_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The member's own reviews here; for a server's managers (deleting), all of its."""
        everyone = interaction.command is not None and interaction.command.name == "delete"
        everyone = everyone and manages(interaction)
        user = None if everyone else interaction.user.id
        found = self.bot.engine.libraries.reviews(
            _library(interaction), user, current.strip(), safety.CHOICES, wait=False
        )
        return [
            app_commands.Choice(
                name=safety.cut(review_label(r, everyone), safety.CHOICE_NAME),
                value=r.review_id[:100],
            )
            for r in found
        ]

    # ------------------------------------------------------------------ commands
    @review.command(name="post")
    @app_commands.describe(
        film="The film (start typing for suggestions)", rating="0-10, 4/5 or ★★★★ (optional)"
    )
    @app_commands.autocomplete(film=film_autocomplete)
    @app_commands.check(in_server)
    async def post(
        self,
        interaction: discord.Interaction,
        film: app_commands.Range[str, 1, 200],
        rating: app_commands.Range[str, 1, 20] | None = None,
    ) -> None:
        """Post your review of a film to this server's library (the text comes next)."""
        if refused := self._refused(interaction):
            await interaction.response.send_message(refused, ephemeral=True)
            return

        async def submitted(done: discord.Interaction, text: str, _: str | None) -> None:
            await self._save(done, film, rating, text)

        most = self.bot.settings.libraries.review_max_chars
        await interaction.response.send_modal(ReviewForm(film, most, submitted))

    @review.command(name="edit")
    @app_commands.describe(review="One of your reviews in this server")
    @app_commands.autocomplete(review=own_autocomplete)
    @app_commands.check(in_server)
    async def edit(self, interaction: discord.Interaction, review: str) -> None:
        """Change the words or the rating of one of your reviews."""
        mine = await self._own(interaction, review)
        if mine is None:
            return
        if refused := self._refused(interaction):
            await interaction.response.send_message(refused, ephemeral=True)
            return
        film = f"{mine.title} ({mine.year})" if mine.year else mine.title
        rating = mine.rating_raw or (None if mine.rating is None else f"{mine.rating:g}")

        async def submitted(done: discord.Interaction, text: str, new_rating: str | None) -> None:
            await self._save(done, film, new_rating, text, mine.review_id)

        most = self.bot.settings.libraries.review_max_chars
        form = ReviewForm(film, most, submitted, text=mine.text, rating=rating, ask_rating=True)
        await interaction.response.send_modal(form)

    @review.command(name="delete")
    @app_commands.describe(review="One of your reviews (admins: any review in this server)")
    @app_commands.autocomplete(review=own_autocomplete)
    @app_commands.check(in_server)
    async def delete(self, interaction: discord.Interaction, review: str) -> None:
        """Delete one of your reviews; a server's admins may delete any review in it."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        library = _library(interaction)
        engine = self.bot.engine
        gone = await self.bot.call(engine.libraries.delete, library, [review], interaction.user.id)
        if not gone and manages(interaction):
            gone = await self.bot.call(engine.libraries.delete, library, [review])
        if not gone:
            await tell_privately(interaction, "That is not one of your reviews in this server.")
            return
        await self.bot.call(engine.snapshot)  # searches stop seeing it now
        log.info("review %s deleted by %s", review, interaction.user.id)
        await interaction.followup.send("Deleted.", ephemeral=True)

    @app_commands.command(name="myreviews")
    @app_commands.guild_only()
    @app_commands.check(in_server)
    async def myreviews(self, interaction: discord.Interaction) -> None:
        """Your reviews in this server, the latest first."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        mine = await self.bot.call(
            self.bot.engine.libraries.reviews, _library(interaction), interaction.user.id
        )
        if not mine:
            await interaction.followup.send(
                "You have not posted a review in this server yet: try `/review post`.",
                ephemeral=True,
            )
            return
        await interaction.followup.send(embed=render.own_reviews_embed(mine), ephemeral=True)

    # ------------------------------------------------------------------ helpers
    def _refused(self, interaction: discord.Interaction) -> str | None:
        assert interaction.guild_id is not None
        return self.bot.limits.review_refused(interaction.guild_id, interaction.user.id)

    async def _own(self, interaction: discord.Interaction, review_id: str) -> StoredReview | None:
        mine = await self.bot.call(
            self.bot.engine.libraries.reviews, _library(interaction), interaction.user.id
        )
        found = next((r for r in mine if r.review_id == review_id), None)
        if found is None:
            await interaction.response.send_message(
                "That is not one of your reviews in this server.", ephemeral=True
            )
        return found

    async def _save(
        self,
        interaction: discord.Interaction,
        film: str,
        rating: str | None,
        text: str,
        review_id: str | None = None,
    ) -> None:
        """Write the review (a small commit in a worker), then say what was stored."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id, user = interaction.guild_id, interaction.user
        assert guild_id is not None
        # Taken before saving, in one step: forms submitted together cannot pass the limit.
        if refused := self.bot.limits.reserve_review(guild_id, user.id):
            await tell_privately(interaction, render.review_refused(refused.rstrip("."), text))
            return
        library = _library(interaction)
        try:
            await self.bot.call(
                self.bot.engine.libraries.post,
                library,
                user.id,
                user.display_name,
                film,
                rating,
                text,
                review_id,
            )
        except (ValueError, NotYours, IndexBusy) as exc:  # nothing saved: words go back
            self.bot.limits.give_back_review(guild_id, user.id)
            why = (
                "the library is being re-indexed; try again in a few minutes"
                if isinstance(exc, IndexBusy)
                else str(exc)
            )
            await tell_privately(interaction, render.review_refused(why, text))
            return
        except BaseException:
            self.bot.limits.give_back_review(guild_id, user.id)
            raise
        await self.bot.call(self.bot.engine.snapshot)  # open the new version before any search
        saved = await self.bot.call(self.bot.engine.libraries.reviews, library, user.id, "", 1)
        log.info(
            "review %s %s by %s", saved[0].review_id, "edited" if review_id else "posted", user.id
        )
        await interaction.followup.send(embed=render.review_saved_embed(saved[0]), ephemeral=True)
