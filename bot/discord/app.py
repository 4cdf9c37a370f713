"""The Discord application: one bot class, cogs loaded in setup_hook, engine calls off the loop."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.limits import Limits
from config import Settings
from index import (
    Engine,
    IndexBusy,
    IndexDamaged,
    IndexMissing,
    NotYours,
    Request,
    configure_logging,
)

log = logging.getLogger("cinebot.bot")
Result = TypeVar("Result")
EXTENSIONS = (
    "bot.discord.cogs.search",
    "bot.discord.cogs.chat",
    "bot.discord.cogs.admin",
    "bot.discord.cogs.reviews",
    "bot.discord.cogs.info",
    "bot.discord.cogs.taste",
)


class CinebotMixin:
    """What both bot classes share; `commands.Bot` or `commands.AutoShardedBot` comes second."""

    settings: Settings
    engine: Engine
    # Given by the gateway client this mixin is combined with (for type checking only).
    guilds: Sequence[discord.Guild]
    shard_id: int | None

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        intents: discord.Intents,
        sync_globally: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(  # type: ignore[call-arg]
            command_prefix=commands.when_mentioned,  # no prefix commands: see on_message
            intents=intents,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.engine = engine
        self.sync_globally = sync_globally
        self.executor = ThreadPoolExecutor(
            settings.discord.worker_threads, thread_name_prefix="cinebot-engine"
        )
        self.reindex_lock = asyncio.Lock()
        # When each library was last re-indexed through this bot (UTC), shown per place: the
        # index's own version and build time change with every server's reviews.
        self.last_reindex: dict[str, str] = {}
        self.limits = Limits(settings.libraries)

    async def call(self, fn: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
        """Run engine work (embedding, search, ingest) in a worker thread, never on the loop."""
        loop = asyncio.get_running_loop()
        # The worker runs in a copy of this task's context: request id and timings carry over.
        work = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return await loop.run_in_executor(self.executor, work)

    async def setup_hook(self) -> None:
        bot: commands.Bot = self  # type: ignore[assignment]
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        bot.tree.error(on_tree_error)
        bot.tree.interaction_check = begin_request  # type: ignore[method-assign]
        if self.settings.discord.test_guild_id:
            guild = discord.Object(id=self.settings.discord.test_guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            log.info("synced %d commands to test guild %s", len(synced), guild.id)
        if self.sync_globally:
            synced = await bot.tree.sync()
            log.info("synced %d commands globally (can take up to an hour to show)", len(synced))
        if self.engine.has_index():  # open the index before the first question, not during it
            await self.call(self.engine.snapshot)
        await self.call(self.engine.encoder.prepare)  # and the question encoder

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: messages are for the chat cog's listener only."""

    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: app_commands.Command[Any, ..., Any]
    ) -> None:
        finish_request(interaction)

    async def on_ready(self) -> None:
        bot: commands.Bot = self  # type: ignore[assignment]
        log.info("connected as %s to %d guild(s)", bot.user, len(bot.guilds))

    async def close(self) -> None:
        await super().close()  # type: ignore[misc]
        self.executor.shutdown(wait=False, cancel_futures=True)


class Cinebot(CinebotMixin, commands.Bot):
    """One connection to the gateway."""


class ShardedCinebot(CinebotMixin, commands.AutoShardedBot):
    """Several shards (discord.py manages them); needed from 2,500 servers."""


def create_bot(
    settings: Settings,
    engine: Engine | None = None,
    *,
    message_content: bool | None = None,
    sync_globally: bool = False,
    **options: Any,
) -> Cinebot | ShardedCinebot:
    """The bot for these settings: sharded when `discord.shards` is "auto" or above 1."""
    intents = discord.Intents.default()
    intents.message_content = (
        settings.discord.message_content if message_content is None else message_content
    )
    engine = engine or Engine(settings)
    shards = settings.discord.shards
    if shards == "auto" or shards > 1:
        count = None if shards == "auto" else shards
        return ShardedCinebot(
            settings,
            engine,
            intents=intents,
            sync_globally=sync_globally,
            shard_count=count,
            shard_ids=settings.discord.shard_ids,  # this process's share, when split across several
            **options,
        )
    return Cinebot(settings, engine, intents=intents, sync_globally=sync_globally, **options)


async def tell_privately(interaction: discord.Interaction, message: str) -> None:
    """An ephemeral answer, even after a public "thinking…" defer: Discord would turn the first
    follow-up into that public message, so the placeholder is deleted first."""
    message = message[:2000]
    if not interaction.response.is_done():
        await interaction.response.send_message(message, ephemeral=True)
        return
    if interaction.response.type == discord.InteractionResponseType.deferred_channel_message:
        with contextlib.suppress(discord.HTTPException):
            await interaction.delete_original_response()
    await interaction.followup.send(message, ephemeral=True)


async def begin_request(interaction: discord.Interaction) -> bool:
    """Every slash command is one request: an id in every log line, timings, metrics."""
    if interaction.type is discord.InteractionType.application_command and interaction.command:
        name = interaction.command.qualified_name
        interaction.extras["request"] = Request(name, interaction.id).begin()
    return True


def finish_request(interaction: discord.Interaction, error: str | None = None) -> None:
    current = interaction.extras.get("request")
    if isinstance(current, Request):
        current.finish(error)


async def on_tree_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """Short ephemeral words for the user; the details go to the log."""
    original = getattr(error, "original", error)
    finish_request(interaction, type(original).__name__)
    if isinstance(error, app_commands.CommandOnCooldown):
        message = f"Easy there: try again in {error.retry_after:.0f} s."
    elif isinstance(error, app_commands.CheckFailure):
        message = str(error) or "You can't use this command here."
    elif isinstance(original, IndexMissing):
        message = "There is no index yet: an operator can build one with /library reindex-base."
    elif isinstance(original, IndexBusy):
        message = "A re-index is already running; try again when it finishes."
    elif isinstance(original, NotYours):
        message = "That review is not yours to change."
    elif isinstance(original, IndexDamaged):
        log.error("index damaged: %s", original)
        message = "The index is damaged and cannot answer; an operator has to rebuild it."
    else:
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("command /%s failed (interaction %s)", command, interaction.id, exc_info=original)
        message = "Sorry, something went wrong. The error was logged."
    try:
        await tell_privately(interaction, message)
    except discord.HTTPException:
        log.warning("could not tell the user about an error in interaction %s", interaction.id)


async def serve(
    settings: Settings,
    token: str,
    *,
    engine: Engine | None = None,
    sync_globally: bool = False,
    started: Callable[[commands.Bot | commands.AutoShardedBot], None] | None = None,
    **options: Any,
) -> None:
    """Run until the bot is closed. Without the message content intent granted, go on without it."""
    wanted = settings.discord.message_content
    if not wanted:
        log.warning(
            "message content intent off (discord.message_content=false): chat only by mention or DM"
        )
    engine = engine or Engine(settings)
    for message_content in [True, False] if wanted else [False]:
        bot = create_bot(
            settings,
            engine,
            message_content=message_content,
            sync_globally=sync_globally,
            **options,
        )
        if started is not None:
            started(bot)
        try:
            async with bot:
                await bot.start(token)
            return
        except discord.PrivilegedIntentsRequired:
            log.warning(
                "the message content intent is not enabled for this application (Developer Portal > "
                "Bot > Privileged Gateway Intents); continuing without it: slash commands work, chat "
                "needs a mention or a DM"
            )


def run_bot(settings: Settings, *, sync_globally: bool = False) -> None:
    """`cinebot bot`: log to the console and serve until interrupted."""
    if settings.discord_token is None:
        raise SystemExit("cinebot: DISCORD_TOKEN is not set (environment or .env)")
    configure_logging(settings.observability)
    started = time.monotonic()
    try:
        asyncio.run(
            serve(settings, settings.discord_token.get_secret_value(), sync_globally=sync_globally)
        )
    except KeyboardInterrupt:
        log.info("stopped after %.0f s", time.monotonic() - started)
