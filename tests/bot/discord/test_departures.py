"""Servers removed while the bot was off: at start-up, a library on disk whose server the bot
is no longer in starts its `keep_days` countdown; one still there does not; a process running
some of the shards judges only its own servers."""

import asyncio
import json
import shutil

import pytest

from index import Engine, library_of
from tests.bot.discord import fake_discord
from tests.bot.discord.test_sharding import running
from tests.conftest import make_settings

GONE = 900000000000000777  # servers the fake Discord does not have, on each of two shards
GONE_TOO = GONE + (1 << 22)


@pytest.fixture
def engine(sample_engine, tmp_path):
    shutil.copytree(sample_engine.settings.index_dir, tmp_path / "index")
    settings = make_settings(tmp_path / "index")
    engine = Engine(settings, sample_engine.encoder)
    record = {"id": "r1", "title": "Heat", "year": 1995, "rating": 8, "text": "The diner."}
    (tmp_path / "r.jsonl").write_text(json.dumps(record), encoding="utf-8")
    for server in (GONE, GONE_TOO, fake_discord.GUILD_B_ID):
        engine.ingest([tmp_path / "r.jsonl"], library=library_of(server))
    return engine


async def _settled(engine, seconds: float = 30) -> dict[str, str]:
    for _ in range(int(seconds / 0.1)):
        if engine.libraries.departed():
            return engine.libraries.departed()
        await asyncio.sleep(0.1)
    return engine.libraries.departed()


@pytest.mark.asyncio
async def test_a_server_left_while_the_bot_was_off_is_noticed_at_start(engine):
    async with running(engine) as (_, fake):
        await asyncio.wait_for(fake.ready.wait(), 30)
        departed = await _settled(engine)
    assert sorted(departed) == sorted([library_of(GONE), library_of(GONE_TOO)])  # not B


@pytest.mark.asyncio
async def test_a_shard_process_judges_only_its_own_servers(engine):
    ours = (GONE_TOO >> 22) % 2
    assert ours != (GONE >> 22) % 2
    async with running(engine, shards=2, shard_ids=[ours]) as (_, fake):
        await asyncio.wait_for(fake.ready.wait(), 30)
        departed = await _settled(engine)
    assert list(departed) == [library_of(GONE_TOO)]  # GONE is the other process's to judge
