"""Each slash command and chat message is one request: an id on its log line, stage timings."""

import asyncio
import time

import pytest

from tests.bot.discord import fake_discord

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def logged(env, command, before, timeout=30.0):
    """The request log lines for `command` after the first `before`, once there is one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [
            r
            for r in env.logs.records
            if r.name == "cinebot.request" and getattr(r, "command", None) == command
        ][before:]
        if lines:
            return lines
        await asyncio.sleep(0.05)
    raise TimeoutError(f"no request log line for {command!r}")


def count(env, command):
    return sum(
        1
        for r in env.logs.records
        if r.name == "cinebot.request" and getattr(r, "command", None) == command
    )


async def test_a_search_logs_one_line_with_its_interaction_id_and_stage_timings(env):
    before = count(env, "search")
    payload = await env.command("search", query="zombies on a train, not comedy")
    await env.answer(payload)
    (line,) = await logged(env, "search", before)
    assert line.request_id == str(payload["id"])
    assert line.error is None and line.getMessage().startswith("search answered")
    # Engine stages ran in a worker thread and still reported into this request.
    for part in ("parse_ms", "filter_ms", "embed_ms", "search_ms", "render_ms"):
        assert getattr(line, part) > 0, part
    assert line.total_ms >= line.embed_ms + line.search_ms


async def test_a_chat_message_is_a_request_with_the_message_id(env):
    before = count(env, "chat")
    message = fake_discord.message_create(
        f"<@{fake_discord.APP_ID}> French comedies", mentions_bot=True, uid=78
    )
    await env.fake.dispatch("MESSAGE_CREATE", message)
    (line,) = await logged(env, "chat", before)
    assert line.request_id == str(message["id"]) and line.error is None
    assert line.parse_ms > 0 and line.render_ms > 0


async def test_a_failed_command_is_logged_with_the_error_kind(env, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(env.engine, "ask", broken)
    before = count(env, "search")
    payload = await env.command("search", query="anything at all")
    (line,) = await logged(env, "search", before)
    assert line.error == "RuntimeError" and line.request_id == str(payload["id"])
