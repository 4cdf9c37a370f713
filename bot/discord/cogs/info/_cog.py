"""/stats and /help."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import render
from bot.discord.app import CinebotMixin
from index import BASE_LIBRARY, library_of


class InfoCog(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot: CinebotMixin = bot  # type: ignore[assignment]

    @app_commands.command()
    async def stats(self, interaction: discord.Interaction) -> None:
        """What this server sees: the base library, and its own library apart."""
        await interaction.response.defer(thinking=True)
        library = library_of(interaction.guild_id)
        counts = await self.bot.call(self.bot.engine.stats, library)
        # Only the libraries this place sees: another server's re-index is not news here.
        when = [self.bot.last_reindex.get(name) for name in (BASE_LIBRARY, library) if name]
        last = max((w for w in when if w), default=None)
        await interaction.followup.send(embed=render.stats_embed(counts, last))

    @app_commands.command(name="help")
    async def help_(self, interaction: discord.Interaction) -> None:
        """What to ask, with examples."""
        await interaction.response.send_message(embed=render.help_embed(), ephemeral=True)
