"""Indexing files from Discord: one re-index at a time, its progress shown by editing the
reply, and searches answered from the live version meanwhile."""

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

from bot.discord import render
from bot.discord.app import CinebotMixin
from index import IngestReport, Progress

log = logging.getLogger("cinebot.bot")


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


async def run_ingest(
    bot: CinebotMixin,
    interaction: discord.Interaction,
    paths: list[Path],
    title: str,
    library: str,
    before: Callable[[], Awaitable[object]] | None = None,
) -> None:
    """One re-index at a time; searches keep answering from the live version meanwhile."""
    if bot.reindex_lock.locked():
        await interaction.response.send_message(
            "A re-index is already running; try again when it finishes.", ephemeral=True
        )
        return
    async with bot.reindex_lock:
        await interaction.response.defer(thinking=True)
        if before is not None:
            await before()
        progress = ProgressReply(interaction, title)
        try:
            report: IngestReport = await bot.call(
                bot.engine.ingest, paths, progress.callbacks(), library=library
            )
        finally:
            await progress.settle()
        # Open the new version now, in a worker: not on the next keystroke or question.
        if bot.engine.has_index():
            await bot.call(bot.engine.snapshot)
        bot.last_reindex[library] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        log.info(
            "%s of %s by %s: +%d ~%d =%d rejected %d in %.1f s",
            title,
            library,
            interaction.user.id,
            report.added,
            report.updated,
            report.unchanged,
            report.n_rejected,
            report.seconds,
        )
        await interaction.edit_original_response(embed=render.report_embed(report, title))
