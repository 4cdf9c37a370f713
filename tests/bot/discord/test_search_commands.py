"""Slash commands end to end: real discord.py client, fake Discord."""

import pytest

from tests.bot.discord import fake_discord
from tests.bot.discord.conftest import within_limits

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_commands_are_synced_to_the_test_guild(env):
    request = await env.fake.wait_for(
        lambda r: r.method == "PUT" and f"/guilds/{fake_discord.GUILD_ID}/commands" in r.path
    )
    names = {c["name"] for c in request.body}
    assert {"search", "similar", "film", "stats", "help", "reindex", "ingest", "sync"} <= names
    assert not [
        r
        for r in env.fake.requests
        if r.method == "PUT" and r.path.endswith(f"/applications/{fake_discord.APP_ID}/commands")
    ]


async def test_search_says_what_it_did_not_use_and_shows_as_many_films_as_asked(env):
    missing = await env.answer(
        await env.command("search", query="just watched 2046, more like that")
    )
    within_limits(missing)
    assert (
        "Note: “2046” (no film of that title in the index: searched the reviews for it)"
        in missing["embeds"][0]["description"]
    )
    three = await env.answer(await env.command("search", query="top 3 horror films", uid=4321))
    assert len(three["embeds"][0]["fields"]) == 3


async def test_search_headline_returns_the_expected_films_in_an_embed(env):
    payload = await env.command("search", query="Korean action thrillers rated 8+", limit=10)
    callback = await env.callback(payload)
    assert callback.body["type"] == 5  # deferred first
    message = await env.answer(payload)
    within_limits(message)
    (embed,) = message["embeds"]
    names = [f["name"] for f in embed["fields"]]
    assert names == [
        "1. Oldboy (2003)",
        "2. The Man from Nowhere (2010)",
        "3. Train to Busan (2016)",
        "4. I Saw the Devil (2010)",
        "5. Ballerina (2023)",
    ]
    assert "Filters: South Korea · Action + Thriller · rating ≥ 8" in embed["description"]
    assert all("South Korea" in f["value"] and "/10" in f["value"] for f in embed["fields"])


def button(message, label):
    return next(c for c in fake_discord.custom_ids(message) if c.get("label") == label)


def select(message):
    return next(c for c in fake_discord.custom_ids(message) if c["type"] == 3)


async def press(env, message, custom_id, uid=1234, values=None):
    data = {"custom_id": custom_id, "component_type": 3 if values else 2}
    if values:
        data["values"] = values
    return await env.interact(3, data, uid=uid, message=env.fake.messages[message["id"]])


async def test_next_and_previous_buttons_page_through_results(env):
    payload = await env.command("search", query="dramas", limit=3)
    first = await env.answer(payload)
    assert button(first, "Previous")["disabled"] and not button(first, "Next").get("disabled")
    titles = [f["name"] for f in first["embeds"][0]["fields"]]

    click = await press(env, first, button(first, "Next")["custom_id"])
    assert (await env.callback(click)).body["type"] == 6  # acknowledged at once
    edit = await env.fake.wait_for(lambda r: r.method == "PATCH" and click["token"] in r.path)
    within_limits(edit.body)
    page2 = [f["name"] for f in env.fake.messages[first["id"]]["embeds"][0]["fields"]]
    assert page2[0].startswith("4. ") and not set(page2) & set(titles)
    assert not button(edit.body, "Previous").get("disabled")

    back = await press(env, first, button(first, "Previous")["custom_id"])
    await env.fake.wait_for(lambda r: r.method == "PATCH" and back["token"] in r.path)
    assert [f["name"] for f in env.fake.messages[first["id"]]["embeds"][0]["fields"]] == titles


async def test_more_like_this_menu_offers_each_result_and_answers(env):
    payload = await env.command("search", query="zombie films", limit=3)
    message = await env.answer(payload)
    menu = select(message)
    assert [o["label"] for o in menu["options"]] == [
        f["name"].split(". ", 1)[1] for f in message["embeds"][0]["fields"]
    ]
    choice = menu["options"][0]
    pick = await press(env, message, menu["custom_id"], values=[choice["value"]])
    similar = await env.answer(pick)
    within_limits(similar)
    assert similar["embeds"][0]["title"] == f"Films like {choice['label'].rsplit(' (', 1)[0]}"
    assert choice["label"] not in [
        f["name"].split(". ", 1)[1] for f in similar["embeds"][0]["fields"]
    ]


async def test_only_the_asker_can_press_the_buttons(env):
    message = await env.answer(await env.command("search", query="westerns", limit=2, uid=1234))
    intruder = await press(env, message, button(message, "Next")["custom_id"], uid=999)
    callback = await env.callback(intruder)
    assert callback.body["type"] == 4 and callback.body["data"]["flags"] & 64  # ephemeral
    assert "Only the person who asked" in callback.body["data"]["content"]


async def test_buttons_are_disabled_when_the_view_expires(env):
    env.bot.settings.discord.view_timeout_seconds = 0.5
    try:
        message = await env.answer(await env.command("search", query="comedies", limit=2))
    finally:
        env.bot.settings.discord.view_timeout_seconds = 300
    edit = await env.fake.wait_for(
        lambda r: r.method == "PATCH" and r.path.endswith(f"/messages/{message['id']}"), timeout=10
    )
    assert all(c.get("disabled") for c in fake_discord.custom_ids(edit.body))


async def test_title_autocomplete_is_fuzzy_and_capped(env):
    kind, data = fake_discord.slash("similar", focused="title", title="dawn of teh dead")
    callback = await env.callback(await env.interact(kind, data))
    assert callback.body["type"] == 8
    choices = callback.body["data"]["choices"]
    assert choices[0]["value"] == "Dawn of the Dead (1978)" and len(choices) <= 25
    kind, data = fake_discord.slash("film", focused="title", title="")
    empty = await env.callback(await env.interact(kind, data))
    assert len(empty.body["data"]["choices"]) == 25


async def test_similar_with_an_unknown_title_answers_ephemerally(env):
    payload = await env.command("similar", title="Zzyzx Road")
    message = await env.answer(payload)
    assert message["flags"] & 64 and "No film called" in message["content"]
    # The public "thinking…" placeholder went first, or Discord would show the answer to all.
    deleted = [r for r in env.fake.requests if r.method == "DELETE" and payload["token"] in r.path]
    assert deleted and deleted[0].path.endswith("/messages/@original")


async def test_film_shows_metadata_and_pages_reviews(env):
    message = await env.answer(await env.command("film", title="Train to Busan (2016)"))
    within_limits(message)
    embed = message["embeds"][0]
    assert embed["title"] == "Train to Busan (2016)" and "Yeon Sang-ho" in embed["description"]
    assert sorted(f["name"].split(" · ")[1] for f in embed["fields"]) == ["6/10", "9/10"]


async def test_stats_and_help(env):
    stats = await env.answer(await env.command("stats"))
    within_limits(stats)
    fields = {f["name"]: f["value"] for f in stats["embeds"][0]["fields"]}
    assert (
        int(fields["Base library"].split()[0]) >= 80 and "South Korea" in fields["Countries (21)"]
    )
    help_ = await env.callback(await env.command("help"))
    assert (
        help_.body["data"]["flags"] & 64
        and "/search" in help_.body["data"]["embeds"][0]["description"]
    )


async def test_per_user_cooldown_answers_kindly(env):
    env.bot.settings.discord.search_cooldown_seconds = 30
    try:
        first = await env.command("search", query="westerns", uid=4242)
        assert (await env.callback(first)).body["type"] == 5
        second = await env.callback(await env.command("search", query="comedies", uid=4242))
        other = await env.callback(await env.command("search", query="comedies", uid=4343))
    finally:
        env.bot.settings.discord.search_cooldown_seconds = 0
    assert second.body["type"] == 4 and second.body["data"]["flags"] & 64
    assert "try again in" in second.body["data"]["content"]
    assert other.body["type"] == 5  # cooldowns are per user


async def test_film_reviews_are_paged_with_buttons(env, tmp_path):
    reviews = [
        {
            "id": f"page-{i}",
            "title": "Paging Film",
            "year": 2001,
            "reviewer": f"Critic {i}",
            "rating": f"{i + 1}/10",
            "text": f"Review number {i} of the paging film.",
        }
        for i in range(7)
    ]
    path = tmp_path / "paging.jsonl"
    path.write_text("\n".join(__import__("json").dumps(r) for r in reviews))
    await env.bot.call(env.engine.ingest, [path])
    message = await env.answer(await env.command("film", title="Paging Film"))
    assert (
        len(message["embeds"][0]["fields"]) == 5
        and "page 1 of 2" in message["embeds"][0]["footer"]["text"]
    )
    click = await press(env, message, button(message, "Next")["custom_id"])
    callback = await env.callback(click)
    assert callback.body["type"] == 7  # the message is updated in place
    page2 = callback.body["data"]["embeds"][0]
    assert len(page2["fields"]) == 2 and "page 2 of 2" in page2["footer"]["text"]
