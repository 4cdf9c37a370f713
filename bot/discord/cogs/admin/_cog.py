"""/reindex and /ingest for admins; /sync for the owner."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import render
from bot.discord.app import CinebotMixin
from bot.discord.cogs.admin._uploads import UploadRefused, upload_path
from index import IngestReport, Progress

log = logging.getLogger("cinebot.bot")


class NotAdmin(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__(
            "Only admins can do that: the configured admin role or Manage Server is needed."
        )


def is_admin(interaction: discord.Interaction) -> bool:
    """Checked in the bot, not only by Discord's default permissions (which guilds can change)."""
    member = interaction.user
    if not isinstance(member, discord.Member):
        raise NotAdmin()  # a DM has no roles or permissions to check
    if member.guild_permissions.manage_guild:
        return True
    role = interaction.client.settings.discord.admin_role  # type: ignore[attr-defined]
    if role and any(r.name == role or str(r.id) == role for r in member.roles):
        return True
    raise NotAdmin()


class ProgressReply:
    """Shows ingest progress by editing the reply, at most every 2 s. The callbacks run in the
    worker thread; `settle` waits for edits in flight so none lands after the final report."""

    def __init__(self, interaction: discord.Interaction, title: str) -> None:
        self.interaction, self.title = interaction, title
        self.loop = asyncio.get_running_loop()
        self.pending: list[concurrent.futures.Future[object]] = []
        self.last, self.done, self.total, self.stage = 0.0, 0, 0, "Reading files"

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last >= 2.0:
            self.last = now
            embed = render.progress_embed(self.title, self.done, self.total, self.stage)
            edit = self.interaction.edit_original_response(embed=embed)
            self.pending.append(asyncio.run_coroutine_threadsafe(edit, self.loop))

    def _start(self, step: str, total: int) -> None:
        self.stage, self.total, self.done = step, total, 0
        self._show(force=True)

    def _advance(self, n: int) -> None:
        self.done += n
        self._show()

    def callbacks(self) -> Progress:
        return Progress(
            on_files=lambda n: self._start("Reading files", n),
            on_file=lambda _: self._advance(1),
            on_embed_start=lambda n: self._start("Embedding passages", n),
            on_embedded=self._advance,
        )

    async def settle(self) -> None:
        for future in self.pending:
            with contextlib.suppress(Exception):
                await asyncio.wrap_future(future)


class AdminCog(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot: CinebotMixin = bot  # type: ignore[assignment]
        self.client = bot

    async def _run_ingest(
        self,
        interaction: discord.Interaction,
        paths: list[Path],
        title: str,
        before: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        """One re-index at a time; searches keep answering from the live version meanwhile."""
        if self.bot.reindex_lock.locked():
            await interaction.response.send_message(
                "A re-index is already running; try again when it finishes.", ephemeral=True
            )
            return
        async with self.bot.reindex_lock:
            await interaction.response.defer(thinking=True)
            if before is not None:
                await before()
            progress = ProgressReply(interaction, title)
            try:
                report: IngestReport = await self.bot.call(
                    self.bot.engine.ingest, paths, progress.callbacks()
                )
            finally:
                await progress.settle()
            # Open the new version now, in a worker: not on the next keystroke or question.
            if self.bot.engine.has_index():
                await self.bot.call(self.bot.engine.snapshot)
            self.bot.last_reindex = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            log.info("%s by %s: +%d ~%d =%d rejected %d in %.1f s", title, interaction.user.id, report.added,
                     report.updated, report.unchanged, report.n_rejected, report.seconds)  # fmt: skip
            await interaction.edit_original_response(embed=render.report_embed(report, title))

    @app_commands.command()
    @app_commands.check(is_admin)
    async def reindex(self, interaction: discord.Interaction) -> None:
        """Admins: re-read the review folders and index new or changed reviews."""
        discord_settings = self.bot.settings.discord
        paths = self.bot.engine.default_paths()
        if discord_settings.upload_dir.is_dir():
            paths.append(discord_settings.upload_dir)
        await self._run_ingest(interaction, paths, "Re-index")

    @app_commands.command()
    @app_commands.describe(file="A review file: .txt or .html page, .json, .jsonl or .csv")
    @app_commands.check(is_admin)
    async def ingest(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Admins: index an uploaded review file."""
        limits = self.bot.settings.discord
        if file.size > limits.upload_max_mb * 2**20:
            await interaction.response.send_message(
                f"That file is {file.size / 2**20:.1f} MB; the limit is {limits.upload_max_mb:g} MB.",
                ephemeral=True,
            )
            return
        try:
            path = upload_path(
                limits.upload_dir, file.filename, str(interaction.id), limits.upload_types
            )
            path.parent.mkdir(parents=True, exist_ok=True)
        except UploadRefused as exc:
            await interaction.response.send_message(str(exc), ephemeral=True)
            return
        title = f"Ingest of {path.name}"
        # Saved after the defer, inside the lock: a big download must not miss the deadline.
        await self._run_ingest(interaction, [path], title, before=lambda: file.save(path))

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
