"""Above one shard (or "auto"), the bot is discord.py's AutoShardedBot."""

import asyncio
import contextlib

import pytest
from discord.ext import commands

from bot.discord.app import create_bot
from tests.bot.discord import fake_discord
from tests.bot.discord.conftest import TOKEN, pointed_at


@contextlib.asynccontextmanager
async def running(engine, **discord_settings):
    """The bot for these `discord.*` settings, started against a fake Discord of its own."""
    settings = engine.settings.model_copy(deep=True)
    for name, value in discord_settings.items():
        setattr(settings.discord, name, value)
    fake = fake_discord.FakeDiscord()
    await fake.start()
    with pointed_at(fake):
        bot = create_bot(settings, engine, message_content=False, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start(TOKEN))
        try:
            yield bot, fake
        finally:
            await bot.close()
            task.cancel()
            await fake.stop()


@pytest.mark.asyncio
async def test_auto_shards_use_auto_sharded_bot_and_ask_discord_for_the_count(sample_engine):
    async with running(sample_engine, shards="auto") as (bot, fake):
        assert isinstance(bot, commands.AutoShardedBot)
        await fake.wait_for(lambda r: r.path == "/api/v10/gateway/bot")
        await asyncio.wait_for(fake.ready.wait(), 30)
        assert fake.identify["shard"] == [0, 1]


@pytest.mark.asyncio
async def test_a_process_can_run_its_own_shard_ids_of_a_fixed_count(sample_engine):
    async with running(sample_engine, shards=4, shard_ids=[2]) as (_, fake):
        await asyncio.wait_for(fake.ready.wait(), 30)
        assert fake.identify["shard"] == [2, 4]


def test_shard_ids_outside_the_count_are_a_config_error(monkeypatch):
    from config import ConfigError, load_settings

    monkeypatch.setenv("CINEBOT_DISCORD__SHARDS", "2")
    monkeypatch.setenv("CINEBOT_DISCORD__SHARD_IDS", "[3]")
    with pytest.raises(ConfigError, match="shard_ids must be between 0 and 1"):
        load_settings()


def test_one_shard_is_a_plain_bot(sample_engine):
    bot = create_bot(sample_engine.settings, sample_engine, message_content=False)
    assert not isinstance(bot, commands.AutoShardedBot)
