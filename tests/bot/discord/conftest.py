"""The real bot (discord.py) against the fake Discord, once per module."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import discord
import pytest
import pytest_asyncio
import yarl

from bot.discord.app import create_bot
from index import Engine
from tests.bot.discord import fake_discord

TOKEN = "fake-token.for-tests.only-aaaaaaaaaaaaaaaaaaaaaaaa"


@dataclass
class Env:
    fake: fake_discord.FakeDiscord
    bot: Any
    engine: Engine
    logs: LogCapture

    async def interact(self, kind: int, data: dict[str, Any], **who: Any) -> dict[str, Any]:
        payload = fake_discord.interaction(kind, data, **who)
        self.fake.interaction_times[payload["id"]] = (time.monotonic(), None)
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def command(
        self,
        name: str,
        uid: int = 1234,
        *,
        guild: bool | int = True,
        roles: tuple[int, ...] = (),
        permissions: int = 1 << 11,
        attachments: dict[str, Any] | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        kind, data = fake_discord.slash(name, attachments=attachments, **options)
        return await self.interact(
            kind, data, uid=uid, guild=guild, roles=roles, permissions=permissions
        )

    async def callback(self, payload: dict[str, Any], timeout: float = 30) -> fake_discord.Request:
        return await self.fake.wait_for(
            lambda r: r.path.startswith(f"/api/v10/interactions/{payload['id']}/"), timeout
        )

    async def answer(self, payload: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
        """The message that finally answers a deferred or direct interaction response."""
        callback = await self.callback(payload, timeout)
        if callback.body["type"] in (4, 7):
            return callback.body["data"]
        token = payload["token"]
        reply = await self.fake.wait_for(
            lambda r: (
                f"/webhooks/{fake_discord.APP_ID}/{token}" in r.path
                and r.method in ("POST", "PATCH")
                and r.body
                and (r.body.get("embeds") or r.body.get("content"))
            ),
            timeout,
        )
        return {**reply.body, "id": self._message_id(reply, token)}

    def _message_id(self, request: fake_discord.Request, token: str) -> str:
        if request.path.endswith("@original"):
            return self.fake.originals[token]
        if request.method == "PATCH":
            return request.path.rsplit("/", 1)[-1]
        # the newest message the fake created for this follow-up
        return max(self.fake.messages, key=int)


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        return "\n".join(formatter.format(r) for r in self.records)


@contextlib.contextmanager
def pointed_at(fake: fake_discord.FakeDiscord) -> Iterator[None]:
    """discord.py talks to the fake instead of Discord while this is open."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(discord.http.Route, "BASE", fake.api)
        mp.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.ws_url))
        yield


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(
    sample_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Env]:
    root = tmp_path_factory.mktemp("bot")
    shutil.copytree(sample_engine.settings.index_dir, root / "index")
    settings = sample_engine.settings.model_copy(deep=True)
    settings.index_dir = root / "index"
    settings.discord.upload_dir = root / "uploads"
    settings.discord.search_cooldown_seconds = 0
    settings.discord.admin_role = "cinebot-admin"
    settings.discord.test_guild_id = fake_discord.GUILD_ID
    engine = Engine(settings, sample_engine.encoder)
    fake = fake_discord.FakeDiscord()
    await fake.start()
    logs = LogCapture()
    root_logger = logging.getLogger()
    old_level = root_logger.level
    root_logger.addHandler(logs)
    root_logger.setLevel(logging.DEBUG)
    with pointed_at(fake):
        bot = create_bot(settings, engine, message_content=True, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start(TOKEN))
        ready = asyncio.create_task(bot.wait_until_ready())
        await asyncio.wait({task, ready}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
        if task.done():  # start() ended before READY: show why
            task.result()
        assert ready.done(), "the bot did not become ready within 60 s"
        try:
            yield Env(fake, bot, engine, logs)
        finally:
            await bot.close()
            task.cancel()
            await fake.stop()
            root_logger.removeHandler(logs)
            root_logger.setLevel(old_level)
    # Everything logged while the bot ran, at every level, from every library.
    assert logs.records, "no log output captured"
    assert TOKEN not in logs.text(), "the bot token appeared in the logs"


def within_limits(message: dict[str, Any]) -> None:
    """Every message the bot sends stays inside Discord's limits and pings nobody."""
    assert len(message.get("content") or "") <= 2000
    embeds = message.get("embeds") or []
    assert len(embeds) <= 10
    total = 0
    for embed in embeds:
        title, description = embed.get("title") or "", embed.get("description") or ""
        footer = (embed.get("footer") or {}).get("text") or ""
        fields = embed.get("fields") or []
        assert (
            len(title) <= 256
            and len(description) <= 4096
            and len(footer) <= 2048
            and len(fields) <= 25
        )
        for f in fields:
            assert 0 < len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024
        total += (
            len(title)
            + len(description)
            + len(footer)
            + sum(len(f["name"]) + len(f["value"]) for f in fields)
        )
    assert total <= 6000
    if "allowed_mentions" in message:
        assert message["allowed_mentions"]["parse"] == []
        assert not message["allowed_mentions"].get("replied_user")
