"""Buttons and menus under an answer: bound to the asker, disabled when they expire."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from bot.discord import render, safety
from bot.discord.app import tell_privately
from bot.discord.views import OwnedView
from index import FilmDetail, SearchResult

log = logging.getLogger("cinebot.bot")


PageFetcher = Callable[[int], Awaitable[SearchResult]]
SimilarFetcher = Callable[[str, int], Awaitable[SearchResult | None]]


class ResultsView(OwnedView):
    def __init__(
        self,
        owner_id: int,
        timeout: float,
        result: SearchResult,
        page_size: int,
        fetch: PageFetcher,
        similar: SimilarFetcher,
    ) -> None:
        super().__init__(owner_id, timeout)
        self.result, self.page_size, self.fetch, self.similar = result, page_size, fetch, similar
        self._sync_controls()

    def _sync_controls(self) -> None:
        self.previous.disabled = self.result.offset == 0
        self.next.disabled = not self.result.has_more
        options = [
            discord.SelectOption(
                label=safety.cut(h.film.label, safety.SELECT_LABEL),
                value=h.film.film_id,
            )
            for h in self.result.hits[: safety.SELECT_OPTIONS]
        ]
        more: discord.ui.Select = self.more_like  # the decorator made the method a Select
        more.options = options or [discord.SelectOption(label="(no films)", value="-")]
        more.disabled = not options

    async def _show(self, interaction: discord.Interaction, offset: int) -> None:
        await interaction.response.defer()
        self.result = await self.fetch(offset)
        self._sync_controls()
        await interaction.edit_original_response(embed=render.results_embed(self.result), view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, max(0, self.result.offset - self.page_size))

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.result.offset + self.page_size)

    @discord.ui.select(
        placeholder="More like this…",
        min_values=1,
        max_values=1,
        options=[discord.SelectOption(label="-")],
    )
    async def more_like(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        film_id = select.values[0]
        hit = next((h for h in self.result.hits if h.film.film_id == film_id), None)
        if hit is None:
            await interaction.response.send_message(
                "That film is no longer on this page.", ephemeral=True
            )
            return
        await interaction.response.defer(thinking=True)
        label = hit.film.label
        result = await self.similar(label, 0)
        if result is None:
            await tell_privately(interaction, "I could not find that film any more.")
            return
        similar = self.similar

        async def pages(offset: int) -> SearchResult:
            page = await similar(label, offset)
            assert page is not None  # the film resolved a moment ago
            return page

        view = ResultsView(
            self.owner_id, self.timeout or 300, result, self.page_size, pages, similar
        )
        view.message = await interaction.followup.send(
            embed=render.results_embed(result), view=view, wait=True
        )


class FilmView(OwnedView):
    def __init__(
        self, owner_id: int, timeout: float, detail: FilmDetail, per_page: int = 5
    ) -> None:
        super().__init__(owner_id, timeout)
        self.detail, self.page, self.per_page = detail, 0, per_page
        self.pages = max(1, -(-len(detail.reviews) // per_page))
        self._sync_controls()

    def _sync_controls(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= self.pages - 1

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        self.page = page
        self._sync_controls()
        await interaction.response.edit_message(
            embed=render.film_embed(self.detail, page, self.per_page), view=self
        )

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, max(0, self.page - 1))

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, min(self.pages - 1, self.page + 1))
