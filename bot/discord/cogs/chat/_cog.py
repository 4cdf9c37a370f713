"""Chat: mention the bot or DM it; follow-ups in the same channel refine that user's last question."""

from __future__ import annotations

import logging
import re
import time

import discord
from discord.ext import commands

from bot.discord import render, safety
from bot.discord.app import CinebotMixin
from index import Conversation, Reply, is_follow_up, library_of, request

log = logging.getLogger("cinebot.bot")
Key = tuple[int, int]  # (channel id, user id)


class ChatCog(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot: CinebotMixin = bot  # type: ignore[assignment]
        self.client = bot
        self.conversations: dict[Key, tuple[Conversation, float]] = {}
        seconds = self.bot.settings.discord.search_cooldown_seconds
        self.cooldown = (
            commands.CooldownMapping.from_cooldown(1, seconds, commands.BucketType.user)
            if seconds > 0
            else None
        )
        if not bot.intents.message_content:
            log.warning("message content intent not granted: chat answers mentions and DMs only")

    def _conversation(
        self, key: Key, create: bool, library: str | None = None
    ) -> Conversation | None:
        ttl = self.bot.settings.discord.chat_ttl_seconds
        now = time.monotonic()
        for stale in [k for k, (_, used) in self.conversations.items() if now - used > ttl]:
            del self.conversations[stale]
        if key in self.conversations:
            conversation = self.conversations[key][0]
        elif create:
            conversation = Conversation(self.bot.engine, library=library)
        else:
            return None
        self.conversations[key] = (conversation, now)
        return conversation

    def _question(self, message: discord.Message) -> str:
        me = self.client.user
        content = message.content
        if me is not None:
            content = re.sub(rf"<@!?{me.id}>", " ", content)
        return " ".join(content.split())

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.client.user is None:
            return
        direct = message.guild is None or self.client.user in message.mentions
        key = (message.channel.id, message.author.id)
        text = self._question(message)
        if not direct and not (self._conversation(key, create=False) and is_follow_up(text)):
            return
        if not text:
            await message.reply(embed=render.help_embed(), mention_author=False)
            return
        if self.cooldown is not None:
            retry = self.cooldown.get_bucket(message).update_rate_limit()  # type: ignore[union-attr]
            if retry:
                await message.reply(
                    f"Easy there: try again in {retry:.0f} s.",
                    mention_author=False,
                    delete_after=10,
                )
                return
        guild_id = message.guild.id if message.guild else None
        conversation = self._conversation(key, create=True, library=library_of(guild_id))
        assert conversation is not None
        with request("chat", message.id) as current:
            try:
                async with message.channel.typing():
                    reply = await self.bot.call(conversation.ask, text)
            except Exception as exc:
                log.exception("chat message %s failed", message.id)
                current.finish(type(exc).__name__)
                await message.reply(
                    "Sorry, something went wrong. The error was logged.", mention_author=False
                )
                return
            await self._send(message, reply)

    async def _send(self, message: discord.Message, reply: Reply) -> None:
        if reply.result is not None:
            await message.reply(embed=render.results_embed(reply.result), mention_author=False)
        elif reply.detail is not None:
            await message.reply(embed=render.film_embed(reply.detail, 0), mention_author=False)
        elif reply.kind == "help":
            await message.reply(embed=render.help_embed(), mention_author=False)
        else:
            await message.reply(
                safety.safe_cut(reply.message or "…", safety.CONTENT), mention_author=False
            )
