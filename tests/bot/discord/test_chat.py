"""Chat by mention or DM, with follow-ups, against the fake Discord."""

import pytest

from tests.bot.discord import fake_discord
from tests.bot.discord.conftest import within_limits

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def say(env, content, **kw):
    start = len(env.fake.requests)
    await env.fake.dispatch("MESSAGE_CREATE", fake_discord.message_create(content, **kw))
    return start


async def reply_after(env, start, channel_id=fake_discord.CHANNEL_ID):
    request = await env.fake.wait_for(
        lambda r: r.method == "POST" and r.path == f"/api/v10/channels/{channel_id}/messages",
        after=start,
    )
    within_limits(request.body)
    return request.body


async def test_mention_asks_and_a_follow_up_refines_without_a_mention(env):
    start = await say(
        env,
        f"<@{fake_discord.APP_ID}> any good Korean action thrillers rated 8+?",
        mentions_bot=True,
        uid=501,
    )
    first = await reply_after(env, start)
    assert (
        "Filters: South Korea · Action + Thriller · rating ≥ 8" in first["embeds"][0]["description"]
    )
    assert "Train to Busan" in str(first["embeds"][0]["fields"])
    assert first["message_reference"]["message_id"]  # a reply, and it pings nobody:
    assert first["allowed_mentions"]["parse"] == [] and not first["allowed_mentions"].get(
        "replied_user"
    )

    start = await say(env, "not horror", uid=501)
    refined = await reply_after(env, start)
    assert "not Horror" in refined["embeds"][0]["description"]
    assert "Train to Busan" not in str(refined["embeds"][0]["fields"])


async def test_other_people_and_plain_chatter_are_ignored(env):
    begin = await say(env, "not horror", uid=777)  # no conversation for this user, no mention
    await say(env, "what a lovely day", uid=501)  # not a follow-up
    marker = await say(env, f"<@{fake_discord.APP_ID}> westerns", mentions_bot=True, uid=502)
    reply = await reply_after(env, marker)
    assert "Western" in reply["embeds"][0]["description"]
    assert len([r for r in env.fake.requests[begin:] if r.path.endswith("/messages")]) == 1


async def test_direct_messages_need_no_mention(env):
    dm = 930000000000000001
    start = await say(env, "French comedies from the 90s", uid=503, guild=False, channel_id=dm)
    reply = await reply_after(env, start, channel_id=dm)
    assert "The Dinner Game (1998)" in str(reply["embeds"][0]["fields"])
    start = await say(env, "more", uid=503, guild=False, channel_id=dm)
    assert "all I have" in (await reply_after(env, start, channel_id=dm))["content"]


async def test_mention_without_a_question_gets_help(env):
    start = await say(env, f"<@{fake_discord.APP_ID}>", mentions_bot=True, uid=504)
    reply = await reply_after(env, start)
    assert reply["embeds"][0]["title"] == "What to ask cinebot"
