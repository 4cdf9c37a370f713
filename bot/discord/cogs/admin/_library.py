"""/library: a server's managers export or delete their server's library; the operators
re-index the base library. A server the bot leaves keeps its library `libraries.keep_days`
days, in case the bot comes back; then it is purged."""

from __future__ import annotations

import io
import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.discord.app import CinebotMixin
from bot.discord.cogs.admin._ingesting import run_ingest
from bot.discord.permissions import in_server, is_admin, is_operator
from bot.discord.views import Confirm
from index import BASE_LIBRARY, library_of

log = logging.getLogger("cinebot.bot")


def server_library(interaction: discord.Interaction) -> str:
    library = library_of(interaction.guild_id)
    assert library is not None  # the in_server check ran first
    return library


class LibraryCog(commands.GroupCog, group_name="library"):
    """This server's own library of reviews."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot: CinebotMixin = bot  # type: ignore[assignment]
        super().__init__()

    async def cog_load(self) -> None:
        self.purge.start()

    async def cog_unload(self) -> None:
        self.purge.cancel()

    @app_commands.command(name="export")
    @app_commands.check(is_admin)
    @app_commands.check(in_server)
    async def export(self, interaction: discord.Interaction) -> None:
        """Admins: this server's library (uploads and members' reviews) as a JSONL file."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        library = server_library(interaction)
        text = await self.bot.call(self.bot.engine.libraries.export, library)
        if not text:
            await interaction.followup.send("This server's library is empty.", ephemeral=True)
            return
        count = text.count("\n")
        file = discord.File(
            io.BytesIO(text.encode("utf-8")),
            filename=f"cinebot-library-{interaction.guild_id}.jsonl",
        )
        await interaction.followup.send(
            f"{count} review(s); `cinebot ingest` reads this file back.", file=file, ephemeral=True
        )

    @app_commands.command(name="delete")
    @app_commands.check(is_admin)
    @app_commands.check(in_server)
    async def delete(self, interaction: discord.Interaction) -> None:
        """Admins: delete this server's whole library (the base library is not touched)."""
        library = server_library(interaction)
        reviews = await self.bot.call(self.bot.engine.libraries.reviews, library)
        if not reviews:
            await interaction.response.send_message(
                "This server's library is already empty.", ephemeral=True
            )
            return
        confirm = Confirm(interaction.user.id, 120, f"Delete {len(reviews)} review(s)")
        await interaction.response.send_message(
            f"Delete all {len(reviews)} review(s) in this server's library, and its uploaded "
            "files? This cannot be undone; `/library export` keeps a copy.",
            view=confirm,
            ephemeral=True,
        )
        if await confirm.wait() or not confirm.confirmed:  # timed out, or cancelled
            await interaction.edit_original_response(content="Nothing was deleted.", view=None)
            return
        gone = await self.bot.call(self.bot.engine.libraries.purge, library)
        await self.bot.call(self.bot.engine.snapshot)
        log.info("library %s deleted by %s: %d review(s)", library, interaction.user.id, gone)
        await interaction.edit_original_response(
            content=f"Deleted {gone} review(s) and the uploaded files.", view=None
        )

    @app_commands.command(name="reindex-base")
    @app_commands.check(is_operator)
    async def reindex_base(self, interaction: discord.Interaction) -> None:
        """Operators: re-read the base library's review folders (every server reads it)."""
        paths = self.bot.engine.default_paths()
        await run_ingest(self.bot, interaction, paths, "Re-index of the base library", BASE_LIBRARY)

    # ------------------------------------------------------------------ servers come and go
    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        library = library_of(guild.id)
        await self.bot.call(self.bot.engine.libraries.server_left, library)
        log.info(
            "left server %s: its library is kept %g days",
            guild.id,
            self.bot.settings.libraries.keep_days,
        )

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Servers removed while the bot was off: their libraries start the `keep_days`
        countdown now. A process running some of the shards judges only their servers."""
        present = {guild.id for guild in self.bot.guilds}
        count = getattr(self.bot, "shard_count", None) or 1
        shard_ids = getattr(self.bot, "shard_ids", None)
        ours = set(shard_ids) if shard_ids else ({self.bot.shard_id or 0} if count > 1 else None)

        def mine(server: int) -> bool:
            return ours is None or (server >> 22) % count in ours

        noticed = await self.bot.call(self.bot.engine.libraries.notice_departures, present, mine)
        for library in noticed:
            keep = self.bot.settings.libraries.keep_days
            log.info(
                "%s was left while the bot was off: its library is kept %g days", library, keep
            )

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.bot.call(self.bot.engine.libraries.server_returned, library_of(guild.id))

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        """A server seen at start-up was not left for good (re-added while the bot was off)."""
        if library_of(guild.id) in self.bot.engine.libraries.departed():
            await self.bot.call(self.bot.engine.libraries.server_returned, library_of(guild.id))

    @tasks.loop(hours=1)
    async def purge(self) -> None:
        """Libraries of servers left more than `keep_days` ago, and their uploads."""
        try:
            purged = await self.bot.call(self.bot.engine.libraries.purge_expired)
        except Exception:  # the index may be busy or missing: the next hour tries again
            log.warning("could not purge the libraries of left servers", exc_info=True)
            return
        for library in purged:
            log.info(
                "purged the library of %s, left over %g days ago",
                library,
                self.bot.settings.libraries.keep_days,
            )
