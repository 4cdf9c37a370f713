"""/search, /similar and /film."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import render, safety
from bot.discord.app import CinebotMixin, tell_privately
from bot.discord.cogs.search._views import FilmView, PageFetcher, ResultsView, SimilarFetcher
from index import SearchResult, library_of, no_title_message

MAX_PER_PAGE = 10  # films in one embed, whatever a question asks for


def search_cooldown(interaction: discord.Interaction) -> app_commands.Cooldown | None:
    seconds = interaction.client.settings.discord.search_cooldown_seconds  # type: ignore[attr-defined]
    return app_commands.Cooldown(1, seconds) if seconds > 0 else None


class SearchCog(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot: CinebotMixin = bot  # type: ignore[assignment]

    async def title_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Fuzzy, from the titles of the version already in memory: never waits for an index
        to open (that happens in a worker), so it answers well inside Discord's 3 seconds."""
        library = library_of(interaction.guild_id)
        names = self.bot.engine.suggest_titles(current, safety.CHOICES, wait=False, library=library)
        return safety.choices(names)

    def _similar(self, library: str | None) -> SimilarFetcher:
        """Pages of "more like" a film, from what this place may see."""

        async def fetch(label: str, offset: int) -> SearchResult | None:
            limit = self.bot.settings.search.page_size
            _, result = await self.bot.call(
                self.bot.engine.similar, label, limit, offset, library=library
            )
            return result

        return fetch

    async def _send_results(
        self, interaction: discord.Interaction, result: SearchResult, limit: int, page: PageFetcher
    ) -> None:
        """A page of films with its buttons and menu, bound to whoever asked."""
        timeout = self.bot.settings.discord.view_timeout_seconds
        similar = self._similar(library_of(interaction.guild_id))
        view = ResultsView(interaction.user.id, timeout, result, limit, page, similar)
        view.message = await interaction.followup.send(
            embed=render.results_embed(result), view=view, wait=True
        )

    @app_commands.command()
    @app_commands.describe(
        query="What you feel like, e.g. Korean action thrillers rated 8+", limit="Films per page"
    )
    @app_commands.checks.dynamic_cooldown(search_cooldown)
    async def search(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, 300],
        limit: app_commands.Range[int, 1, 10] | None = None,
    ) -> None:
        """Find films from reviews: say what you want in plain words."""
        await interaction.response.defer(thinking=True)
        library = library_of(interaction.guild_id)
        ask = self.bot.engine.ask
        result = await self.bot.call(ask, query, library=library, limit=limit, most=MAX_PER_PAGE)

        async def page(offset: int) -> SearchResult:
            return await self.bot.call(
                ask, result.query, library=library, limit=result.per_page, offset=offset
            )

        await self._send_results(interaction, result, result.per_page, page)

    @app_commands.command()
    @app_commands.describe(title="A film in the index (start typing for suggestions)")
    @app_commands.autocomplete(title=title_autocomplete)
    @app_commands.checks.dynamic_cooldown(search_cooldown)
    async def similar(
        self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 200]
    ) -> None:
        """Films whose reviews read like this film's reviews."""
        await interaction.response.defer(thinking=True)
        limit = self.bot.settings.search.page_size
        similar = self._similar(library_of(interaction.guild_id))
        match, result = await self.bot.call(
            self.bot.engine.similar, title, limit, library=library_of(interaction.guild_id)
        )
        if result is None:
            await tell_privately(
                interaction, safety.safe_cut(no_title_message(match), safety.CONTENT)
            )
            return

        async def page(offset: int) -> SearchResult:
            found = await similar(title, offset)
            assert found is not None
            return found

        await self._send_results(interaction, result, limit, page)

    @app_commands.command()
    @app_commands.describe(title="A film in the index (start typing for suggestions)")
    @app_commands.autocomplete(title=title_autocomplete)
    async def film(
        self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 200]
    ) -> None:
        """One film: what the reviews say about it, and their ratings."""
        await interaction.response.defer(thinking=True)
        match, detail = await self.bot.call(
            self.bot.engine.film, title, library=library_of(interaction.guild_id)
        )
        if detail is None:
            await tell_privately(
                interaction, safety.safe_cut(no_title_message(match), safety.CONTENT)
            )
            return
        view = FilmView(interaction.user.id, self.bot.settings.discord.view_timeout_seconds, detail)
        view.message = await interaction.followup.send(
            embed=render.film_embed(detail, 0), view=view, wait=True
        )
