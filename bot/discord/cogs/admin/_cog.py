"""/reindex and /ingest: a server's managers, on their server's library; /sync: the owner."""

from __future__ import annotations

import logging
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.app import CinebotMixin
from bot.discord.cogs.admin._ingesting import run_ingest
from bot.discord.cogs.admin._uploads import UploadRefused, upload_path
from bot.discord.permissions import is_admin
from index import library_of

log = logging.getLogger("cinebot.bot")


class AdminCog(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot: CinebotMixin = bot  # type: ignore[assignment]
        self.client = bot

    def uploads_of(self, guild_id: int) -> Path:
        """Where a server's uploads are kept (and re-read by its /reindex)."""
        folder = self.bot.engine.libraries.uploads(library_of(guild_id))
        assert folder is not None  # a server's library always has one
        return folder

    @app_commands.command()
    @app_commands.check(is_admin)
    async def reindex(self, interaction: discord.Interaction) -> None:
        """Admins: re-read the files uploaded to this server's library."""
        assert interaction.guild_id is not None  # is_admin needs a server
        folder = self.uploads_of(interaction.guild_id)
        if not folder.is_dir():
            await interaction.response.send_message(
                "Nothing has been uploaded to this server's library yet: use /ingest.",
                ephemeral=True,
            )
            return
        library = library_of(interaction.guild_id)
        assert library is not None
        await run_ingest(
            self.bot, interaction, [folder], "Re-index of this server's library", library
        )

    @app_commands.command()
    @app_commands.describe(file="A review file: .txt or .html page, .json, .jsonl or .csv")
    @app_commands.check(is_admin)
    async def ingest(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Admins: add an uploaded review file to this server's library."""
        assert interaction.guild_id is not None
        limits = self.bot.settings.discord
        if file.size > limits.upload_max_mb * 2**20:
            await interaction.response.send_message(
                f"That file is {file.size / 2**20:.1f} MB; the limit is {limits.upload_max_mb:g} MB.",
                ephemeral=True,
            )
            return
        try:
            path = upload_path(
                self.uploads_of(interaction.guild_id),
                file.filename,
                str(interaction.id),
                limits.upload_types,
            )
            path.parent.mkdir(parents=True, exist_ok=True)
        except UploadRefused as exc:
            await interaction.response.send_message(str(exc), ephemeral=True)
            return
        # Taken before the upload is saved, in one step: uploads sent together cannot pass it.
        if refused := self.bot.limits.uploads.reserve(interaction.guild_id):
            await interaction.response.send_message(refused, ephemeral=True)
            return
        library = library_of(interaction.guild_id)
        assert library is not None
        title = f"Ingest of {path.name}"
        # Saved after the defer, inside the lock: a big download must not miss the deadline.
        await run_ingest(
            self.bot, interaction, [path], title, library, before=lambda: file.save(path)
        )

    @app_commands.command()
    async def sync(self, interaction: discord.Interaction) -> None:
        """Owner: publish the slash commands globally (Discord may take an hour to show them)."""
        if not await self.client.is_owner(interaction.user):
            await interaction.response.send_message(
                "Only the bot's owner can sync commands.", ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        synced = await self.client.tree.sync()
        await interaction.followup.send(f"Synced {len(synced)} commands globally.", ephemeral=True)
